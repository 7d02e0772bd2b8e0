/*
 * core/msrp_frame.c: the streaming MSRP framer around the generated header
 * machine (gen/msrp.c): the header block is copied into the framer (bounded,
 * EMSEC_MSRP_MAX_HEADER) and run through the machine; the body is scanned
 * for the end-line by the hand-written matcher below and passed on as spans
 * of the caller's bytes; the end-line closes the message (RFC 4975 §7.1, §9).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "emsec/msrp.h"
#include "msrp_internal.h"

/* Framer phases (fr->phase). */
enum {
    MSRP_PH_HEADER = 0,  /* reading the header block (the machine) */
    MSRP_PH_BODY = 1,    /* body bytes, watching for CRLF end-line */
    MSRP_PH_END = 2      /* no body: the end-line must follow at once */
};

/* The end-line pattern in fr->pat: CR LF, seven '-', the transaction id
 * (pat[0, tid_end)), then the flag, CR, LF. Its full length: */
#define MSRP_PAT_LEN(tid_end) ((tid_end) + 3u)

/* ------------------------------------------------------------ end-line matcher */

/*@ predicate is_flag(integer c) = c == '+' || c == '$' || c == '#';
  @*/

/*
 * One byte `c` after `m` bytes of the end-line pattern matched. The pattern
 * is pat[0, tid_end) = CR LF "-------" tid, then a flag (+ $ #), CR, LF
 * (RFC 4975 §9 end-line, preceded by the CRLF of §7.1). Returns the new
 * match length: m + 1 if c continues the pattern, else 1 if c is CR (it may
 * start a new end-line: no other byte of the matched prefix is a CR that
 * could start one, since the transaction id has no CR), else 0. A return
 * of tid_end + 3 is a complete end-line.
 */
/*@ requires 9 <= tid_end <= 9 + EMSEC_MSRP_MAX_TID;
  @ requires \valid_read(pat + (0 .. tid_end - 1));
  @ requires m <= tid_end + 2;
  @ assigns \nothing;
  @ ensures \result <= tid_end + 3;
  @ ensures \result == m + 1 || \result <= 1;
  @ ensures \result == 1 ==> c == '\r' || m == 0;
  @ ensures m < tid_end && c == pat[m] ==> \result == m + 1;
  @ ensures m == tid_end && is_flag(c) ==> \result == m + 1;
  @ ensures m == tid_end + 1 && c == '\r' ==> \result == m + 1;
  @ ensures m == tid_end + 2 && c == '\n' ==> \result == m + 1;
  @ ensures m == tid_end && \result == m + 1 ==> is_flag(c);
  @*/
static uint32_t msrp_endline_step(const uint8_t *pat, uint32_t tid_end, uint32_t m, uint8_t c)
{
    bool ok;
    if (m < tid_end) {
        ok = c == pat[m];
    } else if (m == tid_end) {
        ok = c == (uint8_t)'+' || c == (uint8_t)'$' || c == (uint8_t)'#';
    } else if (m == tid_end + 1u) {
        ok = c == (uint8_t)'\r';
    } else {
        ok = c == (uint8_t)'\n';
    }
    if (ok) {
        return m + 1u;
    }
    return c == (uint8_t)'\r' ? 1u : 0u;
}

/*
 * Build the pattern from the transaction id hdr[tid_off, tid_off + tid_len)
 * into pat; returns tid_end (9 + tid_len). The flag slot holds '$' until a
 * flag is matched; CR LF follow it.
 */
/*@ requires EMSEC_MSRP_MIN_TID <= tid_len <= EMSEC_MSRP_MAX_TID;
  @ requires \valid(pat + (0 .. EMSEC_MSRP_MAX_END_LINE - 1));
  @ requires \valid_read(tid + (0 .. tid_len - 1));
  @ requires \separated(pat + (0 .. EMSEC_MSRP_MAX_END_LINE - 1), tid + (0 .. tid_len - 1));
  @ assigns pat[0 .. EMSEC_MSRP_MAX_END_LINE - 1];
  @ ensures \result == 9 + tid_len;
  @ ensures pat[0] == '\r' && pat[1] == '\n';
  @ ensures \forall integer i; 2 <= i < 9 ==> pat[i] == '-';
  @ ensures \forall integer i; 0 <= i < tid_len ==> pat[9 + i] == tid[i];
  @ ensures pat[\result + 1] == '\r' && pat[\result + 2] == '\n';
  @*/
static uint32_t msrp_endline_setup(uint8_t *pat, const uint8_t *tid, uint32_t tid_len)
{
    pat[0] = (uint8_t)'\r';
    pat[1] = (uint8_t)'\n';
    /*@ loop invariant 2 <= i <= 9;
      @ loop invariant pat[0] == '\r' && pat[1] == '\n';
      @ loop invariant \forall integer j; 2 <= j < i ==> pat[j] == '-';
      @ loop assigns i, pat[2 .. 8];
      @ loop variant 9 - i;
      @*/
    for (uint32_t i = 2u; i < 9u; i++) {
        pat[i] = (uint8_t)'-';
    }
    /*@ loop invariant 0 <= i <= tid_len;
      @ loop invariant pat[0] == '\r' && pat[1] == '\n';
      @ loop invariant \forall integer j; 2 <= j < 9 ==> pat[j] == '-';
      @ loop invariant \forall integer j; 0 <= j < i ==> pat[9 + j] == tid[j];
      @ loop assigns i, pat[9 .. 9 + tid_len - 1];
      @ loop variant tid_len - i;
      @*/
    for (uint32_t i = 0u; i < tid_len; i++) {
        pat[9u + i] = tid[i];
    }
    pat[9u + tid_len] = (uint8_t)'$';
    pat[10u + tid_len] = (uint8_t)'\r';
    pat[11u + tid_len] = (uint8_t)'\n';
    return 9u + tid_len;
}
/* ------------------------------------------------------------ names */

static const char *const msrp_rule_names[EMSEC_MSRP_RULE__COUNT] = {
    [EMSEC_MSRP_RULE_NONE] = "NONE",
    [EMSEC_MSRP_RULE_START_LINE] = "START_LINE",
    [EMSEC_MSRP_RULE_TRANSACTION_ID] = "TRANSACTION_ID",
    [EMSEC_MSRP_RULE_METHOD] = "METHOD",
    [EMSEC_MSRP_RULE_STATUS_CODE] = "STATUS_CODE",
    [EMSEC_MSRP_RULE_HEADER] = "HEADER",
    [EMSEC_MSRP_RULE_TO_PATH] = "TO_PATH",
    [EMSEC_MSRP_RULE_FROM_PATH] = "FROM_PATH",
    [EMSEC_MSRP_RULE_URI] = "URI",
    [EMSEC_MSRP_RULE_MESSAGE_ID] = "MESSAGE_ID",
    [EMSEC_MSRP_RULE_BYTE_RANGE] = "BYTE_RANGE",
    [EMSEC_MSRP_RULE_SUCCESS_REPORT] = "SUCCESS_REPORT",
    [EMSEC_MSRP_RULE_FAILURE_REPORT] = "FAILURE_REPORT",
    [EMSEC_MSRP_RULE_STATUS] = "STATUS",
    [EMSEC_MSRP_RULE_CONTENT_TYPE] = "CONTENT_TYPE",
    [EMSEC_MSRP_RULE_USE_PATH] = "USE_PATH",
    [EMSEC_MSRP_RULE_EXT_HEADER] = "EXT_HEADER",
    [EMSEC_MSRP_RULE_LINE_END] = "LINE_END",
    [EMSEC_MSRP_RULE_DUPLICATE_HEADER] = "DUPLICATE_HEADER",
    [EMSEC_MSRP_RULE_CONTENT_TYPE_LAST] = "CONTENT_TYPE_LAST",
    [EMSEC_MSRP_RULE_CONTENT_TYPE_NO_BODY] = "CONTENT_TYPE_NO_BODY",
    [EMSEC_MSRP_RULE_RESPONSE_BODY] = "RESPONSE_BODY",
    [EMSEC_MSRP_RULE_END_LINE] = "END_LINE",
    [EMSEC_MSRP_RULE_NON_SEND_BODY] = "NON_SEND_BODY",
    [EMSEC_MSRP_RULE_LIMIT_HEADER] = "LIMIT_HEADER",
    [EMSEC_MSRP_RULE_LIMIT_HEADERS] = "LIMIT_HEADERS",
    [EMSEC_MSRP_RULE_LIMIT_PATH] = "LIMIT_PATH",
    [EMSEC_MSRP_RULE_INCOMPLETE] = "INCOMPLETE",
    [EMSEC_MSRP_RULE_INPUT] = "INPUT",
};

