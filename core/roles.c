/*
 * Role resolution over the two hand-written tables (see include/emsec/roles.h
 * and spec/roles.tbl, spec/reuse.tbl). Which combinations are legal lives in
 * the tables; this file only looks them up, applies the RFC 8842 tls-id rule
 * and maps "offerer / answerer" onto the gateway's side.
 */
#include "emsec/roles.h"

#include <stdbool.h>

#include "roles_table.h"

/*@ predicate input_in_range(emsec_role_input *in) =
      0 <= in->kind < EMSEC_KIND_COUNT &&
      0 <= in->side < EMSEC_SIDE_COUNT &&
      0 <= in->offer_setup < EMSEC_SETUP_COUNT &&
      0 <= in->answer_setup < EMSEC_SETUP_COUNT &&
      0 <= in->offer_connection < EMSEC_CONNECTION_COUNT &&
      0 <= in->answer_connection < EMSEC_CONNECTION_COUNT &&
      0 <= in->offer_tls_id < EMSEC_TLS_ID_COUNT &&
      0 <= in->answer_tls_id < EMSEC_TLS_ID_COUNT;
*/

/*@ logic integer sec_index(emsec_role_input *in) = in->secured ? 1 : 0; */

/*@ logic emsec_setup_row setup_row_of(emsec_role_input *in) =
      emsec_setup_table[in->kind][sec_index(in)][in->offer_setup][in->answer_setup];
*/

/*@ logic integer class_of(integer kind) =
      kind == EMSEC_KIND_MSRP ? EMSEC_REUSE_MSRP :
      kind == EMSEC_KIND_T38  ? EMSEC_REUSE_UDP : EMSEC_REUSE_CONNECTION;
*/

/*@ logic emsec_reuse_row reuse_row_of(emsec_role_input *in) =
      emsec_reuse_table[class_of(in->kind)][in->offer_connection]
                       [in->answer_connection][in->existing ? 1 : 0];
*/

/*@ requires 0 <= kind < EMSEC_KIND_COUNT;
    assigns \nothing;
    ensures \result == class_of(kind);
    ensures 0 <= \result < EMSEC_REUSE_CLASS_COUNT;
*/
emsec_reuse_class emsec_reuse_class_of(emsec_media_kind kind)
{
    switch (kind) {
    case EMSEC_KIND_MSRP:
        return EMSEC_REUSE_MSRP;
    case EMSEC_KIND_T38:
        return EMSEC_REUSE_UDP;
    case EMSEC_KIND_BFCP:
    case EMSEC_KIND_TCP:
    case EMSEC_KIND_COUNT:
    default:
        return EMSEC_REUSE_CONNECTION;
    }
}

/*
 * RFC 8842 §5: an end that asks for a new connection and sends a tls-id must
 * send a new one; an end that asks to keep the connection that is up must
 * send the tls-id it sent before. A missing a=connection means new
 * (RFC 4145 §5.1).
 */
/*@ assigns \nothing;
    ensures \result <==>
      ((conn != EMSEC_CONNECTION_EXISTING && id == EMSEC_TLS_ID_SAME) ||
       (conn == EMSEC_CONNECTION_EXISTING && existing && id == EMSEC_TLS_ID_NEW));
*/
static bool tls_id_conflicts(emsec_connection conn, emsec_tls_id id, bool existing)
{
    if (conn != EMSEC_CONNECTION_EXISTING) {
        return id == EMSEC_TLS_ID_SAME;
    }
    return existing && id == EMSEC_TLS_ID_NEW;
}

/*@ requires \valid(out);
    assigns *out;
    ensures out->refusal == why && out->tcp == EMSEC_TCP_NONE &&
            out->tls == EMSEC_TLS_NONE && !out->new_connection && !out->new_tls &&
            out->setup_row == setup_row && out->reuse_row == reuse_row;
    ensures \result == EMSEC_ERR_REFUSED;
*/
static emsec_result refuse(emsec_role_decision *out, emsec_refusal why,
                           uint16_t setup_row, uint16_t reuse_row)
{
    out->refusal = why;
    out->tcp = EMSEC_TCP_NONE;
    out->tls = EMSEC_TLS_NONE;
    out->new_connection = false;
    out->new_tls = false;
    out->setup_row = setup_row;
    out->reuse_row = reuse_row;
    return EMSEC_ERR_REFUSED;
}

