/*
 * adapters/ctl/ctl_mikey.c: MIKEY-TICKET for emsec-ctl (see ctl_mikey.h).
 * The randomness, the clock and the HMAC are here (adapters); the message
 * building, parsing and key derivation are the core's (core/mikey_*.c).
 */
#include "ctl_mikey.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../crypto/hmac_openssl.h"
#include "emsec/mikey.h"

#define MSG_MAX 2048u

/* NTP-UTC (RFC 3830 §6.6): seconds since 1900 and a binary fraction. */
static void ntp_now(uint8_t ts[8])
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    uint64_t sec = (uint64_t)t.tv_sec + 2208988800u;
    uint64_t frac = ((uint64_t)t.tv_nsec << 32) / 1000000000u;
    uint64_t v = (sec << 32) | (frac & 0xffffffffu);
    for (int i = 7; i >= 0; i--, v >>= 8)
        ts[i] = (uint8_t)v;
}

static bool write_b64(const char *dir, const char *name, const uint8_t *msg, uint32_t len)
{
    char b64[MSG_MAX * 2], path[512];
    uint32_t n;
    if (emsec_base64_encode(msg, len, b64, sizeof b64, &n) != EMSEC_OK)
        return false;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return false;
    bool ok = fwrite(b64, 1, n, f) == n && fputc('\n', f) != EOF;
    return fclose(f) == 0 && ok;
}

bool ctl_mikey_mode3(const char *dir, uint8_t *psk)
{
    uint8_t tgk[32], randri[16], randrr[16], mpki[32], spi[4], ticket[16], csb[4];
    if (RAND_bytes(tgk, sizeof tgk) != 1 || RAND_bytes(randri, sizeof randri) != 1 ||
        RAND_bytes(randrr, sizeof randrr) != 1 || RAND_bytes(mpki, sizeof mpki) != 1 ||
        RAND_bytes(spi, sizeof spi) != 1 || RAND_bytes(ticket, sizeof ticket) != 1 ||
        RAND_bytes(csb, sizeof csb) != 1) {
        fprintf(stderr, "emsec-ctl: no random bytes from OpenSSL\n");
        return false;
    }
    static const char id_i[] = "sip:mrfc@ims.example", id_r[] = "sip:ue@ims.example";
    emsec_mikey_mode3_in in;
    memset(&in, 0, sizeof in);
    in.prf = EMSEC_MIKEY_PRF_HMAC_SHA256;
    in.csb_id = (uint32_t)csb[0] << 24 | (uint32_t)csb[1] << 16 | (uint32_t)csb[2] << 8 | csb[3];
    in.cs_id = 1u;
    ntp_now(in.ts_init);
    ntp_now(in.ts_resp);
    in.randri = randri;
    in.randri_len = sizeof randri;
    in.randrr = randrr;
    in.randrr_len = sizeof randrr;
    in.tgk = tgk;
    in.tgk_len = sizeof tgk;
    in.spi = spi;
    in.spi_len = sizeof spi;
    in.mpki = mpki;
    in.mpki_len = sizeof mpki;
    in.id_i = (const uint8_t *)id_i;
    in.id_i_len = (uint16_t)strlen(id_i);
    in.id_r = (const uint8_t *)id_r;
    in.id_r_len = (uint16_t)strlen(id_r);
    in.ticket_data = ticket;
    in.ticket_data_len = sizeof ticket;
    in.psk_len = CTL_MIKEY_PSK_LEN;
    emsec_mikey_hmac h = { emsec_hmac_openssl, NULL };
    uint8_t init[MSG_MAX], resp[MSG_MAX];
    uint32_t il, rl;
    emsec_result r = emsec_mikey_mode3(&h, &in, init, sizeof init, &il, resp, sizeof resp, &rl, psk);
    if (r != EMSEC_OK) {
        fprintf(stderr, "emsec-ctl: MIKEY-TICKET mode 3 failed: %s\n", emsec_result_name(r));
        return false;
    }
    if (!write_b64(dir, "transfer_init.b64", init, il) || !write_b64(dir, "transfer_resp.b64", resp, rl)) {
        fprintf(stderr, "emsec-ctl: %s: cannot write the MIKEY messages\n", dir);
        return false;
    }
    printf("ctl: MIKEY-TICKET mode 3 (RFC 6043 s4.1.1): TRANSFER_INIT %u bytes, TRANSFER_RESP %u bytes, "
           "PRF-HMAC-SHA-256, CSB ID %08x, CS 1; TEK per RFC 6043 s5.1.3 = the %u-byte TLS PSK (not shown)\n",
           (unsigned)il, (unsigned)rl, (unsigned)in.csb_id, CTL_MIKEY_PSK_LEN);
    return true;
}

