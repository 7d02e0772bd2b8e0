/*
 * emsec: MIKEY (RFC 3830) and MIKEY-TICKET (RFC 6043) messages, key
 * derivation, and the a=key-mgmt:mikey value of SDP (RFC 4567 §3).
 *
 * What the gateway needs of MIKEY is the Ticket Transfer exchange (RFC 6043
 * §4.2.2): the MRFC sends TRANSFER_INIT and receives TRANSFER_RESP, and the
 * TEK it derives from the TGK (RFC 6043 §5.1.3) is the TLS PSK of the MRFP
 * termination (tlsbsc/psk). So this header offers:
 *   - a parser: bytes -> emsec_mikey_msg (spans into the caller's buffer);
 *   - a builder: emsec_mikey_msg -> bytes (parse -> build -> parse is the
 *     identity: tests/unit/test_mikey.c, tests/fuzz/fuzz_mikey.c);
 *   - the two PRFs (MIKEY-1, RFC 3830 §4.1.2; PRF-HMAC-SHA-256, RFC 6043
 *     §6.1) and the labels of RFC 3830 §4.1.3 / §4.1.4 and RFC 6043 §5.1.1,
 *     §5.1.2 and §5.1.3, over an HMAC the caller supplies;
 *   - mode 3 (RFC 6043 §4.1.1): the MRFC makes the ticket and the keys
 *     itself; emsec_mikey_mode3 builds the TRANSFER_INIT / TRANSFER_RESP
 *     pair and derives the PSK;
 *   - base64 (RFC 4567 §3: "base64 grammar as defined in [SDPnew]", i.e.
 *     RFC 8866 §9) for the a=key-mgmt value.
 *
 * Like the rest of core/, nothing here allocates, reads a clock, draws
 * random numbers or calls OpenSSL: timestamps, RANDs, keys and the HMAC
 * itself come from the caller (adapters/crypto/hmac_openssl.h has the
 * OpenSSL HMAC to pass as emsec_mikey_hmac_fn).
 *
 * Conventions of include/emsec/result.h hold: pointers valid and non-NULL
 * unless "may be NULL", lengths uint32_t, failures returned as emsec_result.
 */
#ifndef EMSEC_MIKEY_H
#define EMSEC_MIKEY_H

#include <stdbool.h>
#include <stdint.h>

#include "emsec/result.h"

/* ---------------------------------------------------------------- numbers */

/* HDR version (RFC 3830 §6.1). */
#define EMSEC_MIKEY_VERSION 1u

/* HDR data type (RFC 3830 Table 6.1.a, RFC 6043 Table 6.1). */
enum {
    EMSEC_MIKEY_DT_PSK_INIT = 0,
    EMSEC_MIKEY_DT_PSK_RESP = 1,
    EMSEC_MIKEY_DT_PK_INIT = 2,
    EMSEC_MIKEY_DT_PK_RESP = 3,
    EMSEC_MIKEY_DT_DH_INIT = 4,
    EMSEC_MIKEY_DT_DH_RESP = 5,
    EMSEC_MIKEY_DT_ERROR = 6,
    EMSEC_MIKEY_DT_REQUEST_INIT_PSK = 11,
    EMSEC_MIKEY_DT_REQUEST_INIT_PK = 12,
    EMSEC_MIKEY_DT_REQUEST_RESP = 13,
    EMSEC_MIKEY_DT_TRANSFER_INIT = 14,
    EMSEC_MIKEY_DT_TRANSFER_RESP = 15,
    EMSEC_MIKEY_DT_RESOLVE_INIT_PSK = 16,
    EMSEC_MIKEY_DT_RESOLVE_INIT_PK = 17,
    EMSEC_MIKEY_DT_RESOLVE_RESP = 18,
};

/* Payload types, the values of every "next payload" field (RFC 3830 Table
 * 6.1.b, RFC 6043 Table 6.2). HDR has no number: it is always first. */
