/*
 * core/mikey_mode3.c: MIKEY-TICKET mode 3 at the MRFC (RFC 6043 §4.1.1):
 * the Initiator makes the ticket itself, no Ticket Request. This file
 * writes the Ticket Transfer pair (RFC 6043 §4.2.2) and derives the TEK
 * that the MRFP uses as its TLS PSK (RFC 6043 §5.1.3). What each field
 * holds, and why, is in include/emsec/mikey.h (emsec_mikey_mode3).
 */
#include <string.h>

#include "mikey_internal.h"

#define MAX_KEY 64u

/* The mode-3 ticket policy (RFC 6043 §6.10): made by the Initiator (D=0),
 * the Responder resolves it at the KMS (E=1), TRANSFER_RESP is sent (F=1),
 * RANDRi enters the TEK (H=1), the Initiator supplies the key in its KEMAC
 * (L=1), both ends follow RFC 6043 (N=1, O=1). G follows RANDRr. The flag
 * rules of §6.10 hold: G => F, NOT D => L. */
static uint32_t mode3_flags(bool randrr)
{
    uint32_t f = EMSEC_MIKEY_TF_E | EMSEC_MIKEY_TF_F | EMSEC_MIKEY_TF_H | EMSEC_MIKEY_TF_L |
                 EMSEC_MIKEY_TF_N | EMSEC_MIKEY_TF_O;
    return randrr ? (f | EMSEC_MIKEY_TF_G) : f;
}

/* HDR with the one TLS crypto session (RFC 3830 §6.1, GENERIC-ID map of
 * RFC 6043 §6.1.1; "the map type SRTP-ID SHALL NOT be used", §6.1). */
static void put_hdr(mikey_w *w, const emsec_mikey_mode3_in *in, uint8_t dt, bool v,
                    const uint8_t *spi, uint8_t spi_len)
{
    mikey_w_u8(w, EMSEC_MIKEY_VERSION);
    mikey_w_u8(w, dt);
    mikey_w_u8(w, EMSEC_MIKEY_PT_T);
    mikey_w_u8(w, (uint8_t)((v ? 0x80u : 0u) | in->prf));
    mikey_w_u32(w, in->csb_id);
    mikey_w_u8(w, 1u);                          /* #CS */
    mikey_w_u8(w, EMSEC_MIKEY_MAP_GENERIC_ID);
    mikey_w_u8(w, in->cs_id);
    mikey_w_u8(w, EMSEC_MIKEY_PROT_TLS);
    mikey_w_u8(w, 1u);                          /* S = 0, #P = 1 */
    mikey_w_u8(w, 1u);                          /* Policy_no_1 = the SP below */
    mikey_w_u16(w, 0u);                         /* no Session Data for TLS */
    mikey_w_u8(w, spi_len);                     /* SPI: "MAY be omitted in the */
    mikey_w_bytes(w, spi, spi_len);             /* initial message", §6.1.1 */
}

static void put_t(mikey_w *w, uint8_t next, const uint8_t ts[8])
{
    mikey_w_u8(w, next);
    mikey_w_u8(w, EMSEC_MIKEY_TS_NTP_UTC);
    mikey_w_bytes(w, ts, 8u);
}

static void put_randr(mikey_w *w, uint8_t next, uint8_t role, const uint8_t *r, uint8_t n)
{
    mikey_w_u8(w, next);
    mikey_w_u8(w, role);
    mikey_w_u8(w, n);
    mikey_w_bytes(w, r, n);
}

static void put_idr(mikey_w *w, uint8_t next, uint8_t role, const uint8_t *id, uint16_t n)
{
    mikey_w_u8(w, next);
    mikey_w_u8(w, role);
    mikey_w_u8(w, EMSEC_MIKEY_ID_URI);
    mikey_w_u16(w, n);
    mikey_w_bytes(w, id, n);
}

/* V: next = Last, the auth alg, then the MAC of everything before it
 * except out[skip, skip + skip_len) (the TICKET's Initiator Data length and
 * data, RFC 6043 §5.5), followed by tail1 and tail2. */
