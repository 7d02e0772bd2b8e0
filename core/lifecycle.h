/*
 * The TCP and the TLS lifecycle of one termination: two dense tables
 * [state][event] -> (next state, actions, cause), written by hand in
 * spec/tcp_lifecycle.tbl and spec/tls_lifecycle.tbl (one row per cell, with
 * the rule it keeps) and compiled by `make gen` into gen/tcp_lifecycle_table.c
 * and gen/tls_lifecycle_table.c (the const arrays) and the matching .h files
 * (the enums). Which sequences
 * are legal lives in the tables; emsec_tcp_step / emsec_tls_step only look a
 * cell up, for any input (STYLE.md 2).
 *
 * How the caller drives them (core/mg*.c):
 *   - a new termination starts in EMSEC_TCP_INITIAL and EMSEC_TLS_INITIAL; a
 *     slot that was never created is zeroed memory, i.e. state INVALID, whose
 *     row refuses every event;
 *   - for each event: step, store out.next as the new state, then do
 *     out.actions. Four actions are events of another machine: TCP
 *     TLS_TCP_UP / TLS_TCP_LOST are TLS TCP_UP / TCP_LOST of the same
 *     termination, TLS TCP_RELEASE is TCP TLS_DOWN of the same termination,
 *     TCP TRIGGER_PEER is TCP TRIGGER of the interconnected termination;
 *   - data flows to the other leg only when the TCP machine has said FORWARD
 *     and, on a termination where TLS ends (state other than NONE), the TLS
 *     machine has said FORWARD too;
 *   - a slot is reused with SLOT_RESET on both machines (the only way out of
 *     RELEASED and FAILED).
 *
 * The properties of every cell are below as ACSL predicates (tcp_cell_ok,
 * tls_cell_ok). The generators (spec/tcp_lifecycle_gen.awk and
 * spec/tls_lifecycle_gen.awk) refuse a table that breaks them,
 * proofs/lifecycle_tables_eva.c checks them on every cell of the compiled
 * arrays, WP proves that the step functions return the looked-up cell (and so
 * the properties) or the refusal, without run-time errors, and
 * tests/unit/test_lifecycle.c walks every cell against an oracle.
 */
#ifndef EMSEC_CORE_LIFECYCLE_H
#define EMSEC_CORE_LIFECYCLE_H

#include <stdint.h>

#include "emsec/result.h"
#include "tcp_lifecycle_table.h"
#include "tls_lifecycle_table.h"

#define EMSEC_TCP_INITIAL EMSEC_TCP_ST_IDLE
#define EMSEC_TLS_INITIAL EMSEC_TLS_ST_NONE

typedef struct emsec_tcp_cell {
    emsec_tcp_state next;  /* the state after the event */
    uint16_t actions;      /* emsec_tcp_action bits, done by the caller */
    emsec_tcp_cause cause; /* reported with NOTIFY_EF / NOTIFY_REL; PROTOCOL: refused */
    uint16_t line;         /* the cell's row in spec/tcp_lifecycle.tbl; 0: no cell */
} emsec_tcp_cell;

typedef struct emsec_tls_cell {
    emsec_tls_state next;
    uint16_t actions;      /* emsec_tls_action bits */
    emsec_tls_cause cause;
    uint16_t line;         /* the cell's row in spec/tls_lifecycle.tbl; 0: no cell */
} emsec_tls_cell;

extern const emsec_tcp_cell emsec_tcp_table[EMSEC_TCP_STATE_COUNT][EMSEC_TCP_EVENT_COUNT];
extern const emsec_tls_cell emsec_tls_table[EMSEC_TLS_STATE_COUNT][EMSEC_TLS_EVENT_COUNT];

/* The names of the table file, for logs (action i names bit i). */
extern const char *const emsec_tcp_state_names[EMSEC_TCP_STATE_COUNT];
extern const char *const emsec_tcp_event_names[EMSEC_TCP_EVENT_COUNT];
extern const char *const emsec_tcp_action_names[EMSEC_TCP_ACTION_COUNT];
extern const char *const emsec_tcp_cause_names[EMSEC_TCP_CAUSE_COUNT];
extern const char *const emsec_tls_state_names[EMSEC_TLS_STATE_COUNT];
extern const char *const emsec_tls_event_names[EMSEC_TLS_EVENT_COUNT];
extern const char *const emsec_tls_action_names[EMSEC_TLS_ACTION_COUNT];
extern const char *const emsec_tls_cause_names[EMSEC_TLS_CAUSE_COUNT];

