/*
 * conn_load: many short plain TCP sessions at once, for the emsecd
 * integration case that sets up and tears down 1000 sessions (tcp_peer
 * takes one connection; starting two processes per session would make the
 * case slow). Everything on 127.0.0.1, every wait bounded by --timeout.
 *
 *   conn_load serve PORT --count N [--timeout MS]
 *     Accepts N connections on PORT (the gateway's core legs), echoes what
 *     each sends, and closes each once its peer has closed and everything
 *     was echoed. Exit 0 when N connections were served and closed.
 *   conn_load connect PORTFILE [--bytes K] [--timeout MS]
 *     Connects to every port listed in PORTFILE (one per line, at most 512:
 *     the UE legs), all at once; on each sends K bytes (default 64) that name the
 *     session, reads K bytes back, checks they are the ones sent, closes.
 *     Exit 0 when every session got its bytes back.
 * Exit 1: a session failed or the time ran out (a line says which);
 * 2: usage or socket error.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "peer_net.h"

#define MAX_CONN 512
#define MAX_BYTES 4096

typedef struct conn {
    int fd;               /* -1: done */
    int port;             /* connect: the UE port; serve: 0 */
    unsigned char want[MAX_BYTES];
    unsigned char buf[MAX_BYTES];
    size_t sent, got;     /* connect: bytes sent / received back */
    size_t pend, pend_off; /* serve: received, not yet echoed */
    int eof;              /* serve: the peer closed its side */
} conn;

static conn conns[MAX_CONN];

static int usage(void)
{
    fprintf(stderr, "usage: conn_load serve PORT --count N [--timeout MS]\n"
                    "       conn_load connect PORTFILE [--bytes K] [--timeout MS]\n");
    return 2;
}

static void drop(conn *c)
{
    close(c->fd);
    c->fd = -1;
}

static int serve(int port, int count, long long deadline)
{
    int lfd = peer_listen(port, 128, SOCK_NONBLOCK, 0);
    if (lfd < 0) {
        perror("conn_load serve: bind/listen");
        return 2;
    }
    fprintf(stderr, "conn_load: serving on %d\n", port);
    int accepted = 0, closed = 0, open_now = 0;
    for (int i = 0; i < MAX_CONN; i++)
        conns[i].fd = -1;
    static struct pollfd p[MAX_CONN + 1];
    static int idx[MAX_CONN + 1];
    while (closed < count && peer_now_ms() < deadline) {
        int n = 0;
        if (accepted < count && open_now < MAX_CONN) {
            p[n] = (struct pollfd){ lfd, POLLIN, 0 };
            idx[n++] = -1;
        }
        for (int i = 0; i < MAX_CONN; i++) {
            conn *c = &conns[i];
            if (c->fd < 0)
                continue;
            short ev = c->pend_off < c->pend ? POLLOUT : (c->eof ? 0 : POLLIN);
            p[n] = (struct pollfd){ c->fd, ev, 0 };
            idx[n++] = i;
        }
        if (poll(p, (nfds_t)n, 100) <= 0)
            continue;
        for (int k = 0; k < n; k++) {
            if (p[k].revents == 0)
                continue;
            if (idx[k] < 0) {
                int fd = accept(lfd, NULL, NULL);
                if (fd < 0)
                    continue;
                int slot = 0;
                while (conns[slot].fd >= 0)
                    slot++;
                memset(&conns[slot], 0, sizeof conns[slot]);
                conns[slot].fd = fd;
                accepted++;
                open_now++;
                continue;
            }
            conn *c = &conns[idx[k]];
            if (c->pend_off < c->pend) {
                ssize_t w = send(c->fd, c->buf + c->pend_off, c->pend - c->pend_off, MSG_NOSIGNAL | MSG_DONTWAIT);
                if (w < 0 && errno != EAGAIN) {
                    drop(c);
                    open_now--;
                    closed++;
                    continue;
                }
                if (w > 0)
                    c->pend_off += (size_t)w;
                if (c->pend_off == c->pend)
                    c->pend = c->pend_off = 0;
            } else {
                ssize_t r = recv(c->fd, c->buf, sizeof c->buf, MSG_DONTWAIT);
                if (r > 0)
                    c->pend = (size_t)r;
                else if (r == 0 || errno != EAGAIN)
                    c->eof = 1;
            }
            if (c->eof && c->pend == 0) {
                drop(c);
                open_now--;
                closed++;
            }
        }
    }
    close(lfd);
    fprintf(stderr, "conn_load: %d connections accepted, %d closed (of %d)\n", accepted, closed, count);
    return closed == count ? 0 : 1;
}

