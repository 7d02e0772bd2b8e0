/*
 * emsecd MSRP-aware relay: the core's FORWARD with msrp = 1 (include/emsec/
 * mg.h says when; DESIGN.md: optional, only when configured). The gateway is
 * the MSRP endpoint of each side (TR 29.828 §4.1.4): every message crossing
 * it, requests, responses and REPORTs alike, gets its To-Path and From-Path
 * rewritten by emsec_msrp_rewrite() (include/emsec/msrp.h) from the a=path
 * values of the two terminations' Local and Remote SDP. Body bytes are never
 * changed and never buffered whole: the framer hands them over as they
 * arrive.
 *
 * Per leg (ed_msrp in emsecd.h), for the direction read from it:
 *   in     bytes read, not yet framed (read only when empty: backpressure);
 *   hold   the rewritten header of the message being passed on, waiting for
 *          room in the other leg's out buffer;
 *   reply  481 responses to write back on this leg (RFC 4975 §7.3). They go
 *          into this leg's out buffer only between two messages of the other
 *          direction, which writes there too (never inside a message).
 * A byte is framed only when the other leg's out buffer has room for what
 * the event can produce (a body chunk is at most the bytes fed; an end-line
 * or held look-behind at most EMSEC_MSRP_MAX_END_LINE), and only when reply
 * has room for one more 481, so no event ever has nowhere to go.
 *
 * Refusals (RFC 4975 §7.3): a request whose paths do not match the session
 * is never forwarded; it is answered 481 on the leg it came from unless it
 * is a REPORT (§7.1.2: no responses to REPORT) or says Failure-Report: no
 * (§7.2, §7.3); its body is read and dropped. A response that does not
 * match is dropped. Each is logged with the termination and counted.
 * A framing error closes both legs (the core is told RESET on each, so it
 * releases them and tells the controller), logged with its rule and offset.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsecd.h"

#define ED_MSRP_ROUNDS   4096u  /* events per call at most: other legs get their turn */
/* one 481: start line, To-Path (at most the request's whole header block),
 * From-Path (one own URI), end-line */
#define ED_MSRP_481_MAX  (EMSEC_MSRP_MAX_HEADER + ED_MSRP_PATH_CAP + 128u)

_Static_assert(ED_MSRP_REPLY_CAP >= ED_MSRP_481_MAX, "reply holds at least one 481");

static ed_term *peer_leg(ed_worker *w, const ed_term *tm)
{
    return tm->peer < EMSEC_MG_MAX_TERMS && w->term[tm->peer].active ? &w->term[tm->peer] : NULL;
}

bool ed_msrp_pending(const ed_term *tm)
{
    const ed_msrp *m = tm->msrp;
    return m != NULL && !m->failed && (m->in_start < m->in_end || m->hold_start < m->hold_end);
}

void ed_msrp_free(ed_term *tm)
{
    free(tm->msrp);
    tm->msrp = NULL;
}

/* The session's four a=path values, copied into the leg's own state (the
 * SDP may change later; this relay keeps the paths it started with), then
 * checked and split once by emsec_msrp_prepare: every URI of every path an
 * MSRP-URI (RFC 4975 §9), own paths one URI each. A session that fails is
 * refused, logged with the termination, Local/Remote, the fault and where. */
