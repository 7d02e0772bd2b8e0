/*
 * core/msrp_rewrite.c: To-Path / From-Path rewriting of the MSRP-aware
 * IMS-AGW (TR 29.828 §4.1.4) and the a=path value it presents to each side.
 * The rule, with its citations, is in include/emsec/msrp.h above
 * emsec_msrp_rewrite(). The session's four a=path values are checked and
 * split once (emsec_msrp_prepare); each message then costs one split per
 * URI of its own To-Path and From-Path, compared against the stored parts.
 * Only header bytes pass through here; the body never does. Bounded
 * writers: nothing is written at or past `cap`.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "emsec/msrp.h"

/* Longest host / session-id the gateway presents (a DNS name is at most 253
 * bytes; the session-id is the gateway's own choice). */
#define MSRP_MAX_HOST 255u
#define MSRP_MAX_SID  64u

/* ------------------------------------------------------------ bytes */

/*@ assigns \nothing;
  @ ensures 'A' <= c <= 'Z' ==> \result == c + 32;
  @ ensures !('A' <= c <= 'Z') ==> \result == c;
  @*/
static uint8_t msrp_lower(uint8_t c)
{
    return (c >= (uint8_t)'A' && c <= (uint8_t)'Z') ? (uint8_t)(c + 32u) : c;
}

/*@ requires \valid_read(a + (0 .. n - 1)) && \valid_read(b + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @*/
static int msrp_eq_ci(const uint8_t *a, const uint8_t *b, uint32_t n)
{
    /*@ loop invariant 0 <= i <= n;
      @ loop assigns i;
      @ loop variant n - i;
      @*/
    for (uint32_t i = 0; i < n; i++) {
        if (msrp_lower(a[i]) != msrp_lower(b[i])) {
            return 0;
        }
    }
    return 1;
}

/*@ requires \valid_read(a + (0 .. n - 1)) && \valid_read(b + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @*/
static int msrp_eq_cs(const uint8_t *a, const uint8_t *b, uint32_t n)
{
    /*@ loop invariant 0 <= i <= n;
      @ loop assigns i;
      @ loop variant n - i;
      @*/
    for (uint32_t i = 0; i < n; i++) {
        if (a[i] != b[i]) {
            return 0;
        }
    }
    return 1;
}

/* RFC 3986 §2.3 unreserved. */
/*@ assigns \nothing; */
static int msrp_unreserved(uint8_t c)
{
    return (c >= (uint8_t)'a' && c <= (uint8_t)'z') || (c >= (uint8_t)'A' && c <= (uint8_t)'Z') ||
           (c >= (uint8_t)'0' && c <= (uint8_t)'9') || c == (uint8_t)'-' || c == (uint8_t)'.' ||
           c == (uint8_t)'_' || c == (uint8_t)'~';
}

/* ------------------------------------------------------------ MSRP-URI parts */

/* The two schemes with their "://" (RFC 4975 §6), as arrays rather than
 * string literals: WP sees an array's bounds, not a literal's. */
static const uint8_t msrp_scheme_plain[7] = { 'm', 's', 'r', 'p', ':', '/', '/' };
static const uint8_t msrp_scheme_tls[8] = { 'm', 's', 'r', 'p', 's', ':', '/', '/' };

/* The parts of one URI (include/emsec/msrp.h), offsets from its first byte. */
typedef emsec_msrp_uri_parts msrp_uri_parts;

/*@ predicate parts_in(emsec_msrp_uri_parts *q, integer n) =
  @   q->host_off + q->host_len <= n && q->sid_off + q->sid_len <= n &&
  @   q->tr_off + q->tr_len <= n;
  @*/

/* Every byte of u[0, n) is in 0x21..0x7e (the grammar's URIs have no
 * other). */
/*@ requires \valid_read(u + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @*/
static int msrp_graphic(const uint8_t *u, uint32_t n)
{
    /*@ loop invariant 0 <= i <= n;
      @ loop assigns i;
      @ loop variant n - i;
      @*/
    for (uint32_t i = 0u; i < n; i++) {
        if (u[i] < 0x21u || u[i] > 0x7eu) {
            return 0;
        }
    }
    return 1;
}

/* The first k in [from, n) with u[k] == c1 or u[k] == c2, else n. */
/*@ requires from <= n;
  @ requires \valid_read(u + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures from <= \result <= n;
  @ ensures \result < n ==> u[\result] == c1 || u[\result] == c2;
  @*/
static uint32_t msrp_find(const uint8_t *u, uint32_t from, uint32_t n, uint8_t c1, uint8_t c2)
{
    uint32_t k = from;
    /*@ loop invariant from <= k <= n;
      @ loop assigns k;
      @ loop variant n - k;
      @*/
    while (k < n && u[k] != c1 && u[k] != c2) {
        k++;
    }
    return k;
}

/* Where the host starts in the authority u[from, to): after its last '@'
 * (userinfo is left out of the comparison, RFC 4975 §6.1 rule 2), else at
 * from. */
/*@ requires from <= to;
  @ requires \valid_read(u + (0 .. to - 1));
  @ assigns \nothing;
  @ ensures from <= \result <= to;
  @*/
static uint32_t msrp_host_start(const uint8_t *u, uint32_t from, uint32_t to)
{
    uint32_t h = from;
    /*@ loop invariant from <= k <= to;
      @ loop invariant from <= h <= to;
      @ loop assigns k, h;
      @ loop variant to - k;
      @*/
    for (uint32_t k = from; k < to; k++) {
        if (u[k] == (uint8_t)'@') {
            h = k + 1u;
        }
    }
    return h;
}

/* The end of the host that starts at u[h] in the authority u[h, to): an
 * IP-literal up to its ']', else up to the port's ':' or the end. Returns
 * 1 with *h_end, or 0 (no ']', or an empty host). */
/*@ requires h <= to;
  @ requires \valid_read(u + (0 .. to - 1));
  @ requires \valid(h_end);
  @ assigns *h_end;
  @ ensures \result == 0 || \result == 1;
  @ ensures \result == 1 ==> h < *h_end <= to;
  @*/
static int msrp_host_end(const uint8_t *u, uint32_t h, uint32_t to, uint32_t *h_end)
{
    uint32_t e;
    if (h < to && u[h] == (uint8_t)'[') {
        e = msrp_find(u, h, to, (uint8_t)']', (uint8_t)']');
        if (e >= to) {
            return 0;
        }
        e++;
    } else {
        e = msrp_find(u, h, to, (uint8_t)':', (uint8_t)':');
    }
    if (e == h) {
        return 0;
    }
    *h_end = e;
    return 1;
}

