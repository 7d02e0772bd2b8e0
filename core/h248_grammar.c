/* core/h248_grammar.c: look-ups over the grammar table of spec/h248_grammar.tbl. */
#include "h248_grammar.h"

const h248_rule_row *h248_row_of(unsigned set, uint16_t item)
{
    if (set >= H248_SET_COUNT)
        return 0;
    const h248_set_row *sr = &h248_sets[set];
    for (uint32_t i = sr->first; i < (uint32_t)sr->first + sr->count && i < H248_RULE_COUNT; i++)
        if (h248_rules[i].item == item)
            return &h248_rules[i];
    return 0;
}
