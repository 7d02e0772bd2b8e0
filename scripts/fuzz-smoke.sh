#!/bin/sh
# fuzz-smoke.sh BIN SEED_DIR SECONDS [BIN SEED_DIR SECONDS ...]
#
# A short libFuzzer run for CI, once per (BIN, SEED_DIR, SECONDS) triple, in
# the order given, FUZZ_JOBS at a time (below; the Makefile may call it once
# per target, or once with every triple). For each target it:
#   - copies the committed seeds into a scratch corpus under
#     build/fuzz-smoke/<basename of BIN>/ (the seeds themselves are never
#     written), plus the regressions: tests/fuzz/regressions/<KIND>/ and any
#     file directly in tests/fuzz/regressions/ (KIND = basename of SEED_DIR,
#     e.g. seeds/sdp -> sdp, seeds/h248 -> h248);
#   - uses the dictionary tests/fuzz/<KIND>.dict when present;
#   - runs BIN for SECONDS with inputs up to 4096 bytes, prints the
#     executions count and exec/s from libFuzzer's final stats.
# Exits non-zero when any target found a crash, a leak or a timeout (the
# reproducer is left in build/fuzz-smoke/<name>/artifacts/: copy it into
# tests/fuzz/regressions/<KIND>/ with the fix); the remaining targets still
# run first. Bad arguments exit 2 before anything runs.
set -eu

usage() {
    echo "usage: $0 BIN SEED_DIR SECONDS [BIN SEED_DIR SECONDS ...]" >&2
    exit 2
}

if [ $# -lt 3 ] || [ $(($# % 3)) -ne 0 ]; then
    usage
fi

# Check every triple before running any.
check_args() {
    while [ $# -gt 0 ]; do
        [ -x "$1" ] || { echo "fuzz-smoke: $1: not an executable" >&2; exit 2; }
        [ -d "$2" ] || { echo "fuzz-smoke: $2: not a directory" >&2; exit 2; }
        case $3 in
            ''|*[!0-9]*) echo "fuzz-smoke: SECONDS must be a number, got '$3'" >&2; exit 2 ;;
        esac
        shift 3
    done
}
check_args "$@"

# run_one BIN SEED_DIR SECONDS: 0 when the run was clean, 1 otherwise.
run_one() {
    bin=$1
    seeds=${2%/}
    secs=$3
    name=$(basename "$bin")
    kind=$(basename "$seeds")
    fuzzdir=$(dirname "$seeds")/..
    work=build/fuzz-smoke/$name

    rm -rf "$work"
    mkdir -p "$work/corpus" "$work/artifacts" || return 1
    cp "$seeds"/* "$work/corpus/" 2>/dev/null || true
    # Regressions are replayed too: a fixed bug must stay fixed.
    regs=$fuzzdir/regressions
    if [ -d "$regs/$kind" ]; then
        cp "$regs/$kind"/* "$work/corpus/" 2>/dev/null || true
    fi
    if [ -d "$regs" ]; then
        find "$regs" -maxdepth 1 -type f -exec cp {} "$work/corpus/" \; 2>/dev/null || true
    fi

    dict=
    dictfile=$fuzzdir/$kind.dict
    if [ -f "$dictfile" ]; then
        dict=-dict=$dictfile
    fi

    log=$work/fuzz.log
    # shellcheck disable=SC2086
    "$bin" $dict -max_total_time="$secs" -max_len=4096 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
        "$work/corpus" >"$log" 2>&1
    rc=$?

    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    echo "fuzz-smoke: $name: ${execs:-?} executions, ${speed:-?} exec/s in ${secs}s"

    crashes=$(find "$work/artifacts" -type f | wc -l)
    if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
        tail -n 60 "$log" >&2
        echo "fuzz-smoke: $name: FAILED (exit $rc, $crashes artifact(s) in $work/artifacts)" >&2
        return 1
    fi
    echo "fuzz-smoke: $name: no crash"
    return 0
}

# Targets run FUZZ_JOBS at a time (default: the number of CPUs): each
# libFuzzer run is single-threaded, so on 2 cores two targets side by side get
# the same executions as one after the other, in half the wall time.
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
case $jobs in ''|*[!0-9]*|0) jobs=1 ;; esac

failed=0
while [ $# -gt 0 ]; do
    pids=
    n=0
    while [ $# -gt 0 ] && [ "$n" -lt "$jobs" ]; do
        # a subshell per target: run_one's variables stay its own
        ( run_one "$1" "$2" "$3" ) &
        pids="$pids $!"
        n=$((n + 1))
        shift 3
    done
    for pid in $pids; do
        # each run's own status decides; `set -e` must not stop the others
        if ! wait "$pid"; then
            failed=1
        fi
    done
done
exit "$failed"
