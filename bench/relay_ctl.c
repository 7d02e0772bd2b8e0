/*
 * H.248 control of emsecd for the relay bench: see relay_ctl.h. The
 * messages are the ones tests/integration/scenarios/ uses (add_ue_tls,
 * add_ue_psk, add_core_plain with its Remote given in the Add), one
 * transaction each.
 */
#define _GNU_SOURCE
#include "relay_ctl.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CTL_WINDOW 16      /* transactions in flight */
#define CTL_TIMEOUT_MS 5000

static char msg[8192];
static char rep[65536];

int ctl_open(ctl *c, uint16_t h248_port, uint16_t own_port)
{
    c->fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (c->fd < 0)
        return -1;
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(own_port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(c->fd, (struct sockaddr *)&a, sizeof a) != 0)
        return -1;
    socklen_t al = sizeof a;
    if (getsockname(c->fd, (struct sockaddr *)&a, &al) != 0)
        return -1;
    c->own_port = ntohs(a.sin_port);
    a.sin_port = htons(h248_port);
    if (connect(c->fd, (struct sockaddr *)&a, sizeof a) != 0)
        return -1;
    c->tid = 1;
    return 0;
}

/* The UE termination's Add: the gateway listens (a=setup:$ answered
 * passive since the UE is active), TLS in the mode of the kind. */
static int ue_term(const ctl *c, char *p, size_t cap)
{
    switch (c->kind) {
    case CTL_TLS_CERT:
        return snprintf(p, cap,
            "Add = $ { Media { Stream = 1 {\n"
            "Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\na=setup:$\na=fingerprint:sha-256 $\na=path:$\n},\n"
            "Remote {\nv=0\nc=IN IP4 127.0.0.1\nm=message 7394 TCP/TLS/MSRP *\na=setup:active\n"
            "a=fingerprint:sha-256 %s\na=path:msrps://127.0.0.1:7394/ue;tcp\n} } } },\n", c->fp);
    case CTL_TLS_PSK:
        return snprintf(p, cap,
            "Add = $ { Media { Stream = 1 {\n"
            "LocalControl { tlsbsc/psk = %s, tlsbsc/pskid = \"%s\" },\n"
            "Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\na=setup:$\na=path:$\n},\n"
            "Remote {\nv=0\nc=IN IP4 127.0.0.1\nm=message 7394 TCP/TLS/MSRP *\na=setup:active\n"
            "a=path:msrps://127.0.0.1:7394/ue;tcp\n} } } },\n", c->psk_hex, c->psk_id);
    case CTL_PLAIN:
        return snprintf(p, cap,
            "Add = $ { Media { Stream = 1 {\n"
            "Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/MSRP *\na=setup:$\na=path:$\n},\n"
            "Remote {\nv=0\nc=IN IP4 127.0.0.1\nm=message 7394 TCP/MSRP *\na=setup:active\n"
            "a=path:msrp://127.0.0.1:7394/ue;tcp\n} } } },\n");
    }
    return -1;
}

static int add_msg(const ctl *c, unsigned tid)
{
    int n = snprintf(msg, sizeof msg, "MEGACO/1 [127.0.0.1]:%u\nTransaction = %u {\nContext = $ {\n",
                     (unsigned)c->own_port, tid);
    int u = ue_term(c, msg + n, sizeof msg - (size_t)n);
    if (u < 0)
        return -1;
    n += u;
    n += snprintf(msg + n, sizeof msg - (size_t)n,
        "Add = $ { Media { Stream = 1 {\n"
        "Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/MSRP *\na=setup:$\na=path:$\n},\n"
        "Remote {\nv=0\nc=IN IP4 127.0.0.1\nm=message %u TCP/MSRP *\na=setup:passive\n"
        "a=path:msrp://127.0.0.1:%u/core;tcp\n} } } }\n}\n}\n",
        (unsigned)c->sink_port, (unsigned)c->sink_port);
    return n < (int)sizeof msg ? n : -1;
}

