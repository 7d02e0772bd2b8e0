/*
 * emsecd workers: N threads, each an epoll loop (level-triggered,
 * non-blocking sockets) over the legs it owns (dispatch.c says which). A
 * worker takes the commands posted to it in order (the core's actions, a
 * timer's event, a leg handed over, a metrics snapshot, stop), does the
 * socket and OpenSSL work, and gives the events it finds to the core one at
 * a time, under the core's lock, after the socket work that found them:
 * never from inside an OpenSSL call or an action, so the core is never
 * re-entered. Relayed bytes never reach the core, nor its lock.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "emsecd.h"

int ed_worker_epoll_set(ed_worker *w, int fd, int tag, uint16_t term, uint32_t events, bool add)
{
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = events;
    uint32_t gen = term < EMSEC_MG_MAX_TERMS ? w->term[term].gen : 0u;
    ev.data.u64 = ed_ep_key(gen, tag, term);
    if (epoll_ctl(w->ep, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev) != 0) {
        ed_log(term < EMSEC_MG_MAX_TERMS ? w->term[term].name : "-", "epoll_ctl: %s", strerror(errno));
        return -1;
    }
    return 0;
}

void ed_report_ev(ed_worker *w, const emsec_mg_event *ev)
{
    if (w->q.count == ED_EVQ_CAP) {
        /* cannot happen with at most a few events per leg between two
         * drains; say so rather than drop silently */
        ed_log(w->term[ev->term].name, "event queue full: event %u lost", (unsigned)ev->kind);
        return;
    }
    ed_qev *q = &w->q.ev[(w->q.head + w->q.count) % ED_EVQ_CAP];
    q->ev = *ev;
    q->epoch = ev->term < EMSEC_MG_MAX_TERMS ? w->term[ev->term].epoch : 0u;
    q->due = 0u;
    w->q.count++;
}

void ed_report(ed_worker *w, uint16_t term, uint8_t kind)
{
    emsec_mg_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.term = term;
    ed_report_ev(w, &ev);
}

static const char *event_name(uint8_t k)
{
    static const char *const names[] = {
        "none", "accepted", "connected", "connect-failed", "tls-established", "tls-failed",
        "renegotiation", "close-notify", "peer-closed", "reset", "timeout", "listen-failed",
    };
    _Static_assert(sizeof names / sizeof names[0] == EMSEC_MG_EV_COUNT, "one name per emsec_mg_event_kind");
    return k < EMSEC_MG_EV_COUNT ? names[k] : "?";
}

static const char *action_name(uint8_t k)
{
    static const char *const names[] = {
        "none", "listen", "connect", "close", "tls-client", "tls-server", "tls-close",
        "forward", "reneg-accept", "reneg-refuse",
    };
    _Static_assert(sizeof names / sizeof names[0] == EMSEC_MG_ACT_COUNT, "one name per emsec_mg_action_kind");
    return k < EMSEC_MG_ACT_COUNT ? names[k] : "?";
}

/* Metrics: events by kind; handshakes by result and cause. A handshake that
 * OpenSSL completed but whose peer certificate the core refused (no Remote
 * a=fingerprint matches: the core answers with CLOSE) counts as failed,
 * cause fingerprint. */
static void count_event(ed_metrics *m, const emsec_mg_event *ev, emsec_result r, bool in_handshake,
                        const emsec_mg_out *out)
{
    if (ev->kind < EMSEC_MG_EV_COUNT)
        m->events[ev->kind]++;
    if (ev->kind == EMSEC_MG_EV_TLS_ESTABLISHED) {
        bool closed = false;
        for (uint32_t i = 0u; r == EMSEC_OK && i < out->nactions; i++)
            if (out->actions[i].term == ev->term && out->actions[i].kind == EMSEC_MG_ACT_CLOSE)
                closed = true;
        m->handshakes[closed ? ED_HS_FINGERPRINT : ED_HS_OK]++;
    } else if (ev->kind == EMSEC_MG_EV_TLS_FAILED) {
        m->handshakes[ev->cause == EMSEC_MG_TLS_CAUSE_PSK     ? ED_HS_PSK
                      : ev->cause == EMSEC_MG_TLS_CAUSE_ALERT ? ED_HS_ALERT
                                                              : ED_HS_HANDSHAKE]++;
    } else if (ev->kind == EMSEC_MG_EV_TIMEOUT && in_handshake) {
        m->handshakes[ED_HS_TIMEOUT]++;
    }
}