/*@ assigns \nothing;
  @ ensures \result != \null;
  @*/
const char *emsec_msrp_rule_name(emsec_msrp_rule rule)
{
    const char *name = NULL;
    if ((uint32_t)rule < (uint32_t)EMSEC_MSRP_RULE__COUNT) {
        name = msrp_rule_names[rule];
    }
    /* every entry of the table is set; the test keeps WP's proof of "never
     * NULL" from depending on the table's contents */
    return name != NULL ? name : "?";
}

/* The method names as arrays, not string literals: WP sees an array's
 * bounds, not a literal's. */
static const uint8_t msrp_m_send[4] = { 'S', 'E', 'N', 'D' };
static const uint8_t msrp_m_report[6] = { 'R', 'E', 'P', 'O', 'R', 'T' };
static const uint8_t msrp_m_auth[4] = { 'A', 'U', 'T', 'H' };

/* a[0, n) == b[0, n), byte for byte (memcmp == 0). */
/*@ requires \valid_read(a + (0 .. n - 1)) && \valid_read(b + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures \result == 1 <==> (\forall integer i; 0 <= i < n ==> a[i] == b[i]);
  @ ensures \result == 0 || \result == 1;
  @*/
static int msrp_same(const uint8_t *a, const uint8_t *b, uint32_t n)
{
    /*@ loop invariant 0 <= i <= n;
      @ loop invariant \forall integer j; 0 <= j < i ==> a[j] == b[j];
      @ loop assigns i;
      @ loop variant n - i;
      @*/
    for (uint32_t i = 0u; i < n; i++) {
        if (a[i] != b[i]) {
            return 0;
        }
    }
    return 1;
}

/* RFC 4975 §9 method names (case-sensitive: mSEND and mREPORT are %x
 * strings), AUTH from RFC 4976 §4.1. The contract of core/msrp_internal.h
 * (the one the machine's Eva run uses) is proved here, with the byte range
 * the grammar's method span gives. */
/*@ requires \valid_read(s + (0 .. len - 1));
  @*/
emsec_msrp_method emsec_msrp__method_of(const uint8_t *s, uint32_t len)
{
    if (len == 4u && msrp_same(s, msrp_m_send, 4u) == 1) {
        return EMSEC_MSRP_METHOD_SEND;
    }
    if (len == 6u && msrp_same(s, msrp_m_report, 6u) == 1) {
        return EMSEC_MSRP_METHOD_REPORT;
    }
    if (len == 4u && msrp_same(s, msrp_m_auth, 4u) == 1) {
        return EMSEC_MSRP_METHOD_AUTH;
    }
    return EMSEC_MSRP_METHOD_OTHER;
}

/* ------------------------------------------------------------ framer */

#ifdef __FRAMAC__
/*
 * What the WP step sees of the generated machine (gen/msrp.c), which is not
 * parsed with this file: an ASSUMED contract (proofs/UNPROVED.md, "MSRP").
 * The machine is covered by Eva instead (proofs/msrp_eva.c: 0 alarms in
 * every state; it checks the block end and the error offset it records).
 * What it may change: the Ragel state, the marks, the rule, the block end
 * and the error, and the message; never the header bytes, the end-line
 * pattern, the stream offsets or the phase. It records only the codes of
 * core/msrp_internal.h's msrp_fail/msrp_fail_code, and a block end lies
 * inside the bytes it ran.
 */
/*@ requires \valid(fr) && \valid(fr->msg) && \separated(fr, fr->msg);
  @ requires from <= to <= EMSEC_MSRP_MAX_HEADER + 1;
  @ requires fr->status == EMSEC_OK && fr->ended == 0;
  @ assigns fr->cs, fr->rule, fr->line_start, fr->mark, fr->val_start, fr->last_kind,
  @         fr->ended, fr->hdr_end, fr->status, fr->err, *(fr->msg);
  @ ensures fr->status == EMSEC_OK || fr->status == EMSEC_ERR_ARGUMENT ||
  @         fr->status == EMSEC_ERR_SYNTAX || fr->status == EMSEC_ERR_LIMIT;
  @ ensures fr->status == EMSEC_OK && fr->ended != 0 ==> from <= fr->hdr_end <= to;
  @*/
void emsec_msrp__exec(emsec_msrp_framer *fr, uint32_t from, uint32_t to);

/*@ requires \valid(fr);
  @ assigns fr->cs;
  @*/
void emsec_msrp__machine_init(emsec_msrp_framer *fr);
#endif

/*
 * The framer's invariant between calls (what emsec_msrp_framer_init
 * establishes and emsec_msrp_feed / emsec_msrp_finish keep): the end-line
 * pattern's length is in range and the match length inside it, a matched
 * flag slot holds a flag, the header bytes fit the buffer, and the status is
 * OK or one of the errors the framer records.
 */
/*@ predicate msrp_recorded(integer r) =
  @   r == EMSEC_OK || r == EMSEC_ERR_ARGUMENT || r == EMSEC_ERR_SYNTAX ||
  @   r == EMSEC_ERR_LIMIT || r == EMSEC_ERR_INCOMPLETE;
  @
  @ predicate framer_ok(emsec_msrp_framer *fr) =
  @   \valid(fr) && \valid(fr->msg) && \separated(fr, fr->msg) &&
  @   fr->phase <= MSRP_PH_END &&
  @   9 <= fr->pat_tid_end <= 9 + EMSEC_MSRP_MAX_TID &&
  @   fr->match < fr->pat_tid_end + 3 &&
  @   fr->hdr_len <= EMSEC_MSRP_MAX_HEADER + 1 &&
  @   (fr->match > fr->pat_tid_end ==> is_flag(fr->pat[fr->pat_tid_end])) &&
  @   (fr->phase == MSRP_PH_HEADER ==> fr->match == 0) &&
  @   (fr->status == EMSEC_OK && fr->phase == MSRP_PH_HEADER ==>
  @        fr->ended == 0 && fr->hdr_len <= EMSEC_MSRP_MAX_HEADER) &&
  @   msrp_recorded(fr->status);
  @
  @ // The event's bytes: the header block in fr->hdr, body bytes of this
  @ // feed (data[0, used)) or of the look-behind (fr->pat), the end-line in
  @ // fr->pat; NONE has none.
  @ predicate ev_inside(emsec_msrp_event *ev, emsec_msrp_framer *fr,
  @                     uint8_t *data, integer used) =
  @   ev->kind <= EMSEC_MSRP_EV_END &&
  @   (ev->kind == EMSEC_MSRP_EV_NONE ==> ev->data == \null && ev->len == 0) &&
  @   (ev->kind == EMSEC_MSRP_EV_HEADER ==>
  @        ev->data == &fr->hdr[0] && ev->len <= EMSEC_MSRP_MAX_HEADER) &&
  @   (ev->kind == EMSEC_MSRP_EV_BODY ==> ev->held == 0 || ev->held == 1) &&
  @   (ev->kind == EMSEC_MSRP_EV_BODY && ev->held == 0 ==>
  @        ev->data == data && ev->off == 0 && 0 < ev->len <= used) &&
  @   (ev->kind == EMSEC_MSRP_EV_BODY && ev->held == 1 ==>
  @        ev->data == &fr->pat[0] && 0 < ev->len < EMSEC_MSRP_MAX_END_LINE) &&
  @   (ev->kind == EMSEC_MSRP_EV_END ==> is_flag(ev->flag) &&
  @        ((ev->data == &fr->pat[0] && ev->len <= EMSEC_MSRP_MAX_END_LINE) ||
  @         (ev->data == &fr->pat[2] && ev->len <= EMSEC_MSRP_MAX_END_LINE - 2)));
  @
  @ predicate ev_clear(emsec_msrp_event *ev) =
  @   ev->kind == EMSEC_MSRP_EV_NONE && ev->data == \null && ev->len == 0 &&
  @   ev->off == 0 && ev->held == 0;
  @*/

