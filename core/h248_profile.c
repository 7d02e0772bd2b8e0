/*
 * The H.248 profile checks over the one table (include/emsec/h248_profile.h,
 * spec/h248_profile.tbl). Which items exist, where they are legal and what
 * values they take lives in the table; this file only looks rows up, picks
 * the H.248.8 code for a miss, and checks a value against a row's domain.
 * Linear scans: the table has a few dozen rows and is walked in spec order.
 */
#include "emsec/h248_profile.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "h248_profile_table.h"

#define H248_NAME_MAX 64u /* Annex B: NAME = ALPHA *63(ALPHA / DIGIT / "_") */

/* A pkgdName split at its slash: two spans into the caller's text. */
typedef struct pkgd_name {
    const char *pkg;
    uint32_t pkg_len;
    const char *item;
    uint32_t item_len;
} pkgd_name;

/* ------------------------------------------------------------ characters */

/*@ assigns \nothing;
    ensures 'A' <= c <= 'Z' ==> \result == c - 'A' + 'a';
    ensures !('A' <= c <= 'Z') ==> \result == c;
*/
static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/*@ assigns \nothing;
    ensures \result <==> ('a' <= c <= 'z' || 'A' <= c <= 'Z');
*/
static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*@ assigns \nothing;
    ensures \result <==> '0' <= c <= '9';
*/
static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The value of a hex digit, or -1. */
/*@ assigns \nothing;
    ensures -1 <= \result <= 15;
*/
static int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* ------------------------------------------------------------ names */

/* Annex B NAME: ALPHA *63(ALPHA / DIGIT / "_"). */
/*@ requires len == 0 || \valid_read(s + (0 .. len - 1));
    assigns \nothing;
    ensures \result ==> 1 <= len <= H248_NAME_MAX;
*/
static bool is_name(const char *s, uint32_t len)
{
    if (s == NULL || len == 0 || len > H248_NAME_MAX || !is_alpha(s[0])) {
        return false;
    }
    /*@ loop invariant 1 <= i <= len;
        loop assigns i;
        loop variant len - i;
    */
    for (uint32_t i = 1; i < len; i++) {
        if (!is_alpha(s[i]) && !is_digit(s[i]) && s[i] != '_') {
            return false;
        }
    }
    return true;
}

/* The span s[0 .. len) equals the table string t, ignoring ASCII case. */
/*@ requires len == 0 || \valid_read(s + (0 .. len - 1));
    requires valid_read_string(t);
    assigns \nothing;
*/
static bool eq_nocase(const char *s, uint32_t len, const char *t)
{
    uint32_t i = 0;
    /*@ loop invariant 0 <= i <= len;
        loop invariant \forall integer k; 0 <= k < i ==> t[k] != '\0';
        loop assigns i;
        loop variant len - i;
    */
    for (; i < len; i++) {
        if (t[i] == '\0' || ascii_lower(s[i]) != ascii_lower(t[i])) {
            return false;
        }
    }
    return t[len] == '\0';
}

/* Split `package/item`; both parts must be NAMEs (so no wildcard). */
/*@ requires \valid(out);
    requires len == 0 || \valid_read(s + (0 .. len - 1));
    assigns *out;
    ensures \result ==> 1 <= out->pkg_len <= H248_NAME_MAX &&
                        1 <= out->item_len <= H248_NAME_MAX &&
                        out->pkg_len + 1 + out->item_len == len &&
                        out->pkg == s && out->item == s + out->pkg_len + 1;
*/
static bool split_pkgd(const char *s, uint32_t len, pkgd_name *out)
{
    out->pkg = s;
    out->pkg_len = 0;
    out->item = s;
    out->item_len = 0;
    if (s == NULL) {
        return false;
    }
    uint32_t slash = 0;
    /*@ loop invariant 0 <= slash <= len;
        loop invariant \forall integer k; 0 <= k < slash ==> s[k] != '/';
        loop assigns slash;
        loop variant len - slash;
    */
    while (slash < len && s[slash] != '/') {
        slash++;
    }
    if (slash == len) {
        return false;
    }
    out->pkg_len = slash;
    out->item = s + slash + 1;
    out->item_len = len - slash - 1;
    return is_name(out->pkg, out->pkg_len) && is_name(out->item, out->item_len);
}

