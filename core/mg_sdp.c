/*
 * core/mg_sdp.c: the SDP side of a termination. Reads Remote (address, port,
 * a=setup), decides the gateway's a=setup, and writes Local with every `$`
 * (CHOOSE, H.248.1 §7.1.8) filled: port, address, a=setup, the gateway's own
 * fingerprint, a=tls-id, a=connection, a=path.
 *
 * Local and Remote have been accepted by the SDP parser (H.248 mode) before
 * any of this runs, so every line is well formed; the rewriting is by line.
 *
 * Proofs: proofs/run.sh (step 2c) proves the contracted functions below with
 * WP and RTE; proofs/UNPROVED.md names the rest and why.
 */
#include <string.h>

#include "mg_internal.h"

/* ------------------------------------------------------------ helpers */

/*@ requires \valid(secured) && \valid(tcp_based) && \separated(secured, tcp_based);
    assigns *secured, *tcp_based;
    behavior msrp:
      assumes p == EMSEC_SDP_PROTO_TCP_MSRP || p == EMSEC_SDP_PROTO_TCP_TLS_MSRP;
      ensures \result == EMSEC_KIND_MSRP && *tcp_based;
      ensures *secured <==> p == EMSEC_SDP_PROTO_TCP_TLS_MSRP;
    behavior bfcp:
      assumes p == EMSEC_SDP_PROTO_TCP_BFCP || p == EMSEC_SDP_PROTO_TCP_TLS_BFCP ||
              p == EMSEC_SDP_PROTO_TCP_DTLS_BFCP;
      ensures \result == EMSEC_KIND_BFCP && *tcp_based;
      ensures *secured <==> p != EMSEC_SDP_PROTO_TCP_BFCP;
    behavior tcp:
      assumes p == EMSEC_SDP_PROTO_TCP || p == EMSEC_SDP_PROTO_TCP_TLS || p == EMSEC_SDP_PROTO_TLS;
      ensures \result == EMSEC_KIND_TCP && *tcp_based;
      ensures *secured <==> p != EMSEC_SDP_PROTO_TCP;
    behavior t38:
      assumes p == EMSEC_SDP_PROTO_UDPTL || p == EMSEC_SDP_PROTO_UDP_TLS_UDPTL;
      ensures \result == EMSEC_KIND_T38 && !*tcp_based;
      ensures *secured <==> p == EMSEC_SDP_PROTO_UDP_TLS_UDPTL;
    behavior other:
      assumes p != EMSEC_SDP_PROTO_TCP_MSRP && p != EMSEC_SDP_PROTO_TCP_TLS_MSRP &&
              p != EMSEC_SDP_PROTO_TCP_BFCP && p != EMSEC_SDP_PROTO_TCP_TLS_BFCP &&
              p != EMSEC_SDP_PROTO_TCP_DTLS_BFCP && p != EMSEC_SDP_PROTO_TCP &&
              p != EMSEC_SDP_PROTO_TCP_TLS && p != EMSEC_SDP_PROTO_TLS &&
              p != EMSEC_SDP_PROTO_UDPTL && p != EMSEC_SDP_PROTO_UDP_TLS_UDPTL;
      ensures \result == EMSEC_KIND_COUNT && !*tcp_based && !*secured;
    complete behaviors;
    disjoint behaviors;
*/
emsec_media_kind mg_kind_of(emsec_sdp_proto p, bool *secured, bool *tcp_based)
{
    *secured = false;
    *tcp_based = true;
    switch (p) {
    case EMSEC_SDP_PROTO_TCP_TLS_MSRP: *secured = true; return EMSEC_KIND_MSRP;
    case EMSEC_SDP_PROTO_TCP_MSRP: return EMSEC_KIND_MSRP;
    case EMSEC_SDP_PROTO_TCP_TLS_BFCP:
    case EMSEC_SDP_PROTO_TCP_DTLS_BFCP: *secured = true; return EMSEC_KIND_BFCP;
    case EMSEC_SDP_PROTO_TCP_BFCP: return EMSEC_KIND_BFCP;
    case EMSEC_SDP_PROTO_TCP_TLS:
    case EMSEC_SDP_PROTO_TLS: *secured = true; return EMSEC_KIND_TCP;
    case EMSEC_SDP_PROTO_TCP: return EMSEC_KIND_TCP;
    case EMSEC_SDP_PROTO_UDP_TLS_UDPTL: *secured = true; *tcp_based = false; return EMSEC_KIND_T38;
    case EMSEC_SDP_PROTO_UDPTL: *tcp_based = false; return EMSEC_KIND_T38;
    default: *tcp_based = false; return EMSEC_KIND_COUNT;
    }
}