typedef enum emsec_mikey_pt {
    EMSEC_MIKEY_PT_LAST = 0,
    EMSEC_MIKEY_PT_KEMAC = 1,
    EMSEC_MIKEY_PT_PKE = 2,
    EMSEC_MIKEY_PT_DH = 3,
    EMSEC_MIKEY_PT_SIGN = 4,
    EMSEC_MIKEY_PT_T = 5,
    EMSEC_MIKEY_PT_ID = 6,
    EMSEC_MIKEY_PT_CERT = 7,
    EMSEC_MIKEY_PT_CHASH = 8,
    EMSEC_MIKEY_PT_V = 9,
    EMSEC_MIKEY_PT_SP = 10,
    EMSEC_MIKEY_PT_RAND = 11,
    EMSEC_MIKEY_PT_ERR = 12,
    EMSEC_MIKEY_PT_TR = 13,
    EMSEC_MIKEY_PT_IDR = 14,
    EMSEC_MIKEY_PT_RANDR = 15,
    EMSEC_MIKEY_PT_TP = 16,
    EMSEC_MIKEY_PT_TICKET = 17,
    EMSEC_MIKEY_PT_KEYDATA = 20,
    EMSEC_MIKEY_PT_GENEXT = 21,
    /* Not a wire value: the model's tag for the header payload. */
    EMSEC_MIKEY_PT_HDR = 255,
} emsec_mikey_pt;

/* HDR PRF func (RFC 3830 Table 6.1.c, RFC 6043 Table 6.3). */
#define EMSEC_MIKEY_PRF_MIKEY1 0u
#define EMSEC_MIKEY_PRF_HMAC_SHA256 1u

/* CS ID map type (RFC 3830 Table 6.1.d, RFC 6043 Table 6.4). */
#define EMSEC_MIKEY_MAP_SRTP_ID 0u
#define EMSEC_MIKEY_MAP_GENERIC_ID 2u

/* KEMAC Encr alg / MAC alg, V Auth alg (RFC 3830 Tables 6.2.a-b, RFC 6043
 * Tables 6.5-6.6). */
#define EMSEC_MIKEY_ENCR_NULL 0u
#define EMSEC_MIKEY_MAC_NULL 0u
#define EMSEC_MIKEY_MAC_HMAC_SHA1_160 1u
#define EMSEC_MIKEY_MAC_HMAC_SHA256_256 2u

/* TS type (RFC 3830 Table 6.6, RFC 6043 Table 6.8). */
#define EMSEC_MIKEY_TS_NTP_UTC 0u
#define EMSEC_MIKEY_TS_NTP 1u
#define EMSEC_MIKEY_TS_COUNTER 2u
#define EMSEC_MIKEY_TS_NTP_UTC_32 3u

/* Roles of IDR (RFC 6043 Table 6.11) and RANDR (Table 6.13). */
#define EMSEC_MIKEY_ROLE_I 1u
#define EMSEC_MIKEY_ROLE_R 2u
#define EMSEC_MIKEY_ROLE_KMS 3u

/* ID Type (RFC 3830 Table 6.7.a, RFC 6043 Table 6.10). */
#define EMSEC_MIKEY_ID_NAI 0u
#define EMSEC_MIKEY_ID_URI 1u
#define EMSEC_MIKEY_ID_BYTES 2u

/* Key data sub-payload Type and KV (RFC 3830 Tables 6.13.a-b, RFC 6043
 * Table 6.7). */
#define EMSEC_MIKEY_KEY_TGK 0u
#define EMSEC_MIKEY_KEY_TGK_SALT 1u
#define EMSEC_MIKEY_KEY_TEK 2u
#define EMSEC_MIKEY_KEY_TEK_SALT 3u
#define EMSEC_MIKEY_KEY_GTGK 4u
#define EMSEC_MIKEY_KEY_GTGK_SALT 5u
#define EMSEC_MIKEY_KEY_MPK 6u
#define EMSEC_MIKEY_KV_NULL 0u
#define EMSEC_MIKEY_KV_SPI 1u
#define EMSEC_MIKEY_KV_INTERVAL 2u

/* SP Prot type. RFC 3830 Table 6.10 assigns only SRTP (0); neither RFC 3830
 * nor RFC 6043 gives TLS a value. PROVISIONAL: the value below is emsec's
 * own, kept in this one place (like the H.248 profile names of DESIGN.md)
 * so that a vendor maps it to the registered value in one edit. The parser
 * accepts every Prot type and reports it. */
#define EMSEC_MIKEY_PROT_SRTP 0u
#define EMSEC_MIKEY_PROT_TLS 240u