/* A timer the main thread saw due (fire_timers) is given to the core only
 * if it is still the core's earliest, unchanged: the core takes a TIMEOUT
 * as its timer having expired, and an event this worker gave it meanwhile
 * (the handshake done) may have stopped or moved it. Otherwise the main
 * thread is told to look again (a timer still due is fired again, a later
 * one in its time). Called with the core's lock held. */
static bool timer_still_due(emsecd *d, uint16_t term, uint64_t due)
{
    uint16_t t = 0u;
    uint64_t dl = emsec_mg_next_deadline(d->mg, &t);
    if (dl == due && t == term)
        return true;
    d->last_deadline = 0u;
    d->last_term = ED_NO_TERM;
    d->timer_fresh = false;
    return false;
}

/* Give every queued event to the core; what it answers is posted to the
 * legs' workers (this one included: run after). An event found for a use of
 * the handle the core has closed since is not given (dispatch.c). */
static void drain_events(ed_worker *w)
{
    emsecd *d = w->d;
    while (w->q.count > 0u) {
        ed_qev qe = w->q.ev[w->q.head];
        w->q.head = (w->q.head + 1u) % ED_EVQ_CAP;
        w->q.count--;
        const emsec_mg_event *ev = &qe.ev;
        bool mine = ev->term < EMSEC_MG_MAX_TERMS && w->term[ev->term].active;
        const char *name = ev->term < EMSEC_MG_MAX_TERMS ? w->term[ev->term].name : "-";
        /* a timer that fires during a handshake ends it: counted as such */
        bool in_handshake = mine && w->term[ev->term].tls == ED_TLS_HANDSHAKE;
        ed_core_lock(d);
        if (ev->term < EMSEC_MG_MAX_TERMS && d->epoch[ev->term] != qe.epoch) {
            ed_core_unlock(d);
            ed_log(name, "event %s of a closed leg: not given to the core", event_name(ev->kind));
            continue;
        }
        if (qe.due != 0u && !timer_still_due(d, ev->term, qe.due)) {
            ed_core_unlock(d);
            ed_wake(d->wake);
            ed_log(name, "timer stopped or moved before its timeout was given: not given");
            continue;
        }
        w->out.text = w->text;
        w->out.cap = ED_OUT_CAP;
        w->out.notify = w->notify;
        w->out.notify_cap = ED_OUT_CAP;
        emsec_result r = emsec_mg_on_event(d->mg, ed_now_ms(), ev, &w->out);
        d->timer_fresh = false; /* the machines may have armed or stopped a timer */
        if (mine)
            ed_term_label(w, ev->term);
        count_event(&w->met, ev, r, in_handshake, &w->out);
        if (r == EMSEC_OK)
            ed_dispatch(d, &w->out);
        ed_core_unlock(d);
        ed_wake(d->wake); /* the main thread reads the core's next deadline again */
        if (ev->kind == EMSEC_MG_EV_TLS_FAILED)
            ed_log(name, "event %s cause %u -> %s", event_name(ev->kind), (unsigned)ev->cause,
                   emsec_result_name(r));
        else
            ed_log(name, "event %s -> %s", event_name(ev->kind), emsec_result_name(r));
    }
}

/* FORWARD a <-> b: both legs here, or (a Move paired legs of two workers,
 * or one was handed over since) sent on to where they are. */
