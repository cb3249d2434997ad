#!/bin/bash
# bench/lb/lb_bench.sh [ROUNDS=3]: the lb demo (dockerops install_demo --demo lb) measured end to end
# on this machine, ROUNDS rounds of each (see README.md for what each figure is):
#   1. spread through lb: 3,000 sequential requests over 3 web instances (new connection each);
#   2. direct clients: 300 x getaddrinfo("web") + connect + GET from a container (IPv6 on, so that
#      glibc applies RFC 6724 rule 9), classic (no EDNS) and with "options edns0";
#   3. follow time: a sampler at 100 requests/s through lb while web/w4 is run and then cleaned:
#      from "web/w4: ready" to w4's first answer, and w4's answers after lb's hook ran on the clean;
#   4. zero failures: 50 requests/s for 60 s through lb while web goes 3 -> 5 -> 2 instances.
# Everything carries dockerops.test=1 and is removed at the end. Traffic: 127.0.0.1 and the
# project's own containers only; every loop is bounded.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rounds=${1:-3}
: "${DOCKEROPS_BIN:=dockerops}"
export DOCKEROPS_EXTRA_LABELS=dockerops.test=1 NO_COLOR=1
dockerops() { "$DOCKEROPS_BIN" "$@"; }
load() { python3 "$here/load.py" "$@"; }

