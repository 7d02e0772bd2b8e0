/*
 * Eva harness: discharges, for every cell of the two lifecycle tables
 * (9 x 17 TCP cells, 11 x 19 TLS cells), the cell predicates that the
 * look-ups tcp_cell() and tls_cell() in core/lifecycle.c promise
 * (core/lifecycle.h). The loops are fully unrolled (-eva-slevel), so each
 * assertion is evaluated on one concrete cell: Eva reports it valid, or the
 * run fails. Each property is asserted on its own first, so a broken cell
 * names the property it breaks (proofs/mutants.sh shows it).
 */
#include "lifecycle.h"

int main(void)
{
    for (int s = 0; s < EMSEC_TCP_STATE_COUNT; s++)
        for (int e = 0; e < EMSEC_TCP_EVENT_COUNT; e++) {
            const emsec_tcp_cell *c = &emsec_tcp_table[s][e];
            //@ assert tcp_shape: tcp_shape(c);
            //@ assert tcp_P2: tcp_p2(c, s, e);
            //@ assert tcp_P4: tcp_p4(c, s, e);
            //@ assert tcp_P5: tcp_p5(c, s);
            //@ assert tcp_P6: tcp_p6(c, s, e);
            //@ assert tcp_refusal: tcp_refusal(c, s);
            //@ assert tcp_cell_ok: tcp_cell_ok(c, s, e);
            (void)c;
        }
    for (int s = 0; s < EMSEC_TLS_STATE_COUNT; s++)
        for (int e = 0; e < EMSEC_TLS_EVENT_COUNT; e++) {
            const emsec_tls_cell *c = &emsec_tls_table[s][e];
            //@ assert tls_shape: tls_shape(c);
            //@ assert tls_P1: tls_p1(c);
            //@ assert tls_P2: tls_p2(c, s, e);
            //@ assert tls_P3: tls_p3(c, s, e);
            //@ assert tls_P5: tls_p5(c, s);
            //@ assert tls_P7: tls_p7(c, s, e);
            //@ assert tls_refusal: tls_refusal(c, s);
            //@ assert tls_cell_ok: tls_cell_ok(c, s, e);
            (void)c;
        }
    return 0;
}
