/*
 * core/mikey_kdf.c: the MIKEY PRFs and the labels that feed them.
 *
 * PRF (RFC 3830 §4.1.2):
 *   P(s, label, m) = HMAC(s, A_1 || label) || ... || HMAC(s, A_m || label),
 *   A_0 = label, A_i = HMAC(s, A_(i-1));
 *   inkey = s_1 || ... || s_n in 256-bit blocks (the last may be shorter),
 *   m = ceil(outkey_len / 160 bits);
 *   outkey = the outkey_len most significant bits of
 *            P(s_1, label, m) XOR ... XOR P(s_n, label, m).
 * PRF-HMAC-SHA-256 (RFC 6043 §6.1) is the same construction with
 * HMAC-SHA-256 and 256 in place of 160 (the 256-bit input block is kept).
 *
 * The HMAC is the caller's (emsec_mikey_hmac_fn): core/ does not call
 * OpenSSL. Every buffer here is on the stack and bounded by the header's
 * limits (EMSEC_MIKEY_MAX_LABEL, EMSEC_MIKEY_MAX_OUTKEY).
 */
#include <string.h>

#include "mikey_internal.h"

#define INKEY_BLOCK 32u /* 256 bits: RFC 3830 §4.1.2 "n = inkey_len / 256" */
#define MAX_STEP 32u

uint32_t mikey_prf_step(uint8_t prf)
{
    switch (prf) {
    case EMSEC_MIKEY_PRF_MIKEY1: return 20u;      /* 160-bit steps, HMAC-SHA-1 */
    case EMSEC_MIKEY_PRF_HMAC_SHA256: return 32u; /* 256-bit steps, HMAC-SHA-256 */
    default: return 0u;
    }
}

static emsec_mikey_hash prf_hash(uint8_t prf)
{
    return prf == EMSEC_MIKEY_PRF_HMAC_SHA256 ? EMSEC_MIKEY_HASH_SHA256 : EMSEC_MIKEY_HASH_SHA1;
}

static emsec_result hmac1(const emsec_mikey_hmac *h, emsec_mikey_hash hash, const uint8_t *key,
                          uint32_t key_len, const uint8_t *a, uint32_t a_len, const uint8_t *b,
                          uint32_t b_len, uint8_t *out)
{
    const uint8_t *part[2] = {a, b};
    uint32_t part_len[2] = {a_len, b_len};
    return h->fn(h->ctx, hash, key, key_len, part, part_len, b_len > 0 ? 2u : 1u, out);
}

/* out[0, outkey_len) ^= P(s, label, m), m = ceil(outkey_len / step). */
static emsec_result p_xor(const emsec_mikey_hmac *h, uint8_t prf, const uint8_t *s, uint32_t s_len,
                          const uint8_t *label, uint32_t label_len, uint8_t *out,
                          uint32_t outkey_len)
{
    const uint32_t step = mikey_prf_step(prf);
    const emsec_mikey_hash hash = prf_hash(prf);
    uint8_t a[MAX_STEP], t[MAX_STEP];
    emsec_result r;
    /* A_1 = HMAC(s, A_0) with A_0 = label */
    r = hmac1(h, hash, s, s_len, label, label_len, NULL, 0, a);
    for (uint32_t done = 0; r == EMSEC_OK && done < outkey_len; done += step) {
        /* output block i = HMAC(s, A_i || label) */
        r = hmac1(h, hash, s, s_len, a, step, label, label_len, t);
        if (r != EMSEC_OK)
            break;
        for (uint32_t k = 0; k < step && done + k < outkey_len; k++)
            out[done + k] ^= t[k];
        /* A_(i+1) = HMAC(s, A_i); input and output kept apart for the
         * callback */
        r = hmac1(h, hash, s, s_len, a, step, NULL, 0, t);
        memcpy(a, t, step);
    }
    memset(a, 0, sizeof a);
    memset(t, 0, sizeof t);
    return r;
}

