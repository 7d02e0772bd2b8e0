/*
 * Shared driver for the C harnesses of `make bench` (see docs/PERFORMANCE.md).
 *
 * A harness defines HARNESS_NAME and one function
 *     static int parse_one(const uint8_t *buf, uint32_t len, uint32_t flags,
 *                          uint64_t *sum, const char **why);
 * that parses one whole message, returns 0 on success (and adds something it
 * read from the parsed result to *sum, so that nothing is optimized away) or
 * -1 on failure (with a short reason in *why), then includes this file.
 *
 * Usage:
 *   harness --check LIST            print "ACCEPT path" / "REJECT path: why"
 *   harness --bench LIST SECS WARM  load every message of LIST into memory,
 *                                   parse the whole set for WARM seconds
 *                                   (warm-up), then for SECS seconds, and print
 *                                   one RESULT line: wall-clock rates, and
 *                                   the CPU time (user + system, all threads)
 *                                   the process used while timed, so that a
 *                                   busy machine shows (cpu_share < 1)
 * LIST is a file with one message a line: its path, then optionally a space
 * and the parser flags the corpus lists for it (hex, e.g. 0x4; emsec's
 * EMSEC_SDP_LENIENT_* bits; the peers ignore them).
 */
#ifndef BENCH_HARNESS_H
#define BENCH_HARNESS_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

typedef struct bench_msg {
    char *path;
    uint8_t *buf;
    uint32_t len;
    uint32_t flags;
} bench_msg;

static int parse_one(const uint8_t *buf, uint32_t len, uint32_t flags,
                     uint64_t *sum, const char **why);

static void die(const char *what, const char *arg)
{
    fprintf(stderr, "bench %s: %s%s%s\n", HARNESS_NAME, what,
            arg ? ": " : "", arg ? arg : "");
    exit(2);
}

static uint8_t *load_file(const char *path, uint32_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        die("cannot open", path);
    size_t cap = 4096, n = 0;
    uint8_t *b = malloc(cap + 1);
    if (b == NULL)
        die("out of memory", NULL);
    for (;;) {
        size_t r = fread(b + n, 1, cap - n, f);
        n += r;
        if (n < cap)
            break;
        cap *= 2;
        b = realloc(b, cap + 1);
        if (b == NULL)
            die("out of memory", NULL);
    }
    fclose(f);
    b[n] = 0; /* not part of the message; only for printing */
    *len = (uint32_t)n;
    return b;
}

static bench_msg *load_list(const char *list, size_t *count, uint64_t *bytes)
{
    FILE *f = fopen(list, "r");
    if (f == NULL)
        die("cannot open list", list);
    size_t cap = 64, n = 0;
    bench_msg *m = malloc(cap * sizeof *m);
    char line[4096];
    *bytes = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\r\n")] = 0;
        if (line[0] == 0)
            continue;
        if (n == cap) {
            cap *= 2;
            m = realloc(m, cap * sizeof *m);
        }
        if (m == NULL)
            die("out of memory", NULL);
        char *sp = strchr(line, ' ');
        m[n].flags = 0;
        if (sp != NULL) {
            *sp = 0;
            m[n].flags = (uint32_t)strtoul(sp + 1, NULL, 16);
        }
        m[n].path = strdup(line);
        m[n].buf = load_file(line, &m[n].len);
        *bytes += m[n].len;
        n++;
    }
    fclose(f);
    if (n == 0)
        die("empty message list", list);
    *count = n;
    return m;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of the whole process (user + system), seconds. */
static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

/* One pass over the whole set; every message must parse. */
static uint64_t one_pass(const bench_msg *m, size_t n)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        const char *why = "?";
        if (parse_one(m[i].buf, m[i].len, m[i].flags, &sum, &why) != 0) {
            fprintf(stderr, "bench %s: FAILED to parse %s: %s\n",
                    HARNESS_NAME, m[i].path, why);
            exit(1);
        }
    }
    return sum;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--check") == 0) {
        size_t n;
        uint64_t bytes;
        bench_msg *m = load_list(argv[2], &n, &bytes);
        for (size_t i = 0; i < n; i++) {
            uint64_t sum = 0;
            const char *why = "?";
            if (parse_one(m[i].buf, m[i].len, m[i].flags, &sum, &why) == 0)
                printf("ACCEPT %s\n", m[i].path);
            else
                printf("REJECT %s: %s\n", m[i].path, why);
        }
        return 0;
    }
    if (argc != 5 || strcmp(argv[1], "--bench") != 0) {
        fprintf(stderr, "usage: %s --check LIST | --bench LIST SECS WARMUP\n",
                argv[0]);
        return 2;
    }
    size_t n;
    uint64_t bytes;
    bench_msg *m = load_list(argv[2], &n, &bytes);
    double secs = atof(argv[3]), warm = atof(argv[4]);

    /* Warm-up: caches, branch predictors, allocator pools. */
    uint64_t check = 0, first = one_pass(m, n);
    double t0 = now_s();
    while (now_s() - t0 < warm)
        if (one_pass(m, n) != first)
            die("checksum differs between passes", NULL);

    uint64_t passes = 0;
    double c0 = cpu_s();
    t0 = now_s();
    double t1;
    do {
        check += one_pass(m, n);
        passes++;
        t1 = now_s();
    } while (t1 - t0 < secs);
    double cpu = cpu_s() - c0;
    if (check != first * passes)
        die("checksum differs between passes", NULL);

    double el = t1 - t0;
    double msgs = (double)passes * (double)n;
    if (cpu <= 0.0)
        cpu = 1e-6;
    printf("RESULT parser=%s messages=%zu bytes=%" PRIu64 " passes=%" PRIu64
           " seconds=%.3f msgs_per_s=%.0f mb_per_s=%.2f cpu_seconds=%.3f"
           " msgs_per_cpu_s=%.0f cpu_share=%.2f checksum=%" PRIu64 "\n",
           HARNESS_NAME, n, bytes, passes, el, msgs / el,
           (double)passes * (double)bytes / el / 1e6, cpu, msgs / cpu, cpu / el,
           first);
    return 0;
}

#endif /* BENCH_HARNESS_H */
