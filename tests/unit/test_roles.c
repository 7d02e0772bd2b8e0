/*
 * Role resolution: every cell of both tables, and every combination of the
 * resolver's inputs (32,400), checked against an oracle written here from the
 * RFC text independently of spec/roles.tbl; then the named cases of RFC 4145
 * §4.1, RFC 6135 §6, RFC 8856 §8 and DESIGN.md's four gateway-side rules.
 */
#include <criterion/criterion.h>
#include <stdbool.h>

#include "emsec/roles.h"
#include "roles_table.h"

/* ---------------------------------------------------------------- oracle */

typedef struct expected_pair {
    emsec_refusal refusal;
    emsec_tcp_role offerer_tcp, answerer_tcp;
    emsec_tls_client tls_client;
} expected_pair;

/* RFC 4145 §4.1 (+ defaults), RFC 6135 §4.2.1 and §6, RFC 8122 §6.2,
 * RFC 8856 §8, RFC 7345 §4.2-4.4, as read from the RFCs for this test. */
static expected_pair oracle_pair(emsec_media_kind kind, bool sec, emsec_setup o, emsec_setup a)
{
    expected_pair e = {EMSEC_REFUSAL_NONE, EMSEC_TCP_NONE, EMSEC_TCP_NONE, EMSEC_TLS_CLIENT_NONE};
    if (kind == EMSEC_KIND_T38 && !sec) {
        return e; /* plain udptl: UDP, no roles at all */
    }
    if (kind == EMSEC_KIND_MSRP) {
        if (o == EMSEC_SETUP_HOLDCONN) o = EMSEC_SETUP_ABSENT;
        if (a == EMSEC_SETUP_HOLDCONN) a = EMSEC_SETUP_ABSENT;
    }
    if (o == EMSEC_SETUP_ABSENT) o = EMSEC_SETUP_ACTIVE;
    if (a == EMSEC_SETUP_ABSENT) a = EMSEC_SETUP_PASSIVE;
    const bool dtls = kind == EMSEC_KIND_T38;
    if (dtls && o == EMSEC_SETUP_HOLDCONN) {
        e.refusal = EMSEC_REFUSAL_HOLDCONN_FORBIDDEN;
    } else if (a == EMSEC_SETUP_ACTPASS) {
        e.refusal = EMSEC_REFUSAL_ANSWER_ACTPASS;
    } else if (o == EMSEC_SETUP_HOLDCONN && a != EMSEC_SETUP_HOLDCONN) {
        e.refusal = EMSEC_REFUSAL_HOLDCONN_MISMATCH;
    } else if (dtls && a == EMSEC_SETUP_HOLDCONN) {
        e.refusal = EMSEC_REFUSAL_HOLDCONN_FORBIDDEN;
    } else if (a == EMSEC_SETUP_HOLDCONN) {
        e.offerer_tcp = e.answerer_tcp = EMSEC_TCP_HOLD;
    } else if (o == EMSEC_SETUP_ACTIVE && a == EMSEC_SETUP_ACTIVE) {
        e.refusal = (sec && kind != EMSEC_KIND_BFCP) ? EMSEC_REFUSAL_TLS_COLLISION
                                                     : EMSEC_REFUSAL_BOTH_ACTIVE;
    } else if (o == EMSEC_SETUP_PASSIVE && a == EMSEC_SETUP_PASSIVE) {
        e.refusal = EMSEC_REFUSAL_BOTH_PASSIVE;
    } else {
        const bool offerer_active = a == EMSEC_SETUP_PASSIVE;
        e.offerer_tcp = offerer_active ? EMSEC_TCP_ACTIVE : EMSEC_TCP_PASSIVE;
        e.answerer_tcp = offerer_active ? EMSEC_TCP_PASSIVE : EMSEC_TCP_ACTIVE;
        if (dtls) e.offerer_tcp = e.answerer_tcp = EMSEC_TCP_NONE;
        if (sec) {
            if (kind == EMSEC_KIND_BFCP) {
                e.tls_client = EMSEC_TLS_CLIENT_OFFERER; /* answerer = server */
            } else {
                e.tls_client = offerer_active ? EMSEC_TLS_CLIENT_OFFERER
                                              : EMSEC_TLS_CLIENT_ANSWERER;
            }
        }
    }
    return e;
}

#define FOR_ALL_PAIRS                                                         \
    for (int k = 0; k < EMSEC_KIND_COUNT; k++)                               \
        for (int s = 0; s < 2; s++)                                          \
            for (int o = 0; o < EMSEC_SETUP_COUNT; o++)                      \
                for (int a = 0; a < EMSEC_SETUP_COUNT; a++)

