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

const char *emsec_msrp_rule_name(emsec_msrp_rule rule)
{
    if ((uint32_t)rule >= (uint32_t)EMSEC_MSRP_RULE__COUNT) {
        return "?";
    }
    return msrp_rule_names[rule];
}

/* RFC 4975 §9 method names (case-sensitive: mSEND and mREPORT are %x
 * strings), AUTH from RFC 4976 §4.1. */
emsec_msrp_method emsec_msrp__method_of(const uint8_t *s, uint32_t len)
{
    if (len == 4u && memcmp(s, "SEND", 4u) == 0) {
        return EMSEC_MSRP_METHOD_SEND;
    }
    if (len == 6u && memcmp(s, "REPORT", 6u) == 0) {
        return EMSEC_MSRP_METHOD_REPORT;
    }
    if (len == 4u && memcmp(s, "AUTH", 4u) == 0) {
        return EMSEC_MSRP_METHOD_AUTH;
    }
    return EMSEC_MSRP_METHOD_OTHER;
}

/* ------------------------------------------------------------ framer */

/* Stream offset -> error; always returns the code. */
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

emsec_result emsec_msrp_framer_init(emsec_msrp_framer *fr, emsec_msrp_msg *msg)
{
    fr->msg = msg;
    fr->pos = 0u;
    fr->status = EMSEC_OK;
    fr->err.offset = 0u;
    fr->err.rule = EMSEC_MSRP_RULE_NONE;
    memset(fr->pat, 0, sizeof fr->pat);
    memset(msg, 0, sizeof *msg);
    msrp_next_message(fr);
    return EMSEC_OK;
}

emsec_msrp_error emsec_msrp_last_error(const emsec_msrp_framer *fr)
{
    return fr->err;
}

const uint8_t *emsec_msrp_header_bytes(const emsec_msrp_framer *fr)
{
    return fr->hdr;
}

/* RFC 4975 §7.1 and §9 on the block as a whole, once it ended: a body only
 * in a request and right after Content-Type; no Content-Type without body. */
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

/* Header phase: copy what fits, run the machine, report the block. The
 * buffer has one byte more than the limit: a block of exactly
 * EMSEC_MSRP_MAX_HEADER bytes without body ends at the '-' that follows it,
 * which must be seen to know. Any block longer than the limit is
 * EMSEC_ERR_LIMIT at the offset of its first byte past the limit, however
 * the input is split. */
