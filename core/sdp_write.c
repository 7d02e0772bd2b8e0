/*
 * emsec: SDP writer (include/emsec/sdp_write.h).
 *
 * One pass over the parsed form: section by section, its lines (lines[],
 * in input order) then its a= lines (attrs[], in input order). Both arrays
 * are in section order in a parsed form; a merge over them checks that and
 * writes RFC 8866 §9 order. Every byte goes through sw_put(), the only
 * function that stores into `out`, and it stores only below `cap`; past it
 * the writer keeps counting so that NO_SPACE can report the size needed.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "emsec/sdp.h"
#include "emsec/sdp_write.h"

#define SW_GUARD(expr)                                                                         \
    do {                                                                                       \
        emsec_result sw_r_ = (expr);                                                           \
        if (sw_r_ != EMSEC_OK) {                                                               \
            return sw_r_;                                                                      \
        }                                                                                      \
    } while (0)

#define SW_ENSURE(cond)                                                                        \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            return EMSEC_ERR_ARGUMENT;                                                         \
        }                                                                                      \
    } while (0)

typedef struct sw_out {
    uint8_t *out;
    uint32_t cap;
    uint32_t pos;      /* bytes the output needs so far (saturates) */
    bool overflow;     /* pos would have passed UINT32_MAX */
    const uint8_t *src;
    uint32_t src_len;
} sw_out;

/* Append n bytes; stores only the part below cap. */
static void sw_put(sw_out *w, const uint8_t *b, uint32_t n)
{
    if (w->overflow) {
        return;
    }
    if (n > UINT32_MAX - w->pos) {
        w->overflow = true;
        w->pos = UINT32_MAX;
        return;
    }
    if (w->pos < w->cap) {
        uint32_t room = w->cap - w->pos;
        uint32_t k = n < room ? n : room;
        if (k > 0) {
            memcpy(w->out + w->pos, b, k);
        }
    }
    w->pos += n;
}

static void sw_char(sw_out *w, char c)
{
    uint8_t b = (uint8_t)c;
    sw_put(w, &b, 1);
}

static bool sw_span_ok(const sw_out *w, emsec_span s)
{
    return s.off <= w->src_len && s.len <= w->src_len - s.off;
}

/* Append the bytes of span s of src (checked to lie inside src). */
static emsec_result sw_span(sw_out *w, emsec_span s)
{
    SW_ENSURE(sw_span_ok(w, s));
    if (s.len > 0) {
        sw_put(w, w->src + s.off, s.len);
    }
    return EMSEC_OK;
}

/* A field H.248 may leave open: `$`, `-`, or its span. */
static emsec_result sw_choice(sw_out *w, uint8_t choice, emsec_span s)
{
    switch (choice) {
    case EMSEC_SDP_VALUE:
        return sw_span(w, s);
    case EMSEC_SDP_CHOOSE:
        sw_char(w, '$');
        return EMSEC_OK;
    case EMSEC_SDP_UNSPECIFIED:
        sw_char(w, '-');
        return EMSEC_OK;
    default:
        return EMSEC_ERR_ARGUMENT;
    }
}

static void sw_line_start(sw_out *w, uint8_t type)
{
    uint8_t b[2] = { type, (uint8_t)'=' };
    sw_put(w, b, 2);
}

static void sw_crlf(sw_out *w)
{
    sw_put(w, (const uint8_t *)"\r\n", 2);
}

static emsec_result sw_origin(sw_out *w, const emsec_sdp_origin *o)
{
    SW_GUARD(sw_span(w, o->username));
    sw_char(w, ' ');
    SW_GUARD(sw_span(w, o->sess_id));
    sw_char(w, ' ');
    SW_GUARD(sw_span(w, o->sess_version));
    sw_char(w, ' ');
    SW_GUARD(sw_span(w, o->nettype));
    sw_char(w, ' ');
    SW_GUARD(sw_span(w, o->addrtype));
    sw_char(w, ' ');
    return sw_choice(w, o->address_choice, o->address);
}

static emsec_result sw_conn(sw_out *w, const emsec_sdp_conn *c)
{
    SW_GUARD(sw_span(w, c->nettype));
    sw_char(w, ' ');
    SW_GUARD(sw_span(w, c->addrtype));
    sw_char(w, ' ');
    return sw_choice(w, c->address_choice, c->address);
}

static emsec_result sw_media(sw_out *w, const emsec_sdp_media *m)
{
    SW_GUARD(sw_span(w, m->media));
    sw_char(w, ' ');
    SW_GUARD(sw_choice(w, m->port_choice, m->port));
    if (m->port_count.len > 0) {
        sw_char(w, '/');
        SW_GUARD(sw_span(w, m->port_count));
    }
    sw_char(w, ' ');
    SW_GUARD(sw_span(w, m->proto_span));
    sw_char(w, ' ');
    return sw_span(w, m->fmts);
}

/* The value of a non-a= line. `first_c` is true for the first c= of the
 * line's section, written from the typed connection. */
static emsec_result sw_line(sw_out *w, const emsec_sdp *sdp, const emsec_sdp_line *ln,
                            bool first_c)
{
    sw_line_start(w, ln->type);
    if (ln->type == 'o' && sdp->origin.present) {
        SW_GUARD(sw_origin(w, &sdp->origin));
    } else if (ln->type == 'c' && first_c) {
        const emsec_sdp_conn *c =
            ln->section == 0 ? &sdp->conn : &sdp->media[ln->section - 1u].conn;
        SW_ENSURE(c->present);
        SW_GUARD(sw_conn(w, c));
    } else if (ln->type == 'm') {
        SW_GUARD(sw_media(w, &sdp->media[ln->section - 1u]));
    } else {
        SW_GUARD(sw_span(w, ln->value));
    }
    sw_crlf(w);
    return EMSEC_OK;
}

