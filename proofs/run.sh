#!/bin/sh
# make proofs: Frama-C on core/ and gen/, with pinned options.
#  1. WP with RTE on the role resolver's functions (z3 and cvc4; alt-ergo is
#     not in Debian 12). -wp-no-init-const: the tables' contents are not
#     unfolded into every goal; what the resolver needs of a cell is the
#     contract of setup_row()/reuse_row(), which step 2 discharges.
#  2. Eva over every cell of both role tables (the cell predicates).
#  2b. WP with RTE on the lifecycle engines (core/lifecycle.c), and Eva over
#     every cell of the TCP and TLS lifecycle tables (the cell predicates of
#     core/lifecycle.h: P1-P7), the same split as for the role tables.
#  2c. WP with RTE on the gateway core's command handling and event driver
#     (core/mg.c, core/mg_sdp.c, core/mg_drive.c, core/mg_fingerprint.c),
#     function by function: the model helpers against the invariants of
#     core/mg_model.h, the bounded writers, the SDP and fingerprint helpers,
#     the action list and the deadline, the reply writers (AuditValue, the
#     Error descriptor) and the Events descriptor's walk.
#  3. Eva on the generated H.248 lexical machines (proofs/h248_lex_eva.c):
#     0 alarms and every statement of every machine reached (two entry
#     points, run side by side).
#  4. Eva on the generated SDP machine alone (proofs/sdp_machine_eva.c; the
#     helpers its actions call through their contracts): 0 alarms, coverage
#     ratchet. Eva on the whole SDP parser (proofs/eva_sdp.sh): by hand only.
#  5. MSRP: WP with RTE on the framer (core/msrp_frame.c: end-line matcher,
#     emsec_msrp_feed's contract, init/finish, header-phase helpers) and the
#     rewriter's URI split/path/writer helpers (core/msrp_rewrite.c); Eva on
#     the generated header machine (proofs/msrp_eva.c), 0 alarms, every statement.
# The WP proved/total count is compared with proofs/goals.committed: proved
# may only grow, and every goal must prove (unproved ones are listed, with
# their reason, in proofs/UNPROVED.md).
set -eu
mkdir -p build/proofs
CPP="-cpp-extra-args=-Iinclude -Icore -Igen"
T0=$(date +%s)
since() { echo "$(( $(date +%s) - T0 )) s"; }

# The Eva steps below are single-threaded and the WP steps' Qed phase is too:
# the Eva runs start here, in the background at the lowest priority (nice 19,
# so the WP steps' provers keep the CPU they have when run alone: their
# timeouts are unchanged in effect), and each is checked at its old place,
# after waiting for it. On 2 cores this takes their time off the wall clock.
nice -n 19 frama-c "$CPP" proofs/lifecycle_tables_eva.c gen/tcp_lifecycle_table.c gen/tls_lifecycle_table.c \
    -eva -eva-slevel 2000 -eva-no-show-progress -then -report \
    > build/proofs/eva_lifecycle.log 2>&1 &
pid_eva_lifecycle=$!
h248_eva() {
    nice -n 19 frama-c "$CPP" proofs/h248_lex_eva.c gen/h248.c -eva -eva-no-show-progress -eva-slevel 0 "$@"
}
h248_eva -eva-widening-delay 30 -then -metrics -metrics-eva-cover \
    > build/proofs/eva_h248_short.log 2>&1 &
pid_short=$!
h248_eva -main h248_lex_eva_long -eva-widening-delay 200 -then -metrics -metrics-eva-cover \
    > build/proofs/eva_h248_long.log 2>&1 &
pid_long=$!
nice -n 19 frama-c "$CPP" -cpp-extra-args=-DEMSEC_EVA_SDP_MACHINE -cpp-extra-args=-DEVA_N=16 \
    proofs/sdp_machine_eva.c gen/sdp.c -eva -eva-no-show-progress -eva-slevel 0 \
    -eva-widening-delay 20 -then -report -then -metrics -metrics-eva-cover \
    > build/proofs/eva_sdp_machine.log 2>&1 &
pid_eva_sdp=$!
# a step that fails exits the script: the background runs go with it
trap 'kill $pid_eva_lifecycle $pid_short $pid_long $pid_eva_sdp 2>/dev/null || true' EXIT

