/*
 * core/mikey_parse.c: MIKEY (RFC 3830 §6) and MIKEY-TICKET (RFC 6043 §6)
 * messages, bytes -> emsec_mikey_msg.
 *
 * A MIKEY message is a chain: the HDR comes first (RFC 3830 §6.1) and every
 * payload names the type of the one after it in its first byte ("next
 * payload"); 0 ends the chain. Most payloads carry their own length
 * fields; T, V, CHASH and the KEMAC MAC do not: their length follows from
 * an algorithm number (RFC 3830 §6.6, §6.9, §6.8, §6.2), so an unknown
 * algorithm there stops the walk (its end cannot be known).
 *
 * Every read goes through the reader below, which checks the bytes are
 * there before it reads them: a short input gives TRUNCATED at the offset
 * of the field that does not fit, never a read past the buffer. The walk
 * is a loop that moves forward by at least 2 bytes per payload and stops
 * at EMSEC_MIKEY_MAX_PAYLOADS, so no chain can loop.
 *
 * Proofs: proofs/run.sh (step "WP on the MIKEY reader and writer", list
 * MIKEY_FCT) proves the reader, the length tables and the map, key chain,
 * TICKET and SP walkers with WP and RTE; proofs/UNPROVED.md ("MIKEY") says
 * what is not proved and why.
 */
#include <string.h>

#include "mikey_internal.h"

/* A reader over buf[pos, end). Offsets stay absolute so that spans index
 * the caller's whole buffer, also inside a KEMAC. */
typedef struct rd {
    const uint8_t *buf;
    uint32_t pos;
    uint32_t end;
    emsec_mikey_error *err;
} rd;

/*@ predicate rd_ok(rd *r) =
      \valid(r) && \valid(r->err) && \separated(r, r->err) && r->pos <= r->end &&
      (r->end > 0 ==> \valid_read(r->buf + (0 .. r->end - 1)));
    predicate walk_pre(rd *r, emsec_mikey_payload *p) =
      rd_ok(r) && \valid(p) && \separated(p, r, r->err);
*/

/* Record the failure `why` at offset `at`; returns false so callers can
 * `return fail(...)`. The first failure is kept. */
/*@ requires \valid(err);
    assigns err->offset, err->why;
    ensures \result == false;
*/
static bool fail_at(emsec_mikey_error *err, uint32_t at, emsec_mikey_why why)
{
    err->offset = at;
    err->why = why;
    return false;
}

/*@ requires rd_ok(r);
    assigns r->err->offset, r->err->why;
    ensures \result <==> r->end - r->pos >= n;
*/
static bool need(rd *r, uint32_t n)
{
    if (r->end - r->pos < n)
        return fail_at(r->err, r->pos, EMSEC_MIKEY_TRUNCATED);
    return true;
}

/*@ requires rd_ok(r) && \valid(v) && \separated(v, r, r->err);
    assigns r->pos, *v, r->err->offset, r->err->why;
    ensures rd_ok(r);
    ensures \result ==> r->pos == \old(r->pos) + 1;
    ensures !\result ==> r->pos == \old(r->pos);
*/
static bool u8(rd *r, uint8_t *v)
{
    if (!need(r, 1u))
        return false;
    *v = r->buf[r->pos];
    r->pos += 1u;
    return true;
}

/*@ requires rd_ok(r) && \valid(v) && \separated(v, r, r->err);
    assigns r->pos, *v, r->err->offset, r->err->why;
    ensures rd_ok(r);
    ensures \result ==> r->pos == \old(r->pos) + 2;
    ensures !\result ==> r->pos == \old(r->pos);
*/
static bool u16(rd *r, uint16_t *v)
{
    if (!need(r, 2u))
        return false;
    *v = (uint16_t)(((uint32_t)r->buf[r->pos] << 8) | r->buf[r->pos + 1u]);
    r->pos += 2u;
    return true;
}

