#!/bin/bash
# A second run:all leaves everything alone ("up to date"); a changed env var recreates only that
# instance and says why; a stopped instance is replaced; --dry-run changes nothing.
source "$(dirname "$0")/runlib.bash"
new_project run-idem
make_service web
cat >run.conf <<'CONF'
[
  {"service": "web", "instance": "one", "env_vars": {"GREETING": "hi"}},
  {"service": "web", "instance": "two"}
]
CONF
dockerops run:all
out=$(dockerops run:all)
expect_contains "$out" "web/one: up to date" "second run"
expect_contains "$out" "run: 2 instances: 2 up to date" "second run summary"
sed -i 's/"hi"/"hello"/' run.conf
before=$(docker ps -q --filter "label=dockerops.project=$T_NAME" --filter label=dockerops.instance=two)
plan=$(dockerops --dry-run run:all)
expect_contains "$plan" "recreate $T_NAME-web-one" "dry-run plan"
[[ $(docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$T_NAME-web-one" | grep GREETING) == GREETING=hi ]] ||
  fail "--dry-run changed the container"
out=$(dockerops run:all)
expect_contains "$out" "web/one: recreated and started (configuration changed: env GREETING)" "recreate reason"
expect_contains "$out" "web/two: up to date" "other instance untouched"
[[ $(docker ps -q --filter "label=dockerops.project=$T_NAME" --filter label=dockerops.instance=two) == "$before" ]] ||
  fail "web/two was recreated"
dockerops stop:web,instance=two
dockerops ps | grep -q "two .*exited" || fail "stop did not stop two"
out=$(dockerops run:all)
expect_contains "$out" "web/two: replaced and started (container is exited)" "exited instance replaced"
echo PASS