/* Proved by Eva over every cell (proofs/roles_tables_eva.c), not by WP. */
/*@ requires 0 <= kind < EMSEC_KIND_COUNT && 0 <= sec < 2;
    requires 0 <= o < EMSEC_SETUP_COUNT && 0 <= a < EMSEC_SETUP_COUNT;
    assigns \result \from kind, sec, o, a;
    ensures \result == &emsec_setup_table[kind][sec][o][a];
    ensures \valid_read(\result);
    ensures setup_row_ok(\result, kind, sec);
*/
static const emsec_setup_row *setup_row(emsec_media_kind kind, unsigned sec, emsec_setup o,
                                        emsec_setup a)
{
    return &emsec_setup_table[kind][sec][o][a];
}

/* Proved by Eva over every cell (proofs/roles_tables_eva.c), not by WP. */
/*@ requires 0 <= cls < EMSEC_REUSE_CLASS_COUNT && 0 <= x < 2;
    requires 0 <= o < EMSEC_CONNECTION_COUNT && 0 <= a < EMSEC_CONNECTION_COUNT;
    assigns \result \from cls, o, a, x;
    ensures \result == &emsec_reuse_table[cls][o][a][x];
    ensures \valid_read(\result);
    ensures reuse_row_ok(\result, x);
*/
static const emsec_reuse_row *reuse_row(emsec_reuse_class cls, emsec_connection o,
                                        emsec_connection a, unsigned x)
{
    return &emsec_reuse_table[cls][o][a][x];
}


/* A new connection (or a held one): roles from the setup row, mapped onto
 * our side. */
/*@ requires \valid_read(srow) && \valid(out) && \separated(srow, out);
    requires 0 <= kind < EMSEC_KIND_COUNT && 0 <= side < EMSEC_SIDE_COUNT;
    requires srow->refusal == EMSEC_REFUSAL_NONE;
    requires setup_row_ok(srow, kind, secured ? 1 : 0);
    assigns *out;
    ensures out->refusal == EMSEC_REFUSAL_NONE;
    ensures out->setup_row == srow->row && out->reuse_row == reuse_row_no;
    ensures out->new_connection ==>
      out->tcp == (side == EMSEC_SIDE_OFFERER ? srow->offerer_tcp : srow->answerer_tcp);
    ensures tls_role_from_row: out->new_tls ==>
      (out->tls == EMSEC_TLS_CLIENT <==>
        ((side == EMSEC_SIDE_OFFERER && srow->tls_client == EMSEC_TLS_CLIENT_OFFERER) ||
         (side == EMSEC_SIDE_ANSWERER && srow->tls_client == EMSEC_TLS_CLIENT_ANSWERER)));
    ensures !secured ==> out->tls == EMSEC_TLS_NONE && !out->new_tls;
    ensures bfcp_answerer_not_client: kind == EMSEC_KIND_BFCP && side == EMSEC_SIDE_ANSWERER ==>
      out->tls != EMSEC_TLS_CLIENT;
    ensures msrp_client_iff_active: kind == EMSEC_KIND_MSRP && secured && out->new_connection ==>
      (out->tls == EMSEC_TLS_CLIENT <==> out->tcp == EMSEC_TCP_ACTIVE);
    ensures !out->new_connection && kind != EMSEC_KIND_T38 ==> out->tcp == EMSEC_TCP_HOLD;
    ensures kind == EMSEC_KIND_T38 ==> !out->new_connection;
    ensures secured && out->new_connection ==> out->new_tls;
*/
static void decide_from_row(const emsec_setup_row *srow, emsec_media_kind kind, bool secured,
                            emsec_side side, uint16_t reuse_row_no, emsec_role_decision *out)
{
    (void)kind; /* named by the contract: the row's properties depend on it */
    const bool offerer = side == EMSEC_SIDE_OFFERER;
    const emsec_tcp_role tcp = offerer ? srow->offerer_tcp : srow->answerer_tcp;
    emsec_tls_role tls = EMSEC_TLS_NONE;
    if (secured && srow->tls_client != EMSEC_TLS_CLIENT_NONE) {
        const bool we_are_client =
            (offerer && srow->tls_client == EMSEC_TLS_CLIENT_OFFERER) ||
            (!offerer && srow->tls_client == EMSEC_TLS_CLIENT_ANSWERER);
        tls = we_are_client ? EMSEC_TLS_CLIENT : EMSEC_TLS_SERVER;
    }
    out->refusal = EMSEC_REFUSAL_NONE;
    out->tcp = tcp;
    out->tls = tls;
    out->new_connection = tcp == EMSEC_TCP_ACTIVE || tcp == EMSEC_TCP_PASSIVE;
    out->new_tls = tls != EMSEC_TLS_NONE;
    out->setup_row = srow->row;
    out->reuse_row = reuse_row_no;
}

