#!/bin/bash
# Bad input gives one clear error line, a non-zero exit, and nothing half-started: a missing
# service folder (and a misspelt service given to stop), a conf that does not validate, an image that fails to build, a port already
# taken, and a container name taken by a foreign container.
source "$(dirname "$0")/runlib.bash"
new_project run-err
make_service web
foreign="$T_NAME-web-taken"
listener=""
extra_cleanup() {
  docker rm -f "$foreign" >/dev/null 2>&1 || true
  if [[ -n $listener ]]; then kill "$listener" 2>/dev/null || true; fi
}

echo '[ {"service": "wbe", "instance": "one"} ]' >run.conf
expect_error 'service "wbe" has no folder services/wbe with a Dockerfile; did you mean "web"?' run:all
no_containers "missing service"

echo '[ {"service": "web", "isntance": "one"} ]' >run.conf
expect_error 'run.conf:1: unknown key "isntance"' run:all
no_containers "bad conf"

mkdir -p services/broken
printf 'FROM dockerops/base\nRUN exit 3\n' >services/broken/Dockerfile
echo '[ {"service": "web", "instance": "one"}, {"service": "broken", "instance": "one"} ]' >run.conf
expect_error 'broken' run:all
no_containers "failed build"

# stop, start, clean: a service nothing knows is a typo, not "nothing to do".
expect_error "stop: project $T_NAME has no service \"wbe\" (no folder, no run.conf entry, no container); did you mean \"web\"?" stop:wbe

# A port already taken on the host: the instance that cannot start is rolled back with the rest.
# The listener picks the port itself and keeps it: no window in which another test could take it.
python3 -c "import socket,time; s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(600)" >port.txt &
listener=$!
for _ in $(seq 50); do [[ -s port.txt ]] && break; sleep 0.1; done
port=$(cat port.txt)
[[ -n $port ]] || fail "the port listener did not start"
cat >run.conf <<CONF
[
  {"service": "web", "instance": "one"},
  {"service": "web", "instance": "pub", "ports": ["127.0.0.1:$port:80"], "links": ["web-one:first"]}
]
CONF
expect_error "already in use" run:all
grep -q "removed what this run created" err.txt || fail "no rollback report: $(cat err.txt)"
no_containers "port taken"
no_network "port taken" # the network this run created is rolled back too (issue 20 item 7)
kill "$listener"

# A foreign container (no dockerops labels) holding the name.
echo '[ {"service": "web", "instance": "taken"} ]' >run.conf
docker create --name "$foreign" --label dockerops.test=1 dockerops/base >/dev/null
expect_error "taken by a container dockerops does not manage" run:all
[[ $(docker inspect -f '{{.Name}}' "$foreign") == "/$foreign" ]] || fail "the foreign container was touched"
no_containers "name conflict"
echo PASS
