/*
 * `emsec trace FILE`: run a scenario trace through the gateway core and print
 * the trace again with every output the core produced. A golden trace is a
 * file equal to its own output (tests/traces/run.sh checks that).
 *
 * Trace format (one directive per line; blocks end with a line ".")
 *   # comment                       kept as is
 *   config KEY=VALUE ...            mid, prefix, address, ports=LO-HI,
 *                                   fingerprint (the rest of the line), version, seed
 *   > control                       an H.248 message from the controller, up to "."
 *   > service-change restart|graceful|forced|disconnected [delay SECONDS] [stamp yyyymmddThhmmssss]
 *                                   the gateway's own ServiceChange (delay: its
 *                                   ServiceChangeDelay, stamp: its TimeStamp;
 *                                   a method or word not named here is
 *                                   refused: "!! bad service-change")
 *   > event TERM KIND [ARGS]        a network event on termination TERM (its name):
 *                                   accepted, connected, connect-failed, tls-established
 *                                   [HASH HEX:HEX:...], tls-failed handshake|psk|alert,
 *                                   renegotiation secure|insecure, close-notify,
 *                                   peer-closed, reset, timeout, listen-failed
 *   < notify                        (output) the gateway's own request to the controller
 *   < reply                         (output) the H.248 the core sent back, up to "."
 *   < actions                       (output) one action per line, up to "."
 * Input lines are echoed; output blocks in the file are ignored and written
 * anew, so `emsec trace F > F.new` refreshes a trace after a reviewed change.
 * Every reply is also decoded again: one that is not valid H.248 is marked
 * "!! reply does not decode" (a golden trace never holds that line).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "emsec/h248.h"
#include "emsec/mg.h"

#define TRACE_MAX_MSG 65536u

static const char *action_name(uint8_t k)
{
    switch (k) {
    case EMSEC_MG_ACT_LISTEN: return "listen";
    case EMSEC_MG_ACT_CONNECT: return "connect";
    case EMSEC_MG_ACT_CLOSE: return "close";
    case EMSEC_MG_ACT_TLS_CLIENT: return "tls-client";
    case EMSEC_MG_ACT_TLS_SERVER: return "tls-server";
    case EMSEC_MG_ACT_TLS_CLOSE: return "tls-close";
    case EMSEC_MG_ACT_FORWARD: return "forward";
    case EMSEC_MG_ACT_RENEG_ACCEPT: return "reneg-accept";
    case EMSEC_MG_ACT_RENEG_REFUSE: return "reneg-refuse";
    default: return "?";
    }
}

static void print_outputs(const emsec_mg *mg, const emsec_mg_out *out, emsec_h248_node *nodes)
{
    if (out->len > 0u) {
        puts("< reply");
        fwrite(out->text, 1, out->len, stdout);
        if (out->text[out->len - 1u] != '\n')
            putchar('\n');
        emsec_h248_msg m;
        emsec_h248_error e;
        if (emsec_h248_decode(&m, out->text, out->len, true, nodes, 4096u, &e) != EMSEC_OK)
            printf("!! reply does not decode: %s at byte %u\n", emsec_h248_rule_name(e.rule), e.offset);
        puts(".");
    }
    if (out->notify_len > 0u) {
        puts("< notify");
        fwrite(out->notify, 1, out->notify_len, stdout);
        emsec_h248_msg m;
        emsec_h248_error e;
        if (emsec_h248_decode(&m, out->notify, out->notify_len, true, nodes, 4096u, &e) != EMSEC_OK)
            printf("!! notify does not decode: %s at byte %u\n", emsec_h248_rule_name(e.rule), e.offset);
        puts(".");
    }
    if (out->nactions > 0u) {
        puts("< actions");
        for (uint32_t i = 0u; i < out->nactions; i++) {
            const emsec_mg_action *a = &out->actions[i];
            emsec_mg_term_view v;
            bool known = emsec_mg_term_info(mg, a->term, &v);
            printf("%s %s", action_name(a->kind), a->name);
            if (known && a->kind == EMSEC_MG_ACT_LISTEN)
                printf(" port %u", (unsigned)v.local_port);
            if (known && a->kind == EMSEC_MG_ACT_CONNECT)
                printf(" to %s port %u", v.remote_addr, (unsigned)v.remote_port);
            if (a->kind == EMSEC_MG_ACT_FORWARD) {
                emsec_mg_term_view p;
                printf(" with %s (%s)", emsec_mg_term_info(mg, a->peer_term, &p) ? p.name : "(gone)",
                       a->mode == EMSEC_MG_FWD_TLS_TO_PLAIN ? "tls-to-plain" : "plain");
            }
            putchar('\n');
        }
        puts(".");
    }
}

static bool term_by_name(const emsec_mg *mg, const char *name, uint16_t *handle)
{
    for (uint16_t i = 0u; i < 4096u; i++) {
        emsec_mg_term_view v;
        if (emsec_mg_term_info(mg, i, &v) && strcmp(v.name, name) == 0) {
            *handle = i;
            return true;
        }
    }
    return false;
}

static int hexnib(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* "restart", "graceful", "forced" or "disconnected", then "delay SECONDS"
 * and "stamp TIMESTAMP" in any order, each at most once (the rest of a
 * "> service-change " line, its newline included); false on anything else.
 * What the core refuses of them (a delay on another method than graceful, a
 * malformed stamp) is left to it. stamp points into `keep` (cap bytes). */
