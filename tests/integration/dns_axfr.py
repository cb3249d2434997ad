#!/usr/bin/python3
"""Zone transfers (RFC 5936 AXFR, RFC 1995 IXFR in AXFR form) out of dockerops-dnsd with real
clients: dig -y and kdig -y (which verify the TSIG of every message) and dnspython's
dns.query.xfr with a keyring read a 3,000-name forward zone that needs several messages, and
the reverse zone; what they get equals the zone file plus the signed updates. Unsigned → REFUSED,
unknown key → BADKEY, wrong secret → BADSIG, a name we do not serve → NOTAUTH, AXFR over UDP →
NOTIMP; IXFR over TCP gives the whole zone, over UDP the SOA alone. A client that starts a
transfer and reads slowly holds one zone version and does not stop UDP or TCP service."""

import os
import socket
import struct
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dnslib import ZONE, WRONG_SECRET, apex, check, failures, need_tools, run, secret, start_dnsd, stop_and_report, write_files  # noqa: E402  (exits when dnspython or the binary is missing)
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import dns.rrset
import dns.tsig
import dns.tsigkeyring
import dns.update

KEY_NAME = "dockerops-axfr."
SECRET = secret(7)
WRONG = WRONG_SECRET
KEYRING = dns.tsigkeyring.from_text({KEY_NAME: SECRET})
GOOD = f"hmac-sha256:{KEY_NAME}:{SECRET}"
REVERSE = "0.0.10.in-addr.arpa."
NAMES = 3000
ZONE_TEXT = apex("dns") + """dns IN A 10.0.0.2
static IN A 192.0.2.7
alias IN CNAME static
mail IN MX 10 static
"""




def record_list(output):
    """(owner, type, rdata) of the record lines of dig/kdig output in order, TSIG left out."""
    out = []
    for line in output.splitlines():
        f = line.split()
        if line.startswith(";") or len(f) < 5 or f[3] == "TSIG":
            continue
        out.append((f[0].lower(), f[3], " ".join(f[4:]).lower()))
    return out


def records_of(output):
    return set(record_list(output))


def unverified(output):
    return any(s in output for s in ("Couldn't verify", "could not be validated", "failed to verify",
                                     "expected a TSIG", "tsig verify failure", "Transfer failed"))


def xfr_records(messages):
    out = set()
    for m in messages:
        for rrset in m.answer:
            for rd in rrset:
                out.add((rrset.name.to_text().lower(), dns.rdatatype.to_text(rrset.rdtype), rd.to_text().lower()))
    return out


def signed_update(zone, port, build):
    u = dns.update.UpdateMessage(zone, keyring=KEYRING, keyname=KEY_NAME)
    build(u)
    r = dns.query.tcp(u, "127.0.0.1", port=port, timeout=10)
    return dns.rcode.to_text(r.rcode())


