#!/bin/bash
# The management commands on a small running project with a DNS: ps (filters, --json, --all),
# getip, info (masked secrets), logs (multiplexed), shell and ssh (exit codes), stop/start
# (DNS records follow), rerun (keeps its conf), dns:sync, clean without a terminal, --dry-run.
source "$(dirname "$0")/runlib.bash"
new_project cli-cmds
make_service web
make_service worker
cat >run.conf <<'CONF'
[
  {"service": "dockerops-dns", "instance": "main"},
  {"service": "web", "instance": "one", "env_vars": {"API_TOKEN": "s3cret", "COLOR": "blue"}},
  {"service": "web", "instance": "two"},
  {"service": "worker", "instance": "one"}
]
CONF
cp run.conf alt.conf
sed -i 's/"blue"/"green"/' alt.conf
dockerops run:all >/dev/null

# ps: table, prefix filter, JSON, every project.
table=$(dockerops ps)
[[ $(grep -c running <<<"$table") == 4 ]] || fail "ps should list 4 running instances: $table"
[[ $(dockerops ps:wor* | grep -c running) == 1 ]] || fail "ps:wor* should list the worker only"
dockerops ps --all | head -1 | grep -q '^PROJECT' || fail "ps --all has no PROJECT column"
[[ $(dockerops ps --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') == 4 ]] || fail "ps --json"
[[ $table != *$'\e['* ]] || fail "ps printed colours to a pipe"

# getip honours the instance.
ip_one=$(dockerops getip:web,instance=one)
[[ $ip_one =~ ^172\. ]] || fail "getip:web,instance=one printed '$ip_one'"
[[ $(dockerops getip:web --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') == 2 ]] || fail "getip --json"

# info masks secrets.
info=$(dockerops info:web,instance=one)
expect_contains "$info" "API_TOKEN=\*\*\*\*\*\*\*\*" "info masks API_TOKEN"
expect_contains "$info" "COLOR=blue" "info shows COLOR"
[[ $info != *s3cret* ]] || fail "info shows the secret"
expect_contains "$info" "mount .*/run/dockerops/authorized_keys:ro" "info shows the mounted SSH key"
expect_contains "$info" "label     dockerops.instance=one" "info shows the container's labels"
[[ $info != *dockerops.context-hash* ]] || fail "info shows labels the image passed on: $info"

# logs: one instance raw, several with prefixes.
dockerops logs:web,instance=two | grep -q '^hello from web-two' || fail "logs of one instance"
logs=$(dockerops logs:web)
expect_contains "$logs" "web-one | hello from web-one" "multiplexed logs"
expect_contains "$logs" "web-two | hello from web-two" "multiplexed logs"

# shell and ssh pass exit codes and see the container environment.
set +e
dockerops shell:web,instance=one,command='test "$COLOR" = blue && exit 7'
shell_status=$?
dockerops ssh:web,instance=one -- sh -c 'exit 9'
ssh_status=$?
set -e
[[ $shell_status == 7 ]] || fail "shell exit code $shell_status, not 7"
[[ $ssh_status == 9 ]] || fail "ssh exit code $ssh_status, not 9"
[[ $(dockerops ssh:web,instance=one,command='echo $COLOR') == blue ]] || fail "ssh login shell lacks the env"

# stop and start: the DNS records follow.
dns=$(dockerops getip:dockerops-dns)
[[ $(dig +short @"$dns" web-two.local.zone) != "" ]] || fail "web-two not registered"
dockerops stop:web,instance=two
[[ -z $(dig +short @"$dns" web-two.local.zone) ]] || fail "stop did not deregister web-two"
[[ $(dig +short @"$dns" web.local.zone) == "$ip_one" ]] || fail "web.local.zone should only hold one after the stop"
dockerops start:web,instance=two
[[ -n $(dig +short @"$dns" web-two.local.zone) ]] || fail "start did not register web-two"
# restart: the same container (same ID), started again, its records back.
id_before=$(docker inspect --format '{{.Id}}' "$T_NAME-web-one")
started_before=$(docker inspect --format '{{.State.StartedAt}}' "$T_NAME-web-one")
out=$(dockerops restart:web,instance=one)
expect_contains "$out" "web/one" "restart output"
[[ $(docker inspect --format '{{.Id}}' "$T_NAME-web-one") == "$id_before" ]] || fail "restart made a new container"
[[ $(docker inspect --format '{{.State.Running}} {{.State.StartedAt}}' "$T_NAME-web-one") != "true $started_before" ]] ||
  fail "restart did not start web-one again"
[[ $(docker inspect --format '{{.State.Running}}' "$T_NAME-web-one") == true ]] || fail "web-one not running after restart"
ip_one=$(dockerops getip:web,instance=one)
[[ $(dig +short @"$dns" web-one.local.zone) == "$ip_one" ]] || fail "restart did not register web-one again"

# dns:sync restores records lost by a DNS restart (zone state lives in the container).
docker exec "$T_NAME-dockerops-dns-main" supervisorctl restart dnsd >/dev/null 2>&1 || true
out=$(dockerops dns:sync)
expect_contains "$out" "3 running instances registered" "dns:sync"
[[ $(dig +short @"$dns" worker-one.local.zone) != "" ]] || fail "worker-one missing after dns:sync"
[[ $(dig +short @"$dns" -x "$ip_one") == web-one.local.zone. ]] || fail "web-one's PTR missing after dns:sync"
# ... and removes PTRs nobody deregistered (an instance gone while the DNS was down).
reverse=$(awk -F. '{print $3"."$2"."$1".in-addr.arpa"}' <<<"$ip_one")
printf 'server %s\nzone %s\nupdate add 250.%s 60 PTR ghost.local.zone.\nsend\n' "$dns" "$reverse" "$reverse" |
  nsupdate -k .dockerops/dns.key || fail "nsupdate with the project key failed"
[[ $(dig +short @"$dns" PTR "250.$reverse") == ghost.local.zone. ]] || fail "the stale PTR was not added"
dockerops dns:sync >/dev/null
[[ -z $(dig +short @"$dns" PTR "250.$reverse") ]] || fail "dns:sync kept a stale PTR"
[[ $(dig +short @"$dns" -x "$ip_one") == web-one.local.zone. ]] || fail "dns:sync removed web-one's PTR"
# dns:show prints the zones as the DNS holds them (a signed AXFR), the PTRs too.
zones=$(dockerops dns:show)
grep -Eq "^web-one\.local\.zone\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+$ip_one\$" <<<"$zones" ||
  fail "dns:show lacks web-one's A record: $zones"
grep -Eq "IN[[:space:]]+PTR[[:space:]]+web-one\.local\.zone\.\$" <<<"$zones" || fail "dns:show lacks web-one's PTR: $zones"
grep -Eq "^dns\.local\.zone\.[[:space:]].*IN[[:space:]]+A[[:space:]]+$dns\$" <<<"$zones" || fail "dns:show lacks dns.local.zone: $zones"
[[ $(dig +short @"$dns" -x "$dns") == dns.local.zone. ]] || fail "dns:sync removed the DNS's own PTR"

# rerun keeps the conf the instance was started with.
dockerops run:web,instance=one,conf=alt >/dev/null
[[ $(docker inspect -f '{{index .Config.Labels "dockerops.conf"}}' "$T_NAME-web-one") == alt.conf ]] || fail "conf label"
out=$(dockerops rerun:web,instance=one)
expect_contains "$out" "web/one: recreated and started (rerun requested)" "rerun"
docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$T_NAME-web-one" | grep -q '^COLOR=green$' ||
  fail "rerun lost the alt conf"

# --dry-run changes nothing; clean without a terminal refuses without force.
dockerops --dry-run clean:all >plan.txt
grep -q "remove $T_NAME-web-two" plan.txt || fail "dry-run clean plan: $(cat plan.txt)"
set +e
dockerops clean:all </dev/null >out.txt 2>err.txt
status=$?
set -e
[[ $status != 0 ]] || fail "clean without a terminal and without force succeeded"
grep -q "clean: 4 containers would be removed; add force=true to do it without a terminal" err.txt ||
  fail "clean refusal message: $(cat err.txt)"
[[ $(docker ps -q --filter "label=dockerops.project=$T_NAME" | wc -l) == 4 ]] || fail "the refused clean removed something"

# An interactive debug instance: attached, exit code passed, removed on exit.
set +e
echo 'exit 5' | dockerops run:web,instance=dbg,instance_type=debug >/dev/null 2>&1
status=$?
set -e
[[ $status == 5 ]] || fail "interactive run exit code $status, not 5"
[[ -z $(docker ps -aq --filter "label=dockerops.project=$T_NAME" --filter label=dockerops.instance=dbg) ]] ||
  fail "the interactive container was not removed"

dockerops clean:all,force=true >/dev/null
[[ -z $(docker ps -aq --filter "label=dockerops.project=$T_NAME") ]] || fail "clean:all,force=true left containers"

# ps with nothing to list says why on stderr: no instances, or a folder that is no project.
out=$(dockerops ps 2>&1 >/dev/null)
expect_contains "$out" "project $T_NAME has no instances; start them with dockerops run:all" "empty ps"
mkdir -p "$T_ROOT/elsewhere"
out=$(cd "$T_ROOT/elsewhere" && dockerops ps 2>&1 >/dev/null)
expect_contains "$out" "has no services/ folder nor run.conf: is it a dockerops project" "ps outside a project"
echo PASS
