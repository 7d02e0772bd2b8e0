/*
 * emsecd loop: one epoll loop, level-triggered, non-blocking sockets. Network
 * events are queued (ed_report) and given to the core one at a time after the
 * socket work that found them, never from inside an OpenSSL call or an action
 * handler: the core is never re-entered. Timers: the core's next deadline
 * (emsec_mg_next_deadline) bounds epoll_wait; `now` is CLOCK_MONOTONIC in ms.
 * The deadline is read from the core only after a call that may have moved
 * it (emsecd.h, timer_fresh): relayed bytes never reach the core, so a busy
 * relay does not pay a scan of every termination per read.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>

#include "emsecd.h"

#define ED_MAX_WAIT_MS 1000  /* wake at least this often to see the stop flag */

uint64_t ed_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    /* +1: the core reads a deadline of 0 as "no timer" */
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u + 1u;
}

int ed_epoll_set(emsecd *d, int fd, int tag, uint16_t term, uint32_t events, bool add)
{
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = events;
    uint32_t gen = term < EMSEC_MG_MAX_TERMS ? d->term[term].gen : 0u;
    ev.data.u64 = (uint64_t)gen << 32 | (uint64_t)(unsigned)tag << 16 | term;
    if (epoll_ctl(d->ep, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev) != 0) {
        ed_log(term < EMSEC_MG_MAX_TERMS ? d->term[term].name : "-", "epoll_ctl: %s", strerror(errno));
        return -1;
    }
    return 0;
}

void ed_report_ev(emsecd *d, const emsec_mg_event *ev)
{
    if (d->q.count == ED_EVQ_CAP) {
        /* cannot happen with at most a few events per termination between
         * two drains; say so rather than drop silently */
        ed_log(d->term[ev->term].name, "event queue full: event %u lost", (unsigned)ev->kind);
        return;
    }
    d->q.ev[(d->q.head + d->q.count) % ED_EVQ_CAP] = *ev;
    d->q.count++;
}

void ed_report(emsecd *d, uint16_t term, uint8_t kind)
{
    emsec_mg_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.term = term;
    ed_report_ev(d, &ev);
}

static const char *event_name(uint8_t k)
{
    static const char *const names[EMSEC_MG_EV_COUNT] = {
        "none", "accepted", "connected", "connect-failed", "tls-established", "tls-failed",
        "renegotiation", "close-notify", "peer-closed", "reset", "timeout",
    };
    return k < EMSEC_MG_EV_COUNT ? names[k] : "?";
}

static const char *action_name(uint8_t k)
{
    static const char *const names[EMSEC_MG_ACT_COUNT] = {
        "none", "listen", "connect", "close", "tls-client", "tls-server", "tls-close",
        "forward", "reneg-accept", "reneg-refuse",
    };
    return k < EMSEC_MG_ACT_COUNT ? names[k] : "?";
}

/* Leg t's log label, refreshed from the core (conn.c); "-" for no leg. */
static const char *who(emsecd *d, uint16_t t)
{
    if (t >= EMSEC_MG_MAX_TERMS)
        return "-";
    ed_term_label(d, t);
    return d->term[t].name;
}

/* Each action the core asked for, in order (the core orders them: TLS
 * close before TCP close). Only sockets change here: events they cause are
 * queued, so `out` is still intact afterwards. */