/*@ requires rd_ok(r) && \valid(v) && \separated(v, r, r->err);
    assigns r->pos, *v, r->err->offset, r->err->why;
    ensures rd_ok(r);
    ensures \result ==> r->pos == \old(r->pos) + 4;
    ensures !\result ==> r->pos == \old(r->pos);
*/
static bool u32(rd *r, uint32_t *v)
{
    if (!need(r, 4u))
        return false;
    *v = ((uint32_t)r->buf[r->pos] << 24) | ((uint32_t)r->buf[r->pos + 1u] << 16) |
         ((uint32_t)r->buf[r->pos + 2u] << 8) | r->buf[r->pos + 3u];
    r->pos += 4u;
    return true;
}

/* The next n bytes as a span. */
/*@ requires rd_ok(r) && \valid(s) && \separated(s, r, r->err);
    assigns r->pos, *s, r->err->offset, r->err->why;
    ensures rd_ok(r);
    ensures \result ==> s->off == \old(r->pos) && s->len == n &&
                        r->pos == \old(r->pos) + n && s->off + s->len <= r->end;
    ensures !\result ==> r->pos == \old(r->pos);
*/
static bool take(rd *r, uint32_t n, emsec_span *s)
{
    if (!need(r, n))
        return false;
    s->off = r->pos;
    s->len = n;
    r->pos += n;
    return true;
}

/* ---------------------------------------------------------------- tables */

/*@ assigns \nothing;
    ensures \result == -1 || \result == 4 || \result == 8;
*/
int mikey_ts_len(uint8_t ts_type)
{
    switch (ts_type) {
    case EMSEC_MIKEY_TS_NTP_UTC: return 8;    /* RFC 3830 Table 6.6 */
    case EMSEC_MIKEY_TS_NTP: return 8;
    case EMSEC_MIKEY_TS_COUNTER: return 4;
    case EMSEC_MIKEY_TS_NTP_UTC_32: return 4; /* RFC 6043 Table 6.8 */
    default: return -1;
    }
}

/*@ assigns \nothing;
    ensures \result == -1 || \result == 0 || \result == 20 || \result == 32;
*/
int mikey_mac_len(uint8_t mac_alg)
{
    switch (mac_alg) {
    case EMSEC_MIKEY_MAC_NULL: return 0;             /* RFC 3830 Table 6.2.b */
    case EMSEC_MIKEY_MAC_HMAC_SHA1_160: return 20;
    case EMSEC_MIKEY_MAC_HMAC_SHA256_256: return 32; /* RFC 6043 Table 6.6 */
    default: return -1;
    }
}

/*@ assigns \nothing;
    ensures \result == -1 || \result == 16 || \result == 20 || \result == 32;
*/
int mikey_hash_len(uint8_t hash_func)
{
    switch (hash_func) {
    case 0: return 20; /* SHA-1, RFC 3830 Table 6.8 */
    case 1: return 16; /* MD5 */
    case 2: return 32; /* SHA-256, RFC 6043 Table 6.12 */
    default: return -1;
    }
}

/*@ assigns \nothing;
    ensures \result <==> (type == 1 || type == 3 || type == 5);
*/
bool mikey_key_has_salt(uint8_t type)
{
    return type == EMSEC_MIKEY_KEY_TGK_SALT || type == EMSEC_MIKEY_KEY_TEK_SALT ||
           type == EMSEC_MIKEY_KEY_GTGK_SALT;
}

/* Data types of RFC 3830 Table 6.1.a and RFC 6043 Table 6.1. */
/*@ assigns \nothing;
    ensures \result <==> (dt <= 6 || (11 <= dt <= 18));
*/
static bool known_data_type(uint8_t dt)
{
    return dt <= EMSEC_MIKEY_DT_ERROR ||
           (dt >= EMSEC_MIKEY_DT_REQUEST_INIT_PSK && dt <= EMSEC_MIKEY_DT_RESOLVE_RESP);
}

