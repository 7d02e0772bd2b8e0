/*
 * `emsec mikey decode FILE`        FILE holds one MIKEY message (bytes)
 * `emsec mikey decode --sdp FILE`  FILE is an SDP: each a=key-mgmt:mikey
 *                                  value (RFC 4567 §3.1) is base64-decoded
 *                                  and its message printed
 *
 * Prints the payload chain one payload a line (type, offset, length, the
 * fields), the key data sub-payloads of a NULL-encrypted KEMAC and the
 * crypto sessions of the HDR, then the RFC 6043 §4.2.2 component check
 * for TRANSFER_INIT / TRANSFER_RESP. Keys (key data, salts) are printed as
 * their length only: a decode is for looking at the structure, and the
 * output ends up in logs. A parse failure prints the offset and the check
 * that failed. Exit 0 when every message parses, 1 when one does not, 2 on
 * usage or I/O error.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "emsec/mikey.h"

static void mikey_usage(void)
{
    fprintf(stderr, "usage: emsec mikey decode FILE | emsec mikey decode --sdp FILE\n");
}

static void put_hex(const uint8_t *buf, emsec_span s)
{
    for (uint32_t i = 0; i < s.len; i++)
        printf("%02x", buf[s.off + i]);
}

static void print_payload(const uint8_t *buf, const emsec_mikey_payload *p, uint32_t i)
{
    printf("  %2u %-7s at %u, %u bytes:", (unsigned)i, emsec_mikey_pt_name(p->type),
           (unsigned)p->whole.off, (unsigned)p->whole.len);
    switch (p->type) {
    case EMSEC_MIKEY_PT_HDR:
        printf(" version %u, data type %u, V %u, PRF %u, CSB ID 0x%08x, #CS %u, map type %u\n",
               p->version, p->data_type, p->v_flag ? 1u : 0u, p->prf, (unsigned)p->csb_id,
               p->n_cs, p->map_type);
        for (uint32_t k = 0; k < p->cs_count && k < EMSEC_MIKEY_MAX_CS; k++) {
            const emsec_mikey_cs *c = &p->cs[k];
            printf("       CS %u: prot type %u, S %u, policies ", c->cs_id, c->prot_type,
                   c->s_flag ? 1u : 0u);
            put_hex(buf, c->policies);
            printf(", session data ");
            put_hex(buf, c->session_data);
            printf(", SPI ");
            put_hex(buf, c->spi);
            printf("\n");
        }
        return;
    case EMSEC_MIKEY_PT_T:
    case EMSEC_MIKEY_PT_TR:
        printf(" role %u, TS type %u, value ", p->role, p->ts_type);
        put_hex(buf, p->data);
        break;
    case EMSEC_MIKEY_PT_ID:
    case EMSEC_MIKEY_PT_IDR:
    case EMSEC_MIKEY_PT_CERT:
        printf(" role %u, type %u, data \"", p->role, p->id_type);
        emsec_cli_put_span(buf, p->data);
        printf("\"");
        break;
    case EMSEC_MIKEY_PT_RAND:
    case EMSEC_MIKEY_PT_RANDR:
        printf(" role %u, %u bytes ", p->role, (unsigned)p->data.len);
        put_hex(buf, p->data);
        break;
    case EMSEC_MIKEY_PT_SP:
        printf(" policy %u, prot type %u, params ", p->policy_no, p->prot_type);
        put_hex(buf, p->data);
        break;
    case EMSEC_MIKEY_PT_V:
    case EMSEC_MIKEY_PT_CHASH:
        printf(" alg %u, %u bytes ", p->alg, (unsigned)p->data.len);
        put_hex(buf, p->data);
        break;
    case EMSEC_MIKEY_PT_ERR:
        printf(" error no %u", p->alg);
        break;
    case EMSEC_MIKEY_PT_GENEXT:
        printf(" type %u, %u bytes", p->id_type, (unsigned)p->data.len);
        break;
    case EMSEC_MIKEY_PT_KEMAC:
        printf(" encr alg %u, encr data %u bytes, MAC alg %u, MAC %u bytes\n", p->encr_alg,
               (unsigned)p->data.len, p->alg, (unsigned)p->mac.len);
        for (uint32_t k = 0; k < p->key_count && k < EMSEC_MIKEY_MAX_KEYS; k++) {
            const emsec_mikey_key *kd = &p->key[k];
            printf("       key data: type %u, KV %u, key %u bytes, salt %u bytes, KV data ",
                   kd->type, kd->kv, (unsigned)kd->key.len, (unsigned)kd->salt.len);
            put_hex(buf, kd->kv_a);
            if (kd->kv_b.len > 0) {
                printf(" / ");
                put_hex(buf, kd->kv_b);
            }
            printf("\n");
        }
        return;
    case EMSEC_MIKEY_PT_TICKET:
    case EMSEC_MIKEY_PT_TP:
        printf(" ticket type %u, subtype %u, version %u, PRF %u, flags 0x%05x,"
               " TP data %u, ticket data %u, initiator data %u bytes",
               p->ticket_type, p->subtype, p->ticket_version, p->ticket_prf,
               (unsigned)p->ticket_flags, (unsigned)p->tp_data.len, (unsigned)p->ticket_data.len,
               (unsigned)p->initiator_data.len);
        break;
    default:
        break;
    }
    printf("\n");
}

/* 0 parsed, 1 refused */
static int decode_message(const uint8_t *buf, uint32_t len)
{
    emsec_mikey_msg *m = malloc(sizeof *m);
    emsec_mikey_error e;
    uint32_t at = 0;
    if (m == NULL) {
        fprintf(stderr, "emsec: out of memory\n");
        return 2;
    }
    emsec_result r = emsec_mikey_parse(buf, len, m, &e);
    if (r != EMSEC_OK) {
        printf("MIKEY message of %u bytes: refused at byte %u: %s (%s)\n", (unsigned)len,
               (unsigned)e.offset, emsec_mikey_why_name(e.why), emsec_result_name(r));
        free(m);
        return 1;
    }
    printf("MIKEY message of %u bytes, %u payloads:\n", (unsigned)len, (unsigned)m->count);
    for (uint32_t i = 0; i < m->count; i++)
        print_payload(buf, &m->payload[i], i);
    uint8_t dt = m->payload[0].data_type;
    if (dt == EMSEC_MIKEY_DT_TRANSFER_INIT || dt == EMSEC_MIKEY_DT_TRANSFER_RESP) {
        if (emsec_mikey_check_transfer(m, &at) == EMSEC_OK)
            printf("  RFC 6043 4.2.2 components: ok\n");
        else
            printf("  RFC 6043 4.2.2 components: missing or misplaced (payload %u)\n",
                   (unsigned)at);
    }
    free(m);
    return 0;
}

