#!/bin/bash
# Where a start's time goes in the daemon: N instances (default 30) of the run bench's service started
# by `dockerops run:all,wait=false` and by `docker-compose up -d` of the same containers (engine.py
# capture/compose, as in run_bench.sh), each three times, settled and removed in between:
#   trace   through bench/run/api_trace.py: every Engine API request, when it was sent and answered
#   perf    `perf record -a` (cpu-clock, call graphs) of the whole machine, exec events, and the
#           daemon's goroutines (/debug/pprof/goroutine) sampled each second
#   strace  `strace -f -c` of dockerd (the syscalls it makes; ptrace slows it, so no timing)
# Usage: bench/run/profile_start.sh [N] [OUT_DIR]  (run under the daemon lock; needs dockerops/base,
#   perf and strace; DOCKEROPS_BIN as in run_bench.sh). Writes OUT_DIR/{dockerops,compose}.* and
#   prints the summary bench/run/README.md quotes. Every object carries dockerops.test=1.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
N=${1:-30}
OUT=${2:-$(mktemp -d)}
BIN=${DOCKEROPS_BIN:-$(command -v dockerops)}
export DOCKEROPS_EXTRA_LABELS=dockerops.test=1 NO_COLOR=1
ENGINE="python3 $here/engine.py"
mkdir -p "$OUT"
proj=b-prof-$$
dir=$OUT/$proj # the project is named after its folder
sock=$OUT/api.sock
cleanup() {
  for p in "$proj" "${proj}c"; do
    docker ps -aq --filter "label=dockerops.project=$p" | xargs -r docker rm -f >/dev/null 2>&1 || true
    docker network rm "${p}_net" >/dev/null 2>&1 || true
  done
  docker rmi "$proj/svc:latest" >/dev/null 2>&1 || true
}
trap cleanup EXIT

$ENGINE project "$dir" "$N"
(cd "$dir" && "$BIN" -q build:svc >/dev/null)

start_dockerops() { (cd "$dir" && "$BIN" -q run:all,wait=false >/dev/null); }
clean_dockerops() { (cd "$dir" && "$BIN" -q clean:all,force=true >/dev/null); }
start_compose() { (cd "$OUT/compose" && docker-compose -p "${proj//-/}c" up -d >/dev/null 2>&1); }
clean_compose() { (cd "$OUT/compose" && docker-compose -p "${proj//-/}c" down -t 10 >/dev/null 2>&1) || true; }
settle() { $ENGINE wait-ready "dockerops.project=$1" "$N"; sleep 3; }

# The compose file from the containers dockerops creates.
start_dockerops
mkdir -p "$OUT/compose"
$ENGINE capture "$proj" "$OUT/spec.json"
$ENGINE compose "$OUT/spec.json" "${proj}c" >"$OUT/compose/docker-compose.yml"
settle "$proj"
clean_dockerops

dockerd_pid=$(pidof dockerd)
for tool in dockerops compose; do
  p=$proj; [[ $tool == compose ]] && p=${proj}c

  # 1. The requests, through the proxy.
  python3 "$here/api_trace.py" "$sock" "$OUT/$tool.api.tsv" &
  proxy=$!
  while [[ ! -S $sock ]]; do sleep 0.05; done
  t0=$EPOCHREALTIME
  DOCKER_HOST=unix://$sock "start_$tool"
  echo "$tool trace $(echo "$EPOCHREALTIME - $t0" | bc)" >>"$OUT/times"
  kill "$proxy"; wait "$proxy" || true
  rm -f "$sock"
  settle "$p"; "clean_$tool"

  # 2. perf of the whole machine, exec events, goroutine samples.
  perf record -q -a -g -F 499 -e cpu-clock -e sched:sched_process_exec -o "$OUT/$tool.perf.data" 2>/dev/null &
  perf=$!
  sleep 0.5
  (for k in $(seq 1 60); do
     curl -s --unix-socket /var/run/docker.sock "http://d/debug/pprof/goroutine?debug=2" >"$OUT/$tool.goroutines.$k.txt" || true
     sleep 1
   done) &
  sampler=$!
  t0=$EPOCHREALTIME
  "start_$tool"
  echo "$tool perf $(echo "$EPOCHREALTIME - $t0" | bc)" >>"$OUT/times"
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  kill -INT "$perf"; wait "$perf" || true
  settle "$p"; "clean_$tool"

  # 3. strace of dockerd (counts only).
  strace -q -f -c -o "$OUT/$tool.strace.txt" -p "$dockerd_pid" &
  st=$!
  sleep 1
  t0=$EPOCHREALTIME
  "start_$tool"
  echo "$tool strace $(echo "$EPOCHREALTIME - $t0" | bc)" >>"$OUT/times"
  kill -INT "$st"; wait "$st" || true
  settle "$p"; "clean_$tool"
done
cat "$OUT/times"
echo "results in $OUT"