const char *emsec_mikey_why_name(emsec_mikey_why why)
{
    switch (why) {
    case EMSEC_MIKEY_OK: return "ok";
    case EMSEC_MIKEY_TRUNCATED: return "truncated: a field runs past the end";
    case EMSEC_MIKEY_BAD_VERSION: return "HDR version is not 1 (RFC 3830 6.1)";
    case EMSEC_MIKEY_BAD_DATA_TYPE: return "HDR data type not assigned (RFC 3830 6.1, RFC 6043 6.1)";
    case EMSEC_MIKEY_BAD_MAP_TYPE: return "CS ID map type not SRTP-ID or GENERIC-ID";
    case EMSEC_MIKEY_TOO_MANY_CS: return "more crypto sessions than the limit";
    case EMSEC_MIKEY_UNKNOWN_PAYLOAD: return "next payload names no assigned payload";
    case EMSEC_MIKEY_UNSUPPORTED_PAYLOAD: return "payload (PKE, DH, SIGN) not used by this profile";
    case EMSEC_MIKEY_KEYDATA_OUTSIDE: return "key data sub-payload outside a KEMAC";
    case EMSEC_MIKEY_BAD_TS_TYPE: return "TS type unknown (RFC 3830 6.6)";
    case EMSEC_MIKEY_BAD_MAC_ALG: return "MAC / auth alg unknown (RFC 3830 6.2)";
    case EMSEC_MIKEY_BAD_HASH_FUNC: return "CHASH hash func unknown (RFC 3830 6.8)";
    case EMSEC_MIKEY_BAD_SP_PARAM: return "SP policy params are not whole Type/Length/Value (RFC 3830 6.10)";
    case EMSEC_MIKEY_BAD_KEY_TYPE: return "key data Type unknown (RFC 3830 6.13)";
    case EMSEC_MIKEY_BAD_KV: return "key data KV unknown (RFC 3830 6.13)";
    case EMSEC_MIKEY_BAD_KEY_CHAIN: return "key data next payload is not key data or last";
    case EMSEC_MIKEY_KEY_DATA_LEFT: return "bytes left in KEMAC after the last key data";
    case EMSEC_MIKEY_TOO_MANY_KEYS: return "more key data sub-payloads than the limit";
    case EMSEC_MIKEY_TOO_MANY_PAYLOADS: return "more payloads than the limit";
    case EMSEC_MIKEY_TRAILING_BYTES: return "bytes after the last payload";
    case EMSEC_MIKEY_AFTER_V: return "payload after V (V is last, RFC 3830 5.2)";
    default: return "?";
    }
}

const char *emsec_mikey_pt_name(emsec_mikey_pt pt)
{
    switch (pt) {
    case EMSEC_MIKEY_PT_LAST: return "LAST";
    case EMSEC_MIKEY_PT_KEMAC: return "KEMAC";
    case EMSEC_MIKEY_PT_PKE: return "PKE";
    case EMSEC_MIKEY_PT_DH: return "DH";
    case EMSEC_MIKEY_PT_SIGN: return "SIGN";
    case EMSEC_MIKEY_PT_T: return "T";
    case EMSEC_MIKEY_PT_ID: return "ID";
    case EMSEC_MIKEY_PT_CERT: return "CERT";
    case EMSEC_MIKEY_PT_CHASH: return "CHASH";
    case EMSEC_MIKEY_PT_V: return "V";
    case EMSEC_MIKEY_PT_SP: return "SP";
    case EMSEC_MIKEY_PT_RAND: return "RAND";
    case EMSEC_MIKEY_PT_ERR: return "ERR";
    case EMSEC_MIKEY_PT_TR: return "TR";
    case EMSEC_MIKEY_PT_IDR: return "IDR";
    case EMSEC_MIKEY_PT_RANDR: return "RANDR";
    case EMSEC_MIKEY_PT_TP: return "TP";
    case EMSEC_MIKEY_PT_TICKET: return "TICKET";
    case EMSEC_MIKEY_PT_KEYDATA: return "KEYDATA";
    case EMSEC_MIKEY_PT_GENEXT: return "GENEXT";
    case EMSEC_MIKEY_PT_HDR: return "HDR";
    default: return "?";
    }
}

/* ---------------------------------------------------------------- HDR */

