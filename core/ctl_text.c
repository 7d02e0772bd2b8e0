/*
 * core/ctl_text.c: the controller module's text helpers: a bounded writer,
 * refusals with their reason, SDP parsing into the session's scratch, and
 * the H.248 form (H.248.1 §7.1.8) of one media section for a Remote.
 */
#include <string.h>

#include "ctl_internal.h"

void ctl_put(ctl_w *w, const char *p, uint32_t n)
{
    for (uint32_t i = 0u; i < n; i++) {
        if (w->len >= w->cap) {
            w->full = true;
            return;
        }
        w->b[w->len++] = p[i];
    }
}

void ctl_str(ctl_w *w, const char *z)
{
    ctl_put(w, z, (uint32_t)strlen(z));
}

void ctl_u32(ctl_w *w, uint32_t v)
{
    char d[10];
    uint32_t n = 0u;
    do {
        d[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0u && n < sizeof d);
    while (n > 0u)
        ctl_put(w, &d[--n], 1u);
}

void ctl_put_octets(ctl_w *w, const char *p, uint32_t n)
{
    for (uint32_t i = 0u; i < n; i++) {
        if (p[i] == '}')
            ctl_put(w, "\\", 1u);
        ctl_put(w, &p[i], 1u);
    }
}

emsec_result ctl_done(const ctl_w *w, uint32_t *out_len)
{
    *out_len = w->len;
    return w->full ? EMSEC_ERR_NO_SPACE : EMSEC_OK;
}

emsec_result ctl_refuse(emsec_ctl_session *s, emsec_ctl_refusal r, const char *a,
                        const char *b, const char *c)
{
    ctl_w w = { s->why, sizeof s->why - 1u, 0u, false };
    ctl_str(&w, a);
    if (b != NULL)
        ctl_str(&w, b);
    if (c != NULL)
        ctl_str(&w, c);
    s->why[w.len] = '\0';
    s->refusal = r;
    return EMSEC_ERR_REFUSED;
}

emsec_result ctl_parse_full(emsec_ctl_session *s, const char *what, const char *sdp,
                            uint32_t len)
{
    emsec_sdp_error e;
    if (emsec_sdp_parse(&s->scratch, EMSEC_SDP_MODE_FULL, 0u, (const uint8_t *)sdp, len, &e) ==
        EMSEC_OK)
        return EMSEC_OK;
    char at[24];
    ctl_w w = { at, sizeof at - 1u, 0u, false };
    ctl_str(&w, " at byte ");
    ctl_u32(&w, e.offset);
    at[w.len] = '\0';
    char rule[96];
    ctl_w r = { rule, sizeof rule - 1u, 0u, false };
    ctl_str(&r, " does not parse: rule ");
    ctl_str(&r, emsec_sdp_rule_name(e.rule));
    rule[r.len] = '\0';
    return ctl_refuse(s, EMSEC_CTL_REFUSAL_SDP, what, rule, at);
}

bool ctl_stream_kind(emsec_sdp_proto p, emsec_media_kind *kind, bool *tls)
{
    switch (p) {
    case EMSEC_SDP_PROTO_TCP_MSRP: *kind = EMSEC_KIND_MSRP; *tls = false; return true;
    case EMSEC_SDP_PROTO_TCP_TLS_MSRP: *kind = EMSEC_KIND_MSRP; *tls = true; return true;
    case EMSEC_SDP_PROTO_TCP_BFCP: *kind = EMSEC_KIND_BFCP; *tls = false; return true;
    case EMSEC_SDP_PROTO_TCP_TLS_BFCP: *kind = EMSEC_KIND_BFCP; *tls = true; return true;
    default: return false;
    }
}

emsec_setup ctl_setup_of(emsec_sdp_setup s)
{
    switch (s) {
    case EMSEC_SDP_SETUP_ACTIVE: return EMSEC_SETUP_ACTIVE;
    case EMSEC_SDP_SETUP_PASSIVE: return EMSEC_SETUP_PASSIVE;
    case EMSEC_SDP_SETUP_ACTPASS: return EMSEC_SETUP_ACTPASS;
    case EMSEC_SDP_SETUP_HOLDCONN: return EMSEC_SETUP_HOLDCONN;
    default: return EMSEC_SETUP_ABSENT;
    }
}

static void put_span(ctl_w *w, const char *src, emsec_span sp)
{
    ctl_put_octets(w, src + sp.off, sp.len);
}

static void put_attr(ctl_w *w, const char *src, const emsec_sdp_attr *a)
{
    ctl_str(w, "a=");
    put_span(w, src, a->name);
    if (a->has_value) {
        ctl_str(w, ":");
        put_span(w, src, a->value);
    }
    ctl_str(w, "\n");
}

void ctl_write_remote(ctl_w *w, const emsec_ctl_session *s, const char *src, uint32_t mi)
{
    const emsec_sdp *sdp = &s->scratch;
    const emsec_sdp_media *m = &sdp->media[mi];
    const emsec_sdp_conn *c = m->conn.present ? &m->conn : &sdp->conn;
    ctl_str(w, "v=0\n");
    if (c->present) {
        ctl_str(w, "c=");
        put_span(w, src, c->nettype);
        ctl_str(w, " ");
        put_span(w, src, c->addrtype);
        ctl_str(w, " ");
        put_span(w, src, c->address);
        ctl_str(w, "\n");
    }
    ctl_str(w, "m=");
    put_span(w, src, m->media);
    ctl_str(w, " ");
    put_span(w, src, m->port);
    ctl_str(w, " ");
    put_span(w, src, m->proto_span);
    ctl_str(w, " ");
    put_span(w, src, m->fmts);
    ctl_str(w, "\n");
    bool own_fp = false, own_setup = false;
    for (uint32_t i = m->attr_first; i < (uint32_t)m->attr_first + m->attr_count; i++) {
        own_fp |= sdp->attrs[i].kind == EMSEC_SDP_ATTR_FINGERPRINT;
        own_setup |= sdp->attrs[i].kind == EMSEC_SDP_ATTR_SETUP;
    }
    for (uint32_t i = 0u; i < sdp->session_attr_count; i++) {
        const emsec_sdp_attr *a = &sdp->attrs[i];
        if ((a->kind == EMSEC_SDP_ATTR_FINGERPRINT && !own_fp) ||
            (a->kind == EMSEC_SDP_ATTR_SETUP && !own_setup))
            put_attr(w, src, a);
    }
    for (uint32_t i = m->attr_first; i < (uint32_t)m->attr_first + m->attr_count; i++)
        put_attr(w, src, &sdp->attrs[i]);
}

bool ctl_local_line(const char *sdp, uint32_t len, const char *prefix, uint32_t *off,
                    uint32_t *n)
{
    uint32_t pl = (uint32_t)strlen(prefix);
    uint32_t b = 0u;
    while (b < len) {
        uint32_t e = b;
        while (e < len && sdp[e] != '\n')
            e++;
        uint32_t end = (e > b && sdp[e - 1u] == '\r') ? e - 1u : e;
        if (end - b >= pl && memcmp(sdp + b, prefix, pl) == 0) {
            *off = b + pl;
            *n = end - b - pl;
            return true;
        }
        b = e + 1u;
    }
    return false;
}

const char *emsec_ctl_mode_name(emsec_ctl_mode m)
{
    switch (m) {
    case EMSEC_CTL_E2AE: return "e2ae";
    case EMSEC_CTL_E2E: return "e2e";
    case EMSEC_CTL_PSK: return "psk";
    default: return "?";
    }
}

const char *emsec_ctl_refusal_name(emsec_ctl_refusal r)
{
    static const char *const names[EMSEC_CTL_REFUSAL_COUNT] = {
        "none", "sdp", "no_stream", "no_fingerprint", "psk_unresolved",
        "roles", "answer_stream", "gateway", "state",
    };
    return (unsigned)r < EMSEC_CTL_REFUSAL_COUNT ? names[r] : "?";
}
