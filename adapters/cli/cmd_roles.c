/*
 * `emsec roles OFFER ANSWER --side offerer|answerer [--existing-tls]
 *              [--previous-offer F --previous-answer F] [--h248] [--lenient]`
 *
 * Parse an SDP offer and its answer, pair their m= lines by index (RFC 3264
 * §6: the answer has as many m= lines as the offer) and, for every TCP-based
 * m= line (and T.38, UDP or DTLS), decide the gateway's TCP and TLS roles with
 * emsec_roles_resolve(). For each m= line it prints the input, the decision,
 * and the two table rows that made it, rebuilt from the compiled tables:
 *
 *   media 1 (msrp, tls): offer setup actpass, answer setup active, connection
 *     absent/absent, tls-id absent/absent, existing no            (one line)
 *     decision: tcp passive, tls server, new connection yes, new tls yes
 *     setup table row 87: msrp tls actpass active -> ok offerer=passive ...
 *     reuse table row 19: msrp absent absent no -> new
 *
 * RTP and other media print one line and are skipped; a rejected stream
 * (answer port 0) likewise. Exit 0 when every resolved m= line is accepted,
 * 1 when one is refused or a file does not parse, 2 on usage or I/O error.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "emsec/result.h"
#include "emsec/roles.h"
#include "emsec/sdp.h"
#include "roles_table.h"

static void roles_usage(void)
{
    fprintf(stderr,
            "usage: emsec roles OFFER ANSWER --side offerer|answerer [--existing-tls]\n"
            "                   [--previous-offer F --previous-answer F] [--h248] [--lenient]\n"
            "  --side S            the gateway's side of the exchange\n"
            "  --existing-tls      a connection (and its TLS session) is up for these m= lines\n"
            "  --previous-offer F  the offer of the exchange that set up the existing session\n"
            "  --previous-answer F its answer (a=tls-id values are compared with these)\n"
            "  --h248              H.248.1 form (o=/s=/t= optional)\n"
            "  --lenient           every EMSEC_SDP_LENIENT_* leniency on\n");
}

/* ------------------------------------------------------------ files */

typedef struct sdp_file {
    const char *path;
    uint8_t *buf;
    uint32_t len;
    emsec_sdp *sdp;
} sdp_file;

static void sdp_file_free(sdp_file *f)
{
    free(f->sdp);
    free(f->buf);
    f->sdp = NULL;
    f->buf = NULL;
}

/* Read and parse one file. Returns 0, 1 (parse error, printed) or 2 (I/O). */
static int sdp_file_load(sdp_file *f, const char *path, emsec_sdp_mode mode, uint32_t flags)
{
    f->path = path;
    f->buf = emsec_cli_read_file(path, &f->len);
    f->sdp = NULL;
    if (f->buf == NULL) {
        return 2;
    }
    f->sdp = malloc(sizeof *f->sdp);
    if (f->sdp == NULL) {
        fprintf(stderr, "emsec: %s: out of memory\n", path);
        sdp_file_free(f);
        return 2;
    }
    emsec_sdp_error err;
    emsec_result r = emsec_sdp_parse(f->sdp, mode, flags, f->buf, f->len, &err);
    if (r != EMSEC_OK) {
        fflush(stdout);
        fprintf(stderr, "emsec: %s: offset %u: rule %s\n", path, (unsigned)err.offset,
                emsec_sdp_rule_name(err.rule));
        sdp_file_free(f);
        return 1;
    }
    if (f->sdp->has_next) {
        printf("note: %s: more than one description; only the first is used\n", path);
    }
    return 0;
}

/* ------------------------------------------------------------ mapping */

