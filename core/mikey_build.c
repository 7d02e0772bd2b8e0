/*
 * core/mikey_build.c: emsec_mikey_msg -> bytes (RFC 3830 §6, RFC 6043 §6).
 *
 * Every field is written from the model, and every length field is
 * recomputed from the span it announces, so a model the parser produced
 * comes back as the same bytes, and a model built by hand cannot announce
 * a length its data does not have. The writer never writes at or past its
 * capacity: it counts what it would write, so a short buffer reports the
 * size it needs (EMSEC_ERR_NO_SPACE).
 */
#include <string.h>

#include "mikey_internal.h"

/*@ predicate w_ok(mikey_w *w) =
      \valid(w) && (w->cap > 0 ==> \valid(w->out + (0 .. w->cap - 1))) &&
      \separated(w, w->out + (0 .. w->cap - 1));
*/

/* Proofs: proofs/run.sh proves the four writers below with WP and RTE:
 * they write only out[0, cap) and count every byte in need. */
/*@ requires w_ok(w);
    assigns w->need, w->overflow, w->out[0 .. w->cap - 1];
    ensures w_ok(w);
    ensures \old(w->need) < UINT32_MAX ==> w->need == \old(w->need) + 1;
    ensures \old(w->need) == UINT32_MAX ==> w->overflow && w->need == UINT32_MAX;
*/
void mikey_w_u8(mikey_w *w, uint8_t v)
{
    if (w->need == UINT32_MAX) {
        w->overflow = true;
        return;
    }
    if (w->need < w->cap)
        w->out[w->need] = v;
    w->need++;
}

/*@ requires w_ok(w);
    assigns w->need, w->overflow, w->out[0 .. w->cap - 1];
    ensures w_ok(w);
*/
void mikey_w_u16(mikey_w *w, uint16_t v)
{
    mikey_w_u8(w, (uint8_t)(v >> 8));
    mikey_w_u8(w, (uint8_t)v);
}

/*@ requires w_ok(w);
    assigns w->need, w->overflow, w->out[0 .. w->cap - 1];
    ensures w_ok(w);
*/
void mikey_w_u32(mikey_w *w, uint32_t v)
{
    mikey_w_u16(w, (uint16_t)(v >> 16));
    mikey_w_u16(w, (uint16_t)v);
}

/*@ requires w_ok(w);
    requires n > 0 ==> \valid_read(p + (0 .. n - 1));
    assigns w->need, w->overflow, w->out[0 .. w->cap - 1];
    ensures w_ok(w);
*/
void mikey_w_bytes(mikey_w *w, const uint8_t *p, uint32_t n)
{
    /*@ loop invariant 0 <= i <= n && w_ok(w);
        loop assigns i, w->need, w->overflow, w->out[0 .. w->cap - 1];
        loop variant n - i;
    */
    for (uint32_t i = 0; i < n; i++)
        mikey_w_u8(w, p[i]);
}

/* The model's spans must lie inside src and fit their length fields. */
typedef struct bld {
    mikey_w w;
    const uint8_t *src;
    uint32_t src_len;
    bool bad;             /* the model cannot be written */
} bld;

/*@ requires \valid_read(b);
    assigns \nothing;
    ensures \result <==> (s.len <= max_len && s.off <= b->src_len && s.len <= b->src_len - s.off);
*/
static bool span_ok(const bld *b, emsec_span s, uint32_t max_len)
{
    return s.len <= max_len && s.off <= b->src_len && s.len <= b->src_len - s.off;
}

/* Write the bytes of span s (checked against max_len, the width of the
 * length field that announces it, or its fixed size). */
static void put_span(bld *b, emsec_span s, uint32_t max_len)
{
    if (!span_ok(b, s, max_len)) {
        b->bad = true;
        return;
    }
    if (s.len > 0)
        mikey_w_bytes(&b->w, b->src + s.off, s.len);
}

static void put_len8_span(bld *b, emsec_span s)
{
    mikey_w_u8(&b->w, (uint8_t)s.len);
    put_span(b, s, 0xFFu);
}

static void put_len16_span(bld *b, emsec_span s)
{
    mikey_w_u16(&b->w, (uint16_t)s.len);
    put_span(b, s, 0xFFFFu);
}

/* A value whose size is fixed by an algorithm number must have that size. */
static void put_fixed(bld *b, emsec_span s, int len)
{
    if (len < 0 || s.len != (uint32_t)len) {
        b->bad = true;
        return;
    }
    put_span(b, s, (uint32_t)len);
}