/* The connection that is up goes on: no role changes (RFC 4145 §5.1,
 * RFC 8856 §8). */
/*@ requires \valid(out);
    assigns *out;
    ensures out->refusal == EMSEC_REFUSAL_NONE && !out->new_connection && !out->new_tls;
    ensures out->tcp == (udp ? EMSEC_TCP_NONE : EMSEC_TCP_KEEP);
    ensures keeps_tls: out->tls == (secured ? EMSEC_TLS_KEEP : EMSEC_TLS_NONE);
    ensures out->setup_row == setup_row_no && out->reuse_row == reuse_row_no;
*/
static void decide_keep(bool udp, bool secured, uint16_t setup_row_no, uint16_t reuse_row_no,
                        emsec_role_decision *out)
{
    out->refusal = EMSEC_REFUSAL_NONE;
    out->tcp = udp ? EMSEC_TCP_NONE : EMSEC_TCP_KEEP;
    out->tls = secured ? EMSEC_TLS_KEEP : EMSEC_TLS_NONE;
    out->new_connection = false;
    out->new_tls = false;
    out->setup_row = setup_row_no;
    out->reuse_row = reuse_row_no;
}

/*
 * The in-range resolution, one function per outcome. Why so many small
 * functions: WP's cost on the resolver was the number of paths each goal saw
 * (five outcomes, each a call that rewrites *out), not the facts themselves.
 * So every function below has at most two paths, each ending in one call, and
 * states its result with the same predicate `decided`, over the input, the two
 * rows and the decision's fields as values at entry and exit: a dispatcher's
 * goal is then its callee's postcondition read back (Qed alone), a leaf's goal
 * is one call's contract, and only resolve_in_range relates the two rows to
 * the tables. The order of the tests is the rule order: reuse refusal, tls-id
 * conflict, keep, setup refusal, roles from the setup row.
 */

