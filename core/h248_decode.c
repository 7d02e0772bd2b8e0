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
 * Incomplete input (final == false): wherever the input ends where more
 * bytes could still make it valid, the result is EMSEC_ERR_INCOMPLETE with
 * the offset of the end; a byte that no continuation could make valid is a
 * syntax error at once, at the same offset it has when the input is whole.
 */
#include <string.h>

#include "emsec/h248.h"
#include "h248_grammar.h"
#include "h248_lex.h"
#include "h248_tokens.h"

typedef struct dec {
    const unsigned char *s;
    uint32_t len;
    uint32_t pos;
    bool final;
    uint32_t version;
    emsec_h248_msg *msg;
    emsec_h248_error *err;
} dec;

/* ------------------------------------------------------------ errors */

static bool fail(dec *d, emsec_result r, emsec_h248_rule rule, uint32_t off)
{
    if (d->err->result == EMSEC_OK) {
        d->err->result = r;
        d->err->rule = rule;
        d->err->offset = off;
    }
    return false;
}

/* The input ended at `off` where `rule` needed more. */
static bool fail_end(dec *d, emsec_h248_rule rule, uint32_t off)
{
    return fail(d, d->final ? EMSEC_ERR_SYNTAX : EMSEC_ERR_INCOMPLETE, rule, off);
}

/* ------------------------------------------------------------ lexing */

/* LWSP: white space, line ends, comments. */
static bool skip(dec *d)
{
    /* most separators are a single byte or none: only run the machine when
     * the next byte can start LWSP */
    if (d->pos < d->len) {
        unsigned char c = d->s[d->pos];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != ';')
            return true;
    }
    bool open = false;
    uint32_t e = h248_scan_lwsp(d->s, d->pos, d->len, &open);
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

