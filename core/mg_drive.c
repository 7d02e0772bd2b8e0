/*
 * core/mg_drive.c: the gateway core drives each termination's TCP and TLS
 * lifecycle tables (spec/tcp_lifecycle.tbl, spec/tls_lifecycle.tbl, through
 * core/lifecycle.c) and turns the cells' actions into what the adapter must
 * do, the events of the other machine, and Notify requests to the
 * controller. How the two machines feed each other is core/lifecycle.h's
 * "How the caller drives them"; every chain of events ends (each machine
 * step is one table cell, and a chain passes TCP -> TLS -> TCP at most once,
 * bounded below by MG_DRIVE_DEPTH).
 *
 * Proofs: proofs/run.sh (step 2c) proves the contracted functions below with
 * WP and RTE; proofs/UNPROVED.md names the rest and why.
 */
#include <string.h>

#include "lifecycle.h"
#include "mg_internal.h"

/* TCP -> TLS -> TCP (-> the peer's TCP -> its TLS) is the longest chain. */
#define MG_DRIVE_DEPTH 6u

/* Connect and handshake timer: the adapter reports EMSEC_MG_EV_TIMEOUT. */
#define MG_TIMER_MS 10000u

/*@ // What the event driver needs of one call's state: the call, its output
    // and the gateway apart; the action count within the array.
    predicate exec_ok(mg_exec *x) =
      \valid(x) && \valid(x->out) && \valid(x->mg) && \separated(x, x->out, x->mg) &&
      x->out->nactions <= EMSEC_MG_MAX_ACTIONS;
    predicate action_is(emsec_mg_action *a, integer k, integer term, integer peer, integer mode) =
      a->kind == k && a->term == term && a->peer_term == peer && a->mode == mode;
*/

/* The three failures of the event driver, each one MG_FAIL with a literal
 * text (its length known at compile time: WP needs only its bytes, not its
 * strlen). They keep that call out of act, notify and maybe_forward; what
 * those rely on is the contract: the first failure of the command is
 * recorded. */
/*@ predicate failed_with{L1, L2}(mg_exec *x, integer code) =
      (\at(x->code, L1) == 0 ==> \at(x->code, L2) == code) &&
      (\at(x->code, L1) != 0 ==> \at(x->code, L2) == \at(x->code, L1));
*/
/*@ requires \valid(x);
    assigns x->code, x->why[0 .. 191];
    ensures failed_with{Pre, Post}(x, 510);
*/
static void fail_actions_full(mg_exec *x)
{
    (void)MG_FAIL(x, 510, "Insufficient resources: more actions than EMSEC_MG_MAX_ACTIONS in one call");
}

/*@ requires \valid(x);
    assigns x->code, x->why[0 .. 191];
    ensures failed_with{Pre, Post}(x, 510);
*/
static void fail_notes_full(mg_exec *x)
{
    (void)MG_FAIL(x, 510, "Insufficient resources: more Notify than MG_MAX_NOTES in one call");
}

/*@ requires \valid(x);
    assigns x->code, x->why[0 .. 191];
    ensures failed_with{Pre, Post}(x, 501);
*/
static void fail_reencryption(mg_exec *x)
{
    (void)MG_FAIL(x, 501, "Not Implemented: TLS terminated on both legs (re-encryption)");
}

/* Append an action naming term (its TerminationID copied for the logs), or
 * fail the command with 510 when EMSEC_MG_MAX_ACTIONS are out already.
 * Its assigns name the slots from the count to the end (none when full),
 * not the slot at the count: one past the array when full. */
/*@ requires exec_ok(x) && mg_term_handle(term);
    requires 0 <= k < EMSEC_MG_ACT_COUNT;
    assigns x->out->nactions, x->out->actions[x->out->nactions .. EMSEC_MG_MAX_ACTIONS - 1], x->code, x->why[0 .. 191];
    ensures exec_ok(x);
    behavior room:
      assumes x->out->nactions < EMSEC_MG_MAX_ACTIONS;
      assigns x->out->nactions, x->out->actions[x->out->nactions];
      ensures x->out->nactions == \old(x->out->nactions) + 1;
      ensures action_is(&x->out->actions[\old(x->out->nactions)], k, term, peer, mode);
      ensures \forall integer i; 0 <= i < EMSEC_MG_MAX_NAME ==>
                x->out->actions[\old(x->out->nactions)].name[i] == \old(x->mg->term[term].name[i]);
    behavior full:
      assumes x->out->nactions >= EMSEC_MG_MAX_ACTIONS;
      assigns x->code, x->why[0 .. 191];
      ensures x->out->nactions == \old(x->out->nactions);
      ensures failed_with{Pre, Post}(x, 510);
    complete behaviors;
    disjoint behaviors;
*/
static void act(mg_exec *x, emsec_mg_action_kind k, uint16_t term, uint16_t peer, uint8_t mode)
{
    emsec_mg_out *o = x->out;
    if (o->nactions >= EMSEC_MG_MAX_ACTIONS) {
        fail_actions_full(x);
        return;
    }
    emsec_mg_action *a = &o->actions[o->nactions++];
    a->kind = (uint8_t)k;
    a->term = term;
    a->peer_term = peer;
    a->mode = mode;
    a->msrp = 0u; /* maybe_forward sets it on an MSRP-aware FORWARD */
    memcpy(a->name, x->mg->term[term].name, sizeof a->name);
}

/*@ requires exec_ok(x) && mg_term_handle(term);
    requires 0 <= k < EMSEC_MG_ACT_COUNT;
    assigns x->out->nactions, x->out->actions[x->out->nactions .. EMSEC_MG_MAX_ACTIONS - 1], x->code, x->why[0 .. 191];
    ensures exec_ok(x);
    behavior room:
      assumes x->out->nactions < EMSEC_MG_MAX_ACTIONS;
      ensures x->out->nactions == \old(x->out->nactions) + 1;
      ensures action_is(&x->out->actions[\old(x->out->nactions)], k, term, peer, mode);
    behavior full:
      assumes x->out->nactions >= EMSEC_MG_MAX_ACTIONS;
      ensures x->out->nactions == \old(x->out->nactions);
      ensures failed_with{Pre, Post}(x, 510);
    complete behaviors;
    disjoint behaviors;
*/
void mg_act(mg_exec *x, emsec_mg_action_kind k, uint16_t term, uint16_t peer, uint8_t mode)
{
    act(x, k, term, peer, mode);
}

/* ------------------------------------------------------------ notify */

