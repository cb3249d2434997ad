#!/usr/bin/python3
"""TSIG-signed queries (RFC 8945 §5.2-5.3) against dockerops-dnsd with real
clients: dig -y and kdig -y (UDP and TCP) and dnspython with a keyring see a
verified signature on answers, NXDOMAIN and NODATA; a truncated signed reply
makes dig retry over TCP; a wrong secret gets NOTAUTH/BADSIG and the server
keeps answering; an unknown key BADKEY; a stale time BADTIME (signed); a
signed query for a forwarded name is REFUSED, signed, while the same query
unsigned is forwarded."""

import os
import socket
import sys
import tempfile
import time
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dnslib import WRONG_SECRET, apex, check, failures, need_tools, run, secret, start_dnsd, stop_and_report, write_files  # noqa: E402  (exits when dnspython or the binary is missing)
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import dns.tsig
import dns.tsigkeyring

KEY_NAME = "dockerops-qtest."
SECRET = secret(100)
WRONG = WRONG_SECRET
ZONE_TEXT = apex("ns") + """ns IN A 127.0.0.1
web IN A 10.0.0.1
web IN A 10.0.0.2
""" + "".join(f"big IN A 10.5.0.{i}\n" for i in range(40))

KEYRING = dns.tsigkeyring.from_text({KEY_NAME: SECRET})




def unverified(output):
    return ("Couldn't verify" in output or "could not be validated" in output
            or "failed to verify" in output or "expected a TSIG" in output)


def answers(output, rdtype="A"):
    """The rdata of the answer lines of dig/kdig output (any spacing)."""
    out = []
    for line in output.splitlines():
        f = line.split()
        if len(f) == 5 and not line.startswith(";") and f[3] == rdtype:
            out.append(f[4])
    return sorted(out)


def has_record(output, owner, rdtype):
    """Whether dig/kdig output holds a record line for `owner` and `rdtype`."""
    return any(f[0] == owner and f[3] == rdtype
               for f in (line.split() for line in output.splitlines() if not line.startswith(";"))
               if len(f) > 4)


