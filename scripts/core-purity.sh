#!/bin/sh
# core/ and gen/ never touch sockets, clocks, malloc, stdio or OpenSSL
# (DESIGN.md). A match below is a build failure.
set -eu
# Calls: the names that are not also English words match with or without
# spaces before the "(" (a generated comment such as "socket (address..."
# reads as a call to a stricter eye); read, write, free, time, send and the
# like only as written in code, name and "(" together, or every comment
# that says "read (" would fail. gen/*.h is scanned too: the generated
# enums carry the tables' descriptions.
pattern='#include *<(sys/socket|netinet/|arpa/|sys/epoll|time|sys/time|stdio|stdlib|openssl/|unistd|fcntl|poll)[./a-z_]*>|\b(malloc|calloc|realloc|free|socket|connect|accept|send|recv|read|write|clock_gettime|gettimeofday|time|printf|fprintf|fopen|SSL_[A-Za-z_]+)\(|\b(malloc|calloc|realloc|socket|clock_gettime|gettimeofday|fopen|SSL_[A-Za-z_]+)[[:space:]]+\('
if grep -nE "$pattern" core/*.c core/*.h gen/*.c gen/*.h; then
    echo "core-purity: core/ or gen/ uses a forbidden call or header (above)"; exit 1
fi
echo "core-purity: core/ and gen/ use no sockets, clocks, malloc, stdio or OpenSSL"