static void forward(ed_worker *w, const ed_cmd *c)
{
    uint16_t a = c->term, b = c->peer_term;
    if (b >= EMSEC_MG_MAX_TERMS)
        return;
    if (!w->term[a].active || !w->term[b].active) {
        emsecd *d = w->d;
        ed_core_lock(d);
        uint32_t oa = d->owner[a], ob = d->owner[b];
        bool elsewhere = oa != ED_NO_WORKER && ob != ED_NO_WORKER && (oa != w->index || ob != w->index);
        if (elsewhere)
            ed_dispatch_forward(d, a, b, c->mode, c->msrp);
        ed_core_unlock(d);
        if (elsewhere)
            return;
    }
    /* the mode is implied by where TLS runs; say so if the two disagree */
    if ((c->mode == EMSEC_MG_FWD_TLS_TO_PLAIN) != (w->term[a].ssl != NULL) || w->term[b].ssl != NULL)
        ed_log(w->term[a].name, "forward mode %u does not match the legs' TLS state", (unsigned)c->mode);
    ed_relay_start(w, a, b, c->msrp != 0u);
}

/* The core's action, as decided (dispatch.c copied what it needs). */
static void run_action(ed_worker *w, const ed_cmd *c)
{
    uint16_t t = c->term;
    const char *name = c->label[0] != '\0' ? c->label : w->term[t].name;
    if (w->term[t].active && c->label[0] != '\0')
        memcpy(w->term[t].name, c->label, sizeof w->term[t].name);
    ed_log(name, "action %s", action_name(c->kind));
    w->met.actions[c->kind]++;
    switch ((emsec_mg_action_kind)c->kind) {
    case EMSEC_MG_ACT_LISTEN: ed_conn_listen(w, c); break;
    case EMSEC_MG_ACT_CONNECT: ed_conn_connect(w, c); break;
    case EMSEC_MG_ACT_CLOSE: ed_conn_close(w, t); break;
    case EMSEC_MG_ACT_TLS_CLIENT: ed_tls_start(w, t, true); break;
    case EMSEC_MG_ACT_TLS_SERVER: ed_tls_start(w, t, false); break;
    case EMSEC_MG_ACT_TLS_CLOSE: ed_tls_close(w, t); break;
    case EMSEC_MG_ACT_FORWARD: forward(w, c); break;
    case EMSEC_MG_ACT_RENEG_ACCEPT:
        /* OpenSSL lets a secure (RFC 5746) renegotiation proceed by itself */
        break;
    case EMSEC_MG_ACT_RENEG_REFUSE:
        /* the core follows with CLOSE: the session ends there */
        break;
    case EMSEC_MG_ACT_NONE:
    case EMSEC_MG_ACT_COUNT:
    default:
        ed_log(name, "unknown action %u ignored", (unsigned)c->kind);
        break;
    }
}

/* Leg b leaves this worker for worker c->to (dispatch.c: a FORWARD across
 * two workers): its descriptors leave this epoll, its state (buffers, SSL,
 * counters) is copied for the other; its relay here, if any, ends. Then the
 * FORWARD, and every command still queued here for b, go to the new owner,
 * all under the core's lock so that no command for b is decided meanwhile. */
