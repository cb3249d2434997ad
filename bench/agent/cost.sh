#!/bin/bash
# The agent's own cost with 30 instances (issue 13): its CPU over 60 s (utime+stime of the process
# from /proc/PID/stat, stats sampling every 5 s included) and its RSS; then GET /api/v1/state at
# 200 requests/s for 30 s with wrk (10 connections, each waiting 50 ms between requests) while 100
# Server-Sent Events clients are connected to /api/v1/events, and the latency percentiles; then one
# stats pass over the 30 containers through the cgroup files against one Engine API one-shot stats
# call per container, side by side (bench/agent/stats_pass.cpp, compiled against the build tree).
# Usage: bench/agent/cost.sh [BUILD_DIR]   (run it under /work/tools/docker-lock; wrk must be installed)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)
export DOCKEROPS_DATA_DIR=$(cd "$here/../.." && pwd) DOCKEROPS_EXTRA_LABELS=dockerops.test=1 NO_COLOR=1
command -v wrk >/dev/null || apt-get install -y -o DPkg::Lock::Timeout=900 wrk >/dev/null
bin=$build/bin/dockerops
name=bench-cost-$$
root=$(mktemp -d)
dir=$root/$name
mkdir -p "$dir/services/web"
cd "$dir"
printf 'FROM dockerops/base\n' >services/web/Dockerfile
{
  echo '[{"service": "dockerops-dns", "instance": "main"}'
  for i in $(seq 30); do echo ",{\"service\": \"web\", \"instance\": \"w$i\", \"restart\": \"always\"}"; done
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
"$bin" -j 8 run:all >/dev/null
"$bin" agent >"$root/agent.log" 2>&1 &
agent_pid=$!
for _ in $(seq 100); do [[ -s .dockerops/agent.url ]] && break; sleep 0.1; done
url=$(cat .dockerops/agent.url)
token=$(cat .dockerops/agent.token)
sleep 10 # past start-up (first observation, first stats samples)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$agent_pid/stat"; }
hz=$(getconf CLK_TCK)
t0=$(cpu_ticks)
sleep 60
t1=$(cpu_ticks)
rss=$(awk '/VmRSS/ {print $2}' "/proc/$agent_pid/status")
echo "| agent, 30 instances, idle | value |"
echo "|---|---|"
echo "| CPU over 60 s, % of one core | $(echo "scale=3; ($t1 - $t0) * 100 / $hz / 60" | bc) |"
echo "| RSS, MiB | $(echo "scale=1; $rss / 1024" | bc) |"

# 100 SSE clients connected for the whole wrk run.
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
t0=$(cpu_ticks)
wrk -t 2 -c 10 -d 30s --latency -s "$root/paced.lua" -H "Authorization: Bearer $token" "$url/api/v1/state" >"$root/wrk.txt"
t1=$(cpu_ticks)
echo
echo "| GET /api/v1/state, 30 s, ~200 req/s, with $streams connections open (100 SSE) | value |"
echo "|---|---|"
echo "| requests/s | $(awk '/Requests\/sec/ {print $2}' "$root/wrk.txt") |"
for p in 50 90 99; do
  echo "| latency p$p | $(awk -v p="$p%" '$1 == p {print $2}' "$root/wrk.txt") |"
done
echo "| errors (non-2xx, socket) | $(grep -E 'Non-2xx|Socket errors' "$root/wrk.txt" | tr '\n' ' ' | sed 's/ *$//')${PIPESTATUS:+} |"
echo "| agent CPU during the run, % of one core | $(echo "scale=1; ($t1 - $t0) * 100 / $hz / 30" | bc) |"
kill "$sse_pid" 2>/dev/null || true
sse_pid=""

echo
src=$(cd "$here/../.." && pwd)
g++ -std=c++20 -O2 -DNDEBUG -I"$src/src" -I"$build/generated" "$here/stats_pass.cpp" -o "$root/stats_pass" \
  "$build/src/agent/libdockerops_agent.a" "$build/src/engine/libdockerops_engine.a" \
  "$build/src/base/libdockerops_base.a" -lcurl -lfmt
"$root/stats_pass" "$name"
