/*
 * core/sdp_parse.c: the glue around the generated SDP machine (gen/sdp.c):
 * the public API of include/emsec/sdp.h, the line-order table, the
 * classification tables and the accessors the role resolver uses.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "emsec/sdp.h"
#include "sdp_internal.h"

/* ------------------------------------------------------------ line order */

/* Session rank of a type letter (0: not a session line). */
static uint32_t sdp_session_rank(uint32_t letter)
{
    switch (letter) {
    case 'o': return SDP_ORD_O;
    case 's': return SDP_ORD_S;
    case 'i': return SDP_ORD_I;
    case 'u': return SDP_ORD_U;
    case 'e': return SDP_ORD_E;
    case 'p': return SDP_ORD_P;
    case 'c': return SDP_ORD_C;
    case 'b': return SDP_ORD_B;
    case 't': return SDP_ORD_T;
    case 'r': return SDP_ORD_R;
    case 'z': return SDP_ORD_Z;
    case 'k': return SDP_ORD_K;
    case 'a': return SDP_ORD_A;
    case 'm': return SDP_ORD_M;
    default: return 0u;
    }
}

/*
 * RFC 8866 §9:
 *   session-description = v o s [i] [u] *e *p [c] *b 1*time-description
 *                         [k] *a *media-description
 *   time-description    = t [1*r [z]]      (z also accepted right after t,
 *                                           as in RFC 4566 §9)
 *   media-description   = m [i] *c *b [k] *a
 * H.248 mode (H.248.1 §7.1.8): o, s and t may be absent; a second v= starts
 * the next description.
 */
uint32_t emsec_sdp__order_next(uint32_t mode, uint32_t order, uint32_t letter)
{
    const bool h248 = mode == (uint32_t)EMSEC_SDP_MODE_H248;
    const bool timed = h248 || order >= SDP_ORD_T; /* full: t= already seen */

    if (letter == 'v') {
        if (order == SDP_ORD_NONE) {
            return SDP_ORD_V;
        }
        return h248 ? SDP_ORD_NEXT : SDP_ORD_REFUSE;
    }
    if (order == SDP_ORD_NONE) {
        return SDP_ORD_REFUSE;
    }
    if (order >= SDP_ORD_M) {
        switch (letter) {
        case 'm': return SDP_ORD_M;
        case 'i': return order == SDP_ORD_M ? SDP_ORD_MI : SDP_ORD_REFUSE;
        case 'c': return order <= SDP_ORD_MC ? SDP_ORD_MC : SDP_ORD_REFUSE;
        case 'b': return order <= SDP_ORD_MB ? SDP_ORD_MB : SDP_ORD_REFUSE;
        case 'k': return order < SDP_ORD_MK ? SDP_ORD_MK : SDP_ORD_REFUSE;
        case 'a': return SDP_ORD_MA;
        default: return SDP_ORD_REFUSE;
        }
    }
    if (!h248 && order == SDP_ORD_V) {
        return letter == 'o' ? SDP_ORD_O : SDP_ORD_REFUSE;
    }
    if (!h248 && order == SDP_ORD_O) {
        return letter == 's' ? SDP_ORD_S : SDP_ORD_REFUSE;
    }
    const uint32_t rank = sdp_session_rank(letter);
    switch (rank) {
    case SDP_ORD_O:
    case SDP_ORD_S:
    case SDP_ORD_I:
    case SDP_ORD_U:
    case SDP_ORD_C:
        return rank > order ? rank : SDP_ORD_REFUSE;
    case SDP_ORD_E:
    case SDP_ORD_P:
    case SDP_ORD_B:
        return rank >= order ? rank : SDP_ORD_REFUSE;
    case SDP_ORD_T:
        return (order <= SDP_ORD_T || order == SDP_ORD_R || order == SDP_ORD_Z)
                   ? SDP_ORD_T : SDP_ORD_REFUSE;
    case SDP_ORD_R:
    case SDP_ORD_Z:
        return (order == SDP_ORD_T || order == SDP_ORD_R) ? rank : SDP_ORD_REFUSE;
    case SDP_ORD_K:
        return (timed && order < SDP_ORD_K) ? SDP_ORD_K : SDP_ORD_REFUSE;
    case SDP_ORD_A:
        return (timed && order <= SDP_ORD_A) ? SDP_ORD_A : SDP_ORD_REFUSE;
    case SDP_ORD_M:
        return timed ? SDP_ORD_M : SDP_ORD_REFUSE;
    default:
        return SDP_ORD_REFUSE;
    }
}

