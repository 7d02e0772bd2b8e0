/*
 * emsecd: a controller reached over TCP (--controller tcp:ADDR:PORT).
 *
 * RFC 3525 Annex D.2: H.248 messages over TCP, each in a TPKT (RFC 1006),
 * "the commands should be sent to the default port" of the other side. The
 * gateway opens the connection itself and keeps it: its registration, its
 * Notify and ServiceChange requests go on it, and the controller's commands
 * that arrive on it are answered on it (h248_tcp.c does the framing; the
 * connection is one of its slots, marked `controller`).
 *
 * A connection that fails or is lost is opened again after
 * ED_CTL_BACKOFF_FIRST_MS, the wait doubling up to ED_CTL_BACKOFF_MAX_MS
 * while connects fail. The first connection registers after RFC 3525 §9.2's
 * random wait (ed_sc_first); a later one registers again at once, with
 * ServiceChange Disconnected once the controller had accepted the gateway
 * (§11.5: "If the MG retries to connect to the current MGC it shall use a
 * ServiceChange with ServiceChangeMethod set to Disconnected"), else Restart.
 * While the connection is down, the gateway's requests are dropped and
 * logged; those kept for repeating (requests.c, service.c) go out again on
 * their schedule once it is up.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "emsecd.h"

bool ed_parse_controller(const char *s, struct sockaddr_in *sa, bool *tcp)
{
    *tcp = false;
    if (strncmp(s, "tcp:", 4) == 0) {
        *tcp = true;
        s += 4;
    } else if (strncmp(s, "udp:", 4) == 0) {
        s += 4;
    }
    return ed_parse_hostport(s, sa);
}

static void schedule(emsecd *d)
{
    d->ctl_retry_ms = ed_now_ms() + d->ctl_backoff_ms;
    d->ctl_backoff_ms = d->ctl_backoff_ms * 2u > ED_CTL_BACKOFF_MAX_MS ? ED_CTL_BACKOFF_MAX_MS
                                                                        : d->ctl_backoff_ms * 2u;
}

void ed_ctl_tcp_connect(emsecd *d)
{
    struct sockaddr_in to;
    memcpy(&to, &d->controller, sizeof to);
    char peer[64];
    (void)ed_addr_text(&to, peer, sizeof peer);
    d->ctl_retry_ms = 0u;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        ed_log(NULL, "h248 tcp controller %s: socket: %s; trying again in %u ms", peer, strerror(errno),
               (unsigned)d->ctl_backoff_ms);
        schedule(d);
        return;
    }
    bool now = connect(fd, (struct sockaddr *)&to, sizeof to) == 0;
    if (!now && errno != EINPROGRESS) {
        ed_log(NULL, "h248 tcp controller %s: connect: %s; trying again in %u ms", peer, strerror(errno),
               (unsigned)d->ctl_backoff_ms);
        close(fd);
        schedule(d);
        return;
    }
    int slot = ed_h248_tcp_adopt(d, fd, peer, !now);
    if (slot < 0) {
        ed_log(NULL, "h248 tcp controller %s: no connection slot free; trying again in %u ms", peer,
               (unsigned)d->ctl_backoff_ms);
        schedule(d);
        return;
    }
    d->ctl_slot = slot;
    ed_log(NULL, "h248 tcp controller %s: connecting (slot %d)", peer, slot);
    if (now)
        ed_ctl_tcp_up(d);
}

void ed_ctl_tcp_up(emsecd *d)
{
    d->ctl_backoff_ms = ED_CTL_BACKOFF_FIRST_MS;
    ed_log(NULL, "h248 tcp controller %s: connected", d->tcp[d->ctl_slot].peer);
    int on_up = d->ctl_on_up;
    d->ctl_on_up = -1;
    if (d->stop)
        return;
    if (on_up >= 0) { /* moved by MgcIdToTry: the same request to the new controller */
        (void)ed_sc_start(d, (emsec_mg_sc_method)on_up);
        return;
    }
    if (on_up == ED_CTL_MOVED_SAME)
        return; /* moved by ServiceChangeAddress: the association goes on */
    if (!d->ctl_ever_up) {
        d->ctl_ever_up = true;
        ed_sc_first(d);
        return;
    }
    /* a new connection to the same controller: register again (§11.5),
     * unless a drain's Graceful is what the gateway is about */
    if (!d->draining)
        (void)ed_sc_start(d, ed_sc_again(d));
}

void ed_ctl_tcp_lost(emsecd *d, const char *why)
{
    d->ctl_slot = -1;
    if (d->stop)
        return;
    ed_log(NULL, "h248 tcp controller: connection lost (%s); connecting again in %u ms", why,
           (unsigned)d->ctl_backoff_ms);
    schedule(d);
}

void ed_ctl_tcp_move(emsecd *d, int method)
{
    d->ctl_on_up = method >= 0 ? method : ED_CTL_MOVED_SAME;
    d->ctl_backoff_ms = ED_CTL_BACKOFF_FIRST_MS;
    if (d->ctl_slot >= 0) {
        /* called while the old connection's message is being handled (its
         * bytes still in use): shut down now, closed by h248_tcp.c once the
         * message is done; not a loss, so no backoff */
        ed_h248_tcp *old = &d->tcp[d->ctl_slot];
        old->controller = false;
        if (old->closing == NULL) {
            (void)shutdown(old->fd, SHUT_RDWR);
            old->closing = "the controller moved the association";
        }
        d->ctl_slot = -1;
    }
    d->ctl_retry_ms = ed_now_ms(); /* the new connection on the next tick */
}

bool ed_ctl_tcp_ready(const emsecd *d)
{
    return d->ctl_slot >= 0 && d->tcp[d->ctl_slot].fd >= 0 && !d->tcp[d->ctl_slot].connecting &&
           d->tcp[d->ctl_slot].closing == NULL;
}

void ed_ctl_tcp_tick(emsecd *d)
{
    if (d->ctl_tcp && d->ctl_slot < 0 && d->ctl_retry_ms != 0u && !d->stop && ed_now_ms() >= d->ctl_retry_ms)
        ed_ctl_tcp_connect(d);
}

int ed_ctl_tcp_wait_ms(const emsecd *d, int wait)
{
    if (!d->ctl_tcp || d->ctl_slot >= 0 || d->ctl_retry_ms == 0u)
        return wait;
    uint64_t now = ed_now_ms();
    if (d->ctl_retry_ms <= now)
        return 0;
    return d->ctl_retry_ms - now < (uint64_t)wait ? (int)(d->ctl_retry_ms - now) : wait;
}
