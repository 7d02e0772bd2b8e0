/*
 * Eva harness: discharges, for every one of the 200 + 54 cells, the cell
 * predicates that setup_row() and reuse_row() promise (core/roles_table.h).
 * The loops are fully unrolled (-eva-slevel), so each assertion is evaluated
 * on one concrete cell: Eva reports it valid, or the run fails.
 */
#include "roles_table.h"

int main(void)
{
    for (int k = 0; k < EMSEC_KIND_COUNT; k++)
        for (int s = 0; s < 2; s++)
            for (int o = 0; o < EMSEC_SETUP_COUNT; o++)
                for (int a = 0; a < EMSEC_SETUP_COUNT; a++) {
                    const emsec_setup_row *r = &emsec_setup_table[k][s][o][a];
                    //@ assert setup_row_ok(r, k, s);
                    (void)r;
                }
    for (int c = 0; c < EMSEC_REUSE_CLASS_COUNT; c++)
        for (int o = 0; o < EMSEC_CONNECTION_COUNT; o++)
            for (int a = 0; a < EMSEC_CONNECTION_COUNT; a++)
                for (int x = 0; x < 2; x++) {
                    const emsec_reuse_row *r = &emsec_reuse_table[c][o][a][x];
                    //@ assert reuse_row_ok(r, x);
                    (void)r;
                }
    return 0;
}
