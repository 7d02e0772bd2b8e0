/*
 * `emsec h248 decode FILE [--tree|--compact|--pretty] [--version N] [--error-reply MID]`
 * `emsec h248 encode [--compact|--pretty] [--version N] FILE`
 *
 * decode: reads one H.248.1 text message (Annex B) and prints its tree
 * (--tree, the default: one item per line, indented by nesting; Local and
 * Remote bodies are also parsed as H.248 SDP and the verdict printed), or
 * its re-encoding in compact or pretty form.
 * encode: decode, then print the re-encoding (pretty by default).
 * --version N writes header version N (1..3) when encoding; items newer than
 * N are refused.
 *
 * On a message that does not decode: prints
 *   emsec: FILE: offset N (line L, column C): RESULT in rule NAME
 * to stderr and exits 1; with --error-reply MID it also prints, on stdout,
 * the reply the gateway would send (H.248.8 code 400 with the offset and
 * rule). Usage or I/O error exits 2.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "emsec/h248.h"
#include "emsec/result.h"
#include "emsec/sdp.h"

/* A message of 64 KiB has fewer items than bytes / 2 (an item is a word
 * and a separator); this arena holds any message within the size limit. */
#define CLI_NODES (EMSEC_H248_MAX_MESSAGE / 2u + 2u)

static void h248_usage(void)
{
    fprintf(stderr,
            "usage: emsec h248 decode FILE [--tree|--compact|--pretty] [--version N] [--error-reply MID]\n"
            "       emsec h248 encode [--compact|--pretty] [--version N] FILE\n");
}

static const char *vkind_open(uint8_t k)
{
    return k == EMSEC_H248_V_SUBLIST ? "[" : k == EMSEC_H248_V_ALTLIST ? "{" : "";
}

static const char *vkind_close(uint8_t k)
{
    return k == EMSEC_H248_V_SUBLIST ? "]" : k == EMSEC_H248_V_ALTLIST ? "}" : "";
}

static void put_value(const uint8_t *buf, const emsec_h248_node *n)
{
    if (n->flags & EMSEC_H248_F_VALUE_TOKEN) {
        fputs(emsec_h248_token_name(n->vtok, false), stdout);
    } else if (n->vkind == EMSEC_H248_V_QUOTED) {
        putchar('"');
        emsec_cli_put_span(buf, n->value);
        putchar('"');
    } else {
        emsec_cli_put_span(buf, n->value);
    }
}

static void put_sdp_verdict(const uint8_t *buf, emsec_span text)
{
    static emsec_sdp sdp; /* large; one at a time */
    emsec_sdp_error e;
    emsec_result r = emsec_sdp_parse(&sdp, EMSEC_SDP_MODE_H248, 0u, buf + text.off, text.len, &e);
    if (r == EMSEC_OK)
        printf(" (sdp: ok, %u media)", (unsigned)sdp.media_count);
    else
        printf(" (sdp: %s at body offset %u, rule %s)", emsec_result_name(r), (unsigned)e.offset,
               emsec_sdp_rule_name(e.rule));
}

