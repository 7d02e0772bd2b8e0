/*
 * core/mg_internal.h: what the files of the gateway core share. Not public.
 */
#ifndef EMSEC_CORE_MG_INTERNAL_H
#define EMSEC_CORE_MG_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "emsec/mg.h"
#include "emsec/sdp.h"
#include "mg_model.h"

/* One transaction being executed. */
typedef struct mg_exec {
    emsec_mg *mg;
    const char *src;            /* the decoded message */
    const emsec_h248_msg *msg;
    emsec_mg_out *out;
    uint64_t now;
    uint16_t code;              /* H.248.8 error code of the failing command, 0 = none */
    char why[192];              /* its text (quotedString-safe) */
} mg_exec;

/* Record the first failure of the command (code, text); returns false. */
bool mg_fail(mg_exec *x, uint16_t code, const char *why);
/* 400 for an SDP body that does not parse, naming the body, rule and offset. */
bool mg_fail_sdp(mg_exec *x, const char *which, emsec_sdp_error e);

emsec_media_kind mg_kind_of(emsec_sdp_proto p, bool *secured, bool *tcp_based);
emsec_setup mg_setup_of(emsec_sdp_setup s);
emsec_setup mg_choose_setup(bool offerer, emsec_setup remote);
bool mg_read_remote(mg_exec *x, emsec_mg_term *t, const char *sdp, uint32_t len);
bool mg_write_local(mg_exec *x, emsec_mg_term *t, const char *sdp, uint32_t len);

#endif