static void migrate(ed_worker *w, const ed_cmd *c)
{
    emsecd *d = w->d;
    uint16_t b = c->peer_term;
    ed_term *tm = &w->term[b];
    ed_cmd adopt;
    memset(&adopt, 0, sizeof adopt);
    adopt.kind = ED_CMD_ADOPT;
    adopt.term = b;
    adopt.peer_term = ED_NO_TERM;
    if (tm->active) {
        ed_relay_detach(w, b);
        ed_core_lock(d);
        ed_term_label(w, b); /* its context is the one it was moved into */
        ed_core_unlock(d);
        ed_term *copy = malloc(sizeof *copy);
        if (copy == NULL) {
            ed_log(tm->name, "hand-over to worker %u: out of memory: leg reset", (unsigned)c->to);
            ed_report(w, b, EMSEC_MG_EV_RESET);
        } else {
            if (tm->lfd >= 0)
                (void)epoll_ctl(w->ep, EPOLL_CTL_DEL, tm->lfd, NULL);
            if (tm->fd >= 0 && tm->interest != 0u)
                (void)epoll_ctl(w->ep, EPOLL_CTL_DEL, tm->fd, NULL);
            *copy = *tm;
            copy->interest = 0u;
            if (tm->out.data != NULL)
                w->pool.in_use--;
            if (tm->pipe.held)
                w->pipes.in_use--;
            uint32_t gen = tm->gen + 1u; /* epoll events already read for it: stale */
            memset(tm, 0, sizeof *tm);
            tm->gen = gen;
            tm->lfd = tm->fd = -1;
            tm->peer = ED_NO_TERM;
            memcpy(tm->name, copy->name, sizeof tm->name);
            adopt.leg = copy;
            ed_log(copy->name, "handed over to worker %u", (unsigned)c->to);
        }
    }
    ed_cmd f = *c;
    f.kind = EMSEC_MG_ACT_FORWARD;
    ed_core_lock(d);
    if (adopt.leg != NULL && d->owner[b] == w->index)
        d->owner[b] = c->to;
    if (adopt.leg != NULL)
        ed_post(d, c->to, &adopt);
    ed_post(d, c->to, &f);
    if (adopt.leg != NULL)
        ed_post_move(d, w->index, c->to, b);
    ed_core_unlock(d);
}

static void adopt(ed_worker *w, const ed_cmd *c)
{
    ed_term *tm = &w->term[c->term];
    if (tm->active) {
        ed_log(tm->name, "handed a leg for a handle it still holds: the old leg closed");
        ed_conn_close(w, c->term);
    }
    uint32_t gen = tm->gen + 1u;
    *tm = *c->leg;
    free(c->leg);
    tm->gen = gen;
    if (tm->out.data != NULL)
        w->pool.in_use++;
    if (tm->pipe.held)
        w->pipes.in_use++;
    ed_tls_moved(w, c->term);
    if (tm->lfd >= 0)
        (void)ed_worker_epoll_set(w, tm->lfd, ED_TAG_LISTEN, c->term, EPOLLIN, true);
    ed_term_update_interest(w, c->term);
    ed_log(tm->name, "taken over by worker %u", (unsigned)w->index);
}

/* The counters and the legs by state, copied for metrics.c. */
static void publish(ed_worker *w, uint64_t seq)
{
    ed_worker_stats s;
    memset(&s, 0, sizeof s);
    s.seq = seq;
    s.met = w->met;
    for (uint32_t t = 0u; t < EMSEC_MG_MAX_TERMS; t++) {
        const ed_term *tm = &w->term[t];
        if (!tm->active)
            continue;
        if (tm->up)
            s.tcp[2]++;
        else if (tm->connecting)
            s.tcp[1]++;
        else if (tm->lfd >= 0)
            s.tcp[0]++;
        if (tm->ssl != NULL || tm->tls != ED_TLS_NONE)
            s.tls[tm->tls <= ED_TLS_DONE ? tm->tls : 0]++;
        else
            s.tls[0]++;
    }
    s.buffers_in_use = w->pool.in_use;
    s.buffers_pooled = w->pool.count;
    s.pipes_in_use = w->pipes.in_use;
    s.pipes_pooled = w->pipes.count;
    (void)pthread_mutex_lock(&w->pub_lock);
    w->pub = s;
    (void)pthread_mutex_unlock(&w->pub_lock);
    ed_wake(w->d->wake);
}

static void stop(ed_worker *w)
{
    for (uint32_t t = 0u; t < EMSEC_MG_MAX_TERMS; t++)
        if (w->term[t].active)
            ed_conn_close(w, (uint16_t)t);
    w->stop = true;
}

static bool take(ed_worker *w, ed_cmd *c)
{
    ed_cmd_q *q = &w->cmds;
    (void)pthread_mutex_lock(&q->lock);
    bool any = q->count > 0u;
    if (any) {
        *c = q->ring[q->head];
        q->head = (q->head + 1u) % q->cap;
        q->count--;
    }
    (void)pthread_mutex_unlock(&q->lock);
    return any;
}

