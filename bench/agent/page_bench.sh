#!/bin/bash
# The status page's cost (issue 14): the agent's CPU with 0, 1 and 5 browser tabs open on a
# 30-instance project (side by side in each round, one agent), the page's load time, and the time
# from `docker kill` of an instance to its row turning in an open tab (bench/agent/page_bench.mjs).
# Usage: bench/agent/page_bench.sh [N=30] [ROUNDS=3] [WINDOW=30]
#   (needs dockerops/base: dockerops init; playwright-core in the build tree: ctest -R fixture.browser_modules;
#   Debian's chromium). Every object carries dockerops.test=1 and is removed at the end.
# Prints Markdown tables (results: bench/agent/page.md).
set -euo pipefail
N=${1:-30}
ROUNDS=${2:-3}
WINDOW=${3:-30}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
BIN=${DOCKEROPS_BIN:-$src/build/bin/dockerops}
export DOCKEROPS_DATA_DIR=${DOCKEROPS_DATA_DIR:-$src} DOCKEROPS_EXTRA_LABELS=dockerops.test=1 NO_COLOR=1
export BROWSER_MODULES=${BROWSER_MODULES:-$src/build/tests/browser/node_modules}

work=$(mktemp -d)
P=b-page-$$
dir=$work/$P
mkdir -p "$dir/services/svc"
printf 'FROM dockerops/base\n' >"$dir/services/svc/Dockerfile"
{
  echo '[{"service": "dockerops-dns", "instance": "main"}'
  for i in $(seq 1 "$N"); do echo ",{\"service\": \"svc\", \"instance\": \"i$i\", \"restart\": \"always\"}"; done
  echo ']'
} >"$dir/run.conf"

agent_pid=
cleanup() {
  if [[ -n $agent_pid ]]; then
    kill "$agent_pid" 2>/dev/null || true
    wait "$agent_pid" 2>/dev/null || true
  fi
  docker ps -aq --filter "label=dockerops.project=$P" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker network rm "${P}_net" >/dev/null 2>&1 || true
  docker rmi "$P/svc:latest" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP

cd "$dir"
"$BIN" run:all >/dev/null
# The agent and node die with this script, even if it is killed (setpriv --pdeathsig).
setpriv --pdeathsig TERM "$BIN" agent >agent.out 2>&1 </dev/null &
agent_pid=$!
for _ in $(seq 1 100); do grep -q "status page at" agent.out && break; sleep 0.1; done
link=$(sed -n 's/^agent: status page at //p' agent.out)
[[ -n $link ]] || { cat agent.out >&2; exit 1; }
sleep 10 # the first reconcile and stats samples are done
echo "machine: $(nproc) cores, $(uname -r), $(chromium --version 2>/dev/null), node $(node --version)"
echo "command: bench/agent/page_bench.sh $N $ROUNDS $WINDOW"
setpriv --pdeathsig TERM node "$here/page_bench.mjs" "${link%%/#token=*}" "${link#*#token=}" "$agent_pid" "$ROUNDS" "$WINDOW" "$((N + 1))"