/* One SafeChars word at pos (no LWSP skipped). */
static bool word(dec *d, emsec_span *w, emsec_h248_rule rule)
{
    bool open = false;
    uint32_t e = h248_scan_word(d->s, d->pos, d->len, &open);
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

/* quotedString at pos; the span excludes the quotes. */
static bool quoted(dec *d, emsec_span *q)
{
    bool open = false;
    uint32_t e = h248_scan_quoted(d->s, d->pos, d->len, &open);
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

/* Hash look-up over the table spec/h248_tokens_gen.awk lays out: the same
 * hash (h = h * 31 + lower-case byte, modulo 1024), then linear probing. */
uint16_t emsec_h248_token_of(const char *word_text, uint32_t len)
{
    if (word_text == NULL || len == 0u || len > 32u)
        return EMSEC_H248_TOK_NONE;
    /* no token starts with a digit or holds a "/" (numbers, pkgdNames) */
    if (word_text[0] >= '0' && word_text[0] <= '9')
        return EMSEC_H248_TOK_NONE;
    uint32_t h = 0u;
    for (uint32_t i = 0u; i < len; i++) {
        if (word_text[i] == '/')
            return EMSEC_H248_TOK_NONE;
        h = (h * 31u + lower((unsigned char)word_text[i])) & (EMSEC_H248_TOKEN_HASH - 1u);
    }
    for (uint32_t probe = 0u; probe < EMSEC_H248_TOKEN_HASH; probe++) {
        uint16_t slot = emsec_h248_token_hash[h];
        if (slot == 0u || slot > EMSEC_H248_SPELLINGS)
            return EMSEC_H248_TOK_NONE;
        const emsec_h248_spelling *sp = &emsec_h248_spellings[slot - 1u];
        if (sp->len == len) {
            uint32_t i = 0u;
            while (i < len && lower((unsigned char)word_text[i]) == (unsigned char)sp->lower[i])
                i++;
            if (i == len)
                return sp->tok;
        }
        h = (h + 1u) & (EMSEC_H248_TOKEN_HASH - 1u);
    }
    return EMSEC_H248_TOK_NONE;
}

static uint16_t tok_of(const dec *d, emsec_span w)
{
    return emsec_h248_token_of((const char *)d->s + w.off, w.len);
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

static bool new_node(dec *d, uint32_t at, uint32_t *idx)
{
    emsec_h248_msg *m = d->msg;
    if (m->count >= m->cap)
        return fail(d, EMSEC_ERR_LIMIT, EMSEC_H248_RULE_LIMIT_NODES, at);
    *idx = m->count++;
    memset(&m->nodes[*idx], 0, sizeof m->nodes[*idx]);
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
    case EMSEC_H248_ITEM_PKGD: return h248_match_pkgdname(t, w.len) || (r->obsevent && h248_match_timestamp(t, w.len));
    case EMSEC_H248_ITEM_NAME: return h248_match_name(t, w.len);
    case EMSEC_H248_ITEM_EXTENSION: return h248_match_extension(t, w.len);
    case EMSEC_H248_ITEM_TERMID: return w.len <= 64u && h248_match_termid(t, w.len);
    case EMSEC_H248_ITEM_WORD: return h248_match_package_item(t, w.len);
    case EMSEC_H248_ITEM_TIMESTAMP: return h248_match_timestamp(t, w.len);
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

/* The row of production `set` that item word w (token tok) matches. */
static const h248_rule_row *find_row(const dec *d, unsigned set, uint16_t tok, emsec_span w)
{
    const h248_set_row *sr = &h248_sets[set];
    if (tok != EMSEC_H248_TOK_NONE)
        for (uint32_t i = sr->first; i < (uint32_t)sr->first + sr->count; i++)
            if (h248_rules[i].item == tok)
                return &h248_rules[i];
    for (uint32_t i = sr->first; i < (uint32_t)sr->first + sr->count; i++)
        if (h248_rules[i].item >= EMSEC_H248_ITEM_PKGD && generic_fits(d, &h248_rules[i], w))
            return &h248_rules[i];
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
    uint32_t vi;
    if (!skip(d) || !new_node(d, d->pos, &vi))
        return false;
    emsec_h248_node *v = &d->msg->nodes[vi];
    v->item = EMSEC_H248_ITEM_VALUE;
    if (tokens) {
        emsec_span w;
        if (!word(d, &w, EMSEC_H248_RULE_VALUE))
            return false;
        uint16_t t = tok_of(d, w);
        v->value = w;
        v->vkind = EMSEC_H248_V_WORD;
        if (t != EMSEC_H248_TOK_NONE && tok_in_list(t, r->enum_first)) {
            v->vtok = t;
            v->flags = EMSEC_H248_F_VALUE_TOKEN;
        } else if (!(r->enum_ext && h248_match_extension(d->s + w.off, w.len))) {
            return bad_value(d, w);
        }
    } else if (!any_value(d, &v->value, &v->vkind)) {
        return false;
    }
    if (*last == 0u)
        d->msg->nodes[ni].values = vi;
    else
        d->msg->nodes[*last].next = vi;
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
    emsec_h248_node *n = &d->msg->nodes[ni];
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
        uint32_t vi;
        if (!skip(d) || !new_node(d, d->pos, &vi))
            return false;
        emsec_h248_node *v = &d->msg->nodes[vi];
        v->item = EMSEC_H248_ITEM_VALUE;
        if (!any_value(d, &v->value, &v->vkind) || !skip(d))
            return false;
        n = &d->msg->nodes[ni];
        if (peek(d) == ':') {
            d->pos++;
            n->vkind = EMSEC_H248_V_RANGE;
            n->value = v->value;
            d->msg->count--; /* the range keeps its bounds in value/value2 */
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
    uint32_t e = h248_scan_mid(d->s, d->pos, d->len, &open);
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
        uint32_t close = b + 1u;
        unsigned char want = (t[b] == '[') ? ']' : '>';
        bool colon = false;
        while (close < e && t[close] != want) {
            if (t[close] == ':')
                colon = true;
            close++;
        }
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
    if (!skip(d))
        return false;
    int c = peek(d);
    emsec_h248_node *n = &d->msg->nodes[ni];

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
    if (!skip(d))
        return false;
    n->op = EMSEC_H248_OP_EQ;
    c = peek(d);

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

    /* every other value is one SafeChars word */
    emsec_span w;
    if (!word(d, &w, EMSEC_H248_RULE_VALUE))
        return false;
    n = &d->msg->nodes[ni];
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
        if (w.len > 64u || !h248_match_termid(t, w.len))
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
        return h248_match_profile(t, w.len) ? true : bad_value(d, w);
    case H248_V_NAME:
        return h248_match_name(t, w.len) ? true : fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_NAME, w.off);
    case H248_V_ENUM:
    case H248_V_MODEM: {
        uint16_t vt = tok_of(d, w);
        if (vt != EMSEC_H248_TOK_NONE && tok_in_list(vt, r->enum_first)) {
            if (emsec_h248_token_rows[vt].version > d->version)
                return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_TOKEN_VERSION, w.off);
            n->vtok = vt;
            n->flags |= EMSEC_H248_F_VALUE_TOKEN;
            return true;
        }
        if (r->enum_ext && h248_match_extension(t, w.len))
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
    if (!skip(d))
        return false;
    if (peek(d) == '}') {
        if (!h248_sets[set].empty_ok)
            return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_TOKEN, d->pos);
        d->pos++;
        return true;
    }
    uint32_t last = 0u, count = 0u;
    for (;;) {
        uint32_t ci;
        if (++count > EMSEC_H248_MAX_LIST)
            return fail(d, EMSEC_ERR_LIMIT, EMSEC_H248_RULE_LIMIT_LIST, d->pos);
        if (!skip(d) || !item(d, set, depth, &ci, false))
            return false;
        if (last == 0u)
            d->msg->nodes[ni].child = ci;
        else
            d->msg->nodes[last].next = ci;
        last = ci;
        if (!skip(d))
            return false;
        int c = peek(d);
        if (c == ',') {
            d->pos++;
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
    uint32_t e = h248_scan_octets(d->s, b, d->len, &open);
    if (e == d->len)
        return fail_end(d, rule, e);
    if (d->s[e] != '}')
        return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_INPUT, e);
    if (digitmap && !h248_match_digitmap(d->s + b, e - b))
        return fail(d, EMSEC_ERR_SYNTAX, rule, b);
    emsec_h248_node *n = &d->msg->nodes[ni];
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
    d->msg->nodes[ni].body = EMSEC_H248_BODY_LIST;
    if (peek(d) == '"') {
        uint32_t qi;
        if (!new_node(d, d->pos, &qi))
            return false;
        emsec_h248_node *q = &d->msg->nodes[qi];
        q->item = EMSEC_H248_ITEM_QUOTED;
        q->vkind = EMSEC_H248_V_QUOTED;
        if (!quoted(d, &q->value))
            return false;
        d->msg->nodes[ni].child = qi;
    }
    return expect(d, '}', EMSEC_H248_RULE_RBRKT);
}

static bool item_body(dec *d, uint32_t ni, const h248_rule_row *r, uint32_t depth)
{
    if (!skip(d))
        return false;
    int c = peek(d);
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
        d->msg->nodes[ni].body = EMSEC_H248_BODY_LIST;
        return item_list(d, r->bset, depth + 1u, ni);
    case H248_B_OCTETS:
        return raw_body(d, ni, false);
    case H248_B_DIGITMAP:
        return raw_body(d, ni, true);
    case H248_B_ERRTEXT:
        return errtext_body(d, ni);
    case H248_B_EMPTY:
        d->msg->nodes[ni].body = EMSEC_H248_BODY_LIST;
        return expect(d, '}', EMSEC_H248_RULE_RBRKT);
    default:
        return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_LBRKT, d->pos - 1u);
    }
}

/* ------------------------------------------------------------ items */

/* Strip "O-" and "W-" (in that order; B.2 commandRequestList) when what
 * remains is a command of this production. */
static uint8_t command_prefix(const dec *d, unsigned set, emsec_span *w)
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
    if (!is_command(t) || h248_row_of(set, t) == NULL)
        return 0u;
    *w = v;
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
    uint32_t ni;
    uint32_t start = d->pos;
    if (!new_node(d, start, &ni))
        return false;
    *out = ni;
    emsec_span w;
    if (!word(d, &w, EMSEC_H248_RULE_TOKEN))
        return false;
    uint8_t flags = command_prefix(d, set, &w);
    uint16_t t = tok_of(d, w);
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
    emsec_h248_node *n = &d->msg->nodes[ni];
    n->item = r->item;
    n->name = w;
    n->flags = flags;

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
    } else if (r->obsevent && h248_match_timestamp(d->s + w.off, w.len)) {
        /* observedEvent = [TimeStamp LWSP COLON] LWSP pkgdName */
        n->stamp = w;
        n->flags |= EMSEC_H248_F_TIMESTAMP;
        if (!expect(d, ':', EMSEC_H248_RULE_PKGDNAME) || !skip(d) ||
            !word(d, &w, EMSEC_H248_RULE_PKGDNAME))
            return false;
        if (!h248_match_pkgdname(d->s + w.off, w.len))
            return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_PKGDNAME, pkgd_break(d, w));
        d->msg->nodes[ni].name = w;
    }
    if (!item_value(d, ni, r, top))
        return false;
    return item_body(d, ni, r, depth);
}

