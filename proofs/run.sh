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
#     (core/mg.c, core/mg_sdp.c, core/mg_drive.c, core/mg_fingerprint.c, core/mg_msrp.c),
#     function by function: the model helpers against the invariants of
#     core/mg_model.h, the bounded writers, the SDP and fingerprint helpers,
#     the action list and the deadline, the reply writers (AuditValue, the
#     Error descriptor) and the Events descriptor's walk; and vacuity
#     probes: the preconditions those proofs rest on must not give \false.
#  2d. WP with RTE on the SDP parser's accessors (core/sdp_parse.c) against
#     emsec_sdp_ok, the parse result's contract (include/emsec/sdp.h).
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
#
# How it runs on 2 cores: a WP run spends much of its time in frama-c's own
# single-threaded phase (RTE, the weakest preconditions, Qed), so the WP runs
# go in two lanes side by side (the gateway core's functions split in two
# halves, one per lane), each run keeping -wp-par 2; the single-threaded Eva
# runs on the generated machines start beside them at nice 19. Every run
# writes its log and exit code under build/proofs/; once all have ended, the
# checks read them in the order above and the first that fails stops the
# script.
set -eu
mkdir -p build/proofs
CPP="-cpp-extra-args=-Iinclude -Icore -Igen"
P=build/proofs
T0=$(date +%s)
since() { echo "$(( $(date +%s) - T0 )) s"; }
rm -f $P/*.rc $P/*.time

# run NAME COMMAND...: COMMAND's output in build/proofs/NAME.log, its exit
# code in build/proofs/NAME.rc (read by ran_ok below).
# Each run's start and end (seconds since the script began) and its wall time
# go to build/proofs/NAME.time, and the list is printed once all have ended:
# what the lanes below are balanced from.
run() {
    name=$1; shift; rc=0; t_=$(date +%s)
    "$@" > "$P/$name.log" 2>&1 || rc=$?
    echo "$((t_ - T0)) $(( $(date +%s) - T0 )) $(( $(date +%s) - t_ ))" > "$P/$name.time"
    echo "$rc" > "$P/$name.rc"
}
# The provers' limit is a step count, not a time: their own deterministic
# resource counters (-wp-steps: why3 passes it as cvc4's --rlimit and z3's
# rlimit), so a goal proves or not whatever else the machine runs. Under load
# a time limit failed goals that prove in 3 s alone (measured 2026-11-23: 4
# of the 4,083 goals timed out at 10 s, the machine at load 10). The most a
# proved goal took then: cvc4 176,637 steps (3.2 s alone), z3 994,882
# (0.7 s); 10,000,000 leaves both a wide margin. The time limit is only a
# backstop against a hung prover, at 600 s: at 60 s, the project's CI run of
# 2026-11-23 reported two goals Failed (both provers out of time; WP prints
# a time-out on every prover as Failed) that prove here in 13 s and 19 s
# (cvc4, 581,008 and 648,815 steps): there the proofs stage took 2973 s
# against 769 s here, so a goal's wall time is no measure of its cost.
# One prover, cvc4 ($CVC4), where it proves every goal: WP runs the provers
# it is given side by side on every goal until one succeeds, so with z3
# beside it each goal cost about twice the CPU. Measured 2026-11-23, run by
# run: every run below but the gateway core's proves every goal with cvc4
# alone, in about 0.55x to 0.7x the CPU time (e.g. core/roles.c 46 s instead
# of 84 s).
# -wp-prover is given once per command (given twice, a run proved fewer goals).
WP="-wp -wp-rte -wp-steps 10000000 -wp-timeout 600 -wp-par 2"
CVC4="-wp-prover cvc4"

# ------------------------------------------------------------ what runs
# Functions proved by WP on core/roles.c: emsec_roles_resolve against its
# contract (the decision is a table row, BFCP answerer never TLS client, MSRP
# TLS client <=> TCP active, ...), through one small function per outcome
# (core/roles.c says why). -wp-no-init-const: the tables' contents are not
# unfolded into every goal; what the resolver needs of a cell is the
# contract of setup_row()/reuse_row(), which Eva discharges.
WP_FCT=decide_from_row,decide_keep,refuse,tls_id_conflicts,emsec_reuse_class_of
WP_FCT=$WP_FCT,emsec_roles_resolve,resolve_in_range,decide,decide_tls_id,decide_reuse
WP_FCT=$WP_FCT,decide_new,open_new,refuse_setup,keep,refuse_tls_id,refuse_reuse
WP_FCT=$WP_FCT,keeps_connection,tls_ids_conflict,index_of,in_range
wp_roles() {
    frama-c "$CPP" core/roles.c gen/roles_table.c gen/reuse_table.c $WP $CVC4 -wp-no-init-const \
        -wp-fct "$WP_FCT"
}
# The H.248 profile checks (core/h248_profile.c): every function but the
# vacuity probes (wp_vacuity runs them; their goals must fail), against the
# table-wide predicate profile_table_ok that the unit test walks row by row.
wp_profile() {
    frama-c "$CPP" core/h248_profile.c gen/h248_profile_table.c $WP $CVC4 -wp-no-init-const \
        -wp-skip-fct probe_profile_table,probe_code_table
}
# The SDP parser's accessors (core/sdp_parse.c, their contracts in
# include/emsec/sdp.h): over a parse result that satisfies emsec_sdp_ok
# (what emsec_sdp_parse's contract promises, ASSUMED: the parser itself is
# checked by Eva and the tests, proofs/UNPROVED.md), each returns an
# attribute of the section and kind asked for, inside attrs[0 ..
# attr_count - 1], or none when there is none. The gateway core's
# fingerprint check and hash list (MG_FCT_B) rest on these contracts.
SDP_ACCESS_FCT=sdp_media_or_session,emsec_sdp_media_setup,emsec_sdp_media_connection
SDP_ACCESS_FCT=$SDP_ACCESS_FCT,emsec_sdp_media_tls_id,emsec_sdp_media_fingerprints,emsec_sdp_find_attr
wp_sdp_access() {
    frama-c "$CPP" core/sdp_parse.c $WP $CVC4 -wp-no-init-const -wp-fct "$SDP_ACCESS_FCT"
}
eva_tables() {
    frama-c "$CPP" proofs/roles_tables_eva.c gen/roles_table.c gen/reuse_table.c \
        -eva -eva-slevel 2000 -eva-no-show-progress -then -report
}
# The two lifecycle step functions (core/lifecycle.c): total over any input,
# the refusal for an out-of-range one, the looked-up cell and its properties
# otherwise; a cell's contents are the contract of tcp_cell()/tls_cell(),
# which the Eva run over every cell discharges.
wp_lifecycle() {
    frama-c "$CPP" core/lifecycle.c gen/tcp_lifecycle_table.c gen/tls_lifecycle_table.c \
        $WP $CVC4 -wp-no-init-const -wp-fct emsec_tcp_step,emsec_tls_step
}
# The gateway core (2c). The functions below are the proved ones; what stays
# out, and why, is in proofs/UNPROVED.md. The four files are parsed together
# (the contracts of the shared helpers are seen across files); Frama-C
# renames mg_fingerprint.c's static hexval to hexval_0, as the second static
# of that name in the order below. cvc4 named first: on these goals it is
# the faster one and that order takes about 20% less CPU (measured, same
# goals proved). Literals reach the writers and mg_fail with their length
# known at compile time (W_LIT, MG_FAIL, SPAN_IS). The command handlers'
# walks over the decoded tree (audit, events) rely on the decoder's contract
# (emsec_h248_tree_ok, include/emsec/h248.h), assumed: proofs/UNPROVED.md.
# Two halves of about equal prover time (measured per function from a
# run's log), one per lane: A, the reply writers and the command handlers'
# walks (core/mg.c); B, the model, the SDP and fingerprint helpers and the
# event driver.
MG_FCT_A=w_put,w_str,w_uint,w_sdp,w_name,mg_fail,mg_fail_n,span_eq_n,span_uint
MG_FCT_A=$MG_FCT_A,value_as_written,emsec_mg_term_info
MG_FCT_A=$MG_FCT_A,reply_local,audit_local_control,audit_sdp,audit_one,audit,error_descriptor,events
# The writers the transaction chain (MG_FCT_D) calls, and the call's key.
MG_FCT_A=$MG_FCT_A,key_start,tr_put,tr_uint,w_uint_len,out_len,notes_out
MG_FCT_B=find_ctx,new_ctx,find_term,mid_key_of,mid_key_same,ctx_remove_term,hexval,cached
MG_FCT_B=$MG_FCT_B,cache_put,emsec_mg_size,mg_kind_of,mg_setup_of,setup_word,mg_choose_setup
MG_FCT_B=$MG_FCT_B,lw_put,lw_str,lw_uint,has_choose,next_port,make_tls_id,lower,hexval_0,hex_equals
MG_FCT_B=$MG_FCT_B,act,mg_act,notify,ready,msrp_aware,maybe_forward,emsec_mg_next_deadline
MG_FCT_B=$MG_FCT_B,fail_actions_full,fail_notes_full,fail_reencryption,free_port_in,mg_port_release,mg_conn_live,first_gcause
MG_FCT_B=$MG_FCT_B,emsec_mg_control,decode_arena,error_out,out_reset
# MG_FCT_C: a third run, cvc4 alone (every goal of these proves with cvc4
# or Qed, measured 2026-11-24; with z3 beside it each goal cost up to twice
# the CPU), in lane B, the lane that ended first. The call's state set up
# (exec_start over exec_fill's stores; tr_execute, one executed
# transaction's reply written and kept, is in MG_FCT_D); the lifecycle drivers
# (core/mg_drive.c): a term's TCP / TLS machine stepped by one event
# through the table's cell (emsec_tcp_step / emsec_tls_step, their
# contracts restated there), the cell's actions done, the events it gives
# the other machine and the peer leg followed to MG_DRIVE_DEPTH; the new
# state is the cell's next. tcp_local, tls_local, tcp_forward, tls_forward
# and control_decoded are seen through their contracts: proofs/UNPROVED.md
# (tcp_local and the forwards prove by hand but cost too much for CI's
# time; tls_local does not prove; control_decoded proved by hand against
# the invariants as they were before session 16, 67 of its 72 goals against
# the strlen-free ones: "No strlen in the model's invariants").
MG_FCT_C=exec_fill,exec_start
MG_FCT_C=$MG_FCT_C,tcp_ev,tls_ev,mg_tcp,mg_tls
# The Remote read and kept (core/mg_sdp.c: mg_read_remote, every offset of
# its parse inside the controller's text, the c= address copy included;
# the 400 it answers when the text does not parse, mg_fail_sdp), the Remote
# re-parsed for the fingerprint check (parse_remote), and the a=path the
# MSRP-aware relay is handed (core/mg_msrp.c: inside the kept SDP), over
# the parser's char entry emsec_sdp_parse_text (assumed, include/emsec/sdp.h).
MG_FCT_C=$MG_FCT_C,connection_of,has_cema,mg_fail_sdp,mg_read_remote,parse_remote
MG_FCT_C=$MG_FCT_C,emsec_mg_term_msrp_path,emsec_mg_set_msrp_aware
# The call's state set up for the transaction walk (control_start: the
# requester's key, the call and the reply's writer; mg_tr_ok at its end),
# 40 goals, 256,414 cvc4 steps the most (2026-11-24).
MG_FCT_C=$MG_FCT_C,control_start
# The model's start (emsec_mg_init: a model it accepts is mg_ready, the
# precondition of emsec_mg_control; every length taken before any write,
# the configuration's strings in blocks of their own), over zero_model's
# contract (assumed: a memset of the struct's bytes, proofs/UNPROVED.md).
# 116 goals, 20 s of cvc4 CPU (2026-11-24, session 15).
MG_FCT_C=$MG_FCT_C,str_len_below,copy_bytes,fill_model,emsec_mg_init
# The peer certificate's fingerprint against the Remote's a=fingerprint
# lines, and the hashes they name (core/mg_fingerprint.c), over the SDP
# accessors' contracts (wp_sdp_access) and emsec_sdp_parse's (assumed).
MG_FCT_B=$MG_FCT_B,same_ci,mg_fingerprint_matches,emsec_mg_term_remote_hashes
# MG_FCT_D: "every request gets a reply", the chain under emsec_mg_control:
# the header, the walk over the transactions (each Transaction request
# answered once: the ghost counts), one transaction's reply (from the
# cache, Error 510, or executed), the action loop and the reply kept
# (cache_keep: the cache's write, what it keeps of the model). Each a
# function of its own so that a goal sees one call. Proved again on
# 2026-11-24 (session 13) against the corrected wr_apart: these had been
# proved vacuously before (proofs/UNPROVED.md, "Vacuity"); 331 goals with
# the writers of MG_FCT_A, 9 min 42 s wall and 8 min 57 s of CPU, cvc4
# alone at -wp-par 1 beside another WP run; tr_execute with its ghost
# helper wr_tail_in 62 goals, 58 s wall, 79 s of CPU at -wp-par 2.
# tr_action joined on 2026-11-24 (session 14) against action's contract,
# whose frame (MG_ACTION_KEEPS) action_frame_check proves of action's
# assigns clause (core/mg.c, under __FRAMAC__): with tr_actions 72 goals,
# 32 s wall at -wp-par 2. cvc4 alone, in lane A.
MG_FCT_D=tr_refused,tr_answer,tr_mid,registered,control_header,transaction_reply,control_transactions
MG_FCT_D=$MG_FCT_D,cache_keep,tr_cache_put,tr_actions,wr_tail_in,tr_execute
MG_FCT_D=$MG_FCT_D,action_frame_check,tr_action
MG_FCT=$MG_FCT_A,$MG_FCT_B,$MG_FCT_C,$MG_FCT_D
# wp_mg FUNCTIONS [PROVERS]: PROVERS instead of cvc4 alone. Both lists need
# z3 too: find_ctx's "none" postcondition (MG_FCT_B) is Unknown to cvc4, and
# w_str's "fits" postcondition (MG_FCT_A) takes cvc4 34-38 s alone (1.2M
# steps) and z3 0.4 s (2026-11-23). Every other function of both lists
# proves with cvc4 alone (measured 2026-11-23, session 9), but not cheaper:
# lane A 132 s of CPU instead of 160, lane B 282 s instead of 275 (z3 wins
# 179 of lane B's goals sooner), so both provers stay.
wp_mg() {
    frama-c "$CPP" core/mg.c core/mg_sdp.c core/mg_drive.c core/mg_fingerprint.c core/mg_msrp.c \
        $WP -wp-no-init-const -wp-prover "${2:-cvc4}" -wp-fct "$1"
}
# Vacuity probes (core/mg.c, mg_drive.c, mg_fingerprint.c, under
# __FRAMAC__): each requires a precondition the gateway core's contracts
# rest on (mg_tr_ok; mg_call_ok with the writer; action's, its frame's
# included (the frame checks rest on it); emsec_mg_init's configuration,
# since session 15; drive_pre; emsec_sdp_ok)
# and claims \false. None may prove: one that does shows the precondition
# can never hold. A small budget (300,000 steps): the contradiction this
# caught (wr_apart, 2026-11-24) proved in 43,937 cvc4 steps; the probes'
# goals that must fail cost about 25 s of CPU in all (nine probes, 2026-11-24;
# ten since session 15).
# Since session 14 also the MSRP feed's and rewrite's preconditions
# (core/msrp_frame.c, core/msrp_rewrite.c: one macro for each contract's
# requires and its probe's) and the profile's table invariants
# (core/h248_profile.c), each parsed as its own proof run parses it.
MG_PROBES=probe_tr_ok,probe_call_ok,probe_action_frame,probe_init_config,probe_drive_pre,probe_sdp_ok
OTHER_PROBES=probe_msrp_feed,probe_msrp_rewrite,probe_profile_table,probe_code_table
VAC="-wp -wp-rte -wp-steps 300000 -wp-timeout 60 -wp-par 2 -wp-prover cvc4,z3"
wp_vacuity() {
    frama-c "$CPP" core/mg.c core/mg_sdp.c core/mg_drive.c core/mg_fingerprint.c core/mg_msrp.c \
        $VAC -wp-no-init-const -wp-fct "$MG_PROBES" &&
    frama-c "$CPP" core/msrp_frame.c $VAC -wp-no-init-const -wp-fct probe_msrp_feed &&
    frama-c "$CPP" core/msrp_rewrite.c $VAC -wp-fct probe_msrp_rewrite &&
    frama-c "$CPP" core/h248_profile.c gen/h248_profile_table.c $VAC -wp-no-init-const \
        -wp-fct probe_profile_table,probe_code_table
}
# The MIKEY parser's bounded reader and writer (core/mikey_parse.c,
# core/mikey_build.c): every read checks its bytes are there first
# (need/u8/u16/u32/take keep pos <= end over a valid_read buffer), the walkers
# of the CS ID map, the key data chain, the TICKET and the SP parameter TLVs
# stay inside it, and the writers never write at or past cap. Which functions
# stay out, and why: proofs/UNPROVED.md ("MIKEY").
MIKEY_FCT=fail_at,need,u8,u16,u32,take,mikey_ts_len,mikey_mac_len,mikey_hash_len
MIKEY_FCT=$MIKEY_FCT,mikey_key_has_salt,known_data_type,sp_params,srtp_map,generic_cs
MIKEY_FCT=$MIKEY_FCT,generic_map
MIKEY_FCT=$MIKEY_FCT,key_chain,ticket,result_of
MIKEY_FCT=$MIKEY_FCT,mikey_w_u8,mikey_w_u16,mikey_w_u32,mikey_w_bytes,span_ok
wp_mikey() {
    frama-c "$CPP" core/mikey_parse.c core/mikey_build.c $WP $CVC4 -wp-no-init-const \
        -wp-fct "$MIKEY_FCT"
}
# MSRP (issue 7): the framer (core/msrp_frame.c: the end-line matcher, the
# feed entry point emsec_msrp_feed with its failure-absorbing contract,
# init/finish and the header-phase helpers) and the whole rewriter
# (core/msrp_rewrite.c: the session's paths prepared once, the per-message
# rewrite, the a=path writer, and their URI, path and bounded-writer
# helpers). WP sees the
# generated machine through an assumed contract (core/msrp_frame.c, under
# __FRAMAC__), which the Eva run on gen/msrp.c checks in part
# (proofs/msrp_eva.c: started in every state, 0 alarms, every statement of
# emsec_msrp__exec and of the helpers its actions call reached).
# -wp-no-init-const on the framer: no goal depends on a table's contents.
# What stays out, and why: proofs/UNPROVED.md, "MSRP".
MSRP_FRAME_FCT=msrp_endline_step,msrp_endline_setup,emsec_msrp_rule_name,msrp_same
MSRP_FRAME_FCT=$MSRP_FRAME_FCT,emsec_msrp__method_of,msrp_fail_at,msrp_next_message
MSRP_FRAME_FCT=$MSRP_FRAME_FCT,msrp_msg_clear,emsec_msrp_framer_init,emsec_msrp_last_error
MSRP_FRAME_FCT=$MSRP_FRAME_FCT,emsec_msrp_header_bytes,msrp_check_block,msrp_copy
MSRP_FRAME_FCT=$MSRP_FRAME_FCT,msrp_used_upto,msrp_header_run,msrp_end,msrp_body_bytes
MSRP_FRAME_FCT=$MSRP_FRAME_FCT,emsec_msrp_feed,emsec_msrp_finish
MSRP_FRAME_FCT=$MSRP_FRAME_FCT,msrp_header_check,msrp_header_report,msrp_header_more,msrp_header_done
MSRP_FRAME_FCT=$MSRP_FRAME_FCT,msrp_feed_header,msrp_match_on,msrp_end_broken,msrp_feed_end
MSRP_FRAME_FCT=$MSRP_FRAME_FCT,msrp_body_find,msrp_held_broken,msrp_body_held,msrp_body_scan
MSRP_FRAME_FCT=$MSRP_FRAME_FCT,msrp_feed_body
MSRP_REWRITE_FCT=msrp_lower,msrp_eq_ci,msrp_eq_cs,msrp_unreserved
MSRP_REWRITE_FCT=$MSRP_REWRITE_FCT,msrp_graphic,msrp_find,msrp_host_start,msrp_host_end
MSRP_REWRITE_FCT=$MSRP_REWRITE_FCT,msrp_port,msrp_uri_split,emsec_msrp_uri_equal,msrp_put
MSRP_REWRITE_FCT=$MSRP_REWRITE_FCT,msrp_parts_equal,msrp_path_take,msrp_path_split
MSRP_REWRITE_FCT=$MSRP_REWRITE_FCT,msrp_prepare_path,msrp_prepare_one,emsec_msrp_path_fault_name
MSRP_REWRITE_FCT=$MSRP_REWRITE_FCT,msrp_path_in,msrp_side_ok,msrp_prepared_ok,msrp_path_matches
MSRP_REWRITE_FCT=$MSRP_REWRITE_FCT,msrp_prepare_pair,emsec_msrp_prepare,msrp_write_block
MSRP_REWRITE_FCT=$MSRP_REWRITE_FCT,emsec_msrp_rewrite,msrp_host_ok,msrp_sid_ok,msrp_port_digits
MSRP_REWRITE_FCT=$MSRP_REWRITE_FCT,emsec_msrp_local_path
wp_msrp_frame() {
    frama-c "$CPP" core/msrp_frame.c $WP $CVC4 -wp-no-init-const -wp-fct "$MSRP_FRAME_FCT"
}
wp_msrp_rewrite() {
    frama-c "$CPP" core/msrp_rewrite.c $WP $CVC4 -wp-fct "$MSRP_REWRITE_FCT"
}
eva_msrp() {
    frama-c "$CPP" proofs/msrp_eva.c gen/msrp.c -eva -eva-no-show-progress -eva-slevel 0 \
        -eva-widening-delay 30 -then -report -then -metrics -metrics-eva-cover
}
# The Eva runs on the generated machines: single-threaded, at the lowest
# priority (nice 19), so the WP lanes' provers keep the CPU they have when
# run alone and their timeouts are unchanged in effect. H.248: no slevel and
# a widening delay above the input length (see the harness's header for why
# that keeps every pointer exact). SDP machine: the helpers its actions call
# are seen through their contracts (core/sdp_internal.h,
# EMSEC_EVA_SDP_MACHINE), every length up to 15 bytes, then one more byte
# fed as a second piece.
eva_lifecycle() {
    nice -n 19 frama-c "$CPP" proofs/lifecycle_tables_eva.c gen/tcp_lifecycle_table.c gen/tls_lifecycle_table.c \
        -eva -eva-slevel 2000 -eva-no-show-progress -then -report
}
h248_eva() {
    nice -n 19 frama-c "$CPP" proofs/h248_lex_eva.c gen/h248.c -eva -eva-no-show-progress -eva-slevel 0 "$@"
}
eva_sdp_machine() {
    nice -n 19 frama-c "$CPP" -cpp-extra-args=-DEMSEC_EVA_SDP_MACHINE -cpp-extra-args=-DEVA_N=16 \
        proofs/sdp_machine_eva.c gen/sdp.c -eva -eva-no-show-progress -eva-slevel 0 \
        -eva-widening-delay 20 -then -report -then -metrics -metrics-eva-cover
}

# ------------------------------------------------------------ start everything
run eva_lifecycle eva_lifecycle &
pids=$!
run eva_h248_short h248_eva -eva-widening-delay 30 -then -metrics -metrics-eva-cover &
pids="$pids $!"
run eva_h248_long h248_eva -main h248_lex_eva_long -eva-widening-delay 200 -then -metrics -metrics-eva-cover &
pids="$pids $!"
run eva_sdp_machine eva_sdp_machine &
pids="$pids $!"
# The lanes: about equal wall time each (measured run by run on 2026-11-23:
# A about 830 s, B about 770 s at load 3 to 5, before the Evas). With the
# four emsec_mg_control functions in MG_FCT_A, a whole `make proofs` on the
# idle machine took 1175 s: lane A ended then, lane B at 920 s; they moved
# to MG_FCT_B.
# With wp_mg_d (2026-11-24, session 13) lane A ended at 1277 s and lane B
# at 1076 s in CI's run: the profile, the SDP accessors and the role
# tables' Eva (105 s) moved to lane B, for about 1170 s and 1180 s.
# With strlen out of the model's invariants (session 16) wp_mg_d took
# 269 s instead of 558 in CI's run of 40b3583, and lane A ended at 853 s,
# lane B at 1092 s: those three (101 s) moved back to lane A, for about
# 954 s and 991 s.
(run wp_mg_a wp_mg "$MG_FCT_A" cvc4,z3; run wp_mg_d wp_mg "$MG_FCT_D"
 run wp_msrp_rewrite wp_msrp_rewrite
 run wp_profile wp_profile; run wp_sdp_access wp_sdp_access; run eva_tables eva_tables) &
pids="$pids $!"
(run wp_mg_b wp_mg "$MG_FCT_B" cvc4,z3; run wp_mg_c wp_mg "$MG_FCT_C"; run wp_vacuity wp_vacuity
 run wp_mikey wp_mikey; run wp_roles wp_roles
 run wp_lifecycle wp_lifecycle; run wp_msrp_frame wp_msrp_frame; run eva_msrp eva_msrp) &
pids="$pids $!"
# a failing check exits the script: the runs still going go with it
trap 'kill $pids 2>/dev/null || true' EXIT
echo "proofs: WP in two lanes beside the Eva runs (started at 0 s)"
for pid in $pids; do wait "$pid" || true; done
echo "proofs: every run ended at $(since) (run: started, ended, took, in s):"
for f in $P/*.time; do
    printf '  %-18s %s\n' "$(basename "$f" .time)" "$(cat "$f")"
done
echo "proofs: the checks:"

# ------------------------------------------------------------ the checks
# ran_ok NAME: the run ended with exit code 0, else its log's tail and stop.
ran_ok() {
    if [ "$(cat "$P/$1.rc" 2>/dev/null)" != 0 ]; then
        tail -30 "$P/$1.log"; echo "proofs: frama-c ($1) failed"; exit 1
    fi
}
# wp_goals NAME...: gp and gt, the proved and total goals summed over the WP
# runs NAME...
wp_goals() {
    gp=0; gt=0
    for name in "$@"; do
        ran_ok "$name"
        line=$(grep "Proved goals:" "$P/$name.log" | tail -1)
        p_=$(echo "$line" | awk '{print $4}')
        t_=$(echo "$line" | awk '{print $6}')
        case "$p_/$t_" in
            [0-9]*/[0-9]*) ;;
            *) echo "proofs: cannot read the WP goal count of $name from: $line"; exit 1 ;;
        esac
        gp=$((gp + p_)); gt=$((gt + t_))
    done
}
# wp_ratchet LABEL KEY PROVED TOTAL LOG...: every goal proved, and no fewer
# than goals.committed's KEY; a count above it asks for the file to be raised.
wp_ratchet() {
    label=$1 key=$2 p=$3 t=$4; shift 4
    c=$(awk -v k="$key" '$1 == k {print $2}' proofs/goals.committed)
    if [ "$p" -lt "$c" ] || [ "$p" -ne "$t" ]; then
        for log in "$@"; do grep -B1 -A2 "Failed\|Timeout\|Unknown" "$log" | grep Goal | head; done
        echo "proofs: WP $label proved $p of $t (committed $c): every goal must prove"; exit 1
    fi
    if [ "$p" -gt "$c" ]; then
        echo "proofs: WP $label proved $p > committed $c: raise proofs/goals.committed ($key)"
    fi
}

