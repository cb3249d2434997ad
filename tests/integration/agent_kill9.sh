#!/bin/bash
# The agent killed in the middle of a replacement (DOCKEROPS_FAIL_AFTER_OPS ends it abruptly after
# the core's first operation, docs/decisions.md 25; and a real kill -9 during a readiness wait),
# with a torn line left at the end of the event log: the next agent converges, every instance
# exists once and is registered, and the log is intact (the torn line skipped with a warning, then
# cut off and recorded).
source "$(dirname "$0")/runlib.bash"
source "$(dirname "$0")/agentlib.bash"
new_project agent-kill9
make_service web
cat >run.conf <<'CONF'
[
  {"service": "dockerops-dns", "instance": "main"},
  {"service": "web", "instance": "one", "restart": "always"},
  {"service": "web", "instance": "two", "restart": "always"}
]
CONF
dockerops run:all >/dev/null
DNS_IP=$(dockerops getip:dockerops-dns)

once() { # once INSTANCE: the instance has exactly one container, running and registered
  local n
  n=$(docker ps -aq --filter "label=dockerops.project=$T_NAME" --filter "label=dockerops.instance=$1" | wc -l)
  [[ $n == 1 && $(container_field web "$1" '{{.State.Status}}') == running ]] &&
    answers "web-$1.local.zone" "$(container_field web "$1" '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}')"
}

# 1. Cut off after the core's first operation of the replacement (the create).
start_agent DOCKEROPS_FAIL_AFTER_OPS=1
docker rm -f "$T_NAME-web-one" >/dev/null
set +e
wait "$AGENT_PID"
status=$?
set -e
AGENT_PID=
[[ $status == 137 ]] || fail "the fault-injected agent exited $status, not 137"
grep -q "fault injection" "$T_ROOT/agent.log" || fail "no fault injection in the agent's log"
# A writer killed in the middle of a line.
printf '{"id":999,"time":"2026-01-01T00:00:00.000Z","act' >>.dockerops/events.jsonl
out=$(dockerops events 2>&1 >/dev/null)
expect_contains "$out" "skipped a torn last line" "events with a torn line"
start_agent
wait_for "web/one once, running and registered" once one
wait_for "web/two once, running and registered" once two
has_event 'e["action"] == "log-repaired"' || fail "no log-repaired event"
"$DOCKEROPS_BIN" events --json | python3 -c '
import json, sys
ids = [json.loads(l)["id"] for l in sys.stdin]
assert ids == sorted(ids) and len(ids) == len(set(ids)), ids' || fail "the event log is not in order"

# 2. A real kill -9 while the agent waits for the replacement's readiness.
before=$(container_field web two '{{.State.StartedAt}}')
docker rm -f "$T_NAME-web-two" >/dev/null
wait_for "the replacement of web/two under way" has_event \
  'e["source"] == "engine" and e["instance"] == "two" and e["action"] == "start"'
kill -KILL "$AGENT_PID"
wait "$AGENT_PID" 2>/dev/null || true
AGENT_PID=
start_agent
wait_for "web/two once, running and registered" once two
wait_for "web/one still once" once one
[[ -z $(dockerops events 2>&1 >/dev/null) ]] || fail "the event log has problems: $(dockerops events 2>&1 >/dev/null)"
stop_agent || fail "the agent exited $? on SIGTERM"
echo PASS