/*@ assigns \nothing;
    ensures s == EMSEC_SDP_SETUP_ACTIVE ==> \result == EMSEC_SETUP_ACTIVE;
    ensures s == EMSEC_SDP_SETUP_PASSIVE ==> \result == EMSEC_SETUP_PASSIVE;
    ensures s == EMSEC_SDP_SETUP_ACTPASS ==> \result == EMSEC_SETUP_ACTPASS;
    ensures s == EMSEC_SDP_SETUP_HOLDCONN ==> \result == EMSEC_SETUP_HOLDCONN;
    ensures s != EMSEC_SDP_SETUP_ACTIVE && s != EMSEC_SDP_SETUP_PASSIVE &&
            s != EMSEC_SDP_SETUP_ACTPASS && s != EMSEC_SDP_SETUP_HOLDCONN ==> \result == EMSEC_SETUP_ABSENT;
    ensures 0 <= \result < EMSEC_SETUP_COUNT;
*/
emsec_setup mg_setup_of(emsec_sdp_setup s)
{
    switch (s) {
    case EMSEC_SDP_SETUP_ACTIVE: return EMSEC_SETUP_ACTIVE;
    case EMSEC_SDP_SETUP_PASSIVE: return EMSEC_SETUP_PASSIVE;
    case EMSEC_SDP_SETUP_ACTPASS: return EMSEC_SETUP_ACTPASS;
    case EMSEC_SDP_SETUP_HOLDCONN: return EMSEC_SETUP_HOLDCONN;
    default: return EMSEC_SETUP_ABSENT;
    }
}

/* One of four string literals ("actpass", the longest, has 8 bytes). What
 * they hold WP cannot see among the file's many literals: only that each is
 * readable up to its shortest length ("active" and its NUL). */
/*@ assigns \result \from s;
    ensures \valid_read(\result + (0 .. 6));
*/
static const char *setup_word(emsec_setup s)
{
    switch (s) {
    case EMSEC_SETUP_ACTIVE: return "active";
    case EMSEC_SETUP_PASSIVE: return "passive";
    case EMSEC_SETUP_HOLDCONN: return "holdconn";
    default: return "actpass";
    }
}

/* The a=setup the gateway chooses for `$` (RFC 4145 §4.1; RFC 6135 §4.2 for
 * MSRP: an answerer to actpass SHOULD be active, which also makes it the TLS
 * client, RFC 6135 §6). As offerer it offers actpass: the answer decides. */
/*@ assigns \nothing;
    behavior offer:
      assumes offerer;
      ensures \result == EMSEC_SETUP_ACTPASS;
    behavior answer:
      assumes !offerer;
      ensures remote == EMSEC_SETUP_ACTIVE ==> \result == EMSEC_SETUP_PASSIVE;
      ensures remote == EMSEC_SETUP_PASSIVE ==> \result == EMSEC_SETUP_ACTIVE;
      ensures remote == EMSEC_SETUP_HOLDCONN ==> \result == EMSEC_SETUP_HOLDCONN;
      ensures remote == EMSEC_SETUP_ACTPASS ==> \result == EMSEC_SETUP_ACTIVE;
      ensures remote != EMSEC_SETUP_ACTIVE && remote != EMSEC_SETUP_PASSIVE &&
              remote != EMSEC_SETUP_HOLDCONN && remote != EMSEC_SETUP_ACTPASS ==> \result == EMSEC_SETUP_PASSIVE;
    complete behaviors;
    disjoint behaviors;
*/
emsec_setup mg_choose_setup(bool offerer, emsec_setup remote)
{
    if (offerer)
        return EMSEC_SETUP_ACTPASS;
    switch (remote) {
    case EMSEC_SETUP_ACTIVE: return EMSEC_SETUP_PASSIVE;
    case EMSEC_SETUP_PASSIVE: return EMSEC_SETUP_ACTIVE;
    case EMSEC_SETUP_HOLDCONN: return EMSEC_SETUP_HOLDCONN;
    case EMSEC_SETUP_ACTPASS: return EMSEC_SETUP_ACTIVE;
    default: return EMSEC_SETUP_PASSIVE; /* absent: RFC 4145 §4.1, an offer defaults to active */
    }
}

