/*
 * core/ctl_setup.c: the controller's setup procedure: check the UE's offer
 * and the responder's authorization, write the Add, take the gateway's
 * reply, give it the far end's answer (Modify), re-offers, and the Subtract.
 * The H.248 profile names (tcpbcc/..., tlsbsc/...) are those of
 * spec/h248_profile.tbl (DESIGN.md "H.248 profile").
 */
#include <stddef.h>
#include <string.h>

#include "ctl_internal.h"

/* The stream the gateway carries: the first m= line of TCP/TLS/MSRP or
 * TCP/TLS/BFCP with a port (port 0 is a rejected stream, RFC 3264 §6). */
static bool find_secured_stream(const emsec_sdp *sdp, uint32_t *mi, emsec_media_kind *kind)
{
    for (uint32_t i = 0u; i < sdp->media_count; i++) {
        bool tls;
        const emsec_sdp_media *m = &sdp->media[i];
        if (ctl_stream_kind(m->proto, kind, &tls) && tls && m->port_value != 0u) {
            *mi = i;
            return true;
        }
    }
    return false;
}

/* RFC 4279 §5.1: the identity is sent as is; here it travels as an H.248
 * quotedString, which holds no '"' (Annex B), and we refuse '\' and
 * controls too so that it prints safely. */
static bool pskid_ok(const char *id)
{
    size_t n = strlen(id);
    if (n == 0u || n > EMSEC_CTL_MAX_PSKID)
        return false;
    for (size_t i = 0u; i < n; i++)
        if (id[i] < 0x20 || id[i] > 0x7e || id[i] == '"' || id[i] == '\\')
            return false;
    return true;
}

static emsec_tls_id tls_id_vs(const emsec_sdp *sdp, const char *src, uint32_t mi,
                              const char *prev)
{
    const emsec_sdp_attr *a = emsec_sdp_media_tls_id(sdp, mi);
    if (a == NULL)
        return EMSEC_TLS_ID_ABSENT;
    size_t n = strlen(prev);
    if (n == a->value.len && memcmp(src + a->value.off, prev, n) == 0)
        return EMSEC_TLS_ID_SAME;
    return EMSEC_TLS_ID_NEW;
}

static void keep_tls_id(emsec_ctl_session *s, const char *src, uint32_t mi)
{
    const emsec_sdp_attr *a = emsec_sdp_media_tls_id(&s->scratch, mi);
    uint32_t n = (a != NULL && a->value.len < sizeof s->ue_tls_id) ? a->value.len : 0u;
    if (n > 0u)
        memcpy(s->ue_tls_id, src + a->value.off, n);
    s->ue_tls_id[n] = '\0';
}

/* The UE's offer: one secured stream, and (certificate modes) its
 * a=fingerprint, or (PSK mode) a key and an identity. */
static emsec_result check_offer(emsec_ctl_session *s, const char *offer, uint32_t offer_len,
                                uint32_t *mi, emsec_media_kind *kind)
{
    emsec_result r = ctl_parse_full(s, "the UE's SDP offer", offer, offer_len);
    if (r != EMSEC_OK)
        return r;
    if (!find_secured_stream(&s->scratch, mi, kind))
        return ctl_refuse(s, EMSEC_CTL_REFUSAL_NO_STREAM,
                          "the UE's offer has no m= line over TCP/TLS/MSRP or TCP/TLS/BFCP "
                          "with a port: nothing for the gateway to secure", NULL, NULL);
    if (s->mode != EMSEC_CTL_PSK && emsec_sdp_media_fingerprints(&s->scratch, *mi, NULL, 0u) == 0u)
        return ctl_refuse(s, EMSEC_CTL_REFUSAL_NO_FINGERPRINT,
                          "the UE's offer has no a=fingerprint for its TLS stream: its "
                          "certificate cannot be authenticated (RFC 8122 s5); setup aborted",
                          NULL, NULL);
    return EMSEC_OK;
}

