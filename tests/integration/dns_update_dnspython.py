#!/usr/bin/python3
"""RFC 2136 updates against dockerops-dnsd with dnspython (a client no one here
wrote): add and delete forms, every prerequisite form, wrong secret, unknown
key, unsigned update, stale time, byte-identical replay; after every
acknowledged update the first query must already see the change."""

import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import time
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dnslib import WRONG_SECRET, ZONE, apex, check, failures, secret, start_dnsd, stop_and_report, write_files  # noqa: E402  (exits when dnspython or the binary is missing)
import dns.message
import dns.query
import dns.rcode
import dns.rdataset
import dns.rdatatype
import dns.tsig
import dns.tsigkeyring
import dns.update

KEY_NAME = "dockerops-test."
SECRET = secret(0)
ZONE_TEXT = apex("ns") + """ns IN A 127.0.0.1
web IN A 10.0.0.1
web IN A 10.0.0.2
alias IN CNAME web
"""

def start_server(tmp):
    key_file, zone_file = write_files(tmp, KEY_NAME, SECRET, ZONE_TEXT)
    return start_dnsd(tmp, "--zone-file", zone_file, "--key-file", key_file, "--journal",
                      os.path.join(tmp, "zones.jnl"), "--no-forward", "--max-records-per-name", "64")


KEYRING = dns.tsigkeyring.from_text({KEY_NAME: SECRET})


def update(keyring=KEYRING, keyname=KEY_NAME):
    if keyring is None:
        return dns.update.UpdateMessage(ZONE)
    return dns.update.UpdateMessage(ZONE, keyring=keyring, keyname=keyname, keyalgorithm=dns.tsig.HMAC_SHA256)


def send(msg, port):
    """Sends over TCP; returns the rcode (the reply's TSIG is verified by dnspython)."""
    return dns.query.tcp(msg, "127.0.0.1", port=port, timeout=5).rcode()


