/*
 * Test helper: the ACSL predicate emsec_sdp_ok (include/emsec/sdp.h) as C,
 * to check at run time the contract that the WP proofs of the gateway core
 * assume of a successful emsec_sdp_parse / emsec_sdp_parse_from.
 *
 * Used by tests/unit/test_sdp_contract.c and by tests/fuzz/fuzz_sdp.c, which
 * includes sdp_contract.c as source (`#include "../unit/sdp_contract.c"`):
 * keep sdp_contract.c free of Criterion and of anything outside libc.
 */
#ifndef EMSEC_TEST_SDP_CONTRACT_H
#define EMSEC_TEST_SDP_CONTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emsec/sdp.h"

/*
 * True iff emsec_sdp_ok(s, len) holds, clause by clause:
 *   emsec_sdp_counts_ok(s):
 *     C1 media_count <= EMSEC_SDP_MAX_MEDIA
 *     C2 attr_count <= EMSEC_SDP_MAX_ATTRS
 *     C3 line_count <= EMSEC_SDP_MAX_LINES
 *     C4 session_attr_count <= attr_count
 *     C5 for every m < media_count: media[m].attr_first + media[m].attr_count <= attr_count
 *   for every j < attr_count, emsec_sdp_attr_ok(&attrs[j], len):
 *     A1 emsec_sdp_span_in(name, len)
 *     A2 emsec_sdp_span_in(value, len)
 *     A3 kind FINGERPRINT ==> span_in(u.fingerprint.hash_name, len)
 *     A4 kind FINGERPRINT ==> span_in(u.fingerprint.value, len)
 *     A5 kind SETUP ==> SETUP_NONE <= u.setup <= SETUP_UNSPECIFIED
 *     A6 kind CONNECTION ==> CONNVAL_NONE <= u.connection <= CONNVAL_UNSPECIFIED
 *   emsec_sdp_conn_ok, for the session's c= and each media's:
 *     N1 conn.present ==> span_in(conn.address, len)
 *     N2 for every m < media_count: media[m].conn.present ==> span_in(media[m].conn.address, len)
 * with emsec_sdp_span_in(sp, len) = sp.off + sp.len <= len, all computed in
 * 64-bit integers (no wrap). Otherwise false, and `why` (may be NULL iff
 * why_cap == 0) receives a NUL-terminated text naming the first failing
 * clause and index, e.g. "A4 attrs[3].u.fingerprint.value: 90+40 > len 120".
 * The counts are checked before any index range they bound is read.
 */
bool sdp_contract_ok(const emsec_sdp *s, uint32_t len, char *why, size_t why_cap);

#endif /* EMSEC_TEST_SDP_CONTRACT_H */