/* Stream offset -> error; always returns the code. */
/*@ requires \valid(fr);
  @ requires code == EMSEC_ERR_ARGUMENT || code == EMSEC_ERR_SYNTAX ||
  @          code == EMSEC_ERR_LIMIT || code == EMSEC_ERR_INCOMPLETE;
  @ assigns fr->status, fr->err;
  @ ensures \result == fr->status && fr->status != EMSEC_OK;
  @ ensures \old(fr->status) == EMSEC_OK ==>
  @         fr->status == code && fr->err.rule == rule && fr->err.offset == at;
  @ ensures \old(fr->status) != EMSEC_OK ==>
  @         fr->status == \old(fr->status) && fr->err == \old(fr->err);
  @*/
static emsec_result msrp_fail_at(emsec_msrp_framer *fr, emsec_result code, emsec_msrp_rule rule,
                                 uint64_t at)
{
    if (fr->status == EMSEC_OK) {
        fr->status = code;
        fr->err.offset = at;
        fr->err.rule = rule;
    }
    return fr->status;
}

/* Ready for the first byte of a message at stream offset fr->pos. */
/*@ requires \valid(fr);
  @ assigns fr->phase, fr->hdr_len, fr->hdr_end, fr->hdr_base, fr->rule, fr->line_start,
  @         fr->mark, fr->val_start, fr->last_kind, fr->ended, fr->match, fr->pat_tid_end,
  @         fr->body_len, fr->cs;
  @ ensures fr->phase == MSRP_PH_HEADER && fr->hdr_len == 0 && fr->ended == 0;
  @ ensures fr->match == 0 && fr->pat_tid_end == 9 && fr->hdr_base == fr->pos;
  @ ensures fr->body_len == 0;
  @*/
static void msrp_next_message(emsec_msrp_framer *fr)
{
    fr->phase = MSRP_PH_HEADER;
    fr->hdr_len = 0u;
    fr->hdr_end = 0u;
    fr->hdr_base = fr->pos;
    fr->rule = EMSEC_MSRP_RULE_START_LINE;
    fr->line_start = 0u;
    fr->mark = 0u;
    fr->val_start = 0u;
    fr->last_kind = EMSEC_MSRP_H_OTHER;
    fr->ended = 0u;
    fr->match = 0u;
    fr->pat_tid_end = 9u;
    fr->body_len = 0u;
    emsec_msrp__machine_init(fr);
}

/* An all-zero message: a struct copy clears one (as memset would) in a way
 * WP's typed memory model follows. */
static const emsec_msrp_msg msrp_msg_zero;

/*@ requires \valid(m);
  @ assigns *m;
  @*/
static void msrp_msg_clear(emsec_msrp_msg *m)
{
    *m = msrp_msg_zero;
}

/*@ requires \valid(fr) && \valid(msg) && \separated(fr, msg);
  @ assigns *fr, *msg;
  @ ensures framer_ok(fr);
  @ ensures fr->msg == msg && fr->status == EMSEC_OK && fr->pos == 0;
  @ ensures fr->phase == MSRP_PH_HEADER && fr->hdr_len == 0;
  @ ensures fr->err.rule == EMSEC_MSRP_RULE_NONE && fr->err.offset == 0;
  @ ensures \result == EMSEC_OK;
  @*/
emsec_result emsec_msrp_framer_init(emsec_msrp_framer *fr, emsec_msrp_msg *msg)
{
    fr->msg = msg;
    fr->pos = 0u;
    fr->status = EMSEC_OK;
    fr->err.offset = 0u;
    fr->err.rule = EMSEC_MSRP_RULE_NONE;
    /*@ loop invariant 0 <= i <= EMSEC_MSRP_MAX_END_LINE;
      @ loop assigns i, fr->pat[0 .. EMSEC_MSRP_MAX_END_LINE - 1];
      @ loop variant EMSEC_MSRP_MAX_END_LINE - i;
      @*/
    for (uint32_t i = 0u; i < EMSEC_MSRP_MAX_END_LINE; i++) {
        fr->pat[i] = 0u;
    }
    msrp_msg_clear(msg);
    msrp_next_message(fr);
    return EMSEC_OK;
}

/*@ requires \valid_read(fr);
  @ assigns \nothing;
  @ ensures \result == fr->err;
  @*/
emsec_msrp_error emsec_msrp_last_error(const emsec_msrp_framer *fr)
{
    return fr->err;
}

/*@ requires \valid_read(fr);
  @ assigns \nothing;
  @ ensures \result == &fr->hdr[0];
  @*/
const uint8_t *emsec_msrp_header_bytes(const emsec_msrp_framer *fr)
{
    return fr->hdr;
}

/* RFC 4975 §7.1 and §9 on the block as a whole, once it ended: a body only
 * in a request and right after Content-Type; no Content-Type without body. */
/*@ requires \valid(fr) && \valid_read(fr->msg) && \separated(fr, fr->msg);
  @ requires fr->status == EMSEC_OK;
  @ assigns fr->status, fr->err;
  @ ensures \result == fr->status;
  @ ensures fr->status == EMSEC_OK || fr->status == EMSEC_ERR_SYNTAX;
  @*/
static emsec_result msrp_check_block(emsec_msrp_framer *fr)
{
    const emsec_msrp_msg *m = fr->msg;
    const uint64_t at = fr->hdr_base + fr->hdr_end - (m->has_body != 0u ? 2u : 0u);
    if (m->has_body != 0u) {
        if (m->kind != (uint32_t)EMSEC_MSRP_REQUEST) {
            return msrp_fail_at(fr, EMSEC_ERR_SYNTAX, EMSEC_MSRP_RULE_RESPONSE_BODY, at);
        }
        if (fr->last_kind != (uint32_t)EMSEC_MSRP_H_CONTENT_TYPE) {
            return msrp_fail_at(fr, EMSEC_ERR_SYNTAX, EMSEC_MSRP_RULE_CONTENT_TYPE_LAST, at);
        }
    } else if (m->content_type.len != 0u) {
        return msrp_fail_at(fr, EMSEC_ERR_SYNTAX, EMSEC_MSRP_RULE_CONTENT_TYPE_NO_BODY, at);
    }
    return EMSEC_OK;
}

/* dst[0, n) := src[0, n) (memcpy, as a loop WP follows). */
/*@ requires \valid(dst + (0 .. n - 1)) && \valid_read(src + (0 .. n - 1));
  @ requires \separated(dst + (0 .. n - 1), src + (0 .. n - 1));
  @ assigns dst[0 .. n - 1];
  @ ensures \forall integer j; 0 <= j < n ==> dst[j] == src[j];
  @*/
static void msrp_copy(uint8_t *dst, const uint8_t *src, uint32_t n)
{
    /*@ loop invariant 0 <= i <= n;
      @ loop invariant \forall integer j; 0 <= j < i ==> dst[j] == src[j];
      @ loop assigns i, dst[0 .. n - 1];
      @ loop variant n - i;
      @*/
    for (uint32_t i = 0u; i < n; i++) {
        dst[i] = src[i];
    }
}

/* The preconditions every phase step shares (emsec_msrp_feed checked them). */
/*@ predicate phase_pre(emsec_msrp_framer *fr, uint8_t *data, integer len,
  @                     uint32_t *used, emsec_msrp_event *ev) =
  @   framer_ok(fr) && fr->status == EMSEC_OK &&
  @   0 < len <= 0xffffffff && \valid_read(data + (0 .. len - 1)) &&
  @   \valid(used) && \valid(ev) && \separated(used, ev, fr, fr->msg) &&
  @   \separated(data + (0 .. len - 1), used, ev, fr, fr->msg) &&
  @   ev_clear(ev);
  @
  @ // What every phase step ensures, `r` its result, `msg0` the message
  @ // pointer it started with: emsec_msrp_feed's "running" behaviour.
  @ predicate phase_post(emsec_msrp_framer *fr, emsec_msrp_msg *msg0, uint8_t *data,
  @                      integer len, integer used, emsec_msrp_event *ev, integer r) =
  @   framer_ok(fr) && fr->msg == msg0 && used <= len && r == fr->status &&
  @   (r == EMSEC_OK || r == EMSEC_ERR_ARGUMENT || r == EMSEC_ERR_SYNTAX ||
  @    r == EMSEC_ERR_LIMIT) &&
  @   (r != EMSEC_OK ==> ev->kind == EMSEC_MSRP_EV_NONE) &&
  @   ev_inside(ev, fr, data, used) &&
  @   (r == EMSEC_OK && used == 0 ==>
  @        ev->kind == EMSEC_MSRP_EV_HEADER ||
  @        (ev->kind == EMSEC_MSRP_EV_BODY && ev->held == 1));
  @*/