static bool parse_service_change(const char *p, emsec_mg_sc_method *m, emsec_mg_sc_params *params, char *keep,
                                 size_t cap)
{
    static const struct { const char *word; emsec_mg_sc_method m; } methods[] = {
        { "restart", EMSEC_MG_SC_RESTART }, { "graceful", EMSEC_MG_SC_GRACEFUL },
        { "forced", EMSEC_MG_SC_FORCED },   { "disconnected", EMSEC_MG_SC_DISCONNECTED },
    };
    char w[5][32];
    char extra;
    int n = sscanf(p, "%31s %31s %31s %31s %31s %c", w[0], w[1], w[2], w[3], w[4], &extra);
    if (n < 1 || n > 5 || n % 2 == 0)
        return false;
    size_t i = 0;
    while (i < sizeof methods / sizeof methods[0] && strcmp(w[0], methods[i].word) != 0)
        i++;
    if (i == sizeof methods / sizeof methods[0])
        return false;
    *m = methods[i].m;
    *params = (emsec_mg_sc_params){ 0u, NULL };
    bool delay_seen = false;
    for (int k = 1; k + 1 < n; k += 2) {
        if (strcmp(w[k], "delay") == 0 && !delay_seen) {
            char *end = NULL;
            unsigned long secs = strtoul(w[k + 1], &end, 10);
            if (w[k + 1][0] < '0' || w[k + 1][0] > '9' || *end != '\0' || secs == 0 || secs > UINT32_MAX)
                return false;
            params->delay_s = (uint32_t)secs;
            delay_seen = true;
        } else if (strcmp(w[k], "stamp") == 0 && params->timestamp == NULL && strlen(w[k + 1]) < cap) {
            strcpy(keep, w[k + 1]);
            params->timestamp = keep;
        } else {
            return false;
        }
    }
    return true;
}