/*@ predicate chain_pre(emsec_role_input *in, emsec_setup_row *s, emsec_reuse_row *r,
                        emsec_role_decision *out) =
      \valid_read(in) && \valid_read(s) && \valid_read(r) && \valid(out) &&
      \separated(out, in) && \separated(out, s) && \separated(out, r) &&
      input_in_range(in) &&
      setup_row_ok(s, in->kind, sec_index(in)) &&
      reuse_row_ok(r, in->existing ? 1 : 0);

    // The in_range behaviour of emsec_roles_resolve, for the input value v
    // whose setup row is s and reuse row is r; the decision's fields are
    // passed one by one, as values, so that each goal reads them once.
    predicate decided(emsec_role_input v, emsec_setup_row s, emsec_reuse_row r,
                      integer result, integer refusal, integer tcp, integer tls,
                      integer new_connection, integer new_tls,
                      integer setup_row, integer reuse_row) =
      (result == EMSEC_OK || result == EMSEC_ERR_REFUSED) &&
      (result == EMSEC_OK <==> refusal == EMSEC_REFUSAL_NONE) &&
      (setup_row == s.row && setup_row != 0) &&
      (reuse_row == r.row && reuse_row != 0) &&
      (result == EMSEC_ERR_REFUSED ==>
        refusal == r.refusal || refusal == s.refusal ||
        refusal == EMSEC_REFUSAL_TLS_ID_CONFLICT) &&
      (result == EMSEC_ERR_REFUSED ==> new_connection == 0 && new_tls == 0) &&
      (result == EMSEC_OK && new_connection != 0 ==>
        tcp == (v.side == EMSEC_SIDE_OFFERER ? s.offerer_tcp : s.answerer_tcp)) &&
      (result == EMSEC_OK && new_tls != 0 ==>
        (tls == EMSEC_TLS_CLIENT <==>
          ((v.side == EMSEC_SIDE_OFFERER && s.tls_client == EMSEC_TLS_CLIENT_OFFERER) ||
           (v.side == EMSEC_SIDE_ANSWERER && s.tls_client == EMSEC_TLS_CLIENT_ANSWERER)))) &&
      (!v.secured ==> tls == EMSEC_TLS_NONE && new_tls == 0) &&
      (v.kind == EMSEC_KIND_BFCP && v.side == EMSEC_SIDE_ANSWERER ==>
        tls != EMSEC_TLS_CLIENT) &&
      (v.kind == EMSEC_KIND_MSRP && v.secured && result == EMSEC_OK &&
       new_connection != 0 ==>
        (tls == EMSEC_TLS_CLIENT <==> tcp == EMSEC_TCP_ACTIVE)) &&
      (v.secured && new_connection != 0 ==> new_tls != 0) &&
      (v.kind == EMSEC_KIND_T38 ==> new_connection == 0);
*/

/*@ requires \valid_read(in);
    assigns \nothing;
    ensures \result <==> input_in_range(in);
*/
static bool in_range(const emsec_role_input *in)
{
    return (unsigned)in->kind < EMSEC_KIND_COUNT && (unsigned)in->side < EMSEC_SIDE_COUNT &&
           (unsigned)in->offer_setup < EMSEC_SETUP_COUNT &&
           (unsigned)in->answer_setup < EMSEC_SETUP_COUNT &&
           (unsigned)in->offer_connection < EMSEC_CONNECTION_COUNT &&
           (unsigned)in->answer_connection < EMSEC_CONNECTION_COUNT &&
           (unsigned)in->offer_tls_id < EMSEC_TLS_ID_COUNT &&
           (unsigned)in->answer_tls_id < EMSEC_TLS_ID_COUNT;
}

/* A table index from a flag, as a call: `b ? 1u : 0u` inline would double
 * the caller's paths. */
/*@ assigns \nothing;
    ensures \result == (b ? 1 : 0);
*/
static unsigned index_of(bool b)
{
    return b ? 1u : 0u;
}

/* RFC 8842 §5 for either end; only TCP-class media carry a=tls-id against
 * a=connection (MSRP ignores a=connection, UDP media have none). */
/*@ requires \valid_read(in);
    assigns \nothing;
    ensures \result <==> in->secured && cls == EMSEC_REUSE_CONNECTION &&
      ((in->offer_connection != EMSEC_CONNECTION_EXISTING &&
        in->offer_tls_id == EMSEC_TLS_ID_SAME) ||
       (in->offer_connection == EMSEC_CONNECTION_EXISTING && in->existing &&
        in->offer_tls_id == EMSEC_TLS_ID_NEW) ||
       (in->answer_connection != EMSEC_CONNECTION_EXISTING &&
        in->answer_tls_id == EMSEC_TLS_ID_SAME) ||
       (in->answer_connection == EMSEC_CONNECTION_EXISTING && in->existing &&
        in->answer_tls_id == EMSEC_TLS_ID_NEW));
*/
static bool tls_ids_conflict(const emsec_role_input *in, emsec_reuse_class cls)
{
    return in->secured && cls == EMSEC_REUSE_CONNECTION &&
           (tls_id_conflicts(in->offer_connection, in->offer_tls_id, in->existing) ||
            tls_id_conflicts(in->answer_connection, in->answer_tls_id, in->existing));
}

