/*
 * The two lifecycle engines: a range check and a table look-up each (see
 * core/lifecycle.h, spec/tcp_lifecycle.tbl, spec/tls_lifecycle.tbl). What a
 * state does with an event is the table's business; these functions only make
 * every input land on a cell or on the refusal, never on undefined behaviour.
 *
 * Proofs: WP with RTE proves both step functions against the contracts below
 * (proofs/run.sh). The look-ups tcp_cell / tls_cell promise the cell
 * properties of core/lifecycle.h; WP runs with -wp-no-init-const, so those
 * two promises are discharged by Eva over every cell of the compiled arrays
 * (proofs/lifecycle_tables_eva.c), as for the role tables.
 */
#include "lifecycle.h"

/*@ predicate tcp_cell_is(emsec_tcp_cell *o, integer s, integer e) =
      o->next == emsec_tcp_table[s][e].next && o->actions == emsec_tcp_table[s][e].actions &&
      o->cause == emsec_tcp_table[s][e].cause && o->line == emsec_tcp_table[s][e].line;
    predicate tls_cell_is(emsec_tls_cell *o, integer s, integer e) =
      o->next == emsec_tls_table[s][e].next && o->actions == emsec_tls_table[s][e].actions &&
      o->cause == emsec_tls_table[s][e].cause && o->line == emsec_tls_table[s][e].line;
*/

/* Proved by Eva over every cell (proofs/lifecycle_tables_eva.c), not by WP. */
/*@ requires tcp_in_range(s, e);
    assigns \result \from s, e;
    ensures \result == &emsec_tcp_table[s][e];
    ensures tcp_cell_ok(\result, s, e);
*/
static const emsec_tcp_cell *tcp_cell(emsec_tcp_state s, emsec_tcp_event e)
{
    return &emsec_tcp_table[s][e];
}

/* Proved by Eva over every cell (proofs/lifecycle_tables_eva.c), not by WP. */
/*@ requires tls_in_range(s, e);
    assigns \result \from s, e;
    ensures \result == &emsec_tls_table[s][e];
    ensures tls_cell_ok(\result, s, e);
*/
static const emsec_tls_cell *tls_cell(emsec_tls_state s, emsec_tls_event e)
{
    return &emsec_tls_table[s][e];
}

/*@ requires \valid(out);
    assigns *out;

    behavior out_of_range:
      assumes !tcp_in_range(state, event);
      ensures \result == EMSEC_ERR_ARGUMENT;
      ensures out->next == EMSEC_TCP_ST_INVALID && out->actions == 0 &&
              out->cause == EMSEC_TCP_CAUSE_PROTOCOL && out->line == 0;

    behavior refused:
      assumes tcp_in_range(state, event);
      assumes emsec_tcp_table[state][event].cause == EMSEC_TCP_CAUSE_PROTOCOL;
      ensures \result == EMSEC_ERR_REFUSED;
      ensures cell: tcp_cell_is(out, state, event);
      ensures stays: out->next == state && out->actions == 0;

    behavior applies:
      assumes tcp_in_range(state, event);
      assumes emsec_tcp_table[state][event].cause != EMSEC_TCP_CAUSE_PROTOCOL;
      ensures \result == EMSEC_OK;
      ensures cell: tcp_cell_is(out, state, event);
      ensures live: state != EMSEC_TCP_ST_INVALID;
      ensures shape: tcp_shape(out);
      ensures P2: tcp_p2(out, state, event);
      ensures P4: tcp_p4(out, state, event);
      ensures P5: tcp_p5(out, state);
      ensures P6: tcp_p6(out, state, event);

    complete behaviors;
    disjoint behaviors;
*/
emsec_result emsec_tcp_step(emsec_tcp_state state, emsec_tcp_event event, emsec_tcp_cell *out)
{
    if ((unsigned)state >= EMSEC_TCP_STATE_COUNT || (unsigned)event >= EMSEC_TCP_EVENT_COUNT) {
        out->next = EMSEC_TCP_ST_INVALID;
        out->actions = 0;
        out->cause = EMSEC_TCP_CAUSE_PROTOCOL;
        out->line = 0;
        return EMSEC_ERR_ARGUMENT;
    }
    const emsec_tcp_cell *cell = tcp_cell(state, event);
    *out = *cell;
    if (cell->cause == EMSEC_TCP_CAUSE_PROTOCOL) {
        return EMSEC_ERR_REFUSED;
    }
    return EMSEC_OK;
}

/*@ requires \valid(out);
    assigns *out;

    behavior out_of_range:
      assumes !tls_in_range(state, event);
      ensures \result == EMSEC_ERR_ARGUMENT;
      ensures out->next == EMSEC_TLS_ST_INVALID && out->actions == 0 &&
              out->cause == EMSEC_TLS_CAUSE_PROTOCOL && out->line == 0;

    behavior refused:
      assumes tls_in_range(state, event);
      assumes emsec_tls_table[state][event].cause == EMSEC_TLS_CAUSE_PROTOCOL;
      ensures \result == EMSEC_ERR_REFUSED;
      ensures cell: tls_cell_is(out, state, event);
      ensures stays: out->next == state;
      ensures no_action_but_P1: out->actions == 0 || out->actions == EMSEC_TLS_ACT_TCP_RELEASE;
      ensures P1: tls_p1(out);

    behavior applies:
      assumes tls_in_range(state, event);
      assumes emsec_tls_table[state][event].cause != EMSEC_TLS_CAUSE_PROTOCOL;
      ensures \result == EMSEC_OK;
      ensures cell: tls_cell_is(out, state, event);
      ensures live: state != EMSEC_TLS_ST_INVALID;
      ensures shape: tls_shape(out);
      ensures P1: tls_p1(out);
      ensures P2: tls_p2(out, state, event);
      ensures P3: tls_p3(out, state, event);
      ensures P5: tls_p5(out, state);
      ensures P7: tls_p7(out, state, event);

    complete behaviors;
    disjoint behaviors;
*/
emsec_result emsec_tls_step(emsec_tls_state state, emsec_tls_event event, emsec_tls_cell *out)
{
    if ((unsigned)state >= EMSEC_TLS_STATE_COUNT || (unsigned)event >= EMSEC_TLS_EVENT_COUNT) {
        out->next = EMSEC_TLS_ST_INVALID;
        out->actions = 0;
        out->cause = EMSEC_TLS_CAUSE_PROTOCOL;
        out->line = 0;
        return EMSEC_ERR_ARGUMENT;
    }
    const emsec_tls_cell *cell = tls_cell(state, event);
    *out = *cell;
    if (cell->cause == EMSEC_TLS_CAUSE_PROTOCOL) {
        return EMSEC_ERR_REFUSED;
    }
    return EMSEC_OK;
}