/* TICKET Ticket Type (RFC 6043 Table 6.15) and the flag bits of the 17-bit
 * word D..O + Res that follows the 7-bit PRF Func (RFC 6043 §6.10). */
#define EMSEC_MIKEY_TICKET_MIKEY_BASE 1u
#define EMSEC_MIKEY_TICKET_3GPP_BASE 2u
#define EMSEC_MIKEY_TF_D (1u << 16)
#define EMSEC_MIKEY_TF_E (1u << 15)
#define EMSEC_MIKEY_TF_F (1u << 14)
#define EMSEC_MIKEY_TF_G (1u << 13)
#define EMSEC_MIKEY_TF_H (1u << 12)
#define EMSEC_MIKEY_TF_I (1u << 11)
#define EMSEC_MIKEY_TF_J (1u << 10)
#define EMSEC_MIKEY_TF_K (1u << 9)
#define EMSEC_MIKEY_TF_L (1u << 8)
#define EMSEC_MIKEY_TF_M (1u << 7)
#define EMSEC_MIKEY_TF_N (1u << 6)
#define EMSEC_MIKEY_TF_O (1u << 5)

/* ---------------------------------------------------------------- model */

/* Fixed limits of the parsed form (the caller owns it; nothing grows). */
#define EMSEC_MIKEY_MAX_PAYLOADS 32u /* HDR included */
#define EMSEC_MIKEY_MAX_CS 8u        /* crypto sessions in the HDR map */
#define EMSEC_MIKEY_MAX_KEYS 4u      /* key data sub-payloads per KEMAC */

/* One crypto session of the CS ID map (SRTP-ID: RFC 3830 §6.1.1; GENERIC-ID:
 * RFC 6043 §6.1.1). For SRTP-ID, policies holds Policy_no_i (1 byte),
 * session_data SSRC || ROC (8 bytes), and cs_id is i (1-based). */
typedef struct emsec_mikey_cs {
    uint8_t cs_id;
    uint8_t prot_type;
    bool s_flag;
    emsec_span policies;     /* #P bytes of Policy_no */
    emsec_span session_data;
    emsec_span spi;
} emsec_mikey_cs;

/* One key data sub-payload (RFC 3830 §6.13, §6.14). */
typedef struct emsec_mikey_key {
    uint8_t type;            /* EMSEC_MIKEY_KEY_* */
    uint8_t kv;              /* EMSEC_MIKEY_KV_* */
    emsec_span key;
    bool has_salt;           /* the Type says "+SALT" */
    emsec_span salt;
    emsec_span kv_a;         /* SPI, or Valid From */
    emsec_span kv_b;         /* Valid To (KV interval only) */
} emsec_mikey_key;

/* One payload. `type` says which members hold: */
typedef struct emsec_mikey_payload {
    emsec_mikey_pt type;
    uint8_t next;            /* its Next payload field, as on the wire */
    emsec_span whole;        /* all of its bytes */
    /* HDR (RFC 3830 §6.1) */
    uint8_t version, data_type, prf;
    bool v_flag;
    uint32_t csb_id;
    uint8_t n_cs, map_type;
    emsec_span map_info;
    uint32_t cs_count;       /* entries of cs[] filled (== n_cs) */
    emsec_mikey_cs cs[EMSEC_MIKEY_MAX_CS];
    /* T, TR: ts_type, value (TR also role). ID, CERT, IDR: id_type, data
     * (IDR also role). RAND, RANDR: data (RANDR also role). V: alg, data =
     * MAC. CHASH: alg = hash func, data = hash. SP: policy_no, prot_type,
     * data = Policy param. ERR: alg = Error no, reserved. GENEXT: id_type =
     * extension type, data. */
    uint8_t role, ts_type, id_type, alg, policy_no, prot_type;
    uint16_t reserved;
    emsec_span data;
    /* KEMAC (RFC 3830 §6.2): encr alg in encr_alg, Encr data in data, MAC
     * alg in alg, MAC in mac; with the NULL encryption the key data
     * sub-payloads are parsed into key[]. */
    uint8_t encr_alg;
    emsec_span mac;
    uint32_t key_count;
    emsec_mikey_key key[EMSEC_MIKEY_MAX_KEYS];
    /* TICKET / TP (RFC 6043 §6.10). TP has no ticket/initiator data. */
    uint16_t ticket_type;
    uint8_t subtype, ticket_version, ticket_prf;
    uint32_t ticket_flags;   /* D..O and Res: EMSEC_MIKEY_TF_* | res bits */
    emsec_span tp_data, ticket_data, initiator_data;
} emsec_mikey_payload;

