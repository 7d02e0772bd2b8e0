/*
 * emsec: the gateway core (sans-I/O). Contexts and terminations, H.248
 * command handling, the reply cache, and (through the lifecycle tables) what
 * the adapters must do on the wire.
 *
 * The core never touches a socket, a clock, malloc or OpenSSL. The adapter
 * gives it bytes from the controller and events from the network, each with
 * `now` (milliseconds on any monotonic clock), and gets back the H.248 text
 * to send and a list of actions (listen, connect, start TLS...). Everything
 * lives in one `emsec_mg` the caller allocates (emsec_mg_size(): about 91 MB
 * of address space with the limits below, 82 MB of it the SDP text of
 * every termination slot); nothing else is kept anywhere. Allocate it
 * zero-filled from the system (calloc, mmap): emsec_mg_init writes the
 * model (about 8.9 MB) but never the SDP text, so the text pages of slots
 * never used are never touched and cost no resident memory.
 *
 * Preconditions common to every function (ACSL requires in core/mg*.c):
 * pointers valid and non-NULL; `mg` initialised by emsec_mg_init() and not
 * changed by the caller since; `now` never decreases between calls.
 */
#ifndef EMSEC_MG_H
#define EMSEC_MG_H

#include <stdbool.h>
#include <stdint.h>

#include "emsec/h248.h"
#include "emsec/result.h"
#include "emsec/roles.h"

/* ------------------------------------------------------------ limits */
/* The two capacities may be set lower for a whole build (-D, library and
 * callers alike: emsec_mg_size() gives the size), as the fuzz build does so
 * that each input's emsec_mg_init stays cheap; make proofs and the tests
 * run with the values here. */
#ifndef EMSEC_MG_MAX_CONTEXTS
#define EMSEC_MG_MAX_CONTEXTS     10000u /* contexts at once (H.248.8 510 beyond) */
#endif
#ifndef EMSEC_MG_MAX_TERMS
#define EMSEC_MG_MAX_TERMS        20000u /* terminations at once, all contexts: a carrier
                                            gateway's sessions, one descriptor each (two
                                            per context); handles fit uint16_t below
                                            MG_NO_TERM */
#endif
#define EMSEC_MG_TERMS_PER_CONTEXT 2u   /* a context joins two terminations */
#define EMSEC_MG_MAX_SDP          2048u /* bytes of one Local or Remote SDP kept */
#define EMSEC_MG_MAX_NAME         32u   /* bytes of a TerminationID the core names */
#define EMSEC_MG_MAX_FINGERPRINT  256u  /* bytes of "hash value" text (sha-512 with colons: 199) */
#define EMSEC_MG_REPLY_CACHE      32u   /* replies kept for retransmissions (RFC 3525 D.1.1) */
#define EMSEC_MG_MAX_REPLY        8192u /* bytes of one cached reply (one transaction's
                                           "Reply = tid { ... }"; see emsec_mg_control) */
#define EMSEC_MG_MID_KEY          72u   /* bytes of a requester's mId kept whole in a cache
                                           entry: the longest domainName form with its port,
                                           "<" 64 chars ">:65535" (RFC 3525 Annex B mId) */
#define EMSEC_MG_MAX_ACTIONS      32u   /* actions out of one call */
#define EMSEC_MG_MAX_NODES        4096u /* decode arena (nodes of one message) */

/* ------------------------------------------------------------ configuration */
typedef struct emsec_mg_config {
    const char *mid;            /* own mId, e.g. "[127.0.0.1]:2944" */
    const char *term_prefix;    /* CHOOSE naming: "tcp/" gives tcp/1, tcp/2, ... */
    const char *address;        /* own media address for c= (IPv4 text) */
    uint16_t port_min, port_max;/* media ports the core hands out for `$`: each to one
                                   termination until it is subtracted (round robin,
                                   skipping ports in use); with every port of the range
                                   in use, a Local asking for one gets Error 510 */
    const char *fingerprint;    /* own certificate: "sha-256 AB:CD:..." (RFC 8122) */
    uint32_t version;           /* H.248 version spoken: 1..3 */
    uint32_t seed;              /* for tls-id values (RFC 8842 §4: unique per session) */
} emsec_mg_config;

