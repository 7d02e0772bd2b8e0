/*
 * core/mg_fingerprint.c: does the peer's certificate match the Remote SDP?
 * RFC 8122 §5: the fingerprint in the SDP is the hash (named by the
 * attribute) of the certificate; when several a=fingerprint lines apply,
 * the certificate must match one whose hash function the endpoint
 * computed. md5 and md2 are not accepted (RFC 8122 §5: MUST NOT be used).
 */
#include <string.h>

#include "mg_internal.h"

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32u) : c;
}

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
static bool hex_equals(const char *s, emsec_span v, const uint8_t *fp, uint32_t fp_len)
{
    uint32_t k = 0u;
    for (uint32_t i = 0u; i < v.len;) {
        if (i + 1u >= v.len || k >= fp_len)
            return false;
        int hi = hexval((unsigned char)s[v.off + i]), lo = hexval((unsigned char)s[v.off + i + 1u]);
        if (hi < 0 || lo < 0 || (uint8_t)(hi << 4 | lo) != fp[k])
            return false;
        k++;
        i += 2u;
        if (i < v.len) {
            if (s[v.off + i] != ':')
                return false;
            i++;
        }
    }
    return k == fp_len;
}

bool mg_fingerprint_matches(emsec_mg *mg, const emsec_mg_term *t, const char *hash, const uint8_t *fp,
                            uint32_t fp_len)
{
    emsec_sdp_error e;
    size_t hl = strnlen(hash, 16u);
    if (hl == 0u || hl >= 16u || fp_len == 0u || t->remote_len == 0u)
        return false;
    if (hl == 3u && lower((unsigned char)hash[0]) == 'm' && lower((unsigned char)hash[1]) == 'd')
        return false; /* md5, md2 */
    if (emsec_sdp_parse(&mg->sdp, EMSEC_SDP_MODE_H248, 0u, (const uint8_t *)t->remote, t->remote_len, &e) !=
            EMSEC_OK ||
        mg->sdp.media_count == 0u)
        return false;
    const emsec_sdp_attr *fps[16];
    uint32_t n = emsec_sdp_media_fingerprints(&mg->sdp, 0u, fps, 16u);
    for (uint32_t i = 0u; i < n && i < 16u; i++) {
        const emsec_sdp_fingerprint *f = &fps[i]->u.fingerprint;
        if (f->hash_name.len != hl)
            continue;
        bool same = true;
        for (uint32_t k = 0u; k < hl; k++)
            same = same && lower((unsigned char)t->remote[f->hash_name.off + k]) == lower((unsigned char)hash[k]);
        if (same && hex_equals(t->remote, f->value, fp, fp_len))
            return true;
    }
    return false;
}
