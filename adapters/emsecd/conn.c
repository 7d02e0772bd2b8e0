/*
 * emsecd TCP legs: the core's LISTEN, CONNECT and CLOSE actions on
 * non-blocking sockets, and what the kernel says back as the core's
 * ACCEPTED, CONNECTED, CONNECT_FAILED, PEER_CLOSED and RESET events.
 * One connection per termination (RFC 4145 §4: a=setup decides who
 * connects); the listener is closed once its one peer is accepted.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "emsecd.h"

const char *ed_addr_text(const struct sockaddr_in *a, char *buf, size_t cap)
{
    char ip[INET_ADDRSTRLEN] = "?";
    (void)inet_ntop(AF_INET, &a->sin_addr, ip, sizeof ip);
    snprintf(buf, cap, "%s:%u", ip, (unsigned)ntohs(a->sin_port));
    return buf;
}

bool ed_parse_hostport(const char *s, struct sockaddr_in *sa)
{
    char host[64];
    const char *colon = strrchr(s, ':');
    if (colon == NULL || (size_t)(colon - s) >= sizeof host || colon == s)
        return false;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    char *end = NULL;
    errno = 0;
    unsigned long port = strtoul(colon + 1, &end, 10);
    if (errno != 0 || end == colon + 1 || *end != '\0' || port == 0u || port > 65535u)
        return false;
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    return inet_pton(AF_INET, host, &sa->sin_addr) == 1;
}

/* A leg's log label, "ctx=<ContextID> term=<TerminationID>", read again
 * from the core when one of its events is given to it (a Move changes the
 * context); a termination the core no longer holds keeps its last one.
 * Called with the core's lock held. */
void ed_term_label(ed_worker *w, uint16_t t)
{
    emsec_mg_term_view v;
    if (t < EMSEC_MG_MAX_TERMS && emsec_mg_term_info(w->d->mg, t, &v))
        snprintf(w->term[t].name, sizeof w->term[t].name, "ctx=%lu term=%s", (unsigned long)v.context, v.name);
}

/* A slot starts clean on the first socket action of a (possibly reused)
 * handle; the generation makes events queued for the old use stale. The
 * label and the use (epoch) come with the command. */
static ed_term *term_open(ed_worker *w, const ed_cmd *c)
{
    ed_term *tm = &w->term[c->term];
    if (!tm->active) {
        uint32_t gen = tm->gen + 1u;
        memset(tm, 0, sizeof *tm);
        tm->gen = gen;
        tm->lfd = -1;
        tm->fd = -1;
        tm->peer = ED_NO_TERM;
        tm->active = true;
        tm->epoch = c->epoch;
        w->met.legs_opened++;
    }
    memcpy(tm->name, c->label, sizeof tm->name);
    return tm;
}

static void set_nodelay(int fd)
{
    int one = 1;
    /* MSRP and BFCP are request/response: do not hold small writes back */
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

void ed_conn_listen(ed_worker *w, const ed_cmd *c)
{
    uint16_t t = c->term;
    ed_term *tm = term_open(w, c);
    if (tm->lfd >= 0 || tm->fd >= 0) {
        ed_log(tm->name, "listen: already has a socket: ignored");
        return;
    }
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(c->local_port);
    if (inet_pton(AF_INET, w->d->cfg.media_address, &sa.sin_addr) != 1) {
        ed_log(tm->name, "listen: bad media address %s", w->d->cfg.media_address);
        ed_report(w, t, EMSEC_MG_EV_LISTEN_FAILED);
        return;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 4) != 0) {
        ed_log(tm->name, "listen on %s:%u failed: %s", w->d->cfg.media_address, (unsigned)c->local_port,
               strerror(errno));
        if (fd >= 0)
            close(fd);
        /* the core fails the termination at once and tells the controller
         * (tcpbcc/ef cause local) rather than waiting for its timer */
        ed_report(w, t, EMSEC_MG_EV_LISTEN_FAILED);
        return;
    }
    tm->lfd = fd;
    (void)ed_worker_epoll_set(w, fd, ED_TAG_LISTEN, t, EPOLLIN, true);
    ed_log(tm->name, "listening on %s:%u", w->d->cfg.media_address, (unsigned)c->local_port);
}

void ed_conn_listener_ready(ed_worker *w, uint16_t t)
{
    ed_term *tm = &w->term[t];
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    int fd = accept4(tm->lfd, (struct sockaddr *)&from, &fl, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED)
            ed_log(tm->name, "accept: %s", strerror(errno));
        return;
    }
    close(tm->lfd); /* one peer per termination */
    tm->lfd = -1;
    set_nodelay(fd);
    tm->fd = fd;
    tm->up = true;
    tm->interest = EPOLLRDHUP;
    (void)ed_worker_epoll_set(w, fd, ED_TAG_CONN, t, tm->interest, true);
    char a[INET_ADDRSTRLEN] = "?";
    (void)inet_ntop(AF_INET, &from.sin_addr, a, sizeof a);
    ed_log(tm->name, "accepted from %s:%u", a, (unsigned)ntohs(from.sin_port));
    ed_report(w, t, EMSEC_MG_EV_ACCEPTED);
}

