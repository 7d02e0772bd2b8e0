/*
 * The gateway core at its limits (include/emsec/mg.h): every context of
 * EMSEC_MG_MAX_CONTEXTS used, two terminations each (EMSEC_MG_MAX_TERMS),
 * then one more is Error 510 (H.248.8 insufficient resources), never a
 * crash; and the media ports of the configured range: each held by one
 * termination at a time, Error 510 when every one is held, handed out
 * again once its termination is subtracted or released by a Forced
 * ServiceChange.
 */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "emsec/mg.h"
#include "mg_fixture.h"

/* A Local whose address, port and setup the gateway chooses (no Remote:
 * nothing connects, no timer). */
#define LOCAL "Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/MSRP *\na=setup:$\n}"

/* Used terminations; each holds a port of [lo, hi] and no port twice. */
static uint32_t used_terms_with_own_ports(uint16_t lo, uint16_t hi)
{
    static bool seen[65536];
    memset(seen, 0, sizeof seen);
    uint32_t n = 0u;
    emsec_mg_term_view v;
    for (uint32_t i = 0u; i < EMSEC_MG_MAX_TERMS; i++) {
        if (!emsec_mg_term_info(mg, (uint16_t)i, &v))
            continue;
        n++;
        cr_assert(v.local_port >= lo && v.local_port <= hi, "term %u port %u", i, (unsigned)v.local_port);
        cr_assert_not(seen[v.local_port], "port %u held twice", (unsigned)v.local_port);
        seen[v.local_port] = true;
    }
    return n;
}

static uint16_t port_of(const char *name)
{
    emsec_mg_term_view v;
    for (uint32_t i = 0u; i < EMSEC_MG_MAX_TERMS; i++)
        if (emsec_mg_term_info(mg, (uint16_t)i, &v) && strcmp(v.name, name) == 0)
            return v.local_port;
    cr_assert_fail("no termination %s", name);
    return 0u;
}

Test(mg_limits, every_context_used_then_510_and_no_crash, .fini = mg_fixture_teardown, .timeout = 120)
{
    /* ports enough for every termination: only the contexts run out */
    mg_fixture_start(20000u, 59999u);
    for (uint32_t c = 0u; c < EMSEC_MG_MAX_CONTEXTS; c++) {
        send_actions("Context = $ { Add = $ { Media { Stream = 1 { " LOCAL " } } }, "
                     "Add = $ { Media { Stream = 1 { " LOCAL " } } } }");
        cr_assert_null(strstr(text, "Error"), "context %u: %s", c, text);
    }
    cr_assert_eq(used_terms_with_own_ports(20000u, 59999u), EMSEC_MG_MAX_TERMS);
    /* one context more: none left, the null context and 510 */
    send_actions("Context = $ { Add = $ { Media { Stream = 1 { " LOCAL " } } } }");
    cr_assert_not_null(strstr(text, "Context = - {"), "%s", text);
    cr_assert_not_null(strstr(text, "Error = 510"), "%s", text);
    cr_assert_not_null(strstr(text, "no context left"), "%s", text);
    cr_assert_eq(out.nactions, 0u);
    /* a third termination in a full context: 510 as well */
    send_actions("Context = 1 { Add = $ }");
    cr_assert_not_null(strstr(text, "Error = 510"), "%s", text);
    cr_assert_eq(used_terms_with_own_ports(20000u, 59999u), EMSEC_MG_MAX_TERMS);
    /* the last context and its terminations answer as any other */
    char audit[96];
    snprintf(audit, sizeof audit, "Context = %u { AuditValue = tcp/%u { Audit { Media } } }", EMSEC_MG_MAX_CONTEXTS,
             EMSEC_MG_MAX_TERMS);
    send_actions(audit);
    cr_assert_null(strstr(text, "Error"), "%s", text);
    cr_assert_not_null(strstr(text, "m=message "), "%s", text);
    /* one context emptied: the next CHOOSE gets a context and ports again */
    send_actions("Context = 7 { Subtract = * }");
    cr_assert_null(strstr(text, "Error"), "%s", text);
    cr_assert_eq(used_terms_with_own_ports(20000u, 59999u), EMSEC_MG_MAX_TERMS - 2u);
    send_actions("Context = $ { Add = $ { Media { Stream = 1 { " LOCAL " } } } }");
    cr_assert_null(strstr(text, "Error"), "%s", text);
    cr_assert_eq(used_terms_with_own_ports(20000u, 59999u), EMSEC_MG_MAX_TERMS - 1u);
    uint16_t term = 0u;
    cr_assert_eq(emsec_mg_next_deadline(mg, &term), 0u, "no timer armed: no Remote, no connection");
}

