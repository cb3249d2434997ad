#!/bin/bash
# The README quickstart end to end: install_demo, run:all, ssh from two to demo-one, ps shows
# three running instances, the DNS answers for demo-one and demo, clean of one removes its records.
source "$(dirname "$0")/runlib.bash"
new_project demo-qs
cd "$T_ROOT"
rmdir "$T_DIR"
out=$(dockerops install_demo "$T_DIR")
expect_contains "$out" "dockerops run:all" "install_demo prints the quickstart"
[[ -f $T_DIR/run.conf && -x $T_DIR/services/demo/20-hello.sh ]] || fail "install_demo did not copy the demo"
if dockerops install_demo "$T_DIR" 2>err.txt; then fail "install_demo into a non-empty folder succeeded"; fi
expect_contains "$(cat err.txt)" "already exists and is not empty" "install_demo refusal"
cd "$T_DIR"

dockerops run:all
dockerops ssh:demo,instance=two,command="ping -c1 demo-one" || fail "ping demo-one from two failed"

running=$(dockerops ps --json | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["state"]=="running"))')
[[ $running == 3 ]] || fail "ps shows $running running instances, not 3"
dockerops ps | grep -q "demo .*one .*running" || fail "ps table lacks demo one"

dns_ip=$(dockerops getip:dockerops-dns)
one_ip=$(dockerops getip:demo,instance=one)
two_ip=$(dockerops getip:demo,instance=two)
[[ $(dig +short @"$dns_ip" demo-one.local.zone) == "$one_ip" ]] || fail "demo-one.local.zone does not answer $one_ip"
service=$(dig +short @"$dns_ip" demo.local.zone | sort | tr '\n' ' ')
expected=$(printf '%s\n%s\n' "$one_ip" "$two_ip" | sort | tr '\n' ' ')
[[ $service == "$expected" ]] || fail "demo.local.zone answers '$service', expected '$expected'"
dockerops logs:demo,instance=one | grep -q "Hello world" || fail "the demo entrypoint did not run"

dockerops clean:demo,instance=one,force=true
[[ -z $(dig +short @"$dns_ip" demo-one.local.zone) ]] || fail "demo-one.local.zone still answers after clean"
[[ $(dig +short @"$dns_ip" demo.local.zone) == "$two_ip" ]] || fail "demo.local.zone should only hold two"
dockerops clean:all,force=true
[[ -z $(docker ps -aq --filter "label=dockerops.project=$T_NAME") ]] || fail "clean:all left containers"
if docker network inspect "${T_NAME}_net" >/dev/null 2>&1; then fail "clean:all left the network"; fi
echo PASS
