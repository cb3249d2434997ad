#!/bin/bash
# Builds and runs bench/dns/query_path.cpp against a build tree's static
# libraries: the in-process cost of one answered query, no sockets.
# Usage: bench/dns/query_path.sh [build-dir]   (default: build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
cmake --build "$build" --target dockerops_dns >/dev/null
out=$(mktemp)
trap 'rm -f "$out"' EXIT
g++ -std=c++20 -O2 -DNDEBUG -I"$src/src" -I"$build/generated" "$here/query_path.cpp" -o "$out" \
  "$build/src/dns/libdockerops_dns.a" "$build/src/base/libdockerops_base.a" $(pkg-config --libs ldns) -lfmt
"$out"
