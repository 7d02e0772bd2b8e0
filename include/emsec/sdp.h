/*
 * emsec: strict SDP parser (RFC 8866), with the typed attributes the gateway
 * needs (RFC 4145 setup/connection, RFC 8122 fingerprint, RFC 8842 tls-id,
 * RFC 4975 path/accept-types, RFC 6714 msrp-cema, RFC 4567 key-mgmt,
 * RFC 8856 BFCP attributes) and an H.248 mode (H.248.1 §7.1.8).
 *
 * API FROZEN
 * (From here on only additive changes: new enum values at the end, new
 *  functions, new fields at the end of a struct. Nothing is renamed.)
 *
 * Grammar: spec/sdp.rl. Generated machine: gen/sdp.c. Glue: core/sdp_parse.c.
 *
 * Model. The caller owns every byte: the input buffer and the parsed form
 * `emsec_sdp`. Every field is an `emsec_span` (offset, length) into the ONE
 * caller buffer; nothing is copied and nothing is allocated. A span of a field
 * that is absent is {0, 0}; use the `present` / `has_*` flags, not the span.
 *
 * Incremental use:
 *     emsec_sdp_parser ps;
 *     r = emsec_sdp_parser_init(&ps, &sdp, EMSEC_SDP_MODE_FULL, 0);
 *     r = emsec_sdp_feed(&ps, buf, len);   // repeat as buf grows
 *     r = emsec_sdp_finish(&ps, buf, len); // at end of input
 * `buf` holds ALL bytes received so far (it may move between calls, e.g.
 * after a realloc, but its first `len_before` bytes must not change) and
 * `len` never shrinks. The result, spans and error are identical however the
 * input is split between feeds.
 *
 * Failure is absorbing: after the first error, feed and finish return
 * EMSEC_ERR_FAILED_BEFORE and emsec_sdp_last_error() still gives the first
 * error, until emsec_sdp_parser_init() is called again.
 *
 * Line ends: RFC 8866 §5 requires CRLF and says parsers SHOULD also accept a
 * lone LF: both are accepted. A CR not followed by LF, a NUL byte, or any
 * byte outside the set a rule allows is EMSEC_ERR_SYNTAX. A last line with
 * no line end at all is EMSEC_ERR_INCOMPLETE from emsec_sdp_finish(), unless
 * the leniency EMSEC_SDP_LENIENT_NO_FINAL_EOL is set.
 *
 * Line order (RFC 8866 §9 ABNF), FULL mode:
 *   v o s [i] [u] *e *p [c] *b 1*( t *r [z] ) [k] *a
 *   then per media:  m [i] *c *b [k] *a
 * (z is accepted right after a t or r line, which covers both RFC 4566's and
 *  RFC 8866's placement.) H.248 mode: the same order, but o=, s= and t= may be
 * absent, and a new v= line ends the description (see `has_next`).
 *
 * Leniencies: each is a named flag, OFF by default.
 */
#ifndef EMSEC_SDP_H
#define EMSEC_SDP_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h> /* for Frama-C: the logic strlen / valid_read_string of the contracts */

#include "emsec/result.h"

/* ------------------------------------------------------------ limits */
/* Exceeding any of these is EMSEC_ERR_LIMIT at the offset of the line (or
 * byte) that would exceed it, with rule EMSEC_SDP_RULE_LIMIT_*. */
#define EMSEC_SDP_MAX_MEDIA     32u   /* m= sections per description */
#define EMSEC_SDP_MAX_ATTRS     256u  /* a= lines, whole description */
#define EMSEC_SDP_MAX_LINES     128u  /* all other lines (v o s i u e p c b t r z k m) */
#define EMSEC_SDP_MAX_LINE_LEN  8192u /* bytes of one line, line end included */

/* ------------------------------------------------------------ modes, flags */
typedef enum emsec_sdp_mode {
    EMSEC_SDP_MODE_FULL = 1, /* RFC 8866 session description */
    EMSEC_SDP_MODE_H248 = 2, /* H.248.1 §7.1.8: o/s/t optional, $ and - values */
} emsec_sdp_mode;

/* Leniencies (bit flags for `flags`), all off by default. */
#define EMSEC_SDP_LENIENT_NO_FINAL_EOL  0x0001u /* last line may lack CRLF/LF */
#define EMSEC_SDP_LENIENT_FP_LOWER_HEX  0x0002u /* fingerprint hex in lower case (RFC 8122 says UHEX) */
#define EMSEC_SDP_LENIENT_FP_SPACE      0x0004u /* "a=fingerprint: SHA-1 ..." (RFC 5763/7345 examples) */
#define EMSEC_SDP_LENIENT_EMPTY_SESSION_NAME 0x0008u /* "s=" with nothing (RFC 8866 §5.3: MUST NOT be empty) */
#define EMSEC_SDP_LENIENT_ALL           0x000fu /* every leniency above */

