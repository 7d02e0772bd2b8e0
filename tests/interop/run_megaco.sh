#!/bin/sh
# tests/interop/run_megaco.sh EMSEC_CLI: emsec's H.248 text encoder checked
# against Erlang/OTP megaco's text decoder (tests/interop/megaco_codec.escript).
#
# For every message of tests/corpus/h248/ that megaco decodes and
# `EMSEC_CLI h248 decode` accepts, for STYLE in compact pretty, for V in 1 2 3:
#   EMSEC_CLI h248 encode --STYLE --version V FILE > OUT
# then megaco must decode OUT, OUT's header must say version V, and megaco's
# records of OUT must equal megaco's records of FILE read at version V.
#
# "FILE read at version V": the corpus messages are version 1, and megaco
# reads each version with its own parser into its own records (v2 and v3
# records have more fields than v1's), so a v1 decoding never equals a v3
# one. Ignoring the version field is thus not enough. Instead only the
# header's version digits of FILE are rewritten to V (MEGACO/1 -> MEGACO/V)
# and megaco decodes that: the same body, read by the version-V parser, which
# is what a correct re-encoding at version V must give. (Each corpus message megaco
# decodes at version 1 it also decodes at 2 and 3; the escript's `roundtrip`
# mode checks megaco against itself that way.)
#
# One Erlang VM decodes the corpus, one compares every encoding (`check`
# with a list): the run takes seconds. Files megaco or emsec rejects are
# listed (reasons), not counted as failures: the RFC examples have mistakes.
# Outputs stay in build/interop/megaco/ for inspection.
#
# Without `erl`/`escript` (or the megaco application): prints SKIPPED and
# exits 0, except under CI=true, where it fails (make deps installs Erlang).
# EMSEC_CLI's exit status: 0 done, 1 input refused (for decode: a listed
# reject), anything else (2 usage or I/O error, a signal, a sanitizer report)
# a failure.
# Exit status: 0 all passed (or skipped), 1 a failure, 2 usage.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 EMSEC_CLI" >&2
    exit 2
fi
CLI=$1
case $CLI in
    /*) ;;
    *) CLI=$(pwd)/$CLI ;;
esac

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CORPUS=$ROOT/tests/corpus/h248
ESCRIPT_FILE=$HERE/megaco_codec.escript
W=$ROOT/build/interop/megaco

skip() {
    if [ "${CI:-}" = true ]; then
        echo "megaco interop: FAILED: $1 (CI=true: make deps installs erlang-base and erlang-megaco)" >&2
        exit 1
    fi
    echo "megaco interop: SKIPPED ($1)"
    exit 0
}
command -v erl >/dev/null 2>&1 || skip "erl not installed"
command -v escript >/dev/null 2>&1 || skip "escript not installed"
erl -noshell -eval 'case code:which(megaco_pretty_text_encoder) of
                        non_existing -> halt(1); _ -> halt(0) end.' >/dev/null 2>&1 \
    || skip "the Erlang megaco application is not installed (erlang-megaco)"

if [ ! -x "$CLI" ]; then
    echo "$0: $CLI: not an executable" >&2
    exit 2
fi
[ -d "$CORPUS" ] || { echo "megaco interop: FAILED: no corpus folder $CORPUS" >&2; exit 1; }

rm -rf "$W"
mkdir -p "$W/out"
# the messages: every *.txt but the corpus' expected.txt (verdicts, not a message)
: > "$W/corpus.txt"
for f in "$CORPUS"/*.txt; do
    case $f in */expected.txt) continue;; esac
    if [ -f "$f" ]; then echo "$f" >> "$W/corpus.txt"; fi
done
ncorpus=$(wc -l < "$W/corpus.txt")
[ "$ncorpus" -gt 0 ] || { echo "megaco interop: FAILED: no *.txt in $CORPUS" >&2; exit 1; }

# ---- 1. megaco's view of the corpus (one VM).
# shellcheck disable=SC2046
escript "$ESCRIPT_FILE" decode $(cat "$W/corpus.txt") > "$W/megaco_decode.txt"
sed -n 's/ ok$//p' "$W/megaco_decode.txt" > "$W/megaco_ok.txt"
grep -v ' ok$' "$W/megaco_decode.txt" | sed "s|^$CORPUS/||; s| error |: |" \
    > "$W/megaco_rejects.txt" || true

