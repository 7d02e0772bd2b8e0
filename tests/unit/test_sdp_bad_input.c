/*
 * SDP parser: bad input of every kind. Each is refused with an error code,
 * the rule that failed and (where meaningful) the offset; never a crash
 * (the suite runs under ASan/UBSan). Every case is also fed split at every
 * byte boundary, which must give the same result and error, and failure
 * must be absorbing (EMSEC_ERR_FAILED_BEFORE until re-init).
 *
 * Decisions recorded here (RFC 8866 §9 unless said otherwise):
 *   - sess-id / sess-version are 1*DIGIT with no bound: a 20-digit sess-id
 *     (beyond 64 bits) is valid and kept as a span; only the line length
 *     limit bounds it.
 *   - hash-func (RFC 8122 §5) ends in `/ token`: an unlisted token such as
 *     "sha-3" is valid syntax (EMSEC_SDP_HASH_OTHER, length unchecked); the
 *     gateway refuses it later, when it must verify. A hash name that is
 *     not a token is FINGERPRINT_HASH.
 *   - v= is "v=0" (the header's choice: this memo describes version 0).
 *   - a type letter the parser does not know is refused (RFC 8866 §5: a
 *     parser MUST ignore the whole description), rule LINE.
 *   - an H.248 `$` in FULL mode is rule CHOOSE.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsec/sdp.h"

#define FULL EMSEC_SDP_MODE_FULL
#define H248 EMSEC_SDP_MODE_H248
#define ANY_RULE (-1)
#define ANY_OFF (-1)

#define HDR "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n"
#define M_MSRP "m=message 7394 TCP/TLS/MSRP *\r\n"
#define FP256 "19:E2:1C:3B:4B:9F:81:E6:B8:5C:F4:A5:A8:D8:73:04:BB:05:2F:70:9F:04:A9:0E:05:E9:26:33:E8:70:88:A2"

static emsec_sdp g_sdp, g_sdp2;

typedef struct bad_case {
    const char *name;
    emsec_sdp_mode mode;
    uint32_t flags;
    const char *in;
    uint32_t len;        /* 0: strlen(in) */
    emsec_result res;    /* expected result of the one-shot parse */
    int rule;            /* expected rule, or ANY_RULE */
    const char *at;      /* expected offset: first occurrence of `at` in `in` + delta */
    int delta;           /*   (at == NULL: offset not checked; at == "$END": len + delta) */
} bad_case;

static uint32_t case_len(const bad_case *t)
{
    return t->len != 0 ? t->len : (uint32_t)strlen(t->in);
}

static long expected_offset(const bad_case *t)
{
    const char *hit;
    if (t->at == NULL) {
        return ANY_OFF;
    }
    if (strcmp(t->at, "$END") == 0) {
        return (long)case_len(t) + t->delta;
    }
    hit = strstr(t->in, t->at);
    cr_assert_not_null(hit, "%s: marker \"%s\" not in input", t->name, t->at);
    return (long)(hit - t->in) + t->delta;
}

/* Feed in[0, len) in two pieces cut at `cut`, then finish. */
static emsec_result parse_split(const bad_case *t, uint32_t cut, emsec_sdp_error *err,
                                bool *absorbing)
{
    emsec_sdp_parser ps;
    const uint8_t *in = (const uint8_t *)t->in;
    uint32_t len = case_len(t);
    emsec_result r = emsec_sdp_parser_init(&ps, &g_sdp2, t->mode, t->flags);
    cr_assert_eq(r, EMSEC_OK);
    r = emsec_sdp_feed(&ps, in, cut);
    if (r == EMSEC_OK) {
        r = emsec_sdp_finish(&ps, in, len);
    }
    *err = emsec_sdp_last_error(&ps);
    *absorbing = true;
    if (r != EMSEC_OK) {
        emsec_sdp_error e2;
        *absorbing = emsec_sdp_feed(&ps, in, len) == EMSEC_ERR_FAILED_BEFORE &&
                     emsec_sdp_finish(&ps, in, len) == EMSEC_ERR_FAILED_BEFORE;
        e2 = emsec_sdp_last_error(&ps);
        *absorbing = *absorbing && e2.offset == err->offset && e2.rule == err->rule;
    }
    return r;
}

static void check_case(const bad_case *t)
{
    emsec_sdp_error e = { 0, EMSEC_SDP_RULE_NONE };
    const uint8_t *in = (const uint8_t *)t->in;
    uint32_t len = case_len(t);
    emsec_result r = emsec_sdp_parse(&g_sdp, t->mode, t->flags, in, len, &e);
    long off = expected_offset(t);

    cr_expect_eq(r, t->res, "%s: result %s, expected %s (rule %s at %u)", t->name,
                 emsec_result_name(r), emsec_result_name(t->res), emsec_sdp_rule_name(e.rule),
                 (unsigned)e.offset);
    if (t->res != EMSEC_OK && t->rule != ANY_RULE) {
        cr_expect_eq((int)e.rule, t->rule, "%s: rule %s, expected %s (at %u)", t->name,
                     emsec_sdp_rule_name(e.rule), emsec_sdp_rule_name((emsec_sdp_rule)t->rule),
                     (unsigned)e.offset);
    }
    if (t->res != EMSEC_OK && off != ANY_OFF) {
        cr_expect_eq((long)e.offset, off, "%s: offset %u, expected %ld (rule %s)", t->name,
                     (unsigned)e.offset, off, emsec_sdp_rule_name(e.rule));
    }
    /* Split at every byte: same result, same error; failure absorbing. */
    for (uint32_t cut = 0; cut <= len; cut++) {
        emsec_sdp_error es;
        bool absorbing;
        emsec_result rs = parse_split(t, cut, &es, &absorbing);
        cr_expect_eq(rs, r, "%s: cut at %u gives %s, one-shot %s", t->name, cut,
                     emsec_result_name(rs), emsec_result_name(r));
        if (r != EMSEC_OK) {
            cr_expect(es.offset == e.offset && es.rule == e.rule,
                      "%s: cut at %u: error %s at %u, one-shot %s at %u", t->name, cut,
                      emsec_sdp_rule_name(es.rule), (unsigned)es.offset,
                      emsec_sdp_rule_name(e.rule), (unsigned)e.offset);
            cr_expect(absorbing, "%s: cut at %u: failure not absorbing", t->name, cut);
        }
    }
}

