/*
 * The MSRP framer and rewriter (include/emsec/msrp.h):
 *  - the corpus (tests/corpus/msrp, RFC 4975 / 4976 examples; origin in its
 *    README) against expected.txt, each file framed in one piece, split at
 *    every byte boundary and byte by byte: the same events, the same bytes,
 *    the same error;
 *  - chunked transfers (Byte-Range, + then $), bodies holding end-line
 *    look-alikes, the header-block limit, bad start lines and URIs, the
 *    block rules of RFC 4975 §7.1;
 *  - the rewriter: request, response, REPORT, refusals, bounds; the
 *    session's preparation (a bad URI in each of the four paths, spacing,
 *    own paths of one URI, the limits); the a=path values.
 * Every piece is fed from a fresh heap copy of exactly its bytes, so ASan
 * sees any read past what was fed.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsec/msrp.h"

#define CORPUS_DIR "tests/corpus/msrp/"
#define IN_MAX (64u * 1024u)

/* ------------------------------------------------------------ a growable log */
typedef struct tlog {
    uint8_t *b;
    size_t n, cap;
} tlog;

static void log_put(tlog *l, const void *p, size_t n)
{
    if (l->n + n > l->cap) {
        size_t c = l->cap ? l->cap : 256u;
        while (c < l->n + n) {
            c *= 2u;
        }
        l->b = realloc(l->b, c);
        cr_assert_not_null(l->b);
        l->cap = c;
    }
    if (n > 0u) {
        memcpy(l->b + l->n, p, n);
    }
    l->n += n;
}

static void log_str(tlog *l, const char *s)
{
    log_put(l, s, strlen(s));
}

static void log_span(tlog *l, const char *what, emsec_span s)
{
    char t[64];
    snprintf(t, sizeof t, "%s=%u+%u ", what, (unsigned)s.off, (unsigned)s.len);
    log_str(l, t);
}

/* Everything the HEADER event says, as text. */
static void log_msg(tlog *l, const emsec_msrp_msg *m)
{
    char t[256];
    snprintf(t, sizeof t, "kind=%u method=%u status=%u body=%u hl=%u br=%u %llu %llu %llu "
             "sr=%u fr=%u st=%u %u %u n=%u ",
             (unsigned)m->kind, (unsigned)m->method, (unsigned)m->status,
             (unsigned)m->has_body, (unsigned)m->header_len, (unsigned)m->has_byte_range,
             (unsigned long long)m->range_start, (unsigned long long)m->range_end,
             (unsigned long long)m->range_total, (unsigned)m->success_report,
             (unsigned)m->failure_report, (unsigned)m->has_status,
             (unsigned)m->status_namespace, (unsigned)m->status_code,
             (unsigned)m->header_count);
    log_str(l, t);
    log_span(l, "sl", m->start_line);
    log_span(l, "tid", m->tid);
    log_span(l, "meth", m->method_name);
    log_span(l, "cmt", m->comment);
    log_span(l, "mid", m->message_id);
    log_span(l, "ct", m->content_type);
    for (uint32_t i = 0; i < m->header_count; i++) {
        snprintf(t, sizeof t, "h%u/%u ", (unsigned)i, (unsigned)m->headers[i].kind);
        log_str(l, t);
        log_span(l, "line", m->headers[i].line);
        log_span(l, "name", m->headers[i].name);
        log_span(l, "val", m->headers[i].value);
    }
    const emsec_msrp_path *ps[3] = { &m->to_path, &m->from_path, &m->use_path };
    for (uint32_t k = 0; k < 3u; k++) {
        for (uint32_t i = 0; i < ps[k]->count; i++) {
            log_span(l, "uri", ps[k]->uri[i]);
        }
        log_str(l, "|");
    }
}

/* ------------------------------------------------------------ driving the framer */
typedef struct run {
    emsec_result r;
    emsec_msrp_error err;
    tlog events;       /* header text, body bytes, end-lines, in order */
    tlog bytes;        /* the concatenation of every event's bytes */
    uint32_t messages;
    uint32_t flags[16];
    uint64_t body_len[16];
} run;

static emsec_msrp_framer g_fr;
static emsec_msrp_msg g_msg;

static void run_free(run *r)
{
    free(r->events.b);
    free(r->bytes.b);
    memset(r, 0, sizeof *r);
}

/* Feed in[0, len) in pieces that end at the ascending cuts (then len), each
 * from a fresh heap copy; then finish. */