/* A failure or release the tables report (tcpbcc/ef, tcpbcc/rel, tlsbsc/ef,
 * tlsbsc/rel with its cause): noted for the Notify when the controller
 * asked for that event, or for g/cause (RFC 3525 Annex E.1.2, the generic
 * error event, which spec/h248_profile.tbl allows in Events and
 * ObservedEvents), or both; the Notify then carries each asked event. */
/*@ predicate asked(emsec_mg *mg, integer ti, integer bit) =
      (mg->term[ti].events & bit) != 0 || (mg->term[ti].events & MG_EV_G_CAUSE) != 0;
*/
/*@ requires exec_ok(x) && mg_term_handle(ti);
    requires x->notes.count <= MG_MAX_NOTES;
    assigns x->notes.count, x->notes.note[x->notes.count .. MG_MAX_NOTES - 1], x->code, x->why[0 .. 191];
    ensures x->notes.count <= MG_MAX_NOTES;
    behavior not_asked:
      assumes !asked(x->mg, ti, bit);
      assigns \nothing;
    behavior noted:
      assumes asked(x->mg, ti, bit) && x->notes.count < MG_MAX_NOTES;
      assigns x->notes.count, x->notes.note[x->notes.count];
      ensures x->notes.count == \old(x->notes.count) + 1;
      ensures \let e = &x->notes.note[\old(x->notes.count)];
              e->term == ti && e->event == event && e->cause == cause &&
              (e->own <==> (x->mg->term[ti].events & bit) != 0) &&
              (e->gcause <==> (x->mg->term[ti].events & MG_EV_G_CAUSE) != 0);
    behavior full:
      assumes asked(x->mg, ti, bit) && x->notes.count >= MG_MAX_NOTES;
      assigns x->code, x->why[0 .. 191];
      ensures failed_with{Pre, Post}(x, 510);
    complete behaviors;
    disjoint behaviors;
*/
static void notify(mg_exec *x, uint16_t ti, uint8_t bit, const char *event, const char *cause)
{
    emsec_mg_term *t = &x->mg->term[ti];
    bool own = (t->events & bit) != 0u, gcause = (t->events & MG_EV_G_CAUSE) != 0u;
    if (!own && !gcause)
        return; /* the controller did not ask for it (H.248.1 §7.1.9) */
    mg_notify *n = &x->notes;
    if (n->count >= MG_MAX_NOTES) {
        fail_notes_full(x);
        return;
    }
    mg_note *e = &n->note[n->count++];
    e->term = ti;
    e->event = event;
    e->cause = cause;
    e->own = own;
    e->gcause = gcause;
}

/* ------------------------------------------------------------ forwarding */

/*@ requires \valid_read(t);
    assigns \nothing;
    ensures \result <==> (t->used && t->tcp_fwd && (t->tls_state == EMSEC_TLS_ST_NONE || t->tls_fwd));
*/
static bool ready(const emsec_mg_term *t)
{
    return t->used && t->tcp_fwd && (t->tls_state == EMSEC_TLS_ST_NONE || t->tls_fwd);
}

/* Both legs up (and TLS established where it ends): relay between them. */
/*@ // ti's context, used, joins two terminations and is not forwarding yet
    predicate fwd_candidate(emsec_mg *mg, integer ti) =
      mg_ctx_handle(mg->term[ti].ctx) && mg->ctx[mg->term[ti].ctx].used &&
      mg->ctx[mg->term[ti].ctx].nterms == 2 && !mg->ctx[mg->term[ti].ctx].forwarding;
    // the other termination of ti's context
    logic integer other_of(emsec_mg *mg, integer ti) =
      mg->ctx[mg->term[ti].ctx].terms[0] == ti ? mg->ctx[mg->term[ti].ctx].terms[1]
                                               : mg->ctx[mg->term[ti].ctx].terms[0];
    predicate tls_ends(emsec_mg *mg, integer ti) = mg->term[ti].tls_state != EMSEC_TLS_ST_NONE;
    // MSRP in clear on a leg, no CEMA (include/emsec/mg.h, FORWARD's msrp flag)
    predicate msrp_leg_clear(emsec_mg *mg, integer ti) =
      mg->term[ti].kind == EMSEC_KIND_MSRP && !mg->term[ti].cema_local && !mg->term[ti].cema_remote &&
      (mg->term[ti].secured <==> tls_ends(mg, ti));
    predicate msrp_aware_pair(emsec_mg *mg, integer ti, integer oi) =
      mg->msrp_aware && msrp_leg_clear(mg, ti) && msrp_leg_clear(mg, oi);
    predicate both_ready(emsec_mg *mg, integer ti) =
      fwd_candidate(mg, ti) &&
      mg->term[ti].used && mg->term[ti].tcp_fwd && (!tls_ends(mg, ti) || mg->term[ti].tls_fwd) &&
      \let o = other_of(mg, ti);
      mg->term[o].used && mg->term[o].tcp_fwd && (!tls_ends(mg, o) || mg->term[o].tls_fwd);
*/

/* The rule of FORWARD's msrp flag (include/emsec/mg.h): MSRP-aware only
 * when configured, MSRP on both legs, no CEMA (RFC 6714 §4 keeps the relay
 * application-agnostic), and MSRP readable on both legs (TLS terminated
 * wherever the m= line says TLS). DESIGN.md: "otherwise bytes pass
 * untouched". */
/*@ requires \valid_read(mg) && mg_term_handle(ti) && mg_term_handle(oi);
    assigns \nothing;
    ensures \result <==> msrp_aware_pair(mg, ti, oi);
*/
static bool msrp_aware(const emsec_mg *mg, uint16_t ti, uint16_t oi)
{
    const emsec_mg_term *t = &mg->term[ti], *o = &mg->term[oi];
    return mg->msrp_aware && t->kind == EMSEC_KIND_MSRP && o->kind == EMSEC_KIND_MSRP && !t->cema_local &&
           !t->cema_remote && !o->cema_local && !o->cema_remote &&
           t->secured == (t->tls_state != EMSEC_TLS_ST_NONE) && o->secured == (o->tls_state != EMSEC_TLS_ST_NONE);
}

/* Both legs up (and TLS established where it ends): relay between them,
 * the TLS-terminating leg first; once per context. */