/* The port u[from, to): 1 to 5 digits. Returns 1 with *port, or 0. */
/*@ requires from <= to;
  @ requires \valid_read(u + (0 .. to - 1));
  @ requires \valid(port);
  @ assigns *port;
  @ ensures \result == 0 || \result == 1;
  @ ensures \result == 1 ==> *port <= 99999;
  @*/
static int msrp_port(const uint8_t *u, uint32_t from, uint32_t to, uint32_t *port)
{
    uint32_t v = 0u;
    if (from >= to || to - from > 5u) {
        return 0;
    }
    /*@ loop invariant from <= k <= to;
      @ loop invariant v <= 99999;
      @ loop assigns k, v;
      @ loop variant to - k;
      @*/
    for (uint32_t k = from; k < to; k++) {
        if (u[k] < (uint8_t)'0' || u[k] > (uint8_t)'9' || v > 9999u) {
            return 0;
        }
        v = v * 10u + (uint32_t)(u[k] - (uint8_t)'0');
    }
    *port = v;
    return 1;
}

/*
 * Split u[0, n) into the parts RFC 4975 §6.1 compares: msrp-scheme "://"
 * authority ["/" session-id] ";" transport *( ";" URI-parameter ) (§9).
 * Returns 1, or 0 when u is not of that shape or holds a byte outside
 * 0x21..0x7e (the grammar's URIs never do). One helper per part, each a
 * short loop with its own contract, so that WP proves the parts one by one
 * (as one function, Qed alone spent minutes per goal).
 */
/*@ requires n <= 65535;
  @ requires \valid_read(u + (0 .. n - 1));
  @ requires \valid(p);
  @ requires \separated(p, u + (0 .. n - 1));
  @ assigns *p;
  @ ensures \result == 0 || \result == 1;
  @ ensures \result == 1 ==> p->host_off + p->host_len <= n;
  @ ensures \result == 1 ==> p->sid_off + p->sid_len <= n;
  @ ensures \result == 1 ==> p->tr_off + p->tr_len <= n;
  @*/
static int msrp_uri_split(const uint8_t *u, uint32_t n, msrp_uri_parts *p)
{
    uint32_t i, a_end, h_start, h_end = 0u, port = 0u, s, t;
    uint32_t tls = 0u, has_port = 0u, has_sid = 0u, sid_off = 0u, sid_len = 0u;

    p->tls = 0u;
    p->host_off = 0u;
    p->host_len = 0u;
    p->has_port = 0u;
    p->port = 0u;
    p->has_sid = 0u;
    p->sid_off = 0u;
    p->sid_len = 0u;
    p->tr_off = 0u;
    p->tr_len = 0u;
    if (msrp_graphic(u, n) == 0) {
        return 0;
    }
    if (n >= 7u && msrp_eq_ci(u, msrp_scheme_plain, 7u) == 1) {
        i = 7u;
    } else if (n >= 8u && msrp_eq_ci(u, msrp_scheme_tls, 8u) == 1) {
        i = 8u;
        tls = 1u;
    } else {
        return 0;
    }
    /* authority: up to the first '/' or ';' */
    a_end = msrp_find(u, i, n, (uint8_t)'/', (uint8_t)';');
    h_start = msrp_host_start(u, i, a_end);
    if (msrp_host_end(u, h_start, a_end, &h_end) == 0) {
        return 0;
    }
    if (h_end < a_end) {
        if (u[h_end] != (uint8_t)':' || msrp_port(u, h_end + 1u, a_end, &port) == 0) {
            return 0;
        }
        has_port = 1u;
    }
    i = a_end;
    if (i < n && u[i] == (uint8_t)'/') {
        s = msrp_find(u, i + 1u, n, (uint8_t)';', (uint8_t)';');
        if (s == i + 1u) {
            return 0;
        }
        has_sid = 1u;
        sid_off = i + 1u;
        sid_len = s - i - 1u;
        i = s;
    }
    if (i >= n || u[i] != (uint8_t)';') {
        return 0;
    }
    i++;
    t = msrp_find(u, i, n, (uint8_t)';', (uint8_t)';');
    if (t == i) {
        return 0;
    }
    p->tls = tls;
    p->host_off = h_start;
    p->host_len = h_end - h_start;
    p->has_port = has_port;
    p->port = port;
    p->has_sid = has_sid;
    p->sid_off = sid_off;
    p->sid_len = sid_len;
    p->tr_off = i;
    p->tr_len = t - i;
    return 1;
}

/* RFC 4975 §6.1 on two split URIs: a[0, alen) with its parts pa, b[0,
 * blen) with pb. Scheme, host and transport case-insensitive, port exact,
 * session-id case-sensitive; userinfo and URI parameters are not parts. */
/*@ requires \valid_read(pa) && \valid_read(pb);
  @ requires parts_in(pa, alen) && parts_in(pb, blen);
  @ requires \valid_read(a + (0 .. alen - 1)) && \valid_read(b + (0 .. blen - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @*/
static int msrp_parts_equal(const uint8_t *a, uint32_t alen, const msrp_uri_parts *pa,
                            const uint8_t *b, uint32_t blen, const msrp_uri_parts *pb)
{
    (void)alen; /* alen and blen bound the parts in the contract only */
    (void)blen;
    if (pa->tls != pb->tls || pa->host_len != pb->host_len || pa->has_port != pb->has_port ||
        pa->port != pb->port || pa->has_sid != pb->has_sid || pa->sid_len != pb->sid_len ||
        pa->tr_len != pb->tr_len) {
        return 0;
    }
    return msrp_eq_ci(a + pa->host_off, b + pb->host_off, pa->host_len) == 1 &&
           msrp_eq_cs(a + pa->sid_off, b + pb->sid_off, pa->sid_len) == 1 &&
           msrp_eq_ci(a + pa->tr_off, b + pb->tr_off, pa->tr_len) == 1;
}

/*@ requires \valid_read(a + (0 .. alen - 1)) && \valid_read(b + (0 .. blen - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @*/
int emsec_msrp_uri_equal(const uint8_t *a, uint32_t alen, const uint8_t *b, uint32_t blen)
{
    msrp_uri_parts pa, pb;
    if (alen > EMSEC_MSRP_MAX_PATH_BYTES || blen > EMSEC_MSRP_MAX_PATH_BYTES ||
        msrp_uri_split(a, alen, &pa) == 0 || msrp_uri_split(b, blen, &pb) == 0) {
        return 0;
    }
    return msrp_parts_equal(a, alen, &pa, b, blen, &pb);
}

