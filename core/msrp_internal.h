/*
 * core/msrp_internal.h: what the generated MSRP header machine (gen/msrp.c,
 * from spec/msrp.rl) calls, and what the framer (core/msrp_frame.c) shares
 * with it. Not a public header.
 *
 * Common contract of every helper (ACSL requires of the machine's callers):
 *   - fr is valid, fr->msg valid; every offset `off` given is <= the bytes
 *     of fr->hdr run so far, and fr->mark, fr->val_start, fr->line_start are
 *     <= off when the grammar reaches the action that passes them;
 *   - a header helper runs only inside a header line, after msrp_header_begin
 *     claimed a slot. That is a relation between the Ragel state and
 *     msg->header_count that Eva's non-relational domain does not keep; so
 *     msrp_cur_header() checks the count anyway and, if it is 0 (unreachable
 *     unless the caller broke a precondition), fails with EMSEC_ERR_ARGUMENT /
 *     EMSEC_MSRP_RULE_INPUT. The helpers are therefore total.
 * Each helper returns false after recording the error (msrp_fail); the
 * calling action then stops the machine (fbreak).
 */
#ifndef EMSEC_MSRP_INTERNAL_H
#define EMSEC_MSRP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "emsec/msrp.h"
#include "emsec/result.h"

/* gen/msrp.c */
void emsec_msrp__machine_init(emsec_msrp_framer *fr);
/* Runs fr->hdr[from, to). requires: from <= to <= EMSEC_MSRP_MAX_HEADER + 1. */
void emsec_msrp__exec(emsec_msrp_framer *fr, uint32_t from, uint32_t to);

/* Which field an msrp_field() call closes: the span [fr->mark, off). */
typedef enum msrp_field_id {
    MSRP_F_STATUS, MSRP_F_URI, MSRP_F_RANGE_START, MSRP_F_RANGE_END,
    MSRP_F_RANGE_TOTAL, MSRP_F_RANGE_TOTAL_STAR,
    MSRP_F_REPORT_YES, MSRP_F_REPORT_NO, MSRP_F_REPORT_PARTIAL, MSRP_F_STATUS_NS,
    MSRP_F_STATUS_CODE
} msrp_field_id;

static inline emsec_span msrp_span(uint32_t from, uint32_t to)
{
    emsec_span s;
    s.off = from;
    s.len = to >= from ? to - from : 0u;
    return s;
}

/* Record the first error at header offset `off`; always returns false. */
static inline bool msrp_fail_code(emsec_msrp_framer *fr, emsec_result code, emsec_msrp_rule rule,
                                  uint32_t off)
{
    if (fr->status == EMSEC_OK) {
        fr->status = code;
        fr->err.offset = fr->hdr_base + off;
        fr->err.rule = rule;
    }
    return false;
}

static inline bool msrp_fail(emsec_msrp_framer *fr, emsec_msrp_rule rule, uint32_t off)
{
    emsec_result code = EMSEC_ERR_SYNTAX;
    if (rule >= EMSEC_MSRP_RULE_LIMIT_HEADER && rule <= EMSEC_MSRP_RULE_LIMIT_PATH) {
        code = EMSEC_ERR_LIMIT;
    }
    return msrp_fail_code(fr, code, rule, off);
}

/* The machine has no transition for the byte at `off`: the rule in force. */
static inline void msrp_fail_rule(emsec_msrp_framer *fr, uint32_t off)
{
    emsec_msrp_rule rule = EMSEC_MSRP_RULE_START_LINE;
    if (fr->rule < (uint32_t)EMSEC_MSRP_RULE__COUNT) {
        rule = (emsec_msrp_rule)fr->rule;
    }
    (void)msrp_fail(fr, rule, off);
}

/* The header line being read, or NULL (error recorded). */
static inline emsec_msrp_header *msrp_cur_header(emsec_msrp_framer *fr)
{
    const uint32_t n = fr->msg->header_count;
    if (n == 0u || n > EMSEC_MSRP_MAX_HEADERS) {
        (void)msrp_fail_code(fr, EMSEC_ERR_ARGUMENT, EMSEC_MSRP_RULE_INPUT, fr->line_start);
        return NULL;
    }
    return &fr->msg->headers[n - 1u];
}

/* Decimal value of hdr[from, to): digits only (the grammar checked them);
 * false when it has more than 19 digits (no uint64_t overflow). */