/*@ requires exec_ok(x) && mg_term_handle(ti);
    requires mg_ctx_handle(x->mg->term[ti].ctx) ==> mg_ctx_list_ok(&x->mg->ctx[x->mg->term[ti].ctx]);
    assigns x->mg->ctx[x->mg->term[ti].ctx].forwarding,
            x->out->nactions, x->out->actions[x->out->nactions .. EMSEC_MG_MAX_ACTIONS - 1], x->code, x->why[0 .. 191];
    ensures exec_ok(x);
    behavior wait:
      assumes !both_ready(x->mg, ti);
      assigns \nothing;
    behavior reencrypt:
      assumes both_ready(x->mg, ti) && tls_ends(x->mg, ti) && tls_ends(x->mg, other_of(x->mg, ti));
      assigns x->code, x->why[0 .. 191];
      ensures failed_with{Pre, Post}(x, 501);
    behavior forward:
      assumes both_ready(x->mg, ti) && !(tls_ends(x->mg, ti) && tls_ends(x->mg, other_of(x->mg, ti)));
      ensures x->mg->ctx[x->mg->term[ti].ctx].forwarding;
      ensures \old(x->out->nactions) < EMSEC_MG_MAX_ACTIONS ==>
        x->out->nactions == \old(x->out->nactions) + 1 &&
        \let o = \old(other_of(x->mg, ti));
        \let a = &x->out->actions[\old(x->out->nactions)];
        (\old(tls_ends(x->mg, o)) ?
           action_is(a, EMSEC_MG_ACT_FORWARD, o, ti, EMSEC_MG_FWD_TLS_TO_PLAIN) :
         \old(tls_ends(x->mg, ti)) ?
           action_is(a, EMSEC_MG_ACT_FORWARD, ti, o, EMSEC_MG_FWD_TLS_TO_PLAIN) :
           action_is(a, EMSEC_MG_ACT_FORWARD, ti, o, EMSEC_MG_FWD_PLAIN));
      // FORWARD's msrp flag (include/emsec/mg.h): the rule, and nothing but 0 or 1
      ensures \old(x->out->nactions) < EMSEC_MG_MAX_ACTIONS ==>
        \let a = &x->out->actions[\old(x->out->nactions)];
        (a->msrp == 1 <==> \old(msrp_aware_pair(x->mg, ti, other_of(x->mg, ti)))) && (a->msrp == 0 || a->msrp == 1);
    complete behaviors;
    disjoint behaviors;
*/
static void maybe_forward(mg_exec *x, uint16_t ti)
{
    emsec_mg *mg = x->mg;
    emsec_mg_term *t = &mg->term[ti];
    if (t->ctx >= EMSEC_MG_MAX_CONTEXTS || !mg->ctx[t->ctx].used)
        return;
    emsec_mg_ctx *c = &mg->ctx[t->ctx];
    if (c->nterms != 2u || c->forwarding)
        return;
    uint16_t oi = c->terms[0] == ti ? c->terms[1] : c->terms[0];
    /*@ assert oi == other_of(mg, ti) && mg_term_handle(oi); */
    emsec_mg_term *o = &mg->term[oi];
    if (!ready(t) || !ready(o))
        return;
    bool t_tls = t->tls_state != EMSEC_TLS_ST_NONE, o_tls = o->tls_state != EMSEC_TLS_ST_NONE;
    if (t_tls && o_tls) {
        fail_reencryption(x);
        return;
    }
    /* decided before anything is written: the rule reads the state as called */
    const uint8_t msrp = msrp_aware(mg, ti, oi) ? 1u : 0u;
    /*@ assert msrp == 1 <==> msrp_aware_pair(mg, ti, oi); */
    /*@ assert msrp == 0 || msrp == 1; */
    c->forwarding = true;
    uint16_t first = o_tls ? oi : ti, second = o_tls ? ti : oi;
    uint32_t n = x->out->nactions;
    act(x, EMSEC_MG_ACT_FORWARD, first, second,
        (t_tls || o_tls) ? EMSEC_MG_FWD_TLS_TO_PLAIN : EMSEC_MG_FWD_PLAIN);
    if (x->out->nactions > n)
        x->out->actions[n].msrp = msrp;
}

/* ------------------------------------------------------------ the machines */

/* What the drivers and the per-cell actions need of the call's state
 * (drive_pre, for term ti) and keep (drive_post). */
/*@ predicate drive_pre(mg_exec *x, integer ti) =
      exec_ok(x) && mg_term_handle(ti) && mg_handles_ok(x->mg) && x->notes.count <= MG_MAX_NOTES;
    predicate drive_post(mg_exec *x) =
      exec_ok(x) && mg_handles_ok(x->mg) && x->notes.count <= MG_MAX_NOTES;
*/

/*@ // term ti's two machine states are the same at L2 as at L1
    predicate states_kept{L1, L2}(emsec_mg *mg, integer ti) =
      \at(mg->term[ti].tcp_state, L2) == \at(mg->term[ti].tcp_state, L1) &&
      \at(mg->term[ti].tls_state, L2) == \at(mg->term[ti].tls_state, L1);
*/

/* A cell's actions that stay on term ti (the adapter's actions, the timer,
 * the Notify requests), in the order of the action bits; the drivers then
 * do the ones that step another machine. Apart so that each proof goal of
 * the recursive drivers holds a few calls, not a dozen; the same two
 * asserts after each step carry the call state's facts over one call at a
 * time (over the whole chain at once, the provers ran out of time). */
/*@ requires exec_ok(x) && mg_term_handle(ti) && mg_handles_ok(x->mg) && x->notes.count <= MG_MAX_NOTES;
    assigns x->mg->deadline[ti], x->out->nactions, x->out->actions[0 .. EMSEC_MG_MAX_ACTIONS - 1],
            x->notes.count, x->notes.note[0 .. MG_MAX_NOTES - 1], x->code, x->why[0 .. 191];
    ensures exec_ok(x) && mg_handles_ok(x->mg) && x->notes.count <= MG_MAX_NOTES;
    ensures x->mg->term[ti].tcp_state == \old(x->mg->term[ti].tcp_state);
    ensures x->mg->term[ti].tls_state == \old(x->mg->term[ti].tls_state);
*/
static void tcp_local(mg_exec *x, uint16_t ti, uint16_t a, const char *cause)
{
    if (a & EMSEC_TCP_ACT_LISTEN)
        act(x, EMSEC_MG_ACT_LISTEN, ti, MG_NO_TERM, 0u);
    /*@ assert drive_post(x); */
    /*@ assert states_kept{Pre, Here}(x->mg, ti); */
    if (a & EMSEC_TCP_ACT_CONNECT)
        act(x, EMSEC_MG_ACT_CONNECT, ti, MG_NO_TERM, 0u);
    /*@ assert drive_post(x); */
    /*@ assert states_kept{Pre, Here}(x->mg, ti); */
    if (a & EMSEC_TCP_ACT_ARM_TIMER)
        x->mg->deadline[ti] = x->now + MG_TIMER_MS;
    /*@ assert drive_post(x); */
    /*@ assert states_kept{Pre, Here}(x->mg, ti); */
    if (a & EMSEC_TCP_ACT_CANCEL_TIMER)
        x->mg->deadline[ti] = 0u;
    /*@ assert drive_post(x); */
    /*@ assert states_kept{Pre, Here}(x->mg, ti); */
    if (a & EMSEC_TCP_ACT_NOTIFY_EF)
        notify(x, ti, MG_EV_TCP_EF, "tcpbcc/ef", cause);
    /*@ assert drive_post(x); */
    /*@ assert states_kept{Pre, Here}(x->mg, ti); */
    if (a & EMSEC_TCP_ACT_NOTIFY_REL)
        notify(x, ti, MG_EV_TCP_REL, "tcpbcc/rel", cause);
    /*@ assert drive_post(x); */
    /*@ assert states_kept{Pre, Here}(x->mg, ti); */
    if (a & EMSEC_TCP_ACT_CLOSE)
        act(x, EMSEC_MG_ACT_CLOSE, ti, MG_NO_TERM, 0u);
    /*@ assert drive_post(x); */
    /*@ assert states_kept{Pre, Here}(x->mg, ti); */
}

