/*
 * emsec-ctl: a controller (IMS-ALG on Iq, or MRFC on Mp) for one call,
 * talking H.248 over UDP to emsecd. The procedure is core/ctl_*.c
 * (include/emsec/ctl.h); this file reads the SDP files, carries the
 * transactions, prints a timeline, and answers the gateway's Notify.
 *
 *   emsec-ctl --mode e2ae|e2e|psk --offer FILE --answer FILE
 *             [--gateway ADDR:PORT] [--bind PORT] [--hold MS]
 *             [--reoffer FILE --reanswer FILE] [--ue-sdp FILE]
 *             [--psk-file FILE | --mikey DIR] [--pskid ID] [--full]
 *   emsec-ctl mikey-ue TRANSFER_INIT.b64 TRANSFER_RESP.b64
 *
 * The call is set up (Add, Modify, SDP towards the UE on stdout), then
 * held until the network ends it (a tcpbcc/rel or tlsbsc/rel event), a
 * failure is notified (tcpbcc/ef, tlsbsc/ef: reported, the context released), SIGTERM / SIGINT (the call ends),
 * or --hold MS (default 30000) passes; then one Subtract. SIGUSR1 sends the
 * re-offer (--reoffer / --reanswer) as one Modify.
 * PSK mode (MRFC): the key of --pskid from --psk-file ("ID HEXKEY" lines),
 * or with --mikey DIR the TEK of a MIKEY-TICKET mode 3 exchange the MRFC
 * makes itself (RFC 6043 §4.1.1; the messages written to DIR in base64).
 * `mikey-ue` is the UE's half: it derives the TEK from those two messages
 * and prints it in hex.
 * Exit: 0 set up and released; 1 setup refused or aborted (authorization,
 * gateway error); 3 a failure notified by the gateway; 2 usage or I/O.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl_mikey.h"
#include "ctl_udp.h"
#include "emsec/ctl.h"

#define MSG_CAP 65536u
#define NODES 1024u

typedef struct opts {
    const char *gateway, *offer, *answer, *reoffer, *reanswer, *ue_sdp, *psk_file, *pskid, *mikey;
    emsec_ctl_mode mode;
    int bind_port, hold_ms;
    bool full;
} opts;

typedef struct file {
    char *buf;
    uint32_t len;
} file;

static volatile sig_atomic_t stop_flag, reoffer_flag;
static void on_stop(int sig) { (void)sig; stop_flag = 1; }
static void on_usr1(int sig) { (void)sig; reoffer_flag = 1; }

static emsec_h248_node nodes[NODES];
static emsec_ctl_session sess;
static char out[MSG_CAP], in[MSG_CAP];
static ctl_udp udp;
static uint32_t tid = 1000u;
static bool full_print;
static int notified_failure;

static int usage(void)
{
    fprintf(stderr,
            "usage: emsec-ctl --mode e2ae|e2e|psk --offer FILE --answer FILE\n"
            "                 [--gateway ADDR:PORT] [--bind PORT] [--hold MS]\n"
            "                 [--reoffer FILE --reanswer FILE] [--ue-sdp FILE]\n"
            "                 [--psk-file FILE | --mikey DIR] [--pskid ID] [--full]\n"
            "       emsec-ctl mikey-ue TRANSFER_INIT.b64 TRANSFER_RESP.b64\n");
    return 2;
}

static bool read_file(const char *path, file *f)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        fprintf(stderr, "emsec-ctl: %s: cannot open\n", path);
        return false;
    }
    f->buf = malloc(MSG_CAP);
    size_t n = f->buf ? fread(f->buf, 1, MSG_CAP, fp) : 0;
    bool ok = f->buf != NULL && !ferror(fp) && n < MSG_CAP;
    fclose(fp);
    if (!ok) {
        fprintf(stderr, "emsec-ctl: %s: unreadable or longer than %u bytes\n", path, MSG_CAP - 1u);
        free(f->buf);
        f->buf = NULL;
        return false;
    }
    f->len = (uint32_t)n;
    return true;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* The lines an abridged timeline keeps: transactions, commands, events,
 * errors, and the SDP lines that carry a decision. */
