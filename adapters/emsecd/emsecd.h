/*
 * emsecd: the gateway daemon. One epoll loop (loop.c) binds the sans-I/O core
 * (include/emsec/mg.h) to the world: H.248 over UDP (h248_udp.c) and over
 * TCP with TPKT framing (h248_tcp.c), the ServiceChange registration and
 * shutdown (service.c), TCP legs (conn.c), OpenSSL 3 (tls.c), the relay
 * between two legs (relay.c; MSRP-aware when the core says so:
 * msrp_relay.c), the own certificate (cert.c), Prometheus
 * counters (metrics.c), the config file (config.c) and one log line per
 * event (log.c).
 *
 * Threads (worker.c, dispatch.c): the main thread runs H.248, the metrics
 * port, the ServiceChange and the core's timers; N worker threads (default
 * one per online CPU) each own the legs of the contexts sharded to them
 * (ContextID modulo N) in an epoll loop of their own: sockets, OpenSSL, the
 * relay. The core is one, behind one mutex (emsecd.core_lock): whoever calls
 * it (main for commands and timers, a worker for its legs' events) holds the
 * lock, and the actions it answers are posted, still under the lock, to the
 * command queue of the worker owning the leg, so every worker runs the
 * core's actions in the order the core decided them. Never a thread per
 * connection.
 *
 * Ownership rule of the relay (why the buffers live where they do): the bytes
 * read from leg A wait in B's `out` buffer, the bytes to write on B. When the
 * core closes A, its handle may be reused at once, but what A sent is still
 * delivered to B, then B's write side is shut (half-close passed on).
 */
#ifndef EMSECD_H
#define EMSECD_H

#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include <openssl/ssl.h>

#include "emsec/mg.h"
#include "emsec/msrp.h"

#define ED_BUF_CAP      (64u * 1024u)   /* per direction: backpressure beyond this */
#define ED_BUF_POOL_KEEP 64u            /* empty relay buffers kept for reuse (4 MB) */
#define ED_MAX_H248     65535u          /* one UDP datagram */
#define ED_OUT_CAP      (64u * 1024u)   /* reply and notify text buffers */
#define ED_EVQ_CAP      1024u           /* events queued for the core */
#define ED_NO_TERM      0xffffu
#define ED_MAX_WORKERS  64u             /* --workers at most */
#define ED_NO_WORKER    0xffu           /* emsecd.owner: the core's handle has no leg */
#define ED_LABEL_CAP    (EMSEC_MG_MAX_NAME + 24u)

/* epoll tags: what an fd is (kept in epoll_event.data.u64 with the handle
 * and a generation, so that a stale event for a reused slot is ignored). */
enum {
    ED_TAG_H248 = 1, ED_TAG_LISTEN = 2, ED_TAG_CONN = 3,
    ED_TAG_H248_TCP_LISTEN = 4, ED_TAG_H248_TCP = 5,   /* term = connection slot */
    ED_TAG_METRICS_LISTEN = 6, ED_TAG_METRICS = 7,     /* term = connection slot */
    ED_TAG_WAKE = 8,                                   /* the thread's eventfd */
};

/* An epoll registration's key: the slot's generation (a stale event of an
 * earlier use of the slot is told apart), the tag, the slot. */
static inline uint64_t ed_ep_key(uint32_t gen, int tag, uint16_t slot)
{
    return (uint64_t)gen << 32 | (uint64_t)(unsigned)tag << 16 | slot;
}
static inline void ed_ep_unkey(uint64_t key, uint32_t *gen, int *tag, uint16_t *slot)
{
    *gen = (uint32_t)(key >> 32);
    *tag = (int)((key >> 16) & 0xffffu);
    *slot = (uint16_t)(key & 0xffffu);
}

typedef struct ed_buf {
    uint8_t *data;      /* ED_BUF_CAP bytes while it holds bytes, else NULL (buf.c) */
    uint32_t start, end;
} ed_buf;

/* splice.c: a pipe for the bytes spliced to a leg (plain forwarding) */
#define ED_PIPE_POOL_KEEP 32u           /* empty pipes kept for reuse (64 descriptors) */
typedef struct ed_pipe {
    int r, w;           /* valid only while held */
    uint32_t bytes;     /* in the pipe, not yet written to the leg */
    uint32_t cap;       /* the pipe's size (F_GETPIPE_SZ) */
    bool held;          /* false (zeroed): the leg holds no pipe */
    bool full;          /* a splice in found no room below cap (see splice.c) */
} ed_pipe;
typedef struct ed_pipe_pool {
    ed_pipe free[ED_PIPE_POOL_KEEP];
    uint32_t count;
    uint32_t in_use;
} ed_pipe_pool;

/* buf.c: the empty relay buffers kept for reuse, and how many legs hold one */
typedef struct ed_buf_pool {
    uint8_t *free[ED_BUF_POOL_KEEP];
    uint32_t count;
    uint32_t in_use;
} ed_buf_pool;

