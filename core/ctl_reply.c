/*
 * core/ctl_reply.c: what the controller reads from the gateway: the reply
 * to its Add (context, terminations, the Local of each, or an Error), and
 * the gateway's Notify requests (ObservedEvents), which it answers.
 * Messages are decoded with the H.248 decoder (include/emsec/h248.h); the
 * tree is walked by index with a bounded stack.
 */
#include <string.h>

#include "ctl_internal.h"

#define WALK_DEPTH (EMSEC_H248_MAX_DEPTH + 4u)

/* The first node of `item` in the subtree under `root` (root excluded),
 * depth first in document order; 0 when none. */
static uint32_t find_under(const emsec_h248_msg *m, uint32_t root, uint16_t item)
{
    uint32_t stack[WALK_DEPTH];
    uint32_t sp = 0u;
    uint32_t n = m->nodes[root].child;
    while (n != 0u) {
        if (m->nodes[n].item == item)
            return n;
        if (m->nodes[n].child != 0u && sp < WALK_DEPTH) {
            stack[sp++] = m->nodes[n].next;
            n = m->nodes[n].child;
            continue;
        }
        n = m->nodes[n].next;
        while (n == 0u && sp > 0u)
            n = stack[--sp];
    }
    return 0u;
}

static bool copy_span(char *dst, uint32_t cap, const char *src, emsec_span sp)
{
    if (sp.len == 0u || sp.len >= cap)
        return false;
    memcpy(dst, src + sp.off, sp.len);
    dst[sp.len] = '\0';
    return true;
}

/* An octetString with `\}` unescaped (H.248.1 B.2). */
static bool copy_octets(char *dst, uint32_t cap, uint32_t *len, const char *src, emsec_span sp)
{
    uint32_t o = 0u;
    for (uint32_t i = 0u; i < sp.len; i++) {
        char c = src[sp.off + i];
        if (c == '\\' && i + 1u < sp.len && src[sp.off + i + 1u] == '}')
            continue;
        if (o >= cap)
            return false;
        dst[o++] = c;
    }
    *len = o;
    return o > 0u;
}

static emsec_result decode(const char *text, uint32_t len, emsec_h248_msg *m,
                           emsec_h248_node *nodes, uint32_t cap)
{
    emsec_h248_error e;
    if (len > EMSEC_H248_MAX_MESSAGE)
        return EMSEC_ERR_LIMIT;
    return emsec_h248_decode(m, text, len, true, nodes, cap, &e);
}

/* An Error descriptor: "Error 449: text". */
static emsec_result gateway_error(emsec_ctl_session *s, const emsec_h248_msg *m, const char *src,
                                  uint32_t err)
{
    char code[16] = "?", text[160] = "";
    (void)copy_span(code, sizeof code, src, m->nodes[err].value);
    uint32_t q = find_under(m, err, EMSEC_H248_ITEM_QUOTED);
    if (q != 0u)
        (void)copy_span(text, sizeof text, src, m->nodes[q].value);
    char msg[200];
    ctl_w w = { msg, sizeof msg - 1u, 0u, false };
    ctl_str(&w, code);
    ctl_str(&w, " \"");
    ctl_str(&w, text);
    ctl_str(&w, "\"");
    msg[w.len] = '\0';
    return ctl_refuse(s, EMSEC_CTL_REFUSAL_GATEWAY, "the gateway refused: Error ", msg,
                      "; setup aborted");
}

emsec_result emsec_ctl_on_add_reply(emsec_ctl_session *s, const char *offer, uint32_t offer_len,
                                    const char *reply, uint32_t len, emsec_h248_node *nodes,
                                    uint32_t cap)
{
    if (s->step != CTL_STEP_BEGUN)
        return ctl_refuse(s, EMSEC_CTL_REFUSAL_STATE, "an Add reply comes once, after the Add",
                          NULL, NULL);
    emsec_h248_msg m;
    if (decode(reply, len, &m, nodes, cap) != EMSEC_OK)
        return ctl_refuse(s, EMSEC_CTL_REFUSAL_GATEWAY, "the gateway's reply is not H.248 text",
                          NULL, NULL);
    uint32_t rep = find_under(&m, 0u, EMSEC_H248_TOK_REPLY);
    if (rep == 0u)
        return ctl_refuse(s, EMSEC_CTL_REFUSAL_GATEWAY, "the gateway's answer holds no Reply", NULL,
                          NULL);
    uint32_t err = find_under(&m, rep, EMSEC_H248_TOK_ERROR);
    if (err != 0u)
        return gateway_error(s, &m, reply, err);
    uint32_t ctx = find_under(&m, rep, EMSEC_H248_TOK_CTX);
    if (ctx == 0u || !copy_span(s->context, sizeof s->context, reply, m.nodes[ctx].value) ||
        strcmp(s->context, "$") == 0 || strcmp(s->context, "-") == 0)
        return ctl_refuse(s, EMSEC_CTL_REFUSAL_GATEWAY, "the Add reply names no context", NULL, NULL);
    uint32_t add1 = find_under(&m, ctx, EMSEC_H248_TOK_ADD);
    uint32_t add2 = add1 != 0u ? m.nodes[add1].next : 0u;
    if (add2 != 0u && m.nodes[add2].item != EMSEC_H248_TOK_ADD)
        add2 = 0u;
    uint32_t l1 = add1 != 0u ? find_under(&m, add1, EMSEC_H248_TOK_LOCAL) : 0u;
    uint32_t l2 = add2 != 0u ? find_under(&m, add2, EMSEC_H248_TOK_LOCAL) : 0u;
    if (l1 == 0u || l2 == 0u ||
        !copy_span(s->term_ue, sizeof s->term_ue, reply, m.nodes[add1].value) ||
        !copy_span(s->term_core, sizeof s->term_core, reply, m.nodes[add2].value) ||
        !copy_octets(s->local_ue, sizeof s->local_ue, &s->local_ue_len, reply, m.nodes[l1].text) ||
        !copy_octets(s->local_core, sizeof s->local_core, &s->local_core_len, reply,
                     m.nodes[l2].text))
        return ctl_refuse(s, EMSEC_CTL_REFUSAL_GATEWAY,
                          "the Add reply lacks a termination or its Local (two Adds, each "
                          "with the gateway's Local, were asked for)", NULL, NULL);
    uint32_t off, n;
    if (s->mode == EMSEC_CTL_E2AE &&
        !ctl_local_line(s->local_ue, s->local_ue_len, "a=fingerprint:", &off, &n))
        return ctl_refuse(s, EMSEC_CTL_REFUSAL_GATEWAY,
                          "the gateway's Local on the UE leg has no a=fingerprint: the UE "
                          "could not authenticate it; setup aborted", NULL, NULL);
    emsec_result r = ctl_parse_full(s, "the UE's SDP offer", offer, offer_len);
    if (r != EMSEC_OK)
        return r;
    if (s->offer_mi >= s->scratch.media_count)
        return ctl_refuse(s, EMSEC_CTL_REFUSAL_STATE, "the offer is not the one begin checked",
                          NULL, NULL);
    ctl_decide_ue_first(s, offer, s->offer_mi);
    s->step = CTL_STEP_ADDED;
    return EMSEC_OK;
}

