/*
 * adapters/crypto/hmac_openssl.c: HMAC over OpenSSL 3's EVP_MAC, for the
 * MIKEY PRFs of core/mikey_kdf.c (see hmac_openssl.h).
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "hmac_openssl.h"

emsec_result emsec_hmac_openssl(void *ctx, emsec_mikey_hash hash, const uint8_t *key,
                                uint32_t key_len, const uint8_t *const *part,
                                const uint32_t *part_len, uint32_t n_parts, uint8_t *out)
{
    const char *digest;
    size_t want, got = 0;
    static const uint8_t empty_key[1] = {0};
    (void)ctx;
    switch (hash) {
    case EMSEC_MIKEY_HASH_SHA1: digest = "SHA1"; want = 20; break;
    case EMSEC_MIKEY_HASH_SHA256: digest = "SHA256"; want = 32; break;
    default: return EMSEC_ERR_ARGUMENT;
    }
    if (out == NULL || (key == NULL && key_len != 0) || (part == NULL && n_parts != 0) ||
        (part_len == NULL && n_parts != 0))
        return EMSEC_ERR_ARGUMENT;
    for (uint32_t i = 0; i < n_parts; i++)
        if (part[i] == NULL && part_len[i] != 0)
            return EMSEC_ERR_ARGUMENT;

    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *mc = mac != NULL ? EVP_MAC_CTX_new(mac) : NULL;
    OSSL_PARAM params[2];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0);
    params[1] = OSSL_PARAM_construct_end();
    /* A zero-length key is legal HMAC (RFC 2104 pads it); OpenSSL wants a
     * non-NULL pointer for it. */
    int ok = mc != NULL && EVP_MAC_init(mc, key_len > 0 ? key : empty_key, key_len, params) == 1;
    for (uint32_t i = 0; ok && i < n_parts; i++)
        if (part_len[i] > 0)
            ok = EVP_MAC_update(mc, part[i], part_len[i]) == 1;
    ok = ok && EVP_MAC_final(mc, out, &got, want) == 1 && got == want;
    EVP_MAC_CTX_free(mc);
    EVP_MAC_free(mac);
    if (!ok) {
        memset(out, 0, want);
        return EMSEC_ERR_REFUSED;
    }
    return EMSEC_OK;
}
