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
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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
    int port = atoi(argv[2]);
    int echo = 0;
    const char *send_path = NULL, *out_path = NULL;
    long long expect = -1, timeout = 10000, read_delay = 0, reset_after = -1, pause_every = 0;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--echo") == 0)
            echo = 1;
        else if (strcmp(argv[i], "--send") == 0 && i + 1 < argc)
            send_path = argv[++i];
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out_path = argv[++i];
        else if (strcmp(argv[i], "--expect") == 0 && i + 1 < argc)
            expect = atoll(argv[++i]);
        else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
            timeout = atoll(argv[++i]);
        else if (strcmp(argv[i], "--read-delay") == 0 && i + 1 < argc)
            read_delay = atoll(argv[++i]);
        else if (strcmp(argv[i], "--pause-every") == 0 && i + 1 < argc)
            pause_every = atoll(argv[++i]);
        else if (strcmp(argv[i], "--reset-after") == 0 && i + 1 < argc)
            reset_after = atoll(argv[++i]);
        else
            return usage();
    }
    if (port <= 0 || port > 65535 || pause_every < 0 || (pause_every > 0 && read_delay <= 0))
        return usage();
    long long deadline = now_ms() + timeout;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("tcp_peer: socket");
        return 2;
    }
    if (read_delay > 0 && pause_every == 0) {
        int small = 8192;
        (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    }
    if (listening) {
        int one = 1;
        (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 1) != 0) {
            perror("tcp_peer: bind/listen");
            return 2;
        }
        fprintf(stderr, "tcp_peer: listening on %d\n", port);
        struct pollfd p = { fd, POLLIN, 0 };
        if (poll(&p, 1, (int)timeout) != 1) {
            fprintf(stderr, "tcp_peer: no connection within %lld ms\n", timeout);
            close(fd);
            return 1;
        }
        int c = accept(fd, NULL, NULL);
        close(fd);
        if (c < 0) {
            perror("tcp_peer: accept");
            return 2;
        }
        fd = c;
        fprintf(stderr, "tcp_peer: connection accepted\n");
    } else {
        int ok = 0;
        while (now_ms() < deadline) { /* bounded retries: the gateway may not listen yet */
            if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
                ok = 1;
                break;
            }
            close(fd);
            fd = socket(AF_INET, SOCK_STREAM, 0);
            usleep(100000);
        }
        if (!ok) {
            fprintf(stderr, "tcp_peer: cannot connect to %d\n", port);
            close(fd);
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
    while (now_ms() < deadline) {
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
