/*
 * The core's rule for FORWARD's msrp flag (include/emsec/mg.h; DESIGN.md:
 * MSRP-aware interworking optional, only when configured; otherwise bytes
 * pass untouched, as RFC 6714 CEMA requires) and the a=path values the
 * MSRP-aware relay takes from the SDP (emsec_mg_term_msrp_path).
 * Two plain TCP/MSRP legs: the UE's is accepted, the core's connected.
 * The gateway, `out` and the H.248 helpers are mg_fixture's.
 */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "emsec/mg.h"
#include "mg_fixture.h"

/* The handles of the UE's and the core's leg, set by forward_flag. */
static uint16_t ue_leg, core_leg;

/* The first action of kind k in out, or NULL. */
static const emsec_mg_action *find_action(uint8_t k)
{
    for (uint32_t i = 0; i < out.nactions; i++)
        if (out.actions[i].kind == k)
            return &out.actions[i];
    return NULL;
}

/* Hands the gateway a network event of `kind` on termination `term`. */
static void event(uint8_t kind, uint16_t term)
{
    emsec_mg_event ev = { .kind = kind, .term = term };
    cr_assert_eq(emsec_mg_on_event(mg, 2000u, &ev, &out), EMSEC_OK);
}

/* Turns MSRP-aware interworking on when `aware` (else leaves the gateway as
 * emsec_mg_init made it), sets up the two legs with the given m= proto and an
 * extra Remote line on the core leg, and returns the FORWARD action's msrp
 * flag; ue_leg and core_leg get the handles. */
static int forward_flag(bool aware, const char *proto, const char *core_extra)
{
    if (aware)
        emsec_mg_set_msrp_aware(mg, true);
    char m[2048];
    snprintf(m, sizeof m,
             "MEGACO/1 [192.0.2.1]:2944\nTransaction = 1 { Context = $ { Add = $ { Media { Stream = 1 {\n"
             "Local {\nv=0\nc=IN IP4 $\nm=message $ %s *\na=setup:$\na=path:$\n},\n"
             "Remote {\nv=0\nc=IN IP4 198.51.100.7\nm=message 7394 %s *\na=setup:active\n"
             "a=path:msrp://198.51.100.7:7394/ue1;tcp\n}\n} } } } }\n",
             proto, proto);
    send_h248_ok(m);
    const emsec_mg_action *l = find_action(EMSEC_MG_ACT_LISTEN);
    cr_assert_not_null(l, "no LISTEN: %s", text);
    ue_leg = l->term;
    snprintf(m, sizeof m,
             "MEGACO/1 [192.0.2.1]:2944\nTransaction = 2 { Context = 1 { Add = $ { Media { Stream = 1 {\n"
             "Local {\nv=0\nc=IN IP4 $\nm=message $ %s *\na=setup:$\na=path:$\n},\n"
             "Remote {\nv=0\nc=IN IP4 198.51.100.9\nm=message 9000 %s *\na=setup:passive\n"
             "a=path:msrp://198.51.100.9:9000/as1;tcp\n%s}\n} } } } }\n",
             proto, proto, core_extra);
    send_h248_ok(m);
    const emsec_mg_action *c = find_action(EMSEC_MG_ACT_CONNECT);
    cr_assert_not_null(c, "no CONNECT: %s", text);
    core_leg = c->term;
    event(EMSEC_MG_EV_ACCEPTED, ue_leg);
    cr_assert_null(find_action(EMSEC_MG_ACT_FORWARD), "FORWARD before both legs are up");
    event(EMSEC_MG_EV_CONNECTED, core_leg);
    const emsec_mg_action *f = find_action(EMSEC_MG_ACT_FORWARD);
    cr_assert_not_null(f, "no FORWARD once both legs are up");
    cr_assert_eq(f->mode, EMSEC_MG_FWD_PLAIN);
    return f->msrp;
}

Test(mg_msrp, off_by_default_bytes_untouched, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    cr_assert_eq(forward_flag(false, "TCP/MSRP", ""), 0);
}

Test(mg_msrp, configured_msrp_is_aware, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    cr_assert_eq(forward_flag(true, "TCP/MSRP", ""), 1);
}

Test(mg_msrp, cema_stays_agnostic, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    /* RFC 6714 §4: a=msrp-cema in either side's SDP keeps the bytes as they are */
    cr_assert_eq(forward_flag(true, "TCP/MSRP", "a=msrp-cema\n"), 0);
}

Test(mg_msrp, agnostic_tcp_stays_agnostic, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    cr_assert_eq(forward_flag(true, "TCP", ""), 0);
}

Test(mg_msrp, paths_for_the_relay, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    cr_assert_eq(forward_flag(true, "TCP/MSRP", ""), 1);
    const char *p = NULL;
    uint32_t len = 0u;
    cr_assert(emsec_mg_term_msrp_path(mg, ue_leg, true, &p, &len));
    cr_assert_eq(len, strlen("msrp://198.51.100.7:7394/ue1;tcp"));
    cr_assert_eq(memcmp(p, "msrp://198.51.100.7:7394/ue1;tcp", len), 0);
    cr_assert(emsec_mg_term_msrp_path(mg, core_leg, false, &p, &len));
    /* the core filled a=path:$ with the gateway's own URI on that leg */
    cr_assert_gt(len, strlen("msrp://192.0.2.10:"));
    cr_assert_eq(memcmp(p, "msrp://192.0.2.10:", strlen("msrp://192.0.2.10:")), 0);
    cr_assert_eq(memcmp(p + len - 4, ";tcp", 4), 0);
    /* no termination, no path */
    cr_assert(!emsec_mg_term_msrp_path(mg, 200u, false, &p, &len));
    cr_assert(!emsec_mg_term_msrp_path(NULL, ue_leg, false, &p, &len));
}
