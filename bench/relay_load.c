/*
 * relay_load: the load generator of the relay bench (bench/relay.sh,
 * method in docs/PERFORMANCE.md). One OpenSSL client, the same for every
 * relay, so that the client's cost is identical: fixed cipher suite and key
 * exchange group, a client certificate in certificate mode, no session
 * resumption. It measures the relay processes it is given (--pids) from
 * /proc: CPU time (utime + stime of /proc/PID/stat, every thread and every
 * process named) around the timed part, and VmRSS.
 *
 *   relay_load TEST TARGET [options]
 * TEST:
 *   bulk   one connection; N bytes (--bytes) client -> relay -> sink, timed
 *          from the first byte to the sink's ack of the last
 *   hs     --count new sessions (--par clients in parallel): connect, full
 *          handshake, one byte echoed through the relay (so that the relay
 *          finished the handshake and connected its second leg), close
 *   idle   --count sessions opened (handshake, one byte echoed; --par
 *          clients) in batches of at most 100 (emsecd: each batch Added
 *          just before it is connected) and all held; the relays' VmRSS
 *          before and with them, per session; failed if the relay closed or
 *          wrote on one of them before the RSS was read
 *   ping   one connection; --count round trips of 1 KiB through the relay
 *          and the echoing sink; p50 and p99 of the round-trip time
 *   wait   connect to TARGET until it accepts (at most 15 s)
 * TARGET: PORT (a relay with a static port on 127.0.0.1), or
 *   emsecd:H248PORT:SINKPORT (sessions set up over H.248 first: relay_ctl.h)
 * Options:
 *   --tls 13|12|psk12|plain   TLS 1.3 TLS_AES_128_GCM_SHA256; TLS 1.2
 *          ECDHE-ECDSA-AES128-GCM-SHA256; TLS 1.2 PSK-AES128-GCM-SHA256;
 *          no TLS (default 13). Groups offered: X25519 (the key
 *          exchange) then P-256 (TLS 1.2 needs the ECDSA certificate's curve).
 *   --cert FILE --key FILE    client certificate (certificate modes)
 *   --psk HEX --psk-id ID     (psk12)
 *   --pids P,P,...            the relay's processes
 *   --bytes N --count N --par K --name NAME
 * Prints one line "RESULT name=NAME test=TEST tls=... key=value ...", exit
 * 0; exit 1 when anything failed (the reason on stderr).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "relay_ctl.h"
#include "relay_proto.h"

/* hs: sessions Added at once, all connected well inside the core's 10 s
 * establishment timer (see the idle sessions below) */
#define EMSECD_BATCH 100
#define MAX_PIDS 16

typedef struct opts {
    const char *test, *tls, *cert, *key, *psk_hex, *psk_id, *name;
    int pids[MAX_PIDS], npids;
    unsigned long long bytes;
    int count, par;
    int emsecd;            /* 1: TARGET is emsecd over H.248 */
    uint16_t port;         /* static relay port */
    uint16_t h248, sink;   /* emsecd */
} opts;

typedef struct conn_t {
    int fd;
    SSL *ssl; /* NULL: plain TCP */
} conn_t;

static opts o = { .tls = "13", .name = "relay", .bytes = 256ull << 20, .count = 100, .par = 1 };
static SSL_CTX *sctx;
static unsigned char psk_key[64];
static size_t psk_len;
static ctl ec;

