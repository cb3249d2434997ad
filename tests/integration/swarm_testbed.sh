#!/usr/bin/env bash
# The multi-node test bed end to end (swarmlib.bash): 3 engine-in-container nodes Ready, the project
# registry on the manager, a 3-replica dnsrr service of an image pushed to it, a worker killed: its
# replica runs elsewhere; the worker restored: Ready again with the same identity and no duplicate
# task; teardown: no node, network, image or node volume left. Phase times are printed (no assertion
# on them: timings live in bench/swarm/).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if ! docker info >/dev/null 2>&1; then
  [[ -z ${CI:-} ]] || { echo "FAIL: no Docker daemon, and CI is set" >&2; exit 1; }
  echo "SKIP: no Docker daemon" >&2
  exit 77
fi

SWARM_PREFER_OFFLINE=0 # the nodes pull from the project registry
SWARM_PREFIX=t-swarm-testbed-$$
# shellcheck source=swarmlib.bash
source ./swarmlib.bash

fail() {
  echo "FAIL: $*" >&2
  sdocker "$SWARM_MANAGER" service ps --no-trunc web >&2 || true
  exit 1
}
SWARM_TEST=swarm_testbed
phase() { swarm_phase "$1"; }

# --- 3 nodes, all Ready ------------------------------------------------------------------------
swarm_node_image
phase "node image (cached unless its context changed)"
swarm_up 3
phase "3 nodes up, swarm init + 2 joins, all Ready"
for node in "${SWARM_NODES[@]}"; do
  [[ $(swarm_node_state "$node") == ready ]] || fail "$node is not ready"
done
[[ $(sdocker "$SWARM_MANAGER" node ls --filter role=manager -q | wc -l) -eq 1 ]] || fail "expected one manager"
volumes=$(docker inspect --format '{{range .Mounts}}{{if eq .Destination "/var/lib/docker"}}{{.Name}} {{end}}{{end}}' \
  "${SWARM_NODES[@]}")
[[ $(wc -w <<<"$volumes") -eq 3 ]] || fail "expected one data volume per node, got: $volumes"
swarm_heartbeat 1

# --- the registry, an image pushed to it, a dnsrr service pulling it on every node ----------
swarm_registry_up
phase "registry image side-loaded, service answering"
swarm_tiny_image "dockerops-test/tiny:$SWARM_PREFIX"
swarm_load "dockerops-test/tiny:$SWARM_PREFIX" "$SWARM_MANAGER"
image=$SWARM_REGISTRY/demo/tiny:1
sdocker "$SWARM_MANAGER" tag "dockerops-test/tiny:$SWARM_PREFIX" "$image"
sdocker "$SWARM_MANAGER" push -q "$image" >/dev/null || fail "push to $SWARM_REGISTRY failed"
phase "tiny image pushed to the registry"
sdocker "$SWARM_MANAGER" network create --driver overlay --attachable --subnet 10.213.9.0/24 \
  --label dockerops.test=1 demo_net >/dev/null
sdocker "$SWARM_MANAGER" service create -d --quiet --name web --label dockerops.test=1 --replicas 3 \
  --endpoint-mode dnsrr --network name=demo_net,alias=www --restart-delay 0s --stop-grace-period 1s \
  --no-resolve-image "$image" /bin/busybox httpd -f -p 80 -h /www >/dev/null

all_running() { [[ $(swarm_service_nodes web | wc -l) -eq 3 ]]; }
swarm_wait "3 running replicas of web" all_running
phase "3-replica dnsrr service running"
placement=$(swarm_service_nodes web)
echo "$placement"

# --- a worker killed: its replica comes back elsewhere ----------------------------------------
victim=$(awk -v m="$SWARM_MANAGER" '$2 != m { print $2; exit }' <<<"$placement")
[[ -n $victim ]] || fail "no replica on a worker: $placement"
slot=$(awk -v v="$victim" '$2 == v { print $1; exit }' <<<"$placement")
victim_id=$(sdocker "$SWARM_MANAGER" node inspect --format '{{.ID}}' "$victim")
swarm_kill "$victim"
phase "killed $victim (slot $slot)"
swarm_wait "$victim marked down" swarm_node_is "$victim" down
phase "$victim marked down (heartbeat 1 s)"
moved() {
  local now
  now=$(swarm_service_nodes web)
  [[ $(wc -l <<<"$now") -eq 3 ]] && ! grep -q " $victim\$" <<<"$now"
}
swarm_wait "slot $slot running on another node" moved
phase "slot $slot rescheduled and running"
swarm_service_nodes web

# --- restored: same identity, Ready, no duplicates --------------------------------------------
swarm_restore "$victim"
swarm_wait "$victim ready again" swarm_node_is "$victim" ready
phase "$victim back and Ready"
[[ $(sdocker "$SWARM_MANAGER" node inspect --format '{{.ID}}' "$victim") == "$victim_id" ]] ||
  fail "$victim came back with another node ID"
[[ $(sdocker "$SWARM_MANAGER" node ls -q | wc -l) -eq 3 ]] || fail "the swarm does not have 3 nodes"
# The old task on the restored node is shut down once it reports in: one container per slot.
running_containers() {
  local node total=0 n
  for node in "${SWARM_NODES[@]}"; do
    n=$(sdocker "$node" ps -q --filter label=com.docker.swarm.service.name=web | wc -l)
    total=$((total + n))
  done
  echo "$total"
}
no_duplicates() { [[ $(running_containers) -eq 3 ]]; }
swarm_wait "one container per replica" no_duplicates
[[ $(swarm_service_nodes web | wc -l) -eq 3 ]] || fail "not 3 running replicas after the restore"
phase "no duplicate after the restore"

# --- teardown: nothing left ------------------------------------------------------------------
swarm_down
trap - EXIT
phase "teardown"
leftovers=$(swarm_leftovers)
[[ -z $leftovers ]] || fail "left after teardown: $leftovers"
for volume in $volumes; do
  ! docker volume inspect "$volume" >/dev/null 2>&1 || fail "node volume $volume left after teardown"
done
echo "PASS: swarm test bed (3 nodes, registry, dnsrr service, node loss and return, clean teardown)"