# Functions proved by WP. emsec_roles_resolve's own contract is listed in
# proofs/UNPROVED.md (Qed runs past the timeout on it); the functions it
# composes are proved here and the composition is walked exhaustively by
# tests/unit/test_roles.c.
WP_FCT=decide_from_row,decide_keep,refuse,tls_id_conflicts,emsec_reuse_class_of

echo "proofs: WP on core/roles.c ($WP_FCT)"
frama-c "$CPP" core/roles.c gen/roles_table.c gen/reuse_table.c \
    -wp -wp-rte -wp-no-init-const -wp-prover z3,cvc4 -wp-timeout 10 -wp-par 2 \
    -wp-fct "$WP_FCT" > build/proofs/wp_roles.log 2>&1 || {
    tail -30 build/proofs/wp_roles.log; echo "proofs: frama-c WP failed"; exit 1; }
line=$(grep "Proved goals:" build/proofs/wp_roles.log | tail -1)
proved=$(echo "$line" | awk '{print $4}')
total=$(echo "$line" | awk '{print $6}')
case "$proved/$total" in
    [0-9]*/[0-9]*) ;;
    *) echo "proofs: cannot read the WP goal count from: $line"; exit 1 ;;
esac
echo "proofs: WP roles: $proved / $total goals proved"
grep -B1 -A2 "Failed\|Timeout\|Unknown" build/proofs/wp_roles.log | grep Goal || true

# WP with RTE on the H.248 profile checks (core/h248_profile.c): every
# function, against the table-wide predicate profile_table_ok that the unit
# test walks row by row (proofs/UNPROVED.md).
echo "proofs: WP on core/h248_profile.c"
frama-c "$CPP" core/h248_profile.c gen/h248_profile_table.c \
    -wp -wp-rte -wp-no-init-const -wp-prover z3,cvc4 -wp-timeout 10 -wp-par 2 \
    > build/proofs/wp_profile.log 2>&1 || {
    tail -30 build/proofs/wp_profile.log; echo "proofs: frama-c WP (profile) failed"; exit 1; }
pline=$(grep "Proved goals:" build/proofs/wp_profile.log | tail -1)
pproved=$(echo "$pline" | awk '{print $4}')
ptotal=$(echo "$pline" | awk '{print $6}')
case "$pproved/$ptotal" in
    [0-9]*/[0-9]*) ;;
    *) echo "proofs: cannot read the WP goal count from: $pline"; exit 1 ;;
esac
echo "proofs: WP profile: $pproved / $ptotal goals proved"
pcommitted=$(awk '/^wp_profile_proved/ {print $2}' proofs/goals.committed)
if [ "$pproved" -lt "$pcommitted" ] || [ "$pproved" -ne "$ptotal" ]; then
    grep -B1 -A2 "Failed\|Timeout\|Unknown" build/proofs/wp_profile.log | grep Goal | head
    echo "proofs: WP profile proved $pproved of $ptotal (committed $pcommitted): every goal must prove"; exit 1
fi

echo "proofs: Eva over every role-table cell"
frama-c "$CPP" proofs/roles_tables_eva.c gen/roles_table.c gen/reuse_table.c \
    -eva -eva-slevel 2000 -eva-no-show-progress -then -report \
    > build/proofs/eva_tables.log 2>&1 || { tail -30 build/proofs/eva_tables.log; exit 1; }
valid=$(grep -c "Valid.*Assertion\|\[  Valid  \] Assertion" build/proofs/eva_tables.log || true)
if ! grep -q "2 Completely validated" build/proofs/eva_tables.log || \
   grep -q "Unknown\|Invalid" build/proofs/eva_tables.log; then
    grep -A2 "Unknown\|Invalid" build/proofs/eva_tables.log | head -20
    echo "proofs: a role-table cell breaks its predicate"; exit 1
fi
echo "proofs: Eva tables: 254 cells checked, $valid assertions valid, 0 alarms"

# WP with RTE on the two lifecycle step functions (core/lifecycle.c): total
# over any input, the refusal for an out-of-range one, the looked-up cell and
# its properties otherwise. -wp-no-init-const as for the roles: what a cell
# holds is the contract of tcp_cell()/tls_cell(), which the Eva pass below
# discharges on every cell.
echo "proofs: WP on core/lifecycle.c (emsec_tcp_step, emsec_tls_step)"
frama-c "$CPP" core/lifecycle.c gen/tcp_lifecycle_table.c gen/tls_lifecycle_table.c \
    -wp -wp-rte -wp-no-init-const -wp-prover z3,cvc4 -wp-timeout 10 -wp-par 2 \
    -wp-fct emsec_tcp_step,emsec_tls_step > build/proofs/wp_lifecycle.log 2>&1 || {
    tail -30 build/proofs/wp_lifecycle.log; echo "proofs: frama-c WP (lifecycle) failed"; exit 1; }
