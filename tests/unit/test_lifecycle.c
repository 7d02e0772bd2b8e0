/*
 * The TCP and TLS lifecycle tables (spec/tcp_lifecycle.tbl,
 * spec/tls_lifecycle.tbl): every cell of both, through emsec_tcp_step /
 * emsec_tls_step, against an oracle written here from the rules (RFC 4145,
 * RFC 5246, RFC 5746, RFC 8122, RFC 8446, RFC 8856 and DESIGN.md, event by
 * event), not from the table files; the properties P1-P7 (and two more: timer
 * and teardown discipline) checked exhaustively in C; each cell's .line read
 * back in the table file; out-of-range input; then scenarios that drive the
 * two machines of two terminations together, routing the cross-machine
 * actions the way the caller does (core/lifecycle.h).
 */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lifecycle.h"

typedef struct want {
    int next;
    unsigned actions;
    int cause;
} want;

/* ------------------------------------------------------------ TCP oracle */

static bool tcp_dead(int s) { return s == EMSEC_TCP_ST_RELEASED || s == EMSEC_TCP_ST_FAILED; }
static bool tcp_up(int s) { return s == EMSEC_TCP_ST_HELD || s == EMSEC_TCP_ST_ESTABLISHED; }
static bool tcp_timed(int s) { return s == EMSEC_TCP_ST_LISTENING || s == EMSEC_TCP_ST_CONNECTING; }

/* The way down from a live state: close the socket; tell TLS unless TLS went
 * first; cancel the establishment timer unless it is what fired. */
static want tcp_down(int s, int e, int next, int cause, unsigned notify)
{
    unsigned a = EMSEC_TCP_ACT_CLOSE | notify;
    if (e != EMSEC_TCP_EV_TLS_DOWN) a |= EMSEC_TCP_ACT_TLS_TCP_LOST;
    if (tcp_timed(s) && e != EMSEC_TCP_EV_TIMEOUT) a |= EMSEC_TCP_ACT_CANCEL_TIMER;
    return (want){next, a, cause};
}

static want tcp_oracle(int s, int e)
{
    const want refuse = {s, 0, EMSEC_TCP_CAUSE_PROTOCOL};
    const want ignore = {s, 0, EMSEC_TCP_CAUSE_NONE};
    const bool hold = e == EMSEC_TCP_EV_ACCEPTED_HOLD || e == EMSEC_TCP_EV_CONNECTED_HOLD;
    if (s == EMSEC_TCP_ST_INVALID) {
        return (want){EMSEC_TCP_ST_INVALID, 0, EMSEC_TCP_CAUSE_PROTOCOL};
    }
    if (tcp_dead(s)) { /* absorbing; controller commands need a slot reset */
        if (e == EMSEC_TCP_EV_SLOT_RESET) return (want){EMSEC_TCP_ST_IDLE, 0, EMSEC_TCP_CAUSE_NONE};
        if (e == EMSEC_TCP_EV_LISTEN || e == EMSEC_TCP_EV_CONNECT || e == EMSEC_TCP_EV_DELAY ||
            e == EMSEC_TCP_EV_ALLOW)
            return refuse;
        return ignore;
    }
    switch (e) {
    case EMSEC_TCP_EV_SLOT_RESET:
        return s == EMSEC_TCP_ST_IDLE ? ignore : refuse; /* release first */
    case EMSEC_TCP_EV_RELEASE:
        return tcp_down(s, e, EMSEC_TCP_ST_RELEASED, EMSEC_TCP_CAUSE_CONTROLLER, 0);
    case EMSEC_TCP_EV_TLS_DOWN:
        return tcp_down(s, e, EMSEC_TCP_ST_RELEASED, EMSEC_TCP_CAUSE_TLS, 0);
    case EMSEC_TCP_EV_LISTEN: /* RFC 4145 s4.1: passive */
        if (s == EMSEC_TCP_ST_IDLE)
            return (want){EMSEC_TCP_ST_LISTENING, EMSEC_TCP_ACT_LISTEN | EMSEC_TCP_ACT_ARM_TIMER, 0};
        return s == EMSEC_TCP_ST_LISTENING ? ignore : refuse;
    case EMSEC_TCP_EV_CONNECT: /* RFC 4145 s4.1: active; tcpbcc/est overrides a delay */
        if (s == EMSEC_TCP_ST_IDLE || s == EMSEC_TCP_ST_WAIT_TRIGGER)
            return (want){EMSEC_TCP_ST_CONNECTING, EMSEC_TCP_ACT_CONNECT | EMSEC_TCP_ACT_ARM_TIMER, 0};
        return s == EMSEC_TCP_ST_LISTENING ? refuse : ignore;
    case EMSEC_TCP_EV_DELAY:
        if (s == EMSEC_TCP_ST_IDLE) return (want){EMSEC_TCP_ST_WAIT_TRIGGER, 0, 0};
        return s == EMSEC_TCP_ST_WAIT_TRIGGER ? ignore : refuse;
    case EMSEC_TCP_EV_TRIGGER: /* only a delayed leg acts on the other leg's accept */
        if (s == EMSEC_TCP_ST_WAIT_TRIGGER)
            return (want){EMSEC_TCP_ST_CONNECTING, EMSEC_TCP_ACT_CONNECT | EMSEC_TCP_ACT_ARM_TIMER, 0};
        return ignore;
    case EMSEC_TCP_EV_ALLOW:
        if (s == EMSEC_TCP_ST_HELD) return (want){EMSEC_TCP_ST_ESTABLISHED, EMSEC_TCP_ACT_FORWARD, 0};
        return ignore;
    case EMSEC_TCP_EV_ACCEPTED:
    case EMSEC_TCP_EV_ACCEPTED_HOLD:
        if (s != EMSEC_TCP_ST_LISTENING) return refuse;
        return (want){hold ? EMSEC_TCP_ST_HELD : EMSEC_TCP_ST_ESTABLISHED,
                      (hold ? 0u : EMSEC_TCP_ACT_FORWARD) | EMSEC_TCP_ACT_TRIGGER_PEER |
                          EMSEC_TCP_ACT_TLS_TCP_UP | EMSEC_TCP_ACT_CANCEL_TIMER,
                      0};
    case EMSEC_TCP_EV_CONNECTED:
    case EMSEC_TCP_EV_CONNECTED_HOLD:
        if (s != EMSEC_TCP_ST_CONNECTING) return refuse;
        return (want){hold ? EMSEC_TCP_ST_HELD : EMSEC_TCP_ST_ESTABLISHED,
                      (hold ? 0u : EMSEC_TCP_ACT_FORWARD) | EMSEC_TCP_ACT_TLS_TCP_UP |
                          EMSEC_TCP_ACT_CANCEL_TIMER,
                      0};
    case EMSEC_TCP_EV_CONNECT_FAILED:
        if (s != EMSEC_TCP_ST_CONNECTING) return refuse;
        return tcp_down(s, e, EMSEC_TCP_ST_FAILED, EMSEC_TCP_CAUSE_UNREACHABLE, EMSEC_TCP_ACT_NOTIFY_EF);
    case EMSEC_TCP_EV_LISTEN_FAILED: /* the passive end cannot listen: fail now, not at the timer */
        if (s != EMSEC_TCP_ST_LISTENING) return refuse;
        return tcp_down(s, e, EMSEC_TCP_ST_FAILED, EMSEC_TCP_CAUSE_LOCAL, EMSEC_TCP_ACT_NOTIFY_EF);
    case EMSEC_TCP_EV_RESET:
        if (s == EMSEC_TCP_ST_CONNECTING)
            return tcp_down(s, e, EMSEC_TCP_ST_FAILED, EMSEC_TCP_CAUSE_REFUSED, EMSEC_TCP_ACT_NOTIFY_EF);
        if (tcp_up(s))
            return tcp_down(s, e, EMSEC_TCP_ST_FAILED, EMSEC_TCP_CAUSE_RESET, EMSEC_TCP_ACT_NOTIFY_REL);
        return refuse;
    case EMSEC_TCP_EV_PEER_CLOSED:
        if (tcp_up(s))
            return tcp_down(s, e, EMSEC_TCP_ST_RELEASED, EMSEC_TCP_CAUSE_PEER, EMSEC_TCP_ACT_NOTIFY_REL);
        return refuse;
    case EMSEC_TCP_EV_TIMEOUT:
        if (tcp_timed(s))
            return tcp_down(s, e, EMSEC_TCP_ST_FAILED, EMSEC_TCP_CAUSE_TIMEOUT, EMSEC_TCP_ACT_NOTIFY_EF);
        if (tcp_up(s))
            return tcp_down(s, e, EMSEC_TCP_ST_FAILED, EMSEC_TCP_CAUSE_TIMEOUT, EMSEC_TCP_ACT_NOTIFY_REL);
        return ignore; /* no timer armed: a late expiry */
    default:
        cr_assert_fail("tcp event %d has no rule in the oracle", e);
        return refuse;
    }
}