emsec_result emsec_ctl_begin(emsec_ctl_session *s, emsec_ctl_mode mode, const char *offer,
                             uint32_t offer_len, const uint8_t *psk, uint32_t psk_len,
                             const char *pskid)
{
    if (s == NULL || offer == NULL || (psk == NULL && psk_len != 0u))
        return EMSEC_ERR_ARGUMENT;
    if (mode != EMSEC_CTL_E2AE && mode != EMSEC_CTL_E2E && mode != EMSEC_CTL_PSK)
        return EMSEC_ERR_ARGUMENT;
    memset(s, 0, offsetof(emsec_ctl_session, scratch));
    s->mode = mode;
    if (mode == EMSEC_CTL_PSK) {
        if (pskid == NULL || !pskid_ok(pskid))
            return ctl_refuse(s, EMSEC_CTL_REFUSAL_PSK_UNRESOLVED,
                              "PSK mode without a usable identity (1 to 128 printable "
                              "characters, RFC 4279 s5.1): the UE cannot be authenticated; "
                              "setup aborted", NULL, NULL);
        if (psk_len == 0u || psk_len > EMSEC_CTL_MAX_PSK)
            return ctl_refuse(s, EMSEC_CTL_REFUSAL_PSK_UNRESOLVED, "no key resolved for PSK identity \"",
                              pskid, "\" (RFC 4279 s5.1: unknown identity): setup aborted");
        memcpy(s->psk, psk, psk_len);
        s->psk_len = psk_len;
        memcpy(s->pskid, pskid, strlen(pskid) + 1u);
    }
    emsec_result r = check_offer(s, offer, offer_len, &s->offer_mi, &s->kind);
    if (r != EMSEC_OK)
        return r;
    keep_tls_id(s, offer, s->offer_mi);
    s->step = CTL_STEP_BEGUN;
    return EMSEC_OK;
}

static void header(ctl_w *w, const char *mid, uint32_t tid)
{
    ctl_str(w, "MEGACO/1 ");
    ctl_str(w, mid);
    ctl_str(w, "\nTransaction = ");
    ctl_u32(w, tid);
    ctl_str(w, " {\n");
}

static const char *plain_proto(emsec_media_kind k)
{
    return k == EMSEC_KIND_BFCP ? "TCP/BFCP" : "TCP/MSRP";
}

static const char *tls_proto(emsec_media_kind k)
{
    return k == EMSEC_KIND_BFCP ? "TCP/TLS/BFCP" : "TCP/TLS/MSRP";
}

/* The Local the controller asks for on one leg: every value the gateway
 * owns is `$` (H.248.1 §7.1.8). `own_tls` adds the gateway's certificate
 * fingerprint; `path` the gateway's MSRP URI (RFC 4975 §9); BFCP gets
 * a=connection (RFC 4145 §5) and, where the gateway ends TLS, a=tls-id
 * (RFC 8856 §5.7, RFC 8842). */
static void local_ask(ctl_w *w, const emsec_ctl_session *s, const char *media, const char *proto,
                      const char *fmts, uint32_t fmts_len, bool own_tls, bool ends_tls, bool path)
{
    ctl_str(w, "                    Local {\nv=0\nc=IN IP4 $\nm=");
    ctl_str(w, media);
    ctl_str(w, " $ ");
    ctl_str(w, proto);
    ctl_str(w, " ");
    ctl_put_octets(w, fmts, fmts_len);
    ctl_str(w, "\na=setup:$\n");
    if (s->kind == EMSEC_KIND_BFCP)
        ctl_str(w, "a=connection:$\n");
    if (own_tls)
        ctl_str(w, "a=fingerprint:sha-256 $\n");
    if (ends_tls && s->kind == EMSEC_KIND_BFCP)
        ctl_str(w, "a=tls-id:$\n");
    if (path && s->kind == EMSEC_KIND_MSRP)
        ctl_str(w, "a=path:$\n");
    ctl_str(w, "                    }");
}

static void put_hex(ctl_w *w, const uint8_t *p, uint32_t n)
{
    static const char hx[] = "0123456789abcdef";
    for (uint32_t i = 0u; i < n; i++) {
        ctl_put(w, &hx[p[i] >> 4], 1u);
        ctl_put(w, &hx[p[i] & 15u], 1u);
    }
}

