#!/bin/sh
# test-stages.sh -jN STAGE...: what `make test` runs. Each STAGE as
# `make STAGE`, one after the other, with its wall time; the stage named
# "build" is `make -jN test-bins` (every test binary, one job per core). The
# first stage that fails stops the run with its name. The closing table says where CI time
# goes (CI allows 30 minutes on 2 cores).
set -u
MAKE=${MAKE:-make}
jobs=$1; shift
case "$jobs" in -j[0-9]*) ;; *) echo "usage: $0 -jN STAGE..." >&2; exit 2 ;; esac
[ $# -gt 0 ] || { echo "usage: $0 -jN STAGE..." >&2; exit 2; }

start=$(date +%s)
times=""
run() { # NAME MAKE-ARGS...
    name=$1; shift
    t0=$(date +%s)
    echo "== make test: stage $name"
    if ! $MAKE --no-print-directory "$@"; then
        echo "make test: stage $name FAILED after $(( $(date +%s) - t0 )) s"
        exit 1
    fi
    times="$times$(printf '  %-15s %5d s' "$name" $(( $(date +%s) - t0 )))
"
}
for stage in "$@"; do
    if [ "$stage" = build ]; then run build "$jobs" test-bins; else run "$stage" "$stage"; fi
done
printf 'make test: stage times\n%s' "$times"
echo "make test: all stages passed in $(( $(date +%s) - start )) s"
