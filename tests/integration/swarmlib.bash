# A multi-node Docker Swarm on this machine for integration tests and benchmarks (sourced; not a test
# itself). Nodes are Docker engines in containers (tests/integration/swarm-node, Debian's docker.io
# 20.10) on a bridge network the bed creates; no --privileged (the kernel's capability bounding set
# lacks CAP_SYS_RESOURCE), no IPVS (no VIP or ingress mesh: use dnsrr and host-mode ports).
#
#   source swarmlib.bash
#   swarm_up 3            # nodes $SWARM_PREFIX-n1..3 on $SWARM_NET; n1 is the manager
#   swarm_heartbeat 1     # Spec.Dispatcher.HeartbeatPeriod in seconds
#   swarm_load IMAGE      # side-loads a host image into every node (docker save | docker load)
#   sdocker n1 service ls # the docker CLI of a node (inside it)
#   swarm_kill n2; swarm_restore n2
#   swarm_down            # also runs on EXIT once swarm_up was called
#
# Executed instead of sourced, it serves programs that cannot source it (gtest, benchmarks):
#   swarmlib.bash up N STATE_FILE   brings up N nodes, writes SWARM_* shell assignments to STATE_FILE
#   swarmlib.bash load STATE_FILE IMAGE [NODE...]
#   swarmlib.bash registry STATE_FILE    runs the project registry on the manager, adds SWARM_REGISTRY
#   swarmlib.bash tiny-image STATE_FILE NAME   imports a 2 MB static-busybox image NAME on the host
#   swarmlib.bash down STATE_FILE   removes everything the bed made
#
# Everything carries dockerops.test=1 (the sweep fixture removes leftovers) and
# dockerops.test.swarm=$SWARM_PREFIX. The node image is a cache: labelled dockerops.test.cache=1 and
# the hash of its context and of the root image, it survives teardown and the sweep, and is rebuilt
# when either changes. Waits are bounded (SWARM_TIMEOUT seconds, default 90) and fail loudly.
# The daemon is the caller's alone while this runs (ctest's "docker" RESOURCE_LOCK).

SWARM_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SWARM_NODE_IMAGE=${SWARM_NODE_IMAGE:-dockerops-test/swarm-node:latest}
SWARM_TIMEOUT=${SWARM_TIMEOUT:-90}
# 1: the nodes' engines never pull a service's image (DOCKER_SERVICE_PREFER_OFFLINE_IMAGE), they use
# what was side-loaded, and no task start waits for a lookup of the public registry that cannot
# succeed here. 0: they pull, as they must from the project registry (swarm_registry_up); a service
# of a side-loaded image then names it by ID (swarm_image_ref), which is never pulled.
SWARM_PREFER_OFFLINE=${SWARM_PREFER_OFFLINE:-1}
SWARM_PREFIX=${SWARM_PREFIX:-t-swarm-$$}
SWARM_NET=${SWARM_NET:-$SWARM_PREFIX-net}
SWARM_NODES=()
SWARM_BUILT_IMAGES=()
SWARM_PHASE_START=$(date +%s%3N)
export DOCKER_BUILDKIT=0

swarm_say() { printf '[swarm] %s\n' "$*" >&2; }
swarm_die() {
  printf '[swarm] FAIL: %s\n' "$*" >&2
  exit 1
}

# swarm_phase WHAT: prints "[TEST] WHAT  N ms", N the time since the previous phase (or since the
# library was sourced); TEST is SWARM_TEST. The timings themselves live in bench/swarm/.
swarm_phase() {
  local now
  now=$(swarm_ms)
  printf '[%s] %-50s %6d ms\n' "${SWARM_TEST:-swarm}" "$1" $((now - SWARM_PHASE_START))
  SWARM_PHASE_START=$now
}