/* May the description end in state `order`? */
static bool sdp_order_complete(uint32_t mode, uint32_t order)
{
    if (mode == (uint32_t)EMSEC_SDP_MODE_H248) {
        return order >= SDP_ORD_V;
    }
    return order >= SDP_ORD_T;
}

/* ------------------------------------------------------------ tables */

static uint8_t sdp_lower(uint8_t c)
{
    return (c >= (uint8_t)'A' && c <= (uint8_t)'Z') ? (uint8_t)(c + 32u) : c;
}

/* s[0, len) equals name, ignoring ASCII case. */
static bool sdp_ieq(const uint8_t *s, uint32_t len, const char *name, uint32_t nlen)
{
    if (len != nlen) {
        return false;
    }
    for (uint32_t i = 0; i < len; i++) {
        if (sdp_lower(s[i]) != sdp_lower((uint8_t)name[i])) {
            return false;
        }
    }
    return true;
}

typedef struct sdp_name {
    const char *name;
    uint32_t len;
    uint32_t value;
} sdp_name;

#define SDP_NAME(s, v) { s, (uint32_t)(sizeof(s) - 1u), (uint32_t)(v) }

/* The protos emsec knows, in their registered spelling (which
 * emsec_sdp_proto_name prints), most frequent first for the look-up. */
static const sdp_name sdp_protos[] = {
    SDP_NAME("RTP/AVP", EMSEC_SDP_PROTO_RTP_AVP),
    SDP_NAME("TCP/MSRP", EMSEC_SDP_PROTO_TCP_MSRP),
    SDP_NAME("TCP/TLS/MSRP", EMSEC_SDP_PROTO_TCP_TLS_MSRP),
    SDP_NAME("TCP/BFCP", EMSEC_SDP_PROTO_TCP_BFCP),
    SDP_NAME("TCP/TLS/BFCP", EMSEC_SDP_PROTO_TCP_TLS_BFCP),
    SDP_NAME("TCP/DTLS/BFCP", EMSEC_SDP_PROTO_TCP_DTLS_BFCP),
    SDP_NAME("TCP/TLS", EMSEC_SDP_PROTO_TCP_TLS),
    SDP_NAME("TCP", EMSEC_SDP_PROTO_TCP),
    SDP_NAME("TLS", EMSEC_SDP_PROTO_TLS),
    SDP_NAME("UDP/TLS/UDPTL", EMSEC_SDP_PROTO_UDP_TLS_UDPTL),
    SDP_NAME("udptl", EMSEC_SDP_PROTO_UDPTL),
    SDP_NAME("RTP/SAVP", EMSEC_SDP_PROTO_RTP_SAVP),
    SDP_NAME("RTP/AVPF", EMSEC_SDP_PROTO_RTP_AVPF),
    SDP_NAME("RTP/SAVPF", EMSEC_SDP_PROTO_RTP_SAVPF),
    SDP_NAME("UDP/TLS/RTP/SAVP", EMSEC_SDP_PROTO_UDP_TLS_RTP_SAVP),
    SDP_NAME("UDP/TLS/RTP/SAVPF", EMSEC_SDP_PROTO_UDP_TLS_RTP_SAVPF),
    SDP_NAME("udp", EMSEC_SDP_PROTO_UDP),
};

static const sdp_name sdp_hashes[] = {
    SDP_NAME("sha-1", EMSEC_SDP_HASH_SHA1),
    SDP_NAME("sha-224", EMSEC_SDP_HASH_SHA224),
    SDP_NAME("sha-256", EMSEC_SDP_HASH_SHA256),
    SDP_NAME("sha-384", EMSEC_SDP_HASH_SHA384),
    SDP_NAME("sha-512", EMSEC_SDP_HASH_SHA512),
    SDP_NAME("md5", EMSEC_SDP_HASH_MD5),
    SDP_NAME("md2", EMSEC_SDP_HASH_MD2),
};

