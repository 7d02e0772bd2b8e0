/*
 * emsecd ServiceChange (H.248.1 §7.2.8, §11): the gateway registers with the
 * --controller at start-up (Method Restart, reason 901), registers with it
 * again when a request of its own went unanswered (Method Disconnected,
 * reason 900: RFC 3525 §11.5, D.1.5; started by requests.c), drains on
 * SIGUSR1 (Method Graceful, then the stop once no session is left), and goes
 * out of service on SIGTERM (Method Forced, reason 905: every context
 * released first). The core writes the request (emsec_mg_service_change); this file
 * sends it and repeats it until the controller's Reply with the same
 * TransactionID arrives (H.248.1 §9.1, Annex D.1.3: the sender retransmits,
 * the receiver answers a repeat from its reply cache): first after
 * ED_SC_FIRST_MS, the interval doubling up to ED_SC_MAX_MS, ED_SC_TRIES sends
 * in all for Restart and Disconnected. A controller that never answers is logged and the
 * gateway keeps answering whoever sends it commands (with Error 505 until a
 * Restart is answered: the core, RFC 3525 §11.2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include "emsecd.h"

static const char *method_name(uint8_t m)
{
    return m == EMSEC_MG_SC_RESTART        ? "Restart"
           : m == EMSEC_MG_SC_GRACEFUL     ? "Graceful"
           : m == EMSEC_MG_SC_DISCONNECTED ? "Disconnected"
                                           : "Forced";
}

uint32_t ed_span_uint(const char *src, emsec_span s)
{
    uint32_t v = 0u;
    for (uint32_t i = 0u; i < s.len; i++) {
        char ch = src[s.off + i];
        if (ch < '0' || ch > '9' || v > 429496729u)
            return 0u;
        v = v * 10u + (uint32_t)(ch - '0');
    }
    return v;
}

uint32_t ed_tid_of(const char *text, uint32_t len)
{
    const char *t = memmem(text, len, "Transaction = ", 14u);
    if (t == NULL)
        return 0u;
    emsec_span s = { (uint32_t)(t + 14 - text), 0u };
    while (s.off + s.len < len && text[s.off + s.len] >= '0' && text[s.off + s.len] <= '9')
        s.len++;
    return ed_span_uint(text, s);
}

/* Restart at start-up and Disconnected after contact was lost (requests.c)
 * register with the controller: repeated ED_SC_TRIES times, then given up. */
static bool registers(uint8_t m)
{
    return m == EMSEC_MG_SC_RESTART || m == EMSEC_MG_SC_DISCONNECTED;
}

/* Sends of one ServiceChange at most: Forced is bounded by the shutdown's
 * wait (ED_SC_STOP_MS: 3 sends), the others by ED_SC_TRIES. */
static uint32_t max_sends(uint8_t m)
{
    return m == EMSEC_MG_SC_FORCED ? 3u : ED_SC_TRIES;
}

static void send_sc(emsecd *d)
{
    d->sc.tries++;
    ed_log(NULL, "service change %s transaction %u: send %u (at most %u)", method_name(d->sc.method),
           (unsigned)d->sc.tid, (unsigned)d->sc.tries, max_sends(d->sc.method));
    if (ed_h248_send_notify(d, d->sc.msg, d->sc.len))
        d->met.sc_sent[d->sc.method]++;
}

/* Now as an H.248 TimeStamp (B.2: yyyymmdd "T" hhmmss and hundredths, UTC),
 * or NULL when the clock cannot be read. */
static const char *utc_timestamp(char *buf, size_t cap)
{
    struct timespec ts;
    struct tm tm;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || gmtime_r(&ts.tv_sec, &tm) == NULL ||
        strftime(buf, cap, "%Y%m%dT%H%M%S", &tm) != 15u || tm.tm_year + 1900 > 9999)
        return NULL;
    snprintf(buf + 15, cap - 15u, "%02ld", ts.tv_nsec / 10000000L);
    return buf;
}