static void check_cases(const bad_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        check_case(&cases[i]);
    }
}

#define R(x) EMSEC_SDP_RULE_##x
#define SYN EMSEC_ERR_SYNTAX
#define INC EMSEC_ERR_INCOMPLETE
#define LIM EMSEC_ERR_LIMIT
#define OK EMSEC_OK
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ line structure */
static const bad_case line_cases[] = {
    { "empty input", FULL, 0, "", 0, INC, R(MISSING_LINE), "$END", 0 },
    { "only v=", FULL, 0, "v=0\r\n", 0, INC, R(MISSING_LINE), "$END", 0 },
    { "v=1", FULL, 0, "v=1\r\n", 0, SYN, R(VERSION), "1", 0 },
    { "v=10", FULL, 0, "v=10\r\n", 0, SYN, R(VERSION), NULL, 0 },
    { "v= 0", FULL, 0, "v= 0\r\n", 0, SYN, R(VERSION), " ", 0 },
    { "v=0 trailing space", FULL, 0, "v=0 \r\n", 0, SYN, R(VERSION), " ", 0 },
    { "V=0 upper case", FULL, 0, "V=0\r\n", 0, SYN, R(LINE), "V", 0 },
    { "v =0", FULL, 0, "v =0\r\n", 0, SYN, R(LINE), " ", 0 },
    { "leading space", FULL, 0, " v=0\r\n", 0, SYN, R(LINE), " ", 0 },
    { "first line not v", FULL, 0, "o=- 0 0 IN IP4 192.0.2.1\r\n", 0, SYN, R(LINE_ORDER), "o", 0 },
    { "duplicate v= (FULL)", FULL, 0, HDR "v=0\r\n", 0, SYN, R(LINE_ORDER), "$END", -5 },
    { "unknown type letter", FULL, 0, HDR "x=foo\r\n", 0, SYN, R(LINE), "x=", 0 },
    { "empty line CRLF", FULL, 0, "v=0\r\n\r\no=- 0 0 IN IP4 192.0.2.1\r\n", 0, SYN, R(LINE), "\r\n\r\n", 2 },
    { "empty line LF", FULL, 0, HDR "\n", 0, SYN, R(LINE), "$END", -1 },
    { "blank line", FULL, 0, HDR " \r\n", 0, SYN, R(LINE), "$END", -3 },
    { "lone CR between lines", FULL, 0, "v=0\ro=- 0 0 IN IP4 192.0.2.1\r\n", 0, SYN, R(LINE_END), "o=", 0 },
    { "CR CR LF", FULL, 0, "v=0\r\r\n", 0, SYN, R(LINE_END), "\r\r", 1 },
    { "CR at the very end", FULL, 0, HDR "a=sendrecv\r", 0, INC, ANY_RULE, "$END", 0 },
    { "missing final line end", FULL, 0, HDR "a=sendrecv", 0, INC, R(ATTRIBUTE), "$END", 0 },
    { "missing final line end after t", FULL, 0, "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0", 0, INC, R(TIME), "$END", 0 },
    { "NUL as first byte", FULL, 0, "\0v=0\r\n", 6, SYN, R(LINE), "", 0 },
    { "NUL in s=", FULL, 0, "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=a\0b\r\nt=0 0\r\n", 45, SYN, R(SESSION_NAME), "s=a", 3 },
    { "NUL in attribute value", FULL, 0, HDR "a=tool:x\0y\r\n", (uint32_t)sizeof(HDR "a=tool:x") + 4u, SYN, R(ATTRIBUTE), "a=tool:x", 8 },
    { "NUL after CR", FULL, 0, "v=0\r\0\n", 6, SYN, R(LINE_END), "\r", 1 },
};

