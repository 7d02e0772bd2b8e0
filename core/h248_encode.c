/*
 * core/h248_encode.c: decoded H.248 tree -> Annex B text, compact or pretty;
 * structural equality of two trees; the error reply for a failed decode.
 *
 * The encoder writes tokens from spec/h248_tokens.tbl in the chosen form and
 * every other word exactly as it was read (spans into the source). It walks
 * the tree with the production each node sits in, so that the grammar row of
 * every item is known: that is how a requested header version is checked
 * (a row or token newer than the version is EMSEC_ERR_REFUSED).
 */
#include <string.h>

#include "emsec/h248.h"
#include "h248_grammar.h"
#include "h248_lex.h"
#include "h248_tokens.h"

typedef struct out {
    char *buf;
    uint32_t cap;
    uint32_t len;
    bool full;
} out;

static void put(out *o, const char *t, uint32_t n)
{
    if (o->full || n > o->cap - o->len) {
        o->full = true;
        return;
    }
    memcpy(o->buf + o->len, t, n);
    o->len += n;
}

static void puts_(out *o, const char *t)
{
    put(o, t, (uint32_t)strlen(t));
}

static void put_span(out *o, const char *src, emsec_span s)
{
    put(o, src + s.off, s.len);
}

static void indent(out *o, uint32_t depth)
{
    for (uint32_t i = 0u; i < depth; i++)
        puts_(o, "    ");
}