/* ------------------------------------------------------------ session paths */

/*@ predicate path_in(emsec_msrp_prepared_path *pp, integer n) =
  @   pp->count <= EMSEC_MSRP_MAX_PATH &&
  @   \forall integer j; 0 <= j < pp->count ==>
  @     pp->uri[j].off + pp->uri[j].len <= n && pp->uri[j].len <= 65535 &&
  @     parts_in(&pp->parts[j], pp->uri[j].len);
  @*/

/* Append the URI p[start, end) of a path to pp, split. Returns
 * EMSEC_MSRP_PATH_OK or the fault (an empty URI is a spacing fault: a
 * leading, trailing or doubled SP). */
/*@ requires start <= end <= n <= 65535;
  @ requires \valid_read(p + (0 .. n - 1));
  @ requires \valid(pp);
  @ requires \separated(pp, p + (0 .. n - 1));
  @ requires path_in(pp, n);
  @ assigns pp->count, pp->uri[0 .. EMSEC_MSRP_MAX_PATH - 1],
  @         pp->parts[0 .. EMSEC_MSRP_MAX_PATH - 1];
  @ ensures path_in(pp, n);
  @ ensures \result == EMSEC_MSRP_PATH_OK ==> pp->count == \old(pp->count) + 1;
  @ ensures \result == EMSEC_MSRP_PATH_OK || \result == EMSEC_MSRP_PATH_SPACING ||
  @         \result == EMSEC_MSRP_PATH_TOO_MANY || \result == EMSEC_MSRP_PATH_BAD_URI;
  @*/
static uint32_t msrp_path_take(const uint8_t *p, uint32_t start, uint32_t end, uint32_t n,
                               emsec_msrp_prepared_path *pp)
{
    const uint32_t k = pp->count;
    (void)n; /* the path's length: the bound the contract states */
    if (end == start) {
        return EMSEC_MSRP_PATH_SPACING;
    }
    if (k >= EMSEC_MSRP_MAX_PATH) {
        return EMSEC_MSRP_PATH_TOO_MANY;
    }
    if (msrp_uri_split(p + start, end - start, &pp->parts[k]) == 0) {
        return EMSEC_MSRP_PATH_BAD_URI;
    }
    pp->uri[k].off = start;
    pp->uri[k].len = end - start;
    pp->count = k + 1u;
    return EMSEC_MSRP_PATH_OK;
}

/*
 * Split the SP-separated path p[0, n) into pp: 1 to EMSEC_MSRP_MAX_PATH
 * MSRP-URIs, one SP between two (RFC 4975 §8.2 a=path, §9 MSRP-URI).
 * Returns EMSEC_MSRP_PATH_OK or the first fault, *at the offset of the URI
 * (or the empty one) where it was found.
 */
/*@ requires n <= 65535;
  @ requires \valid_read(p + (0 .. n - 1));
  @ requires \valid(pp) && \valid(at);
  @ requires \separated(pp, at, p + (0 .. n - 1));
  @ assigns *pp, *at;
  @ ensures \result == EMSEC_MSRP_PATH_OK ==> pp->count >= 1 && path_in(pp, n);
  @ ensures *at <= n;
  @ ensures \result == EMSEC_MSRP_PATH_OK || \result == EMSEC_MSRP_PATH_EMPTY ||
  @         \result == EMSEC_MSRP_PATH_SPACING || \result == EMSEC_MSRP_PATH_TOO_MANY ||
  @         \result == EMSEC_MSRP_PATH_BAD_URI;
  @*/
static uint32_t msrp_path_split(const uint8_t *p, uint32_t n, emsec_msrp_prepared_path *pp,
                                uint32_t *at)
{
    uint32_t start = 0u, f;
    pp->count = 0u;
    *at = 0u;
    if (n == 0u) {
        return EMSEC_MSRP_PATH_EMPTY;
    }
    /*@ loop invariant 0 <= start <= i <= n;
      @ loop invariant path_in(pp, n);
      @ loop invariant *at == 0;
      @ loop assigns i, start, f, pp->count, pp->uri[0 .. EMSEC_MSRP_MAX_PATH - 1],
      @              pp->parts[0 .. EMSEC_MSRP_MAX_PATH - 1];
      @ loop variant n - i;
      @*/
    for (uint32_t i = 0u; i < n; i++) {
        if (p[i] == (uint8_t)' ') {
            f = msrp_path_take(p, start, i, n, pp);
            if (f != EMSEC_MSRP_PATH_OK) {
                *at = start;
                return f;
            }
            start = i + 1u;
        }
    }
    f = msrp_path_take(p, start, n, n, pp);
    if (f != EMSEC_MSRP_PATH_OK) {
        *at = start;
    }
    return f;
}

/*@ predicate bytes_ok(emsec_msrp_bytes *b) =
  @   b->ptr == \null || \valid_read(b->ptr + (0 .. b->len - 1));
  @*/

/* One path of the session, p[0, n): present, within the limits, split
 * (own: exactly one URI). Returns EMSEC_MSRP_PATH_OK or the fault, *at
 * where. */
/*@ requires p == \null || \valid_read(p + (0 .. n - 1));
  @ requires \valid(pp) && \valid(at);
  @ requires \separated(pp, at);
  @ requires p == \null || \separated(pp, at, p + (0 .. n - 1));
  @ assigns *pp, *at;
  @ ensures \result == EMSEC_MSRP_PATH_OK ==>
  @         p != \null && 0 < n <= 65535 && 1 <= pp->count &&
  @         (own != 0 ==> pp->count == 1) && path_in(pp, n);
  @ ensures 0 <= \result < EMSEC_MSRP_PATH__COUNT;
  @*/
static uint32_t msrp_prepare_path(const uint8_t *p, uint32_t n, uint32_t own,
                                  emsec_msrp_prepared_path *pp, uint32_t *at)
{
    uint32_t f;
    pp->count = 0u;
    *at = 0u;
    if (p == NULL || n == 0u) {
        return EMSEC_MSRP_PATH_EMPTY;
    }
    if (n > EMSEC_MSRP_MAX_PATH_BYTES) {
        *at = EMSEC_MSRP_MAX_PATH_BYTES;
        return EMSEC_MSRP_PATH_TOO_LONG;
    }
    f = msrp_path_split(p, n, pp, at);
    if (f == EMSEC_MSRP_PATH_OK && own != 0u && pp->count != 1u) {
        *at = pp->uri[1].off; /* the gateway presents one URI per side */
        return EMSEC_MSRP_PATH_NOT_ONE;
    }
    return f;
}

