/*
 * core/msrp_rewrite.c: To-Path / From-Path rewriting of the MSRP-aware
 * IMS-AGW (TR 29.828 §4.1.4) and the a=path value it presents to each side.
 * The rule, with its citations, is in include/emsec/msrp.h above
 * emsec_msrp_rewrite(). Only header bytes pass through here; the body never
 * does. Bounded writers: nothing is written at or past `cap`.
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

typedef struct msrp_uri_parts {
    uint32_t tls;                   /* msrps */
    uint32_t host_off, host_len;    /* authority without userinfo and port */
    uint32_t has_port;
    uint32_t port;
    uint32_t has_sid;
    uint32_t sid_off, sid_len;
    uint32_t tr_off, tr_len;        /* transport */
} msrp_uri_parts;

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

/*@ requires alen <= 65535 && blen <= 65535;
  @ requires \valid_read(a + (0 .. alen - 1)) && \valid_read(b + (0 .. blen - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @*/
int emsec_msrp_uri_equal(const uint8_t *a, uint32_t alen, const uint8_t *b, uint32_t blen)
{
    msrp_uri_parts pa, pb;
    if (msrp_uri_split(a, alen, &pa) == 0 || msrp_uri_split(b, blen, &pb) == 0) {
        return 0;
    }
    if (pa.tls != pb.tls || pa.host_len != pb.host_len || pa.has_port != pb.has_port ||
        pa.port != pb.port || pa.has_sid != pb.has_sid || pa.sid_len != pb.sid_len ||
        pa.tr_len != pb.tr_len) {
        return 0;
    }
    return msrp_eq_ci(a + pa.host_off, b + pb.host_off, pa.host_len) == 1 &&
           msrp_eq_cs(a + pa.sid_off, b + pb.sid_off, pa.sid_len) == 1 &&
           msrp_eq_ci(a + pa.tr_off, b + pb.tr_off, pa.tr_len) == 1;
}

/* ------------------------------------------------------------ paths */

/*
 * The `index`-th URI of the SP-separated path p[0, n): *off, *len. Returns 1,
 * or 0 if there is no such URI or the path is malformed (empty, leading,
 * trailing or doubled SP).
 */
/*@ requires n <= 65535;
  @ requires \valid_read(p + (0 .. n - 1));
  @ requires \valid(off) && \valid(len) && \separated(off, len);
  @ assigns *off, *len;
  @ ensures \result == 0 || \result == 1;
  @ ensures \result == 1 ==> *len >= 1 && *off + *len <= n;
  @ ensures \result == 0 ==> *off == 0 && *len == 0;
  @*/
static int msrp_path_nth(const uint8_t *p, uint32_t n, uint32_t index, uint32_t *off,
                         uint32_t *len)
{
    uint32_t start = 0u, k = 0u;
    *off = 0u;
    *len = 0u;
    /*@ loop invariant 0 <= start <= i <= n;
      @ loop invariant *off == 0 && *len == 0;
      @ loop assigns i, start, k, *off, *len;
      @ loop variant n - i;
      @*/
    for (uint32_t i = 0u; i <= n; i++) {
        if (i == n || p[i] == (uint8_t)' ') {
            if (i == start) {
                return 0;
            }
            if (k == index) {
                *off = start;
                *len = i - start;
                return 1;
            }
            if (k == 0xffffffffu || i == n) {
                return 0;
            }
            k++;
            start = i + 1u;
        }
        if (i == n) {
            break;
        }
    }
    return 0;
}

/* Number of URIs in a well-formed path (each a valid MSRP-URI), or 0. */
/*@ requires n <= 65535;
  @ requires \valid_read(p + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures \result <= EMSEC_MSRP_MAX_PATH;
  @*/
