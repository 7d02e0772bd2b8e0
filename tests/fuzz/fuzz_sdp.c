/*
 * libFuzzer target for the SDP parser and writer.
 *
 * For each input, in both modes (FULL, H.248) and with leniencies off and
 * all on:
 *   1. one-shot parse (emsec_sdp_parse over libFuzzer's own buffer);
 *   2. the same bytes fed in 2 and in 3 pieces, split points derived from a
 *      hash of the input; each feed gets a fresh heap copy of exactly the
 *      prefix it may read, so ASan catches a read past the bytes fed;
 *   -> result code, error (offset, rule) and parsed form (same offsets)
 *      must be identical, and failure must be absorbing;
 *   3. for accepted input: write (size query, then exact buffer, then one
 *      byte short: NO_SPACE), parse the output again in the same mode and
 *      flags: same content (sdp_equal, SDP_EQ_ROUND_TRIP), and writing that
 *      again gives the same bytes (the canonical form is a fixed point);
 *   4. H.248: the following descriptions (has_next) are parsed as well;
 *   5. every EMSEC_OK parse above (one shot, the split feeds' finish, the
 *      re-parse of the written form, each following description) must
 *      satisfy emsec_sdp_ok, the contract the gateway core's proofs assume
 *      (its C mirror sdp_contract_ok, tests/unit/sdp_contract.h).
 * Any mismatch prints what differs and abort()s.
 *
 * Built by the Makefile from this one file plus core/ and gen/, so the
 * comparison and contract helpers are included as source (plain libc).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsec/result.h"
#include "emsec/sdp.h"
#include "emsec/sdp_write.h"

#include "../unit/sdp_contract.c"
#include "../unit/sdp_equal.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_MAX_DESCRIPTIONS 64u

static emsec_sdp g_one, g_split, g_again, g_third;

static void fz_die(const char *what, emsec_sdp_mode mode, uint32_t flags, const char *detail)
{
    fprintf(stderr, "fuzz_sdp: %s (mode %d, flags 0x%x): %s\n", what, (int)mode,
            (unsigned)flags, detail);
    abort();
}

/* A successful parse of buf[0, len) must satisfy emsec_sdp_ok(sdp, len). */
static void fz_contract(const char *what, const emsec_sdp *sdp, emsec_sdp_mode mode,
                        uint32_t flags, uint32_t len)
{
    char why[256];
    if (!sdp_contract_ok(sdp, len, why, sizeof why)) {
        char detail[384];
        snprintf(detail, sizeof detail, "emsec_sdp_ok fails: %s", why);
        fz_die(what, mode, flags, detail);
    }
}

