/*
 * core/h248_lex.h: the lexical machines of spec/h248.rl (generated into
 * gen/h248.c), as core/h248_decode.c calls them. Not a public header.
 *
 * Scanners: h248_scan_X(src, at, len, &open) returns the end of the longest
 * match of X starting at `at` (== at when none). *open is true when the
 * input ended while X could still read more bytes.
 *   requires: at <= len; src readable on [0, len).
 *   ensures:  at <= result <= len.
 * Matchers: h248_match_X(s, n) is true iff all of s[0..n) matches X.
 *   requires: s readable on [0, n).
 * h248_scan_token(src, at, len, &tok) returns the end of the longest token
 * spelling (any case) that starts at `at` (== at when none) and sets tok to
 * that token's id (tok is left alone when there is none).
 */
#ifndef EMSEC_CORE_H248_LEX_H
#define EMSEC_CORE_H248_LEX_H

#include <stdbool.h>
#include <stdint.h>

uint32_t h248_scan_lwsp(const unsigned char *src, uint32_t at, uint32_t len, bool *open);
uint32_t h248_scan_word(const unsigned char *src, uint32_t at, uint32_t len, bool *open);
uint32_t h248_scan_quoted(const unsigned char *src, uint32_t at, uint32_t len, bool *open);
uint32_t h248_scan_octets(const unsigned char *src, uint32_t at, uint32_t len, bool *open);
uint32_t h248_scan_mid(const unsigned char *src, uint32_t at, uint32_t len, bool *open);

bool h248_match_name(const unsigned char *s, uint32_t n);
bool h248_match_pkgdname(const unsigned char *s, uint32_t n);
bool h248_match_termid(const unsigned char *s, uint32_t n);
bool h248_match_timestamp(const unsigned char *s, uint32_t n);
bool h248_match_extension(const unsigned char *s, uint32_t n);
bool h248_match_package_item(const unsigned char *s, uint32_t n);
bool h248_match_profile(const unsigned char *s, uint32_t n);
bool h248_match_digitmap(const unsigned char *s, uint32_t n);
bool h248_match_auth(const unsigned char *s, uint32_t n);
uint32_t h248_scan_token(const unsigned char *src, uint32_t at, uint32_t len, uint16_t *tok);

/*
 * The same machines as static inline functions, h248_scan_X_inl and
 * h248_match_X_inl, for the decoder: a file that defines H248_LEX_INLINE
 * before it includes this header compiles the machine code of gen/h248.c
 * into itself (without the exported wrappers above, which only call these),
 * so that GCC may inline a machine into its caller and a lexeme costs no
 * call. Eva (proofs/h248_lex_eva.c) analyses the exported wrappers, and
 * through them this very code.
 */
#ifdef H248_LEX_INLINE
#define H248_LEX_INLINE_ONLY 1
#include "h248.c"
#endif

#endif
