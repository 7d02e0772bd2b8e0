/*
 * relay_bare: the "bare TLS endpoint that only decrypts" of the relay bench
 * (bench/relay.sh; issue 5 [D] item 7 asks emsecd's CPU per GB to stay
 * within 1.3x of it). An OpenSSL 3 TLS 1.2/1.3 server that terminates TLS
 * and answers the job protocol of relay_proto.h itself: it decrypts and
 * drops (or echoes) the bytes, with no second leg. Its configuration is the
 * relays' one: the run's ECDSA P-256 certificate, the client certificate
 * requested (and, like emsecd, not chain-checked), no session tickets or
 * cache. One connection at a time, blocking: the simplest endpoint.
 *
 *   relay_bare PORT CERT KEY [MAX_SECONDS]
 *   relay_bare --psk PORT IDENTITY HEXKEY [MAX_SECONDS]
 * Serves 127.0.0.1:PORT until killed, or MAX_SECONDS (default 3600).
 * With --psk it is the PSK peer instead (the floor of a PSK handshake):
 * TLS 1.2 only, PSK-AES128-GCM-SHA256, the one IDENTITY and its key given
 * in hex (the key's bytes, as relay_load's --psk), no certificate, no
 * session tickets or cache. relay.sh runs one process of each.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "relay_proto.h"

static unsigned char buf[64 * 1024];

/* The client certificate is asked for and accepted as it is: the relays
 * compare it (emsecd: its fingerprint) or check it against the one CA file;
 * the bare endpoint only needs the same handshake messages. */
static int accept_any(int ok, X509_STORE_CTX *x)
{
    (void)ok;
    (void)x;
    return 1;
}

/* PSK mode: the one identity and its key. */
static const char *psk_id;
static unsigned char *psk_key;
static long psk_len;

/* The key for a known identity; 0 (the handshake fails) for any other. */
static unsigned int psk_find(SSL *s, const char *id, unsigned char *psk, unsigned int cap)
{
    (void)s;
    if (id == NULL || strcmp(id, psk_id) != 0 || (unsigned long)psk_len > cap)
        return 0;
    memcpy(psk, psk_key, (size_t)psk_len);
    return (unsigned int)psk_len;
}

/* Read exactly n bytes; 0, or -1 when the session ended. */
static int read_full(SSL *s, unsigned char *p, size_t n)
{
    while (n > 0) {
        int r = SSL_read(s, p, n > sizeof buf ? (int)sizeof buf : (int)n);
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* One connection's jobs until the client ends it. -1 on a protocol error. */
static int serve(SSL *s)
{
    for (;;) {
        unsigned char h[RELAY_HDR_LEN];
        char mode;
        uint64_t n;
        if (read_full(s, h, sizeof h) != 0)
            return 0; /* the client's end */
        if (relay_hdr_get(h, &mode, &n) != 0)
            return -1;
        while (n > 0) {
            int want = n > sizeof buf ? (int)sizeof buf : (int)n;
            int r = SSL_read(s, buf, want);
            if (r <= 0)
                return -1;
            if (mode == RELAY_ECHO && SSL_write(s, buf, r) != r)
                return -1;
            n -= (uint64_t)r;
        }
        if (mode == RELAY_DISCARD) {
            unsigned char ack = RELAY_ACK;
            if (SSL_write(s, &ack, 1) != 1)
                return -1;
        }
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: relay_bare PORT CERT KEY [MAX_SECONDS]\n"
                    "       relay_bare --psk PORT IDENTITY HEXKEY [MAX_SECONDS]\n");
}

/* The certificate mode's context (the relays' configuration); NULL when
 * the certificate or key is refused (the reason on stderr). */
static SSL_CTX *cert_ctx(const char *cert, const char *key)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == NULL || !SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) ||
        SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
        fprintf(stderr, "relay_bare: certificate or key refused\n");
        ERR_print_errors_fp(stderr);
        SSL_CTX_free(ctx);
        return NULL;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, accept_any);
    return ctx;
}

/* The PSK mode's context: TLS 1.2 and the one PSK cipher, no certificate;
 * NULL when the identity or key is unusable (the reason on stderr). */
static SSL_CTX *psk_ctx(const char *id, const char *hex)
{
    if (id[0] == '\0' || strlen(id) > PSK_MAX_IDENTITY_LEN) {
        fprintf(stderr, "relay_bare: --psk IDENTITY: 1 to %d characters\n", PSK_MAX_IDENTITY_LEN);
        return NULL;
    }
    psk_key = OPENSSL_hexstr2buf(hex, &psk_len);
    if (psk_key == NULL || psk_len <= 0 || psk_len > PSK_MAX_PSK_LEN) {
        fprintf(stderr, "relay_bare: --psk HEXKEY: the key in hex, 1 to %d bytes\n", PSK_MAX_PSK_LEN);
        ERR_print_errors_fp(stderr);
        return NULL;
    }
    psk_id = id;
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == NULL || !SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) ||
        !SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION) ||
        SSL_CTX_set_cipher_list(ctx, "PSK-AES128-GCM-SHA256") != 1) {
        fprintf(stderr, "relay_bare: TLS 1.2 with PSK-AES128-GCM-SHA256 refused\n");
        ERR_print_errors_fp(stderr);
        SSL_CTX_free(ctx);
        return NULL;
    }
    SSL_CTX_set_psk_server_callback(ctx, psk_find);
    return ctx;
}

int main(int argc, char **argv)
{
    /* argv[a]: PORT, then the mode's two arguments, then MAX_SECONDS */
    int psk = argc > 1 && strcmp(argv[1], "--psk") == 0, a = psk ? 2 : 1;
    if (argc < a + 3 || argc > a + 4) {
        usage();
        return 2;
    }
    int port = atoi(argv[a]);
    long max_s = argc == a + 4 ? atol(argv[a + 3]) : 3600;
    if (port <= 0 || port > 65535 || max_s <= 0) {
        fprintf(stderr, "relay_bare: bad PORT or MAX_SECONDS\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    alarm((unsigned)max_s); /* default action: the process ends */

    SSL_CTX *ctx = psk ? psk_ctx(argv[a + 1], argv[a + 2]) : cert_ctx(argv[a + 1], argv[a + 2]);
    if (ctx == NULL)
        return 1;
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_num_tickets(ctx, 0);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);

    int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (ls < 0 || setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(ls, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(ls, 1024) != 0) {
        perror("relay_bare: listen");
        return 1;
    }
    unsigned long errors = 0;
    for (;;) {
        int fd = accept(ls, NULL, NULL);
        if (fd < 0)
            continue;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        SSL *s = SSL_new(ctx);
        if (s == NULL || SSL_set_fd(s, fd) != 1 || SSL_accept(s) != 1 || serve(s) != 0) {
            errors++;
            fprintf(stderr, "relay_bare: session %lu failed\n", errors);
            ERR_clear_error();
        } else {
            SSL_shutdown(s);
        }
        SSL_free(s);
        close(fd);
    }
}