typedef enum ed_tls_state {
    ED_TLS_NONE = 0,    /* plain leg (or transparent) */
    ED_TLS_HANDSHAKE,   /* SSL_do_handshake until done */
    ED_TLS_UP,          /* established, reported to the core */
    ED_TLS_DONE,        /* close_notify seen or sent, or failed: no more SSL I/O */
} ed_tls_state;

/* MSRP-aware relay (msrp_relay.c), per leg: the direction read FROM this
 * leg, and the 481 responses to write ON it. Allocated only for a FORWARD
 * with the msrp flag; memory per leg is this struct, whatever the bodies. */
#define ED_MSRP_IN_CAP    (64u * 1024u)                 /* bytes read, not yet framed */
#define ED_MSRP_HOLD_CAP  (2u * EMSEC_MSRP_MAX_HEADER + 2u * EMSEC_MG_MAX_SDP) /* one rewritten header */
#define ED_MSRP_REPLY_CAP (2u * (EMSEC_MSRP_MAX_HEADER + ED_MSRP_PATH_CAP + 128u)) /* 481s waiting for a message boundary */
#define ED_MSRP_PATH_CAP  EMSEC_MG_MAX_SDP              /* one a=path value */
typedef struct ed_msrp {
    emsec_msrp_framer fr;
    emsec_msrp_msg msg;
    uint32_t side;              /* this leg's side in the session (0: the FORWARD's term) */
    char path[2][2][ED_MSRP_PATH_CAP]; /* [side][0 own, 1 peer]: the a=path values */
    uint32_t path_len[2][2];
    emsec_msrp_prepared sess;   /* the four paths checked and split once (emsec_msrp_prepare); points into path */
    uint8_t in[ED_MSRP_IN_CAP];
    uint32_t in_start, in_end;
    uint8_t hold[ED_MSRP_HOLD_CAP];
    uint32_t hold_start, hold_end;
    uint8_t reply[ED_MSRP_REPLY_CAP];
    uint32_t reply_len;
    bool dropping;              /* the message being read is refused: body and end-line go nowhere */
    bool mid;                   /* a message from this leg is partly in the peer's out */
    bool failed;                /* framing error: nothing more is read from this leg */
    bool src_eof;               /* the leg ended: pass the end on once `in` is framed */
    bool eof_tcp;               /* ... the end was a FIN (report PEER_CLOSED once delivered) */
    bool eof_passed;
} ed_msrp;

typedef struct ed_term {
    bool active;            /* a socket or listener exists for this handle */
    uint32_t gen;           /* bumped on each reuse of the slot */
    uint32_t epoch;         /* the core's use of the handle this leg serves (emsecd.epoch) */
    /* what its log lines say: "ctx=<ContextID> term=<TerminationID>" (conn.c) */
    char name[ED_LABEL_CAP];
    int lfd;                /* listener (passive), -1 */
    int fd;                 /* the connection, -1 */
    bool connecting;        /* non-blocking connect in progress */
    bool up;                /* TCP established (accepted or connected) */
    /* TLS */
    SSL *ssl;
    ed_tls_state tls;
    bool psk_mode;
    bool psk_unknown_id;    /* the server callback saw an identity it does not hold */
    bool ssl_want_write;    /* the last SSL call wants the socket writable */
    bool reneg_seen;        /* a renegotiation record arrived (callback: report later) */
    bool rehandshaking;     /* a handshake started after the first one */
    bool rehandshake_done;  /* and completed (callback: check the peer later) */
    uint8_t peer_fp[32];    /* sha-256 of the peer certificate the core accepted */
    bool has_peer_fp;
    /* relay */
    bool fwd;
    uint16_t peer;          /* the other leg, ED_NO_TERM */
    ed_buf out;             /* bytes to write on this leg (read from the peer) */
    ed_pipe pipe;           /* or spliced from the peer (plain forwarding; splice.c) */
    bool no_splice;         /* splice refused on this leg's socket: buffer only */
    bool rd_eof;            /* this side ended (FIN or close_notify): no more reads */
    bool rd_dry;            /* drained in the current pump: not read again (relay.c) */
    bool eof_pending;       /* rd_eof seen: report PEER_CLOSED once peer's out drained */
    bool shut_pending;      /* the source ended: shut our write side once out drained */
    bool wr_shut;
    uint32_t interest;      /* epoll events registered for fd */
    uint64_t bytes_in, bytes_out;
    uint32_t pauses;        /* times reading stopped: the peer's buffer was full */
    bool held_back;         /* reading stopped now, for that reason */
    uint64_t dropped;       /* bytes read after the other leg was closed: nowhere to go */
    ed_msrp *msrp;          /* MSRP-aware relay state, NULL: bytes untouched */
} ed_term;