Test(roles_table, every_setup_cell_is_filled_numbered_and_matches_the_rfc_oracle)
{
    bool seen_row[EMSEC_KIND_COUNT * 2 * EMSEC_SETUP_COUNT * EMSEC_SETUP_COUNT + 1] = {false};
    int cells = 0;
    FOR_ALL_PAIRS {
        const emsec_setup_row *r = &emsec_setup_table[k][s][o][a];
        const expected_pair e = oracle_pair((emsec_media_kind)k, s, (emsec_setup)o, (emsec_setup)a);
        cr_assert(r->row >= 1 && r->row <= 200, "cell %d/%d/%d/%d has row %u", k, s, o, a, r->row);
        cr_assert(!seen_row[r->row], "row %u used twice", r->row);
        seen_row[r->row] = true;
        cr_assert_eq(r->refusal, e.refusal, "%s %s %s/%s: refusal %s, RFC says %s",
                     emsec_media_kind_name(k), s ? "tls" : "plain", emsec_setup_name(o),
                     emsec_setup_name(a), emsec_refusal_name(r->refusal),
                     emsec_refusal_name(e.refusal));
        cr_assert_eq(r->offerer_tcp, e.offerer_tcp, "row %u offerer tcp", r->row);
        cr_assert_eq(r->answerer_tcp, e.answerer_tcp, "row %u answerer tcp", r->row);
        cr_assert_eq(r->tls_client, e.tls_client, "row %u tls client", r->row);
        cells++;
    }
    cr_assert_eq(cells, 200);
}

Test(roles_table, every_reuse_cell_is_filled_and_follows_rfc4145_section5)
{
    int cells = 0;
    for (int c = 0; c < EMSEC_REUSE_CLASS_COUNT; c++)
        for (int o = 0; o < EMSEC_CONNECTION_COUNT; o++)
            for (int a = 0; a < EMSEC_CONNECTION_COUNT; a++)
                for (int x = 0; x < 2; x++) {
                    const emsec_reuse_row *r = &emsec_reuse_table[c][o][a][x];
                    cr_assert(r->row >= 1 && r->row <= 54);
                    emsec_reuse_verdict v;
                    emsec_refusal why = EMSEC_REFUSAL_NONE;
                    if (c != EMSEC_REUSE_CONNECTION) {
                        v = x ? EMSEC_REUSE_KEEP : EMSEC_REUSE_NEW; /* a=connection ignored */
                    } else if (o != EMSEC_CONNECTION_EXISTING && a == EMSEC_CONNECTION_EXISTING) {
                        v = EMSEC_REUSE_REFUSE;
                        why = EMSEC_REFUSAL_CONNECTION_NEW_EXISTING;
                    } else if (a != EMSEC_CONNECTION_EXISTING) {
                        v = EMSEC_REUSE_NEW;
                    } else if (x) {
                        v = EMSEC_REUSE_KEEP;
                    } else {
                        v = EMSEC_REUSE_REFUSE;
                        why = EMSEC_REFUSAL_NO_EXISTING_CONNECTION;
                    }
                    cr_assert_eq(r->verdict, v, "reuse row %u verdict", r->row);
                    cr_assert_eq(r->refusal, why, "reuse row %u refusal", r->row);
                    cells++;
                }
    cr_assert_eq(cells, 54);
}

/* ------------------------------------------------- the whole input space */

Test(roles_resolve, every_input_combination_keeps_the_rules)
{
    long n = 0;
    emsec_role_input in;
    FOR_ALL_PAIRS
    for (int side = 0; side < 2; side++)
    for (int oc = 0; oc < EMSEC_CONNECTION_COUNT; oc++)
    for (int ac = 0; ac < EMSEC_CONNECTION_COUNT; ac++)
    for (int ot = 0; ot < EMSEC_TLS_ID_COUNT; ot++)
    for (int at = 0; at < EMSEC_TLS_ID_COUNT; at++)
    for (int x = 0; x < 2; x++) {
        in = (emsec_role_input){.kind = k, .secured = s, .side = side, .offer_setup = o,
                                .answer_setup = a, .offer_connection = oc,
                                .answer_connection = ac, .offer_tls_id = ot,
                                .answer_tls_id = at, .existing = x};
        emsec_role_decision d;
        const emsec_result r = emsec_roles_resolve(&in, &d);
        n++;
        cr_assert(r == EMSEC_OK || r == EMSEC_ERR_REFUSED);
        cr_assert_eq(r == EMSEC_OK, d.refusal == EMSEC_REFUSAL_NONE);
        cr_assert_eq(d.setup_row, emsec_setup_table[k][s][o][a].row);
        if (r != EMSEC_OK) {
            cr_assert(!d.new_connection && !d.new_tls);
            continue;
        }
        /* RFC 8856 §8 */
        if (k == EMSEC_KIND_BFCP && side == EMSEC_SIDE_ANSWERER) cr_assert_neq(d.tls, EMSEC_TLS_CLIENT);
        if (k == EMSEC_KIND_BFCP && side == EMSEC_SIDE_OFFERER && s && d.new_tls)
            cr_assert_eq(d.tls, EMSEC_TLS_CLIENT);
        /* RFC 6135 §6 */
        if (k == EMSEC_KIND_MSRP && s && d.new_connection)
            cr_assert_eq(d.tls == EMSEC_TLS_CLIENT, d.tcp == EMSEC_TCP_ACTIVE);
        /* no TLS on plain media, no TCP for UDP */
        if (!s) cr_assert(d.tls == EMSEC_TLS_NONE && !d.new_tls);
        if (k == EMSEC_KIND_T38) cr_assert(!d.new_connection && d.tcp == EMSEC_TCP_NONE);
        /* a new connection always carries a new TLS session when secured */
        if (s && d.new_connection) cr_assert(d.new_tls);
        /* RFC 8842 §5: no accepted exchange contradicts a=tls-id */
        if (s && (k == EMSEC_KIND_BFCP || k == EMSEC_KIND_TCP)) {
            cr_assert(!(oc != EMSEC_CONNECTION_EXISTING && ot == EMSEC_TLS_ID_SAME));
            cr_assert(!(ac != EMSEC_CONNECTION_EXISTING && at == EMSEC_TLS_ID_SAME));
        }
        /* kept sessions keep their roles */
        if (d.tls == EMSEC_TLS_KEEP) cr_assert(x && !d.new_tls);
    }
    cr_assert_eq(n, 200L * 2 * 3 * 3 * 3 * 3 * 2);
}

