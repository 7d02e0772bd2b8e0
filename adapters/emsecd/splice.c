/*
 * emsecd kernel splice for plain forwarding: when neither leg of a FORWARD
 * speaks TLS here (a plain TCP relay, or a UE's TLS passed on untouched,
 * DESIGN.md e2e) and bytes pass as they are, they go socket -> pipe ->
 * socket with splice(2) and never cross into user space.
 *
 * A leg holds a pipe only while bytes for it are in one, like its relay
 * buffer (buf.c): idle legs cost no descriptors, which matters at thousands
 * of sessions (two descriptors per pipe). Emptied pipes wait in a small pool
 * (ED_PIPE_POOL_KEEP); a pipe that still holds bytes when its leg closes is
 * closed with them (they had nowhere left to go).
 *
 * When the kernel refuses (no pipe, or splice not supported on a socket)
 * the relay falls back to its buffer for that leg: same bytes, same order,
 * one copy through user space.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "emsecd.h"

/* Zeroed (as calloc and term_open leave it) means "no pipe held". */
static void pipe_reset(ed_pipe *p)
{
    p->r = p->w = -1;
    p->bytes = p->cap = 0u;
    p->full = p->held = false;
}

bool ed_pipe_take(ed_worker *w, ed_pipe *p)
{
    if (p->held)
        return true;
    if (w->pipes.count > 0u) {
        *p = w->pipes.free[--w->pipes.count];
    } else {
        int fds[2];
        if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0)
            return false;
        p->r = fds[0];
        p->w = fds[1];
        /* what the kernel gives a pipe by default (16 pages); a larger one
         * needs privileges or eats into the user's pipe quota */
        int sz = fcntl(p->w, F_GETPIPE_SZ);
        p->cap = sz > 0 ? (uint32_t)sz : 4096u;
    }
    p->bytes = 0u;
    p->full = false;
    p->held = true;
    w->pipes.in_use++;
    return true;
}

void ed_pipe_give_back(ed_worker *w, ed_pipe *p)
{
    if (!p->held || p->bytes > 0u)
        return;
    if (w->pipes.count < ED_PIPE_POOL_KEEP) {
        w->pipes.free[w->pipes.count++] = *p;
    } else {
        close(p->r);
        close(p->w);
    }
    pipe_reset(p);
    w->pipes.in_use--;
}

void ed_pipe_drop(ed_worker *w, ed_pipe *p)
{
    if (!p->held)
        return;
    close(p->r);
    close(p->w);
    pipe_reset(p);
    w->pipes.in_use--;
}

void ed_pipe_pool_free(ed_worker *w)
{
    while (w->pipes.count > 0u) {
        ed_pipe *p = &w->pipes.free[--w->pipes.count];
        close(p->r);
        close(p->w);
    }
}

ssize_t ed_splice_in(int from_fd, ed_pipe *p)
{
    if (p->full || p->bytes >= p->cap)
        return -2;
    ssize_t n = splice(from_fd, NULL, p->w, NULL, p->cap - p->bytes, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (n > 0) {
        p->bytes += (uint32_t)n;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && p->bytes > 0u) {
        /* A pipe holds 16 buffers, not 16 pages of bytes: small TCP segments
         * can fill it below cap. Either the socket is empty or the pipe is
         * full; reading waits until the writer has drained some (it has
         * bytes, so it will), which is safe in both cases and never spins. */
        p->full = true;
    }
    return n;
}

ssize_t ed_splice_out(ed_pipe *p, int to_fd)
{
    ssize_t n = splice(p->r, NULL, to_fd, NULL, p->bytes, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (n > 0) {
        p->bytes -= (uint32_t)n;
        p->full = false;
    }
    return n;
}
