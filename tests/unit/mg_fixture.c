/*
 * The gateway-core tests' shared fixture: see mg_fixture.h. Not a test file
 * itself (no Test()); the Makefile links every .c of tests/unit, this one
 * too, into build/san/unit-tests.
 */
#include "mg_fixture.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const emsec_mg_config mg_fixture_cfg = { "[127.0.0.1]:2944", "tcp/", "192.0.2.10", 40000, 40009,
                                         MG_FIXTURE_FP, 1, 7 };

emsec_mg *mg;
char text[65536], note[65536];
emsec_mg_out out;

/* The last TransactionID send_actions used. */
static unsigned tid;

void mg_fixture_start(uint16_t port_min, uint16_t port_max)
{
    emsec_mg_config cfg = mg_fixture_cfg;
    cfg.port_min = port_min;
    cfg.port_max = port_max;
    mg = calloc(1, emsec_mg_size());
    cr_assert_not_null(mg);
    cr_assert_eq(emsec_mg_init(mg, &cfg), EMSEC_OK);
    memset(&out, 0, sizeof out);
    out.text = text;
    /* one byte kept back in each: the senders and the tests NUL-terminate
     * what the core wrote, and a reply may fill all the room it is given */
    out.cap = sizeof text - 1u;
    out.notify = note;
    out.notify_cap = sizeof note - 1u;
    tid = 0u;
}

void mg_fixture_setup(void)
{
    mg_fixture_start(mg_fixture_cfg.port_min, mg_fixture_cfg.port_max);
}

void mg_fixture_teardown(void)
{
    free(mg);
    mg = NULL;
}

emsec_result send_h248(const char *m)
{
    return emsec_mg_control(mg, 1000u, m, (uint32_t)strlen(m), &out);
}

void send_h248_ok(const char *m)
{
    cr_assert_eq(send_h248(m), EMSEC_OK);
    text[out.len] = '\0';
    cr_assert_null(strstr(text, "Error"), "%s", text);
}

void send_actions(const char *actions)
{
    char m[4096];
    int n = snprintf(m, sizeof m, "MEGACO/1 [192.0.2.1]:2944\nTransaction = %u { %s }\n", ++tid, actions);
    cr_assert(n > 0 && (size_t)n < sizeof m);
    cr_assert_eq(emsec_mg_control(mg, 1000u, m, (uint32_t)n, &out), EMSEC_OK);
    cr_assert_gt(out.len, 0u);
    text[out.len] = '\0';
}
