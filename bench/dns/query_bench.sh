#!/bin/bash
# Query cost of dockerops-dnsd next to Knot, NSD and BIND at equal work, with
# the floor in the same run (issue 18): bench/dns/dns-floor answers every query
# with a fixed reply and does no DNS work, so it is what the socket API costs.
# All five serve the same zone on 127.0.0.1 (ports 5300-5304), each with one
# worker, all pinned to CPU 1; bench/dns/dns-loadgen (sendmmsg/recvmmsg, one
# thread) runs on CPU 0. Every round measures every server twice, the order
# rotating from round to round:
#   saturated  closed loop, --window queries outstanding: queries/s, server
#              CPU us per query (utime+stime from /proc over the interval),
#              queries/s per server core = 1e6 / us per query, share of the
#              floor's per-core figure in the same round;
#   paced      --rate queries/s offered to all alike: server CPU us per query.
# Then one saturated and one paced run of dockerops-dnsd under `perf stat`
# count its recvmmsg calls (queries per call). Each run is bounded by
# --seconds and --queries; the whole script by rounds x 10 runs.
#
# The machine is shared, so the script runs in its own session whose
# autogroup gets nice BENCH_NICE (-20): otherwise the other sessions' work
# takes most of the two pinned cores (see README.md).
#
# Usage: bench/dns/query_bench.sh [path/to/dockerops-dnsd]
#   BENCH_ROUNDS (5) BENCH_SECONDS (5, 1 of warm-up) BENCH_RATE (50000)
#   BENCH_WINDOW (512) BENCH_NICE (-20) BENCH_BUILD (build)
# Peers are installed with apt-get here (docs/decisions.md 26), never by install.sh.
set -euo pipefail

if [ "${DNSBENCH_SESSION:-}" != 1 ]; then
  DNSBENCH_SESSION=1 setsid "$0" "$@" &
  child=$!
  trap 'kill -TERM -- -$child 2>/dev/null || true' INT TERM
  wait "$child"
  exit $?
fi

here=$(cd "$(dirname "$0")" && pwd)
build=${BENCH_BUILD:-$here/../../build}
dnsd=${1:-${DOCKEROPS_DNSD:-$build/bin/dockerops-dnsd}}
[ -x "$dnsd" ] || { echo "dockerops-dnsd not found: pass its path as the first argument"; exit 1; }
cmake --build "$build" --target dns-loadgen dns-floor >/dev/null
loadgen=$build/bench/dns-loadgen
floor=$build/bench/dns-floor
rounds=${BENCH_ROUNDS:-5}
seconds=${BENCH_SECONDS:-5}
rate=${BENCH_RATE:-50000}
window=${BENCH_WINDOW:-512}
nice_level=${BENCH_NICE:--20}

missing=()
for pair in knotd:knot nsd:nsd named:bind9; do
  command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=900 "${missing[@]}" >/dev/null
fi
# Debian starts the freshly installed daemons where it can; they are not ours to keep.
for svc in named knot nsd; do service "$svc" stop >/dev/null 2>&1 || true; done
if echo "$nice_level" 2>/dev/null >/proc/self/autogroup; then
  priority="autogroup nice $nice_level"
else
  priority="autogroup nice not set"
fi

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The zone: 1,000 names with one A, 50 round-robin names with four A, the
# addresses data only (never contacted). The mix: 80 % existing names, 10 %
# round-robin, 10 % names that do not exist (NXDOMAIN).
zone="$work/local.zone.db"
{
  echo '$TTL 60'
  echo '@ IN SOA ns hostmaster 1 3600 600 86400 60'
  echo '@ IN NS ns'
  echo 'ns IN A 127.0.0.1'
  for i in $(seq 0 999); do echo "name$i IN A 10.0.$((i / 256)).$((i % 256))"; done
  for i in $(seq 0 49); do for j in 1 2 3 4; do echo "rr$i IN A 10.1.$i.$j"; done; done
} >"$zone"
awk 'BEGIN { srand(42); for (i = 0; i < 100000; i++) { r = rand();
  if (r < 0.8) printf "name%d.local.zone A\n", int(rand() * 1000);
  else if (r < 0.9) printf "rr%d.local.zone A\n", int(rand() * 50);
  else printf "nx%d.local.zone A\n", int(rand() * 100000) } }' >"$work/names.txt"