/*@ requires exec_ok(x) && mg_term_handle(ti) && mg_handles_ok(x->mg) && x->notes.count <= MG_MAX_NOTES;
    assigns x->mg->deadline[ti], x->out->nactions, x->out->actions[0 .. EMSEC_MG_MAX_ACTIONS - 1],
            x->notes.count, x->notes.note[0 .. MG_MAX_NOTES - 1], x->code, x->why[0 .. 191];
    ensures exec_ok(x) && mg_handles_ok(x->mg) && x->notes.count <= MG_MAX_NOTES;
    ensures x->mg->term[ti].tcp_state == \old(x->mg->term[ti].tcp_state);
    ensures x->mg->term[ti].tls_state == \old(x->mg->term[ti].tls_state);
*/
static void tls_local(mg_exec *x, uint16_t ti, uint16_t a, const char *cause)
{
    if (a & EMSEC_TLS_ACT_START_CLIENT)
        act(x, EMSEC_MG_ACT_TLS_CLIENT, ti, MG_NO_TERM, 0u);
    /*@ assert drive_post(x); */
    /*@ assert states_kept{Pre, Here}(x->mg, ti); */
    if (a & EMSEC_TLS_ACT_START_SERVER)
        act(x, EMSEC_MG_ACT_TLS_SERVER, ti, MG_NO_TERM, 0u);
    /*@ assert drive_post(x); */
    /*@ assert states_kept{Pre, Here}(x->mg, ti); */
    if (a & EMSEC_TLS_ACT_RENEG_ACCEPT)
        act(x, EMSEC_MG_ACT_RENEG_ACCEPT, ti, MG_NO_TERM, 0u);
    /*@ assert drive_post(x); */
    /*@ assert states_kept{Pre, Here}(x->mg, ti); */
    if (a & EMSEC_TLS_ACT_RENEG_REFUSE)
        act(x, EMSEC_MG_ACT_RENEG_REFUSE, ti, MG_NO_TERM, 0u);
    /*@ assert drive_post(x); */
    /*@ assert states_kept{Pre, Here}(x->mg, ti); */
    if (a & EMSEC_TLS_ACT_CLOSE_NOTIFY)
        act(x, EMSEC_MG_ACT_TLS_CLOSE, ti, MG_NO_TERM, 0u);
    /*@ assert drive_post(x); */
    /*@ assert states_kept{Pre, Here}(x->mg, ti); */
    if (a & EMSEC_TLS_ACT_ARM_TIMER)
        x->mg->deadline[ti] = x->now + MG_TIMER_MS;
    /*@ assert drive_post(x); */
    /*@ assert states_kept{Pre, Here}(x->mg, ti); */
    if (a & EMSEC_TLS_ACT_CANCEL_TIMER)
        x->mg->deadline[ti] = 0u;
    /*@ assert drive_post(x); */
    /*@ assert states_kept{Pre, Here}(x->mg, ti); */
    if (a & EMSEC_TLS_ACT_NOTIFY_EF)
        notify(x, ti, MG_EV_TLS_EF, "tlsbsc/ef", cause);
    /*@ assert drive_post(x); */
    /*@ assert states_kept{Pre, Here}(x->mg, ti); */
    if (a & EMSEC_TLS_ACT_NOTIFY_REL)
        notify(x, ti, MG_EV_TLS_REL, "tlsbsc/rel", cause);
    /*@ assert drive_post(x); */
    /*@ assert states_kept{Pre, Here}(x->mg, ti); */
}

/* The machine of term ti said FORWARD (tcp_fwd or tls_fwd): relay once
 * both legs are ready (maybe_forward). */
/*@ requires exec_ok(x) && mg_term_handle(ti) && mg_handles_ok(x->mg);
    assigns x->mg->term[ti].tcp_fwd, x->mg->ctx[0 .. EMSEC_MG_MAX_CONTEXTS - 1].forwarding,
            x->out->nactions, x->out->actions[0 .. EMSEC_MG_MAX_ACTIONS - 1], x->code, x->why[0 .. 191];
    ensures exec_ok(x) && mg_handles_ok(x->mg);
    ensures x->mg->term[ti].tcp_state == \old(x->mg->term[ti].tcp_state);
    ensures x->mg->term[ti].tls_state == \old(x->mg->term[ti].tls_state);
*/
static void tcp_forward(mg_exec *x, uint16_t ti)
{
    x->mg->term[ti].tcp_fwd = true;
    maybe_forward(x, ti);
}

/*@ requires exec_ok(x) && mg_term_handle(ti) && mg_handles_ok(x->mg);
    assigns x->mg->term[ti].tls_fwd, x->mg->ctx[0 .. EMSEC_MG_MAX_CONTEXTS - 1].forwarding,
            x->out->nactions, x->out->actions[0 .. EMSEC_MG_MAX_ACTIONS - 1], x->code, x->why[0 .. 191];
    ensures exec_ok(x) && mg_handles_ok(x->mg);
    ensures x->mg->term[ti].tcp_state == \old(x->mg->term[ti].tcp_state);
    ensures x->mg->term[ti].tls_state == \old(x->mg->term[ti].tls_state);
*/
static void tls_forward(mg_exec *x, uint16_t ti)
{
    x->mg->term[ti].tls_fwd = true;
    maybe_forward(x, ti);
}

/* What the drivers' proofs assume of the two step functions: the part of
 * their contracts in core/lifecycle.c (proved there by WP, proofs/run.sh
 * step 2b) that the drivers need. That file is not parsed with this one,
 * so it is restated here; each clause below follows from the refused,
 * applies and out_of_range behaviors there. The table's contents stay
 * hidden (-wp-no-init-const): a cell is named, not unfolded. */
