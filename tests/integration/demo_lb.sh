#!/bin/bash
# issue 16 item 2: install_demo --demo lb end to end. HAProxy (lb) serves from every web instance,
# follows run/clean of web instances through its watch hook with no manual step (no request fails
# meanwhile), and shows its stats page.
source "$(dirname "$0")/runlib.bash"
new_project demo-lb
cd "$T_ROOT"
rmdir "$T_DIR"
out=$(dockerops install_demo --demo lb "$T_DIR")
expect_contains "$out" "127.0.0.1:8080/stats" "install_demo --demo lb prints its quickstart"
[[ -x $T_DIR/services/lb/watch.d/10-haproxy && -f $T_DIR/services/web/Dockerfile ]] || fail "the lb demo was not copied"
if dockerops install_demo --demo lbb "$T_ROOT/other" 2>err.txt; then fail "an unknown demo was installed"; fi
expect_contains "$(cat err.txt)" 'no demo "lbb"; did you mean "lb"?' "unknown demo"
cd "$T_DIR"
# 127.0.0.1:8080 as installed, unless something on this machine holds it: then another free port.
port=8080
if ! python3 -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1", 8080))' 2>/dev/null; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  sed -i "s/127.0.0.1:8080:8080/127.0.0.1:$port:8080/" run.conf
fi
url=http://127.0.0.1:$port/

dockerops run:all >run.txt 2>&1 || fail "run:all: $(cat run.txt)"
expect_contains "$(cat run.txt)" "lb/main: watch hooks ran for web (ready: 3 members" "the ready call"

# The names answering N requests, one per line, sorted with counts; a failed request is "FAILED".
spread() {
  for _ in $(seq "$1"); do curl -s --max-time 5 -f "$url" || echo FAILED; done | sort | uniq -c
}
# Polls (bounded) until every name in $@ answers within 30 requests.
wait_for() {
  local names
  for _ in $(seq 50); do
    names=$(spread 30)
    local ok=1
    for n in "$@"; do grep -q " $n\$" <<<"$names" || ok=0; done
    ((ok)) && return 0
    sleep 0.2
  done
  fail "expected $* to answer; got: $names"
}
wait_for w1 w2 w3
out=$(spread 30)
[[ $out != *FAILED* ]] || fail "requests failed: $out"

# A continuous load while web changes: every request must succeed.
load() { for _ in $(seq 400); do curl -s --max-time 5 -f -o /dev/null "$url" || echo FAILED; sleep 0.01; done; }
load >load.txt &
load_pid=$!
extra_cleanup() { kill "$load_pid" 2>/dev/null || true; }
dockerops run:web,instance=w4 >scale1.txt 2>&1 || fail "run:web,instance=w4: $(cat scale1.txt)"
expect_contains "$(cat scale1.txt)" "lb/main: watch hooks ran for web (change: 4 members, +1 -0)" "w4 joins"
wait_for w4
dockerops clean:web,instance=w1,force=true >scale2.txt 2>&1 || fail "clean w1: $(cat scale2.txt)"
expect_contains "$(cat scale2.txt)" "lb/main: watch hooks ran for web (change: 3 members, +0 -1)" "w1 leaves"
# Once clean has returned, HAProxy no longer sends to w1.
out=$(spread 60)
[[ $out != *" w1"* && $out != *FAILED* ]] || fail "after clean of w1: $out"
for n in w2 w3 w4; do grep -q " $n\$" <<<"$out" || fail "$n does not answer after the changes: $out"; done
wait "$load_pid"
[[ $(grep -c FAILED load.txt || true) == 0 ]] || fail "$(grep -c FAILED load.txt) of 400 requests failed while web changed"

stats=$(curl -s --max-time 5 "${url}stats;csv")
expect_contains "$stats" "web,w4," "the stats page lists w4"
[[ $stats != *"web,w1,"* ]] || fail "the stats page still lists w1"
dockerops clean:all,force=true >/dev/null
echo PASS
