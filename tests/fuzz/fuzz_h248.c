/*
 * libFuzzer target for the H.248.1 text codec (Annex B decoder and encoder).
 *
 * For each input (a fresh heap copy of exactly its bytes, so ASan catches a
 * read past the end):
 *   1. decode with final = true; the error, when there is one, must be
 *      well formed (result, rule in range, offset within the input);
 *   2. decode again with final = false (bytes still arriving): a message the
 *      final decode accepts is OK or INCOMPLETE there, never an error; an
 *      error other than INCOMPLETE is one no later byte can repair, so the
 *      final decode must report the very same one (result, rule, offset);
 *   3. accepted input: the tree is walked (links and spans inside the arena
 *      and the input); then, compact and pretty, it is encoded (exact-size
 *      heap buffer, and one byte short must answer NO_SPACE), the text is
 *      decoded again and must give an equal tree (emsec_h248_equal), and
 *      encoding that again gives the same bytes (the form is a fixed point);
 *   4. refused input: emsec_h248_error_reply must return OK in every
 *      version, and its text must decode to a Reply carrying the
 *      transaction id when one was read, else to a message-level Error.
 * Any mismatch prints what differs and abort()s.
 *
 * Seeds (tests/fuzz/seeds/h248/): the 84 RFC call-flow messages of
 * tests/corpus/h248/ (ten of them refused, see expected.txt there), and
 * hand_v*.txt, small messages valid per Annex B covering what the corpus
 * lacks: authentication header; mIds [::1]:2944, <domain>:2944, MTP{0A0B},
 * device name; Pending, TransactionResponseAck {1-5, 7}, ImmAckRequired;
 * Error descriptors; Priority, Emergency, Topology; O-/W- prefixes;
 * Modem, Mux, property operators and lists; embedded events, signal lists,
 * digit maps; audits; lower case, CRLF, tabs and comments; and, in versions
 * 2 and 3, EmergencyOff, IEPSCall, ContextAttr, ContextAudit{IEPS},
 * segmented replies (Reply = 10/2/END) and Segment replies (SM=10/2/&).
 * Dictionary: tests/fuzz/h248.dict.
 *
 * Built by the Makefile from this one file plus core/ and gen/.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsec/h248.h"
#include "emsec/result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_NODES   4096u
#define FZ_OUT_CAP (2u * 1024u * 1024u) /* pretty text of a 64 KiB message fits */
#define FZ_MID     "[192.0.2.1]:2944"

/* Arenas: the input's tree, the re-decoded tree (and the non-final decode),
 * the error replies. */
static emsec_h248_node g_nodes_in[FZ_NODES], g_nodes_re[FZ_NODES], g_nodes_3[FZ_NODES];
static char g_out[FZ_OUT_CAP];

static void fz_die(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_h248: %s: %s\n", what, detail);
    abort();
}

static const char *fz_style_name(emsec_h248_style style)
{
    return style == EMSEC_H248_COMPACT ? "compact" : "pretty";
}

static void fz_check_error(const char *what, emsec_result r, const emsec_h248_error *err,
                           uint32_t len)
{
    char why[256];
    if (err->result != r) {
        snprintf(why, sizeof why, "err.result %s, returned %s", emsec_result_name(err->result),
                 emsec_result_name(r));
        fz_die(what, why);
    }
    if (r != EMSEC_ERR_INCOMPLETE &&
        (err->rule <= EMSEC_H248_RULE_NONE || err->rule >= EMSEC_H248_RULE_COUNT_)) {
        snprintf(why, sizeof why, "%s with rule %d", emsec_result_name(r), (int)err->rule);
        fz_die(what, why);
    }
    if (err->offset > len) {
        snprintf(why, sizeof why, "offset %u past the input (%u bytes), rule %s",
                 (unsigned)err->offset, (unsigned)len, emsec_h248_rule_name(err->rule));
        fz_die(what, why);
    }
    if (emsec_h248_rule_name(err->rule) == NULL) {
        fz_die(what, "rule_name returned NULL");
    }
}

static void fz_span_in(const char *what, emsec_span s, uint32_t len)
{
    char why[128];
    if ((uint64_t)s.off + s.len > len) {
        snprintf(why, sizeof why, "span {%u, %u} past the input (%u bytes)", (unsigned)s.off,
                 (unsigned)s.len, (unsigned)len);
        fz_die(what, why);
    }
}

