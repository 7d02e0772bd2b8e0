/*
 * core/sdp_internal.h: what the generated SDP machine (gen/sdp.c, from
 * spec/sdp.rl) calls, and what the glue (core/sdp_parse.c) shares with it.
 * Not a public header.
 *
 * The helpers are `static inline` so the compiler folds them into the
 * machine: no function call per byte, one per token at most. Each returns
 * false after recording the error (sdp_fail); the calling action then stops
 * the machine (fbreak).
 *
 * Common contract of every helper (ACSL requires later):
 *   - ps is valid, ps->out valid, ps->buf readable for every offset < the
 *     `off` it is given (the caller's buffer holds all bytes so far);
 *   - ps->m1 <= off for helpers that take the span [m1, off);
 *   - an attribute helper is only called inside an a= line, so
 *     ps->out->attr_count >= 1; a media helper only inside an m= line, so
 *     ps->out->media_count >= 1; a line end only after sdp_line_begin claimed
 *     a slot, so ps->out->line_count >= 1 (or attr_count for a=).
 *     That is a relation between the Ragel state and the counts, which Eva's
 *     non-relational domain does not keep; so the accessors of "the current
 *     attribute / media / line" check the count anyway (one compare and
 *     branch per token) and, if it is 0 (unreachable unless the caller broke
 *     a precondition, e.g. changed *out during a parse), fail with
 *     EMSEC_ERR_ARGUMENT / EMSEC_SDP_RULE_INPUT at the start of the line
 *     (sdp_fail_state). The helpers are therefore total.
 */
#ifndef EMSEC_SDP_INTERNAL_H
#define EMSEC_SDP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "emsec/result.h"
#include "emsec/sdp.h"

/* gen/sdp.c */
void emsec_sdp__machine_init(emsec_sdp_parser *ps);
void emsec_sdp__exec(emsec_sdp_parser *ps, const uint8_t *data, uint32_t n, uint32_t base);

/* ------------------------------------------------------------ order table
 * Line-order states (ps->order). 0 = nothing read yet. Session ranks follow
 * RFC 8866 §9: v o s i u e p c b (t r* z?)+ k a; media ranks: m i c b k a.
 * The table itself is sdp_order_next() in core/sdp_parse.c. */
enum {
    SDP_ORD_NONE = 0,
    SDP_ORD_V = 1, SDP_ORD_O, SDP_ORD_S, SDP_ORD_I, SDP_ORD_U, SDP_ORD_E, SDP_ORD_P,
    SDP_ORD_C, SDP_ORD_B, SDP_ORD_T, SDP_ORD_R, SDP_ORD_Z, SDP_ORD_K, SDP_ORD_A,
    SDP_ORD_M = 20, SDP_ORD_MI, SDP_ORD_MC, SDP_ORD_MB, SDP_ORD_MK, SDP_ORD_MA,
    SDP_ORD_REFUSE = 0xfe, /* sdp_order_next: not allowed here */
    SDP_ORD_NEXT = 0xff    /* sdp_order_next: H.248, a new description starts */
};

/* Next order state after a line of type `letter` in state `order`, or
 * SDP_ORD_REFUSE / SDP_ORD_NEXT. requires: mode valid. */
uint32_t emsec_sdp__order_next(uint32_t mode, uint32_t order, uint32_t letter);

/* Which field a sdp_field() call closes. */
typedef enum sdp_field_id {
    SDP_F_O_USER, SDP_F_O_SESS_ID, SDP_F_O_SESS_VER, SDP_F_O_NETTYPE, SDP_F_O_ADDRTYPE,
    SDP_F_O_ADDR, SDP_F_C_NETTYPE, SDP_F_C_ADDRTYPE, SDP_F_C_ADDR, SDP_F_M_MEDIA,
    SDP_F_M_PORT, SDP_F_M_COUNT, SDP_F_M_PROTO, SDP_F_M_FMTS, SDP_F_FP_HASH,
    SDP_F_FP_VALUE, SDP_F_FP_SPACE, SDP_F_TLS_ID, SDP_F_PATH_URI, SDP_F_ACCEPT_ENTRY,
    SDP_F_KM_PROTO, SDP_F_KM_DATA, SDP_F_CONFID, SDP_F_USERID, SDP_F_FLOOR_ID,
    SDP_F_FLOOR_STREAM, SDP_F_BFCPVER, SDP_F_PORT_CHOOSE, SDP_F_ATTR_CHOOSE
} sdp_field_id;