/* RFC 3830 §6.1.1: #CS blocks of Policy_no (8) SSRC (32) ROC (32). */
/*@ requires walk_pre(r, p) && p->n_cs <= EMSEC_MIKEY_MAX_CS;
    assigns r->pos, p->cs[0 .. EMSEC_MIKEY_MAX_CS - 1], p->cs_count, r->err->offset, r->err->why;
    ensures rd_ok(r);
*/
static bool srtp_map(rd *r, emsec_mikey_payload *p)
{
    /*@ loop invariant 0 <= i <= p->n_cs && rd_ok(r);
        loop assigns i, r->pos, p->cs[0 .. EMSEC_MIKEY_MAX_CS - 1], p->cs_count,
                     r->err->offset, r->err->why;
        loop variant p->n_cs - i;
    */
    for (uint32_t i = 0; i < p->n_cs; i++) {
        emsec_mikey_cs *c = &p->cs[i];
        c->cs_id = (uint8_t)(i + 1u); /* RFC 3830 §6.1.1 NOTE: CS ID is i */
        c->prot_type = EMSEC_MIKEY_PROT_SRTP;
        c->s_flag = false;
        c->spi.off = r->pos;
        c->spi.len = 0;
        if (!take(r, 1u, &c->policies) || !take(r, 8u, &c->session_data))
            return false;
        p->cs_count = i + 1u;
    }
    return true;
}

/* RFC 6043 §6.1.1: one GENERIC-ID block: CS ID, Prot type, S|#P, Ps,
 * Session Data Length, Session Data, SPI Length, SPI. */
/*@ requires rd_ok(r) && \valid(c) && \separated(c, r, r->err);
    assigns r->pos, *c, r->err->offset, r->err->why;
    ensures rd_ok(r);
*/
static bool generic_cs(rd *r, emsec_mikey_cs *c)
{
    uint8_t sp = 0, spi_len = 0;
    uint16_t sd_len = 0;
    if (!u8(r, &c->cs_id) || !u8(r, &c->prot_type) || !u8(r, &sp))
        return false;
    c->s_flag = (sp & 0x80u) != 0;
    if (!take(r, sp & 0x7Fu, &c->policies) || !u16(r, &sd_len))
        return false;
    return take(r, sd_len, &c->session_data) && u8(r, &spi_len) && take(r, spi_len, &c->spi);
}

/* #CS GENERIC-ID blocks (RFC 6043 §6.1.1). */
/*@ requires walk_pre(r, p) && p->n_cs <= EMSEC_MIKEY_MAX_CS;
    assigns r->pos, p->cs[0 .. EMSEC_MIKEY_MAX_CS - 1], p->cs_count, r->err->offset, r->err->why;
    ensures rd_ok(r);
*/
static bool generic_map(rd *r, emsec_mikey_payload *p)
{
    /*@ loop invariant 0 <= i <= p->n_cs && rd_ok(r);
        loop assigns i, r->pos, p->cs[0 .. EMSEC_MIKEY_MAX_CS - 1], p->cs_count,
                     r->err->offset, r->err->why;
        loop variant p->n_cs - i;
    */
    for (uint32_t i = 0; i < p->n_cs; i++) {
        if (!generic_cs(r, &p->cs[i]))
            return false;
        p->cs_count = i + 1u;
    }
    return true;
}

/*@ requires walk_pre(r, p);
    assigns r->pos, *p, r->err->offset, r->err->why;
    ensures rd_ok(r);
*/
static bool hdr(rd *r, emsec_mikey_payload *p)
{
    uint8_t vp = 0;
    uint32_t start = r->pos;
    p->type = EMSEC_MIKEY_PT_HDR;
    if (!u8(r, &p->version))
        return false;
    if (p->version != EMSEC_MIKEY_VERSION)
        return fail_at(r->err, start, EMSEC_MIKEY_BAD_VERSION);
    if (!u8(r, &p->data_type))
        return false;
    if (!known_data_type(p->data_type))
        return fail_at(r->err, start + 1u, EMSEC_MIKEY_BAD_DATA_TYPE);
    if (!u8(r, &p->next) || !u8(r, &vp) || !u32(r, &p->csb_id) || !u8(r, &p->n_cs))
        return false;
    p->v_flag = (vp & 0x80u) != 0;
    p->prf = vp & 0x7Fu;
    if (p->n_cs > EMSEC_MIKEY_MAX_CS)
        return fail_at(r->err, r->pos - 1u, EMSEC_MIKEY_TOO_MANY_CS);
    uint32_t map_at = r->pos;
    if (!u8(r, &p->map_type))
        return false;
    uint32_t info_start = r->pos;
    if (p->map_type == EMSEC_MIKEY_MAP_SRTP_ID) {
        if (!srtp_map(r, p))
            return false;
    } else if (p->map_type == EMSEC_MIKEY_MAP_GENERIC_ID) {
        if (!generic_map(r, p))
            return false;
    } else {
        return fail_at(r->err, map_at, EMSEC_MIKEY_BAD_MAP_TYPE);
    }
    p->map_info.off = info_start;
    p->map_info.len = r->pos - info_start;
    return true;
}

