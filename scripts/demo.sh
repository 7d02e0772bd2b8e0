#!/bin/sh
# scripts/demo.sh EMSEC_BINARY: the demo (`make demo`): first the
# role-resolution walk below, then the calls end to end
# (scripts/demo_calls.sh, with emsecd, emsec-ctl and tcp_peer from the
# directory of EMSEC_BINARY).
#
# A short walk over RFC examples (files in tests/demo/, origins in
# tests/demo/README.md): for each scenario a heading, the `emsec roles`
# command and its output, and a check of the expected outcome (PASS/FAIL).
# Ends with "demo: PASS" or "demo: FAIL"; exits 1 on any FAIL.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 EMSEC_BINARY" >&2
    exit 2
fi
EMSEC=$1
if [ ! -x "$EMSEC" ]; then
    echo "$0: $EMSEC: not an executable" >&2
    exit 2
fi
case $EMSEC in
    /*) ;;
    *) EMSEC=$(pwd)/$EMSEC ;;
esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
D=tests/demo
cd "$ROOT"

OUT=$(mktemp "${TMPDIR:-/tmp}/emsec-demo.XXXXXX")
trap 'rm -f "$OUT"' EXIT
trap 'exit 1' INT TERM

passed=0
failed=0

# scenario HEADING WANT_RC PATTERN -- ARGS...: run `emsec roles ARGS`, show
# it, and check its exit status and that its output has the fixed string.
scenario() {
    heading=$1 want_rc=$2 pattern=$3
    shift 4
    echo
    echo "== $heading"
    echo "\$ emsec roles $*"
    rc=0
    "$EMSEC" roles "$@" >"$OUT" 2>&1 || rc=$?
    sed 's/^/    /' "$OUT"
    if [ "$rc" -eq "$want_rc" ] && grep -qF -- "$pattern" "$OUT"; then
        echo "PASS: exit $rc, \"$pattern\""
        passed=$((passed + 1))
    else
        echo "FAIL: exit $rc (expected $want_rc), expected \"$pattern\""
        failed=$((failed + 1))
    fi
}

echo "emsec role resolution demo: who connects, who is the TLS client"

scenario "IMS-AGW answers a UE's MSRP offer over TLS: the UE is actpass, we answer active (RFC 6135 s6: the active end is the TLS client)" \
    0 "decision: tcp active, tls client" -- \
    $D/msrp-tls-offer-actpass.sdp $D/msrp-tls-answer-active.sdp --side answerer

scenario "IMS-AGW answers a UE's MSRP offer over TLS: the UE is actpass, we answer passive (we listen and are the TLS server)" \
    0 "decision: tcp passive, tls server" -- \
    $D/msrp-tls-offer-actpass.sdp $D/msrp-tls-answer-passive.sdp --side answerer

scenario "MSRP gateway offers actpass over TLS, the peer answers passive (RFC 4975 s8.2 shape): we connect and are the TLS client" \
    0 "decision: tcp active, tls client" -- \
    $D/msrp-gw-offer-actpass.sdp $D/msrp-peer-answer-passive.sdp --side offerer

scenario "BFCP over TLS (RFC 8856 s11): we answer active, yet the answerer is always the TLS server (RFC 8856 s8)" \
    0 "decision: tcp active, tls server" -- \
    $D/bfcp-tls-offer.sdp $D/bfcp-tls-answer-active.sdp --side answerer

scenario "BFCP re-offer on the TLS connection that is up: a=connection:existing and unchanged a=tls-id keep the connection and its roles (RFC 4145 s5.1, RFC 8856 s8, RFC 8842 s5)" \
    0 "decision: tcp keep, tls keep" -- \
    $D/bfcp-tls-reoffer.sdp $D/bfcp-tls-reanswer.sdp --side answerer --existing-tls \
    --previous-offer $D/bfcp-tls-offer.sdp --previous-answer $D/bfcp-tls-answer-active.sdp

scenario "MSRP over TLS, both ends active: two TLS clients, refused (tls_collision)" \
    1 "refused: tls_collision" -- \
    $D/msrp-tls-offer-active.sdp $D/msrp-tls-answer-active.sdp --side answerer

scenario "T.38 over DTLS (RFC 7345 A.2, printed with 'fingerprint: SHA-1', hence --lenient): the answerer is active and sends the ClientHello" \
    0 "decision: tcp none, tls client" -- \
    --lenient $D/t38-dtls-offer.sdp $D/t38-dtls-answer.sdp --side answerer

scenario "Plain TCP (RFC 4145 s7.1): the offerer is passive, we answer active and connect" \
    0 "decision: tcp active, tls none" -- \
    $D/tcp-offer-passive.sdp $D/tcp-answer-active.sdp --side answerer

echo
echo "demo, part 1 (role resolution): $passed passed, $failed failed"

# Part 2: the calls end to end: emsecd on loopback driven by the controller
# emsec-ctl, real TLS peers (scripts/demo_calls.sh; the rel binaries next
# to EMSEC_BINARY).
echo
echo "emsec end-to-end demo: emsecd + emsec-ctl (IMS-ALG / MRFC) + openssl peers on 127.0.0.1"
calls=0
bash scripts/demo_calls.sh "$(dirname "$EMSEC")" || calls=$?
echo
if [ "$failed" -eq 0 ] && [ "$calls" -eq 0 ]; then
    echo "demo: PASS (role resolution: $passed passed; every call scenario passed)"
else
    echo "demo: FAIL (role resolution: $failed failed; call scenarios: exit $calls)"
    exit 1
fi
