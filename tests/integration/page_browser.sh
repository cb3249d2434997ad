#!/bin/bash
# The agent's status page in Debian's Chromium (tests/browser/page.test.mjs, playwright-core):
# the demo project with demo/two at restart: always, `dockerops agent` in the background, then
# the browser tests against it. Screenshots of failures stay in $BROWSER_ARTIFACTS.
# Everything this script starts is stopped on any exit: the agent gets SIGTERM from the trap,
# and the agent and node (which then closes the browser) get SIGTERM from the kernel if this
# shell dies without running it (setpriv --pdeathsig); the browser's profile lives under
# $T_ROOT, and no process naming $T_ROOT may outlive the test.
source "$(dirname "$0")/runlib.bash"
: "${BROWSER_MODULES:?BROWSER_MODULES must name the folder where npm ci installed tests/browser}"
for need in "${CHROMIUM:-/usr/bin/chromium}" node; do
  if ! command -v "$need" >/dev/null; then
    [[ -n ${CI:-} ]] && fail "$need is not installed (install.sh installs it)"
    echo "SKIP: no $need" >&2
    exit 77
  fi
done
if [[ ! -d $BROWSER_MODULES/playwright-core ]]; then
  # fixture.browser_modules installs it; it skips only without npm and outside CI.
  [[ -n ${CI:-} ]] && fail "playwright-core is not in $BROWSER_MODULES (fixture.browser_modules installs it)"
  echo "SKIP: playwright-core is not in $BROWSER_MODULES (no npm?)" >&2
  exit 77
fi

new_project page
cd "$T_ROOT"
rmdir "$T_DIR"
dockerops install_demo "$T_DIR" >/dev/null
cd "$T_DIR"
# demo/two restarts always (the kill test); demo/one has a secret (the detail must mask it).
export SECRET_VALUE=page-secret-$$
python3 - <<'PY'
import os
text = open("run.conf").read()
text = text.replace('"instance": "two",', '"instance": "two",\n    "restart": "always",', 1)
text = text.replace('"GREETING": "hello from one"', '"GREETING": "hello from one", "DB_PASSWORD": "%s"' % os.environ["SECRET_VALUE"], 1)
open("run.conf", "w").write(text)
PY
grep -q '"restart": "always"' run.conf || fail "could not give demo/two restart: always"
grep -q "\"DB_PASSWORD\": \"$SECRET_VALUE\"" run.conf || fail "could not give demo/one a secret"
dockerops run:all >/dev/null

agent_pid=
# Stops the agent (and waits for it), then kills whatever still names $T_ROOT (a browser a
# crashed test left behind). Never fails: it runs from the EXIT trap.
stop_all() {
  if [[ -n $agent_pid ]]; then
    kill -TERM "$agent_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$agent_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$agent_pid" 2>/dev/null || true
    wait "$agent_pid" 2>/dev/null || true
  fi
  agent_pid=
  local pids
  pids=$(pgrep -f -- "$T_ROOT" | grep -v -x -e "$$" -e "$BASHPID" || true)
  [[ -n $pids ]] && kill -KILL $pids 2>/dev/null
  return 0
}
# The agent stops before the containers go, or it would bring them back. set +e: under errexit,
# `(exit $status)` of a failed test would end the trap before cleanup could run.
trap 'status=$?; set +e; stop_all; (exit $status); cleanup' EXIT
trap 'exit 143' TERM INT HUP
# The binary itself, not the dockerops() function: $! must be the agent, not a subshell.
setpriv --pdeathsig TERM "$DOCKEROPS_BIN" agent >agent.out 2>&1 </dev/null &
agent_pid=$!
for _ in $(seq 1 100); do
  grep -q "status page at" agent.out 2>/dev/null && break
  kill -0 "$agent_pid" 2>/dev/null || fail "the agent exited: $(cat agent.out)"
  sleep 0.1
done
link=$(sed -n 's/^agent: status page at //p' agent.out)
[[ $link == http://127.0.0.1:*/#token=* ]] || fail "dockerops agent printed no page link: $(cat agent.out)"
[[ $link != *\?* ]] || fail "the token travels in a query string: $link"
url=${link%%/#token=*}
token=${link#*#token=}
[[ $token == "$(cat .dockerops/agent.token)" ]] || fail "the link's token is not the project's"

# The page itself: served without the token, with a policy that keeps the browser on this host.
headers=$(curl -s -D - -o page.html "$url/")
expect_contains "$headers" "HTTP/1.1 200" "GET /"
expect_contains "$headers" "Content-Security-Policy: default-src 'none'" "the page's policy"
grep -q '<script type="module" src="assets/app.js">' page.html || fail "GET / is not the page"
expect_contains "$headers" "Cache-Control: no-cache" "the page is revalidated"
etag=$(sed -n 's/^ETag: //p' <<<"$headers" | tr -d '\r')
[[ -n $etag ]] || fail "GET / has no ETag"
[[ $(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$url/") == 304 ]] || fail "the same ETag is not a 304"
[[ $(curl -s -o /dev/null -w '%{http_code}' "$url/api/v1/state") == 401 ]] || fail "the API answers without a token"
[[ $(curl -s -o /dev/null -w '%{http_code}' "$url/assets/nothing.js") == 404 ]] || fail "an unknown asset is not a 404"
[[ $(curl -s -o /dev/null -w "%{http_code}" "$url/package.json") != 200 ]] || fail "web/package.json is served"

artifacts=${BROWSER_ARTIFACTS:-$T_ROOT/artifacts}
rm -rf "$artifacts"
mkdir -p "$artifacts"
TMPDIR=$T_ROOT AGENT_URL=$url AGENT_TOKEN=$token ARTIFACTS=$artifacts \
  setpriv --pdeathsig TERM node --test --test-reporter=spec "$DOCKEROPS_SOURCE_DIR/tests/browser/page.test.mjs" ||
  fail "browser tests failed; screenshots in $artifacts; agent output: $(tail -20 agent.out)"

# The cleanup's own check: the agent stops on SIGTERM and nothing of this test outlives it.
pid=$agent_pid
stop_all
! kill -0 "$pid" 2>/dev/null || fail "the agent ($pid) outlived stop_all"
! pgrep -f -- "$T_ROOT" | grep -v -x -e "$$" -e "$BASHPID" >/dev/null || fail "processes naming $T_ROOT outlived the test"
echo PASS
