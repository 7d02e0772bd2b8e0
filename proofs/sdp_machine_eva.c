/*
 * Eva harness for the generated SDP machine alone (gen/sdp.c, from
 * spec/sdp.rl). Run by proofs/run.sh; compiled only under Frama-C, with
 * EMSEC_EVA_SDP_MACHINE, which makes core/sdp_internal.h declare the
 * helpers the machine's actions call as ACSL contracts instead of defining
 * them (see there): Eva then explores the 380 states of the DFA, not the
 * parser's output structure. (The whole parser under Eva, proofs/eva_sdp.sh,
 * does not finish in CI time: proofs/UNPROVED.md.)
 *
 * A buffer of EVA_N bytes Eva knows nothing about; every length
 * 0..EVA_N-1, split into concrete values so that the machine compares `p`
 * with a singleton `pe`; one call of emsec_sdp__exec from the start state
 * over that many bytes, then a second call with the next byte, which resumes
 * in whatever state the first left (the parser is fed in pieces: every
 * state must be resumable). Every split point of a longer feed is such a
 * prefix followed by more bytes. Eva checks every reachable
 * statement for undefined behaviour and the machine's own contract: the
 * Ragel state stays a state of the machine.
 *
 * Options (proofs/run.sh): no slevel (paths merged at every state), a
 * widening delay above EVA_N so `p` stays exact until the input ends.
 */
#ifdef __FRAMAC__
#include <stdint.h>

#include "__fc_builtin.h"
#include "sdp_internal.h"

#ifndef EVA_N
#define EVA_N 16
#endif

static uint8_t buf[EVA_N];
static emsec_sdp_parser ps;

int main(void)
{
    uint32_t len;
    Frama_C_make_unknown((char *)buf, EVA_N);
    len = Frama_C_interval(0, EVA_N - 1);
    /*@ split len; */
    emsec_sdp__machine_init(&ps);
    emsec_sdp__exec(&ps, buf, len, 0u);
    /*@ assert state_after_first: 0 <= ps.cs <= 380; */
    /* one more byte, fed as a second piece: the machine resumes in whatever
     * state the first piece left it */
    emsec_sdp__exec(&ps, buf + len, 1u, len);
    /*@ assert state_after_second: 0 <= ps.cs <= 380; */
    return 0;
}
#endif