/* How many of len bytes were used up to the failing byte at stream offset
 * `at`, the feed starting at `pos`. */
/*@ assigns \nothing;
  @ ensures \result <= len;
  @*/
static uint32_t msrp_used_upto(uint64_t at, uint64_t pos, uint32_t len)
{
    const uint64_t u = at > pos ? at - pos : 0u;
    return u > len ? len : (uint32_t)u;
}

/* The header phase copies and runs its input in steps of this many bytes
 * and stops after the step in which the block ends. The bytes after a block
 * are body, which the header phase does not need: copying the whole room
 * (up to 8 KB) at once made the MSRP-aware relay copy some 6 KB of body per
 * 2 KB message (measured 2026-11-23: a quarter of its CPU in that copy).
 * Most blocks are a few hundred bytes; a longer one takes more steps. */
#define MSRP_HEADER_STEP 256u

/* Copy what fits of data[0, len) after the bytes already held (a new
 * message starts from an all-zero msg) and run the machine over them, in
 * steps of MSRP_HEADER_STEP, until the block ends, fails or the input (or
 * the room) is used up. Returns the bytes copied, n >= 1. The buffer has one byte more than the
 * limit: a block of exactly EMSEC_MSRP_MAX_HEADER bytes without body ends
 * at the '-' that follows it, which must be seen to know.
 * It changes fr->hdr, *fr->msg, the machine's fields (cs, rule, line_start,
 * mark, val_start, last_kind, ended, hdr_end), status and err. The assigns
 * clause says *fr and the ensures name every other field as unchanged: a
 * caller's goals then see one havoc of *fr (cheap for the provers to see
 * past: its event is separated from *fr as a whole) and equalities, where
 * a list of fields made each of the caller's goals time out. */
/*@ requires \valid(fr) && \valid(fr->msg) && \separated(fr, fr->msg);
  @ requires fr->status == EMSEC_OK && fr->ended == 0;
  @ requires fr->hdr_len <= EMSEC_MSRP_MAX_HEADER;
  @ requires 0 < len && \valid_read(data + (0 .. len - 1));
  @ requires \separated(data + (0 .. len - 1), fr, fr->msg);
  @ assigns *fr, *(fr->msg);
  @ ensures 1 <= \result <= len && fr->hdr_len + \result <= EMSEC_MSRP_MAX_HEADER + 1;
  @ ensures fr->status == EMSEC_OK || fr->status == EMSEC_ERR_ARGUMENT ||
  @         fr->status == EMSEC_ERR_SYNTAX || fr->status == EMSEC_ERR_LIMIT;
  @ ensures fr->status == EMSEC_OK && fr->ended != 0 ==>
  @         fr->hdr_len <= fr->hdr_end <= fr->hdr_len + \result;
  @ ensures fr->msg == \old(fr->msg) && fr->hdr_len == \old(fr->hdr_len);
  @ ensures fr->phase == \old(fr->phase) && fr->match == \old(fr->match);
  @ ensures fr->pat_tid_end == \old(fr->pat_tid_end) && fr->pos == \old(fr->pos);
  @ ensures fr->hdr_base == \old(fr->hdr_base) && fr->body_len == \old(fr->body_len);
  @ ensures \forall integer i; 0 <= i < EMSEC_MSRP_MAX_END_LINE ==>
  @         fr->pat[i] == \old(fr->pat[i]);
  @*/
static uint32_t msrp_header_run(emsec_msrp_framer *fr, const uint8_t *data, uint32_t len)
{
    const uint32_t before = fr->hdr_len;
    const uint32_t room = EMSEC_MSRP_MAX_HEADER + 1u - before;
    const uint32_t n = len < room ? len : room;
    uint32_t done = 0u;

    if (before == 0u) {
        msrp_msg_clear(fr->msg);
    }
    /* in steps, so that the copy stops soon after the block's end */
    /*@ loop invariant 0 <= done <= n;
      @ loop invariant fr->status == EMSEC_OK && fr->ended == 0;
      @ loop invariant fr->msg == \at(fr->msg, Pre) && fr->hdr_len == before;
      @ loop assigns done, fr->hdr[0 .. EMSEC_MSRP_MAX_HEADER], fr->cs, fr->rule,
      @              fr->line_start, fr->mark, fr->val_start, fr->last_kind, fr->ended,
      @              fr->hdr_end, fr->status, fr->err, *(fr->msg);
      @ loop variant n - done;
      @*/
    while (done < n) {
        const uint32_t step = n - done < MSRP_HEADER_STEP ? n - done : MSRP_HEADER_STEP;
        msrp_copy(fr->hdr + before + done, data + done, step);
        emsec_msrp__exec(fr, before + done, before + done + step);
        done += step;
        if (fr->status != EMSEC_OK || fr->ended != 0u) {
            break;
        }
    }
    return done;
}

/* The block passed msrp_check_block: set up the end-line pattern from its
 * transaction id and report the block (HEADER). */
/*@ requires \valid(fr) && \valid_read(fr->msg) && \separated(fr, fr->msg);
  @ requires \valid(ev) && \separated(ev, fr, fr->msg);
  @ requires fr->status == EMSEC_OK && fr->hdr_end <= EMSEC_MSRP_MAX_HEADER;
  @ requires ev_clear(ev);
  @ assigns fr->status, fr->err, fr->pat[0 .. EMSEC_MSRP_MAX_END_LINE - 1], fr->pat_tid_end,
  @         fr->phase, fr->match, ev->kind, ev->data, ev->len;
  @ ensures \result == fr->status;
  @ ensures \result == EMSEC_OK || \result == EMSEC_ERR_ARGUMENT;
  @ ensures \result != EMSEC_OK ==> ev_clear(ev) &&
  @         fr->pat_tid_end == \old(fr->pat_tid_end) && fr->match == \old(fr->match) &&
  @         fr->phase == \old(fr->phase);
  @ ensures \result == EMSEC_OK ==>
  @         ev->kind == EMSEC_MSRP_EV_HEADER && ev->data == &fr->hdr[0] &&
  @         ev->len == fr->hdr_end && ev->off == 0 && ev->held == 0 &&
  @         (fr->phase == MSRP_PH_BODY || fr->phase == MSRP_PH_END) &&
  @         9 <= fr->pat_tid_end <= 9 + EMSEC_MSRP_MAX_TID && fr->match <= 2;
  @*/
static emsec_result msrp_header_report(emsec_msrp_framer *fr, emsec_msrp_event *ev)
{
    const uint32_t tid_off = fr->msg->tid.off;
    const uint32_t tid_len = fr->msg->tid.len;
    if (tid_len < EMSEC_MSRP_MIN_TID || tid_len > EMSEC_MSRP_MAX_TID ||
        tid_off > EMSEC_MSRP_MAX_HEADER - tid_len) {
        /* unreachable: the grammar's ident is 4..32 bytes inside hdr */
        return msrp_fail_at(fr, EMSEC_ERR_ARGUMENT, EMSEC_MSRP_RULE_INPUT, fr->hdr_base);
    }
    fr->pat_tid_end = msrp_endline_setup(fr->pat, fr->hdr + tid_off, tid_len);
    if (fr->msg->has_body != 0u) {
        fr->phase = MSRP_PH_BODY;
        fr->match = 0u;
    } else {
        /* The CRLF that ends the last header stands for the end-line's
         * leading CRLF (RFC 4975 §7.1: no extra CRLF without a body). */
        fr->phase = MSRP_PH_END;
        fr->match = 2u;
    }
    ev->kind = EMSEC_MSRP_EV_HEADER;
    ev->data = fr->hdr;
    ev->len = fr->hdr_end;
    return EMSEC_OK;
}

