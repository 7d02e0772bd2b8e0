/*
 * emsecd relay: the core's FORWARD action. FWD_PLAIN copies bytes between
 * two TCP legs as they are (transparent: a UE's TLS passes untouched);
 * FWD_TLS_TO_PLAIN decrypts on the TLS leg (SSL_read / SSL_write) and speaks
 * plain TCP on the other. Each direction has one bounded buffer (ED_BUF_CAP,
 * held only while it has bytes: buf.c), or, between two plain legs, a pipe
 * the bytes are spliced through (splice.c; never both holding bytes at once):
 * a side is read only while the other side's buffer has room (backpressure,
 * DESIGN.md data plane), bytes leave in the order they came, and a side's end
 * (FIN or close_notify) is passed on only after every buffered byte was
 * written (half-close; tcp_lifecycle.tbl PEER_CLOSED "after the buffered data
 * was delivered").
 * With the core's msrp flag on FORWARD (include/emsec/mg.h), a leg's bytes go
 * through msrp_relay.c (framer and To-Path/From-Path rewriter) instead of
 * straight into the other leg's buffer; the reading (ed_relay_recv), the
 * writing, the backpressure and the half-close are the ones below.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>

#include "emsecd.h"

#define ED_PUMP_ROUNDS 64   /* bounded work per wake-up: other legs get their turn */

static uint32_t buf_used(const ed_buf *b) { return b->end - b->start; }

/* Bytes read for this leg and not yet written to it: in its buffer or in
 * its pipe. At most one of the two holds bytes at a time (read_side), which
 * keeps them in order. */
static uint32_t pending(const ed_term *tm) { return buf_used(&tm->out) + tm->pipe.bytes; }

/* Bytes from `from` to `to` may bypass user space (splice.c): both legs
 * plain sockets here and nothing to look at in the bytes. */
static bool splices(const ed_term *from, const ed_term *to)
{
    return from->ssl == NULL && to->ssl == NULL && from->msrp == NULL && !from->no_splice && !to->no_splice;
}

/* Whether the leg relaying into `to` may be read now: room where its bytes
 * would go (the pipe while it holds bytes, else the buffer or a new one). */
static bool can_take(const ed_term *to)
{
    if (to->pipe.bytes > 0u)
        return !to->pipe.full && to->pipe.bytes < to->pipe.cap;
    return ed_buf_can_take(&to->out);
}

static ed_term *peer_of(ed_worker *w, const ed_term *tm)
{
    return tm->peer < EMSEC_MG_MAX_TERMS && w->term[tm->peer].active ? &w->term[tm->peer] : NULL;
}

void ed_term_update_interest(ed_worker *w, uint16_t t)
{
    ed_term *tm = &w->term[t];
    if (!tm->active || tm->fd < 0)
        return;
    uint32_t want = 0u;
    if (tm->connecting) {
        want = EPOLLOUT;
    } else if (tm->ssl != NULL && tm->tls == ED_TLS_HANDSHAKE) {
        want = tm->ssl_want_write ? EPOLLOUT : EPOLLIN;
    } else if (tm->fwd && tm->ssl != NULL && tm->tls != ED_TLS_UP) {
        want = 0u; /* TLS ended on a relaying leg: nothing more to read or write on it */
    } else if (tm->fwd) {
        ed_term *p = peer_of(w, tm);
        bool room = p == NULL || (tm->msrp != NULL ? !ed_msrp_pending(tm) : can_take(p));
        if (!tm->rd_eof && room)
            want |= EPOLLIN;
        else if (!tm->rd_eof && !tm->held_back)
            tm->pauses++; /* backpressure: resumed when the peer drains */
        tm->held_back = !tm->rd_eof && !room;
        if ((pending(tm) > 0u && !tm->wr_shut) || tm->ssl_want_write)
            want |= EPOLLOUT;
    } else if (!tm->rd_eof) {
        want = EPOLLRDHUP; /* idle leg: only its end is watched */
    }
    if (want == tm->interest)
        return;
    /* interest 0 means "not registered": EPOLLHUP and EPOLLERR are always
     * reported, so a finished leg must leave the set or the loop would spin */
    if (want == 0u) {
        (void)epoll_ctl(w->ep, EPOLL_CTL_DEL, tm->fd, NULL);
    } else {
        (void)ed_worker_epoll_set(w, tm->fd, ED_TAG_CONN, t, want, tm->interest == 0u);
    }
    tm->interest = want;
}