static void tree(const emsec_h248_msg *m, const uint8_t *buf, uint32_t ni, uint32_t depth)
{
    static const char *const ops[] = { "", " = ", " # ", " > ", " < " };
    uint32_t guard = 0u;
    for (; ni != 0u && ni < m->count && guard < EMSEC_H248_MAX_LIST; ni = m->nodes[ni].next, guard++) {
        const emsec_h248_node *n = &m->nodes[ni];
        for (uint32_t i = 0u; i < depth; i++)
            fputs("  ", stdout);
        if (n->flags & EMSEC_H248_F_OPTIONAL)
            fputs("O-", stdout);
        if (n->flags & EMSEC_H248_F_WILDCARD)
            fputs("W-", stdout);
        if (n->flags & EMSEC_H248_F_TIMESTAMP) {
            emsec_cli_put_span(buf, n->stamp);
            fputs(" : ", stdout);
        }
        switch (n->item) {
        case EMSEC_H248_ITEM_QUOTED: fputs("text ", stdout); put_value(buf, n); break;
        case EMSEC_H248_ITEM_ACK:
            fputs("ack ", stdout);
            emsec_cli_put_span(buf, n->value);
            if (n->value2.len > 0u) {
                putchar('-');
                emsec_cli_put_span(buf, n->value2);
            }
            break;
        default:
            if (n->item < 0xff00u)
                fputs(emsec_h248_token_name(n->item, false), stdout);
            else {
                fputs(n->item == EMSEC_H248_ITEM_PKGD ? "pkgd " : n->item == EMSEC_H248_ITEM_NAME ? "name "
                      : n->item == EMSEC_H248_ITEM_EXTENSION ? "ext " : n->item == EMSEC_H248_ITEM_TERMID ? "termid "
                      : n->item == EMSEC_H248_ITEM_TIMESTAMP ? "timestamp " : "word ", stdout);
                emsec_cli_put_span(buf, n->name);
            }
            if (n->op <= EMSEC_H248_OP_LT)
                fputs(ops[n->op], stdout);
            else
                fputs(" ?op ", stdout);
            if (n->op == EMSEC_H248_OP_NONE && n->vkind == EMSEC_H248_V_SUBLIST)
                putchar(' ');
            if (n->vkind == EMSEC_H248_V_SUBLIST || n->vkind == EMSEC_H248_V_ALTLIST) {
                fputs(vkind_open(n->vkind), stdout);
                uint32_t g2 = 0u;
                for (uint32_t v = n->values; v != 0u && v < m->count && g2 < EMSEC_H248_MAX_LIST; v = m->nodes[v].next, g2++) {
                    if (v != n->values)
                        fputs(", ", stdout);
                    put_value(buf, &m->nodes[v]);
                }
                fputs(vkind_close(n->vkind), stdout);
            } else if (n->vkind == EMSEC_H248_V_RANGE) {
                putchar('[');
                emsec_cli_put_span(buf, n->value);
                putchar(':');
                emsec_cli_put_span(buf, n->value2);
                putchar(']');
            } else if (n->vkind != EMSEC_H248_V_NONE) {
                put_value(buf, n);
                if ((n->item == EMSEC_H248_TOK_REPLY || n->item == EMSEC_H248_TOK_MESSAGESEGMENT) &&
                    n->value2.len > 0u) {
                    fputs(" segment ", stdout);
                    emsec_cli_put_span(buf, n->value2);
                    if (n->text.len > 0u)
                        fputs(" END", stdout);
                }
            }
            break;
        }
        if (n->body == EMSEC_H248_BODY_OCTETS) {
            printf(" {%u bytes}", (unsigned)n->text.len);
            put_sdp_verdict(buf, n->text);
        } else if (n->body == EMSEC_H248_BODY_DIGITMAP) {
            fputs(" digitmap {", stdout);
            emsec_cli_put_span(buf, n->text);
            putchar('}');
        } else if (n->body == EMSEC_H248_BODY_LIST && n->child == 0u) {
            fputs(" {}", stdout);
        }
        putchar('\n');
        if (n->body == EMSEC_H248_BODY_LIST && depth < EMSEC_H248_MAX_DEPTH + 1u)
            tree(m, buf, n->child, depth + 1u);
    }
}

static const char *mid_kind_name(uint8_t k)
{
    switch (k) {
    case EMSEC_H248_MID_IP4: return "ip4";
    case EMSEC_H248_MID_IP6: return "ip6";
    case EMSEC_H248_MID_DOMAIN: return "domain";
    case EMSEC_H248_MID_MTP: return "mtp";
    case EMSEC_H248_MID_DEVICE: return "device";
    default: return "?";
    }
}

static void line_col(const uint8_t *buf, uint32_t len, uint32_t off, uint32_t *line, uint32_t *col)
{
    *line = 1u;
    *col = 1u;
    for (uint32_t i = 0u; i < off && i < len; i++) {
        if (buf[i] == '\n') {
            (*line)++;
            *col = 1u;
        } else {
            (*col)++;
        }
    }
}

