/*
 * The SDP corpus (tests/corpus/sdp, examples printed in the RFCs; origin in
 * tests/corpus/sdp/README.md) against tests/corpus/sdp/expected.txt: every
 * file gives the expected verdict, result code, error offset and rule, and
 * gives exactly the same parsed form (every span) or error when fed split at
 * every byte boundary and byte by byte.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsec/sdp.h"

#define CORPUS_DIR "tests/corpus/sdp/"
#define CORPUS_MAX (64u * 1024u)

typedef struct corpus_case {
    char name[128];
    char mode[16];
    uint32_t flags;
    bool accept;
    char result[32];
    uint32_t offset;
    char rule[40];
} corpus_case;

static uint8_t corpus_buf[CORPUS_MAX];
static emsec_sdp corpus_one;
static emsec_sdp corpus_split;
static uint64_t corpus_total;

/* Parse one expected.txt line; false for comments and blank lines. */
static bool corpus_line(const char *line, corpus_case *c)
{
    char verdict[16];
    char flags[16];
    memset(c, 0, sizeof *c);
    if (line[0] == '#' || line[0] == '\n' || line[0] == '\0') {
        return false;
    }
    int n = sscanf(line, "%127s %15s %15s %15s %31s %u %39s", c->name, c->mode, flags, verdict,
                   c->result, &c->offset, c->rule);
    cr_assert_geq(n, 4, "bad expected.txt line: %s", line);
    c->flags = (uint32_t)strtoul(flags, NULL, 16);
    c->accept = strcmp(verdict, "accept") == 0;
    if (!c->accept) {
        cr_assert_eq(n, 7, "reject line needs RESULT OFFSET RULE: %s", line);
        cr_assert_not_null(strchr(line, '"'), "reject line needs a quoted reason: %s", line);
    }
    return true;
}

/* Load the case's input into corpus_buf; returns its length and the number
 * of bytes put in front of the file. */
static uint32_t corpus_load(const corpus_case *c, uint32_t *prefix)
{
    char path[256];
    snprintf(path, sizeof path, CORPUS_DIR "%s", c->name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    *prefix = 0;
    if (strcmp(c->mode, "H248+V0") == 0) {
        memcpy(corpus_buf, "v=0\r\n", 5);
        *prefix = 5;
    } else {
        cr_assert_str_eq(c->mode, "FULL", "%s: unknown mode", c->name);
    }
    size_t n = fread(corpus_buf + *prefix, 1, CORPUS_MAX - *prefix, f);
    fclose(f);
    cr_assert_lt(n, CORPUS_MAX - *prefix, "%s too large", c->name);
    return (uint32_t)n + *prefix;
}

static emsec_sdp_mode corpus_mode(const corpus_case *c)
{
    return strcmp(c->mode, "FULL") == 0 ? EMSEC_SDP_MODE_FULL : EMSEC_SDP_MODE_H248;
}

typedef void (*corpus_fn)(const corpus_case *c, uint32_t len, uint32_t prefix);

static uint32_t corpus_walk(corpus_fn fn)
{
    FILE *f = fopen(CORPUS_DIR "expected.txt", "r");
    cr_assert_not_null(f, "cannot open expected.txt (run from the repository root)");
    char line[1024];
    uint32_t cases = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        corpus_case c;
        if (!corpus_line(line, &c)) {
            continue;
        }
        uint32_t prefix = 0;
        uint32_t len = corpus_load(&c, &prefix);
        fn(&c, len, prefix);
        cases++;
    }
    fclose(f);
    return cases;
}

