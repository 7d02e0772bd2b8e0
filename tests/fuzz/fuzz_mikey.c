/*
 * libFuzzer target for the MIKEY parser and builder (core/mikey_parse.c,
 * core/mikey_build.c) and the base64 of a=key-mgmt (core/mikey_base64.c).
 *
 * For each input, checked (abort() otherwise):
 *   1. parse over an exact-size heap copy (ASan sees any read past it);
 *      the error offset is inside the input; on success every span lies in
 *      it, and payload[0] is the HDR;
 *   2. accepted input: build gives back the very same bytes (size query,
 *      one byte short -> NO_SPACE, exact buffer -> the input), and a strict
 *      prefix (cut point from a hash of the input) fails as truncated;
 *   3. the input as base64 text: when it decodes, encoding the result gives
 *      the input back (one text per byte string); the input as bytes:
 *      encode then decode gives it back.
 * Seeds: tests/fuzz/seeds/mikey (the mode-3 pair of tests/unit/test_mikey.c
 * and the RFC 4567 §5.1 example messages).
 *
 * Built by the Makefile from this one file plus core/ and gen/ (no OpenSSL:
 * the key derivation is covered by the unit tests).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsec/mikey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static emsec_mikey_msg g_msg, g_prefix;

static void die(const char *what, uint32_t len)
{
    fprintf(stderr, "fuzz_mikey: %s (input of %u bytes)\n", what, (unsigned)len);
    abort();
}

static uint8_t *copy_of(const uint8_t *d, uint32_t n)
{
    uint8_t *c = malloc(n > 0 ? n : 1u);
    if (c == NULL)
        abort();
    if (n > 0)
        memcpy(c, d, n);
    return c;
}

static void span_in(emsec_span s, uint32_t len)
{
    if (s.off > len || s.len > len - s.off)
        die("span outside the input", len);
}

static void spans_in(const emsec_mikey_msg *m, uint32_t len)
{
    for (uint32_t i = 0; i < m->count; i++) {
        const emsec_mikey_payload *p = &m->payload[i];
        span_in(p->whole, len);
        span_in(p->data, len);
        span_in(p->mac, len);
        span_in(p->map_info, len);
        span_in(p->tp_data, len);
        span_in(p->ticket_data, len);
        span_in(p->initiator_data, len);
        for (uint32_t k = 0; k < p->key_count; k++) {
            span_in(p->key[k].key, len);
            span_in(p->key[k].salt, len);
            span_in(p->key[k].kv_a, len);
            span_in(p->key[k].kv_b, len);
        }
        for (uint32_t k = 0; k < p->cs_count; k++) {
            span_in(p->cs[k].policies, len);
            span_in(p->cs[k].session_data, len);
            span_in(p->cs[k].spi, len);
        }
    }
}

static void rebuild(const uint8_t *buf, uint32_t len)
{
    uint32_t need = 0, got = 0;
    if (emsec_mikey_build(&g_msg, buf, len, NULL, 0, &need) != EMSEC_ERR_NO_SPACE || need != len)
        die("size query does not give the input's length", len);
    uint8_t *out = malloc(need);
    if (out == NULL)
        abort();
    if (emsec_mikey_build(&g_msg, buf, len, out, need - 1u, &got) != EMSEC_ERR_NO_SPACE)
        die("one byte short is not NO_SPACE", len);
    if (emsec_mikey_build(&g_msg, buf, len, out, need, &got) != EMSEC_OK || got != len ||
        memcmp(out, buf, len) != 0)
        die("parse -> build is not the identity", len);
    free(out);
}

static void base64_checks(const uint8_t *data, uint32_t len)
{
    uint32_t n = 0, bad = 0, m = 0;
    uint8_t *bytes = malloc(len + 1u);
    char *text = malloc(len / 3u * 4u + 8u);
    if (bytes == NULL || text == NULL)
        abort();
    emsec_result r = emsec_base64_decode((const char *)data, len, bytes, len + 1u, &n, &bad);
    if (r == EMSEC_OK) {
        if (emsec_base64_encode(bytes, n, text, len / 3u * 4u + 8u, &m) != EMSEC_OK || m != len ||
            memcmp(text, data, len) != 0)
            die("base64 decode -> encode is not the identity", len);
    } else if (r != EMSEC_ERR_SYNTAX || bad >= len) {
        die("base64 refusal without a place in the input", len);
    }
    if (emsec_base64_encode(data, len, text, len / 3u * 4u + 8u, &m) != EMSEC_OK ||
        emsec_base64_decode(text, m, bytes, len + 1u, &n, &bad) != EMSEC_OK || n != len ||
        memcmp(bytes, data, len) != 0)
        die("base64 encode -> decode is not the identity", len);
    free(bytes);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536u)
        return 0;
    const uint32_t len = (uint32_t)size;
    emsec_mikey_error e;
    uint8_t *buf = copy_of(data, len);
    emsec_result r = emsec_mikey_parse(len > 0 ? buf : NULL, len, &g_msg, &e);
    if (r != EMSEC_OK) {
        if (e.why == EMSEC_MIKEY_OK || e.offset > len)
            die("failure without a reason or with an offset past the input", len);
    } else {
        if (g_msg.count == 0 || g_msg.payload[0].type != EMSEC_MIKEY_PT_HDR)
            die("accepted message without an HDR first", len);
        spans_in(&g_msg, len);
        uint32_t at = 0;
        (void)emsec_mikey_check_transfer(&g_msg, &at);
        if (at > g_msg.count)
            die("check_transfer index out of range", len);
        rebuild(buf, len);
        /* a strict prefix of an accepted message is truncated */
        uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a of the input picks the cut */
        for (uint32_t i = 0; i < len; i++)
            h = (h ^ data[i]) * 0x100000001b3ull;
        uint32_t cut = (uint32_t)(h % len);
        uint8_t *pre = copy_of(data, cut);
        r = emsec_mikey_parse(cut > 0 ? pre : NULL, cut, &g_prefix, &e);
        if (r != EMSEC_ERR_INCOMPLETE || e.why != EMSEC_MIKEY_TRUNCATED || e.offset > cut)
            die("prefix of an accepted message not reported as truncated", len);
        free(pre);
    }
    free(buf);
    base64_checks(data, len);
    return 0;
}
