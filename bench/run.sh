#!/bin/sh
# `make bench`: in this one run (method: docs/PERFORMANCE.md),
#   sdp:  SDP parse throughput of emsec, sofia-sip and sdp-transform,
#         measured one after the other -> results/sdp_parse.txt;
#   h248: H.248 text codec throughput of emsec and Erlang/OTP megaco, decode
#         and encode, measured one after the other -> results/h248_codec.txt;
#   relay: emsecd next to stunnel, haproxy and nginx stream (TLS -> TCP bulk,
#          plain forwarding, new sessions, idle RSS, ping-pong), relay.sh
#          -> results/relay.txt (its RELAY_* variables are listed there);
#   msrp: emsecd's MSRP-aware relay next to its application-agnostic one,
#         msrp_relay.sh -> results/msrp_relay.txt (MSRP_* variables there).
#
# Environment (all optional; the Makefile passes them through):
#   BENCH    which benches, "sdp h248 relay msrp" (default), or some of them
#   CORPUS   folder of the SDP input messages     (default ../tests/corpus/sdp)
#   REPS     repetitions of each SDP parser       (default 5, alternating)
#   SECS     timed seconds per repetition         (default 2)
#   WARMUP   warm-up seconds before each timing   (default 1; both benches)
#   CPU      core the harnesses are pinned to     (default: the last one)
#   RESULTS  SDP results file                     (default results/sdp_parse.txt)
#   H248_CORPUS   folder of the H.248 messages    (default ../tests/corpus/h248)
#   H248_REPS     repetitions of each H.248 codec (default 3, alternating)
#   H248_SECS     timed seconds per repetition    (default 3)
#   H248_RESULTS  H.248 results file              (default results/h248_codec.txt)
set -eu
cd "$(dirname "$0")"

BENCH=${BENCH:-sdp h248 relay msrp}
CORPUS=${CORPUS:-../tests/corpus/sdp}
REPS=${REPS:-5}
SECS=${SECS:-2}
WARMUP=${WARMUP:-1}
RESULTS=${RESULTS:-results/sdp_parse.txt}
H248_CORPUS=${H248_CORPUS:-../tests/corpus/h248}
H248_REPS=${H248_REPS:-3}
H248_SECS=${H248_SECS:-3}
H248_RESULTS=${H248_RESULTS:-results/h248_codec.txt}
OUT=build
EMSEC=$OUT/sdp_emsec
SOFIA=$OUT/sdp_sofia
NODE=${NODE:-node}
H248_DECODE=$OUT/h248_emsec_decode
H248_ENCODE=$OUT/h248_emsec_encode
MEGACO=h248_megaco.escript

fail() { echo "bench: $*" >&2; exit 1; }
wants() { case " $BENCH " in *" $1 "*) return 0;; *) return 1;; esac; }

# ---- CPU pinning: one core for every harness, the same core for all.
PIN=""
if command -v taskset >/dev/null 2>&1; then
    ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
    CPU=${CPU:-$((ncpu - 1))}
    if taskset -c "$CPU" true 2>/dev/null; then PIN="taskset -c $CPU"; fi
fi