/* Waits for one reply; its TransactionID in *tid, text in rep. 0 or -1. */
static int recv_reply(const ctl *c, unsigned *tid)
{
    struct pollfd pf = { c->fd, POLLIN, 0 };
    if (poll(&pf, 1, CTL_TIMEOUT_MS) != 1) {
        fprintf(stderr, "relay_load: no H.248 reply from emsecd within %d ms\n", CTL_TIMEOUT_MS);
        return -1;
    }
    ssize_t r = recv(c->fd, rep, sizeof rep - 1, 0);
    if (r <= 0)
        return -1;
    rep[r] = 0;
    const char *t = strstr(rep, "Reply = ");
    if (t == NULL || sscanf(t, "Reply = %u", tid) != 1) {
        fprintf(stderr, "relay_load: not an H.248 reply:\n%s\n", rep);
        return -1;
    }
    return 0;
}

int ctl_add(ctl *c, int n, unsigned *ctx, uint16_t *port)
{
    unsigned first = c->tid;
    int sent = 0, done = 0, ok = 1;
    memset(ctx, 0, (size_t)n * sizeof *ctx); /* 0: no context (ids start at 1) */
    while (done < sent || (ok && sent < n)) {
        while (ok && sent < n && sent - done < CTL_WINDOW) {
            int len = add_msg(c, c->tid);
            if (len < 0 || send(c->fd, msg, (size_t)len, 0) != len) {
                fprintf(stderr, "relay_load: cannot send an H.248 Add\n");
                return done;
            }
            c->tid++;
            sent++;
        }
        unsigned tid;
        if (recv_reply(c, &tid) != 0)
            return done;
        if (tid < first || tid >= first + (unsigned)sent)
            continue; /* a late reply of an earlier call */
        unsigned i = tid - first, cx;
        const char *cp = strstr(rep, "Context = "), *mp = strstr(rep, "m=message ");
        int p;
        if (strstr(rep, "Error") != NULL || cp == NULL || mp == NULL ||
            sscanf(cp, "Context = %u", &cx) != 1 || sscanf(mp, "m=message %d", &p) != 1) {
            if (ok)
                fprintf(stderr, "relay_load: emsecd refused Add %u (after %d sessions):\n%s\n",
                        i + 1, done, rep);
            ok = 0;
            done++; /* counted as answered; the refused ones are not returned */
            continue;
        }
        ctx[i] = cx;
        port[i] = (uint16_t)p;
        done++;
    }
    if (ok)
        return n;
    /* the sessions added before the first refusal are returned; any added
     * after it (out of order) are subtracted again at once */
    int k = 0;
    while (k < sent && ctx[k] != 0)
        k++;
    if (k < sent) {
        for (int j = k + 1; j < sent; j++)
            if (ctx[j] != 0)
                (void)ctl_sub(c, 1, &ctx[j]);
    }
    return k;
}

int ctl_sub(ctl *c, int n, const unsigned *ctx)
{
    unsigned first = c->tid;
    int sent = 0, done = 0, rc = 0;
    while (done < sent || sent < n) {
        while (sent < n && sent - done < CTL_WINDOW) {
            int len = snprintf(msg, sizeof msg,
                               "MEGACO/1 [127.0.0.1]:%u\nTransaction = %u { Context = %u { Subtract = * } }\n",
                               (unsigned)c->own_port, c->tid, ctx[sent]);
            if (send(c->fd, msg, (size_t)len, 0) != len)
                return -1;
            c->tid++;
            sent++;
        }
        unsigned tid;
        if (recv_reply(c, &tid) != 0)
            return -1;
        if (tid < first || tid >= first + (unsigned)sent)
            continue;
        if (strstr(rep, "Error") != NULL) {
            fprintf(stderr, "relay_load: emsecd refused a Subtract:\n%s\n", rep);
            rc = -1;
        }
        done++;
    }
    return rc;
}
