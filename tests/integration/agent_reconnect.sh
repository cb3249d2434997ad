#!/bin/bash
# A broken Engine event stream is reconnected with back-off, then the project is reconciled in full.
# The shared daemon is never restarted here: the agent talks to it through a Unix-socket proxy
# (sockproxy.py) that is killed (every connection cut, new ones refused, as while a daemon restarts)
# and started again. Meanwhile the API keeps answering; after the stream is back, a killed
# restart: always instance comes back.
source "$(dirname "$0")/runlib.bash"
source "$(dirname "$0")/agentlib.bash"
new_project agent-reconnect
make_service web
cat >run.conf <<'CONF'
[
  {"service": "web", "instance": "one", "restart": "always"}
]
CONF
dockerops run:all >/dev/null
proxy=$T_ROOT/docker.sock
start_proxy() {
  python3 "$(dirname "$0")/sockproxy.py" "$proxy" /var/run/docker.sock &
  PROXY_PID=$!
  wait_for "the socket proxy" test -S "$proxy"
}
start_proxy
start_agent DOCKER_HOST="unix://$proxy"

kill "$PROXY_PID"
wait "$PROXY_PID" 2>/dev/null || true
rm -f "$proxy"
PROXY_PID=
wait_for "the lost stream in the event log" has_event 'e["action"] == "engine-stream-lost"'
api GET /api/v1/state >/dev/null || fail "the API does not answer while the daemon is away"
start_proxy
wait_for "the stream restored" has_event 'e["action"] == "engine-stream-restored"'

before=$(container_field web one '{{.State.StartedAt}}')
docker kill "$T_NAME-web-one" >/dev/null
wait_for "web/one to run again after the reconnect" runs_again web one "$before"
stop_agent || fail "the agent exited $? on SIGTERM"
echo PASS
