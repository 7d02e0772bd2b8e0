/*
 * emsecd H.248 over TCP (H.248.1 Annex D.2) with TPKT framing (RFC 1006 §6):
 * each message is preceded by a 4-byte header: version 3, a reserved 0
 * octet, and the 16-bit length of the whole packet, header included
 * (min 7, max 65535). The listener shares --listen's address and port with
 * the UDP socket.
 *
 * Per connection: one reassembly buffer that holds exactly one TPKT at most
 * (65535 bytes: the length field cannot say more), so a peer cannot make the
 * gateway buffer more than that; unsent replies are bounded too
 * (ED_H248_TCP_OUT) and a peer that does not read them is disconnected. A
 * header that is not a TPKT (version, reserved octet, length below 7) closes
 * the connection with a log line: the stream cannot be resynchronised.
 *
 * The connection to a --controller tcp:ADDR:PORT is a slot like the others,
 * opened by the gateway (controller_tcp.c, ed_h248_tcp_adopt): its loss is
 * reported there, which connects again.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "emsecd.h"

#define TPKT_MAX 65535u

int ed_h248_tcp_open(emsecd *d)
{
    for (uint16_t i = 0u; i < ED_H248_TCP_MAX; i++)
        d->tcp[i].fd = -1;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        fprintf(stderr, "emsecd: socket: %s\n", strerror(errno));
        return -1;
    }
    int one = 1;
    (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&d->h248_addr, sizeof d->h248_addr) != 0 || listen(fd, 16) != 0) {
        fprintf(stderr, "emsecd: bind/listen tcp %s: %s\n", d->cfg.listen, strerror(errno));
        close(fd);
        return -1;
    }
    d->h248_tcp_lfd = fd;
    if (ed_epoll_set(d, fd, ED_TAG_H248_TCP_LISTEN, ED_NO_TERM, EPOLLIN, true) != 0)
        return -1;
    ed_log(NULL, "h248 tcp (tpkt) listening on %s", d->cfg.listen);
    return 0;
}

static void tcp_close(emsecd *d, uint16_t slot, const char *why)
{
    ed_h248_tcp *c = &d->tcp[slot];
    if (c->fd < 0)
        return;
    bool controller = c->controller;
    ed_log(NULL, "h248 tcp %s closed: %s", c->peer, why);
    close(c->fd); /* also leaves the epoll set */
    free(c->in);
    free(c->out);
    c->in = c->out = NULL;
    c->in_len = c->out_start = c->out_end = 0u;
    c->pollout = false;
    c->closing = NULL;
    c->controller = c->connecting = false;
    c->fd = -1;
    c->gen++;
    if (controller)
        ed_ctl_tcp_lost(d, why);
}

void ed_h248_tcp_close_all(emsecd *d)
{
    for (uint16_t i = 0u; i < ED_H248_TCP_MAX; i++)
        tcp_close(d, i, "gateway stopping");
    if (d->h248_tcp_lfd >= 0)
        close(d->h248_tcp_lfd);
    d->h248_tcp_lfd = -1;
}

static int set_interest(emsecd *d, uint16_t slot, bool add)
{
    ed_h248_tcp *c = &d->tcp[slot];
    uint32_t ev = EPOLLIN | EPOLLRDHUP | (c->pollout ? EPOLLOUT : 0u);
    struct epoll_event e;
    memset(&e, 0, sizeof e);
    e.events = ev;
    e.data.u64 = ed_ep_key(c->gen, ED_TAG_H248_TCP, slot);
    if (epoll_ctl(d->ep, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, c->fd, &e) != 0) {
        ed_log(NULL, "h248 tcp %s: epoll_ctl: %s", c->peer, strerror(errno));
        return -1;
    }
    return 0;
}

