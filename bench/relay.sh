#!/usr/bin/env bash
# `make bench BENCH=relay` (bench/run.sh runs it): emsecd next to stunnel,
# haproxy and nginx (stream), each terminating TLS on 127.0.0.1 and relaying
# plain TCP to one sink, plus a bare TLS endpoint that only decrypts
# (relay_bare: one process for the certificate sessions, one with --psk for
# the TLS 1.2 PSK ones, the floor of a PSK handshake next to emsecd and
# stunnel); all in this one run, the relays taking turns in every round.
# Method and figures: docs/PERFORMANCE.md. Writes results/relay.txt (table,
# ratios, every run).
#
# Environment (all optional; bench/Makefile passes them through):
#   RELAY_REPS     rounds of the bulk, forwarding, handshake, ping tests (default 3)
#   RELAY_BULK_MB  MB per bulk transfer                        (default 512)
#   RELAY_HS       new sessions per handshake measurement      (default 300)
#   RELAY_HS_PAR   clients in parallel for the handshakes and
#                  for opening the idle sessions               (default 2)
#   RELAY_PING     1 KiB round trips per ping-pong measurement (default 2000)
#   RELAY_IDLE     idle-session counts, one measurement each, every relay
#                  started afresh, opened in batches of at most
#                  100 (relay_load idle)                       (default "100 1000 5000 9000")
#   RELAY_TESTS    which tests run: any of bulk plain ping hs idle
#                  (default all; e.g. "idle" for the idle sessions only)
#   RELAY_PEERS    which relays run beside emsecd: any of bare stunnel
#                  haproxy nginx (default all); emsecd always runs.
#                  A partial run leaves n/a in the table for what was left out
#   RELAY_RESULTS  results file                                (default results/relay.txt)
#   EMSECD         the daemon                                  (default ../build/rel/emsecd)
# Tools from bench/build (make -C bench builds them): relay_load (the one
# client), relay_sink, relay_bare. Every process started here is killed by
# its PID at the end; every wait is bounded.
# Ports (all on 127.0.0.1): one block from a random BASE, below 20000 (the
# integration tests' and the MSRP bench's blocks start there) and below the
# kernel's ephemeral ports: BASE..BASE+32 the sink, the bare endpoint's two
# listeners, emsecd's H.248 and the peers' listeners; BASE+100 and up
# emsecd's media ports (--ports), one per session it holds: the largest
# RELAY_IDLE count plus 100 (one handshake batch), at least 1000, and 1000
# when the idle test does not run; so 9,100 with the defaults (BASE 10000
# to 10800). A block where something already listens is skipped.
# Descriptors: the soft limit is raised to 20,000 (or to what the largest
# count needs: two sockets per session in a relay, plus 500) and the run
# stops if the hard limit does not allow it; relay_load raises its own.
set -u
cd "$(dirname "$0")" || exit 1

REPS=${RELAY_REPS:-3}
BULK_MB=${RELAY_BULK_MB:-512}
HS=${RELAY_HS:-300}
HS_PAR=${RELAY_HS_PAR:-2}
PING=${RELAY_PING:-2000}
IDLE=${RELAY_IDLE:-100 1000 5000 9000}
RESULTS=${RELAY_RESULTS:-results/relay.txt}
EMSECD=${EMSECD:-../build/rel/emsecd}
TESTS=${RELAY_TESTS:-bulk plain ping hs idle}
ONLY_PEERS=${RELAY_PEERS:-bare stunnel haproxy nginx}
OUT=build
LOAD=$OUT/relay_load

fail() { echo "bench relay: $*" >&2; exit 1; }
for x in $TESTS; do
    case $x in bulk|plain|ping|hs|idle) ;; *) fail "RELAY_TESTS: $x is not one of bulk plain ping hs idle";; esac
done
for x in $ONLY_PEERS; do
    case $x in bare|stunnel|haproxy|nginx) ;; *) fail "RELAY_PEERS: $x is not one of bare stunnel haproxy nginx";; esac
done
# picked LIST: the words of LIST that RELAY_PEERS keeps (emsecd always)
picked() { local r out=""; for r in "$@"; do
    case " emsecd $ONLY_PEERS " in *" $r "*) out="$out $r";; esac; done; echo $out; }
