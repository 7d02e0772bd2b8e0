/*
 * emsecd: the emsec gateway daemon (IMS media plane security: MSRP and BFCP
 * over TLS over TCP, controlled over H.248). `emsecd` with no argument runs
 * on loopback defaults; `emsecd --help` lists every option. See
 * docs/emsecd.md.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <unistd.h>

#include "emsecd.h"

#define EMSECD_VERSION "0.1.0"

/* Build-time default for --state-dir (make EMSECD_STATE_DIR=...); at run
 * time $XDG_STATE_HOME/emsecd wins over ./emsecd-state when it is set. */
#ifndef EMSECD_STATE_DIR
#define EMSECD_STATE_DIR ""
#endif

static emsecd *the_daemon; /* for the signal handler only */

static void on_signal(int sig)
{
    if (the_daemon == NULL)
        return;
    if (sig == SIGUSR1)
        the_daemon->drain = 1;
    else
        the_daemon->stop = 1;
}

static void usage(FILE *to)
{
    fprintf(to,
            "usage: emsecd [OPTIONS]\n"
            "The emsec media gateway: H.248 over UDP or TCP in, MSRP/BFCP over TLS and TCP relayed.\n"
            "  --config FILE           read `key = value` lines (keys: the long options below);\n"
            "                          options given on the command line override the file\n"
            "  --listen ADDR:PORT      H.248 (text) address, UDP and TCP with TPKT (default\n"
            "                          127.0.0.1:2944)\n"
            "  --controller [tcp:]ADDR:PORT  register with this controller (ServiceChange\n"
            "                          Restart) and send it every Notify, over UDP, or with tcp:\n"
            "                          over a TCP connection (TPKT) the gateway keeps open;\n"
            "                          default: none, answer whoever sends commands\n"
            "  --metrics ADDR:PORT     Prometheus counters at http://ADDR:PORT/metrics\n"
            "                          (default: off)\n"
            "  --media-address ADDR    IPv4 address of the media legs: listened on and put in\n"
            "                          c= lines (default 127.0.0.1)\n"
            "  --ports MIN-MAX         media ports the gateway hands out for `$` (default 40000-40999)\n"
            "  --cert FILE --key FILE  own certificate and private key (PEM); without them a\n"
            "                          self-signed ECDSA P-256 one is created in the state dir\n"
            "  --state-dir DIR         where the created certificate lives (default\n"
            "                          $XDG_STATE_HOME/emsecd, else ./emsecd-state)\n"
            "  --mid MID               own H.248 mId (default [ADDR]:PORT of --listen)\n"
            "  --msrp-aware on|off     MSRP-aware interworking (default off): MSRP sessions without\n"
            "                          a=msrp-cema get To-Path/From-Path rewritten with the\n"
            "                          gateway's own URIs; everything else passes untouched\n"
            "  --workers N             threads carrying the media legs, 1 to 64 (default: one per\n"
            "                          online CPU); a context's legs stay in one of them\n"
            "  --drain-delay SECONDS   SIGUSR1's ServiceChangeDelay, 0 to 86400 (default 0: wait\n"
            "                          for the controller to release every session)\n"
            "  --max-waiting-delay MS  with --controller: each registration (at start-up, and\n"
            "                          again after one went unanswered) waits a random 0..MS\n"
            "                          first, 0 to 600000 (default 30000; RFC 3525 9.2)\n"
            "  --help                  this text\n"
            "  --version               print the version\n"
            "Logs go to stderr, one line per event. SIGTERM or SIGINT stops the daemon\n"
            "(ServiceChange Forced to the controller, every session closed). SIGUSR1 drains\n"
            "it: ServiceChange Graceful, sessions kept until the controller releases them\n"
            "(or the drain delay expires), then the stop of SIGTERM.\n"
            "exit status: 0 stopped on a signal, 1 start-up failed, 2 usage error\n");
}