void ed_h248_tcp_accept(emsecd *d)
{
    for (int i = 0; i < 16; i++) {
        struct sockaddr_in from;
        socklen_t from_len = sizeof from;
        int fd = accept4(d->h248_tcp_lfd, (struct sockaddr *)&from, &from_len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                ed_log(NULL, "h248 tcp accept: %s", strerror(errno));
            return;
        }
        char addr[INET_ADDRSTRLEN] = "?";
        (void)inet_ntop(AF_INET, &from.sin_addr, addr, sizeof addr);
        uint16_t slot = 0u;
        while (slot < ED_H248_TCP_MAX && d->tcp[slot].fd >= 0)
            slot++;
        if (slot == ED_H248_TCP_MAX) {
            ed_log(NULL, "h248 tcp %s:%u refused: %u connections open already", addr, (unsigned)ntohs(from.sin_port),
                   ED_H248_TCP_MAX);
            close(fd);
            continue;
        }
        ed_h248_tcp *c = &d->tcp[slot];
        c->pollout = false;
        c->controller = c->connecting = false;
        c->in = malloc(TPKT_MAX);
        if (c->in == NULL) {
            ed_log(NULL, "h248 tcp %s:%u refused: out of memory", addr, (unsigned)ntohs(from.sin_port));
            close(fd);
            continue;
        }
        c->fd = fd;
        snprintf(c->peer, sizeof c->peer, "%s:%u", addr, (unsigned)ntohs(from.sin_port));
        if (set_interest(d, slot, true) != 0) {
            tcp_close(d, slot, "epoll");
            continue;
        }
        ed_log(NULL, "h248 tcp %s connected (slot %u)", c->peer, (unsigned)slot);
    }
}

int ed_h248_tcp_adopt(emsecd *d, int fd, const char *peer, bool connecting)
{
    uint16_t slot = 0u;
    while (slot < ED_H248_TCP_MAX && d->tcp[slot].fd >= 0)
        slot++;
    ed_h248_tcp *c = slot < ED_H248_TCP_MAX ? &d->tcp[slot] : NULL;
    if (c == NULL || (c->in = malloc(TPKT_MAX)) == NULL) {
        close(fd);
        return -1;
    }
    c->fd = fd;
    c->controller = true;
    c->connecting = connecting;
    c->pollout = connecting; /* the connect completes as writable */
    snprintf(c->peer, sizeof c->peer, "%s", peer);
    if (set_interest(d, slot, true) != 0) {
        c->controller = false; /* not reported as a loss: the caller retries */
        tcp_close(d, slot, "epoll");
        return -1;
    }
    return (int)slot;
}

/* Write what is queued; false when the connection failed (the caller closes). */
static bool flush(emsecd *d, uint16_t slot)
{
    ed_h248_tcp *c = &d->tcp[slot];
    while (c->out_end > c->out_start) {
        ssize_t n = send(c->fd, c->out + c->out_start, c->out_end - c->out_start, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
                break;
            ed_log(NULL, "h248 tcp %s send: %s", c->peer, strerror(errno));
            return false;
        }
        c->out_start += (uint32_t)n;
    }
    if (c->out_start == c->out_end)
        c->out_start = c->out_end = 0u;
    bool want = c->out_end > c->out_start;
    if (want != c->pollout) {
        c->pollout = want;
        (void)set_interest(d, slot, false);
    }
    return true;
}