def send_raw(wire, port):
    """Sends raw bytes over TCP and returns the raw reply."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(struct.pack("!H", len(wire)) + wire)
        data = b""
        while len(data) < 2 or len(data) < 2 + struct.unpack("!H", data[:2])[0]:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        return data[2:]


def addresses(name, port, rdtype="A"):
    """The first query after an ack, over UDP as a resolver would."""
    q = dns.message.make_query(name, rdtype)
    r = dns.query.udp(q, "127.0.0.1", port=port, timeout=5)
    return sorted(rd.to_text() for rrset in r.answer for rd in rrset if rrset.rdtype == dns.rdatatype.from_text(rdtype))


def main():
    tmp = tempfile.mkdtemp(prefix="dns-update-dnspython-")
    proc = None
    try:
        proc, port = start_server(tmp)
        N = dns.rcode.NOERROR

        # Add forms (RFC 2136 §2.5.1) and the immediate visibility of each ack.
        u = update(); u.add("new", 60, "A", "10.1.0.1")
        check(send(u, port) == N, "add A")
        check(addresses("new.local.zone.", port) == ["10.1.0.1"], "first query after the ack sees the add")
        u = update(); u.add("new", 60, "A", "10.1.0.2")
        check(send(u, port) == N and addresses("new.local.zone.", port) == ["10.1.0.1", "10.1.0.2"], "append to an RRset")
        u = update(); u.replace("new", 60, "A", "10.1.0.3")
        check(send(u, port) == N and addresses("new.local.zone.", port) == ["10.1.0.3"], "replace (delete RRset + add)")
        u = update(); u.delete("web", "A", "10.0.0.1")
        check(send(u, port) == N and addresses("web.local.zone.", port) == ["10.0.0.2"], "delete one RR (class NONE)")
        u = update(); u.delete("web", "A")
        check(send(u, port) == N and addresses("web.local.zone.", port) == [], "delete an RRset (class ANY)")
        u = update(); u.add("txt", 60, "TXT", '"hello"'); u.add("txt", 60, "A", "10.1.0.9")
        send(u, port)
        u = update(); u.delete("txt")
        check(send(u, port) == N and addresses("txt.local.zone.", port) == [] and addresses("txt.local.zone.", port, "TXT") == [],
              "delete all RRsets of a name")
        u = update(); u.delete("@", "NS")
        check(send(u, port) == N and addresses("local.zone.", port, "NS") == ["ns.local.zone."], "apex NS survives an RRset delete")
        u = update(); u.add("alias", 60, "A", "10.1.0.5")
        check(send(u, port) == N and addresses("alias.local.zone.", port) == [], "A beside a CNAME is ignored")

        # Prerequisites (§2.4): every form, passing and failing.
        u = update(); u.present("new"); u.add("p1", 60, "A", "10.2.0.1")
        check(send(u, port) == N and addresses("p1.local.zone.", port) == ["10.2.0.1"], "prereq name in use: holds")
        u = update(); u.present("nothing"); u.add("p2", 60, "A", "10.2.0.2")
        check(send(u, port) == dns.rcode.NXDOMAIN and addresses("p2.local.zone.", port) == [], "prereq name in use: NXDOMAIN")
        u = update(); u.absent("nothing"); u.add("p3", 60, "A", "10.2.0.3")
        check(send(u, port) == N, "prereq name not in use: holds")
        u = update(); u.absent("new")
        check(send(u, port) == dns.rcode.YXDOMAIN, "prereq name not in use: YXDOMAIN")
        u = update(); u.present("new", "A")
        check(send(u, port) == N, "prereq RRset exists: holds")
        u = update(); u.present("new", "AAAA")
        check(send(u, port) == dns.rcode.NXRRSET, "prereq RRset exists: NXRRSET")
        u = update(); u.present("new", dns.rdataset.from_text("IN", "A", 0, "10.1.0.3"))
        check(send(u, port) == N, "prereq RRset exists (value): holds")
        u = update(); u.present("new", dns.rdataset.from_text("IN", "A", 0, "10.1.0.4"))
        check(send(u, port) == dns.rcode.NXRRSET, "prereq RRset exists (value): NXRRSET")
        u = update(); u.absent("new", "AAAA")
        check(send(u, port) == N, "prereq RRset does not exist: holds")
        u = update(); u.absent("new", "A")
        check(send(u, port) == dns.rcode.YXRRSET, "prereq RRset does not exist: YXRRSET")
        u = update(); u.add("elsewhere.example.", 60, "A", "10.2.0.9")
        check(send(u, port) == dns.rcode.NOTZONE, "owner outside the zone: NOTZONE")

        # Authentication failures (RFC 8945 §5.2): dnspython raises on the TSIG error it reads.
        wrong = dns.tsigkeyring.from_text({KEY_NAME: WRONG_SECRET})
        u = update(keyring=wrong); u.add("bad", 60, "A", "10.3.0.1")
        try:
            send(u, port)
            check(False, "wrong secret: BADSIG")
        except dns.tsig.PeerBadSignature:
            check(addresses("bad.local.zone.", port) == [], "wrong secret: NOTAUTH/BADSIG, nothing changed")
        other = dns.tsigkeyring.from_text({"stranger.": SECRET})
        u = update(keyring=other, keyname="stranger."); u.add("bad", 60, "A", "10.3.0.1")
        try:
            send(u, port)
            check(False, "unknown key: BADKEY")
        except dns.tsig.PeerBadKey:
            check(addresses("bad.local.zone.", port) == [], "unknown key: NOTAUTH/BADKEY, nothing changed")
        u = update(keyring=None); u.add("bad", 60, "A", "10.3.0.1")
        check(send(u, port) == dns.rcode.REFUSED and addresses("bad.local.zone.", port) == [], "unsigned update: REFUSED")
        u = update(); u.add("bad", 60, "A", "10.3.0.1")
        with mock.patch("time.time", return_value=time.time() - 86400):
            wire = u.to_wire()
        reply = send_raw(wire, port)
        check(reply[3] & 0x0F == dns.rcode.NOTAUTH, "stale time: NOTAUTH")
        try:
            dns.message.from_wire(reply, keyring=KEYRING, request_mac=u.mac)
            check(False, "stale time: BADTIME")
        except dns.tsig.PeerBadTime:
            check(addresses("bad.local.zone.", port) == [], "stale time: BADTIME (signed), nothing changed")

        # Replay: the same signed bytes again, after the name was re-added.
        u = update(); u.delete("p1", "A", "10.2.0.1")
        wire = u.to_wire()
        check(send_raw(wire, port)[3] & 0x0F == N and addresses("p1.local.zone.", port) == [], "delete before replay")
        u = update(); u.add("p1", 60, "A", "10.2.0.1")
        send(u, port)
        reply = send_raw(wire, port)
        check(reply[3] & 0x0F == dns.rcode.REFUSED, "byte-identical replay: REFUSED")
        check(addresses("p1.local.zone.", port) == ["10.2.0.1"], "replay changed nothing")
        r = dns.message.from_wire(reply, keyring=KEYRING, request_mac=dns.message.from_wire(wire, keyring=KEYRING).mac)
        check(r.had_tsig, "replay reply is signed")

        # The serial moved with the changes.
        soa = dns.query.udp(dns.message.make_query(ZONE, "SOA"), "127.0.0.1", port=port, timeout=5).answer[0][0]
        check(soa.serial > 1, f"serial bumped (now {soa.serial})")

        # A clean stop compacts the journal into the zone file, which BIND's own checker accepts,
        # and a restart from that file alone has every update.
        proc.terminate()
        check(proc.wait(timeout=10) == 0, "clean stop on SIGTERM")
        zone_file = os.path.join(tmp, "local.zone.db")
        check(os.path.getsize(os.path.join(tmp, "zones.jnl")) == 0, "journal emptied into the zone file")
        checked = subprocess.run(["named-checkzone", "-q", ZONE, zone_file], capture_output=True, text=True)
        check(checked.returncode == 0, f"named-checkzone accepts the rewritten file {checked.stdout}")
        with open(zone_file) as f:
            text = f.read()
        check(f"serial {soa.serial}." in text and "p1.local.zone." in text, "the file has the updates and serial")
        proc, port = start_dnsd(tmp, "--zone-file", zone_file, "--no-forward")
        check(addresses("p1.local.zone.", port) == ["10.2.0.1"], "restart from the file alone has the updates")
        soa2 = dns.query.udp(dns.message.make_query(ZONE, "SOA"), "127.0.0.1", port=port, timeout=5).answer[0][0]
        check(soa2.serial == soa.serial, "same serial after the restart")
    finally:
        stop_and_report([proc] if proc else [], tmp, failures)


if __name__ == "__main__":
    main()