/*@ logic integer tcp_step_result(integer s, integer e) =
      !(0 <= s < EMSEC_TCP_STATE_COUNT && 0 <= e < EMSEC_TCP_EVENT_COUNT) ? EMSEC_ERR_ARGUMENT :
      emsec_tcp_table[s][e].cause == EMSEC_TCP_CAUSE_PROTOCOL ? EMSEC_ERR_REFUSED : EMSEC_OK;
    logic integer tcp_step_next(integer s, integer e) =
      (0 <= s < EMSEC_TCP_STATE_COUNT && 0 <= e < EMSEC_TCP_EVENT_COUNT) ? emsec_tcp_table[s][e].next : EMSEC_TCP_ST_INVALID;
    logic integer tcp_step_actions(integer s, integer e) =
      (0 <= s < EMSEC_TCP_STATE_COUNT && 0 <= e < EMSEC_TCP_EVENT_COUNT) ? emsec_tcp_table[s][e].actions : 0;
    logic integer tls_step_result(integer s, integer e) =
      !(0 <= s < EMSEC_TLS_STATE_COUNT && 0 <= e < EMSEC_TLS_EVENT_COUNT) ? EMSEC_ERR_ARGUMENT :
      emsec_tls_table[s][e].cause == EMSEC_TLS_CAUSE_PROTOCOL ? EMSEC_ERR_REFUSED : EMSEC_OK;
    logic integer tls_step_next(integer s, integer e) =
      (0 <= s < EMSEC_TLS_STATE_COUNT && 0 <= e < EMSEC_TLS_EVENT_COUNT) ? emsec_tls_table[s][e].next : EMSEC_TLS_ST_INVALID;
    logic integer tls_step_actions(integer s, integer e) =
      (0 <= s < EMSEC_TLS_STATE_COUNT && 0 <= e < EMSEC_TLS_EVENT_COUNT) ? emsec_tls_table[s][e].actions : 0;
*/
/*@ requires \valid(out);
    assigns *out;
    ensures \result == tcp_step_result(state, event);
    ensures out->next == tcp_step_next(state, event) && 0 <= out->next < EMSEC_TCP_STATE_COUNT;
    ensures out->actions == tcp_step_actions(state, event);
*/
emsec_result emsec_tcp_step(emsec_tcp_state state, emsec_tcp_event event, emsec_tcp_cell *out);
/*@ requires \valid(out);
    assigns *out;
    ensures \result == tls_step_result(state, event);
    ensures out->next == tls_step_next(state, event) && 0 <= out->next < EMSEC_TLS_STATE_COUNT;
    ensures out->actions == tls_step_actions(state, event);
*/
emsec_result emsec_tls_step(emsec_tls_state state, emsec_tls_event event, emsec_tls_cell *out);

/* The drivers (tcp_ev, tls_ev, and mg_tcp, mg_tls at depth 0). What they
 * write: any termination's machine states, forward flags and timer (the
 * chain reaches the peer termination), a context's forwarding flag
 * (maybe_forward), the actions, the Notify requests and the command's
 * failure; never a termination's name, context or use, nor a context's
 * list (so mg_handles_ok holds after as before). They take mg and out
 * beside x (equal to x->mg and x->out, a precondition) for the proof only:
 * a recursive call's assigns clause is then the caller's word for word;
 * named through x->mg, WP could not show the inclusion. */
/*@ requires drive_pre(x, ti) && mg == x->mg && out == x->out;
    decreases MG_DRIVE_DEPTH + 1 - depth;
    assigns mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tcp_state, mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tls_state,
            mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tcp_fwd, mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tls_fwd,
            mg->deadline[0 .. EMSEC_MG_MAX_TERMS - 1], mg->ctx[0 .. EMSEC_MG_MAX_CONTEXTS - 1].forwarding,
            out->nactions, out->actions[0 .. EMSEC_MG_MAX_ACTIONS - 1],
            x->notes.count, x->notes.note[0 .. MG_MAX_NOTES - 1], x->code, x->why[0 .. 191];
    ensures drive_post(x);
    ensures depth > MG_DRIVE_DEPTH ==> \result == EMSEC_ERR_LIMIT;
    ensures depth <= MG_DRIVE_DEPTH ==> \result == tls_step_result(\old(mg->term[ti].tls_state), e);
    // the new state is the cell's, unless the chain came back to this machine
    ensures depth <= MG_DRIVE_DEPTH &&
            (tls_step_actions(\old(mg->term[ti].tls_state), e) & EMSEC_TLS_ACT_TCP_RELEASE) == 0 ==>
              mg->term[ti].tls_state == tls_step_next(\old(mg->term[ti].tls_state), e);
*/
static emsec_result tls_ev(mg_exec *x, emsec_mg *mg, emsec_mg_out *out, uint16_t ti, emsec_tls_event e,
                           uint32_t depth);

static const char *const tcp_cause_words[EMSEC_TCP_CAUSE_COUNT] = {
    [EMSEC_TCP_CAUSE_NONE] = "none", [EMSEC_TCP_CAUSE_REFUSED] = "refused",
    [EMSEC_TCP_CAUSE_TIMEOUT] = "timeout", [EMSEC_TCP_CAUSE_UNREACHABLE] = "unreachable",
    [EMSEC_TCP_CAUSE_LOCAL] = "local",
    [EMSEC_TCP_CAUSE_PEER] = "peer", [EMSEC_TCP_CAUSE_RESET] = "reset", [EMSEC_TCP_CAUSE_TLS] = "tls",
    [EMSEC_TCP_CAUSE_CONTROLLER] = "controller", [EMSEC_TCP_CAUSE_PROTOCOL] = "protocol",
};

static const char *const tls_cause_words[EMSEC_TLS_CAUSE_COUNT] = {
    [EMSEC_TLS_CAUSE_NONE] = "none", [EMSEC_TLS_CAUSE_FINGERPRINT] = "fingerprint",
    [EMSEC_TLS_CAUSE_HANDSHAKE] = "handshake", [EMSEC_TLS_CAUSE_PSK] = "psk",
    [EMSEC_TLS_CAUSE_TIMEOUT] = "timeout", [EMSEC_TLS_CAUSE_RENEGOTIATION] = "renegotiation",
    [EMSEC_TLS_CAUSE_COLLISION] = "collision", [EMSEC_TLS_CAUSE_PEER] = "peer",
    [EMSEC_TLS_CAUSE_ALERT] = "alert", [EMSEC_TLS_CAUSE_TCP] = "tcp",
    [EMSEC_TLS_CAUSE_CONTROLLER] = "controller", [EMSEC_TLS_CAUSE_PROTOCOL] = "protocol",
};