emsec_result emsec_mikey_prf(const emsec_mikey_hmac *h, uint8_t prf, const uint8_t *inkey,
                             uint32_t inkey_len, const uint8_t *label, uint32_t label_len,
                             uint8_t *out, uint32_t outkey_len)
{
    if (h == NULL || h->fn == NULL || inkey == NULL || inkey_len == 0 || out == NULL ||
        (label == NULL && label_len != 0) || label_len > EMSEC_MIKEY_MAX_LABEL ||
        outkey_len == 0 || outkey_len > EMSEC_MIKEY_MAX_OUTKEY || mikey_prf_step(prf) == 0)
        return EMSEC_ERR_ARGUMENT;
    memset(out, 0, outkey_len);
    /* s_1 .. s_n: 256-bit blocks of the inkey, the last possibly shorter */
    for (uint32_t off = 0; off < inkey_len; off += INKEY_BLOCK) {
        uint32_t n = inkey_len - off < INKEY_BLOCK ? inkey_len - off : INKEY_BLOCK;
        emsec_result r = p_xor(h, prf, inkey + off, n, label, label_len, out, outkey_len);
        if (r != EMSEC_OK) {
            memset(out, 0, outkey_len);
            return r;
        }
    }
    return EMSEC_OK;
}

/* ---------------------------------------------------------------- labels */

static emsec_result label_done(const mikey_w *w, uint32_t *len)
{
    *len = w->need;
    return w->need > w->cap ? EMSEC_ERR_NO_SPACE : EMSEC_OK;
}

static bool rand_ok(const uint8_t *p, uint8_t n)
{
    return p != NULL || n == 0;
}

/* RFC 3830 §4.1.3: constant || cs_id || csb_id || RAND */
emsec_result emsec_mikey_label_3830_tgk(uint32_t constant, uint8_t cs_id, uint32_t csb_id,
                                        const uint8_t *rand, uint8_t rand_len, uint8_t *out,
                                        uint32_t cap, uint32_t *len)
{
    mikey_w w = {out, cap, 0, false};
    *len = 0;
    if (!rand_ok(rand, rand_len) || (out == NULL && cap != 0))
        return EMSEC_ERR_ARGUMENT;
    mikey_w_u32(&w, constant);
    mikey_w_u8(&w, cs_id);
    mikey_w_u32(&w, csb_id);
    mikey_w_bytes(&w, rand, rand_len);
    return label_done(&w, len);
}

/* RFC 6043 §5.1.3: constant || CS ID || 0xFFFFFFFF || 0x03 ||
 * length RANDRi || [RANDRi] || length RANDRr || [RANDRr]; the lengths are
 * 8-bit byte counts, 0 for an omitted RAND. */
emsec_result emsec_mikey_label_ticket_tgk(uint32_t constant, uint8_t cs_id, const uint8_t *randri,
                                          uint8_t randri_len, const uint8_t *randrr,
                                          uint8_t randrr_len, uint8_t *out, uint32_t cap,
                                          uint32_t *len)
{
    mikey_w w = {out, cap, 0, false};
    *len = 0;
    if (!rand_ok(randri, randri_len) || !rand_ok(randrr, randrr_len) || (out == NULL && cap != 0))
        return EMSEC_ERR_ARGUMENT;
    mikey_w_u32(&w, constant);
    mikey_w_u8(&w, cs_id);
    mikey_w_u32(&w, 0xFFFFFFFFu);
    mikey_w_u8(&w, 0x03u);
    mikey_w_u8(&w, randri_len);
    mikey_w_bytes(&w, randri, randri_len);
    mikey_w_u8(&w, randrr_len);
    mikey_w_bytes(&w, randrr, randrr_len);
    return label_done(&w, len);
}

/* RFC 6043 §5.1.2: constant || 0xFF || CSB ID || 0x01 (initial messages)
 * or 0x02 (response messages) || length RANDRi || [RANDRi] ||
 * length RANDRr || [RANDRr]. */
emsec_result emsec_mikey_label_ticket_msg(uint32_t constant, uint32_t csb_id, bool response,
                                          const uint8_t *randri, uint8_t randri_len,
                                          const uint8_t *randrr, uint8_t randrr_len, uint8_t *out,
                                          uint32_t cap, uint32_t *len)
{
    mikey_w w = {out, cap, 0, false};
    *len = 0;
    if (!rand_ok(randri, randri_len) || !rand_ok(randrr, randrr_len) || (out == NULL && cap != 0))
        return EMSEC_ERR_ARGUMENT;
    mikey_w_u32(&w, constant);
    mikey_w_u8(&w, 0xFFu);
    mikey_w_u32(&w, csb_id);
    mikey_w_u8(&w, response ? 0x02u : 0x01u);
    mikey_w_u8(&w, randri_len);
    mikey_w_bytes(&w, randri, randri_len);
    mikey_w_u8(&w, randrr_len);
    mikey_w_bytes(&w, randrr, randrr_len);
    return label_done(&w, len);
}