wp_goals wp_roles; proved=$gp total=$gt
echo "proofs: WP roles ($WP_FCT): $proved / $total goals proved"
wp_ratchet roles wp_roles_proved "$proved" "$total" $P/wp_roles.log

wp_goals wp_profile; pproved=$gp ptotal=$gt
echo "proofs: WP profile (core/h248_profile.c): $pproved / $ptotal goals proved"
wp_ratchet profile wp_profile_proved "$pproved" "$ptotal" $P/wp_profile.log

ran_ok eva_tables
valid=$(grep -c "Valid.*Assertion\|\[  Valid  \] Assertion" $P/eva_tables.log || true)
if ! grep -q "2 Completely validated" $P/eva_tables.log || \
   grep -q "Unknown\|Invalid" $P/eva_tables.log; then
    grep -A2 "Unknown\|Invalid" $P/eva_tables.log | head -20
    echo "proofs: a role-table cell breaks its predicate"; exit 1
fi
echo "proofs: Eva tables: 254 cells checked, $valid assertions valid, 0 alarms"

wp_goals wp_lifecycle; lproved=$gp ltotal=$gt
echo "proofs: WP lifecycle (emsec_tcp_step, emsec_tls_step): $lproved / $ltotal goals proved"
wp_ratchet lifecycle wp_lifecycle_proved "$lproved" "$ltotal" $P/wp_lifecycle.log