/* ------------------------------------------------------------ TLS oracle */

static bool tls_dead(int s) { return s == EMSEC_TLS_ST_RELEASED || s == EMSEC_TLS_ST_FAILED; }
static bool tls_hs(int s)
{
    return s == EMSEC_TLS_ST_HANDSHAKE_CLIENT || s == EMSEC_TLS_ST_HANDSHAKE_SERVER;
}
static bool tls_waiting(int s)
{
    return s == EMSEC_TLS_ST_WAIT_TCP_CLIENT || s == EMSEC_TLS_ST_WAIT_TCP_EST ||
           s == EMSEC_TLS_ST_WAIT_TCP_SERVER || s == EMSEC_TLS_ST_WAIT_EST;
}
static bool tls_client(int s)
{
    return s == EMSEC_TLS_ST_WAIT_TCP_CLIENT || s == EMSEC_TLS_ST_WAIT_TCP_EST ||
           s == EMSEC_TLS_ST_WAIT_EST || s == EMSEC_TLS_ST_HANDSHAKE_CLIENT;
}
static bool tls_server(int s)
{
    return s == EMSEC_TLS_ST_WAIT_TCP_SERVER || s == EMSEC_TLS_ST_HANDSHAKE_SERVER;
}

/* The end of a session: TCP released at once (DESIGN); the handshake timer
 * cancelled unless it is what fired. */
static want tls_end(int s, int e, int next, int cause, unsigned extra)
{
    unsigned a = EMSEC_TLS_ACT_TCP_RELEASE | extra;
    if (tls_hs(s) && e != EMSEC_TLS_EV_TIMEOUT) a |= EMSEC_TLS_ACT_CANCEL_TIMER;
    return (want){next, a, cause};
}