void ed_conn_connect(ed_worker *w, const ed_cmd *c)
{
    uint16_t t = c->term;
    ed_term *tm = term_open(w, c);
    if (tm->fd >= 0) {
        ed_log(tm->name, "connect: already connected: ignored");
        return;
    }
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(c->remote_port);
    if (c->remote_port == 0u || inet_pton(AF_INET, c->remote_addr, &sa.sin_addr) != 1) {
        ed_log(tm->name, "connect: no usable IPv4 remote (\"%s\" port %u)", c->remote_addr, (unsigned)c->remote_port);
        ed_report(w, t, EMSEC_MG_EV_CONNECT_FAILED);
        return;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        ed_log(tm->name, "socket: %s", strerror(errno));
        ed_report(w, t, EMSEC_MG_EV_CONNECT_FAILED);
        return;
    }
    set_nodelay(fd);
    tm->fd = fd;
    ed_log(tm->name, "connecting to %s:%u", c->remote_addr, (unsigned)c->remote_port);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
        tm->up = true;
        tm->interest = EPOLLRDHUP;
        (void)ed_worker_epoll_set(w, fd, ED_TAG_CONN, t, tm->interest, true);
        ed_report(w, t, EMSEC_MG_EV_CONNECTED);
        return;
    }
    if (errno != EINPROGRESS) {
        ed_log(tm->name, "connect: %s", strerror(errno));
        close(fd);
        tm->fd = -1;
        ed_report(w, t, EMSEC_MG_EV_CONNECT_FAILED);
        return;
    }
    tm->connecting = true;
    tm->interest = EPOLLOUT;
    (void)ed_worker_epoll_set(w, fd, ED_TAG_CONN, t, tm->interest, true);
}

void ed_conn_close(ed_worker *w, uint16_t t)
{
    ed_term *tm = &w->term[t];
    if (!tm->active)
        return;
    ed_relay_detach(w, t);
    ed_tls_release(tm);
    if (tm->lfd >= 0)
        close(tm->lfd);
    if (tm->fd >= 0) {
        ed_log(tm->name, "closed (%llu bytes in, %llu out, %u pauses for backpressure, %llu dropped: other leg gone)",
               (unsigned long long)tm->bytes_in, (unsigned long long)tm->bytes_out, (unsigned)tm->pauses,
               (unsigned long long)tm->dropped);
        close(tm->fd);
    }
    ed_buf_drop(w, &tm->out);
    ed_pipe_drop(w, &tm->pipe);
    tm->lfd = -1;
    tm->fd = -1;
    tm->active = false;
}

/* A leg that is up but not relaying (waiting for its peer leg, or after its
 * end was reported): only its end is watched, nothing is read from it. */
static void idle_event(ed_worker *w, uint16_t t, uint32_t events)
{
    ed_term *tm = &w->term[t];
    if (tm->rd_eof)
        return;
    if (events & EPOLLERR) {
        int err = 0;
        socklen_t el = sizeof err;
        (void)getsockopt(tm->fd, SOL_SOCKET, SO_ERROR, &err, &el);
        ed_log(tm->name, "socket error: %s", strerror(err));
        tm->rd_eof = true;
        ed_report(w, t, EMSEC_MG_EV_RESET);
    } else if (events & (EPOLLRDHUP | EPOLLHUP)) {
        tm->rd_eof = true;
        ed_report(w, t, EMSEC_MG_EV_PEER_CLOSED);
    }
    ed_term_update_interest(w, t);
}

void ed_conn_ready(ed_worker *w, uint16_t t, uint32_t events)
{
    ed_term *tm = &w->term[t];
    if (tm->connecting) {
        int err = 0;
        socklen_t el = sizeof err;
        if (getsockopt(tm->fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0)
            err = errno;
        if (err == 0 && !(events & (EPOLLERR | EPOLLHUP))) {
            tm->connecting = false;
            tm->up = true;
            ed_log(tm->name, "connected");
            ed_report(w, t, EMSEC_MG_EV_CONNECTED);
            ed_term_update_interest(w, t);
            return;
        }
        ed_log(tm->name, "connect failed: %s", strerror(err != 0 ? err : ECONNREFUSED));
        close(tm->fd);
        tm->fd = -1;
        tm->connecting = false;
        ed_report(w, t, EMSEC_MG_EV_CONNECT_FAILED);
        return;
    }
    if (tm->ssl != NULL && tm->tls == ED_TLS_HANDSHAKE) {
        ed_tls_handshake(w, t);
        return;
    }
    if (tm->fwd) {
        ed_relay_pump(w, t);
        return;
    }
    idle_event(w, t, events);
}