/* RFC 6043 §5.1.1: constant || 0xFF || 0xFFFFFFFF || 0x00 ||
 * length ID Data (16 bits) || ID Data || length RANDRkms (8 bits) ||
 * RANDRkms. */
emsec_result emsec_mikey_label_fork(uint32_t constant, const uint8_t *id_data, uint16_t id_len,
                                    const uint8_t *randrkms, uint8_t randrkms_len, uint8_t *out,
                                    uint32_t cap, uint32_t *len)
{
    mikey_w w = {out, cap, 0, false};
    *len = 0;
    if ((id_data == NULL && id_len != 0) || !rand_ok(randrkms, randrkms_len) ||
        (out == NULL && cap != 0))
        return EMSEC_ERR_ARGUMENT;
    mikey_w_u32(&w, constant);
    mikey_w_u8(&w, 0xFFu);
    mikey_w_u32(&w, 0xFFFFFFFFu);
    mikey_w_u8(&w, 0x00u);
    mikey_w_u16(&w, id_len);
    mikey_w_bytes(&w, id_data, id_len);
    mikey_w_u8(&w, randrkms_len);
    mikey_w_bytes(&w, randrkms, randrkms_len);
    return label_done(&w, len);
}

/* ---------------------------------------------------------------- TEKs */

#define MAX_TGK 64u

emsec_result emsec_mikey_ticket_tek(const emsec_mikey_hmac *h, uint8_t prf, const uint8_t *tgk,
                                    uint32_t tgk_len, const emsec_mikey_fork *fork, uint8_t cs_id,
                                    const uint8_t *randri, uint8_t randri_len,
                                    const uint8_t *randrr, uint8_t randrr_len, uint8_t *tek,
                                    uint32_t tek_len)
{
    uint8_t label[EMSEC_MIKEY_MAX_LABEL];
    uint8_t forked[MAX_TGK];
    uint32_t label_len = 0;
    emsec_result r;
    if (tgk == NULL || tgk_len == 0 || tgk_len > MAX_TGK || (randri_len == 0 && randrr_len == 0))
        return EMSEC_ERR_ARGUMENT;
    if (fork != NULL) {
        /* RFC 6043 §5.1.1: TGK' = PRF(TGK, label(0x1512B54A, ID Data,
         * RANDRkms)), outkey_len = inkey_len, with the PRF of the Ticket
         * Policy; this profile makes the ticket with prf as its PRF Func.
         * The label is bounded by EMSEC_MIKEY_MAX_LABEL: ID Data of up to
         * 522 - 13 - RANDRkms bytes. */
        r = emsec_mikey_label_fork(EMSEC_MIKEY_C_FORK_TGK, fork->id_data, fork->id_len,
                                   fork->randrkms, fork->randrkms_len, label, sizeof label,
                                   &label_len);
        if (r != EMSEC_OK)
            return r == EMSEC_ERR_NO_SPACE ? EMSEC_ERR_ARGUMENT : r;
        r = emsec_mikey_prf(h, prf, tgk, tgk_len, label, label_len, forked, tgk_len);
        if (r != EMSEC_OK)
            return r;
        tgk = forked;
    }
    r = emsec_mikey_label_ticket_tgk(EMSEC_MIKEY_C_TEK, cs_id, randri, randri_len, randrr,
                                     randrr_len, label, sizeof label, &label_len);
    if (r == EMSEC_OK)
        r = emsec_mikey_prf(h, prf, tgk, tgk_len, label, label_len, tek, tek_len);
    memset(forked, 0, sizeof forked);
    return r;
}

emsec_result emsec_mikey_3830_tek(const emsec_mikey_hmac *h, uint8_t prf, const uint8_t *tgk,
                                  uint32_t tgk_len, uint8_t cs_id, uint32_t csb_id,
                                  const uint8_t *rand, uint8_t rand_len, uint8_t *tek,
                                  uint32_t tek_len)
{
    uint8_t label[EMSEC_MIKEY_MAX_LABEL];
    uint32_t label_len = 0;
    emsec_result r = emsec_mikey_label_3830_tgk(EMSEC_MIKEY_C_TEK, cs_id, csb_id, rand, rand_len,
                                                label, sizeof label, &label_len);
    if (r != EMSEC_OK)
        return r;
    return emsec_mikey_prf(h, prf, tgk, tgk_len, label, label_len, tek, tek_len);
}
