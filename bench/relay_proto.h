/*
 * The byte protocol of the relay bench (bench/relay.sh, docs/PERFORMANCE.md),
 * spoken by the load generator (relay_load.c) to the sink behind a relay
 * (relay_sink.c) or to the bare TLS endpoint (relay_bare.c).
 *
 * The relays under test only carry bytes; the sink must still know when a
 * bulk transfer is complete, so that the client can stop its clock when the
 * last byte went through the relay (not when it left the client's buffer),
 * without relying on half-close, which the relays pass on differently. So
 * the client opens each job with a 16-byte header:
 *     byte 0      'D' (discard) or 'E' (echo)
 *     bytes 1-7   zero
 *     bytes 8-15  N, big-endian: the number of bytes that follow
 * 'D': the sink reads and drops N bytes, then writes one byte, RELAY_ACK.
 * 'E': the sink writes every one of the N bytes back as it reads them.
 * Then the next header may follow on the same connection.
 */
#ifndef BENCH_RELAY_PROTO_H
#define BENCH_RELAY_PROTO_H

#include <stdint.h>

#define RELAY_HDR_LEN 16u
#define RELAY_DISCARD 'D'
#define RELAY_ECHO 'E'
#define RELAY_ACK 'K'

static inline void relay_hdr_put(uint8_t h[RELAY_HDR_LEN], char mode, uint64_t n)
{
    for (unsigned i = 0; i < RELAY_HDR_LEN; i++)
        h[i] = 0;
    h[0] = (uint8_t)mode;
    for (unsigned i = 0; i < 8u; i++)
        h[8u + i] = (uint8_t)(n >> (56u - 8u * i));
}

/* 0 and *mode, *n set when h is a valid header; -1 otherwise. */
static inline int relay_hdr_get(const uint8_t h[RELAY_HDR_LEN], char *mode, uint64_t *n)
{
    if (h[0] != RELAY_DISCARD && h[0] != RELAY_ECHO)
        return -1;
    for (unsigned i = 1; i < 8u; i++)
        if (h[i] != 0)
            return -1;
    uint64_t v = 0;
    for (unsigned i = 0; i < 8u; i++)
        v = (v << 8) | h[8u + i];
    *mode = (char)h[0];
    *n = v;
    return 0;
}

#endif /* BENCH_RELAY_PROTO_H */
