/*
 * emsec_mg_term_psk (core/mg_psk.c): the adapter's only way to the
 * tlsbsc/psk and tlsbsc/pskid a controller set (RFC 4279 §2). The key comes
 * back as the octets of the hex the controller sent; a termination without a
 * PSK, a free slot or a handle out of range gives false and leaves the
 * outputs alone.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "emsec/mg.h"
#include "emsec/sdp.h"
#include "mg_fixture.h"

static const char *add_psk =
    "MEGACO/1 [192.0.2.1]:2944\nTransaction = 1 { Context = $ { Add = $ { Media { Stream = 1 {\n"
    "LocalControl { tlsbsc/psk = 00112233445566778899AABBCCDDEEFF, tlsbsc/pskid = \"mrfp-ticket-1\" },\n"
    "Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\na=setup:$\n},\n"
    "Remote {\nv=0\nc=IN IP4 198.51.100.7\nm=message 7394 TCP/TLS/MSRP *\na=setup:active\n}\n} } } } }\n";

static const char *add_cert =
    "MEGACO/1 [192.0.2.1]:2944\nTransaction = 2 { Context = $ { Add = $ { Media { Stream = 1 {\n"
    "Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\na=setup:$\na=fingerprint:sha-256 $\n},\n"
    "Remote {\nv=0\nc=IN IP4 198.51.100.7\nm=message 7394 TCP/TLS/MSRP *\na=setup:active\n"
    "a=fingerprint:sha-256 " MG_FIXTURE_UE_FP_HEX "\n}\n} } } } }\n";

/* The handle of the termination the last action named. */
static uint16_t last_term(void)
{
    cr_assert_gt(out.nactions, 0u);
    return out.actions[out.nactions - 1u].term;
}

Test(mg_psk, key_and_identity_as_the_controller_sent_them, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    static const uint8_t want[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                      0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
    send_h248_ok(add_psk);
    uint16_t t = last_term();
    const uint8_t *key = NULL;
    uint32_t key_len = 0u;
    const char *id = NULL;
    cr_assert(emsec_mg_term_psk(mg, t, &key, &key_len, &id));
    cr_assert_eq(key_len, 16u);
    cr_assert_eq(memcmp(key, want, 16u), 0);
    cr_assert_str_eq(id, "mrfp-ticket-1");
}

Test(mg_psk, no_psk_no_slot_no_handle_give_false, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    send_h248_ok(add_cert);
    uint16_t t = last_term();
    const uint8_t *key = (const uint8_t *)"x";
    uint32_t key_len = 99u;
    const char *id = "y";
    cr_assert_not(emsec_mg_term_psk(mg, t, &key, &key_len, &id));   /* certificate mode */
    cr_assert_not(emsec_mg_term_psk(mg, (uint16_t)(t + 1u), &key, &key_len, &id)); /* free slot */
    cr_assert_not(emsec_mg_term_psk(mg, EMSEC_MG_MAX_TERMS, &key, &key_len, &id)); /* out of range */
    cr_assert_not(emsec_mg_term_psk(NULL, t, &key, &key_len, &id));
    cr_assert_not(emsec_mg_term_psk(mg, t, NULL, &key_len, &id));
    cr_assert_eq(key_len, 99u);
    cr_assert_str_eq(id, "y");
}

/* emsec_mg_term_remote_hashes (core/mg_fingerprint.c): which hashes the
 * Remote a=fingerprint lines name, so that the adapter digests the peer
 * certificate with one of them (RFC 8122 §5); md5 is never offered. */
static const char *add_hashes =
    "MEGACO/1 [192.0.2.1]:2944\nTransaction = 3 { Context = $ { Add = $ { Media { Stream = 1 {\n"
    "Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\na=setup:$\na=fingerprint:sha-256 $\n},\n"
    "Remote {\nv=0\nc=IN IP4 198.51.100.7\nm=message 7394 TCP/TLS/MSRP *\na=setup:active\n"
    "a=fingerprint:SHA-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB\n"
    "a=fingerprint:md5 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B\n"
    "a=fingerprint:sha-512 " 
    "4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3C:6F:7B:4B:5F:8A:32:D8:0C:3B:5C:0A:"
    "4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3C:6F:7B:4B:5F:8A:32:D8:0C:3B:5C:0A\n"
    "}\n} } } } }\n";

Test(mg_psk, remote_hashes_name_the_remote_lines, .init = mg_fixture_setup, .fini = mg_fixture_teardown)
{
    send_h248_ok(add_hashes);
    uint16_t t = last_term();
    uint32_t m = emsec_mg_term_remote_hashes(mg, t);
    cr_assert_eq(m, (1u << EMSEC_SDP_HASH_SHA1) | (1u << EMSEC_SDP_HASH_SHA512), "mask %#x", m);
    send_h248_ok(add_psk); /* no fingerprint in its Remote */
    cr_assert_eq(emsec_mg_term_remote_hashes(mg, last_term()), 0u);
    cr_assert_eq(emsec_mg_term_remote_hashes(mg, (uint16_t)(last_term() + 1u)), 0u); /* free slot */
    cr_assert_eq(emsec_mg_term_remote_hashes(mg, EMSEC_MG_MAX_TERMS), 0u);
}