void ed_run_actions(emsecd *d, const emsec_mg_out *out)
{
    for (uint32_t i = 0u; i < out->nactions; i++) {
        const emsec_mg_action *a = &out->actions[i];
        ed_log(who(d, a->term), "action %s", action_name(a->kind));
        if (a->kind < EMSEC_MG_ACT_COUNT)
            d->met.actions[a->kind]++;
        if (a->term >= EMSEC_MG_MAX_TERMS)
            continue;
        switch ((emsec_mg_action_kind)a->kind) {
        case EMSEC_MG_ACT_LISTEN: ed_conn_listen(d, a->term); break;
        case EMSEC_MG_ACT_CONNECT: ed_conn_connect(d, a->term); break;
        case EMSEC_MG_ACT_CLOSE: ed_conn_close(d, a->term); break;
        case EMSEC_MG_ACT_TLS_CLIENT: ed_tls_start(d, a->term, true); break;
        case EMSEC_MG_ACT_TLS_SERVER: ed_tls_start(d, a->term, false); break;
        case EMSEC_MG_ACT_TLS_CLOSE: ed_tls_close(d, a->term); break;
        case EMSEC_MG_ACT_FORWARD:
            if (a->peer_term >= EMSEC_MG_MAX_TERMS)
                break;
            /* the mode is implied by where TLS runs; say so if the two disagree */
            if ((a->mode == EMSEC_MG_FWD_TLS_TO_PLAIN) != (d->term[a->term].ssl != NULL) ||
                d->term[a->peer_term].ssl != NULL)
                ed_log(who(d, a->term), "forward mode %u does not match the legs' TLS state", (unsigned)a->mode);
            ed_relay_start(d, a->term, a->peer_term, a->msrp != 0u);
            break;
        case EMSEC_MG_ACT_RENEG_ACCEPT:
            /* OpenSSL lets a secure (RFC 5746) renegotiation proceed by itself */
            break;
        case EMSEC_MG_ACT_RENEG_REFUSE:
            /* the core follows with CLOSE: the session ends there */
            break;
        case EMSEC_MG_ACT_NONE:
        case EMSEC_MG_ACT_COUNT:
        default:
            ed_log(who(d, a->term), "unknown action %u ignored", (unsigned)a->kind);
            break;
        }
    }
}

/* What the core asked for after an event: the Notify to the controller,
 * then the actions. */
void ed_handle_out(emsecd *d, const emsec_mg_out *out)
{
    if (out->notify_len > 0u)
        ed_h248_send_notify(d, out->notify, out->notify_len);
    ed_run_actions(d, out);
}

/* Metrics: events by kind; handshakes by result and cause. A handshake that
 * OpenSSL completed but whose peer certificate the core refused (no Remote
 * a=fingerprint matches: the core answers with CLOSE) counts as failed,
 * cause fingerprint. */
static void count_event(emsecd *d, const emsec_mg_event *ev, emsec_result r, bool in_handshake)
{
    if (ev->kind < EMSEC_MG_EV_COUNT)
        d->met.events[ev->kind]++;
    if (ev->kind == EMSEC_MG_EV_TLS_ESTABLISHED) {
        bool closed = false;
        for (uint32_t i = 0u; r == EMSEC_OK && i < d->out.nactions; i++)
            if (d->out.actions[i].term == ev->term && d->out.actions[i].kind == EMSEC_MG_ACT_CLOSE)
                closed = true;
        d->met.handshakes[closed ? ED_HS_FINGERPRINT : ED_HS_OK]++;
    } else if (ev->kind == EMSEC_MG_EV_TLS_FAILED) {
        d->met.handshakes[ev->cause == EMSEC_MG_TLS_CAUSE_PSK     ? ED_HS_PSK
                          : ev->cause == EMSEC_MG_TLS_CAUSE_ALERT ? ED_HS_ALERT
                                                                  : ED_HS_HANDSHAKE]++;
    } else if (ev->kind == EMSEC_MG_EV_TIMEOUT && in_handshake) {
        d->met.handshakes[ED_HS_TIMEOUT]++;
    }
}

/* Give every queued event to the core, and do what it answers (which may
 * queue more events: a refused connect, a relay that drains at once). */
static void drain_events(emsecd *d)
{
    while (d->q.count > 0u) {
        emsec_mg_event ev = d->q.ev[d->q.head];
        d->q.head = (d->q.head + 1u) % ED_EVQ_CAP;
        d->q.count--;
        d->out.text = d->text;
        d->out.cap = ED_OUT_CAP;
        d->out.notify = d->notify;
        d->out.notify_cap = ED_OUT_CAP;
        /* a timer that fires during a handshake ends it: counted as such */
        bool in_handshake = ev.term < EMSEC_MG_MAX_TERMS && d->term[ev.term].active &&
                            d->term[ev.term].tls == ED_TLS_HANDSHAKE;
        emsec_result r = emsec_mg_on_event(d->mg, ed_now_ms(), &ev, &d->out);
        d->timer_fresh = false; /* the machines may have armed or stopped a timer */
        const char *name = who(d, ev.term);
        count_event(d, &ev, r, in_handshake);
        if (ev.kind == EMSEC_MG_EV_TLS_FAILED)
            ed_log(name, "event %s cause %u -> %s", event_name(ev.kind), (unsigned)ev.cause,
                   emsec_result_name(r));
        else
            ed_log(name, "event %s -> %s", event_name(ev.kind), emsec_result_name(r));
        if (r == EMSEC_OK)
            ed_handle_out(d, &d->out);
    }
}

