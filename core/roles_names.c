/* Printable names for the role enums: stable, lower case, the words of
 * spec/roles.tbl and spec/reuse.tbl, so that a printed decision can be found
 * in the table by eye. */
#include "emsec/roles.h"

const char *emsec_media_kind_name(emsec_media_kind k)
{
    switch (k) {
    case EMSEC_KIND_MSRP: return "msrp";
    case EMSEC_KIND_BFCP: return "bfcp";
    case EMSEC_KIND_T38: return "t38";
    case EMSEC_KIND_TCP: return "tcp";
    case EMSEC_KIND_COUNT:
    default: return "?";
    }
}

const char *emsec_setup_name(emsec_setup s)
{
    switch (s) {
    case EMSEC_SETUP_ABSENT: return "absent";
    case EMSEC_SETUP_ACTIVE: return "active";
    case EMSEC_SETUP_PASSIVE: return "passive";
    case EMSEC_SETUP_ACTPASS: return "actpass";
    case EMSEC_SETUP_HOLDCONN: return "holdconn";
    case EMSEC_SETUP_COUNT:
    default: return "?";
    }
}

const char *emsec_connection_name(emsec_connection c)
{
    switch (c) {
    case EMSEC_CONNECTION_ABSENT: return "absent";
    case EMSEC_CONNECTION_NEW: return "new";
    case EMSEC_CONNECTION_EXISTING: return "existing";
    case EMSEC_CONNECTION_COUNT:
    default: return "?";
    }
}

const char *emsec_tls_id_name(emsec_tls_id t)
{
    switch (t) {
    case EMSEC_TLS_ID_ABSENT: return "absent";
    case EMSEC_TLS_ID_NEW: return "new";
    case EMSEC_TLS_ID_SAME: return "same";
    case EMSEC_TLS_ID_COUNT:
    default: return "?";
    }
}

const char *emsec_tcp_role_name(emsec_tcp_role r)
{
    switch (r) {
    case EMSEC_TCP_NONE: return "none";
    case EMSEC_TCP_ACTIVE: return "active";
    case EMSEC_TCP_PASSIVE: return "passive";
    case EMSEC_TCP_HOLD: return "hold";
    case EMSEC_TCP_KEEP: return "keep";
    case EMSEC_TCP_ROLE_COUNT:
    default: return "?";
    }
}

const char *emsec_tls_role_name(emsec_tls_role r)
{
    switch (r) {
    case EMSEC_TLS_NONE: return "none";
    case EMSEC_TLS_CLIENT: return "client";
    case EMSEC_TLS_SERVER: return "server";
    case EMSEC_TLS_KEEP: return "keep";
    case EMSEC_TLS_ROLE_COUNT:
    default: return "?";
    }
}

const char *emsec_refusal_name(emsec_refusal r)
{
    switch (r) {
    case EMSEC_REFUSAL_NONE: return "none";
    case EMSEC_REFUSAL_BOTH_ACTIVE: return "both_active";
    case EMSEC_REFUSAL_TLS_COLLISION: return "tls_collision";
    case EMSEC_REFUSAL_BOTH_PASSIVE: return "both_passive";
    case EMSEC_REFUSAL_ANSWER_ACTPASS: return "answer_actpass";
    case EMSEC_REFUSAL_HOLDCONN_MISMATCH: return "holdconn_mismatch";
    case EMSEC_REFUSAL_HOLDCONN_FORBIDDEN: return "holdconn_forbidden";
    case EMSEC_REFUSAL_CONNECTION_NEW_EXISTING: return "connection_new_existing";
    case EMSEC_REFUSAL_NO_EXISTING_CONNECTION: return "no_existing_connection";
    case EMSEC_REFUSAL_TLS_ID_CONFLICT: return "tls_id_conflict";
    case EMSEC_REFUSAL_COUNT:
    default: return "?";
    }
}
