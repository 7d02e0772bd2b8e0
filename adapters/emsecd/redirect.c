/*
 * emsecd: where the controller's reply to a registration sends the gateway
 * next (RFC 3525 §7.2.8, ServiceChange on ROOT):
 *   - ServiceChangeAddress: "the recipient must use the supplied address as
 *     the destination for all subsequent transaction requests within the
 *     association": the --controller address is replaced (its Notify and
 *     ServiceChange go there from now on; replies still go back to where
 *     each request came from, §9 / D.1);
 *   - ServiceChangeMgcId (MgcIdToTry): the controller "does not wish to
 *     sustain an association"; the registration is not complete and "the
 *     Media Gateway shall reissue the ServiceChange command to the new Media
 *     Gateway Controller".
 * Both are followed only for an IPv4 address (the daemon's only family):
 * an mId "[a.b.c.d]" or "[a.b.c.d]:port" (without a port, 2944, the text
 * encoding's default, §11.2), or for ServiceChangeAddress a bare port
 * (the controller's address kept). A domain name, an IPv6 address, an MTP
 * address or a device name is logged and not followed: the gateway stays
 * with the controller it has. A controller that keeps redirecting is
 * followed ED_SC_MAX_REDIRECTS times in a row, then kept. With a tcp:
 * controller the connection is opened again to the new address at once
 * (controller_tcp.c), and for MgcIdToTry the ServiceChange goes out once it
 * is up.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "emsecd.h"

/* The first node of tr's subtree (at most four levels down: Context,
 * ServiceChange, Services, the parameter) whose item is tok; NULL when
 * none. */
static const emsec_h248_node *find_item(const emsec_h248_msg *m, const emsec_h248_node *n, uint16_t tok, int depth)
{
    for (uint32_t c = n->child; c != 0u && depth > 0; c = m->nodes[c].next) {
        const emsec_h248_node *k = &m->nodes[c];
        if (k->item == tok)
            return k;
        const emsec_h248_node *f = find_item(m, k, tok, depth - 1);
        if (f != NULL)
            return f;
    }
    return NULL;
}

/* v (an mId, or with port_alone a bare port) as an IPv4 address; `cur`
 * gives the address a bare port goes with. */
static bool address_of(const char *msg, emsec_span v, bool port_alone, const struct sockaddr_in *cur,
                       struct sockaddr_in *out)
{
    char s[80];
    if (v.len == 0u || v.len >= sizeof s)
        return false;
    memcpy(s, msg + v.off, v.len);
    s[v.len] = '\0';
    *out = *cur;
    unsigned port = 2944u;
    char *close = NULL;
    if (s[0] == '[' && (close = strchr(s, ']')) != NULL) {
        *close = '\0';
        if (inet_pton(AF_INET, s + 1, &out->sin_addr) != 1)
            return false;
        if (close[1] != '\0') {
            char tail = '\0';
            if (close[1] != ':' || sscanf(close + 2, "%u%c", &port, &tail) != 1 || close[2] < '0' ||
                close[2] > '9')
                return false;
        }
    } else if (port_alone && s[0] >= '0' && s[0] <= '9') {
        char tail = '\0';
        if (sscanf(s, "%u%c", &port, &tail) != 1)
            return false;
    } else {
        return false;
    }
    if (port == 0u || port > 65535u)
        return false;
    out->sin_family = AF_INET;
    out->sin_port = htons((uint16_t)port);
    return true;
}

ed_redirect ed_sc_redirect(emsecd *d, const char *msg, const emsec_h248_msg *m, const emsec_h248_node *tr)
{
    if (!d->has_controller || d->controller.ss_family != AF_INET)
        return ED_REDIRECT_NONE; /* no association to move: replies go to each sender */
    const emsec_h248_node *mgc = find_item(m, tr, EMSEC_H248_TOK_MGCID, 4);
    const emsec_h248_node *adr = find_item(m, tr, EMSEC_H248_TOK_SERVICECHANGEADDRESS, 4);
    const emsec_h248_node *n = mgc != NULL ? mgc : adr;
    if (n == NULL) {
        d->sc.redirects = 0u;
        return ED_REDIRECT_NONE;
    }
    const char *what = n == mgc ? "MgcIdToTry" : "ServiceChangeAddress";
    struct sockaddr_in cur, next;
    memcpy(&cur, &d->controller, sizeof cur);
    char was[64], now[64];
    if (!address_of(msg, n->value, n == adr, &cur, &next)) {
        ed_log(NULL, "service change: the controller's %s %.*s is not followed (only [IPv4]:port%s): staying with %s",
               what, (int)(n->value.len < 64u ? n->value.len : 64u), msg + n->value.off,
               n == adr ? " or a port" : "", ed_addr_text(&cur, was, sizeof was));
        d->met.sc_redirects[ED_REDIRECT_REFUSED]++;
        return ED_REDIRECT_NONE;
    }
    if (n == mgc && d->sc.redirects >= ED_SC_MAX_REDIRECTS) {
        ed_log(NULL, "service change: the controller's %s %s is not followed: %u redirections in a row; staying "
                     "with %s",
               what, ed_addr_text(&next, now, sizeof now), (unsigned)d->sc.redirects, ed_addr_text(&cur, was, sizeof was));
        d->met.sc_redirects[ED_REDIRECT_REFUSED]++;
        d->sc.redirects = 0u;
        return ED_REDIRECT_NONE;
    }
    d->sc.redirects = n == mgc ? d->sc.redirects + 1u : 0u;
    memset(&d->controller, 0, sizeof d->controller);
    memcpy(&d->controller, &next, sizeof next);
    d->controller_len = sizeof next;
    ed_redirect r = n == mgc ? ED_REDIRECT_MGC : ED_REDIRECT_ADDRESS;
    d->met.sc_redirects[r]++;
    ed_log(NULL, "service change: the controller's %s moves the gateway's requests from %s to %s%s", what,
           ed_addr_text(&cur, was, sizeof was), ed_addr_text(&next, now, sizeof now),
           r == ED_REDIRECT_MGC ? "; registering there" : "");
    if (d->ctl_tcp) /* a new connection to the new address (§7.2.8; D.2) */
        ed_ctl_tcp_move(d, r == ED_REDIRECT_MGC ? (int)d->sc.method : -1);
    return r;
}