/* The core's earliest timer (emsec_mg_next_deadline), read again only when
 * a call into the core since the last read may have moved it. */
static uint64_t next_deadline(emsecd *d, uint16_t *term)
{
    if (!d->timer_fresh) {
        uint16_t t = 0u;
        d->timer_at = emsec_mg_next_deadline(d->mg, &t);
        d->timer_term = t;
        d->timer_fresh = true;
    }
    *term = d->timer_term;
    return d->timer_at;
}

static void fire_timers(emsecd *d)
{
    uint64_t *last_deadline = &d->last_deadline;
    uint16_t *last_term = &d->last_term;
    uint16_t term = 0u;
    uint64_t dl = next_deadline(d, &term);
    if (dl == 0u || dl > ed_now_ms())
        return;
    if (dl == *last_deadline && term == *last_term)
        return; /* fired once already and the core kept it: do not spin */
    *last_deadline = dl;
    *last_term = term;
    ed_report(d, term, EMSEC_MG_EV_TIMEOUT);
}

static int wait_ms(emsecd *d)
{
    uint16_t term = 0u;
    uint64_t dl = next_deadline(d, &term);
    if (dl == 0u)
        return ED_MAX_WAIT_MS;
    uint64_t now = ed_now_ms();
    if (dl <= now)
        return 1;
    return dl - now < ED_MAX_WAIT_MS ? (int)(dl - now) : ED_MAX_WAIT_MS;
}

/* One epoll round, waiting at most max_wait_ms: 0 or -1 on a fatal epoll
 * error. Used by the main loop and by the shutdown (service.c). */
int ed_loop_once(emsecd *d, int max_wait_ms)
{
    struct epoll_event evs[64];
    int w = wait_ms(d);
    if (w > max_wait_ms)
        w = max_wait_ms;
    w = ed_sc_wait_ms(d, w);
    ed_log_flush(); /* what this round logged, before waiting (log.c) */
    int n = epoll_wait(d->ep, evs, 64, w);
    if (n < 0) {
        if (errno == EINTR)
            return 0;
        ed_log(NULL, "epoll_wait: %s", strerror(errno));
        return -1;
    }
    for (int i = 0; i < n; i++) {
        uint64_t u = evs[i].data.u64;
        uint32_t gen = (uint32_t)(u >> 32);
        int tag = (int)((u >> 16) & 0xffffu);
        uint16_t t = (uint16_t)(u & 0xffffu);
        if (tag == ED_TAG_H248) {
            ed_h248_readable(d);
        } else if (tag == ED_TAG_H248_TCP_LISTEN) {
            ed_h248_tcp_accept(d);
        } else if (tag == ED_TAG_H248_TCP) {
            if (t < ED_H248_TCP_MAX && d->tcp[t].fd >= 0 && d->tcp[t].gen == gen)
                ed_h248_tcp_ready(d, t, evs[i].events);
        } else if (tag == ED_TAG_METRICS_LISTEN) {
            ed_metrics_accept(d);
        } else if (tag == ED_TAG_METRICS) {
            if (t < ED_METRICS_MAX_CONN && d->http[t].fd >= 0 && d->http[t].gen == gen)
                ed_metrics_ready(d, t, evs[i].events);
        } else if (t < EMSEC_MG_MAX_TERMS && d->term[t].active && d->term[t].gen == gen) {
            if (tag == ED_TAG_LISTEN)
                ed_conn_listener_ready(d, t);
            else
                ed_conn_ready(d, t, evs[i].events);
        }
        drain_events(d);
    }
    fire_timers(d);
    drain_events(d);
    ed_sc_tick(d);
    ed_metrics_tick(d);
    return 0;
}

int ed_loop_run(emsecd *d)
{
    d->last_term = ED_NO_TERM;
    while (!d->stop)
        if (ed_loop_once(d, ED_MAX_WAIT_MS) != 0)
            return -1;
    ed_log(NULL, "stopping");
    return 0;
}