/* A parsed message: payload[0] is the HDR; the chain is in wire order. */
typedef struct emsec_mikey_msg {
    uint32_t count;
    emsec_mikey_payload payload[EMSEC_MIKEY_MAX_PAYLOADS];
} emsec_mikey_msg;

/* Why a parse failed. Every value names one check. */
typedef enum emsec_mikey_why {
    EMSEC_MIKEY_OK = 0,
    EMSEC_MIKEY_TRUNCATED,          /* a field runs past the end of the input */
    EMSEC_MIKEY_BAD_VERSION,        /* HDR version != 1 */
    EMSEC_MIKEY_BAD_DATA_TYPE,      /* HDR data type not in RFC 3830 / 6043 */
    EMSEC_MIKEY_BAD_MAP_TYPE,       /* CS ID map type not SRTP-ID / GENERIC-ID */
    EMSEC_MIKEY_TOO_MANY_CS,        /* #CS > EMSEC_MIKEY_MAX_CS */
    EMSEC_MIKEY_UNKNOWN_PAYLOAD,    /* a next payload value that is not assigned */
    EMSEC_MIKEY_UNSUPPORTED_PAYLOAD,/* PKE, DH, SIGN: not used by this profile */
    EMSEC_MIKEY_KEYDATA_OUTSIDE,    /* a key data sub-payload in the main chain */
    EMSEC_MIKEY_BAD_TS_TYPE,        /* TS type unknown: its length is unknown */
    EMSEC_MIKEY_BAD_MAC_ALG,        /* V / KEMAC MAC alg unknown */
    EMSEC_MIKEY_BAD_HASH_FUNC,      /* CHASH hash func unknown */
    EMSEC_MIKEY_BAD_SP_PARAM,       /* SP policy params are not whole TLVs */
    EMSEC_MIKEY_BAD_KEY_TYPE,       /* key data Type unknown */
    EMSEC_MIKEY_BAD_KV,             /* key data KV unknown */
    EMSEC_MIKEY_BAD_KEY_CHAIN,      /* a key data next payload not 20 / 0 */
    EMSEC_MIKEY_KEY_DATA_LEFT,      /* bytes after the last key data sub-payload */
    EMSEC_MIKEY_TOO_MANY_KEYS,      /* more than EMSEC_MIKEY_MAX_KEYS */
    EMSEC_MIKEY_TOO_MANY_PAYLOADS,  /* more than EMSEC_MIKEY_MAX_PAYLOADS */
    EMSEC_MIKEY_TRAILING_BYTES,     /* bytes after the last payload */
    EMSEC_MIKEY_AFTER_V,            /* a payload after V (RFC 3830 §5.2: V is last) */
    EMSEC_MIKEY_WHY_COUNT
} emsec_mikey_why;

typedef struct emsec_mikey_error {
    uint32_t offset;         /* byte offset in the input where it was seen */
    emsec_mikey_why why;
} emsec_mikey_error;

/* Short stable name of a reason ("truncated", ...). Never NULL. */
const char *emsec_mikey_why_name(emsec_mikey_why why);
/* Name of a payload type ("HDR", "RANDR", ...), "?" for others. Never NULL. */
const char *emsec_mikey_pt_name(emsec_mikey_pt pt);

/*
 * Parse one MIKEY message buf[0, len) into *msg.
 * requires: buf readable for len bytes (may be NULL iff len == 0); msg and
 *           err valid.
 * ensures:  nothing is read at or past buf[len]; every span in *msg lies in
 *           [0, len).
 * Returns EMSEC_OK, or
 *   EMSEC_ERR_INCOMPLETE  a field runs past the end (err->why TRUNCATED);
 *   EMSEC_ERR_LIMIT       a fixed limit was reached (TOO_MANY_*);
 *   EMSEC_ERR_SYNTAX      any other failed check;
 * with *err naming the offset and the check (err->why OK on success).
 */
EMSEC_MUST_USE emsec_result emsec_mikey_parse(const uint8_t *buf, uint32_t len,
                                              emsec_mikey_msg *msg, emsec_mikey_error *err);