/* How a field that H.248 allows to be left open was given. */
typedef enum emsec_sdp_choice {
    EMSEC_SDP_VALUE = 0,       /* an ordinary value */
    EMSEC_SDP_CHOOSE = 1,      /* `$`: the gateway chooses (H.248 mode only) */
    EMSEC_SDP_UNSPECIFIED = 2, /* `-`: unspecified (H.248 mode only) */
} emsec_sdp_choice;

/* ------------------------------------------------------------ errors */
/* The grammar rule that failed. New rules are appended. */
typedef enum emsec_sdp_rule {
    EMSEC_SDP_RULE_NONE = 0,
    EMSEC_SDP_RULE_LINE,          /* "x=" expected: type letter, '=' */
    EMSEC_SDP_RULE_LINE_ORDER,    /* letter not allowed here (RFC 8866 §9 order) */
    EMSEC_SDP_RULE_LINE_END,      /* CR not followed by LF */
    EMSEC_SDP_RULE_MISSING_LINE,  /* input ended without a required line (v/o/s/t) */
    EMSEC_SDP_RULE_VERSION,       /* v=0 */
    EMSEC_SDP_RULE_ORIGIN,        /* o= */
    EMSEC_SDP_RULE_SESSION_NAME,  /* s= */
    EMSEC_SDP_RULE_INFORMATION,   /* i= */
    EMSEC_SDP_RULE_URI,           /* u= */
    EMSEC_SDP_RULE_EMAIL,         /* e= */
    EMSEC_SDP_RULE_PHONE,         /* p= */
    EMSEC_SDP_RULE_CONNECTION,    /* c= */
    EMSEC_SDP_RULE_BANDWIDTH,     /* b= */
    EMSEC_SDP_RULE_TIME,          /* t= */
    EMSEC_SDP_RULE_REPEAT,        /* r= */
    EMSEC_SDP_RULE_ZONE,          /* z= */
    EMSEC_SDP_RULE_KEY,           /* k= */
    EMSEC_SDP_RULE_ATTRIBUTE,     /* a= name / generic value */
    EMSEC_SDP_RULE_MEDIA,         /* m= media token, layout */
    EMSEC_SDP_RULE_PORT,          /* m= port [/count], 0..65535 */
    EMSEC_SDP_RULE_PROTO,         /* m= proto */
    EMSEC_SDP_RULE_FMT,           /* m= fmt list */
    EMSEC_SDP_RULE_CHOOSE,        /* `$` or `-` given outside H.248 mode */
    EMSEC_SDP_RULE_SETUP,         /* a=setup (RFC 4145) */
    EMSEC_SDP_RULE_CONNECTION_ATTR, /* a=connection (RFC 4145) */
    EMSEC_SDP_RULE_FINGERPRINT_HASH, /* a=fingerprint hash-func (RFC 8122) */
    EMSEC_SDP_RULE_FINGERPRINT_HEX,  /* a=fingerprint 2UHEX *(":" 2UHEX) */
    EMSEC_SDP_RULE_FINGERPRINT_LENGTH, /* byte count does not match the hash */
    EMSEC_SDP_RULE_TLS_ID,        /* a=tls-id (RFC 8842) */
    EMSEC_SDP_RULE_PATH_URI,      /* a=path MSRP-URI (RFC 4975 §9) */
    EMSEC_SDP_RULE_ACCEPT_TYPES,  /* a=accept-types (RFC 4975 §9) */
    EMSEC_SDP_RULE_MSRP_CEMA,     /* a=msrp-cema takes no value (RFC 6714) */
    EMSEC_SDP_RULE_KEY_MGMT_PROTOCOL, /* a=key-mgmt prtcl-id (RFC 4567) */
    EMSEC_SDP_RULE_KEY_MGMT_BASE64,   /* a=key-mgmt keymgmt-data */
    EMSEC_SDP_RULE_FLOORCTRL,     /* a=floorctrl (RFC 8856 §5.1) */
    EMSEC_SDP_RULE_CONFID,        /* a=confid (RFC 8856 §5.2) */
    EMSEC_SDP_RULE_USERID,        /* a=userid (RFC 8856 §5.3) */
    EMSEC_SDP_RULE_FLOORID,       /* a=floorid (RFC 8856 §5.4) */
    EMSEC_SDP_RULE_BFCPVER,       /* a=bfcpver (RFC 8856 §5.5) */
    EMSEC_SDP_RULE_LIMIT_MEDIA,   /* more than EMSEC_SDP_MAX_MEDIA m= */
    EMSEC_SDP_RULE_LIMIT_ATTRS,   /* more than EMSEC_SDP_MAX_ATTRS a= */
    EMSEC_SDP_RULE_LIMIT_LINES,   /* more than EMSEC_SDP_MAX_LINES lines */
    EMSEC_SDP_RULE_LIMIT_LINE_LEN,/* a line longer than EMSEC_SDP_MAX_LINE_LEN */
    EMSEC_SDP_RULE_INPUT,         /* input too long for uint32_t offsets / bad call */
    EMSEC_SDP_RULE__COUNT         /* not a rule: the number of rules */
} emsec_sdp_rule;

