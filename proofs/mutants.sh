#!/bin/sh
# make proofs-mutants: deliberate bugs that the proofs must catch. Each mutant
# is applied to a copy of the tree under build/mutants/; the run passes only
# if the proof of every mutant FAILS. Kinds: wp / eva (role resolver, role
# tables); gen (a lifecycle table file: the generator must refuse it);
# lc-eva (the compiled lifecycle array, as if the generator had let the bug
# through: Eva must find the cell); lc-wp (core/lifecycle.c: WP must fail);
# vac (the gateway core's vacuity probe named must PROVE \false: the
# precondition it probes has become one that can never hold); mg-wp (WP on
# the gateway core's function the goal names must fail).
# A WP mutant (wp, lc-wp, mg-wp) names the goal that must fail: it is caught only
# when that goal is among the unproved ones, not when any goal fails. The
# provers' limit is the step count of proofs/run.sh (deterministic), not a
# time: a goal that timed out on a busy machine would pass for a catch. The
# mutated goals come back Unknown from both provers within a second.
set -eu
root=$(pwd)
CPP="-cpp-extra-args=-Iinclude -Icore -Igen"
fails=0
# The mutants run two at a time (one per core; each frama-c with one prover
# process, -wp-par 1), each in its own copy of the tree; every mutant's
# lines are printed in order once all have run, and counted from them.
JOBS=${MUTANT_JOBS:-2}
running=0
names=""
mkdir -p build/mutants
WP_LIMITS="-wp-steps 10000000 -wp-timeout 600"
# wp_verdict: from a WP run's log, caught=yes when the goal $expect is among
# the unproved ones; result lists them.
wp_verdict() {
    proved=$(grep "Proved goals" log | tail -1 | awk '{print $4 "/" $6}')
    goals=$(grep "^\[wp\] \[\(Failed\|Timeout\|Unknown\)\]" log | sed 's/.*Goal typed_//; s/ .*//' | tr '\n' ' ' | sed 's/ $//')
    caught=no
    for g in $goals; do [ "$g" = "$expect" ] && caught=yes; done
    result="WP $proved proved; not proved: ${goals:-none}; expected: $expect"
}
spawn() { # NAME ...: run_mutant in the background, at most JOBS at once
    names="$names $1"
    (run_mutant "$@") > "build/mutants/$1.out" 2>&1 &
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then wait; running=0; fi
}
run_mutant() { # NAME FILE SED-EXPR PROOF(wp|eva|gen|lc-eva|lc-wp|vac|mg-wp) [GOAL]
    name=$1 file=$2 expr=$3 kind=$4 expect=${5:-}
    dir=build/mutants/$name
    rm -rf "$dir" && mkdir -p "$dir"
    cp -r include core gen spec proofs scripts "$dir"/
    sed -i "$expr" "$dir/$file"
    if cmp -s "$file" "$dir/$file"; then
        echo "mutant $name: the patch did not apply"; fails=$((fails + 1)); return
    fi
    cd "$dir"
    if [ "$kind" = gen ]; then
        if sh scripts/gen.sh gen >log 2>&1; then caught=no; result="the generator accepted it"; else
            caught=yes; result="generator refused: $(grep "$file" log | head -1)"; fi
        kind=done
    fi
    [ "$kind" = done ] || [ "$file" = "${file#spec/}" ] || sh scripts/gen.sh gen >/dev/null
    if [ "$kind" = done ]; then
        :
    elif [ "$kind" = lc-eva ]; then
        frama-c "$CPP" proofs/lifecycle_tables_eva.c gen/tcp_lifecycle_table.c \
            gen/tls_lifecycle_table.c -eva -eva-slevel 2000 -eva-no-show-progress \
            -then -report > log 2>&1 || true
        bad=$(sed -n "s/.*assertion '\([^']*\)' got status invalid.*/\1/p" log | sort -u | tr '\n' ' ')
        if [ -z "$bad" ] && ! grep -q "To be validated" log; then caught=no; result="valid"; else
            caught=yes; result="Eva: assertion(s) ${bad:-?}invalid on the mutated cell"; fi
    elif [ "$kind" = lc-wp ]; then
        frama-c "$CPP" core/lifecycle.c gen/tcp_lifecycle_table.c gen/tls_lifecycle_table.c \
            -wp -wp-rte -wp-no-init-const -wp-prover z3,cvc4 $WP_LIMITS -wp-par 1 \
            -wp-fct emsec_tcp_step,emsec_tls_step > log 2>&1 || true
        wp_verdict
    elif [ "$kind" = vac ]; then
        frama-c "$CPP" core/mg.c core/mg_sdp.c core/mg_drive.c core/mg_fingerprint.c core/mg_msrp.c \
            -wp -wp-rte -wp-steps 300000 -wp-timeout 60 -wp-par 1 -wp-no-init-const \
            -wp-prover cvc4,z3 -wp-fct "${expect%%_ensures_vacuous}" > log 2>&1 || true
        if grep -q "typed_$expect : Valid" log; then caught=yes; result="the vacuity probe proved false: $expect"
        else caught=no; result="the vacuity probe did not prove: $expect"; fi
    elif [ "$kind" = mg-wp ]; then
        frama-c "$CPP" core/mg.c core/mg_sdp.c core/mg_drive.c core/mg_fingerprint.c core/mg_msrp.c \
            -wp -wp-rte -wp-no-init-const -wp-prover cvc4,z3 $WP_LIMITS -wp-par 1 \
            -wp-fct "${expect%%_ensures_*}" > log 2>&1 || true
        wp_verdict
    elif [ "$kind" = wp ]; then
        frama-c "$CPP" core/roles.c gen/roles_table.c gen/reuse_table.c -wp -wp-rte \
            -wp-no-init-const -wp-prover z3,cvc4 $WP_LIMITS -wp-par 1 \
            -wp-fct decide_from_row,decide_keep > log 2>&1 || true
        wp_verdict
    else
        frama-c "$CPP" proofs/roles_tables_eva.c gen/roles_table.c gen/reuse_table.c \
            -eva -eva-slevel 2000 -eva-no-show-progress -then -report > log 2>&1 || true
        if grep -q "2 Completely validated" log; then caught=no; result="valid"; else
            caught=yes; result="$(grep -c 'To be validated\|Dead property\|Invalid' log || true) non-valid status line(s)"; fi
    fi
    cd "$root"
    if [ "$caught" = yes ]; then
        echo "mutant $name: caught ($result)"
    else
        echo "mutant $name: NOT caught ($result)"; fails=$((fails + 1))
    fi
}
# 1. A BFCP/TLS table row that makes the answerer the TLS client (RFC 8856 §8).
spawn bfcp_answerer_client spec/roles.tbl \
    's/^\(bfcp tls   actpass  active   ok      passive  active   \)offerer /\1answerer/' eva
