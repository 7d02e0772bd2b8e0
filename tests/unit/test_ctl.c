/*
 * The controller module (include/emsec/ctl.h, core/ctl_*.c): offer/answer
 * pairs -> the H.248 transactions and the SDP towards the UE, written out
 * here in full for the e2ae MSRP call, by their decisive lines for the
 * others; the authorization refusals (no fingerprint, PSK not resolved);
 * the gateway's replies and Notify as emsecd writes them (captured from a
 * run of emsecd, fingerprints and paths shortened).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "emsec/ctl.h"

static emsec_ctl_session s;
static emsec_h248_node nodes[512];
static char out[8192];
static uint32_t n;

#define MID "[127.0.0.1]:2945"
#define FP_UE "19:E2:1C:3B:4B:9F:81:E6:B8:5C:F4:A5:A8:D8:73:04:BB:05:2F:70:9F:04:A9:0E:05:E9:26:33:E8:70:88:A2"
#define FP_GW "6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08"

/* tests/demo/ctl-msrp-offer.sdp.in with the UE active on port 9 */
static const char offer_msrp[] =
    "v=0\r\no=ue 2890844526 2890844527 IN IP4 127.0.0.1\r\ns= -\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=message 9 TCP/TLS/MSRP *\r\na=setup:active\r\na=fingerprint:sha-256 " FP_UE "\r\n"
    "a=accept-types:text/plain\r\na=path:msrps://127.0.0.1:9/ue1;tcp\r\n";
/* tests/demo/ctl-msrp-answer-plain.sdp.in, the core peer on port 7000 */
static const char answer_plain[] =
    "v=0\r\no=as 2890844600 2890844600 IN IP4 127.0.0.1\r\ns= -\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=message 7000 TCP/MSRP *\r\na=setup:passive\r\na=accept-types:text/plain\r\n"
    "a=path:msrp://127.0.0.1:7000/as1;tcp\r\n";
static const char answer_tls[] =
    "v=0\r\no=far 1 1 IN IP4 127.0.0.1\r\ns= -\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=message 7000 TCP/TLS/MSRP *\r\na=setup:passive\r\na=fingerprint:sha-256 " FP_GW "\r\n"
    "a=path:msrps://127.0.0.1:7000/far1;tcp\r\na=msrp-cema\r\n";

/* emsecd's reply to the e2ae Add (captured; path ids shortened) */
static const char add_reply[] =
    "MEGACO/1 [127.0.0.1]:2944\nReply = 1 {\n    Context = 1 {\n        Add = tcp/1 {\n"
    "            Media {\n                Stream = 1 {\n                    Local {\n"
    "v=0\nc=IN IP4 127.0.0.1\nm=message 40000 TCP/TLS/MSRP *\na=setup:passive\n"
    "a=fingerprint:sha-256 " FP_GW "\na=path:msrps://127.0.0.1:40000/08e5;tcp\n"
    "                    }\n                }\n            }\n        },\n"
    "        Add = tcp/2 {\n            Media {\n                Stream = 1 {\n"
    "                    Local {\nv=0\nc=IN IP4 127.0.0.1\nm=message 40001 TCP/MSRP *\n"
    "a=setup:actpass\na=path:msrp://127.0.0.1:40001/bba6;tcp\n"
    "                    }\n                }\n            }\n        }\n    }\n}\n";