static emsec_result sw_attr(sw_out *w, const emsec_sdp_attr *a)
{
    sw_line_start(w, (uint8_t)'a');
    SW_GUARD(sw_span(w, a->name));
    if (a->has_value) {
        sw_char(w, ':');
        SW_GUARD(sw_span(w, a->value));
    } else {
        SW_ENSURE(a->value.len == 0);
    }
    sw_crlf(w);
    return EMSEC_OK;
}

static bool sw_line_type_ok(uint8_t t)
{
    switch (t) {
    case 'v': case 'o': case 's': case 'i': case 'u': case 'e': case 'p':
    case 'c': case 'b': case 't': case 'r': case 'z': case 'k': case 'm':
        return true;
    default:
        return false;
    }
}

/* FULL mode has no `$` / `-` values and needs o=, s=, t=. */
static emsec_result sw_check_full(const emsec_sdp *sdp)
{
    SW_ENSURE(sdp->origin.present && sdp->has_session_name && sdp->has_time);
    SW_ENSURE(sdp->origin.address_choice == EMSEC_SDP_VALUE);
    SW_ENSURE(!sdp->conn.present || sdp->conn.address_choice == EMSEC_SDP_VALUE);
    for (uint32_t i = 0; i < sdp->media_count; i++) {
        const emsec_sdp_media *m = &sdp->media[i];
        SW_ENSURE(m->port_choice == EMSEC_SDP_VALUE);
        SW_ENSURE(!m->conn.present || m->conn.address_choice == EMSEC_SDP_VALUE);
    }
    for (uint32_t i = 0; i < sdp->attr_count; i++) {
        SW_ENSURE(sdp->attrs[i].choice == EMSEC_SDP_VALUE);
    }
    return EMSEC_OK;
}

static emsec_result sw_check(const emsec_sdp *sdp, emsec_sdp_mode mode)
{
    SW_ENSURE(mode == EMSEC_SDP_MODE_FULL || mode == EMSEC_SDP_MODE_H248);
    SW_ENSURE(sdp->line_count <= EMSEC_SDP_MAX_LINES);
    SW_ENSURE(sdp->media_count <= EMSEC_SDP_MAX_MEDIA);
    SW_ENSURE(sdp->attr_count <= EMSEC_SDP_MAX_ATTRS);
    SW_ENSURE(sdp->line_count > 0 && sdp->lines[0].type == 'v' && sdp->lines[0].section == 0);
    if (mode == EMSEC_SDP_MODE_FULL) {
        SW_GUARD(sw_check_full(sdp));
    }
    return EMSEC_OK;
}

/* Lines of section s, from lines[*li] on; the m= line opens a media one. */
static emsec_result sw_section_lines(sw_out *w, const emsec_sdp *sdp, uint32_t s, uint32_t *li)
{
    bool seen_c = false;
    bool first = true;
    if (s > 0) {
        SW_ENSURE(*li < sdp->line_count);
        SW_ENSURE(sdp->lines[*li].type == 'm' && sdp->lines[*li].section == s);
    }
    while (*li < sdp->line_count && sdp->lines[*li].section == s) {
        const emsec_sdp_line *ln = &sdp->lines[*li];
        SW_ENSURE(sw_line_type_ok(ln->type));
        /* an m= line only opens a media section; v= only the description */
        SW_ENSURE(ln->type != 'm' || (s > 0 && first));
        SW_ENSURE(ln->type != 'v' || *li == 0);
        SW_GUARD(sw_line(w, sdp, ln, ln->type == 'c' && !seen_c));
        if (ln->type == 'c') {
            seen_c = true;
        }
        first = false;
        (*li)++;
    }
    return EMSEC_OK;
}

static emsec_result sw_section_attrs(sw_out *w, const emsec_sdp *sdp, uint32_t s, uint32_t *ai)
{
    while (*ai < sdp->attr_count && sdp->attrs[*ai].section == s) {
        SW_GUARD(sw_attr(w, &sdp->attrs[*ai]));
        (*ai)++;
    }
    return EMSEC_OK;
}

emsec_result emsec_sdp_write(const emsec_sdp *sdp, emsec_sdp_mode mode, const uint8_t *src,
                             uint32_t src_len, uint8_t *out, uint32_t out_cap,
                             uint32_t *out_len)
{
    if (out_len == NULL) {
        return EMSEC_ERR_ARGUMENT;
    }
    *out_len = 0;
    SW_ENSURE(sdp != NULL);
    SW_ENSURE(src != NULL || src_len == 0);
    SW_ENSURE(out != NULL || out_cap == 0);
    SW_GUARD(sw_check(sdp, mode));

    sw_out w = { .out = out, .cap = out_cap, .pos = 0, .overflow = false,
                 .src = src, .src_len = src_len };
    uint32_t li = 0;
    uint32_t ai = 0;
    for (uint32_t s = 0; s <= sdp->media_count; s++) {
        SW_GUARD(sw_section_lines(&w, sdp, s, &li));
        SW_GUARD(sw_section_attrs(&w, sdp, s, &ai));
    }
    /* Anything left is out of section order (or in a section past media_count). */
    SW_ENSURE(li == sdp->line_count && ai == sdp->attr_count);

    *out_len = w.pos;
    if (w.overflow || w.pos > out_cap) {
        return EMSEC_ERR_NO_SPACE;
    }
    return EMSEC_OK;
}
