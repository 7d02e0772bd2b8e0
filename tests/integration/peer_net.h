/*
 * peer_net: the plumbing the integration test peers (tcp_peer, conn_load,
 * msrp_peer) share, so that each of them is only its protocol:
 *   - the clock every deadline is on;
 *   - TCP sockets on 127.0.0.1 only (the tests never send traffic off the
 *     machine): listen, accept one connection, connect with bounded retries;
 *   - strict parsing of numeric arguments: with atoi a typo became a port or
 *     a timeout of 0 and the test failed far from its cause; here it is a
 *     usage error naming the option.
 * A test tool, not part of the library (core/ never includes it). Built
 * with -D_GNU_SOURCE like the peers (Makefile: usleep, SOCK_NONBLOCK).
 */
#ifndef EMSEC_TESTS_PEER_NET_H
#define EMSEC_TESTS_PEER_NET_H

#include <netinet/in.h>

/* Milliseconds on CLOCK_MONOTONIC: a deadline does not move when the wall
 * clock is set. */
long long peer_now_ms(void);

/* 127.0.0.1:port. Precondition: 1 <= port <= 65535. */
struct sockaddr_in peer_loopback(int port);

/* A TCP socket listening on 127.0.0.1:port with this backlog.
 * Preconditions: 1 <= port <= 65535, backlog >= 1; sock_flags is 0 or
 * SOCK_NONBLOCK (or-ed into the socket type). rcvbuf > 0 sets SO_RCVBUF
 * before listen(), so that every accepted socket inherits it (a slow reader
 * with a small window: the relay's own buffers fill instead of the
 * kernel's); 0 keeps the default. SO_REUSEADDR is set: a port a previous
 * case left in TIME_WAIT can be listened on again at once.
 * Returns the socket, or -1 with errno set (nothing left open). */
int peer_listen(int port, int backlog, int sock_flags, int rcvbuf);

/* The first connection on the listening socket lfd, accepted before
 * deadline (peer_now_ms() time). lfd is closed in every case: a peer that
 * takes one connection must not leave a listener behind for the gateway to
 * connect to again. Returns the connected socket, or -1 with errno set
 * (ETIMEDOUT when no connection came in time). */
int peer_accept_one(int lfd, long long deadline);

/* A blocking TCP socket connected to 127.0.0.1:port, the connect retried
 * every retry_ms until deadline (peer_now_ms() time): the gateway opens its
 * listener when the H.248 Add arrives, which may be after the peer starts.
 * At least one attempt is made. rcvbuf as for peer_listen, set on every
 * attempt's socket. Preconditions: 1 <= port <= 65535, retry_ms >= 1.
 * Returns the socket, or -1 with the last attempt's errno. */
int peer_connect_retry(int port, int rcvbuf, long long deadline, int retry_ms);

/* The option argv[*i] takes its value from argv[*i + 1], a whole decimal
 * number from min to max. Returns 0 with *out set and *i moved onto the
 * value; -1 with one line on stderr (prog, the option, the range) when the
 * value is missing, is not a number, has anything after the digits or is
 * out of range (*out and *i unchanged).
 * Preconditions: 0 <= *i < argc, min <= max. */
int peer_opt_num(const char *prog, int argc, char **argv, int *i, long long min, long long max,
                 long long *out);

/* A PORT argument: a whole number from 1 to 65535. Returns 0 with *port
 * set, -1 with one line on stderr otherwise. */
int peer_port_arg(const char *prog, const char *s, int *port);

#endif
