#!/bin/bash
# Fuzzes the DNS wire validator and query path with libFuzzer under ASan and
# UBSan for a bounded time (docs/decisions.md 27): configures a separate clang
# build with -DDOCKEROPS_FUZZ=ON, builds tests/fuzz/fuzz_packet and runs it on
# a seed corpus of valid and hostile messages. Set DOCKEROPS_FUZZ_BUILD_DIR to
# reuse a build directory, DOCKEROPS_FUZZ_SECONDS to change the 60 s budget.
set -euo pipefail

src=${DOCKEROPS_SOURCE_DIR:?DOCKEROPS_SOURCE_DIR must name the source tree}
for tool in clang clang++ cmake python3; do
  command -v "$tool" >/dev/null || { echo "FAIL: missing $tool (apt-get install clang libclang-rt-14-dev)"; exit 1; }
done
if ! grep -q "tests/fuzz" "$src/CMakeLists.txt"; then
  echo "FAIL: the top-level CMakeLists.txt does not add tests/fuzz when DOCKEROPS_FUZZ is on"
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build=${DOCKEROPS_FUZZ_BUILD_DIR:-$tmp/build-fuzz}
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)

CC=clang CXX=clang++ cmake -S "$src" -B "$build" "${generator[@]}" -DDOCKEROPS_FUZZ=ON -DDOCKEROPS_TESTS=OFF \
  -DDOCKEROPS_MAN=OFF >"$tmp/configure.log" || { cat "$tmp/configure.log"; exit 1; }
cmake --build "$build" --target fuzz_packet -j2

# Seeds: valid queries (plain, EDNS, TCP-sized answers, CNAME, NXDOMAIN, an
# UPDATE, AXFR and IXFR, which the target also signs) and the hostile shapes of dns-server-notes.md section 5.
mkdir -p "$tmp/seeds" "$tmp/corpus"
python3 - "$tmp/seeds" <<'PY'
import struct, sys, os
out = sys.argv[1]
def header(flags=0x0100, qd=1, an=0, ns=0, ar=0, qid=0x1234):
    return struct.pack("!6H", qid, flags, qd, an, ns, ar)
def name(text):
    return b"".join(bytes([len(l)]) + l.encode() for l in text.split(".") if l) + b"\x00"
def q(text, qtype=1, qclass=1):
    return name(text) + struct.pack("!HH", qtype, qclass)
opt = b"\x00" + struct.pack("!HHIH", 41, 1232, 0, 0)
seeds = {
    "a": header() + q("dns.local.zone"),
    "a_edns": header(ar=1) + q("web.local.zone") + opt,
    "big_edns": header(ar=1) + q("big.local.zone") + opt,
    "cname": header() + q("www.local.zone"),
    "wildcard": header() + q("x.y.app.local.zone", 15),
    "referral": header(ar=1) + q("a.sub.local.zone") + opt,
    "cname_referral": header() + q("deep.local.zone"),
    "mx": header() + q("mail.local.zone", 15),
    "cname_loop": header() + q("loop1.local.zone"),
    "any": header() + q("web.local.zone", 255),
    "nx": header() + q("nothere.local.zone", 28),
    "ent": header() + q("_tcp.web.local.zone", 33),
    "ptr": header() + q("1.0.0.127.in-addr.arpa", 12),
    "foreign": header() + q("example.com"),
    "update": header(flags=5 << 11, an=0, ns=1) + q("local.zone", 6)
              + b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + bytes([10, 0, 0, 9]),
    "self_pointer": header() + b"\xc0\x0c" + struct.pack("!HH", 1, 1),
    "two_opt": header(ar=2) + q("dns.local.zone") + opt + opt,
    "tsig_first": header(ar=2) + q("dns.local.zone") + b"\x01k\x00" + struct.pack("!HHIH", 250, 255, 0, 2) + b"\0\0" + opt,
    "badvers": header(ar=1) + q("dns.local.zone") + b"\x00" + struct.pack("!HHIH", 41, 1232, 1 << 16, 0),
    "trailing": header() + q("dns.local.zone") + b"\xde\xad",
    "axfr": header(flags=0) + q("local.zone", 252),
    "ixfr": header(flags=0, ns=1) + q("local.zone", 251)
            + b"\xc0\x0c" + struct.pack("!HHIH", 6, 1, 0, 22) + b"\x00\x00" + struct.pack("!5I", 0, 0, 0, 0, 0),
    "ixfr_reverse": header(flags=0, ns=1) + q("0.0.127.in-addr.arpa", 251)
            + b"\xc0\x0c" + struct.pack("!HHIH", 6, 1, 0, 22) + b"\x00\x00" + struct.pack("!5I", 9, 0, 0, 0, 0),
}
for k, v in seeds.items():
    with open(os.path.join(out, k), "wb") as f:
        f.write(v)
PY

seconds=${DOCKEROPS_FUZZ_SECONDS:-60}
"$build/bin/fuzz_packet" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=4096 \
  -print_final_stats=1 "$tmp/corpus" "$tmp/seeds"
echo "fuzz_packet ran ${seconds}s without a finding"
