/*
 * emsecd: the gateway's own requests to the --controller (the Notify of the
 * events the controller asked for), repeated until the controller answers.
 *
 * Over UDP a datagram may be lost; the sender of a transaction request is
 * the one that repeats it, with the same TransactionID, until the Reply
 * comes (RFC 3525 Annex D.1.1 and D.1.5; the receiver answers a repeat from
 * its reply cache, so nothing is executed twice). A Notify sent once and
 * lost would be a failure the controller never hears of. So a Notify to a
 * configured --controller is kept until a Reply with its TransactionID
 * arrives, and sent again after ED_SC_FIRST_MS, the interval doubling up to
 * ED_SC_MAX_MS, ED_SC_TRIES sends in all (the schedule of the registration,
 * service.c: the last repeat 19.5 s after the first send). A
 * TransactionPending from the controller (Annex D.1.4: the request is being
 * worked on) holds the next repeat back by ED_SC_MAX_MS. A request still
 * unanswered after the last send is logged as lost and counted, and the
 * gateway, concluding that the controller failed (Annex D.1.5, §11.5),
 * registers with it again: ServiceChange Disconnected (service.c; Restart
 * when it was never registered), unless a ServiceChange is under way
 * already or the gateway is stopping or draining. emsecd knows one controller, so
 * "the next MGC on its list" is that one again.
 *
 * Without --controller the requests go once to whoever sent the last
 * message (h248_udp.c): that sender need not be a controller that answers
 * (a one-shot tool, a test), and the gateway has no association to keep.
 * ServiceChange has its own retransmission (service.c) and does not come
 * through here.
 */
#include <stdlib.h>
#include <string.h>

#include "emsecd.h"

static void drop(emsecd *d, uint32_t i)
{
    free(d->req.r[i].text);
    d->req.r[i] = d->req.r[d->req.count - 1u];
    d->req.count--;
}

void ed_req_send(emsecd *d, const char *text, uint32_t len)
{
    /* a first send that failed (sendto: ENOBUFS, say; logged there) is kept
     * too: its repeats are its chance to arrive */
    (void)ed_h248_send_notify(d, text, len);
    if (!d->has_controller)
        return;
    uint32_t tid = ed_tid_of(text, len);
    if (tid == 0u)
        return; /* not a transaction request: nothing to wait for */
    char *copy = NULL;
    if (d->req.count == ED_REQ_MAX || (copy = malloc(len)) == NULL) {
        d->met.req_untracked++;
        ed_log(NULL, "h248 request transaction %u: sent once, not repeated (%s)", (unsigned)tid,
               copy == NULL && d->req.count < ED_REQ_MAX ? "out of memory" : "too many unanswered requests");
        return;
    }
    memcpy(copy, text, len);
    ed_req *r = &d->req.r[d->req.count++];
    r->tid = tid;
    r->tries = 1u;
    r->backoff = ED_SC_FIRST_MS;
    r->next_ms = ed_now_ms() + ED_SC_FIRST_MS;
    r->len = len;
    r->text = copy;
}

/* Does this message answer (Reply) or hold back (TransactionPending) one
 * of the requests waiting here? */
void ed_req_seen(emsecd *d, const char *msg, const emsec_h248_msg *m)
{
    for (uint32_t ti = m->nodes[0].child; ti != 0u; ti = m->nodes[ti].next) {
        const emsec_h248_node *tr = &m->nodes[ti];
        if (tr->item != EMSEC_H248_TOK_REPLY && tr->item != EMSEC_H248_TOK_PENDING)
            continue;
        uint32_t tid = ed_span_uint(msg, tr->value);
        for (uint32_t i = 0u; i < d->req.count; i++) {
            ed_req *r = &d->req.r[i];
            if (r->tid != tid)
                continue;
            if (tr->item == EMSEC_H248_TOK_PENDING) {
                r->next_ms = ed_now_ms() + ED_SC_MAX_MS;
                break;
            }
            d->met.req_answered++;
            if (r->tries > 1u)
                ed_log(NULL, "h248 request transaction %u: answered by the controller after %u sends", (unsigned)tid,
                       (unsigned)r->tries);
            drop(d, i);
            break;
        }
    }
}

void ed_req_tick(emsecd *d)
{
    uint64_t now = ed_now_ms();
    for (uint32_t i = 0u; i < d->req.count;) {
        ed_req *r = &d->req.r[i];
        if (now < r->next_ms) {
            i++;
            continue;
        }
        if (r->tries >= ED_SC_TRIES) {
            d->met.req_unanswered++;
            ed_log(NULL, "h248 request transaction %u: no reply from the controller after %u sends: the report is lost",
                   (unsigned)r->tid, (unsigned)r->tries);
            drop(d, i);
            if (!d->sc.pending && !d->stop && !d->draining)
                (void)ed_sc_start(d, ed_sc_again(d));
            continue;
        }
        r->tries++;
        d->met.req_repeated++;
        ed_log(NULL, "h248 request transaction %u: no reply yet, send %u (at most %u)", (unsigned)r->tid,
               (unsigned)r->tries, ED_SC_TRIES);
        (void)ed_h248_send_notify(d, r->text, r->len);
        r->backoff = r->backoff * 2u > ED_SC_MAX_MS ? ED_SC_MAX_MS : r->backoff * 2u;
        r->next_ms = now + r->backoff;
        i++;
    }
}

int ed_req_wait_ms(const emsecd *d, int wait)
{
    uint64_t now = ed_now_ms();
    for (uint32_t i = 0u; i < d->req.count; i++) {
        uint64_t n = d->req.r[i].next_ms;
        if (n <= now)
            return 0;
        if (n - now < (uint64_t)wait)
            wait = (int)(n - now);
    }
    return wait;
}

void ed_req_free(emsecd *d)
{
    while (d->req.count > 0u)
        drop(d, d->req.count - 1u);
}
