#!/usr/bin/env bash
# `make bench BENCH=msrp` (bench/run.sh runs it): the MSRP-aware relay of
# emsecd (To-Path/From-Path rewritten in every message, issue 7 item 6) next
# to the application-agnostic relay (bytes untouched), in this one run: the
# same emsecd release build (two daemons, one with --msrp-aware on), the
# same peers (tests/integration/msrp_peer.c, -O2: a TLS UE sending SEND
# chunks, a plain core peer answering 200 to each), the same message sizes,
# the two modes taking turns in every round. Per run: wall-clock throughput
# of body bytes and the relay daemon's own CPU time (utime + stime from
# /proc/PID/stat) per GB of body. Target: MSRP-aware >= 0.8x agnostic.
# Writes results/msrp_relay.txt (table, ratios, every run).
#
# Environment (all optional; bench/Makefile passes them through):
#   MSRP_BYTES    body bytes per run                 (default 1073741824, 1 GiB)
#   MSRP_CHUNKS   SEND chunk sizes, one message each (default "2048 65536")
#   MSRP_REPS     rounds                             (default 1)
#   MSRP_WINDOW   chunks in flight per sender        (default 64)
#   MSRP_RESULTS  results file                       (default results/msrp_relay.txt)
#   EMSECD        the daemon                         (default ../build/rel/emsecd)
# Every process started here is killed by its PID at the end; every wait is
# bounded (msrp_peer --timeout, h248send's own).
set -u
cd "$(dirname "$0")"

BYTES=${MSRP_BYTES:-1073741824}
CHUNKS=${MSRP_CHUNKS:-2048 65536}
REPS=${MSRP_REPS:-1}
WINDOW=${MSRP_WINDOW:-64}
RESULTS=${MSRP_RESULTS:-results/msrp_relay.txt}
EMSECD=${EMSECD:-../build/rel/emsecd}
PEER=../build/rel/msrp_peer
H248SEND=../build/rel/h248send
SCN=../tests/integration/scenarios

fail() { echo "bench msrp: $*" >&2; exit 1; }
for b in "$EMSECD" "$PEER" "$H248SEND"; do
    [ -x "$b" ] || fail "missing $b (make -C bench BENCH=msrp builds it)"
done
command -v openssl >/dev/null || fail "openssl missing"

