/*
 * emsecd H.248 over UDP (H.248.1 Annex D.1, text encoding): each datagram is
 * one message; the core's reply goes back to its sender. The same message
 * handling serves TCP (h248_tcp.c): ed_h248_message.
 *
 * Where the gateway's own requests (Notify, ServiceChange) go: to the
 * --controller when one is configured (UDP, or the TCP connection the
 * gateway keeps to a tcp: one: controller_tcp.c);
 * without one, to whoever sent the last request, over the transport it came
 * on (the last UDP sender, or that TCP connection while it is open).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "emsecd.h"

int ed_h248_open(emsecd *d)
{
    if (!ed_parse_hostport(d->cfg.listen, &d->h248_addr)) {
        fprintf(stderr, "emsecd: --listen %s: expected IPv4ADDR:PORT\n", d->cfg.listen);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        fprintf(stderr, "emsecd: socket: %s\n", strerror(errno));
        return -1;
    }
    if (bind(fd, (struct sockaddr *)&d->h248_addr, sizeof d->h248_addr) != 0) {
        fprintf(stderr, "emsecd: bind %s: %s\n", d->cfg.listen, strerror(errno));
        close(fd);
        return -1;
    }
    d->h248_fd = fd;
    if (ed_epoll_set(d, fd, ED_TAG_H248, ED_NO_TERM, EPOLLIN, true) != 0)
        return -1;
    ed_log(NULL, "h248 udp listening on %s", d->cfg.listen);
    return 0;
}

static bool send_to(emsecd *d, const struct sockaddr *to, socklen_t to_len, const char *text, uint32_t len,
                    const char *what)
{
    if (sendto(d->h248_fd, text, len, MSG_NOSIGNAL, to, to_len) < 0) {
        ed_log(NULL, "h248 %s not sent: %s", what, strerror(errno));
        return false;
    }
    return true;
}

bool ed_h248_send_notify(emsecd *d, const char *text, uint32_t len)
{
    if (d->has_controller && d->ctl_tcp) {
        /* --controller tcp: on the connection the gateway keeps to it */
        if (ed_ctl_tcp_ready(d) && ed_h248_tcp_send(d, (uint16_t)d->ctl_slot, text, len)) {
            d->met.h248_notify++;
            ed_log(NULL, "h248 request sent to the controller over tcp %s (%u bytes)", d->tcp[d->ctl_slot].peer,
                   (unsigned)len);
            return true;
        }
        d->met.h248_notify_dropped++;
        ed_log(NULL, "h248 request dropped: the tcp connection to the controller is not up");
        return false;
    }
    if (!d->has_controller && d->dest == ED_DEST_TCP) {
        const ed_h248_tcp *c = &d->tcp[d->dest_tcp];
        if (c->fd >= 0 && c->gen == d->dest_tcp_gen && ed_h248_tcp_send(d, d->dest_tcp, text, len)) {
            d->met.h248_notify++;
            ed_log(NULL, "h248 request sent to the controller over tcp %s (%u bytes)", c->peer, (unsigned)len);
            return true;
        }
        d->met.h248_notify_dropped++;
        ed_log(NULL, "h248 request dropped: the controller's tcp connection is closed or not reading");
        return false;
    }
    if (d->controller_len == 0) {
        d->met.h248_notify_dropped++;
        ed_log(NULL, "h248 request dropped: no controller has spoken yet");
        return false;
    }
    if (!send_to(d, (struct sockaddr *)&d->controller, d->controller_len, text, len, "request to the controller")) {
        d->met.h248_notify_dropped++;
        return false;
    }
    d->met.h248_notify++;
    ed_log(NULL, "h248 request sent to the controller over udp (%u bytes)", (unsigned)len);
    return true;
}

bool ed_h248_send_to_sender(emsecd *d, const char *text, uint32_t len, const struct sockaddr_storage *from,
                            socklen_t from_len, int tcp_slot, const char *what)
{
    if (tcp_slot >= 0)
        return ed_h248_tcp_send(d, (uint16_t)tcp_slot, text, len);
    return send_to(d, (const struct sockaddr *)from, from_len, text, len, what);
}

