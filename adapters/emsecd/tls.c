/*
 * emsecd TLS: OpenSSL 3 on the core's TLS_CLIENT, TLS_SERVER and TLS_CLOSE
 * actions, TLS 1.2 and 1.3 only (3GPP TS 33.210 §6.2).
 *
 * Certificate mode (RFC 8122 §5, RFC 4572): both ends present a certificate,
 * usually self-signed, so OpenSSL accepts any chain and the peer is
 * authenticated by the core, which compares the certificate's digest with
 * the Remote a=fingerprint (EMSEC_MG_EV_TLS_ESTABLISHED). The server
 * requests the client's certificate and fails without one.
 *
 * PSK mode (RFC 4279; tlsbsc/psk): the key and identity come from the core
 * (emsec_mg_term_psk, under the core's lock: the core is shared by the
 * threads) inside OpenSSL's PSK callbacks, so no copy outlives the
 * handshake. TLS 1.2 uses the PSK, ECDHE-PSK and DHE-PSK suites; TLS 1.3
 * uses the same callbacks as an external PSK (OpenSSL maps them to a
 * TLS_AES_128_GCM_SHA256 session, RFC 8446 §2.2).
 *
 * Renegotiation (RFC 5746): a handshake record after the TLS 1.2 handshake
 * is reported to the core with `secure` = the peer's RFC 5746 support. The
 * core accepts exactly the secure ones (DESIGN.md: no knob changes that),
 * which is also OpenSSL 3's own rule (no SSL_OP_ALLOW_UNSAFE_LEGACY_
 * RENEGOTIATION), so OpenSSL is left to carry the decision out: a secure
 * renegotiation proceeds; an insecure one gets no_renegotiation, and the
 * core's RENEG_REFUSE is followed by its CLOSE.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "emsec/sdp.h"
#include "emsecd.h"

#define ED_TLS_READ_BUF (64u * 1024u) /* OpenSSL's read buffer with read ahead */

static int term_idx = -1; /* SSL ex_data slot: the ed_term of an SSL */

/* RFC 4279 §2 and RFC 5489 / RFC 5487 suites; TLS 1.2 only (TLS 1.3 picks
 * its own suites). The ECDHE and DHE variants give forward secrecy. */
static const char psk_ciphers[] =
    "ECDHE-PSK-CHACHA20-POLY1305:ECDHE-PSK-AES256-CBC-SHA384:ECDHE-PSK-AES128-CBC-SHA256:"
    "DHE-PSK-AES256-GCM-SHA384:DHE-PSK-AES128-GCM-SHA256:DHE-PSK-CHACHA20-POLY1305:"
    "PSK-AES256-GCM-SHA384:PSK-AES128-GCM-SHA256:PSK-CHACHA20-POLY1305";

static uint16_t term_of(ed_worker *w, const ed_term *tm) { return (uint16_t)(tm - w->term); }

/* The core's key and identity for leg tm, if it holds one for the use of
 * the handle the leg serves. Called with the core's lock held: *key and *id
 * point into the core and are read before the lock is released. */
static bool core_psk(ed_worker *w, ed_term *tm, const uint8_t **key, uint32_t *key_len, const char **id)
{
    uint16_t t = term_of(w, tm);
    return w->d->epoch[t] == tm->epoch && emsec_mg_term_psk(w->d->mg, t, key, key_len, id);
}

/* The peer is authenticated by its fingerprint in the core, not by a CA. */
static int accept_any_chain(int ok, X509_STORE_CTX *ctx)
{
    (void)ok;
    (void)ctx;
    return 1;
}

static unsigned int psk_server_cb(SSL *ssl, const char *identity, unsigned char *psk, unsigned int max_psk_len)
{
    ed_worker *w = SSL_get_app_data(ssl);
    ed_term *tm = SSL_get_ex_data(ssl, term_idx);
    const uint8_t *key = NULL;
    uint32_t key_len = 0u;
    const char *id = NULL;
    if (w == NULL || tm == NULL)
        return 0;
    unsigned int r = 0u;
    ed_core_lock(w->d);
    if (!core_psk(w, tm, &key, &key_len, &id)) {
        r = 0u;
    } else if (id[0] != '\0' && (identity == NULL || strcmp(identity, id) != 0)) {
        tm->psk_unknown_id = true; /* RFC 4279 §2: unknown_psk_identity */
    } else if (key_len <= max_psk_len) {
        memcpy(psk, key, key_len);
        r = key_len;
    }
    ed_core_unlock(w->d);
    return r;
}

