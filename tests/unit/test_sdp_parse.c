/*
 * Focused tests of the strict SDP parser (include/emsec/sdp.h): line syntax
 * and order, numbers, every typed attribute (good and bad values), H.248
 * mode, limits, absorbing failure, accessors, and split-feeding.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsec/sdp.h"
#include "sdp_equal.h"

static emsec_sdp tp_sdp;
static emsec_sdp tp_sdp2;

#define HDR "v=0\r\no=- 1 1 IN IP4 h.example.com\r\ns=-\r\nt=0 0\r\n"

static emsec_result tp_parse_flags(const char *s, uint32_t flags, emsec_sdp_error *e)
{
    return emsec_sdp_parse(&tp_sdp, EMSEC_SDP_MODE_FULL, flags, (const uint8_t *)s,
                           (uint32_t)strlen(s), e);
}

static emsec_result tp_parse(const char *s, emsec_sdp_error *e)
{
    return tp_parse_flags(s, 0u, e);
}

static emsec_result tp_parse_h248(const char *s, emsec_sdp_error *e)
{
    return emsec_sdp_parse(&tp_sdp, EMSEC_SDP_MODE_H248, 0u, (const uint8_t *)s,
                           (uint32_t)strlen(s), e);
}

/* span text equals */
static bool tp_is(const char *s, emsec_span sp, const char *want)
{
    return sp.len == strlen(want) && memcmp(s + sp.off, want, sp.len) == 0;
}

/* Expect a rejection with `code`, `rule`, at the offset of the first `at`
 * occurrence plus `delta`. */
static void tp_reject(const char *s, uint32_t flags, emsec_result code, emsec_sdp_rule rule,
                      const char *at, uint32_t delta)
{
    emsec_sdp_error e;
    emsec_result r = tp_parse_flags(s, flags, &e);
    const char *hit = strstr(s, at);
    cr_assert_not_null(hit, "marker %s", at);
    cr_expect_eq(r, code, "result %s for %s", emsec_result_name(r), s);
    cr_expect_eq(e.rule, rule, "rule %s (want %s) for %s", emsec_sdp_rule_name(e.rule),
                 emsec_sdp_rule_name(rule), s);
    cr_expect_eq(e.offset, (uint32_t)(hit - s) + delta, "offset %u want %u for %s", e.offset,
                 (uint32_t)(hit - s) + delta, s);
}

static const emsec_sdp_attr *tp_attr1(const char *s)
{
    emsec_sdp_error e;
    emsec_result r = tp_parse(s, &e);
    cr_assert_eq(r, EMSEC_OK, "%s: %s at %u rule %s", s, emsec_result_name(r), e.offset,
                 emsec_sdp_rule_name(e.rule));
    cr_assert_geq(tp_sdp.attr_count, 1u);
    return &tp_sdp.attrs[tp_sdp.attr_count - 1u];
}

/* ------------------------------------------------------------ lines */

Test(sdp_parse, minimal_description_gives_spans_for_every_field)
{
    const char *s = "v=0\r\no=alice 2890844526 2890844527 IN IP4 alice.example.com\r\n"
                    "s= -\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
                    "m=message 7394 TCP/MSRP *\r\na=accept-types:text/plain\r\n";
    emsec_sdp_error e;
    cr_assert_eq(tp_parse(s, &e), EMSEC_OK);
    cr_expect(tp_is(s, tp_sdp.origin.username, "alice"));
    cr_expect(tp_is(s, tp_sdp.origin.sess_id, "2890844526"));
    cr_expect(tp_is(s, tp_sdp.origin.sess_version, "2890844527"));
    cr_expect(tp_is(s, tp_sdp.origin.nettype, "IN"));
    cr_expect(tp_is(s, tp_sdp.origin.addrtype, "IP4"));
    cr_expect(tp_is(s, tp_sdp.origin.address, "alice.example.com"));
    cr_expect(tp_is(s, tp_sdp.session_name, " -"));
    cr_expect(tp_sdp.conn.present);
    cr_expect(tp_is(s, tp_sdp.conn.address, "192.0.2.1"));
    cr_expect(tp_sdp.has_time);
    cr_assert_eq(tp_sdp.media_count, 1u);
    cr_expect(tp_is(s, tp_sdp.media[0].media, "message"));
    cr_expect_eq(tp_sdp.media[0].port_value, 7394u);
    cr_expect_eq(tp_sdp.media[0].proto, EMSEC_SDP_PROTO_TCP_MSRP);
    cr_expect(tp_is(s, tp_sdp.media[0].fmts, "*"));
    cr_expect_eq(tp_sdp.attr_count, 1u);
    cr_expect_eq(tp_sdp.session_attr_count, 0u);
    cr_expect_eq(tp_sdp.media[0].attr_first, 0u);
    cr_expect_eq(tp_sdp.media[0].attr_count, 1u);
    cr_expect_eq(tp_sdp.attrs[0].section, 1u);
    cr_expect_eq(tp_sdp.line_count, 6u);
    cr_expect_eq(tp_sdp.lines[5].type, 'm');
    cr_expect_eq(tp_sdp.lines[5].section, 1u);
    cr_expect(tp_is(s, tp_sdp.lines[5].value, "message 7394 TCP/MSRP *"));
    cr_expect_eq(tp_sdp.whole.off, 0u);
    cr_expect_eq(tp_sdp.whole.len, (uint32_t)strlen(s));
}

Test(sdp_parse, lone_lf_line_ends_are_accepted)
{
    emsec_sdp_error e;
    cr_expect_eq(tp_parse("v=0\no=- 1 1 IN IP4 h\ns=x\nt=0 0\nm=audio 9 RTP/AVP 0\n", &e),
                 EMSEC_OK);
    cr_expect_eq(tp_sdp.lines[0].crlf, 0u);
}