static uint32_t sdp_lookup(const sdp_name *t, uint32_t n, const uint8_t *s, uint32_t len)
{
    for (uint32_t i = 0; i < n; i++) {
        if (sdp_ieq(s, len, t[i].name, t[i].len)) {
            return t[i].value;
        }
    }
    return 0u;
}

emsec_sdp_proto emsec_sdp__proto_of(const uint8_t *s, uint32_t len)
{
    return (emsec_sdp_proto)sdp_lookup(sdp_protos, sizeof sdp_protos / sizeof sdp_protos[0],
                                       s, len);
}

emsec_sdp_hash emsec_sdp__hash_of(const uint8_t *s, uint32_t len)
{
    return (emsec_sdp_hash)sdp_lookup(sdp_hashes, sizeof sdp_hashes / sizeof sdp_hashes[0],
                                      s, len);
}

uint32_t emsec_sdp__hash_bytes(emsec_sdp_hash h)
{
    switch (h) {
    case EMSEC_SDP_HASH_SHA1: return 20u;
    case EMSEC_SDP_HASH_SHA224: return 28u;
    case EMSEC_SDP_HASH_SHA256: return 32u;
    case EMSEC_SDP_HASH_SHA384: return 48u;
    case EMSEC_SDP_HASH_SHA512: return 64u;
    case EMSEC_SDP_HASH_MD5: return 16u;
    case EMSEC_SDP_HASH_MD2: return 16u;
    case EMSEC_SDP_HASH_OTHER:
    default: return 0u;
    }
}

/* ------------------------------------------------------------ rare fields */

/* s = [ps->m1, end): the loop bound is `end` itself (== s.off + s.len), which
 * keeps it visibly below the current offset for Eva. */
static bool sdp_fp_value(emsec_sdp_parser *ps, emsec_span s, uint32_t end)
{
    emsec_sdp_attr *a = sdp_cur_attr(ps);
    if (a == NULL) {
        return false;
    }
    emsec_sdp_fingerprint *fp = &a->u.fingerprint;

    if ((ps->flags & EMSEC_SDP_LENIENT_FP_LOWER_HEX) == 0u) {
        for (uint32_t i = s.off; i < end; i++) {
            if (ps->buf[i] >= (uint8_t)'a' && ps->buf[i] <= (uint8_t)'f') {
                /* RFC 8122 §5: UHEX = DIGIT / %x41-46 ; A-F uppercase */
                return sdp_fail(ps, EMSEC_SDP_RULE_FINGERPRINT_HEX, i);
            }
        }
    }
    fp->value = s;
    fp->bytes = (s.len + 1u) / 3u;
    const uint32_t want = emsec_sdp__hash_bytes(fp->hash);
    if (want != 0u && fp->bytes != want) {
        return sdp_fail(ps, EMSEC_SDP_RULE_FINGERPRINT_LENGTH, s.off);
    }
    return true;
}

static bool sdp_attr_choose(emsec_sdp_parser *ps, uint32_t at)
{
    emsec_sdp_attr *a = sdp_cur_attr(ps);
    if (a == NULL) {
        return false;
    }
    if (!sdp_choice_of(ps, at, &a->choice)) {
        return sdp_fail(ps, EMSEC_SDP_RULE_CHOOSE, at);
    }
    const bool choose = a->choice == (uint8_t)EMSEC_SDP_CHOOSE;
    if (a->kind == EMSEC_SDP_ATTR_SETUP) {
        a->u.setup = choose ? EMSEC_SDP_SETUP_CHOOSE : EMSEC_SDP_SETUP_UNSPECIFIED;
    } else if (a->kind == EMSEC_SDP_ATTR_CONNECTION) {
        a->u.connection = choose ? EMSEC_SDP_CONNVAL_CHOOSE : EMSEC_SDP_CONNVAL_UNSPECIFIED;
    }
    return true;
}

