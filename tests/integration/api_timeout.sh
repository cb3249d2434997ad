#!/bin/bash
# Issue 20 item 4: DOCKER_HOST at a socket that accepts and never answers. ps, run:all, version and
# build fail with one line naming the socket once DOCKEROPS_API_TIMEOUT (2 s here) has passed,
# instead of waiting forever. No Docker daemon is involved: a Python listener plays the hung one.
set -euo pipefail
: "${DOCKEROPS_BIN:?DOCKEROPS_BIN must point at the dockerops binary}"
export NO_COLOR=1
root=$(mktemp -d)
listener=""
cleanup() {
  local status=$?
  if [[ -n $listener ]]; then kill "$listener" 2>/dev/null || true; fi
  rm -rf "$root"
  exit "$status"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

socket=$root/hung.sock
python3 - "$socket" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(64)
held = []
while True:
    conn, _ = s.accept()
    held.append(conn)  # accepted, never read, never answered
PY
listener=$!
for _ in $(seq 50); do [[ -S $socket ]] && break; sleep 0.1; done
[[ -S $socket ]] || fail "the hung daemon did not start"

mkdir -p "$root/proj/services/web"
printf 'FROM dockerops/base\n' >"$root/proj/services/web/Dockerfile"
echo '[{"service": "web", "instance": "one"}]' >"$root/proj/run.conf"
cd "$root/proj"

export DOCKER_HOST=unix://$socket DOCKEROPS_API_TIMEOUT=2
for command in ps run:all version build:web "--dry-run run:all" logs:web; do
  set +e
  # timeout(1) only guards against the bug itself: without the API timeout each command hangs.
  timeout 60 "$DOCKEROPS_BIN" $command >out.txt 2>err.txt
  status=$?
  set -e
  [[ $status != 124 ]] || fail "$command still hangs on a daemon that never answers"
  [[ $status == 1 ]] || fail "$command exited $status (expected 1): $(cat err.txt)"
  [[ $(grep -c '^dockerops: error:' err.txt) == 1 ]] || fail "$command: not one error line: $(cat err.txt)"
  grep -q "the Docker daemon at unix://$socket did not answer GET /_ping within 2 s" err.txt ||
    fail "$command: the error does not name the socket and the timeout: $(cat err.txt)"
done
# version prints what it knows without the daemon first (its own version), then the error.
timeout 60 "$DOCKEROPS_BIN" version >out.txt 2>err.txt || true
grep -q "dockerops" out.txt || fail "version printed nothing of its own: $(cat out.txt)"

# A bad value is a usage error (exit 2), not a silent default.
set +e
DOCKEROPS_API_TIMEOUT=soon "$DOCKEROPS_BIN" ps >out.txt 2>err.txt
status=$?
set -e
[[ $status == 2 ]] || fail "DOCKEROPS_API_TIMEOUT=soon exited $status (expected 2)"
grep -q 'DOCKEROPS_API_TIMEOUT=soon: must be a whole number of seconds from 1 to 86400' err.txt ||
  fail "no usage error for DOCKEROPS_API_TIMEOUT=soon: $(cat err.txt)"
echo PASS
