/*
 * core/h248_decode.c: H.248.1 Annex B text decoder.
 *
 * The lexemes come from the Ragel machines of spec/h248.rl (gen/h248.c); what
 * may stand inside which braces comes from spec/h248_grammar.tbl
 * (gen/h248_grammar_table.c). This file only walks: read an item's word, find
 * its row in the current production, read what the row says follows, recurse
 * into the production its braces hold. Depth is bounded by
 * EMSEC_H248_MAX_DEPTH, lists by EMSEC_H248_MAX_LIST, nodes by the caller's
 * arena: every loop and the recursion end.
 *
 * Speed (docs/PERFORMANCE.md): the machines are compiled into this file
 * (core/h248_lex.h, H248_LEX_INLINE) so that GCC may inline them; an item's
 * word and its token come from one pass (word_tok: the token machine, then
 * the word machine from where it stopped); a production's row for a token
 * is one look-up in the generated h248_row_index; each node is written once.
 *
 * Incomplete input (final == false): wherever the input ends where more
 * bytes could still make it valid, the result is EMSEC_ERR_INCOMPLETE with
 * the offset of the end; a byte that no continuation could make valid is a
 * syntax error at once, at the same offset it has when the input is whole.
 */
#include <string.h>

#include "emsec/h248.h"
#include "h248_grammar.h"
#define H248_LEX_INLINE 1 /* the machines of gen/h248.c, inlinable (h248_lex.h) */
#include "h248_lex.h"
#include "h248_tokens.h"

/* Placement hints (GCC, clang): the hot paths stay small enough to inline,
 * the rest is called. */
#if defined(__GNUC__) || defined(__clang__)
#define H248_NOINLINE __attribute__((noinline))
#define H248_COLD __attribute__((noinline, cold))
#define H248_INLINE inline __attribute__((always_inline))
#else
#define H248_NOINLINE
#define H248_COLD
#define H248_INLINE inline
#endif

typedef struct dec {
    const unsigned char *s;
    uint32_t len;
    uint32_t pos;
    emsec_h248_node *nodes; /* the caller's arena: count used of cap */
    uint32_t count;
    uint32_t cap;
    uint32_t version;
    bool final;
    emsec_h248_msg *msg;
    emsec_h248_error *err;
} dec;

/* ------------------------------------------------------------ errors */

static H248_COLD bool fail(dec *d, emsec_result r, emsec_h248_rule rule, uint32_t off)
{
    if (d->err->result == EMSEC_OK) {
        d->err->result = r;
        d->err->rule = rule;
        d->err->offset = off;
    }
    return false;
}

/* The input ended at `off` where `rule` needed more. */
static H248_COLD bool fail_end(dec *d, emsec_h248_rule rule, uint32_t off)
{
    return fail(d, d->final ? EMSEC_ERR_SYNTAX : EMSEC_ERR_INCOMPLETE, rule, off);
}

/* ------------------------------------------------------------ lexing */

/* LWSP from pos on, by the machine: out of line, for what skip() leaves
 * to it (a comment). */
static H248_NOINLINE bool skip_lwsp(dec *d)
{
    bool open = false;
    uint32_t e = h248_scan_lwsp_inl(d->s, d->pos, d->len, &open);
    d->pos = e;
    if (e < d->len && d->s[e] == ';') {
        /* A comment the machine could not finish: it ran out of input (wait
         * for more, or fail when final) or met a byte COMMENT does not allow. */
        if (open)
            return fail_end(d, EMSEC_H248_RULE_COMMENT, e);
        return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_COMMENT, e);
    }
    return true;
}

/* SP, HTAB, CR, LF: the bytes of WSP and EOL (B.2). */
static H248_INLINE bool is_ws(unsigned char c)
{
    return c <= ' ' && ((UINT64_C(1) << c) & ((UINT64_C(1) << ' ') | (UINT64_C(1) << '\t') |
                                              (UINT64_C(1) << '\r') | (UINT64_C(1) << '\n'))) != 0u;
}

/* LWSP: white space, line ends, comments. Any run of WSP and EOL bytes is
 * LWSP (B.2: LWSP = *(WSP / COMMENT / EOL), EOL = CR [LF] / LF), so it is
 * read here, in line (the pretty form's indentation is a third of its
 * bytes); the machine runs only from a ";" on, where a comment begins. */
static H248_INLINE bool skip(dec *d)
{
    uint32_t p = d->pos;
    while (p < d->len && is_ws(d->s[p]))
        p++;
    d->pos = p;
    if (p < d->len && d->s[p] == ';')
        return skip_lwsp(d);
    return true;
}

/* LWSP, then the next byte: -1 at the end of the input, -2 when the LWSP
 * was refused (the error is set). */
#define PEEK_FAILED (-2)
static H248_INLINE int skip_peek(dec *d)
{
    if (!skip(d))
        return PEEK_FAILED;
    return d->pos < d->len ? (int)d->s[d->pos] : -1;
}

/* SEP = (WSP / EOL / COMMENT) LWSP: at least one byte of LWSP. */
static bool sep(dec *d, emsec_h248_rule rule)
{
    uint32_t at = d->pos;
    if (!skip(d))
        return false;
    if (d->pos == at) {
        if (at == d->len)
            return fail_end(d, rule, at);
        return fail(d, EMSEC_ERR_SYNTAX, rule, at);
    }
    return true;
}

/* The next byte, or -1 at the end of the input. */
static int peek(const dec *d)
{
    return d->pos < d->len ? (int)d->s[d->pos] : -1;
}

