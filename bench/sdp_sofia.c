/*
 * `make bench` harness: sofia-sip's SDP parser (libsofia-sip-ua), the C peer.
 *
 * Per message: sdp_parse(home, msg, len, 0) + sdp_session() + sdp_parser_free().
 * Flags 0 = sofia's default (not sdp_f_strict). sdp_parse copies the message
 * into a memory home of its own and builds a tree of structs there: that copy
 * and those allocations are its real cost, and they are measured.
 * The checksum adds the number of m= lines and the o= session id.
 */
#define HARNESS_NAME "sofia-sip"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sofia-sip/su_alloc.h>
#include <sofia-sip/sdp.h>

static su_home_t home[1] = { SU_HOME_INIT(home) };

static int parse_one(const uint8_t *buf, uint32_t len, uint32_t flags,
                     uint64_t *sum, const char **why)
{
    (void)flags; /* emsec's leniency bits; sofia runs with its flags 0 */
    sdp_parser_t *p = sdp_parse(home, (const char *)buf, (issize_t)len, 0);
    sdp_session_t *s = sdp_session(p);
    if (s == NULL) {
        static char err[256];
        const char *e = sdp_parsing_error(p);
        snprintf(err, sizeof err, "%s", e ? e : "no session");
        *why = err; /* the parser's own string dies with it */
        sdp_parser_free(p);
        return -1;
    }
    uint64_t k = 0;
    for (sdp_media_t *m = s->sdp_media; m != NULL; m = m->m_next)
        k++;
    if (s->sdp_origin != NULL)
        k += s->sdp_origin->o_id;
    *sum += k;
    sdp_parser_free(p);
    return 0;
}

#include "harness.h"