# swarm_report: the manager's services and all their tasks on stderr, for a failing check.
swarm_report() {
  local ids
  sdocker "$SWARM_MANAGER" service ls >&2 || true
  ids=$(sdocker "$SWARM_MANAGER" service ls -q 2>/dev/null) || true
  [[ -z $ids ]] || sdocker "$SWARM_MANAGER" service ps --no-trunc $ids >&2 || true
}

# swarm_wait WHAT COMMAND...: retries COMMAND every 0.2 s until it succeeds, at most SWARM_TIMEOUT s.
swarm_wait() {
  local what=$1 deadline=$((SECONDS + SWARM_TIMEOUT))
  shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || swarm_die "timed out after ${SWARM_TIMEOUT}s waiting for $what"
    sleep 0.2
  done
}

# Milliseconds since the epoch (timings of the bed and of benchmarks).
swarm_ms() { date +%s%3N; }

# The hash of a build context folder plus the ID of the image it is built FROM.
swarm_context_hash() {
  local folder=$1 parent_id=$2
  { (cd "$folder" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum); echo "$parent_id"; } |
    sha256sum | cut -c1-64
}

# swarm_cached_image NAME FOLDER PARENT: builds FOLDER as NAME unless an image of that name already
# carries the context hash; the replaced image is removed. Labelled as a cache (kept by teardown).
swarm_cached_image() {
  local name=$1 folder=$2 parent=$3 parent_id hash current old
  parent_id=$(docker image inspect --format '{{.Id}}' "$parent" 2>/dev/null) ||
    swarm_die "$parent is missing (the images fixture or \`dockerops init --root-from=debootstrap\` makes it)"
  hash=$(swarm_context_hash "$folder" "$parent_id")
  current=$(docker image inspect --format '{{index .Config.Labels "dockerops.context-hash"}}' "$name" 2>/dev/null || true)
  [[ $current == "$hash" ]] && return 0
  old=$(docker image inspect --format '{{.Id}}' "$name" 2>/dev/null || true)
  swarm_say "building $name from ${folder#"$SWARM_LIB_DIR"/}"
  local log
  log=$(mktemp)
  if ! docker build -q -t "$name" --label dockerops.test=1 --label dockerops.test.cache=1 \
    --label "dockerops.context-hash=$hash" "$folder" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    swarm_die "build of $name failed"
  fi
  rm -f "$log"
  [[ -z $old ]] || docker rmi "$old" >/dev/null 2>&1 || true
}

swarm_node_image() {
  swarm_cached_image "$SWARM_NODE_IMAGE" "$SWARM_LIB_DIR/swarm-node" dockerops/debian:bookworm
}

# The registry image (registry-service/, Debian's docker-registry on dockerops/base), cached.
SWARM_REGISTRY_IMAGE=${SWARM_REGISTRY_IMAGE:-dockerops-test/registry:latest}
swarm_registry_image() {
  swarm_cached_image "$SWARM_REGISTRY_IMAGE" "$SWARM_LIB_DIR/../../registry-service" dockerops/base:latest
}

# swarm_tiny_image NAME: a 2 MB image of Debian's static busybox (nothing can be pulled here),
# removed by swarm_down when made after swarm_up.
swarm_tiny_image() {
  local name=$1 root
  [[ -x /bin/busybox ]] || swarm_die "/bin/busybox is missing: install the Debian package busybox-static"
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/www" "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  ln -s busybox "$root/bin/sh"
  echo ok >"$root/www/index.html"
  tar -C "$root" -c . | docker import --change 'LABEL dockerops.test=1' \
    --change "LABEL dockerops.test.swarm=$SWARM_PREFIX" --change 'CMD ["/bin/busybox", "sleep", "86400"]' \
    - "$name" >/dev/null || swarm_die "import of $name failed"
  rm -rf "$root"
  SWARM_BUILT_IMAGES+=("$name")
}

# swarm_node_ip NODE: the node's address on the test bridge ("n1" or the full container name).
swarm_node_ip() {
  docker inspect --format "{{(index .NetworkSettings.Networks \"$SWARM_NET\").IPAddress}}" "$(swarm_name "$1")"
}
swarm_name() { [[ $1 == "$SWARM_PREFIX"-* ]] && echo "$1" || echo "$SWARM_PREFIX-$1"; }

