#!/usr/bin/env bash
# A dockerops project on the 3-node swarm test bed (swarmlib.bash), docs/decisions.md 33: host.conf
# "orchestrator": "swarm" with DOCKER_HOST at the manager; run:all builds on the manager, pushes to
# the registry and creates one service per instance (the DNS global); ps shows the node of each;
# names resolve from a container on every node, over UDP and TCP, through the node's own DNS, the
# instances' names (A, round robin, PTR) in every node's dockerops-dns (decisions 39); links
# resolve to the target's task; a group becomes a node-label constraint and pins the persistent
# instance; the node running it and a web task is killed: the web task runs elsewhere and its name
# follows in Docker's DNS, the persistent one waits for its node (reported); the node returns: no
# duplicates. The project's agent runs as a service on the manager (decisions 38, 40): it counts the
# relocation, records the events and makes every surviving node's DNS follow with no command run.
# stop/start scale the services; clean:all leaves no service, network, secret, config or agent
# volume. Phase times are printed (timings live in bench/swarm/).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if ! docker info >/dev/null 2>&1; then
  [[ -z ${CI:-} ]] || { echo "FAIL: no Docker daemon, and CI is set" >&2; exit 1; }
  echo "SKIP: no Docker daemon" >&2
  exit 77
fi
: "${DOCKEROPS_BIN:?DOCKEROPS_BIN must point at the dockerops binary}"

SWARM_PREFER_OFFLINE=0 # the nodes pull from the registry
SWARM_PREFIX=t-swarm-project-$$
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

# A command that fails outside a check still says where (set -e alone exits silently).
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND (status $?)" >&2' ERR
SWARM_TEST=swarm_project
phase() { swarm_phase "$1"; }
fail() {
  echo "FAIL: $*" >&2
  swarm_report
  local s
  for s in $(sdocker "$SWARM_MANAGER" service ls -q --filter label=dockerops.project=swproj); do
    sdocker "$SWARM_MANAGER" service logs --tail 15 "$s" >&2 || true
  done
  exit 1
}
# The dockerops CLI of the host, talking to the manager.
dops() { DOCKER_HOST=$SWARM_HOST "$DOCKEROPS_BIN" --project-dir "$project" "$@"; }

# --- the bed: 3 nodes, the built-in images on the manager (dockerops builds and pushes there) -------
swarm_up 3
trap cleanup EXIT
swarm_heartbeat 1
swarm_registry_up
# The root image too: the built-ins' context hash covers their parent's ID, so without it the
# manager would rebuild dockerops/base.
swarm_load dockerops/debian:bookworm,dockerops/base:latest,dockerops/dns:latest,dockerops/agent:latest "$SWARM_MANAGER"
# The persistent instance's group is a label of n2 only (docs/decisions.md 33: group = node label).
sdocker "$SWARM_MANAGER" node update --label-add dockerops.group=store "${SWARM_NODES[1]}" >/dev/null
phase "3 nodes, registry, built-in images on the manager"

# --- the project ---------------------------------------------------------------------------------
project=$project_root/swproj
mkdir -p "$project/services/web" "$project/services/db"
cat >"$project/services/web/Dockerfile" <<'EOF'
FROM dockerops/base
COPY web.conf /etc/supervisor/conf.d/web.conf
EOF
cat >"$project/services/web/web.conf" <<'EOF'
[program:web]
command=python3 -m http.server 8000 --directory /etc
autorestart=true
EOF
printf 'FROM dockerops/base\n' >"$project/services/db/Dockerfile"
cat >"$project/run.conf" <<'EOF'
[
  {"service": "dockerops-dns", "instance": "master"},
  {"service": "dockerops-agent", "instance": "main"},
  {"service": "web", "instance": "one", "links": [{"name": "DB", "service": "db", "instance": "main"}]},
  {"service": "web", "instance": "two"},
  {"service": "web", "instance": "three"},
  {"service": "db", "instance": "main", "instance_type": "persistent", "group": "store"}
]
EOF
printf '{"orchestrator": "swarm", "registry": "%s"}\n' "$SWARM_REGISTRY" >"$project/host.conf"