def main():
    need_tools("dig", "kdig")
    tmp = tempfile.mkdtemp(prefix="dns-query-tsig-")
    procs = []
    try:
        key_file, zone_file = write_files(tmp, KEY_NAME, SECRET, ZONE_TEXT)
        # The upstream: a second server on 127.0.0.1 that also serves upstream.test
        # (as its second zone: start_dnsd fixes the first one to local.zone).
        up_tmp = os.path.join(tmp, "upstream")
        os.mkdir(up_tmp)
        up, up_port = start_dnsd(up_tmp, "--reverse-zone", "upstream.test", "--no-forward")
        procs.append(up)
        proc, port = start_dnsd(tmp, "--zone-file", zone_file, "--key-file", key_file,
                                "--forward", f"127.0.0.1:{up_port}")
        procs.append(proc)
        good = f"hmac-sha256:{KEY_NAME}:{SECRET}"
        cases = [("web.local.zone", "A", "NOERROR", ["10.0.0.1", "10.0.0.2"]),
                 ("nothere.local.zone", "A", "NXDOMAIN", []),
                 ("web.local.zone", "AAAA", "NOERROR", [])]

        # dig -y and kdig -y, UDP and TCP: verified signature, right answer.
        for tool, status_fmt in (("dig", "status: {},"), ("kdig", "status: {};")):
            for transport in ([], ["+tcp"]):
                for name, rdtype, status, want in cases:
                    out = run(tool, "@127.0.0.1", "-p", str(port), "-y", good, *transport, name, rdtype)
                    what = f"{tool} -y {' '.join(transport)} {name} {rdtype}"
                    check(not unverified(out) and "TSIG" in out, f"{what}: signature verified")
                    check(status_fmt.format(status) in out and answers(out, rdtype) == want,
                          f"{what}: {status} {want}")
                    if status != "NOERROR" or not want:
                        check(has_record(out, "local.zone.", "SOA"), f"{what}: SOA in authority")

        # Too big for 512 bytes: signed TC, dig retries over TCP and verifies both.
        out = run("dig", "@127.0.0.1", "-p", str(port), "-y", good, "+noedns", "big.local.zone", "A")
        check("Truncated, retrying in TCP mode" in out and not unverified(out) and len(answers(out)) == 40,
              "signed reply too big for UDP: TC, then the full signed answer over TCP")

        # dnspython: a keyring on the query makes it verify the reply's TSIG (it raises
        # on a bad one; had_tsig proves one was there).
        for send in (dns.query.udp, dns.query.tcp):
            for name, rdtype, status, want in cases:
                q = dns.message.make_query(name, rdtype)
                q.use_tsig(KEYRING, keyname=KEY_NAME, algorithm=dns.tsig.HMAC_SHA256)
                r = send(q, "127.0.0.1", port=port, timeout=5)
                got = sorted(rd.to_text() for rrset in r.answer for rd in rrset)
                check(r.had_tsig and dns.rcode.to_text(r.rcode()) == status and got == want,
                      f"dnspython {send.__name__} {name} {rdtype}: signed reply verified, {status} {want}")

        # Wrong secret: NOTAUTH + BADSIG (unsigned), and the server still answers.
        out = run("dig", "@127.0.0.1", "-p", str(port), "-y", f"hmac-sha256:{KEY_NAME}:{WRONG}", "web.local.zone")
        check("status: NOTAUTH" in out and "BADSIG" in out and answers(out) == [], "dig wrong secret: NOTAUTH, BADSIG")
        q = dns.message.make_query("web.local.zone", "A")
        q.use_tsig(dns.tsigkeyring.from_text({KEY_NAME: WRONG}), keyname=KEY_NAME)
        try:
            dns.query.udp(q, "127.0.0.1", port=port, timeout=5)
            check(False, "dnspython wrong secret: PeerBadSignature")
        except dns.tsig.PeerBadSignature:
            check(True, "dnspython wrong secret: PeerBadSignature")
        out = run("dig", "@127.0.0.1", "-p", str(port), "-y", good, "web.local.zone")
        check(not unverified(out) and answers(out) == ["10.0.0.1", "10.0.0.2"], "server answers after a bad signature")
        out = run("dig", "@127.0.0.1", "-p", str(port), "web.local.zone")
        check(answers(out) == ["10.0.0.1", "10.0.0.2"] and "TSIG" not in out, "unsigned query: unsigned answer")

        # Unknown key name: BADKEY.
        out = run("dig", "@127.0.0.1", "-p", str(port), "-y", f"hmac-sha256:stranger:{SECRET}", "web.local.zone")
        check("status: NOTAUTH" in out and "BADKEY" in out and answers(out) == [], "dig unknown key: NOTAUTH, BADKEY")
        out = run("kdig", "@127.0.0.1", "-p", str(port), "-y", f"hmac-sha256:stranger:{SECRET}", "web.local.zone")
        check("BADKEY" in out and answers(out) == [], "kdig unknown key: BADKEY")
        q = dns.message.make_query("web.local.zone", "A")
        q.use_tsig(dns.tsigkeyring.from_text({"stranger.": SECRET}), keyname="stranger.")
        try:
            dns.query.udp(q, "127.0.0.1", port=port, timeout=5)
            check(False, "dnspython unknown key: PeerBadKey")
        except dns.tsig.PeerBadKey:
            check(True, "dnspython unknown key: PeerBadKey")

        # Stale time: NOTAUTH + BADTIME, signed with our key (dnspython checks the MAC first).
        q = dns.message.make_query("web.local.zone", "A")
        q.use_tsig(KEYRING, keyname=KEY_NAME)
        with mock.patch("time.time", return_value=time.time() - 86400):
            wire = q.to_wire()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(5)
            s.sendto(wire, ("127.0.0.1", port))
            reply = s.recv(65535)
        check(reply[3] & 0x0F == dns.rcode.NOTAUTH, "stale time: NOTAUTH")
        try:
            dns.message.from_wire(reply, keyring=KEYRING, request_mac=q.mac)
            check(False, "stale time: PeerBadTime")
        except dns.tsig.PeerBadTime:
            check(True, "stale time: BADTIME, signed")

        # Forwarding: unsigned goes upstream; signed is REFUSED, signed (the upstream
        # cannot sign with our key).
        out = run("dig", "@127.0.0.1", "-p", str(port), "upstream.test", "SOA")
        check("status: NOERROR" in out and has_record(out, "upstream.test.", "SOA"),
              "unsigned out-of-zone query is forwarded")
        out = run("dig", "@127.0.0.1", "-p", str(port), "-y", good, "upstream.test", "SOA")
        check("status: REFUSED" in out and not unverified(out) and "TSIG" in out
              and not has_record(out, "upstream.test.", "SOA"),
              "signed out-of-zone query: REFUSED, signed, not forwarded")
        check(proc.poll() is None, "server still running")
    finally:
        stop_and_report(procs, tmp, failures)


if __name__ == "__main__":
    main()
