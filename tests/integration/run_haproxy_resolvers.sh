#!/bin/bash
# issue 16 item 3: HAProxy's own DNS resolution against dockerops-dnsd. HAProxy (Debian's 2.6, in a
# container of the project) resolves web.local.zone at the project DNS with "resolvers"
# (accepted_payload_size 8192) and "server-template web 1-10 ... init-addr none resolve-prefer
# ipv4": it sees instances appear (run) and disappear (clean, stop) and spreads requests over them.
# HAProxy drops truncated answers and empties a backend on partial ones: dnsd must answer the whole
# RRset with EDNS(0).
source "$(dirname "$0")/runlib.bash"
new_project run-hapres
mkdir -p services
cp -r "$DOCKEROPS_SOURCE_DIR/demos/lb/services/web" services/web
mkdir -p services/hap
# The demo's HAProxy set-up (supervisord program, master-worker) without its watch hook.
cp "$DOCKEROPS_SOURCE_DIR/demos/lb/services/lb/haproxy.conf" services/hap/
cat >services/hap/Dockerfile <<'DOCKERFILE'
FROM dockerops/base
RUN apt-get update && apt-get install -y --no-install-recommends haproxy \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
COPY haproxy.conf /etc/supervisor/conf.d/haproxy.conf
COPY haproxy.cfg /etc/haproxy/haproxy.cfg
DOCKERFILE
cat >services/hap/haproxy.cfg <<'CFG'
global
    master-worker

resolvers project
    nameserver dns "${DNS_SERVICE_IP}:53"
    accepted_payload_size 8192
    resolve_retries 3
    timeout resolve 1s
    timeout retry 1s
    hold valid 2s
    hold obsolete 2s

defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend www
    bind :8080
    stats enable
    stats uri /stats
    # The CSV shows server addresses only with the legends.
    stats show-legends
    default_backend web

backend web
    balance roundrobin
    server-template web 1-10 web.local.zone:80 resolvers project init-addr none resolve-prefer ipv4 check inter 1s
CFG
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >run.conf <<CONF
[
  {"service": "dockerops-dns", "instance": "main"},
  {"service": "web", "instance": "w1"},
  {"service": "web", "instance": "w2"},
  {"service": "web", "instance": "w3", "autorun": false},
  {"service": "hap", "instance": "main", "ports": ["127.0.0.1:$port:8080"]}
]
CONF
dockerops build:web >/dev/null
dockerops build:hap >/dev/null
dockerops run:all >run.txt 2>&1 || fail "run:all: $(cat run.txt)"
url=http://127.0.0.1:$port

# The addresses of the servers HAProxy has UP in backend web, sorted (from the stats CSV).
up_servers() {
  curl -s --max-time 5 "$url/stats;csv" | python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
if not rows: sys.exit(0)
head = [h.lstrip("# ") for h in rows[0]]
col = {h: i for i, h in enumerate(head)}
ups = sorted(r[col["addr"]].rsplit(":", 1)[0] for r in rows[1:]
             if len(r) > col["addr"] and r[0] == "web" and r[1].startswith("web") and r[col["status"]] == "UP")
print(" ".join(ups))'
}
ips() { for i in "$@"; do dockerops getip:web,instance="$i"; done | sort | tr '\n' ' ' | sed 's/ $//'; }
# Polls (bounded: 30 s at most) until HAProxy has exactly these servers UP.
expect_up() {
  local want got
  want=$(ips "$@")
  for _ in $(seq 150); do
    got=$(up_servers || true)
    [[ $got == "$want" ]] && return 0
    sleep 0.2
  done
  fail "HAProxy has '$got' UP, expected '$want' ($*)"
}
expect_up w1 w2
# HAProxy asks with EDNS(0) and a payload size of 8192: dnsd answers the whole RRset, with an OPT.
dns=$(dockerops getip:dockerops-dns)
answer=$(dig +bufsize=8192 +norec @"$dns" web.local.zone A)
expect_contains "$answer" "EDNS: version: 0" "the answer's OPT"
[[ $(dig +short +bufsize=8192 @"$dns" web.local.zone A | wc -l) == 2 ]] || fail "not the whole RRset: $answer"

dockerops run:web,instance=w3 >/dev/null
expect_up w1 w2 w3
names=$(for _ in $(seq 30); do curl -s --max-time 5 "$url/"; done | sort -u | tr '\n' ' ')
[[ $names == "w1 w2 w3 " ]] || fail "requests through HAProxy reached '$names', not w1 w2 w3"
dockerops clean:web,instance=w1,force=true >/dev/null
expect_up w2 w3
dockerops stop:web,instance=w2 >/dev/null
expect_up w3
dockerops start:web,instance=w2 >/dev/null
expect_up w2 w3
echo PASS