static const char expected_add[] =
    "MEGACO/1 " MID "\n"
    "Transaction = 1 {\n"
    "    Context = $ {\n"
    "        Add = $ {\n"
    "            Media {\n"
    "                Stream = 1 {\n"
    "                    Remote {\n"
    "v=0\nc=IN IP4 127.0.0.1\nm=message 9 TCP/TLS/MSRP *\na=setup:active\n"
    "a=fingerprint:sha-256 " FP_UE "\na=accept-types:text/plain\n"
    "a=path:msrps://127.0.0.1:9/ue1;tcp\n"
    "                    },\n"
    "                    Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\na=setup:$\n"
    "a=fingerprint:sha-256 $\na=path:$\n"
    "                    }\n"
    "                }\n"
    "            },\n"
    "            Events = 1 { tlsbsc/ef, tlsbsc/rel, tcpbcc/ef, tcpbcc/rel }\n"
    "        },\n"
    "        Add = $ {\n"
    "            Media {\n"
    "                Stream = 1 {\n"
    "                    Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/MSRP *\na=setup:$\na=path:$\n"
    "                    }\n"
    "                }\n"
    "            },\n"
    "            Events = 2 { tcpbcc/ef, tcpbcc/rel }\n"
    "        }\n"
    "    }\n"
    "}\n";

static const char expected_modify[] =
    "MEGACO/1 " MID "\n"
    "Transaction = 2 {\n"
    "    Context = 1 {\n"
    "        Modify = tcp/2 {\n"
    "            Media {\n"
    "                Stream = 1 {\n"
    "                    Remote {\n"
    "v=0\nc=IN IP4 127.0.0.1\nm=message 7000 TCP/MSRP *\na=setup:passive\n"
    "a=accept-types:text/plain\na=path:msrp://127.0.0.1:7000/as1;tcp\n"
    "                    }\n"
    "                }\n"
    "            }\n"
    "        }\n"
    "    }\n"
    "}\n";

/* The far end's answer, with the gateway's address, port, setup,
 * fingerprint and path on the MSRP line (RFC 8122 §5, RFC 4975 §9). */
static const char expected_ue_sdp[] =
    "v=0\r\no=as 2890844600 2890844600 IN IP4 127.0.0.1\r\ns= -\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=message 40000 TCP/TLS/MSRP *\r\nc=IN IP4 127.0.0.1\r\na=setup:passive\r\n"
    "a=fingerprint:sha-256 " FP_GW "\r\na=path:msrps://127.0.0.1:40000/08e5;tcp\r\n"
    "a=accept-types:text/plain\r\n";

static emsec_result begin(emsec_ctl_mode mode, const char *offer)
{
    return emsec_ctl_begin(&s, mode, offer, (uint32_t)strlen(offer), NULL, 0u, NULL);
}

static void set_up_e2ae(void)
{
    cr_assert_eq(begin(EMSEC_CTL_E2AE, offer_msrp), EMSEC_OK, "%s", s.why);
    cr_assert_eq(emsec_ctl_write_add(&s, offer_msrp, sizeof offer_msrp - 1u, MID, 1u, out, sizeof out, &n), EMSEC_OK);
    cr_assert_eq(emsec_ctl_on_add_reply(&s, offer_msrp, sizeof offer_msrp - 1u, add_reply,
                                        sizeof add_reply - 1u, nodes, 512u), EMSEC_OK, "%s", s.why);
}

