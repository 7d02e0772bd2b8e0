/*
 * SDP writer: round trips (parse -> write -> parse, same content) over the
 * accepted corpus files and hand-written inputs in both modes, exact
 * canonical output for a few inputs, NO_SPACE at every too-small capacity,
 * and the writer's refusals of a model that breaks its preconditions.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsec/sdp.h"
#include "emsec/sdp_write.h"
#include "sdp_equal.h"

/* The project's copy of the corpus; the shared one until it is copied. */
static const char *const corpus_dirs[] = { "tests/corpus/sdp", "/work/shared/corpus/sdp" };

static emsec_sdp p1, p2, p3;

static uint8_t *load(const char *path, uint32_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *b;
    long n;
    cr_assert_not_null(f, "cannot open %s", path);
    cr_assert_eq(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    cr_assert(n >= 0);
    cr_assert_eq(fseek(f, 0, SEEK_SET), 0);
    b = malloc((size_t)n + 1u);
    cr_assert_not_null(b);
    cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (uint32_t)n;
    return b;
}

/* Write sdp (over src) into a fresh buffer of exactly the size needed. */
static uint8_t *write_exact(const emsec_sdp *sdp, emsec_sdp_mode mode, const uint8_t *src,
                            uint32_t len, uint32_t *out_len)
{
    uint32_t need = 0, got = 0;
    uint8_t *w;
    cr_assert_eq(emsec_sdp_write(sdp, mode, src, len, NULL, 0, &need), EMSEC_ERR_NO_SPACE);
    cr_assert_gt(need, 0u);
    w = malloc(need);
    cr_assert_not_null(w);
    cr_assert_eq(emsec_sdp_write(sdp, mode, src, len, w, need, &got), EMSEC_OK);
    cr_assert_eq(got, need);
    *out_len = got;
    return w;
}

/*
 * If src parses (mode, flags): write, re-parse, compare by content; write
 * again: same bytes. Returns whether src was accepted. `what` names the input.
 */
static bool round_trip(const char *what, emsec_sdp_mode mode, uint32_t flags,
                       const uint8_t *src, uint32_t len)
{
    emsec_sdp_error e;
    char why[512];
    uint32_t n1, n2;
    uint8_t *w1, *w2;
    if (emsec_sdp_parse(&p1, mode, flags, src, len, &e) != EMSEC_OK) {
        return false;
    }
    w1 = write_exact(&p1, mode, src, len, &n1);
    emsec_result r = emsec_sdp_parse(&p2, mode, flags, w1, n1, &e);
    cr_assert_eq(r, EMSEC_OK, "%s (mode %d flags %x): written form refused: %s rule %s at %u\n%.*s",
                 what, (int)mode, (unsigned)flags, emsec_result_name(r),
                 emsec_sdp_rule_name(e.rule), (unsigned)e.offset, (int)n1, (const char *)w1);
    cr_assert(sdp_equal(&p1, src, len, &p2, w1, n1, SDP_EQ_ROUND_TRIP, why, sizeof why),
              "%s (mode %d flags %x): round trip differs: %s", what, (int)mode,
              (unsigned)flags, why);
    w2 = write_exact(&p2, mode, w1, n1, &n2);
    cr_assert(n1 == n2 && memcmp(w1, w2, n1) == 0, "%s: canonical form is not a fixed point",
              what);
    /* The canonical form ends every line with CRLF and has no lone LF. */
    for (uint32_t i = 0; i < n1; i++) {
        if (w1[i] == '\n') {
            cr_assert(i > 0 && w1[i - 1] == '\r', "%s: lone LF at %u of the output", what, i);
        }
    }
    free(w1);
    free(w2);
    return true;
}

typedef struct corpus_count {
    uint32_t files, full, full_lenient, h248;
} corpus_count;

static corpus_count round_trip_dir(const char *dir, bool fragments)
{
    corpus_count c = { 0, 0, 0, 0 };
    DIR *d = opendir(dir);
    struct dirent *de;
    if (d == NULL) {
        return c;
    }
    while ((de = readdir(d)) != NULL) {
        char path[512];
        uint32_t len;
        size_t nl = strlen(de->d_name);
        if (nl < 5 || strcmp(de->d_name + nl - 4, ".sdp") != 0) {
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        uint8_t *raw = load(path, &len);
        uint8_t *src = raw;
        if (fragments) {
            /* media sections only: an H.248 description "v=0" + the fragment */
            src = malloc(len + 5u);
            cr_assert_not_null(src);
            memcpy(src, "v=0\r\n", 5);
            memcpy(src + 5, raw, len);
            len += 5u;
        }
        c.files++;
        c.full += round_trip(path, EMSEC_SDP_MODE_FULL, 0, src, len);
        c.full_lenient += round_trip(path, EMSEC_SDP_MODE_FULL, EMSEC_SDP_LENIENT_ALL, src, len);
        c.h248 += round_trip(path, EMSEC_SDP_MODE_H248, 0, src, len);
        (void)round_trip(path, EMSEC_SDP_MODE_H248, EMSEC_SDP_LENIENT_ALL, src, len);
        if (src != raw) {
            free(src);
        }
        free(raw);
    }
    closedir(d);
    return c;
}

static const char *corpus_dir(void)
{
    for (size_t i = 0; i < sizeof corpus_dirs / sizeof corpus_dirs[0]; i++) {
        DIR *d = opendir(corpus_dirs[i]);
        if (d != NULL) {
            closedir(d);
            return corpus_dirs[i];
        }
    }
    return NULL;
}

Test(sdp_write, corpus_round_trip)
{
    const char *dir = corpus_dir();
    cr_assert_not_null(dir, "no SDP corpus (tests/corpus/sdp)");
    corpus_count c = round_trip_dir(dir, false);
    cr_log_info("corpus %s: %u files, accepted: %u strict, %u lenient, %u H.248", dir, c.files,
                c.full, c.full_lenient, c.h248);
    cr_assert_gt(c.files, 100u);
    /* Many RFC examples break RFC 8866 order (c= after t=, as RFC 2327
     * era texts print them) and a strict parser refuses them
     * (test_sdp_corpus.c records which); every accepted one round-trips. */
    cr_assert_geq(c.full_lenient, 10u);
    /* Every full description is also an H.248 one. */
    cr_assert_geq(c.h248, c.full);
}

Test(sdp_write, fragments_round_trip_h248)
{
    const char *dir = corpus_dir();
    char frag[512];
    cr_assert_not_null(dir);
    snprintf(frag, sizeof frag, "%s/fragments", dir);
    corpus_count c = round_trip_dir(frag, true);
    cr_log_info("fragments %s: %u files, %u accepted in H.248 mode", frag, c.files, c.h248);
    if (c.files > 0) {
        cr_assert_gt(c.h248, 0u);
    }
}

/* ------------------------------------------------------------ hand-written */
typedef struct rt_case {
    const char *name;
    emsec_sdp_mode mode;
    uint32_t flags;
    const char *in;
    const char *canon; /* expected output, or NULL to skip the exact check */
} rt_case;

#define FULL EMSEC_SDP_MODE_FULL
#define H248 EMSEC_SDP_MODE_H248

static const rt_case rt_cases[] = {
    { "minimal", FULL, 0,
      "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n",
      "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n" },
    { "lone LF becomes CRLF", FULL, 0,
      "v=0\no=- 0 0 IN IP4 192.0.2.1\ns=-\nt=0 0\nm=message 7394 TCP/MSRP *\na=setup:active\n",
      "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=message 7394 TCP/MSRP *\r\n"
      "a=setup:active\r\n" },
    { "MSRP over TLS offer", FULL, 0,
      "v=0\r\n"
      "o=alice 2890844526 2890844527 IN IP4 alice.example.com\r\n"
      "s=-\r\n"
      "c=IN IP4 alice.example.com\r\n"
      "t=0 0\r\n"
      "m=message 7394 TCP/TLS/MSRP *\r\n"
      "a=accept-types:text/plain message/cpim\r\n"
      "a=path:msrps://alice.example.com:7394/2s93i9ek2a;tcp\r\n"
      "a=setup:actpass\r\n"
      "a=connection:new\r\n"
      "a=fingerprint:sha-256 19:E2:1C:3B:4B:9F:81:E6:B8:5C:F4:A5:A8:D8:73:04:"
      "BB:05:2F:70:9F:04:A9:0E:05:E9:26:33:E8:70:88:A2\r\n"
      "a=tls-id:abc3de65cddef001be82\r\n"
      "a=msrp-cema\r\n",
      NULL },
    { "every session line", FULL, 0,
      "v=0\r\n"
      "o=jdoe 2890844526 2890842807 IN IP4 198.51.100.1\r\n"
      "s=SDP Seminar\r\n"
      "i=A Seminar on the session description protocol\r\n"
      "u=http://www.example.com/seminars/sdp.pdf\r\n"
      "e=j.doe@example.com (Jane Doe)\r\n"
      "p=+1 617 555-6011\r\n"
      "c=IN IP4 233.252.0.1/127\r\n"
      "b=CT:128\r\n"
      "t=2873397496 2873404696\r\n"
      "r=604800 3600 0 90000\r\n"
      "z=2882844526 -1h 2898848070 0\r\n"
      "k=prompt\r\n"
      "a=recvonly\r\n"
      "m=audio 49170 RTP/AVP 0\r\n"
      "i=the audio\r\n"
      "c=IN IP4 233.252.0.2/127\r\n"
      "c=IN IP4 233.252.0.3/127\r\n"
      "b=AS:64\r\n"
      "k=clear:secret\r\n"
      "a=rtpmap:0 PCMU/8000\r\n"
      "m=video 51372/2 RTP/AVP 99 98\r\n"
      "a=rtpmap:99 h263-1998/90000\r\n",
      NULL },
    { "BFCP", FULL, 0,
      "v=0\r\n"
      "o=bob 2808844564 2808844564 IN IP6 2001:db8::2\r\n"
      "s=-\r\n"
      "c=IN IP6 2001:db8::2\r\n"
      "t=0 0\r\n"
      "m=application 50000 TCP/TLS/BFCP *\r\n"
      "a=setup:passive\r\n"
      "a=connection:new\r\n"
      "a=fingerprint:sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB\r\n"
      "a=floorctrl:s-only\r\n"
      "a=confid:4321\r\n"
      "a=userid:1234\r\n"
      "a=floorid:1 mstrm:10\r\n"
      "a=bfcpver:1 2\r\n"
      "m=audio 50002 RTP/AVP 0\r\n"
      "a=label:10\r\n",
      NULL },
    { "key-mgmt", FULL, 0,
      "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n"
      "a=key-mgmt:mikey AQAFgM0XflABAAAAAAAAAAAAAAsAyONQ\r\n"
      "m=message 2855 TCP/TLS/MSRP *\r\n",
      NULL },
    { "H.248 local, gateway chooses", H248, 0,
      "v=0\r\nc=IN IP4 $\r\nm=message $ TCP/TLS/MSRP *\r\n"
      "a=setup:$\r\na=fingerprint:sha-256 $\r\n",
      "v=0\r\nc=IN IP4 $\r\nm=message $ TCP/TLS/MSRP *\r\n"
      "a=setup:$\r\na=fingerprint:sha-256 $\r\n" },
    { "H.248 unspecified", H248, 0,
      "v=0\nc=IN IP4 -\nm=application - TCP/BFCP *\na=setup:-\na=connection:-\n",
      "v=0\r\nc=IN IP4 -\r\nm=application - TCP/BFCP *\r\na=setup:-\r\na=connection:-\r\n" },
    { "H.248 remote with o/s/t", H248, 0,
      "v=0\r\no=- 7736844526 7736842807 IN IP4 125.125.125.111\r\ns=-\r\n"
      "c=IN IP4 125.125.125.111\r\nt=0 0\r\nm=audio 1111 RTP/AVP 4\r\na=ptime:30\r\n",
      NULL },
    { "H.248 two descriptions (first written)", H248, 0,
      "v=0\r\nc=IN IP4 $\r\nm=audio $ RTP/AVP 4\r\na=ptime:30\r\n"
      "v=0\r\nc=IN IP4 $\r\nm=audio $ RTP/AVP 0\r\n",
      "v=0\r\nc=IN IP4 $\r\nm=audio $ RTP/AVP 4\r\na=ptime:30\r\n" },
    { "lenient lower-case fingerprint", FULL, EMSEC_SDP_LENIENT_ALL,
      "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n"
      "m=image 5000 UDP/TLS/UDPTL t38\r\n"
      "a=fingerprint:sha-1 4a:ad:b9:b1:3f:82:18:3b:54:02:12:df:3e:5d:49:6b:19:e5:7c:ab\r\n",
      NULL },
    { "lenient no final line end", FULL, EMSEC_SDP_LENIENT_NO_FINAL_EOL,
      "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0",
      "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n" },
};

Test(sdp_write, hand_written_round_trip)
{
    for (size_t i = 0; i < sizeof rt_cases / sizeof rt_cases[0]; i++) {
        const rt_case *t = &rt_cases[i];
        const uint8_t *in = (const uint8_t *)t->in;
        uint32_t len = (uint32_t)strlen(t->in);
        emsec_sdp_error e = { 0, EMSEC_SDP_RULE_NONE };
        emsec_result r = emsec_sdp_parse(&p1, t->mode, t->flags, in, len, &e);
        cr_assert_eq(r, EMSEC_OK, "%s: %s rule %s at %u", t->name, emsec_result_name(r),
                     emsec_sdp_rule_name(e.rule), (unsigned)e.offset);
        cr_assert(round_trip(t->name, t->mode, t->flags, in, len));
        if (t->canon != NULL) {
            uint32_t n;
            cr_assert_eq(emsec_sdp_parse(&p1, t->mode, t->flags, in, len, &e), EMSEC_OK);
            uint8_t *w = write_exact(&p1, t->mode, in, len, &n);
            cr_assert(n == strlen(t->canon) && memcmp(w, t->canon, n) == 0,
                      "%s: wrote\n%.*s\nexpected\n%s", t->name, (int)n, (const char *)w,
                      t->canon);
            free(w);
        }
    }
}

/* Each description of an H.248 descriptor round-trips on its own. */
Test(sdp_write, h248_every_description)
{
    static const char in[] = "v=0\r\nc=IN IP4 $\r\nm=audio $ RTP/AVP 4\r\na=ptime:30\r\n"
                             "v=0\r\nc=IN IP4 $\r\nm=audio $ RTP/AVP 0\r\n"
                             "v=0\r\nc=IN IP4 192.0.2.9\r\nm=message 7 TCP/MSRP *\r\n";
    static const char *const want[] = {
        "v=0\r\nc=IN IP4 $\r\nm=audio $ RTP/AVP 4\r\na=ptime:30\r\n",
        "v=0\r\nc=IN IP4 $\r\nm=audio $ RTP/AVP 0\r\n",
        "v=0\r\nc=IN IP4 192.0.2.9\r\nm=message 7 TCP/MSRP *\r\n",
    };
    const uint8_t *b = (const uint8_t *)in;
    uint32_t len = (uint32_t)strlen(in), start = 0, n = 0;
    emsec_sdp_error e;
    for (;;) {
        uint32_t wl;
        cr_assert_eq(emsec_sdp_parse_from(&p3, H248, 0, b, len, start, &e), EMSEC_OK,
                     "description %u: rule %s at %u", n, emsec_sdp_rule_name(e.rule), e.offset);
        cr_assert_lt(n, 3u);
        uint8_t *w = write_exact(&p3, H248, b, len, &wl);
        cr_assert(wl == strlen(want[n]) && memcmp(w, want[n], wl) == 0, "description %u", n);
        free(w);
        n++;
        if (!p3.has_next) {
            break;
        }
        cr_assert_gt(p3.next, start);
        start = p3.next;
    }
    cr_assert_eq(n, 3u);
}

/* ------------------------------------------------------------ NO_SPACE */
Test(sdp_write, no_space_at_every_capacity)
{
    const rt_case *t = &rt_cases[2]; /* MSRP over TLS offer */
    const uint8_t *in = (const uint8_t *)t->in;
    uint32_t len = (uint32_t)strlen(t->in), full_len, got;
    emsec_sdp_error e;
    enum { GUARD = 16 };
    cr_assert_eq(emsec_sdp_parse(&p1, t->mode, t->flags, in, len, &e), EMSEC_OK);
    uint8_t *full = write_exact(&p1, t->mode, in, len, &full_len);
    uint8_t *buf = malloc(full_len + GUARD);
    cr_assert_not_null(buf);
    for (uint32_t cap = 0; cap < full_len; cap++) {
        memset(buf, 0xA5, full_len + GUARD);
        got = 12345;
        cr_assert_eq(emsec_sdp_write(&p1, t->mode, in, len, buf, cap, &got),
                     EMSEC_ERR_NO_SPACE, "cap %u", cap);
        cr_assert_eq(got, full_len, "cap %u: out_len is the size needed", cap);
        cr_assert(memcmp(buf, full, cap) == 0, "cap %u: prefix differs", cap);
        for (uint32_t i = cap; i < full_len + GUARD; i++) {
            cr_assert_eq(buf[i], 0xA5, "cap %u: byte %u written past out_cap", cap, i);
        }
    }
    /* exactly enough, and more than enough */
    cr_assert_eq(emsec_sdp_write(&p1, t->mode, in, len, buf, full_len, &got), EMSEC_OK);
    cr_assert_eq(got, full_len);
    cr_assert_eq(emsec_sdp_write(&p1, t->mode, in, len, buf, full_len + GUARD, &got), EMSEC_OK);
    cr_assert_eq(got, full_len);
    cr_assert(memcmp(buf, full, full_len) == 0);
    free(buf);
    free(full);
}

/* ------------------------------------------------------------ refusals */
Test(sdp_write, refuses_broken_preconditions)
{
    const rt_case *t = &rt_cases[2];
    const uint8_t *in = (const uint8_t *)t->in;
    uint32_t len = (uint32_t)strlen(t->in), got = 7;
    uint8_t out[2048];
    emsec_sdp_error e;
    cr_assert_eq(emsec_sdp_parse(&p1, FULL, 0, in, len, &e), EMSEC_OK);

    cr_assert_eq(emsec_sdp_write(&p1, FULL, in, len, out, sizeof out, NULL), EMSEC_ERR_ARGUMENT);
    cr_assert_eq(emsec_sdp_write(NULL, FULL, in, len, out, sizeof out, &got), EMSEC_ERR_ARGUMENT);
    cr_assert_eq(got, 0u);
    cr_assert_eq(emsec_sdp_write(&p1, FULL, NULL, len, out, sizeof out, &got),
                 EMSEC_ERR_ARGUMENT);
    cr_assert_eq(emsec_sdp_write(&p1, FULL, in, len, NULL, 10, &got), EMSEC_ERR_ARGUMENT);
    cr_assert_eq(emsec_sdp_write(&p1, (emsec_sdp_mode)0, in, len, out, sizeof out, &got),
                 EMSEC_ERR_ARGUMENT);
    /* a source shorter than the spans */
    cr_assert_eq(emsec_sdp_write(&p1, FULL, in, len - 10u, out, sizeof out, &got),
                 EMSEC_ERR_ARGUMENT);
    cr_assert_eq(got, 0u);

    /* a span outside src */
    p2 = p1;
    p2.attrs[0].value.off = UINT32_MAX - 1u;
    cr_assert_eq(emsec_sdp_write(&p2, FULL, in, len, out, sizeof out, &got), EMSEC_ERR_ARGUMENT);
    /* counts past the limits */
    p2 = p1;
    p2.attr_count = EMSEC_SDP_MAX_ATTRS + 1u;
    cr_assert_eq(emsec_sdp_write(&p2, FULL, in, len, out, sizeof out, &got), EMSEC_ERR_ARGUMENT);
    p2 = p1;
    p2.line_count = EMSEC_SDP_MAX_LINES + 1u;
    cr_assert_eq(emsec_sdp_write(&p2, FULL, in, len, out, sizeof out, &got), EMSEC_ERR_ARGUMENT);
    p2 = p1;
    p2.media_count = EMSEC_SDP_MAX_MEDIA + 1u;
    cr_assert_eq(emsec_sdp_write(&p2, FULL, in, len, out, sizeof out, &got), EMSEC_ERR_ARGUMENT);
    /* an attribute in a section that does not exist / out of order */
    p2 = p1;
    p2.attrs[p2.attr_count - 1u].section = 2;
    cr_assert_eq(emsec_sdp_write(&p2, FULL, in, len, out, sizeof out, &got), EMSEC_ERR_ARGUMENT);
    p2 = p1;
    p2.attrs[0].section = 0; /* media attribute before... fine */
    p2.attrs[1].section = 0; /* ...but now attrs[0..1] session, attrs[2] media: still in order */
    cr_assert_eq(emsec_sdp_write(&p2, FULL, in, len, out, sizeof out, &got), EMSEC_OK);
    p2 = p1;
    p2.lines[p2.line_count - 1u].section = 0; /* the m= line in the session section */
    cr_assert_eq(emsec_sdp_write(&p2, FULL, in, len, out, sizeof out, &got), EMSEC_ERR_ARGUMENT);
    /* FULL mode refuses a `$` value and a missing o= */
    p2 = p1;
    p2.media[0].port_choice = EMSEC_SDP_CHOOSE;
    cr_assert_eq(emsec_sdp_write(&p2, FULL, in, len, out, sizeof out, &got), EMSEC_ERR_ARGUMENT);
    cr_assert_eq(emsec_sdp_write(&p2, H248, in, len, out, sizeof out, &got), EMSEC_OK);
    p2 = p1;
    p2.origin.present = 0;
    cr_assert_eq(emsec_sdp_write(&p2, FULL, in, len, out, sizeof out, &got), EMSEC_ERR_ARGUMENT);
}

/* An H.248 parse with `$` cannot be written as a full description. */
Test(sdp_write, h248_choose_not_writable_as_full)
{
    const rt_case *t = &rt_cases[6];
    const uint8_t *in = (const uint8_t *)t->in;
    uint32_t len = (uint32_t)strlen(t->in), got;
    uint8_t out[512];
    emsec_sdp_error e;
    cr_assert_eq(emsec_sdp_parse(&p1, H248, 0, in, len, &e), EMSEC_OK);
    cr_assert_eq(emsec_sdp_write(&p1, FULL, in, len, out, sizeof out, &got), EMSEC_ERR_ARGUMENT);
    cr_assert_eq(emsec_sdp_write(&p1, H248, in, len, out, sizeof out, &got), EMSEC_OK);
}
