/*
 * core/mikey_internal.h: what the MIKEY files of core/ share. Not public.
 */
#ifndef EMSEC_CORE_MIKEY_INTERNAL_H
#define EMSEC_CORE_MIKEY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emsec/mikey.h"

/* Length of a value whose size the algorithm fixes (RFC 3830 §6.6 TS value,
 * §6.2 / §6.9 MAC, §6.8 hash), or -1 for an unknown algorithm. */
int mikey_ts_len(uint8_t ts_type);
int mikey_mac_len(uint8_t mac_alg);
int mikey_hash_len(uint8_t hash_func);
/* Does the key data Type carry a salt (RFC 3830 §6.13 "+SALT" types)? */
bool mikey_key_has_salt(uint8_t type);

/* A bounded writer: never writes at or past cap; counts what it would
 * have written in `need` so a too-small buffer reports the size. */
typedef struct mikey_w {
    uint8_t *out;
    uint32_t cap;
    uint32_t need;      /* bytes written or wanted so far */
    bool overflow;      /* need passed UINT32_MAX */
} mikey_w;

void mikey_w_u8(mikey_w *w, uint8_t v);
void mikey_w_u16(mikey_w *w, uint16_t v);
void mikey_w_u32(mikey_w *w, uint32_t v);
/* p may be NULL iff n == 0. */
void mikey_w_bytes(mikey_w *w, const uint8_t *p, uint32_t n);

/* The size of the PRF output step of `prf` in bytes: 20 for MIKEY-1
 * (RFC 3830 §4.1.2), 32 for PRF-HMAC-SHA-256 (RFC 6043 §6.1), 0 if
 * unknown. */
uint32_t mikey_prf_step(uint8_t prf);

#endif