/* ------------------------------------------------------------ order */
static const bad_case order_cases[] = {
    { "s before o", FULL, 0, "v=0\r\ns=-\r\no=- 0 0 IN IP4 192.0.2.1\r\nt=0 0\r\n", 0, SYN, R(LINE_ORDER), "s=", 0 },
    { "missing s", FULL, 0, "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\nt=0 0\r\n", 0, SYN, R(LINE_ORDER), "t=", 0 },
    { "missing o", FULL, 0, "v=0\r\ns=-\r\nt=0 0\r\n", 0, SYN, R(LINE_ORDER), "s=", 0 },
    { "missing t before m", FULL, 0, "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=-\r\n" M_MSRP, 0, SYN, R(LINE_ORDER), "m=", 0 },
    { "missing t at end", FULL, 0, "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=-\r\n", 0, INC, R(MISSING_LINE), "$END", 0 },
    { "session a= before t", FULL, 0, "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=-\r\na=recvonly\r\nt=0 0\r\n", 0, SYN, R(LINE_ORDER), "a=", 0 },
    { "c after b", FULL, 0, "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=-\r\nb=AS:64\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n", 0, SYN, R(LINE_ORDER), "c=", 0 },
    { "two session c=", FULL, 0, "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nc=IN IP4 192.0.2.2\r\nt=0 0\r\n", 0, SYN, R(LINE_ORDER), "c=IN IP4 192.0.2.2", 0 },
    { "two s=", FULL, 0, "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=-\r\ns=-\r\nt=0 0\r\n", 0, SYN, R(LINE_ORDER), "s=-\r\ns", 5 },
    { "k after a", FULL, 0, HDR "a=recvonly\r\nk=prompt\r\n", 0, SYN, R(LINE_ORDER), "k=", 0 },
    { "media i after c", FULL, 0, HDR M_MSRP "c=IN IP4 192.0.2.1\r\ni=x\r\n", 0, SYN, R(LINE_ORDER), "i=", 0 },
    { "media a before b", FULL, 0, HDR M_MSRP "a=setup:active\r\nb=AS:1\r\n", 0, SYN, R(LINE_ORDER), "b=", 0 },
    { "r before t", FULL, 0, "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=-\r\nr=604800 3600 0\r\nt=0 0\r\n", 0, SYN, R(LINE_ORDER), "r=", 0 },
    { "t in media", FULL, 0, HDR M_MSRP "t=0 0\r\n", 0, SYN, R(LINE_ORDER), "$END", -7 },
    { "o in media", FULL, 0, HDR M_MSRP "o=- 0 0 IN IP4 192.0.2.1\r\n", 0, SYN, R(LINE_ORDER), "$END", -26 },
    { "H.248 v=0 then v=0 ends the first", H248, 0, "v=0\r\nv=0\r\n", 0, OK, 0, NULL, 0 },
    { "H.248 o after c", H248, 0, "v=0\r\nc=IN IP4 $\r\no=- 0 0 IN IP4 $\r\n", 0, SYN, R(LINE_ORDER), "o=", 0 },
    { "H.248 first line not v", H248, 0, "c=IN IP4 $\r\n", 0, SYN, R(LINE_ORDER), "c=", 0 },
};

/* ------------------------------------------------------------ fields */
static const bad_case field_cases[] = {
    { "o= missing field", FULL, 0, "v=0\r\no=- 0 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n", 0, SYN, R(ORIGIN), NULL, 0 },
    { "o= sess-id not digits", FULL, 0, "v=0\r\no=- 12a 0 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n", 0, SYN, R(ORIGIN), "a 0", 0 },
    { "o= 20-digit sess-id is valid", FULL, 0, "v=0\r\no=- 99999999999999999999 0 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n", 0, OK, 0, NULL, 0 },
    { "o= double space", FULL, 0, "v=0\r\no=-  0 0 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n", 0, SYN, R(ORIGIN), "  ", 1 },
    { "o= non-ASCII nettype", FULL, 0, "v=0\r\no=- 0 0 \xC3\x8EN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n", 0, SYN, R(ORIGIN), "\xC3", 0 },
    /* "$" is a non-ws-string, so an extn-addr (RFC 8866 §9): valid in FULL mode, as a VALUE */
    { "o= address $ in FULL is an extn-addr", FULL, 0, "v=0\r\no=- 0 0 IN IP4 $\r\ns=-\r\nt=0 0\r\n", 0, OK, 0, NULL, 0 },
    { "s= empty", FULL, 0, "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=\r\nt=0 0\r\n", 0, SYN, R(SESSION_NAME), "s=", 2 },
    { "s= non-ASCII text is valid", FULL, 0, "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=S\xC3\xA9\x61nce\r\nt=0 0\r\n", 0, OK, 0, NULL, 0 },
    { "c= non-ASCII addrtype", FULL, 0, "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP\xE2\x81\xB4 192.0.2.1\r\nt=0 0\r\n", 0, SYN, R(CONNECTION), "\xE2", 0 },
    { "c= address $ in FULL is an extn-addr", FULL, 0, HDR M_MSRP "c=IN IP4 $\r\n", 0, OK, 0, NULL, 0 },
    { "c= missing address", FULL, 0, "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4\r\nt=0 0\r\n", 0, SYN, R(CONNECTION), "IP4\r", 3 },
    { "b= without colon", FULL, 0, "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=-\r\nb=AS64\r\nt=0 0\r\n", 0, SYN, R(BANDWIDTH), "\r\nt=", 0 },
    { "b= bandwidth not digits", FULL, 0, "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=-\r\nb=AS:x\r\nt=0 0\r\n", 0, SYN, R(BANDWIDTH), "x", 0 },
    { "t= short time", FULL, 0, "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=-\r\nt=1 0\r\n", 0, SYN, R(TIME), NULL, 0 },
    { "t= one field", FULL, 0, "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=-\r\nt=0\r\n", 0, SYN, R(TIME), NULL, 0 },
    { "r= bad unit", FULL, 0, HDR "r=7d 1H 0\r\n", 0, SYN, R(REPEAT), "H", 0 },
    { "k= unknown method", FULL, 0, HDR "k=foo:bar\r\n", 0, SYN, R(KEY), NULL, 0 },
    { "a= empty name", FULL, 0, HDR "a=:x\r\n", 0, SYN, R(ATTRIBUTE), "a=:", 2 },
    { "a= non-ASCII name", FULL, 0, HDR "a=t\xC3\xB6ol:x\r\n", 0, SYN, R(ATTRIBUTE), "\xC3", 0 },
    { "a= empty value", FULL, 0, HDR "a=tool:\r\n", 0, SYN, R(ATTRIBUTE), "a=tool:", 7 },
    { "m= port 65536", FULL, 0, HDR "m=message 65536 TCP/MSRP *\r\n", 0, SYN, R(PORT), NULL, 0 },
    { "m= port 20 digits", FULL, 0, HDR "m=message 99999999999999999999 TCP/MSRP *\r\n", 0, SYN, R(PORT), NULL, 0 },
    { "m= port 65535 is valid", FULL, 0, HDR "m=message 65535 TCP/MSRP *\r\n", 0, OK, 0, NULL, 0 },
    { "m= port count /0", FULL, 0, HDR "m=audio 49170/0 RTP/AVP 0\r\n", 0, SYN, R(PORT), "/0", 1 },
    { "m= port $ in FULL", FULL, 0, HDR "m=message $ TCP/MSRP *\r\n", 0, SYN, R(CHOOSE), "$", 0 },
    { "m= no fmt", FULL, 0, HDR "m=message 7394 TCP/MSRP\r\n", 0, SYN, ANY_RULE, NULL, 0 },
    { "m= proto ends in /", FULL, 0, HDR "m=message 7394 TCP/ *\r\n", 0, SYN, R(PROTO), "/ *", 1 },
    { "m= non-ASCII media", FULL, 0, HDR "m=m\xC3\xA9ssage 7394 TCP/MSRP *\r\n", 0, SYN, R(MEDIA), "\xC3", 0 },
    { "m= non-ASCII fmt", FULL, 0, HDR "m=message 7394 TCP/MSRP \xC3\xA9\r\n", 0, SYN, R(FMT), "\xC3", 0 },
    { "H.248 port $ is valid", H248, 0, "v=0\r\nm=message $ TCP/MSRP *\r\n", 0, OK, 0, NULL, 0 },
};