typedef struct ed_config {
    const char *listen;         /* H.248 ADDR:PORT: UDP and TCP (TPKT) */
    const char *controller;     /* H.248 UDP ADDR:PORT registered with; NULL: none */
    const char *metrics;        /* Prometheus HTTP ADDR:PORT; NULL: off */
    const char *media_address;  /* IPv4 of the media legs */
    uint16_t port_min, port_max;
    const char *cert_file, *key_file;
    const char *state_dir;
    const char *mid;
    bool msrp_aware;            /* msrp-aware = on: MSRP-aware relay where the core says so */
    uint32_t workers;           /* worker threads; 0: one per online CPU */
    uint32_t drain_delay_s;     /* drain-delay: SIGUSR1's ServiceChangeDelay (s); 0: wait for the calls to end */
    uint32_t mwd_ms;            /* max-waiting-delay: a registration waits uniform 0..this (RFC 3525 §9.2) */
} ed_config;

/* H.248 over TCP (RFC 1006 TPKT framing, H.248.1 Annex D.2): one slot per
 * connection from a controller. */
#define ED_H248_TCP_MAX   16u                     /* connections at once */
#define ED_TPKT_HDR       4u
#define ED_TPKT_MIN       7u                      /* RFC 1006 §6: min=7 */
#define ED_H248_TCP_OUT   (256u * 1024u)          /* unsent replies beyond this close it */

typedef struct ed_h248_tcp {
    int fd;                     /* -1: slot free */
    uint32_t gen;
    char peer[64];              /* ADDR:PORT, for logs */
    uint8_t *in;                /* ED_TPKT_HDR + 65531: one whole TPKT at most */
    uint32_t in_len;
    uint8_t *out;               /* ED_H248_TCP_OUT: TPKTs not yet written */
    uint32_t out_start, out_end;
    bool pollout;               /* EPOLLOUT registered: replies wait in out */
    const char *closing;        /* shut down by us (why): closed on its next event */
    bool controller;            /* the connection to a tcp: --controller (controller_tcp.c) */
    bool connecting;            /* ... its connect still in progress */
} ed_h248_tcp;

/* Where the gateway's own requests (Notify, ServiceChange) go. */
typedef enum ed_dest_kind { ED_DEST_NONE = 0, ED_DEST_UDP, ED_DEST_TCP } ed_dest_kind;

/* Prometheus counters (metrics.c renders them). Never a key or a PSK. */
enum { ED_DIR_RX = 0, ED_DIR_TX = 1 };
enum { ED_LEG_PLAIN = 0, ED_LEG_TLS = 1 };
enum { ED_HS_OK = 0, ED_HS_HANDSHAKE, ED_HS_PSK, ED_HS_ALERT, ED_HS_FINGERPRINT, ED_HS_TIMEOUT, ED_HS_COUNT };
enum { ED_TR_UDP = 0, ED_TR_TCP = 1 };
typedef struct ed_metrics {
    uint64_t h248_requests[2];      /* by transport */
    uint64_t h248_replies[2];
    uint64_t h248_errors[2];        /* decode errors answered with Error, or refused by the core */
    uint64_t h248_notify;           /* the gateway's own requests sent */
    uint64_t h248_notify_dropped;   /* nowhere to send them */
    uint64_t req_repeated;          /* Notify to --controller sent again: no reply yet (requests.c) */
    uint64_t req_answered;          /* ... answered by the controller */
    uint64_t req_unanswered;        /* ... still unanswered after the last send: lost */
    uint64_t req_untracked;         /* ... sent once only: no room to keep it */
    uint64_t h248_acks_sent;        /* TransactionResponseAck for a Reply with ImmAckRequired (replies.c) */
    uint64_t tpkt_malformed;        /* TCP connections closed on a bad TPKT header */
    uint64_t sc_sent[4];            /* ServiceChange by emsec_mg_sc_method, retransmissions included */
    uint64_t sc_answered[4];
    uint64_t sc_redirects[3];       /* [ed_redirect]: ServiceChangeAddress / MgcIdToTry followed, or not */
    uint64_t handshakes[ED_HS_COUNT];
    uint64_t relay_bytes[2][2];     /* [ED_DIR_*][ED_LEG_*] */
    uint64_t spliced_bytes;         /* of those, read with splice (never in user space) */
    uint64_t actions[EMSEC_MG_ACT_COUNT];
    uint64_t events[EMSEC_MG_EV_COUNT];
    uint64_t http_requests[2];      /* [0] /metrics served, [1] refused (404/400) */
    uint64_t msrp_rewritten[2];     /* MSRP messages forwarded with paths rewritten: [0] requests, [1] responses */
    uint64_t msrp_refused[3];       /* [0] requests answered 481, [1] requests dropped without
                                       response (REPORT, Failure-Report: no), [2] responses dropped */
    uint64_t msrp_framing_errors;   /* MSRP-aware legs closed on a framing error */
    uint64_t legs_opened;           /* media legs a worker opened (LISTEN or CONNECT on a free slot) */
} ed_metrics;