Test(sdp_parse, cr_without_lf_is_refused)
{
    tp_reject("v=0\r\no=- 1 1 IN IP4 h\rs=x\r\nt=0 0\r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_LINE_END, "\rs=", 1);
}

Test(sdp_parse, nul_byte_is_refused)
{
    const char s[] = "v=0\r\no=- 1 1 IN IP4 h\r\ns=a\0b\r\nt=0 0\r\n";
    emsec_sdp_error e;
    emsec_result r = emsec_sdp_parse(&tp_sdp, EMSEC_SDP_MODE_FULL, 0, (const uint8_t *)s,
                                     (uint32_t)(sizeof s - 1u), &e);
    cr_expect_eq(r, EMSEC_ERR_SYNTAX);
    cr_expect_eq(e.rule, EMSEC_SDP_RULE_SESSION_NAME);
    cr_expect_eq(e.offset, 26u);
}

Test(sdp_parse, missing_final_line_end_is_incomplete_unless_lenient)
{
    tp_reject(HDR "a=sendrecv", 0, EMSEC_ERR_INCOMPLETE, EMSEC_SDP_RULE_ATTRIBUTE,
              "a=sendrecv", 10);
    emsec_sdp_error e;
    cr_assert_eq(tp_parse_flags(HDR "a=sendrecv", EMSEC_SDP_LENIENT_NO_FINAL_EOL, &e), EMSEC_OK);
    cr_expect(tp_is(HDR "a=sendrecv", tp_sdp.attrs[0].name, "sendrecv"));
    /* the leniency does not make an unfinished value valid */
    tp_reject(HDR "m=audio 9", EMSEC_SDP_LENIENT_NO_FINAL_EOL, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_PORT, "m=audio 9", 9);
}

Test(sdp_parse, version_other_than_0_is_refused)
{
    tp_reject("v=1\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_VERSION, "1", 0);
    tp_reject("v=00\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_VERSION, "00", 1);
}

Test(sdp_parse, empty_session_name_is_refused_unless_lenient)
{
    const char *s = "v=0\r\no=- 1 1 IN IP4 h\r\ns=\r\nt=0 0\r\n";
    tp_reject(s, 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_SESSION_NAME, "s=\r", 2);
    emsec_sdp_error e;
    cr_expect_eq(tp_parse_flags(s, EMSEC_SDP_LENIENT_EMPTY_SESSION_NAME, &e), EMSEC_OK);
}

Test(sdp_parse, line_order_follows_rfc8866_abnf)
{
    /* a= before t= (the RFC 5763 examples) */
    tp_reject("v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\na=setup:active\r\nt=0 0\r\n", 0,
              EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_LINE_ORDER, "a=setup", 0);
    /* c= after t= */
    tp_reject(HDR "c=IN IP4 h\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_LINE_ORDER, "c=", 0);
    /* two s= */
    tp_reject("v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\ns=y\r\nt=0 0\r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_LINE_ORDER, "s=y", 0);
    /* missing s= */
    tp_reject("v=0\r\no=- 1 1 IN IP4 h\r\nt=0 0\r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_LINE_ORDER, "t=", 0);
    /* m= before any t= */
    tp_reject("v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nm=audio 9 RTP/AVP 0\r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_LINE_ORDER, "m=", 0);
    /* media: c= after a= */
    tp_reject(HDR "m=audio 9 RTP/AVP 0\r\na=x\r\nc=IN IP4 h\r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_LINE_ORDER, "c=", 0);
    /* r= needs a t= before it; r z t r accepted */
    emsec_sdp_error e;
    cr_expect_eq(tp_parse("v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=3034423619 3042462419\r\n"
                          "r=7d 1h 0 25h\r\nz=2882844526 -1h 2898848070 0\r\n"
                          "t=0 0\r\nk=prompt\r\na=x\r\n",
                          &e),
                 EMSEC_OK, "rule %s at %u", emsec_sdp_rule_name(e.rule), e.offset);
    /* unknown type letter */
    tp_reject(HDR "x=1\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_LINE, "x=", 0);
    /* second v= in FULL mode */
    tp_reject(HDR HDR, 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_LINE_ORDER, "t=0 0\r\nv", 7);
}

Test(sdp_parse, missing_time_line_at_end_is_missing_line)
{
    const char *s = "v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\n";
    tp_reject(s, 0, EMSEC_ERR_INCOMPLETE, EMSEC_SDP_RULE_MISSING_LINE, "x\r\n", 3);
    emsec_sdp_error e;
    cr_expect_eq(tp_parse("", &e), EMSEC_ERR_INCOMPLETE);
    cr_expect_eq(e.rule, EMSEC_SDP_RULE_MISSING_LINE);
}

Test(sdp_parse, time_repeat_zone_bandwidth_key_grammar)
{
    tp_reject("v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=123 0\r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_TIME, "123 0", 3);
    tp_reject(HDR "b=AS:x\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_LINE_ORDER, "b=", 0);
    tp_reject("v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nb=AS:x\r\nt=0 0\r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_BANDWIDTH, "AS:x", 3);
    tp_reject(HDR "k=base64:abc\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_KEY, "abc\r", 3);
    tp_reject("v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\nr=0 1\r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_REPEAT, "r=0", 2);
}

Test(sdp_parse, origin_needs_six_fields)
{
    tp_reject("v=0\r\no=2987933123 2987933123 IN IP4 198.51.100.7\r\ns=-\r\nt=0 0\r\n", 0,
              EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_ORIGIN, "IN IP4", 0);
}

/* ------------------------------------------------------------ m= */

Test(sdp_parse, port_range_and_count)
{
    emsec_sdp_error e;
    cr_assert_eq(tp_parse(HDR "m=audio 65535/2 RTP/AVP 0\r\n", &e), EMSEC_OK);
    cr_expect_eq(tp_sdp.media[0].port_value, 65535u);
    cr_expect_eq(tp_sdp.media[0].port_count_value, 2u);
    tp_reject(HDR "m=audio 65536 RTP/AVP 0\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_PORT,
              "65536", 0);
    tp_reject(HDR "m=audio 99999999999999999999 RTP/AVP 0\r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_PORT, "9999", 0);
    tp_reject(HDR "m=audio 9/0 RTP/AVP 0\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_PORT,
              "/0", 1);
    tp_reject(HDR "m=audio x RTP/AVP 0\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_PORT, "x ", 0);
    tp_reject(HDR "m=audio 9 RTP/AVP\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_PROTO,
              "AVP\r", 3);
    tp_reject(HDR "m=audio 9 RTP/AVP 0 \r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_FMT,
              "0 \r", 2);
}

Test(sdp_parse, proto_is_classified_without_regard_to_case)
{
    static const struct {
        const char *name;
        emsec_sdp_proto p;
    } t[] = {
        { "TCP/MSRP", EMSEC_SDP_PROTO_TCP_MSRP },
        { "TCP/TLS/MSRP", EMSEC_SDP_PROTO_TCP_TLS_MSRP },
        { "tcp/tls/msrp", EMSEC_SDP_PROTO_TCP_TLS_MSRP },
        { "TCP/BFCP", EMSEC_SDP_PROTO_TCP_BFCP },
        { "TCP/TLS/BFCP", EMSEC_SDP_PROTO_TCP_TLS_BFCP },
        { "TCP/DTLS/BFCP", EMSEC_SDP_PROTO_TCP_DTLS_BFCP },
        { "TCP/TLS", EMSEC_SDP_PROTO_TCP_TLS },
        { "TCP", EMSEC_SDP_PROTO_TCP },
        { "TLS", EMSEC_SDP_PROTO_TLS },
        { "UDP/TLS/UDPTL", EMSEC_SDP_PROTO_UDP_TLS_UDPTL },
        { "udptl", EMSEC_SDP_PROTO_UDPTL },
        { "RTP/AVP", EMSEC_SDP_PROTO_RTP_AVP },
        { "RTP/SAVP", EMSEC_SDP_PROTO_RTP_SAVP },
        { "RTP/AVPF", EMSEC_SDP_PROTO_RTP_AVPF },
        { "RTP/SAVPF", EMSEC_SDP_PROTO_RTP_SAVPF },
        { "UDP/TLS/RTP/SAVP", EMSEC_SDP_PROTO_UDP_TLS_RTP_SAVP },
        { "UDP/TLS/RTP/SAVPF", EMSEC_SDP_PROTO_UDP_TLS_RTP_SAVPF },
        { "udp", EMSEC_SDP_PROTO_UDP },
        { "TCP/XYZ", EMSEC_SDP_PROTO_OTHER },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char s[256];
        emsec_sdp_error e;
        snprintf(s, sizeof s, HDR "m=image 9 %s t38\r\n", t[i].name);
        cr_assert_eq(tp_parse(s, &e), EMSEC_OK, "%s", t[i].name);
        cr_expect_eq(tp_sdp.media[0].proto, t[i].p, "%s", t[i].name);
        cr_expect(tp_is(s, tp_sdp.media[0].proto_span, t[i].name));
        cr_expect_str_neq(emsec_sdp_proto_name(t[i].p), "?");
    }
}

/* ------------------------------------------------------------ typed attributes */

Test(sdp_attr, setup_values_and_case)
{
    cr_expect_eq(tp_attr1(HDR "a=setup:active\r\n")->u.setup, EMSEC_SDP_SETUP_ACTIVE);
    cr_expect_eq(tp_attr1(HDR "a=setup:passive\r\n")->u.setup, EMSEC_SDP_SETUP_PASSIVE);
    cr_expect_eq(tp_attr1(HDR "a=setup:actpass\r\n")->u.setup, EMSEC_SDP_SETUP_ACTPASS);
    cr_expect_eq(tp_attr1(HDR "a=setup:holdconn\r\n")->u.setup, EMSEC_SDP_SETUP_HOLDCONN);
    cr_expect_eq(tp_attr1(HDR "a=setup:ACTIVE\r\n")->u.setup, EMSEC_SDP_SETUP_ACTIVE);
    const emsec_sdp_attr *a = tp_attr1(HDR "a=setup:active\r\n");
    cr_expect_eq(a->kind, EMSEC_SDP_ATTR_SETUP);
    cr_expect(tp_is(HDR "a=setup:active\r\n", a->name, "setup"));
    cr_expect(tp_is(HDR "a=setup:active\r\n", a->value, "active"));
    tp_reject(HDR "a=setup:activ\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_SETUP, "activ\r", 5);
    tp_reject(HDR "a=setup:actives\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_SETUP, "actives", 6);
    tp_reject(HDR "a=setup:\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_SETUP, "setup:", 6);
    tp_reject(HDR "a=setup:$\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_CHOOSE, "$", 0);
    /* a look-alike name is an unknown attribute, not an error */
    cr_expect_eq(tp_attr1(HDR "a=setupx:foo\r\n")->kind, EMSEC_SDP_ATTR_UNKNOWN);
}

Test(sdp_attr, connection_values)
{
    cr_expect_eq(tp_attr1(HDR "a=connection:new\r\n")->u.connection, EMSEC_SDP_CONNVAL_NEW);
    cr_expect_eq(tp_attr1(HDR "a=connection:existing\r\n")->u.connection,
                 EMSEC_SDP_CONNVAL_EXISTING);
    tp_reject(HDR "a=connection:old\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_CONNECTION_ATTR,
              "old", 0);
}

#define FP256 "19:E2:1C:3B:4B:9F:81:E6:B8:5C:F4:A5:A8:D8:73:04:BB:05:2F:70:9F:04:A9:0E:05:E9:26:33:E8:70:88:A2"

Test(sdp_attr, fingerprint_good_values)
{
    const char *s = HDR "a=fingerprint:sha-256 " FP256 "\r\n";
    const emsec_sdp_attr *a = tp_attr1(s);
    cr_expect_eq(a->kind, EMSEC_SDP_ATTR_FINGERPRINT);
    cr_expect_eq(a->u.fingerprint.hash, EMSEC_SDP_HASH_SHA256);
    cr_expect_eq(a->u.fingerprint.bytes, 32u);
    cr_expect(tp_is(s, a->u.fingerprint.hash_name, "sha-256"));
    cr_expect(tp_is(s, a->u.fingerprint.value, FP256));
    cr_expect_eq(tp_attr1(HDR "a=fingerprint:SHA-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:"
                              "49:6B:19:E5:7C:AB\r\n")
                     ->u.fingerprint.hash,
                 EMSEC_SDP_HASH_SHA1);
    /* another hash token: any length */
    a = tp_attr1(HDR "a=fingerprint:foo-9 AB:CD\r\n");
    cr_expect_eq(a->u.fingerprint.hash, EMSEC_SDP_HASH_OTHER);
    cr_expect_eq(a->u.fingerprint.bytes, 2u);
    cr_expect_eq(tp_attr1(HDR "a=fingerprint:md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:"
                              "EE:FF\r\n")
                     ->u.fingerprint.hash,
                 EMSEC_SDP_HASH_MD5);
}

Test(sdp_attr, fingerprint_bad_values)
{
    /* RFC 8122 §5: UHEX = DIGIT / %x41-46 ; A-F uppercase */
    const char *lc = HDR "a=fingerprint:sha-1 4a:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:"
                         "49:6B:19:E5:7C:AB\r\n";
    tp_reject(lc, 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_FINGERPRINT_HEX, "4a", 1);
    emsec_sdp_error e;
    cr_expect_eq(tp_parse_flags(lc, EMSEC_SDP_LENIENT_FP_LOWER_HEX, &e), EMSEC_OK);
    /* wrong byte count for the hash */
    tp_reject(HDR "a=fingerprint:sha-256 AB:CD\r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_FINGERPRINT_LENGTH, "AB:CD", 0);
    /* not hex, odd digits, trailing colon */
    tp_reject(HDR "a=fingerprint:foo AG\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_FINGERPRINT_HEX,
              "AG", 1);
    tp_reject(HDR "a=fingerprint:foo ABC\r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_FINGERPRINT_HEX, "ABC", 2);
    tp_reject(HDR "a=fingerprint:foo AB:\r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_FINGERPRINT_HEX, "AB:\r", 3);
    /* missing hash */
    tp_reject(HDR "a=fingerprint:\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_FINGERPRINT_HASH,
              "fingerprint:", 12);
    /* RFC 5763 / 7345 print a space after the colon */
    const char *sp = HDR "a=fingerprint: SHA-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:"
                         "49:6B:19:E5:7C:AB\r\n";
    tp_reject(sp, 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_FINGERPRINT_HASH, ": SHA", 1);
    cr_expect_eq(tp_parse_flags(sp, EMSEC_SDP_LENIENT_FP_SPACE, &e), EMSEC_OK);
    cr_expect_eq(tp_sdp.attrs[0].u.fingerprint.hash, EMSEC_SDP_HASH_SHA1);
}

Test(sdp_attr, several_fingerprints_per_section_and_precedence)
{
    const char *s = HDR "a=fingerprint:sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:"
                        "E5:7C:AB\r\n"
                        "m=image 1 TCP/TLS t38\r\n"
                        "a=fingerprint:sha-256 " FP256 "\r\n"
                        "a=fingerprint:foo 00\r\n"
                        "m=image 2 TCP/TLS t38\r\n";
    emsec_sdp_error e;
    cr_assert_eq(tp_parse(s, &e), EMSEC_OK);
    const emsec_sdp_attr *fps[4];
    cr_expect_eq(emsec_sdp_media_fingerprints(&tp_sdp, 0, fps, 4), 2u);
    cr_expect_eq(fps[0]->u.fingerprint.hash, EMSEC_SDP_HASH_SHA256);
    cr_expect_eq(fps[1]->u.fingerprint.hash, EMSEC_SDP_HASH_OTHER);
    cr_expect_eq(emsec_sdp_media_fingerprints(&tp_sdp, 1, fps, 4), 1u);
    cr_expect_eq(fps[0]->u.fingerprint.hash, EMSEC_SDP_HASH_SHA1);
    cr_expect_eq(emsec_sdp_media_fingerprints(&tp_sdp, 0, NULL, 0), 2u);
    cr_expect_eq(emsec_sdp_media_fingerprints(&tp_sdp, 7, fps, 4), 0u);
}

Test(sdp_attr, tls_id_length_and_chars)
{
    const char *s = HDR "m=image 1 TCP/TLS t38\r\na=tls-id:abc3de65cddef001be82\r\n";
    const emsec_sdp_attr *a = tp_attr1(s);
    cr_expect_eq(a->kind, EMSEC_SDP_ATTR_TLS_ID);
    cr_expect(tp_is(s, a->u.tls_id, "abc3de65cddef001be82"));
    cr_expect_eq(emsec_sdp_media_tls_id(&tp_sdp, 0), a);
    tp_attr1(HDR "a=tls-id:+/-_+/-_+/-_+/-_+/-_\r\n");
    tp_reject(HDR "a=tls-id:abc3de65cddef001be8\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_TLS_ID,
              "be8\r", 3);
    tp_reject(HDR "a=tls-id:abc3de65cddef001be82=\r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_TLS_ID, "=\r", 0);
    char s2[512];
    memset(s2, 0, sizeof s2);
    strcpy(s2, HDR "a=tls-id:");
    size_t at = strlen(s2);
    memset(s2 + at, 'a', 256);
    strcpy(s2 + at + 256, "\r\n");
    tp_reject(s2, 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_TLS_ID, "aaa", 255);
    s2[at + 255] = '\r';
    s2[at + 256] = '\n';
    s2[at + 257] = 0;
    tp_attr1(s2);
}

Test(sdp_attr, path_one_or_more_msrp_uris)
{
    const char *s = HDR "a=path:msrp://alice.example.com:7394/2s93i9ek2a;tcp\r\n";
    const emsec_sdp_attr *a = tp_attr1(s);
    cr_expect_eq(a->kind, EMSEC_SDP_ATTR_PATH);
    cr_expect_eq(a->u.path.count, 1u);
    cr_expect(tp_is(s, a->u.path.first, "msrp://alice.example.com:7394/2s93i9ek2a;tcp"));
    const char *s2 = HDR "a=path:msrps://bob@relay.example.net:9000/abc;tcp;foo=bar "
                         "msrp://[2001:db8::1]:7777/x9;tcp msrp://10.0.0.1/s;sctp\r\n";
    a = tp_attr1(s2);
    cr_expect_eq(a->u.path.count, 3u);
    cr_expect(tp_is(s2, a->u.path.first, "msrps://bob@relay.example.net:9000/abc;tcp;foo=bar"));
    cr_expect(tp_is(s2, a->u.path.last, "msrp://10.0.0.1/s;sctp"));
    tp_reject(HDR "a=path:http://a.example.com/x;tcp\r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_PATH_URI, "http", 0);
    tp_reject(HDR "a=path:msrp://a.example.com/x\r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_PATH_URI, "/x\r", 2);
    tp_reject(HDR "a=path:msrp://a.example.com/x;tcp \r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_PATH_URI, "tcp \r", 4);
}

Test(sdp_attr, accept_types_lists)
{
    const char *s = HDR "a=accept-types:message/cpim text/plain text/* "
                        "application/x;charset=\"utf-8\" *\r\n";
    const emsec_sdp_attr *a = tp_attr1(s);
    cr_expect_eq(a->kind, EMSEC_SDP_ATTR_ACCEPT_TYPES);
    cr_expect_eq(a->u.list.count, 5u);
    tp_reject(HDR "a=accept-types:text\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_ACCEPT_TYPES,
              "text\r", 4);
    tp_reject(HDR "a=accept-types: text/plain\r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_ACCEPT_TYPES, ": text", 1);
}

Test(sdp_attr, msrp_cema_is_a_property)
{
    const emsec_sdp_attr *a = tp_attr1(HDR "a=msrp-cema\r\n");
    cr_expect_eq(a->kind, EMSEC_SDP_ATTR_MSRP_CEMA);
    cr_expect_eq(a->has_value, 0u);
    tp_reject(HDR "a=msrp-cema:yes\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_MSRP_CEMA, ":yes", 0);
}

Test(sdp_attr, key_mgmt_protocol_and_base64)
{
    const char *s = HDR "a=key-mgmt:mikey AQAFgM0XflABAAAAAAAAAAAAAAsAyONQ6gAAAA==\r\n";
    const emsec_sdp_attr *a = tp_attr1(s);
    cr_expect_eq(a->kind, EMSEC_SDP_ATTR_KEY_MGMT);
    cr_expect(tp_is(s, a->u.key_mgmt.protocol, "mikey"));
    cr_expect(tp_is(s, a->u.key_mgmt.data, "AQAFgM0XflABAAAAAAAAAAAAAAsAyONQ6gAAAA=="));
    /* RFC 4567: key-mgmt-att-value = 0*1SP prtcl-id SP keymgmt-data */
    s = HDR "a=key-mgmt: mikey abc=\r\n";
    a = tp_attr1(s);
    cr_expect(tp_is(s, a->u.key_mgmt.protocol, "mikey"));
    cr_expect(tp_is(s, a->u.key_mgmt.data, "abc="));
    tp_reject(HDR "a=key-mgmt:mikey ab=\r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_KEY_MGMT_BASE64, "ab=", 3);
    tp_reject(HDR "a=key-mgmt:mikey abcde\r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_KEY_MGMT_BASE64, "abcde", 5);
    tp_reject(HDR "a=key-mgmt:mikey AQAF...\r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_KEY_MGMT_BASE64, "...", 0);
    tp_reject(HDR "a=key-mgmt:mi-key abcd\r\n", 0, EMSEC_ERR_SYNTAX,
              EMSEC_SDP_RULE_KEY_MGMT_PROTOCOL, "-key", 0);
}

Test(sdp_attr, bfcp_attributes)
{
    const char *s = HDR "m=application 50000 TCP/TLS/BFCP *\r\n"
                        "a=floorctrl:c-only s-only\r\na=confid:4321\r\na=userid:1234\r\n"
                        "a=floorid:1 mstrm:10 11\r\na=floorid:2 m-stream:12\r\na=bfcpver:1 2\r\n";
    emsec_sdp_error e;
    cr_assert_eq(tp_parse(s, &e), EMSEC_OK, "%s at %u", emsec_sdp_rule_name(e.rule), e.offset);
    const emsec_sdp_attr *a = tp_sdp.attrs;
    cr_expect_eq(a[0].kind, EMSEC_SDP_ATTR_FLOORCTRL);
    cr_expect_eq(a[0].u.floorctrl, EMSEC_SDP_FLOORCTRL_C_ONLY | EMSEC_SDP_FLOORCTRL_S_ONLY);
    cr_expect_eq(a[1].u.number, 4321u);
    cr_expect_eq(a[2].u.number, 1234u);
    cr_expect_eq(a[3].u.floorid.floor, 1u);
    cr_expect_eq(a[3].u.floorid.stream_count, 2u);
    cr_expect(tp_is(s, a[3].u.floorid.streams, "10 11"));
    cr_expect_eq(a[4].u.floorid.floor, 2u);
    cr_expect_eq(a[5].u.list.count, 2u);
    cr_expect_eq(a[5].u.list.mask, (1u << 1) | (1u << 2));
    tp_reject(HDR "a=floorctrl:c-x\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_FLOORCTRL, "c-x", 2);
    tp_reject(HDR "a=confid:12a\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_CONFID, "12a", 2);
    tp_reject(HDR "a=confid:99999999999\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_CONFID,
              "9999", 0);
    tp_reject(HDR "a=userid:65536\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_USERID, "65536", 0);
    tp_reject(HDR "a=floorid:1 foo:2\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_FLOORID, "foo", 0);
    tp_reject(HDR "a=bfcpver:x\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_BFCPVER, "x\r", 0);
}

Test(sdp_attr, unknown_attributes_are_kept_as_name_and_value)
{
    const char *s = HDR "a=rtpmap:0 PCMU/8000\r\na=sendrecv\r\na=T38FaxRateManagement:x\r\n";
    emsec_sdp_error e;
    cr_assert_eq(tp_parse(s, &e), EMSEC_OK);
    cr_expect_eq(tp_sdp.attr_count, 3u);
    cr_expect_eq(tp_sdp.attrs[0].kind, EMSEC_SDP_ATTR_UNKNOWN);
    cr_expect(tp_is(s, tp_sdp.attrs[0].name, "rtpmap"));
    cr_expect(tp_is(s, tp_sdp.attrs[0].value, "0 PCMU/8000"));
    cr_expect(tp_is(s, tp_sdp.attrs[1].name, "sendrecv"));
    cr_expect_eq(tp_sdp.attrs[1].has_value, 0u);
    cr_expect_eq(tp_sdp.attrs[1].value.len, 0u);
    /* RFC 8866: attribute-value = byte-string = 1*(...) */
    tp_reject(HDR "a=foo:\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_ATTRIBUTE, "foo:", 4);
    tp_reject(HDR "a=candidate 1 2\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_ATTRIBUTE, " 1 2", 0);
}

Test(sdp_attr, setup_media_level_overrides_session_level)
{
    const char *s = HDR "a=setup:passive\r\na=connection:existing\r\n"
                        "m=message 1 TCP/MSRP *\r\na=setup:active\r\n"
                        "m=message 2 TCP/MSRP *\r\n";
    emsec_sdp_error e;
    cr_assert_eq(tp_parse(s, &e), EMSEC_OK);
    cr_expect_eq(emsec_sdp_media_setup(&tp_sdp, 0), EMSEC_SDP_SETUP_ACTIVE);
    cr_expect_eq(emsec_sdp_media_setup(&tp_sdp, 1), EMSEC_SDP_SETUP_PASSIVE);
    cr_expect_eq(emsec_sdp_media_setup(&tp_sdp, 2), EMSEC_SDP_SETUP_NONE);
    cr_expect_eq(emsec_sdp_media_connection(&tp_sdp, 0), EMSEC_SDP_CONNVAL_EXISTING);
    cr_expect_eq(emsec_sdp_media_tls_id(&tp_sdp, 0), NULL);
    cr_expect_eq(emsec_sdp_find_attr(&tp_sdp, 1, EMSEC_SDP_ATTR_SETUP, 0), 2u);
    cr_expect_eq(emsec_sdp_find_attr(&tp_sdp, 2, EMSEC_SDP_ATTR_SETUP, 0), tp_sdp.attr_count);
}

/* ------------------------------------------------------------ H.248 mode */

Test(sdp_h248, choose_and_unspecified_in_address_port_and_values)
{
    const char *s = "v=0\r\nc=IN IP4 $\r\nm=audio $ RTP/AVP 4\r\na=ptime:30\r\n"
                    "a=setup:$\r\na=fingerprint:sha-256 $\r\na=foo:-\r\n";
    emsec_sdp_error e;
    cr_assert_eq(tp_parse_h248(s, &e), EMSEC_OK, "%s at %u", emsec_sdp_rule_name(e.rule),
                 e.offset);
    cr_expect_eq(tp_sdp.origin.present, 0u);
    cr_expect_eq(tp_sdp.has_session_name, 0u);
    cr_expect_eq(tp_sdp.has_time, 0u);
    cr_expect_eq(tp_sdp.conn.address_choice, EMSEC_SDP_CHOOSE);
    cr_expect_eq(tp_sdp.media[0].port_choice, EMSEC_SDP_CHOOSE);
    cr_expect(tp_is(s, tp_sdp.media[0].port, "$"));
    cr_expect_eq(tp_sdp.attrs[0].choice, EMSEC_SDP_VALUE);
    cr_expect_eq(tp_sdp.attrs[1].u.setup, EMSEC_SDP_SETUP_CHOOSE);
    cr_expect_eq(emsec_sdp_media_setup(&tp_sdp, 0), EMSEC_SDP_SETUP_CHOOSE);
    cr_expect_eq(tp_sdp.attrs[2].choice, EMSEC_SDP_CHOOSE);
    cr_expect_eq(tp_sdp.attrs[2].u.fingerprint.hash, EMSEC_SDP_HASH_SHA256);
    cr_expect_eq(tp_sdp.attrs[2].u.fingerprint.value.len, 0u);
    cr_expect_eq(tp_sdp.attrs[3].choice, EMSEC_SDP_UNSPECIFIED);

    const char *s2 = "v=0\r\no=- 2890844526 2890842807 IN IP4 -\r\ns=-\r\nc=IN IP4 -\r\n"
                     "t=0 0\r\nm=audio - RTP/AVP 4\r\na=connection:-\r\n";
    cr_assert_eq(tp_parse_h248(s2, &e), EMSEC_OK, "%s at %u", emsec_sdp_rule_name(e.rule),
                 e.offset);
    cr_expect_eq(tp_sdp.origin.address_choice, EMSEC_SDP_UNSPECIFIED);
    cr_expect_eq(tp_sdp.media[0].port_choice, EMSEC_SDP_UNSPECIFIED);
    cr_expect_eq(tp_sdp.attrs[0].u.connection, EMSEC_SDP_CONNVAL_UNSPECIFIED);
}

Test(sdp_h248, choose_is_refused_in_full_mode)
{
    tp_reject(HDR "m=audio $ RTP/AVP 4\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_CHOOSE, "$", 0);
    tp_reject(HDR "a=fingerprint:sha-256 -\r\n", 0, EMSEC_ERR_SYNTAX, EMSEC_SDP_RULE_CHOOSE,
              " -\r", 1);
    /* in full mode `$` as an address is an ordinary extn-addr, not CHOOSE */
    emsec_sdp_error e;
    cr_assert_eq(tp_parse(HDR "m=audio 9 RTP/AVP 4\r\nc=IN IP4 $\r\n", &e), EMSEC_OK);
    cr_expect_eq(tp_sdp.media[0].conn.address_choice, EMSEC_SDP_VALUE);
}

Test(sdp_h248, several_descriptions_are_walked_with_parse_from)
{
    const char *s = "v=0\r\nc=IN IP4 $\r\nm=audio $ RTP/AVP 4\r\na=ptime:30\r\n"
                    "v=0\r\nc=IN IP4 $\r\nm=audio $ RTP/AVP 0\r\n";
    const uint32_t len = (uint32_t)strlen(s);
    emsec_sdp_error e;
    cr_assert_eq(emsec_sdp_parse_from(&tp_sdp, EMSEC_SDP_MODE_H248, 0, (const uint8_t *)s, len,
                                      0, &e),
                 EMSEC_OK);
    cr_expect_eq(tp_sdp.has_next, 1u);
    cr_expect_eq(tp_sdp.next, (uint32_t)(strstr(s, "a=ptime:30\r\n") - s) + 12u);
    cr_expect_eq(tp_sdp.whole.len, tp_sdp.next);
    cr_expect(tp_is(s, tp_sdp.media[0].fmts, "4"));
    cr_assert_eq(emsec_sdp_parse_from(&tp_sdp2, EMSEC_SDP_MODE_H248, 0, (const uint8_t *)s, len,
                                      tp_sdp.next, &e),
                 EMSEC_OK);
    cr_expect_eq(tp_sdp2.has_next, 0u);
    cr_expect(tp_is(s, tp_sdp2.media[0].fmts, "0"));
    cr_expect_eq(tp_sdp2.whole.off, tp_sdp.next);
    cr_expect_eq(tp_sdp2.whole.off + tp_sdp2.whole.len, len);
}

Test(sdp_h248, order_still_applies_when_lines_are_optional)
{
    emsec_sdp_error e;
    cr_expect_eq(tp_parse_h248("v=0\r\nm=audio $ RTP/AVP 4\r\ns=x\r\n", &e), EMSEC_ERR_SYNTAX);
    cr_expect_eq(e.rule, EMSEC_SDP_RULE_LINE_ORDER);
    cr_expect_eq(tp_parse_h248("c=IN IP4 $\r\n", &e), EMSEC_ERR_SYNTAX);
    cr_expect_eq(e.rule, EMSEC_SDP_RULE_LINE_ORDER);
    cr_expect_eq(e.offset, 0u);
}

/* ------------------------------------------------------------ limits */

static char tp_big[1 << 16];

Test(sdp_limits, too_many_media_attrs_lines)
{
    emsec_sdp_error e;
    size_t n = (size_t)snprintf(tp_big, sizeof tp_big, "%s", HDR);
    uint32_t at = 0;
    for (uint32_t i = 0; i <= EMSEC_SDP_MAX_MEDIA; i++) {
        at = (uint32_t)n;
        n += (size_t)snprintf(tp_big + n, sizeof tp_big - n, "m=audio %u RTP/AVP 0\r\n", i);
    }
    cr_expect_eq(tp_parse(tp_big, &e), EMSEC_ERR_LIMIT);
    cr_expect_eq(e.rule, EMSEC_SDP_RULE_LIMIT_MEDIA);
    cr_expect_eq(e.offset, at);

    n = (size_t)snprintf(tp_big, sizeof tp_big, "%s", HDR);
    for (uint32_t i = 0; i <= EMSEC_SDP_MAX_ATTRS; i++) {
        at = (uint32_t)n;
        n += (size_t)snprintf(tp_big + n, sizeof tp_big - n, "a=x%u\r\n", i);
    }
    cr_expect_eq(tp_parse(tp_big, &e), EMSEC_ERR_LIMIT);
    cr_expect_eq(e.rule, EMSEC_SDP_RULE_LIMIT_ATTRS);
    cr_expect_eq(e.offset, at);

    n = (size_t)snprintf(tp_big, sizeof tp_big, "v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\n");
    for (uint32_t i = 0; i < EMSEC_SDP_MAX_LINES; i++) {
        if (i == EMSEC_SDP_MAX_LINES - 3u) { /* v, o, s and 125 t= fill the table */
            at = (uint32_t)n;
        }
        n += (size_t)snprintf(tp_big + n, sizeof tp_big - n, "t=0 0\r\n");
    }
    cr_expect_eq(tp_parse(tp_big, &e), EMSEC_ERR_LIMIT);
    cr_expect_eq(e.rule, EMSEC_SDP_RULE_LIMIT_LINES);
    cr_expect_eq(e.offset, at);
}

Test(sdp_limits, overlong_line_fails_at_the_same_offset_however_split)
{
    size_t n = (size_t)snprintf(tp_big, sizeof tp_big, "%s", HDR);
    const uint32_t line = (uint32_t)n;
    n += (size_t)snprintf(tp_big + n, sizeof tp_big - n, "a=x:");
    memset(tp_big + n, 'y', 9000);
    n += 9000;
    memcpy(tp_big + n, "\r\n", 3);
    n += 2;
    emsec_sdp_error e;
    cr_expect_eq(tp_parse(tp_big, &e), EMSEC_ERR_LIMIT);
    cr_expect_eq(e.rule, EMSEC_SDP_RULE_LIMIT_LINE_LEN);
    cr_expect_eq(e.offset, line + EMSEC_SDP_MAX_LINE_LEN);
    for (uint32_t k = line; k < n; k += 997) {
        emsec_sdp_parser ps;
        cr_assert_eq(emsec_sdp_parser_init(&ps, &tp_sdp2, EMSEC_SDP_MODE_FULL, 0), EMSEC_OK);
        emsec_result r = emsec_sdp_feed(&ps, (const uint8_t *)tp_big, k);
        if (r == EMSEC_OK) {
            r = emsec_sdp_finish(&ps, (const uint8_t *)tp_big, (uint32_t)n);
        }
        cr_expect_eq(r, EMSEC_ERR_LIMIT, "split %u", k);
        cr_expect_eq(emsec_sdp_last_error(&ps).offset, line + EMSEC_SDP_MAX_LINE_LEN);
    }
    /* exactly MAX_LINE_LEN bytes, line end included, is fine */
    n = (size_t)snprintf(tp_big, sizeof tp_big, "%s", HDR);
    n += (size_t)snprintf(tp_big + n, sizeof tp_big - n, "a=x:");
    memset(tp_big + n, 'y', EMSEC_SDP_MAX_LINE_LEN - 6u);
    n += EMSEC_SDP_MAX_LINE_LEN - 6u;
    memcpy(tp_big + n, "\r\n", 3);
    cr_expect_eq(tp_parse(tp_big, &e), EMSEC_OK);
}

/* ------------------------------------------------------------ API behaviour */

Test(sdp_api, failure_is_absorbing_until_reinit)
{
    const char *bad = "v=1\r\n";
    const char *good = HDR;
    emsec_sdp_parser ps;
    cr_assert_eq(emsec_sdp_parser_init(&ps, &tp_sdp, EMSEC_SDP_MODE_FULL, 0), EMSEC_OK);
    cr_expect_eq(emsec_sdp_feed(&ps, (const uint8_t *)bad, 5), EMSEC_ERR_SYNTAX);
    cr_expect_eq(emsec_sdp_feed(&ps, (const uint8_t *)bad, 5), EMSEC_ERR_FAILED_BEFORE);
    cr_expect_eq(emsec_sdp_finish(&ps, (const uint8_t *)bad, 5), EMSEC_ERR_FAILED_BEFORE);
    cr_expect_eq(emsec_sdp_last_error(&ps).offset, 2u);
    cr_expect_eq(emsec_sdp_last_error(&ps).rule, EMSEC_SDP_RULE_VERSION);
    cr_assert_eq(emsec_sdp_parser_init(&ps, &tp_sdp, EMSEC_SDP_MODE_FULL, 0), EMSEC_OK);
    cr_expect_eq(emsec_sdp_finish(&ps, (const uint8_t *)good, (uint32_t)strlen(good)), EMSEC_OK);
    cr_expect_eq(emsec_sdp_last_error(&ps).rule, EMSEC_SDP_RULE_NONE);
}

Test(sdp_api, bad_arguments_are_refused)
{
    emsec_sdp_parser ps;
    cr_expect_eq(emsec_sdp_parser_init(&ps, &tp_sdp, (emsec_sdp_mode)7, 0), EMSEC_ERR_ARGUMENT);
    cr_expect_eq(emsec_sdp_feed(&ps, NULL, 0), EMSEC_ERR_FAILED_BEFORE);
    cr_expect_eq(emsec_sdp_parser_init(&ps, &tp_sdp, EMSEC_SDP_MODE_FULL, 0x100u),
                 EMSEC_ERR_ARGUMENT);
    cr_assert_eq(emsec_sdp_parser_init(&ps, &tp_sdp, EMSEC_SDP_MODE_FULL, 0), EMSEC_OK);
    cr_expect_eq(emsec_sdp_feed(&ps, (const uint8_t *)"v=0\r\n", 5), EMSEC_OK);
    cr_expect_eq(emsec_sdp_feed(&ps, (const uint8_t *)"v=0\r\n", 3), EMSEC_ERR_ARGUMENT);
    emsec_sdp_error e;
    cr_expect_eq(emsec_sdp_parse_from(&tp_sdp, EMSEC_SDP_MODE_FULL, 0, (const uint8_t *)"v", 1, 2,
                                      &e),
                 EMSEC_ERR_ARGUMENT);
}

Test(sdp_api, names_are_never_null)
{
    /* every value and a few past the end: the name's contract
     * (include/emsec/sdp.h, assumed by the gateway core's proofs) */
    for (int r = 0; r <= (int)EMSEC_SDP_RULE__COUNT + 8; r++) {
        cr_assert_not_null(emsec_sdp_rule_name((emsec_sdp_rule)r));
        cr_expect_lt(strlen(emsec_sdp_rule_name((emsec_sdp_rule)r)), (size_t)EMSEC_SDP_NAME_MAX,
                     "rule %d", r);
        if (r < (int)EMSEC_SDP_RULE__COUNT) {
            cr_expect_str_neq(emsec_sdp_rule_name((emsec_sdp_rule)r), "?", "rule %d", r);
        }
    }
    cr_expect_str_eq(emsec_sdp_rule_name(EMSEC_SDP_RULE__COUNT), "?");
    cr_expect_str_eq(emsec_sdp_proto_name(EMSEC_SDP_PROTO__COUNT), "?");
    for (int r = 0; r <= 8; r++) {
        cr_expect_not_null(emsec_result_name((emsec_result)r));
    }
}

/* Every attribute kind in one description, fed split at every boundary and
 * byte by byte: the parsed form is identical to the one-shot one. */
Test(sdp_api, split_feeding_gives_identical_results)
{
    const char *s = "v=0\r\no=- 1 2 IN IP4 a.example.com\r\ns=x\r\nc=IN IP4 192.0.2.1\r\n"
                    "t=0 0\r\na=fingerprint:sha-256 " FP256 "\r\n"
                    "m=message 7394 TCP/TLS/MSRP *\r\na=setup:actpass\r\na=connection:new\r\n"
                    "a=tls-id:abc3de65cddef001be82\r\n"
                    "a=path:msrps://a.example.com:7394/2s93i9ek2a;tcp msrp://b/c;tcp\r\n"
                    "a=accept-types:text/plain message/cpim\r\na=msrp-cema\r\n"
                    "a=key-mgmt:mikey AQAF\r\n"
                    "m=application 5000 TCP/TLS/BFCP *\na=floorctrl:c-s\na=confid:1\n"
                    "a=userid:2\na=floorid:3 mstrm:4\na=bfcpver:1\n";
    const uint32_t n = (uint32_t)strlen(s);
    emsec_sdp_error e;
    memset(&tp_sdp, 0, sizeof tp_sdp);
    cr_assert_eq(tp_parse(s, &e), EMSEC_OK, "%s at %u", emsec_sdp_rule_name(e.rule), e.offset);
    for (uint32_t k = 0; k <= n; k++) {
        emsec_sdp_parser ps;
        memset(&tp_sdp2, 0, sizeof tp_sdp2);
        cr_assert_eq(emsec_sdp_parser_init(&ps, &tp_sdp2, EMSEC_SDP_MODE_FULL, 0), EMSEC_OK);
        cr_assert_eq(emsec_sdp_feed(&ps, (const uint8_t *)s, k), EMSEC_OK);
        cr_assert_eq(emsec_sdp_finish(&ps, (const uint8_t *)s, n), EMSEC_OK);
        cr_assert(memcmp(&tp_sdp, &tp_sdp2, sizeof tp_sdp) == 0, "split at %u differs", k);
    }
    emsec_sdp_parser ps;
    memset(&tp_sdp2, 0, sizeof tp_sdp2);
    cr_assert_eq(emsec_sdp_parser_init(&ps, &tp_sdp2, EMSEC_SDP_MODE_FULL, 0), EMSEC_OK);
    for (uint32_t k = 0; k <= n; k++) {
        cr_assert_eq(emsec_sdp_feed(&ps, (const uint8_t *)s, k), EMSEC_OK);
    }
    cr_assert_eq(emsec_sdp_finish(&ps, (const uint8_t *)s, n), EMSEC_OK);
    cr_assert(memcmp(&tp_sdp, &tp_sdp2, sizeof tp_sdp) == 0, "byte by byte differs");
}

/* emsec_sdp_parse_text is emsec_sdp_parse over the same bytes: the same
 * result, parsed form and error, accepted or not. */
Test(sdp_api, parse_text_is_parse_of_the_same_bytes)
{
    static const char *const inputs[] = {
        HDR "m=message 9 TCP/TLS/MSRP *\r\nc=IN IP4 192.0.2.9\r\na=setup:active\r\n",
        "v=0\r\nc=IN IP4 $\r\nm=message $ TCP/MSRP *\r\na=setup:$\r\n",
        "v=0\r\nm=message 9 TCP/MSRP *\r\na=setup:sideways\r\n",
        "v=1\r\n",
        "",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        for (int mode = 0; mode < 2; mode++) {
            emsec_sdp_mode m = mode ? EMSEC_SDP_MODE_H248 : EMSEC_SDP_MODE_FULL;
            uint32_t len = (uint32_t)strlen(inputs[i]);
            emsec_sdp_error e1 = { 99u, EMSEC_SDP_RULE_INPUT }, e2 = { 98u, EMSEC_SDP_RULE_NONE };
            memset(&tp_sdp, 0xa5, sizeof tp_sdp);
            memset(&tp_sdp2, 0x5a, sizeof tp_sdp2);
            emsec_result r1 = emsec_sdp_parse(&tp_sdp, m, 0u, (const uint8_t *)inputs[i], len, &e1);
            emsec_result r2 = emsec_sdp_parse_text(&tp_sdp2, m, 0u, inputs[i], len, &e2);
            cr_expect_eq(r1, r2, "input %zu mode %d", i, mode);
            cr_expect_eq(e1.offset, e2.offset, "input %zu mode %d", i, mode);
            cr_expect_eq(e1.rule, e2.rule, "input %zu mode %d", i, mode);
            if (r1 == EMSEC_OK) {
                char why[256];
                cr_expect(sdp_equal(&tp_sdp, (const uint8_t *)inputs[i], len, &tp_sdp2,
                                    (const uint8_t *)inputs[i], len, SDP_EQ_SAME_OFFSETS, why,
                                    sizeof why),
                          "input %zu mode %d: %s", i, mode, why);
            }
        }
    }
}
