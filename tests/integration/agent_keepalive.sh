#!/bin/bash
# The agent in the foreground keeps instances alive through the core, by their restart policy:
# docker kill and docker rm -f bring restart: always back with its DNS records; on-failure comes back
# after a non-zero exit only; no stays down; stop and clean are never undone. The token, URL and
# intent files are 0600; a second agent is refused, naming the first; events -f shows the actions.
source "$(dirname "$0")/runlib.bash"
source "$(dirname "$0")/agentlib.bash"
new_project agent-ka
make_service web
cat >run.conf <<'CONF'
[
  {"service": "dockerops-dns", "instance": "main"},
  {"service": "web", "instance": "one", "restart": "always"},
  {"service": "web", "instance": "two", "restart": "on-failure"},
  {"service": "web", "instance": "three"},
  {"service": "web", "instance": "four", "restart": "always"}
]
CONF
dockerops run:all >/dev/null
DNS_IP=$(dockerops getip:dockerops-dns)
start_agent

for file in agent.token agent.url intent.json; do
  [[ $(stat -c %a ".dockerops/$file") == 600 ]] || fail ".dockerops/$file is $(stat -c %a ".dockerops/$file"), not 0600"
done
[[ $(wc -l <.dockerops/agent.url) == 1 && $AGENT_URL == http://127.0.0.1:* ]] || fail "agent.url: $AGENT_URL"
set +e
second=$("$DOCKEROPS_BIN" agent 2>&1)
second_status=$?
set -e
[[ $second_status == 1 ]] || fail "a second agent exited $second_status: $second"
expect_contains "$second" "an agent is already active for this project (pid $AGENT_PID" "the second agent"
expect_contains "$second" "API at $AGENT_URL" "the second agent"

"$DOCKEROPS_BIN" events -f --json >"$T_ROOT/events.out" 2>&1 &
EVENTS_PID=$!

# restart: always, docker kill: the same container runs again, registered.
before=$(container_field web one '{{.State.StartedAt}}')
docker kill "$T_NAME-web-one" >/dev/null
wait_for "web/one to run again after docker kill" runs_again web one "$before"
wait_for "web-one.local.zone after the kill" answers web-one.local.zone "$(dockerops getip:web,instance=one)"

# restart: always, docker rm -f: a new container, with the same configuration, registered.
old_id=$(container_field web one '{{.Id}}')
old_hash=$(container_field web one '{{index .Config.Labels "dockerops.config-hash"}}')
docker rm -f "$T_NAME-web-one" >/dev/null
wait_for "web/one to be created again" runs_again web one "$before"
[[ $(container_field web one '{{.Id}}') != "$old_id" ]] || fail "web/one was not replaced"
[[ $(container_field web one '{{index .Config.Labels "dockerops.config-hash"}}') == "$old_hash" ]] ||
  fail "the replacement of web/one has another config hash"
wait_for "web-one.local.zone after the removal" answers web-one.local.zone "$(dockerops getip:web,instance=one)"
[[ $(docker ps -aq --filter "label=dockerops.project=$T_NAME" --filter label=dockerops.instance=one | wc -l) == 1 ]] ||
  fail "web/one exists more than once"

# restart: on-failure: a clean exit stays down, a kill comes back.
docker stop "$T_NAME-web-two" >/dev/null
mark=$(now_rfc3339)
wait_for "a reconcile after web/two stopped" reconciled_after "$mark"
[[ $(container_field web two '{{.State.Status}}') == exited ]] || fail "web/two (on-failure) came back after exit 0"
dockerops start:web,instance=two >/dev/null
before=$(container_field web two '{{.State.StartedAt}}')
docker kill "$T_NAME-web-two" >/dev/null
wait_for "web/two (on-failure) to come back after a kill" runs_again web two "$before"

# restart: no stays down.
docker kill "$T_NAME-web-three" >/dev/null
mark=$(now_rfc3339)
wait_for "a reconcile after web/three died" reconciled_after "$mark"
[[ $(container_field web three '{{.State.Status}}') == exited ]] || fail "web/three (restart: no) came back"

# A stop and a clean are never undone (web/four has no failure behind it: the agent would act at once).
dockerops stop:web,instance=four >/dev/null
wait_for "the stop recorded as the user's intent" has_event \
  'e["action"] == "intent" and e["instance"] == "four" and "stopped" in e["reason"]'
mark=$(now_rfc3339)
wait_for "a reconcile after the stop" reconciled_after "$mark"
[[ $(container_field web four '{{.State.Status}}') == exited ]] || fail "the agent restarted web/four after a stop"
dockerops clean:web,instance=four,force=true >/dev/null
mark=$(now_rfc3339)
wait_for "a reconcile after the clean" reconciled_after "$mark"
[[ -z $(docker ps -aq --filter "label=dockerops.project=$T_NAME" --filter label=dockerops.instance=four) ]] ||
  fail "the agent brought web/four back after a clean"
! has_event 'e["source"] == "agent" and e["instance"] == "four"' || fail "the agent acted on web/four"

stats=$(api GET /api/v1/stats)
python3 - "$stats" <<'PY' || fail "stats: $stats"
import json, sys
s = json.loads(sys.argv[1])
assert s["replacements"] >= 3, s
assert s["failures"] >= 3, s
assert s["relocations"] == 0, s
PY

# events -f showed the agent's actions as they happened.
kill "$EVENTS_PID"
EVENTS_PID=
python3 - "$T_ROOT/events.out" <<'PY' || fail "events -f: $(cat "$T_ROOT/events.out")"
import json, sys
events = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
done = {(e["action"], e["instance"]) for e in events if e["source"] == "agent" and e["outcome"] == "ok"}
assert ("restart", "one") in done and ("replace", "one") in done and ("restart", "two") in done, done
assert not any(e["source"] == "agent" and e["instance"] == "three" for e in events), "acted on web/three"
PY

stop_agent || fail "the agent exited $? on SIGTERM"
[[ ! -e .dockerops/agent.url ]] || fail "agent.url stays after the agent stopped"
has_event 'e["action"] == "agent-stopped"' || fail "no agent-stopped event"
echo PASS
