/*
 * adapters/ctl/ctl_udp.h: the controller's H.248 transport over UDP
 * (H.248.1 Annex D.1: one message per datagram, text encoding) towards one
 * gateway, with bounded waits and retransmission.
 */
#ifndef EMSEC_CTL_UDP_H
#define EMSEC_CTL_UDP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ctl_udp {
    int fd;
    char mid[64]; /* our mId: "[ADDR]:PORT" of the bound socket */
} ctl_udp;

/* Open a UDP socket bound to 127.0.0.1:bind_port (0: the kernel picks) and
 * connected to `gateway` ("ADDR:PORT", IPv4). Returns false with a message
 * on stderr. */
bool ctl_udp_open(ctl_udp *u, const char *gateway, int bind_port);

bool ctl_udp_send(ctl_udp *u, const char *msg, size_t len);

/* One datagram within `ms` into buf (NUL-terminated); returns its length,
 * 0 on timeout or a signal, -1 on error. */
long ctl_udp_recv(ctl_udp *u, char *buf, size_t cap, int ms);

void ctl_udp_close(ctl_udp *u);

#endif