emsec_result emsec_ctl_check_reply(emsec_ctl_session *s, const char *reply, uint32_t len,
                                   emsec_h248_node *nodes, uint32_t cap)
{
    emsec_h248_msg m;
    if (decode(reply, len, &m, nodes, cap) != EMSEC_OK)
        return ctl_refuse(s, EMSEC_CTL_REFUSAL_GATEWAY, "the gateway's reply is not H.248 text",
                          NULL, NULL);
    uint32_t rep = find_under(&m, 0u, EMSEC_H248_TOK_REPLY);
    uint32_t err = find_under(&m, 0u, EMSEC_H248_TOK_ERROR);
    if (err != 0u)
        return gateway_error(s, &m, reply, err);
    if (rep == 0u)
        return ctl_refuse(s, EMSEC_CTL_REFUSAL_GATEWAY, "the gateway's answer holds no Reply", NULL,
                          NULL);
    return EMSEC_OK;
}

emsec_result emsec_ctl_read_notify(const char *msg, uint32_t len, emsec_h248_node *nodes,
                                   uint32_t cap, emsec_ctl_event *ev)
{
    emsec_h248_msg m;
    memset(ev, 0, sizeof *ev);
    if (decode(msg, len, &m, nodes, cap) != EMSEC_OK)
        return EMSEC_ERR_SYNTAX;
    uint32_t tr = find_under(&m, 0u, EMSEC_H248_TOK_TRANS);
    if (tr == 0u)
        return EMSEC_ERR_REFUSED;
    uint32_t ctx = find_under(&m, tr, EMSEC_H248_TOK_CTX);
    uint32_t nt = ctx != 0u ? find_under(&m, ctx, EMSEC_H248_TOK_NOTIFY) : 0u;
    uint32_t oe = nt != 0u ? find_under(&m, nt, EMSEC_H248_TOK_OBSERVEDEVENTS) : 0u;
    uint32_t e = oe != 0u ? find_under(&m, oe, EMSEC_H248_ITEM_PKGD) : 0u;
    if (e == 0u)
        return EMSEC_ERR_REFUSED;
    const emsec_span v = m.nodes[tr].value;
    uint32_t id = 0u;
    for (uint32_t i = 0u; i < v.len && i < 9u; i++) {
        char c = msg[v.off + i];
        if (c < '0' || c > '9')
            return EMSEC_ERR_REFUSED;
        id = id * 10u + (uint32_t)(c - '0');
    }
    ev->transaction_id = id;
    if (!copy_span(ev->context, sizeof ev->context, msg, m.nodes[ctx].value) ||
        !copy_span(ev->term, sizeof ev->term, msg, m.nodes[nt].value) ||
        !copy_span(ev->event, sizeof ev->event, msg, m.nodes[e].name))
        return EMSEC_ERR_REFUSED;
    for (uint32_t p = m.nodes[e].child; p != 0u; p = m.nodes[p].next) {
        const emsec_span nm = m.nodes[p].name;
        if (nm.len == 5u && memcmp(msg + nm.off, "cause", 5) == 0)
            (void)copy_span(ev->cause, sizeof ev->cause, msg, m.nodes[p].value);
    }
    uint32_t el = (uint32_t)strlen(ev->event);
    /* tcpbcc/ef and tlsbsc/ef: an establishment failure (DESIGN.md packages) */
    ev->failure = el >= 3u && (ev->event[el - 1u] == 'f' || ev->event[el - 1u] == 'F') &&
                  (ev->event[el - 2u] == 'e' || ev->event[el - 2u] == 'E') && ev->event[el - 3u] == '/';
    return EMSEC_OK;
}

emsec_result emsec_ctl_write_notify_reply(const emsec_ctl_event *ev, const char *mid, char *out,
                                          uint32_t cap, uint32_t *out_len)
{
    ctl_w w = { out, cap, 0u, false };
    ctl_str(&w, "MEGACO/1 ");
    ctl_str(&w, mid);
    ctl_str(&w, "\nReply = ");
    ctl_u32(&w, ev->transaction_id);
    ctl_str(&w, " { Context = ");
    ctl_str(&w, ev->context);
    ctl_str(&w, " { Notify = ");
    ctl_str(&w, ev->term);
    ctl_str(&w, " } }\n");
    return ctl_done(&w, out_len);
}