def main():
    need_tools("dig", "kdig")
    tmp = tempfile.mkdtemp(prefix="dns-axfr-")
    procs = []
    try:
        key_file, zone_file = write_files(tmp, KEY_NAME, SECRET, ZONE_TEXT)
        proc, port = start_dnsd(tmp, "--zone-file", zone_file, "--key-file", key_file,
                                "--reverse-zone", REVERSE[:-1], "--self-address", "10.0.0.2", "--no-forward")
        procs.append(proc)

        # 3,000 names (A + TXT) and 200 PTRs by signed updates: the zone the transfers must return.
        expected = {("local.zone.", "SOA", None), ("local.zone.", "NS", "dns.local.zone."),
                    ("dns.local.zone.", "A", "10.0.0.2"), ("static.local.zone.", "A", "192.0.2.7"),
                    ("alias.local.zone.", "CNAME", "static.local.zone."),
                    ("mail.local.zone.", "MX", "10 static.local.zone.")}
        for start in range(0, NAMES, 250):
            def build(u, start=start):
                for i in range(start, min(start + 250, NAMES)):
                    u.add(f"host{i}", 60, "A", f"10.1.{i // 250}.{i % 250}")
                    u.add(f"host{i}", 60, "TXT", f'"instance {i} of the transfer test"')
            rcode = signed_update(ZONE, port, build)
            if rcode != "NOERROR":
                raise SystemExit(f"FAIL: update: {rcode}")
        for i in range(NAMES):
            expected.add((f"host{i}.local.zone.", "A", f"10.1.{i // 250}.{i % 250}"))
            expected.add((f"host{i}.local.zone.", "TXT", f'"instance {i} of the transfer test"'))
        check(signed_update(REVERSE, port, lambda u: [u.add(f"{i}", 60, "PTR", f"host{i}.local.zone.")
                                                      for i in range(10, 210)]) == "NOERROR", "PTRs added")
        reverse_expected = {(REVERSE, "NS", "dns.local.zone."), ("2." + REVERSE, "PTR", "dns.local.zone.")}
        reverse_expected |= {(f"{i}.{REVERSE}", "PTR", f"host{i}.local.zone.") for i in range(10, 210)}

        def without_soa(records):
            return {r for r in records if r[1] != "SOA"}

        def soa_count(records):
            return sum(1 for r in records if r[1] == "SOA")

        expected_plain = {r for r in expected if r[1] != "SOA"}

        # dig -y: verifies every message's TSIG; several messages, the zone exactly.
        out = run("dig", "@127.0.0.1", "-p", str(port), "-y", GOOD, "axfr", "local.zone")
        got = records_of(out)
        messages = [l for l in out.splitlines() if "XFR size:" in l]
        count = int(messages[0].split("messages ")[1].split(",")[0]) if messages else 0
        check(not unverified(out) and count > 2, f"dig -y axfr local.zone: verified, {count} messages")
        check(without_soa(got) == expected_plain and soa_count(got) == 1,
              f"dig -y axfr: {len(got)} records equal the zone ({len(expected)})")
        order = record_list(out)
        check(len(order) == len(expected) + 1 and order[0][1] == "SOA" and order[-1] == order[0]
              and soa_count(order) == 2, "dig -y axfr: the SOA first and last, every other record once")
        out = run("dig", "@127.0.0.1", "-p", str(port), "-y", GOOD, "axfr", REVERSE)
        check(not unverified(out) and without_soa(records_of(out)) == reverse_expected,
              "dig -y axfr of the reverse zone: verified, equal to the zone")

        # kdig -y: the same.
        out = run("kdig", "@127.0.0.1", "-p", str(port), "-y", GOOD, "axfr", "local.zone")
        check("messages" in out and not unverified(out) and "WARNING" not in out
              and without_soa(records_of(out)) == expected_plain, "kdig -y axfr local.zone: verified, equal")

        # dnspython with a keyring: verifies every message, raises on a bad one.
        got = xfr_records(dns.query.xfr("127.0.0.1", ZONE, port=port, keyring=KEYRING, keyname=KEY_NAME,
                                        relativize=False, lifetime=60))
        check(without_soa(got) == expected_plain, "dnspython xfr with a keyring: the zone")
        got = xfr_records(dns.query.xfr("127.0.0.1", REVERSE, port=port, keyring=KEYRING, keyname=KEY_NAME,
                                        relativize=False, lifetime=60))
        check(without_soa(got) == reverse_expected, "dnspython xfr of the reverse zone")

        # The transferred records equal what queries answer, name by name (a sample).
        for i in (0, 1234, NAMES - 1):
            out = run("dig", "+short", "@127.0.0.1", "-p", str(port), f"host{i}.local.zone", "A")
            check(out.strip() == f"10.1.{i // 250}.{i % 250}", f"query host{i} agrees with the transfer")

        # IXFR over TCP: the whole zone in AXFR form (no history served, RFC 1995 §4).
        out = run("dig", "@127.0.0.1", "-p", str(port), "-y", GOOD, "ixfr=1", "local.zone")
        check(not unverified(out) and without_soa(records_of(out)) == expected_plain, "dig ixfr=1 over TCP: the whole zone")
        # IXFR over UDP: the SOA alone (RFC 1995 §2), current or not.
        current = dns.query.udp(dns.message.make_query(ZONE, "SOA"), "127.0.0.1", port=port,
                                timeout=5).answer[0][0].serial
        for serial in (1, current):
            q = dns.message.make_query(ZONE, "IXFR")
            q.authority.append(dns.rrset.from_text(ZONE, 0, "IN", "SOA", f". . {serial} 0 0 0 0"))
            q.use_tsig(KEYRING, keyname=KEY_NAME)
            r = dns.query.udp(q, "127.0.0.1", port=port, timeout=5)
            check(r.had_tsig and r.rcode() == 0 and len(r.answer) == 1 and r.answer[0].rdtype == dns.rdatatype.SOA,
                  f"IXFR over UDP with serial {serial}: the SOA alone, signed")
        # IXFR over TCP from a current client: the SOA alone.
        q = dns.message.make_query(ZONE, "IXFR")
        q.authority.append(dns.rrset.from_text(ZONE, 0, "IN", "SOA", f". . {current} 0 0 0 0"))
        q.use_tsig(KEYRING, keyname=KEY_NAME)
        r = dns.query.tcp(q, "127.0.0.1", port=port, timeout=5)
        check(r.had_tsig and len(r.answer) == 1 and r.answer[0].rdtype == dns.rdatatype.SOA,
              "IXFR over TCP from a current client: the SOA alone")

        # Access: unsigned REFUSED, unknown key BADKEY, wrong secret BADSIG, other zone NOTAUTH.
        try:
            list(dns.query.xfr("127.0.0.1", ZONE, port=port, lifetime=10))
            check(False, "unsigned AXFR: REFUSED")
        except dns.query.TransferError as e:
            check(e.rcode == dns.rcode.REFUSED, f"unsigned AXFR: {dns.rcode.to_text(e.rcode)}")
        out = run("dig", "@127.0.0.1", "-p", str(port), "axfr", "local.zone")
        check("Transfer failed" in out and "host1." not in out, "dig unsigned axfr: transfer failed")
        try:
            list(dns.query.xfr("127.0.0.1", ZONE, port=port, keyring=dns.tsigkeyring.from_text({"stranger.": SECRET}),
                               keyname="stranger.", lifetime=10))
            check(False, "unknown key: BADKEY")
        except dns.tsig.PeerBadKey:
            check(True, "unknown key: NOTAUTH, BADKEY")
        try:
            list(dns.query.xfr("127.0.0.1", ZONE, port=port, keyring=dns.tsigkeyring.from_text({KEY_NAME: WRONG}),
                               keyname=KEY_NAME, lifetime=10))
            check(False, "wrong secret: BADSIG")
        except dns.tsig.PeerBadSignature:
            check(True, "wrong secret: NOTAUTH, BADSIG")
        out = run("dig", "@127.0.0.1", "-p", str(port), "-y", f"hmac-sha256:{KEY_NAME}:{WRONG}", "axfr", "local.zone")
        check("host1." not in out and ("BADSIG" in out or "Transfer failed" in out), "dig wrong secret: no zone")
        try:
            list(dns.query.xfr("127.0.0.1", "other.zone.", port=port, keyring=KEYRING, keyname=KEY_NAME, lifetime=10))
            check(False, "a zone we do not serve: NOTAUTH")
        except dns.query.TransferError as e:
            check(e.rcode == dns.rcode.NOTAUTH, f"a zone we do not serve: {dns.rcode.to_text(e.rcode)} (signed)")
        try:
            list(dns.query.xfr("127.0.0.1", "host1.local.zone.", port=port, keyring=KEYRING, keyname=KEY_NAME,
                               lifetime=10))
            check(False, "a name inside the zone is no zone: NOTAUTH")
        except dns.query.TransferError as e:
            check(e.rcode == dns.rcode.NOTAUTH, f"a name inside the zone: {dns.rcode.to_text(e.rcode)}")
        # AXFR over UDP: NOTIMP (RFC 5936 §4.2 leaves it undefined), signed.
        q = dns.message.make_query(ZONE, "AXFR")
        q.use_tsig(KEYRING, keyname=KEY_NAME)
        r = dns.query.udp(q, "127.0.0.1", port=port, timeout=5)
        check(r.had_tsig and r.rcode() == dns.rcode.NOTIMP, "AXFR over UDP: NOTIMP, signed")

        # A slow reader: the transfer waits for it while UDP, TCP and updates are served; it
        # holds the version it started with (the name added meanwhile is not in it).
        q = dns.message.make_query(ZONE, "AXFR")
        q.use_tsig(KEYRING, keyname=KEY_NAME)
        wire = q.to_wire()
        slow = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        slow.connect(("127.0.0.1", port))
        slow.sendall(struct.pack("!H", len(wire)) + wire)
        time.sleep(0.5)  # the server fills the socket buffers and waits
        out = run("dig", "+short", "+tries=1", "+time=3", "@127.0.0.1", "-p", str(port), "host7.local.zone")
        check(out.strip() == "10.1.0.7", "UDP query answered during the transfer")
        out = run("dig", "+short", "+tcp", "+tries=1", "+time=3", "@127.0.0.1", "-p", str(port), "host8.local.zone")
        check(out.strip() == "10.1.0.8", "TCP query answered during the transfer")
        check(signed_update(ZONE, port, lambda u: u.add("latecomer", 60, "A", "10.9.9.9")) == "NOERROR",
              "update committed during the transfer")
        slow.settimeout(30)
        buffer = b""
        stream = []
        ctx = None
        done = False
        while not done:
            chunk = slow.recv(4096)
            if not chunk:
                break
            buffer += chunk
            time.sleep(0.001)
            while len(buffer) >= 2 and len(buffer) >= 2 + struct.unpack("!H", buffer[:2])[0]:
                size = struct.unpack("!H", buffer[:2])[0]
                # As dnspython's own inbound_xfr does: the request MAC, the running context.
                m = dns.message.from_wire(buffer[2:2 + size], keyring=KEYRING, request_mac=q.mac, xfr=True,
                                          tsig_ctx=ctx, multi=True)
                ctx = m.tsig_ctx
                buffer = buffer[2 + size:]
                stream.append(m)
                if len(stream) > 1 or len(m.answer) > 1:
                    last = m.answer[-1]
                    done = last.rdtype == dns.rdatatype.SOA and (len(stream) > 1 or len(m.answer) > 1)
        slow.close()
        got = xfr_records(stream)
        check(done and len(stream) > 2 and without_soa(got) == expected_plain,
              f"slow reader got the whole zone as it was ({len(stream)} messages, all verified)")
        check(not any(r[0] == "latecomer.local.zone." for r in got), "slow transfer: one version, no latecomer")
        got = xfr_records(dns.query.xfr("127.0.0.1", ZONE, port=port, keyring=KEYRING, keyname=KEY_NAME,
                                        relativize=False, lifetime=60))
        check(("latecomer.local.zone.", "A", "10.9.9.9") in got, "a new transfer has the latecomer")
        check(proc.poll() is None, "server still running")
    finally:
        stop_and_report(procs, tmp, failures)


if __name__ == "__main__":
    main()
