/*
 * emsecd dispatch: the core's answer, carried to the threads that act on it.
 *
 * The core is one and is called under one lock (emsecd.core_lock) by the
 * main thread (H.248 commands, ServiceChange, timers) and by the workers
 * (their legs' events). Whoever holds the lock posts the actions the core
 * answered, before letting go of it, to the worker that owns each leg: so
 * the commands for one leg reach its worker in the order the core decided
 * them, whichever thread asked. A leg's first socket action picks its
 * owner: the worker of its context (ContextID modulo the number of
 * workers), so the two legs of a context relay inside one thread. A CLOSE
 * ends the leg's use of the handle (its epoch): events found for the old use
 * after that are not given to the core (worker.c), as the handle may already
 * serve a new termination.
 *
 * A Move can pair legs owned by two workers; the FORWARD then goes to the
 * worker owning the second leg as a MIGRATE, which hands the leg over to the
 * first one's worker (worker.c) together with every command queued for it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "emsecd.h"

void ed_core_lock(emsecd *d)
{
    (void)pthread_mutex_lock(&d->core_lock);
}

void ed_core_unlock(emsecd *d)
{
    (void)pthread_mutex_unlock(&d->core_lock);
}

void ed_wake(int efd)
{
    uint64_t one = 1u;
    /* EAGAIN: the counter is full, the reader is woken anyway */
    (void)!write(efd, &one, sizeof one);
}

void ed_wake_drain(int efd)
{
    uint64_t n;
    (void)!read(efd, &n, sizeof n);
}

uint32_t ed_worker_of_context(const emsecd *d, uint32_t context)
{
    return context % d->nworkers;
}

/* Room for one more command: the ring doubles, kept in order. */
static bool grow(ed_cmd_q *q)
{
    uint32_t cap = q->cap == 0u ? 64u : q->cap * 2u;
    ed_cmd *ring = malloc((size_t)cap * sizeof *ring);
    if (ring == NULL)
        return false;
    for (uint32_t i = 0u; i < q->count; i++)
        ring[i] = q->ring[(q->head + i) % q->cap];
    free(q->ring);
    q->ring = ring;
    q->cap = cap;
    q->head = 0u;
    return true;
}

/* Appends c; true when the queue was empty (the worker must be woken). */
static bool push(ed_cmd_q *q, const ed_cmd *c, bool *ok)
{
    *ok = q->count < q->cap || grow(q);
    if (!*ok)
        return false;
    q->ring[(q->head + q->count) % q->cap] = *c;
    q->count++;
    return q->count == 1u;
}

void ed_post(emsecd *d, uint32_t worker, const ed_cmd *c)
{
    ed_worker *w = &d->workers[worker];
    bool ok = false;
    (void)pthread_mutex_lock(&w->cmds.lock);
    bool first = push(&w->cmds, c, &ok);
    (void)pthread_mutex_unlock(&w->cmds.lock);
    if (!ok) {
        /* the leg is left as it is: its timers in the core end it */
        ed_log(c->label[0] != '\0' ? c->label : NULL, "worker %u: out of memory: command %u lost", (unsigned)worker,
               (unsigned)c->kind);
        return;
    }
    if (first)
        ed_wake(w->wake);
}

void ed_post_move(emsecd *d, uint32_t from, uint32_t to, uint16_t t)
{
    ed_cmd_q *q = &d->workers[from].cmds;
    (void)pthread_mutex_lock(&q->lock);
    uint32_t kept = 0u;
    for (uint32_t i = 0u; i < q->count; i++) {
        ed_cmd c = q->ring[(q->head + i) % q->cap];
        if (c.term == t && (c.kind < EMSEC_MG_ACT_COUNT || c.kind == ED_CMD_EVENT))
            ed_post(d, to, &c); /* the other queue's lock: only one mover at a time (core_lock) */
        else
            q->ring[(q->head + kept++) % q->cap] = c;
    }
    q->count = kept;
    (void)pthread_mutex_unlock(&q->lock);
}

/* ed_post, noting the worker in dispatch_mask (core_lock held) */
static void post_noted(emsecd *d, uint32_t worker, const ed_cmd *c)
{
    d->dispatch_mask |= (uint64_t)1u << worker;
    ed_post(d, worker, c);
}