/* Expect byte `c` (after LWSP). */
static bool expect(dec *d, unsigned char c, emsec_h248_rule rule)
{
    if (!skip(d))
        return false;
    if (d->pos == d->len)
        return fail_end(d, rule, d->pos);
    if (d->s[d->pos] != c)
        return fail(d, EMSEC_ERR_SYNTAX, rule, d->pos);
    d->pos++;
    return true;
}

/* One SafeChars word at pos (no LWSP skipped), the word machine started at
 * `from`: pos <= from <= len, and s[pos..from) are SafeChars already read. */
static H248_INLINE bool word_from(dec *d, uint32_t from, emsec_span *w, emsec_h248_rule rule)
{
    bool open = false;
    uint32_t e = h248_scan_word_inl(d->s, from, d->len, &open);
    if (open && !d->final)
        return fail(d, EMSEC_ERR_INCOMPLETE, rule, d->len);
    if (e == d->pos) {
        if (e == d->len)
            return fail_end(d, rule, e);
        return fail(d, EMSEC_ERR_SYNTAX, rule, e);
    }
    if (e - d->pos > EMSEC_H248_MAX_TOKEN)
        return fail(d, EMSEC_ERR_LIMIT, EMSEC_H248_RULE_LIMIT_TOKEN, d->pos);
    w->off = d->pos;
    w->len = e - d->pos;
    d->pos = e;
    return true;
}

/* One SafeChars word at pos (no LWSP skipped). */
static H248_INLINE bool word(dec *d, emsec_span *w, emsec_h248_rule rule)
{
    return word_from(d, d->pos, w, rule);
}

/* One word at pos and the token it spells (EMSEC_H248_TOK_NONE when none),
 * in one pass: the token machine reads the longest spelling at pos, the word
 * machine goes on from its end (spellings are SafeChars); the word is that
 * token iff it ends there too. */
static H248_INLINE bool word_tok(dec *d, emsec_span *w, uint16_t *tok, emsec_h248_rule rule)
{
    uint16_t t = EMSEC_H248_TOK_NONE;
    uint32_t e1 = h248_scan_token_inl(d->s, d->pos, d->len, &t);
    if (!word_from(d, e1, w, rule))
        return false;
    *tok = (w->off + w->len == e1) ? t : EMSEC_H248_TOK_NONE;
    return true;
}

/* quotedString at pos; the span excludes the quotes. */
static bool quoted(dec *d, emsec_span *q)
{
    bool open = false;
    uint32_t e = h248_scan_quoted_inl(d->s, d->pos, d->len, &open);
    if (e == d->pos) {
        if (open)
            return fail_end(d, EMSEC_H248_RULE_QUOTED, d->len);
        /* find the byte that stopped the machine: the first one after the
         * opening quote that is not allowed */
        uint32_t i = d->pos + 1u;
        while (i < d->len && d->s[i] != '"' && (d->s[i] >= 0x20u && d->s[i] < 0x7fu))
            i++;
        if (i >= d->len)
            return fail_end(d, EMSEC_H248_RULE_QUOTED, d->len);
        return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_QUOTED, i);
    }
    if (e - d->pos - 2u > EMSEC_H248_MAX_QUOTED)
        return fail(d, EMSEC_ERR_LIMIT, EMSEC_H248_RULE_LIMIT_TOKEN, d->pos);
    q->off = d->pos + 1u;
    q->len = e - d->pos - 2u;
    d->pos = e;
    return true;
}

/* ------------------------------------------------------------ tokens */

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32u) : c;
}

/* The token all of s[off..off+len) spells: the token machine of
 * spec/h248.rl (one DFA over every spelling) reads the longest spelling at
 * off; the text is that one iff it ends at off+len. No spelling is longer
 * than 32 bytes. */
static uint16_t text_tok(const unsigned char *s, uint32_t off, uint32_t len)
{
    uint16_t t = EMSEC_H248_TOK_NONE;
    if (len == 0u || len > 32u)
        return EMSEC_H248_TOK_NONE;
    return h248_scan_token_inl(s, off, off + len, &t) == off + len ? t : EMSEC_H248_TOK_NONE;
}

uint16_t emsec_h248_token_of(const char *word_text, uint32_t len)
{
    if (word_text == NULL)
        return EMSEC_H248_TOK_NONE;
    return text_tok((const unsigned char *)word_text, 0u, len);
}

static uint16_t tok_of(const dec *d, emsec_span w)
{
    return text_tok(d->s, w.off, w.len);
}

const char *emsec_h248_token_name(uint16_t tok, bool compact)
{
    if (tok == EMSEC_H248_TOK_NONE || tok >= EMSEC_H248_TOK_COUNT)
        return "?";
    return compact ? emsec_h248_token_rows[tok].short_name : emsec_h248_token_rows[tok].long_name;
}

/* ------------------------------------------------------------ numbers */

