/*
 * The H.248 corpus (tests/corpus/h248: messages printed in the call flows of
 * RFC 2885, RFC 3015 and RFC 3525; origin in tests/corpus/h248/README.md)
 * against tests/corpus/h248/expected.txt, whose verdicts were written from
 * the ABNF of RFC 3525 §B.2 independently of the decoder:
 *   - every file is accepted, or rejected at exactly the LINE:COL recorded;
 *   - every Local / Remote body of an accepted file parses as H.248 SDP,
 *     unless the line carries a "# sdp: bad" remark (the RFC's own mistake);
 *   - decode(encode(x)) == x, compact and pretty, and at versions 2 and 3;
 *   - every prefix of the file, decoded as not final, is INCOMPLETE until
 *     the error offset; after it, INCOMPLETE (the prefix ends inside the
 *     lexeme holding the error) or the same syntax error at the same offset,
 *     and the whole file, still not final, gives that error: the verdict
 *     does not depend on how the bytes arrive.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsec/h248.h"
#include "emsec/sdp.h"

#define CORPUS_DIR "tests/corpus/h248/"
#define CORPUS_MAX (64u * 1024u)
#define ARENA 4096u

typedef struct h248_case {
    char name[128];
    bool accept;
    uint32_t line, col;
    bool sdp_bad;
} h248_case;

static char buf[CORPUS_MAX];
static char enc[4u * CORPUS_MAX];
static emsec_h248_node arena_a[ARENA], arena_b[ARENA];
static emsec_sdp sdp;

static bool case_line(const char *line, h248_case *c)
{
    char verdict[16], pos[32];
    memset(c, 0, sizeof *c);
    if (line[0] == '#' || line[0] == '\n' || line[0] == '\0')
        return false;
    int n = sscanf(line, "%127s %15s %31s", c->name, verdict, pos);
    cr_assert_geq(n, 2, "bad expected.txt line: %s", line);
    c->accept = strcmp(verdict, "accept") == 0;
    if (!c->accept) {
        cr_assert_str_eq(verdict, "reject", "bad verdict: %s", line);
        cr_assert_eq(sscanf(pos, "%u:%u", &c->line, &c->col), 2, "bad LINE:COL: %s", line);
    }
    c->sdp_bad = strstr(line, "# sdp: bad") != NULL;
    return true;
}

static uint32_t load(const h248_case *c)
{
    char path[256];
    snprintf(path, sizeof path, CORPUS_DIR "%s", c->name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    size_t n = fread(buf, 1, CORPUS_MAX, f);
    fclose(f);
    cr_assert_lt(n, CORPUS_MAX, "%s too large", path);
    return (uint32_t)n;
}

static uint32_t offset_of(uint32_t len, uint32_t line, uint32_t col)
{
    uint32_t l = 1u, i = 0u;
    while (i < len && l < line) {
        if (buf[i] == '\n')
            l++;
        i++;
    }
    return i + col - 1u;
}

/* Every Local/Remote body under node i (depth-first); counts bad bodies. */
static void sdp_bodies(const emsec_h248_msg *m, uint32_t i, uint32_t *total, uint32_t *bad)
{
    for (; i != 0u; i = m->nodes[i].next) {
        const emsec_h248_node *n = &m->nodes[i];
        if (n->body == EMSEC_H248_BODY_OCTETS) {
            emsec_sdp_error e;
            (*total)++;
            if (emsec_sdp_parse(&sdp, EMSEC_SDP_MODE_H248, 0u, (const uint8_t *)buf + n->text.off,
                                n->text.len, &e) != EMSEC_OK)
                (*bad)++;
        }
        if (n->body == EMSEC_H248_BODY_LIST)
            sdp_bodies(m, n->child, total, bad);
    }
}