/* This side ended in order (FIN, or close_notify on the TLS leg): the peer
 * shuts its write side once what this side sent is delivered. */
static void side_ended(ed_worker *w, ed_term *tm)
{
    tm->rd_eof = true;
    ed_term *p = peer_of(w, tm);
    if (p != NULL)
        p->shut_pending = true;
}

uint32_t ed_relay_recv(ed_worker *w, uint16_t t, uint8_t *dst, uint32_t room)
{
    ed_term *tm = &w->term[t];
    if (tm->rd_eof || tm->fd < 0 || room == 0u)
        return 0u;
    if (tm->ssl != NULL) {
        if (tm->tls != ED_TLS_UP)
            return 0u;
        ERR_clear_error();
        int n = SSL_read(tm->ssl, dst, (int)room);
        ed_tls_after_io(w, t);
        if (n > 0) {
            tm->bytes_in += (uint64_t)n;
            w->met.relay_bytes[ED_DIR_RX][ED_LEG_TLS] += (uint64_t)n;
            return (uint32_t)n;
        }
        int err = SSL_get_error(tm->ssl, n);
        tm->ssl_want_write = err == SSL_ERROR_WANT_WRITE;
        tm->rd_dry = err == SSL_ERROR_WANT_READ;
        if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
            return 0u;
        if (err == SSL_ERROR_ZERO_RETURN) { /* close_notify (RFC 8446 §6.1) */
            side_ended(w, tm);
            ed_report(w, t, EMSEC_MG_EV_CLOSE_NOTIFY);
            return 0u;
        }
        int e = errno;
        unsigned long reason = ERR_GET_REASON(ERR_peek_error());
        if ((err == SSL_ERROR_SYSCALL && e == ECONNRESET)) {
            tm->rd_eof = true;
            ed_report(w, t, EMSEC_MG_EV_RESET);
        } else if ((err == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) ||
                   (err == SSL_ERROR_SSL && reason == SSL_R_UNEXPECTED_EOF_WHILE_READING)) {
            /* FIN without close_notify: a TCP end, reported once delivered */
            side_ended(w, tm);
            tm->eof_pending = true;
            ERR_clear_error();
        } else {
            ed_log_ssl_errors(tm->name, "tls read");
            tm->rd_eof = true;
            emsec_mg_event ev;
            memset(&ev, 0, sizeof ev);
            ev.kind = EMSEC_MG_EV_TLS_FAILED;
            ev.term = t;
            ev.cause = EMSEC_MG_TLS_CAUSE_ALERT;
            ed_report_ev(w, &ev);
        }
        return 0u;
    }
    ssize_t n = recv(tm->fd, dst, room, 0);
    if (n > 0) {
        tm->bytes_in += (uint64_t)n;
        w->met.relay_bytes[ED_DIR_RX][ED_LEG_PLAIN] += (uint64_t)n;
        tm->rd_dry = (uint32_t)n < room; /* TCP gives all it has up to room */
        return (uint32_t)n;
    }
    if (n == 0) {
        side_ended(w, tm);
        tm->eof_pending = true;
        return 0u;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
        tm->rd_dry = errno != EINTR;
        return 0u;
    }
    ed_log(tm->name, "recv: %s", strerror(errno));
    tm->rd_eof = true;
    ed_report(w, t, EMSEC_MG_EV_RESET);
    return 0u;
}

/* Splice what leg t has into its peer's pipe: 1 bytes moved, 0 nothing now
 * (or t ended, recorded as recv's end is), -1 splice is not to be used on
 * these legs: read into the buffer instead. */