/* Classification tables (core/sdp_parse.c). Case-insensitive. */
emsec_sdp_proto emsec_sdp__proto_of(const uint8_t *s, uint32_t len);
emsec_sdp_hash emsec_sdp__hash_of(const uint8_t *s, uint32_t len);
uint32_t emsec_sdp__hash_bytes(emsec_sdp_hash h); /* 0 = unknown length */

#ifdef EMSEC_EVA_SDP_MACHINE
/*
 * Eva on the generated machine alone (proofs/sdp_machine_eva.c, run by
 * proofs/run.sh): the helpers the machine's actions call are seen only
 * through these contracts, so that Eva explores the 380-state DFA and not
 * the parser's whole output structure. The contracts over-approximate the
 * helpers below: each may write any value into any parser field that some
 * helper writes (one list, the union of them all), may succeed or fail, and none of them writes ps->cs (the Ragel state),
 * which the machine alone owns. What the helpers themselves do is tested by
 * tests/unit/test_sdp*.c and fuzz_sdp, not proved here (proofs/UNPROVED.md).
 */
/*@ requires \valid(ps);
    assigns ps->status, ps->err, ps->done, ps->rule, ps->crlf, ps->in_line, ps->m1, ps->m2,
            ps->m3, ps->num, ps->count, ps->order, ps->line_start, ps->val_start,
            ps->section, ps->letter
            \from ps->status, ps->rule, ps->order, ps->in_line, ps->letter, ps->crlf, ps->m1, ps->m2, ps->m3, ps->num, ps->count;
    assigns \result \from \nothing;
    ensures \result == 0; */
bool sdp_fail(emsec_sdp_parser *ps, emsec_sdp_rule rule, uint32_t off);
/*@ requires \valid(ps);
    assigns ps->status, ps->err, ps->done, ps->rule, ps->crlf, ps->in_line, ps->m1, ps->m2,
            ps->m3, ps->num, ps->count, ps->order, ps->line_start, ps->val_start,
            ps->section, ps->letter
            \from ps->status, ps->rule, ps->order, ps->in_line, ps->letter, ps->crlf, ps->m1, ps->m2, ps->m3, ps->num, ps->count;
    assigns \result \from ps->status, ps->rule, ps->order, ps->in_line, ps->letter, ps->crlf, ps->m1, ps->m2, ps->m3, ps->num, ps->count;
    ensures \result \in {0, 1}; */
bool sdp_line_begin(emsec_sdp_parser *ps, uint32_t letter, uint32_t off);
/*@ requires \valid(ps);
    assigns ps->status, ps->err, ps->done, ps->rule, ps->crlf, ps->in_line, ps->m1, ps->m2,
            ps->m3, ps->num, ps->count, ps->order, ps->line_start, ps->val_start,
            ps->section, ps->letter
            \from ps->status, ps->rule, ps->order, ps->in_line, ps->letter, ps->crlf, ps->m1, ps->m2, ps->m3, ps->num, ps->count; */
void sdp_value_begin(emsec_sdp_parser *ps, uint32_t off);
/*@ requires \valid(ps);
    assigns ps->status, ps->err, ps->done, ps->rule, ps->crlf, ps->in_line, ps->m1, ps->m2,
            ps->m3, ps->num, ps->count, ps->order, ps->line_start, ps->val_start,
            ps->section, ps->letter
            \from ps->status, ps->rule, ps->order, ps->in_line, ps->letter, ps->crlf, ps->m1, ps->m2, ps->m3, ps->num, ps->count;
    assigns \result \from ps->status, ps->rule, ps->order, ps->in_line, ps->letter, ps->crlf, ps->m1, ps->m2, ps->m3, ps->num, ps->count;
    ensures \result \in {0, 1}; */