/* proto -> (kind, secured); false for media without roles (RTP, other). */
static bool map_proto(emsec_sdp_proto p, emsec_media_kind *kind, bool *secured)
{
    switch (p) {
    case EMSEC_SDP_PROTO_TCP_MSRP:
        *kind = EMSEC_KIND_MSRP;
        *secured = false;
        return true;
    case EMSEC_SDP_PROTO_TCP_TLS_MSRP:
        *kind = EMSEC_KIND_MSRP;
        *secured = true;
        return true;
    case EMSEC_SDP_PROTO_TCP_BFCP:
        *kind = EMSEC_KIND_BFCP;
        *secured = false;
        return true;
    case EMSEC_SDP_PROTO_TCP_TLS_BFCP:
    case EMSEC_SDP_PROTO_TCP_DTLS_BFCP:
        *kind = EMSEC_KIND_BFCP;
        *secured = true;
        return true;
    case EMSEC_SDP_PROTO_TCP:
        *kind = EMSEC_KIND_TCP;
        *secured = false;
        return true;
    case EMSEC_SDP_PROTO_TCP_TLS:
    case EMSEC_SDP_PROTO_TLS:
        *kind = EMSEC_KIND_TCP;
        *secured = true;
        return true;
    case EMSEC_SDP_PROTO_UDPTL:
        *kind = EMSEC_KIND_T38;
        *secured = false;
        return true;
    case EMSEC_SDP_PROTO_UDP_TLS_UDPTL:
        *kind = EMSEC_KIND_T38;
        *secured = true;
        return true;
    case EMSEC_SDP_PROTO_OTHER:
    case EMSEC_SDP_PROTO_RTP_AVP:
    case EMSEC_SDP_PROTO_RTP_SAVP:
    case EMSEC_SDP_PROTO_RTP_AVPF:
    case EMSEC_SDP_PROTO_RTP_SAVPF:
    case EMSEC_SDP_PROTO_UDP_TLS_RTP_SAVP:
    case EMSEC_SDP_PROTO_UDP_TLS_RTP_SAVPF:
    case EMSEC_SDP_PROTO_UDP:
    case EMSEC_SDP_PROTO__COUNT:
    default:
        return false;
    }
}

/* SDP a=setup -> roles a=setup; false for the H.248 `$` / `-` values, which
 * leave the choice to the gateway and so cannot be resolved here. */
static bool map_setup(emsec_sdp_setup v, emsec_setup *out)
{
    switch (v) {
    case EMSEC_SDP_SETUP_NONE:
        *out = EMSEC_SETUP_ABSENT;
        return true;
    case EMSEC_SDP_SETUP_ACTIVE:
        *out = EMSEC_SETUP_ACTIVE;
        return true;
    case EMSEC_SDP_SETUP_PASSIVE:
        *out = EMSEC_SETUP_PASSIVE;
        return true;
    case EMSEC_SDP_SETUP_ACTPASS:
        *out = EMSEC_SETUP_ACTPASS;
        return true;
    case EMSEC_SDP_SETUP_HOLDCONN:
        *out = EMSEC_SETUP_HOLDCONN;
        return true;
    case EMSEC_SDP_SETUP_CHOOSE:
    case EMSEC_SDP_SETUP_UNSPECIFIED:
    default:
        return false;
    }
}

static bool map_connection(emsec_sdp_connval v, emsec_connection *out)
{
    switch (v) {
    case EMSEC_SDP_CONNVAL_NONE:
        *out = EMSEC_CONNECTION_ABSENT;
        return true;
    case EMSEC_SDP_CONNVAL_NEW:
        *out = EMSEC_CONNECTION_NEW;
        return true;
    case EMSEC_SDP_CONNVAL_EXISTING:
        *out = EMSEC_CONNECTION_EXISTING;
        return true;
    case EMSEC_SDP_CONNVAL_CHOOSE:
    case EMSEC_SDP_CONNVAL_UNSPECIFIED:
    default:
        return false;
    }
}

/*
 * a=tls-id of media mi of `cur`, classified against the same m= line of
 * `prev` (NULL when no previous exchange was given). *unknown is set when the
 * history is unknown and the value is taken as unchanged.
 */
static emsec_tls_id classify_tls_id(const sdp_file *cur, uint32_t mi, const sdp_file *prev,
                                    bool existing, bool *unknown)
{
    const emsec_sdp_attr *a = emsec_sdp_media_tls_id(cur->sdp, mi);
    if (a == NULL) {
        return EMSEC_TLS_ID_ABSENT;
    }
    if (a->choice != EMSEC_SDP_VALUE) {
        /* H.248 `$` / `-`: the gateway will pick a fresh value. */
        return EMSEC_TLS_ID_NEW;
    }
    if (prev == NULL) {
        if (existing) {
            *unknown = true;
            return EMSEC_TLS_ID_SAME;
        }
        return EMSEC_TLS_ID_NEW;
    }
    if (mi >= prev->sdp->media_count) {
        return EMSEC_TLS_ID_NEW;
    }
    const emsec_sdp_attr *p = emsec_sdp_media_tls_id(prev->sdp, mi);
    if (p == NULL || p->choice != EMSEC_SDP_VALUE || p->u.tls_id.len != a->u.tls_id.len) {
        return EMSEC_TLS_ID_NEW;
    }
    if (memcmp(prev->buf + p->u.tls_id.off, cur->buf + a->u.tls_id.off, a->u.tls_id.len) != 0) {
        return EMSEC_TLS_ID_NEW;
    }
    return EMSEC_TLS_ID_SAME;
}

