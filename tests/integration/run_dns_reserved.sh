#!/bin/bash
# issue 20 item 3: the DNS's pinned address (.2 of the project /24) stays free whatever starts first:
# an instance started before the DNS gets another one, and the DNS then starts at .2. When another
# container does hold it, the error names that container.
source "$(dirname "$0")/runlib.bash"
new_project run-dnsres
make_service web
cat >run.conf <<'CONF'
[
  {"service": "dockerops-dns", "instance": "main"},
  {"service": "web", "instance": "one"}
]
CONF
extra_cleanup() { docker rm -f "$T_NAME-squatter" >/dev/null 2>&1; }

dockerops run:web,instance=x >/dev/null
subnet=$(docker network inspect --format '{{(index .IPAM.Config 0).Subnet}}' "${T_NAME}_net")
pinned="${subnet%.0/24}.2"
x=$(dockerops getip:web,instance=x)
[[ $x != "$pinned" ]] || fail "web/x took the DNS's address $pinned"
dockerops run:all >/dev/null
[[ $(dockerops getip:dockerops-dns) == "$pinned" ]] || fail "the DNS is not at $pinned"

# A container dockerops does not manage takes the address while the DNS is gone: named in the error.
dockerops clean:dockerops-dns,force=true >/dev/null
docker run -d --label dockerops.test=1 --name "$T_NAME-squatter" --network "${T_NAME}_net" --ip "$pinned" \
  --entrypoint sleep dockerops/base 300 >/dev/null
if dockerops run:all >out.txt 2>&1; then fail "run:all succeeded with the DNS's address taken"; fi
expect_contains "$(cat out.txt)" "its address $pinned on ${T_NAME}_net is held by $T_NAME-squatter, a container dockerops does not manage" "the conflict"
echo PASS
