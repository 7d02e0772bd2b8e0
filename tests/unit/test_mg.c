/*
 * The gateway core's API edges that the golden traces (tests/traces) do not
 * reach: bad configuration and arguments, buffers too small, timers and the
 * next deadline, stale handles, md5 fingerprints, limits; and the issue 4
 * rules beyond the traces: a=connection on re-offers (RFC 4145 §5, RFC 6135
 * §4.4), g/cause (RFC 3525 E.1.2), the reply cache's at-most-once (D.1.1)
 * for replies it cannot keep, the null context of a failed CHOOSE Add; the
 * reply cache's key, requester mId and TransactionID (D.1.1, D.1.2.1).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsec/h248.h"
#include "emsec/h248_profile.h"
#include "emsec/mg.h"
#include "mg_fixture.h"
#include "mg_model.h"

/* The UE's certificate fingerprint in the Remote SDP below. */
#define UEHEX MG_FIXTURE_UE_FP_HEX

/* An Add of a UE leg that connects out (the UE is passive): arms a timer. */
static const char *add_active =
    "MEGACO/1 [192.0.2.1]:2944\nTransaction = 1 { Context = $ { Add = $ { Media { Stream = 1 {\n"
    "Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\na=setup:$\na=fingerprint:sha-256 $\n},\n"
    "Remote {\nv=0\nc=IN IP4 198.51.100.7\nm=message 7394 TCP/TLS/MSRP *\na=setup:passive\n"
    "a=fingerprint:sha-256 " UEHEX "\n}\n} }, Events = 5 { tlsbsc/ef, tcpbcc/ef } } } }\n";

Test(mg, bad_config_is_refused)
{
    emsec_mg *m = calloc(1, emsec_mg_size());
    emsec_mg_config c = mg_fixture_cfg;
    c.port_min = 5;
    c.port_max = 4;
    cr_assert_eq(emsec_mg_init(m, &c), EMSEC_ERR_ARGUMENT);
    c = mg_fixture_cfg;
    c.version = 4;
    cr_assert_eq(emsec_mg_init(m, &c), EMSEC_ERR_ARGUMENT);
    c = mg_fixture_cfg;
    c.mid = NULL;
    cr_assert_eq(emsec_mg_init(m, &c), EMSEC_ERR_ARGUMENT);
    cr_assert_eq(emsec_mg_init(NULL, &mg_fixture_cfg), EMSEC_ERR_ARGUMENT);
    free(m);
}

Test(mg, garbage_gets_an_error_reply, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    cr_assert_eq(send_h248("hello"), EMSEC_OK);
    cr_assert_gt(out.len, 0u);
    text[out.len] = '\0';
    cr_assert_not_null(strstr(text, "Error = 400"), "%s", text);
}

Test(mg, reply_that_does_not_fit_is_no_space, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    out.cap = 40u;
    cr_assert_eq(send_h248(add_active), EMSEC_ERR_NO_SPACE);
    cr_assert_eq(out.len, 0u);
}

Test(mg, connect_arms_a_timer_and_timeout_fails_the_leg, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    uint16_t term = 0xffffu;
    cr_assert_eq(send_h248(add_active), EMSEC_OK);
    cr_assert_eq(out.nactions, 1u);
    cr_assert_eq(out.actions[0].kind, EMSEC_MG_ACT_CONNECT);
    uint64_t dl = emsec_mg_next_deadline(mg, &term);
    cr_assert_gt(dl, 1000u, "a connect timer is armed after now");
    cr_assert_eq(term, out.actions[0].term);
    emsec_mg_event ev = { .kind = EMSEC_MG_EV_TIMEOUT, .term = term };
    cr_assert_eq(emsec_mg_on_event(mg, dl, &ev, &out), EMSEC_OK);
    cr_assert_gt(out.notify_len, 0u, "tcpbcc/ef was requested");
    note[out.notify_len] = '\0';
    cr_assert_not_null(strstr(note, "tcpbcc/ef { cause = timeout }"), "%s", note);
    cr_assert_eq(emsec_mg_next_deadline(mg, &term), 0u);
}

Test(mg, md5_fingerprint_never_matches, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    cr_assert_eq(send_h248(add_active), EMSEC_OK);
    uint16_t t = out.actions[0].term;
    emsec_mg_event ev = { .kind = EMSEC_MG_EV_CONNECTED, .term = t };
    cr_assert_eq(emsec_mg_on_event(mg, 1001u, &ev, &out), EMSEC_OK);
    cr_assert_eq(out.actions[0].kind, EMSEC_MG_ACT_TLS_CLIENT);
    emsec_mg_event tls = { .kind = EMSEC_MG_EV_TLS_ESTABLISHED, .term = t, .fp_hash = "md5", .fp_len = 16 };
    cr_assert_eq(emsec_mg_on_event(mg, 1002u, &tls, &out), EMSEC_OK);
    note[out.notify_len] = '\0';
    cr_assert_not_null(strstr(note, "tlsbsc/ef { cause = fingerprint }"), "%s", note);
}

Test(mg, event_on_a_stale_handle_is_an_argument_error, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    emsec_mg_event ev = { .kind = EMSEC_MG_EV_ACCEPTED, .term = 3 };
    cr_assert_eq(emsec_mg_on_event(mg, 1u, &ev, &out), EMSEC_ERR_ARGUMENT);
    ev.term = 0xffffu;
    cr_assert_eq(emsec_mg_on_event(mg, 1u, &ev, &out), EMSEC_ERR_ARGUMENT);
    emsec_mg_term_view v;
    cr_assert(!emsec_mg_term_info(mg, 3, &v));
}