# The pids of a process and all its descendant processes (nsd forks its server),
# not its threads: /proc/PID/stat already sums the threads of PID.
tree() { pstree -p -T "$1" | grep -o '([0-9]*)' | tr -d '()' | sort -u; }

declare -A port pidof
start() { # name port command...
  local name=$1
  port[$name]=$2
  shift 2
  "$@" >"$work/$name.log" 2>&1 &
  pidof[$name]=$!
  pids+=($!)
}

start floor 5304 "$floor" --port 5304
start dockerops-dnsd 5300 "$dnsd" --listen 127.0.0.1 --port 5300 --zone local.zone --zone-file "$zone" \
  --no-forward -q

mkdir -p "$work/bind"
cp "$zone" "$work/bind/local.zone.db"
cat >"$work/bind/named.conf" <<CONF
options { directory "$work/bind"; listen-on port 5301 { 127.0.0.1; }; listen-on-v6 { none; };
  recursion no; minimal-responses yes; notify no; pid-file "$work/bind/named.pid"; };
controls { };
zone "local.zone" { type primary; file "local.zone.db"; };
CONF
start bind 5301 named -c "$work/bind/named.conf" -g -n 1

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
start knot 5302 knotd -c "$work/knot/knot.conf"

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
start nsd 5303 nsd -d -c "$work/nsd/nsd.conf"

servers=(floor dockerops-dnsd knot nsd bind)
echo "name1.local.zone A" >"$work/one.txt"
for s in "${servers[@]}"; do
  for _ in $(seq 50); do
    "$loadgen" --port "${port[$s]}" --names "$work/one.txt" --queries 1 --seconds 1 --timeout 200 >/dev/null 2>&1 && break
    sleep 0.2
  done
  if ! "$loadgen" --port "${port[$s]}" --names "$work/one.txt" --queries 1 --seconds 1 >/dev/null 2>&1; then
    echo "$s did not answer on port ${port[$s]}; log:"
    cat "$work/$s.log"
    exit 1
  fi
  # Pin every thread of the whole tree (knotd re-pins its workers itself).
  for p in $(tree "${pidof[$s]}"); do taskset -a -p -c 1 "$p" >/dev/null 2>&1 || true; done