/* ------------------------------------------------------------ table rows */

static const char *tls_client_name(emsec_tls_client c)
{
    switch (c) {
    case EMSEC_TLS_CLIENT_OFFERER: return "offerer";
    case EMSEC_TLS_CLIENT_ANSWERER: return "answerer";
    case EMSEC_TLS_CLIENT_NONE:
    default: return "none";
    }
}

static const char *reuse_class_name(unsigned c)
{
    switch (c) {
    case EMSEC_REUSE_CONNECTION: return "connection";
    case EMSEC_REUSE_MSRP: return "msrp";
    case EMSEC_REUSE_UDP: return "udp";
    default: return "?";
    }
}

/* The two cells the resolver read for `in`: the same indices it uses, so the
 * printed rows are the ones that decided (their numbers are in the decision). */
static const emsec_setup_row *setup_cell(const emsec_role_input *in)
{
    return &emsec_setup_table[in->kind][in->secured ? 1 : 0][in->offer_setup][in->answer_setup];
}

static const emsec_reuse_row *reuse_cell(const emsec_role_input *in)
{
    return &emsec_reuse_table[emsec_reuse_class_of(in->kind)][in->offer_connection]
                             [in->answer_connection][in->existing ? 1 : 0];
}

/* Print the setup-table cell of `in` as spec/roles.tbl words. */
static void print_setup_row(const emsec_role_input *in)
{
    const emsec_setup_row *c = setup_cell(in);
    printf("setup table row %u: %s %s %s %s -> ", (unsigned)c->row,
           emsec_media_kind_name(in->kind), in->secured ? "tls" : "plain",
           emsec_setup_name(in->offer_setup), emsec_setup_name(in->answer_setup));
    if (c->refusal != EMSEC_REFUSAL_NONE) {
        printf("refuse %s", emsec_refusal_name(c->refusal));
    } else {
        printf("ok offerer=%s answerer=%s tlsclient=%s", emsec_tcp_role_name(c->offerer_tcp),
               emsec_tcp_role_name(c->answerer_tcp), tls_client_name(c->tls_client));
    }
}

/* Print the reuse-table cell of `in` as spec/reuse.tbl words. */
static void print_reuse_row(const emsec_role_input *in)
{
    const emsec_reuse_row *r = reuse_cell(in);
    printf("reuse table row %u: %s %s %s %s -> ", (unsigned)r->row,
           reuse_class_name(emsec_reuse_class_of(in->kind)),
           emsec_connection_name(in->offer_connection),
           emsec_connection_name(in->answer_connection), in->existing ? "yes" : "no");
    switch (r->verdict) {
    case EMSEC_REUSE_NEW:
        fputs("new", stdout);
        break;
    case EMSEC_REUSE_KEEP:
        fputs("keep", stdout);
        break;
    case EMSEC_REUSE_REFUSE:
    default:
        printf("refuse %s", emsec_refusal_name(r->refusal));
        break;
    }
}

/* ------------------------------------------------------------ one m= line */

typedef struct roles_opts {
    emsec_side side;
    bool existing;
    bool have_previous;
} roles_opts;