bool emsec_sdp__field_rare(emsec_sdp_parser *ps, sdp_field_id f, uint32_t off)
{
    const emsec_span s = sdp_span(ps->m1, off);
    emsec_sdp_attr *a = sdp_cur_attr(ps);
    uint32_t v = 0;

    if (a == NULL) {
        return false;
    }
    switch (f) {
    case SDP_F_FP_SPACE:
        if ((ps->flags & EMSEC_SDP_LENIENT_FP_SPACE) == 0u) {
            /* RFC 8122 §5: "fingerprint" ":" hash-func SP fingerprint */
            return sdp_fail(ps, EMSEC_SDP_RULE_FINGERPRINT_HASH, off);
        }
        return true;
    case SDP_F_FP_HASH:
        a->u.fingerprint.hash_name = s;
        a->u.fingerprint.hash = emsec_sdp__hash_of(ps->buf + s.off, s.len);
        return true;
    case SDP_F_FP_VALUE:
        return sdp_fp_value(ps, s, off);
    case SDP_F_TLS_ID:
        /* RFC 8842 §5: tls-id-value = 20*255(tls-id-char) */
        if (s.len < 20u) {
            return sdp_fail(ps, EMSEC_SDP_RULE_TLS_ID, off);
        }
        if (s.len > 255u) {
            return sdp_fail(ps, EMSEC_SDP_RULE_TLS_ID, s.off + 255u);
        }
        a->u.tls_id = s;
        return true;
    case SDP_F_KM_PROTO:
        a->u.key_mgmt.protocol = s;
        return true;
    case SDP_F_KM_DATA:
        a->u.key_mgmt.data = s;
        return true;
    case SDP_F_CONFID:
        if (!sdp_u32(ps, s.off, off, UINT32_MAX, &a->u.number)) {
            return sdp_fail(ps, EMSEC_SDP_RULE_CONFID, s.off);
        }
        return true;
    case SDP_F_USERID:
        if (!sdp_u32(ps, s.off, off, 65535u, &a->u.number)) {
            return sdp_fail(ps, EMSEC_SDP_RULE_USERID, s.off);
        }
        return true;
    case SDP_F_FLOOR_ID:
        if (!sdp_u32(ps, s.off, off, 65535u, &a->u.floorid.floor)) {
            return sdp_fail(ps, EMSEC_SDP_RULE_FLOORID, s.off);
        }
        return true;
    case SDP_F_FLOOR_STREAM:
        if (a->u.floorid.stream_count == 0u) {
            a->u.floorid.streams.off = s.off;
        }
        a->u.floorid.stream_count++;
        a->u.floorid.streams.len = off - a->u.floorid.streams.off;
        return true;
    case SDP_F_BFCPVER:
        if (!sdp_u32(ps, s.off, off, 65535u, &v)) {
            return sdp_fail(ps, EMSEC_SDP_RULE_BFCPVER, s.off);
        }
        a->u.list.count++;
        if (v < 32u) {
            a->u.list.mask |= 1u << v;
        }
        return true;
    case SDP_F_ATTR_CHOOSE:
        return sdp_attr_choose(ps, off - 1u);
    case SDP_F_O_USER: case SDP_F_O_SESS_ID: case SDP_F_O_SESS_VER: case SDP_F_O_NETTYPE:
    case SDP_F_O_ADDRTYPE: case SDP_F_O_ADDR: case SDP_F_C_NETTYPE: case SDP_F_C_ADDRTYPE:
    case SDP_F_C_ADDR: case SDP_F_M_MEDIA: case SDP_F_M_PORT: case SDP_F_M_COUNT:
    case SDP_F_M_PROTO: case SDP_F_M_FMTS: case SDP_F_PATH_URI: case SDP_F_ACCEPT_ENTRY:
    case SDP_F_PORT_CHOOSE:
    default:
        return true; /* handled by sdp_field() */
    }
}

/* ------------------------------------------------------------ public API */