/* ---------------------------------------------------------------- KEMAC */

/* One key data sub-payload (RFC 3830 §6.13, §6.14; types of RFC 6043
 * Table 6.7). */
/*@ requires rd_ok(r) && \valid(k) && \valid(next) && \separated(k, next, r, r->err);
    assigns r->pos, *k, *next, r->err->offset, r->err->why;
    ensures rd_ok(r);
    ensures \result ==> r->pos >= \old(r->pos) + 4;
*/
static bool key_data(rd *r, emsec_mikey_key *k, uint8_t *next)
{
    uint8_t tkv = 0;
    uint16_t klen = 0, slen = 0;
    uint8_t a = 0, b = 0;
    uint32_t at = r->pos;
    if (!u8(r, next))
        return false;
    if (*next != EMSEC_MIKEY_PT_KEYDATA && *next != EMSEC_MIKEY_PT_LAST)
        return fail_at(r->err, at, EMSEC_MIKEY_BAD_KEY_CHAIN);
    if (!u8(r, &tkv))
        return false;
    k->type = (uint8_t)(tkv >> 4);
    k->kv = tkv & 0x0Fu;
    if (k->type > EMSEC_MIKEY_KEY_MPK)
        return fail_at(r->err, at + 1u, EMSEC_MIKEY_BAD_KEY_TYPE);
    if (k->kv > EMSEC_MIKEY_KV_INTERVAL)
        return fail_at(r->err, at + 1u, EMSEC_MIKEY_BAD_KV);
    if (!u16(r, &klen) || !take(r, klen, &k->key))
        return false;
    k->has_salt = mikey_key_has_salt(k->type);
    k->salt.off = r->pos;
    k->salt.len = 0;
    if (k->has_salt && (!u16(r, &slen) || !take(r, slen, &k->salt)))
        return false;
    k->kv_a.off = k->kv_b.off = r->pos;
    k->kv_a.len = k->kv_b.len = 0;
    if (k->kv == EMSEC_MIKEY_KV_SPI)
        return u8(r, &a) && take(r, a, &k->kv_a);
    if (k->kv == EMSEC_MIKEY_KV_INTERVAL)
        return u8(r, &a) && take(r, a, &k->kv_a) && u8(r, &b) && take(r, b, &k->kv_b);
    return true;
}

/* With the NULL encryption the Encr data is the key data chain in clear
 * (RFC 3830 §6.2: "the last Key data payload has its Next payload field
 * set to Last payload"; an update may carry none). */
/*@ requires walk_pre(outer, p);
    requires p->data.off <= outer->end && p->data.len <= outer->end - p->data.off;
    assigns p->key_count, p->key[0 .. EMSEC_MIKEY_MAX_KEYS - 1],
            outer->err->offset, outer->err->why;
*/
static bool key_chain(rd *outer, emsec_mikey_payload *p)
{
    rd r = {outer->buf, p->data.off, p->data.off + p->data.len, outer->err};
    uint8_t next = EMSEC_MIKEY_PT_KEYDATA;
    p->key_count = 0;
    /*@ loop invariant rd_ok(&r) && r.end == p->data.off + p->data.len;
        loop invariant 0 <= p->key_count <= EMSEC_MIKEY_MAX_KEYS;
        loop assigns r.pos, next, p->key_count, p->key[0 .. EMSEC_MIKEY_MAX_KEYS - 1],
                     outer->err->offset, outer->err->why;
        loop variant r.end - r.pos;
    */
    while (r.pos < r.end) {
        if (next == EMSEC_MIKEY_PT_LAST)
            return fail_at(r.err, r.pos, EMSEC_MIKEY_KEY_DATA_LEFT);
        if (p->key_count >= EMSEC_MIKEY_MAX_KEYS)
            return fail_at(r.err, r.pos, EMSEC_MIKEY_TOO_MANY_KEYS);
        if (!key_data(&r, &p->key[p->key_count], &next))
            return false;
        p->key_count++;
    }
    if (p->key_count > 0 && next != EMSEC_MIKEY_PT_LAST)
        return fail_at(r.err, r.pos, EMSEC_MIKEY_TRUNCATED);
    return true;
}