bool sdp_attr_colon(emsec_sdp_parser *ps, emsec_sdp_attr_kind kind, uint32_t off);
/*@ requires \valid(ps);
    assigns ps->status, ps->err, ps->done, ps->rule, ps->crlf, ps->in_line, ps->m1, ps->m2,
            ps->m3, ps->num, ps->count, ps->order, ps->line_start, ps->val_start,
            ps->section, ps->letter
            \from ps->status, ps->rule, ps->order, ps->in_line, ps->letter, ps->crlf, ps->m1, ps->m2, ps->m3, ps->num, ps->count;
    assigns \result \from ps->status, ps->rule, ps->order, ps->in_line, ps->letter, ps->crlf, ps->m1, ps->m2, ps->m3, ps->num, ps->count;
    ensures \result \in {0, 1}; */
bool sdp_attr_property(emsec_sdp_parser *ps, emsec_sdp_attr_kind kind);
/*@ requires \valid(ps);
    assigns ps->status, ps->err, ps->done, ps->rule, ps->crlf, ps->in_line, ps->m1, ps->m2,
            ps->m3, ps->num, ps->count, ps->order, ps->line_start, ps->val_start,
            ps->section, ps->letter
            \from ps->status, ps->rule, ps->order, ps->in_line, ps->letter, ps->crlf, ps->m1, ps->m2, ps->m3, ps->num, ps->count;
    assigns \result \from ps->status, ps->rule, ps->order, ps->in_line, ps->letter, ps->crlf, ps->m1, ps->m2, ps->m3, ps->num, ps->count;
    ensures \result \in {0, 1}; */
bool sdp_attr_setup(emsec_sdp_parser *ps, emsec_sdp_setup v);
/*@ requires \valid(ps);
    assigns ps->status, ps->err, ps->done, ps->rule, ps->crlf, ps->in_line, ps->m1, ps->m2,
            ps->m3, ps->num, ps->count, ps->order, ps->line_start, ps->val_start,
            ps->section, ps->letter
            \from ps->status, ps->rule, ps->order, ps->in_line, ps->letter, ps->crlf, ps->m1, ps->m2, ps->m3, ps->num, ps->count;
    assigns \result \from ps->status, ps->rule, ps->order, ps->in_line, ps->letter, ps->crlf, ps->m1, ps->m2, ps->m3, ps->num, ps->count;
    ensures \result \in {0, 1}; */
bool sdp_attr_connval(emsec_sdp_parser *ps, emsec_sdp_connval v);
/*@ requires \valid(ps);
    assigns ps->status, ps->err, ps->done, ps->rule, ps->crlf, ps->in_line, ps->m1, ps->m2,
            ps->m3, ps->num, ps->count, ps->order, ps->line_start, ps->val_start,
            ps->section, ps->letter
            \from ps->status, ps->rule, ps->order, ps->in_line, ps->letter, ps->crlf, ps->m1, ps->m2, ps->m3, ps->num, ps->count;
    assigns \result \from ps->status, ps->rule, ps->order, ps->in_line, ps->letter, ps->crlf, ps->m1, ps->m2, ps->m3, ps->num, ps->count;
    ensures \result \in {0, 1}; */
bool sdp_attr_floorctrl(emsec_sdp_parser *ps, uint32_t bit);
/*@ requires \valid(ps);
    assigns ps->status, ps->err, ps->done, ps->rule, ps->crlf, ps->in_line, ps->m1, ps->m2,
            ps->m3, ps->num, ps->count, ps->order, ps->line_start, ps->val_start,
            ps->section, ps->letter
            \from ps->status, ps->rule, ps->order, ps->in_line, ps->letter, ps->crlf, ps->m1, ps->m2, ps->m3, ps->num, ps->count;
    assigns \result \from ps->status, ps->rule, ps->order, ps->in_line, ps->letter, ps->crlf, ps->m1, ps->m2, ps->m3, ps->num, ps->count;
    ensures \result \in {0, 1}; */
