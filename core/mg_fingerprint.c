/*
 * core/mg_fingerprint.c: does the peer's certificate match the Remote SDP?
 * RFC 8122 §5: the fingerprint in the SDP is the hash (named by the
 * attribute) of the certificate; when several a=fingerprint lines apply,
 * the certificate must match one whose hash function the endpoint
 * computed. md5 and md2 are not accepted (RFC 8122 §5: MUST NOT be used).
 *
 * Proofs: proofs/run.sh (step 2c) proves the contracted functions below with
 * WP and RTE; proofs/UNPROVED.md names the rest and why.
 */
#include <string.h>

#include "mg_internal.h"

/*@ assigns \nothing;
    ensures \result == lower_ci(c);
*/
static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32u) : c;
}

/*@ // the value of hex digit c (either case), -1 for any other byte
    logic integer hexv(integer c) =
      '0' <= c <= '9' ? c - '0' : 'a' <= c <= 'f' ? c - 'a' + 10 : 'A' <= c <= 'F' ? c - 'A' + 10 : -1;

    // the k-th pair of hex digits from s + off is the byte fp[k]
    predicate hex_pair(char *s, integer off, uint8_t *fp, integer k) =
      hexv((unsigned char)s[off + 3 * k]) >= 0 && hexv((unsigned char)s[off + 3 * k + 1]) >= 0 &&
      16 * hexv((unsigned char)s[off + 3 * k]) + hexv((unsigned char)s[off + 3 * k + 1]) == fp[k];
    // and a ':' follows it
    predicate colon_after(char *s, integer off, integer k) = s[off + 3 * k + 2] == ':';

    // s[off .. off + len - 1] is fp[0 .. n - 1] as "AB:CD:...:EF" (either case;
    // one trailing ':' is let through)
    predicate fp_text(char *s, integer off, integer len, uint8_t *fp, integer n) =
      (len == 3 * n - 1 || len == 3 * n) &&
      (\forall integer k; 0 <= k < n ==> hex_pair(s, off, fp, k)) &&
      (\forall integer k; 0 <= k < n && 3 * k + 2 < len ==> colon_after(s, off, k));
*/

