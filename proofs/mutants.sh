#!/bin/sh
# make proofs-mutants: deliberate bugs that the proofs must catch. Each mutant
# is applied to a copy of the tree under build/mutants/; the run passes only
# if the proof of every mutant FAILS.
set -eu
root=$(pwd)
CPP="-cpp-extra-args=-Iinclude -Icore -Igen"
fails=0
run_mutant() { # NAME FILE SED-EXPR PROOF(wp|eva)
    name=$1 file=$2 expr=$3 kind=$4
    dir=build/mutants/$name
    rm -rf "$dir" && mkdir -p "$dir"
    cp -r include core gen spec proofs scripts "$dir"/
    sed -i "$expr" "$dir/$file"
    if cmp -s "$file" "$dir/$file"; then
        echo "mutant $name: the patch did not apply"; fails=$((fails + 1)); return
    fi
    cd "$dir"
    [ "$file" = "${file#spec/}" ] || sh scripts/gen.sh gen >/dev/null
    if [ "$kind" = wp ]; then
        frama-c "$CPP" core/roles.c gen/roles_table.c gen/reuse_table.c -wp -wp-rte \
            -wp-no-init-const -wp-prover z3,cvc4 -wp-timeout 10 -wp-par 2 \
            -wp-fct decide_from_row,decide_keep > log 2>&1 || true
        result=$(grep "Proved goals" log | tail -1 | awk '{print $4 "/" $6}')
        caught=$(awk -F/ '{print ($1 < $2) ? "yes" : "no"}' <<EOT
$result
EOT
)
    else
        frama-c "$CPP" proofs/roles_tables_eva.c gen/roles_table.c gen/reuse_table.c \
            -eva -eva-slevel 2000 -eva-no-show-progress -then -report > log 2>&1 || true
        if grep -q "2 Completely validated" log; then caught=no; result="valid"; else
            caught=yes; result="$(grep -c 'To be validated\|Dead property\|Invalid' log || true) non-valid status line(s)"; fi
    fi
    cd "$root"
    if [ "$caught" = yes ]; then
        echo "mutant $name: caught ($result)"
    else
        echo "mutant $name: NOT caught ($result)"; fails=$((fails + 1))
    fi
}
# 1. A BFCP/TLS table row that makes the answerer the TLS client (RFC 8856 §8).
run_mutant bfcp_answerer_client spec/roles.tbl \
    's/^\(bfcp tls   actpass  active   ok      passive  active   \)offerer /\1answerer/' eva
# 2. An MSRP/TLS row where the passive end is the TLS client (RFC 6135 §6).
run_mutant msrp_passive_client spec/roles.tbl \
    's/^\(msrp tls   actpass  passive  ok      active   passive  \)offerer /\1answerer/' eva
# 3. The resolver swaps client and server when mapping the row onto our side.
run_mutant swapped_tls_role core/roles.c \
    's/tls = we_are_client ? EMSEC_TLS_CLIENT : EMSEC_TLS_SERVER;/tls = we_are_client ? EMSEC_TLS_SERVER : EMSEC_TLS_CLIENT;/' wp
# 4. A kept session that silently drops TLS.
run_mutant keep_drops_tls core/roles.c \
    's/out->tls = secured ? EMSEC_TLS_KEEP : EMSEC_TLS_NONE;/out->tls = EMSEC_TLS_NONE;/' wp
if [ "$fails" -ne 0 ]; then echo "proofs-mutants: $fails mutant(s) not caught"; exit 1; fi
echo "proofs-mutants: all 4 mutants caught"