#define ED_METRICS_MAX_CONN 4u
typedef struct ed_http {
    int fd;                     /* -1: slot free */
    uint32_t gen;
    uint64_t deadline;          /* ed_now_ms: closed when the request is not read by then */
    char in[1024];
    uint32_t in_len;
    uint64_t want;              /* waiting for the workers' PUBLISH of this number (0: not) */
    char *out;                  /* the response, written as the socket takes it */
    uint32_t out_len, out_off;
} ed_http;

/* ServiceChange to the controller and its retransmission (H.248.1 §9.1:
 * the sender repeats a request until the reply comes, bounded). */
#define ED_SC_FIRST_MS   500u   /* first retransmission after this */
#define ED_SC_MAX_MS     4000u  /* the backoff doubles up to this */
#define ED_SC_TRIES      8u     /* sends of Restart; given up 23.5 s after the first */
#define ED_SC_STOP_MS    2000u  /* SIGTERM: wait at most this for the Forced reply */
#define ED_DRAIN_CHECK_MS 100u  /* SIGUSR1: sessions left counted this often */
#define ED_MAX_DRAIN_DELAY 86400u /* --drain-delay at most (s): one day */
#define ED_DEFAULT_MWD_MS 30000u /* --max-waiting-delay: RFC 3525 §9.2's MWD (ms) */
#define ED_MAX_MWD_MS   600000u /* ... at most: §9.2's residential default, 600 s */
typedef struct ed_sc {
    bool pending;
    bool registered_once;       /* the controller accepted a Restart or Disconnected */
    uint64_t retry_ms;          /* the next registration (ed_now_ms); 0: none due */
    uint8_t method;             /* emsec_mg_sc_method */
    uint32_t tid;
    uint32_t tries;
    uint64_t next_ms;
    uint32_t backoff;
    char msg[2048];
    uint32_t len;
    uint32_t redirects;         /* MgcIdToTry followed in a row (redirect.c) */
} ed_sc;
#define ED_SC_MAX_REDIRECTS 4u  /* then the controller at hand is kept */

/* The gateway's own requests to --controller waiting for its Reply
 * (requests.c): repeated on the ServiceChange schedule above. */
#define ED_REQ_MAX 256u
typedef struct ed_req {
    uint32_t tid;               /* its TransactionID */
    uint32_t tries;             /* sends so far */
    uint32_t backoff;
    uint64_t next_ms;           /* the next send (ed_now_ms) */
    uint32_t len;
    char *text;                 /* a copy, sent again as it is (RFC 3525 D.1.1) */
} ed_req;
typedef struct ed_reqs {
    ed_req r[ED_REQ_MAX];
    uint32_t count;
} ed_reqs;

/* An event a worker found, for the core: `epoch` is the use of the handle
 * the leg served when it was found; the core never hears of an event for a
 * use it has closed since (the handle may already serve a new termination). */
typedef struct ed_qev {
    emsec_mg_event ev;
    uint32_t epoch;
    uint64_t due;       /* a TIMEOUT: the deadline the main thread saw due (0: other events) */
} ed_qev;
typedef struct ed_event_q {
    ed_qev ev[ED_EVQ_CAP];
    uint32_t head, count;
} ed_event_q;

/* What a worker is asked to do (dispatch.c writes them, worker.c runs them). */
typedef enum ed_cmd_kind {
    /* 1 .. EMSEC_MG_ACT_COUNT - 1: the core's action of that kind */
    ED_CMD_EVENT = 32,  /* give `ev` to the core from the owning worker (a timer that fired) */
    ED_CMD_MIGRATE,     /* hand leg `term` to worker `to`, then FORWARD peer_term <-> term there */
    ED_CMD_ADOPT,       /* take leg `term` (`leg`) handed over by another worker */
    ED_CMD_PUBLISH,     /* copy the counters and gauges for metrics.c (`seq`) */
    ED_CMD_FENCE,       /* say (emsecd.fence_cond) that every command before it ran (`seq`) */
    ED_CMD_STOP,        /* close every leg, end the thread */
} ed_cmd_kind;

typedef struct ed_cmd {
    uint8_t kind;               /* emsec_mg_action_kind or ed_cmd_kind */
    uint8_t mode, msrp;         /* FORWARD, MIGRATE */
    uint8_t to;                 /* MIGRATE: the worker taking the leg */
    uint16_t term, peer_term;
    uint32_t epoch;             /* the use of `term` the command is for */
    uint16_t local_port;        /* LISTEN: the port the core handed out */
    uint16_t remote_port;       /* CONNECT: the Remote's port and address */
    char remote_addr[64];
    char label[ED_LABEL_CAP];   /* term's label when the core decided (MIGRATE: peer_term's) */
    uint64_t seq;               /* PUBLISH, FENCE; EVENT: the timer's deadline */
    emsec_mg_event ev;          /* EVENT */
    ed_term *leg;               /* ADOPT: the leg's state, malloc'ed by the worker giving it */
} ed_cmd;

/* A worker's command queue: any thread posts (dispatch.c), the worker takes.
 * It grows rather than drop a command (a burst of Adds is bounded only by
 * the core's limits). */