/* ------------------------------------------------------------ typed attributes */
static const bad_case attr_cases[] = {
    { "a=setup:foo", FULL, 0, HDR M_MSRP "a=setup:foo\r\n", 0, SYN, R(SETUP), "foo", 0 },
    { "a=setup: empty", FULL, 0, HDR M_MSRP "a=setup:\r\n", 0, SYN, R(SETUP), "setup:", 6 },
    { "a=setup:active trailing", FULL, 0, HDR M_MSRP "a=setup:active:\r\n", 0, SYN, R(SETUP), "active:", 6 },
    { "a=setup:$ in FULL", FULL, 0, HDR M_MSRP "a=setup:$\r\n", 0, SYN, R(CHOOSE), "$", 0 },
    { "a=connection:bar", FULL, 0, HDR M_MSRP "a=connection:bar\r\n", 0, SYN, R(CONNECTION_ATTR), "bar", 0 },
    { "a=connection: empty", FULL, 0, HDR M_MSRP "a=connection:\r\n", 0, SYN, R(CONNECTION_ATTR), "connection:", 11 },
    { "fingerprint lower-case hex", FULL, 0, HDR M_MSRP "a=fingerprint:sha-256 19:e2:1C:3B:4B:9F:81:E6:B8:5C:F4:A5:A8:D8:73:04:BB:05:2F:70:9F:04:A9:0E:05:E9:26:33:E8:70:88:A2\r\n", 0, SYN, R(FINGERPRINT_HEX), "e2", 0 },
    { "fingerprint lower-case hex, lenient", FULL, EMSEC_SDP_LENIENT_FP_LOWER_HEX, HDR M_MSRP "a=fingerprint:sha-256 19:e2:1C:3B:4B:9F:81:E6:B8:5C:F4:A5:A8:D8:73:04:BB:05:2F:70:9F:04:A9:0E:05:E9:26:33:E8:70:88:A2\r\n", 0, OK, 0, NULL, 0 },
    { "fingerprint odd digit count", FULL, 0, HDR M_MSRP "a=fingerprint:sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:A\r\n", 0, SYN, R(FINGERPRINT_HEX), NULL, 0 },
    { "fingerprint three digits", FULL, 0, HDR M_MSRP "a=fingerprint:sha-1 4AD:B9\r\n", 0, SYN, R(FINGERPRINT_HEX), "D:B9", 0 },
    { "fingerprint trailing colon", FULL, 0, HDR M_MSRP "a=fingerprint:sha-1 4A:\r\n", 0, SYN, R(FINGERPRINT_HEX), ":\r\n", 1 },
    { "fingerprint non-hex", FULL, 0, HDR M_MSRP "a=fingerprint:sha-1 4G:AD\r\n", 0, SYN, R(FINGERPRINT_HEX), "G", 0 },
    { "fingerprint sha-256 with 20 bytes", FULL, 0, HDR M_MSRP "a=fingerprint:sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB\r\n", 0, SYN, R(FINGERPRINT_LENGTH), NULL, 0 },
    { "fingerprint sha-1 with 32 bytes", FULL, 0, HDR M_MSRP "a=fingerprint:sha-1 " FP256 "\r\n", 0, SYN, R(FINGERPRINT_LENGTH), NULL, 0 },
    { "fingerprint no value", FULL, 0, HDR M_MSRP "a=fingerprint:sha-256\r\n", 0, SYN, ANY_RULE, NULL, 0 },
    { "fingerprint two spaces", FULL, 0, HDR M_MSRP "a=fingerprint:sha-256  " FP256 "\r\n", 0, SYN, ANY_RULE, NULL, 0 },
    { "fingerprint space before hash", FULL, 0, HDR M_MSRP "a=fingerprint: sha-256 " FP256 "\r\n", 0, SYN, R(FINGERPRINT_HASH), NULL, 0 },
    { "fingerprint space before hash, lenient", FULL, EMSEC_SDP_LENIENT_FP_SPACE, HDR M_MSRP "a=fingerprint: sha-256 " FP256 "\r\n", 0, OK, 0, NULL, 0 },
    { "fingerprint hash not a token", FULL, 0, HDR M_MSRP "a=fingerprint:sha/256 " FP256 "\r\n", 0, SYN, R(FINGERPRINT_HASH), "/256", 0 },
    { "fingerprint unknown hash token (OTHER)", FULL, 0, HDR M_MSRP "a=fingerprint:sha-3 " FP256 "\r\n", 0, OK, 0, NULL, 0 },
    { "fingerprint $ in FULL", FULL, 0, HDR M_MSRP "a=fingerprint:sha-256 $\r\n", 0, SYN, R(CHOOSE), "$", 0 },
    { "tls-id 19 chars", FULL, 0, HDR M_MSRP "a=tls-id:abc3de65cddef001be8\r\n", 0, SYN, R(TLS_ID), NULL, 0 },
    { "tls-id 20 chars", FULL, 0, HDR M_MSRP "a=tls-id:abc3de65cddef001be82\r\n", 0, OK, 0, NULL, 0 },
    { "tls-id bad char", FULL, 0, HDR M_MSRP "a=tls-id:abc3de65cd.ef001be82xyz\r\n", 0, SYN, R(TLS_ID), ".ef0", 0 },
    { "tls-id empty", FULL, 0, HDR M_MSRP "a=tls-id:\r\n", 0, SYN, R(TLS_ID), NULL, 0 },
    { "key-mgmt bad base64 char", FULL, 0, HDR "a=key-mgmt:mikey AQAF*M0X\r\n", 0, SYN, R(KEY_MGMT_BASE64), "*", 0 },
    { "key-mgmt base64 length 5", FULL, 0, HDR "a=key-mgmt:mikey AQAFg\r\n", 0, SYN, R(KEY_MGMT_BASE64), NULL, 0 },
    { "key-mgmt base64 pad inside", FULL, 0, HDR "a=key-mgmt:mikey AQ==AQAF\r\n", 0, SYN, R(KEY_MGMT_BASE64), NULL, 0 },
    { "key-mgmt base64 three pads", FULL, 0, HDR "a=key-mgmt:mikey AQAFA===\r\n", 0, SYN, R(KEY_MGMT_BASE64), NULL, 0 },
    { "key-mgmt no data", FULL, 0, HDR "a=key-mgmt:mikey\r\n", 0, SYN, ANY_RULE, NULL, 0 },
    { "key-mgmt valid with pad", FULL, 0, HDR "a=key-mgmt:mikey AQAFgA==\r\n", 0, OK, 0, NULL, 0 },
    { "path http URI", FULL, 0, HDR M_MSRP "a=path:http://a.example.com/x;tcp\r\n", 0, SYN, R(PATH_URI), NULL, 0 },
    { "path no transport", FULL, 0, HDR M_MSRP "a=path:msrp://a.example.com:7394/2s93i9ek2a\r\n", 0, SYN, R(PATH_URI), NULL, 0 },
    { "path empty host", FULL, 0, HDR M_MSRP "a=path:msrp://:7394/2s93i9ek2a;tcp\r\n", 0, SYN, R(PATH_URI), NULL, 0 },
    { "path empty", FULL, 0, HDR M_MSRP "a=path:\r\n", 0, SYN, R(PATH_URI), NULL, 0 },
    { "path two spaces", FULL, 0, HDR M_MSRP "a=path:msrp://a.example.com:7394/x;tcp  msrp://b.example.com:7394/y;tcp\r\n", 0, SYN, R(PATH_URI), NULL, 0 },
    { "path bad port", FULL, 0, HDR M_MSRP "a=path:msrp://a.example.com:x/2s93;tcp\r\n", 0, SYN, R(PATH_URI), NULL, 0 },
    { "msrp-cema with a value", FULL, 0, HDR M_MSRP "a=msrp-cema:yes\r\n", 0, SYN, R(MSRP_CEMA), NULL, 0 },
    { "floorctrl bad role", FULL, 0, HDR "m=application 5000 TCP/BFCP *\r\na=floorctrl:x-only\r\n", 0, SYN, R(FLOORCTRL), NULL, 0 },
    { "confid not digits", FULL, 0, HDR "m=application 5000 TCP/BFCP *\r\na=confid:abc\r\n", 0, SYN, R(CONFID), NULL, 0 },
    { "userid too big", FULL, 0, HDR "m=application 5000 TCP/BFCP *\r\na=userid:65536\r\n", 0, SYN, R(USERID), NULL, 0 },
    { "floorid too big", FULL, 0, HDR "m=application 5000 TCP/BFCP *\r\na=floorid:70000 mstrm:1\r\n", 0, SYN, R(FLOORID), NULL, 0 },
    { "bfcpver letters", FULL, 0, HDR "m=application 5000 TCP/BFCP *\r\na=bfcpver:one\r\n", 0, SYN, R(BFCPVER), NULL, 0 },
    { "H.248 setup $x", H248, 0, "v=0\r\nm=message $ TCP/MSRP *\r\na=setup:$x\r\n", 0, SYN, ANY_RULE, NULL, 0 },
};