/*@ requires walk_pre(r, p);
    assigns r->pos, *p, r->err->offset, r->err->why;
    ensures rd_ok(r);
*/
static bool kemac(rd *r, emsec_mikey_payload *p)
{
    uint16_t len = 0;
    uint32_t mac_at;
    int ml;
    if (!u8(r, &p->encr_alg) || !u16(r, &len) || !take(r, len, &p->data))
        return false;
    mac_at = r->pos;
    if (!u8(r, &p->alg))
        return false;
    ml = mikey_mac_len(p->alg);
    if (ml < 0)
        return fail_at(r->err, mac_at, EMSEC_MIKEY_BAD_MAC_ALG);
    if (!take(r, (uint32_t)ml, &p->mac))
        return false;
    if (p->encr_alg == EMSEC_MIKEY_ENCR_NULL)
        return key_chain(r, p);
    return true;
}

/* ---------------------------------------------------------------- others */

/* RFC 3830 §6.10: Policy param is a run of Type (8) Length (8) Value. */
/*@ requires rd_ok(r);
    requires s.off <= r->end && s.len <= r->end - s.off;
    assigns r->err->offset, r->err->why;
*/
static bool sp_params(rd *r, emsec_span s)
{
    uint32_t i = 0;
    /*@ loop invariant 0 <= i <= s.len;
        loop assigns i;
        loop variant s.len - i;
    */
    while (i < s.len) {
        if (s.len - i < 2u || s.len - i - 2u < r->buf[s.off + i + 1u])
            return fail_at(r->err, s.off + i, EMSEC_MIKEY_BAD_SP_PARAM);
        i += 2u + r->buf[s.off + i + 1u];
    }
    return true;
}

/* TICKET and TP (RFC 6043 §6.10). */
/*@ requires walk_pre(r, p);
    assigns r->pos, *p, r->err->offset, r->err->why;
    ensures rd_ok(r);
*/
static bool ticket(rd *r, emsec_mikey_payload *p, bool is_ticket)
{
    uint8_t pd = 0, f1 = 0, f2 = 0;
    uint16_t l = 0;
    if (!u16(r, &p->ticket_type) || !u8(r, &p->subtype) || !u8(r, &p->ticket_version) ||
        !u8(r, &pd) || !u8(r, &f1) || !u8(r, &f2))
        return false;
    p->ticket_prf = (uint8_t)(pd >> 1);
    p->ticket_flags = ((uint32_t)(pd & 1u) << 16) | ((uint32_t)f1 << 8) | f2;
    if (!u16(r, &l) || !take(r, l, &p->tp_data))
        return false;
    p->ticket_data.off = p->initiator_data.off = r->pos;
    p->ticket_data.len = p->initiator_data.len = 0;
    if (!is_ticket)
        return true;
    return u16(r, &l) && take(r, l, &p->ticket_data) && u16(r, &l) &&
           take(r, l, &p->initiator_data);
}