/* ------------------------------------------------------------ actions */
typedef enum emsec_mg_action_kind {
    EMSEC_MG_ACT_NONE = 0,
    EMSEC_MG_ACT_LISTEN,        /* listen on term's local port for its peer */
    EMSEC_MG_ACT_CONNECT,       /* connect term to its Remote address and port */
    EMSEC_MG_ACT_CLOSE,         /* release term's TCP connection (and listener) */
    EMSEC_MG_ACT_TLS_CLIENT,    /* start the TLS handshake as client on term */
    EMSEC_MG_ACT_TLS_SERVER,    /* wait for ClientHello as server on term */
    EMSEC_MG_ACT_TLS_CLOSE,     /* send close_notify on term */
    EMSEC_MG_ACT_FORWARD,       /* relay between term and peer_term (mode says how) */
    EMSEC_MG_ACT_RENEG_ACCEPT,  /* let the renegotiation on term proceed (RFC 5746 secure) */
    EMSEC_MG_ACT_RENEG_REFUSE,  /* refuse it (no_renegotiation / close) */
    EMSEC_MG_ACT_COUNT
} emsec_mg_action_kind;

typedef enum emsec_mg_forward_mode {
    EMSEC_MG_FWD_NONE = 0,
    EMSEC_MG_FWD_PLAIN = 1,        /* TCP <-> TCP, bytes as they are (transparent: TLS untouched) */
    EMSEC_MG_FWD_TLS_TO_PLAIN = 2, /* term terminates TLS, peer_term is plain TCP */
} emsec_mg_forward_mode;

/*
 * FORWARD's msrp flag: 1 = relay MSRP-aware, rewriting To-Path / From-Path
 * of every message with the gateway's own URI on each leg (include/emsec/
 * msrp.h, emsec_msrp_rewrite; the paths from emsec_mg_term_msrp_path); 0 =
 * bytes pass untouched (application-agnostic). It is 1 exactly when:
 *   - the gateway was configured so (emsec_mg_set_msrp_aware);
 *   - both terminations carry MSRP (m= proto TCP/MSRP or TCP/TLS/MSRP);
 *   - no Local or Remote SDP of either termination holds a=msrp-cema (RFC
 *     6714 §4: with CEMA the endpoints reach each other through the gateway
 *     unchanged, so the relay stays application-agnostic);
 *   - the gateway sees MSRP in clear on both legs: a leg is TLS (msrps)
 *     exactly when the gateway terminates its TLS (a transparently
 *     forwarded TLS leg carries bytes the gateway cannot read).
 * Every other action carries 0.
 */
typedef struct emsec_mg_action {
    uint8_t kind;               /* emsec_mg_action_kind */
    uint8_t mode;               /* emsec_mg_forward_mode for FORWARD */
    uint8_t msrp;               /* FORWARD: 1 MSRP-aware, 0 bytes untouched (above) */
    uint16_t term;              /* termination handle (emsec_mg_term_info) */
    uint16_t peer_term;         /* FORWARD: the other termination */
    char name[EMSEC_MG_MAX_NAME]; /* term's TerminationID, for logs (the slot may
                                     be free already: a CLOSE after Subtract) */
} emsec_mg_action;

/* What one call produced: H.248 text for the controller and actions. */
typedef struct emsec_mg_out {
    char *text;                 /* caller's buffer: the reply to the controller's request */
    uint32_t cap;
    uint32_t len;               /* bytes of H.248 to send (0: nothing) */
    char *notify;               /* caller's buffer: the gateway's own request (Notify
                                   of requested events; ServiceChange), may be NULL
                                   when notify_cap is 0 */
    uint32_t notify_cap;
    uint32_t notify_len;        /* bytes to send as a separate message (0: nothing) */
    emsec_mg_action actions[EMSEC_MG_MAX_ACTIONS];
    uint32_t nactions;
} emsec_mg_out;

/* ------------------------------------------------------------ the core */
typedef struct emsec_mg_term emsec_mg_term;   /* core/mg_model.h */
typedef struct emsec_mg_ctx emsec_mg_ctx;

