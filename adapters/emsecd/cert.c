/*
 * emsecd own certificate: the one given by --cert/--key, else a self-signed
 * ECDSA P-256 certificate created on first start in the state directory and
 * reused afterwards (the fingerprint the controller has seen stays valid
 * across restarts). Its sha-256 fingerprint, "sha-256 AB:CD:...", is what
 * the core puts in Local a=fingerprint (RFC 8122 §5).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "emsecd.h"

#define ED_CERT_DAYS 3650 /* self-signed: trust comes from the fingerprint in SDP, not from expiry */

static int load(emsecd *d, const char *cert_path, const char *key_path)
{
    FILE *f = fopen(cert_path, "r");
    if (f == NULL) {
        fprintf(stderr, "emsecd: %s: %s\n", cert_path, strerror(errno));
        return -1;
    }
    d->cert = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    f = fopen(key_path, "r");
    if (f == NULL) {
        fprintf(stderr, "emsecd: %s: %s\n", key_path, strerror(errno));
        return -1;
    }
    d->key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    if (d->cert == NULL || d->key == NULL || X509_check_private_key(d->cert, d->key) != 1) {
        ed_log_ssl_errors(NULL, "certificate");
        fprintf(stderr, "emsecd: %s / %s: not a matching PEM certificate and key\n", cert_path, key_path);
        return -1;
    }
    return 0;
}

/* mkdir -p, each component 0700: the directory holds a private key. */
static int make_dirs(const char *path)
{
    char p[4096];
    if (snprintf(p, sizeof p, "%s", path) >= (int)sizeof p)
        return -1;
    for (char *s = p + 1; *s != '\0'; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST)
            return -1;
        *s = '/';
    }
    return mkdir(p, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

static int create(emsecd *d, const char *cert_path, const char *key_path)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *x = X509_new();
    X509_NAME *name = X509_NAME_new();
    int ok = key != NULL && x != NULL && name != NULL && X509_set_version(x, 2) == 1 &&
             ASN1_INTEGER_set(X509_get_serialNumber(x), (long)(time(NULL) & 0x7fffffff)) == 1 &&
             X509_gmtime_adj(X509_getm_notBefore(x), -3600) != NULL &&
             X509_gmtime_adj(X509_getm_notAfter(x), (long)ED_CERT_DAYS * 86400) != NULL &&
             X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"emsecd", -1, -1, 0) == 1 &&
             X509_set_subject_name(x, name) == 1 && X509_set_issuer_name(x, name) == 1 &&
             X509_set_pubkey(x, key) == 1 && X509_sign(x, key, EVP_sha256()) > 0;
    X509_NAME_free(name);
    if (!ok) {
        ed_log_ssl_errors(NULL, "certificate creation");
        EVP_PKEY_free(key);
        X509_free(x);
        return -1;
    }
    int kfd = open(key_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    FILE *kf = kfd >= 0 ? fdopen(kfd, "w") : NULL;
    FILE *cf = kf != NULL ? fopen(cert_path, "w") : NULL;
    ok = kf != NULL && cf != NULL && PEM_write_PrivateKey(kf, key, NULL, NULL, 0, NULL, NULL) == 1 &&
         PEM_write_X509(cf, x) == 1;
    if (kf != NULL && fclose(kf) != 0)
        ok = 0;
    else if (kf == NULL && kfd >= 0)
        close(kfd);
    if (cf != NULL && fclose(cf) != 0)
        ok = 0;
    if (!ok) {
        fprintf(stderr, "emsecd: cannot write %s and %s: %s\n", key_path, cert_path, strerror(errno));
        EVP_PKEY_free(key);
        X509_free(x);
        return -1;
    }
    d->cert = x;
    d->key = key;
    ed_log(NULL, "created self-signed ECDSA P-256 certificate %s", cert_path);
    return 0;
}

static void fingerprint(emsecd *d)
{
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned int len = 0u;
    if (X509_digest(d->cert, EVP_sha256(), md, &len) != 1)
        len = 0u;
    size_t off = (size_t)snprintf(d->fingerprint, sizeof d->fingerprint, "sha-256 ");
    for (unsigned int i = 0u; i < len && off + 4u < sizeof d->fingerprint; i++)
        off += (size_t)snprintf(d->fingerprint + off, sizeof d->fingerprint - off, i == 0u ? "%02X" : ":%02X", md[i]);
}

int ed_cert_load_or_create(emsecd *d)
{
    int r;
    if (d->cfg.cert_file != NULL || d->cfg.key_file != NULL) {
        if (d->cfg.cert_file == NULL || d->cfg.key_file == NULL) {
            fprintf(stderr, "emsecd: --cert and --key go together\n");
            return -1;
        }
        r = load(d, d->cfg.cert_file, d->cfg.key_file);
    } else {
        char cp[4200], kp[4200];
        if (make_dirs(d->cfg.state_dir) != 0) {
            fprintf(stderr, "emsecd: state dir %s: %s\n", d->cfg.state_dir, strerror(errno));
            return -1;
        }
        snprintf(cp, sizeof cp, "%s/cert.pem", d->cfg.state_dir);
        snprintf(kp, sizeof kp, "%s/key.pem", d->cfg.state_dir);
        r = access(cp, F_OK) == 0 || access(kp, F_OK) == 0 ? load(d, cp, kp) : create(d, cp, kp);
    }
    if (r == 0) {
        fingerprint(d);
        ed_log(NULL, "own certificate fingerprint %s", d->fingerprint);
    }
    return r;
}