/* The body of one payload of type t (its next payload byte already read). */
/*@ requires walk_pre(r, p);
    assigns r->pos, *p, r->err->offset, r->err->why;
    ensures rd_ok(r);
*/
static bool body(rd *r, emsec_mikey_payload *p, uint32_t at)
{
    uint8_t l8 = 0;
    uint16_t l16 = 0;
    int n;
    switch (p->type) {
    case EMSEC_MIKEY_PT_KEMAC:
        return kemac(r, p);
    case EMSEC_MIKEY_PT_TR:
        if (!u8(r, &p->role))
            return false;
        /* fall through - the rest is the T payload's */
    case EMSEC_MIKEY_PT_T:
        if (!u8(r, &p->ts_type))
            return false;
        n = mikey_ts_len(p->ts_type);
        if (n < 0)
            return fail_at(r->err, r->pos - 1u, EMSEC_MIKEY_BAD_TS_TYPE);
        return take(r, (uint32_t)n, &p->data);
    case EMSEC_MIKEY_PT_IDR:
        if (!u8(r, &p->role))
            return false;
        /* fall through - ID Type, ID len, ID Data as in ID */
    case EMSEC_MIKEY_PT_ID:
    case EMSEC_MIKEY_PT_CERT:
        return u8(r, &p->id_type) && u16(r, &l16) && take(r, l16, &p->data);
    case EMSEC_MIKEY_PT_CHASH:
        if (!u8(r, &p->alg))
            return false;
        n = mikey_hash_len(p->alg);
        if (n < 0)
            return fail_at(r->err, r->pos - 1u, EMSEC_MIKEY_BAD_HASH_FUNC);
        return take(r, (uint32_t)n, &p->data);
    case EMSEC_MIKEY_PT_V:
        if (!u8(r, &p->alg))
            return false;
        n = mikey_mac_len(p->alg);
        if (n < 0)
            return fail_at(r->err, r->pos - 1u, EMSEC_MIKEY_BAD_MAC_ALG);
        return take(r, (uint32_t)n, &p->data);
    case EMSEC_MIKEY_PT_SP:
        return u8(r, &p->policy_no) && u8(r, &p->prot_type) && u16(r, &l16) &&
               take(r, l16, &p->data) && sp_params(r, p->data);
    case EMSEC_MIKEY_PT_RANDR:
        if (!u8(r, &p->role))
            return false;
        /* fall through - RAND len, RAND */
    case EMSEC_MIKEY_PT_RAND:
        return u8(r, &l8) && take(r, l8, &p->data);
    case EMSEC_MIKEY_PT_ERR:
        return u8(r, &p->alg) && u16(r, &p->reserved);
    case EMSEC_MIKEY_PT_TP:
        return ticket(r, p, false);
    case EMSEC_MIKEY_PT_TICKET:
        return ticket(r, p, true);
    case EMSEC_MIKEY_PT_GENEXT:
        /* RFC 3830 §6.15: Type (8), Length (16), Data */
        return u8(r, &p->id_type) && u16(r, &l16) && take(r, l16, &p->data);
    case EMSEC_MIKEY_PT_PKE:
    case EMSEC_MIKEY_PT_DH:
    case EMSEC_MIKEY_PT_SIGN:
        return fail_at(r->err, at, EMSEC_MIKEY_UNSUPPORTED_PAYLOAD);
    case EMSEC_MIKEY_PT_KEYDATA:
        return fail_at(r->err, at, EMSEC_MIKEY_KEYDATA_OUTSIDE);
    default:
        return fail_at(r->err, at, EMSEC_MIKEY_UNKNOWN_PAYLOAD);
    }
}

/*@ assigns \nothing; */
static emsec_result result_of(emsec_mikey_why why)
{
    switch (why) {
    case EMSEC_MIKEY_OK: return EMSEC_OK;
    case EMSEC_MIKEY_TRUNCATED: return EMSEC_ERR_INCOMPLETE;
    case EMSEC_MIKEY_TOO_MANY_CS:
    case EMSEC_MIKEY_TOO_MANY_KEYS:
    case EMSEC_MIKEY_TOO_MANY_PAYLOADS: return EMSEC_ERR_LIMIT;
    default: return EMSEC_ERR_SYNTAX;
    }
}