/* ------------------------------------------------------------ table look-ups */

/*@ assigns \nothing;
    ensures \result <==> EMSEC_H248_PLACE_NONE < place < EMSEC_H248_PLACE_COUNT;
*/
static bool place_ok(emsec_h248_place place)
{
    return (unsigned)place > (unsigned)EMSEC_H248_PLACE_NONE &&
           (unsigned)place < (unsigned)EMSEC_H248_PLACE_COUNT;
}

/*@ logic integer kind_of_place(integer place) =
      place == EMSEC_H248_PLACE_SIGNALS ? EMSEC_H248_KIND_SIGNAL :
      (place == EMSEC_H248_PLACE_EVENTS || place == EMSEC_H248_PLACE_OBSERVED_EVENTS)
        ? EMSEC_H248_KIND_EVENT :
      place == EMSEC_H248_PLACE_STATISTICS ? EMSEC_H248_KIND_STATISTIC :
      EMSEC_H248_KIND_PROPERTY;
*/

/* The kind of item a place holds. */
/*@ requires EMSEC_H248_PLACE_NONE < place < EMSEC_H248_PLACE_COUNT;
    assigns \nothing;
    ensures \result == kind_of_place(place);
*/
static emsec_h248_kind kind_at(emsec_h248_place place)
{
    switch (place) {
    case EMSEC_H248_PLACE_SIGNALS:
        return EMSEC_H248_KIND_SIGNAL;
    case EMSEC_H248_PLACE_EVENTS:
    case EMSEC_H248_PLACE_OBSERVED_EVENTS:
        return EMSEC_H248_KIND_EVENT;
    case EMSEC_H248_PLACE_STATISTICS:
        return EMSEC_H248_KIND_STATISTIC;
    case EMSEC_H248_PLACE_LOCAL_CONTROL:
    case EMSEC_H248_PLACE_TERMINATION_STATE:
    case EMSEC_H248_PLACE_CONTEXT_ATTR:
    case EMSEC_H248_PLACE_NONE:
    case EMSEC_H248_PLACE_COUNT:
    default:
        return EMSEC_H248_KIND_PROPERTY;
    }
}

/* H.248.8: the code for "no item of this kind by that name in the package". */
/*@ assigns \nothing;
    ensures kind == EMSEC_H248_KIND_SIGNAL ==> \result == EMSEC_H248_CODE_NO_SUCH_SIGNAL;
    ensures kind == EMSEC_H248_KIND_EVENT ==> \result == EMSEC_H248_CODE_NO_SUCH_EVENT;
    ensures kind == EMSEC_H248_KIND_STATISTIC ==> \result == EMSEC_H248_CODE_NO_SUCH_STATISTIC;
    ensures kind == EMSEC_H248_KIND_PROPERTY ==> \result == EMSEC_H248_CODE_UNKNOWN_PROPERTY;
*/
static uint16_t unknown_code(emsec_h248_kind kind)
{
    switch (kind) {
    case EMSEC_H248_KIND_SIGNAL:
        return EMSEC_H248_CODE_NO_SUCH_SIGNAL;
    case EMSEC_H248_KIND_EVENT:
        return EMSEC_H248_CODE_NO_SUCH_EVENT;
    case EMSEC_H248_KIND_STATISTIC:
        return EMSEC_H248_CODE_NO_SUCH_STATISTIC;
    case EMSEC_H248_KIND_PROPERTY:
    default:
        return EMSEC_H248_CODE_UNKNOWN_PROPERTY;
    }
}

/*@ requires profile_row_ok(r) && \valid_read(n);
    requires n->pkg_len == 0 || \valid_read(n->pkg + (0 .. n->pkg_len - 1));
    requires n->item_len == 0 || \valid_read(n->item + (0 .. n->item_len - 1));
    assigns \nothing;
*/
static bool row_names(const emsec_h248_profile_row *r, const pkgd_name *n)
{
    return eq_nocase(n->pkg, n->pkg_len, r->package) && eq_nocase(n->item, n->item_len, r->name);
}

