/*
 * `make bench` harness: emsec's H.248 text codec (../build/rel/libemsec.a, -O2),
 * next to Erlang/OTP megaco's (bench/h248_megaco.escript).
 *
 * Built twice from this file (bench/Makefile), one binary per operation, each
 * with harness.h's protocol (--check LIST | --bench LIST SECS WARMUP):
 *   build/h248_emsec_decode  (-DH248_ENCODE=0)  RESULT parser=emsec-decode
 *   build/h248_emsec_encode  (-DH248_ENCODE=1)  RESULT parser=emsec-encode
 *
 * decode, per message: emsec_h248_decode(&msg, buf, len, true, nodes, cap, &err),
 *   the whole message at once (final = true, as a UDP datagram), into one
 *   caller-owned node arena reused for every message, as a gateway would;
 *   the tree holds spans into the message, nothing is copied.
 *   The checksum adds the number of nodes and the version.
 * encode, per message: emsec_h248_encode(&msg, buf, EMSEC_H248_PRETTY, 0, out,
 *   cap, &out_len), pretty style (as megaco's pretty encoder), version kept,
 *   from the message's tree, into one reused output buffer. Each tree is
 *   decoded once, on the harness' first pass over the set (untimed), and kept
 *   (its nodes copied out of the arena). The checksum adds out_len.
 * --check of the encode binary decodes and encodes each message, so that it
 *   ACCEPTs what both operations can be measured on; the decode binary's
 *   --check decodes only. The list's flags column is ignored (H.248 has no
 *   leniency flags).
 */
#ifndef H248_ENCODE
#define H248_ENCODE 0
#endif

#if H248_ENCODE
#define HARNESS_NAME "emsec-encode"
#else
#define HARNESS_NAME "emsec-decode"
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsec/h248.h"

/* Plenty for any message of the corpus (a few hundred nodes at most); a
 * message that needs more fails loudly (RULE_LIMIT_NODES). */
#define NODES_CAP 8192u

static emsec_h248_node nodes[NODES_CAP];
static emsec_h248_msg msg;

static int decode(const uint8_t *buf, uint32_t len, const char **why)
{
    emsec_h248_error err;
    emsec_result r = emsec_h248_decode(&msg, (const char *)buf, len, true, nodes, NODES_CAP, &err);
    if (r != EMSEC_OK) {
        static char text[128];
        snprintf(text, sizeof text, "decode: %s, rule %s at offset %u", emsec_result_name(r),
                 emsec_h248_rule_name(err.rule), (unsigned)err.offset);
        *why = text;
        return -1;
    }
    return 0;
}

#if H248_ENCODE

/* The decoded trees, in the order the harness passes the messages (it walks
 * its list in order, pass after pass); keyed by the message buffer, which
 * the harness keeps for the whole run. */
typedef struct cached {
    const uint8_t *buf;
    emsec_h248_msg msg; /* nodes: a malloc'ed copy of the arena's */
} cached;

static cached *cache;
static size_t ncache, capcache, cursor;
static char out[1u << 20];

static const cached *lookup(const uint8_t *buf)
{
    if (cursor >= ncache)
        cursor = 0;
    if (cursor < ncache && cache[cursor].buf == buf)
        return &cache[cursor++];
    for (size_t i = 0; i < ncache; i++)
        if (cache[i].buf == buf) {
            cursor = i + 1;
            return &cache[i];
        }
    return NULL;
}

/* Keep the tree just decoded into `msg`; NULL when out of memory. */
static const cached *remember(const uint8_t *buf)
{
    if (ncache == capcache) {
        size_t ncap = capcache ? 2 * capcache : 64;
        cached *grown = realloc(cache, ncap * sizeof *cache);
        if (grown == NULL)
            return NULL;
        cache = grown;
        capcache = ncap;
    }
    emsec_h248_node *copy = malloc((size_t)msg.count * sizeof *msg.nodes);
    if (copy == NULL)
        return NULL;
    cached *c = &cache[ncache++];
    c->buf = buf;
    c->msg = msg;
    c->msg.nodes = copy;
    memcpy(copy, nodes, (size_t)msg.count * sizeof *msg.nodes);
    c->msg.cap = msg.count;
    cursor = ncache;
    return c;
}

static int parse_one(const uint8_t *buf, uint32_t len, uint32_t flags,
                     uint64_t *sum, const char **why)
{
    (void)flags;
    const cached *c = lookup(buf);
    if (c == NULL) {
        if (decode(buf, len, why) != 0)
            return -1;
        c = remember(buf);
        if (c == NULL) {
            *why = "out of memory";
            return -1;
        }
    }
    uint32_t out_len = 0;
    emsec_result r = emsec_h248_encode(&c->msg, (const char *)buf, EMSEC_H248_PRETTY, 0, out,
                                       (uint32_t)sizeof out, &out_len);
    if (r != EMSEC_OK) {
        static char text[96];
        snprintf(text, sizeof text, "encode: %s", emsec_result_name(r));
        *why = text;
        return -1;
    }
    *sum += out_len;
    return 0;
}

#else /* decode */

static int parse_one(const uint8_t *buf, uint32_t len, uint32_t flags,
                     uint64_t *sum, const char **why)
{
    (void)flags;
    if (decode(buf, len, why) != 0)
        return -1;
    *sum += msg.count + msg.version;
    return 0;
}

#endif

#include "harness.h"
