#!/usr/bin/python3
"""dockerops-dnsd against the hostile inputs of dns-server-notes.md section 5
(and 6.5): every case gets the documented reply or none, the server keeps
answering a valid query after each, and TCP slowloris, zero-length frames and
the connection limit are handled. Uses dnspython only to build and read valid
messages; the hostile ones are raw bytes."""

import os
import random
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dnslib import start_dnsd  # noqa: E402  (exits when dnspython or the binary is missing)
import dns.message
import dns.rcode
import dns.rdatatype

NO_REPLY = "no reply"
failures = []


def start_server(tmp):
    return start_dnsd(tmp, "--self-address", "172.30.0.2", "--no-forward", "--tcp-idle-timeout", "1",
                      "--tcp-max-connections", "8")


def header(qid=0x1234, flags=0x0100, qd=1, an=0, ns=0, ar=0):
    return struct.pack("!6H", qid, flags, qd, an, ns, ar)


QNAME = b"\x03dns\x05local\x04zone\x00"
QUESTION = QNAME + struct.pack("!HH", 1, 1)
OPT = b"\x00" + struct.pack("!HHIH", 41, 1232, 0, 0)


def udp_exchange(port, data, timeout=0.5):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.sendto(data, ("127.0.0.1", port))
        try:
            return s.recv(65535)
        except socket.timeout:
            return None


def rcode_of(reply):
    if reply is None:
        return NO_REPLY
    if len(reply) < 12:
        return "short reply"
    msg_rcode = reply[3] & 0x0F
    try:
        msg = dns.message.from_wire(reply)
        return dns.rcode.to_text(msg.rcode())
    except Exception:  # replies without a parsable question are still fine to read
        return dns.rcode.to_text(msg_rcode)


def still_answers(port):
    q = dns.message.make_query("dns.local.zone.", "A")
    reply = udp_exchange(port, q.to_wire(), timeout=3)
    if reply is None:
        return False
    r = dns.message.from_wire(reply)
    return r.id == q.id and any(rr.to_text() == "172.30.0.2" for rrset in r.answer for rr in rrset)


def check(name, got, wanted):
    ok = got in wanted if isinstance(wanted, tuple) else got == wanted
    print(("ok   " if ok else "FAIL ") + f"{name}: {got}" + ("" if ok else f" (wanted {wanted})"))
    if not ok:
        failures.append(name)