/* The block the machine ended: within the limit, and RFC 4975 §7.1 and §9
 * on the block as a whole (msrp_check_block); then fr->hdr_len is its
 * length. */
/*@ requires \valid(fr) && \valid_read(fr->msg) && \separated(fr, fr->msg);
  @ requires fr->status == EMSEC_OK && fr->hdr_len <= EMSEC_MSRP_MAX_HEADER + 1;
  @ assigns fr->status, fr->err, fr->hdr_len;
  @ ensures \result == fr->status;
  @ ensures \result == EMSEC_OK || \result == EMSEC_ERR_SYNTAX || \result == EMSEC_ERR_LIMIT;
  @ ensures fr->hdr_len <= EMSEC_MSRP_MAX_HEADER + 1;
  @ ensures \result == EMSEC_OK ==> fr->hdr_len == fr->hdr_end <= EMSEC_MSRP_MAX_HEADER;
  @*/
static emsec_result msrp_header_check(emsec_msrp_framer *fr)
{
    if (fr->hdr_end > EMSEC_MSRP_MAX_HEADER) {
        return msrp_fail_at(fr, EMSEC_ERR_LIMIT, EMSEC_MSRP_RULE_LIMIT_HEADER,
                            fr->hdr_base + EMSEC_MSRP_MAX_HEADER);
    }
    fr->hdr_len = fr->hdr_end;
    return msrp_check_block(fr);
}

/* The header block ended inside the bytes just run (hdr[before, hdr_end)
 * of this feed): check it, set up the end-line pattern from its
 * transaction id, report it. */
/*@ requires \valid(fr) && \valid(fr->msg) && \separated(fr, fr->msg);
  @ requires \valid(used) && \valid(ev) && \separated(used, ev, fr, fr->msg);
  @ requires fr->status == EMSEC_OK && fr->phase == MSRP_PH_HEADER;
  @ requires before <= fr->hdr_end && fr->hdr_len <= EMSEC_MSRP_MAX_HEADER + 1;
  @ requires ev_clear(ev);
  @ assigns fr->status, fr->err, fr->hdr_len, fr->pos, fr->pat[0 .. EMSEC_MSRP_MAX_END_LINE - 1],
  @         fr->pat_tid_end, fr->phase, fr->match, *used, ev->kind, ev->data, ev->len;
  @ ensures *used <= \old(fr->hdr_end) - before;
  @ ensures \result == fr->status;
  @ ensures \result == EMSEC_OK || \result == EMSEC_ERR_ARGUMENT ||
  @         \result == EMSEC_ERR_SYNTAX || \result == EMSEC_ERR_LIMIT;
  @ ensures \result != EMSEC_OK ==> ev_clear(ev) && fr->hdr_len <= EMSEC_MSRP_MAX_HEADER + 1;
  @ ensures \result != EMSEC_OK ==> fr->pat_tid_end == \old(fr->pat_tid_end) &&
  @         fr->match == \old(fr->match) && fr->phase == \old(fr->phase);
  @ ensures \result == EMSEC_OK ==>
  @         ev->kind == EMSEC_MSRP_EV_HEADER && ev->data == &fr->hdr[0] &&
  @         ev->len <= EMSEC_MSRP_MAX_HEADER &&
  @         (fr->phase == MSRP_PH_BODY || fr->phase == MSRP_PH_END) &&
  @         9 <= fr->pat_tid_end <= 9 + EMSEC_MSRP_MAX_TID && fr->match <= 2 &&
  @         fr->hdr_len <= EMSEC_MSRP_MAX_HEADER;
  @*/
static emsec_result msrp_header_done(emsec_msrp_framer *fr, uint32_t before, uint32_t *used,
                                     emsec_msrp_event *ev)
{
    /* The assertions state what each call left alone right after it:
     * cheap goals there, out of reach in the postconditions' goals. */
    if (msrp_header_check(fr) != EMSEC_OK) {
        *used = 0u;
        /*@ assert ev_clear(ev) && fr->phase == \at(fr->phase, Pre) &&
          @        fr->match == \at(fr->match, Pre) &&
          @        fr->pat_tid_end == \at(fr->pat_tid_end, Pre);
          @*/
        return fr->status;
    }
    /*@ assert ev_clear(ev) && fr->hdr_end == \at(fr->hdr_end, Pre); */
    *used = fr->hdr_end - before;
    fr->pos += *used;
    const emsec_result r = msrp_header_report(fr, ev);
    /*@ assert *used == fr->hdr_end - before; */
    return r;
}

/* The block goes on past the n bytes just run (hdr[0, hdr_len) now):
 * all n are used, unless the block is now longer than the limit. */
/*@ requires \valid(fr) && \valid(used) && \separated(used, fr);
  @ requires fr->status == EMSEC_OK && 1 <= n <= hdr_len <= EMSEC_MSRP_MAX_HEADER + 1;
  @ assigns fr->hdr_len, *used, fr->status, fr->err, fr->pos;
  @ ensures *used == n && fr->hdr_len == hdr_len;
  @ ensures \result == fr->status;
  @ ensures \result == EMSEC_OK || \result == EMSEC_ERR_LIMIT;
  @ ensures \result == EMSEC_OK ==> fr->hdr_len <= EMSEC_MSRP_MAX_HEADER;
  @*/
static emsec_result msrp_header_more(emsec_msrp_framer *fr, uint32_t hdr_len, uint32_t n,
                                     uint32_t *used)
{
    fr->hdr_len = hdr_len;
    *used = n;
    if (fr->hdr_len > EMSEC_MSRP_MAX_HEADER) {
        return msrp_fail_at(fr, EMSEC_ERR_LIMIT, EMSEC_MSRP_RULE_LIMIT_HEADER,
                            fr->hdr_base + EMSEC_MSRP_MAX_HEADER);
    }
    fr->pos += n;
    return EMSEC_OK;
}

/* Header phase: run what fits through the machine; report the block once
 * it ended. Any block longer than the limit is EMSEC_ERR_LIMIT at the
 * offset of its first byte past the limit, however the input is split.
 * phase_pre's separations are repeated as requires: Qed uses them to
 * simplify the machine's havoc of *fr->msg, not when hidden in a predicate. */
/*@ requires phase_pre(fr, data, len, used, ev) && fr->phase == MSRP_PH_HEADER;
  @ requires \valid(fr) && \valid(fr->msg) && \valid(used) && \valid(ev);
  @ requires \separated(used, ev, fr, fr->msg);
  @ requires \separated(data + (0 .. len - 1), used, ev, fr, fr->msg);
  @ assigns *fr, *(fr->msg), *used, *ev;
  @ ensures phase_post(fr, \old(fr->msg), data, len, *used, ev, \result);
  @*/
static emsec_result msrp_feed_header(emsec_msrp_framer *fr, const uint8_t *data, uint32_t len,
                                     uint32_t *used, emsec_msrp_event *ev)
{
    const uint32_t before = fr->hdr_len;
    const uint32_t n = msrp_header_run(fr, data, len);
    emsec_result r;
    /* What the machine's run left alone, stated right after it (each a
     * cheap goal), and then the postcondition once per way out: over all
     * of them at once it is more than the provers manage in time. */
    /*@ assert ev->kind == EMSEC_MSRP_EV_NONE && ev->len == 0; */
    /*@ assert ev->off == 0 && ev->held == 0; */
    /*@ assert ev->data == \null && fr->msg == \at(fr->msg, Pre); */
    /*@ assert framer_ok{Pre}(fr); */
    /*@ assert fr->phase == MSRP_PH_HEADER && fr->match == 0 && fr->hdr_len == before; */
    if (fr->status != EMSEC_OK) {
        *used = msrp_used_upto(fr->err.offset, fr->pos, len);
        r = fr->status;
        /*@ assert phase_post(fr, \at(fr->msg, Pre), data, len, *used, ev, r); */
        return r;
    }
    if (fr->ended == 0u) {
        r = msrp_header_more(fr, before + n, n, used);
        /*@ assert ev_clear(ev) && fr->msg == \at(fr->msg, Pre); */
        /*@ assert phase_post(fr, \at(fr->msg, Pre), data, len, *used, ev, r); */
        return r;
    }
    r = msrp_header_done(fr, before, used, ev);
    /*@ assert fr->msg == \at(fr->msg, Pre) && *used <= n; */
    /*@ assert phase_post(fr, \at(fr->msg, Pre), data, len, *used, ev, r); */
    return r;
}

