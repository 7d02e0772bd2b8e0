/*
 * emsecd main loop: one epoll loop on the main thread, level-triggered,
 * non-blocking sockets: H.248 over UDP and TCP, the metrics port, the
 * ServiceChange, the Notify texts the core wrote (sent in order) and the
 * core's timers. The legs live in the workers (worker.c); a timer that fires
 * is posted to the worker owning the leg, which gives it to the core.
 * Timers: the core's next deadline (emsec_mg_next_deadline) bounds
 * epoll_wait; `now` is CLOCK_MONOTONIC in ms. The deadline is read from the
 * core only after a call that may have moved it (emsecd.h, timer_fresh), and
 * at most every 10 ms: it scans every termination slot, under the core's
 * lock, which the workers wait for.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>

#include "emsecd.h"

#define ED_MAX_WAIT_MS 1000  /* wake at least this often to see the stop flag */
#define ED_TIMER_SCAN_MS 10u /* the core's deadline read at most this often */

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
    ev.data.u64 = ed_ep_key(0u, tag, term); /* gen 0: the listeners and the wake fd live as long as the daemon */
    if (epoll_ctl(d->ep, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev) != 0) {
        ed_log(NULL, "epoll_ctl: %s", strerror(errno));
        return -1;
    }
    return 0;
}

/* The core's earliest timer (emsec_mg_next_deadline), with the core's lock
 * held: read again only when a call into the core since the last read may
 * have moved it, and at most every ED_TIMER_SCAN_MS (a read scans every
 * termination slot, under the lock the workers wait for; the core's timers
 * are seconds long). *stale: a read is due and waits for that interval,
 * the value returned is the last read, not to be fired on. */
static uint64_t deadline_locked(emsecd *d, uint64_t now, uint16_t *term, bool *stale)
{
    *stale = false;
    if (!d->timer_fresh && d->timer_scan_ms != 0u && now < d->timer_scan_ms + ED_TIMER_SCAN_MS) {
        *stale = true;
    } else if (!d->timer_fresh) {
        uint16_t t = 0u;
        d->timer_at = emsec_mg_next_deadline(d->mg, &t);
        d->timer_term = t;
        d->timer_fresh = true;
        d->timer_scan_ms = now;
    }
    *term = d->timer_term;
    return d->timer_at;
}

/* The core's answer to a timer, for a handle no worker holds a leg of
 * (nothing but the core's own state to change). */
static void timeout_here(emsecd *d, uint16_t term)
{
    emsec_mg_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = EMSEC_MG_EV_TIMEOUT;
    ev.term = term;
    d->out.text = d->text;
    d->out.cap = ED_OUT_CAP;
    d->out.notify = d->notify;
    d->out.notify_cap = ED_OUT_CAP;
    emsec_result r = emsec_mg_on_event(d->mg, ed_now_ms(), &ev, &d->out);
    d->timer_fresh = false;
    if (ev.kind < EMSEC_MG_EV_COUNT)
        d->met.events[ev.kind]++;
    if (r == EMSEC_OK)
        ed_dispatch(d, &d->out);
    ed_log(NULL, "event timeout (handle %u, no leg) -> %s", (unsigned)term, emsec_result_name(r));
}

/* The earliest timer, once due, to the worker owning its leg (which
 * checks it is still the core's before giving it: worker.c). */
static void fire_timers(emsecd *d)
{
    uint64_t now = ed_now_ms();
    uint16_t term = 0u;
    bool stale = false;
    ed_core_lock(d);
    uint64_t dl = deadline_locked(d, now, &term, &stale);
    /* fired once already and the core kept it: not again (no spin) */
    bool due = !stale && dl != 0u && dl <= now && term < EMSEC_MG_MAX_TERMS &&
               !(dl == d->last_deadline && term == d->last_term);
    if (due) {
        d->last_deadline = dl;
        d->last_term = term;
    }
    if (due && d->owner[term] == ED_NO_WORKER) {
        timeout_here(d, term);
    } else if (due) {
        ed_cmd c;
        memset(&c, 0, sizeof c);
        c.kind = ED_CMD_EVENT;
        c.term = term;
        c.peer_term = ED_NO_TERM;
        c.epoch = d->epoch[term];
        c.seq = dl;
        c.ev.kind = EMSEC_MG_EV_TIMEOUT;
        c.ev.term = term;
        ed_post(d, d->owner[term], &c);
    }
    ed_core_unlock(d);
}

/* The Notify texts the core wrote (any thread), sent in order. */
static void send_notices(emsecd *d)
{
    ed_notice *n = ed_notices_take(d);
    while (n != NULL) {
        ed_notice *next = n->next;
        ed_req_send(d, n->text, n->len);
        free(n);
        n = next;
    }
}

static int wait_ms(emsecd *d)
{
    uint64_t now = ed_now_ms();
    uint16_t term = 0u;
    bool stale = false;
    ed_core_lock(d);
    uint64_t dl = deadline_locked(d, now, &term, &stale);
    uint64_t next_scan = d->timer_scan_ms + ED_TIMER_SCAN_MS;
    ed_core_unlock(d);
    if (stale)
        dl = next_scan; /* read it again then */
    if (dl == 0u)
        return ED_MAX_WAIT_MS;
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
    w = ed_req_wait_ms(d, w);
    w = ed_ctl_tcp_wait_ms(d, w);
    ed_log_flush(); /* what this round logged, before waiting (log.c) */
    int n = epoll_wait(d->ep, evs, 64, w);
    if (n < 0) {
        if (errno == EINTR)
            return 0;
        ed_log(NULL, "epoll_wait: %s", strerror(errno));
        return -1;
    }
    for (int i = 0; i < n; i++) {
        uint32_t gen;
        int tag;
        uint16_t t;
        ed_ep_unkey(evs[i].data.u64, &gen, &tag, &t);
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
        } else if (tag == ED_TAG_WAKE) {
            ed_wake_drain(d->wake);
        }
        send_notices(d);
    }
    fire_timers(d);
    send_notices(d);
    ed_sc_tick(d);
    ed_req_tick(d);
    ed_ctl_tcp_tick(d);
    ed_metrics_tick(d);
    return 0;
}

int ed_loop_run(emsecd *d)
{
    ed_core_lock(d);
    d->last_term = ED_NO_TERM;
    ed_core_unlock(d);
    while (!d->stop) {
        ed_drain_tick(d);
        if (d->stop)
            break;
        if (ed_loop_once(d, d->draining ? ED_DRAIN_CHECK_MS : ED_MAX_WAIT_MS) != 0)
            return -1;
    }
    ed_log(NULL, "stopping");
    return 0;
}