/* "> event TERM KIND [ARGS]" into *ev; false with a message on a bad line. */
static bool parse_event(const emsec_mg *mg, char *p, emsec_mg_event *ev)
{
    static const struct { const char *word; uint8_t kind; } kinds[] = {
        { "accepted", EMSEC_MG_EV_ACCEPTED }, { "connected", EMSEC_MG_EV_CONNECTED },
        { "connect-failed", EMSEC_MG_EV_CONNECT_FAILED }, { "tls-established", EMSEC_MG_EV_TLS_ESTABLISHED },
        { "tls-failed", EMSEC_MG_EV_TLS_FAILED }, { "renegotiation", EMSEC_MG_EV_RENEGOTIATION },
        { "close-notify", EMSEC_MG_EV_CLOSE_NOTIFY }, { "peer-closed", EMSEC_MG_EV_PEER_CLOSED },
        { "reset", EMSEC_MG_EV_RESET }, { "timeout", EMSEC_MG_EV_TIMEOUT },
        { "listen-failed", EMSEC_MG_EV_LISTEN_FAILED },
    };
    memset(ev, 0, sizeof *ev);
    p[strcspn(p, "\n")] = '\0';
    char *term = strtok(p, " ");
    char *kind = strtok(NULL, " ");
    char *a1 = strtok(NULL, " ");
    char *a2 = strtok(NULL, " ");
    if (term == NULL || kind == NULL || !term_by_name(mg, term, &ev->term)) {
        printf("!! event: unknown termination or missing kind\n");
        return false;
    }
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kind, kinds[i].word) == 0)
            ev->kind = kinds[i].kind;
    if (ev->kind == EMSEC_MG_EV_NONE) {
        printf("!! event: unknown kind %s\n", kind);
        return false;
    }
    if (ev->kind == EMSEC_MG_EV_RENEGOTIATION)
        ev->secure = a1 != NULL && strcmp(a1, "secure") == 0;
    if (ev->kind == EMSEC_MG_EV_TLS_FAILED)
        ev->cause = (a1 != NULL && strcmp(a1, "psk") == 0)     ? EMSEC_MG_TLS_CAUSE_PSK
                    : (a1 != NULL && strcmp(a1, "alert") == 0) ? EMSEC_MG_TLS_CAUSE_ALERT
                                                               : EMSEC_MG_TLS_CAUSE_HANDSHAKE;
    if (ev->kind == EMSEC_MG_EV_TLS_ESTABLISHED && a1 != NULL && a2 != NULL) {
        snprintf(ev->fp_hash, sizeof ev->fp_hash, "%s", a1);
        for (size_t i = 0; a2[i] != '\0' && ev->fp_len < sizeof ev->fp;) {
            int hi = hexnib(a2[i]), lo = a2[i + 1] != '\0' ? hexnib(a2[i + 1]) : -1;
            if (hi < 0 || lo < 0) {
                printf("!! event: bad fingerprint hex\n");
                return false;
            }
            ev->fp[ev->fp_len++] = (uint8_t)(hi << 4 | lo);
            i += 2;
            if (a2[i] == ':')
                i++;
        }
    }
    return true;
}