Test(mg_limits, ports_run_out_with_510_and_come_back_once_freed, .fini = mg_fixture_teardown)
{
    mg_fixture_start(40000u, 40002u);
    for (int i = 0; i < 3; i++) {
        send_actions("Context = $ { Add = $ { Media { Stream = 1 { " LOCAL " } } } }");
        cr_assert_null(strstr(text, "Error"), "%s", text);
    }
    cr_assert_eq(used_terms_with_own_ports(40000u, 40002u), 3u);
    cr_assert_eq(port_of("tcp/1"), 40000u);
    cr_assert_eq(port_of("tcp/2"), 40001u);
    cr_assert_eq(port_of("tcp/3"), 40002u);
    /* every port held: the Add fails whole (no termination, no context) */
    send_actions("Context = $ { Add = $ { Media { Stream = 1 { " LOCAL " } } } }");
    cr_assert_not_null(strstr(text, "Error = 510"), "%s", text);
    cr_assert_not_null(strstr(text, "every media port"), "%s", text);
    cr_assert_not_null(strstr(text, "Context = - {"), "%s", text);
    cr_assert_eq(out.nactions, 0u);
    cr_assert_eq(used_terms_with_own_ports(40000u, 40002u), 3u);
    /* a Local on a termination that holds a port takes no new one: a
     * Modify of tcp/1 keeps 40000 */
    send_actions("Context = 1 { Modify = tcp/1 { Media { Stream = 1 { " LOCAL " } } } }");
    cr_assert_null(strstr(text, "Error"), "%s", text);
    cr_assert_eq(port_of("tcp/1"), 40000u);
    /* tcp/2 subtracted: its port, and only it, is free; round robin goes on
     * from 40000 (after 40002), skips the held 40000 and hands out 40001 */
    send_actions("Context = 2 { Subtract = tcp/2 }");
    cr_assert_null(strstr(text, "Error"), "%s", text);
    send_actions("Context = $ { Add = $ { Media { Stream = 1 { " LOCAL " } } } }");
    cr_assert_null(strstr(text, "Error"), "%s", text);
    cr_assert_eq(port_of("tcp/5"), 40001u, "%s", text);
    cr_assert_eq(used_terms_with_own_ports(40000u, 40002u), 3u);
    /* a failed Add gives its port back: this Local got a port, then holds
     * a `$` the gateway cannot fill (449) */
    send_actions("Context = 1 { Subtract = tcp/1 }");
    send_actions("Context = $ { Add = $ { Media { Stream = 1 { Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/MSRP *\n"
                 "a=setup:$\na=x-unknown:$\n} } } } }");
    cr_assert_not_null(strstr(text, "Error = 449"), "%s", text);
    cr_assert_eq(used_terms_with_own_ports(40000u, 40002u), 2u);
    send_actions("Context = $ { Add = $ { Media { Stream = 1 { " LOCAL " } } } }");
    cr_assert_null(strstr(text, "Error"), "the port of the failed Add is free again: %s", text);
    cr_assert_eq(used_terms_with_own_ports(40000u, 40002u), 3u);
}

Test(mg_limits, forced_service_change_frees_every_port, .fini = mg_fixture_teardown)
{
    mg_fixture_start(40000u, 40001u);
    send_actions("Context = $ { Add = $ { Media { Stream = 1 { " LOCAL " } } }, "
                 "Add = $ { Media { Stream = 1 { " LOCAL " } } } }");
    cr_assert_null(strstr(text, "Error"), "%s", text);
    send_actions("Context = $ { Add = $ { Media { Stream = 1 { " LOCAL " } } } }");
    cr_assert_not_null(strstr(text, "Error = 510"), "%s", text);
    cr_assert_eq(emsec_mg_service_change(mg, 1000u, EMSEC_MG_SC_FORCED, &out), EMSEC_OK);
    cr_assert_eq(used_terms_with_own_ports(40000u, 40001u), 0u);
    send_actions("Context = $ { Add = $ { Media { Stream = 1 { " LOCAL " } } }, "
                 "Add = $ { Media { Stream = 1 { " LOCAL " } } } }");
    cr_assert_null(strstr(text, "Error"), "%s", text);
    cr_assert_eq(used_terms_with_own_ports(40000u, 40001u), 2u);
}

/* A TerminationID the controller names (not CHOOSE) up to the bytes the core
 * keeps (EMSEC_MG_MAX_NAME - 1, its NUL after them) and no further: the
 * replies write it whole (from the length the model keeps beside it, which
 * the proofs read instead of a strlen: core/mg.c, mg_names_ok), a later
 * command finds it with ASCII case ignored (H.248.1 B.2), and one byte more
 * is Error 449. */
Test(mg_limits, terminationid_up_to_its_field_and_no_further, .init = mg_fixture_setup,
     .fini = mg_fixture_teardown)
{
    char name[EMSEC_MG_MAX_NAME + 1u], upper[EMSEC_MG_MAX_NAME], msg[512], want[128];
    memset(name, 'x', EMSEC_MG_MAX_NAME - 1u);
    name[EMSEC_MG_MAX_NAME - 1u] = '\0';
    memset(upper, 'X', EMSEC_MG_MAX_NAME - 1u);
    upper[EMSEC_MG_MAX_NAME - 1u] = '\0';

    snprintf(msg, sizeof msg, "Context = $ { Add = %s { Media { Stream = 1 { " LOCAL " } } } }", name);
    send_actions(msg);
    cr_assert_null(strstr(text, "Error"), "%s", text);
    snprintf(want, sizeof want, "Add = %s {", name);
    cr_assert_not_null(strstr(text, want), "%s", text);
    cr_assert_eq(port_of(name), 40000u);

    snprintf(msg, sizeof msg, "Context = 1 { Modify = %s { Events = 7 { tlsbsc/ef } } }", upper);
    send_actions(msg);
    cr_assert_null(strstr(text, "Error"), "%s", text);
    snprintf(msg, sizeof msg, "Context = 1 { Subtract = %s }", upper);
    send_actions(msg);
    cr_assert_null(strstr(text, "Error"), "%s", text);
    snprintf(want, sizeof want, "Subtract = %s", name);
    cr_assert_not_null(strstr(text, want), "%s", text);
    cr_assert_eq(used_terms_with_own_ports(40000u, 40009u), 0u);

    memset(name, 'y', EMSEC_MG_MAX_NAME);
    name[EMSEC_MG_MAX_NAME] = '\0';
    snprintf(msg, sizeof msg, "Context = $ { Add = %s { Media { Stream = 1 { " LOCAL " } } } }", name);
    send_actions(msg);
    cr_assert_not_null(strstr(text, "Error = 449"), "%s", text);
    cr_assert_eq(used_terms_with_own_ports(40000u, 40009u), 0u);
}
