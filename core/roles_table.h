/*
 * The two role tables, as gen/roles_table.c and gen/reuse_table.c hold them
 * (compiled by `make gen` from spec/roles.tbl and spec/reuse.tbl).
 * Both are dense: every index combination has a row, and every row's `row`
 * field is its 1-based position in the spec file (never 0), so a cell that the
 * generator somehow left empty is caught by the walk in tests/ and the proofs.
 */
#ifndef EMSEC_CORE_ROLES_TABLE_H
#define EMSEC_CORE_ROLES_TABLE_H

#include <stdint.h>

#include "emsec/roles.h"

typedef enum emsec_reuse_class {
    EMSEC_REUSE_CONNECTION = 0, /* bfcp, tcp: a=connection decides */
    EMSEC_REUSE_MSRP = 1,       /* RFC 6135 §4.4: a=connection ignored */
    EMSEC_REUSE_UDP = 2,        /* t38: no TCP connection */
    EMSEC_REUSE_CLASS_COUNT = 3
} emsec_reuse_class;

/* The reuse class of a media kind (the first index of emsec_reuse_table).
 * requires: kind < EMSEC_KIND_COUNT. */
emsec_reuse_class emsec_reuse_class_of(emsec_media_kind kind);

typedef enum emsec_reuse_verdict {
    EMSEC_REUSE_NEW = 0,
    EMSEC_REUSE_KEEP = 1,
    EMSEC_REUSE_REFUSE = 2
} emsec_reuse_verdict;

typedef struct emsec_setup_row {
    uint16_t row;                 /* 1-based row of spec/roles.tbl */
    emsec_refusal refusal;        /* NONE: the pair is accepted */
    emsec_tcp_role offerer_tcp;   /* NONE for UDP; HOLD for holdconn */
    emsec_tcp_role answerer_tcp;
    emsec_tls_client tls_client;  /* NONE when plain or held */
} emsec_setup_row;

typedef struct emsec_reuse_row {
    uint16_t row;                 /* 1-based row of spec/reuse.tbl */
    emsec_reuse_verdict verdict;
    emsec_refusal refusal;        /* set iff verdict is REFUSE */
} emsec_reuse_row;

/* [kind][secured][offer setup][answer setup] */
extern const emsec_setup_row
    emsec_setup_table[EMSEC_KIND_COUNT][2][EMSEC_SETUP_COUNT][EMSEC_SETUP_COUNT];

/* [class][offer connection][answer connection][existing] */
extern const emsec_reuse_row
    emsec_reuse_table[EMSEC_REUSE_CLASS_COUNT][EMSEC_CONNECTION_COUNT]
                     [EMSEC_CONNECTION_COUNT][2];

/*
 * What the resolver's WP proof takes from a table cell. setup_row() and
 * reuse_row() in core/roles.c promise these of the cell they return; those two
 * one-line look-ups are not proved by WP but by Eva over every cell
 * (proofs/roles_tables_eva.c asserts the same predicates for all 200 + 54
 * cells), so the facts are checked, not trusted: cells are numbered, a refusal
 * names no TLS client, plain media have no TLS client, BFCP never makes the
 * answerer TLS client (RFC 8856 §8), MSRP over TLS makes the active end the TLS
 * client (RFC 6135 §6), T.38 has no TCP role, held rows hold both ends.
 */
/*@ predicate setup_row_ok(emsec_setup_row *r, integer kind, integer sec) =
      r->row != 0 &&
      0 <= r->refusal < EMSEC_REFUSAL_COUNT &&
      (r->refusal != EMSEC_REFUSAL_NONE ==> r->tls_client == EMSEC_TLS_CLIENT_NONE) &&
      0 <= r->offerer_tcp <= EMSEC_TCP_HOLD && 0 <= r->answerer_tcp <= EMSEC_TCP_HOLD &&
      0 <= r->tls_client <= EMSEC_TLS_CLIENT_ANSWERER &&
      (sec == 0 ==> r->tls_client == EMSEC_TLS_CLIENT_NONE) &&
      (kind == EMSEC_KIND_BFCP ==> r->tls_client != EMSEC_TLS_CLIENT_ANSWERER) &&
      (kind == EMSEC_KIND_MSRP && sec == 1 ==>
         ((r->offerer_tcp == EMSEC_TCP_ACTIVE || r->offerer_tcp == EMSEC_TCP_PASSIVE) ==>
          (r->tls_client == EMSEC_TLS_CLIENT_OFFERER <==> r->offerer_tcp == EMSEC_TCP_ACTIVE) &&
          (r->tls_client == EMSEC_TLS_CLIENT_ANSWERER <==> r->answerer_tcp == EMSEC_TCP_ACTIVE) &&
          r->tls_client != EMSEC_TLS_CLIENT_NONE)) &&
      (kind == EMSEC_KIND_T38 ==>
         r->offerer_tcp == EMSEC_TCP_NONE && r->answerer_tcp == EMSEC_TCP_NONE) &&
      (kind != EMSEC_KIND_T38 && r->refusal == EMSEC_REFUSAL_NONE ==>
         (r->offerer_tcp == EMSEC_TCP_HOLD <==> r->answerer_tcp == EMSEC_TCP_HOLD) &&
         r->offerer_tcp != EMSEC_TCP_NONE && r->answerer_tcp != EMSEC_TCP_NONE &&
         (r->offerer_tcp == EMSEC_TCP_HOLD ==> r->tls_client == EMSEC_TLS_CLIENT_NONE) &&
         (sec == 1 && r->offerer_tcp != EMSEC_TCP_HOLD ==>
            r->tls_client != EMSEC_TLS_CLIENT_NONE));

    predicate reuse_row_ok(emsec_reuse_row *r, integer existing) =
      r->row != 0 &&
      0 <= r->verdict <= EMSEC_REUSE_REFUSE &&
      0 <= r->refusal < EMSEC_REFUSAL_COUNT &&
      (r->verdict == EMSEC_REUSE_REFUSE <==> r->refusal != EMSEC_REFUSAL_NONE) &&
      (r->verdict == EMSEC_REUSE_KEEP ==> existing == 1);
*/

#endif