def udp_cases(port):
    rng = random.Random(42)
    long_name = b"".join(b"\x3f" + b"a" * 63 for _ in range(5)) + b"\x00"  # 321 octets
    cases = [
        ("empty datagram", b"", NO_REPLY),
        ("5-byte header", header()[:5], NO_REPLY),
        ("QDCOUNT=1 but no question", header(), "FORMERR"),
        ("question cut mid-label", header() + b"\x03dn", "FORMERR"),
        ("missing QTYPE/QCLASS", header() + QNAME, "FORMERR"),
        ("label running past the end", header() + b"\x3fabc", "FORMERR"),
        ("compression pointer to itself", header() + b"\xc0\x0c" + struct.pack("!HH", 1, 1), "FORMERR"),
        ("pointer into the header", header() + b"\xc0\x02" + struct.pack("!HH", 1, 1), "FORMERR"),
        ("pointer beyond the end", header() + b"\xc0\xff" + struct.pack("!HH", 1, 1), "FORMERR"),
        ("qname of 321 octets", header() + long_name + struct.pack("!HH", 1, 1), "FORMERR"),
        ("reserved label type 0x40", header() + b"\x41x\x00" + struct.pack("!HH", 1, 1), "FORMERR"),
        ("reserved label type 0x80", header() + b"\x81x\x00" + struct.pack("!HH", 1, 1), "FORMERR"),
        ("QDCOUNT=2", header(qd=2) + QUESTION + QUESTION, "FORMERR"),
        ("QR=1 (a response)", header(flags=0x8100) + QUESTION, NO_REPLY),
        ("opcode 15", header(flags=(15 << 11) | 0x0100) + QUESTION, "NOTIMP"),
        ("IQUERY", header(flags=(1 << 11) | 0x0100) + QUESTION, "NOTIMP"),
        ("class NONE query", header() + QNAME + struct.pack("!HH", 1, 254), "REFUSED"),
        ("class CH query", header() + QNAME + struct.pack("!HH", 1, 3), "REFUSED"),
        ("unsigned AXFR over UDP", header() + b"\x05local\x04zone\x00" + struct.pack("!HH", 252, 1), "REFUSED"),
        ("EDNS version 1", header(ar=1) + QUESTION + b"\x00" + struct.pack("!HHIH", 41, 1232, 1 << 16, 0),
         "BADVERS"),
        ("two OPT records", header(ar=2) + QUESTION + OPT + OPT, "FORMERR"),
        ("OPT owner not root", header(ar=1) + QUESTION + b"\x01x\x00" + OPT[1:], "FORMERR"),
        ("ARCOUNT=5 but no records", header(ar=5) + QUESTION, "FORMERR"),
        ("4 garbage bytes after the question", header() + QUESTION + b"\xde\xad\xbe\xef", "FORMERR"),
        ("TSIG not last", header(ar=2) + QUESTION + b"\x01k\x00" + struct.pack("!HHIH", 250, 255, 0, 2) + b"\x00\x00"
         + OPT, "FORMERR"),
        ("4,000 random bytes", bytes([rng.randrange(256) & (0x7F if i == 2 else 0xFF) for i in range(4000)]),
         ("FORMERR", "NOTIMP", NO_REPLY)),
        ("maximum-size UDP datagram", header() + QUESTION + b"\x00" * (65507 - 12 - len(QUESTION)), "FORMERR"),
    ]
    for name, data, wanted in cases:
        # A reply is waited for generously (the suite runs tests in parallel); where silence is
        # the right answer, half a second of it is taken as the verdict.
        expects_reply = NO_REPLY not in (wanted if isinstance(wanted, tuple) else (wanted,))
        got = rcode_of(udp_exchange(port, data, timeout=3 if expects_reply else 0.5))
        check(name, got, wanted)
        check(f"  still answering after: {name}", still_answers(port), True)
    # The FORMERR reply echoes the ID and the opcode.
    reply = udp_exchange(port, struct.pack("!6H", 0xABCD, 0x0100, 1, 0, 0, 0) + b"\x03dn", timeout=3)
    check("FORMERR echoes the ID", reply is not None and reply[:2] == b"\xab\xcd", True)


def tcp_connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    return s


def closed_by_server(s, timeout=5):
    s.settimeout(timeout)
    try:
        return s.recv(1) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def tcp_cases(port):
    # Slowloris: half a length prefix, then nothing. The server closes it
    # after the idle timeout (1 s here) although bytes arrived.
    slow = tcp_connect(port)
    slow.sendall(b"\x00")
    check("slowloris connection still lets UDP through", still_answers(port), True)
    check("slowloris partial length prefix is closed", closed_by_server(slow), True)
    slow.close()

    zero = tcp_connect(port)
    zero.sendall(b"\x00\x00")
    check("zero-length TCP message closes the connection", closed_by_server(zero), True)
    zero.close()

    # Garbage inside a well-framed message gets FORMERR over TCP.
    bad = tcp_connect(port)
    payload = header() + b"\xc0\x0c" + struct.pack("!HH", 1, 1)
    bad.sendall(struct.pack("!H", len(payload)) + payload)
    bad.settimeout(5)
    length = struct.unpack("!H", bad.recv(2))[0]
    check("TCP FORMERR", rcode_of(bad.recv(length)), "FORMERR")
    bad.close()

    # Connection limit (8 here): the ninth is closed at once; the others work.
    conns = [tcp_connect(port) for _ in range(8)]
    extra = tcp_connect(port)
    check("connection over the limit is closed", closed_by_server(extra, timeout=2), True)
    extra.close()
    q = dns.message.make_query("dns.local.zone.", "A")
    wire = q.to_wire()
    conns[0].sendall(struct.pack("!H", len(wire)) + wire)
    conns[0].settimeout(5)
    length = struct.unpack("!H", conns[0].recv(2))[0]
    check("connections under the limit still answer", dns.message.from_wire(conns[0].recv(length)).id, q.id)
    for c in conns:
        c.close()


def main():
    with tempfile.TemporaryDirectory() as tmp:
        proc, port = start_server(tmp)
        try:
            udp_cases(port)
            tcp_cases(port)
            check("server process alive at the end", proc.poll() is None, True)
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=10)
    if failures:
        print(f"{len(failures)} failure(s): {failures}")
        return 1
    print("all dns_malformed checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