void ed_h248_message(emsecd *d, const char *msg, uint32_t len, const struct sockaddr_storage *from,
                     socklen_t from_len, int tcp_slot)
{
    int tr = tcp_slot >= 0 ? ED_TR_TCP : ED_TR_UDP;
    d->met.h248_requests[tr]++;
    ed_replies_seen(d, msg, len, from, from_len, tcp_slot);
    if (d->stop) {
        /* out of service (ServiceChange Forced sent): only the controller's
         * reply is looked for; nothing new is set up */
        ed_log(NULL, "h248 %s message %u bytes not executed: the gateway is stopping",
               tr == ED_TR_TCP ? "tcp" : "udp", (unsigned)len);
        return;
    }
    if (!d->has_controller) {
        if (tcp_slot >= 0) {
            d->dest = ED_DEST_TCP;
            d->dest_tcp = (uint16_t)tcp_slot;
            d->dest_tcp_gen = d->tcp[tcp_slot].gen;
        } else {
            d->dest = ED_DEST_UDP;
            d->controller = *from;
            d->controller_len = from_len;
        }
    }
    d->out.text = d->text;
    d->out.cap = ED_OUT_CAP;
    d->out.notify = d->notify;
    d->out.notify_cap = ED_OUT_CAP;
    ed_core_lock(d);
    emsec_result r = emsec_mg_control(d->mg, ed_now_ms(), msg, len, &d->out);
    d->timer_fresh = false; /* the commands may have armed or stopped a timer */
    uint64_t posted = 0u;
    if (r == EMSEC_OK) {
        /* the actions to the legs' workers; a Notify the commands caused
         * (queued) follows the reply */
        ed_dispatch(d, &d->out);
        posted = d->dispatch_mask;
    }
    ed_core_unlock(d);
    ed_log(NULL, "h248 %s request %u bytes -> %s, reply %u bytes, %u actions", tr == ED_TR_TCP ? "tcp" : "udp",
           (unsigned)len, emsec_result_name(r), (unsigned)d->out.len, (unsigned)d->out.nactions);
    if (r != EMSEC_OK) {
        d->met.h248_errors[tr]++;
        return;
    }
    /* The actions before the reply: the reply to an Add names the media port
     * (m= line), and the controller may hand it to the UE, which may connect
     * at once. Were LISTEN carried out after the reply, a connect landing in
     * between (this process descheduled after sendto, easy on a loaded host)
     * would be refused: the UE fails, the leg never sees it and no Notify
     * ever comes. Bound first, a connect waits in the backlog instead. Same
     * for Subtract: its reply comes once the legs are closed. So the reply
     * waits for the workers that got actions to have carried them out. */
    ed_fence(d, posted);
    if (d->out.len > 0u) {
        /* an Error descriptor in the reply: a message that did not decode,
         * or a command refused (H.248.8 codes) */
        if (memmem(d->out.text, d->out.len, "Error = ", 8u) != NULL)
            d->met.h248_errors[tr]++;
        if (ed_h248_send_to_sender(d, d->out.text, d->out.len, from, from_len, tcp_slot, "reply"))
            d->met.h248_replies[tr]++;
    }
}

void ed_h248_readable(emsecd *d)
{
    /* bounded: other sockets get their turn after 64 datagrams */
    for (int i = 0; i < 64; i++) {
        struct sockaddr_storage from;
        socklen_t from_len = sizeof from;
        ssize_t n = recvfrom(d->h248_fd, d->h248_buf, ED_MAX_H248, 0, (struct sockaddr *)&from, &from_len);
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                ed_log(NULL, "h248 recvfrom: %s", strerror(errno));
            return;
        }
        ed_h248_message(d, (const char *)d->h248_buf, (uint32_t)n, &from, from_len, -1);
    }
}