lline=$(grep "Proved goals:" build/proofs/wp_lifecycle.log | tail -1)
lproved=$(echo "$lline" | awk '{print $4}')
ltotal=$(echo "$lline" | awk '{print $6}')
case "$lproved/$ltotal" in
    [0-9]*/[0-9]*) ;;
    *) echo "proofs: cannot read the WP goal count from: $lline"; exit 1 ;;
esac
echo "proofs: WP lifecycle: $lproved / $ltotal goals proved"
lcommitted=$(awk '/^wp_lifecycle_proved/ {print $2}' proofs/goals.committed)
if [ "$lproved" -lt "$lcommitted" ] || [ "$lproved" -ne "$ltotal" ]; then
    grep -B1 -A2 "Failed\|Timeout\|Unknown" build/proofs/wp_lifecycle.log | grep Goal | head
    echo "proofs: WP lifecycle proved $lproved of $ltotal (committed $lcommitted): every goal must prove"; exit 1
fi
if [ "$lproved" -gt "$lcommitted" ]; then
    echo "proofs: WP lifecycle proved $lproved > committed $lcommitted: raise proofs/goals.committed"
fi

# WP with RTE on the gateway core (2c). The functions below are the proved
# ones; what stays out, and why, is in proofs/UNPROVED.md. The four files are
# parsed together (the contracts of the shared helpers are seen across
# files); Frama-C renames mg_fingerprint.c's static hexval to hexval_0, as
# the second static of that name in the order below. The same provers and
# timeout as above, cvc4 named first: on these goals it is the faster one
# and that order takes about 20% less CPU (measured, same goals proved).
MG_FCT=w_put,w_str,w_uint,mg_fail,span_eq_ci,span_uint,find_ctx,new_ctx,find_term,mid_key_of,mid_key_same
MG_FCT=$MG_FCT,ctx_remove_term,value_as_written,hexval,cached,cache_put,emsec_mg_size
MG_FCT=$MG_FCT,copy_str,emsec_mg_term_info
MG_FCT=$MG_FCT,mg_kind_of,mg_setup_of,setup_word,mg_choose_setup,lw_put,lw_str,lw_uint
MG_FCT=$MG_FCT,has_choose,next_port,make_tls_id
MG_FCT=$MG_FCT,lower,hexval_0,hex_equals
MG_FCT=$MG_FCT,act,mg_act,notify,ready,msrp_aware,maybe_forward,emsec_mg_next_deadline
# Literals reach the writers and mg_fail with their length known at compile
# time (W_LIT, MG_FAIL, SPAN_IS), so the functions that write H.248 text are
# in. The command handlers' walks over the decoded tree (audit, events) rely
# on the decoder's contract (emsec_h248_tree_ok, include/emsec/h248.h),
# assumed: proofs/UNPROVED.md.
MG_FCT=$MG_FCT,mg_fail_n,span_eq_n,fail_actions_full,fail_notes_full,fail_reencryption
MG_FCT=$MG_FCT,w_sdp,w_name,reply_local,audit_local_control,audit_sdp,audit_one,audit,error_descriptor,events
echo "proofs: WP on the gateway core (core/mg.c, mg_sdp.c, mg_drive.c, mg_fingerprint.c)"
frama-c "$CPP" core/mg.c core/mg_sdp.c core/mg_drive.c core/mg_fingerprint.c \
    -wp -wp-rte -wp-no-init-const -wp-prover cvc4,z3 -wp-timeout 10 -wp-par 2 \
    -wp-fct "$MG_FCT" > build/proofs/wp_mg.log 2>&1 || {
    tail -30 build/proofs/wp_mg.log; echo "proofs: frama-c WP (gateway core) failed"; exit 1; }