static bool read_msg(const char *path, uint8_t *buf, uint32_t *len)
{
    char b64[MSG_MAX * 2];
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "emsec-ctl: %s: cannot open\n", path);
        return false;
    }
    size_t n = fread(b64, 1, sizeof b64 - 1u, f);
    fclose(f);
    while (n > 0 && (b64[n - 1] == '\n' || b64[n - 1] == '\r'))
        n--;
    uint32_t bad;
    if (emsec_base64_decode(b64, (uint32_t)n, buf, MSG_MAX, len, &bad) != EMSEC_OK) {
        fprintf(stderr, "emsec-ctl: %s: not base64 (at %u)\n", path, (unsigned)bad);
        return false;
    }
    return true;
}

static emsec_mikey_msg mi_msg, mr_msg;

static const emsec_mikey_payload *find(const emsec_mikey_msg *m, emsec_mikey_pt t, uint8_t role)
{
    uint32_t i = emsec_mikey_find(m, t, role, 0u);
    return i < m->count ? &m->payload[i] : NULL;
}

int ctl_mikey_ue(const char *init_b64, const char *resp_b64)
{
    uint8_t ib[MSG_MAX], rb[MSG_MAX];
    uint32_t il, rl, at;
    emsec_mikey_error e;
    if (!read_msg(init_b64, ib, &il) || !read_msg(resp_b64, rb, &rl))
        return 2;
    if (emsec_mikey_parse(ib, il, &mi_msg, &e) != EMSEC_OK || emsec_mikey_parse(rb, rl, &mr_msg, &e) != EMSEC_OK) {
        fprintf(stderr, "emsec-ctl: MIKEY message refused: %s at byte %u\n", emsec_mikey_why_name(e.why),
                (unsigned)e.offset);
        return 1;
    }
    if (emsec_mikey_check_transfer(&mi_msg, &at) != EMSEC_OK || emsec_mikey_check_transfer(&mr_msg, &at) != EMSEC_OK ||
        mi_msg.payload[0].data_type != EMSEC_MIKEY_DT_TRANSFER_INIT ||
        mr_msg.payload[0].data_type != EMSEC_MIKEY_DT_TRANSFER_RESP || mi_msg.payload[0].cs_count < 1u) {
        fprintf(stderr, "emsec-ctl: not a TRANSFER_INIT / TRANSFER_RESP pair (RFC 6043 s4.2.2)\n");
        return 1;
    }
    const emsec_mikey_payload *kemac = find(&mi_msg, EMSEC_MIKEY_PT_KEMAC, 0u);
    const emsec_mikey_payload *ticket = find(&mi_msg, EMSEC_MIKEY_PT_TICKET, 0u);
    const emsec_mikey_payload *ri = find(&mi_msg, EMSEC_MIKEY_PT_RANDR, EMSEC_MIKEY_ROLE_I);
    const emsec_mikey_payload *rr = find(&mr_msg, EMSEC_MIKEY_PT_RANDR, EMSEC_MIKEY_ROLE_R);
    const emsec_mikey_key *tgk = NULL;
    for (uint32_t k = 0; kemac != NULL && k < kemac->key_count; k++)
        if (kemac->key[k].type == EMSEC_MIKEY_KEY_TGK)
            tgk = &kemac->key[k];
    if (tgk == NULL || ticket == NULL || ri == NULL) {
        fprintf(stderr, "emsec-ctl: TRANSFER_INIT lacks the TGK (KEMAC), the TICKET or RANDRi\n");
        return 1;
    }
    /* RFC 6043 §5.1.3: RANDRi enters when the ticket's H flag is set,
     * RANDRr when G is */
    bool h = (ticket->ticket_flags & EMSEC_MIKEY_TF_H) != 0u, g = (ticket->ticket_flags & EMSEC_MIKEY_TF_G) != 0u;
    if (g && rr == NULL) {
        fprintf(stderr, "emsec-ctl: the ticket's G flag asks for RANDRr, TRANSFER_RESP has none\n");
        return 1;
    }
    emsec_mikey_hmac hm = { emsec_hmac_openssl, NULL };
    uint8_t tek[CTL_MIKEY_PSK_LEN];
    emsec_result r = emsec_mikey_ticket_tek(&hm, mi_msg.payload[0].prf, ib + tgk->key.off, tgk->key.len, NULL,
                                            mi_msg.payload[0].cs[0].cs_id, h ? ib + ri->data.off : NULL,
                                            h ? (uint8_t)ri->data.len : 0u, g ? rb + rr->data.off : NULL,
                                            g ? (uint8_t)rr->data.len : 0u, tek, sizeof tek);
    if (r != EMSEC_OK) {
        fprintf(stderr, "emsec-ctl: TEK derivation failed: %s\n", emsec_result_name(r));
        return 1;
    }
    for (unsigned i = 0; i < sizeof tek; i++)
        printf("%02x", tek[i]);
    printf("\n");
    return 0;
}