static unsigned int psk_client_cb(SSL *ssl, const char *hint, char *identity, unsigned int max_identity_len,
                                  unsigned char *psk, unsigned int max_psk_len)
{
    (void)hint;
    ed_worker *w = SSL_get_app_data(ssl);
    ed_term *tm = SSL_get_ex_data(ssl, term_idx);
    const uint8_t *key = NULL;
    uint32_t key_len = 0u;
    const char *id = NULL;
    if (w == NULL || tm == NULL)
        return 0;
    unsigned int r = 0u;
    ed_core_lock(w->d);
    if (core_psk(w, tm, &key, &key_len, &id)) {
        size_t il = strlen(id);
        if (il + 1u <= max_identity_len && key_len <= max_psk_len) {
            memcpy(identity, id, il + 1u);
            memcpy(psk, key, key_len);
            r = key_len;
        }
    }
    ed_core_unlock(w->d);
    return r;
}

/* A handshake record after a TLS 1.2 handshake is a renegotiation
 * (ClientHello from a client, HelloRequest from a server): the record header
 * is seen even when OpenSSL refuses the renegotiation before parsing it. */
static void msg_cb(int write_p, int version, int content_type, const void *buf, size_t len, SSL *ssl, void *arg)
{
    (void)version;
    (void)arg;
    ed_term *tm = SSL_get_ex_data(ssl, term_idx);
    if (tm == NULL || write_p || content_type != SSL3_RT_HEADER || len < 1u)
        return;
    if (((const uint8_t *)buf)[0] == SSL3_RT_HANDSHAKE && tm->tls == ED_TLS_UP && SSL_version(ssl) <= TLS1_2_VERSION)
        tm->reneg_seen = true;
}

/* A renegotiation that completed: the peer's certificate is compared with
 * the one the core checked against a=fingerprint (ed_tls_after_io). */
static void info_cb(const SSL *ssl, int where, int ret)
{
    (void)ret;
    ed_term *tm = SSL_get_ex_data(ssl, term_idx);
    if (tm == NULL || tm->tls != ED_TLS_UP)
        return;
    if (where & SSL_CB_HANDSHAKE_START)
        tm->rehandshaking = true;
    if ((where & SSL_CB_HANDSHAKE_DONE) && tm->rehandshaking && SSL_is_init_finished(ssl)) {
        tm->rehandshaking = false;
        tm->rehandshake_done = true;
    }
}

/* What the certificate and the PSK contexts share. */
static int ctx_common(SSL_CTX *ctx)
{
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
        SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1)
        return -1;
    /* partial writes and a buffer that moves: the relay's out buffer is
     * compacted between retries; idle sessions give their buffers back */
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                              SSL_MODE_RELEASE_BUFFERS);
    /* OpenSSL 3 refuses a client's renegotiation by default; the core
     * accepts the secure ones (RFC 5746), and OpenSSL still refuses the
     * insecure ones (no SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION) */
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE |
                                 SSL_OP_ALLOW_CLIENT_RENEGOTIATION);
    /* Read ahead: one read(2) takes every record the socket holds (up to
     * the buffer's size) instead of one call per 16 KB record; relay.c
     * then drains them in one go. The buffer is still released when empty
     * (idle sessions), so its size costs only while bytes flow. */
    SSL_CTX_set_read_ahead(ctx, 1);
    SSL_CTX_set_default_read_buffer_len(ctx, ED_TLS_READ_BUF);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    (void)SSL_CTX_set_num_tickets(ctx, 0); /* one session per media leg: no resumption */
    return 0;
}

/* PSK mode has a context of its own, set up once: the key authenticates
 * both ends, so no certificate is sent, asked or checked, and a peer
 * without the key cannot fall back to a certificate handshake. TLS 1.3:
 * OpenSSL's PSK callbacks make a SHA-256 PSK, usable only with
 * TLS_AES_128_GCM_SHA256 (RFC 8446 §4.2.11: a PSK is tied to its hash);
 * another suite would skip the PSK and its binder check. (Set on each
 * session instead, SSL_set_cipher_list parsed the list every handshake:
 * 191 K instructions each, callgrind over 200 PSK handshakes.) */