Test(roles_resolve, out_of_range_enums_are_an_argument_error_not_a_crash)
{
    emsec_role_input in = {.kind = EMSEC_KIND_COUNT};
    emsec_role_decision d;
    cr_assert_eq(emsec_roles_resolve(&in, &d), EMSEC_ERR_ARGUMENT);
    cr_assert_eq(d.setup_row, 0);
    in = (emsec_role_input){.kind = EMSEC_KIND_MSRP, .answer_setup = (emsec_setup)77};
    cr_assert_eq(emsec_roles_resolve(&in, &d), EMSEC_ERR_ARGUMENT);
    in = (emsec_role_input){.kind = EMSEC_KIND_MSRP, .side = (emsec_side)-1};
    cr_assert_eq(emsec_roles_resolve(&in, &d), EMSEC_ERR_ARGUMENT);
}

/* ------------------------------------------------------------ named cases */

static emsec_role_decision decide(emsec_media_kind k, bool sec, emsec_side side, emsec_setup o,
                                  emsec_setup a, emsec_result want)
{
    const emsec_role_input in = {.kind = k, .secured = sec, .side = side,
                                 .offer_setup = o, .answer_setup = a};
    emsec_role_decision d;
    cr_assert_eq(emsec_roles_resolve(&in, &d), want);
    return d;
}

/* DESIGN.md: "it sends a=setup:active in an answer, or receives
 * a=setup:passive in an answer -> TLS client; the reverse -> TLS server." */
Test(roles_gateway_rules, msrp_answer_we_send_active_makes_us_tls_client)
{
    emsec_role_decision d = decide(EMSEC_KIND_MSRP, true, EMSEC_SIDE_ANSWERER, EMSEC_SETUP_ACTPASS,
                                   EMSEC_SETUP_ACTIVE, EMSEC_OK);
    cr_assert_eq(d.tcp, EMSEC_TCP_ACTIVE);
    cr_assert_eq(d.tls, EMSEC_TLS_CLIENT);
    cr_assert(d.new_connection && d.new_tls);
}

Test(roles_gateway_rules, msrp_answer_we_receive_passive_makes_us_tls_client)
{
    emsec_role_decision d = decide(EMSEC_KIND_MSRP, true, EMSEC_SIDE_OFFERER, EMSEC_SETUP_ACTPASS,
                                   EMSEC_SETUP_PASSIVE, EMSEC_OK);
    cr_assert_eq(d.tcp, EMSEC_TCP_ACTIVE);
    cr_assert_eq(d.tls, EMSEC_TLS_CLIENT);
}

Test(roles_gateway_rules, msrp_answer_we_send_passive_makes_us_tls_server)
{
    emsec_role_decision d = decide(EMSEC_KIND_MSRP, true, EMSEC_SIDE_ANSWERER, EMSEC_SETUP_ACTPASS,
                                   EMSEC_SETUP_PASSIVE, EMSEC_OK);
    cr_assert_eq(d.tcp, EMSEC_TCP_PASSIVE);
    cr_assert_eq(d.tls, EMSEC_TLS_SERVER);
}

