/*
 * emsecd: the controller's answers to the gateway's own requests (its Reply
 * or TransactionPending to a ServiceChange or a Notify), spotted in every
 * H.248 message before the core handles it.
 *
 * The message is decoded once here, into an arena of the daemon's own (the
 * core decodes it again into its model: its answer to a request must not
 * depend on this pass). What the decoded answers are for:
 *   - service.c: the Reply to a ServiceChange under way (registration,
 *     drain, shutdown), or a TransactionPending that holds its next repeat;
 *   - requests.c: the Reply or TransactionPending to a Notify kept for its
 *     repeats;
 *   - here: a Reply that asks for an immediate confirmation
 *     (ImmAckRequired, which a controller that sent TransactionPending
 *     SHALL put in its final response) gets a TransactionResponseAck at
 *     once, to where the Reply came from (RFC 3525 Annex D.1.4: "an
 *     immediate confirmation shall be sent"; the ack's syntax is Annex B's
 *     transactionResponseAck). Every such Reply is acknowledged, a repeat
 *     too: the controller repeats it only when our ack was lost. Over TCP
 *     Annex D.2.4 says there is "no need" for the confirmation; the
 *     controller asked for it all the same, so it gets it there too.
 * A message that does not decode is left to the core, which answers it with
 * an Error descriptor.
 */
#include <stdio.h>
#include <string.h>

#include "emsecd.h"

/* Does Reply node tr carry ImmAckRequired (B.2: first in its braces)? */
static bool wants_ack(const emsec_h248_msg *m, const emsec_h248_node *tr)
{
    for (uint32_t c = tr->child; c != 0u; c = m->nodes[c].next)
        if (m->nodes[c].item == EMSEC_H248_TOK_IMMACKREQUIRED)
            return true;
    return false;
}

/* One TransactionResponseAck for the Replies of m that ask for one, sent the
 * way the message came (UDP to its sender, or its TCP connection). */
static void ack_replies(emsecd *d, const char *msg, const emsec_h248_msg *m, const struct sockaddr_storage *from,
                        socklen_t from_len, int tcp_slot)
{
    /* the header, then one transactionAck (its TransactionID) per Reply:
     * at most ED_ACK_MAX of them, more than any controller puts in one
     * message; further ones wait for the Reply's repeat */
    enum { HEAD_MAX = 192, ACK_MAX_LEN = 12 /* ", " and 10 digits */ };
    char text[HEAD_MAX + ED_ACK_MAX * ACK_MAX_LEN + sizeof " }\n"];
    int n = snprintf(text, HEAD_MAX, "MEGACO/%u %s\nTransactionResponseAck {", (unsigned)m->version, d->cfg.mid);
    if (n < 0 || n >= HEAD_MAX)
        return; /* not reached: the core takes an mId of at most 127 bytes */
    uint32_t len = (uint32_t)n, acks = 0u;
    for (uint32_t ti = m->nodes[0].child; ti != 0u && acks < ED_ACK_MAX; ti = m->nodes[ti].next) {
        const emsec_h248_node *tr = &m->nodes[ti];
        if (tr->item != EMSEC_H248_TOK_REPLY || !wants_ack(m, tr) || tr->value.len > 10u)
            continue; /* (a TransactionID has at most 10 digits: the decoder's limit) */
        len += (uint32_t)snprintf(text + len, sizeof text - len, "%s %.*s", acks == 0u ? "" : ",",
                                  (int)tr->value.len, msg + tr->value.off);
        acks++;
    }
    if (acks == 0u)
        return;
    len += (uint32_t)snprintf(text + len, sizeof text - len, " }\n");
    if (ed_h248_send_to_sender(d, text, len, from, from_len, tcp_slot, "transaction response ack")) {
        d->met.h248_acks_sent += acks;
        ed_log(NULL, "h248 reply asked for an immediate confirmation: TransactionResponseAck sent for %u transaction(s)",
               (unsigned)acks);
    }
}

void ed_replies_seen(emsecd *d, const char *msg, uint32_t len, const struct sockaddr_storage *from,
                     socklen_t from_len, int tcp_slot)
{
    emsec_h248_msg m;
    emsec_h248_error err;
    if (len > EMSEC_H248_MAX_MESSAGE ||
        emsec_h248_decode(&m, msg, len, true, d->reply_nodes, EMSEC_MG_MAX_NODES, &err) != EMSEC_OK)
        return;
    if (d->sc.pending)
        ed_sc_seen(d, msg, &m);
    if (d->req.count > 0u)
        ed_req_seen(d, msg, &m);
    ack_replies(d, msg, &m, from, from_len, tcp_slot);
}
