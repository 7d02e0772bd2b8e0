/*
 * emsecd metrics: Prometheus text exposition format (version 0.0.4) on a
 * small HTTP/1.0 responder, --metrics ADDR:PORT (off by default; meant for
 * 127.0.0.1). `GET /metrics` gets the counters; any other request gets 404,
 * a request that is not HTTP gets 400. Bounded on every side: at most
 * ED_METRICS_MAX_CONN connections (one more is closed at once), a request of
 * at most 1 KB read within 5 s, one response, then the connection closes
 * (HTTP/1.0, no keep-alive). Only counts and states are exposed: never a
 * key, a PSK or an identity.
 *
 * The media legs' counts live in the workers (worker.c), each written by
 * its own thread only: a request asks every worker for a copy (PUBLISH) and
 * is answered once all have given theirs, so the figures are at least as
 * new as the request.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "emsecd.h"

#define HTTP_TIMEOUT_MS 5000u
#define BODY_CAP        (16u * 1024u)

int ed_metrics_open(emsecd *d)
{
    for (uint16_t i = 0u; i < ED_METRICS_MAX_CONN; i++)
        d->http[i].fd = -1;
    if (d->cfg.metrics == NULL)
        return 0;
    struct sockaddr_in sa;
    if (!ed_parse_hostport(d->cfg.metrics, &sa)) {
        fprintf(stderr, "emsecd: --metrics %s: expected IPv4ADDR:PORT\n", d->cfg.metrics);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 8) != 0) {
        fprintf(stderr, "emsecd: metrics %s: %s\n", d->cfg.metrics, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    d->metrics_lfd = fd;
    if (ed_epoll_set(d, fd, ED_TAG_METRICS_LISTEN, ED_NO_TERM, EPOLLIN, true) != 0)
        return -1;
    ed_log(NULL, "metrics (prometheus, http) on %s/metrics", d->cfg.metrics);
    return 0;
}

static void http_close(emsecd *d, uint16_t slot)
{
    ed_http *h = &d->http[slot];
    if (h->fd < 0)
        return;
    close(h->fd);
    free(h->out);
    h->out = NULL;
    h->want = 0u;
    h->fd = -1;
    h->gen++;
}

void ed_metrics_close_all(emsecd *d)
{
    for (uint16_t i = 0u; i < ED_METRICS_MAX_CONN; i++)
        http_close(d, i);
    if (d->metrics_lfd >= 0)
        close(d->metrics_lfd);
    d->metrics_lfd = -1;
}

static int set_interest(emsecd *d, uint16_t slot, uint32_t events, bool add)
{
    ed_http *h = &d->http[slot];
    struct epoll_event e;
    memset(&e, 0, sizeof e);
    e.events = events;
    e.data.u64 = ed_ep_key(h->gen, ED_TAG_METRICS, slot);
    return epoll_ctl(d->ep, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, h->fd, &e);
}

void ed_metrics_accept(emsecd *d)
{
    for (int i = 0; i < 8; i++) {
        int fd = accept4(d->metrics_lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                ed_log(NULL, "metrics accept: %s", strerror(errno));
            return;
        }
        uint16_t slot = 0u;
        while (slot < ED_METRICS_MAX_CONN && d->http[slot].fd >= 0)
            slot++;
        if (slot == ED_METRICS_MAX_CONN) {
            ed_log(NULL, "metrics: connection refused, %u open already", ED_METRICS_MAX_CONN);
            close(fd);
            continue;
        }
        ed_http *h = &d->http[slot];
        h->fd = fd;
        h->in_len = 0u;
        h->out_len = h->out_off = 0u;
        h->deadline = ed_now_ms() + HTTP_TIMEOUT_MS;
        if (set_interest(d, slot, EPOLLIN, true) != 0) {
            ed_log(NULL, "metrics: epoll_ctl: %s", strerror(errno));
            http_close(d, slot);
        }
    }
}

/* ---------------------------------------------------------------- body */
typedef struct body {
    char *p;
    uint32_t len, cap;
    bool full;
} body;

__attribute__((format(printf, 2, 3))) static void put(body *b, const char *fmt, ...)
{
    if (b->full)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (uint32_t)n >= b->cap - b->len)
        b->full = true;
    else
        b->len += (uint32_t)n;
}