typedef struct emsec_mg emsec_mg;             /* core/mg_model.h: size below */

/* sizeof(emsec_mg), for callers that allocate it. */
uint32_t emsec_mg_size(void);

/*
 * requires: cfg strings NUL-terminated (fingerprint may be NULL: none), each
 *           in memory of its own, not in the allocation that holds *mg;
 *           cfg not inside *mg; mid a valid mId; port_min <= port_max;
 *           version 1..3.
 * ensures:  EMSEC_OK and mg empty, ready for emsec_mg_control (proved:
 *           mg_ready, core/mg.c); EMSEC_ERR_ARGUMENT on a bad config (mg or
 *           cfg NULL; mid, term_prefix or address NULL or too long for its
 *           field; the fingerprint too long; a port range or version out of
 *           bounds), *mg then left as it was.
 */
EMSEC_MUST_USE emsec_result emsec_mg_init(emsec_mg *mg, const emsec_mg_config *cfg);

/*
 * MSRP-aware interworking (TR 29.828 §4.1.4; DESIGN.md: optional, only when
 * configured): off after emsec_mg_init. It applies to the FORWARD actions
 * given after the call (see FORWARD's msrp flag above); a relay already
 * running keeps its way.
 */
void emsec_mg_set_msrp_aware(emsec_mg *mg, bool on);

/*
 * One message from the controller. Every transaction request in it is
 * executed (or, if it is a retransmission of one already answered, its
 * cached reply is sent again, RFC 3525 Annex D.1.1), and out->text receives the one
 * reply message. A message that does not decode gets an Error reply
 * (emsec_h248_error_reply). Never silence: out->len > 0 after EMSEC_OK.
 *
 * Reply cache: the last EMSEC_MG_REPLY_CACHE transactions are remembered,
 * each under its requester's mId (the message header's) and its
 * TransactionID: a repeated request is one with the same TransactionID from
 * the same mId (RFC 3525 Annex D.1.1 "recent responses sent to the same
 * MId"; D.1.2.1 "transaction identifier and mId only"). Two controllers, or
 * a controller that restarted under another mId, may use the same
 * TransactionID: each request is executed. The mIds are compared as
 * written, ASCII case ignored (Annex B.2: the text encoding is case
 * insensitive; domain names, IPv6 hex digits, MTP hex alike), with no other
 * normalisation: "[10.0.0.1]" and "[10.0.0.1]:2944" are two requesters (a
 * retransmission resends its message, so its mId is written the same).
 * An entry keeps the first EMSEC_MG_MID_KEY bytes of the mId (whole: any
 * IPv4 or domainName mId with its port, an IPv6 one of up to 8 groups, a
 * deviceName, which the decoder bounds to 64 bytes, an mtpAddress without
 * long LWSP), its length and a 64-bit FNV-1a hash of all of it. A longer
 * mId (the ABNF bounds neither an IPv6 hexseq nor the LWSP inside an
 * mtpAddress) matches when length, first bytes and hash agree: two such
 * requesters are told apart unless their mIds collide in the hash.
 * Memory stays fixed: per entry, those bytes, the length and the hash.
 * A transaction is never executed twice (RFC 3525 Annex D.1.1, at most once).
 * Its reply is resent byte for byte when it was at most EMSEC_MG_MAX_REPLY
 * bytes; a longer
 * reply is sent once but not kept, and a retransmission of that
 * transaction is answered "Reply = tid { Error = 510 {...} }" (insufficient
 * resources: the reply is lost, the work was done once; the controller may
 * AuditValue the terminations to learn their state). Executing it again
 * would double every Add and connection; refusing it before execution is
 * impossible (a reply's length is known only once the commands have run).
 *
 * Returns EMSEC_ERR_NO_SPACE when out->text is too small: for a message
 * that does not decode, nothing was executed; otherwise the transactions
 * were executed, their replies are lost (out->len 0) and, as above, their
 * retransmissions get Error 510.
 *
 * TransactionPending (H.248.1 §8.2.3) is never sent: every command is done
 * within this call (nothing waits on the network: connections and
 * handshakes are reported later by Notify), so no reply is ever late, and a
 * retransmission can only arrive in a later call, after the original's
 * reply is in the cache. See core/mg.c.
 *
 * Every request gets a reply. Written as an ACSL contract on this function
 * (core/mg.c) and proved by WP in part: this function and most of the walk
 * over the decoded message under it (one reply per Transaction request),
 * against contracts assumed for the rest (the call's set-up, one executed
 * transaction's reply, the one-actionRequest handler: proofs/UNPROVED.md);
 * the traces, the unit tests and fuzz_mg check it too. Preconditions: every pointer
 * non-NULL (msg too, even with len 0), mg set up by emsec_mg_init. The
 * contract: for a message the
 * decoder accepts, each Transaction request on the message's transaction
 * list is met once and gets exactly one reply written into out->text: its
 * kept reply, the Error 510 of a retransmission whose reply was not kept,
 * or the reply of its execution (transaction_reply, whose contract says it
 * writes exactly one; a ghost count of requests met and replies written,
 * equal at the end to the number of Transaction items on the list); a
 * message the decoder refuses gets emsec_h248_error_reply's reply
 * (out->len > 0 on EMSEC_OK) and nothing is executed: no action, no Notify,
 * the reply cache untouched. proofs/UNPROVED.md says which part WP proves
 * (proofs/run.sh step 2c) and what the proof assumes: the contracts of the
 * decoder (a well-formed tree, include/emsec/h248.h), of
 * emsec_h248_error_reply, of one action's command handler and of the
 * Notify writer, and that mg was set up by emsec_mg_init and changed only
 * through this API.
 */