static bool wanted(const char *b, size_t n)
{
    static const char *const keep[] = {
        "Transaction", "Reply", "Context", "Add", "Modify", "Subtract", "Notify", "Error",
        "ObservedEvents", "Events", "LocalControl", "tlsbsc/", "tcpbcc/", "m=", "c=",
        "a=setup", "a=fingerprint", "a=tls-id", "a=connection", "a=path",
    };
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
        size_t l = strlen(keep[i]);
        if (n >= l && memcmp(b, keep[i], l) == 0)
            return true;
    }
    return false;
}

/* An H.248 message on the timeline: abridged (the lines `wanted` keeps,
 * long lines cut) unless --full. */
static void show(const char *dir, const char *msg, size_t len)
{
    const char *p = msg, *end = msg + len;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (e == NULL)
            e = end;
        const char *b = p;
        while (b < e && (*b == ' ' || *b == '\t' || *b == '\r'))
            b++;
        size_t n = (size_t)(e - b);
        while (n > 0 && (b[n - 1] == '\r' || b[n - 1] == ' '))
            n--;
        if (full_print || wanted(b, n)) {
            /* the PSK is never printed (DESIGN.md: tlsbsc/psk is never logged) */
            char line[512];
            size_t l = n < sizeof line - 1 ? n : sizeof line - 1;
            memcpy(line, b, l);
            line[l] = '\0';
            for (char *k = strstr(line, "tlsbsc/psk = "); k != NULL; k = strstr(k, "tlsbsc/psk = "))
                for (k += 13; *k != '\0' && *k != ',' && *k != ' ' && *k != '}'; k++)
                    *k = '*';
            int cut = (!full_print && l > 96) ? 96 : (int)l;
            printf("  %s %.*s%s\n", dir, cut, line, cut < (int)l ? "..." : "");
        }
        p = e + 1;
    }
    fflush(stdout);
}

static void print_leg(const char *name, const emsec_ctl_leg_decision *l)
{
    if (!l->decided)
        return;
    printf("ctl: %s: gateway is %s, offer a=setup:%s, answer a=setup:%s -> ", name,
           l->side == EMSEC_SIDE_OFFERER ? "offerer" : "answerer", emsec_setup_name(l->offer_setup),
           emsec_setup_name(l->answer_setup));
    if (l->d.refusal != EMSEC_REFUSAL_NONE)
        printf("refused: %s", emsec_refusal_name(l->d.refusal));
    else
        printf("tcp %s, tls %s", emsec_tcp_role_name(l->d.tcp),
               sess.mode == EMSEC_CTL_E2E ? "end to end (forwarded)" : emsec_tls_role_name(l->d.tls));
    printf(" (spec/roles.tbl row %u", (unsigned)l->d.setup_row);
    if (l->d.reuse_row != 0u)
        printf(", spec/reuse.tbl row %u", (unsigned)l->d.reuse_row);
    printf(")\n");
}

/* A Notify from the gateway: printed, answered; a failure marks the call. */
static bool handle_notify(const char *msg, uint32_t len, bool *ended)
{
    emsec_ctl_event ev;
    if (emsec_ctl_read_notify(msg, len, nodes, NODES, &ev) != EMSEC_OK)
        return false;
    show("<-", msg, len);
    if (ev.failure) {
        printf("ctl: FAILURE reported by the gateway: %s cause %s on %s (context %s)\n", ev.event,
               ev.cause[0] ? ev.cause : "-", ev.term, ev.context);
        notified_failure = 1;
    } else {
        printf("ctl: released by the network: %s cause %s on %s\n", ev.event,
               ev.cause[0] ? ev.cause : "-", ev.term);
    }
    *ended = true;
    uint32_t n;
    if (emsec_ctl_write_notify_reply(&ev, udp.mid, out, MSG_CAP, &n) == EMSEC_OK)
        (void)ctl_udp_send(&udp, out, n);
    fflush(stdout);
    return true;
}