/* 1..maxdig decimal digits whose value is at most `max`. */
static bool is_uint(const dec *d, emsec_span w, uint32_t maxdig, uint64_t max)
{
    uint64_t v = 0u;
    if (w.len == 0u || w.len > maxdig)
        return false;
    for (uint32_t i = 0u; i < w.len; i++) {
        unsigned char c = d->s[w.off + i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10u + (uint64_t)(c - '0');
    }
    return v <= max;
}

static uint32_t uint_value(const dec *d, emsec_span w)
{
    uint64_t v = 0u;
    for (uint32_t i = 0u; i < w.len && i < 10u; i++)
        v = v * 10u + (uint64_t)(d->s[w.off + i] - '0');
    return (uint32_t)v;
}

static bool is_one(const dec *d, emsec_span w, unsigned char c)
{
    return w.len == 1u && d->s[w.off] == c;
}

/* ------------------------------------------------------------ nodes */

/* Take the next node of the arena (`at`: the offset a refusal names). The
 * caller writes every field of it (a failed decode leaves the arena's
 * contents unspecified, include/emsec/h248.h). */
static inline bool new_node(dec *d, uint32_t at, uint32_t *idx)
{
    if (d->count >= d->cap)
        return fail(d, EMSEC_ERR_LIMIT, EMSEC_H248_RULE_LIMIT_NODES, at);
    *idx = d->count++;
    return true;
}

/* ------------------------------------------------------------ rows */

static bool tok_in_list(uint16_t tok, uint16_t first)
{
    for (uint32_t i = first; i < H248_ENUM_TOKS && h248_enum_toks[i] != 0u; i++)
        if (h248_enum_toks[i] == tok)
            return true;
    return false;
}

/* Does word w fit the generic item class of row r? */
static bool generic_fits(const dec *d, const h248_rule_row *r, emsec_span w)
{
    const unsigned char *t = d->s + w.off;
    switch (r->item) {
    case EMSEC_H248_ITEM_PKGD: return h248_match_pkgdname_inl(t, w.len) || (r->obsevent && h248_match_timestamp_inl(t, w.len));
    case EMSEC_H248_ITEM_NAME: return h248_match_name_inl(t, w.len);
    case EMSEC_H248_ITEM_EXTENSION: return h248_match_extension_inl(t, w.len);
    case EMSEC_H248_ITEM_TERMID: return w.len <= 64u && h248_match_termid_inl(t, w.len);
    case EMSEC_H248_ITEM_WORD: return h248_match_package_item_inl(t, w.len);
    case EMSEC_H248_ITEM_TIMESTAMP: return h248_match_timestamp_inl(t, w.len);
    case EMSEC_H248_ITEM_ACK: {
        uint32_t dash = 0u;
        while (dash < w.len && t[dash] != '-')
            dash++;
        emsec_span a = { w.off, dash };
        if (dash == w.len)
            return is_uint(d, a, 10u, 0xffffffffu);
        emsec_span b = { w.off + dash + 1u, w.len - dash - 1u };
        return is_uint(d, a, 10u, 0xffffffffu) && is_uint(d, b, 10u, 0xffffffffu);
    }
    default: return false;
    }
}

/* The row of production `set` that item word w (token tok) matches: the
 * token's own row, else the first generic-class row (table order) w fits. */
static const h248_rule_row *find_row(const dec *d, unsigned set, uint16_t tok, emsec_span w)
{
    unsigned ix = h248_row_index[set][tok];
    if (ix != 0u)
        return &h248_rules[ix - 1u];
    const h248_set_row *sr = &h248_sets[set];
    for (uint32_t i = sr->gfirst; i < (uint32_t)sr->gfirst + sr->gcount; i++) {
        const h248_rule_row *r = &h248_rules[h248_generic_rows[i]];
        if (generic_fits(d, r, w))
            return r;
    }
    return NULL;
}

static bool is_command(uint16_t tok)
{
    switch (tok) {
    case EMSEC_H248_TOK_ADD: case EMSEC_H248_TOK_MOVE: case EMSEC_H248_TOK_MODIFY:
    case EMSEC_H248_TOK_SUBTRACT: case EMSEC_H248_TOK_AUDITVALUE: case EMSEC_H248_TOK_AUDITCAP:
    case EMSEC_H248_TOK_NOTIFY: case EMSEC_H248_TOK_SERVICECHANGE:
        return true;
    default:
        return false;
    }
}

/* ------------------------------------------------------------ values */

static bool bad_value(dec *d, emsec_span w)
{
    return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_VALUE, w.off);
}

/* VALUE = quotedString / 1*(SafeChar), at pos. */
static bool any_value(dec *d, emsec_span *v, uint8_t *kind)
{
    if (peek(d) == '"') {
        *kind = EMSEC_H248_V_QUOTED;
        return quoted(d, v);
    }
    *kind = EMSEC_H248_V_WORD;
    return word(d, v, EMSEC_H248_RULE_VALUE);
}

/* Append a VALUE node to n's value list. */
static bool list_value(dec *d, uint32_t ni, uint32_t *last, const h248_rule_row *r, bool tokens)
{
    uint32_t vi = 0u;
    if (!skip(d) || !new_node(d, d->pos, &vi))
        return false;
    emsec_h248_node *v = &d->nodes[vi];
    *v = (emsec_h248_node){ .item = EMSEC_H248_ITEM_VALUE };
    if (tokens) {
        emsec_span w = { 0u, 0u };
        uint16_t t = EMSEC_H248_TOK_NONE;
        if (!word_tok(d, &w, &t, EMSEC_H248_RULE_VALUE))
            return false;
        v->value = w;
        v->vkind = EMSEC_H248_V_WORD;
        if (t != EMSEC_H248_TOK_NONE && tok_in_list(t, r->enum_first)) {
            v->vtok = t;
            v->flags = EMSEC_H248_F_VALUE_TOKEN;
        } else if (!(r->enum_ext && h248_match_extension_inl(d->s + w.off, w.len))) {
            return bad_value(d, w);
        }
    } else if (!any_value(d, &v->value, &v->vkind)) {
        return false;
    }
    if (*last == 0u)
        d->nodes[ni].values = vi;
    else
        d->nodes[*last].next = vi;
    *last = vi;
    return true;
}