emsec_result emsec_sdp_parser_init_at(emsec_sdp_parser *ps, emsec_sdp *out, emsec_sdp_mode mode,
                                      uint32_t flags, uint32_t start)
{
    memset(ps, 0, sizeof *ps);
    ps->out = out;
    ps->mode = (uint32_t)mode;
    ps->flags = flags;
    ps->start = start;
    ps->pos = start;
    ps->rule = EMSEC_SDP_RULE_LINE;
    ps->status = EMSEC_OK;
    emsec_sdp__machine_init(ps);
    /* Only the part before the arrays: slots are cleared when claimed. */
    memset(out, 0, offsetof(emsec_sdp, lines));
    if ((mode != EMSEC_SDP_MODE_FULL && mode != EMSEC_SDP_MODE_H248) ||
        (flags & ~EMSEC_SDP_LENIENT_ALL) != 0u) {
        (void)sdp_fail_code(ps, EMSEC_ERR_ARGUMENT, EMSEC_SDP_RULE_INPUT, start);
        return EMSEC_ERR_ARGUMENT;
    }
    return EMSEC_OK;
}

emsec_result emsec_sdp_parser_init(emsec_sdp_parser *ps, emsec_sdp *out, emsec_sdp_mode mode,
                                   uint32_t flags)
{
    return emsec_sdp_parser_init_at(ps, out, mode, flags, 0u);
}

emsec_result emsec_sdp_feed(emsec_sdp_parser *ps, const uint8_t *buf, uint32_t len)
{
    if (ps->status != EMSEC_OK) {
        return EMSEC_ERR_FAILED_BEFORE;
    }
    if (ps->done != 0u) {
        return EMSEC_OK;
    }
    if (len < ps->pos || (buf == NULL && len != 0u)) {
        (void)sdp_fail_code(ps, EMSEC_ERR_ARGUMENT, EMSEC_SDP_RULE_INPUT, len);
        return EMSEC_ERR_ARGUMENT;
    }
    ps->buf = buf;
    /* Run at most up to MAX_LINE_LEN bytes past the start of the current line,
     * so an over-long line fails at the same offset however input is split. */
    while (ps->pos < len && ps->status == EMSEC_OK && ps->done == 0u) {
        const uint64_t anchor = ps->in_line != 0u ? ps->line_start : ps->pos;
        const uint64_t limit = anchor + EMSEC_SDP_MAX_LINE_LEN;
        if ((uint64_t)ps->pos >= limit) {
            (void)sdp_fail(ps, EMSEC_SDP_RULE_LIMIT_LINE_LEN, (uint32_t)limit);
            break;
        }
        const uint32_t end = limit < (uint64_t)len ? (uint32_t)limit : len;
        emsec_sdp__exec(ps, buf + ps->pos, end - ps->pos, ps->pos);
    }
    ps->buf = NULL;
    if (ps->done != 0u) {
        ps->out->whole = sdp_span(ps->start, ps->out->next);
    }
    return ps->status;
}

emsec_result emsec_sdp_finish(emsec_sdp_parser *ps, const uint8_t *buf, uint32_t len)
{
    static const uint8_t lf[1] = { (uint8_t)'\n' };
    emsec_result r = emsec_sdp_feed(ps, buf, len);

    if (r != EMSEC_OK || ps->done != 0u) {
        return r;
    }
    if (ps->in_line != 0u) {
        if ((ps->flags & EMSEC_SDP_LENIENT_NO_FINAL_EOL) == 0u) {
            /* RFC 8866 §9: every field ends with CRLF (§5: or LF) */
            (void)sdp_fail_code(ps, EMSEC_ERR_INCOMPLETE, (emsec_sdp_rule)ps->rule, len);
            return ps->status;
        }
        ps->buf = buf;
        emsec_sdp__exec(ps, lf, 1u, len);
        ps->buf = NULL;
        ps->pos = len;
        if (ps->status != EMSEC_OK) {
            return ps->status;
        }
    }
    if (!sdp_order_complete(ps->mode, ps->order)) {
        /* a required line (v=, and in FULL mode o=, s=, t=) never came */
        (void)sdp_fail_code(ps, EMSEC_ERR_INCOMPLETE, EMSEC_SDP_RULE_MISSING_LINE, len);
        return ps->status;
    }
    ps->out->whole = sdp_span(ps->start, len);
    return EMSEC_OK;
}

