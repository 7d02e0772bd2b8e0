/*
 * `emsec sdp [--h248] [--lenient] FILE`: parse an SDP file and print its
 * parsed form, one line per field or attribute with its section, kind and
 * typed value:
 *
 *   session:
 *     v= 0
 *     o= username alice sess-id 2890844526 sess-version 2890844527 IN IP4 alice.example.com
 *     c= IN IP4 alice.example.com
 *   media 1: message port 7394 proto TCP/MSRP fmt *
 *     a=setup active
 *     a=fingerprint sha-256 19:E2:...
 *
 * In H.248 mode (--h248) every description of the file is printed, each
 * under "description N:". Exit 0 if the file parses; on a refusal prints
 *   emsec: FILE: offset N (line L, column C): rule NAME
 * and exits 1; usage or I/O error exits 2.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "emsec/result.h"
#include "emsec/sdp.h"

static void sdp_usage(void)
{
    fprintf(stderr, "usage: emsec sdp [--h248] [--lenient] FILE\n"
                    "  --h248     H.248.1 form: o=/s=/t= optional, $ and - values\n"
                    "  --lenient  every EMSEC_SDP_LENIENT_* leniency on\n");
}

static void put_choice(const uint8_t *buf, uint8_t choice, emsec_span s)
{
    switch (choice) {
    case EMSEC_SDP_CHOOSE:
        fputs("$ (choose)", stdout);
        break;
    case EMSEC_SDP_UNSPECIFIED:
        fputs("- (unspecified)", stdout);
        break;
    default:
        emsec_cli_put_span(buf, s);
        break;
    }
}

static const char *setup_name(emsec_sdp_setup v)
{
    switch (v) {
    case EMSEC_SDP_SETUP_ACTIVE: return "active";
    case EMSEC_SDP_SETUP_PASSIVE: return "passive";
    case EMSEC_SDP_SETUP_ACTPASS: return "actpass";
    case EMSEC_SDP_SETUP_HOLDCONN: return "holdconn";
    case EMSEC_SDP_SETUP_CHOOSE: return "$ (choose)";
    case EMSEC_SDP_SETUP_UNSPECIFIED: return "- (unspecified)";
    case EMSEC_SDP_SETUP_NONE: return "none";
    default: return "?";
    }
}

static const char *connval_name(emsec_sdp_connval v)
{
    switch (v) {
    case EMSEC_SDP_CONNVAL_NEW: return "new";
    case EMSEC_SDP_CONNVAL_EXISTING: return "existing";
    case EMSEC_SDP_CONNVAL_CHOOSE: return "$ (choose)";
    case EMSEC_SDP_CONNVAL_UNSPECIFIED: return "- (unspecified)";
    case EMSEC_SDP_CONNVAL_NONE: return "none";
    default: return "?";
    }
}

static const char *hash_name(emsec_sdp_hash h)
{
    switch (h) {
    case EMSEC_SDP_HASH_SHA1: return "sha-1";
    case EMSEC_SDP_HASH_SHA224: return "sha-224";
    case EMSEC_SDP_HASH_SHA256: return "sha-256";
    case EMSEC_SDP_HASH_SHA384: return "sha-384";
    case EMSEC_SDP_HASH_SHA512: return "sha-512";
    case EMSEC_SDP_HASH_MD5: return "md5";
    case EMSEC_SDP_HASH_MD2: return "md2";
    case EMSEC_SDP_HASH_OTHER: return NULL;
    default: return NULL;
    }
}

static void print_fingerprint(const uint8_t *buf, const emsec_sdp_attr *a)
{
    const emsec_sdp_fingerprint *f = &a->u.fingerprint;
    const char *hn = hash_name(f->hash);
    if (hn != NULL) {
        fputs(hn, stdout);
    } else {
        emsec_cli_put_span(buf, f->hash_name);
        fputs(" (unknown hash)", stdout);
    }
    putchar(' ');
    if (a->choice != EMSEC_SDP_VALUE) {
        put_choice(buf, a->choice, f->value);
    } else {
        emsec_cli_put_span(buf, f->value);
        printf(" (%u bytes)", (unsigned)f->bytes);
    }
}

static void print_floorctrl(uint32_t bits)
{
    bool any = false;
    if (bits & EMSEC_SDP_FLOORCTRL_C_ONLY) {
        fputs("c-only", stdout);
        any = true;
    }
    if (bits & EMSEC_SDP_FLOORCTRL_S_ONLY) {
        printf("%ss-only", any ? " " : "");
        any = true;
    }
    if (bits & EMSEC_SDP_FLOORCTRL_C_S) {
        printf("%sc-s", any ? " " : "");
    }
}

static void print_attr(const uint8_t *buf, const emsec_sdp_attr *a)
{
    fputs("  a=", stdout);
    emsec_cli_put_span(buf, a->name);
    putchar(' ');
    switch (a->kind) {
    case EMSEC_SDP_ATTR_SETUP:
        fputs(setup_name(a->u.setup), stdout);
        break;
    case EMSEC_SDP_ATTR_CONNECTION:
        fputs(connval_name(a->u.connection), stdout);
        break;
    case EMSEC_SDP_ATTR_FINGERPRINT:
        print_fingerprint(buf, a);
        break;
    case EMSEC_SDP_ATTR_TLS_ID:
        put_choice(buf, a->choice, a->u.tls_id);
        break;
    case EMSEC_SDP_ATTR_PATH:
        emsec_cli_put_span(buf, a->u.path.first);
        if (a->u.path.count > 1) {
            fputs(" ... ", stdout);
            emsec_cli_put_span(buf, a->u.path.last);
        }
        printf(" (%u URI%s)", (unsigned)a->u.path.count, a->u.path.count == 1 ? "" : "s");
        break;
    case EMSEC_SDP_ATTR_ACCEPT_TYPES:
        emsec_cli_put_span(buf, a->value);
        printf(" (%u type%s)", (unsigned)a->u.list.count, a->u.list.count == 1 ? "" : "s");
        break;
    case EMSEC_SDP_ATTR_MSRP_CEMA:
        fputs("(flag)", stdout);
        break;
    case EMSEC_SDP_ATTR_KEY_MGMT:
        emsec_cli_put_span(buf, a->u.key_mgmt.protocol);
        printf(" data %u base64 chars", (unsigned)a->u.key_mgmt.data.len);
        break;
    case EMSEC_SDP_ATTR_FLOORCTRL:
        print_floorctrl(a->u.floorctrl);
        break;
    case EMSEC_SDP_ATTR_CONFID:
    case EMSEC_SDP_ATTR_USERID:
        printf("%u", (unsigned)a->u.number);
        break;
    case EMSEC_SDP_ATTR_FLOORID:
        printf("floor %u, %u stream%s", (unsigned)a->u.floorid.floor,
               (unsigned)a->u.floorid.stream_count, a->u.floorid.stream_count == 1 ? "" : "s");
        if (a->u.floorid.stream_count > 0) {
            fputs(" (", stdout);
            emsec_cli_put_span(buf, a->u.floorid.streams);
            putchar(')');
        }
        break;
    case EMSEC_SDP_ATTR_BFCPVER:
        emsec_cli_put_span(buf, a->value);
        printf(" (versions mask 0x%X)", (unsigned)a->u.list.mask);
        break;
    case EMSEC_SDP_ATTR_UNKNOWN:
    default:
        if (a->has_value) {
            put_choice(buf, a->choice, a->value);
            fputs(" (untyped)", stdout);
        } else {
            fputs("(flag, untyped)", stdout);
        }
        break;
    }
    putchar('\n');
}

static void print_origin(const uint8_t *buf, const emsec_sdp_origin *o)
{
    fputs("username ", stdout);
    emsec_cli_put_span(buf, o->username);
    fputs(" sess-id ", stdout);
    emsec_cli_put_span(buf, o->sess_id);
    fputs(" sess-version ", stdout);
    emsec_cli_put_span(buf, o->sess_version);
    putchar(' ');
    emsec_cli_put_span(buf, o->nettype);
    putchar(' ');
    emsec_cli_put_span(buf, o->addrtype);
    putchar(' ');
    put_choice(buf, o->address_choice, o->address);
}

static void print_conn(const uint8_t *buf, const emsec_sdp_conn *c)
{
    emsec_cli_put_span(buf, c->nettype);
    putchar(' ');
    emsec_cli_put_span(buf, c->addrtype);
    putchar(' ');
    put_choice(buf, c->address_choice, c->address);
}

static void print_media_head(const uint8_t *buf, uint32_t n, const emsec_sdp_media *m)
{
    printf("media %u: ", (unsigned)n);
    emsec_cli_put_span(buf, m->media);
    fputs(" port ", stdout);
    put_choice(buf, m->port_choice, m->port);
    if (m->port_count.len > 0) {
        printf("/%u", (unsigned)m->port_count_value);
    }
    fputs(" proto ", stdout);
    emsec_cli_put_span(buf, m->proto_span);
    fputs(" fmt ", stdout);
    emsec_cli_put_span(buf, m->fmts);
    putchar('\n');
}

static void print_line(const uint8_t *buf, const emsec_sdp *sdp, const emsec_sdp_line *ln,
                       bool first_c)
{
    printf("  %c= ", ln->type);
    if (ln->type == 'o' && sdp->origin.present) {
        print_origin(buf, &sdp->origin);
    } else if (ln->type == 'c' && first_c) {
        print_conn(buf, ln->section == 0 ? &sdp->conn : &sdp->media[ln->section - 1u].conn);
    } else {
        emsec_cli_put_span(buf, ln->value);
    }
    putchar('\n');
}

static void print_sdp(const uint8_t *buf, const emsec_sdp *sdp)
{
    uint32_t li = 0, ai = 0;
    for (uint32_t s = 0; s <= sdp->media_count; s++) {
        bool seen_c = false;
        if (s == 0) {
            puts("session:");
        }
        for (; li < sdp->line_count && sdp->lines[li].section == s; li++) {
            const emsec_sdp_line *ln = &sdp->lines[li];
            if (ln->type == 'm') {
                print_media_head(buf, s, &sdp->media[s - 1u]);
                continue;
            }
            print_line(buf, sdp, ln, ln->type == 'c' && !seen_c);
            seen_c = seen_c || ln->type == 'c';
        }
        for (; ai < sdp->attr_count && sdp->attrs[ai].section == s; ai++) {
            print_attr(buf, &sdp->attrs[ai]);
        }
    }
}

/* Line and column (1-based) of byte `off`. */
static void line_col(const uint8_t *buf, uint32_t len, uint32_t off, uint32_t *line,
                     uint32_t *col)
{
    uint32_t l = 1, start = 0;
    for (uint32_t i = 0; i < off && i < len; i++) {
        if (buf[i] == '\n') {
            l++;
            start = i + 1u;
        }
    }
    *line = l;
    *col = off - start + 1u;
}

