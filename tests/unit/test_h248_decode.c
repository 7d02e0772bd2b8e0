/*
 * H.248 decoder and encoder on hand-written messages: every item form the
 * corpus lacks (versions 2 and 3, prefixes, authentication, every mId form,
 * property value forms), every rule a bad message can break (each at its
 * offset), every limit, and the error reply.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "emsec/h248.h"

#define ARENA 512u

static emsec_h248_node nodes[ARENA], nodes2[ARENA];
static char out[65536];

static emsec_result dec(const char *text, emsec_h248_msg *m, emsec_h248_error *e)
{
    return emsec_h248_decode(m, text, (uint32_t)strlen(text), true, nodes, ARENA, e);
}

/* Decode, then check decode(encode(x)) == x in both styles. */
static void ok(const char *text)
{
    emsec_h248_msg m, m2;
    emsec_h248_error e;
    emsec_result r = dec(text, &m, &e);
    cr_assert_eq(r, EMSEC_OK, "%s at %u (%s) in:\n%s", emsec_result_name(r), e.offset,
                 emsec_h248_rule_name(e.rule), text);
    for (int s = EMSEC_H248_COMPACT; s <= EMSEC_H248_PRETTY; s++) {
        uint32_t n = 0u;
        cr_assert_eq(emsec_h248_encode(&m, text, (emsec_h248_style)s, 0u, out, sizeof out, &n), EMSEC_OK);
        r = emsec_h248_decode(&m2, out, n, true, nodes2, ARENA, &e);
        cr_assert_eq(r, EMSEC_OK, "re-decode: %s at %u (%s):\n%.*s", emsec_result_name(r), e.offset,
                     emsec_h248_rule_name(e.rule), (int)n, out);
        cr_assert(emsec_h248_equal(&m, text, &m2, out), "decode(encode) differs:\n%.*s", (int)n, out);
    }
}

static void bad(const char *text, emsec_result want, emsec_h248_rule rule, const char *at)
{
    emsec_h248_msg m;
    emsec_h248_error e;
    emsec_result r = dec(text, &m, &e);
    /* an empty marker means "at the end of the message" */
    const char *p = at[0] == '\0' ? text + strlen(text) : strstr(text, at);
    cr_assert_not_null(p, "marker '%s' not in the message", at);
    cr_assert_eq(r, want, "want %s, got %s (%s at %u) in:\n%s", emsec_result_name(want), emsec_result_name(r),
                 emsec_h248_rule_name(e.rule), e.offset, text);
    cr_assert_eq(e.rule, rule, "want rule %s, got %s at %u in:\n%s", emsec_h248_rule_name(rule),
                 emsec_h248_rule_name(e.rule), e.offset, text);
    cr_assert_eq(e.offset, (uint32_t)(p - text), "want offset %u, got %u in:\n%s", (unsigned)(p - text),
                 e.offset, text);
}

#define HDR1 "MEGACO/1 [10.0.0.1]:2944\n"
#define HDR3 "MEGACO/3 [10.0.0.1]:2944\n"

