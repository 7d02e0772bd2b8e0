/*
 * h248send: H.248 text to and from a gateway, for the emsecd integration
 * tests.
 *
 * Client (default): sends FILE to ADDR:PORT, waits (bounded) for the reply
 * and prints it; with --wait-notify MS it then waits that long for the
 * gateway's own request (a Notify) and prints it after a "--- notify" line.
 * --bind PORT sends from a fixed local port (UDP), so that the gateway's
 * "last controller" (where Notify goes) is this process.
 * --tcp: over TCP with TPKT framing (RFC 1006 §6: 03 00 LEN16, the length
 * counting the 4-byte header), replies read as TPKTs. --raw: with --tcp,
 * FILE's bytes are sent as they are, without a TPKT header (a malformed
 * stream): the tool then expects the gateway to close the connection.
 * --chunk N: with --tcp, the bytes go out N at a time, 2 ms apart, with
 * TCP_NODELAY (the gateway must reassemble a TPKT split across reads).
 *
 *   h248send [--bind PORT] [--timeout MS] [--wait-notify MS] [--tcp [--raw] [--chunk N]] ADDR:PORT FILE
 * Exit: 0 reply (and notify, if asked) received, 1 no reply in time,
 * 3 no notify in time, 4 (--raw) the gateway closed the connection,
 * 2 usage or I/O error.
 *
 * Controller (--serve PORT): plays the controller a gateway registers with.
 * Receives requests on UDP 127.0.0.1:PORT, prints each after a
 * "--- request N" line, and answers each with "Reply = TID { Context = - {
 * ServiceChange = ROOT } }" for its TransactionID, sent back to the sender;
 * --ignore K leaves the first K unanswered (the gateway must retransmit).
 * --pending answers as a controller that takes its time (RFC 3525 Annex
 * D.1.4): "Pending = TID { }" first, the Reply 300 ms later with
 * ImmAckRequired, then up to 3 s for the gateway's TransactionResponseAck,
 * printed after a "--- ack" line (what else arrives meanwhile is printed as
 * a request, not answered).
 * --services TEXT puts "Services { TEXT }" in each Reply's ServiceChange
 * (e.g. "ServiceChangeAddress = 3000", "MgcIdToTry = [127.0.0.1]:2944").
 * Stops after --count N requests answered (default 1), or after --timeout MS.
 *
 * --tcp: the controller over TCP (the gateway's --controller tcp:ADDR:PORT):
 * it listens on 127.0.0.1:PORT, the requests and replies in TPKTs, one
 * connection at a time; --drop-after K closes it after the K-th answer and
 * takes the gateway's next connection ("--- connection N" lines). --pending
 * is UDP only.
 *
 *   h248send --serve PORT [--tcp [--drop-after K]] [--count N] [--ignore K] [--pending] [--services TEXT]
 *            [--timeout MS]
 * Exit: 0 N requests answered, 1 timeout, 2 usage or I/O error, 3 (--pending)
 * no TransactionResponseAck within 3 s of a Reply.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "peer_net.h"
#include <unistd.h>

static char buf[65536 + 4];

static int usage(void)
{
    fprintf(stderr, "usage: h248send [--bind PORT] [--timeout MS] [--wait-notify MS] [--tcp [--raw] [--chunk N]] "
                    "ADDR:PORT FILE\n"
                    "       h248send --serve PORT [--tcp [--drop-after K]] [--count N] [--ignore K] [--pending] "
                    "[--services TEXT] [--timeout MS]\n");
    return 2;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void print(const char *p, size_t n)
{
    fwrite(p, 1, n, stdout);
    if (n == 0 || p[n - 1] != '\n')
        putchar('\n');
    fflush(stdout);
}

/* One datagram within ms, printed; 0 on timeout. */
static int receive_udp(int fd, int ms)
{
    struct pollfd p = { fd, POLLIN, 0 };
    if (poll(&p, 1, ms) != 1)
        return 0;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0)
        return 0;
    print(buf, (size_t)n);
    return 1;
}