Test(sdp_bad_input, line_structure) { check_cases(line_cases, N(line_cases)); }
Test(sdp_bad_input, line_order) { check_cases(order_cases, N(order_cases)); }
Test(sdp_bad_input, fields) { check_cases(field_cases, N(field_cases)); }
Test(sdp_bad_input, typed_attributes) { check_cases(attr_cases, N(attr_cases)); }

/* ------------------------------------------------------------ limits */
typedef struct gen_buf {
    char *b;
    size_t len, cap;
} gen_buf;

static void gb_add(gen_buf *g, const char *s)
{
    size_t n = strlen(s);
    if (g->len + n + 1 > g->cap) {
        g->cap = (g->len + n + 1) * 2;
        g->b = realloc(g->b, g->cap);
        cr_assert_not_null(g->b);
    }
    memcpy(g->b + g->len, s, n + 1);
    g->len += n;
}

/* Parse a generated input and check result / rule / offset; also fed in
 * pieces of 1000 bytes. */
static void check_generated(const char *name, emsec_sdp_mode mode, const gen_buf *g,
                            emsec_result res, emsec_sdp_rule rule, long off)
{
    emsec_sdp_error e;
    emsec_sdp_parser ps;
    const uint8_t *in = (const uint8_t *)g->b;
    uint32_t len = (uint32_t)g->len;
    emsec_result r = emsec_sdp_parse(&g_sdp, mode, 0, in, len, &e);
    cr_expect_eq(r, res, "%s: %s, expected %s (rule %s at %u)", name, emsec_result_name(r),
                 emsec_result_name(res), emsec_sdp_rule_name(e.rule), (unsigned)e.offset);
    if (res != EMSEC_OK) {
        cr_expect_eq(e.rule, rule, "%s: rule %s, expected %s", name, emsec_sdp_rule_name(e.rule),
                     emsec_sdp_rule_name(rule));
        if (off >= 0) {
            cr_expect_eq((long)e.offset, off, "%s: offset %u, expected %ld", name,
                         (unsigned)e.offset, off);
        }
    }
    /* same in pieces */
    cr_assert_eq(emsec_sdp_parser_init(&ps, &g_sdp2, mode, 0), EMSEC_OK);
    emsec_result rs = EMSEC_OK;
    for (uint32_t cut = 1000; cut < len && rs == EMSEC_OK; cut += 1000) {
        rs = emsec_sdp_feed(&ps, in, cut);
    }
    if (rs == EMSEC_OK) {
        rs = emsec_sdp_finish(&ps, in, len);
    }
    cr_expect_eq(rs, r, "%s: in pieces %s, one-shot %s", name, emsec_result_name(rs),
                 emsec_result_name(r));
    if (r != EMSEC_OK) {
        emsec_sdp_error es = emsec_sdp_last_error(&ps);
        cr_expect(es.rule == e.rule && es.offset == e.offset, "%s: in pieces %s at %u", name,
                  emsec_sdp_rule_name(es.rule), (unsigned)es.offset);
        cr_expect_eq(emsec_sdp_feed(&ps, in, len), EMSEC_ERR_FAILED_BEFORE);
    }
}