static int run_connect(const char *path, size_t bytes, long long deadline)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        perror(path);
        return 2;
    }
    int n = 0, port;
    while (n < MAX_CONN && fscanf(f, "%d", &port) == 1) {
        if (port < 1 || port > 65535) { /* peer_loopback's precondition */
            fprintf(stderr, "conn_load: port %d in %s is not from 1 to 65535\n", port, path);
            fclose(f);
            return 2;
        }
        conn *c = &conns[n];
        memset(c, 0, sizeof *c);
        c->port = port;
        /* bytes that name the session: a mix-up between sessions shows */
        for (size_t i = 0; i < bytes; i++)
            c->want[i] = (unsigned char)("0123456789abcdef"[(port >> (4 * (i % 4))) & 15]);
        c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        struct sockaddr_in sa = peer_loopback(port);
        if (c->fd < 0 || (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) != 0 && errno != EINPROGRESS)) {
            fprintf(stderr, "conn_load: connect to %d: %s\n", port, strerror(errno));
            fclose(f);
            return 1;
        }
        n++;
    }
    if (n == MAX_CONN && fscanf(f, "%d", &port) == 1) {
        fprintf(stderr, "conn_load: more than %d ports in %s\n", MAX_CONN, path);
        fclose(f);
        return 2;
    }
    fclose(f);
    if (n == 0) {
        fprintf(stderr, "conn_load: no port in %s\n", path);
        return 2;
    }
    int done = 0, failed = 0;
    static struct pollfd p[MAX_CONN];
    static int idx[MAX_CONN];
    while (done + failed < n && peer_now_ms() < deadline) {
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (conns[i].fd < 0)
                continue;
            p[m] = (struct pollfd){ conns[i].fd, conns[i].sent < bytes ? POLLOUT : POLLIN, 0 };
            idx[m++] = i;
        }
        if (poll(p, (nfds_t)m, 100) <= 0)
            continue;
        for (int k = 0; k < m; k++) {
            conn *c = &conns[idx[k]];
            if (p[k].revents == 0)
                continue;
            if (c->sent < bytes) {
                ssize_t w = send(c->fd, c->want + c->sent, bytes - c->sent, MSG_NOSIGNAL | MSG_DONTWAIT);
                if (w > 0)
                    c->sent += (size_t)w;
                else if (w < 0 && errno != EAGAIN) {
                    fprintf(stderr, "conn_load: port %d: send: %s\n", c->port, strerror(errno));
                    drop(c);
                    failed++;
                }
                continue;
            }
            ssize_t r = recv(c->fd, c->buf + c->got, bytes - c->got, MSG_DONTWAIT);
            if (r > 0) {
                c->got += (size_t)r;
                if (c->got == bytes) {
                    int same = memcmp(c->buf, c->want, bytes) == 0;
                    if (!same)
                        fprintf(stderr, "conn_load: port %d: other bytes came back\n", c->port);
                    drop(c);
                    same ? done++ : failed++;
                }
            } else if (r == 0 || errno != EAGAIN) {
                fprintf(stderr, "conn_load: port %d: closed after %zu of %zu bytes\n", c->port, c->got, bytes);
                drop(c);
                failed++;
            }
        }
    }
    for (int i = 0; i < n; i++)
        if (conns[i].fd >= 0) {
            fprintf(stderr, "conn_load: port %d: timed out (%zu sent, %zu back)\n", conns[i].port, conns[i].sent,
                    conns[i].got);
            drop(&conns[i]);
        }
    fprintf(stderr, "conn_load: %d of %d sessions echoed their %zu bytes\n", done, n, bytes);
    return done == n ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    long long timeout = 10000, count = 0, bytes = 64;
    int bad = 0;
    for (int i = 3; i < argc && !bad; i++) {
        if (strcmp(argv[i], "--timeout") == 0)
            bad = peer_opt_num("conn_load", argc, argv, &i, 1, INT_MAX, &timeout);
        else if (strcmp(argv[i], "--count") == 0)
            bad = peer_opt_num("conn_load", argc, argv, &i, 1, 1000000, &count);
        else if (strcmp(argv[i], "--bytes") == 0)
            bad = peer_opt_num("conn_load", argc, argv, &i, 1, MAX_BYTES, &bytes);
        else
            bad = 1;
    }
    if (bad)
        return usage();
    long long deadline = peer_now_ms() + timeout;
    if (strcmp(argv[1], "serve") == 0) {
        int port;
        if (peer_port_arg("conn_load", argv[2], &port) != 0 || count <= 0)
            return usage();
        return serve(port, (int)count, deadline);
    }
    if (strcmp(argv[1], "connect") == 0)
        return run_connect(argv[2], (size_t)bytes, deadline);
    return usage();
}