/*@ requires drive_pre(x, ti) && mg == x->mg && out == x->out;
    decreases MG_DRIVE_DEPTH + 1 - depth;
    assigns mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tcp_state, mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tls_state,
            mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tcp_fwd, mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tls_fwd,
            mg->deadline[0 .. EMSEC_MG_MAX_TERMS - 1], mg->ctx[0 .. EMSEC_MG_MAX_CONTEXTS - 1].forwarding,
            out->nactions, out->actions[0 .. EMSEC_MG_MAX_ACTIONS - 1],
            x->notes.count, x->notes.note[0 .. MG_MAX_NOTES - 1], x->code, x->why[0 .. 191];
    ensures drive_post(x);
    ensures depth > MG_DRIVE_DEPTH ==> \result == EMSEC_ERR_LIMIT;
    ensures depth <= MG_DRIVE_DEPTH ==> \result == tcp_step_result(\old(mg->term[ti].tcp_state), e);
    // the new state is the cell's, unless the chain came back to this machine
    ensures depth <= MG_DRIVE_DEPTH &&
            (tcp_step_actions(\old(mg->term[ti].tcp_state), e) &
             (EMSEC_TCP_ACT_TLS_TCP_UP | EMSEC_TCP_ACT_TLS_TCP_LOST | EMSEC_TCP_ACT_TRIGGER_PEER)) == 0 ==>
              mg->term[ti].tcp_state == tcp_step_next(\old(mg->term[ti].tcp_state), e);
*/
static emsec_result tcp_ev(mg_exec *x, emsec_mg *mg, emsec_mg_out *out, uint16_t ti, emsec_tcp_event e,
                           uint32_t depth)
{
    emsec_mg_term *t = &mg->term[ti];
    emsec_tcp_cell c;
    if (depth > MG_DRIVE_DEPTH)
        return EMSEC_ERR_LIMIT;
    emsec_result r = emsec_tcp_step((emsec_tcp_state)t->tcp_state, e, &c);
    t->tcp_state = (uint8_t)c.next;
    uint16_t a = c.actions;
    const char *cause = (unsigned)c.cause < EMSEC_TCP_CAUSE_COUNT ? tcp_cause_words[c.cause] : "protocol";
    tcp_local(x, ti, a, cause);
    /*@ assert x->mg == mg && x->out == out; */
    if (a & EMSEC_TCP_ACT_TLS_TCP_UP)
        (void)tls_ev(x, mg, out, ti, EMSEC_TLS_EV_TCP_UP, depth + 1u);
    /*@ assert x->mg == mg && x->out == out; */
    if (a & EMSEC_TCP_ACT_TLS_TCP_LOST)
        (void)tls_ev(x, mg, out, ti, EMSEC_TLS_EV_TCP_LOST, depth + 1u);
    /*@ assert x->mg == mg && x->out == out; */
    if (a & EMSEC_TCP_ACT_TRIGGER_PEER) {
        const emsec_mg_ctx *cx = &mg->ctx[t->ctx];
        if (cx->used && cx->nterms == 2u) {
            /*@ assert mg_ctx_list_ok(cx); */
            /*@ assert mg_term_handle(cx->terms[0]) && mg_term_handle(cx->terms[1]); */
            uint16_t oi = cx->terms[0] == ti ? cx->terms[1] : cx->terms[0];
            if (mg->term[oi].tcp_state == EMSEC_TCP_ST_WAIT_TRIGGER)
                (void)tcp_ev(x, mg, out, oi, EMSEC_TCP_EV_TRIGGER, depth + 1u);
        }
    }
    /*@ assert x->mg == mg && x->out == out; */
    if (a & EMSEC_TCP_ACT_FORWARD)
        tcp_forward(x, ti);
    return r;
}

static emsec_result tls_ev(mg_exec *x, emsec_mg *mg, emsec_mg_out *out, uint16_t ti, emsec_tls_event e,
                           uint32_t depth)
{
    emsec_mg_term *t = &mg->term[ti];
    emsec_tls_cell c;
    if (depth > MG_DRIVE_DEPTH)
        return EMSEC_ERR_LIMIT;
    emsec_result r = emsec_tls_step((emsec_tls_state)t->tls_state, e, &c);
    t->tls_state = (uint8_t)c.next;
    uint16_t a = c.actions;
    const char *cause = (unsigned)c.cause < EMSEC_TLS_CAUSE_COUNT ? tls_cause_words[c.cause] : "protocol";
    tls_local(x, ti, a, cause);
    /*@ assert x->mg == mg && x->out == out; */
    /* TLS released or failed: the TCP connection goes at once (P1) */
    if (a & EMSEC_TLS_ACT_TCP_RELEASE)
        (void)tcp_ev(x, mg, out, ti, EMSEC_TCP_EV_TLS_DOWN, depth + 1u);
    /*@ assert x->mg == mg && x->out == out; */
    if (a & EMSEC_TLS_ACT_FORWARD)
        tls_forward(x, ti);
    return r;
}

/*@ requires drive_pre(x, ti);
    assigns x->mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tcp_state, x->mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tls_state,
            x->mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tcp_fwd, x->mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tls_fwd,
            x->mg->deadline[0 .. EMSEC_MG_MAX_TERMS - 1], x->mg->ctx[0 .. EMSEC_MG_MAX_CONTEXTS - 1].forwarding,
            x->out->nactions, x->out->actions[0 .. EMSEC_MG_MAX_ACTIONS - 1],
            x->notes.count, x->notes.note[0 .. MG_MAX_NOTES - 1], x->code, x->why[0 .. 191];
    ensures drive_post(x);
    ensures \result == tcp_step_result(\old(x->mg->term[ti].tcp_state), e);
    ensures (tcp_step_actions(\old(x->mg->term[ti].tcp_state), e) &
             (EMSEC_TCP_ACT_TLS_TCP_UP | EMSEC_TCP_ACT_TLS_TCP_LOST | EMSEC_TCP_ACT_TRIGGER_PEER)) == 0 ==>
              x->mg->term[ti].tcp_state == tcp_step_next(\old(x->mg->term[ti].tcp_state), e);
*/
emsec_result mg_tcp(mg_exec *x, uint16_t ti, emsec_tcp_event e)
{
    return tcp_ev(x, x->mg, x->out, ti, e, 0u);
}

