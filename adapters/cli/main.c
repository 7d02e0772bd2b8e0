/*
 * `emsec`: the command-line entry point. Dispatches to the subcommands of
 * commands.h and holds the one file reader they share.
 *
 *   emsec sdp [--h248] [--lenient] FILE
 *   emsec roles OFFER ANSWER --side offerer|answerer [options]
 *   emsec h248 decode FILE [--tree|--compact|--pretty] [--version N] [--error-reply MID]
 *   emsec h248 encode [--compact|--pretty] [--version N] FILE
 *   emsec trace FILE
 *   emsec help | --help | -h
 *   emsec --version
 *
 * Exit codes: 0 success, 1 input refused, 2 usage or I/O error.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

#define EMSEC_VERSION "0.1.0"

/* Larger inputs are refused: an SDP body is a few kilobytes, and offsets are
 * uint32_t. */
#define EMSEC_CLI_MAX_FILE (1024u * 1024u)

static void usage(FILE *to)
{
    fprintf(to,
            "usage: emsec COMMAND [ARGS]\n"
            "commands:\n"
            "  sdp [--h248] [--lenient] FILE\n"
            "      parse an SDP file and print its parsed form\n"
            "  roles OFFER ANSWER --side offerer|answerer [--existing-tls]\n"
            "        [--previous-offer F --previous-answer F] [--h248] [--lenient]\n"
            "      decide the TCP and TLS roles of every TCP-based m= line\n"
            "  h248 decode FILE [--tree|--compact|--pretty] [--version N] [--error-reply MID]\n"
            "      decode an H.248.1 text message and print its tree or re-encoding\n"
            "  h248 encode [--compact|--pretty] [--version N] FILE\n"
            "      decode, then write the message in compact or pretty form\n"
            "  trace FILE\n"
            "      run a scenario trace (H.248 in) through the gateway core, print its outputs\n"
            "  msrp FILE\n"
            "      frame the MSRP messages of FILE (RFC 4975): start line, headers, body, end\n"
            "  mikey decode FILE | mikey decode --sdp FILE\n"
            "      print the payloads of a MIKEY message (bytes, or a=key-mgmt:mikey in SDP)\n"
            "  help, --help    this text\n"
            "  --version       print the version\n"
            "exit status: 0 success, 1 input refused, 2 usage or I/O error\n");
}

uint8_t *emsec_cli_read_file(const char *path, uint32_t *len_out)
{
    *len_out = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "emsec: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    /* One byte more than the limit, to tell "exactly 1 MiB" from "more". */
    uint8_t *buf = malloc(EMSEC_CLI_MAX_FILE + 1u);
    if (buf == NULL) {
        fprintf(stderr, "emsec: %s: out of memory\n", path);
        fclose(f);
        return NULL;
    }
    size_t len = 0;
    errno = 0;
    for (;;) {
        size_t n = fread(buf + len, 1, EMSEC_CLI_MAX_FILE + 1u - len, f);
        len += n;
        if (n == 0 || len > EMSEC_CLI_MAX_FILE) {
            break;
        }
    }
    if (ferror(f)) {
        int e = errno;
        fprintf(stderr, "emsec: %s: %s\n", path, strerror(e != 0 ? e : EIO));
        fclose(f);
        free(buf);
        return NULL;
    }
    fclose(f);
    if (len > EMSEC_CLI_MAX_FILE) {
        fprintf(stderr, "emsec: %s: file larger than %u bytes (1 MiB): refused\n", path,
                (unsigned)EMSEC_CLI_MAX_FILE);
        free(buf);
        return NULL;
    }
    *len_out = (uint32_t)len;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "sdp") == 0) {
        return emsec_cmd_sdp(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "roles") == 0) {
        return emsec_cmd_roles(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "h248") == 0) {
        return emsec_cmd_h248(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "trace") == 0) {
        return emsec_cmd_trace(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "msrp") == 0) {
        return emsec_cmd_msrp(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "mikey") == 0) {
        return emsec_cmd_mikey(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        puts("emsec " EMSEC_VERSION);
        return 0;
    }
    fprintf(stderr, "emsec: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}

void emsec_cli_put_span(const uint8_t *buf, emsec_span s)
{
    for (uint32_t i = 0; i < s.len; i++) {
        const uint8_t c = buf[s.off + i];
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            putchar(c);
        } else {
            printf("\\x%02X", c);
        }
    }
}
