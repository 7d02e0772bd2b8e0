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

/*
 * Split u[0, n) into the parts RFC 4975 §6.1 compares: msrp-scheme "://"
 * authority ["/" session-id] ";" transport *( ";" URI-parameter ) (§9).
 * Returns 1, or 0 when u is not of that shape or holds a byte outside
 * 0x21..0x7e (the grammar's URIs never do).
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
    uint32_t i, a_end, h_start, h_end;

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
    /*@ loop invariant 0 <= i <= n;
      @ loop assigns i;
      @ loop variant n - i;
      @*/
    for (i = 0; i < n; i++) {
        if (u[i] < 0x21u || u[i] > 0x7eu) {
            return 0;
        }
    }
    if (n >= 7u && msrp_eq_ci(u, msrp_scheme_plain, 7u) == 1) {
        i = 7u;
    } else if (n >= 8u && msrp_eq_ci(u, msrp_scheme_tls, 8u) == 1) {
        i = 8u;
        p->tls = 1u;
    } else {
        return 0;
    }
    /* authority: up to the first '/' or ';' */
    a_end = i;
    /*@ loop invariant i <= a_end <= n;
      @ loop assigns a_end;
      @ loop variant n - a_end;
      @*/
    while (a_end < n && u[a_end] != (uint8_t)'/' && u[a_end] != (uint8_t)';') {
        a_end++;
    }
    /* userinfo "@" is left out of the comparison (§6.1 rule 2) */
    h_start = i;
    /*@ loop invariant i <= k <= a_end;
      @ loop invariant i <= h_start <= a_end;
      @ loop assigns k, h_start;
      @ loop variant a_end - k;
      @*/
    for (uint32_t k = i; k < a_end; k++) {
        if (u[k] == (uint8_t)'@') {
            h_start = k + 1u;
        }
    }
    h_end = h_start;
    if (h_start < a_end && u[h_start] == (uint8_t)'[') {
        /*@ loop invariant h_start <= h_end <= a_end;
          @ loop assigns h_end;
          @ loop variant a_end - h_end;
          @*/
        while (h_end < a_end && u[h_end] != (uint8_t)']') {
            h_end++;
        }
        if (h_end >= a_end) {
            return 0;
        }
        h_end++;
    } else {
        /*@ loop invariant h_start <= h_end <= a_end;
          @ loop assigns h_end;
          @ loop variant a_end - h_end;
          @*/
        while (h_end < a_end && u[h_end] != (uint8_t)':') {
            h_end++;
        }
    }
    if (h_end == h_start) {
        return 0;
    }
    p->host_off = h_start;
    p->host_len = h_end - h_start;
    if (h_end < a_end) {
        uint32_t v = 0u;
        if (u[h_end] != (uint8_t)':' || h_end + 1u >= a_end || a_end - h_end - 1u > 5u) {
            return 0;
        }
        /*@ loop invariant h_end + 1 <= k <= a_end;
          @ loop invariant v <= 99999;
          @ loop assigns k, v;
          @ loop variant a_end - k;
          @*/
        for (uint32_t k = h_end + 1u; k < a_end; k++) {
            if (u[k] < (uint8_t)'0' || u[k] > (uint8_t)'9' || v > 9999u) {
                return 0;
            }
            v = v * 10u + (uint32_t)(u[k] - (uint8_t)'0');
        }
        p->has_port = 1u;
        p->port = v;
    }
    i = a_end;
    if (i < n && u[i] == (uint8_t)'/') {
        uint32_t s = i + 1u;
        /*@ loop invariant i + 1 <= s <= n;
          @ loop assigns s;
          @ loop variant n - s;
          @*/
        while (s < n && u[s] != (uint8_t)';') {
            s++;
        }
        if (s == i + 1u) {
            return 0;
        }
        p->has_sid = 1u;
        p->sid_off = i + 1u;
        p->sid_len = s - i - 1u;
        i = s;
    }
    if (i >= n || u[i] != (uint8_t)';') {
        return 0;
    }
    i++;
    {
        uint32_t t = i;
        /*@ loop invariant i <= t <= n;
          @ loop assigns t;
          @ loop variant n - t;
          @*/
        while (t < n && u[t] != (uint8_t)';') {
            t++;
        }
        if (t == i) {
            return 0;
        }
        p->tr_off = i;
        p->tr_len = t - i;
    }
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
  @*/
