/*
 * relay_sink: the plain TCP server behind every relay of the relay bench
 * (bench/relay.sh). One process, one epoll loop, any number of connections;
 * speaks the job protocol of relay_proto.h (discard N bytes then ack, or
 * echo N bytes). Its own cost is not measured: it is the same for every relay.
 *
 *   relay_sink PORT [MAX_SECONDS]
 * Listens on 127.0.0.1:PORT until killed, or MAX_SECONDS (default 3600) so
 * that a bench that died cannot leave it behind for long. A connection that
 * sends a bad header is closed and counted on stderr at exit.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "relay_proto.h"

/* Reading pauses while this many echoed bytes wait for the peer to read:
 * the sink never holds more than that per connection (backpressure). */
#define OUT_CAP (32u * 1024u)

typedef struct conn {
    int fd;
    uint8_t hdr[RELAY_HDR_LEN];
    unsigned got;  /* header bytes so far; RELAY_HDR_LEN in a body */
    char mode;
    uint64_t left; /* body bytes still to come */
    uint8_t out[OUT_CAP];
    size_t out_len;
} conn;

static uint8_t rbuf[64 * 1024];
static unsigned long bad_headers, conns_total;
static volatile sig_atomic_t stop;

static void on_term(int sig)
{
    (void)sig;
    stop = 1;
}

static void conn_close(int ep, conn *c)
{
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c);
}

/* Append to the output; 0, or -1 if it would exceed OUT_CAP. Cannot happen
 * for echo (a read takes at most the room left) but the ack after a discard
 * may find a full buffer of a peer that never reads: then it closes. */
static int out_add(conn *c, const uint8_t *p, size_t n)
{
    if (c->out_len + n > OUT_CAP)
        return -1;
    memcpy(c->out + c->out_len, p, n);
    c->out_len += n;
    return 0;
}

/* Feed the bytes read to the job state machine; -1 closes the connection. */
static int feed(conn *c, const uint8_t *p, size_t n)
{
    while (n > 0) {
        if (c->got < RELAY_HDR_LEN) {
            size_t k = RELAY_HDR_LEN - c->got;
            if (k > n)
                k = n;
            memcpy(c->hdr + c->got, p, k);
            c->got += (unsigned)k;
            p += k;
            n -= k;
            if (c->got < RELAY_HDR_LEN)
                return 0;
            if (relay_hdr_get(c->hdr, &c->mode, &c->left) != 0) {
                bad_headers++;
                return -1;
            }
        } else {
            size_t k = c->left < n ? (size_t)c->left : n;
            if (c->mode == RELAY_ECHO && out_add(c, p, k) != 0)
                return -1;
            c->left -= k;
            p += k;
            n -= k;
        }
        if (c->got == RELAY_HDR_LEN && c->left == 0) {
            if (c->mode == RELAY_DISCARD) {
                uint8_t ack = RELAY_ACK;
                if (out_add(c, &ack, 1) != 0)
                    return -1;
            }
            c->got = 0; /* the next job's header */
        }
    }
    return 0;
}

/* Write what is pending; -1 on a dead peer. */
static int flush(conn *c)
{
    size_t off = 0;
    while (off < c->out_len) {
        ssize_t w = send(c->fd, c->out + off, c->out_len - off, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            if (errno == EINTR)
                continue;
            return -1;
        }
        off += (size_t)w;
    }
    memmove(c->out, c->out + off, c->out_len - off);
    c->out_len -= off;
    return 0;
}

static void rearm(int ep, conn *c)
{
    struct epoll_event ev = { .data.ptr = c };
    /* read only while echoed bytes still fit */
    if (c->out_len < OUT_CAP)
        ev.events |= EPOLLIN;
    if (c->out_len > 0)
        ev.events |= EPOLLOUT;
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

static void on_conn(int ep, conn *c, uint32_t events)
{
    if (events & EPOLLOUT) {
        if (flush(c) != 0) {
            conn_close(ep, c);
            return;
        }
    }
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        /* never read more than the output can take back (echo) */
        size_t room = OUT_CAP - c->out_len;
        size_t want = room < sizeof rbuf ? room : sizeof rbuf;
        if (want == 0) {
            rearm(ep, c);
            return;
        }
        ssize_t r = recv(c->fd, rbuf, want, 0);
        if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
            conn_close(ep, c);
            return;
        }
        if (r > 0 && (feed(c, rbuf, (size_t)r) != 0 || flush(c) != 0)) {
            conn_close(ep, c);
            return;
        }
    }
    rearm(ep, c);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: relay_sink PORT [MAX_SECONDS]\n");
        return 2;
    }
    int port = atoi(argv[1]);
    long max_s = argc == 3 ? atol(argv[2]) : 3600;
    if (port <= 0 || port > 65535 || max_s <= 0) {
        fprintf(stderr, "relay_sink: bad PORT or MAX_SECONDS\n");
        return 2;
    }
    signal(SIGTERM, on_term);
    signal(SIGINT, on_term);
    signal(SIGPIPE, SIG_IGN);

    int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (ls < 0 || setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(ls, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(ls, 4096) != 0) {
        perror("relay_sink: listen");
        return 1;
    }
    int ep = epoll_create1(0);
    struct epoll_event lev = { .events = EPOLLIN, .data.ptr = NULL };
    if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, ls, &lev) != 0) {
        perror("relay_sink: epoll");
        return 1;
    }
    time_t end = time(NULL) + max_s;
    struct epoll_event evs[256];
    while (!stop && time(NULL) < end) {
        int n = epoll_wait(ep, evs, 256, 1000);
        for (int i = 0; i < n; i++) {
            if (evs[i].data.ptr != NULL) {
                on_conn(ep, evs[i].data.ptr, evs[i].events);
                continue;
            }
            for (;;) { /* accept all pending */
                int fd = accept4(ls, NULL, NULL, SOCK_NONBLOCK);
                if (fd < 0)
                    break;
                conn *c = calloc(1, sizeof *c);
                if (c == NULL) {
                    close(fd);
                    continue;
                }
                c->fd = fd;
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
                if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
                    close(fd);
                    free(c);
                    continue;
                }
                conns_total++;
            }
        }
    }
    fprintf(stderr, "relay_sink: %lu connections, %lu bad headers\n", conns_total, bad_headers);
    return bad_headers ? 1 : 0;
}
