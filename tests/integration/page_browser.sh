#!/bin/bash
# The agent's status page in Debian's Chromium (tests/browser/page.test.mjs, playwright-core):
# the demo project with demo/two at restart: always, `dockerops agent` in the background, then
# the browser tests against it. Screenshots of failures stay in $BROWSER_ARTIFACTS.
source "$(dirname "$0")/runlib.bash"
: "${BROWSER_MODULES:?BROWSER_MODULES must name the folder where npm ci installed tests/browser}"
if [[ ! -x ${CHROMIUM:-/usr/bin/chromium} ]]; then
  [[ -n ${CI:-} ]] && fail "chromium is not installed (install.sh installs it)"
  echo "SKIP: no chromium" >&2
  exit 77
fi
new_project page
cd "$T_ROOT"
rmdir "$T_DIR"
dockerops install_demo "$T_DIR" >/dev/null
cd "$T_DIR"
python3 - <<'PY'
import re
text = open("run.conf").read()
text = text.replace('"instance": "two",', '"instance": "two",\n    "restart": "always",', 1)
open("run.conf", "w").write(text)
PY
grep -q '"restart": "always"' run.conf || fail "could not give demo/two restart: always"
dockerops run:all >/dev/null

agent_pid=
stop_agent() {
  if [[ -n $agent_pid ]]; then kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null; fi
  agent_pid=
  return 0
}
# The agent stops before the containers go, or it would bring them back.
trap 'status=$?; stop_agent; (exit $status); cleanup' EXIT
dockerops agent >agent.out 2>&1 </dev/null &
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

artifacts=${BROWSER_ARTIFACTS:-$T_ROOT/artifacts}
rm -rf "$artifacts"
mkdir -p "$artifacts"
AGENT_URL=$url AGENT_TOKEN=$token ARTIFACTS=$artifacts \
  node --test --test-reporter=spec "$DOCKEROPS_SOURCE_DIR/tests/browser/page.test.mjs" ||
  fail "browser tests failed; screenshots in $artifacts; agent output: $(tail -20 agent.out)"
echo PASS