mline=$(grep "Proved goals:" build/proofs/wp_mg.log | tail -1)
mproved=$(echo "$mline" | awk '{print $4}')
mtotal=$(echo "$mline" | awk '{print $6}')
case "$mproved/$mtotal" in
    [0-9]*/[0-9]*) ;;
    *) echo "proofs: cannot read the WP goal count from: $mline"; exit 1 ;;
esac
mfns=$(echo "$MG_FCT" | tr ',' '\n' | wc -l)
echo "proofs: WP gateway core: $mproved / $mtotal goals proved ($mfns functions)"
mcommitted=$(awk '/^wp_mg_proved/ {print $2}' proofs/goals.committed)
if [ "$mproved" -lt "$mcommitted" ] || [ "$mproved" -ne "$mtotal" ]; then
    grep -B1 -A2 "Failed\|Timeout\|Unknown" build/proofs/wp_mg.log | grep Goal | head
    echo "proofs: WP gateway core proved $mproved of $mtotal (committed $mcommitted): every goal must prove"; exit 1
fi
if [ "$mproved" -gt "$mcommitted" ]; then
    echo "proofs: WP gateway core proved $mproved > committed $mcommitted: raise proofs/goals.committed"
fi

# WP with RTE on the MIKEY parser's bounded reader and writer
# (core/mikey_parse.c, core/mikey_build.c): every read checks its bytes are
# there first (need/u8/u16/u32/take keep pos <= end over a valid_read
# buffer), the walkers of the CS ID map, the key data chain, the TICKET and
# the SP parameter TLVs stay inside it, and the writers never write at or
# past cap. Which functions stay out, and why, is in proofs/UNPROVED.md
# ("MIKEY"). The same provers and timeout as above.
MIKEY_FCT=fail_at,need,u8,u16,u32,take,mikey_ts_len,mikey_mac_len,mikey_hash_len
MIKEY_FCT=$MIKEY_FCT,mikey_key_has_salt,known_data_type,sp_params,srtp_map,generic_cs
MIKEY_FCT=$MIKEY_FCT,generic_map
MIKEY_FCT=$MIKEY_FCT,key_chain,ticket,result_of
MIKEY_FCT=$MIKEY_FCT,mikey_w_u8,mikey_w_u16,mikey_w_u32,mikey_w_bytes,span_ok
echo "proofs: WP on the MIKEY reader and writer (core/mikey_parse.c, core/mikey_build.c)"
frama-c "$CPP" core/mikey_parse.c core/mikey_build.c \
    -wp -wp-rte -wp-no-init-const -wp-prover z3,cvc4 -wp-timeout 10 -wp-par 2 \
    -wp-fct "$MIKEY_FCT" > build/proofs/wp_mikey.log 2>&1 || {
    tail -30 build/proofs/wp_mikey.log; echo "proofs: frama-c WP (MIKEY) failed"; exit 1; }
kline=$(grep "Proved goals:" build/proofs/wp_mikey.log | tail -1)
kproved=$(echo "$kline" | awk '{print $4}')
ktotal=$(echo "$kline" | awk '{print $6}')
case "$kproved/$ktotal" in
    [0-9]*/[0-9]*) ;;
    *) echo "proofs: cannot read the WP goal count from: $kline"; exit 1 ;;
esac
kfns=$(echo "$MIKEY_FCT" | tr ',' '\n' | wc -l)
echo "proofs: WP MIKEY: $kproved / $ktotal goals proved ($kfns functions)"
kcommitted=$(awk '/^wp_mikey_proved/ {print $2}' proofs/goals.committed)
if [ "$kproved" -lt "$kcommitted" ] || [ "$kproved" -ne "$ktotal" ]; then
    grep -B1 -A2 "Failed\|Timeout\|Unknown" build/proofs/wp_mikey.log | grep Goal | head
    echo "proofs: WP MIKEY proved $kproved of $ktotal (committed $kcommitted): every goal must prove"; exit 1
fi
if [ "$kproved" -gt "$kcommitted" ]; then
    echo "proofs: WP MIKEY proved $kproved > committed $kcommitted: raise proofs/goals.committed"
fi