emsec_sdp_error emsec_sdp_last_error(const emsec_sdp_parser *ps)
{
    return ps->err;
}

emsec_result emsec_sdp_parse_from(emsec_sdp *out, emsec_sdp_mode mode, uint32_t flags,
                                  const uint8_t *buf, uint32_t len, uint32_t start,
                                  emsec_sdp_error *err)
{
    emsec_sdp_parser ps;
    emsec_result r = emsec_sdp_parser_init_at(&ps, out, mode, flags, start);

    if (r == EMSEC_OK) {
        if (start > len) {
            (void)sdp_fail_code(&ps, EMSEC_ERR_ARGUMENT, EMSEC_SDP_RULE_INPUT, len);
            r = EMSEC_ERR_ARGUMENT;
        } else {
            r = emsec_sdp_finish(&ps, buf, len);
        }
    }
    if (err != NULL) {
        *err = ps.err;
    }
    return r;
}

emsec_result emsec_sdp_parse(emsec_sdp *out, emsec_sdp_mode mode, uint32_t flags,
                             const uint8_t *buf, uint32_t len, emsec_sdp_error *err)
{
    return emsec_sdp_parse_from(out, mode, flags, buf, len, 0u, err);
}

emsec_result emsec_sdp_parse_text(emsec_sdp *out, emsec_sdp_mode mode, uint32_t flags,
                                  const char *text, uint32_t len, emsec_sdp_error *err)
{
    return emsec_sdp_parse_from(out, mode, flags, (const uint8_t *)text, len, 0u, err);
}

/* ------------------------------------------------------------ names */

const char *emsec_sdp_rule_name(emsec_sdp_rule rule)
{
    static const char *const names[EMSEC_SDP_RULE__COUNT] = {
        [EMSEC_SDP_RULE_NONE] = "NONE",
        [EMSEC_SDP_RULE_LINE] = "LINE",
        [EMSEC_SDP_RULE_LINE_ORDER] = "LINE_ORDER",
        [EMSEC_SDP_RULE_LINE_END] = "LINE_END",
        [EMSEC_SDP_RULE_MISSING_LINE] = "MISSING_LINE",
        [EMSEC_SDP_RULE_VERSION] = "VERSION",
        [EMSEC_SDP_RULE_ORIGIN] = "ORIGIN",
        [EMSEC_SDP_RULE_SESSION_NAME] = "SESSION_NAME",
        [EMSEC_SDP_RULE_INFORMATION] = "INFORMATION",
        [EMSEC_SDP_RULE_URI] = "URI",
        [EMSEC_SDP_RULE_EMAIL] = "EMAIL",
        [EMSEC_SDP_RULE_PHONE] = "PHONE",
        [EMSEC_SDP_RULE_CONNECTION] = "CONNECTION",
        [EMSEC_SDP_RULE_BANDWIDTH] = "BANDWIDTH",
        [EMSEC_SDP_RULE_TIME] = "TIME",
        [EMSEC_SDP_RULE_REPEAT] = "REPEAT",
        [EMSEC_SDP_RULE_ZONE] = "ZONE",
        [EMSEC_SDP_RULE_KEY] = "KEY",
        [EMSEC_SDP_RULE_ATTRIBUTE] = "ATTRIBUTE",
        [EMSEC_SDP_RULE_MEDIA] = "MEDIA",
        [EMSEC_SDP_RULE_PORT] = "PORT",
        [EMSEC_SDP_RULE_PROTO] = "PROTO",
        [EMSEC_SDP_RULE_FMT] = "FMT",
        [EMSEC_SDP_RULE_CHOOSE] = "CHOOSE",
        [EMSEC_SDP_RULE_SETUP] = "SETUP",
        [EMSEC_SDP_RULE_CONNECTION_ATTR] = "CONNECTION_ATTR",
        [EMSEC_SDP_RULE_FINGERPRINT_HASH] = "FINGERPRINT_HASH",
        [EMSEC_SDP_RULE_FINGERPRINT_HEX] = "FINGERPRINT_HEX",
        [EMSEC_SDP_RULE_FINGERPRINT_LENGTH] = "FINGERPRINT_LENGTH",
        [EMSEC_SDP_RULE_TLS_ID] = "TLS_ID",
        [EMSEC_SDP_RULE_PATH_URI] = "PATH_URI",
        [EMSEC_SDP_RULE_ACCEPT_TYPES] = "ACCEPT_TYPES",
        [EMSEC_SDP_RULE_MSRP_CEMA] = "MSRP_CEMA",
        [EMSEC_SDP_RULE_KEY_MGMT_PROTOCOL] = "KEY_MGMT_PROTOCOL",
        [EMSEC_SDP_RULE_KEY_MGMT_BASE64] = "KEY_MGMT_BASE64",
        [EMSEC_SDP_RULE_FLOORCTRL] = "FLOORCTRL",
        [EMSEC_SDP_RULE_CONFID] = "CONFID",
        [EMSEC_SDP_RULE_USERID] = "USERID",
        [EMSEC_SDP_RULE_FLOORID] = "FLOORID",
        [EMSEC_SDP_RULE_BFCPVER] = "BFCPVER",
        [EMSEC_SDP_RULE_LIMIT_MEDIA] = "LIMIT_MEDIA",
        [EMSEC_SDP_RULE_LIMIT_ATTRS] = "LIMIT_ATTRS",
        [EMSEC_SDP_RULE_LIMIT_LINES] = "LIMIT_LINES",
        [EMSEC_SDP_RULE_LIMIT_LINE_LEN] = "LIMIT_LINE_LEN",
        [EMSEC_SDP_RULE_INPUT] = "INPUT",
    };
    if ((uint32_t)rule >= (uint32_t)EMSEC_SDP_RULE__COUNT || names[rule] == NULL) {
        return "?";
    }
    return names[rule];
}

