#!/bin/bash
# The agent tells watchers (run.conf "watches") of member changes no command made: docker kill of a
# watched instance reaches the watcher's hooks as a "change" with REMOVED, without watch:sync, and
# the event log records the agent's watch-sync. A failing hook is retried with back-off until it
# succeeds (core::WatchPacing, docs/decisions.md 32).
source "$(dirname "$0")/runlib.bash"
source "$(dirname "$0")/agentlib.bash"
new_project agent-watch
make_service web
mkdir -p services/watcher/watch.d
cat >services/watcher/Dockerfile <<'DOCKERFILE'
FROM dockerops/base
COPY watch.d/ /etc/dockerops/watch.d/
RUN chmod 0755 /etc/dockerops/watch.d/10-record
DOCKERFILE
cat >services/watcher/watch.d/10-record <<'HOOK'
#!/bin/sh
if [ -e /tmp/fail-hooks ]; then
  echo "refused"
  exit 3
fi
printf '%s|%s|%s\n' "$WATCH_EVENT" "$MEMBERS" "$REMOVED" >>/tmp/watch-calls
HOOK
cat >run.conf <<'CONF'
[
  {"service": "dockerops-dns", "instance": "main"},
  {"service": "web", "instance": "w1"},
  {"service": "web", "instance": "w2"},
  {"service": "watcher", "instance": "main", "watches": ["web"]}
]
CONF
dockerops run:all >/dev/null
w1=$(dockerops getip:web,instance=w1)
w2=$(dockerops getip:web,instance=w2)
calls() { docker exec "$T_NAME-watcher-main" cat /tmp/watch-calls 2>/dev/null || true; }
told() { [[ $(calls | tail -1) == "$1" ]]; }
start_agent

# w1 killed behind dockerops' back (restart: no, so it stays down): the agent tells the watcher.
docker kill "$T_NAME-web-w1" >/dev/null
wait_for "the watcher told that w1 left" told "change|$w2|$w1"
wait_for "the agent's watch-sync event" has_event \
  'e["action"] == "watch-sync" and e["source"] == "agent" and e["outcome"] == "ok"'

# The hook fails: reported, retried with back-off, delivered once it works again.
docker exec "$T_NAME-watcher-main" touch /tmp/fail-hooks
docker kill "$T_NAME-web-w2" >/dev/null
wait_for "the failed delivery in the event log" has_event \
  'e["action"] == "watch-sync" and e["outcome"] == "failed" and "back-off" in e["reason"]'
docker exec "$T_NAME-watcher-main" rm /tmp/fail-hooks
wait_for "the watcher told that w2 left, on a retry" told "retry||$w2"
[[ $(dockerops watch:sync) == *"0 deliveries"* ]] || fail "the agent left a delivery to do"
stop_agent || fail "the agent exited $? on SIGTERM"
echo PASS