/*@ predicate side_ok(emsec_msrp_bytes *b, emsec_msrp_prepared_path *pp, integer one) =
  @   b->ptr != \null && 0 < b->len <= 65535 && 1 <= pp->count &&
  @   (one != 0 ==> pp->count == 1) && path_in(pp, b->len);
  @ predicate prepared_ok(emsec_msrp_prepared *ps) =
  @   ps->ready == 1 &&
  @   side_ok(&ps->s.own[0], &ps->own[0], 1) && side_ok(&ps->s.own[1], &ps->own[1], 1) &&
  @   side_ok(&ps->s.peer[0], &ps->peer[0], 0) && side_ok(&ps->s.peer[1], &ps->peer[1], 0);
  @*/

/* Prepare one path p[0, n) into pp and say so in *err when it fails. */
/*@ requires p == \null || \valid_read(p + (0 .. n - 1));
  @ requires \valid(pp) && \valid(err);
  @ requires \separated(pp, err);
  @ requires p == \null || \separated(pp, err, p + (0 .. n - 1));
  @ assigns *pp, *err;
  @ ensures \result == EMSEC_OK ==>
  @         p != \null && 0 < n <= 65535 && 1 <= pp->count &&
  @         (own != 0 ==> pp->count == 1) && path_in(pp, n);
  @ ensures \result == EMSEC_OK || \result == EMSEC_ERR_SYNTAX || \result == EMSEC_ERR_LIMIT;
  @ ensures \result == EMSEC_OK <==> err->fault == EMSEC_MSRP_PATH_OK;
  @*/
static emsec_result msrp_prepare_one(const uint8_t *p, uint32_t n, uint32_t own,
                                     emsec_msrp_prepared_path *pp, uint32_t side,
                                     emsec_msrp_path_error *err)
{
    uint32_t at = 0u;
    const uint32_t f = msrp_prepare_path(p, n, own, pp, &at);
    err->side = side;
    err->peer = own != 0u ? 0u : 1u;
    err->fault = f;
    err->offset = at;
    if (f == EMSEC_MSRP_PATH_OK) {
        return EMSEC_OK;
    }
    return f == EMSEC_MSRP_PATH_TOO_LONG || f == EMSEC_MSRP_PATH_TOO_MANY ? EMSEC_ERR_LIMIT
                                                                           : EMSEC_ERR_SYNTAX;
}

/* What prepare writes lies apart from a path's bytes (the paths may share
 * bytes with one another). */
/*@ predicate apart(emsec_msrp_prepared *ps, emsec_msrp_path_error *err, emsec_msrp_bytes *b) =
  @   \separated(ps, b->ptr + (0 .. b->len - 1)) && \separated(err, b->ptr + (0 .. b->len - 1));
  @ predicate out_apart(uint8_t *out, integer cap, emsec_msrp_bytes *b) =
  @   \separated(out + (0 .. cap - 1), b->ptr + (0 .. b->len - 1));
  @*/

/* Prepare the two paths of one kind, the gateway's own (own != 0) or the
 * peers', side 0 (a[0, an)) then side 1 (b[0, bn)), into pp[0] and pp[1].
 * Two paths per call, so that WP carries the first path's facts across one
 * call only. */
/*@ requires a == \null || \valid_read(a + (0 .. an - 1));
  @ requires b == \null || \valid_read(b + (0 .. bn - 1));
  @ requires \valid(pp + (0 .. 1)) && \valid(err);
  @ requires \separated(pp + (0 .. 1), err);
  @ requires a == \null || \separated(pp + (0 .. 1), err, a + (0 .. an - 1));
  @ requires b == \null || \separated(pp + (0 .. 1), err, b + (0 .. bn - 1));
  @ assigns pp[0 .. 1], *err;
  @ ensures \result == EMSEC_OK || \result == EMSEC_ERR_SYNTAX || \result == EMSEC_ERR_LIMIT;
  @ ensures \result == EMSEC_OK ==>
  @         a != \null && 0 < an <= 65535 && 1 <= pp[0].count &&
  @         (own != 0 ==> pp[0].count == 1) && path_in(&pp[0], an);
  @ ensures \result == EMSEC_OK ==>
  @         b != \null && 0 < bn <= 65535 && 1 <= pp[1].count &&
  @         (own != 0 ==> pp[1].count == 1) && path_in(&pp[1], bn);
  @ ensures \result == EMSEC_OK <==> err->fault == EMSEC_MSRP_PATH_OK;
  @*/
static emsec_result msrp_prepare_pair(const uint8_t *a, uint32_t an, const uint8_t *b,
                                      uint32_t bn, uint32_t own, emsec_msrp_prepared_path *pp,
                                      emsec_msrp_path_error *err)
{
    emsec_result r = msrp_prepare_one(a, an, own, &pp[0], 0u, err);
    if (r != EMSEC_OK) {
        return r;
    }
    /*@ ghost uint32_t c0 = pp[0].count; */
    r = msrp_prepare_one(b, bn, own, &pp[1], 1u, err);
    if (r != EMSEC_OK) {
        return r;
    }
    /*@ assert pp[0].count == c0; */
    /*@ assert path_in(&pp[0], an); */
    return EMSEC_OK;
}

/*@ requires \valid_read(s) && \valid(ps) && \valid(err);
  @ requires \separated(s, ps, err);
  @ requires bytes_ok(&s->own[0]) && bytes_ok(&s->own[1]);
  @ requires bytes_ok(&s->peer[0]) && bytes_ok(&s->peer[1]);
  @ requires apart(ps, err, &s->own[0]) && apart(ps, err, &s->own[1]);
  @ requires apart(ps, err, &s->peer[0]) && apart(ps, err, &s->peer[1]);
  @ assigns *ps, *err;
  @ ensures \result == EMSEC_OK || \result == EMSEC_ERR_SYNTAX || \result == EMSEC_ERR_LIMIT;
  @ ensures \result == EMSEC_OK ==> prepared_ok(ps) && err->fault == EMSEC_MSRP_PATH_OK;
  @ ensures \result != EMSEC_OK ==> ps->ready == 0 && err->fault != EMSEC_MSRP_PATH_OK;
  @*/