wants() { case " $TESTS " in *" $1 "*) return 0;; esac; return 1; }
PEERS_TLS=$(picked bare emsecd stunnel haproxy nginx)
for b in "$LOAD" "$OUT/relay_sink" "$OUT/relay_bare" "$EMSECD"; do
    [ -x "$b" ] || fail "missing $b (make -C bench BENCH=relay builds it)"
done
for t in stunnel haproxy nginx openssl; do
    command -v $t >/dev/null || fail "$t missing: apt-get install -y stunnel4 haproxy nginx libnginx-mod-stream openssl"
done
NGX_STREAM=/usr/lib/nginx/modules/ngx_stream_module.so
[ -f $NGX_STREAM ] || fail "nginx stream module missing: apt-get install -y libnginx-mod-stream"
# the largest idle count sizes the media port range and the descriptors
MAX_IDLE=0
for n in $IDLE; do
    case $n in ''|*[!0-9]*) fail "RELAY_IDLE: counts of sessions, e.g. \"100 1000\" (got \"$IDLE\")";; esac
    [ "$n" -gt 0 ] || fail "RELAY_IDLE: counts must be positive (got $n)"
    [ "$n" -le "$MAX_IDLE" ] || MAX_IDLE=$n
done
wants idle || MAX_IDLE=0    # no idle sessions: the smallest port block
# 9,000 sessions are 18,000 descriptors in a relay (emsecd: the UE leg and
# the sink leg, a listener only until its one peer is accepted; haproxy:
# maxconn the count plus 500, and 400 splice pipes: 2 * count + 1,800)
NEED_FD=$((2 * MAX_IDLE + 2000)); [ "$NEED_FD" -ge 20000 ] || NEED_FD=20000
ulimit -n "$NEED_FD" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
case $(ulimit -n) in
    unlimited) ;;
    *) [ "$(ulimit -n)" -ge "$NEED_FD" ] ||
        fail "$MAX_IDLE idle sessions need $NEED_FD descriptors per relay; the hard limit is $(ulimit -Hn) (ulimit -Hn)" ;;
esac