# ---- Helpers for the figures.
median() { # $1 parser name, $2 field, $3 printf format; over the RESULT lines in $RUNS
    grep "parser=$1 " "$RUNS" | tr ' ' '\n' | sed -n "s/^$2=//p" \
        | sort -g | awk -v f="$3\n" '{ v[NR] = $1 } END {
            if (NR == 0) print "n/a"; else if (NR % 2) printf f, v[(NR + 1) / 2];
            else printf f, (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# Paired ratios: one parser over another within the same round (messages/s),
# then the median over the rounds; a slow phase of the machine cancels out.
paired() { # $1 parser name, $2 peer parser name; over $RUNS
    awk -v me="$1" -v peer="$2" '{ r = $2; for (i = 3; i <= NF; i++) if ($i ~ /^(parser|msgs_per_s)=/) {
                          split($i, kv, "="); f[kv[1]] = kv[2] }
                        if (f["parser"] == me) e[r] = f["msgs_per_s"];
                        if (f["parser"] == peer) q[r] = f["msgs_per_s"] }
        END { n = 0; for (r in e) if (q[r] > 0) v[++n] = e[r] / q[r];
              for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
              if (n == 0) print "n/a"; else if (n % 2) printf "%.1f\n", v[(n + 1) / 2];
              else printf "%.1f\n", (v[n / 2] + v[n / 2 + 1]) / 2 }' "$RUNS"
}
ratio() { awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN { if (b > 0) printf f, a / b; else print "n/a" }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r + 0 >= t) ? "met" : "MISSED" }'; }
# The machine was quiet if every pinned run got (nearly) its whole core.
busy_runs() { # $1 regular expression of the pinned parsers' names; over $RUNS
    awk -v re="parser=($1) " '$0 ~ re {
            for (i = 1; i <= NF; i++) if ($i ~ /^cpu_share=/) {
                split($i, kv, "="); if (kv[2] + 0 < 0.9) b++ } }
        END { print b + 0 }' "$RUNS"
}