Test(mg, event_impossible_in_state_is_refused_and_changes_nothing,
     .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    cr_assert_eq(send_h248(add_active), EMSEC_OK);
    uint16_t t = out.actions[0].term;
    /* an accept on a leg that connects out cannot happen */
    emsec_mg_event ev = { .kind = EMSEC_MG_EV_ACCEPTED, .term = t };
    cr_assert_eq(emsec_mg_on_event(mg, 1001u, &ev, &out), EMSEC_ERR_REFUSED);
    cr_assert_eq(out.nactions, 0u);
    ev.kind = EMSEC_MG_EV_CONNECTED;
    cr_assert_eq(emsec_mg_on_event(mg, 1002u, &ev, &out), EMSEC_OK);
}

Test(mg, third_add_in_a_context_is_510, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    /* a context holds two terminations: the third Add in it is refused
     * (ports running out: tests/unit/test_mg_limits.c) */
    const char *add2 = "MEGACO/1 [192.0.2.1]:2944\nTransaction = 9 { Context = 1 { Add = $ { Media { Stream = 1 {\n"
                       "Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/MSRP *\na=setup:$\n} } } } } }\n";
    cr_assert_eq(send_h248(add_active), EMSEC_OK);
    cr_assert_eq(send_h248(add2), EMSEC_OK);
    text[out.len] = '\0';
    cr_assert_not_null(strstr(text, "Add = tcp/2"), "%s", text);
    const char *add3 = "MEGACO/1 [192.0.2.1]:2944\nTransaction = 10 { Context = 1 { Add = $ } }\n";
    cr_assert_eq(send_h248(add3), EMSEC_OK);
    text[out.len] = '\0';
    cr_assert_not_null(strstr(text, "Error = 510"), "%s", text);
}

Test(mg, audit_never_returns_the_psk, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    const char *add = "MEGACO/1 [192.0.2.1]:2944\nTransaction = 1 { Context = $ { Add = $ { Media { Stream = 1 {\n"
                      "LocalControl { tlsbsc/psk = 00112233445566778899AABBCCDDEEFF, tlsbsc/pskid = \"id-7\" },\n"
                      "Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\na=setup:$\n} } } } } }\n"
                      "Transaction = 2 { Context = 1 { AuditValue = tcp/1 { Audit { Media } } } }\n";
    cr_assert_eq(send_h248(add), EMSEC_OK);
    text[out.len] = '\0';
    cr_assert_not_null(strstr(text, "Reply = 2"), "%s", text);
    cr_assert_null(strstr(text, "psk"), "%s", text);
    cr_assert_null(strstr(text, "00112233"), "%s", text);
    cr_assert_null(strstr(text, "id-7"), "%s", text);
}

/* ---------------------------------------------------------------- issue 4 gaps */


/* Does out.text (or out.notify) decode as H.248 again? */
static bool decodes(const char *buf, uint32_t len)
{
    static emsec_h248_node nodes[4096];
    emsec_h248_msg m;
    emsec_h248_error e;
    return emsec_h248_decode(&m, buf, len, true, nodes, 4096u, &e) == EMSEC_OK;
}