out=$(dops run:all 2>&1) || fail "run:all: $out"
echo "$out" | tail -12
grep -q "run: 6 instances: 6 created" <<<"$out" || fail "run:all summary: $out"
phase "run:all (builds on the manager, pushes, 5 services)"

# --- a web task on every node: the name checks below run from one on each, and n2 (db/main's node,
# by its group) is the node lost below ---------------------------------------------------------------
# Swarm places each web service on the node with the fewest tasks: the manager, which also runs the
# bed's registry and the agent, gets none, and a tie elsewhere can leave another node without one. The
# lost node's web task must be free to move: it is found by force-updating (rescheduling) a web
# service of a node that has two until one lands there (Swarm's tie-break, bounded). The other nodes
# get one by constraining such a web service to them (`--constraint-add node.hostname==`, the test's
# own change to the spec). dockerops' labels and config hashes stay, so its view is unchanged;
# dns:sync then gives every node's DNS the moved tasks' addresses.
web_nodes() { dops --json ps | python3 -c 'import json,sys; print(" ".join(r["instance"] + "@" + r["node"] for r in json.load(sys.stdin) if r["service"] == "web" and r["state"] == "running"))'; }
nodes_without_web() {
  local placed node
  placed=" $(web_nodes) "
  for node in "${SWARM_NODES[@]}"; do
    [[ $placed == *"@$node "* ]] || echo "$node"
  done
}
web_to_move() { # a web instance that shares its node with another
  web_nodes | tr ' ' '\n' | awk -F@ '{n[$2]++; i[NR]=$1; at[NR]=$2} END {for (k = 1; k <= NR; k++) if (n[at[k]] > 1) {print i[k]; exit}}'
}
running_task() { # SERVICE: the ID of its task that is running (and meant to)
  sdocker "$SWARM_MANAGER" service ps -q --filter desired-state=running "$1" | while read -r id; do
    [[ $(sdocker "$SWARM_MANAGER" inspect -f '{{.Status.State}}' "$id") == running ]] && echo "$id"
  done | head -1
}
web_running_count() { [[ $(wc -w <<<"$(web_nodes)") -eq 3 ]]; }
moves=0
constrained=0 # moves to another node for certain: the agent counts each as a relocation
while [[ " $(web_nodes) " != *"@${SWARM_NODES[1]} "* ]]; do
  ((moves < 12)) || fail "no web task on ${SWARM_NODES[1]} after $moves reschedules: $(dops ps)"
  instance=$(web_to_move)
  before=$(running_task "swproj-web-$instance")
  sdocker "$SWARM_MANAGER" service update -d --force --quiet "swproj-web-$instance" >/dev/null ||
    fail "service update --force swproj-web-$instance"
  moves=$((moves + 1))
  replaced() { local now; now=$(running_task "swproj-web-$instance") && [[ -n $now && $now != "$before" ]]; }
  swarm_wait "web/$instance's new task running" replaced
  swarm_wait "3 web tasks running after rescheduling web/$instance" web_running_count
done
for node in $(nodes_without_web); do
  instance=$(web_to_move)
  [[ -n $instance ]] || fail "no web task shares a node, yet $node has none: $(dops ps)"
  sdocker "$SWARM_MANAGER" service update -d --quiet --constraint-add "node.hostname==$node" "swproj-web-$instance" >/dev/null ||
    fail "service update --constraint-add node.hostname==$node swproj-web-$instance"
  moves=$((moves + 1))
  constrained=$((constrained + 1))
  web_runs_on() { [[ " $(web_nodes) " == *" $instance@$node "* ]] && web_running_count; }
  swarm_wait "web/$instance running on $node" web_runs_on
