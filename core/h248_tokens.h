/*
 * core/h248_tokens.h: the token table of spec/h248_tokens.tbl (generated into
 * gen/h248_tokens_table.c/.h). Not a public header.
 */
#ifndef EMSEC_CORE_H248_TOKENS_H
#define EMSEC_CORE_H248_TOKENS_H

#include <stdint.h>

#include "h248_tokens_table.h"

typedef struct emsec_h248_token_row {
    const char *long_name;  /* pretty form */
    const char *short_name; /* compact form (== long_name when only one) */
    uint8_t version;        /* first H.248.1 version with the token */
} emsec_h248_token_row;

typedef struct emsec_h248_spelling {
    const char *lower;      /* spelling in lower case */
    uint8_t len;
    uint16_t tok;
} emsec_h248_spelling;

extern const emsec_h248_token_row emsec_h248_token_rows[EMSEC_H248_TOK_COUNT];
extern const emsec_h248_spelling emsec_h248_spellings[EMSEC_H248_SPELLINGS];
extern const uint16_t emsec_h248_token_hash[EMSEC_H248_TOKEN_HASH];

#endif