emsec_result emsec_msrp_prepare(const emsec_msrp_session *s, emsec_msrp_prepared *ps,
                                emsec_msrp_path_error *err)
{
    /* read once: the calls below then work on these values, and WP need
     * not follow *s across them */
    const uint8_t *const o0 = s->own[0].ptr, *const o1 = s->own[1].ptr;
    const uint8_t *const p0 = s->peer[0].ptr, *const p1 = s->peer[1].ptr;
    const uint32_t o0n = s->own[0].len, o1n = s->own[1].len;
    const uint32_t p0n = s->peer[0].len, p1n = s->peer[1].len;
    emsec_result r;
    ps->ready = 0u;
    ps->s.own[0].ptr = o0;
    ps->s.own[0].len = o0n;
    ps->s.own[1].ptr = o1;
    ps->s.own[1].len = o1n;
    ps->s.peer[0].ptr = p0;
    ps->s.peer[0].len = p0n;
    ps->s.peer[1].ptr = p1;
    ps->s.peer[1].len = p1n;
    /* the order the header promises: own[0], own[1], peer[0], peer[1] */
    r = msrp_prepare_pair(o0, o0n, o1, o1n, 1u, ps->own, err);
    if (r != EMSEC_OK) {
        return r;
    }
    /*@ ghost uint32_t c_own0 = ps->own[0].count; */
    /*@ ghost uint32_t c_own1 = ps->own[1].count; */
    r = msrp_prepare_pair(p0, p0n, p1, p1n, 0u, ps->peer, err);
    if (r != EMSEC_OK) {
        return r;
    }
    /* the own paths split by the first call, carried across the second
     * (which assigns only ps->peer and *err) */
    /*@ assert ps->own[0].count == c_own0 && ps->own[1].count == c_own1; */
    /*@ assert path_in(&ps->own[0], o0n); */
    /*@ assert path_in(&ps->own[1], o1n); */
    /*@ assert ps->s.own[0].ptr == o0 && ps->s.own[0].len == o0n && ps->s.own[1].ptr == o1 &&
      @        ps->s.own[1].len == o1n && ps->s.peer[0].ptr == p0 && ps->s.peer[0].len == p0n &&
      @        ps->s.peer[1].ptr == p1 && ps->s.peer[1].len == p1n; */
    ps->ready = 1u;
    /* prepared_ok, one side at a time */
    /*@ assert side_ok(&ps->s.own[0], &ps->own[0], 1); */
    /*@ assert side_ok(&ps->s.own[1], &ps->own[1], 1); */
    /*@ assert side_ok(&ps->s.peer[0], &ps->peer[0], 0); */
    /*@ assert side_ok(&ps->s.peer[1], &ps->peer[1], 0); */
    return EMSEC_OK;
}

static const char *const msrp_fault_names[EMSEC_MSRP_PATH__COUNT] = {
    [EMSEC_MSRP_PATH_OK] = "OK",
    [EMSEC_MSRP_PATH_EMPTY] = "EMPTY",
    [EMSEC_MSRP_PATH_TOO_LONG] = "TOO_LONG",
    [EMSEC_MSRP_PATH_SPACING] = "SPACING",
    [EMSEC_MSRP_PATH_BAD_URI] = "BAD_URI",
    [EMSEC_MSRP_PATH_TOO_MANY] = "TOO_MANY",
    [EMSEC_MSRP_PATH_NOT_ONE] = "NOT_ONE",
};

/*@ assigns \nothing;
  @ ensures \result != \null;
  @*/
const char *emsec_msrp_path_fault_name(emsec_msrp_path_fault fault)
{
    const char *name = NULL;
    if ((uint32_t)fault < (uint32_t)EMSEC_MSRP_PATH__COUNT) {
        name = msrp_fault_names[fault];
    }
    /* every entry is set; the test keeps "never NULL" from depending on it */
    return name != NULL ? name : "?";
}

/* ------------------------------------------------------------ bounded writer */

typedef struct msrp_w {
    uint8_t *buf;
    uint32_t cap;
    uint32_t len;   /* bytes wanted so far (may exceed cap) */
} msrp_w;

/*@ requires \valid(w);
  @ requires w->cap == 0 || \valid(w->buf + (0 .. w->cap - 1));
  @ requires n == 0 || \valid_read(s + (0 .. n - 1));
  @ requires \separated(w, w->buf + (0 .. w->cap - 1));
  @ requires w->cap == 0 || \separated(w->buf + (0 .. w->cap - 1), s + (0 .. n - 1));
  @ requires w->len <= 0x7fffffff && n <= 0x7fffffff;
  @ assigns w->len, w->buf[0 .. w->cap - 1];
  @ ensures w->len == \old(w->len) + n;
  @*/
static void msrp_put(msrp_w *w, const uint8_t *s, uint32_t n)
{
    /*@ loop invariant 0 <= i <= n;
      @ loop assigns i, w->buf[0 .. w->cap - 1];
      @ loop variant n - i;
      @*/
    for (uint32_t i = 0; i < n; i++) {
        const uint32_t at = w->len + i;
        if (at < w->cap) {
            w->buf[at] = s[i];
        }
    }
    w->len += n;
}

/* ------------------------------------------------------------ a=path */

/* The fixed pieces the writers put, as arrays rather than string literals
 * (WP sees an array's bounds, not a literal's). */
static const uint8_t msrp_colon[1] = { ':' };
static const uint8_t msrp_slash[1] = { '/' };
static const uint8_t msrp_tcp[4] = { ';', 't', 'c', 'p' };
static const uint8_t msrp_crlf[2] = { '\r', '\n' };
static const uint8_t msrp_to_path[11] = { '\r', '\n', 'T', 'o', '-', 'P', 'a', 't', 'h', ':', ' ' };
static const uint8_t msrp_from_path[13] = { '\r', '\n', 'F', 'r', 'o', 'm', '-', 'P', 'a', 't', 'h',
                                            ':', ' ' };

/* The longest a=path value: "msrps://", host, ':', 5 digits, '/',
 * session-id, ";tcp". */
#define MSRP_MAX_LOCAL_PATH (8u + MSRP_MAX_HOST + 1u + 5u + 1u + MSRP_MAX_SID + 4u)

/* The host of an a=path URI: an IP-literal (RFC 3986 §3.2.2, IPv6 in
 * brackets) or a reg-name without percent-encoding or sub-delims (a DNS
 * name or IPv4). */
