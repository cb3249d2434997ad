#!/bin/bash
# Issue 20 item 8: the original DockerOps demo, migrated with exactly the steps of the README section
# "For users of the original DockerOps". The files are the original's: a service FROM
# dockerops/dockerops-base-ubuntu14.04 with a prestartup_*.sh script copied to /prestartup/ (mode
# 0644, as git checks it out), and its four-entry run.conf with the legacy keys. Between the steps,
# the test checks what the README promises: an error naming the new base image, a build warning
# for the old script location, a script run without its executable bit, and a warning for each
# DNS_SERVICE_IP entry that the project DNS replaces.
source "$(dirname "$0")/runlib.bash"
new_project demo-mig

mkdir -p services/demo
cat >services/demo/Dockerfile <<'DOCKERFILE'
FROM dockerops/dockerops-base-ubuntu14.04
COPY prestartup_dockerops-demo.sh /prestartup/
DOCKERFILE
printf 'set -e\necho "Hello world!"\n' >services/demo/prestartup_dockerops-demo.sh
chmod 0644 services/demo/prestartup_dockerops-demo.sh
cat >run.conf <<'CONF'
[
 {
  "service": "dockerops-dns",
  "instance": "master",
  "persistent_data": false,
  "persistent_log": false,
  "sleep": 3,
  "links": [],
  "env_vars": {"SERVICE_IP": "from_eth0"}
 },
 {
  "service": "demo",
  "instance": "one",
  "sleep": 0,
  "links": ["dockerops-dns-master:dns"],
  "env_vars": {"SAMPLE_ENV_VAR": null}
 },
 {
  "service": "demo",
  "instance": "two",
  "sleep": 0,
  "links": [],
  "env_vars": {"DNS_SERVICE_IP": "from_eth0"}
 },
 {
  "service": "demo",
  "instance": "three",
  "sleep": 0,
  "links": [{"name": "DEMO", "service": "demo", "instance": null}],
  "env_vars": {"DNS_SERVICE_IP": "from_eth0"}
 }
]
CONF
ip -4 -o addr show eth0 >/dev/null 2>&1 || fail "the original demo's run.conf needs a host interface eth0"

# Unmigrated, the build stops at the old base image and names the new one.
expect_error 'use "FROM dockerops/base"' build:all

# Step 1: FROM dockerops/base.
sed -i 's|^FROM dockerops/dockerops-base-ubuntu14.04$|FROM dockerops/base|' services/demo/Dockerfile
dockerops build:all >out.txt 2>err.txt || fail "build after step 1 failed: $(cat err.txt)"
grep -q 'services/demo/Dockerfile:2: COPY to /prestartup/: dockerops never runs /prestartup/ or prestartup_\*.sh scripts' \
  err.txt || fail "no build warning for /prestartup/: $(cat err.txt)"

# Step 2: prestartup_NAME.sh becomes NN-NAME.sh, copied to /entrypoints/ (its mode stays 0644).
mv services/demo/prestartup_dockerops-demo.sh services/demo/20-dockerops-demo.sh
sed -i 's|^COPY prestartup_dockerops-demo.sh /prestartup/$|COPY 20-dockerops-demo.sh /entrypoints/|' \
  services/demo/Dockerfile
# Step 3: run.conf stays as it is. Step 4: the required variable gets a value.
export SAMPLE_ENV_VAR="a sample value"
# Step 5: build and run.
dockerops build:all run:all >out.txt 2>err.txt || fail "build:all run:all failed: $(cat err.txt)"
grep -q 'prestartup' err.txt && fail "the migrated Dockerfile still gets a warning: $(cat err.txt)"
for instance in two three; do
  grep -q "warning: demo/$instance: DNS_SERVICE_IP is built in: the value from run.conf:[0-9]* is ignored" err.txt ||
    fail "no warning for demo/$instance's DNS_SERVICE_IP: $(cat err.txt)"
done

running=$(dockerops ps --json | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["state"]=="running"))')
[[ $running == 4 ]] || fail "ps shows $running running instances, not 4"
for instance in one two three; do
  log=$(dockerops logs:demo,instance=$instance)
  expect_contains "$log" "Hello world!" "demo/$instance ran the migrated script"
  expect_contains "$log" "entrypoint 20-dockerops-demo.sh is not executable: running it with bash" \
    "demo/$instance says how the script without its executable bit ran"
done
dns_ip=$(dockerops getip:dockerops-dns)
[[ $(dockerops ssh:demo,instance=two,command='echo $DNS_SERVICE_IP') == "$dns_ip" ]] ||
  fail "demo/two does not point at the project DNS"
[[ $(dockerops ssh:demo,instance=one,command='echo $SAMPLE_ENV_VAR') == "a sample value" ]] ||
  fail "SAMPLE_ENV_VAR did not reach demo/one"
dockerops ssh:demo,instance=two,command="ping -c1 demo-one" >/dev/null || fail "ping demo-one from two failed"
dockerops ssh:demo,instance=three,command='ping -c1 $DEMO_SERVICE_IP' >/dev/null || fail "the DEMO link of three"
echo PASS
