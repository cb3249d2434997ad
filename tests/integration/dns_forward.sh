#!/bin/bash
# Forwarding: names outside the served zones go to the upstream for allowed
# clients only, over UDP and TCP (a TCP client gets an answer that is too big
# for UDP; the client's own EDNS view); RD=0 and disallowed clients get REFUSED; a
# dead upstream gives SERVFAIL after the bounded retries. The upstream is a
# second dockerops-dnsd on 127.0.0.2 (never the machine's own resolver).
set -euo pipefail

: "${DOCKEROPS_DNSD:?DOCKEROPS_DNSD must name the dockerops-dnsd binary}"
command -v dig >/dev/null || { echo "missing dig (apt-get install bind9-dnsutils)"; exit 1; }

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# start NAME ARGS...: runs dnsd with --port 0, sets $port to the chosen port.
start() {
  local name=$1
  shift
  : >"$tmp/$name.log" # exists before the loop reads it, whenever the child opens it
  "$DOCKEROPS_DNSD" --port 0 "$@" 2>"$tmp/$name.log" &
  pids+=($!)
  port=
  for _ in $(seq 100); do
    port=$(sed -n 's/.* port \([0-9]*\) (udp, tcp).*/\1/p' "$tmp/$name.log")
    [ -n "$port" ] && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  cat "$tmp/$name.log"
  echo "FAIL: $name did not start"
  exit 1
}

# The upstream zone has an answer too big for UDP (100 A records, about 1.7 KB).
{
  echo '$TTL 60'
  echo '@ IN SOA dns hostmaster 1 3600 600 86400 60'
  echo '@ IN NS dns'
  echo 'dns IN A 10.20.30.40'
  for i in $(seq 0 99); do echo "big IN A 10.9.0.$i"; done
} >"$tmp/upstream.db"
start upstream --listen 127.0.0.2 --zone upstream.test --zone-file "$tmp/upstream.db" --no-forward
up=$port
start main --listen 127.0.0.1 --zone local.zone --self-address 172.30.0.2 --forward "127.0.0.2:$up" \
  --forward-allow 127.0.0.1/32
main=$port
start dead --listen 127.0.0.1 --zone local.zone --self-address 172.30.0.2 --forward 127.0.0.9:9 --forward 127.0.0.10:9
dead=$port

failures=0
expect() {
  if [ "$2" == "$3" ]; then echo "ok   $1"; else echo "FAIL $1: wanted [$2] got [$3]"; failures=$((failures + 1)); fi
}
status() { dig "$@" | sed -n 's/.*status: \([A-Z]*\),.*/\1/p'; }

expect "own zone still authoritative" "172.30.0.2" "$(dig @127.0.0.1 -p "$main" +short dns.local.zone)"
expect "forwarded over UDP" "10.20.30.40" "$(dig @127.0.0.1 -p "$main" -b 127.0.0.1 +short dns.upstream.test)"
expect "forwarded over TCP" "10.20.30.40" "$(dig @127.0.0.1 -p "$main" -b 127.0.0.1 +tcp +short dns.upstream.test)"
# A truncated UDP answer is fetched again over TCP for a TCP client (RFC 7766 §6.2.1).
expect "TCP client gets the whole big answer" "100" \
  "$(dig @127.0.0.1 -p "$main" -b 127.0.0.1 +tcp +short big.upstream.test | wc -l)"
expect "UDP client gets TC for it" "1" \
  "$(dig @127.0.0.1 -p "$main" -b 127.0.0.1 +notcp +ignore big.upstream.test | grep -c 'flags:.* tc')"
# EDNS is hop by hop: a client without EDNS gets no OPT, one with EDNS gets ours (RFC 6891 §6.1.1).
expect "no OPT for a client without EDNS" "0" \
  "$(dig @127.0.0.1 -p "$main" -b 127.0.0.1 +noedns dns.upstream.test | grep -c 'OPT PSEUDOSECTION' || true)"
expect "our OPT for a client with EDNS" "1" \
  "$(dig @127.0.0.1 -p "$main" -b 127.0.0.1 +bufsize=4096 dns.upstream.test | grep -c 'udp: 1232')"
expect "upstream NXDOMAIN passed through" "NXDOMAIN" "$(status @127.0.0.1 -p "$main" -b 127.0.0.1 nx.upstream.test)"
# dig checks that the reply ID matches its query: a wrong ID would be "ID mismatch" and no answer.
expect "RD=0 is not forwarded" "REFUSED" "$(status @127.0.0.1 -p "$main" -b 127.0.0.1 +norec dns.upstream.test)"
expect "client outside --forward-allow refused" "REFUSED" \
  "$(status @127.0.0.1 -p "$main" -b 127.0.0.5 dns.upstream.test)"
expect "dead upstreams give SERVFAIL" "SERVFAIL" \
  "$(status @127.0.0.1 -p "$dead" +time=15 +tries=1 example.test)"
expect "server with dead upstreams still answers" "172.30.0.2" \
  "$(dig @127.0.0.1 -p "$dead" +short dns.local.zone 2>/dev/null || true)"

for p in "${pids[@]}"; do kill -0 "$p" || { echo "FAIL: a dnsd died"; failures=$((failures + 1)); }; done
[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "all dns_forward checks passed"