T=$(mktemp -d /tmp/emsec-relay.XXXXXX)
declare -A PID       # relay name -> its main process
cleanup() {
    for p in "${PID[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT

# ---- certificates: ECDSA P-256, made for this run; the same server
# certificate for every relay, the same client certificate for every client
for n in srv ue; do
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=$n \
        -keyout $T/$n.key -out $T/$n.pem 2>/dev/null || fail "openssl req failed"
done
cat $T/srv.pem $T/srv.key > $T/srv.both        # haproxy: certificate and key in one file
# PSK: stunnel takes the key as text (IDENTITY:KEY, at least 16 bytes); the
# others get the same bytes in hex
PSK_ID=bench
PSK_TEXT=relaybenchpsk0123456789
PSK_HEX=$(printf %s "$PSK_TEXT" | od -An -tx1 | tr -d ' \n')
echo "$PSK_ID:$PSK_TEXT" > $T/psk.txt; chmod 600 $T/psk.txt

# ---- ports (see the header): one block [BASE, BASE + 100 + MEDIA_N) below
# TOP, BASE from 10000 when the block fits above it, else from 1100
MEDIA_N=$((MAX_IDLE + 100)); [ "$MEDIA_N" -ge 1000 ] || MEDIA_N=1000
EPH_LOW=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
TOP=20000; [ "${EPH_LOW:-32768}" -ge "$TOP" ] || TOP=$EPH_LOW
BASE_MAX=$(( (TOP - 100 - MEDIA_N) / 100 * 100 ))
BASE_MIN=10000; [ "$BASE_MAX" -ge "$BASE_MIN" ] || BASE_MIN=1100
[ "$BASE_MAX" -ge "$BASE_MIN" ] ||
    fail "$MAX_IDLE idle sessions need $MEDIA_N media ports for emsecd: more than fit between 1100 and $TOP"
# block_free LO HI: nothing listens on a TCP or UDP port in [LO, HI)
block_free() {
    command -v ss >/dev/null || return 0
    ss -Hltnu 2>/dev/null | awk -v lo="$1" -v hi="$2" '
        { n = split($5, a, ":"); p = a[n] + 0; if (p >= lo && p < hi) busy = 1 }
        END { exit busy }'
}
for try in 1 2 3 4 5 6 7 8; do
    BASE=$((BASE_MIN + (RANDOM % ((BASE_MAX - BASE_MIN) / 100 + 1)) * 100))
    block_free "$BASE" $((BASE + 100 + MEDIA_N)) && break
    [ "$try" -lt 8 ] || fail "no free port block: something listens in every one tried (last $BASE-$((BASE + 99 + MEDIA_N)))"
done
SINK=$BASE; BARE=$((BASE + 1)); H248=$((BASE + 2)); BARE_PSK=$((BASE + 3))
ST_TLS=$((BASE + 10)); ST_PSK=$((BASE + 11))
HA_TLS=$((BASE + 20)); HA_PLAIN=$((BASE + 22))
NG_TLS=$((BASE + 30)); NG_PLAIN=$((BASE + 32))
MEDIA="$((BASE + 100))-$((BASE + 99 + MEDIA_N))"

# ---- the relays: start_NAME starts it, sets PID[NAME] and waits until it
# accepts; pids_NAME prints every process of it (comma separated)
wait_port() { # PORT NAME
    $LOAD wait "$1" && return 0
    tail -n 20 $T/$2.log $T/nginx/error.log 2>/dev/null
    fail "$2 does not accept on $1"
}
start_sink() { $OUT/relay_sink $SINK 3600 2>$T/sink.log & PID[sink]=$!; wait_port $SINK sink; }
# bare: two processes, the certificate one (PID[bare]) and the PSK one
# (PID[bare_psk], the same identity and key bytes as stunnel's)
start_bare() {
    $OUT/relay_bare $BARE $T/srv.pem $T/srv.key 3600 2>$T/bare.log & PID[bare]=$!
    wait_port $BARE bare
    $OUT/relay_bare --psk $BARE_PSK $PSK_ID $PSK_HEX 3600 2>$T/bare_psk.log & PID[bare_psk]=$!
    wait_port $BARE_PSK bare_psk
}
start_emsecd() {
    rm -rf $T/emsecd-state
    $EMSECD --listen 127.0.0.1:$H248 --ports $MEDIA --cert $T/srv.pem --key $T/srv.key \
        --state-dir $T/emsecd-state 2>$T/emsecd.log & PID[emsecd]=$!
    wait_port "emsecd:$H248:$SINK" emsecd
}
# stunnel logs at its default level (notice: a few lines per connection,
# like emsecd) to a file only: its default also sends every line to syslog,
# which without a syslog daemon goes to the console (LOG_CONS) and made each
# connection cost about 5 ms of its CPU on this machine's serial console.
start_stunnel() {
    cat > $T/stunnel.conf <<EOF
foreground = quiet
syslog = no
pid =
output = $T/stunnel.log
socket = l:TCP_NODELAY=1
socket = r:TCP_NODELAY=1
[tls]
accept = 127.0.0.1:$ST_TLS
connect = 127.0.0.1:$SINK
cert = $T/srv.pem
key = $T/srv.key
sslVersionMin = TLSv1.2
verifyPeer = yes
CAfile = $T/ue.pem
options = NO_TICKET
[psk]
accept = 127.0.0.1:$ST_PSK
connect = 127.0.0.1:$SINK
sslVersionMin = TLSv1.2
sslVersionMax = TLSv1.2
ciphers = PSK-AES128-GCM-SHA256
PSKsecrets = $T/psk.txt
options = NO_TICKET
EOF
    stunnel $T/stunnel.conf 2>>$T/stunnel.log & PID[stunnel]=$!
    wait_port $ST_TLS stunnel
}
start_haproxy() {
    cat > $T/haproxy.cfg <<EOF
global
    maxconn $((MAX_IDLE + 500))
    maxpipes 400
    ssl-default-bind-options no-tls-tickets ssl-min-ver TLSv1.2
defaults
    mode tcp
    timeout connect 5s
    timeout client 1h
    timeout server 1h
frontend tls
    bind 127.0.0.1:$HA_TLS ssl crt $T/srv.both verify required ca-file $T/ue.pem
    default_backend sink
frontend plain
    bind 127.0.0.1:$HA_PLAIN
    option splice-auto
    default_backend sink_splice
backend sink
    server s 127.0.0.1:$SINK
backend sink_splice
    option splice-auto
    server s 127.0.0.1:$SINK
EOF
    haproxy -db -f $T/haproxy.cfg >$T/haproxy.log 2>&1 & PID[haproxy]=$!
    wait_port $HA_TLS haproxy
}
start_nginx() {
    mkdir -p $T/nginx
    cat > $T/nginx.conf <<EOF
load_module $NGX_STREAM;
daemon off;
master_process on;
worker_processes auto;
worker_rlimit_nofile 20000;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log warn;
events { worker_connections 19000; }
stream {
    server {
        listen 127.0.0.1:$NG_TLS ssl;
        ssl_certificate $T/srv.pem;
        ssl_certificate_key $T/srv.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_verify_client on;
        ssl_client_certificate $T/ue.pem;
        ssl_session_tickets off;
        proxy_pass 127.0.0.1:$SINK;
        proxy_timeout 1h;
    }
    server {
        listen 127.0.0.1:$NG_PLAIN;
        proxy_pass 127.0.0.1:$SINK;
        proxy_timeout 1h;
    }
}
EOF
    nginx -p $T/nginx -e $T/nginx/error.log -c $T/nginx.conf 2>>$T/nginx/error.log & PID[nginx]=$!
    wait_port $NG_TLS nginx
}
stop_relay() { # NAME
    local p=${PID[$1]:-}
    [ -n "$p" ] || return 0
    kill "$p" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null
    wait "$p" 2>/dev/null
    unset "PID[$1]"
    [ "$1" != bare ] || stop_relay bare_psk
}
pids_of() { # NAME: the process and its children (nginx's workers)
    local p=${PID[$1]} c
    c=$(ps -o pid= --ppid "$p" | tr -d ' ' | paste -sd, -)
    echo "$p${c:+,$c}"
}
# port/target of a relay for a kind of session: tls, psk, plain
target() { # NAME KIND
    case $1:$2 in
        bare:tls) echo $BARE ;; bare:psk) echo $BARE_PSK ;;
        emsecd:*) echo "emsecd:$H248:$SINK" ;;
        stunnel:tls) echo $ST_TLS ;; stunnel:psk) echo $ST_PSK ;;
        haproxy:tls) echo $HA_TLS ;; haproxy:plain) echo $HA_PLAIN ;;
        nginx:tls) echo $NG_TLS ;; nginx:plain) echo $NG_PLAIN ;;
        *) return 1 ;;
    esac
}