/* RFC 8842 §4: a new tls-id from either end asks for a new DTLS association;
 * otherwise UDP media keep the one that is up. */
/*@ requires \valid_read(in) && \valid_read(rrow);
    assigns \nothing;
    ensures \result <==> rrow->verdict == EMSEC_REUSE_KEEP &&
      !(cls == EMSEC_REUSE_UDP && in->secured &&
        (in->offer_tls_id == EMSEC_TLS_ID_NEW || in->answer_tls_id == EMSEC_TLS_ID_NEW));
*/
static bool keeps_connection(const emsec_role_input *in, emsec_reuse_class cls,
                             const emsec_reuse_row *rrow)
{
    return rrow->verdict == EMSEC_REUSE_KEEP &&
           !(cls == EMSEC_REUSE_UDP && in->secured &&
             (in->offer_tls_id == EMSEC_TLS_ID_NEW || in->answer_tls_id == EMSEC_TLS_ID_NEW));
}

/* Outcome 1: the reuse row refuses the a=connection pair. */
/*@ requires chain_pre(in, srow, rrow, out);
    requires rrow->verdict == EMSEC_REUSE_REFUSE;
    assigns *out;
    ensures decided(\old(*in), \old(*srow), \old(*rrow), \result,
                    out->refusal, out->tcp, out->tls, out->new_connection, out->new_tls,
                    out->setup_row, out->reuse_row);
*/
static emsec_result refuse_reuse(const emsec_role_input *in, const emsec_setup_row *srow,
                                 const emsec_reuse_row *rrow, emsec_role_decision *out)
{
    (void)in; /* named by the contract */
    return refuse(out, rrow->refusal, srow->row, rrow->row);
}

/* Outcome 2: a=tls-id contradicts a=connection (RFC 8842 §5). */
/*@ requires chain_pre(in, srow, rrow, out);
    assigns *out;
    ensures decided(\old(*in), \old(*srow), \old(*rrow), \result,
                    out->refusal, out->tcp, out->tls, out->new_connection, out->new_tls,
                    out->setup_row, out->reuse_row);
*/
static emsec_result refuse_tls_id(const emsec_role_input *in, const emsec_setup_row *srow,
                                  const emsec_reuse_row *rrow, emsec_role_decision *out)
{
    (void)in; /* named by the contract */
    return refuse(out, EMSEC_REFUSAL_TLS_ID_CONFLICT, srow->row, rrow->row);
}

/* Outcome 3: the connection that is up goes on. */
/*@ requires chain_pre(in, srow, rrow, out);
    assigns *out;
    ensures decided(\old(*in), \old(*srow), \old(*rrow), \result,
                    out->refusal, out->tcp, out->tls, out->new_connection, out->new_tls,
                    out->setup_row, out->reuse_row);
*/
static emsec_result keep(const emsec_role_input *in, emsec_reuse_class cls,
                         const emsec_setup_row *srow, const emsec_reuse_row *rrow,
                         emsec_role_decision *out)
{
    decide_keep(cls == EMSEC_REUSE_UDP, in->secured, srow->row, rrow->row, out);
    return EMSEC_OK;
}

/* Outcome 4: a new connection, but the a=setup pair is illegal. */
/*@ requires chain_pre(in, srow, rrow, out);
    requires srow->refusal != EMSEC_REFUSAL_NONE;
    assigns *out;
    ensures decided(\old(*in), \old(*srow), \old(*rrow), \result,
                    out->refusal, out->tcp, out->tls, out->new_connection, out->new_tls,
                    out->setup_row, out->reuse_row);
*/
static emsec_result refuse_setup(const emsec_role_input *in, const emsec_setup_row *srow,
                                 const emsec_reuse_row *rrow, emsec_role_decision *out)
{
    (void)in; /* named by the contract */
    return refuse(out, srow->refusal, srow->row, rrow->row);
}