static want tls_oracle(int s, int e)
{
    const want refuse = {s, 0, EMSEC_TLS_CAUSE_PROTOCOL};
    const want ignore = {s, 0, EMSEC_TLS_CAUSE_NONE};
    const bool est = s == EMSEC_TLS_ST_ESTABLISHED;
    if (s == EMSEC_TLS_ST_INVALID) {
        return (want){EMSEC_TLS_ST_INVALID, 0, EMSEC_TLS_CAUSE_PROTOCOL};
    }
    if (tls_dead(s)) { /* absorbing, and TCP stays released whatever comes */
        if (e == EMSEC_TLS_EV_SLOT_RESET) return (want){EMSEC_TLS_ST_NONE, 0, EMSEC_TLS_CAUSE_NONE};
        const bool command = e == EMSEC_TLS_EV_SETUP_CLIENT || e == EMSEC_TLS_EV_SETUP_CLIENT_ON_EST ||
                             e == EMSEC_TLS_EV_SETUP_SERVER || e == EMSEC_TLS_EV_EST ||
                             e == EMSEC_TLS_EV_KEEP;
        return (want){s, EMSEC_TLS_ACT_TCP_RELEASE,
                      command ? EMSEC_TLS_CAUSE_PROTOCOL : EMSEC_TLS_CAUSE_NONE};
    }
    switch (e) {
    case EMSEC_TLS_EV_SLOT_RESET:
        return s == EMSEC_TLS_ST_NONE ? ignore : refuse;
    case EMSEC_TLS_EV_KEEP: /* RFC 8856 s8 */
        return ignore;
    case EMSEC_TLS_EV_SETUP_CLIENT:
    case EMSEC_TLS_EV_SETUP_CLIENT_ON_EST:
        if (s == EMSEC_TLS_ST_NONE)
            return (want){e == EMSEC_TLS_EV_SETUP_CLIENT ? EMSEC_TLS_ST_WAIT_TCP_CLIENT
                                                         : EMSEC_TLS_ST_WAIT_TCP_EST, 0, 0};
        return tls_client(s) ? ignore : refuse;
    case EMSEC_TLS_EV_SETUP_SERVER:
        if (s == EMSEC_TLS_ST_NONE) return (want){EMSEC_TLS_ST_WAIT_TCP_SERVER, 0, 0};
        return tls_server(s) ? ignore : refuse;
    case EMSEC_TLS_EV_TCP_UP: /* DESIGN: the client starts as soon as TCP is up */
        if (s == EMSEC_TLS_ST_NONE) return ignore;
        if (s == EMSEC_TLS_ST_WAIT_TCP_CLIENT)
            return (want){EMSEC_TLS_ST_HANDSHAKE_CLIENT, EMSEC_TLS_ACT_START_CLIENT | EMSEC_TLS_ACT_ARM_TIMER, 0};
        if (s == EMSEC_TLS_ST_WAIT_TCP_EST) return (want){EMSEC_TLS_ST_WAIT_EST, 0, 0};
        if (s == EMSEC_TLS_ST_WAIT_TCP_SERVER)
            return (want){EMSEC_TLS_ST_HANDSHAKE_SERVER, EMSEC_TLS_ACT_START_SERVER | EMSEC_TLS_ACT_ARM_TIMER, 0};
        return refuse;
    case EMSEC_TLS_EV_EST:
        if (s == EMSEC_TLS_ST_WAIT_TCP_EST) return (want){EMSEC_TLS_ST_WAIT_TCP_CLIENT, 0, 0};
        if (s == EMSEC_TLS_ST_WAIT_EST)
            return (want){EMSEC_TLS_ST_HANDSHAKE_CLIENT, EMSEC_TLS_ACT_START_CLIENT | EMSEC_TLS_ACT_ARM_TIMER, 0};
        if (s == EMSEC_TLS_ST_WAIT_TCP_CLIENT || s == EMSEC_TLS_ST_HANDSHAKE_CLIENT || est) return ignore;
        return refuse;
    case EMSEC_TLS_EV_RELEASE:
        return tls_end(s, e, EMSEC_TLS_ST_RELEASED, EMSEC_TLS_CAUSE_CONTROLLER,
                       (tls_hs(s) || est) ? EMSEC_TLS_ACT_CLOSE_NOTIFY : 0);
    case EMSEC_TLS_EV_TIMEOUT:
        if (tls_hs(s)) return tls_end(s, e, EMSEC_TLS_ST_FAILED, EMSEC_TLS_CAUSE_TIMEOUT, EMSEC_TLS_ACT_NOTIFY_EF);
        return ignore;
    case EMSEC_TLS_EV_TCP_LOST:
        if (s == EMSEC_TLS_ST_NONE) return ignore;
        if (tls_waiting(s)) return tls_end(s, e, EMSEC_TLS_ST_RELEASED, EMSEC_TLS_CAUSE_TCP, 0);
        if (tls_hs(s)) return tls_end(s, e, EMSEC_TLS_ST_FAILED, EMSEC_TLS_CAUSE_TCP, EMSEC_TLS_ACT_NOTIFY_EF);
        return tls_end(s, e, EMSEC_TLS_ST_RELEASED, EMSEC_TLS_CAUSE_TCP, EMSEC_TLS_ACT_NOTIFY_REL);
    default:
        break;
    }
    /* What the TLS library reports about a session. */
    if (!tls_hs(s) && !est) {
        if (e == EMSEC_TLS_EV_COLLISION && s == EMSEC_TLS_ST_WAIT_EST)
            return tls_end(s, e, EMSEC_TLS_ST_FAILED, EMSEC_TLS_CAUSE_COLLISION, EMSEC_TLS_ACT_NOTIFY_EF);
        return refuse; /* no session begun */
    }
    switch (e) {
    case EMSEC_TLS_EV_HANDSHAKE_OK:
        if (est) return ignore; /* a secure renegotiation completed */
        return (want){EMSEC_TLS_ST_ESTABLISHED, EMSEC_TLS_ACT_FORWARD | EMSEC_TLS_ACT_CANCEL_TIMER, 0};
    case EMSEC_TLS_EV_FINGERPRINT_MISMATCH: /* RFC 8122 s6.2 */
        return tls_end(s, e, EMSEC_TLS_ST_FAILED, EMSEC_TLS_CAUSE_FINGERPRINT, EMSEC_TLS_ACT_NOTIFY_EF);
    case EMSEC_TLS_EV_HANDSHAKE_FAILED:
        return tls_end(s, e, EMSEC_TLS_ST_FAILED, EMSEC_TLS_CAUSE_HANDSHAKE, EMSEC_TLS_ACT_NOTIFY_EF);
    case EMSEC_TLS_EV_PSK_FAILED:
        return tls_end(s, e, EMSEC_TLS_ST_FAILED, EMSEC_TLS_CAUSE_PSK, EMSEC_TLS_ACT_NOTIFY_EF);
    case EMSEC_TLS_EV_COLLISION:
        if (s == EMSEC_TLS_ST_HANDSHAKE_CLIENT)
            return tls_end(s, e, EMSEC_TLS_ST_FAILED, EMSEC_TLS_CAUSE_COLLISION, EMSEC_TLS_ACT_NOTIFY_EF);
        return refuse;
    case EMSEC_TLS_EV_RENEG_SECURE: /* RFC 5746; none during the first handshake */
        return est ? (want){s, EMSEC_TLS_ACT_RENEG_ACCEPT, 0} : refuse;
    case EMSEC_TLS_EV_RENEG_INSECURE: /* RFC 5746 s4.3: terminate */
        return tls_end(s, e, EMSEC_TLS_ST_FAILED, EMSEC_TLS_CAUSE_RENEGOTIATION,
                       EMSEC_TLS_ACT_RENEG_REFUSE | EMSEC_TLS_ACT_NOTIFY_EF);
    case EMSEC_TLS_EV_CLOSE_NOTIFY: /* RFC 5246 s7.2.1: answer and close */
        if (est)
            return tls_end(s, e, EMSEC_TLS_ST_RELEASED, EMSEC_TLS_CAUSE_PEER,
                           EMSEC_TLS_ACT_CLOSE_NOTIFY | EMSEC_TLS_ACT_NOTIFY_REL);
        return tls_end(s, e, EMSEC_TLS_ST_FAILED, EMSEC_TLS_CAUSE_PEER,
                       EMSEC_TLS_ACT_CLOSE_NOTIFY | EMSEC_TLS_ACT_NOTIFY_EF);
    case EMSEC_TLS_EV_FATAL_ALERT: /* RFC 5246 s7.2.2 */
        return tls_end(s, e, EMSEC_TLS_ST_FAILED, EMSEC_TLS_CAUSE_ALERT,
                       est ? EMSEC_TLS_ACT_NOTIFY_REL : EMSEC_TLS_ACT_NOTIFY_EF);
    default:
        cr_assert_fail("tls event %d has no rule in the oracle", e);
        return refuse;
    }
}

/* ------------------------------------------------------------ helpers */

static void actions_text(char *buf, size_t cap, unsigned actions, const char *const *names,
                         int count)
{
    buf[0] = '\0';
    for (int i = 0; i < count; i++) {
        if (actions & (1u << i)) {
            strncat(buf, names[i], cap - strlen(buf) - 1);
            strncat(buf, " ", cap - strlen(buf) - 1);
        }
    }
}

/* The first two words of line `line` of a table file. */
static bool row_names(const char *path, unsigned line, char *state, char *event)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) return false;
    char buf[512];
    unsigned n = 0;
    bool found = false;
    while (fgets(buf, sizeof buf, f) != NULL) {
        if (++n == line) {
            found = sscanf(buf, "%63s %63s", state, event) == 2;
            break;
        }
    }
    fclose(f);
    return found;
}

/* ------------------------------------------------------------ every cell */

Test(lifecycle_tcp, every_cell_matches_the_rules_oracle)
{
    int cells = 0;
    bool seen_line[2048] = {false};
    for (int s = 0; s < EMSEC_TCP_STATE_COUNT; s++)
        for (int e = 0; e < EMSEC_TCP_EVENT_COUNT; e++) {
            emsec_tcp_cell c;
            const emsec_result r = emsec_tcp_step((emsec_tcp_state)s, (emsec_tcp_event)e, &c);
            const want w = tcp_oracle(s, e);
            char got_a[256], want_a[256];
            actions_text(got_a, sizeof got_a, c.actions, emsec_tcp_action_names, EMSEC_TCP_ACTION_COUNT);
            actions_text(want_a, sizeof want_a, w.actions, emsec_tcp_action_names, EMSEC_TCP_ACTION_COUNT);
            const char *sn = emsec_tcp_state_names[s], *en = emsec_tcp_event_names[e];
            cr_assert_eq((int)c.next, w.next, "tcp %s %s (line %u): next %s, rules say %s", sn, en,
                         c.line, emsec_tcp_state_names[c.next], emsec_tcp_state_names[w.next]);
            cr_assert_eq(c.actions, w.actions, "tcp %s %s (line %u): actions [%s], rules say [%s]", sn,
                         en, c.line, got_a, want_a);
            cr_assert_eq((int)c.cause, w.cause, "tcp %s %s (line %u): cause %s, rules say %s", sn, en,
                         c.line, emsec_tcp_cause_names[c.cause], emsec_tcp_cause_names[w.cause]);
            cr_assert_eq(r, c.cause == EMSEC_TCP_CAUSE_PROTOCOL ? EMSEC_ERR_REFUSED : EMSEC_OK,
                         "tcp %s %s: result %d", sn, en, r);
            cr_assert(memcmp(&c, &emsec_tcp_table[s][e], sizeof c) == 0, "tcp %s %s: step != table", sn, en);
            cr_assert(c.line > 0 && c.line < 2048 && !seen_line[c.line], "tcp %s %s: line %u", sn, en, c.line);
            seen_line[c.line] = true;
            cells++;
        }
    cr_assert_eq(cells, 9 * 17);
}