# every run's line, kept in this run's directory (two runs at once do not
# mix) and copied to $OUT/relay_runs.txt at the end
RUNS=$T/runs.txt
mkdir -p $OUT "$(dirname "$RESULTS")"
: > $RUNS
# run ROUND NAME KIND TEST ARGS...: one measurement, its RESULT line kept
# (the bare endpoint's PSK sessions: its PSK process measured)
run() {
    local round=$1 name=$2 kind=$3 test=$4; shift 4
    local tgt line proc=$name
    tgt=$(target "$name" "$kind") || return 0
    [ "$name:$kind" != bare:psk ] || proc=bare_psk
    line=$(timeout "${RUN_TIMEOUT:-300}" $LOAD "$test" "$tgt" --name "$name" --pids "$(pids_of "$proc")" \
        --cert $T/ue.pem --key $T/ue.key --psk $PSK_HEX --psk-id $PSK_ID "$@" 2>>$T/load.log)
    case $line in RESULT*) ;; *) line="RESULT name=$name test=$test failed=1";; esac
    echo "round=$round $line" | tee -a $RUNS
}

echo "relay bench: ports $BASE-$((BASE + 99 + MEDIA_N)), $REPS rounds; bulk ${BULK_MB} MB, $HS handshakes x $HS_PAR clients,"
echo "             $PING ping-pongs, idle sessions: $IDLE; logs in $T while it runs"
t_start=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
start_sink
for r in $PEERS_TLS; do start_$r; done