static SSL_CTX *psk_context(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_method());
    if (ctx == NULL || ctx_common(ctx) != 0 || SSL_CTX_set_cipher_list(ctx, psk_ciphers) != 1 ||
        SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256") != 1 || SSL_CTX_set_dh_auto(ctx, 1) != 1) {
        /* never fall back to OpenSSL's default suites in PSK mode */
        SSL_CTX_free(ctx);
        return NULL;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    SSL_CTX_set_psk_server_callback(ctx, psk_server_cb);
    SSL_CTX_set_psk_client_callback(ctx, psk_client_cb);
    return ctx;
}

int ed_tls_init(emsecd *d)
{
    term_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
    SSL_CTX *ctx = SSL_CTX_new(TLS_method());
    if (ctx == NULL || term_idx < 0) {
        ed_log_ssl_errors(NULL, "SSL_CTX_new");
        SSL_CTX_free(ctx);
        return -1;
    }
    d->tls_ctx = ctx;
    if (ctx_common(ctx) != 0 || SSL_CTX_use_certificate(ctx, d->cert) != 1 ||
        SSL_CTX_use_PrivateKey(ctx, d->key) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
        ed_log_ssl_errors(NULL, "tls context");
        return -1;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, accept_any_chain);
    d->psk_ctx = psk_context();
    if (d->psk_ctx == NULL) {
        ed_log_ssl_errors(NULL, "psk tls context");
        return -1;
    }
    return 0;
}

void ed_tls_free(emsecd *d)
{
    SSL_CTX_free(d->tls_ctx);
    SSL_CTX_free(d->psk_ctx);
    d->tls_ctx = d->psk_ctx = NULL;
}

void ed_tls_moved(ed_worker *w, uint16_t t)
{
    ed_term *tm = &w->term[t];
    if (tm->ssl == NULL)
        return;
    SSL_set_app_data(tm->ssl, w);
    SSL_set_ex_data(tm->ssl, term_idx, tm);
}

void ed_tls_release(ed_term *tm)
{
    SSL_free(tm->ssl);
    tm->ssl = NULL;
    tm->tls = ED_TLS_NONE;
}

void ed_tls_start(ed_worker *w, uint16_t t, bool client)
{
    ed_term *tm = &w->term[t];
    if (!tm->active || tm->fd < 0 || !tm->up || tm->ssl != NULL) {
        ed_log(tm->name, "tls: no connected leg or TLS already started: ignored");
        return;
    }
    /* PSK mode when the core holds a key for the leg (psk_context) */
    const uint8_t *key = NULL;
    uint32_t key_len = 0u;
    const char *id = NULL;
    ed_core_lock(w->d);
    tm->psk_mode = core_psk(w, tm, &key, &key_len, &id);
    ed_core_unlock(w->d);
    SSL *ssl = SSL_new(tm->psk_mode ? w->d->psk_ctx : w->d->tls_ctx);
    if (ssl == NULL || SSL_set_fd(ssl, tm->fd) != 1) {
        ed_log_ssl_errors(tm->name, "SSL_new");
        SSL_free(ssl);
        emsec_mg_event ev = { .kind = EMSEC_MG_EV_TLS_FAILED, .term = t, .cause = EMSEC_MG_TLS_CAUSE_HANDSHAKE };
        ed_report_ev(w, &ev);
        return;
    }
    SSL_set_app_data(ssl, w);
    SSL_set_ex_data(ssl, term_idx, tm);
    SSL_set_msg_callback(ssl, msg_cb);
    SSL_set_info_callback(ssl, info_cb);
    if (client)
        SSL_set_connect_state(ssl);
    else
        SSL_set_accept_state(ssl);
    tm->ssl = ssl;
    tm->tls = ED_TLS_HANDSHAKE;
    ed_log(tm->name, "tls %s handshake starts (%s)", client ? "client" : "server",
           tm->psk_mode ? "psk" : "certificate");
    ed_tls_handshake(w, t);
}

static bool psk_reason(int reason)
{
    switch (reason) {
    case SSL_R_PSK_IDENTITY_NOT_FOUND:
    case SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC:
    case SSL_R_DIGEST_CHECK_FAILED:
    case SSL_R_BAD_PSK:
    case SSL_R_BINDER_DOES_NOT_VERIFY:
    case SSL_AD_REASON_OFFSET + SSL_AD_DECRYPT_ERROR:
    case SSL_AD_REASON_OFFSET + SSL_AD_BAD_RECORD_MAC:
    case SSL_AD_REASON_OFFSET + SSL_AD_UNKNOWN_PSK_IDENTITY:
        return true;
    default:
        return false;
    }
}