/* Returns 0 to run, 1 when the process should exit 0 (help), 2 on a usage error. */
static int parse_args(int argc, char **argv, ed_config *cfg, char **cfg_strings, char *state_buf, size_t state_cap)
{
    enum {
        O_LISTEN = 256, O_MEDIA, O_PORTS, O_CERT, O_KEY, O_STATE, O_MID, O_HELP, O_VERSION, O_CONTROLLER, O_METRICS,
        O_CONFIG, O_MSRP_AWARE, O_WORKERS, O_DRAIN_DELAY, O_MWD,
    };
    static const struct option opts[] = {
        { "listen", required_argument, NULL, O_LISTEN }, { "media-address", required_argument, NULL, O_MEDIA },
        { "ports", required_argument, NULL, O_PORTS },   { "cert", required_argument, NULL, O_CERT },
        { "key", required_argument, NULL, O_KEY },       { "state-dir", required_argument, NULL, O_STATE },
        { "mid", required_argument, NULL, O_MID },       { "help", no_argument, NULL, O_HELP },
        { "version", no_argument, NULL, O_VERSION },     { "controller", required_argument, NULL, O_CONTROLLER },
        { "metrics", required_argument, NULL, O_METRICS }, { "config", required_argument, NULL, O_CONFIG },
        { "msrp-aware", required_argument, NULL, O_MSRP_AWARE },
        { "workers", required_argument, NULL, O_WORKERS },
        { "drain-delay", required_argument, NULL, O_DRAIN_DELAY },
        { "max-waiting-delay", required_argument, NULL, O_MWD },
        { NULL, 0, NULL, 0 },
    };
    cfg->listen = "127.0.0.1:2944";
    cfg->media_address = "127.0.0.1";
    cfg->port_min = 40000u;
    cfg->port_max = 40999u;
    cfg->mwd_ms = ED_DEFAULT_MWD_MS;
    int c;
    opterr = 0;
    /* first pass: --config only (the file is read before the flags, which
     * override it); usage errors are left to the second pass */
    const char *config = NULL;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1)
        if (c == O_CONFIG)
            config = optarg;
    if (config != NULL && ed_config_load(config, cfg, cfg_strings) != 0)
        return 2;
    optind = 0; /* glibc: a full re-initialisation of getopt */
    struct sockaddr_in sa;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case O_CONFIG: break;
        case O_LISTEN: cfg->listen = optarg; break;
        case O_CONTROLLER:
        case O_METRICS: {
            bool tcp = false;
            if (c == O_CONTROLLER ? !ed_parse_controller(optarg, &sa, &tcp) : !ed_parse_hostport(optarg, &sa)) {
                fprintf(stderr, "emsecd: --%s %s: expected %sIPv4ADDR:PORT\n",
                        c == O_CONTROLLER ? "controller" : "metrics", optarg, c == O_CONTROLLER ? "[tcp:|udp:]" : "");
                return 2;
            }
            *(c == O_CONTROLLER ? &cfg->controller : &cfg->metrics) = optarg;
            break;
        }
        case O_MEDIA: cfg->media_address = optarg; break;
        case O_PORTS:
            if (!ed_parse_ports(optarg, &cfg->port_min, &cfg->port_max)) {
                fprintf(stderr, "emsecd: --ports %s: expected MIN-MAX, 1 <= MIN <= MAX <= 65535\n", optarg);
                return 2;
            }
            break;
        case O_CERT: cfg->cert_file = optarg; break;
        case O_KEY: cfg->key_file = optarg; break;
        case O_STATE: cfg->state_dir = optarg; break;
        case O_MID: cfg->mid = optarg; break;
        case O_MSRP_AWARE:
            if (!ed_parse_on_off(optarg, &cfg->msrp_aware)) {
                fprintf(stderr, "emsecd: --msrp-aware %s: expected on or off\n", optarg);
                return 2;
            }
            break;
        case O_WORKERS:
            if (!ed_parse_workers(optarg, &cfg->workers)) {
                fprintf(stderr, "emsecd: --workers %s: expected a number from 1 to %u\n", optarg, ED_MAX_WORKERS);
                return 2;
            }
            break;
        case O_DRAIN_DELAY:
            if (!ed_parse_drain_delay(optarg, &cfg->drain_delay_s)) {
                fprintf(stderr, "emsecd: --drain-delay %s: expected seconds from 0 to %u\n", optarg,
                        ED_MAX_DRAIN_DELAY);
                return 2;
            }
            break;
        case O_MWD:
            if (!ed_parse_mwd(optarg, &cfg->mwd_ms)) {
                fprintf(stderr, "emsecd: --max-waiting-delay %s: expected milliseconds from 0 to %u\n", optarg,
                        ED_MAX_MWD_MS);
                return 2;
            }
            break;
        case 'h':
        case O_HELP: usage(stdout); return 1;
        case O_VERSION: puts("emsecd " EMSECD_VERSION); return 1;
        default:
            fprintf(stderr, "emsecd: unknown or incomplete option '%s'\n", argv[optind - 1]);
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "emsecd: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return 2;
    }
    if (cfg->state_dir == NULL) {
        const char *xdg = getenv("XDG_STATE_HOME");
        if (EMSECD_STATE_DIR[0] != '\0')
            snprintf(state_buf, state_cap, "%s", EMSECD_STATE_DIR);
        else if (xdg != NULL && xdg[0] == '/')
            snprintf(state_buf, state_cap, "%s/emsecd", xdg);
        else
            snprintf(state_buf, state_cap, "./emsecd-state");
        cfg->state_dir = state_buf;
    }
    return 0;
}