# sdocker NODE ARGS...: the docker CLI inside a node, talking to that node's engine.
sdocker() {
  local node
  node=$(swarm_name "$1")
  shift
  docker exec "$node" docker "$@"
}
# sdocker_i NODE ARGS...: the same with stdin attached.
sdocker_i() {
  local node
  node=$(swarm_name "$1")
  shift
  docker exec -i "$node" docker "$@"
}

swarm_engine_up() { sdocker "$1" info --format '{{.ID}}'; }

# swarm_start_node NAME: runs one node container (its engine is not waited for).
swarm_start_node() {
  docker run -d --name "$1" --hostname "$1" --network "$SWARM_NET" \
    --label dockerops.test=1 --label "dockerops.test.swarm=$SWARM_PREFIX" \
    --cap-add ALL --cap-drop SYS_RESOURCE \
    --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
    --security-opt systempaths=unconfined --device-cgroup-rule 'a *:* rwm' --cgroupns private \
    --env "DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=$SWARM_PREFER_OFFLINE" \
    "$SWARM_NODE_IMAGE" >/dev/null || swarm_die "cannot start node $1"
}

# swarm_network_create: the bed's bridge, on a subnet of its own. The daemon's default pool hands out
# its /16s in turn, and the one it reaches may be 172.18.0.0/16 (the nodes' docker_gwbridge default)
# or 172.30.0.0/16 (dockerops' project pool inside the nodes): either would move what runs inside.
swarm_network_create() {
  local attempt octet
  for attempt in 0 1 2 3 4; do
    octet=$(((${$} + attempt * 37) % 200 + 20))
    docker network create --label dockerops.test=1 --label "dockerops.test.swarm=$SWARM_PREFIX" \
      --subnet "10.217.$octet.0/24" --gateway "10.217.$octet.1" "$SWARM_NET" >/dev/null 2>&1 && return 0
  done
  swarm_die "cannot create network $SWARM_NET on any 10.217.N.0/24 tried"
}

# swarm_up N [MANAGERS=1]: a network, N nodes, `swarm init` on n1, joins (n2..nMANAGERS as managers),
# all Ready. Sets SWARM_NODES, SWARM_MANAGER (n1's name), SWARM_MANAGER_IP and SWARM_HOST
# (tcp://IP:2375, the manager's Engine API for programs on the host).
swarm_up() {
  local count=$1 managers=${2:-1} i node token_worker token_manager started
  swarm_node_image
  trap swarm_down EXIT
  started=$(swarm_ms)
  swarm_network_create
  for ((i = 1; i <= count; i++)); do
    node=$SWARM_PREFIX-n$i
    swarm_start_node "$node"
    SWARM_NODES+=("$node")
  done
  for node in "${SWARM_NODES[@]}"; do
    swarm_wait "the engine of $node" swarm_engine_up "$node"
  done
  SWARM_MANAGER=${SWARM_NODES[0]}
  SWARM_MANAGER_IP=$(swarm_node_ip "$SWARM_MANAGER")
  SWARM_HOST=tcp://$SWARM_MANAGER_IP:2375
  sdocker "$SWARM_MANAGER" swarm init --advertise-addr "$SWARM_MANAGER_IP" >/dev/null ||
    swarm_die "swarm init failed on $SWARM_MANAGER"
  token_worker=$(sdocker "$SWARM_MANAGER" swarm join-token -q worker)
  token_manager=$(sdocker "$SWARM_MANAGER" swarm join-token -q manager)
  for ((i = 1; i < count; i++)); do
    node=${SWARM_NODES[i]}
    local token=$token_worker
    ((i < managers)) && token=$token_manager
    sdocker "$node" swarm join --advertise-addr "$(swarm_node_ip "$node")" --token "$token" \
      "$SWARM_MANAGER_IP:2377" >/dev/null || swarm_die "$node could not join the swarm"
  done
  swarm_wait "$count nodes Ready" swarm_all_ready "$count"
  SWARM_UP_MS=$(($(swarm_ms) - started))
  swarm_say "$count nodes Ready in ${SWARM_UP_MS} ms (manager $SWARM_MANAGER at $SWARM_HOST)"
}