int emsec_cmd_h248(int argc, char **argv)
{
    if (argc < 2) {
        h248_usage();
        return 2;
    }
    bool encode = strcmp(argv[1], "encode") == 0;
    if (!encode && strcmp(argv[1], "decode") != 0) {
        h248_usage();
        return 2;
    }
    const char *path = NULL, *reply_mid = NULL;
    int form = encode ? EMSEC_H248_PRETTY : 0; /* 0: tree */
    uint32_t version = 0u;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--compact") == 0)
            form = EMSEC_H248_COMPACT;
        else if (strcmp(argv[i], "--pretty") == 0)
            form = EMSEC_H248_PRETTY;
        else if (strcmp(argv[i], "--tree") == 0 && !encode)
            form = 0;
        else if (strcmp(argv[i], "--version") == 0 && i + 1 < argc) {
            const char *v = argv[++i];
            if (strlen(v) != 1u || v[0] < '1' || v[0] > '3') {
                fprintf(stderr, "emsec: --version wants 1, 2 or 3\n");
                return 2;
            }
            version = (uint32_t)(v[0] - '0');
        } else if (strcmp(argv[i], "--error-reply") == 0 && i + 1 < argc && !encode)
            reply_mid = argv[++i];
        else if (argv[i][0] == '-' || path != NULL) {
            h248_usage();
            return 2;
        } else
            path = argv[i];
    }
    if (path == NULL) {
        h248_usage();
        return 2;
    }
    uint32_t len = 0u;
    uint8_t *buf = emsec_cli_read_file(path, &len);
    if (buf == NULL)
        return 2;
    emsec_h248_node *nodes = calloc(CLI_NODES, sizeof *nodes);
    char *out = malloc(4u * EMSEC_H248_MAX_MESSAGE);
    if (nodes == NULL || out == NULL) {
        fprintf(stderr, "emsec: out of memory\n");
        free(buf);
        free(nodes);
        free(out);
        return 2;
    }
    int rc = 0;
    emsec_h248_msg m;
    emsec_h248_error err;
    emsec_result r = emsec_h248_decode(&m, (const char *)buf, len, true, nodes, CLI_NODES, &err);
    if (r != EMSEC_OK) {
        uint32_t line, col;
        line_col(buf, len, err.offset, &line, &col);
        fprintf(stderr, "emsec: %s: offset %u (line %u, column %u): %s in rule %s\n", path,
                (unsigned)err.offset, (unsigned)line, (unsigned)col, emsec_result_name(r),
                emsec_h248_rule_name(err.rule));
        if (reply_mid != NULL) {
            uint32_t olen = 0u;
            emsec_result rr = emsec_h248_error_reply(&err, reply_mid, 1u, out, 4u * EMSEC_H248_MAX_MESSAGE, &olen);
            if (rr == EMSEC_OK)
                fwrite(out, 1, olen, stdout);
            else
                fprintf(stderr, "emsec: --error-reply: %s\n", emsec_result_name(rr));
        }
        rc = 1;
    } else if (form == 0) {
        printf("MEGACO/%u mid ", (unsigned)m.version);
        emsec_cli_put_span(buf, m.mid);
        printf(" (%s", mid_kind_name(m.mid_kind));
        if (m.mid_port.len > 0u) {
            fputs(" port ", stdout);
            emsec_cli_put_span(buf, m.mid_port);
        }
        fputs(m.has_auth ? ", authenticated)\n" : ")\n", stdout);
        tree(&m, buf, m.nodes[0].child, 1u);
    } else {
        uint32_t olen = 0u;
        r = emsec_h248_encode(&m, (const char *)buf, (emsec_h248_style)form, version, out,
                              4u * EMSEC_H248_MAX_MESSAGE, &olen);
        if (r != EMSEC_OK) {
            fprintf(stderr, "emsec: %s: encode: %s%s\n", path, emsec_result_name(r),
                    r == EMSEC_ERR_REFUSED ? " (an item is newer than the requested version)" : "");
            rc = 1;
        } else {
            fwrite(out, 1, olen, stdout);
        }
    }
    free(buf);
    free(nodes);
    free(out);
    return rc;
}