/* Resolve media mi. Returns 0 accepted or skipped, 1 refused / unresolvable. */
static int resolve_media(uint32_t mi, const sdp_file *offer, const sdp_file *answer,
                         const sdp_file *prev_offer, const sdp_file *prev_answer,
                         const roles_opts *opt)
{
    const unsigned n = (unsigned)mi + 1u;
    const emsec_sdp_media *om = &offer->sdp->media[mi];
    const emsec_sdp_media *am = &answer->sdp->media[mi];

    emsec_media_kind kind = EMSEC_KIND_TCP;
    bool secured = false;
    if (!map_proto(om->proto, &kind, &secured)) {
        printf("media %u: ", n);
        emsec_cli_put_span(offer->buf, om->proto_span);
        puts(": not TCP-based media, no roles");
        return 0;
    }
    if (am->port_choice == EMSEC_SDP_VALUE && am->port_value == 0) {
        printf("media %u: rejected (port 0)\n", n);
        return 0;
    }
    /* RFC 3264 s6: an accepted stream keeps the offer's transport. */
    if (am->proto != om->proto) {
        printf("media %u: ", n);
        emsec_cli_put_span(offer->buf, om->proto_span);
        fputs(" offered, ", stdout);
        emsec_cli_put_span(answer->buf, am->proto_span);
        puts(" answered: proto mismatch, no roles");
        return 1;
    }

    emsec_role_input in;
    memset(&in, 0, sizeof in);
    in.kind = kind;
    in.secured = secured;
    in.side = opt->side;
    in.existing = opt->existing;
    if (!map_setup(emsec_sdp_media_setup(offer->sdp, mi), &in.offer_setup) ||
        !map_setup(emsec_sdp_media_setup(answer->sdp, mi), &in.answer_setup)) {
        printf("media %u (%s, %s): a=setup is $ or - (H.248: left to the gateway): "
               "no roles to resolve\n",
               n, emsec_media_kind_name(kind), secured ? "tls" : "plain");
        return 1;
    }
    if (!map_connection(emsec_sdp_media_connection(offer->sdp, mi), &in.offer_connection) ||
        !map_connection(emsec_sdp_media_connection(answer->sdp, mi), &in.answer_connection)) {
        printf("media %u (%s, %s): a=connection is $ or - (H.248: left to the gateway): "
               "no roles to resolve\n",
               n, emsec_media_kind_name(kind), secured ? "tls" : "plain");
        return 1;
    }
    bool unknown = false;
    in.offer_tls_id = classify_tls_id(offer, mi, opt->have_previous ? prev_offer : NULL,
                                      opt->existing, &unknown);
    in.answer_tls_id = classify_tls_id(answer, mi, opt->have_previous ? prev_answer : NULL,
                                       opt->existing, &unknown);

    printf("media %u (%s, %s): offer setup %s, answer setup %s, connection %s/%s, "
           "tls-id %s/%s, existing %s\n",
           n, emsec_media_kind_name(kind), secured ? "tls" : "plain",
           emsec_setup_name(in.offer_setup), emsec_setup_name(in.answer_setup),
           emsec_connection_name(in.offer_connection),
           emsec_connection_name(in.answer_connection), emsec_tls_id_name(in.offer_tls_id),
           emsec_tls_id_name(in.answer_tls_id), in.existing ? "yes" : "no");
    if (unknown) {
        puts("  note: tls-id history unknown: taken as unchanged");
    }

    emsec_role_decision d;
    emsec_result r = emsec_roles_resolve(&in, &d);
    if (r == EMSEC_OK) {
        printf("  decision: tcp %s, tls %s, new connection %s, new tls %s\n",
               emsec_tcp_role_name(d.tcp), emsec_tls_role_name(d.tls),
               d.new_connection ? "yes" : "no", d.new_tls ? "yes" : "no");
        fputs("  ", stdout);
        print_setup_row(&in);
        fputs("\n  ", stdout);
        print_reuse_row(&in);
        putchar('\n');
        return 0;
    }
    if (r != EMSEC_ERR_REFUSED) {
        printf("  error: %s\n", emsec_result_name(r));
        return 1;
    }

    /* Name what refused, in the resolver's order (reuse row, RFC 8842 §5,
     * setup row); then show the other row as context. */
    printf("  refused: %s (", emsec_refusal_name(d.refusal));
    const bool by_reuse = reuse_cell(&in)->verdict == EMSEC_REUSE_REFUSE;
    const bool by_tls_id = !by_reuse && d.refusal == EMSEC_REFUSAL_TLS_ID_CONFLICT;
    if (by_reuse) {
        print_reuse_row(&in);
    } else if (by_tls_id) {
        fputs("RFC 8842 s5: a=tls-id contradicts a=connection", stdout);
    } else {
        print_setup_row(&in);
    }
    puts(")");
    if (by_reuse || by_tls_id) {
        fputs("  ", stdout);
        print_setup_row(&in);
        putchar('\n');
    }
    if (!by_reuse) {
        fputs("  ", stdout);
        print_reuse_row(&in);
        putchar('\n');
    }
    return 1;
}