int ed_sc_start(emsecd *d, emsec_mg_sc_method method)
{
    d->out.text = d->text;
    d->out.cap = ED_OUT_CAP;
    d->out.notify = d->notify;
    d->out.notify_cap = ED_OUT_CAP;
    ed_core_lock(d);
    /* Graceful carries the drain delay (ServiceChangeDelay, H.248.1 §7.2.8);
     * every one the time it was written (TimeStamp: "shall be sent with a
     * registration command", §7.2.8) */
    char stamp[32];
    emsec_mg_sc_params params = { method == EMSEC_MG_SC_GRACEFUL ? d->cfg.drain_delay_s : 0u,
                                  utc_timestamp(stamp, sizeof stamp) };
    emsec_result r = emsec_mg_service_change_with(d->mg, ed_now_ms(), method, &params, &d->out);
    d->timer_fresh = false; /* Forced releases every termination and its timer */
    uint32_t notify_len = d->out.notify_len;
    uint64_t posted = 0u;
    if (r == EMSEC_OK) {
        /* Forced: the release actions (TLS close_notify, then TCP close)
         * come with it, carried out (ed_fence below) before the request
         * leaves; the request itself is sent here, not queued */
        d->out.notify_len = 0u;
        ed_dispatch(d, &d->out);
        posted = d->dispatch_mask;
    }
    ed_core_unlock(d);
    d->out.notify_len = notify_len;
    if (r != EMSEC_OK || d->out.notify_len == 0u || d->out.notify_len > sizeof d->sc.msg) {
        ed_log(NULL, "service change %s: the core answered %s", method_name((uint8_t)method), emsec_result_name(r));
        return -1;
    }
    memcpy(d->sc.msg, d->out.notify, d->out.notify_len);
    d->sc.len = d->out.notify_len;
    /* the TransactionID the core chose: "Transaction = N" in its text */
    d->sc.tid = ed_tid_of(d->sc.msg, d->sc.len);
    d->sc.method = (uint8_t)method;
    d->sc.retry_ms = 0u; /* whatever starts now replaces a registration still to come */
    d->sc.tries = 0u;
    d->sc.backoff = ED_SC_FIRST_MS;
    d->sc.next_ms = ed_now_ms() + ED_SC_FIRST_MS;
    d->sc.pending = d->sc.tid != 0u;
    ed_fence(d, posted);
    send_sc(d);
    return 0;
}

/* The controller's Reply to our ServiceChange, or its TransactionPending:
 * the request is being worked on, so the next repeat waits ED_SC_MAX_MS
 * (RFC 3525 Annex D.1.4: "shall switch to a different repetition timer");
 * the repeats go on after it, the Reply ends them. */
void ed_sc_seen(emsecd *d, const char *msg, const emsec_h248_msg *m)
{
    for (uint32_t ti = m->nodes[0].child; ti != 0u; ti = m->nodes[ti].next) {
        const emsec_h248_node *tr = &m->nodes[ti];
        if ((tr->item != EMSEC_H248_TOK_REPLY && tr->item != EMSEC_H248_TOK_PENDING) ||
            ed_span_uint(msg, tr->value) != d->sc.tid)
            continue;
        if (tr->item == EMSEC_H248_TOK_PENDING) {
            d->sc.next_ms = ed_now_ms() + ED_SC_MAX_MS;
            ed_log(NULL, "service change %s transaction %u: pending at the controller, next repeat in %u ms",
                   method_name(d->sc.method), (unsigned)d->sc.tid, ED_SC_MAX_MS);
            continue;
        }
        bool error = false;
        for (uint32_t c = tr->child; c != 0u; c = m->nodes[c].next)
            if (m->nodes[c].item == EMSEC_H248_TOK_ERROR)
                error = true;
        d->sc.pending = false;
        d->met.sc_answered[d->sc.method]++;
        if (!error && registers(d->sc.method) &&
            ed_sc_redirect(d, msg, m, tr) == ED_REDIRECT_MGC) {
            /* §7.2.8: not registered yet; the same request to the other
             * controller (over TCP once its connection is up:
             * controller_tcp.c starts it) */
            if (!d->ctl_tcp)
                (void)ed_sc_start(d, (emsec_mg_sc_method)d->sc.method);
            return;
        }
        if (!error && registers(d->sc.method))
            d->sc.registered_once = true;
        ed_log(NULL, "service change %s transaction %u: %s by the controller (%.*s) after %u send(s)",
               method_name(d->sc.method), (unsigned)d->sc.tid, error ? "refused (Error)" : "accepted",
               (int)(m->mid.len < 64u ? m->mid.len : 64u), msg + m->mid.off, (unsigned)d->sc.tries);
        return;
    }
}

