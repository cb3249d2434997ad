#!/bin/bash
# A recreated DNS container starts with an empty zone: rerun of the DNS registers the running
# instances again, and an instance removed while the DNS was away is not brought back.
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
echo PASS