/*
 * Write *msg (whose spans point into src[0, src_len)) to out[0, cap), field
 * by field from the model (lengths recomputed from the spans).
 * requires: msg as emsec_mikey_parse leaves it (or built the same way);
 *           src readable for src_len bytes; out writable for cap bytes (may
 *           be NULL iff cap == 0); out_len valid.
 * Returns EMSEC_OK with *out_len bytes written; EMSEC_ERR_NO_SPACE when cap
 * is too small (*out_len = bytes needed); EMSEC_ERR_ARGUMENT when the model
 * cannot be written (a span outside src, a length over its field's width,
 * payload[0] not HDR, a count past its limit).
 */
EMSEC_MUST_USE emsec_result emsec_mikey_build(const emsec_mikey_msg *msg, const uint8_t *src,
                                              uint32_t src_len, uint8_t *out, uint32_t cap,
                                              uint32_t *out_len);

/*
 * Ticket Transfer components (RFC 6043 §4.2.2.1 / §4.2.2.3): TRANSFER_INIT
 * has HDR, T, RANDRi and TICKET and ends with V; TRANSFER_RESP has HDR and
 * T and ends with V. Returns the index of the first payload that breaks the
 * rule in *at (count when one is missing). EMSEC_ERR_REFUSED when broken.
 */
EMSEC_MUST_USE emsec_result emsec_mikey_check_transfer(const emsec_mikey_msg *msg, uint32_t *at);

/* Index of the n-th (0-based) payload of `type` (and, when role != 0, of
 * that role) in msg, or msg->count when there is none. */
uint32_t emsec_mikey_find(const emsec_mikey_msg *msg, emsec_mikey_pt type, uint8_t role,
                          uint32_t n);

/* ---------------------------------------------------------------- base64 */

/*
 * RFC 4567 §3: keymgmt-data is base64 as in RFC 8866 §9 (base64-char =
 * ALPHA / DIGIT / "+" / "/", groups of 4, "=" padding only at the end).
 * The decoder is strict: no whitespace, length a multiple of 4, and the
 * bits that padding leaves over must be zero (RFC 4648 §3.5), so that every
 * accepted value has exactly one encoding.
 * Decode: EMSEC_OK with *out_len bytes; EMSEC_ERR_SYNTAX with *bad = offset
 * of the offending character; EMSEC_ERR_NO_SPACE (*out_len = needed).
 * Encode: EMSEC_OK or EMSEC_ERR_NO_SPACE (*out_len = needed).
 * in may be NULL iff in_len == 0; out may be NULL iff cap == 0.
 */
EMSEC_MUST_USE emsec_result emsec_base64_decode(const char *in, uint32_t in_len, uint8_t *out,
                                                uint32_t cap, uint32_t *out_len, uint32_t *bad);
EMSEC_MUST_USE emsec_result emsec_base64_encode(const uint8_t *in, uint32_t in_len, char *out,
                                                uint32_t cap, uint32_t *out_len);

/*
 * The value of an "a=key-mgmt:" attribute (RFC 4567 §3.1:
 * key-mgmt-att-value = 0*1SP prtcl-id SP keymgmt-data): checks prtcl-id is
 * exactly "mikey" (KMPID is case sensitive, §3) and returns the span of
 * keymgmt-data in *data. EMSEC_ERR_SYNTAX otherwise (*bad = offset).
 */
EMSEC_MUST_USE emsec_result emsec_mikey_sdp_value(const char *val, uint32_t len,
                                                  emsec_span *data, uint32_t *bad);

/* ---------------------------------------------------------------- keys */

/* The hash of an HMAC. */
typedef enum emsec_mikey_hash {
    EMSEC_MIKEY_HASH_SHA1 = 1,   /* 20-byte output */
    EMSEC_MIKEY_HASH_SHA256 = 2, /* 32-byte output */
} emsec_mikey_hash;

/*
 * HMAC supplied by the caller (core/ may not call OpenSSL): computes
 * HMAC-<hash>(key, part[0] || ... || part[n_parts - 1]) into out (20 bytes
 * for SHA-1, 32 for SHA-256). The adapter passes emsec_hmac_openssl
 * (adapters/crypto/hmac_openssl.h). Contract for an implementation: key
 * readable for key_len bytes, part[i] readable for part_len[i] bytes (may
 * be NULL when that length is 0), out writable for the output size; returns
 * EMSEC_OK or a failure (which the caller passes on).
 */