done

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
results="$work/results.txt"
measure() { # round server mode extra-options...
  local r=$1 s=$2 mode=$3 cpu=()
  shift 3
  for p in $(tree "${pidof[$s]}"); do cpu+=(--cpu-pid "$p"); done
  echo "round=$r server=$s mode=$mode $(taskset -c 0 "$loadgen" --port "${port[$s]}" --names "$work/names.txt" \
    --seconds "$seconds" --warmup 1 --window "$window" --queries 100000000 "${cpu[@]}" "$@")" >>"$results"
}
for r in $(seq "$rounds"); do
  for i in "${!servers[@]}"; do
    s=${servers[$(((i + r - 1) % ${#servers[@]}))]}
    measure "$r" "$s" saturated
    measure "$r" "$s" paced --rate "$rate"
  done
  echo "round $r of $rounds done (load average $(cut -d' ' -f1 /proc/loadavg))" >&2
done

# dockerops-dnsd's queries per recvmmsg call, saturated and paced, under perf stat
# (Debian's linux-perf; skipped without it or without syscall tracepoints).
batching=()
for mode in saturated paced; do
  command -v perf >/dev/null || { batching+=("$mode: no perf"); continue; }
  extra=()
  [ "$mode" = paced ] && extra=(--rate "$rate")
  perf stat -x, -e syscalls:sys_enter_recvmmsg -p "${pidof[dockerops-dnsd]}" -o "$work/perf.txt" -- \
    sleep $((seconds + 1)) &
  sleep 0.5
  out=$(taskset -c 0 "$loadgen" --port 5300 --names "$work/names.txt" --seconds "$seconds" --window "$window" \
    --queries 100000000 "${extra[@]}")
  wait $! || true
  calls=$(awk -F, '/recvmmsg/ { print $1 }' "$work/perf.txt" 2>/dev/null)
  answered=$(sed -n 's/.*received=\([0-9]*\).*/\1/p' <<<"$out")
  batching+=("$mode $(awk -v q="$answered" -v c="$calls" 'BEGIN { if (c > 0) printf "%.1f", q / c; else printf "n/a" }')")
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

cp "$results" "${BENCH_RESULTS:-/dev/null}" 2>/dev/null || true
echo
echo "$(date -u +%F) $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), load average $load_before -> $load_after,"
echo "$priority; servers on CPU 1 (one worker each), dns-loadgen on CPU 0, window $window;"
echo "$rounds rounds, each run $seconds s (1 s warm-up not counted); medians, [min-max] over the rounds"
awk -v rate="$rate" '
function kv(line, key,   m) { if (match(line, " " key "=[^ ]*")) return substr(line, RSTART + length(key) + 2, RLENGTH - length(key) - 2); return "" }
function sort(a, n,   i, j, t) { for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j > 0 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t } }
function stat(key, fmt,   a, n, i, parts, m) { n = split(v[key], parts, " "); for (i = 1; i <= n; i++) a[i] = parts[i] + 0; sort(a, n);
  m = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2; return sprintf(fmt " [" fmt "-" fmt "]", m, a[1], a[n]) }
function add(key, x) { v[key] = v[key] " " x }
{ line = " " $0; r = kv(line, "round"); s = kv(line, "server"); mode = kv(line, "mode")
  if (!(s in seen)) { seen[s] = 1; order[++count] = s }
  us = kv(line, "server_us_per_query"); percore = us > 0 ? 1e6 / us : 0
  if (mode == "saturated") {
    add(s "|qps", kv(line, "qps")); add(s "|core", percore); add(s "|us", us); add(s "|busy", kv(line, "server_busy") * 100)
    add(s "|sys", kv(line, "server_sys_share") * 100); add(s "|gen", kv(line, "gen_cpu_share") * 100)
    add(s "|p50", kv(line, "p50_us")); lost[s] += kv(line, "lost"); sent[s] += kv(line, "sent")
    nx[s] += kv(line, "nxdomain"); ans[s] += kv(line, "received"); core[r "|" s] = percore
  } else {
    add(s "|pus", us); add(s "|psys", kv(line, "server_sys_share") * 100); add(s "|pqps", kv(line, "qps"))
    plost[s] += kv(line, "lost"); pcore[r "|" s] = us
  }
  rounds[r] = 1 }
END {
  for (r in rounds) for (i = 1; i <= count; i++) { s = order[i]
    if (core[r "|floor"] > 0) add(s "|share", 100 * core[r "|" s] / core[r "|floor"])
    if (pcore[r "|dockerops-dnsd"] > 0) add(s "|pratio", pcore[r "|" s] / pcore[r "|dockerops-dnsd"]) }
  print ""
  print "Saturated (closed loop):"
  print "| server | queries/s | server core busy % | queries/s per server core | server us/query | share of floor % | kernel % | loadgen CPU % | p50 us | lost | NXDOMAIN % |"
  print "|---|---|---|---|---|---|---|---|---|---|---|"
  for (i = 1; i <= count; i++) { s = order[i]
    printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %d of %d | %.1f |\n", s, stat(s "|qps", "%.0f"), stat(s "|busy", "%.0f"),
      stat(s "|core", "%.0f"), stat(s "|us", "%.2f"), stat(s "|share", "%.0f"), stat(s "|sys", "%.0f"), stat(s "|gen", "%.0f"),
      stat(s "|p50", "%.0f"), lost[s], sent[s], ans[s] ? 100 * nx[s] / ans[s] : 0 }
  print ""
  printf "Paced at %d queries/s offered:\n", rate
  print "| server | answered queries/s | server CPU us/query | vs dockerops-dnsd | kernel % | lost |"
  print "|---|---|---|---|---|---|"
  for (i = 1; i <= count; i++) { s = order[i]
    printf "| %s | %s | %s | %s | %s | %d |\n", s, stat(s "|pqps", "%.0f"), stat(s "|pus", "%.2f"), stat(s "|pratio", "%.2fx"),
      stat(s "|psys", "%.0f"), plost[s] }
}' "$results"
echo
echo "dockerops-dnsd queries per recvmmsg call (perf stat, one run each): ${batching[*]}"
