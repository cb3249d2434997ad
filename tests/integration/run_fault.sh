#!/bin/bash
# Killed in the middle (DOCKEROPS_FAIL_AFTER_OPS=3 ends the process abruptly after 3 engine
# operations), then run again: it converges, each instance exists once, and a third run is a no-op.
source "$(dirname "$0")/runlib.bash"
new_project run-fault
make_service web
cat >run.conf <<'CONF'
[
  {"service": "web", "instance": "a"},
  {"service": "web", "instance": "b", "links": ["web-a:first"]},
  {"service": "web", "instance": "c"}
]
CONF
dockerops build:web >/dev/null 2>&1 || true
set +e
DOCKEROPS_FAIL_AFTER_OPS=3 "$DOCKEROPS_BIN" run:all,wait=false >out1.txt 2>&1
status=$?
set -e
[[ $status == 137 ]] || fail "the fault-injected run exited $status, not 137: $(cat out1.txt)"
grep -q "fault injection" out1.txt || fail "no fault injection message"
dockerops run:all
for i in a b c; do
  n=$(docker ps -q --filter "label=dockerops.project=$T_NAME" --filter "label=dockerops.instance=$i" | wc -l)
  [[ $n == 1 ]] || fail "instance $i runs $n times"
done
count=$(dockerops ps --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(len(r), len({(x["service"],x["instance"]) for x in r}))')
[[ $count == "3 3" ]] || fail "ps after convergence: $count"
out=$(dockerops run:all)
expect_contains "$out" "run: 3 instances: 3 up to date" "third run"
echo PASS