typedef struct ed_cmd_q {
    pthread_mutex_t lock;
    ed_cmd *ring;
    uint32_t cap, head, count;
} ed_cmd_q;

/* What a worker last copied out for metrics.c (ED_CMD_PUBLISH). */
typedef struct ed_worker_stats {
    uint64_t seq;               /* the PUBLISH it answers */
    ed_metrics met;
    uint32_t tcp[3], tls[4];    /* legs by TCP and TLS state (metrics.c's order) */
    uint32_t buffers_in_use, buffers_pooled, pipes_in_use, pipes_pooled;
} ed_worker_stats;

struct emsecd;
typedef struct ed_worker {
    struct emsecd *d;           /* shared: cfg and the SSL_CTXs (read only), the core (core_lock) */
    uint8_t index;
    int ep;                     /* this worker's epoll */
    int wake;                   /* eventfd: commands were posted */
    pthread_t thread;
    bool started;
    ed_cmd_q cmds;
    ed_term *term;              /* [EMSEC_MG_MAX_TERMS]: the legs it owns, by the core's handle */
    ed_buf_pool pool;
    ed_pipe_pool pipes;
    ed_event_q q;               /* events its socket work found, for the core */
    ed_metrics met;             /* written by this thread only */
    emsec_mg_out out;           /* the core's answer to its events */
    char *text, *notify;
    pthread_mutex_t pub_lock;
    ed_worker_stats pub;        /* under pub_lock */
    uint64_t fence_seen;        /* the last FENCE run, under emsecd.fence_lock */
    bool stop;
} ed_worker;

/* The gateway's own requests the core wrote (Notify), waiting for the main
 * thread to send them, in the order the core wrote them. */
typedef struct ed_notice {
    struct ed_notice *next;
    uint32_t len;
    char text[];
} ed_notice;

typedef struct emsecd {
    ed_config cfg;
    emsec_mg *mg;
    int ep;                     /* epoll */
    int h248_fd;
    struct sockaddr_in h248_addr;
    struct sockaddr_storage controller;     /* --controller, else the last UDP sender */
    socklen_t controller_len;
    bool has_controller;                    /* --controller given (its address may move: redirect.c) */
    bool ctl_tcp;                           /* --controller tcp:ADDR:PORT: H.248 over TCP to it */
    int ctl_slot;                           /* its connection in tcp[] when up or connecting; -1: none */
    uint64_t ctl_retry_ms;                  /* the next connect (ed_now_ms); 0: none due */
    uint32_t ctl_backoff_ms;                /* the wait before the connect after that */
    bool ctl_ever_up;                       /* connected once: a new connection registers again */
    int ctl_on_up;                          /* set by a move: the method to register with once up, -1: none */
    ed_dest_kind dest;                      /* where Notify goes */
    uint16_t dest_tcp;                      /* ED_DEST_TCP: slot ... */
    uint32_t dest_tcp_gen;                  /* ... and its generation */
    int h248_tcp_lfd;
    ed_h248_tcp tcp[ED_H248_TCP_MAX];
    ed_sc sc;
    ed_reqs req;                            /* Notify to --controller, until answered */
    emsec_h248_node *reply_nodes;           /* decode arena to spot the controller's replies (replies.c) */
    int metrics_lfd;
    ed_http http[ED_METRICS_MAX_CONN];
    ed_metrics met;
    char *cfg_strings;                      /* values read from --config (freed at exit) */
    SSL_CTX *tls_ctx;           /* certificate mode, both roles */
    SSL_CTX *psk_ctx;           /* PSK mode, both roles (tls.c: psk_context) */
    X509 *cert;
    EVP_PKEY *key;
    char fingerprint[EMSEC_MG_MAX_FINGERPRINT];
    emsec_mg_out out;
    char *text, *notify;
    uint8_t *h248_buf;
    int wake;                   /* eventfd: a worker queued a Notify, moved a timer or published */
    /* The core and what goes with it, under core_lock: which worker holds
     * each handle's leg, the use (epoch) of each handle, the Notify queue,
     * and timer_fresh below. */
    pthread_mutex_t core_lock;
    uint8_t owner[EMSEC_MG_MAX_TERMS];      /* ED_NO_WORKER: no leg */
    uint32_t epoch[EMSEC_MG_MAX_TERMS];     /* bumped by each CLOSE the core decides */
    ed_notice *notice_head, *notice_tail;
    uint32_t nworkers;
    ed_worker *workers;                     /* [nworkers] */
    uint64_t pub_want;                      /* the last PUBLISH asked of the workers */
    uint64_t dispatch_mask;                 /* workers the last ed_dispatch posted to (core_lock) */
    pthread_mutex_t fence_lock;             /* ed_fence: the main thread waits for workers */
    pthread_cond_t fence_cond;
    uint64_t fence_seq;
    uint64_t timer_scan_ms;                 /* when the deadline was last read (loop.c) */
    uint64_t last_deadline;     /* the core timer fired last (fire once, not spin; core_lock) */
    uint16_t last_term;
    /* The core's next deadline as last read. emsec_mg_next_deadline scans
     * every termination slot, and only a call into the core (control
     * message, event, service change) can move a timer: each such call
     * clears timer_fresh, and the loop reads the deadline again only then
     * (loop.c, deadline_locked), not twice per epoll round. Under core_lock. */
    bool timer_fresh;           /* false (as calloc leaves it): read it again */
    uint64_t timer_at;          /* 0: no timer */
    uint16_t timer_term;
    atomic_int stop;            /* set by a signal (main.c) or a failed worker */
    atomic_int drain;           /* SIGUSR1 (main.c): go out of service gracefully */
    bool draining;              /* ServiceChange Graceful sent: stop once no session is left */
    uint64_t drain_check_ms;    /* the next count of the sessions left (ed_now_ms) */
    uint64_t drain_end_ms;      /* the drain delay expires (ed_now_ms); 0: no delay */
} emsecd;