static int splice_side(ed_worker *w, uint16_t t, ed_term *p)
{
    ed_term *tm = &w->term[t];
    if (!ed_pipe_take(w, &p->pipe)) {
        ed_log(tm->name, "no pipe for splice (%s): this leg relays through its buffer", strerror(errno));
        tm->no_splice = true;
        return -1;
    }
    uint32_t want = p->pipe.cap - p->pipe.bytes;
    ssize_t n = ed_splice_in(tm->fd, &p->pipe);
    if (n > 0) {
        tm->rd_dry = (uint32_t)n < want; /* all the socket had */
        tm->bytes_in += (uint64_t)n;
        w->met.relay_bytes[ED_DIR_RX][ED_LEG_PLAIN] += (uint64_t)n;
        w->met.spliced_bytes += (uint64_t)n;
        return 1;
    }
    int e = errno;
    ed_pipe_give_back(w, &p->pipe); /* taken for nothing: an idle leg holds none */
    if (n == -2)
        return 0;
    if (n == 0) {
        side_ended(w, tm);
        tm->eof_pending = true;
        return 0;
    }
    if (e == EAGAIN || e == EWOULDBLOCK || e == EINTR) {
        tm->rd_dry = e != EINTR;
        return 0;
    }
    if (e == EINVAL || e == ENOSYS || e == EOPNOTSUPP) {
        ed_log(tm->name, "splice refused (%s): this leg relays through its buffer", strerror(e));
        tm->no_splice = true;
        return -1;
    }
    ed_log(tm->name, "splice: %s", strerror(e));
    tm->rd_eof = true;
    ed_report(w, t, EMSEC_MG_EV_RESET);
    return 0;
}

/* Read what the side has into its peer's out buffer (or pipe); true if
 * bytes moved. An MSRP-aware leg goes through its framer and rewriter
 * instead. */
static bool read_side(ed_worker *w, uint16_t t)
{
    static uint8_t discard[16384]; /* the peer leg is gone: its bytes have nowhere to go */
    ed_term *tm = &w->term[t];
    ed_term *p = peer_of(w, tm);
    /* an MSRP-aware leg may still hold framed-to-be bytes after its end */
    if (p != NULL && tm->msrp != NULL && tm->fd >= 0)
        return ed_msrp_read(w, t);
    if (tm->rd_eof || tm->fd < 0 || tm->rd_dry)
        return false;
    if (p != NULL && splices(tm, p) && buf_used(&p->out) == 0u) {
        int r = splice_side(w, t, p);
        if (r >= 0)
            return r > 0;
    }
    if (p != NULL && p->pipe.bytes > 0u)
        return false; /* the pipe's bytes first: nothing overtakes them */
    uint8_t *dst = discard;
    uint32_t room = sizeof discard;
    if (p != NULL) {
        room = ed_buf_room(w, &p->out);
        if (p->out.data == NULL) { /* no buffer to read into: the session cannot go on */
            ed_log(tm->name, "out of memory for a relay buffer: leg reset");
            tm->rd_eof = true;
            ed_report(w, t, EMSEC_MG_EV_RESET);
            return false;
        }
        dst = p->out.data + p->out.end;
    }
    uint32_t n = ed_relay_recv(w, t, dst, room);
    if (n == 0u) {
        if (p != NULL)
            ed_buf_give_back(w, &p->out); /* taken for nothing: an idle leg holds none */
        return false;
    }
    if (p == NULL) {
        tm->dropped += n; /* logged once, when the leg closes */
        return true;
    }
    p->out.end += n;
    /* Records OpenSSL already holds (read ahead, tls.c) go into the same
     * buffer now, so that the plain leg gets one large send instead of one
     * per record; no read(2) is tried for them, so none returns EAGAIN. */
    while (tm->ssl != NULL && !tm->rd_eof && SSL_has_pending(tm->ssl) && (room = ed_buf_room(w, &p->out)) > 0u) {
        n = ed_relay_recv(w, t, p->out.data + p->out.end, room);
        if (n == 0u)
            break;
        p->out.end += n;
    }
    return true;
}

/* A write that failed for good: what was waiting for the leg is dropped
 * (logged with the count) and nothing more is written to it. A reset peer
 * (ECONNRESET, or EPIPE once the reset's error was taken by an earlier
 * call) is reported to the core as RESET here, as a read would have: the
 * socket reports its error once, and the read that comes next sees only
 * an end. */
