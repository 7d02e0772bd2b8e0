/*
 * core/mg_model.h: the gateway's state, as include/emsec/mg.h's emsec_mg
 * holds it. Not a public header: vendors allocate emsec_mg_size() bytes.
 *
 * Invariants (kept by core/mg*.c, stated as ACSL predicates at the end):
 *   - a used termination's ctx names a used context that lists it;
 *   - a used context lists 1..2 used terminations (an empty context is
 *     deleted, H.248.1 §7.2.3: "the context is deleted when the last
 *     termination is subtracted");
 *   - handles are indexes: term < EMSEC_MG_MAX_TERMS, ctx < EMSEC_MG_MAX_CONTEXTS.
 */
#ifndef EMSEC_CORE_MG_MODEL_H
#define EMSEC_CORE_MG_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "emsec/h248.h"
#include "emsec/mg.h"
#include "emsec/roles.h"
#include "emsec/sdp.h"

#define MG_NO_CTX 0xffffu
#define MG_NO_TERM 0xffffu

/* tcpbcc/estmode (DESIGN.md profile) */
typedef enum mg_estmode { MG_EST_IMMEDIATE = 0, MG_EST_DELAYED = 1, MG_EST_HOLD = 2 } mg_estmode;

/* requested events (Events descriptor), one bit each */
#define MG_EV_TCP_EF  0x01u
#define MG_EV_TCP_REL 0x02u
#define MG_EV_TLS_EF  0x04u
#define MG_EV_TLS_REL 0x08u
#define MG_EV_G_CAUSE 0x10u

struct emsec_mg_term {
    bool used;
    uint16_t ctx;                       /* context slot */
    char name[EMSEC_MG_MAX_NAME];       /* NUL-terminated */
    uint32_t name_len;                  /* strlen(name), as mid_len below */
    uint16_t stream;                    /* StreamID of its media, 1 when none given */
    uint32_t local_len;                 /* bytes of mg->local_sdp[this handle] */
    uint32_t remote_len;                /* bytes of mg->remote_sdp[this handle] */
    /* profile properties (LocalControl) */
    uint8_t tcp_role_prop;              /* 0 derive, 1 client, 2 server */
    uint8_t estmode;                    /* mg_estmode */
    uint8_t tls_role_prop;              /* 0 derive, 1 client, 2 server */
    uint8_t psk[64];                    /* tlsbsc/psk octets: never audited, never logged */
    uint32_t psk_len;
    char pskid[129];
    uint32_t pskid_len;
    /* events requested */
    uint32_t event_rid;
    uint8_t events;                     /* MG_EV_* */
    /* what the SDP and properties decided */
    emsec_media_kind kind;
    bool secured;
    bool own_fingerprint;               /* Local carries the gateway's a=fingerprint: it terminates TLS */
    bool cema_local, cema_remote;       /* Local / Remote holds a=msrp-cema (RFC 6714) */
    uint8_t local_setup;                /* emsec_setup the gateway put in Local */
    uint8_t remote_setup;               /* emsec_setup of Remote (ABSENT if none) */
    uint8_t tcp_role;                   /* emsec_tcp_role */
    uint8_t tls_role;                   /* emsec_tls_role */
    bool offerer;                       /* the gateway's Local was the offer */
    /* a=connection (RFC 4145 §5) of the Local / Remote the command being
     * executed carries (emsec_connection; EMSEC_CONNECTION_COUNT: the
     * command carries no such SDP). Reset by each Add, Modify or Move. */
    uint8_t conn_local, conn_remote;
    uint16_t local_port;
    char remote_addr[64];
    uint16_t remote_port;
    char tls_id[41];
    uint8_t tcp_state, tls_state;       /* lifecycle states (spec/tcp_lifecycle.tbl, spec/tls_lifecycle.tbl) */
    bool tcp_fwd, tls_fwd;              /* each machine said FORWARD */
    /* its armed timer: mg->deadline[this handle] (below) */
};

