/*
 * emsec: streaming MSRP framer (RFC 4975 §7-9, RFC 4976 Use-Path) and the
 * To-Path / From-Path rewriter of the MSRP-aware IMS-AGW (TR 29.828 §4.1.4).
 *
 * Grammar of the header block: spec/msrp.rl. Generated machine: gen/msrp.c.
 * Framer (end-line, body, events): core/msrp_frame.c. Rewriter and a=path
 * values: core/msrp_rewrite.c.
 *
 * ---------------------------------------------------------------- framer
 * One framer per direction of a TCP (or TLS) stream. The caller feeds the
 * bytes as they arrive, split anywhere; the framer answers one event per
 * call and says how many bytes it used:
 *
 *     emsec_msrp_framer_init(&fr, &msg);
 *     while (len > 0) {
 *         r = emsec_msrp_feed(&fr, data, len, &used, &ev);
 *         if (r != EMSEC_OK) { ... emsec_msrp_last_error(&fr) ...; break; }
 *         switch (ev.kind) { HEADER: msg is filled; BODY: pass ev.data[0, ev.len)
 *                            on; END: ev.flag; NONE: all bytes used }
 *         data += used; len -= used;
 *     }
 *
 * Memory per stream is bounded: the framer keeps the header block of the
 * message being read (at most EMSEC_MSRP_MAX_HEADER bytes; more is
 * EMSEC_ERR_LIMIT) and the bytes of a possible end-line (at most
 * EMSEC_MSRP_MAX_END_LINE). Bodies are never buffered: a BODY event points
 * into the bytes just fed, except for bytes that looked like the start of
 * an end-line at the end of an earlier feed and turned out to be body; those
 * (at most EMSEC_MSRP_MAX_END_LINE) come from the framer's own look-behind
 * buffer (ev.held == 1). Every input byte is in exactly one event: the
 * header block (HEADER), a body chunk (BODY) or the end-line (END), so the
 * concatenation of the events' bytes is the input.
 *
 * Framing rules (each one an error rule below when broken):
 *   - start line: "MSRP" SP transact-id SP (method | status-code [SP comment]) CRLF;
 *   - To-Path first, From-Path second (RFC 4975 §9 `headers`), then any other
 *     headers. Zero further headers are accepted: the RFC's own responses
 *     (§4, §11.1) carry To-Path and From-Path alone although the ABNF says
 *     1*( header CRLF );
 *   - a body follows an empty line, only in a request, only when the last
 *     header is Content-Type (RFC 4975 §7.1); a request without body carries
 *     no Content-Type (§7.1); a response has no body (§9 msrp-response);
 *   - the end-line "-------" transact-id flag CRLF, flag one of + $ #, with the
 *     transact-id of the start line (RFC 4975 §7.1, §9); after a body it must
 *     be preceded by a CRLF that is not part of the body. Anything else in a
 *     body, end-line look-alikes included, is body;
 *   - a non-SEND request body is at most 10240 bytes (RFC 4975 §7.1).
 *
 * Failure is absorbing: after the first error every feed returns
 * EMSEC_ERR_FAILED_BEFORE until emsec_msrp_framer_init() is called again.
 * The error's offset counts bytes from the start of the stream.
 *
 * ---------------------------------------------------------------- rewriter
 * Once per session, emsec_msrp_prepare() checks the four a=path values and
 * splits their URIs; then, per message, emsec_msrp_rewrite() compares the
 * message's To-Path and From-Path against those parts and writes the new
 * header block. See emsec_msrp_rewrite() below for the rule and its
 * citations.
 */
#ifndef EMSEC_MSRP_H
#define EMSEC_MSRP_H

#include <stdint.h>

#include "emsec/result.h"