Test(ctl, e2ae_msrp_whole_call)
{
    cr_assert_eq(begin(EMSEC_CTL_E2AE, offer_msrp), EMSEC_OK, "%s", s.why);
    cr_assert_eq(s.kind, EMSEC_KIND_MSRP);
    cr_assert_eq(emsec_ctl_write_add(&s, offer_msrp, sizeof offer_msrp - 1u, MID, 1u, out, sizeof out, &n), EMSEC_OK);
    cr_assert_eq(n, strlen(expected_add));
    cr_assert(memcmp(out, expected_add, n) == 0, "Add:\n%.*s", (int)n, out);

    cr_assert_eq(emsec_ctl_on_add_reply(&s, offer_msrp, sizeof offer_msrp - 1u, add_reply,
                                        sizeof add_reply - 1u, nodes, 512u), EMSEC_OK, "%s", s.why);
    cr_assert_str_eq(s.context, "1");
    cr_assert_str_eq(s.term_ue, "tcp/1");
    cr_assert_str_eq(s.term_core, "tcp/2");
    /* the UE is active: the gateway answers passive, listens, and is the TLS
     * server (RFC 4145 §4.1, RFC 6135 §6) */
    cr_assert(s.ue_leg.decided);
    cr_assert_eq(s.ue_leg.d.tcp, EMSEC_TCP_PASSIVE);
    cr_assert_eq(s.ue_leg.d.tls, EMSEC_TLS_SERVER);

    cr_assert_eq(emsec_ctl_write_modify(&s, answer_plain, sizeof answer_plain - 1u, MID, 2u, out, sizeof out, &n),
                 EMSEC_OK, "%s", s.why);
    cr_assert(n == strlen(expected_modify) && memcmp(out, expected_modify, n) == 0, "Modify:\n%.*s", (int)n, out);
    /* core leg: the gateway offered actpass, the far end answered passive */
    cr_assert_eq(s.core_leg.d.tcp, EMSEC_TCP_ACTIVE);
    cr_assert_eq(s.core_leg.d.tls, EMSEC_TLS_NONE);

    cr_assert_eq(emsec_ctl_write_ue_sdp(&s, answer_plain, sizeof answer_plain - 1u, out, sizeof out, &n), EMSEC_OK);
    cr_assert(n == strlen(expected_ue_sdp) && memcmp(out, expected_ue_sdp, n) == 0, "UE SDP:\n%.*s", (int)n, out);

    cr_assert_eq(emsec_ctl_write_subtract(&s, MID, 3u, out, sizeof out, &n), EMSEC_OK);
    cr_assert(n == strlen("MEGACO/1 " MID "\nTransaction = 3 {\n    Context = 1 { Subtract = * }\n}\n") &&
              memcmp(out, "MEGACO/1 " MID "\nTransaction = 3 {\n    Context = 1 { Subtract = * }\n}\n", n) == 0);
}

Test(ctl, e2ae_refuses_an_offer_without_fingerprint)
{
    static const char offer[] =
        "v=0\r\no=ue 1 1 IN IP4 127.0.0.1\r\ns= -\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        "m=message 9 TCP/TLS/MSRP *\r\na=setup:active\r\na=path:msrps://127.0.0.1:9/ue1;tcp\r\n";
    cr_assert_eq(begin(EMSEC_CTL_E2AE, offer), EMSEC_ERR_REFUSED);
    cr_assert_eq(s.refusal, EMSEC_CTL_REFUSAL_NO_FINGERPRINT);
    cr_assert(strstr(s.why, "RFC 8122") != NULL && strstr(s.why, "aborted") != NULL, "%s", s.why);
    /* aborted: nothing may be sent */
    cr_assert_eq(emsec_ctl_write_add(&s, offer, sizeof offer - 1u, MID, 1u, out, sizeof out, &n), EMSEC_ERR_REFUSED);
    cr_assert_eq(s.refusal, EMSEC_CTL_REFUSAL_STATE);
}

Test(ctl, a_session_level_fingerprint_authorizes_and_goes_to_remote)
{
    static const char offer[] =
        "v=0\r\no=ue 1 1 IN IP4 127.0.0.1\r\ns= -\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        "a=fingerprint:sha-256 " FP_UE "\r\n"
        "m=message 9 TCP/TLS/MSRP *\r\na=setup:active\r\na=path:msrps://127.0.0.1:9/ue1;tcp\r\n";
    cr_assert_eq(begin(EMSEC_CTL_E2AE, offer), EMSEC_OK, "%s", s.why);
    cr_assert_eq(emsec_ctl_write_add(&s, offer, sizeof offer - 1u, MID, 1u, out, sizeof out, &n), EMSEC_OK);
    out[n] = '\0';
    cr_assert(strstr(out, "Remote {\nv=0\nc=IN IP4 127.0.0.1\nm=message 9 TCP/TLS/MSRP *\na=fingerprint:sha-256 " FP_UE "\n") != NULL, "%s", out);
}

