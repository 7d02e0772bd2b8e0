/*
 * emsecd relay buffers: one ED_BUF_CAP buffer per direction of a relaying
 * leg, held only while it has bytes in it.
 *
 * Most media legs are idle most of the time (an MSRP session between two
 * messages, a BFCP floor nobody asks for): a buffer kept per leg for the
 * session's life costs the pages it ever touched, for every idle session.
 * So a leg takes a buffer when bytes arrive for it and gives it back once
 * they are all written; the returned buffers wait in a small pool
 * (ED_BUF_POOL_KEEP) so that a busy leg, which empties and refills its
 * buffer on every round, reuses the same memory instead of calling malloc.
 */
#include <stdlib.h>
#include <string.h>

#include "emsecd.h"

static uint32_t used(const ed_buf *b) { return b->end - b->start; }

/* A buffer for b if it has none: from the pool, else malloc; false when out
 * of memory. */
static bool buf_take(ed_worker *w, ed_buf *b)
{
    if (b->data != NULL)
        return true;
    if (w->pool.count > 0u) {
        b->data = w->pool.free[--w->pool.count];
    } else {
        b->data = malloc(ED_BUF_CAP);
        if (b->data == NULL)
            return false;
    }
    b->start = b->end = 0u;
    w->pool.in_use++;
    return true;
}

/* Only an empty buffer goes back: what a leg still has to write is kept. */
void ed_buf_give_back(ed_worker *w, ed_buf *b)
{
    if (b->data == NULL || used(b) > 0u)
        return;
    if (w->pool.count < ED_BUF_POOL_KEEP)
        w->pool.free[w->pool.count++] = b->data;
    else
        free(b->data);
    b->data = NULL;
    b->start = b->end = 0u;
    w->pool.in_use--;
}

void ed_buf_drop(ed_worker *w, ed_buf *b)
{
    b->start = b->end = 0u;
    ed_buf_give_back(w, b);
}

void ed_buf_pool_free(ed_worker *w)
{
    while (w->pool.count > 0u)
        free(w->pool.free[--w->pool.count]);
}

bool ed_buf_can_take(const ed_buf *b)
{
    return b->data == NULL || used(b) < ED_BUF_CAP;
}

uint32_t ed_buf_room(ed_worker *w, ed_buf *b)
{
    if (!buf_take(w, b))
        return 0u;
    if (b->start == b->end)
        b->start = b->end = 0u;
    /* move the unsent bytes to the front when the end is reached */
    if (b->end == ED_BUF_CAP && b->start > 0u) {
        memmove(b->data, b->data + b->start, b->end - b->start);
        b->end -= b->start;
        b->start = 0u;
    }
    return ED_BUF_CAP - b->end;
}
