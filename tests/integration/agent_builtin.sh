#!/bin/bash
# The agent as the built-in service dockerops-agent: image dockerops/agent built from the installed
# binary, run by run:all on the host's network with the Docker socket and the project folder; its
# API answers on the host's loopback; it brings an instance back; the daemon brings it back when it
# is killed; stop stops it.
source "$(dirname "$0")/runlib.bash"
source "$(dirname "$0")/agentlib.bash"
new_project agent-builtin
make_service web
cat >run.conf <<'CONF'
[
  {"service": "dockerops-dns", "instance": "main"},
  {"service": "dockerops-agent", "instance": "main"},
  {"service": "web", "instance": "one", "restart": "always"}
]
CONF
dockerops run:all >/dev/null
DNS_IP=$(dockerops getip:dockerops-dns)
agent="$T_NAME-dockerops-agent-main"
[[ $(docker inspect -f '{{.HostConfig.NetworkMode}} {{.HostConfig.RestartPolicy.Name}}' "$agent") == "host unless-stopped" ]] ||
  fail "the agent container: $(docker inspect -f '{{.HostConfig.NetworkMode}} {{.HostConfig.RestartPolicy.Name}}' "$agent")"
docker inspect -f '{{range .Mounts}}{{.Destination}} {{end}}' "$agent" | grep -q /var/run/docker.sock ||
  fail "the agent has no Docker socket"
wait_for "the agent's URL" test -s .dockerops/agent.url
AGENT_URL=$(cat .dockerops/agent.url)
AGENT_TOKEN=$(cat .dockerops/agent.token)
wait_for "the agent's API" api GET /api/v1/state
api GET /api/v1/state | grep -q '"project":"'"$T_NAME"'"' || fail "state: $(api GET /api/v1/state)"
[[ $(stat -c %a .dockerops/agent.token) == 600 ]] || fail "agent.token is not 0600"
# Its stats come from the host's cgroups, mounted into its container.
wait_for "cgroup stats" bash -c "curl -s -H 'Authorization: Bearer $AGENT_TOKEN' $AGENT_URL/api/v1/stats | grep -q '\"source\":\"cgroup\"'"

before=$(container_field web one '{{.State.StartedAt}}')
docker kill "$T_NAME-web-one" >/dev/null
wait_for "web/one back, brought by the agent in its container" runs_again web one "$before"
wait_for "web-one.local.zone" answers web-one.local.zone "$(dockerops getip:web,instance=one)"

# The agent process dies: supervisord starts it again; it serves at a new URL.
new_url() { [[ -s .dockerops/agent.url && $(cat .dockerops/agent.url) != "$1" ]]; }
old_url=$AGENT_URL
docker exec "$agent" bash -c 'kill -KILL $(pidof dockerops)'
wait_for "a new agent URL after its process died" new_url "$old_url"
AGENT_URL=$(cat .dockerops/agent.url)
wait_for "the restarted agent's API" api GET /api/v1/state
# The container dies (its init ends): the daemon starts it again (restart policy unless-stopped).
old_url=$AGENT_URL
docker exec "$agent" kill -TERM 1
wait_for "the agent container restarted by the daemon" bash -c \
  "[[ \$(docker inspect -f '{{.State.Status}} {{.RestartCount}}' $agent) == 'running '[1-9]* ]]"
wait_for "a new agent URL after its container died" new_url "$old_url"
AGENT_URL=$(cat .dockerops/agent.url)
wait_for "the agent's API after the daemon restarted it" api GET /api/v1/state
[[ $(python3 -c 'import json,sys; print(sum(1 for l in sys.stdin if json.loads(l)["action"] == "agent-started"))' \
  < <("$DOCKEROPS_BIN" events --json)) -ge 3 ]] || fail "not three agent-started events"

# dockerops stop stops it (and the daemon does not restart a container stopped on purpose).
dockerops stop:dockerops-agent >/dev/null
[[ $(container_field dockerops-agent main '{{.State.Status}}') == exited ]] || fail "the agent still runs after stop"
echo PASS