typedef struct emsec_sdp_error {
    uint32_t offset;     /* byte offset of the failing byte (or of the line) */
    emsec_sdp_rule rule; /* the rule that failed */
} emsec_sdp_error;

/* ------------------------------------------------------------ enums */
typedef enum emsec_sdp_proto {
    EMSEC_SDP_PROTO_OTHER = 0,        /* any other proto token: see proto span */
    EMSEC_SDP_PROTO_TCP_MSRP,         /* TCP/MSRP */
    EMSEC_SDP_PROTO_TCP_TLS_MSRP,     /* TCP/TLS/MSRP */
    EMSEC_SDP_PROTO_TCP_BFCP,         /* TCP/BFCP */
    EMSEC_SDP_PROTO_TCP_TLS_BFCP,     /* TCP/TLS/BFCP */
    EMSEC_SDP_PROTO_TCP_DTLS_BFCP,    /* TCP/DTLS/BFCP */
    EMSEC_SDP_PROTO_TCP_TLS,          /* TCP/TLS */
    EMSEC_SDP_PROTO_TCP,              /* TCP */
    EMSEC_SDP_PROTO_TLS,              /* TLS (H.248 profile: agnostic TLS) */
    EMSEC_SDP_PROTO_UDP_TLS_UDPTL,    /* UDP/TLS/UDPTL */
    EMSEC_SDP_PROTO_UDPTL,            /* udptl */
    EMSEC_SDP_PROTO_RTP_AVP,          /* RTP/AVP */
    EMSEC_SDP_PROTO_RTP_SAVP,         /* RTP/SAVP */
    EMSEC_SDP_PROTO_RTP_AVPF,         /* RTP/AVPF */
    EMSEC_SDP_PROTO_RTP_SAVPF,        /* RTP/SAVPF */
    EMSEC_SDP_PROTO_UDP_TLS_RTP_SAVP, /* UDP/TLS/RTP/SAVP */
    EMSEC_SDP_PROTO_UDP_TLS_RTP_SAVPF,/* UDP/TLS/RTP/SAVPF */
    EMSEC_SDP_PROTO_UDP,              /* udp */
    EMSEC_SDP_PROTO__COUNT
} emsec_sdp_proto;
/* Proto names are compared without regard to case (DESIGN.md: controllers
 * lowercase tokens); the span keeps the bytes as received. */

typedef enum emsec_sdp_attr_kind {
    EMSEC_SDP_ATTR_UNKNOWN = 0,  /* any other attribute: name/value spans only */
    EMSEC_SDP_ATTR_SETUP,
    EMSEC_SDP_ATTR_CONNECTION,
    EMSEC_SDP_ATTR_FINGERPRINT,
    EMSEC_SDP_ATTR_TLS_ID,
    EMSEC_SDP_ATTR_PATH,
    EMSEC_SDP_ATTR_ACCEPT_TYPES,
    EMSEC_SDP_ATTR_MSRP_CEMA,
    EMSEC_SDP_ATTR_KEY_MGMT,
    EMSEC_SDP_ATTR_FLOORCTRL,
    EMSEC_SDP_ATTR_CONFID,
    EMSEC_SDP_ATTR_USERID,
    EMSEC_SDP_ATTR_FLOORID,
    EMSEC_SDP_ATTR_BFCPVER,
    EMSEC_SDP_ATTR__COUNT
} emsec_sdp_attr_kind;
/* Attribute names are matched exactly (case-sensitive, as registered);
 * a differently spelled name is an UNKNOWN attribute, not an error. */

typedef enum emsec_sdp_setup {
    EMSEC_SDP_SETUP_NONE = 0,   /* no a=setup applies */
    EMSEC_SDP_SETUP_ACTIVE,
    EMSEC_SDP_SETUP_PASSIVE,
    EMSEC_SDP_SETUP_ACTPASS,
    EMSEC_SDP_SETUP_HOLDCONN,
    EMSEC_SDP_SETUP_CHOOSE,     /* a=setup:$ (H.248) */
    EMSEC_SDP_SETUP_UNSPECIFIED /* a=setup:- (H.248) */
} emsec_sdp_setup;