static emsec_result msrp_feed_header(emsec_msrp_framer *fr, const uint8_t *data, uint32_t len,
                                     uint32_t *used, emsec_msrp_event *ev)
{
    const uint32_t before = fr->hdr_len;
    const uint32_t room = EMSEC_MSRP_MAX_HEADER + 1u - before;
    const uint32_t n = len < room ? len : room;
    const uint64_t limit_at = fr->hdr_base + EMSEC_MSRP_MAX_HEADER;

    if (before == 0u) {
        memset(fr->msg, 0, sizeof *fr->msg);
    }
    memcpy(fr->hdr + before, data, n);
    emsec_msrp__exec(fr, before, before + n);
    if (fr->status != EMSEC_OK) {
        const uint64_t at = fr->err.offset;
        *used = at > fr->pos ? (uint32_t)(at - fr->pos) : 0u;
        if (*used > len) {
            *used = len;
        }
        return fr->status;
    }
    if (fr->ended == 0u) {
        fr->hdr_len = before + n;
        *used = n;
        if (fr->hdr_len > EMSEC_MSRP_MAX_HEADER) {
            return msrp_fail_at(fr, EMSEC_ERR_LIMIT, EMSEC_MSRP_RULE_LIMIT_HEADER, limit_at);
        }
        fr->pos += n;
        return EMSEC_OK;
    }
    if (fr->hdr_end > EMSEC_MSRP_MAX_HEADER) {
        *used = 0u;
        return msrp_fail_at(fr, EMSEC_ERR_LIMIT, EMSEC_MSRP_RULE_LIMIT_HEADER, limit_at);
    }
    *used = fr->hdr_end - before;
    fr->hdr_len = fr->hdr_end;
    if (msrp_check_block(fr) != EMSEC_OK) {
        *used = 0u;
        return fr->status;
    }
    fr->pos += *used;
    if (fr->msg->tid.len < EMSEC_MSRP_MIN_TID || fr->msg->tid.len > EMSEC_MSRP_MAX_TID ||
        fr->msg->tid.off > EMSEC_MSRP_MAX_HEADER - fr->msg->tid.len) {
        /* unreachable: the grammar's ident is 4..32 bytes inside hdr */
        return msrp_fail_at(fr, EMSEC_ERR_ARGUMENT, EMSEC_MSRP_RULE_INPUT, fr->hdr_base);
    }
    fr->pat_tid_end = msrp_endline_setup(fr->pat, fr->hdr + fr->msg->tid.off, fr->msg->tid.len);
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

/* The end-line is complete: report it and get ready for the next message. */
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

/* No body: only the end-line may follow, byte for byte. */
static emsec_result msrp_feed_end(emsec_msrp_framer *fr, const uint8_t *data, uint32_t len,
                                  uint32_t *used, emsec_msrp_event *ev)
{
    const uint32_t full = MSRP_PAT_LEN(fr->pat_tid_end);
    for (uint32_t i = 0; i < len; i++) {
        const uint32_t m = fr->match;
        const uint32_t next = msrp_endline_step(fr->pat, fr->pat_tid_end, m, data[i]);
        if (next != m + 1u) {
            *used = i;
            return msrp_fail_at(fr, EMSEC_ERR_SYNTAX, EMSEC_MSRP_RULE_END_LINE, fr->pos + i);
        }
        if (m == fr->pat_tid_end) {
            fr->pat[m] = data[i]; /* the flag */
        }
        fr->match = next;
        if (next == full) {
            *used = i + 1u;
            fr->pos += i + 1u;
            msrp_end(fr, ev);
            return EMSEC_OK;
        }
    }
    *used = len;
    fr->pos += len;
    return EMSEC_OK;
}

/*
 * Body: scan for CRLF "-------" tid flag CRLF (RFC 4975 §7.1, §9). Bytes
 * that may start an end-line are held (they equal fr->pat[0, fr->match));
 * bytes that can no longer be part of one are body.
 *  - Held bytes from earlier feeds: if the pattern goes on matching to its
 *    end, END; at the first byte that breaks it, every held byte is body:
 *    one BODY event from fr->pat (held = 1), and that byte is not used (the
 *    next call starts it afresh with nothing held).
 *  - Otherwise the body bytes of this feed are data[0, i + 1 - match):
 *    BODY for them when the feed ends or an end-line completes (then the
 *    end-line's bytes are not used: the next call finds it again from
 *    nothing held and reports END).
 */
static emsec_result msrp_feed_body(emsec_msrp_framer *fr, const uint8_t *data, uint32_t len,
                                   uint32_t *used, emsec_msrp_event *ev)
{
    const uint32_t full = MSRP_PAT_LEN(fr->pat_tid_end);
    const uint32_t held_before = fr->match;
    uint32_t m = fr->match;

    for (uint32_t i = 0; i < len; i++) {
        const uint32_t next = msrp_endline_step(fr->pat, fr->pat_tid_end, m, data[i]);
        if (next == m + 1u) {
            if (m == fr->pat_tid_end) {
                fr->pat[m] = data[i]; /* the flag */
            }
            m = next;
            if (m == full) {
                if (i + 1u == m - held_before && held_before == 0u) {
                    /* the end-line alone, all in this feed */
                    fr->match = 0u;
                    *used = i + 1u;
                    fr->pos += i + 1u;
                    msrp_end(fr, ev);
                    return EMSEC_OK;
                }
                if (held_before > 0u && i + 1u + held_before == m) {
                    /* held bytes from before went on to a whole end-line */
                    fr->match = 0u;
                    *used = i + 1u;
                    fr->pos += i + 1u;
                    msrp_end(fr, ev);
                    return EMSEC_OK;
                }
                /* body bytes before the end-line: report them first */
                const uint32_t body = i + 1u - full;
                if (msrp_body_bytes(fr, body, fr->pos) != EMSEC_OK) {
                    *used = 0u;
                    return fr->status;
                }
                fr->match = 0u;
                *used = body;
                fr->pos += body;
                ev->kind = EMSEC_MSRP_EV_BODY;
                ev->data = data;
                ev->off = 0u;
                ev->len = body;
                return EMSEC_OK;
            }
            continue;
        }
        /* data[i] breaks the pattern */
        if (held_before > 0u && i + held_before == m) {
            /* all held bytes so far (earlier feeds' and data[0, i)) are body */
            if (msrp_body_bytes(fr, m, fr->pos - held_before) != EMSEC_OK) {
                *used = 0u;
                return fr->status;
            }
            fr->match = 0u;
            *used = i;
            fr->pos += i;
            ev->kind = EMSEC_MSRP_EV_BODY;
            ev->data = fr->pat;
            ev->off = 0u;
            ev->len = m;
            ev->held = 1u;
            return EMSEC_OK;
        }
        m = next;
    }
    if (held_before > 0u && len + held_before == m) {
        /* every byte fed still continues the held end-line */
        fr->match = m;
        *used = len;
        fr->pos += len;
        return EMSEC_OK;
    }
    /* data[0, len - m) is body; the last m bytes are held */
    const uint32_t body = len - m;
    if (body > 0u && msrp_body_bytes(fr, body, fr->pos) != EMSEC_OK) {
        *used = 0u;
        return fr->status;
    }
    fr->match = m;
    *used = len;
    fr->pos += len;
    if (body > 0u) {
        ev->kind = EMSEC_MSRP_EV_BODY;
        ev->data = data;
        ev->off = 0u;
        ev->len = body;
    }
    return EMSEC_OK;
}

emsec_result emsec_msrp_feed(emsec_msrp_framer *fr, const uint8_t *data, uint32_t len,
                             uint32_t *used, emsec_msrp_event *ev)
{
    memset(ev, 0, sizeof *ev);
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