emsec_mg_sc_method ed_sc_again(const emsecd *d)
{
    return d->sc.registered_once ? EMSEC_MG_SC_DISCONNECTED : EMSEC_MG_SC_RESTART;
}

/* A wait uniform in 0..--max-waiting-delay, from OpenSSL's generator:
 * gateways restarted together must not retry together (RFC 3525 §9.2:
 * "avoid synchronicity of the random number generation"). */
static uint32_t random_wait_ms(const emsecd *d)
{
    uint32_t r = 0u;
    if (RAND_bytes((unsigned char *)&r, sizeof r) != 1)
        r = (uint32_t)ed_now_ms() * 2654435761u; /* no entropy: still spread by time */
    return r % (d->cfg.mwd_ms + 1u);
}

void ed_sc_first(emsecd *d)
{
    uint32_t wait = random_wait_ms(d);
    if (wait == 0u) {
        (void)ed_sc_start(d, EMSEC_MG_SC_RESTART);
        return;
    }
    /* §9.2 items 1-3: "a restart timer to a random value, uniformly
     * distributed between 0 and a maximum waiting delay"; commands are
     * served meanwhile. ed_sc_tick starts the Restart (ed_sc_again). */
    d->sc.retry_ms = ed_now_ms() + wait;
    ed_log(NULL, "registering with the controller in %u ms (a random wait of at most %u ms, RFC 3525 9.2)",
           (unsigned)wait, (unsigned)d->cfg.mwd_ms);
}

void ed_sc_tick(emsecd *d)
{
    uint64_t now = ed_now_ms();
    if (!d->sc.pending && d->sc.retry_ms != 0u && now >= d->sc.retry_ms) {
        /* RFC 3525 §11.5: no control relationship: after the random wait,
         * start again (not while stopping or draining) */
        d->sc.retry_ms = 0u;
        if (!d->stop && !d->draining)
            (void)ed_sc_start(d, ed_sc_again(d));
        return;
    }
    if (!d->sc.pending || now < d->sc.next_ms)
        return;
    if (d->sc.tries >= max_sends(d->sc.method)) {
        d->sc.pending = false;
        if (!registers(d->sc.method) || !d->has_controller) {
            ed_log(NULL, "service change %s transaction %u: no reply from the controller after %u sends: %s",
                   method_name(d->sc.method), (unsigned)d->sc.tid, (unsigned)d->sc.tries,
                   registers(d->sc.method) ? "giving up" : "given up");
            return;
        }
        uint32_t wait = random_wait_ms(d);
        d->sc.retry_ms = now + wait;
        ed_log(NULL, "service change %s transaction %u: no reply from the controller after %u sends: giving up, "
                     "answering commands%s; registering again in %u ms (a random wait of at most %u ms, "
                     "RFC 3525 11.5, 9.2)",
               method_name(d->sc.method), (unsigned)d->sc.tid, (unsigned)d->sc.tries,
               d->sc.method == EMSEC_MG_SC_RESTART ? " with Error 505 (RFC 3525 11.2)" : "", (unsigned)wait,
               (unsigned)d->cfg.mwd_ms);
        return;
    }
    send_sc(d);
    d->sc.backoff = d->sc.backoff * 2u > ED_SC_MAX_MS ? ED_SC_MAX_MS : d->sc.backoff * 2u;
    d->sc.next_ms = ed_now_ms() + d->sc.backoff;
}