struct emsec_mg_ctx {
    bool used;
    uint32_t id;                        /* ContextID */
    uint16_t terms[EMSEC_MG_TERMS_PER_CONTEXT];
    uint8_t nterms;
    bool forwarding;                    /* FORWARD sent for this context */
};

/* A requester's mId as the reply cache compares it (include/emsec/mg.h,
 * "Reply cache"): ASCII lower-cased (RFC 3525 Annex B.2: the text encoding
 * is case insensitive), its first EMSEC_MG_MID_KEY bytes, zero after the
 * end, so that two keys are the same mId exactly when every field is equal.
 * The hash covers every byte, for the mIds longer than text. */
typedef struct mg_mid_key {
    uint64_t hash;                      /* FNV-1a 64 of the whole lower-cased mId */
    uint32_t len;                       /* bytes of the mId as received */
    char text[EMSEC_MG_MID_KEY];
} mg_mid_key;

typedef struct mg_cached_reply {
    bool used;
    bool kept;                          /* text holds the reply; false: the transaction
                                           was executed but its reply did not fit
                                           (longer than EMSEC_MG_MAX_REPLY, or than
                                           out->cap): a retransmission gets Error 510,
                                           never a second execution (include/emsec/mg.h) */
    uint32_t tid;                       /* TransactionID */
    mg_mid_key from;                    /* the requester's mId (RFC 3525 Annex D.1.1:
                                           a repeat is the same tid from the same mId) */
    uint32_t len;                       /* 0 when !kept */
    char text[EMSEC_MG_MAX_REPLY];      /* "Reply = tid { ... }" */
} mg_cached_reply;

struct emsec_mg {
    char mid[128];                      /* NUL-terminated */
    uint32_t mid_len;                   /* strlen(mid): the writers take the length
                                           from here (no strlen in the proofs, core/mg.c) */
    char prefix[16];
    char address[64];
    char fingerprint[EMSEC_MG_MAX_FINGERPRINT];
    uint16_t port_min, port_max, next_port;
    uint32_t version;
    uint32_t seed;
    uint32_t next_ctx_id;               /* CHOOSE for contexts */
    uint32_t next_term_id;              /* CHOOSE for terminations */
    uint32_t tls_id_counter;
    uint32_t next_tid;                  /* TransactionIDs of the gateway's own requests */
    uint32_t sc_tid;                    /* the Restart's TransactionID, 0 = none sent */
    bool registered;                    /* the controller answered the Restart */
    bool sc_cold;                       /* sc_tid is a Restart's: until its reply, Error 505 */
    bool msrp_aware;                    /* emsec_mg_config.msrp_aware */
    emsec_mg_ctx ctx[EMSEC_MG_MAX_CONTEXTS];
    emsec_mg_term term[EMSEC_MG_MAX_TERMS];
    mg_cached_reply cache[EMSEC_MG_REPLY_CACHE];
    uint32_t cache_next;
    emsec_h248_node nodes[EMSEC_MG_MAX_NODES];
    emsec_sdp sdp;                      /* scratch */
    /* deadline[ti]: term ti's armed timer, 0 = none (meaningful while
     * term[ti].used; an Add sets it to 0). Apart from the slots: the
     * adapter asks for the earliest one (emsec_mg_next_deadline) after
     * every control message and event, and a scan of 8 bytes per slot,
     * one contiguous array, reads 160 KB for EMSEC_MG_MAX_TERMS where the
     * slots' own field would be one cache line per 400-byte slot (8 MB). */
    uint64_t deadline[EMSEC_MG_MAX_TERMS];
    /* port_busy[p]: a used termination holds media port p (its local_port).
     * Set when next_port (core/mg_sdp.c) hands p out, cleared when that
     * termination is freed (mg_port_release): so the port it hands out is
     * never one a live termination listens on, with no scan. */
    bool port_busy[65536];
    /* The SDP text of each termination, by handle, apart from emsec_mg_term
     * (the lengths stay there). Why: every scan of the terminations (by
     * name, by context, the earliest deadline, the forced ServiceChange)
     * reads a few bytes of each slot; with 4 KB of text inline a slot was
     * 4.5 KB, so a scan over EMSEC_MG_MAX_TERMS slots touched one page per
     * slot. Without it a slot is about 400 bytes (ten to a page). Last in
     * the struct and never written by emsec_mg_init: text is read only up
     * to its length, so the pages of slots never used stay untouched (no
     * resident memory on a zero-filled allocation, include/emsec/mg.h). */
    char local_sdp[EMSEC_MG_MAX_TERMS][EMSEC_MG_MAX_SDP];  /* the gateway's SDP, every `$` filled */
    char remote_sdp[EMSEC_MG_MAX_TERMS][EMSEC_MG_MAX_SDP]; /* the peer's SDP as the controller gave it */
};