static void put_uint(out *o, uint32_t v)
{
    char t[11];
    uint32_t i = sizeof t;
    do {
        t[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0u && i > 0u);
    put(o, t + i, (uint32_t)sizeof t - i);
}

typedef struct enc {
    const emsec_h248_msg *m;
    const char *src;
    bool compact;
    uint32_t version;
    bool refused;
    out o;
} enc;

static void tok(enc *e, uint16_t t)
{
    if (t < EMSEC_H248_TOK_COUNT && emsec_h248_token_rows[t].version > e->version)
        e->refused = true;
    puts_(&e->o, emsec_h248_token_name(t, e->compact));
}

static void value_text(enc *e, const emsec_h248_node *v)
{
    if (v->flags & EMSEC_H248_F_VALUE_TOKEN) {
        tok(e, v->vtok);
    } else if (v->vkind == EMSEC_H248_V_QUOTED) {
        puts_(&e->o, "\"");
        put_span(&e->o, e->src, v->value);
        puts_(&e->o, "\"");
    } else {
        put_span(&e->o, e->src, v->value);
    }
}

static void value_list(enc *e, uint32_t first, const char *open, const char *close)
{
    puts_(&e->o, open);
    uint32_t guard = 0u;
    for (uint32_t i = first; i != 0u && i < e->m->count && guard < EMSEC_H248_MAX_LIST; i = e->m->nodes[i].next, guard++) {
        if (i != first)
            puts_(&e->o, e->compact ? "," : ", ");
        value_text(e, &e->m->nodes[i]);
    }
    puts_(&e->o, close);
}

static void item(enc *e, uint32_t ni, unsigned set, uint32_t depth);

static void item_value(enc *e, const emsec_h248_node *n)
{
    static const char *const ops[] = { "", "=", "#", ">", "<" };
    if (n->op == EMSEC_H248_OP_NONE && n->vkind == EMSEC_H248_V_SUBLIST) { /* Modem [..] */
        puts_(&e->o, e->compact ? "" : " ");
        value_list(e, n->values, "[", "]");
        return;
    }
    if (n->op == EMSEC_H248_OP_NONE || n->op > EMSEC_H248_OP_LT)
        return;
    if (!e->compact)
        puts_(&e->o, " ");
    puts_(&e->o, ops[n->op]);
    if (!e->compact)
        puts_(&e->o, " ");
    switch (n->vkind) {
    case EMSEC_H248_V_SUBLIST:
        value_list(e, n->values, "[", "]");
        break;
    case EMSEC_H248_V_ALTLIST:
        value_list(e, n->values, "{", "}");
        break;
    case EMSEC_H248_V_RANGE:
        puts_(&e->o, "[");
        put_span(&e->o, e->src, n->value);
        puts_(&e->o, ":");
        put_span(&e->o, e->src, n->value2);
        puts_(&e->o, "]");
        break;
    case EMSEC_H248_V_NONE:
        break;
    default:
        value_text(e, n);
        if ((n->item == EMSEC_H248_TOK_REPLY || n->item == EMSEC_H248_TOK_MESSAGESEGMENT) &&
            n->value2.len > 0u) {
            if (e->version < 3u)
                e->refused = true;
            puts_(&e->o, "/");
            put_span(&e->o, e->src, n->value2);
            if (n->text.len > 0u) {
                puts_(&e->o, "/");
                tok(e, EMSEC_H248_TOK_SEGMENTATIONCOMPLETE);
            }
        }
        break;
    }
}

static void body(enc *e, const emsec_h248_node *n, const h248_rule_row *r, uint32_t depth)
{
    switch (n->body) {
    case EMSEC_H248_BODY_LIST: {
        unsigned sub = (r != NULL && r->btype == H248_B_SET) ? r->bset : H248_SET_COUNT;
        puts_(&e->o, e->compact ? "{" : " {");
        if (n->child == 0u) {
            puts_(&e->o, "}");
            return;
        }
        uint32_t guard = 0u;
        for (uint32_t c = n->child; c != 0u && c < e->m->count && guard < EMSEC_H248_MAX_LIST; c = e->m->nodes[c].next, guard++) {
            if (c != n->child)
                puts_(&e->o, ",");
            if (!e->compact)
                puts_(&e->o, "\n");
            item(e, c, sub, depth + 1u);
        }
        if (!e->compact) {
            puts_(&e->o, "\n");
            indent(&e->o, depth);
        }
        puts_(&e->o, "}");
        return;
    }
    case EMSEC_H248_BODY_OCTETS:
        puts_(&e->o, e->compact ? "{" : " {\n");
        put_span(&e->o, e->src, n->text);
        puts_(&e->o, "}");
        return;
    case EMSEC_H248_BODY_DIGITMAP:
        puts_(&e->o, e->compact ? "{" : " {");
        put_span(&e->o, e->src, n->text);
        puts_(&e->o, "}");
        return;
    default:
        return;
    }
}

static void item(enc *e, uint32_t ni, unsigned set, uint32_t depth)
{
    const emsec_h248_node *n = &e->m->nodes[ni];
    const h248_rule_row *r = (set < H248_SET_COUNT) ? h248_row_of(set, n->item) : NULL;
    if (r == NULL && n->item != EMSEC_H248_ITEM_QUOTED)
        e->refused = true; /* a node the grammar does not place here */
    else if (r != NULL && r->version > e->version)
        e->refused = true;
    if (!e->compact)
        indent(&e->o, depth);
    if (depth > EMSEC_H248_MAX_DEPTH + 1u) {
        e->refused = true;
        return;
    }
    if (n->flags & EMSEC_H248_F_OPTIONAL)
        puts_(&e->o, "O-");
    if (n->flags & EMSEC_H248_F_WILDCARD)
        puts_(&e->o, "W-");
    if (n->flags & EMSEC_H248_F_TIMESTAMP) {
        put_span(&e->o, e->src, n->stamp);
        puts_(&e->o, ":");
    }
    if (n->item == EMSEC_H248_ITEM_QUOTED) {
        value_text(e, n);
        return;
    }
    if (n->item == EMSEC_H248_ITEM_ACK) {
        put_span(&e->o, e->src, n->value);
        if (n->value2.len > 0u) {
            puts_(&e->o, "-");
            put_span(&e->o, e->src, n->value2);
        }
        return;
    }
    if (n->item < EMSEC_H248_TOK_COUNT)
        tok(e, n->item);
    else
        put_span(&e->o, e->src, n->name);
    item_value(e, n);
    body(e, n, r, depth);
}

emsec_result emsec_h248_encode(const emsec_h248_msg *msg, const char *src, emsec_h248_style style,
                               uint32_t version, char *outbuf, uint32_t cap, uint32_t *out_len)
{
    if (msg == NULL || src == NULL || outbuf == NULL || out_len == NULL || msg->nodes == NULL ||
        msg->count == 0u || msg->count > msg->cap ||
        (style != EMSEC_H248_COMPACT && style != EMSEC_H248_PRETTY) || version > EMSEC_H248_VERSION_MAX)
        return EMSEC_ERR_ARGUMENT;
    enc e = { msg, src, style == EMSEC_H248_COMPACT, version != 0u ? version : msg->version, false,
              { outbuf, cap, 0u, false } };
    *out_len = 0u;
    if (msg->has_auth) {
        tok(&e, EMSEC_H248_TOK_AUTH);
        puts_(&e.o, e.compact ? "=" : " = ");
        put_span(&e.o, src, msg->auth_spi);
        puts_(&e.o, ":");
        put_span(&e.o, src, msg->auth_seq);
        puts_(&e.o, ":");
        put_span(&e.o, src, msg->auth_data);
        puts_(&e.o, "\n");
    }
    tok(&e, EMSEC_H248_TOK_MEGACOP);
    puts_(&e.o, "/");
    put_uint(&e.o, e.version);
    puts_(&e.o, " ");
    put_span(&e.o, src, msg->mid);
    puts_(&e.o, "\n");
    uint32_t guard = 0u;
    for (uint32_t c = msg->nodes[0].child; c != 0u && c < msg->count && guard < EMSEC_H248_MAX_LIST;
         c = msg->nodes[c].next, guard++) {
        item(&e, c, H248_SET_MESSAGE, 0u);
        puts_(&e.o, "\n");
    }
    if (e.refused)
        return EMSEC_ERR_REFUSED;
    if (e.o.full)
        return EMSEC_ERR_NO_SPACE;
    *out_len = e.o.len;
    return EMSEC_OK;
}

/* ------------------------------------------------------------ equality */

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32u) : c;
}