Test(lifecycle_tls, every_cell_matches_the_rules_oracle)
{
    int cells = 0;
    bool seen_line[2048] = {false};
    for (int s = 0; s < EMSEC_TLS_STATE_COUNT; s++)
        for (int e = 0; e < EMSEC_TLS_EVENT_COUNT; e++) {
            emsec_tls_cell c;
            const emsec_result r = emsec_tls_step((emsec_tls_state)s, (emsec_tls_event)e, &c);
            const want w = tls_oracle(s, e);
            char got_a[256], want_a[256];
            actions_text(got_a, sizeof got_a, c.actions, emsec_tls_action_names, EMSEC_TLS_ACTION_COUNT);
            actions_text(want_a, sizeof want_a, w.actions, emsec_tls_action_names, EMSEC_TLS_ACTION_COUNT);
            const char *sn = emsec_tls_state_names[s], *en = emsec_tls_event_names[e];
            cr_assert_eq((int)c.next, w.next, "tls %s %s (line %u): next %s, rules say %s", sn, en,
                         c.line, emsec_tls_state_names[c.next], emsec_tls_state_names[w.next]);
            cr_assert_eq(c.actions, w.actions, "tls %s %s (line %u): actions [%s], rules say [%s]", sn,
                         en, c.line, got_a, want_a);
            cr_assert_eq((int)c.cause, w.cause, "tls %s %s (line %u): cause %s, rules say %s", sn, en,
                         c.line, emsec_tls_cause_names[c.cause], emsec_tls_cause_names[w.cause]);
            cr_assert_eq(r, c.cause == EMSEC_TLS_CAUSE_PROTOCOL ? EMSEC_ERR_REFUSED : EMSEC_OK,
                         "tls %s %s: result %d", sn, en, r);
            cr_assert(memcmp(&c, &emsec_tls_table[s][e], sizeof c) == 0, "tls %s %s: step != table", sn, en);
            cr_assert(c.line > 0 && c.line < 2048 && !seen_line[c.line], "tls %s %s: line %u", sn, en, c.line);
            seen_line[c.line] = true;
            cells++;
        }
    cr_assert_eq(cells, 11 * 19);
}

Test(lifecycle, each_cell_line_is_its_row_in_the_table_file)
{
    char st[64], ev[64];
    for (int s = 0; s < EMSEC_TCP_STATE_COUNT; s++)
        for (int e = 0; e < EMSEC_TCP_EVENT_COUNT; e++) {
            const unsigned line = emsec_tcp_table[s][e].line;
            cr_assert(row_names("spec/tcp_lifecycle.tbl", line, st, ev), "tcp line %u unreadable", line);
            cr_assert_str_eq(st, emsec_tcp_state_names[s], "spec/tcp_lifecycle.tbl:%u", line);
            cr_assert_str_eq(ev, emsec_tcp_event_names[e], "spec/tcp_lifecycle.tbl:%u", line);
        }
    for (int s = 0; s < EMSEC_TLS_STATE_COUNT; s++)
        for (int e = 0; e < EMSEC_TLS_EVENT_COUNT; e++) {
            const unsigned line = emsec_tls_table[s][e].line;
            cr_assert(row_names("spec/tls_lifecycle.tbl", line, st, ev), "tls line %u unreadable", line);
            cr_assert_str_eq(st, emsec_tls_state_names[s], "spec/tls_lifecycle.tbl:%u", line);
            cr_assert_str_eq(ev, emsec_tls_event_names[e], "spec/tls_lifecycle.tbl:%u", line);
        }
}

/* ------------------------------------------------------------ properties */

Test(lifecycle_tls, P1_released_and_failed_always_release_tcp)
{
    for (int s = 0; s < EMSEC_TLS_STATE_COUNT; s++)
        for (int e = 0; e < EMSEC_TLS_EVENT_COUNT; e++) {
            const emsec_tls_cell *c = &emsec_tls_table[s][e];
            if (tls_dead(c->next))
                cr_assert(c->actions & EMSEC_TLS_ACT_TCP_RELEASE, "P1: %s %s", emsec_tls_state_names[s],
                          emsec_tls_event_names[e]);
            if (tls_dead(s) && e != EMSEC_TLS_EV_SLOT_RESET) /* DESIGN: the rows carry it */
                cr_assert(c->actions & EMSEC_TLS_ACT_TCP_RELEASE);
        }
}

Test(lifecycle, P2_released_and_failed_are_left_only_by_slot_reset)
{
    for (int s = EMSEC_TCP_ST_RELEASED; s <= EMSEC_TCP_ST_FAILED; s++)
        for (int e = 0; e < EMSEC_TCP_EVENT_COUNT; e++)
            cr_assert_eq(emsec_tcp_table[s][e].next,
                         e == EMSEC_TCP_EV_SLOT_RESET ? EMSEC_TCP_ST_IDLE : (emsec_tcp_state)s);
    for (int s = EMSEC_TLS_ST_RELEASED; s <= EMSEC_TLS_ST_FAILED; s++)
        for (int e = 0; e < EMSEC_TLS_EVENT_COUNT; e++)
            cr_assert_eq(emsec_tls_table[s][e].next,
                         e == EMSEC_TLS_EV_SLOT_RESET ? EMSEC_TLS_ST_NONE : (emsec_tls_state)s);
    /* and SLOT_RESET leaves nothing else: a slot in use is released first */
    for (int s = 1; s < EMSEC_TCP_ST_RELEASED; s++)
        cr_assert_eq(emsec_tcp_table[s][EMSEC_TCP_EV_SLOT_RESET].next, (emsec_tcp_state)s);
    for (int s = 1; s < EMSEC_TLS_ST_RELEASED; s++)
        cr_assert_eq(emsec_tls_table[s][EMSEC_TLS_EV_SLOT_RESET].next, (emsec_tls_state)s);
}

Test(lifecycle_tls, P3_renegotiation_only_if_secure)
{
    for (int s = 0; s < EMSEC_TLS_STATE_COUNT; s++)
        for (int e = 0; e < EMSEC_TLS_EVENT_COUNT; e++) {
            const emsec_tls_cell *c = &emsec_tls_table[s][e];
            if (c->actions & EMSEC_TLS_ACT_RENEG_ACCEPT)
                cr_assert_eq(e, EMSEC_TLS_EV_RENEG_SECURE, "P3: %s %s", emsec_tls_state_names[s],
                             emsec_tls_event_names[e]);
            if (e == EMSEC_TLS_EV_RENEG_INSECURE &&
                (tls_hs(s) || s == EMSEC_TLS_ST_ESTABLISHED)) {
                cr_assert_eq(c->next, EMSEC_TLS_ST_FAILED);
                cr_assert_eq(c->cause, EMSEC_TLS_CAUSE_RENEGOTIATION);
                cr_assert(c->actions & EMSEC_TLS_ACT_RENEG_REFUSE);
                cr_assert(c->actions & EMSEC_TLS_ACT_NOTIFY_EF);
            }
        }
    cr_assert(emsec_tls_table[EMSEC_TLS_ST_ESTABLISHED][EMSEC_TLS_EV_RENEG_SECURE].actions ==
              EMSEC_TLS_ACT_RENEG_ACCEPT);
}