echo "proofs: Eva over every lifecycle-table cell (started at 0 s, $(since) now)"
wait "$pid_eva_lifecycle" || { tail -30 build/proofs/eva_lifecycle.log; exit 1; }
lc_valid=$(awk '/Completely validated/ {print $1}' build/proofs/eva_lifecycle.log)
lc_total=$(awk '/ Total$/ {print $1}' build/proofs/eva_lifecycle.log)
if [ -z "$lc_valid" ] || [ "$lc_valid" != "$lc_total" ] || \
   grep -q "To be validated\|Invalid\|status invalid" build/proofs/eva_lifecycle.log; then
    grep "status invalid\|Unknown\|Invalid" build/proofs/eva_lifecycle.log | head -20
    echo "proofs: a lifecycle-table cell breaks its predicate"; exit 1
fi
lc_cells=$(cat gen/tcp_lifecycle_table.h gen/tls_lifecycle_table.h |
    awk '/_STATE_COUNT =/ {s = $3 + 0} /_EVENT_COUNT =/ {n += s * ($3 + 0)} END {print n}')
echo "proofs: Eva lifecycle tables: $lc_cells cells checked, $lc_valid/$lc_total assertions valid"

# Eva on gen/h248.c. No slevel and a widening delay above the input length:
# see the harness's header for why that keeps every pointer exact.
echo "proofs: Eva on the generated H.248 lexical machines (two runs, started at 0 s, $(since) now)"
rc_short=0; rc_long=0
wait "$pid_short" || rc_short=$?
wait "$pid_long" || rc_long=$?
for run in short long; do
    log=build/proofs/eva_h248_$run.log
    eval rc=\$rc_$run
    if [ "$rc" -ne 0 ] || ! grep -q " 0 alarms generated" "$log"; then
        grep "alarm\|Warning" "$log" | head -20; tail -5 "$log"
        echo "proofs: Eva on gen/h248.c ($run run) did not finish with 0 alarms"; exit 1
    fi
    grep "stmts out of" "$log" | grep -v "h248_lex_eva\|main:" > "build/proofs/eva_h248_${run}_cover.txt"
done
# Each machine must be fully reached by one of the two runs.
missing=$(cat build/proofs/eva_h248_short_cover.txt build/proofs/eva_h248_long_cover.txt |
    awk '{f=$1; sub(":","",f); if ($NF=="(100.0%)") full[f]=1; seen[f]=1}
         END {for (f in seen) if (!(f in full)) print f}')
if [ -n "$missing" ]; then
    echo "proofs: Eva did not reach every statement of: $missing"; exit 1
fi
h248_stmts=$(cat build/proofs/eva_h248_short_cover.txt build/proofs/eva_h248_long_cover.txt |
    awk '{f=$1; sub(":","",f); n[f]=$6} END {t=0; for (f in n) t+=n[f]; print t}')
h248_fns=$(cat build/proofs/eva_h248_short_cover.txt build/proofs/eva_h248_long_cover.txt |
    awk '{f=$1; seen[f]=1} END {n=0; for (f in seen) n++; print n}')
echo "proofs: Eva H.248 lexer: $h248_fns functions (each machine inlined + its exported wrapper), $h248_stmts statements all reached, 0 alarms"
committed_fns=$(awk '/^eva_h248_machines/ {print $2}' proofs/goals.committed)
if [ "$h248_fns" -lt "$committed_fns" ]; then
    echo "proofs: Eva covers $h248_fns H.248 machine functions < committed $committed_fns"; exit 1
fi

# Eva on the generated SDP machine alone (proofs/sdp_machine_eva.c): the
# helpers its actions call are seen through their contracts
# (core/sdp_internal.h, EMSEC_EVA_SDP_MACHINE), so Eva walks the DFA itself.
# Every length up to 15 bytes, then one more byte fed as a second piece;
# no slevel, and a widening delay above the input length (see the harness).
echo "proofs: Eva on the generated SDP machine (gen/sdp.c; started at 0 s, $(since) now)"
wait "$pid_eva_sdp" || {
    tail -20 build/proofs/eva_sdp_machine.log; echo "proofs: frama-c Eva (SDP machine) failed"; exit 1; }
if ! grep -q " 0 alarms generated" build/proofs/eva_sdp_machine.log ||
   grep -q "To be validated\|Invalid\|status invalid" build/proofs/eva_sdp_machine.log; then
    grep -A2 "eva:alarm" build/proofs/eva_sdp_machine.log | head -20
    echo "proofs: Eva on the SDP machine did not finish with 0 alarms"; exit 1
fi
sdpm_stmts=$(grep "stmts out of" build/proofs/eva_sdp_machine.log | grep "emsec_sdp__exec" | awk '{print $2}')
sdpm_all=$(grep "stmts out of" build/proofs/eva_sdp_machine.log | grep "emsec_sdp__exec" | awk '{print $6}')
committed_sdpm=$(awk '/^eva_sdp_machine_stmts/ {print $2}' proofs/goals.committed)
case "$sdpm_stmts/$sdpm_all" in
    [0-9]*/[0-9]*) ;;
    *) echo "proofs: cannot read the SDP machine's coverage"; exit 1 ;;
