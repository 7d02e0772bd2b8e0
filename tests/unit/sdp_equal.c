/*
 * Test helper: content comparison of two parsed SDP forms (sdp_equal.h).
 * Plain libc only: tests/fuzz/fuzz_sdp.c includes this file.
 */
#include "sdp_equal.h"

#include <stdio.h>
#include <string.h>

typedef struct eq_ctx {
    const uint8_t *abuf, *bbuf;
    uint32_t alen, blen;
    uint32_t opts;
    char *why;
    size_t why_cap;
} eq_ctx;

static bool eq_fail(eq_ctx *c, const char *what, uint32_t i, const char *field,
                    const char *detail)
{
    if (c->why_cap > 0) {
        if (i == UINT32_MAX) {
            snprintf(c->why, c->why_cap, "%s%s: %s", what, field, detail);
        } else {
            snprintf(c->why, c->why_cap, "%s[%u]%s: %s", what, (unsigned)i, field, detail);
        }
    }
    return false;
}

static bool eq_span_in(emsec_span s, uint32_t len)
{
    return s.off <= len && s.len <= len - s.off;
}

/* Printable, truncated copy of a span for messages. */
static void eq_show(char *dst, size_t cap, const uint8_t *buf, uint32_t len, emsec_span s)
{
    size_t k = 0;
    if (cap == 0) {
        return;
    }
    if (!eq_span_in(s, len)) {
        snprintf(dst, cap, "<span %u+%u outside %u>", (unsigned)s.off, (unsigned)s.len,
                 (unsigned)len);
        return;
    }
    for (uint32_t j = 0; j < s.len && k + 5 < cap && j < 40; j++) {
        uint8_t ch = buf[s.off + j];
        if (ch >= 0x20 && ch < 0x7f && ch != '\\') {
            dst[k++] = (char)ch;
        } else {
            k += (size_t)snprintf(dst + k, cap - k, "\\x%02x", ch);
        }
    }
    dst[k < cap ? k : cap - 1] = '\0';
}

static bool eq_span(eq_ctx *c, const char *what, uint32_t i, const char *field, emsec_span a,
                    emsec_span b)
{
    char detail[256];
    char sa[100], sb[100];
    bool same;
    if (c->opts & SDP_EQ_SAME_OFFSETS) {
        same = a.off == b.off && a.len == b.len && eq_span_in(a, c->alen) &&
               eq_span_in(b, c->blen);
    } else {
        same = eq_span_in(a, c->alen) && eq_span_in(b, c->blen) && a.len == b.len &&
               (a.len == 0 || memcmp(c->abuf + a.off, c->bbuf + b.off, a.len) == 0);
    }
    if (same) {
        return true;
    }
    eq_show(sa, sizeof sa, c->abuf, c->alen, a);
    eq_show(sb, sizeof sb, c->bbuf, c->blen, b);
    snprintf(detail, sizeof detail, "\"%s\" (%u+%u) != \"%s\" (%u+%u)", sa, (unsigned)a.off,
             (unsigned)a.len, sb, (unsigned)b.off, (unsigned)b.len);
    return eq_fail(c, what, i, field, detail);
}

static bool eq_num(eq_ctx *c, const char *what, uint32_t i, const char *field, uint64_t a,
                   uint64_t b)
{
    char detail[64];
    if (a == b) {
        return true;
    }
    snprintf(detail, sizeof detail, "%llu != %llu", (unsigned long long)a, (unsigned long long)b);
    return eq_fail(c, what, i, field, detail);
}

#define EQ_SPAN(what, i, field, x, y)                                                          \
    do {                                                                                       \
        if (!eq_span(c, what, i, field, x, y))                                                 \
            return false;                                                                      \
    } while (0)
#define EQ_NUM(what, i, field, x, y)                                                           \
    do {                                                                                       \
        if (!eq_num(c, what, i, field, (uint64_t)(x), (uint64_t)(y)))                          \
            return false;                                                                      \
    } while (0)

static bool eq_conn(eq_ctx *c, const char *what, uint32_t i, const emsec_sdp_conn *a,
                    const emsec_sdp_conn *b)
{
    EQ_NUM(what, i, ".conn.present", a->present, b->present);
    if (!a->present) {
        return true;
    }
    EQ_NUM(what, i, ".conn.address_choice", a->address_choice, b->address_choice);
    EQ_SPAN(what, i, ".conn.nettype", a->nettype, b->nettype);
    EQ_SPAN(what, i, ".conn.addrtype", a->addrtype, b->addrtype);
    EQ_SPAN(what, i, ".conn.address", a->address, b->address);
    return true;
}