static void die(const char *what)
{
    fprintf(stderr, "relay_load %s %s: %s\n", o.name, o.test, what);
    ERR_print_errors_fp(stderr);
    exit(1);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- the relay's processes, from /proc */

/* utime + stime of every process named, seconds (threads included; the
 * kernel keeps the time of threads that ended in the process's counters). */
static double relay_cpu(void)
{
    double ticks = 0;
    for (int i = 0; i < o.npids; i++) {
        char path[64], line[2048];
        snprintf(path, sizeof path, "/proc/%d/stat", o.pids[i]);
        FILE *f = fopen(path, "r");
        if (f == NULL || fgets(line, sizeof line, f) == NULL)
            die("a relay process is gone (/proc/PID/stat)");
        fclose(f);
        /* fields after the command name, which ends at the last ')' */
        char *p = strrchr(line, ')');
        unsigned long ut, st;
        if (p == NULL || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
            die("cannot read /proc/PID/stat");
        ticks += (double)ut + (double)st;
    }
    return ticks / (double)sysconf(_SC_CLK_TCK);
}

static long relay_rss_kb(void)
{
    long sum = 0;
    for (int i = 0; i < o.npids; i++) {
        char path[64], line[256];
        snprintf(path, sizeof path, "/proc/%d/status", o.pids[i]);
        FILE *f = fopen(path, "r");
        if (f == NULL)
            die("a relay process is gone (/proc/PID/status)");
        long kb = -1;
        while (fgets(line, sizeof line, f) != NULL)
            if (sscanf(line, "VmRSS: %ld", &kb) == 1)
                break;
        fclose(f);
        if (kb < 0)
            die("no VmRSS in /proc/PID/status");
        sum += kb;
    }
    return sum;
}

/* ---- TLS client */

static unsigned int psk_cb(SSL *s, const char *hint, char *id, unsigned int id_cap,
                           unsigned char *psk, unsigned int psk_cap)
{
    (void)s;
    (void)hint;
    if (strlen(o.psk_id) + 1 > id_cap || psk_len > psk_cap)
        return 0;
    memcpy(id, o.psk_id, strlen(o.psk_id) + 1);
    memcpy(psk, psk_key, psk_len);
    return (unsigned int)psk_len;
}

static void tls_setup(void)
{
    if (strcmp(o.tls, "plain") == 0)
        return;
    sctx = SSL_CTX_new(TLS_client_method());
    if (sctx == NULL)
        die("SSL_CTX_new");
    int v = strcmp(o.tls, "13") == 0 ? TLS1_3_VERSION : TLS1_2_VERSION;
    SSL_CTX_set_min_proto_version(sctx, v);
    SSL_CTX_set_max_proto_version(sctx, v);
    SSL_CTX_set_verify(sctx, SSL_VERIFY_NONE, NULL);
    SSL_CTX_set_options(sctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_session_cache_mode(sctx, SSL_SESS_CACHE_OFF);
    if (SSL_CTX_set1_groups_list(sctx, "X25519:P-256") != 1)
        die("groups");
    if (strcmp(o.tls, "13") == 0) {
        if (SSL_CTX_set_ciphersuites(sctx, "TLS_AES_128_GCM_SHA256") != 1)
            die("ciphersuites");
    } else if (strcmp(o.tls, "12") == 0) {
        if (SSL_CTX_set_cipher_list(sctx, "ECDHE-ECDSA-AES128-GCM-SHA256") != 1)
            die("cipher list");
    } else if (strcmp(o.tls, "psk12") == 0) {
        if (o.psk_hex == NULL || o.psk_id == NULL)
            die("--tls psk12 needs --psk and --psk-id");
        long n;
        unsigned char *k = OPENSSL_hexstr2buf(o.psk_hex, &n);
        if (k == NULL || n <= 0 || (size_t)n > sizeof psk_key)
            die("bad --psk (hex, at most 64 bytes)");
        memcpy(psk_key, k, (size_t)n);
        psk_len = (size_t)n;
        OPENSSL_free(k);
        if (SSL_CTX_set_cipher_list(sctx, "PSK-AES128-GCM-SHA256") != 1)
            die("cipher list");
        SSL_CTX_set_psk_client_callback(sctx, psk_cb);
    } else {
        die("--tls: 13, 12, psk12 or plain");
    }
    if (strcmp(o.tls, "psk12") != 0) {
        if (o.cert == NULL || o.key == NULL)
            die("certificate modes need --cert and --key");
        if (SSL_CTX_use_certificate_file(sctx, o.cert, SSL_FILETYPE_PEM) != 1 ||
            SSL_CTX_use_PrivateKey_file(sctx, o.key, SSL_FILETYPE_PEM) != 1)
            die("client certificate or key refused");
    }
}

/* sha-256 of the client certificate, "AB:CD:..." (RFC 8122 §5). */
static void cert_fingerprint(char *out, size_t cap)
{
    FILE *f = fopen(o.cert, "r");
    X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
    if (f)
        fclose(f);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (x == NULL || X509_digest(x, EVP_sha256(), md, &n) != 1 || cap < 3u * n)
        die("cannot digest the client certificate");
    X509_free(x);
    for (unsigned int i = 0; i < n; i++)
        snprintf(out + 3 * i, cap - 3 * i, i + 1 < n ? "%02X:" : "%02X", md[i]);
}

static int tcp_connect(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* Connect and, in a TLS mode, complete the handshake. 0 or -1. */
static int link_open(conn_t *l, uint16_t port)
{
    l->ssl = NULL;
    l->fd = tcp_connect(port);
    if (l->fd < 0)
        return -1;
    if (sctx == NULL)
        return 0;
    l->ssl = SSL_new(sctx);
    if (l->ssl == NULL || SSL_set_fd(l->ssl, l->fd) != 1 || SSL_connect(l->ssl) != 1) {
        ERR_print_errors_fp(stderr);
        SSL_free(l->ssl);
        l->ssl = NULL;
        close(l->fd);
        return -1;
    }
    return 0;
}

static int link_write(conn_t *l, const void *p, size_t n)
{
    const unsigned char *b = p;
    while (n > 0) {
        int w;
        if (l->ssl != NULL) {
            w = SSL_write(l->ssl, b, n > 16384 ? 16384 : (int)n);
        } else {
            ssize_t r = send(l->fd, b, n, MSG_NOSIGNAL);
            if (r < 0 && errno == EINTR)
                continue;
            w = (int)r;
        }
        if (w <= 0)
            return -1;
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

static int link_read_full(conn_t *l, void *p, size_t n)
{
    unsigned char *b = p;
    while (n > 0) {
        int r;
        if (l->ssl != NULL) {
            r = SSL_read(l->ssl, b, (int)n);
        } else {
            ssize_t k = recv(l->fd, b, n, 0);
            if (k < 0 && errno == EINTR)
                continue;
            r = (int)k;
        }
        if (r <= 0)
            return -1;
        b += r;
        n -= (size_t)r;
    }
    return 0;
}

static void link_close(conn_t *l)
{
    if (l->ssl != NULL) {
        SSL_shutdown(l->ssl);
        SSL_free(l->ssl);
    }
    close(l->fd);
}

/* One byte through the relay and back: the relay has finished its side of
 * the handshake (TLS 1.3: it checked the client's certificate and Finished,
 * which the client sends after it is done) and connected to the sink. */
static int echo_one(conn_t *l)
{
    unsigned char h[RELAY_HDR_LEN + 1], b;
    relay_hdr_put(h, RELAY_ECHO, 1);
    h[RELAY_HDR_LEN] = 'x';
    if (link_write(l, h, sizeof h) != 0 || link_read_full(l, &b, 1) != 0 || b != 'x')
        return -1;
    return 0;
}

/* ---- sessions: the relay's port(s) for n new connections */

static uint16_t *ports_for(int n, unsigned **ctx_out)
{
    uint16_t *ports = calloc((size_t)n, sizeof *ports);
    unsigned *ctx = calloc((size_t)n, sizeof *ctx);
    if (ports == NULL || ctx == NULL)
        die("out of memory");
    if (!o.emsecd) {
        for (int i = 0; i < n; i++)
            ports[i] = o.port;
    } else {
        int k = ctl_add(&ec, n, ctx, ports);
        if (k < n) {
            ctl_sub(&ec, k, ctx);
            fprintf(stderr, "relay_load %s %s: emsecd set up %d of %d sessions\n", o.name, o.test, k, n);
            printf("RESULT name=%s test=%s tls=%s sessions=%d failed=1 max_sessions=%d\n", o.name, o.test,
                   o.tls, o.count, k);
            exit(1);
        }
    }
    *ctx_out = ctx;
    return ports;
}

static void ports_done(int n, uint16_t *ports, unsigned *ctx)
{
    if (o.emsecd && ctl_sub(&ec, n, ctx) != 0)
        die("Subtract refused");
    free(ports);
    free(ctx);
}

/* ---- tests */

static void test_bulk(void)
{
    unsigned *ctx;
    uint16_t *port = ports_for(1, &ctx);
    conn_t l;
    if (link_open(&l, port[0]) != 0)
        die("connect/handshake");
    static unsigned char buf[16384];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(i * 131u + 7u);
    unsigned char h[RELAY_HDR_LEN], ack;
    relay_hdr_put(h, RELAY_DISCARD, o.bytes);
    double c0 = relay_cpu(), t0 = now_s();
    if (link_write(&l, h, sizeof h) != 0)
        die("write");
    for (unsigned long long left = o.bytes; left > 0;) {
        size_t k = left < sizeof buf ? (size_t)left : sizeof buf;
        if (link_write(&l, buf, k) != 0)
            die("write");
        left -= k;
    }
    if (link_read_full(&l, &ack, 1) != 0 || ack != RELAY_ACK)
        die("no ack from the sink");
    double t1 = now_s(), c1 = relay_cpu();
    link_close(&l);
    ports_done(1, port, ctx);
    double gb = (double)o.bytes / 1e9, el = t1 - t0;
    printf("RESULT name=%s test=bulk tls=%s bytes=%llu seconds=%.3f mb_per_s=%.1f relay_cpu_s=%.3f cpu_s_per_gb=%.3f\n",
           o.name, o.tls, o.bytes, el, (double)o.bytes / el / 1e6, c1 - c0, (c1 - c0) / gb);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_ping(void)
{
    enum { SZ = 1024, WARM = 200 };
    unsigned *ctx;
    uint16_t *port = ports_for(1, &ctx);
    conn_t l;
    if (link_open(&l, port[0]) != 0)
        die("connect/handshake");
    unsigned char h[RELAY_HDR_LEN], out[SZ], in[SZ];
    for (int i = 0; i < SZ; i++)
        out[i] = (unsigned char)i;
    relay_hdr_put(h, RELAY_ECHO, (uint64_t)(o.count + WARM) * SZ);
    if (link_write(&l, h, sizeof h) != 0)
        die("write");
    double *rtt = calloc((size_t)o.count, sizeof *rtt);
    if (rtt == NULL)
        die("out of memory");
    double c0 = 0;
    for (int i = 0; i < o.count + WARM; i++) {
        if (i == WARM)
            c0 = relay_cpu();
        double t0 = now_s();
        if (link_write(&l, out, SZ) != 0 || link_read_full(&l, in, SZ) != 0 || memcmp(in, out, SZ) != 0)
            die("round trip");
        if (i >= WARM)
            rtt[i - WARM] = now_s() - t0;
    }
    double c1 = relay_cpu();
    link_close(&l);
    ports_done(1, port, ctx);
    qsort(rtt, (size_t)o.count, sizeof *rtt, cmp_double);
    int i50 = (o.count - 1) / 2, i99 = (int)((double)(o.count - 1) * 0.99);
    printf("RESULT name=%s test=ping tls=%s rounds=%d p50_us=%.1f p99_us=%.1f relay_cpu_us_per_round=%.1f\n",
           o.name, o.tls, o.count, rtt[i50] * 1e6, rtt[i99] * 1e6, (c1 - c0) / o.count * 1e6);
    free(rtt);
}

/* n sessions on ports[0..n-1], par clients in parallel (fork). Failures. */
static int handshakes(int n, const uint16_t *ports)
{
    int par = o.par < n ? o.par : n, fails = 0;
    pid_t kids[64];
    for (int k = 0; k < par; k++) {
        kids[k] = fork();
        if (kids[k] < 0)
            die("fork");
        if (kids[k] == 0) {
            int bad = 0;
            for (int i = k; i < n; i += par) {
                conn_t l;
                if (link_open(&l, ports[i]) != 0) {
                    bad++;
                    continue;
                }
                if (echo_one(&l) != 0)
                    bad++;
                link_close(&l);
            }
            _exit(bad > 250 ? 250 : bad);
        }
    }
    for (int k = 0; k < par; k++) {
        int st;
        if (waitpid(kids[k], &st, 0) != kids[k] || !WIFEXITED(st))
            fails += n;
        else
            fails += WEXITSTATUS(st);
    }
    return fails;
}

static void test_hs(void)
{
    double hs_wall = 0, hs_cpu = 0, ctl_cpu = 0;
    int fails = 0;
    for (int done = 0; done < o.count;) {
        int b = o.emsecd ? (o.count - done < EMSECD_BATCH ? o.count - done : EMSECD_BATCH) : o.count;
        double c0 = relay_cpu();
        unsigned *ctx;
        uint16_t *ports = ports_for(b, &ctx);
        double c1 = relay_cpu(), t0 = now_s();
        fails += handshakes(b, ports);
        double t1 = now_s();
        usleep(100000); /* the relay's work on the last closes */
        double c2 = relay_cpu();
        ports_done(b, ports, ctx);
        double c3 = relay_cpu();
        hs_wall += t1 - t0;
        hs_cpu += c2 - c1;
        ctl_cpu += (c1 - c0) + (c3 - c2);
        done += b;
    }
    if (fails > 0) {
        fprintf(stderr, "relay_load %s hs: %d of %d sessions failed\n", o.name, fails, o.count);
        printf("RESULT name=%s test=hs tls=%s failed=%d\n", o.name, o.tls, fails);
        exit(1);
    }
    printf("RESULT name=%s test=hs tls=%s sessions=%d par=%d seconds=%.3f hs_per_s=%.0f relay_cpu_s=%.3f "
           "cpu_ms_per_hs=%.3f ctl_cpu_s=%.3f cpu_ms_per_hs_with_ctl=%.3f\n",
           o.name, o.tls, o.count, o.par, hs_wall, o.count / hs_wall, hs_cpu, hs_cpu / o.count * 1e3,
           ctl_cpu, (hs_cpu + ctl_cpu) / o.count * 1e3);
}

/* ---- idle sessions
 *
 * emsecd arms its establishment timer (10 s, core/mg_drive.c MG_TIMER_MS)
 * when a listening termination is Added: a UE leg not connected and through
 * its handshake by then is failed. Adding thousands of sessions before
 * connecting any would let the first ones expire, so the sessions are
 * opened in batches: Add a batch (emsecd only), connect it (handshake, one
 * byte echoed), then the next, every session held until the RSS is read.
 * A batch that took more than IDLE_SLOW_S (a quarter of the timer, a loaded
 * machine) halves the next ones. The other relays need no Add and take the
 * same batches, so that every relay is measured the same way. */
#define IDLE_BATCH 100   /* sessions per batch at first (also the pipe message's bound) */
#define IDLE_BATCH_MIN 10
#define IDLE_SLOW_S 2.5

/* Reads exactly n bytes: 1, 0 on end of file before any byte, -1 otherwise. */
static int read_full(int fd, void *p, size_t n)
{
    unsigned char *b = p;
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, b + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return (r == 0 && got == 0) ? 0 : -1;
        got += (size_t)r;
    }
    return 1;
}

static int write_full(int fd, const void *p, size_t n)
{
    const unsigned char *b = p;
    while (n > 0) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Every client holds about count / par sockets: the soft descriptor limit
 * raised (up to the hard one) so that they fit. */
static void fd_limit_for(rlim_t need)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        die("getrlimit(RLIMIT_NOFILE)");
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur >= need)
        return;
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
        fprintf(stderr, "relay_load %s idle: %d sessions over %d clients need %lu descriptors per client; "
                        "the hard limit is %lu (ulimit -Hn; or raise --par)\n",
                o.name, o.count, o.par, (unsigned long)need, (unsigned long)rl.rlim_max);
        exit(1);
    }
    rl.rlim_cur = need;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
        die("setrlimit(RLIMIT_NOFILE)");
}

/* One client of the idle test. Per batch the parent writes on `cmd` a
 * uint32_t m (at most IDLE_BATCH) and m uint16_t ports; the client opens
 * those sessions in order (connect, handshake, one byte echoed) and keeps
 * only the socket (the relay holds an idle TLS session, the client no
 * OpenSSL state), then answers on `rep` a uint32_t: how many it opened
 * (fewer than m: one failed, the reason on stderr; it opens no more). When
 * `cmd` is closed (the parent has read the RSS) it answers how many of its
 * sessions are readable, i.e. the relay closed, reset or wrote on them
 * while they should have been idle, and ends, closing them all. */
static void idle_child(int cmd, int rep, int cap)
{
    int *fds = calloc((size_t)cap, sizeof *fds), held = 0, broken = fds == NULL;
    for (;;) {
        uint32_t m, opened = 0;
        uint16_t ports[IDLE_BATCH];
        int r = read_full(cmd, &m, sizeof m);
        if (r == 0)
            break;
        if (r < 0 || m > IDLE_BATCH || read_full(cmd, ports, m * sizeof *ports) != 1)
            _exit(2);
        while (!broken && opened < m) {
            conn_t l;
            if (held == cap || link_open(&l, ports[opened]) != 0) {
                fprintf(stderr, "relay_load %s idle: session %d of this client failed (connect or handshake)\n",
                        o.name, held + 1);
                broken = 1;
                break;
            }
            if (echo_one(&l) != 0) {
                fprintf(stderr, "relay_load %s idle: session %d of this client failed (no echo)\n", o.name,
                        held + 1);
                link_close(&l);
                broken = 1;
                break;
            }
            SSL_free(l.ssl); /* no close_notify: the session stays open */
            fds[held++] = l.fd;
            opened++;
        }
        if (write_full(rep, &opened, sizeof opened) != 0)
            _exit(2);
    }
    uint32_t gone = 0;
    struct pollfd *pf = calloc((size_t)held + 1, sizeof *pf);
    if (pf == NULL)
        _exit(2);
    for (int i = 0; i < held; i++)
        pf[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
    if (held > 0 && poll(pf, (nfds_t)held, 0) < 0)
        _exit(2);
    for (int i = 0; i < held; i++)
        if (pf[i].revents != 0)
            gone++;
    if (write_full(rep, &gone, sizeof gone) != 0)
        _exit(2);
    _exit(0);
}

static void test_idle(void)
{
    int par = o.par < o.count ? o.par : o.count, cap = (o.count + par - 1) / par;
    fd_limit_for((rlim_t)cap + 64u);
    if (sctx != NULL)
        SSL_CTX_set_mode(sctx, SSL_MODE_RELEASE_BUFFERS);
    long rss0 = relay_rss_kb();
    int cmd[64], rep[2];
    pid_t kids[64];
    if (pipe(rep) != 0)
        die("pipe");
    for (int k = 0; k < par; k++) {
        int c[2];
        if (pipe(c) != 0)
            die("pipe");
        kids[k] = fork();
        if (kids[k] < 0)
            die("fork");
        if (kids[k] == 0) {
            /* the earlier clients' command pipes: held here, they would
             * never see their end of file */
            for (int j = 0; j < k; j++)
                close(cmd[j]);
            close(c[1]);
            close(rep[0]);
            idle_child(c[0], rep[1], cap);
        }
        close(c[0]);
        cmd[k] = c[1];
    }
    close(rep[1]);

    unsigned *ctx = calloc((size_t)o.count, sizeof *ctx);
    uint16_t ports[IDLE_BATCH];
    if (ctx == NULL)
        die("out of memory");
    int batch = IDLE_BATCH, added = 0, opened = 0, max_sessions = 0;
    double slowest = 0;
    const char *why = NULL;
    while (opened < o.count && why == NULL) {
        int n = o.count - opened < batch ? o.count - opened : batch;
        double t0 = now_s();
        if (o.emsecd) {
            int k = ctl_add(&ec, n, ctx + added, ports);
            added += k;
            if (k < n) {
                max_sessions = added;
                why = "emsecd did not set up every session (H.248 Add refused or unanswered)";
                break;
            }
        } else {
            for (int i = 0; i < n; i++)
                ports[i] = o.port;
        }
        /* session i of the batch to client i % par, in order */
        int asked = 0;
        for (int k = 0; k < par && k < n && why == NULL; k++) {
            unsigned char m[sizeof(uint32_t) + IDLE_BATCH * sizeof(uint16_t)];
            uint32_t c = 0;
            uint16_t mine[IDLE_BATCH];
            for (int i = k; i < n; i += par)
                mine[c++] = ports[i];
            memcpy(m, &c, sizeof c);
            memcpy(m + sizeof c, mine, c * sizeof *mine);
            if (write_full(cmd[k], m, sizeof c + c * sizeof *mine) != 0)
                why = "a client ended early";
            else
                asked++;
        }
        uint32_t got = 0;
        for (int k = 0; k < asked; k++) {
            uint32_t v;
            if (read_full(rep[0], &v, sizeof v) != 1) {
                why = "a client ended early";
                break;
            }
            got += v;
        }
        opened += (int)got;
        max_sessions = opened;
        double s = now_s() - t0;
        if (s > slowest)
            slowest = s;
        if (why == NULL && got < (uint32_t)n)
            why = "a session failed (connect, handshake or echo; stderr above)";
        if (s > IDLE_SLOW_S && batch > IDLE_BATCH_MIN)
            batch = batch / 2 > IDLE_BATCH_MIN ? batch / 2 : IDLE_BATCH_MIN;
    }
    long rss1 = 0;
    if (why == NULL) {
        usleep(500000);
        rss1 = relay_rss_kb();
    }
    for (int k = 0; k < par; k++)
        close(cmd[k]); /* the clients check their sessions, close them and end */
    uint32_t gone = 0, v;
    int answers = 0;
    while (read_full(rep[0], &v, sizeof v) == 1) {
        gone += v;
        answers++;
    }
    for (int k = 0; k < par; k++)
        waitpid(kids[k], NULL, 0);
    if (why == NULL && answers != par)
        why = "a client ended before checking its sessions";
    if (why == NULL && gone > 0) {
        fprintf(stderr, "relay_load %s idle: %u of %d sessions closed or written on by the relay while idle\n",
                o.name, gone, o.count);
        why = "the relay did not keep every session idle and open until the RSS was read";
    }
    usleep(200000);
    if (o.emsecd && ctl_sub(&ec, added, ctx) != 0 && why == NULL)
        why = "Subtract refused";
    free(ctx);
    if (why != NULL) {
        fprintf(stderr, "relay_load %s idle: %s (%d of %d sessions were open)\n", o.name, why, opened, o.count);
        printf("RESULT name=%s test=idle tls=%s sessions=%d failed=1 max_sessions=%d\n", o.name, o.tls, o.count,
               max_sessions);
        exit(1);
    }
    printf("RESULT name=%s test=idle tls=%s sessions=%d par=%d batch=%d max_batch_s=%.2f rss0_kb=%ld rss1_kb=%ld "
           "kb_per_session=%.2f\n",
           o.name, o.tls, o.count, par, IDLE_BATCH, slowest, rss0, rss1, (double)(rss1 - rss0) / o.count);
}

static void test_wait(void)
{
    uint16_t p = o.emsecd ? o.h248 : o.port;
    for (int i = 0; i < 150; i++) {
        int fd = tcp_connect(p); /* emsecd: its H.248 TCP port, same number */
        if (fd >= 0) {
            close(fd);
            return;
        }
        usleep(100000);
    }
    die("nothing accepts on the port within 15 s");
}

static void parse_target(const char *t)
{
    unsigned a, b;
    if (sscanf(t, "emsecd:%u:%u", &a, &b) == 2 && a > 0 && a < 65536 && b > 0 && b < 65536) {
        o.emsecd = 1;
        o.h248 = (uint16_t)a;
        o.sink = (uint16_t)b;
    } else if (sscanf(t, "%u", &a) == 1 && a > 0 && a < 65536) {
        o.port = (uint16_t)a;
    } else {
        die("TARGET: PORT or emsecd:H248PORT:SINKPORT");
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: relay_load bulk|hs|idle|ping|wait TARGET [--tls 13|12|psk12|plain] "
                        "[--cert F --key F] [--psk HEX --psk-id ID] [--pids P,P] [--bytes N] [--count N] "
                        "[--par K] [--name NAME]\n");
        return 2;
    }
    o.test = argv[1];
    for (int i = 3; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (strcmp(k, "--tls") == 0) o.tls = v;
        else if (strcmp(k, "--cert") == 0) o.cert = v;
        else if (strcmp(k, "--key") == 0) o.key = v;
        else if (strcmp(k, "--psk") == 0) o.psk_hex = v;
        else if (strcmp(k, "--psk-id") == 0) o.psk_id = v;
        else if (strcmp(k, "--name") == 0) o.name = v;
        else if (strcmp(k, "--bytes") == 0) o.bytes = strtoull(v, NULL, 10);
        else if (strcmp(k, "--count") == 0) o.count = atoi(v);
        else if (strcmp(k, "--par") == 0) o.par = atoi(v);
        else if (strcmp(k, "--pids") == 0) {
            char *s = strdup(v), *save = NULL;
            for (char *p = strtok_r(s, ",", &save); p != NULL; p = strtok_r(NULL, ",", &save)) {
                if (o.npids == MAX_PIDS)
                    die("too many --pids");
                o.pids[o.npids++] = atoi(p);
            }
            free(s);
        } else {
            die("unknown option");
        }
    }
    if ((argc - 3) % 2 != 0)
        die("an option without its value");
    if (o.count <= 0 || o.par <= 0 || o.par > 64 || o.bytes == 0)
        die("--count, --par (1..64) and --bytes must be positive");
    parse_target(argv[2]);
    signal(SIGPIPE, SIG_IGN);
    if (strcmp(o.test, "wait") == 0) {
        test_wait();
        return 0;
    }
    if (o.npids == 0)
        die("--pids is needed");
    tls_setup();
    if (o.emsecd) {
        ec.sink_port = o.sink;
        if (strcmp(o.tls, "psk12") == 0) {
            ec.kind = CTL_TLS_PSK;
            snprintf(ec.psk_hex, sizeof ec.psk_hex, "%s", o.psk_hex);
            snprintf(ec.psk_id, sizeof ec.psk_id, "%s", o.psk_id);
        } else if (strcmp(o.tls, "plain") == 0) {
            ec.kind = CTL_PLAIN;
        } else {
            ec.kind = CTL_TLS_CERT;
            cert_fingerprint(ec.fp, sizeof ec.fp);
        }
        if (ctl_open(&ec, o.h248, 0) != 0)
            die("H.248 socket");
    }
    if (strcmp(o.test, "bulk") == 0) test_bulk();
    else if (strcmp(o.test, "hs") == 0) test_hs();
    else if (strcmp(o.test, "idle") == 0) test_idle();
    else if (strcmp(o.test, "ping") == 0) test_ping();
    else die("TEST: bulk, hs, idle, ping or wait");
    return 0;
}
