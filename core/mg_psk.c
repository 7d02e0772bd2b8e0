/*
 * core/mg_psk.c: the one way the adapter reads a termination's TLS-PSK
 * (tlsbsc/psk and tlsbsc/pskid, RFC 4279 §2). The key leaves the core only
 * here, as a pointer into the core's own copy: nothing is duplicated, and the
 * Audit path never sees it (spec/h248_profile.tbl marks both secret).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emsec/mg.h"
#include "mg_model.h"

bool emsec_mg_term_psk(const emsec_mg *mg, uint16_t term, const uint8_t **key, uint32_t *key_len,
                       const char **identity)
{
    if (mg == NULL || key == NULL || key_len == NULL || identity == NULL || term >= EMSEC_MG_MAX_TERMS ||
        !mg->term[term].used || mg->term[term].psk_len == 0u)
        return false;
    const emsec_mg_term *t = &mg->term[term];
    *key = t->psk;
    *key_len = t->psk_len;
    *identity = t->pskid; /* NUL-terminated by core/mg.c; "" when no tlsbsc/pskid was given */
    return true;
}
