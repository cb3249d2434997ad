# Shared set-up of the run/demo/cli integration scripts (sourced; not a test itself).
# Each test gets its own project folder and name (t-<area>-<name>-$$), every object it makes
# carries dockerops.test=1, and everything is removed on exit, even on failure.
set -euo pipefail

: "${DOCKEROPS_BIN:?DOCKEROPS_BIN must point at the dockerops binary}"
export DOCKEROPS_EXTRA_LABELS=dockerops.test=1
export NO_COLOR=1

# No daemon: a skip (exit 77) on a developer's machine, a failure when CI is set, since CI always
# provides one and a skipped test there would hide a broken set-up (docs/decisions.md 23).
if ! docker info >/dev/null 2>&1; then
  if [[ -n ${CI:-} ]]; then
    echo "FAIL: no Docker daemon answers, and CI is set: integration tests never skip in CI" >&2
    exit 1
  fi
  echo "SKIP: no Docker daemon (with CI set this is a failure)" >&2
  exit 77
fi

# new_project NAME [SOURCE]: makes $T_DIR (a copy of SOURCE, default an empty folder) and cds there.
new_project() {
  T_NAME="t-$1-$$"
  T_ROOT=$(mktemp -d)
  T_DIR="$T_ROOT/$T_NAME"
  if [[ -n ${2:-} ]]; then cp -r "$2" "$T_DIR"; else mkdir -p "$T_DIR"; fi
  cd "$T_DIR"
  trap cleanup EXIT
}

cleanup() {
  local status=$?
  if [[ -n ${T_NAME:-} ]]; then
    # A script's processes that could recreate containers (an agent) stop before the removal.
    if declare -F early_cleanup >/dev/null; then early_cleanup || true; fi
    docker ps -aq --filter "label=dockerops.project=$T_NAME" | xargs -r docker rm -f >/dev/null 2>&1 || true
    docker network rm "${T_NAME}_net" >/dev/null 2>&1 || true
    docker images -q --filter "label=dockerops.project=$T_NAME" | sort -u | xargs -r docker rmi -f >/dev/null 2>&1 || true
    if declare -F extra_cleanup >/dev/null; then extra_cleanup || true; fi
    rm -rf "$T_ROOT"
  fi
  exit "$status"
}

dockerops() { "$DOCKEROPS_BIN" "$@"; }

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# expect_contains TEXT PATTERN WHAT
expect_contains() {
  grep -q -- "$2" <<<"$1" || fail "$3: expected \"$2\" in: $1"
}

# expect_error "PATTERN" ARGS...: dockerops ARGS fails with exit 1 (or $EXPECT_STATUS) and exactly
# one error line, which matches PATTERN (grep); stdout and stderr stay in out.txt and err.txt.
expect_error() {
  local pattern=$1
  shift
  set +e
  "$DOCKEROPS_BIN" "$@" >out.txt 2>err.txt
  local status=$?
  set -e
  [[ $status == "${EXPECT_STATUS:-1}" ]] || fail "$* exited $status (expected ${EXPECT_STATUS:-1}): $(cat err.txt)"
  [[ $(grep -c '^dockerops: error:' err.txt) == 1 ]] || fail "$*: not one error line: $(cat err.txt)"
  grep -q -- "$pattern" err.txt || fail "$*: expected \"$pattern\" in: $(cat err.txt)"
}

# no_containers WHAT / no_network WHAT: nothing of the project is left (after a refused or rolled-back run).
no_containers() {
  [[ -z $(docker ps -aq --filter "label=dockerops.project=$T_NAME") ]] || fail "$1 left containers behind"
}
no_network() {
  if docker network inspect "${T_NAME}_net" >/dev/null 2>&1; then fail "$1 left the network ${T_NAME}_net behind"; fi
}

# A small service FROM dockerops/base whose entrypoint prints a greeting.
make_service() {
  local name=$1
  mkdir -p "services/$name"
  cat >"services/$name/Dockerfile" <<DOCKERFILE
FROM dockerops/base
COPY 20-hello.sh /entrypoints/20-hello.sh
RUN chmod 0755 /entrypoints/20-hello.sh
DOCKERFILE
  printf '#!/bin/bash\necho "hello from $SERVICE-$INSTANCE"\n' >"services/$name/20-hello.sh"
}