bool ed_h248_tcp_send(emsecd *d, uint16_t slot, const char *text, uint32_t len)
{
    if (slot >= ED_H248_TCP_MAX || d->tcp[slot].fd < 0 || d->tcp[slot].closing != NULL || d->tcp[slot].connecting)
        return false;
    ed_h248_tcp *c = &d->tcp[slot];
    if (len > TPKT_MAX - ED_TPKT_HDR) {
        ed_log(NULL, "h248 tcp %s: %u bytes do not fit one TPKT (65531 at most): not sent", c->peer, (unsigned)len);
        return false;
    }
    if (c->out == NULL && (c->out = malloc(ED_H248_TCP_OUT)) == NULL) {
        ed_log(NULL, "h248 tcp %s: out of memory: %u bytes not sent", c->peer, (unsigned)len);
        return false;
    }
    if (c->out_start > 0u && c->out_end + ED_TPKT_HDR + len > ED_H248_TCP_OUT) {
        memmove(c->out, c->out + c->out_start, c->out_end - c->out_start);
        c->out_end -= c->out_start;
        c->out_start = 0u;
    }
    if (c->out_end + ED_TPKT_HDR + len > ED_H248_TCP_OUT) {
        /* the peer reads nothing: dropping a reply silently would desynchronise
         * it, so the connection ends (shutdown now; closed on its next event) */
        ed_log(NULL, "h248 tcp %s: %u bytes unsent already, peer not reading: disconnecting", c->peer,
               (unsigned)(c->out_end - c->out_start));
        (void)shutdown(c->fd, SHUT_RDWR);
        c->closing = "peer not reading its replies";
        return false;
    }
    uint32_t total = ED_TPKT_HDR + len;
    uint8_t *p = c->out + c->out_end;
    p[0] = 3u; /* RFC 1006 §6: vrsn 3 */
    p[1] = 0u; /* reserved */
    p[2] = (uint8_t)(total >> 8);
    p[3] = (uint8_t)total;
    memcpy(p + ED_TPKT_HDR, text, len);
    c->out_end += total;
    if (!flush(d, slot)) {
        (void)shutdown(c->fd, SHUT_RDWR);
        c->closing = "send failed";
        return false;
    }
    return true;
}

/* Whole TPKTs at the start of the buffer go to the core, the rest waits. */
static bool parse(emsecd *d, uint16_t slot)
{
    ed_h248_tcp *c = &d->tcp[slot];
    uint32_t gen = c->gen;
    uint32_t off = 0u;
    while (c->in_len - off >= ED_TPKT_HDR) {
        const uint8_t *h = c->in + off;
        uint32_t plen = (uint32_t)h[2] << 8 | h[3];
        if (h[0] != 3u || h[1] != 0u || plen < ED_TPKT_MIN) {
            char why[128];
            snprintf(why, sizeof why, "malformed TPKT header %02x %02x %02x %02x (RFC 1006: version 3, 0, length >= 7)",
                     h[0], h[1], h[2], h[3]);
            d->met.tpkt_malformed++;
            tcp_close(d, slot, why);
            return false;
        }
        if (c->in_len - off < plen)
            break;
        ed_h248_message(d, (const char *)h + ED_TPKT_HDR, plen - ED_TPKT_HDR, NULL, 0, (int)slot);
        if (c->fd < 0 || c->gen != gen)
            return false;
        if (c->closing != NULL) {
            tcp_close(d, slot, c->closing);
            return false;
        }
        off += plen;
    }
    if (off > 0u) {
        memmove(c->in, c->in + off, c->in_len - off);
        c->in_len -= off;
    }
    return true;
}

void ed_h248_tcp_ready(emsecd *d, uint16_t slot, uint32_t events)
{
    ed_h248_tcp *c = &d->tcp[slot];
    if (c->closing != NULL) {
        tcp_close(d, slot, c->closing);
        return;
    }
    if (c->connecting) {
        /* the controller connection's connect ended: SO_ERROR says how */
        int err = 0;
        socklen_t len = sizeof err;
        if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
            err = errno;
        if (err != 0) {
            tcp_close(d, slot, strerror(err));
            return;
        }
        if ((events & (EPOLLOUT | EPOLLIN)) == 0u)
            return;
        c->connecting = false;
        c->pollout = false;
        if (set_interest(d, slot, false) != 0) {
            tcp_close(d, slot, "epoll");
            return;
        }
        ed_ctl_tcp_up(d);
        return;
    }
    if ((events & EPOLLOUT) != 0u && !flush(d, slot)) {
        tcp_close(d, slot, "send failed");
        return;
    }
    if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) == 0u)
        return;
    /* bounded: at most 16 reads before other sockets get their turn */
    for (int i = 0; i < 16; i++) {
        uint32_t room = TPKT_MAX - c->in_len;
        ssize_t n = recv(c->fd, c->in + c->in_len, room, 0);
        if (n == 0) {
            tcp_close(d, slot, c->in_len > 0u ? "peer closed mid-message" : "peer closed");
            return;
        }
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
                return;
            tcp_close(d, slot, strerror(errno));
            return;
        }
        c->in_len += (uint32_t)n;
        if (!parse(d, slot))
            return;
    }
}