static bool eq_ci(const char *a, emsec_span x, const char *b, emsec_span y)
{
    if (x.len != y.len)
        return false;
    for (uint32_t i = 0u; i < x.len; i++)
        if (lower((unsigned char)a[x.off + i]) != lower((unsigned char)b[y.off + i]))
            return false;
    return true;
}

static bool eq_exact(const char *a, emsec_span x, const char *b, emsec_span y)
{
    return x.len == y.len && memcmp(a + x.off, b + y.off, x.len) == 0;
}

typedef struct cmp {
    const emsec_h248_msg *a, *b;
    const char *as, *bs;
} cmp;

static bool node_eq(const cmp *c, uint32_t ai, uint32_t bi, uint32_t depth);

static bool chain_eq(const cmp *c, uint32_t ai, uint32_t bi, uint32_t depth)
{
    uint32_t guard = 0u;
    while (ai != 0u && bi != 0u) {
        if (ai >= c->a->count || bi >= c->b->count || ++guard > EMSEC_H248_MAX_LIST)
            return false;
        if (!node_eq(c, ai, bi, depth))
            return false;
        ai = c->a->nodes[ai].next;
        bi = c->b->nodes[bi].next;
    }
    return ai == 0u && bi == 0u;
}

static bool node_eq(const cmp *c, uint32_t ai, uint32_t bi, uint32_t depth)
{
    const emsec_h248_node *x = &c->a->nodes[ai], *y = &c->b->nodes[bi];
    if (depth > EMSEC_H248_MAX_DEPTH + 2u)
        return false;
    if (x->item != y->item || x->op != y->op || x->vkind != y->vkind || x->body != y->body ||
        x->flags != y->flags)
        return false;
    if (x->item >= EMSEC_H248_ITEM_PKGD && !eq_ci(c->as, x->name, c->bs, y->name))
        return false;
    if (x->flags & EMSEC_H248_F_VALUE_TOKEN) {
        if (x->vtok != y->vtok)
            return false;
    } else if (x->vkind == EMSEC_H248_V_QUOTED) {
        if (!eq_exact(c->as, x->value, c->bs, y->value))
            return false;
    } else if (!eq_ci(c->as, x->value, c->bs, y->value)) {
        return false;
    }
    if (!eq_ci(c->as, x->value2, c->bs, y->value2) || !eq_ci(c->as, x->stamp, c->bs, y->stamp))
        return false;
    if (x->body == EMSEC_H248_BODY_OCTETS || x->body == EMSEC_H248_BODY_DIGITMAP) {
        if (!eq_exact(c->as, x->text, c->bs, y->text))
            return false;
    } else if ((x->text.len > 0u) != (y->text.len > 0u)) { /* segment END mark */
        return false;
    }
    return chain_eq(c, x->values, y->values, depth + 1u) && chain_eq(c, x->child, y->child, depth + 1u);
}

bool emsec_h248_equal(const emsec_h248_msg *a, const char *asrc, const emsec_h248_msg *b, const char *bsrc)
{
    if (a == NULL || b == NULL || asrc == NULL || bsrc == NULL || a->count == 0u || b->count == 0u)
        return false;
    if (a->version != b->version || a->mid_kind != b->mid_kind || !eq_ci(asrc, a->mid, bsrc, b->mid) ||
        a->has_auth != b->has_auth)
        return false;
    if (a->has_auth && (!eq_ci(asrc, a->auth_spi, bsrc, b->auth_spi) ||
                        !eq_ci(asrc, a->auth_seq, bsrc, b->auth_seq) ||
                        !eq_ci(asrc, a->auth_data, bsrc, b->auth_data)))
        return false;
    cmp c = { a, b, asrc, bsrc };
    return node_eq(&c, 0u, 0u, 0u);
}

