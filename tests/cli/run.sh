#!/bin/sh
# tests/cli/run.sh EMSEC_BINARY: shell tests of the `emsec` CLI.
#
# Each case runs the binary, checks its exit status and greps its output
# (stdout and stderr together), and prints "ok - NAME" or "not ok - NAME".
# The RFC 4145 s4.1 offer/answer matrix is generated at run time in a
# temporary directory under build/. Ends with "cli: N passed, M failed" and
# exits 1 if any case failed.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 EMSEC_BINARY" >&2
    exit 2
fi
EMSEC=$1
case $EMSEC in
    /*) ;;
    *) EMSEC=$(pwd)/$EMSEC ;;
esac
if [ ! -x "$EMSEC" ]; then
    echo "$0: $EMSEC: not an executable" >&2
    exit 2
fi

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DATA=$HERE/data
CORPUS=$ROOT/tests/corpus/sdp
mkdir -p "$ROOT/build"
TMP=$(mktemp -d "$ROOT/build/cli-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM

passed=0
failed=0

# t NAME RC PATTERN CMD [ARGS...]: run CMD, expect exit status RC and (unless
# PATTERN is empty) a line of its output matching the fixed string PATTERN.
t() {
    name=$1 want_rc=$2 pattern=$3
    shift 3
    rc=0
    "$@" >"$TMP/out" 2>&1 || rc=$?
    why=
    if [ "$rc" -ne "$want_rc" ]; then
        why="exit $rc, expected $want_rc"
    elif [ -n "$pattern" ] && ! grep -qF -- "$pattern" "$TMP/out"; then
        why="output lacks '$pattern'"
    fi
    if [ -z "$why" ]; then
        echo "ok - $name"
        passed=$((passed + 1))
    else
        echo "not ok - $name ($why)"
        sed 's/^/#   /' "$TMP/out"
        failed=$((failed + 1))
    fi
}

# ---------------------------------------------------------------- top level
t "version" 0 "emsec 0.1.0" "$EMSEC" --version
t "help" 0 "usage: emsec" "$EMSEC" --help
t "help word" 0 "roles OFFER ANSWER" "$EMSEC" help
t "no command is a usage error" 2 "usage: emsec" "$EMSEC"
t "unknown command is a usage error" 2 "unknown command" "$EMSEC" frobnicate

# ---------------------------------------------------------------- emsec sdp
t "sdp good file" 0 "a=setup active" "$EMSEC" sdp "$DATA/good.sdp"
t "sdp corpus RFC 4975 example" 0 "proto TCP/MSRP" "$EMSEC" sdp "$CORPUS/rfc4975_s8.2_03.sdp"
t "sdp bad file" 1 "offset" "$EMSEC" sdp "$DATA/bad.sdp"
t "sdp bad file names the rule" 1 "rule SETUP" "$EMSEC" sdp "$DATA/bad.sdp"
t "sdp RFC 7345 strict rejects" 1 "FINGERPRINT_HASH" "$EMSEC" sdp "$CORPUS/rfc7345_sA.2_01.sdp"
t "sdp RFC 7345 lenient accepts" 0 "proto UDP/TLS/UDPTL" \
    "$EMSEC" sdp --lenient "$CORPUS/rfc7345_sA.2_01.sdp"
t "sdp missing file" 2 "No such file" "$EMSEC" sdp "$TMP/does-not-exist.sdp"
t "sdp no file is a usage error" 2 "usage: emsec sdp" "$EMSEC" sdp
t "sdp unknown option is a usage error" 2 "usage: emsec sdp" "$EMSEC" sdp --frob "$DATA/good.sdp"

# A file over 1 MiB is refused before parsing.
dd if=/dev/zero of="$TMP/big.sdp" bs=1024 count=1025 2>/dev/null
t "read refuses a file over 1 MiB" 2 "1 MiB" "$EMSEC" sdp "$TMP/big.sdp"

# ---------------------------------------------------------------- emsec roles
t "roles MSRP/TLS answerer active is tls client" 0 "tls client" \
    "$EMSEC" roles "$DATA/msrp-tls-offer.sdp" "$DATA/msrp-tls-answer-active.sdp" --side answerer
t "roles MSRP/TLS offerer actpass is tls server" 0 "tls server" \
    "$EMSEC" roles "$DATA/msrp-tls-offer.sdp" "$DATA/msrp-tls-answer-active.sdp" --side offerer
t "roles MSRP/TLS offerer is tcp passive" 0 "decision: tcp passive, tls server" \
    "$EMSEC" roles "$DATA/msrp-tls-offer.sdp" "$DATA/msrp-tls-answer-active.sdp" --side offerer
t "roles prints the setup table row" 0 "msrp tls actpass active -> ok offerer=passive answerer=active tlsclient=answerer" \
    "$EMSEC" roles "$DATA/msrp-tls-offer.sdp" "$DATA/msrp-tls-answer-active.sdp" --side=answerer
t "roles prints the reuse table row" 0 "reuse table row 19: msrp absent absent no -> new" \
    "$EMSEC" roles "$DATA/msrp-tls-offer.sdp" "$DATA/msrp-tls-answer-active.sdp" --side answerer
t "roles BFCP/TLS answerer tcp active is tls server" 0 "decision: tcp active, tls server" \
    "$EMSEC" roles "$DATA/bfcp-tls-offer.sdp" "$DATA/bfcp-tls-answer-active.sdp" --side answerer
t "roles skips RTP media" 0 "media 2: RTP/AVP: not TCP-based media, no roles" \
    "$EMSEC" roles "$DATA/bfcp-tls-offer.sdp" "$DATA/bfcp-tls-answer-active.sdp" --side answerer
t "roles both active with TLS is tls_collision" 1 "refused: tls_collision (setup table row" \
    "$EMSEC" roles "$DATA/msrp-tls-offer-active.sdp" "$DATA/msrp-tls-answer-active.sdp" --side answerer
t "roles port 0 answer is a rejected stream" 0 "media 1: rejected (port 0)" \
    "$EMSEC" roles "$DATA/msrp-tls-offer.sdp" "$DATA/msrp-tls-answer-rejected.sdp" --side offerer
t "roles m= count mismatch" 1 "m= lines" \
    "$EMSEC" roles "$DATA/bfcp-tls-offer.sdp" "$DATA/msrp-tls-answer-active.sdp" --side offerer
t "roles audio only has no roles" 0 "not TCP-based media" \
    "$EMSEC" roles "$DATA/audio-only-offer.sdp" "$DATA/audio-only-offer.sdp" --side offerer
t "roles parse error names file, offset and rule" 1 "bad.sdp: offset" \
    "$EMSEC" roles "$DATA/msrp-tls-offer.sdp" "$DATA/bad.sdp" --side offerer
t "roles existing TLS without history notes it" 0 "tls-id history unknown: taken as unchanged" \
    "$EMSEC" roles "$ROOT/tests/demo/bfcp-tls-reoffer.sdp" "$ROOT/tests/demo/bfcp-tls-reanswer.sdp" \
    --side answerer --existing-tls
t "roles existing TLS with same tls-id keeps" 0 "decision: tcp keep, tls keep" \
    "$EMSEC" roles "$ROOT/tests/demo/bfcp-tls-reoffer.sdp" "$ROOT/tests/demo/bfcp-tls-reanswer.sdp" \
    --side answerer --existing-tls \
    --previous-offer "$ROOT/tests/demo/bfcp-tls-offer.sdp" \
    --previous-answer "$ROOT/tests/demo/bfcp-tls-answer-active.sdp"
# RFC 8842 s5: a=connection:new with the tls-id of the session that is up.
t "roles new connection with same tls-id is tls_id_conflict" 1 "refused: tls_id_conflict" \
    "$EMSEC" roles "$ROOT/tests/demo/bfcp-tls-offer.sdp" "$ROOT/tests/demo/bfcp-tls-answer-active.sdp" \
    --side answerer --existing-tls \
    --previous-offer "$ROOT/tests/demo/bfcp-tls-offer.sdp" \
    --previous-answer "$ROOT/tests/demo/bfcp-tls-answer-active.sdp"
t "roles T.38 DTLS (RFC 7345) strict rejects the printed fingerprint" 1 "rule FINGERPRINT_HASH" \
    "$EMSEC" roles "$CORPUS/rfc7345_sA.2_01.sdp" "$CORPUS/rfc7345_sA.2_03.sdp" --side answerer
t "roles T.38 DTLS (RFC 7345) lenient: answerer active is tls client" 0 "decision: tcp none, tls client" \
    "$EMSEC" roles --lenient "$CORPUS/rfc7345_sA.2_01.sdp" "$CORPUS/rfc7345_sA.2_03.sdp" --side answerer

# usage errors
t "roles without --side" 2 "--side" \
    "$EMSEC" roles "$DATA/msrp-tls-offer.sdp" "$DATA/msrp-tls-answer-active.sdp"
t "roles bad --side value" 2 "offerer or answerer" \
    "$EMSEC" roles "$DATA/msrp-tls-offer.sdp" "$DATA/msrp-tls-answer-active.sdp" --side middle
t "roles --side without value" 2 "needs a value" \
    "$EMSEC" roles "$DATA/msrp-tls-offer.sdp" "$DATA/msrp-tls-answer-active.sdp" --side
t "roles one file" 2 "usage: emsec roles" "$EMSEC" roles "$DATA/msrp-tls-offer.sdp" --side offerer
t "roles three files" 2 "too many files" \
    "$EMSEC" roles "$DATA/good.sdp" "$DATA/good.sdp" "$DATA/good.sdp" --side offerer
t "roles unknown option" 2 "unknown option" \
    "$EMSEC" roles "$DATA/good.sdp" "$DATA/good.sdp" --side offerer --frob
t "roles previous offer without previous answer" 2 "go together" \
    "$EMSEC" roles "$DATA/good.sdp" "$DATA/good.sdp" --side offerer --previous-offer "$DATA/good.sdp"
t "roles missing file" 2 "No such file" \
    "$EMSEC" roles "$TMP/nope.sdp" "$DATA/good.sdp" --side offerer

# ---------------------------------------------------------------- emsec h248
H248=$ROOT/tests/corpus/h248
t "h248 decode tree" 0 "      ServiceChange = ROOT" \
    "$EMSEC" h248 decode "$H248/rfc3525_sA.1.1_01.txt"
t "h248 decode tree names the mId" 0 "MEGACO/1 mid [124.124.124.222] (ip4)" \
    "$EMSEC" h248 decode "$H248/rfc3525_sA.1.1_01.txt" --tree
t "h248 decode parses Local as H.248 SDP" 0 "Local {" \
    "$EMSEC" h248 decode "$H248/rfc3015_sA.1.2_11.txt"
t "h248 decode SDP verdict" 0 "(sdp: ok, 1 media)" \
    "$EMSEC" h248 decode "$H248/rfc3015_sA.1.2_11.txt"
t "h248 decode --compact" 0 "T=9998{C=-{SC=ROOT{SV{MT=RS,AD=55555,PF=ResGW/1}}}}" \
    "$EMSEC" h248 decode "$H248/rfc3525_sA.1.1_01.txt" --compact
t "h248 encode (pretty by default)" 0 "        ServiceChange = ROOT {" \
    "$EMSEC" h248 encode "$H248/rfc3525_sA.1.1_01.txt"
t "h248 encode --compact --version 3" 0 "!/3 [124.124.124.222]" \
    "$EMSEC" h248 encode --compact --version 3 "$H248/rfc3525_sA.1.1_01.txt"
"$EMSEC" h248 encode --pretty "$H248/rfc3525_sA.1.2_09.txt" > "$TMP/pretty.h248"
t "h248 pretty output decodes again" 0 "dd/ce" \
    "$EMSEC" h248 decode "$TMP/pretty.h248"
t "h248 RFC mistake refused with offset, line and rule" 1 \
    "offset 150 (line 4, column 33): ERR_SYNTAX in rule pkgdName" \
    "$EMSEC" h248 decode "$H248/rfc3525_sA.1.2_05.txt"
t "h248 --error-reply writes a Reply with Error 400" 1 "Reply = 9999 {" \
    "$EMSEC" h248 decode "$H248/rfc3525_sA.1.1_03.txt" --error-reply "[127.0.0.1]:2944"
printf 'MEGACO/1 [10.0.0.1] Transaction = x' > "$TMP/noid.h248"
t "h248 --error-reply without a TransactionID is message-level" 1 'Error = 400 {"Syntax error' \
    "$EMSEC" h248 decode "$TMP/noid.h248" --error-reply "[127.0.0.1]:2944"
t "h248 --version out of range" 2 "--version wants 1, 2 or 3" \
    "$EMSEC" h248 encode --version 4 "$H248/rfc3525_sA.1.1_01.txt"
t "h248 without a subcommand" 2 "usage: emsec h248" "$EMSEC" h248
t "h248 unknown option" 2 "usage: emsec h248" "$EMSEC" h248 decode --bogus "$H248/rfc3525_sA.1.1_01.txt"
t "h248 missing file" 2 "No such file" "$EMSEC" h248 decode "$TMP/none.h248"

# ---------------------------------------------------------------- RFC 4145 s4.1
# Every offer x answer a=setup pair on plain `m=application 9 TCP *` media.
# Legal: active->passive|holdconn, passive->active|holdconn,
# actpass->active|passive|holdconn, holdconn->holdconn; all others exit 1.
gen_sdp() { # FILE SETUP
    printf 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=application 9 TCP *\r\na=setup:%s\r\n' \
        "$2" >"$1"
}
values="active passive actpass holdconn"
for v in $values; do
    gen_sdp "$TMP/setup-$v.sdp" "$v"
done
for o in $values; do
    for a in $values; do
        case "$o:$a" in
            active:passive | active:holdconn | passive:active | passive:holdconn | \
            actpass:active | actpass:passive | actpass:holdconn | holdconn:holdconn)
                want=0 pat="decision: tcp" ;;
            *)
                want=1 pat="refused: " ;;
        esac
        for side in offerer answerer; do
            t "RFC 4145 offer $o answer $a ($side)" "$want" "$pat" \
                "$EMSEC" roles "$TMP/setup-$o.sdp" "$TMP/setup-$a.sdp" --side "$side"
        done
    done
done
# The roles that the legal pairs give (offerer's view).
t "RFC 4145 active/passive: offerer connects" 0 "decision: tcp active, tls none" \
    "$EMSEC" roles "$TMP/setup-active.sdp" "$TMP/setup-passive.sdp" --side offerer
t "RFC 4145 actpass/active: offerer listens" 0 "decision: tcp passive, tls none" \
    "$EMSEC" roles "$TMP/setup-actpass.sdp" "$TMP/setup-active.sdp" --side offerer
t "RFC 4145 holdconn/holdconn: no connection" 0 "decision: tcp hold" \
    "$EMSEC" roles "$TMP/setup-holdconn.sdp" "$TMP/setup-holdconn.sdp" --side offerer
t "RFC 4145 active/active is both_active" 1 "refused: both_active" \
    "$EMSEC" roles "$TMP/setup-active.sdp" "$TMP/setup-active.sdp" --side offerer
t "RFC 4145 answer actpass is answer_actpass" 1 "refused: answer_actpass" \
    "$EMSEC" roles "$TMP/setup-actpass.sdp" "$TMP/setup-actpass.sdp" --side answerer

# ---------------------------------------------------------------- emsec msrp
MSRP_CORPUS=$ROOT/tests/corpus/msrp
t "msrp RFC 4975 s4 SEND frames" 0 "message 1: request SEND tid a786hjs2" \
    "$EMSEC" msrp "$MSRP_CORPUS/rfc4975_s4_01.msrp"
t "msrp prints each header" 0 "header To-Path: msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp" \
    "$EMSEC" msrp "$MSRP_CORPUS/rfc4975_s4_01.msrp"
t "msrp prints the body length and end flag" 0 "body: 23 bytes" \
    "$EMSEC" msrp "$MSRP_CORPUS/rfc4975_s4_01.msrp"
t "msrp response" 0 "message 1: response 200 tid a786hjs2" \
    "$EMSEC" msrp "$MSRP_CORPUS/rfc4975_s4_02.msrp"
t "msrp chunked stream: two messages" 0 "2 message(s)" "$EMSEC" msrp "$DATA/msrp-chunked.msrp"
t "msrp chunked stream: continuation flag" 0 "end: + (more chunks follow)" \
    "$EMSEC" msrp "$DATA/msrp-chunked.msrp"
t "msrp chunked stream: Byte-Range" 0 "byte-range: 1-*/8" "$EMSEC" msrp "$DATA/msrp-chunked.msrp"
t "msrp RFC 4976 relay path" 0 "paths: to 3 URI(s), from 1 URI(s)" \
    "$EMSEC" msrp "$MSRP_CORPUS/rfc4976_s3_01.msrp"