/* A bracketed value list after its opening byte: VALUE *(COMMA VALUE) close. */
static bool value_list(dec *d, uint32_t ni, const h248_rule_row *r, bool tokens, unsigned char close)
{
    uint32_t last = 0u, count = 0u;
    for (;;) {
        if (++count > EMSEC_H248_MAX_LIST)
            return fail(d, EMSEC_ERR_LIMIT, EMSEC_H248_RULE_LIMIT_LIST, d->pos);
        if (!list_value(d, ni, &last, r, tokens) || !skip(d))
            return false;
        int c = peek(d);
        if (c == ',') {
            d->pos++;
            continue;
        }
        if (c == close) {
            d->pos++;
            return true;
        }
        if (c < 0)
            return fail_end(d, EMSEC_H248_RULE_VALUE, d->pos);
        return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_VALUE, d->pos);
    }
}

/* propertyParm's parmValue after the item name, pos at the first byte after
 * LWSP: EQUAL alternativeValue / INEQUAL VALUE. */
static bool parm_value(dec *d, uint32_t ni, const h248_rule_row *r)
{
    emsec_h248_node *n = &d->nodes[ni];
    int c = peek(d);
    if (c == '#' || c == '<' || c == '>') {
        n->op = (c == '#') ? EMSEC_H248_OP_NE : (c == '<') ? EMSEC_H248_OP_LT : EMSEC_H248_OP_GT;
        d->pos++;
        if (!skip(d))
            return false;
        return any_value(d, &n->value, &n->vkind);
    }
    n->op = EMSEC_H248_OP_EQ;
    d->pos++; /* '=' */
    if (!skip(d))
        return false;
    c = peek(d);
    if (c == '{') {
        d->pos++;
        n->vkind = EMSEC_H248_V_ALTLIST;
        return value_list(d, ni, r, false, '}');
    }
    if (c == '[') {
        d->pos++;
        /* sublist [a, b] or range [a : b]: read the first VALUE, then decide */
        uint32_t vi = 0u;
        if (!skip(d) || !new_node(d, d->pos, &vi))
            return false;
        emsec_h248_node *v = &d->nodes[vi];
        *v = (emsec_h248_node){ .item = EMSEC_H248_ITEM_VALUE };
        if (!any_value(d, &v->value, &v->vkind) || !skip(d))
            return false;
        n = &d->nodes[ni];
        if (peek(d) == ':') {
            d->pos++;
            n->vkind = EMSEC_H248_V_RANGE;
            n->value = v->value;
            d->count--; /* the range keeps its bounds in value/value2 */
            uint8_t k2;
            if (!skip(d) || !any_value(d, &n->value2, &k2))
                return false;
            return expect(d, ']', EMSEC_H248_RULE_VALUE);
        }
        n->vkind = EMSEC_H248_V_SUBLIST;
        n->values = vi;
        uint32_t last = vi, count = 1u;
        for (;;) {
            int cc = peek(d);
            if (cc == ']') {
                d->pos++;
                return true;
            }
            if (cc != ',') {
                if (cc < 0)
                    return fail_end(d, EMSEC_H248_RULE_VALUE, d->pos);
                return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_VALUE, d->pos);
            }
            d->pos++;
            if (++count > EMSEC_H248_MAX_LIST)
                return fail(d, EMSEC_ERR_LIMIT, EMSEC_H248_RULE_LIMIT_LIST, d->pos);
            if (!list_value(d, ni, &last, r, false) || !skip(d))
                return false;
        }
    }
    return any_value(d, &n->value, &n->vkind);
}

/* mId at pos: classify and split (the Ragel machine has checked the form). */
static bool mid_value(dec *d, emsec_span *all, uint8_t *kind, emsec_span *addr, emsec_span *port)
{
    bool open = false;
    uint32_t e = h248_scan_mid_inl(d->s, d->pos, d->len, &open);
    if (open && !d->final)
        return fail(d, EMSEC_ERR_INCOMPLETE, EMSEC_H248_RULE_MID, d->len);
    if (e == d->pos) {
        if (e == d->len)
            return fail_end(d, EMSEC_H248_RULE_MID, e);
        return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_MID, e);
    }
    const unsigned char *t = d->s;
    uint32_t b = d->pos;
    all->off = b;
    all->len = e - b;
    port->off = port->len = 0u;
    if (t[b] == '[' || t[b] == '<') {
        unsigned char want = (t[b] == '[') ? ']' : '>';
        const unsigned char *cp = memchr(t + b + 1u, want, e - b - 1u);
        uint32_t close = (cp != NULL) ? (uint32_t)(cp - t) : e;
        bool colon = memchr(t + b + 1u, ':', close - b - 1u) != NULL;
        *kind = (t[b] == '<') ? EMSEC_H248_MID_DOMAIN : colon ? EMSEC_H248_MID_IP6 : EMSEC_H248_MID_IP4;
        addr->off = b + 1u;
        addr->len = close - b - 1u;
        if (close + 1u < e) {
            port->off = close + 2u;
            port->len = e - close - 2u;
            if (!is_uint(d, *port, 5u, 0xffffu))
                return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_MID, port->off);
        }
    } else if (memchr(t + b, '{', e - b) != NULL) {
        const unsigned char *lb = memchr(t + b, '{', e - b);
        uint32_t i = (uint32_t)(lb - t) + 1u;
        while (i < e && !((t[i] >= '0' && t[i] <= '9') || (lower(t[i]) >= 'a' && lower(t[i]) <= 'f')))
            i++;
        uint32_t j = i;
        while (j < e && ((t[j] >= '0' && t[j] <= '9') || (lower(t[j]) >= 'a' && lower(t[j]) <= 'f')))
            j++;
        *kind = EMSEC_H248_MID_MTP;
        addr->off = i;
        addr->len = j - i;
    } else {
        if (e - b > 64u)
            return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_MID, b + 64u);
        *kind = EMSEC_H248_MID_DEVICE;
        *addr = *all;
    }
    d->pos = e;
    return true;
}

