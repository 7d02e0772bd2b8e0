/*
 * core/ctl_ue_sdp.c: the SDP answer the controller sends on towards the
 * UE. It is the far end's answer, except on the secured stream, where the
 * UE must see the gateway: its address and port (it is the UE's TCP peer),
 * the TLS proto the UE offered, the gateway's a=setup and a=connection
 * (RFC 4145), and where the gateway ends TLS its own certificate
 * fingerprint (RFC 8122 §5), a=tls-id (RFC 8842) and MSRP path (RFC 4975
 * §9: the UE's next hop is the gateway). In E2E the far end's fingerprint,
 * a=tls-id and a=path stay: the UE authenticates the far end itself.
 */
#include <string.h>

#include "ctl_internal.h"

static bool has_prefix(const char *p, uint32_t n, const char *pre)
{
    uint32_t l = (uint32_t)strlen(pre);
    return n >= l && memcmp(p, pre, l) == 0;
}

/* An a= line named `name` exactly (followed by ':' or the line end). */
static bool is_attr(const char *p, uint32_t n, const char *name)
{
    uint32_t l = (uint32_t)strlen(name);
    return n >= l + 2u && p[0] == 'a' && p[1] == '=' && memcmp(p + 2, name, l) == 0 &&
           (n == l + 2u || p[l + 2u] == ':');
}

/* The line of the gateway's Local that starts with `prefix`, whole. */
static void local_line(ctl_w *w, const emsec_ctl_session *s, const char *prefix)
{
    uint32_t off, n;
    if (ctl_local_line(s->local_ue, s->local_ue_len, prefix, &off, &n)) {
        ctl_str(w, prefix);
        ctl_put(w, s->local_ue + off, n);
        ctl_str(w, "\r\n");
    }
}

static bool gateway_has(const emsec_ctl_session *s, const char *prefix)
{
    uint32_t off, n;
    return ctl_local_line(s->local_ue, s->local_ue_len, prefix, &off, &n);
}

static void gateway_block(ctl_w *w, const emsec_ctl_session *s)
{
    local_line(w, s, "c=");
    local_line(w, s, "a=setup:");
    /* After a re-offer that kept the connection, the answer says so (RFC
     * 4145 §5.1); the gateway's Local of the Add still says "new". */
    if (s->ue_leg.decided && s->ue_leg.d.tcp == EMSEC_TCP_KEEP && gateway_has(s, "a=connection:"))
        ctl_str(w, "a=connection:existing\r\n");
    else
        local_line(w, s, "a=connection:");
    if (s->mode != EMSEC_CTL_E2E) {
        local_line(w, s, "a=tls-id:");
        local_line(w, s, "a=fingerprint:");
        local_line(w, s, "a=path:");
    }
}

/* The far end's line in the secured section: kept, or replaced by the
 * gateway's (written by gateway_block). */
static bool keep_line(const emsec_ctl_session *s, const char *p, uint32_t n)
{
    if (has_prefix(p, n, "c="))
        return false;
    if (is_attr(p, n, "setup"))
        return false;
    if (is_attr(p, n, "connection"))
        return !gateway_has(s, "a=connection:");
    if (s->mode == EMSEC_CTL_E2E)
        return true;
    return !is_attr(p, n, "tls-id") && !is_attr(p, n, "fingerprint") && !is_attr(p, n, "path");
}

/* The port of the gateway's m= line: its second word. */
static bool gateway_port(const emsec_ctl_session *s, uint32_t *off, uint32_t *n)
{
    uint32_t mo, mn;
    if (!ctl_local_line(s->local_ue, s->local_ue_len, "m=", &mo, &mn))
        return false;
    const char *m = s->local_ue + mo;
    uint32_t i = 0u;
    while (i < mn && m[i] != ' ')
        i++;
    uint32_t b = ++i;
    while (i < mn && m[i] != ' ')
        i++;
    if (i <= b || i > mn)
        return false;
    *off = mo + b;
    *n = i - b;
    return true;
}

emsec_result emsec_ctl_write_ue_sdp(emsec_ctl_session *s, const char *answer, uint32_t answer_len,
                                    char *out, uint32_t cap, uint32_t *out_len)
{
    if (s->step != CTL_STEP_ANSWERED)
        return ctl_refuse(s, EMSEC_CTL_REFUSAL_STATE,
                          "the SDP towards the UE comes after the answer went to the gateway",
                          NULL, NULL);
    uint32_t ami, po, pn;
    emsec_result r = ctl_check_answer(s, answer, answer_len, &ami);
    if (r != EMSEC_OK)
        return r;
    if (!gateway_port(s, &po, &pn))
        return ctl_refuse(s, EMSEC_CTL_REFUSAL_GATEWAY, "the gateway's Local has no m= port", NULL,
                          NULL);
    const emsec_sdp_media *am = &s->scratch.media[ami];
    ctl_w w = { out, cap, 0u, false };
    uint32_t section = 0u, b = 0u;
    bool pending = false;
    while (b < answer_len) {
        uint32_t e = b;
        while (e < answer_len && answer[e] != '\n')
            e++;
        uint32_t end = (e > b && answer[e - 1u] == '\r') ? e - 1u : e;
        const char *p = answer + b;
        uint32_t n = end - b;
        b = e + 1u;
        if (has_prefix(p, n, "m=")) {
            if (pending)
                gateway_block(&w, s);
            pending = false;
            section++;
            if (section == ami + 1u) {
                ctl_str(&w, "m=");
                ctl_put(&w, answer + am->media.off, am->media.len);
                ctl_str(&w, " ");
                ctl_put(&w, s->local_ue + po, pn);
                ctl_str(&w, s->kind == EMSEC_KIND_BFCP ? " TCP/TLS/BFCP " : " TCP/TLS/MSRP ");
                ctl_put(&w, answer + am->fmts.off, am->fmts.len);
                ctl_str(&w, "\r\n");
                pending = true;
                continue;
            }
        } else if (section == ami + 1u) {
            if (!keep_line(s, p, n))
                continue;
            if (pending && has_prefix(p, n, "a=")) {
                gateway_block(&w, s);
                pending = false;
            }
        }
        ctl_put(&w, p, n);
        ctl_str(&w, "\r\n");
    }
    if (pending)
        gateway_block(&w, s);
    return ctl_done(&w, out_len);
}
