#!/bin/bash
# Issue 20 items 2 and 7: input that cannot work is refused before anything starts, with the run
# conf's file and line (or the variable and where its value came from), by run:all and by --dry-run
# alike; nothing is created, not even the DNS or the project network. A mistyped bind address is
# never "all interfaces".
source "$(dirname "$0")/runlib.bash"
new_project run-valid
make_service web

# refused PATTERN CONF: run:all --dry-run and run:all both fail with PATTERN, and nothing is left.
refused() {
  printf '%s\n' "$2" >run.conf
  expect_error "$1" --dry-run run:all
  expect_error "$1" run:all
  no_containers "$1"
  no_network "$1"
}
dns='{"service": "dockerops-dns", "instance": "main"},'

# Item 2: bind addresses.
refused 'run.conf:3: port "localhost:18081:80": "localhost" is not an IP address' \
  "[ $dns
  {\"service\": \"web\", \"instance\": \"one\",
   \"ports\": [\"localhost:18081:80\"]} ]"
refused 'run.conf:2: port "not-an-ip:18080:80": "not-an-ip" is not an IP address' \
  "[ $dns
  {\"service\": \"web\", \"instance\": \"one\", \"ports\": [\"not-an-ip:18080:80\"]} ]"
refused 'run.conf:2: web/published: PUBLISH_ON_IP "127.0.0.1 " is not an IP address to publish ports on (remove the blanks around it)' \
  "[ $dns
  {\"service\": \"web\", \"instance\": \"published\", \"env_vars\": {\"PUBLISH_ON_IP\": \"127.0.0.1 \"}} ]"
printf '[ %s\n {"service": "web", "instance": "published", "env_vars": {"PUBLISH_ON_IP": null}} ]\n' "$dns" >run.conf
export PUBLISH_ON_IP=my-laptop
expect_error 'environment: web/published: PUBLISH_ON_IP "my-laptop" is not an IP address' --dry-run run:all
expect_error 'environment: web/published: PUBLISH_ON_IP "my-laptop" is not an IP address' run:all
unset PUBLISH_ON_IP
no_containers "PUBLISH_ON_IP from the environment"
no_network "PUBLISH_ON_IP from the environment"

# Item 7: names, hostnames, variables, volumes, collisions, numbers, sizes.
long=$(printf 'i%.0s' $(seq 64))
refused "run.conf:3: web/$long: the name \"web-$long\" is 68 characters" \
  "[ $dns
  {\"service\": \"web\",
   \"instance\": \"$long\"} ]"
refused 'run.conf:2: "hostname" must be 1 to 63 letters' \
  "[ $dns
  {\"service\": \"web\", \"instance\": \"one\", \"hostname\": \"$(printf 'h%.0s' $(seq 1000))\"} ]"
refused 'run.conf:2: invalid JSON: a NUL character (\\u0000) in a string' \
  "[ $dns
  {\"service\": \"web\", \"instance\": \"one\", \"hostname\": \"a\\u0000b\"} ]"
refused 'run.conf:2: invalid JSON: a NUL character (\\u0000) in a string' \
  "[ $dns
  {\"service\": \"web\", \"instance\": \"one\", \"env_vars\": {\"A\": \"x\\u0000y\"}} ]"
refused 'run.conf:2: web/one: a variable name must not be empty' \
  "[ $dns
  {\"service\": \"web\", \"instance\": \"one\", \"env_vars\": {\"\": \"x\"}} ]"
refused 'run.conf:2: volume "/tmp:/host-tmp:rx": unknown mode "rx"' \
  "[ $dns
  {\"service\": \"web\", \"instance\": \"one\", \"volumes\": [\"/tmp:/host-tmp:rx\"]} ]"
refused 'run.conf:3: web/ONE collides with web/one (run.conf:2): both are "web-one" in DNS' \
  "[ $dns
  {\"service\": \"web\", \"instance\": \"one\"},
  {\"service\": \"web\", \"instance\": \"ONE\"} ]"
refused 'run.conf:2: invalid JSON: lone surrogate \\uD800' \
  "[ $dns
  {\"service\": \"web\", \"instance\": \"one\", \"env_vars\": {\"A\": \"\\ud800\\u0041\"}} ]"
refused 'run.conf:2: invalid JSON: number out of range' \
  "[ $dns
  {\"service\": \"web\", \"instance\": \"one\", \"env_vars\": {\"A\": 1$(printf '0%.0s' $(seq 400))}} ]"
refused 'run.conf:2: web/one: the value of BIG is 200000 bytes; a variable may have at most 131067' \
  "[ $dns
  {\"service\": \"web\", \"instance\": \"one\", \"env_vars\": {\"BIG\": \"$(head -c 200000 /dev/zero | tr '\0' x)\"}} ]"
printf '[ %s\n {"service": "web", "instance": "one", "env_vars": {"A": "caf\xe9"}} ]\n' "$dns" >run.conf
expect_error 'run.conf:2: invalid JSON: invalid UTF-8 (byte 0xE9)' --dry-run run:all
no_network "invalid UTF-8"

# A 10 MB, 250,000-entry run conf is refused at once, before it is even parsed (a size cap).
python3 - <<'PY'
entry = '{"service": "web", "instance": "i%d", "env_vars": {"PAD": "%s"}},\n'
with open("run.conf", "w") as f:
    f.write("[\n")
    for i in range(250000):
        f.write(entry % (i, "x" * 2))
    f.write('{"service": "web", "instance": "last"}\n]\n')
PY
[[ $(stat -c %s run.conf) -gt 10000000 ]] || fail "the big run conf is smaller than 10 MB"
expect_error 'run.conf: the file has [0-9]* bytes; a run conf may have at most 1048576 (1 MiB)' --dry-run run:all

# "ONE" while "one" runs: the second would take the first's DNS names.
echo '[]' >run.conf
dockerops run:web,instance=one >/dev/null
expect_error 'command line: web/ONE collides with web/one (running): both are "web-one" in DNS' run:web,instance=ONE
[[ $(docker ps -q --filter "label=dockerops.project=$T_NAME" | wc -l) == 1 ]] || fail "web/ONE was started"
echo PASS