# 2. An MSRP/TLS row where the passive end is the TLS client (RFC 6135 §6).
spawn msrp_passive_client spec/roles.tbl \
    's/^\(msrp tls   actpass  passive  ok      active   passive  \)offerer /\1answerer/' eva
# 3. The resolver swaps client and server when mapping the row onto our side.
spawn swapped_tls_role core/roles.c \
    's/tls = we_are_client ? EMSEC_TLS_CLIENT : EMSEC_TLS_SERVER;/tls = we_are_client ? EMSEC_TLS_SERVER : EMSEC_TLS_CLIENT;/' wp \
    decide_from_row_ensures_tls_role_from_row
# 4. A kept session that silently drops TLS.
spawn keep_drops_tls core/roles.c \
    's/out->tls = secured ? EMSEC_TLS_KEEP : EMSEC_TLS_NONE;/out->tls = EMSEC_TLS_NONE;/' wp \
    decide_keep_ensures_keeps_tls
# 5-10. The lifecycle tables (P1, P3, P6), each bug twice: in the table file
# (the generator must refuse it) and in the compiled array (Eva must find it).
# 5/6. A TLS cell that fails the session without releasing TCP (P1).
spawn tls_failed_keeps_tcp spec/tls_lifecycle.tbl \
    's/^\(HANDSHAKE_CLIENT *FINGERPRINT_MISMATCH *FAILED *\)TCP_RELEASE,/\1/' gen
