/*
 * emsec: the H.248 profile of the gateway: which package items it knows, what
 * values they take, where they are legal, whether they may be audited back and
 * whether they are secret.
 *
 * The profile is ONE hand-written table, spec/h248_profile.tbl, compiled by
 * `make gen` into gen/h248_profile_table.c. The decoder's checks, the encoder
 * and the core all ask this header; none keeps its own list. The tcpbcc and
 * tlsbsc names are provisional (DESIGN.md "H.248 profile"); a vendor maps them
 * to the official H.248.89 / H.248.90 names by editing that one file.
 *
 * Matching. Package, item and parameter names, enumeration words and boolean
 * words are compared without regard to ASCII case (H.248.1 Annex B.2:
 * "Everything in the ABNF and text encoding is case insensitive"; the Erlang/
 * OTP megaco stack lowercases them). Hex digits likewise. Quoted strings are
 * compared byte for byte.
 *
 * Values. A value is passed exactly as written in the message: for a
 * quotedString INCLUDING both double quotes (with the decoder's spans: the
 * value span widened by one byte on each side), so that the Annex B.2 form
 * rules can be checked: a string type MUST be quoted; uint, enum and boolean
 * MUST be SafeChar (unquoted); hex may be either. An empty value (len 0) means
 * "no value".
 *
 * H.248.8 error codes returned (their texts are rows of spec/h248_profile.tbl;
 * emsec_h248_error_text() gives them). Which code for which failure:
 *   440 Unsupported or unknown Package     the package is not in the profile
 *   445 Unsupported or Unknown Property    property place (LocalControl,
 *                                          TerminationState, ContextAttr): the
 *                                          package has no item of that name
 *   450 No such property in this package  property place: the name is an item
 *                                          of the package, but not a property
 *   451 No such event in this package     Events / ObservedEvents: no event of
 *                                          that name (or not legal there)
 *   452 No such signal in this package    Signals: likewise for signals
 *   453 No such statistic in this package Statistics: likewise for statistics
 *   455 Property illegal in this Descriptor  a property of the profile at a
 *                                          property place its row does not list
 *   446 Unsupported or Unknown Parameter   a signal / event parameter the
 *                                          item does not have, or has but not
 *                                          in this descriptor
 *   449 Unsupported or Unknown Parameter or Property Value
 *                                          the value is outside the row's
 *                                          domain or in the wrong form
 *   534 Illegal write or read only property  a value for a read-only property
 *   501 Not Implemented                    an audit of an item that is never
 *                                          audited back (tlsbsc/psk, pskid)
 * The codes are H.248.8's; RFC 3525 §7.3 defers the list to H.248.8.
 *
 * Everything here is pure: no allocation, no I/O; the table is const.
 */
#ifndef EMSEC_H248_PROFILE_H
#define EMSEC_H248_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

#include "emsec/result.h"

/* H.248.8 codes the profile returns (see the list above). */
#define EMSEC_H248_CODE_UNKNOWN_PACKAGE      440u
#define EMSEC_H248_CODE_UNKNOWN_PROPERTY     445u
#define EMSEC_H248_CODE_UNKNOWN_PARAMETER    446u
#define EMSEC_H248_CODE_BAD_VALUE            449u
#define EMSEC_H248_CODE_NO_SUCH_PROPERTY     450u
#define EMSEC_H248_CODE_NO_SUCH_EVENT        451u
#define EMSEC_H248_CODE_NO_SUCH_SIGNAL       452u
#define EMSEC_H248_CODE_NO_SUCH_STATISTIC    453u
#define EMSEC_H248_CODE_PROPERTY_ILLEGAL     455u
#define EMSEC_H248_CODE_NOT_IMPLEMENTED      501u
#define EMSEC_H248_CODE_READ_ONLY            534u

/* Where in a message an item appears. 0 is not a place. */
typedef enum emsec_h248_place {
    EMSEC_H248_PLACE_NONE = 0,
    EMSEC_H248_PLACE_LOCAL_CONTROL = 1,     /* LocalControl descriptor (property) */
    EMSEC_H248_PLACE_TERMINATION_STATE = 2, /* TerminationState descriptor (property) */
    EMSEC_H248_PLACE_CONTEXT_ATTR = 3,      /* contextAttrDescriptor (property) */
    EMSEC_H248_PLACE_SIGNALS = 4,           /* Signals descriptor (signal) */
    EMSEC_H248_PLACE_EVENTS = 5,            /* Events descriptor (event) */
    EMSEC_H248_PLACE_OBSERVED_EVENTS = 6,   /* ObservedEvents descriptor (event) */
    EMSEC_H248_PLACE_STATISTICS = 7,        /* Statistics descriptor (statistic) */
    EMSEC_H248_PLACE_COUNT = 8
} emsec_h248_place;