/* Outcome 5: a new (or held) connection with the setup row's roles. */
/*@ requires chain_pre(in, srow, rrow, out);
    requires srow->refusal == EMSEC_REFUSAL_NONE;
    assigns *out;
    ensures decided(\old(*in), \old(*srow), \old(*rrow), \result,
                    out->refusal, out->tcp, out->tls, out->new_connection, out->new_tls,
                    out->setup_row, out->reuse_row);
*/
static emsec_result open_new(const emsec_role_input *in, const emsec_setup_row *srow,
                             const emsec_reuse_row *rrow, emsec_role_decision *out)
{
    decide_from_row(srow, in->kind, in->secured, in->side, rrow->row, out);
    return EMSEC_OK;
}

/* Not kept: the setup row decides (RFC 4145 §4). */
/*@ requires chain_pre(in, srow, rrow, out);
    assigns *out;
    ensures decided(\old(*in), \old(*srow), \old(*rrow), \result,
                    out->refusal, out->tcp, out->tls, out->new_connection, out->new_tls,
                    out->setup_row, out->reuse_row);
*/
static emsec_result decide_new(const emsec_role_input *in, const emsec_setup_row *srow,
                               const emsec_reuse_row *rrow, emsec_role_decision *out)
{
    if (srow->refusal != EMSEC_REFUSAL_NONE) {
        return refuse_setup(in, srow, rrow, out);
    }
    return open_new(in, srow, rrow, out);
}

/* No tls-id conflict: keep the connection that is up, or decide a new one. */
/*@ requires chain_pre(in, srow, rrow, out);
    assigns *out;
    ensures decided(\old(*in), \old(*srow), \old(*rrow), \result,
                    out->refusal, out->tcp, out->tls, out->new_connection, out->new_tls,
                    out->setup_row, out->reuse_row);
*/
static emsec_result decide_reuse(const emsec_role_input *in, emsec_reuse_class cls,
                                 const emsec_setup_row *srow, const emsec_reuse_row *rrow,
                                 emsec_role_decision *out)
{
    if (keeps_connection(in, cls, rrow)) {
        return keep(in, cls, srow, rrow, out);
    }
    return decide_new(in, srow, rrow, out);
}

/* The reuse row allows the a=connection pair: check the tls-ids next. */
/*@ requires chain_pre(in, srow, rrow, out);
    assigns *out;
    ensures decided(\old(*in), \old(*srow), \old(*rrow), \result,
                    out->refusal, out->tcp, out->tls, out->new_connection, out->new_tls,
                    out->setup_row, out->reuse_row);
*/
static emsec_result decide_tls_id(const emsec_role_input *in, emsec_reuse_class cls,
                                  const emsec_setup_row *srow, const emsec_reuse_row *rrow,
                                  emsec_role_decision *out)
{
    if (tls_ids_conflict(in, cls)) {
        return refuse_tls_id(in, srow, rrow, out);
    }
    return decide_reuse(in, cls, srow, rrow, out);
}

/* Reuse first: a kept connection ignores the exchange's a=setup values
 * (RFC 4145 §5.1), so only a new one is refused for an illegal pair. */
/*@ requires chain_pre(in, srow, rrow, out);
    assigns *out;
    ensures decided(\old(*in), \old(*srow), \old(*rrow), \result,
                    out->refusal, out->tcp, out->tls, out->new_connection, out->new_tls,
                    out->setup_row, out->reuse_row);
*/
static emsec_result decide(const emsec_role_input *in, emsec_reuse_class cls,
                           const emsec_setup_row *srow, const emsec_reuse_row *rrow,
                           emsec_role_decision *out)
{
    if (rrow->verdict == EMSEC_REUSE_REFUSE) {
        return refuse_reuse(in, srow, rrow, out);
    }
    return decide_tls_id(in, cls, srow, rrow, out);
}