Test(ctl, no_secured_stream_is_refused)
{
    static const char offer[] =
        "v=0\r\no=ue 1 1 IN IP4 127.0.0.1\r\ns= -\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        "m=message 9 TCP/MSRP *\r\na=setup:active\r\nm=audio 5000 RTP/AVP 0\r\n";
    cr_assert_eq(begin(EMSEC_CTL_E2AE, offer), EMSEC_ERR_REFUSED);
    cr_assert_eq(s.refusal, EMSEC_CTL_REFUSAL_NO_STREAM);
    cr_assert_eq(begin(EMSEC_CTL_E2AE, "v=0\r\nnot sdp\r\n"), EMSEC_ERR_REFUSED);
    cr_assert_eq(s.refusal, EMSEC_CTL_REFUSAL_SDP);
    cr_assert(strstr(s.why, "does not parse") != NULL, "%s", s.why);
}

Test(ctl, psk_mode_needs_a_resolved_key)
{
    static const uint8_t key[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                     0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
    uint32_t len = sizeof offer_msrp - 1u;
    /* an identity without a key: RFC 4279 §5.1 unknown identity */
    cr_assert_eq(emsec_ctl_begin(&s, EMSEC_CTL_PSK, offer_msrp, len, NULL, 0u, "mrfp-ticket-1"), EMSEC_ERR_REFUSED);
    cr_assert_eq(s.refusal, EMSEC_CTL_REFUSAL_PSK_UNRESOLVED);
    cr_assert(strstr(s.why, "mrfp-ticket-1") != NULL, "%s", s.why);
    /* no identity, or one that cannot travel as a quotedString */
    cr_assert_eq(emsec_ctl_begin(&s, EMSEC_CTL_PSK, offer_msrp, len, key, 16u, NULL), EMSEC_ERR_REFUSED);
    cr_assert_eq(s.refusal, EMSEC_CTL_REFUSAL_PSK_UNRESOLVED);
    cr_assert_eq(emsec_ctl_begin(&s, EMSEC_CTL_PSK, offer_msrp, len, key, 16u, "a\"b"), EMSEC_ERR_REFUSED);
    cr_assert_eq(s.refusal, EMSEC_CTL_REFUSAL_PSK_UNRESOLVED);
    /* resolved: the key goes down in LocalControl, no certificate asked */
    cr_assert_eq(emsec_ctl_begin(&s, EMSEC_CTL_PSK, offer_msrp, len, key, 16u, "mrfp-ticket-1"), EMSEC_OK, "%s", s.why);
    cr_assert_eq(emsec_ctl_write_add(&s, offer_msrp, len, MID, 7u, out, sizeof out, &n), EMSEC_OK);
    out[n] = '\0';
    cr_assert(strstr(out, "LocalControl { tlsbsc/psk = 00112233445566778899aabbccddeeff, "
                          "tlsbsc/pskid = \"mrfp-ticket-1\" },\n") != NULL, "%s", out);
    cr_assert(strstr(out, "a=fingerprint:sha-256 $") == NULL, "%s", out);
    cr_assert(strstr(out, "m=message $ TCP/MSRP *") != NULL, "%s", out);
}

Test(ctl, e2e_keeps_tls_on_both_legs_and_the_far_end_fingerprint)
{
    cr_assert_eq(begin(EMSEC_CTL_E2E, offer_msrp), EMSEC_OK, "%s", s.why);
    cr_assert_eq(emsec_ctl_write_add(&s, offer_msrp, sizeof offer_msrp - 1u, MID, 1u, out, sizeof out, &n), EMSEC_OK);
    out[n] = '\0';
    cr_assert(strstr(out, "$") != NULL && strstr(out, "a=fingerprint:sha-256 $") == NULL, "%s", out);
    cr_assert(strstr(out, "a=path:$") == NULL, "%s", out);
    cr_assert(strstr(out, "m=message $ TCP/MSRP") == NULL, "%s", out);
    cr_assert(strstr(out, "Events = 1 { tcpbcc/ef, tcpbcc/rel }") != NULL, "%s", out);
    static const char reply[] =
        "MEGACO/1 [127.0.0.1]:2944\nReply = 1 { Context = 4 { Add = tcp/7 { Media { Stream = 1 { Local {\n"
        "v=0\nc=IN IP4 127.0.0.1\nm=message 40002 TCP/TLS/MSRP *\na=setup:passive\n} } } },\n"
        "Add = tcp/8 { Media { Stream = 1 { Local {\n"
        "v=0\nc=IN IP4 127.0.0.1\nm=message 40003 TCP/TLS/MSRP *\na=setup:actpass\n} } } } } }\n";
    cr_assert_eq(emsec_ctl_on_add_reply(&s, offer_msrp, sizeof offer_msrp - 1u, reply, sizeof reply - 1u, nodes, 512u),
                 EMSEC_OK, "%s", s.why);
    cr_assert_str_eq(s.term_core, "tcp/8");
    /* a plain answer does not fit the TLS the gateway offered */
    cr_assert_eq(emsec_ctl_write_modify(&s, answer_plain, sizeof answer_plain - 1u, MID, 2u, out, sizeof out, &n),
                 EMSEC_ERR_REFUSED);
    cr_assert_eq(s.refusal, EMSEC_CTL_REFUSAL_ANSWER_STREAM);
    cr_assert_eq(emsec_ctl_write_modify(&s, answer_tls, sizeof answer_tls - 1u, MID, 2u, out, sizeof out, &n),
                 EMSEC_OK, "%s", s.why);
    cr_assert_eq(emsec_ctl_write_ue_sdp(&s, answer_tls, sizeof answer_tls - 1u, out, sizeof out, &n), EMSEC_OK);
    out[n] = '\0';
    cr_assert(strstr(out, "m=message 40002 TCP/TLS/MSRP *\r\nc=IN IP4 127.0.0.1\r\na=setup:passive\r\n"
                          "a=fingerprint:sha-256 " FP_GW "\r\na=path:msrps://127.0.0.1:7000/far1;tcp\r\n"
                          "a=msrp-cema\r\n") != NULL, "%s", out);
}

Test(ctl, e2e_refuses_an_answer_without_fingerprint)
{
    static const char answer[] =
        "v=0\r\no=far 1 1 IN IP4 127.0.0.1\r\ns= -\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        "m=message 7000 TCP/TLS/MSRP *\r\na=setup:passive\r\n";
    static const char reply[] =
        "MEGACO/1 [127.0.0.1]:2944\nReply = 1 { Context = 4 { Add = tcp/7 { Media { Stream = 1 { Local {\n"
        "v=0\nc=IN IP4 127.0.0.1\nm=message 40002 TCP/TLS/MSRP *\na=setup:passive\n} } } },\n"
        "Add = tcp/8 { Media { Stream = 1 { Local {\n"
        "v=0\nc=IN IP4 127.0.0.1\nm=message 40003 TCP/TLS/MSRP *\na=setup:actpass\n} } } } } }\n";
    cr_assert_eq(begin(EMSEC_CTL_E2E, offer_msrp), EMSEC_OK);
    cr_assert_eq(emsec_ctl_write_add(&s, offer_msrp, sizeof offer_msrp - 1u, MID, 1u, out, sizeof out, &n), EMSEC_OK);
    cr_assert_eq(emsec_ctl_on_add_reply(&s, offer_msrp, sizeof offer_msrp - 1u, reply, sizeof reply - 1u, nodes, 512u),
                 EMSEC_OK, "%s", s.why);
    cr_assert_eq(emsec_ctl_write_modify(&s, answer, sizeof answer - 1u, MID, 2u, out, sizeof out, &n), EMSEC_ERR_REFUSED);
    cr_assert_eq(s.refusal, EMSEC_CTL_REFUSAL_NO_FINGERPRINT);
    cr_assert(strstr(s.why, "end to end") != NULL, "%s", s.why);
    /* the context exists: the abort is a Subtract */
    cr_assert_eq(emsec_ctl_write_subtract(&s, MID, 3u, out, sizeof out, &n), EMSEC_OK);
}

Test(ctl, gateway_error_aborts_the_setup)
{
    static const char reply[] =
        "MEGACO/1 [127.0.0.1]:2944\nReply = 1 { Context = - { Error = 449 "
        "{ \"a=setup refused: tls_collision (spec/roles.tbl)\" } } }\n";
    cr_assert_eq(begin(EMSEC_CTL_E2AE, offer_msrp), EMSEC_OK);
    cr_assert_eq(emsec_ctl_write_add(&s, offer_msrp, sizeof offer_msrp - 1u, MID, 1u, out, sizeof out, &n), EMSEC_OK);
    cr_assert_eq(emsec_ctl_on_add_reply(&s, offer_msrp, sizeof offer_msrp - 1u, reply, sizeof reply - 1u, nodes, 512u),
                 EMSEC_ERR_REFUSED);
    cr_assert_eq(s.refusal, EMSEC_CTL_REFUSAL_GATEWAY);
    cr_assert(strstr(s.why, "Error 449") != NULL && strstr(s.why, "tls_collision") != NULL, "%s", s.why);
    /* no context: nothing to subtract, and no answer may follow */
    cr_assert_eq(emsec_ctl_write_subtract(&s, MID, 2u, out, sizeof out, &n), EMSEC_ERR_REFUSED);
    cr_assert_eq(emsec_ctl_write_modify(&s, answer_plain, sizeof answer_plain - 1u, MID, 2u, out, sizeof out, &n),
                 EMSEC_ERR_REFUSED);
    cr_assert_eq(s.refusal, EMSEC_CTL_REFUSAL_STATE);
}

Test(ctl, e2ae_answer_over_tls_does_not_fit_the_plain_core_leg)
{
    set_up_e2ae();
    cr_assert_eq(emsec_ctl_write_modify(&s, answer_tls, sizeof answer_tls - 1u, MID, 2u, out, sizeof out, &n),
                 EMSEC_ERR_REFUSED);
    cr_assert_eq(s.refusal, EMSEC_CTL_REFUSAL_ANSWER_STREAM);
    cr_assert(strstr(s.why, "TCP/TLS/MSRP") != NULL, "%s", s.why);
}

Test(ctl, output_too_small_is_no_space)
{
    cr_assert_eq(begin(EMSEC_CTL_E2AE, offer_msrp), EMSEC_OK);
    cr_assert_eq(emsec_ctl_write_add(&s, offer_msrp, sizeof offer_msrp - 1u, MID, 1u, out, 100u, &n), EMSEC_ERR_NO_SPACE);
    cr_assert_eq(n, 100u);
}

Test(ctl, notify_read_and_answered)
{
    static const char notify[] =
        "MEGACO/1 [127.0.0.1]:2944\nTransaction = 1 {\n    Context = 1 {\n        Notify = tcp/1 {\n"
        "            ObservedEvents = 1001 {\n                tlsbsc/ef { cause = fingerprint }\n"
        "            }\n        }\n    }\n}\n";
    emsec_ctl_event ev;
    cr_assert_eq(emsec_ctl_read_notify(notify, sizeof notify - 1u, nodes, 512u, &ev), EMSEC_OK);
    cr_assert_eq(ev.transaction_id, 1u);
    cr_assert_str_eq(ev.context, "1");
    cr_assert_str_eq(ev.term, "tcp/1");
    cr_assert_str_eq(ev.event, "tlsbsc/ef");
    cr_assert_str_eq(ev.cause, "fingerprint");
    cr_assert(ev.failure);
    cr_assert_eq(emsec_ctl_write_notify_reply(&ev, MID, out, sizeof out, &n), EMSEC_OK);
    cr_assert(n == strlen("MEGACO/1 " MID "\nReply = 1 { Context = 1 { Notify = tcp/1 } }\n") &&
              memcmp(out, "MEGACO/1 " MID "\nReply = 1 { Context = 1 { Notify = tcp/1 } }\n", n) == 0);
    static const char rel[] =
        "MEGACO/1 [127.0.0.1]:2944\nTransaction = 2 { Context = 1 { Notify = tcp/2 { "
        "ObservedEvents = 1002 { tcpbcc/rel { cause = peer } } } } }\n";
    cr_assert_eq(emsec_ctl_read_notify(rel, sizeof rel - 1u, nodes, 512u, &ev), EMSEC_OK);
    cr_assert(!ev.failure);
    cr_assert_str_eq(ev.event, "tcpbcc/rel");
    /* a reply is not a Notify; garbage is not H.248 */
    cr_assert_eq(emsec_ctl_read_notify(add_reply, sizeof add_reply - 1u, nodes, 512u, &ev), EMSEC_ERR_REFUSED);
    cr_assert_eq(emsec_ctl_read_notify("hello", 5u, nodes, 512u, &ev), EMSEC_ERR_SYNTAX);
}

/* BFCP (RFC 8856): the gateway answers, so it is the TLS server whatever
 * its TCP role; a re-offer with a=connection:existing and the same
 * a=tls-id keeps the connection and the session (RFC 4145 §5.1, RFC 8842). */
#define BFCP_OFFER(conn)                                                                          \
    "v=0\r\no=ue 1 1 IN IP4 127.0.0.1\r\ns= -\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"                  \
    "m=application 9 TCP/TLS/BFCP *\r\na=setup:active\r\na=connection:" conn "\r\n"                \
    "a=tls-id:abc3de65cddef001be82\r\na=fingerprint:sha-256 " FP_UE "\r\na=floorctrl:c-only s-only\r\n" \
    "m=audio 50002 RTP/AVP 0\r\n"
#define BFCP_ANSWER(conn)                                                                         \
    "v=0\r\no=srv 1 1 IN IP4 127.0.0.1\r\ns= -\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"                 \
    "m=application 7000 TCP/BFCP *\r\na=setup:passive\r\na=connection:" conn "\r\n"              \
    "a=floorctrl:s-only\r\nm=audio 55000 RTP/AVP 0\r\n"

Test(ctl, bfcp_reoffer_keeps_the_session)
{
    static const char offer[] = BFCP_OFFER("new"), answer[] = BFCP_ANSWER("new");
    static const char reoffer[] = BFCP_OFFER("existing"), reanswer[] = BFCP_ANSWER("existing");
    static const char reply[] =
        "MEGACO/1 [127.0.0.1]:2944\nReply = 1 { Context = 2 { Add = tcp/3 { Media { Stream = 1 { Local {\n"
        "v=0\nc=IN IP4 127.0.0.1\nm=application 40004 TCP/TLS/BFCP *\na=setup:passive\na=connection:new\n"
        "a=fingerprint:sha-256 " FP_GW "\na=tls-id:0123456789abcdef0123456789abcdef\n} } } },\n"
        "Add = tcp/4 { Media { Stream = 1 { Local {\n"
        "v=0\nc=IN IP4 127.0.0.1\nm=application 40005 TCP/BFCP *\na=setup:actpass\na=connection:new\n} } } } } }\n";
    cr_assert_eq(begin(EMSEC_CTL_E2AE, offer), EMSEC_OK, "%s", s.why);
    cr_assert_eq(s.kind, EMSEC_KIND_BFCP);
    cr_assert_eq(emsec_ctl_write_add(&s, offer, sizeof offer - 1u, MID, 1u, out, sizeof out, &n), EMSEC_OK);
    out[n] = '\0';
    cr_assert(strstr(out, "m=application $ TCP/TLS/BFCP *\na=setup:$\na=connection:$\n"
                          "a=fingerprint:sha-256 $\na=tls-id:$\n") != NULL, "%s", out);
    cr_assert(strstr(out, "a=path:$") == NULL, "%s", out);
    cr_assert_eq(emsec_ctl_on_add_reply(&s, offer, sizeof offer - 1u, reply, sizeof reply - 1u, nodes, 512u),
                 EMSEC_OK, "%s", s.why);
    cr_assert_eq(s.ue_leg.d.tcp, EMSEC_TCP_PASSIVE);
    cr_assert_eq(s.ue_leg.d.tls, EMSEC_TLS_SERVER);
    cr_assert_eq(emsec_ctl_write_modify(&s, answer, sizeof answer - 1u, MID, 2u, out, sizeof out, &n), EMSEC_OK);
    cr_assert_eq(emsec_ctl_write_ue_sdp(&s, answer, sizeof answer - 1u, out, sizeof out, &n), EMSEC_OK);
    out[n] = '\0';
    cr_assert(strstr(out, "m=application 40004 TCP/TLS/BFCP *\r\nc=IN IP4 127.0.0.1\r\na=setup:passive\r\n"
                          "a=connection:new\r\na=tls-id:0123456789abcdef0123456789abcdef\r\n"
                          "a=fingerprint:sha-256 " FP_GW "\r\na=floorctrl:s-only\r\nm=audio 55000") != NULL, "%s", out);

    cr_assert_eq(emsec_ctl_write_reoffer(&s, reoffer, sizeof reoffer - 1u, reanswer, sizeof reanswer - 1u, MID, 3u,
                                         out, sizeof out, &n), EMSEC_OK, "%s", s.why);
    out[n] = '\0';
    cr_assert(strstr(out, "Modify = tcp/3 {") != NULL && strstr(out, "Modify = tcp/4 {") != NULL, "%s", out);
    cr_assert(strstr(out, "a=connection:existing\na=tls-id:abc3de65cddef001be82\n") != NULL, "%s", out);
    cr_assert_eq(s.ue_leg.d.tcp, EMSEC_TCP_KEEP);
    cr_assert_eq(s.ue_leg.d.tls, EMSEC_TLS_KEEP);
    cr_assert_eq(s.core_leg.d.tcp, EMSEC_TCP_KEEP);
    /* the answer towards the UE keeps the connection and the gateway's tls-id */
    cr_assert_eq(emsec_ctl_write_ue_sdp(&s, reanswer, sizeof reanswer - 1u, out, sizeof out, &n), EMSEC_OK);
    out[n] = '\0';
    cr_assert(strstr(out, "a=setup:passive\r\na=connection:existing\r\n"
                          "a=tls-id:0123456789abcdef0123456789abcdef\r\n") != NULL, "%s", out);
    /* a re-offer with another a=tls-id on a=connection:existing contradicts
     * itself (RFC 8842 §5): refused */
    static const char bad[] =
        "v=0\r\no=ue 1 1 IN IP4 127.0.0.1\r\ns= -\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        "m=application 9 TCP/TLS/BFCP *\r\na=setup:active\r\na=connection:existing\r\n"
        "a=tls-id:ffffffffffffffffffff\r\na=fingerprint:sha-256 " FP_UE "\r\n";
    cr_assert_eq(emsec_ctl_write_reoffer(&s, bad, sizeof bad - 1u, reanswer, sizeof reanswer - 1u, MID, 4u,
                                         out, sizeof out, &n), EMSEC_ERR_REFUSED);
    cr_assert_eq(s.refusal, EMSEC_CTL_REFUSAL_ROLES, "%s", s.why);
}
