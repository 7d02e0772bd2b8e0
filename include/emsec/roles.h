/*
 * emsec role resolution: which end connects (TCP client / server) and which
 * end runs the TLS client, from one SDP offer/answer exchange.
 *
 * The decision is two table look-ups, both written by hand in spec/roles.tbl
 * and spec/reuse.tbl and compiled into gen/ by `make gen`:
 *   1. the setup table: (media kind, secured, offer a=setup, answer a=setup)
 *      -> (offerer's TCP role, answerer's TCP role, TLS client) or a refusal;
 *   2. the reuse table: (MSRP or not, offer a=connection, answer
 *      a=connection, existing session) -> new connection, keep, or a refusal;
 * followed by the RFC 8842 §5 check that a=connection and a=tls-id agree.
 * When the reuse table keeps the connection that is up, the a=setup values
 * of the exchange are ignored (RFC 4145 §5.1) and no role changes
 * (RFC 8856 §8): only then does an illegal a=setup pair not refuse.
 *
 * Rules kept (each cited on its rows in spec/):
 *   RFC 4145 §4.1   the offer/answer pairs of a=setup; absent = active in
 *                   the offer, passive in the answer;
 *   RFC 4145 §5     a=connection: the answer's value decides; default new;
 *   RFC 6135 §4.2.1 MSRP: holdconn received is read as absent;
 *   RFC 6135 §4.4   MSRP: a=connection is ignored;
 *   RFC 6135 §6     MSRP: the active end is the TLS client;
 *   RFC 8122 §6.2   TLS over TCP: setup:active is the TLS client;
 *   RFC 8856 §8     BFCP: the answerer is the TLS server whatever its TCP
 *                   role; a later exchange on a kept session changes no role;
 *   RFC 7345 §4     T.38 over DTLS: the active end sends ClientHello; no
 *                   holdconn;
 *   RFC 8842 §5     a=tls-id must not contradict a=connection;
 *   DESIGN.md       both ends active with TLS = two TLS clients: refused.
 */
#ifndef EMSEC_ROLES_H
#define EMSEC_ROLES_H

#include <stdbool.h>
#include <stdint.h>

#include "emsec/result.h"

/* What runs over the m= line. The TLS flag is separate (emsec_role_input). */
typedef enum emsec_media_kind {
    EMSEC_KIND_MSRP = 0, /* TCP/MSRP, TCP/TLS/MSRP */
    EMSEC_KIND_BFCP = 1, /* TCP/BFCP, TCP/TLS/BFCP, TCP/DTLS/BFCP */
    EMSEC_KIND_T38 = 2,  /* udptl, UDP/TLS/UDPTL: UDP, no TCP connection */
    EMSEC_KIND_TCP = 3,  /* TCP, TCP/TLS, TLS: application-agnostic */
    EMSEC_KIND_COUNT = 4
} emsec_media_kind;

/* An a=setup value as received or sent; ABSENT when the line is missing. */
typedef enum emsec_setup {
    EMSEC_SETUP_ABSENT = 0,
    EMSEC_SETUP_ACTIVE = 1,
    EMSEC_SETUP_PASSIVE = 2,
    EMSEC_SETUP_ACTPASS = 3,
    EMSEC_SETUP_HOLDCONN = 4,
    EMSEC_SETUP_COUNT = 5
} emsec_setup;

/* An a=connection value; ABSENT when the line is missing (RFC 4145 §5.1:
 * the default is new). */
typedef enum emsec_connection {
    EMSEC_CONNECTION_ABSENT = 0,
    EMSEC_CONNECTION_NEW = 1,
    EMSEC_CONNECTION_EXISTING = 2,
    EMSEC_CONNECTION_COUNT = 3
} emsec_connection;

/* An a=tls-id compared with the same side's value in the previous exchange
 * that set up the existing session. In an initial exchange a present value
 * is NEW. */
typedef enum emsec_tls_id {
    EMSEC_TLS_ID_ABSENT = 0,
    EMSEC_TLS_ID_NEW = 1,  /* present and different from the previous one */
    EMSEC_TLS_ID_SAME = 2, /* present and equal to the previous one */
    EMSEC_TLS_ID_COUNT = 3
} emsec_tls_id;

typedef enum emsec_side {
    EMSEC_SIDE_OFFERER = 0,
    EMSEC_SIDE_ANSWERER = 1,
    EMSEC_SIDE_COUNT = 2
} emsec_side;

/* The gateway's TCP role on this m= line. */
typedef enum emsec_tcp_role {
    EMSEC_TCP_NONE = 0,    /* no TCP connection: UDP media */
    EMSEC_TCP_ACTIVE = 1,  /* TCP client: connects (sends SYN) */
    EMSEC_TCP_PASSIVE = 2, /* TCP server: listens and accepts */
    EMSEC_TCP_HOLD = 3,    /* holdconn: no connection for the time being */
    EMSEC_TCP_KEEP = 4,    /* the existing connection continues */
    EMSEC_TCP_ROLE_COUNT = 5
} emsec_tcp_role;