/* Send one transaction and wait for its reply (3 tries, 2 s apart:
 * H.248.1 Annex D.1.1 retransmission; the gateway's reply cache answers a
 * repeat without executing it twice). Notifies in between are handled. */
static long transact(const char *msg, uint32_t len, bool *ended)
{
    show("->", msg, len);
    for (int tries = 0; tries < 3; tries++) {
        if (!ctl_udp_send(&udp, msg, len))
            return -1;
        long deadline = now_ms() + 2000;
        for (int guard = 0; guard < 64 && now_ms() < deadline; guard++) {
            long n = ctl_udp_recv(&udp, in, MSG_CAP, (int)(deadline - now_ms()));
            if (n < 0)
                return -1;
            if (n == 0)
                continue;
            if (handle_notify(in, (uint32_t)n, ended))
                continue;
            show("<-", in, (size_t)n);
            return n;
        }
    }
    printf("ctl: no reply from the gateway after 3 tries\n");
    return -1;
}

static int release(int rc)
{
    bool ended = false;
    uint32_t n;
    if (emsec_ctl_write_subtract(&sess, udp.mid, ++tid, out, MSG_CAP, &n) == EMSEC_OK) {
        printf("ctl: release: Subtract of context %s\n", sess.context);
        long r = transact(out, n, &ended);
        if (r > 0 && emsec_ctl_check_reply(&sess, in, (uint32_t)r, nodes, NODES) != EMSEC_OK)
            printf("ctl: the Subtract was refused: %s\n", sess.why);
    }
    return rc;
}

static int refused(const char *when)
{
    printf("ctl: SETUP ABORTED (%s, %s): %s\n", when, emsec_ctl_refusal_name(sess.refusal), sess.why);
    return 1;
}

/* PSK resolution (RFC 4279 §5.1): the identity's key from a file of
 * "IDENTITY HEXKEY" lines (an MRFC's key store; the demo writes the
 * MIKEY-TICKET TEK there). Not found: psk_len 0, which the core refuses. */
static uint32_t resolve_psk(const char *path, const char *id, uint8_t *key)
{
    FILE *fp = path ? fopen(path, "r") : NULL;
    char line[512];
    uint32_t n = 0;
    if (fp == NULL)
        return 0;
    while (n == 0 && fgets(line, sizeof line, fp) != NULL) {
        char *sp = strchr(line, ' ');
        if (sp == NULL || line[0] == '#')
            continue;
        *sp = '\0';
        if (id == NULL || strcmp(line, id) != 0)
            continue;
        for (char *h = sp + 1; h[0] && h[1] && h[0] != '\n' && n < EMSEC_CTL_MAX_PSK; h += 2) {
            unsigned v;
            if (sscanf(h, "%2x", &v) != 1) {
                n = 0;
                break;
            }
            key[n++] = (uint8_t)v;
        }
    }
    fclose(fp);
    return n;
}