static void frame(run *out, const uint8_t *in, uint32_t len, const uint32_t *cuts, uint32_t ncuts)
{
    uint32_t from = 0;
    emsec_result r = emsec_msrp_framer_init(&g_fr, &g_msg);
    memset(out, 0, sizeof *out);
    for (uint32_t c = 0; c <= ncuts && r == EMSEC_OK; c++) {
        const uint32_t to = c < ncuts ? cuts[c] : len;
        uint32_t n = to - from;
        uint8_t *piece = malloc(n ? n : 1u);
        cr_assert_not_null(piece);
        memcpy(piece, in + from, n);
        const uint8_t *p = piece;
        uint32_t guard = 0;
        while (n > 0u && r == EMSEC_OK) {
            emsec_msrp_event ev;
            uint32_t used = 0;
            r = emsec_msrp_feed(&g_fr, p, n, &used, &ev);
            cr_assert_leq(used, n);
            cr_assert_lt(++guard, 4u * (n + 8u), "no progress");
            if (r != EMSEC_OK) {
                break;
            }
            switch (ev.kind) {
            case EMSEC_MSRP_EV_HEADER:
                log_str(&out->events, "H:");
                log_put(&out->events, ev.data, ev.len);
                log_msg(&out->events, &g_msg);
                log_put(&out->bytes, ev.data, ev.len);
                cr_assert_eq(ev.data, emsec_msrp_header_bytes(&g_fr));
                break;
            case EMSEC_MSRP_EV_BODY:
                cr_assert_gt(ev.len, 0u, "empty BODY event");
                if (ev.held == 0u) {
                    /* zero copy: a span of the bytes just fed */
                    cr_assert_eq(ev.data, p + ev.off);
                    cr_assert_leq(ev.off + ev.len, n);
                } else {
                    cr_assert_leq(ev.len, EMSEC_MSRP_MAX_END_LINE);
                }
                log_put(&out->events, ev.data, ev.len);
                log_put(&out->bytes, ev.data, ev.len);
                break;
            case EMSEC_MSRP_EV_END: {
                char t[64];
                snprintf(t, sizeof t, "|E%c%llu:", (char)ev.flag,
                         (unsigned long long)ev.body_len);
                log_str(&out->events, t);
                log_put(&out->events, ev.data, ev.len);
                log_put(&out->bytes, ev.data, ev.len);
                if (out->messages < 16u) {
                    out->flags[out->messages] = ev.flag;
                    out->body_len[out->messages] = ev.body_len;
                }
                out->messages++;
                break;
            }
            default:
                cr_assert_eq(ev.kind, EMSEC_MSRP_EV_NONE);
                cr_assert_eq(used, n, "NONE must use every byte");
                break;
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
    out->r = r;
    out->err = emsec_msrp_last_error(&g_fr);
    if (r != EMSEC_OK) {
        /* failure is absorbing */
        emsec_msrp_event ev;
        uint32_t used = 7;
        uint8_t b = 'M';
        cr_assert_eq(emsec_msrp_feed(&g_fr, &b, 1, &used, &ev), EMSEC_ERR_FAILED_BEFORE);
        cr_assert_eq(used, 0u);
        cr_assert_eq(emsec_msrp_finish(&g_fr), EMSEC_ERR_FAILED_BEFORE);
        emsec_msrp_error e = emsec_msrp_last_error(&g_fr);
        cr_assert_eq(e.offset, out->err.offset);
        cr_assert_eq(e.rule, out->err.rule);
    }
}

static void same_run(const run *a, const run *b, const char *name, const char *how)
{
    cr_assert_eq(a->r, b->r, "%s %s: %s != %s", name, how, emsec_result_name(a->r),
                 emsec_result_name(b->r));
    cr_assert_eq(a->err.offset, b->err.offset, "%s %s: offset %llu != %llu", name, how,
                 (unsigned long long)a->err.offset, (unsigned long long)b->err.offset);
    cr_assert_eq(a->err.rule, b->err.rule, "%s %s: rule %s != %s", name, how,
                 emsec_msrp_rule_name(a->err.rule), emsec_msrp_rule_name(b->err.rule));
    if (a->r == EMSEC_OK) {
        cr_assert_eq(a->events.n, b->events.n, "%s %s: events differ in length", name, how);
        cr_assert(memcmp(a->events.b, b->events.b, a->events.n) == 0,
                  "%s %s: events differ", name, how);
        cr_assert_eq(a->messages, b->messages);
    }
}

/* One piece, every split in two, byte by byte: all the same. Every event's
 * bytes put together give the input back (accepted input). */
static void frame_everywhere(run *one, const uint8_t *in, uint32_t len, const char *name)
{
    run two;
    frame(one, in, len, NULL, 0);
    if (one->r == EMSEC_OK) {
        cr_assert_eq(one->bytes.n, len, "%s: events cover %zu of %u bytes", name,
                     one->bytes.n, (unsigned)len);
        cr_assert(memcmp(one->bytes.b, in, len) == 0, "%s: event bytes differ from input",
                  name);
    }
    for (uint32_t k = 1; k < len; k++) {
        frame(&two, in, len, &k, 1);
        same_run(one, &two, name, "split");
        run_free(&two);
    }
    uint32_t *cuts = malloc(sizeof(uint32_t) * (len ? len : 1u));
    cr_assert_not_null(cuts);
    for (uint32_t k = 0; k + 1u < len; k++) {
        cuts[k] = k + 1u;
    }
    frame(&two, in, len, cuts, len > 0 ? len - 1u : 0u);
    same_run(one, &two, name, "byte by byte");
    run_free(&two);
    free(cuts);
}

static uint32_t load(const char *path, uint8_t *buf)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    size_t n = fread(buf, 1, IN_MAX, f);
    fclose(f);
    return (uint32_t)n;
}

/* ------------------------------------------------------------ corpus */
Test(msrp_corpus, every_file_as_expected_and_split_everywhere)
{
    static uint8_t buf[IN_MAX];
    char line[512];
    uint32_t files = 0, accepted = 0;
    FILE *f = fopen(CORPUS_DIR "expected.txt", "r");
    cr_assert_not_null(f);
    while (fgets(line, sizeof line, f) != NULL) {
        char name[128], verdict[16], result[32], rule[40], path[256];
        unsigned offset = 0;
        if (line[0] == '#' || line[0] == '\n') {
            continue;
        }
        int n = sscanf(line, "%127s %15s %31s %u %39s", name, verdict, result, &offset, rule);
        cr_assert_geq(n, 2);
        snprintf(path, sizeof path, CORPUS_DIR "%s", name);
        uint32_t len = load(path, buf);
        run one;
        frame_everywhere(&one, buf, len, name);
        if (strcmp(verdict, "accept") == 0) {
            cr_assert_eq(one.r, EMSEC_OK, "%s: %s rule %s at %llu", name,
                         emsec_result_name(one.r), emsec_msrp_rule_name(one.err.rule),
                         (unsigned long long)one.err.offset);
            cr_assert_eq(one.messages, 1u, "%s: one message per file", name);
            accepted++;
        } else {
            cr_assert_eq(n, 5, "reject line needs RESULT OFFSET RULE");
            cr_assert_str_eq(emsec_result_name(one.r), result, "%s", name);
            cr_assert_eq(one.err.offset, offset, "%s: offset %llu", name,
                         (unsigned long long)one.err.offset);
            cr_assert_str_eq(emsec_msrp_rule_name(one.err.rule), rule, "%s", name);
        }
        run_free(&one);
        files++;
    }
    fclose(f);
    cr_assert_eq(files, 34u);
    cr_assert_eq(accepted, 32u);
}

/* All 34 files back to back as one stream (pipelined messages), with the two
 * path-less snippets left out: 32 messages, split anywhere. */
Test(msrp_corpus, all_files_as_one_stream)
{
    static uint8_t buf[IN_MAX], all[IN_MAX];
    char line[512];
    uint32_t total = 0;
    FILE *f = fopen(CORPUS_DIR "expected.txt", "r");
    cr_assert_not_null(f);
    while (fgets(line, sizeof line, f) != NULL) {
        char name[128], verdict[16], path[256];
        if (line[0] == '#' || sscanf(line, "%127s %15s", name, verdict) != 2 ||
            strcmp(verdict, "accept") != 0) {
            continue;
        }
        snprintf(path, sizeof path, CORPUS_DIR "%s", name);
        uint32_t len = load(path, buf);
        cr_assert_leq(total + len, IN_MAX);
        memcpy(all + total, buf, len);
        total += len;
    }
    fclose(f);
    run one, two;
    frame(&one, all, total, NULL, 0);
    cr_assert_eq(one.r, EMSEC_OK);
    cr_assert_eq(one.messages, 32u);
    for (uint32_t k = 1; k < total; k += 7u) {
        uint32_t cuts[3] = { k / 3u, k / 2u, k };
        frame(&two, all, total, cuts, 3);
        same_run(&one, &two, "stream", "3 cuts");
        run_free(&two);
    }
    run_free(&one);
}

/* ------------------------------------------------------------ chunking */
#define TO "To-Path: msrp://bob.example.com:8888/9di4eae923wzd;tcp\r\n"
#define FROM "From-Path: msrp://alicepc.example.com:7777/iau39soe2843z;tcp\r\n"

Test(msrp_frame, chunked_transfer_plus_then_dollar)
{
    /* RFC 4975 §5.1 Figure 3 with the paths added: "abcd" + "EFGH". */
    static const char in[] =
        "MSRP dkei38sd SEND\r\n" TO FROM
        "Message-ID: 4564dpWd\r\nByte-Range: 1-*/8\r\nContent-Type: text/plain\r\n\r\n"
        "abcd\r\n-------dkei38sd+\r\n"
        "MSRP dkei38ia SEND\r\n" TO FROM
        "Message-ID: 4564dpWd\r\nByte-Range: 5-8/8\r\nContent-Type: text/plain\r\n\r\n"
        "EFGH\r\n-------dkei38ia$\r\n";
    run one;
    frame_everywhere(&one, (const uint8_t *)in, sizeof in - 1u, "chunks");
    cr_assert_eq(one.r, EMSEC_OK);
    cr_assert_eq(one.messages, 2u);
    cr_assert_eq(one.flags[0], '+');
    cr_assert_eq(one.flags[1], '$');
    cr_assert_eq(one.body_len[0], 4u);
    cr_assert_eq(one.body_len[1], 4u);
    run_free(&one);

    /* the Byte-Range values of the second chunk */
    static uint8_t b[sizeof in];
    memcpy(b, in, sizeof in);
    emsec_msrp_event ev;
    uint32_t used = 0, at = 0, seen = 0;
    cr_assert_eq(emsec_msrp_framer_init(&g_fr, &g_msg), EMSEC_OK);
    while (at < sizeof in - 1u) {
        cr_assert_eq(emsec_msrp_feed(&g_fr, b + at, sizeof in - 1u - at, &used, &ev), EMSEC_OK);
        at += used;
        if (ev.kind == EMSEC_MSRP_EV_HEADER) {
            seen++;
            cr_assert_eq(g_msg.has_byte_range, 1u);
            if (seen == 1u) {
                cr_assert_eq(g_msg.range_start, 1u);
                cr_assert_eq(g_msg.range_end, EMSEC_MSRP_UNKNOWN);
                cr_assert_eq(g_msg.range_total, 8u);
            } else {
                cr_assert_eq(g_msg.range_start, 5u);
                cr_assert_eq(g_msg.range_end, 8u);
                cr_assert_eq(g_msg.range_total, 8u);
                cr_assert_eq(g_msg.method, EMSEC_MSRP_METHOD_SEND);
            }
        }
    }
    cr_assert_eq(seen, 2u);
    cr_assert_eq(emsec_msrp_finish(&g_fr), EMSEC_OK);
}

Test(msrp_frame, aborted_chunk_and_empty_body)
{
    static const char in[] =
        "MSRP abcd1234 SEND\r\n" TO FROM
        "Message-ID: m1\x30\x30\r\nContent-Type: text/plain\r\n\r\n"
        "\r\n-------abcd1234#\r\n";
    run one;
    frame_everywhere(&one, (const uint8_t *)in, sizeof in - 1u, "abort");
    cr_assert_eq(one.r, EMSEC_OK);
    cr_assert_eq(one.messages, 1u);
    cr_assert_eq(one.flags[0], '#');
    cr_assert_eq(one.body_len[0], 0u);
    run_free(&one);
}

/* Bodies that hold end-line look-alikes: only CRLF "-------" tid flag CRLF
 * ends the body (RFC 4975 §7.1, §9). */
Test(msrp_frame, end_line_look_alikes_are_body)
{
    static const char *bodies[] = {
        "-------tid12345$\r\n",                 /* not preceded by CRLF */
        "x\r\n-------tid12345%\r\n",            /* bad flag */
        "x\r\n-------tid1234$\r\n",             /* shorter tid */
        "x\r\n-------tid123456$\r\n",           /* longer tid */
        "x\r\n-------TID12345$\r\n",            /* tid compared exactly */
        "x\r\n-------tid12345$X\r\n",           /* no CR after the flag */
        "x\r\n-------tid12345$\r\r\n",          /* CR, CR */
        "x\r\n-------tid12345$\rX",             /* CR, not LF */
        "\r\r\n------tid12345$\r\n",            /* six dashes */
        "\r\n\r\n--------tid12345$\r\n",        /* eight dashes */
        "\r\n-------tid12345",                  /* cut before the flag */
        "\r\r\r\n\n-\r\n-------tid1234+\r\n--", /* several restarts */
    };
    for (uint32_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        char in[512];
        int n = snprintf(in, sizeof in,
                         "MSRP tid12345 SEND\r\n" TO FROM "Content-Type: text/plain\r\n\r\n"
                         "%s\r\n-------tid12345$\r\n",
                         bodies[i]);
        run one;
        frame_everywhere(&one, (const uint8_t *)in, (uint32_t)n, bodies[i]);
        cr_assert_eq(one.r, EMSEC_OK, "body %u: %s rule %s at %llu", i,
                     emsec_result_name(one.r), emsec_msrp_rule_name(one.err.rule),
                     (unsigned long long)one.err.offset);
        cr_assert_eq(one.messages, 1u, "body %u", i);
        cr_assert_eq(one.body_len[0], strlen(bodies[i]), "body %u: %llu bytes", i,
                     (unsigned long long)one.body_len[0]);
        run_free(&one);
    }
}

Test(msrp_frame, body_bytes_are_passed_on_unchanged)
{
    /* every byte value in the body, twice */
    static uint8_t in[2048];
    static const char head[] = "MSRP bin00001 SEND\r\n" TO FROM
                               "Content-Type: application/octet-stream\r\n\r\n";
    static const char tail[] = "\r\n-------bin00001$\r\n";
    uint32_t n = 0;
    memcpy(in, head, sizeof head - 1u);
    n = sizeof head - 1u;
    for (uint32_t i = 0; i < 512u; i++) {
        in[n++] = (uint8_t)i;
    }
    memcpy(in + n, tail, sizeof tail - 1u);
    n += sizeof tail - 1u;
    run one;
    frame_everywhere(&one, in, n, "binary body");
    cr_assert_eq(one.r, EMSEC_OK);
    cr_assert_eq(one.body_len[0], 512u);
    run_free(&one);
}

/* ------------------------------------------------------------ refusals */
typedef struct bad_case {
    const char *name;
    const char *in;
    emsec_result r;
    uint64_t offset;
    emsec_msrp_rule rule;
} bad_case;

static void check_bad(const bad_case *c)
{
    run one;
    frame_everywhere(&one, (const uint8_t *)c->in, (uint32_t)strlen(c->in), c->name);
    cr_assert_eq(one.r, c->r, "%s: %s (rule %s at %llu)", c->name, emsec_result_name(one.r),
                 emsec_msrp_rule_name(one.err.rule), (unsigned long long)one.err.offset);
    cr_assert_eq(one.err.rule, c->rule, "%s: rule %s", c->name,
                 emsec_msrp_rule_name(one.err.rule));
    cr_assert_eq(one.err.offset, c->offset, "%s: offset %llu", c->name,
                 (unsigned long long)one.err.offset);
    run_free(&one);
}

Test(msrp_frame, bad_start_lines)
{
    static const bad_case cases[] = {
        { "not MSRP", "MSRQ abcd SEND\r\n", EMSEC_ERR_SYNTAX, 3, EMSEC_MSRP_RULE_START_LINE },
        { "lower-case msrp", "msrp abcd SEND\r\n", EMSEC_ERR_SYNTAX, 0, EMSEC_MSRP_RULE_START_LINE },
        { "tid too short", "MSRP abc SEND\r\n", EMSEC_ERR_SYNTAX, 8, EMSEC_MSRP_RULE_TRANSACTION_ID },
        { "tid too long", "MSRP a123456789012345678901234567890123 SEND\r\n", EMSEC_ERR_SYNTAX,
          37, EMSEC_MSRP_RULE_TRANSACTION_ID },
        { "tid bad char", "MSRP ab_cd SEND\r\n", EMSEC_ERR_SYNTAX, 7, EMSEC_MSRP_RULE_TRANSACTION_ID },
        { "lower-case method", "MSRP abcd send\r\n", EMSEC_ERR_SYNTAX, 10, EMSEC_MSRP_RULE_START_LINE },
        { "two-digit status", "MSRP abcd 20 OK\r\n", EMSEC_ERR_SYNTAX, 12, EMSEC_MSRP_RULE_STATUS_CODE },
        { "LF alone", "MSRP abcd SEND\n", EMSEC_ERR_SYNTAX, 14, EMSEC_MSRP_RULE_METHOD },
        { "NUL in comment", "MSRP abcd 200 O\x01K\r\n", EMSEC_ERR_SYNTAX, 15, EMSEC_MSRP_RULE_STATUS_CODE },
        { "cut in the start line", "MSRP abcd SE", EMSEC_ERR_INCOMPLETE, 12, EMSEC_MSRP_RULE_INCOMPLETE },
    };
    for (uint32_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        check_bad(&cases[i]);
    }
}

Test(msrp_frame, bad_paths_and_uris)
{
    static const bad_case cases[] = {
        { "no To-Path", "MSRP abcd SEND\r\n" FROM, EMSEC_ERR_SYNTAX, 16, EMSEC_MSRP_RULE_TO_PATH },
        { "From-Path first", "MSRP abcd 200 OK\r\n" FROM TO, EMSEC_ERR_SYNTAX, 18,
          EMSEC_MSRP_RULE_TO_PATH },
        { "no From-Path", "MSRP abcd SEND\r\n" TO "Message-ID: abcd\r\n", EMSEC_ERR_SYNTAX,
          72, EMSEC_MSRP_RULE_FROM_PATH },
        { "http URI", "MSRP abcd SEND\r\nTo-Path: http://a.example;tcp\r\n", EMSEC_ERR_SYNTAX,
          25, EMSEC_MSRP_RULE_URI },
        { "no transport", "MSRP abcd SEND\r\nTo-Path: msrp://a.example:1/s\r\n",
          EMSEC_ERR_SYNTAX, 45, EMSEC_MSRP_RULE_URI },
        { "empty port", "MSRP abcd SEND\r\nTo-Path: msrp://a.example:/s;tcp\r\n",
          EMSEC_ERR_SYNTAX, 42, EMSEC_MSRP_RULE_URI },
        { "empty session-id", "MSRP abcd SEND\r\nTo-Path: msrp://a.example:1/;tcp\r\n",
          EMSEC_ERR_SYNTAX, 44, EMSEC_MSRP_RULE_URI },
        { "two spaces", "MSRP abcd SEND\r\nTo-Path: msrp://a.b;tcp  msrp://c.d;tcp\r\n",
          EMSEC_ERR_SYNTAX, 40, EMSEC_MSRP_RULE_URI },
        { "no space after colon", "MSRP abcd SEND\r\nTo-Path:msrp://a.b;tcp\r\n",
          EMSEC_ERR_SYNTAX, 24, EMSEC_MSRP_RULE_TO_PATH },
        { "second To-Path", "MSRP abcd SEND\r\n" TO FROM TO, EMSEC_ERR_SYNTAX, 134,
          EMSEC_MSRP_RULE_DUPLICATE_HEADER },
        { "nine URIs",
          "MSRP abcd SEND\r\nTo-Path: msrp://a;tcp msrp://a;tcp msrp://a;tcp msrp://a;tcp "
          "msrp://a;tcp msrp://a;tcp msrp://a;tcp msrp://a;tcp msrp://a;tcp\r\n",
          EMSEC_ERR_LIMIT, 129, EMSEC_MSRP_RULE_LIMIT_PATH },
    };
    for (uint32_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        check_bad(&cases[i]);
    }
}

Test(msrp_frame, bad_headers_and_block_rules)
{
    /* offset of the byte after "MSRP abcd SEND\r\n" TO FROM: 16 + 56 + 62 */
    static const bad_case cases[] = {
        { "Byte-Range starts at 0", "MSRP abcd SEND\r\n" TO FROM "Byte-Range: 0-1/2\r\n",
          EMSEC_ERR_SYNTAX, 146, EMSEC_MSRP_RULE_BYTE_RANGE },
        { "Byte-Range end past total", "MSRP abcd SEND\r\n" TO FROM "Byte-Range: 1-9/8\r\n",
          EMSEC_ERR_SYNTAX, 146, EMSEC_MSRP_RULE_BYTE_RANGE },
        { "Byte-Range 20 digits", "MSRP abcd SEND\r\n" TO FROM
          "Byte-Range: 1-2/12345678901234567890\r\n", EMSEC_ERR_SYNTAX, 150,
          EMSEC_MSRP_RULE_BYTE_RANGE },
        { "Success-Report maybe", "MSRP abcd SEND\r\n" TO FROM "Success-Report: maybe\r\n",
          EMSEC_ERR_SYNTAX, 150, EMSEC_MSRP_RULE_SUCCESS_REPORT },
        { "Status without namespace", "MSRP abcd REPORT\r\n" TO FROM "Status: 200 OK\r\n",
          EMSEC_ERR_SYNTAX, 148, EMSEC_MSRP_RULE_STATUS },
        { "Content-Type without subtype", "MSRP abcd SEND\r\n" TO FROM
          "Content-Type: text\r\n\r\n", EMSEC_ERR_SYNTAX, 152, EMSEC_MSRP_RULE_CONTENT_TYPE },
        { "header name with digit first", "MSRP abcd SEND\r\n" TO FROM "1X: y\r\n",
          EMSEC_ERR_SYNTAX, 134, EMSEC_MSRP_RULE_HEADER },
        { "ext header bad UTF-8", "MSRP abcd SEND\r\n" TO FROM "X: \xc3\x28\r\n",
          EMSEC_ERR_SYNTAX, 138, EMSEC_MSRP_RULE_EXT_HEADER },
        { "bare LF ends a header", "MSRP abcd SEND\r\n" TO FROM "X: y\n",
          EMSEC_ERR_SYNTAX, 138, EMSEC_MSRP_RULE_EXT_HEADER },
        { "CR without LF", "MSRP abcd SEND\r\n" TO FROM "X: y\rZ",
          EMSEC_ERR_SYNTAX, 139, EMSEC_MSRP_RULE_LINE_END },
        { "Content-Type not last", "MSRP abcd SEND\r\n" TO FROM
          "Content-Type: text/plain\r\nX: y\r\n\r\nhi\r\n-------abcd$\r\n", EMSEC_ERR_SYNTAX,
          166, EMSEC_MSRP_RULE_CONTENT_TYPE_LAST },
        { "Content-Type without body", "MSRP abcd SEND\r\n" TO FROM
          "Content-Type: text/plain\r\n-------abcd$\r\n", EMSEC_ERR_SYNTAX, 160,
          EMSEC_MSRP_RULE_CONTENT_TYPE_NO_BODY },
        { "response with body", "MSRP abcd 200 OK\r\n" TO FROM
          "Content-Type: text/plain\r\n\r\nhi\r\n-------abcd$\r\n", EMSEC_ERR_SYNTAX, 162,
          EMSEC_MSRP_RULE_RESPONSE_BODY },
        { "end-line with another tid", "MSRP abcd 200 OK\r\n" TO FROM "-------abce$\r\n",
          EMSEC_ERR_SYNTAX, 146, EMSEC_MSRP_RULE_END_LINE },
        { "end-line with bad flag", "MSRP abcd 200 OK\r\n" TO FROM "-------abcd!\r\n",
          EMSEC_ERR_SYNTAX, 147, EMSEC_MSRP_RULE_END_LINE },
        { "six dashes", "MSRP abcd 200 OK\r\n" TO FROM "------abcd$\r\n",
          EMSEC_ERR_SYNTAX, 142, EMSEC_MSRP_RULE_END_LINE },
        { "cut in the body", "MSRP abcd SEND\r\n" TO FROM
          "Content-Type: text/plain\r\n\r\nhello\r\n-----", EMSEC_ERR_INCOMPLETE, 174,
          EMSEC_MSRP_RULE_INCOMPLETE },
        { "cut in the end-line", "MSRP abcd 200 OK\r\n" TO FROM "-------ab",
          EMSEC_ERR_INCOMPLETE, 145, EMSEC_MSRP_RULE_INCOMPLETE },
    };
    for (uint32_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        check_bad(&cases[i]);
    }
}

Test(msrp_frame, header_block_over_the_limit)
{
    /* a header block of exactly EMSEC_MSRP_MAX_HEADER bytes frames; one byte
     * more is EMSEC_ERR_LIMIT at offset EMSEC_MSRP_MAX_HEADER. */
    static char in[EMSEC_MSRP_MAX_HEADER + 256];
    for (uint32_t extra = 0; extra < 2u; extra++) {
        int n = snprintf(in, sizeof in, "MSRP abcd 200 OK\r\n" TO FROM "X: ");
        const uint32_t fill = EMSEC_MSRP_MAX_HEADER - (uint32_t)n - 2u + extra;
        memset(in + n, 'a', fill);
        n += (int)fill;
        n += snprintf(in + n, sizeof in - (size_t)n, "\r\n-------abcd$\r\n");
        run one;
        frame(&one, (const uint8_t *)in, (uint32_t)n, NULL, 0);
        if (extra == 0u) {
            cr_assert_eq(one.r, EMSEC_OK, "%s", emsec_msrp_rule_name(one.err.rule));
        } else {
            cr_assert_eq(one.r, EMSEC_ERR_LIMIT);
            cr_assert_eq(one.err.rule, EMSEC_MSRP_RULE_LIMIT_HEADER);
            cr_assert_eq(one.err.offset, EMSEC_MSRP_MAX_HEADER);
        }
        run_free(&one);
        /* fed in 100-byte pieces: the same */
        uint32_t cuts[EMSEC_MSRP_MAX_HEADER / 100u + 2u];
        uint32_t nc = 0;
        for (uint32_t k = 100u; k < (uint32_t)n; k += 100u) {
            cuts[nc++] = k;
        }
        run two;
        frame(&two, (const uint8_t *)in, (uint32_t)n, cuts, nc);
        cr_assert_eq(two.r, extra == 0u ? EMSEC_OK : EMSEC_ERR_LIMIT);
        run_free(&two);
    }
}

Test(msrp_frame, too_many_headers)
{
    static char in[4096];
    int n = snprintf(in, sizeof in, "MSRP abcd 200 OK\r\n" TO FROM);
    for (uint32_t i = 0; i < EMSEC_MSRP_MAX_HEADERS - 2u; i++) {
        n += snprintf(in + n, sizeof in - (size_t)n, "X: %u\r\n", (unsigned)i);
    }
    const uint32_t at = (uint32_t)n;
    n += snprintf(in + n, sizeof in - (size_t)n, "Y: z\r\n-------abcd$\r\n");
    bad_case c = { "33 headers", in, EMSEC_ERR_LIMIT, at, EMSEC_MSRP_RULE_LIMIT_HEADERS };
    check_bad(&c);
}

Test(msrp_frame, non_send_body_limit)
{
    static char in[12000];
    int n = snprintf(in, sizeof in, "MSRP abcd AUTH\r\n" TO FROM "Content-Type: text/plain\r\n\r\n");
    const uint32_t body_at = (uint32_t)n;
    memset(in + n, 'b', 10241u);
    n += 10241;
    n += snprintf(in + n, sizeof in - (size_t)n, "\r\n-------abcd$\r\n");
    run one;
    frame(&one, (const uint8_t *)in, (uint32_t)n, NULL, 0);
    cr_assert_eq(one.r, EMSEC_ERR_SYNTAX);
    cr_assert_eq(one.err.rule, EMSEC_MSRP_RULE_NON_SEND_BODY);
    cr_assert_eq(one.err.offset, body_at + 10240u);
    run_free(&one);
    /* 10240 bytes are allowed */
    memcpy(in + body_at + 10240u, "\r\n-------abcd$\r\n", 16u);
    frame(&one, (const uint8_t *)in, body_at + 10240u + 16u, NULL, 0);
    cr_assert_eq(one.r, EMSEC_OK, "%s", emsec_msrp_rule_name(one.err.rule));
    run_free(&one);
}

Test(msrp_frame, rule_names)
{
    for (uint32_t r = 0; r < EMSEC_MSRP_RULE__COUNT; r++) {
        cr_assert_not_null(emsec_msrp_rule_name((emsec_msrp_rule)r));
        cr_assert_str_neq(emsec_msrp_rule_name((emsec_msrp_rule)r), "?");
    }
    cr_assert_str_eq(emsec_msrp_rule_name(EMSEC_MSRP_RULE__COUNT), "?");
}

/* ------------------------------------------------------------ rewriter */
#define GW_A "msrps://gw-a.example.net:9001/gwA1;tcp"
#define GW_B "msrp://10.0.0.1:9002/gwB2;tcp"
#define UE_A "msrps://ue.example.com:7777/ueA9;tcp"
#define PEER_B "msrp://core.example.org:8888/peerB7;tcp"

static emsec_msrp_bytes bytes_of(const char *s)
{
    emsec_msrp_bytes b = { (const uint8_t *)s, (uint32_t)strlen(s) };
    return b;
}

static emsec_msrp_session test_session(void)
{
    emsec_msrp_session s;
    s.own[0] = bytes_of(GW_A);
    s.own[1] = bytes_of(GW_B);
    s.peer[0] = bytes_of(UE_A);
    s.peer[1] = bytes_of(PEER_B);
    return s;
}

/* Frame `in` (one message) and return its header block in g_fr. */
static void frame_one_header(const char *in)
{
    emsec_msrp_event ev;
    uint32_t used = 0, at = 0, n = (uint32_t)strlen(in);
    cr_assert_eq(emsec_msrp_framer_init(&g_fr, &g_msg), EMSEC_OK);
    do {
        cr_assert_eq(emsec_msrp_feed(&g_fr, (const uint8_t *)in + at, n - at, &used, &ev),
                     EMSEC_OK, "%s", emsec_msrp_rule_name(emsec_msrp_last_error(&g_fr).rule));
        at += used;
    } while (ev.kind != EMSEC_MSRP_EV_HEADER && at < n);
    cr_assert_eq(ev.kind, EMSEC_MSRP_EV_HEADER);
}

/* Prepare s (it must prepare) and rewrite the header block in g_fr. */
static emsec_result rewrite(const emsec_msrp_session *s, uint32_t from, char *out, uint32_t cap,
                            uint32_t *len, emsec_msrp_verdict *v)
{
    emsec_msrp_prepared ps;
    emsec_msrp_path_error e;
    cr_assert_eq(emsec_msrp_prepare(s, &ps, &e), EMSEC_OK, "%s at %u",
                 emsec_msrp_path_fault_name((emsec_msrp_path_fault)e.fault), e.offset);
    emsec_result r = emsec_msrp_rewrite(&ps, from, &g_msg, emsec_msrp_header_bytes(&g_fr),
                                        g_msg.header_len, (uint8_t *)out, cap, len, v);
    if (r == EMSEC_OK && *len < cap) {
        out[*len] = '\0';
    }
    return r;
}

Test(msrp_rewrite, request_a_to_b)
{
    emsec_msrp_session s = test_session();
    char out[1024];
    uint32_t len = 0;
    emsec_msrp_verdict v;
    frame_one_header("MSRP a786hjs2 SEND\r\nTo-Path: " GW_A "\r\nFrom-Path: " UE_A "\r\n"
                     "Message-ID: 87652491\r\nByte-Range: 1-25/25\r\nContent-Type: text/plain\r\n\r\n"
                     "Hey Bob, are you there?\r\n-------a786hjs2$\r\n");
    cr_assert_eq(rewrite(&s, 0, out, sizeof out, &len, &v), EMSEC_OK);
    cr_assert_eq(v, EMSEC_MSRP_FORWARD);
    cr_assert_str_eq(out, "MSRP a786hjs2 SEND\r\nTo-Path: " PEER_B "\r\nFrom-Path: " GW_B "\r\n"
                          "Message-ID: 87652491\r\nByte-Range: 1-25/25\r\n"
                          "Content-Type: text/plain\r\n\r\n");
    /* the rewritten block frames again, with the new paths */
    char again[1200];
    snprintf(again, sizeof again, "%sHey\r\n-------a786hjs2$\r\n", out);
    frame_one_header(again);
    cr_assert_eq(g_msg.to_path.count, 1u);
    cr_assert_eq(g_msg.from_path.count, 1u);
    /* bounds: one byte short is NO_SPACE with the length needed, nothing
     * written past cap */
    frame_one_header("MSRP a786hjs2 SEND\r\nTo-Path: " GW_A "\r\nFrom-Path: " UE_A "\r\n"
                     "Message-ID: 87652491\r\nByte-Range: 1-25/25\r\nContent-Type: text/plain\r\n\r\n");
    const uint32_t need = len;
    memset(out, 'Z', sizeof out);
    cr_assert_eq(rewrite(&s, 0, out, need - 1u, &len, &v), EMSEC_ERR_NO_SPACE);
    cr_assert_eq(len, need);
    cr_assert_eq(out[need - 1u], 'Z');
    cr_assert_eq(rewrite(&s, 0, NULL, 0, &len, &v), EMSEC_ERR_NO_SPACE);
    cr_assert_eq(len, need);
}

Test(msrp_rewrite, request_b_to_a_with_relay_path)
{
    /* side A's peer advertised a relay in front of itself (RFC 4976 §3): the
     * request towards A carries both URIs, first hop first. */
    emsec_msrp_session s = test_session();
    s.peer[0] = bytes_of("msrps://relay.example.com:9000/r1;tcp " UE_A);
    char out[1024];
    uint32_t len = 0;
    emsec_msrp_verdict v;
    frame_one_header("MSRP x9y8z7w6 SEND\r\nTo-Path: MSRP://10.0.0.1:9002/gwB2;TCP\r\nFrom-Path: "
                     PEER_B "\r\nMessage-ID: q\x31\x32\x33\r\nContent-Type: text/plain\r\n\r\n");
    cr_assert_eq(rewrite(&s, 1, out, sizeof out, &len, &v), EMSEC_OK);
    cr_assert_eq(v, EMSEC_MSRP_FORWARD);
    cr_assert_str_eq(out, "MSRP x9y8z7w6 SEND\r\nTo-Path: msrps://relay.example.com:9000/r1;tcp "
                          UE_A "\r\nFrom-Path: " GW_A "\r\nMessage-ID: q123\r\n"
                          "Content-Type: text/plain\r\n\r\n");
}

Test(msrp_rewrite, response_and_report)
{
    emsec_msrp_session s = test_session();
    char out[1024];
    uint32_t len = 0;
    emsec_msrp_verdict v;
    /* B answers a SEND the gateway forwarded: one hop back each way */
    frame_one_header("MSRP a786hjs2 200 OK\r\nTo-Path: " GW_B "\r\nFrom-Path: " PEER_B
                     "\r\n-------a786hjs2$\r\n");
    cr_assert_eq(rewrite(&s, 1, out, sizeof out, &len, &v), EMSEC_OK);
    cr_assert_eq(v, EMSEC_MSRP_FORWARD);
    cr_assert_str_eq(out, "MSRP a786hjs2 200 OK\r\nTo-Path: " UE_A "\r\nFrom-Path: " GW_A "\r\n");
    /* B's REPORT back to A: a request, the whole path */
    frame_one_header("MSRP dkei38sd REPORT\r\nTo-Path: " GW_B "\r\nFrom-Path: " PEER_B "\r\n"
                     "Message-ID: 12339sdqwer\r\nByte-Range: 1-106/106\r\nStatus: 000 200 OK\r\n"
                     "-------dkei38sd$\r\n");
    cr_assert_eq(rewrite(&s, 1, out, sizeof out, &len, &v), EMSEC_OK);
    cr_assert_str_eq(out, "MSRP dkei38sd REPORT\r\nTo-Path: " UE_A "\r\nFrom-Path: " GW_A "\r\n"
                          "Message-ID: 12339sdqwer\r\nByte-Range: 1-106/106\r\n"
                          "Status: 000 200 OK\r\n");
}

Test(msrp_rewrite, mismatching_paths_are_refused)
{
    emsec_msrp_session s = test_session();
    char out[1024];
    uint32_t len = 0;
    emsec_msrp_verdict v;
    static const char *requests[] = {
        /* To-Path names B's side of the gateway, on side A */
        "MSRP abcd SEND\r\nTo-Path: " GW_B "\r\nFrom-Path: " UE_A "\r\n-------abcd$\r\n",
        /* another port */
        "MSRP abcd SEND\r\nTo-Path: msrps://gw-a.example.net:9009/gwA1;tcp\r\nFrom-Path: " UE_A
        "\r\n-------abcd$\r\n",
        /* session-id compared case-sensitively (RFC 4975 §6.1) */
        "MSRP abcd SEND\r\nTo-Path: msrps://gw-a.example.net:9001/GWA1;tcp\r\nFrom-Path: " UE_A
        "\r\n-------abcd$\r\n",
        /* msrp instead of msrps */
        "MSRP abcd SEND\r\nTo-Path: msrp://gw-a.example.net:9001/gwA1;tcp\r\nFrom-Path: " UE_A
        "\r\n-------abcd$\r\n",
        /* two URIs in To-Path: the gateway is the last hop (RFC 4975 §7.3) */
        "MSRP abcd SEND\r\nTo-Path: " GW_A " " PEER_B "\r\nFrom-Path: " UE_A "\r\n-------abcd$\r\n",
        /* From-Path is not A's peer */
        "MSRP abcd SEND\r\nTo-Path: " GW_A "\r\nFrom-Path: " PEER_B "\r\n-------abcd$\r\n",
    };
    for (uint32_t i = 0; i < sizeof requests / sizeof requests[0]; i++) {
        frame_one_header(requests[i]);
        memset(out, 'Z', sizeof out);
        cr_assert_eq(rewrite(&s, 0, out, sizeof out, &len, &v), EMSEC_ERR_REFUSED, "case %u", i);
        cr_assert_eq(v, EMSEC_MSRP_REFUSE_481, "case %u", i);
        cr_assert_eq(len, 0u);
        cr_assert_eq(out[0], 'Z', "nothing written for a refused message");
    }
    /* a response whose paths do not match: dropped, not answered */
    frame_one_header("MSRP abcd 200 OK\r\nTo-Path: " GW_A "\r\nFrom-Path: " PEER_B
                     "\r\n-------abcd$\r\n");
    cr_assert_eq(rewrite(&s, 0, out, sizeof out, &len, &v), EMSEC_ERR_REFUSED);
    cr_assert_eq(v, EMSEC_MSRP_DROP);
    /* userinfo and host case do not matter (RFC 4975 §6.1) */
    frame_one_header("MSRP abcd SEND\r\nTo-Path: msrps://someone@GW-A.example.NET:9001/gwA1;tcp;"
                     "x=y\r\nFrom-Path: " UE_A "\r\n-------abcd$\r\n");
    cr_assert_eq(rewrite(&s, 0, out, sizeof out, &len, &v), EMSEC_OK);
    /* a side other than 0 and 1 is a caller error (bad session paths are
     * refused by emsec_msrp_prepare: msrp_prepare below) */
    cr_assert_eq(rewrite(&s, 2, out, sizeof out, &len, &v), EMSEC_ERR_ARGUMENT);
}

/* ------------------------------------------------------------ prepare */

/* A path as a fresh heap copy of exactly its bytes (ASan sees any read past
 * them); freed by the caller. */
static emsec_msrp_bytes heap_bytes(const char *s, uint32_t n)
{
    uint8_t *b = malloc(n ? n : 1u);
    cr_assert_not_null(b);
    memcpy(b, s, n);
    emsec_msrp_bytes r = { b, n };
    return r;
}

static emsec_msrp_bytes *path_at(emsec_msrp_session *s, uint32_t side, uint32_t peer)
{
    return peer ? &s->peer[side] : &s->own[side];
}

/* Prepare s with path (side, peer) replaced by bad[0, n) (heap copy); the
 * result, the fault and its offset must be as expected, and the prepared
 * session must then be refused by the rewrite. */
static void prepare_bad(uint32_t side, uint32_t peer, const char *bad, uint32_t n,
                        emsec_result want_r, emsec_msrp_path_fault want_f, uint32_t want_at)
{
    emsec_msrp_session s = test_session();
    emsec_msrp_prepared ps;
    emsec_msrp_path_error e;
    char out[512];
    uint32_t len = 7;
    emsec_msrp_verdict v;
    *path_at(&s, side, peer) = heap_bytes(bad, n);
    memset(&ps, 0xa5, sizeof ps);
    cr_assert_eq(emsec_msrp_prepare(&s, &ps, &e), want_r, "side %u peer %u: %.40s", side, peer,
                 bad);
    cr_assert_eq(e.side, side);
    cr_assert_eq(e.peer, peer);
    cr_assert_eq(e.fault, (uint32_t)want_f, "side %u peer %u: %s, wanted %s", side, peer,
                 emsec_msrp_path_fault_name((emsec_msrp_path_fault)e.fault),
                 emsec_msrp_path_fault_name(want_f));
    cr_assert_eq(e.offset, want_at, "side %u peer %u: offset %u", side, peer, e.offset);
    /* a session whose preparation failed is not rewritten from */
    frame_one_header("MSRP a786hjs2 SEND\r\nTo-Path: " GW_A "\r\nFrom-Path: " UE_A "\r\n"
                     "-------a786hjs2$\r\n");
    cr_assert_eq(emsec_msrp_rewrite(&ps, 0, &g_msg, emsec_msrp_header_bytes(&g_fr),
                                    g_msg.header_len, (uint8_t *)out, sizeof out, &len, &v),
                 EMSEC_ERR_ARGUMENT);
    cr_assert_eq(len, 0u);
    free((void *)path_at(&s, side, peer)->ptr);
}

Test(msrp_prepare, a_bad_uri_in_each_of_the_four_paths)
{
    static const char *bad[] = {
        "msrp://gw.example.net:9001/s",         /* no ;transport (RFC 4975 §9) */
        "sip:bob@example.com",                  /* not an MSRP-URI */
        "msrp://gw.example.net:123456/s;tcp",   /* port of 6 digits */
        "msrp://[::1/s;tcp",                    /* IP-literal without ']' */
        "msrps://gw.example.net:9001/;tcp",     /* empty session-id */
        "msrp://gw\x01.example.net/s;tcp",      /* a control byte */
    };
    for (uint32_t k = 0; k < 4u; k++) {
        for (uint32_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
            prepare_bad(k & 1u, k >> 1, bad[b], (uint32_t)strlen(bad[b]), EMSEC_ERR_SYNTAX,
                        EMSEC_MSRP_PATH_BAD_URI, 0u);
        }
    }
    /* the second URI of a peer's path is bad: the offset names it */
    static const char two[] = "msrps://relay.example.com:9000/r1;tcp msrp://x";
    prepare_bad(0, 1, two, sizeof two - 1u, EMSEC_ERR_SYNTAX, EMSEC_MSRP_PATH_BAD_URI, 38u);
    prepare_bad(1, 1, two, sizeof two - 1u, EMSEC_ERR_SYNTAX, EMSEC_MSRP_PATH_BAD_URI, 38u);
}

Test(msrp_prepare, spacing_empty_and_own_paths)
{
    for (uint32_t k = 0; k < 4u; k++) {
        const uint32_t side = k & 1u, peer = k >> 1;
        prepare_bad(side, peer, "", 0u, EMSEC_ERR_SYNTAX, EMSEC_MSRP_PATH_EMPTY, 0u);
        prepare_bad(side, peer, " " UE_A, 1u + (uint32_t)strlen(UE_A), EMSEC_ERR_SYNTAX,
                    EMSEC_MSRP_PATH_SPACING, 0u);
        prepare_bad(side, peer, UE_A " ", (uint32_t)strlen(UE_A) + 1u, EMSEC_ERR_SYNTAX,
                    EMSEC_MSRP_PATH_SPACING, (uint32_t)strlen(UE_A) + 1u);
    }
    /* a doubled SP: the empty URI starts at the second SP */
    prepare_bad(1, 1, PEER_B "  " UE_A, (uint32_t)strlen(PEER_B) + 2u + (uint32_t)strlen(UE_A),
                EMSEC_ERR_SYNTAX, EMSEC_MSRP_PATH_SPACING, (uint32_t)strlen(PEER_B) + 1u);
    /* the gateway's own path is one URI on each side */
    prepare_bad(0, 0, GW_A " " GW_B, (uint32_t)strlen(GW_A " " GW_B), EMSEC_ERR_SYNTAX,
                EMSEC_MSRP_PATH_NOT_ONE, (uint32_t)strlen(GW_A) + 1u);
    prepare_bad(1, 0, GW_B " " GW_A, (uint32_t)strlen(GW_B " " GW_A), EMSEC_ERR_SYNTAX,
                EMSEC_MSRP_PATH_NOT_ONE, (uint32_t)strlen(GW_B) + 1u);
    /* a NULL pointer with length 0 is an empty path too */
    emsec_msrp_session s = test_session();
    emsec_msrp_prepared ps;
    emsec_msrp_path_error e;
    s.peer[0].ptr = NULL;
    s.peer[0].len = 0u;
    cr_assert_eq(emsec_msrp_prepare(&s, &ps, &e), EMSEC_ERR_SYNTAX);
    cr_assert(e.side == 0u && e.peer == 1u && e.fault == EMSEC_MSRP_PATH_EMPTY);
    /* the first fault in the order own[0], own[1], peer[0], peer[1] */
    s.own[1] = bytes_of("msrp://x");
    cr_assert_eq(emsec_msrp_prepare(&s, &ps, &e), EMSEC_ERR_SYNTAX);
    cr_assert(e.side == 1u && e.peer == 0u && e.fault == EMSEC_MSRP_PATH_BAD_URI);
}

Test(msrp_prepare, limits)
{
    /* EMSEC_MSRP_MAX_PATH URIs prepare, and a request from a peer with that
     * many matches; one more is LIMIT at the extra URI */
    char path[16 * 48];
    uint32_t n = 0, ninth = 0;
    for (uint32_t i = 0; i <= EMSEC_MSRP_MAX_PATH; i++) {
        if (i == EMSEC_MSRP_MAX_PATH) {
            ninth = n + 1u;
        }
        n += (uint32_t)snprintf(path + n, sizeof path - n, "%smsrp://r%u.example:1/s%u;tcp",
                                i ? " " : "", i, i);
    }
    const uint32_t eight = ninth - 1u;
    for (uint32_t k = 2; k < 4u; k++) {
        prepare_bad(k & 1u, 1u, path, n, EMSEC_ERR_LIMIT, EMSEC_MSRP_PATH_TOO_MANY, ninth);
    }
    emsec_msrp_session s = test_session();
    s.peer[0] = heap_bytes(path, eight);
    char msg[1024], out[1024];
    uint32_t len = 0;
    emsec_msrp_verdict v;
    snprintf(msg, sizeof msg, "MSRP abcd SEND\r\nTo-Path: " GW_A "\r\nFrom-Path: %.*s\r\n"
             "-------abcd$\r\n", (int)eight, path);
    frame_one_header(msg);
    cr_assert_eq(g_msg.from_path.count, EMSEC_MSRP_MAX_PATH);
    cr_assert_eq(rewrite(&s, 0, out, sizeof out, &len, &v), EMSEC_OK);
    /* ... and towards that peer the To-Path carries all of them */
    frame_one_header("MSRP abcd SEND\r\nTo-Path: " GW_B "\r\nFrom-Path: " PEER_B
                     "\r\n-------abcd$\r\n");
    cr_assert_eq(rewrite(&s, 1, out, sizeof out, &len, &v), EMSEC_OK);
    static const char to_path_at[] = "MSRP abcd SEND\r\nTo-Path: ";
    cr_assert(len > sizeof to_path_at - 1u + eight);
    cr_assert(memcmp(out + sizeof to_path_at - 1u, path, eight) == 0);
    cr_assert_eq(out[sizeof to_path_at - 1u + eight], '\r');
    /* seven of the eight: refused */
    s.peer[0].len = eight - (uint32_t)strlen(" msrp://r7.example:1/s7;tcp");
    frame_one_header(msg);
    cr_assert_eq(rewrite(&s, 0, out, sizeof out, &len, &v), EMSEC_ERR_REFUSED);
    free((void *)s.peer[0].ptr);

    /* EMSEC_MSRP_MAX_PATH_BYTES bytes: one long URI prepares; one byte more
     * is LIMIT */
    static char big[EMSEC_MSRP_MAX_PATH_BYTES + 2u];
    const char *head = "msrp://big.example:1/";
    const size_t hl = strlen(head);
    memcpy(big, head, hl);
    memset(big + hl, 'x', sizeof big - hl);
    memcpy(big + EMSEC_MSRP_MAX_PATH_BYTES - 4u, ";tcp", 4u);
    s = test_session();
    s.peer[1] = heap_bytes(big, EMSEC_MSRP_MAX_PATH_BYTES);
    emsec_msrp_prepared ps;
    emsec_msrp_path_error e;
    cr_assert_eq(emsec_msrp_prepare(&s, &ps, &e), EMSEC_OK);
    cr_assert_eq(e.fault, (uint32_t)EMSEC_MSRP_PATH_OK);
    free((void *)s.peer[1].ptr);
    memcpy(big + EMSEC_MSRP_MAX_PATH_BYTES - 4u, "x;tcp", 5u);
    for (uint32_t k = 0; k < 4u; k++) {
        prepare_bad(k & 1u, k >> 1, big, EMSEC_MSRP_MAX_PATH_BYTES + 1u, EMSEC_ERR_LIMIT,
                    EMSEC_MSRP_PATH_TOO_LONG, EMSEC_MSRP_MAX_PATH_BYTES);
    }
}

Test(msrp_prepare, unprepared_session_and_kept_pointers)
{
    char out[1024];
    uint32_t len = 5;
    emsec_msrp_verdict v;
    emsec_msrp_prepared ps;
    frame_one_header("MSRP a786hjs2 SEND\r\nTo-Path: " GW_A "\r\nFrom-Path: " UE_A "\r\n"
                     "-------a786hjs2$\r\n");
    /* never prepared: refused, nothing read through its zero pointers */
    memset(&ps, 0, sizeof ps);
    cr_assert_eq(emsec_msrp_rewrite(&ps, 0, &g_msg, emsec_msrp_header_bytes(&g_fr),
                                    g_msg.header_len, (uint8_t *)out, sizeof out, &len, &v),
                 EMSEC_ERR_ARGUMENT);
    cr_assert_eq(len, 0u);
    /* the session struct may go once prepared: ps keeps its pointers */
    {
        emsec_msrp_session s = test_session();
        emsec_msrp_path_error e;
        cr_assert_eq(emsec_msrp_prepare(&s, &ps, &e), EMSEC_OK);
        memset(&s, 0, sizeof s);
    }
    cr_assert_eq(emsec_msrp_rewrite(&ps, 0, &g_msg, emsec_msrp_header_bytes(&g_fr),
                                    g_msg.header_len, (uint8_t *)out, sizeof out, &len, &v),
                 EMSEC_OK);
    cr_assert_eq(v, EMSEC_MSRP_FORWARD);
    /* a prepared session with a span moved out of its path: refused */
    ps.peer[1].uri[0].len = ps.s.peer[1].len + 1u;
    cr_assert_eq(emsec_msrp_rewrite(&ps, 0, &g_msg, emsec_msrp_header_bytes(&g_fr),
                                    g_msg.header_len, (uint8_t *)out, sizeof out, &len, &v),
                 EMSEC_ERR_ARGUMENT);
}

Test(msrp_prepare, fault_names)
{
    for (uint32_t f = 0; f < EMSEC_MSRP_PATH__COUNT; f++) {
        cr_assert_str_neq(emsec_msrp_path_fault_name((emsec_msrp_path_fault)f), "?");
    }
    cr_assert_str_eq(emsec_msrp_path_fault_name(EMSEC_MSRP_PATH__COUNT), "?");
}

Test(msrp_rewrite, uri_equal)
{
#define EQ(a, b) emsec_msrp_uri_equal((const uint8_t *)(a), (uint32_t)strlen(a), \
                                      (const uint8_t *)(b), (uint32_t)strlen(b))
    cr_assert_eq(EQ("msrp://a.b:1/s;tcp", "MSRP://A.B:1/s;TCP"), 1);
    cr_assert_eq(EQ("msrp://a.b:1/s;tcp", "msrp://a.b:01/s;tcp"), 1);
    cr_assert_eq(EQ("msrp://a.b:1/s;tcp", "msrp://a.b/s;tcp"), 0);
    cr_assert_eq(EQ("msrp://a.b:1/s;tcp", "msrp://a.b:1;tcp"), 0);
    cr_assert_eq(EQ("msrp://a.b:1/s;tcp", "msrp://a.b:1/s;sctp"), 0);
    cr_assert_eq(EQ("msrp://u@[::1]:1/s;tcp", "msrp://[::1]:1/s;tcp;p=q"), 1);
    cr_assert_eq(EQ("msrp://a.b:1/s;tcp", "http://a.b:1/s;tcp"), 0);
    cr_assert_eq(EQ("msrp://a.b:99999/s;tcp", "msrp://a.b:99999/s;tcp"), 1);
    cr_assert_eq(EQ("msrp://a.b:123456/s;tcp", "msrp://a.b:123456/s;tcp"), 0);
#undef EQ
}

Test(msrp_rewrite, local_path_values)
{
    char out[128];
    uint32_t len = 0;
    emsec_msrp_leg leg = { 1u, bytes_of("gw-a.example.net"), 9001u, bytes_of("gwA1") };
    cr_assert_eq(emsec_msrp_local_path(&leg, (uint8_t *)out, sizeof out, &len), EMSEC_OK);
    cr_assert_eq(len, strlen(GW_A));
    cr_assert(memcmp(out, GW_A, len) == 0);
    leg.tls = 0u;
    leg.host = bytes_of("10.0.0.1");
    leg.port = 9002u;
    leg.session_id = bytes_of("gwB2");
    cr_assert_eq(emsec_msrp_local_path(&leg, (uint8_t *)out, sizeof out, &len), EMSEC_OK);
    cr_assert(len == strlen(GW_B) && memcmp(out, GW_B, len) == 0);
    leg.host = bytes_of("[2001:db8::1]");
    leg.port = 5;
    cr_assert_eq(emsec_msrp_local_path(&leg, (uint8_t *)out, sizeof out, &len), EMSEC_OK);
    out[len] = '\0';
    cr_assert_str_eq(out, "msrp://[2001:db8::1]:5/gwB2;tcp");
    cr_assert_eq(emsec_msrp_local_path(&leg, (uint8_t *)out, 10, &len), EMSEC_ERR_NO_SPACE);
    cr_assert_eq(len, strlen("msrp://[2001:db8::1]:5/gwB2;tcp"));
    /* refusals */
    leg.port = 0;
    cr_assert_eq(emsec_msrp_local_path(&leg, (uint8_t *)out, sizeof out, &len), EMSEC_ERR_ARGUMENT);
    leg.port = 65536;
    cr_assert_eq(emsec_msrp_local_path(&leg, (uint8_t *)out, sizeof out, &len), EMSEC_ERR_ARGUMENT);
    leg.port = 1;
    leg.host = bytes_of("a;b");
    cr_assert_eq(emsec_msrp_local_path(&leg, (uint8_t *)out, sizeof out, &len), EMSEC_ERR_ARGUMENT);
    leg.host = bytes_of("[zz]");
    cr_assert_eq(emsec_msrp_local_path(&leg, (uint8_t *)out, sizeof out, &len), EMSEC_ERR_ARGUMENT);
    leg.host = bytes_of("ok");
    leg.session_id = bytes_of("a b");
    cr_assert_eq(emsec_msrp_local_path(&leg, (uint8_t *)out, sizeof out, &len), EMSEC_ERR_ARGUMENT);
    leg.session_id = bytes_of("");
    cr_assert_eq(emsec_msrp_local_path(&leg, (uint8_t *)out, sizeof out, &len), EMSEC_ERR_ARGUMENT);
}