Test(lifecycle_tcp, P4_tls_down_closes_and_losses_tell_tls)
{
    for (int s = 0; s < EMSEC_TCP_STATE_COUNT; s++) {
        const emsec_tcp_cell *c = &emsec_tcp_table[s][EMSEC_TCP_EV_TLS_DOWN];
        if (s == EMSEC_TCP_ST_INVALID || tcp_dead(s)) {
            cr_assert_eq(c->next, (emsec_tcp_state)s); /* already released */
        } else {
            cr_assert(c->actions & EMSEC_TCP_ACT_CLOSE, "P4: %s TLS_DOWN", emsec_tcp_state_names[s]);
            cr_assert_eq(c->next, EMSEC_TCP_ST_RELEASED);
        }
        if (tcp_up(s)) {
            const int lost[] = {EMSEC_TCP_EV_PEER_CLOSED, EMSEC_TCP_EV_RESET, EMSEC_TCP_EV_TIMEOUT};
            for (size_t i = 0; i < 3; i++)
                cr_assert(emsec_tcp_table[s][lost[i]].actions & EMSEC_TCP_ACT_TLS_TCP_LOST,
                          "P4: %s %s", emsec_tcp_state_names[s], emsec_tcp_event_names[lost[i]]);
        }
    }
}

Test(lifecycle, P5_invalid_row_refuses_and_nothing_else_leads_there)
{
    for (int e = 0; e < EMSEC_TCP_EVENT_COUNT; e++) {
        emsec_tcp_cell c;
        cr_assert_eq(emsec_tcp_step(EMSEC_TCP_ST_INVALID, (emsec_tcp_event)e, &c), EMSEC_ERR_REFUSED);
        cr_assert(c.next == EMSEC_TCP_ST_INVALID && c.actions == 0 && c.cause == EMSEC_TCP_CAUSE_PROTOCOL);
    }
    for (int e = 0; e < EMSEC_TLS_EVENT_COUNT; e++) {
        emsec_tls_cell c;
        cr_assert_eq(emsec_tls_step(EMSEC_TLS_ST_INVALID, (emsec_tls_event)e, &c), EMSEC_ERR_REFUSED);
        cr_assert(c.next == EMSEC_TLS_ST_INVALID && c.actions == 0 && c.cause == EMSEC_TLS_CAUSE_PROTOCOL);
    }
    for (int s = 1; s < EMSEC_TCP_STATE_COUNT; s++)
        for (int e = 0; e < EMSEC_TCP_EVENT_COUNT; e++)
            cr_assert_neq(emsec_tcp_table[s][e].next, EMSEC_TCP_ST_INVALID);
    for (int s = 1; s < EMSEC_TLS_STATE_COUNT; s++)
        for (int e = 0; e < EMSEC_TLS_EVENT_COUNT; e++)
            cr_assert_neq(emsec_tls_table[s][e].next, EMSEC_TLS_ST_INVALID);
    /* a zeroed slot is INVALID, not a live state */
    cr_assert_eq(EMSEC_TCP_ST_INVALID, 0);
    cr_assert_eq(EMSEC_TLS_ST_INVALID, 0);
}

Test(lifecycle_tcp, P6_held_forwards_only_on_allow)
{
    for (int s = 0; s < EMSEC_TCP_STATE_COUNT; s++)
        for (int e = 0; e < EMSEC_TCP_EVENT_COUNT; e++) {
            const emsec_tcp_cell *c = &emsec_tcp_table[s][e];
            if ((s == EMSEC_TCP_ST_HELD && e != EMSEC_TCP_EV_ALLOW) || c->next == EMSEC_TCP_ST_HELD)
                cr_assert(!(c->actions & EMSEC_TCP_ACT_FORWARD), "P6: %s %s",
                          emsec_tcp_state_names[s], emsec_tcp_event_names[e]);
        }
    cr_assert(emsec_tcp_table[EMSEC_TCP_ST_HELD][EMSEC_TCP_EV_ALLOW].actions & EMSEC_TCP_ACT_FORWARD);
}

Test(lifecycle_tls, P7_keep_changes_nothing)
{
    for (int s = 0; s < EMSEC_TLS_STATE_COUNT; s++) {
        const emsec_tls_cell *c = &emsec_tls_table[s][EMSEC_TLS_EV_KEEP];
        cr_assert_eq(c->next, (emsec_tls_state)s, "P7: %s KEEP", emsec_tls_state_names[s]);
        cr_assert(!(c->actions & (EMSEC_TLS_ACT_START_CLIENT | EMSEC_TLS_ACT_START_SERVER)));
        if (!tls_dead(s)) cr_assert_eq(c->actions, 0u);
    }
}

/* Two more: a refusal does nothing; timers never leak (armed only on entering
 * a timed state, cancelled on every way out of it but its own expiry). */
Test(lifecycle, refusals_do_nothing_and_timers_never_leak)
{
    for (int s = 0; s < EMSEC_TCP_STATE_COUNT; s++)
        for (int e = 0; e < EMSEC_TCP_EVENT_COUNT; e++) {
            const emsec_tcp_cell *c = &emsec_tcp_table[s][e];
            if (c->cause == EMSEC_TCP_CAUSE_PROTOCOL) cr_assert(c->next == (emsec_tcp_state)s && c->actions == 0);
            const bool was = tcp_timed(s), is = tcp_timed(c->next);
            cr_assert_eq(!!(c->actions & EMSEC_TCP_ACT_ARM_TIMER), !was && is, "tcp %s %s arm",
                         emsec_tcp_state_names[s], emsec_tcp_event_names[e]);
            cr_assert_eq(!!(c->actions & EMSEC_TCP_ACT_CANCEL_TIMER), was && !is && e != EMSEC_TCP_EV_TIMEOUT,
                         "tcp %s %s cancel", emsec_tcp_state_names[s], emsec_tcp_event_names[e]);
        }
    for (int s = 0; s < EMSEC_TLS_STATE_COUNT; s++)
        for (int e = 0; e < EMSEC_TLS_EVENT_COUNT; e++) {
            const emsec_tls_cell *c = &emsec_tls_table[s][e];
            if (c->cause == EMSEC_TLS_CAUSE_PROTOCOL)
                cr_assert(c->next == (emsec_tls_state)s && (c->actions & ~(unsigned)EMSEC_TLS_ACT_TCP_RELEASE) == 0);
            const bool was = tls_hs(s), is = tls_hs(c->next);
            cr_assert_eq(!!(c->actions & EMSEC_TLS_ACT_ARM_TIMER), !was && is, "tls %s %s arm",
                         emsec_tls_state_names[s], emsec_tls_event_names[e]);
            cr_assert_eq(!!(c->actions & EMSEC_TLS_ACT_CANCEL_TIMER), was && !is && e != EMSEC_TLS_EV_TIMEOUT,
                         "tls %s %s cancel", emsec_tls_state_names[s], emsec_tls_event_names[e]);
        }
}