/* What follows item n per row r (pos after the item word). */
static bool item_value(dec *d, uint32_t ni, const h248_rule_row *r, bool top)
{
    if (r->vtype == H248_V_NONE)
        return true;
    int c = skip_peek(d);
    if (c == PEEK_FAILED)
        return false;
    emsec_h248_node *n = &d->nodes[ni];

    if (r->vtype == H248_V_MODEM && c == '[') { /* Modem [t, t] without "=" */
        d->pos++;
        n->vkind = EMSEC_H248_V_SUBLIST;
        return value_list(d, ni, r, true, ']');
    }
    if (r->vtype == H248_V_PARM && (c == '=' || c == '#' || c == '<' || c == '>'))
        return parm_value(d, ni, r);
    if (c != '=') {
        if (r->vopt && c >= 0)
            return true;
        if (c < 0)
            return r->vopt && d->final ? true : fail_end(d, EMSEC_H248_RULE_EQUAL, d->pos);
        return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_EQUAL, d->pos);
    }
    d->pos++;
    c = skip_peek(d);
    if (c == PEEK_FAILED)
        return false;
    n->op = EMSEC_H248_OP_EQ;

    switch ((h248_vtype)r->vtype) {
    case H248_V_VALUE:
        return any_value(d, &n->value, &n->vkind);
    case H248_V_TOKSET:
        if (c != '{') {
            if (c < 0)
                return fail_end(d, EMSEC_H248_RULE_VALUE, d->pos);
            return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_VALUE, d->pos);
        }
        d->pos++;
        n->vkind = EMSEC_H248_V_ALTLIST;
        return value_list(d, ni, r, true, '}');
    case H248_V_MID:
        n->vkind = EMSEC_H248_V_WORD;
        {
            uint8_t k;
            emsec_span a, p;
            return mid_value(d, &n->value, &k, &a, &p);
        }
    case H248_V_MIDPORT:
        n->vkind = EMSEC_H248_V_WORD;
        if (c >= '0' && c <= '9') {
            if (!word(d, &n->value, EMSEC_H248_RULE_VALUE))
                return false;
            return is_uint(d, n->value, 5u, 0xffffu) ? true : bad_value(d, n->value);
        } else {
            uint8_t k;
            emsec_span a, p;
            return mid_value(d, &n->value, &k, &a, &p);
        }
    case H248_V_NAME:
        if (c == '{' && r->vopt) { /* DigitMap = { value }: no name */
            n->op = EMSEC_H248_OP_EQ;
            return true;
        }
        break;
    default:
        break;
    }

    /* every other value is one SafeChars word (a token for enum and modem) */
    emsec_span w = { 0u, 0u };
    uint16_t vt = EMSEC_H248_TOK_NONE;
    if (r->vtype == H248_V_ENUM || r->vtype == H248_V_MODEM) {
        if (!word_tok(d, &w, &vt, EMSEC_H248_RULE_VALUE))
            return false;
    } else if (!word(d, &w, EMSEC_H248_RULE_VALUE)) {
        return false;
    }
    n = &d->nodes[ni];
    n->value = w;
    n->vkind = EMSEC_H248_V_WORD;
    const unsigned char *t = d->s + w.off;
    switch ((h248_vtype)r->vtype) {
    case H248_V_TXID:
        if (!is_uint(d, w, 10u, 0xffffffffu))
            return bad_value(d, w);
        if (top && r->item == EMSEC_H248_TOK_TRANS) {
            d->err->has_transaction_id = true;
            d->err->transaction_id = uint_value(d, w);
        }
        return true;
    case H248_V_TXSEG: {
        /* TransactionID [/ SegmentNumber [/ SegmentationComplete]] */
        uint32_t s1 = 0u;
        while (s1 < w.len && t[s1] != '/')
            s1++;
        n->value.len = s1;
        if (!is_uint(d, n->value, 10u, 0xffffffffu))
            return bad_value(d, w);
        if (s1 == w.len)
            return true;
        if (d->version < 3u)
            return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_TOKEN_VERSION, w.off + s1);
        uint32_t s2 = s1 + 1u;
        while (s2 < w.len && t[s2] != '/')
            s2++;
        n->value2.off = w.off + s1 + 1u;
        n->value2.len = s2 - s1 - 1u;
        if (!is_uint(d, n->value2, 5u, 0xffffu))
            return bad_value(d, n->value2);
        if (s2 == w.len)
            return true;
        n->text.off = w.off + s2 + 1u;
        n->text.len = w.len - s2 - 1u;
        if (tok_of(d, n->text) != EMSEC_H248_TOK_SEGMENTATIONCOMPLETE)
            return bad_value(d, n->text);
        return true;
    }
    case H248_V_CTXID:
        return (is_uint(d, w, 10u, 0xffffffffu) || is_one(d, w, '*') || is_one(d, w, '-') || is_one(d, w, '$'))
                   ? true : bad_value(d, w);
    case H248_V_TERMID:
        if (w.len > 64u || !h248_match_termid_inl(t, w.len))
            return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_TERMID, w.off);
        return true;
    case H248_V_STREAMID:
    case H248_V_UINT16:
        return is_uint(d, w, 5u, 0xffffu) ? true : bad_value(d, w);
    case H248_V_UINT32:
        return is_uint(d, w, 10u, 0xffffffffu) ? true : bad_value(d, w);
    case H248_V_REQID:
        return (is_uint(d, w, 10u, 0xffffffffu) || is_one(d, w, '*')) ? true : bad_value(d, w);
    case H248_V_ERRCODE:
        return is_uint(d, w, 4u, 9999u) ? true : bad_value(d, w);
    case H248_V_VERSION:
        return is_uint(d, w, 2u, 99u) ? true : bad_value(d, w);
    case H248_V_PROFILE:
        return h248_match_profile_inl(t, w.len) ? true : bad_value(d, w);
    case H248_V_NAME:
        return h248_match_name_inl(t, w.len) ? true : fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_NAME, w.off);
    case H248_V_ENUM:
    case H248_V_MODEM: {
        if (vt != EMSEC_H248_TOK_NONE && tok_in_list(vt, r->enum_first)) {
            if (emsec_h248_token_rows[vt].version > d->version)
                return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_TOKEN_VERSION, w.off);
            n->vtok = vt;
            n->flags |= EMSEC_H248_F_VALUE_TOKEN;
            return true;
        }
        if (r->enum_ext && h248_match_extension_inl(t, w.len))
            return true;
        return bad_value(d, w);
    }
    default:
        return bad_value(d, w);
    }
}