/* Exactly n bytes within the deadline: 1, 0 timeout, -1 closed or error. */
static int read_full(int fd, char *p, size_t n, long long deadline)
{
    size_t got = 0;
    while (got < n) {
        long long left = deadline - now_ms();
        struct pollfd pf = { fd, POLLIN, 0 };
        if (left <= 0 || poll(&pf, 1, (int)left) != 1)
            return 0;
        ssize_t r = recv(fd, p + got, n - got, 0);
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 1;
}

/* One TPKT within ms, its payload printed: 1, 0 timeout, -1 closed, -2 bad header. */
static int receive_tpkt(int fd, int ms)
{
    long long deadline = now_ms() + ms;
    unsigned char h[4];
    int r = read_full(fd, (char *)h, 4, deadline);
    if (r != 1)
        return r;
    size_t len = (size_t)h[2] << 8 | h[3];
    if (h[0] != 3 || h[1] != 0 || len < 7) {
        fprintf(stderr, "h248send: malformed TPKT header from the gateway: %02x %02x %02x %02x\n", h[0], h[1], h[2],
                h[3]);
        return -2;
    }
    r = read_full(fd, buf, len - 4, deadline);
    if (r != 1)
        return r;
    print(buf, len - 4);
    return 1;
}

static int parse_addr(const char *s, struct sockaddr_in *to)
{
    char host[64];
    const char *colon = strrchr(s, ':');
    if (colon == NULL || (size_t)(colon - s) >= sizeof host)
        return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    int port;
    if (peer_port_arg("h248send", colon + 1, &port) != 0)
        return -1;
    memset(to, 0, sizeof *to);
    to->sin_family = AF_INET;
    to->sin_port = htons((unsigned short)port);
    return inet_pton(AF_INET, host, &to->sin_addr) == 1 ? 0 : -1;
}

/* --pending: after the Reply with ImmAckRequired, up to 3 s for the
 * gateway's TransactionResponseAck; other datagrams are printed as requests
 * (seen counts them). 1: the ack came. */
static int await_ack(int fd, int *seen)
{
    long long deadline = now_ms() + 3000;
    for (;;) {
        long long left = deadline - now_ms();
        struct pollfd p = { fd, POLLIN, 0 };
        if (left <= 0 || poll(&p, 1, (int)left) != 1)
            return 0;
        ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
        if (n <= 0)
            continue;
        buf[n] = '\0';
        int ack = strstr(buf, "TransactionResponseAck") != NULL;
        if (ack)
            printf("--- ack\n");
        else
            printf("--- request %d\n", ++*seen);
        print(buf, (size_t)n);
        if (ack)
            return 1;
    }
}

/* The TransactionID of a request: the first "Transaction = N" (0: none). */
static unsigned long tid_of(const char *text)
{
    const char *t = strstr(text, "Transaction");
    if (t == NULL || (t = strchr(t, '=')) == NULL)
        return 0;
    return strtoul(t + 1, NULL, 10);
}

/* The controller's Reply to transaction tid; -1 when it does not fit. */
static int reply_text(char *out, size_t cap, int port, unsigned long tid, int pending, const char *services)
{
    int len = snprintf(out, cap,
                       "MEGACO/1 [127.0.0.1]:%d\nReply = %lu {%s\n    Context = - {\n"
                       "        ServiceChange = ROOT%s%s%s\n    }\n}\n",
                       port, tid, pending ? " ImmAckRequired," : "", services != NULL ? " { Services { " : "",
                       services != NULL ? services : "", services != NULL ? " } }" : "");
    return len < 0 || (size_t)len >= cap ? -1 : len;
}

/* A socket of `type` bound to 127.0.0.1:port (listening when a stream);
 * -1 with the reason on stderr. */
static int bound_socket(int type, int port)
{
    int fd = socket(AF_INET, type, 0);
    struct sockaddr_in me;
    memset(&me, 0, sizeof me);
    me.sin_family = AF_INET;
    me.sin_port = htons((unsigned short)port);
    me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, (struct sockaddr *)&me, sizeof me) != 0 || (type == SOCK_STREAM && listen(fd, 4) != 0)) {
        perror("h248send --serve: bind");
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* --serve --tcp: the gateway connects (its --controller tcp:); each TPKT is
 * a request, printed and answered in a TPKT on the same connection.
 * --drop-after K closes the connection after the K-th answer and waits for
 * the gateway to connect again ("--- connection N" before each). */
static int serve_tcp(int port, int count, int ignore, const char *services, int drop_after, int timeout)
{
    int lfd = bound_socket(SOCK_STREAM, port);
    if (lfd < 0)
        return 2;
    long long deadline = now_ms() + timeout;
    int fd = -1, seen = 0, answered = 0, conns = 0, rc = 0;
    while (answered < count) {
        long long left = deadline - now_ms();
        if (left <= 0) {
            rc = 1;
            break;
        }
        if (fd < 0) {
            struct pollfd p = { lfd, POLLIN, 0 };
            if (poll(&p, 1, (int)left) != 1 || (fd = accept(lfd, NULL, NULL)) < 0) {
                rc = 1;
                break;
            }
            printf("--- connection %d\n", ++conns);
            fflush(stdout);
        }
        unsigned char h[4] = { 0, 0, 0, 0 };
        int r = read_full(fd, (char *)h, 4, deadline);
        size_t plen = r == 1 ? ((size_t)h[2] << 8 | h[3]) : 0;
        if (r == 1 && (h[0] != 3 || h[1] != 0 || plen < 7)) {
            fprintf(stderr, "h248send --serve --tcp: malformed TPKT header %02x %02x %02x %02x\n", h[0], h[1], h[2], h[3]);
            rc = 2;
            break;
        }
        if (r == 1)
            r = read_full(fd, buf, plen - 4, deadline);
        if (r == 0) {
            rc = 1;
            break;
        }
        if (r < 0) { /* the gateway closed: it will connect again */
            close(fd);
            fd = -1;
            continue;
        }
        buf[plen - 4] = '\0';
        printf("--- request %d\n", ++seen);
        print(buf, plen - 4);
        unsigned long tid = tid_of(buf);
        if (seen <= ignore || tid == 0)
            continue;
        char reply[512 + 4];
        int len = reply_text(reply + 4, sizeof reply - 4, port, tid, 0, services);
        if (len < 0) {
            rc = 2;
            break;
        }
        len += 4;
        reply[0] = 3;
        reply[1] = 0;
        reply[2] = (char)(len >> 8);
        reply[3] = (char)(len & 0xff);
        if (send(fd, reply, (size_t)len, MSG_NOSIGNAL) != len) {
            perror("h248send --serve --tcp: send");
            rc = 2;
            break;
        }
        answered++;
        if (drop_after > 0 && answered == drop_after) {
            printf("--- dropped the connection\n");
            fflush(stdout);
            close(fd);
            fd = -1;
        }
    }
    if (rc == 1)
        fprintf(stderr, "h248send --serve --tcp: %d of %d requests answered within %d ms\n", answered, count, timeout);
    if (fd >= 0)
        close(fd);
    close(lfd);
    return rc;
}

static int serve(int port, int count, int ignore, int pending, const char *services, int timeout)
{
    int fd = bound_socket(SOCK_DGRAM, port);
    if (fd < 0)
        return 2;
    long long deadline = now_ms() + timeout;
    int seen = 0, answered = 0;
    while (answered < count) {
        long long left = deadline - now_ms();
        struct pollfd p = { fd, POLLIN, 0 };
        if (left <= 0 || poll(&p, 1, (int)left) != 1) {
            fprintf(stderr, "h248send --serve: %d of %d requests answered within %d ms\n", answered, count, timeout);
            close(fd);
            return 1;
        }
        struct sockaddr_in from;
        socklen_t from_len = sizeof from;
        ssize_t n = recvfrom(fd, buf, sizeof buf - 1, 0, (struct sockaddr *)&from, &from_len);
        if (n <= 0)
            continue;
        buf[n] = '\0';
        seen++;
        printf("--- request %d\n", seen);
        print(buf, (size_t)n);
        if (seen <= ignore)
            continue; /* unanswered: the gateway must send it again */
        unsigned long tid = tid_of(buf);
        if (tid == 0) {
            fprintf(stderr, "h248send --serve: request %d without a TransactionID: not answered\n", seen);
            continue;
        }
        char reply[512];
        int len;
        if (pending) {
            len = snprintf(reply, sizeof reply, "MEGACO/1 [127.0.0.1]:%d\nPending = %lu { }\n", port, tid);
            if (sendto(fd, reply, (size_t)len, 0, (struct sockaddr *)&from, from_len) != len) {
                perror("h248send --serve: sendto");
                close(fd);
                return 2;
            }
            poll(NULL, 0, 300);
        }
        len = reply_text(reply, sizeof reply, port, tid, pending, services);
        if (len < 0) {
            fprintf(stderr, "h248send --serve: --services too long\n");
            close(fd);
            return 2;
        }
        if (sendto(fd, reply, (size_t)len, 0, (struct sockaddr *)&from, from_len) != len) {
            perror("h248send --serve: sendto");
            close(fd);
            return 2;
        }
        answered++;
        if (pending && !await_ack(fd, &seen)) {
            fprintf(stderr, "h248send --serve: no TransactionResponseAck within 3 s of Reply = %lu\n", tid);
            close(fd);
            return 3;
        }
    }
    close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    int bind_port = 0, timeout = 5000, wait_notify = -1, tcp = 0, raw = 0, serve_port = 0, count = 1, ignore = 0;
    int pending = 0, drop_after = 0;
    const char *services = NULL;
    int chunk = 0;
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--tcp") == 0) {
            tcp = 1;
            continue;
        }
        if (strcmp(argv[i], "--raw") == 0) {
            raw = 1;
            continue;
        }
        if (strcmp(argv[i], "--pending") == 0) {
            pending = 1;
            continue;
        }
        if (strcmp(argv[i], "--services") == 0) {
            if (++i >= argc)
                return usage();
            services = argv[i];
            continue;
        }
        /* every number checked whole and in range (peer_net.c): a typo is
         * a usage error, not a port 0 or a timeout of 0 */
        const struct { const char *name; int *dst; long long lo, hi; } opts[] = {
            { "--bind", &bind_port, 1, 65535 },       { "--serve", &serve_port, 1, 65535 },
            { "--timeout", &timeout, 1, 3600000 },    { "--wait-notify", &wait_notify, 0, 3600000 },
            { "--count", &count, 1, 1000000 },        { "--ignore", &ignore, 0, 1000000 },
            { "--chunk", &chunk, 1, 1 << 20 },        { "--drop-after", &drop_after, 1, 1000000 },
        };
        size_t k = 0;
        while (k < sizeof opts / sizeof opts[0] && strcmp(argv[i], opts[k].name) != 0)
            k++;
        long long v;
        if (k == sizeof opts / sizeof opts[0] ||
            peer_opt_num("h248send", argc, argv, &i, opts[k].lo, opts[k].hi, &v) != 0)
            return usage();
        *opts[k].dst = (int)v;
    }
    if (serve_port > 0) {
        if (argc != i || raw || chunk > 0 || (tcp && pending) || (!tcp && drop_after > 0))
            return usage();
        return tcp ? serve_tcp(serve_port, count, ignore, services, drop_after, timeout)
                   : serve(serve_port, count, ignore, pending, services, timeout);
    }
    if (argc - i != 2 || (raw && !tcp) || pending || services != NULL || drop_after > 0 || chunk < 0 || (chunk > 0 && !tcp))
        return usage();
    struct sockaddr_in to;
    if (parse_addr(argv[i], &to) != 0)
        return usage();
    FILE *f = fopen(argv[i + 1], "rb");
    if (f == NULL) {
        perror(argv[i + 1]);
        return 2;
    }
    static char msg[65536];
    size_t len = fread(msg, 1, sizeof msg, f);
    fclose(f);
    if (tcp && !raw && len > 65531) {
        fprintf(stderr, "h248send: %zu bytes do not fit one TPKT\n", len);
        return 2;
    }
    int fd = socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
    if (fd < 0) {
        perror("socket");
        return 2;
    }
    if (bind_port > 0) {
        struct sockaddr_in me;
        memset(&me, 0, sizeof me);
        me.sin_family = AF_INET;
        me.sin_port = htons((unsigned short)bind_port);
        me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int one = 1;
        (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, (struct sockaddr *)&me, sizeof me) != 0) {
            perror("bind");
            close(fd);
            return 2;
        }
    }
    if (connect(fd, (struct sockaddr *)&to, sizeof to) != 0) {
        perror("connect");
        close(fd);
        return 2;
    }
    size_t total = len;
    const char *out = msg;
    if (tcp && !raw) {
        buf[0] = 3;
        buf[1] = 0;
        buf[2] = (char)((len + 4) >> 8);
        buf[3] = (char)((len + 4) & 0xff);
        memcpy(buf + 4, msg, len);
        out = buf;
        total = len + 4;
    }
    size_t step = chunk > 0 ? (size_t)chunk : total;
    if (chunk > 0) {
        int one = 1;
        (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    for (size_t off = 0; off < total; off += step) {
        size_t n = total - off < step ? total - off : step;
        if (send(fd, out + off, n, MSG_NOSIGNAL) != (ssize_t)n) {
            perror("send");
            close(fd);
            return 2;
        }
        if (chunk > 0)
            nanosleep(&(struct timespec){ 0, 2000000 }, NULL);
    }
    int rc = 0;
    if (raw) {
        /* the gateway must close the connection, not answer */
        int r = receive_tpkt(fd, timeout);
        rc = r == -1 ? 4 : 1;
        if (rc != 4)
            fprintf(stderr, "h248send: the gateway did not close the connection within %d ms\n", timeout);
        close(fd);
        return rc;
    }
    int r = tcp ? receive_tpkt(fd, timeout) : receive_udp(fd, timeout);
    if (r != 1) {
        fprintf(stderr, "h248send: no reply within %d ms\n", timeout);
        rc = 1;
    } else if (wait_notify >= 0) {
        puts("--- notify");
        r = tcp ? receive_tpkt(fd, wait_notify) : receive_udp(fd, wait_notify);
        if (r != 1) {
            fprintf(stderr, "h248send: no notify within %d ms\n", wait_notify);
            rc = 3;
        }
    }
    close(fd);
    return rc;
}
