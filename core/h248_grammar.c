/* core/h248_grammar.c: look-ups over the grammar table of spec/h248_grammar.tbl. */
#include "h248_grammar.h"

const h248_rule_row *h248_row_of(unsigned set, uint16_t item)
{
    if (set >= H248_SET_COUNT)
        return 0;
    if (item < EMSEC_H248_TOK_COUNT) {
        unsigned ix = h248_row_index[set][item];
        return (ix != 0u && ix <= H248_RULE_COUNT) ? &h248_rules[ix - 1u] : 0;
    }
    const h248_set_row *sr = &h248_sets[set];
    for (uint32_t i = sr->gfirst; i < (uint32_t)sr->gfirst + sr->gcount && i < H248_GENERIC_ROWS; i++)
        if (h248_generic_rows[i] < H248_RULE_COUNT && h248_rules[h248_generic_rows[i]].item == item)
            return &h248_rules[h248_generic_rows[i]];
    return 0;
}