done
[[ -z $(nodes_without_web) ]] || fail "a node without a web task after $moves moves: $(dops ps)"
if ((moves > 0)); then
  sync_out=$(dops dns:sync 2>&1) || fail "dns:sync after $moves moves: $sync_out"
fi
phase "a web task on every node ($moves moved)"

# --- ps: a NODE column, one row per task, the DNS on every node ------------------------------------
ps_out=$(dops ps)
echo "$ps_out"
head -1 <<<"$ps_out" | grep -q "NODE" || fail "ps has no NODE column: $ps_out"
[[ $(grep -c "dockerops-dns.*running" <<<"$ps_out") -eq 3 ]] || fail "expected a DNS task on each of 3 nodes"
[[ $(grep -c "^web .*running" <<<"$ps_out") -eq 3 ]] || fail "expected 3 running web instances: $ps_out"
json=$(dops --json ps)
python3 - "$json" <<'EOF' || fail "ps --json: $json"
import json, sys
rows = json.loads(sys.argv[1])
assert all(r.get("node", "").startswith("t-swarm-project-") for r in rows), rows
assert sorted({r["node"] for r in rows if r["service"] == "dockerops-dns"}) == sorted({r["node"] for r in rows}), rows
EOF
[[ $(dops --dry-run run:all | grep -c " keep ") -eq 6 ]] || fail "a second run:all is not all keep"

# --- names from a task on each node, UDP and TCP, through the node's own DNS -----------------------
task_container() { # NODE SERVICE: the container of the service's task on that node
  sdocker "$1" ps -q --filter "label=com.docker.swarm.service.name=$2" | head -1
}
project_container() { # NODE: a running web task on that node (each has one until n2 is lost), else db/main
  # (the only task of a node that came back). A dockerops-dns task would not do: its resolver is not
  # the DNS.
  local service c
  for service in web db; do
    c=$(sdocker "$1" ps -q --filter label=dockerops.project=swproj --filter "label=dockerops.service=$service" | head -1)
    [[ -z $c ]] || break
  done
  echo "$c"
}
ip_of() { # SERVICE INSTANCE: the address ps shows for it
  dops --json ps | python3 -c 'import json,sys; print(" ".join(r["ip"] for r in json.load(sys.stdin) if r["service"]==sys.argv[1] and r["instance"]==sys.argv[2] and r["state"]=="running"))' "$1" "$2"
}
node_of() { # SERVICE INSTANCE: the node ps shows for it
  dops --json ps | python3 -c 'import json,sys; print(" ".join(r["node"] for r in json.load(sys.stdin) if r["service"]==sys.argv[1] and r["instance"]==sys.argv[2]))' "$1" "$2"
}
resolves_to() { # NODE CONTAINER NAME ADDRESS
  [[ $(sdocker "$1" exec "$2" getent hosts "$3" | cut -d' ' -f1) == "$4" ]]
}
# Where a task reaches its node's DNS: the gateway of docker_gwbridge, which dockerops reads on the
# manager (every node of the bed picks the same subnet for it).
gwbridge_gateway() { sdocker "$1" network inspect -f '{{(index .IPAM.Config 0).Gateway}}' docker_gwbridge; }
dns_ip=$(gwbridge_gateway "$SWARM_MANAGER")
for node in "${SWARM_NODES[@]}"; do
  [[ $(gwbridge_gateway "$node") == "$dns_ip" ]] || fail "docker_gwbridge of $node is not at $dns_ip"
done
web_one_ip=$(ip_of web one)
for node in "${SWARM_NODES[@]}"; do
  c=$(project_container "$node")
  [[ -n $c ]] || fail "no project container on $node"
  for proto in +notcp +tcp; do
    got=$(sdocker "$node" exec "$c" dig +short +tries=2 +time=2 "$proto" dns.local.zone "@$dns_ip") ||
      fail "dig $proto from $node failed"
    [[ $got == "$dns_ip" ]] || fail "dns.local.zone over $proto from $node: \"$got\""
  done
  # The container's own resolver: Docker's embedded DNS forwards the zone to the node's dockerops-dns.
  resolves_to "$node" "$c" dns.local.zone "$dns_ip" ||
    fail "dns.local.zone through the container's resolver on $node"
  # An instance by its service name, from every node (Docker's DNS on the overlay, dnsrr; a new
  # service's name reaches the other nodes by gossip, within the bounded wait).
  swarm_wait "swproj-web-one at $web_one_ip from $node" resolves_to "$node" "$c" swproj-web-one "$web_one_ip"