static int msrp_path_nth(const uint8_t *p, uint32_t n, uint32_t index, uint32_t *off,
                         uint32_t *len)
{
    uint32_t start = 0u, k = 0u;
    *off = 0u;
    *len = 0u;
    /*@ loop invariant 0 <= start <= i <= n;
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

emsec_result emsec_msrp_local_path(const emsec_msrp_leg *leg, uint8_t *out, uint32_t cap,
                                   uint32_t *out_len)
{
    msrp_w w;
    uint8_t port[5];
    uint32_t nport = 0u, v;
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
        for (uint32_t i = 0u; i < hn; i++) {
            if (!msrp_unreserved(h[i])) {
                return EMSEC_ERR_ARGUMENT;
            }
        }
    }
    /* session-id = 1*( unreserved / "+" / "=" / "/" ) (RFC 4975 §9) */
    for (uint32_t i = 0u; i < sn; i++) {
        if (!msrp_unreserved(sid[i]) && sid[i] != (uint8_t)'+' && sid[i] != (uint8_t)'=' &&
            sid[i] != (uint8_t)'/') {
            return EMSEC_ERR_ARGUMENT;
        }
    }
    v = leg->port;
    for (uint32_t d = 10000u; d > 0u; d /= 10u) {
        if (v >= d || nport > 0u || d == 1u) {
            port[nport++] = (uint8_t)('0' + (v / d) % 10u);
        }
    }
    w.buf = out;
    w.cap = cap;
    w.len = 0u;
    if (leg->tls != 0u) {
        msrp_put(&w, (const uint8_t *)"msrps://", 8u);
    } else {
        msrp_put(&w, (const uint8_t *)"msrp://", 7u);
    }
    msrp_put(&w, h, hn);
    msrp_put(&w, (const uint8_t *)":", 1u);
    msrp_put(&w, port, nport);
    msrp_put(&w, (const uint8_t *)"/", 1u);
    msrp_put(&w, sid, sn);
    msrp_put(&w, (const uint8_t *)";tcp", 4u);
    *out_len = w.len;
    return w.len <= cap ? EMSEC_OK : EMSEC_ERR_NO_SPACE;
}

/* ------------------------------------------------------------ rewrite */

/* Does the URI list `got` (spans into hdr) equal the path p[0, n) URI for
 * URI (first_only: p's first URI alone)? */
static int msrp_path_matches(const emsec_msrp_path *got, const uint8_t *hdr, uint32_t hdr_len,
                             const uint8_t *p, uint32_t n, int first_only)
{
    const uint32_t want = first_only ? 1u : msrp_path_count(p, n);
    if (want == 0u || got->count != want || got->count > EMSEC_MSRP_MAX_PATH) {
        return 0;
    }
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
static int msrp_path_ok(const emsec_msrp_bytes *b)
{
    return b->ptr != NULL && b->len > 0u && b->len <= 65535u &&
           msrp_path_count(b->ptr, b->len) > 0u;
}

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
    if (sl.off != 0u || sl.len + 2u > msg->header_len || fp->line.off > msg->header_len ||
        fp->line.len + 2u > msg->header_len - fp->line.off) {
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
    msrp_put(&w, (const uint8_t *)"\r\nTo-Path: ", 11u);
    if (is_request) {
        msrp_put(&w, s->peer[to].ptr, s->peer[to].len);
    } else {
        (void)msrp_path_nth(s->peer[to].ptr, s->peer[to].len, 0u, &first_off, &first_len);
        msrp_put(&w, s->peer[to].ptr + first_off, first_len);
    }
    msrp_put(&w, (const uint8_t *)"\r\nFrom-Path: ", 13u);
    msrp_put(&w, s->own[to].ptr, s->own[to].len);
    msrp_put(&w, (const uint8_t *)"\r\n", 2u);
    msrp_put(&w, hdr + rest, msg->header_len - rest);
    *out_len = w.len;
    return w.len <= cap ? EMSEC_OK : EMSEC_ERR_NO_SPACE;
}
