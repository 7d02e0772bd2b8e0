/* peer_net: see peer_net.h. */
#include "peer_net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

long long peer_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct sockaddr_in peer_loopback(int port)
{
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sa;
}

/* A failed SO_RCVBUF only makes the peer a faster reader: not an error. */
static void small_window(int fd, int rcvbuf)
{
    if (rcvbuf > 0)
        (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
}

int peer_listen(int port, int backlog, int sock_flags, int rcvbuf)
{
    int fd = socket(AF_INET, SOCK_STREAM | sock_flags, 0);
    if (fd < 0)
        return -1;
    small_window(fd, rcvbuf);
    int one = 1;
    struct sockaddr_in sa = peer_loopback(port);
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, backlog) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

int peer_accept_one(int lfd, long long deadline)
{
    long long left = deadline - peer_now_ms();
    int c = -1, e = ETIMEDOUT;
    if (left > 0) {
        struct pollfd p = { lfd, POLLIN, 0 };
        int n = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
        if (n == 1) {
            c = accept(lfd, NULL, NULL);
            e = errno;
        } else if (n < 0) {
            e = errno;
        }
    }
    close(lfd);
    if (c < 0)
        errno = e;
    return c;
}

int peer_connect_retry(int port, int rcvbuf, long long deadline, int retry_ms)
{
    struct sockaddr_in sa = peer_loopback(port);
    for (;;) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0)
            return -1;
        small_window(fd, rcvbuf);
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
            return fd;
        /* a refused connect leaves the socket unusable: a new one per try */
        int e = errno;
        close(fd);
        if (peer_now_ms() >= deadline) {
            errno = e;
            return -1;
        }
        usleep((useconds_t)retry_ms * 1000u);
    }
}

/* s as a whole decimal number in [min, max]: strtoll with every failure it
 * can report checked (nothing parsed, trailing characters, overflow). */
static int whole_number(const char *s, long long min, long long max, long long *out)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int peer_opt_num(const char *prog, int argc, char **argv, int *i, long long min, long long max,
                 long long *out)
{
    const char *opt = argv[*i];
    if (*i + 1 >= argc) {
        fprintf(stderr, "%s: %s needs a number from %lld to %lld\n", prog, opt, min, max);
        return -1;
    }
    if (whole_number(argv[*i + 1], min, max, out) != 0) {
        fprintf(stderr, "%s: %s '%s': not a whole number from %lld to %lld\n", prog, opt, argv[*i + 1], min, max);
        return -1;
    }
    (*i)++;
    return 0;
}

int peer_port_arg(const char *prog, const char *s, int *port)
{
    long long v;
    if (whole_number(s, 1, 65535, &v) != 0) {
        fprintf(stderr, "%s: port '%s': not a whole number from 1 to 65535\n", prog, s);
        return -1;
    }
    *port = (int)v;
    return 0;
}