t "msrp RFC 4975 s5.1 snippet refused with offset and rule" 1 "offset 20: rule TO_PATH" \
    "$EMSEC" msrp "$MSRP_CORPUS/rfc4975_s5.1_03.msrp"
t "msrp end-line with another transaction id" 1 "offset 157: rule END_LINE" \
    "$EMSEC" msrp "$DATA/msrp-bad-end-line.msrp"
head -c 60 "$MSRP_CORPUS/rfc4975_s4_01.msrp" > "$TMP/cut.msrp"
t "msrp cut message is incomplete" 1 "rule INCOMPLETE (ERR_INCOMPLETE)" "$EMSEC" msrp "$TMP/cut.msrp"
t "msrp no file is a usage error" 2 "usage: emsec msrp" "$EMSEC" msrp
t "msrp missing file" 2 "No such file" "$EMSEC" msrp "$TMP/none.msrp"

# emsec mikey decode. Data: mikey-rfc4567-ex1-offer.bin is the MIKEY offer of
# RFC 4567 §5.1 Example 1 (its a=key-mgmt value, base64-decoded);
# mikey-rfc4567-ex1-answer.sdp carries that example's answer as an
# a=key-mgmt:mikey line in an SDP written for this test;
# mikey-mode3-transfer-init.bin is the TRANSFER_INIT that
# tests/vectors/mikey_kat.py builds (PRF-HMAC-SHA-256, no key forking).
t "mikey RFC 4567 offer: payload chain" 0 "5 KEMAC   at 71, 61 bytes" \
    "$EMSEC" mikey decode "$DATA/mikey-rfc4567-ex1-offer.bin"
