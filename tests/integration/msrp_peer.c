/*
 * msrp_peer: a small MSRP endpoint (RFC 4975) for the emsecd integration
 * tests and the MSRP relay bench, on 127.0.0.1 only. Its own message reader
 * is deliberately independent of core/msrp_frame.c: it checks what the
 * gateway wrote, it does not reuse the gateway's view of it.
 *
 *   msrp_peer send|recv listen|connect PORT [--tls CERT KEY] [--path URI]
 *             [--to URI] [--expect-from URI] [--count N] [--size BYTES]
 *             [--chunk BYTES] [--window N] [--bad-to URI] [--expect-bytes N]
 *             [--seed S] [--timeout MS] [--read-delay MS]
 *
 * send: N SEND requests of BYTES body each (pseudo-random bytes from the
 *   seed), each cut into chunks of at most --chunk bytes with Byte-Range
 *   and the continuation flag "+" on every chunk but the last, "$" on the
 *   last (RFC 4975 §5.1, §7.1). To-Path --to, From-Path --path. At most
 *   --window chunks wait for their response; each response must be 200
 *   with the chunk's transaction id, To-Path --path and (if given) From-Path
 *   --expect-from (RFC 4975 §7.2). --bad-to URI first sends one SEND to
 *   that To-Path and requires a 481 response (RFC 4975 §7.3) before the
 *   rest. Then it ends its side and waits for the other end's.
 * recv: answers every SEND with 200 (To-Path: the first From-Path URI,
 *   From-Path --path), requires To-Path == --path and (if given) From-Path ==
 *   --expect-from on every request, Byte-Range consistent with the body, and
 *   stops after --expect-bytes body bytes once the other side ended.
 * Both print "sha256 HEX bytes N messages M" on stdout: the SHA-256 of the
 *   bodies sent (the refused one left out) or received, in order.
 * --tls: TLS with this certificate (client when connecting, server when
 *   listening); the gateway's certificate is not checked here (the tests
 *   check the fingerprint path elsewhere).
 * --read-delay MS: a slow reader (a pause after each plain-TCP read and an
 *   8 KB receive buffer), so that the relay's backpressure is exercised.
 * Every wait is bounded by --timeout MS (default 10000) in all.
 * Exit: 0 done and every check held; 1 a check failed or timed out (the
 * reason on stderr); 2 usage or socket error.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "peer_net.h"

#define RB_CAP   (1u << 20)     /* one message (chunk) at most, headers included */
#define MAX_URI  512u
#define MAX_WIN  256u

typedef struct peer {
    int fd;
    long long read_delay;       /* ms after each read: a slow reader (backpressure) */
    SSL *ssl;
    long long deadline;
    uint8_t *rb;
    size_t rlen;
    int eof;
} peer;

typedef struct msg {
    char tid[64];
    int request;                /* 1 request, 0 response */
    char method[64];
    int status;
    char to[MAX_URI], from[MAX_URI], byte_range[96];
    const uint8_t *body;
    size_t body_len;
    char flag;
    size_t total;               /* bytes of the whole message in rb */
} msg;

__attribute__((format(printf, 1, 2))) static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "msrp_peer: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    return 1;
}

static int usage(void)
{
    fprintf(stderr, "usage: msrp_peer send|recv listen|connect PORT [--tls CERT KEY] [--path URI] [--to URI]\n"
                    "       [--expect-from URI] [--count N] [--size BYTES] [--chunk BYTES] [--window N]\n"
                    "       [--bad-to URI] [--expect-bytes N] [--seed S] [--timeout MS] [--read-delay MS]\n");
    return 2;
}

static int wait_fd(peer *p, short ev)
{
    long long left = p->deadline - peer_now_ms();
    if (left <= 0)
        return 0;
    struct pollfd pf = { p->fd, ev, 0 };
    return poll(&pf, 1, (int)left) == 1;
}