static bool parse_opts(int argc, char **argv, opts *o)
{
    memset(o, 0, sizeof *o);
    o->gateway = "127.0.0.1:2944";
    o->hold_ms = 30000;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--full") == 0) {
            o->full = true;
            continue;
        }
        if (i + 1 >= argc)
            return false;
        const char *v = argv[++i];
        if (strcmp(a, "--mode") == 0)
            o->mode = strcmp(v, "e2ae") == 0  ? EMSEC_CTL_E2AE
                      : strcmp(v, "e2e") == 0 ? EMSEC_CTL_E2E
                      : strcmp(v, "psk") == 0 ? EMSEC_CTL_PSK
                                              : (emsec_ctl_mode)0;
        else if (strcmp(a, "--gateway") == 0) o->gateway = v;
        else if (strcmp(a, "--offer") == 0) o->offer = v;
        else if (strcmp(a, "--answer") == 0) o->answer = v;
        else if (strcmp(a, "--reoffer") == 0) o->reoffer = v;
        else if (strcmp(a, "--reanswer") == 0) o->reanswer = v;
        else if (strcmp(a, "--ue-sdp") == 0) o->ue_sdp = v;
        else if (strcmp(a, "--psk-file") == 0) o->psk_file = v;
        else if (strcmp(a, "--pskid") == 0) o->pskid = v;
        else if (strcmp(a, "--mikey") == 0) o->mikey = v;
        else if (strcmp(a, "--bind") == 0) o->bind_port = atoi(v);
        else if (strcmp(a, "--hold") == 0) o->hold_ms = atoi(v);
        else return false;
    }
    return o->mode != 0 && o->offer && o->answer && o->hold_ms >= 0 && o->bind_port >= 0 &&
           o->bind_port < 65536 && (o->reoffer == NULL) == (o->reanswer == NULL);
}

static bool print_ue_sdp(const char *answer_path, const file *answer, const char *to)
{
    uint32_t n;
    if (emsec_ctl_write_ue_sdp(&sess, answer->buf, answer->len, out, MSG_CAP, &n) != EMSEC_OK) {
        printf("ctl: no SDP towards the UE from %s: %s\n", answer_path, sess.why);
        return false;
    }
    printf("ctl: SDP answer towards the UE:\n");
    fflush(stdout);
    for (uint32_t b = 0; b < n;) {
        uint32_t e = b;
        while (e < n && out[e] != '\n')
            e++;
        printf("  | %.*s\n", (int)(e - b - (e > b && out[e - 1] == '\r')), out + b);
        b = e + 1;
    }
    if (to != NULL) {
        FILE *fp = fopen(to, "wb");
        if (fp == NULL || fwrite(out, 1, n, fp) != n || fclose(fp) != 0) {
            fprintf(stderr, "emsec-ctl: %s: cannot write\n", to);
            return false;
        }
    }
    fflush(stdout);
    return true;
}

