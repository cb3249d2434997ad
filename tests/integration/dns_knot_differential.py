#!/usr/bin/python3
"""Differential test against Knot DNS (Debian's knotd): the same zone served by dockerops-dnsd
and by Knot on loopback ports picked here, the same queries and the same TSIG-signed updates
sent to both, every reply compared (rcode, AA and TC, the three sections as sets) and the two
zones compared by AXFR after the updates. Where the two differ on purpose the expected
difference is asserted instead, and KEPT below says why; any other difference fails.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dnslib import check, failures, secret, start_dnsd, stop_and_report, write_files  # noqa: E402

import dns.flags  # noqa: E402
import dns.message  # noqa: E402
import dns.query  # noqa: E402
import dns.rcode  # noqa: E402
import dns.rdatatype  # noqa: E402
import dns.tsigkeyring  # noqa: E402
import dns.update  # noqa: E402
import dns.zone  # noqa: E402

KNOTD = shutil.which("knotd") or "/usr/sbin/knotd"
if not os.access(KNOTD, os.X_OK):
    print("FAIL: knotd missing (apt-get install knot)")
    sys.exit(1)

KEY_NAME = "dockerops-test."
SECRET = secret(40)
KEYRING = dns.tsigkeyring.from_text({KEY_NAME: SECRET})
ZONE = "local.zone."

# The differences kept on purpose (dockerops-dnsd(8), "Differences from Knot"). Each entry is
# checked: the two servers must differ exactly this way.
KEPT = {
    "unsigned-update": "unsigned UPDATE: dockerops-dnsd REFUSED (RFC 3007 §4, updates need the project "
                       "key), Knot NOTAUTH (its ACL denies)",
    "unsigned-axfr": "unsigned AXFR: dockerops-dnsd REFUSED, Knot NOTAUTH (both refuse; the rcode is "
                     "the ACL's)",
    "dname-update": "adding a DNAME: dockerops-dnsd REFUSED (DNAME is not served), Knot NOERROR",
    "udp-axfr": "unsigned AXFR over UDP: dockerops-dnsd REFUSED (the key is checked first; a signed one "
                "over UDP gets NOTIMP), Knot NOTIMP",
    "name-cap": "a 65th record at one name: dockerops-dnsd REFUSED (--max-records-per-name, default 64, so a "
                "registration loop cannot grow a name without bound), Knot NOERROR",
}

# Zone data: every shape the servers must agree on (RFC 4592 wildcards, a delegation with in-domain
# and sibling glue, an empty non-terminal, CNAME chains in and out of the zone and into the
# delegation, names in rdata, mixed case).
ZONE_TEXT = """$ORIGIN local.zone.
$TTL 300
@            IN SOA  dns hostmaster 1 3600 600 86400 60
@            IN NS   dns
dns          IN A    172.30.0.2
web          IN A    172.30.0.5
web          IN A    172.30.0.6
Web2         IN AAAA fd00::5
www          IN CNAME web
alias        IN CNAME www
ext          IN CNAME target.example.
deep         IN CNAME x.sub
mail         IN MX   10 Mx1.Local.Zone.
mx1          IN A    172.30.0.9
_http._tcp.web IN SRV 0 5 80 web
txt          IN TXT  "hello world" "second string"
*.app        IN A    172.30.0.50
*.app        IN TXT  "wildcard"
host1.app    IN A    172.30.0.51
sub.*.app    IN TXT  "not a wildcard"
sub          IN NS   ns1.sub
sub          IN NS   dns
sub          IN NS   ns.elsewhere.example.
ns1.sub      IN A    172.30.1.1
ns1.sub      IN AAAA fd00::1:1
a.b.c.ent    IN A    172.30.0.60
5            IN PTR  Web.Local.Zone.
"""

QUERIES = [
    ("dns.local.zone.", "A"), ("DnS.LoCaL.ZoNe.", "A"), ("web.local.zone.", "A"), ("web2.local.zone.", "AAAA"),
    ("web.local.zone.", "AAAA"), ("nothere.local.zone.", "A"), ("local.zone.", "SOA"), ("local.zone.", "NS"),
    ("www.local.zone.", "A"), ("alias.local.zone.", "A"), ("alias.local.zone.", "CNAME"),
    ("ext.local.zone.", "A"), ("deep.local.zone.", "A"), ("mail.local.zone.", "MX"),
    ("_http._tcp.web.local.zone.", "SRV"), ("_tcp.web.local.zone.", "A"), ("txt.local.zone.", "TXT"),
    ("x.app.local.zone.", "A"), ("x.app.local.zone.", "TXT"), ("x.app.local.zone.", "MX"),
    ("a.b.app.local.zone.", "A"), ("host1.app.local.zone.", "A"), ("host1.app.local.zone.", "TXT"),
    ("sub.*.app.local.zone.", "TXT"), ("ghost.*.app.local.zone.", "TXT"), ("*.app.local.zone.", "A"),
    ("sub.local.zone.", "A"), ("x.sub.local.zone.", "A"), ("a.b.sub.local.zone.", "MX"),
    ("ns1.sub.local.zone.", "A"), ("sub.local.zone.", "NS"), ("sub.local.zone.", "DS"),
    ("ent.local.zone.", "A"), ("c.ent.local.zone.", "TXT"), ("a.b.c.ent.local.zone.", "A"),
    ("5.local.zone.", "PTR"), ("example.com.", "A"), ("local.zone.", "TXT"),
]


def free_port():
    """A loopback port free for both UDP and TCP at this moment."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
            t.bind(("127.0.0.1", 0))
            port = t.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
                try:
                    u.bind(("127.0.0.1", port))
                except OSError:
                    continue
            return port
    raise SystemExit("FAIL: no free loopback port")