static void write_failed(ed_worker *w, uint16_t t, const char *what, int err, uint32_t len)
{
    ed_term *tm = &w->term[t];
    ed_log(tm->name, "%s: %s: %u bytes dropped", what, strerror(err), (unsigned)len);
    ed_buf_drop(w, &tm->out);
    ed_pipe_drop(w, &tm->pipe);
    tm->wr_shut = true;
    if ((err == ECONNRESET || err == EPIPE) && !tm->rd_eof) {
        tm->rd_eof = true;
        tm->eof_pending = false;
        ed_report(w, t, EMSEC_MG_EV_RESET);
    }
}

/* Write the side's out buffer; then, if its source ended and everything is
 * delivered, shut its write side (close_notify first on a TLS leg). */
static bool write_out(ed_worker *w, uint16_t t)
{
    ed_term *tm = &w->term[t];
    bool moved = false;
    if (tm->fd < 0 || tm->wr_shut)
        return false;
    while (buf_used(&tm->out) > 0u) {
        uint32_t len = buf_used(&tm->out);
        const uint8_t *src = tm->out.data + tm->out.start;
        if (tm->ssl != NULL) {
            if (tm->tls != ED_TLS_UP)
                return moved;
            ERR_clear_error();
            int n = SSL_write(tm->ssl, src, (int)len);
            ed_tls_after_io(w, t);
            if (n <= 0) {
                int err = SSL_get_error(tm->ssl, n);
                tm->ssl_want_write = err == SSL_ERROR_WANT_WRITE;
                if (err == SSL_ERROR_SYSCALL && (errno == ECONNRESET || errno == EPIPE)) {
                    write_failed(w, t, "tls write", errno, len);
                } else if (err != SSL_ERROR_WANT_WRITE && err != SSL_ERROR_WANT_READ) {
                    ed_log_ssl_errors(tm->name, "tls write");
                    ed_log(tm->name, "write failed: %u bytes dropped", (unsigned)len);
                    ed_buf_drop(w, &tm->out);
                    tm->wr_shut = true;
                }
                return moved;
            }
            tm->out.start += (uint32_t)n;
            tm->bytes_out += (uint64_t)n;
            w->met.relay_bytes[ED_DIR_TX][ED_LEG_TLS] += (uint64_t)n;
            moved = true;
            continue;
        }
        ssize_t n = send(tm->fd, src, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
                return moved;
            write_failed(w, t, "send", errno, len);
            return moved;
        }
        tm->out.start += (uint32_t)n;
        tm->bytes_out += (uint64_t)n;
        w->met.relay_bytes[ED_DIR_TX][ED_LEG_PLAIN] += (uint64_t)n;
        moved = true;
    }
    while (tm->pipe.bytes > 0u) { /* spliced bytes (splice.c); the buffer is empty */
        uint32_t len = tm->pipe.bytes;
        ssize_t n = ed_splice_out(&tm->pipe, tm->fd);
        if (n > 0) {
            tm->bytes_out += (uint64_t)n;
            w->met.relay_bytes[ED_DIR_TX][ED_LEG_PLAIN] += (uint64_t)n;
            moved = true;
            continue;
        }
        if (n == 0 || errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return moved;
        write_failed(w, t, "splice", errno, len);
        return moved;
    }
    ed_term *src = peer_of(w, tm);
    if (tm->shut_pending && (src == NULL || !ed_msrp_pending(src))) {
        if (tm->ssl != NULL && tm->tls == ED_TLS_UP) {
            ERR_clear_error();
            (void)SSL_shutdown(tm->ssl); /* close_notify; reading goes on until the peer's */
            ERR_clear_error();
        }
        (void)shutdown(tm->fd, SHUT_WR);
        tm->wr_shut = true;
        ed_log(tm->name, "write side shut after %llu bytes", (unsigned long long)tm->bytes_out);
    }
    return moved;
}

/* ... and an emptied buffer goes back to the pool (buf.c). */
static bool write_side(ed_worker *w, uint16_t t)
{
    bool moved = write_out(w, t);
    ed_buf_give_back(w, &w->term[t].out);
    ed_pipe_give_back(w, &w->term[t].pipe);
    return moved;
}

/* The side's FIN is reported once its bytes are delivered (or can never be). */
static void report_ends(ed_worker *w, uint16_t t)
{
    ed_term *tm = &w->term[t];
    if (!tm->eof_pending)
        return;
    ed_term *p = peer_of(w, tm);
    if (p == NULL || ((pending(p) == 0u && !ed_msrp_pending(tm)) || p->wr_shut)) {
        tm->eof_pending = false;
        ed_report(w, t, EMSEC_MG_EV_PEER_CLOSED);
    }
}

void ed_relay_pump(ed_worker *w, uint16_t t)
{
    ed_term *a = &w->term[t];
    uint16_t pt = a->peer;
    bool has_peer = peer_of(w, a) != NULL;
    /* A leg found drained (EAGAIN, or a read shorter than asked: TCP
     * gives all it holds) is not read again in this pump: epoll (level
     * triggered) reports the bytes that come after, so this only saves
     * the read(2) calls that would return EAGAIN. */
    a->rd_dry = false;
    if (has_peer)
        w->term[pt].rd_dry = false;
    for (int round = 0; round < ED_PUMP_ROUNDS; round++) {
        bool moved = write_side(w, t);
        if (has_peer)
            moved |= write_side(w, pt);
        moved |= read_side(w, t);
        if (has_peer)
            moved |= read_side(w, pt);
        if (!moved)
            break;
    }
    /* a shut still pending on an empty buffer */
    (void)write_side(w, t);
    if (has_peer)
        (void)write_side(w, pt);
    report_ends(w, t);
    if (has_peer)
        report_ends(w, pt);
    ed_term_update_interest(w, t);
    if (has_peer)
        ed_term_update_interest(w, pt);
}

void ed_relay_start(ed_worker *w, uint16_t a, uint16_t b, bool msrp)
{
    ed_term *ta = &w->term[a], *tb = &w->term[b];
    if (!ta->active || !tb->active || ta->fd < 0 || tb->fd < 0 || !ta->up || !tb->up) {
        ed_log(ta->name, "forward: a leg is not up: ignored");
        return;
    }
    ta->fwd = tb->fwd = true;
    ta->peer = b;
    tb->peer = a;
    /* the core's msrp flag (include/emsec/mg.h): MSRP-aware, else untouched */
    if (msrp && !ed_msrp_attach(w, a, b)) {
        ed_log(ta->name, "forward: MSRP-aware relay could not start: legs closed");
        ed_report(w, a, EMSEC_MG_EV_RESET);
        ed_report(w, b, EMSEC_MG_EV_RESET);
        ta->rd_eof = tb->rd_eof = true;
        return;
    }
    ed_log(ta->name, "relay with %s (%s | %s, %s)", tb->name, ta->ssl != NULL ? "tls" : "tcp",
           tb->ssl != NULL ? "tls" : "tcp", ta->msrp != NULL ? "msrp-aware" : "bytes untouched");
    ed_relay_pump(w, a);
}

/* The core closes t: its peer keeps what t sent (in the peer's out buffer)
 * and delivers it; what was still waiting for t is lost with t. */
void ed_relay_detach(ed_worker *w, uint16_t t)
{
    ed_term *tm = &w->term[t];
    if (pending(tm) > 0u)
        ed_log(tm->name, "%u bytes not delivered: leg closed", (unsigned)pending(tm));
    ed_msrp_detach(w, t); /* what t's framer holds goes to the peer first */
    ed_term *p = peer_of(w, tm);
    tm->fwd = false;
    tm->peer = ED_NO_TERM;
    ed_msrp_free(tm);
    if (p == NULL)
        return;
    p->peer = ED_NO_TERM;
    uint16_t pt = (uint16_t)(p - w->term);
    report_ends(w, pt);
    ed_term_update_interest(w, pt);
    /* what t sent may still be waiting: finish it on the next wake-up */
    if (pending(p) > 0u || p->shut_pending)
        (void)write_side(w, pt);
    ed_term_update_interest(w, pt);
}