# swarm_all_ready N: true when the manager lists N nodes, all Ready and Active.
swarm_all_ready() {
  local states
  states=$(sdocker "$SWARM_MANAGER" node ls --format '{{.Status}}/{{.Availability}}') || return 1
  [[ $(grep -c '^Ready/Active$' <<<"$states") -eq $1 ]]
}

# swarm_node_state NODE: the node's Status.State as the manager sees it (ready, down, unknown).
swarm_node_state() {
  sdocker "$SWARM_MANAGER" node inspect --format '{{.Status.State}}' "$(swarm_name "$1")"
}
swarm_node_is() { [[ $(swarm_node_state "$1") == "$2" ]]; }

# swarm_heartbeat SECONDS: Spec.Dispatcher.HeartbeatPeriod (default 5 s; a node is marked down after
# a few missed heartbeats).
swarm_heartbeat() {
  sdocker "$SWARM_MANAGER" swarm update --dispatcher-heartbeat "${1}s" >/dev/null ||
    swarm_die "cannot set the heartbeat"
}

# swarm_load IMAGE[,IMAGE...] [NODE...]: side-loads host images into the nodes (default all), in
# parallel; images given together share one archive (their common layers travel once).
swarm_load() {
  local image=$1 archive node pids=() failed=0
  shift
  local nodes=("$@")
  ((${#nodes[@]} > 0)) || nodes=("${SWARM_NODES[@]}")
  archive=$(mktemp)
  local images
  IFS=, read -r -a images <<<"$image"
  docker save -o "$archive" "${images[@]}" || swarm_die "cannot save $image"
  for node in "${nodes[@]}"; do
    sdocker_i "$node" load -q <"$archive" >/dev/null &
    pids+=($!)
  done
  local pid
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  rm -f "$archive"
  ((failed == 0)) || swarm_die "side-loading $image failed"
}

# swarm_image_ref IMAGE: how a service names a side-loaded image: its ID ("sha256:..."), which a node
# never tries to pull, whatever SWARM_PREFER_OFFLINE says.
swarm_image_ref() { docker image inspect --format '{{.Id}}' "$1"; }

# swarm_kill NODE: the node's container is killed (a crash as the swarm sees it); its state stays.
swarm_kill() { docker kill "$(swarm_name "$1")" >/dev/null; }

# swarm_restore NODE: starts a killed node again and waits for its engine (same identity).
swarm_restore() {
  local node
  node=$(swarm_name "$1")
  docker start "$node" >/dev/null || swarm_die "cannot restart $node"
  swarm_wait "the engine of $node" swarm_engine_up "$node"
}

# swarm_service_nodes SERVICE: "slot node" per running task, sorted by slot.
swarm_service_nodes() {
  sdocker "$SWARM_MANAGER" service ps --filter desired-state=running \
    --format '{{.Name}} {{.Node}} {{.CurrentState}}' "$1" |
    awk '$3 == "Running" { sub(/.*\./, "", $1); print $1, $2 }' | sort -n
}

# swarm_registry_up: the project registry (registry-service/) as a one-replica service on the manager,
# its storage on the named volume registry-data, published in host mode on the manager's port 5000 (no
# routing mesh here); the nodes trust the test bridge's subnet as insecure (node-entrypoint). Sets
# SWARM_REGISTRY (IP:5000) once its API answers.
swarm_registry_up() {
  swarm_registry_image
  swarm_load "$SWARM_REGISTRY_IMAGE" "$SWARM_MANAGER"
  sdocker "$SWARM_MANAGER" service create -d --quiet --name registry --label dockerops.test=1 \
    --constraint node.role==manager --endpoint-mode dnsrr \
    --publish mode=host,target=5000,published=5000 \
    --mount type=volume,source=registry-data,target=/var/lib/docker-registry \
    --restart-delay 0s --no-resolve-image "$(swarm_image_ref "$SWARM_REGISTRY_IMAGE")" >/dev/null ||
    swarm_die "cannot create the registry service"
  SWARM_REGISTRY=$SWARM_MANAGER_IP:5000
  swarm_wait "the registry at $SWARM_REGISTRY" curl -sf --max-time 2 "http://$SWARM_REGISTRY/v2/"
}

# swarm_leftovers: the bed's objects still on the host daemon, one per line (empty after swarm_down).
swarm_leftovers() {
  docker ps -aq --filter "label=dockerops.test.swarm=$SWARM_PREFIX"
  docker network ls -q --filter "label=dockerops.test.swarm=$SWARM_PREFIX"
  docker images -q --filter "label=dockerops.test.swarm=$SWARM_PREFIX"
}

# swarm_down: removes the nodes with their anonymous volumes (each node's /var/lib/docker: its
# images, containers and swarm state), the network and the images made for this bed. Idempotent; as
# the EXIT trap it leaves the script's exit status alone.
swarm_down() {
  local started ids
  started=$(swarm_ms)
  ids=$(docker ps -aq --filter "label=dockerops.test.swarm=$SWARM_PREFIX")
  [[ -z $ids ]] || docker rm -fv $ids >/dev/null 2>&1 || true
  ids=$(docker network ls -q --filter "label=dockerops.test.swarm=$SWARM_PREFIX")
  [[ -z $ids ]] || docker network rm $ids >/dev/null 2>&1 || true
  ids=$(docker images -q --filter "label=dockerops.test.swarm=$SWARM_PREFIX" | sort -u)
  [[ -z $ids ]] || docker rmi -f $ids >/dev/null 2>&1 || true
  SWARM_DOWN_MS=$(($(swarm_ms) - started))
  [[ -z ${SWARM_NODES[*]} ]] || swarm_say "torn down in ${SWARM_DOWN_MS} ms"
  SWARM_NODES=()
  return 0
}

# --- executed as a program --------------------------------------------------------------------
swarm_write_state() {
  {
    declare -p SWARM_PREFIX SWARM_NET SWARM_MANAGER SWARM_MANAGER_IP SWARM_HOST
    [[ -z ${SWARM_REGISTRY:-} ]] || declare -p SWARM_REGISTRY
    declare -p SWARM_NODES
  } >"$1"
}

swarm_main() {
  set -euo pipefail
  local command=${1:-}
  case "$command" in
    up)
      [[ $# -eq 3 ]] || swarm_die "usage: swarmlib.bash up N STATE_FILE"
      swarm_up "$2"
      swarm_write_state "$3"
      trap - EXIT
      ;;
    registry)
      [[ $# -eq 2 ]] || swarm_die "usage: swarmlib.bash registry STATE_FILE"
      # shellcheck disable=SC1090
      source "$2"
      swarm_registry_up
      swarm_write_state "$2"
      ;;
    load | down)
      [[ $# -ge 2 ]] || swarm_die "usage: swarmlib.bash $command STATE_FILE ..."
      # shellcheck disable=SC1090
      source "$2"
      if [[ $command == load ]]; then
        swarm_load "${@:3}"
      else
        swarm_down
        [[ -z $(swarm_leftovers) ]] || swarm_die "leftovers after teardown: $(swarm_leftovers | tr '\n' ' ')"
      fi
      ;;
    tiny-image)
      [[ $# -eq 3 ]] || swarm_die "usage: swarmlib.bash tiny-image STATE_FILE NAME"
      # shellcheck disable=SC1090
      source "$2"
      swarm_tiny_image "$3"
      ;;
    *) swarm_die "usage: swarmlib.bash up|load|registry|tiny-image|down ..." ;;
  esac
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  swarm_main "$@"
fi