def start_knot(tmp, zone_file):
    """Starts knotd with its own configuration, storage and journal under tmp; returns (process, port)."""
    port = free_port()
    store = os.path.join(tmp, "knot")
    os.makedirs(store)
    shutil.copy(zone_file, os.path.join(store, "local.zone.zone"))
    conf = os.path.join(store, "knot.conf")
    with open(conf, "w") as f:
        f.write(f"""server:
    rundir: "{store}"
    listen: 127.0.0.1@{port}
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "{store}"
log:
  - target: stderr
    any: warning
key:
  - id: {KEY_NAME}
    algorithm: hmac-sha256
    secret: {SECRET}
acl:
  - id: project
    key: {KEY_NAME}
    action: [update, transfer]
template:
  - id: default
    storage: "{store}"
    file: "%s.zone"
    zonefile-sync: -1
    journal-content: changes
    serial-policy: increment
    semantic-checks: on
zone:
  - domain: {ZONE}
    acl: project
""")
    log = open(os.path.join(tmp, "log"), "a+")
    proc = subprocess.Popen([KNOTD, "-c", conf], stderr=log, stdout=log)
    for _ in range(100):
        try:
            answer = dns.query.udp(dns.message.make_query(ZONE, "SOA"), "127.0.0.1", port=port, timeout=0.5)
            if answer.rcode() == dns.rcode.NOERROR and answer.answer:
                return proc, port
        except (dns.exception.Timeout, ConnectionRefusedError, OSError):
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    log.seek(0)
    print(log.read())
    raise SystemExit("FAIL: knotd did not start")


def shape(reply):
    """What two servers' replies must agree on: rcode, AA, TC and the sections as sets of text."""
    def section(rrsets):
        return sorted(line for rrset in rrsets for line in rrset.to_text().splitlines())
    return {
        "rcode": dns.rcode.to_text(reply.rcode()),
        "aa": bool(reply.flags & dns.flags.AA),
        "tc": bool(reply.flags & dns.flags.TC),
        "answer": section(reply.answer),
        "authority": section(reply.authority),
        "additional": section(reply.additional),
    }


def ask(port, name, rdtype, tcp=False, **make):
    q = dns.message.make_query(name, rdtype, **make)
    if tcp:
        return dns.query.tcp(q, "127.0.0.1", port=port, timeout=5)
    return dns.query.udp(q, "127.0.0.1", port=port, timeout=5)


def compare_queries(ours, knot, when):
    for name, rdtype in QUERIES:
        for tcp, edns in ((False, -1), (False, 0), (True, 0)):
            a = shape(ask(ours, name, rdtype, tcp, use_edns=edns))
            b = shape(ask(knot, name, rdtype, tcp, use_edns=edns))
            transport = f"{'tcp' if tcp else 'udp'}{'' if edns < 0 else '+edns'}"
            check(a == b, f"{when}: {name} {rdtype} over {transport} answered alike"
                          + ("" if a == b else f"\n  dockerops-dnsd {a}\n  knot           {b}"))


def transfer(port):
    """The zone by a signed AXFR, as sorted lines of text; SOA serials compared apart."""
    zone = dns.zone.from_xfr(dns.query.xfr("127.0.0.1", ZONE, port=port, keyring=KEYRING, keyname=KEY_NAME,
                                           keyalgorithm="hmac-sha256", timeout=10, relativize=False),
                             relativize=False)
    return sorted(zone.to_text(relativize=False).splitlines())


def update(port, build, signed=True):
    u = dns.update.UpdateMessage(ZONE, keyring=KEYRING if signed else None, keyname=KEY_NAME if signed else None,
                                 keyalgorithm="hmac-sha256")
    build(u)
    return dns.rcode.to_text(dns.query.tcp(u, "127.0.0.1", port=port, timeout=5).rcode())