Test(lifecycle, out_of_range_input_is_the_invalid_refusal)
{
    const unsigned tcp_s[] = {EMSEC_TCP_STATE_COUNT, 200, 0x7fffffffu, 0xffffffffu};
    const unsigned tcp_e[] = {EMSEC_TCP_EVENT_COUNT, 200, 0x7fffffffu, 0xffffffffu};
    const unsigned tls_s[] = {EMSEC_TLS_STATE_COUNT, 200, 0x7fffffffu, 0xffffffffu};
    const unsigned tls_e[] = {EMSEC_TLS_EVENT_COUNT, 200, 0x7fffffffu, 0xffffffffu};
    for (size_t i = 0; i < 4; i++) {
        emsec_tcp_cell c = {EMSEC_TCP_ST_ESTABLISHED, 0xffff, EMSEC_TCP_CAUSE_PEER, 7};
        cr_assert_eq(emsec_tcp_step((emsec_tcp_state)tcp_s[i], EMSEC_TCP_EV_RELEASE, &c), EMSEC_ERR_ARGUMENT);
        cr_assert(c.next == EMSEC_TCP_ST_INVALID && c.actions == 0 &&
                  c.cause == EMSEC_TCP_CAUSE_PROTOCOL && c.line == 0);
        c.line = 7;
        cr_assert_eq(emsec_tcp_step(EMSEC_TCP_ST_IDLE, (emsec_tcp_event)tcp_e[i], &c), EMSEC_ERR_ARGUMENT);
        cr_assert(c.next == EMSEC_TCP_ST_INVALID && c.line == 0);
        emsec_tls_cell t = {EMSEC_TLS_ST_ESTABLISHED, 0xffff, EMSEC_TLS_CAUSE_PEER, 7};
        cr_assert_eq(emsec_tls_step((emsec_tls_state)tls_s[i], EMSEC_TLS_EV_RELEASE, &t), EMSEC_ERR_ARGUMENT);
        cr_assert(t.next == EMSEC_TLS_ST_INVALID && t.actions == 0 &&
                  t.cause == EMSEC_TLS_CAUSE_PROTOCOL && t.line == 0);
        t.line = 7;
        cr_assert_eq(emsec_tls_step(EMSEC_TLS_ST_NONE, (emsec_tls_event)tls_e[i], &t), EMSEC_ERR_ARGUMENT);
        cr_assert(t.next == EMSEC_TLS_ST_INVALID && t.line == 0);
    }
}

/* ------------------------------------------------------------ scenarios */

/* Two terminations of one context, each with its TCP and TLS machine, driven
 * as core/lifecycle.h says: step, store, do the actions; the cross-machine
 * actions become events of the other machine. The log keeps every action
 * done and every report with its cause. */
typedef struct leg {
    emsec_tcp_state tcp;
    emsec_tls_state tls;
    unsigned tcp_done, tls_done;   /* every action done so far */
    int tcp_ef, tcp_rel, tls_ef, tls_rel; /* last cause reported, -1: none */
    int refused;                   /* events refused so far */
} leg;

typedef struct context {
    leg leg[2];
} context;

static void tls_ev(context *cx, int i, emsec_tls_event ev);

static void tcp_ev(context *cx, int i, emsec_tcp_event ev)
{
    leg *l = &cx->leg[i];
    emsec_tcp_cell c;
    const emsec_result r = emsec_tcp_step(l->tcp, ev, &c);
    cr_assert(r == EMSEC_OK || r == EMSEC_ERR_REFUSED);
    if (r == EMSEC_ERR_REFUSED) l->refused++;
    l->tcp = c.next;
    l->tcp_done |= c.actions;
    if (c.actions & EMSEC_TCP_ACT_NOTIFY_EF) l->tcp_ef = c.cause;
    if (c.actions & EMSEC_TCP_ACT_NOTIFY_REL) l->tcp_rel = c.cause;
    if (c.actions & EMSEC_TCP_ACT_TRIGGER_PEER) tcp_ev(cx, 1 - i, EMSEC_TCP_EV_TRIGGER);
    if (c.actions & EMSEC_TCP_ACT_TLS_TCP_UP) tls_ev(cx, i, EMSEC_TLS_EV_TCP_UP);
    if (c.actions & EMSEC_TCP_ACT_TLS_TCP_LOST) tls_ev(cx, i, EMSEC_TLS_EV_TCP_LOST);
}

static void tls_ev(context *cx, int i, emsec_tls_event ev)
{
    leg *l = &cx->leg[i];
    emsec_tls_cell c;
    const emsec_result r = emsec_tls_step(l->tls, ev, &c);
    cr_assert(r == EMSEC_OK || r == EMSEC_ERR_REFUSED);
    if (r == EMSEC_ERR_REFUSED) l->refused++;
    l->tls = c.next;
    l->tls_done |= c.actions;
    if (c.actions & EMSEC_TLS_ACT_NOTIFY_EF) l->tls_ef = c.cause;
    if (c.actions & EMSEC_TLS_ACT_NOTIFY_REL) l->tls_rel = c.cause;
    if (c.actions & EMSEC_TLS_ACT_TCP_RELEASE) tcp_ev(cx, i, EMSEC_TCP_EV_TLS_DOWN);
}

static context new_context(void)
{
    context cx;
    for (int i = 0; i < 2; i++)
        cx.leg[i] = (leg){EMSEC_TCP_INITIAL, EMSEC_TLS_INITIAL, 0, 0, -1, -1, -1, -1, 0};
    return cx;
}

/* Bytes reach the other leg only when TCP forwards and, where TLS ends, TLS too. */
static bool forwarding(const leg *l)
{
    return l->tcp == EMSEC_TCP_ST_ESTABLISHED &&
           (l->tls == EMSEC_TLS_ST_NONE || l->tls == EMSEC_TLS_ST_ESTABLISHED);
}

Test(lifecycle_scenario, active_connect_tls_client_then_peer_close_notify_releases_tcp)
{
    context cx = new_context();
    leg *l = &cx.leg[0];
    tls_ev(&cx, 0, EMSEC_TLS_EV_SETUP_CLIENT); /* MSRP a=setup:active: TLS client */
    tcp_ev(&cx, 0, EMSEC_TCP_EV_CONNECT);
    cr_assert_eq(l->tcp, EMSEC_TCP_ST_CONNECTING);
    cr_assert(l->tcp_done & EMSEC_TCP_ACT_CONNECT);
    cr_assert_eq(l->tls, EMSEC_TLS_ST_WAIT_TCP_CLIENT);
    tcp_ev(&cx, 0, EMSEC_TCP_EV_CONNECTED); /* TCP up: the client starts at once */
    cr_assert_eq(l->tcp, EMSEC_TCP_ST_ESTABLISHED);
    cr_assert_eq(l->tls, EMSEC_TLS_ST_HANDSHAKE_CLIENT);
    cr_assert(l->tls_done & EMSEC_TLS_ACT_START_CLIENT);
    cr_assert(!forwarding(l), "nothing relayed before the handshake");
    tls_ev(&cx, 0, EMSEC_TLS_EV_HANDSHAKE_OK);
    cr_assert_eq(l->tls, EMSEC_TLS_ST_ESTABLISHED);
    cr_assert(forwarding(l));
    tls_ev(&cx, 0, EMSEC_TLS_EV_CLOSE_NOTIFY);
    cr_assert_eq(l->tls, EMSEC_TLS_ST_RELEASED);
    cr_assert(l->tls_done & EMSEC_TLS_ACT_CLOSE_NOTIFY);
    cr_assert_eq(l->tls_rel, EMSEC_TLS_CAUSE_PEER);
    cr_assert_eq(l->tcp, EMSEC_TCP_ST_RELEASED, "TLS release releases TCP at once");
    cr_assert(l->tcp_done & EMSEC_TCP_ACT_CLOSE);
    cr_assert_eq(l->tcp_rel, -1, "reported once, by TLS");
    cr_assert_eq(l->refused, 0);
    /* the peer's FIN that follows changes nothing */
    tcp_ev(&cx, 0, EMSEC_TCP_EV_PEER_CLOSED);
    cr_assert_eq(l->tcp, EMSEC_TCP_ST_RELEASED);
    cr_assert_eq(l->tcp_rel, -1);
}

