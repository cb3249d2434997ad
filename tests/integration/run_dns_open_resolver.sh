#!/bin/bash
# A published project DNS is no open resolver (issue 20 item 1). The DNS is published on the
# gateway address of a second bridge this test creates; a foreign container on that bridge asks
# it through the published port: it gets the zone's data but no recursion (through Docker's proxy
# or masquerade it appears from the project network's gateway). The project's own containers and
# the DNS container's loopback still get names outside the zone resolved. With
# DNS_FORWARD_PUBLISHED=yes the foreign container is served too. The upstream is a second
# dockerops-dnsd on the DNS container's loopback: no query leaves the machine.
source "$(dirname "$0")/runlib.bash"
new_project run-openres
make_service web

foreign="$T_NAME-foreign"
extra_cleanup() { docker network rm "$foreign" >/dev/null 2>&1 || true; }
# An explicit subnet outside the project pool (172.30.0.0/16): left to choose, the daemon hands out
# its default /16s in turn and, after enough networks came and went, gives 172.30.0.0/16 itself,
# which leaves the project no free /24.
for third in $(seq 1 40); do
  docker network create --label dockerops.test=1 --subnet "10.214.$third.0/24" --gateway "10.214.$third.1" "$foreign" >/dev/null 2>&1 && break
done
docker network inspect "$foreign" >/dev/null 2>&1 || fail "could not create the network $foreign"
gateway=$(docker network inspect -f '{{(index .IPAM.Config 0).Gateway}}' "$foreign")
[[ -n $gateway ]] || fail "no gateway on $foreign"

write_conf() { # write_conf yes|no
  cat >run.conf <<CONF
[
  {"service": "dockerops-dns", "instance": "main", "instance_type": "published",
   "env_vars": {"PUBLISH_ON_IP": "$gateway", "DNS_FORWARDERS": "127.0.0.1:5353",
                "DNS_FORWARD_PUBLISHED": "$1"}},
  {"service": "web", "instance": "one"}
]
CONF
}

# start_upstream: the fake upstream inside the DNS container, authoritative for outside.example.
start_upstream() {
  docker exec -d "$T_NAME-dockerops-dns-main" /usr/local/sbin/dockerops-dnsd --listen 127.0.0.1 --port 5353 \
    --zone outside.example --self-name name --self-address 192.0.2.99 --no-forward
  for _ in $(seq 50); do
    [[ $(docker exec "$T_NAME-dockerops-dns-main" dig +short +time=1 +tries=1 -p 5353 @127.0.0.1 \
      name.outside.example 2>/dev/null) == 192.0.2.99 ]] && return 0
    sleep 0.2
  done
  fail "the fake upstream did not start"
}

# from_foreign ARGS...: dig from a container on the foreign bridge to the published address.
from_foreign() {
  docker run --rm --label dockerops.test=1 --network "$foreign" --entrypoint dig dockerops/base \
    +time=3 +tries=1 @"$gateway" "$@"
}
status() { sed -n 's/.*status: \([A-Z]*\),.*/\1/p'; }

write_conf no
dockerops run:all >/dev/null
start_upstream
dns=$(dockerops getip:dockerops-dns)
one=$(dockerops getip:web,instance=one)

# Through the published port: the zone, authoritatively; no recursion.
[[ $(from_foreign +short web-one.local.zone) == "$one" ]] || fail "the zone is not visible through the published port"
got=$(from_foreign name.outside.example | status)
[[ $got == REFUSED ]] || fail "a foreign client got recursion through the published port (status \"$got\")"
# The project's own containers and the DNS container's loopback: forwarded.
[[ $(docker exec "$T_NAME-web-one" dig +short +time=3 +tries=1 @"$dns" name.outside.example) == 192.0.2.99 ]] ||
  fail "a project container does not get names outside the zone"
[[ $(docker exec "$T_NAME-dockerops-dns-main" dig +short +time=3 +tries=1 @127.0.0.1 name.outside.example) == \
  192.0.2.99 ]] || fail "the DNS container's loopback does not get names outside the zone"

# The operator opts in: the foreign client is served too.
write_conf yes
dockerops run:all >/dev/null
start_upstream
[[ $(from_foreign +short name.outside.example) == 192.0.2.99 ]] ||
  fail "DNS_FORWARD_PUBLISHED=yes does not forward for the published port"
echo PASS