static uint32_t msrp_path_count(const uint8_t *p, uint32_t n)
{
    uint32_t off = 0u, len = 0u, count = 0u;
    msrp_uri_parts parts;
    /*@ loop invariant 0 <= count <= EMSEC_MSRP_MAX_PATH;
      @ loop assigns count, off, len, parts;
      @ loop variant EMSEC_MSRP_MAX_PATH - count;
      @*/
    while (count < EMSEC_MSRP_MAX_PATH && msrp_path_nth(p, n, count, &off, &len) == 1) {
        if (msrp_uri_split(p + off, len, &parts) == 0) {
            return 0u;
        }
        count++;
    }
    if (count == EMSEC_MSRP_MAX_PATH && msrp_path_nth(p, n, count, &off, &len) == 1) {
        return 0u; /* more URIs than a header may carry */
    }
    /* a malformed tail (doubled or trailing SP) after good URIs */
    if (count > 0u) {
        uint32_t last_off = 0u, last_len = 0u;
        if (msrp_path_nth(p, n, count - 1u, &last_off, &last_len) == 0 ||
            last_off + last_len != n) {
            return 0u;
        }
    }
    return count;
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
    uint32_t at = 5u, v;
    const uint8_t *h = leg->host.ptr;
    const uint32_t hn = leg->host.len;
    const uint8_t *sid = leg->session_id.ptr;
    const uint32_t sn = leg->session_id.len;

    *out_len = 0u;
    if (h == NULL || hn == 0u || hn > MSRP_MAX_HOST || sid == NULL || sn == 0u ||
        sn > MSRP_MAX_SID || leg->port == 0u || leg->port > 65535u || leg->tls > 1u ||
        (cap > 0u && out == NULL)) {
        return EMSEC_ERR_ARGUMENT;
    }
    if (h[0] == (uint8_t)'[') {
        /* IP-literal, RFC 3986 §3.2.2 (IPv6 in brackets) */
        if (hn < 3u || h[hn - 1u] != (uint8_t)']') {
            return EMSEC_ERR_ARGUMENT;
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
                return EMSEC_ERR_ARGUMENT;
            }
        }
    } else {
        /* reg-name (no percent-encoding, no sub-delims: a DNS name or IPv4) */
        /*@ loop invariant 0 <= i <= hn;
          @ loop assigns i;
          @ loop variant hn - i;
          @*/
        for (uint32_t i = 0u; i < hn; i++) {
            if (!msrp_unreserved(h[i])) {
                return EMSEC_ERR_ARGUMENT;
            }
        }
    }
    /* session-id = 1*( unreserved / "+" / "=" / "/" ) (RFC 4975 §9) */
    /*@ loop invariant 0 <= i <= sn;
      @ loop assigns i;
      @ loop variant sn - i;
      @*/
    for (uint32_t i = 0u; i < sn; i++) {
        if (!msrp_unreserved(sid[i]) && sid[i] != (uint8_t)'+' && sid[i] != (uint8_t)'=' &&
            sid[i] != (uint8_t)'/') {
            return EMSEC_ERR_ARGUMENT;
        }
    }
    /* the port in decimal, without leading zeros, right-aligned in port[] */
    v = leg->port;
    /*@ loop invariant 1 <= at <= 5;
      @ loop assigns at, v, port[0 .. 4];
      @ loop variant at;
      @*/
    do {
        port[--at] = (uint8_t)('0' + v % 10u);
        v /= 10u;
    } while (v > 0u && at > 0u);
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

/* Does the URI list `got` (spans into hdr) equal the path p[0, n) URI for
 * URI (first_only: p's first URI alone)? */
/*@ requires n <= 65535 && \valid_read(p + (0 .. n - 1));
  @ requires hdr_len <= 65535 && \valid_read(hdr + (0 .. hdr_len - 1));
  @ requires \valid_read(got);
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @*/
static int msrp_path_matches(const emsec_msrp_path *got, const uint8_t *hdr, uint32_t hdr_len,
                             const uint8_t *p, uint32_t n, int first_only)
{
    const uint32_t want = first_only ? 1u : msrp_path_count(p, n);
    if (want == 0u || got->count != want || got->count > EMSEC_MSRP_MAX_PATH) {
        return 0;
    }
    /*@ loop invariant 0 <= i <= want;
      @ loop assigns i;
      @ loop variant want - i;
      @*/
    for (uint32_t i = 0u; i < want; i++) {
        uint32_t off = 0u, len = 0u;
        const emsec_span s = got->uri[i];
        if (s.off > hdr_len || s.len > hdr_len - s.off) {
            return 0;
        }
        if (msrp_path_nth(p, n, i, &off, &len) == 0) {
            return 0;
        }
        if (emsec_msrp_uri_equal(hdr + s.off, s.len, p + off, len) == 0) {
            return 0;
        }
    }
    return 1;
}

/* A session path is usable: readable bytes, at most 65535 of them, and a
 * well-formed SP-separated list of MSRP-URIs. */
/*@ requires \valid_read(b);
  @ requires b->ptr == \null || \valid_read(b->ptr + (0 .. b->len - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @ ensures \result == 1 ==> b->ptr != \null && 0 < b->len <= 65535;
  @*/
static int msrp_path_ok(const emsec_msrp_bytes *b)
{
    return b->ptr != NULL && b->len > 0u && b->len <= 65535u &&
           msrp_path_count(b->ptr, b->len) > 0u;
}