typedef emsec_result (*emsec_mikey_hmac_fn)(void *ctx, emsec_mikey_hash hash,
                                            const uint8_t *key, uint32_t key_len,
                                            const uint8_t *const *part,
                                            const uint32_t *part_len, uint32_t n_parts,
                                            uint8_t *out);

typedef struct emsec_mikey_hmac {
    emsec_mikey_hmac_fn fn;
    void *ctx;               /* passed through; may be NULL */
} emsec_mikey_hmac;

/* Longest label any derivation here builds (RFC 6043 §5.1.2 with two
 * 255-byte RANDs: 4 + 1 + 4 + 1 + 1 + 255 + 1 + 255). */
#define EMSEC_MIKEY_MAX_LABEL 522u
/* Longest output key, in bytes. */
#define EMSEC_MIKEY_MAX_OUTKEY 1024u

/*
 * PRF(inkey, label) of RFC 3830 §4.1.2 (prf = EMSEC_MIKEY_PRF_MIKEY1:
 * HMAC-SHA-1, 256-bit inkey blocks, 160-bit steps) or RFC 6043 §6.1
 * (EMSEC_MIKEY_PRF_HMAC_SHA256: HMAC-SHA-256, 256-bit blocks, 256-bit
 * steps): the outkey_len most significant bytes of P(s_1, label, m) XOR ...
 * XOR P(s_n, label, m). Lengths are in bytes here (the RFC counts bits;
 * every key of MIKEY is a whole number of bytes).
 * requires: inkey_len >= 1; label_len <= EMSEC_MIKEY_MAX_LABEL;
 *           1 <= outkey_len <= EMSEC_MIKEY_MAX_OUTKEY; out writable for
 *           outkey_len bytes and not overlapping the inputs.
 * Returns EMSEC_OK, EMSEC_ERR_ARGUMENT (a bound, an unknown prf), or the
 * HMAC callback's failure.
 */
EMSEC_MUST_USE emsec_result emsec_mikey_prf(const emsec_mikey_hmac *h, uint8_t prf,
                                            const uint8_t *inkey, uint32_t inkey_len,
                                            const uint8_t *label, uint32_t label_len,
                                            uint8_t *out, uint32_t outkey_len);

/* Label constants (RFC 3830 Table 4.1.3 and Table 4.1.4; RFC 6043 Table
 * 5.1 and Table A.1). */
#define EMSEC_MIKEY_C_TEK 0x2AD01C64u
#define EMSEC_MIKEY_C_AUTH_FROM_TGK 0x1B5C7973u
#define EMSEC_MIKEY_C_ENCR_FROM_TGK 0x15798CEFu
#define EMSEC_MIKEY_C_SALT_FROM_TGK 0x39A2C14Bu
#define EMSEC_MIKEY_C_ENCR_KEY 0x150533E1u
#define EMSEC_MIKEY_C_AUTH_KEY 0x2D22AC75u
#define EMSEC_MIKEY_C_SALT_KEY 0x29B88916u
#define EMSEC_MIKEY_C_FORK_MPKR 0x2B288856u
#define EMSEC_MIKEY_C_FORK_TGK 0x1512B54Au
#define EMSEC_MIKEY_C_MPKI 0x220E99A2u
#define EMSEC_MIKEY_C_MPKR 0x1F4D675Bu

/*
 * Labels. Each writes the label into out[0, cap) and its length to *len;
 * EMSEC_ERR_NO_SPACE when cap is too small. RAND pointers may be NULL iff
 * their length is 0 (RFC 6043: an omitted RANDRx has length 0).
 *
 * RFC 3830 §4.1.3 (plain MIKEY, keys from the TGK):
 *   constant || cs_id || csb_id || RAND
 * RFC 6043 §5.1.3 (Ticket Transfer, keys from TGK / TGK' / GTGK):
 *   constant || CS ID || 0xFFFFFFFF || 0x03 ||
 *   len RANDRi || RANDRi || len RANDRr || RANDRr
 * RFC 6043 §5.1.2 (keys protecting the messages, from PSK / MPK):
 *   constant || 0xFF || CSB ID || 0x01 (initial) / 0x02 (response) ||
 *   len RANDRi || RANDRi || len RANDRr || RANDRr
 * RFC 6043 §5.1.1 (forking MPKr / TGK):
 *   constant || 0xFF || 0xFFFFFFFF || 0x00 ||
 *   len ID Data (16 bits) || ID Data || len RANDRkms || RANDRkms
 */