static inline bool msrp_u64(const emsec_msrp_framer *fr, uint32_t from, uint32_t to,
                            uint64_t *out)
{
    uint64_t v = 0u;
    if (to <= from || to - from > 19u || to > EMSEC_MSRP_MAX_HEADER) {
        return false;
    }
    for (uint32_t i = from; i < to; i++) {
        v = v * 10u + (uint64_t)(fr->hdr[i] - (uint8_t)'0');
    }
    *out = v;
    return true;
}

/* The rule a header's value follows, by emsec_msrp_header_kind (callers
 * pass one of those constants: a table, so that Eva sees no branch that a
 * constant argument leaves dead). */
static const uint8_t msrp_rule_of_kind[EMSEC_MSRP_H_USE_PATH + 1] = {
    [EMSEC_MSRP_H_OTHER] = EMSEC_MSRP_RULE_EXT_HEADER,
    [EMSEC_MSRP_H_TO_PATH] = EMSEC_MSRP_RULE_TO_PATH,
    [EMSEC_MSRP_H_FROM_PATH] = EMSEC_MSRP_RULE_FROM_PATH,
    [EMSEC_MSRP_H_MESSAGE_ID] = EMSEC_MSRP_RULE_MESSAGE_ID,
    [EMSEC_MSRP_H_BYTE_RANGE] = EMSEC_MSRP_RULE_BYTE_RANGE,
    [EMSEC_MSRP_H_SUCCESS_REPORT] = EMSEC_MSRP_RULE_SUCCESS_REPORT,
    [EMSEC_MSRP_H_FAILURE_REPORT] = EMSEC_MSRP_RULE_FAILURE_REPORT,
    [EMSEC_MSRP_H_STATUS] = EMSEC_MSRP_RULE_STATUS,
    [EMSEC_MSRP_H_CONTENT_TYPE] = EMSEC_MSRP_RULE_CONTENT_TYPE,
    [EMSEC_MSRP_H_USE_PATH] = EMSEC_MSRP_RULE_USE_PATH,
};

/* The first byte of a header line is at `off`: claim a slot. */
static inline bool msrp_header_begin(emsec_msrp_framer *fr, uint32_t off)
{
    emsec_msrp_msg *m = fr->msg;
    if (m->header_count >= EMSEC_MSRP_MAX_HEADERS) {
        return msrp_fail(fr, EMSEC_MSRP_RULE_LIMIT_HEADERS, off);
    }
    emsec_msrp_header *h = &m->headers[m->header_count];
    h->line = msrp_span(off, off);
    h->name = msrp_span(off, off);
    h->value = msrp_span(off, off);
    h->kind = EMSEC_MSRP_H_OTHER;
    m->header_count++;
    fr->line_start = off;
    return true;
}

/* The ':' after a header name is at `off`. A typed header may appear once
 * (RFC 4975 §9 lists each once; two To-Paths would make the route
 * ambiguous). */
static inline bool msrp_header_name(emsec_msrp_framer *fr, emsec_msrp_header_kind kind,
                                    uint32_t off)
{
    emsec_msrp_header *h = msrp_cur_header(fr);
    if (h == NULL) {
        return false;
    }
    if (kind != EMSEC_MSRP_H_OTHER) {
        const uint32_t n = fr->msg->header_count;
        /* n <= EMSEC_MSRP_MAX_HEADERS (msrp_cur_header checked it) */
        for (uint32_t i = 0; i + 1u < n; i++) {
            if (fr->msg->headers[i].kind == (uint32_t)kind) {
                return msrp_fail(fr, EMSEC_MSRP_RULE_DUPLICATE_HEADER, fr->line_start);
            }
        }
    }
    h->name = msrp_span(fr->line_start, off);
    h->kind = (uint32_t)kind;
    fr->rule = msrp_rule_of_kind[kind];
    return true;
}

/* The CR of a header line is at `off`. */
static inline bool msrp_header_end(emsec_msrp_framer *fr, uint32_t off)
{
    emsec_msrp_header *h = msrp_cur_header(fr);
    if (h == NULL) {
        return false;
    }
    h->value = msrp_span(fr->val_start, off);
    h->line = msrp_span(fr->line_start, off);
    if (h->kind == (uint32_t)EMSEC_MSRP_H_CONTENT_TYPE) {
        fr->msg->content_type = h->value;
    }
    fr->last_kind = h->kind;
    fr->rule = EMSEC_MSRP_RULE_LINE_END;
    return true;
}

