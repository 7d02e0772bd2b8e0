/*
 * The H.248 profile table as gen/h248_profile_table.c holds it (compiled by
 * `make gen` from spec/h248_profile.tbl by spec/h248_profile_gen.awk).
 *
 * Two arrays: the item rows, in spec order (row i has .row == i + 1), and the
 * H.248.8 code rows. The generator guarantees, and tests/unit/
 * test_h248_profile.c walks every row to check again: names are Annex B NAMEs;
 * (package, item, param, kind) is unique without regard to case; a parameter
 * row follows the signal / event it belongs to; a row's places fit its kind;
 * a secret row is a property and never auditable; an ENUM row has 1..255
 * words, all in emsec_h248_profile_words; min <= max.
 */
#ifndef EMSEC_CORE_H248_PROFILE_TABLE_H
#define EMSEC_CORE_H248_PROFILE_TABLE_H

#include <stdint.h>
#include <string.h> /* nothing called: Frama-C's libc gives ACSL valid_read_string */

#include "emsec/h248_profile.h"

typedef struct emsec_h248_code_row {
    uint16_t code;    /* H.248.8 error code */
    const char *text; /* its name in H.248.8 */
} emsec_h248_code_row;

extern const emsec_h248_profile_row emsec_h248_profile_table[];
extern const uint32_t emsec_h248_profile_table_len;

/* All enumeration words in one array: a row's `values` points into it (word 0
 * is "" for the rows without words), so a contract can name the memory. */
extern const char *const emsec_h248_profile_words[];
extern const uint32_t emsec_h248_profile_words_len;

extern const emsec_h248_code_row emsec_h248_code_table[];
extern const uint32_t emsec_h248_code_table_len;

/*
 * What the checks' WP proofs take from a row (to be checked by Eva over every
 * row, as proofs/roles_tables_eva.c does for the role tables).
 */
/*@ predicate profile_row_ok(emsec_h248_profile_row *r) =
      \valid_read(r) && r->row != 0 &&
      valid_read_string(r->package) && valid_read_string(r->name) &&
      valid_read_string(r->param) && valid_read_string(r->rule) &&
      EMSEC_H248_KIND_NONE < r->kind < EMSEC_H248_KIND_COUNT &&
      EMSEC_H248_TYPE_INVALID < r->type < EMSEC_H248_TYPE_COUNT &&
      r->min <= r->max &&
      (r->secret ==> !r->auditable && r->kind == EMSEC_H248_KIND_PROPERTY) &&
      (\exists integer w; 0 <= w && w + r->nvalues <= emsec_h248_profile_words_len &&
         r->values == emsec_h248_profile_words + w) &&
      \valid_read(r->values + (0 .. (r->nvalues == 0 ? 0 : r->nvalues - 1))) &&
      (\forall integer i; 0 <= i < r->nvalues ==> valid_read_string(r->values[i]));

    // An output is apart from the table and the words the rows point to.
    predicate code_out_separated(uint16_t *p) =
      \separated(p, emsec_h248_profile_table + (0 .. emsec_h248_profile_table_len - 1)) &&
      \separated(p, emsec_h248_profile_words + (0 .. emsec_h248_profile_words_len - 1));
    predicate row_out_separated(emsec_h248_profile_row **p) =
      \separated(p, emsec_h248_profile_table + (0 .. emsec_h248_profile_table_len - 1)) &&
      \separated(p, emsec_h248_profile_words + (0 .. emsec_h248_profile_words_len - 1));

    predicate profile_table_ok =
      emsec_h248_profile_table_len <= 65535 && 1 <= emsec_h248_profile_words_len &&
      \valid_read(emsec_h248_profile_words + (0 .. emsec_h248_profile_words_len - 1)) &&
      \valid_read(emsec_h248_profile_table + (0 .. emsec_h248_profile_table_len - 1)) &&
      (\forall integer i; 0 <= i < emsec_h248_profile_table_len ==>
         profile_row_ok(&emsec_h248_profile_table[i]));

    predicate code_table_ok =
      \valid_read(emsec_h248_code_table + (0 .. emsec_h248_code_table_len - 1)) &&
      (\forall integer i; 0 <= i < emsec_h248_code_table_len ==>
         valid_read_string(emsec_h248_code_table[i].text));
*/

#endif
