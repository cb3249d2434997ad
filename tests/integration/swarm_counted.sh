#!/usr/bin/env bash
# Counted instances and the project registry on the 3-node swarm test bed (swarmlib.bash),
# docs/decisions.md 33: host.conf has "orchestrator": "swarm" and no "registry", so run:all starts the
# project registry (dockerops/registry on the manager, its storage on a named volume), pushes the
# built image there and the nodes pull it; {"instances": 3} of web is ONE service of 3 replicas whose
# tasks are web/w1..w3 (ps: 3 rows with their nodes); scale:web=2 updates the replicas of the same
# service (no recreation) and keeps the count in .dockerops/scale.json; an instance whose group no
# node carries is reported pending, not waited for; clean:all leaves no service, network, volume or
# registry.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if ! docker info >/dev/null 2>&1; then
  [[ -z ${CI:-} ]] || { echo "FAIL: no Docker daemon, and CI is set" >&2; exit 1; }
  echo "SKIP: no Docker daemon" >&2
  exit 77
fi
: "${DOCKEROPS_BIN:?DOCKEROPS_BIN must point at the dockerops binary}"

SWARM_PREFER_OFFLINE=0 # the nodes pull from the project registry
SWARM_PREFIX=t-swarm-counted-$$
# shellcheck source=swarmlib.bash
source ./swarmlib.bash
export DOCKEROPS_EXTRA_LABELS=dockerops.test=1 NO_COLOR=1

project_root=$(mktemp -d)
cleanup() {
  local status=$?
  swarm_down
  rm -rf "$project_root"
  exit "$status"
}
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND (status $?)" >&2' ERR
SWARM_TEST=swarm_counted
phase() { swarm_phase "$1"; }
fail() {
  echo "FAIL: $*" >&2
  swarm_report
  exit 1
}
dops() { DOCKER_HOST=$SWARM_HOST "$DOCKEROPS_BIN" --project-dir "$project" "$@"; }
msvc() { sdocker "$SWARM_MANAGER" service "$@"; }

# --- the bed: 3 nodes, the built-in images on the manager only (the workers pull from the registry) --
swarm_up 3
trap cleanup EXIT
swarm_load dockerops/debian:bookworm,dockerops/base:latest,dockerops/registry:latest "$SWARM_MANAGER"
phase "3 nodes, built-in images on the manager"

project=$project_root/swc
mkdir -p "$project/services/web"
cat >"$project/services/web/Dockerfile" <<'EOF'
FROM dockerops/base
RUN echo counted >/etc/counted
EOF
cat >"$project/run.conf" <<'EOF'
[
  {"service": "web", "instance": "w", "instances": 3},
  {"service": "web", "instance": "lonely", "group": "nowhere", "autorun": false}
]
EOF
printf '{"orchestrator": "swarm"}\n' >"$project/host.conf"

# --- run:all: the project registry, one service of 3 replicas ---------------------------------------
plan=$(dops --dry-run run:all)
grep -q "create-service swc-registry" <<<"$plan" || fail "the plan starts no project registry: $plan"
grep -q "create-service swc-web-w" <<<"$plan" || fail "the plan has no service swc-web-w: $plan"
out=$(dops run:all 2>&1) || fail "run:all: $out"
echo "$out" | tail -8
services=$(msvc ls --filter label=dockerops.project=swc --format '{{.Name}}' | sort | tr '\n' ' ')
[[ $services == "swc-registry swc-web-w " ]] || fail "services after run:all: $services"
[[ $(msvc inspect --format '{{.Spec.Mode.Replicated.Replicas}}' swc-web-w) == 3 ]] || fail "swc-web-w is not 3 replicas"
registry=$(sdocker "$SWARM_MANAGER" node inspect self --format '{{.Status.Addr}}'):5000
image=$(msvc inspect --format '{{.Spec.TaskTemplate.ContainerSpec.Image}}' swc-web-w)
[[ $image == "$registry/swc/web@sha256:"* ]] || fail "swc-web-w does not run the image pushed to $registry: $image"
curl -sf --max-time 5 "http://$registry/v2/swc/web/tags/list" | grep -q latest || fail "no swc/web in the registry"
[[ -n $(sdocker "$SWARM_MANAGER" volume ls -q --filter name=swc-registry-persistent) ]] ||
  fail "the registry's storage is not the named volume swc-registry-persistent"
