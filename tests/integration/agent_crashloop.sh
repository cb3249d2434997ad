#!/bin/bash
# An instance in a crash loop: every start after the first fails in its entrypoint. The agent
# restarts it with growing delays and says so in the event log (backoff events naming the
# failures in a row), stays responsive meanwhile, and a stop ends the loop.
source "$(dirname "$0")/runlib.bash"
source "$(dirname "$0")/agentlib.bash"
new_project agent-crash
mkdir -p services/crash
cat >services/crash/Dockerfile <<'DOCKERFILE'
FROM dockerops/base
COPY 20-once.sh /entrypoints/20-once.sh
RUN chmod 0755 /entrypoints/20-once.sh
DOCKERFILE
# The first start is fine; every later start of the same container fails (exit 3).
printf '#!/bin/bash\nif [[ -e /var/tmp/started ]]; then echo "crash: started before"; exit 3; fi\ntouch /var/tmp/started\n' \
  >services/crash/20-once.sh
cat >run.conf <<'CONF'
[{"service": "crash", "instance": "one", "restart": "always"}]
CONF
dockerops run:all >/dev/null
start_agent
docker kill "$T_NAME-crash-one" >/dev/null

# Failure 1 is restarted at once, 2 after 1 s, 3 after 2 s: backoff events say so.
wait_for "the third failure in a row" has_event \
  'e["action"] == "backoff" and e["instance"] == "one" and "failure 3 in a row: next attempt in 2 s" in e["reason"]'
has_event 'e["action"] == "backoff" and "failure 2 in a row: next attempt in 1 s" in e["reason"]' ||
  fail "no backoff event for the second failure"
# Responsive while looping: the API answers, and shows the back-off.
state=$(api GET /api/v1/state)
python3 - "$state" <<'PY' || fail "state during the crash loop: $state"
import json, sys
s = json.loads(sys.argv[1])
one = s["services"][0]["instances"][0]
assert one["restart"] == "always" and one["restarts"] >= 2, one
PY
api GET /api/v1/stats >/dev/null

# A stop ends the loop: no restart after it.
dockerops stop:crash,instance=one >/dev/null 2>&1 || true
wait_for "the stop recorded" has_event 'e["action"] == "intent" and "stopped" in e["reason"]'
mark=$(now_rfc3339)
wait_for "a reconcile after the stop" reconciled_after "$mark"
count=$("$DOCKEROPS_BIN" events --json | python3 -c '
import json, sys
print(sum(1 for l in sys.stdin if (lambda e: e["source"] == "agent" and e["action"] == "restart" and e["outcome"] == "ok")(json.loads(l))))')
sleep 5 # longer than the delays so far: a restart that the stop did not cancel would show up
mark=$(now_rfc3339)
wait_for "another reconcile" reconciled_after "$mark"
again=$("$DOCKEROPS_BIN" events --json | python3 -c '
import json, sys
print(sum(1 for l in sys.stdin if (lambda e: e["source"] == "agent" and e["action"] == "restart" and e["outcome"] == "ok")(json.loads(l))))')
[[ $again == "$count" ]] || fail "the agent restarted the instance after the stop ($count, then $again restarts)"
[[ $(container_field crash one '{{.State.Status}}') == exited ]] || fail "crash/one runs after the stop"
stop_agent || fail "the agent exited $? on SIGTERM"
echo PASS
