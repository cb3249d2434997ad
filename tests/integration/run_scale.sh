#!/bin/bash
# issue 15 items 2 and 5: "instances": 3 gives web/w1..w3; scale:web=5 adds w4 and w5 and the DNS
# follows; scale:web=2 removes w5, w4 and w3 (the highest numbers first), each out of the DNS before
# it stops, then drains (item 3: out of the DNS while still running, then stopped); run:all afterwards
# keeps 2 (the runtime count in .dockerops/scale.json); an instance linking to web by any instance
# keeps its link and address through all of it; clean of one instance with graceful=true drains too.
source "$(dirname "$0")/runlib.bash"
new_project run-scale
make_service web
make_service app
cat >run.conf <<'CONF'
[
  {"service": "dockerops-dns", "instance": "main"},
  {"service": "web", "instance": "w", "instances": 3, "drain": 3},
  {"service": "app", "instance": "one",
   "links": [{"name": "backend", "service": "web", "instance": null}]}
]
CONF
dockerops build:web >/dev/null
dockerops build:app >/dev/null
dockerops run:all >/dev/null
dns=$(dockerops getip:dockerops-dns)

# members N: web.local.zone holds exactly the addresses of web/w1..wN, and each has its own name.
members() {
  local want=() n
  for n in $(seq "$1"); do
    local ip
    ip=$(docker inspect -f "{{(index .NetworkSettings.Networks \"${T_NAME}_net\").IPAddress}}" "$T_NAME-web-w$n")
    [[ $(dig +short @"$dns" "web-w$n.local.zone") == "$ip" ]] || fail "web-w$n.local.zone is not $ip"
    want+=("$ip")
  done
  local got
  got=$(dig +short @"$dns" web.local.zone | sort)
  [[ $got == "$(printf '%s\n' "${want[@]}" | sort)" ]] || fail "web.local.zone is $(echo $got), wanted ${want[*]}"
  local running
  running=$(docker ps -q --filter "label=dockerops.project=$T_NAME" --filter label=dockerops.service=web | wc -l)
  [[ $running == "$1" ]] || fail "$running web containers run, wanted $1"
}
members 3
app_id=$(docker inspect -f '{{.Id}}' "$T_NAME-app-one")
backend=$(docker exec "$T_NAME-app-one" printenv BACKEND_SERVICE_IP)

out=$(dockerops --dry-run scale:web=5)
expect_contains "$out" "create $T_NAME-web-w5" "the scale-out plan"
expect_contains "$out" "notice: web/w: 3 -> 5 instances (kept in .dockerops/scale.json)" "the scale-out plan"
[[ ! -e .dockerops/scale.json ]] || fail "--dry-run stored a count"
dockerops scale:web=5 >/dev/null
members 5
[[ $(python3 -c 'import json; print(json.load(open(".dockerops/scale.json"))["web/w"]["instances"])') == 5 ]] ||
  fail "scale.json: $(cat .dockerops/scale.json)"

out=$(dockerops --dry-run scale web 2)
# Highest numbers first, each out of the DNS before its stop.
grep -o "dns-deregister $T_NAME-web-w[0-9]" <<<"$out" | tr '\n' ' ' | grep -q "w5 .*w4 .*w3" ||
  fail "scale-in order: $out"
expect_contains "$out" "drain $T_NAME-web-w5 3s after" "the scale-in plan"
dockerops scale web 2 >scale.txt 2>&1 &
scaler=$!
# While it drains, web/w3 is out of the DNS and still running (bounded poll, no timing asserted).
seen=""
for _ in $(seq 300); do
  if [[ -z $(dig +short +time=1 +tries=1 @"$dns" web-w3.local.zone) ]] &&
    [[ $(docker inspect -f '{{.State.Running}}' "$T_NAME-web-w3" 2>/dev/null) == true ]]; then
    seen=yes
    break
  fi
  sleep 0.1
done
wait "$scaler" || fail "scale web 2: $(cat scale.txt)"
[[ -n $seen ]] || fail "web/w3 was never out of the DNS while running: $(cat scale.txt)"
expect_contains "$(cat scale.txt)" "draining 3 s" "the scale-in output"
members 2
for n in 3 4 5; do
  [[ -z $(dig +short @"$dns" "web-w$n.local.zone") ]] || fail "web-w$n.local.zone stayed"
  [[ -z $(docker ps -aq --filter "name=^$T_NAME-web-w$n\$") ]] || fail "web/w$n stayed"
done

# run:all keeps 2; app was never touched and keeps its backend.
out=$(dockerops run:all)
expect_contains "$out" "run: 4 instances: 4 up to date" "run:all after the scale"
members 2
[[ $(docker inspect -f '{{.Id}}' "$T_NAME-app-one") == "$app_id" ]] || fail "app/one was recreated"
[[ $(docker exec "$T_NAME-app-one" printenv BACKEND_SERVICE_IP) == "$backend" ]] || fail "app's backend moved"
docker exec "$T_NAME-app-one" ping -c1 -W2 backend >/dev/null || fail "app's link alias stopped resolving"

# clean of one instance with graceful=true: out of the DNS, drained, then stopped and removed.
out=$(dockerops --dry-run clean:web,instance=w2,graceful=true,force=true)
expect_contains "$out" "drain $T_NAME-web-w2 3s after #1" "the graceful clean plan"
dockerops clean:web,instance=w2,graceful=true,force=true >/dev/null
[[ -z $(dig +short @"$dns" web-w2.local.zone) ]] || fail "web-w2.local.zone stayed after clean"
dockerops run:all >/dev/null
members 2

# Bad input: a count of 0, a service without a counted entry, an unknown service.
for args in "scale:web=0" "scale:app=2" "scale:wbe=2"; do
  if "$DOCKEROPS_BIN" $args >out.txt 2>err.txt; then fail "$args succeeded"; fi
  [[ $(grep -c '^dockerops: error:' err.txt) == 1 ]] || fail "$args: $(cat err.txt)"
done
expect_contains "$(dockerops scale:app=2 2>&1 || true)" 'app has no "instances"' "scale of a named entry"
members 2
echo PASS