/* log.c: one line per event on stderr; never a key. */
/* who: a leg's label (ed_term.name), or NULL / "-" for the daemon itself */
void ed_log(const char *who, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ed_log_ssl_errors(const char *term, const char *what);
void ed_log_batch(void);    /* at start-up, before anything is written */
void ed_log_flush(void);    /* before the loop waits */

/* loop.c: the main thread's loop (H.248, metrics, ServiceChange, timers) */
uint64_t ed_now_ms(void);
int ed_loop_run(emsecd *d);
int ed_loop_once(emsecd *d, int max_wait_ms);
int ed_epoll_set(emsecd *d, int fd, int tag, uint16_t term, uint32_t events, bool add);
void ed_wake(int efd);         /* an eventfd's loop: look at your queue */
void ed_wake_drain(int efd);

/* dispatch.c: the core's answer, to the threads that carry it out. Every
 * function here is called with d->core_lock held. */
void ed_core_lock(emsecd *d);
void ed_core_unlock(emsecd *d);
/* Each action to the worker owning its leg (a new leg: its context's
 * worker), in order; the Notify to the main thread's queue. */
void ed_dispatch(emsecd *d, const emsec_mg_out *out);
void ed_dispatch_forward(emsecd *d, uint16_t a, uint16_t b, uint8_t mode, uint8_t msrp);
void ed_post(emsecd *d, uint32_t worker, const ed_cmd *c);
/* Worker `from`'s queued commands for handle t, moved to worker `to` (in order). */
void ed_post_move(emsecd *d, uint32_t from, uint32_t to, uint16_t t);
uint32_t ed_worker_of_context(const emsecd *d, uint32_t context);
/* The Notify texts the core wrote, taken in order (the caller frees them). */
ed_notice *ed_notices_take(emsecd *d);

/* worker.c: a worker thread and its loop */
int ed_workers_start(emsecd *d);
/* Waits (bounded) until the workers in mask have run every command posted
 * to them so far: a reply leaves once its actions are carried out. */
void ed_fence(emsecd *d, uint64_t mask);
void ed_workers_stop(emsecd *d);    /* STOP to each, joined: every leg closed */
void ed_report(ed_worker *w, uint16_t term, uint8_t kind);
void ed_report_ev(ed_worker *w, const emsec_mg_event *ev);
int ed_worker_epoll_set(ed_worker *w, int fd, int tag, uint16_t term, uint32_t events, bool add);
void ed_term_update_interest(ed_worker *w, uint16_t t);

/* h248_udp.c */
int ed_h248_open(emsecd *d);
void ed_h248_readable(emsecd *d);
bool ed_h248_send_notify(emsecd *d, const char *text, uint32_t len); /* false: not sent (logged) */
/* text back the way a message came: UDP to from/from_len (tcp_slot < 0), or
 * TCP connection tcp_slot; `what` names it in the log. false: not sent. */
bool ed_h248_send_to_sender(emsecd *d, const char *text, uint32_t len, const struct sockaddr_storage *from,
                            socklen_t from_len, int tcp_slot, const char *what);
/* One H.248 message from UDP (tcp_slot < 0, from/from_len its sender) or
 * from TCP connection tcp_slot: the core's reply goes back the same way. */
void ed_h248_message(emsecd *d, const char *msg, uint32_t len, const struct sockaddr_storage *from,
                     socklen_t from_len, int tcp_slot);

/* replies.c: every H.248 message decoded once for the controller's answers
 * to the gateway's own requests (service.c, requests.c), and a
 * TransactionResponseAck sent back for each Reply with ImmAckRequired
 * (RFC 3525 Annex D.1.4), at most ED_ACK_MAX per message. */
#define ED_ACK_MAX 16u
void ed_replies_seen(emsecd *d, const char *msg, uint32_t len, const struct sockaddr_storage *from,
                     socklen_t from_len, int tcp_slot);

/* h248_tcp.c: H.248 over TCP, TPKT framing (RFC 1006 §6) */
int ed_h248_tcp_open(emsecd *d);
void ed_h248_tcp_accept(emsecd *d);
void ed_h248_tcp_ready(emsecd *d, uint16_t slot, uint32_t events);
bool ed_h248_tcp_send(emsecd *d, uint16_t slot, const char *text, uint32_t len);
/* A connection of our own in a free slot (fd non-blocking, connect under
 * way, peer for logs): -1 when no slot or no memory (fd closed then). */
int ed_h248_tcp_adopt(emsecd *d, int fd, const char *peer, bool connecting);
void ed_h248_tcp_close_all(emsecd *d);

/* controller_tcp.c: --controller tcp:ADDR:PORT, H.248 over TCP (RFC 3525
 * Annex D.2, TPKT) on a connection the gateway opens and keeps: reconnected
 * after a loss (1 s, doubling to ED_CTL_BACKOFF_MAX_MS), registering again
 * on each new connection. */
#define ED_CTL_BACKOFF_FIRST_MS 1000u
#define ED_CTL_MOVED_SAME       (-2)  /* ctl_on_up: moved, no registration (ServiceChangeAddress) */
#define ED_CTL_BACKOFF_MAX_MS   16000u
bool ed_parse_controller(const char *s, struct sockaddr_in *sa, bool *tcp); /* [udp:|tcp:]IPv4ADDR:PORT */
void ed_ctl_tcp_connect(emsecd *d);
void ed_ctl_tcp_up(emsecd *d);                  /* the connect completed (h248_tcp.c) */
void ed_ctl_tcp_lost(emsecd *d, const char *why); /* its slot was closed (h248_tcp.c) */
bool ed_ctl_tcp_ready(const emsecd *d);         /* connected: requests can go */
/* The controller's address changed (redirect.c): the connection is opened
 * again to it at once; once up, register with `method` (MgcIdToTry), or
 * with -1 not at all (ServiceChangeAddress: the same association). */
void ed_ctl_tcp_move(emsecd *d, int method);
void ed_ctl_tcp_tick(emsecd *d);
int ed_ctl_tcp_wait_ms(const emsecd *d, int wait);

/* service.c: ServiceChange to the controller (H.248.1 §11.2, §9.1) */
int ed_sc_start(emsecd *d, emsec_mg_sc_method method);
/* Start-up with --controller: the first Restart after a random wait of at
 * most --max-waiting-delay (RFC 3525 §9.2: no restart avalanche), at once
 * when that is 0. */
void ed_sc_first(emsecd *d);
/* The decimal number a span of H.248 text spells (0 when it is not one or
 * exceeds 32 bits), and the TransactionID of a request text the core wrote
 * ("Transaction = N"; 0 when none). */
uint32_t ed_span_uint(const char *src, emsec_span s);
uint32_t ed_tid_of(const char *text, uint32_t len);
/* m (decoded from msg by replies.c): the Reply to the ServiceChange under
 * way, or a TransactionPending that holds its next repeat back? */
void ed_sc_seen(emsecd *d, const char *msg, const emsec_h248_msg *m);
void ed_sc_tick(emsecd *d);
/* The method that registers again: Disconnected with the controller that
 * had accepted us (RFC 3525 §11.5), else Restart. */
emsec_mg_sc_method ed_sc_again(const emsecd *d);

/* redirect.c: the controller's accepted reply to a registration (Reply
 * node tr of m, decoded from msg) may name another address for the
 * gateway's requests (ServiceChangeAddress) or another controller
 * (MgcIdToTry): the --controller address is replaced when it is an IPv4 one
 * (RFC 3525 §7.2.8). MGC: register there again (the caller does). */
typedef enum ed_redirect { ED_REDIRECT_NONE = 0, ED_REDIRECT_ADDRESS = 1, ED_REDIRECT_MGC = 2 } ed_redirect;
#define ED_REDIRECT_REFUSED ED_REDIRECT_NONE /* metrics slot of those not followed */
ed_redirect ed_sc_redirect(emsecd *d, const char *msg, const emsec_h248_msg *m, const emsec_h248_node *tr);
int ed_sc_wait_ms(const emsecd *d, int wait);

/* requests.c: the gateway's own requests (Notify) to --controller, repeated
 * until its Reply comes. */
void ed_req_send(emsecd *d, const char *text, uint32_t len);
/* m (decoded from msg by replies.c): Replies or TransactionPendings to the
 * requests kept here? */
void ed_req_seen(emsecd *d, const char *msg, const emsec_h248_msg *m);
void ed_req_tick(emsecd *d);
int ed_req_wait_ms(const emsecd *d, int wait);
void ed_req_free(emsecd *d);
void ed_shutdown(emsecd *d);
/* SIGUSR1: ServiceChange Graceful, then stop (as on SIGTERM) once the
 * controller has released every session; called by the main loop. */
void ed_drain_tick(emsecd *d);

/* metrics.c: Prometheus text on a loopback HTTP port */
int ed_metrics_open(emsecd *d);
void ed_metrics_accept(emsecd *d);
void ed_metrics_ready(emsecd *d, uint16_t slot, uint32_t events);
void ed_metrics_tick(emsecd *d);
void ed_metrics_close_all(emsecd *d);

/* config.c: --config FILE, `key = value` lines */
int ed_config_load(const char *path, ed_config *cfg, char **strings);
bool ed_parse_ports(const char *s, uint16_t *lo, uint16_t *hi);
bool ed_parse_on_off(const char *s, bool *on);  /* on/yes/true, off/no/false */
bool ed_parse_workers(const char *s, uint32_t *n);  /* 1 .. ED_MAX_WORKERS */
bool ed_parse_drain_delay(const char *s, uint32_t *n);  /* 0 .. ED_MAX_DRAIN_DELAY seconds */
bool ed_parse_mwd(const char *s, uint32_t *n);          /* 0 .. ED_MAX_MWD_MS milliseconds */

/* conn.c */
/* ed_term.name from the core: called with d->core_lock held */
void ed_term_label(ed_worker *w, uint16_t t);
void ed_conn_listen(ed_worker *w, const ed_cmd *c);
void ed_conn_connect(ed_worker *w, const ed_cmd *c);
void ed_conn_close(ed_worker *w, uint16_t t);
void ed_conn_listener_ready(ed_worker *w, uint16_t t);
void ed_conn_ready(ed_worker *w, uint16_t t, uint32_t events);
bool ed_parse_hostport(const char *s, struct sockaddr_in *sa);
/* "a.b.c.d:port" of an IPv4 address, into buf (cap bytes); returns buf. */
const char *ed_addr_text(const struct sockaddr_in *a, char *buf, size_t cap);

/* tls.c */
int ed_tls_init(emsecd *d);
void ed_tls_free(emsecd *d);
void ed_tls_start(ed_worker *w, uint16_t t, bool client);
void ed_tls_handshake(ed_worker *w, uint16_t t);
void ed_tls_close(ed_worker *w, uint16_t t);
void ed_tls_release(ed_term *tm);
void ed_tls_after_io(ed_worker *w, uint16_t t);
void ed_tls_moved(ed_worker *w, uint16_t t);    /* the leg's SSL now points at w's slot */

/* relay.c */
void ed_relay_start(ed_worker *w, uint16_t a, uint16_t b, bool msrp);
void ed_relay_pump(ed_worker *w, uint16_t t);
void ed_relay_detach(ed_worker *w, uint16_t t);

/* buf.c: a leg's out buffer is taken when bytes come for it and given back
 * (to the pool) once they are written. */
void ed_buf_give_back(ed_worker *w, ed_buf *b);     /* only if empty */
void ed_buf_drop(ed_worker *w, ed_buf *b);          /* its bytes discarded, given back */
bool ed_buf_can_take(const ed_buf *b);              /* room now, or a buffer to take */
/* Room at the end (after moving the unsent bytes to the front), taking a
 * buffer if the leg has none; 0 if full or out of memory. */
uint32_t ed_buf_room(ed_worker *w, ed_buf *b);
void ed_buf_pool_free(ed_worker *w);

/* splice.c: pipes held while bytes are in them, like the buffers above */
bool ed_pipe_take(ed_worker *w, ed_pipe *p);        /* false: no pipe (errno) */
void ed_pipe_give_back(ed_worker *w, ed_pipe *p);   /* only if empty */
void ed_pipe_drop(ed_worker *w, ed_pipe *p);        /* closed with its bytes */
void ed_pipe_pool_free(ed_worker *w);
/* from_fd -> pipe, at most the room left: > 0 bytes moved, 0 the socket's
 * end, -1 errno (EAGAIN: nothing now), -2 no room (wait for the writer) */
ssize_t ed_splice_in(int from_fd, ed_pipe *p);
/* pipe -> to_fd: > 0 bytes moved, -1 errno */
ssize_t ed_splice_out(ed_pipe *p, int to_fd);

/* relay.c, for msrp_relay.c: read what leg t has (plain or TLS) into
 * dst[0, room); > 0 bytes read, 0 nothing now or the leg ended (its end
 * recorded as the agnostic relay does). */
uint32_t ed_relay_recv(ed_worker *w, uint16_t t, uint8_t *dst, uint32_t room);

/* msrp_relay.c: the MSRP-aware relay (core's FORWARD with msrp = 1) */
bool ed_msrp_attach(ed_worker *w, uint16_t a, uint16_t b);
bool ed_msrp_read(ed_worker *w, uint16_t t);       /* read_side of an MSRP-aware leg */
bool ed_msrp_pending(const ed_term *tm);            /* bytes read from tm not yet passed on */
void ed_msrp_detach(ed_worker *w, uint16_t t);
void ed_msrp_free(ed_term *tm);

/* cert.c */
int ed_cert_load_or_create(emsecd *d);

#endif /* EMSECD_H */
