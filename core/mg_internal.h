/*
 * core/mg_internal.h: what the files of the gateway core share. Not public.
 */
#ifndef EMSEC_CORE_MG_INTERNAL_H
#define EMSEC_CORE_MG_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "emsec/mg.h"
#include "lifecycle.h"
#include "emsec/sdp.h"
#include "mg_model.h"

/* Notify requests gathered while stepping the lifecycle tables. */
#define MG_MAX_NOTES 8u
typedef struct mg_note {
    uint16_t term;
    const char *event;          /* "tlsbsc/ef" ... */
    const char *cause;          /* "fingerprint" ... */
    bool own;                   /* the controller asked for `event` itself */
    bool gcause;                /* the controller asked for g/cause (H.248.1 Annex E.1.2) */
} mg_note;
typedef struct mg_notify {
    mg_note note[MG_MAX_NOTES];
    uint32_t count;
} mg_notify;

/* One transaction being executed. */
typedef struct mg_exec {
    emsec_mg *mg;
    const char *src;            /* the decoded message */
    uint32_t src_len;           /* its bytes (every span of msg lies in them) */
    const emsec_h248_msg *msg;
    emsec_mg_out *out;
    uint64_t now;
    uint16_t code;              /* H.248.8 error code of the failing command, 0 = none */
    char why[192];              /* its text (quotedString-safe) */
    mg_notify notes;            /* Notify requests to send after it */
} mg_exec;

/* Step term ti's TCP / TLS machine with event e, doing the cell's actions
 * (including the events they give the other machine and the peer leg).
 * Contract (ACSL, on the definitions in core/mg_drive.c): x's call state
 * apart and valid, ti a handle, mg_handles_ok, notes within MG_MAX_NOTES;
 * writes only the machines' states, forward flags and timers, contexts'
 * forwarding, the actions, the notes and the failure; returns the step
 * function's result. */
emsec_result mg_tcp(mg_exec *x, uint16_t ti, emsec_tcp_event e);
emsec_result mg_tls(mg_exec *x, uint16_t ti, emsec_tls_event e);
/* Append an action for the adapter (fails the command with 510 when full). */
void mg_act(mg_exec *x, emsec_mg_action_kind k, uint16_t term, uint16_t peer, uint8_t mode);
/* The gathered Notify requests as one H.248 message (*len 0: none or no room).
 * Each Notify takes the gateway's next TransactionID (mg->next_tid). */
/*@ requires \valid_read(x) && \valid(x->mg) && x->notes.count <= MG_MAX_NOTES;
    requires cap == 0 || \valid(buf + (0 .. cap - 1));
    requires \valid(len) && \separated(len, buf + (0 .. cap - 1));
    requires \separated(&x->mg->next_tid, len, buf + (0 .. cap - 1));
    assigns buf[0 .. cap - 1], *len, x->mg->next_tid;
    ensures *len <= cap;
*/
void mg_write_notes(mg_exec *x, char *buf, uint32_t cap, uint32_t *len);

/* Record the first failure of the command (code, text); returns false.
 * mg_fail_n takes the text as (pointer, length); MG_FAIL passes a string
 * literal with its length known at compile time (sizeof - 1; the "" makes
 * anything but a literal a compile error), so that the proofs need only
 * the literal's bytes, not its strlen (proofs/UNPROVED.md, "literal");
 * mg_fail is for a text whose length is known only at run time. */
bool mg_fail_n(mg_exec *x, uint16_t code, const char *why, uint32_t len);
bool mg_fail(mg_exec *x, uint16_t code, const char *why);
#define MG_FAIL(x, code, lit) mg_fail_n((x), (code), "" lit, (uint32_t)(sizeof(lit) - 1u))
/* 400 for an SDP body that does not parse, naming the body (which_len
 * bytes at which: MG_FAIL_SDP passes a literal), rule and offset. */
bool mg_fail_sdp(mg_exec *x, const char *which, uint32_t which_len, emsec_sdp_error e);
#define MG_FAIL_SDP(x, lit, e) mg_fail_sdp((x), "" lit, (uint32_t)(sizeof(lit) - 1u), (e))

emsec_media_kind mg_kind_of(emsec_sdp_proto p, bool *secured, bool *tcp_based);
emsec_setup mg_setup_of(emsec_sdp_setup s);
emsec_setup mg_choose_setup(bool offerer, emsec_setup remote);
/* Is term t's TCP connection live (listening, connecting, waiting for its
 * trigger, held or up)? */
/*@ requires \valid_read(t);
    assigns \nothing;
    ensures \result <==> (t->tcp_state == EMSEC_TCP_ST_LISTENING || t->tcp_state == EMSEC_TCP_ST_CONNECTING ||
                          t->tcp_state == EMSEC_TCP_ST_WAIT_TRIGGER || t->tcp_state == EMSEC_TCP_ST_HELD ||
                          t->tcp_state == EMSEC_TCP_ST_ESTABLISHED);
*/
bool mg_conn_live(const emsec_mg_term *t);
/* Keep the Remote / write the Local SDP of term ti (t == &x->mg->term[ti]);
 * the text goes to x->mg->remote_sdp[ti] / local_sdp[ti] (core/mg_model.h).
 * mg_write_local hands out a media port for `$` when t has none yet:
 * Error 510 when every port of the configured range is in use. */
bool mg_read_remote(mg_exec *x, emsec_mg_term *t, uint16_t ti, const char *sdp, uint32_t len);
bool mg_write_local(mg_exec *x, emsec_mg_term *t, uint16_t ti, const char *sdp, uint32_t len);
/* Term ti is being freed: its media port (if any) may be handed out again. */
/*@ requires \valid(mg) && ti < EMSEC_MG_MAX_TERMS;
    assigns mg->port_busy[0 .. 65535];
    ensures mg->term[ti].local_port != 0 ==> !mg->port_busy[mg->term[ti].local_port];
*/
void mg_port_release(emsec_mg *mg, uint16_t ti);

/* Does the peer certificate's digest `fp` (hash function `hash`, e.g.
 * "sha-256") match one of the term's Remote a=fingerprint lines? */
bool mg_fingerprint_matches(emsec_mg *mg, uint16_t ti, const char *hash, const uint8_t *fp, uint32_t fp_len);

#endif