EMSEC_MUST_USE emsec_result emsec_mikey_label_3830_tgk(uint32_t constant, uint8_t cs_id,
                                                       uint32_t csb_id, const uint8_t *rand,
                                                       uint8_t rand_len, uint8_t *out,
                                                       uint32_t cap, uint32_t *len);
EMSEC_MUST_USE emsec_result emsec_mikey_label_ticket_tgk(uint32_t constant, uint8_t cs_id,
                                                         const uint8_t *randri, uint8_t randri_len,
                                                         const uint8_t *randrr, uint8_t randrr_len,
                                                         uint8_t *out, uint32_t cap,
                                                         uint32_t *len);
EMSEC_MUST_USE emsec_result emsec_mikey_label_ticket_msg(uint32_t constant, uint32_t csb_id,
                                                         bool response, const uint8_t *randri,
                                                         uint8_t randri_len, const uint8_t *randrr,
                                                         uint8_t randrr_len, uint8_t *out,
                                                         uint32_t cap, uint32_t *len);
EMSEC_MUST_USE emsec_result emsec_mikey_label_fork(uint32_t constant, const uint8_t *id_data,
                                                   uint16_t id_len, const uint8_t *randrkms,
                                                   uint8_t randrkms_len, uint8_t *out,
                                                   uint32_t cap, uint32_t *len);

/*
 * The TEK of the Ticket Transfer exchange (RFC 6043 §5.1.3): if `fork`,
 * first TGK' = PRF(TGK, fork label with constant 0x1512B54A, the IDRr ID
 * Data and RANDRkms) (§5.1.1, outkey_len = inkey_len), then
 * TEK = PRF(TGK or TGK', label(0x2AD01C64, cs_id, RANDRi, RANDRr)).
 * RANDRi is included only if the ticket's H flag says so and RANDRr only
 * if its G flag does; the caller passes length 0 for an omitted one, and at
 * least one must be present (§5.1.3: "at least one of RANDRi and RANDRr
 * MUST be used"), else EMSEC_ERR_ARGUMENT. tgk_len <= 64.
 */
typedef struct emsec_mikey_fork {
    const uint8_t *id_data;  /* IDRr ID Data of RESOLVE_RESP / TRANSFER_RESP */
    uint16_t id_len;
    const uint8_t *randrkms; /* may be NULL iff randrkms_len == 0 */
    uint8_t randrkms_len;
} emsec_mikey_fork;

EMSEC_MUST_USE emsec_result emsec_mikey_ticket_tek(const emsec_mikey_hmac *h, uint8_t prf,
                                                   const uint8_t *tgk, uint32_t tgk_len,
                                                   const emsec_mikey_fork *fork /* may be NULL */,
                                                   uint8_t cs_id, const uint8_t *randri,
                                                   uint8_t randri_len, const uint8_t *randrr,
                                                   uint8_t randrr_len, uint8_t *tek,
                                                   uint32_t tek_len);

/* The TEK of plain MIKEY (RFC 3830 §4.1.3): PRF(TGK, label(0x2AD01C64,
 * cs_id, csb_id, RAND)). */
EMSEC_MUST_USE emsec_result emsec_mikey_3830_tek(const emsec_mikey_hmac *h, uint8_t prf,
                                                 const uint8_t *tgk, uint32_t tgk_len,
                                                 uint8_t cs_id, uint32_t csb_id,
                                                 const uint8_t *rand, uint8_t rand_len,
                                                 uint8_t *tek, uint32_t tek_len);

/* ---------------------------------------------------------------- mode 3 */