EMSEC_MUST_USE emsec_result emsec_mg_control(emsec_mg *mg, uint64_t now, const char *msg,
                                             uint32_t len, emsec_mg_out *out);

/* ------------------------------------------------------------ events */
/* What the adapter saw on the wire, for one termination. */
typedef enum emsec_mg_event_kind {
    EMSEC_MG_EV_NONE = 0,
    EMSEC_MG_EV_ACCEPTED,        /* the peer's connection was accepted (passive) */
    EMSEC_MG_EV_CONNECTED,       /* our connect completed (active) */
    EMSEC_MG_EV_CONNECT_FAILED,  /* refused or unreachable */
    EMSEC_MG_EV_TLS_ESTABLISHED, /* handshake done; peer certificate fingerprint given
                                    (certificate mode) or none (PSK mode) */
    EMSEC_MG_EV_TLS_FAILED,      /* handshake failed (cause: handshake, psk, alert) */
    EMSEC_MG_EV_RENEGOTIATION,   /* the peer asks to renegotiate; `secure` per RFC 5746 */
    EMSEC_MG_EV_CLOSE_NOTIFY,    /* the peer sent close_notify */
    EMSEC_MG_EV_PEER_CLOSED,     /* FIN, after every buffered byte was delivered */
    EMSEC_MG_EV_RESET,           /* RST */
    EMSEC_MG_EV_TIMEOUT,         /* a timer the core armed expired */
    EMSEC_MG_EV_LISTEN_FAILED,   /* a LISTEN action could not be carried out: the local
                                    address or port is unavailable (bind or listen
                                    refused); reported as tcpbcc/ef cause local */
    EMSEC_MG_EV_COUNT
} emsec_mg_event_kind;

typedef enum emsec_mg_tls_cause {
    EMSEC_MG_TLS_CAUSE_HANDSHAKE = 0, /* any handshake failure */
    EMSEC_MG_TLS_CAUSE_PSK = 1,       /* PSK identity unknown or key mismatch */
    EMSEC_MG_TLS_CAUSE_ALERT = 2,     /* a fatal alert after the handshake */
} emsec_mg_tls_cause;

typedef struct emsec_mg_event {
    uint8_t kind;               /* emsec_mg_event_kind */
    uint16_t term;              /* handle from an action */
    bool secure;                /* RENEGOTIATION: RFC 5746 renegotiation_info valid */
    uint8_t cause;              /* TLS_FAILED: emsec_mg_tls_cause */
    char fp_hash[16];           /* TLS_ESTABLISHED: "sha-256"... ("" in PSK mode) */
    uint8_t fp[64];             /* the peer certificate's digest */
    uint32_t fp_len;
} emsec_mg_event;

