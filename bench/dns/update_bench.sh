#!/bin/bash
# Durable RFC 2136 update throughput of dockerops-dnsd next to BIND and Knot on
# 127.0.0.1 (dns-server-notes.md §0): TSIG-signed (hmac-sha256) updates, each
# adding a new name (so every one is a real change that must reach the
# journal), with 20 and 100 in flight, `dnsperf -u -l 10`, each server fresh
# (empty journal) per run. Then a sequential dnspython client checks that the
# first query after each acknowledgement already sees the change, and gives
# the one-in-flight latency. Every server fsyncs its journal before the ack:
# dockerops-dnsd fdatasync, BIND its .jnl, Knot LMDB (journal-db-mode robust).
#
# Usage: bench/dns/update_bench.sh [path/to/dockerops-dnsd]
# Peers are installed with apt-get here (docs/decisions.md 26), never by install.sh.
set -euo pipefail

dnsd=${1:-${DOCKEROPS_DNSD:-$(dirname "$0")/../../build/bin/dockerops-dnsd}}
[ -x "$dnsd" ] || { echo "dockerops-dnsd not found: pass its path as the first argument"; exit 1; }
duration=${BENCH_SECONDS:-10}
trials=${BENCH_TRIALS:-300}
here=$(cd "$(dirname "$0")" && pwd)

missing=()
for pair in dnsperf:dnsperf knotd:knot named:bind9; do
  command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
done
/usr/bin/python3 -c 'import dns.update' 2>/dev/null || missing+=(python3-dnspython)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=900 "${missing[@]}" >/dev/null
fi
for svc in named knot; do service "$svc" stop >/dev/null 2>&1 || true; done

work=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

secret=$(head -c 32 /dev/urandom | base64)
printf 'key "upd-key." {\n\talgorithm hmac-sha256;\n\tsecret "%s";\n};\n' "$secret" >"$work/upd.key"
zone_text=$'$TTL 60\n@ IN SOA ns hostmaster 1 3600 600 86400 60\n@ IN NS ns\nns IN A 127.0.0.1\n'
# 300k distinct names: more than any run can send in $duration seconds.
awk 'BEGIN { for (i = 0; i < 300000; i++)
  printf "local.zone\nadd u%d.local.zone. 60 A 10.%d.%d.%d\nsend\n", i, int(i / 65536) % 256, int(i / 256) % 256, i % 256 }' \
  >"$work/updates.txt"

start_server() { # name port dir -> sets pid
  local name=$1 port=$2 dir=$3
  case $name in
  dockerops-dnsd)
    "$dnsd" --listen 127.0.0.1 --port "$port" --zone local.zone --zone-file "$dir/local.zone.db" \
      --key-file "$work/upd.key" --journal "$dir/zones.jnl" --no-forward -q >"$dir/log" 2>&1 &
    ;;
  bind)
    cat >"$dir/named.conf" <<CONF
options { directory "$dir"; listen-on port $port { 127.0.0.1; }; listen-on-v6 { none; };
  recursion no; notify no; pid-file "$dir/named.pid"; };
controls { };
$(cat "$work/upd.key")
zone "local.zone" { type primary; file "local.zone.db"; update-policy { grant upd-key. zonesub ANY; }; };
CONF
    named -c "$dir/named.conf" -g -n 2 >"$dir/log" 2>&1 &
    ;;
  knot)
    cat >"$dir/knot.conf" <<CONF
server:
    rundir: "$dir"
    listen: 127.0.0.1@$port
key:
  - id: upd-key.
    algorithm: hmac-sha256
    secret: $secret
acl:
  - id: upd
    key: upd-key.
    action: update
database:
    storage: "$dir"
log:
  - target: stderr
    any: warning
zone:
  - domain: local.zone
    storage: "$dir"
    file: "local.zone.db"
    acl: upd
CONF
    knotd -c "$dir/knot.conf" >"$dir/log" 2>&1 &
    ;;
  esac
  pid=$!
  for _ in $(seq 100); do
    dig @127.0.0.1 -p "$port" +time=1 +tries=1 +short local.zone SOA 2>/dev/null | grep -q hostmaster && return 0
    sleep 0.2
  done
  echo "$name did not start; log:"
  cat "$dir/log"
  return 1
}

stop_server() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
}

results=()
port=5320
for server in dockerops-dnsd bind knot; do
  row="$server"
  for inflight in 20 100; do
    port=$((port + 1))
    dir="$work/$server-$inflight"
    mkdir -p "$dir"
    printf '%s' "$zone_text" >"$dir/local.zone.db"
    if ! start_server "$server" "$port" "$dir"; then
      row="$row|-"
      continue
    fi
    cmd=(dnsperf -u -s 127.0.0.1 -p "$port" -d "$work/updates.txt" -y "hmac-sha256:upd-key.:$secret"
      -c "$inflight" -q "$inflight" -l "$duration")
    out=$("${cmd[@]}" 2>&1)
    ups=$(sed -n 's/.*Updates per second: *\([0-9.]*\).*/\1/p' <<<"$out")
    noerror=$(sed -n 's/.*NOERROR \([0-9]*\).*/\1/p' <<<"$out")
    completed=$(sed -n 's/.*Updates completed: *\([0-9]*\).*/\1/p' <<<"$out")
    echo "$server, $inflight in flight: $ups updates/s ($noerror NOERROR of $completed)"
    row="$row|$(printf '%.0f' "${ups:-0}")"
    stop_server
  done
  # Visibility of each ack and one-in-flight latency, on a fresh server.
  port=$((port + 1))
  dir="$work/$server-seq"
  mkdir -p "$dir"
  printf '%s' "$zone_text" >"$dir/local.zone.db"
  if start_server "$server" "$port" "$dir"; then
    read -r vis p50 seq <<<"$(/usr/bin/python3 "$here/update_visibility.py" "$port" upd-key. "$secret" "$trials" v)"
    row="$row|$seq|$p50|$vis"
    stop_server
  else
    row="$row|-|-|-"
  fi
  results+=("$row")
done

echo
echo "dnsperf -u -c N -q N -l $duration (N in flight), new name per update, TSIG hmac-sha256; $(nproc) CPUs"
printf '| %-15s | %13s | %14s | %16s | %13s | %22s |\n' server "20 in flight" "100 in flight" "1 in flight (seq)" "ack p50 (ms)" "first query sees it"
printf '|%s|%s|%s|%s|%s|%s|\n' ----------------- --------------- ---------------- ------------------ --------------- ------------------------
for r in "${results[@]}"; do
  IFS='|' read -r name a b c d e <<<"$r"
  printf '| %-15s | %13s | %14s | %16s | %13s | %22s |\n' "$name" "$a" "$b" "$c" "$d" "$e"
done
