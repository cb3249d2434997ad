#!/bin/bash
# issue 20 item 6, docs/decisions.md 34: one command at a time per project. While run:all holds
# .dockerops/lock, a second command with --no-wait fails at once naming it, and one without waits,
# says for whom, then does its work; two concurrent builds leave no dangling image. No raw daemon
# error reaches the user.
source "$(dirname "$0")/runlib.bash"
new_project run-lock
make_service web
cat >run.conf <<'CONF'
[
  {"service": "web", "instance": "one", "sleep": 4},
  {"service": "web", "instance": "two"}
]
CONF
dockerops build:web >/dev/null

# Waits until a command holds the lock (its "PID COMMAND" line is in the file).
wait_for_holder() {
  for _ in $(seq 100); do
    [[ -s .dockerops/lock ]] && return 0
    sleep 0.1
  done
  fail "nobody took .dockerops/lock"
}
no_raw_errors() {
  for pattern in "Conflict" "already in use" "already in progress" "Pool overlaps"; do
    ! grep -q "$pattern" "$1" || fail "$2 printed a daemon error ($pattern): $(cat "$1")"
  done
}

"$DOCKEROPS_BIN" run:all >first.txt 2>&1 &
first=$!
wait_for_holder
if dockerops --no-wait run:all >second.txt 2>&1; then fail "run --no-wait did not fail while run:all ran"; fi
expect_contains "$(cat second.txt)" "project $T_NAME is busy: dockerops run:all (pid $first) is changing it" "--no-wait"
dockerops clean:all,force=true >third.txt 2>&1
wait "$first" || fail "the first run failed: $(cat first.txt)"
expect_contains "$(cat third.txt)" "project $T_NAME is busy: waiting for dockerops run:all (pid $first)" "the waiting clean"
[[ -z $(docker ps -aq --filter "label=dockerops.project=$T_NAME") ]] || fail "clean did not remove everything after waiting"
no_raw_errors first.txt "the first run"
no_raw_errors third.txt "the waiting clean"

# Two builds at once: one after the other, and the image the first built is not left dangling.
echo 'RUN echo 2 > /version' >>services/web/Dockerfile
"$DOCKEROPS_BIN" build:web >b1.txt 2>&1 &
b1=$!
wait_for_holder
dockerops build:web >b2.txt 2>&1 || fail "the second build failed: $(cat b2.txt)"
wait "$b1" || fail "the first build failed: $(cat b1.txt)"
dangling=$(docker images -q --filter dangling=true --filter "label=dockerops.project=$T_NAME")
[[ -z $dangling ]] || fail "dangling images after two builds: $dangling"
[[ ! -s .dockerops/lock ]] || fail "the lock file still names a holder: $(cat .dockerops/lock)"
echo PASS