static void put_hdr(bld *b, const emsec_mikey_payload *p)
{
    mikey_w *w = &b->w;
    if (p->n_cs > EMSEC_MIKEY_MAX_CS || p->cs_count != p->n_cs || p->prf > 0x7Fu) {
        b->bad = true;
        return;
    }
    mikey_w_u8(w, p->version);
    mikey_w_u8(w, p->data_type);
    mikey_w_u8(w, p->next);
    mikey_w_u8(w, (uint8_t)((p->v_flag ? 0x80u : 0u) | p->prf));
    mikey_w_u32(w, p->csb_id);
    mikey_w_u8(w, p->n_cs);
    mikey_w_u8(w, p->map_type);
    for (uint32_t i = 0; i < p->cs_count && i < EMSEC_MIKEY_MAX_CS; i++) {
        const emsec_mikey_cs *c = &p->cs[i];
        if (p->map_type == EMSEC_MIKEY_MAP_SRTP_ID) {
            /* RFC 3830 §6.1.1: Policy_no (8), SSRC || ROC (64) */
            put_fixed(b, c->policies, 1);
            put_fixed(b, c->session_data, 8);
        } else if (p->map_type == EMSEC_MIKEY_MAP_GENERIC_ID) {
            /* RFC 6043 §6.1.1 */
            if (c->policies.len > 0x7Fu) {
                b->bad = true;
                return;
            }
            mikey_w_u8(w, c->cs_id);
            mikey_w_u8(w, c->prot_type);
            mikey_w_u8(w, (uint8_t)((c->s_flag ? 0x80u : 0u) | c->policies.len));
            put_span(b, c->policies, 0x7Fu);
            put_len16_span(b, c->session_data);
            put_len8_span(b, c->spi);
        } else {
            b->bad = true;
        }
    }
}

static void put_key(bld *b, const emsec_mikey_key *k, uint8_t next)
{
    mikey_w *w = &b->w;
    if (k->type > 0x0Fu || k->kv > 0x0Fu || k->has_salt != mikey_key_has_salt(k->type)) {
        b->bad = true;
        return;
    }
    mikey_w_u8(w, next);
    mikey_w_u8(w, (uint8_t)((k->type << 4) | k->kv));
    put_len16_span(b, k->key);
    if (k->has_salt)
        put_len16_span(b, k->salt);
    if (k->kv == EMSEC_MIKEY_KV_SPI) {
        put_len8_span(b, k->kv_a);
    } else if (k->kv == EMSEC_MIKEY_KV_INTERVAL) {
        put_len8_span(b, k->kv_a);
        put_len8_span(b, k->kv_b);
    }
}

/* The key data chain of a NULL-encrypted KEMAC, written from key[]: its
 * length is only known once written, so it goes through a counting pass. */
static uint32_t key_chain_len(const bld *b, const emsec_mikey_payload *p)
{
    bld c = *b;
    c.w.out = NULL;
    c.w.cap = 0;
    c.w.need = 0;
    for (uint32_t i = 0; i < p->key_count && i < EMSEC_MIKEY_MAX_KEYS; i++)
        put_key(&c, &p->key[i], i + 1u < p->key_count ? EMSEC_MIKEY_PT_KEYDATA : 0u);
    return c.bad ? UINT32_MAX : c.w.need;
}

static void put_kemac(bld *b, const emsec_mikey_payload *p)
{
    mikey_w *w = &b->w;
    mikey_w_u8(w, p->encr_alg);
    if (p->encr_alg == EMSEC_MIKEY_ENCR_NULL) {
        uint32_t n = key_chain_len(b, p);
        if (p->key_count > EMSEC_MIKEY_MAX_KEYS || n > 0xFFFFu) {
            b->bad = true;
            return;
        }
        mikey_w_u16(w, (uint16_t)n);
        for (uint32_t i = 0; i < p->key_count; i++)
            put_key(b, &p->key[i], i + 1u < p->key_count ? EMSEC_MIKEY_PT_KEYDATA : 0u);
    } else {
        put_len16_span(b, p->data);
    }
    mikey_w_u8(w, p->alg);
    put_fixed(b, p->mac, mikey_mac_len(p->alg));
}