/* ------------------------------------------------------------ command */

int emsec_cmd_roles(int argc, char **argv)
{
    const char *paths[2] = {NULL, NULL};
    const char *prev_paths[2] = {NULL, NULL};
    int npaths = 0;
    bool have_side = false;
    roles_opts opt = {EMSEC_SIDE_OFFERER, false, false};
    emsec_sdp_mode mode = EMSEC_SDP_MODE_FULL;
    uint32_t flags = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        if (strcmp(a, "--side") == 0 || strcmp(a, "--previous-offer") == 0 ||
            strcmp(a, "--previous-answer") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "emsec roles: %s needs a value\n", a);
                roles_usage();
                return 2;
            }
            val = argv[++i];
        } else if (strncmp(a, "--side=", 7) == 0) {
            val = a + 7;
            a = "--side";
        }
        if (strcmp(a, "--side") == 0) {
            if (strcmp(val, "offerer") == 0) {
                opt.side = EMSEC_SIDE_OFFERER;
            } else if (strcmp(val, "answerer") == 0) {
                opt.side = EMSEC_SIDE_ANSWERER;
            } else {
                fprintf(stderr, "emsec roles: --side must be offerer or answerer, not '%s'\n",
                        val);
                roles_usage();
                return 2;
            }
            have_side = true;
        } else if (strcmp(a, "--previous-offer") == 0) {
            prev_paths[0] = val;
        } else if (strcmp(a, "--previous-answer") == 0) {
            prev_paths[1] = val;
        } else if (strcmp(a, "--existing-tls") == 0) {
            opt.existing = true;
        } else if (strcmp(a, "--h248") == 0) {
            mode = EMSEC_SDP_MODE_H248;
        } else if (strcmp(a, "--lenient") == 0) {
            flags = EMSEC_SDP_LENIENT_ALL;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "emsec roles: unknown option '%s'\n", a);
            roles_usage();
            return 2;
        } else if (npaths < 2) {
            paths[npaths++] = a;
        } else {
            fprintf(stderr, "emsec roles: too many files ('%s')\n", a);
            roles_usage();
            return 2;
        }
    }
    if (npaths != 2) {
        fprintf(stderr, "emsec roles: OFFER and ANSWER files are required\n");
        roles_usage();
        return 2;
    }
    if (!have_side) {
        fprintf(stderr, "emsec roles: --side offerer|answerer is required\n");
        roles_usage();
        return 2;
    }
    if ((prev_paths[0] == NULL) != (prev_paths[1] == NULL)) {
        fprintf(stderr, "emsec roles: --previous-offer and --previous-answer go together\n");
        roles_usage();
        return 2;
    }
    opt.have_previous = prev_paths[0] != NULL;

    sdp_file files[4];
    memset(files, 0, sizeof files);
    const char *all[4] = {paths[0], paths[1], prev_paths[0], prev_paths[1]};
    int rc = 0;
    for (int f = 0; f < 4; f++) {
        if (all[f] == NULL) {
            continue;
        }
        int lr = sdp_file_load(&files[f], all[f], mode, flags);
        if (lr > rc) {
            rc = lr;
        }
    }
    if (rc != 0) {
        for (int f = 0; f < 4; f++) {
            sdp_file_free(&files[f]);
        }
        return rc;
    }

    const sdp_file *offer = &files[0], *answer = &files[1];
    const uint32_t count = offer->sdp->media_count;
    if (answer->sdp->media_count != count) {
        fflush(stdout);
        fprintf(stderr,
                "emsec: %s has %u m= lines, %s has %u: an answer has as many m= lines as "
                "its offer (RFC 3264 s6)\n",
                offer->path, (unsigned)count, answer->path,
                (unsigned)answer->sdp->media_count);
        rc = 1;
    } else {
        if (count == 0) {
            puts("no m= lines: no roles");
        }
        for (uint32_t mi = 0; mi < count; mi++) {
            if (resolve_media(mi, offer, answer, &files[2], &files[3], &opt) != 0) {
                rc = 1;
            }
        }
    }
    for (int f = 0; f < 4; f++) {
        sdp_file_free(&files[f]);
    }
    return rc;
}