static uint32_t count(const char *hay, const char *needle)
{
    uint32_t n = 0;
    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

static uint32_t used_terms(void)
{
    uint32_t n = 0;
    emsec_mg_term_view v;
    for (uint16_t i = 0; i < EMSEC_MG_MAX_TERMS; i++)
        n += emsec_mg_term_info(mg, i, &v) ? 1u : 0u;
    return n;
}

/* A BFCP leg the gateway connects (answerer, TLS server: RFC 8856 §8), up,
 * with the Events descriptor `events`. */
static uint16_t bfcp_up_with(const char *events)
{
    const char *add =
        "MEGACO/1 [192.0.2.1]:2944\nTransaction = 1 { Context = $ { Add = $ { Media { Stream = 1 {\n"
        "Local {\nv=0\nc=IN IP4 $\nm=application $ TCP/TLS/BFCP *\na=setup:$\na=connection:$\n"
        "a=fingerprint:sha-256 $\n},\nRemote {\nv=0\nc=IN IP4 198.51.100.7\nm=application 50000 TCP/TLS/BFCP *\n"
        "a=setup:actpass\na=connection:new\na=fingerprint:sha-256 " UEHEX "\n}\n} }, ";
    char m[2048];
    snprintf(m, sizeof m, "%s%s } } }\n", add, events);
    cr_assert_eq(send_h248(m), EMSEC_OK);
    cr_assert_eq(out.nactions, 1u);
    cr_assert_eq(out.actions[0].kind, EMSEC_MG_ACT_CONNECT);
    uint16_t t = out.actions[0].term;
    emsec_mg_event ev = { .kind = EMSEC_MG_EV_CONNECTED, .term = t };
    cr_assert_eq(emsec_mg_on_event(mg, 1001u, &ev, &out), EMSEC_OK);
    cr_assert_eq(out.actions[0].kind, EMSEC_MG_ACT_TLS_SERVER);
    emsec_mg_event tls = { .kind = EMSEC_MG_EV_TLS_ESTABLISHED, .term = t, .fp_hash = "sha-256", .fp_len = 32,
                           .fp = { 0x19, 0xE2, 0x1C, 0x3B, 0x4B, 0x9F, 0x81, 0xE6, 0xB8, 0x5C, 0xF4,
                                   0xA5, 0xA8, 0xD8, 0x73, 0x04, 0xBB, 0x05, 0x2F, 0x70, 0x9F, 0x04,
                                   0xA9, 0x0E, 0x05, 0xE9, 0x26, 0x33, 0xE8, 0x70, 0x88, 0xA2 } };
    cr_assert_eq(emsec_mg_on_event(mg, 1002u, &tls, &out), EMSEC_OK);
    cr_assert_eq(out.notify_len, 0u);
    return t;
}

static uint16_t bfcp_up(void)
{
    return bfcp_up_with("Events = 5 { tlsbsc/rel, tcpbcc/rel }");
}

static const char *bfcp_reoffer(const char *conn, unsigned port, unsigned tid)
{
    static char m[1024];
    snprintf(m, sizeof m,
             "MEGACO/1 [192.0.2.1]:2944\nTransaction = %u { Context = 1 { Modify = tcp/1 { Media { Stream = 1 {\n"
             "Remote {\nv=0\nc=IN IP4 198.51.100.7\nm=application %u TCP/TLS/BFCP *\na=setup:actpass\n%s"
             "a=fingerprint:sha-256 " UEHEX "\n}\n} } } } }\n",
             tid, port, conn);
    return m;
}

Test(mg, connection_existing_keeps_and_new_replaces, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    uint16_t t = bfcp_up();
    /* RFC 4145 §5.1: existing keeps the connection and (RFC 8856 §8) the TLS roles */
    cr_assert_eq(send_h248(bfcp_reoffer("a=connection:existing\n", 50000u, 2u)), EMSEC_OK);
    cr_assert_eq(out.nactions, 0u);
    /* RFC 4145 §5.2: new closes the old connection and opens a new one; the
     * controller ordered it: nothing is notified although rel was asked */
    cr_assert_eq(send_h248(bfcp_reoffer("a=connection:new\n", 50002u, 3u)), EMSEC_OK);
    text[out.len] = '\0';
    cr_assert_null(strstr(text, "Error"), "%s", text);
    cr_assert_eq(out.nactions, 3u);
    cr_assert_eq(out.actions[0].kind, EMSEC_MG_ACT_TLS_CLOSE);
    cr_assert_eq(out.actions[1].kind, EMSEC_MG_ACT_CLOSE);
    cr_assert_eq(out.actions[2].kind, EMSEC_MG_ACT_CONNECT);
    cr_assert_eq(out.actions[2].term, t);
    cr_assert_eq(out.notify_len, 0u);
    emsec_mg_term_view v;
    cr_assert(emsec_mg_term_info(mg, t, &v));
    cr_assert_eq(v.remote_port, 50002u);
    cr_assert_eq(v.tls_role, EMSEC_TLS_SERVER, "the BFCP answerer stays TLS server");
    /* the new connection gets a new TLS handshake */
    emsec_mg_event ev = { .kind = EMSEC_MG_EV_CONNECTED, .term = t };
    cr_assert_eq(emsec_mg_on_event(mg, 1003u, &ev, &out), EMSEC_OK);
    cr_assert_eq(out.nactions, 1u);
    cr_assert_eq(out.actions[0].kind, EMSEC_MG_ACT_TLS_SERVER);
}

Test(mg, connection_absent_in_a_reoffer_means_new, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    (void)bfcp_up();
    /* RFC 4145 §5.1: "The default value of the connection attribute in both
     * offers and answers is 'new'" */
    cr_assert_eq(send_h248(bfcp_reoffer("", 50000u, 2u)), EMSEC_OK);
    cr_assert_eq(out.nactions, 3u);
    cr_assert_eq(out.actions[1].kind, EMSEC_MG_ACT_CLOSE);
}

Test(mg, reoffer_after_a_failure_sets_the_connection_up_again, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    uint16_t t = bfcp_up();
    emsec_mg_event rst = { .kind = EMSEC_MG_EV_RESET, .term = t };
    cr_assert_eq(emsec_mg_on_event(mg, 1003u, &rst, &out), EMSEC_OK);
    cr_assert_gt(out.notify_len, 0u);
    /* existing: nothing to keep (spec/reuse.tbl no_existing_connection) */
    cr_assert_eq(send_h248(bfcp_reoffer("a=connection:existing\n", 50000u, 2u)), EMSEC_OK);
    text[out.len] = '\0';
    cr_assert_not_null(strstr(text, "Error = 449"), "%s", text);
    cr_assert_not_null(strstr(text, "no_existing_connection"), "%s", text);
    /* new: the dead connection's machines are reset and it connects again */
    cr_assert_eq(send_h248(bfcp_reoffer("a=connection:new\n", 50000u, 3u)), EMSEC_OK);
    text[out.len] = '\0';
    cr_assert_null(strstr(text, "Error"), "%s", text);
    cr_assert_eq(out.actions[out.nactions - 1u].kind, EMSEC_MG_ACT_CONNECT, "%u actions", out.nactions);
}

Test(mg, msrp_ignores_connection_new, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    cr_assert_eq(send_h248(add_active), EMSEC_OK);
    uint16_t t = out.actions[0].term;
    emsec_mg_event ev = { .kind = EMSEC_MG_EV_CONNECTED, .term = t };
    cr_assert_eq(emsec_mg_on_event(mg, 1001u, &ev, &out), EMSEC_OK);
    /* RFC 6135 §4.4: an MSRP UA MUST ignore a=connection: the connection stays */
    const char *mod = "MEGACO/1 [192.0.2.1]:2944\nTransaction = 2 { Context = 1 { Modify = tcp/1 { Media { Stream = 1 {\n"
                      "Remote {\nv=0\nc=IN IP4 198.51.100.7\nm=message 7394 TCP/TLS/MSRP *\na=setup:passive\n"
                      "a=connection:new\na=fingerprint:sha-256 " UEHEX "\n}\n} } } } }\n";
    cr_assert_eq(send_h248(mod), EMSEC_OK);
    text[out.len] = '\0';
    cr_assert_null(strstr(text, "Error"), "%s", text);
    cr_assert_eq(out.nactions, 0u);
}

Test(mg, g_cause_once_per_loss_with_valid_parameters, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    /* g/cause alone on a TLS leg: a TCP reset under an established session
     * steps both machines (tcpbcc/rel reset, tlsbsc/rel tcp), one g/cause */
    const char *add =
        "MEGACO/1 [192.0.2.1]:2944\nTransaction = 1 { Context = $ { Add = $ { Media { Stream = 1 {\n"
        "Local {\nv=0\nc=IN IP4 $\nm=application $ TCP/TLS/BFCP *\na=setup:$\n"
        "a=fingerprint:sha-256 $\n},\nRemote {\nv=0\nc=IN IP4 198.51.100.7\nm=application 50000 TCP/TLS/BFCP *\n"
        "a=setup:actpass\na=fingerprint:sha-256 " UEHEX "\n}\n} }, Events = 8 { g/cause } } } }\n";
    cr_assert_eq(send_h248(add), EMSEC_OK);
    uint16_t t = out.actions[0].term;
    emsec_mg_event ev = { .kind = EMSEC_MG_EV_CONNECTED, .term = t };
    cr_assert_eq(emsec_mg_on_event(mg, 1001u, &ev, &out), EMSEC_OK);
    emsec_mg_event tls = { .kind = EMSEC_MG_EV_TLS_FAILED, .term = t, .cause = EMSEC_MG_TLS_CAUSE_PSK };
    cr_assert_eq(emsec_mg_on_event(mg, 1002u, &tls, &out), EMSEC_OK);
    note[out.notify_len] = '\0';
    cr_assert(decodes(note, out.notify_len), "%s", note);
    cr_assert_eq(count(note, "g/cause"), 1u, "%s", note);
    cr_assert_eq(count(note, "Notify"), 1u, "%s", note);
    cr_assert_null(strstr(note, "tlsbsc/ef {"), "tlsbsc/ef was not asked: %s", note);
    cr_assert_not_null(strstr(note, "Generalcause = FP"), "%s", note);
    /* the values are in the profile's domains (spec/h248_profile.tbl) */
    const char *fc = strstr(note, "Failurecause = ");
    cr_assert_not_null(fc);
    fc += strlen("Failurecause = ");
    uint32_t fl = (uint32_t)strcspn(fc, " }");
    uint16_t code = 1;
    cr_assert_eq(emsec_h248_profile_check_param("g/cause", 7, "Failurecause", 12, EMSEC_H248_PLACE_OBSERVED_EVENTS,
                                                fc, fl, &code), EMSEC_OK, "code %u", code);
    cr_assert_eq(emsec_h248_profile_check_param("g/cause", 7, "Generalcause", 12, EMSEC_H248_PLACE_OBSERVED_EVENTS,
                                                "FP", 2, &code), EMSEC_OK, "code %u", code);
    /* "tlsbsc/ef psk" in hex */
    cr_assert_eq(strncmp(fc, "746c736273632f65662070736b", fl), 0, "%.*s", (int)fl, fc);
}

Test(mg, g_cause_once_when_one_loss_ends_tcp_and_tls, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    uint16_t t = bfcp_up_with("Events = 6 { tcpbcc/rel, g/cause }");
    emsec_mg_event rst = { .kind = EMSEC_MG_EV_RESET, .term = t };
    cr_assert_eq(emsec_mg_on_event(mg, 1003u, &rst, &out), EMSEC_OK);
    note[out.notify_len] = '\0';
    cr_assert(decodes(note, out.notify_len), "%s", note);
    /* tcpbcc/rel reset (asked) with the one g/cause; the TLS machine's
     * tlsbsc/rel tcp was not asked and adds no second g/cause */
    cr_assert_eq(count(note, "Notify"), 1u, "%s", note);
    cr_assert_eq(count(note, "g/cause"), 1u, "%s", note);
    cr_assert_not_null(strstr(note, "tcpbcc/rel { cause = reset },"), "%s", note);
    cr_assert_not_null(strstr(note, "Generalcause = FT"), "%s", note);
}

Test(mg, g_cause_not_asked_gives_nothing_new, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    cr_assert_eq(send_h248(add_active), EMSEC_OK); /* Events tlsbsc/ef, tcpbcc/ef only */
    uint16_t t = out.actions[0].term;
    emsec_mg_event ev = { .kind = EMSEC_MG_EV_CONNECT_FAILED, .term = t };
    cr_assert_eq(emsec_mg_on_event(mg, 1001u, &ev, &out), EMSEC_OK);
    note[out.notify_len] = '\0';
    cr_assert_not_null(strstr(note, "tcpbcc/ef { cause = unreachable }"), "%s", note);
    cr_assert_null(strstr(note, "g/cause"), "%s", note);
}

Test(mg, listen_failure_reports_tcpbcc_ef_cause_local_at_once, .init = mg_fixture_setup,
     .fini = mg_fixture_teardown)
{
    /* the UE is active (TLS client), so the gateway listens: the adapter
     * cannot (port taken) and says so; the controller hears it now, not when
     * the establishment timer fires */
    const char *add =
        "MEGACO/1 [192.0.2.1]:2944\nTransaction = 1 { Context = $ { Add = $ { Media { Stream = 1 {\n"
        "Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\na=setup:$\na=fingerprint:sha-256 $\n},\n"
        "Remote {\nv=0\nc=IN IP4 198.51.100.7\nm=message 7394 TCP/TLS/MSRP *\na=setup:active\n"
        "a=fingerprint:sha-256 " UEHEX "\n}\n} }, Events = 7 { tcpbcc/ef, g/cause } } } }\n";
    cr_assert_eq(send_h248(add), EMSEC_OK);
    text[out.len] = '\0';
    cr_assert_null(strstr(text, "Error"), "%s", text);
    cr_assert_eq(out.nactions, 1u);
    cr_assert_eq(out.actions[0].kind, EMSEC_MG_ACT_LISTEN);
    uint16_t t = out.actions[0].term;
    uint16_t dt = 0;
    cr_assert_gt(emsec_mg_next_deadline(mg, &dt), 0u, "the establishment timer is armed");
    cr_assert_eq(dt, t);

    emsec_mg_event ev = { .kind = EMSEC_MG_EV_LISTEN_FAILED, .term = t };
    cr_assert_eq(emsec_mg_on_event(mg, 1001u, &ev, &out), EMSEC_OK);
    note[out.notify_len] = '\0';
    cr_assert(decodes(note, out.notify_len), "%s", note);
    cr_assert_eq(count(note, "Notify"), 1u, "%s", note);
    cr_assert_not_null(strstr(note, "tcpbcc/ef { cause = local }"), "%s", note);
    cr_assert_eq(count(note, "g/cause"), 1u, "%s", note);
    cr_assert_not_null(strstr(note, "Generalcause = UR"), "RFC 3525 E.1.2: unavailable resources: %s", note);
    uint16_t code = 1;
    cr_assert_eq(emsec_h248_profile_check_param("tcpbcc/ef", 9, "cause", 5, EMSEC_H248_PLACE_OBSERVED_EVENTS,
                                                "local", 5, &code), EMSEC_OK, "code %u", code);
    cr_assert_eq(emsec_h248_profile_check_param("g/cause", 7, "Generalcause", 12, EMSEC_H248_PLACE_OBSERVED_EVENTS,
                                                "UR", 2, &code), EMSEC_OK, "code %u", code);
    /* the socket (none was made) is closed, the timer gone with the state */
    bool closed = false;
    for (uint32_t i = 0; i < out.nactions; i++)
        closed |= out.actions[i].kind == EMSEC_MG_ACT_CLOSE && out.actions[i].term == t;
    cr_assert(closed);
    cr_assert_eq(emsec_mg_next_deadline(mg, &dt), 0u, "no timer left to fire a second report");

    /* FAILED is absorbing: a repeated report changes nothing and says nothing */
    cr_assert_eq(emsec_mg_on_event(mg, 1002u, &ev, &out), EMSEC_OK);
    cr_assert_eq(out.notify_len, 0u);
    cr_assert_eq(out.nactions, 0u);
}

Test(mg, listen_failure_on_a_connecting_leg_is_refused, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    /* no listen was asked of an active leg: a stale or wrong adapter event
     * is refused (EMSEC_ERR_REFUSED) and disturbs nothing */
    cr_assert_eq(send_h248(add_active), EMSEC_OK);
    uint16_t t = out.actions[0].term;
    cr_assert_eq(out.actions[0].kind, EMSEC_MG_ACT_CONNECT);
    emsec_mg_event ev = { .kind = EMSEC_MG_EV_LISTEN_FAILED, .term = t };
    cr_assert_eq(emsec_mg_on_event(mg, 1001u, &ev, &out), EMSEC_ERR_REFUSED);
    cr_assert_eq(out.notify_len, 0u);
    cr_assert_eq(out.nactions, 0u);
    emsec_mg_event up = { .kind = EMSEC_MG_EV_CONNECTED, .term = t };
    cr_assert_eq(emsec_mg_on_event(mg, 1002u, &up, &out), EMSEC_OK);
    cr_assert_eq(out.actions[0].kind, EMSEC_MG_ACT_TLS_CLIENT);
}

/* The controller's Reply to the gateway's ServiceChange with TransactionID tid. */
static void controller_replies(unsigned tid)
{
    char m[256];
    snprintf(m, sizeof m, "MEGACO/1 [192.0.2.1]:2944\nReply = %u { Context = - { ServiceChange = ROOT "
                          "{ Services { ServiceChangeAddress = 2944 } } } }\n", tid);
    cr_assert_eq(send_h248(m), EMSEC_OK);
    cr_assert_eq(out.len, 0u, "a reply is not answered");
}

/* RFC 3525 §11.2: "The MG shall issue Error 505 - Command Received before
 * a ServiceChange Reply has been received": until the Restart's Reply, a
 * Transaction is answered 505, not executed, not kept (its repeat after
 * the registration is executed); the Reply first in the same message
 * registers before the request is read; an unanswered Disconnected (contact
 * being restored with the same controller) does not stop commands. */
Test(mg, commands_before_the_restart_reply_get_505, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    cr_assert_eq(emsec_mg_service_change(mg, 1000u, EMSEC_MG_SC_RESTART, &out), EMSEC_OK);
    uint32_t restart = mg->sc_tid;
    cr_assert_eq(send_h248(add_active), EMSEC_OK);
    text[out.len] = '\0';
    cr_assert(decodes(text, out.len), "%s", text);
    cr_assert_not_null(strstr(text, "Error = 505"), "%s", text);
    cr_assert_eq(out.nactions, 0u, "not executed");
    cr_assert_eq(used_terms(), 0u, "not executed");
    controller_replies(restart);
    cr_assert(mg->registered);
    send_h248_ok(add_active); /* the same transaction again: executed now, not the 505 */
    cr_assert_eq(used_terms(), 1u);

    /* the Reply and a request in one message, the Reply first */
    mg_fixture_teardown();
    mg_fixture_setup();
    cr_assert_eq(emsec_mg_service_change(mg, 1000u, EMSEC_MG_SC_RESTART, &out), EMSEC_OK);
    char both[512];
    snprintf(both, sizeof both,
             "MEGACO/1 [192.0.2.1]:2944\nReply = %u { Context = - { ServiceChange = ROOT } }\n"
             "Transaction = 77 { Context = - { AuditValue = ROOT { Audit { } } } }\n",
             (unsigned)mg->sc_tid);
    cr_assert_eq(send_h248(both), EMSEC_OK);
    text[out.len] = '\0';
    cr_assert(mg->registered);
    cr_assert_not_null(strstr(text, "Reply = 77"), "%s", text);
    cr_assert_null(strstr(text, "Error"), "%s", text);

    /* Disconnected unanswered: commands are served */
    cr_assert_eq(emsec_mg_service_change(mg, 2000u, EMSEC_MG_SC_DISCONNECTED, &out), EMSEC_OK);
    cr_assert(!mg->registered);
    send_h248_ok(add_active);
    cr_assert_eq(used_terms(), 1u, "the retransmitted Add answered from the cache");
}

Test(mg, disconnected_registers_again_and_keeps_the_contexts, .init = mg_fixture_setup,
     .fini = mg_fixture_teardown)
{
    /* RFC 3525 §11.5, D.1.5: contact lost (a request of ours unanswered),
     * the gateway registers with the same controller again, method
     * Disconnected (§7.2.8 item 4), reason 900; its contexts stay */
    cr_assert_eq(emsec_mg_service_change(mg, 1000u, EMSEC_MG_SC_RESTART, &out), EMSEC_OK);
    uint32_t restart = mg->sc_tid;
    controller_replies(restart);
    cr_assert(mg->registered);
    cr_assert_eq(send_h248(add_active), EMSEC_OK);
    cr_assert_eq(used_terms(), 1u);

    cr_assert_eq(emsec_mg_service_change(mg, 2000u, EMSEC_MG_SC_DISCONNECTED, &out), EMSEC_OK);
    note[out.notify_len] = '\0';
    cr_assert(decodes(note, out.notify_len), "%s", note);
    cr_assert_not_null(strstr(note, "ServiceChange = ROOT"), "%s", note);
    cr_assert_not_null(strstr(note, "Method = Disconnected"), "%s", note);
    cr_assert_not_null(strstr(note, "Reason = \"900 Service Restored\""), "%s", note);
    cr_assert_not_null(strstr(note, "Version = 1"), "%s", note);
    cr_assert_eq(out.nactions, 0u, "nothing is released");
    cr_assert_eq(used_terms(), 1u);
    cr_assert_neq(mg->sc_tid, restart, "a new transaction");
    cr_assert(!mg->registered, "registered again only when the controller answers");
    controller_replies(restart); /* a late repeat of the old reply: not this one */
    cr_assert(!mg->registered);
    controller_replies(mg->sc_tid);
    cr_assert(mg->registered);
    /* a method past the last is refused */
    cr_assert_eq(emsec_mg_service_change(mg, 3000u, (emsec_mg_sc_method)(EMSEC_MG_SC_DISCONNECTED + 1), &out),
                 EMSEC_ERR_ARGUMENT);
}

/* H.248.1 §7.2.8: Graceful with a ServiceChangeDelay (seconds); the calls
 * go on (nothing released); a delay on another method is refused, with
 * nothing written; a null delay writes none. */
Test(mg, graceful_with_delay, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    cr_assert_eq(send_h248(add_active), EMSEC_OK);
    cr_assert_eq(used_terms(), 1u);
    cr_assert_eq(emsec_mg_service_change_with(mg, 1000u, EMSEC_MG_SC_GRACEFUL, &(emsec_mg_sc_params){ 30u, NULL }, &out), EMSEC_OK);
    note[out.notify_len] = '\0';
    cr_assert(decodes(note, out.notify_len), "%s", note);
    cr_assert_not_null(strstr(note, "Method = Graceful"), "%s", note);
    cr_assert_not_null(strstr(note, "Reason = \"905 Termination taken out of service\""), "%s", note);
    cr_assert_not_null(strstr(note, "Delay = 30\n"), "%s", note);
    cr_assert_null(strstr(note, "Version"), "%s", note);
    cr_assert_eq(out.nactions, 0u, "nothing is released before the delay expires");
    cr_assert_eq(used_terms(), 1u);

    cr_assert_eq(emsec_mg_service_change_with(mg, 2000u, EMSEC_MG_SC_GRACEFUL, &(emsec_mg_sc_params){ 0u, NULL }, &out), EMSEC_OK);
    note[out.notify_len] = '\0';
    cr_assert_null(strstr(note, "Delay"), "a null delay is not written: %s", note);

    uint32_t next_tid = mg->next_tid;
    out.notify_len = 7u;
    for (int m = EMSEC_MG_SC_RESTART; m <= EMSEC_MG_SC_DISCONNECTED; m++) {
        if (m == EMSEC_MG_SC_GRACEFUL)
            continue;
        cr_assert_eq(emsec_mg_service_change_with(mg, 3000u, (emsec_mg_sc_method)m, &(emsec_mg_sc_params){ 5u, NULL }, &out), EMSEC_ERR_ARGUMENT,
                     "method %d takes no delay", m);
    }
    cr_assert_eq(out.notify_len, 7u, "nothing written");
    cr_assert_eq(mg->next_tid, next_tid, "no TransactionID taken");
    cr_assert_eq(used_terms(), 1u, "nothing released");
}

/* H.248.1 §7.2.8: "The TimeStamp parameter shall be sent with a
 * registration command": the adapter's time, written alone among the
 * Services (B.2 TimeStamp = Date "T" Time); anything not of that form is
 * refused with nothing written. */
Test(mg, registration_with_timestamp, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    emsec_mg_sc_params p = { 0u, "20261125T01162500" };
    cr_assert_eq(emsec_mg_service_change_with(mg, 1000u, EMSEC_MG_SC_RESTART, &p, &out), EMSEC_OK);
    note[out.notify_len] = '\0';
    cr_assert(decodes(note, out.notify_len), "%s", note);
    cr_assert_not_null(strstr(note, "Version = 1,\n                20261125T01162500\n"), "%s", note);
    uint32_t tid = mg->sc_tid;
    controller_replies(tid);
    cr_assert(mg->registered);

    static const char *const bad[] = {
        "", "20261125T0116250", "20261125T011625000", "2026112XT01162500", "20261125 01162500",
        "20261125T0116250\n", "20261125X01162500",
    };
    uint32_t next_tid = mg->next_tid;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        out.notify_len = 7u;
        p.timestamp = bad[i];
        cr_assert_eq(emsec_mg_service_change_with(mg, 2000u, EMSEC_MG_SC_DISCONNECTED, &p, &out), EMSEC_ERR_ARGUMENT,
                     "timestamp \"%s\"", bad[i]);
        cr_assert_eq(out.notify_len, 7u, "nothing written");
    }
    cr_assert_eq(mg->next_tid, next_tid, "no TransactionID taken");
    cr_assert(mg->registered, "still registered");
    /* the "T" in either case, as every literal of the text encoding (B.2,
     * spec/h248.rl's h248_timestamp): the decoder's own machine decides */
    p.timestamp = "20261125t01162500";
    cr_assert_eq(emsec_mg_service_change_with(mg, 2500u, EMSEC_MG_SC_GRACEFUL, &p, &out), EMSEC_OK);
    note[out.notify_len] = '\0';
    cr_assert(decodes(note, out.notify_len), "%s", note);
    /* NULL params: the plain request */
    cr_assert_eq(emsec_mg_service_change_with(mg, 3000u, EMSEC_MG_SC_GRACEFUL, NULL, &out), EMSEC_OK);
    note[out.notify_len] = '\0';
    cr_assert_null(strstr(note, "Delay"), "%s", note);
}