/* a=connection of the parsed SDP's one m= line, as the role tables take it
 * (RFC 4145 §5: "new" / "existing"; absent means new, which the reuse table
 * spec/reuse.tbl applies). `$` in Local is the gateway's choice, made by
 * the caller. */
/*@ requires \valid_read(sdp) && emsec_sdp_counts_ok(sdp);
    assigns \nothing;
    ensures EMSEC_CONNECTION_ABSENT <= \result <= EMSEC_CONNECTION_EXISTING;
*/
static emsec_connection connection_of(const emsec_sdp *sdp)
{
    switch (emsec_sdp_media_connection(sdp, 0u)) {
    case EMSEC_SDP_CONNVAL_NEW: return EMSEC_CONNECTION_NEW;
    case EMSEC_SDP_CONNVAL_EXISTING: return EMSEC_CONNECTION_EXISTING;
    default: return EMSEC_CONNECTION_ABSENT;
    }
}

bool mg_conn_live(const emsec_mg_term *t)
{
    switch (t->tcp_state) {
    case EMSEC_TCP_ST_LISTENING:
    case EMSEC_TCP_ST_CONNECTING:
    case EMSEC_TCP_ST_WAIT_TRIGGER:
    case EMSEC_TCP_ST_HELD:
    case EMSEC_TCP_ST_ESTABLISHED: return true;
    default: return false;
    }
}

/* ------------------------------------------------------------ Remote */

/* a=msrp-cema (RFC 6714 §4) at media or session level of the parsed SDP. */
/*@ requires \valid_read(sdp) && emsec_sdp_counts_ok(sdp);
    assigns \nothing;
*/
static bool has_cema(const emsec_sdp *sdp)
{
    return emsec_sdp_find_attr(sdp, 1u, EMSEC_SDP_ATTR_MSRP_CEMA, 0u) < sdp->attr_count ||
           emsec_sdp_find_attr(sdp, 0u, EMSEC_SDP_ATTR_MSRP_CEMA, 0u) < sdp->attr_count;
}

/* The Remote's text is the controller's (inside the H.248 message): every
 * offset read from its parse stays inside it by emsec_sdp_ok (the c=
 * address copied into remote_addr included). A refusal writes none of t. */
/*@ requires \valid(x) && \valid(x->mg) && \separated(x, x->mg);
    requires ti < EMSEC_MG_MAX_TERMS && t == &x->mg->term[ti];
    requires \valid_read(sdp + (0 .. len - 1));
    requires \separated(sdp + (0 .. len - 1), x, x->mg);
    assigns x->mg->sdp, x->mg->remote_sdp[ti][0 .. EMSEC_MG_MAX_SDP - 1],
            t->remote_addr[0 .. 63], t->remote_port, t->remote_setup, t->conn_remote,
            t->offerer, t->kind, t->secured, t->cema_remote, t->remote_len,
            x->code, x->why[0 .. 191];
    ensures kept: \result ==> t->remote_len == len <= EMSEC_MG_MAX_SDP &&
      \forall integer k; 0 <= k < len ==> x->mg->remote_sdp[ti][k] == \old(sdp[k]);
    ensures read: \result ==> t->remote_setup < EMSEC_SETUP_COUNT &&
      t->conn_remote <= EMSEC_CONNECTION_EXISTING;
    ensures refused: !\result ==> x->code != 0 && t->remote_len == \old(t->remote_len) &&
      t->remote_setup == \old(t->remote_setup) && t->kind == \old(t->kind);
*/
bool mg_read_remote(mg_exec *x, emsec_mg_term *t, uint16_t ti, const char *sdp, uint32_t len)
{
    emsec_sdp_error e;
    emsec_mg *mg = x->mg;
    if (len > EMSEC_MG_MAX_SDP)
        return MG_FAIL(x, 510, "Remote SDP longer than the gateway keeps (EMSEC_MG_MAX_SDP)");
    if (emsec_sdp_parse_text(&mg->sdp, EMSEC_SDP_MODE_H248, 0u, sdp, len, &e) != EMSEC_OK)
        return MG_FAIL_SDP(x, "Remote", e);
    if (mg->sdp.media_count != 1u)
        return MG_FAIL(x, 449, "Remote SDP must hold exactly one m= line per termination");
    const emsec_sdp_media *m = &mg->sdp.media[0];
    bool secured, tcp_based;
    emsec_media_kind k = mg_kind_of(m->proto, &secured, &tcp_based);
    if (!tcp_based)
        return MG_FAIL(x, 449, "Remote m= proto is not TCP-based media (emsec carries MSRP, BFCP, TCP, TLS)");
    const emsec_sdp_conn *c = m->conn.present ? &m->conn : &mg->sdp.conn;
    if (c->present && c->address_choice == EMSEC_SDP_VALUE && c->address.len < sizeof t->remote_addr) {
        if (c->address.len > 0u) /* memcpy wants a valid pointer even for no byte */
            memcpy(t->remote_addr, sdp + c->address.off, c->address.len);
        t->remote_addr[c->address.len] = '\0';
    }
    t->remote_port = (m->port_choice == EMSEC_SDP_VALUE) ? (uint16_t)m->port_value : 0u;
    t->remote_setup = (uint8_t)mg_setup_of(emsec_sdp_media_setup(&mg->sdp, 0u));
    t->conn_remote = (uint8_t)connection_of(&mg->sdp);
    if (t->local_len == 0u) { /* the peer's SDP came first: the gateway answers */
        t->offerer = false;
        t->kind = k;
        t->secured = secured;
    }
    t->cema_remote = has_cema(&mg->sdp);
    /*@ assert \forall integer k; 0 <= k < len ==> sdp[k] == \at(sdp[k], Pre); */
    if (len > 0u) /* (never 0 here: an empty Remote does not parse) */
        memcpy(mg->remote_sdp[ti], sdp, len);
    /*@ assert \forall integer k; 0 <= k < len ==> mg->remote_sdp[ti][k] == \at(sdp[k], Pre); */
    t->remote_len = len;
    return true;
}