emsec_result emsec_ctl_write_add(emsec_ctl_session *s, const char *offer, uint32_t offer_len,
                                 const char *mid, uint32_t tid, char *out, uint32_t cap,
                                 uint32_t *out_len)
{
    if (s->step != CTL_STEP_BEGUN)
        return ctl_refuse(s, EMSEC_CTL_REFUSAL_STATE, "the Add comes once, after a checked offer",
                          NULL, NULL);
    emsec_result r = ctl_parse_full(s, "the UE's SDP offer", offer, offer_len);
    if (r != EMSEC_OK)
        return r;
    if (s->offer_mi >= s->scratch.media_count)
        return ctl_refuse(s, EMSEC_CTL_REFUSAL_STATE, "the offer is not the one begin checked",
                          NULL, NULL);
    const emsec_sdp_media *m = &s->scratch.media[s->offer_mi];
    char media[16];
    uint32_t ml = m->media.len < sizeof media - 1u ? m->media.len : (uint32_t)sizeof media - 1u;
    memcpy(media, offer + m->media.off, ml);
    media[ml] = '\0';
    bool ends_tls = s->mode != EMSEC_CTL_E2E; /* E2E: the UE's TLS passes untouched */
    ctl_w w = { out, cap, 0u, false };
    header(&w, mid, tid);
    ctl_str(&w, "    Context = $ {\n        Add = $ {\n            Media {\n                Stream = 1 {\n");
    if (s->mode == EMSEC_CTL_PSK) {
        /* Mp: the key goes down once, in the Add; the gateway never audits it back */
        ctl_str(&w, "                    LocalControl { tlsbsc/psk = ");
        put_hex(&w, s->psk, s->psk_len);
        ctl_str(&w, ", tlsbsc/pskid = \"");
        ctl_str(&w, s->pskid);
        ctl_str(&w, "\" },\n");
    }
    /* Remote first: the UE's SDP came first, the gateway answers it */
    ctl_str(&w, "                    Remote {\n");
    ctl_write_remote(&w, s, offer, s->offer_mi);
    ctl_str(&w, "                    },\n");
    local_ask(&w, s, media, tls_proto(s->kind), offer + m->fmts.off, m->fmts.len,
              s->mode == EMSEC_CTL_E2AE, ends_tls, ends_tls);
    ctl_str(&w, "\n                }\n            },\n            Events = ");
    ctl_u32(&w, tid);
    ctl_str(&w, ends_tls ? " { tlsbsc/ef, tlsbsc/rel, tcpbcc/ef, tcpbcc/rel }\n"
                         : " { tcpbcc/ef, tcpbcc/rel }\n");
    ctl_str(&w, "        },\n        Add = $ {\n            Media {\n                Stream = 1 {\n");
    local_ask(&w, s, media, ends_tls ? plain_proto(s->kind) : tls_proto(s->kind),
              offer + m->fmts.off, m->fmts.len, false, false, ends_tls);
    ctl_str(&w, "\n                }\n            },\n            Events = ");
    ctl_u32(&w, tid + 1u);
    ctl_str(&w, " { tcpbcc/ef, tcpbcc/rel }\n        }\n    }\n}\n");
    return ctl_done(&w, out_len);
}

/* The answer's stream: the first m= line of the same kind with a port, in
 * the proto the gateway offered on the core leg. */
emsec_result ctl_check_answer(emsec_ctl_session *s, const char *answer, uint32_t len,
                                 uint32_t *ami)
{
    emsec_result r = ctl_parse_full(s, "the far end's SDP answer", answer, len);
    if (r != EMSEC_OK)
        return r;
    bool want_tls = s->mode == EMSEC_CTL_E2E;
    for (uint32_t i = 0u; i < s->scratch.media_count; i++) {
        emsec_media_kind k;
        bool tls;
        const emsec_sdp_media *m = &s->scratch.media[i];
        if (!ctl_stream_kind(m->proto, &k, &tls) || k != s->kind || m->port_value == 0u)
            continue;
        if (tls != want_tls)
            return ctl_refuse(s, EMSEC_CTL_REFUSAL_ANSWER_STREAM, "the far end answered ",
                              emsec_sdp_proto_name(m->proto),
                              want_tls ? " but the gateway offered TLS end to end on the core leg"
                                       : " but the gateway offered plain TCP on the core leg");
        if (want_tls && emsec_sdp_media_fingerprints(&s->scratch, i, NULL, 0u) == 0u)
            return ctl_refuse(s, EMSEC_CTL_REFUSAL_NO_FINGERPRINT,
                              "the far end's answer has no a=fingerprint: the UE cannot "
                              "authenticate it end to end (RFC 8122 s5); setup aborted",
                              NULL, NULL);
        *ami = i;
        return EMSEC_OK;
    }
    return ctl_refuse(s, EMSEC_CTL_REFUSAL_ANSWER_STREAM, "the far end's answer has no ",
                      s->kind == EMSEC_KIND_BFCP ? "BFCP" : "MSRP",
                      " m= line with a port: the stream was rejected; setup aborted");
}

/* The core leg: the gateway offered (its Local came first), the far end
 * answered. Decided as spec/roles.tbl does, for the timeline. */