wp_goals wp_mg_a wp_mg_b wp_mg_c wp_mg_d; mproved=$gp mtotal=$gt
mfns=$(echo "$MG_FCT" | tr ',' '\n' | wc -l)
echo "proofs: WP gateway core (core/mg.c, mg_sdp.c, mg_drive.c, mg_fingerprint.c, mg_msrp.c): $mproved / $mtotal goals proved ($mfns functions, four runs)"
wp_ratchet "gateway core" wp_mg_proved "$mproved" "$mtotal" $P/wp_mg_a.log $P/wp_mg_b.log $P/wp_mg_c.log $P/wp_mg_d.log
ran_ok wp_vacuity
nprobes=$(echo "$MG_PROBES,$OTHER_PROBES" | tr ',' '\n' | wc -l)
vac_tried=$(grep -o "typed_probe_[a-z_]*_ensures_vacuous" $P/wp_vacuity.log | sort -u | wc -l)
vac_valid=$(grep -o "typed_probe_[a-z_]*_ensures_vacuous : Valid" $P/wp_vacuity.log | sort -u | wc -l)
if [ "$vac_tried" -ne "$nprobes" ] || [ "$vac_valid" -ne 0 ]; then
    grep "Goal typed_probe_" $P/wp_vacuity.log
    echo "proofs: vacuity probes: $vac_valid of $vac_tried proved false (expected 0 of $nprobes): a precondition the proofs rest on cannot hold"; exit 1