/* The bit of a place in emsec_h248_profile_row.places. */
#define EMSEC_H248_PLACE_BIT(p) ((uint16_t)(1u << (unsigned)(p)))

/* What a row is. 0 is not a kind. */
typedef enum emsec_h248_kind {
    EMSEC_H248_KIND_NONE = 0,
    EMSEC_H248_KIND_PROPERTY = 1,
    EMSEC_H248_KIND_SIGNAL = 2,
    EMSEC_H248_KIND_EVENT = 3,
    EMSEC_H248_KIND_STATISTIC = 4,
    EMSEC_H248_KIND_EVENT_PARAM = 5,  /* a parameter of an event */
    EMSEC_H248_KIND_SIGNAL_PARAM = 6, /* a parameter of a signal */
    EMSEC_H248_KIND_COUNT = 7
} emsec_h248_kind;

/* The type of a row's value. 0 is not a type. */
typedef enum emsec_h248_type {
    EMSEC_H248_TYPE_INVALID = 0,
    EMSEC_H248_TYPE_NONE = 1,    /* no value: signals and events themselves */
    EMSEC_H248_TYPE_ENUM = 2,    /* one of values[0 .. nvalues-1] */
    EMSEC_H248_TYPE_HEX = 3,     /* hex octet string, min..max octets */
    EMSEC_H248_TYPE_STRING = 4,  /* quotedString, min..max octets inside the quotes */
    EMSEC_H248_TYPE_UINT = 5,    /* decimal or 0x-hex, min..max */
    EMSEC_H248_TYPE_BOOLEAN = 6, /* on / off */
    EMSEC_H248_TYPE_COUNT = 7
} emsec_h248_type;

/* One row of spec/h248_profile.tbl. No pointer is NULL. */
typedef struct emsec_h248_profile_row {
    uint16_t row;                /* 1-based position among the item rows of the spec */
    const char *package;         /* spelled as the table spells it: the encoder writes this */
    const char *name;            /* the item; for a parameter row, its signal / event */
    const char *param;           /* the parameter for *_PARAM kinds, else "" */
    emsec_h248_kind kind;
    emsec_h248_type type;
    uint16_t places;             /* EMSEC_H248_PLACE_BIT()s where it is legal */
    bool auditable;              /* may be returned by an audit (never when secret) */
    bool secret;                 /* the value is never logged */
    bool read_only;              /* property / statistic not writable by the controller */
    uint64_t min, max;           /* UINT: range; HEX, STRING: octets; else 0 */
    const char *const *values;   /* ENUM: the words; else a one-element "" array */
    uint8_t nvalues;             /* ENUM: how many words; else 0 */
    const char *rule;            /* where the row comes from */
} emsec_h248_profile_row;

/*
 * May item `pkgd` with `value` appear at `place` in a message from the
 * controller?
 * requires: h248_error valid; pkgd valid for pkgd_len bytes; value valid for
 *           value_len bytes (value may be NULL when value_len is 0).
 *           pkgd is `package/item` naming ONE item (Annex B pkgdName without
 *           wildcards): the caller expands a wildcard item or package
 *           ("*" in Annex B) with emsec_h248_profile_at().
 *           place is a place other than NONE and below COUNT.
 *           value as described at the top (quotes included); len 0 = none.
 * ensures:  EMSEC_OK, *h248_error == 0: the item is a row of the kind the place
 *             holds (property, signal, event, statistic), legal at the place,
 *             not a read-only property given a value, and the value is in the
 *             row's domain; a signal or event has no value; a statistic has
 *             none or a valid one.
 *           EMSEC_ERR_REFUSED, *h248_error = the H.248.8 code (list at the top),
 *             checked in the order: package, item, place, read-only, value.
 *           EMSEC_ERR_ARGUMENT, *h248_error == 0: pkgd is not NAME "/" NAME,
 *             or place is out of range.
 */
EMSEC_MUST_USE emsec_result emsec_h248_profile_check(const char *pkgd, uint32_t pkgd_len,
                                                     emsec_h248_place place, const char *value,
                                                     uint32_t value_len, uint16_t *h248_error);