static bool load_paths(ed_worker *w, ed_msrp *m, const uint16_t term[2])
{
    /* copied under the core's lock (the SDP is the core's); logged after */
    const char *missing = NULL, *name = NULL;
    uint32_t too_long = 0u;
    ed_core_lock(w->d);
    for (uint32_t s = 0u; s < 2u && missing == NULL; s++)
        for (uint32_t r = 0u; r < 2u && missing == NULL; r++) {
            const char *p = NULL;
            uint32_t len = 0u;
            name = w->term[term[s]].name;
            if (w->d->epoch[term[s]] != w->term[term[s]].epoch ||
                !emsec_mg_term_msrp_path(w->d->mg, term[s], r == 1u, &p, &len)) {
                missing = r == 1u ? "Remote" : "Local";
            } else if (len > ED_MSRP_PATH_CAP) {
                missing = r == 1u ? "Remote" : "Local";
                too_long = len;
            } else {
                memcpy(m->path[s][r], p, len);
                m->path_len[s][r] = len;
            }
        }
    ed_core_unlock(w->d);
    if (missing != NULL && too_long == 0u) {
        ed_log(name, "msrp-aware: no a=path value in its %s SDP", missing);
        return false;
    }
    if (missing != NULL) {
        ed_log(name, "msrp-aware: the %s a=path is %u bytes, over the relay's %u", missing, (unsigned)too_long,
               (unsigned)ED_MSRP_PATH_CAP);
        return false;
    }
    emsec_msrp_session sess;
    for (uint32_t s = 0u; s < 2u; s++) {
        sess.own[s].ptr = (const uint8_t *)m->path[s][0];
        sess.own[s].len = m->path_len[s][0];
        sess.peer[s].ptr = (const uint8_t *)m->path[s][1];
        sess.peer[s].len = m->path_len[s][1];
    }
    emsec_msrp_path_error e;
    emsec_result r = emsec_msrp_prepare(&sess, &m->sess, &e);
    if (r != EMSEC_OK) {
        const uint32_t s = e.side <= 1u ? e.side : 0u, pr = e.peer <= 1u ? e.peer : 0u;
        const uint32_t len = m->path_len[s][pr];
        ed_log(w->term[term[s]].name,
               "msrp-aware: session refused: the %s a=path is not %s (%s, %s at byte %u): %.*s",
               pr == 1u ? "Remote" : "Local", pr == 0u ? "one MSRP-URI" : "a list of MSRP-URIs",
               emsec_result_name(r), emsec_msrp_path_fault_name((emsec_msrp_path_fault)e.fault), (unsigned)e.offset,
               (int)(len > 200u ? 200u : len), m->path[s][pr]);
        return false;
    }
    return true;
}

bool ed_msrp_attach(ed_worker *w, uint16_t a, uint16_t b)
{
    ed_term *leg[2] = { &w->term[a], &w->term[b] };
    const uint16_t term[2] = { a, b };
    if (leg[0]->msrp != NULL && leg[1]->msrp != NULL)
        return true; /* a second FORWARD: the relay and what it holds go on */
    for (uint32_t s = 0u; s < 2u; s++) {
        ed_msrp_free(leg[s]);
        leg[s]->msrp = calloc(1, sizeof *leg[s]->msrp);
        if (leg[s]->msrp == NULL) {
            ed_log(leg[s]->name, "msrp-aware: out of memory");
            ed_msrp_free(leg[0]);
            ed_msrp_free(leg[1]);
            return false;
        }
        ed_msrp *m = leg[s]->msrp;
        m->side = s;
        if (!load_paths(w, m, term) || emsec_msrp_framer_init(&m->fr, &m->msg) != EMSEC_OK) {
            ed_msrp_free(leg[0]);
            ed_msrp_free(leg[1]);
            return false;
        }
    }
    ed_log(leg[0]->name, "msrp-aware: own %.*s | %.*s, peers %.*s | %.*s", (int)leg[0]->msrp->path_len[0][0],
           leg[0]->msrp->path[0][0], (int)leg[0]->msrp->path_len[1][0], leg[0]->msrp->path[1][0],
           (int)leg[0]->msrp->path_len[0][1], leg[0]->msrp->path[0][1], (int)leg[0]->msrp->path_len[1][1],
           leg[0]->msrp->path[1][1]);
    return true;
}

/* Append n bytes to an out buffer the caller checked has room. */
static void out_put(ed_buf *o, const uint8_t *src, uint32_t n)
{
    memcpy(o->data + o->end, src, n);
    o->end += n;
}

