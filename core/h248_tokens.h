/*
 * core/h248_tokens.h: the token table of spec/h248_tokens.tbl (generated into
 * gen/h248_tokens_table.c/.h). Not a public header. Words are mapped to
 * tokens by the Ragel machine h248_token of spec/h248.rl (core/h248_lex.h).
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

extern const emsec_h248_token_row emsec_h248_token_rows[EMSEC_H248_TOK_COUNT];

#endif