/*@ requires profile_table_ok && \valid_read(n);
    requires n->pkg_len == 0 || \valid_read(n->pkg + (0 .. n->pkg_len - 1));
    assigns \nothing;
*/
static bool package_known(const pkgd_name *n)
{
    /*@ loop invariant 0 <= i <= emsec_h248_profile_table_len;
        loop assigns i;
        loop variant emsec_h248_profile_table_len - i;
    */
    for (uint32_t i = 0; i < emsec_h248_profile_table_len; i++) {
        if (eq_nocase(n->pkg, n->pkg_len, emsec_h248_profile_table[i].package)) {
            return true;
        }
    }
    return false;
}

/* The row (package, item, param, kind); param_len 0 for a non-parameter row. */
/*@ requires profile_table_ok && \valid_read(n);
    requires n->pkg_len == 0 || \valid_read(n->pkg + (0 .. n->pkg_len - 1));
    requires n->item_len == 0 || \valid_read(n->item + (0 .. n->item_len - 1));
    requires param_len == 0 || \valid_read(param + (0 .. param_len - 1));
    assigns \nothing;
    ensures \result == \null ||
      (\exists integer i; 0 <= i < emsec_h248_profile_table_len &&
         \result == &emsec_h248_profile_table[i] && \result->kind == kind);
    ensures \result != \null ==> profile_row_ok(\result);
*/
static const emsec_h248_profile_row *find_row(const pkgd_name *n, emsec_h248_kind kind,
                                              const char *param, uint32_t param_len)
{
    /*@ loop invariant 0 <= i <= emsec_h248_profile_table_len;
        loop assigns i;
        loop variant emsec_h248_profile_table_len - i;
    */
    for (uint32_t i = 0; i < emsec_h248_profile_table_len; i++) {
        const emsec_h248_profile_row *r = &emsec_h248_profile_table[i];
        if (r->kind == kind && row_names(r, n) && eq_nocase(param, param_len, r->param)) {
            return r;
        }
    }
    return NULL;
}

/* Some signal / event / property / statistic row of that name, whatever its kind. */
/*@ requires profile_table_ok && \valid_read(n);
    requires n->pkg_len == 0 || \valid_read(n->pkg + (0 .. n->pkg_len - 1));
    requires n->item_len == 0 || \valid_read(n->item + (0 .. n->item_len - 1));
    assigns \nothing;
*/
static const emsec_h248_profile_row *find_any_item(const pkgd_name *n)
{
    /*@ loop invariant 0 <= i <= emsec_h248_profile_table_len;
        loop assigns i;
        loop variant emsec_h248_profile_table_len - i;
    */
    for (uint32_t i = 0; i < emsec_h248_profile_table_len; i++) {
        const emsec_h248_profile_row *r = &emsec_h248_profile_table[i];
        if (r->param[0] == '\0' && row_names(r, n)) {
            return r;
        }
    }
    return NULL;
}

/* ------------------------------------------------------------ results */

/*@ requires \valid(h248_error);
    assigns *h248_error;
    ensures *h248_error == code && \result == EMSEC_ERR_REFUSED;
*/
static emsec_result refuse(uint16_t *h248_error, uint16_t code)
{
    *h248_error = code;
    return EMSEC_ERR_REFUSED;
}

/*@ requires \valid(h248_error);
    assigns *h248_error;
    ensures *h248_error == 0 && \result == EMSEC_OK;
*/
static emsec_result allow(uint16_t *h248_error)
{
    *h248_error = 0;
    return EMSEC_OK;
}

/*
 * The package, item and place checks shared by every check: the row of the
 * kind `place` holds, named by pkgd, legal at place. NULL when there is none:
 * then *h248_error is the H.248.8 code, or 0 when an argument is bad.
 */