/* ------------------------------------------------------------ bodies */

static bool item(dec *d, unsigned set, uint32_t depth, uint32_t *out, bool top);

/* A brace list of production `set` after its "{": [item *(COMMA item)] "}". */
static bool item_list(dec *d, unsigned set, uint32_t depth, uint32_t ni)
{
    int c = skip_peek(d);
    if (c == PEEK_FAILED)
        return false;
    if (c == '}') {
        if (!h248_sets[set].empty_ok)
            return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_TOKEN, d->pos);
        d->pos++;
        return true;
    }
    /* pos is at an item, after its LWSP (the first one: just skipped) */
    uint32_t last = 0u, count = 1u;
    for (;;) {
        uint32_t ci = 0u;
        if (!item(d, set, depth, &ci, false))
            return false;
        if (last == 0u)
            d->nodes[ni].child = ci;
        else
            d->nodes[last].next = ci;
        last = ci;
        c = skip_peek(d);
        if (c == PEEK_FAILED)
            return false;
        if (c == ',') {
            d->pos++;
            if (++count > EMSEC_H248_MAX_LIST)
                return fail(d, EMSEC_ERR_LIMIT, EMSEC_H248_RULE_LIMIT_LIST, d->pos);
            if (!skip(d))
                return false;
            continue;
        }
        if (c == '}') {
            d->pos++;
            return true;
        }
        if (c < 0)
            return fail_end(d, EMSEC_H248_RULE_RBRKT, d->pos);
        return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_RBRKT, d->pos);
    }
}

/* Local / Remote octetString after "{" (B.2: white space before the SDP is
 * allowed), or a digitMapValue; up to the closing "}". */
static bool raw_body(dec *d, uint32_t ni, bool digitmap)
{
    emsec_h248_rule rule = digitmap ? EMSEC_H248_RULE_DIGITMAP : EMSEC_H248_RULE_OCTETS;
    if (!digitmap)
        while (d->pos < d->len && (d->s[d->pos] == ' ' || d->s[d->pos] == '\t' ||
                                   d->s[d->pos] == '\r' || d->s[d->pos] == '\n'))
            d->pos++;
    bool open = false;
    uint32_t b = d->pos;
    uint32_t e = h248_scan_octets_inl(d->s, b, d->len, &open);
    if (e == d->len)
        return fail_end(d, rule, e);
    if (d->s[e] != '}')
        return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_INPUT, e);
    if (digitmap && !h248_match_digitmap_inl(d->s + b, e - b))
        return fail(d, EMSEC_ERR_SYNTAX, rule, b);
    emsec_h248_node *n = &d->nodes[ni];
    n->body = digitmap ? EMSEC_H248_BODY_DIGITMAP : EMSEC_H248_BODY_OCTETS;
    n->text.off = b;
    n->text.len = e - b;
    if (!digitmap) {
        /* RBRKT = LWSP "}" LWSP: spaces and tabs after the SDP's last line
         * end are the indentation of the "}", not SDP. */
        uint32_t t = e;
        while (t > b && (d->s[t - 1u] == ' ' || d->s[t - 1u] == '\t'))
            t--;
        if (t > b && d->s[t - 1u] == '\n')
            n->text.len = t - b;
    }
    d->pos = e + 1u;
    return true;
}

/* Error descriptor body after "{": [quotedString] "}". */
static bool errtext_body(dec *d, uint32_t ni)
{
    if (!skip(d))
        return false;
    d->nodes[ni].body = EMSEC_H248_BODY_LIST;
    if (peek(d) == '"') {
        uint32_t qi = 0u;
        if (!new_node(d, d->pos, &qi))
            return false;
        emsec_h248_node *q = &d->nodes[qi];
        *q = (emsec_h248_node){ .item = EMSEC_H248_ITEM_QUOTED, .vkind = EMSEC_H248_V_QUOTED };
        if (!quoted(d, &q->value))
            return false;
        d->nodes[ni].child = qi;
    }
    return expect(d, '}', EMSEC_H248_RULE_RBRKT);
}