/* Write all of buf; 0 on success. */
static int put_all(peer *p, const void *buf, size_t len)
{
    const uint8_t *b = buf;
    while (len > 0u) {
        if (p->ssl != NULL) {
            int n = SSL_write(p->ssl, b, (int)(len > 65536u ? 65536u : len));
            if (n > 0) {
                b += n;
                len -= (size_t)n;
                continue;
            }
            int e = SSL_get_error(p->ssl, n);
            if ((e != SSL_ERROR_WANT_WRITE && e != SSL_ERROR_WANT_READ) ||
                !wait_fd(p, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT))
                return -1;
            continue;
        }
        ssize_t n = send(p->fd, b, len, MSG_NOSIGNAL);
        if (n > 0) {
            b += n;
            len -= (size_t)n;
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (!wait_fd(p, POLLOUT))
                return -1;
            continue;
        }
        return -1;
    }
    return 0;
}

/* Read what is there into rb (waiting up to the deadline when block);
 * 1 bytes came, 0 nothing (eof set at the end), -1 error or timeout. */
static int fill(peer *p, int block)
{
    if (p->rlen >= RB_CAP)
        return -1;
    for (;;) {
        size_t room = RB_CAP - p->rlen;
        if (p->ssl != NULL) {
            int n = SSL_read(p->ssl, p->rb + p->rlen, (int)room);
            if (n > 0) {
                p->rlen += (size_t)n;
                return 1;
            }
            int e = SSL_get_error(p->ssl, n);
            if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0)) {
                p->eof = 1;
                return 0;
            }
            if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
                return -1;
            if (!block)
                return 0;
            if (!wait_fd(p, e == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN))
                return -1;
            continue;
        }
        ssize_t n = recv(p->fd, p->rb + p->rlen, room, 0);
        if (n > 0) {
            p->rlen += (size_t)n;
            if (p->read_delay > 0)
                usleep((useconds_t)(p->read_delay * 1000));
            return 1;
        }
        if (n == 0) {
            p->eof = 1;
            return 0;
        }
        if (errno != EAGAIN && errno != EINTR)
            return -1;
        if (!block)
            return 0;
        if (!wait_fd(p, POLLIN))
            return -1;
    }
}

/* Copy the value of header `name` from the header block h[0, n) into out. */
static void header(const char *h, size_t n, const char *name, char *out, size_t cap)
{
    out[0] = '\0';
    size_t nl = strlen(name);
    for (size_t i = 0; i + nl + 2u <= n; i++) {
        if ((i == 0u || h[i - 1u] == '\n') && memcmp(h + i, name, nl) == 0 && h[i + nl] == ':' &&
            h[i + nl + 1u] == ' ') {
            size_t b = i + nl + 2u, e = b;
            while (e < n && h[e] != '\r')
                e++;
            size_t len = e - b < cap - 1u ? e - b : cap - 1u;
            memcpy(out, h + b, len);
            out[len] = '\0';
            return;
        }
    }
}

/* One whole message at the front of rb: 1 found (m filled), 0 not yet
 * complete, -1 malformed. */
static int parse(peer *p, msg *m)
{
    const char *b = (const char *)p->rb;
    size_t n = p->rlen;
    const char *crlf = memmem(b, n, "\r\n", 2);
    if (crlf == NULL)
        return n > 4096u ? -1 : 0;
    char line[256];
    size_t ll = (size_t)(crlf - b);
    if (ll >= sizeof line)
        return -1;
    memcpy(line, b, ll);
    line[ll] = '\0';
    char word[64];
    memset(m, 0, sizeof *m);
    if (sscanf(line, "MSRP %63s %63s", m->tid, word) != 2)
        return -1;
    if (word[0] >= '0' && word[0] <= '9') {
        m->status = atoi(word);
    } else {
        m->request = 1;
        snprintf(m->method, sizeof m->method, "%s", word);
    }
    char pat[80];
    int pl = snprintf(pat, sizeof pat, "\r\n-------%s", m->tid);
    const char *end = memmem(b + ll, n - ll, pat, (size_t)pl);
    if (end == NULL)
        return 0;
    size_t el = (size_t)(end - b) + (size_t)pl; /* the flag */
    if (el + 3u > n)
        return 0;
    if (b[el + 1u] != '\r' || b[el + 2u] != '\n')
        return -1;
    m->flag = b[el];
    m->total = el + 3u;
    size_t hdr_end = (size_t)(end - b) + 2u;
    const char *blank = memmem(b, hdr_end, "\r\n\r\n", 4);
    if (blank != NULL) {
        hdr_end = (size_t)(blank - b) + 2u;
        m->body = (const uint8_t *)blank + 4;
        m->body_len = (size_t)(end - (blank + 4));
    }
    header(b, hdr_end, "To-Path", m->to, sizeof m->to);
    header(b, hdr_end, "From-Path", m->from, sizeof m->from);
    header(b, hdr_end, "Byte-Range", m->byte_range, sizeof m->byte_range);
    return 1;
}

