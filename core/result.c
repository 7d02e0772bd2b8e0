/* core/result.c: names of the result codes (include/emsec/result.h). */
#include "emsec/result.h"

const char *emsec_result_name(emsec_result r)
{
    switch (r) {
    case EMSEC_OK: return "OK";
    case EMSEC_ERR_ARGUMENT: return "ERR_ARGUMENT";
    case EMSEC_ERR_SYNTAX: return "ERR_SYNTAX";
    case EMSEC_ERR_INCOMPLETE: return "ERR_INCOMPLETE";
    case EMSEC_ERR_LIMIT: return "ERR_LIMIT";
    case EMSEC_ERR_FAILED_BEFORE: return "ERR_FAILED_BEFORE";
    case EMSEC_ERR_NO_SPACE: return "ERR_NO_SPACE";
    case EMSEC_ERR_REFUSED: return "ERR_REFUSED";
    default: return "ERR_UNKNOWN";
    }
}