/* One transaction whose reply is longer than EMSEC_MG_MAX_REPLY: five
 * contexts, each an Add whose Local is about 1900 bytes. */
static char *long_transaction(unsigned tid)
{
    static char m[16384];
    char pad[1800];
    memset(pad, 'x', sizeof pad - 1u);
    pad[sizeof pad - 1u] = '\0';
    int n = snprintf(m, sizeof m, "MEGACO/1 [192.0.2.1]:2944\nTransaction = %u {", tid);
    for (int i = 0; i < 5; i++)
        n += snprintf(m + n, sizeof m - (size_t)n,
                      "%s Context = $ { Add = $ { Media { Stream = 1 { Local {\nv=0\nc=IN IP4 $\n"
                      "m=message $ TCP/MSRP *\na=setup:$\na=x-pad:%s\n} } } } }",
                      i == 0 ? "" : ",", pad);
    snprintf(m + n, sizeof m - (size_t)n, " }\n");
    return m;
}

Test(mg, long_reply_is_never_executed_twice, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    const char *m = long_transaction(21u);
    cr_assert_eq(send_h248(m), EMSEC_OK);
    text[out.len] = '\0';
    cr_assert_gt(out.len, 8192u, "the reply is longer than a cache slot");
    cr_assert_null(strstr(text, "Error"), "%s", text);
    cr_assert_eq(used_terms(), 5u);
    /* the retransmission: not executed again (RFC 3525 D.1.1), Error 510 */
    cr_assert_eq(send_h248(m), EMSEC_OK);
    text[out.len] = '\0';
    cr_assert_eq(out.nactions, 0u);
    cr_assert_eq(used_terms(), 5u);
    cr_assert_not_null(strstr(text, "Reply = 21 {"), "%s", text);
    cr_assert_not_null(strstr(text, "Error = 510"), "%s", text);
    cr_assert(decodes(text, out.len), "%s", text);
}