t "mikey RFC 4567 offer: the ID payload" 0 'data "donald@duck.com"' \
    "$EMSEC" mikey decode "$DATA/mikey-rfc4567-ex1-offer.bin"
t "mikey from SDP a=key-mgmt (RFC 4567 answer)" 0 'data "mickey@mouse.com"' \
    "$EMSEC" mikey decode --sdp "$DATA/mikey-rfc4567-ex1-answer.sdp"
t "mikey mode 3 TRANSFER_INIT: RFC 6043 components" 0 "RFC 6043 4.2.2 components: ok" \
    "$EMSEC" mikey decode "$DATA/mikey-mode3-transfer-init.bin"
t "mikey keys are printed as lengths only" 0 "key 32 bytes, salt 0 bytes" \
    "$EMSEC" mikey decode "$DATA/mikey-mode3-transfer-init.bin"
head -c 20 "$DATA/mikey-mode3-transfer-init.bin" > "$TMP/cut.mikey"
t "mikey truncated message refused with offset" 1 "refused at byte 19: truncated" \
    "$EMSEC" mikey decode "$TMP/cut.mikey"
t "mikey no file is a usage error" 2 "usage: emsec mikey" "$EMSEC" mikey decode

# ---------------------------------------------------------------- trace
# The gateway's own ServiceChange in a trace: a method it does not know, or
# a delay on a method that takes none (H.248.1 7.2.8: ServiceChangeDelay is
# Graceful's), is refused with a "!!" line and exit 1, never run as another.
printf 'config mid=[127.0.0.1]:2944 ports=40000-40009\n> service-change reboot\n' > "$TMP/sc-bad.trace"
t "trace: unknown service-change method refused" 1 "!! bad service-change" "$EMSEC" trace "$TMP/sc-bad.trace"
printf 'config mid=[127.0.0.1]:2944 ports=40000-40009\n> service-change graceful delay x\n' > "$TMP/sc-bad2.trace"
t "trace: service-change delay not a number refused" 1 "!! bad service-change" "$EMSEC" trace "$TMP/sc-bad2.trace"
printf 'config mid=[127.0.0.1]:2944 ports=40000-40009\n> service-change restart delay 5\n' > "$TMP/sc-delay.trace"
t "trace: a delay on Restart refused by the core" 0 "!! emsec_mg_service_change: ERR_ARGUMENT" \
    "$EMSEC" trace "$TMP/sc-delay.trace"
printf 'config mid=[127.0.0.1]:2944 ports=40000-40009\n> service-change graceful delay 30\n' > "$TMP/sc-delay2.trace"
t "trace: Graceful with ServiceChangeDelay" 0 "Delay = 30" "$EMSEC" trace "$TMP/sc-delay2.trace"
printf 'config mid=[127.0.0.1]:2944 ports=40000-40009\n> service-change restart stamp 20261125T0116250\n' > "$TMP/sc-stamp.trace"
t "trace: a malformed TimeStamp refused by the core" 0 "!! emsec_mg_service_change: ERR_ARGUMENT" \
    "$EMSEC" trace "$TMP/sc-stamp.trace"
printf 'config mid=[127.0.0.1]:2944 ports=40000-40009\n> service-change restart stamp 1 stamp 2\n' > "$TMP/sc-stamp2.trace"
t "trace: a word given twice refused" 1 "!! bad service-change" "$EMSEC" trace "$TMP/sc-stamp2.trace"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
