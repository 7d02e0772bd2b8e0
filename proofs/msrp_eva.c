/*
 * Eva harness for the generated MSRP header machine (gen/msrp.c, from
 * spec/msrp.rl) and the helpers its actions call (core/msrp_internal.h).
 * Run by proofs/run.sh (step 5); compiled only under Frama-C.
 *
 * The machine is started in ANY of its states (fr->cs an interval over all
 * of them, 1..340 in the current gen/msrp.c, read from the generated
 * constants below), with the framer's marks, the rule in force and the
 * message's counts anywhere in their documented ranges, over EVA_N bytes
 * Eva knows nothing about (Frama_C_make_unknown) and every length 0..EVA_N
 * (split into concrete values, so the machine compares `p` with a singleton
 * `pe`). So every state's code, every action and every helper branch runs
 * from a short buffer, where starting from state 1 would need hundreds of
 * bytes to reach the last header rules. Eva checks every reachable
 * statement for undefined behaviour (reads out of bounds, overflow, invalid
 * pointers, uninitialised reads) and the contract that the machine stays
 * inside the bytes given (p never passes pe: the asserts below on what the
 * helpers recorded). The goal: 0 alarms, every statement of
 * emsec_msrp__exec reached.
 *
 * Options (proofs/run.sh): no slevel (paths through unknown bytes merge at
 * every state), a widening delay above EVA_N, as for the H.248 machines.
 */
#ifdef __FRAMAC__
#include <stdbool.h>
#include <stdint.h>

#include "__fc_builtin.h"
#include "msrp_internal.h"

#ifndef EVA_N
#define EVA_N 6
#endif

/* The generated states: 1 .. MSRP_EVA_LAST_STATE (gen/msrp.c numbers them
 * densely; msrp_first_final is the state after the block's last byte). */
#ifndef MSRP_EVA_LAST_STATE
#define MSRP_EVA_LAST_STATE 340
#endif

static emsec_msrp_framer fr;
static emsec_msrp_msg msg;

int main(void)
{
    uint32_t len;
    Frama_C_make_unknown((char *)fr.hdr, EVA_N);
    Frama_C_make_unknown((char *)&msg, sizeof msg);
    msg.header_count = Frama_C_interval(0, EMSEC_MSRP_MAX_HEADERS);
    msg.to_path.count = Frama_C_interval(0, EMSEC_MSRP_MAX_PATH);
    msg.from_path.count = Frama_C_interval(0, EMSEC_MSRP_MAX_PATH);
    msg.use_path.count = Frama_C_interval(0, EMSEC_MSRP_MAX_PATH);
    fr.msg = &msg;
    fr.status = EMSEC_OK;
    fr.ended = 0u;
    fr.hdr_base = 1000u;
    fr.rule = Frama_C_interval(0, EMSEC_MSRP_RULE__COUNT + 2);
    fr.mark = Frama_C_interval(0, EVA_N);
    fr.val_start = Frama_C_interval(0, EVA_N + 1);
    fr.line_start = Frama_C_interval(0, EVA_N);
    fr.last_kind = Frama_C_interval(0, EMSEC_MSRP_H_USE_PATH);
    fr.cs = Frama_C_interval(1, MSRP_EVA_LAST_STATE);
    len = Frama_C_interval(0, EVA_N);
    /*@ split len; */
    emsec_msrp__exec(&fr, 0u, len);
    /*@ assert header_count_bounded: msg.header_count <= EMSEC_MSRP_MAX_HEADERS; */
    /*@ assert paths_bounded: msg.to_path.count <= EMSEC_MSRP_MAX_PATH &&
                              msg.from_path.count <= EMSEC_MSRP_MAX_PATH &&
                              msg.use_path.count <= EMSEC_MSRP_MAX_PATH; */
    /*@ assert block_end_inside: fr.ended == 1 ==> fr.hdr_end <= len; */
    /*@ assert error_inside: fr.status != EMSEC_OK ==>
                             fr.err.offset <= 1000u + EVA_N + 1u; */
    return 0;
}
#endif