static void put_ticket(bld *b, const emsec_mikey_payload *p, bool is_ticket)
{
    mikey_w *w = &b->w;
    if (p->ticket_prf > 0x7Fu || p->ticket_flags > 0x1FFFFu) {
        b->bad = true;
        return;
    }
    mikey_w_u16(w, p->ticket_type);
    mikey_w_u8(w, p->subtype);
    mikey_w_u8(w, p->ticket_version);
    mikey_w_u8(w, (uint8_t)((p->ticket_prf << 1) | (p->ticket_flags >> 16)));
    mikey_w_u16(w, (uint16_t)p->ticket_flags);
    put_len16_span(b, p->tp_data);
    if (is_ticket) {
        put_len16_span(b, p->ticket_data);
        put_len16_span(b, p->initiator_data);
    }
}

static void put_payload(bld *b, const emsec_mikey_payload *p)
{
    mikey_w *w = &b->w;
    mikey_w_u8(w, p->next);
    switch (p->type) {
    case EMSEC_MIKEY_PT_KEMAC:
        put_kemac(b, p);
        break;
    case EMSEC_MIKEY_PT_TR:
        mikey_w_u8(w, p->role);
        /* fall through */
    case EMSEC_MIKEY_PT_T:
        mikey_w_u8(w, p->ts_type);
        put_fixed(b, p->data, mikey_ts_len(p->ts_type));
        break;
    case EMSEC_MIKEY_PT_IDR:
        mikey_w_u8(w, p->role);
        /* fall through */
    case EMSEC_MIKEY_PT_ID:
    case EMSEC_MIKEY_PT_CERT:
    case EMSEC_MIKEY_PT_GENEXT:
        mikey_w_u8(w, p->id_type);
        put_len16_span(b, p->data);
        break;
    case EMSEC_MIKEY_PT_CHASH:
        mikey_w_u8(w, p->alg);
        put_fixed(b, p->data, mikey_hash_len(p->alg));
        break;
    case EMSEC_MIKEY_PT_V:
        mikey_w_u8(w, p->alg);
        put_fixed(b, p->data, mikey_mac_len(p->alg));
        break;
    case EMSEC_MIKEY_PT_SP:
        mikey_w_u8(w, p->policy_no);
        mikey_w_u8(w, p->prot_type);
        put_len16_span(b, p->data);
        break;
    case EMSEC_MIKEY_PT_RANDR:
        mikey_w_u8(w, p->role);
        /* fall through */
    case EMSEC_MIKEY_PT_RAND:
        put_len8_span(b, p->data);
        break;
    case EMSEC_MIKEY_PT_ERR:
        mikey_w_u8(w, p->alg);
        mikey_w_u16(w, p->reserved);
        break;
    case EMSEC_MIKEY_PT_TP:
        put_ticket(b, p, false);
        break;
    case EMSEC_MIKEY_PT_TICKET:
        put_ticket(b, p, true);
        break;
    default:
        b->bad = true; /* HDR in the middle, PKE, DH, SIGN, key data, unknown */
        break;
    }
}

emsec_result emsec_mikey_build(const emsec_mikey_msg *msg, const uint8_t *src, uint32_t src_len,
                               uint8_t *out, uint32_t cap, uint32_t *out_len)
{
    bld b = {{out, cap, 0, false}, src, src_len, false};
    *out_len = 0;
    if ((out == NULL && cap != 0) || (src == NULL && src_len != 0) || msg->count == 0 ||
        msg->count > EMSEC_MIKEY_MAX_PAYLOADS || msg->payload[0].type != EMSEC_MIKEY_PT_HDR)
        return EMSEC_ERR_ARGUMENT;
    /* The chain must be what the next payload fields say (RFC 3830 §6.1:
     * each names the payload after it, the last says Last payload). */
    for (uint32_t i = 0; i < msg->count; i++) {
        uint8_t want = i + 1u < msg->count ? (uint8_t)msg->payload[i + 1u].type : 0u;
        if (msg->payload[i].next != want || (i > 0 && msg->payload[i].type == EMSEC_MIKEY_PT_HDR))
            return EMSEC_ERR_ARGUMENT;
    }
    put_hdr(&b, &msg->payload[0]);
    for (uint32_t i = 1; i < msg->count && !b.bad; i++)
        put_payload(&b, &msg->payload[i]);
    if (b.bad || b.w.overflow)
        return EMSEC_ERR_ARGUMENT;
    *out_len = b.w.need;
    return b.w.need > cap ? EMSEC_ERR_NO_SPACE : EMSEC_OK;
}