bool sdp_field(emsec_sdp_parser *ps, sdp_field_id f, uint32_t off);
/*@ requires \valid(ps);
    assigns ps->status, ps->err, ps->done, ps->rule, ps->crlf, ps->in_line, ps->m1, ps->m2,
            ps->m3, ps->num, ps->count, ps->order, ps->line_start, ps->val_start,
            ps->section, ps->letter
            \from ps->status, ps->rule, ps->order, ps->in_line, ps->letter, ps->crlf, ps->m1, ps->m2, ps->m3, ps->num, ps->count;
    assigns \result \from ps->status, ps->rule, ps->order, ps->in_line, ps->letter, ps->crlf, ps->m1, ps->m2, ps->m3, ps->num, ps->count;
    ensures \result \in {0, 1}; */
bool sdp_line_end(emsec_sdp_parser *ps, uint32_t off);
#else /* the helpers themselves */

static inline emsec_span sdp_span(uint32_t from, uint32_t to)
{
    emsec_span s;
    s.off = from;
    s.len = to - from;
    return s;
}

/* Record the first error; always returns false. */
static inline bool sdp_fail_code(emsec_sdp_parser *ps, emsec_result code, emsec_sdp_rule rule,
                                 uint32_t off)
{
    if (ps->status == EMSEC_OK) {
        ps->status = code;
        ps->err.offset = off;
        ps->err.rule = rule;
    }
    return false;
}

static inline bool sdp_fail(emsec_sdp_parser *ps, emsec_sdp_rule rule, uint32_t off)
{
    emsec_result code = EMSEC_ERR_SYNTAX;
    if (rule >= EMSEC_SDP_RULE_LIMIT_MEDIA && rule <= EMSEC_SDP_RULE_LIMIT_LINE_LEN) {
        code = EMSEC_ERR_LIMIT;
    }
    return sdp_fail_code(ps, code, rule, off);
}

/* Decimal value of buf[from, to) (digits only, checked by the grammar), or
 * false when it exceeds `max` (no overflow: at most 10 digits are summed). */