const char *emsec_sdp_proto_name(emsec_sdp_proto proto)
{
    for (uint32_t i = 0; i < sizeof sdp_protos / sizeof sdp_protos[0]; i++) {
        if (sdp_protos[i].value == (uint32_t)proto) {
            return sdp_protos[i].name;
        }
    }
    return proto == EMSEC_SDP_PROTO_OTHER ? "OTHER" : "?";
}

/* ------------------------------------------------------------ accessors */
/* Their contracts are on the declarations (include/emsec/sdp.h), except the
 * static helper's, here; WP proves all of them, with RTE. */

/* First attribute of `kind` of media mi, else of the session; NULL if none. */
/*@ requires \valid_read(sdp) && emsec_sdp_counts_ok(sdp);
    assigns \result \from sdp, mi, kind, session, *sdp;
    ensures out_of_range: mi >= sdp->media_count ==> \result == \null;
    ensures found: \result != \null ==> mi < sdp->media_count &&
      \exists integer j;
        ((sdp->media[mi].attr_first <= j < sdp->media[mi].attr_first + sdp->media[mi].attr_count) ||
         (session && 0 <= j < sdp->session_attr_count)) &&
        \result == &sdp->attrs[j] && sdp->attrs[j].kind == (uint8_t)kind;
    ensures none: \result == \null && mi < sdp->media_count ==>
      (\forall integer j; sdp->media[mi].attr_first <= j < sdp->media[mi].attr_first + sdp->media[mi].attr_count ==>
         sdp->attrs[j].kind != (uint8_t)kind) &&
      (session ==> \forall integer j; 0 <= j < sdp->session_attr_count ==> sdp->attrs[j].kind != (uint8_t)kind);
*/
static const emsec_sdp_attr *sdp_media_or_session(const emsec_sdp *sdp, uint32_t mi,
                                                  emsec_sdp_attr_kind kind, bool session)
{
    if (mi >= sdp->media_count) {
        return NULL;
    }
    const emsec_sdp_media *m = &sdp->media[mi];
    /*@ loop invariant m->attr_first <= i <= m->attr_first + m->attr_count;
        loop invariant \forall integer j; m->attr_first <= j < i ==> sdp->attrs[j].kind != (uint8_t)kind;
        loop assigns i;
        loop variant m->attr_first + m->attr_count - i;
    */
    for (uint32_t i = m->attr_first; i < (uint32_t)m->attr_first + m->attr_count; i++) {
        if (sdp->attrs[i].kind == (uint8_t)kind) {
            return &sdp->attrs[i];
        }
    }
    if (!session) {
        return NULL;
    }
    /*@ loop invariant 0 <= i <= sdp->session_attr_count;
        loop invariant \forall integer j; 0 <= j < i ==> sdp->attrs[j].kind != (uint8_t)kind;
        loop assigns i;
        loop variant sdp->session_attr_count - i;
    */
    for (uint32_t i = 0; i < sdp->session_attr_count; i++) {
        if (sdp->attrs[i].kind == (uint8_t)kind) {
            return &sdp->attrs[i];
        }
    }
    return NULL;
}