# Signed updates sent to both, in order; (what, build). Each must give the same rcode.
UPDATES = [
    ("add an MX (exchange compressed)", lambda u: u.add("mail2", 300, "MX", "20 mx1.local.zone.")),
    ("add an SRV", lambda u: u.add("_sip._udp", 300, "SRV", "0 5 5060 web.local.zone.")),
    ("add a CNAME and a PTR", lambda u: (u.add("alias2", 300, "CNAME", "web.local.zone."),
                                          u.add("6", 300, "PTR", "web.local.zone."))),
    ("add to the apex NS", lambda u: u.add("@", 300, "NS", "dns.local.zone.")),
    ("prerequisite on a PTR in another case", lambda u: (u.present("5", "PTR", "web.local.zone."),
                                                          u.add("5", 300, "TXT", "\"checked\""))),
    ("prerequisite that fails: NXRRSET", lambda u: u.present("web", "A", "10.9.9.9")),
    ("prerequisite that fails: YXDOMAIN", lambda u: u.absent("web")),
    ("prerequisite that fails: NXDOMAIN", lambda u: u.present("nothere")),
    ("prerequisite that fails: YXRRSET", lambda u: u.absent("web", "A")),
    ("CNAME beside data is ignored", lambda u: u.add("web", 300, "CNAME", "dns.local.zone.")),
    ("data beside a CNAME is ignored", lambda u: u.add("www", 300, "A", "10.0.0.1")),
    ("delete an RR in another case", lambda u: u.delete("mail", "MX", "10 MX1.local.zone.")),
    ("delete an RRset", lambda u: u.delete("txt", "TXT")),
    ("delete a name", lambda u: u.delete("web2")),
    ("delete the apex SOA is ignored", lambda u: u.delete("@", "SOA")),
    ("add a wildcard", lambda u: u.add("*.svc", 300, "A", "172.30.0.70")),
    ("delegate a new name with glue", lambda u: (u.add("new", 300, "NS", "ns.new.local.zone."),
                                                  u.add("ns.new", 300, "A", "172.30.2.1"))),
    ("remove the old delegation", lambda u: u.delete("sub", "NS")),
    ("a name outside the zone", lambda u: u.add("elsewhere.example.", 300, "A", "10.0.0.1")),
]


def main():
    tmp = tempfile.mkdtemp(prefix="dns-knot-")
    procs = []
    try:
        key_file, zone_file = write_files(tmp, KEY_NAME, SECRET, ZONE_TEXT)
        ours_proc, ours = start_dnsd(tmp, "--zone-file", zone_file, "--key-file", key_file,
                                     "--journal", os.path.join(tmp, "zones.jnl"), "--no-forward")
        procs.append(ours_proc)
        knot_proc, knot = start_knot(tmp, zone_file)
        procs.append(knot_proc)

        compare_queries(ours, knot, "before updates")
        check(transfer(ours) == transfer(knot), "the zones transfer alike before updates")

        for what, build in UPDATES:
            a, b = update(ours, build), update(knot, build)
            check(a == b, f"update: {what}: {a} from both" + ("" if a == b else f" (knot {b})"))

        # Kept differences, each asserted.
        add_a = lambda u: u.add("unsigned", 300, "A", "10.0.0.1")  # noqa: E731
        check((update(ours, add_a, False), update(knot, add_a, False)) == ("REFUSED", "NOTAUTH"),
              KEPT["unsigned-update"])
        axfr = dns.message.make_query(ZONE, "AXFR")
        check((dns.rcode.to_text(dns.query.tcp(axfr, "127.0.0.1", port=ours, timeout=5).rcode()),
               dns.rcode.to_text(dns.query.tcp(axfr, "127.0.0.1", port=knot, timeout=5).rcode()))
              == ("REFUSED", "NOTAUTH"), KEPT["unsigned-axfr"])
        udp = [dns.rcode.to_text(dns.query.udp(axfr, "127.0.0.1", port=p, timeout=5).rcode()) for p in (ours, knot)]
        check(tuple(udp) == ("REFUSED", "NOTIMP"), KEPT["udp-axfr"] + f" (got {udp})")
        # Both store names inside rdata lowercase (RFC 4034 §6.2), from zone files and updates alike.
        case = lambda u: u.add("cased", 300, "CNAME", "Web.Local.Zone.")  # noqa: E731
        check((update(ours, case), update(knot, case)) == ("NOERROR", "NOERROR"), "update: a CNAME in mixed case")
        ours_zone, knot_zone = transfer(ours), transfer(knot)
        check("cased.local.zone. 300 IN CNAME web.local.zone." in ours_zone, "names in rdata are stored lowercase")
        check(ours_zone == knot_zone, "the zones transfer alike after the updates (serials included)"
              + ("" if ours_zone == knot_zone
                 else "\n  only dockerops-dnsd: " + str(sorted(set(ours_zone) - set(knot_zone)))
                 + "\n  only knot: " + str(sorted(set(knot_zone) - set(ours_zone)))))
        compare_queries(ours, knot, "after updates")

        # Last, as it changes Knot's zone alone.
        dname = lambda u: u.add("old", 300, "DNAME", "new.example.")  # noqa: E731
        check((update(ours, dname), update(knot, dname)) == ("REFUSED", "NOERROR"), KEPT["dname-update"])
        cap = lambda u: [u.add("many", 300, "A", f"10.8.0.{i}") for i in range(65)]  # noqa: E731
        check((update(ours, cap), update(knot, cap)) == ("REFUSED", "NOERROR"), KEPT["name-cap"])
    finally:
        stop_and_report(procs, tmp, failures)


if __name__ == "__main__":
    main()