static inline bool sdp_u32(const emsec_sdp_parser *ps, uint32_t from, uint32_t to, uint32_t max,
                           uint32_t *out)
{
    uint64_t v = 0;
    if (to - from > 10u) {
        return false;
    }
    for (uint32_t i = from; i < to; i++) {
        v = v * 10u + (uint64_t)(ps->buf[i] - (uint8_t)'0');
    }
    if (v > max) {
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

/* The parser state contradicts itself (no current attribute / media / line
 * where the grammar guarantees one): unreachable for a caller that keeps the
 * preconditions (see the contract above). Always returns false. */
static inline bool sdp_fail_state(emsec_sdp_parser *ps)
{
    return sdp_fail_code(ps, EMSEC_ERR_ARGUMENT, EMSEC_SDP_RULE_INPUT, ps->line_start);
}

/* The attribute of the a= line being read, or NULL (error recorded) if there
 * is none. */
static inline emsec_sdp_attr *sdp_cur_attr(emsec_sdp_parser *ps)
{
    const uint32_t n = ps->out->attr_count;
    if (n == 0u || n > EMSEC_SDP_MAX_ATTRS) {
        (void)sdp_fail_state(ps);
        return NULL;
    }
    return &ps->out->attrs[n - 1u];
}

/* The media of the m= line being read, or NULL (error recorded). */
static inline emsec_sdp_media *sdp_cur_media(emsec_sdp_parser *ps)
{
    const uint32_t n = ps->out->media_count;
    if (n == 0u || n > EMSEC_SDP_MAX_MEDIA) {
        (void)sdp_fail_state(ps);
        return NULL;
    }
    return &ps->out->media[n - 1u];
}

/* The line being read (not a=), or NULL (error recorded). */
static inline emsec_sdp_line *sdp_cur_line(emsec_sdp_parser *ps)
{
    const uint32_t n = ps->out->line_count;
    if (n == 0u || n > EMSEC_SDP_MAX_LINES) {
        (void)sdp_fail_state(ps);
        return NULL;
    }
    return &ps->out->lines[n - 1u];
}

/* The rule that the value of a line of type `letter` follows. */
static inline uint32_t sdp_rule_of_letter(uint32_t letter)
{
    switch (letter) {
    case 'v': return EMSEC_SDP_RULE_VERSION;
    case 'o': return EMSEC_SDP_RULE_ORIGIN;
    case 's': return EMSEC_SDP_RULE_SESSION_NAME;
    case 'i': return EMSEC_SDP_RULE_INFORMATION;
    case 'u': return EMSEC_SDP_RULE_URI;
    case 'e': return EMSEC_SDP_RULE_EMAIL;
    case 'p': return EMSEC_SDP_RULE_PHONE;
    case 'c': return EMSEC_SDP_RULE_CONNECTION;
    case 'b': return EMSEC_SDP_RULE_BANDWIDTH;
    case 't': return EMSEC_SDP_RULE_TIME;
    case 'r': return EMSEC_SDP_RULE_REPEAT;
    case 'z': return EMSEC_SDP_RULE_ZONE;
    case 'k': return EMSEC_SDP_RULE_KEY;
    case 'a': return EMSEC_SDP_RULE_ATTRIBUTE;
    case 'm': return EMSEC_SDP_RULE_MEDIA;
    default: return EMSEC_SDP_RULE_LINE;
    }
}

/* The letter of a line was read at `off`: check the order, claim a slot. */
static inline bool sdp_line_begin(emsec_sdp_parser *ps, uint32_t letter, uint32_t off)
{
    emsec_sdp *out = ps->out;
    uint32_t next = emsec_sdp__order_next(ps->mode, ps->order, letter);

    ps->in_line = 1u;
    ps->line_start = off;
    ps->letter = letter;
    ps->crlf = 0u;
    ps->rule = EMSEC_SDP_RULE_LINE;
    if (next == SDP_ORD_NEXT) {
        out->has_next = 1u;
        out->next = off;
        ps->done = 1u;
        ps->in_line = 0u;
        return false;
    }
    if (next == SDP_ORD_REFUSE) {
        return sdp_fail(ps, EMSEC_SDP_RULE_LINE_ORDER, off);
    }
    ps->order = next;
    if (letter == 'a') {
        if (out->attr_count >= EMSEC_SDP_MAX_ATTRS) {
            return sdp_fail(ps, EMSEC_SDP_RULE_LIMIT_ATTRS, off);
        }
        if (ps->section > EMSEC_SDP_MAX_MEDIA) {
            return sdp_fail_state(ps); /* unreachable: section <= media_count */
        }
        emsec_sdp_attr *a = &out->attrs[out->attr_count];
        memset(a, 0, sizeof *a);
        a->section = (uint16_t)ps->section;
        out->attr_count++;
        if (ps->section == 0u) {
            out->session_attr_count++;
        } else {
            out->media[ps->section - 1u].attr_count++;
        }
        return true;
    }
    if (letter == 'm') {
        if (out->media_count >= EMSEC_SDP_MAX_MEDIA) {
            return sdp_fail(ps, EMSEC_SDP_RULE_LIMIT_MEDIA, off);
        }
    }
    if (out->line_count >= EMSEC_SDP_MAX_LINES) {
        return sdp_fail(ps, EMSEC_SDP_RULE_LIMIT_LINES, off);
    }
    if (letter == 'm') {
        emsec_sdp_media *m = &out->media[out->media_count];
        memset(m, 0, sizeof *m);
        m->attr_first = (uint16_t)out->attr_count;
        out->media_count++;
        ps->section = out->media_count;
    } else if (letter == 'c' && ps->section != 0u) {
        if (ps->section > EMSEC_SDP_MAX_MEDIA) {
            return sdp_fail_state(ps); /* unreachable: section <= media_count */
        }
        emsec_sdp_media *m = &out->media[ps->section - 1u];
        if (m->conn_count < UINT8_MAX) {
            m->conn_count++;
        }
    }
    emsec_sdp_line *l = &out->lines[out->line_count];
    l->value = sdp_span(off, off);
    l->section = (uint16_t)ps->section;
    l->type = (uint8_t)letter;
    l->crlf = 0u;
    out->line_count++;
    return true;
}

/* The '=' of a line was read; the value begins at `off`. */
static inline void sdp_value_begin(emsec_sdp_parser *ps, uint32_t off)
{
    ps->val_start = off;
    ps->rule = sdp_rule_of_letter(ps->letter);
}

/* a=NAME: read at `off` (the colon). */
static inline bool sdp_attr_colon(emsec_sdp_parser *ps, emsec_sdp_attr_kind kind, uint32_t off)
{
    static const uint8_t rule_of_kind[EMSEC_SDP_ATTR__COUNT] = {
        [EMSEC_SDP_ATTR_UNKNOWN] = EMSEC_SDP_RULE_ATTRIBUTE,
        [EMSEC_SDP_ATTR_SETUP] = EMSEC_SDP_RULE_SETUP,
        [EMSEC_SDP_ATTR_CONNECTION] = EMSEC_SDP_RULE_CONNECTION_ATTR,
        [EMSEC_SDP_ATTR_FINGERPRINT] = EMSEC_SDP_RULE_FINGERPRINT_HASH,
        [EMSEC_SDP_ATTR_TLS_ID] = EMSEC_SDP_RULE_TLS_ID,
        [EMSEC_SDP_ATTR_PATH] = EMSEC_SDP_RULE_PATH_URI,
        [EMSEC_SDP_ATTR_ACCEPT_TYPES] = EMSEC_SDP_RULE_ACCEPT_TYPES,
        [EMSEC_SDP_ATTR_MSRP_CEMA] = EMSEC_SDP_RULE_MSRP_CEMA,
        [EMSEC_SDP_ATTR_KEY_MGMT] = EMSEC_SDP_RULE_KEY_MGMT_PROTOCOL,
        [EMSEC_SDP_ATTR_FLOORCTRL] = EMSEC_SDP_RULE_FLOORCTRL,
        [EMSEC_SDP_ATTR_CONFID] = EMSEC_SDP_RULE_CONFID,
        [EMSEC_SDP_ATTR_USERID] = EMSEC_SDP_RULE_USERID,
        [EMSEC_SDP_ATTR_FLOORID] = EMSEC_SDP_RULE_FLOORID,
        [EMSEC_SDP_ATTR_BFCPVER] = EMSEC_SDP_RULE_BFCPVER,
    };
    emsec_sdp_attr *a = sdp_cur_attr(ps);
    if (a == NULL) {
        return false;
    }
    a->name = sdp_span(ps->val_start, off);
    a->has_value = 1u;
    a->kind = (uint8_t)kind;
    ps->m3 = off + 1u;
    ps->count = 0u;
    ps->rule = rule_of_kind[kind];
    return true;
}

/* An attribute known by its name alone (a=msrp-cema). */
static inline bool sdp_attr_property(emsec_sdp_parser *ps, emsec_sdp_attr_kind kind)
{
    emsec_sdp_attr *a = sdp_cur_attr(ps);
    if (a == NULL) {
        return false;
    }
    a->kind = (uint8_t)kind;
    return true;
}

static inline bool sdp_attr_setup(emsec_sdp_parser *ps, emsec_sdp_setup v)
{
    emsec_sdp_attr *a = sdp_cur_attr(ps);
    if (a == NULL) {
        return false;
    }
    a->u.setup = v;
    return true;
}

static inline bool sdp_attr_connval(emsec_sdp_parser *ps, emsec_sdp_connval v)
{
    emsec_sdp_attr *a = sdp_cur_attr(ps);
    if (a == NULL) {
        return false;
    }
    a->u.connection = v;
    return true;
}

static inline bool sdp_attr_floorctrl(emsec_sdp_parser *ps, uint32_t bit)
{
    emsec_sdp_attr *a = sdp_cur_attr(ps);
    if (a == NULL) {
        return false;
    }
    a->u.floorctrl |= bit;
    return true;
}

/* `$` or `-` standing alone for a value: only in H.248 mode. */
static inline bool sdp_choice_of(const emsec_sdp_parser *ps, uint32_t at, uint8_t *choice)
{
    if (ps->mode != EMSEC_SDP_MODE_H248) {
        return false;
    }
    *choice = ps->buf[at] == (uint8_t)'$' ? (uint8_t)EMSEC_SDP_CHOOSE
                                          : (uint8_t)EMSEC_SDP_UNSPECIFIED;
    return true;
}

/* H.248: is buf[from, to) exactly `$` or `-`? Then record it. */
static inline void sdp_addr_choice(const emsec_sdp_parser *ps, uint32_t from, uint32_t to,
                                   uint8_t *choice)
{
    if (ps->mode == EMSEC_SDP_MODE_H248 && to - from == 1u &&
        (ps->buf[from] == (uint8_t)'$' || ps->buf[from] == (uint8_t)'-')) {
        *choice = ps->buf[from] == (uint8_t)'$' ? (uint8_t)EMSEC_SDP_CHOOSE
                                                : (uint8_t)EMSEC_SDP_UNSPECIFIED;
    }
}

/* The c= target of the current section, or NULL (error recorded) if the
 * section number is out of range (unreachable: it is set from media_count). */
static inline emsec_sdp_conn *sdp_cur_conn(emsec_sdp_parser *ps)
{
    const uint32_t sec = ps->section;
    if (sec == 0u) {
        return &ps->out->conn;
    }
    if (sec > EMSEC_SDP_MAX_MEDIA) {
        (void)sdp_fail_state(ps);
        return NULL;
    }
    return &ps->out->media[sec - 1u].conn;
}

bool emsec_sdp__field_rare(emsec_sdp_parser *ps, sdp_field_id f, uint32_t off);

/* A field [ps->m1, off) ended (or, for *_CHOOSE and FP_SPACE, the byte at
 * `off` / `off - 1` was read). Stores it; false (error recorded) if refused. */
static inline bool sdp_field(emsec_sdp_parser *ps, sdp_field_id f, uint32_t off)
{
    emsec_sdp *out = ps->out;
    emsec_span s = sdp_span(ps->m1, off);

    switch (f) {
    case SDP_F_O_USER: out->origin.username = s; out->origin.present = 1u; return true;
    case SDP_F_O_SESS_ID: out->origin.sess_id = s; return true;
    case SDP_F_O_SESS_VER: out->origin.sess_version = s; return true;
    case SDP_F_O_NETTYPE: out->origin.nettype = s; return true;
    case SDP_F_O_ADDRTYPE: out->origin.addrtype = s; return true;
    case SDP_F_O_ADDR:
        out->origin.address = s;
        sdp_addr_choice(ps, s.off, off, &out->origin.address_choice);
        return true;
    case SDP_F_C_NETTYPE: {
        emsec_sdp_conn *c = sdp_cur_conn(ps);
        if (c == NULL) {
            return false;
        }
        if (c->present == 0u) {
            c->nettype = s;
        }
        return true;
    }
    case SDP_F_C_ADDRTYPE: {
        emsec_sdp_conn *c = sdp_cur_conn(ps);
        if (c == NULL) {
            return false;
        }
        if (c->present == 0u) {
            c->addrtype = s;
        }
        return true;
    }
    case SDP_F_C_ADDR: {
        emsec_sdp_conn *c = sdp_cur_conn(ps);
        if (c == NULL) {
            return false;
        }
        if (c->present == 0u) {
            c->address = s;
            c->present = 1u;
            sdp_addr_choice(ps, s.off, off, &c->address_choice);
        }
        return true;
    }
    case SDP_F_M_MEDIA: {
        emsec_sdp_media *m = sdp_cur_media(ps);
        if (m == NULL) {
            return false;
        }
        m->media = s;
        return true;
    }
    case SDP_F_M_PORT: {
        emsec_sdp_media *m = sdp_cur_media(ps);
        if (m == NULL) {
            return false;
        }
        m->port = s;
        if (!sdp_u32(ps, s.off, off, 65535u, &m->port_value)) {
            return sdp_fail(ps, EMSEC_SDP_RULE_PORT, s.off);
        }
        return true;
    }
    case SDP_F_PORT_CHOOSE: {
        emsec_sdp_media *m = sdp_cur_media(ps);
        if (m == NULL) {
            return false;
        }
        m->port = sdp_span(off, off + 1u);
        if (!sdp_choice_of(ps, off, &m->port_choice)) {
            return sdp_fail(ps, EMSEC_SDP_RULE_CHOOSE, off);
        }
        return true;
    }
    case SDP_F_M_COUNT: {
        emsec_sdp_media *m = sdp_cur_media(ps);
        if (m == NULL) {
            return false;
        }
        m->port_count = s;
        if (!sdp_u32(ps, s.off, off, 65535u, &m->port_count_value)) {
            return sdp_fail(ps, EMSEC_SDP_RULE_PORT, s.off);
        }
        return true;
    }
    case SDP_F_M_PROTO: {
        emsec_sdp_media *m = sdp_cur_media(ps);
        if (m == NULL) {
            return false;
        }
        m->proto_span = s;
        m->proto = emsec_sdp__proto_of(ps->buf + s.off, s.len);
        return true;
    }
    case SDP_F_M_FMTS: {
        emsec_sdp_media *m = sdp_cur_media(ps);
        if (m == NULL) {
            return false;
        }
        m->fmts = s;
        return true;
    }
    case SDP_F_PATH_URI: {
        emsec_sdp_attr *a = sdp_cur_attr(ps);
        if (a == NULL) {
            return false;
        }
        a->u.path.count++;
        if (a->u.path.count == 1u) {
            a->u.path.first = s;
        }
        a->u.path.last = s;
        return true;
    }
    case SDP_F_ACCEPT_ENTRY: {
        emsec_sdp_attr *a = sdp_cur_attr(ps);
        if (a == NULL) {
            return false;
        }
        a->u.list.count++;
        return true;
    }
    default: return emsec_sdp__field_rare(ps, f, off);
    }
}

/* A line end was read: the LF is at `off`. */
static inline bool sdp_line_end(emsec_sdp_parser *ps, uint32_t off)
{
    emsec_sdp *out = ps->out;
    uint32_t vend = off - ps->crlf;

    if (ps->letter == 'a') {
        emsec_sdp_attr *a = sdp_cur_attr(ps);
        if (a == NULL) {
            return false;
        }
        if (a->has_value != 0u) {
            a->value = sdp_span(ps->m3, vend);
            if (a->kind == EMSEC_SDP_ATTR_UNKNOWN && a->value.len == 1u) {
                sdp_addr_choice(ps, ps->m3, vend, &a->choice);
            }
        } else {
            a->name = sdp_span(ps->val_start, vend);
        }
        a->crlf = (uint8_t)ps->crlf;
    } else {
        emsec_sdp_line *l = sdp_cur_line(ps);
        if (l == NULL) {
            return false;
        }
        l->value = sdp_span(ps->val_start, vend);
        l->crlf = (uint8_t)ps->crlf;
        if (ps->letter == 's') {
            if (l->value.len == 0u &&
                (ps->flags & EMSEC_SDP_LENIENT_EMPTY_SESSION_NAME) == 0u) {
                return sdp_fail(ps, EMSEC_SDP_RULE_SESSION_NAME, vend);
            }
            out->session_name = l->value;
            out->has_session_name = 1u;
        } else if (ps->letter == 't') {
            out->has_time = 1u;
        }
    }
    ps->in_line = 0u;
    ps->crlf = 0u;
    ps->rule = EMSEC_SDP_RULE_LINE;
    return true;
}

#endif /* EMSEC_EVA_SDP_MACHINE */

#endif /* EMSEC_SDP_INTERNAL_H */
