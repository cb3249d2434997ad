# Helpers of the agent integration scripts (sourced after runlib.bash; not a test itself): a
# foreground agent that is stopped on exit, the API with the project's token, bounded waits.

# start_agent [ENV=VALUE...]: `dockerops agent` in the background (log in $T_ROOT/agent.log), then
# waits for its URL. Sets AGENT_PID, AGENT_URL and AGENT_TOKEN.
start_agent() {
  rm -f .dockerops/agent.url
  env "$@" "$DOCKEROPS_BIN" agent --interval 2 --stats-interval 1 >>"$T_ROOT/agent.log" 2>&1 </dev/null &
  AGENT_PID=$!
  wait_for "the agent's URL" test -s .dockerops/agent.url
  AGENT_URL=$(cat .dockerops/agent.url)
  AGENT_TOKEN=$(cat .dockerops/agent.token)
}

# stop_agent: SIGTERM and wait; returns the agent's exit status.
stop_agent() {
  [[ -n ${AGENT_PID:-} ]] || return 0
  local pid=$AGENT_PID status=0
  AGENT_PID=
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" || status=$?
  return $status
}

early_cleanup() {
  [[ -n ${EVENTS_PID:-} ]] && kill "$EVENTS_PID" 2>/dev/null
  [[ -n ${AGENT_PID:-} ]] && kill -KILL "$AGENT_PID" 2>/dev/null
  [[ -n ${PROXY_PID:-} ]] && kill "$PROXY_PID" 2>/dev/null
  return 0
}

extra_cleanup() {
  if [[ ${status:-0} != 0 && -f $T_ROOT/agent.log ]]; then
    echo "--- agent log" >&2
    tail -40 "$T_ROOT/agent.log" >&2
    echo "--- events" >&2
    "$DOCKEROPS_BIN" events 2>&1 | tail -40 >&2 || true
  fi
  return 0
}

# api METHOD PATH [CURL ARGS...]: the body on stdout; fails on a status >= 400.
api() {
  local method=$1 path=$2
  shift 2
  curl --silent --show-error --fail-with-body --max-time 30 -X "$method" \
    -H "Authorization: Bearer $AGENT_TOKEN" "$@" "$AGENT_URL$path"
}

# wait_for WHAT COMMAND...: runs COMMAND every 0.2 s until it succeeds, at most 300 times (a bound,
# not a timing assertion: it only keeps a broken agent from hanging the test).
wait_for() {
  local what=$1
  shift
  for _ in $(seq 300); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  fail "timed out waiting for $what"
}

# container_field SERVICE INSTANCE FORMAT: docker inspect of the instance's container.
container_field() {
  docker inspect -f "$3" "$T_NAME-$1-$2" 2>/dev/null
}

# runs_again SERVICE INSTANCE OLD_STARTED_AT: running, and started after OLD_STARTED_AT.
runs_again() {
  [[ $(container_field "$1" "$2" '{{.State.Status}}') == running &&
    $(container_field "$1" "$2" '{{.State.StartedAt}}') != "$3" ]]
}

# answers NAME IP: the project DNS answers NAME with IP.
answers() {
  [[ $(dig +short +time=1 +tries=1 @"$DNS_IP" "$1") == "$2" ]]
}

# has_event JQ_LIKE_PYTHON_EXPR: an event of the log matches a Python expression over `e`.
has_event() {
  "$DOCKEROPS_BIN" events --json 2>/dev/null | python3 -c '
import json, sys
expr = sys.argv[1]
for line in sys.stdin:
    e = json.loads(line)
    if eval(expr):
        sys.exit(0)
sys.exit(1)' "$1"
}

# reconciled_after TIME: the agent has observed the project since TIME (RFC 3339).
reconciled_after() {
  [[ $(api GET /api/v1/state | python3 -c 'import json,sys; print(json.load(sys.stdin)["observed_at"])') > "$1" ]]
}

now_rfc3339() { date -u +%Y-%m-%dT%H:%M:%S.%3NZ; }

# The autoscale tests' counts: web containers running, addresses of web.local.zone at the project DNS
# ($DNS_IP), and both equal to N.
running() { docker ps -q --filter "label=dockerops.project=$T_NAME" --filter label=dockerops.service=web | wc -l; }
in_dns() { dig +short +time=1 +tries=1 @"$DNS_IP" web.local.zone | wc -l; }
count_is() { [[ $(running) == "$1" && $(in_dns) == "$1" ]]; }

# poll WHAT SECONDS COMMAND...: until COMMAND succeeds, at most SECONDS (a bound, not a timing
# assertion); runs poll_tick between tries when the test defines it.
poll() {
  local what=$1 bound=$2
  shift 2
  for _ in $(seq $((bound * 2))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    [[ $(type -t poll_tick) == function ]] && poll_tick
    sleep 0.5
  done
  fail "timed out ($bound s) waiting for $what"
}