/*@ predicate bytes_ok(emsec_msrp_bytes *b) =
  @   b->ptr == \null || \valid_read(b->ptr + (0 .. b->len - 1));
  @*/

/*@ requires \valid_read(s) && \valid_read(msg) && \valid(out_len) && \valid(verdict);
  @ requires \separated(out_len, verdict);
  @ requires \valid_read(hdr + (0 .. hdr_len - 1));
  @ requires bytes_ok(&s->own[0]) && bytes_ok(&s->own[1]);
  @ requires bytes_ok(&s->peer[0]) && bytes_ok(&s->peer[1]);
  @ requires out == \null || \valid(out + (0 .. cap - 1));
  @ requires out == \null ||
  @          \separated(out + (0 .. cap - 1), s, msg, out_len, verdict,
  @                     hdr + (0 .. hdr_len - 1),
  @                     s->own[0].ptr + (0 .. s->own[0].len - 1),
  @                     s->own[1].ptr + (0 .. s->own[1].len - 1),
  @                     s->peer[0].ptr + (0 .. s->peer[0].len - 1),
  @                     s->peer[1].ptr + (0 .. s->peer[1].len - 1));
  @ assigns *out_len, *verdict, out[0 .. cap - 1];
  @ ensures \result == EMSEC_OK || \result == EMSEC_ERR_REFUSED ||
  @         \result == EMSEC_ERR_NO_SPACE || \result == EMSEC_ERR_ARGUMENT;
  @ ensures \result == EMSEC_OK ==> *verdict == EMSEC_MSRP_FORWARD && *out_len <= cap;
  @ ensures \result == EMSEC_ERR_NO_SPACE ==> *verdict == EMSEC_MSRP_FORWARD && *out_len > cap;
  @ ensures \result == EMSEC_ERR_REFUSED ==>
  @         *verdict == EMSEC_MSRP_REFUSE_481 || *verdict == EMSEC_MSRP_DROP;
  @ ensures \result != EMSEC_OK && \result != EMSEC_ERR_NO_SPACE ==> *out_len == 0;
  @*/
emsec_result emsec_msrp_rewrite(const emsec_msrp_session *s, uint32_t from,
                                const emsec_msrp_msg *msg, const uint8_t *hdr, uint32_t hdr_len,
                                uint8_t *out, uint32_t cap, uint32_t *out_len,
                                emsec_msrp_verdict *verdict)
{
    msrp_w w;
    uint32_t to, rest, first_off = 0u, first_len = 0u;
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
    to = 1u - from;
    if (!msrp_path_ok(&s->own[0]) || !msrp_path_ok(&s->own[1]) || !msrp_path_ok(&s->peer[0]) ||
        !msrp_path_ok(&s->peer[1]) || msrp_path_count(s->own[0].ptr, s->own[0].len) != 1u ||
        msrp_path_count(s->own[1].ptr, s->own[1].len) != 1u) {
        return EMSEC_ERR_ARGUMENT;
    }
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
     * side the message came from; the From-Path is the way back. */
    if (msrp_path_matches(&msg->to_path, hdr, hdr_len, s->own[from].ptr, s->own[from].len, 0) ==
            0 ||
        msrp_path_matches(&msg->from_path, hdr, hdr_len, s->peer[from].ptr, s->peer[from].len,
                          !is_request) == 0) {
        *verdict = is_request ? EMSEC_MSRP_REFUSE_481 : EMSEC_MSRP_DROP;
        return EMSEC_ERR_REFUSED;
    }
    *verdict = EMSEC_MSRP_FORWARD;
    w.buf = out;
    w.cap = cap;
    w.len = 0u;
    msrp_put(&w, hdr, sl.len);
    msrp_put(&w, msrp_to_path, 11u);
    if (is_request) {
        msrp_put(&w, s->peer[to].ptr, s->peer[to].len);
    } else {
        (void)msrp_path_nth(s->peer[to].ptr, s->peer[to].len, 0u, &first_off, &first_len);
        msrp_put(&w, s->peer[to].ptr + first_off, first_len);
    }
    msrp_put(&w, msrp_from_path, 13u);
    msrp_put(&w, s->own[to].ptr, s->own[to].len);
    msrp_put(&w, msrp_crlf, 2u);
    msrp_put(&w, hdr + rest, msg->header_len - rest);
    *out_len = w.len;
    return w.len <= cap ? EMSEC_OK : EMSEC_ERR_NO_SPACE;
}
