#!/bin/bash
# issue 15 "bad input": a count of 0 or below, resources that do not parse, an autoscale min above its
# max, an unknown metric and latency without a probe each stop run:all with one error line naming
# run.conf, the line and the key (exit 1), and nothing is created: no container, no network. The
# same conf with the mistake fixed starts, so the mistake alone is what stopped it.
source "$(dirname "$0")/runlib.bash"
new_project run-scale-bad
make_service web
dockerops build:web >/dev/null
# write_conf KEYS: web/w with KEYS on line 3.
write_conf() {
  printf '[\n  {"service": "web", "instance": "w",\n   %s}\n]\n' "$1" >run.conf
}
check() { # KEYS EXPECTED-ERROR
  write_conf "$1"
  set +e
  "$DOCKEROPS_BIN" run:all >out.txt 2>err.txt
  local status=$?
  set -e
  [[ $status == 1 ]] || fail "$1: exit $status: $(cat out.txt err.txt)"
  [[ $(wc -l <err.txt) == 1 ]] || fail "$1: more than one line: $(cat err.txt)"
  [[ $(cat err.txt) == "dockerops: error: $2" ]] || fail "$1: $(cat err.txt), wanted $2"
  [[ -z $(docker ps -aq --filter "label=dockerops.project=$T_NAME") ]] || fail "$1 created a container"
  [[ -z $(docker network ls -q --filter "label=dockerops.project=$T_NAME") ]] || fail "$1 created a network"
}
check '"instances": 0' 'run.conf:3: "instances" must be a whole number from 1 to 250'
check '"instances": -2' 'run.conf:3: "instances" must be a whole number from 1 to 250'
check '"instances": 2, "memory": "lots"' \
  'run.conf:3: "memory" must be a size in bytes or with a unit, like "256m" or "1g" (units b, k, m, g, t: powers of 1024), not "lots"'
check '"instances": 2, "cpus": "half"' \
  'run.conf:3: "cpus" must be a number of CPUs from 0.01 to 1024 (0.5 = half a core), not "half"'
check '"instances": 2, "pids": 0' 'run.conf:3: "pids" must be a whole number of processes from 1 to 4194304'
check '"autoscale": {"min": 3, "max": 2, "metric": "cpu", "target": 0.5}' \
  'run.conf:3: "autoscale": "max" (2) must not be below "min" (3)'
check '"autoscale": {"min": 1, "max": 2, "metric": "rps", "target": 0.5}' \
  'run.conf:3: "autoscale": "metric" must be cpu, memory or latency, not "rps"'
check '"autoscale": {"min": 1, "max": 2, "metric": "latency", "target": 200}' \
  'run.conf:3: "autoscale": "metric" latency needs a "probe": {"port": PORT, "path": "/..."} (an HTTP GET; without "path" a TCP connect)'

# The control: the same entry, well written, starts min instances.
write_conf '"cpus": 0.5, "autoscale": {"min": 2, "max": 3, "metric": "cpu", "target": 0.6}'
dockerops run:all >/dev/null
[[ $(docker ps -q --filter "label=dockerops.project=$T_NAME" --filter label=dockerops.service=web | wc -l) == 2 ]] ||
  fail "the good conf did not start web/w1 and web/w2"
echo PASS
