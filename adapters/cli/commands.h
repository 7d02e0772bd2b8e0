/*
 * The subcommands of the `emsec` CLI. Each takes the arguments after its
 * name (argv[0] is the subcommand name) and returns the process exit code:
 * 0 success, 1 the input was refused (parse error, refused role pair),
 * 2 usage or I/O error.
 */
#ifndef EMSEC_CLI_COMMANDS_H
#define EMSEC_CLI_COMMANDS_H

#include <stdint.h>

#include "emsec/result.h"

int emsec_cmd_sdp(int argc, char **argv);
int emsec_cmd_roles(int argc, char **argv);
int emsec_cmd_h248(int argc, char **argv);
int emsec_cmd_trace(int argc, char **argv);
int emsec_cmd_msrp(int argc, char **argv);
int emsec_cmd_mikey(int argc, char **argv);

/* Reads a whole file into a heap buffer (adapters may allocate). On failure
 * prints "emsec: PATH: reason" to stderr and returns NULL. */
uint8_t *emsec_cli_read_file(const char *path, uint32_t *len_out);

/* Prints buf[s.off, s.off + s.len) to stdout, bytes outside printable ASCII
 * (and the backslash) as \xNN, so that no input can forge output lines. */
void emsec_cli_put_span(const uint8_t *buf, emsec_span s);

#endif