/* ------------------------------------------------------------ limits */
#define EMSEC_MSRP_MAX_HEADER   8192u  /* header block bytes, start line to the empty line
                                          (or to the last header's CRLF without body) */
#define EMSEC_MSRP_MAX_HEADERS  32u    /* header lines per message */
#define EMSEC_MSRP_MAX_PATH     8u     /* URIs per To-Path / From-Path / Use-Path */
#define EMSEC_MSRP_MAX_TID      32u    /* transact-id: ALPHANUM 3*31ident-char (RFC 4975 §9) */
#define EMSEC_MSRP_MIN_TID      4u
/* CRLF "-------" tid flag CRLF */
#define EMSEC_MSRP_MAX_END_LINE (2u + 7u + EMSEC_MSRP_MAX_TID + 1u + 2u)
#define EMSEC_MSRP_MAX_NON_SEND_BODY 10240u /* RFC 4975 §7.1 */

/* ------------------------------------------------------------ rules */
typedef enum emsec_msrp_rule {
    EMSEC_MSRP_RULE_NONE = 0,
    EMSEC_MSRP_RULE_START_LINE,       /* "MSRP" SP ... */
    EMSEC_MSRP_RULE_TRANSACTION_ID,   /* ident */
    EMSEC_MSRP_RULE_METHOD,           /* 1*UPALPHA */
    EMSEC_MSRP_RULE_STATUS_CODE,      /* 3DIGIT [SP comment] */
    EMSEC_MSRP_RULE_HEADER,           /* a header line (name) */
    EMSEC_MSRP_RULE_TO_PATH,          /* missing, misplaced or bad To-Path */
    EMSEC_MSRP_RULE_FROM_PATH,        /* missing, misplaced or bad From-Path */
    EMSEC_MSRP_RULE_URI,              /* MSRP-URI (RFC 4975 §9) */
    EMSEC_MSRP_RULE_MESSAGE_ID,
    EMSEC_MSRP_RULE_BYTE_RANGE,
    EMSEC_MSRP_RULE_SUCCESS_REPORT,
    EMSEC_MSRP_RULE_FAILURE_REPORT,
    EMSEC_MSRP_RULE_STATUS,
    EMSEC_MSRP_RULE_CONTENT_TYPE,
    EMSEC_MSRP_RULE_USE_PATH,
    EMSEC_MSRP_RULE_EXT_HEADER,       /* hname ":" SP utf8text */
    EMSEC_MSRP_RULE_LINE_END,         /* CRLF expected */
    EMSEC_MSRP_RULE_DUPLICATE_HEADER, /* a typed header twice */
    EMSEC_MSRP_RULE_CONTENT_TYPE_LAST,/* body after a header other than Content-Type */
    EMSEC_MSRP_RULE_CONTENT_TYPE_NO_BODY, /* Content-Type in a request without body */
    EMSEC_MSRP_RULE_RESPONSE_BODY,    /* a response with a body */
    EMSEC_MSRP_RULE_END_LINE,         /* end-line expected and not found */
    EMSEC_MSRP_RULE_NON_SEND_BODY,    /* non-SEND body over 10240 bytes */
    EMSEC_MSRP_RULE_LIMIT_HEADER,     /* header block over EMSEC_MSRP_MAX_HEADER */
    EMSEC_MSRP_RULE_LIMIT_HEADERS,    /* over EMSEC_MSRP_MAX_HEADERS lines */
    EMSEC_MSRP_RULE_LIMIT_PATH,       /* over EMSEC_MSRP_MAX_PATH URIs */
    EMSEC_MSRP_RULE_INCOMPLETE,       /* emsec_msrp_finish inside a message */
    EMSEC_MSRP_RULE_INPUT,            /* a precondition of the call did not hold */
    EMSEC_MSRP_RULE__COUNT
} emsec_msrp_rule;

typedef struct emsec_msrp_error {
    uint64_t offset;        /* stream offset of the failing byte */
    emsec_msrp_rule rule;
} emsec_msrp_error;

/* ------------------------------------------------------------ message */
typedef enum emsec_msrp_kind {
    EMSEC_MSRP_REQUEST = 1,
    EMSEC_MSRP_RESPONSE = 2
} emsec_msrp_kind;

typedef enum emsec_msrp_method {
    EMSEC_MSRP_METHOD_NONE = 0,  /* a response */
    EMSEC_MSRP_METHOD_SEND,
    EMSEC_MSRP_METHOD_REPORT,
    EMSEC_MSRP_METHOD_AUTH,      /* RFC 4976 §4.1 */
    EMSEC_MSRP_METHOD_OTHER      /* other-method: see method span */
} emsec_msrp_method;

typedef enum emsec_msrp_header_kind {
    EMSEC_MSRP_H_OTHER = 0,      /* ext-header / Other-Mime-header: spans only */
    EMSEC_MSRP_H_TO_PATH,
    EMSEC_MSRP_H_FROM_PATH,
    EMSEC_MSRP_H_MESSAGE_ID,
    EMSEC_MSRP_H_BYTE_RANGE,
    EMSEC_MSRP_H_SUCCESS_REPORT,
    EMSEC_MSRP_H_FAILURE_REPORT,
    EMSEC_MSRP_H_STATUS,
    EMSEC_MSRP_H_CONTENT_TYPE,
    EMSEC_MSRP_H_USE_PATH
} emsec_msrp_header_kind;

/* Report header values (absent = NONE). */
typedef enum emsec_msrp_report {
    EMSEC_MSRP_REPORT_NONE = 0,
    EMSEC_MSRP_REPORT_YES,
    EMSEC_MSRP_REPORT_NO,
    EMSEC_MSRP_REPORT_PARTIAL    /* Failure-Report only */
} emsec_msrp_report;

/* Byte-Range: "*" in range-end or total is EMSEC_MSRP_UNKNOWN. */
#define EMSEC_MSRP_UNKNOWN UINT64_MAX

typedef struct emsec_msrp_header {
    emsec_span line;        /* whole line, CRLF excluded */
    emsec_span name;        /* before ':' */
    emsec_span value;       /* after ": " */
    uint32_t kind;          /* emsec_msrp_header_kind */
} emsec_msrp_header;

typedef struct emsec_msrp_path {
    uint32_t count;                        /* URIs */
    emsec_span uri[EMSEC_MSRP_MAX_PATH];   /* each MSRP-URI */
} emsec_msrp_path;

/*
 * One message's header block. Every span is an offset into the header block
 * bytes (emsec_msrp_header_bytes()), valid until the next feed.
 */
typedef struct emsec_msrp_msg {
    uint32_t kind;              /* emsec_msrp_kind */
    uint32_t method;            /* emsec_msrp_method */
    emsec_span start_line;      /* CRLF excluded */
    emsec_span tid;             /* transact-id */
    emsec_span method_name;     /* request: the method */
    uint32_t status;            /* response: 100..999 */
    emsec_span comment;         /* response: after the code ({0,0} if none) */
    emsec_msrp_path to_path;
    emsec_msrp_path from_path;
    emsec_msrp_path use_path;   /* RFC 4976 §4.2 ({0} if absent) */
    emsec_span message_id;      /* {0,0} if absent */
    emsec_span content_type;    /* {0,0} if absent */
    uint32_t has_byte_range;
    uint64_t range_start;       /* Byte-Range (RFC 4975 §7.1.1, §9) */
    uint64_t range_end;         /* EMSEC_MSRP_UNKNOWN for "*" */
    uint64_t range_total;       /* EMSEC_MSRP_UNKNOWN for "*" */
    uint32_t success_report;    /* emsec_msrp_report */
    uint32_t failure_report;    /* emsec_msrp_report */
    uint32_t has_status;        /* Status header (REPORT) */
    uint32_t status_namespace;  /* 000 */
    uint32_t status_code;
    uint32_t has_body;          /* an empty line followed the headers */
    uint32_t header_count;
    emsec_msrp_header headers[EMSEC_MSRP_MAX_HEADERS]; /* in input order, To-Path first */
    uint32_t header_len;        /* bytes of the header block, empty line included */
} emsec_msrp_msg;

/* ------------------------------------------------------------ events */
typedef enum emsec_msrp_event_kind {
    EMSEC_MSRP_EV_NONE = 0,     /* all bytes used, nothing to report yet */
    EMSEC_MSRP_EV_HEADER,       /* msg filled; data/len: the header block */
    EMSEC_MSRP_EV_BODY,         /* data/len: body bytes, in order */
    EMSEC_MSRP_EV_END           /* data/len: the end-line (with its leading
                                   CRLF after a body); flag: + $ # */
} emsec_msrp_event_kind;

typedef struct emsec_msrp_event {
    uint32_t kind;              /* emsec_msrp_event_kind */
    const uint8_t *data;        /* the event's bytes (NULL for NONE) */
    uint32_t len;
    uint32_t off;               /* BODY with held == 0: data == fed + off */
    uint32_t held;              /* BODY: 1 if data is the framer's look-behind */
    uint32_t flag;              /* END: '+', '$' or '#' */
    uint64_t body_len;          /* END: body bytes of this message */
} emsec_msrp_event;

/* ------------------------------------------------------------ framer */
/* All fields private. */
typedef struct emsec_msrp_framer {
    emsec_msrp_msg *msg;
    uint8_t hdr[EMSEC_MSRP_MAX_HEADER + 1u]; /* + the byte that ends a full block */
    uint32_t hdr_len;           /* bytes of hdr run through the machine */
    uint32_t hdr_end;           /* end of the header block once found */
    uint32_t phase;             /* core/msrp_frame.c */
    int cs;                     /* Ragel state */
    uint32_t rule;              /* rule in force (emsec_msrp_rule) */
    uint32_t line_start;        /* offsets in hdr of the current line */
    uint32_t mark;              /* start of the token being read */
    uint32_t val_start;
    uint32_t last_kind;         /* kind of the last header line */
    uint32_t ended;             /* the machine found the end of the block */
    uint8_t pat[EMSEC_MSRP_MAX_END_LINE]; /* CRLF "-------" tid, then flag CRLF */
    uint32_t pat_tid_end;       /* pat[0, pat_tid_end): CRLF dashes tid */
    uint32_t match;             /* bytes of pat matched so far */
    uint64_t body_len;
    uint64_t pos;               /* stream offset of the next byte */
    uint64_t hdr_base;          /* stream offset of hdr[0] */
    emsec_result status;
    emsec_msrp_error err;
} emsec_msrp_framer;

/*
 * Start (or restart) a framer that fills `msg` at each HEADER event.
 * requires: fr, msg valid. Returns EMSEC_OK.
 */
EMSEC_MUST_USE emsec_result emsec_msrp_framer_init(emsec_msrp_framer *fr, emsec_msrp_msg *msg);

/*
 * Run bytes data[0, len) until one event. *used receives how many bytes the
 * event consumed (*used <= len; the caller feeds the rest again); *ev the
 * event. With len > 0, *used is 0 only for a BODY of held bytes
 * (ev->held == 1), which gives back bytes of earlier feeds, or for a HEADER
 * whose block end is the first byte fed (a block without body ends at the
 * '-' that starts the end-line); the next call then makes progress.
 * The event's bytes lie in data[0, *used) (BODY, held == 0), in the
 * framer's header block (HEADER) or in its end-line look-behind (BODY,
 * held == 1; END), valid until the next call.
 * requires: fr initialised; data readable for len bytes (may be NULL iff
 *           len == 0); used, ev valid; data, used, ev, fr and the framer's
 *           msg do not overlap.
 * Returns EMSEC_OK, EMSEC_ERR_SYNTAX / EMSEC_ERR_LIMIT (see last_error; *used
 * is then the bytes up to the failing one), EMSEC_ERR_FAILED_BEFORE.
 */
EMSEC_MUST_USE emsec_result emsec_msrp_feed(emsec_msrp_framer *fr, const uint8_t *data,
                                            uint32_t len, uint32_t *used,
                                            emsec_msrp_event *ev);

/*
 * End of stream: EMSEC_OK between messages, else EMSEC_ERR_INCOMPLETE (rule
 * INCOMPLETE at the stream offset reached) or FAILED_BEFORE.
 * requires: fr initialised.
 */
EMSEC_MUST_USE emsec_result emsec_msrp_finish(emsec_msrp_framer *fr);

/* The first error ({0, NONE} if none). requires: fr initialised. */
emsec_msrp_error emsec_msrp_last_error(const emsec_msrp_framer *fr);

/* The header block the spans of msg point into (valid until the next feed).
 * requires: fr initialised. */
const uint8_t *emsec_msrp_header_bytes(const emsec_msrp_framer *fr);

/* Short stable names, never NULL ("?" out of range). */
const char *emsec_msrp_rule_name(emsec_msrp_rule rule);

/* ------------------------------------------------------------ rewriter */

/* Bytes the caller owns. */
typedef struct emsec_msrp_bytes {
    const uint8_t *ptr;         /* may be NULL iff len == 0 */
    uint32_t len;
} emsec_msrp_bytes;

/* One leg of the gateway: what it presents to the peer on that side. */
typedef struct emsec_msrp_leg {
    uint32_t tls;               /* 1: TLS leg (msrps), 0: plain TCP (msrp) */
    emsec_msrp_bytes host;      /* the gateway's host on this leg: reg-name or IP-literal */
    uint32_t port;              /* 1..65535 */
    emsec_msrp_bytes session_id;/* 1*( unreserved / "+" / "=" / "/" ), at most 64 bytes */
} emsec_msrp_leg;

/*
 * The a=path value the controller sends towards the peer of `leg` (issue 7
 * item 3): the gateway's own URI on that leg, one URI, since the gateway
 * presents itself as the MSRP endpoint to each side (TR 29.828 §4.1.4):
 *     msrps://HOST:PORT/SESSION-ID;tcp   (TLS leg, RFC 4975 §6)
 *     msrp://HOST:PORT/SESSION-ID;tcp    (plain leg)
 * Written to out[0, cap); *out_len receives the length (also on NO_SPACE:
 * the length needed).
 * requires: leg, out_len valid; out writable for cap bytes (may be NULL iff
 *           cap == 0), overlapping neither leg's bytes nor out_len.
 * Returns EMSEC_OK, EMSEC_ERR_ARGUMENT (host or session-id empty, too long
 * or with a byte the MSRP-URI grammar refuses; port 0 or > 65535),
 * EMSEC_ERR_NO_SPACE.
 */
EMSEC_MUST_USE emsec_result emsec_msrp_local_path(const emsec_msrp_leg *leg, uint8_t *out,
                                                  uint32_t cap, uint32_t *out_len);

/* The session as the two sides negotiated it. Side 0 is A, side 1 is B. */
typedef struct emsec_msrp_session {
    emsec_msrp_bytes own[2];    /* the gateway's URI on each side (emsec_msrp_local_path) */
    emsec_msrp_bytes peer[2];   /* each peer's a=path (Remote): MSRP-URIs separated by SP */
} emsec_msrp_session;

/* Limits of a prepared session: each of the four paths is at most
 * EMSEC_MSRP_MAX_PATH_BYTES bytes and holds at most EMSEC_MSRP_MAX_PATH URIs
 * (as many as a To-Path the framer accepts); an own path holds exactly one. */
#define EMSEC_MSRP_MAX_PATH_BYTES 65535u

/* What is wrong with a session path (emsec_msrp_prepare). */
typedef enum emsec_msrp_path_fault {
    EMSEC_MSRP_PATH_OK = 0,
    EMSEC_MSRP_PATH_EMPTY,      /* no bytes (ptr NULL or len 0) */
    EMSEC_MSRP_PATH_TOO_LONG,   /* over EMSEC_MSRP_MAX_PATH_BYTES bytes */
    EMSEC_MSRP_PATH_SPACING,    /* a leading, trailing or doubled SP */
    EMSEC_MSRP_PATH_BAD_URI,    /* a URI that is not an MSRP-URI (RFC 4975 §9) */
    EMSEC_MSRP_PATH_TOO_MANY,   /* over EMSEC_MSRP_MAX_PATH URIs */
    EMSEC_MSRP_PATH_NOT_ONE,    /* an own path with more than one URI */
    EMSEC_MSRP_PATH__COUNT
} emsec_msrp_path_fault;

/* Which path of the session failed, why, and where. */
typedef struct emsec_msrp_path_error {
    uint32_t side;              /* 0 (A) or 1 (B) */
    uint32_t peer;              /* 0: own[side], 1: peer[side] */
    uint32_t fault;             /* emsec_msrp_path_fault (OK: no error) */
    uint32_t offset;            /* byte of that path where the fault starts */
} emsec_msrp_path_error;

/* One MSRP-URI cut into the parts RFC 4975 §6.1 compares; offsets count
 * from the URI's first byte. All fields private. */
typedef struct emsec_msrp_uri_parts {
    uint32_t tls;               /* msrps */
    uint32_t host_off, host_len;/* authority without userinfo and port */
    uint32_t has_port, port;
    uint32_t has_sid, sid_off, sid_len;
    uint32_t tr_off, tr_len;    /* transport */
} emsec_msrp_uri_parts;

/* One session path, split: its URIs as spans of the path's bytes and their
 * parts. All fields private. */
typedef struct emsec_msrp_prepared_path {
    uint32_t count;
    emsec_span uri[EMSEC_MSRP_MAX_PATH];
    emsec_msrp_uri_parts parts[EMSEC_MSRP_MAX_PATH];
} emsec_msrp_prepared_path;

/* A session whose four paths were checked and split once, so that each
 * message's rewrite compares against stored parts instead of parsing the
 * paths again. It keeps the session's pointers, not copies of its bytes.
 * All fields private. */
typedef struct emsec_msrp_prepared {
    uint32_t ready;             /* 1 once emsec_msrp_prepare returned OK */
    emsec_msrp_session s;
    emsec_msrp_prepared_path own[2];
    emsec_msrp_prepared_path peer[2];
} emsec_msrp_prepared;

/*
 * Check every URI of the session's four paths and split them into *ps, once
 * per session (before the first emsec_msrp_rewrite). Each path is 1 to
 * EMSEC_MSRP_MAX_PATH MSRP-URIs (RFC 4975 §9), separated by one SP, at most
 * EMSEC_MSRP_MAX_PATH_BYTES bytes; own[0] and own[1] are one URI each.
 * The paths are checked in the order own[0], own[1], peer[0], peer[1]; the
 * first fault found is the one reported.
 * *err: fault OK on success (its other fields then mean nothing), else
 * which path, the fault and its offset.
 * *ps: ready on EMSEC_OK, not ready (emsec_msrp_rewrite refuses it)
 * otherwise. ps points into s's bytes: they must stay readable and
 * unchanged while ps is used (the emsec_msrp_session struct itself may go).
 * requires: s, ps, err valid and not overlapping; every s->own[i].ptr and
 *           s->peer[i].ptr readable for its len bytes (may be NULL iff len
 *           == 0, which is the fault EMPTY).
 * Returns EMSEC_OK; EMSEC_ERR_SYNTAX (EMPTY, SPACING, BAD_URI, NOT_ONE) or
 * EMSEC_ERR_LIMIT (TOO_LONG, TOO_MANY).
 */
EMSEC_MUST_USE emsec_result emsec_msrp_prepare(const emsec_msrp_session *s,
                                               emsec_msrp_prepared *ps,
                                               emsec_msrp_path_error *err);

/* Short stable names, never NULL ("?" out of range). */
const char *emsec_msrp_path_fault_name(emsec_msrp_path_fault fault);

typedef enum emsec_msrp_verdict {
    EMSEC_MSRP_FORWARD = 1,     /* out holds the rewritten header block */
    EMSEC_MSRP_REFUSE_481 = 2,  /* request: answer 481, do not forward (RFC 4975 §7.3) */
    EMSEC_MSRP_DROP = 3         /* response: drop and log, do not forward */
} emsec_msrp_verdict;

/*
 * Rewrite the header block of a message that arrived on side `from` (0 or
 * 1) for the other side `to` = 1 - from. The rule (the gateway is the MSRP
 * endpoint of each side, as the AGW of TR 29.828 §4.1.4; it does not act as
 * an RFC 4976 relay, so each side sees one hop for the gateway), with own
 * and peer the paths of the session `ps` was prepared from:
 *
 * Requests (SEND, REPORT and any other method):
 *   check (RFC 4975 §7.3: "the To-Path will have exactly one URI, which MUST
 *   map to an existing session"): To-Path is exactly own[from]; From-Path is
 *   exactly peer[from] (the sender's a=path: RFC 4975 §7.1 puts the sender's
 *   URI in From-Path, and RFC 4976 §3 relays prepend themselves, so what
 *   arrives equals the a=path the sender advertised). URIs are compared as
 *   RFC 4975 §6.1 says. Otherwise: EMSEC_MSRP_REFUSE_481.
 *   rewrite: To-Path := peer[to] (all of its URIs, first hop first: RFC 4975
 *   §7.1 "the target path"); From-Path := own[to].
 * Responses:
 *   check: To-Path is exactly own[from] and From-Path is exactly the first
 *   URI of peer[from] (a response goes one hop back: RFC 4975 §7.2, the
 *   previous hop's URI in To-Path, the responder's in From-Path).
 *   Otherwise: EMSEC_MSRP_DROP (RFC 4975 §7.3 applies to requests only; a
 *   response that matches no transaction is dropped and logged).
 *   rewrite: To-Path := first URI of peer[to]; From-Path := own[to].
 * Every other header (Use-Path included) and the start line are copied as
 * they are; the body is never seen here.
 *
 * out[0, cap) receives the new header block (start line, headers, the empty
 * line if the message has a body); *out_len its length (on NO_SPACE: the
 * length needed). *verdict is always set.
 * requires: ps, msg, hdr, out_len, verdict valid; ps filled by
 *           emsec_msrp_prepare that returned EMSEC_OK, with the session's
 *           bytes readable and unchanged since (a ps not ready, or whose
 *           spans leave its paths, is ARGUMENT); msg was filled by the
 *           framer from hdr[0, hdr_len) (spans inside it, to_path and
 *           from_path with count >= 1), hdr_len <= EMSEC_MSRP_MAX_HEADER;
 *           from <= 1; out writable for cap bytes (may be NULL iff cap ==
 *           0) and overlapping none of the other arguments' bytes nor the
 *           session's; out_len and verdict overlapping each other, *ps,
 *           *msg and hdr[0, hdr_len) neither (they are written first).
 * Returns EMSEC_OK (FORWARD), EMSEC_ERR_REFUSED (REFUSE_481 or DROP),
 * EMSEC_ERR_NO_SPACE (FORWARD, out too small), EMSEC_ERR_ARGUMENT.
 */
EMSEC_MUST_USE emsec_result emsec_msrp_rewrite(const emsec_msrp_prepared *ps, uint32_t from,
                                               const emsec_msrp_msg *msg, const uint8_t *hdr,
                                               uint32_t hdr_len, uint8_t *out, uint32_t cap,
                                               uint32_t *out_len, emsec_msrp_verdict *verdict);

/*
 * RFC 4975 §6.1 comparison of two MSRP-URIs a[0, alen) and b[0, blen):
 * scheme and authority (userinfo left out) case-insensitive, port exact,
 * session-id case-sensitive, transport case-insensitive, URI parameters
 * ignored. Percent-encoded characters are not decoded: such URIs compare
 * unequal unless spelled the same (the gateway refuses rather than guess).
 * requires: a, b readable for alen, blen bytes. Returns 1 equal, 0 not
 * (also when either is not an MSRP-URI or is longer than
 * EMSEC_MSRP_MAX_PATH_BYTES).
 */
int emsec_msrp_uri_equal(const uint8_t *a, uint32_t alen, const uint8_t *b, uint32_t blen);

#endif /* EMSEC_MSRP_H */