typedef enum emsec_sdp_connval {
    EMSEC_SDP_CONNVAL_NONE = 0,
    EMSEC_SDP_CONNVAL_NEW,
    EMSEC_SDP_CONNVAL_EXISTING,
    EMSEC_SDP_CONNVAL_CHOOSE,
    EMSEC_SDP_CONNVAL_UNSPECIFIED
} emsec_sdp_connval;

typedef enum emsec_sdp_hash {
    EMSEC_SDP_HASH_OTHER = 0, /* a token not listed: see hash_name */
    EMSEC_SDP_HASH_SHA1,      /* 20 bytes */
    EMSEC_SDP_HASH_SHA224,    /* 28 */
    EMSEC_SDP_HASH_SHA256,    /* 32 */
    EMSEC_SDP_HASH_SHA384,    /* 48 */
    EMSEC_SDP_HASH_SHA512,    /* 64 */
    EMSEC_SDP_HASH_MD5,       /* 16 */
    EMSEC_SDP_HASH_MD2        /* 16 */
} emsec_sdp_hash;

/* a=floorctrl role bits */
#define EMSEC_SDP_FLOORCTRL_C_ONLY 0x1u
#define EMSEC_SDP_FLOORCTRL_S_ONLY 0x2u
#define EMSEC_SDP_FLOORCTRL_C_S    0x4u

/* ------------------------------------------------------------ parsed form */
typedef struct emsec_sdp_conn {     /* c= */
    emsec_span nettype;             /* "IN" */
    emsec_span addrtype;            /* "IP4" */
    emsec_span address;             /* connection-address incl. /ttl/num */
    uint8_t present;
    uint8_t address_choice;         /* emsec_sdp_choice */
} emsec_sdp_conn;

typedef struct emsec_sdp_origin {   /* o= */
    emsec_span username, sess_id, sess_version, nettype, addrtype, address;
    uint8_t present;
    uint8_t address_choice;         /* emsec_sdp_choice */
} emsec_sdp_origin;

/* Every line except a= lines, in input order (v, o, s, i, u, e, p, c, b, t,
 * r, z, k, m). With the a= lines (attrs[], in order, each with its section)
 * a writer reproduces the description: per section, its lines then its
 * attributes. */
typedef struct emsec_sdp_line {
    emsec_span value;               /* after "x=", up to the line end (excl.) */
    uint16_t section;               /* 0 = session, n = media n (1-based) */
    uint8_t type;                   /* the letter: 'v', 'o', ... */
    uint8_t crlf;                   /* 1: line ended CRLF, 0: lone LF or none */
} emsec_sdp_line;

typedef struct emsec_sdp_fingerprint {
    emsec_sdp_hash hash;
    emsec_span hash_name;           /* as received */
    emsec_span value;               /* "AB:CD:..." ({0,0} when choice != VALUE) */
    uint32_t bytes;                 /* number of hex pairs */
} emsec_sdp_fingerprint;

typedef struct emsec_sdp_path {
    uint32_t count;                 /* number of MSRP URIs */
    emsec_span first, last;         /* first and last URI */
} emsec_sdp_path;

typedef struct emsec_sdp_key_mgmt {
    emsec_span protocol;            /* prtcl-id, e.g. "mikey" */
    emsec_span data;                /* base64 keymgmt-data */
} emsec_sdp_key_mgmt;

typedef struct emsec_sdp_floorid {
    uint32_t floor;                 /* floor id, 0..65535 */
    uint32_t stream_count;          /* tokens after "mstrm:"/"m-stream:" */
    emsec_span streams;             /* the stream token list */
} emsec_sdp_floorid;

typedef struct emsec_sdp_list {     /* accept-types, bfcpver */
    uint32_t count;                 /* entries */
    uint32_t mask;                  /* bfcpver: bit v set for version v < 32 */
} emsec_sdp_list;

typedef struct emsec_sdp_attr {
    emsec_span name;                /* attribute name */
    emsec_span value;               /* after ':' to the line end; {0,0} if no ':' */
    uint16_t section;               /* 0 = session, n = media n (1-based) */
    uint8_t kind;                   /* emsec_sdp_attr_kind */
    uint8_t has_value;              /* a ':' was present */
    uint8_t choice;                 /* emsec_sdp_choice: value (or fingerprint) was $ / - */
    uint8_t crlf;                   /* 1: line ended CRLF */
    union {
        emsec_sdp_setup setup;          /* SETUP */
        emsec_sdp_connval connection;   /* CONNECTION */
        emsec_sdp_fingerprint fingerprint; /* FINGERPRINT */
        emsec_span tls_id;              /* TLS_ID (same as value) */
        emsec_sdp_path path;            /* PATH */
        emsec_sdp_list list;            /* ACCEPT_TYPES, BFCPVER */
        emsec_sdp_key_mgmt key_mgmt;    /* KEY_MGMT */
        uint32_t floorctrl;             /* FLOORCTRL: EMSEC_SDP_FLOORCTRL_* bits */
        uint32_t number;                /* CONFID (32 bit), USERID (16 bit) */
        emsec_sdp_floorid floorid;      /* FLOORID */
    } u;
} emsec_sdp_attr;