static bool eq_origin(eq_ctx *c, const emsec_sdp_origin *a, const emsec_sdp_origin *b)
{
    EQ_NUM("origin", UINT32_MAX, ".present", a->present, b->present);
    if (!a->present) {
        return true;
    }
    EQ_NUM("origin", UINT32_MAX, ".address_choice", a->address_choice, b->address_choice);
    EQ_SPAN("origin", UINT32_MAX, ".username", a->username, b->username);
    EQ_SPAN("origin", UINT32_MAX, ".sess_id", a->sess_id, b->sess_id);
    EQ_SPAN("origin", UINT32_MAX, ".sess_version", a->sess_version, b->sess_version);
    EQ_SPAN("origin", UINT32_MAX, ".nettype", a->nettype, b->nettype);
    EQ_SPAN("origin", UINT32_MAX, ".addrtype", a->addrtype, b->addrtype);
    EQ_SPAN("origin", UINT32_MAX, ".address", a->address, b->address);
    return true;
}

static bool eq_line(eq_ctx *c, uint32_t i, const emsec_sdp_line *a, const emsec_sdp_line *b)
{
    EQ_NUM("lines", i, ".type", a->type, b->type);
    EQ_NUM("lines", i, ".section", a->section, b->section);
    EQ_SPAN("lines", i, ".value", a->value, b->value);
    if (!(c->opts & SDP_EQ_IGNORE_EOL)) {
        EQ_NUM("lines", i, ".crlf", a->crlf, b->crlf);
    }
    return true;
}

static bool eq_media(eq_ctx *c, uint32_t i, const emsec_sdp_media *a, const emsec_sdp_media *b)
{
    EQ_SPAN("media", i, ".media", a->media, b->media);
    EQ_SPAN("media", i, ".port", a->port, b->port);
    EQ_SPAN("media", i, ".port_count", a->port_count, b->port_count);
    EQ_SPAN("media", i, ".proto_span", a->proto_span, b->proto_span);
    EQ_SPAN("media", i, ".fmts", a->fmts, b->fmts);
    EQ_NUM("media", i, ".port_value", a->port_value, b->port_value);
    EQ_NUM("media", i, ".port_count_value", a->port_count_value, b->port_count_value);
    EQ_NUM("media", i, ".proto", a->proto, b->proto);
    EQ_NUM("media", i, ".port_choice", a->port_choice, b->port_choice);
    EQ_NUM("media", i, ".conn_count", a->conn_count, b->conn_count);
    EQ_NUM("media", i, ".attr_first", a->attr_first, b->attr_first);
    EQ_NUM("media", i, ".attr_count", a->attr_count, b->attr_count);
    return eq_conn(c, "media", i, &a->conn, &b->conn);
}

/* The typed part of an attribute, by kind. */
static bool eq_attr_typed(eq_ctx *c, uint32_t i, const emsec_sdp_attr *a,
                          const emsec_sdp_attr *b)
{
    switch (a->kind) {
    case EMSEC_SDP_ATTR_SETUP:
        EQ_NUM("attrs", i, ".u.setup", a->u.setup, b->u.setup);
        break;
    case EMSEC_SDP_ATTR_CONNECTION:
        EQ_NUM("attrs", i, ".u.connection", a->u.connection, b->u.connection);
        break;
    case EMSEC_SDP_ATTR_FINGERPRINT:
        EQ_NUM("attrs", i, ".u.fingerprint.hash", a->u.fingerprint.hash, b->u.fingerprint.hash);
        EQ_SPAN("attrs", i, ".u.fingerprint.hash_name", a->u.fingerprint.hash_name,
                b->u.fingerprint.hash_name);
        EQ_SPAN("attrs", i, ".u.fingerprint.value", a->u.fingerprint.value,
                b->u.fingerprint.value);
        EQ_NUM("attrs", i, ".u.fingerprint.bytes", a->u.fingerprint.bytes,
               b->u.fingerprint.bytes);
        break;
    case EMSEC_SDP_ATTR_TLS_ID:
        EQ_SPAN("attrs", i, ".u.tls_id", a->u.tls_id, b->u.tls_id);
        break;
    case EMSEC_SDP_ATTR_PATH:
        EQ_NUM("attrs", i, ".u.path.count", a->u.path.count, b->u.path.count);
        EQ_SPAN("attrs", i, ".u.path.first", a->u.path.first, b->u.path.first);
        EQ_SPAN("attrs", i, ".u.path.last", a->u.path.last, b->u.path.last);
        break;
    case EMSEC_SDP_ATTR_ACCEPT_TYPES:
    case EMSEC_SDP_ATTR_BFCPVER:
        EQ_NUM("attrs", i, ".u.list.count", a->u.list.count, b->u.list.count);
        EQ_NUM("attrs", i, ".u.list.mask", a->u.list.mask, b->u.list.mask);
        break;
    case EMSEC_SDP_ATTR_KEY_MGMT:
        EQ_SPAN("attrs", i, ".u.key_mgmt.protocol", a->u.key_mgmt.protocol,
                b->u.key_mgmt.protocol);
        EQ_SPAN("attrs", i, ".u.key_mgmt.data", a->u.key_mgmt.data, b->u.key_mgmt.data);
        break;
    case EMSEC_SDP_ATTR_FLOORCTRL:
        EQ_NUM("attrs", i, ".u.floorctrl", a->u.floorctrl, b->u.floorctrl);
        break;
    case EMSEC_SDP_ATTR_CONFID:
    case EMSEC_SDP_ATTR_USERID:
        EQ_NUM("attrs", i, ".u.number", a->u.number, b->u.number);
        break;
    case EMSEC_SDP_ATTR_FLOORID:
        EQ_NUM("attrs", i, ".u.floorid.floor", a->u.floorid.floor, b->u.floorid.floor);
        EQ_NUM("attrs", i, ".u.floorid.stream_count", a->u.floorid.stream_count,
               b->u.floorid.stream_count);
        EQ_SPAN("attrs", i, ".u.floorid.streams", a->u.floorid.streams, b->u.floorid.streams);
        break;
    case EMSEC_SDP_ATTR_UNKNOWN:
    case EMSEC_SDP_ATTR_MSRP_CEMA:
    default:
        break;
    }
    return true;
}