static void head(body *b, const char *name, const char *type, const char *help)
{
    put(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* Every field of ed_metrics is a uint64_t counter (or an array of them):
 * added up field by field. */
_Static_assert(sizeof(ed_metrics) % sizeof(uint64_t) == 0u, "ed_metrics holds uint64_t counters only");
static void add_counts(ed_metrics *sum, const ed_metrics *m)
{
    uint64_t a[sizeof(ed_metrics) / sizeof(uint64_t)], b[sizeof a / sizeof a[0]];
    memcpy(a, sum, sizeof a);
    memcpy(b, m, sizeof b);
    for (size_t i = 0u; i < sizeof a / sizeof a[0]; i++)
        a[i] += b[i];
    memcpy(sum, a, sizeof a);
}

static void render(const emsecd *d, body *b)
{
    ed_metrics all = d->met;
    ed_worker_stats held;
    memset(&held, 0, sizeof held);
    for (uint32_t i = 0u; i < d->nworkers; i++) {
        ed_worker *w = &d->workers[i];
        (void)pthread_mutex_lock(&w->pub_lock);
        add_counts(&all, &w->pub.met);
        for (int k = 0; k < 3; k++)
            held.tcp[k] += w->pub.tcp[k];
        for (int k = 0; k < 4; k++)
            held.tls[k] += w->pub.tls[k];
        held.buffers_in_use += w->pub.buffers_in_use;
        held.buffers_pooled += w->pub.buffers_pooled;
        held.pipes_in_use += w->pub.pipes_in_use;
        held.pipes_pooled += w->pub.pipes_pooled;
        (void)pthread_mutex_unlock(&w->pub_lock);
    }
    const ed_metrics *m = &all;
    static const char *const tr[2] = { "udp", "tcp" };
    head(b, "emsecd_h248_requests_total", "counter", "H.248 messages received from controllers.");
    for (int i = 0; i < 2; i++)
        put(b, "emsecd_h248_requests_total{transport=\"%s\"} %llu\n", tr[i], (unsigned long long)m->h248_requests[i]);
    head(b, "emsecd_h248_replies_total", "counter", "H.248 replies sent.");
    for (int i = 0; i < 2; i++)
        put(b, "emsecd_h248_replies_total{transport=\"%s\"} %llu\n", tr[i], (unsigned long long)m->h248_replies[i]);
    head(b, "emsecd_h248_errors_total", "counter",
         "H.248 messages answered with an Error descriptor or refused by the core.");
    for (int i = 0; i < 2; i++)
        put(b, "emsecd_h248_errors_total{transport=\"%s\"} %llu\n", tr[i], (unsigned long long)m->h248_errors[i]);
    head(b, "emsecd_h248_gateway_requests_total", "counter",
         "Requests of the gateway's own (Notify, ServiceChange) sent, or dropped with no controller to send to.");
    put(b, "emsecd_h248_gateway_requests_total{result=\"sent\"} %llu\n", (unsigned long long)m->h248_notify);
    put(b, "emsecd_h248_gateway_requests_total{result=\"dropped\"} %llu\n", (unsigned long long)m->h248_notify_dropped);
    head(b, "emsecd_h248_notify_total", "counter",
         "Notify to --controller: sent again for want of a reply, answered, lost after the last send, not kept.");
    put(b, "emsecd_h248_notify_total{result=\"repeated\"} %llu\n", (unsigned long long)m->req_repeated);
    put(b, "emsecd_h248_notify_total{result=\"answered\"} %llu\n", (unsigned long long)m->req_answered);
    put(b, "emsecd_h248_notify_total{result=\"unanswered\"} %llu\n", (unsigned long long)m->req_unanswered);
    put(b, "emsecd_h248_notify_total{result=\"untracked\"} %llu\n", (unsigned long long)m->req_untracked);
    head(b, "emsecd_h248_transaction_acks_total", "counter",
         "TransactionResponseAck sent for a controller's Reply with ImmAckRequired (one per transaction).");
    put(b, "emsecd_h248_transaction_acks_total %llu\n", (unsigned long long)m->h248_acks_sent);
    head(b, "emsecd_h248_tpkt_malformed_total", "counter", "H.248 TCP connections closed on a malformed TPKT header.");
    put(b, "emsecd_h248_tpkt_malformed_total %llu\n", (unsigned long long)m->tpkt_malformed);
    static const char *const sc[] = { "restart", "graceful", "forced", "disconnected" };
    _Static_assert(sizeof sc / sizeof sc[0] == EMSEC_MG_SC_DISCONNECTED + 1, "one label per emsec_mg_sc_method");
    _Static_assert(sizeof m->sc_sent / sizeof m->sc_sent[0] == EMSEC_MG_SC_DISCONNECTED + 1, "one count per method");
    head(b, "emsecd_service_change_sends_total", "counter", "ServiceChange requests sent, retransmissions included.");
    for (int i = 0; i <= EMSEC_MG_SC_DISCONNECTED; i++)
        put(b, "emsecd_service_change_sends_total{method=\"%s\"} %llu\n", sc[i], (unsigned long long)m->sc_sent[i]);
    head(b, "emsecd_service_change_replies_total", "counter", "ServiceChange replies received from the controller.");
    for (int i = 0; i <= EMSEC_MG_SC_DISCONNECTED; i++)
        put(b, "emsecd_service_change_replies_total{method=\"%s\"} %llu\n", sc[i],
            (unsigned long long)m->sc_answered[i]);
    static const char *const rd[] = { "not_followed", "address", "mgc" };
    _Static_assert(sizeof rd / sizeof rd[0] == sizeof m->sc_redirects / sizeof m->sc_redirects[0],
                   "one label per ed_redirect");
    head(b, "emsecd_service_change_redirects_total", "counter",
         "A registration's reply naming another address (ServiceChangeAddress) or controller (MgcIdToTry): followed, "
         "or not (not IPv4, or too many in a row).");
    for (int i = 0; i < 3; i++)
        put(b, "emsecd_service_change_redirects_total{to=\"%s\"} %llu\n", rd[i],
            (unsigned long long)m->sc_redirects[i]);

    /* sessions: media legs by TCP and TLS state, as the workers counted them */
    const uint32_t *tcp = held.tcp, *tls = held.tls;
    static const char *const tcps[3] = { "listening", "connecting", "established" };
    head(b, "emsecd_sessions", "gauge", "Media legs (terminations with a socket) by TCP state.");
    for (int i = 0; i < 3; i++)
        put(b, "emsecd_sessions{tcp=\"%s\"} %u\n", tcps[i], (unsigned)tcp[i]);
    static const char *const tlss[4] = { "none", "handshake", "established", "closed" };
    head(b, "emsecd_tls_sessions", "gauge", "Media legs by TLS state (none: plain TCP or transparent).");
    for (int i = 0; i < 4; i++)
        put(b, "emsecd_tls_sessions{tls=\"%s\"} %u\n", tlss[i], (unsigned)tls[i]);

    head(b, "emsecd_relay_buffers", "gauge",
         "Relay buffers (64 KiB each): held by legs with bytes to write, or kept empty for reuse.");
    put(b, "emsecd_relay_buffers{state=\"in_use\"} %u\n", (unsigned)held.buffers_in_use);
    put(b, "emsecd_relay_buffers{state=\"pooled\"} %u\n", (unsigned)held.buffers_pooled);
    head(b, "emsecd_relay_pipes", "gauge",
         "Pipes for spliced plain forwarding: held by legs with bytes in them, or kept empty for reuse.");
    put(b, "emsecd_relay_pipes{state=\"in_use\"} %u\n", (unsigned)held.pipes_in_use);
    put(b, "emsecd_relay_pipes{state=\"pooled\"} %u\n", (unsigned)held.pipes_pooled);

    head(b, "emsecd_workers", "gauge", "Worker threads carrying the media legs (--workers).");
    put(b, "emsecd_workers %u\n", (unsigned)d->nworkers);
    head(b, "emsecd_worker_legs_opened_total", "counter",
         "Media legs opened, by the worker that carries them (contexts are spread by ContextID).");
    for (uint32_t i = 0u; i < d->nworkers; i++) {
        ed_worker *w = &d->workers[i];
        (void)pthread_mutex_lock(&w->pub_lock);
        uint64_t n = w->pub.met.legs_opened;
        (void)pthread_mutex_unlock(&w->pub_lock);
        put(b, "emsecd_worker_legs_opened_total{worker=\"%u\"} %llu\n", (unsigned)i, (unsigned long long)n);
    }

    head(b, "emsecd_tls_handshakes_total", "counter", "TLS handshakes by result and cause of failure.");
    put(b, "emsecd_tls_handshakes_total{result=\"ok\",cause=\"\"} %llu\n", (unsigned long long)m->handshakes[ED_HS_OK]);
    static const char *const causes[ED_HS_COUNT] = { "", "handshake", "psk", "alert", "fingerprint", "timeout" };
    for (int i = ED_HS_HANDSHAKE; i < ED_HS_COUNT; i++)
        put(b, "emsecd_tls_handshakes_total{result=\"failed\",cause=\"%s\"} %llu\n", causes[i],
            (unsigned long long)m->handshakes[i]);

    head(b, "emsecd_relay_bytes_total", "counter",
         "Bytes relayed: rx read from a media leg, tx written to one; leg tls counts plaintext.");
    static const char *const dirs[2] = { "rx", "tx" }, *const legs[2] = { "plain", "tls" };
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            put(b, "emsecd_relay_bytes_total{direction=\"%s\",leg=\"%s\"} %llu\n", dirs[i], legs[j],
                (unsigned long long)m->relay_bytes[i][j]);
    head(b, "emsecd_relay_spliced_bytes_total", "counter",
         "Of the plain bytes read, those moved with splice(2): never copied into emsecd.");
    put(b, "emsecd_relay_spliced_bytes_total %llu\n", (unsigned long long)m->spliced_bytes);

    static const char *const acts[] = {
        "none", "listen", "connect", "close", "tls_client", "tls_server", "tls_close",
        "forward", "reneg_accept", "reneg_refuse",
    };
    _Static_assert(sizeof acts / sizeof acts[0] == EMSEC_MG_ACT_COUNT, "one label per emsec_mg_action_kind");
    head(b, "emsecd_actions_total", "counter", "Actions the core asked for, by kind.");
    for (int i = 1; i < EMSEC_MG_ACT_COUNT; i++)
        put(b, "emsecd_actions_total{kind=\"%s\"} %llu\n", acts[i], (unsigned long long)m->actions[i]);
    static const char *const evs[] = {
        "none", "accepted", "connected", "connect_failed", "tls_established", "tls_failed",
        "renegotiation", "close_notify", "peer_closed", "reset", "timeout", "listen_failed",
    };
    /* a new event kind needs its label here: printf of a missing one would be NULL */
    _Static_assert(sizeof evs / sizeof evs[0] == EMSEC_MG_EV_COUNT, "one label per emsec_mg_event_kind");
    head(b, "emsecd_events_total", "counter", "Network events given to the core, by kind.");
    for (int i = 1; i < EMSEC_MG_EV_COUNT; i++)
        put(b, "emsecd_events_total{kind=\"%s\"} %llu\n", evs[i], (unsigned long long)m->events[i]);
    head(b, "emsecd_msrp_rewritten_total", "counter",
         "MSRP messages the MSRP-aware relay forwarded with To-Path/From-Path rewritten.");
    put(b, "emsecd_msrp_rewritten_total{message=\"request\"} %llu\n", (unsigned long long)m->msrp_rewritten[0]);
    put(b, "emsecd_msrp_rewritten_total{message=\"response\"} %llu\n", (unsigned long long)m->msrp_rewritten[1]);
    head(b, "emsecd_msrp_refused_total", "counter",
         "MSRP messages whose paths did not match the session, never forwarded (RFC 4975 7.3).");
    static const char *const refs[3] = { "answered_481", "request_dropped", "response_dropped" };
    for (int i = 0; i < 3; i++)
        put(b, "emsecd_msrp_refused_total{result=\"%s\"} %llu\n", refs[i], (unsigned long long)m->msrp_refused[i]);
    head(b, "emsecd_msrp_framing_errors_total", "counter",
         "MSRP framing errors on MSRP-aware legs (both legs closed), or streams ended inside a message.");
    put(b, "emsecd_msrp_framing_errors_total %llu\n", (unsigned long long)m->msrp_framing_errors);
    head(b, "emsecd_http_requests_total", "counter", "Requests on this port: served (/metrics) or refused.");
    put(b, "emsecd_http_requests_total{result=\"served\"} %llu\n", (unsigned long long)m->http_requests[0]);
    put(b, "emsecd_http_requests_total{result=\"refused\"} %llu\n", (unsigned long long)m->http_requests[1]);
}

/* ---------------------------------------------------------------- HTTP */
static void respond(emsecd *d, uint16_t slot, int status, const char *ctype, const char *text, uint32_t len)
{
    ed_http *h = &d->http[slot];
    const char *reason = status == 200 ? "OK" : status == 404 ? "Not Found" : status == 400 ? "Bad Request"
                                                                                           : "Internal Server Error";
    uint32_t cap = len + 256u;
    h->out = malloc(cap);
    if (h->out == NULL) {
        http_close(d, slot);
        return;
    }
    int n = snprintf(h->out, cap,
                     "HTTP/1.0 %d %s\r\nContent-Type: %s\r\nContent-Length: %u\r\nConnection: close\r\n\r\n",
                     status, reason, ctype, (unsigned)len);
    if (n < 0 || (uint32_t)n + len > cap) {
        http_close(d, slot);
        return;
    }
    memcpy(h->out + n, text, len);
    h->out_len = (uint32_t)n + len;
    h->out_off = 0u;
    if (set_interest(d, slot, EPOLLOUT, false) != 0)
        http_close(d, slot);
}

static void handle_request(emsecd *d, uint16_t slot)
{
    ed_http *h = &d->http[slot];
    h->in[h->in_len] = '\0';
    char method[8], path[256];
    /* request line: METHOD SP PATH SP HTTP/x.y (RFC 1945 §5.1) */
    if (sscanf(h->in, "%7s %255s HTTP/%*u.%*u", method, path) != 2) {
        d->met.http_requests[1]++;
        ed_log(NULL, "metrics: request that is not HTTP: 400");
        static const char msg[] = "bad request\n";
        respond(d, slot, 400, "text/plain", msg, sizeof msg - 1u);
        return;
    }
    char *q = strchr(path, '?');
    if (q != NULL)
        *q = '\0';
    if (strcmp(method, "GET") != 0 || strcmp(path, "/metrics") != 0) {
        d->met.http_requests[1]++;
        ed_log(NULL, "metrics: %s %s: 404", method, path);
        static const char msg[] = "not found: GET /metrics\n";
        respond(d, slot, 404, "text/plain", msg, sizeof msg - 1u);
        return;
    }
    d->met.http_requests[0]++;
    /* answered by ed_metrics_tick once every worker has published */
    h->want = ++d->pub_want;
    ed_cmd c;
    memset(&c, 0, sizeof c);
    c.kind = ED_CMD_PUBLISH;
    c.term = c.peer_term = ED_NO_TERM;
    c.seq = h->want;
    for (uint32_t i = 0u; i < d->nworkers; i++)
        ed_post(d, i, &c);
}

/* Every worker has published for this slot's request: render it. */
static bool published(emsecd *d, uint64_t want)
{
    bool all = true;
    for (uint32_t i = 0u; i < d->nworkers && all; i++) {
        ed_worker *w = &d->workers[i];
        (void)pthread_mutex_lock(&w->pub_lock);
        all = w->pub.seq >= want;
        (void)pthread_mutex_unlock(&w->pub_lock);
    }
    return all;
}

static void answer(emsecd *d, uint16_t slot)
{
    d->http[slot].want = 0u;
    body b = { malloc(BODY_CAP), 0u, BODY_CAP, false };
    if (b.p == NULL) {
        http_close(d, slot);
        return;
    }
    render(d, &b);
    if (b.full) {
        ed_log(NULL, "metrics: body longer than %u bytes: 500", BODY_CAP);
        static const char msg[] = "metrics body too long\n";
        respond(d, slot, 500, "text/plain", msg, sizeof msg - 1u);
    } else {
        respond(d, slot, 200, "text/plain; version=0.0.4", b.p, b.len);
    }
    free(b.p);
}

void ed_metrics_ready(emsecd *d, uint16_t slot, uint32_t events)
{
    ed_http *h = &d->http[slot];
    if (h->want != 0u && h->out == NULL) {
        /* the answer is being gathered: more bytes are ignored, an end closes */
        char sink[256];
        ssize_t n = recv(h->fd, sink, sizeof sink, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
            http_close(d, slot);
        return;
    }
    if (h->out != NULL) {
        if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0u)
            return;
        while (h->out_off < h->out_len) {
            ssize_t n = send(h->fd, h->out + h->out_off, h->out_len - h->out_off, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
                    return;
                break;
            }
            h->out_off += (uint32_t)n;
        }
        http_close(d, slot);
        return;
    }
    ssize_t n = recv(h->fd, h->in + h->in_len, sizeof h->in - 1u - h->in_len, 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (n <= 0) {
        http_close(d, slot);
        return;
    }
    h->in_len += (uint32_t)n;
    h->in[h->in_len] = '\0';
    if (strstr(h->in, "\r\n\r\n") != NULL || strstr(h->in, "\n\n") != NULL) {
        handle_request(d, slot);
    } else if (h->in_len == sizeof h->in - 1u) {
        d->met.http_requests[1]++;
        ed_log(NULL, "metrics: request header longer than %u bytes: 400", (unsigned)(sizeof h->in - 1u));
        static const char msg[] = "request too long\n";
        respond(d, slot, 400, "text/plain", msg, sizeof msg - 1u);
    }
}

void ed_metrics_tick(emsecd *d)
{
    uint64_t now = ed_now_ms();
    for (uint16_t i = 0u; i < ED_METRICS_MAX_CONN; i++)
        if (d->http[i].fd >= 0 && d->http[i].want != 0u && d->http[i].out == NULL && published(d, d->http[i].want))
            answer(d, i);
    for (uint16_t i = 0u; i < ED_METRICS_MAX_CONN; i++)
        if (d->http[i].fd >= 0 && now >= d->http[i].deadline) {
            ed_log(NULL, "metrics: connection idle for %u ms: closed", HTTP_TIMEOUT_MS);
            http_close(d, i);
        }
}
