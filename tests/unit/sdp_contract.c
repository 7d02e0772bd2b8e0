/*
 * Test helper: run-time mirror of the ACSL predicate emsec_sdp_ok
 * (sdp_contract.h). Plain libc only: tests/fuzz/fuzz_sdp.c includes this
 * file next to sdp_equal.c, so its own names all start with sc_.
 */
#include "sdp_contract.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Write the failing clause into why; always false. */
static bool sc_fail(char *why, size_t why_cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool sc_fail(char *why, size_t why_cap, const char *fmt, ...)
{
    if (why != NULL && why_cap > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, why_cap, fmt, ap);
        va_end(ap);
    }
    return false;
}

/* emsec_sdp_span_in(sp, len): sp.off + sp.len <= len, in integers. */
static bool sc_span_in(emsec_span sp, uint32_t len)
{
    return (uint64_t)sp.off + (uint64_t)sp.len <= (uint64_t)len;
}

/* The value stored in an enum field, read from its bytes (a load of the
 * enum type itself could trap under a sanitizer when the value is out of
 * range, which is what is being checked). Both enums have no negative
 * constant, so the compiler's type for them is int or unsigned int: the
 * same bytes read as int are accepted only if they are 0..UNSPECIFIED under
 * either reading. */
_Static_assert(sizeof(emsec_sdp_setup) == sizeof(int), "emsec_sdp_setup is int-sized");
_Static_assert(sizeof(emsec_sdp_connval) == sizeof(int), "emsec_sdp_connval is int-sized");

static int64_t sc_enum_value(const void *field)
{
    int v;
    memcpy(&v, field, sizeof v);
    return (int64_t)v;
}

/* One attribute: emsec_sdp_attr_ok(a, len), clauses A1..A6. */
static bool sc_attr_ok(const emsec_sdp_attr *a, uint32_t j, uint32_t len, char *why,
                       size_t why_cap)
{
    if (!sc_span_in(a->name, len)) {
        return sc_fail(why, why_cap, "A1 attrs[%u].name: %u+%u > len %u", (unsigned)j,
                       (unsigned)a->name.off, (unsigned)a->name.len, (unsigned)len);
    }
    if (!sc_span_in(a->value, len)) {
        return sc_fail(why, why_cap, "A2 attrs[%u].value: %u+%u > len %u", (unsigned)j,
                       (unsigned)a->value.off, (unsigned)a->value.len, (unsigned)len);
    }
    if (a->kind == EMSEC_SDP_ATTR_FINGERPRINT) {
        emsec_span hn = a->u.fingerprint.hash_name;
        emsec_span fv = a->u.fingerprint.value;
        if (!sc_span_in(hn, len)) {
            return sc_fail(why, why_cap, "A3 attrs[%u].u.fingerprint.hash_name: %u+%u > len %u",
                           (unsigned)j, (unsigned)hn.off, (unsigned)hn.len, (unsigned)len);
        }
        if (!sc_span_in(fv, len)) {
            return sc_fail(why, why_cap, "A4 attrs[%u].u.fingerprint.value: %u+%u > len %u",
                           (unsigned)j, (unsigned)fv.off, (unsigned)fv.len, (unsigned)len);
        }
    }
    if (a->kind == EMSEC_SDP_ATTR_SETUP) {
        int64_t v = sc_enum_value(&a->u.setup);
        if (v < (int64_t)EMSEC_SDP_SETUP_NONE || v > (int64_t)EMSEC_SDP_SETUP_UNSPECIFIED) {
            return sc_fail(why, why_cap, "A5 attrs[%u].u.setup: %lld outside %d..%d",
                           (unsigned)j, (long long)v, (int)EMSEC_SDP_SETUP_NONE,
                           (int)EMSEC_SDP_SETUP_UNSPECIFIED);
        }
    }
    if (a->kind == EMSEC_SDP_ATTR_CONNECTION) {
        int64_t v = sc_enum_value(&a->u.connection);
        if (v < (int64_t)EMSEC_SDP_CONNVAL_NONE || v > (int64_t)EMSEC_SDP_CONNVAL_UNSPECIFIED) {
            return sc_fail(why, why_cap, "A6 attrs[%u].u.connection: %lld outside %d..%d",
                           (unsigned)j, (long long)v, (int)EMSEC_SDP_CONNVAL_NONE,
                           (int)EMSEC_SDP_CONNVAL_UNSPECIFIED);
        }
    }
    return true;
}

bool sdp_contract_ok(const emsec_sdp *s, uint32_t len, char *why, size_t why_cap)
{
    if (why != NULL && why_cap > 0) {
        why[0] = '\0';
    }
    /* emsec_sdp_counts_ok(s) */
    if ((uint64_t)s->media_count > (uint64_t)EMSEC_SDP_MAX_MEDIA) {
        return sc_fail(why, why_cap, "C1 media_count %u > %u", (unsigned)s->media_count,
                       (unsigned)EMSEC_SDP_MAX_MEDIA);
    }
    if ((uint64_t)s->attr_count > (uint64_t)EMSEC_SDP_MAX_ATTRS) {
        return sc_fail(why, why_cap, "C2 attr_count %u > %u", (unsigned)s->attr_count,
                       (unsigned)EMSEC_SDP_MAX_ATTRS);
    }
    if ((uint64_t)s->line_count > (uint64_t)EMSEC_SDP_MAX_LINES) {
        return sc_fail(why, why_cap, "C3 line_count %u > %u", (unsigned)s->line_count,
                       (unsigned)EMSEC_SDP_MAX_LINES);
    }
    if ((uint64_t)s->session_attr_count > (uint64_t)s->attr_count) {
        return sc_fail(why, why_cap, "C4 session_attr_count %u > attr_count %u",
                       (unsigned)s->session_attr_count, (unsigned)s->attr_count);
    }
    for (uint32_t m = 0; m < s->media_count; m++) {
        const emsec_sdp_media *md = &s->media[m];
        if ((uint64_t)md->attr_first + (uint64_t)md->attr_count > (uint64_t)s->attr_count) {
            return sc_fail(why, why_cap,
                           "C5 media[%u].attr_first + attr_count: %u+%u > attr_count %u",
                           (unsigned)m, (unsigned)md->attr_first, (unsigned)md->attr_count,
                           (unsigned)s->attr_count);
        }
    }
    /* \forall j < attr_count: emsec_sdp_attr_ok(&attrs[j], len) */
    for (uint32_t j = 0; j < s->attr_count; j++) {
        if (!sc_attr_ok(&s->attrs[j], j, len, why, why_cap)) {
            return false;
        }
    }
    /* emsec_sdp_conn_ok: the session's c=, then each media's */
    if (s->conn.present != 0 && !sc_span_in(s->conn.address, len)) {
        return sc_fail(why, why_cap, "N1 conn.address: %u+%u > len %u",
                       (unsigned)s->conn.address.off, (unsigned)s->conn.address.len,
                       (unsigned)len);
    }
    for (uint32_t m = 0; m < s->media_count; m++) {
        const emsec_sdp_conn *c = &s->media[m].conn;
        if (c->present != 0 && !sc_span_in(c->address, len)) {
            return sc_fail(why, why_cap, "N2 media[%u].conn.address: %u+%u > len %u",
                           (unsigned)m, (unsigned)c->address.off, (unsigned)c->address.len,
                           (unsigned)len);
        }
    }
    return true;
}