static int run(const opts *o, file *offer, file *answer)
{
    bool ended = false;
    uint8_t psk[EMSEC_CTL_MAX_PSK];
    printf("ctl: %s procedure, offer %s, answer %s\n",
           o->mode == EMSEC_CTL_PSK ? "MRFC (Mp), TLS-PSK" : o->mode == EMSEC_CTL_E2E
               ? "IMS-ALG (Iq), e2e transparent" : "IMS-ALG (Iq), e2ae",
           o->offer, o->answer);
    uint32_t psk_len = 0u;
    if (o->mode == EMSEC_CTL_PSK && o->mikey != NULL) {
        if (!ctl_mikey_mode3(o->mikey, psk))
            return 2;
        psk_len = CTL_MIKEY_PSK_LEN;
    } else if (o->mode == EMSEC_CTL_PSK) {
        psk_len = resolve_psk(o->psk_file, o->pskid, psk);
    }
    if (emsec_ctl_begin(&sess, o->mode, offer->buf, offer->len, psk, psk_len, o->pskid) != EMSEC_OK)
        return refused("the UE's offer");
    printf("ctl: authorization: %s\n",
           o->mode == EMSEC_CTL_PSK ? "PSK resolved for the identity" : "the UE's a=fingerprint is present");
    uint32_t n;
    if (emsec_ctl_write_add(&sess, offer->buf, offer->len, udp.mid, ++tid, out, MSG_CAP, &n) != EMSEC_OK)
        return refused("Add");
    long r = transact(out, n, &ended);
    if (r <= 0)
        return 2;
    if (emsec_ctl_on_add_reply(&sess, offer->buf, offer->len, in, (uint32_t)r, nodes, NODES) != EMSEC_OK)
        return refused("the gateway's Add reply");
    printf("ctl: context %s: UE leg %s, core leg %s\n", sess.context, sess.term_ue, sess.term_core);
    print_leg("UE leg", &sess.ue_leg);
    if (emsec_ctl_write_modify(&sess, answer->buf, answer->len, udp.mid, ++tid, out, MSG_CAP, &n) != EMSEC_OK) {
        int rc = refused("the far end's answer");
        return release(rc);
    }
    r = transact(out, n, &ended);
    if (r <= 0)
        return release(2);
    if (emsec_ctl_check_reply(&sess, in, (uint32_t)r, nodes, NODES) != EMSEC_OK)
        return release(refused("Modify"));
    print_leg("core leg", &sess.core_leg);
    if (!print_ue_sdp(o->answer, answer, o->ue_sdp))
        return release(1);
    printf("ctl: call up; holding up to %d ms\n", o->hold_ms);
    fflush(stdout);
    long deadline = now_ms() + o->hold_ms;
    while (!ended && !stop_flag && now_ms() < deadline) {
        if (reoffer_flag && o->reoffer != NULL) {
            reoffer_flag = 0;
            file ro = { 0, 0 }, ra = { 0, 0 };
            if (!read_file(o->reoffer, &ro) || !read_file(o->reanswer, &ra))
                return release(2);
            printf("ctl: re-offer from the UE: %s, answer %s\n", o->reoffer, o->reanswer);
            if (emsec_ctl_write_reoffer(&sess, ro.buf, ro.len, ra.buf, ra.len, udp.mid, ++tid, out,
                                        MSG_CAP, &n) != EMSEC_OK) {
                free(ro.buf);
                free(ra.buf);
                return release(refused("re-offer"));
            }
            print_leg("UE leg (re-offer)", &sess.ue_leg);
            print_leg("core leg (re-offer)", &sess.core_leg);
            r = transact(out, n, &ended);
            bool ok = r > 0 && emsec_ctl_check_reply(&sess, in, (uint32_t)r, nodes, NODES) == EMSEC_OK;
            if (ok)
                ok = print_ue_sdp(o->reanswer, &ra, o->ue_sdp);
            free(ro.buf);
            free(ra.buf);
            if (!ok)
                return release(refused("re-offer Modify"));
            continue;
        }
        long got = ctl_udp_recv(&udp, in, MSG_CAP, 200);
        if (got < 0)
            break;
        if (got > 0 && !handle_notify(in, (uint32_t)got, &ended))
            show("<- (unexpected)", in, (size_t)got);
    }
    if (!ended)
        printf("ctl: call ends (%s)\n", stop_flag ? "signal" : "hold time over");
    return release(notified_failure ? 3 : 0);
}

int main(int argc, char **argv)
{
    opts o;
    /* the UE's half of the MIKEY-TICKET exchange, for the demo's UE */
    if (argc == 4 && strcmp(argv[1], "mikey-ue") == 0)
        return ctl_mikey_ue(argv[2], argv[3]);
    if (!parse_opts(argc, argv, &o))
        return usage();
    full_print = o.full;
    /* TransactionIDs of this controller instance: a range of its own (H.248.1
     * §9.1: an id names one transaction of one sender; a gateway that keys its
     * reply cache on the id alone would answer a new call from a cache) */
    tid = 1000u + (uint32_t)(getpid() % 40000) * 100000u;
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    file offer = { 0, 0 }, answer = { 0, 0 };
    if (!read_file(o.offer, &offer) || !read_file(o.answer, &answer)) {
        free(offer.buf);
        return 2;
    }
    int rc = 2;
    if (ctl_udp_open(&udp, o.gateway, o.bind_port)) {
        rc = run(&o, &offer, &answer);
        ctl_udp_close(&udp);
    }
    free(offer.buf);
    free(answer.buf);
    return rc;
}