int emsec_cmd_sdp(int argc, char **argv)
{
    emsec_sdp_mode mode = EMSEC_SDP_MODE_FULL;
    uint32_t flags = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--h248") == 0) {
            mode = EMSEC_SDP_MODE_H248;
        } else if (strcmp(argv[i], "--lenient") == 0) {
            flags = EMSEC_SDP_LENIENT_ALL;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            sdp_usage();
            return 2;
        } else if (path == NULL) {
            path = argv[i];
        } else {
            sdp_usage();
            return 2;
        }
    }
    if (path == NULL) {
        sdp_usage();
        return 2;
    }

    uint32_t len = 0;
    uint8_t *buf = emsec_cli_read_file(path, &len);
    if (buf == NULL) {
        return 2;
    }
    emsec_sdp *sdp = malloc(sizeof *sdp);
    if (sdp == NULL) {
        fprintf(stderr, "emsec: %s: out of memory\n", path);
        free(buf);
        return 2;
    }

    int rc = 0;
    uint32_t start = 0;
    for (uint32_t n = 1;; n++) {
        emsec_sdp_error err;
        emsec_result r = emsec_sdp_parse_from(sdp, mode, flags, buf, len, start, &err);
        if (r != EMSEC_OK) {
            uint32_t line, col;
            line_col(buf, len, err.offset, &line, &col);
            fflush(stdout);
            fprintf(stderr, "emsec: %s: offset %u (line %u, column %u): rule %s\n", path,
                    (unsigned)err.offset, (unsigned)line, (unsigned)col,
                    emsec_sdp_rule_name(err.rule));
            rc = 1;
            break;
        }
        if (mode == EMSEC_SDP_MODE_H248 && (n > 1 || sdp->has_next)) {
            printf("description %u:\n", (unsigned)n);
        }
        print_sdp(buf, sdp);
        if (!sdp->has_next || sdp->next <= start) {
            break;
        }
        start = sdp->next;
    }
    free(sdp);
    free(buf);
    return rc;
}