fi
echo "proofs: vacuity probes: none of the $nprobes proves false (mg_tr_ok, mg_call_ok with the writer, action's frame, emsec_mg_init's configuration, drive_pre, emsec_sdp_ok; the MSRP feed and rewrite; the profile and code tables)"

wp_goals wp_sdp_access; aproved=$gp atotal=$gt
echo "proofs: WP SDP accessors (core/sdp_parse.c): $aproved / $atotal goals proved"
wp_ratchet "SDP accessors" wp_sdp_access_proved "$aproved" "$atotal" $P/wp_sdp_access.log

wp_goals wp_mikey; kproved=$gp ktotal=$gt
kfns=$(echo "$MIKEY_FCT" | tr ',' '\n' | wc -l)
echo "proofs: WP MIKEY (core/mikey_parse.c, core/mikey_build.c): $kproved / $ktotal goals proved ($kfns functions)"
wp_ratchet MIKEY wp_mikey_proved "$kproved" "$ktotal" $P/wp_mikey.log

ran_ok eva_lifecycle
lc_valid=$(awk '/Completely validated/ {print $1}' $P/eva_lifecycle.log)
lc_total=$(awk '/ Total$/ {print $1}' $P/eva_lifecycle.log)
if [ -z "$lc_valid" ] || [ "$lc_valid" != "$lc_total" ] || \
   grep -q "To be validated\|Invalid\|status invalid" $P/eva_lifecycle.log; then
    grep "status invalid\|Unknown\|Invalid" $P/eva_lifecycle.log | head -20
    echo "proofs: a lifecycle-table cell breaks its predicate"; exit 1
