#!/bin/bash
# issue 16 item 1: "watches". A watcher's hooks (/etc/dockerops/watch.d, as the dockerops user)
# record every call; run, stop, clean and start of the watched instances give the right MEMBERS,
# ADDED and REMOVED, one call per command (coalesced), the same data as JSON on stdin, and a
# ready call when the watcher starts. A failing hook is reported with its exit code and output
# and does not fail the command; the next command calls again (event "retry").
source "$(dirname "$0")/runlib.bash"
new_project run-watch
make_service web
mkdir -p services/watcher/watch.d
cat >services/watcher/Dockerfile <<'DOCKERFILE'
FROM dockerops/base
COPY watch.d/ /etc/dockerops/watch.d/
RUN chmod 0755 /etc/dockerops/watch.d/10-record /etc/dockerops/watch.d/20-fail
DOCKERFILE
cat >services/watcher/watch.d/10-record <<'HOOK'
#!/bin/sh
json=$(cat)
printf '%s|%s|%s|%s|%s|%s|%s\n' "$WATCH_EVENT" "$WATCHED_SERVICE" "$MEMBERS" "$ADDED" "$REMOVED" \
  "$(id -un)" "$json" >>/tmp/watch-calls
HOOK
cat >services/watcher/watch.d/20-fail <<'HOOK'
#!/bin/sh
echo "20-fail ran" >>/tmp/watch-order
if [ -e /tmp/fail-hooks ]; then
  echo "rendering failed: upstream list is broken"
  exit 3
fi
HOOK
echo "not executable: skipped" >services/watcher/watch.d/README
cat >run.conf <<'CONF'
[
  {"service": "dockerops-dns", "instance": "main"},
  {"service": "web", "instance": "w1"},
  {"service": "web", "instance": "w2"},
  {"service": "web", "instance": "w3", "autorun": false},
  {"service": "watcher", "instance": "main", "watches": ["web"]}
]
CONF
dockerops build:web >/dev/null
dockerops build:watcher >/dev/null

calls() { docker exec "$T_NAME-watcher-main" cat /tmp/watch-calls 2>/dev/null || true; }
ncalls() { calls | grep -c . || true; }
last() { calls | tail -1; }
ip() { dockerops getip:web,instance="$1"; }
field() { cut -d'|' -f"$2" <<<"$1"; }

out=$(dockerops --dry-run run:all)
expect_contains "$out" "watch-notify $T_NAME-watcher-main after" "the dry run shows the delivery"
dockerops run:all >out1.txt 2>&1 || fail "run:all: $(cat out1.txt)"
w1=$(ip w1)
w2=$(ip w2)
members=$(printf '%s\n' "$w1" "$w2" | sort -t. -k4,4n | tr '\n' ' ' | sed 's/ $//')
# One call for the whole run: the watcher's ready call, after both web instances (coalesced).
[[ $(ncalls) == 1 ]] || fail "run:all made $(ncalls) calls, not 1: $(calls)"
call=$(last)
[[ $(field "$call" 1) == ready ]] || fail "first call is not the ready call: $call"
[[ $(field "$call" 2) == web ]] || fail "WATCHED_SERVICE: $call"
[[ $(field "$call" 3) == "$members" ]] || fail "MEMBERS is not '$members': $call"
[[ $(field "$call" 4) == "$members" ]] || fail "ADDED on the ready call is every member: $call"
[[ $(field "$call" 6) == dockerops ]] || fail "the hook did not run as dockerops: $call"
expect_contains "$(field "$call" 7)" "\"members\":\[\"${members// /\",\"}\"\]" "the JSON on stdin"
expect_contains "$(field "$call" 7)" '"service":"web"' "the JSON on stdin"
expect_contains "$(cat out1.txt)" "watcher/main: watch hooks ran for web (ready: 2 members, +2 -0)" "run output"
[[ $(docker exec "$T_NAME-watcher-main" cat /tmp/watch-order | wc -l) == 1 ]] || fail "20-fail did not run once"

# A new member: ADDED.
dockerops run:web,instance=w3 >/dev/null
w3=$(ip w3)
[[ $(ncalls) == 2 ]] || fail "run:web,instance=w3: $(ncalls) calls: $(calls)"
call=$(last)
[[ $(field "$call" 1) == change && $(field "$call" 4) == "$w3" && -z $(field "$call" 5) ]] ||
  fail "run of w3: $call"
[[ $(field "$call" 3) == *"$w3"* && $(field "$call" 3) == *"$w1"* ]] || fail "MEMBERS after w3: $call"

# stop of two members: one call with both REMOVED.
dockerops stop:web,instance=w1 >/dev/null
call=$(last)
[[ $(ncalls) == 3 && $(field "$call" 5) == "$w1" && $(field "$call" 4) == "" ]] || fail "stop of w1: $call"
dockerops clean:web,force=true >/dev/null
call=$(last)
[[ $(ncalls) == 4 && -z $(field "$call" 3) ]] || fail "clean:web left members: $call"
removed=$(field "$call" 5)
[[ $removed == *"$w2"* && $removed == *"$w3"* && $removed != *"$w1"* ]] || fail "clean:web REMOVED: $call"

# A failing hook: reported with exit code and output, the command succeeds, 10-record still ran.
docker exec "$T_NAME-watcher-main" touch /tmp/fail-hooks
dockerops run:web,instance=w1 >out2.txt 2>&1 || fail "a failing hook failed the command: $(cat out2.txt)"
expect_contains "$(cat out2.txt)" "watch hook 20-fail for web exited 3" "the report of the failing hook"
expect_contains "$(cat out2.txt)" "rendering failed: upstream list is broken" "the hook's output in the report"
[[ $(ncalls) == 5 ]] || fail "10-record did not run before the failing hook"
# The next command delivers again (nothing changed in web since: a retry).
out=$(dockerops --dry-run run:web,instance=w1)
expect_contains "$out" "watch-notify $T_NAME-watcher-main: web changed: 1 joined, 0 left (after 1 failed attempt)" "retry plan"
docker exec "$T_NAME-watcher-main" rm /tmp/fail-hooks
dockerops run:web,instance=w1 >out3.txt 2>&1
call=$(last)
w1=$(ip w1)
[[ $(field "$call" 1) == retry && $(field "$call" 3) == "$w1" && $(field "$call" 4) == "$w1" ]] ||
  fail "retry call: $call"
out=$(dockerops --dry-run run:web,instance=w1)
[[ $out != *watch-notify* ]] || fail "a delivered state is delivered again: $out"

# The watcher restarts: a ready call with the current members.
dockerops restart:watcher >/dev/null
call=$(last)
[[ $(field "$call" 1) == ready && $(field "$call" 3) == "$w1" ]] || fail "restart of the watcher: $call"

# A change no command made (w1 killed behind dockerops' back): watch:sync delivers it (the agent's path).
n=$(ncalls)
docker kill "$T_NAME-web-w1" >/dev/null
out=$(dockerops --dry-run watch:sync)
expect_contains "$out" "watch-notify $T_NAME-watcher-main: web changed: 0 joined, 1 left" "watch:sync plan"
expect_contains "$(dockerops watch:sync)" "watch:sync: 1 delivery, 0 failed" "watch:sync"
call=$(last)
[[ $(ncalls) == $((n + 1)) && $(field "$call" 5) == "$w1" && -z $(field "$call" 3) ]] || fail "after the kill: $call"
expect_contains "$(dockerops watch:sync)" "watch:sync: 0 deliveries" "a second watch:sync"
echo PASS