Test(mg, reply_cut_short_is_never_executed_twice, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    out.cap = 40u;
    cr_assert_eq(send_h248(add_active), EMSEC_ERR_NO_SPACE);
    cr_assert_eq(used_terms(), 1u, "the Add was executed");
    out.cap = sizeof text - 1u;
    cr_assert_eq(send_h248(add_active), EMSEC_OK);
    text[out.len] = '\0';
    cr_assert_eq(used_terms(), 1u, "and not again");
    cr_assert_not_null(strstr(text, "Error = 510"), "%s", text);
}

Test(mg, short_reply_is_resent_byte_for_byte, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    cr_assert_eq(send_h248(add_active), EMSEC_OK);
    char first[4096];
    uint32_t n = out.len;
    memcpy(first, text, n);
    cr_assert_eq(send_h248(add_active), EMSEC_OK);
    cr_assert_eq(out.len, n);
    cr_assert_eq(memcmp(first, text, n), 0);
    cr_assert_eq(out.nactions, 0u);
    cr_assert_eq(used_terms(), 1u);
}

Test(mg, failed_choose_add_names_the_null_context, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    /* both ends active with TLS: refused; the context made for it is gone */
    const char *add =
        "MEGACO/1 [192.0.2.1]:2944\nTransaction = 4 { Context = $ { Add = $ { Media { Stream = 1 {\n"
        "Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\na=setup:active\na=fingerprint:sha-256 $\n},\n"
        "Remote {\nv=0\nc=IN IP4 198.51.100.7\nm=message 7394 TCP/TLS/MSRP *\na=setup:active\n"
        "a=fingerprint:sha-256 " UEHEX "\n}\n} } } } }\n";
    cr_assert_eq(send_h248(add), EMSEC_OK);
    text[out.len] = '\0';
    cr_assert_not_null(strstr(text, "Context = - {"), "%s", text);
    cr_assert_not_null(strstr(text, "Error = 449"), "%s", text);
    cr_assert(decodes(text, out.len), "%s", text);
    cr_assert_eq(used_terms(), 0u);
}

