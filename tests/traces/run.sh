#!/bin/sh
# tests/traces/run.sh EMSEC_BINARY: the golden scenario traces.
#
# Each tests/traces/*.trace is H.248 (and, later, network events) in, and the
# reply and actions the gateway core produced out (format: adapters/cli/
# cmd_trace.c). A trace passes when `emsec trace FILE` prints FILE exactly:
# same replies, same actions, and every reply valid H.248 (the runner decodes
# each one again and would print a "!!" line otherwise).
# After a reviewed change of behaviour: emsec trace F > F.new && mv F.new F.
set -eu
if [ $# -ne 1 ]; then
    echo "usage: $0 EMSEC_BINARY" >&2
    exit 2
fi
EMSEC=$1
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
mkdir -p "$ROOT/build"
TMP=$(mktemp -d "$ROOT/build/traces.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0
for f in "$HERE"/*.trace; do
    name=$(basename "$f" .trace)
    rc=0
    "$EMSEC" trace "$f" > "$TMP/$name.out" 2> "$TMP/$name.err" || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "not ok - $name (exit $rc)"; sed 's/^/#   /' "$TMP/$name.err"; failed=$((failed + 1))
    elif grep -q '^!!' "$TMP/$name.out"; then
        echo "not ok - $name"; grep '^!!' "$TMP/$name.out" | sed 's/^/#   /'; failed=$((failed + 1))
    elif ! diff -u "$f" "$TMP/$name.out" > "$TMP/$name.diff"; then
        echo "not ok - $name (output differs from the golden trace)"; sed 's/^/#   /' "$TMP/$name.diff" | head -40
        failed=$((failed + 1))
    else
        echo "ok - $name"; passed=$((passed + 1))
    fi
done
echo "traces: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