/*@ requires \valid(msg) && \valid(err) && \separated(msg, err);
    requires len > 0 ==> \valid_read(buf + (0 .. len - 1));
    assigns *msg, *err;
    ensures \result == EMSEC_OK ==> 1 <= msg->count <= EMSEC_MIKEY_MAX_PAYLOADS;
*/
emsec_result emsec_mikey_parse(const uint8_t *buf, uint32_t len, emsec_mikey_msg *msg,
                               emsec_mikey_error *err)
{
    rd r = {buf, 0, len, err};
    uint8_t next;
    err->offset = 0;
    err->why = EMSEC_MIKEY_OK;
    memset(msg, 0, sizeof *msg);
    if (buf == NULL && len != 0) {
        err->why = EMSEC_MIKEY_TRUNCATED;
        return EMSEC_ERR_ARGUMENT;
    }
    if (!hdr(&r, &msg->payload[0]))
        return result_of(err->why);
    msg->payload[0].whole.off = 0;
    msg->payload[0].whole.len = r.pos;
    msg->count = 1;
    next = msg->payload[0].next;
    /* Each pass reads at least the next payload byte and one more, so pos
     * grows by >= 2 and the loop ends; the count bounds it as well. */
    /*@ loop invariant 1 <= msg->count <= EMSEC_MIKEY_MAX_PAYLOADS;
        loop invariant rd_ok(&r) && r.err == err && r.end == len;
        loop assigns r.pos, next, msg->count, msg->payload[0 .. EMSEC_MIKEY_MAX_PAYLOADS - 1],
                     err->offset, err->why;
        loop variant EMSEC_MIKEY_MAX_PAYLOADS - msg->count;
    */
    while (next != EMSEC_MIKEY_PT_LAST) {
        uint32_t at = r.pos;
        emsec_mikey_payload *p;
        if (msg->payload[msg->count - 1u].type == EMSEC_MIKEY_PT_V)
            return (void)fail_at(err, at, EMSEC_MIKEY_AFTER_V), EMSEC_ERR_SYNTAX;
        if (msg->count >= EMSEC_MIKEY_MAX_PAYLOADS)
            return (void)fail_at(err, at, EMSEC_MIKEY_TOO_MANY_PAYLOADS), EMSEC_ERR_LIMIT;
        p = &msg->payload[msg->count];
        p->type = (emsec_mikey_pt)next;
        if (!u8(&r, &p->next) || !body(&r, p, at))
            return result_of(err->why);
        p->whole.off = at;
        p->whole.len = r.pos - at;
        msg->count++;
        next = p->next;
    }
    if (r.pos != len) {
        fail_at(err, r.pos, EMSEC_MIKEY_TRAILING_BYTES);
        return EMSEC_ERR_SYNTAX;
    }
    return EMSEC_OK;
}

/* ---------------------------------------------------------------- queries */

uint32_t emsec_mikey_find(const emsec_mikey_msg *msg, emsec_mikey_pt type, uint8_t role,
                          uint32_t n)
{
    for (uint32_t i = 0; i < msg->count && i < EMSEC_MIKEY_MAX_PAYLOADS; i++) {
        const emsec_mikey_payload *p = &msg->payload[i];
        if (p->type == type && (role == 0 || p->role == role)) {
            if (n == 0)
                return i;
            n--;
        }
    }
    return msg->count;
}

/* RFC 6043 §4.2.2: TRANSFER_INIT = HDR, T, RANDRi, [IDRi], [IDRr], {SP},
 * TICKET, [KEMAC], V; TRANSFER_RESP = HDR, T, [RANDRr], [IDRr],
 * [RANDRkms], {SP}, [KEMAC], V. Only what "MUST always include" and "the
 * last payload SHALL be V" say is checked: unexpected payloads "SHOULD be
 * ignored" (§4.2.2.2, §4.2.2.4). */
emsec_result emsec_mikey_check_transfer(const emsec_mikey_msg *msg, uint32_t *at)
{
    const uint32_t n = msg->count;
    *at = n;
    if (n < 2u || n > EMSEC_MIKEY_MAX_PAYLOADS || msg->payload[0].type != EMSEC_MIKEY_PT_HDR) {
        *at = 0;
        return EMSEC_ERR_REFUSED;
    }
    uint8_t dt = msg->payload[0].data_type;
    if (dt != EMSEC_MIKEY_DT_TRANSFER_INIT && dt != EMSEC_MIKEY_DT_TRANSFER_RESP) {
        *at = 0;
        return EMSEC_ERR_REFUSED;
    }
    if (emsec_mikey_find(msg, EMSEC_MIKEY_PT_T, 0, 0) == n)
        return EMSEC_ERR_REFUSED;
    if (dt == EMSEC_MIKEY_DT_TRANSFER_INIT &&
        (emsec_mikey_find(msg, EMSEC_MIKEY_PT_RANDR, EMSEC_MIKEY_ROLE_I, 0) == n ||
         emsec_mikey_find(msg, EMSEC_MIKEY_PT_TICKET, 0, 0) == n))
        return EMSEC_ERR_REFUSED;
    if (msg->payload[n - 1u].type != EMSEC_MIKEY_PT_V) {
        *at = n - 1u;
        return EMSEC_ERR_REFUSED;
    }
    return EMSEC_OK;
}