static uint64_t fz_hash(const uint8_t *d, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= d[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* Feed data[0, cut) as a fresh heap buffer of exactly that size. */
static emsec_result fz_feed(emsec_sdp_parser *ps, const uint8_t *data, uint32_t cut, bool fin)
{
    uint8_t *copy = malloc(cut > 0 ? cut : 1u);
    emsec_result r;
    if (copy == NULL) {
        abort();
    }
    if (cut > 0) {
        memcpy(copy, data, cut);
    }
    r = fin ? emsec_sdp_finish(ps, cut > 0 ? copy : NULL, cut)
            : emsec_sdp_feed(ps, cut > 0 ? copy : NULL, cut);
    free(copy);
    return r;
}

/* Parse data[0, len) fed at the cuts (ascending, each <= len), then finish. */
static emsec_result fz_split(emsec_sdp *out, emsec_sdp_mode mode, uint32_t flags,
                             const uint8_t *data, uint32_t len, const uint32_t *cuts,
                             uint32_t ncuts, emsec_sdp_error *err)
{
    emsec_sdp_parser ps;
    emsec_result r = emsec_sdp_parser_init(&ps, out, mode, flags);
    if (r != EMSEC_OK) {
        fz_die("parser_init failed", mode, flags, emsec_result_name(r));
    }
    for (uint32_t i = 0; i < ncuts && r == EMSEC_OK; i++) {
        r = fz_feed(&ps, data, cuts[i], false);
    }
    if (r == EMSEC_OK) {
        r = fz_feed(&ps, data, len, true);
    }
    *err = emsec_sdp_last_error(&ps);
    if (r != EMSEC_OK) {
        /* Failure is absorbing, and the first error stays. */
        emsec_sdp_error again;
        if (fz_feed(&ps, data, len, false) != EMSEC_ERR_FAILED_BEFORE ||
            fz_feed(&ps, data, len, true) != EMSEC_ERR_FAILED_BEFORE) {
            fz_die("failure not absorbing", mode, flags, emsec_result_name(r));
        }
        again = emsec_sdp_last_error(&ps);
        if (again.offset != err->offset || again.rule != err->rule) {
            fz_die("last_error changed after FAILED_BEFORE", mode, flags,
                   emsec_sdp_rule_name(again.rule));
        }
    }
    return r;
}

static void fz_same(const char *what, emsec_sdp_mode mode, uint32_t flags, emsec_result r1,
                    emsec_sdp_error e1, emsec_result r2, emsec_sdp_error e2,
                    const uint8_t *data, uint32_t len)
{
    char why[512];
    if (r1 != r2) {
        snprintf(why, sizeof why, "%s != %s (one-shot rule %s at %u, split rule %s at %u)",
                 emsec_result_name(r1), emsec_result_name(r2), emsec_sdp_rule_name(e1.rule),
                 (unsigned)e1.offset, emsec_sdp_rule_name(e2.rule), (unsigned)e2.offset);
        fz_die(what, mode, flags, why);
    }
    if (r1 != EMSEC_OK) {
        if (e1.offset != e2.offset || e1.rule != e2.rule) {
            snprintf(why, sizeof why, "error %s at %u != %s at %u",
                     emsec_sdp_rule_name(e1.rule), (unsigned)e1.offset,
                     emsec_sdp_rule_name(e2.rule), (unsigned)e2.offset);
            fz_die(what, mode, flags, why);
        }
        return;
    }
    if (!sdp_equal(&g_one, data, len, &g_split, data, len, SDP_EQ_SAME_OFFSETS, why,
                   sizeof why)) {
        fz_die(what, mode, flags, why);
    }
}

/* Write `sdp` (over src) into a fresh exact-size heap buffer; checks the
 * NO_SPACE contract on the way. The caller frees *out. */
static uint32_t fz_write(const emsec_sdp *sdp, emsec_sdp_mode mode, uint32_t flags,
                         const uint8_t *src, uint32_t len, uint8_t **out)
{
    uint32_t need = 0, got = 0;
    emsec_result r = emsec_sdp_write(sdp, mode, src, len, NULL, 0, &need);
    uint8_t *buf;
    if (r != EMSEC_ERR_NO_SPACE || need == 0) {
        fz_die("size query did not answer NO_SPACE", mode, flags, emsec_result_name(r));
    }
    buf = malloc(need);
    if (buf == NULL) {
        abort();
    }
    r = emsec_sdp_write(sdp, mode, src, len, buf, need - 1u, &got);
    if (r != EMSEC_ERR_NO_SPACE || got != need) {
        fz_die("one byte short did not answer NO_SPACE", mode, flags, emsec_result_name(r));
    }
    r = emsec_sdp_write(sdp, mode, src, len, buf, need, &got);
    if (r != EMSEC_OK || got != need) {
        fz_die("write into the sized buffer failed", mode, flags, emsec_result_name(r));
    }
    *out = buf;
    return got;
}

/* parse -> write -> parse -> write: same content, and a fixed point. */
static void fz_round_trip(const emsec_sdp *sdp, emsec_sdp_mode mode, uint32_t flags,
                          const uint8_t *src, uint32_t len)
{
    char why[512];
    uint8_t *w1 = NULL, *w2 = NULL;
    uint32_t n1 = fz_write(sdp, mode, flags, src, len, &w1);
    emsec_sdp_error e;
    emsec_result r = emsec_sdp_parse(&g_again, mode, flags, w1, n1, &e);
    if (r != EMSEC_OK) {
        snprintf(why, sizeof why, "%s: rule %s at %u of the written form",
                 emsec_result_name(r), emsec_sdp_rule_name(e.rule), (unsigned)e.offset);
        fz_die("written form refused", mode, flags, why);
    }
    fz_contract("re-parse of the written form", &g_again, mode, flags, n1);
    if (!sdp_equal(sdp, src, len, &g_again, w1, n1, SDP_EQ_ROUND_TRIP, why, sizeof why)) {
        fz_die("round trip changed the parsed form", mode, flags, why);
    }
    uint32_t n2 = fz_write(&g_again, mode, flags, w1, n1, &w2);
    if (n1 != n2 || memcmp(w1, w2, n1) != 0) {
        fz_die("written form is not a fixed point", mode, flags, "second write differs");
    }
    free(w1);
    free(w2);
}

static void fz_one_mode(emsec_sdp_mode mode, uint32_t flags, const uint8_t *data, uint32_t len,
                        uint64_t h)
{
    emsec_sdp_error e1, e2, e3;
    uint32_t cuts2[1], cuts3[2];
    emsec_result r1 = emsec_sdp_parse(&g_one, mode, flags, data, len, &e1);
    emsec_result r2, r3;

    cuts2[0] = (uint32_t)(h % ((uint64_t)len + 1u));
    cuts3[0] = (uint32_t)((h >> 21) % ((uint64_t)len + 1u));
    cuts3[1] = (uint32_t)((h >> 42) % ((uint64_t)len + 1u));
    if (cuts3[0] > cuts3[1]) {
        uint32_t t = cuts3[0];
        cuts3[0] = cuts3[1];
        cuts3[1] = t;
    }
    if (r1 == EMSEC_OK) {
        fz_contract("one-shot parse", &g_one, mode, flags, len);
    }
    r2 = fz_split(&g_split, mode, flags, data, len, cuts2, 1, &e2);
    if (r2 == EMSEC_OK) {
        fz_contract("finish after 2 pieces", &g_split, mode, flags, len);
    }
    fz_same("one-shot vs 2 pieces", mode, flags, r1, e1, r2, e2, data, len);
    r3 = fz_split(&g_split, mode, flags, data, len, cuts3, 2, &e3);
    if (r3 == EMSEC_OK) {
        fz_contract("finish after 3 pieces", &g_split, mode, flags, len);
    }
    fz_same("one-shot vs 3 pieces", mode, flags, r1, e1, r3, e3, data, len);
    if (r1 != EMSEC_OK) {
        return;
    }
    fz_round_trip(&g_one, mode, flags, data, len);

    /* H.248: the descriptions that follow, one shot each. */
    for (uint32_t n = 0; n < FZ_MAX_DESCRIPTIONS && g_one.has_next; n++) {
        uint32_t start = g_one.next;
        if (start <= g_one.whole.off || start > len) {
            fz_die("next does not move forward", mode, flags, "has_next");
        }
        if (emsec_sdp_parse_from(&g_third, mode, flags, data, len, start, &e3) != EMSEC_OK) {
            break;
        }
        fz_contract("following description (parse_from)", &g_third, mode, flags, len);
        fz_round_trip(&g_third, mode, flags, data, len);
        g_one = g_third;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t len;
    uint64_t h;
    if (size > 65536u) {
        return 0;
    }
    len = (uint32_t)size;
    h = fz_hash(data, size);
    fz_one_mode(EMSEC_SDP_MODE_FULL, 0, data, len, h);
    fz_one_mode(EMSEC_SDP_MODE_H248, 0, data, len, h);
    fz_one_mode(EMSEC_SDP_MODE_FULL, EMSEC_SDP_LENIENT_ALL, data, len, h * 31u + 7u);
    fz_one_mode(EMSEC_SDP_MODE_H248, EMSEC_SDP_LENIENT_ALL, data, len, h * 131u + 3u);
    return 0;
}