/*@ assigns \nothing;
    ensures \result == hexv(c);
    ensures -1 <= \result <= 15;
*/
static int hexval(unsigned char c)
{
    c = lower(c);
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* "AB:CD:..." against the digest bytes. */
/*@ requires \valid_read(s + (v.off .. v.off + v.len - 1));
    requires v.off + v.len <= 0xffffffff;
    requires \valid_read(fp + (0 .. fp_len - 1));
    assigns \nothing;
    ensures matches: \result ==> fp_text(s, v.off, v.len, fp, fp_len);
    ensures exact: fp_text(s, v.off, v.len, fp, fp_len) ==> \result;
*/
static bool hex_equals(const char *s, emsec_span v, const uint8_t *fp, uint32_t fp_len)
{
    uint32_t k = 0u;
    /*@ loop invariant 0 <= k <= fp_len && i <= v.len;
        loop invariant i == 3 * k || (i == 3 * k - 1 && i == v.len);
        loop invariant \forall integer j; 0 <= j < k ==> hex_pair(s, v.off, fp, j);
        loop invariant \forall integer j; 0 <= j < k && 3 * j + 2 < v.len ==> colon_after(s, v.off, j);
        loop assigns i, k;
        loop variant v.len - i;
    */
    for (uint32_t i = 0u; i < v.len;) {
        if (i + 1u >= v.len || k >= fp_len)
            return false;
        int hi = hexval((unsigned char)s[v.off + i]), lo = hexval((unsigned char)s[v.off + i + 1u]);
        if (hi < 0 || lo < 0 || (uint8_t)(hi * 16 + lo) != fp[k]) {
            /*@ assert !hex_pair(s, v.off, fp, k); */
            return false;
        }
        /*@ assert hex_pair(s, v.off, fp, k); */
        k++;
        i += 2u;
        if (i < v.len) {
            if (s[v.off + i] != ':') {
                /*@ assert !colon_after(s, v.off, k - 1); */
                return false;
            }
            i++;
        }
    }
    return k == fp_len;
}

/* a[0, n) and b[0, n) are the same bytes, ignoring ASCII case. */
/*@ requires \valid_read(a + (0 .. n - 1)) && \valid_read(b + (0 .. n - 1));
    assigns \nothing;
    ensures \result <==> \forall integer k; 0 <= k < n ==>
      lower_ci((unsigned char)a[k]) == lower_ci((unsigned char)b[k]);
*/
static bool same_ci(const char *a, const char *b, uint32_t n)
{
    uint32_t k = 0u;
    /*@ loop invariant 0 <= k <= n;
        loop invariant \forall integer m; 0 <= m < k ==>
          lower_ci((unsigned char)a[m]) == lower_ci((unsigned char)b[m]);
        loop assigns k;
        loop variant n - k;
    */
    while (k < n && lower((unsigned char)a[k]) == lower((unsigned char)b[k]))
        k++;
    return k == n;
}

/* Parse term ti's Remote into mg->sdp (the scratch); true when it parses
 * and has a media. The Remote is kept as char, so the parser's char entry
 * (emsec_sdp_parse_text): WP's Typed model does not follow a cast between
 * char * and uint8_t *. Proved against that entry's contract (assumed: the
 * parser is not proved, include/emsec/sdp.h). */
/*@ requires \valid(mg) && ti < EMSEC_MG_MAX_TERMS;
    requires mg->term[ti].remote_len <= EMSEC_MG_MAX_SDP;
    assigns mg->sdp;
    ensures \result ==> emsec_sdp_ok(&mg->sdp, mg->term[ti].remote_len) && mg->sdp.media_count > 0;
*/
static bool parse_remote(emsec_mg *mg, uint16_t ti)
{
    emsec_sdp_error e;
    return emsec_sdp_parse_text(&mg->sdp, EMSEC_SDP_MODE_H248, 0u, mg->remote_sdp[ti],
                                mg->term[ti].remote_len, &e) == EMSEC_OK &&
           mg->sdp.media_count != 0u;
}

/*@ // hash_name of attribute a names hash[0 .. n - 1], ignoring ASCII case
    predicate fp_hash_named(char *remote, emsec_sdp_attr *a, char *hash, integer n) =
      a->u.fingerprint.hash_name.len == n &&
      \forall integer k; 0 <= k < n ==>
        lower_ci((unsigned char)remote[a->u.fingerprint.hash_name.off + k]) == lower_ci((unsigned char)hash[k]);
*/

/* Contract: the parse of the Remote is seen through parse_remote's (above;
 * it rests on emsec_sdp_parse's, ASSUMED: the parser is not proved), the
 * pointers it then follows through emsec_sdp_media_fingerprints' (proved,
 * include/emsec/sdp.h). hash is a
 * string (which gives strnlen's libc precondition); `matched` states the
 * bytes of hash and fp as they are at the end (the same as at the call
 * unless they lie in mg->sdp, which the call writes). */
/*@ requires \valid(mg);
    requires ti < EMSEC_MG_MAX_TERMS ==> mg->term[ti].remote_len <= EMSEC_MG_MAX_SDP;
    requires valid_read_string((char *)hash);
    requires \valid_read(fp + (0 .. fp_len - 1));
    assigns mg->sdp;
    ensures accepted: \result ==>
      fp_len > 0 && ti < EMSEC_MG_MAX_TERMS && mg->term[ti].remote_len > 0 &&
      0 < \at(strlen((char *)hash), Pre) < 16 &&
      !(\at(strlen((char *)hash), Pre) == 3 && lower_ci((unsigned char)\at(hash[0], Pre)) == 'm' &&
        lower_ci((unsigned char)\at(hash[1], Pre)) == 'd');
    ensures matched: \result ==>
      \exists integer j; 0 <= j < mg->sdp.attr_count &&
        mg->sdp.attrs[j].kind == EMSEC_SDP_ATTR_FINGERPRINT &&
        fp_hash_named(&mg->remote_sdp[ti][0], &mg->sdp.attrs[j], (char *)hash, \at(strlen((char *)hash), Pre)) &&
        fp_text(&mg->remote_sdp[ti][0], mg->sdp.attrs[j].u.fingerprint.value.off,
                mg->sdp.attrs[j].u.fingerprint.value.len, (uint8_t *)fp, fp_len);
*/
bool mg_fingerprint_matches(emsec_mg *mg, uint16_t ti, const char *hash, const uint8_t *fp, uint32_t fp_len)
{
    if (ti >= EMSEC_MG_MAX_TERMS)
        return false;
    const emsec_mg_term *t = &mg->term[ti];
    const char *remote = mg->remote_sdp[ti];
    size_t hl = strnlen(hash, 16u);
    if (hl == 0u || hl >= 16u || fp_len == 0u || t->remote_len == 0u)
        return false;
    /*@ assert hl == strlen((char *)hash); */
    if (hl == 3u && lower((unsigned char)hash[0]) == 'm' && lower((unsigned char)hash[1]) == 'd')
        return false; /* md5, md2 */
    if (!parse_remote(mg, ti))
        return false;
    /*@ assert t->remote_len <= EMSEC_MG_MAX_SDP; */
    const emsec_sdp_attr *fps[16];
    uint32_t n = emsec_sdp_media_fingerprints(&mg->sdp, 0u, fps, 16u);
    /*@ loop invariant 0 <= i <= 16;
        loop assigns i;
        loop variant 16 - i;
    */
    for (uint32_t i = 0u; i < n && i < 16u; i++) {
        /*@ assert emsec_sdp_attr_in(&mg->sdp, fps[i]) && fps[i]->kind == EMSEC_SDP_ATTR_FINGERPRINT; */
        /*@ assert emsec_sdp_attr_ok(fps[i], t->remote_len); */
        const emsec_sdp_fingerprint *f = &fps[i]->u.fingerprint;
        if (f->hash_name.len != hl)
            continue;
        /*@ assert f->hash_name.off + hl <= EMSEC_MG_MAX_SDP; */
        if (same_ci(remote + f->hash_name.off, hash, (uint32_t)hl) && hex_equals(remote, f->value, fp, fp_len)) {
            /*@ assert fp_hash_named((char *)remote, (emsec_sdp_attr *)fps[i], (char *)hash, hl); */
            return true;
        }
    }
    return false;
}

/* The hashes the termination's Remote a=fingerprint lines name, so that the
 * adapter digests the peer certificate with one of them (RFC 8122 §5: the
 * fingerprint is checked with the hash the line names). md5 and md2 are left
 * out: the core refuses them (RFC 8122 §5, RFC 4572 §5). Its parse of the
 * Remote is seen through parse_remote's contract (above). */
/*@ requires \valid(mg);
    requires term < EMSEC_MG_MAX_TERMS ==> mg->term[term].remote_len <= EMSEC_MG_MAX_SDP;
    assigns mg->sdp;
    ensures no_term: (term >= EMSEC_MG_MAX_TERMS || !mg->term[term].used || mg->term[term].remote_len == 0) ==>
      \result == 0;
*/
uint32_t emsec_mg_term_remote_hashes(emsec_mg *mg, uint16_t term)
{
    if (term >= EMSEC_MG_MAX_TERMS || !mg->term[term].used || mg->term[term].remote_len == 0u)
        return 0u;
    if (!parse_remote(mg, term))
        return 0u;
    const emsec_sdp_attr *fps[16];
    uint32_t n = emsec_sdp_media_fingerprints(&mg->sdp, 0u, fps, 16u);
    uint32_t mask = 0u;
    /*@ loop invariant 0 <= i <= 16;
        loop assigns i, mask;
        loop variant 16 - i;
    */
    for (uint32_t i = 0u; i < n && i < 16u; i++) {
        /*@ assert emsec_sdp_attr_in(&mg->sdp, fps[i]); */
        emsec_sdp_hash h = fps[i]->u.fingerprint.hash;
        if (h >= EMSEC_SDP_HASH_SHA1 && h <= EMSEC_SDP_HASH_SHA512)
            mask |= 1u << (uint32_t)h;
    }
    return mask;
}

#ifdef __FRAMAC__
/* Vacuity probe of the parse result's contract (core/mg.c says why). */
/*@ requires \valid(s) && emsec_sdp_ok(s, len) && s->media_count > 0;
    assigns \nothing;
    ensures vacuous: \false;
*/
static void probe_sdp_ok(emsec_sdp *s, uint32_t len)
{
    (void)s;
    (void)len;
}
#endif