static void roundtrip(const h248_case *c, const emsec_h248_msg *a, uint32_t version)
{
    static const emsec_h248_style styles[] = { EMSEC_H248_COMPACT, EMSEC_H248_PRETTY };
    for (int s = 0; s < 2; s++) {
        uint32_t olen = 0u;
        emsec_result r = emsec_h248_encode(a, buf, styles[s], version, enc, sizeof enc, &olen);
        cr_assert_eq(r, EMSEC_OK, "%s: encode style %d version %u: %s", c->name, s, version,
                     emsec_result_name(r));
        emsec_h248_msg b;
        emsec_h248_error e;
        r = emsec_h248_decode(&b, enc, olen, true, arena_b, ARENA, &e);
        cr_assert_eq(r, EMSEC_OK, "%s: re-decode style %d version %u: %s at %u (%s)\n%.*s", c->name, s,
                     version, emsec_result_name(r), e.offset, emsec_h248_rule_name(e.rule), (int)olen, enc);
        if (version == 0u || version == a->version) {
            cr_assert(emsec_h248_equal(a, buf, &b, enc), "%s: decode(encode) differs, style %d", c->name, s);
        } else {
            cr_assert_eq(b.version, version);
            b.version = a->version; /* only the header's version may differ */
            cr_assert(emsec_h248_equal(a, buf, &b, enc), "%s: decode(encode v%u) differs", c->name, version);
        }
    }
}

static void split(const h248_case *c, uint32_t len, emsec_result want, uint32_t want_off)
{
    for (uint32_t k = 0u; k <= len; k++) {
        emsec_h248_msg m;
        emsec_h248_error e;
        emsec_result r = emsec_h248_decode(&m, buf, k, false, arena_b, ARENA, &e);
        if (want == EMSEC_OK || k <= want_off) {
            cr_assert_eq(r, EMSEC_ERR_INCOMPLETE, "%s: prefix %u of %u: %s at %u (%s)", c->name, k, len,
                         emsec_result_name(r), e.offset, emsec_h248_rule_name(e.rule));
        } else if (r == EMSEC_ERR_INCOMPLETE && k < len) {
            /* the prefix ends inside the lexeme that holds the error (e.g.
             * "al/of(" could still grow): the decoder may wait, but never
             * reports a different error */
            continue;
        } else {
            cr_assert_eq(r, want, "%s: prefix %u: %s, want %s", c->name, k, emsec_result_name(r),
                         emsec_result_name(want));
            cr_assert_eq(e.offset, want_off, "%s: prefix %u: error at %u, want %u", c->name, k, e.offset,
                         want_off);
        }
    }
}

Test(h248_corpus, every_file_as_expected)
{
    FILE *f = fopen(CORPUS_DIR "expected.txt", "r");
    cr_assert_not_null(f);
    char line[2048];
    uint32_t files = 0u, accepted = 0u, bodies = 0u, bad_bodies = 0u;
    while (fgets(line, sizeof line, f) != NULL) {
        h248_case c;
        if (!case_line(line, &c))
            continue;
        files++;
        uint32_t len = load(&c);
        emsec_h248_msg m;
        emsec_h248_error e;
        emsec_result r = emsec_h248_decode(&m, buf, len, true, arena_a, ARENA, &e);
        if (c.accept) {
            cr_assert_eq(r, EMSEC_OK, "%s: %s at %u (%s)", c.name, emsec_result_name(r), e.offset,
                         emsec_h248_rule_name(e.rule));
            accepted++;
            uint32_t total = 0u, bad = 0u;
            sdp_bodies(&m, m.nodes[0].child, &total, &bad);
            cr_assert_eq(bad > 0u, c.sdp_bad, "%s: %u of %u SDP bodies fail, expected.txt says %s", c.name,
                         bad, total, c.sdp_bad ? "bad" : "ok");
            bodies += total;
            bad_bodies += bad;
            roundtrip(&c, &m, 0u);
            for (uint32_t v = m.version + 1u; v <= EMSEC_H248_VERSION_MAX; v++)
                roundtrip(&c, &m, v);
            split(&c, len, EMSEC_OK, 0u);
        } else {
            uint32_t want = offset_of(len, c.line, c.col);
            cr_assert_eq(r, EMSEC_ERR_SYNTAX, "%s: want a syntax error, got %s", c.name, emsec_result_name(r));
            cr_assert_eq(e.offset, want, "%s: error at %u (%s), expected.txt says %u:%u (offset %u)", c.name,
                         e.offset, emsec_h248_rule_name(e.rule), c.line, c.col, want);
            split(&c, len, EMSEC_ERR_SYNTAX, want);
        }
    }
    fclose(f);
    cr_assert_eq(files, 84u, "the corpus has 84 files, expected.txt lists %u", files);
    cr_log_info("h248 corpus: %u files, %u accepted, %u rejected; %u SDP bodies, %u with RFC mistakes",
                files, accepted, files - accepted, bodies, bad_bodies);
}
