/*
 * libFuzzer target for the MSRP framer and rewriter.
 *
 * For each input (a stream of MSRP messages):
 *   1. frame it in one piece, then in 2 and in 3 pieces (split points from a
 *      hash of the input), each piece a fresh heap copy of exactly its bytes
 *      so ASan catches a read past what was fed; the result, the error
 *      (offset, rule) and the bytes of every event must be identical, the
 *      events must give back the input (up to the error), BODY events must
 *      point into the piece just fed (or the framer's look-behind, at most
 *      EMSEC_MSRP_MAX_END_LINE bytes), and failure must be absorbing;
 *   2. every header block is rewritten for both directions of a fixed
 *      session, prepared once (emsec_msrp_prepare): exact-size output (size
 *      query, one byte short -> NO_SPACE with nothing written past cap); a
 *      FORWARD block must frame again, with the gateway's URI as its only
 *      From-Path URI;
 *   3. the input's first line (up to CR or LF) is prepared as a peer's
 *      a=path: emsec_msrp_prepare must accept it exactly when it is 1 to
 *      EMSEC_MSRP_MAX_PATH SP-separated pieces, each an MSRP-URI by
 *      emsec_msrp_uri_equal(x, x), and otherwise name that path, a fault and
 *      an offset inside it.
 * Any mismatch prints what differs and abort()s.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsec/msrp.h"
#include "emsec/result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_LOG_MAX (3u * 65536u + 4096u)

static emsec_msrp_framer g_fr, g_fr2;
static emsec_msrp_msg g_msg, g_msg2;
static uint8_t g_log[3][FZ_LOG_MAX];

static void fz_die(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_msrp: %s: %s\n", what, detail);
    abort();
}

static uint64_t fz_hash(const uint8_t *d, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= d[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

#define GW_A "msrps://gw.example.net:9001/a1;tcp"
#define GW_B "msrp://10.0.0.1:9002/b2;tcp"

static const emsec_msrp_session g_session = {
    .own = { { (const uint8_t *)GW_A, sizeof GW_A - 1u }, { (const uint8_t *)GW_B, sizeof GW_B - 1u } },
    .peer = { { (const uint8_t *)"msrps://ue.example.com:7777/u;tcp", 33u },
              { (const uint8_t *)"msrp://r.example.org:1/r;tcp msrp://p.example.org:2/p;tcp", 57u } },
};

static emsec_msrp_prepared g_prepared;
static int g_prepared_done;

static void fz_log(uint8_t *log, uint32_t *n, const void *p, uint32_t len)
{
    if (*n + len > FZ_LOG_MAX) {
        fz_die("log", "overflow");
    }
    memcpy(log + *n, p, len);
    *n += len;
}

/* A FORWARD header block must frame again as a header block. */
static void fz_reframe(const uint8_t *blk, uint32_t len, uint32_t side)
{
    emsec_msrp_event ev;
    uint32_t used = 0;
    uint8_t *copy = malloc(len ? len : 1u);
    if (copy == NULL) {
        abort();
    }
    memcpy(copy, blk, len);
    if (emsec_msrp_framer_init(&g_fr2, &g_msg2) != EMSEC_OK ||
        emsec_msrp_feed(&g_fr2, copy, len, &used, &ev) != EMSEC_OK) {
        fz_die("rewritten block", emsec_msrp_rule_name(emsec_msrp_last_error(&g_fr2).rule));
    }
    if (g_msg2.has_body == 0u) {
        /* without body the block ends at the end-line's '-': feed one */
        static const uint8_t dash = '-';
        if (ev.kind != EMSEC_MSRP_EV_NONE ||
            emsec_msrp_feed(&g_fr2, &dash, 1, &used, &ev) != EMSEC_OK) {
            fz_die("rewritten block", "does not end at an end-line");
        }
    }
    if (ev.kind != EMSEC_MSRP_EV_HEADER || ev.len != len) {
        fz_die("rewritten block", "not one whole header block");
    }
    const emsec_msrp_bytes *own = &g_session.own[side];
    const emsec_span u = g_msg2.from_path.uri[0];
    if (g_msg2.from_path.count != 1u || u.len != own->len ||
        memcmp(emsec_msrp_header_bytes(&g_fr2) + u.off, own->ptr, own->len) != 0) {
        fz_die("rewritten block", "From-Path is not the gateway's URI");
    }
    free(copy);
}