esac
echo "proofs: Eva SDP machine: 0 alarms, $sdpm_stmts of $sdpm_all statements of emsec_sdp__exec reached"
if [ "$sdpm_stmts" -lt "$committed_sdpm" ]; then
    echo "proofs: Eva reached $sdpm_stmts statements of the SDP machine < committed $committed_sdpm"; exit 1
fi

# MSRP (issue 7): WP with RTE on the framer (core/msrp_frame.c: the end-line
# matcher, the feed entry point emsec_msrp_feed with its failure-absorbing
# contract, init/finish and the header-phase helpers) and on the rewriter's
# URI split, path and bounded-writer helpers (core/msrp_rewrite.c); Eva on
# the generated header machine (proofs/msrp_eva.c: started in every state,
# 0 alarms, every statement of emsec_msrp__exec and of the helpers its
# actions call reached). WP sees the machine through an assumed contract
# (core/msrp_frame.c, under __FRAMAC__). -wp-no-init-const on the framer:
# no goal depends on a table's contents. What stays out, and why:
# proofs/UNPROVED.md, "MSRP".
MSRP_FRAME_FCT=msrp_endline_step,msrp_endline_setup,emsec_msrp_rule_name,msrp_same
MSRP_FRAME_FCT=$MSRP_FRAME_FCT,emsec_msrp__method_of,msrp_fail_at,msrp_next_message
MSRP_FRAME_FCT=$MSRP_FRAME_FCT,msrp_msg_clear,emsec_msrp_framer_init,emsec_msrp_last_error
MSRP_FRAME_FCT=$MSRP_FRAME_FCT,emsec_msrp_header_bytes,msrp_check_block,msrp_copy
MSRP_FRAME_FCT=$MSRP_FRAME_FCT,msrp_used_upto,msrp_header_run,msrp_end,msrp_body_bytes
MSRP_FRAME_FCT=$MSRP_FRAME_FCT,emsec_msrp_feed,emsec_msrp_finish
MSRP_REWRITE_FCT=msrp_lower,msrp_eq_ci,msrp_eq_cs,msrp_unreserved
MSRP_REWRITE_FCT=$MSRP_REWRITE_FCT,msrp_graphic,msrp_find,msrp_host_start,msrp_host_end
MSRP_REWRITE_FCT=$MSRP_REWRITE_FCT,msrp_port,msrp_uri_split
MSRP_REWRITE_FCT=$MSRP_REWRITE_FCT,emsec_msrp_uri_equal,msrp_path_nth,msrp_put
echo "proofs: WP on the MSRP end-line matcher and rewriter helpers"
frama-c "$CPP" core/msrp_frame.c -wp -wp-rte -wp-no-init-const -wp-prover z3,cvc4 -wp-timeout 10 -wp-par 2 \
    -wp-fct "$MSRP_FRAME_FCT" > build/proofs/wp_msrp_frame.log 2>&1 || {
    tail -30 build/proofs/wp_msrp_frame.log; echo "proofs: frama-c WP (MSRP framer) failed"; exit 1; }
frama-c "$CPP" core/msrp_rewrite.c -wp -wp-rte -wp-prover z3,cvc4 -wp-timeout 10 -wp-par 2 \
    -wp-fct "$MSRP_REWRITE_FCT" > build/proofs/wp_msrp_rewrite.log 2>&1 || {
    tail -30 build/proofs/wp_msrp_rewrite.log; echo "proofs: frama-c WP (MSRP rewriter) failed"; exit 1; }
msrp_proved=0
msrp_total=0
for log in build/proofs/wp_msrp_frame.log build/proofs/wp_msrp_rewrite.log; do
    line=$(grep "Proved goals:" "$log" | tail -1)
    p_=$(echo "$line" | awk '{print $4}')
    t_=$(echo "$line" | awk '{print $6}')
    case "$p_/$t_" in
        [0-9]*/[0-9]*) ;;
        *) echo "proofs: cannot read the WP goal count from $log: $line"; exit 1 ;;
    esac
    msrp_proved=$((msrp_proved + p_))
    msrp_total=$((msrp_total + t_))
