#!/usr/bin/python3
"""Sequential TSIG-signed updates, each followed at once by a UDP query for
the name it added: counts how often the first query after the ack already
sees the change (dns-server-notes.md §0 row "delay from ack to visible").
Usage: update_visibility.py PORT KEYNAME SECRET TRIALS PREFIX"""

import sys
import time

import dns.message
import dns.query
import dns.tsig
import dns.tsigkeyring
import dns.update

port, keyname, secret, trials, prefix = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
keyring = dns.tsigkeyring.from_text({keyname: secret})
visible = acked = 0
latencies = []
for i in range(trials):
    ip = f"10.200.{i // 250}.{i % 250 + 1}"
    u = dns.update.UpdateMessage("local.zone.", keyring=keyring, keyname=keyname, keyalgorithm=dns.tsig.HMAC_SHA256)
    u.add(f"{prefix}{i}", 60, "A", ip)
    start = time.perf_counter()
    r = dns.query.tcp(u, "127.0.0.1", port=port, timeout=5)
    latencies.append(time.perf_counter() - start)
    if r.rcode() != 0:
        continue
    acked += 1
    q = dns.query.udp(dns.message.make_query(f"{prefix}{i}.local.zone.", "A"), "127.0.0.1", port=port, timeout=5)
    if any(rd.to_text() == ip for rrset in q.answer for rd in rrset):
        visible += 1
latencies.sort()
p50 = latencies[len(latencies) // 2] * 1000 if latencies else 0
print(f"{visible}/{acked} {p50:.2f} {trials / sum(latencies):.0f}")
