/*
 * H.248 control of emsecd for the relay bench's load generator
 * (relay_load.c). emsecd is not configured with static ports: each session
 * is one context the controller Adds, whose UE termination listens on a
 * port the gateway hands out (round robin over --ports) and accepts exactly
 * one connection; the core termination connects to the sink at once
 * (immediate establishment). So the load generator plays the controller:
 * one transaction per session, up to CTL_WINDOW in flight over UDP
 * (RFC 3525 Annex D.1: one message per datagram), one Subtract per context
 * when the sessions are done.
 */
#ifndef BENCH_RELAY_CTL_H
#define BENCH_RELAY_CTL_H

#include <stdint.h>

typedef enum ctl_kind {
    CTL_TLS_CERT,   /* UE leg TLS server, certificate checked by fingerprint */
    CTL_TLS_PSK,    /* UE leg TLS server, PSK (tlsbsc/psk, tlsbsc/pskid) */
    CTL_PLAIN       /* both legs plain TCP: bytes relayed as they are */
} ctl_kind;

typedef struct ctl {
    int fd;              /* UDP socket connected to emsecd's H.248 port */
    uint16_t own_port;   /* our port, named in the mId */
    uint16_t sink_port;  /* where the core legs connect */
    unsigned tid;        /* next TransactionID */
    ctl_kind kind;
    char fp[200];        /* sha-256 of the client certificate, RFC 8122 form */
    char psk_hex[130];
    char psk_id[130];
} ctl;

/* Opens the socket (bound to own_port on 127.0.0.1 when not 0). 0 or -1. */
int ctl_open(ctl *c, uint16_t h248_port, uint16_t own_port);

/* Adds n sessions (one context each); ctx[i] and port[i] (the UE leg's
 * listening port) for the first k; returns k. k < n when the gateway refused
 * an Add (its Error descriptor is printed once on stderr: e.g. 510 when its
 * context table is full) or did not answer within 5 s. */
int ctl_add(ctl *c, int n, unsigned *ctx, uint16_t *port);

/* Subtracts every termination of each context. 0, or -1 (printed). */
int ctl_sub(ctl *c, int n, const unsigned *ctx);

#endif /* BENCH_RELAY_CTL_H */
