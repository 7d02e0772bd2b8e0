#!/usr/bin/env bash
# emsecd integration tests against real peers on 127.0.0.1 (issue 5 §6):
# openssl s_client / s_server as the UE or the far TLS end, gnutls-cli /
# gnutls-serv as the UE (gnutls-serv kept on loopback by bind_loopback.so),
# tcp_peer as the plain core-side peer, conn_load for many sessions at once,
# H.248 from tests/integration/scenarios/*.h248 over UDP or TCP/TPKT
# (h248send), h248send --serve as the controller a daemon registers with.
# Every process started here is killed by its PID at the end; every wait is
# bounded (timeout, tcp_peer --timeout, h248send --timeout).
#
#   bash tests/integration/run.sh build/san/emsecd
# tcp_peer, h248send, conn_load and bind_loopback.so are taken from the
# directory of EMSECD. BIG_BYTES sets case t's size (default 1 GiB each way).
# Exit 0 when every case printed "ok"; 1 otherwise.
set -u
EMSECD=${1:?usage: run.sh EMSECD}
BIN=$(dirname "$EMSECD")
SCN=$(dirname "$0")/scenarios
for b in "$EMSECD" "$BIN/tcp_peer" "$BIN/h248send"; do
    [ -x "$b" ] || { echo "integration: $b missing (make integration builds it)"; exit 1; }
done
command -v openssl >/dev/null || { echo "integration: openssl (Debian package openssl) missing"; exit 1; }

T=$(mktemp -d /tmp/emsecd-it.XXXXXX)
PIDS=()
DPID=
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    # case lf's processes, started by its background runner
    [ -f "$T/lf.pids" ] && while read -r p; do kill "$p" 2>/dev/null; done < "$T/lf.pids"
    [ -n "$DPID" ] && kill "$DPID" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT

# Ports: a random base so that parallel runs and other helpers do not clash;
# a base whose H.248 port is taken is skipped (bounded tries). The blocks of
# 100 lie below the kernel's ephemeral ports (ip_local_port_range): a host
# with many outgoing connections (a bench with 9000 sessions) holds most of
# those as local ports, which port_free (a connect) does not see and which
# make a listen fail with "Address already in use".
port_free() { ! (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }
EPH_LOW=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
BLOCKS=$(( (${EPH_LOW:-32768} - 20000) / 100 )); [ "$BLOCKS" -ge 8 ] || BLOCKS=400
pick_base() {
    for _ in 1 2 3 4 5 6 7 8; do
        BASE=$((20000 + (RANDOM % BLOCKS) * 100))
        port_free "$BASE" && port_free $((BASE + 10)) && port_free $((BASE + 50)) && break
    done
    H248=$BASE; CTRL=$((BASE + 1))
    # case l's daemon (H.248 on BASE+3, BASE+2 in its config file is
    # overridden by a flag) and its controller; the main daemon's metrics
    H248_2=$((BASE + 3)); CTRL2=$((BASE + 4)); MET=$((BASE + 5))
    MEDIA_MIN=$((BASE + 50)); MEDIA_MAX=$((BASE + 99))
    NEXT_PEER=$((BASE + 10))
}
# own_block VAR: for a daemon beside the main one, a block of 100 ports of
# its own in VAR (its first port): not the main daemon's, not one another
# case took (USED_BLOCKS), its ports 0, 1 and 10 free; 8 tries. Case v and
# the MSRP daemon pick theirs the same way.
USED_BLOCKS=" "
# block_daemon B CONTROLLER LOG [ARGS...]: a daemon of its own on port block B
# (H.248 on 127.0.0.1:B, media ports B+10..B+19, one worker) registering with
# CONTROLLER at once (no random wait), its log in LOG; started in the
# background, $! its PID.
block_daemon() {
    local _b=$1 _c=$2 _log=$3
    shift 3
    "$EMSECD" --listen 127.0.0.1:"$_b" --controller "$_c" --media-address 127.0.0.1 \
        --ports $((_b + 10))-$((_b + 19)) --state-dir "$T/state" --workers 1 --max-waiting-delay 0 "$@" 2>"$_log" &
}
own_block() {
    local _ob
    for _ in 1 2 3 4 5 6 7 8; do
        _ob=$((20000 + (RANDOM % BLOCKS) * 100))
        [ "$_ob" -ne "$BASE" ] && [[ "$USED_BLOCKS" != *" $_ob "* ]] && port_free "$_ob" && port_free $((_ob + 1)) &&
            port_free $((_ob + 10)) || continue
        USED_BLOCKS="$USED_BLOCKS$_ob "
        printf -v "$1" '%s' "$_ob"
        return 0
    done
    return 1
}
# peer_port VAR: the next free peer port in VAR (not $(...): a subshell
# would not advance the counter)
peer_port() { NEXT_PEER=$((NEXT_PEER + 1)); printf -v "$1" '%s' "$NEXT_PEER"; }

# The UE's own self-signed certificate and its fingerprint (RFC 8122 form).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=ue \
    -keyout "$T/ue.key" -out "$T/ue.pem" 2>/dev/null || { echo "integration: openssl req failed"; exit 1; }
UE_FP=$(openssl x509 -in "$T/ue.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
PSK=00112233445566778899aabbccddeeff
PSKID=mrfp-ticket-1

# The main daemon. port_free checks only TCP ports; the UDP H.248 port or
# the metrics port may still be taken (another run, an ephemeral port): a
# daemon that exits on a bind error is started again on another base (3
# tries). Ready is awaited until the line comes or the daemon exits (15 s at
# most: an ASan start on a loaded 2-core host can take seconds).
for try in 1 2 3; do
    pick_base
    "$EMSECD" --listen 127.0.0.1:$H248 --media-address 127.0.0.1 --ports $MEDIA_MIN-$MEDIA_MAX \
        --state-dir "$T/state" --metrics 127.0.0.1:$MET 2>"$T/emsecd.log" &
    DPID=$!
    for _ in $(seq 150); do
        grep -q "ready:" "$T/emsecd.log" 2>/dev/null && break
        kill -0 "$DPID" 2>/dev/null || break
        sleep 0.1
    done
    grep -q "ready:" "$T/emsecd.log" && break
    if ! kill -0 "$DPID" 2>/dev/null && grep -q "bind" "$T/emsecd.log" && [ "$try" -lt 3 ]; then
        wait "$DPID" 2>/dev/null; DPID=
        echo "integration: base $BASE taken ($(grep -m1 bind "$T/emsecd.log")): another base"
        continue
    fi
    echo "integration: emsecd did not start"; cat "$T/emsecd.log"; exit 1
done

# Case p's daemon registers with a controller that never answers; it runs
# alongside the other cases (its give-up takes 23.5 s), checked by case_p.
CASE_LIST="${*:2}"
[ -n "$CASE_LIST" ] || CASE_LIST="a b c d e f g h i j k l m mv n o dr dd rd ct p x y z r s t tp u v q w lf"
D3PID=
if [[ " $CASE_LIST " == *" p "* ]]; then
    "$EMSECD" --listen 127.0.0.1:$((BASE + 8)) --controller 127.0.0.1:$((BASE + 7)) \
        --ports $((BASE + 30))-$((BASE + 39)) --state-dir "$T/state3" --max-waiting-delay 2000 2>"$T/p3.log" &
    D3PID=$!; PIDS+=("$D3PID")
fi

# Descriptors of a daemon, pipes apart: emsecd keeps up to 32 emptied
# splice pipes (64 descriptors) for reuse (adapters/emsecd/splice.c), so a
# leak check counts the others exactly and the pipes against that bound;
# the final check below also holds the pipes to the pool's own count.
fds_of() { ls -l /proc/"$1"/fd | grep -c -- '-> ' | { read -r all; echo $((all - $(pipes_of "$1"))); }; }
pipes_of() { ls -l /proc/"$1"/fd | grep -c -- '-> pipe:'; }
PIPE_FDS_MAX=64
FDS_START=$(fds_of "$DPID")
PIPES_START=$(pipes_of "$DPID")   # stdin, when the suite's own is a pipe
TID=0
# msg FILE VAR=VALUE...: the scenario with its @VAR@ filled, in $T/msg.h248
msg() {
    local f=$1; shift
    TID=$((TID + 1))
    local s="s|@CTRL_PORT@|$CTRL|g; s|@TID@|$TID|g"
    for kv in "$@"; do s="$s; s|@${kv%%=*}@|${kv#*=}|g"; done
    s="$s; s|@UE_HASH@|sha-256|g" # the default, after any given value
    sed -e "$s" "$SCN/$f" > "$T/msg.h248"
}
# send FILE VAR=VALUE...: to emsecd from the controller port, reply on stdout
send() { msg "$@"; "$BIN/h248send" --bind $CTRL 127.0.0.1:$H248 "$T/msg.h248"; }
ctx_of() { sed -n 's/^ *Context = \([0-9][0-9]*\).*/\1/p' "$1" | head -1; }
port_of() { sed -n 's/^m=message \([0-9][0-9]*\) .*/\1/p' "$1" | sed -n "${2:-1}p"; }
term_of() { sed -n 's/^ *Add = \(tcp\/[0-9][0-9]*\).*/\1/p' "$1" | sed -n "${2:-1}p"; }
wait_for() { # FILE PATTERN: up to 5 s
    for _ in $(seq 50); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1
}
# setup_e2ae SENDER TAG CORE_PORT UE_SCENARIO VAR=VALUE...: the e2ae session
# most cases start from, over H.248: the UE leg Added from UE_SCENARIO
# (add_ue_tls.h248, add_ue_psk.h248, ...) filled with VAR=VALUE, a plain
# core leg Added in the same context (add_core_plain.h248), then a Modify
# giving the core leg its Remote 127.0.0.1:CORE_PORT. The gateway connects
# to CORE_PORT when that Modify arrives: the core peer must listen before
# this is called. An empty CORE_PORT leaves the Modify to the caller, for a
# core peer that needs the Adds' replies before it can start (msrp_call's
# checks the gateway's a=path). SENDER: send (the main daemon) or msrp_send
# (the --msrp-aware one). Replies in $T/TAG.r1 (UE Add), .r2 (core Add),
# .r3 (Modify). Sets E2AE_CTX, E2AE_GW (the gateway's port on the UE leg),
# E2AE_T1 (UE termination), E2AE_T2 (core termination); returns 1 with
# E2AE_WHY when a request got no reply (the case then fails with it).
setup_e2ae() {
    local sender=$1 tag=$2 cp=$3 ue=$4; shift 4
    E2AE_CTX=; E2AE_GW=; E2AE_T1=; E2AE_T2=; E2AE_WHY=
    "$sender" "$ue" "$@" > "$T/$tag.r1" || { E2AE_WHY="no reply to Add"; return 1; }
    E2AE_CTX=$(ctx_of "$T/$tag.r1"); E2AE_GW=$(port_of "$T/$tag.r1"); E2AE_T1=$(term_of "$T/$tag.r1")
    "$sender" add_core_plain.h248 CTX="$E2AE_CTX" > "$T/$tag.r2" || { E2AE_WHY="no reply to Add core"; return 1; }
    E2AE_T2=$(term_of "$T/$tag.r2")
    [ -n "$cp" ] || return 0
    "$sender" modify_core_remote.h248 CTX="$E2AE_CTX" TERM="$E2AE_T2" CORE_PORT="$cp" > "$T/$tag.r3" ||
        { E2AE_WHY="no reply to Modify"; return 1; }
}

FAILS=0
# What case n may check of the cases before it: only what a case that
# passed left behind (a failed case is reported once, by itself)
A_PASSED=0; B_PASSED=0; PSK_WRONG_PASSED=0
# wait_listen PORT...: up to 10 s until 127.0.0.1:PORT has a listening socket,
# read from /proc/net/tcp (state 0A): probing with a connect would be taken
# by s_server -naccept 1 as its one client. A fixed sleep was not enough
# under load (the gateway's connect was refused).
wait_listen() {
    local p hex i
    for p in "$@"; do
        hex=$(printf '%04X' "$p")
        for i in $(seq 200); do
            awk -v h=":$hex" '$2 ~ (h "$") && $4 == "0A" {f = 1} END {exit !f}' \
                /proc/net/tcp /proc/net/tcp6 2>/dev/null && break
            [ "$i" -eq 200 ] && return 1
            sleep 0.05
        done
    done
    return 0
}
ok() { echo "ok   - $1"; }
fail() { echo "FAIL - $1: $2"; FAILS=$((FAILS + 1)); }
payload() { head -c "$2" /dev/urandom | base64 -w 76 > "$1"; }

# ---------------------------------------------------------------- (a)
# e2ae MSRP, the UE active (TLS client, s_client) -> gateway TLS server,
# plain TCP to the core peer. 6 MB (more than the kernel's 4 MB send buffer)
# typed on the UE side arrive unchanged at a slow-reading core peer (the
# relay must hold the UE back), and back.
case_a() {
    local name="e2ae MSRP, UE active: s_client -> TLS server | plain TCP -> core peer"
    local cp; peer_port cp
    payload "$T/a.in" 4500000
    local n; n=$(stat -c %s "$T/a.in")
    http_get $MET /metrics "$T/a.m0" # counters before and after: case n checks the difference
    "$BIN/tcp_peer" listen "$cp" --echo --out "$T/a.core" --expect "$n" --timeout 40000 --read-delay 3 \
        2>"$T/a.peer.log" &
    local tp=$!; PIDS+=("$tp")
    wait_listen "$cp" || { fail "$name" "peer not listening on $cp"; return; }
    setup_e2ae send a "$cp" add_ue_tls.h248 UE_PORT=7394 UE_SETUP=active UE_FP="$UE_FP" || { fail "$name" "$E2AE_WHY"; return; }
    local ctx=$E2AE_CTX gw=$E2AE_GW t1=$E2AE_T1
    timeout 25 openssl s_client -connect 127.0.0.1:"$gw" -cert "$T/ue.pem" -key "$T/ue.key" -quiet -nocommands \
        < "$T/a.in" > "$T/a.ue" 2>"$T/a.sc.log"
    local sc=$?
    wait "$tp"; local pr=$?
    local own; own=$(openssl x509 -in "$T/state/cert.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
    send subtract_all.h248 CTX="$ctx" > /dev/null
    http_get $MET /metrics "$T/a.m1"
    if [ "$sc" -ne 0 ] || [ "$pr" -ne 0 ]; then fail "$name" "s_client rc $sc, tcp_peer rc $pr"; return; fi
    cmp -s "$T/a.in" "$T/a.core" || { fail "$name" "bytes at the core peer differ"; return; }
    cmp -s "$T/a.in" "$T/a.ue" || { fail "$name" "bytes echoed to the UE differ"; return; }
    grep -q "a=fingerprint:sha-256 $own" "$T/a.r1" || { fail "$name" "Local fingerprint is not the state dir certificate's"; return; }
    local pauses; pauses=$(sed -n "s|.*term=$t1 closed (.*, \([0-9]*\) pauses.*|\1|p" "$T/emsecd.log")
    [ "${pauses:-0}" -gt 0 ] || { fail "$name" "the UE side was never held back (backpressure not exercised)"; return; }
    # each line of a leg names its context and termination (docs/emsecd.md)
    grep -q "^emsecd: t=[0-9]* ctx=$ctx term=$t1 event tls-established" "$T/emsecd.log" ||
        { fail "$name" "no 'ctx=$ctx term=$t1' line for the handshake: $(grep -m1 "term=$t1 event" "$T/emsecd.log")"; return; }
    A_PASSED=1
    ok "$name ($n bytes each way, byte-exact, UE held back $pauses times)"
}

# ---------------------------------------------------------------- (b)
# Fingerprint mismatch: the Remote a=fingerprint is not the UE's: the
# handshake completes at the TLS level, the core refuses the certificate,
# the TCP connection is closed, tlsbsc/ef cause fingerprint is notified.
case_b() {
    local name="fingerprint mismatch: TCP closed, Notify tlsbsc/ef cause fingerprint"
    local bad; bad="${UE_FP%??}$( [ "${UE_FP: -2}" = "00" ] && echo 01 || echo 00 )"
    msg add_ue_tls.h248 UE_PORT=7394 UE_SETUP=active UE_FP="$bad"
    "$BIN/h248send" --bind $CTRL --wait-notify 10000 127.0.0.1:$H248 "$T/msg.h248" > "$T/b.out" &
    local hp=$!; PIDS+=("$hp")
    wait_for "$T/b.out" "^m=message" || { fail "$name" "no reply to Add"; return; }
    local ctx gw; ctx=$(ctx_of "$T/b.out"); gw=$(port_of "$T/b.out")
    timeout 10 openssl s_client -connect 127.0.0.1:"$gw" -cert "$T/ue.pem" -key "$T/ue.key" -quiet -nocommands \
        < /dev/null > /dev/null 2>"$T/b.sc.log"
    local sc=$?
    wait "$hp"; local hr=$?
    send subtract_all.h248 CTX="$ctx" > /dev/null
    [ "$sc" -ne 124 ] || { fail "$name" "the gateway kept the connection open"; return; }
    [ "$hr" -eq 0 ] || { fail "$name" "no Notify (h248send rc $hr)"; return; }
    grep -q "tlsbsc/ef *{ *cause *= *fingerprint" "$T/b.out" || { fail "$name" "Notify without tlsbsc/ef cause fingerprint"; return; }
    B_PASSED=1
    ok "$name"
}

# ---------------------------------------------------------------- (c)
# e2ae, the UE passive: the gateway connects to s_server and is TLS client;
# s_server asks for the gateway's certificate (RFC 8122). What the UE sends
# reaches the core peer, which echoes it back.
case_c() {
    local name="e2ae MSRP, UE passive: gateway TLS client -> s_server | plain TCP -> core peer"
    local up cp; peer_port up; peer_port cp
    payload "$T/c.in" 20000
    local n; n=$(stat -c %s "$T/c.in")
    # s_server ends the session when its stdin ends: feed it through a FIFO
    # held open until the gateway has closed the session
    mkfifo "$T/c.fifo"
    timeout 25 openssl s_server -accept 127.0.0.1:"$up" -cert "$T/ue.pem" -key "$T/ue.key" -Verify 1 -naccept 1 \
        -quiet < "$T/c.fifo" > "$T/c.ue" 2>"$T/c.ss.log" &
    local sp=$!; PIDS+=("$sp")
    exec 4>"$T/c.fifo"
    cat "$T/c.in" >&4
    "$BIN/tcp_peer" listen "$cp" --echo --out "$T/c.core" --expect "$n" --timeout 20000 2>"$T/c.peer.log" &
    local tp=$!; PIDS+=("$tp")
    wait_listen "$up" "$cp" || { fail "$name" "peer not listening on $up $cp"; return; }
    setup_e2ae send c "$cp" add_ue_tls.h248 UE_PORT="$up" UE_SETUP=passive UE_FP="$UE_FP" || { fail "$name" "$E2AE_WHY"; return; }
    local ctx=$E2AE_CTX
    wait "$tp"; local pr=$?
    wait "$sp"; local sr=$?
    exec 4>&-
    send subtract_all.h248 CTX="$ctx" > /dev/null
    [ "$pr" -eq 0 ] || { fail "$name" "tcp_peer rc $pr"; return; }
    cmp -s "$T/c.in" "$T/c.core" || { fail "$name" "bytes at the core peer differ"; return; }
    cmp -s "$T/c.in" "$T/c.ue" || { fail "$name" "bytes echoed to the UE differ (s_server rc $sr)"; return; }
    ok "$name ($n bytes each way)"
}

# ---------------------------------------------------------------- (d)
# Transparent forwarding (e2e): no certificate at the gateway; the UE's TLS
# session runs end to end between s_client and s_server through FWD_PLAIN.
case_d() {
    local name="transparent: s_client <-> gateway (plain relay) <-> s_server, TLS end to end"
    local sp_port; peer_port sp_port
    http_get $MET /metrics "$T/d.m0" || { fail "$name" "no metrics on 127.0.0.1:$MET"; return; }
    local l0; l0=$(wc -l < "$T/emsecd.log") # this case's log lines come after
    # both ends read their stdin from a FIFO the script holds open: each
    # ends its side when the script closes it, not on a timer
    mkfifo "$T/d.sfifo" "$T/d.cfifo"
    timeout 20 openssl s_server -accept 127.0.0.1:"$sp_port" -cert "$T/ue.pem" -key "$T/ue.key" -naccept 1 \
        < "$T/d.sfifo" > "$T/d.srv" 2>"$T/d.ss.log" &
    local sp=$!; PIDS+=("$sp")
    exec 6>"$T/d.sfifo"
    printf 'from the core side\n' >&6
    wait_listen "$sp_port" || { fail "$name" "peer not listening on $sp_port"; return; }
    send add_transparent.h248 UE_FP="$UE_FP" CORE_PORT="$sp_port" > "$T/d.r1" || { exec 6>&-; fail "$name" "no reply to Add"; return; }
    local ctx gw; ctx=$(ctx_of "$T/d.r1"); gw=$(port_of "$T/d.r1" 1)
    timeout 20 openssl s_client -connect 127.0.0.1:"$gw" -nocommands < "$T/d.cfifo" > "$T/d.cli" 2>"$T/d.sc.log" &
    local cp=$!; PIDS+=("$cp")
    exec 7>"$T/d.cfifo"
    printf 'from the UE side\n' >&7
    wait_for "$T/d.srv" "from the UE side"; wait_for "$T/d.cli" "from the core side"
    exec 7>&-   # s_client ends the session at the end of its input
    wait "$cp"
    exec 6>&-
    wait "$sp"
    send subtract_all.h248 CTX="$ctx" > /dev/null
    grep -q "from the UE side" "$T/d.srv" || { fail "$name" "s_server did not get the UE's bytes"; return; }
    grep -q "from the core side" "$T/d.cli" || { fail "$name" "s_client did not get the server's bytes"; return; }
    grep -q "CN *= *ue" "$T/d.cli" || { fail "$name" "s_client did not see s_server's certificate"; return; }
    ! grep -q "a=fingerprint" "$T/d.r1" || { fail "$name" "the gateway offered its own certificate"; return; }
    # every byte of it went socket -> pipe -> socket (adapters/emsecd/splice.c)
    http_get $MET /metrics "$T/d.m1" || { fail "$name" "no metrics on 127.0.0.1:$MET"; return; }
    local k='emsecd_relay_bytes_total{direction="rx",leg="plain"}' sk='emsecd_relay_spliced_bytes_total'
    local rx spliced; rx=$(metric_delta d "$k"); spliced=$(metric_delta d "$sk")
    # what a leg read after the other was closed had nowhere to go (a
    # close_notify that came last, say): read and dropped, not spliced
    local dropped=0 t n
    tail -n +$((l0 + 1)) "$T/emsecd.log" > "$T/d.log"
    for t in $(sed -n 's/^ *Add = \([^ {]*\).*/\1/p' "$T/d.r1"); do
        n=$(sed -n "s|.*term=$t closed (.*, \([0-9]*\) dropped.*|\1|p" "$T/d.log")
        [ -n "$n" ] || { fail "$name" "$t not closed after the Subtract"; return; }
        dropped=$((dropped + n))
    done
    [ "$rx" -gt 0 ] && [ "$spliced" -eq $((rx - dropped)) ] ||
        { fail "$name" "$rx bytes read, $dropped dropped (other leg gone), $spliced spliced (all the others expected)"; return; }
    ok "$name ($rx bytes, $spliced spliced, $dropped read after the other leg closed)"
}

# ---------------------------------------------------------------- (e)
# MRFP TLS-PSK (RFC 4279): the right key in TLS 1.3 (external PSK) and in
# TLS 1.2 (PSK suites) relays; a wrong key fails with tlsbsc/ef cause psk.
psk_right() { # VERSIONFLAG LABEL
    local name="PSK, right key, $2"
    local cp; peer_port cp
    payload "$T/e.in" 5000
    local n; n=$(stat -c %s "$T/e.in")
    "$BIN/tcp_peer" listen "$cp" --echo --out "$T/e.core" --expect "$n" --timeout 15000 2>"$T/e.peer.log" &
    local tp=$!; PIDS+=("$tp")
    wait_listen "$cp" || { fail "$name" "peer not listening on $cp"; return; }
    setup_e2ae send e "$cp" add_ue_psk.h248 PSK=$PSK PSKID=$PSKID UE_PORT=7394 UE_SETUP=active ||
        { fail "$name" "$E2AE_WHY"; return; }
    local ctx=$E2AE_CTX gw=$E2AE_GW
    timeout 20 openssl s_client -connect 127.0.0.1:"$gw" $1 -psk $PSK -psk_identity $PSKID -quiet -nocommands \
        < "$T/e.in" > "$T/e.ue" 2>"$T/e.sc.log"
    local sc=$?
    wait "$tp"; local pr=$?
    send subtract_all.h248 CTX="$ctx" > /dev/null
    [ "$sc" -eq 0 ] && [ "$pr" -eq 0 ] || { fail "$name" "s_client rc $sc, tcp_peer rc $pr"; return; }
    cmp -s "$T/e.in" "$T/e.core" && cmp -s "$T/e.in" "$T/e.ue" || { fail "$name" "bytes differ"; return; }
    ok "$name ($n bytes each way)"
}
psk_wrong() { # VERSIONFLAG LABEL KEY ID
    local name="PSK, wrong $5, $2: Notify tlsbsc/ef cause psk"
    msg add_ue_psk.h248 PSK=$PSK PSKID=$PSKID UE_PORT=7394 UE_SETUP=active
    rm -f "$T/f.out" # wait_for below must not find the previous call's reply
    "$BIN/h248send" --bind $CTRL --wait-notify 10000 127.0.0.1:$H248 "$T/msg.h248" > "$T/f.out" &
    local hp=$!; PIDS+=("$hp")
    wait_for "$T/f.out" "^m=message" || { fail "$name" "no reply to Add"; return; }
    local ctx gw; ctx=$(ctx_of "$T/f.out"); gw=$(port_of "$T/f.out")
    timeout 10 openssl s_client -connect 127.0.0.1:"$gw" $1 -psk "$3" -psk_identity "$4" -quiet -nocommands \
        < /dev/null > /dev/null 2>"$T/f.sc.log"
    local sc=$?
    wait "$hp"; local hr=$?
    send subtract_all.h248 CTX="$ctx" > /dev/null
    [ "$sc" -ne 0 ] && [ "$sc" -ne 124 ] || { fail "$name" "s_client rc $sc (expected a failed handshake)"; return; }
    # s_client's first error line says whether the handshake ran at all
    # (connect refused: the gateway was not listening when it connected)
    [ "$hr" -eq 0 ] || { fail "$name" "no Notify (h248send rc $hr); s_client: $(grep -m1 -i 'errno\|error\|alert' "$T/f.sc.log")"; return; }
    grep -q "tlsbsc/ef *{ *cause *= *psk" "$T/f.out" || { fail "$name" "Notify without cause psk: $(grep -A1 tlsbsc "$T/f.out" | tr -d '\n')"; return; }
    PSK_WRONG_PASSED=$((PSK_WRONG_PASSED + 1))
    ok "$name"
}

# ---------------------------------------------------------------- (f)
# Secure renegotiation (RFC 5746) from s_client in TLS 1.2 (its "R"
# command): reported to the core, accepted, the relay goes on after it.
case_f() {
    local name="secure renegotiation from s_client (TLS 1.2): accepted, relay goes on"
    local cp; peer_port cp
    "$BIN/tcp_peer" listen "$cp" --echo --out "$T/f.core" --expect 25 --timeout 15000 2>"$T/f.peer.log" &
    local tp=$!; PIDS+=("$tp")
    wait_listen "$cp" || { fail "$name" "peer not listening on $cp"; return; }
    setup_e2ae send f "$cp" add_ue_tls.h248 UE_PORT=7394 UE_SETUP=active UE_FP="$UE_FP" || { fail "$name" "$E2AE_WHY"; return; }
    local ctx=$E2AE_CTX gw=$E2AE_GW t1=$E2AE_T1
    # without -quiet, s_client reads "R" as "renegotiate" and ends at EOF
    (printf 'before renegotiation\n'; sleep 1; printf 'R\n'; sleep 1; printf 'aft\n'; sleep 2) |
        timeout 15 openssl s_client -connect 127.0.0.1:"$gw" -tls1_2 -cert "$T/ue.pem" -key "$T/ue.key" \
        > "$T/f.ue" 2>"$T/f.sc.log"
    wait "$tp"; local pr=$?
    send subtract_all.h248 CTX="$ctx" > /dev/null
    grep -q "RENEGOTIATING" "$T/f.ue" "$T/f.sc.log" || { fail "$name" "s_client did not renegotiate"; return; }
    grep -q "term=$t1 tls renegotiation asked (secure)" "$T/emsecd.log" || { fail "$name" "not reported to the core"; return; }
    grep -q "term=$t1 action reneg-accept" "$T/emsecd.log" || { fail "$name" "the core did not accept it"; return; }
    grep -q "term=$t1 tls peer certificate after renegotiation: unchanged" "$T/emsecd.log" || { fail "$name" "renegotiation did not complete"; return; }
    [ "$pr" -eq 0 ] && [ "$(cat "$T/f.core")" = "$(printf 'before renegotiation\naft')" ] ||
        { fail "$name" "bytes after the renegotiation did not arrive (tcp_peer rc $pr)"; return; }
    grep -q "^aft" "$T/f.ue" || { fail "$name" "echo after the renegotiation missing"; return; }
    ok "$name"
}

# ---------------------------------------------------------------- (g)
# Insecure renegotiation: gnutls-cli with %DISABLE_SAFE_RENEGOTIATION (no
# RFC 5746 renegotiation_info) rehandshakes on a relaying session: refused,
# the session ends, Notify tlsbsc/ef cause renegotiation.
case_g() {
    local name="insecure renegotiation from gnutls-cli: refused, Notify tlsbsc/ef cause renegotiation"
    command -v gnutls-cli >/dev/null || { fail "$name" "gnutls-cli (Debian package gnutls-bin) missing"; return; }
    local cp; peer_port cp
    "$BIN/tcp_peer" listen "$cp" --echo --timeout 15000 2>"$T/g.peer.log" &
    local tp=$!; PIDS+=("$tp")
    wait_listen "$cp" || { fail "$name" "peer not listening on $cp"; return; }
    setup_e2ae send g "$cp" add_ue_tls.h248 UE_PORT=7394 UE_SETUP=active UE_FP="$UE_FP" || { fail "$name" "$E2AE_WHY"; return; }
    local ctx=$E2AE_CTX gw=$E2AE_GW t1=$E2AE_T1
    # the last request before the event: its sender receives the Notify
    msg audit_term.h248 CTX="$ctx" TERM="$t1"
    "$BIN/h248send" --bind $CTRL --wait-notify 10000 127.0.0.1:$H248 "$T/msg.h248" > "$T/g.out" &
    local hp=$!; PIDS+=("$hp")
    wait_for "$T/g.out" "AuditValue" || { fail "$name" "no reply to AuditValue"; return; }
    timeout 10 gnutls-cli --insecure --rehandshake -p "$gw" \
        --priority "NORMAL:-VERS-ALL:+VERS-TLS1.2:%DISABLE_SAFE_RENEGOTIATION" \
        --x509certfile "$T/ue.pem" --x509keyfile "$T/ue.key" 127.0.0.1 < /dev/null > "$T/g.cli" 2>&1
    wait "$hp"; local hr=$?
    kill "$tp" 2>/dev/null; wait "$tp" 2>/dev/null
    send subtract_all.h248 CTX="$ctx" > /dev/null
    grep -q "term=$t1 tls renegotiation asked (insecure)" "$T/emsecd.log" || { fail "$name" "not reported to the core as insecure"; return; }
    grep -q "term=$t1 action reneg-refuse" "$T/emsecd.log" || { fail "$name" "the core did not refuse it"; return; }
    [ "$hr" -eq 0 ] && grep -q "tlsbsc/ef *{ *cause *= *renegotiation" "$T/g.out" ||
        { fail "$name" "no Notify tlsbsc/ef cause renegotiation (h248send rc $hr)"; return; }
    ok "$name"
}

# ---------------------------------------------------------------- (h)
# A UE that connects and never says ClientHello: the core's handshake timer
# (emsec_mg_next_deadline, 10 s) expires in the loop: the connection is
# closed and tlsbsc/ef notified.
case_h() {
    local name="handshake timer: silent UE closed after the core's deadline, Notify tlsbsc/ef"
    msg add_ue_tls.h248 UE_PORT=7394 UE_SETUP=active UE_FP="$UE_FP"
    "$BIN/h248send" --bind $CTRL --wait-notify 16000 127.0.0.1:$H248 "$T/msg.h248" > "$T/h.out" &
    local hp=$!; PIDS+=("$hp")
    wait_for "$T/h.out" "^m=message" || { fail "$name" "no reply to Add"; return; }
    local ctx gw; ctx=$(ctx_of "$T/h.out"); gw=$(port_of "$T/h.out")
    local t0; t0=$(date +%s)
    "$BIN/tcp_peer" connect "$gw" --timeout 16000 2>"$T/h.peer.log"
    local pr=$? el=$(( $(date +%s) - t0 ))
    wait "$hp"; local hr=$?
    send subtract_all.h248 CTX="$ctx" > /dev/null
    [ "$pr" -eq 0 ] || { fail "$name" "the gateway did not close the connection (tcp_peer rc $pr)"; return; }
    [ "$el" -ge 9 ] || { fail "$name" "closed after ${el} s, before the 10 s timer"; return; }
    [ "$hr" -eq 0 ] && grep -q "tlsbsc/ef *{ *cause *= *timeout" "$T/h.out" ||
        { fail "$name" "no Notify tlsbsc/ef cause timeout: $(grep -A1 ObservedEvents "$T/h.out" | tr -d '\n')"; return; }
    ok "$name (${el} s)"
}

# The gateway as PSK client: the UE passive, s_server -psk.
psk_client() { # VERSIONFLAG LABEL
    local name="PSK, gateway TLS client -> s_server -psk, $2"
    local up cp; peer_port up; peer_port cp
    payload "$T/p.in" 3000
    local n; n=$(stat -c %s "$T/p.in")
    rm -f "$T/p.fifo"; mkfifo "$T/p.fifo"
    timeout 20 openssl s_server -accept 127.0.0.1:"$up" $1 -nocert -psk $PSK -psk_identity $PSKID -naccept 1 \
        -quiet < "$T/p.fifo" > "$T/p.ue" 2>"$T/p.ss.log" &
    local sp=$!; PIDS+=("$sp")
    exec 5>"$T/p.fifo"
    cat "$T/p.in" >&5
    "$BIN/tcp_peer" listen "$cp" --echo --out "$T/p.core" --expect "$n" --timeout 15000 2>"$T/p.peer.log" &
    local tp=$!; PIDS+=("$tp")
    wait_listen "$up" "$cp" || { fail "$name" "peer not listening on $up $cp"; return; }
    setup_e2ae send p "$cp" add_ue_psk.h248 PSK=$PSK PSKID=$PSKID UE_PORT="$up" UE_SETUP=passive ||
        { exec 5>&-; fail "$name" "$E2AE_WHY"; return; }
    local ctx=$E2AE_CTX
    wait "$tp"; local pr=$?
    wait "$sp"
    exec 5>&-
    send subtract_all.h248 CTX="$ctx" > /dev/null
    [ "$pr" -eq 0 ] || { fail "$name" "tcp_peer rc $pr"; return; }
    cmp -s "$T/p.in" "$T/p.core" && cmp -s "$T/p.in" "$T/p.ue" || { fail "$name" "bytes differ"; return; }
    ok "$name ($n bytes each way)"
}

# ---------------------------------------------------------------- (i)
# The core peer resets mid-transfer: RESET reported on the core leg, which
# the core closes; the UE leg stays up until the controller's Subtract,
# which ends it with close_notify (tests/traces/peer_reset.trace).
case_i() {
    local name="core peer resets mid-transfer: reset reported, UE leg ended by Subtract"
    local cp; peer_port cp
    payload "$T/i.in" 200000
    "$BIN/tcp_peer" listen "$cp" --reset-after 50000 --timeout 15000 2>"$T/i.peer.log" &
    local tp=$!; PIDS+=("$tp")
    wait_listen "$cp" || { fail "$name" "peer not listening on $cp"; return; }
    setup_e2ae send i "$cp" add_ue_tls.h248 UE_PORT=7394 UE_SETUP=active UE_FP="$UE_FP" || { fail "$name" "$E2AE_WHY"; return; }
    local ctx=$E2AE_CTX gw=$E2AE_GW t1=$E2AE_T1 t2=$E2AE_T2
    timeout 15 openssl s_client -connect 127.0.0.1:"$gw" -cert "$T/ue.pem" -key "$T/ue.key" -quiet -nocommands \
        < "$T/i.in" > /dev/null 2>"$T/i.sc.log" &
    local sc=$!; PIDS+=("$sc")
    wait "$tp"
    wait_for "$T/emsecd.log" "term=$t2 event reset" || { kill "$sc" 2>/dev/null; fail "$name" "no reset event on $t2"; return; }
    grep -q "term=$t2 action close" "$T/emsecd.log" || { kill "$sc" 2>/dev/null; fail "$name" "the core did not close $t2"; return; }
    grep -q "term=$t1 closed" "$T/emsecd.log" && { kill "$sc" 2>/dev/null; fail "$name" "the UE leg was closed before the Subtract"; return; }
    send subtract_all.h248 CTX="$ctx" > "$T/i.r4"
    wait "$sc"; local sr=$?
    grep -q "term=$t1 action tls-close" "$T/emsecd.log" || { fail "$name" "Subtract did not close TLS on $t1"; return; }
    [ "$sr" -ne 124 ] || { fail "$name" "s_client still connected after the Subtract"; return; }
    ok "$name"
}

# ---------------------------------------------------------------- (j)
# A datagram that is not H.248 gets an Error reply (H.248.8 400), not
# silence, and the daemon goes on.
case_j() {
    local name="garbage on the H.248 port: Error 400 reply"
    send garbage.h248 > "$T/j.out" || { fail "$name" "no reply"; return; }
    grep -q "Error = 400" "$T/j.out" || { fail "$name" "reply without Error 400: $(head -3 "$T/j.out" | tr -d '\n')"; return; }
    ok "$name"
}

case_e() {
    psk_right "" "TLS 1.3"
    psk_right "-tls1_2" "TLS 1.2"
    psk_client "" "TLS 1.3"
    psk_client "-tls1_2" "TLS 1.2"
    psk_wrong "-tls1_2" "TLS 1.2" ffeeddccbbaa99887766554433221100 $PSKID key
    psk_wrong "" "TLS 1.3" ffeeddccbbaa99887766554433221100 $PSKID key
    psk_wrong "-tls1_2" "TLS 1.2" $PSK someone-else identity
    psk_wrong "" "TLS 1.3" $PSK someone-else identity
}

START=$(date +%s)
# run.sh EMSECD [a b ...]: only the cases named (debugging); all by default
shift
# ---------------------------------------------------------------- (k)
# The Remote names sha-512 only: the gateway digests the UE's certificate
# with sha-512 (RFC 8122 §5: the hash the line names) and accepts it; no
# tlsbsc/ef, the TLS connection stays up until the test ends it.
case_k() {
    local name="fingerprint in sha-512 only: digested with sha-512, accepted"
    local fp512; fp512=$(openssl x509 -in "$T/ue.pem" -noout -fingerprint -sha512 | sed 's/.*=//')
    msg add_ue_tls.h248 UE_PORT=7396 UE_SETUP=active UE_HASH=sha-512 UE_FP="$fp512"
    "$BIN/h248send" --bind $CTRL --wait-notify 4000 127.0.0.1:$H248 "$T/msg.h248" > "$T/k.out" &
    local hp=$!; PIDS+=("$hp")
    wait_for "$T/k.out" "^m=message" || { fail "$name" "no reply to Add"; return; }
    local ctx gw; ctx=$(ctx_of "$T/k.out"); gw=$(port_of "$T/k.out")
    sleep 6 | timeout 3 openssl s_client -connect 127.0.0.1:"$gw" -cert "$T/ue.pem" -key "$T/ue.key" -quiet \
        -nocommands > /dev/null 2>"$T/k.sc.log"
    local sc=$?
    wait "$hp" || true # a Notify may come (tcpbcc/rel when s_client ends)
    send subtract_all.h248 CTX="$ctx" > /dev/null
    [ "$sc" -eq 124 ] || { fail "$name" "the gateway ended the connection (s_client rc $sc)"; return; }
    ! grep -q "tlsbsc/ef" "$T/k.out" || { fail "$name" "refused: $(grep -o 'tlsbsc/ef[^}]*' "$T/k.out")"; return; }
    local tk; tk=$(term_of "$T/k.out")
    grep -q "term=$tk event tls-established -> OK" "$T/emsecd.log" ||
        { fail "$name" "no TLS established on $tk in the log"; return; }
    ok "$name"
}

# ---------------------------------------------------------------- (l)
# --controller and --config: a second daemon, configured by a file (a flag
# overriding its listen address), registers with the controller
# (h248send --serve): ServiceChange Restart 901, the first send left
# unanswered so that it must be retransmitted with the same TransactionID.
# Notify goes to the controller, not to the sender of the Add. The
# controller answers the repeated Restart and the Notify as one that takes
# its time (h248send --pending): TransactionPending, then the Reply with
# ImmAckRequired, which the gateway must confirm at once with a
# TransactionResponseAck naming the TransactionID (RFC 3525 D.1.4). SIGTERM
# releases the live TLS session (close_notify, TCP closed) and sends
# ServiceChange Forced 905 to the controller, whose reply ends the wait;
# exit 0, no sanitizer report.
case_l() {
    local name="--controller from --config: Restart 901 retransmitted until answered, Pending + ImmAckRequired acknowledged, Notify to the controller, SIGTERM Forced 905"
    cat > "$T/l.conf" <<CONF
# emsecd test configuration
listen = 127.0.0.1:$((BASE + 2))
controller   =   127.0.0.1:$CTRL2
media-address = 127.0.0.1
ports = $((BASE + 40))-$((BASE + 49))
state-dir = $T/state2
workers = 1
max-waiting-delay = 0
CONF
    "$BIN/h248send" --serve $CTRL2 --count 1 --ignore 1 --pending --timeout 8000 > "$T/l.reg" 2>&1 &
    local sp=$!; PIDS+=("$sp")
    "$EMSECD" --config "$T/l.conf" --listen 127.0.0.1:$H248_2 2>"$T/l.log" &
    local d2=$!; PIDS+=("$d2")
    wait "$sp"; local sr=$?
    [ "$sr" -eq 0 ] || { fail "$name" "the controller got no Restart it could answer (rc $sr): $(tr '\n' ' ' < "$T/l.reg")"; return; }
    grep -q "h248 udp listening on 127.0.0.1:$H248_2" "$T/l.log" || { fail "$name" "--listen did not override the config file"; return; }
    grep -q "ready: .* workers 1," "$T/l.log" || { fail "$name" "workers = 1 from the config file not taken"; return; }
    [ "$(grep -c 'Method = Restart' "$T/l.reg")" -eq 2 ] && grep -q '901' "$T/l.reg" ||
        { fail "$name" "expected two Restart 901 requests: $(tr '\n' ' ' < "$T/l.reg")"; return; }
    [ "$(grep -c '^Transaction = ' "$T/l.reg")" -eq 2 ] && [ "$(grep '^Transaction = ' "$T/l.reg" | sort -u | wc -l)" -eq 1 ] ||
        { fail "$name" "the retransmission changed the TransactionID"; return; }
    # H.248.1 7.2.8: the registration carries a TimeStamp (yyyymmddThhmmssss, UTC)
    grep -Eq "^ *20[0-9]{6}T[0-9]{8}\$" "$T/l.reg" ||
        { fail "$name" "the Restart carries no TimeStamp: $(tr '\n' ' ' < "$T/l.reg" | head -c 300)"; return; }
    wait_for "$T/l.log" "service change Restart transaction [0-9]*: accepted" || { fail "$name" "the gateway did not see the reply"; return; }
    local rtid; rtid=$(sed -n 's/^Transaction = \([0-9]*\).*/\1/p' "$T/l.reg" | head -1)
    grep -q "service change Restart transaction $rtid: pending at the controller" "$T/l.log" ||
        { fail "$name" "the TransactionPending to the Restart was not seen"; return; }
    sed -n '/^--- ack/,$p' "$T/l.reg" | grep -q "^TransactionResponseAck { $rtid }" ||
        { fail "$name" "no TransactionResponseAck { $rtid } for the Restart's Reply: $(tr '\n' ' ' < "$T/l.reg")"; return; }
    # a Notify: fingerprint mismatch on a session set up from another port
    "$BIN/h248send" --serve $CTRL2 --count 1 --pending --timeout 10000 > "$T/l.ntf" 2>&1 &
    sp=$!; PIDS+=("$sp")
    local bad; bad="${UE_FP%??}$( [ "${UE_FP: -2}" = "00" ] && echo 01 || echo 00 )"
    msg add_ue_tls.h248 UE_PORT=7394 UE_SETUP=active UE_FP="$bad"
    "$BIN/h248send" 127.0.0.1:$H248_2 "$T/msg.h248" > "$T/l.r1" || { fail "$name" "no reply to Add"; return; }
    local gw; gw=$(port_of "$T/l.r1")
    timeout 10 openssl s_client -connect 127.0.0.1:"$gw" -cert "$T/ue.pem" -key "$T/ue.key" -quiet -nocommands \
        < /dev/null > /dev/null 2>"$T/l.sc1.log"
    wait "$sp"; sr=$?
    [ "$sr" -eq 0 ] && grep -q "tlsbsc/ef *{ *cause *= *fingerprint" "$T/l.ntf" ||
        { fail "$name" "the controller got no Notify tlsbsc/ef (rc $sr): $(tr '\n' ' ' < "$T/l.ntf")"; return; }
    local ntid; ntid=$(sed -n 's/^Transaction = \([0-9]*\).*/\1/p' "$T/l.ntf" | head -1)
    sed -n '/^--- ack/,$p' "$T/l.ntf" | grep -q "^TransactionResponseAck { $ntid }" ||
        { fail "$name" "no TransactionResponseAck { $ntid } for the Notify's Reply: $(tr '\n' ' ' < "$T/l.ntf")"; return; }
    [ "$(grep -c 'TransactionResponseAck sent for 1 transaction' "$T/l.log")" -eq 2 ] ||
        { fail "$name" "the gateway did not log both acks"; return; }
    # a live TLS session when SIGTERM comes
    "$BIN/h248send" --serve $CTRL2 --count 1 --timeout 8000 > "$T/l.stop" 2>&1 &
    sp=$!; PIDS+=("$sp")
    msg add_ue_tls.h248 UE_PORT=7394 UE_SETUP=active UE_FP="$UE_FP"
    "$BIN/h248send" 127.0.0.1:$H248_2 "$T/msg.h248" > "$T/l.r2" || { fail "$name" "no reply to the second Add"; return; }
    local t1; gw=$(port_of "$T/l.r2"); t1=$(term_of "$T/l.r2")
    sleep 8 | timeout 8 openssl s_client -connect 127.0.0.1:"$gw" -cert "$T/ue.pem" -key "$T/ue.key" -quiet \
        -nocommands > /dev/null 2>"$T/l.sc2.log" &
    local sc=$!; PIDS+=("$sc")
    wait_for "$T/l.log" "term=$t1 event tls-established -> OK" || { fail "$name" "no TLS session on $t1"; return; }
    kill -TERM "$d2"; wait "$d2"; local drc=$?
    wait "$sp"; sr=$?
    wait "$sc"; local scr=$?
    [ "$drc" -eq 0 ] && ! grep -q "Sanitizer\|runtime error" "$T/l.log" ||
        { fail "$name" "exit rc $drc: $(grep -A5 'Sanitizer\|runtime error' "$T/l.log" | head -20)"; return; }
    [ "$sr" -eq 0 ] && grep -q "Method = Forced" "$T/l.stop" && grep -q "905" "$T/l.stop" ||
        { fail "$name" "no ServiceChange Forced 905 at the controller (rc $sr)"; return; }
    sed -n '/stopping/,$p' "$T/l.log" | grep -q "term=$t1 action tls-close" ||
        { fail "$name" "SIGTERM did not send close_notify on $t1"; return; }
    grep -q "service change Forced transaction [0-9]*: accepted" "$T/l.log" || { fail "$name" "the Forced reply was not seen"; return; }
    [ "$scr" -ne 124 ] || { fail "$name" "the UE's TLS session outlived the daemon"; return; }
    ok "$name"
}

# ---------------------------------------------------------------- (m)
# H.248 over TCP with TPKT (RFC 1006): the Add's reply and the Notify come
# back on the same TCP connection (the gateway has no --controller: the last
# sender is the TCP connection); a stream that is not TPKT is closed with a
# log line; the UDP side goes on.
case_m() {
    local name="H.248 over TCP/TPKT: reply and Notify on the connection, malformed TPKT closes it"
    local bad; bad="${UE_FP%??}$( [ "${UE_FP: -2}" = "00" ] && echo 01 || echo 00 )"
    msg add_ue_tls.h248 UE_PORT=7394 UE_SETUP=active UE_FP="$bad"
    "$BIN/h248send" --tcp --wait-notify 10000 127.0.0.1:$H248 "$T/msg.h248" > "$T/m.out" &
    local hp=$!; PIDS+=("$hp")
    wait_for "$T/m.out" "^m=message" || { fail "$name" "no reply to Add over TCP"; return; }
    local ctx gw; ctx=$(ctx_of "$T/m.out"); gw=$(port_of "$T/m.out")
    timeout 10 openssl s_client -connect 127.0.0.1:"$gw" -cert "$T/ue.pem" -key "$T/ue.key" -quiet -nocommands \
        < /dev/null > /dev/null 2>"$T/m.sc.log"
    wait "$hp"; local hr=$?
    [ "$hr" -eq 0 ] && grep -q "tlsbsc/ef *{ *cause *= *fingerprint" "$T/m.out" ||
        { fail "$name" "no Notify on the TCP connection (h248send rc $hr)"; return; }
    msg subtract_all.h248 CTX="$ctx"
    # 7 bytes at a time: the TPKT header and body arrive over many reads
    "$BIN/h248send" --tcp --chunk 7 127.0.0.1:$H248 "$T/msg.h248" > "$T/m.sub" ||
        { fail "$name" "no reply to Subtract sent in 7-byte pieces over TCP"; return; }
    grep -q "Subtract" "$T/m.sub" || { fail "$name" "Subtract reply: $(head -3 "$T/m.sub" | tr '\n' ' ')"; return; }
    "$BIN/h248send" --tcp --raw --timeout 3000 127.0.0.1:$H248 "$SCN/garbage.h248"; local rr=$?
    [ "$rr" -eq 4 ] || { fail "$name" "a malformed TPKT did not close the connection (rc $rr)"; return; }
    wait_for "$T/emsecd.log" "closed: malformed TPKT header" || { fail "$name" "no log line for the malformed TPKT"; return; }
    send garbage.h248 > /dev/null || { fail "$name" "the UDP side stopped answering"; return; }
    ok "$name"
}

# ---------------------------------------------------------------- (mv)
# A Move joins legs set up in two contexts: the core leg connects while it
# is alone in its context, is then moved into the UE leg's context, and the
# UE connects. The two contexts may belong to two workers (ContextID modulo
# the workers, adapters/emsecd/dispatch.c): the FORWARD then hands the core
# leg over to the UE leg's worker, and the relay runs there. Bytes both ways
# arrive unchanged; with two workers or more the hand-over is in the log.
case_mv() {
    local name="Move across contexts: legs of two workers joined, relayed byte-exact"
    local cp_port; peer_port cp_port
    local l0; l0=$(wc -l < "$T/emsecd.log")
    payload "$T/mv.in" 300000
    local n; n=$(stat -c %s "$T/mv.in")
    "$BIN/tcp_peer" listen "$cp_port" --echo --expect "$n" --timeout 20000 2>"$T/mv.core.log" &
    local cpid=$!; PIDS+=("$cpid")
    wait_listen "$cp_port" || { fail "$name" "core peer not listening on $cp_port"; return; }
    send add_ue_plain_passive.h248 > "$T/mv.r1" || { fail "$name" "no reply to the UE leg's Add"; return; }
    local c1 gw t1; c1=$(ctx_of "$T/mv.r1"); gw=$(port_of "$T/mv.r1"); t1=$(term_of "$T/mv.r1")
    send add_core_connect.h248 CORE_PORT="$cp_port" > "$T/mv.r2" || { fail "$name" "no reply to the core leg's Add"; return; }
    local c2 t2; c2=$(ctx_of "$T/mv.r2"); t2=$(term_of "$T/mv.r2")
    [ -n "$c1" ] && [ -n "$c2" ] && [ "$c1" != "$c2" ] && [ -n "$gw" ] && [ -n "$t1" ] && [ -n "$t2" ] ||
        { fail "$name" "Add replies: contexts '$c1' '$c2', port '$gw', terminations '$t1' '$t2'"; return; }
    wait_for "$T/mv.core.log" "connection accepted" || { fail "$name" "the gateway did not connect to the core peer"; return; }
    send move_term.h248 CTX="$c1" TERM="$t2" > "$T/mv.r3" || { fail "$name" "no reply to Move"; return; }
    grep -q "Move = $t2" "$T/mv.r3" && ! grep -q "Error" "$T/mv.r3" || { fail "$name" "Move refused: $(tr '\n' ' ' < "$T/mv.r3")"; return; }
    timeout 25 "$BIN/tcp_peer" connect "$gw" --send "$T/mv.in" --out "$T/mv.out" --expect "$n" --timeout 20000 \
        2>"$T/mv.ue.log"
    local urc=$?
    wait "$cpid"; local crc=$?
    send subtract_all.h248 CTX="$c1" > /dev/null
    [ "$urc" = 0 ] && [ "$crc" = 0 ] || { fail "$name" "peers rc UE $urc core $crc: $(tail -1 "$T/mv.ue.log") / $(tail -1 "$T/mv.core.log")"; return; }
    cmp -s "$T/mv.in" "$T/mv.out" || { fail "$name" "the echo differs from what the UE sent"; return; }
    local workers; workers=$(sed -n 's/.*ready: .*workers \([0-9][0-9]*\),.*/\1/p' "$T/emsecd.log" | head -1)
    local how="one worker"
    if [ "${workers:-1}" -ge 2 ] && [ $((c1 % workers)) != $((c2 % workers)) ]; then
        tail -n +"$((l0 + 1))" "$T/emsecd.log" | grep -q "term=$t2 handed over to worker $((c1 % workers))" &&
            tail -n +"$((l0 + 1))" "$T/emsecd.log" | grep -q "term=$t2 taken over by worker $((c1 % workers))" ||
            { fail "$name" "contexts $c1 and $c2 on workers $((c1 % workers)) and $((c2 % workers)), no hand-over logged"; return; }
        how="core leg handed from worker $((c2 % workers)) to $((c1 % workers))"
    fi
    ok "$name ($n bytes each way, contexts $c1 and $c2, $how)"
}

# ---------------------------------------------------------------- (n)
# Prometheus counters (GET /metrics on --metrics) after the cases above:
# requests by transport, handshakes, bytes relayed (case a's 6 MB each way
# when it ran), actions; no session left; the PSK never appears; any other
# path is 404. Fetched with bash's /dev/tcp (no curl needed).
http_get() { # PORT PATH OUT
    exec 8<>/dev/tcp/127.0.0.1/"$1" || return 1
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&8
    timeout 5 cat <&8 > "$3"; local rc=$?
    exec 8>&-
    return $rc
}
metric() { sed -n "s/^$2 \([0-9][0-9]*\)\r*$/\1/p" "$1"; }
# metric_delta TAG KEY: KEY's growth from $T/TAG.m0 to $T/TAG.m1 (a case's
# metrics read before and after it)
metric_delta() { echo $(( $(metric "$T/$1.m1" "$2") - $(metric "$T/$1.m0" "$2") )); }
case_n() {
    local name="metrics: Prometheus text on GET /metrics, 404 elsewhere, no key"
    # a case that failed before may have left a session up or been cut short:
    # its own FAIL line said so; n checks what the passed cases left, and
    # names the earlier failures where a count of its own could be theirs
    local before=""
    [ "$FAILS" -eq 0 ] || before=" (after $FAILS earlier failure(s), which may have left it)"
    http_get $MET /metrics "$T/n.out" || { fail "$name" "no answer on 127.0.0.1:$MET"; return; }
    head -1 "$T/n.out" | grep -q "^HTTP/1.0 200" || { fail "$name" "status: $(head -1 "$T/n.out")"; return; }
    local req est ok fwd rx
    req=$(metric "$T/n.out" 'emsecd_h248_requests_total{transport="udp"}')
    ok=$(metric "$T/n.out" 'emsecd_tls_handshakes_total{result="ok",cause=""}')
    fwd=$(metric "$T/n.out" 'emsecd_actions_total{kind="forward"}')
    rx=$(metric "$T/n.out" 'emsecd_relay_bytes_total{direction="rx",leg="tls"}')
    est=$(metric "$T/n.out" 'emsecd_sessions{tcp="established"}')
    [ -n "$req" ] && [ -n "$ok" ] && [ -n "$fwd" ] && [ -n "$rx" ] && [ "$est" = "0" ] ||
        { fail "$name" "counters missing or a session left: req=$req ok=$ok fwd=$fwd rx=$rx established=$est$before"; return; }
    # no session is up: every relay buffer was given back (adapters/emsecd/buf.c)
    local bufs; bufs=$(metric "$T/n.out" 'emsecd_relay_buffers{state="in_use"}')
    [ "$bufs" = "0" ] || { fail "$name" "relay buffers still held with no session up: in_use=$bufs$before"; return; }
    if [ "$A_PASSED" -eq 1 ] && [ -s "$T/a.m0" ] && [ -s "$T/a.m1" ]; then
        # case a passed: what it added, exactly: Add, Add, Modify, Subtract, all
        # answered without error; one handshake; its bytes each way on each leg
        local n; n=$(stat -c %s "$T/a.in")
        local k want got
        for kv in 'emsecd_h248_requests_total{transport="udp"}=4' 'emsecd_h248_replies_total{transport="udp"}=4' \
                  'emsecd_h248_errors_total{transport="udp"}=0' 'emsecd_tls_handshakes_total{result="ok",cause=""}=1' \
                  "emsecd_relay_bytes_total{direction=\"rx\",leg=\"tls\"}=$n" "emsecd_relay_bytes_total{direction=\"tx\",leg=\"tls\"}=$n" \
                  "emsecd_relay_bytes_total{direction=\"rx\",leg=\"plain\"}=$n" "emsecd_relay_bytes_total{direction=\"tx\",leg=\"plain\"}=$n" \
                  'emsecd_actions_total{kind="tls_server"}=1' 'emsecd_actions_total{kind="listen"}=1' \
                  'emsecd_actions_total{kind="connect"}=1'; do
            k=${kv%=*}; want=${kv##*=}
            got=$(metric_delta a "$k")
            [ "$got" = "$want" ] || { fail "$name" "case a added $got to $k, expected $want"; return; }
        done
    fi
    # the legs are spread over the workers (one per CPU by default): the
    # cases before this one set up contexts enough for each to carry some
    local nw; nw=$(metric "$T/n.out" 'emsecd_workers')
    [ "${nw:-0}" -ge 1 ] || { fail "$name" "emsecd_workers missing"; return; }
    local wi legs spread=""
    for wi in $(seq 0 $((nw - 1))); do
        legs=$(metric "$T/n.out" "emsecd_worker_legs_opened_total{worker=\"$wi\"}")
        [ "${legs:-0}" -gt 0 ] || { fail "$name" "worker $wi of $nw carried no leg ($legs)$before"; return; }
        spread="$spread${spread:+/}$legs"
    done
    local fpf pskf
    fpf=$(metric "$T/n.out" 'emsecd_tls_handshakes_total{result="failed",cause="fingerprint"}')
    pskf=$(metric "$T/n.out" 'emsecd_tls_handshakes_total{result="failed",cause="psk"}')
    # at least one failed handshake per Notify the cases saw (case b: cause
    # fingerprint; each passed wrong-key/identity part of case e: cause psk)
    [ "${fpf:-0}" -ge "$B_PASSED" ] || { fail "$name" "case b passed, failed handshakes cause fingerprint $fpf"; return; }
    [ "${pskf:-0}" -ge "$PSK_WRONG_PASSED" ] ||
        { fail "$name" "case e passed $PSK_WRONG_PASSED wrong-PSK parts, failed handshakes cause psk $pskf"; return; }
    ! grep -qi "$PSK" "$T/n.out" || { fail "$name" "the PSK appears in the metrics"; return; }
    grep -q '^# TYPE emsecd_tls_handshakes_total counter' "$T/n.out" || { fail "$name" "no TYPE line"; return; }
    http_get $MET /other "$T/n.404" && head -1 "$T/n.404" | grep -q "^HTTP/1.0 404" ||
        { fail "$name" "/other: $(head -1 "$T/n.404")"; return; }
    exec 8<>/dev/tcp/127.0.0.1/"$MET" && printf 'hello\r\n\r\n' >&8 && timeout 5 cat <&8 > "$T/n.400"; exec 8>&-
    head -1 "$T/n.400" | grep -q "^HTTP/1.0 400" || { fail "$name" "not HTTP: $(head -1 "$T/n.400")"; return; }
    ok "$name (udp requests $req, handshakes ok $ok, tls rx $rx bytes, legs by worker $spread)"
}

# ---------------------------------------------------------------- (o)
# --config refusals: an unknown key and a bad value are named with their
# line number, exit 2, before anything is bound.
case_o() {
    local name="--config: unknown key and bad value refused with the line number, exit 2"
    printf '# comment\n\nlisten = 127.0.0.1:%s\nlisen = 127.0.0.1:1\n' $((BASE + 6)) > "$T/o1.conf"
    printf 'ports = 40000-30000\n' > "$T/o2.conf"
    printf 'workers = 0\n' > "$T/o4.conf"
    "$EMSECD" --config "$T/o1.conf" 2>"$T/o1.err"; local r1=$?
    "$EMSECD" --config "$T/o2.conf" 2>"$T/o2.err"; local r2=$?
    "$EMSECD" --config "$T/none.conf" 2>"$T/o3.err"; local r3=$?
    "$EMSECD" --config "$T/o4.conf" 2>"$T/o4.err"; local r4=$?
    "$EMSECD" --workers 65 2>"$T/o5.err"; local r5=$?
    printf 'drain-delay = 86401\n' > "$T/o6.conf"
    "$EMSECD" --config "$T/o6.conf" 2>"$T/o6.err"; local r6=$?
    "$EMSECD" --drain-delay 5s 2>"$T/o7.err"; local r7=$?
    printf 'max-waiting-delay = 600001\n' > "$T/o8.conf"
    "$EMSECD" --config "$T/o8.conf" 2>"$T/o8.err"; local r8=$?
    [ "$r1" -eq 2 ] && grep -q "o1.conf:4: unknown key 'lisen'" "$T/o1.err" ||
        { fail "$name" "unknown key: rc $r1, $(head -1 "$T/o1.err")"; return; }
    [ "$r2" -eq 2 ] && grep -q "o2.conf:1: ports = 40000-30000" "$T/o2.err" ||
        { fail "$name" "bad value: rc $r2, $(head -1 "$T/o2.err")"; return; }
    [ "$r3" -eq 2 ] || { fail "$name" "missing file: rc $r3"; return; }
    [ "$r4" -eq 2 ] && grep -q "o4.conf:1: workers = 0: expected a number from 1 to 64" "$T/o4.err" ||
        { fail "$name" "workers = 0: rc $r4, $(head -1 "$T/o4.err")"; return; }
    [ "$r5" -eq 2 ] && grep -q "\-\-workers 65: expected a number from 1 to 64" "$T/o5.err" ||
        { fail "$name" "--workers 65: rc $r5, $(head -1 "$T/o5.err")"; return; }
    [ "$r6" -eq 2 ] && grep -q "o6.conf:1: drain-delay = 86401: expected seconds from 0 to 86400" "$T/o6.err" ||
        { fail "$name" "drain-delay = 86401: rc $r6, $(head -1 "$T/o6.err")"; return; }
    [ "$r7" -eq 2 ] && grep -q "\-\-drain-delay 5s: expected seconds from 0 to 86400" "$T/o7.err" ||
        { fail "$name" "--drain-delay 5s: rc $r7, $(head -1 "$T/o7.err")"; return; }
    [ "$r8" -eq 2 ] && grep -q "o8.conf:1: max-waiting-delay = 600001: expected milliseconds from 0 to 600000" "$T/o8.err" ||
        { fail "$name" "max-waiting-delay = 600001: rc $r8, $(head -1 "$T/o8.err")"; return; }
    ok "$name"
}

# ---------------------------------------------------------------- (p)
# A controller that never answers: 8 Restart sends (backoff 0.5, 1, 2, 4 s
# then 4 s), a log line giving up 23.5 s after the first, and the gateway
# keeps answering (a command gets Error 505: RFC 3525 §11.2, its Restart is
# unanswered); on SIGTERM the unanswered Forced is waited for 2 s at most.
case_p() {
    local name="controller silent: Restart sent 8 times, given up with a log line, commands answered 505, SIGTERM bounded"
    [ -n "$D3PID" ] || { fail "$name" "daemon not started"; return; }
    for _ in $(seq 300); do grep -q "giving up" "$T/p3.log" && break; sleep 0.1; done
    grep -q "Restart transaction 1: no reply from the controller after 8 sends: giving up" "$T/p3.log" ||
        { fail "$name" "no give-up line within 30 s: $(grep -c 'send [0-9]' "$T/p3.log") sends"; return; }
    [ "$(grep -c 'service change Restart transaction 1: send [0-9]' "$T/p3.log")" -eq 8 ] ||
        { fail "$name" "not 8 sends: $(grep -c 'Restart transaction 1: send' "$T/p3.log")"; return; }
    local first last
    first=$(sed -n 's/^emsecd: t=\([0-9]*\) .*Restart transaction 1: send 1 .*/\1/p' "$T/p3.log")
    last=$(sed -n 's/^emsecd: t=\([0-9]*\) .*Restart transaction 1: no reply .*giving up.*/\1/p' "$T/p3.log")
    [ $((last - first)) -ge 23000 ] && [ $((last - first)) -le 25000 ] ||
        { fail "$name" "given up $((last - first)) ms after the first send (expected 23500)"; return; }
    # RFC 3525 §9.2: the first Restart after a random wait of at most
    # --max-waiting-delay (2000 ms here; none logged when it drew 0)
    local wait0; wait0=$(sed -n 's/.*registering with the controller in \([0-9]*\) ms (a random wait of at most 2000 ms.*/\1/p' "$T/p3.log")
    [ -z "$wait0" ] || [ "$wait0" -le 2000 ] || { fail "$name" "first registration after $wait0 ms"; return; }
    # RFC 3525 §11.5: registering again after a random wait (at most the
    # same 2000 ms); it is a Restart again (never registered), a new
    # transaction
    local again; again=$(sed -n 's/.*Restart transaction 1: no reply .*registering again in \([0-9]*\) ms (a random wait of at most 2000 ms.*/\1/p' "$T/p3.log")
    [ -n "$again" ] && [ "$again" -le 2000 ] ||
        { fail "$name" "no new registration scheduled within 2 s: $(grep -m1 'giving up' "$T/p3.log")"; return; }
    if grep -q "service change Disconnected" "$T/p3.log"; then
        fail "$name" "Disconnected sent, but the gateway was never registered"; return
    fi
    msg garbage.h248
    "$BIN/h248send" 127.0.0.1:$((BASE + 8)) "$T/msg.h248" | grep -q "Error = 400" ||
        { fail "$name" "the gateway stopped answering commands"; return; }
    # RFC 3525 §11.2: a command before the Restart's Reply gets Error 505
    msg add_ue_plain_passive.h248
    "$BIN/h248send" 127.0.0.1:$((BASE + 8)) "$T/msg.h248" > "$T/p.add" || { fail "$name" "no reply to Add"; return; }
    grep -q "Error = 505" "$T/p.add" && ! grep -q "^m=" "$T/p.add" ||
        { fail "$name" "an Add before the Restart's Reply was not answered 505: $(tr '\n' ' ' < "$T/p.add" | head -c 200)"; return; }
    local t0; t0=$(date +%s%N)
    kill -TERM "$D3PID"; wait "$D3PID"; local drc=$?; D3PID=
    local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    [ "$drc" -eq 0 ] && ! grep -q "Sanitizer\|runtime error" "$T/p3.log" || { fail "$name" "exit rc $drc"; return; }
    grep -q "Forced transaction [0-9]*: no reply within 2000 ms" "$T/p3.log" && [ "$ms" -lt 4000 ] ||
        { fail "$name" "stop took $ms ms"; return; }
    ok "$name (first Restart after ${wait0:-0} ms, given up after $((last - first)) ms, again after a wait of $again ms; stopped in $ms ms)"
}

# ---------------------------------------------------------------- (x)
# The controller emsec-ctl (core/ctl_*.c) drives emsecd for a whole e2ae
# call: Add from the UE's offer, Modify with the core's answer, the SDP
# towards the UE naming the gateway's certificate; s_client as the UE,
# tcp_peer as the core; the network's release (Notify) makes the
# controller Subtract. SDP templates: tests/demo/ctl-msrp-*.sdp.in.
CTL_SDP=$(dirname "$0")/../demo
case_x() {
    local name="emsec-ctl e2ae call: Add, Modify, SDP towards the UE, relay, release by Notify + Subtract"
    [ -x "$BIN/emsec-ctl" ] || { fail "$name" "$BIN/emsec-ctl missing"; return; }
    local cp; peer_port cp
    sed -e "s|@UE_PORT@|9|g; s|@UE_SETUP@|active|; s|@UE_FP@|$UE_FP|" "$CTL_SDP/ctl-msrp-offer.sdp.in" > "$T/x.offer"
    sed -e "s|@CORE_PORT@|$cp|g" "$CTL_SDP/ctl-msrp-answer-plain.sdp.in" > "$T/x.answer"
    payload "$T/x.in" 30000
    local n; n=$(stat -c %s "$T/x.in")
    "$BIN/tcp_peer" listen "$cp" --echo --out "$T/x.core" --expect "$n" --timeout 15000 2>"$T/x.peer.log" &
    local tp=$!; PIDS+=("$tp")
    wait_listen "$cp" || { fail "$name" "peer not listening on $cp"; return; }
    "$BIN/emsec-ctl" --gateway 127.0.0.1:$H248 --mode e2ae --offer "$T/x.offer" --answer "$T/x.answer" \
        --ue-sdp "$T/x.ue.sdp" --hold 15000 > "$T/x.ctl" 2>&1 &
    local xp=$!; PIDS+=("$xp")
    wait_for "$T/x.ctl" "call up" || { kill "$xp" 2>/dev/null; fail "$name" "no call: $(grep -m1 'ABORTED\|no reply' "$T/x.ctl")"; return; }
    local gw; gw=$(sed -n 's/^m=message \([0-9]*\) TCP\/TLS\/MSRP.*/\1/p' "$T/x.ue.sdp")
    timeout 15 openssl s_client -connect 127.0.0.1:"$gw" -cert "$T/ue.pem" -key "$T/ue.key" -quiet -nocommands \
        < "$T/x.in" > "$T/x.ue" 2>"$T/x.sc.log"
    local sc=$?
    wait "$tp"; local pr=$?
    wait "$xp"; local xr=$?
    local own; own=$(openssl x509 -in "$T/state/cert.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
    [ "$xr" -eq 0 ] || { fail "$name" "emsec-ctl exit $xr: $(grep -m1 'ABORTED\|FAILURE' "$T/x.ctl")"; return; }
    [ "$sc" -eq 0 ] && [ "$pr" -eq 0 ] && cmp -s "$T/x.in" "$T/x.core" && cmp -s "$T/x.in" "$T/x.ue" ||
        { fail "$name" "relay: s_client rc $sc, tcp_peer rc $pr"; return; }
    grep -q "^a=fingerprint:sha-256 $own" "$T/x.ue.sdp" && grep -q "^a=setup:passive" "$T/x.ue.sdp" &&
        grep -q "^a=path:msrps://127.0.0.1:$gw/" "$T/x.ue.sdp" || { fail "$name" "SDP towards the UE: $(tr '\r\n' '  ' < "$T/x.ue.sdp")"; return; }
    grep -q "released by the network" "$T/x.ctl" && grep -q "Subtract = tcp/" "$T/x.ctl" ||
        { fail "$name" "no release by Notify and Subtract"; return; }
    ok "$name ($n bytes each way)"
}

# ---------------------------------------------------------------- (lf)
# A listen that fails is reported at once, and the report is not lost with
# a datagram. A daemon of its own, registered with a controller of its own
# (h248send --serve on port C), whose one media port (--ports P-P) is
# already taken by a plain listener. Run in the background from the start
# (lf_run, about 30 s: the lost report's 23.5 s), checked in its turn
# (case_lf):
# 1. the Add of a UE-active TLS leg makes the gateway listen on P, the bind
#    is refused, and the controller gets Notify tcpbcc/ef cause local with
#    g/cause UR (RFC 3525 E.1.2: unavailable resources) at once, not
#    tcpbcc/ef cause timeout when the 10 s establishment timer
#    (core/mg_drive.c MG_TIMER_MS) would have fired. The controller leaves
#    the first Notify unanswered (a lost datagram): the gateway sends it
#    again, same TransactionID, until the Reply comes (RFC 3525 D.1.5).
# 2. Subtract, then the same Add again, with no controller answering: the
#    second Notify is sent 8 times over 19.5 s, then logged as lost, and the
#    gateway, concluding the controller failed, registers again with
#    ServiceChange Disconnected (RFC 3525 §11.5, D.1.5); a controller
#    started then answers it. Stopped by its PID.
lf_msg() { # SCENARIO TID VAR=VALUE...: into $T/lf.msg (not msg(): this runs beside the other cases)
    local f=$1 tid=$2; shift 2
    local s="s|@CTRL_PORT@|$CTRL|g; s|@TID@|$tid|g"
    for kv in "$@"; do s="$s; s|@${kv%%=*}@|${kv#*=}|g"; done
    sed -e "$s; s|@UE_HASH@|sha-256|g" "$SCN/$f" > "$T/lf.msg"
}
lf_run() { # P C H248PORT METRICSPORT: writes $T/lf.* and, last, $T/lf.done
    local p=$1 c=$2 h=$3 mp=$4 d sp tp
    "$BIN/tcp_peer" listen "$p" --timeout 60000 2>"$T/lf.peer.log" &
    tp=$!; echo "$tp" >> "$T/lf.pids"
    wait_listen "$p" || { echo "the squatter is not listening on $p" > "$T/lf.done"; kill "$tp"; return; }
    "$BIN/h248send" --serve "$c" --count 1 --timeout 8000 > "$T/lf.reg" 2>&1 &
    sp=$!; echo "$sp" >> "$T/lf.pids"
    "$EMSECD" --listen 127.0.0.1:"$h" --controller 127.0.0.1:"$c" --media-address 127.0.0.1 \
        --ports "$p-$p" --state-dir "$T/state" --workers 1 --metrics 127.0.0.1:"$mp" --max-waiting-delay 0 \
        2>"$T/lf.log" &
    d=$!; echo "$d" >> "$T/lf.pids"
    wait "$sp"; echo "reg $?" > "$T/lf.rc"
    wait_for "$T/lf.log" "service change Restart transaction [0-9]*: accepted"
    # 1. the first Notify ignored, its repeat answered
    "$BIN/h248send" --serve "$c" --count 1 --ignore 1 --timeout 10000 > "$T/lf.ntf" 2>&1 &
    sp=$!; echo "$sp" >> "$T/lf.pids"
    lf_msg add_ue_tls_ef.h248 901 UE_PORT=7394 UE_SETUP=active UE_FP="$UE_FP"
    local t0; t0=$(date +%s%N)
    "$BIN/h248send" 127.0.0.1:"$h" "$T/lf.msg" > "$T/lf.out"; echo "add $?" >> "$T/lf.rc"
    wait "$sp"; echo "ntf $?" >> "$T/lf.rc"
    echo "ms $(( ($(date +%s%N) - t0) / 1000000 ))" >> "$T/lf.rc"
    # 2. the second Notify unanswered: lost, then ServiceChange Disconnected
    lf_msg subtract_all.h248 902 CTX="$(ctx_of "$T/lf.out")"
    "$BIN/h248send" 127.0.0.1:"$h" "$T/lf.msg" > "$T/lf.sub"; echo "sub $?" >> "$T/lf.rc"
    lf_msg add_ue_tls_ef.h248 903 UE_PORT=7394 UE_SETUP=active UE_FP="$UE_FP"
    "$BIN/h248send" 127.0.0.1:"$h" "$T/lf.msg" > "$T/lf.out2"; echo "add2 $?" >> "$T/lf.rc"
    local i
    for i in $(seq 300); do grep -q "the report is lost" "$T/lf.log" && break; sleep 0.1; done
    "$BIN/h248send" --serve "$c" --count 1 --timeout 10000 > "$T/lf.dc" 2>&1
    echo "dc $?" >> "$T/lf.rc"
    wait_for "$T/lf.log" "service change Disconnected transaction [0-9]*: accepted"
    http_get "$mp" /metrics "$T/lf.m"
    kill "$tp" 2>/dev/null; wait "$tp" 2>/dev/null
    kill -TERM "$d"; wait "$d"; echo "exit $?" >> "$T/lf.rc"
    echo done > "$T/lf.done"
}
case_lf() {
    local name="listen refused (port taken): Notify tcpbcc/ef cause local at once, repeated until answered; a lost one re-registers (Disconnected)"
    [ -n "$LF_PID" ] || { fail "$name" "not started: $(cat "$T/lf.done" 2>/dev/null)"; return; }
    wait "$LF_PID"; LF_PID=
    [ "$(cat "$T/lf.done" 2>/dev/null)" = done ] || { fail "$name" "$(cat "$T/lf.done" 2>/dev/null)"; return; }
    rc() { sed -n "s/^$1 //p" "$T/lf.rc"; }
    local p; p=$(sed -n 's/.*--ports \([0-9]*\)-.*/\1/p' "$T/lf.cmd")
    local ctx term; ctx=$(ctx_of "$T/lf.out"); term=$(term_of "$T/lf.out")
    [ "$(rc reg)" = 0 ] || { fail "$name" "no registration: $(tail -2 "$T/lf.log")"; return; }
    [ "$(rc add)" = 0 ] && [ -n "$term" ] && grep -q "^m=message $p TCP/TLS/MSRP" "$T/lf.out" ||
        { fail "$name" "no Add reply with port $p: $(head -c 300 "$T/lf.out" | tr '\n' ' ')"; return; }
    [ "$(rc ntf)" = 0 ] || { fail "$name" "the controller got no repeated Notify to answer: $(tr '\n' ' ' < "$T/lf.ntf")"; return; }
    grep -q "tcpbcc/ef *{ *cause *= *local *}" "$T/lf.ntf" && grep -q "Generalcause = UR" "$T/lf.ntf" &&
        grep -q "Context = $ctx" "$T/lf.ntf" ||
        { fail "$name" "Notify without context $ctx, tcpbcc/ef cause local and g/cause UR: $(tr '\n' ' ' < "$T/lf.ntf")"; return; }
    local sends tids; sends=$(grep -c '^--- request' "$T/lf.ntf"); tids=$(grep '^Transaction = ' "$T/lf.ntf" | sort -u | wc -l)
    [ "$sends" -ge 2 ] && [ "$tids" -eq 1 ] ||
        { fail "$name" "expected the Notify repeated with one TransactionID: $sends sends, $tids ids"; return; }
    local ms; ms=$(rc ms)
    [ "$ms" -lt 5000 ] || { fail "$name" "the Notify was answered only after $ms ms (the 10 s timer's?)"; return; }
    grep -q "term=$term listen on 127.0.0.1:$p failed: Address already in use" "$T/lf.log" ||
        { fail "$name" "no log line naming $term, the port and the reason"; return; }
    grep -q "h248 request transaction [0-9]*: answered by the controller after $sends sends" "$T/lf.log" ||
        { fail "$name" "no log line for the answer after $sends sends"; return; }
    # 2. the lost Notify and the new registration
    [ "$(rc sub)" = 0 ] && [ "$(rc add2)" = 0 ] || { fail "$name" "Subtract or second Add unanswered"; return; }
    local lost; lost=$(sed -n 's/.*h248 request transaction \([0-9]*\): no reply from the controller after 8 sends: the report is lost.*/\1/p' "$T/lf.log")
    [ -n "$lost" ] && [ "$(grep -c "h248 request transaction $lost: no reply yet, send [2-8] " "$T/lf.log")" -eq 7 ] ||
        { fail "$name" "the second Notify was not sent 8 times and given up: $(grep -c 'no reply yet' "$T/lf.log") repeats"; return; }
    [ "$(rc dc)" = 0 ] && grep -q "Method = Disconnected" "$T/lf.dc" && grep -q '900 Service Restored' "$T/lf.dc" ||
        { fail "$name" "no ServiceChange Disconnected after the lost report: $(tr '\n' ' ' < "$T/lf.dc" | head -c 300)"; return; }
    grep -q "service change Disconnected transaction [0-9]*: accepted" "$T/lf.log" ||
        { fail "$name" "the gateway did not see the reply to Disconnected"; return; }
    # the counters: the first Notify repeated $sends - 1 times and answered,
    # the second repeated 7 times and lost; one Disconnected answered
    local rep ans lo dc; rep=$(metric "$T/lf.m" 'emsecd_h248_notify_total{result="repeated"}')
    ans=$(metric "$T/lf.m" 'emsecd_h248_notify_total{result="answered"}')
    lo=$(metric "$T/lf.m" 'emsecd_h248_notify_total{result="unanswered"}')
    dc=$(metric "$T/lf.m" 'emsecd_service_change_replies_total{method="disconnected"}')
    [ "${rep:-}" = $((sends - 1 + 7)) ] && [ "${ans:-}" = 1 ] && [ "${lo:-}" = 1 ] && [ "${dc:-}" = 1 ] ||
        { fail "$name" "metrics: repeated ${rep:-none} (want $((sends + 6))), answered ${ans:-none}, unanswered ${lo:-none}, disconnected replies ${dc:-none}"; return; }
    [ "$(rc exit)" = 0 ] && ! grep -q "Sanitizer\|runtime error" "$T/lf.log" ||
        { fail "$name" "daemon exit rc $(rc exit): $(grep -m3 -A5 'Sanitizer\|runtime error' "$T/lf.log")"; return; }
    ok "$name (first answered after $sends sends, $ms ms)"
}

# ---------------------------------------------------------------- (dr)
# SIGUSR1 drains the gateway (H.248.1 §7.2.8: Graceful, no ServiceChangeDelay:
# the controller lets the sessions end). A daemon of its own, registered
# with its controller (h248send --serve), holding one session: on SIGUSR1 it
# sends ServiceChange Graceful and keeps running and answering; the
# controller's Subtract of the last session makes it stop as on SIGTERM
# (ServiceChange Forced, exit 0). Stopped by its PID if it does not.
case_dr() {
    local name="SIGUSR1 drains: ServiceChange Graceful, sessions kept until Subtracted, then Forced and exit 0"
    local b; own_block b || { fail "$name" "no free port block of its own"; return; }
    local c=$((b + 1)) h=$b
    "$BIN/h248send" --serve "$c" --count 1 --timeout 8000 > "$T/dr.reg" 2>&1 &
    local sp=$!; PIDS+=("$sp")
    block_daemon "$b" 127.0.0.1:"$c" "$T/dr.log"
    local d=$!; PIDS+=("$d")
    wait "$sp" || { fail "$name" "no registration: $(tail -2 "$T/dr.log")"; return; }
    msg add_ue_plain_passive.h248
    "$BIN/h248send" 127.0.0.1:"$h" "$T/msg.h248" > "$T/dr.r1" || { fail "$name" "no reply to Add"; return; }
    local ctx; ctx=$(ctx_of "$T/dr.r1")
    [ -n "$ctx" ] || { fail "$name" "Add refused: $(tr '\n' ' ' < "$T/dr.r1")"; return; }
    "$BIN/h248send" --serve "$c" --count 1 --timeout 8000 > "$T/dr.gr" 2>&1 &
    sp=$!; PIDS+=("$sp")
    sleep 0.2 # the controller's socket bound (a first send lost would only be repeated 0.5 s later)
    kill -USR1 "$d"
    wait "$sp"; local gr=$?
    [ "$gr" -eq 0 ] && grep -q "Method = Graceful" "$T/dr.gr" && grep -q "ServiceChange = ROOT" "$T/dr.gr" ||
        { fail "$name" "no ServiceChange Graceful (rc $gr): $(tr '\n' ' ' < "$T/dr.gr" | head -c 300)"; return; }
    sleep 0.5
    kill -0 "$d" 2>/dev/null || { fail "$name" "the daemon stopped with a session left"; return; }
    grep -q "draining (SIGUSR1): 1 termination(s) in use" "$T/dr.log" || { fail "$name" "no drain log line"; return; }
    "$BIN/h248send" --serve "$c" --count 1 --timeout 8000 > "$T/dr.fo" 2>&1 &
    sp=$!; PIDS+=("$sp")
    msg subtract_all.h248 CTX="$ctx"
    "$BIN/h248send" 127.0.0.1:"$h" "$T/msg.h248" > "$T/dr.r2" ||
        { fail "$name" "no reply to the Subtract while draining"; return; }
    grep -q "Subtract = " "$T/dr.r2" || { fail "$name" "Subtract refused: $(tr '\n' ' ' < "$T/dr.r2")"; return; }
    local i; for i in $(seq 50); do kill -0 "$d" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$d" 2>/dev/null && { kill -TERM "$d"; wait "$d"; fail "$name" "still running 5 s after the last Subtract"; return; }
    wait "$d"; local drc=$?
    wait "$sp"
    grep -q "Method = Forced" "$T/dr.fo" || { fail "$name" "no ServiceChange Forced at the end"; return; }
    grep -q "drained: no termination left, stopping" "$T/dr.log" || { fail "$name" "no 'drained' log line"; return; }
    [ "$drc" -eq 0 ] && ! grep -q "Sanitizer\|runtime error" "$T/dr.log" ||
        { fail "$name" "daemon exit rc $drc: $(grep -m3 -A5 'Sanitizer\|runtime error' "$T/dr.log")"; return; }
    ok "$name"
}

# ---------------------------------------------------------------- (dd)
# SIGUSR1 with --drain-delay 2 (H.248.1 §7.2.8: Graceful with a
# ServiceChangeDelay; the terminations go out of service when it expires):
# a daemon of its own holding one session that nobody subtracts sends
# Graceful with "Delay = 2", keeps the session, and when the 2 s are over
# stops as on SIGTERM: ServiceChange Forced, the session closed, exit 0.
case_dd() {
    local name="--drain-delay 2: Graceful with Delay = 2, the session kept, then Forced and exit 0 when it expires"
    local b; own_block b || { fail "$name" "no free port block of its own"; return; }
    local c=$((b + 1)) h=$b
    "$BIN/h248send" --serve "$c" --count 1 --timeout 8000 > "$T/dd.reg" 2>&1 &
    local sp=$!; PIDS+=("$sp")
    block_daemon "$b" 127.0.0.1:"$c" "$T/dd.log" --drain-delay 2
    local d=$!; PIDS+=("$d")
    wait "$sp" || { fail "$name" "no registration: $(tail -2 "$T/dd.log")"; return; }
    msg add_ue_plain_passive.h248
    "$BIN/h248send" 127.0.0.1:"$h" "$T/msg.h248" > "$T/dd.r1" || { fail "$name" "no reply to Add"; return; }
    [ -n "$(ctx_of "$T/dd.r1")" ] || { fail "$name" "Add refused: $(tr '\n' ' ' < "$T/dd.r1")"; return; }
    # Graceful, then Forced: one controller answers both
    "$BIN/h248send" --serve "$c" --count 2 --timeout 10000 > "$T/dd.sc" 2>&1 &
    sp=$!; PIDS+=("$sp")
    sleep 0.2 # the controller's socket bound
    local t0; t0=$(date +%s%N)
    kill -USR1 "$d"
    sleep 1
    kill -0 "$d" 2>/dev/null || { fail "$name" "the daemon stopped before the delay expired"; return; }
    local i; for i in $(seq 60); do kill -0 "$d" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$d" 2>/dev/null && { kill -TERM "$d"; wait "$d"; fail "$name" "still running 7 s after SIGUSR1"; return; }
    wait "$d"; local drc=$?
    local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    wait "$sp"
    sed -n '/Method = Graceful/,/}/p' "$T/dd.sc" | grep -q "Delay = 2" ||
        { fail "$name" "no Graceful with Delay = 2: $(tr '\n' ' ' < "$T/dd.sc" | head -c 400)"; return; }
    grep -q "Method = Forced" "$T/dd.sc" || { fail "$name" "no ServiceChange Forced when the delay expired"; return; }
    grep -q "drain delay of 2 s expired with 1 termination(s) in use: stopping" "$T/dd.log" ||
        { fail "$name" "no log line for the expired delay"; return; }
    grep -q "action close" "$T/dd.log" || { fail "$name" "the session was not closed"; return; }
    [ "$ms" -ge 1900 ] || { fail "$name" "stopped after $ms ms, before the 2 s delay"; return; }
    [ "$drc" -eq 0 ] && ! grep -q "Sanitizer\|runtime error" "$T/dd.log" ||
        { fail "$name" "daemon exit rc $drc: $(grep -m3 -A5 'Sanitizer\|runtime error' "$T/dd.log")"; return; }
    ok "$name (stopped $ms ms after SIGUSR1)"
}

# ---------------------------------------------------------------- (rd)
# The controller's reply to a registration moves the association (RFC 3525
# §7.2.8). A daemon of its own registers with controller A, whose reply
# names another controller (MgcIdToTry = [127.0.0.1]:B): the registration
# is not complete and Restart goes to B; B's reply names another address
# for the gateway's requests (ServiceChangeAddress = C, a bare port): the
# Notify of a connection refused (the UE passive on a closed port) and, on
# SIGTERM, ServiceChange Forced go to C, nothing more to A or B. Then a
# second daemon whose controller names a controller by domain name
# (MgcIdToTry = <mgc.example.net>): not followed, logged, the registration
# stands and Forced goes to that same controller.
case_rd() {
    local name="registration moved: MgcIdToTry re-registers with the other controller, ServiceChangeAddress takes the Notify and Forced"
    local b; own_block b || { fail "$name" "no free port block of its own"; return; }
    local h=$b ca=$((b + 1)) cb=$((b + 2)) cc=$((b + 3)) closed=$((b + 4))
    "$BIN/h248send" --serve "$ca" --count 1 --services "MgcIdToTry = [127.0.0.1]:$cb" --timeout 8000 > "$T/rd.a" 2>&1 &
    local pa=$!; PIDS+=("$pa")
    "$BIN/h248send" --serve "$cb" --count 1 --services "ServiceChangeAddress = $cc" --timeout 8000 > "$T/rd.b" 2>&1 &
    local pb=$!; PIDS+=("$pb")
    "$BIN/h248send" --serve "$cc" --count 2 --timeout 15000 > "$T/rd.c" 2>&1 &
    local pc=$!; PIDS+=("$pc")
    sleep 0.2 # the controllers' sockets bound
    block_daemon "$b" 127.0.0.1:"$ca" "$T/rd.log"
    local d=$!; PIDS+=("$d")
    wait "$pa" || { fail "$name" "controller A got no Restart: $(tail -2 "$T/rd.log")"; return; }
    wait "$pb" || { fail "$name" "controller B got no Restart: $(grep 'service change' "$T/rd.log" | tail -3)"; return; }
    grep -q "Method = Restart" "$T/rd.b" || { fail "$name" "B's request is not a Restart: $(tr '\n' ' ' < "$T/rd.b")"; return; }
    wait_for "$T/rd.log" "service change Restart transaction [0-9]*: accepted" ||
        { fail "$name" "B's reply was not taken as the registration"; return; }
    grep -q "MgcIdToTry moves the gateway's requests from 127.0.0.1:$ca to 127.0.0.1:$cb; registering there" "$T/rd.log" &&
        grep -q "ServiceChangeAddress moves the gateway's requests from 127.0.0.1:$cb to 127.0.0.1:$cc" "$T/rd.log" ||
        { fail "$name" "no log line for each move: $(grep 'service change' "$T/rd.log" | tr '\n' ' ')"; return; }
    msg add_ue_tls_ef.h248 UE_PORT=$closed UE_SETUP=passive UE_FP="$UE_FP"
    "$BIN/h248send" 127.0.0.1:"$h" "$T/msg.h248" > "$T/rd.r1" || { fail "$name" "no reply to Add"; return; }
    wait_for "$T/rd.c" "tcpbcc/ef" || { fail "$name" "no Notify at C: $(tr '\n' ' ' < "$T/rd.c" | head -c 300)"; return; }
    kill -TERM "$d"; wait "$d"; local drc=$?
    wait "$pc"; local pcr=$?
    [ "$pcr" -eq 0 ] && grep -q "Method = Forced" "$T/rd.c" ||
        { fail "$name" "no Forced at C (rc $pcr): $(tr '\n' ' ' < "$T/rd.c" | head -c 300)"; return; }
    [ "$(grep -c '^--- request' "$T/rd.a")" -eq 1 ] && [ "$(grep -c '^--- request' "$T/rd.b")" -eq 1 ] ||
        { fail "$name" "A or B got more than the one Restart"; return; }
    [ "$drc" -eq 0 ] && ! grep -q "Sanitizer\|runtime error" "$T/rd.log" ||
        { fail "$name" "daemon exit rc $drc: $(grep -m3 -A5 'Sanitizer\|runtime error' "$T/rd.log")"; return; }
    "$BIN/h248send" --serve "$ca" --count 2 --services "MgcIdToTry = <mgc.example.net>:2944" --timeout 8000 \
        > "$T/rd.n" 2>&1 &
    pa=$!; PIDS+=("$pa")
    sleep 0.2
    block_daemon "$b" 127.0.0.1:"$ca" "$T/rd2.log"
    d=$!; PIDS+=("$d")
    wait_for "$T/rd2.log" "service change Restart transaction [0-9]*: accepted" ||
        { fail "$name" "the registration with a domain-name MgcIdToTry was not kept: $(grep 'service change' "$T/rd2.log" | tr '\n' ' ')"; kill -TERM "$d"; return; }
    grep -q "the controller's MgcIdToTry <mgc.example.net>:2944 is not followed (only \[IPv4\]:port): staying with 127.0.0.1:$ca" "$T/rd2.log" ||
        { fail "$name" "no 'not followed' log line"; kill -TERM "$d"; return; }
    kill -TERM "$d"; wait "$d"; drc=$?
    wait "$pa"
    grep -q "Method = Forced" "$T/rd.n" || { fail "$name" "no Forced at the controller that stayed"; return; }
    [ "$drc" -eq 0 ] && ! grep -q "Sanitizer\|runtime error" "$T/rd2.log" ||
        { fail "$name" "second daemon exit rc $drc"; return; }
    ok "$name"
}

# ---------------------------------------------------------------- (ct)
# A controller reached over TCP (--controller tcp:ADDR:PORT, RFC 3525 Annex
# D.2, TPKT): the gateway connects and registers on the connection
# (Restart); the controller drops the connection after answering; the
# gateway connects again (1 s later) and registers again with Disconnected
# (§11.5: it had been accepted); the Notify of a refused connection and, on
# SIGTERM, the Forced go on the new connection. Then a second daemon whose
# tcp: controller A answers the Restart with MgcIdToTry = B, and B with
# ServiceChangeAddress = C: a new connection each time (the Restart again to
# B, nothing more to B once moved), the Forced to C.
case_ct() {
    local name="--controller tcp: Restart on the connection, reconnected and Disconnected after a loss, Notify and Forced on it; MgcIdToTry and ServiceChangeAddress reconnect"
    local b; own_block b || { fail "$name" "no free port block of its own"; return; }
    local h=$b c=$((b + 1)) closed=$((b + 4))
    "$BIN/h248send" --serve "$c" --tcp --count 4 --drop-after 1 --timeout 20000 > "$T/ct.c" 2>&1 &
    local sp=$!; PIDS+=("$sp")
    sleep 0.2 # the controller listening
    block_daemon "$b" tcp:127.0.0.1:"$c" "$T/ct.log"
    local d=$!; PIDS+=("$d")
    wait_for "$T/ct.c" "^--- connection 2" || { fail "$name" "no second connection: $(grep 'controller' "$T/ct.log" | tail -3 | tr '\n' ' ')"; kill -TERM "$d"; return; }
    wait_for "$T/ct.log" "service change Disconnected transaction [0-9]*: accepted" ||
        { fail "$name" "no Disconnected accepted on the new connection: $(grep 'service change' "$T/ct.log" | tr '\n' ' ')"; kill -TERM "$d"; return; }
    sed -n '/^--- request 1/,/^--- /p' "$T/ct.c" | grep -q "Method = Restart" ||
        { fail "$name" "the first request is not a Restart"; kill -TERM "$d"; return; }
    sed -n '/^--- request 2/,/^--- /p' "$T/ct.c" | grep -q "Method = Disconnected" ||
        { fail "$name" "the request on the new connection is not a Disconnected"; kill -TERM "$d"; return; }
    grep -q "h248 tcp controller: connection lost (peer closed); connecting again in 1000 ms" "$T/ct.log" ||
        { fail "$name" "no log line for the lost connection"; kill -TERM "$d"; return; }
    msg add_ue_tls_ef.h248 UE_PORT=$closed UE_SETUP=passive UE_FP="$UE_FP"
    "$BIN/h248send" 127.0.0.1:"$h" "$T/msg.h248" > "$T/ct.r1" || { fail "$name" "no reply to Add"; kill -TERM "$d"; return; }
    wait_for "$T/ct.c" "tcpbcc/ef" || { fail "$name" "no Notify on the connection: $(tail -c 300 "$T/ct.c" | tr '\n' ' ')"; kill -TERM "$d"; return; }
    kill -TERM "$d"; wait "$d"; local drc=$?
    wait "$sp"; local sr=$?
    [ "$sr" -eq 0 ] && grep -q "Method = Forced" "$T/ct.c" ||
        { fail "$name" "no Forced on the connection (rc $sr): $(tail -c 300 "$T/ct.c" | tr '\n' ' ')"; return; }
    grep -q "h248 request sent to the controller over tcp 127.0.0.1:$c" "$T/ct.log" ||
        { fail "$name" "no request logged as sent over tcp"; return; }
    [ "$drc" -eq 0 ] && ! grep -q "Sanitizer\|runtime error" "$T/ct.log" ||
        { fail "$name" "daemon exit rc $drc: $(grep -m3 -A5 'Sanitizer\|runtime error' "$T/ct.log")"; return; }
    local ca=$((b + 5)) cb=$((b + 6)) cc=$((b + 7))
    "$BIN/h248send" --serve "$ca" --tcp --count 1 --services "MgcIdToTry = [127.0.0.1]:$cb" --timeout 10000 > "$T/ct.a" 2>&1 &
    local pa=$!; PIDS+=("$pa")
    "$BIN/h248send" --serve "$cb" --tcp --count 1 --services "ServiceChangeAddress = $cc" --timeout 10000 > "$T/ct.b" 2>&1 &
    local pb=$!; PIDS+=("$pb")
    "$BIN/h248send" --serve "$cc" --tcp --count 1 --timeout 10000 > "$T/ct.cc" 2>&1 &
    local pcc=$!; PIDS+=("$pcc")
    sleep 0.2
    block_daemon "$b" tcp:127.0.0.1:"$ca" "$T/ct2.log"
    d=$!; PIDS+=("$d")
    wait_for "$T/ct2.log" "ServiceChangeAddress moves the gateway's requests from 127.0.0.1:$cb to 127.0.0.1:$cc" &&
        wait_for "$T/ct2.log" "h248 tcp controller 127.0.0.1:$cc: connected" ||
        { fail "$name" "moved over tcp: $(grep 'controller\|service change' "$T/ct2.log" | tail -4 | tr '\n' ' ')"; kill -TERM "$d"; return; }
    kill -TERM "$d"; wait "$d"; drc=$?
    wait "$pa"; wait "$pb"; wait "$pcc"; sr=$?
    grep -q "Method = Restart" "$T/ct.a" && grep -q "Method = Restart" "$T/ct.b" ||
        { fail "$name" "the Restart did not reach A and then B"; return; }
    [ "$sr" -eq 0 ] && grep -q "Method = Forced" "$T/ct.cc" ||
        { fail "$name" "no Forced at C (rc $sr): $(tr '\n' ' ' < "$T/ct.cc" | head -c 200)"; return; }
    [ "$drc" -eq 0 ] && ! grep -q "Sanitizer\|runtime error" "$T/ct2.log" ||
        { fail "$name" "second daemon exit rc $drc: $(grep -m3 -A5 'Sanitizer\|runtime error' "$T/ct2.log")"; return; }
    ok "$name"
}

# ---------------------------------------------------------------- (y)
# The controller's authorization: an offer without a=fingerprint is refused
# before anything is sent (no request reaches emsecd); a fingerprint that
# does not match the UE's certificate is notified (tlsbsc/ef cause
# fingerprint), reported by emsec-ctl on stdout (exit 3) and released.
case_y() {
    local name="emsec-ctl authorization: no fingerprint refused unsent; mismatch notified, reported, released"
    [ -x "$BIN/emsec-ctl" ] || { fail "$name" "$BIN/emsec-ctl missing"; return; }
    local cp; peer_port cp
    grep -v "^a=fingerprint" "$CTL_SDP/ctl-msrp-offer.sdp.in" | sed -e "s|@UE_PORT@|9|g; s|@UE_SETUP@|active|" > "$T/y.nofp"
    sed -e "s|@CORE_PORT@|$cp|g" "$CTL_SDP/ctl-msrp-answer-plain.sdp.in" > "$T/y.answer"
    local before; before=$(grep -c "h248 udp request" "$T/emsecd.log")
    "$BIN/emsec-ctl" --gateway 127.0.0.1:$H248 --mode e2ae --offer "$T/y.nofp" --answer "$T/y.answer" > "$T/y.ctl1" 2>&1
    local r1=$?
    [ "$r1" -eq 1 ] && grep -q "SETUP ABORTED.*no_fingerprint.*RFC 8122" "$T/y.ctl1" ||
        { fail "$name" "offer without fingerprint: exit $r1, $(head -3 "$T/y.ctl1" | tr '\n' ' ')"; return; }
    [ "$(grep -c "h248 udp request" "$T/emsecd.log")" -eq "$before" ] || { fail "$name" "a request was sent for a refused offer"; return; }
    local bad; bad="${UE_FP%??}$( [ "${UE_FP: -2}" = "00" ] && echo 01 || echo 00 )"
    sed -e "s|@UE_PORT@|9|g; s|@UE_SETUP@|active|; s|@UE_FP@|$bad|" "$CTL_SDP/ctl-msrp-offer.sdp.in" > "$T/y.offer"
    "$BIN/tcp_peer" listen "$cp" --timeout 10000 2>"$T/y.peer.log" &
    local tp=$!; PIDS+=("$tp")
    wait_listen "$cp" || { fail "$name" "peer not listening on $cp"; return; }
    "$BIN/emsec-ctl" --gateway 127.0.0.1:$H248 --mode e2ae --offer "$T/y.offer" --answer "$T/y.answer" \
        --ue-sdp "$T/y.ue.sdp" --hold 10000 > "$T/y.ctl2" 2>&1 &
    local xp=$!; PIDS+=("$xp")
    wait_for "$T/y.ctl2" "call up" || { kill "$xp" 2>/dev/null; fail "$name" "no call"; return; }
    local gw; gw=$(sed -n 's/^m=message \([0-9]*\) .*/\1/p' "$T/y.ue.sdp")
    timeout 10 openssl s_client -connect 127.0.0.1:"$gw" -cert "$T/ue.pem" -key "$T/ue.key" -quiet -nocommands \
        < /dev/null > /dev/null 2>"$T/y.sc.log"
    local sc=$?
    wait "$xp"; local r2=$?
    wait "$tp" 2>/dev/null
    [ "$sc" -ne 124 ] || { fail "$name" "the gateway kept the UE's connection"; return; }
    [ "$r2" -eq 3 ] && grep -q "FAILURE reported by the gateway: tlsbsc/ef cause fingerprint" "$T/y.ctl2" ||
        { fail "$name" "mismatch: exit $r2, $(grep -m1 'FAILURE\|released\|ends' "$T/y.ctl2")"; return; }
    grep -q "Subtract = tcp/" "$T/y.ctl2" || { fail "$name" "not released by Subtract"; return; }
    ok "$name"
}

# ---------------------------------------------------------------- (z)
# The MRFC's PSK from MIKEY-TICKET: emsec-ctl --mode psk --mikey makes the
# mode 3 exchange (RFC 6043 §4.1.1) and sends the TEK down as tlsbsc/psk
# (never printed); `emsec-ctl mikey-ue` derives the TEK again from the two
# messages, as the UE would, for s_client -psk: the TLS-PSK handshake and
# the relay only work when both derivations agree.
case_z() {
    local name="emsec-ctl MRFC: TLS-PSK from MIKEY-TICKET mode 3, UE key derived from the messages"
    [ -x "$BIN/emsec-ctl" ] || { fail "$name" "$BIN/emsec-ctl missing"; return; }
    local cp; peer_port cp
    mkdir -p "$T/z.mikey"
    sed -e "s|@UE_PORT@|9|g; s|@UE_SETUP@|active|" "$CTL_SDP/ctl-msrp-offer.sdp.in" | grep -v "^a=fingerprint" > "$T/z.offer"
    sed -e "s|@CORE_PORT@|$cp|g" "$CTL_SDP/ctl-msrp-answer-plain.sdp.in" > "$T/z.answer"
    payload "$T/z.in" 5000
    local n; n=$(stat -c %s "$T/z.in")
    "$BIN/tcp_peer" listen "$cp" --echo --out "$T/z.core" --expect "$n" --timeout 15000 2>"$T/z.peer.log" &
    local tp=$!; PIDS+=("$tp")
    wait_listen "$cp" || { fail "$name" "peer not listening on $cp"; return; }
    "$BIN/emsec-ctl" --gateway 127.0.0.1:$H248 --mode psk --mikey "$T/z.mikey" --pskid mrfp-ticket-z \
        --offer "$T/z.offer" --answer "$T/z.answer" --ue-sdp "$T/z.ue.sdp" --hold 15000 > "$T/z.ctl" 2>&1 &
    local xp=$!; PIDS+=("$xp")
    wait_for "$T/z.ctl" "call up" || { kill "$xp" 2>/dev/null; fail "$name" "no call: $(grep -m1 'ABORTED\|no reply\|MIKEY' "$T/z.ctl")"; return; }
    local gw key; gw=$(sed -n 's/^m=message \([0-9]*\) .*/\1/p' "$T/z.ue.sdp")
    key=$("$BIN/emsec-ctl" mikey-ue "$T/z.mikey/transfer_init.b64" "$T/z.mikey/transfer_resp.b64" 2>"$T/z.ue.err")
    [ "${#key}" -eq 64 ] || { kill "$xp" 2>/dev/null; fail "$name" "UE derivation: $(head -1 "$T/z.ue.err")"; return; }
    timeout 15 openssl s_client -connect 127.0.0.1:"$gw" -psk "$key" -psk_identity mrfp-ticket-z -quiet -nocommands \
        < "$T/z.in" > "$T/z.ue" 2>"$T/z.sc.log"
    local sc=$?
    wait "$tp"; local pr=$?
    wait "$xp"; local xr=$?
    [ "$xr" -eq 0 ] || { fail "$name" "emsec-ctl exit $xr"; return; }
    ! grep -qi "$key" "$T/z.ctl" || { fail "$name" "the PSK was printed"; return; }
    [ "$sc" -eq 0 ] && [ "$pr" -eq 0 ] && cmp -s "$T/z.in" "$T/z.core" && cmp -s "$T/z.in" "$T/z.ue" ||
        { fail "$name" "relay: s_client rc $sc, tcp_peer rc $pr"; return; }
    ok "$name ($n bytes each way)"
}

# ---------------------------------------------------------------- (r)
# Delayed establishment (tcpbcc/estmode = delayed, DESIGN.md H.248 profile;
# tests/traces/delayed_establishment.trace): the core leg is Added with its
# Remote but does not connect; the UE's connection accepted on the other
# termination triggers the connect (the core peer sees no connection before,
# and the daemon logs the accept before the connect). Then state-aware hold
# (tests/traces/hold_then_allow.trace): the UE leg Added with estmode hold is
# accepted and its TLS handshake answered, but nothing reaches the core peer
# until the Modify that sets estmode immediate; then the bytes flow, exact.
# Last, hold on the active core leg: no connect until the signal tcpbcc/est,
# and after it the leg is connected but held until estmode immediate.
est_line() { grep -n "term=$1 $2" "$T/emsecd.log" | head -1 | cut -d: -f1; } # TERM TEXT: first log line number
case_r() {
    local name="delayed establishment: core connect after the UE's accept; hold: nothing relayed before the Modify; tcpbcc/est"
    local cp; peer_port cp
    payload "$T/r.in" 20000
    local n; n=$(stat -c %s "$T/r.in")
    "$BIN/tcp_peer" listen "$cp" --echo --out "$T/r.core" --expect "$n" --timeout 20000 2>"$T/r.peer.log" &
    local tp=$!; PIDS+=("$tp")
    wait_for "$T/r.peer.log" "listening on" || { fail "$name" "tcp_peer did not listen: $(head -1 "$T/r.peer.log")"; return; }
    send add_ue_tls.h248 UE_PORT=7394 UE_SETUP=active UE_FP="$UE_FP" > "$T/r.r1" || { fail "$name" "no reply to Add"; return; }
    local ctx gw t1; ctx=$(ctx_of "$T/r.r1"); gw=$(port_of "$T/r.r1"); t1=$(term_of "$T/r.r1")
    send add_core_estmode.h248 CTX="$ctx" ESTMODE=delayed CORE_PORT="$cp" > "$T/r.r2" || { fail "$name" "no reply to Add core"; return; }
    local t2; t2=$(term_of "$T/r.r2")
    [ -n "$t2" ] && ! grep -q "Error" "$T/r.r2" || { fail "$name" "Add core (delayed) refused: $(tr '\n' ' ' < "$T/r.r2")"; return; }
    sleep 1 # time the gateway would need to connect, were it not delayed
    grep -q "connection accepted" "$T/r.peer.log" && { fail "$name" "the core leg connected before the UE's connection"; return; }
    grep -q "term=$t2 action connect" "$T/emsecd.log" && { fail "$name" "connect on $t2 before the UE's connection"; return; }
    timeout 20 openssl s_client -connect 127.0.0.1:"$gw" -cert "$T/ue.pem" -key "$T/ue.key" -quiet -nocommands \
        < "$T/r.in" > "$T/r.ue" 2>"$T/r.sc.log"
    local sc=$?
    wait "$tp"; local pr=$?
    send subtract_all.h248 CTX="$ctx" > /dev/null
    [ "$sc" -eq 0 ] && [ "$pr" -eq 0 ] || { fail "$name" "delayed: s_client rc $sc, tcp_peer rc $pr"; return; }
    cmp -s "$T/r.in" "$T/r.core" && cmp -s "$T/r.in" "$T/r.ue" || { fail "$name" "delayed: bytes differ"; return; }
    local la lc; la=$(est_line "$t1" "event accepted"); lc=$(est_line "$t2" "action connect")
    [ -n "$la" ] && [ -n "$lc" ] && [ "$la" -lt "$lc" ] ||
        { fail "$name" "log order: $t1 accepted at line ${la:-none}, $t2 connect at line ${lc:-none}"; return; }

    # hold on the UE leg, lifted by Modify tcpbcc/estmode = immediate
    peer_port cp
    "$BIN/tcp_peer" listen "$cp" --echo --out "$T/r.hcore" --expect "$n" --timeout 20000 2>"$T/r.hpeer.log" &
    tp=$!; PIDS+=("$tp")
    wait_for "$T/r.hpeer.log" "listening on" || { fail "$name" "tcp_peer did not listen: $(head -1 "$T/r.hpeer.log")"; return; }
    setup_e2ae send r.h "$cp" add_ue_tls_estmode.h248 ESTMODE=hold UE_PORT=7394 UE_SETUP=active UE_FP="$UE_FP" ||
        { fail "$name" "$E2AE_WHY (hold)"; return; }
    local t3=$E2AE_T1; ctx=$E2AE_CTX; gw=$E2AE_GW
    timeout 20 openssl s_client -connect 127.0.0.1:"$gw" -cert "$T/ue.pem" -key "$T/ue.key" -quiet -nocommands \
        < "$T/r.in" > "$T/r.hue" 2>"$T/r.hsc.log" &
    local sp=$!; PIDS+=("$sp")
    wait_for "$T/emsecd.log" "term=$t3 event tls-established" || { fail "$name" "hold: no TLS handshake on $t3"; return; }
    wait_for "$T/r.hpeer.log" "connection accepted" || { fail "$name" "hold: the core leg did not connect"; return; }
    sleep 1 # the UE's bytes are at the gateway; none may pass
    [ ! -s "$T/r.hcore" ] || { fail "$name" "hold: $(stat -c %s "$T/r.hcore") bytes reached the core before the Modify"; return; }
    grep -q "term=$t3 action forward" "$T/emsecd.log" && { fail "$name" "hold: forward before the Modify"; return; }
    send modify_estmode.h248 CTX="$ctx" TERM="$t3" ESTMODE=immediate > "$T/r.h.r4" || { fail "$name" "no reply to Modify"; return; }
    wait "$sp"; sc=$?
    wait "$tp"; pr=$?
    send subtract_all.h248 CTX="$ctx" > /dev/null
    [ "$sc" -eq 0 ] && [ "$pr" -eq 0 ] || { fail "$name" "hold: s_client rc $sc, tcp_peer rc $pr"; return; }
    cmp -s "$T/r.in" "$T/r.hcore" && cmp -s "$T/r.in" "$T/r.hue" || { fail "$name" "hold: bytes differ"; return; }

    # hold on the active core leg: no connect until the signal tcpbcc/est;
    # connected then, but still held until the Modify estmode immediate
    peer_port cp
    "$BIN/tcp_peer" listen "$cp" --echo --out "$T/r.scr" --expect "$n" --timeout 20000 2>"$T/r.speer.log" &
    tp=$!; PIDS+=("$tp")
    wait_for "$T/r.speer.log" "listening on" || { fail "$name" "tcp_peer did not listen: $(head -1 "$T/r.speer.log")"; return; }
    send add_ue_tls.h248 UE_PORT=7394 UE_SETUP=active UE_FP="$UE_FP" > "$T/r.s1" || { fail "$name" "no reply to Add (est)"; return; }
    local t5 t6; ctx=$(ctx_of "$T/r.s1"); gw=$(port_of "$T/r.s1"); t5=$(term_of "$T/r.s1")
    send add_core_estmode.h248 CTX="$ctx" ESTMODE=hold CORE_PORT="$cp" > "$T/r.s2" || { fail "$name" "no reply to Add core (est)"; return; }
    t6=$(term_of "$T/r.s2")
    timeout 20 openssl s_client -connect 127.0.0.1:"$gw" -cert "$T/ue.pem" -key "$T/ue.key" -quiet -nocommands \
        < "$T/r.in" > "$T/r.sue" 2>"$T/r.ssc.log" &
    sp=$!; PIDS+=("$sp")
    wait_for "$T/emsecd.log" "term=$t5 event tls-established" || { fail "$name" "est: no TLS handshake on $t5"; return; }
    sleep 1
    grep -q "connection accepted" "$T/r.speer.log" && { fail "$name" "est: the held core leg connected before tcpbcc/est"; return; }
    send modify_est_signal.h248 CTX="$ctx" TERM="$t6" > "$T/r.s3" || { fail "$name" "no reply to Modify (tcpbcc/est)"; return; }
    ! grep -q "Error" "$T/r.s3" || { fail "$name" "tcpbcc/est refused: $(grep -m1 Error "$T/r.s3")"; return; }
    wait_for "$T/r.speer.log" "connection accepted" || { fail "$name" "est: no connect after tcpbcc/est"; return; }
    sleep 1
    [ ! -s "$T/r.scr" ] || { fail "$name" "est: bytes reached the core before the hold was lifted"; return; }
    send modify_estmode.h248 CTX="$ctx" TERM="$t6" ESTMODE=immediate > "$T/r.s4" || { fail "$name" "no reply to Modify (est)"; return; }
    wait "$sp"; sc=$?
    wait "$tp"; pr=$?
    send subtract_all.h248 CTX="$ctx" > /dev/null
    [ "$sc" -eq 0 ] && [ "$pr" -eq 0 ] || { fail "$name" "est: s_client rc $sc, tcp_peer rc $pr"; return; }
    cmp -s "$T/r.in" "$T/r.scr" && cmp -s "$T/r.in" "$T/r.sue" || { fail "$name" "est: bytes differ"; return; }
    ok "$name ($n bytes each way in all three; accept at log line $la, connect at $lc)"
}

# ---------------------------------------------------------------- (s)
# GnuTLS peers in certificate mode, their certificate made with certtool
# and named by its SHA-256 in the Remote SDP (RFC 8122 §5):
# gnutls-serv as the passive UE (the gateway TLS client, gnutls-serv asking
# for the gateway's certificate), echoing what the core peer sends; then
# gnutls-cli as the active UE, presenting its certificate when the gateway
# (TLS server) asks for it, its bytes echoed by the core peer. gnutls-serv
# listens on the wildcard address: bind_loopback.so keeps it on 127.0.0.1.
case_s() {
    local name="gnutls-serv as passive UE, gnutls-cli as active UE, certificate mode (certtool, SDP fingerprint)"
    local b; for b in gnutls-serv gnutls-cli certtool; do
        command -v "$b" >/dev/null || { fail "$name" "$b (Debian package gnutls-bin) missing"; return; }
    done
    [ -f "$BIN/bind_loopback.so" ] || { fail "$name" "$BIN/bind_loopback.so missing (make integration builds it)"; return; }
    certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 --outfile "$T/s.key" 2>/dev/null &&
        printf 'cn = "ue-gnutls"\nexpiration_days = 2\ntls_www_server\ntls_www_client\nsigning_key\n' > "$T/s.tmpl" &&
        certtool --generate-self-signed --load-privkey "$T/s.key" --template "$T/s.tmpl" --outfile "$T/s.pem" 2>/dev/null ||
        { fail "$name" "certtool could not make the UE certificate"; return; }
    local fp; fp=$(openssl x509 -in "$T/s.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
    local up cp; peer_port up; peer_port cp
    payload "$T/s.in" 30000
    local n; n=$(stat -c %s "$T/s.in")
    LD_PRELOAD="$(realpath "$BIN/bind_loopback.so")" timeout 30 gnutls-serv -p "$up" --echo --require-client-cert \
        --x509certfile "$T/s.pem" --x509keyfile "$T/s.key" > "$T/s.serv.log" 2>&1 &
    local sp=$!; PIDS+=("$sp")
    wait_for "$T/s.serv.log" "listening on IPv4" || { fail "$name" "gnutls-serv did not start: $(head -2 "$T/s.serv.log")"; return; }
    "$BIN/tcp_peer" listen "$cp" --send "$T/s.in" --out "$T/s.core" --expect "$n" --timeout 20000 2>"$T/s.peer.log" &
    local tp=$!; PIDS+=("$tp")
    wait_for "$T/s.peer.log" "listening on" || { fail "$name" "tcp_peer did not listen: $(head -1 "$T/s.peer.log")"; return; }
    setup_e2ae send s "$cp" add_ue_tls.h248 UE_PORT="$up" UE_SETUP=passive UE_FP="$fp" || { fail "$name" "$E2AE_WHY"; return; }
    local ctx=$E2AE_CTX t1=$E2AE_T1
    wait "$tp"; local pr=$?
    send subtract_all.h248 CTX="$ctx" > /dev/null
    kill "$sp" 2>/dev/null; wait "$sp" 2>/dev/null
    [ "$pr" -eq 0 ] && cmp -s "$T/s.in" "$T/s.core" ||
        { fail "$name" "gnutls-serv: tcp_peer rc $pr, $(tail -1 "$T/s.peer.log")"; return; }
    grep -q "term=$t1 event tls-established -> OK" "$T/emsecd.log" || { fail "$name" "gnutls-serv: no TLS on $t1"; return; }
    # gnutls-serv asked for a certificate (RFC 8122) and got the gateway's
    grep -q "Got a certificate list of 1 certificates" "$T/s.serv.log" && grep -q "Subject: CN=emsecd" "$T/s.serv.log" ||
        { fail "$name" "gnutls-serv got no certificate from the gateway"; return; }

    # gnutls-cli as the UE TLS client; its stdin a FIFO the script holds
    # open until the core peer has everything (gnutls-cli ends at its EOF)
    peer_port cp
    "$BIN/tcp_peer" listen "$cp" --echo --out "$T/s.core2" --expect "$n" --timeout 20000 2>"$T/s.peer2.log" &
    tp=$!; PIDS+=("$tp")
    wait_for "$T/s.peer2.log" "listening on" || { fail "$name" "tcp_peer did not listen: $(head -1 "$T/s.peer2.log")"; return; }
    setup_e2ae send s.cli "$cp" add_ue_tls.h248 UE_PORT=7394 UE_SETUP=active UE_FP="$fp" ||
        { fail "$name" "$E2AE_WHY (gnutls-cli)"; return; }
    local gw=$E2AE_GW t3=$E2AE_T1; ctx=$E2AE_CTX
    mkfifo "$T/s.fifo"
    timeout 20 gnutls-cli --insecure -p "$gw" --x509certfile "$T/s.pem" --x509keyfile "$T/s.key" \
        --logfile "$T/s.cli.log" 127.0.0.1 < "$T/s.fifo" > "$T/s.ue" 2>"$T/s.cli.err" &
    local cl=$!; PIDS+=("$cl")
    exec 4>"$T/s.fifo"
    cat "$T/s.in" >&4
    wait "$tp"; pr=$?
    exec 4>&-
    wait "$cl"; local cr=$?
    send subtract_all.h248 CTX="$ctx" > /dev/null
    [ "$pr" -eq 0 ] && cmp -s "$T/s.in" "$T/s.core2" ||
        { fail "$name" "gnutls-cli: tcp_peer rc $pr, $(tail -1 "$T/s.peer2.log")"; return; }
    cmp -s "$T/s.in" "$T/s.ue" || { fail "$name" "gnutls-cli: echoed bytes differ (gnutls-cli rc $cr)"; return; }
    grep -q "term=$t3 event tls-established -> OK" "$T/emsecd.log" || { fail "$name" "gnutls-cli: no TLS on $t3"; return; }
    grep -q "Server has requested a certificate" "$T/s.cli.log" && grep -q "Successfully sent 1 certificate" "$T/s.cli.log" ||
        { fail "$name" "the gateway did not ask gnutls-cli for its certificate"; return; }
    ok "$name ($n bytes each way, twice)"
}

# ---------------------------------------------------------------- (u)
# The UE (TLS) peer resets mid-transfer (case i is the core side): s_client
# stops reading (its stdout a FIFO nobody reads) while the core peer sends
# 4 MB, and is killed with unread bytes in its receive queue, so that its
# kernel answers with RST. The reset is notified (tcpbcc/rel cause reset on
# the UE termination), the UE leg closed; the core leg, kept for the
# controller to decide (as in case i), is closed by its Subtract; the daemon
# is back to the descriptors it had before.
case_u() {
    local name="UE (TLS) peer resets mid-transfer: Notify tcpbcc/rel cause reset, core leg closed, no descriptor left"
    local cp; peer_port cp
    local fds0; fds0=$(fds_of "$DPID")
    payload "$T/u.in" 3000000
    "$BIN/tcp_peer" listen "$cp" --send "$T/u.in" --timeout 15000 2>"$T/u.peer.log" &
    local tp=$!; PIDS+=("$tp")
    wait_for "$T/u.peer.log" "listening on" || { fail "$name" "tcp_peer did not listen: $(head -1 "$T/u.peer.log")"; return; }
    setup_e2ae send u "$cp" add_ue_tls.h248 UE_PORT=7394 UE_SETUP=active UE_FP="$UE_FP" || { fail "$name" "$E2AE_WHY"; return; }
    local ctx=$E2AE_CTX gw=$E2AE_GW t1=$E2AE_T1 t2=$E2AE_T2
    # the last request before the reset: its sender receives the Notify
    msg audit_term.h248 CTX="$ctx" TERM="$t1"
    "$BIN/h248send" --bind $CTRL --wait-notify 10000 127.0.0.1:$H248 "$T/msg.h248" > "$T/u.out" &
    local hp=$!; PIDS+=("$hp")
    wait_for "$T/u.out" "AuditValue" || { fail "$name" "no reply to AuditValue"; return; }
    mkfifo "$T/u.ofifo"
    exec 5<>"$T/u.ofifo" # held open, never read: s_client's output stalls
    openssl s_client -connect 127.0.0.1:"$gw" -cert "$T/ue.pem" -key "$T/ue.key" -quiet -nocommands \
        < /dev/zero > "$T/u.ofifo" 2>"$T/u.sc.log" &
    local sc=$!; PIDS+=("$sc")
    wait_for "$T/emsecd.log" "term=$t1 action forward" || { kill "$sc" 2>/dev/null; exec 5>&-; fail "$name" "no relay on $t1"; return; }
    sleep 1 # both ways mid-transfer: the UE sends zeros, the core 4 MB the UE no longer reads
    kill -KILL "$sc"; wait "$sc" 2>/dev/null
    exec 5>&-
    wait "$hp"; local hr=$?
    wait_for "$T/emsecd.log" "term=$t1 closed" || { fail "$name" "the UE leg $t1 was not closed after the reset"; return; }
    send subtract_all.h248 CTX="$ctx" > "$T/u.r4"
    wait_for "$T/emsecd.log" "term=$t2 closed" || { fail "$name" "the core leg $t2 was not closed"; return; }
    local i; for i in $(seq 50); do kill -0 "$tp" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$tp" 2>/dev/null && { fail "$name" "the core peer still connected"; return; }
    wait "$tp" 2>/dev/null
    grep -q "term=$t1 event reset" "$T/emsecd.log" || { fail "$name" "no reset event on $t1: $(grep "term=$t1 event" "$T/emsecd.log" | tail -1)"; return; }
    [ "$hr" -eq 0 ] && grep -q "tcpbcc/rel *{ *cause *= *reset" "$T/u.out" ||
        { fail "$name" "no Notify tcpbcc/rel cause reset (h248send rc $hr): $(sed -n '/notify/,$p' "$T/u.out" | tr -d '\n')"; return; }
    local fds1 pipes; fds1=$(fds_of "$DPID"); pipes=$(pipes_of "$DPID")
    [ "$fds1" -eq "$fds0" ] || { fail "$name" "$fds0 descriptors before, $fds1 after (pipes apart)"; return; }
    [ "$pipes" -le "$PIPE_FDS_MAX" ] || { fail "$name" "$pipes pipe descriptors: more than the pool keeps"; return; }
    ok "$name ($(sed -n "s|.*term=$t1 closed (\([0-9]*\) bytes in.*|\1|p" "$T/emsecd.log") bytes from the UE before the reset; $fds1 descriptors)"
}

# bulk_core_peer TAG PORT BYTES TMO_S DELAY_MS CHUNK_MIB: the core side of
# a bulk case, in the background ($BULK_PID): BYTES random bytes sent and
# hashed on the way ($T/TAG.core.sent.sha), what it receives hashed
# ($T/TAG.core.got.sha), a slow reader pausing DELAY_MS once per CHUNK_MIB;
# 1 with $BULK_WHY if it does not listen.
bulk_core_peer() {
    local tag=$1 port=$2 big=$3 tmo=$4 delay=$5 chunk=$6
    rm -f "$T/$tag".*.sha
    head -c "$big" /dev/urandom | tee >(sha256sum > "$T/$tag.core.sent.sha") |
        "$BIN/tcp_peer" listen "$port" --send - --out >(sha256sum > "$T/$tag.core.got.sha") --expect "$big" \
        --timeout $((tmo * 1000)) --read-delay "$delay" --pause-every $((chunk * 1048576)) 2>"$T/$tag.peer.log" &
    BULK_PID=$!; PIDS+=("$BULK_PID")
    wait_for "$T/$tag.peer.log" "listening on" ||
        { BULK_WHY="tcp_peer did not listen: $(head -1 "$T/$tag.peer.log")"; return 1; }
}
# bulk_hashes_equal TAG: the four hashes of a bulk case written (process
# substitutions end after their pipeline) and equal each way, UE -> core
# and core -> UE; 1 with $BULK_WHY otherwise.
bulk_hashes_equal() {
    local tag=$1 f
    for f in core.sent core.got ue.sent ue.got; do
        wait_for "$T/$tag.$f.sha" "^[0-9a-f]\{64\} " || { BULK_WHY="no SHA-256 of $f"; return 1; }
    done
    [ "$(cut -d' ' -f1 "$T/$tag.ue.sent.sha")" = "$(cut -d' ' -f1 "$T/$tag.core.got.sha")" ] ||
        { BULK_WHY="UE -> core: SHA-256 differs"; return 1; }
    [ "$(cut -d' ' -f1 "$T/$tag.core.sent.sha")" = "$(cut -d' ' -f1 "$T/$tag.ue.got.sha")" ] ||
        { BULK_WHY="core -> UE: SHA-256 differs"; return 1; }
}

# ---------------------------------------------------------------- (t)
# Bulk relay both ways at once, TLS UE leg <-> plain core leg: BIG_BYTES
# (default 1 GiB: about 55 s under ASan on a loaded 2-core host; a smaller
# value for a quick run) of random bytes from /dev/urandom each way, never
# held in memory or on disk: each stream is hashed (SHA-256) as it is sent
# and as it is received. Both readers are slow now and then (the core peer stops reading for 100 ms every 1/16 of
# the stream, the UE's output is read in 1/16 pieces with 100 ms between
# them), so that both legs are held back (backpressure, counted in the
# daemon's close lines).
slow_reader() { # CHUNK_MIB PAUSE_S: stdin to stdout, a pause after each chunk
    local r
    while :; do
        r=$(dd bs=1M count="$1" iflag=fullblock 2>&1 >&3 | sed -n 's/^\([0-9]*\)+\([0-9]*\) records in$/\1\2/p')
        [ "${r:-00}" = "00" ] && break
        sleep "$2"
    done 3>&1
}
case_t() {
    local big=${BIG_BYTES:-1073741824}
    local name="bulk relay: $big random bytes each way at once, TLS UE <-> plain core, slow readers, SHA-256 equal"
    [[ "$big" =~ ^[1-9][0-9]*$ ]] || { fail "$name" "BIG_BYTES=$big is not a byte count"; return; }
    local cp; peer_port cp
    local chunk=$(( big / 16 / 1048576 )); [ "$chunk" -ge 1 ] || chunk=1
    # The UE's reader stalls for 1 s after each quarter: long enough for the
    # core peer's bytes to fill every buffer on the way (kernel and relay)
    # however fast the machine, so that the core leg is held back too. With
    # 0.1 s stalls a loaded machine's relay never filled its buffer to the UE.
    local ue_chunk=$(( big / 4 / 1048576 )); [ "$ue_chunk" -ge 1 ] || ue_chunk=1
    local tmo=$(( 60 + big / 2097152 )) # s: 92 for 64 MiB, 572 for 1 GiB (ASan, 2 shared cores)
    local t0; t0=$(date +%s%N)
    bulk_core_peer t "$cp" "$big" "$tmo" 100 "$chunk" || { fail "$name" "$BULK_WHY"; return; }
    local tp=$BULK_PID
    setup_e2ae send t "$cp" add_ue_tls.h248 UE_PORT=7394 UE_SETUP=active UE_FP="$UE_FP" || { fail "$name" "$E2AE_WHY"; return; }
    local ctx=$E2AE_CTX gw=$E2AE_GW t1=$E2AE_T1 t2=$E2AE_T2
    head -c "$big" /dev/urandom | tee >(sha256sum > "$T/t.ue.sent.sha") |
        timeout "$tmo" openssl s_client -connect 127.0.0.1:"$gw" -cert "$T/ue.pem" -key "$T/ue.key" -quiet -nocommands \
        2>"$T/t.sc.log" | slow_reader "$ue_chunk" 1 | sha256sum > "$T/t.ue.got.sha"
    local sc=${PIPESTATUS[2]}
    wait "$tp"; local pr=$?
    local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    send subtract_all.h248 CTX="$ctx" > /dev/null
    [ "$sc" -eq 0 ] && [ "$pr" -eq 0 ] || { fail "$name" "s_client rc $sc, tcp_peer rc $pr: $(tail -1 "$T/t.peer.log")"; return; }
    bulk_hashes_equal t || { fail "$name" "$BULK_WHY ($(tail -1 "$T/t.peer.log"))"; return; }
    local p1 p2
    p1=$(sed -n "s|.*term=$t1 closed (.*, \([0-9]*\) pauses.*|\1|p" "$T/emsecd.log")
    p2=$(sed -n "s|.*term=$t2 closed (.*, \([0-9]*\) pauses.*|\1|p" "$T/emsecd.log")
    [ "${p1:-0}" -gt 0 ] && [ "${p2:-0}" -gt 0 ] ||
        { fail "$name" "a leg was never held back: UE leg ${p1:-?} pauses, core leg ${p2:-?}"; return; }
    ok "$name (${ms} ms; held back: UE leg $p1 times, core leg $p2)"
}

# ---------------------------------------------------------------- (tp)
# Transparent forwarding in bulk (e2e, DESIGN.md): the relay passes the
# UE's bytes as they are, so it splices them (adapters/emsecd/splice.c):
# TP_BYTES random bytes each way at once between two plain peers (what the
# relay sees of an end-to-end TLS session), both slow readers that stall
# once per sixteenth, so that both pipes fill and both legs are held back;
# SHA-256 equal each way, the half-close passed on (each peer ends after
# its bytes and waits for the other's end), every byte spliced.
case_tp() {
    local big=${TP_BYTES:-268435456}
    local name="transparent bulk: $big random bytes each way at once, spliced, slow readers, SHA-256 equal"
    [[ "$big" =~ ^[1-9][0-9]*$ ]] || { fail "$name" "TP_BYTES=$big is not a byte count"; return; }
    local cp; peer_port cp
    local chunk=$(( big / 16 / 1048576 )); [ "$chunk" -ge 1 ] || chunk=1
    local tmo=$(( 60 + big / 4194304 ))
    http_get $MET /metrics "$T/tp.m0" || { fail "$name" "no metrics on 127.0.0.1:$MET"; return; }
    local t0; t0=$(date +%s%N)
    bulk_core_peer tp "$cp" "$big" "$tmo" 300 "$chunk" || { fail "$name" "$BULK_WHY"; return; }
    local tp=$BULK_PID
    send add_transparent.h248 UE_FP="$UE_FP" CORE_PORT="$cp" > "$T/tp.r1" || { fail "$name" "no reply to Add"; return; }
    local ctx gw; ctx=$(ctx_of "$T/tp.r1"); gw=$(port_of "$T/tp.r1" 1)
    [ -n "$ctx" ] && [ -n "$gw" ] || { fail "$name" "Add refused: $(grep -m1 Error "$T/tp.r1")"; return; }
    head -c "$big" /dev/urandom | tee >(sha256sum > "$T/tp.ue.sent.sha") |
        "$BIN/tcp_peer" connect "$gw" --send - --out >(sha256sum > "$T/tp.ue.got.sha") --expect "$big" \
        --timeout $((tmo * 1000)) --read-delay 300 --pause-every $((chunk * 1048576)) 2>"$T/tp.ue.log"
    local ur=$?
    wait "$tp"; local pr=$?
    local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    send subtract_all.h248 CTX="$ctx" > /dev/null
    [ "$ur" -eq 0 ] && [ "$pr" -eq 0 ] ||
        { fail "$name" "UE tcp_peer rc $ur ($(tail -1 "$T/tp.ue.log")), core tcp_peer rc $pr ($(tail -1 "$T/tp.peer.log"))"; return; }
    bulk_hashes_equal tp || { fail "$name" "$BULK_WHY"; return; }
    http_get $MET /metrics "$T/tp.m1" || { fail "$name" "no metrics on 127.0.0.1:$MET"; return; }
    local k='emsecd_relay_bytes_total{direction="rx",leg="plain"}' sk='emsecd_relay_spliced_bytes_total'
    local rx spliced; rx=$(metric_delta tp "$k"); spliced=$(metric_delta tp "$sk")
    [ "$rx" -eq $((2 * big)) ] && [ "$spliced" -eq "$rx" ] ||
        { fail "$name" "$rx bytes relayed (expected $((2 * big))), $spliced of them spliced"; return; }
    local t1 t2 p1 p2
    t1=$(sed -n 's/^ *Add = \([^ {]*\).*/\1/p' "$T/tp.r1" | sed -n 1p)
    t2=$(sed -n 's/^ *Add = \([^ {]*\).*/\1/p' "$T/tp.r1" | sed -n 2p)
    p1=$(sed -n "s|.*term=$t1 closed (.*, \([0-9]*\) pauses.*|\1|p" "$T/emsecd.log" | tail -1)
    p2=$(sed -n "s|.*term=$t2 closed (.*, \([0-9]*\) pauses.*|\1|p" "$T/emsecd.log" | tail -1)
    [ "${p1:-0}" -gt 0 ] && [ "${p2:-0}" -gt 0 ] ||
        { fail "$name" "a leg was never held back: $t1 ${p1:-?} pauses, $t2 ${p2:-?}"; return; }
    ok "$name (${ms} ms; all $rx spliced; held back: $t1 $p1 times, $t2 $p2)"
}

# ---------------------------------------------------------------- (v)
# 1000 sessions set up and torn down: per session an Add of a plain UE leg
# (the gateway listening) and an Add of a plain core leg (the gateway
# connecting to conn_load serve), the UE connecting (conn_load connect),
# 64 bytes that name the session echoed back through both legs, then the
# Subtract. H.248 batched: 15 transactions per message (30 actions: the
# core makes at most EMSEC_MG_MAX_ACTIONS = 32 per message), 40 sessions
# at once.
# Its own daemon, with ASan's quarantine off (freed memory held back by ASan
# would read as growth): /proc/PID/fd counted and VmRSS read before, after a
# warm-up of 80 sessions and after the 1000; the descriptors must be the
# same, VmRSS may grow by V_RSS_KB at most (printed); SIGTERM at the end
# runs ASan's leak check.
V_RSS_KB=${V_RSS_KB:-2048}
v_rss() { sed -n 's/^VmRSS:[[:space:]]*\([0-9][0-9]*\) kB/\1/p' /proc/"$1"/status; }
# v_batch N: N sessions through the case's daemon; 0 when all passed
v_batch() {
    local n=$1 left=$1 k i
    : > "$T/v.ports"; : > "$T/v.ctxs"
    while [ "$left" -gt 0 ]; do
        k=$(( left < 15 ? left : 15 ))
        { sed -n "1s|@CTRL_PORT@|$V_CTRL|p" "$SCN/add_session_plain.h248"
          for i in $(seq "$k"); do
              V_TID=$((V_TID + 1))
              sed -e "1d; s|@TID@|$V_TID|; s|@CORE_PORT@|$V_CORE|" "$SCN/add_session_plain.h248"
          done; } > "$T/v.add"
        "$BIN/h248send" --bind "$V_CTRL" 127.0.0.1:"$V_H248" "$T/v.add" > "$T/v.reply" || { V_WHY="no reply to $k Adds"; return 1; }
        grep -q "Error" "$T/v.reply" && { V_WHY="Add refused: $(grep -m1 Error "$T/v.reply")"; return 1; }
        awk '/^m=message/ { p = $2 } /^a=setup:passive/ { print p }' "$T/v.reply" >> "$T/v.ports"
        sed -n 's/^ *Context = \([0-9][0-9]*\).*/\1/p' "$T/v.reply" >> "$T/v.ctxs"
        left=$((left - k))
    done
    [ "$(wc -l < "$T/v.ports")" -eq "$n" ] && [ "$(wc -l < "$T/v.ctxs")" -eq "$n" ] ||
        { V_WHY="$(wc -l < "$T/v.ports") UE ports and $(wc -l < "$T/v.ctxs") contexts in the replies for $n sessions"; return 1; }
    "$BIN/conn_load" connect "$T/v.ports" --bytes 64 --timeout 20000 2>>"$T/v.load.log" || { V_WHY="$(tail -1 "$T/v.load.log")"; return 1; }
    local c
    while read -r c; do
        V_TID=$((V_TID + 1))
        printf 'Transaction = %s { Context = %s { Subtract = * } }\n' "$V_TID" "$c"
    done < "$T/v.ctxs" | split -l 15 - "$T/v.sub."
    for f in "$T"/v.sub.*; do
        { sed -n "1s|@CTRL_PORT@|$V_CTRL|p" "$SCN/add_session_plain.h248"; cat "$f"; } > "$T/v.sub"
        rm -f "$f"
        "$BIN/h248send" --bind "$V_CTRL" 127.0.0.1:"$V_H248" "$T/v.sub" > "$T/v.subr" || { V_WHY="no reply to Subtract"; return 1; }
        grep -q "Error" "$T/v.subr" && { V_WHY="Subtract refused: $(grep -m1 Error "$T/v.subr")"; return 1; }
    done
    return 0
}
case_v() {
    local total=${V_SESSIONS:-1000}
    local name="$total sessions set up and torn down (Add+Add, connect, 64 bytes echoed, Subtract): no descriptor leaked, VmRSS bounded"
    [ -x "$BIN/conn_load" ] || { fail "$name" "$BIN/conn_load missing (make integration builds it)"; return; }
    # its own port block, like the main daemon's (below the ephemeral
    # ports: its 2000 connections would otherwise soon take a UE leg's port)
    local vd="" try
    for try in 1 2 3; do
        V_H248=$((20000 + (RANDOM % BLOCKS) * 100))
        [ "$V_H248" -ne "$BASE" ] && [[ "$USED_BLOCKS" != *" $V_H248 "* ]] && port_free "$V_H248" &&
            port_free $((V_H248 + 1)) || continue
        V_CTRL=$((V_H248 + 2)); V_CORE=$((V_H248 + 1))
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0" "$EMSECD" --listen 127.0.0.1:$V_H248 \
            --media-address 127.0.0.1 --ports $((V_H248 + 10))-$((V_H248 + 99)) --state-dir "$T/state4" 2>"$T/v.log" &
        vd=$!; PIDS+=("$vd")
        wait_for "$T/v.log" "ready:" && break
        kill "$vd" 2>/dev/null; wait "$vd" 2>/dev/null; vd=""
    done
    [ -n "$vd" ] || { fail "$name" "its daemon did not start: $(grep -m1 -i 'bind\|error' "$T/v.log")"; return; }
    local warm=80
    "$BIN/conn_load" serve "$V_CORE" --count $((warm + total)) --timeout 300000 2>"$T/v.serve.log" &
    local sp=$!; PIDS+=("$sp")
    wait_for "$T/v.serve.log" "serving" || { fail "$name" "conn_load serve did not start"; return; }
    V_TID=0; V_WHY=""
    local t0 fd0 rss0 fd1 rss1 fd2 rss2 done=0
    t0=$(date +%s%N)
    fd0=$(fds_of "$vd"); rss0=$(v_rss "$vd")
    v_batch 40 && v_batch 40 || { fail "$name" "warm-up: $V_WHY"; return; }
    fd1=$(fds_of "$vd"); rss1=$(v_rss "$vd")
    while [ "$done" -lt "$total" ]; do
        local k=$(( total - done < 40 ? total - done : 40 ))
        v_batch "$k" || { fail "$name" "after $done sessions: $V_WHY"; return; }
        done=$((done + k))
    done
    fd2=$(fds_of "$vd"); rss2=$(v_rss "$vd"); local vpipes; vpipes=$(pipes_of "$vd")
    local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    wait "$sp"; local sr=$?
    kill -TERM "$vd"; wait "$vd"; local drc=$?
    [ "$sr" -eq 0 ] || { fail "$name" "core side: $(tail -1 "$T/v.serve.log")"; return; }
    [ "$drc" -eq 0 ] && ! grep -q "Sanitizer\|runtime error" "$T/v.log" ||
        { fail "$name" "daemon exit rc $drc: $(grep -m3 -A5 'Sanitizer\|runtime error' "$T/v.log")"; return; }
    [ "$fd0" -eq "$fd1" ] && [ "$fd1" -eq "$fd2" ] ||
        { fail "$name" "descriptors (pipes apart): $fd0 at start, $fd1 after the warm-up, $fd2 after $total sessions"; return; }
    [ "$vpipes" -le "$PIPE_FDS_MAX" ] || { fail "$name" "$vpipes pipe descriptors: more than the pool keeps"; return; }
    [ -n "$rss0" ] && [ -n "$rss1" ] && [ -n "$rss2" ] || { fail "$name" "no VmRSS in /proc/$vd/status"; return; }
    [ $((rss2 - rss1)) -le "$V_RSS_KB" ] ||
        { fail "$name" "VmRSS $rss0 kB at start, $rss1 after the warm-up, $rss2 after $total sessions (more than $V_RSS_KB kB)"; return; }
    ok "$name ($total + $warm warm-up in $ms ms; $fd2 descriptors before and after; VmRSS $rss0 -> $rss1 after warm-up -> $rss2 kB, growth $((rss2 - rss1)) kB <= $V_RSS_KB)"
}

# ---------------------------------------------------------------- (q), (w)
# MSRP-aware relay (issue 7): a third daemon, started with --msrp-aware on
# for these two cases (the main daemon stays application-agnostic: case a
# relays MSRP sessions byte for byte). Real MSRP endpoints (msrp_peer): the
# UE on TLS, the core peer on plain TCP. Its own port block, like case v's.
MSRP_D=""; MSRP_WHY=""
msrp_daemon() {
    [ -n "$MSRP_D" ] && return 0
    [ -x "$BIN/msrp_peer" ] || { MSRP_WHY="$BIN/msrp_peer missing (make integration builds it)"; return 1; }
    local eph blocks try
    eph=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
    blocks=$(( (${eph:-32768} - 20000) / 100 )); [ "$blocks" -ge 1 ] || blocks=1
    for try in 1 2 3; do
        MSRP_H248=$((20000 + (RANDOM % blocks) * 100))
        [ "$MSRP_H248" -ne "$BASE" ] && [[ "$USED_BLOCKS" != *" $MSRP_H248 "* ]] && port_free "$MSRP_H248" &&
            port_free $((MSRP_H248 + 2)) || continue
        MSRP_MET=$((MSRP_H248 + 2)); MSRP_PEER=$((MSRP_H248 + 60))
        "$EMSECD" --listen 127.0.0.1:$MSRP_H248 --media-address 127.0.0.1 --msrp-aware on \
            --ports $((MSRP_H248 + 10))-$((MSRP_H248 + 49)) --metrics 127.0.0.1:$MSRP_MET \
            --state-dir "$T/state5" 2>"$T/msrp.log" &
        MSRP_D=$!; PIDS+=("$MSRP_D")
        wait_for "$T/msrp.log" "ready:.*msrp-aware on" && return 0
        kill "$MSRP_D" 2>/dev/null; wait "$MSRP_D" 2>/dev/null; MSRP_D=""
    done
    MSRP_WHY="the --msrp-aware daemon did not start: $(grep -m1 -i 'bind\|error' "$T/msrp.log")"
    return 1
}
msrp_send() { msg "$@"; "$BIN/h248send" 127.0.0.1:$MSRP_H248 "$T/msg.h248"; }
sdp_path() { sed -n 's/^a=path:\([^\r]*\)\r*$/\1/p' "$1" | head -1; }
# msrp_call TAG SENDER-ARGS...: a TLS UE (msrp_peer send, TLS client) and a
# plain core peer (msrp_peer recv, listening) through the daemon; MSRP_RC
# "send-rc recv-rc", the endpoints' outputs in $T/TAG.send, $T/TAG.recv.
msrp_call() {
    local tag=$1; shift
    local expect=$1; shift
    MSRP_PEER=$((MSRP_PEER + 1)); local cp=$MSRP_PEER
    local ue_path="msrps://127.0.0.1:7394/ue1;tcp" core_path="msrp://127.0.0.1:$cp/as1;tcp"
    # no core port yet: the core peer starts with the gateway's a=path from
    # the replies, and the Modify follows once it listens
    setup_e2ae msrp_send "$tag" "" add_ue_tls.h248 UE_PORT=7394 UE_SETUP=active UE_FP="$UE_FP" ||
        { MSRP_WHY=$E2AE_WHY; return 1; }
    MSRP_CTX=$E2AE_CTX; MSRP_T1=$E2AE_T1
    local gw=$E2AE_GW t2=$E2AE_T2 gw_ue gw_core; gw_ue=$(sdp_path "$T/$tag.r1"); gw_core=$(sdp_path "$T/$tag.r2")
    [ -n "$gw_ue" ] && [ -n "$gw_core" ] || { MSRP_WHY="no a=path in the Add replies"; return 1; }
    # the core peer must see the gateway's core-leg URI in From-Path and its
    # own in To-Path; the UE the gateway's UE-leg URI in every response
    "$BIN/msrp_peer" recv listen "$cp" --path "$core_path" --expect-from "$gw_core" --expect-bytes "$expect" \
        --timeout 30000 ${MSRP_RX_DELAY:+--read-delay "$MSRP_RX_DELAY"} > "$T/$tag.recv" 2>"$T/$tag.recv.log" &
    local rp=$!; PIDS+=("$rp")
    wait_listen "$cp" || { MSRP_WHY="peer not listening on $cp"; return 1; }
    msrp_send modify_core_remote.h248 CTX="$MSRP_CTX" TERM="$t2" CORE_PORT="$cp" > "$T/$tag.r3" ||
        { MSRP_WHY="no reply to Modify"; return 1; }
    "$BIN/msrp_peer" send connect "$gw" --tls "$T/ue.pem" "$T/ue.key" --path "$ue_path" --to "$gw_ue" \
        --expect-from "$gw_ue" --timeout 30000 "$@" > "$T/$tag.send" 2>"$T/$tag.send.log"
    local sr=$?
    wait "$rp"; local rr=$?
    msrp_send subtract_all.h248 CTX="$MSRP_CTX" > /dev/null
    MSRP_RC="$sr $rr"
    return 0
}
msrp_metric() { http_get "$MSRP_MET" /metrics "$T/msrp.m" && metric "$T/msrp.m" "$1"; }

case_q() {
    local name="MSRP-aware relay: TLS UE -> plain core peer, To-Path/From-Path rewritten both ways, bodies byte-exact"
    msrp_daemon || { fail "$name" "$MSRP_WHY"; return; }
    # 6 messages of 1200000 bytes in chunks of 60000 (Byte-Range, "+" then
    # "$"), all 120 in flight (7.2 MB, more than the kernel's 4 MB send
    # buffer), to a slow core peer: the relay must hold the UE back
    # (backpressure through the framer)
    MSRP_RX_DELAY=2 msrp_call q 7200000 --count 6 --size 1200000 --chunk 60000 --window 128 ||
        { fail "$name" "$MSRP_WHY"; return; }
    [ "$MSRP_RC" = "0 0" ] ||
        { fail "$name" "endpoints rc $MSRP_RC: $(tail -1 "$T/q.send.log") / $(tail -1 "$T/q.recv.log")"; return; }
    local s r; s=$(cut -d' ' -f2 "$T/q.send"); r=$(cut -d' ' -f2 "$T/q.recv")
    [ -n "$s" ] && [ "$s" = "$r" ] || { fail "$name" "body SHA-256 sent $s, received $r"; return; }
    grep -q "term=$MSRP_T1 relay with .*msrp-aware" "$T/msrp.log" || { fail "$name" "the relay was not MSRP-aware"; return; }
    local n r; n=$(msrp_metric 'emsecd_msrp_rewritten_total{message="request"}')
    r=$(metric "$T/msrp.m" 'emsecd_msrp_rewritten_total{message="response"}')
    # 20 chunks per message, each answered 200
    [ "${n:-0}" -ge 120 ] && [ "${r:-0}" -ge 120 ] ||
        { fail "$name" "emsecd_msrp_rewritten_total request ${n:-none}, response ${r:-none}, expected >= 120 each"; return; }
    local pauses; pauses=$(sed -n "s|.*term=$MSRP_T1 closed (.*, \([0-9]*\) pauses.*|\1|p" "$T/msrp.log")
    [ "${pauses:-0}" -gt 0 ] || { fail "$name" "the UE side was never held back (backpressure not exercised)"; return; }
    ok "$name ($(cut -d' ' -f3-6 "$T/q.recv"), sha256 $s, $n requests and $r responses rewritten, UE held back $pauses times)"
}

case_w() {
    local name="MSRP-aware relay: a SEND whose To-Path is not the session's is answered 481, never forwarded, logged; a framing error closes both legs"
    msrp_daemon || { fail "$name" "$MSRP_WHY"; return; }
    local before; before=$(msrp_metric 'emsecd_msrp_refused_total{result="answered_481"}')
    # the core peer expects exactly the good message's 4096 bytes: a
    # forwarded refused SEND would break its count and its To-Path check
    msrp_call w 4096 --bad-to "msrps://127.0.0.1:9/nosuchsession;tcp" --count 1 --size 4096 --chunk 4096 ||
        { fail "$name" "$MSRP_WHY"; return; }
    [ "$MSRP_RC" = "0 0" ] ||
        { fail "$name" "endpoints rc $MSRP_RC: $(tail -1 "$T/w.send.log") / $(tail -1 "$T/w.recv.log")"; return; }
    grep -q "answered 481" "$T/w.send.log" || { fail "$name" "the UE got no 481"; return; }
    [ "$(cut -d' ' -f2 "$T/w.send")" = "$(cut -d' ' -f2 "$T/w.recv")" ] || { fail "$name" "body SHA-256 differs"; return; }
    grep -q "term=$MSRP_T1 msrp-aware: request bad[0-9a-f]* (SEND) refused: .*answered 481, not forwarded" "$T/msrp.log" ||
        { fail "$name" "no log line naming $MSRP_T1 and the refusal"; return; }
    local after; after=$(msrp_metric 'emsecd_msrp_refused_total{result="answered_481"}')
    [ $(( ${after:-0} - ${before:-0} )) -eq 1 ] || { fail "$name" "answered_481 went from ${before:-none} to ${after:-none}"; return; }
    # a framing error: the UE sends bytes that are not MSRP; both legs are
    # closed (the core peer sees its connection end with no byte), logged
    # with the rule, counted
    MSRP_PEER=$((MSRP_PEER + 1)); local cp=$MSRP_PEER
    "$BIN/msrp_peer" recv listen "$cp" --path "msrp://127.0.0.1:$cp/as1;tcp" --expect-bytes 0 --timeout 15000 \
        > "$T/w.grecv" 2>"$T/w.grecv.log" &
    local rp=$!; PIDS+=("$rp")
    wait_listen "$cp" || { fail "$name" "peer not listening on $cp"; return; }
    setup_e2ae msrp_send w.g "$cp" add_ue_tls.h248 UE_PORT=7394 UE_SETUP=active UE_FP="$UE_FP" ||
        { fail "$name" "$E2AE_WHY (framing)"; return; }
    local ctx=$E2AE_CTX gw=$E2AE_GW t1=$E2AE_T1 t2=$E2AE_T2
    printf 'GARBAGE that is not MSRP\r\n\r\n' | timeout 10 openssl s_client -connect 127.0.0.1:"$gw" \
        -cert "$T/ue.pem" -key "$T/ue.key" -quiet -nocommands > /dev/null 2>"$T/w.gsc.log"
    wait "$rp"; local rr=$?
    wait_for "$T/msrp.log" "term=$t2 closed" || { fail "$name" "framing error: the core leg $t2 was not closed"; return; }
    msrp_send subtract_all.h248 CTX="$ctx" > /dev/null
    [ "$rr" -eq 0 ] || { fail "$name" "framing error: core peer rc $rr: $(tail -1 "$T/w.grecv.log")"; return; }
    grep -q "term=$t1 msrp-aware: framing error at stream offset [0-9]*, rule [A-Z_]*: both legs closed" "$T/msrp.log" ||
        { fail "$name" "no framing error logged for $t1"; return; }
    local fe; fe=$(msrp_metric 'emsecd_msrp_framing_errors_total')
    [ "${fe:-0}" -eq 1 ] || { fail "$name" "emsecd_msrp_framing_errors_total is ${fe:-none}, expected 1"; return; }
    # the daemon is stopped here: SIGTERM, exit 0, no sanitizer report
    kill -TERM "$MSRP_D"; wait "$MSRP_D"; local drc=$?; MSRP_D=""
    [ "$drc" -eq 0 ] && ! grep -q "Sanitizer\|runtime error" "$T/msrp.log" ||
        { fail "$name" "daemon exit rc $drc: $(grep -m3 -A5 'Sanitizer\|runtime error' "$T/msrp.log")"; return; }
    ok "$name"
}

# Case lf runs beside the others too (lf_run, about 30 s), checked by case_lf.
LF_PID=
if [[ " $CASE_LIST " == *" lf "* ]]; then
    if own_block LFB; then
        echo "--ports $((LFB + 10))-$((LFB + 10)) --controller 127.0.0.1:$((LFB + 1))" > "$T/lf.cmd"
        lf_run $((LFB + 10)) $((LFB + 1)) "$LFB" $((LFB + 2)) > "$T/lf.run.log" 2>&1 &
        LF_PID=$!; PIDS+=("$LF_PID")
    else
        echo "no free port block of its own" > "$T/lf.done"
    fi
fi

for c in $CASE_LIST; do "case_$c"; done

# Every case ended with Subtract: the daemon holds the descriptors it
# started with (H.248 socket, epoll, stdio), no more.
FDS_END=$(fds_of "$DPID")
PIPES_END=$(pipes_of "$DPID")
http_get $MET /metrics "$T/end.m" || : > "$T/end.m"
POOLED=$(metric "$T/end.m" 'emsecd_relay_pipes{state="pooled"}')
PIPES_HELD=$(metric "$T/end.m" 'emsecd_relay_pipes{state="in_use"}')
if [ "$FDS_END" -ne "$FDS_START" ]; then
    fail "no descriptor leaked" "$FDS_START descriptors at start, $FDS_END at the end (pipes apart)"; ls -l /proc/"$DPID"/fd
elif [ "$PIPES_HELD" != "0" ] || [ "$PIPES_END" -ne $((PIPES_START + 2 * ${POOLED:-0})) ]; then
    fail "no descriptor leaked" "$PIPES_START pipe descriptors at start, $PIPES_END at the end; pipes pooled ${POOLED:-?}, held ${PIPES_HELD:-?}"
    ls -l /proc/"$DPID"/fd
else
    ok "no descriptor leaked ($FDS_END open at start and end, and the pool's $POOLED pipes)"
fi

# The daemon stops cleanly on SIGTERM; under ASan a leak or a UB report makes
# it exit non-zero.
kill -TERM "$DPID"; wait "$DPID"; DRC=$?; DPID=
if [ "$DRC" -ne 0 ] || grep -q "Sanitizer\|runtime error" "$T/emsecd.log"; then
    fail "emsecd clean exit" "rc $DRC"; grep -A30 "Sanitizer\|runtime error" "$T/emsecd.log" | head -60
else
    ok "emsecd clean exit on SIGTERM, no sanitizer report"
fi
# KEEP=DIR keeps the logs and files of the run (debugging)
[ -n "${KEEP:-}" ] && cp -r "$T" "$KEEP" && echo "integration: files kept in $KEEP"
echo "integration: $FAILS failure(s) in $(( $(date +%s) - START )) s"
if [ "$FAILS" -ne 0 ]; then
    echo "--- emsecd log (last 60 lines)"; tail -60 "$T/emsecd.log"
    exit 1
fi