typedef struct emsec_sdp_media {
    emsec_span media;               /* "audio", "message", ... */
    emsec_span port;                /* digits, or `$` / `-` in H.248 mode */
    emsec_span port_count;          /* digits after '/', {0,0} if absent */
    emsec_span proto_span;          /* proto as received */
    emsec_span fmts;                /* the whole fmt list "0 8 97" */
    uint32_t port_value;            /* 0..65535 (0 when choice != VALUE) */
    uint32_t port_count_value;      /* 0 if absent */
    emsec_sdp_proto proto;
    uint8_t port_choice;            /* emsec_sdp_choice */
    uint8_t conn_count;             /* c= lines in this section (typed: first) */
    uint16_t attr_first;            /* index in attrs[] of its first a= */
    uint16_t attr_count;            /* number of its a= lines */
    emsec_sdp_conn conn;            /* first c= of this section */
} emsec_sdp_media;

typedef struct emsec_sdp {
    emsec_span whole;               /* from v= to the end of the last line end */
    emsec_sdp_origin origin;        /* present == 0: absent (H.248 only) */
    emsec_span session_name;        /* s= value */
    uint8_t has_session_name;
    uint8_t has_time;               /* at least one t= */
    uint8_t has_next;               /* H.248: another description follows */
    uint8_t reserved_;
    uint32_t next;                  /* if has_next: offset of the next "v=" */
    emsec_sdp_conn conn;            /* session-level c= */
    uint32_t session_attr_count;    /* attrs[0 .. session_attr_count) */
    uint32_t line_count;
    uint32_t media_count;
    uint32_t attr_count;
    emsec_sdp_line lines[EMSEC_SDP_MAX_LINES];
    emsec_sdp_media media[EMSEC_SDP_MAX_MEDIA];
    emsec_sdp_attr attrs[EMSEC_SDP_MAX_ATTRS];
} emsec_sdp;

/*
 * A successful parse, as ACSL predicates (the contracts below and the
 * gateway core's proofs use them). What the parser's helpers
 * (core/sdp_internal.h) keep, action by action of spec/sdp.rl:
 *   - a slot is claimed (sdp_line_begin) only below its limit, so the three
 *     counts stay at or below EMSEC_SDP_MAX_*;
 *   - an a= line before the first m= counts in session_attr_count as well as
 *     attr_count, so attrs[0 .. session_attr_count) are the session's;
 *   - m= sets attr_first to attr_count, and each a= of that section adds one
 *     to both attr_count and the media's attr_count, so a media's a= lines
 *     are attrs[attr_first .. attr_first + attr_count) and no further;
 *   - every span is [mark, offset of the byte that ends it), the mark set
 *     before (at the token's first byte, or one past the ':'), and no byte
 *     past len is read (the leniency NO_FINAL_EOL ends the last line with an
 *     LF at offset len itself); a span never set is {0, 0};
 *   - a=setup / a=connection hold one of their enum's values (memset to 0,
 *     then set only by the setup / connection actions and the `$`/`-` one);
 *   - a c= line (session or media level) sets present and its address span
 *     as above (the gateway copies that span: core/mg_sdp.c).
 * The parser itself is not proved to keep them (proofs/UNPROVED.md): they
 * are ASSUMED through the contracts of emsec_sdp_parse and _parse_from.
 */
