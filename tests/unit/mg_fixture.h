/*
 * The fixture the gateway-core unit tests share (test_mg.c, test_mg_psk.c,
 * test_mg_limits.c, test_mg_msrp.c), so that each of them holds only its own
 * tests:
 *   - one emsec_mg on the heap (`mg`), initialised with mg_fixture_cfg (or
 *     with that configuration on another media port range) and freed again;
 *   - `out` wired to the reply buffer text[] and the Notify buffer note[];
 *   - three ways to hand it H.248 text at now = 1000 ms: as it is, as it is
 *     with the reply checked for success, or as the actions of one
 *     transaction whose header and TransactionID the fixture writes;
 *   - the two certificate fingerprints the tests' SDP names.
 * Use: Test(suite, name, .init = mg_fixture_setup, .fini = mg_fixture_teardown),
 * or call mg_fixture_start(lo, hi) in the test with .fini alone.
 * The helpers fail the running test through Criterion's asserts.
 */
#ifndef EMSEC_TEST_MG_FIXTURE_H
#define EMSEC_TEST_MG_FIXTURE_H

#include <stdint.h>

#include "emsec/mg.h"
#include "emsec/result.h"

/* The gateway's own certificate fingerprint (mg_fixture_cfg.fingerprint):
 * what it writes for a Local a=fingerprint:$ (RFC 8122 §5). */
#define MG_FIXTURE_FP \
    "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3C:6F:7B:4B:5F:8A:32:D8:0C:3B:5C:0A"

/* The UE's certificate fingerprint, the hash value of a Remote
 * a=fingerprint:sha-256 line; a test that completes a TLS handshake gives
 * the same 32 octets in its EMSEC_MG_EV_TLS_ESTABLISHED event. */
#define MG_FIXTURE_UE_FP_HEX \
    "19:E2:1C:3B:4B:9F:81:E6:B8:5C:F4:A5:A8:D8:73:04:BB:05:2F:70:9F:04:A9:0E:05:E9:26:33:E8:70:88:A2"

/* mId [127.0.0.1]:2944, CHOOSE names tcp/1, tcp/2, ..., media address
 * 192.0.2.10, ports 40000-40009, MG_FIXTURE_FP, H.248 version 1, seed 7. */
extern const emsec_mg_config mg_fixture_cfg;

extern emsec_mg *mg;         /* the gateway under test */
extern char text[65536];     /* out.text: the reply to the controller */
extern char note[65536];     /* out.notify: the Notify requests */
extern emsec_mg_out out;     /* what the last call gave back */
/* `out` needs no reset between calls: emsec_mg_control and emsec_mg_on_event
 * zero its len, notify_len and nactions before they write anything. */

/* Allocates and initialises `mg` with mg_fixture_cfg on media ports
 * [port_min, port_max], wires `out` to text[] and note[] and restarts the
 * TransactionIDs of send_actions at 1. */
void mg_fixture_start(uint16_t port_min, uint16_t port_max);

/* mg_fixture_start on mg_fixture_cfg's own ports: a Criterion .init. */
void mg_fixture_setup(void);

/* Frees `mg`: a Criterion .fini. */
void mg_fixture_teardown(void);

/* Hands the whole message m (NUL-terminated H.248 text) to
 * emsec_mg_control and returns what it returned; text[] is left as the call
 * wrote it (not NUL-terminated). */
emsec_result send_h248(const char *m);

/* send_h248, which must return EMSEC_OK with a reply that names no Error;
 * the reply is NUL-terminated in text[]. */
void send_h248_ok(const char *m);

/* Sends "Transaction = N { actions }" from [192.0.2.1]:2944, N one more
 * than the last; the call must return EMSEC_OK with a reply, which is
 * NUL-terminated in text[] (it may name an Error: the caller checks). */
void send_actions(const char *actions);

#endif