static void run(ed_worker *w, const ed_cmd *c)
{
    if (c->kind < EMSEC_MG_ACT_COUNT) {
        if (c->term < EMSEC_MG_MAX_TERMS)
            run_action(w, c);
        return;
    }
    switch ((ed_cmd_kind)c->kind) {
    case ED_CMD_EVENT:
        if (w->q.count < ED_EVQ_CAP) {
            ed_qev *q = &w->q.ev[(w->q.head + w->q.count) % ED_EVQ_CAP];
            q->ev = c->ev;
            q->epoch = c->epoch;
            q->due = c->seq;
            w->q.count++;
        } else {
            ed_log(c->label, "event queue full: event %u lost", (unsigned)c->ev.kind);
        }
        break;
    case ED_CMD_MIGRATE: migrate(w, c); break;
    case ED_CMD_ADOPT: adopt(w, c); break;
    case ED_CMD_PUBLISH: publish(w, c->seq); break;
    case ED_CMD_FENCE:
        (void)pthread_mutex_lock(&w->d->fence_lock);
        w->fence_seen = c->seq;
        (void)pthread_cond_broadcast(&w->d->fence_cond);
        (void)pthread_mutex_unlock(&w->d->fence_lock);
        break;
    case ED_CMD_STOP: stop(w); break;
    default: ed_log(NULL, "worker %u: unknown command %u ignored", (unsigned)w->index, (unsigned)c->kind); break;
    }
}

/* Events to the core and commands carried out until neither is left. */
static void settle(ed_worker *w)
{
    for (;;) {
        drain_events(w);
        ed_cmd c;
        if (w->stop || !take(w, &c))
            return;
        run(w, &c);
    }
}

static void *worker_main(void *arg)
{
    ed_worker *w = arg;
    struct epoll_event evs[64];
    while (!w->stop) {
        ed_log_flush(); /* what this round logged, before waiting (log.c) */
        int n = epoll_wait(w->ep, evs, 64, -1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            /* a worker that cannot wait cannot carry its legs: the daemon
             * stops (ServiceChange Forced, every leg closed) rather than
             * run on with legs nobody serves */
            ed_log(NULL, "worker %u: epoll_wait: %s: the gateway stops", (unsigned)w->index, strerror(errno));
            w->d->stop = 1;
            break;
        }
        for (int i = 0; i < n; i++) {
            uint32_t gen;
            int tag;
            uint16_t t;
            ed_ep_unkey(evs[i].data.u64, &gen, &tag, &t);
            if (tag == ED_TAG_WAKE) {
                ed_wake_drain(w->wake);
            } else if (t < EMSEC_MG_MAX_TERMS && w->term[t].active && w->term[t].gen == gen) {
                if (tag == ED_TAG_LISTEN)
                    ed_conn_listener_ready(w, t);
                else
                    ed_conn_ready(w, t, evs[i].events);
            }
            drain_events(w);
        }
        settle(w);
    }
    ed_log_flush();
    return NULL;
}

#define ED_FENCE_MS 2000u /* a worker slower than this is logged, not waited for */

void ed_fence(emsecd *d, uint64_t mask)
{
    if (mask == 0u)
        return;
    uint64_t seq = ++d->fence_seq;
    ed_cmd c;
    memset(&c, 0, sizeof c);
    c.kind = ED_CMD_FENCE;
    c.term = c.peer_term = ED_NO_TERM;
    c.seq = seq;
    for (uint32_t i = 0u; i < d->nworkers; i++)
        if (mask & ((uint64_t)1u << i))
            ed_post(d, i, &c);
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += ED_FENCE_MS / 1000u;
    (void)pthread_mutex_lock(&d->fence_lock);
    for (uint32_t i = 0u; i < d->nworkers; i++) {
        if (!(mask & ((uint64_t)1u << i)))
            continue;
        int rc = 0;
        while (d->workers[i].fence_seen < seq && rc == 0)
            rc = pthread_cond_timedwait(&d->fence_cond, &d->fence_lock, &until);
        if (d->workers[i].fence_seen < seq)
            ed_log(NULL, "worker %u: its actions not done after %u ms: not waited for", (unsigned)i, ED_FENCE_MS);
    }
    (void)pthread_mutex_unlock(&d->fence_lock);
}

