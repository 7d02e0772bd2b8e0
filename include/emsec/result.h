/*
 * emsec: the one result type, and the span type every parser returns.
 *
 * Conventions for every public function of emsec (they become ACSL `requires`
 * clauses in core/):
 *   - pointers passed in are valid and non-NULL unless the header says
 *     "may be NULL";
 *   - lengths are uint32_t; a buffer and its length describe readable memory;
 *   - nothing is allocated: every object lives in memory the caller owns;
 *   - a function that can fail returns emsec_result, and the compiler refuses
 *     to let the caller ignore it (EMSEC_MUST_USE with -Werror).
 */
#ifndef EMSEC_RESULT_H
#define EMSEC_RESULT_H

#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define EMSEC_MUST_USE __attribute__((warn_unused_result))
#else
#define EMSEC_MUST_USE
#endif

/*
 * Every failure has its own code so that a trace names the site that failed.
 * EMSEC_OK is 0; every other value is a failure. New codes are appended,
 * never renumbered (vendors log the numbers).
 */
typedef enum emsec_result {
    EMSEC_OK = 0,
    EMSEC_ERR_ARGUMENT = 1,      /* a precondition of the call does not hold */
    EMSEC_ERR_SYNTAX = 2,        /* input does not match the grammar */
    EMSEC_ERR_INCOMPLETE = 3,    /* input ended inside a construct */
    EMSEC_ERR_LIMIT = 4,         /* a documented fixed limit was reached */
    EMSEC_ERR_FAILED_BEFORE = 5, /* an earlier call failed; reset first */
    EMSEC_ERR_NO_SPACE = 6,      /* the caller's output buffer is too small */
    EMSEC_ERR_REFUSED = 7,       /* a rule of a table refuses the input */
} emsec_result;

/* A span into a buffer the caller owns: bytes [off, off + len). */
typedef struct emsec_span {
    uint32_t off;
    uint32_t len;
} emsec_span;

/* Short, stable name of a result code, for logs and the CLI. Never NULL. */
const char *emsec_result_name(emsec_result r);

#endif /* EMSEC_RESULT_H */