Test(h248_decode, mid_forms)
{
    static const struct { const char *text; uint8_t kind; const char *addr; const char *port; } cases[] = {
        { "MEGACO/1 [10.0.0.1]:2944 T=1{C=-{N=ROOT{OE=1{g/sc}}}}", EMSEC_H248_MID_IP4, "10.0.0.1", "2944" },
        { "MEGACO/1 [::1]:2944 T=1{C=-{N=ROOT{OE=1{g/sc}}}}", EMSEC_H248_MID_IP6, "::1", "2944" },
        /* B.2 IPv6address = hexpart [":" IPv4address]: the IPv4 tail follows a hexseq */
        { "MEGACO/1 [::ffff:10.0.0.1] T=1{C=-{N=ROOT{OE=1{g/sc}}}}", EMSEC_H248_MID_IP6, "::ffff:10.0.0.1", "" },
        { "MEGACO/1 <mgw.example.net>:55555 T=1{C=-{N=ROOT{OE=1{g/sc}}}}", EMSEC_H248_MID_DOMAIN, "mgw.example.net", "55555" },
        { "MEGACO/1 MTP{0A0B} T=1{C=-{N=ROOT{OE=1{g/sc}}}}", EMSEC_H248_MID_MTP, "0A0B", "" },
        { "!/1 mgw1/unit2@site T=1{C=-{N=ROOT{OE=1{g/sc}}}}", EMSEC_H248_MID_DEVICE, "mgw1/unit2@site", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        emsec_h248_msg m;
        emsec_h248_error e;
        cr_assert_eq(dec(cases[i].text, &m, &e), EMSEC_OK, "%s", cases[i].text);
        cr_assert_eq(m.mid_kind, cases[i].kind, "%s", cases[i].text);
        cr_assert_eq(m.mid_addr.len, strlen(cases[i].addr), "%s", cases[i].text);
        cr_assert_eq(memcmp(cases[i].text + m.mid_addr.off, cases[i].addr, m.mid_addr.len), 0);
        cr_assert_eq(m.mid_port.len, strlen(cases[i].port), "%s", cases[i].text);
        ok(cases[i].text);
    }
}

Test(h248_decode, authentication_header)
{
    const char *t = "AU=0x01020304:0x00000001:0x0102030405060708090a0b0c\n" HDR1 "T=7{C=1{N=T1{OE=2{g/sc}}}}";
    emsec_h248_msg m;
    emsec_h248_error e;
    cr_assert_eq(dec(t, &m, &e), EMSEC_OK);
    cr_assert(m.has_auth);
    ok(t);
    bad("AU=0x0102:0x00000001:0x0102030405060708090a0b0c\n" HDR1 "T=7{C=1{N=T1{OE=2{g/sc}}}}",
        EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_AUTH, "0x0102:");
}

Test(h248_decode, command_prefixes_and_case)
{
    emsec_h248_msg m;
    emsec_h248_error e;
    const char *t = HDR1 "transaction=5{context=$ {o-add=$ {media{stream=1{localcontrol{mode=sendreceive}}}},"
                         "W-SUBTRACT=tcp/*, O-W-Modify=t1{Events=3{tcpbcc/ef}}}}";
    cr_assert_eq(dec(t, &m, &e), EMSEC_OK, "%s at %u", emsec_h248_rule_name(e.rule), e.offset);
    uint32_t ctx = m.nodes[m.nodes[0].child].child;
    uint32_t add = m.nodes[ctx].child;
    cr_assert_eq(m.nodes[add].item, EMSEC_H248_TOK_ADD);
    cr_assert_eq(m.nodes[add].flags & (EMSEC_H248_F_OPTIONAL | EMSEC_H248_F_WILDCARD), EMSEC_H248_F_OPTIONAL);
    uint32_t sub = m.nodes[add].next;
    cr_assert_eq(m.nodes[sub].item, EMSEC_H248_TOK_SUBTRACT);
    cr_assert_eq(m.nodes[sub].flags, EMSEC_H248_F_WILDCARD);
    uint32_t mod = m.nodes[sub].next;
    cr_assert_eq(m.nodes[mod].flags, EMSEC_H248_F_OPTIONAL | EMSEC_H248_F_WILDCARD);
    ok(t);
    /* "W-O-" is not the B.2 order ["O-"] ["W-"] */
    bad(HDR1 "T=5{C=${W-O-Add=${M{O{MO=SR}}}}}", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_TOKEN, "W-O-Add");
}

Test(h248_decode, property_value_forms)
{
    const char *t = HDR1 "T=9{C=1{MF=t1{M{O{tlsbsc/role=client, a/b=\"quoted text, with ; and {}\","
                         "a/c=[1,2,3], a/d={x,y}, a/e=[1:10], a/f#0, a/g>5, a/h<7, ReservedValue=ON}}}}}";
    emsec_h248_msg m;
    emsec_h248_error e;
    cr_assert_eq(dec(t, &m, &e), EMSEC_OK, "%s at %u", emsec_h248_rule_name(e.rule), e.offset);
    ok(t);
    /* a range needs exactly two values */
    bad(HDR1 "T=9{C=1{MF=t1{M{O{a/e=[1:10:11]}}}}}", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_VALUE, ":11]");
    /* a quotedString holds no line end */
    bad(HDR1 "T=9{C=1{MF=t1{M{O{a/b=\"x\ny\"}}}}}", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_QUOTED, "\ny\"");
    /* Mode takes only the five stream modes */
    bad(HDR1 "T=9{C=1{MF=t1{M{O{MO=sideways}}}}}", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_VALUE, "sideways");
}

Test(h248_decode, version_3_items)
{
    const char *t = HDR3 "P=12/1{C=5{CT{a/x=1}, IEPS=ON, PR=3, EG, A=t1}}\n"
                         "P=12/2/END{C=5{A=t2}}\nSM=12/3/&\nK{1-5, 7}\nPN=13{}";
    ok(t);
    /* the same items in a version 1 message are refused */
    bad(HDR1 "P=12/1{C=5{A=t1}}", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_TOKEN_VERSION, "/1{");
    bad(HDR1 "T=1{C=5{IEPS=ON, A=t1}}", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_TOKEN_VERSION, "IEPS");
}

Test(h248_decode, encoder_refuses_a_version_too_old)
{
    const char *t = HDR3 "T=1{C=5{IEPS=ON, A=t1}}";
    emsec_h248_msg m;
    emsec_h248_error e;
    uint32_t n = 0u;
    cr_assert_eq(dec(t, &m, &e), EMSEC_OK);
    cr_assert_eq(emsec_h248_encode(&m, t, EMSEC_H248_COMPACT, 1u, out, sizeof out, &n), EMSEC_ERR_REFUSED);
    cr_assert_eq(emsec_h248_encode(&m, t, EMSEC_H248_COMPACT, 3u, out, sizeof out, &n), EMSEC_OK);
    cr_assert_eq(emsec_h248_encode(&m, t, EMSEC_H248_COMPACT, 3u, out, 10u, &n), EMSEC_ERR_NO_SPACE);
}

Test(h248_decode, local_remote_and_digitmap)
{
    const char *t = HDR1 "T=2{C=${A=${M{ST=1{L{\n  v=0\r\nc=IN IP4 $\r\nm=message $ TCP/TLS/MSRP *\r\n"
                         "a=setup:actpass\r\na=fingerprint:sha-256 $\r\na=x:\\}\r\n  },"
                         "R{v=0\nc=IN IP4 192.0.2.1\nm=message 7394 TCP/MSRP *\n}}},"
                         "DM=dp1{T:4, S:2, (0|00|[1-7]xxx|8xxxxxxx|9011x.)}}}}";
    emsec_h248_msg m;
    emsec_h248_error e;
    cr_assert_eq(dec(t, &m, &e), EMSEC_OK, "%s at %u", emsec_h248_rule_name(e.rule), e.offset);
    ok(t);
    /* find Local: its text starts at "v=0" (leading white space is LBRKT's) and keeps "\}" */
    uint32_t i = 0u;
    for (uint32_t k = 1u; k < m.count; k++)
        if (m.nodes[k].item == EMSEC_H248_TOK_LOCAL)
            i = k;
    cr_assert_neq(i, 0u);
    cr_assert_eq(memcmp(t + m.nodes[i].text.off, "v=0\r\n", 5), 0);
    bool escaped = false;
    for (uint32_t k = 0u; k + 6u <= m.nodes[i].text.len; k++)
        escaped |= memcmp(t + m.nodes[i].text.off + k, "a=x:\\}", 6) == 0;
    cr_assert(escaped, "the \\} escape is kept in Local's text");
    bad(HDR1 "T=2{C=${A=${DM=dp1{(0|[1-7]xx|y)}}}}", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_DIGITMAP, "(0|");
    bad(HDR1 "T=2{C=${A=${M{L{v=0\n", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_OCTETS, "");
}

Test(h248_decode, comments_anywhere_lwsp_is)
{
    ok(HDR1 "; a comment\nT = 3 ; another\n { C = - { N = ROOT ; here\n { OE = 1 { g/sc } } } }\n; last\n");
    bad(HDR1 "T=3{C=-{N=ROOT{OE=1{g/sc}}}} ; no line end", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_COMMENT, "; no");
}

Test(h248_decode, errors_and_offsets)
{
    bad("MEGACO/4 [10.0.0.1] T=1{C=-{A=t1}}", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_VERSION, "4 [");
    bad("MEGAC0/1 [10.0.0.1] T=1{C=-{A=t1}}", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_HEADER, "MEGAC0");
    bad("MEGACO/1 [10.0.0.1]T=1{C=-{A=t1}}", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_MID, "T=1");
    bad("MEGACO/1 [10.0.0.1]:99999 T=1{C=-{A=t1}}", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_MID, "99999");
    bad(HDR1, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_EMPTY, "");
    bad(HDR1 "T=1{C=-{A=t1,}}", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_TOKEN, "}}");
    bad(HDR1 "T=1{C=-{A=t1 S=t2}}", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_RBRKT, "S=t2");
    bad(HDR1 "T=1{C=-{Mode=t1}}", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_TOKEN, "Mode");
    bad(HDR1 "T=99999999999{C=-{A=t1}}", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_VALUE, "99999999999");
    bad(HDR1 "T=1{C=-{A t1}}", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_EQUAL, "t1}");
    bad(HDR1 "T=1{C=-{A=t1{M}}}", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_BODY_REQUIRED, "}}}");
    bad(HDR1 "T=1{C=-{A=t1{E=1{al/of{Stream=1{}}}}}}", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_LBRKT, "{}}");
    bad(HDR1 "T=1{C=-{A=#bad}}", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_VALUE, "#bad");
    bad(HDR1 "T=1{C=-{A=9abc}}", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_TERMID, "9abc");
    bad(HDR1 "ER=400{\"bad\"}\nT=1{C=-{A=t1}}", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_TRAILING, "T=1");
    bad(HDR1 "T=1{C=-{A=t1}}\x01", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_TOKEN, "\x01");
    bad(HDR1 "T=1{C=-{N=t1{OE=1{al/of(x=1)}}}}", EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_PKGDNAME, "(x=1)");
}

Test(h248_decode, incomplete_until_final)
{
    const char *t = HDR1 "T=1{C=-{A=t1}}";
    emsec_h248_msg m;
    emsec_h248_error e;
    for (uint32_t k = 0u; k <= strlen(t); k++) {
        emsec_result r = emsec_h248_decode(&m, t, k, false, nodes, ARENA, &e);
        cr_assert_eq(r, EMSEC_ERR_INCOMPLETE, "prefix %u: %s", k, emsec_result_name(r));
    }
    cr_assert_eq(emsec_h248_decode(&m, t, (uint32_t)strlen(t) - 1u, true, nodes, ARENA, &e), EMSEC_ERR_SYNTAX);
    cr_assert_eq(e.rule, EMSEC_H248_RULE_RBRKT);
}

Test(h248_decode, limits)
{
    static char big[70000];
    emsec_h248_msg m;
    emsec_h248_error e;
    /* message size */
    memset(big, ' ', sizeof big);
    cr_assert_eq(emsec_h248_decode(&m, big, EMSEC_H248_MAX_MESSAGE + 1u, true, nodes, ARENA, &e), EMSEC_ERR_LIMIT);
    cr_assert_eq(e.rule, EMSEC_H248_RULE_LIMIT_MESSAGE);
    /* depth: the grammar itself nests at most 11 levels, so the depth limit
     * is met only through it; nodes: a small arena */
    const char *t = HDR1 "T=1{C=-{A=t1{M{ST=1{O{a/b=1}}}}}}";
    cr_assert_eq(emsec_h248_decode(&m, t, (uint32_t)strlen(t), true, nodes, 4u, &e), EMSEC_ERR_LIMIT);
    cr_assert_eq(e.rule, EMSEC_H248_RULE_LIMIT_NODES);
    /* list length */
    int n = snprintf(big, sizeof big, HDR1 "T=1{C=-{A=t1{M{ST=1{O{");
    for (unsigned i = 0; i <= EMSEC_H248_MAX_LIST; i++)
        n += snprintf(big + n, sizeof big - (size_t)n, "%sa/p%u=1", i ? "," : "", i);
    n += snprintf(big + n, sizeof big - (size_t)n, "}}}}}}");
    static emsec_h248_node many[2048];
    cr_assert_eq(emsec_h248_decode(&m, big, (uint32_t)n, true, many, 2048u, &e), EMSEC_ERR_LIMIT);
    cr_assert_eq(e.rule, EMSEC_H248_RULE_LIMIT_LIST);
    /* token length */
    n = snprintf(big, sizeof big, HDR1 "T=1{C=-{A=t");
    memset(big + n, 'x', 300);
    n += 300;
    n += snprintf(big + n, sizeof big - (size_t)n, "}}");
    cr_assert_eq(emsec_h248_decode(&m, big, (uint32_t)n, true, nodes, ARENA, &e), EMSEC_ERR_LIMIT);
    cr_assert_eq(e.rule, EMSEC_H248_RULE_LIMIT_TOKEN);
    /* arguments */
    cr_assert_eq(emsec_h248_decode(NULL, t, 1u, true, nodes, ARENA, &e), EMSEC_ERR_ARGUMENT);
    cr_assert_eq(emsec_h248_decode(&m, t, 1u, true, nodes, 0u, &e), EMSEC_ERR_ARGUMENT);
}

Test(h248_decode, error_reply_for_a_bad_transaction)
{
    const char *t = HDR1 "Transaction = 4711 { Context = - { Add = t1 { Media { Mode = x } } } }";
    emsec_h248_msg m;
    emsec_h248_error e;
    uint32_t n = 0u;
    cr_assert_eq(dec(t, &m, &e), EMSEC_ERR_SYNTAX);
    cr_assert(e.has_transaction_id);
    cr_assert_eq(e.transaction_id, 4711u);
    cr_assert_eq(emsec_h248_error_reply(&e, "[127.0.0.1]:2944", 1u, out, sizeof out, &n), EMSEC_OK);
    out[n] = '\0';
    cr_assert_not_null(strstr(out, "Reply = 4711 {"), "%s", out);
    cr_assert_not_null(strstr(out, "Error = 400 {\"Syntax error in message"), "%s", out);
    /* the reply is itself a valid message */
    emsec_h248_msg r;
    cr_assert_eq(emsec_h248_decode(&r, out, n, true, nodes2, ARENA, &e), EMSEC_OK, "%s", out);
    /* no TransactionID read: a message-level Error */
    cr_assert_eq(dec("MEGACO/1 [10.0.0.1] Transaction = x", &m, &e), EMSEC_ERR_SYNTAX);
    cr_assert(!e.has_transaction_id);
    cr_assert_eq(emsec_h248_error_reply(&e, "[127.0.0.1]:2944", 1u, out, sizeof out, &n), EMSEC_OK);
    out[n] = '\0';
    cr_assert_null(strstr(out, "Reply"), "%s", out);
    cr_assert_eq(emsec_h248_decode(&r, out, n, true, nodes2, ARENA, &e), EMSEC_OK, "%s", out);
    cr_assert_eq(emsec_h248_error_reply(&e, "not a mid!", 1u, out, sizeof out, &n), EMSEC_ERR_ARGUMENT);
}

Test(h248_decode, token_lookup)
{
    cr_assert_eq(emsec_h248_token_of("TransactionResponseAck", 22u), EMSEC_H248_TOK_RESPONSEACK);
    cr_assert_eq(emsec_h248_token_of("k", 1u), EMSEC_H248_TOK_RESPONSEACK);
    cr_assert_eq(emsec_h248_token_of("SENDRECEIVE", 11u), EMSEC_H248_TOK_SENDRECV);
    cr_assert_eq(emsec_h248_token_of("nope", 4u), EMSEC_H248_TOK_NONE);
    cr_assert_str_eq(emsec_h248_token_name(EMSEC_H248_TOK_LOCALCONTROL, true), "O");
    cr_assert_str_eq(emsec_h248_token_name(EMSEC_H248_TOK_LOCALCONTROL, false), "LocalControl");
    cr_assert_str_eq(emsec_h248_token_name(0u, false), "?");
    /* every token's two spellings map back to it */
    for (uint16_t t = 1u; t < EMSEC_H248_TOK_COUNT; t++) {
        const char *l = emsec_h248_token_name(t, false), *s = emsec_h248_token_name(t, true);
        cr_assert_eq(emsec_h248_token_of(l, (uint32_t)strlen(l)), t, "%s", l);
        cr_assert_eq(emsec_h248_token_of(s, (uint32_t)strlen(s)), t, "%s", s);
    }
}
