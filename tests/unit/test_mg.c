/*
 * The gateway core's API edges that the golden traces (tests/traces) do not
 * reach: bad configuration and arguments, buffers too small, timers and the
 * next deadline, stale handles, md5 fingerprints, limits.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "emsec/mg.h"

static emsec_mg *mg;
static char text[65536], note[65536];
static emsec_mg_out out;

#define FP "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3C:6F:7B:4B:5F:8A:32:D8:0C:3B:5C:0A"
#define UEHEX "19:E2:1C:3B:4B:9F:81:E6:B8:5C:F4:A5:A8:D8:73:04:BB:05:2F:70:9F:04:A9:0E:05:E9:26:33:E8:70:88:A2"

static const emsec_mg_config cfg = { "[127.0.0.1]:2944", "tcp/", "192.0.2.10", 40000, 40001, FP, 1, 7 };

static void setup(void)
{
    mg = calloc(1, emsec_mg_size());
    cr_assert_not_null(mg);
    cr_assert_eq(emsec_mg_init(mg, &cfg), EMSEC_OK);
    memset(&out, 0, sizeof out);
    out.text = text;
    out.cap = sizeof text;
    out.notify = note;
    out.notify_cap = sizeof note;
}

static void teardown(void)
{
    free(mg);
}

static emsec_result control(const char *m)
{
    return emsec_mg_control(mg, 1000u, m, (uint32_t)strlen(m), &out);
}

/* An Add of a UE leg that connects out (the UE is passive): arms a timer. */
static const char *add_active =
    "MEGACO/1 [192.0.2.1]:2944\nTransaction = 1 { Context = $ { Add = $ { Media { Stream = 1 {\n"
    "Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\na=setup:$\na=fingerprint:sha-256 $\n},\n"
    "Remote {\nv=0\nc=IN IP4 198.51.100.7\nm=message 7394 TCP/TLS/MSRP *\na=setup:passive\n"
    "a=fingerprint:sha-256 " UEHEX "\n}\n} }, Events = 5 { tlsbsc/ef, tcpbcc/ef } } } }\n";

Test(mg, bad_config_is_refused)
{
    emsec_mg *m = calloc(1, emsec_mg_size());
    emsec_mg_config c = cfg;
    c.port_min = 5;
    c.port_max = 4;
    cr_assert_eq(emsec_mg_init(m, &c), EMSEC_ERR_ARGUMENT);
    c = cfg;
    c.version = 4;
    cr_assert_eq(emsec_mg_init(m, &c), EMSEC_ERR_ARGUMENT);
    c = cfg;
    c.mid = NULL;
    cr_assert_eq(emsec_mg_init(m, &c), EMSEC_ERR_ARGUMENT);
    cr_assert_eq(emsec_mg_init(NULL, &cfg), EMSEC_ERR_ARGUMENT);
    free(m);
}

Test(mg, garbage_gets_an_error_reply, .init = setup, .fini = teardown)
{
    cr_assert_eq(control("hello"), EMSEC_OK);
    cr_assert_gt(out.len, 0u);
    text[out.len] = '\0';
    cr_assert_not_null(strstr(text, "Error = 400"), "%s", text);
}

Test(mg, reply_that_does_not_fit_is_no_space, .init = setup, .fini = teardown)
{
    out.cap = 40u;
    cr_assert_eq(control(add_active), EMSEC_ERR_NO_SPACE);
    cr_assert_eq(out.len, 0u);
}

