/*
 * emsec: the controller's procedures (IMS-ALG on Iq, MRFC on Mp) for one
 * TCP-based media stream secured with TLS (MSRP or BFCP).
 *
 * The controller sits in the SIP signalling path. The UE's SDP offer arrives;
 * the controller seizes two terminations at the gateway (one towards the
 * UE, one towards the core / far end) with one Add transaction; the
 * gateway's reply carries its own addresses, ports, a=setup, fingerprint,
 * a=tls-id and a=path (its choices for every `$`); the answer from the far
 * end then goes to the core-side termination with a Modify; the controller
 * sends the answer on towards the UE with the gateway's values in it;
 * at the end one Subtract releases the context.
 *
 * Modes (DESIGN.md, "What the gateway does"):
 *   E2AE  IMS-AGW, IMS-ALG on Iq: the gateway ends TLS towards the UE with
 *         its certificate (Local a=fingerprint:sha-256 $) and verifies the
 *         UE's a=fingerprint; plain TCP towards the core (TLS to non-TLS
 *         interworking). MSRP with a=path:$ on both legs.
 *   E2E   IMS-AGW / TrGW: the UE's TLS session runs end to end; both legs
 *         keep the TLS proto and the gateway forwards the bytes untouched
 *         (no fingerprint of its own); the SDP towards the UE keeps the far
 *         end's fingerprint and a=path (RFC 6714 CEMA).
 *   PSK   MRFP, MRFC on Mp: the gateway ends TLS-PSK (RFC 4279) towards the
 *         UE with the key the MRFC resolved (the MIKEY-TICKET TEK);
 *         tlsbsc/psk and tlsbsc/pskid in LocalControl; plain TCP behind.
 *
 * Authorization (the setup is aborted, nothing sent to the gateway):
 *   certificate modes: the UE's offer must carry an a=fingerprint for the
 *   stream (RFC 8122 §5: without it the TLS peer cannot be authenticated);
 *   in E2E the far end's answer must carry one as well;
 *   PSK mode: the caller must have resolved a key for the identity (RFC
 *   4279 §5.1: an unknown identity cannot be authenticated).
 *
 * Pure: no I/O, no allocation, no clock. Every text is written into the
 * caller's buffer; every input is a (pointer, length) pair the caller owns.
 * The H.248 written is text encoding, version 1, pretty (H.248.1 Annex B),
 * with the provisional package names of spec/h248_profile.tbl; SDP inside
 * Local / Remote is H.248's form (H.248.1 §7.1.8: no o=/s=/t=, `$` = the
 * gateway chooses).
 */
#ifndef EMSEC_CTL_H
#define EMSEC_CTL_H

#include <stdbool.h>
#include <stdint.h>

#include "emsec/h248.h"
#include "emsec/result.h"
#include "emsec/roles.h"
#include "emsec/sdp.h"

#define EMSEC_CTL_MAX_SDP   4096u /* bytes of one Local SDP kept from a reply */
#define EMSEC_CTL_MAX_ID    64u   /* bytes of a context / termination id, + NUL */
#define EMSEC_CTL_MAX_PSK   64u   /* RFC 4279 §5.3: PSKs up to 64 octets */
#define EMSEC_CTL_MAX_PSKID 128u  /* RFC 4279 §5.1: identities up to 128 octets */
#define EMSEC_CTL_MAX_WHY   256u  /* bytes of a refusal's explanation, + NUL */

typedef enum emsec_ctl_mode {
    EMSEC_CTL_E2AE = 1,
    EMSEC_CTL_E2E = 2,
    EMSEC_CTL_PSK = 3,
} emsec_ctl_mode;

/* Why a step was refused. Each names the check that failed. */
typedef enum emsec_ctl_refusal {
    EMSEC_CTL_REFUSAL_NONE = 0,
    EMSEC_CTL_REFUSAL_SDP = 1,            /* an SDP did not parse */
    EMSEC_CTL_REFUSAL_NO_STREAM = 2,      /* no m= line over TCP/TLS/MSRP or TCP/TLS/BFCP */
    EMSEC_CTL_REFUSAL_NO_FINGERPRINT = 3, /* certificate mode, a=fingerprint missing */
    EMSEC_CTL_REFUSAL_PSK_UNRESOLVED = 4, /* PSK mode, no usable key or identity */
    EMSEC_CTL_REFUSAL_ROLES = 5,          /* spec/roles.tbl refuses the a=setup pair */
    EMSEC_CTL_REFUSAL_ANSWER_STREAM = 6,  /* the answer's m= line does not fit the offer */
    EMSEC_CTL_REFUSAL_GATEWAY = 7,        /* the gateway's reply: Error, or no Local */
    EMSEC_CTL_REFUSAL_STATE = 8,          /* a step out of order */
    EMSEC_CTL_REFUSAL_COUNT = 9
} emsec_ctl_refusal;

