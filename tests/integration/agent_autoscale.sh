#!/bin/bash
# issue 15 item 4: the agent autoscales web/w (cpus 0.5, min 1, max 3, cpu target 0.5) on a bounded
# CPU load: a busy loop (at most 120 s) in each instance makes it scale out to max 3, each new
# instance in the DNS; at max, the decision is held (an event says so); the load stopped, it scales
# back to min after the stabilisation window in one step, highest numbers first, out of the DNS,
# without flapping. The API shows the state and scales through the same core; a count outside
# min..max is a 400. Bounded polls only: no timing is asserted (bench/scale measures it).
source "$(dirname "$0")/runlib.bash"
source "$(dirname "$0")/agentlib.bash"
new_project agent-as
make_service web
cat >run.conf <<'CONF'
[
  {"service": "dockerops-dns", "instance": "main"},
  {"service": "web", "instance": "w", "cpus": 0.5, "drain": 1,
   "autoscale": {"min": 1, "max": 3, "metric": "cpu", "target": 0.5,
                 "scale_out_cooldown": 2, "scale_in_stabilization": 10}}
]
CONF
dockerops build:web >/dev/null
dockerops run:all >/dev/null
DNS_IP=$(dockerops getip:dockerops-dns)
[[ $(running) == 1 && $(in_dns) == 1 ]] || fail "run:all did not start min 1 instance"
start_agent
state=$(api GET /api/v1/autoscale)
python3 - "$state" <<'PY' || fail "autoscale state: $state"
import json, sys
e = json.loads(sys.argv[1])["entries"][0]
assert (e["service"], e["instance_prefix"], e["min"], e["max"], e["metric"], e["current"]) == ("web", "w", 1, 3, "cpu", 1), e
PY

# The load: a busy loop in each web instance, bounded by timeout, its pid kept to stop it.
load_start() {
  local c
  for c in $(docker ps --format '{{.Names}}' --filter "label=dockerops.project=$T_NAME" --filter label=dockerops.service=web); do
    docker exec "$c" test -e /tmp/burn.pid 2>/dev/null && continue
    docker exec -d "$c" sh -c 'echo $$ >/tmp/burn.pid; exec timeout 120 sh -c "while :; do :; done"'
  done
}
load_stop() {
  local c
  for c in $(docker ps --format '{{.Names}}' --filter "label=dockerops.project=$T_NAME" --filter label=dockerops.service=web); do
    docker exec "$c" sh -c 'test -e /tmp/burn.pid && kill $(cat /tmp/burn.pid); rm -f /tmp/burn.pid' 2>/dev/null || true
  done
}
# Between polls, new instances get the load too while it is on.
LOADING=
poll_tick() { [[ -z $LOADING ]] || load_start; }

LOADING=yes
load_start
poll "the scale-out to max 3 with the DNS following" 180 count_is 3
poll "a decision held by max" 60 has_event 'e["action"] == "autoscale" and e["outcome"] == "suppressed" and e["details"].get("held_by") == "max"'
has_event 'e["action"] == "autoscale" and e["outcome"] == "scheduled" and e["details"]["verdict"] == "scale-out" and e["details"]["value"] > 0.5' ||
  fail "no scale-out event with the figures"
has_event 'e["action"] == "autoscale" and e["outcome"] == "ok"' || fail "no event for a finished scale"
for n in 1 2 3; do
  [[ -n $(dig +short @"$DNS_IP" "web-w$n.local.zone") ]] || fail "web-w$n.local.zone is not in the DNS"
done

LOADING=
load_stop
poll "the scale-in back to min 1" 180 count_is 1
[[ -n $(docker ps -q --filter "name=^$T_NAME-web-w1\$") ]] || fail "web/w1 went: the highest numbers go first"
[[ -z $(dig +short @"$DNS_IP" web-w3.local.zone) ]] || fail "web-w3.local.zone stayed"
# No flapping: once it scaled in, it never scaled out again; the way down (3 -> 1, or 3 -> 2 -> 1 when
# the load's last samples straddle the window) takes at most two decisions.
verdicts=$("$DOCKEROPS_BIN" events --json | python3 -c '
import json, sys
print(" ".join(e["details"]["verdict"] for l in sys.stdin for e in [json.loads(l)]
               if e["action"] == "autoscale" and e["outcome"] == "scheduled"))')
[[ $verdicts =~ ^(scale-out )+scale-in( scale-in)?$ ]] || fail "scale decisions: $verdicts (wanted scale-outs, then one or two scale-ins)"
[[ $(python3 -c 'import json; print(json.load(open(".dockerops/scale.json"))["web/w"]["instances"])' 2>/dev/null || echo 1) == 1 ]] ||
  fail "scale.json: $(cat .dockerops/scale.json)"
settled() {
  api GET /api/v1/autoscale | python3 -c '
import json, sys
e = json.load(sys.stdin)["entries"][0]
assert e["current"] == 1 and e["last_decision"]["verdict"] in ("hold", "suppressed"), e
assert any(h.get("verdict") == "scale-in" for h in e["history"]), e["history"]'
}
poll "the autoscale state at 1 with the scale-in in its history" 60 settled

# The API scales through the core; outside min..max it is refused. A count set by hand restarts the
# scale-in window: the idle metric takes it back to min only after the window, not at once.
out=$(api POST /api/v1/services/web/scale -H 'Content-Type: application/json' -d '{"instances": 2}')
[[ $(python3 -c 'import json,sys; e=json.loads(sys.argv[1]); print(e["outcome"], e["instances"])' "$out") == "ok 2" ]] ||
  fail "POST scale: $out"
[[ $(running) == 2 && $(in_dns) == 2 ]] || fail "the API's scale to 2: $(running) running, $(in_dns) in the DNS"
status=$(curl -s -o body.txt -w '%{http_code}' -X POST -H "Authorization: Bearer $AGENT_TOKEN" \
  -H 'Content-Type: application/json' -d '{"instances": 5}' "$AGENT_URL/api/v1/services/web/scale")
[[ $status == 400 ]] && grep -q 'between min 1 and max 3' body.txt || fail "a scale to 5: $status $(cat body.txt)"
poll "the hand-set count held by the window" 30 has_event '"the count was set by hand" in e["reason"]'
poll "the hand-set count taken back to min 1 after the window" 90 count_is 1
stop_agent || fail "the agent exited $? on SIGTERM"
echo PASS
