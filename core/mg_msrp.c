/*
 * core/mg_msrp.c: what the MSRP-aware relay needs of a termination's SDP:
 * the a=path values that make its emsec_msrp_session (include/emsec/msrp.h).
 * Whether a FORWARD is MSRP-aware at all is decided in core/mg_drive.c
 * (msrp_aware, proved with the driver).
 */
#include <string.h>

#include "emsec/mg.h"
#include "emsec/sdp.h"
#include "mg_model.h"

/*@ requires mg == \null || \valid(mg);
    assigns mg->msrp_aware;
    ensures mg != \null ==> mg->msrp_aware == on;
*/
void emsec_mg_set_msrp_aware(emsec_mg *mg, bool on)
{
    if (mg != NULL)
        mg->msrp_aware = on;
}

/* Proved (proofs/run.sh, step 2c) against the parser's char entry
 * (emsec_sdp_parse_text, assumed) and emsec_sdp_find_attr's contract: the
 * path handed out lies inside the SDP kept for that side of the term. The
 * check of the span against sdp_len stays although emsec_sdp_ok implies it:
 * the parser's contract is assumed, not proved. */
/*@ requires mg == \null || \valid(mg);
    requires path == \null || \valid(path);
    requires len == \null || \valid(len);
    requires mg != \null && path != \null && len != \null ==> \separated(mg, path, len);
    requires mg != \null && term < EMSEC_MG_MAX_TERMS ==>
      mg->term[term].remote_len <= EMSEC_MG_MAX_SDP && mg->term[term].local_len <= EMSEC_MG_MAX_SDP;
    assigns mg->sdp, *path, *len;
    ensures found: \result ==> mg != \null && path != \null && len != \null &&
      term < EMSEC_MG_MAX_TERMS && mg->term[term].used && *len > 0 &&
      \exists integer o; 0 <= o &&
        (remote ==> o + *len <= mg->term[term].remote_len && *path == &mg->remote_sdp[term][o]) &&
        (!remote ==> o + *len <= mg->term[term].local_len && *path == &mg->local_sdp[term][o]);
    ensures untouched: !\result && path != \null && len != \null ==>
      *path == \old(*path) && *len == \old(*len);
*/
bool emsec_mg_term_msrp_path(emsec_mg *mg, uint16_t term, bool remote, const char **path, uint32_t *len)
{
    if (mg == NULL || path == NULL || len == NULL || term >= EMSEC_MG_MAX_TERMS || !mg->term[term].used)
        return false;
    const emsec_mg_term *t = &mg->term[term];
    const char *sdp = remote ? mg->remote_sdp[term] : mg->local_sdp[term];
    uint32_t sdp_len = remote ? t->remote_len : t->local_len;
    emsec_sdp_error e;
    if (sdp_len == 0u ||
        emsec_sdp_parse_text(&mg->sdp, EMSEC_SDP_MODE_H248, 0u, sdp, sdp_len, &e) != EMSEC_OK ||
        mg->sdp.media_count == 0u)
        return false;
    /* RFC 4975 §8.1: a=path is a media-level attribute of the MSRP m= line */
    uint32_t i = emsec_sdp_find_attr(&mg->sdp, 1u, EMSEC_SDP_ATTR_PATH, 0u);
    if (i >= mg->sdp.attr_count)
        return false;
    const emsec_sdp_attr *a = &mg->sdp.attrs[i];
    /* the writer fills the Local's `$`; a `$` or `-` left is no path */
    if (!a->has_value || a->choice != EMSEC_SDP_VALUE || a->value.len == 0u ||
        (uint64_t)a->value.off + a->value.len > sdp_len)
        return false;
    *path = sdp + a->value.off;
    *len = a->value.len;
    return true;
}