/* The worker that owns handle t's leg, chosen now if it has none. */
static uint32_t owner_of(emsecd *d, uint16_t t, const emsec_mg_term_view *v)
{
    if (d->owner[t] == ED_NO_WORKER)
        d->owner[t] = (uint8_t)ed_worker_of_context(d, v != NULL ? v->context : 0u);
    return d->owner[t];
}

/* The command for action kind on handle t, with what the worker needs from
 * the core (the label, the ports and the Remote address) copied in: the
 * worker does not read the core to carry it out. */
static bool command_for(emsecd *d, uint8_t kind, uint16_t t, ed_cmd *c, emsec_mg_term_view *v)
{
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->term = t;
    c->peer_term = ED_NO_TERM;
    c->epoch = d->epoch[t];
    if (!emsec_mg_term_info(d->mg, t, v))
        return false;
    snprintf(c->label, sizeof c->label, "ctx=%lu term=%s", (unsigned long)v->context, v->name);
    c->local_port = v->local_port;
    c->remote_port = v->remote_port;
    memcpy(c->remote_addr, v->remote_addr, sizeof c->remote_addr);
    c->remote_addr[sizeof c->remote_addr - 1u] = '\0';
    return true;
}

void ed_dispatch_forward(emsecd *d, uint16_t a, uint16_t b, uint8_t mode, uint8_t msrp)
{
    ed_cmd c;
    emsec_mg_term_view va, vb;
    bool has_a = command_for(d, EMSEC_MG_ACT_FORWARD, a, &c, &va);
    c.peer_term = b;
    c.mode = mode;
    c.msrp = msrp;
    uint32_t oa = owner_of(d, a, has_a ? &va : NULL);
    if (b >= EMSEC_MG_MAX_TERMS) {
        post_noted(d, oa, &c); /* the worker logs it and does nothing */
        return;
    }
    uint32_t ob = owner_of(d, b, emsec_mg_term_info(d->mg, b, &vb) ? &vb : NULL);
    if (oa == ob) {
        post_noted(d, oa, &c);
        return;
    }
    c.kind = ED_CMD_MIGRATE; /* b's worker hands b to a's, then FORWARD there */
    c.to = (uint8_t)oa;
    post_noted(d, ob, &c);
}

static void queue_notice(emsecd *d, const char *text, uint32_t len)
{
    ed_notice *n = malloc(sizeof *n + len);
    if (n == NULL) {
        ed_log(NULL, "h248 request of %u bytes dropped: out of memory", (unsigned)len);
        return;
    }
    n->next = NULL;
    n->len = len;
    memcpy(n->text, text, len);
    if (d->notice_tail != NULL)
        d->notice_tail->next = n;
    else
        d->notice_head = n;
    d->notice_tail = n;
    ed_wake(d->wake);
}

ed_notice *ed_notices_take(emsecd *d)
{
    ed_core_lock(d);
    ed_notice *n = d->notice_head;
    d->notice_head = d->notice_tail = NULL;
    ed_core_unlock(d);
    return n;
}

void ed_dispatch(emsecd *d, const emsec_mg_out *out)
{
    d->dispatch_mask = 0u;
    for (uint32_t i = 0u; i < out->nactions; i++) {
        const emsec_mg_action *a = &out->actions[i];
        if (a->term >= EMSEC_MG_MAX_TERMS) {
            ed_log(NULL, "action %u for no termination (handle %u): ignored", (unsigned)a->kind, (unsigned)a->term);
            continue;
        }
        if (a->kind == EMSEC_MG_ACT_FORWARD) {
            ed_dispatch_forward(d, a->term, a->peer_term, a->mode, a->msrp);
            continue;
        }
        ed_cmd c;
        emsec_mg_term_view v;
        bool known = command_for(d, a->kind, a->term, &c, &v);
        if (!known && (a->kind == EMSEC_MG_ACT_LISTEN || a->kind == EMSEC_MG_ACT_CONNECT)) {
            /* no termination to take a port or a Remote from: no leg */
            ed_log(NULL, "action %u: termination %u unknown to the core: ignored", (unsigned)a->kind,
                   (unsigned)a->term);
            continue;
        }
        post_noted(d, owner_of(d, a->term, known ? &v : NULL), &c);
        if (a->kind == EMSEC_MG_ACT_CLOSE) {
            /* the leg's use of the handle ends here (see the top) */
            d->owner[a->term] = ED_NO_WORKER;
            d->epoch[a->term]++;
        }
    }
    if (out->notify_len > 0u)
        queue_notice(d, out->notify, out->notify_len);
}