/* Look the two rows up and decide: the one place that names the tables. */
/*@ requires \valid_read(in) && \valid(out) && \separated(in, out);
    requires input_in_range(in);
    assigns *out;
    ensures decided(*in, setup_row_of(in), reuse_row_of(in), \result,
                    out->refusal, out->tcp, out->tls, out->new_connection, out->new_tls,
                    out->setup_row, out->reuse_row);
*/
static emsec_result resolve_in_range(const emsec_role_input *in, emsec_role_decision *out)
{
    const emsec_setup_row *srow =
        setup_row(in->kind, index_of(in->secured), in->offer_setup, in->answer_setup);
    const emsec_reuse_class cls = emsec_reuse_class_of(in->kind);
    const emsec_reuse_row *rrow =
        reuse_row(cls, in->offer_connection, in->answer_connection, index_of(in->existing));
    return decide(in, cls, srow, rrow, out);
}

/*@ requires \valid_read(in) && \valid(out) && \separated(in, out);
    assigns *out;

    behavior out_of_range:
      assumes !input_in_range(in);
      ensures \result == EMSEC_ERR_ARGUMENT;
      ensures out->setup_row == 0 && out->reuse_row == 0;

    behavior in_range:
      assumes input_in_range(in);
      ensures \result == EMSEC_OK || \result == EMSEC_ERR_REFUSED;
      ensures \result == EMSEC_OK <==> out->refusal == EMSEC_REFUSAL_NONE;
      // The decision names the rows it came from, and rows are never empty.
      ensures out->setup_row == setup_row_of(in).row && out->setup_row != 0;
      ensures out->reuse_row == reuse_row_of(in).row && out->reuse_row != 0;
      // A refusal is the one a table row or RFC 8842 §5 gives.
      ensures \result == EMSEC_ERR_REFUSED ==>
        out->refusal == reuse_row_of(in).refusal ||
        out->refusal == setup_row_of(in).refusal ||
        out->refusal == EMSEC_REFUSAL_TLS_ID_CONFLICT;
      ensures \result == EMSEC_ERR_REFUSED ==> !out->new_connection && !out->new_tls;
      // A new connection takes the TCP role the setup row gives our side.
      ensures \result == EMSEC_OK && out->new_connection ==>
        out->tcp == (in->side == EMSEC_SIDE_OFFERER ? setup_row_of(in).offerer_tcp
                                                    : setup_row_of(in).answerer_tcp);
      // A new TLS session: our TLS role is the one the setup row gives our side.
      ensures \result == EMSEC_OK && out->new_tls ==>
        (out->tls == EMSEC_TLS_CLIENT <==>
          ((in->side == EMSEC_SIDE_OFFERER &&
            setup_row_of(in).tls_client == EMSEC_TLS_CLIENT_OFFERER) ||
           (in->side == EMSEC_SIDE_ANSWERER &&
            setup_row_of(in).tls_client == EMSEC_TLS_CLIENT_ANSWERER)));
      // TLS only where the m= line is secured.
      ensures !in->secured ==> out->tls == EMSEC_TLS_NONE && !out->new_tls;
      // RFC 8856 §8: the BFCP answerer is never the TLS client.
      ensures in->kind == EMSEC_KIND_BFCP && in->side == EMSEC_SIDE_ANSWERER ==>
        out->tls != EMSEC_TLS_CLIENT;
      // RFC 6135 §6: for MSRP over TLS, TLS client <=> TCP active.
      ensures in->kind == EMSEC_KIND_MSRP && in->secured && \result == EMSEC_OK &&
              out->new_connection ==>
        (out->tls == EMSEC_TLS_CLIENT <==> out->tcp == EMSEC_TCP_ACTIVE);
      // A secured new connection always carries a new TLS session.
      ensures in->secured && out->new_connection ==> out->new_tls;
      // UDP media never opens a TCP connection.
      ensures in->kind == EMSEC_KIND_T38 ==> !out->new_connection;

    complete behaviors;
    disjoint behaviors;
*/
emsec_result emsec_roles_resolve(const emsec_role_input *in, emsec_role_decision *out)
{
    if (!in_range(in)) {
        (void)refuse(out, EMSEC_REFUSAL_NONE, 0, 0);
        return EMSEC_ERR_ARGUMENT;
    }
    return resolve_in_range(in, out);
}
