/*
 * adapters/ctl/ctl_udp.c: UDP socket towards the gateway (see ctl_udp.h).
 */
#include "ctl_udp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static bool parse_addr(const char *s, struct sockaddr_in *a)
{
    char host[64];
    const char *colon = strrchr(s, ':');
    if (colon == NULL || (size_t)(colon - s) >= sizeof host)
        return false;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end != '\0' || port <= 0 || port > 65535)
        return false;
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_port = htons((unsigned short)port);
    return inet_pton(AF_INET, host, &a->sin_addr) == 1;
}

bool ctl_udp_open(ctl_udp *u, const char *gateway, int bind_port)
{
    struct sockaddr_in to, me;
    u->fd = -1;
    if (!parse_addr(gateway, &to)) {
        fprintf(stderr, "emsec-ctl: --gateway %s: not an IPv4 ADDR:PORT\n", gateway);
        return false;
    }
    u->fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (u->fd < 0) {
        perror("emsec-ctl: socket");
        return false;
    }
    memset(&me, 0, sizeof me);
    me.sin_family = AF_INET;
    me.sin_port = htons((unsigned short)bind_port);
    me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t ml = sizeof me;
    if (bind(u->fd, (struct sockaddr *)&me, sizeof me) != 0 ||
        connect(u->fd, (struct sockaddr *)&to, sizeof to) != 0 ||
        getsockname(u->fd, (struct sockaddr *)&me, &ml) != 0) {
        perror("emsec-ctl: bind/connect");
        close(u->fd);
        u->fd = -1;
        return false;
    }
    snprintf(u->mid, sizeof u->mid, "[127.0.0.1]:%u", (unsigned)ntohs(me.sin_port));
    return true;
}

bool ctl_udp_send(ctl_udp *u, const char *msg, size_t len)
{
    if (send(u->fd, msg, len, 0) != (ssize_t)len) {
        perror("emsec-ctl: send");
        return false;
    }
    return true;
}

long ctl_udp_recv(ctl_udp *u, char *buf, size_t cap, int ms)
{
    struct pollfd p = { u->fd, POLLIN, 0 };
    int r = poll(&p, 1, ms);
    if (r == 0 || (r < 0 && errno == EINTR))
        return 0;
    if (r < 0)
        return -1;
    ssize_t n = recv(u->fd, buf, cap - 1u, 0);
    if (n < 0) {
        /* ECONNREFUSED: nothing listens at the gateway's address (ICMP) */
        fprintf(stderr, "emsec-ctl: recv: %s\n", strerror(errno));
        return -1;
    }
    buf[n] = '\0';
    return (long)n;
}

void ctl_udp_close(ctl_udp *u)
{
    if (u->fd >= 0)
        close(u->fd);
    u->fd = -1;
}
