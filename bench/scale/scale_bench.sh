#!/bin/bash
# bench/scale: how long scale 1 -> 10 -> 1 takes with the DNS following, and how the agent's
# autoscaler reacts to a bounded CPU load. See bench/scale/README.md for what each figure means.
# Usage (under the shared Docker lock): scale_bench.sh [ROUNDS=3]
set -euo pipefail
ROUNDS=${1:-3}
: "${DOCKEROPS_BIN:?DOCKEROPS_BIN must point at the dockerops binary}"
export DOCKEROPS_EXTRA_LABELS=dockerops.test=1 NO_COLOR=1
ROOT=$(mktemp -d)
NAME="b-scale-$$"
DIR="$ROOT/$NAME"
AGENT_PID=
cleanup() {
  [[ -n $AGENT_PID ]] && kill "$AGENT_PID" 2>/dev/null && { wait "$AGENT_PID" 2>/dev/null || true; }
  docker ps -aq --filter "label=dockerops.project=$NAME" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker network rm "${NAME}_net" >/dev/null 2>&1 || true
  docker images -q --filter "label=dockerops.project=$NAME" | sort -u | xargs -r docker rmi -f >/dev/null 2>&1 || true
  rm -rf "$ROOT"
}
trap cleanup EXIT
d() { "$DOCKEROPS_BIN" "$@"; }
now() { date +%s.%N; }
mkdir -p "$DIR/services/web" && cd "$DIR"
printf 'FROM dockerops/base\n' >services/web/Dockerfile
write_conf() {
  cat >run.conf <<CONF
[
  {"service": "dockerops-dns", "instance": "main"},
  {"service": "web", "instance": "w", "drain": 0, "cpus": 0.5, $1}
]
CONF
}
write_conf '"instances": 1'
d build:web >/dev/null
d run:all >/dev/null
DNS=$(d getip:dockerops-dns)
in_dns() { dig +short +time=1 +tries=1 @"$DNS" web.local.zone | wc -l; }
# until_dns N: polls the DNS until web.local.zone has N addresses (bounded: 600 x 0.1 s).
until_dns() {
  for _ in $(seq 600); do [[ $(in_dns) == "$1" ]] && return 0; sleep 0.1; done
  echo "the DNS never held $1 addresses" >&2
  d events | tail -20 >&2
  exit 1
}
stats() { # NAME VALUES...: median and range
  local name=$1
  shift
  printf '%s\n' "$@" | sort -g | awk -v n="$name" '{v[NR]=$1} END {printf "| %s | %.2f | %.2f-%.2f |\n", n, v[int((NR+1)/2)], v[1], v[NR]}'
}

outs=() ins=()
for r in $(seq "$ROUNDS"); do
  t0=$(now); d scale:web=10 >/dev/null; until_dns 10; t1=$(now)
  d scale:web=1 >/dev/null; until_dns 1; t2=$(now)
  outs+=("$(echo "$t1 - $t0" | bc)") ins+=("$(echo "$t2 - $t1" | bc)")
  echo "round $r: 1 -> 10 ${outs[-1]} s, 10 -> 1 ${ins[-1]} s" >&2
done

# Autoscale: min 1, max 3, cpu target 0.5 of cpus 0.5, stabilisation 30 s; agent sampling every 5 s.
d clean:all,force=true >/dev/null
rm -f .dockerops/scale.json
write_conf '"autoscale": {"min": 1, "max": 3, "metric": "cpu", "target": 0.5, "scale_in_stabilization": 30}'
d run:all >/dev/null
DNS=$(d getip:dockerops-dns)
d agent --stats-interval 5 >"$ROOT/agent.log" 2>&1 </dev/null &
AGENT_PID=$!
for _ in $(seq 100); do [[ -s .dockerops/agent.url ]] && break; sleep 0.1; done
# event_time PYTHON-EXPR [AFTER]: epoch seconds of the first event matching, after AFTER.
# With FIELD: that event's details[FIELD] instead.
event_time() {
  d events --json | python3 -c '
import json, sys, datetime
expr, after, field = sys.argv[1], float(sys.argv[2]), sys.argv[3]
for line in sys.stdin:
    e = json.loads(line)
    t = datetime.datetime.strptime(e["time"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp()
    if t > after and eval(expr):
        print(e["details"][field] if field else t); sys.exit(0)
sys.exit(1)' "$1" "${2:-0}" "${3:-}"
}
decide=() ready=() back=() decisions=()
sleep 12 # two passes: the first CPU figure needs two readings
for r in $(seq "$ROUNDS"); do
  tl=$(now)
  docker exec -d "$NAME-web-w1" sh -c 'echo $$ >/tmp/burn.pid; exec timeout 120 sh -c "while :; do :; done"'
  td=""
  for _ in $(seq 600); do
    td=$(event_time 'e["action"] == "autoscale" and e["outcome"] == "scheduled"' "$tl") && break
    sleep 0.1
  done
  # The count the decision asked for (2 when the formula says so; the figures are in the event).
  until_dns "$(event_time 'e["action"] == "autoscale" and e["outcome"] == "scheduled"' "$tl" desired)"
  tr=$(now)
  docker exec "$NAME-web-w1" sh -c 'kill $(cat /tmp/burn.pid); rm -f /tmp/burn.pid'
  ts=$(now)
  until_dns 1
  for _ in $(seq 1200); do [[ $(docker ps -q --filter "label=dockerops.project=$NAME" --filter label=dockerops.service=web | wc -l) == 1 ]] && break; sleep 0.1; done
  tb=$(now)
  n=$(d events --json | python3 -c '
import json, sys, datetime
after = float(sys.argv[1])
print(sum(1 for l in sys.stdin for e in [json.loads(l)]
          if e["action"] == "autoscale" and e["outcome"] == "scheduled"
          and datetime.datetime.strptime(e["time"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp() > after))' "$tl")
  decide+=("$(echo "($td - $tl) / 5" | bc -l)") ready+=("$(echo "$tr - $td" | bc)") back+=("$(echo "$tb - $ts" | bc)") decisions+=("$n")
  echo "round $r: decision after ${decide[-1]} periods, in DNS ${ready[-1]} s later, back to 1 in ${back[-1]} s, $n decisions" >&2
  sleep 12
done

echo "| figure ($ROUNDS rounds) | median | range |"
echo "|---|---|---|"
stats "scale:web=10 from 1, until web.local.zone holds 10 addresses (s)" "${outs[@]}"
stats "scale:web=1 from 10 (drain 0), until web.local.zone holds 1 address (s)" "${ins[@]}"
stats "load started -> first scale-out decision (sampling periods of 5 s)" "${decide[@]}"
stats "decision -> the new instance ready and in the DNS (s)" "${ready[@]}"
stats "load removed -> back to min 1 (s; stabilisation window 30 s)" "${back[@]}"
stats "scale decisions per round (1 out + 1 in = no flapping)" "${decisions[@]}"
