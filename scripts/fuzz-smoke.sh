#!/bin/sh
# fuzz-smoke.sh BIN SEED_DIR SECONDS
#
# A short libFuzzer run for CI: copies the committed seeds into a scratch
# corpus under build/ (the seeds themselves are never written), runs BIN for
# SECONDS with inputs up to 4096 bytes (and tests/fuzz/sdp.dict when present),
# prints the executions count and exec/s from libFuzzer's final stats, and
# exits non-zero when the fuzzer found a crash, a leak or a timeout (the
# reproducer is left in build/fuzz-smoke/artifacts/: copy it into
# tests/fuzz/regressions/ with the fix).
set -eu

if [ $# -ne 3 ]; then
    echo "usage: $0 BIN SEED_DIR SECONDS" >&2
    exit 2
fi
bin=$1
seeds=$2
secs=$3

[ -x "$bin" ] || { echo "fuzz-smoke: $bin: not an executable" >&2; exit 2; }
[ -d "$seeds" ] || { echo "fuzz-smoke: $seeds: not a directory" >&2; exit 2; }
case $secs in
    ''|*[!0-9]*) echo "fuzz-smoke: SECONDS must be a number, got '$secs'" >&2; exit 2 ;;
esac

name=$(basename "$bin")
work=build/fuzz-smoke/$name
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
cp "$seeds"/* "$work/corpus/" 2>/dev/null || true
# Regressions are replayed too: a fixed bug must stay fixed.
regs=$(dirname "$seeds")/../regressions
if [ -d "$regs" ]; then
    cp "$regs"/* "$work/corpus/" 2>/dev/null || true
fi

dict=
dictfile=$(dirname "$seeds")/../sdp.dict
if [ -f "$dictfile" ]; then
    dict=-dict=$dictfile
fi

log=$work/fuzz.log
set +e
# shellcheck disable=SC2086
"$bin" $dict -max_total_time="$secs" -max_len=4096 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
    "$work/corpus" >"$log" 2>&1
rc=$?
set -e

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
echo "fuzz-smoke: $name: ${execs:-?} executions, ${speed:-?} exec/s in ${secs}s"

crashes=$(find "$work/artifacts" -type f | wc -l)
if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    tail -n 60 "$log" >&2
    echo "fuzz-smoke: $name: FAILED (exit $rc, $crashes artifact(s) in $work/artifacts)" >&2
    exit 1
fi
echo "fuzz-smoke: $name: no crash"
