/*
 * emsecd config file (--config FILE): one `key = value` per line, the keys
 * being the long flags' names without "--" (listen, controller, metrics,
 * media-address, ports, cert, key, state-dir, mid, msrp-aware, workers, drain-delay, max-waiting-delay).
 * Blank lines and lines
 * whose first non-blank character is `#` are ignored; blanks around the key
 * and the value are trimmed; a value runs to the end of its line (no quotes,
 * no trailing comment). Flags given on the command line override the file.
 * An unknown key, a key given twice, a line without `=`, an empty or
 * malformed value: refused with FILE:LINE (the caller exits 2).
 *
 * The file is read whole (64 KB at most) into one buffer that the values
 * point into: *strings, freed by the caller at exit.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsecd.h"

#define CONFIG_MAX (64u * 1024u)

bool ed_parse_ports(const char *s, uint16_t *lo, uint16_t *hi)
{
    unsigned a = 0u, b = 0u;
    char tail = '\0';
    if (sscanf(s, "%u-%u%c", &a, &b, &tail) != 2 || a == 0u || a > b || b > 65535u)
        return false;
    *lo = (uint16_t)a;
    *hi = (uint16_t)b;
    return true;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0u && (s[n - 1u] == ' ' || s[n - 1u] == '\t' || s[n - 1u] == '\r'))
        s[--n] = '\0';
    return s;
}

enum {
    K_LISTEN, K_CONTROLLER, K_METRICS, K_MEDIA, K_PORTS, K_CERT, K_KEY, K_STATE, K_MID, K_MSRP_AWARE, K_WORKERS,
    K_DRAIN_DELAY, K_MWD, K_COUNT
};
static const char *const keys[K_COUNT] = {
    "listen", "controller", "metrics", "media-address", "ports", "cert", "key", "state-dir", "mid", "msrp-aware",
    "workers", "drain-delay", "max-waiting-delay",
};

/* A decimal number from lo to hi, nothing else (no sign, no blank, no
 * suffix). */
static bool parse_uint_in(const char *s, unsigned long lo, unsigned long hi, uint32_t *n)
{
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || s[0] < '0' || s[0] > '9' || v < lo || v > hi)
        return false;
    *n = (uint32_t)v;
    return true;
}

bool ed_parse_workers(const char *s, uint32_t *n)
{
    return parse_uint_in(s, 1u, ED_MAX_WORKERS, n);
}

bool ed_parse_drain_delay(const char *s, uint32_t *n)
{
    return parse_uint_in(s, 0u, ED_MAX_DRAIN_DELAY, n);
}

bool ed_parse_mwd(const char *s, uint32_t *n)
{
    return parse_uint_in(s, 0u, ED_MAX_MWD_MS, n);
}

bool ed_parse_on_off(const char *s, bool *on)
{
    if (strcmp(s, "on") == 0 || strcmp(s, "yes") == 0 || strcmp(s, "true") == 0) {
        *on = true;
        return true;
    }
    if (strcmp(s, "off") == 0 || strcmp(s, "no") == 0 || strcmp(s, "false") == 0) {
        *on = false;
        return true;
    }
    return false;
}

/* NULL when value is acceptable for key k, else why not. */
static const char *check(int k, const char *v, ed_config *cfg)
{
    struct sockaddr_in sa;
    struct in_addr ia;
    switch (k) {
    case K_CONTROLLER: {
        bool tcp = false;
        return ed_parse_controller(v, &sa, &tcp) ? NULL : "expected [tcp:|udp:]IPv4ADDR:PORT";
    }
    case K_LISTEN:
    case K_METRICS:
        return ed_parse_hostport(v, &sa) ? NULL : "expected IPv4ADDR:PORT";
    case K_MEDIA:
        return inet_pton(AF_INET, v, &ia) == 1 ? NULL : "expected an IPv4 address";
    case K_PORTS:
        return ed_parse_ports(v, &cfg->port_min, &cfg->port_max) ? NULL
                                                                  : "expected MIN-MAX, 1 <= MIN <= MAX <= 65535";
    case K_MSRP_AWARE:
        return ed_parse_on_off(v, &cfg->msrp_aware) ? NULL : "expected on or off";
    case K_WORKERS:
        return ed_parse_workers(v, &cfg->workers) ? NULL : "expected a number from 1 to 64";
    case K_DRAIN_DELAY:
        return ed_parse_drain_delay(v, &cfg->drain_delay_s) ? NULL : "expected seconds from 0 to 86400";
    case K_MWD:
        return ed_parse_mwd(v, &cfg->mwd_ms) ? NULL : "expected milliseconds from 0 to 600000";
    default:
        return NULL;
    }
}

