"""Shared set-up of the dockerops-dnsd integration scripts (imported, not a test itself):
the checks that dnspython and the server binary are there, starting a server on
127.0.0.1 with a port the kernel picks, check() and run() for the scripts' verdicts."""

import base64
import os
import re
import shutil
import subprocess
import sys
import time

try:
    import dns.message  # noqa: F401  (the scripts import the parts they use)
except ImportError:
    print("FAIL: dnspython missing (apt-get install python3-dnspython)")
    sys.exit(1)

DNSD = os.environ.get("DOCKEROPS_DNSD")
if not DNSD:
    print("FAIL: DOCKEROPS_DNSD must name the dockerops-dnsd binary")
    sys.exit(1)


failures = []

ZONE = "local.zone."
# A well-formed hmac-sha256 secret that is not the server's (BADSIG).
WRONG_SECRET = base64.b64encode(bytes(32)).decode()


def secret(first):
    """A 32-byte hmac-sha256 secret in base64 (bytes first..first+31), distinct per script."""
    return base64.b64encode(bytes(range(first, first + 32))).decode()


def apex(ns):
    """The head of every test zone: local.zone. with TTL 60, an SOA (serial 1) and one NS, `ns`."""
    return f"$ORIGIN local.zone.\n$TTL 60\n@ IN SOA {ns} hostmaster 1 3600 600 86400 60\n@ IN NS {ns}\n"


def check(condition, what):
    """Prints one verdict line; a failed check is remembered for stop_and_report."""
    print(f"{'ok' if condition else 'FAIL'}: {what}")
    if not condition:
        failures.append(what)


def run(*argv):
    """Runs a client (dig, kdig, ...); returns stdout and stderr together (warnings go to either)."""
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
    return p.stdout


def need_tools(*tools):
    """Exits with a FAIL line naming the package when a client is missing (CI has them all)."""
    for tool in tools:
        if not shutil.which(tool):
            print(f"FAIL: {tool} missing (apt-get install bind9-dnsutils knot-dnsutils)")
            sys.exit(1)


def write_files(tmp, key_name, secret, zone_text):
    """Writes tmp/dns.key (BIND key-file syntax, hmac-sha256) and tmp/local.zone.db; returns their paths."""
    key = os.path.join(tmp, "dns.key")
    with open(key, "w") as f:
        f.write(f'key "{key_name}" {{\n\talgorithm hmac-sha256;\n\tsecret "{secret}";\n}};\n')
    zone = os.path.join(tmp, "local.zone.db")
    with open(zone, "w") as f:
        f.write(zone_text)
    return key, zone


def start_dnsd(tmp, *args):
    """Starts dockerops-dnsd for zone local.zone with extra `args`, logging to tmp/log
    (appended, so restarts keep the history); returns (process, port) once it serves."""
    log = open(os.path.join(tmp, "log"), "a+")
    start = log.tell()
    proc = subprocess.Popen([DNSD, "--listen", "127.0.0.1", "--port", "0", "--zone", "local.zone", *args],
                            stderr=log)
    for _ in range(100):
        log.seek(start)
        m = re.search(r" port (\d+) \(udp, tcp\)", log.read())
        if m:
            return proc, int(m.group(1))
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    log.seek(0)
    print(log.read())
    raise SystemExit("FAIL: dnsd did not start")


def stop_and_report(procs, tmp, failures):
    """The end of every script: stops the servers `procs`, prints tmp/log when
    there were `failures` (a list of what failed, or a count), removes tmp, and
    exits 1 on failures or prints "all passed". Call it in `finally:`; when an
    exception is on its way out it prints the log and lets the exception end
    the script."""
    count = failures if isinstance(failures, int) else len(failures)
    raising = sys.exc_info()[0] is not None
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    if count or raising:
        with open(os.path.join(tmp, "log")) as f:
            print(f.read()[-20000:])
    shutil.rmtree(tmp, ignore_errors=True)
    if raising:
        return
    if count:
        print(f"{count} failure(s)")
        sys.exit(1)
    print("all passed")
