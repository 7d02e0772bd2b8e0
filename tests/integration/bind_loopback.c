/*
 * bind_loopback.so: an LD_PRELOAD shim for test peers that cannot be told
 * where to listen. gnutls-serv binds the wildcard address (0.0.0.0 and ::)
 * and has no option to choose one; the integration tests must listen on
 * 127.0.0.1 only (a peer reachable from off the machine is not a test
 * peer). Every bind() of an IPv4 or IPv6 socket to the wildcard address is
 * made on the loopback address instead; any other bind passes unchanged.
 *
 *   LD_PRELOAD=build/san/bind_loopback.so gnutls-serv -p PORT ...
 *
 * Built without the sanitizers: an ASan object preloaded into a program
 * that is not built with ASan aborts at start.
 */
#include <dlfcn.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

typedef int (*bind_fn)(int, const struct sockaddr *, socklen_t);

int bind(int fd, const struct sockaddr *sa, socklen_t len)
{
    static bind_fn real;
    if (real == NULL) {
        /* POSIX dlsym returns an object pointer; its conversion to a
         * function pointer is what dlsym is for */
        void *p = dlsym(RTLD_NEXT, "bind");
        memcpy(&real, &p, sizeof real);
    }
    if (real == NULL)
        return -1;
    if (sa != NULL && sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
        struct sockaddr_in a;
        memcpy(&a, sa, sizeof a);
        if (a.sin_addr.s_addr == htonl(INADDR_ANY))
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return real(fd, (const struct sockaddr *)&a, (socklen_t)sizeof a);
    }
    if (sa != NULL && sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
        struct sockaddr_in6 a;
        memcpy(&a, sa, sizeof a);
        if (IN6_IS_ADDR_UNSPECIFIED(&a.sin6_addr))
            a.sin6_addr = in6addr_loopback;
        return real(fd, (const struct sockaddr *)&a, (socklen_t)sizeof a);
    }
    return real(fd, sa, len);
}