/* The gateway's TLS (or DTLS) role on this m= line. */
typedef enum emsec_tls_role {
    EMSEC_TLS_NONE = 0,   /* no TLS on this m= line (or not yet: holdconn) */
    EMSEC_TLS_CLIENT = 1, /* sends ClientHello once the transport is up */
    EMSEC_TLS_SERVER = 2, /* waits for ClientHello */
    EMSEC_TLS_KEEP = 3,   /* the existing session continues, roles unchanged */
    EMSEC_TLS_ROLE_COUNT = 4
} emsec_tls_role;

/* Which end of the exchange runs the TLS client, as a setup-table cell says. */
typedef enum emsec_tls_client {
    EMSEC_TLS_CLIENT_NONE = 0,
    EMSEC_TLS_CLIENT_OFFERER = 1,
    EMSEC_TLS_CLIENT_ANSWERER = 2
} emsec_tls_client;

/* Why an exchange is refused. Each names the rule it breaks. */
typedef enum emsec_refusal {
    EMSEC_REFUSAL_NONE = 0,
    EMSEC_REFUSAL_BOTH_ACTIVE = 1,          /* RFC 4145 §4.1: active/active */
    EMSEC_REFUSAL_TLS_COLLISION = 2,        /* both active with TLS: two TLS clients */
    EMSEC_REFUSAL_BOTH_PASSIVE = 3,         /* RFC 4145 §4.1: nobody connects */
    EMSEC_REFUSAL_ANSWER_ACTPASS = 4,       /* RFC 4145 §4.1: actpass is offer-only */
    EMSEC_REFUSAL_HOLDCONN_MISMATCH = 5,    /* RFC 4145 §4.1: holdconn offer needs holdconn answer */
    EMSEC_REFUSAL_HOLDCONN_FORBIDDEN = 6,   /* RFC 7345 §4.2, §4.3: no holdconn for DTLS */
    EMSEC_REFUSAL_CONNECTION_NEW_EXISTING = 7, /* RFC 4145 §5.2: offer new, answer existing */
    EMSEC_REFUSAL_NO_EXISTING_CONNECTION = 8,  /* answer keeps a connection that does not exist */
    EMSEC_REFUSAL_TLS_ID_CONFLICT = 9,      /* RFC 8842 §5: a=tls-id contradicts a=connection */
    EMSEC_REFUSAL_COUNT = 10
} emsec_refusal;

/* One exchange for one m= line, seen from the gateway. */
typedef struct emsec_role_input {
    emsec_media_kind kind;
    bool secured;                    /* TLS (or DTLS) on this m= line */
    emsec_side side;                 /* the gateway's side of the exchange */
    emsec_setup offer_setup;
    emsec_setup answer_setup;
    emsec_connection offer_connection;
    emsec_connection answer_connection;
    emsec_tls_id offer_tls_id;
    emsec_tls_id answer_tls_id;
    bool existing;                   /* a connection (and, if secured, its TLS
                                        session) for this m= line is up now */
} emsec_role_input;

/* The decision, and the rows that made it (row numbers of spec/). */
typedef struct emsec_role_decision {
    emsec_refusal refusal;           /* NONE when the exchange is accepted */
    emsec_tcp_role tcp;
    emsec_tls_role tls;
    bool new_connection;             /* open (tcp ACTIVE) or accept (tcp
                                        PASSIVE) a new TCP connection */
    bool new_tls;                    /* start a new TLS session (a new DTLS
                                        association for UDP media) */
    uint16_t setup_row;              /* 1-based line-order row of spec/roles.tbl */
    uint16_t reuse_row;              /* 1-based row of spec/reuse.tbl; 0 if not reached */
} emsec_role_decision;

/*
 * Decide the gateway's roles for one m= line.
 * Preconditions: in and out are valid; every enum field of *in is within its
 * range (below its _COUNT). Returns EMSEC_OK with out->refusal NONE when the
 * exchange is accepted, EMSEC_ERR_REFUSED with out->refusal naming the rule
 * when it is refused, EMSEC_ERR_ARGUMENT when an enum is out of range (out is
 * then zeroed). Pure: reads nothing but *in and the const tables.
 */
EMSEC_MUST_USE emsec_result emsec_roles_resolve(const emsec_role_input *in,
                                                emsec_role_decision *out);

/* Stable lower-case names for printing; never NULL ("?" when out of range). */
const char *emsec_media_kind_name(emsec_media_kind k);
const char *emsec_setup_name(emsec_setup s);
const char *emsec_connection_name(emsec_connection c);
const char *emsec_tls_id_name(emsec_tls_id t);
const char *emsec_tcp_role_name(emsec_tcp_role r);
const char *emsec_tls_role_name(emsec_tls_role r);
const char *emsec_refusal_name(emsec_refusal r);

#endif /* EMSEC_ROLES_H */