static void decide_core_leg(emsec_ctl_session *s, uint32_t ami, bool existing)
{
    uint32_t off, n;
    emsec_setup own = EMSEC_SETUP_ABSENT;
    if (ctl_local_line(s->local_core, s->local_core_len, "a=setup:", &off, &n)) {
        const char *v = s->local_core + off;
        own = (n == 7u && memcmp(v, "actpass", 7) == 0)   ? EMSEC_SETUP_ACTPASS
              : (n == 6u && memcmp(v, "active", 6) == 0)  ? EMSEC_SETUP_ACTIVE
              : (n == 7u && memcmp(v, "passive", 7) == 0) ? EMSEC_SETUP_PASSIVE
                                                          : EMSEC_SETUP_ABSENT;
    }
    emsec_ctl_leg_decision *l = &s->core_leg;
    emsec_role_input in;
    memset(&in, 0, sizeof in);
    in.kind = s->kind;
    in.secured = s->mode == EMSEC_CTL_E2E;
    in.side = EMSEC_SIDE_OFFERER;
    in.offer_setup = own;
    in.answer_setup = ctl_setup_of(emsec_sdp_media_setup(&s->scratch, ami));
    emsec_sdp_connval c = emsec_sdp_media_connection(&s->scratch, ami);
    in.answer_connection = c == EMSEC_SDP_CONNVAL_EXISTING ? EMSEC_CONNECTION_EXISTING
                           : c == EMSEC_SDP_CONNVAL_NEW    ? EMSEC_CONNECTION_NEW
                                                           : EMSEC_CONNECTION_ABSENT;
    in.offer_connection = in.answer_connection; /* the gateway's $ agrees (RFC 4145 §5.2) */
    in.existing = existing;
    l->side = in.side;
    l->offer_setup = in.offer_setup;
    l->answer_setup = in.answer_setup;
    /* a refusal stays in l->d.refusal; the inputs are in range by construction */
    l->decided = emsec_roles_resolve(&in, &l->d) != EMSEC_ERR_ARGUMENT;
}

static void modify_remote(ctl_w *w, const emsec_ctl_session *s, const char *term,
                          const char *src, uint32_t mi)
{
    ctl_str(w, "        Modify = ");
    ctl_str(w, term);
    ctl_str(w, " {\n            Media {\n                Stream = 1 {\n                    Remote {\n");
    ctl_write_remote(w, s, src, mi);
    ctl_str(w, "                    }\n                }\n            }\n        }");
}

emsec_result emsec_ctl_write_modify(emsec_ctl_session *s, const char *answer, uint32_t answer_len,
                                    const char *mid, uint32_t tid, char *out, uint32_t cap,
                                    uint32_t *out_len)
{
    if (s->step != CTL_STEP_ADDED)
        return ctl_refuse(s, EMSEC_CTL_REFUSAL_STATE, "the answer comes after the Add reply",
                          NULL, NULL);
    uint32_t ami;
    emsec_result r = ctl_check_answer(s, answer, answer_len, &ami);
    if (r != EMSEC_OK)
        return r;
    decide_core_leg(s, ami, false);
    if (s->core_leg.d.refusal != EMSEC_REFUSAL_NONE)
        return ctl_refuse(s, EMSEC_CTL_REFUSAL_ROLES, "the far end's a=setup is refused on the core leg: ",
                          emsec_refusal_name(s->core_leg.d.refusal), " (spec/roles.tbl); setup aborted");
    ctl_w w = { out, cap, 0u, false };
    header(&w, mid, tid);
    ctl_str(&w, "    Context = ");
    ctl_str(&w, s->context);
    ctl_str(&w, " {\n");
    modify_remote(&w, s, s->term_core, answer, ami);
    ctl_str(&w, "\n    }\n}\n");
    r = ctl_done(&w, out_len);
    if (r == EMSEC_OK)
        s->step = CTL_STEP_ANSWERED;
    return r;
}

/* The UE leg of a re-offer: the gateway answers again; its Local (not
 * re-sent) keeps its a=setup and a=tls-id, and its a=connection follows
 * the offer's, as core/mg.c's decide() does. */