/* The LF of a header line was read: what the next line must be. */
static inline void msrp_line_next(emsec_msrp_framer *fr)
{
    fr->rule = (fr->msg->header_count == 1u) ? EMSEC_MSRP_RULE_FROM_PATH
                                             : EMSEC_MSRP_RULE_HEADER;
}

/* The header block ends at `end` (exclusive); body: an empty line ended it. */
static inline void msrp_block_end(emsec_msrp_framer *fr, uint32_t end, uint32_t body)
{
    fr->ended = 1u;
    fr->hdr_end = end;
    fr->msg->has_body = body;
    fr->msg->header_len = end;
}

/* Add the URI [mark, off) to the path of the current header. */
static inline bool msrp_add_uri(emsec_msrp_framer *fr, uint32_t off)
{
    emsec_msrp_header *h = msrp_cur_header(fr);
    emsec_msrp_path *path;
    if (h == NULL) {
        return false;
    }
    uint32_t rule;
    switch (h->kind) {
    case EMSEC_MSRP_H_TO_PATH:
        path = &fr->msg->to_path;
        rule = EMSEC_MSRP_RULE_TO_PATH;
        break;
    case EMSEC_MSRP_H_FROM_PATH:
        path = &fr->msg->from_path;
        rule = EMSEC_MSRP_RULE_FROM_PATH;
        break;
    case EMSEC_MSRP_H_USE_PATH:
        path = &fr->msg->use_path;
        rule = EMSEC_MSRP_RULE_USE_PATH;
        break;
    default: return msrp_fail_code(fr, EMSEC_ERR_ARGUMENT, EMSEC_MSRP_RULE_INPUT, off);
    }
    const uint32_t n = path->count; /* one read: Eva keeps the bound on n */
    if (n >= EMSEC_MSRP_MAX_PATH) {
        return msrp_fail(fr, EMSEC_MSRP_RULE_LIMIT_PATH, fr->mark);
    }
    path->uri[n] = msrp_span(fr->mark, off);
    path->count = n + 1u;
    fr->rule = rule;
    return true;
}

/* Success-Report / Failure-Report value. */
static inline bool msrp_report(emsec_msrp_framer *fr, emsec_msrp_report v, uint32_t off)
{
    emsec_msrp_header *h = msrp_cur_header(fr);
    if (h == NULL) {
        return false;
    }
    if (h->kind == (uint32_t)EMSEC_MSRP_H_SUCCESS_REPORT) {
        fr->msg->success_report = (uint32_t)v;
        return true;
    }
    if (h->kind == (uint32_t)EMSEC_MSRP_H_FAILURE_REPORT) {
        fr->msg->failure_report = (uint32_t)v;
        return true;
    }
    return msrp_fail_code(fr, EMSEC_ERR_ARGUMENT, EMSEC_MSRP_RULE_INPUT, off);
}

/* Byte-Range (RFC 4975 §7.1.1: byte numbers start at 1; range-end, when
 * known, is at least range-start - 1 (an empty chunk) and at most total). */
static inline bool msrp_range_done(emsec_msrp_framer *fr)
{
    const emsec_msrp_msg *m = fr->msg;
    const uint32_t off = fr->val_start; /* the error names the whole value */
    if (m->range_start == 0u) {
        return msrp_fail(fr, EMSEC_MSRP_RULE_BYTE_RANGE, off);
    }
    if (m->range_end != EMSEC_MSRP_UNKNOWN && m->range_end + 1u < m->range_start) {
        return msrp_fail(fr, EMSEC_MSRP_RULE_BYTE_RANGE, off);
    }
    if (m->range_end != EMSEC_MSRP_UNKNOWN && m->range_total != EMSEC_MSRP_UNKNOWN &&
        m->range_end > m->range_total) {
        return msrp_fail(fr, EMSEC_MSRP_RULE_BYTE_RANGE, off);
    }
    return true;
}

/* The method of the name s[0, len) (core/msrp_frame.c). requires: s
 * readable for len bytes (the grammar's method span inside fr->hdr). */
/*@ assigns \nothing;
  @ ensures EMSEC_MSRP_METHOD_SEND <= \result <= EMSEC_MSRP_METHOD_OTHER;
  @*/