/* The end-line is complete: report it and get ready for the next message. */
/*@ requires \valid(fr) && \valid(ev) && \separated(fr, ev);
  @ requires 9 <= fr->pat_tid_end <= 9 + EMSEC_MSRP_MAX_TID;
  @ requires is_flag(fr->pat[fr->pat_tid_end]);
  @ assigns ev->kind, ev->data, ev->len, ev->flag, ev->body_len,
  @         fr->phase, fr->hdr_len, fr->hdr_end, fr->hdr_base, fr->rule, fr->line_start,
  @         fr->mark, fr->val_start, fr->last_kind, fr->ended, fr->match, fr->pat_tid_end,
  @         fr->body_len, fr->cs;
  @ ensures ev->kind == EMSEC_MSRP_EV_END && is_flag(ev->flag);
  @ ensures (ev->data == &fr->pat[0] && ev->len <= EMSEC_MSRP_MAX_END_LINE) ||
  @         (ev->data == &fr->pat[2] && ev->len <= EMSEC_MSRP_MAX_END_LINE - 2);
  @ ensures fr->phase == MSRP_PH_HEADER && fr->hdr_len == 0 && fr->ended == 0;
  @ ensures fr->match == 0 && fr->pat_tid_end == 9 && fr->hdr_base == fr->pos;
  @*/
static void msrp_end(emsec_msrp_framer *fr, emsec_msrp_event *ev)
{
    const uint32_t skip = fr->phase == MSRP_PH_BODY ? 0u : 2u;
    ev->kind = EMSEC_MSRP_EV_END;
    ev->data = fr->pat + skip;
    ev->len = MSRP_PAT_LEN(fr->pat_tid_end) - skip;
    ev->flag = fr->pat[fr->pat_tid_end];
    ev->body_len = fr->body_len;
    msrp_next_message(fr);
}

/* Account `n` body bytes; a non-SEND body is at most 10240 bytes (RFC 4975
 * §7.1). `at` is the stream offset of the first of them. */
/*@ requires \valid(fr) && \valid_read(fr->msg) && \separated(fr, fr->msg);
  @ requires fr->status == EMSEC_OK;
  @ assigns fr->body_len, fr->status, fr->err;
  @ ensures \result == fr->status;
  @ ensures fr->status == EMSEC_OK || fr->status == EMSEC_ERR_SYNTAX;
  @*/
static emsec_result msrp_body_bytes(emsec_msrp_framer *fr, uint64_t n, uint64_t at)
{
    if (fr->msg->method != (uint32_t)EMSEC_MSRP_METHOD_SEND &&
        fr->body_len + n > EMSEC_MSRP_MAX_NON_SEND_BODY) {
        return msrp_fail_at(fr, EMSEC_ERR_SYNTAX, EMSEC_MSRP_RULE_NON_SEND_BODY,
                            at + (EMSEC_MSRP_MAX_NON_SEND_BODY - fr->body_len));
    }
    fr->body_len += n;
    return EMSEC_OK;
}

/*
 * Go on matching the end-line from fr->match with data[0, len): stops
 * after the byte that completes it, or at the first byte that breaks it
 * (not used), or at the end of the bytes. Returns the bytes that continued
 * it; fr->match grows by as many. So: fr->match == full (with a result of
 * at least 1) is a whole end-line; else a result below len names the byte
 * that broke it; else every byte continued it.
 */
/*@ requires \valid(fr) && 9 <= fr->pat_tid_end <= 9 + EMSEC_MSRP_MAX_TID;
  @ requires fr->match < fr->pat_tid_end + 3;
  @ requires fr->match > fr->pat_tid_end ==> is_flag(fr->pat[fr->pat_tid_end]);
  @ requires \valid_read(data + (0 .. len - 1)) && \separated(data + (0 .. len - 1), fr);
  @ assigns fr->match, fr->pat[fr->pat_tid_end];
  @ ensures \result <= len && fr->match == \old(fr->match) + \result;
  @ ensures fr->match <= fr->pat_tid_end + 3;
  @ ensures fr->match == fr->pat_tid_end + 3 ==> \result >= 1;
  @ ensures fr->match > fr->pat_tid_end ==> is_flag(fr->pat[fr->pat_tid_end]);
  @*/
static uint32_t msrp_match_on(emsec_msrp_framer *fr, const uint8_t *data, uint32_t len)
{
    const uint32_t full = MSRP_PAT_LEN(fr->pat_tid_end);
    /*@ loop invariant 0 <= i <= len;
      @ loop invariant fr->match == \at(fr->match, Pre) + i && fr->match < full;
      @ loop invariant fr->match > fr->pat_tid_end ==> is_flag(fr->pat[fr->pat_tid_end]);
      @ loop assigns i, fr->match, fr->pat[fr->pat_tid_end];
      @ loop variant len - i;
      @*/
    for (uint32_t i = 0u; i < len; i++) {
        const uint32_t m = fr->match;
        if (msrp_endline_step(fr->pat, fr->pat_tid_end, m, data[i]) != m + 1u) {
            return i;
        }
        if (m == fr->pat_tid_end) {
            fr->pat[m] = data[i]; /* the flag */
        }
        fr->match = m + 1u;
        if (m + 1u == full) {
            return i + 1u;
        }
    }
    return len;
}

/* The byte after the k that went on with the end-line cannot come next:
 * SYNTAX at its offset, the k bytes before it used. (Its own function: the
 * caller's goals then see this short contract, not msrp_fail_at's.) */
/*@ requires \valid(fr) && \valid(used) && \separated(used, fr);
  @ requires fr->status == EMSEC_OK;
  @ assigns *used, fr->status, fr->err;
  @ ensures *used == k && \result == fr->status && fr->status == EMSEC_ERR_SYNTAX;
  @*/
static emsec_result msrp_end_broken(emsec_msrp_framer *fr, uint32_t k, uint32_t *used)
{
    *used = k;
    return msrp_fail_at(fr, EMSEC_ERR_SYNTAX, EMSEC_MSRP_RULE_END_LINE, fr->pos + k);
}

/* No body: only the end-line may follow, byte for byte. */
/*@ requires phase_pre(fr, data, len, used, ev) && fr->phase == MSRP_PH_END;
  @ assigns *fr, *used, *ev;
  @ ensures phase_post(fr, \old(fr->msg), data, len, *used, ev, \result);
  @*/
static emsec_result msrp_feed_end(emsec_msrp_framer *fr, const uint8_t *data, uint32_t len,
                                  uint32_t *used, emsec_msrp_event *ev)
{
    const uint32_t k = msrp_match_on(fr, data, len);
    /* What the call left alone, stated right after it (cheap goals), and
     * the postcondition once per way out: with all three ways in one goal
     * it takes the provers too long on a loaded machine. */
    /*@ assert ev_clear(ev) && fr->msg == \at(fr->msg, Pre); */
    /*@ assert framer_ok{Pre}(fr); */
    /*@ assert fr->status == EMSEC_OK && fr->phase == MSRP_PH_END; */
    if (fr->match == MSRP_PAT_LEN(fr->pat_tid_end)) {
        *used = k;
        fr->pos += k;
        msrp_end(fr, ev);
        /*@ assert phase_post(fr, \at(fr->msg, Pre), data, len, *used, ev, EMSEC_OK); */
        return EMSEC_OK;
    }
    if (k < len) {
        const emsec_result r = msrp_end_broken(fr, k, used);
        /*@ assert phase_post(fr, \at(fr->msg, Pre), data, len, *used, ev, r); */
        return r;
    }
    *used = len;
    fr->pos += len;
    /*@ assert phase_post(fr, \at(fr->msg, Pre), data, len, *used, ev, EMSEC_OK); */
    return EMSEC_OK;
}