/* The 481 responses queued for leg tm go into its out buffer when the
 * direction that writes there is between two messages. */
static bool flush_replies(ed_worker *w, ed_term *tm)
{
    ed_msrp *m = tm->msrp;
    if (m == NULL || m->reply_len == 0u || !tm->fwd || tm->wr_shut)
        return false;
    ed_term *src = peer_leg(w, tm);
    if (src != NULL && src->msrp != NULL && src->msrp->mid)
        return false;
    if (ed_buf_room(w, &tm->out) < m->reply_len)
        return false;
    out_put(&tm->out, m->reply, m->reply_len);
    m->reply_len = 0u;
    return true;
}

/* The rewritten header into the peer's out buffer, as room allows. */
static bool flush_hold(ed_worker *w, ed_msrp *m, ed_term *p)
{
    uint32_t n = m->hold_end - m->hold_start;
    if (n == 0u)
        return false;
    uint32_t room = ed_buf_room(w, &p->out);
    if (room == 0u)
        return false;
    if (n > room)
        n = room;
    out_put(&p->out, m->hold + m->hold_start, n);
    m->hold_start += n;
    m->mid = true; /* bytes of this message are in the peer's stream now */
    if (m->hold_start == m->hold_end)
        m->hold_start = m->hold_end = 0u;
    return true;
}

/* Both legs end: a framing error on tm's stream (or a session the rewriter
 * refuses). The core hears RESET on each and releases them. */
static void fail_both(ed_worker *w, uint16_t t, const char *why)
{
    ed_term *tm = &w->term[t];
    ed_msrp *m = tm->msrp;
    m->failed = true;
    m->in_start = m->in_end = 0u;
    m->hold_start = m->hold_end = 0u;
    w->met.msrp_framing_errors++;
    ed_term *p = peer_leg(w, tm);
    ed_log(tm->name, "msrp-aware: %s: both legs closed (%s and %s)", why, tm->name, p != NULL ? p->name : "-");
    tm->rd_eof = true;
    ed_report(w, t, EMSEC_MG_EV_RESET);
    if (p != NULL && !p->rd_eof) {
        p->rd_eof = true;
        ed_report(w, tm->peer, EMSEC_MG_EV_RESET);
    }
}

static void framing_error(ed_worker *w, uint16_t t)
{
    emsec_msrp_error e = emsec_msrp_last_error(&w->term[t].msrp->fr);
    char why[128];
    snprintf(why, sizeof why, "framing error at stream offset %llu, rule %s", (unsigned long long)e.offset,
             emsec_msrp_rule_name(e.rule));
    fail_both(w, t, why);
}

/* The value of the request's From-Path header (all its URIs). */
static emsec_span from_path_value(const emsec_msrp_msg *msg)
{
    for (uint32_t i = 0u; i < msg->header_count && i < EMSEC_MSRP_MAX_HEADERS; i++)
        if (msg->headers[i].kind == EMSEC_MSRP_H_FROM_PATH)
            return msg->headers[i].value;
    return msg->from_path.uri[0];
}

/* RFC 4975 §7.2: the 481 to a request that arrived on tm: the transaction
 * id of the request; To-Path the first From-Path URI for a SEND, the whole
 * From-Path for other methods; From-Path the gateway's own URI on this leg;
 * end-line with "$" (a response is never chunked). */