/*@ // The span lies inside [0, len) of the buffer (integers: no wrap).
    predicate emsec_sdp_span_in(emsec_span sp, integer len) = sp.off + sp.len <= len;

    // One attribute's spans, and its typed value where the accessors read it.
    predicate emsec_sdp_attr_ok{L}(emsec_sdp_attr *a, integer len) =
      emsec_sdp_span_in(a->name, len) && emsec_sdp_span_in(a->value, len) &&
      (a->kind == EMSEC_SDP_ATTR_FINGERPRINT ==>
         emsec_sdp_span_in(a->u.fingerprint.hash_name, len) &&
         emsec_sdp_span_in(a->u.fingerprint.value, len)) &&
      (a->kind == EMSEC_SDP_ATTR_SETUP ==>
         EMSEC_SDP_SETUP_NONE <= a->u.setup <= EMSEC_SDP_SETUP_UNSPECIFIED) &&
      (a->kind == EMSEC_SDP_ATTR_CONNECTION ==>
         EMSEC_SDP_CONNVAL_NONE <= a->u.connection <= EMSEC_SDP_CONNVAL_UNSPECIFIED);

    // The counts and index ranges (what the accessors need).
    predicate emsec_sdp_counts_ok{L}(emsec_sdp *s) =
      s->media_count <= EMSEC_SDP_MAX_MEDIA && s->attr_count <= EMSEC_SDP_MAX_ATTRS &&
      s->line_count <= EMSEC_SDP_MAX_LINES && s->session_attr_count <= s->attr_count &&
      \forall integer m; 0 <= m < s->media_count ==>
        s->media[m].attr_first + s->media[m].attr_count <= s->attr_count;

    // a is one of the parsed attributes attrs[0 .. attr_count - 1].
    predicate emsec_sdp_attr_in{L}(emsec_sdp *s, emsec_sdp_attr *a) =
      \exists integer j; 0 <= j < s->attr_count && a == &s->attrs[j];

    // A c= line's address inside the buffer, when there is one.
    predicate emsec_sdp_conn_ok{L}(emsec_sdp_conn *c, integer len) =
      c->present != 0 ==> emsec_sdp_span_in(c->address, len);

    // A successful parse of a buffer of len bytes.
    predicate emsec_sdp_ok{L}(emsec_sdp *s, integer len) =
      emsec_sdp_counts_ok(s) &&
      (\forall integer j; 0 <= j < s->attr_count ==> emsec_sdp_attr_ok(&s->attrs[j], len)) &&
      emsec_sdp_conn_ok(&s->conn, len) &&
      \forall integer m; 0 <= m < s->media_count ==> emsec_sdp_conn_ok(&s->media[m].conn, len);
*/

/* ------------------------------------------------------------ parser */
/* All fields private: read them only through the functions below. */
typedef struct emsec_sdp_parser {
    emsec_sdp *out;
    const uint8_t *buf;      /* valid only during a call */
    uint32_t start;          /* offset where this description begins */
    uint32_t pos;            /* next byte to run through the machine */
    int cs;                  /* Ragel state */
    uint32_t mode;
    uint32_t flags;
    emsec_result status;     /* EMSEC_OK or the first error */
    emsec_sdp_error err;
    uint32_t done;           /* H.248: next v= seen, nothing more to parse */
    uint32_t rule;           /* rule in force at pos */
    uint32_t order;          /* line-order state (core/sdp_parse.c) */
    uint32_t in_line;        /* 1 between a line's letter and its line end */
    uint32_t line_start;     /* offset of the current line's letter */
    uint32_t val_start;      /* offset after "x=" */
    uint32_t m1, m2, m3;     /* token marks (offsets) */
    uint32_t num;            /* number being accumulated */
    uint32_t count;          /* list entries being counted */
    uint32_t crlf;           /* current line end had CR */
    uint32_t section;        /* current section: 0 session, n media n */
    uint32_t letter;         /* type letter of the current line */
} emsec_sdp_parser;

/*
 * Start (or restart) a parser that fills `out`.
 * requires: ps, out valid; mode is EMSEC_SDP_MODE_FULL or _H248;
 *           flags has only EMSEC_SDP_LENIENT_* bits.
 * Returns EMSEC_ERR_ARGUMENT (and leaves a failed parser) otherwise.
 * `out` is reset (counts to zero) here; it is valid after a successful finish.
 */
EMSEC_MUST_USE emsec_result emsec_sdp_parser_init(emsec_sdp_parser *ps, emsec_sdp *out,
                                                  emsec_sdp_mode mode, uint32_t flags);

/* Same, but the description begins at offset `start` of the buffer that
 * later feeds pass (H.248: the next description, at out->next). */
EMSEC_MUST_USE emsec_result emsec_sdp_parser_init_at(emsec_sdp_parser *ps, emsec_sdp *out,
                                                     emsec_sdp_mode mode, uint32_t flags,
                                                     uint32_t start);

/*
 * Run the bytes [previous len, len) of `buf`.
 * requires: ps initialised; buf readable for len bytes (may be NULL iff
 *           len == 0); len >= len of the previous feed (and >= start);
 *           the first bytes of buf equal those of earlier feeds.
 * Returns EMSEC_OK (all bytes consumed, or, H.248, the description ended at
 * the next v=), EMSEC_ERR_SYNTAX / _LIMIT (first error; see last_error),
 * EMSEC_ERR_FAILED_BEFORE after an earlier error.
 */
EMSEC_MUST_USE emsec_result emsec_sdp_feed(emsec_sdp_parser *ps, const uint8_t *buf,
                                           uint32_t len);

