/*
 * tcp_peer: a plain TCP peer for the emsecd integration tests (the "core"
 * side of an e2ae session). Listens on or connects to 127.0.0.1:PORT, takes
 * one connection, optionally sends a file, echoes what it receives
 * (--echo), records it (--out FILE), and after --expect N bytes shuts its
 * write side and waits for the other end's. Every wait is bounded by
 * --timeout MS (default 10000). --read-delay MS makes it a slow reader (a
 * pause after each read, and a receive buffer of 8 KB so that the kernel
 * does not absorb what the relay sends), so that the relay's buffers fill
 * and its backpressure is exercised.
 *
 * --pause-every N changes the slow reader for big transfers: the
 * --read-delay pause comes once per N bytes received instead of after each
 * read, and the receive buffer keeps its default size (full speed in
 * between, stalls long enough for the relay's buffers to fill).
 *
 * --reset-after N closes with a RST (SO_LINGER 0) once N bytes arrived: a
 * peer that resets mid-transfer.
 *
 * --send FILE is read as it is sent (64 KB at a time, never whole: FILE may
 * be a FIFO or "-" for stdin, e.g. a stream of 1 GiB from a generator).
 * "connection accepted" / "connected" go to stderr when the connection is
 * up (a test can tell when the other end connected).
 *
 *   tcp_peer listen|connect PORT [--echo] [--send FILE|-] [--out FILE]
 *            [--expect N] [--timeout MS] [--read-delay MS] [--pause-every N]
 *            [--reset-after N]
 * Exit: 0 done (the expected count received and the peer closed), 1 short
 * or timed out, 2 usage or socket error.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "peer_net.h"

static int usage(void)
{
    fprintf(stderr, "usage: tcp_peer listen|connect PORT [--echo] [--send FILE|-] [--out FILE] "
                    "[--expect N] [--timeout MS] [--read-delay MS] [--pause-every N] [--reset-after N]\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    int listening = strcmp(argv[1], "listen") == 0;
    if (!listening && strcmp(argv[1], "connect") != 0)
        return usage();
    int port;
    if (peer_port_arg("tcp_peer", argv[2], &port) != 0)
        return usage();
    int echo = 0, bad = 0;
    const char *send_path = NULL, *out_path = NULL;
    long long expect = -1, timeout = 10000, read_delay = 0, reset_after = -1, pause_every = 0;
    for (int i = 3; i < argc && !bad; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--echo") == 0)
            echo = 1;
        else if (strcmp(a, "--send") == 0 && i + 1 < argc)
            send_path = argv[++i];
        else if (strcmp(a, "--out") == 0 && i + 1 < argc)
            out_path = argv[++i];
        else if (strcmp(a, "--expect") == 0)
            bad = peer_opt_num("tcp_peer", argc, argv, &i, 0, LLONG_MAX, &expect);
        else if (strcmp(a, "--timeout") == 0)
            bad = peer_opt_num("tcp_peer", argc, argv, &i, 1, INT_MAX, &timeout);
        else if (strcmp(a, "--read-delay") == 0) /* ms; usleep takes at most ~4295 s */
            bad = peer_opt_num("tcp_peer", argc, argv, &i, 0, 60000, &read_delay);
        else if (strcmp(a, "--pause-every") == 0)
            bad = peer_opt_num("tcp_peer", argc, argv, &i, 0, LLONG_MAX, &pause_every);
        else if (strcmp(a, "--reset-after") == 0)
            bad = peer_opt_num("tcp_peer", argc, argv, &i, 0, LLONG_MAX, &reset_after);
        else
            bad = 1;
    }
    if (bad || (pause_every > 0 && read_delay <= 0))
        return usage();
    long long deadline = peer_now_ms() + timeout;
    /* the slow reader's small window, unless --pause-every asks for full
     * speed between its pauses */
    int rcvbuf = read_delay > 0 && pause_every == 0 ? 8192 : 0;
    int fd;
    if (listening) {
        int lfd = peer_listen(port, 1, 0, rcvbuf);
        if (lfd < 0) {
            perror("tcp_peer: bind/listen");
            return 2;
        }
        fprintf(stderr, "tcp_peer: listening on %d\n", port);
        fd = peer_accept_one(lfd, deadline);
        if (fd < 0 && errno == ETIMEDOUT) {
            fprintf(stderr, "tcp_peer: no connection within %lld ms\n", timeout);
            return 1;
        }
        if (fd < 0) {
            perror("tcp_peer: accept");
            return 2;
        }
        fprintf(stderr, "tcp_peer: connection accepted\n");
    } else {
        fd = peer_connect_retry(port, rcvbuf, deadline, 100);
        if (fd < 0) {
            fprintf(stderr, "tcp_peer: cannot connect to %d: %s\n", port, strerror(errno));
            return 1;
        }
        fprintf(stderr, "tcp_peer: connected\n");
    }
    FILE *out = out_path != NULL ? fopen(out_path, "wb") : NULL;
    int sfd = -1;
    if (send_path != NULL)
        sfd = strcmp(send_path, "-") == 0 ? 0 : open(send_path, O_RDONLY);
    if ((out_path != NULL && out == NULL) || (send_path != NULL && sfd < 0)) {
        fprintf(stderr, "tcp_peer: cannot open --out or --send file\n");
        return 2;
    }
    /* the --send stream: one chunk at a time, refilled when sent */
    static unsigned char sbuf[65536];
    size_t slen = 0, soff = 0;
    long long sent = 0, next_pause = pause_every;
    int send_eof = sfd < 0;
    /* echo backlog: what was received and not yet sent back */
    size_t ecap = 1u << 20, elen = 0, eoff = 0;
    unsigned char *eb = malloc(ecap);
    long long received = 0, echoed = 0;
    int peer_eof = 0, shut = 0, rc = 1;
    unsigned char buf[16384];
    while (peer_now_ms() < deadline) {
        if (reset_after >= 0 && received >= reset_after) {
            struct linger lg = { 1, 0 }; /* close() sends RST, not FIN */
            (void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
            fprintf(stderr, "tcp_peer: reset after %lld bytes\n", received);
            rc = 0;
            break;
        }
        if (!send_eof && soff == slen && !shut) {
            ssize_t r = read(sfd, sbuf, sizeof sbuf); /* a generator is never slow for long */
            if (r < 0) {
                perror("tcp_peer: read --send");
                break;
            }
            send_eof = r == 0;
            slen = r > 0 ? (size_t)r : 0;
            soff = 0;
        }
        int send_done = send_eof && soff == slen;
        int want_shut = (expect >= 0 && received >= expect) || (expect < 0 && peer_eof);
        if (!shut && want_shut && eoff == elen && send_done) {
            shutdown(fd, SHUT_WR);
            shut = 1;
        }
        if (peer_eof && shut) {
            rc = expect < 0 || received == expect ? 0 : 1;
            break;
        }
        struct pollfd p = { fd, 0, 0 };
        if (!peer_eof && elen - eoff < ecap / 2)
            p.events |= POLLIN;
        if (!shut && (eoff < elen || !send_done))
            p.events |= POLLOUT;
        int n = poll(&p, 1, 100);
        if (n <= 0)
            continue;
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t r = recv(fd, buf, sizeof buf, 0);
            if (r < 0) {
                perror("tcp_peer: recv");
                break;
            }
            if (r == 0) {
                peer_eof = 1;
            } else {
                received += r;
                if (read_delay > 0 && (pause_every == 0 || received >= next_pause)) {
                    usleep((useconds_t)(read_delay * 1000));
                    next_pause = received + pause_every;
                }
                if (out != NULL)
                    fwrite(buf, 1, (size_t)r, out);
                if (echo) {
                    if (eoff > 0 && eoff == elen)
                        eoff = elen = 0;
                    if (elen + (size_t)r > ecap) {
                        memmove(eb, eb + eoff, elen - eoff);
                        elen -= eoff;
                        eoff = 0;
                    }
                    memcpy(eb + elen, buf, (size_t)r);
                    elen += (size_t)r;
                }
            }
        }
        if (p.revents & POLLOUT) {
            /* MSG_DONTWAIT: a send blocked until all is written would stop
             * the reads too, and with the relay's buffers full both ways
             * neither end would move again */
            ssize_t w = 0;
            if (!send_done) {
                w = send(fd, sbuf + soff, slen - soff, MSG_NOSIGNAL | MSG_DONTWAIT);
                if (w > 0) {
                    soff += (size_t)w;
                    sent += w;
                }
            } else if (eoff < elen) {
                w = send(fd, eb + eoff, elen - eoff, MSG_NOSIGNAL | MSG_DONTWAIT);
                if (w > 0) {
                    eoff += (size_t)w;
                    echoed += w;
                }
            }
            if (w < 0 && errno != EAGAIN) {
                perror("tcp_peer: send");
                break;
            }
        }
    }
    fprintf(stderr, "tcp_peer: received %lld bytes, sent %lld + echoed %lld, peer %s\n", received, sent, echoed,
            peer_eof ? "closed" : "still open");
    if (out != NULL)
        fclose(out);
    if (sfd > 0)
        close(sfd);
    free(eb);
    close(fd);
    return rc;
}