/* ------------------------------------------------------------ Local */

typedef struct lw {
    char *b;
    uint32_t cap, len;
    bool full;
} lw;

/*@ // The same writer as core/mg.c's wr (len bytes of the cap-byte b written).
    predicate lw_ok(lw *w) =
      \valid(w) && w->len <= w->cap && \valid(w->b + (0 .. w->cap - 1)) &&
      \separated(w, w->b + (0 .. w->cap - 1));
    predicate lw_same{L1, L2}(lw *w) =
      \at(w->b, L1) == \at(w->b, L2) && \at(w->cap, L1) == \at(w->cap, L2);
    predicate lw_full_stays{L1, L2}(lw *w) =
      \at(w->full, L1) ==> \at(w->full, L2) && \at(w->len, L1) == \at(w->len, L2);
*/

/* Append n bytes, or none and mark the writer full: never past cap. */
/*@ requires lw_ok(w);
    requires \valid_read(s + (0 .. n - 1));
    requires \separated(w->b + (0 .. w->cap - 1), s + (0 .. n - 1));
    assigns w->len, w->full, w->b[w->len .. w->cap - 1];
    ensures lw_ok(w) && lw_same{Pre, Post}(w);
    behavior fits:
      assumes !w->full && n <= w->cap - w->len;
      ensures w->len == \old(w->len) + n && !w->full;
      ensures \forall integer k; \old(w->len) <= k < w->len ==> w->b[k] == \old(s[k - \old(w->len)]);
    behavior full:
      assumes w->full || n > w->cap - w->len;
      ensures w->full && w->len == \old(w->len);
    complete behaviors;
    disjoint behaviors;
*/
static void lw_put(lw *w, const char *s, uint32_t n)
{
    if (w->full || n > w->cap - w->len) {
        w->full = true;
        return;
    }
    if (n == 0u)
        return; /* memcpy wants a valid pointer even for no byte: b + cap is not */
    memcpy(w->b + w->len, s, n);
    w->len += n;
}

/*@ requires lw_ok(w);
    requires valid_read_string(s) && strlen(s) <= 0xffffffff;
    requires \separated(w->b + (0 .. w->cap - 1), s + (0 .. strlen(s)));
    assigns w->len, w->full, w->b[w->len .. w->cap - 1];
    ensures lw_ok(w) && lw_same{Pre, Post}(w);
    behavior fits:
      assumes !w->full && strlen(s) <= w->cap - w->len;
      ensures w->len == \old(w->len) + \old(strlen(s)) && !w->full;
      ensures \forall integer k; \old(w->len) <= k < w->len ==> w->b[k] == \old(s[k - \old(w->len)]);
    behavior full:
      assumes w->full || strlen(s) > w->cap - w->len;
      ensures w->full && w->len == \old(w->len);
    complete behaviors;
    disjoint behaviors;
*/
static void lw_str(lw *w, const char *s)
{
    lw_put(w, s, (uint32_t)strlen(s));
}

