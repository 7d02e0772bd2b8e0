#!/bin/sh
# Installs what emsec's build and tests need, from Debian's packages.
# As root it runs apt-get; otherwise it prints the exact command and fails.
set -eu
PKGS="make gcc clang libclang-rt-14-dev ragel libssl-dev libcriterion-dev \
frama-c-base why3 z3 cvc4 gawk erlang-base erlang-megaco openssl gnutls-bin"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "deps: installing$missing"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq $missing >/dev/null
    else
        echo "deps: missing$missing; run as root:"
        echo "  apt-get update && apt-get install -y$missing"
        exit 1
    fi
fi
# WP needs why3 to know the provers once (z3, cvc4; alt-ergo is not in Debian 12).
if [ ! -f "$HOME/.why3.conf" ] || ! grep -qi "z3" "$HOME/.why3.conf"; then
    why3 config detect >/dev/null 2>&1
    echo "deps: why3 provers detected"
fi