/* Why the handshake failed, as the core's cause: PSK when, in PSK mode,
 * OpenSSL names an unknown identity or a key that does not verify (the
 * Finished MAC in TLS 1.2, the binder in TLS 1.3, or the peer's alert
 * saying so); a handshake failure otherwise. Every queued error is logged
 * on the way (the queue is emptied). */
static uint8_t failure_cause(ed_term *tm)
{
    bool psk = tm->psk_mode && tm->psk_unknown_id;
    unsigned long e;
    while ((e = ERR_get_error()) != 0) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        ed_log(tm->name, "tls handshake: %s", buf);
        psk = psk || (tm->psk_mode && psk_reason(ERR_GET_REASON(e)));
    }
    return psk ? EMSEC_MG_TLS_CAUSE_PSK : EMSEC_MG_TLS_CAUSE_HANDSHAKE;
}

/* In PSK mode the session must rest on the PSK: a TLS 1.2 PSK suite, or a
 * TLS 1.3 handshake that accepted the PSK (OpenSSL marks it as a resumed
 * session). Anything else did not authenticate the peer by the key. */
static bool psk_was_used(SSL *ssl)
{
    if (SSL_version(ssl) >= TLS1_3_VERSION)
        return SSL_session_reused(ssl) == 1;
    const SSL_CIPHER *c = SSL_get_current_cipher(ssl);
    return c != NULL && SSL_CIPHER_get_auth_nid(c) == NID_auth_psk;
}

/* The digest to compute for the core's fingerprint check: sha-256 when a
 * Remote line names it (RFC 8122 §5 requires every end to support it), else
 * the strongest hash the Remote names; sha-256 when it names none (the core
 * then finds no line to match and reports the failure). */
static const EVP_MD *peer_digest_for(uint32_t mask, const char **name)
{
    static const struct {
        emsec_sdp_hash h;
        const char *name;
        const EVP_MD *(*md)(void);
    } order[] = {
        {EMSEC_SDP_HASH_SHA256, "sha-256", EVP_sha256}, {EMSEC_SDP_HASH_SHA512, "sha-512", EVP_sha512},
        {EMSEC_SDP_HASH_SHA384, "sha-384", EVP_sha384}, {EMSEC_SDP_HASH_SHA224, "sha-224", EVP_sha224},
        {EMSEC_SDP_HASH_SHA1, "sha-1", EVP_sha1},
    };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if ((mask & (1u << (uint32_t)order[i].h)) != 0u) {
            *name = order[i].name;
            return order[i].md();
        }
    *name = "sha-256";
    return EVP_sha256();
}

static void established(ed_worker *w, uint16_t t)
{
    ed_term *tm = &w->term[t];
    emsec_mg_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = EMSEC_MG_EV_TLS_ESTABLISHED;
    ev.term = t;
    tm->tls = ED_TLS_UP;
    ed_log(tm->name, "tls established: %s %s", SSL_get_version(tm->ssl), SSL_get_cipher_name(tm->ssl));
    if (tm->psk_mode && !psk_was_used(tm->ssl)) {
        ed_log(tm->name, "tls: PSK mode but the handshake did not use the PSK: refused");
        tm->tls = ED_TLS_DONE;
        ev.kind = EMSEC_MG_EV_TLS_FAILED;
        ev.cause = EMSEC_MG_TLS_CAUSE_PSK;
        ed_report_ev(w, &ev);
        return;
    }
    if (!tm->psk_mode) {
        X509 *peer = SSL_get1_peer_certificate(tm->ssl);
        unsigned int len = 0u;
        /* the hash a Remote a=fingerprint names (RFC 8122 §5: checked with
         * the hash the line gives); the core compares the digest with the
         * lines of that hash */
        const char *hash_name = NULL;
        ed_core_lock(w->d);
        uint32_t hashes = emsec_mg_term_remote_hashes(w->d->mg, t);
        ed_core_unlock(w->d);
        const EVP_MD *md = peer_digest_for(hashes, &hash_name);
        if (peer == NULL || X509_digest(peer, md, ev.fp, &len) != 1) {
            X509_free(peer);
            ed_log(tm->name, "tls: no peer certificate (RFC 8122 requires one)");
            tm->tls = ED_TLS_DONE;
            ev.kind = EMSEC_MG_EV_TLS_FAILED;
            ev.cause = EMSEC_MG_TLS_CAUSE_HANDSHAKE;
            ed_report_ev(w, &ev);
            return;
        }
        ev.fp_len = len;
        /* kept as sha-256 for the check after a renegotiation */
        tm->has_peer_fp = X509_digest(peer, EVP_sha256(), tm->peer_fp, &len) == 1 && len == sizeof tm->peer_fp;
        X509_free(peer);
        snprintf(ev.fp_hash, sizeof ev.fp_hash, "%s", hash_name);
    }
    ed_report_ev(w, &ev);
}