/*
 * The invariants above as ACSL predicates (the contracts of core/mg*.c use
 * them; proofs/run.sh proves those functions with WP).
 */
/*@ logic integer lower_ci(integer c) = ('A' <= c <= 'Z') ? c + 32 : c;

    predicate mg_term_handle(integer ti) = 0 <= ti < EMSEC_MG_MAX_TERMS;
    predicate mg_ctx_handle(integer ci) = 0 <= ci < EMSEC_MG_MAX_CONTEXTS;

    // A context's list: at most two handles, each in range, no one twice.
    predicate mg_ctx_list_ok(emsec_mg_ctx *c) =
      c->nterms <= EMSEC_MG_TERMS_PER_CONTEXT &&
      (\forall integer k; 0 <= k < c->nterms ==> mg_term_handle(c->terms[k])) &&
      (c->nterms == 2 ==> c->terms[0] != c->terms[1]);

    // ti is on context c's list.
    predicate mg_ctx_lists(emsec_mg_ctx *c, integer ti) =
      \exists integer k; 0 <= k < c->nterms && c->terms[k] == ti;

    // Handles are indexes, in every slot (used or not: a slot is zeroed by
    // emsec_mg_init and only ever given in-range handles).
    predicate mg_handles_ok(emsec_mg *mg) =
      (\forall integer ci; mg_ctx_handle(ci) ==> mg_ctx_list_ok(&mg->ctx[ci])) &&
      (\forall integer ti; mg_term_handle(ti) ==> mg_ctx_handle(mg->term[ti].ctx));

    // A used context lists 1..2 used terminations whose ctx points back.
    predicate mg_ctx_ok(emsec_mg *mg, integer ci) =
      mg->ctx[ci].used ==>
        1 <= mg->ctx[ci].nterms &&
        \forall integer k; 0 <= k < mg->ctx[ci].nterms ==>
          mg->term[mg->ctx[ci].terms[k]].used && mg->term[mg->ctx[ci].terms[k]].ctx == ci;

    // A used termination's ctx names a used context that lists it.
    predicate mg_term_ok(emsec_mg *mg, integer ti) =
      mg->term[ti].used ==>
        mg->ctx[mg->term[ti].ctx].used && mg_ctx_lists(&mg->ctx[mg->term[ti].ctx], ti);

    predicate mg_model_ok(emsec_mg *mg) =
      mg_handles_ok(mg) &&
      (\forall integer ci; mg_ctx_handle(ci) ==> mg_ctx_ok(mg, ci)) &&
      (\forall integer ti; mg_term_handle(ti) ==> mg_term_ok(mg, ti));

    // Two mId keys name the same requester (mg.h: every field equal).
    predicate mid_key_eq(mg_mid_key *a, mg_mid_key *b) =
      a->len == b->len && a->hash == b->hash &&
      \forall integer i; 0 <= i < EMSEC_MG_MID_KEY ==> a->text[i] == b->text[i];

    // The reply cache's next slot is a slot.
    predicate mg_cache_ok(emsec_mg *mg) = mg->cache_next < EMSEC_MG_REPLY_CACHE;
*/

#endif
