#!/bin/bash
# issue 20 item 5: registration is part of the desired state. A run killed between an instance's
# start and its registration (DOCKEROPS_FAIL_AFTER_OPS, docs/decisions.md 25) leaves it out of the
# zone; the next run:all sees that in the zone and registers it. A clean while the DNS is down says
# the records stay, and the next run:all removes them.
source "$(dirname "$0")/runlib.bash"
new_project run-dnsdes
make_service web
cat >run.conf <<'CONF'
[
  {"service": "dockerops-dns", "instance": "main"},
  {"service": "web", "instance": "one"},
  {"service": "web", "instance": "two"}
]
CONF
dockerops build:web >/dev/null
# --jobs 1: one operation at a time. Engine writes: network, DNS create + start, web-one create +
# start + registration, web-two create + start: the 8th ends the run before web-two's registration.
set +e
DOCKEROPS_FAIL_AFTER_OPS=8 "$DOCKEROPS_BIN" --jobs 1 run:all >out1.txt 2>&1
status=$?
set -e
[[ $status == 137 ]] || fail "the fault-injected run exited $status, not 137: $(cat out1.txt)"
dns=$(dockerops getip:dockerops-dns)
two=$(dockerops getip:web,instance=two)
[[ -n $two ]] || fail "web-two did not start before the fault: $(cat out1.txt)"
[[ -z $(dig +short @"$dns" web-two.local.zone) ]] || fail "web-two is registered already: the fault came too late"

out=$(dockerops --dry-run run:all)
expect_contains "$out" "dns-register $T_NAME-web-two APPEND after #3: records missing in the zone" "the plan"
dockerops run:all >out2.txt 2>&1
[[ $(dig +short @"$dns" web-two.local.zone) == "$two" ]] || fail "web-two not registered by the next run: $(cat out2.txt)"
[[ $(dig +short @"$dns" web.local.zone | wc -l) == 2 ]] || fail "web.local.zone should hold both instances"
out=$(dockerops run:all)
expect_contains "$out" "run: 3 instances: 3 up to date" "a run with nothing to do"

# The DNS is down while web-two is cleaned: its records stay, and the command says so.
docker stop "$T_NAME-dockerops-dns-main" >/dev/null
dockerops clean:web,instance=two,force=true >out3.txt 2>&1
expect_contains "$(cat out3.txt)" "the records of 1 instance stay in its zone; run or dns:sync will remove them" "clean"
docker start "$T_NAME-dockerops-dns-main" >/dev/null
for _ in $(seq 100); do
  [[ -n $(dig +short +time=1 +tries=1 @"$dns" dns.local.zone) ]] && break
  sleep 0.1
done
out=$(dockerops --dry-run run:web,instance=one)
expect_contains "$out" "dns-sync local.zone after #1: stale records: web-two.local.zone." "the plan after the outage"
dockerops run:web,instance=one >/dev/null
[[ -z $(dig +short @"$dns" web-two.local.zone) ]] || fail "web-two's records stayed after run"
echo PASS