/*
 * Mode 3 (RFC 6043 §4.1.1, Figure 3): the MRFC is the Initiator and makes
 * the ticket and the keys itself; the caller (adapter) supplies every
 * random byte and the timestamps. The pair built is:
 *
 *   TRANSFER_INIT = HDR(14, V=1, prf, csb_id, GENERIC-ID: one CS cs_id,
 *                   Prot type TLS, #P=1 -> policy 1), T, RANDRi, IDRi, IDRr,
 *                   SP(1, TLS), TICKET, KEMAC, V
 *   TRANSFER_RESP = HDR(15, V=0, same prf and CSB ID, same map), T,
 *                   [RANDRr], IDRr, V
 *
 * TICKET: MIKEY base ticket (type 1, subtype 1, version 1, RFC 6043 §6.10),
 * PRF Func = prf, flags D=0 (made by the Initiator), E=1 (the Responder
 * resolves it at the KMS: mode 3), F=1 (TRANSFER_RESP is sent), G = RANDRr
 * given, H=1 (RANDRi enters the TEK), L=1 (the Initiator supplies the key:
 * the KEMAC below), N=1, O=1, all others 0; TP Data = IDRr; Ticket Data =
 * the caller's bytes (its content is the ticket type's and the KMS's
 * business: the MIKEY base ticket protects it with the TPK, adapter work).
 * KEMAC: NULL encryption and NULL MAC (the MAC is in V, RFC 6043 §5.2),
 * one key data sub-payload TGK with KV = SPI (RFC 6043 §6.2.1: an SPI MUST
 * be given for each key). NULL encryption puts the TGK in clear: RFC 3830
 * §4.2.3 restricts it to paths whose security the signalling already
 * guarantees, which is the case this profile is for (the Mp / SIP hop).
 * V: auth alg HMAC-SHA-1-160 (MIKEY-1) or HMAC-SHA-256-256 (PRF-HMAC-
 * SHA-256); auth_key = PRF(MPKi, §5.1.2 label, 0x2D22AC75, initial /
 * response), MAC over the message up to the MAC || ID_i || ID_r (initial,
 * leaving out the TICKET's Initiator Data length and data) or ||
 * TRANSFER_INIT (response) (RFC 6043 §5.5, Table 5.2). MPKi is an input:
 * deriving it from the ticket's MPK (RFC 6043 Appendix A.2.2) is the ticket
 * maker's job.
 * PSK = TEK = PRF(TGK, §5.1.3 label: 0x2AD01C64, cs_id, RANDRi, RANDRr or
 * none), psk_len bytes.
 */
typedef struct emsec_mikey_mode3_in {
    uint8_t prf;                 /* EMSEC_MIKEY_PRF_* */
    uint32_t csb_id;
    uint8_t cs_id;
    uint8_t ts_init[8];          /* NTP-UTC timestamps (RFC 3830 §6.6) */
    uint8_t ts_resp[8];
    const uint8_t *randri; uint8_t randri_len;   /* >= 16 (RFC 3830 §6.11) */
    const uint8_t *randrr; uint8_t randrr_len;   /* 0: no RANDRr (G = 0) */
    const uint8_t *tgk; uint16_t tgk_len;        /* 1..64 */
    const uint8_t *spi; uint8_t spi_len;         /* SPI of the TGK, >= 1 */
    const uint8_t *mpki; uint16_t mpki_len;      /* 1..64 */
    const uint8_t *id_i; uint16_t id_i_len;      /* URI of the Initiator */
    const uint8_t *id_r; uint16_t id_r_len;      /* URI of the Responder */
    const uint8_t *ticket_data; uint16_t ticket_data_len; /* may be NULL iff 0 */
    uint32_t psk_len;            /* 1..64 */
} emsec_mikey_mode3_in;

/*
 * Build the pair into init[0, init_cap) and resp[0, resp_cap) and derive
 * the PSK into psk[0, in->psk_len).
 * Returns EMSEC_OK (*init_len, *resp_len set), EMSEC_ERR_ARGUMENT (an input
 * outside the bounds above), EMSEC_ERR_NO_SPACE (a buffer too small), or
 * the HMAC callback's failure.
 */
EMSEC_MUST_USE emsec_result emsec_mikey_mode3(const emsec_mikey_hmac *h,
                                              const emsec_mikey_mode3_in *in, uint8_t *init,
                                              uint32_t init_cap, uint32_t *init_len,
                                              uint8_t *resp, uint32_t resp_cap,
                                              uint32_t *resp_len, uint8_t *psk);

#endif /* EMSEC_MIKEY_H */
