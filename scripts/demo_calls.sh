#!/usr/bin/env bash
# scripts/demo_calls.sh BINDIR: the end-to-end part of `make demo`.
#
# Starts emsecd (BINDIR/emsecd, the rel build) on 127.0.0.1 with ephemeral
# ports and a temporary state dir, and runs the issue 6 scenarios with the
# controller BINDIR/emsec-ctl (core/ctl_*.c), openssl s_client / s_server
# as the UE or the far end, and BINDIR/tcp_peer as the plain core-side peer.
# Each scenario prints a short timeline (the SDP decision and its rule,
# the H.248 sent and received, abridged; TLS version, cipher and
# fingerprints; bytes relayed; releases) and a final "PASS (x)" or
# "FAIL (x): why" line. The SDP comes from templates in tests/demo/
# (ctl-*.sdp.in, origins in tests/demo/README.md) with the run's ports and
# fingerprints filled in.
#
# Every process started here is killed by its PID (trap); every wait is
# bounded. Exit 0 when every scenario passed, 1 otherwise.
set -u
BIN=${1:?usage: demo_calls.sh BINDIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
D=$ROOT/tests/demo
for b in emsecd emsec-ctl tcp_peer; do
    [ -x "$BIN/$b" ] || { echo "FAIL (setup): $BIN/$b missing (make demo builds it)"; exit 1; }
done
command -v openssl >/dev/null || { echo "FAIL (setup): openssl (Debian package openssl) missing"; exit 1; }

T=$(mktemp -d "${TMPDIR:-/tmp}/emsec-demo.XXXXXX")
PIDS=()
DPID=
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    [ -n "$DPID" ] && kill "$DPID" 2>/dev/null
    wait 2>/dev/null
    # DEMO_KEEP=DIR keeps the run's files (debugging)
    [ -n "${DEMO_KEEP:-}" ] && rm -rf "$DEMO_KEEP" && cp -r "$T" "$DEMO_KEEP"
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# A random port base (bounded tries), as tests/integration/run.sh does.
port_free() { ! (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }
for _ in 1 2 3 4 5 6 7 8; do
    BASE=$((20000 + (RANDOM % 400) * 100))
    port_free "$BASE" && port_free $((BASE + 10)) && port_free $((BASE + 50)) && break
done
H248=$BASE
NEXT=$((BASE + 10))
next_port() { NEXT=$((NEXT + 1)); printf -v "$1" '%s' "$NEXT"; }

mkcert() { # NAME CN
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$2" \
        -keyout "$T/$1.key" -out "$T/$1.pem" 2>/dev/null &&
        openssl x509 -in "$T/$1.pem" -noout -fingerprint -sha256 | sed 's/.*=//'
}
UE_FP=$(mkcert ue ue.demo) && FAR_FP=$(mkcert far far-end.demo) ||
    { echo "FAIL (setup): openssl req failed"; exit 1; }

"$BIN/emsecd" --listen 127.0.0.1:$H248 --media-address 127.0.0.1 --ports $((BASE + 50))-$((BASE + 99)) \
    --state-dir "$T/state" 2>"$T/emsecd.log" &
DPID=$!
for _ in $(seq 50); do grep -q "ready:" "$T/emsecd.log" 2>/dev/null && break; sleep 0.1; done
grep -q "ready:" "$T/emsecd.log" || { echo "FAIL (setup): emsecd did not start"; cat "$T/emsecd.log"; exit 1; }
GW_FP=$(openssl x509 -in "$T/state/cert.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
echo
echo "emsecd (pid $DPID) on 127.0.0.1:$H248, media ports $((BASE + 50))-$((BASE + 99)), its certificate sha-256 ${GW_FP:0:23}..."

PASSED=0
FAILED=0
pass() { echo "PASS ($1)"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL ($1): $2"; FAILED=$((FAILED + 1)); }

fill() { # TEMPLATE OUT VAR=VALUE...
    local tpl=$1 o=$2 s=""; shift 2
    for kv in "$@"; do s="$s s|@${kv%%=*}@|${kv#*=}|g;"; done
    sed -e "$s" "$D/$tpl" > "$o"
}
wait_for() { # FILE PATTERN [TENTHS]: bounded
    for _ in $(seq "${3:-50}"); do grep -q -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1
}
# ctl X MODE OFFER ANSWER [ARGS]: emsec-ctl in the background, its output
# in $T/X.ctl, the SDP towards the UE in $T/X.ue.sdp; CTL holds its pid
ctl() {
    local x=$1 mode=$2 offer=$3 answer=$4; shift 4
    "$BIN/emsec-ctl" --gateway 127.0.0.1:$H248 --mode "$mode" --offer "$offer" --answer "$answer" \
        --ue-sdp "$T/$x.ue.sdp" --hold 20000 "$@" > "$T/$x.ctl" 2>&1 &
    CTL=$!; PIDS+=("$CTL")
}
ctl_wait() { # X: wait for the end of emsec-ctl (bounded by its --hold), rc in CTL_RC
    local i
    for i in $(seq 250); do kill -0 "$CTL" 2>/dev/null || break; sleep 0.1; done
    kill "$CTL" 2>/dev/null
    wait "$CTL"; CTL_RC=$?
}
# The timeline: the controller's lines, indented.
timeline() { sed 's/^/    /' "$T/$1.ctl"; }
ue_port() { sed -n 's/^m=[a-z]* \([0-9]*\) .*/\1/p' "$T/$1.ue.sdp" | head -1; }
# "N bytes in, M out" of a termination's close line in the emsecd log
# the emsecd log since the scenario began (context and termination ids
# are reused from one call to the next)
mark_log() { LOG0=$(wc -l < "$T/emsecd.log"); }
slog() { tail -n +$((LOG0 + 1)) "$T/emsecd.log"; }
LOG0=0
relayed() { slog | sed -n "s|.*term=$1 closed (\([0-9]*\) bytes in, \([0-9]*\) out.*|\1 in, \2 out|p" | tail -1; }
terms_of() { sed -n 's/^ctl: context [0-9]*: UE leg \([^,]*\), core leg \(.*\)$/\1 \2/p' "$T/$1.ctl"; }
# what s_client / s_server printed of the session, and the peer's certificate fingerprint
tls_line() { grep -m1 -E "^New, |^CIPHER is|^Protocol *:|Cipher is" "$1" | sed 's/^ *//'; }
peer_fp() { # FILE: sha-256 of the first PEM certificate in it
    sed -n '/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/p' "$1" |
        sed '/-----END CERTIFICATE-----/q' | openssl x509 -noout -fingerprint -sha256 2>/dev/null | sed 's/.*=//'
}
payload() { # FILE N PREFIX: N MSRP-looking lines
    local i; : > "$1"
    for i in $(seq "$2"); do printf 'MSRP t%04d SEND %s line %d: Hello over TLS\n' "$i" "$3" "$i" >> "$1"; done
}

# ---------------------------------------------------------------- (a)
scenario_a() {
    mark_log
    echo
    echo "== (a) IMS-AGW e2ae MSRP: the UE is the TLS client (s_client with its certificate), plain TCP to the core"
    local cp; next_port cp
    fill ctl-msrp-offer.sdp.in "$T/a.offer" UE_PORT=9 UE_SETUP=active UE_FP="$UE_FP"
    fill ctl-msrp-answer-plain.sdp.in "$T/a.answer" CORE_PORT="$cp"
    payload "$T/a.in" 40 UE
    local n; n=$(stat -c %s "$T/a.in")
    "$BIN/tcp_peer" listen "$cp" --echo --out "$T/a.core" --expect "$n" --timeout 15000 2>"$T/a.peer.log" &
    local tp=$!; PIDS+=("$tp")
    sleep 0.2
    ctl a e2ae "$T/a.offer" "$T/a.answer"
    wait_for "$T/a.ctl" "call up\|SETUP ABORTED" || { timeline a; fail a "the controller did not set the call up"; return; }
    local gw; gw=$(ue_port a)
    (cat "$T/a.in"; sleep 1.5) | timeout 15 openssl s_client -connect 127.0.0.1:"$gw" -cert "$T/ue.pem" \
        -key "$T/ue.key" -nocommands > "$T/a.ue" 2>"$T/a.sc.log"
    wait "$tp"; local pr=$?
    ctl_wait a
    timeline a
    local t1 t2; read -r t1 t2 <<< "$(terms_of a)"
    echo "  UE (s_client): $(tls_line "$T/a.ue"); gateway certificate seen by the UE sha-256 $(peer_fp "$T/a.ue" | cut -c1-23)..."
    echo "  gateway: $(grep -m1 "term=$t1 tls established" <(slog) | sed 's/.*tls established: //')"
    echo "  relayed: UE leg $t1 $(relayed "$t1"); core leg $t2 $(relayed "$t2")"
    [ "$CTL_RC" -eq 0 ] || { fail a "emsec-ctl exit $CTL_RC"; return; }
    [ "$pr" -eq 0 ] && cmp -s "$T/a.in" "$T/a.core" || { fail a "the core peer did not get the UE's $n bytes (tcp_peer rc $pr)"; return; }
    [ "$(grep -c 'MSRP t[0-9]* SEND UE' "$T/a.ue")" -eq 40 ] || { fail a "the echo did not come back to the UE"; return; }
    [ "$(peer_fp "$T/a.ue")" = "$GW_FP" ] && grep -q "a=fingerprint:sha-256 $GW_FP" "$T/a.ue.sdp" ||
        { fail a "the certificate the UE saw is not the one the SDP towards it names"; return; }
    pass a
}

# ---------------------------------------------------------------- (b)
scenario_b() {
    mark_log
    echo
    echo "== (b) IMS-AGW e2ae MSRP: the UE is passive (s_server), the gateway connects and is the TLS client"
    local up cp; next_port up; next_port cp
    fill ctl-msrp-offer.sdp.in "$T/b.offer" UE_PORT="$up" UE_SETUP=passive UE_FP="$UE_FP"
    fill ctl-msrp-answer-plain.sdp.in "$T/b.answer" CORE_PORT="$cp"
    payload "$T/b.in" 30 UE
    local n; n=$(stat -c %s "$T/b.in")
    # the UE trusts exactly the certificate whose sha-256 the SDP towards
    # it names (checked below): s_server fails the handshake on any other
    # (its input comes after the handshake: s_server prints the session then)
    (sleep 1.5; cat "$T/b.in"; sleep 2) | timeout 15 openssl s_server -accept 127.0.0.1:"$up" -cert "$T/ue.pem" \
        -key "$T/ue.key" -Verify 1 -verify_return_error -CAfile "$T/state/cert.pem" -brief -naccept 1 \
        > "$T/b.ue" 2>"$T/b.ss.log" &
    local sp=$!; PIDS+=("$sp")
    "$BIN/tcp_peer" listen "$cp" --echo --out "$T/b.core" --expect "$n" --timeout 15000 2>"$T/b.peer.log" &
    local tp=$!; PIDS+=("$tp")
    sleep 0.3
    ctl b e2ae "$T/b.offer" "$T/b.answer"
    wait "$tp"; local pr=$?
    wait "$sp"
    ctl_wait b
    timeline b
    local t1 t2; read -r t1 t2 <<< "$(terms_of b)"
    echo "  UE (s_server): $(grep -m1 "^Protocol version" "$T/b.ss.log"), $(grep -m1 "^Ciphersuite" "$T/b.ss.log"), $(grep -m1 "^Peer certificate" "$T/b.ss.log"), verified against the SDP's sha-256 ${GW_FP:0:23}..."
    echo "  gateway: $(grep -m1 "term=$t1 tls established" <(slog) | sed 's/.*tls established: //')"
    echo "  relayed: UE leg $t1 $(relayed "$t1"); core leg $t2 $(relayed "$t2")"
    [ "$CTL_RC" -eq 0 ] || { fail b "emsec-ctl exit $CTL_RC"; return; }
    grep -q "UE leg: .* tcp active, tls client" "$T/b.ctl" || { fail b "the gateway was not TCP active / TLS client"; return; }
    [ "$pr" -eq 0 ] && cmp -s "$T/b.in" "$T/b.core" || { fail b "the core peer did not get the UE's $n bytes (tcp_peer rc $pr)"; return; }
    [ "$(grep -c 'MSRP t[0-9]* SEND UE' "$T/b.ue")" -eq 30 ] || { fail b "the echo did not come back to the UE"; return; }
    grep -q "a=fingerprint:sha-256 $GW_FP" "$T/b.ue.sdp" && grep -q "^Protocol version" "$T/b.ss.log" &&
        ! grep -q "Verification error" "$T/b.ss.log" || { fail b "the UE did not verify the gateway's certificate"; return; }
    pass b
}

# ---------------------------------------------------------------- (c)
scenario_c() {
    mark_log
    echo
    echo "== (c) TrGW e2e MSRP: the UE's TLS session runs to the far end (s_server), forwarded untouched"
    local fp; next_port fp
    fill ctl-msrp-offer.sdp.in "$T/c.offer" UE_PORT=9 UE_SETUP=active UE_FP="$UE_FP"
    fill ctl-msrp-answer-tls.sdp.in "$T/c.answer" CORE_PORT="$fp" FAR_FP="$FAR_FP"
    payload "$T/c.far" 10 FAR
    payload "$T/c.in" 10 UE
    (sleep 1; cat "$T/c.far"; sleep 2) | timeout 15 openssl s_server -accept 127.0.0.1:"$fp" -cert "$T/far.pem" \
        -key "$T/far.key" -Verify 1 -naccept 1 > "$T/c.srv" 2>"$T/c.ss.log" &
    local sp=$!; PIDS+=("$sp")
    sleep 0.3
    ctl c e2e "$T/c.offer" "$T/c.answer"
    wait_for "$T/c.ctl" "call up\|SETUP ABORTED" || { timeline c; fail c "the controller did not set the call up"; return; }
    local gw; gw=$(ue_port c)
    (cat "$T/c.in"; sleep 2.5) | timeout 15 openssl s_client -connect 127.0.0.1:"$gw" -cert "$T/ue.pem" \
        -key "$T/ue.key" -nocommands > "$T/c.ue" 2>"$T/c.sc.log"
    wait "$sp"
    ctl_wait c
    timeline c
    local t1 t2; read -r t1 t2 <<< "$(terms_of c)"
    echo "  UE (s_client): $(tls_line "$T/c.ue"); far-end certificate seen by the UE sha-256 $(peer_fp "$T/c.ue" | cut -c1-23)..."
    echo "  far end (s_server): $(tls_line "$T/c.srv"); UE certificate seen sha-256 $(peer_fp "$T/c.srv" | cut -c1-23)..."
    echo "  gateway: $(grep -c "term=$t1 tls established\|term=$t2 tls established" <(slog)) TLS sessions of its own (forwarding)"
    echo "  relayed: UE leg $t1 $(relayed "$t1"); far leg $t2 $(relayed "$t2")"
    [ "$CTL_RC" -eq 0 ] || { fail c "emsec-ctl exit $CTL_RC"; return; }
    [ "$(peer_fp "$T/c.ue")" = "$FAR_FP" ] || { fail c "the UE did not see the far end's certificate"; return; }
    [ "$(peer_fp "$T/c.srv")" = "$UE_FP" ] || { fail c "the far end did not see the UE's certificate"; return; }
    grep -q "a=fingerprint:sha-256 $FAR_FP" "$T/c.ue.sdp" || { fail c "the SDP towards the UE lost the far end's fingerprint"; return; }
    slog | grep "term=$t1 \|term=$t2 " | grep -q "tls established" && { fail c "the gateway ended TLS itself"; return; }
    [ "$(grep -c 'MSRP t[0-9]* SEND UE' "$T/c.srv")" -eq 10 ] && [ "$(grep -c 'MSRP t[0-9]* SEND FAR' "$T/c.ue")" -eq 10 ] ||
        { fail c "the application bytes did not cross end to end"; return; }
    pass c
}

# ---------------------------------------------------------------- (e)
scenario_e() {
    mark_log
    echo
    echo "== (e) BFCP over TLS (TCP/TLS/BFCP) at the IMS-AGW, then a re-offer (a=connection:existing) that keeps the TLS session"
    local cp; next_port cp
    fill ctl-bfcp-offer.sdp.in "$T/e.offer" UE_PORT=9 UE_FP="$UE_FP" VERSION=1 CONNECTION=new
    fill ctl-bfcp-answer-plain.sdp.in "$T/e.answer" CORE_PORT="$cp" VERSION=1 CONNECTION=new
    fill ctl-bfcp-offer.sdp.in "$T/e.reoffer" UE_PORT=9 UE_FP="$UE_FP" VERSION=2 CONNECTION=existing
    fill ctl-bfcp-answer-plain.sdp.in "$T/e.reanswer" CORE_PORT="$cp" VERSION=2 CONNECTION=existing
    "$BIN/tcp_peer" listen "$cp" --echo --out "$T/e.core" --timeout 20000 2>"$T/e.peer.log" &
    local tp=$!; PIDS+=("$tp")
    sleep 0.2
    ctl e e2ae "$T/e.offer" "$T/e.answer" --reoffer "$T/e.reoffer" --reanswer "$T/e.reanswer"
    wait_for "$T/e.ctl" "call up\|SETUP ABORTED" || { timeline e; fail e "the controller did not set the call up"; return; }
    local gw; gw=$(ue_port e)
    rm -f "$T/e.fifo"; mkfifo "$T/e.fifo"
    timeout 20 openssl s_client -connect 127.0.0.1:"$gw" -cert "$T/ue.pem" -key "$T/ue.key" -nocommands \
        < "$T/e.fifo" > "$T/e.ue" 2>"$T/e.sc.log" &
    local sc=$!; PIDS+=("$sc")
    exec 8>"$T/e.fifo"
    printf 'BFCP FloorRequest before the re-offer\n' >&8
    wait_for "$T/e.ue" "before the re-offer" || echo "  (no echo before the re-offer)"
    kill -USR1 "$CTL"
    wait_for "$T/e.ctl" "re-offer Modify\|UE leg (re-offer)" 
    wait_for "$T/e.ue.sdp" "a=connection:existing"
    sleep 0.3
    printf 'BFCP FloorRelease after the re-offer\n' >&8
    wait_for "$T/e.ue" "after the re-offer"
    exec 8>&-
    wait "$sc"
    kill "$tp" 2>/dev/null; wait "$tp" 2>/dev/null
    ctl_wait e
    timeline e
    local t1 t2; read -r t1 t2 <<< "$(terms_of e)"
    local hs; hs=$(grep -c "term=$t1 tls established" <(slog))
    echo "  UE (s_client): $(tls_line "$T/e.ue"); gateway certificate seen sha-256 $(peer_fp "$T/e.ue" | cut -c1-23)..."
    echo "  gateway: $(grep -m1 "term=$t1 tls established" <(slog) | sed 's/.*tls established: //'); TLS handshakes on $t1 in the whole call: $hs"
    echo "  relayed: UE leg $t1 $(relayed "$t1"); core leg $t2 $(relayed "$t2")"
    [ "$CTL_RC" -eq 0 ] || { fail e "emsec-ctl exit $CTL_RC"; return; }
    grep -q "UE leg: .* tls server" "$T/e.ctl" || { fail e "the gateway (answerer) was not the TLS server (RFC 8856 s8)"; return; }
    grep -q "UE leg (re-offer): .* tcp keep, tls keep" "$T/e.ctl" || { fail e "the re-offer did not keep the connection"; return; }
    grep -q "^a=connection:existing" "$T/e.ue.sdp" || { fail e "the answer towards the UE does not say a=connection:existing"; return; }
    [ "$hs" -eq 1 ] || { fail e "$hs TLS handshakes on the UE leg (the re-offer must keep the session)"; return; }
    grep -q "before the re-offer" "$T/e.ue" && grep -q "after the re-offer" "$T/e.ue" ||
        { fail e "bytes did not cross before and after the re-offer on the same session"; return; }
    pass e
}

# ---------------------------------------------------------------- (f)
scenario_f() {
    mark_log
    echo
    echo "== (f) fingerprint mismatch: the UE's certificate is not the one its SDP names"
    local cp; next_port cp
    local bad; bad="${UE_FP%??}$( [ "${UE_FP: -2}" = "00" ] && echo 01 || echo 00 )"
    fill ctl-msrp-offer.sdp.in "$T/f.offer" UE_PORT=9 UE_SETUP=active UE_FP="$bad"
    fill ctl-msrp-answer-plain.sdp.in "$T/f.answer" CORE_PORT="$cp"
    "$BIN/tcp_peer" listen "$cp" --timeout 8000 2>"$T/f.peer.log" &
    local tp=$!; PIDS+=("$tp")
    sleep 0.2
    ctl f e2ae "$T/f.offer" "$T/f.answer"
    wait_for "$T/f.ctl" "call up\|SETUP ABORTED" || { timeline f; fail f "the controller did not set the call up"; return; }
    local gw; gw=$(ue_port f)
    (echo "MSRP t0001 SEND never delivered"; sleep 3) | timeout 10 openssl s_client -connect 127.0.0.1:"$gw" \
        -cert "$T/ue.pem" -key "$T/ue.key" -nocommands > "$T/f.ue" 2>"$T/f.sc.log"
    local sc=$?
    ctl_wait f
    wait "$tp" 2>/dev/null
    timeline f
    local t1 t2; read -r t1 t2 <<< "$(terms_of f)"
    echo "  UE (s_client, exit $sc): $(tls_line "$T/f.ue")"
    echo "  gateway, UE leg: $(slog | grep "term=$t1 " | sed -n '/tls established/,/closed (/p' | sed 's/.*term=[^ ]* //' | paste -sd ';' | sed 's/;/; /g')"
    [ "$CTL_RC" -eq 3 ] || { fail f "emsec-ctl exit $CTL_RC (3 = failure notified)"; return; }
    grep -q "FAILURE reported by the gateway: tlsbsc/ef cause fingerprint" "$T/f.ctl" || { fail f "no Notify tlsbsc/ef cause fingerprint"; return; }
    slog | grep -q "term=$t1 action close" || { fail f "the gateway did not release the UE's TCP connection"; return; }
    [ "$sc" -ne 124 ] || { fail f "the UE's connection stayed open"; return; }
    grep -q "never delivered" "$T/f.core" 2>/dev/null && { fail f "bytes reached the core"; return; }
    pass f
}

# ---------------------------------------------------------------- (d)
# The MRFC (emsec-ctl --mode psk --mikey) runs MIKEY-TICKET mode 3 (RFC
# 6043 §4.1.1) itself and sends the TEK down as tlsbsc/psk; the UE's half
# (emsec-ctl mikey-ue) derives the TEK again from the two messages as they
# travel (TGK from the KEMAC, RANDRi / RANDRr as the ticket's H / G flags
# say) and gives it to s_client -psk: the handshake only succeeds when both
# derivations agree.
scenario_d() {
    mark_log
    echo
    echo "== (d) MRFP with TLS-PSK (RFC 4279) from a MIKEY-TICKET exchange (RFC 6043 mode 3), the UE as s_client -psk"
    local cp; next_port cp
    mkdir -p "$T/d.mikey"
    fill ctl-msrp-offer.sdp.in "$T/d.offer0" UE_PORT=9 UE_SETUP=active UE_FP=none
    grep -v "^a=fingerprint" "$T/d.offer0" > "$T/d.offer"   # PSK mode: no certificate
    fill ctl-msrp-answer-plain.sdp.in "$T/d.answer" CORE_PORT="$cp"
    payload "$T/d.in" 20 UE
    local n; n=$(stat -c %s "$T/d.in")
    "$BIN/tcp_peer" listen "$cp" --echo --out "$T/d.core" --expect "$n" --timeout 15000 2>"$T/d.peer.log" &
    local tp=$!; PIDS+=("$tp")
    sleep 0.2
    ctl d psk "$T/d.offer" "$T/d.answer" --mikey "$T/d.mikey" --pskid mrfp-ticket-1
    wait_for "$T/d.ctl" "call up\|SETUP ABORTED" || { timeline d; fail d "the controller did not set the call up"; return; }
    local gw; gw=$(ue_port d)
    local key; key=$("$BIN/emsec-ctl" mikey-ue "$T/d.mikey/transfer_init.b64" "$T/d.mikey/transfer_resp.b64" 2>"$T/d.ue.err")
    (cat "$T/d.in"; sleep 1.5) | timeout 15 openssl s_client -connect 127.0.0.1:"$gw" -psk "${key:-00}" \
        -psk_identity mrfp-ticket-1 -nocommands > "$T/d.ue" 2>"$T/d.sc.log"
    wait "$tp"; local pr=$?
    ctl_wait d
    timeline d
    local t1 t2; read -r t1 t2 <<< "$(terms_of d)"
    echo "  UE: TEK derived from TRANSFER_INIT + TRANSFER_RESP: ${#key} hex digits ${key:+(not shown)}$(head -1 "$T/d.ue.err")"
    echo "  UE (s_client -psk): $(tls_line "$T/d.ue")"
    echo "  gateway: $(grep -m1 "term=$t1 tls established" <(slog) | sed 's/.*tls established: //') (PSK, no certificate)"
    echo "  relayed: UE leg $t1 $(relayed "$t1"); core leg $t2 $(relayed "$t2")"
    [ "$CTL_RC" -eq 0 ] || { fail d "emsec-ctl exit $CTL_RC"; return; }
    [ "${#key}" -eq 64 ] || { fail d "the UE could not derive the TEK"; return; }
    grep -q "tlsbsc/psk = " "$T/d.ctl" && ! grep -q "$key" "$T/d.ctl" || { fail d "the PSK did not go down (or was printed)"; return; }
    [ "$pr" -eq 0 ] && cmp -s "$T/d.in" "$T/d.core" || { fail d "the core peer did not get the UE's $n bytes (tcp_peer rc $pr)"; return; }
    [ "$(grep -c 'MSRP t[0-9]* SEND UE' "$T/d.ue")" -eq 20 ] || { fail d "the echo did not come back to the UE"; return; }
    pass d
}

for s in ${DEMO_SCENARIOS:-a b c d e f}; do "scenario_$s"; done
echo
echo "demo calls: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