/* Links stay inside the arena, spans inside the input. */
static void fz_walk(const emsec_h248_msg *m, const emsec_h248_node *nodes, uint32_t cap,
                    uint32_t len)
{
    char why[160];
    if (m->nodes != nodes || m->cap != cap || m->count < 1u || m->count > cap) {
        snprintf(why, sizeof why, "count %u, cap %u", (unsigned)m->count, (unsigned)m->cap);
        fz_die("arena bookkeeping", why);
    }
    if (m->version < EMSEC_H248_VERSION_MIN || m->version > EMSEC_H248_VERSION_MAX) {
        snprintf(why, sizeof why, "version %u", (unsigned)m->version);
        fz_die("decoded version out of range", why);
    }
    fz_span_in("version_text", m->version_text, len);
    fz_span_in("mid", m->mid, len);
    fz_span_in("mid_addr", m->mid_addr, len);
    fz_span_in("mid_port", m->mid_port, len);
    fz_span_in("auth_spi", m->auth_spi, len);
    fz_span_in("auth_seq", m->auth_seq, len);
    fz_span_in("auth_data", m->auth_data, len);
    for (uint32_t i = 0; i < m->count; i++) {
        const emsec_h248_node *n = &nodes[i];
        if (n->child >= m->count || n->next >= m->count || n->values >= m->count) {
            snprintf(why, sizeof why, "node %u: child %u next %u values %u, count %u",
                     (unsigned)i, (unsigned)n->child, (unsigned)n->next, (unsigned)n->values,
                     (unsigned)m->count);
            fz_die("link outside the arena", why);
        }
        fz_span_in("node name", n->name, len);
        fz_span_in("node value", n->value, len);
        fz_span_in("node value2", n->value2, len);
        fz_span_in("node text", n->text, len);
        fz_span_in("node stamp", n->stamp, len);
    }
}

/* Decode `src` (final) into `nodes`; abort when it fails. */
static void fz_decode_ok(const char *what, emsec_h248_msg *m, const char *src, uint32_t len,
                         emsec_h248_node *nodes)
{
    char why[256];
    emsec_h248_error err;
    emsec_result r = emsec_h248_decode(m, src, len, true, nodes, FZ_NODES, &err);
    if (r != EMSEC_OK) {
        snprintf(why, sizeof why, "%s: rule %s at offset %u of %u bytes: %.*s",
                 emsec_result_name(r), emsec_h248_rule_name(err.rule), (unsigned)err.offset,
                 (unsigned)len, (int)(len < 200u ? len : 200u), src);
        fz_die(what, why);
    }
    fz_walk(m, nodes, FZ_NODES, len);
}

/* Encode into a fresh heap buffer of exactly the needed size; the caller frees
 * *out. One byte short must answer NO_SPACE. */
static uint32_t fz_encode(const emsec_h248_msg *m, const char *src, emsec_h248_style style,
                          char **out)
{
    char why[128];
    uint32_t n = 0, got = 0;
    char *buf;
    emsec_result r = emsec_h248_encode(m, src, style, 0, g_out, FZ_OUT_CAP, &n);
    if (r != EMSEC_OK) {
        snprintf(why, sizeof why, "%s (%s)", emsec_result_name(r), fz_style_name(style));
        fz_die("encode of a decoded message failed", why);
    }
    if (n == 0 || n > FZ_OUT_CAP) {
        snprintf(why, sizeof why, "out_len %u (%s)", (unsigned)n, fz_style_name(style));
        fz_die("encode length", why);
    }
    buf = malloc(n);
    if (buf == NULL) {
        abort();
    }
    r = emsec_h248_encode(m, src, style, 0, buf, n - 1u, &got);
    if (r != EMSEC_ERR_NO_SPACE) {
        snprintf(why, sizeof why, "%s (%s)", emsec_result_name(r), fz_style_name(style));
        fz_die("one byte short did not answer NO_SPACE", why);
    }
    r = emsec_h248_encode(m, src, style, 0, buf, n, &got);
    if (r != EMSEC_OK || got != n || memcmp(buf, g_out, n) != 0) {
        snprintf(why, sizeof why, "%s, %u bytes, first write %u (%s)", emsec_result_name(r),
                 (unsigned)got, (unsigned)n, fz_style_name(style));
        fz_die("encode into the exact buffer differs", why);
    }
    *out = buf;
    return n;
}

/* decode -> encode -> decode: equal trees; encode again: same bytes. */
static void fz_round_trip(const emsec_h248_msg *m, const char *src, emsec_h248_style style)
{
    char *w1 = NULL, *w2 = NULL;
    emsec_h248_msg again;
    uint32_t n1 = fz_encode(m, src, style, &w1);
    uint32_t n2;

    fz_decode_ok(style == EMSEC_H248_COMPACT ? "compact form refused" : "pretty form refused",
                 &again, w1, n1, g_nodes_re);
    if (!emsec_h248_equal(m, src, &again, w1)) {
        fprintf(stderr, "fuzz_h248: written form (%s):\n%.*s\n", fz_style_name(style),
                (int)n1, w1);
        fz_die("round trip changed the tree", fz_style_name(style));
    }
    if (!emsec_h248_equal(&again, w1, m, src)) {
        fz_die("emsec_h248_equal is not symmetric", fz_style_name(style));
    }
    n2 = fz_encode(&again, w1, style, &w2);
    if (n1 != n2 || memcmp(w1, w2, n1) != 0) {
        fprintf(stderr, "fuzz_h248: first:\n%.*s\nsecond:\n%.*s\n", (int)n1, w1, (int)n2, w2);
        fz_die("written form is not a fixed point", fz_style_name(style));
    }
    free(w1);
    free(w2);
}

