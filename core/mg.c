/*
 * core/mg.c: H.248 command handling of the gateway core. A message from the
 * controller is decoded (core/h248_decode.c), every transaction request is
 * executed command by command against the contexts and terminations of
 * core/mg_model.h, and one reply message is written. A retransmitted request
 * (same TransactionID from the same mId, RFC 3525 Annex D.1.1 and D.1.2.1)
 * is answered from the reply cache and not executed again.
 *
 * Errors (H.248.8 codes, texts from spec/h248_profile.tbl when it has them):
 * 400 a message or SDP body that does not parse; 411 unknown ContextID;
 * 430 unknown TerminationID; 433 TerminationID already in a context;
 * 440-455 what the profile table lacks; 444 a descriptor the gateway does
 * not support; 449 a value it cannot accept; 501 not implemented; 510 out
 * of resources. A failing command ends its transaction: the reply carries
 * the replies of the commands before it, then the Error descriptor
 * (H.248.1 §8.2.2, actionReply = commandReply COMMA errorDescriptor).
 *
 * TransactionPending (H.248.1 §8.2.3 = RFC 3525 §8.2.3; Annex D.1.1 and
 * D.1.4) is for a transaction that "is actively being processed, but has
 * not been completed", and for a duplicate of a request still outstanding
 * (D.1.1: "the entity does not execute the transaction", it sends Pending).
 * Neither arises in this core, so it never sends one:
 *   - no command waits on the network: an Add or Modify decides roles and
 *     hands the adapter actions (listen, connect, start TLS); what the
 *     network then does comes back as events and reaches the controller as
 *     Notify (tcpbcc/tlsbsc/g/cause), never as a late reply. Every reply is
 *     complete when emsec_mg_control returns;
 *   - emsec_mg_control runs one message to its end before it returns, and the
 *     core is not re-entered (mg.h: one caller at a time), so a
 *     retransmission is seen only in a later call, when the original's entry
 *     is in the reply cache: it is answered from there (a later duplicate in
 *     the same message too: the entry is written before the next
 *     transaction is read). An entry whose reply was too long to keep still
 *     stops a second execution (cache_put, Error 510 on the retransmission).
 * A daemon that queued control messages behind slow work of its own would
 * have to send TransactionPending itself; the core gives it no such work.
 *
 * Proofs: proofs/run.sh (step 2c) proves the functions of its MG_FCT list
 * with WP and RTE. Some contracts below are not proved: action's and
 * release's are assumed by their callers; subtract's is written but not
 * yet proved; so is control_decoded's (its earlier proof was vacuous).
 * "Every request gets a reply" is proved in pieces, each against the
 * contracts of the ones it calls: emsec_mg_control against
 * control_decoded's, and under it control_start, control_header,
 * control_transactions, transaction_reply, tr_refused, tr_execute,
 * tr_actions, tr_action (against action's, whose frame action_frame_check
 * proves of its assigns clause) and tr_cache_put.
 * proofs/UNPROVED.md names each and why.
 */
#include <stddef.h>
#include <string.h>

#include "emsec/h248_profile.h"
#include "emsec/roles.h"
#include "h248_lex.h"
#include "mg_internal.h"

/* ------------------------------------------------------------ writer */

typedef struct wr {
    char *b;
    uint32_t cap, len;
    bool full;
} wr;

/*@ // A writer: len bytes of the cap-byte buffer b are written.
    predicate wr_ok(wr *w) =
      \valid(w) && w->len <= w->cap && \valid(w->b + (0 .. w->cap - 1)) &&
      \separated(w, w->b + (0 .. w->cap - 1));
    predicate wr_same{L1, L2}(wr *w) =
      \at(w->b, L1) == \at(w->b, L2) && \at(w->cap, L1) == \at(w->cap, L2);
    // It stays full once full, and then writes nothing more.
    predicate wr_full_stays{L1, L2}(wr *w) =
      \at(w->full, L1) ==> \at(w->full, L2) && \at(w->len, L1) == \at(w->len, L2);
    // The length only grows (a writer never takes bytes back, except
    // action's own rewinds to a mark it took).
    predicate wr_grows{L1, L2}(wr *w) = \at(w->len, L1) <= \at(w->len, L2);
*/

/* Append n bytes, or none and mark the writer full: never past cap. */
/*@ requires wr_ok(w);
    requires \valid_read(s + (0 .. n - 1));
    requires \separated(w->b + (0 .. w->cap - 1), s + (0 .. n - 1));
    assigns w->len, w->full, w->b[w->len .. w->cap - 1];
    ensures wr_ok(w) && wr_same{Pre, Post}(w) && wr_grows{Pre, Post}(w) && wr_full_stays{Pre, Post}(w);
    behavior fits:
      assumes !w->full && n <= w->cap - w->len;
      ensures w->len == \old(w->len) + n && !w->full;
      ensures \forall integer k; \old(w->len) <= k < w->len ==> w->b[k] == \old(s[k - \old(w->len)]);
    behavior full:
      assumes w->full || n > w->cap - w->len;
      ensures w->full && w->len == \old(w->len);
    complete behaviors;
    disjoint behaviors;
*/
static void w_put(wr *w, const char *s, uint32_t n)
{
    if (w->full || n > w->cap - w->len) {
        w->full = true;
        return;
    }
    if (n == 0u)
        return; /* memcpy wants a valid pointer even for no byte: b + cap is not */
    memcpy(w->b + w->len, s, n);
    w->len += n;
}

/*@ requires wr_ok(w);
    requires valid_read_string(s) && strlen(s) <= 0xffffffff;
    requires \separated(w->b + (0 .. w->cap - 1), s + (0 .. strlen(s)));
    assigns w->len, w->full, w->b[w->len .. w->cap - 1];
    ensures wr_ok(w) && wr_same{Pre, Post}(w) && wr_grows{Pre, Post}(w) && wr_full_stays{Pre, Post}(w);
    behavior fits:
      assumes !w->full && strlen(s) <= w->cap - w->len;
      ensures w->len == \old(w->len) + \old(strlen(s)) && !w->full;
      ensures \forall integer k; \old(w->len) <= k < w->len ==> w->b[k] == \old(s[k - \old(w->len)]);
    behavior full:
      assumes w->full || strlen(s) > w->cap - w->len;
      ensures w->full && w->len == \old(w->len);
    complete behaviors;
    disjoint behaviors;
*/
static void w_str(wr *w, const char *s)
{
    w_put(w, s, (uint32_t)strlen(s));
}

/* Append a string literal: its length is known at compile time (sizeof - 1,
 * the NUL left out), so w_put's contract needs only its bytes. WP in
 * Frama-C 25 sees a literal's size but not its strlen (proofs/UNPROVED.md);
 * the "" makes anything but a literal a compile error. */
#define W_LIT(w, lit) w_put((w), "" lit, (uint32_t)(sizeof(lit) - 1u))

/* v in decimal, or nothing and the writer full (the contract: 1 to 10
 * digits, and the one digit of a v below 10). */
