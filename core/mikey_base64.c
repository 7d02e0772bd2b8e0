/*
 * core/mikey_base64.c: the a=key-mgmt:mikey value (RFC 4567 §3, §3.1).
 *
 * keymgmt-data "SHALL be base64 encoded and comply with the base64 grammar
 * as defined in [SDPnew]" (RFC 4567 §3); that grammar (RFC 8866 §9) is
 *   base64      = *base64-unit [base64-pad]
 *   base64-unit = 4base64-char
 *   base64-pad  = 2base64-char "==" / 3base64-char "="
 *   base64-char = ALPHA / DIGIT / "+" / "/"
 * so: no whitespace, no line breaks, a multiple of 4 characters, "=" only
 * at the very end. The decoder also refuses non-zero bits left over by the
 * padding (RFC 4648 §3.5 lets a decoder do so): then each byte string has
 * exactly one accepted text, and decode -> encode is the identity.
 */
#include "mikey_internal.h"

static const char enc_tab[64] = {
    'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P',
    'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'a', 'b', 'c', 'd', 'e', 'f',
    'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v',
    'w', 'x', 'y', 'z', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '/'};

/* The 6-bit value of a base64-char, -1 for any other byte. */
static int dec_char(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

emsec_result emsec_base64_decode(const char *in, uint32_t in_len, uint8_t *out, uint32_t cap,
                                 uint32_t *out_len, uint32_t *bad)
{
    uint32_t pad = 0, need, o = 0;
    *out_len = 0;
    *bad = 0;
    if ((in == NULL && in_len != 0) || (out == NULL && cap != 0))
        return EMSEC_ERR_ARGUMENT;
    /* A byte outside the alphabet is named first: it is the real fault
     * even when the length is wrong too. */
    for (uint32_t i = 0; i < in_len; i++) {
        if (in[i] != '=' && dec_char(in[i]) < 0) {
            *bad = i;
            return EMSEC_ERR_SYNTAX;
        }
    }
    if (in_len % 4u != 0) {
        *bad = in_len - in_len % 4u; /* the incomplete last group */
        return EMSEC_ERR_SYNTAX;
    }
    if (in_len > 0 && in[in_len - 1u] == '=')
        pad = (in[in_len - 2u] == '=') ? 2u : 1u;
    need = in_len / 4u * 3u - pad;
    for (uint32_t i = 0; i < in_len; i += 4u) {
        int v[4];
        const bool last = i + 4u == in_len;
        for (uint32_t k = 0; k < 4u; k++) {
            if (last && k >= 4u - pad) {
                v[k] = 0; /* the "=" of base64-pad */
                continue;
            }
            v[k] = dec_char(in[i + k]);
            if (v[k] < 0) {
                *bad = i + k;
                return EMSEC_ERR_SYNTAX;
            }
        }
        /* Left-over bits under the padding must be zero (canonical text). */
        if (last && ((pad == 1u && (v[2] & 0x03) != 0) || (pad == 2u && (v[1] & 0x0F) != 0))) {
            *bad = i + 3u - pad;
            return EMSEC_ERR_SYNTAX;
        }
        uint32_t group = ((uint32_t)v[0] << 18) | ((uint32_t)v[1] << 12) |
                         ((uint32_t)v[2] << 6) | (uint32_t)v[3];
        for (uint32_t k = 0; k < 3u - (last ? pad : 0u); k++) {
            if (o < cap)
                out[o] = (uint8_t)(group >> (16u - 8u * k));
            o++;
        }
    }
    *out_len = need;
    return need > cap ? EMSEC_ERR_NO_SPACE : EMSEC_OK;
}

emsec_result emsec_base64_encode(const uint8_t *in, uint32_t in_len, char *out, uint32_t cap,
                                 uint32_t *out_len)
{
    uint32_t o = 0;
    *out_len = 0;
    if ((in == NULL && in_len != 0) || (out == NULL && cap != 0) || in_len > 0xBFFFFFFDu)
        return EMSEC_ERR_ARGUMENT;
    const uint32_t need = (in_len + 2u) / 3u * 4u;
    for (uint32_t i = 0; i < in_len; i += 3u) {
        const uint32_t n = in_len - i < 3u ? in_len - i : 3u;
        uint32_t group = (uint32_t)in[i] << 16;
        if (n > 1u)
            group |= (uint32_t)in[i + 1u] << 8;
        if (n > 2u)
            group |= in[i + 2u];
        for (uint32_t k = 0; k < 4u; k++) {
            char c = k <= n ? enc_tab[(group >> (18u - 6u * k)) & 0x3Fu] : '=';
            if (o < cap)
                out[o] = c;
            o++;
        }
    }
    *out_len = need;
    return need > cap ? EMSEC_ERR_NO_SPACE : EMSEC_OK;
}

/* RFC 4567 §3.1: key-mgmt-att-value = 0*1SP prtcl-id SP keymgmt-data, and
 * §7: the prtcl-id for MIKEY "SHALL be "mikey"" (KMPID is case sensitive,
 * §3). The data itself is checked by emsec_base64_decode. */
emsec_result emsec_mikey_sdp_value(const char *val, uint32_t len, emsec_span *data, uint32_t *bad)
{
    static const char id[] = "mikey ";
    uint32_t i = 0;
    *bad = 0;
    data->off = data->len = 0;
    if (val == NULL && len != 0)
        return EMSEC_ERR_ARGUMENT;
    if (len > 0 && val[0] == ' ')
        i = 1;
    for (uint32_t k = 0; k < sizeof id - 1u; k++) {
        if (i + k >= len || val[i + k] != id[k]) {
            *bad = i + k;
            return EMSEC_ERR_SYNTAX;
        }
    }
    i += (uint32_t)(sizeof id - 1u);
    data->off = i;
    data->len = len - i;
    return EMSEC_OK;
}
