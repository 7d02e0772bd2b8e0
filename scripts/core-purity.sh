#!/bin/sh
# core/ and gen/ never touch sockets, clocks, malloc, stdio or OpenSSL
# (DESIGN.md). A match below is a build failure.
set -eu
pattern='#include *<(sys/socket|netinet/|arpa/|sys/epoll|time|sys/time|stdio|stdlib|openssl/|unistd|fcntl|poll)[./a-z_]*>|\b(malloc|calloc|realloc|free|socket|connect|accept|send|recv|read|write|clock_gettime|gettimeofday|time|printf|fprintf|fopen|SSL_[A-Za-z_]+)\('
if grep -nE "$pattern" core/*.c core/*.h gen/*.c; then
    echo "core-purity: core/ or gen/ uses a forbidden call or header (above)"; exit 1
fi
echo "core-purity: core/ and gen/ use no sockets, clocks, malloc, stdio or OpenSSL"
