#!/bin/bash
# dockerops-dnsd against real clients (dig, kdig, host): every record type,
# negative answers, EDNS, truncation + TCP retry, case, round-robin, refusals.
# Runs on 127.0.0.1 with a kernel-chosen port; needs no daemon.
set -euo pipefail

: "${DOCKEROPS_DNSD:?DOCKEROPS_DNSD must name the dockerops-dnsd binary}"
for tool in dig kdig host; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install bind9-dnsutils knot-dnsutils bind9-host)"; exit 1; }
done

tmp=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

cat >"$tmp/local.zone.db" <<'ZONE'
$TTL 60
@        IN SOA dns hostmaster 7 3600 600 86400 30
@        IN NS  dns
dns      IN A   172.30.0.2
web      IN A   172.30.0.5
web      IN A   172.30.0.6
web      IN A   172.30.0.7
web      IN AAAA fd00::5
www      IN CNAME web
alias    IN CNAME www
_http._tcp.web IN SRV 0 0 80 web
txt      IN TXT "hello world"
ZONE
for i in $(seq 0 99); do echo "big IN A 10.1.0.$i" >>"$tmp/local.zone.db"; done
cat >"$tmp/reverse.db" <<'ZONE'
$TTL 60
@  IN SOA dns.local.zone. hostmaster.local.zone. 1 3600 600 86400 30
@  IN NS  dns.local.zone.
5  IN PTR web.local.zone.
ZONE

: >"$tmp/log" # exists before the loop reads it, whenever dnsd opens it
"$DOCKEROPS_DNSD" --listen 127.0.0.1 --port 0 --zone local.zone --zone-file "$tmp/local.zone.db" \
  --reverse-zone 0.30.172.in-addr.arpa --reverse-zone-file "$tmp/reverse.db" --no-forward 2>"$tmp/log" &
pid=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's/.* port \([0-9]*\) (udp, tcp).*/\1/p' "$tmp/log")
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/log"; echo "FAIL: dnsd exited at start"; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { cat "$tmp/log"; echo "FAIL: dnsd did not start"; exit 1; }

failures=0
expect() { # expect "what" "wanted" "got"
  if [ "$2" == "$3" ]; then echo "ok   $1"; else echo "FAIL $1: wanted [$2] got [$3]"; failures=$((failures + 1)); fi
}
contains() { # contains "what" "needle" "haystack"
  if grep -qF -- "$2" <<<"$3"; then echo "ok   $1"; else echo "FAIL $1: [$2] not in:"; echo "$3"; failures=$((failures + 1)); fi
}
d() { dig @127.0.0.1 -p "$port" +time=2 +tries=1 "$@"; }
k() { kdig @127.0.0.1 -p "$port" +time=2 +retry=0 "$@"; }

expect "A" "172.30.0.2" "$(d +short dns.local.zone A)"
expect "A x3" "172.30.0.5 172.30.0.6 172.30.0.7" "$(d +short web.local.zone A | sort | xargs)"
expect "AAAA" "fd00::5" "$(d +short web.local.zone AAAA)"
expect "PTR (kdig)" "web.local.zone." "$(k +short -x 172.30.0.5)"
contains "SRV (host)" "has SRV record 0 0 80 web.local.zone." "$(host -p "$port" -t SRV _http._tcp.web.local.zone 127.0.0.1)"
expect "TXT" '"hello world"' "$(d +short txt.local.zone TXT)"
expect "CNAME chain" "www.local.zone. web.local.zone. 172.30.0.5 172.30.0.6 172.30.0.7" \
  "$(d +short alias.local.zone A | xargs -n1 | { read -r a; read -r b; echo "$a $b $(sort | xargs)"; })"
expect "NS" "dns.local.zone." "$(d +short local.zone NS)"
expect "SOA" "dns.local.zone. hostmaster.local.zone. 7 3600 600 86400 30" "$(d +short local.zone SOA)"

nx=$(d nothere.local.zone A)
contains "NXDOMAIN" "status: NXDOMAIN" "$nx"
contains "NXDOMAIN is authoritative" "flags: qr aa" "$nx"
contains "NXDOMAIN SOA in authority, TTL min(60, 30)" $'local.zone.\t\t30\tIN\tSOA' "$nx"
nodata=$(d dns.local.zone AAAA)
contains "NODATA" "status: NOERROR" "$nodata"
contains "NODATA has no answer" "ANSWER: 0, AUTHORITY: 1" "$nodata"

contains "EDNS payload 1232" "udp: 1232" "$(d +edns=0 dns.local.zone A)"
contains "EDNS version 1 -> BADVERS" "status: BADVERS" "$(d +edns=1 +noednsnegotiation dns.local.zone A)"

tc=$(d +ignore +noedns big.local.zone A | grep 'flags:')
contains "TC over UDP" " tc" "$tc"
contains "TC reply has no partial answer" "ANSWER: 0" "$tc"
expect "TCP retry gets all 100" "100" "$(d +tcp +short big.local.zone A | wc -l)"
expect "dig falls back to TCP by itself" "100" "$(d +short big.local.zone A | wc -l)"
expect "kdig over TCP" "100" "$(k +tcp +short big.local.zone A | wc -l)"

contains "case preserved" ";DnS.LoCaL.ZoNe." "$(d DnS.LoCaL.ZoNe A +noall +question)"
contains "case-insensitive match" "172.30.0.2" "$(d +short DNS.LOCAL.ZONE A)"

firsts=$(for _ in $(seq 12); do d +short web.local.zone A | head -1; done | sort -u | wc -l)
if [ "$firsts" -ge 2 ]; then echo "ok   round-robin ($firsts distinct first answers)"; else
  echo "FAIL round-robin: always the same first answer"; failures=$((failures + 1)); fi

contains "class CH refused" "status: REFUSED" "$(d -c CH dns.local.zone A)"
contains "out of zone refused" "status: REFUSED" "$(d example.com A)"
contains "unsigned AXFR refused (dns_axfr.py covers signed ones)" "error 'REFUSED'" "$(k local.zone AXFR 2>&1 || true)"
contains "unsigned IXFR over UDP refused" "error 'REFUSED'" "$(k +notcp local.zone IXFR=1 2>&1 || true)"

kill -0 "$pid" || { echo "FAIL: dnsd died"; exit 1; }
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
expect "clean exit on SIGTERM" "0" "$status"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "all dns_query checks passed"