done
echo "proofs: WP MSRP: $msrp_proved / $msrp_total goals proved"
msrp_committed=$(awk '/^wp_msrp_proved/ {print $2}' proofs/goals.committed)
if [ "$msrp_proved" -lt "$msrp_committed" ] || [ "$msrp_proved" -ne "$msrp_total" ]; then
    grep -h -B1 -A2 "Failed\|Timeout\|Unknown" build/proofs/wp_msrp_*.log | grep Goal | head
    echo "proofs: WP MSRP proved $msrp_proved of $msrp_total (committed $msrp_committed): every goal must prove"; exit 1
fi
echo "proofs: Eva on the generated MSRP header machine (gen/msrp.c)"
frama-c "$CPP" proofs/msrp_eva.c gen/msrp.c -eva -eva-no-show-progress -eva-slevel 0 \
    -eva-widening-delay 30 -then -report -then -metrics -metrics-eva-cover \
    > build/proofs/eva_msrp.log 2>&1 || {
    tail -20 build/proofs/eva_msrp.log; echo "proofs: frama-c Eva (MSRP machine) failed"; exit 1; }
if ! grep -q " 0 alarms generated" build/proofs/eva_msrp.log ||
   grep -q "To be validated\|Invalid\|status invalid" build/proofs/eva_msrp.log; then
    grep -A2 "eva:alarm" build/proofs/eva_msrp.log | head -20
    echo "proofs: Eva on the MSRP machine did not finish with 0 alarms"; exit 1
fi
grep "stmts out of" build/proofs/eva_msrp.log | grep -v "main:" > build/proofs/eva_msrp_cover.txt
msrp_partial=$(awk '$NF != "(100.0%)" {f=$1; sub(":","",f); print f}' build/proofs/eva_msrp_cover.txt)
if [ -n "$msrp_partial" ]; then
    echo "proofs: Eva did not reach every statement of: $msrp_partial"; exit 1
fi
msrp_stmts=$(awk '/emsec_msrp__exec:/ {print $2}' build/proofs/eva_msrp_cover.txt)
msrp_committed_stmts=$(awk '/^eva_msrp_machine_stmts/ {print $2}' proofs/goals.committed)
echo "proofs: Eva MSRP machine: 0 alarms, all $msrp_stmts statements of emsec_msrp__exec and its helpers reached"
if [ "$msrp_stmts" -lt "$msrp_committed_stmts" ]; then
    echo "proofs: Eva reached $msrp_stmts statements of the MSRP machine < committed $msrp_committed_stmts"; exit 1
fi

# Eva on the whole SDP grammar does not yet finish in CI time (proofs/UNPROVED.md);
# run it by hand with EMSEC_EVA_SDP=1.
if [ "${EMSEC_EVA_SDP:-0}" = 1 ]; then
    echo "proofs: Eva on the generated SDP parser"
    sh proofs/eva_sdp.sh
fi

committed=$(awk '/^wp_roles_proved/ {print $2}' proofs/goals.committed)
committed_total=$(awk '/^wp_roles_total/ {print $2}' proofs/goals.committed)
if [ "$proved" -lt "$committed" ]; then
    echo "proofs: WP proved $proved < committed $committed: the count may only grow"; exit 1
fi
if [ "$proved" -ne "$total" ]; then
    echo "proofs: $((total - proved)) WP goal(s) unproved"; exit 1
fi
if [ "$proved" -gt "$committed" ]; then
    echo "proofs: WP proved $proved > committed $committed ($committed_total): raise proofs/goals.committed"
fi
echo "proofs: all passed in $(since) (WP goals: roles $proved/$total, profile $pproved/$ptotal, lifecycle $lproved/$ltotal, gateway core $mproved/$mtotal, MIKEY $kproved/$ktotal, MSRP $msrp_proved/$msrp_total; Eva: 254 role-table cells, $lc_cells lifecycle cells, $h248_fns H.248 machine functions, SDP machine $sdpm_stmts/$sdpm_all statements, MSRP machine $msrp_stmts statements, 0 alarms)"