/*@ requires wr_ok(w);
    assigns w->len, w->full, w->b[w->len .. w->cap - 1];
    ensures wr_ok(w) && wr_same{Pre, Post}(w) && wr_full_stays{Pre, Post}(w) && wr_grows{Pre, Post}(w);
    ensures w->full ==> w->len == \old(w->len);
    ensures !w->full ==> \old(w->len) < w->len <= \old(w->len) + 10;
    ensures !w->full ==> \forall integer i; \old(w->len) <= i < w->len ==> '0' <= w->b[i] <= '9';
    ensures v < 10 && !w->full ==> w->len == \old(w->len) + 1 && w->b[\old(w->len)] == '0' + v;
*/
static void w_uint(wr *w, uint32_t v)
{
    char t[11];
    uint32_t i = sizeof t;
    /*@ loop invariant i <= 11;
        loop invariant \forall integer k; i <= k < 11 ==> '0' <= t[k] <= '9';
        loop invariant i == 11 ==> v == \at(v, Pre);
        loop invariant i < 11 ==> \at(v, Pre) >= 10 && v != 0;
        loop invariant i <= 10 ==> v <= 429496729;
        loop invariant i <= 9 ==> v <= 42949672;
        loop invariant i <= 8 ==> v <= 4294967;
        loop invariant i <= 7 ==> v <= 429496;
        loop invariant i <= 6 ==> v <= 42949;
        loop invariant i <= 5 ==> v <= 4294;
        loop invariant i <= 4 ==> v <= 429;
        loop invariant i <= 3 ==> v <= 42;
        loop invariant i <= 2 ==> v <= 4;
        loop invariant i >= 2;
        loop assigns i, v, t[0 .. 10];
        loop variant i;
    */
    do {
        t[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0u && i > 0u);
    w_put(w, t + i, (uint32_t)sizeof t - i);
}

/* ------------------------------------------------------------ failures */

/*@ // why's byte as the Error descriptor's quotedString carries it
    logic integer quoted_char(integer c) = (c == '"' || c == '\r' || c == '\n') ? '\'' : c;
    // how much of it the 192-byte why[] keeps
    logic integer why_len(integer l) = l < 192 ? l : 191;
*/

/*@ requires \valid(x);
    requires \valid_read(why + (0 .. len - 1));
    assigns x->code, x->why[0 .. 191];
    ensures \result == false;
    behavior first:
      assumes x->code == 0;
      ensures x->code == code;
      ensures terminated: x->why[why_len(len)] == '\0';
      ensures quoted: \separated(&x->why[0 .. 191], why + (0 .. len - 1)) ==>
                \forall integer i; 0 <= i < why_len(len) ==> x->why[i] == quoted_char(\old(why[i]));
    behavior later:
      assumes x->code != 0;
      assigns \nothing;
      ensures x->code == \old(x->code);
    complete behaviors;
    disjoint behaviors;
*/
bool mg_fail_n(mg_exec *x, uint16_t code, const char *why, uint32_t len)
{
    if (x->code == 0u) {
        x->code = code;
        uint32_t n = len < sizeof x->why ? len : (uint32_t)sizeof x->why - 1u;
        /* a quotedString holds no double quote and no line end */
        /*@ loop invariant 0 <= i <= n;
            loop invariant \separated(&x->why[0 .. 191], why + (0 .. len - 1)) ==>
                \forall integer j; 0 <= j < i ==> x->why[j] == quoted_char(\at(why[j], Pre));
            loop assigns i, x->why[0 .. n - 1];
            loop variant n - i;
        */
        for (uint32_t i = 0u; i < n; i++) {
            x->why[i] = (why[i] == '"' || why[i] == '\r' || why[i] == '\n') ? '\'' : why[i];
            /*@ assert \separated(&x->why[0 .. 191], why + (0 .. len - 1)) ==> x->why[i] == quoted_char(why[i]); */
        }
        x->why[n] = '\0';
    }
    return false;
}

/*@ requires \valid(x);
    requires valid_read_string(why);
    assigns x->code, x->why[0 .. 191];
    ensures \result == false;
    behavior first:
      assumes x->code == 0;
      ensures x->code == code;
      ensures terminated: x->why[why_len(\old(strlen(why)))] == '\0';
      ensures quoted: \separated(&x->why[0 .. 191], why + (0 .. \old(strlen(why)))) ==>
                \forall integer i; 0 <= i < why_len(\old(strlen(why))) ==> x->why[i] == quoted_char(\old(why[i]));
    behavior later:
      assumes x->code != 0;
      assigns \nothing;
      ensures x->code == \old(x->code);
    complete behaviors;
    disjoint behaviors;
*/
bool mg_fail(mg_exec *x, uint16_t code, const char *why)
{
    if (x->code != 0u)
        return false; /* the first failure stands */
    size_t n = strlen(why);
    /* only the first 191 bytes are kept (why_len) */
    return mg_fail_n(x, code, why, n < sizeof x->why ? (uint32_t)n : (uint32_t)sizeof x->why - 1u);
}

/* which: which_len bytes ("Remote" or "Local", MG_FAIL_SDP). */
/*@ requires \valid(x);
    requires \valid_read(which + (0 .. which_len - 1)) && which_len < 16;
    assigns x->code, x->why[0 .. 191];
    ensures \result == false && x->code != 0;
*/
bool mg_fail_sdp(mg_exec *x, const char *which, uint32_t which_len, emsec_sdp_error e)
{
    /* The rule's name is a literal, read-only (its contract), so apart from
     * the writable t; its length taken before any write, so that the writes
     * need not keep it a string (the logic strlen reads without bound). */
    const char *rule = emsec_sdp_rule_name(e.rule);
    uint32_t rule_len = (uint32_t)strlen(rule);
    char t[160];
    wr w = { t, sizeof t - 1u, 0u, false };
    W_LIT(&w, "Syntax error in ");
    w_put(&w, which, which_len);
    W_LIT(&w, " SDP: rule ");
    w_put(&w, rule, rule_len);
    W_LIT(&w, " at byte ");
    w_uint(&w, e.offset);
    t[w.len] = '\0';
    return mg_fail(x, 400, t);
}

/* ------------------------------------------------------------ model */

/*@ // span a of s is the n bytes at lit, ASCII case ignored.
    predicate span_is_n(char *s, emsec_span a, char *lit, integer n) =
      a.len == n &&
      \forall integer i; 0 <= i < a.len ==> lower_ci(s[a.off + i]) == lower_ci(lit[i]);
*/

/*@ requires \valid_read(lit + (0 .. n - 1));
    requires \valid_read(s + (a.off .. a.off + a.len - 1));
    assigns \nothing;
    ensures \result <==> span_is_n(s, a, lit, n);
*/
static bool span_eq_n(const char *s, emsec_span a, const char *lit, uint32_t n)
{
    if (a.len != n)
        return false;
    /*@ loop invariant 0 <= i <= n;
        loop invariant \forall integer j; 0 <= j < i ==> lower_ci(s[a.off + j]) == lower_ci(lit[j]);
        loop assigns i;
        loop variant n - i;
    */
    for (size_t i = 0; i < n; i++) {
        char c = s[a.off + i], d = lit[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (d >= 'A' && d <= 'Z')
            d = (char)(d + 32);
        if (c != d) {
            /*@ assert lower_ci(s[a.off + i]) != lower_ci(lit[i]); */
            return false;
        }
    }
    return true;
}

/* span a of s is the literal lit (its length known at compile time, W_LIT) */
#define SPAN_IS(s, a, lit) span_eq_n((s), (a), "" lit, (uint32_t)(sizeof(lit) - 1u))

/*@ // the decimal value of the n digits at s + off
    logic integer dec_val(char *s, integer off, integer n) =
      n <= 0 ? 0 : 10 * dec_val(s, off, n - 1) + (s[off + n - 1] - '0');
    logic integer p10(integer n) =
      n <= 0 ? 1 : n == 1 ? 10 : n == 2 ? 100 : n == 3 ? 1000 : n == 4 ? 10000 : n == 5 ? 100000 :
      n == 6 ? 1000000 : n == 7 ? 10000000 : n == 8 ? 100000000 : n == 9 ? 1000000000 : 10000000000;
    predicate digits(char *s, integer off, integer n) =
      \forall integer k; off <= k < off + n ==> '0' <= s[k] <= '9';
    logic integer min10(integer n) = n < 10 ? n : 10;
*/

/* The decimal value of the span's first 10 bytes, 0xffffffff beyond. */
/*@ requires \valid_read(s + (a.off .. a.off + min10(a.len) - 1));
    requires a.off + min10(a.len) <= 0xffffffff;
    assigns \nothing;
    behavior decimal:
      assumes digits(s, a.off, min10(a.len));
      ensures \let d = dec_val(s, a.off, min10(a.len)); \result == (d > 0xffffffff ? 0xffffffff : d);
*/
static uint32_t span_uint(const char *s, emsec_span a)
{
    uint64_t v = 0u;
    /*@ loop invariant 0 <= i <= min10(a.len);
        loop invariant digits(s, a.off, min10(a.len)) ==> v == dec_val(s, a.off, i);
        loop invariant digits(s, a.off, min10(a.len)) ==> v < p10(i);
        loop assigns i, v;
        loop variant a.len - i;
    */
    for (uint32_t i = 0u; i < a.len && i < 10u; i++) {
        /*@ assert digits(s, a.off, min10(a.len)) ==> '0' <= s[a.off + i] <= '9'; */
        v = v * 10u + (uint64_t)(s[a.off + i] - '0');
    }
    return v > 0xffffffffu ? 0xffffffffu : (uint32_t)v;
}

/*@ predicate ctx_has_id(emsec_mg *mg, integer i, integer id) = mg->ctx[i].used && mg->ctx[i].id == id; */

/* The used context with ContextID id (the first, should two have it). */
/*@ requires \valid_read(mg);
    assigns \nothing;
    behavior found:
      assumes \exists integer i; mg_ctx_handle(i) && ctx_has_id(mg, i, id);
      ensures mg_ctx_handle(\result) && ctx_has_id(mg, \result, id);
      ensures \forall integer j; 0 <= j < \result ==> !ctx_has_id(mg, j, id);
    behavior none:
      assumes \forall integer i; mg_ctx_handle(i) ==> !ctx_has_id(mg, i, id);
      ensures \result == MG_NO_CTX;
    complete behaviors;
    disjoint behaviors;
*/
static uint16_t find_ctx(const emsec_mg *mg, uint32_t id)
{
    /*@ loop invariant 0 <= i <= EMSEC_MG_MAX_CONTEXTS;
        loop invariant \forall integer j; 0 <= j < i ==> !ctx_has_id(mg, j, id);
        loop assigns i;
        loop variant EMSEC_MG_MAX_CONTEXTS - i;
    */
    for (uint16_t i = 0u; i < EMSEC_MG_MAX_CONTEXTS; i++)
        if (mg->ctx[i].used && mg->ctx[i].id == id)
            return i;
    return MG_NO_CTX;
}

/* The first free context slot, now used with no termination and a ContextID
 * no other used context has; MG_NO_CTX when every slot is used. */
/*@ requires \valid(mg);
    assigns mg->ctx[0 .. EMSEC_MG_MAX_CONTEXTS - 1], mg->next_ctx_id;
    behavior full:
      assumes \forall integer i; mg_ctx_handle(i) ==> mg->ctx[i].used;
      assigns \nothing;
      ensures \result == MG_NO_CTX;
    behavior fresh:
      assumes \exists integer i; mg_ctx_handle(i) && !mg->ctx[i].used;
      ensures mg_ctx_handle(\result) && !\old(mg->ctx[\result].used);
      ensures \forall integer j; 0 <= j < \result ==> \old(mg->ctx[j].used);
      ensures mg->ctx[\result].used && mg->ctx[\result].nterms == 0 && !mg->ctx[\result].forwarding;
      ensures others: \forall integer j; mg_ctx_handle(j) && j != \result ==>
                mg->ctx[j].used == \old(mg->ctx[j].used) && mg->ctx[j].id == \old(mg->ctx[j].id);
      ensures others_lists: \forall integer j; mg_ctx_handle(j) && j != \result ==>
                mg->ctx[j].nterms == \old(mg->ctx[j].nterms) &&
                mg->ctx[j].terms[0] == \old(mg->ctx[j].terms[0]) && mg->ctx[j].terms[1] == \old(mg->ctx[j].terms[1]);
      ensures mg_ctx_list_ok(&mg->ctx[\result]);
    complete behaviors;
    disjoint behaviors;
*/
static uint16_t new_ctx(emsec_mg *mg)
{
    /*@ loop invariant 0 <= i <= EMSEC_MG_MAX_CONTEXTS;
        loop invariant \forall integer j; 0 <= j < i ==> mg->ctx[j].used;
        loop assigns i;
        loop variant EMSEC_MG_MAX_CONTEXTS - i;
    */
    for (uint16_t i = 0u; i < EMSEC_MG_MAX_CONTEXTS; i++)
        if (!mg->ctx[i].used) {
            /* every field of emsec_mg_ctx (WP follows field stores, not memset) */
            mg->ctx[i].used = true;
            mg->ctx[i].id = 0u;
            mg->ctx[i].terms[0] = 0u;
            mg->ctx[i].terms[1] = 0u;
            mg->ctx[i].nterms = 0u;
            mg->ctx[i].forwarding = false;
            /* 0, 0xFFFFFFFE and 0xFFFFFFFF are reserved (RFC 3525 B.2 ContextID) */
            if (mg->next_ctx_id == 0u || mg->next_ctx_id >= 0xfffffffeu)
                mg->next_ctx_id = 1u;
            /* At most EMSEC_MG_MAX_CONTEXTS used contexts (this one, id 0,
             * included) hold an id, so one of EMSEC_MG_MAX_CONTEXTS + 1
             * consecutive candidates is free: the bound is never reached, it
             * only lets the proof see that the loop ends. */
            /*@ loop invariant 0 <= k <= EMSEC_MG_MAX_CONTEXTS + 1;
                loop invariant mg->ctx[i].used && mg->ctx[i].nterms == 0 && !mg->ctx[i].forwarding;
                loop assigns k, mg->next_ctx_id;
                loop variant EMSEC_MG_MAX_CONTEXTS + 1 - k;
            */
            for (uint32_t k = 0u; k <= EMSEC_MG_MAX_CONTEXTS && find_ctx(mg, mg->next_ctx_id) != MG_NO_CTX; k++)
                mg->next_ctx_id++;
            mg->ctx[i].id = mg->next_ctx_id++;
            return i;
        }
    return MG_NO_CTX;
}

/*@ // every used termination's name fits its array (name_len bytes, then
    // its NUL). Stated by the length the model keeps, not by strlen: with
    // strlen in a goal's context the provers take in the string axioms,
    // and every goal that carries this invariant paid for them (measured
    // 2026-11-24 on control_transactions: 6.8 M cvc4 steps with strlen,
    // 3.6 M without).
    predicate mg_names_ok(emsec_mg *mg) =
      \forall integer ti; mg_term_handle(ti) && mg->term[ti].used ==>
        mg->term[ti].name_len < EMSEC_MG_MAX_NAME;
    predicate term_named(emsec_mg *mg, integer ti, char *s, emsec_span name) =
      mg->term[ti].used && mg->term[ti].name_len == name.len &&
      span_is_n(s, name, &mg->term[ti].name[0], name.len);
*/

/* The used termination named `name` (ASCII case ignored, H.248.1 B.2). */
/*@ requires \valid_read(mg) && mg_names_ok(mg);
    requires \valid_read(s + (name.off .. name.off + name.len - 1));
    assigns \nothing;
    behavior found:
      assumes \exists integer i; mg_term_handle(i) && term_named(mg, i, s, name);
      ensures mg_term_handle(\result) && term_named(mg, \result, s, name);
      ensures \forall integer j; 0 <= j < \result ==> !term_named(mg, j, s, name);
    behavior none:
      assumes \forall integer i; mg_term_handle(i) ==> !term_named(mg, i, s, name);
      ensures \result == MG_NO_TERM;
    complete behaviors;
    disjoint behaviors;
*/
static uint16_t find_term(const emsec_mg *mg, const char *s, emsec_span name)
{
    /*@ loop invariant 0 <= i <= EMSEC_MG_MAX_TERMS;
        loop invariant \forall integer j; 0 <= j < i ==> !term_named(mg, j, s, name);
        loop assigns i;
        loop variant EMSEC_MG_MAX_TERMS - i;
    */
    for (uint16_t i = 0u; i < EMSEC_MG_MAX_TERMS; i++) {
        const emsec_mg_term *t = &mg->term[i];
        if (t->used && t->name_len == name.len) {
            emsec_span n = name;
            if (span_eq_n(s, n, t->name, t->name_len))
                return i;
        }
    }
    return MG_NO_TERM;
}

/* Take ti off context ci's list (if it is there); a context left empty is
 * deleted. The list stays a list: the others stay, nothing comes in. */
/*@ requires \valid(mg) && mg_ctx_handle(ci) && mg_ctx_list_ok(&mg->ctx[ci]);
    assigns mg->ctx[ci].terms[0 .. 1], mg->ctx[ci].nterms, mg->ctx[ci].used;
    ensures mg_ctx_list_ok(&mg->ctx[ci]);
    ensures gone: !mg_ctx_lists(&mg->ctx[ci], ti);
    ensures others_stay: \forall integer u; u != ti && \at(mg_ctx_lists(&mg->ctx[ci], u), Pre) ==>
              mg_ctx_lists(&mg->ctx[ci], u);
    ensures none_new: \forall integer u; mg_ctx_lists(&mg->ctx[ci], u) ==> \at(mg_ctx_lists(&mg->ctx[ci], u), Pre);
    ensures count: \at(mg_ctx_lists(&mg->ctx[ci], ti), Pre) ==> mg->ctx[ci].nterms == \old(mg->ctx[ci].nterms) - 1;
    ensures same_count: !\at(mg_ctx_lists(&mg->ctx[ci], ti), Pre) ==> mg->ctx[ci].nterms == \old(mg->ctx[ci].nterms);
    ensures deleted_when_empty: mg->ctx[ci].used == (\old(mg->ctx[ci].used) && mg->ctx[ci].nterms != 0);
*/
static void ctx_remove_term(emsec_mg *mg, uint16_t ci, uint16_t ti)
{
    emsec_mg_ctx *c = &mg->ctx[ci];
    /*@ loop invariant 0 <= k <= c->nterms;
        loop invariant \forall integer j; 0 <= j < k ==> c->terms[j] != ti;
        loop assigns k;
        loop variant c->nterms - k;
    */
    for (uint8_t k = 0u; k < c->nterms; k++)
        if (c->terms[k] == ti) {
            c->terms[k] = c->terms[c->nterms - 1u];
            c->nterms--;
            break;
        }
    if (c->nterms == 0u)
        c->used = false; /* H.248.1 §7.2.3: empty context deleted */
}

/* ------------------------------------------------------------ descriptors */

/* The value of node n as the profile wants it: as written, quotes included. */
/*@ requires \valid_read(n) && \valid(v) && \valid(len) && \separated(v, len, n);
    assigns *v \from src, n->vkind, n->value.off;
    assigns *len \from n->vkind, n->value.len;
    behavior quoted:
      assumes n->vkind == EMSEC_H248_V_QUOTED;
      ensures *v == src + n->value.off - 1 && *len == (uint32_t)(n->value.len + 2);
    behavior word:
      assumes n->vkind == EMSEC_H248_V_WORD;
      ensures *v == src + n->value.off && *len == n->value.len;
    behavior none:
      assumes n->vkind != EMSEC_H248_V_QUOTED && n->vkind != EMSEC_H248_V_WORD;
      ensures *v == \null && *len == 0;
    complete behaviors;
    disjoint behaviors;
*/
static void value_as_written(const emsec_h248_node *n, const char **v, uint32_t *len, const char *src)
{
    if (n->vkind == EMSEC_H248_V_QUOTED) {
        *v = src + n->value.off - 1u;
        *len = n->value.len + 2u;
    } else if (n->vkind == EMSEC_H248_V_WORD) {
        *v = src + n->value.off;
        *len = n->value.len;
    } else {
        *v = NULL;
        *len = 0u;
    }
}

/*@ assigns \nothing;
    behavior digit:
      assumes '0' <= c <= '9';
      ensures \result == c - '0';
    behavior small:
      assumes 'a' <= c <= 'f';
      ensures \result == c - 'a' + 10;
    behavior capital:
      assumes 'A' <= c <= 'F';
      ensures \result == c - 'A' + 10;
    disjoint behaviors;
*/
static uint8_t hexval(char c)
{
    if (c >= '0' && c <= '9')
        return (uint8_t)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (uint8_t)(c - 'a' + 10);
    return (uint8_t)(c - 'A' + 10);
}

static bool local_control(mg_exec *x, emsec_mg_term *t, const emsec_h248_node *lc)
{
    const emsec_h248_msg *m = x->msg;
    const char *s = x->src;
    for (uint32_t i = lc->child; i != 0u; i = m->nodes[i].next) {
        const emsec_h248_node *n = &m->nodes[i];
        if (n->item != EMSEC_H248_ITEM_PKGD)
            continue; /* Mode, ReservedValue, ReservedGroup: no meaning for TCP media */
        const char *v;
        uint32_t vl;
        uint16_t code = 0u;
        value_as_written(n, &v, &vl, s);
        if (n->op != EMSEC_H248_OP_EQ || (n->vkind != EMSEC_H248_V_WORD && n->vkind != EMSEC_H248_V_QUOTED))
            return MG_FAIL(x, 449, "a LocalControl property of the profile takes one value with '='");
        emsec_result r = emsec_h248_profile_check(s + n->name.off, n->name.len, EMSEC_H248_PLACE_LOCAL_CONTROL,
                                                  v, vl, &code);
        if (r != EMSEC_OK)
            return mg_fail(x, code != 0u ? code : 445, emsec_h248_error_text(code != 0u ? code : 445));
        emsec_span val = n->value;
        if (SPAN_IS(s, n->name, "tcpbcc/role"))
            t->tcp_role_prop = SPAN_IS(s, val, "client") ? 1u : 2u;
        else if (SPAN_IS(s, n->name, "tcpbcc/estmode"))
        {
            uint8_t was = t->estmode;
            t->estmode = SPAN_IS(s, val, "delayed") ? MG_EST_DELAYED
                         : SPAN_IS(s, val, "hold") ? MG_EST_HOLD : MG_EST_IMMEDIATE;
            /* state-aware hold lifted: the controller allows forwarding */
            if (was == MG_EST_HOLD && t->estmode != MG_EST_HOLD && t->tcp_state == EMSEC_TCP_ST_HELD)
                (void)mg_tcp(x, (uint16_t)(t - x->mg->term), EMSEC_TCP_EV_ALLOW);
        }
        else if (SPAN_IS(s, n->name, "tlsbsc/role"))
            t->tls_role_prop = SPAN_IS(s, val, "client") ? 1u : 2u;
        else if (SPAN_IS(s, n->name, "tlsbsc/psk")) {
            /* hex, checked by the profile (even length, bounds) */
            const char *h = s + val.off;
            uint32_t hl = val.len;
            if (n->vkind == EMSEC_H248_V_QUOTED) {
                h = s + val.off;
                hl = val.len;
            }
            t->psk_len = 0u;
            for (uint32_t k = 0u; k + 1u < hl && t->psk_len < sizeof t->psk; k += 2u)
                t->psk[t->psk_len++] = (uint8_t)(hexval(h[k]) << 4 | hexval(h[k + 1u]));
        } else if (SPAN_IS(s, n->name, "tlsbsc/pskid")) {
            uint32_t l = val.len < sizeof t->pskid - 1u ? val.len : (uint32_t)sizeof t->pskid - 1u;
            memcpy(t->pskid, s + val.off, l);
            t->pskid[l] = '\0';
            t->pskid_len = l;
        }
    }
    return true;
}

static bool stream_parms(mg_exec *x, emsec_mg_term *t, const emsec_h248_node *parent,
                         const emsec_h248_node **local, const emsec_h248_node **remote)
{
    const emsec_h248_msg *m = x->msg;
    for (uint32_t i = parent->child; i != 0u; i = m->nodes[i].next) {
        const emsec_h248_node *n = &m->nodes[i];
        switch (n->item) {
        case EMSEC_H248_TOK_LOCALCONTROL:
            if (!local_control(x, t, n))
                return false;
            break;
        case EMSEC_H248_TOK_LOCAL: *local = n; break;
        case EMSEC_H248_TOK_REMOTE: *remote = n; break;
        case EMSEC_H248_TOK_STREAM:
            if (span_uint(x->src, n->value) != 1u)
                return MG_FAIL(x, 449, "one stream per termination: StreamID 1");
            if (!stream_parms(x, t, n, local, remote))
                return false;
            break;
        case EMSEC_H248_TOK_TERMINATIONSTATE:
        case EMSEC_H248_TOK_STATS:
            break;
        default:
            return MG_FAIL(x, 444, "Unsupported or Unknown Descriptor");
        }
    }
    return true;
}

/*@ // Every SDP length within its array.
    predicate mg_sdp_lens_ok(emsec_mg *mg) =
      \forall integer ti; mg_term_handle(ti) ==>
        mg->term[ti].local_len <= EMSEC_MG_MAX_SDP && mg->term[ti].remote_len <= EMSEC_MG_MAX_SDP;
    // What the command handlers need of the call (core/mg_internal.h): the
    // call, the gateway and the decoded message apart; the message a
    // well-formed tree over its src_len source bytes (the decoder's contract,
    // include/emsec/h248.h); the node arena apart from the contexts and
    // terminations the commands change; the model's invariants the handlers
    // rely on.
    predicate mg_exec_ok(mg_exec *x) =
      \valid(x) && \valid(x->mg) && \valid_read(x->msg) &&
      emsec_h248_tree_ok(x->msg, x->src, x->src_len) &&
      \separated(x, x->mg, x->msg) &&
      \separated(x->msg->nodes + (0 .. x->msg->count - 1), x, x->msg,
                 x->mg->ctx + (0 .. EMSEC_MG_MAX_CONTEXTS - 1), x->mg->term + (0 .. EMSEC_MG_MAX_TERMS - 1)) &&
      \separated(x->src + (0 .. x->src_len - 1), x, x->msg, x->mg) &&
      mg_names_ok(x->mg) && mg_sdp_lens_ok(x->mg) && mg_handles_ok(x->mg);
    // The reply's writer (its buffer, and the writer itself) apart from
    // each of the call, the model, the message, its nodes and its source.
    // Stated pair by pair: ACSL's \separated(a, b, c, ...) is PAIRWISE, and
    // the nodes lie inside the model (mg->nodes, mg_tr_ok), so the one
    // \separated over all of them that stood here until 2026-11-24 was
    // false whenever the message had a node, and mg_tr_ok with it: every
    // contract that required it was proved vacuously (a probe proved
    // `ensures \false` from mg_tr_ok). proofs/UNPROVED.md, "vacuity".
    predicate wr_apart(wr *w, mg_exec *x) =
      \separated(w->b + (0 .. w->cap - 1), x) && \separated(w->b + (0 .. w->cap - 1), x->mg) &&
      \separated(w->b + (0 .. w->cap - 1), x->msg) &&
      \separated(w->b + (0 .. w->cap - 1), x->msg->nodes + (0 .. x->msg->count - 1)) &&
      \separated(w->b + (0 .. w->cap - 1), x->src + (0 .. x->src_len - 1)) &&
      \separated(w, x) && \separated(w, x->mg) && \separated(w, x->msg) &&
      \separated(w, x->msg->nodes + (0 .. x->msg->count - 1)) &&
      \separated(w, x->src + (0 .. x->src_len - 1));
    // n is a node of the decoded message.
    predicate mg_node_in(mg_exec *x, emsec_h248_node *n) =
      \exists integer i; 0 <= i < x->msg->count && n == x->msg->nodes + i;
*/

/*@ // The call's state as emsec_mg_control keeps it around each action.
    predicate mg_call_ok(mg_exec *x) =
      mg_exec_ok(x) && \valid(x->out) && \separated(x->out, x, x->mg, x->msg) &&
      \separated(x->out, x->msg->nodes + (0 .. x->msg->count - 1), x->src + (0 .. x->src_len - 1)) &&
      x->out->nactions <= EMSEC_MG_MAX_ACTIONS && x->notes.count <= MG_MAX_NOTES;
*/

/* The contracts this file's proofs assume of the H.248 profile module
 * (core/h248_profile.c; proofs/UNPROVED.md): the check reads the name and
 * the value it is given and writes only the code; an error text is a
 * string. */
/*@ requires pkgd_len == 0 || \valid_read(pkgd + (0 .. pkgd_len - 1));
    requires value_len == 0 || \valid_read(value + (0 .. value_len - 1));
    requires \valid(h248_error);
    assigns *h248_error;
*/
emsec_result emsec_h248_profile_check(const char *pkgd, uint32_t pkgd_len, emsec_h248_place place,
                                      const char *value, uint32_t value_len, uint16_t *h248_error);
/*@ assigns \nothing;
    ensures valid_read_string(\result);
*/
const char *emsec_h248_error_text(uint16_t code);

/* Events descriptor (H.248.1 §7.1.9): the events of the profile the gateway
 * reports (tcpbcc/tlsbsc ef and rel, g/cause), under the descriptor's
 * RequestID; any other one is refused with the profile's code. */
/*@ requires mg_exec_ok(x) && mg_node_in(x, ev) && \valid(t);
    requires \separated(t, x, x->msg, x->msg->nodes + (0 .. x->msg->count - 1), x->src + (0 .. x->src_len - 1));
    assigns t->events, t->event_rid, x->code, x->why[0 .. 191];
    ensures \result ==> x->code == \old(x->code);
    ensures !\result ==> x->code != 0;
*/
static bool events(mg_exec *x, emsec_mg_term *t, const emsec_h248_node *ev)
{
    const emsec_h248_msg *m = x->msg;
    const char *s = x->src;
    uint8_t bits = 0u;
    /*@ loop invariant 0 <= i < m->count;
        loop invariant x->code == \at(x->code, Pre);
        loop assigns i, bits;
        loop variant i == 0 ? 0 : m->count - i;
    */
    for (uint32_t i = ev->child; i != 0u; i = m->nodes[i].next) {
        const emsec_h248_node *n = &m->nodes[i];
        uint16_t code = 0u;
        if (emsec_h248_profile_check(s + n->name.off, n->name.len, EMSEC_H248_PLACE_EVENTS, NULL, 0u, &code) !=
            EMSEC_OK)
            return mg_fail(x, code != 0u ? code : 451, emsec_h248_error_text(code != 0u ? code : 451));
        if (SPAN_IS(s, n->name, "tcpbcc/ef"))
            bits |= MG_EV_TCP_EF;
        else if (SPAN_IS(s, n->name, "tcpbcc/rel"))
            bits |= MG_EV_TCP_REL;
        else if (SPAN_IS(s, n->name, "tlsbsc/ef"))
            bits |= MG_EV_TLS_EF;
        else if (SPAN_IS(s, n->name, "tlsbsc/rel"))
            bits |= MG_EV_TLS_REL;
        else if (SPAN_IS(s, n->name, "g/cause"))
            bits |= MG_EV_G_CAUSE;
    }
    /* H.248.1 §7.1.9: a new Events descriptor replaces the old one */
    t->events = bits;
    t->event_rid = span_uint(s, ev->value);
    return true;
}

static bool signals(mg_exec *x, emsec_mg_term *t, uint16_t ti, const emsec_h248_node *sg)
{
    const emsec_h248_msg *m = x->msg;
    const char *s = x->src;
    for (uint32_t i = sg->child; i != 0u; i = m->nodes[i].next) {
        const emsec_h248_node *n = &m->nodes[i];
        uint16_t code = 0u;
        if (n->item != EMSEC_H248_ITEM_PKGD)
            return MG_FAIL(x, 501, "Not Implemented: signal lists");
        if (emsec_h248_profile_check(s + n->name.off, n->name.len, EMSEC_H248_PLACE_SIGNALS, NULL, 0u, &code) !=
            EMSEC_OK)
            return mg_fail(x, code != 0u ? code : 452, emsec_h248_error_text(code != 0u ? code : 452));
        if (SPAN_IS(s, n->name, "tcpbcc/est")) {
            if (t->remote_port == 0u || t->remote_addr[0] == '\0')
                return MG_FAIL(x, 449, "tcpbcc/est: the Remote SDP gives no address and port to connect to");
            t->tcp_role = EMSEC_TCP_ACTIVE;
            if (mg_tcp(x, ti, EMSEC_TCP_EV_CONNECT) != EMSEC_OK)
                return MG_FAIL(x, 449, "tcpbcc/est: the connection cannot be started in its present state");
        } else if (SPAN_IS(s, n->name, "tlsbsc/est")) {
            if (t->tls_state == EMSEC_TLS_ST_NONE)
                return MG_FAIL(x, 449, "tlsbsc/est on a termination where the gateway does not end TLS");
            if (mg_tls(x, ti, EMSEC_TLS_EV_EST) != EMSEC_OK)
                return MG_FAIL(x, 449, "tlsbsc/est: the TLS client cannot start in its present state");
        }
    }
    return true;
}

/* Release term ti's TLS and TCP through the lifecycle tables. Its contract
 * is assumed (proofs/UNPROVED.md: the two steps, mg_tls/mg_tcp, are
 * proved, but carrying mg_call_ok over them is not yet): what the
 * machines change is their states, timers
 * and forward flags, a context's forwarding flag, the actions, the Notify
 * requests and the command's failure; never a termination's name, context
 * or use, nor a context's list. */
/*@ requires mg_call_ok(x) && mg_term_handle(ti);
    assigns x->mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tcp_state, x->mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tls_state,
            x->mg->deadline[0 .. EMSEC_MG_MAX_TERMS - 1], x->mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tcp_fwd,
            x->mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tls_fwd, x->mg->ctx[0 .. EMSEC_MG_MAX_CONTEXTS - 1].forwarding,
            x->out->nactions, x->out->actions[0 .. EMSEC_MG_MAX_ACTIONS - 1], x->notes, x->code, x->why[0 .. 191];
    ensures mg_call_ok(x);
*/
static void release(mg_exec *x, uint16_t ti);

/* a=connection:new on a termination whose connection was set up before
 * (RFC 4145 §5.2: "If a previous TCP connection is still up, the endpoints
 * SHOULD close it"): release it through the lifecycle tables (TLS
 * close_notify, then CLOSE; spec/tls_lifecycle.tbl RELEASE rows carry
 * TCP_RELEASE, P1), then bring both machines back to their start with
 * SLOT_RESET (the only way out of RELEASED and FAILED, P2), so that the new
 * roles start a new connection and, where the gateway ends TLS, a new TLS
 * session. The controller ordered it: no tcpbcc/rel or tlsbsc/rel (the
 * tables' "controller" cells report nothing). */
static void replace_connection(mg_exec *x, uint16_t ti)
{
    emsec_mg *mg = x->mg;
    emsec_mg_term *t = &mg->term[ti];
    release(x, ti);
    (void)mg_tls(x, ti, EMSEC_TLS_EV_SLOT_RESET);
    (void)mg_tcp(x, ti, EMSEC_TCP_EV_SLOT_RESET);
    t->tcp_fwd = false;
    t->tls_fwd = false;
    mg->deadline[ti] = 0u;
    t->tcp_role = EMSEC_TCP_NONE;
    t->tls_role = EMSEC_TLS_NONE;
    /* the relay of the old connection ended with it: a FORWARD is given
     * again once the new connection (and its TLS) is up */
    if (t->ctx < EMSEC_MG_MAX_CONTEXTS)
        mg->ctx[t->ctx].forwarding = false;
}

/* Decide TCP and TLS roles once both SDPs are known (spec/roles.tbl) and
 * tell the adapter what to do.
 *
 * A Modify (or Move) that carries SDP on a termination whose roles an
 * earlier exchange decided is a new offer/answer exchange (RFC 4145 §5):
 * its a=connection values go through spec/reuse.tbl. The SDP the command
 * does not carry takes the value of the one it carries (the controller
 * gives the gateway the side that changed; the other side agrees with it,
 * as RFC 4145 §5.2 has the answerer do for "new"). Offer and answer keep
 * the sides of the first exchange. Verdict keep: nothing changes, the TLS
 * session and its roles included (RFC 8856 §8; MSRP ignores a=connection,
 * RFC 6135 §4.4, so an MSRP connection that is up is always kept). Verdict
 * new: the old connection is released and reset (replace_connection) and
 * the new roles set up as for a first exchange. A Modify without SDP
 * negotiates nothing and keeps everything. */
static bool decide(mg_exec *x, emsec_mg_term *t, uint16_t ti, bool modify)
{
    if (t->local_len == 0u || t->remote_len == 0u)
        return true; /* the other side's SDP has not come yet */
    bool again = modify && t->tcp_role != EMSEC_TCP_NONE; /* roles decided before */
    uint8_t lc = t->conn_local, rc = t->conn_remote;
    if (again && lc == EMSEC_CONNECTION_COUNT && rc == EMSEC_CONNECTION_COUNT)
        return true; /* no SDP in this command: nothing negotiated, all kept */
    if (lc == EMSEC_CONNECTION_COUNT)
        lc = rc;
    if (rc == EMSEC_CONNECTION_COUNT)
        rc = lc;
    emsec_role_input in;
    emsec_role_decision d;
    memset(&in, 0, sizeof in);
    in.kind = t->kind;
    in.secured = t->secured;
    in.side = t->offerer ? EMSEC_SIDE_OFFERER : EMSEC_SIDE_ANSWERER;
    in.offer_setup = (emsec_setup)(t->offerer ? t->local_setup : t->remote_setup);
    in.answer_setup = (emsec_setup)(t->offerer ? t->remote_setup : t->local_setup);
    in.existing = again && mg_conn_live(t);
    if (again) {
        in.offer_connection = (emsec_connection)(t->offerer ? lc : rc);
        in.answer_connection = (emsec_connection)(t->offerer ? rc : lc);
    }
    emsec_result r = emsec_roles_resolve(&in, &d);
    if (r != EMSEC_OK) {
        char why[128];
        wr w = { why, sizeof why - 1u, 0u, false };
        W_LIT(&w, "a=setup refused: ");
        w_str(&w, emsec_refusal_name(d.refusal));
        W_LIT(&w, " (spec/roles.tbl)");
        why[w.len] = '\0';
        return mg_fail(x, 449, why);
    }
    if (d.tcp == EMSEC_TCP_KEEP) { /* a re-offer that keeps the connection */
        if (t->tls_state != EMSEC_TLS_ST_NONE)
            (void)mg_tls(x, ti, EMSEC_TLS_EV_KEEP); /* and its TLS session, roles included (RFC 8856 §8) */
        return true;
    }
    if (t->tcp_state != EMSEC_TCP_INITIAL || t->tls_state != EMSEC_TLS_INITIAL)
        replace_connection(x, ti); /* verdict new on a termination used before */
    uint8_t tcp = (uint8_t)d.tcp, tls = (uint8_t)d.tls;
    if (t->tcp_role_prop != 0u) /* tcpbcc/role overrides what a=setup says */
        tcp = t->tcp_role_prop == 1u ? EMSEC_TCP_ACTIVE : EMSEC_TCP_PASSIVE;
    if (t->tls_role_prop != 0u && t->secured)
        tls = t->tls_role_prop == 1u ? EMSEC_TLS_CLIENT : EMSEC_TLS_SERVER;
    /* The gateway terminates TLS on this leg only when it presents its own
     * certificate (a=fingerprint in Local: IMS-AGW e2ae) or holds a PSK
     * (MRFP, RFC 4279); otherwise the TLS bytes pass untouched (e2e). */
    bool terminate = t->secured && (t->own_fingerprint || t->psk_len > 0u);
    if (!terminate)
        tls = EMSEC_TLS_NONE;
    t->tcp_role = tcp;
    t->tls_role = tls;
    /* The TLS machine first (it waits for TCP), then the TCP machine, whose
     * cells drive the rest as the network reports (core/mg_drive.c). */
    if (tls == EMSEC_TLS_SERVER)
        (void)mg_tls(x, ti, EMSEC_TLS_EV_SETUP_SERVER);
    else if (tls == EMSEC_TLS_CLIENT)
        (void)mg_tls(x, ti, t->estmode == MG_EST_HOLD ? EMSEC_TLS_EV_SETUP_CLIENT_ON_EST
                                                      : EMSEC_TLS_EV_SETUP_CLIENT);
    if (tcp == EMSEC_TCP_PASSIVE)
        (void)mg_tcp(x, ti, EMSEC_TCP_EV_LISTEN);
    else if (tcp == EMSEC_TCP_ACTIVE && t->estmode == MG_EST_DELAYED)
        (void)mg_tcp(x, ti, EMSEC_TCP_EV_DELAY);
    else if (tcp == EMSEC_TCP_ACTIVE && t->estmode == MG_EST_IMMEDIATE)
        (void)mg_tcp(x, ti, EMSEC_TCP_EV_CONNECT);
    /* active with estmode hold: nothing until tcpbcc/est */
    return x->code == 0u;
}

/* ------------------------------------------------------------ replies */


/* An SDP body inside Local { } or Remote { }: Annex B.2, "}" inside the
 * octetString is escaped "\}". */
/*@ requires wr_ok(w) && \valid_read(sdp + (0 .. len - 1));
    requires \separated(w->b + (0 .. w->cap - 1), sdp + (0 .. len - 1)) && \separated(w, sdp + (0 .. len - 1));
    assigns w->len, w->full, w->b[w->len .. w->cap - 1];
    ensures wr_ok(w) && wr_same{Pre, Post}(w) && wr_grows{Pre, Post}(w);
*/
static void w_sdp(wr *w, const char *sdp, uint32_t len)
{
    /*@ loop invariant 0 <= i <= len;
        loop invariant wr_ok(w) && wr_same{Pre, Here}(w) && wr_grows{Pre, Here}(w);
        loop assigns i, w->len, w->full, w->b[\at(w->len, Pre) .. w->cap - 1];
        loop variant len - i;
    */
    for (uint32_t i = 0u; i < len; i++) {
        if (sdp[i] == '}')
            W_LIT(w, "\\");
        w_put(w, &sdp[i], 1u);
    }
}

/* The Local SDP of a termination in the reply (H.248.1 §7.1.8), after
 * "Add = name": as the gateway wrote it, every `$` filled. */
/*@ requires wr_ok(w) && \valid_read(t) && t->local_len <= EMSEC_MG_MAX_SDP;
    requires \valid_read(local + (0 .. EMSEC_MG_MAX_SDP - 1));
    requires \separated(w->b + (0 .. w->cap - 1), t) && \separated(w, t);
    requires \separated(w->b + (0 .. w->cap - 1), local + (0 .. EMSEC_MG_MAX_SDP - 1)) &&
             \separated(w, local + (0 .. EMSEC_MG_MAX_SDP - 1));
    assigns w->len, w->full, w->b[w->len .. w->cap - 1];
    ensures wr_ok(w) && wr_same{Pre, Post}(w) && wr_grows{Pre, Post}(w);
*/
static void reply_local(wr *w, const emsec_mg_term *t, const char *local)
{
    if (t->local_len == 0u)
        return;
    W_LIT(w, " {\n            Media {\n                Stream = 1 {\n                    Local {\n");
    w_sdp(w, local, t->local_len);
    W_LIT(w, "                    }\n                }\n            }\n        }");
}

/* ------------------------------------------------------------ commands */

static bool amm(mg_exec *x, wr *w, uint16_t ci, const emsec_h248_node *cmd)
{
    emsec_mg *mg = x->mg;
    const char *s = x->src;
    bool add = cmd->item == EMSEC_H248_TOK_ADD;
    uint16_t ti;
    if (add) {
        if (SPAN_IS(s, cmd->value, "$")) {
            ti = MG_NO_TERM;
        } else {
            if (cmd->value.len >= EMSEC_MG_MAX_NAME)
                return MG_FAIL(x, 449, "TerminationID longer than the gateway keeps (EMSEC_MG_MAX_NAME)");
            if (SPAN_IS(s, cmd->value, "ROOT") || SPAN_IS(s, cmd->value, "*"))
                return MG_FAIL(x, 449, "Add of ROOT or of a wildcard");
            if (find_term(mg, s, cmd->value) != MG_NO_TERM)
                return MG_FAIL(x, 433, "TerminationID is already in a Context");
            ti = MG_NO_TERM;
        }
        if (mg->ctx[ci].nterms >= EMSEC_MG_TERMS_PER_CONTEXT)
            return MG_FAIL(x, 510, "Insufficient resources: a context joins two terminations");
        for (uint16_t i = 0u; i < EMSEC_MG_MAX_TERMS; i++)
            if (!mg->term[i].used) {
                ti = i;
                break;
            }
        if (ti == MG_NO_TERM)
            return MG_FAIL(x, 510, "Insufficient resources: no termination left (EMSEC_MG_MAX_TERMS)");
        emsec_mg_term *t = &mg->term[ti];
        memset(t, 0, sizeof *t);
        mg->deadline[ti] = 0u; /* no timer (kept apart: core/mg_model.h) */
        t->used = true;
        t->ctx = ci;
        t->stream = 1u;
        t->kind = EMSEC_KIND_COUNT;
        t->tcp_state = EMSEC_TCP_INITIAL;
        t->tls_state = EMSEC_TLS_INITIAL;
        if (SPAN_IS(s, cmd->value, "$")) {
            wr nw = { t->name, EMSEC_MG_MAX_NAME - 1u, 0u, false };
            w_str(&nw, mg->prefix);
            w_uint(&nw, ++mg->next_term_id);
            t->name_len = nw.len;
            t->name[nw.len] = '\0';
        } else {
            memcpy(t->name, s + cmd->value.off, cmd->value.len);
            t->name_len = cmd->value.len;
            t->name[t->name_len] = '\0';
        }
        mg->ctx[ci].terms[mg->ctx[ci].nterms++] = ti;
    } else {
        ti = find_term(mg, s, cmd->value);
        if (ti == MG_NO_TERM)
            return MG_FAIL(x, 430, "Unknown TerminationID");
        if (cmd->item == EMSEC_H248_TOK_MODIFY && mg->term[ti].ctx != ci)
            return MG_FAIL(x, 431, "No TerminationID matched a wildcard");
        if (cmd->item == EMSEC_H248_TOK_MOVE) {
            if (mg->term[ti].ctx == ci)
                return MG_FAIL(x, 449, "Move into the context the termination is in");
            if (mg->ctx[ci].nterms >= EMSEC_MG_TERMS_PER_CONTEXT)
                return MG_FAIL(x, 510, "Insufficient resources: a context joins two terminations");
            ctx_remove_term(mg, mg->term[ti].ctx, ti);
            mg->term[ti].ctx = ci;
            mg->ctx[ci].terms[mg->ctx[ci].nterms++] = ti;
        }
    }
    emsec_mg_term *t = &mg->term[ti];
    const emsec_h248_node *local = NULL, *remote = NULL;
    bool ok = true;
    t->conn_local = EMSEC_CONNECTION_COUNT; /* this command's SDP, none yet */
    t->conn_remote = EMSEC_CONNECTION_COUNT;
    for (uint32_t i = cmd->child; ok && i != 0u; i = x->msg->nodes[i].next) {
        const emsec_h248_node *n = &x->msg->nodes[i];
        switch (n->item) {
        case EMSEC_H248_TOK_MEDIA: ok = stream_parms(x, t, n, &local, &remote); break;
        case EMSEC_H248_TOK_EVENTS: ok = events(x, t, n); break;
        case EMSEC_H248_TOK_SIGNALS: break; /* after the SDP: they may need its address */
        case EMSEC_H248_TOK_AUDIT: break;
        default: ok = MG_FAIL(x, 444, "Unsupported or Unknown Descriptor"); break;
        }
    }
    if (ok && remote != NULL)
        ok = mg_read_remote(x, t, ti, s + remote->text.off, remote->text.len);
    if (ok && local != NULL)
        ok = mg_write_local(x, t, ti, s + local->text.off, local->text.len);
    if (ok)
        ok = decide(x, t, ti, !add);
    for (uint32_t i = cmd->child; ok && i != 0u; i = x->msg->nodes[i].next)
        if (x->msg->nodes[i].item == EMSEC_H248_TOK_SIGNALS)
            ok = signals(x, t, ti, &x->msg->nodes[i]);
    if (!ok) {
        if (add) { /* nothing of a failed Add remains (its media port included) */
            ctx_remove_term(mg, ci, ti);
            mg_port_release(mg, ti);
            t->used = false;
        }
        return false;
    }
    W_LIT(w, "        ");
    w_str(w, emsec_h248_token_name(cmd->item, false));
    W_LIT(w, " = ");
    w_put(w, t->name, t->name_len);
    if (local != NULL)
        reply_local(w, t, mg->local_sdp[ti]);
    return true;
}

/* Subtract: TLS first (close_notify; its cell releases TCP at once), then
 * TCP if anything of it is still live. */
static void release(mg_exec *x, uint16_t ti)
{
    emsec_mg_term *t = &x->mg->term[ti];
    if (t->tls_state != EMSEC_TLS_ST_NONE)
        (void)mg_tls(x, ti, EMSEC_TLS_EV_RELEASE);
    if (t->tcp_state != EMSEC_TCP_ST_RELEASED && t->tcp_state != EMSEC_TCP_ST_FAILED)
        (void)mg_tcp(x, ti, EMSEC_TCP_EV_RELEASE);
}

/* Subtract one termination, or every one of the context with "*" (H.248.1
 * §7.2.3): each released, named in the reply, taken off the context (an
 * emptied context is deleted) and its PSK cleared. */
/*@ requires mg_call_ok(x) && wr_ok(w) && wr_apart(w, x) && \separated(w, x->out) &&
             \separated(w->b + (0 .. w->cap - 1), x->out) && mg_node_in(x, cmd) && mg_ctx_handle(ci);
    assigns w->len, w->full, w->b[w->len .. w->cap - 1], x->code, x->why[0 .. 191], x->notes,
            x->out->nactions, x->out->actions[0 .. EMSEC_MG_MAX_ACTIONS - 1],
            x->mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tcp_state, x->mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tls_state,
            x->mg->deadline[0 .. EMSEC_MG_MAX_TERMS - 1], x->mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tcp_fwd,
            x->mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].tls_fwd, x->mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].used,
            x->mg->term[0 .. EMSEC_MG_MAX_TERMS - 1].psk[0 .. 63], x->mg->port_busy[0 .. 65535],
            x->mg->ctx[0 .. EMSEC_MG_MAX_CONTEXTS - 1].forwarding, x->mg->ctx[ci].terms[0 .. 1],
            x->mg->ctx[ci].nterms, x->mg->ctx[ci].used;
    ensures mg_call_ok(x) && wr_ok(w) && wr_same{Pre, Post}(w) && wr_grows{Pre, Post}(w);
    ensures !\result ==> x->code != 0;
*/
static bool subtract(mg_exec *x, wr *w, uint16_t ci, const emsec_h248_node *cmd)
{
    emsec_mg *mg = x->mg;
    const char *s = x->src;
    bool all = SPAN_IS(s, cmd->value, "*");
    uint16_t ti = all ? MG_NO_TERM : find_term(mg, s, cmd->value);
    if (!all && (ti == MG_NO_TERM || mg->term[ti].ctx != ci))
        return MG_FAIL(x, 430, "Unknown TerminationID");
    /* The context's own list names every termination in it (mg_term_ok,
     * core/mg_model.h), so only those are visited, not every slot: a
     * Subtract used to read all EMSEC_MG_MAX_TERMS slots (8 MB). A copy,
     * since ctx_remove_term changes the list, in ascending handle order,
     * the order the reply has always named them in. */
    uint16_t victims[EMSEC_MG_TERMS_PER_CONTEXT];
    uint8_t nv = 0u;
    for (uint8_t v = 0u; v < mg->ctx[ci].nterms && v < EMSEC_MG_TERMS_PER_CONTEXT; v++) {
        uint16_t t = mg->ctx[ci].terms[v];
        if (t < EMSEC_MG_MAX_TERMS && (all || t == ti))
            victims[nv++] = t;
    }
    if (nv == 2u && victims[0] > victims[1]) {
        uint16_t t = victims[0];
        victims[0] = victims[1];
        victims[1] = t;
    }
    bool first = true;
    for (uint8_t v = 0u; v < nv; v++) {
        uint16_t i = victims[v];
        /* as before: a slot the first release emptied or moved is skipped */
        if (!mg->term[i].used || mg->term[i].ctx != ci)
            continue;
        release(x, i);
        if (!first)
            W_LIT(w, ",\n");
        first = false;
        W_LIT(w, "        Subtract = ");
        w_put(w, mg->term[i].name, mg->term[i].name_len);
        mg_port_release(mg, i);
        mg->term[i].used = false;
        ctx_remove_term(mg, ci, i);
        /* the PSK leaves no trace in the slot (byte by byte: WP's typed
         * memory model follows stores of the array's own type, not memset) */
        /*@ loop invariant 0 <= k <= sizeof(mg->term[i].psk);
            loop assigns k, mg->term[i].psk[0 .. 63];
            loop variant sizeof(mg->term[i].psk) - k;
        */
        for (size_t k = 0; k < sizeof mg->term[i].psk; k++)
            mg->term[i].psk[k] = 0u;
    }
    return true;
}

/* The LocalControl of an audited termination: tcpbcc/estmode, and the
 * roles once decided; tlsbsc/psk and tlsbsc/pskid are never audited back
 * (spec/h248_profile.tbl). */
/*@ requires wr_ok(w) && \valid_read(t);
    requires \separated(w->b + (0 .. w->cap - 1), t) && \separated(w, t);
    assigns w->len, w->full, w->b[w->len .. w->cap - 1];
    ensures wr_ok(w) && wr_same{Pre, Post}(w) && wr_grows{Pre, Post}(w);
*/
static void audit_local_control(wr *w, const emsec_mg_term *t)
{
    W_LIT(w, "LocalControl { tcpbcc/estmode = ");
    if (t->estmode == MG_EST_DELAYED)
        W_LIT(w, "delayed");
    else if (t->estmode == MG_EST_HOLD)
        W_LIT(w, "hold");
    else
        W_LIT(w, "immediate");
    if (t->tcp_role == EMSEC_TCP_ACTIVE)
        W_LIT(w, ", tcpbcc/role = client");
    else if (t->tcp_role == EMSEC_TCP_PASSIVE)
        W_LIT(w, ", tcpbcc/role = server");
    if (t->tls_role == EMSEC_TLS_CLIENT)
        W_LIT(w, ", tlsbsc/role = client");
    else if (t->tls_role == EMSEC_TLS_SERVER)
        W_LIT(w, ", tlsbsc/role = server");
    W_LIT(w, " }");
}

/* ",\n Local { sdp }" or the same with Remote; nothing for no SDP. */
/*@ requires wr_ok(w) && \valid_read(sdp + (0 .. len - 1));
    requires \separated(w->b + (0 .. w->cap - 1), sdp + (0 .. len - 1)) && \separated(w, sdp + (0 .. len - 1));
    assigns w->len, w->full, w->b[w->len .. w->cap - 1];
    ensures wr_ok(w) && wr_same{Pre, Post}(w) && wr_grows{Pre, Post}(w);
*/
static void audit_sdp(wr *w, bool remote, const char *sdp, uint32_t len)
{
    if (len == 0u)
        return;
    if (remote)
        W_LIT(w, ",\n                    Remote {\n");
    else
        W_LIT(w, ",\n                    Local {\n");
    w_sdp(w, sdp, len);
    W_LIT(w, "                    }");
}

/* A termination's name: up to its NUL within the array (a bounded scan,
 * no strlen: the writer then needs only the array's bytes). */
/*@ requires wr_ok(w) && \valid_read(name + (0 .. EMSEC_MG_MAX_NAME - 1));
    requires \separated(w->b + (0 .. w->cap - 1), name + (0 .. EMSEC_MG_MAX_NAME - 1));
    requires \separated(w, name + (0 .. EMSEC_MG_MAX_NAME - 1));
    assigns w->len, w->full, w->b[w->len .. w->cap - 1];
    ensures wr_ok(w) && wr_same{Pre, Post}(w) && wr_grows{Pre, Post}(w);
*/
static void w_name(wr *w, const char *name)
{
    uint32_t n = 0u;
    /*@ loop invariant 0 <= n < EMSEC_MG_MAX_NAME;
        loop assigns n;
        loop variant EMSEC_MG_MAX_NAME - 1 - n;
    */
    while (n < EMSEC_MG_MAX_NAME - 1u && name[n] != '\0')
        n++;
    w_put(w, name, n);
}

/* AuditValue of one termination (H.248.1 §7.2.5): its profile properties
 * and SDP, never its PSK. */
/*@ requires wr_ok(w) && \valid_read(t);
    requires t->local_len <= EMSEC_MG_MAX_SDP && t->remote_len <= EMSEC_MG_MAX_SDP;
    requires \valid_read(local + (0 .. EMSEC_MG_MAX_SDP - 1)) && \valid_read(remote + (0 .. EMSEC_MG_MAX_SDP - 1));
    requires \separated(w->b + (0 .. w->cap - 1), t) && \separated(w, t);
    requires \separated(w->b + (0 .. w->cap - 1), local + (0 .. EMSEC_MG_MAX_SDP - 1)) &&
             \separated(w, local + (0 .. EMSEC_MG_MAX_SDP - 1));
    requires \separated(w->b + (0 .. w->cap - 1), remote + (0 .. EMSEC_MG_MAX_SDP - 1)) &&
             \separated(w, remote + (0 .. EMSEC_MG_MAX_SDP - 1));
    assigns w->len, w->full, w->b[w->len .. w->cap - 1];
    ensures wr_ok(w) && wr_same{Pre, Post}(w) && wr_grows{Pre, Post}(w);
*/
static void audit_one(mg_exec *x, wr *w, const emsec_mg_term *t, const char *local, const char *remote)
{
    (void)x;
    W_LIT(w, "        AuditValue = ");
    w_name(w, t->name);
    W_LIT(w, " {\n            Media {\n                Stream = 1 {\n                    ");
    audit_local_control(w, t);
    audit_sdp(w, false, local, t->local_len);
    audit_sdp(w, true, remote, t->remote_len);
    W_LIT(w, "\n                }\n            }\n        }");
}

/*@ requires mg_exec_ok(x) && wr_ok(w) && wr_apart(w, x) && mg_node_in(x, cmd);
    assigns w->len, w->full, w->b[w->len .. w->cap - 1], x->code, x->why[0 .. 191];
    ensures wr_ok(w) && wr_same{Pre, Post}(w) && wr_grows{Pre, Post}(w);
    ensures \result ==> x->code == \old(x->code);
    ensures !\result ==> x->code != 0;
*/
static bool audit(mg_exec *x, wr *w, uint16_t ci, const emsec_h248_node *cmd)
{
    emsec_mg *mg = x->mg;
    const char *s = x->src;
    if (SPAN_IS(s, cmd->value, "ROOT")) {
        W_LIT(w, "        AuditValue = ROOT");
        return true;
    }
    uint16_t ti = find_term(mg, s, cmd->value);
    if (ti == MG_NO_TERM || (ci != MG_NO_CTX && mg->term[ti].ctx != ci))
        return MG_FAIL(x, 430, "Unknown TerminationID");
    audit_one(x, w, &mg->term[ti], mg->local_sdp[ti], mg->remote_sdp[ti]);
    return true;
}

/* ------------------------------------------------------------ transactions */

/* The failed command's Error descriptor (H.248.1 §8.2.2). The reason's
 * length: up to the NUL mg_fail_n put within why[], found by a bounded
 * scan (no strlen, whose contract would need why to be a string). */
/*@ requires wr_ok(w) && \valid_read(x);
    requires \separated(w->b + (0 .. w->cap - 1), x) && \separated(w, x);
    assigns w->len, w->full, w->b[w->len .. w->cap - 1];
    ensures wr_ok(w) && wr_same{Pre, Post}(w) && wr_grows{Pre, Post}(w);
*/
static void error_descriptor(wr *w, const mg_exec *x)
{
    uint32_t n = 0u;
    /*@ loop invariant 0 <= n <= 191;
        loop assigns n;
        loop variant 191 - n;
    */
    while (n < sizeof x->why - 1u && x->why[n] != '\0')
        n++;
    W_LIT(w, "        Error = ");
    w_uint(w, x->code);
    W_LIT(w, " {\"");
    w_put(w, x->why, n);
    W_LIT(w, "\"}");
}


/* ------------------------------------------------------------ action's frame */

/*@ // The fields of the model mg_ready and mg_exec_ok read, the same at L1
    // and L2: a call that writes none of them keeps both. Stated field by
    // field (each an assert after the call that could break it) so that the
    // provers meet each write's separation alone, apart from the
    // predicates' own reasoning.
    predicate mg_term_fields_same{L1, L2}(emsec_mg *mg) =
      \forall integer ti; mg_term_handle(ti) ==>
        \at(mg->term[ti].used, L1) == \at(mg->term[ti].used, L2) &&
        \at(mg->term[ti].ctx, L1) == \at(mg->term[ti].ctx, L2) &&
        \at(mg->term[ti].local_len, L1) == \at(mg->term[ti].local_len, L2) &&
        \at(mg->term[ti].remote_len, L1) == \at(mg->term[ti].remote_len, L2);
    predicate mg_term_names_same{L1, L2}(emsec_mg *mg) =
      \forall integer ti, k; mg_term_handle(ti) && 0 <= k < EMSEC_MG_MAX_NAME ==>
        \at(mg->term[ti].name[k], L1) == \at(mg->term[ti].name[k], L2);
    predicate mg_terms_same{L1, L2}(emsec_mg *mg) =
      mg_term_fields_same{L1, L2}(mg) && mg_term_names_same{L1, L2}(mg);
    predicate mg_ctxs_same{L1, L2}(emsec_mg *mg) =
      \forall integer ci; mg_ctx_handle(ci) ==>
        \at(mg->ctx[ci].nterms, L1) == \at(mg->ctx[ci].nterms, L2) &&
        \forall integer k; 0 <= k < EMSEC_MG_TERMS_PER_CONTEXT ==>
          \at(mg->ctx[ci].terms[k], L1) == \at(mg->ctx[ci].terms[k], L2);
    predicate mg_cache_same{L1, L2}(emsec_mg *mg) =
      \at(mg->cache_next, L1) == \at(mg->cache_next, L2) &&
      \forall integer i; 0 <= i < EMSEC_MG_REPLY_CACHE ==> \at(mg->cache[i].len, L1) == \at(mg->cache[i].len, L2);
    predicate mg_mid_bytes_same{L1, L2}(emsec_mg *mg) =
      \forall integer i; 0 <= i < 128 ==> \at(mg->mid[i], L1) == \at(mg->mid[i], L2);
    predicate mg_mid_same{L1, L2}(emsec_mg *mg) =
      \at(mg->mid_len, L1) == \at(mg->mid_len, L2) && mg_mid_bytes_same{L1, L2}(mg);

    // What mg_call_ok reads outside the model: the call's fields, the
    // message and its nodes, the actions' count.
    predicate mg_node_same{L1, L2}(emsec_h248_node *n) =
      \at(n->item, L1) == \at(n->item, L2) && \at(n->vkind, L1) == \at(n->vkind, L2) &&
      \at(n->child, L1) == \at(n->child, L2) && \at(n->next, L1) == \at(n->next, L2) &&
      \at(n->values, L1) == \at(n->values, L2) &&
      \at(n->name.off, L1) == \at(n->name.off, L2) && \at(n->name.len, L1) == \at(n->name.len, L2) &&
      \at(n->value.off, L1) == \at(n->value.off, L2) && \at(n->value.len, L1) == \at(n->value.len, L2) &&
      \at(n->value2.off, L1) == \at(n->value2.off, L2) && \at(n->value2.len, L1) == \at(n->value2.len, L2) &&
      \at(n->text.off, L1) == \at(n->text.off, L2) && \at(n->text.len, L1) == \at(n->text.len, L2) &&
      \at(n->stamp.off, L1) == \at(n->stamp.off, L2) && \at(n->stamp.len, L1) == \at(n->stamp.len, L2);
    predicate mg_call_same{L1, L2}(mg_exec *x) =
      \at(x->mg, L1) == \at(x->mg, L2) && \at(x->msg, L1) == \at(x->msg, L2) &&
      \at(x->src, L1) == \at(x->src, L2) && \at(x->src_len, L1) == \at(x->src_len, L2) &&
      \at(x->out, L1) == \at(x->out, L2) && \at(x->notes.count, L1) == \at(x->notes.count, L2) &&
      \at(x->out->nactions, L1) == \at(x->out->nactions, L2) &&
      \at(x->msg->count, L1) == \at(x->msg->count, L2) && \at(x->msg->cap, L1) == \at(x->msg->cap, L2) &&
      \at(x->msg->nodes, L1) == \at(x->msg->nodes, L2) &&
      \at(x->msg->mid.off, L1) == \at(x->msg->mid.off, L2) && \at(x->msg->mid.len, L1) == \at(x->msg->mid.len, L2) &&
      \forall integer i; 0 <= i < \at(x->msg->count, L1) ==> mg_node_same{L1, L2}(\at(x->msg->nodes, L1) + i);

    // The decoded nodes' items and links (what the walk over the
    // transactions reads) the same at L1 and L2.
    predicate mg_nodes_same{L1, L2}(emsec_h248_node *n, integer count) =
      \forall integer j; 0 <= j < count ==>
        \at(n[j].item, L1) == \at(n[j].item, L2) && \at(n[j].next, L1) == \at(n[j].next, L2) &&
        \at(n[j].child, L1) == \at(n[j].child, L2);
    // The call's pointers and the decoded message's size the same at L1 and
    // L2: what a caller needs to chain its callees' mg_nodes_same, which
    // read them at each callee's Post (without it, the frames of these
    // fields over every callee's writes timed out).
    predicate mg_x_same{L1, L2}(mg_exec *x) =
      \at(x->mg, L1) == \at(x->mg, L2) && \at(x->msg, L1) == \at(x->msg, L2) &&
      \at(x->src, L1) == \at(x->src, L2) && \at(x->src_len, L1) == \at(x->src_len, L2) &&
      \at(x->out, L1) == \at(x->out, L2) &&
      \at(x->msg->nodes, L1) == \at(x->msg->nodes, L2) && \at(x->msg->count, L1) == \at(x->msg->count, L2);
*/

/* The locations action writes: its assigns clause, one list for action,
 * tr_action and action_frame_check below. The SDP bodies are named as one
 * flat byte range each: ACSL takes no row of a 2-D array as an assigns
 * location, and WP writes `a[0 .. T-1][0 .. S-1]` as a quantified premise
 * in every frame a caller derives. */
#define MG_ACTION_WRITES(x, w)                                                                                 \
    (w)->len, (w)->full, (w)->b[0 .. (w)->cap - 1], (x)->code, (x)->why[0 .. 191], (x)->notes,                \
        (x)->out->nactions, (x)->out->actions[0 .. EMSEC_MG_MAX_ACTIONS - 1],                                  \
        (x)->mg->ctx[0 .. EMSEC_MG_MAX_CONTEXTS - 1], (x)->mg->term[0 .. EMSEC_MG_MAX_TERMS - 1],               \
        (x)->mg->next_ctx_id, (x)->mg->next_term_id, (x)->mg->next_port, (x)->mg->tls_id_counter,              \
        (x)->mg->sdp, (x)->mg->deadline[0 .. EMSEC_MG_MAX_TERMS - 1], (x)->mg->port_busy[0 .. 65535],          \
        (&(x)->mg->local_sdp[0][0])[0 .. EMSEC_MG_MAX_TERMS * EMSEC_MG_MAX_SDP - 1],                          \
        (&(x)->mg->remote_sdp[0][0])[0 .. EMSEC_MG_MAX_TERMS * EMSEC_MG_MAX_SDP - 1]

/*@ // What the frame of those writes rests on: the call's objects apart
    // from each other and from the reply's buffer, the decoded nodes in the
    // model's arena (a field action does not write).
    // Implied by mg_tr_ok; stated over whole objects, not field by field:
    // the provers derive the frame from these in under a second, where
    // from the field-level separations they timed out (cvc4 30 s,
    // 2026-11-24, measured on a scratch file outside the tree).
    predicate mg_action_frame_ok(mg_exec *x, wr *w) =
      \separated(x, x->mg, x->msg, x->out, w) &&
      \separated(w->b + (0 .. w->cap - 1), x, x->mg, x->msg, x->out) &&
      x->msg->nodes == &x->mg->nodes[0] && x->msg->count <= EMSEC_MG_MAX_NODES;
*/

/* action's precondition, one list for its contract and its vacuity probe
 * (probe_action_frame, the end of this file). */
#define MG_ACTION_PRE(x, w, ctxn)                                                                              \
    requires mg_call_ok(x) && wr_ok(w) && wr_apart(w, x) && \separated(w, (x)->out) &&                         \
             \separated((w)->b + (0 .. (w)->cap - 1), (x)->out) && mg_node_in(x, ctxn);                         \
    requires mg_action_frame_ok(x, w)

/* What action keeps: every location its assigns clause leaves out that the
 * walk over the transactions reads again. Each follows from the clause
 * alone; action_frame_check proves that it does. */
#define MG_ACTION_KEEPS(x)                                                                                     \
    ensures x_kept: mg_x_same{Pre, Post}(x);                                                                   \
    ensures mid_kept: mg_mid_bytes_same{Pre, Post}(\at((x)->mg, Pre));                                         \
    ensures mid_len_kept: \at((x)->mg, Pre)->mid_len == \at((x)->mg->mid_len, Pre);                            \
    ensures cache_kept: mg_cache_same{Pre, Post}(\at((x)->mg, Pre));                                           \
    ensures nodes_kept: mg_nodes_same{Pre, Post}(\at((x)->msg->nodes, Pre), \at((x)->msg->count, Pre))

#ifdef __FRAMAC__
/* For the proofs only (__FRAMAC__: never compiled). action's contract states
 * MG_ACTION_KEEPS beside its assigns, and is assumed (action is not proved
 * yet, proofs/UNPROVED.md). Derived at action's call, in tr_action's context
 * (the model's and the message's invariants before and after the call),
 * those frames timed out (cvc4 300 s, z3 out of memory, 2026-11-24); here
 * they are proved of any function with action's assigns clause, in a
 * context holding that clause and mg_action_frame_ok alone. */
/*@ requires mg_action_frame_ok(x, w);
    assigns MG_ACTION_WRITES(x, w);
*/
static void action_writes(mg_exec *x, wr *w);

/*@ requires mg_action_frame_ok(x, w);
    assigns MG_ACTION_WRITES(x, w);
    MG_ACTION_KEEPS(x);
*/
static void action_frame_check(mg_exec *x, wr *w)
{
    action_writes(x, w);
}

#endif

/* One actionRequest: Context = id { commands }. Its contract is assumed
 * (proofs/UNPROVED.md: action and the handlers it calls are not all proved
 * yet); emsec_mg_control is proved against it. What it changes: the reply
 * writer (rewinding only to marks it took), the command's failure, the
 * Notify requests, the actions, and the contexts, terminations and counters
 * of the model -- never the node arena, the reply cache or the mId
 * (MG_ACTION_KEEPS, which action_frame_check proves of MG_ACTION_WRITES). */
/*@ MG_ACTION_PRE(x, w, ctxn);
    assigns MG_ACTION_WRITES(x, w);
    ensures mg_call_ok(x);
    ensures wr_ok(w) && wr_same{Pre, Post}(w) && wr_grows{Pre, Post}(w) && wr_full_stays{Pre, Post}(w);
    MG_ACTION_KEEPS(x);
*/
static bool action(mg_exec *x, wr *w, const emsec_h248_node *ctxn)
{
    emsec_mg *mg = x->mg;
    const char *s = x->src;
    uint16_t ci = MG_NO_CTX;
    bool created = false;
    x->code = 0u;
    W_LIT(w, "    Context = ");
    uint32_t ctx_id_at = w->len, ctx_id_end = w->len;
    if (SPAN_IS(s, ctxn->value, "$")) {
        ci = new_ctx(mg);
        if (ci == MG_NO_CTX) {
            /* no context was created: the null context (RFC 3525 §8.2.2) */
            W_LIT(w, "- {\n");
            (void)MG_FAIL(x, 510, "Insufficient resources: no context left (EMSEC_MG_MAX_CONTEXTS)");
            error_descriptor(w, x);
            W_LIT(w, "\n    }");
            return false;
        }
        created = true;
        w_uint(w, mg->ctx[ci].id);
        ctx_id_end = w->len;
    } else if (SPAN_IS(s, ctxn->value, "-")) {
        W_LIT(w, "-");
    } else if (SPAN_IS(s, ctxn->value, "*")) {
        W_LIT(w, "*");
        (void)MG_FAIL(x, 501, "Not Implemented: commands on every context (*)");
    } else {
        ci = find_ctx(mg, span_uint(s, ctxn->value));
        w_put(w, s + ctxn->value.off, ctxn->value.len);
        if (ci == MG_NO_CTX)
            (void)MG_FAIL(x, 411, "The transaction refers to an unknown ContextId");
    }
    W_LIT(w, " {\n");
    bool first = true;
    for (uint32_t i = ctxn->child; x->code == 0u && i != 0u; i = x->msg->nodes[i].next) {
        const emsec_h248_node *cmd = &x->msg->nodes[i];
        uint32_t mark = w->len;
        if (!first)
            W_LIT(w, ",\n");
        bool ok;
        bool null_ctx = ci == MG_NO_CTX;
        switch (cmd->item) {
        case EMSEC_H248_TOK_ADD:
        case EMSEC_H248_TOK_MODIFY:
        case EMSEC_H248_TOK_MOVE:
            ok = null_ctx ? MG_FAIL(x, 449, "Add, Modify and Move need a context (not -)") : amm(x, w, ci, cmd);
            break;
        case EMSEC_H248_TOK_SUBTRACT:
            ok = null_ctx ? MG_FAIL(x, 449, "Subtract needs a context (not -)") : subtract(x, w, ci, cmd);
            break;
        case EMSEC_H248_TOK_AUDITVALUE:
            ok = audit(x, w, ci, cmd);
            break;
        case EMSEC_H248_TOK_SERVICECHANGE:
            if (SPAN_IS(s, cmd->value, "ROOT")) {
                W_LIT(w, "        ServiceChange = ROOT");
                ok = true;
            } else {
                ok = MG_FAIL(x, 501, "Not Implemented: ServiceChange of a termination");
            }
            break;
        case EMSEC_H248_TOK_TOPOLOGY:
        case EMSEC_H248_TOK_PRIORITY:
        case EMSEC_H248_TOK_EMERGENCY:
        case EMSEC_H248_TOK_EMERGENCYOFF:
            ok = true; /* context properties: accepted, no effect on TCP media */
            w->len = mark;
            continue;
        default:
            ok = MG_FAIL(x, 501, "Not Implemented");
            break;
        }
        if (!ok) {
            w->len = mark;
            break;
        }
        first = false;
    }
    if (x->code != 0u) {
        if (!first)
            W_LIT(w, ",\n");
        error_descriptor(w, x);
    }
    W_LIT(w, "\n    }");
    if (created && ci != MG_NO_CTX && mg->ctx[ci].nterms == 0u) {
        mg->ctx[ci].used = false; /* a context whose Add failed is not kept */
        /* RFC 3525 §8.2.2: "The ContextID may be specific, all or null":
         * when no command of the action succeeded, the context the reply
         * would name never held a termination and no longer exists (its id
         * may go to the next CHOOSE), so the reply names the null context
         * "-" in place of the id written above. (A context emptied by a
         * Subtract that succeeded keeps its id in the reply.) */
        if (first && !w->full && ctx_id_end > ctx_id_at) {
            w->b[ctx_id_at] = '-';
            memmove(w->b + ctx_id_at + 1u, w->b + ctx_id_end, w->len - ctx_id_end);
            w->len -= ctx_id_end - ctx_id_at - 1u;
        }
    }
    return x->code == 0u;
}

/* The requester's mId of message header span `mid` of src as the cache key:
 * lower-cased (RFC 3525 Annex B.2, "Everything in the ABNF and text encoding
 * is case insensitive"), the first EMSEC_MG_MID_KEY bytes kept and the rest
 * of text zeroed, the length, and an FNV-1a 64 hash of every byte: a longer
 * mId (the ABNF bounds no IPv6 hexseq, no LWSP in an mtpAddress) still gets
 * a fixed-size key (include/emsec/mg.h, "Reply cache"). */
/*@ requires \valid(k);
    requires \valid_read(src + (mid.off .. mid.off + mid.len - 1));
    requires \separated(k, src + (mid.off .. mid.off + mid.len - 1));
    assigns *k;
    ensures k->len == mid.len;
    ensures \forall integer i; 0 <= i < EMSEC_MG_MID_KEY && i < mid.len ==>
              k->text[i] == lower_ci(src[mid.off + i]);
    ensures \forall integer i; mid.len <= i < EMSEC_MG_MID_KEY ==> k->text[i] == 0;
*/
static void mid_key_of(mg_mid_key *k, const char *src, emsec_span mid)
{
    k->len = mid.len;
    /*@ loop invariant 0 <= i <= EMSEC_MG_MID_KEY;
        loop invariant \forall integer j; 0 <= j < i && j < mid.len ==> k->text[j] == lower_ci(src[mid.off + j]);
        loop invariant \forall integer j; mid.len <= j < i ==> k->text[j] == 0;
        loop assigns i, k->text[0 .. EMSEC_MG_MID_KEY - 1];
        loop variant EMSEC_MG_MID_KEY - i;
    */
    for (size_t i = 0; i < EMSEC_MG_MID_KEY; i++) {
        char c = i < mid.len ? src[mid.off + i] : '\0';
        k->text[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    uint64_t h = 14695981039346656037u; /* FNV-1a 64 offset basis */
    /*@ loop invariant 0 <= i <= mid.len;
        loop assigns i, h;
        loop variant mid.len - i;
    */
    for (size_t i = 0; i < mid.len; i++) {
        char c = src[mid.off + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        h = (h ^ (uint8_t)c) * 1099511628211u; /* FNV 64 prime; unsigned wrap intended */
    }
    k->hash = h;
}

/* The two keys name the same requester (mid_key_eq: every field equal). */
/*@ requires \valid_read(a) && \valid_read(b);
    assigns \nothing;
    ensures \result <==> mid_key_eq(a, b);
*/
static bool mid_key_same(const mg_mid_key *a, const mg_mid_key *b)
{
    if (a->len != b->len || a->hash != b->hash)
        return false;
    /*@ loop invariant 0 <= i <= EMSEC_MG_MID_KEY;
        loop invariant \forall integer j; 0 <= j < i ==> a->text[j] == b->text[j];
        loop assigns i;
        loop variant EMSEC_MG_MID_KEY - i;
    */
    for (size_t i = 0; i < EMSEC_MG_MID_KEY; i++)
        if (a->text[i] != b->text[i])
            return false;
    return true;
}

/*@ predicate cache_has(emsec_mg *mg, integer i, mg_mid_key *from, integer tid) =
      mg->cache[i].used && mg->cache[i].tid == tid && mid_key_eq(&mg->cache[i].from, from);
*/

/* The kept reply to transaction tid from requester `from`, NULL when none
 * (RFC 3525 Annex D.1.1: "compared to the transaction identifiers of the
 * recent responses sent to the same MId"). */
/*@ requires \valid_read(mg) && \valid_read(from);
    assigns \result \from mg, from, *from, tid, mg->cache[0 .. EMSEC_MG_REPLY_CACHE - 1];
    behavior found:
      assumes \exists integer i; 0 <= i < EMSEC_MG_REPLY_CACHE && cache_has(mg, i, from, tid);
      ensures \exists integer i; 0 <= i < EMSEC_MG_REPLY_CACHE && cache_has(mg, i, from, tid) &&
              \result == &mg->cache[i];
    behavior none:
      assumes \forall integer i; 0 <= i < EMSEC_MG_REPLY_CACHE ==> !cache_has(mg, i, from, tid);
      ensures \result == \null;
    complete behaviors;
    disjoint behaviors;
*/
static const mg_cached_reply *cached(const emsec_mg *mg, const mg_mid_key *from, uint32_t tid)
{
    /*@ loop invariant 0 <= i <= EMSEC_MG_REPLY_CACHE;
        loop invariant \forall integer j; 0 <= j < i ==> !cache_has(mg, j, from, tid);
        loop assigns i;
        loop variant EMSEC_MG_REPLY_CACHE - i;
    */
    for (uint32_t i = 0u; i < EMSEC_MG_REPLY_CACHE; i++)
        if (mg->cache[i].used && mg->cache[i].tid == tid && mid_key_same(&mg->cache[i].from, from)) {
            /*@ assert cache_has(mg, i, from, tid); */ // the "none" behaviour's contradiction, named
            return &mg->cache[i];
        }
    return NULL;
}

/* Keep the reply to requester from's transaction tid in the next slot (round
 * robin). A reply that
 * cannot be kept whole (longer than a slot, or cut short because out->cap
 * was too small: !whole) still takes the slot, marked not kept: the
 * transaction was executed, and the at-most-once rule (RFC 3525 Annex
 * D.1.1: "Add commands ... executed several times") forbids a second
 * execution of its retransmission. */
/*@ requires \valid(mg) && mg_cache_ok(mg);
    requires \valid_read(from) && \separated(from, mg);
    requires 0 < len; // a reply starts "Reply = "
    requires whole ==> \valid_read(text + (0 .. len - 1));
    requires whole ==> \separated(text + (0 .. len - 1), &mg->cache[0 .. EMSEC_MG_REPLY_CACHE - 1]);
    assigns mg->cache_next, mg->cache[mg->cache_next];
    ensures mg_cache_ok(mg);
    ensures mg->cache_next == (\old(mg->cache_next) + 1) % EMSEC_MG_REPLY_CACHE;
    ensures \let c = &mg->cache[\old(mg->cache_next)]; c->used && c->tid == tid && mid_key_eq(&c->from, from);
    behavior not_kept:
      assumes !whole || len > EMSEC_MG_MAX_REPLY;
      ensures \let c = &mg->cache[\old(mg->cache_next)]; !c->kept && c->len == 0;
    behavior kept:
      assumes whole && len <= EMSEC_MG_MAX_REPLY;
      ensures \let c = &mg->cache[\old(mg->cache_next)];
              c->kept && c->len == len &&
              \forall integer i; 0 <= i < len ==> c->text[i] == \old(text[i]);
    complete behaviors;
    disjoint behaviors;
*/
static void cache_put(emsec_mg *mg, const mg_mid_key *from, uint32_t tid, const char *text, uint32_t len,
                      bool whole)
{
    mg_cached_reply *c = &mg->cache[mg->cache_next];
    mg->cache_next = (mg->cache_next + 1u) % EMSEC_MG_REPLY_CACHE;
    c->used = true;
    c->tid = tid;
    /* field by field: WP proves these copies, where a struct assignment
     * (c->from = *from) left the ensures on c->from and c->text unproved */
    c->from.len = from->len;
    c->from.hash = from->hash;
    memcpy(c->from.text, from->text, sizeof c->from.text);
    /*@ assert mid_key_eq(&c->from, from); */
    if (!whole || len > EMSEC_MG_MAX_REPLY) {
        c->kept = false;
        c->len = 0u;
        return;
    }
    c->kept = true;
    c->len = len;
    memcpy(c->text, text, len);
}

/* ------------------------------------------------------------ API */

/*@ assigns \nothing;
    ensures \result == sizeof(emsec_mg);
*/
uint32_t emsec_mg_size(void)
{
    return (uint32_t)sizeof(emsec_mg);
}

/* The length of the string s when it fits a cap-byte field with its NUL;
 * cap when s is NULL or too long. Apart from the copy (copy_bytes) so that
 * every length is taken before the model is written: a length taken after
 * a write would have to be carried over it, which costs WP far more. */
/*@ requires s == \null || valid_read_string(s);
    requires 0 < cap;
    assigns \nothing;
    ensures \result <= cap;
    ensures \result < cap <==> (s != \null && strlen(s) < cap);
    ensures \result < cap ==> \result == strlen(s);
*/
static size_t str_len_below(const char *s, size_t cap)
{
    if (s == NULL)
        return cap;
    size_t n = strlen(s);
    return n < cap ? n : cap;
}

/* n bytes and the NUL after them from src into dst. */
/*@ requires n < 65536 && \valid(dst + (0 .. n)) && \valid_read(src + (0 .. n));
    requires \separated(dst + (0 .. n), src + (0 .. n));
    assigns dst[0 .. n];
    ensures \forall integer i; 0 <= i <= n ==> dst[i] == \old(src[i]);
*/
static void copy_bytes(char *dst, const char *src, size_t n)
{
    memcpy(dst, src, n + 1u);
}

/*@ // The transaction requests (H.248.1 Annex B transactionRequest) on the
    // chain of siblings from node i: the message body's transactions when i
    // is the root's first child. The chain's indices grow (emsec_h248_link_ok),
    // which makes the recursion well founded (count - i decreases).
    logic integer mg_requests{L}(emsec_h248_node *n, integer count, integer i) =
      (i <= 0 || i >= count) ? 0 :
        (n[i].item == EMSEC_H248_TOK_TRANS ? 1 : 0) + (n[i].next > i ? mg_requests(n, count, n[i].next) : 0);

    predicate mg_cache_lens_ok(emsec_mg *mg) =
      \forall integer i; 0 <= i < EMSEC_MG_REPLY_CACHE ==> mg->cache[i].len <= EMSEC_MG_MAX_REPLY;
    // What emsec_mg_init establishes and every call keeps (the part the
    // proof of emsec_mg_control needs).
    // The mId by its kept length (no strlen: mg_names_ok says why), and
    // its NUL, from which error_out derives the string the decoder's error
    // reply takes.
    predicate mg_ready(emsec_mg *mg) =
      mg->mid_len < 128 && mg->mid[mg->mid_len] == '\0' && mg_cache_ok(mg) && mg_cache_lens_ok(mg) &&
      mg_names_ok(mg) && mg_sdp_lens_ok(mg) && mg_handles_ok(mg);
*/

/*@ // emsec_mg_init's configuration (include/emsec/mg.h): each string NULL
    // (refused; the fingerprint: none) or NUL-terminated, and none of them,
    // nor the configuration itself, inside the model it fills. A string's
    // block (\base_addr) other than the model's: what a caller has (the
    // model is one allocation of its own, include/emsec/mg.h), and a fact
    // no write changes, where a range up to strlen(s) would have to be
    // carried over every write of the model.
    predicate mg_cfg_str_ok(char *s) = s == \null || valid_read_string(s);
    predicate mg_cfg_str_apart(char *s, emsec_mg *mg) =
      s == \null || \base_addr(s) != \base_addr(mg);
    predicate mg_config_strings_ok(emsec_mg_config *c) =
      mg_cfg_str_ok(c->mid) && mg_cfg_str_ok(c->term_prefix) && mg_cfg_str_ok(c->address) &&
      mg_cfg_str_ok(c->fingerprint);
    predicate mg_config_apart(emsec_mg_config *c, emsec_mg *mg) =
      \separated(c, mg) && mg_cfg_str_apart(c->mid, mg) && mg_cfg_str_apart(c->term_prefix, mg) &&
      mg_cfg_str_apart(c->address, mg) && mg_cfg_str_apart(c->fingerprint, mg);
*/

/*@ // What zero_model leaves: the part of an all-zero model that mg_ready
    // rests on (no termination or context in use, no SDP text, the reply
    // cache empty and its cursor at 0, every termination's context handle
    // 0, in range).
    predicate mg_zeroed(emsec_mg *mg) =
      mg->cache_next == 0 &&
      (\forall integer i; 0 <= i < EMSEC_MG_REPLY_CACHE ==> mg->cache[i].len == 0) &&
      (\forall integer ci; mg_ctx_handle(ci) ==> !mg->ctx[ci].used && mg->ctx[ci].nterms == 0) &&
      (\forall integer ti; mg_term_handle(ti) ==>
         !mg->term[ti].used && mg->term[ti].ctx == 0 &&
         mg->term[ti].local_len == 0 && mg->term[ti].remote_len == 0);
*/

/* Every field of the model but the SDP text set to zero (core/mg_model.h:
 * the text is read only up to the lengths zeroed here, and left untouched
 * so that a zero-filled allocation keeps those pages unmapped until a
 * termination uses them). One memset over the struct's bytes: WP's Typed
 * memory model cannot follow a struct written as bytes, so this contract
 * is assumed by emsec_mg_init's proof (proofs/UNPROVED.md) and checked at
 * run time instead: test_mg_init.c fills a model with 0xA5, initialises it and
 * checks every clause of mg_zeroed. */
/*@ requires \valid(mg);
    assigns *mg;
    ensures zeroed: mg_zeroed(mg);
*/
static void zero_model(emsec_mg *mg)
{
    memset(mg, 0, offsetof(emsec_mg, local_sdp));
}

/* The model emptied and the configuration written into it, all but the
 * mId (emsec_mg_init copies it last), from the lengths emsec_mg_init took.
 * A function of its own so that its proof sees no strlen: with the
 * string axioms in the context, the goal that the stores below keep
 * mg_zeroed was still open after 150 s (cvc4 and z3); here it is one of
 * 111 goals (with emsec_mg_init's) that take about 20 s of CPU in all. */
/*@ requires \valid(mg) && \valid_read(cfg) && \separated(cfg, mg);
    requires n_prefix < 16 && \valid_read(cfg->term_prefix + (0 .. n_prefix)) &&
             \base_addr(cfg->term_prefix) != \base_addr(mg);
    requires n_address < 64 && \valid_read(cfg->address + (0 .. n_address)) &&
             \base_addr(cfg->address) != \base_addr(mg);
    requires cfg->fingerprint != \null ==>
               n_fp < EMSEC_MG_MAX_FINGERPRINT && \valid_read(cfg->fingerprint + (0 .. n_fp)) &&
               \base_addr(cfg->fingerprint) != \base_addr(mg);
    assigns *mg;
    ensures mg_zeroed(mg);
*/
static void fill_model(emsec_mg *mg, const emsec_mg_config *cfg, size_t n_prefix, size_t n_address, size_t n_fp)
{
    zero_model(mg);
    copy_bytes(mg->prefix, cfg->term_prefix, n_prefix);
    copy_bytes(mg->address, cfg->address, n_address);
    if (cfg->fingerprint != NULL)
        copy_bytes(mg->fingerprint, cfg->fingerprint, n_fp); /* none: empty, as zero_model left it */
    mg->port_min = cfg->port_min;
    mg->port_max = cfg->port_max;
    mg->next_port = cfg->port_min;
    mg->version = cfg->version;
    mg->seed = cfg->seed;
    mg->next_ctx_id = 1u;
}

/* The public contract (include/emsec/mg.h) with what the proof of
 * emsec_mg_control rests on: a model emsec_mg_init accepted is mg_ready,
 * emsec_mg_control's precondition, which every call keeps (its contract). */
/*@ requires mg == \null || \valid(mg);
    requires cfg == \null || \valid_read(cfg);
    requires cfg != \null ==> mg_config_strings_ok(cfg) && mg_config_apart(cfg, mg);
    assigns *mg;
    ensures \result == EMSEC_OK || \result == EMSEC_ERR_ARGUMENT;
    ensures ready: \result == EMSEC_OK ==> mg_ready(mg);
    ensures refused: mg == \null || cfg == \null ==> \result == EMSEC_ERR_ARGUMENT;
*/
emsec_result emsec_mg_init(emsec_mg *mg, const emsec_mg_config *cfg)
{
    if (mg == NULL || cfg == NULL || cfg->port_min == 0u || cfg->port_min > cfg->port_max ||
        cfg->version < EMSEC_H248_VERSION_MIN || cfg->version > EMSEC_H248_VERSION_MAX)
        return EMSEC_ERR_ARGUMENT;
    /* every length taken before the model is written (str_len_below) */
    size_t n_mid = str_len_below(cfg->mid, sizeof mg->mid);
    size_t n_prefix = str_len_below(cfg->term_prefix, sizeof mg->prefix);
    size_t n_address = str_len_below(cfg->address, sizeof mg->address);
    size_t n_fp = cfg->fingerprint != NULL ? str_len_below(cfg->fingerprint, sizeof mg->fingerprint) : 0u;
    if (n_mid == sizeof mg->mid || n_prefix == sizeof mg->prefix || n_address == sizeof mg->address ||
        n_fp == sizeof mg->fingerprint)
        return EMSEC_ERR_ARGUMENT;
    fill_model(mg, cfg, n_prefix, n_address, n_fp);
    copy_bytes(mg->mid, cfg->mid, n_mid);
    mg->mid_len = (uint32_t)n_mid; /* the writers' length (mg_ready: no strlen) */
    return EMSEC_OK;
}

/* What emsec_mg_control did, for its contract (ghost: not compiled):
 * whether the message decoded, its node count, the transaction requests
 * met and the replies written. */
/*@ ghost bool mg_ghost_decoded; */
/*@ ghost uint32_t mg_ghost_count; */
/*@ ghost uint32_t mg_ghost_requests; */
/*@ ghost uint32_t mg_ghost_replies; */

/*@
    // The state one transaction's reply is written in: the call's and the
    // model's invariants, the reply's writer apart from both.
    predicate mg_tr_ok(mg_exec *x, wr *w) =
      mg_call_ok(x) && mg_ready(x->mg) && wr_ok(w) && wr_apart(w, x) && \separated(w, x->out) &&
      \separated(w->b + (0 .. w->cap - 1), x->out) &&
      x->msg->nodes == &x->mg->nodes[0] && x->msg->count <= EMSEC_MG_MAX_NODES;
*/

/* The writers, the command handler and the reply cache as one
 * transaction's reply uses them: each is the callee's own contract plus
 * what the walk over the transactions keeps across it (mg_tr_ok, the
 * decoded nodes' links). Why: WP re-derived those invariants, quantified
 * over the whole model, after every write of transaction_reply and
 * emsec_mg_control, and timed out; here each is derived once, next to the
 * one call that could break it, and the callers only chain contracts. */
/*@ requires mg_tr_ok(x, w);
    requires \valid_read(s + (0 .. n - 1)) && \separated(w->b + (0 .. w->cap - 1), s + (0 .. n - 1));
    assigns w->len, w->full, w->b[w->len .. w->cap - 1];
    ensures mg_tr_ok(x, w) && mg_nodes_same{Pre, Post}(x->msg->nodes, x->msg->count);
    ensures mg_x_same{Pre, Post}(x);
    ensures wr_same{Pre, Post}(w) && wr_grows{Pre, Post}(w) && wr_full_stays{Pre, Post}(w);
    ensures !w->full ==> w->len == \old(w->len) + n;
*/
static void tr_put(mg_exec *x, wr *w, const char *s, uint32_t n)
{
    (void)x;
    w_put(w, s, n);
    /*@ assert mg_call_same{Pre, Here}(x); */
    /*@ assert emsec_h248_tree_ok(x->msg, x->src, x->src_len); */
    /*@ assert mg_mid_same{Pre, Here}(x->mg); */
    /*@ assert mg_cache_same{Pre, Here}(x->mg); */
    /*@ assert mg_term_fields_same{Pre, Here}(x->mg); */
    /*@ assert mg_term_names_same{Pre, Here}(x->mg); */
    /*@ assert mg_terms_same{Pre, Here}(x->mg); */
    /*@ assert mg_ctxs_same{Pre, Here}(x->mg); */
    /*@ assert x->mg->mid_len < 128 && x->mg->mid[x->mg->mid_len] == '\0'; */
    /*@ assert mg_names_ok(x->mg); */
    /*@ assert mg_cache_ok(x->mg) && mg_cache_lens_ok(x->mg); */
    /*@ assert mg_sdp_lens_ok(x->mg); */
    /*@ assert mg_handles_ok(x->mg); */
    /*@ assert mg_ready(x->mg); */
    /*@ assert mg_exec_ok(x); */
    /*@ assert mg_call_ok(x); */
    /*@ assert wr_apart(w, x); */
}
#define TR_LIT(x, w, lit) tr_put((x), (w), "" lit, (uint32_t)(sizeof(lit) - 1u))

/* w_uint with only what tr_uint needs of it (its digits' facts left out:
 * the provers did not carry the call's invariants over them). */
/*@ requires wr_ok(w);
    assigns w->len, w->full, w->b[w->len .. w->cap - 1];
    ensures wr_ok(w) && wr_same{Pre, Post}(w) && wr_full_stays{Pre, Post}(w) && wr_grows{Pre, Post}(w);
    ensures !w->full ==> \old(w->len) < w->len;
*/
static void w_uint_len(wr *w, uint32_t v)
{
    w_uint(w, v);
}

/*@ requires mg_tr_ok(x, w);
    assigns w->len, w->full, w->b[w->len .. w->cap - 1];
    ensures mg_tr_ok(x, w) && mg_nodes_same{Pre, Post}(x->msg->nodes, x->msg->count);
    ensures mg_x_same{Pre, Post}(x);
    ensures wr_same{Pre, Post}(w) && wr_grows{Pre, Post}(w) && wr_full_stays{Pre, Post}(w);
    ensures !w->full ==> \old(w->len) < w->len;
*/
static void tr_uint(mg_exec *x, wr *w, uint32_t v)
{
    (void)x;
    w_uint_len(w, v);
    /*@ assert mg_call_same{Pre, Here}(x); */
    /*@ assert emsec_h248_tree_ok(x->msg, x->src, x->src_len); */
    /*@ assert mg_mid_same{Pre, Here}(x->mg); */
    /*@ assert mg_cache_same{Pre, Here}(x->mg); */
    /*@ assert mg_term_fields_same{Pre, Here}(x->mg); */
    /*@ assert mg_term_names_same{Pre, Here}(x->mg); */
    /*@ assert mg_terms_same{Pre, Here}(x->mg); */
    /*@ assert mg_ctxs_same{Pre, Here}(x->mg); */
    /*@ assert x->mg->mid_len < 128 && x->mg->mid[x->mg->mid_len] == '\0'; */
    /*@ assert mg_names_ok(x->mg); */
    /*@ assert mg_cache_ok(x->mg) && mg_cache_lens_ok(x->mg); */
    /*@ assert mg_sdp_lens_ok(x->mg); */
    /*@ assert mg_handles_ok(x->mg); */
    /*@ assert mg_ready(x->mg); */
    /*@ assert mg_exec_ok(x); */
    /*@ assert mg_call_ok(x); */
    /*@ assert wr_apart(w, x); */
}

/* action inside the walk over the transactions: its contract, with the
 * walk's invariant (mg_tr_ok) carried across it by MG_ACTION_KEEPS. */
/*@ requires mg_tr_ok(x, w) && mg_node_in(x, ctxn);
    assigns MG_ACTION_WRITES(x, w);
    ensures mg_tr_ok(x, w) && mg_nodes_same{Pre, Post}(x->msg->nodes, x->msg->count);
    ensures mg_x_same{Pre, Post}(x);
    ensures wr_same{Pre, Post}(w) && wr_grows{Pre, Post}(w) && wr_full_stays{Pre, Post}(w);
*/
static bool tr_action(mg_exec *x, wr *w, const emsec_h248_node *ctxn)
{
    /*@ assert mg_action_frame_ok(x, w); */
    bool ok = action(x, w, ctxn);
    /*@ assert x->mg->mid_len < 128 && x->mg->mid[x->mg->mid_len] == '\0'; */
    /*@ assert mg_ready(x->mg); */
    /*@ assert wr_apart(w, x); */
    return ok;
}

/* cache_put as the walk over the transactions calls it: what the write of
 * one slot keeps of the model (its invariants, the mId, the terminations,
 * the contexts and the node arena), derived in a context that holds the
 * model alone. In tr_cache_put's, with the call's state and the writer in
 * every goal, the mId's length (then a strlen) and the nodes' frame timed
 * out (cvc4 120 s, z3 Unknown, 2026-11-24). */
/*@ requires \valid(mg) && mg_ready(mg);
    requires \valid_read(from) && \separated(from, mg);
    requires 0 < len;
    requires whole ==> \valid_read(text + (0 .. len - 1));
    requires whole ==> \separated(text + (0 .. len - 1), mg);
    assigns mg->cache_next, mg->cache[0 .. EMSEC_MG_REPLY_CACHE - 1];
    ensures mg_ready(mg);
    ensures mg_mid_same{Pre, Post}(mg) && mg_terms_same{Pre, Post}(mg) && mg_ctxs_same{Pre, Post}(mg);
    ensures arena_same: \forall integer i; 0 <= i < EMSEC_MG_MAX_NODES ==> mg_node_same{Pre, Post}(&mg->nodes[i]);
*/
static void cache_keep(emsec_mg *mg, const mg_mid_key *from, uint32_t tid, const char *text, uint32_t len, bool whole)
{
    cache_put(mg, from, tid, text, len, whole);
    /*@ assert mg_mid_same{Pre, Here}(mg); */
    /*@ assert mg->mid_len == \at(mg->mid_len, Pre); */
    /*@ assert mg_term_fields_same{Pre, Here}(mg); */
    /*@ assert mg_term_names_same{Pre, Here}(mg); */
    /*@ assert mg_ctxs_same{Pre, Here}(mg); */
    /*@ assert mg_names_ok(mg); */
    /*@ assert mg_cache_lens_ok(mg); */
    /*@ assert mg_sdp_lens_ok(mg); */
    /*@ assert mg_handles_ok(mg); */
}

/*@ requires mg_tr_ok(x, w);
    requires \valid_read(from) && \separated(from, x->mg);
    requires 0 < len;
    requires whole ==> \valid_read(text + (0 .. len - 1));
    requires whole ==> \separated(text + (0 .. len - 1), x->mg);
    assigns x->mg->cache_next, x->mg->cache[0 .. EMSEC_MG_REPLY_CACHE - 1];
    ensures mg_tr_ok(x, w) && mg_nodes_same{Pre, Post}(x->msg->nodes, x->msg->count);
    ensures mg_x_same{Pre, Post}(x);
    ensures wr_same{Pre, Post}(w) && w->len == \old(w->len) && w->full == \old(w->full);
*/
static void tr_cache_put(mg_exec *x, wr *w, const mg_mid_key *from, uint32_t tid, const char *text, uint32_t len,
                         bool whole)
{
    (void)w;
    /* What the call's frame needs, stated over the locations the call's
     * state reads (the nodes through x->msg, not through the model): the
     * two cache fields apart from each. Derived from the layout above only
     * inside the frame of the call, these timed out (cvc4 300 s, z3
     * Unknown, 2026-11-24). */
    /*@ assert cache_apart_x: \separated(&x->mg->cache[0 .. EMSEC_MG_REPLY_CACHE - 1], x) &&
               \separated(&x->mg->cache_next, x) &&
               \separated(&x->mg->cache[0 .. EMSEC_MG_REPLY_CACHE - 1], x->msg) &&
               \separated(&x->mg->cache_next, x->msg) &&
               \separated(&x->mg->cache[0 .. EMSEC_MG_REPLY_CACHE - 1], x->out) &&
               \separated(&x->mg->cache_next, x->out); */
    /*@ assert cache_apart_nodes:
               \separated(&x->mg->cache[0 .. EMSEC_MG_REPLY_CACHE - 1], x->msg->nodes + (0 .. x->msg->count - 1)) &&
               \separated(&x->mg->cache_next, x->msg->nodes + (0 .. x->msg->count - 1)); */
    /*@ assert cache_apart_src:
               \separated(&x->mg->cache[0 .. EMSEC_MG_REPLY_CACHE - 1], x->src + (0 .. x->src_len - 1)) &&
               \separated(&x->mg->cache_next, x->src + (0 .. x->src_len - 1)); */
    cache_keep(x->mg, from, tid, text, len, whole);
    /*@ assert call_fields: \at(x->mg, Pre) == x->mg && \at(x->msg, Pre) == x->msg && \at(x->src, Pre) == x->src &&
               \at(x->src_len, Pre) == x->src_len && \at(x->out, Pre) == x->out &&
               \at(x->notes.count, Pre) == x->notes.count; */
    /*@ assert call_msg: \at(x->out->nactions, Pre) == x->out->nactions && \at(x->msg->count, Pre) == x->msg->count &&
               \at(x->msg->cap, Pre) == x->msg->cap && \at(x->msg->nodes, Pre) == x->msg->nodes &&
               \at(x->msg->mid.off, Pre) == x->msg->mid.off && \at(x->msg->mid.len, Pre) == x->msg->mid.len; */
    /* the nodes as cache_keep keeps them (fields of the model), then
     * through x->msg (mg_tr_ok: the same array) */
    /*@ assert call_nodes: \forall integer i; 0 <= i < x->msg->count ==> mg_node_same{Pre, Here}(x->msg->nodes + i); */
    /*@ assert mg_call_same{Pre, Here}(x); */
    /*@ assert emsec_h248_tree_ok(x->msg, x->src, x->src_len); */
    /*@ assert mg_mid_same{Pre, Here}(x->mg); */
    /*@ assert mg_term_fields_same{Pre, Here}(x->mg); */
    /*@ assert mg_term_names_same{Pre, Here}(x->mg); */
    /*@ assert mg_terms_same{Pre, Here}(x->mg); */
    /*@ assert mg_ctxs_same{Pre, Here}(x->mg); */
    /*@ assert mg_exec_ok(x); */
    /*@ assert mg_call_ok(x); */
    /*@ assert wr_apart(w, x); */
    /*@ assert wr_same{Pre, Here}(w) && w->len == \at(w->len, Pre) && w->full == \at(w->full, Pre); */
}

/* The action loop of one executed transaction: each actionRequest on
 * its list in turn, ",\n" between them, until the first failed command
 * (RFC 3525 §8.2.2: the transaction stops there). A function of its own so
 * that each goal of transaction_reply sees one call, not the loop. */
/*@ requires mg_tr_ok(x, w) && mg_node_in(x, tr);
    assigns w->len, w->full, w->b[0 .. w->cap - 1], x->code, x->why[0 .. 191], x->notes,
            x->out->nactions, x->out->actions[0 .. EMSEC_MG_MAX_ACTIONS - 1],
            *x->mg;
    ensures mg_tr_ok(x, w);
    ensures mg_nodes_same{Pre, Post}(x->msg->nodes, x->msg->count);
    ensures mg_x_same{Pre, Post}(x);
    ensures wr_same{Pre, Post}(w) && wr_grows{Pre, Post}(w) && wr_full_stays{Pre, Post}(w);
*/
static void tr_actions(mg_exec *x, wr *w, const emsec_h248_node *tr)
{
    bool first = true;
    bool ok = true; /* the transaction stops at the first failed command */
    /* The loop's assigns named through ghost locals, the same at every
     * iteration, and the model as one object (*mg): named through x->mg and
     * w->b, and field by field, the inclusion of each call's effects in them
     * timed out (the provers had to show those pointers unchanged inside a
     * disjunction over every region, 2026-11-24). */
    /*@ ghost emsec_mg *mg = x->mg; */
    /*@ ghost emsec_mg_out *o = x->out; */
    /*@ ghost char *b = w->b; */
    /*@ ghost uint32_t cap = w->cap; */
    /*@ loop invariant 0 <= ai < x->msg->count;
        loop invariant mg_tr_ok(x, w);
        loop invariant wr_same{Pre, Here}(w) && wr_grows{Pre, Here}(w) && wr_full_stays{Pre, Here}(w);
        loop invariant mg_nodes_same{Pre, Here}(x->msg->nodes, x->msg->count);
        loop invariant mg_x_same{Pre, Here}(x) && x->mg == mg && x->out == o && w->b == b && w->cap == cap;
        loop assigns ai, first, ok, w->len, w->full, b[0 .. cap - 1], x->code, x->why[0 .. 191], x->notes,
                     o->nactions, o->actions[0 .. EMSEC_MG_MAX_ACTIONS - 1], *mg;
        loop variant ai == 0 ? 0 : x->msg->count - ai;
    */
    for (uint32_t ai = tr->child; ai != 0u && ok;) {
        /* the link read before the calls: the provers then take the next
         * index's bounds from the tree at this state, not across them */
        uint32_t next = x->msg->nodes[ai].next;
        /* the tree's fact for this node named first (control_transactions
         * says why) */
        /*@ assert tree_ok: emsec_h248_tree_ok(x->msg, x->src, x->src_len); */
        /*@ assert node_ok: emsec_h248_node_ok(x->msg->nodes + ai, ai, x->msg->count, x->src_len); */
        /*@ assert emsec_h248_link_ok(ai, next, x->msg->count); */
        if (!first)
            TR_LIT(x, w, ",\n");
        /*@ assert wr_same{Pre, Here}(w) && wr_grows{Pre, Here}(w) && wr_full_stays{Pre, Here}(w); */
        /*@ assert mg_nodes_same{Pre, Here}(x->msg->nodes, x->msg->count); */
        first = false;
        ok = tr_action(x, w, &x->msg->nodes[ai]);
        /*@ assert wr_same{Pre, Here}(w); */
        /*@ assert wr_grows{Pre, Here}(w); */
        /*@ assert wr_full_stays{Pre, Here}(w); */
        /*@ assert mg_nodes_same{Pre, Here}(x->msg->nodes, x->msg->count); */
        ai = next;
    }
}

/* The writer's unwritten tail lies inside its buffer: a fact of ranges
 * alone, proved here in a context of its own (ghost: not compiled) and
 * called where the next write's bytes must be shown inside the caller's
 * assigns (tr_execute). */
/*@ ghost
  /@ requires 0 <= len <= cap;
     assigns \nothing;
     ensures \subset(b + (len .. cap - 1), b + (0 .. cap - 1));
  @/
  static void wr_tail_in(char *b, uint32_t len, uint32_t cap) { }
*/

/* The contract of one new transaction's reply (tr_execute, and tr_answer,
 * which calls it or tr_refused): one text for both, so that they cannot
 * drift apart. */
#define MG_TR_NEW_CONTRACT                                                                                     \
    requires mg_tr_ok(x, w) && mg_node_in(x, tr);                                                              \
    requires \valid_read(from) && \separated(from, x, x->mg, x->out, w, w->b + (0 .. w->cap - 1));              \
    assigns w->len, w->full, w->b[0 .. w->cap - 1], x->code, x->why[0 .. 191], x->notes,                       \
        x->out->nactions, x->out->actions[0 .. EMSEC_MG_MAX_ACTIONS - 1], *x->mg;                              \
    ensures mg_tr_ok(x, w);                                                                                    \
    ensures mg_nodes_same{Pre, Post}(x->msg->nodes, x->msg->count);                                           \
    ensures mg_x_same{Pre, Post}(x);                                                                           \
    ensures wr_same{Pre, Post}(w) && wr_grows{Pre, Post}(w) && wr_full_stays{Pre, Post}(w)

/* A transaction executed: its reply written and kept for retransmissions
 * (RFC 3525 Annex D.1.1), or, when out->cap cut it short, its slot taken
 * and marked not kept, so that a retransmission is never executed again. */
/*@ MG_TR_NEW_CONTRACT;
*/
static void tr_execute(mg_exec *x, wr *w, const mg_mid_key *from, uint32_t tid, const emsec_h248_node *tr)
{
    uint32_t start = w->len;
    TR_LIT(x, w, "Reply = ");
    tr_uint(x, w, tid);
    TR_LIT(x, w, " {\n");
    /* the writer's facts carried call by call (over the chain at once, the
     * provers ran out of time) */
    /*@ assert wr_same{Pre, Here}(w) && wr_grows{Pre, Here}(w) && wr_full_stays{Pre, Here}(w); */
    /*@ assert mg_nodes_same{Pre, Here}(x->msg->nodes, x->msg->count) && mg_x_same{Pre, Here}(x); */
    tr_actions(x, w, tr);
    /*@ assert wr_same{Pre, Here}(w) && wr_grows{Pre, Here}(w) && wr_full_stays{Pre, Here}(w); */
    /*@ assert mg_nodes_same{Pre, Here}(x->msg->nodes, x->msg->count) && mg_x_same{Pre, Here}(x); */
    /* the next write's bytes inside this function's assigns: the ranges'
     * fact in a context of its own (wr_tail_in); derived here, under the
     * call's memory, it timed out (cvc4 300 s, 2026-11-24) */
    /*@ assert w_here: w->len <= w->cap; */
    /*@ ghost wr_tail_in(w->b, w->len, w->cap); */
    TR_LIT(x, w, "\n}\n");
    /*@ assert wr_same{Pre, Here}(w) && wr_grows{Pre, Here}(w) && wr_full_stays{Pre, Here}(w); */
    /*@ assert mg_nodes_same{Pre, Here}(x->msg->nodes, x->msg->count) && mg_x_same{Pre, Here}(x); */
    /*@ assert !w->full ==> start < w->len; */
    /* one call, its arguments chosen before it: with a call in each branch
     * of an if, the facts after it had to be joined over the two branches'
     * memories, and the provers ran out of time (cvc4, 600 s) */
    bool whole = !w->full; /* else executed, the reply cut short: not kept */
    const char *text = whole ? w->b + start : w->b;
    uint32_t text_len = whole ? w->len - start : 1u;
    tr_cache_put(x, w, from, tid, text, text_len, whole);
    /*@ assert wr_same{Pre, Here}(w) && wr_grows{Pre, Here}(w) && wr_full_stays{Pre, Here}(w); */
    /*@ assert mg_x_same{Pre, Here}(x); */
    /*@ assert mg_nodes_same{Pre, Here}(x->msg->nodes, x->msg->count); */
}

/* A transaction refused without being executed, with an Error reply:
 *   - a retransmission whose transaction was executed but whose reply was
 *     not kept: Error 510, never a second execution (RFC 3525 Annex D.1.1);
 *   - before_restart: a transaction that came before the controller's Reply
 *     to the gateway's Restart: Error 505 (RFC 3525 §11.2: the Reply may
 *     have been lost; the gateway's repeat of the Restart gets it again).
 *     Not kept: the controller sends it again once the gateway is
 *     registered, and then it is executed.
 * One function for both: with a fourth branch (and with a third condition
 * on the second), transaction_reply's first postcondition timed out (cvc4
 * 600 s, twice, 2026-11-25); the 505 is decided in tr_answer instead. */
/*@ requires mg_tr_ok(x, w);
    assigns w->len, w->full, w->b[w->len .. w->cap - 1];
    ensures mg_tr_ok(x, w) && mg_nodes_same{Pre, Post}(x->msg->nodes, x->msg->count);
    ensures mg_x_same{Pre, Post}(x);
    ensures wr_same{Pre, Post}(w) && wr_grows{Pre, Post}(w) && wr_full_stays{Pre, Post}(w);
*/
static void tr_refused(mg_exec *x, wr *w, uint32_t tid, bool before_restart)
{
    TR_LIT(x, w, "Reply = ");
    tr_uint(x, w, tid);
    if (before_restart)
        TR_LIT(x, w, " {\n    Error = 505 {\"Command Received before Restart Response: the gateway's "
                     "ServiceChange Restart is not answered yet\"}\n}\n");
    else
        TR_LIT(x, w, " {\n    Error = 510 {\"Insufficient resources: the transaction was executed once; "
                     "its reply was longer than the gateway keeps for retransmissions "
                     "(EMSEC_MG_MAX_REPLY or out->cap), and it is not executed again\"}\n}\n");
}

/* A transaction not met before: Error 505 while the gateway's Restart is
 * unanswered (RFC 3525 §11.2), else executed (tr_execute). tr_execute's
 * contract, which tr_refused's implies. */
/*@ MG_TR_NEW_CONTRACT;
*/
static void tr_answer(mg_exec *x, wr *w, const mg_mid_key *from, uint32_t tid, const emsec_h248_node *tr)
{
    if (x->mg->sc_cold && !x->mg->registered)
        tr_refused(x, w, tid, true);
    else
        tr_execute(x, w, from, tid, tr);
}

/* One Transaction request's reply (RFC 3525 Annex D.1.1): the kept reply
 * of a retransmission; Error 510 for a retransmission whose reply was not
 * kept (executed once, never twice); Error 505 while the gateway's Restart
 * is unanswered (§11.2); else the transaction executed, action
 * by action (it stops at the first failed command), and its reply kept for
 * retransmissions. Exactly one reply either way, counted in
 * mg_ghost_replies where it is written. */
/*@ requires mg_tr_ok(x, w) && mg_node_in(x, tr);
    requires \valid_read(from) && \separated(from, x, x->mg, x->out, w, w->b + (0 .. w->cap - 1));
    requires mg_ghost_replies < 0xffffffff;
    assigns w->len, w->full, w->b[0 .. w->cap - 1], x->code, x->why[0 .. 191], x->notes,
            x->out->nactions, x->out->actions[0 .. EMSEC_MG_MAX_ACTIONS - 1],
            *x->mg, mg_ghost_replies;
    ensures mg_call_ok(x) && mg_ready(x->mg) && mg_tr_ok(x, w);
    ensures mg_nodes_same{Pre, Post}(x->msg->nodes, x->msg->count);
    ensures mg_x_same{Pre, Post}(x);
    ensures wr_ok(w) && wr_same{Pre, Post}(w) && wr_grows{Pre, Post}(w) && wr_full_stays{Pre, Post}(w);
    ensures mg_ghost_replies == \old(mg_ghost_replies) + 1;
*/
static void transaction_reply(mg_exec *x, wr *w, const mg_mid_key *from, const emsec_h248_node *tr)
{
    uint32_t tid = span_uint(x->src, tr->value);
    const mg_cached_reply *c = cached(x->mg, from, tid);
    if (c != NULL && c->kept) /* D.1.1: answered already; send the same reply */
        tr_put(x, w, c->text, c->len);
    else if (c != NULL) /* executed, its reply too long to keep: never twice (D.1.1) */
        tr_refused(x, w, tid, false);
    else
        tr_answer(x, w, from, tid, tr);
    /*@ ghost mg_ghost_replies++; */
}

/* The decoder into the gateway's node arena (mg->nodes): the decoder's
 * contract, and what the arena's writes keep (the model's invariants, the
 * reply cache), derived here where the only write is the arena's. */
/*@ requires \valid(mg) && mg_ready(mg) && \valid(m) && \valid(err);
    requires \valid_read(src + (0 .. len - 1));
    requires \separated(m, err, mg, src + (0 .. len - 1));
    assigns *m, *err, mg->nodes[0 .. EMSEC_MG_MAX_NODES - 1];
    ensures mg_ready(mg) && mg->cache_next == \old(mg->cache_next);
    ensures \result == EMSEC_OK <==> emsec_h248_decodes{Pre}(src, len, EMSEC_MG_MAX_NODES);
    ensures \result == EMSEC_OK ==>
              m->nodes == &mg->nodes[0] && m->cap == EMSEC_MG_MAX_NODES && emsec_h248_tree_ok(m, src, len) &&
              \separated(m->nodes + (0 .. m->count - 1), &mg->ctx[0 .. EMSEC_MG_MAX_CONTEXTS - 1],
                         &mg->term[0 .. EMSEC_MG_MAX_TERMS - 1]);
    ensures \result != EMSEC_OK ==> err->result == \result;
*/
static emsec_result decode_arena(emsec_mg *mg, emsec_h248_msg *m, const char *src, uint32_t len,
                                 emsec_h248_error *err)
{
    emsec_result r = emsec_h248_decode(m, src, len, true, mg->nodes, EMSEC_MG_MAX_NODES, err);
    /*@ assert mg_mid_same{Pre, Here}(mg); */
    /*@ assert mg_cache_same{Pre, Here}(mg); */
    /*@ assert mg_term_fields_same{Pre, Here}(mg); */
    /*@ assert mg_term_names_same{Pre, Here}(mg); */
    /*@ assert mg_terms_same{Pre, Here}(mg); */
    /*@ assert mg_ctxs_same{Pre, Here}(mg); */
    /*@ assert mg->mid_len < 128 && mg->mid[mg->mid_len] == '\0'; */
    /*@ assert mg_names_ok(mg); */
    /*@ assert mg_cache_ok(mg) && mg_cache_lens_ok(mg); */
    /*@ assert mg_sdp_lens_ok(mg); */
    /*@ assert mg_handles_ok(mg); */
    /*@ assert mg_ready(mg); */
    return r;
}

/* The decoder's error reply (emsec_h248_error_reply) into out->text: it
 * writes nothing of the gateway's state. */
/*@ requires \valid(mg) && mg_ready(mg) && \valid_read(err);
    requires \valid(out) && \valid(out->text + (0 .. out->cap - 1));
    requires \separated(mg, out, out->text + (0 .. out->cap - 1), err) && \separated(out, out->text + (0 .. out->cap - 1));
    assigns out->text[0 .. out->cap - 1], out->len;
    ensures mg_ready(mg) && mg->cache_next == \old(mg->cache_next);
    ensures \result == EMSEC_OK ==> 0 < out->len <= out->cap;
*/
static emsec_result error_out(emsec_mg *mg, const emsec_h248_error *err, emsec_mg_out *out)
{
    emsec_result r = emsec_h248_error_reply(err, mg->mid, mg->version, out->text, out->cap, &out->len);
    /*@ assert mg_mid_same{Pre, Here}(mg); */
    /*@ assert mg_cache_same{Pre, Here}(mg); */
    /*@ assert mg_term_fields_same{Pre, Here}(mg); */
    /*@ assert mg_term_names_same{Pre, Here}(mg); */
    /*@ assert mg_terms_same{Pre, Here}(mg); */
    /*@ assert mg_ctxs_same{Pre, Here}(mg); */
    /*@ assert mg->mid_len < 128 && mg->mid[mg->mid_len] == '\0'; */
    /*@ assert mg_names_ok(mg); */
    /*@ assert mg_cache_ok(mg) && mg_cache_lens_ok(mg); */
    /*@ assert mg_sdp_lens_ok(mg); */
    /*@ assert mg_handles_ok(mg); */
    /*@ assert mg_ready(mg); */
    return r;
}

/* The Notify requests the commands caused (mg_write_notes) into
 * out->notify: of the gateway's state only the counter of its own
 * TransactionIDs moves, one per Notify. */
/*@ requires \valid_read(x) && \valid(x->mg) && mg_ready(x->mg) && x->notes.count <= MG_MAX_NOTES;
    requires \valid(out) && (out->notify_cap == 0 || \valid(out->notify + (0 .. out->notify_cap - 1)));
    requires \separated(x, x->mg, out, out->notify + (0 .. out->notify_cap - 1));
    assigns out->notify[0 .. out->notify_cap - 1], out->notify_len, x->mg->next_tid;
    ensures mg_ready(x->mg) && mg_nodes_same{Pre, Post}(&x->mg->nodes[0], EMSEC_MG_MAX_NODES);
*/
static void notes_out(mg_exec *x, emsec_mg_out *out)
{
    mg_write_notes(x, out->notify, out->notify_cap, &out->notify_len);
    /*@ assert mg_mid_same{Pre, Here}(x->mg); */
    /*@ assert mg_cache_same{Pre, Here}(x->mg); */
    /*@ assert mg_term_fields_same{Pre, Here}(x->mg); */
    /*@ assert mg_term_names_same{Pre, Here}(x->mg); */
    /*@ assert mg_terms_same{Pre, Here}(x->mg); */
    /*@ assert mg_ctxs_same{Pre, Here}(x->mg); */
    /*@ assert x->mg->mid_len < 128 && x->mg->mid[x->mg->mid_len] == '\0'; */
    /*@ assert mg_names_ok(x->mg); */
    /*@ assert mg_cache_ok(x->mg) && mg_cache_lens_ok(x->mg); */
    /*@ assert mg_sdp_lens_ok(x->mg); */
    /*@ assert mg_handles_ok(x->mg); */
    /*@ assert mg_ready(x->mg); */
}

/* The controller accepted the gateway's Restart or Disconnected (its Reply to sc_tid). */
/*@ requires mg_tr_ok(x, w);
    assigns x->mg->registered;
    ensures mg_tr_ok(x, w) && mg_nodes_same{Pre, Post}(x->msg->nodes, x->msg->count);
    ensures mg_x_same{Pre, Post}(x);
*/
static void registered(mg_exec *x, wr *w)
{
    (void)w;
    x->mg->registered = true;
    /*@ assert mg_call_same{Pre, Here}(x); */
    /*@ assert emsec_h248_tree_ok(x->msg, x->src, x->src_len); */
    /*@ assert mg_mid_same{Pre, Here}(x->mg); */
    /*@ assert mg_cache_same{Pre, Here}(x->mg); */
    /*@ assert mg_term_fields_same{Pre, Here}(x->mg); */
    /*@ assert mg_term_names_same{Pre, Here}(x->mg); */
    /*@ assert mg_terms_same{Pre, Here}(x->mg); */
    /*@ assert mg_ctxs_same{Pre, Here}(x->mg); */
    /*@ assert x->mg->mid_len < 128 && x->mg->mid[x->mg->mid_len] == '\0'; */
    /*@ assert mg_names_ok(x->mg); */
    /*@ assert mg_cache_ok(x->mg) && mg_cache_lens_ok(x->mg); */
    /*@ assert mg_sdp_lens_ok(x->mg); */
    /*@ assert mg_handles_ok(x->mg); */
    /*@ assert mg_ready(x->mg); */
    /*@ assert mg_exec_ok(x); */
    /*@ assert mg_call_ok(x); */
    /*@ assert wr_apart(w, x); */
}

/* The gateway's own mId into the reply's header. */
/*@ requires mg_tr_ok(x, w);
    assigns w->len, w->full, w->b[w->len .. w->cap - 1];
    ensures mg_tr_ok(x, w) && mg_nodes_same{Pre, Post}(x->msg->nodes, x->msg->count);
    ensures mg_x_same{Pre, Post}(x);
    ensures wr_same{Pre, Post}(w) && wr_grows{Pre, Post}(w) && wr_full_stays{Pre, Post}(w);
*/
static void tr_mid(mg_exec *x, wr *w)
{
    w_put(w, x->mg->mid, x->mg->mid_len);
    /*@ assert mg_call_same{Pre, Here}(x); */
    /*@ assert emsec_h248_tree_ok(x->msg, x->src, x->src_len); */
    /*@ assert mg_mid_same{Pre, Here}(x->mg); */
    /*@ assert mg_cache_same{Pre, Here}(x->mg); */
    /*@ assert mg_term_fields_same{Pre, Here}(x->mg); */
    /*@ assert mg_term_names_same{Pre, Here}(x->mg); */
    /*@ assert mg_terms_same{Pre, Here}(x->mg); */
    /*@ assert mg_ctxs_same{Pre, Here}(x->mg); */
    /*@ assert x->mg->mid_len < 128 && x->mg->mid[x->mg->mid_len] == '\0'; */
    /*@ assert mg_names_ok(x->mg); */
    /*@ assert mg_cache_ok(x->mg) && mg_cache_lens_ok(x->mg); */
    /*@ assert mg_sdp_lens_ok(x->mg); */
    /*@ assert mg_handles_ok(x->mg); */
    /*@ assert mg_ready(x->mg); */
    /*@ assert mg_exec_ok(x); */
    /*@ assert mg_call_ok(x); */
    /*@ assert wr_apart(w, x); */
}

/* out's counts: stores into out, none into the gateway's state. */
/*@ requires \valid(mg) && mg_ready(mg) && \valid(out) && \separated(mg, out);
    assigns out->len;
    ensures out->len == v && mg_ready(mg) && mg->cache_next == \old(mg->cache_next);
    ensures mg_nodes_same{Pre, Post}(&mg->nodes[0], EMSEC_MG_MAX_NODES);
*/
static void out_len(emsec_mg *mg, emsec_mg_out *out, uint32_t v)
{
    (void)mg; /* for the contract */
    out->len = v;
    /*@ assert mg_mid_same{Pre, Here}(mg); */
    /*@ assert mg_cache_same{Pre, Here}(mg); */
    /*@ assert mg_term_fields_same{Pre, Here}(mg); */
    /*@ assert mg_term_names_same{Pre, Here}(mg); */
    /*@ assert mg_terms_same{Pre, Here}(mg); */
    /*@ assert mg_ctxs_same{Pre, Here}(mg); */
    /*@ assert mg->mid_len < 128 && mg->mid[mg->mid_len] == '\0'; */
    /*@ assert mg_names_ok(mg); */
    /*@ assert mg_cache_ok(mg) && mg_cache_lens_ok(mg); */
    /*@ assert mg_sdp_lens_ok(mg); */
    /*@ assert mg_handles_ok(mg); */
    /*@ assert mg_ready(mg); */
}

/*@ requires \valid(mg) && mg_ready(mg) && \valid(out) && \separated(mg, out);
    assigns out->len, out->notify_len, out->nactions;
    ensures out->len == 0 && out->notify_len == 0 && out->nactions == 0;
    ensures mg_ready(mg) && mg->cache_next == \old(mg->cache_next);
*/
static void out_reset(emsec_mg *mg, emsec_mg_out *out)
{
    (void)mg; /* for the contract */
    out->len = 0u;
    out->notify_len = 0u;
    out->nactions = 0u;
    /*@ assert mg_mid_same{Pre, Here}(mg); */
    /*@ assert mg_cache_same{Pre, Here}(mg); */
    /*@ assert mg_term_fields_same{Pre, Here}(mg); */
    /*@ assert mg_term_names_same{Pre, Here}(mg); */
    /*@ assert mg_terms_same{Pre, Here}(mg); */
    /*@ assert mg_ctxs_same{Pre, Here}(mg); */
    /*@ assert mg->mid_len < 128 && mg->mid[mg->mid_len] == '\0'; */
    /*@ assert mg_names_ok(mg); */
    /*@ assert mg_cache_ok(mg) && mg_cache_lens_ok(mg); */
    /*@ assert mg_sdp_lens_ok(mg); */
    /*@ assert mg_handles_ok(mg); */
    /*@ assert mg_ready(mg); */
}

/* The call's state and the reply's writer over out->text, empty (field
 * by field, not memset: WP's typed memory model follows field stores; what
 * is not set here is read only after it is written: why up to the NUL
 * mg_fail_n puts, notes below their count). Only the stores: what holds
 * across them is exec_start's to show. */
/*@ requires \valid(x) && \valid(w) && \valid_read(out) && \separated(x, w, out);
    assigns *x, *w;
    ensures x->mg == mg && x->msg == m && x->src == msg && x->src_len == len && x->out == out;
    ensures x->now == now && x->code == 0 && x->notes.count == 0;
    ensures w->b == out->text && w->cap == out->cap && w->len == 0 && !w->full;
*/
static void exec_fill(mg_exec *x, wr *w, emsec_mg *mg, uint64_t now, const char *msg, uint32_t len,
                      const emsec_h248_msg *m, emsec_mg_out *out)
{
    x->mg = mg;
    x->src = msg;
    x->src_len = len;
    x->msg = m;
    x->out = out;
    x->now = now;
    x->code = 0u;
    x->why[0] = '\0';
    x->notes.count = 0u;
    w->b = out->text;
    w->cap = out->cap;
    w->len = 0u;
    w->full = false;
}

/* exec_fill, and the model's invariants and the decoded tree's facts
 * carried over it, in a small context: in control_start, over all of its
 * stores at once, cvc4 ran out of time on them and on the frame of the
 * reply cache; over exec_fill's 13 stores one by one, on the tree's facts
 * (cvc4, 300 s, 2026-11-24). Over the call (a frame of *x and *w, apart
 * from the tree and the model) they prove. */
/*@ requires \valid(x) && \valid(w) && \valid_read(out) && \separated(x, w, mg, m, out);
    requires emsec_h248_tree_ok(m, msg, len) && \separated(m->nodes + (0 .. m->count - 1), x, w);
    requires \valid(mg) && mg_ready(mg);
    assigns *x, *w;
    ensures mg_ready(mg) && emsec_h248_tree_ok(m, msg, len);
    ensures kept: m->nodes == \old(m->nodes) && m->count == \old(m->count) &&
                  out->text == \old(out->text) && out->cap == \old(out->cap) &&
                  out->nactions == \old(out->nactions);
    ensures x->mg == mg && x->msg == m && x->src == msg && x->src_len == len && x->out == out;
    ensures x->now == now && x->code == 0 && x->notes.count == 0;
    ensures w->b == out->text && w->cap == out->cap && w->len == 0 && !w->full;
*/
static void exec_start(mg_exec *x, wr *w, emsec_mg *mg, uint64_t now, const char *msg, uint32_t len,
                       const emsec_h248_msg *m, emsec_mg_out *out)
{
    exec_fill(x, w, mg, now, msg, len, m, out);
    /*@ assert emsec_h248_tree_ok(m, msg, len); */
    /*@ assert mg_mid_same{Pre, Here}(mg); */
    /*@ assert mg_cache_same{Pre, Here}(mg); */
    /*@ assert mg_term_fields_same{Pre, Here}(mg); */
    /*@ assert mg_term_names_same{Pre, Here}(mg); */
    /*@ assert mg_terms_same{Pre, Here}(mg); */
    /*@ assert mg_ctxs_same{Pre, Here}(mg); */
    /*@ assert mg->mid_len < 128 && mg->mid[mg->mid_len] == '\0'; */
    /*@ assert mg_names_ok(mg); */
    /*@ assert mg_cache_ok(mg) && mg_cache_lens_ok(mg); */
    /*@ assert mg_sdp_lens_ok(mg); */
    /*@ assert mg_handles_ok(mg); */
    /*@ assert mg_ready(mg); */
}

/* The requester's key (mid_key_of), the decoded tree's facts carried over
 * its stores (as in exec_start). */
/*@ requires \valid(from) && emsec_h248_tree_ok(m, msg, len);
    requires \separated(from, m, mg, msg + (0 .. len - 1)) && \separated(m->nodes + (0 .. m->count - 1), from);
    requires \valid(mg) && mg_ready(mg);
    assigns *from;
    ensures emsec_h248_tree_ok(m, msg, len) && mg_ready(mg);
    ensures kept: m->nodes == \old(m->nodes) && m->count == \old(m->count);
*/
static void key_start(mg_mid_key *from, emsec_mg *mg, const char *msg, uint32_t len, const emsec_h248_msg *m)
{
    (void)mg; /* for the contract */
    (void)len;
    mid_key_of(from, msg, m->mid);
    /*@ assert mg_mid_same{Pre, Here}(mg); */
    /*@ assert mg_cache_same{Pre, Here}(mg); */
    /*@ assert mg_term_fields_same{Pre, Here}(mg); */
    /*@ assert mg_term_names_same{Pre, Here}(mg); */
    /*@ assert mg_terms_same{Pre, Here}(mg); */
    /*@ assert mg_ctxs_same{Pre, Here}(mg); */
    /*@ assert mg->mid_len < 128 && mg->mid[mg->mid_len] == '\0'; */
    /*@ assert mg_names_ok(mg); */
    /*@ assert mg_cache_ok(mg) && mg_cache_lens_ok(mg); */
    /*@ assert mg_sdp_lens_ok(mg); */
    /*@ assert mg_handles_ok(mg); */
    /*@ assert mg_ready(mg); */
}

/* The call's state for control_decoded: the requester's key, the call and
 * the reply's writer over out->text. A function of its own so that the
 * model's invariants are carried over these stores here, through the
 * pointers' separation. */
/*@ requires \valid(mg) && mg_ready(mg);
    requires \valid_read(m) && emsec_h248_tree_ok(m, msg, len) && m->nodes == &mg->nodes[0] &&
             m->count <= EMSEC_MG_MAX_NODES &&
             \separated(m->nodes + (0 .. m->count - 1), &mg->ctx[0 .. EMSEC_MG_MAX_CONTEXTS - 1],
                        &mg->term[0 .. EMSEC_MG_MAX_TERMS - 1]) &&
             \separated(m->nodes + (0 .. m->count - 1), m, out, x, w, from);
    requires \valid(out) && \valid(out->text + (0 .. out->cap - 1)) && out->nactions == 0;
    requires \valid_read(msg + (0 .. len - 1));
    requires \valid(x) && \valid(w) && \valid(from);
    requires \separated(x, w, from, m, mg, out, out->text + (0 .. out->cap - 1), msg + (0 .. len - 1));
    assigns *x, *w, *from;
    ensures x->mg == mg && x->msg == m && x->src == msg && x->src_len == len && x->out == out;
    ensures w->b == out->text && w->cap == out->cap && w->len == 0 && !w->full;
    ensures mg_tr_ok(x, w);
*/
static void control_start(mg_exec *x, wr *w, mg_mid_key *from, emsec_mg *mg, uint64_t now, const char *msg,
                          uint32_t len, const emsec_h248_msg *m, emsec_mg_out *out)
{
    /* the reply's buffer apart from the decoded nodes (inside *mg), shown
     * here, before the calls, in a small context: at the end, as part of
     * wr_apart, it timed out (cvc4, 600 s). The two pointers and sizes it
     * names are kept in ghost locals (values, which no call can change),
     * and the callees say they keep the fields (their `kept` ensures):
     * shown here through the frame of the calls, m->nodes == nodes ran out
     * of cvc4 steps (10 M, 2026-11-24). */
    /*@ ghost emsec_h248_node *nodes = m->nodes;
        uint32_t count = m->count;
        char *text = out->text;
        uint32_t cap = out->cap; */
    /*@ assert apart: \separated(nodes + (0 .. count - 1), text + (0 .. cap - 1)); */
    /*@ assert text_apart: \separated(text + (0 .. cap - 1), x, mg, m, msg + (0 .. len - 1)); */
    key_start(from, mg, msg, len, m);
    exec_start(x, w, mg, now, msg, len, m, out);
    /*@ assert m->nodes == nodes; */
    /*@ assert m->count == count; */
    /*@ assert out->text == text && out->cap == cap; */
    /*@ assert mg_ready(mg); */
    /*@ assert emsec_h248_tree_ok(m, msg, len); */
    /*@ assert mg_names_ok(mg) && mg_sdp_lens_ok(mg) && mg_handles_ok(mg); */
    /*@ assert \separated(x, mg, m) && \separated(msg + (0 .. len - 1), x, m, mg); */
    /*@ assert \separated(m->nodes + (0 .. m->count - 1), x, m, mg->ctx + (0 .. EMSEC_MG_MAX_CONTEXTS - 1),
                         mg->term + (0 .. EMSEC_MG_MAX_TERMS - 1)); */
    /*@ assert mg_exec_ok(x); */
    /*@ assert x->out == out && x->notes.count == 0; */
    /*@ assert no_actions: \valid(out) && out->nactions == 0; */
    /*@ assert \separated(out, x, mg, m) && \separated(out, m->nodes + (0 .. m->count - 1), msg + (0 .. len - 1)); */
    /*@ assert mg_call_ok(x); */
    /*@ assert wr_ok(w); */
    /*@ assert \separated(m->nodes + (0 .. m->count - 1), out->text + (0 .. out->cap - 1)); */
    /*@ assert b_is_text: w->b == text && w->cap == cap; */
    /*@ assert msg_nodes: x->msg->nodes == nodes && x->msg->count == count; */
    /*@ assert b_apart: \separated(text + (0 .. cap - 1), x) && \separated(text + (0 .. cap - 1), mg) &&
          \separated(text + (0 .. cap - 1), m) && \separated(text + (0 .. cap - 1), nodes + (0 .. count - 1)) &&
          \separated(text + (0 .. cap - 1), msg + (0 .. len - 1)); */
    /*@ assert w_apart: \separated(w, x) && \separated(w, mg) && \separated(w, m) &&
          \separated(w, nodes + (0 .. count - 1)) && \separated(w, msg + (0 .. len - 1)); */
    /*@ assert wr_apart(w, x); */
    /*@ assert mg_tr_ok(x, w); */
}

/* The reply message's header: "MEGACO/version mId". */
/*@ requires mg_tr_ok(x, w);
    assigns w->len, w->full, w->b[w->len .. w->cap - 1];
    ensures mg_tr_ok(x, w) && mg_nodes_same{Pre, Post}(x->msg->nodes, x->msg->count);
    ensures mg_x_same{Pre, Post}(x);
    ensures wr_same{Pre, Post}(w) && wr_grows{Pre, Post}(w) && wr_full_stays{Pre, Post}(w);
*/
static void control_header(mg_exec *x, wr *w)
{
    TR_LIT(x, w, "MEGACO/");
    tr_uint(x, w, x->mg->version);
    TR_LIT(x, w, " ");
    tr_mid(x, w);
    TR_LIT(x, w, "\n");
}

/* Each Transaction on the body root's list answered once
 * (transaction_reply); the controller's Reply to our Restart noted. The
 * count of requests is taken over the nodes as they are at the call (label
 * Pre), which the loop keeps (mg_nodes_same). A function of its own so
 * that control_decoded's goals each see one call, not the loop. */
/*@ requires mg_tr_ok(x, w);
    requires \valid_read(from) && \separated(from, x, x->mg, x->out, w, w->b + (0 .. w->cap - 1));
    requires mg_ghost_requests == 0 && mg_ghost_replies == 0;
    assigns w->len, w->full, w->b[0 .. w->cap - 1], x->code, x->why[0 .. 191], x->notes,
            x->out->nactions, x->out->actions[0 .. EMSEC_MG_MAX_ACTIONS - 1],
            *x->mg,
            mg_ghost_requests, mg_ghost_replies;
    ensures mg_tr_ok(x, w) && mg_nodes_same{Pre, Post}(x->msg->nodes, x->msg->count);
    ensures mg_x_same{Pre, Post}(x);
    ensures wr_same{Pre, Post}(w) && wr_grows{Pre, Post}(w) && wr_full_stays{Pre, Post}(w);
    ensures mg_ghost_replies == mg_ghost_requests;
    ensures mg_ghost_requests ==
              mg_requests{Pre}(\at(x->msg->nodes, Pre), \at(x->msg->count, Pre), \at(x->msg->nodes[0].child, Pre));
*/
static void control_transactions(mg_exec *x, wr *w, const mg_mid_key *from)
{
    /*@ ghost emsec_mg *mg = x->mg; */ // the loop's assigns through locals (tr_actions says why)
    /*@ ghost emsec_mg_out *o = x->out; */
    /*@ ghost char *b = w->b; */
    /*@ ghost uint32_t cap = w->cap; */
    /*@ loop invariant 0 <= ti < x->msg->count;
        loop invariant mg_tr_ok(x, w);
        loop invariant wr_same{Pre, Here}(w) && wr_grows{Pre, Here}(w) && wr_full_stays{Pre, Here}(w);
        loop invariant mg_nodes_same{Pre, Here}(x->msg->nodes, x->msg->count);
        loop invariant mg_x_same{Pre, Here}(x) && x->mg == mg && x->out == o && w->b == b && w->cap == cap;
        loop invariant mg_ghost_replies == mg_ghost_requests;
        loop invariant ti != 0 ==> mg_ghost_requests < ti;
        loop invariant mg_ghost_requests + mg_requests{Pre}(x->msg->nodes, x->msg->count, ti) ==
                         mg_requests{Pre}(x->msg->nodes, x->msg->count, \at(x->msg->nodes[0].child, Pre));
        loop assigns ti, w->len, w->full, b[0 .. cap - 1], x->code, x->why[0 .. 191], x->notes,
                     o->nactions, o->actions[0 .. EMSEC_MG_MAX_ACTIONS - 1], *mg,
                     mg_ghost_requests, mg_ghost_replies;
        loop variant ti == 0 ? 0 : x->msg->count - ti;
    */
    for (uint32_t ti = x->msg->nodes[0].child; ti != 0u;) {
        const emsec_h248_node *tr = &x->msg->nodes[ti];
        /* the link and the kind read before the calls (as in tr_actions) */
        uint32_t next = tr->next;
        bool request = tr->item == EMSEC_H248_TOK_TRANS;
        /* the decoded tree's fact for this node, named: found by the
         * provers under mg_tr_ok's unfolding, the link and the span below
         * timed out (cvc4 300 s, z3 Unknown, 2026-11-24) */
        /*@ assert tree_ok: emsec_h248_tree_ok(x->msg, x->src, x->src_len); */
        /*@ assert node_ok: emsec_h248_node_ok(x->msg->nodes + ti, ti, x->msg->count, x->src_len); */
        /*@ assert emsec_h248_link_ok(ti, next, x->msg->count); */
        /*@ assert mg_requests{Pre}(x->msg->nodes, x->msg->count, ti) ==
                     (request ? 1 : 0) + (next > ti ? mg_requests{Pre}(x->msg->nodes, x->msg->count, next) : 0); */
        if (tr->item == EMSEC_H248_TOK_REPLY && x->mg->sc_tid != 0u && span_uint(x->src, tr->value) == x->mg->sc_tid)
            registered(x, w); /* the controller accepted our Restart (or Disconnected) */
        /*@ assert wr_same{Pre, Here}(w) && wr_grows{Pre, Here}(w) && wr_full_stays{Pre, Here}(w); */
        if (request) { /* replies, pending, acks from the controller: nothing to answer */
            /*@ ghost mg_ghost_requests++; */
            transaction_reply(x, w, from, tr);
        }
        /*@ assert wr_same{Pre, Here}(w); */
        /*@ assert wr_grows{Pre, Here}(w); */
        /*@ assert wr_full_stays{Pre, Here}(w); */
        ti = next;
    }
}

/* A decoded message (m, its nodes in mg->nodes): the reply's header, each
 * Transaction on the body root's list answered once (transaction_reply),
 * and the Notify requests the commands caused. The count of requests is
 * taken over the nodes as decoded (label Pre); the ghost walk at the end
 * shows the arena the same then and at the end, for the caller's contract. */
/*@ requires \valid(mg) && mg_ready(mg);
    requires \valid_read(m) && emsec_h248_tree_ok(m, msg, len) && m->nodes == &mg->nodes[0] &&
             m->count <= EMSEC_MG_MAX_NODES &&
             \separated(m->nodes + (0 .. m->count - 1), &mg->ctx[0 .. EMSEC_MG_MAX_CONTEXTS - 1],
                        &mg->term[0 .. EMSEC_MG_MAX_TERMS - 1]) &&
             \separated(m->nodes + (0 .. m->count - 1), m, out);
    requires \valid(out) && \valid(out->text + (0 .. out->cap - 1)) && out->nactions == 0;
    requires out->notify_cap == 0 || \valid(out->notify + (0 .. out->notify_cap - 1));
    requires \valid_read(msg + (0 .. len - 1));
    requires \separated(m, mg, out, out->text + (0 .. out->cap - 1), msg + (0 .. len - 1));
    requires \separated(out->notify + (0 .. out->notify_cap - 1), m, mg, out, out->text + (0 .. out->cap - 1),
                        msg + (0 .. len - 1));
    requires mg_ghost_decoded && mg_ghost_count == m->count && mg_ghost_requests == 0 && mg_ghost_replies == 0;
    assigns *mg, out->len, out->notify_len, out->nactions, out->actions[0 .. EMSEC_MG_MAX_ACTIONS - 1],
            out->text[0 .. out->cap - 1], out->notify[0 .. out->notify_cap - 1],
            mg_ghost_requests, mg_ghost_replies;
    ensures mg_ready(mg);
    ensures \result == EMSEC_OK ==>
              mg_ghost_replies == mg_ghost_requests &&
              mg_ghost_requests == mg_requests(&mg->nodes[0], mg_ghost_count, mg->nodes[0].child);
    ensures \result == EMSEC_OK ==> out->len <= out->cap;
*/
static emsec_result control_decoded(emsec_mg *mg, uint64_t now, const char *msg, uint32_t len,
                                    const emsec_h248_msg *m, emsec_mg_out *out)
{
    mg_mid_key from; /* the requester: the reply cache's key with each tid */
    mg_exec x;
    wr w;
    control_start(&x, &w, &from, mg, now, msg, len, m, out);
    control_header(&x, &w);
    uint32_t header = w.len;
    /* the state control_transactions' count is taken in (its Pre), named for
     * the ghost walk below; GCC's attribute: the label is used by ACSL only */
transactions: __attribute__((unused));
    control_transactions(&x, &w, &from);
    /* the facts the contract's ensures need, each carried over one step */
    /*@ assert w.cap == out->cap && w.len <= w.cap; */
    /*@ assert emsec_h248_tree_ok(m, msg, len); */
    /*@ assert emsec_h248_link_ok(0, m->nodes[0].child, m->count); */
    /*@ assert m->nodes == &mg->nodes[0] && m->count == mg_ghost_count && x.msg == m; */
    /*@ assert mg_ghost_replies == mg_ghost_requests &&
               mg_ghost_requests == mg_requests{transactions}(m->nodes, m->count, \at(m->nodes[0].child, transactions)); */
    /*@ assert mg_nodes_same{transactions, Here}(m->nodes, m->count); */
    if (w.full) {
        out_len(mg, out, 0u);
        return EMSEC_ERR_NO_SPACE;
    }
    out_len(mg, out, (w.len == header) ? 0u : w.len);
    /*@ assert mg_nodes_same{transactions, Here}(m->nodes, m->count); */
    if (x.notes.count > 0u) { /* events the commands themselves caused */
        notes_out(&x, out);
        /*@ assert mg_nodes_same{transactions, Here}(m->nodes, m->count); */
        if (out->notify_len == 0u)
            return EMSEC_ERR_NO_SPACE;
    }
    /*@ assert emsec_h248_link_ok(0, m->nodes[0].child, m->count); */
    /* the nodes' links and kinds the same as when control_transactions
     * counted the requests, as one fact the ghost walk keeps: the walk's
     * step then unfolds mg_requests at both labels over one node (without
     * it, the preservation timed out, cvc4 300 s) */
    /*@ assert mg_nodes_same{transactions, Here}(m->nodes, m->count); */
    /*@ assert emsec_h248_tree_ok(m, msg, len); */
    /*@ ghost
        uint32_t j = m->nodes[0].child;
        /@ loop invariant j == 0 || 0 < j < m->count;
           loop invariant mg_nodes_same{transactions, Here}(m->nodes, m->count);
           loop invariant mg_requests(m->nodes, m->count, m->nodes[0].child) - mg_requests(m->nodes, m->count, j) ==
                          mg_requests{transactions}(m->nodes, m->count, \at(m->nodes[0].child, transactions)) -
                          mg_requests{transactions}(m->nodes, m->count, j);
           loop invariant emsec_h248_tree_ok(m, msg, len);
           loop assigns j;
           loop variant j == 0 ? 0 : m->count - j;
        @/
        while (j != 0u) {
            /@ assert emsec_h248_link_ok(j, m->nodes[j].next, m->count); @/
            /@ assert \let k = j; \at(m->nodes[k].next, transactions) == m->nodes[k].next &&
                      \at(m->nodes[k].item, transactions) == m->nodes[k].item; @/
            /@ assert mg_requests(m->nodes, m->count, j) ==
                      (m->nodes[j].item == EMSEC_H248_TOK_TRANS ? 1 : 0) +
                      (m->nodes[j].next > j ? mg_requests(m->nodes, m->count, m->nodes[j].next) : 0); @/
            /@ assert mg_requests{transactions}(m->nodes, m->count, j) ==
                      (m->nodes[j].item == EMSEC_H248_TOK_TRANS ? 1 : 0) +
                      (m->nodes[j].next > j ? mg_requests{transactions}(m->nodes, m->count, m->nodes[j].next) : 0); @/
            j = m->nodes[j].next;
        }
    */
    /*@ assert m->nodes == &mg->nodes[0] && m->count == mg_ghost_count; */
    /*@ assert mg_requests(m->nodes, m->count, m->nodes[0].child) ==
               mg_requests{transactions}(m->nodes, m->count, \at(m->nodes[0].child, transactions)); */
    return EMSEC_OK;
}

/* "Every request gets a reply" (include/emsec/mg.h): for a message that
 * decodes, each Transaction on the body root's list is met once and gets
 * exactly one reply (from the cache, the 510 of an uncacheable
 * retransmission, or executed), counted where it is written; EMSEC_OK
 * means every byte of it is in out->text. A message that does not decode
 * gets the decoder's error reply and nothing is executed. */
/*@ requires \valid(mg) && mg_ready(mg);
    requires \valid(out) && out->text != \null && \valid(out->text + (0 .. out->cap - 1));
    requires out->notify_cap == 0 || \valid(out->notify + (0 .. out->notify_cap - 1));
    requires msg != \null && \valid_read(msg + (0 .. len - 1));
    requires \separated(mg, out, out->text + (0 .. out->cap - 1), msg + (0 .. len - 1));
    requires \separated(out->notify + (0 .. out->notify_cap - 1), mg, out, out->text + (0 .. out->cap - 1),
                        msg + (0 .. len - 1));
    assigns *mg, out->len, out->notify_len, out->nactions, out->actions[0 .. EMSEC_MG_MAX_ACTIONS - 1],
            out->text[0 .. out->cap - 1], out->notify[0 .. out->notify_cap - 1],
            mg_ghost_decoded, mg_ghost_count, mg_ghost_requests, mg_ghost_replies;
    ensures mg_ready(mg);
    ensures decoded: mg_ghost_decoded <==> emsec_h248_decodes{Pre}(msg, len, EMSEC_MG_MAX_NODES);
    ensures error_reply: !mg_ghost_decoded ==>
              out->nactions == 0 && out->notify_len == 0 && mg->cache_next == \old(mg->cache_next) &&
              (\result == EMSEC_OK ==> 0 < out->len <= out->cap);
    ensures every_request_replied: mg_ghost_decoded && \result == EMSEC_OK ==>
              mg_ghost_replies == mg_ghost_requests &&
              mg_ghost_requests == mg_requests(&mg->nodes[0], mg_ghost_count, mg->nodes[0].child);
    ensures \result == EMSEC_OK ==> out->len <= out->cap;
*/
emsec_result emsec_mg_control(emsec_mg *mg, uint64_t now, const char *msg, uint32_t len, emsec_mg_out *out)
{
    if (mg == NULL || msg == NULL || out == NULL || out->text == NULL)
        return EMSEC_ERR_ARGUMENT;
    out_reset(mg, out);
    emsec_h248_msg m;
    emsec_h248_error err;
    emsec_result r = decode_arena(mg, &m, msg, len, &err);
    /*@ ghost mg_ghost_decoded = r == EMSEC_OK; */
    /*@ ghost mg_ghost_requests = 0u; */
    /*@ ghost mg_ghost_replies = 0u; */
    if (r != EMSEC_OK)
        return error_out(mg, &err, out);
    /*@ ghost mg_ghost_count = m.count; */
    return control_decoded(mg, now, msg, len, &m, out);
}

emsec_result emsec_mg_service_change(emsec_mg *mg, uint64_t now, emsec_mg_sc_method method, emsec_mg_out *out)
{
    return emsec_mg_service_change_with(mg, now, method, NULL, out);
}

/* B.2 TimeStamp, by the decoder's own machine (spec/h248.rl h248_timestamp:
 * 8 digits, "T" in either case, 8 digits), and nothing more: the string
 * ends there (read at most 18 bytes). */
static bool is_timestamp(const char *t)
{
    uint32_t n = 0u;
    while (n < 18u && t[n] != '\0')
        n++;
    return n == 17u && h248_match_timestamp((const unsigned char *)t, n);
}

emsec_result emsec_mg_service_change_with(emsec_mg *mg, uint64_t now, emsec_mg_sc_method method,
                                          const emsec_mg_sc_params *params, emsec_mg_out *out)
{
    uint32_t delay_s = params != NULL ? params->delay_s : 0u;
    const char *stamp = params != NULL ? params->timestamp : NULL;
    if (mg == NULL || out == NULL || out->notify == NULL || (unsigned)method > EMSEC_MG_SC_DISCONNECTED ||
        (delay_s != 0u && method != EMSEC_MG_SC_GRACEFUL) || (stamp != NULL && !is_timestamp(stamp)))
        return EMSEC_ERR_ARGUMENT;
    out->len = 0u;
    out->notify_len = 0u;
    out->nactions = 0u;
    mg_exec x;
    memset(&x, 0, sizeof x);
    x.mg = mg;
    x.src = "";
    x.out = out;
    x.now = now;
    wr w = { out->notify, out->notify_cap, 0u, false };
    uint32_t tid = ++mg->next_tid;
    W_LIT(&w, "MEGACO/");
    w_uint(&w, mg->version);
    W_LIT(&w, " ");
    w_put(&w, mg->mid, mg->mid_len);
    W_LIT(&w, "\nTransaction = ");
    w_uint(&w, tid);
    W_LIT(&w, " {\n    Context = - {\n        ServiceChange = ROOT {\n            Services {\n                Method = ");
    if (method == EMSEC_MG_SC_RESTART)
        W_LIT(&w, "Restart,\n                Reason = \"901 Cold Boot\"");
    else if (method == EMSEC_MG_SC_GRACEFUL)
        W_LIT(&w, "Graceful,\n                Reason = \"905 Termination taken out of service\"");
    else if (method == EMSEC_MG_SC_DISCONNECTED)
        W_LIT(&w, "Disconnected,\n                Reason = \"900 Service Restored\"");
    else
        W_LIT(&w, "Forced,\n                Reason = \"905 Termination taken out of service\"");
    bool registers = method == EMSEC_MG_SC_RESTART || method == EMSEC_MG_SC_DISCONNECTED;
    if (registers) {
        W_LIT(&w, ",\n                Version = ");
        w_uint(&w, mg->version);
    }
    if (delay_s != 0u) {
        W_LIT(&w, ",\n                Delay = ");
        w_uint(&w, delay_s);
    }
    if (stamp != NULL) { /* B.2 serviceChangeParm: a TimeStamp stands alone */
        W_LIT(&w, ",\n                ");
        w_put(&w, stamp, 17u);
    }
    W_LIT(&w, "\n            }\n        }\n    }\n}\n");
    if (w.full)
        return EMSEC_ERR_NO_SPACE;
    if (registers) {
        mg->sc_tid = tid;
        mg->registered = false;
        mg->sc_cold = method == EMSEC_MG_SC_RESTART;
    }
    if (method == EMSEC_MG_SC_FORCED)
        for (uint16_t i = 0u; i < EMSEC_MG_MAX_TERMS; i++)
            if (mg->term[i].used) {
                release(&x, i);
                ctx_remove_term(mg, mg->term[i].ctx, i);
                mg_port_release(mg, i);
                mg->term[i].used = false;
                memset(mg->term[i].psk, 0, sizeof mg->term[i].psk);
            }
    out->notify_len = w.len;
    return EMSEC_OK;
}

/*@ requires mg == \null || \valid_read(mg);
    requires view == \null || \valid(view);
    requires \separated(mg, view);
    assigns *view;
    behavior refused:
      assumes mg == \null || view == \null || term >= EMSEC_MG_MAX_TERMS || !mg->term[term].used;
      assigns \nothing;
      ensures \result == false;
    behavior named:
      assumes mg != \null && view != \null && term < EMSEC_MG_MAX_TERMS && mg->term[term].used;
      ensures \result == true;
      ensures view->name == &mg->term[term].name[0];
      ensures view->local_port == \old(mg->term[term].local_port);
      ensures view->remote_port == \old(mg->term[term].remote_port);
      ensures \forall integer i; 0 <= i < 64 ==> view->remote_addr[i] == \old(mg->term[term].remote_addr[i]);
      ensures view->kind == \old(mg->term[term].kind) && view->secured == \old(mg->term[term].secured);
      ensures view->tcp_role == \old(mg->term[term].tcp_role) && view->tls_role == \old(mg->term[term].tls_role);
      ensures view->context == (\old(mg->term[term].ctx) < EMSEC_MG_MAX_CONTEXTS &&
                                \old(mg->ctx[mg->term[term].ctx].used) ? \old(mg->ctx[mg->term[term].ctx].id) : 0);
    complete behaviors;
    disjoint behaviors;
*/
bool emsec_mg_term_info(const emsec_mg *mg, uint16_t term, emsec_mg_term_view *view)
{
    if (mg == NULL || view == NULL || term >= EMSEC_MG_MAX_TERMS || !mg->term[term].used)
        return false;
    const emsec_mg_term *t = &mg->term[term];
    /* every field of emsec_mg_term_view is set below */
    view->name = t->name;
    view->local_port = t->local_port;
    memcpy(view->remote_addr, t->remote_addr, sizeof view->remote_addr);
    view->remote_port = t->remote_port;
    view->kind = t->kind;
    view->secured = t->secured;
    view->tcp_role = t->tcp_role;
    view->tls_role = t->tls_role;
    view->context = t->ctx < EMSEC_MG_MAX_CONTEXTS && mg->ctx[t->ctx].used ? mg->ctx[t->ctx].id : 0u;
    return true;
}

#ifdef __FRAMAC__
/* Vacuity probes, seen by Frama-C only (proofs/run.sh, "vacuity"): each
 * requires what a family of proved contracts rests on and claims \false.
 * If a probe PROVES, that precondition can never hold and every contract
 * requiring it was proved vacuously: the run fails then. (wr_apart was
 * such a precondition until 2026-11-24.) A probe that does not prove within
 * its small step budget is no proof that the precondition can hold; it
 * catches the contradictions a prover finds at once, as that one was. */
/*@ requires mg_tr_ok(x, w);
    assigns \nothing;
    ensures vacuous: \false;
*/
static void probe_tr_ok(mg_exec *x, wr *w)
{
    (void)x;
    (void)w;
}
/*@ requires mg_call_ok(x) && mg_ready(x->mg) && wr_ok(w) && wr_apart(w, x);
    assigns \nothing;
    ensures vacuous: \false;
*/
static void probe_call_ok(mg_exec *x, wr *w)
{
    (void)x;
    (void)w;
}
/* action's precondition, its frame's included (the frame checks rest on it) */
/*@ MG_ACTION_PRE(x, w, ctxn);
    assigns \nothing;
    ensures vacuous: \false;
*/
static void probe_action_frame(mg_exec *x, wr *w, const emsec_h248_node *ctxn)
{
    (void)x;
    (void)w;
    (void)ctxn;
}
/* emsec_mg_init's, on a configuration it reads (the proof of mg_ready) */
/*@ requires \valid(mg) && \valid_read(cfg) && mg_config_strings_ok(cfg) && mg_config_apart(cfg, mg);
    assigns \nothing;
    ensures vacuous: \false;
*/
static void probe_init_config(emsec_mg *mg, const emsec_mg_config *cfg)
{
    (void)mg;
    (void)cfg;
}
#endif