/*
 * The offset of the first CR in data[from, len), or len if there is none.
 * memchr finds it a word at a time; stepping each body byte through the
 * matcher made the MSRP-aware relay about 3x the agnostic relay's CPU per
 * GB (bench/results/msrp_relay.txt). ASSUMED contract (proofs/UNPROVED.md,
 * "MSRP"): WP's typed memory model cannot follow Frama-C's libc contract
 * of memchr, which reads the bytes as char.
 */
/*@ requires from < len && \valid_read(data + (0 .. len - 1));
  @ assigns \nothing;
  @ ensures from <= \result <= len;
  @ ensures \result < len ==> data[\result] == '\r';
  @ ensures \forall integer j; from <= j < \result ==> data[j] != '\r';
  @*/
static uint32_t msrp_find_cr(const uint8_t *data, uint32_t from, uint32_t len)
{
    const uint8_t *cr = memchr(data + from, '\r', len - from);
    if (cr == NULL) {
        return len;
    }
    return (uint32_t)(cr - data);
}

/*
 * Body with nothing held: look for a whole end-line in data[0, len).
 * Returns n: if *m == full, data[n - full, n) is the first end-line and
 * n >= full; else n == len and the last *m bytes (*m <= len) match the
 * start of one. From match 0 only a CR starts an end-line
 * (msrp_endline_step answers 0 for any other byte), so the bytes before
 * the next CR are skipped at once.
 */
/*@ requires \valid(fr) && \valid(m) && \separated(m, fr);
  @ requires 9 <= fr->pat_tid_end <= 9 + EMSEC_MSRP_MAX_TID;
  @ requires 0 < len && \valid_read(data + (0 .. len - 1));
  @ requires \separated(data + (0 .. len - 1), fr, m);
  @ assigns *m, fr->pat[fr->pat_tid_end];
  @ ensures *m <= fr->pat_tid_end + 3 && *m <= \result <= len;
  @ ensures *m < fr->pat_tid_end + 3 ==> \result == len;
  @ ensures *m == fr->pat_tid_end + 3 ==> fr->pat_tid_end + 3 <= \result;
  @ ensures *m > fr->pat_tid_end ==> is_flag(fr->pat[fr->pat_tid_end]);
  @*/
static uint32_t msrp_body_find(emsec_msrp_framer *fr, const uint8_t *data, uint32_t len,
                               uint32_t *m)
{
    const uint32_t full = MSRP_PAT_LEN(fr->pat_tid_end);
    uint32_t k = 0u;
    /*@ loop invariant 0 <= i <= len;
      @ loop invariant k < full && k <= i;
      @ loop invariant k > fr->pat_tid_end ==> is_flag(fr->pat[fr->pat_tid_end]);
      @ loop assigns i, k, fr->pat[fr->pat_tid_end];
      @ loop variant len - i;
      @*/
    for (uint32_t i = 0u; i < len; i++) {
        if (k == 0u) {
            i = msrp_find_cr(data, i, len);
            if (i == len) {
                break;
            }
        }
        const uint32_t next = msrp_endline_step(fr->pat, fr->pat_tid_end, k, data[i]);
        if (next == k + 1u && k == fr->pat_tid_end) {
            fr->pat[k] = data[i]; /* the flag */
        }
        k = next;
        if (k == full) {
            *m = k;
            return i + 1u;
        }
    }
    *m = k;
    return len;
}

/* The body-phase step's contract (msrp_feed_body and its two cases). */
/*@ predicate body_pre(emsec_msrp_framer *fr, uint8_t *data, integer len,
  @                    uint32_t *used, emsec_msrp_event *ev) =
  @   phase_pre(fr, data, len, used, ev) && fr->phase == MSRP_PH_BODY;
  @*/

/*
 * The byte after the k bytes of this feed that went on with the held
 * end-line broke it: all fr->match bytes held so far (`held` from earlier
 * feeds, then data[0, k)) are body, reported from fr->pat (held = 1); the
 * breaking byte is not used.
 */
/*@ requires \valid(fr) && \valid_read(fr->msg) && \separated(fr, fr->msg);
  @ requires \valid(used) && \valid(ev) && \separated(used, ev, fr, fr->msg);
  @ requires fr->status == EMSEC_OK && ev_clear(ev);
  @ requires 0 < fr->match < EMSEC_MSRP_MAX_END_LINE;
  @ assigns fr->body_len, fr->status, fr->err, fr->match, fr->pos, *used,
  @         ev->kind, ev->data, ev->off, ev->len, ev->held;
  @ ensures \result == fr->status;
  @ ensures \result == EMSEC_OK || \result == EMSEC_ERR_SYNTAX;
  @ ensures \result != EMSEC_OK ==>
  @         *used == 0 && ev_clear(ev) && fr->match == \old(fr->match);
  @ ensures \result == EMSEC_OK ==>
  @         fr->match == 0 && *used == k && ev->kind == EMSEC_MSRP_EV_BODY &&
  @         ev->held == 1 && ev->data == &fr->pat[0] && ev->len == \old(fr->match);
  @*/
static emsec_result msrp_held_broken(emsec_msrp_framer *fr, uint32_t held, uint32_t k,
                                     uint32_t *used, emsec_msrp_event *ev)
{
    const uint32_t m = fr->match;
    if (msrp_body_bytes(fr, m, fr->pos - held) != EMSEC_OK) {
        *used = 0u;
        return fr->status;
    }
    fr->match = 0u;
    *used = k;
    fr->pos += k;
    ev->kind = EMSEC_MSRP_EV_BODY;
    ev->data = fr->pat;
    ev->off = 0u;
    ev->len = m;
    ev->held = 1u;
    return EMSEC_OK;
}

/*
 * Body, bytes held from earlier feeds (fr->pat[0, fr->match)): if the
 * pattern goes on matching to its end, END; at the first byte that breaks
 * it, every held byte is body: one BODY event from fr->pat (held = 1), and
 * that byte is not used (the next call starts it afresh with nothing held).
 */
/*@ requires body_pre(fr, data, len, used, ev) && fr->match > 0;
  @ assigns *fr, *used, *ev;
  @ ensures phase_post(fr, \old(fr->msg), data, len, *used, ev, \result);
  @*/
static emsec_result msrp_body_held(emsec_msrp_framer *fr, const uint8_t *data, uint32_t len,
                                   uint32_t *used, emsec_msrp_event *ev)
{
    const uint32_t held = fr->match;
    const uint32_t k = msrp_match_on(fr, data, len);
    const uint32_t m = fr->match;
    /* What the call left alone, each stated right after it as its own
     * (cheap) goal, and the postcondition once per way out: over all three
     * at once, and without these facts at hand, it is out of the provers'
     * reach in time. */
    /*@ assert ev_clear(ev) && fr->msg == \at(fr->msg, Pre); */
    /*@ assert framer_ok{Pre}(fr); */
    /*@ assert fr->status == EMSEC_OK && fr->phase == MSRP_PH_BODY; */
    if (m == MSRP_PAT_LEN(fr->pat_tid_end)) {
        /* held bytes from before went on to a whole end-line */
        *used = k;
        fr->pos += k;
        msrp_end(fr, ev);
        /*@ assert phase_post(fr, \at(fr->msg, Pre), data, len, *used, ev, EMSEC_OK); */
        return EMSEC_OK;
    }
    if (k == len) {
        /* every byte fed still continues the held end-line */
        *used = len;
        fr->pos += len;
        /*@ assert phase_post(fr, \at(fr->msg, Pre), data, len, *used, ev, EMSEC_OK); */
        return EMSEC_OK;
    }
    /* data[k] breaks the pattern: all held bytes so far (earlier feeds'
     * and data[0, k)) are body */
    const emsec_result r = msrp_held_broken(fr, held, k, used, ev);
    /*@ assert phase_post(fr, \at(fr->msg, Pre), data, len, *used, ev, r); */
    return r;
}

/*
 * Body, nothing held: the bytes before the first end-line (or before the
 * bytes that may start one, held for the next feed) are body, reported as
 * one BODY of data[0, body). When an end-line follows body bytes, those
 * are reported first and the end-line is not used: the next call finds it
 * again from nothing held and reports END.
 */
/*@ requires body_pre(fr, data, len, used, ev) && fr->match == 0;
  @ assigns *fr, *used, *ev;
  @ ensures phase_post(fr, \old(fr->msg), data, len, *used, ev, \result);
  @*/