static void corpus_check_expected(const corpus_case *c, uint32_t len, uint32_t prefix)
{
    emsec_sdp_error e;
    emsec_result r = emsec_sdp_parse(&corpus_one, corpus_mode(c), c->flags, corpus_buf, len, &e);
    if (c->accept) {
        cr_expect_eq(r, EMSEC_OK, "%s (flags 0x%x): expected accept, got %s at %u rule %s",
                     c->name, c->flags, emsec_result_name(r), e.offset - prefix,
                     emsec_sdp_rule_name(e.rule));
        if (r == EMSEC_OK) {
            cr_expect_eq(corpus_one.whole.len, len, "%s: whole", c->name);
            cr_expect_geq(corpus_one.line_count, 1u, "%s: lines", c->name);
        }
        return;
    }
    cr_expect_str_eq(emsec_result_name(r), c->result, "%s: result %s, expected %s", c->name,
                     emsec_result_name(r), c->result);
    cr_expect_eq(e.offset - prefix, c->offset, "%s: offset %u, expected %u", c->name,
                 e.offset - prefix, c->offset);
    cr_expect_str_eq(emsec_sdp_rule_name(e.rule), c->rule, "%s: rule %s, expected %s", c->name,
                     emsec_sdp_rule_name(e.rule), c->rule);
}

Test(sdp_corpus, every_corpus_file_matches_expected_txt)
{
    uint32_t cases = corpus_walk(corpus_check_expected);
    /* 136 full descriptions + 35 fragments, plus the leniency cases */
    cr_expect_geq(cases, 171u, "only %u cases in expected.txt", cases);
}

/* Parse with a feed of [0, k) then finish over [0, len) (k == UINT32_MAX:
 * byte by byte) and compare everything with the one-shot parse. */
static void corpus_split_one(const corpus_case *c, uint32_t len, uint32_t k, emsec_result r1,
                             emsec_sdp_error e1)
{
    emsec_sdp_parser ps;
    memset(&corpus_split, 0, sizeof corpus_split);
    cr_assert_eq(emsec_sdp_parser_init(&ps, &corpus_split, corpus_mode(c), c->flags), EMSEC_OK);
    emsec_result r = EMSEC_OK;
    if (k == UINT32_MAX) {
        for (uint32_t i = 0; i <= len && r == EMSEC_OK; i++) {
            r = emsec_sdp_feed(&ps, corpus_buf, i);
        }
    } else {
        r = emsec_sdp_feed(&ps, corpus_buf, k);
    }
    if (r == EMSEC_OK) {
        r = emsec_sdp_finish(&ps, corpus_buf, len);
    } else {
        cr_assert_eq(emsec_sdp_finish(&ps, corpus_buf, len), EMSEC_ERR_FAILED_BEFORE,
                     "%s: failure not absorbing", c->name);
    }
    emsec_sdp_error e = emsec_sdp_last_error(&ps);
    cr_assert_eq(r, r1, "%s split at %u: result %s vs %s", c->name, k, emsec_result_name(r),
                 emsec_result_name(r1));
    cr_assert_eq(e.offset, e1.offset, "%s split at %u: offset", c->name, k);
    cr_assert_eq(e.rule, e1.rule, "%s split at %u: rule", c->name, k);
    cr_assert(memcmp(&corpus_one, &corpus_split, sizeof corpus_one) == 0,
              "%s split at %u: parsed form differs", c->name, k);
}

static void corpus_check_split(const corpus_case *c, uint32_t len, uint32_t prefix)
{
    (void)prefix;
    emsec_sdp_error e1;
    memset(&corpus_one, 0, sizeof corpus_one);
    emsec_result r1 = emsec_sdp_parse(&corpus_one, corpus_mode(c), c->flags, corpus_buf, len, &e1);
    for (uint32_t k = 0; k <= len; k++) {
        corpus_split_one(c, len, k, r1, e1);
    }
    corpus_split_one(c, len, UINT32_MAX, r1, e1);
    corpus_total += len;
}

Test(sdp_corpus, every_corpus_file_parses_identically_when_split_at_every_byte, .timeout = 600)
{
    cr_expect_geq(corpus_walk(corpus_check_split), 171u);
    cr_log_info("split test: %llu bytes of input", (unsigned long long)corpus_total);
}
