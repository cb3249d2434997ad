#!/bin/bash
# Builds and runs bench/dns/query_path.cpp against a build tree's static
# libraries: the in-process cost of one answered query, no sockets.
# Usage: bench/dns/query_path.sh [build-dir]   (default: build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
cmake --build "$build" --target dockerops_dns_server >/dev/null
out=$(mktemp)
trap 'rm -f "$out"' EXIT
g++ -std=c++20 -O2 -DNDEBUG -I"$src/src" -I"$build/generated" "$here/query_path.cpp" -o "$out" \
  "$build"/src/dns/{server/libdockerops_dns_server,update/libdockerops_dns_update,zone/libdockerops_dns_zone}.a \
  "$build/src/dns/proto/libdockerops_dns_proto.a" "$build/src/base/libdockerops_base.a" \
  $(pkg-config --libs ldns) -lcrypto -lfmt
"$out"
