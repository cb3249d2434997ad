#!/usr/bin/env bash
# Cached rebuild of one service: dockerops vs a raw POST /build of the same context tar vs
# docker-compose build (Debian's docker-compose 1.29, installed here: docs/decisions.md 26), 5 runs
# each; plus the stop time of a base-derived container (goal < 1 s).
# Needs the images fixture's images (dockerops init) and root (apt-get). Usage:
#   DOCKEROPS_BIN=build/bin/dockerops bench/build/run.sh
set -euo pipefail
runs=${RUNS:-5}
bin=${DOCKEROPS_BIN:?set DOCKEROPS_BIN}
socket=/var/run/docker.sock
work=$(mktemp -d)
project=benchbuild
trap 'docker_cleanup; rm -rf "$work"' EXIT
docker_cleanup() {
  curl -s --unix-socket $socket -X DELETE "http://localhost/v1.41/containers/benchbuild-stop?force=1" >/dev/null || true
  curl -s --unix-socket $socket -X DELETE "http://localhost/v1.41/images/$project/web:latest?force=1" >/dev/null || true
  curl -s --unix-socket $socket -X DELETE "http://localhost/v1.41/images/${project}_web:latest?force=1" >/dev/null || true
}
command -v docker-compose >/dev/null || apt-get install -y --no-install-recommends docker-compose >/dev/null

mkdir -p "$work/services/web"
cat >"$work/services/web/Dockerfile" <<'DOCKERFILE'
FROM dockerops/base
RUN echo built > /built.txt
COPY hello.sh /entrypoints/20-hello.sh
DOCKERFILE
printf '#!/bin/sh\necho hello\n' >"$work/services/web/hello.sh"
chmod 755 "$work/services/web/hello.sh"
printf 'version: "2.4"\nservices:\n  web:\n    build: services/web\n' >"$work/docker-compose.yml"
tar -C "$work/services/web" -cf "$work/context.tar" .

now() { date +%s.%N; }
measure() { # NAME COMMAND...
  local name=$1 total=0 t0 t1
  shift
  "$@" >/dev/null 2>&1 # warm the cache
  for _ in $(seq "$runs"); do
    t0=$(now); "$@" >/dev/null 2>&1; t1=$(now)
    total=$(echo "$total + $t1 - $t0" | bc -l)
  done
  printf '%s %.3f\n' "$name" "$(echo "$total / $runs" | bc -l)"
}
raw_build() {
  curl -sf --unix-socket $socket -H 'Content-Type: application/x-tar' --data-binary @"$work/context.tar" \
    "http://localhost/v1.41/build?t=$project/web:latest&rm=1" >/dev/null
}
dockerops_build() { (cd "$work" && "$bin" --project-name "$project" build web); }
compose_build() { (cd "$work" && docker-compose -p "$project" build web); }

results=$(
  measure raw raw_build
  measure dockerops dockerops_build
  measure compose compose_build
)
raw=$(awk '$1 == "raw" {print $2}' <<<"$results")
echo "| tool | mean of $runs cached rebuilds (s) | ratio to raw POST /build |"
echo "|---|---|---|"
while read -r name secs; do
  printf '| %s | %s | %.2f |\n' "$name" "$secs" "$(echo "$secs / $raw" | bc -l)"
done <<<"$results"

# Stop time of a base-derived container (supervisord PID 1, SIGTERM, 10 s grace).
curl -sf --unix-socket $socket -H 'Content-Type: application/json' -d '{"Image":"dockerops/base","Labels":{"dockerops.test":"1"}}' \
  "http://localhost/v1.41/containers/create?name=benchbuild-stop" >/dev/null
curl -sf --unix-socket $socket -X POST http://localhost/v1.41/containers/benchbuild-stop/start
sleep 3
t0=$(now)
curl -sf --unix-socket $socket -X POST "http://localhost/v1.41/containers/benchbuild-stop/stop?t=10"
t1=$(now)
code=$(curl -sf --unix-socket $socket http://localhost/v1.41/containers/benchbuild-stop/json | grep -o '"ExitCode":[0-9]*')
printf 'stop of a dockerops/base container: %.2f s (%s)\n' "$(echo "$t1 - $t0" | bc -l)" "$code"