static void fz_rewrite(const emsec_msrp_msg *m, const uint8_t *hdr, uint32_t hdr_len)
{
    static uint8_t out[EMSEC_MSRP_MAX_HEADER * 2u];
    for (uint32_t from = 0; from < 2u; from++) {
        uint32_t need = 0, got = 0;
        emsec_msrp_verdict v;
        emsec_result r = emsec_msrp_rewrite(&g_prepared, from, m, hdr, hdr_len, NULL, 0, &need, &v);
        if (r == EMSEC_ERR_REFUSED) {
            if (v != (m->kind == EMSEC_MSRP_REQUEST ? EMSEC_MSRP_REFUSE_481 : EMSEC_MSRP_DROP)) {
                fz_die("rewrite", "wrong refusal verdict");
            }
            continue;
        }
        if (r != EMSEC_ERR_NO_SPACE || v != EMSEC_MSRP_FORWARD || need == 0u ||
            need > sizeof out) {
            fz_die("rewrite", emsec_result_name(r));
        }
        memset(out, 0xa5, sizeof out);
        r = emsec_msrp_rewrite(&g_prepared, from, m, hdr, hdr_len, out, need - 1u, &got, &v);
        if (r != EMSEC_ERR_NO_SPACE || got != need || out[need - 1u] != 0xa5) {
            fz_die("rewrite", "one byte short");
        }
        r = emsec_msrp_rewrite(&g_prepared, from, m, hdr, hdr_len, out, need, &got, &v);
        if (r != EMSEC_OK || got != need) {
            fz_die("rewrite", "exact size");
        }
        if (need <= EMSEC_MSRP_MAX_HEADER) {
            fz_reframe(out, need, 1u - from);
        }
    }
}

/* The first line of the input as side B's peer path: prepare's verdict
 * against the piece-by-piece oracle. */
static void fz_prepare(const uint8_t *data, uint32_t len)
{
    uint32_t n = 0, pieces = 0, ok = 1, b = 0;
    while (n < len && data[n] != '\r' && data[n] != '\n') {
        n++;
    }
    uint8_t *line = malloc(n ? n : 1u); /* exactly its bytes, for ASan */
    if (line == NULL) {
        abort();
    }
    memcpy(line, data, n);
    /* the oracle: SP-separated pieces, none empty, each an MSRP-URI */
    ok = n > 0u && n <= EMSEC_MSRP_MAX_PATH_BYTES;
    while (ok && b <= n) {
        uint32_t e = b;
        while (e < n && line[e] != ' ') {
            e++;
        }
        if (e == b || emsec_msrp_uri_equal(line + b, e - b, line + b, e - b) != 1) {
            ok = 0;
        }
        pieces++;
        b = e + 1u;
    }
    ok = ok && pieces <= EMSEC_MSRP_MAX_PATH;
    emsec_msrp_session s = g_session;
    s.peer[1].ptr = line;
    s.peer[1].len = n;
    emsec_msrp_prepared ps;
    emsec_msrp_path_error e;
    const emsec_result r = emsec_msrp_prepare(&s, &ps, &e);
    if ((r == EMSEC_OK) != (ok == 1u)) {
        fz_die("prepare", ok ? "refused a good path" : "accepted a bad path");
    }
    if (r != EMSEC_OK &&
        (e.side != 1u || e.peer != 1u || e.fault == EMSEC_MSRP_PATH_OK ||
         e.fault >= EMSEC_MSRP_PATH__COUNT || e.offset > n ||
         (r != EMSEC_ERR_SYNTAX && r != EMSEC_ERR_LIMIT))) {
        fz_die("prepare", emsec_msrp_path_fault_name((emsec_msrp_path_fault)e.fault));
    }
    free(line);
}

