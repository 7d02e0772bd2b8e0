/*
 * The contract the gateway core's WP proofs assume of the SDP parser
 * (emsec_sdp_ok in include/emsec/sdp.h), checked at run time with its C
 * mirror sdp_contract_ok (sdp_contract.h) on every successful parse of the
 * SDP corpus (tests/corpus/sdp, located as tests/unit/test_sdp_corpus.c
 * does: relative to the repository root):
 *   - every *.sdp file and every .sdp file of fragments/, alone; a fragment
 *     also with "v=0\r\n" in front (as the corpus test parses it);
 *   - two descriptions back to back (each file with the next one), so that
 *     H.248 mode has a following description for emsec_sdp_parse_from;
 * each in FULL and H.248 mode with every combination of the
 * EMSEC_SDP_LENIENT_* flags (0 .. EMSEC_SDP_LENIENT_ALL), one shot with
 * emsec_sdp_parse and, in H.248 mode, each following description with
 * emsec_sdp_parse_from. A hand-broken parsed form per clause shows that the
 * check can fail.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsec/sdp.h"
#include "sdp_contract.h"

#define TC_DIR "tests/corpus/sdp/"
#define TC_FILE_MAX (64u * 1024u)
#define TC_NAME_MAX 128u
#define TC_FILES_MAX 256u
#define TC_DESCRIPTIONS_MAX 64u
/* Lower bounds on the successful parses checked (the corpus gave 3336 +
 * 1160 = 4496 when this test was written; about 10 % margin). */
#define TC_MIN_OK 4000u
#define TC_MIN_OK_FROM 1000u

static char tc_full[TC_FILES_MAX][TC_NAME_MAX];
static char tc_frag[TC_FILES_MAX][TC_NAME_MAX];
static uint8_t tc_a[TC_FILE_MAX], tc_b[TC_FILE_MAX];
static uint8_t tc_buf[2u * (TC_FILE_MAX + 8u)];
static emsec_sdp tc_sdp;
static emsec_sdp tc_bad;

/* Successful parses checked: one shot (emsec_sdp_parse) and following
 * descriptions (emsec_sdp_parse_from). */
static uint32_t tc_ok_parse, tc_ok_from, tc_inputs;

static int tc_cmp(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* The *.sdp files directly in dir, sorted. */
static uint32_t tc_list(const char *dir, char names[][TC_NAME_MAX])
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot open %s (run from the repository root)", dir);
    uint32_t n = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        size_t k = strlen(ent->d_name);
        if (k < 5 || strcmp(ent->d_name + k - 4, ".sdp") != 0) {
            continue;
        }
        cr_assert_lt(k, TC_NAME_MAX, "%s%s: name too long", dir, ent->d_name);
        cr_assert_lt(n, TC_FILES_MAX, "%s: more than %u files", dir, TC_FILES_MAX);
        memcpy(names[n], ent->d_name, k + 1);
        n++;
    }
    closedir(d);
    qsort(names, n, TC_NAME_MAX, tc_cmp);
    return n;
}