Test(lifecycle_scenario, delayed_establishment_connects_when_the_other_leg_accepts)
{
    context cx = new_context();
    tcp_ev(&cx, 0, EMSEC_TCP_EV_LISTEN);
    tcp_ev(&cx, 1, EMSEC_TCP_EV_DELAY);
    cr_assert_eq(cx.leg[1].tcp, EMSEC_TCP_ST_WAIT_TRIGGER);
    cr_assert(!(cx.leg[1].tcp_done & EMSEC_TCP_ACT_CONNECT), "no SYN before the trigger");
    tcp_ev(&cx, 0, EMSEC_TCP_EV_ACCEPTED);
    cr_assert_eq(cx.leg[0].tcp, EMSEC_TCP_ST_ESTABLISHED);
    cr_assert_eq(cx.leg[1].tcp, EMSEC_TCP_ST_CONNECTING);
    cr_assert(cx.leg[1].tcp_done & EMSEC_TCP_ACT_CONNECT);
    tcp_ev(&cx, 1, EMSEC_TCP_EV_CONNECTED);
    cr_assert(forwarding(&cx.leg[0]) && forwarding(&cx.leg[1]));
    cr_assert_eq(cx.leg[0].refused + cx.leg[1].refused, 0);
    /* tcpbcc/est overrides a delay */
    context cy = new_context();
    tcp_ev(&cy, 1, EMSEC_TCP_EV_DELAY);
    tcp_ev(&cy, 1, EMSEC_TCP_EV_CONNECT);
    cr_assert_eq(cy.leg[1].tcp, EMSEC_TCP_ST_CONNECTING);
}

Test(lifecycle_scenario, hold_forwards_nothing_until_the_controller_allows)
{
    context cx = new_context();
    leg *l = &cx.leg[0];
    tls_ev(&cx, 0, EMSEC_TLS_EV_SETUP_SERVER);
    tcp_ev(&cx, 0, EMSEC_TCP_EV_LISTEN);
    tcp_ev(&cx, 0, EMSEC_TCP_EV_ACCEPTED_HOLD);
    cr_assert_eq(l->tcp, EMSEC_TCP_ST_HELD);
    cr_assert(!(l->tcp_done & EMSEC_TCP_ACT_FORWARD));
    cr_assert_eq(l->tls, EMSEC_TLS_ST_HANDSHAKE_SERVER, "the handshake runs while held");
    tls_ev(&cx, 0, EMSEC_TLS_EV_HANDSHAKE_OK);
    tcp_ev(&cx, 0, EMSEC_TCP_EV_TRIGGER);
    tcp_ev(&cx, 0, EMSEC_TCP_EV_CONNECT);
    cr_assert_eq(l->tcp, EMSEC_TCP_ST_HELD);
    cr_assert(!(l->tcp_done & EMSEC_TCP_ACT_FORWARD));
    cr_assert(!forwarding(l));
    tcp_ev(&cx, 0, EMSEC_TCP_EV_ALLOW);
    cr_assert_eq(l->tcp, EMSEC_TCP_ST_ESTABLISHED);
    cr_assert(l->tcp_done & EMSEC_TCP_ACT_FORWARD);
    cr_assert(forwarding(l));
}

Test(lifecycle_scenario, fingerprint_mismatch_ends_tls_releases_tcp_and_reports_once)
{
    context cx = new_context();
    leg *l = &cx.leg[0];
    tls_ev(&cx, 0, EMSEC_TLS_EV_SETUP_SERVER); /* BFCP answerer: TLS server */
    tcp_ev(&cx, 0, EMSEC_TCP_EV_LISTEN);
    tcp_ev(&cx, 0, EMSEC_TCP_EV_ACCEPTED);
    cr_assert_eq(l->tls, EMSEC_TLS_ST_HANDSHAKE_SERVER);
    tls_ev(&cx, 0, EMSEC_TLS_EV_FINGERPRINT_MISMATCH);
    cr_assert_eq(l->tls, EMSEC_TLS_ST_FAILED);
    cr_assert_eq(l->tls_ef, EMSEC_TLS_CAUSE_FINGERPRINT);
    cr_assert(!(l->tls_done & EMSEC_TLS_ACT_FORWARD));
    cr_assert_eq(l->tcp, EMSEC_TCP_ST_RELEASED);
    cr_assert(l->tcp_done & EMSEC_TCP_ACT_CLOSE);
    cr_assert_eq(l->tcp_ef, -1);
    cr_assert_eq(l->tcp_rel, -1);
    /* failure is absorbing: late events change nothing, TCP stays released */
    tls_ev(&cx, 0, EMSEC_TLS_EV_HANDSHAKE_OK);
    tls_ev(&cx, 0, EMSEC_TLS_EV_TIMEOUT);
    tcp_ev(&cx, 0, EMSEC_TCP_EV_ACCEPTED);
    cr_assert_eq(l->tls, EMSEC_TLS_ST_FAILED);
    cr_assert_eq(l->tcp, EMSEC_TCP_ST_RELEASED);
    cr_assert(!forwarding(l));
    /* until the slot is reused */
    tls_ev(&cx, 0, EMSEC_TLS_EV_SLOT_RESET);
    tcp_ev(&cx, 0, EMSEC_TCP_EV_SLOT_RESET);
    cr_assert_eq(l->tls, EMSEC_TLS_INITIAL);
    cr_assert_eq(l->tcp, EMSEC_TCP_INITIAL);
    const int before = l->refused;
    tcp_ev(&cx, 0, EMSEC_TCP_EV_PEER_CLOSED); /* stale, from the earlier use */
    cr_assert_eq(l->refused, before + 1);
    cr_assert_eq(l->tcp, EMSEC_TCP_INITIAL);
}

Test(lifecycle_scenario, insecure_renegotiation_is_refused_and_ends_the_session)
{
    context cx = new_context();
    leg *l = &cx.leg[0];
    tls_ev(&cx, 0, EMSEC_TLS_EV_SETUP_CLIENT);
    tcp_ev(&cx, 0, EMSEC_TCP_EV_CONNECT);
    tcp_ev(&cx, 0, EMSEC_TCP_EV_CONNECTED);
    tls_ev(&cx, 0, EMSEC_TLS_EV_HANDSHAKE_OK);
    tls_ev(&cx, 0, EMSEC_TLS_EV_RENEG_SECURE); /* RFC 5746: accepted, nothing else */
    cr_assert_eq(l->tls, EMSEC_TLS_ST_ESTABLISHED);
    cr_assert(l->tls_done & EMSEC_TLS_ACT_RENEG_ACCEPT);
    tls_ev(&cx, 0, EMSEC_TLS_EV_HANDSHAKE_OK);
    cr_assert(forwarding(l));
    tls_ev(&cx, 0, EMSEC_TLS_EV_RENEG_INSECURE);
    cr_assert_eq(l->tls, EMSEC_TLS_ST_FAILED);
    cr_assert(l->tls_done & EMSEC_TLS_ACT_RENEG_REFUSE);
    cr_assert_eq(l->tls_ef, EMSEC_TLS_CAUSE_RENEGOTIATION);
    cr_assert_eq(l->tcp, EMSEC_TCP_ST_RELEASED);
}