phase "run:all: project registry, pushed, 3 replicas"

# --- ps: one row per task, instance from the task slot, with its node -------------------------------
rows() { dops --json ps | python3 -c '
import json, sys
rows = [r for r in json.load(sys.stdin) if r["service"] == "web" and r["state"] == "running"]
print(" ".join(sorted(r["instance"] + "@" + (r.get("node") or "?") for r in rows)))'; }
running_rows() { [[ $(rows | wc -w) == "$1" ]]; }
swarm_wait "3 running web rows in ps" running_rows 3
got=$(rows)
[[ $(tr ' ' '\n' <<<"$got" | cut -d@ -f1 | tr '\n' ' ') == "w1 w2 w3 " ]] || fail "ps instances: $got"
[[ $got != *"@?"* ]] || fail "a ps row has no node: $got"
# Nodes that never held the image pulled it from the project registry.
workers=$(tr ' ' '\n' <<<"$got" | cut -d@ -f2 | grep -v "^$SWARM_MANAGER\$" | head -1)
[[ -n $workers ]] || fail "no web task on a worker: $got"
phase "ps: 3 rows w1..w3 with nodes"

# --- scale:web=2: the same service, 2 replicas, the count kept -------------------------------------
id=$(msvc inspect --format '{{.ID}}' swc-web-w)
plan=$(dops --dry-run scale:web=2)
grep -q "scale-service swc-web-w to 2" <<<"$plan" || fail "scale plan: $plan"
! grep -q "create-service\|update-service\|remove-service" <<<"$plan" || fail "scale recreates: $plan"
out=$(dops scale:web=2 2>&1) || fail "scale:web=2: $out"
[[ $(msvc inspect --format '{{.ID}} {{.Spec.Mode.Replicated.Replicas}}' swc-web-w) == "$id 2" ]] ||
  fail "swc-web-w after scale: $(msvc inspect --format '{{.ID}} {{.Spec.Mode.Replicated.Replicas}}' swc-web-w), expected $id 2"
swarm_wait "2 running web rows in ps" running_rows 2
grep -q '"web/w"' "$project/.dockerops/scale.json" || fail "scale.json: $(cat "$project/.dockerops/scale.json")"
[[ $(dops --dry-run run:all | grep -c " keep ") -ge 1 ]] && ! dops --dry-run run:all | grep -q "scale-service" ||
  fail "run:all does not keep the runtime count: $(dops --dry-run run:all)"
phase "scale:web=2: same service, 2 tasks"

# --- a group no node carries: pending, reported, no hang --------------------------------------------
out=$(DOCKER_HOST=$SWARM_HOST timeout 60 "$DOCKEROPS_BIN" --project-dir "$project" run:web,instance=lonely 2>&1 </dev/null) ||
  fail "run of an instance with an unknown group: $out"
grep -q "pending.*dockerops.group=nowhere" <<<"$out" || fail "the pending instance is not reported: $out"
dops ps | grep -q "^web .*lonely .*pending" || fail "ps does not show web/lonely pending: $(dops ps)"
phase "group no node carries: reported pending"

# --- clean:all: nothing left, the registry and its volume included ---------------------------------
out=$(dops clean:all,force=true 2>&1) || fail "clean:all: $out"
[[ -z $(msvc ls -q --filter label=dockerops.project=swc) ]] || fail "services left after clean:all"
network_gone() { ! sdocker "$SWARM_MANAGER" network inspect swc_net; }
SWARM_TIMEOUT=30 swarm_wait "network swc_net gone after clean:all ($out)" network_gone
[[ -z $(sdocker "$SWARM_MANAGER" volume ls -q --filter label=dockerops.project=swc) ]] ||
  fail "volumes left after clean:all: $(sdocker "$SWARM_MANAGER" volume ls)"
phase "clean:all"
echo "PASS: swarm counted instances (one service of N replicas, ps per task, scale, project registry, clean)"