spawn tls_failed_keeps_tcp_c gen/tls_lifecycle_table.c \
    '/\[EMSEC_TLS_ST_HANDSHAKE_CLIENT\]\[EMSEC_TLS_EV_FINGERPRINT_MISMATCH\]/s/EMSEC_TLS_ACT_TCP_RELEASE | //' lc-eva
# 7/8. An insecure renegotiation accepted (P3, RFC 5746).
spawn reneg_insecure_accepted spec/tls_lifecycle.tbl \
    's/^\(ESTABLISHED *RENEG_INSECURE *\)FAILED *RENEG_REFUSE,TCP_RELEASE,NOTIFY_EF *renegotiation /\1ESTABLISHED RENEG_ACCEPT none /' gen
spawn reneg_insecure_accepted_c gen/tls_lifecycle_table.c \
    '/\[EMSEC_TLS_ST_ESTABLISHED\]\[EMSEC_TLS_EV_RENEG_INSECURE\]/s/EMSEC_TLS_ACT_RENEG_REFUSE/EMSEC_TLS_ACT_RENEG_ACCEPT/' lc-eva
# 9/10. A held connection that forwards before the controller allows it (P6).
spawn held_forwards spec/tcp_lifecycle.tbl \
    's/^\(HELD *TRIGGER *HELD *\)- /\1FORWARD /' gen
spawn held_forwards_c gen/tcp_lifecycle_table.c \
    '/\[EMSEC_TCP_ST_HELD\]\[EMSEC_TCP_EV_TRIGGER\]/s/\.actions = 0,/.actions = EMSEC_TCP_ACT_FORWARD,/' lc-eva
# 11. The TLS step's range check lets state == COUNT through (reads past the table).
spawn tls_step_off_by_one core/lifecycle.c \
    's/(unsigned)state >= EMSEC_TLS_STATE_COUNT/(unsigned)state > EMSEC_TLS_STATE_COUNT/' lc-wp \
    emsec_tls_step_call_tls_cell_requires
# 12. The TCP step reports a refused event as applied.
spawn tcp_refusal_reported_ok core/lifecycle.c \
    '0,/return EMSEC_ERR_REFUSED;/s//return EMSEC_OK;/' lc-wp \
    emsec_tcp_step_refused_ensures
# 13. The reply writer's separation written as one \separated naming the
# model and the decoded nodes that lie inside it (pairwise in ACSL): mg_tr_ok
# can never hold, the vacuity found on 2026-11-24; its probe must prove \false.
spawn wr_apart_pairwise core/mg.c \
    's/\\separated(w->b + (0 \.\. w->cap - 1), x) && \\separated(w->b + (0 \.\. w->cap - 1), x->mg) &&/\\separated(w->b + (0 .. w->cap - 1), x, x->mg, x->msg->nodes + (0 .. x->msg->count - 1)) \&\&/' vac \
    probe_tr_ok_ensures_vacuous
# 14. action's assigns clause grown to the mId while its contract still says
# the mId is kept (MG_ACTION_KEEPS, assumed by tr_action): the check of
# action's frame must fail on that ensures.
spawn action_writes_mid core/mg.c \
    's/(x)->mg->sdp, (x)->mg->deadline/(x)->mg->sdp, (x)->mg->mid[0 .. 127], (x)->mg->deadline/' mg-wp \
    action_frame_check_ensures_mid_kept
wait
for n in $names; do
    cat "build/mutants/$n.out"
    grep -q "^mutant $n: caught" "build/mutants/$n.out" || fails=$((fails + 1))
done
if [ "$fails" -ne 0 ]; then echo "proofs-mutants: $fails mutant(s) not caught"; exit 1; fi
echo "proofs-mutants: all 14 mutants caught"