fi
lc_cells=$(cat gen/tcp_lifecycle_table.h gen/tls_lifecycle_table.h |
    awk '/_STATE_COUNT =/ {s = $3 + 0} /_EVENT_COUNT =/ {n += s * ($3 + 0)} END {print n}')
echo "proofs: Eva lifecycle tables: $lc_cells cells checked, $lc_valid/$lc_total assertions valid"

for run in short long; do
    log=$P/eva_h248_$run.log
    if [ "$(cat $P/eva_h248_$run.rc)" != 0 ] || ! grep -q " 0 alarms generated" "$log"; then
        grep "alarm\|Warning" "$log" | head -20; tail -5 "$log"
        echo "proofs: Eva on gen/h248.c ($run run) did not finish with 0 alarms"; exit 1
    fi
    grep "stmts out of" "$log" | grep -v "h248_lex_eva\|main:" > "$P/eva_h248_${run}_cover.txt"
done
# Each machine must be fully reached by one of the two runs.
missing=$(cat $P/eva_h248_short_cover.txt $P/eva_h248_long_cover.txt |
    awk '{f=$1; sub(":","",f); if ($NF=="(100.0%)") full[f]=1; seen[f]=1}
         END {for (f in seen) if (!(f in full)) print f}')
if [ -n "$missing" ]; then
    echo "proofs: Eva did not reach every statement of: $missing"; exit 1
fi
h248_stmts=$(cat $P/eva_h248_short_cover.txt $P/eva_h248_long_cover.txt |
    awk '{f=$1; sub(":","",f); n[f]=$6} END {t=0; for (f in n) t+=n[f]; print t}')
h248_fns=$(cat $P/eva_h248_short_cover.txt $P/eva_h248_long_cover.txt |
    awk '{f=$1; seen[f]=1} END {n=0; for (f in seen) n++; print n}')
echo "proofs: Eva H.248 lexer: $h248_fns functions (each machine inlined + its exported wrapper), $h248_stmts statements all reached, 0 alarms"
committed_fns=$(awk '/^eva_h248_machines/ {print $2}' proofs/goals.committed)
if [ "$h248_fns" -lt "$committed_fns" ]; then
    echo "proofs: Eva covers $h248_fns H.248 machine functions < committed $committed_fns"; exit 1
fi

ran_ok eva_sdp_machine
if ! grep -q " 0 alarms generated" $P/eva_sdp_machine.log ||
   grep -q "To be validated\|Invalid\|status invalid" $P/eva_sdp_machine.log; then
    grep -A2 "eva:alarm" $P/eva_sdp_machine.log | head -20
    echo "proofs: Eva on the SDP machine did not finish with 0 alarms"; exit 1
fi
sdpm_stmts=$(grep "stmts out of" $P/eva_sdp_machine.log | grep "emsec_sdp__exec" | awk '{print $2}')
sdpm_all=$(grep "stmts out of" $P/eva_sdp_machine.log | grep "emsec_sdp__exec" | awk '{print $6}')
committed_sdpm=$(awk '/^eva_sdp_machine_stmts/ {print $2}' proofs/goals.committed)
case "$sdpm_stmts/$sdpm_all" in
    [0-9]*/[0-9]*) ;;
    *) echo "proofs: cannot read the SDP machine's coverage"; exit 1 ;;