/*
 * One network event. The core steps the termination's TCP and TLS lifecycle
 * tables (spec/tcp_lifecycle.tbl, spec/tls_lifecycle.tbl), returns the
 * actions, and in out->text the Notify to send when the controller asked for
 * the event (tcpbcc/ef, tcpbcc/rel, tlsbsc/ef, tlsbsc/rel) in out->notify. A peer
 * certificate whose fingerprint matches no Remote a=fingerprint of the hash
 * it names is a TLS failure with cause fingerprint (RFC 8122 §5).
 */
EMSEC_MUST_USE emsec_result emsec_mg_on_event(emsec_mg *mg, uint64_t now, const emsec_mg_event *ev,
                                              emsec_mg_out *out);

/* ------------------------------------------------------------ service change */
typedef enum emsec_mg_sc_method {
    EMSEC_MG_SC_RESTART = 0,   /* at start-up: register with the controller (H.248.1 §11.2) */
    EMSEC_MG_SC_GRACEFUL = 1,  /* going out of service after the calls end */
    EMSEC_MG_SC_FORCED = 2,    /* going out of service now: every context released */
    EMSEC_MG_SC_DISCONNECTED = 3, /* registering again with the same controller after
                                     losing contact with it (a request of ours went
                                     unanswered): RFC 3525 §7.2.8 item 4, §11.5, D.1.5 */
} emsec_mg_sc_method;

/*
 * The gateway's own ServiceChange on ROOT, as a transaction request to the
 * controller, written into out->notify (out->len is set to 0): reason 901
 * cold boot for Restart, 905 termination taken out of service for Graceful
 * and Forced, 900 service restored for Disconnected (H.248.1 Annex E.1.2).
 * Restart and Disconnected carry the Version and register: the
 * controller's Reply with their TransactionID completes the registration.
 * Until a Restart's Reply has arrived, every Transaction request is
 * answered with Error 505 and not executed (RFC 3525 §11.2: "The MG shall
 * issue Error 505 - Command Received before a ServiceChange Reply has been
 * received"); the controller's Reply may come in the same message, before
 * the request. A gateway that never registers (no Restart) serves commands
 * at once; while a Disconnected is unanswered commands are served (the same
 * controller, contact being restored).
 * Disconnected keeps every context (the controller may Audit them, §7.2.8).
 * Forced also releases every termination (actions in out).
 */
EMSEC_MUST_USE emsec_result emsec_mg_service_change(emsec_mg *mg, uint64_t now, emsec_mg_sc_method method,
                                                    emsec_mg_out *out);

/*
 * Optional ServiceChange parameters (H.248.1 §7.2.8, B.2 serviceChangeParm),
 * each written among the Services when set:
 *   delay_s    Graceful only: the ServiceChangeDelay in seconds, after which
 *              the terminations go out of service (or when they leave their
 *              context, whichever comes first): "Delay = N". 0 is the null
 *              delay, none written (the controller lets the calls end by
 *              themselves). Taking the terminations out of service when it
 *              expires is the caller's (emsecd: ServiceChange Forced).
 *   timestamp  the TimeStamp (the core has no clock: the adapter gives the
 *              time): B.2 TimeStamp = Date "T" Time, 8 digits (yyyymmdd),
 *              "T" (either case, as every H.248 literal), 8 digits (hhmmss
 *              and hundredths), UTC, written alone
 *              (a serviceChangeParm of its own, no "name ="); a
 *              NUL-terminated string, or NULL: none.
 *              §7.2.8: "The TimeStamp parameter shall be sent with a
 *              registration command" (Restart, Disconnected).
 */
typedef struct emsec_mg_sc_params {
    uint32_t delay_s;
    const char *timestamp;
} emsec_mg_sc_params;

