#!/bin/bash
# The agent's own cost with 30 instances (issue 13): its CPU (utime+stime of the process from
# /proc/PID/stat, stats sampling every 5 s included) idle over 60 s and while an instance is killed
# and brought back every 3 s over 30 s, 3 rounds of each, and its RSS; then GET /api/v1/state at 200
# requests/s for 3 rounds of 20 s with wrk (10 connections, each waiting 50 ms between requests)
# while 100 Server-Sent Events clients are connected to /api/v1/events, and the latency
# percentiles; then one
# stats pass over the 30 containers through the cgroup files against one Engine API one-shot stats
# call per container, side by side (bench/agent/stats_pass.cpp, compiled against the build tree).
# Usage: [IDLE_SECONDS=60] [INSTANCES=30] [PARTS=idle,kills,api,stats] [ENGINE_PASSES=3] bench/agent/cost.sh [BUILD_DIR]
# (nothing else may use the daemon meanwhile; wrk must be installed for "api"). INSTANCES sets the
# number of web instances; PARTS runs only the parts named (issue 15 measured PARTS=idle,stats at 60).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)
export DOCKEROPS_DATA_DIR=$(cd "$here/../.." && pwd) DOCKEROPS_EXTRA_LABELS=dockerops.test=1 NO_COLOR=1
instances=${INSTANCES:-30}
parts=${PARTS:-idle,kills,api,stats}
part() { [[ ,$parts, == *,$1,* ]]; }
! part api || command -v wrk >/dev/null || apt-get install -y -o DPkg::Lock::Timeout=900 wrk >/dev/null
bin=$build/bin/dockerops
name=bench-cost-$$
root=$(mktemp -d)
dir=$root/$name
mkdir -p "$dir/services/web"
cd "$dir"
printf 'FROM dockerops/base\n' >services/web/Dockerfile
{
  echo '[{"service": "dockerops-dns", "instance": "main"}'
  for i in $(seq "$instances"); do echo ",{\"service\": \"web\", \"instance\": \"w$i\", \"restart\": \"always\"}"; done
  echo ']'
} >run.conf
agent_pid=""
sse_pid=""
cleanup() {
  [[ -n $sse_pid ]] && kill "$sse_pid" 2>/dev/null
  [[ -n $agent_pid ]] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null
  docker ps -aq --filter "label=dockerops.project=$name" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker network rm "${name}_net" >/dev/null 2>&1 || true
  docker rmi "$name/web:latest" >/dev/null 2>&1 || true
  rm -rf "$root"
}
trap cleanup EXIT
"$bin" --jobs 8 run:all >/dev/null
"$bin" agent >"$root/agent.log" 2>&1 &
agent_pid=$!
for _ in $(seq 100); do [[ -s .dockerops/agent.url ]] && break; sleep 0.1; done
url=$(cat .dockerops/agent.url)
token=$(cat .dockerops/agent.token)
sleep 10 # past start-up (first observation, first stats samples)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$agent_pid/stat"; }
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$agent_pid/status"; }
hz=$(getconf CLK_TCK)
# cpu_over SECONDS [COMMAND...]: the agent's CPU (% of one core) over SECONDS, while COMMAND runs.
cpu_over() {
  local seconds=$1 t0 t1
  shift
  t0=$(cpu_ticks)
  if (($#)); then "$@"; else sleep "$seconds"; fi
  t1=$(cpu_ticks)
  echo "scale=3; ($t1 - $t0) * 100 / $hz / $seconds" | bc
}
# summary NAME VALUES...: one table row, median and spread (min-max) of the rounds.
summary() {
  python3 - "$@" <<'PY'
import statistics, sys
name, xs = sys.argv[1], sorted(float(x) for x in sys.argv[2:])
print(f"| {name} | {statistics.median(xs):.3f} | {xs[0]:.3f}-{xs[-1]:.3f} | {len(xs)} |")
PY
}
# kills_for SECONDS: docker kill of a restart: always instance every 3 s (w1, w2... in turn): the
# agent observes the events, brings each back and registers it.
kills_for() {
  local end=$((SECONDS + $1)) i=0
  while ((SECONDS < end)); do
    docker kill "$name-web-w$((i % instances + 1))" >/dev/null 2>&1 || true
    i=$((i + 1))
    sleep 3
  done
}

idle_seconds=${IDLE_SECONDS:-60}
idle=() events=() rss=()
if part idle; then
  for _ in 1 2 3; do
    idle+=("$(cpu_over "$idle_seconds")")
    rss+=("$(echo "scale=1; $(rss_kib) / 1024" | bc)")
  done
fi
if part kills; then
  for _ in 1 2 3; do
    events+=("$(cpu_over 30 kills_for 30)")
    rss+=("$(echo "scale=1; $(rss_kib) / 1024" | bc)")
  done
fi
echo "| agent, $instances instances | median | spread (min-max) | rounds |"
echo "|---|---|---|---|"
((${#idle[@]})) && summary "CPU idle (stats every 5 s included), % of one core over $idle_seconds s" "${idle[@]}"
((${#events[@]})) && summary "CPU with a kill and a replacement every 3 s, % of one core over 30 s" "${events[@]}"
((${#rss[@]})) && summary "RSS after each round, MiB" "${rss[@]}"

if part api; then
  # 100 SSE clients connected for the whole wrk runs.
  python3 - "$url" "$token" 100 90 <<'PY' &
import socket, sys, time
url, token, n, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
host, port = url[7:].rsplit(":", 1)
socks = []
for _ in range(n):
    s = socket.create_connection((host, int(port)))
    s.sendall(f"GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n".encode())
    socks.append(s)
time.sleep(seconds)
PY
  sse_pid=$!
  sleep 3
  streams=$(ss -tn state established "( sport = :${url##*:} )" | tail -n +2 | wc -l)
  cat >"$root/paced.lua" <<'LUA'
-- Each connection waits 50 ms between requests: 10 connections give about 200 requests/s.
function delay() return 50 end
LUA
  ms() { # wrk's latency (850.00us, 1.20ms, 2.00s) in ms
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[^m]s$/) n *= 1000; print n }'
  }
  rates=() p50=() p99=() errors=()
  for _ in 1 2 3; do
    wrk -t 2 -c 10 -d 20s --latency -s "$root/paced.lua" -H "Authorization: Bearer $token" "$url/api/v1/state" >"$root/wrk.txt"
    rates+=("$(awk '/Requests\/sec/ {print $2}' "$root/wrk.txt")")
    p50+=("$(ms "$(awk '$1 == "50%" {print $2}' "$root/wrk.txt")")")
    p99+=("$(ms "$(awk '$1 == "99%" {print $2}' "$root/wrk.txt")")")
    errors+=("$(grep -E 'Non-2xx|Socket errors' "$root/wrk.txt" | tr '\n' ' ' || true)")
  done
  echo
  echo "| GET /api/v1/state, 20 s rounds, $streams connections open (100 SSE) | median | spread (min-max) | rounds |"
  echo "|---|---|---|---|"
  summary "requests/s" "${rates[@]}"
  summary "latency p50, ms" "${p50[@]}"
  summary "latency p99, ms" "${p99[@]}"
  echo "errors (non-2xx, socket): ${errors[*]:-none}"
  kill "$sse_pid" 2>/dev/null || true
  sse_pid=""
fi

if part stats; then
  echo
  src=$(cd "$here/../.." && pwd)
  g++ -std=c++20 -O2 -DNDEBUG -I"$src/src" -I"$build/generated" "$here/stats_pass.cpp" -o "$root/stats_pass" \
    "$build/src/agent/libdockerops_agent.a" "$build/src/engine/libdockerops_engine.a" \
    "$build/src/base/libdockerops_base.a" -lcurl -lfmt
  "$root/stats_pass" "$name" /sys/fs/cgroup "${ENGINE_PASSES:-3}"
fi
