/*
 * emsecd log: one line per event on stderr,
 * "emsecd: t=<ms> ctx=<ContextID> term=<TerminationID> <text>" for a media
 * leg (its label, conn.c), "emsecd: t=<ms> term=- <text>" for the daemon.
 * Callers pass only names, states and counts: a PSK or private key never
 * reaches this file (DESIGN.md: tlsbsc/psk is never logged).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "emsecd.h"

/* Lines are batched: stderr is fully buffered (ed_log_batch, at start-up)
 * and written out by ed_log_flush before the loop waits for the next
 * event, so a burst of events costs one write(2) instead of one per line
 * (some 24 lines per TLS session), and no line waits longer than the
 * events being handled. A crash loses the lines of the round it ends. */
static char log_buf[64 * 1024];

void ed_log_batch(void)
{
    (void)setvbuf(stderr, log_buf, _IOFBF, sizeof log_buf);
}

void ed_log_flush(void)
{
    (void)fflush(stderr);
}

void ed_log(const char *who, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    /* one line per event: no embedded newline may split it */
    for (char *p = line; *p != '\0'; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    bool leg = who != NULL && who[0] != '\0' && strcmp(who, "-") != 0;
    fprintf(stderr, "emsecd: t=%llu %s %s\n", (unsigned long long)ed_now_ms(), leg ? who : "term=-", line);
}

/* OpenSSL's error queue, one line per entry, then cleared (the queue is
 * per thread: a stale entry would be blamed on the next connection). */
void ed_log_ssl_errors(const char *term, const char *what)
{
    unsigned long e;
    while ((e = ERR_get_error()) != 0) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        ed_log(term, "%s: %s", what, buf);
    }
}
