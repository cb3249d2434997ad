#!/bin/bash
# Links resolve for the linking instance only, also when the target has been running since an
# earlier run (it is not recreated), and two instances may use one alias for different targets.
source "$(dirname "$0")/runlib.bash"
new_project run-links
make_service web
echo '[{"service": "web", "instance": "a"}]' >run.conf
dockerops build:web >/dev/null
dockerops -q run:all
a_id=$(docker ps -q --filter "label=dockerops.project=$T_NAME" --filter "label=dockerops.instance=a")

# b links to the running a, c uses the same alias for b.
cat >run.conf <<'CONF'
[
  {"service": "web", "instance": "a"},
  {"service": "web", "instance": "b", "links": ["web-a:first"]},
  {"service": "web", "instance": "c", "links": ["web-b:first"]}
]
CONF
out=$(dockerops run:all)
expect_contains "$out" "web/a: up to date" "second run"
expect_contains "$out" "run: 3 instances: 2 created, 1 up to date" "second run"
[[ $(docker ps -q --filter "label=dockerops.project=$T_NAME" --filter "label=dockerops.instance=a") == "$a_id" ]] ||
  fail "a was recreated: $out"

a_ip=$(dockerops getip:web,instance=a)
b_ip=$(dockerops getip:web,instance=b)
[[ -n $a_ip && -n $b_ip && $a_ip != "$b_ip" ]] || fail "getip: a=$a_ip b=$b_ip"

resolve() { # INSTANCE NAME: the address NAME has inside INSTANCE, empty when it does not resolve
  dockerops shell:web,instance="$1" -- getent hosts "$2" | awk '{print $1}' || true
}
[[ $(resolve b first) == "$a_ip" ]] || fail "in b, first is '$(resolve b first)', not a ($a_ip)"
[[ $(resolve c first) == "$b_ip" ]] || fail "in c, first is '$(resolve c first)', not b ($b_ip)"
[[ -z $(resolve a first) ]] || fail "in a (no link), first resolves to $(resolve a first)"
env_b=$(dockerops shell:web,instance=b -- printenv FIRST_SERVICE_IP)
[[ $env_b == "$a_ip" ]] || fail "FIRST_SERVICE_IP in b is '$env_b', not $a_ip"

# A third run changes nothing.
out=$(dockerops run:all)
expect_contains "$out" "run: 3 instances: 3 up to date" "third run"
echo PASS