int ed_sc_wait_ms(const emsecd *d, int wait)
{
    uint64_t now = ed_now_ms();
    if (!d->sc.pending && d->sc.retry_ms != 0u) {
        if (d->sc.retry_ms <= now)
            return 0;
        return d->sc.retry_ms - now < (uint64_t)wait ? (int)(d->sc.retry_ms - now) : wait;
    }
    if (!d->sc.pending)
        return wait;
    if (d->sc.next_ms <= now)
        return 0;
    return d->sc.next_ms - now < (uint64_t)wait ? (int)(d->sc.next_ms - now) : wait;
}

/* SIGTERM: ServiceChange Forced (the core releases every termination; the
 * close actions run here), then at most ED_SC_STOP_MS for the controller's
 * reply when a --controller is configured; without one, the request goes to
 * the last sender (if any) and the gateway does not wait. */
void ed_shutdown(emsecd *d)
{
    if (ed_sc_start(d, EMSEC_MG_SC_FORCED) != 0 || !d->has_controller) {
        d->sc.pending = false;
        return;
    }
    uint64_t end = ed_now_ms() + ED_SC_STOP_MS;
    while (d->sc.pending) {
        uint64_t now = ed_now_ms();
        if (now >= end) {
            ed_log(NULL, "service change Forced transaction %u: no reply within %u ms: stopping anyway",
                   (unsigned)d->sc.tid, ED_SC_STOP_MS);
            d->sc.pending = false;
            break;
        }
        if (ed_loop_once(d, (int)(end - now)) != 0)
            break;
    }
}

/* Sessions the core still holds: terminations in use. */
static uint32_t terms_left(emsecd *d)
{
    uint32_t n = 0u;
    emsec_mg_term_view v;
    ed_core_lock(d);
    for (uint32_t t = 0u; t < EMSEC_MG_MAX_TERMS; t++)
        if (emsec_mg_term_info(d->mg, (uint16_t)t, &v))
            n++;
    ed_core_unlock(d);
    return n;
}

/* SIGUSR1: out of service gracefully (H.248.1 §7.2.8 item 1). ServiceChange
 * Graceful on ROOT with no ServiceChangeDelay: a null delay, i.e. the
 * controller sets up no new session and lets the existing ones end
 * naturally (RFC 3525 §7.2.8, "ServiceChangeDelay"). The gateway keeps
 * relaying and executing commands (the Subtracts that end the sessions);
 * once no termination is left it stops as on SIGTERM (ServiceChange Forced,
 * which then releases nothing). A SIGTERM during the drain stops at once. */
void ed_drain_tick(emsecd *d)
{
    if (!d->draining) {
        if (!d->drain)
            return;
        d->draining = true;
        uint32_t n = terms_left(d);
        if (d->cfg.drain_delay_s == 0u)
            ed_log(NULL, "draining (SIGUSR1): %u termination(s) in use; ServiceChange Graceful, then stopping once "
                         "none is left",
                   (unsigned)n);
        else
            ed_log(NULL, "draining (SIGUSR1): %u termination(s) in use; ServiceChange Graceful with a delay of %u s, "
                         "then stopping once none is left or the delay expires",
                   (unsigned)n, (unsigned)d->cfg.drain_delay_s);
        (void)ed_sc_start(d, EMSEC_MG_SC_GRACEFUL);
        d->drain_check_ms = 0u;
        d->drain_end_ms = d->cfg.drain_delay_s == 0u ? 0u : ed_now_ms() + (uint64_t)d->cfg.drain_delay_s * 1000u;
    }
    uint64_t now = ed_now_ms();
    if (now < d->drain_check_ms)
        return;
    if (d->drain_end_ms != 0u && now >= d->drain_end_ms) {
        /* §7.2.8: at the delay's expiry the terminations go out of service:
         * the stop of SIGTERM (ServiceChange Forced, every session closed) */
        ed_log(NULL, "drain delay of %u s expired with %u termination(s) in use: stopping",
               (unsigned)d->cfg.drain_delay_s, (unsigned)terms_left(d));
        d->stop = 1;
        return;
    }
    d->drain_check_ms = now + ED_DRAIN_CHECK_MS;
    if (terms_left(d) > 0u)
        return;
    ed_log(NULL, "drained: no termination left, stopping");
    d->stop = 1;
}