static bool eq_attr(eq_ctx *c, uint32_t i, const emsec_sdp_attr *a, const emsec_sdp_attr *b)
{
    EQ_NUM("attrs", i, ".kind", a->kind, b->kind);
    EQ_NUM("attrs", i, ".section", a->section, b->section);
    EQ_NUM("attrs", i, ".has_value", a->has_value, b->has_value);
    EQ_NUM("attrs", i, ".choice", a->choice, b->choice);
    EQ_SPAN("attrs", i, ".name", a->name, b->name);
    EQ_SPAN("attrs", i, ".value", a->value, b->value);
    if (!(c->opts & SDP_EQ_IGNORE_EOL)) {
        EQ_NUM("attrs", i, ".crlf", a->crlf, b->crlf);
    }
    return eq_attr_typed(c, i, a, b);
}

bool sdp_equal(const emsec_sdp *a, const uint8_t *abuf, uint32_t alen, const emsec_sdp *b,
               const uint8_t *bbuf, uint32_t blen, uint32_t opts, char *why, size_t why_cap)
{
    eq_ctx ctx = { .abuf = abuf, .bbuf = bbuf, .alen = alen, .blen = blen, .opts = opts,
                   .why = why, .why_cap = why_cap };
    eq_ctx *c = &ctx;
    const uint32_t top = UINT32_MAX;

    if (why_cap > 0) {
        why[0] = '\0';
    }
    EQ_NUM("line_count", top, "", a->line_count, b->line_count);
    EQ_NUM("media_count", top, "", a->media_count, b->media_count);
    EQ_NUM("attr_count", top, "", a->attr_count, b->attr_count);
    EQ_NUM("session_attr_count", top, "", a->session_attr_count, b->session_attr_count);
    if (a->line_count > EMSEC_SDP_MAX_LINES || a->media_count > EMSEC_SDP_MAX_MEDIA ||
        a->attr_count > EMSEC_SDP_MAX_ATTRS) {
        return eq_fail(c, "counts", top, "", "beyond the limits");
    }
    if (!(opts & SDP_EQ_IGNORE_EOL)) {
        EQ_SPAN("whole", top, "", a->whole, b->whole);
    }
    if (!(opts & SDP_EQ_IGNORE_NEXT)) {
        EQ_NUM("has_next", top, "", a->has_next, b->has_next);
        if (a->has_next && (opts & SDP_EQ_SAME_OFFSETS)) {
            EQ_NUM("next", top, "", a->next, b->next);
        }
    }
    if (!eq_origin(c, &a->origin, &b->origin)) {
        return false;
    }
    EQ_NUM("has_session_name", top, "", a->has_session_name, b->has_session_name);
    if (a->has_session_name) {
        EQ_SPAN("session_name", top, "", a->session_name, b->session_name);
    }
    EQ_NUM("has_time", top, "", a->has_time, b->has_time);
    if (!eq_conn(c, "session", top, &a->conn, &b->conn)) {
        return false;
    }
    for (uint32_t i = 0; i < a->line_count; i++) {
        if (!eq_line(c, i, &a->lines[i], &b->lines[i])) {
            return false;
        }
    }
    for (uint32_t i = 0; i < a->media_count; i++) {
        if (!eq_media(c, i, &a->media[i], &b->media[i])) {
            return false;
        }
    }
    for (uint32_t i = 0; i < a->attr_count; i++) {
        if (!eq_attr(c, i, &a->attrs[i], &b->attrs[i])) {
            return false;
        }
    }
    return true;
}