/* One role decision as the controller sees it: the gateway's side of that
 * leg's offer/answer exchange, and what spec/roles.tbl made of it. */
typedef struct emsec_ctl_leg_decision {
    bool decided;
    emsec_side side;
    emsec_setup offer_setup, answer_setup;
    emsec_role_decision d;
} emsec_ctl_leg_decision;

/* The state of one session, in the caller's memory. Fields are read-only
 * for the caller (set by the functions below). */
typedef struct emsec_ctl_session {
    emsec_ctl_mode mode;
    emsec_media_kind kind;          /* MSRP or BFCP */
    uint8_t step;                   /* private: which step comes next */
    uint32_t offer_mi;              /* 0-based index of the stream in the offer */
    uint32_t psk_len;
    uint8_t psk[EMSEC_CTL_MAX_PSK];
    char pskid[EMSEC_CTL_MAX_PSKID + 1u];
    char context[EMSEC_CTL_MAX_ID];
    char term_ue[EMSEC_CTL_MAX_ID];
    char term_core[EMSEC_CTL_MAX_ID];
    char ue_tls_id[256];            /* the UE's a=tls-id of the last offer (RFC 8842 §4: 20..255 chars) */
    char local_ue[EMSEC_CTL_MAX_SDP];   /* the gateway's Local of the UE leg */
    uint32_t local_ue_len;
    char local_core[EMSEC_CTL_MAX_SDP]; /* the gateway's Local of the core leg */
    uint32_t local_core_len;
    emsec_ctl_leg_decision ue_leg, core_leg;
    emsec_ctl_refusal refusal;      /* the last refusal, NONE if none */
    char why[EMSEC_CTL_MAX_WHY];    /* its explanation, NUL-terminated */
    emsec_sdp scratch;              /* parse space */
} emsec_ctl_session;

/*
 * Start a session from the UE's SDP offer (a full RFC 8866 description).
 * requires: s, offer valid (offer readable for offer_len bytes); mode one of
 *           emsec_ctl_mode; psk may be NULL iff psk_len == 0; pskid may be
 *           NULL; both are used in PSK mode only (the caller resolved them:
 *           the TEK of the MIKEY-TICKET exchange, or a provisioned key).
 * Returns EMSEC_OK, or EMSEC_ERR_REFUSED with s->refusal and s->why set
 * (the setup is aborted: nothing is to be sent), EMSEC_ERR_ARGUMENT.
 */
EMSEC_MUST_USE emsec_result emsec_ctl_begin(emsec_ctl_session *s, emsec_ctl_mode mode,
                                            const char *offer, uint32_t offer_len,
                                            const uint8_t *psk, uint32_t psk_len,
                                            const char *pskid);

/*
 * The Add transaction: Context = $ with the UE-side termination (Local with
 * `$`, Remote from the offer's stream, LocalControl with the PSK in PSK
 * mode, Events) and the core-side one (Local with `$`, Events).
 * requires: emsec_ctl_begin returned EMSEC_OK for this offer (same bytes);
 *           mid the controller's mId ("[127.0.0.1]:2945"), NUL-terminated;
 *           out writable for cap bytes; out_len valid.
 * Returns EMSEC_OK (*out_len bytes written), EMSEC_ERR_NO_SPACE,
 * EMSEC_ERR_REFUSED (s->refusal STATE when called out of order).
 */
EMSEC_MUST_USE emsec_result emsec_ctl_write_add(emsec_ctl_session *s, const char *offer,
                                                uint32_t offer_len, const char *mid,
                                                uint32_t tid, char *out, uint32_t cap,
                                                uint32_t *out_len);

/*
 * The gateway's reply to the Add: keeps the context id, both termination
 * ids and both Local SDPs; decides the UE leg's roles (the gateway answers
 * the UE's offer) as the gateway will have done, for the timeline.
 * requires: reply readable for len bytes; nodes has cap >= 1 elements
 *           (scratch for the decoder, 512 is plenty); offer as given to begin.
 * Returns EMSEC_OK, EMSEC_ERR_REFUSED (GATEWAY: an Error descriptor, with
 * its code and text in s->why; or the reply lacks what the Add asked for).
 */
EMSEC_MUST_USE emsec_result emsec_ctl_on_add_reply(emsec_ctl_session *s, const char *offer,
                                                   uint32_t offer_len, const char *reply,
                                                   uint32_t len, emsec_h248_node *nodes,
                                                   uint32_t cap);

/*
 * The far end's SDP answer arrived: check it (same media kind; the proto
 * the gateway offered on the core leg; in E2E a fingerprint) and write the
 * Modify giving it to the core-side termination as Remote.
 * requires: the Add reply was taken (emsec_ctl_on_add_reply OK); answer a
 *           full SDP readable for answer_len bytes; out as for write_add.
 * Returns EMSEC_OK, EMSEC_ERR_NO_SPACE, EMSEC_ERR_REFUSED (s->refusal,
 * s->why: the setup is to be aborted with emsec_ctl_write_subtract).
 */
