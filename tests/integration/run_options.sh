#!/bin/bash
# Instance options end to end: published ports from EXPOSE and #UDP_EXPOSE bound on PUBLISH_ON_IP,
# seed_command, safemode, ssh_keys and nethost.
source "$(dirname "$0")/runlib.bash"
new_project options
make_service web
cat >> services/web/Dockerfile <<'DOCKERFILE'
EXPOSE 28473
#UDP_EXPOSE 28474
DOCKERFILE
cat > run.conf <<'CONF'
[
  # published: EXPOSE and #UDP_EXPOSE on the host, bound to PUBLISH_ON_IP.
  {"service": "web", "instance": "pub", "instance_type": "published",
   "env_vars": {"PUBLISH_ON_IP": "127.0.0.1"}},
  # A seed command instead of supervisord, no entrypoint scripts, the project's private key.
  {"service": "web", "instance": "seed", "seed_command": "sleep 3600", "safemode": true, "ssh_keys": true},
  # The host's network (a seed command, so no sshd binds the host's port 22).
  {"service": "web", "instance": "host", "nethost": true, "seed_command": "sleep 3600"}
]
CONF
dockerops run:all
container() { echo "$T_NAME-web-$1"; }

ports=$(docker port "$(container pub)")
expect_contains "$ports" "28473/tcp -> 127.0.0.1:28473" "EXPOSE published on PUBLISH_ON_IP"
expect_contains "$ports" "28474/udp -> 127.0.0.1:28474" "#UDP_EXPOSE published"
expect_contains "$(dockerops ps)" "28473" "ps shows the published port"
[[ -z $(docker port "$(container seed)") ]] || fail "a standard instance published ports"

pid1=$(docker exec "$(container seed)" cat /proc/1/cmdline | tr '\0' ' ')
[[ $pid1 == "sleep 3600 " ]] || fail "seed_command is not PID 1: '$pid1'"
seed_logs=$(docker logs "$(container seed)" 2>&1)
grep -q "hello from" <<<"$seed_logs" && fail "safemode ran the entrypoint scripts"
expect_contains "$seed_logs" "\[dockerops\] ready" "safemode still signals readiness"
[[ $(docker exec "$(container seed)" printenv SAFEMODE) == True ]] || fail "SAFEMODE is not True"
docker exec "$(container seed)" test -s /run/dockerops/id_ed25519 || fail "ssh_keys did not mount the private key"
docker exec "$(container pub)" test -e /run/dockerops/id_ed25519 && fail "the private key is mounted without ssh_keys"
expect_contains "$(docker logs "$(container pub)" 2>&1)" "hello from web-pub" "entrypoints run without safemode"

[[ $(docker inspect -f '{{.HostConfig.NetworkMode}}' "$(container host)") == host ]] || fail "nethost is not host networking"
[[ $(docker exec "$(container host)" hostname) == "$(hostname)" ]] || fail "a nethost instance has its own hostname"

dockerops clean:all,force=true
echo PASS