/*@ requires profile_table_ok && \valid(h248_error) && code_out_separated(h248_error);
    requires pkgd_len == 0 || \valid_read(pkgd + (0 .. pkgd_len - 1));
    assigns *h248_error;
    ensures \result != \null ==> *h248_error == 0 && profile_row_ok(\result) &&
            \separated(h248_error, \result) &&
            \result->kind == kind_of_place(place) &&
            (\result->places & EMSEC_H248_PLACE_BIT(place)) != 0;
    ensures !(EMSEC_H248_PLACE_NONE < place < EMSEC_H248_PLACE_COUNT) ==>
            \result == \null && *h248_error == 0;
*/
static const emsec_h248_profile_row *find_at_place(const char *pkgd, uint32_t pkgd_len,
                                                   emsec_h248_place place, uint16_t *h248_error)
{
    pkgd_name n;
    *h248_error = 0;
    if (!place_ok(place) || !split_pkgd(pkgd, pkgd_len, &n)) {
        return NULL;
    }
    if (!package_known(&n)) {
        *h248_error = EMSEC_H248_CODE_UNKNOWN_PACKAGE;
        return NULL;
    }
    const emsec_h248_kind kind = kind_at(place);
    const emsec_h248_profile_row *r = find_row(&n, kind, NULL, 0);
    if (r == NULL) {
        /* A property place naming a signal / event / statistic of the package:
         * the name exists, it is just not a property (450); a name the
         * package does not have at all is 445. Other places have one code. */
        const bool other = find_any_item(&n) != NULL;
        *h248_error = (kind == EMSEC_H248_KIND_PROPERTY && other) ? EMSEC_H248_CODE_NO_SUCH_PROPERTY
                                                                : unknown_code(kind);
        return NULL;
    }
    if ((r->places & EMSEC_H248_PLACE_BIT(place)) == 0) {
        *h248_error = kind == EMSEC_H248_KIND_PROPERTY ? EMSEC_H248_CODE_PROPERTY_ILLEGAL
                                                       : unknown_code(kind);
        return NULL;
    }
    return r;
}

/* The result for find_at_place's NULL: a code means refused, none a bad argument. */
/*@ requires \valid_read(h248_error);
    assigns \nothing;
    ensures *h248_error == 0 ==> \result == EMSEC_ERR_ARGUMENT;
    ensures *h248_error != 0 ==> \result == EMSEC_ERR_REFUSED;
*/
static emsec_result missed(const uint16_t *h248_error)
{
    return *h248_error == 0 ? EMSEC_ERR_ARGUMENT : EMSEC_ERR_REFUSED;
}

/* ------------------------------------------------------------ values */

/* Annex B.2 Integer: decimal digits, or 0x / 0X and hex digits. */
/*@ requires len == 0 || \valid_read(s + (0 .. len - 1));
    requires \valid(out);
    assigns *out;
*/
static bool parse_uint(const char *s, uint32_t len, uint64_t *out)
{
    uint64_t v = 0;
    *out = 0;
    if (len == 0) {
        return false;
    }
    const bool hex = len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const uint64_t base = hex ? 16u : 10u;
    /*@ loop invariant (hex ? 2 : 0) <= i <= len;
        loop assigns i, v;
        loop variant len - i;
    */
    for (uint32_t i = hex ? 2u : 0u; i < len; i++) {
        const int d = hex ? hex_value(s[i]) : (is_digit(s[i]) ? s[i] - '0' : -1);
        if (d < 0 || v > (UINT64_MAX - (uint64_t)d) / base) {
            return false;
        }
        v = v * base + (uint64_t)d;
    }
    *out = v;
    return true;
}

/* Even count of hex digits; *octets = count / 2. */
/*@ requires len == 0 || \valid_read(s + (0 .. len - 1));
    requires \valid(octets);
    assigns *octets;
    ensures \result ==> len % 2 == 0 && *octets == len / 2;
*/
static bool hex_octets(const char *s, uint32_t len, uint32_t *octets)
{
    *octets = 0;
    if (len % 2u != 0) {
        return false;
    }
    /*@ loop invariant 0 <= i <= len;
        loop assigns i;
        loop variant len - i;
    */
    for (uint32_t i = 0; i < len; i++) {
        if (hex_value(s[i]) < 0) {
            return false;
        }
    }
    *octets = len / 2u;
    return true;
}