work=$(mktemp -d)
dir=$work/lbbench$$
cleanup() {
  status=$?
  [[ -d $dir ]] && (cd "$dir" && dockerops clean:all,force=true >/dev/null 2>&1) || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
# The built-in images of this dockerops (another checkout's dockerops/dns may be the one present).
dockerops init >/dev/null 2>&1 || dockerops init
dockerops install_demo --demo lb "$dir" >/dev/null
cd "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed -i "s/127.0.0.1:8080:8080/127.0.0.1:$port:8080/" run.conf
url=http://127.0.0.1:$port/
echo "building and starting the demo (port $port)..." >&2
dockerops run:all >/dev/null
# Every instance answers before the first round (bounded poll).
for _ in $(seq 100); do
  load count "$url" 30 | python3 -c 'import json,sys; sys.exit(len(json.load(sys.stdin)["counts"]) != 3)' && break
  sleep 0.2
done
results=$work/results.txt
: >"$results"

echo "1. spread through lb" >&2
for r in $(seq "$rounds"); do
  load count "$url" 3000 | python3 -c '
import json, sys
d = json.load(sys.stdin)
dev = max(abs(n - 1000) / 1000 * 100 for n in d["counts"].values())
names = " ".join(f"{k}={v}" for k, v in sorted(d["counts"].items()))
failed = d["failed"]
print(f"spread {dev:.2f} {failed} {names}")' >>"$results"
done

echo "2. direct getaddrinfo clients" >&2
dns=$(dockerops getip:dockerops-dns)
net=lbbench$$_net
webs=$(for i in w1 w2 w3; do dockerops getip:web,instance="$i"; done | tr '\n' ' ')
taken=$(docker network inspect -f '{{range .Containers}}{{.IPv4Address}} {{end}}' "$net")
client_ip=$(python3 - "$dns" "$taken" $webs <<'PY'
import sys
dns, in_use, webs = sys.argv[1], sys.argv[2].split(), sys.argv[3:]
taken = {int(a.split("/")[0].rsplit(".", 1)[1]) for a in [dns] + webs + in_use}
for c in range(6, 250):
    if c not in taken and len({(c ^ int(w.rsplit(".", 1)[1])).bit_length() for w in webs}) > 1:
        print(dns.rsplit(".", 1)[0] + f".{c}")
        break
PY
)
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
dev = max(abs(seen.get(n, 0) - 100) for n in ("w1", "w2", "w3"))
print(dev, " ".join(f"{k}={v}" for k, v in sorted(seen.items())))
PY
for r in $(seq "$rounds"); do
  for mode in classic edns; do
    opt=()
    [[ $mode == edns ]] && opt=(--dns-opt edns0)
    out=$(docker run --rm --label dockerops.test=1 --network "$net" --ip "$client_ip" --dns "$dns" \
      --dns-search local.zone --sysctl net.ipv6.conf.all.disable_ipv6=0 "${opt[@]}" --entrypoint python3 \
      dockerops/base -c "$client")
    echo "direct-$mode $out" >>"$results"
  done
done

echo "3. follow time" >&2
for r in $(seq "$rounds"); do
  load sample "$url" 100 22 >"$work/follow.txt" &
  sampler=$!
  sleep 3
  load stamp "$DOCKEROPS_BIN" run:web,instance=w4 >"$work/run.txt"
  sleep 5
  load stamp "$DOCKEROPS_BIN" clean:web,instance=w4,force=true >"$work/clean.txt"
  wait "$sampler"
  python3 - "$work" >>"$results" <<'PY'
import sys
w = sys.argv[1]
def stamp_of(file, text):
    for line in open(f"{w}/{file}"):
        if text in line:
            return float(line.split()[0])
    raise SystemExit(f"no '{text}' in {file}")
ready = stamp_of("run.txt", "web/w4: ready")
dereg = stamp_of("clean.txt", "web/w4: deregistered")
hooks = stamp_of("clean.txt", "lb/main: watch hooks ran for web")
rows = [l.split() for l in open(f"{w}/follow.txt")]
w4 = sorted(float(r[0]) for r in rows if len(r) == 4 and r[2] == "200" and r[3] == "w4")
if not w4:
    bodies = {}
    for r in rows:
        bodies[" ".join(r[2:])] = bodies.get(" ".join(r[2:]), 0) + 1
    sys.exit(f"w4 never answered: {bodies}\n" + open(f"{w}/run.txt").read() + open(f"{w}/clean.txt").read())
first = w4[0]
after_hooks = sum(1 for t in w4 if t > hooks)
failed = sum(1 for r in rows if r[2] != "200")
print(f"follow {first - ready:.3f} {hooks - dereg:.3f} {after_hooks} {failed} {len(rows)}")
PY
done

echo "4. zero failures, 3 -> 5 -> 2" >&2
scale_cmd=named
dockerops help scale >/dev/null 2>&1 && scale_cmd=scale
for r in $(seq "$rounds"); do
  dockerops run:all >/dev/null
  load sample "$url" 50 60 >"$work/zero.txt" &
  sampler=$!
  sleep 10
  if [[ $scale_cmd == scale ]]; then
    dockerops scale:web=5 >/dev/null
  else
    dockerops run:web,instance=w4 >/dev/null
    dockerops run:web,instance=w5 >/dev/null
  fi
  sleep 20
  if [[ $scale_cmd == scale ]]; then
    dockerops scale:web=2 >/dev/null
  else
    for i in w3 w4 w5; do dockerops clean:web,instance=$i,force=true >/dev/null; done
  fi
  wait "$sampler"
  python3 - "$work/zero.txt" "$scale_cmd" >>"$results" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
lat = sorted(float(r[1]) for r in rows)
failed = sum(1 for r in rows if r[2] != "200")
def pct(p):
    return lat[min(len(lat) - 1, int(p / 100 * len(lat)))]
print(f"zero {len(rows)} {failed} {pct(50):.2f} {pct(99):.2f} {lat[-1]:.2f} {sys.argv[2]}")
PY
done

echo
echo "raw results:"
cat "$results"
python3 - "$results" "$rounds" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
def med(values):
    return statistics.median(values)
def spread(values):
    return f"{min(values):g}-{max(values):g}"
spread_rows = [r for r in rows if r[0] == "spread"]
dev = [float(r[1]) for r in spread_rows]
print()
print(f"| figure ({sys.argv[2]} rounds) | median | range | goal |")
print("|---|---|---|---|")
print(f"| through lb, 3,000 requests over 3 instances: largest deviation from a fair share | {med(dev):.2f} % | {spread(dev)} % | <= 5 % |")
print(f"| through lb: failed requests (of 3,000) | {med([int(r[2]) for r in spread_rows]):g} | | 0 |")
for mode in ("classic", "edns"):
    d = [int(r[1]) for r in rows if r[0] == f"direct-{mode}"]
    print(f"| direct getaddrinfo ({mode}), 300 over 3: largest deviation from 100 | {med(d):g} | {spread(d)} | <= 20 |")
f = [r for r in rows if r[0] == "follow"]
if f:
    print(f"| follow: w4 ready -> its first request through lb | {med([float(r[1]) for r in f]):.3f} s | {spread([float(r[1]) for r in f])} s | <= 3 s |")
    print(f"| removal: w4 deregistered -> lb's hook done | {med([float(r[2]) for r in f]):.3f} s | {spread([float(r[2]) for r in f])} s | |")
    print(f"| removal: requests w4 answered after lb's hook ran | {med([int(r[3]) for r in f]):g} | {spread([int(r[3]) for r in f])} | 0 |")
    print(f"| follow rounds: failed requests (of ~2,200 at 100/s) | {med([int(r[4]) for r in f]):g} | {spread([int(r[4]) for r in f])} | 0 |")
z = [r for r in rows if r[0] == "zero"]
if z:
    print(f"| 50/s for 60 s, web 3 -> 5 -> 2 ({z[0][6]}): failed of {z[0][1]} | {med([int(r[2]) for r in z]):g} | {spread([int(r[2]) for r in z])} | 0 |")
    print(f"| same: p50 / p99 / max latency | {med([float(r[3]) for r in z]):.2f} / {med([float(r[4]) for r in z]):.2f} / {med([float(r[5]) for r in z]):.2f} ms | p99 {spread([float(r[4]) for r in z])} ms | |")
PY