Test(lifecycle_scenario, bfcp_reoffer_keeps_the_session_and_its_roles)
{
    context cx = new_context();
    leg *l = &cx.leg[0];
    tls_ev(&cx, 0, EMSEC_TLS_EV_SETUP_SERVER);
    tcp_ev(&cx, 0, EMSEC_TCP_EV_LISTEN);
    tcp_ev(&cx, 0, EMSEC_TCP_EV_ACCEPTED);
    tls_ev(&cx, 0, EMSEC_TLS_EV_HANDSHAKE_OK);
    const unsigned done = l->tls_done;
    tls_ev(&cx, 0, EMSEC_TLS_EV_KEEP);
    tls_ev(&cx, 0, EMSEC_TLS_EV_EST);
    cr_assert_eq(l->tls, EMSEC_TLS_ST_ESTABLISHED);
    cr_assert_eq(l->tls_done, done, "no handshake, no action");
    cr_assert_eq(l->refused, 0);
    tls_ev(&cx, 0, EMSEC_TLS_EV_SETUP_CLIENT); /* a role change is refused */
    cr_assert_eq(l->refused, 1);
    cr_assert_eq(l->tls, EMSEC_TLS_ST_ESTABLISHED);
}

Test(lifecycle_scenario, client_on_est_waits_for_the_signal_in_either_order)
{
    context cx = new_context();
    leg *l = &cx.leg[0];
    tls_ev(&cx, 0, EMSEC_TLS_EV_SETUP_CLIENT_ON_EST);
    tcp_ev(&cx, 0, EMSEC_TCP_EV_CONNECT);
    tcp_ev(&cx, 0, EMSEC_TCP_EV_CONNECTED);
    cr_assert_eq(l->tls, EMSEC_TLS_ST_WAIT_EST);
    cr_assert(!(l->tls_done & EMSEC_TLS_ACT_START_CLIENT));
    tls_ev(&cx, 0, EMSEC_TLS_EV_EST);
    cr_assert_eq(l->tls, EMSEC_TLS_ST_HANDSHAKE_CLIENT);
    cr_assert(l->tls_done & EMSEC_TLS_ACT_START_CLIENT);

    context cy = new_context();
    l = &cy.leg[0];
    tls_ev(&cy, 0, EMSEC_TLS_EV_SETUP_CLIENT_ON_EST);
    tls_ev(&cy, 0, EMSEC_TLS_EV_EST); /* the signal before TCP */
    cr_assert_eq(l->tls, EMSEC_TLS_ST_WAIT_TCP_CLIENT);
    tcp_ev(&cy, 0, EMSEC_TCP_EV_LISTEN);
    tcp_ev(&cy, 0, EMSEC_TCP_EV_ACCEPTED);
    cr_assert_eq(l->tls, EMSEC_TLS_ST_HANDSHAKE_CLIENT);
}

Test(lifecycle_scenario, two_tls_clients_collide_and_fail_with_cause_collision)
{
    context cx = new_context();
    leg *l = &cx.leg[0];
    tls_ev(&cx, 0, EMSEC_TLS_EV_SETUP_CLIENT);
    tcp_ev(&cx, 0, EMSEC_TCP_EV_CONNECT);
    tcp_ev(&cx, 0, EMSEC_TCP_EV_CONNECTED);
    tls_ev(&cx, 0, EMSEC_TLS_EV_COLLISION);
    cr_assert_eq(l->tls, EMSEC_TLS_ST_FAILED);
    cr_assert_eq(l->tls_ef, EMSEC_TLS_CAUSE_COLLISION);
    cr_assert_eq(l->tcp, EMSEC_TCP_ST_RELEASED);
}

Test(lifecycle_scenario, tcp_reset_under_tls_is_reported_by_both_and_released_once)
{
    context cx = new_context();
    leg *l = &cx.leg[0];
    tls_ev(&cx, 0, EMSEC_TLS_EV_SETUP_SERVER);
    tcp_ev(&cx, 0, EMSEC_TCP_EV_LISTEN);
    tcp_ev(&cx, 0, EMSEC_TCP_EV_ACCEPTED);
    tls_ev(&cx, 0, EMSEC_TLS_EV_HANDSHAKE_OK);
    tcp_ev(&cx, 0, EMSEC_TCP_EV_RESET);
    cr_assert_eq(l->tcp, EMSEC_TCP_ST_FAILED);
    cr_assert_eq(l->tcp_rel, EMSEC_TCP_CAUSE_RESET);
    cr_assert_eq(l->tls, EMSEC_TLS_ST_RELEASED);
    cr_assert_eq(l->tls_rel, EMSEC_TLS_CAUSE_TCP);
    cr_assert_eq(l->refused, 0);
}

Test(lifecycle_scenario, connect_failures_report_tcpbcc_ef_with_their_cause)
{
    const struct {
        emsec_tcp_event ev;
        int cause;
    } cases[] = {{EMSEC_TCP_EV_RESET, EMSEC_TCP_CAUSE_REFUSED},
                 {EMSEC_TCP_EV_CONNECT_FAILED, EMSEC_TCP_CAUSE_UNREACHABLE},
                 {EMSEC_TCP_EV_TIMEOUT, EMSEC_TCP_CAUSE_TIMEOUT}};
    for (size_t i = 0; i < 3; i++) {
        context cx = new_context();
        leg *l = &cx.leg[0];
        tls_ev(&cx, 0, EMSEC_TLS_EV_SETUP_CLIENT);
        tcp_ev(&cx, 0, EMSEC_TCP_EV_CONNECT);
        tcp_ev(&cx, 0, cases[i].ev);
        cr_assert_eq(l->tcp, EMSEC_TCP_ST_FAILED);
        cr_assert_eq(l->tcp_ef, cases[i].cause);
        cr_assert(l->tcp_done & EMSEC_TCP_ACT_CLOSE);
        cr_assert_eq(l->tls, EMSEC_TLS_ST_RELEASED, "no TLS session was begun");
        cr_assert_eq(l->tls_ef, -1);
    }
}

Test(lifecycle_scenario, a_listen_that_fails_is_reported_at_once_with_cause_local)
{
    /* the passive TLS server's port is taken: tcpbcc/ef cause local now, the
     * establishment timer cancelled, TLS told and released without a report */
    context cx = new_context();
    leg *l = &cx.leg[0];
    tls_ev(&cx, 0, EMSEC_TLS_EV_SETUP_SERVER);
    tcp_ev(&cx, 0, EMSEC_TCP_EV_LISTEN);
    tcp_ev(&cx, 0, EMSEC_TCP_EV_LISTEN_FAILED);
    cr_assert_eq(l->tcp, EMSEC_TCP_ST_FAILED);
    cr_assert_eq(l->tcp_ef, EMSEC_TCP_CAUSE_LOCAL);
    cr_assert(l->tcp_done & EMSEC_TCP_ACT_CANCEL_TIMER);
    cr_assert_eq(l->tls, EMSEC_TLS_ST_RELEASED);
    cr_assert_eq(l->tls_ef, -1);
    cr_assert_eq(l->refused, 0);
    /* a late LISTEN_FAILED on a connection that is up changes nothing */
    context up = new_context();
    tcp_ev(&up, 0, EMSEC_TCP_EV_LISTEN);
    tcp_ev(&up, 0, EMSEC_TCP_EV_ACCEPTED);
    tcp_ev(&up, 0, EMSEC_TCP_EV_LISTEN_FAILED);
    cr_assert_eq(up.leg[0].tcp, EMSEC_TCP_ST_ESTABLISHED);
    cr_assert_eq(up.leg[0].refused, 1);
}
