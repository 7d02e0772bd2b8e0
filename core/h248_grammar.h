/*
 * core/h248_grammar.h: the row types of spec/h248_grammar.tbl (generated into
 * gen/h248_grammar_table.c), the bracketed productions of H.248.1 Annex B.
 * Not a public header. See the table's header comment for the meaning.
 */
#ifndef EMSEC_CORE_H248_GRAMMAR_H
#define EMSEC_CORE_H248_GRAMMAR_H

#include <stdint.h>

#include "emsec/h248.h"
#include "h248_tokens.h"
#include "h248_grammar_table.h"

/* What follows an item (the VALUE column). */
typedef enum h248_vtype {
    H248_V_NONE = 0,
    H248_V_TXID, H248_V_TXSEG, H248_V_CTXID, H248_V_TERMID, H248_V_STREAMID,
    H248_V_REQID, H248_V_ERRCODE, H248_V_UINT16, H248_V_UINT32, H248_V_MID,
    H248_V_MIDPORT, H248_V_VERSION, H248_V_PROFILE, H248_V_VALUE, H248_V_PARM,
    H248_V_NAME, H248_V_ENUM, H248_V_TOKSET, H248_V_MODEM,
} h248_vtype;

/* What the item's braces hold (the BODY column). */
typedef enum h248_btype {
    H248_B_NONE = 0, H248_B_SET, H248_B_OCTETS, H248_B_DIGITMAP, H248_B_ERRTEXT, H248_B_EMPTY,
} h248_btype;

typedef struct h248_rule_row {
    uint16_t item;       /* token id or EMSEC_H248_ITEM_* */
    uint8_t vtype;       /* h248_vtype */
    uint8_t vopt;        /* value may be absent */
    uint8_t btype;       /* h248_btype */
    uint8_t bopt;        /* braces may be absent */
    uint8_t bset;        /* enum h248_set when btype == H248_B_SET */
    uint8_t version;     /* first H.248.1 version with the row */
    uint16_t enum_first; /* index into h248_enum_toks (0: no list) */
    uint8_t enum_ext;    /* an extensionParameter is also a legal value */
    uint8_t obsevent;    /* observedEvent: [TimeStamp :] pkgdName */
} h248_rule_row;

typedef struct h248_set_row {
    uint16_t first;      /* first row in h248_rules */
    uint16_t count;      /* rows */
    uint8_t empty_ok;    /* braces of this production may be empty */
    uint8_t gfirst;      /* first of its generic-class rows in h248_generic_rows */
    uint8_t gcount;      /* generic-class rows (@pkgd, @name...) */
} h248_set_row;

extern const h248_rule_row h248_rules[H248_RULE_COUNT];
extern const h248_set_row h248_sets[H248_SET_COUNT];
extern const uint16_t h248_enum_toks[H248_ENUM_TOKS];
/* [set][token id] -> row index + 1 in h248_rules (0: no row for the token). */
extern const uint8_t h248_row_index[H248_SET_COUNT][EMSEC_H248_TOK_COUNT];
/* The generic-class rows of each set, in table order (indices into h248_rules). */
extern const uint8_t h248_generic_rows[H248_GENERIC_ROWS];

/* The row of production `set` for item `item` (a token id or an
 * EMSEC_H248_ITEM_* class), or NULL when the production has none.
 * requires: set < H248_SET_COUNT. */
const h248_rule_row *h248_row_of(unsigned set, uint16_t item);

#endif