Test(sdp_bad_input, too_many_media)
{
    gen_buf g = { 0 };
    long at = -1;
    gb_add(&g, HDR);
    for (uint32_t i = 0; i <= EMSEC_SDP_MAX_MEDIA; i++) {
        if (i == EMSEC_SDP_MAX_MEDIA) {
            at = (long)g.len;
        }
        gb_add(&g, M_MSRP);
    }
    check_generated("33 media", FULL, &g, LIM, R(LIMIT_MEDIA), at);
    g.len = (size_t)at; /* exactly the limit */
    g.b[g.len] = '\0';
    check_generated("32 media", FULL, &g, OK, R(NONE), -1);
    free(g.b);
}

Test(sdp_bad_input, too_many_attributes)
{
    gen_buf g = { 0 };
    long at = -1;
    gb_add(&g, HDR M_MSRP);
    for (uint32_t i = 0; i <= EMSEC_SDP_MAX_ATTRS; i++) {
        if (i == EMSEC_SDP_MAX_ATTRS) {
            at = (long)g.len;
        }
        gb_add(&g, "a=accept-types:text/plain\r\n");
    }
    check_generated("257 attributes", FULL, &g, LIM, R(LIMIT_ATTRS), at);
    g.len = (size_t)at;
    g.b[g.len] = '\0';
    check_generated("256 attributes", FULL, &g, OK, R(NONE), -1);
    free(g.b);
}

Test(sdp_bad_input, too_many_lines)
{
    gen_buf g = { 0 };
    long at = -1;
    /* v o s t = 4 lines, then b= lines in the media section */
    gb_add(&g, HDR M_MSRP);
    for (uint32_t i = 5; i <= EMSEC_SDP_MAX_LINES; i++) {
        if (i == EMSEC_SDP_MAX_LINES) {
            at = (long)g.len;
        }
        gb_add(&g, "b=AS:64\r\n");
    }
    check_generated("129 lines", FULL, &g, LIM, R(LIMIT_LINES), at);
    g.len = (size_t)at;
    g.b[g.len] = '\0';
    check_generated("128 lines", FULL, &g, OK, R(NONE), -1);
    free(g.b);
}

