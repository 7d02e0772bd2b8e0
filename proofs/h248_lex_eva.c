/*
 * Eva harness for the generated H.248 lexical machines (gen/h248.c, from
 * spec/h248.rl). Run by proofs/run.sh; compiled only under Frama-C.
 *
 * A buffer of EVA_N bytes Eva knows nothing about (Frama_C_make_unknown); a
 * length 0..EVA_N and a start 0..length, each split into concrete values so
 * that the machines compare `p` with a singleton `pe`; then every scanner
 * from the start and every matcher over [start, length). Eva checks every
 * reachable statement for undefined behaviour (reads out of bounds,
 * overflow, invalid pointers, uninitialised reads) and the scanner contract
 * of core/h248_lex.h (at <= end <= len). The goal is 0 alarms.
 *
 * Options (proofs/run.sh): no slevel, so the paths through the unknown
 * bytes are merged at every state of a machine (3^N paths otherwise); a
 * widening delay above EVA_N, so a machine's loop reaches the end of the
 * input before Eva widens `p`, which keeps `p` exact.
 */
#ifdef __FRAMAC__
#include <stdbool.h>
#include <stdint.h>

#include "__fc_builtin.h"
#include "h248_lex.h"

#ifndef EVA_N
#define EVA_N 12
#endif

static unsigned char buf[EVA_N];

int main(void)
{
    uint32_t len, at, e;
    bool open;
    uint16_t tok = 0u;
    Frama_C_make_unknown((char *)buf, EVA_N);
    len = Frama_C_interval(0, EVA_N);
    /*@ split len; */
    at = Frama_C_interval(0, len);
    /*@ split at; */
    e = h248_scan_lwsp(buf, at, len, &open);
    /*@ assert lwsp_bounds: at <= e <= len; */
    e = h248_scan_word(buf, at, len, &open);
    /*@ assert word_bounds: at <= e <= len; */
    e = h248_scan_quoted(buf, at, len, &open);
    /*@ assert quoted_bounds: at <= e <= len; */
    e = h248_scan_octets(buf, at, len, &open);
    /*@ assert octets_bounds: at <= e <= len; */
    e = h248_scan_mid(buf, at, len, &open);
    /*@ assert mid_bounds: at <= e <= len; */
    e = h248_scan_token(buf, at, len, &tok);
    /*@ assert token_bounds: at <= e <= len; */
    (void)h248_match_name(buf + at, len - at);
    (void)h248_match_pkgdname(buf + at, len - at);
    (void)h248_match_termid(buf + at, len - at);
    (void)h248_match_timestamp(buf + at, len - at);
    (void)h248_match_extension(buf + at, len - at);
    (void)h248_match_package_item(buf + at, len - at);
    (void)h248_match_profile(buf + at, len - at);
    (void)h248_match_digitmap(buf + at, len - at);
    (void)h248_match_auth(buf + at, len - at);
    return 0;
}
#endif

#ifdef __FRAMAC__
/* Second entry point (-main h248_lex_eva_long): the machines whose words
 * are long (NAME and pathNAME are 64 bytes at most, AuthData 64 hex digits)
 * over inputs of every length up to EVA_LONG from offset 0, so that every
 * state of their counters is reached; then the token machine (spellings of
 * 22 bytes at most) over every length up to EVA_TOKEN. */
#ifndef EVA_LONG
#define EVA_LONG 96
#endif
#ifndef EVA_TOKEN
#define EVA_TOKEN 24
#endif
static unsigned char lbuf[EVA_LONG];

void h248_lex_eva_long(void);
void h248_lex_eva_long(void)
{
    uint32_t len, tlen, e;
    bool open;
    uint16_t tok = 0u;
    Frama_C_make_unknown((char *)lbuf, EVA_LONG);
    len = Frama_C_interval(0, EVA_LONG);
    /*@ split len; */
    e = h248_scan_mid(lbuf, 0, len, &open);
    /*@ assert mid_bounds_long: e <= len; */
    (void)h248_match_name(lbuf, len);
    (void)h248_match_pkgdname(lbuf, len);
    (void)h248_match_termid(lbuf, len);
    (void)h248_match_timestamp(lbuf, len);
    (void)h248_match_package_item(lbuf, len);
    (void)h248_match_profile(lbuf, len);
    (void)h248_match_auth(lbuf, len);
    /*@ merge len; */
    /* The token machine stops within 22 bytes (the longest spelling): every
     * length up to EVA_TOKEN reaches each of its states, with the input
     * ending there or going on. */
    tlen = Frama_C_interval(0, EVA_TOKEN);
    /*@ split tlen; */
    e = h248_scan_token(lbuf, 0, tlen, &tok);
    /*@ assert token_bounds_long: e <= tlen; */
}
#endif
