#!/bin/bash
# issue 16 item 4: plain clients spread over a service's instances. A program in a container that
# resolves "web" with getaddrinfo and connects, 300 times over 3 instances, reaches each within
# +-20 % of a third: the project DNS answers classic queries (no EDNS, what glibc sends) with one
# address in turn. Control: the same client with "options edns0" gets the whole RRset (as HAProxy
# and other full-set consumers do), which glibc sorts by RFC 6724 rule 9 (longest prefix shared
# with the client's address, applied because the client has IPv6 on) and it stops spreading.
source "$(dirname "$0")/runlib.bash"
new_project run-spread
mkdir -p services
cp -r "$DOCKEROPS_SOURCE_DIR/demos/lb/services/web" services/web
cat >run.conf <<'CONF'
[
  {"service": "dockerops-dns", "instance": "main"},
  {"service": "web", "instance": "w1"},
  {"service": "web", "instance": "w2"},
  {"service": "web", "instance": "w3"}
]
CONF
dockerops build:web >/dev/null
dockerops run:all >run.txt 2>&1 || fail "run:all: $(cat run.txt)"
dns=$(dockerops getip:dockerops-dns)
net=${T_NAME}_net
webs=$(for i in w1 w2 w3; do dockerops getip:web,instance="$i"; done | tr '\n' ' ')
# A free client address of the project /24 for which rule 9 is no tie: the instances' addresses do
# not all share the same number of leading bits with it (glibc compares fls(client ^ server)).
taken=$(docker network inspect -f '{{range .Containers}}{{.IPv4Address}} {{end}}' "$net")
client_ip=$(python3 - "$dns" "$taken" $webs <<'PY'
import sys
dns, in_use, webs = sys.argv[1], sys.argv[2].split(), sys.argv[3:]
prefix = dns.rsplit(".", 1)[0]
taken = {int(a.split("/")[0].rsplit(".", 1)[1]) for a in [dns] + webs + in_use}
for c in range(6, 250):
    keys = {(c ^ int(w.rsplit(".", 1)[1])).bit_length() for w in webs}
    if c not in taken and len(keys) > 1:
        print(f"{prefix}.{c}")
        break
PY
)
[[ -n $client_ip ]] || fail "no client address makes rule 9 matter for $webs"

# 300 x (getaddrinfo("web"), connect to its first address, GET /): the instance names answering.
read -r -d '' client <<'PY' || true
import collections, socket
seen = collections.Counter()
for _ in range(300):
    address = socket.getaddrinfo("web", 80, type=socket.SOCK_STREAM)[0][4][0]
    with socket.create_connection((address, 80), timeout=5) as s:
        s.sendall(b"GET / HTTP/1.0\r\nHost: web\r\n\r\n")
        reply = b""
        while chunk := s.recv(4096):
            reply += chunk
    seen[reply.split(b"\r\n\r\n", 1)[1].strip().decode()] += 1
print(" ".join(f"{name}={count}" for name, count in sorted(seen.items())))
PY
run_client() {
  docker run --rm --label dockerops.test=1 --network "$net" --ip "$client_ip" --dns "$dns" \
    --dns-search local.zone --sysctl net.ipv6.conf.all.disable_ipv6=0 "$@" --entrypoint python3 \
    dockerops/base -c "$client"
}
count_of() { grep -oE "$1=[0-9]+" <<<"$2" | cut -d= -f2 || echo 0; }

spread=$(run_client) || fail "the client failed: $spread"
echo "classic client at $client_ip: $spread"
for i in w1 w2 w3; do
  n=$(count_of "$i" "$spread")
  ((${n:-0} >= 80 && ${n:-0} <= 120)) || fail "$i got ${n:-0} of 300 (want 100 +- 20 %): $spread"
done

control=$(run_client --dns-opt edns0) || fail "the EDNS client failed: $control"
echo "EDNS client at $client_ip: $control"
least=300
for i in w1 w2 w3; do
  n=$(count_of "$i" "$control")
  ((${n:-0} < least)) && least=${n:-0}
done
((least < 80)) || fail "with the whole RRset the client spread anyway ($control): rule 9 did not apply, so the test proves nothing"
echo PASS