done
phase "names from a task on every node (UDP, TCP, resolver)"

# === DNS on a swarm (docs/decisions.md 39): the instances' names in every node's dockerops-dns ====
# run:all ends with a dns-sync of every node's DNS. From a web task on each node, through that
# node's DNS (at docker_gwbridge's gateway) and through the container's own resolver: the instance's
# name (ps's address), the service name round-robin over the 3 web tasks, the PTR.
sorted_words() { tr ' ' '\n' | grep . | sort | tr '\n' ' '; }
web_ips=$(for i in one two three; do ip_of web "$i"; done | sorted_words)
[[ $(wc -w <<<"$web_ips") -eq 3 ]] || fail "expected 3 web addresses in ps: $web_ips"
dops --dry-run run:all | grep -q "dns-sync local.zone .*every node's DNS" || fail "the plan shows no dns-sync"
check_names() { # NODE INSTANCE ADDRESS: what the node's DNS and resolver say of web/INSTANCE
  local c got
  c=$(project_container "$1") # a web task, else db/main (the only one on a node that came back)
  got=$(sdocker "$1" exec "$c" dig +short +tries=2 +time=2 "web-$2.local.zone" @$dns_ip)
  [[ $got == "$3" ]] || fail "web-$2.local.zone from $1: \"$got\", expected $3"
  got=$(sdocker "$1" exec "$c" dig +short +tries=2 +time=2 -x "$3" @$dns_ip)
  [[ $got == "web-$2.local.zone." ]] || fail "PTR of $3 from $1: \"$got\""
  got=$(sdocker "$1" exec "$c" getent hosts "web-$2.local.zone" | cut -d' ' -f1)
  [[ $got == "$3" ]] || fail "web-$2.local.zone through the resolver on $1: \"$got\""
  got=$(sdocker "$1" exec "$c" dig +short +tries=2 +time=2 web.local.zone @$dns_ip | sorted_words)
  [[ $got == "$web_ips" ]] || fail "web.local.zone from $1: \"$got\", expected $web_ips"
}
for node in "${SWARM_NODES[@]}"; do
  check_names "$node" one "$web_one_ip"
done
shown=$(dops dns:show) || fail "dns:show: $shown"
[[ $(grep -c "^; node " <<<"$shown") -eq 3 ]] || fail "dns:show does not show 3 nodes' zones: $shown"
[[ $(grep -c "^web-one.local.zone.*$web_one_ip\$" <<<"$shown") -eq 3 ]] || fail "dns:show: web-one not in 3 zones: $shown"
phase "instance names in every node's DNS (A, round robin, PTR)"
# === end of DNS on a swarm ========================================================================

# --- links: the target's task address, as a variable and as an alias ------------------------------
web_one_node=$(dops --json ps | python3 -c 'import json,sys; print([r["node"] for r in json.load(sys.stdin) if r["service"]=="web" and r["instance"]=="one"][0])')
web_one=$(task_container "$web_one_node" swproj-web-one)
db_ip=$(dops --json ps | python3 -c 'import json,sys; print([r["ip"] for r in json.load(sys.stdin) if r["service"]=="db"][0])')
linked=$(sdocker "$web_one_node" exec "$web_one" bash -c '. /env.sh; echo "$DB_SERVICE_IP"; getent hosts DB | cut -d" " -f1')
[[ $linked == "$db_ip"$'\n'"$db_ip" ]] || fail "link DB: expected $db_ip twice, got: $linked"
phase "links resolved by the base entrypoint"