/* The Error reply for a refused message is itself a valid message. */
static void fz_error_reply(const emsec_h248_error *err)
{
    char why[256];
    uint16_t tok_reply = emsec_h248_token_of("Reply", 5u);
    uint16_t tok_error = emsec_h248_token_of("Error", 5u);
    if (tok_reply == EMSEC_H248_TOK_NONE || tok_error == EMSEC_H248_TOK_NONE ||
        emsec_h248_token_of("p", 1u) != tok_reply || emsec_h248_token_of("ER", 2u) != tok_error) {
        fz_die("token_of", "Reply / Error not known in both forms");
    }
    for (uint32_t v = EMSEC_H248_VERSION_MIN; v <= EMSEC_H248_VERSION_MAX; v++) {
        uint32_t n = 0;
        emsec_h248_msg rep;
        const emsec_h248_node *top;
        emsec_result r = emsec_h248_error_reply(err, FZ_MID, v, g_out, FZ_OUT_CAP, &n);
        if (r != EMSEC_OK || n == 0 || n > FZ_OUT_CAP) {
            snprintf(why, sizeof why, "%s, %u bytes, version %u, rule %s",
                     emsec_result_name(r), (unsigned)n, (unsigned)v,
                     emsec_h248_rule_name(err->rule));
            fz_die("error_reply failed", why);
        }
        fz_decode_ok("error reply refused by the decoder", &rep, g_out, n, g_nodes_3);
        if (rep.version != v) {
            snprintf(why, sizeof why, "asked %u, got %u", (unsigned)v, (unsigned)rep.version);
            fz_die("error reply version", why);
        }
        top = &g_nodes_3[g_nodes_3[0].child];
        if (g_nodes_3[0].child == 0 || top->next != 0) {
            fz_die("error reply", "not exactly one item in the message body");
        }
        if (err->has_transaction_id) {
            char id[16];
            int idn = snprintf(id, sizeof id, "%u", (unsigned)err->transaction_id);
            if (top->item != tok_reply || top->value.len != (uint32_t)idn ||
                memcmp(g_out + top->value.off, id, (size_t)idn) != 0) {
                snprintf(why, sizeof why, "want Reply = %s, got item %u: %.*s", id,
                         (unsigned)top->item, (int)(n < 200u ? n : 200u), g_out);
                fz_die("error reply for a known transaction id", why);
            }
        } else if (top->item != tok_error) {
            snprintf(why, sizeof why, "want a message-level Error, got item %u: %.*s",
                     (unsigned)top->item, (int)(n < 200u ? n : 200u), g_out);
            fz_die("error reply without a transaction id", why);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[256];
    char *src;
    uint32_t len;
    emsec_h248_msg msg, part;
    emsec_h248_error err, perr;
    emsec_result r, pr;

    if (size > EMSEC_H248_MAX_MESSAGE) {
        return 0;
    }
    len = (uint32_t)size;
    src = malloc(len > 0 ? len : 1u);
    if (src == NULL) {
        abort();
    }
    if (len > 0) {
        memcpy(src, data, len);
    }

    r = emsec_h248_decode(&msg, src, len, true, g_nodes_in, FZ_NODES, &err);
    if (r == EMSEC_OK) {
        fz_walk(&msg, g_nodes_in, FZ_NODES, len);
    } else {
        if (r == EMSEC_ERR_INCOMPLETE) {
            fz_die("final decode", "answered INCOMPLETE");
        }
        fz_check_error("final decode error", r, &err, len);
    }

    pr = emsec_h248_decode(&part, src, len, false, g_nodes_re, FZ_NODES, &perr);
    if (pr != EMSEC_OK) {
        fz_check_error("non-final decode error", pr, &perr, len);
    }
    if (r == EMSEC_OK && pr != EMSEC_OK && pr != EMSEC_ERR_INCOMPLETE) {
        snprintf(why, sizeof why, "%s, rule %s at %u", emsec_result_name(pr),
                 emsec_h248_rule_name(perr.rule), (unsigned)perr.offset);
        fz_die("non-final decode refused a message the final decode accepts", why);
    }
    if (pr != EMSEC_OK && pr != EMSEC_ERR_INCOMPLETE &&
        (r != pr || err.rule != perr.rule || err.offset != perr.offset)) {
        snprintf(why, sizeof why, "final %s rule %s at %u, non-final %s rule %s at %u",
                 emsec_result_name(r), emsec_h248_rule_name(err.rule), (unsigned)err.offset,
                 emsec_result_name(pr), emsec_h248_rule_name(perr.rule),
                 (unsigned)perr.offset);
        fz_die("non-final error differs from the final one", why);
    }
    if (r == EMSEC_OK && pr == EMSEC_OK && !emsec_h248_equal(&msg, src, &part, src)) {
        fz_die("non-final decode", "OK with a different tree");
    }

    if (r == EMSEC_OK) {
        fz_round_trip(&msg, src, EMSEC_H248_COMPACT);
        fz_round_trip(&msg, src, EMSEC_H248_PRETTY);
    } else {
        fz_error_reply(&err);
    }
    free(src);
    return 0;
}