/* v in decimal, or nothing and the writer full (the contract: 1 to 10
 * digits, and the one digit of a v below 10). */
/*@ requires lw_ok(w);
    assigns w->len, w->full, w->b[w->len .. w->cap - 1];
    ensures lw_ok(w) && lw_same{Pre, Post}(w) && lw_full_stays{Pre, Post}(w);
    ensures w->full ==> w->len == \old(w->len);
    ensures !w->full ==> \old(w->len) < w->len <= \old(w->len) + 10;
    ensures !w->full ==> \forall integer i; \old(w->len) <= i < w->len ==> '0' <= w->b[i] <= '9';
    ensures v < 10 && !w->full ==> w->len == \old(w->len) + 1 && w->b[\old(w->len)] == '0' + v;
*/
static void lw_uint(lw *w, uint32_t v)
{
    char t[11];
    uint32_t i = sizeof t;
    /*@ loop invariant i <= 11;
        loop invariant \forall integer k; i <= k < 11 ==> '0' <= t[k] <= '9';
        loop invariant i == 11 ==> v == \at(v, Pre);
        loop invariant i < 11 ==> \at(v, Pre) >= 10 && v != 0;
        loop invariant i <= 10 ==> v <= 429496729;
        loop invariant i <= 9 ==> v <= 42949672;
        loop invariant i <= 8 ==> v <= 4294967;
        loop invariant i <= 7 ==> v <= 429496;
        loop invariant i <= 6 ==> v <= 42949;
        loop invariant i <= 5 ==> v <= 4294;
        loop invariant i <= 4 ==> v <= 429;
        loop invariant i <= 3 ==> v <= 42;
        loop invariant i <= 2 ==> v <= 4;
        loop invariant i >= 2;
        loop assigns i, v, t[0 .. 10];
        loop variant i;
    */
    do {
        t[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0u && i > 0u);
    lw_put(w, t + i, (uint32_t)sizeof t - i);
}

/* Does line [b, e) hold a `$` as a whole word? */
/*@ // a `$` at i, as a whole word of line [b, e)
    predicate choose_at(char *s, integer b, integer e, integer i) =
      s[i] == '$' && (i == b || s[i - 1] == ' ' || s[i - 1] == ':' || s[i - 1] == '=') &&
      (i + 1 == e || s[i + 1] == ' ' || s[i + 1] == '/');
*/
/*@ requires \valid_read(s + (b .. e - 1));
    assigns \nothing;
    ensures found: \result ==> \exists integer i; b <= i < e && choose_at(s, b, e, i);
    ensures none: !\result ==> \forall integer i; b <= i < e ==> !choose_at(s, b, e, i);
*/
static bool has_choose(const char *s, uint32_t b, uint32_t e)
{
    /*@ loop invariant b <= i && (b <= e ==> i <= e);
        loop invariant \forall integer j; b <= j < i ==> !choose_at(s, b, e, j);
        loop assigns i;
        loop variant e - i;
    */
    for (uint32_t i = b; i < e; i++) {
        /*@ assert i + 1 <= e; */
        if (s[i] == '$' && (i == b || s[i - 1u] == ' ' || s[i - 1u] == ':' || s[i - 1u] == '=') &&
            (i + 1u == e || s[i + 1u] == ' ' || s[i + 1u] == '/')) {
            /*@ assert choose_at(s, b, e, i); */
            return true;
        }
        /*@ assert !choose_at(s, b, e, i); */
    }
    return false;
}

/* Write line [b, e) with every whole-word `$` replaced by `with`. */
static void put_filled(lw *w, const char *s, uint32_t b, uint32_t e, const char *with)
{
    uint32_t i = b, from = b;
    for (; i < e; i++)
        if (s[i] == '$' && (i == b || s[i - 1u] == ' ' || s[i - 1u] == ':' || s[i - 1u] == '=') &&
            (i + 1u == e || s[i + 1u] == ' ' || s[i + 1u] == '/')) {
            lw_put(w, s + from, i - from);
            lw_str(w, with);
            from = i + 1u;
        }
    lw_put(w, s + from, e - from);
}

/* The first port of [lo, hi] no termination holds; 0 when every one is
 * held (port 0 is never configured: emsec_mg_init refuses port_min 0). */
/*@ requires \valid_read(mg) && 0 < lo && lo <= hi + 1 && hi <= 65535;
    assigns \nothing;
    behavior found:
      assumes \exists integer p; lo <= p <= hi && !mg->port_busy[p];
      ensures lo <= \result <= hi && !mg->port_busy[\result];
    behavior none:
      assumes \forall integer p; lo <= p <= hi ==> mg->port_busy[p];
      ensures \result == 0;
    complete behaviors;
    disjoint behaviors;
*/
static uint16_t free_port_in(const emsec_mg *mg, uint32_t lo, uint32_t hi)
{
    /*@ loop invariant lo <= q <= hi + 1;
        loop invariant \forall integer j; lo <= j < q ==> mg->port_busy[j];
        loop assigns q;
        loop variant hi + 1 - q;
    */
    for (uint32_t q = lo; q <= hi; q++)
        if (!mg->port_busy[q])
            return (uint16_t)q;
    return 0u;
}

/* A media port for one termination: round robin over [port_min, port_max]
 * from the one after the last handed out, skipping the ports a live
 * termination holds (two listeners on one port cannot be: the second bind
 * fails and that leg would never connect). 0 when every port of the range
 * is held: the caller answers Error 510 (H.248.8: insufficient resources).
 * The port stays held until the termination is freed (mg_port_release). */
/*@ requires \valid(mg) && 0 < mg->port_min <= mg->next_port <= mg->port_max;
    assigns mg->next_port, mg->port_busy[0 .. 65535];
    behavior full:
      assumes \forall integer p; mg->port_min <= p <= mg->port_max ==> mg->port_busy[p];
      ensures \result == 0;
      ensures \forall integer p; 0 <= p <= 65535 ==> mg->port_busy[p] == \old(mg->port_busy[p]);
      ensures mg->next_port == \old(mg->next_port);
    behavior free:
      assumes \exists integer p; mg->port_min <= p <= mg->port_max && !mg->port_busy[p];
      ensures mg->port_min <= \result <= mg->port_max;
      ensures !\old(mg->port_busy[\result]) && mg->port_busy[\result];
      ensures \forall integer p; 0 <= p <= 65535 && p != \result ==> mg->port_busy[p] == \old(mg->port_busy[p]);
      ensures mg->port_min <= mg->next_port <= mg->port_max;
    complete behaviors;
    disjoint behaviors;
*/
static uint16_t next_port(emsec_mg *mg)
{
    uint16_t p = free_port_in(mg, mg->next_port, mg->port_max);
    if (p == 0u) /* wrap round: the ports before next_port */
        p = free_port_in(mg, mg->port_min, (uint32_t)mg->next_port - 1u);
    if (p == 0u)
        return 0u;
    mg->port_busy[p] = true;
    mg->next_port = (p >= mg->port_max) ? mg->port_min : (uint16_t)(p + 1u);
    return p;
}

void mg_port_release(emsec_mg *mg, uint16_t ti)
{
    uint16_t p = mg->term[ti].local_port;
    if (p != 0u)
        mg->port_busy[p] = false;
}

/*@ predicate lower_hex(integer c) = '0' <= c <= '9' || 'a' <= c <= 'f'; */

/*@ requires \valid(mg) && \valid(t) && \separated(mg, t);
    assigns t->tls_id[0 .. 32], mg->tls_id_counter;
    ensures \forall integer i; 0 <= i < 32 ==> lower_hex(t->tls_id[i]);
    ensures t->tls_id[32] == '\0' && strlen(&t->tls_id[0]) == 32;
    ensures mg->tls_id_counter == (uint32_t)(\old(mg->tls_id_counter) + 1);
*/
static void make_tls_id(emsec_mg *mg, emsec_mg_term *t)
{
    /* RFC 8842 §4: tls-id-value = 20*255(tls-id-char); unique per TLS
     * session. 32 hex digits from the configured seed, the counter and the
     * termination (an xorshift mix: distinct, not secret, as §4 needs). */
    uint32_t s = mg->seed ^ (0x9e3779b9u * (++mg->tls_id_counter));
    /*@ loop invariant 0 <= i <= 32;
        loop invariant \forall integer j; 0 <= j < i ==> lower_hex(t->tls_id[j]);
        loop assigns i, s, t->tls_id[0 .. 31];
        loop variant 32 - i;
    */
    for (int i = 0; i < 32; i++) {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        int d = (int)(s % 16u); /* a lower-case hex digit ("0123456789abcdef"[d]) */
        /*@ assert 0 <= d <= 15; */
        t->tls_id[i] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        /*@ assert lower_hex(t->tls_id[i]); */
    }
    t->tls_id[32] = '\0';
}

bool mg_write_local(mg_exec *x, emsec_mg_term *t, uint16_t ti, const char *sdp, uint32_t len)
{
    emsec_mg *mg = x->mg;
    emsec_sdp_error e;
    if (len > EMSEC_MG_MAX_SDP)
        return mg_fail(x, 510, "Local SDP longer than the gateway keeps (EMSEC_MG_MAX_SDP)");
    if (emsec_sdp_parse_text(&mg->sdp, EMSEC_SDP_MODE_H248, 0u, sdp, len, &e) != EMSEC_OK)
        return MG_FAIL_SDP(x, "Local", e);
    if (mg->sdp.media_count != 1u)
        return mg_fail(x, 449, "Local SDP must hold exactly one m= line per termination");
    const emsec_sdp_media *m = &mg->sdp.media[0];
    bool secured, tcp_based;
    emsec_media_kind k = mg_kind_of(m->proto, &secured, &tcp_based);
    if (!tcp_based)
        return mg_fail(x, 449, "Local m= proto is not TCP-based media (emsec carries MSRP, BFCP, TCP, TLS)");
    if (t->local_len == 0u && t->remote_len == 0u)
        t->offerer = true;
    t->kind = k;
    t->secured = secured;
    t->cema_local = has_cema(&mg->sdp);
    {
        const emsec_sdp_attr *fps[1];
        t->own_fingerprint = emsec_sdp_media_fingerprints(&mg->sdp, 0u, fps, 1u) > 0u;
    }
    emsec_setup own = mg_setup_of(emsec_sdp_media_setup(&mg->sdp, 0u));
    if (emsec_sdp_media_setup(&mg->sdp, 0u) == EMSEC_SDP_SETUP_CHOOSE ||
        emsec_sdp_media_setup(&mg->sdp, 0u) == EMSEC_SDP_SETUP_UNSPECIFIED)
        own = mg_choose_setup(t->offerer, (emsec_setup)t->remote_setup);
    t->local_setup = (uint8_t)own;
    /* a=connection:$ (RFC 4145 §5.1, §5.2): "existing" only when a
     * connection is live and the peer's SDP of this command (if any) says
     * existing too; an offer of new MUST be answered new, and a first
     * connection is new. */
    bool keep = mg_conn_live(t) && (t->conn_remote == EMSEC_CONNECTION_EXISTING ||
                                    t->conn_remote == EMSEC_CONNECTION_COUNT);
    t->conn_local = (uint8_t)(emsec_sdp_media_connection(&mg->sdp, 0u) == EMSEC_SDP_CONNVAL_CHOOSE
                                  ? (keep ? EMSEC_CONNECTION_EXISTING : EMSEC_CONNECTION_NEW)
                                  : connection_of(&mg->sdp));
    /* A port only for an end that may listen: the active end connects, and
     * its Local says 9 (below). A later Local that makes it passive or
     * actpass gets one then. */
    if (t->local_port == 0u && own != EMSEC_SETUP_ACTIVE) {
        t->local_port = next_port(mg);
        if (t->local_port == 0u)
            return mg_fail(x, 510, "Insufficient resources: every media port of the configured range is in use");
    }
    /* RFC 8842 §4: "Every time an endpoint requests to establish a new DTLS
     * association, the endpoint MUST generate a new local tls-id" (§4: the
     * pair also names a TLS connection): a Local that asks for a new
     * connection where one was set up before gets a fresh a=tls-id. MSRP
     * ignores a=connection (RFC 6135 §4.4): its connection, and id, stay. */
    if (t->tls_id[0] == '\0' || (t->tcp_state != EMSEC_TCP_INITIAL && t->kind != EMSEC_KIND_MSRP &&
                                  t->conn_local != EMSEC_CONNECTION_EXISTING))
        make_tls_id(mg, t);

    /* the own fingerprint's hash name: "sha-256 AB:..." -> "sha-256" */
    uint32_t hl = 0u;
    while (mg->fingerprint[hl] != '\0' && mg->fingerprint[hl] != ' ')
        hl++;

    char out[EMSEC_MG_MAX_SDP];
    lw w = { out, sizeof out, 0u, false };
    /* The port the `$` of m= and a=path say. The active end opens the
     * connection, so its own port is never connected to: RFC 4145 §4.1 says
     * it SHOULD be 9 (discard), as do RFC 6135 §4.2.2 for MSRP's a=path and
     * RFC 8856 §4 for BFCP. local_port stays allocated: a later Modify may
     * make this end passive. */
    char port[6];
    {
        lw pw = { port, sizeof port - 1u, 0u, false };
        lw_uint(&pw, own == EMSEC_SETUP_ACTIVE ? 9u : t->local_port);
        port[pw.len] = '\0';
    }
    uint32_t b = 0u;
    while (b < len) {
        uint32_t e2 = b;
        while (e2 < len && sdp[e2] != '\n')
            e2++;
        uint32_t end = e2; /* line content end (before CR LF) */
        if (end > b && sdp[end - 1u] == '\r')
            end--;
        uint32_t next = (e2 < len) ? e2 + 1u : e2;
        if (!has_choose(sdp, b, end)) {
            lw_put(&w, sdp + b, next - b);
        } else if (sdp[b] == 'c' || sdp[b] == 'o') {
            put_filled(&w, sdp, b, end, mg->address);
            lw_put(&w, sdp + end, next - end);
        } else if (sdp[b] == 'm') {
            put_filled(&w, sdp, b, end, port);
            lw_put(&w, sdp + end, next - end);
        } else if (end - b > 8u && memcmp(sdp + b, "a=setup:", 8) == 0) {
            lw_str(&w, "a=setup:");
            lw_str(&w, setup_word(own));
            lw_put(&w, sdp + end, next - end);
        } else if (end - b > 13u && memcmp(sdp + b, "a=connection:", 13) == 0) {
            lw_str(&w, t->conn_local == EMSEC_CONNECTION_EXISTING ? "a=connection:existing" : "a=connection:new");
            lw_put(&w, sdp + end, next - end);
        } else if (end - b > 9u && memcmp(sdp + b, "a=tls-id:", 9) == 0) {
            lw_str(&w, "a=tls-id:");
            lw_str(&w, t->tls_id);
            lw_put(&w, sdp + end, next - end);
        } else if (end - b > 14u && memcmp(sdp + b, "a=fingerprint:", 14) == 0) {
            /* "a=fingerprint:HASH $": the gateway's own, if it has one with that hash */
            uint32_t hb = b + 14u, he = hb;
            while (he < end && sdp[he] != ' ')
                he++;
            emsec_span hs = { hb, he - hb };
            char hname[16];
            if (hl == 0u || hl >= sizeof hname)
                return mg_fail(x, 449, "a=fingerprint:$ but the gateway has no certificate configured");
            memcpy(hname, mg->fingerprint, hl);
            hname[hl] = '\0';
            bool same = hs.len == hl;
            for (uint32_t i = 0u; same && i < hl; i++) {
                char a = sdp[hb + i], c = hname[i];
                if (a >= 'A' && a <= 'Z')
                    a = (char)(a + 32);
                if (c >= 'A' && c <= 'Z')
                    c = (char)(c + 32);
                same = a == c;
            }
            if (!same)
                return mg_fail(x, 449, "a=fingerprint:$ asks for a hash the gateway's certificate is not given in");
            lw_str(&w, "a=fingerprint:");
            lw_str(&w, mg->fingerprint);
            lw_put(&w, sdp + end, next - end);
        } else if (end - b > 7u && memcmp(sdp + b, "a=path:", 7) == 0) {
            /* RFC 4975 §9: the gateway's own URI on this leg (msrps on TLS legs) */
            lw_str(&w, t->secured ? "a=path:msrps://" : "a=path:msrp://");
            lw_str(&w, mg->address);
            lw_str(&w, ":");
            lw_str(&w, port);
            lw_str(&w, "/");
            lw_str(&w, t->tls_id);
            lw_str(&w, ";tcp");
            lw_put(&w, sdp + end, next - end);
        } else {
            return mg_fail(x, 449, "Local holds a `$` the gateway cannot choose (only c=, m= port, a=setup, "
                                   "a=connection, a=tls-id, a=fingerprint, a=path)");
        }
        b = next;
    }
    if (w.full)
        return mg_fail(x, 510, "Local SDP with its `$` filled is longer than the gateway keeps");
    memcpy(mg->local_sdp[ti], out, w.len);
    t->local_len = w.len;
    return true;
}
