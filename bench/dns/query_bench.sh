#!/bin/bash
# Query throughput of dockerops-dnsd next to Knot, NSD and BIND on 127.0.0.1,
# the setup of dns-server-notes.md §2: a 1,000-name zone (name0..name999 A
# 10.0.x.y, data only, never contacted), 200k random lookups of existing
# names, dnsperf -l 10. Each server runs alone, pinned to CPU 1 with one
# worker; dnsperf runs on CPU 0. Besides queries/s it records the server's CPU
# seconds (utime+stime of its whole process tree from /proc) so the key
# figure, queries per server CPU-second, does not depend on who saturated.
#
# Usage: bench/dns/query_bench.sh [path/to/dockerops-dnsd]
# Peers are installed with apt-get here (docs/decisions.md 26), never by install.sh.
set -euo pipefail

dnsd=${1:-${DOCKEROPS_DNSD:-$(dirname "$0")/../../build/bin/dockerops-dnsd}}
[ -x "$dnsd" ] || { echo "dockerops-dnsd not found: pass its path as the first argument"; exit 1; }
duration=${BENCH_SECONDS:-10}
clients=${BENCH_CLIENTS:-20}

missing=()
for pair in dnsperf:dnsperf knotd:knot nsd:nsd named:bind9; do
  command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi
# Debian starts the freshly installed daemons where it can; they are not ours to keep.
for svc in named knot nsd; do service "$svc" stop >/dev/null 2>&1 || true; done

work=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

zone="$work/local.zone.db"
{
  echo '$TTL 60'
  echo '@ IN SOA ns hostmaster 1 3600 600 86400 60'
  echo '@ IN NS ns'
  echo 'ns IN A 127.0.0.1'
  for i in $(seq 0 999); do echo "name$i IN A 10.0.$((i / 256)).$((i % 256))"; done
} >"$zone"
awk 'BEGIN { srand(42); for (i = 0; i < 200000; i++) printf "name%d.local.zone A\n", int(rand() * 1000) }' >"$work/queries.txt"

# CPU ticks (utime+stime) of a process and all its descendant processes.
# /proc/PID/stat already sums the threads of PID, so threads (which pstree
# would list without -T) must not be counted again.
tree_ticks() {
  local total=0 p
  for p in $(pstree -p -T "$1" 2>/dev/null | grep -o '([0-9]*)' | tr -d '()' | sort -u); do
    [ -r "/proc/$p/stat" ] || continue
    # Fields after the ")" of comm: utime is 14, stime 15 in stat(5) numbering.
    total=$((total + $(sed 's/.*) //' "/proc/$p/stat" | awk '{ print $12 + $13 }')))
  done
  echo "$total"
}

results=()
run_one() { # name port command...
  local name=$1 port=$2
  shift 2
  "$@" >"$work/$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    dig @127.0.0.1 -p "$port" +time=1 +tries=1 +short name1.local.zone A 2>/dev/null | grep -q 10.0.0.1 && break
    sleep 0.2
  done
  if ! dig @127.0.0.1 -p "$port" +time=1 +tries=1 +short name1.local.zone A | grep -q 10.0.0.1; then
    echo "$name did not answer; log:"
    cat "$work/$name.log"
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
    results+=("$name|-|-|-|-")
    return
  fi
  # Pin every thread of the whole tree (knotd re-pins its workers itself).
  for p in $(pstree -p "$pid" | grep -o '([0-9]*)' | tr -d '()'); do taskset -a -p -c 1 "$p" >/dev/null 2>&1 || true; done
  local hz before after out qps completed lost cpu
  hz=$(getconf CLK_TCK)
  before=$(tree_ticks "$pid")
  out=$(taskset -c 0 dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries.txt" -c "$clients" -T 1 -l "$duration" 2>&1)
  after=$(tree_ticks "$pid")
  qps=$(sed -n 's/.*Queries per second: *\([0-9.]*\).*/\1/p' <<<"$out")
  completed=$(sed -n 's/.*Queries completed: *\([0-9]*\).*/\1/p' <<<"$out")
  lost=$(sed -n 's/.*Queries lost: *[0-9]* (\([0-9.]*%\)).*/\1/p' <<<"$out")
  cpu=$(awk -v t=$((after - before)) -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }')
  results+=("$name|$(printf "%.0f" "$qps")|$lost|$cpu|$(awk -v c="$completed" -v s="$cpu" 'BEGIN { printf "%.0f", (s > 0 ? c / s : 0) }')")
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
}

# dockerops-dnsd: one UDP thread (its TCP/update thread idles).
run_one dockerops-dnsd 5300 "$dnsd" --listen 127.0.0.1 --port 5300 --zone local.zone --zone-file "$zone" --no-forward -q

mkdir -p "$work/bind"
cp "$zone" "$work/bind/local.zone.db"
cat >"$work/bind/named.conf" <<CONF
options { directory "$work/bind"; listen-on port 5301 { 127.0.0.1; }; listen-on-v6 { none; };
  recursion no; minimal-responses yes; notify no; pid-file "$work/bind/named.pid"; };
controls { };
zone "local.zone" { type primary; file "local.zone.db"; };
CONF
run_one bind 5301 named -c "$work/bind/named.conf" -g -n 1

mkdir -p "$work/knot"
cp "$zone" "$work/knot/local.zone.db"
cat >"$work/knot/knot.conf" <<CONF
server:
    rundir: "$work/knot"
    listen: 127.0.0.1@5302
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "$work/knot"
log:
  - target: stderr
    any: warning
zone:
  - domain: local.zone
    storage: "$work/knot"
    file: "local.zone.db"
CONF
run_one knot 5302 knotd -c "$work/knot/knot.conf"

mkdir -p "$work/nsd"
cp "$zone" "$work/nsd/local.zone.db"
cat >"$work/nsd/nsd.conf" <<CONF
server:
    ip-address: 127.0.0.1@5303
    server-count: 1
    username: ""
    zonesdir: "$work/nsd"
    database: ""
    pidfile: "$work/nsd/nsd.pid"
    zonelistfile: "$work/nsd/zone.list"
    xfrdfile: "$work/nsd/xfrd.state"
    xfrdir: "$work/nsd"
    minimal-responses: yes
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
    verbosity: 0
remote-control:
    control-enable: no
zone:
    name: local.zone
    zonefile: local.zone.db
CONF
run_one nsd 5303 nsd -d -c "$work/nsd/nsd.conf"

knot_per_cpu=$(printf '%s\n' "${results[@]}" | awk -F'|' '$1 == "knot" { print $5 }')
echo
echo "dnsperf -c $clients -T 1 -l $duration, server pinned to CPU 1 (one worker), dnsperf on CPU 0; $(nproc) CPUs"
printf '| %-15s | %10s | %7s | %13s | %16s | %8s |\n' server "queries/s" lost "server CPU s" "q per CPU-second" "vs Knot"
printf '|%s|%s|%s|%s|%s|%s|\n' ----------------- ------------ --------- --------------- ------------------ ----------
for r in "${results[@]}"; do
  IFS='|' read -r name qps lost cpu per <<<"$r"
  ratio=$(awk -v a="$per" -v k="$knot_per_cpu" 'BEGIN { if ((k > 0) && (a > 0)) printf "%.2fx", a / k; else print "-" }')
  printf '| %-15s | %10s | %7s | %13s | %16s | %8s |\n' "$name" "$qps" "$lost" "$cpu" "$per" "$ratio"
done