# ---- 2. emsec's view of the files megaco decodes.
failed=0
: > "$W/set.txt"
: > "$W/emsec_rejects.txt"
: > "$W/failures.txt"
while read -r f; do
    rc=0
    "$CLI" h248 decode "$f" > /dev/null 2> "$W/err" || rc=$?
    name=${f#"$CORPUS"/}
    # the CLI's exit status: 0 decoded, 1 input refused, 2 usage or I/O error
    if [ "$rc" -eq 0 ]; then
        echo "$f" >> "$W/set.txt"
    elif [ "$rc" -eq 1 ] && ! grep -q 'Sanitizer' "$W/err"; then
        echo "$name: $(head -n 1 "$W/err")" >> "$W/emsec_rejects.txt"
    else
        echo "FAIL $name: emsec h248 decode exit $rc: $(head -n 1 "$W/err")" >> "$W/failures.txt"
        failed=$((failed + 1))
    fi
done < "$W/megaco_ok.txt"
n=$(wc -l < "$W/set.txt")

# ---- 3. emsec's encodings, 2 styles x 3 versions each.
: > "$W/check.txt"
while read -r f; do
    name=${f#"$CORPUS"/}
    base=${name%.txt}
    for style in compact pretty; do
        for v in 1 2 3; do
            out=$W/out/$base.$style.v$v.txt
            rc=0
            "$CLI" h248 encode "--$style" --version "$v" "$f" > "$out" 2> "$W/err" || rc=$?
            if [ "$rc" -ne 0 ]; then
                echo "FAIL $name $style v$v: emsec h248 encode exit $rc: $(head -n 1 "$W/err")" >> "$W/failures.txt"
                failed=$((failed + 1))
            else
                echo "$f $out $v" >> "$W/check.txt"
            fi
        done
    done
done < "$W/set.txt"

# ---- 4. megaco decodes every encoding and compares (one VM).
if [ -s "$W/check.txt" ]; then
    escript "$ESCRIPT_FILE" check "$W/check.txt" > "$W/check_out.txt" || true
fi
: >> "$W/check_out.txt"
passed=$(grep -c '^PASS ' "$W/check_out.txt" || true)
nfail=$(grep -c '^FAIL ' "$W/check_out.txt" || true)
failed=$((failed + nfail))
# "FAIL W/out/NAME.STYLE.vV.txt: REASON" -> "FAIL NAME.txt STYLE vV: REASON"
grep '^FAIL ' "$W/check_out.txt" \
    | sed -E "s|^FAIL $W/out/([^ ]*)\.(compact\|pretty)\.v([123])\.txt: |FAIL \1.txt \2 v\3: |;
              s|$W/out/[^ ]*\.txt|emsec's encoding|g; s|$CORPUS/||g" >> "$W/failures.txt" || true
# a comparison that printed nothing (the VM died) is a failure too
nchecks=$(wc -l < "$W/check.txt")
missing=$((nchecks - passed - nfail))
if [ "$missing" -ne 0 ]; then
    echo "FAIL: $missing comparisons gave no result (escript check died?)" >> "$W/failures.txt"
    failed=$((failed + missing))
fi

# ---- Report.
nmr=$(wc -l < "$W/megaco_rejects.txt")
ner=$(wc -l < "$W/emsec_rejects.txt")
echo "megaco interop: corpus $ncorpus files; megaco rejects $nmr, emsec rejects $ner of the rest (informative, not failures):"
sed 's/^/  megaco rejects /' "$W/megaco_rejects.txt"
sed 's/^/  emsec rejects  /' "$W/emsec_rejects.txt"
if [ -s "$W/failures.txt" ]; then
    sed 's/^/  /' "$W/failures.txt"
fi
echo "megaco interop: $n messages x 2 styles x 3 versions: $passed passed, $failed failed"
if [ "$n" -eq 0 ]; then
    echo "megaco interop: FAILED: no corpus message is decoded by both megaco and emsec" >&2
    exit 1
fi
if [ "$failed" -ne 0 ]; then
    echo "megaco interop: outputs kept in ${W#"$ROOT"/}/ (check.txt, check_out.txt, out/)" >&2
    exit 1
fi
exit 0