# ================================================================ SDP
bench_sdp() {
    [ -d "$CORPUS" ] || fail "no corpus folder $CORPUS"
    CDIR=$(cd "$CORPUS" && pwd)
    for h in "$EMSEC" "$SOFIA"; do [ -x "$h" ] || fail "missing $h (run make -C bench)"; done

    # ---- Input set: full descriptions the corpus marks "accept" (every *.sdp of
    # the folder when it has no expected.txt), then only those all three accept.
    mkdir -p "$OUT" "$(dirname "$RESULTS")"
    : > "$OUT/candidates.txt"
    if [ -f "$CORPUS/expected.txt" ]; then
        # expected.txt: "NAME MODE FLAGS accept|reject ...". Taken: the FULL
        # descriptions it accepts, each with its FLAGS (emsec parses with them).
        awk '$2 == "FULL" && $4 == "accept" { print $1, $3 }' "$CORPUS/expected.txt" \
            | sort -u | while read -r f flags; do
            if [ -f "$CDIR/$f" ]; then echo "$CDIR/$f $flags" >> "$OUT/candidates.txt"; fi
        done
        src="$CORPUS/expected.txt (FULL, accept)"
    else
        for f in "$CDIR"/*.sdp; do if [ -f "$f" ]; then echo "$f" >> "$OUT/candidates.txt"; fi; done
        src="$CORPUS/*.sdp (no expected.txt)"
    fi
    ncand=$(wc -l < "$OUT/candidates.txt")
    [ "$ncand" -gt 0 ] || fail "no input messages in $CORPUS"

    $EMSEC --check "$OUT/candidates.txt" > "$OUT/check_emsec.txt"
    $SOFIA --check "$OUT/candidates.txt" > "$OUT/check_sofia.txt"
    $NODE sdp_transform.js --check "$OUT/candidates.txt" > "$OUT/check_transform.txt"
    for p in emsec sofia transform; do
        grep -a '^ACCEPT ' "$OUT/check_$p.txt" | cut -d' ' -f2- | sort > "$OUT/accept_$p.txt"
    done
    comm -12 "$OUT/accept_emsec.txt" "$OUT/accept_sofia.txt" \
        | comm -12 - "$OUT/accept_transform.txt" > "$OUT/accept_all.txt"
    # set.txt: the candidates' lines (path and flags) accepted by all three
    awk 'NR == FNR { ok[$1] = 1; next } ok[$1]' "$OUT/accept_all.txt" "$OUT/candidates.txt" > "$OUT/set.txt"
    nset=$(wc -l < "$OUT/set.txt")
    [ "$nset" -gt 0 ] || fail "no message is accepted by all three parsers"
    nbytes=$(cat $(cut -d' ' -f1 "$OUT/set.txt") | wc -c)
    nflag=$(awk '$2 !~ /^0x0+$/ && NF > 1' "$OUT/set.txt" | wc -l)

    echo "input: $ncand candidates from $src"
    for p in emsec sofia transform; do
        n=$(grep -ac '^REJECT ' "$OUT/check_$p.txt" || true)
        echo "  rejected by $p: $n"
        grep -a '^REJECT ' "$OUT/check_$p.txt" | sed "s|$CDIR/||; s|^REJECT |    |" || true
    done
    echo "input: $nset messages accepted by all three ($nbytes bytes) are measured;"
    echo "       emsec parses $nflag of them with the leniency flags expected.txt names"
    echo "pinning: ${PIN:-none (taskset not available)}; $REPS repetitions x ${SECS}s (+${WARMUP}s warm-up) each"

    # ---- Measure: alternate the parsers, REPS rounds. node runs its garbage
    # collector and JIT compiler on helper threads; pinned to the one core it
    # shares them with its main thread. So sdp-transform is also run unpinned (all
    # cores), as a second, peer-friendly figure.
    : > "$OUT/runs.txt"
    PEERS="emsec sofia transform"
    if [ -n "$PIN" ]; then PEERS="$PEERS transform-unpinned"; fi
    r=1
    while [ "$r" -le "$REPS" ]; do
        for p in $PEERS; do
            case $p in
                emsec)     line=$($PIN $EMSEC --bench "$OUT/set.txt" "$SECS" "$WARMUP") ;;
                sofia)     line=$($PIN $SOFIA --bench "$OUT/set.txt" "$SECS" "$WARMUP") ;;
                transform) line=$($PIN $NODE sdp_transform.js --bench "$OUT/set.txt" "$SECS" "$WARMUP") ;;
                transform-unpinned)
                    line=$($NODE sdp_transform.js --bench "$OUT/set.txt" "$SECS" "$WARMUP" \
                           | sed 's/parser=sdp-transform /parser=sdp-transform-unpinned /') ;;
            esac
            case $line in RESULT*) ;; *) fail "$p gave no RESULT line";; esac
            echo "round $r $line" | tee -a "$OUT/runs.txt"
        done
        r=$((r + 1))
    done

    # ---- Medians, ratios, results file.
    RUNS=$OUT/runs.txt
    for p in emsec:e sofia-sip:s sdp-transform:t sdp-transform-unpinned:u; do
        n=${p%%:*}; v=${p#*:}
        eval "${v}_m=\$(median $n msgs_per_s %.0f)"
        eval "${v}_b=\$(median $n mb_per_s %.2f)"
        eval "${v}_c=\$(median $n msgs_per_cpu_s %.0f)"
        eval "${v}_s=\$(median $n cpu_share %.2f)"
    done
    # The machine was quiet if every pinned run got (nearly) its whole core.
    busy=$(busy_runs 'emsec|sofia-sip|sdp-transform')
    load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)

    cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
    gcc_v=$(${CC:-cc} --version | head -n 1)
    node_v=$($NODE --version)
    tr_v=$($NODE -p "require('./node_modules/sdp-transform/package.json').version")
    sofia_v=$(dpkg-query -W -f '${Version}' libsofia-sip-ua0 2>/dev/null || echo unknown)

    {
        echo "# emsec bench: SDP parse throughput (make bench; method in docs/PERFORMANCE.md)"
        echo "date:          $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
        echo "machine:       $(uname -srm); ${cpu_model:-unknown CPU}; $(getconf _NPROCESSORS_ONLN) cores"
        echo "pinning:       ${PIN:-none}"
        echo "compiler:      $gcc_v; harnesses and libemsec.a at -O2"
        echo "node:          $node_v"
        echo "sdp-transform: $tr_v (npm, bench/package-lock.json)"
        echo "sofia-sip:     $sofia_v (Debian libsofia-sip-ua0), sdp_parse flags 0"
        echo "input:         $nset messages, $nbytes bytes, accepted by all three (of $ncand from $src)"
        echo "               emsec: EMSEC_SDP_MODE_FULL, flags from expected.txt (0x0 strict; $nflag with a leniency bit)"
        echo "method:        $REPS repetitions per parser, alternating; each ${WARMUP}s warm-up + ${SECS}s timed over the whole set; medians"
        echo
        row() { printf '%-24s %12s %8s %14s %6s\n' "$@"; }
        row "parser (median of $REPS)" "messages/s" "MB/s" "messages/CPU-s" "CPU"
        row emsec "$e_m" "$e_b" "$e_c" "$e_s"
        row sofia-sip "$s_m" "$s_b" "$s_c" "$s_s"
        row sdp-transform "$t_m" "$t_b" "$t_c" "$t_s"
        if [ -n "$PIN" ]; then row "sdp-transform, unpinned" "$u_m" "$u_b" "$u_c" "$u_s"; fi
        echo
        echo "ratios of messages/s (wall clock), and of messages per CPU-second:"
        r1=$(ratio "$e_m" "$t_m" %.1f); c1=$(ratio "$e_c" "$t_c" %.1f)
        r2=$(ratio "$e_m" "$s_m" %.2f); c2=$(ratio "$e_c" "$s_c" %.2f)
        echo "emsec / sdp-transform:            ${r1}x  cpu ${c1}x  (target >= 50x: $(verdict "$r1" 50), cpu $(verdict "$c1" 50))"
        if [ -n "$PIN" ]; then
            r3=$(ratio "$e_m" "$u_m" %.1f); c3=$(ratio "$e_c" "$u_c" %.1f)
            echo "emsec / sdp-transform, unpinned:  ${r3}x  cpu ${c3}x  (target >= 50x: $(verdict "$r3" 50), cpu $(verdict "$c3" 50))"
        fi
        echo "emsec / sofia-sip:                ${r2}x  cpu ${c2}x  (target >= 2x: $(verdict "$r2" 2), cpu $(verdict "$c2" 2))"
        echo "paired (median over rounds of emsec / peer in the same round): sdp-transform $(paired emsec sdp-transform)x,"
        echo "  sdp-transform unpinned $(paired emsec sdp-transform-unpinned)x, sofia-sip $(paired emsec sofia-sip)x"
        echo
        if [ "$busy" -gt 0 ]; then
            echo "WARNING: $busy pinned runs got less than 90% of their core (CPU column):"
            echo "the machine was busy (load average at the end: $load); the wall-clock"
            echo "figures are depressed, read the messages/CPU-s column and ratios."
        else
            echo "machine quiet: every pinned run had >= 90% of its core (load average at the end: $load)"
        fi
        echo
        echo "# files measured (flags emsec parses them with):"
        sed "s|$CDIR/|#   |" "$OUT/set.txt"
        echo "# every run:"
        sed 's/^/#   /' "$OUT/runs.txt"
    } > "$RESULTS"
    echo
    sed -n '/^parser (median/,/^# files measured/p' "$RESULTS" | sed '$d'
    echo "written: bench/$RESULTS"
}

# ================================================================ H.248
# emsec's H.248 text codec (bench/h248_emsec.c, one binary per operation)
# next to Erlang/OTP megaco's (bench/h248_megaco.escript), pretty style,
# decode and encode measured separately.
bench_h248() {
    [ -d "$H248_CORPUS" ] || fail "no corpus folder $H248_CORPUS"
    HDIR=$(cd "$H248_CORPUS" && pwd)
    for h in "$H248_DECODE" "$H248_ENCODE"; do [ -x "$h" ] || fail "missing $h (run make -C bench)"; done
    command -v escript >/dev/null 2>&1 || fail "escript missing (make -C bench deps installs erlang-base erlang-megaco)"

    # ---- Input set: every message of the corpus (*.txt but expected.txt),
    # then only those both codecs decode and encode again.
    mkdir -p "$OUT" "$(dirname "$H248_RESULTS")"
    : > "$OUT/h248_candidates.txt"
    for f in "$HDIR"/*.txt; do
        case $f in */expected.txt) continue;; esac
        if [ -f "$f" ]; then echo "$f" >> "$OUT/h248_candidates.txt"; fi
    done
    ncand=$(wc -l < "$OUT/h248_candidates.txt")
    [ "$ncand" -gt 0 ] || fail "no input messages in $H248_CORPUS"

    # the encode binary's --check decodes and encodes
    $H248_ENCODE --check "$OUT/h248_candidates.txt" > "$OUT/h248_check_emsec.txt"
    escript $MEGACO --check "$OUT/h248_candidates.txt" > "$OUT/h248_check_megaco.txt"
    for p in emsec megaco; do
        grep -a '^ACCEPT ' "$OUT/h248_check_$p.txt" | cut -d' ' -f2- | sort > "$OUT/h248_accept_$p.txt"
    done
    comm -12 "$OUT/h248_accept_emsec.txt" "$OUT/h248_accept_megaco.txt" > "$OUT/h248_set.txt"
    nset=$(wc -l < "$OUT/h248_set.txt")
    [ "$nset" -gt 0 ] || fail "no H.248 message is decoded and encoded by both codecs"
    nbytes=$(cat $(cat "$OUT/h248_set.txt") | wc -c)

    echo "h248 input: $ncand messages from $H248_CORPUS"
    for p in emsec megaco; do
        n=$(grep -ac '^REJECT ' "$OUT/h248_check_$p.txt" || true)
        echo "  rejected by $p: $n"
        grep -a '^REJECT ' "$OUT/h248_check_$p.txt" | sed "s|$HDIR/||; s|^REJECT |    |" || true
    done
    echo "h248 input: $nset messages accepted by both ($nbytes bytes) are measured"
    echo "pinning: ${PIN:-none (taskset not available)}; $H248_REPS repetitions x ${H248_SECS}s (+${WARMUP}s warm-up) each"

    # ---- Measure: alternate the codecs, H248_REPS rounds. The Erlang VM is
    # pinned like the C harnesses (one core: one scheduler); its idle
    # schedulers do not busy-wait (flags in the escript).
    : > "$OUT/h248_runs.txt"
    r=1
    while [ "$r" -le "$H248_REPS" ]; do
        for p in emsec-decode megaco-decode emsec-encode megaco-encode; do
            case $p in
                emsec-decode)  line=$($PIN $H248_DECODE --bench "$OUT/h248_set.txt" "$H248_SECS" "$WARMUP") ;;
                emsec-encode)  line=$($PIN $H248_ENCODE --bench "$OUT/h248_set.txt" "$H248_SECS" "$WARMUP") ;;
                megaco-decode) line=$($PIN escript $MEGACO --bench decode "$OUT/h248_set.txt" "$H248_SECS" "$WARMUP") ;;
                megaco-encode) line=$($PIN escript $MEGACO --bench encode "$OUT/h248_set.txt" "$H248_SECS" "$WARMUP") ;;
            esac
            case $line in RESULT*) ;; *) fail "$p gave no RESULT line";; esac
            echo "round $r $line" | tee -a "$OUT/h248_runs.txt"
        done
        r=$((r + 1))
    done

    # ---- Medians, ratios, results file.
    RUNS=$OUT/h248_runs.txt
    for p in emsec-decode:ed megaco-decode:md emsec-encode:ee megaco-encode:me; do
        n=${p%%:*}; v=${p#*:}
        eval "${v}_m=\$(median $n msgs_per_s %.0f)"
        eval "${v}_b=\$(median $n mb_per_s %.2f)"
        eval "${v}_c=\$(median $n msgs_per_cpu_s %.0f)"
        eval "${v}_s=\$(median $n cpu_share %.2f)"
    done
    busy=$(busy_runs 'emsec-decode|emsec-encode|megaco-decode|megaco-encode')
    load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)

    cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
    gcc_v=$(${CC:-cc} --version | head -n 1)
    erl_v=$(erl -noshell -eval 'application:load(megaco),
        {ok, V} = application:get_key(megaco, vsn),
        io:format("OTP ~s, erts ~s (~s); megaco ~s",
                  [erlang:system_info(otp_release), erlang:system_info(version),
                   erlang:system_info(emu_flavor), V]), halt().' 2>/dev/null || echo unknown)
    megaco_deb=$(dpkg-query -W -f '${Version}' erlang-megaco 2>/dev/null || echo unknown)

    {
        echo "# emsec bench: H.248 text codec throughput (make bench; method in docs/PERFORMANCE.md)"
        echo "date:          $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
        echo "machine:       $(uname -srm); ${cpu_model:-unknown CPU}; $(getconf _NPROCESSORS_ONLN) cores"
        echo "pinning:       ${PIN:-none}"
        echo "compiler:      $gcc_v; harnesses and libemsec.a at -O2"
        echo "erlang:        $erl_v (Debian erlang-megaco $megaco_deb)"
        echo "emsec:         emsec_h248_decode (final, one reused node arena) / emsec_h248_encode (EMSEC_H248_PRETTY, version kept)"
        echo "megaco:        megaco_pretty_text_encoder:decode_message([], dynamic, Bin) / encode_message([], V, Msg)"
        echo "input:         $nset messages, $nbytes bytes, decoded and encoded by both (of $ncand in $H248_CORPUS)"
        echo "method:        $H248_REPS repetitions per codec and operation, alternating; each ${WARMUP}s warm-up + ${H248_SECS}s timed over the whole set; medians"
        echo "               MB/s counts the input messages' bytes for encode too"
        echo
        row() { printf '%-24s %12s %8s %14s %6s\n' "$@"; }
        row "codec (median of $H248_REPS)" "messages/s" "MB/s" "messages/CPU-s" "CPU"
        row "emsec decode" "$ed_m" "$ed_b" "$ed_c" "$ed_s"
        row "megaco decode" "$md_m" "$md_b" "$md_c" "$md_s"
        row "emsec encode" "$ee_m" "$ee_b" "$ee_c" "$ee_s"
        row "megaco encode" "$me_m" "$me_b" "$me_c" "$me_s"
        echo
        echo "ratios of messages/s (wall clock), and of messages per CPU-second:"
        echo "emsec / megaco, decode:  $(ratio "$ed_m" "$md_m" %.1f)x  cpu $(ratio "$ed_c" "$md_c" %.1f)x  paired $(paired emsec-decode megaco-decode)x"
        echo "emsec / megaco, encode:  $(ratio "$ee_m" "$me_m" %.1f)x  cpu $(ratio "$ee_c" "$me_c" %.1f)x  paired $(paired emsec-encode megaco-encode)x"
        echo "(paired: median over rounds of emsec / megaco in the same round)"
        echo
        if [ "$busy" -gt 0 ]; then
            echo "WARNING: $busy pinned runs got less than 90% of their core (CPU column):"
            echo "the machine was busy (load average at the end: $load); the wall-clock"
            echo "figures are depressed, read the messages/CPU-s column and ratios."
        else
            echo "machine quiet: every pinned run had >= 90% of its core (load average at the end: $load)"
        fi
        echo
        echo "# files measured:"
        sed "s|$HDIR/|#   |" "$OUT/h248_set.txt"
        echo "# every run:"
        sed 's/^/#   /' "$OUT/h248_runs.txt"
    } > "$H248_RESULTS"
    echo
    sed -n '/^codec (median/,/^# files measured/p' "$H248_RESULTS" | sed '$d'
    echo "written: bench/$H248_RESULTS"
}

# ================================================================ run
for b in $BENCH; do
    case $b in sdp|h248|relay|msrp) ;; *) fail "BENCH: unknown bench '$b' (sdp, h248, relay, msrp)";; esac
done
if wants sdp; then bench_sdp; fi
if wants sdp && wants h248; then echo; fi
if wants h248; then bench_h248; fi
if wants relay; then
    if wants sdp || wants h248; then echo; fi
    bash relay.sh
fi
# MSRP-aware relay next to the agnostic one (msrp_relay.sh)
if wants msrp; then
    if wants sdp || wants h248 || wants relay; then echo; fi
    bash msrp_relay.sh
fi