static void queue_481(ed_worker *w, uint16_t t, const uint8_t *hdr, uint32_t hdr_len)
{
    ed_term *tm = &w->term[t];
    ed_msrp *m = tm->msrp;
    const emsec_msrp_msg *msg = &m->msg;
    emsec_span to = msg->method == EMSEC_MSRP_METHOD_SEND ? msg->from_path.uri[0] : from_path_value(msg);
    if ((uint64_t)msg->tid.off + msg->tid.len > hdr_len || (uint64_t)to.off + to.len > hdr_len) {
        ed_log(tm->name, "msrp-aware: 481 not sent: request spans outside its header");
        return;
    }
    char *r = (char *)m->reply + m->reply_len;
    size_t cap = ED_MSRP_REPLY_CAP - m->reply_len;
    int n = snprintf(r, cap, "MSRP %.*s 481 Session does not exist\r\nTo-Path: %.*s\r\nFrom-Path: %.*s\r\n-------%.*s$\r\n",
                     (int)msg->tid.len, (const char *)hdr + msg->tid.off, (int)to.len, (const char *)hdr + to.off,
                     (int)m->path_len[m->side][0], m->path[m->side][0], (int)msg->tid.len,
                     (const char *)hdr + msg->tid.off);
    if (n < 0 || (size_t)n >= cap) {
        /* cannot happen: process() framed only with ED_MSRP_481_MAX free */
        ed_log(tm->name, "msrp-aware: 481 not sent: no room");
        return;
    }
    m->reply_len += (uint32_t)n;
    w->met.msrp_refused[0]++;
    (void)flush_replies(w, tm);
}

static void on_header(ed_worker *w, uint16_t t, const emsec_msrp_event *ev)
{
    ed_term *tm = &w->term[t];
    ed_msrp *m = tm->msrp;
    const emsec_msrp_msg *msg = &m->msg;
    uint32_t out_len = 0u;
    emsec_msrp_verdict verdict = EMSEC_MSRP_DROP;
    emsec_result r = emsec_msrp_rewrite(&m->sess, m->side, msg, ev->data, ev->len, m->hold, ED_MSRP_HOLD_CAP,
                                        &out_len, &verdict);
    bool request = msg->kind == EMSEC_MSRP_REQUEST;
    int tl = (int)msg->tid.len;
    const char *tid = (const char *)ev->data + msg->tid.off;
    if (r == EMSEC_OK) {
        m->hold_start = 0u;
        m->hold_end = out_len;
        m->dropping = false;
        w->met.msrp_rewritten[request ? 0 : 1]++;
        return;
    }
    if (r != EMSEC_ERR_REFUSED) {
        char why[96];
        snprintf(why, sizeof why, "rewriting message %.*s failed: %s", tl, tid, emsec_result_name(r));
        fail_both(w, t, why);
        return;
    }
    m->dropping = true;
    if (verdict == EMSEC_MSRP_REFUSE_481) {
        /* RFC 4975 §7.1.2: no response to a REPORT; §7.3: none when
         * Failure-Report is "no" */
        bool silent = msg->method == EMSEC_MSRP_METHOD_REPORT || msg->failure_report == EMSEC_MSRP_REPORT_NO;
        ed_log(tm->name, "msrp-aware: request %.*s (%.*s) refused: To-Path/From-Path do not match the session; %s",
               tl, tid, (int)msg->method_name.len, (const char *)ev->data + msg->method_name.off,
               silent ? "dropped without response (RFC 4975 §7.1.2, §7.3)" : "answered 481, not forwarded");
        if (silent)
            w->met.msrp_refused[1]++;
        else
            queue_481(w, t, ev->data, ev->len);
    } else {
        ed_log(tm->name, "msrp-aware: response %.*s %u dropped: To-Path/From-Path do not match the session", tl, tid,
               (unsigned)msg->status);
        w->met.msrp_refused[2]++;
    }
}

/* Frame what is in `in` as far as the peer's out buffer (and the reply
 * queue) allow; true if anything moved. */