/*
 * May parameter `param` of signal / event `pkgd` carry `value` at `place`?
 * requires: as emsec_h248_profile_check; param valid for param_len bytes;
 *           place is SIGNALS, EVENTS or OBSERVED_EVENTS (the descriptor the
 *           signal or event is in).
 * ensures:  EMSEC_OK, *h248_error == 0: the signal / event passes
 *             emsec_h248_profile_check at place with no value, param is one of
 *             its parameter rows, legal in that descriptor, and value is in
 *             the parameter's domain.
 *           EMSEC_ERR_REFUSED: the code emsec_h248_profile_check gives the
 *             signal / event, else 446 (no such parameter here), else 449.
 *           EMSEC_ERR_ARGUMENT, *h248_error == 0: pkgd or param is not a
 *             NAME, or place is not one of the three.
 */
EMSEC_MUST_USE emsec_result emsec_h248_profile_check_param(const char *pkgd, uint32_t pkgd_len,
                                                           const char *param, uint32_t param_len,
                                                           emsec_h248_place place,
                                                           const char *value, uint32_t value_len,
                                                           uint16_t *h248_error);

/*
 * May item `pkgd` be audited at `place` (its value returned in a reply)?
 * requires: as emsec_h248_profile_check (no value).
 * ensures:  EMSEC_OK, *h248_error == 0: the item passes the package, item and
 *             place checks of emsec_h248_profile_check and is auditable.
 *           EMSEC_ERR_REFUSED: those checks' code, else 501 for an item never
 *             audited back (every secret row).
 *           EMSEC_ERR_ARGUMENT, *h248_error == 0: as emsec_h248_profile_check.
 */
EMSEC_MUST_USE emsec_result emsec_h248_profile_check_audit(const char *pkgd, uint32_t pkgd_len,
                                                           emsec_h248_place place,
                                                           uint16_t *h248_error);

/*
 * Is `value` (as written, quotes included; len 0 = none) in the domain of
 * `row`? The value part of the checks above, for the encoder's own values.
 * requires: row points to a row of the profile (from lookup or at);
 *           h248_error valid; value valid for value_len bytes (NULL when 0).
 * ensures:  EMSEC_OK, *h248_error == 0, or EMSEC_ERR_REFUSED with 449.
 */
EMSEC_MUST_USE emsec_result emsec_h248_profile_check_value(const emsec_h248_profile_row *row,
                                                           const char *value, uint32_t value_len,
                                                           uint16_t *h248_error);

/*
 * The row of `kind` named `pkgd` (and, for the *_PARAM kinds, `param`).
 * requires: out valid; pkgd valid for pkgd_len bytes; param valid for
 *           param_len bytes when kind is a *_PARAM kind, else param may be
 *           NULL and param_len is 0; kind above NONE and below COUNT.
 * ensures:  EMSEC_OK: *out is the row. EMSEC_ERR_REFUSED: no such row, *out
 *           NULL. EMSEC_ERR_ARGUMENT: a requirement on kind / param or the
 *           NAME / NAME form of pkgd does not hold, *out NULL.
 */
EMSEC_MUST_USE emsec_result emsec_h248_profile_lookup(emsec_h248_kind kind, const char *pkgd,
                                                      uint32_t pkgd_len, const char *param,
                                                      uint32_t param_len,
                                                      const emsec_h248_profile_row **out);

/* Is the value of item `pkgd` (any kind) secret, never to be logged? False for
 * an item the profile does not know. requires: pkgd valid for pkgd_len bytes. */
bool emsec_h248_profile_is_secret(const char *pkgd, uint32_t pkgd_len);

/* Iteration for the encoder (audit replies, wildcard expansion): rows in spec
 * order. emsec_h248_profile_at requires out valid; EMSEC_OK and *out the row
 * when index < emsec_h248_profile_count(), else EMSEC_ERR_ARGUMENT, *out NULL. */
uint32_t emsec_h248_profile_count(void);
EMSEC_MUST_USE emsec_result emsec_h248_profile_at(uint32_t index,
                                                  const emsec_h248_profile_row **out);

/* Text of an H.248.8 code of the profile's code rows; "?" for any other code.
 * Never NULL. */
const char *emsec_h248_error_text(uint16_t code);

/* Stable names for printing, as spec/h248_profile.tbl spells them; never NULL
 * ("?" when out of range). */
const char *emsec_h248_place_name(emsec_h248_place place);
const char *emsec_h248_kind_name(emsec_h248_kind kind);
const char *emsec_h248_type_name(emsec_h248_type type);

#endif /* EMSEC_H248_PROFILE_H */