static void consume(peer *p, size_t n)
{
    memmove(p->rb, p->rb + n, p->rlen - n);
    p->rlen -= n;
}

/* Next whole message, waiting for it; 1 got one, 0 the other side ended
 * between messages, -1 error, timeout or a message cut short. */
static int next_msg(peer *p, msg *m)
{
    for (;;) {
        int r = parse(p, m);
        if (r != 0)
            return r;
        if (p->eof)
            return p->rlen == 0u ? 0 : -1;
        if (fill(p, 1) < 0)
            return -1;
    }
}

static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void hex(const uint8_t *d, unsigned n, char *out)
{
    for (unsigned i = 0; i < n; i++)
        snprintf(out + 2u * i, 3, "%02x", d[i]);
}

static int fcntl_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static SSL_CTX *tls_ctx(const char *cert, const char *key)
{
    SSL_CTX *c = SSL_CTX_new(TLS_method());
    if (c == NULL || SSL_CTX_use_certificate_file(c, cert, SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_use_PrivateKey_file(c, key, SSL_FILETYPE_PEM) != 1) {
        ERR_print_errors_fp(stderr);
        SSL_CTX_free(c);
        return NULL;
    }
    SSL_CTX_set_verify(c, SSL_VERIFY_NONE, NULL);
    SSL_CTX_set_mode(c, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    return c;
}

/* The TCP connection (and TLS over it), non-blocking; 0 on success. */
static int open_conn(peer *p, int listening, int port, SSL_CTX *ctx)
{
    /* a slow reader: a small receive window, so that the kernel does not
     * absorb what the relay sends and the relay's own buffers fill */
    int rcvbuf = p->read_delay > 0 ? 8192 : 0;
    int fd;
    if (listening) {
        int lfd = peer_listen(port, 1, 0, rcvbuf);
        if (lfd < 0) {
            perror("msrp_peer: bind/listen");
            return -1;
        }
        fd = peer_accept_one(lfd, p->deadline);
        if (fd < 0) {
            fprintf(stderr, "msrp_peer: no connection accepted on %d: %s\n", port, strerror(errno));
            return -1;
        }
    } else {
        fd = peer_connect_retry(port, rcvbuf, p->deadline, 50);
        if (fd < 0) {
            fprintf(stderr, "msrp_peer: cannot connect to %d: %s\n", port, strerror(errno));
            return -1;
        }
    }
    int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    (void)fcntl_nonblock(fd);
    p->fd = fd;
    if (ctx == NULL)
        return 0;
    p->ssl = SSL_new(ctx);
    if (p->ssl == NULL || SSL_set_fd(p->ssl, fd) != 1)
        return -1;
    if (listening)
        SSL_set_accept_state(p->ssl);
    else
        SSL_set_connect_state(p->ssl);
    for (;;) {
        int r = SSL_do_handshake(p->ssl);
        if (r == 1)
            return 0;
        int e = SSL_get_error(p->ssl, r);
        if ((e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) ||
            !wait_fd(p, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT)) {
            fprintf(stderr, "msrp_peer: TLS handshake failed\n");
            ERR_print_errors_fp(stderr);
            return -1;
        }
    }
}

typedef struct opts {
    const char *path, *to, *expect_from, *bad_to;
    long long count, size, chunk, window, expect_bytes;
    uint64_t seed;
} opts;

/* The first URI of a path value (a response goes one hop back, RFC 4975 §7.2). */
static void first_uri(const char *path, char *out, size_t cap)
{
    size_t n = strcspn(path, " ");
    if (n >= cap)
        n = cap - 1u;
    memcpy(out, path, n);
    out[n] = '\0';
}

/* A response to the oldest outstanding chunk: its tid, the status, the
 * paths. */
static int check_response(peer *p, const opts *o, const char *tid, int status)
{
    msg m;
    int r = next_msg(p, &m);
    if (r != 1)
        return fail("no response to %s (connection ended, timed out or malformed)", tid);
    if (m.request)
        return fail("a request (%s) where the response to %s was expected", m.method, tid);
    if (strcmp(m.tid, tid) != 0)
        return fail("response tid %s, expected %s", m.tid, tid);
    if (m.status != status)
        return fail("response status %d to %s", m.status, tid);
    if (strcmp(m.to, o->path) != 0)
        return fail("response To-Path '%s', expected '%s'", m.to, o->path);
    if (o->expect_from != NULL && strcmp(m.from, o->expect_from) != 0)
        return fail("response From-Path '%s', expected '%s'", m.from, o->expect_from);
    consume(p, m.total);
    return 0;
}

/* One SEND chunk in one write: header, body, end-line. */
static int send_chunk(peer *p, uint8_t *buf, const opts *o, const char *to, const char *tid, unsigned msg_no,
                      long long start, const uint8_t *body, size_t len, long long total, char flag)
{
    int hl = snprintf((char *)buf, 1024,
                      "MSRP %s SEND\r\nTo-Path: %s\r\nFrom-Path: %s\r\nMessage-ID: msg%08u\r\n"
                      "Byte-Range: %lld-%lld/%lld\r\nContent-Type: application/octet-stream\r\n\r\n",
                      tid, to, o->path, msg_no, start + 1, start + (long long)len, total);
    if (hl <= 0 || hl >= 1024)
        return fail("header too long");
    memcpy(buf + hl, body, len);
    int el = snprintf((char *)buf + (size_t)hl + len, 128, "\r\n-------%s%c\r\n", tid, flag);
    if (put_all(p, buf, (size_t)hl + len + (size_t)el) != 0)
        return fail("write failed or timed out (%s)", tid);
    return 0;
}

static int run_send(peer *p, const opts *o, EVP_MD_CTX *h, long long *bytes)
{
    uint64_t seed = o->seed != 0u ? o->seed : 0x9e3779b97f4a7c15ull;
    size_t chunk = (size_t)o->chunk;
    uint8_t *body = malloc((size_t)o->size + 8u), *buf = malloc(chunk + 1200u);
    if (body == NULL || buf == NULL) {
        free(body);
        free(buf);
        return fail("out of memory");
    }
    int rc = 0;
    unsigned tno = 0u;
    char tid[32];
    if (o->bad_to != NULL) {
        static const uint8_t refused[] = "this request must be refused";
        snprintf(tid, sizeof tid, "bad%08x", tno++);
        rc = send_chunk(p, buf, o, o->bad_to, tid, 0u, 0, refused, sizeof refused - 1u, sizeof refused - 1u, '$');
        if (rc == 0)
            rc = check_response(p, o, tid, 481);
        if (rc == 0)
            fprintf(stderr, "msrp_peer: SEND to %s answered 481\n", o->bad_to);
    }
    static char inflight[MAX_WIN][32];
    unsigned head = 0u, nin = 0u;
    for (long long i = 0; rc == 0 && i < o->count; i++) {
        for (long long k = 0; k < o->size; k += 8) {
            uint64_t v = rng(&seed);
            memcpy(body + k, &v, 8);
        }
        if (memmem(body, (size_t)o->size, "\r\n-------", 9) != NULL) {
            rc = fail("generated body holds an end-line look-alike: change --seed");
            break;
        }
        EVP_DigestUpdate(h, body, (size_t)o->size);
        *bytes += o->size;
        for (long long off = 0; rc == 0 && off < o->size; off += (long long)chunk) {
            size_t len = (size_t)(o->size - off) < chunk ? (size_t)(o->size - off) : chunk;
            snprintf(tid, sizeof tid, "t%08x", tno++);
            char flag = off + (long long)len < o->size ? '+' : '$';
            rc = send_chunk(p, buf, o, o->to, tid, (unsigned)i + 1u, off, body + off, len, o->size, flag);
            if (rc != 0)
                break;
            memcpy(inflight[(head + nin) % MAX_WIN], tid, sizeof tid);
            nin++;
            while (rc == 0 && nin >= (unsigned)o->window) {
                rc = check_response(p, o, inflight[head], 200);
                head = (head + 1u) % MAX_WIN;
                nin--;
            }
        }
    }
    while (rc == 0 && nin > 0u) {
        rc = check_response(p, o, inflight[head], 200);
        head = (head + 1u) % MAX_WIN;
        nin--;
    }
    free(body);
    free(buf);
    return rc;
}

static int run_recv(peer *p, const opts *o, EVP_MD_CTX *h, long long *bytes, long long *msgs)
{
    long long next = 1; /* Byte-Range start expected of the next chunk */
    char out[2 * MAX_URI + 256], back[MAX_URI];
    for (;;) {
        msg m;
        int r = next_msg(p, &m);
        if (r == 0)
            break;
        if (r < 0)
            return fail("read failed, timed out or a malformed message");
        if (!m.request || strcmp(m.method, "SEND") != 0)
            return fail("expected a SEND request, got '%s'", m.request ? m.method : "a response");
        if (o->path != NULL && strcmp(m.to, o->path) != 0)
            return fail("SEND To-Path '%s', expected '%s'", m.to, o->path);
        if (o->expect_from != NULL && strcmp(m.from, o->expect_from) != 0)
            return fail("SEND From-Path '%s', expected '%s'", m.from, o->expect_from);
        long long s = 0, e = 0, t = 0;
        if (sscanf(m.byte_range, "%lld-%lld/%lld", &s, &e, &t) != 3 || s != next ||
            e - s + 1 != (long long)m.body_len || (m.flag == '$' && e != t))
            return fail("Byte-Range '%s' does not match the body (tid %s)", m.byte_range, m.tid);
        next = m.flag == '$' ? 1 : e + 1;
        EVP_DigestUpdate(h, m.body, m.body_len);
        *bytes += (long long)m.body_len;
        if (m.flag == '$')
            (*msgs)++;
        first_uri(m.from, back, sizeof back);
        int n = snprintf(out, sizeof out, "MSRP %s 200 OK\r\nTo-Path: %s\r\nFrom-Path: %s\r\n-------%s$\r\n", m.tid,
                         back, o->path != NULL ? o->path : m.to, m.tid);
        consume(p, m.total);
        if (n <= 0 || (size_t)n >= sizeof out || put_all(p, out, (size_t)n) != 0)
            return fail("cannot answer %s", m.tid);
    }
    if (o->expect_bytes >= 0 && *bytes != o->expect_bytes) {
        return fail("%lld body bytes received, %lld expected", *bytes, o->expect_bytes);
    }
    return 0;
}

/* End this side (close_notify, FIN) and wait for the other side's end. */
static int finish(peer *p)
{
    if (p->ssl != NULL)
        (void)SSL_shutdown(p->ssl);
    (void)shutdown(p->fd, SHUT_WR);
    while (!p->eof) {
        p->rlen = 0u;
        if (fill(p, 1) < 0)
            return fail("the other side did not end in time");
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4)
        return usage();
    int sending = strcmp(argv[1], "send") == 0, listening = strcmp(argv[2], "listen") == 0;
    if ((!sending && strcmp(argv[1], "recv") != 0) || (!listening && strcmp(argv[2], "connect") != 0))
        return usage();
    int port;
    if (peer_port_arg("msrp_peer", argv[3], &port) != 0)
        return usage();
    opts o = { NULL, NULL, NULL, NULL, 1, 1024, 65536, 16, -1, 0u };
    const char *cert = NULL, *key = NULL;
    long long timeout = 10000, read_delay = 0, seed = 0;
    int bad = 0;
    for (int i = 4; i < argc && !bad; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (strcmp(a, "--tls") == 0 && i + 2 < argc) {
            cert = argv[++i];
            key = argv[++i];
        } else if (strcmp(a, "--path") == 0 && more) o.path = argv[++i];
        else if (strcmp(a, "--to") == 0 && more) o.to = argv[++i];
        else if (strcmp(a, "--expect-from") == 0 && more) o.expect_from = argv[++i];
        else if (strcmp(a, "--bad-to") == 0 && more) o.bad_to = argv[++i];
        /* the bounds the buffers below are sized for: one chunk and its
         * headers fit in rb (RB_CAP), the window in inflight[] (MAX_WIN) */
        else if (strcmp(a, "--count") == 0) bad = peer_opt_num("msrp_peer", argc, argv, &i, 0, INT_MAX, &o.count);
        else if (strcmp(a, "--size") == 0) bad = peer_opt_num("msrp_peer", argc, argv, &i, 8, 1ll << 30, &o.size);
        else if (strcmp(a, "--chunk") == 0)
            bad = peer_opt_num("msrp_peer", argc, argv, &i, 1, (long long)RB_CAP - 4096, &o.chunk);
        else if (strcmp(a, "--window") == 0)
            bad = peer_opt_num("msrp_peer", argc, argv, &i, 1, (long long)MAX_WIN, &o.window);
        else if (strcmp(a, "--expect-bytes") == 0)
            bad = peer_opt_num("msrp_peer", argc, argv, &i, 0, LLONG_MAX, &o.expect_bytes);
        else if (strcmp(a, "--seed") == 0) bad = peer_opt_num("msrp_peer", argc, argv, &i, 0, LLONG_MAX, &seed);
        else if (strcmp(a, "--timeout") == 0) bad = peer_opt_num("msrp_peer", argc, argv, &i, 1, INT_MAX, &timeout);
        else if (strcmp(a, "--read-delay") == 0) /* ms; usleep takes at most ~4295 s */
            bad = peer_opt_num("msrp_peer", argc, argv, &i, 0, 60000, &read_delay);
        else bad = 1;
    }
    if (bad)
        return usage();
    o.seed = (uint64_t)seed;
    if (o.size % 8 != 0 || o.path == NULL || (sending && o.to == NULL) || strlen(o.path) >= MAX_URI ||
        (o.to != NULL && strlen(o.to) >= 900u) || (o.bad_to != NULL && strlen(o.bad_to) >= 900u)) {
        fprintf(stderr, "msrp_peer: bad arguments (send needs --path and --to; --size a multiple of 8)\n");
        return usage();
    }
    peer p;
    memset(&p, 0, sizeof p);
    p.fd = -1;
    p.read_delay = read_delay;
    p.deadline = peer_now_ms() + timeout;
    p.rb = malloc(RB_CAP);
    SSL_CTX *ctx = NULL;
    if (p.rb == NULL || (cert != NULL && (ctx = tls_ctx(cert, key)) == NULL) ||
        open_conn(&p, listening, port, ctx) != 0) {
        free(p.rb);
        SSL_CTX_free(ctx);
        return 2;
    }
    EVP_MD_CTX *h = EVP_MD_CTX_new();
    if (h == NULL || EVP_DigestInit_ex(h, EVP_sha256(), NULL) != 1)
        return 2;
    long long bytes = 0, msgs = 0;
    int rc = sending ? run_send(&p, &o, h, &bytes) : run_recv(&p, &o, h, &bytes, &msgs);
    if (sending)
        msgs = o.count;
    if (rc == 0)
        rc = finish(&p);
    uint8_t d[32];
    unsigned dl = 0u;
    char dh[65];
    EVP_DigestFinal_ex(h, d, &dl);
    hex(d, dl, dh);
    if (rc == 0)
        printf("sha256 %s bytes %lld messages %lld\n", dh, bytes, msgs);
    EVP_MD_CTX_free(h);
    SSL_free(p.ssl);
    SSL_CTX_free(ctx);
    close(p.fd);
    free(p.rb);
    return rc;
}