Test(roles_gateway_rules, msrp_answer_we_receive_active_makes_us_tls_server)
{
    emsec_role_decision d = decide(EMSEC_KIND_MSRP, true, EMSEC_SIDE_OFFERER, EMSEC_SETUP_ACTPASS,
                                   EMSEC_SETUP_ACTIVE, EMSEC_OK);
    cr_assert_eq(d.tcp, EMSEC_TCP_PASSIVE);
    cr_assert_eq(d.tls, EMSEC_TLS_SERVER);
}

Test(roles_named, rfc4145_defaults_make_the_offerer_active)
{
    emsec_role_decision d = decide(EMSEC_KIND_TCP, false, EMSEC_SIDE_OFFERER, EMSEC_SETUP_ABSENT,
                                   EMSEC_SETUP_ABSENT, EMSEC_OK);
    cr_assert_eq(d.tcp, EMSEC_TCP_ACTIVE);
    cr_assert_eq(d.tls, EMSEC_TLS_NONE);
}

Test(roles_named, bfcp_answerer_is_tls_server_even_when_tcp_active)
{
    emsec_role_decision d = decide(EMSEC_KIND_BFCP, true, EMSEC_SIDE_ANSWERER, EMSEC_SETUP_ACTPASS,
                                   EMSEC_SETUP_ACTIVE, EMSEC_OK);
    cr_assert_eq(d.tcp, EMSEC_TCP_ACTIVE);
    cr_assert_eq(d.tls, EMSEC_TLS_SERVER);
}

Test(roles_named, bfcp_reoffer_on_an_existing_tls_session_keeps_roles)
{
    /* RFC 8856 §8: the re-offer comes from the former answerer, with
     * a=setup values that would flip the roles of a new connection. */
    const emsec_role_input in = {.kind = EMSEC_KIND_BFCP, .secured = true,
                                 .side = EMSEC_SIDE_OFFERER,
                                 .offer_setup = EMSEC_SETUP_ACTIVE, .answer_setup = EMSEC_SETUP_PASSIVE,
                                 .offer_connection = EMSEC_CONNECTION_EXISTING,
                                 .answer_connection = EMSEC_CONNECTION_EXISTING, .existing = true};
    emsec_role_decision d;
    cr_assert_eq(emsec_roles_resolve(&in, &d), EMSEC_OK);
    cr_assert_eq(d.tcp, EMSEC_TCP_KEEP);
    cr_assert_eq(d.tls, EMSEC_TLS_KEEP);
    cr_assert(!d.new_connection && !d.new_tls);
}

Test(roles_named, both_active_with_tls_is_a_tls_collision)
{
    emsec_role_decision d = decide(EMSEC_KIND_MSRP, true, EMSEC_SIDE_ANSWERER, EMSEC_SETUP_ACTIVE,
                                   EMSEC_SETUP_ACTIVE, EMSEC_ERR_REFUSED);
    cr_assert_eq(d.refusal, EMSEC_REFUSAL_TLS_COLLISION);
}

Test(roles_named, msrp_holdconn_is_read_as_absent)
{
    emsec_role_decision d = decide(EMSEC_KIND_MSRP, false, EMSEC_SIDE_OFFERER, EMSEC_SETUP_HOLDCONN,
                                   EMSEC_SETUP_HOLDCONN, EMSEC_OK);
    cr_assert_eq(d.tcp, EMSEC_TCP_ACTIVE);
}

Test(roles_named, tls_id_unchanged_with_connection_new_is_refused)
{
    const emsec_role_input in = {.kind = EMSEC_KIND_TCP, .secured = true,
                                 .side = EMSEC_SIDE_ANSWERER,
                                 .offer_setup = EMSEC_SETUP_ACTPASS, .answer_setup = EMSEC_SETUP_PASSIVE,
                                 .offer_connection = EMSEC_CONNECTION_NEW,
                                 .answer_connection = EMSEC_CONNECTION_NEW,
                                 .offer_tls_id = EMSEC_TLS_ID_SAME, .existing = true};
    emsec_role_decision d;
    cr_assert_eq(emsec_roles_resolve(&in, &d), EMSEC_ERR_REFUSED);
    cr_assert_eq(d.refusal, EMSEC_REFUSAL_TLS_ID_CONFLICT);
}

Test(roles_named, t38_dtls_new_tls_id_starts_a_new_association)
{
    const emsec_role_input in = {.kind = EMSEC_KIND_T38, .secured = true,
                                 .side = EMSEC_SIDE_OFFERER,
                                 .offer_setup = EMSEC_SETUP_ACTPASS, .answer_setup = EMSEC_SETUP_ACTIVE,
                                 .offer_tls_id = EMSEC_TLS_ID_NEW, .existing = true};
    emsec_role_decision d;
    cr_assert_eq(emsec_roles_resolve(&in, &d), EMSEC_OK);
    cr_assert_eq(d.tls, EMSEC_TLS_SERVER);
    cr_assert(d.new_tls && !d.new_connection);
}