static emsec_result put_v(const emsec_mikey_hmac *h, const emsec_mikey_mode3_in *in, mikey_w *w,
                          bool response, uint32_t skip, uint32_t skip_len, const uint8_t *tail1,
                          uint32_t tail1_len, const uint8_t *tail2, uint32_t tail2_len)
{
    const bool sha256 = in->prf == EMSEC_MIKEY_PRF_HMAC_SHA256;
    const uint32_t mac_len = sha256 ? 32u : 20u;
    uint8_t label[EMSEC_MIKEY_MAX_LABEL], auth_key[32];
    uint32_t label_len = 0;
    emsec_result r;
    mikey_w_u8(w, EMSEC_MIKEY_PT_LAST);
    mikey_w_u8(w, sha256 ? EMSEC_MIKEY_MAC_HMAC_SHA256_256 : EMSEC_MIKEY_MAC_HMAC_SHA1_160);
    if (w->overflow || w->need > w->cap || w->cap - w->need < mac_len) {
        w->need += mac_len;
        return EMSEC_ERR_NO_SPACE;
    }
    /* auth_key from MPKi (RFC 6043 §5.1.2; constant 0x2D22AC75 of RFC 3830
     * Table 4.1.4), as long as the hash output (RFC 3830 §4.2.4). RANDRr
     * enters the response's key when the ticket has G (§5.1.2). */
    r = emsec_mikey_label_ticket_msg(EMSEC_MIKEY_C_AUTH_KEY, in->csb_id, response, in->randri,
                                     in->randri_len, response ? in->randrr : NULL,
                                     response ? in->randrr_len : 0u, label, sizeof label,
                                     &label_len);
    if (r == EMSEC_OK)
        r = emsec_mikey_prf(h, in->prf, in->mpki, in->mpki_len, label, label_len, auth_key,
                            mac_len);
    if (r == EMSEC_OK) {
        /* RFC 6043 §5.5, Table 5.2: TRANSFER_INIT || Identity_i ||
         * Identity_r, TRANSFER_RESP || TRANSFER_INIT; the message itself
         * without its MAC field, and in TRANSFER_INIT without "the
         * Initiator Data length and Initiator Data fields in the TICKET
         * payload" (§5.5). */
        const uint8_t *part[4] = {w->out, w->out + skip + skip_len, tail1, tail2};
        const uint32_t part_len[4] = {skip, w->need - skip - skip_len, tail1_len, tail2_len};
        r = h->fn(h->ctx, sha256 ? EMSEC_MIKEY_HASH_SHA256 : EMSEC_MIKEY_HASH_SHA1, auth_key,
                  mac_len, part, part_len, 4u, w->out + w->need);
        w->need += mac_len;
    }
    memset(auth_key, 0, sizeof auth_key);
    return r;
}

static emsec_result build_init(const emsec_mikey_hmac *h, const emsec_mikey_mode3_in *in,
                               mikey_w *w)
{
    const uint32_t key_data_len = 4u + in->tgk_len + 1u + in->spi_len;
    const uint32_t tp_len = 1u + 5u + in->id_r_len;
    put_hdr(w, in, EMSEC_MIKEY_DT_TRANSFER_INIT, true, NULL, 0);
    put_t(w, EMSEC_MIKEY_PT_RANDR, in->ts_init);
    put_randr(w, EMSEC_MIKEY_PT_IDR, EMSEC_MIKEY_ROLE_I, in->randri, in->randri_len);
    put_idr(w, EMSEC_MIKEY_PT_IDR, EMSEC_MIKEY_ROLE_I, in->id_i, in->id_i_len);
    put_idr(w, EMSEC_MIKEY_PT_SP, EMSEC_MIKEY_ROLE_R, in->id_r, in->id_r_len);
    /* SP (RFC 3830 §6.10): policy 1 for the TLS crypto session; no TLS
     * parameters are defined, so the Policy param list is empty. */
    mikey_w_u8(w, EMSEC_MIKEY_PT_TICKET);
    mikey_w_u8(w, 1u);
    mikey_w_u8(w, EMSEC_MIKEY_PROT_TLS);
    mikey_w_u16(w, 0u);
    /* TICKET (RFC 6043 §6.10) */
    const uint32_t flags = mode3_flags(in->randrr_len > 0);
    mikey_w_u8(w, EMSEC_MIKEY_PT_KEMAC);
    mikey_w_u16(w, EMSEC_MIKEY_TICKET_MIKEY_BASE);
    mikey_w_u8(w, 1u); /* Subtype 1, Version 1: the MIKEY base ticket */
    mikey_w_u8(w, 1u);
    mikey_w_u8(w, (uint8_t)((in->prf << 1) | (flags >> 16)));
    mikey_w_u16(w, (uint16_t)flags);
    /* TP Data = First Payload, ..., (IDRr): here just the IDRr */
    mikey_w_u16(w, (uint16_t)tp_len);
    mikey_w_u8(w, EMSEC_MIKEY_PT_IDR);
    put_idr(w, EMSEC_MIKEY_PT_LAST, EMSEC_MIKEY_ROLE_R, in->id_r, in->id_r_len);
    mikey_w_u16(w, in->ticket_data_len);
    mikey_w_bytes(w, in->ticket_data, in->ticket_data_len);
    const uint32_t initiator_data_at = w->need;
    mikey_w_u16(w, 0u); /* no Initiator Data: no key forking (I = 0) */
    /* KEMAC (RFC 3830 §6.2): NULL encryption, one key data sub-payload
     * (§6.13) TGK with KV = SPI, NULL MAC ("the KEMAC SHALL use the NULL
     * authentication algorithm, as a MAC is included in the V payload",
     * RFC 6043 §5.2). */
    mikey_w_u8(w, EMSEC_MIKEY_PT_V);
    mikey_w_u8(w, EMSEC_MIKEY_ENCR_NULL);
    mikey_w_u16(w, (uint16_t)key_data_len);
    mikey_w_u8(w, EMSEC_MIKEY_PT_LAST);
    mikey_w_u8(w, (uint8_t)((EMSEC_MIKEY_KEY_TGK << 4) | EMSEC_MIKEY_KV_SPI));
    mikey_w_u16(w, in->tgk_len);
    mikey_w_bytes(w, in->tgk, in->tgk_len);
    mikey_w_u8(w, in->spi_len);
    mikey_w_bytes(w, in->spi, in->spi_len);
    mikey_w_u8(w, EMSEC_MIKEY_MAC_NULL);
    return put_v(h, in, w, false, initiator_data_at, 2u, in->id_i, in->id_i_len, in->id_r,
                 in->id_r_len);
}