/* Frame data[0, len) cut at cuts[0..ncuts) (ascending); log the events. */
static emsec_result fz_frame(const uint8_t *data, uint32_t len, const uint32_t *cuts,
                             uint32_t ncuts, uint8_t *log, uint32_t *log_n, uint32_t *covered,
                             emsec_msrp_error *err, int rewrite)
{
    uint32_t from = 0;
    emsec_result r = emsec_msrp_framer_init(&g_fr, &g_msg);
    *log_n = 0;
    *covered = 0;
    for (uint32_t c = 0; c <= ncuts && r == EMSEC_OK; c++) {
        const uint32_t to = c < ncuts ? cuts[c] : len;
        uint32_t n = to - from;
        uint8_t *piece = malloc(n ? n : 1u);
        if (piece == NULL) {
            abort();
        }
        memcpy(piece, data + from, n);
        const uint8_t *p = piece;
        while (n > 0u && r == EMSEC_OK) {
            emsec_msrp_event ev;
            uint32_t used = 0;
            r = emsec_msrp_feed(&g_fr, p, n, &used, &ev);
            if (used > n) {
                fz_die("feed", "used > len");
            }
            if (r != EMSEC_OK) {
                break;
            }
            if (ev.kind == EMSEC_MSRP_EV_BODY && ev.held == 0u &&
                (ev.data != p + ev.off || ev.off + ev.len > n)) {
                fz_die("BODY", "not a span of the bytes fed");
            }
            if (ev.kind == EMSEC_MSRP_EV_BODY && ev.held != 0u && ev.len > EMSEC_MSRP_MAX_END_LINE) {
                fz_die("BODY", "held more than an end-line");
            }
            if (ev.kind != EMSEC_MSRP_EV_NONE) {
                /* BODY bytes alone (how a body is cut into events depends on
                 * the split); HEADER and END with a marker and their length */
                if (ev.kind != EMSEC_MSRP_EV_BODY) {
                    const uint8_t mark[5] = { (uint8_t)ev.kind, (uint8_t)ev.len,
                                              (uint8_t)(ev.len >> 8), (uint8_t)(ev.len >> 16),
                                              (uint8_t)ev.flag };
                    fz_log(log, log_n, mark, sizeof mark);
                }
                fz_log(log, log_n, ev.data, ev.len);
                if (memcmp(ev.data, data + *covered, ev.len) != 0) {
                    fz_die("events", "bytes differ from the input");
                }
                *covered += ev.len;
            }
            if (ev.kind == EMSEC_MSRP_EV_HEADER && rewrite) {
                fz_rewrite(&g_msg, emsec_msrp_header_bytes(&g_fr), ev.len);
            }
            p += used;
            n -= used;
        }
        free(piece);
        from = to;
    }
    if (r == EMSEC_OK) {
        r = emsec_msrp_finish(&g_fr);
    }
    *err = emsec_msrp_last_error(&g_fr);
    if (r != EMSEC_OK) {
        emsec_msrp_event ev;
        uint32_t used;
        if (emsec_msrp_feed(&g_fr, data, len, &used, &ev) != EMSEC_ERR_FAILED_BEFORE ||
            emsec_msrp_finish(&g_fr) != EMSEC_ERR_FAILED_BEFORE) {
            fz_die("failure", "not absorbing");
        }
        if (err->offset > len && err->rule != EMSEC_MSRP_RULE_LIMIT_HEADER) {
            fz_die("error", "offset past the input");
        }
    }
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t len, n[3], cov[3], cuts2[1], cuts3[2];
    emsec_msrp_error e[3];
    emsec_result r[3];
    char why[256];
    if (size > 65536u) {
        return 0;
    }
    len = (uint32_t)size;
    if (!g_prepared_done) {
        emsec_msrp_path_error pe;
        if (emsec_msrp_prepare(&g_session, &g_prepared, &pe) != EMSEC_OK) {
            fz_die("the fixed session", emsec_msrp_path_fault_name((emsec_msrp_path_fault)pe.fault));
        }
        g_prepared_done = 1;
    }
    fz_prepare(data, len);
    const uint64_t h = fz_hash(data, size);
    cuts2[0] = (uint32_t)(h % ((uint64_t)len + 1u));
    cuts3[0] = (uint32_t)((h >> 21) % ((uint64_t)len + 1u));
    cuts3[1] = (uint32_t)((h >> 42) % ((uint64_t)len + 1u));
    if (cuts3[0] > cuts3[1]) {
        uint32_t t = cuts3[0];
        cuts3[0] = cuts3[1];
        cuts3[1] = t;
    }
    r[0] = fz_frame(data, len, NULL, 0, g_log[0], &n[0], &cov[0], &e[0], 1);
    r[1] = fz_frame(data, len, cuts2, 1, g_log[1], &n[1], &cov[1], &e[1], 0);
    r[2] = fz_frame(data, len, cuts3, 2, g_log[2], &n[2], &cov[2], &e[2], 0);
    if (r[0] == EMSEC_OK && cov[0] != len) {
        fz_die("events", "do not cover the input");
    }
    for (int k = 1; k < 3; k++) {
        if (r[k] != r[0] || e[k].offset != e[0].offset || e[k].rule != e[0].rule) {
            snprintf(why, sizeof why, "%s %s@%llu vs %s %s@%llu", emsec_result_name(r[0]),
                     emsec_msrp_rule_name(e[0].rule), (unsigned long long)e[0].offset,
                     emsec_result_name(r[k]), emsec_msrp_rule_name(e[k].rule),
                     (unsigned long long)e[k].offset);
            fz_die("split changes the result", why);
        }
        if (r[0] == EMSEC_OK && (n[k] != n[0] || memcmp(g_log[k], g_log[0], n[0]) != 0)) {
            fz_die("split changes the events", "");
        }
    }
    return 0;
}