static emsec_result msrp_body_scan(emsec_msrp_framer *fr, const uint8_t *data, uint32_t len,
                                   uint32_t *used, emsec_msrp_event *ev)
{
    const uint32_t full = MSRP_PAT_LEN(fr->pat_tid_end);
    uint32_t m = 0u;
    const uint32_t n = msrp_body_find(fr, data, len, &m);
    const uint32_t body = n - m;
    /* What the call left alone, stated right after it (cheap goals), and
     * the postcondition once per way out: with all of them in one goal it
     * takes the provers too long on a loaded machine. */
    /*@ assert ev_clear(ev) && fr->msg == \at(fr->msg, Pre); */
    /*@ assert framer_ok{Pre}(fr); */
    /*@ assert fr->status == EMSEC_OK && fr->phase == MSRP_PH_BODY && fr->match == 0; */
    if (m == full && body == 0u) {
        /* the end-line alone, all in this feed */
        *used = n;
        fr->pos += n;
        msrp_end(fr, ev);
        /*@ assert phase_post(fr, \at(fr->msg, Pre), data, len, *used, ev, EMSEC_OK); */
        return EMSEC_OK;
    }
    if (body > 0u && msrp_body_bytes(fr, body, fr->pos) != EMSEC_OK) {
        *used = 0u;
        /*@ assert phase_post(fr, \at(fr->msg, Pre), data, len, *used, ev, fr->status); */
        return fr->status;
    }
    if (m == full) {
        /* body bytes before the end-line: report them first */
        *used = body;
        fr->pos += body;
    } else {
        /* data[0, len - m) is body; the last m bytes are held */
        fr->match = m;
        *used = len;
        fr->pos += len;
    }
    if (body > 0u) {
        ev->kind = EMSEC_MSRP_EV_BODY;
        ev->data = data;
        ev->off = 0u;
        ev->len = body;
    }
    /*@ assert phase_post(fr, \at(fr->msg, Pre), data, len, *used, ev, EMSEC_OK); */
    return EMSEC_OK;
}

/* Body: scan for CRLF "-------" tid flag CRLF (RFC 4975 §7.1, §9). Bytes
 * that may start an end-line are held (they equal fr->pat[0, fr->match));
 * bytes that can no longer be part of one are body. */
/*@ requires body_pre(fr, data, len, used, ev);
  @ assigns *fr, *used, *ev;
  @ ensures phase_post(fr, \old(fr->msg), data, len, *used, ev, \result);
  @*/
static emsec_result msrp_feed_body(emsec_msrp_framer *fr, const uint8_t *data, uint32_t len,
                                   uint32_t *used, emsec_msrp_event *ev)
{
    if (fr->match > 0u) {
        return msrp_body_held(fr, data, len, used, ev);
    }
    return msrp_body_scan(fr, data, len, used, ev);
}

/*
 * The contract of include/emsec/msrp.h: *used <= len; the event's bytes lie
 * in the bytes fed, the header block or the look-behind (ev_inside); the
 * framer's invariant is kept; failure is absorbing (a failed framer answers
 * FAILED_BEFORE and changes nothing; a failing call leaves a failed framer).
 */
/* The feed's precondition, one list for its contract and its vacuity probe
 * (the end of this file). */
#define MSRP_FEED_PRE                                                                            \
    requires framer_ok(fr);                                                                      \
    requires data == \null || \valid_read(data + (0 .. len - 1));                                \
    requires \valid(used) && \valid(ev) && \separated(used, ev, fr, fr->msg);                    \
    requires data == \null || \separated(data + (0 .. len - 1), used, ev, fr, fr->msg)
/*@ MSRP_FEED_PRE;
  @ assigns *fr, *(fr->msg), *used, *ev;
  @ ensures framer_ok(fr) && fr->msg == \old(fr->msg);
  @ ensures *used <= len;
  @ ensures \result == EMSEC_OK <==> fr->status == EMSEC_OK && \old(fr->status) == EMSEC_OK;
  @ behavior failed_before:
  @   assumes fr->status != EMSEC_OK;
  @   assigns *used, *ev;
  @   ensures \result == EMSEC_ERR_FAILED_BEFORE && *used == 0 && ev_clear(ev);
  @ behavior running:
  @   assumes fr->status == EMSEC_OK;
  @   ensures \result == fr->status;
  @   ensures \result == EMSEC_OK || \result == EMSEC_ERR_ARGUMENT ||
  @           \result == EMSEC_ERR_SYNTAX || \result == EMSEC_ERR_LIMIT;
  @   ensures \result != EMSEC_OK ==> ev->kind == EMSEC_MSRP_EV_NONE;
  @   ensures ev_inside(ev, fr, data, *used);
  @   ensures \result == EMSEC_OK && *used == 0 && len > 0 ==>
  @           ev->kind == EMSEC_MSRP_EV_HEADER ||
  @           (ev->kind == EMSEC_MSRP_EV_BODY && ev->held == 1);
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
emsec_result emsec_msrp_feed(emsec_msrp_framer *fr, const uint8_t *data, uint32_t len,
                             uint32_t *used, emsec_msrp_event *ev)
{
    ev->kind = EMSEC_MSRP_EV_NONE;
    ev->data = NULL;
    ev->len = 0u;
    ev->off = 0u;
    ev->held = 0u;
    ev->flag = 0u;
    ev->body_len = 0u;
    *used = 0u;
    if (fr->status != EMSEC_OK) {
        return EMSEC_ERR_FAILED_BEFORE;
    }
    if (len == 0u) {
        return EMSEC_OK;
    }
    if (data == NULL) {
        return msrp_fail_at(fr, EMSEC_ERR_ARGUMENT, EMSEC_MSRP_RULE_INPUT, fr->pos);
    }
    switch (fr->phase) {
    case MSRP_PH_HEADER: return msrp_feed_header(fr, data, len, used, ev);
    case MSRP_PH_BODY: return msrp_feed_body(fr, data, len, used, ev);
    case MSRP_PH_END: return msrp_feed_end(fr, data, len, used, ev);
    default: return msrp_fail_at(fr, EMSEC_ERR_ARGUMENT, EMSEC_MSRP_RULE_INPUT, fr->pos);
    }
}

/*@ requires framer_ok(fr);
  @ assigns fr->status, fr->err;
  @ ensures framer_ok(fr);
  @ behavior failed_before:
  @   assumes fr->status != EMSEC_OK;
  @   assigns \nothing;
  @   ensures \result == EMSEC_ERR_FAILED_BEFORE;
  @ behavior between:
  @   assumes fr->status == EMSEC_OK && fr->phase == MSRP_PH_HEADER && fr->hdr_len == 0;
  @   assigns \nothing;
  @   ensures \result == EMSEC_OK;
  @ behavior inside:
  @   assumes fr->status == EMSEC_OK && !(fr->phase == MSRP_PH_HEADER && fr->hdr_len == 0);
  @   ensures \result == EMSEC_ERR_INCOMPLETE && fr->status == EMSEC_ERR_INCOMPLETE;
  @   ensures fr->err.rule == EMSEC_MSRP_RULE_INCOMPLETE && fr->err.offset == fr->pos;
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
emsec_result emsec_msrp_finish(emsec_msrp_framer *fr)
{
    if (fr->status != EMSEC_OK) {
        return EMSEC_ERR_FAILED_BEFORE;
    }
    if (fr->phase == MSRP_PH_HEADER && fr->hdr_len == 0u) {
        return EMSEC_OK;
    }
    return msrp_fail_at(fr, EMSEC_ERR_INCOMPLETE, EMSEC_MSRP_RULE_INCOMPLETE, fr->pos);
}

#ifdef __FRAMAC__
/* Vacuity probe (proofs/run.sh, "vacuity"): the feed's precondition and
 * \false. If it PROVES, the precondition can never hold and the feed's
 * proof says nothing: the run fails then. */
/*@ MSRP_FEED_PRE;
  @ assigns \nothing;
  @ ensures vacuous: \false;
  @*/
static void probe_msrp_feed(emsec_msrp_framer *fr, const uint8_t *data, uint32_t len, uint32_t *used,
                            emsec_msrp_event *ev)
{
    (void)fr;
    (void)data;
    (void)len;
    (void)used;
    (void)ev;
}
#endif