# logs of an instance whose task runs on another node than the manager: gathered through the manager.
remote=$(dops --json ps | python3 -c 'import json,sys; print([r["instance"] for r in json.load(sys.stdin) if r["service"]=="web" and r["node"]!=sys.argv[1]][0])' "$SWARM_MANAGER")
dops logs:web,instance="$remote" 2>&1 | grep -q "\[dockerops\] ready" || fail "logs of web/$remote (on a worker)"

# === swagent: the agent follows the swarm (docs/decisions.md 38) as a service (decision 40) ========
# The run.conf's dockerops-agent runs as a one-task service on the manager, on its network, with the
# manager's socket; its API listens on the manager's loopback, reached here from inside its task
# with the token of the project folder (the secret it was given).
agent_task() { sdocker "$SWARM_MANAGER" ps -q --filter label=dockerops.project=swproj --filter label=dockerops.service=dockerops-agent | head -1; }
agent_url_of() { sdocker "$SWARM_MANAGER" exec "$(agent_task)" cat /var/lib/dockerops-agent/.dockerops/agent.url; }
swarm_wait "the agent task's URL" agent_url_of
agent_url=$(agent_url_of)
[[ $agent_url == http://127.0.0.1:* ]] || fail "the agent does not listen on the manager's loopback: $agent_url"
[[ $(node_of dockerops-agent main) == "$SWARM_MANAGER" ]] || fail "the agent is not on the manager: $(dops ps)"
agent_token=$(cat "$project/.dockerops/agent.token")
api() { # PATH: GET it from the agent, inside its task
  sdocker "$SWARM_MANAGER" exec -e TOKEN="$agent_token" "$(agent_task)" python3 -c '
import os, sys, urllib.request
request = urllib.request.Request(sys.argv[1], headers={"Authorization": "Bearer " + os.environ["TOKEN"]})
sys.stdout.write(urllib.request.urlopen(request, timeout=5).read().decode())' "$agent_url$1"
}
agent_events() { # the agent's events so far, one JSON object per line (its SSE stream, read for 2 s)
  sdocker "$SWARM_MANAGER" exec -e TOKEN="$agent_token" "$(agent_task)" python3 -c '
import os, socket, sys, urllib.request
request = urllib.request.Request(sys.argv[1], headers={"Authorization": "Bearer " + os.environ["TOKEN"]})
response = urllib.request.urlopen(request, timeout=2)
try:
    for line in response:
        if line.startswith(b"data: "):
            print(line[6:].decode().strip())
except (socket.timeout, TimeoutError):
    pass' "$agent_url/api/v1/events?since=0"
}
relocations() { api /api/v1/stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["relocations"])'; }
# grep reads the whole log: with -q it would stop at the line, and docker logs, still writing, would end
# by SIGPIPE, which pipefail makes the pipeline's status.
says_swarm() { sdocker "$SWARM_MANAGER" logs "$(agent_task)" 2>&1 | grep "agent: project swproj on the swarm" >/dev/null; }
for _ in $(seq 1 50); do says_swarm && break; sleep 0.2; done
says_swarm ||
  fail "the agent does not say it follows a swarm: $(sdocker "$SWARM_MANAGER" logs "$(agent_task)" 2>&1 | head -20)"
# It ran from run:all on, so the test's own moves above are relocations too (the reschedules may
# have landed on the same node: those are not).
before_loss=$(relocations)
((before_loss >= constrained)) || fail "relocations $before_loss after $constrained moves by constraint: $(api /api/v1/stats)"
# Its state names each instance's node, as ps does.
state_nodes() { # the "service/instance=node" of every instance of GET /api/v1/state, sorted
  api /api/v1/state | python3 -c 'import json,sys; print(" ".join(sorted(i["service"]+"/"+i["instance"]+"="+i["node"] for s in json.load(sys.stdin)["services"] for i in s["instances"] if i["service"]!="dockerops-dns")))'
}
ps_nodes=$(dops --json ps | python3 -c 'import json,sys; print(" ".join(sorted(r["service"]+"/"+r["instance"]+"="+r["node"] for r in json.load(sys.stdin) if r["service"]!="dockerops-dns")))')
[[ $(state_nodes) == "$ps_nodes" ]] || fail "the agent's state: $(state_nodes), ps: $ps_nodes"
# Swarm keeps tasks alive: the agent offers no restart route there.
! api /api/v1 | grep -q restart || fail "the agent offers restart on a swarm: $(api /api/v1)"
phase "agent: a service on the manager, its API on the manager's loopback"
# === end swagent ===

# --- node loss: the node of the persistent instance (and of a web task) goes down -----------------
lost=${SWARM_NODES[1]}
[[ $(node_of db main) == "$lost" ]] || fail "db/main is not pinned to $lost (its group's node): $(dops ps)"
moved=$(dops --json ps | python3 -c 'import json,sys; print(" ".join(r["instance"] for r in json.load(sys.stdin) if r["service"]=="web" and r["node"]==sys.argv[1]))' "$lost")
[[ -n $moved ]] || fail "no web task on $lost to relocate: $(dops ps)"
survivor=${SWARM_NODES[2]}
last_event_id=$(agent_events | python3 -c 'import json,sys; print(max([json.loads(l)["id"] for l in sys.stdin if l.strip()] or [0]))')
killed_at=$(swarm_ms)
swarm_kill "$lost"
relocated() {
  local i node
  for i in $moved; do
    node=$(node_of web "$i")
    [[ -n $node && $node != "$lost" ]] || return 1
    [[ -n $(ip_of web "$i") ]] || return 1
  done
}
swarm_wait "the web tasks of $lost running elsewhere" relocated
phase "node $lost down: web $moved running elsewhere"
# === swagent: relocations counted, relocated events with the old and the new node ================
moved_count=$(wc -w <<<"$moved")
relocations_are() { [[ $(relocations) == "$1" ]]; }
swarm_wait "the agent's relocations = $before_loss + $moved_count" relocations_are $((before_loss + moved_count))
phase "agent: relocations = $moved_count (since the web tasks run elsewhere)"
events=$(agent_events)
for i in $moved; do
  python3 - "$events" "$i" "$lost" "$(node_of web "$i")" "$last_event_id" <<'EOF' || fail "no relocated event of web/$i from $lost: $events"
import json, sys
events = [e for line in sys.argv[1].splitlines() if line.strip() for e in [json.loads(line)] if e["id"] > int(sys.argv[5])]
hits = [e for e in events if e["action"] == "relocated" and e["service"] == "web" and e["instance"] == sys.argv[2]]
assert len(hits) == 1, hits
assert hits[0]["details"]["old_node"] == sys.argv[3] and hits[0]["details"]["new_node"] == sys.argv[4], hits
EOF
done
waits_event() { agent_events | grep '"action":"waiting-for-node"' | grep -q '"service":"db"'; }
swarm_wait "a waiting-for-node event of db/main" waits_event
# The DNS follows the move with no dockerops command changing anything: the agent synced every
# surviving node's DNS (ps above only reads).
zone_answers() { # NODE CONTAINER NAME ADDRESS
  [[ $(sdocker "$1" exec "$2" dig +short +tries=1 +time=2 "$3" "@$dns_ip") == "$4" ]]
}
for i in $moved; do
  ip=$(ip_of web "$i")
  for node in "${SWARM_NODES[@]}"; do
    [[ $node != "$lost" ]] || continue
    swarm_wait "web-$i.local.zone at $ip from $node" zone_answers "$node" "$(project_container "$node")" "web-$i.local.zone" "$ip"
  done
done
printf '[swarm_project] node killed -> web %s at its new address in every surviving DNS: %d ms\n' "$moved" $(($(swarm_ms) - killed_at))
grep -q '"action":"dns-sync"' <<<"$(agent_events)" || fail "no dns-sync event of the agent"
phase "agent: web $moved's name follows in every surviving node's DNS"
# === end swagent ===
ps_out=$(dops ps)
echo "$ps_out"
grep -q "^db .*main .*waiting-for-node .*$lost" <<<"$ps_out" || fail "db/main not reported waiting for $lost"
c=$(project_container "$survivor")
for i in $moved; do
  ip=$(ip_of web "$i")
  swarm_wait "swproj-web-$i at $ip from $survivor" resolves_to "$survivor" "$c" "swproj-web-$i" "$ip"
done
resolves_to "$survivor" "$c" dns.local.zone "$dns_ip" ||
  fail "dns.local.zone on $survivor with $lost down"
phase "names follow; the persistent instance waits for its node"

# === DNS on a swarm, after the relocation (docs/decisions.md 39) ==================================
# dns:sync is called explicitly here: the agent calls the same sync on every task change. The
# relocated instances' names give their new address from every surviving node, the old one gone.
sync_out=$(dops dns:sync 2>&1) || fail "dns:sync with $lost down: $sync_out"
echo "$sync_out"
grep -q "registered at 2 nodes" <<<"$sync_out" || fail "dns:sync did not reach the 2 surviving nodes: $sync_out"
web_ips=$(for i in one two three; do ip_of web "$i"; done | sorted_words)
for node in "${SWARM_NODES[0]}" "$survivor"; do
  for i in $moved; do
    check_names "$node" "$i" "$(ip_of web "$i")"
  done
done
phase "dns:sync: relocated names follow on the surviving nodes"
# === end of DNS on a swarm ========================================================================

swarm_restore "$lost"
swarm_wait "$lost Ready" swarm_node_is "$lost" ready
db_back() { [[ $(node_of db main) == "$lost" && -n $(ip_of db main) ]]; }
swarm_wait "db/main running on $lost again" db_back
# No duplicates: every project service has exactly one running container on the whole swarm, the
# DNS one per node.
no_duplicates() {
  local counts
  counts=$(for node in "${SWARM_NODES[@]}"; do
    sdocker "$node" ps --filter label=dockerops.project=swproj --format '{{.Label "com.docker.swarm.service.name"}}'
  done | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ')
  [[ $counts == "swproj-db-main=1 swproj-dockerops-agent-main=1 swproj-dockerops-dns-master=3 swproj-web-one=1 swproj-web-three=1 swproj-web-two=1 " ]]
}
swarm_wait "one container per instance once $lost is back" no_duplicates
phase "node $lost back: db/main again there, no duplicates"
# === swagent: the node returns: no duplicate in the agent's state, relocations unchanged ==========
agent_sees_db_back() { state_nodes | grep -q "db/main=$lost"; }
swarm_wait "the agent's state: db/main on $lost again" agent_sees_db_back
[[ -z $(state_nodes | tr ' ' '\n' | cut -d= -f1 | sort | uniq -d) ]] || fail "duplicates in the agent's state: $(state_nodes)"
[[ $(relocations) == $((before_loss + moved_count)) ]] || fail "relocations changed when $lost returned: $(api /api/v1/stats)"
phase "agent: nothing counted when $lost returned"
# === end swagent ===

# === DNS on a swarm, the node back (docs/decisions.md 39) =========================================
# Its DNS task restarted from its own zone (stale for the relocated instances): one sync corrects it.
# The manager may report the returned node's DNS task running a moment after its container runs.
synced_everywhere() { sync_out=$(dops dns:sync 2>&1) && grep -q "registered at 3 nodes" <<<"$sync_out"; }
swarm_wait "dns:sync reaching the 3 nodes" synced_everywhere
for i in $moved; do
  check_names "$lost" "$i" "$(ip_of web "$i")"
done
phase "dns:sync: the returned node's DNS holds the new addresses"
# === end of DNS on a swarm ========================================================================

# --- stop / start ----------------------------------------------------------------------------------
# web/two starts again where it ran (the test pins it there, as above), so its node still has a web
# task to check the names from; the stopped task's container is gone before any check (a container
# still stopping would be listed, then refuse the exec).
two_node=$(node_of web two)
sdocker "$SWARM_MANAGER" service update -d --quiet --constraint-add "node.hostname==$two_node" swproj-web-two >/dev/null ||
  fail "service update --constraint-add node.hostname==$two_node swproj-web-two"
web_two_containers() { # the containers of web/two's tasks on every node, running or stopping
  local node
  for node in "${SWARM_NODES[@]}"; do
    sdocker "$node" ps -q --filter label=com.docker.swarm.service.name=swproj-web-two
  done
}
two_settled() { [[ $(node_of web two) == "$two_node" && -n $(ip_of web two) && $(web_two_containers | wc -l) -eq 1 ]]; }
swarm_wait "web/two running on $two_node alone" two_settled
dops stop:web,instance=two >/dev/null || fail "stop:web,instance=two"
two_gone() { [[ -z $(web_two_containers) ]]; }
swarm_wait "web/two's container gone after stop" two_gone
[[ $(sdocker "$SWARM_MANAGER" service inspect --format '{{.Spec.Mode.Replicated.Replicas}}' swproj-web-two) == 0 ]] ||
  fail "web/two still has replicas after stop"
dops ps | grep -q "^web .*two .*stopped" || fail "ps does not show web/two stopped: $(dops ps)"
# === DNS on a swarm: stop removes the records (the stop's dns-sync, docs/decisions.md 39) ==========
for node in "${SWARM_NODES[@]}"; do
  c=$(sdocker "$node" ps -q --filter label=dockerops.project=swproj --filter label=dockerops.service=db)
  [[ -n $c ]] || c=$(project_container "$node")
  got=$(sdocker "$node" exec "$c" dig +short +tries=2 +time=2 web-two.local.zone "@$dns_ip")
  [[ -z $got ]] || fail "web-two.local.zone still gives \"$got\" on $node after stop"
done
# === end of DNS on a swarm ========================================================================
out=$(dops start:web,instance=two 2>&1) || fail "start: $out"
dops ps | grep -q "^web .*two .*running" || fail "web/two not running after start: $(dops ps)"
[[ $(node_of web two) == "$two_node" ]] || fail "web/two started on $(node_of web two), not $two_node"
phase "stop and start of one instance"

# === DNS on a swarm: start registers the new task (the start's dns-sync, docs/decisions.md 39) ====
web_ips=$(for i in one two three; do ip_of web "$i"; done | sorted_words)
for node in "${SWARM_NODES[@]}"; do
  check_names "$node" two "$(ip_of web two)"
done
phase "stop/start: records follow on every node"
# === end of DNS on a swarm ========================================================================

# --- clean:all: nothing of the project is left -----------------------------------------------------
out=$(dops clean:all,force=true 2>&1) || fail "clean:all: $out"
left=$(sdocker "$SWARM_MANAGER" service ls --filter label=dockerops.project=swproj -q)
[[ -z $left ]] || fail "services left after clean:all: $left"
# The manager drops a removed overlay from its view once the removed tasks' endpoints are gone.
network_gone() { ! sdocker "$SWARM_MANAGER" network inspect swproj_net; }
SWARM_TIMEOUT=30 swarm_wait "network swproj_net gone after clean:all ($out)" network_gone
[[ -z $(sdocker "$SWARM_MANAGER" secret ls -q --filter label=dockerops.project=swproj) ]] || fail "secrets left"
[[ -z $(sdocker "$SWARM_MANAGER" config ls -q --filter label=dockerops.project=swproj) ]] || fail "configs left"
! sdocker "$SWARM_MANAGER" volume inspect swproj-dockerops-agent-main-state >/dev/null 2>&1 || fail "the agent's volume is left"
phase "clean:all"
echo "PASS: swarm project (run, ps with nodes, names on every node, links, node loss and return, stop/start, clean)"