Test(sdp_bad_input, overlong_line)
{
    gen_buf g = { 0 };
    long line_at;
    gb_add(&g, "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=");
    line_at = (long)g.len - 2;
    /* the s= line: "s=" + text + CRLF = exactly the limit: accepted */
    for (uint32_t i = 0; i < EMSEC_SDP_MAX_LINE_LEN - 4u; i++) {
        gb_add(&g, "x");
    }
    gb_add(&g, "\r\nt=0 0\r\n");
    check_generated("line of exactly the limit", FULL, &g, OK, R(NONE), -1);

    /* one byte more */
    free(g.b);
    memset(&g, 0, sizeof g);
    gb_add(&g, "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=");
    for (uint32_t i = 0; i < EMSEC_SDP_MAX_LINE_LEN - 3u; i++) {
        gb_add(&g, "x");
    }
    gb_add(&g, "\r\nt=0 0\r\n");
    check_generated("line one byte over", FULL, &g, LIM, R(LIMIT_LINE_LEN),
                    line_at + (long)EMSEC_SDP_MAX_LINE_LEN);
    free(g.b);

    /* an overlong token: a 100000-digit sess-id */
    memset(&g, 0, sizeof g);
    gb_add(&g, "v=0\r\no=- 1");
    for (uint32_t i = 0; i < 100000u; i++) {
        gb_add(&g, "0");
    }
    gb_add(&g, " 0 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n");
    check_generated("100000-digit sess-id", FULL, &g, LIM, R(LIMIT_LINE_LEN),
                    5L + (long)EMSEC_SDP_MAX_LINE_LEN);
    free(g.b);

    /* an overlong tls-id (256 chars) */
    memset(&g, 0, sizeof g);
    gb_add(&g, HDR M_MSRP "a=tls-id:");
    long tls_at = (long)g.len;
    for (uint32_t i = 0; i < 256u; i++) {
        gb_add(&g, "a");
    }
    gb_add(&g, "\r\n");
    check_generated("tls-id 256 chars", FULL, &g, SYN, R(TLS_ID), tls_at + 255);
    g.len -= 3u; /* 255 chars */
    g.b[g.len] = '\0';
    gb_add(&g, "\r\n");
    check_generated("tls-id 255 chars", FULL, &g, OK, R(NONE), -1);
    free(g.b);
}

/* ------------------------------------------------------------ truncation */
static const char good_full[] =
    "v=0\r\n"
    "o=alice 2890844526 2890844527 IN IP4 alice.example.com\r\n"
    "s=-\r\n"
    "i=chat\r\n"
    "c=IN IP4 alice.example.com\r\n"
    "b=AS:64\r\n"
    "t=0 0\r\n"
    "r=7d 1h 0 25h\r\n"
    "a=sendrecv\r\n"
    "m=message 7394 TCP/TLS/MSRP *\r\n"
    "c=IN IP4 192.0.2.7\r\n"
    "a=accept-types:text/plain\r\n"
    "a=path:msrps://alice.example.com:7394/2s93i9ek2a;tcp\r\n"
    "a=setup:active\r\n"
    "a=connection:new\r\n"
    "a=fingerprint:sha-256 " FP256 "\r\n"
    "a=tls-id:abc3de65cddef001be82\r\n"
    "a=msrp-cema\r\n"
    "m=application 50000 TCP/TLS/BFCP *\r\n"
    "a=setup:passive\r\n"
    "a=floorctrl:c-only s-only\r\n"
    "a=confid:4321\r\n"
    "a=userid:1234\r\n"
    "a=floorid:1 mstrm:10 11\r\n"
    "a=bfcpver:1 2\r\n"
    "a=key-mgmt:mikey AQAFgM0XflABAAAAAAAAAAAAAAsAyONQ\r\n";

static const char good_h248[] =
    "v=0\r\n"
    "c=IN IP4 $\r\n"
    "m=message $ TCP/TLS/MSRP *\r\n"
    "a=setup:$\r\n"
    "a=connection:-\r\n"
    "a=fingerprint:sha-256 $\r\n"
    "a=path:msrps://192.0.2.5:7394/s9k2;tcp\r\n";

/*
 * Every prefix of a good description: never a crash; OK only if the prefix
 * ends at a line end after the required lines (then it is itself a valid
 * description, and its lines are the first lines of the whole); otherwise
 * INCOMPLETE or SYNTAX.
 */
