/*
 * adapters/crypto/hmac_openssl.h: the HMAC that core/'s MIKEY key
 * derivation takes as a callback (emsec_mikey_hmac_fn, include/emsec/
 * mikey.h), made with OpenSSL 3 (EVP_MAC "HMAC"). core/ may not call
 * OpenSSL; the adapter passes this function in:
 *
 *     emsec_mikey_hmac h = {emsec_hmac_openssl, NULL};
 */
#ifndef EMSEC_ADAPTERS_HMAC_OPENSSL_H
#define EMSEC_ADAPTERS_HMAC_OPENSSL_H

#include "emsec/mikey.h"

/*
 * HMAC-SHA-1 (20-byte out) or HMAC-SHA-256 (32-byte out) of the
 * concatenation of part[0 .. n_parts). ctx is unused (may be NULL).
 * key may be NULL iff key_len == 0; part[i] may be NULL iff part_len[i]
 * == 0. Returns EMSEC_OK, EMSEC_ERR_ARGUMENT (unknown hash, NULL with a
 * length), or EMSEC_ERR_REFUSED when OpenSSL fails (out is then zeroed).
 */
emsec_result emsec_hmac_openssl(void *ctx, emsec_mikey_hash hash, const uint8_t *key,
                                uint32_t key_len, const uint8_t *const *part,
                                const uint32_t *part_len, uint32_t n_parts, uint8_t *out);

#endif