/*@ requires drive_pre(x, ti);
    assigns x->mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tcp_state, x->mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tls_state,
            x->mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tcp_fwd, x->mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tls_fwd,
            x->mg->deadline[0 .. EMSEC_MG_MAX_TERMS - 1], x->mg->ctx[0 .. EMSEC_MG_MAX_CONTEXTS - 1].forwarding,
            x->out->nactions, x->out->actions[0 .. EMSEC_MG_MAX_ACTIONS - 1],
            x->notes.count, x->notes.note[0 .. MG_MAX_NOTES - 1], x->code, x->why[0 .. 191];
    ensures drive_post(x);
    ensures \result == tls_step_result(\old(x->mg->term[ti].tls_state), e);
    ensures (tls_step_actions(\old(x->mg->term[ti].tls_state), e) & EMSEC_TLS_ACT_TCP_RELEASE) == 0 ==>
              x->mg->term[ti].tls_state == tls_step_next(\old(x->mg->term[ti].tls_state), e);
*/
emsec_result mg_tls(mg_exec *x, uint16_t ti, emsec_tls_event e)
{
    return tls_ev(x, x->mg, x->out, ti, e, 0u);
}

/* ------------------------------------------------------------ notify text */

/* RFC 3525 E.1.2 General Cause of a cause the lifecycle tables report:
 * NR the peer ended the session in order (FIN, close_notify); FP what a
 * retry with the same SDP and credentials meets again (certificate
 * fingerprint, PSK, handshake, fatal alert); UR the gateway's own
 * resources (its address or port could not be listened on); UN an insecure renegotiation
 * (RFC 5746: the gateway does not support it); IW both ends took the TLS
 * client role (an interworking error of the two ends' SDP); FT the rest:
 * network failures a retry may not meet (refused, unreachable, reset,
 * timeouts, the TCP connection under TLS lost). */
static const char *gcause_group(const char *cause)
{
    static const struct { const char *cause, *group; } map[] = {
        { "peer", "NR" },        { "fingerprint", "FP" }, { "psk", "FP" },
        { "handshake", "FP" },   { "alert", "FP" },       { "renegotiation", "UN" },
        { "collision", "IW" },   { "local", "UR" },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(cause, map[i].cause) == 0)
            return map[i].group;
    return "FT";
}

/* One bearer loss, one g/cause: when a loss steps both machines of a
 * termination (TCP reset -> TLS lost), only its first report carries it. */
/*@ requires \valid_read(x) && i < x->notes.count <= MG_MAX_NOTES;
    assigns \nothing;
    ensures \result <==> \forall integer k; 0 <= k < i ==>
              !(x->notes.note[k].gcause && x->notes.note[k].term == x->notes.note[i].term);
*/
static bool first_gcause(const mg_exec *x, uint32_t i)
{
    /*@ loop invariant 0 <= k <= i;
        loop invariant \forall integer j; 0 <= j < k ==>
          !(x->notes.note[j].gcause && x->notes.note[j].term == x->notes.note[i].term);
        loop assigns k;
        loop variant i - k;
    */
    for (uint32_t k = 0u; k < i; k++)
        if (x->notes.note[k].gcause && x->notes.note[k].term == x->notes.note[i].term)
            return false;
    return true;
}

void mg_write_notes(mg_exec *x, char *buf, uint32_t cap, uint32_t *len)
{
    emsec_mg *mg = x->mg;
    uint32_t n = 0u;
    bool full = false;
#define PUT(s)                                                     \
    do {                                                           \
        size_t l_ = strlen(s);                                     \
        if (full || l_ > cap - n)                                  \
            full = true;                                           \
        else {                                                     \
            memcpy(buf + n, s, l_);                                \
            n += (uint32_t)l_;                                     \
        }                                                          \
    } while (0)
    char num[12];
    *len = 0u;
    if (x->notes.count == 0u)
        return;
    PUT("MEGACO/");
    num[0] = (char)('0' + mg->version);
    num[1] = '\0';
    PUT(num);
    PUT(" ");
    PUT(mg->mid);
    PUT("\n");
    for (uint32_t i = 0u; i < x->notes.count; i++) {
        const mg_note *e = &x->notes.note[i];
        const emsec_mg_term *t = &mg->term[e->term];
        bool gc = e->gcause && first_gcause(x, i);
        if (!e->own && !gc)
            continue; /* only g/cause asked, and already reported for this termination */
        uint32_t vals[3] = { ++mg->next_tid, t->ctx < EMSEC_MG_MAX_CONTEXTS ? mg->ctx[t->ctx].id : 0u,
                             t->event_rid };
        const char *parts[3] = { "Transaction = ", " {\n    Context = ", NULL };
        for (int k = 0; k < 2; k++) {
            PUT(parts[k]);
            uint32_t v = vals[k], d = 10u;
            char *p = num + sizeof num - 1u;
            *p = '\0';
            do {
                *--p = (char)('0' + v % 10u);
                v /= 10u;
            } while (v != 0u && --d > 0u);
            PUT(p);
        }
        PUT(" {\n        Notify = ");
        PUT(t->name);
        PUT(" {\n            ObservedEvents = ");
        {
            uint32_t v = vals[2];
            char *p = num + sizeof num - 1u;
            *p = '\0';
            do {
                *--p = (char)('0' + v % 10u);
                v /= 10u;
            } while (v != 0u && p > num);
            PUT(p);
        }
        PUT(" {\n                ");
        if (e->own) {
            PUT(e->event);
            PUT(" { cause = ");
            PUT(e->cause);
            PUT(" }");
        }
        if (gc) {
            /* RFC 3525 E.1.2 g/cause: Generalcause groups the failure
             * (gcause_group); Failurecause is "the value generated by the
             * released equipment": here the octets of the event and cause
             * the lifecycle table reported ("tcpbcc/rel reset"), in hex
             * (Annex B.3), so the controller sees which leg ended and why */
            if (e->own)
                PUT(",\n                ");
            PUT("g/cause { Generalcause = ");
            PUT(gcause_group(e->cause));
            PUT(", Failurecause = ");
            const char *said[3] = { e->event, " ", e->cause };
            for (int k = 0; k < 3; k++)
                for (const char *c = said[k]; *c != '\0'; c++) {
                    static const char hexd[] = "0123456789abcdef";
                    char hx[3] = { hexd[(unsigned char)*c >> 4], hexd[(unsigned char)*c & 15u], '\0' };
                    PUT(hx);
                }
            PUT(" }");
        }
        PUT("\n            }\n        }\n    }\n}\n");
    }
#undef PUT
    if (!full)
        *len = n;
}

/* ------------------------------------------------------------ events */