static const char **slot_of(ed_config *cfg, int k)
{
    switch (k) {
    case K_LISTEN: return &cfg->listen;
    case K_CONTROLLER: return &cfg->controller;
    case K_METRICS: return &cfg->metrics;
    case K_MEDIA: return &cfg->media_address;
    case K_CERT: return &cfg->cert_file;
    case K_KEY: return &cfg->key_file;
    case K_STATE: return &cfg->state_dir;
    case K_MID: return &cfg->mid;
    default: return NULL; /* ports, msrp-aware, workers, drain-delay, max-waiting-delay: parsed by check() */
    }
}

int ed_config_load(const char *path, ed_config *cfg, char **strings)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "emsecd: --config %s: %s\n", path, strerror(errno));
        return -1;
    }
    char *buf = malloc(CONFIG_MAX + 1u);
    if (buf == NULL) {
        fclose(f);
        fprintf(stderr, "emsecd: --config %s: out of memory\n", path);
        return -1;
    }
    size_t n = fread(buf, 1, CONFIG_MAX + 1u, f);
    bool err = ferror(f) != 0;
    fclose(f);
    if (err || n > CONFIG_MAX) {
        fprintf(stderr, "emsecd: --config %s: %s\n", path, err ? "read error" : "longer than 64 KB");
        free(buf);
        return -1;
    }
    buf[n] = '\0';
    if (memchr(buf, '\0', n) != NULL) {
        fprintf(stderr, "emsecd: --config %s: a NUL byte: not a text file\n", path);
        free(buf);
        return -1;
    }
    *strings = buf;
    bool seen[K_COUNT] = { false };
    unsigned line = 0u;
    for (char *p = buf; p != NULL && *p != '\0';) {
        line++;
        char *nl = strchr(p, '\n');
        if (nl != NULL)
            *nl = '\0';
        char *s = trim(p);
        p = nl != NULL ? nl + 1 : NULL;
        if (*s == '\0' || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (eq == NULL) {
            fprintf(stderr, "emsecd: %s:%u: expected `key = value`\n", path, line);
            return -1;
        }
        *eq = '\0';
        char *key = trim(s), *val = trim(eq + 1);
        int k = 0;
        while (k < K_COUNT && strcmp(keys[k], key) != 0)
            k++;
        if (k == K_COUNT) {
            fprintf(stderr, "emsecd: %s:%u: unknown key '%s' (known: listen, controller, metrics, media-address, "
                            "ports, cert, key, state-dir, mid, msrp-aware, workers, drain-delay, max-waiting-delay)\n",
                    path, line, key);
            return -1;
        }
        if (seen[k]) {
            fprintf(stderr, "emsecd: %s:%u: '%s' given twice\n", path, line, key);
            return -1;
        }
        seen[k] = true;
        if (*val == '\0') {
            fprintf(stderr, "emsecd: %s:%u: '%s' has no value\n", path, line, key);
            return -1;
        }
        for (const char *c = val; *c != '\0'; c++)
            if (iscntrl((unsigned char)*c)) {
                fprintf(stderr, "emsecd: %s:%u: '%s': a control character in the value\n", path, line, key);
                return -1;
            }
        const char *why = check(k, val, cfg);
        if (why != NULL) {
            fprintf(stderr, "emsecd: %s:%u: %s = %s: %s\n", path, line, key, val, why);
            return -1;
        }
        const char **dst = slot_of(cfg, k);
        if (dst != NULL)
            *dst = val;
    }
    return 0;
}
