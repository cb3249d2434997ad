#!/bin/bash
# A recreated DNS container starts with an empty zone: rerun of the DNS registers the running
# instances again, and an instance removed while the DNS was away is not brought back.
# dns:sync reads both zones by AXFR: the records of an instance removed while the DNS was
# stopped, and a planted A record into the project /24, go; a static record outside it stays.
source "$(dirname "$0")/runlib.bash"
new_project run-dnsre
make_service web
cat >run.conf <<'CONF'
[
  {"service": "dockerops-dns", "instance": "main"},
  {"service": "web", "instance": "one"},
  {"service": "web", "instance": "two"}
]
CONF
dockerops run:all >/dev/null
dns=$(dockerops getip:dockerops-dns)
one=$(dockerops getip:web,instance=one)
[[ $(dig +short @"$dns" web-one.local.zone) == "$one" ]] || fail "web-one not registered"
dockerops rerun:dockerops-dns,instance=main
[[ $(dockerops getip:dockerops-dns) == "$dns" ]] || fail "the DNS did not keep its pinned address"
[[ $(dig +short @"$dns" web-one.local.zone) == "$one" ]] || fail "web-one not registered again after the DNS rerun"
[[ $(dig +short @"$dns" web.local.zone | wc -l) == 2 ]] || fail "web.local.zone should hold both instances"

# web-two goes while the DNS is stopped: its records survive in the DNS's journal.
two=$(dockerops getip:web,instance=two)
docker stop "$T_NAME-dockerops-dns-main" >/dev/null
docker rm -f "$T_NAME-web-two" >/dev/null
docker start "$T_NAME-dockerops-dns-main" >/dev/null
got=""
for _ in $(seq 50); do # dnsd starts under supervisord: refused until then
  got=$(dig +short +time=1 +tries=1 @"$dns" web-two.local.zone 2>&1 || true)
  [[ $got == "$two" ]] && break
  sleep 0.2
done
[[ $got == "$two" ]] || fail "web-two's A did not survive the DNS restart (got \"$got\", want \"$two\")"
net=${dns%.*}
printf 'server %s\nzone local.zone\nupdate add gone-one.local.zone 60 A %s.250\nupdate add static.local.zone 60 A 192.0.2.7\nsend\n' \
  "$dns" "$net" | nsupdate -k .dockerops/dns.key || fail "nsupdate with the project key failed"
[[ $(dig +short @"$dns" gone-one.local.zone) == "$net.250" ]] || fail "the stale A record was not planted"
out=$(dockerops dns:sync)
expect_contains "$out" "1 running instance registered" "dns:sync"
[[ -z $(dig +short @"$dns" gone-one.local.zone) ]] || fail "dns:sync kept gone-one.local.zone"
[[ -z $(dig +short @"$dns" web-two.local.zone) ]] || fail "dns:sync kept the removed web-two"
[[ $(dig +short @"$dns" web.local.zone) == "$one" ]] || fail "web.local.zone should hold web-one alone"
[[ -z $(dig +short @"$dns" -x "$two") ]] || fail "dns:sync kept web-two's PTR"
[[ $(dig +short @"$dns" static.local.zone) == 192.0.2.7 ]] || fail "dns:sync removed a record outside the subnet"
[[ $(dig +short @"$dns" web-one.local.zone) == "$one" ]] || fail "dns:sync removed web-one"
[[ $(dig +short @"$dns" -x "$one") == web-one.local.zone. ]] || fail "dns:sync removed web-one's PTR"
[[ $(dig +short @"$dns" dns.local.zone) == "$dns" ]] || fail "dns:sync removed the DNS's own name"
[[ $(dig +short @"$dns" -x "$dns") == dns.local.zone. ]] || fail "dns:sync removed the DNS's own PTR"
expect_contains "$(dockerops dns:sync)" ", 0 records changed" "a second dns:sync changes nothing"
echo PASS
