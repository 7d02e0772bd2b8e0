/*
 * emsec: SDP writer. Turns a parsed form (emsec_sdp, include/emsec/sdp.h)
 * back into a session description.
 *
 * Output is canonical: every line ends in CRLF (RFC 8866 §5), lines come in
 * RFC 8866 §9 order (per section: its v/o/s/i/u/e/p/c/b/t/r/z/k or m/i/c/b/k
 * lines as parsed, then its a= lines as parsed), and fields are written from
 * the typed form where the model has one:
 *   o=  from sdp->origin (username SP sess-id SP sess-version SP nettype SP
 *       addrtype SP address);
 *   c=  the first c= of each section from sdp->conn / media[n].conn;
 *   m=  from media[n] (media SP port["/"count] SP proto SP fmts);
 *   a=  name [":" value];
 *   every other line (and a later c= of a section) from its value span.
 * A field the parse recorded as CHOOSE is written `$`, UNSPECIFIED `-`
 * (H.248.1 §7.1.8); in H.248 mode absent o=/s=/t= stay absent.
 *
 * Property (tests/unit/test_sdp_write.c, tests/fuzz/fuzz_sdp.c): for every
 * input the parser accepts, parse -> write -> parse (same mode, same flags)
 * gives a parsed form with the same content (tests/unit/sdp_equal.h); the
 * line-end style (crlf flags), `whole`, `has_next` and `next` are the only
 * differences.
 *
 * Like the rest of core/, the writer allocates nothing and touches no I/O.
 */
#ifndef EMSEC_SDP_WRITE_H
#define EMSEC_SDP_WRITE_H

#include <stdint.h>

#include "emsec/result.h"
#include "emsec/sdp.h"

/*
 * Write `sdp` (whose spans point into src[0, src_len)) to out[0, out_cap).
 *
 * requires: sdp valid: the out of a successful emsec_sdp_parse /
 *           emsec_sdp_finish over src in `mode` (a hand-built model must
 *           keep the same invariants: counts within the limits, sections in
 *           order, spans inside src);
 *           src readable for src_len bytes (may be NULL iff src_len == 0);
 *           out writable for out_cap bytes (may be NULL iff out_cap == 0);
 *           out does not overlap src nor *sdp;
 *           out_len valid.
 * ensures:  nothing is written at or past out[out_cap].
 * Returns:
 *   EMSEC_OK          *out_len = bytes written;
 *   EMSEC_ERR_NO_SPACE out_cap too small; *out_len = bytes the whole output
 *                     needs (UINT32_MAX if that does not fit a uint32_t), so
 *                     a call with out_cap == 0 sizes the buffer; out[0,
 *                     out_cap) holds a prefix of the output;
 *   EMSEC_ERR_ARGUMENT a precondition is seen not to hold (NULL pointer, bad
 *                     mode, a span outside src, counts past the limits, a
 *                     section out of order, in FULL mode a `$`/`-` value or a
 *                     missing o=/s=/t=); *out_len = 0.
 */
EMSEC_MUST_USE emsec_result emsec_sdp_write(const emsec_sdp *sdp, emsec_sdp_mode mode,
                                            const uint8_t *src, uint32_t src_len,
                                            uint8_t *out, uint32_t out_cap,
                                            uint32_t *out_len);

#endif /* EMSEC_SDP_WRITE_H */