T=$(mktemp -d /tmp/emsec-msrp-bench.XXXXXX)
declare -A PID
cleanup() {
    for p in "${PID[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=ue \
    -keyout "$T/ue.key" -out "$T/ue.pem" 2>/dev/null || fail "openssl req failed"
UE_FP=$(openssl x509 -in "$T/ue.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
TCK=$(getconf CLK_TCK)

# Ports: a random base below the ephemeral range; agnostic daemon on BASE,
# MSRP-aware on BASE+1; media ports BASE+10..; core peers from BASE+80.
port_free() { ! (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }
eph=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
for _ in 1 2 3 4 5; do
    BASE=$((20000 + (RANDOM % (( (${eph:-32768} - 20100) / 100 ))) * 100))
    port_free $BASE && port_free $((BASE + 1)) && break
done
declare -A H248=([agnostic]=$BASE [aware]=$((BASE + 1)))
declare -A MEDIA=([agnostic]="$((BASE + 10))-$((BASE + 39))" [aware]="$((BASE + 40))-$((BASE + 69))")
NEXT_CORE=$((BASE + 80))

start() { # MODE
    local flag=""; [ "$1" = aware ] && flag="--msrp-aware on"
    # shellcheck disable=SC2086
    $EMSECD --listen 127.0.0.1:${H248[$1]} --ports ${MEDIA[$1]} --state-dir "$T/state-$1" $flag \
        2>"$T/$1.log" & PID[$1]=$!
    for _ in $(seq 100); do grep -q "ready:" "$T/$1.log" && return 0; sleep 0.1; done
    tail -5 "$T/$1.log"; fail "emsecd ($1) did not start"
}
TID=0
send() { # MODE FILE VAR=VALUE...
    local mode=$1 f=$2; shift 2
    TID=$((TID + 1))
    local s="s|@CTRL_PORT@|2944|g; s|@TID@|$TID|g; s|@UE_HASH@|sha-256|g"
    local kv; for kv in "$@"; do s="s|@${kv%%=*}@|${kv#*=}|g; $s"; done
    sed -e "$s" "$SCN/$f" > "$T/msg.h248"
    "$H248SEND" 127.0.0.1:${H248[$mode]} "$T/msg.h248"
}
cpu_ticks() { awk '{ print $14 + $15 }' /proc/"$1"/stat; }

# run MODE CHUNK ROUND: one session, BYTES of body in CHUNK-byte SENDs
run() {
    local mode=$1 chunk=$2 round=$3
    local count=$((BYTES / chunk))
    NEXT_CORE=$((NEXT_CORE + 1)); local cp=$NEXT_CORE
    send "$mode" add_ue_tls.h248 UE_PORT=7394 UE_SETUP=active UE_FP="$UE_FP" > "$T/r1" || fail "no reply to Add ($mode)"
    local ctx gw gw_ue gw_core t2
    ctx=$(sed -n 's/^ *Context = \([0-9][0-9]*\).*/\1/p' "$T/r1" | head -1)
    gw=$(sed -n 's/^m=message \([0-9]*\) .*/\1/p' "$T/r1" | head -1)
    gw_ue=$(sed -n 's/^a=path:\([^\r]*\)\r*$/\1/p' "$T/r1" | head -1)
    send "$mode" add_core_plain.h248 CTX="$ctx" > "$T/r2" || fail "no reply to Add core ($mode)"
    t2=$(sed -n 's/^ *Add = \(tcp\/[0-9][0-9]*\).*/\1/p' "$T/r2" | head -1)
    gw_core=$(sed -n 's/^a=path:\([^\r]*\)\r*$/\1/p' "$T/r2" | head -1)
    local core_path="msrp://127.0.0.1:$cp/as1;tcp" ue_path="msrps://127.0.0.1:7394/ue1;tcp"
    # agnostic: the paths pass as they are, so the UE addresses the core
    # peer directly; aware: each side addresses the gateway, which rewrites
    local to="$core_path" rx_from=() tx_from=()
    if [ "$mode" = aware ]; then
        to="$gw_ue"; rx_from=(--expect-from "$gw_core"); tx_from=(--expect-from "$gw_ue")
    fi
    "$PEER" recv listen "$cp" --path "$core_path" "${rx_from[@]}" --expect-bytes $((count * chunk)) \
        --timeout 900000 > "$T/recv.out" 2>"$T/recv.err" & local rp=$!
    sleep 0.2
    send "$mode" modify_core_remote.h248 CTX="$ctx" TERM="$t2" CORE_PORT="$cp" > /dev/null || fail "no reply to Modify"
    local c0 t0 t1 c1
    c0=$(cpu_ticks "${PID[$mode]}"); t0=$(date +%s%N)
    "$PEER" send connect "$gw" --tls "$T/ue.pem" "$T/ue.key" --path "$ue_path" --to "$to" "${tx_from[@]}" \
        --count "$count" --size "$chunk" --chunk "$chunk" --window "$WINDOW" --timeout 900000 \
        > "$T/send.out" 2>"$T/send.err"
    local sr=$?
    wait $rp; local rr=$?
    t1=$(date +%s%N); c1=$(cpu_ticks "${PID[$mode]}")
    send "$mode" subtract_all.h248 CTX="$ctx" > /dev/null
    [ $sr -eq 0 ] && [ $rr -eq 0 ] || fail "$mode chunk $chunk: sender rc $sr ($(tail -1 "$T/send.err")), receiver rc $rr ($(tail -1 "$T/recv.err"))"
    [ "$(cut -d' ' -f2 "$T/send.out")" = "$(cut -d' ' -f2 "$T/recv.out")" ] || fail "$mode chunk $chunk: body SHA-256 differs"
    local body=$((count * chunk)) ns=$((t1 - t0)) ticks=$((c1 - c0))
    awk -v m="$mode" -v c="$chunk" -v r="$round" -v b="$body" -v ns="$ns" -v t="$ticks" -v hz="$TCK" -v n="$count" 'BEGIN {
        s = ns / 1e9; cpu = t / hz
        printf "RESULT round=%d mode=%s chunk=%d bytes=%d msgs=%d secs=%.3f mb_per_s=%.1f relay_cpu_s=%.2f cpu_s_per_gb=%.3f\n",
               r, m, c, b, n, s, b / s / 1e6, cpu, cpu / (b / 1e9) }' >> "$T/runs.txt"
    tail -1 "$T/runs.txt"
}

start agnostic
start aware
echo "bench msrp: $BYTES body bytes per run, chunks of ${CHUNKS// / and } bytes, $REPS round(s), window $WINDOW"
: > "$T/runs.txt"
for r in $(seq "$REPS"); do
    for c in $CHUNKS; do
        [ $((c % 8)) -eq 0 ] && [ "$c" -le $((1 << 20)) ] || fail "MSRP_CHUNKS: $c is not a multiple of 8 up to 1 MiB"
        run agnostic "$c" "$r"
        run aware "$c" "$r"
    done
done
grep -q "relay with .*msrp-aware" "$T/aware.log" || fail "the aware daemon never relayed MSRP-aware"
! grep -q "relay with .*msrp-aware" "$T/agnostic.log" || fail "the agnostic daemon relayed MSRP-aware"

# median per mode and chunk, then aware / agnostic
med() { # MODE CHUNK FIELD
    grep "mode=$1 chunk=$2 " "$T/runs.txt" | tr ' ' '\n' | sed -n "s/^$3=//p" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2];
                                  else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
mkdir -p "$(dirname "$RESULTS")"
{
    echo "MSRP-aware relay vs application-agnostic relay (emsecd $EMSECD, same build, same peers)"
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); host: $(nproc) CPUs; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "per run: $BYTES body bytes, TLS UE (msrp_peer send) -> emsecd -> plain core peer (msrp_peer recv, 200 to each chunk)"
    echo
    printf "%-8s %-10s %12s %14s %16s\n" chunk mode "MB/s" "relay CPU s/GB" "ratio vs agn."
    for c in $CHUNKS; do
        ag=$(med agnostic "$c" mb_per_s); aw=$(med aware "$c" mb_per_s)
        agc=$(med agnostic "$c" cpu_s_per_gb); awc=$(med aware "$c" cpu_s_per_gb)
        printf "%-8s %-10s %12s %14s %16s\n" "$c" agnostic "$ag" "$agc" "1.00x"
        printf "%-8s %-10s %12s %14s %16s\n" "$c" msrp-aware "$aw" "$awc" \
            "$(awk -v a="$aw" -v b="$ag" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }')"
        awk -v a="$aw" -v b="$ag" -v ac="$awc" -v bc="$agc" -v c="$c" 'BEGIN {
            r = (b > 0) ? a / b : 0
            printf "chunk %s: throughput ratio %.2fx (target >= 0.8x: %s); relay CPU per GB aware/agnostic %.2fx\n",
                   c, r, (r >= 0.8) ? "met" : "MISSED", (bc > 0) ? ac / bc : 0 }' >> "$T/verdicts.txt"
    done
    echo
    cat "$T/verdicts.txt"
    echo
    echo "# every run:"
    sed 's/^/#   /' "$T/runs.txt"
} > "$RESULTS"
echo
sed -n '/^chunk /,/^# every run/p' "$RESULTS" | sed '$d'
case $RESULTS in /*) echo "written: $RESULTS";; *) echo "written: bench/$RESULTS";; esac