/* ------------------------------------------------------------ names */

static const char *const rule_names[EMSEC_H248_RULE_COUNT_] = {
    [EMSEC_H248_RULE_NONE] = "none",
    [EMSEC_H248_RULE_INPUT] = "input",
    [EMSEC_H248_RULE_COMMENT] = "comment",
    [EMSEC_H248_RULE_HEADER] = "header",
    [EMSEC_H248_RULE_VERSION] = "version",
    [EMSEC_H248_RULE_MID] = "mId",
    [EMSEC_H248_RULE_AUTH] = "authenticationHeader",
    [EMSEC_H248_RULE_TOKEN] = "item-not-allowed-here",
    [EMSEC_H248_RULE_TOKEN_VERSION] = "item-newer-than-version",
    [EMSEC_H248_RULE_VALUE] = "value",
    [EMSEC_H248_RULE_EQUAL] = "EQUAL",
    [EMSEC_H248_RULE_LBRKT] = "LBRKT",
    [EMSEC_H248_RULE_RBRKT] = "RBRKT-or-COMMA",
    [EMSEC_H248_RULE_BODY_REQUIRED] = "body-required",
    [EMSEC_H248_RULE_QUOTED] = "quotedString",
    [EMSEC_H248_RULE_OCTETS] = "octetString",
    [EMSEC_H248_RULE_DIGITMAP] = "digitMapValue",
    [EMSEC_H248_RULE_PKGDNAME] = "pkgdName",
    [EMSEC_H248_RULE_NAME] = "NAME",
    [EMSEC_H248_RULE_TERMID] = "TerminationID",
    [EMSEC_H248_RULE_TRAILING] = "trailing-bytes",
    [EMSEC_H248_RULE_EMPTY] = "no-transaction",
    [EMSEC_H248_RULE_LIMIT_MESSAGE] = "limit-message-bytes",
    [EMSEC_H248_RULE_LIMIT_DEPTH] = "limit-depth",
    [EMSEC_H248_RULE_LIMIT_LIST] = "limit-list-items",
    [EMSEC_H248_RULE_LIMIT_TOKEN] = "limit-token-bytes",
    [EMSEC_H248_RULE_LIMIT_NODES] = "limit-nodes",
};

const char *emsec_h248_rule_name(emsec_h248_rule rule)
{
    if ((unsigned)rule >= EMSEC_H248_RULE_COUNT_ || rule_names[rule] == NULL)
        return "?";
    return rule_names[rule];
}

/* ------------------------------------------------------------ error reply */

emsec_result emsec_h248_error_reply(const emsec_h248_error *err, const char *mid, uint32_t version,
                                    char *outbuf, uint32_t cap, uint32_t *out_len)
{
    if (err == NULL || mid == NULL || outbuf == NULL || out_len == NULL || err->result == EMSEC_OK ||
        version < EMSEC_H248_VERSION_MIN || version > EMSEC_H248_VERSION_MAX)
        return EMSEC_ERR_ARGUMENT;
    size_t ml = strnlen(mid, 256u);
    bool open = false;
    if (ml == 0u || ml >= 256u ||
        h248_scan_mid((const unsigned char *)mid, 0u, (uint32_t)ml, &open) != (uint32_t)ml)
        return EMSEC_ERR_ARGUMENT;
    out o = { outbuf, cap, 0u, false };
    *out_len = 0u;
    puts_(&o, "MEGACO/");
    put_uint(&o, version);
    puts_(&o, " ");
    put(&o, mid, (uint32_t)ml);
    puts_(&o, "\n");
    /* H.248.1 §8.2.2: a transaction that cannot be decoded is answered with
     * a Reply carrying an Error descriptor when its TransactionID is known;
     * else the whole message gets an Error descriptor (messageBody). */
    if (err->has_transaction_id) {
        puts_(&o, "Reply = ");
        put_uint(&o, err->transaction_id);
        puts_(&o, " {\n    ");
    }
    /* H.248.8 400: Syntax error in message */
    puts_(&o, "Error = 400 {\"Syntax error in message: ");
    puts_(&o, emsec_result_name(err->result));
    puts_(&o, " in ");
    puts_(&o, emsec_h248_rule_name(err->rule));
    puts_(&o, " at byte ");
    put_uint(&o, err->offset);
    puts_(&o, "\"}");
    if (err->has_transaction_id)
        puts_(&o, "\n}");
    puts_(&o, "\n");
    if (o.full)
        return EMSEC_ERR_NO_SPACE;
    *out_len = o.len;
    return EMSEC_OK;
}
