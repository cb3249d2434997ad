#!/usr/bin/python3
"""Durability of acknowledged updates (RFC 2136 §3.5): dnspython clients
stream signed updates over several TCP connections, each with several updates
in flight (pipelined); the test records every acknowledged one, kill -9s
dockerops-dnsd mid-stream, restarts it on the same zone file and journal, and
checks that every acknowledged update is present. Repeated over rounds so the
kill lands at different points of the journal. The journal is compacted every
8 records (group commits), so kills also land while updates are being written back into the
zone file and the journal is being replaced."""

import base64
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dnslib import start_dnsd, stop_and_report  # noqa: E402  (exits when dnspython or the binary is missing)
import dns.message
import dns.query
import dns.rcode
import dns.tsig
import dns.tsigkeyring
import dns.update

KEY_NAME = "dockerops-test."
SECRET = base64.b64encode(os.urandom(32)).decode()
KEYRING = dns.tsigkeyring.from_text({KEY_NAME: SECRET})
CONNECTIONS = 4
IN_FLIGHT = 8          # per connection
KILL_AFTER = 150       # acknowledged updates per round before the kill
ROUNDS = 3


def start_server(tmp):
    return start_dnsd(tmp, "--zone-file", os.path.join(tmp, "local.zone.db"), "--key-file",
                      os.path.join(tmp, "dns.key"), "--journal", os.path.join(tmp, "zones.jnl"),
                      "--journal-compact-after", "8", "--no-forward")


class Stream:
    """One TCP connection with up to IN_FLIGHT pipelined updates."""

    def __init__(self, port, round_no, conn_no, acked, lock, stop):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.round_no, self.conn_no = round_no, conn_no
        self.acked, self.lock, self.stop = acked, lock, stop
        self.window = threading.Semaphore(IN_FLIGHT)
        self.pending = {}
        self.closed = False

    def writer(self):
        i = 0
        try:
            while not self.stop.is_set() and not self.closed:
                self.window.acquire()
                name = f"r{self.round_no}-c{self.conn_no}-u{i}"
                ip = f"10.{self.round_no}.{self.conn_no}.{i % 250 + 1}"
                u = dns.update.UpdateMessage("local.zone.", keyring=KEYRING, keyname=KEY_NAME,
                                             keyalgorithm=dns.tsig.HMAC_SHA256)
                u.add(name, 60, "A", ip)
                wire = u.to_wire()
                with self.lock:
                    self.pending[u.id] = (name, ip)
                self.sock.sendall(struct.pack("!H", len(wire)) + wire)
                i += 1
        except OSError:
            self.closed = True

    def reader(self):
        buf = b""
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                buf += chunk
                while len(buf) >= 2 and len(buf) >= 2 + struct.unpack("!H", buf[:2])[0]:
                    n = struct.unpack("!H", buf[:2])[0]
                    reply, buf = buf[2:2 + n], buf[2 + n:]
                    qid = struct.unpack("!H", reply[:2])[0]
                    with self.lock:
                        entry = self.pending.pop(qid, None)
                        if entry and reply[3] & 0x0F == dns.rcode.NOERROR:
                            self.acked.append(entry)
                    self.window.release()
        except OSError:
            pass
        self.closed = True
        for _ in range(IN_FLIGHT):
            self.window.release()


def present(port, name, ip):
    q = dns.message.make_query(f"{name}.local.zone.", "A")
    r = dns.query.tcp(q, "127.0.0.1", port=port, timeout=5)
    return any(rd.to_text() == ip for rrset in r.answer for rd in rrset)


def main():
    tmp = tempfile.mkdtemp(prefix="dns-durability-")
    proc = None
    failures = 0
    try:
        with open(os.path.join(tmp, "dns.key"), "w") as f:
            f.write(f'key "{KEY_NAME}" {{\n\talgorithm hmac-sha256;\n\tsecret "{SECRET}";\n}};\n')
        with open(os.path.join(tmp, "local.zone.db"), "w") as f:
            f.write("$ORIGIN local.zone.\n$TTL 60\n@ SOA ns hostmaster 1 3600 600 86400 60\n@ NS ns\nns A 127.0.0.1\n")
        all_acked = []
        proc, port = start_server(tmp)
        for round_no in range(ROUNDS):
            acked, lock, stop = [], threading.Lock(), threading.Event()
            streams = [Stream(port, round_no, c, acked, lock, stop) for c in range(CONNECTIONS)]
            threads = [threading.Thread(target=s.writer) for s in streams] + \
                      [threading.Thread(target=s.reader) for s in streams]
            for t in threads:
                t.start()
            while True:
                with lock:
                    if len(acked) >= KILL_AFTER:
                        break
                if all(s.closed for s in streams) or proc.poll() is not None:
                    break
                time.sleep(0.005)
            proc.send_signal(signal.SIGKILL)  # mid-stream: updates are in flight on every connection
            proc.wait()
            stop.set()
            for t in threads:
                t.join(timeout=30)
            for s in streams:
                s.sock.close()
            with lock:
                all_acked.extend(acked)
                in_flight = sum(len(s.pending) for s in streams)
            print(f"round {round_no}: {len(acked)} acknowledged, {in_flight} in flight at the kill")
            if len(acked) < KILL_AFTER:
                print(f"FAIL: round {round_no}: the stream stopped before the kill")
                failures += 1
            proc, port = start_server(tmp)
            missing = [(n, ip) for (n, ip) in all_acked if not present(port, n, ip)]
            for n, ip in missing[:10]:
                print(f"FAIL: acknowledged update lost: {n} A {ip}")
            failures += len(missing)
            print(f"after restart {round_no + 1}: {len(all_acked) - len(missing)}/{len(all_acked)} acknowledged updates present")
    finally:
        stop_and_report([proc] if proc else [], tmp, failures)


if __name__ == "__main__":
    main()
