/*
 * core/ctl_internal.h: what the files of the controller module
 * (core/ctl_*.c) share: a bounded text writer and the SDP helpers.
 */
#ifndef EMSEC_CTL_INTERNAL_H
#define EMSEC_CTL_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "emsec/ctl.h"

/* Steps of a session (emsec_ctl_session.step). */
enum {
    CTL_STEP_NONE = 0,
    CTL_STEP_BEGUN = 1,    /* offer checked: the Add may be written */
    CTL_STEP_ADDED = 2,    /* the Add reply was taken */
    CTL_STEP_ANSWERED = 3, /* the answer went to the gateway */
};

/* A bounded writer: never writes at or past b[cap]; `full` once something
 * did not fit (len then counts only what was written). */
typedef struct ctl_w {
    char *b;
    uint32_t cap, len;
    bool full;
} ctl_w;

void ctl_put(ctl_w *w, const char *p, uint32_t n);
void ctl_str(ctl_w *w, const char *z);
void ctl_u32(ctl_w *w, uint32_t v);
/* Bytes of an SDP line into an H.248 octetString: `}` escaped `\}`
 * (H.248.1 B.2). */
void ctl_put_octets(ctl_w *w, const char *p, uint32_t n);
/* The end of a written text: EMSEC_OK with *out_len, or EMSEC_ERR_NO_SPACE. */
emsec_result ctl_done(const ctl_w *w, uint32_t *out_len);

/* Record a refusal with its explanation (pieces joined); returns
 * EMSEC_ERR_REFUSED. `b` and `c` may be NULL. */
emsec_result ctl_refuse(emsec_ctl_session *s, emsec_ctl_refusal r, const char *a,
                        const char *b, const char *c);

/* Parse `len` bytes of a full SDP into s->scratch; on failure a SDP refusal
 * naming `what`, the rule and the offset. */
emsec_result ctl_parse_full(emsec_ctl_session *s, const char *what, const char *sdp,
                            uint32_t len);

/* The media kind of a TCP-based MSRP / BFCP proto, and whether it is TLS;
 * false for any other proto. */
bool ctl_stream_kind(emsec_sdp_proto p, emsec_media_kind *kind, bool *tls);

/* emsec_setup of an SDP a=setup value. */
emsec_setup ctl_setup_of(emsec_sdp_setup s);

/* Write media section `mi` of s->scratch (parsed from `src`) in H.248's
 * form of SDP, for a Remote descriptor: v=0, its c= (media-level, else
 * session-level), its m= line, its a= lines, and the session-level
 * a=fingerprint / a=setup lines when it has none of its own (they apply to
 * it: RFC 8122 §5, RFC 4145 §4). */
void ctl_write_remote(ctl_w *w, const emsec_ctl_session *s, const char *src, uint32_t mi);

/* A line of a Local the gateway returned: the value after `prefix` (e.g.
 * "a=setup:"), found by scanning lines; false if absent. */
bool ctl_local_line(const char *sdp, uint32_t len, const char *prefix, uint32_t *off,
                    uint32_t *n);

/* The UE leg's first decision once the gateway's Local is known (the
 * gateway answered the UE's offer); s->scratch holds the offer, parsed. */
void ctl_decide_ue_first(emsec_ctl_session *s, const char *offer, uint32_t mi);

/* Parse the far end's answer into s->scratch and find its stream (same
 * kind, a port, the proto the core leg offered; E2E: a fingerprint). */
emsec_result ctl_check_answer(emsec_ctl_session *s, const char *answer, uint32_t len,
                              uint32_t *ami);

#endif /* EMSEC_CTL_INTERNAL_H */
