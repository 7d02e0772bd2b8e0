/*
 * The core's rule for FORWARD's msrp flag (include/emsec/mg.h; DESIGN.md:
 * MSRP-aware interworking optional, only when configured; otherwise bytes
 * pass untouched, as RFC 6714 CEMA requires) and the a=path values the
 * MSRP-aware relay takes from the SDP (emsec_mg_term_msrp_path).
 * Two plain TCP/MSRP legs: the UE's is accepted, the core's connected.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsec/mg.h"

static emsec_mg *mg;
static char text[65536], note[65536];
static emsec_mg_out out;

#define FP "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3C:6F:7B:4B:5F:8A:32:D8:0C:3B:5C:0A"
static const emsec_mg_config cfg = { "[127.0.0.1]:2944", "tcp/", "192.0.2.10", 40000, 40009, FP, 1, 7 };

static void setup(void)
{
    mg = calloc(1, emsec_mg_size());
    cr_assert_not_null(mg);
    cr_assert_eq(emsec_mg_init(mg, &cfg), EMSEC_OK);
}

static void teardown(void)
{
    free(mg);
}

static void reset_out(void)
{
    memset(&out, 0, sizeof out);
    out.text = text;
    out.cap = sizeof text;
    out.notify = note;
    out.notify_cap = sizeof note;
}

/* The first action of kind k in out, or NULL. */
static const emsec_mg_action *find_action(uint8_t k)
{
    for (uint32_t i = 0; i < out.nactions; i++)
        if (out.actions[i].kind == k)
            return &out.actions[i];
    return NULL;
}

static void control(const char *m)
{
    reset_out();
    cr_assert_eq(emsec_mg_control(mg, 1000u, m, (uint32_t)strlen(m), &out), EMSEC_OK);
    text[out.len] = '\0';
    cr_assert_null(strstr(text, "Error"), "%s", text);
}

static void event(uint8_t kind, uint16_t term)
{
    emsec_mg_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.term = term;
    reset_out();
    cr_assert_eq(emsec_mg_on_event(mg, 2000u, &ev, &out), EMSEC_OK);
}

/* Sets up the two legs with the given m= proto and an extra Remote line on
 * the core leg; returns the FORWARD action's msrp flag; *ue, *core get the
 * handles. */
static int forward_flag(const char *proto, const char *core_extra, uint16_t *ue, uint16_t *core)
{
    char m[2048];
    snprintf(m, sizeof m,
             "MEGACO/1 [192.0.2.1]:2944\nTransaction = 1 { Context = $ { Add = $ { Media { Stream = 1 {\n"
             "Local {\nv=0\nc=IN IP4 $\nm=message $ %s *\na=setup:$\na=path:$\n},\n"
             "Remote {\nv=0\nc=IN IP4 198.51.100.7\nm=message 7394 %s *\na=setup:active\n"
             "a=path:msrp://198.51.100.7:7394/ue1;tcp\n}\n} } } } }\n",
             proto, proto);
    control(m);
    const emsec_mg_action *l = find_action(EMSEC_MG_ACT_LISTEN);
    cr_assert_not_null(l, "no LISTEN: %s", text);
    *ue = l->term;
    snprintf(m, sizeof m,
             "MEGACO/1 [192.0.2.1]:2944\nTransaction = 2 { Context = 1 { Add = $ { Media { Stream = 1 {\n"
             "Local {\nv=0\nc=IN IP4 $\nm=message $ %s *\na=setup:$\na=path:$\n},\n"
             "Remote {\nv=0\nc=IN IP4 198.51.100.9\nm=message 9000 %s *\na=setup:passive\n"
             "a=path:msrp://198.51.100.9:9000/as1;tcp\n%s}\n} } } } }\n",
             proto, proto, core_extra);
    control(m);
    const emsec_mg_action *c = find_action(EMSEC_MG_ACT_CONNECT);
    cr_assert_not_null(c, "no CONNECT: %s", text);
    *core = c->term;
    event(EMSEC_MG_EV_ACCEPTED, *ue);
    cr_assert_null(find_action(EMSEC_MG_ACT_FORWARD), "FORWARD before both legs are up");
    event(EMSEC_MG_EV_CONNECTED, *core);
    const emsec_mg_action *f = find_action(EMSEC_MG_ACT_FORWARD);
    cr_assert_not_null(f, "no FORWARD once both legs are up");
    cr_assert_eq(f->mode, EMSEC_MG_FWD_PLAIN);
    return f->msrp;
}

Test(mg_msrp, off_by_default_bytes_untouched, .init = setup, .fini = teardown)
{
    uint16_t a, b;
    cr_assert_eq(forward_flag("TCP/MSRP", "", &a, &b), 0);
}

Test(mg_msrp, configured_msrp_is_aware, .init = setup, .fini = teardown)
{
    emsec_mg_set_msrp_aware(mg, true);
    uint16_t a, b;
    cr_assert_eq(forward_flag("TCP/MSRP", "", &a, &b), 1);
}

Test(mg_msrp, cema_stays_agnostic, .init = setup, .fini = teardown)
{
    /* RFC 6714 §4: a=msrp-cema in either side's SDP keeps the bytes as they are */
    emsec_mg_set_msrp_aware(mg, true);
    uint16_t a, b;
    cr_assert_eq(forward_flag("TCP/MSRP", "a=msrp-cema\n", &a, &b), 0);
}

Test(mg_msrp, agnostic_tcp_stays_agnostic, .init = setup, .fini = teardown)
{
    emsec_mg_set_msrp_aware(mg, true);
    uint16_t a, b;
    cr_assert_eq(forward_flag("TCP", "", &a, &b), 0);
}

Test(mg_msrp, paths_for_the_relay, .init = setup, .fini = teardown)
{
    emsec_mg_set_msrp_aware(mg, true);
    uint16_t a, b;
    cr_assert_eq(forward_flag("TCP/MSRP", "", &a, &b), 1);
    const char *p = NULL;
    uint32_t len = 0u;
    cr_assert(emsec_mg_term_msrp_path(mg, a, true, &p, &len));
    cr_assert_eq(len, strlen("msrp://198.51.100.7:7394/ue1;tcp"));
    cr_assert_eq(memcmp(p, "msrp://198.51.100.7:7394/ue1;tcp", len), 0);
    cr_assert(emsec_mg_term_msrp_path(mg, b, false, &p, &len));
    /* the core filled a=path:$ with the gateway's own URI on that leg */
    cr_assert_gt(len, strlen("msrp://192.0.2.10:"));
    cr_assert_eq(memcmp(p, "msrp://192.0.2.10:", strlen("msrp://192.0.2.10:")), 0);
    cr_assert_eq(memcmp(p + len - 4, ";tcp", 4), 0);
    /* no termination, no path */
    cr_assert(!emsec_mg_term_msrp_path(mg, 200u, false, &p, &len));
    cr_assert(!emsec_mg_term_msrp_path(NULL, a, false, &p, &len));
}