static void decide_ue_leg(emsec_ctl_session *s, const char *offer, uint32_t mi, bool existing)
{
    uint32_t off, n;
    emsec_ctl_leg_decision *l = &s->ue_leg;
    emsec_role_input in;
    memset(&in, 0, sizeof in);
    in.kind = s->kind;
    in.secured = true;
    in.side = EMSEC_SIDE_ANSWERER;
    in.offer_setup = ctl_setup_of(emsec_sdp_media_setup(&s->scratch, mi));
    in.answer_setup = EMSEC_SETUP_ABSENT;
    if (ctl_local_line(s->local_ue, s->local_ue_len, "a=setup:", &off, &n)) {
        const char *v = s->local_ue + off;
        in.answer_setup = (n == 6u && memcmp(v, "active", 6) == 0)    ? EMSEC_SETUP_ACTIVE
                          : (n == 7u && memcmp(v, "passive", 7) == 0) ? EMSEC_SETUP_PASSIVE
                                                                      : EMSEC_SETUP_ABSENT;
    }
    emsec_sdp_connval c = emsec_sdp_media_connection(&s->scratch, mi);
    in.offer_connection = c == EMSEC_SDP_CONNVAL_EXISTING ? EMSEC_CONNECTION_EXISTING
                          : c == EMSEC_SDP_CONNVAL_NEW    ? EMSEC_CONNECTION_NEW
                                                          : EMSEC_CONNECTION_ABSENT;
    in.answer_connection = in.offer_connection;
    in.offer_tls_id = existing ? tls_id_vs(&s->scratch, offer, mi, s->ue_tls_id)
                               : (emsec_sdp_media_tls_id(&s->scratch, mi) ? EMSEC_TLS_ID_NEW
                                                                          : EMSEC_TLS_ID_ABSENT);
    bool own_id = ctl_local_line(s->local_ue, s->local_ue_len, "a=tls-id:", &off, &n);
    in.answer_tls_id = !own_id ? EMSEC_TLS_ID_ABSENT : existing ? EMSEC_TLS_ID_SAME : EMSEC_TLS_ID_NEW;
    if (s->mode == EMSEC_CTL_E2E) /* the tls-ids are the two ends', not the gateway's */
        in.answer_tls_id = in.offer_tls_id;
    in.existing = existing;
    l->side = in.side;
    l->offer_setup = in.offer_setup;
    l->answer_setup = in.answer_setup;
    l->decided = emsec_roles_resolve(&in, &l->d) != EMSEC_ERR_ARGUMENT;
}

emsec_result emsec_ctl_write_reoffer(emsec_ctl_session *s, const char *offer, uint32_t offer_len,
                                     const char *answer, uint32_t answer_len, const char *mid,
                                     uint32_t tid, char *out, uint32_t cap, uint32_t *out_len)
{
    if (s->step != CTL_STEP_ANSWERED)
        return ctl_refuse(s, EMSEC_CTL_REFUSAL_STATE, "a re-offer comes on a session set up", NULL,
                          NULL);
    uint32_t mi;
    emsec_media_kind kind;
    emsec_result r = check_offer(s, offer, offer_len, &mi, &kind);
    if (r != EMSEC_OK)
        return r;
    if (kind != s->kind)
        return ctl_refuse(s, EMSEC_CTL_REFUSAL_NO_STREAM, "the re-offer changes the stream's kind",
                          NULL, NULL);
    decide_ue_leg(s, offer, mi, true);
    if (s->ue_leg.d.refusal != EMSEC_REFUSAL_NONE)
        return ctl_refuse(s, EMSEC_CTL_REFUSAL_ROLES, "the UE's re-offer is refused: ",
                          emsec_refusal_name(s->ue_leg.d.refusal), " (spec/roles.tbl, spec/reuse.tbl)");
    ctl_w w = { out, cap, 0u, false };
    header(&w, mid, tid);
    ctl_str(&w, "    Context = ");
    ctl_str(&w, s->context);
    ctl_str(&w, " {\n");
    modify_remote(&w, s, s->term_ue, offer, mi);
    keep_tls_id(s, offer, mi);
    uint32_t ami;
    r = ctl_check_answer(s, answer, answer_len, &ami);
    if (r != EMSEC_OK)
        return r;
    decide_core_leg(s, ami, true);
    ctl_str(&w, ",\n");
    modify_remote(&w, s, s->term_core, answer, ami);
    ctl_str(&w, "\n    }\n}\n");
    return ctl_done(&w, out_len);
}

emsec_result emsec_ctl_write_subtract(emsec_ctl_session *s, const char *mid, uint32_t tid,
                                      char *out, uint32_t cap, uint32_t *out_len)
{
    if (s->step < CTL_STEP_ADDED)
        return ctl_refuse(s, EMSEC_CTL_REFUSAL_STATE, "no context to subtract yet", NULL, NULL);
    ctl_w w = { out, cap, 0u, false };
    header(&w, mid, tid);
    ctl_str(&w, "    Context = ");
    ctl_str(&w, s->context);
    ctl_str(&w, " { Subtract = * }\n}\n");
    return ctl_done(&w, out_len);
}

void ctl_decide_ue_first(emsec_ctl_session *s, const char *offer, uint32_t mi)
{
    decide_ue_leg(s, offer, mi, false);
}