static int worker_init(emsecd *d, ed_worker *w, uint32_t index)
{
    w->d = d;
    w->index = (uint8_t)index;
    w->ep = epoll_create1(EPOLL_CLOEXEC);
    w->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    w->term = calloc(EMSEC_MG_MAX_TERMS, sizeof *w->term);
    w->text = malloc(ED_OUT_CAP);
    w->notify = malloc(ED_OUT_CAP);
    if (w->ep < 0 || w->wake < 0 || w->term == NULL || w->text == NULL || w->notify == NULL)
        return -1;
    for (uint32_t t = 0u; t < EMSEC_MG_MAX_TERMS; t++)
        w->term[t].lfd = w->term[t].fd = -1;
    return ed_worker_epoll_set(w, w->wake, ED_TAG_WAKE, ED_NO_TERM, EPOLLIN, true);
}

int ed_workers_start(emsecd *d)
{
    d->workers = calloc(d->nworkers, sizeof *d->workers);
    if (d->workers == NULL)
        return -1;
    for (uint32_t i = 0u; i < d->nworkers; i++) {
        ed_worker *w = &d->workers[i];
        w->ep = w->wake = -1;
        if (pthread_mutex_init(&w->cmds.lock, NULL) != 0 || pthread_mutex_init(&w->pub_lock, NULL) != 0)
            return -1;
    }
    /* the signals are the main thread's: it stops the daemon */
    sigset_t all, old;
    sigfillset(&all);
    (void)pthread_sigmask(SIG_BLOCK, &all, &old);
    int rc = 0;
    for (uint32_t i = 0u; i < d->nworkers && rc == 0; i++) {
        ed_worker *w = &d->workers[i];
        if (worker_init(d, w, i) != 0 || pthread_create(&w->thread, NULL, worker_main, w) != 0) {
            ed_log(NULL, "worker %u: start failed: %s", (unsigned)i, strerror(errno));
            rc = -1;
        } else {
            w->started = true;
        }
    }
    (void)pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

void ed_workers_stop(emsecd *d)
{
    if (d->workers == NULL)
        return;
    for (uint32_t i = 0u; i < d->nworkers; i++) {
        ed_worker *w = &d->workers[i];
        if (!w->started)
            continue;
        ed_cmd c;
        memset(&c, 0, sizeof c);
        c.kind = ED_CMD_STOP;
        c.term = c.peer_term = ED_NO_TERM;
        ed_post(d, i, &c);
    }
    for (uint32_t i = 0u; i < d->nworkers; i++) {
        ed_worker *w = &d->workers[i];
        if (w->started)
            (void)pthread_join(w->thread, NULL);
        /* commands never run (a worker that could not start) */
        ed_cmd c;
        while (w->cmds.ring != NULL && take(w, &c))
            if (c.kind == ED_CMD_ADOPT)
                free(c.leg);
        if (w->term != NULL)
            for (uint32_t t = 0u; t < EMSEC_MG_MAX_TERMS; t++)
                if (w->term[t].active)
                    ed_conn_close(w, (uint16_t)t);
        ed_buf_pool_free(w);
        ed_pipe_pool_free(w);
        free(w->cmds.ring);
        free(w->term);
        free(w->text);
        free(w->notify);
        if (w->ep >= 0)
            close(w->ep);
        if (w->wake >= 0)
            close(w->wake);
        (void)pthread_mutex_destroy(&w->cmds.lock);
        (void)pthread_mutex_destroy(&w->pub_lock);
    }
    free(d->workers);
    d->workers = NULL;
}