/* quotedString content: no control character (Annex B: SafeChar / RestChar /
 * LWSP; no DQUOTE inside, B.2 "no way to use the double quote"). */
/*@ requires len == 0 || \valid_read(s + (0 .. len - 1));
    assigns \nothing;
*/
static bool string_chars_ok(const char *s, uint32_t len)
{
    /*@ loop invariant 0 <= i <= len;
        loop assigns i;
        loop variant len - i;
    */
    for (uint32_t i = 0; i < len; i++) {
        const unsigned char c = (unsigned char)s[i];
        if (c < 0x20u || c == 0x7fu || c == '"') {
            return false;
        }
    }
    return true;
}

/* Annex B.2 Boolean: "on" or "off", any case. */
/*@ requires len == 0 || \valid_read(s + (0 .. len - 1));
    assigns \nothing;
*/
static bool is_on_off(const char *s, uint32_t len)
{
    if (len < 2 || len > 3 || ascii_lower(s[0]) != 'o') {
        return false;
    }
    if (len == 2) {
        return ascii_lower(s[1]) == 'n';
    }
    return ascii_lower(s[1]) == 'f' && ascii_lower(s[2]) == 'f';
}

/*@ requires profile_row_ok(row) && row->type == EMSEC_H248_TYPE_ENUM;
    requires len == 0 || \valid_read(s + (0 .. len - 1));
    assigns \nothing;
*/
static bool enum_has(const emsec_h248_profile_row *row, const char *s, uint32_t len)
{
    /*@ loop invariant 0 <= i <= row->nvalues;
        loop assigns i;
        loop variant row->nvalues - i;
    */
    for (uint32_t i = 0; i < row->nvalues; i++) {
        if (eq_nocase(s, len, row->values[i])) {
            return true;
        }
    }
    return false;
}

/*@ requires profile_row_ok(row) && \valid(h248_error) && \separated(h248_error, row);
    requires value_len == 0 || \valid_read(value + (0 .. value_len - 1));
    assigns *h248_error;
    ensures \result == EMSEC_OK && *h248_error == 0 ||
            \result == EMSEC_ERR_REFUSED && *h248_error == EMSEC_H248_CODE_BAD_VALUE ||
            \result == EMSEC_ERR_ARGUMENT && *h248_error == 0;
    ensures row->type == EMSEC_H248_TYPE_NONE ==> (\result == EMSEC_OK <==> value_len == 0);
*/
emsec_result emsec_h248_profile_check_value(const emsec_h248_profile_row *row, const char *value,
                                            uint32_t value_len, uint16_t *h248_error)
{
    *h248_error = 0;
    if (row == NULL || (value == NULL && value_len != 0)) {
        return EMSEC_ERR_ARGUMENT;
    }
    if (value_len == 0) {
        return row->type == EMSEC_H248_TYPE_NONE ? allow(h248_error)
                                                 : refuse(h248_error, EMSEC_H248_CODE_BAD_VALUE);
    }
    const bool opens = value[0] == '"';
    const bool closes = value_len >= 2 && value[value_len - 1] == '"';
    const bool quoted = opens && closes;
    const char *inner = quoted ? value + 1 : value;
    const uint32_t inner_len = quoted ? value_len - 2 : value_len;
    bool ok = false;
    switch (row->type) {
    case EMSEC_H248_TYPE_ENUM: /* B.2: SafeChar form */
        ok = !opens && enum_has(row, value, value_len);
        break;
    case EMSEC_H248_TYPE_BOOLEAN: /* B.2: "on" / "off", SafeChar form */
        ok = is_on_off(value, value_len);
        break;
    case EMSEC_H248_TYPE_UINT: { /* B.2: SafeChar form, decimal or 0x */
        uint64_t v = 0;
        ok = !opens && parse_uint(value, value_len, &v) && v >= row->min && v <= row->max;
        break;
    }
    case EMSEC_H248_TYPE_HEX: { /* B.3; either form */
        uint32_t octets = 0;
        ok = (quoted || !opens) && hex_octets(inner, inner_len, &octets) &&
             octets >= row->min && octets <= row->max;
        break;
    }
    case EMSEC_H248_TYPE_STRING: /* B.2: MUST be a quotedString */
        ok = quoted && inner_len >= row->min && inner_len <= row->max &&
             string_chars_ok(inner, inner_len);
        break;
    case EMSEC_H248_TYPE_NONE: /* a value where none is allowed */
    case EMSEC_H248_TYPE_INVALID:
    case EMSEC_H248_TYPE_COUNT:
    default:
        ok = false;
        break;
    }
    return ok ? allow(h248_error) : refuse(h248_error, EMSEC_H248_CODE_BAD_VALUE);
}