void ed_tls_handshake(ed_worker *w, uint16_t t)
{
    ed_term *tm = &w->term[t];
    ERR_clear_error();
    int r = SSL_do_handshake(tm->ssl);
    if (r == 1) {
        tm->ssl_want_write = false;
        established(w, t);
        ed_term_update_interest(w, t);
        return;
    }
    int err = SSL_get_error(tm->ssl, r);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
        tm->ssl_want_write = err == SSL_ERROR_WANT_WRITE;
        ed_term_update_interest(w, t);
        return;
    }
    emsec_mg_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = EMSEC_MG_EV_TLS_FAILED;
    ev.term = t;
    if (err == SSL_ERROR_SYSCALL)
        ed_log(tm->name, "tls handshake: connection lost (%s)", errno != 0 ? strerror(errno) : "eof");
    ev.cause = failure_cause(tm);
    tm->tls = ED_TLS_DONE;
    tm->ssl_want_write = false;
    ed_report_ev(w, &ev);
    ed_term_update_interest(w, t);
}

/* RFC 5746: the core decides on `secure` (the peer's renegotiation_info). */
static void report_reneg(ed_worker *w, uint16_t t)
{
    ed_term *tm = &w->term[t];
    tm->reneg_seen = false;
    emsec_mg_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = EMSEC_MG_EV_RENEGOTIATION;
    ev.term = t;
    ev.secure = SSL_get_secure_renegotiation_support(tm->ssl) == 1;
    ed_log(tm->name, "tls renegotiation asked (%s)", ev.secure ? "secure" : "insecure");
    ed_report_ev(w, &ev);
}

/* After a renegotiation the peer must still be the one whose fingerprint
 * the core accepted (RFC 8122 §5 binds the session to that certificate):
 * another certificate ends the session as a fatal TLS failure. */
static void check_peer_after_reneg(ed_worker *w, uint16_t t)
{
    ed_term *tm = &w->term[t];
    tm->rehandshake_done = false;
    if (!tm->has_peer_fp)
        return;
    X509 *peer = SSL_get1_peer_certificate(tm->ssl);
    uint8_t fp[EVP_MAX_MD_SIZE];
    unsigned int len = 0u;
    bool same = peer != NULL && X509_digest(peer, EVP_sha256(), fp, &len) == 1 && len == sizeof tm->peer_fp &&
                memcmp(fp, tm->peer_fp, sizeof tm->peer_fp) == 0;
    X509_free(peer);
    ed_log(tm->name, "tls peer certificate after renegotiation: %s", same ? "unchanged" : "CHANGED: session ends");
    if (same)
        return;
    tm->tls = ED_TLS_DONE;
    tm->rd_eof = true;
    emsec_mg_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = EMSEC_MG_EV_TLS_FAILED;
    ev.term = t;
    ev.cause = EMSEC_MG_TLS_CAUSE_ALERT;
    ed_report_ev(w, &ev);
}

void ed_tls_after_io(ed_worker *w, uint16_t t)
{
    ed_term *tm = &w->term[t];
    if (tm->ssl != NULL && tm->reneg_seen)
        report_reneg(w, t);
    /* after the report: the core hears of the renegotiation before its end */
    if (tm->ssl != NULL && tm->rehandshake_done)
        check_peer_after_reneg(w, t);
}

void ed_tls_close(ed_worker *w, uint16_t t)
{
    ed_term *tm = &w->term[t];
    if (tm->ssl == NULL)
        return;
    if (tm->tls == ED_TLS_UP && !tm->wr_shut) {
        ERR_clear_error();
        (void)SSL_shutdown(tm->ssl); /* close_notify (RFC 8446 §6.1) */
        ERR_clear_error();
    }
    tm->tls = ED_TLS_DONE;
    ed_term_update_interest(w, t);
}
