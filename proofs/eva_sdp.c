/*
 * Eva harness for the SDP parser (gen/sdp.c + core/sdp_parse.c) and writer
 * (core/sdp_write.c). Run by proofs/eva_sdp.sh; compiled only under Frama-C.
 *
 * main() builds a buffer of EVA_N bytes that Eva knows nothing about
 * (Frama_C_make_unknown) and, for each flag set (none, all leniencies), in
 * FULL and in H.248 mode:
 *   - for each length 0..EVA_N (unrolled loop): a one-shot parse of the
 *     first len bytes, and for an accepted input the writer into a buffer
 *     of unknown capacity 0..EVA_OUT;
 *   - for the whole buffer (len = EVA_N) and any cut 0..EVA_N
 *     (Frama_C_interval, then `split` so each cut is analysed as a concrete
 *     value): the bytes fed incrementally (feed up to the cut, then finish),
 *     then one more feed (absorbing failure).
 * The first version ran every cut of every length (EVA_N^2/2 incremental
 * runs per mode and flag set); the analysis time grew accordingly. A shorter
 * input with a cut is the prefix of the EVA_N one with the same cut as far
 * as the machine is concerned; what differs is only where finish() is
 * called, and every length is finished by the one-shot parse.
 * Lengths and cuts are concrete so that the generated machine compares `p`
 * with a singleton `pe`; only the bytes are unknown.
 * Eva then checks every reachable statement for undefined behaviour (out of
 * bounds, overflow, uninitialised reads, invalid pointers...). The goal is 0
 * alarms: proofs/eva_sdp.sh fails otherwise.
 */
#ifdef __FRAMAC__
#include <stdint.h>

#include "__fc_builtin.h"
#include "emsec/result.h"
#include "emsec/sdp.h"
#include "emsec/sdp_write.h"

#ifndef EVA_N
#define EVA_N 8
#endif
#define EVA_OUT 256

static uint8_t buf[EVA_N];
static uint8_t wbuf[EVA_OUT];
static emsec_sdp sdp;
static emsec_sdp_parser ps;

static void write_it(emsec_sdp_mode mode, uint32_t len)
{
    uint32_t cap = (uint32_t)Frama_C_interval(0, EVA_OUT);
    uint32_t n = 0;
    emsec_result w = emsec_sdp_write(&sdp, mode, buf, len, cap > 0 ? wbuf : (uint8_t *)0, cap, &n);
    (void)w;
}

/* One mode, one flag set, one length, one cut: all concrete, so that Eva
 * compares `p` with a singleton `pe` in the generated machine; the bytes are
 * what is unknown. */
static void run_once(emsec_sdp_mode mode, uint32_t flags, uint32_t len)
{
    emsec_sdp_error err;
    emsec_result r = emsec_sdp_parse(&sdp, mode, flags, buf, len, &err);
    if (r == EMSEC_OK) {
        write_it(mode, len);
    }
}

static void run_split(emsec_sdp_mode mode, uint32_t flags, uint32_t len, uint32_t cut)
{
    emsec_sdp_error err;
    emsec_result r = emsec_sdp_parser_init(&ps, &sdp, mode, flags);
    if (r == EMSEC_OK) {
        r = emsec_sdp_feed(&ps, buf, cut);
    }
    if (r == EMSEC_OK) {
        r = emsec_sdp_finish(&ps, buf, len);
    }
    err = emsec_sdp_last_error(&ps);
    (void)err;
    r = emsec_sdp_feed(&ps, buf, len); /* EMSEC_ERR_FAILED_BEFORE after an error */
    (void)r;
}

int main(void)
{
    static const uint32_t flag_sets[2] = { 0u, EMSEC_SDP_LENIENT_ALL };
    Frama_C_make_unknown((char *)buf, EVA_N);
    /*@ loop unroll 2; */
    for (uint32_t f = 0; f < 2u; f++) {
        /*@ loop unroll EVA_N + 1; */
        for (uint32_t len = 0; len <= EVA_N; len++) {
            run_once(EMSEC_SDP_MODE_FULL, flag_sets[f], len);
            run_once(EMSEC_SDP_MODE_H248, flag_sets[f], len);
        }
        uint32_t cut = (uint32_t)Frama_C_interval(0, EVA_N);
        /*@ split cut; */
        run_split(EMSEC_SDP_MODE_FULL, flag_sets[f], EVA_N, cut);
        run_split(EMSEC_SDP_MODE_H248, flag_sets[f], EVA_N, cut);
    }
    return 0;
}
#endif /* __FRAMAC__ */
