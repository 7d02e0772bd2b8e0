/*
 * `emsec msrp FILE`: frame the MSRP messages of a file (a recorded stream,
 * one message after another) and print each one:
 *
 *   message 1: request SEND tid d93kswow
 *     start: MSRP d93kswow SEND
 *     header To-Path: msrp://bob.example.com:8888/9di4eae923wzd;tcp
 *     ...
 *     body: 16 bytes
 *     end: $ (complete)
 *
 * Exit 0 if every byte frames; on a refusal prints
 *   emsec: FILE: offset N: rule NAME (RESULT)
 * and exits 1; usage or I/O error exits 2.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "emsec/msrp.h"
#include "emsec/result.h"

static const char *kind_word(uint32_t kind)
{
    return kind == EMSEC_MSRP_REQUEST ? "request" : "response";
}

static const char *flag_word(uint32_t flag)
{
    switch (flag) {
    case '$': return "complete";
    case '+': return "more chunks follow";
    case '#': return "aborted";
    default: return "?";
    }
}

static void print_header(const emsec_msrp_msg *m, const uint8_t *hdr, uint32_t n)
{
    emsec_span tid = m->tid;
    fprintf(stdout, "message %u: %s ", (unsigned)n, kind_word(m->kind));
    if (m->kind == EMSEC_MSRP_REQUEST) {
        emsec_cli_put_span(hdr, m->method_name);
    } else {
        fprintf(stdout, "%03u", (unsigned)m->status);
    }
    fputs(" tid ", stdout);
    emsec_cli_put_span(hdr, tid);
    fputs("\n  start: ", stdout);
    emsec_cli_put_span(hdr, m->start_line);
    fputc('\n', stdout);
    for (uint32_t i = 0; i < m->header_count; i++) {
        fputs("  header ", stdout);
        emsec_cli_put_span(hdr, m->headers[i].line);
        fputc('\n', stdout);
    }
    fprintf(stdout, "  paths: to %u URI(s), from %u URI(s)\n", (unsigned)m->to_path.count,
            (unsigned)m->from_path.count);
    if (m->has_byte_range) {
        fprintf(stdout, "  byte-range: %llu-", (unsigned long long)m->range_start);
        if (m->range_end == EMSEC_MSRP_UNKNOWN) {
            fputs("*", stdout);
        } else {
            fprintf(stdout, "%llu", (unsigned long long)m->range_end);
        }
        if (m->range_total == EMSEC_MSRP_UNKNOWN) {
            fputs("/*\n", stdout);
        } else {
            fprintf(stdout, "/%llu\n", (unsigned long long)m->range_total);
        }
    }
}

int emsec_cmd_msrp(int argc, char **argv)
{
    static emsec_msrp_framer fr;
    static emsec_msrp_msg msg;
    uint32_t len = 0, at = 0, n = 0;
    emsec_result r;

    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: emsec msrp FILE\n");
        return 2;
    }
    uint8_t *buf = emsec_cli_read_file(argv[1], &len);
    if (buf == NULL) {
        return 2;
    }
    r = emsec_msrp_framer_init(&fr, &msg);
    while (r == EMSEC_OK && at < len) {
        emsec_msrp_event ev;
        uint32_t used = 0;
        r = emsec_msrp_feed(&fr, buf + at, len - at, &used, &ev);
        if (r != EMSEC_OK) {
            break;
        }
        at += used;
        switch (ev.kind) {
        case EMSEC_MSRP_EV_HEADER:
            n++;
            print_header(&msg, emsec_msrp_header_bytes(&fr), n);
            break;
        case EMSEC_MSRP_EV_END:
            fprintf(stdout, "  body: %llu bytes\n  end: %c (%s)\n",
                    (unsigned long long)ev.body_len, (char)ev.flag, flag_word(ev.flag));
            break;
        default:
            break;
        }
    }
    if (r == EMSEC_OK) {
        r = emsec_msrp_finish(&fr);
    }
    free(buf);
    if (r != EMSEC_OK) {
        emsec_msrp_error e = emsec_msrp_last_error(&fr);
        fprintf(stdout, "emsec: %s: offset %llu: rule %s (%s)\n", argv[1],
                (unsigned long long)e.offset, emsec_msrp_rule_name(e.rule),
                emsec_result_name(r));
        return 1;
    }
    fprintf(stdout, "%u message(s)\n", (unsigned)n);
    return 0;
}