/*@ requires 1 <= hn && \valid_read(h + (0 .. hn - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @*/
static int msrp_host_ok(const uint8_t *h, uint32_t hn)
{
    if (h[0] == (uint8_t)'[') {
        if (hn < 3u || h[hn - 1u] != (uint8_t)']') {
            return 0;
        }
        /*@ loop invariant 1 <= i <= hn - 1;
          @ loop assigns i;
          @ loop variant hn - i;
          @*/
        for (uint32_t i = 1u; i + 1u < hn; i++) {
            const uint8_t c = h[i];
            if (!((c >= (uint8_t)'0' && c <= (uint8_t)'9') ||
                  (c >= (uint8_t)'a' && c <= (uint8_t)'f') ||
                  (c >= (uint8_t)'A' && c <= (uint8_t)'F') || c == (uint8_t)':' ||
                  c == (uint8_t)'.')) {
                return 0;
            }
        }
        return 1;
    }
    /*@ loop invariant 0 <= i <= hn;
      @ loop assigns i;
      @ loop variant hn - i;
      @*/
    for (uint32_t i = 0u; i < hn; i++) {
        if (!msrp_unreserved(h[i])) {
            return 0;
        }
    }
    return 1;
}

/* session-id = 1*( unreserved / "+" / "=" / "/" ) (RFC 4975 §9) */
/*@ requires \valid_read(sid + (0 .. sn - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @*/
static int msrp_sid_ok(const uint8_t *sid, uint32_t sn)
{
    /*@ loop invariant 0 <= i <= sn;
      @ loop assigns i;
      @ loop variant sn - i;
      @*/
    for (uint32_t i = 0u; i < sn; i++) {
        if (!msrp_unreserved(sid[i]) && sid[i] != (uint8_t)'+' && sid[i] != (uint8_t)'=' &&
            sid[i] != (uint8_t)'/') {
            return 0;
        }
    }
    return 1;
}

/* The port in decimal without leading zeros, right-aligned in digits[];
 * returns the index of its first digit. */
/*@ requires 1 <= port <= 65535 && \valid(digits + (0 .. 4));
  @ assigns digits[0 .. 4];
  @ ensures 0 <= \result <= 4;
  @*/
static uint32_t msrp_port_digits(uint32_t port, uint8_t *digits)
{
    uint32_t at = 5u, v = port;
    /*@ loop invariant 1 <= at <= 5;
      @ loop assigns at, v, digits[0 .. 4];
      @ loop variant at;
      @*/
    do {
        digits[--at] = (uint8_t)('0' + v % 10u);
        v /= 10u;
    } while (v > 0u && at > 0u);
    return at;
}

/*@ requires \valid_read(leg) && \valid(out_len);
  @ requires leg->host.ptr == \null ||
  @          \valid_read(leg->host.ptr + (0 .. leg->host.len - 1));
  @ requires leg->session_id.ptr == \null ||
  @          \valid_read(leg->session_id.ptr + (0 .. leg->session_id.len - 1));
  @ requires out == \null || \valid(out + (0 .. cap - 1));
  @ requires out == \null ||
  @          \separated(out + (0 .. cap - 1), leg, out_len,
  @                     leg->host.ptr + (0 .. leg->host.len - 1),
  @                     leg->session_id.ptr + (0 .. leg->session_id.len - 1));
  @ assigns *out_len, out[0 .. cap - 1];
  @ ensures \result == EMSEC_OK || \result == EMSEC_ERR_ARGUMENT ||
  @         \result == EMSEC_ERR_NO_SPACE;
  @ ensures \result == EMSEC_OK ==> *out_len <= cap;
  @ ensures \result == EMSEC_ERR_NO_SPACE ==> *out_len > cap;
  @ ensures *out_len <= MSRP_MAX_LOCAL_PATH;
  @*/
emsec_result emsec_msrp_local_path(const emsec_msrp_leg *leg, uint8_t *out, uint32_t cap,
                                   uint32_t *out_len)
{
    msrp_w w;
    uint8_t port[5];
    uint32_t at;
    const uint8_t *h = leg->host.ptr;
    const uint32_t hn = leg->host.len;
    const uint8_t *sid = leg->session_id.ptr;
    const uint32_t sn = leg->session_id.len;

    *out_len = 0u;
    if (h == NULL || hn == 0u || hn > MSRP_MAX_HOST || sid == NULL || sn == 0u ||
        sn > MSRP_MAX_SID || leg->port == 0u || leg->port > 65535u || leg->tls > 1u ||
        (cap > 0u && out == NULL) || msrp_host_ok(h, hn) == 0 || msrp_sid_ok(sid, sn) == 0) {
        return EMSEC_ERR_ARGUMENT;
    }
    at = msrp_port_digits(leg->port, port);
    w.buf = out;
    w.cap = cap;
    w.len = 0u;
    if (leg->tls != 0u) {
        msrp_put(&w, msrp_scheme_tls, 8u);
    } else {
        msrp_put(&w, msrp_scheme_plain, 7u);
    }
    msrp_put(&w, h, hn);
    msrp_put(&w, msrp_colon, 1u);
    msrp_put(&w, port + at, 5u - at);
    msrp_put(&w, msrp_slash, 1u);
    msrp_put(&w, sid, sn);
    msrp_put(&w, msrp_tcp, 4u);
    *out_len = w.len;
    return w.len <= cap ? EMSEC_OK : EMSEC_ERR_NO_SPACE;
}

/* ------------------------------------------------------------ rewrite */

/* The rewritten header block: the start line start[0, sn), the new To-Path
 * (hop[0, hn)) and From-Path (own[0, on)), then the rest of the header
 * block as it came, tail[0, tn) (the headers after From-Path and the empty
 * line). Apart from the rewrite's checks so that WP sees each half alone. */
/*@ requires \valid(w) && (w->cap == 0 || \valid(w->buf + (0 .. w->cap - 1)));
  @ requires \separated(w, w->buf + (0 .. w->cap - 1));
  @ requires w->len == 0;
  @ requires sn <= 65535 && hn <= 65535 && on <= 65535 && tn <= 65535;
  @ requires \valid_read(start + (0 .. sn - 1)) && \valid_read(hop + (0 .. hn - 1));
  @ requires \valid_read(own + (0 .. on - 1)) && \valid_read(tail + (0 .. tn - 1));
  @ requires w->cap == 0 ||
  @          (\separated(w->buf + (0 .. w->cap - 1), start + (0 .. sn - 1)) &&
  @           \separated(w->buf + (0 .. w->cap - 1), hop + (0 .. hn - 1)) &&
  @           \separated(w->buf + (0 .. w->cap - 1), own + (0 .. on - 1)) &&
  @           \separated(w->buf + (0 .. w->cap - 1), tail + (0 .. tn - 1)));
  @ assigns w->len, w->buf[0 .. w->cap - 1];
  @ ensures w->len == sn + 11 + hn + 13 + on + 2 + tn;
  @*/