/* ------------------------------------------------------------ checks */

/*@ requires profile_table_ok && \valid(h248_error);
    requires code_out_separated(h248_error);
    requires pkgd_len == 0 || \valid_read(pkgd + (0 .. pkgd_len - 1));
    requires value_len == 0 || \valid_read(value + (0 .. value_len - 1));
    assigns *h248_error;
    ensures \result == EMSEC_OK <==> *h248_error == 0 && \result != EMSEC_ERR_ARGUMENT;
    ensures \result == EMSEC_OK || \result == EMSEC_ERR_REFUSED || \result == EMSEC_ERR_ARGUMENT;
    ensures \result == EMSEC_ERR_ARGUMENT ==> *h248_error == 0;
*/
emsec_result emsec_h248_profile_check(const char *pkgd, uint32_t pkgd_len, emsec_h248_place place,
                                      const char *value, uint32_t value_len, uint16_t *h248_error)
{
    const emsec_h248_profile_row *row = find_at_place(pkgd, pkgd_len, place, h248_error);
    if (row == NULL) {
        return missed(h248_error);
    }
    if (value_len == 0 && row->kind != EMSEC_H248_KIND_PROPERTY) {
        return allow(h248_error); /* a signal, an event, a statistic named */
    }
    if (value_len != 0 && row->kind == EMSEC_H248_KIND_PROPERTY && row->read_only) {
        return refuse(h248_error, EMSEC_H248_CODE_READ_ONLY);
    }
    return emsec_h248_profile_check_value(row, value, value_len, h248_error);
}

/*@ requires profile_table_ok && \valid(h248_error);
    requires code_out_separated(h248_error);
    requires pkgd_len == 0 || \valid_read(pkgd + (0 .. pkgd_len - 1));
    requires param_len == 0 || \valid_read(param + (0 .. param_len - 1));
    requires value_len == 0 || \valid_read(value + (0 .. value_len - 1));
    assigns *h248_error;
    ensures \result == EMSEC_OK || \result == EMSEC_ERR_REFUSED || \result == EMSEC_ERR_ARGUMENT;
    ensures \result != EMSEC_ERR_REFUSED ==> *h248_error == 0;
*/
emsec_result emsec_h248_profile_check_param(const char *pkgd, uint32_t pkgd_len, const char *param,
                                            uint32_t param_len, emsec_h248_place place,
                                            const char *value, uint32_t value_len,
                                            uint16_t *h248_error)
{
    *h248_error = 0;
    if ((place != EMSEC_H248_PLACE_SIGNALS && place != EMSEC_H248_PLACE_EVENTS &&
         place != EMSEC_H248_PLACE_OBSERVED_EVENTS) ||
        !is_name(param, param_len)) {
        return EMSEC_ERR_ARGUMENT;
    }
    const emsec_h248_profile_row *parent = find_at_place(pkgd, pkgd_len, place, h248_error);
    if (parent == NULL) {
        return missed(h248_error);
    }
    pkgd_name n;
    if (!split_pkgd(pkgd, pkgd_len, &n)) {
        return EMSEC_ERR_ARGUMENT; /* not reached: find_at_place split it */
    }
    const emsec_h248_kind kind = parent->kind == EMSEC_H248_KIND_SIGNAL
                                     ? EMSEC_H248_KIND_SIGNAL_PARAM
                                     : EMSEC_H248_KIND_EVENT_PARAM;
    const emsec_h248_profile_row *row = find_row(&n, kind, param, param_len);
    if (row == NULL || (row->places & EMSEC_H248_PLACE_BIT(place)) == 0) {
        return refuse(h248_error, EMSEC_H248_CODE_UNKNOWN_PARAMETER);
    }
    return emsec_h248_profile_check_value(row, value, value_len, h248_error);
}