# ---- bulk, forwarding, ping-pong, handshakes: REPS rounds, every relay in turn
BYTES=$((BULK_MB * 1024 * 1024))
for round in $(seq "$REPS"); do
    wants bulk && for r in $PEERS_TLS; do run $round $r tls bulk --tls 13 --bytes $BYTES; done
    wants bulk && for r in $PEERS_TLS; do run $round $r tls bulk --tls 12 --bytes $BYTES; done
    wants plain && for r in $(picked emsecd haproxy nginx); do run $round $r plain bulk --tls plain --bytes $BYTES; done
    wants ping && for r in $PEERS_TLS; do run $round $r tls ping --tls 13 --count $PING; done
    wants hs && for r in $PEERS_TLS; do run $round $r tls hs --tls 13 --count $HS --par $HS_PAR; done
    wants hs && for r in $PEERS_TLS; do run $round $r tls hs --tls 12 --count $HS --par $HS_PAR; done
    wants hs && for r in $(picked bare emsecd stunnel); do run $round $r psk hs --tls psk12 --count $HS --par $HS_PAR; done
done

# ---- idle sessions: every relay started afresh for each count, so that
# memory a previous test freed (and the allocator kept) is not reused
wants idle && for n in $IDLE; do
    for r in $(picked emsecd stunnel haproxy nginx); do
        stop_relay $r; start_$r
        # opening n sessions takes n full handshakes: more time for more
        RUN_TIMEOUT=$((300 + n / 10)) run 1 $r tls idle --tls 13 --count "$n" --par $HS_PAR
    done
done
t_end=$(date +%s)

# ================================================================ summary
# med NAME TEST TLS FIELD [extra match]: median over the rounds ("n/a" if none)
med() {
    awk -v n="$1" -v t="$2" -v s="$3" -v f="$4" -v x="${5:-}" '
        { ok = 0; v = ""; for (i = 1; i <= NF; i++) {
              split($i, kv, "=");
              if ($i == "name=" n || $i == "test=" t || $i == "tls=" s || (x != "" && $i == x)) ok++;
              if (kv[1] == f) v = kv[2] }
          if (ok == 3 + (x != "") && v != "") a[++m] = v + 0 }
        END { if (m == 0) { print "n/a"; exit }
              for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
              print (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2 }' $RUNS
}
num() { case $1 in n/a|"") return 1;; *) return 0;; esac; }
ratio() { if num "$1" && num "$2"; then awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; else echo n/a; fi; }
# best PEERSET FIELD min|max TEST TLS: the best peer's median and its name
best() {
    local bn="" bv="" v
    for p in $1; do
        v=$(med $p "$4" "$5" "$2"); num "$v" || continue
        if [ -z "$bv" ] || awk -v a="$v" -v b="$bv" -v d="$3" 'BEGIN { exit !((d == "min") ? a < b : a > b) }'; then
            bv=$v; bn=$p
        fi
    done
    echo "${bv:-n/a} ${bn:-none}"
}
tline() { printf '  %-46s %7s  (%s)\n' "$1" "$2$(num "$2" && echo x)" "$3"; }
verdict() { # RATIO OP TARGET
    num "$1" || { echo "n/a"; return; }
    awk -v r="$1" -v o="$2" -v t="$3" 'BEGIN { ok = (o == "<=") ? r <= t : r >= t; print ok ? "met" : "NOT met" }'
}
fmt() { if num "$1"; then printf "%.${2}f" "$1"; else echo n/a; fi; }