static void msrp_write_block(msrp_w *w, const uint8_t *start, uint32_t sn, const uint8_t *hop,
                             uint32_t hn, const uint8_t *own, uint32_t on, const uint8_t *tail,
                             uint32_t tn)
{
    msrp_put(w, start, sn);
    msrp_put(w, msrp_to_path, 11u);
    msrp_put(w, hop, hn);
    msrp_put(w, msrp_from_path, 13u);
    msrp_put(w, own, on);
    msrp_put(w, msrp_crlf, 2u);
    msrp_put(w, tail, tn);
}

/* The prepared session is whole: ready, and every stored span inside the
 * bytes it names (what prepared_ok says, checked at run time so that a
 * session that was never prepared, or whose preparation failed, is an
 * ARGUMENT rather than a read out of bounds). A few integer comparisons per
 * URI; no byte of a path is read. */
/*@ requires \valid_read(pp);
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @ ensures \result == 1 ==> 1 <= pp->count && path_in(pp, n);
  @*/
static int msrp_path_in(const emsec_msrp_prepared_path *pp, uint32_t n)
{
    const uint32_t count = pp->count;
    if (count == 0u || count > EMSEC_MSRP_MAX_PATH) {
        return 0;
    }
    /*@ loop invariant 0 <= j <= count;
      @ loop invariant \forall integer k; 0 <= k < j ==>
      @   pp->uri[k].off + pp->uri[k].len <= n && pp->uri[k].len <= 65535 &&
      @   parts_in(&pp->parts[k], pp->uri[k].len);
      @ loop assigns j;
      @ loop variant count - j;
      @*/
    for (uint32_t j = 0u; j < count; j++) {
        const emsec_span u = pp->uri[j];
        const msrp_uri_parts *q = &pp->parts[j];
        if (u.off > n || u.len > n - u.off || u.len > EMSEC_MSRP_MAX_PATH_BYTES ||
            q->host_off > u.len || q->host_len > u.len - q->host_off || q->sid_off > u.len ||
            q->sid_len > u.len - q->sid_off || q->tr_off > u.len ||
            q->tr_len > u.len - q->tr_off) {
            return 0;
        }
    }
    return 1;
}

/*@ requires \valid_read(b) && \valid_read(pp);
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @ ensures \result == 1 ==> side_ok(b, pp, one);
  @*/
static int msrp_side_ok(const emsec_msrp_bytes *b, const emsec_msrp_prepared_path *pp,
                        uint32_t one)
{
    return b->ptr != NULL && b->len > 0u && b->len <= EMSEC_MSRP_MAX_PATH_BYTES &&
           (one == 0u || pp->count == 1u) && msrp_path_in(pp, b->len) == 1;
}

/*@ requires \valid_read(ps);
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @ ensures \result == 1 ==> prepared_ok(ps);
  @*/
static int msrp_prepared_ok(const emsec_msrp_prepared *ps)
{
    return ps->ready == 1u && msrp_side_ok(&ps->s.own[0], &ps->own[0], 1u) == 1 &&
           msrp_side_ok(&ps->s.own[1], &ps->own[1], 1u) == 1 &&
           msrp_side_ok(&ps->s.peer[0], &ps->peer[0], 0u) == 1 &&
           msrp_side_ok(&ps->s.peer[1], &ps->peer[1], 0u) == 1;
}

/* Does the message's URI list `got` (spans into hdr) hold exactly the first
 * `want` URIs of the prepared path pp (whose bytes are p[0, n)), each equal
 * as RFC 4975 §6.1 says? A URI spelled as the stored one is equal;
 * any other is split here, once. */
/*@ requires hdr_len <= 65535 && \valid_read(hdr + (0 .. hdr_len - 1));
  @ requires \valid_read(got) && \valid_read(pp);
  @ requires path_in(pp, n) && \valid_read(p + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @*/
static int msrp_path_matches(const emsec_msrp_path *got, const uint8_t *hdr, uint32_t hdr_len,
                             const uint8_t *p, uint32_t n, const emsec_msrp_prepared_path *pp,
                             uint32_t want)
{
    msrp_uri_parts q;
    (void)n; /* p's length: pp's spans lie inside it (contract) */
    if (want == 0u || want > pp->count || got->count != want) {
        return 0;
    }
    /*@ loop invariant 0 <= i <= want;
      @ loop assigns i, q;
      @ loop variant want - i;
      @*/
    for (uint32_t i = 0u; i < want; i++) {
        const emsec_span s = got->uri[i];
        if (s.off > hdr_len || s.len > hdr_len - s.off) {
            return 0;
        }
        /* the same bytes as the stored URI, which prepare checked: equal
         * without splitting (the usual case: peers send back what they
         * were given) */
        if (s.len == pp->uri[i].len &&
            msrp_eq_cs(hdr + s.off, p + pp->uri[i].off, s.len) == 1) {
            continue;
        }
        if (msrp_uri_split(hdr + s.off, s.len, &q) == 0 ||
            msrp_parts_equal(hdr + s.off, s.len, &q, p + pp->uri[i].off, pp->uri[i].len,
                             &pp->parts[i]) == 0) {
            return 0;
        }
    }
    return 1;
}

/* The rewrite's precondition, one list for its contract and its vacuity
 * probe (the end of this file). */
#define MSRP_REWRITE_PRE                                                                         \
    requires \valid_read(ps) && \valid_read(msg) && \valid(out_len) && \valid(verdict);           \
    requires \separated(out_len, verdict);                                                       \
    requires \separated(out_len, ps, hdr + (0 .. hdr_len - 1)) && \separated(out_len, msg);       \
    requires \separated(verdict, ps, hdr + (0 .. hdr_len - 1)) && \separated(verdict, msg);       \
    requires \valid_read(hdr + (0 .. hdr_len - 1));                                              \
    requires bytes_ok(&ps->s.own[0]) && bytes_ok(&ps->s.own[1]);                                 \
    requires bytes_ok(&ps->s.peer[0]) && bytes_ok(&ps->s.peer[1]);                               \
    requires out == \null || \valid(out + (0 .. cap - 1));                                        \
    requires out == \null ||                                                                     \
             \separated(out + (0 .. cap - 1), ps, msg, out_len, verdict, hdr + (0 .. hdr_len - 1)); \
    requires out == \null ||                                                                     \
             (out_apart(out, cap, &ps->s.own[0]) && out_apart(out, cap, &ps->s.own[1]) &&         \
              out_apart(out, cap, &ps->s.peer[0]) && out_apart(out, cap, &ps->s.peer[1]))