/*@ requires profile_table_ok && \valid(h248_error);
    requires code_out_separated(h248_error);
    requires pkgd_len == 0 || \valid_read(pkgd + (0 .. pkgd_len - 1));
    assigns *h248_error;
    ensures \result == EMSEC_OK || \result == EMSEC_ERR_REFUSED || \result == EMSEC_ERR_ARGUMENT;
    ensures \result != EMSEC_ERR_REFUSED ==> *h248_error == 0;
*/
emsec_result emsec_h248_profile_check_audit(const char *pkgd, uint32_t pkgd_len,
                                            emsec_h248_place place, uint16_t *h248_error)
{
    const emsec_h248_profile_row *row = find_at_place(pkgd, pkgd_len, place, h248_error);
    if (row == NULL) {
        return missed(h248_error);
    }
    if (!row->auditable) {
        return refuse(h248_error, EMSEC_H248_CODE_NOT_IMPLEMENTED);
    }
    return allow(h248_error);
}

/* ------------------------------------------------------------ look-up, iteration */

/*@ requires profile_table_ok && \valid(out);
    requires row_out_separated(out);
    requires pkgd_len == 0 || \valid_read(pkgd + (0 .. pkgd_len - 1));
    requires param_len == 0 || \valid_read(param + (0 .. param_len - 1));
    assigns *out;
    ensures \result == EMSEC_OK ==> \valid_read(*out) && (*out)->kind == kind;
    ensures \result != EMSEC_OK ==> *out == \null;
    ensures \result == EMSEC_OK || \result == EMSEC_ERR_REFUSED || \result == EMSEC_ERR_ARGUMENT;
*/
emsec_result emsec_h248_profile_lookup(emsec_h248_kind kind, const char *pkgd, uint32_t pkgd_len,
                                       const char *param, uint32_t param_len,
                                       const emsec_h248_profile_row **out)
{
    pkgd_name n;
    *out = NULL;
    if ((unsigned)kind <= (unsigned)EMSEC_H248_KIND_NONE ||
        (unsigned)kind >= (unsigned)EMSEC_H248_KIND_COUNT || !split_pkgd(pkgd, pkgd_len, &n)) {
        return EMSEC_ERR_ARGUMENT;
    }
    const bool is_param = kind == EMSEC_H248_KIND_EVENT_PARAM || kind == EMSEC_H248_KIND_SIGNAL_PARAM;
    if (is_param ? !is_name(param, param_len) : param_len != 0) {
        return EMSEC_ERR_ARGUMENT;
    }
    const emsec_h248_profile_row *r = find_row(&n, kind, param, param_len);
    if (r == NULL) {
        return EMSEC_ERR_REFUSED;
    }
    *out = r;
    return EMSEC_OK;
}

/*@ requires profile_table_ok;
    requires pkgd_len == 0 || \valid_read(pkgd + (0 .. pkgd_len - 1));
    assigns \nothing;
*/
bool emsec_h248_profile_is_secret(const char *pkgd, uint32_t pkgd_len)
{
    pkgd_name n;
    if (!split_pkgd(pkgd, pkgd_len, &n)) {
        return false;
    }
    /*@ loop invariant 0 <= i <= emsec_h248_profile_table_len;
        loop assigns i;
        loop variant emsec_h248_profile_table_len - i;
    */
    for (uint32_t i = 0; i < emsec_h248_profile_table_len; i++) {
        const emsec_h248_profile_row *r = &emsec_h248_profile_table[i];
        if (r->secret && r->param[0] == '\0' && row_names(r, &n)) {
            return true;
        }
    }
    return false;
}

/*@ assigns \nothing;
    ensures \result == emsec_h248_profile_table_len;
*/
uint32_t emsec_h248_profile_count(void)
{
    return emsec_h248_profile_table_len;
}