static uint32_t tc_read(const char *dir, const char *name, uint8_t *dst)
{
    char path[256];
    snprintf(path, sizeof path, "%s%s", dir, name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    size_t n = fread(dst, 1, TC_FILE_MAX, f);
    fclose(f);
    cr_assert_lt(n, TC_FILE_MAX, "%s too large", path);
    return (uint32_t)n;
}

/* tc_buf = [prefix] a [prefix] b (b may be NULL); returns the length. */
static uint32_t tc_join(const char *prefix, const uint8_t *a, uint32_t alen, const uint8_t *b,
                        uint32_t blen)
{
    uint32_t plen = (uint32_t)strlen(prefix);
    uint32_t n = 0;
    memcpy(tc_buf + n, prefix, plen);
    n += plen;
    memcpy(tc_buf + n, a, alen);
    n += alen;
    if (b != NULL) {
        memcpy(tc_buf + n, prefix, plen);
        n += plen;
        memcpy(tc_buf + n, b, blen);
        n += blen;
    }
    return n;
}

static const char *tc_mode_name(emsec_sdp_mode mode)
{
    return mode == EMSEC_SDP_MODE_FULL ? "FULL" : "H248";
}

/* Every mode and leniency combination over tc_buf[0, len). */
static void tc_check(const char *label, uint32_t len)
{
    static const emsec_sdp_mode modes[2] = {EMSEC_SDP_MODE_FULL, EMSEC_SDP_MODE_H248};
    char why[256];
    tc_inputs++;
    for (uint32_t mi = 0; mi < 2; mi++) {
        emsec_sdp_mode mode = modes[mi];
        for (uint32_t flags = 0; flags <= EMSEC_SDP_LENIENT_ALL; flags++) {
            emsec_sdp_error e;
            memset(&tc_sdp, 0xa5, sizeof tc_sdp);
            if (emsec_sdp_parse(&tc_sdp, mode, flags, tc_buf, len, &e) != EMSEC_OK) {
                continue;
            }
            tc_ok_parse++;
            cr_assert(sdp_contract_ok(&tc_sdp, len, why, sizeof why),
                      "%s %s flags 0x%x: emsec_sdp_parse: emsec_sdp_ok fails: %s", label,
                      tc_mode_name(mode), flags, why);
            if (mode != EMSEC_SDP_MODE_H248) {
                continue;
            }
            for (uint32_t d = 1; d < TC_DESCRIPTIONS_MAX && tc_sdp.has_next; d++) {
                uint32_t start = tc_sdp.next;
                cr_assert(start > tc_sdp.whole.off && start <= len,
                          "%s flags 0x%x: next %u does not move forward from %u", label, flags,
                          start, tc_sdp.whole.off);
                memset(&tc_sdp, 0xa5, sizeof tc_sdp);
                if (emsec_sdp_parse_from(&tc_sdp, mode, flags, tc_buf, len, start, &e) !=
                    EMSEC_OK) {
                    break;
                }
                tc_ok_from++;
                cr_assert(sdp_contract_ok(&tc_sdp, len, why, sizeof why),
                          "%s H248 flags 0x%x: emsec_sdp_parse_from(start %u), description %u: "
                          "emsec_sdp_ok fails: %s",
                          label, flags, start, d + 1, why);
            }
        }
    }
}

Test(sdp_contract, every_successful_corpus_parse_satisfies_emsec_sdp_ok, .timeout = 300)
{
    char label[2 * TC_NAME_MAX + 64];
    uint32_t nfull = tc_list(TC_DIR, tc_full);
    uint32_t nfrag = tc_list(TC_DIR "fragments/", tc_frag);
    /* tests/corpus/sdp/README.md: 136 descriptions, 35 fragments */
    cr_assert_geq(nfull, 136u, "only %u files in " TC_DIR, nfull);
    cr_assert_geq(nfrag, 35u, "only %u files in " TC_DIR "fragments/", nfrag);

    for (uint32_t i = 0; i < nfull; i++) {
        uint32_t alen = tc_read(TC_DIR, tc_full[i], tc_a);
        uint32_t blen = tc_read(TC_DIR, tc_full[(i + 1) % nfull], tc_b);
        snprintf(label, sizeof label, "%s", tc_full[i]);
        tc_check(label, tc_join("", tc_a, alen, NULL, 0));
        snprintf(label, sizeof label, "%s + %s", tc_full[i], tc_full[(i + 1) % nfull]);
        tc_check(label, tc_join("", tc_a, alen, tc_b, blen));
    }
    for (uint32_t i = 0; i < nfrag; i++) {
        const char *dir = TC_DIR "fragments/";
        uint32_t alen = tc_read(dir, tc_frag[i], tc_a);
        uint32_t blen = tc_read(dir, tc_frag[(i + 1) % nfrag], tc_b);
        snprintf(label, sizeof label, "fragments/%s", tc_frag[i]);
        tc_check(label, tc_join("", tc_a, alen, NULL, 0));
        snprintf(label, sizeof label, "v=0 + fragments/%s", tc_frag[i]);
        tc_check(label, tc_join("v=0\r\n", tc_a, alen, NULL, 0));
        snprintf(label, sizeof label, "v=0 + fragments/%s + v=0 + fragments/%s", tc_frag[i],
                 tc_frag[(i + 1) % nfrag]);
        tc_check(label, tc_join("v=0\r\n", tc_a, alen, tc_b, blen));
    }
    fprintf(stderr,
            "sdp_contract: %u inputs, %u successful parses checked "
            "(%u emsec_sdp_parse, %u emsec_sdp_parse_from)\n",
            tc_inputs, tc_ok_parse + tc_ok_from, tc_ok_parse, tc_ok_from);
    cr_assert_gt(tc_ok_parse + tc_ok_from, TC_MIN_OK, "only %u successful parses checked",
                 tc_ok_parse + tc_ok_from);
    cr_assert_gt(tc_ok_from, TC_MIN_OK_FROM, "only %u emsec_sdp_parse_from parses checked",
                 tc_ok_from);
}

/* ------------------------------------------------------------ the check can fail */

/* A valid parse with a session c= and attribute, a=setup, a=connection and
 * a=fingerprint in a media section, and a second media section with a c=
 * of its own. */
static const char tc_good[] =
    "v=0\r\n"
    "o=- 1 1 IN IP4 192.0.2.1\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.1\r\n"
    "t=0 0\r\n"
    "a=tool:x\r\n"
    "m=message 9 TCP/TLS/MSRP *\r\n"
    "a=setup:active\r\n"
    "a=connection:new\r\n"
    "a=fingerprint:sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB\r\n"
    "m=audio 49170 RTP/AVP 0\r\n"
    "c=IN IP4 198.51.100.7\r\n"
    "a=sendrecv\r\n";

#define TC_GOOD_LEN ((uint32_t)(sizeof tc_good - 1u))

static uint32_t tc_find(const emsec_sdp *s, emsec_sdp_attr_kind kind)
{
    for (uint32_t j = 0; j < s->attr_count; j++) {
        if (s->attrs[j].kind == (uint8_t)kind) {
            return j;
        }
    }
    cr_assert_fail("no attribute of kind %d", (int)kind);
    return 0;
}

/* Store an int into an enum field by its bytes (no enum-typed store of an
 * out-of-range value). */
static void tc_set_enum(void *field, int v)
{
    memcpy(field, &v, sizeof v);
}

static void tc_expect_rejected(const char *clause, uint32_t len)
{
    char why[256];
    bool ok = sdp_contract_ok(&tc_bad, len, why, sizeof why);
    cr_expect_not(ok, "broken form (%s) accepted", clause);
    if (!ok) {
        cr_expect(strncmp(why, clause, strlen(clause)) == 0, "%s: why is \"%s\"", clause, why);
    }
}

static void tc_expect_accepted(const char *what, uint32_t len)
{
    char why[256];
    cr_expect(sdp_contract_ok(&tc_bad, len, why, sizeof why), "%s rejected: %s", what, why);
}

Test(sdp_contract, a_broken_parsed_form_fails_every_clause)
{
    emsec_sdp_error e;
    char why[256];
    cr_assert_eq(emsec_sdp_parse(&tc_sdp, EMSEC_SDP_MODE_FULL, 0, (const uint8_t *)tc_good,
                                 TC_GOOD_LEN, &e),
                 EMSEC_OK, "rule %s at %u", emsec_sdp_rule_name(e.rule), e.offset);
    cr_assert(sdp_contract_ok(&tc_sdp, TC_GOOD_LEN, why, sizeof why), "%s", why);
    cr_assert_eq(tc_sdp.media_count, 2u);
    cr_assert_eq(tc_sdp.attr_count, 5u);
    cr_assert_eq(tc_sdp.session_attr_count, 1u);
    uint32_t js = tc_find(&tc_sdp, EMSEC_SDP_ATTR_SETUP);
    uint32_t jc = tc_find(&tc_sdp, EMSEC_SDP_ATTR_CONNECTION);
    uint32_t jf = tc_find(&tc_sdp, EMSEC_SDP_ATTR_FINGERPRINT);
    const uint32_t len = TC_GOOD_LEN;

    /* C1 .. C5: emsec_sdp_counts_ok */
    tc_bad = tc_sdp;
    tc_bad.media_count = EMSEC_SDP_MAX_MEDIA + 1u;
    tc_expect_rejected("C1", len);
    tc_bad = tc_sdp;
    tc_bad.attr_count = EMSEC_SDP_MAX_ATTRS + 1u;
    tc_expect_rejected("C2", len);
    tc_bad = tc_sdp;
    tc_bad.line_count = EMSEC_SDP_MAX_LINES + 1u;
    tc_expect_rejected("C3", len);
    tc_bad = tc_sdp;
    tc_bad.session_attr_count = tc_sdp.attr_count + 1u;
    tc_expect_rejected("C4", len);
    tc_bad = tc_sdp;
    tc_bad.media[1].attr_count = (uint16_t)(tc_bad.media[1].attr_count + 1u);
    tc_expect_rejected("C5", len);
    tc_bad = tc_sdp; /* the last media ending exactly at attr_count is fine */
    tc_bad.media[1].attr_first = (uint16_t)(tc_sdp.attr_count - tc_bad.media[1].attr_count);
    tc_expect_accepted("media[1] ending at attr_count", len);
    tc_bad = tc_sdp; /* counts at their limits are fine (values past the parse: zero) */
    tc_bad.attr_count = EMSEC_SDP_MAX_ATTRS;
    tc_bad.line_count = EMSEC_SDP_MAX_LINES;
    for (uint32_t j = tc_sdp.attr_count; j < EMSEC_SDP_MAX_ATTRS; j++) {
        memset(&tc_bad.attrs[j], 0, sizeof tc_bad.attrs[j]);
    }
    tc_expect_accepted("attr_count and line_count at their limits", len);

    /* A1 .. A6: emsec_sdp_attr_ok */
    tc_bad = tc_sdp;
    tc_bad.attrs[0].name.len = len - tc_bad.attrs[0].name.off + 1u;
    tc_expect_rejected("A1", len);
    tc_bad = tc_sdp; /* a span ending exactly at len is in */
    tc_bad.attrs[0].name.len = len - tc_bad.attrs[0].name.off;
    tc_expect_accepted("name ending at len", len);
    tc_bad = tc_sdp;
    tc_bad.attrs[js].value.off = len;
    tc_bad.attrs[js].value.len = 1u;
    tc_expect_rejected("A2", len);
    tc_bad = tc_sdp; /* off + len wraps in 32 bits: still outside */
    tc_bad.attrs[js].value.off = UINT32_MAX;
    tc_bad.attrs[js].value.len = 2u;
    tc_expect_rejected("A2", len);
    tc_bad = tc_sdp;
    tc_bad.attrs[jf].u.fingerprint.hash_name.off = len;
    tc_bad.attrs[jf].u.fingerprint.hash_name.len = 1u;
    tc_expect_rejected("A3", len);
    tc_bad = tc_sdp; /* a fingerprint value span past len */
    tc_bad.attrs[jf].u.fingerprint.value.len = len;
    tc_expect_rejected("A4", len);
    tc_bad = tc_sdp;
    tc_bad.attrs[jf].u.fingerprint.value.off = 0xfffffff0u;
    tc_bad.attrs[jf].u.fingerprint.value.len = 0x20u;
    tc_expect_rejected("A4", len);
    tc_bad = tc_sdp; /* the same span on a non-fingerprint attribute is not read */
    tc_bad.attrs[js].u.fingerprint.value.off = 0xfffffff0u;
    tc_bad.attrs[js].u.fingerprint.value.len = 0x20u;
    tc_bad.attrs[js].u.setup = EMSEC_SDP_SETUP_ACTIVE;
    tc_expect_accepted("setup attribute (fingerprint clause does not apply)", len);
    tc_bad = tc_sdp;
    tc_set_enum(&tc_bad.attrs[js].u.setup, (int)EMSEC_SDP_SETUP_UNSPECIFIED + 1);
    tc_expect_rejected("A5", len);
    tc_bad = tc_sdp;
    tc_set_enum(&tc_bad.attrs[js].u.setup, -1);
    tc_expect_rejected("A5", len);
    tc_bad = tc_sdp;
    tc_bad.attrs[js].u.setup = EMSEC_SDP_SETUP_UNSPECIFIED;
    tc_expect_accepted("setup UNSPECIFIED", len);
    tc_bad = tc_sdp;
    tc_set_enum(&tc_bad.attrs[jc].u.connection, (int)EMSEC_SDP_CONNVAL_UNSPECIFIED + 1);
    tc_expect_rejected("A6", len);
    tc_bad = tc_sdp;
    tc_set_enum(&tc_bad.attrs[jc].u.connection, -1);
    tc_expect_rejected("A6", len);
    tc_bad = tc_sdp; /* attrs at index attr_count and above are not read */
    tc_bad.attrs[tc_sdp.attr_count].name.off = UINT32_MAX;
    tc_bad.attrs[tc_sdp.attr_count].name.len = UINT32_MAX;
    tc_expect_accepted("garbage past attr_count", len);

    /* N1, N2: emsec_sdp_conn_ok, the c= addresses */
    cr_assert(tc_sdp.conn.present && !tc_sdp.media[0].conn.present && tc_sdp.media[1].conn.present);
    tc_bad = tc_sdp;
    tc_bad.conn.address.len = len - tc_bad.conn.address.off + 1u;
    tc_expect_rejected("N1", len);
    tc_bad = tc_sdp; /* off + len wraps in 32 bits: still outside */
    tc_bad.conn.address.off = UINT32_MAX;
    tc_bad.conn.address.len = 2u;
    tc_expect_rejected("N1", len);
    tc_bad = tc_sdp; /* no session c=: its span is not read */
    tc_bad.conn.present = 0;
    tc_bad.conn.address.off = UINT32_MAX;
    tc_expect_accepted("session c= absent", len);
    tc_bad = tc_sdp;
    tc_bad.media[1].conn.address.off = len;
    tc_bad.media[1].conn.address.len = 1u;
    tc_expect_rejected("N2", len);
    tc_bad = tc_sdp; /* media 0 has no c=: its span is not read */
    tc_bad.media[0].conn.address.off = UINT32_MAX;
    tc_expect_accepted("media c= absent", len);
    tc_bad = tc_sdp; /* media past media_count are not read */
    tc_bad.media[2].conn.present = 1;
    tc_bad.media[2].conn.address.off = UINT32_MAX;
    tc_expect_accepted("c= of a media past media_count", len);

    /* The same parse against a shorter buffer: its spans no longer fit. */
    tc_bad = tc_sdp;
    tc_expect_rejected("A", len / 2u);
}