static bool process(ed_worker *w, uint16_t t)
{
    ed_term *tm = &w->term[t];
    ed_msrp *m = tm->msrp;
    ed_term *p = peer_leg(w, tm);
    /* 481s for this leg that found its out buffer full: retried here, on
     * every wake-up of the relay */
    bool moved = flush_replies(w, tm);
    for (uint32_t round = 0u; round < ED_MSRP_ROUNDS && p != NULL && !m->failed; round++) {
        if (m->hold_start < m->hold_end) {
            moved |= flush_hold(w, m, p);
            if (m->hold_start < m->hold_end)
                break;
        }
        if (m->in_start == m->in_end)
            break;
        uint32_t room = ed_buf_room(w, &p->out);
        if (room <= EMSEC_MSRP_MAX_END_LINE || ED_MSRP_REPLY_CAP - m->reply_len < ED_MSRP_481_MAX)
            break; /* resumed when the peer drains, or the other direction ends a message */
        uint32_t feed = m->in_end - m->in_start;
        if (feed > room - EMSEC_MSRP_MAX_END_LINE)
            feed = room - EMSEC_MSRP_MAX_END_LINE;
        uint32_t used = 0u;
        emsec_msrp_event ev;
        memset(&ev, 0, sizeof ev);
        if (emsec_msrp_feed(&m->fr, m->in + m->in_start, feed, &used, &ev) != EMSEC_OK) {
            framing_error(w, t);
            return true;
        }
        m->in_start += used;
        if (m->in_start == m->in_end)
            m->in_start = m->in_end = 0u;
        moved |= used > 0u;
        switch ((emsec_msrp_event_kind)ev.kind) {
        case EMSEC_MSRP_EV_HEADER:
            on_header(w, t, &ev);
            break;
        case EMSEC_MSRP_EV_BODY:
            if (!m->dropping && ev.len > 0u) {
                out_put(&p->out, ev.data, ev.len); /* ev.len <= feed or <= MAX_END_LINE: fits */
                m->mid = true;
                moved = true;
            }
            break;
        case EMSEC_MSRP_EV_END:
            if (!m->dropping) {
                out_put(&p->out, ev.data, ev.len);
                moved = true;
            }
            m->dropping = false;
            m->mid = false;
            moved |= flush_replies(w, p); /* a boundary in p's stream: its 481s may go */
            break;
        case EMSEC_MSRP_EV_NONE:
        default:
            break;
        }
    }
    return moved;
}

bool ed_msrp_read(ed_worker *w, uint16_t t)
{
    ed_term *tm = &w->term[t];
    ed_msrp *m = tm->msrp;
    if (m->failed)
        return false;
    bool moved = process(w, t);
    if (!m->failed && m->in_start == m->in_end && m->hold_start == m->hold_end && !tm->rd_eof) {
        uint32_t n = ed_relay_recv(w, t, m->in, ED_MSRP_IN_CAP);
        if (n > 0u) {
            m->in_start = 0u;
            m->in_end = n;
            moved = true;
            (void)process(w, t);
        }
    }
    if (tm->rd_eof && !m->failed && !m->eof_passed && !ed_msrp_pending(tm)) {
        m->eof_passed = true;
        if (emsec_msrp_finish(&m->fr) != EMSEC_OK) {
            emsec_msrp_error e = emsec_msrp_last_error(&m->fr);
            w->met.msrp_framing_errors++;
            ed_log(tm->name, "msrp-aware: the stream ended inside a message (offset %llu, %s); the end is passed on",
                   (unsigned long long)e.offset, emsec_msrp_rule_name(e.rule));
        }
    }
    return moved;
}

/* tm closes: what its framer already framed goes to the peer if it fits;
 * the rest is lost with it (logged). */
void ed_msrp_detach(ed_worker *w, uint16_t t)
{
    ed_term *tm = &w->term[t];
    if (tm->msrp == NULL || tm->msrp->failed)
        return;
    if (peer_leg(w, tm) != NULL)
        (void)process(w, t);
    ed_msrp *m = tm->msrp;
    uint32_t left = (m->in_end - m->in_start) + (m->hold_end - m->hold_start);
    if (left > 0u)
        ed_log(tm->name, "msrp-aware: %u bytes read from this leg not delivered: leg closed", (unsigned)left);
}
