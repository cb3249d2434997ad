#!/bin/bash
# Reaction times of the agent (issue 13): how long from a failure until the instance runs again
# AND its DNS name answers its (new) address, 20 rounds of each, side by side in one run:
#   kill     docker kill of an instance with restart: always (the agent starts it again)
#   remove   DELETE /containers/{id}?force=1 behind dockerops' back (the agent creates it again)
#   crash    its supervisord killed inside the container (the process dies on its own)
#   docker   the same crash of a plain container with the daemon's restart policy "always", for
#            reference: the daemon restarts a crashed container, but neither a killed nor a removed
#            one, and registers nothing in DNS (its figure is "running again" only)
# Rounds are 12 s apart so that each instance is out of its crash-loop window (10 s) every time.
# Usage: bench/agent/reaction.sh [BUILD_DIR] [ROUNDS]   (nothing else may use the daemon meanwhile)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)
rounds=${2:-20}
export DOCKEROPS_DATA_DIR=$(cd "$here/../.." && pwd) DOCKEROPS_EXTRA_LABELS=dockerops.test=1 NO_COLOR=1
bin=$build/bin/dockerops
name=bench-agent-$$
root=$(mktemp -d)
dir=$root/$name
mkdir -p "$dir/services/web"
cd "$dir"
printf 'FROM dockerops/base\n' >services/web/Dockerfile
cat >run.conf <<'CONF'
[
  {"service": "dockerops-dns", "instance": "main"},
  {"service": "web", "instance": "kill", "restart": "always"},
  {"service": "web", "instance": "remove", "restart": "always"},
  {"service": "web", "instance": "crash", "restart": "always"}
]
CONF
agent_pid=""
cleanup() {
  [[ -n $agent_pid ]] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null
  docker ps -aq --filter "label=dockerops.project=$name" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker rm -f "$name-plain" >/dev/null 2>&1 || true
  docker network rm "${name}_net" >/dev/null 2>&1 || true
  docker rmi "$name/web:latest" >/dev/null 2>&1 || true
  rm -rf "$root"
}
trap cleanup EXIT
"$bin" run:all >/dev/null
docker run -d --name "$name-plain" --label dockerops.test=1 --restart always dockerops/base:latest >/dev/null
dns=$("$bin" getip:dockerops-dns)
"$bin" agent >"$root/agent.log" 2>&1 &
agent_pid=$!
for _ in $(seq 100); do [[ -s .dockerops/agent.url ]] && break; sleep 0.1; done

now() { date +%s.%N; }
started() { docker inspect -f '{{.State.Status}} {{.State.StartedAt}} {{.Id}}' "$1" 2>/dev/null || true; }
ip_of() { docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$1" 2>/dev/null; }
# wait_back CONTAINER BEFORE [DNS_NAME]: polls every 10 ms until the container runs with another
# start time (or ID) than BEFORE, and, with a name, the DNS answers its address; prints the time.
wait_back() {
  local c=$1 before=$2 fqdn=${3:-} state
  for _ in $(seq 3000); do
    state=$(started "$c")
    if [[ $state == running* && $state != "$before" ]]; then
      if [[ -z $fqdn || $(dig +short +time=1 +tries=1 @"$dns" "$fqdn") == "$(ip_of "$c")" ]]; then
        now
        return
      fi
    fi
    sleep 0.01
  done
  echo "timeout"
}
crash() { # kills the container's supervisord (a child of the entrypoint, which then exits)
  docker exec "$1" bash -c 'kill -KILL $(pgrep -x supervisord)'
}
declare -A times
for round in $(seq "$rounds"); do
  b=$(started "$name-web-kill"); t0=$(now); docker kill "$name-web-kill" >/dev/null
  t1=$(wait_back "$name-web-kill" "$b" web-kill.local.zone); times[kill]+="$(echo "$t1 - $t0" | bc) "
  b=$(started "$name-web-remove"); t0=$(now)
  curl -s -X DELETE --unix-socket /var/run/docker.sock "http://localhost/v1.41/containers/$name-web-remove?force=1"
  t1=$(wait_back "$name-web-remove" "$b" web-remove.local.zone); times[remove]+="$(echo "$t1 - $t0" | bc) "
  b=$(started "$name-web-crash"); t0=$(now); crash "$name-web-crash"
  t1=$(wait_back "$name-web-crash" "$b" web-crash.local.zone); times[crash]+="$(echo "$t1 - $t0" | bc) "
  b=$(started "$name-plain"); t0=$(now); crash "$name-plain"
  t1=$(wait_back "$name-plain" "$b"); times[docker]+="$(echo "$t1 - $t0" | bc) "
  echo "round $round: kill $(echo ${times[kill]} | awk '{print $NF}') remove $(echo ${times[remove]} | awk '{print $NF}') crash $(echo ${times[crash]} | awk '{print $NF}') docker $(echo ${times[docker]} | awk '{print $NF}')" >&2
  sleep 12
done
echo "| case | median (s) | p95 (s) | min | max | n |"
echo "|---|---|---|---|---|---|"
for case in kill remove crash docker; do
  python3 - "$case" ${times[$case]} <<'PY'
import statistics, sys
case, xs = sys.argv[1], sorted(float(x) for x in sys.argv[2:])
p95 = xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]
print(f"| {case} | {statistics.median(xs):.3f} | {p95:.3f} | {xs[0]:.3f} | {xs[-1]:.3f} | {len(xs)} |")
PY
done
echo "replacements by the agent: $(curl -s -H "Authorization: Bearer $(cat .dockerops/agent.token)" "$(cat .dockerops/agent.url)/api/v1/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["replacements"])')"