/*
 * emsec_mg_service_change with the parameters of *params (NULL: none, as
 * emsec_mg_service_change; otherwise readable, its timestamp as above). Refused with EMSEC_ERR_ARGUMENT, nothing
 * written and no TransactionID taken: a delay on a method other than
 * Graceful, a timestamp not of the form above.
 */
EMSEC_MUST_USE emsec_result emsec_mg_service_change_with(emsec_mg *mg, uint64_t now, emsec_mg_sc_method method,
                                                         const emsec_mg_sc_params *params, emsec_mg_out *out);

/* The earliest timer the core armed (connect, handshake): its time, and the
 * termination in *term; 0 when none. At that time the adapter calls
 * emsec_mg_on_event with EMSEC_MG_EV_TIMEOUT for *term. It reads the
 * deadline of every slot (one array of EMSEC_MG_MAX_TERMS values): only
 * emsec_mg_control, emsec_mg_on_event and emsec_mg_service_change move a
 * timer, so the adapter may keep the value between those calls. */
uint64_t emsec_mg_next_deadline(const emsec_mg *mg, uint16_t *term);

/* Termination info for the adapter (handle from an action). NULL when the
 * handle names no termination. Never exposes the PSK except through
 * emsec_mg_term_psk(). */
typedef struct emsec_mg_term_view {
    const char *name;           /* TerminationID (NUL-terminated copy) */
    uint16_t local_port;
    char remote_addr[64];       /* from Remote c= (NUL-terminated), "" if none */
    uint16_t remote_port;       /* from Remote m= */
    emsec_media_kind kind;
    bool secured;               /* TLS on this leg */
    uint8_t tcp_role;           /* emsec_tcp_role decided */
    uint8_t tls_role;           /* emsec_tls_role decided */
    uint32_t context;           /* ContextID the termination is in (0: none) */
} emsec_mg_term_view;

bool emsec_mg_term_info(const emsec_mg *mg, uint16_t term, emsec_mg_term_view *view);

/*
 * The a=path value (RFC 4975 §8.1: MSRP-URIs separated by SP) of the
 * termination's Local SDP (remote == false: the gateway's own URI on that
 * leg, `$` already filled) or Remote SDP (remote == true: the peer's path).
 * The MSRP-aware relay builds its emsec_msrp_session from these.
 * ensures: true when term names a termination whose SDP (that side) holds a
 *          media-level a=path with a value: *path points at *len bytes owned
 *          by mg, valid until the next call that changes mg; false
 *          otherwise, the outputs untouched. Uses mg's SDP scratch space,
 *          hence not const.
 */
bool emsec_mg_term_msrp_path(emsec_mg *mg, uint16_t term, bool remote, const char **path, uint32_t *len);

/* ------------------------------------------------------------ TLS-PSK */
/*
 * The termination's pre-shared key (tlsbsc/psk) and identity (tlsbsc/pskid)
 * for a PSK handshake (RFC 4279 §2; external PSK in TLS 1.3, RFC 8446 §2.2).
 * requires: key, key_len and identity non-NULL (as for every function here).
 * ensures:  true when term names a termination that holds a PSK: *key points
 *           at *key_len (1..64) octets and *identity at a NUL-terminated
 *           string ("" when no tlsbsc/pskid was given), both owned by mg and
 *           valid until the next call that changes mg; false otherwise, the
 *           outputs untouched. The adapter must never log or copy the key
 *           beyond the handshake that uses it.
 */
bool emsec_mg_term_psk(const emsec_mg *mg, uint16_t term, const uint8_t **key, uint32_t *key_len,
                       const char **identity);

/*
 * The hashes named by the termination's Remote a=fingerprint lines, as a
 * mask of (1u << emsec_sdp_hash) bits, sha-1 to sha-512 only (md5 and md2
 * are refused, RFC 8122 §5). The adapter digests the peer certificate with
 * one of them and names it in EMSEC_MG_EV_TLS_ESTABLISHED. 0 when term names
 * no termination or its Remote holds no usable fingerprint. Uses mg's SDP
 * scratch space, hence not const.
 */
uint32_t emsec_mg_term_remote_hashes(emsec_mg *mg, uint16_t term);

#endif /* EMSEC_MG_H */