static bool item_body(dec *d, uint32_t ni, const h248_rule_row *r, uint32_t depth)
{
    int c = skip_peek(d);
    if (c == PEEK_FAILED)
        return false;
    if (c != '{') {
        if (r->btype == H248_B_NONE || r->bopt) {
            if (c < 0 && !d->final && r->btype != H248_B_NONE)
                return fail(d, EMSEC_ERR_INCOMPLETE, EMSEC_H248_RULE_LBRKT, d->pos);
            return true;
        }
        if (c < 0)
            return fail_end(d, EMSEC_H248_RULE_BODY_REQUIRED, d->pos);
        return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_BODY_REQUIRED, d->pos);
    }
    if (r->btype == H248_B_NONE)
        return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_LBRKT, d->pos);
    if (depth + 1u > EMSEC_H248_MAX_DEPTH)
        return fail(d, EMSEC_ERR_LIMIT, EMSEC_H248_RULE_LIMIT_DEPTH, d->pos);
    d->pos++;
    switch ((h248_btype)r->btype) {
    case H248_B_SET:
        d->nodes[ni].body = EMSEC_H248_BODY_LIST;
        return item_list(d, r->bset, depth + 1u, ni);
    case H248_B_OCTETS:
        return raw_body(d, ni, false);
    case H248_B_DIGITMAP:
        return raw_body(d, ni, true);
    case H248_B_ERRTEXT:
        return errtext_body(d, ni);
    case H248_B_EMPTY:
        d->nodes[ni].body = EMSEC_H248_BODY_LIST;
        return expect(d, '}', EMSEC_H248_RULE_RBRKT);
    default:
        return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_LBRKT, d->pos - 1u);
    }
}

/* ------------------------------------------------------------ items */

/* Strip "O-" and "W-" (in that order; B.2 commandRequestList) when what
 * remains is a command of this production; *tok is then its token. */
static uint8_t command_prefix(const dec *d, unsigned set, emsec_span *w, uint16_t *tok)
{
    emsec_span v = *w;
    uint8_t flags = 0u;
    for (int i = 0; i < 2 && v.len > 2u && d->s[v.off + 1u] == '-'; i++) {
        unsigned char c = lower(d->s[v.off]);
        if (c == 'o' && flags == 0u)
            flags |= EMSEC_H248_F_OPTIONAL;
        else if (c == 'w' && !(flags & EMSEC_H248_F_WILDCARD))
            flags |= EMSEC_H248_F_WILDCARD;
        else
            break;
        v.off += 2u;
        v.len -= 2u;
    }
    if (flags == 0u)
        return 0u;
    uint16_t t = tok_of(d, v);
    if (!is_command(t) || h248_row_index[set][t] == 0u)
        return 0u;
    *w = v;
    *tok = t;
    return flags;
}

/* The first byte of w that breaks pkgdName = NAME "/" (NAME / "*"). */
static uint32_t pkgd_break(const dec *d, emsec_span w)
{
    const unsigned char *t = d->s + w.off;
    uint32_t i = 0u;
    for (int part = 0; part < 2; part++) {
        uint32_t b = i;
        if (i < w.len && t[i] == '*')
            i++;
        else
            while (i < w.len && ((t[i] >= '0' && t[i] <= '9') || t[i] == '_' ||
                                 (lower(t[i]) >= 'a' && lower(t[i]) <= 'z')))
                i++;
        if (i == b || i == w.len || part == 1 || t[i] != '/')
            break;
        i++;
    }
    return w.off + (i < w.len ? i : 0u);
}

static bool item(dec *d, unsigned set, uint32_t depth, uint32_t *out, bool top)
{
    uint32_t ni = 0u;
    uint32_t start = d->pos;
    if (!new_node(d, start, &ni))
        return false;
    *out = ni;
    /* the word's token comes with the word; command_prefix() replaces both
     * with what an O-/W- prefix leaves when it strips one */
    emsec_span w = { 0u, 0u };
    uint16_t t = EMSEC_H248_TOK_NONE;
    if (!word_tok(d, &w, &t, EMSEC_H248_RULE_TOKEN))
        return false;
    uint8_t flags = 0u;
    if (w.len > 2u && d->s[w.off + 1u] == '-')
        flags = command_prefix(d, set, &w, &t);
    const h248_rule_row *r = find_row(d, set, t, w);
    if (r == NULL) {
        /* A word with a "/" where a pkgdName may stand is a malformed
         * pkgdName (e.g. the pre-standard "al/of(strict=state)"). */
        bool pkgd_place = h248_row_of(set, EMSEC_H248_ITEM_PKGD) != NULL;
        bool slash = memchr(d->s + w.off, '/', w.len) != NULL;
        if (pkgd_place && slash)
            return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_PKGDNAME, pkgd_break(d, w));
        return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_TOKEN, start);
    }
    if (r->version > d->version)
        return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_TOKEN_VERSION, start);
    emsec_h248_node *n = &d->nodes[ni];
    *n = (emsec_h248_node){ .item = r->item, .flags = flags, .name = w };

    if (r->item == EMSEC_H248_ITEM_ACK) {
        uint32_t dash = 0u;
        while (dash < w.len && d->s[w.off + dash] != '-')
            dash++;
        n->value.off = w.off;
        n->value.len = dash;
        if (dash < w.len) {
            n->value2.off = w.off + dash + 1u;
            n->value2.len = w.len - dash - 1u;
        }
        n->vkind = EMSEC_H248_V_WORD;
    } else if (r->obsevent && h248_match_timestamp_inl(d->s + w.off, w.len)) {
        /* observedEvent = [TimeStamp LWSP COLON] LWSP pkgdName */
        n->stamp = w;
        n->flags |= EMSEC_H248_F_TIMESTAMP;
        if (!expect(d, ':', EMSEC_H248_RULE_PKGDNAME) || !skip(d) ||
            !word(d, &w, EMSEC_H248_RULE_PKGDNAME))
            return false;
        if (!h248_match_pkgdname_inl(d->s + w.off, w.len))
            return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_PKGDNAME, pkgd_break(d, w));
        d->nodes[ni].name = w;
    }
    if (!item_value(d, ni, r, top))
        return false;
    return item_body(d, ni, r, depth);
}