PEERS="stunnel haproxy nginx"
{
    echo "# emsec bench: emsecd next to stunnel, haproxy, nginx stream (make bench BENCH=relay; docs/PERFORMANCE.md)"
    echo "date:      $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $((t_end - t_start)) s"
    echo "machine:   $(uname -srm); $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1); $(getconf _NPROCESSORS_ONLN) cores"
    echo "load:      load average at the start $load_start, at the end $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "emsecd:    $EMSECD, tree $(git -C .. rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C .. diff --quiet HEAD -- adapters core include 2>/dev/null || echo ' + uncommitted changes in adapters/ core/ include/')"
    echo "versions:  $(openssl version); stunnel $(dpkg-query -W -f '${Version}' stunnel4 2>/dev/null);" \
         "haproxy $(dpkg-query -W -f '${Version}' haproxy 2>/dev/null); nginx $(dpkg-query -W -f '${Version}' nginx 2>/dev/null)"
    echo "method:    $REPS rounds, relays in turn; bulk ${BULK_MB} MB one connection; $HS new sessions x $HS_PAR clients;"
    echo "           $PING ping-pongs of 1 KiB; idle: one measurement per count, relay started afresh, sessions opened in batches of <= 100; medians"
    echo "           CPU = utime+stime of all the relay's processes (/proc/PID/stat), timed part only"
    echo
    row() { printf '%-28s %10s %10s %10s %10s %10s\n' "$@"; }
    row "median of $REPS" bare emsecd stunnel haproxy nginx
    for s in 13 12; do
        vals=(); for p in bare emsecd stunnel haproxy nginx; do vals+=("$(fmt "$(med $p bulk $s mb_per_s)" 0)"); done
        row "TLS 1.${s#1} bulk MB/s" "${vals[@]}"
        vals=(); for p in bare emsecd stunnel haproxy nginx; do vals+=("$(fmt "$(med $p bulk $s cpu_s_per_gb)" 3)"); done
        row "TLS 1.${s#1} bulk CPU s/GB" "${vals[@]}"
    done
    vals=(); for p in bare emsecd stunnel haproxy nginx; do vals+=("$(fmt "$(med $p bulk plain mb_per_s)" 0)"); done
    row "plain forward MB/s" "${vals[@]}"
    vals=(); for p in bare emsecd stunnel haproxy nginx; do vals+=("$(fmt "$(med $p bulk plain cpu_s_per_gb)" 3)"); done
    row "plain forward CPU s/GB" "${vals[@]}"
    for s in 13 12 psk12; do
        case $s in 13) l="cert TLS 1.3";; 12) l="cert TLS 1.2";; psk12) l="PSK TLS 1.2";; esac
        vals=(); for p in bare emsecd stunnel haproxy nginx; do vals+=("$(fmt "$(med $p hs $s hs_per_s)" 0)"); done
        row "$l sessions/s" "${vals[@]}"
        vals=(); for p in bare emsecd stunnel haproxy nginx; do vals+=("$(fmt "$(med $p hs $s cpu_ms_per_hs)" 3)"); done
        row "$l CPU ms/session" "${vals[@]}"
        row "  emsecd incl. H.248 Add+Sub" "" "$(fmt "$(med emsecd hs $s cpu_ms_per_hs_with_ctl)" 3)" "" "" ""
    done
    vals=(); for p in bare emsecd stunnel haproxy nginx; do vals+=("$(fmt "$(med $p ping 13 p50_us)" 0)"); done
    row "ping 1 KiB p50 us" "${vals[@]}"
    vals=(); for p in bare emsecd stunnel haproxy nginx; do vals+=("$(fmt "$(med $p ping 13 p99_us)" 0)"); done
    row "ping 1 KiB p99 us" "${vals[@]}"
    for n in $IDLE; do
        vals=("-"); for p in emsecd stunnel haproxy nginx; do
            v=$(med $p idle 13 kb_per_session "sessions=$n")
            if num "$v"; then vals+=("$(fmt "$v" 1)"); else
                m=$(awk -v p="$p" -v n="$n" '$0 ~ "name=" p " test=idle" && $0 ~ " sessions=" n " " && /failed=1/ { for (i = 1; i <= NF; i++) if ($i ~ /^max_sessions=/) { split($i, kv, "="); print "max " kv[2] } }' $RUNS | tail -1)
                vals+=("${m:-n/a}")
            fi
        done
        row "idle RSS KB/session @$n" "${vals[@]}"
    done
    echo
    echo "targets (issue 5 [D] item 7; emsecd over the best peer of the same run):"
    for s in 13 12; do
        read -r bc bcn <<< "$(best "$PEERS" cpu_s_per_gb min bulk $s)"
        read -r bm bmn <<< "$(best "$PEERS" mb_per_s max bulk $s)"
        e=$(med emsecd bulk $s cpu_s_per_gb); em=$(med emsecd bulk $s mb_per_s)
        r1=$(ratio "$e" "$bc"); r2=$(ratio "$e" "$(med bare bulk $s cpu_s_per_gb)"); r3=$(ratio "$em" "$bm")
        tline "TLS 1.${s#1}->TCP CPU/GB vs best peer ($bcn)" "$r1" "<= 0.75: $(verdict "$r1" "<=" 0.75)"
        tline "TLS 1.${s#1}->TCP CPU/GB vs bare endpoint" "$r2" "<= 1.3: $(verdict "$r2" "<=" 1.3)"
        tline "TLS 1.${s#1}->TCP MB/s vs best peer ($bmn)" "$r3" ">= 1.3: $(verdict "$r3" ">=" 1.3)"
    done
    r1=$(ratio "$(med emsecd bulk plain mb_per_s)" "$(med haproxy bulk plain mb_per_s)")
    r2=$(ratio "$(med emsecd bulk plain cpu_s_per_gb)" "$(med haproxy bulk plain cpu_s_per_gb)")
    tline "plain forwarding MB/s vs haproxy (splice)" "$r1" ">= 1.2: $(verdict "$r1" ">=" 1.2)"
    tline "plain forwarding CPU/GB vs haproxy" "$r2" "<= 0.8: $(verdict "$r2" "<=" 0.8)"
    r1=$(ratio "$(med emsecd hs psk12 cpu_ms_per_hs)" "$(med stunnel hs psk12 cpu_ms_per_hs)")
    r2=$(ratio "$(med emsecd hs psk12 cpu_ms_per_hs_with_ctl)" "$(med stunnel hs psk12 cpu_ms_per_hs)")
    tline "PSK TLS 1.2 CPU/handshake vs stunnel" "$r1" "<= 0.3: $(verdict "$r1" "<=" 0.3)"
    tline "  the same, emsecd's H.248 Add+Subtract added" "$r2" "<= 0.3: $(verdict "$r2" "<=" 0.3)"
    r1=$(ratio "$(med bare hs psk12 cpu_ms_per_hs)" "$(med stunnel hs psk12 cpu_ms_per_hs)")
    tline "PSK TLS 1.2 CPU/handshake, bare vs stunnel" "$r1" "informative, no target"
    for s in 13 12; do
        r1=$(ratio "$(med emsecd hs $s cpu_ms_per_hs)" "$(med nginx hs $s cpu_ms_per_hs)")
        r2=$(ratio "$(med emsecd hs $s cpu_ms_per_hs_with_ctl)" "$(med nginx hs $s cpu_ms_per_hs)")
        tline "cert TLS 1.${s#1} CPU/handshake vs nginx" "$r1" "<= 0.8: $(verdict "$r1" "<=" 0.8)"
        tline "  the same, emsecd's H.248 Add+Subtract added" "$r2" "<= 0.8: $(verdict "$r2" "<=" 0.8)"
    done
    last=${IDLE##* }
    r1=$(ratio "$(med emsecd idle 13 kb_per_session "sessions=$last")" "$(med haproxy idle 13 kb_per_session "sessions=$last")")
    tline "idle RSS/session vs haproxy at $last sessions" "$r1" "<= 0.6: $(verdict "$r1" "<=" 0.6)"
    first=${IDLE%% *}
    r2=$(ratio "$(med emsecd idle 13 kb_per_session "sessions=$last")" "$(med emsecd idle 13 kb_per_session "sessions=$first")")
    tline "emsecd RSS/session at $last over at $first" "$r2" "no growth, <= 1.2: $(verdict "$r2" "<=" 1.2)"
    read -r bp bpn <<< "$(best "$PEERS" p99_us min ping 13)"
    r1=$(ratio "$(med emsecd ping 13 p99_us)" "$bp")
    tline "ping-pong p99 vs best peer ($bpn)" "$r1" "<= 1: $(verdict "$r1" "<=" 1)"
    echo
    echo "# every run:"
    sed 's/^/#   /' $RUNS
} > "$RESULTS"
cp $RUNS $OUT/relay_runs.txt
echo
sed -n '/^median of/,/^# every run/p' "$RESULTS" | sed '$d'
case $RESULTS in /*) where=$RESULTS;; *) where=bench/$RESULTS;; esac
echo "written: $where ($((t_end - t_start)) s)"
fails=$(grep -c 'failed=' $RUNS || true)
[ "$fails" -eq 0 ] || echo "relay bench: $fails measurements failed (see $RESULTS)"