Test(mg, context_emptied_by_subtract_keeps_its_id_in_the_reply, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    const char *m = "MEGACO/1 [192.0.2.1]:2944\nTransaction = 6 { Context = $ { Add = $ { Media { Stream = 1 {\n"
                    "Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/MSRP *\na=setup:$\n} } } }, Subtract = tcp/1 } }\n";
    cr_assert_eq(send_h248(m), EMSEC_OK);
    text[out.len] = '\0';
    cr_assert_not_null(strstr(text, "Context = 1 {"), "%s", text);
    cr_assert_not_null(strstr(text, "Subtract = tcp/1"), "%s", text);
    cr_assert(decodes(text, out.len), "%s", text);
    cr_assert_eq(used_terms(), 0u);
}

/* The Add of add_active, as transaction tid from the requester named mid in
 * the message header. */
static const char *add_from(const char *mid, unsigned tid)
{
    static char m[2048];
    snprintf(m, sizeof m,
             "MEGACO/1 %s\nTransaction = %u { Context = $ { Add = $ { Media { Stream = 1 {\n"
             "Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\na=setup:$\na=fingerprint:sha-256 $\n},\n"
             "Remote {\nv=0\nc=IN IP4 198.51.100.7\nm=message 7394 TCP/TLS/MSRP *\na=setup:passive\n"
             "a=fingerprint:sha-256 " UEHEX "\n}\n} }, Events = 5 { tlsbsc/ef, tcpbcc/ef } } } }\n",
             mid, tid);
    return m;
}