/* Every "a=key-mgmt:" line of the SDP (either line end). */
static int decode_sdp(const uint8_t *buf, uint32_t len)
{
    static const char attr[] = "a=key-mgmt:";
    const uint32_t alen = (uint32_t)(sizeof attr - 1u);
    int worst = 0, found = 0;
    for (uint32_t i = 0; i < len;) {
        uint32_t e = i;
        while (e < len && buf[e] != '\n')
            e++;
        uint32_t end = (e > i && buf[e - 1u] == '\r') ? e - 1u : e;
        if (end - i >= alen && memcmp(buf + i, attr, alen) == 0) {
            const char *val = (const char *)buf + i + alen;
            uint32_t vlen = end - i - alen, bad = 0, n = 0;
            emsec_span d;
            found++;
            if (emsec_mikey_sdp_value(val, vlen, &d, &bad) != EMSEC_OK) {
                printf("a=key-mgmt at byte %u: not \"mikey\" (byte %u of the value): skipped\n",
                       (unsigned)i, (unsigned)bad);
            } else {
                uint8_t *msg = malloc(d.len / 4u * 3u + 1u);
                if (msg == NULL)
                    return 2;
                emsec_result r = emsec_base64_decode(val + d.off, d.len, msg, d.len / 4u * 3u + 1u,
                                                     &n, &bad);
                if (r != EMSEC_OK) {
                    printf("a=key-mgmt:mikey at byte %u: base64 refused at byte %u of the data\n",
                           (unsigned)i, (unsigned)bad);
                    worst = worst > 1 ? worst : 1;
                } else {
                    int rc = decode_message(msg, n);
                    worst = worst > rc ? worst : rc;
                }
                free(msg);
            }
        }
        i = e + 1u;
    }
    if (found == 0) {
        printf("no a=key-mgmt line\n");
        return 1;
    }
    return worst;
}

int emsec_cmd_mikey(int argc, char **argv)
{
    bool sdp = false;
    const char *path = NULL;
    if (argc < 2 || strcmp(argv[1], "decode") != 0) {
        mikey_usage();
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--sdp") == 0 && !sdp)
            sdp = true;
        else if (path == NULL && argv[i][0] != '-')
            path = argv[i];
        else {
            mikey_usage();
            return 2;
        }
    }
    if (path == NULL) {
        mikey_usage();
        return 2;
    }
    uint32_t len = 0;
    uint8_t *buf = emsec_cli_read_file(path, &len);
    if (buf == NULL)
        return 2;
    int rc = sdp ? decode_sdp(buf, len) : decode_message(buf, len);
    free(buf);
    return rc;
}