/* ------------------------------------------------------------ message */

static bool header(dec *d)
{
    emsec_h248_msg *m = d->msg;
    emsec_span w;
    if (!skip(d) || !word(d, &w, EMSEC_H248_RULE_HEADER))
        return false;
    /* authenticationHeader = AuthToken EQUAL SPI COLON SequenceNum COLON AuthData SEP */
    if (tok_of(d, w) == EMSEC_H248_TOK_AUTH) {
        if (!expect(d, '=', EMSEC_H248_RULE_AUTH) || !skip(d))
            return false;
        uint32_t b = d->pos;
        emsec_span a;
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
        if (!h248_match_auth(d->s + b, d->pos - b))
            return fail(d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_AUTH, b);
        m->has_auth = true;
        if (!sep(d, EMSEC_H248_RULE_AUTH) || !word(d, &w, EMSEC_H248_RULE_HEADER))
            return false;
    }
    /* MegacopToken SLASH Version SEP mId SEP; "MEGACO/1" is one SafeChars word */
    uint32_t slash = 0u;
    while (slash < w.len && d->s[w.off + slash] != '/')
        slash++;
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
    dec d = { (const unsigned char *)src, len, 0u, final, 1u, msg, err };
    uint32_t root;
    if (!new_node(&d, 0u, &root) || !header(&d))
        return err->result;
    nodes[root].body = EMSEC_H248_BODY_LIST;

    /* messageBody = errorDescriptor / transactionList; transactions follow
     * each other with LWSP only (no COMMA) */
    uint32_t last = 0u, count = 0u;
    bool error_body = false;
    for (;;) {
        if (!skip(&d))
            return err->result;
        if (d.pos == len) {
            if (count == 0u) {
                (void)fail_end(&d, EMSEC_H248_RULE_EMPTY, d.pos);
                return err->result;
            }
            if (!final) {
                (void)fail(&d, EMSEC_ERR_INCOMPLETE, EMSEC_H248_RULE_NONE, d.pos);
                return err->result;
            }
            break;
        }
        if (error_body) { /* nothing may follow a message-level Error */
            (void)fail(&d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_TRAILING, d.pos);
            return err->result;
        }
        if (++count > EMSEC_H248_MAX_LIST) {
            (void)fail(&d, EMSEC_ERR_LIMIT, EMSEC_H248_RULE_LIMIT_LIST, d.pos);
            return err->result;
        }
        uint32_t ci;
        if (!item(&d, H248_SET_MESSAGE, 1u, &ci, true))
            return err->result;
        if (nodes[ci].item == EMSEC_H248_TOK_ERROR) {
            if (count > 1u) {
                (void)fail(&d, EMSEC_ERR_SYNTAX, EMSEC_H248_RULE_TOKEN, nodes[ci].name.off);
                return err->result;
            }
            error_body = true;
        }
        if (last == 0u)
            nodes[root].child = ci;
        else
            nodes[last].next = ci;
        last = ci;
    }
    return EMSEC_OK;
}