/* Sends transaction tid from mid; returns its reply in reply[] (n bytes). */
static void send_from(const char *mid, unsigned tid, char *reply, uint32_t *n)
{
    cr_assert_eq(send_h248(add_from(mid, tid)), EMSEC_OK);
    cr_assert_gt(out.len, 0u);
    cr_assert_lt(out.len, 4096u);
    memcpy(reply, text, out.len);
    reply[out.len] = '\0';
    *n = out.len;
}

/* Transaction tid from mid again: answered from the cache with the same
 * bytes as before, nothing executed (RFC 3525 Annex D.1.1). */
static void assert_resent(const char *mid, unsigned tid, const char *reply, uint32_t n, uint32_t terms)
{
    cr_assert_eq(send_h248(add_from(mid, tid)), EMSEC_OK);
    cr_assert_eq(out.nactions, 0u, "a retransmission from %s is not executed", mid);
    cr_assert_eq(used_terms(), terms);
    cr_assert_eq(out.len, n, "%s", reply);
    cr_assert_eq(memcmp(text, reply, n), 0, "%s", reply);
}

Test(mg, same_tid_from_two_controllers_is_executed_for_each,
     .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    /* RFC 3525 Annex D.1.1: a repeat is the same TransactionID "sent to the
     * same MId"; D.1.2.1: unique ids only within one "logical MGC
     * (identical mId)". Two controllers may both use 1001. */
    char a[4096], b[4096];
    uint32_t na, nb;
    send_from("[192.0.2.1]:2944", 1001u, a, &na);
    cr_assert_eq(out.nactions, 1u);
    cr_assert_eq(out.actions[0].kind, EMSEC_MG_ACT_CONNECT);
    cr_assert_eq(used_terms(), 1u);
    cr_assert_not_null(strstr(a, "Add = tcp/1"), "%s", a);
    send_from("[192.0.2.2]:2944", 1001u, b, &nb);
    cr_assert_eq(out.nactions, 1u, "the second controller's 1001 is executed: %s", b);
    cr_assert_eq(out.actions[0].kind, EMSEC_MG_ACT_CONNECT);
    cr_assert_eq(used_terms(), 2u);
    cr_assert_not_null(strstr(b, "Reply = 1001 {"), "%s", b);
    cr_assert_not_null(strstr(b, "Add = tcp/2"), "%s", b);
    cr_assert(decodes(b, nb), "%s", b);
    /* each one's retransmission gets its own reply back, executed once */
    assert_resent("[192.0.2.1]:2944", 1001u, a, na, 2u);
    assert_resent("[192.0.2.2]:2944", 1001u, b, nb, 2u);
    assert_resent("[192.0.2.1]:2944", 1001u, a, na, 2u);
}