/*
 * The cell for (state, event), in *out. Pure and total: any value of state
 * and event is accepted.
 *   EMSEC_OK           the event is legal in the state: apply *out;
 *   EMSEC_ERR_REFUSED  the event cannot happen in the state (cause PROTOCOL,
 *                      or a slot never created): *out stays in the state and
 *                      does nothing (the TLS table's RELEASED and FAILED rows
 *                      re-assert TCP_RELEASE); apply it and report the event;
 *   EMSEC_ERR_ARGUMENT state or event out of range: *out is the INVALID
 *                      refusal (next INVALID, no action, PROTOCOL, line 0).
 * requires: out is valid.
 */
EMSEC_MUST_USE emsec_result emsec_tcp_step(emsec_tcp_state state, emsec_tcp_event event,
                                           emsec_tcp_cell *out);
EMSEC_MUST_USE emsec_result emsec_tls_step(emsec_tls_state state, emsec_tls_event event,
                                           emsec_tls_cell *out);

/*
 * The properties of a cell at (s, e), one predicate each (the names match the
 * P-numbers of the two table files).
 */
/*@ predicate tcp_in_range(integer s, integer e) =
      0 <= s < EMSEC_TCP_STATE_COUNT && 0 <= e < EMSEC_TCP_EVENT_COUNT;
    predicate tcp_dead(integer s) = s == EMSEC_TCP_ST_RELEASED || s == EMSEC_TCP_ST_FAILED;
    predicate tcp_has(emsec_tcp_cell *c, integer bit) = (c->actions & bit) != 0;

    // Well formed: names in range, only declared action bits, a row of the file.
    predicate tcp_shape(emsec_tcp_cell *c) =
      0 <= c->next < EMSEC_TCP_STATE_COUNT && 0 <= c->cause < EMSEC_TCP_CAUSE_COUNT &&
      (c->actions & ~EMSEC_TCP_ACT_ALL) == 0 && c->line != 0;

    // P2: RELEASED and FAILED are absorbing; SLOT_RESET alone leads back to IDLE.
    predicate tcp_p2(emsec_tcp_cell *c, integer s, integer e) =
      tcp_dead(s) ==>
        (e == EMSEC_TCP_EV_SLOT_RESET ==> c->next == EMSEC_TCP_ST_IDLE) &&
        (e != EMSEC_TCP_EV_SLOT_RESET ==> c->next == s);

    // P4: TLS_DOWN releases a live connection at once; losing an up
    // connection tells the TLS machine.
    predicate tcp_p4(emsec_tcp_cell *c, integer s, integer e) =
      (e == EMSEC_TCP_EV_TLS_DOWN && s != EMSEC_TCP_ST_INVALID && !tcp_dead(s) ==>
         tcp_has(c, EMSEC_TCP_ACT_CLOSE)) &&
      ((s == EMSEC_TCP_ST_HELD || s == EMSEC_TCP_ST_ESTABLISHED) &&
       (e == EMSEC_TCP_EV_PEER_CLOSED || e == EMSEC_TCP_EV_RESET || e == EMSEC_TCP_EV_TIMEOUT) ==>
         tcp_has(c, EMSEC_TCP_ACT_TLS_TCP_LOST));

    // P5: the INVALID row refuses everything; nothing else leads to INVALID.
    predicate tcp_p5(emsec_tcp_cell *c, integer s) =
      (s == EMSEC_TCP_ST_INVALID ==>
         c->next == EMSEC_TCP_ST_INVALID && c->actions == 0 &&
         c->cause == EMSEC_TCP_CAUSE_PROTOCOL) &&
      (s != EMSEC_TCP_ST_INVALID ==> c->next != EMSEC_TCP_ST_INVALID);

    // P6: HELD forwards nothing before ALLOW, and nothing leading to HELD does.
    predicate tcp_p6(emsec_tcp_cell *c, integer s, integer e) =
      (s == EMSEC_TCP_ST_HELD && e != EMSEC_TCP_EV_ALLOW ==> !tcp_has(c, EMSEC_TCP_ACT_FORWARD)) &&
      (c->next == EMSEC_TCP_ST_HELD ==> !tcp_has(c, EMSEC_TCP_ACT_FORWARD));

    // A refusal (cause PROTOCOL) stays and does nothing.
    predicate tcp_refusal(emsec_tcp_cell *c, integer s) =
      c->cause == EMSEC_TCP_CAUSE_PROTOCOL ==> c->next == s && c->actions == 0;

    predicate tcp_cell_ok(emsec_tcp_cell *c, integer s, integer e) =
      tcp_shape(c) && tcp_p2(c, s, e) && tcp_p4(c, s, e) && tcp_p5(c, s) &&
      tcp_p6(c, s, e) && tcp_refusal(c, s);

    predicate tls_in_range(integer s, integer e) =
      0 <= s < EMSEC_TLS_STATE_COUNT && 0 <= e < EMSEC_TLS_EVENT_COUNT;
    predicate tls_dead(integer s) = s == EMSEC_TLS_ST_RELEASED || s == EMSEC_TLS_ST_FAILED;
    predicate tls_session(integer s) =
      s == EMSEC_TLS_ST_HANDSHAKE_CLIENT || s == EMSEC_TLS_ST_HANDSHAKE_SERVER ||
      s == EMSEC_TLS_ST_ESTABLISHED;
    predicate tls_has(emsec_tls_cell *c, integer bit) = (c->actions & bit) != 0;

    predicate tls_shape(emsec_tls_cell *c) =
      0 <= c->next < EMSEC_TLS_STATE_COUNT && 0 <= c->cause < EMSEC_TLS_CAUSE_COUNT &&
      (c->actions & ~EMSEC_TLS_ACT_ALL) == 0 && c->line != 0;

    // P1: whatever leads to (or stays in) RELEASED or FAILED releases TCP at once.
    predicate tls_p1(emsec_tls_cell *c) =
      tls_dead(c->next) ==> tls_has(c, EMSEC_TLS_ACT_TCP_RELEASE);

    // P2: RELEASED and FAILED are absorbing; SLOT_RESET alone leads back to NONE.
    predicate tls_p2(emsec_tls_cell *c, integer s, integer e) =
      tls_dead(s) ==>
        (e == EMSEC_TLS_EV_SLOT_RESET ==> c->next == EMSEC_TLS_ST_NONE) &&
        (e != EMSEC_TLS_EV_SLOT_RESET ==> c->next == s);

    // P3: renegotiation is accepted only if secure (RFC 5746); an insecure one
    // on a session is refused and fails it with cause renegotiation.
    predicate tls_p3(emsec_tls_cell *c, integer s, integer e) =
      (tls_has(c, EMSEC_TLS_ACT_RENEG_ACCEPT) ==> e == EMSEC_TLS_EV_RENEG_SECURE) &&
      (tls_session(s) && e == EMSEC_TLS_EV_RENEG_INSECURE ==>
         c->next == EMSEC_TLS_ST_FAILED && c->cause == EMSEC_TLS_CAUSE_RENEGOTIATION &&
         tls_has(c, EMSEC_TLS_ACT_RENEG_REFUSE));

    // P5: the INVALID row refuses everything; nothing else leads to INVALID.
    predicate tls_p5(emsec_tls_cell *c, integer s) =
      (s == EMSEC_TLS_ST_INVALID ==>
         c->next == EMSEC_TLS_ST_INVALID && c->actions == 0 &&
         c->cause == EMSEC_TLS_CAUSE_PROTOCOL) &&
      (s != EMSEC_TLS_ST_INVALID ==> c->next != EMSEC_TLS_ST_INVALID);

    // P7: KEEP (a re-offer that keeps the session) changes no state and
    // starts no handshake.
    predicate tls_p7(emsec_tls_cell *c, integer s, integer e) =
      e == EMSEC_TLS_EV_KEEP ==>
        c->next == s && !tls_has(c, EMSEC_TLS_ACT_START_CLIENT) &&
        !tls_has(c, EMSEC_TLS_ACT_START_SERVER);

    // A refusal stays and does nothing but the TCP release of P1.
    predicate tls_refusal(emsec_tls_cell *c, integer s) =
      c->cause == EMSEC_TLS_CAUSE_PROTOCOL ==>
        c->next == s && (c->actions == 0 || c->actions == EMSEC_TLS_ACT_TCP_RELEASE);

    predicate tls_cell_ok(emsec_tls_cell *c, integer s, integer e) =
      tls_shape(c) && tls_p1(c) && tls_p2(c, s, e) && tls_p3(c, s, e) && tls_p5(c, s) &&
      tls_p7(c, s, e) && tls_refusal(c, s);
*/

#endif