int emsec_cmd_trace(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: emsec trace FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (f == NULL) {
        perror(argv[1]);
        return 2;
    }
    emsec_mg *mg = calloc(1, emsec_mg_size());
    char *msg = malloc(TRACE_MAX_MSG);
    char *text = malloc(4u * TRACE_MAX_MSG);
    emsec_h248_node *nodes = calloc(4096u, sizeof *nodes);
    static emsec_mg_out out;
    static char notify_buf[65536];
    out.notify = notify_buf;
    out.notify_cap = sizeof notify_buf;
    if (mg == NULL || msg == NULL || text == NULL || nodes == NULL) {
        fprintf(stderr, "emsec: out of memory\n");
        fclose(f);
        free(mg);
        free(msg);
        free(text);
        free(nodes);
        return 2;
    }
    char line[4096];
    char mid[128] = "[127.0.0.1]:2944", prefix[16] = "tcp/", address[64] = "192.0.2.10", fp[256] = "";
    unsigned lo = 40000u, hi = 40999u, version = 1u, seed = 1u;
    bool ready = false;
    int rc = 0;
    enum { TOP, IN_CONTROL, SKIP_OUTPUT } mode = TOP;
    uint32_t mlen = 0u;
    unsigned lineno = 0u;
    while (fgets(line, sizeof line, f) != NULL) {
        lineno++;
        bool end = strcmp(line, ".\n") == 0 || strcmp(line, ".") == 0;
        if (mode == SKIP_OUTPUT) {
            if (end)
                mode = TOP;
            continue;
        }
        if (mode == IN_CONTROL) {
            fputs(line, stdout);
            if (!end) {
                size_t n = strlen(line);
                if (mlen + n > TRACE_MAX_MSG) {
                    fprintf(stderr, "emsec: %s:%u: message too long\n", argv[1], lineno);
                    rc = 2;
                    break;
                }
                memcpy(msg + mlen, line, n);
                mlen += (uint32_t)n;
                continue;
            }
            mode = TOP;
            if (!ready) {
                emsec_mg_config cfg = { mid, prefix, address, (uint16_t)lo, (uint16_t)hi, fp, version, seed };
                if (emsec_mg_init(mg, &cfg) != EMSEC_OK) {
                    fprintf(stderr, "emsec: %s: bad config\n", argv[1]);
                    rc = 2;
                    break;
                }
                ready = true;
            }
            out.text = text;
            out.cap = 4u * TRACE_MAX_MSG;
            emsec_result r = emsec_mg_control(mg, 0u, msg, mlen, &out);
            if (r != EMSEC_OK)
                printf("!! emsec_mg_control: %s\n", emsec_result_name(r));
            print_outputs(mg, &out, nodes);
            continue;
        }
        if (strncmp(line, "< ", 2) == 0) {
            mode = SKIP_OUTPUT;
            continue;
        }
        fputs(line, stdout);
        if (strncmp(line, "> service-change ", 17) == 0) {
            if (!ready) {
                emsec_mg_config cfg = { mid, prefix, address, (uint16_t)lo, (uint16_t)hi, fp, version, seed };
                if (emsec_mg_init(mg, &cfg) != EMSEC_OK) {
                    fprintf(stderr, "emsec: %s: bad config\n", argv[1]);
                    rc = 2;
                    break;
                }
                ready = true;
            }
            emsec_mg_sc_method m;
            emsec_mg_sc_params params;
            char stamp[32];
            if (!parse_service_change(line + 17, &m, &params, stamp, sizeof stamp)) {
                puts("!! bad service-change: restart, graceful, forced or disconnected, then [delay SECONDS] "
                     "[stamp yyyymmddThhmmssss]");
                rc = 1;
                continue;
            }
            out.text = text;
            out.cap = 4u * TRACE_MAX_MSG;
            emsec_result r = emsec_mg_service_change_with(mg, 0u, m, &params, &out);
            if (r != EMSEC_OK) /* nothing written: no output to print */
                printf("!! emsec_mg_service_change: %s\n", emsec_result_name(r));
            else
                print_outputs(mg, &out, nodes);
            continue;
        }
        if (strncmp(line, "> event ", 8) == 0) {
            emsec_mg_event ev;
            if (!ready || !parse_event(mg, line + 8, &ev)) {
                rc = 1;
                continue;
            }
            out.text = text;
            out.cap = 4u * TRACE_MAX_MSG;
            emsec_result r = emsec_mg_on_event(mg, 0u, &ev, &out);
            if (r == EMSEC_ERR_REFUSED)
                puts("< refused (the event cannot happen in this state: nothing changed)");
            else if (r != EMSEC_OK)
                printf("!! emsec_mg_on_event: %s\n", emsec_result_name(r));
            print_outputs(mg, &out, nodes);
            continue;
        }
        if (strncmp(line, "> control", 9) == 0) {
            mode = IN_CONTROL;
            mlen = 0u;
        } else if (strncmp(line, "config ", 7) == 0) {
            char *p = line + 7;
            p[strcspn(p, "\n")] = '\0';
            char *fpk = strstr(p, "fingerprint=");
            if (fpk != NULL) {
                snprintf(fp, sizeof fp, "%s", fpk + 12);
                *fpk = '\0';
            }
            for (char *tok = strtok(p, " "); tok != NULL; tok = strtok(NULL, " ")) {
                if (strncmp(tok, "mid=", 4) == 0)
                    snprintf(mid, sizeof mid, "%s", tok + 4);
                else if (strncmp(tok, "prefix=", 7) == 0)
                    snprintf(prefix, sizeof prefix, "%s", tok + 7);
                else if (strncmp(tok, "address=", 8) == 0)
                    snprintf(address, sizeof address, "%s", tok + 8);
                else if (strncmp(tok, "ports=", 6) == 0)
                    (void)sscanf(tok + 6, "%u-%u", &lo, &hi);
                else if (strncmp(tok, "version=", 8) == 0)
                    (void)sscanf(tok + 8, "%u", &version);
                else if (strncmp(tok, "seed=", 5) == 0)
                    (void)sscanf(tok + 5, "%u", &seed);
            }
        }
    }
    fclose(f);
    free(mg);
    free(msg);
    free(text);
    free(nodes);
    return rc;
}