esac
echo "proofs: Eva SDP machine: 0 alarms, $sdpm_stmts of $sdpm_all statements of emsec_sdp__exec reached"
if [ "$sdpm_stmts" -lt "$committed_sdpm" ]; then
    echo "proofs: Eva reached $sdpm_stmts statements of the SDP machine < committed $committed_sdpm"; exit 1
fi

wp_goals wp_msrp_frame wp_msrp_rewrite; msrp_proved=$gp msrp_total=$gt
echo "proofs: WP MSRP (core/msrp_frame.c, core/msrp_rewrite.c): $msrp_proved / $msrp_total goals proved"
wp_ratchet MSRP wp_msrp_proved "$msrp_proved" "$msrp_total" $P/wp_msrp_frame.log $P/wp_msrp_rewrite.log

ran_ok eva_msrp
if ! grep -q " 0 alarms generated" $P/eva_msrp.log ||
   grep -q "To be validated\|Invalid\|status invalid" $P/eva_msrp.log; then
    grep -A2 "eva:alarm" $P/eva_msrp.log | head -20
    echo "proofs: Eva on the MSRP machine did not finish with 0 alarms"; exit 1
fi
grep "stmts out of" $P/eva_msrp.log | grep -v "main:" > $P/eva_msrp_cover.txt
msrp_partial=$(awk '$NF != "(100.0%)" {f=$1; sub(":","",f); print f}' $P/eva_msrp_cover.txt)
if [ -n "$msrp_partial" ]; then
    echo "proofs: Eva did not reach every statement of: $msrp_partial"; exit 1
fi
msrp_stmts=$(awk '/emsec_msrp__exec:/ {print $2}' $P/eva_msrp_cover.txt)
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

echo "proofs: all passed in $(since) (WP goals: roles $proved/$total, profile $pproved/$ptotal, lifecycle $lproved/$ltotal, gateway core $mproved/$mtotal, SDP accessors $aproved/$atotal, MIKEY $kproved/$ktotal, MSRP $msrp_proved/$msrp_total; Eva: 254 role-table cells, $lc_cells lifecycle cells, $h248_fns H.248 machine functions, SDP machine $sdpm_stmts/$sdpm_all statements, MSRP machine $msrp_stmts statements, 0 alarms)"
