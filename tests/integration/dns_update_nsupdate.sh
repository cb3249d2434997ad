#!/bin/sh
# RFC 2136 updates against dockerops-dnsd with BIND's nsupdate (-y and -k,
# over UDP and TCP) and Knot's knsupdate: add, delete, prerequisites, wrong
# and unknown keys, unsigned updates; dig must see each acknowledged change at
# once. The key file has the exact layout our key-file writer produces
# (format_key_file, checked verbatim in unit.dns.DnsKeyFile.FormatIsTsigKeygens).
set -eu

: "${DOCKEROPS_DNSD:?must name the dockerops-dnsd binary}"
for tool in nsupdate knsupdate dig; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool missing (apt-get install bind9-dnsutils knot-dnsutils)"; exit 1; }
done

tmp=$(mktemp -d /tmp/dns-update-nsupdate.XXXXXX)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

secret=$(head -c 32 /dev/urandom | base64)
# The layout of format_key_file() (what `dockerops` writes to .dockerops/dns.key).
printf 'key "dockerops-test." {\n\talgorithm hmac-sha256;\n\tsecret "%s";\n};\n' "$secret" > "$tmp/dns.key"
chmod 600 "$tmp/dns.key"
cat > "$tmp/local.zone.db" <<'ZONE'
$ORIGIN local.zone.
$TTL 60
@ IN SOA ns hostmaster 1 3600 600 86400 60
@ IN NS ns
ns IN A 127.0.0.1
web IN A 10.0.0.1
ZONE

: >"$tmp/log" # exists before the loop reads it, whenever dnsd opens it
"$DOCKEROPS_DNSD" --listen 127.0.0.1 --port 0 --zone local.zone --zone-file "$tmp/local.zone.db" \
  --key-file "$tmp/dns.key" --journal "$tmp/zones.jnl" --no-forward 2> "$tmp/log" &
pid=$!
port=""
for _ in $(seq 100); do
  port=$(sed -n 's/.* port \([0-9]*\) (udp, tcp).*/\1/p' "$tmp/log" | head -n1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$tmp/log"; echo "FAIL: dnsd did not start"; exit 1; }

failures=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; failures=$((failures + 1)); }
expect() { # expect WHAT ACTUAL EXPECTED
  if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', expected '$3'"; fi
}
lookup() { dig @127.0.0.1 -p "$port" +short +norecurse "$1" "${2:-A}" | sort | tr '\n' ' ' | sed 's/ $//'; }
nsu() { # nsu ARGS... < script; prints the exit status
  if nsupdate "$@" > "$tmp/out" 2>&1; then echo 0; else echo 1; fi
}
script() { printf 'server 127.0.0.1 %s\nzone local.zone\n%s\nsend\n' "$port" "$1"; }

# nsupdate -k with the key file, UDP then TCP (-v).
expect "nsupdate -k add" "$(script 'update add a.local.zone 60 A 10.1.0.1' | nsu -k "$tmp/dns.key")" 0
expect "dig sees the nsupdate -k add at once" "$(lookup a.local.zone)" "10.1.0.1"
expect "nsupdate -k -v (TCP) add" "$(script 'update add a.local.zone 60 A 10.1.0.2' | nsu -v -k "$tmp/dns.key")" 0
expect "dig sees the TCP add" "$(lookup a.local.zone)" "10.1.0.1 10.1.0.2"

# nsupdate -y name:secret.
expect "nsupdate -y delete one RR" \
  "$(script 'update delete a.local.zone A 10.1.0.1' | nsu -y "hmac-sha256:dockerops-test.:$secret")" 0
expect "dig sees the delete" "$(lookup a.local.zone)" "10.1.0.2"
expect "nsupdate -y prerequisite yxdomain holds" \
  "$(script 'prereq yxdomain a.local.zone
update add b.local.zone 60 A 10.1.0.3' | nsu -y "hmac-sha256:dockerops-test.:$secret")" 0
expect "dig sees b" "$(lookup b.local.zone)" "10.1.0.3"
expect "nsupdate prerequisite nxdomain fails" \
  "$(script 'prereq nxdomain a.local.zone
update add c.local.zone 60 A 10.1.0.4' | nsu -y "hmac-sha256:dockerops-test.:$secret")" 1
grep -q YXDOMAIN "$tmp/out" && ok "nsupdate reports YXDOMAIN" || bad "nsupdate reports YXDOMAIN: $(cat "$tmp/out")"
expect "nothing added after a failed prerequisite" "$(lookup c.local.zone)" ""
expect "nsupdate prerequisite yxrrset value-dependent" \
  "$(script 'prereq yxrrset a.local.zone A 10.1.0.2
update add d.local.zone 60 A 10.1.0.5' | nsu -y "hmac-sha256:dockerops-test.:$secret")" 0
expect "nsupdate prerequisite nxrrset fails" \
  "$(script 'prereq nxrrset a.local.zone A
update add e.local.zone 60 A 10.1.0.6' | nsu -y "hmac-sha256:dockerops-test.:$secret")" 1
grep -q YXRRSET "$tmp/out" && ok "nsupdate reports YXRRSET" || bad "nsupdate reports YXRRSET: $(cat "$tmp/out")"

# Wrong secret, unknown key, no key.
other=$(head -c 32 /dev/urandom | base64)
expect "wrong secret fails" "$(script 'update add f.local.zone 60 A 10.1.0.7' | nsu -y "hmac-sha256:dockerops-test.:$other")" 1
grep -q -i "BADSIG\|tsig" "$tmp/out" && ok "nsupdate reports a TSIG error" || bad "nsupdate output: $(cat "$tmp/out")"
expect "unknown key fails" "$(script 'update add f.local.zone 60 A 10.1.0.7' | nsu -y "hmac-sha256:stranger.:$secret")" 1
expect "unsigned update fails" "$(script 'update add f.local.zone 60 A 10.1.0.7' | nsu)" 1
grep -q REFUSED "$tmp/out" && ok "unsigned update is REFUSED" || bad "unsigned output: $(cat "$tmp/out")"
expect "no failed update changed the zone" "$(lookup f.local.zone)" ""

# knsupdate (Knot), UDP and TCP (-v).
kscript() { printf 'server 127.0.0.1 %s\nzone local.zone.\norigin local.zone.\n%s\nsend\nquit\n' "$port" "$1"; }
if kscript 'add g 60 A 10.1.0.8' | knsupdate -y "hmac-sha256:dockerops-test.:$secret" > "$tmp/out" 2>&1; then
  ok "knsupdate add"
else
  bad "knsupdate add: $(cat "$tmp/out")"
fi
expect "dig sees the knsupdate add" "$(lookup g.local.zone)" "10.1.0.8"
if kscript 'del g A' | knsupdate -v -y "hmac-sha256:dockerops-test.:$secret" > "$tmp/out" 2>&1; then
  ok "knsupdate -v (TCP) delete"
else
  bad "knsupdate -v (TCP) delete: $(cat "$tmp/out")"
fi
expect "dig sees the knsupdate delete" "$(lookup g.local.zone)" ""
if kscript 'add h 60 A 10.1.0.9' | knsupdate -y "hmac-sha256:dockerops-test.:$other" > "$tmp/out" 2>&1; then
  bad "knsupdate with a wrong secret succeeded"
else
  ok "knsupdate with a wrong secret fails"
fi

if [ "$failures" -ne 0 ]; then
  cat "$tmp/log"
  echo "$failures failure(s)"
  exit 1
fi
echo "all passed"