emsec_msrp_method emsec_msrp__method_of(const uint8_t *s, uint32_t len);

/* Fields that cannot be refused (the grammar has checked them): a setter
 * with no result, so that the action has no fbreak that could never run. */
typedef enum msrp_set_id {
    MSRP_S_TID, MSRP_S_METHOD, MSRP_S_COMMENT, MSRP_S_START_LINE, MSRP_S_MESSAGE_ID,
    MSRP_S_RANGE_END_STAR
} msrp_set_id;

/* The field [fr->mark, off) (START_LINE: [0, off)) ended. */
static inline void msrp_set(emsec_msrp_framer *fr, msrp_set_id f, uint32_t off)
{
    emsec_msrp_msg *m = fr->msg;
    const emsec_span s = msrp_span(fr->mark, off);
    switch (f) {
    case MSRP_S_TID: m->tid = s; break;
    case MSRP_S_METHOD:
        m->kind = EMSEC_MSRP_REQUEST;
        m->method_name = s;
        m->method = (uint32_t)emsec_msrp__method_of(fr->hdr + s.off, s.len);
        break;
    case MSRP_S_COMMENT: m->comment = s; break;
    case MSRP_S_START_LINE: m->start_line = msrp_span(0u, off); break;
    case MSRP_S_MESSAGE_ID: m->message_id = s; break;
    default: m->range_end = EMSEC_MSRP_UNKNOWN; break; /* MSRP_S_RANGE_END_STAR */
    }
}

/* A field [fr->mark, off) ended (for *_STAR and REPORT_*: the byte at
 * `off` was read). Stores it; false (error recorded) if refused. */
static inline bool msrp_field(emsec_msrp_framer *fr, msrp_field_id f, uint32_t off)
{
    emsec_msrp_msg *m = fr->msg;
    const emsec_span s = msrp_span(fr->mark, off);
    uint64_t v = 0u;

    switch (f) {
    case MSRP_F_STATUS:
        m->kind = EMSEC_MSRP_RESPONSE;
        m->method = EMSEC_MSRP_METHOD_NONE;
        if (!msrp_u64(fr, s.off, off, &v)) {
            return msrp_fail(fr, EMSEC_MSRP_RULE_STATUS_CODE, s.off);
        }
        m->status = (uint32_t)v;
        return true;
    case MSRP_F_URI: return msrp_add_uri(fr, off);
    case MSRP_F_RANGE_START:
        if (!msrp_u64(fr, s.off, off, &m->range_start)) {
            return msrp_fail(fr, EMSEC_MSRP_RULE_BYTE_RANGE, s.off);
        }
        m->has_byte_range = 1u;
        return true;
    case MSRP_F_RANGE_END:
        if (!msrp_u64(fr, s.off, off, &m->range_end)) {
            return msrp_fail(fr, EMSEC_MSRP_RULE_BYTE_RANGE, s.off);
        }
        return true;
    case MSRP_F_RANGE_TOTAL:
        if (!msrp_u64(fr, s.off, off, &m->range_total)) {
            return msrp_fail(fr, EMSEC_MSRP_RULE_BYTE_RANGE, s.off);
        }
        return msrp_range_done(fr);
    case MSRP_F_RANGE_TOTAL_STAR:
        m->range_total = EMSEC_MSRP_UNKNOWN;
        return msrp_range_done(fr);
    case MSRP_F_REPORT_YES: return msrp_report(fr, EMSEC_MSRP_REPORT_YES, off);
    case MSRP_F_REPORT_NO: return msrp_report(fr, EMSEC_MSRP_REPORT_NO, off);
    case MSRP_F_REPORT_PARTIAL: return msrp_report(fr, EMSEC_MSRP_REPORT_PARTIAL, off);
    case MSRP_F_STATUS_NS:
        if (!msrp_u64(fr, s.off, off, &v)) {
            return msrp_fail(fr, EMSEC_MSRP_RULE_STATUS, s.off);
        }
        m->status_namespace = (uint32_t)v;
        return true;
    default: /* MSRP_F_STATUS_CODE */
        if (!msrp_u64(fr, s.off, off, &v)) {
            return msrp_fail(fr, EMSEC_MSRP_RULE_STATUS, s.off);
        }
        m->status_code = (uint32_t)v;
        m->has_status = 1u;
        return true;
    }
}

#endif /* EMSEC_MSRP_INTERNAL_H */