/*@ MSRP_REWRITE_PRE;
  @ assigns *out_len, *verdict, out[0 .. cap - 1];
  @ ensures \result == EMSEC_OK || \result == EMSEC_ERR_REFUSED ||
  @         \result == EMSEC_ERR_NO_SPACE || \result == EMSEC_ERR_ARGUMENT;
  @ ensures \result == EMSEC_OK ==> *verdict == EMSEC_MSRP_FORWARD && *out_len <= cap;
  @ ensures \result == EMSEC_ERR_NO_SPACE ==> *verdict == EMSEC_MSRP_FORWARD && *out_len > cap;
  @ ensures \result == EMSEC_ERR_REFUSED ==>
  @         *verdict == EMSEC_MSRP_REFUSE_481 || *verdict == EMSEC_MSRP_DROP;
  @ ensures \result != EMSEC_OK && \result != EMSEC_ERR_NO_SPACE ==> *out_len == 0;
  @*/
emsec_result emsec_msrp_rewrite(const emsec_msrp_prepared *ps, uint32_t from,
                                const emsec_msrp_msg *msg, const uint8_t *hdr, uint32_t hdr_len,
                                uint8_t *out, uint32_t cap, uint32_t *out_len,
                                emsec_msrp_verdict *verdict)
{
    msrp_w w;
    uint32_t to, rest;
    int is_request;
    emsec_span sl;
    const emsec_msrp_header *fp;

    *out_len = 0u;
    *verdict = EMSEC_MSRP_DROP;
    if (from > 1u || (cap > 0u && out == NULL) || msg->header_count < 2u ||
        msg->header_count > EMSEC_MSRP_MAX_HEADERS ||
        msg->headers[0].kind != (uint32_t)EMSEC_MSRP_H_TO_PATH ||
        msg->headers[1].kind != (uint32_t)EMSEC_MSRP_H_FROM_PATH ||
        msg->header_len > hdr_len || hdr_len > EMSEC_MSRP_MAX_HEADER) {
        return EMSEC_ERR_ARGUMENT;
    }
    /* the paths were checked and split once, by emsec_msrp_prepare */
    if (msrp_prepared_ok(ps) == 0) {
        return EMSEC_ERR_ARGUMENT;
    }
    to = 1u - from;
    sl = msg->start_line;
    fp = &msg->headers[1];
    /* 64-bit sums: a span length near UINT32_MAX must not wrap past the check */
    if (sl.off != 0u || (uint64_t)sl.len + 2u > msg->header_len ||
        fp->line.off > msg->header_len ||
        (uint64_t)fp->line.len + 2u > msg->header_len - fp->line.off) {
        return EMSEC_ERR_ARGUMENT;
    }
    rest = fp->line.off + fp->line.len + 2u; /* after the From-Path line's CRLF */
    is_request = msg->kind == (uint32_t)EMSEC_MSRP_REQUEST;

    /* RFC 4975 §7.3: the To-Path holds exactly the gateway's URI on the
     * side the message came from; the From-Path is the way back: the whole
     * a=path of that side's peer for a request, its first URI (the previous
     * hop, RFC 4975 §7.2) for a response. */
    if (msrp_path_matches(&msg->to_path, hdr, hdr_len, ps->s.own[from].ptr, ps->s.own[from].len,
                          &ps->own[from], 1u) == 0 ||
        msrp_path_matches(&msg->from_path, hdr, hdr_len, ps->s.peer[from].ptr,
                          ps->s.peer[from].len, &ps->peer[from],
                          is_request ? ps->peer[from].count : 1u) == 0) {
        *verdict = is_request ? EMSEC_MSRP_REFUSE_481 : EMSEC_MSRP_DROP;
        return EMSEC_ERR_REFUSED;
    }
    /* What goes out on side `to`: the whole peer path (request) or its first
     * URI (response), and the gateway's own URI. Read into locals before the
     * first write, so that nothing written to out can be taken to change them. */
    const uint8_t *const own_to = ps->s.own[to].ptr;
    const uint32_t own_to_len = ps->s.own[to].len;
    const uint8_t *const peer_to = ps->s.peer[to].ptr;
    const uint32_t peer_to_len = ps->s.peer[to].len;
    const emsec_span first = ps->peer[to].uri[0];
    /*@ assert own_in: \valid_read(own_to + (0 .. own_to_len - 1)) && own_to_len <= 65535; */
    /*@ assert peer_in: \valid_read(peer_to + (0 .. peer_to_len - 1)) && peer_to_len <= 65535 &&
      @                 first.off + first.len <= peer_to_len; */
    /*@ assert own_apart: out == \null ||
      @                   \separated(out + (0 .. cap - 1), own_to + (0 .. own_to_len - 1)); */
    /*@ assert peer_apart: out == \null ||
      @                    \separated(out + (0 .. cap - 1), peer_to + (0 .. peer_to_len - 1)); */
    const uint8_t *const hop = is_request ? peer_to : peer_to + first.off;
    const uint32_t hop_len = is_request ? peer_to_len : first.len;
    *verdict = EMSEC_MSRP_FORWARD;
    w.buf = out;
    w.cap = cap;
    w.len = 0u;
    msrp_write_block(&w, hdr, sl.len, hop, hop_len, own_to, own_to_len, hdr + rest,
                     msg->header_len - rest);
    *out_len = w.len;
    return w.len <= cap ? EMSEC_OK : EMSEC_ERR_NO_SPACE;
}

#ifdef __FRAMAC__
/* Vacuity probe (proofs/run.sh, "vacuity"): the rewrite's precondition and
 * \false. If it PROVES, the precondition can never hold and the rewrite's
 * proof says nothing: the run fails then. */
/*@ MSRP_REWRITE_PRE;
  @ assigns \nothing;
  @ ensures vacuous: \false;
  @*/
static void probe_msrp_rewrite(const emsec_msrp_prepared *ps, uint32_t from, const emsec_msrp_msg *msg,
                               const uint8_t *hdr, uint32_t hdr_len, uint8_t *out, uint32_t cap,
                               uint32_t *out_len, emsec_msrp_verdict *verdict)
{
    (void)ps;
    (void)from;
    (void)msg;
    (void)hdr;
    (void)hdr_len;
    (void)out;
    (void)cap;
    (void)out_len;
    (void)verdict;
}
#endif