emsec_result emsec_mg_on_event(emsec_mg *mg, uint64_t now, const emsec_mg_event *ev, emsec_mg_out *out)
{
    if (mg == NULL || ev == NULL || out == NULL)
        return EMSEC_ERR_ARGUMENT;
    out->len = 0u;
    out->notify_len = 0u;
    out->nactions = 0u;
    if (ev->term >= EMSEC_MG_MAX_TERMS || !mg->term[ev->term].used || ev->kind >= EMSEC_MG_EV_COUNT)
        return EMSEC_ERR_ARGUMENT;
    mg_exec x;
    memset(&x, 0, sizeof x);
    x.mg = mg;
    x.out = out;
    x.now = now;
    emsec_mg_term *t = &mg->term[ev->term];
    uint16_t ti = ev->term;
    bool hold = t->estmode == MG_EST_HOLD;
    emsec_result r = EMSEC_OK;
    switch ((emsec_mg_event_kind)ev->kind) {
    case EMSEC_MG_EV_ACCEPTED:
        r = mg_tcp(&x, ti, hold ? EMSEC_TCP_EV_ACCEPTED_HOLD : EMSEC_TCP_EV_ACCEPTED);
        break;
    case EMSEC_MG_EV_CONNECTED:
        r = mg_tcp(&x, ti, hold ? EMSEC_TCP_EV_CONNECTED_HOLD : EMSEC_TCP_EV_CONNECTED);
        break;
    case EMSEC_MG_EV_CONNECT_FAILED:
        r = mg_tcp(&x, ti, EMSEC_TCP_EV_CONNECT_FAILED);
        break;
    case EMSEC_MG_EV_LISTEN_FAILED:
        r = mg_tcp(&x, ti, EMSEC_TCP_EV_LISTEN_FAILED);
        break;
    case EMSEC_MG_EV_TLS_ESTABLISHED:
        if (t->psk_len > 0u) /* PSK mode (RFC 4279): the key itself authenticated the peer */
            r = mg_tls(&x, ti, EMSEC_TLS_EV_HANDSHAKE_OK);
        else
            r = mg_tls(&x, ti, mg_fingerprint_matches(mg, ti, ev->fp_hash, ev->fp, ev->fp_len)
                                   ? EMSEC_TLS_EV_HANDSHAKE_OK
                                   : EMSEC_TLS_EV_FINGERPRINT_MISMATCH);
        break;
    case EMSEC_MG_EV_TLS_FAILED:
        r = mg_tls(&x, ti, ev->cause == EMSEC_MG_TLS_CAUSE_PSK     ? EMSEC_TLS_EV_PSK_FAILED
                           : ev->cause == EMSEC_MG_TLS_CAUSE_ALERT ? EMSEC_TLS_EV_FATAL_ALERT
                                                                   : EMSEC_TLS_EV_HANDSHAKE_FAILED);
        break;
    case EMSEC_MG_EV_RENEGOTIATION:
        r = mg_tls(&x, ti, ev->secure ? EMSEC_TLS_EV_RENEG_SECURE : EMSEC_TLS_EV_RENEG_INSECURE);
        break;
    case EMSEC_MG_EV_CLOSE_NOTIFY:
        r = mg_tls(&x, ti, EMSEC_TLS_EV_CLOSE_NOTIFY);
        break;
    case EMSEC_MG_EV_PEER_CLOSED:
        r = mg_tcp(&x, ti, EMSEC_TCP_EV_PEER_CLOSED);
        break;
    case EMSEC_MG_EV_RESET:
        r = mg_tcp(&x, ti, EMSEC_TCP_EV_RESET);
        break;
    case EMSEC_MG_EV_TIMEOUT:
        mg->deadline[ti] = 0u;
        if (t->tls_state == EMSEC_TLS_ST_HANDSHAKE_CLIENT || t->tls_state == EMSEC_TLS_ST_HANDSHAKE_SERVER)
            r = mg_tls(&x, ti, EMSEC_TLS_EV_TIMEOUT);
        else
            r = mg_tcp(&x, ti, EMSEC_TCP_EV_TIMEOUT);
        break;
    default:
        return EMSEC_ERR_ARGUMENT;
    }
    if (x.notes.count > 0u) {
        if (out->notify == NULL)
            return EMSEC_ERR_NO_SPACE;
        mg_write_notes(&x, out->notify, out->notify_cap, &out->notify_len);
        if (out->notify_len == 0u)
            return EMSEC_ERR_NO_SPACE;
    }
    /* REFUSED: the event cannot happen in the termination's state (the
     * table's "protocol" cells); nothing changed: the adapter logs it */
    return r;
}

/*@ predicate armed(emsec_mg *mg, integer i) = mg->term[i].used && mg->deadline[i] != 0; */

/*@ requires mg == \null || \valid_read(mg);
    requires term == \null || \valid(term);
    requires \separated(mg, term);
    assigns *term;
    behavior null:
      assumes mg == \null || term == \null;
      assigns \nothing;
      ensures \result == 0;
    behavior none:
      assumes mg != \null && term != \null;
      assumes \forall integer i; mg_term_handle(i) ==> !armed(mg, i);
      ensures \result == 0 && *term == MG_NO_TERM;
    behavior earliest:
      assumes mg != \null && term != \null;
      assumes \exists integer i; mg_term_handle(i) && armed(mg, i);
      ensures mg_term_handle(*term) && armed(mg, *term) && \result == mg->deadline[*term];
      ensures \forall integer i; mg_term_handle(i) && armed(mg, i) ==> \result <= mg->deadline[i];
    complete behaviors;
    disjoint behaviors;
*/
uint64_t emsec_mg_next_deadline(const emsec_mg *mg, uint16_t *term)
{
    uint64_t best = 0u;
    if (mg == NULL || term == NULL)
        return 0u;
    *term = MG_NO_TERM;
    /*@ loop invariant 0 <= i <= EMSEC_MG_MAX_TERMS;
        loop invariant best == 0 <==> *term == MG_NO_TERM;
        loop invariant best == 0 ==> \forall integer j; 0 <= j < i ==> !armed(mg, j);
        loop invariant best != 0 ==> mg_term_handle(*term) && *term < i && armed(mg, *term) &&
                                     best == mg->deadline[*term];
        loop invariant \forall integer j; 0 <= j < i && armed(mg, j) ==> best <= mg->deadline[j];
        loop assigns i, best, *term;
        loop variant EMSEC_MG_MAX_TERMS - i;
    */
    for (uint16_t i = 0u; i < EMSEC_MG_MAX_TERMS; i++)
        if (mg->deadline[i] != 0u && mg->term[i].used && (best == 0u || mg->deadline[i] < best)) {
            best = mg->deadline[i];
            *term = i;
        }
    return best;
}

#ifdef __FRAMAC__
/* Vacuity probe of the drivers' precondition (core/mg.c says why). */
/*@ requires drive_pre(x, ti);
    assigns \nothing;
    ensures vacuous: \false;
*/
static void probe_drive_pre(mg_exec *x, uint16_t ti)
{
    (void)x;
    (void)ti;
}
#endif
