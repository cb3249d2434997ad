#!/usr/bin/env bash
# The CLI's error contract: one line "dockerops: error: ...", documented exit
# codes (1 failure, 2 usage), and a daemon that is absent named by its socket.
set -uo pipefail
fail=0
check() { # check NAME EXPECTED_STATUS EXPECTED_STDERR_REGEX -- COMMAND...
  local name=$1 want=$2 pattern=$3; shift 4
  local err status
  err=$("$@" 2>&1 >/dev/null); status=$?
  if [ "$status" -ne "$want" ]; then echo "$name: exit $status, expected $want ($err)"; fail=1; fi
  if ! grep -qE -- "$pattern" <<< "$err"; then echo "$name: stderr \"$err\" does not match /$pattern/"; fail=1; fi
  if [ "$(printf '%s\n' "$err" | wc -l)" -ne 1 ]; then echo "$name: expected one line, got: $err"; fail=1; fi
}

check "absent daemon" 1 '^dockerops: error: cannot reach the Docker daemon at unix:///nonexistent.*' -- \
  env DOCKER_HOST=unix:///nonexistent "$DOCKEROPS_BIN" version
check "bad DOCKER_HOST" 2 '^dockerops: error: .*DOCKER_HOST' -- env DOCKER_HOST=ftp://x "$DOCKEROPS_BIN" version
check "unknown command" 2 '^dockerops: error: unknown command "rnu"; did you mean "run"\?' -- "$DOCKEROPS_BIN" rnu:all
check "unknown key" 2 '^dockerops: error: run: unknown key "isntance"; did you mean "instance"\?' -- \
  "$DOCKEROPS_BIN" run:demo,isntance=one
check "bad boolean" 2 '^dockerops: error: build: nocache=maybe: not a boolean' -- "$DOCKEROPS_BIN" build:all,nocache=maybe
check "bad jobs" 2 '^dockerops: error: run: jobs=0: must be between 1 and 1024$' -- "$DOCKEROPS_BIN" run:all,jobs=0
check "bad --jobs" 2 '^dockerops: error: --jobs -3: must be between 1 and 1024$' -- "$DOCKEROPS_BIN" --jobs -3 ps
check "bad LOG_LEVEL" 2 '^dockerops: error: LOG_LEVEL: unknown level "LOUD"' -- env LOG_LEVEL=LOUD "$DOCKEROPS_BIN" help

# help needs no daemon and lists every command.
out=$(DOCKER_HOST=unix:///nonexistent "$DOCKEROPS_BIN" help) || { echo "help failed"; fail=1; }
for command in build run rerun start stop clean ps info getip logs ssh shell install_demo dns init version; do
  grep -qE "^  $command " <<< "$out" || { echo "help does not list $command"; fail=1; }
done
"$DOCKEROPS_BIN" help run | grep -q "instance_type=VALUE" || { echo "help run lacks instance_type"; fail=1; }

# version with a daemon: our version, the daemon's and the API; --json parses.
if [ "$(curl -s --max-time 3 --unix-socket /var/run/docker.sock http://localhost/_ping)" = OK ]; then
  "$DOCKEROPS_BIN" version | grep -qE '^docker .*API 1\.4[0-9]' || { echo "version lacks the daemon"; fail=1; }
  "$DOCKEROPS_BIN" version --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["docker"]["api_version"].startswith("1.4")' \
    || { echo "version --json"; fail=1; }
fi
[ "$fail" -eq 0 ] && echo "cli errors ok"
exit "$fail"
