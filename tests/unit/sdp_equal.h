/*
 * Test helper: compare two parsed SDP forms (include/emsec/sdp.h) field by
 * field. Spans are compared by their *contents* (each form with its own
 * buffer), or, with SDP_EQ_SAME_OFFSETS, by offset and length (both forms
 * over the same buffer, e.g. one-shot vs. split feeds).
 *
 * Used by tests/unit/test_sdp_write.c and by tests/fuzz/fuzz_sdp.c. The fuzz
 * target is built from one .c file plus core/ and gen/, so it includes
 * sdp_equal.c itself (`#include "../unit/sdp_equal.c"`): keep sdp_equal.c
 * free of Criterion and of anything else outside libc.
 */
#ifndef EMSEC_TEST_SDP_EQUAL_H
#define EMSEC_TEST_SDP_EQUAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emsec/sdp.h"

/* Options (bits). */
#define SDP_EQ_STRICT        0x0u /* every field, spans by content */
#define SDP_EQ_IGNORE_EOL    0x1u /* skip crlf flags and `whole` (writer output is all CRLF) */
#define SDP_EQ_IGNORE_NEXT   0x2u /* skip has_next / next (writer writes one description) */
#define SDP_EQ_SAME_OFFSETS  0x4u /* spans must have equal offsets and lengths */
#define SDP_EQ_ROUND_TRIP    (SDP_EQ_IGNORE_EOL | SDP_EQ_IGNORE_NEXT)

/*
 * True if a (spans into abuf[0, alen)) and b (spans into bbuf[0, blen)) have
 * the same content under `opts`. Otherwise false, and `why` (may be NULL iff
 * why_cap == 0) receives a NUL-terminated description of the first
 * difference, e.g. "attrs[3].value: \"active\" != \"passive\"".
 * A span that lies outside its buffer counts as a difference.
 */
bool sdp_equal(const emsec_sdp *a, const uint8_t *abuf, uint32_t alen,
               const emsec_sdp *b, const uint8_t *bbuf, uint32_t blen,
               uint32_t opts, char *why, size_t why_cap);

#endif /* EMSEC_TEST_SDP_EQUAL_H */
