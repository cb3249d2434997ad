#!/bin/bash
# Makes the status page's screenshots: the demo project with `dockerops agent`, then
# tests/browser/screenshots.mjs (every view, light and dark, and a phone-width window) into
# OUT_DIR (default build/screenshots); the README's docs/images/status-page.png is
# instances-light.png. Needs the build tree (BUILD, default ./build) with tests/browser's modules
# installed (ctest -R fixture.browser_modules) and Debian's chromium.
#   docs/images/make_screenshots.sh [OUT_DIR]
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$src/build}
out=$(mkdir -p "${1:-$build/screenshots}" && cd "${1:-$build/screenshots}" && pwd)
export DOCKEROPS_DATA_DIR=$src DOCKEROPS_EXTRA_LABELS=dockerops.test=1 NO_COLOR=1
export BROWSER_MODULES=${BROWSER_MODULES:-$build/tests/browser/node_modules}
bin=$build/bin/dockerops
root=$(mktemp -d)
project=$root/demo
agent_pid=
# The agent stops first (it would bring the containers back), then the project goes.
finish() {
  set +e
  if [[ -n $agent_pid ]]; then
    kill "$agent_pid" 2>/dev/null
    wait "$agent_pid" 2>/dev/null
  fi
  (cd "$project" 2>/dev/null && "$bin" clean:all force=true >/dev/null 2>&1)
  rm -rf "$root"
}
trap finish EXIT
trap 'exit 143' TERM INT HUP
"$bin" install_demo "$project" >/dev/null
cd "$project"
"$bin" run:all >/dev/null
setpriv --pdeathsig TERM "$bin" agent >agent.out 2>&1 </dev/null &
agent_pid=$!
for _ in $(seq 1 100); do grep -q "status page at" agent.out && break; sleep 0.1; done
link=$(sed -n 's/^agent: status page at //p' agent.out)
[[ -n $link ]] || { cat agent.out >&2; exit 1; }
sleep 6 # one stats sample with a CPU figure (it needs two readings)
TMPDIR=$root setpriv --pdeathsig TERM node "$src/tests/browser/screenshots.mjs" "${link%%/#token=*}" "${link#*#token=}" "$out"