emsec_sdp_setup emsec_sdp_media_setup(const emsec_sdp *sdp, uint32_t mi)
{
    const emsec_sdp_attr *a = sdp_media_or_session(sdp, mi, EMSEC_SDP_ATTR_SETUP, true);
    return a == NULL ? EMSEC_SDP_SETUP_NONE : a->u.setup;
}

emsec_sdp_connval emsec_sdp_media_connection(const emsec_sdp *sdp, uint32_t mi)
{
    const emsec_sdp_attr *a = sdp_media_or_session(sdp, mi, EMSEC_SDP_ATTR_CONNECTION, true);
    return a == NULL ? EMSEC_SDP_CONNVAL_NONE : a->u.connection;
}

const emsec_sdp_attr *emsec_sdp_media_tls_id(const emsec_sdp *sdp, uint32_t mi)
{
    return sdp_media_or_session(sdp, mi, EMSEC_SDP_ATTR_TLS_ID, false);
}

uint32_t emsec_sdp_media_fingerprints(const emsec_sdp *sdp, uint32_t mi,
                                      const emsec_sdp_attr **out, uint32_t max)
{
    uint32_t n = 0;
    if (mi >= sdp->media_count) {
        return 0u;
    }
    const emsec_sdp_media *m = &sdp->media[mi];
    uint32_t from = m->attr_first;
    uint32_t to = (uint32_t)m->attr_first + m->attr_count;
    if (sdp_media_or_session(sdp, mi, EMSEC_SDP_ATTR_FINGERPRINT, false) == NULL) {
        from = 0u;
        to = sdp->session_attr_count;
    }
    /*@ loop invariant from <= i <= to <= sdp->attr_count;
        loop invariant n <= i - from;
        loop invariant \forall integer k; 0 <= k < n && k < max ==>
          emsec_sdp_attr_in(sdp, out[k]) && out[k]->kind == EMSEC_SDP_ATTR_FINGERPRINT;
        loop assigns i, n, out[0 .. max - 1];
        loop variant to - i;
    */
    for (uint32_t i = from; i < to; i++) {
        if (sdp->attrs[i].kind == (uint8_t)EMSEC_SDP_ATTR_FINGERPRINT) {
            if (n < max) {
                out[n] = &sdp->attrs[i];
            }
            n++;
        }
    }
    return n;
}

uint32_t emsec_sdp_find_attr(const emsec_sdp *sdp, uint32_t section, emsec_sdp_attr_kind kind,
                             uint32_t from)
{
    /*@ loop invariant from <= i && (i <= sdp->attr_count || i == from);
        loop invariant \forall integer j; from <= j < i ==>
          !(sdp->attrs[j].section == section && sdp->attrs[j].kind == (uint8_t)kind);
        loop assigns i;
        loop variant sdp->attr_count - i;
    */
    for (uint32_t i = from; i < sdp->attr_count; i++) {
        if (sdp->attrs[i].section == section && sdp->attrs[i].kind == (uint8_t)kind) {
            return i;
        }
    }
    return sdp->attr_count;
}
