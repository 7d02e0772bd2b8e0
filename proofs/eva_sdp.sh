#!/bin/sh
# Eva on the SDP parser (gen/sdp.c, core/sdp_parse.c) and writer
# (core/sdp_write.c), driven by proofs/eva_sdp.c. Fails unless Eva reports
# 0 alarms (and, as a guard against a vacuous run, unless it reached the
# parser). Prints the alarm count and the run time.
#
# usage: proofs/eva_sdp.sh [EVA_N [PRECISION]]     (from the repo root)
#   env: EVA_EXTRA="..."  extra Eva options (tuning experiments), appended;
#        EVA_TIMEOUT=S    give up after S seconds of wall time (default 0:
#                         none); a run that times out fails.
# Output: last line `eva-sdp: N alarms, T s` (N = "?" if Frama-C failed or
# timed out); the count alone goes to build/proofs/eva_sdp.count (removed at
# the start, written only when the analysis finished). Exit 0 iff N = 0.
#
# Options and why:
#   harness            lengths 0..EVA_N, the cut and the flag sets are
#                      enumerated as concrete values (unrolled loops, `split`);
#                      only the bytes are unknown. With len as an interval
#                      (the first version) Eva cannot compare `p` with `pe`
#                      in the -G2 machine and reports >100 alarms even at
#                      EVA_N=4 (pointer_comparable, valid_read(p)).
#   -eva-precision 3   DESIGN.md's setting for -G2 Ragel code; 1 is faster
#                      but loses the p/pe relation as above.
#   EVA_N=8            bytes of unknown input. Measured on the shared 2-core
#                      box (with other Frama-C jobs running): EVA_N=4 and
#                      EVA_N=8 take several minutes each at precision 3;
#                      EVA_N=64 did not finish in the time available.
#   -eva-no-alloc-returns-null: core/ never allocates.
#   -machdep x86_64    the target we ship.
#   -warn-unsigned-overflow only with EVA_STRICT_UNSIGNED=1 (see below).
#
# Status (second pass, guards added):
#   The 12 "current attribute / line" alarms are gone by construction:
#   sdp_cur_attr / sdp_cur_media / sdp_cur_line / sdp_cur_conn
#   (core/sdp_internal.h) return NULL after recording EMSEC_ERR_ARGUMENT /
#   EMSEC_SDP_RULE_INPUT (sdp_fail_state) when the count is 0 or the section
#   out of range, and every caller (helpers, spec/sdp.rl actions) fails
#   / fbreaks on NULL. sdp_fp_value loops to `end` rather than s.off + s.len.
#   The harness now runs every cut only for len = EVA_N (O(EVA_N) runs, not
#   O(EVA_N^2)); every length 0..EVA_N still gets a one-shot parse.
#   Timing (shared 2-core box, another Frama-C WP job running), all stopped
#   unfinished with 0 alarms emitted so far:
#     EVA_N=4  precision 1, -eva-widening-delay 12: > 6 min wall (3m17 CPU)
#     EVA_N=4  precision 1, -eva-slevel 0 -eva-widening-delay 12: > 7 min
#     EVA_N=8  same options, run alongside it: > 7 min
#     EVA_N=12 precision 1, -eva-widening-delay 16: > 3 min, stopped
#   precision 0 (EVA_N=4, -eva-widening-delay 12, also stopped unfinished)
#   had already reported 8 alarms, 7 in the writer (core/sdp_write.c:58
#   memcpy, :139, :163, :236-256 index) and one at core/sdp_internal.h
#   (sdp_choice_of, buf + at), from its coarser joins: not usable.
#   Log lines "Trace partitioning superposing up to 600/1400 states" at
#   gen/sdp.c:167/221 (st3, first byte switch) point at the cost: open work
#   is to find where those states come from (the harness's unroll/split
#   partitions, or the per-byte switch) and merge them, e.g. by one call per
#   mode/flag with `merge` annotations, or -eva-partition-history 0 plus
#   -eva-ilevel tuning. The 4-minute / EVA_N 12-24 goal is NOT met yet.
set -eu

n=${1:-8}
prec=${2:-3}
FRAMAC=${FRAMAC:-frama-c}
out=build/proofs
mkdir -p "$out"
log=$out/eva_sdp_n${n}_p${prec}.log
count_file=$out/eva_sdp.count
rm -f "$count_file"

srcs="proofs/eva_sdp.c gen/sdp.c core/sdp_parse.c core/sdp_write.c core/result.c"
for f in $srcs; do
    [ -f "$f" ] || { echo "eva_sdp: missing $f" >&2; exit 2; }
done

# Unsigned wrap-around is defined C, so it is not an alarm by default; with
# EVA_STRICT_UNSIGNED=1 it is (an offset that wraps would be a parser bug),
# but Eva then also flags `count - 1u` in helpers whose precondition
# (count >= 1, "only called inside an a=/m= line") is a relation between the
# Ragel state and the counts that the value domain does not keep: see the
# report in the header comment.
unsigned_opt=
if [ "${EVA_STRICT_UNSIGNED:-0}" = 1 ]; then
    unsigned_opt=-warn-unsigned-overflow
fi

tmo=
if [ "${EVA_TIMEOUT:-0}" != 0 ]; then
    tmo="timeout ${EVA_TIMEOUT}"
fi

start=$(date +%s)
set +e
# shellcheck disable=SC2086
$tmo "$FRAMAC" -machdep x86_64 \
    -cpp-extra-args="-Iinclude -Icore -Igen -DEVA_N=$n" \
    $unsigned_opt \
    -eva -eva-precision "$prec" -eva-no-alloc-returns-null \
    -eva-no-show-progress \
    -eva-msg-key=-summary \
    ${EVA_EXTRA:-} \
    $srcs \
    -then -report -report-no-proven -report-csv "$out/eva_sdp_n${n}_p${prec}.csv" \
    >"$log" 2>&1
rc=$?
set -e
end=$(date +%s)
secs=$((end - start))

if [ "$rc" -ne 0 ]; then
    tail -n 40 "$log" >&2
    echo "eva_sdp: frama-c failed or timed out (exit $rc) after ${secs}s" >&2
    echo "eva-sdp: ? alarms, ${secs} s"
    exit 1
fi

# Alarms: one "[eva:alarm]" message per emitted alarm.
alarms=$(grep -c '\[eva:alarm\]' "$log" || true)
# Guard against a vacuous run: the parser must be reached, and no function
# may be found non-terminating / dead at its entry.
if grep -q 'NON TERMINATING FUNCTION\|non-terminating' "$log"; then
    grep -n 'NON TERMINATING\|non-terminating' "$log" >&2
    echo "eva_sdp: a function never terminates (vacuous analysis)" >&2
    echo "eva-sdp: ? alarms, ${secs} s"
    exit 1
fi
echo "$alarms" >"$count_file"

echo "eva_sdp: EVA_N=$n precision=$prec (log: $log)"
if [ "$alarms" -ne 0 ]; then
    grep -A3 '\[eva:alarm\]' "$log" | head -n 80 >&2
fi
echo "eva-sdp: $alarms alarms, ${secs} s"
[ "$alarms" -eq 0 ]