Test(mg, requester_mid_is_compared_without_case, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    /* Annex B.2: "Everything in the ABNF and text encoding is case
     * insensitive": <MGC.example.net> is <mgc.EXAMPLE.net>. */
    char a[4096];
    uint32_t na;
    send_from("<mgc.example.net>:2944", 7u, a, &na);
    cr_assert_eq(used_terms(), 1u);
    assert_resent("<MGC.Example.NET>:2944", 7u, a, na, 1u);
    /* the mId as written, no other normalisation: no port is another mId */
    char b[4096];
    uint32_t nb;
    send_from("<mgc.example.net>", 7u, b, &nb);
    cr_assert_eq(out.nactions, 1u);
    cr_assert_eq(used_terms(), 2u);
}

Test(mg, mids_longer_than_a_cache_key_are_told_apart, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    /* The ABNF bounds no IPv6 hexseq (RFC 3525 Annex B, hexseq = hex4
     * *(":" hex4)), and the decoder takes what it allows: two such mIds
     * longer than the bytes a cache entry keeps (EMSEC_MG_MID_KEY), alike
     * up to their last group, are two requesters (hash and length); each
     * one's repeat is still recognised. */
    char mid1[160], mid2[160];
    int n = snprintf(mid1, sizeof mid1, "[");
    for (int i = 0; i < 40; i++)
        n += snprintf(mid1 + n, sizeof mid1 - (size_t)n, "0:");
    snprintf(mid1 + n, sizeof mid1 - (size_t)n, "1]:2944");
    memcpy(mid2, mid1, sizeof mid2);
    mid2[n] = '2';
    cr_assert_gt(strlen(mid1), EMSEC_MG_MID_KEY + 8u);
    char a[4096], b[4096];
    uint32_t na, nb;
    send_from(mid1, 55u, a, &na);
    cr_assert_eq(out.nactions, 1u, "%s", a);
    send_from(mid2, 55u, b, &nb);
    cr_assert_eq(out.nactions, 1u, "%s", b);
    cr_assert_eq(used_terms(), 2u);
    assert_resent(mid1, 55u, a, na, 2u);
    assert_resent(mid2, 55u, b, nb, 2u);
}