/*
 * End of input: feeds [previous len, len) first, then checks that the
 * description is complete (required lines present, last line ended).
 * requires: as emsec_sdp_feed.
 * Returns EMSEC_OK, EMSEC_ERR_INCOMPLETE (last line without line end, rule
 * of that line; or rule MISSING_LINE), EMSEC_ERR_SYNTAX, EMSEC_ERR_LIMIT,
 * EMSEC_ERR_FAILED_BEFORE.
 */
EMSEC_MUST_USE emsec_result emsec_sdp_finish(emsec_sdp_parser *ps, const uint8_t *buf,
                                             uint32_t len);

/* The first error (offset 0, rule NONE if none). requires: ps initialised. */
emsec_sdp_error emsec_sdp_last_error(const emsec_sdp_parser *ps);

/*
 * One shot: init + finish over buf[0, len).
 * requires: out valid; buf readable for len bytes (may be NULL iff len == 0);
 *           err may be NULL (else it receives the error, or {0, NONE}).
 */
/*@ // ASSUMED, not proved: the parser (core/sdp_parse.c, core/sdp_internal.h,
    // gen/sdp.c) is not under WP (proofs/UNPROVED.md); the facts of
    // emsec_sdp_ok are those listed above it.
    requires \valid(out);
    requires \valid_read(buf + (0 .. len - 1));
    requires err == \null || \valid(err);
    requires \separated(out, buf + (0 .. len - 1));
    requires err == \null || \separated(err, out, buf + (0 .. len - 1));
    assigns *out, *err; // *err only when err != NULL
    ensures ok: \result == EMSEC_OK ==> emsec_sdp_ok(out, len);
*/
EMSEC_MUST_USE emsec_result emsec_sdp_parse(emsec_sdp *out, emsec_sdp_mode mode, uint32_t flags,
                                            const uint8_t *buf, uint32_t len,
                                            emsec_sdp_error *err);

/* One shot from offset `start` (spans stay offsets into buf). H.248 loop:
 *   start = 0; do { r = emsec_sdp_parse_from(&sdp, H248, 0, buf, len, start, &e);
 *                   ...; start = sdp.next; } while (r == EMSEC_OK && sdp.has_next);
 * requires: as emsec_sdp_parse, and start <= len. */
/*@ // ASSUMED, not proved (as emsec_sdp_parse above).
    requires \valid(out);
    requires \valid_read(buf + (0 .. len - 1));
    requires start <= len;
    requires err == \null || \valid(err);
    requires \separated(out, buf + (0 .. len - 1));
    requires err == \null || \separated(err, out, buf + (0 .. len - 1));
    assigns *out, *err; // *err only when err != NULL
    ensures ok: \result == EMSEC_OK ==> emsec_sdp_ok(out, len);
*/
EMSEC_MUST_USE emsec_result emsec_sdp_parse_from(emsec_sdp *out, emsec_sdp_mode mode,
                                                 uint32_t flags, const uint8_t *buf,
                                                 uint32_t len, uint32_t start,
                                                 emsec_sdp_error *err);

/* The same one-shot parse over text held as `char` (an SDP body inside an
 * H.248 message, a file read as text): emsec_sdp_parse of the same bytes.
 * requires: as emsec_sdp_parse. Spans are offsets into text. */
/*@ // ASSUMED, not proved (as emsec_sdp_parse above, which it calls). It
    // exists for the proofs as much as for callers: WP's typed memory model
    // does not follow a char buffer through a cast to uint8_t, so a proved
    // caller holding char text calls this entry (proofs/UNPROVED.md).
    requires \valid(out);
    requires \valid_read(text + (0 .. len - 1));
    requires err == \null || \valid(err);
    requires \separated(out, text + (0 .. len - 1));
    requires err == \null || \separated(err, out, text + (0 .. len - 1));
    assigns *out, *err; // *err only when err != NULL
    ensures ok: \result == EMSEC_OK ==> emsec_sdp_ok(out, len);
*/
EMSEC_MUST_USE emsec_result emsec_sdp_parse_text(emsec_sdp *out, emsec_sdp_mode mode,
                                                 uint32_t flags, const char *text,
                                                 uint32_t len, emsec_sdp_error *err);

/* Short stable names, never NULL ("?" for a value out of range), each
 * under EMSEC_SDP_NAME_MAX bytes (tests/unit/test_sdp_parse.c checks every
 * value). */
#define EMSEC_SDP_NAME_MAX 32
/*@ // ASSUMED, not proved: a look-up in a table of literals (core/sdp_parse.c).
    assigns \result \from rule;
    ensures valid_read_string(\result) && strlen(\result) < EMSEC_SDP_NAME_MAX;
    // read-only (a literal): so apart from any buffer the caller writes
    ensures \forall integer i; 0 <= i <= strlen(\result) ==> !\valid(\result + i);
*/
const char *emsec_sdp_rule_name(emsec_sdp_rule rule);
const char *emsec_sdp_proto_name(emsec_sdp_proto proto);