static void cleanup(emsecd *d)
{
    ed_workers_stop(d); /* every leg closed */
    ed_h248_tcp_close_all(d);
    ed_metrics_close_all(d);
    for (ed_notice *n = d->notice_head, *next; n != NULL; n = next) {
        next = n->next;
        free(n);
    }
    if (d->wake >= 0)
        close(d->wake);
    (void)pthread_mutex_destroy(&d->core_lock);
    (void)pthread_mutex_destroy(&d->fence_lock);
    (void)pthread_cond_destroy(&d->fence_cond);
    ed_req_free(d);
    free(d->reply_nodes);
    free(d->cfg_strings);
    ed_tls_free(d);
    X509_free(d->cert);
    EVP_PKEY_free(d->key);
    if (d->h248_fd >= 0)
        close(d->h248_fd);
    if (d->ep >= 0)
        close(d->ep);
    free(d->mg);
    free(d->text);
    free(d->notify);
    free(d->h248_buf);
    free(d);
}

int main(int argc, char **argv)
{
    ed_log_batch();
    emsecd *d = calloc(1, sizeof *d);
    if (d == NULL) {
        fprintf(stderr, "emsecd: out of memory\n");
        return 1;
    }
    d->ep = d->h248_fd = d->h248_tcp_lfd = d->metrics_lfd = d->wake = -1;
    memset(d->owner, ED_NO_WORKER, sizeof d->owner);
    pthread_condattr_t cattr;
    if (pthread_mutex_init(&d->core_lock, NULL) != 0 || pthread_mutex_init(&d->fence_lock, NULL) != 0 ||
        pthread_condattr_init(&cattr) != 0 || pthread_condattr_setclock(&cattr, CLOCK_MONOTONIC) != 0 ||
        pthread_cond_init(&d->fence_cond, &cattr) != 0) {
        fprintf(stderr, "emsecd: start-up failed: mutex\n");
        free(d);
        return 1;
    }
    (void)pthread_condattr_destroy(&cattr);
    for (uint16_t i = 0u; i < ED_H248_TCP_MAX; i++)
        d->tcp[i].fd = -1;
    for (uint16_t i = 0u; i < ED_METRICS_MAX_CONN; i++)
        d->http[i].fd = -1;
    d->ctl_slot = -1;
    d->ctl_on_up = -1;
    d->ctl_backoff_ms = ED_CTL_BACKOFF_FIRST_MS;
    char state_buf[4096];
    int pa = parse_args(argc, argv, &d->cfg, &d->cfg_strings, state_buf, sizeof state_buf);
    if (pa != 0) {
        cleanup(d);
        return pa == 1 ? 0 : 2;
    }
    char mid[128];
    if (d->cfg.mid == NULL) {
        struct sockaddr_in sa;
        if (!ed_parse_hostport(d->cfg.listen, &sa)) {
            fprintf(stderr, "emsecd: --listen %s: expected IPv4ADDR:PORT\n", d->cfg.listen);
            cleanup(d);
            return 2;
        }
        const char *colon = strrchr(d->cfg.listen, ':');
        snprintf(mid, sizeof mid, "[%.*s]%s", (int)(colon - d->cfg.listen), d->cfg.listen, colon);
        d->cfg.mid = mid;
    }
    d->mg = calloc(1, emsec_mg_size());
    d->text = malloc(ED_OUT_CAP);
    d->notify = malloc(ED_OUT_CAP);
    d->h248_buf = malloc(ED_MAX_H248 + 1u);
    d->reply_nodes = malloc(EMSEC_MG_MAX_NODES * sizeof *d->reply_nodes);
    d->ep = epoll_create1(EPOLL_CLOEXEC);
    d->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (d->mg == NULL || d->text == NULL || d->notify == NULL || d->h248_buf == NULL || d->reply_nodes == NULL ||
        d->ep < 0 || d->wake < 0) {
        fprintf(stderr, "emsecd: start-up failed: %s\n", d->ep < 0 ? strerror(errno) : "out of memory");
        cleanup(d);
        return 1;
    }
    uint32_t seed = 0u;
    if (getrandom(&seed, sizeof seed, 0) != (ssize_t)sizeof seed)
        seed = (uint32_t)getpid() ^ (uint32_t)ed_now_ms();
    if (ed_cert_load_or_create(d) != 0 || ed_tls_init(d) != 0) {
        cleanup(d);
        return 1;
    }
    emsec_mg_config mc = { d->cfg.mid, "tcp/", d->cfg.media_address, d->cfg.port_min, d->cfg.port_max,
                           d->fingerprint, 1u, seed };
    if (emsec_mg_init(d->mg, &mc) != EMSEC_OK) {
        fprintf(stderr, "emsecd: the core refused the configuration (mid %s, media %s, ports %u-%u)\n", d->cfg.mid,
                d->cfg.media_address, (unsigned)d->cfg.port_min, (unsigned)d->cfg.port_max);
        cleanup(d);
        return 1;
    }
    emsec_mg_set_msrp_aware(d->mg, d->cfg.msrp_aware);
    if (d->cfg.controller != NULL) {
        struct sockaddr_in ca;
        if (!ed_parse_controller(d->cfg.controller, &ca, &d->ctl_tcp)) {
            fprintf(stderr, "emsecd: --controller %s: expected [tcp:|udp:]IPv4ADDR:PORT\n", d->cfg.controller);
            cleanup(d);
            return 2;
        }
        memcpy(&d->controller, &ca, sizeof ca);
        d->controller_len = sizeof ca;
        d->has_controller = true;
        d->dest = d->ctl_tcp ? ED_DEST_NONE : ED_DEST_UDP;
    }
    if (ed_h248_open(d) != 0 || ed_h248_tcp_open(d) != 0 || ed_metrics_open(d) != 0 ||
        ed_epoll_set(d, d->wake, ED_TAG_WAKE, ED_NO_TERM, EPOLLIN, true) != 0) {
        cleanup(d);
        return 1;
    }
    if (d->cfg.workers == 0u) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        d->cfg.workers = n < 1 ? 1u : n > (long)ED_MAX_WORKERS ? ED_MAX_WORKERS : (uint32_t)n;
    }
    d->nworkers = d->cfg.workers;
    if (ed_workers_start(d) != 0) {
        fprintf(stderr, "emsecd: start-up failed: %u worker threads\n", (unsigned)d->nworkers);
        cleanup(d);
        return 1;
    }
    the_daemon = d;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    (void)sigaction(SIGTERM, &sa, NULL);
    (void)sigaction(SIGINT, &sa, NULL);
    (void)sigaction(SIGUSR1, &sa, NULL);
    signal(SIGPIPE, SIG_IGN); /* a peer gone mid-write is an errno, not a death */
    ed_log(NULL, "ready: mid %s, media %s ports %u-%u, state %s, msrp-aware %s, workers %u, controller %s, metrics %s",
           d->cfg.mid, d->cfg.media_address, (unsigned)d->cfg.port_min, (unsigned)d->cfg.port_max, d->cfg.state_dir,
           d->cfg.msrp_aware ? "on" : "off", (unsigned)d->nworkers,
           d->has_controller ? d->cfg.controller : "none (answering whoever sends commands)",
           d->cfg.metrics != NULL ? d->cfg.metrics : "off");
    /* H.248.1 §11.2: register with the controller (after RFC 3525 §9.2's
     * random wait; retransmitted by the loop) */
    if (d->has_controller && d->ctl_tcp)
        ed_ctl_tcp_connect(d); /* registers once connected (controller_tcp.c) */
    else if (d->has_controller)
        ed_sc_first(d);
    int rc = ed_loop_run(d) == 0 ? 0 : 1;
    if (rc == 0)
        ed_shutdown(d);
    ed_log(NULL, "stopped");
    the_daemon = NULL;
    cleanup(d);
    return rc;
}