static void truncate_all(const char *good, emsec_sdp_mode mode, uint32_t required_end)
{
    const uint8_t *in = (const uint8_t *)good;
    uint32_t len = (uint32_t)strlen(good);
    emsec_sdp_error e;
    static emsec_sdp whole;
    cr_assert_eq(emsec_sdp_parse(&whole, mode, 0, in, len, &e), EMSEC_OK,
                 "the good input: rule %s at %u", emsec_sdp_rule_name(e.rule), e.offset);
    for (uint32_t k = 0; k < len; k++) {
        /* a heap copy of exactly k bytes, so ASan sees any read past it */
        uint8_t *p = malloc(k > 0 ? k : 1u);
        cr_assert_not_null(p);
        memcpy(p, in, k);
        emsec_result r = emsec_sdp_parse(&g_sdp, mode, 0, k > 0 ? p : NULL, k, &e);
        bool at_eol = k > 0 && in[k - 1] == '\n';
        bool valid = at_eol && k >= required_end;
        if (valid) {
            cr_expect_eq(r, EMSEC_OK, "prefix %u: %s rule %s at %u", k, emsec_result_name(r),
                         emsec_sdp_rule_name(e.rule), e.offset);
            if (r == EMSEC_OK) {
                cr_expect_leq(g_sdp.line_count, whole.line_count);
                cr_expect_leq(g_sdp.attr_count, whole.attr_count);
                for (uint32_t i = 0; i < g_sdp.line_count; i++) {
                    cr_expect(g_sdp.lines[i].value.off == whole.lines[i].value.off &&
                              g_sdp.lines[i].value.len == whole.lines[i].value.len);
                }
            }
        } else {
            cr_expect(r == EMSEC_ERR_INCOMPLETE || r == EMSEC_ERR_SYNTAX,
                      "prefix %u: %s (rule %s at %u)", k, emsec_result_name(r),
                      emsec_sdp_rule_name(e.rule), e.offset);
            cr_expect_leq(e.offset, k, "prefix %u: error offset %u past the input", k,
                          e.offset);
        }
        /* with the no-final-EOL leniency: never a crash, never an offset past k */
        r = emsec_sdp_parse(&g_sdp, mode, EMSEC_SDP_LENIENT_ALL, k > 0 ? p : NULL, k, &e);
        if (r != EMSEC_OK) {
            cr_expect_leq(e.offset, k, "lenient prefix %u: offset %u", k, e.offset);
        }
        free(p);
    }
}

Test(sdp_bad_input, truncation_full)
{
    const char *t = strstr(good_full, "t=0 0\r\n");
    cr_assert_not_null(t);
    truncate_all(good_full, FULL, (uint32_t)(t - good_full) + 7u);
}

Test(sdp_bad_input, truncation_h248)
{
    truncate_all(good_h248, H248, 5u); /* "v=0\r\n" alone is a description */
}

/* ------------------------------------------------------------ absorbing, arguments */
Test(sdp_bad_input, failure_is_absorbing_until_reinit)
{
    static const char bad[] = HDR M_MSRP "a=setup:foo\r\n";
    static const char good[] = HDR;
    emsec_sdp_parser ps;
    emsec_sdp_error e;
    cr_assert_eq(emsec_sdp_parser_init(&ps, &g_sdp, FULL, 0), EMSEC_OK);
    cr_assert_eq(emsec_sdp_feed(&ps, (const uint8_t *)bad, sizeof bad - 1), EMSEC_ERR_SYNTAX);
    e = emsec_sdp_last_error(&ps);
    cr_assert_eq(e.rule, R(SETUP));
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(emsec_sdp_feed(&ps, (const uint8_t *)bad, sizeof bad - 1),
                     EMSEC_ERR_FAILED_BEFORE);
        cr_assert_eq(emsec_sdp_finish(&ps, (const uint8_t *)bad, sizeof bad - 1),
                     EMSEC_ERR_FAILED_BEFORE);
        cr_assert_eq(emsec_sdp_last_error(&ps).rule, e.rule);
        cr_assert_eq(emsec_sdp_last_error(&ps).offset, e.offset);
    }
    /* re-init clears it */
    cr_assert_eq(emsec_sdp_parser_init(&ps, &g_sdp, FULL, 0), EMSEC_OK);
    cr_assert_eq(emsec_sdp_last_error(&ps).rule, R(NONE));
    cr_assert_eq(emsec_sdp_finish(&ps, (const uint8_t *)good, sizeof good - 1), EMSEC_OK);
}

Test(sdp_bad_input, bad_arguments)
{
    emsec_sdp_parser ps;
    emsec_sdp_error e;
    static const char good[] = HDR;
    cr_assert_eq(emsec_sdp_parser_init(&ps, &g_sdp, (emsec_sdp_mode)0, 0), EMSEC_ERR_ARGUMENT);
    cr_assert_eq(emsec_sdp_parser_init(&ps, &g_sdp, (emsec_sdp_mode)3, 0), EMSEC_ERR_ARGUMENT);
    cr_assert_eq(emsec_sdp_parser_init(&ps, &g_sdp, FULL, 0x8000u), EMSEC_ERR_ARGUMENT);
    cr_assert_eq(emsec_sdp_feed(&ps, (const uint8_t *)good, sizeof good - 1),
                 EMSEC_ERR_FAILED_BEFORE);
    /* len shrinking between feeds */
    cr_assert_eq(emsec_sdp_parser_init(&ps, &g_sdp, FULL, 0), EMSEC_OK);
    cr_assert_eq(emsec_sdp_feed(&ps, (const uint8_t *)good, 10), EMSEC_OK);
    cr_assert_eq(emsec_sdp_feed(&ps, (const uint8_t *)good, 5), EMSEC_ERR_ARGUMENT);
    cr_assert_eq(emsec_sdp_feed(&ps, (const uint8_t *)good, sizeof good - 1),
                 EMSEC_ERR_FAILED_BEFORE);
    /* NULL buffer with a length */
    cr_assert_eq(emsec_sdp_parser_init(&ps, &g_sdp, FULL, 0), EMSEC_OK);
    cr_assert_eq(emsec_sdp_feed(&ps, NULL, 3), EMSEC_ERR_ARGUMENT);
    /* start past the end */
    cr_assert_eq(emsec_sdp_parse_from(&g_sdp, FULL, 0, (const uint8_t *)good, 3, 4, &e),
                 EMSEC_ERR_ARGUMENT);
    cr_assert_eq(emsec_sdp_parse(&g_sdp, FULL, 0, NULL, 0, &e), EMSEC_ERR_INCOMPLETE);
    cr_assert_eq(e.rule, R(MISSING_LINE));
}