/*@ requires profile_table_ok && \valid(out);
    assigns *out;
    ensures index < emsec_h248_profile_table_len ==>
            \result == EMSEC_OK && *out == &emsec_h248_profile_table[index];
    ensures index >= emsec_h248_profile_table_len ==>
            \result == EMSEC_ERR_ARGUMENT && *out == \null;
*/
emsec_result emsec_h248_profile_at(uint32_t index, const emsec_h248_profile_row **out)
{
    if (index >= emsec_h248_profile_table_len) {
        *out = NULL;
        return EMSEC_ERR_ARGUMENT;
    }
    *out = &emsec_h248_profile_table[index];
    return EMSEC_OK;
}

/* ------------------------------------------------------------ names */

/*@ requires code_table_ok;
    assigns \nothing;
    ensures \valid_read(\result);
*/
const char *emsec_h248_error_text(uint16_t code)
{
    /*@ loop invariant 0 <= i <= emsec_h248_code_table_len;
        loop assigns i;
        loop variant emsec_h248_code_table_len - i;
    */
    for (uint32_t i = 0; i < emsec_h248_code_table_len; i++) {
        if (emsec_h248_code_table[i].code == code) {
            return emsec_h248_code_table[i].text;
        }
    }
    return "?";
}

const char *emsec_h248_place_name(emsec_h248_place place)
{
    switch (place) {
    case EMSEC_H248_PLACE_LOCAL_CONTROL: return "LocalControl";
    case EMSEC_H248_PLACE_TERMINATION_STATE: return "TerminationState";
    case EMSEC_H248_PLACE_CONTEXT_ATTR: return "ContextAttr";
    case EMSEC_H248_PLACE_SIGNALS: return "Signals";
    case EMSEC_H248_PLACE_EVENTS: return "Events";
    case EMSEC_H248_PLACE_OBSERVED_EVENTS: return "ObservedEvents";
    case EMSEC_H248_PLACE_STATISTICS: return "Statistics";
    case EMSEC_H248_PLACE_NONE:
    case EMSEC_H248_PLACE_COUNT:
    default: return "?";
    }
}

const char *emsec_h248_kind_name(emsec_h248_kind kind)
{
    switch (kind) {
    case EMSEC_H248_KIND_PROPERTY: return "property";
    case EMSEC_H248_KIND_SIGNAL: return "signal";
    case EMSEC_H248_KIND_EVENT: return "event";
    case EMSEC_H248_KIND_STATISTIC: return "statistic";
    case EMSEC_H248_KIND_EVENT_PARAM: return "event-parameter";
    case EMSEC_H248_KIND_SIGNAL_PARAM: return "signal-parameter";
    case EMSEC_H248_KIND_NONE:
    case EMSEC_H248_KIND_COUNT:
    default: return "?";
    }
}

const char *emsec_h248_type_name(emsec_h248_type type)
{
    switch (type) {
    case EMSEC_H248_TYPE_NONE: return "none";
    case EMSEC_H248_TYPE_ENUM: return "enum";
    case EMSEC_H248_TYPE_HEX: return "hex";
    case EMSEC_H248_TYPE_STRING: return "string";
    case EMSEC_H248_TYPE_UINT: return "uint";
    case EMSEC_H248_TYPE_BOOLEAN: return "boolean";
    case EMSEC_H248_TYPE_INVALID:
    case EMSEC_H248_TYPE_COUNT:
    default: return "?";
    }
}

#ifdef __FRAMAC__
/* Vacuity probes (proofs/run.sh, "vacuity"): what the profile's proofs rest
 * on (the table's invariant, with the checks' output apart from it; the
 * code table's) and \false. If one PROVES, that precondition can never
 * hold and the proofs resting on it say nothing: the run fails then. */
/*@ requires profile_table_ok && \valid(h248_error) && code_out_separated(h248_error);
    assigns \nothing;
    ensures vacuous: \false;
*/
static void probe_profile_table(uint16_t *h248_error)
{
    (void)h248_error;
}
/*@ requires code_table_ok;
    assigns \nothing;
    ensures vacuous: \false;
*/
static void probe_code_table(void)
{
}
#endif