static emsec_result build_resp(const emsec_mikey_hmac *h, const emsec_mikey_mode3_in *in,
                               mikey_w *w, const uint8_t *init, uint32_t init_len)
{
    const bool g = in->randrr_len > 0;
    /* RFC 6043 §4.2.2.3: same version, PRF and CSB ID; V = 0; one policy
     * per crypto session and its SPI given. */
    put_hdr(w, in, EMSEC_MIKEY_DT_TRANSFER_RESP, false, in->spi, in->spi_len);
    put_t(w, g ? EMSEC_MIKEY_PT_RANDR : EMSEC_MIKEY_PT_IDR, in->ts_resp);
    if (g)
        put_randr(w, EMSEC_MIKEY_PT_IDR, EMSEC_MIKEY_ROLE_R, in->randrr, in->randrr_len);
    put_idr(w, EMSEC_MIKEY_PT_V, EMSEC_MIKEY_ROLE_R, in->id_r, in->id_r_len);
    return put_v(h, in, w, true, w->need, 0u, init, init_len, NULL, 0);
}

static bool inputs_ok(const emsec_mikey_hmac *h, const emsec_mikey_mode3_in *in)
{
    return h != NULL && h->fn != NULL && mikey_prf_step(in->prf) != 0 &&
           in->randri != NULL && in->randri_len >= 16u &&
           (in->randrr != NULL || in->randrr_len == 0) &&
           in->tgk != NULL && in->tgk_len >= 1u && in->tgk_len <= MAX_KEY &&
           in->spi != NULL && in->spi_len >= 1u &&
           in->mpki != NULL && in->mpki_len >= 1u && in->mpki_len <= MAX_KEY &&
           in->id_i != NULL && in->id_i_len >= 1u && in->id_r != NULL && in->id_r_len >= 1u &&
           in->id_r_len <= 0xFFFFu - 6u &&
           (in->ticket_data != NULL || in->ticket_data_len == 0) &&
           in->psk_len >= 1u && in->psk_len <= MAX_KEY;
}

emsec_result emsec_mikey_mode3(const emsec_mikey_hmac *h, const emsec_mikey_mode3_in *in,
                               uint8_t *init, uint32_t init_cap, uint32_t *init_len,
                               uint8_t *resp, uint32_t resp_cap, uint32_t *resp_len, uint8_t *psk)
{
    mikey_w wi = {init, init_cap, 0, false};
    mikey_w wr = {resp, resp_cap, 0, false};
    emsec_result r;
    *init_len = 0;
    *resp_len = 0;
    if (!inputs_ok(h, in) || (init == NULL && init_cap != 0) || (resp == NULL && resp_cap != 0) ||
        psk == NULL)
        return EMSEC_ERR_ARGUMENT;
    r = build_init(h, in, &wi);
    *init_len = wi.need;
    if (r != EMSEC_OK)
        return r;
    r = build_resp(h, in, &wr, init, wi.need);
    *resp_len = wr.need;
    if (r != EMSEC_OK)
        return r;
    /* The PSK is the TEK (RFC 6043 §5.1.3): RANDRi in (H = 1), RANDRr in
     * when sent (G), no forking (I = 0). */
    return emsec_mikey_ticket_tek(h, in->prf, in->tgk, in->tgk_len, NULL, in->cs_id, in->randri,
                                  in->randri_len, in->randrr, in->randrr_len, psk, in->psk_len);
}