Test(mg, connect_arms_a_timer_and_timeout_fails_the_leg, .init = setup, .fini = teardown)
{
    uint16_t term = 0xffffu;
    cr_assert_eq(control(add_active), EMSEC_OK);
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

Test(mg, md5_fingerprint_never_matches, .init = setup, .fini = teardown)
{
    cr_assert_eq(control(add_active), EMSEC_OK);
    uint16_t t = out.actions[0].term;
    emsec_mg_event ev = { .kind = EMSEC_MG_EV_CONNECTED, .term = t };
    cr_assert_eq(emsec_mg_on_event(mg, 1001u, &ev, &out), EMSEC_OK);
    cr_assert_eq(out.actions[0].kind, EMSEC_MG_ACT_TLS_CLIENT);
    emsec_mg_event tls = { .kind = EMSEC_MG_EV_TLS_ESTABLISHED, .term = t, .fp_hash = "md5", .fp_len = 16 };
    cr_assert_eq(emsec_mg_on_event(mg, 1002u, &tls, &out), EMSEC_OK);
    note[out.notify_len] = '\0';
    cr_assert_not_null(strstr(note, "tlsbsc/ef { cause = fingerprint }"), "%s", note);
}

Test(mg, event_on_a_stale_handle_is_an_argument_error, .init = setup, .fini = teardown)
{
    emsec_mg_event ev = { .kind = EMSEC_MG_EV_ACCEPTED, .term = 3 };
    cr_assert_eq(emsec_mg_on_event(mg, 1u, &ev, &out), EMSEC_ERR_ARGUMENT);
    ev.term = 0xffffu;
    cr_assert_eq(emsec_mg_on_event(mg, 1u, &ev, &out), EMSEC_ERR_ARGUMENT);
    emsec_mg_term_view v;
    cr_assert(!emsec_mg_term_info(mg, 3, &v));
}

Test(mg, event_impossible_in_state_is_refused_and_changes_nothing, .init = setup, .fini = teardown)
{
    cr_assert_eq(control(add_active), EMSEC_OK);
    uint16_t t = out.actions[0].term;
    /* an accept on a leg that connects out cannot happen */
    emsec_mg_event ev = { .kind = EMSEC_MG_EV_ACCEPTED, .term = t };
    cr_assert_eq(emsec_mg_on_event(mg, 1001u, &ev, &out), EMSEC_ERR_REFUSED);
    cr_assert_eq(out.nactions, 0u);
    ev.kind = EMSEC_MG_EV_CONNECTED;
    cr_assert_eq(emsec_mg_on_event(mg, 1002u, &ev, &out), EMSEC_OK);
}

Test(mg, ports_and_contexts_run_out_with_510, .init = setup, .fini = teardown)
{
    /* the port range holds 2 ports; round robin hands them out again, but a
     * context holds two terminations: the third Add in it is refused */
    const char *add2 = "MEGACO/1 [192.0.2.1]:2944\nTransaction = 9 { Context = 1 { Add = $ { Media { Stream = 1 {\n"
                       "Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/MSRP *\na=setup:$\n} } } } } }\n";
    cr_assert_eq(control(add_active), EMSEC_OK);
    cr_assert_eq(control(add2), EMSEC_OK);
    text[out.len] = '\0';
    cr_assert_not_null(strstr(text, "Add = tcp/2"), "%s", text);
    const char *add3 = "MEGACO/1 [192.0.2.1]:2944\nTransaction = 10 { Context = 1 { Add = $ } }\n";
    cr_assert_eq(control(add3), EMSEC_OK);
    text[out.len] = '\0';
    cr_assert_not_null(strstr(text, "Error = 510"), "%s", text);
}

Test(mg, audit_never_returns_the_psk, .init = setup, .fini = teardown)
{
    const char *add = "MEGACO/1 [192.0.2.1]:2944\nTransaction = 1 { Context = $ { Add = $ { Media { Stream = 1 {\n"
                      "LocalControl { tlsbsc/psk = 00112233445566778899AABBCCDDEEFF, tlsbsc/pskid = \"id-7\" },\n"
                      "Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\na=setup:$\n} } } } } }\n"
                      "Transaction = 2 { Context = 1 { AuditValue = tcp/1 { Audit { Media } } } }\n";
    cr_assert_eq(control(add), EMSEC_OK);
    text[out.len] = '\0';
    cr_assert_not_null(strstr(text, "Reply = 2"), "%s", text);
    cr_assert_null(strstr(text, "psk"), "%s", text);
    cr_assert_null(strstr(text, "00112233"), "%s", text);
    cr_assert_null(strstr(text, "id-7"), "%s", text);
}