EMSEC_MUST_USE emsec_result emsec_ctl_write_modify(emsec_ctl_session *s, const char *answer,
                                                   uint32_t answer_len, const char *mid,
                                                   uint32_t tid, char *out, uint32_t cap,
                                                   uint32_t *out_len);

/*
 * A re-offer from the UE with its answer from the far end (RFC 4145 §5:
 * a=connection decides whether the connection is kept; RFC 8856 §8: a kept
 * TLS session keeps its roles): one Modify transaction with the new Remote
 * on both terminations. The same checks as begin + write_modify apply.
 * requires: the session was set up (write_modify OK); inputs as above.
 */
EMSEC_MUST_USE emsec_result emsec_ctl_write_reoffer(emsec_ctl_session *s, const char *offer,
                                                    uint32_t offer_len, const char *answer,
                                                    uint32_t answer_len, const char *mid,
                                                    uint32_t tid, char *out, uint32_t cap,
                                                    uint32_t *out_len);

/*
 * The SDP answer the controller sends on towards the UE: the far end's
 * answer with, on the secured stream, the gateway's c= address and port
 * (UE leg Local), the offer's proto, the gateway's a=setup, a=tls-id and
 * a=connection, and in E2AE / PSK its own a=fingerprint and a=path; in E2E
 * the far end's fingerprint and a=path stay (end to end). Other m= lines
 * and session lines are passed through as they came.
 * Also decides the core leg's roles for the timeline (s->core_leg).
 * requires: write_modify (or write_reoffer) OK with this answer.
 * Returns EMSEC_OK, EMSEC_ERR_NO_SPACE, EMSEC_ERR_REFUSED (STATE).
 */
EMSEC_MUST_USE emsec_result emsec_ctl_write_ue_sdp(emsec_ctl_session *s, const char *answer,
                                                   uint32_t answer_len, char *out, uint32_t cap,
                                                   uint32_t *out_len);

/*
 * Any other reply of the gateway (to a Modify or a Subtract): EMSEC_OK when
 * it holds no Error descriptor; EMSEC_ERR_REFUSED with s->refusal GATEWAY
 * and the code and text in s->why otherwise (or when it is no Reply).
 * requires: reply readable for len bytes; nodes scratch as for on_add_reply.
 */
EMSEC_MUST_USE emsec_result emsec_ctl_check_reply(emsec_ctl_session *s, const char *reply,
                                                  uint32_t len, emsec_h248_node *nodes,
                                                  uint32_t cap);

/* The Subtract of the whole context (Subtract = *), to end the call or to
 * abort a setup once the context exists. requires: the Add reply was taken. */
EMSEC_MUST_USE emsec_result emsec_ctl_write_subtract(emsec_ctl_session *s, const char *mid,
                                                     uint32_t tid, char *out, uint32_t cap,
                                                     uint32_t *out_len);

/* One event the gateway reported in a Notify (ObservedEvents). */
typedef struct emsec_ctl_event {
    uint32_t transaction_id;      /* of the Notify request, for the reply */
    char context[EMSEC_CTL_MAX_ID];
    char term[EMSEC_CTL_MAX_ID];
    char event[32];               /* "tlsbsc/ef", "tcpbcc/rel", ... */
    char cause[32];               /* the cause parameter, "" if none */
    bool failure;                 /* an establishment failure (tcpbcc/ef, tlsbsc/ef) */
} emsec_ctl_event;

/*
 * Read a Notify request from the gateway: the first observed event.
 * requires: msg readable for len bytes; nodes scratch as above; ev valid.
 * Returns EMSEC_OK, EMSEC_ERR_SYNTAX (not H.248), EMSEC_ERR_REFUSED (not a
 * Notify request with an observed event).
 */
EMSEC_MUST_USE emsec_result emsec_ctl_read_notify(const char *msg, uint32_t len,
                                                  emsec_h248_node *nodes, uint32_t cap,
                                                  emsec_ctl_event *ev);

/* The controller's reply to that Notify (H.248.1 §7.2.7: a Notify is
 * answered with an empty Notify reply for the same termination). */
EMSEC_MUST_USE emsec_result emsec_ctl_write_notify_reply(const emsec_ctl_event *ev,
                                                         const char *mid, char *out,
                                                         uint32_t cap, uint32_t *out_len);

/* Stable names for printing; never NULL. */
const char *emsec_ctl_mode_name(emsec_ctl_mode m);
const char *emsec_ctl_refusal_name(emsec_ctl_refusal r);

#endif /* EMSEC_CTL_H */
