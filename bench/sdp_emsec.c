/*
 * `make bench` harness: emsec's SDP parser (../build/rel/libemsec.a, -O2).
 *
 * Per message: emsec_sdp_parse(&sdp, EMSEC_SDP_MODE_FULL, flags, buf, len, &err),
 * the one-shot call (init + finish), with the flags that the corpus'
 * expected.txt lists for the file (0x0, strict, for most; a named leniency
 * bit for the few RFC examples that need one). The parsed
 * form `emsec_sdp` is caller-owned and reused for every message, as a gateway
 * would; it holds spans into the message, nothing is copied.
 * The checksum adds the number of m= lines and the o= session id length.
 */
#define HARNESS_NAME "emsec"

#include <stdint.h>
#include <stdio.h>

#include "emsec/sdp.h"

static emsec_sdp sdp;

static int parse_one(const uint8_t *buf, uint32_t len, uint32_t flags,
                     uint64_t *sum, const char **why)
{
    emsec_sdp_error err;
    emsec_result r = emsec_sdp_parse(&sdp, EMSEC_SDP_MODE_FULL, flags, buf, len, &err);
    if (r != EMSEC_OK) {
        static char msg[128];
        snprintf(msg, sizeof msg, "%s, rule %s at offset %u", emsec_result_name(r),
                 emsec_sdp_rule_name(err.rule), (unsigned)err.offset);
        *why = msg;
        return -1;
    }
    *sum += sdp.media_count + sdp.origin.sess_id.len;
    return 0;
}

#include "harness.h"