/* ------------------------------------------------------------ accessors */
/* `mi` is a 0-based media index; requires: sdp valid (a successful parse),
 * mi < sdp->media_count (else the answer is NONE / NULL / 0). */

/* a=setup for media mi: the media-level one, else the session-level one
 * (RFC 4145 §4: session- or media-level; a media-level attribute overrides).
 * The first one of a level counts. */
/*@ requires \valid_read(sdp) && emsec_sdp_counts_ok(sdp);
    assigns \nothing;
    ensures none: mi >= sdp->media_count ==> \result == EMSEC_SDP_SETUP_NONE;
    ensures from_attr: \result == EMSEC_SDP_SETUP_NONE ||
      \exists integer j; 0 <= j < sdp->attr_count &&
        sdp->attrs[j].kind == EMSEC_SDP_ATTR_SETUP && \result == sdp->attrs[j].u.setup;
*/
emsec_sdp_setup emsec_sdp_media_setup(const emsec_sdp *sdp, uint32_t mi);

/* a=connection for media mi, same precedence as setup. */
/*@ requires \valid_read(sdp) && emsec_sdp_counts_ok(sdp);
    assigns \nothing;
    ensures none: mi >= sdp->media_count ==> \result == EMSEC_SDP_CONNVAL_NONE;
    ensures from_attr: \result == EMSEC_SDP_CONNVAL_NONE ||
      \exists integer j; 0 <= j < sdp->attr_count &&
        sdp->attrs[j].kind == EMSEC_SDP_ATTR_CONNECTION && \result == sdp->attrs[j].u.connection;
*/
emsec_sdp_connval emsec_sdp_media_connection(const emsec_sdp *sdp, uint32_t mi);

/* a=tls-id of media mi: media-level only (RFC 8842 §5 "media-level"). NULL if none. */
/*@ requires \valid_read(sdp) && emsec_sdp_counts_ok(sdp);
    assigns \result \from sdp, mi, *sdp;
    ensures none: mi >= sdp->media_count ==> \result == \null;
    ensures media_level: \result != \null ==> mi < sdp->media_count &&
      \exists integer j; sdp->media[mi].attr_first <= j < sdp->media[mi].attr_first + sdp->media[mi].attr_count &&
        \result == &sdp->attrs[j] && sdp->attrs[j].kind == EMSEC_SDP_ATTR_TLS_ID;
*/
const emsec_sdp_attr *emsec_sdp_media_tls_id(const emsec_sdp *sdp, uint32_t mi);

/* The fingerprints that apply to media mi: its media-level ones if it has
 * any, else the session-level ones (RFC 8122 §5). Writes up to `max` pointers
 * to `out` (may be NULL iff max == 0); returns how many apply (may exceed max). */
/*@ requires \valid_read(sdp) && emsec_sdp_counts_ok(sdp);
    requires \valid(out + (0 .. max - 1));
    requires \separated(out + (0 .. max - 1), sdp);
    assigns out[0 .. max - 1] \from sdp, mi, max, *sdp;
    ensures bound: \result <= sdp->attr_count;
    ensures none: mi >= sdp->media_count ==> \result == 0;
    ensures fingerprints: \forall integer k; 0 <= k < \result && k < max ==>
      emsec_sdp_attr_in(sdp, out[k]) && out[k]->kind == EMSEC_SDP_ATTR_FINGERPRINT;
*/
uint32_t emsec_sdp_media_fingerprints(const emsec_sdp *sdp, uint32_t mi,
                                      const emsec_sdp_attr **out, uint32_t max);

/* First attribute of `kind` in `section` (0 session, n media n) at index >=
 * `from` of attrs[]; returns its index, or sdp->attr_count if none. */
/*@ requires \valid_read(sdp) && emsec_sdp_counts_ok(sdp);
    assigns \nothing;
    ensures bound: \result <= sdp->attr_count;
    ensures found: \result < sdp->attr_count ==>
      from <= \result && sdp->attrs[\result].section == section &&
      sdp->attrs[\result].kind == (uint8_t)kind;
    ensures first: \forall integer j; from <= j < \result ==>
      !(sdp->attrs[j].section == section && sdp->attrs[j].kind == (uint8_t)kind);
*/
uint32_t emsec_sdp_find_attr(const emsec_sdp *sdp, uint32_t section,
                             emsec_sdp_attr_kind kind, uint32_t from);

#endif /* EMSEC_SDP_H */
