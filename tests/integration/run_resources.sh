#!/bin/bash
# issue 15 item 1: run.conf cpus, memory, memory_reservation and pids reach the container's
# HostConfig (NanoCpus, Memory, MemoryReservation, PidsLimit), info and ps --json show them, a
# changed limit recreates the instance (it is part of the config hash), and a value that does not
# parse is a run.conf:LINE: error naming the key, with nothing started.
source "$(dirname "$0")/runlib.bash"
new_project run-res
make_service web
write_conf() {
  cat >run.conf <<CONF
[
  {"service": "web", "instance": "one",
   "cpus": 0.5, "memory": "$1", "memory_reservation": "32m",
   "pids": 100},
  {"service": "web", "instance": "plain"}
]
CONF
}
write_conf 64m
dockerops build:web >/dev/null
out=$(dockerops --dry-run run:all)
expect_contains "$out" "resources cpus 0.5, memory 64m, memory_reservation 32m, pids 100" "the plan"
dockerops run:all >/dev/null
limits=$(docker inspect -f '{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}} {{.HostConfig.MemoryReservation}} {{.HostConfig.PidsLimit}}' "$T_NAME-web-one")
[[ $limits == "500000000 67108864 33554432 100" ]] || fail "HostConfig of web/one: $limits"
plain=$(docker inspect -f '{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}}' "$T_NAME-web-plain")
[[ $plain == "0 0" ]] || fail "HostConfig of web/plain: $plain"
# The cgroup the kernel enforces says the same (cgroup v2 files, else v1's).
cgroup=$(docker exec "$T_NAME-web-one" sh -c 'if [ -f /sys/fs/cgroup/memory.max ]; then
  echo "$(cat /sys/fs/cgroup/memory.max) $(cat /sys/fs/cgroup/cpu.max) $(cat /sys/fs/cgroup/pids.max)"; else
  echo "$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes) $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us) $(cat /sys/fs/cgroup/pids/pids.max)"; fi')
[[ $cgroup == "67108864 50000 100000 100" ]] || fail "the cgroup limits of web/one: $cgroup"

expect_contains "$(dockerops info:web,instance=one)" "resources cpus 0.5, memory 64m, memory_reservation 32m, pids 100" "info"
json=$(dockerops --json ps)
python3 - "$json" <<'PY' || fail "ps --json: $json"
import json, sys
rows = {r["instance"]: r["resources"] for r in json.loads(sys.argv[1])}
assert rows["one"] == {"cpus": 0.5, "memory": 67108864, "memory_reservation": 33554432, "pids": 100}, rows
assert rows["plain"] == {"cpus": None, "memory": None, "memory_reservation": None, "pids": None}, rows
PY
python3 - "$(dockerops --json info:web,instance=one)" <<'PY' || fail "info --json"
import json, sys
assert json.loads(sys.argv[1])[0]["resources"]["memory"] == 67108864
PY

# A changed limit recreates web/one only.
write_conf 128m
out=$(dockerops --dry-run run:all)
expect_contains "$out" "recreate $T_NAME-web-one: configuration changed" "the plan after a change"
expect_contains "$out" "keep $T_NAME-web-plain" "the plan after a change"
dockerops run:all >/dev/null
[[ $(docker inspect -f '{{.HostConfig.Memory}}' "$T_NAME-web-one") == 134217728 ]] || fail "memory not updated"

# A bad value: one error line with file, line and key; nothing is started.
dockerops clean:all,force=true >/dev/null
write_conf 12q
set +e
"$DOCKEROPS_BIN" run:all >out.txt 2>err.txt
status=$?
set -e
[[ $status == 1 ]] || fail "a bad memory value exited $status"
expect_contains "$(cat err.txt)" 'dockerops: error: run.conf:3: "memory" must be a size in bytes or with a unit' "the error"
[[ -z $(docker ps -aq --filter "label=dockerops.project=$T_NAME") ]] || fail "a bad conf started something"
echo PASS