/* ------------------------------------------------------------ message */

static bool header(dec *d)
{
    emsec_h248_msg *m = d->msg;
    emsec_span w = { 0u, 0u };
    uint16_t t = EMSEC_H248_TOK_NONE;
    if (!skip(d) || !word_tok(d, &w, &t, EMSEC_H248_RULE_HEADER))
        return false;
    /* authenticationHeader = AuthToken EQUAL SPI COLON SequenceNum COLON AuthData SEP */
    if (t == EMSEC_H248_TOK_AUTH) {
        if (!expect(d, '=', EMSEC_H248_RULE_AUTH) || !skip(d))
            return false;
        uint32_t b = d->pos;
        emsec_span a = { 0u, 0u };
        for (int i = 0; i < 3; i++) {
            if (!word(d, &a, EMSEC_H248_RULE_AUTH))
                return false;
            if (i == 0)
                m->auth_spi = a;
            else if (i == 1)
                m->auth_seq = a;
            else
                m->auth_data = a;
            if (i < 2) {
                if (peek(d) != ':')
                    return peek(d) < 0 ? fail_end(d, EMSEC_H248_RULE_AUTH, d->pos)
                                       : fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_AUTH, d->pos);
                d->pos++;
            }
        }
        if (!h248_match_auth_inl(d->s + b, d->pos - b))
            return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_AUTH, b);
        m->has_auth = true;
        if (!sep(d, EMSEC_H248_RULE_AUTH) || !word(d, &w, EMSEC_H248_RULE_HEADER))
            return false;
    }
    /* MegacopToken SLASH Version SEP mId SEP; "MEGACO/1" is one SafeChars word */
    const unsigned char *sl = memchr(d->s + w.off, '/', w.len);
    uint32_t slash = (sl != NULL) ? (uint32_t)(sl - (d->s + w.off)) : w.len;
    emsec_span tokspan = { w.off, slash };
    if (tok_of(d, tokspan) != EMSEC_H248_TOK_MEGACOP || slash == w.len)
        return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_HEADER, w.off);
    m->compact_header = (slash == 1u);
    emsec_span v = { w.off + slash + 1u, w.len - slash - 1u };
    m->version_text = v;
    if (!is_uint(d, v, 2u, 99u))
        return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_VERSION, v.off);
    m->version = uint_value(d, v);
    if (m->version < EMSEC_H248_VERSION_MIN || m->version > EMSEC_H248_VERSION_MAX)
        return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_VERSION, v.off);
    d->version = m->version;
    if (!sep(d, EMSEC_H248_RULE_HEADER))
        return false;
    uint8_t kind = 0u;
    if (!mid_value(d, &m->mid, &kind, &m->mid_addr, &m->mid_port))
        return false;
    m->mid_kind = kind;
    return sep(d, EMSEC_H248_RULE_MID);
}

/* The whole message: header, then the message body. */
static bool message(dec *d)
{
    uint32_t root = 0u;
    if (!new_node(d, 0u, &root))
        return false;
    d->nodes[root] = (emsec_h248_node){ .body = EMSEC_H248_BODY_LIST };
    if (!header(d))
        return false;

    /* messageBody = errorDescriptor / transactionList; transactions follow
     * each other with LWSP only (no COMMA) */
    uint32_t last = 0u, count = 0u;
    bool error_body = false;
    for (;;) {
        if (!skip(d))
            return false;
        if (d->pos == d->len) {
            if (count == 0u) {
                (void)fail_end(d, EMSEC_H248_RULE_EMPTY, d->pos);
                return false;
            }
            if (!d->final) {
                (void)fail(d, EMSEC_ERR_INCOMPLETE, EMSEC_H248_RULE_NONE, d->pos);
                return false;
            }
            break;
        }
        if (error_body) { /* nothing may follow a message-level Error */
            (void)fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_TRAILING, d->pos);
            return false;
        }
        if (++count > EMSEC_H248_MAX_LIST) {
            (void)fail(d, EMSEC_ERR_LIMIT, EMSEC_H248_RULE_LIMIT_LIST, d->pos);
            return false;
        }
        uint32_t ci = 0u;
        if (!item(d, H248_SET_MESSAGE, 1u, &ci, true))
            return false;
        if (d->nodes[ci].item == EMSEC_H248_TOK_ERROR) {
            if (count > 1u) {
                (void)fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_TOKEN, d->nodes[ci].name.off);
                return false;
            }
            error_body = true;
        }
        if (last == 0u)
            d->nodes[root].child = ci;
        else
            d->nodes[last].next = ci;
        last = ci;
    }
    return true;
}

emsec_result emsec_h248_decode(emsec_h248_msg *msg, const char *src, uint32_t len, bool final,
                               emsec_h248_node *nodes, uint32_t cap, emsec_h248_error *err)
{
    if (msg == NULL || src == NULL || nodes == NULL || err == NULL || cap == 0u)
        return EMSEC_ERR_ARGUMENT;
    memset(err, 0, sizeof *err);
    memset(msg, 0, sizeof *msg);
    msg->nodes = nodes;
    msg->cap = cap;
    if (len > EMSEC_H248_MAX_MESSAGE) {
        err->result = EMSEC_ERR_LIMIT;
        err->rule = EMSEC_H248_RULE_LIMIT_MESSAGE;
        err->offset = EMSEC_H248_MAX_MESSAGE;
        return EMSEC_ERR_LIMIT;
    }
    dec d = { (const unsigned char *)src, len, 0u, nodes, 0u, cap, 1u, final, msg, err };
    bool ok = message(&d);
    msg->count = d.count;
    return ok ? EMSEC_OK : err->result;
}

