#!/usr/bin/env python3
"""Summarises what bench/run/profile_start.sh recorded in OUT_DIR, for dockerops and compose:

  profile_summary.py OUT_DIR N

* requests per instance by kind (api_trace.py), the order of the calls (network create, the first
  and last container create and start), how many creates and starts the daemon had in flight at
  once and how long each took (median, 90th percentile);
* where the machine's CPU went during the perf start (share of samples per command, idle included)
  and the programs executed per instance (exec events);
* what the daemon's API goroutines were doing, summed over the samples (the innermost frame of the
  daemon's own code, and the lock or call it waits in);
* the syscalls of dockerd (strace -c), the ten it spent most time in.
"""
import collections
import glob
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import api_trace  # noqa: E402


def requests(out, tool, n):
    rows = [line.rstrip("\n").split("\t") for line in open(f"{out}/{tool}.api.tsv")]
    rows = [(float(s), float(e), st, api_trace.kind(m, p)) for _, s, e, st, m, p in rows]
    print(f"### {tool}: requests ({len(rows)}, {len(rows) / n:.2f} per instance)")
    for k, c in collections.Counter(r[3] for r in rows).most_common():
        print(f"  {c:5d}  {c / n:5.2f}/instance  {k}")
    t0 = min(r[0] for r in rows)
    for what in ("POST /networks/create", "POST /containers/create", "POST /containers/{id}/start",
                 "POST /networks/{id}/connect"):
        sel = sorted(r for r in rows if r[3] == what)
        if not sel:
            continue
        took = sorted(e - s for s, e, _, _ in sel)
        events = sorted([(s, 1) for s, _, _, _ in sel] + [(e, -1) for _, e, _, _ in sel])
        flight = peak = 0
        for _, d in events:
            flight += d
            peak = max(peak, flight)
        print(f"  {what}: first sent {sel[0][0] - t0:.2f} s, last answered {max(e for _, e, _, _ in sel) - t0:.2f} s, "
              f"took median {statistics.median(took):.3f} s, p90 {took[int(0.9 * (len(took) - 1))]:.3f} s, "
              f"max {took[-1]:.3f} s, at most {peak} in flight")
    print(f"  all requests answered by {max(r[1] for r in rows) - t0:.2f} s")


BOOT = {"supervisord", "dockerops-entry", "ssh-keygen", "sshd", "mkdir", "install", "cp", "mv", "chmod", "chown",
        "date", "rm", "touch", "find", "sh", "bash", "cat", "sed", "grep", "ln", "id", "getent", "hostname"}


def category(comm, exe):
    """What a CPU sample was spent on: `exe` is what its process executed last."""
    if comm == "exe" or (exe or "").startswith("/proc/"):
        return ("dockerd re-executed as runc's prestart hook (libnetwork-setkey)" if re.match(r"/proc/\d+/exe", exe or "")
                else "dockerd re-executed through /proc/self/exe (netns-create, set-ipv6)")
    if comm in BOOT:
        return "the containers booting"
    for prefix, what in (("runc", "runc"), ("containerd", "containerd and the shims"), ("dockerd", "dockerd"),
                         ("iptables", "iptables"), ("swapper", "idle"), ("dockerops", "the client"),
                         ("docker-compose", "the client")):
        if comm.startswith(prefix):
            return what
    return f"other ({comm})"


def perf(out, tool, n):
    script = subprocess.run(["perf", "script", "-i", f"{out}/{tool}.perf.data", "-F", "comm,pid,event,trace"],
                            capture_output=True, text=True).stdout
    exe, cpu, execs = {}, collections.Counter(), collections.Counter()
    for line in script.splitlines():
        m = re.match(r"\s*(\S.*?)\s+(\d+)\s+(\S+):\s*(.*)", line)
        if not m:
            continue
        comm, pid, event, rest = m.groups()
        if event.startswith("sched:sched_process_exec"):
            exe[pid] = re.search(r"filename=(\S+)", rest).group(1)
            execs[exe[pid]] += 1
        else:
            cpu[category(comm, exe.get(pid))] += 1
    total = sum(cpu.values())
    print(f"### {tool}: CPU of the whole machine by what it ran ({total} samples, idle included)")
    for k, c in cpu.most_common():
        if not k.startswith("other") or c / total >= 0.01:
            print(f"  {100 * c / total:5.1f} %  {k}")
    print(f"  {100 * sum(c for k, c in cpu.items() if k.startswith('other')) / total:5.1f} %  all others")
    print(f"### {tool}: programs executed ({sum(execs.values())}, {sum(execs.values()) / n:.1f} per instance)")
    for f, c in execs.most_common(8):
        print(f"  {c:5d}  {c / n:5.2f}/instance  {f}")


def goroutines(out, tool):
    where, why = collections.Counter(), collections.Counter()
    files = glob.glob(f"{out}/{tool}.goroutines.*.txt")
    for f in files:
        for g in open(f).read().split("\n\n"):
            lines = g.strip().splitlines()
            if not lines or not lines[0].startswith("goroutine ") or "ServeHTTP" not in g:
                continue
            state = re.search(r"\[([^,\]]+)", lines[0]).group(1)
            funcs = [l[:l.rfind("(")] if l.endswith(")") else l for l in lines[1::2]]
            own = next((f for f in funcs if f.startswith("github.com/docker/docker") and "/api/server" not in f), None)
            if own is None:
                continue
            where[own.replace("github.com/docker/docker/", "")] += 1
            waits = next((f for f in funcs if "Lock" in f or "grpc" in f or "Wait" in f or "exec" in f.lower()), state)
            why[f"{state}: {waits.replace('github.com/docker/docker/', '')}"] += 1
    total = sum(where.values())
    print(f"### {tool}: the daemon's API handlers in {len(files)} goroutine samples ({total} handler-samples)")
    print("  innermost daemon frame:")
    for k, c in where.most_common(12):
        print(f"  {c:5d}  {k}")
    print("  waiting in:")
    for k, c in why.most_common(12):
        print(f"  {c:5d}  {k}")


def strace(out, tool):
    print(f"### {tool}: dockerd syscalls (strace -f -c)")
    lines = open(f"{out}/{tool}.strace.txt").read().splitlines()
    for line in lines[:12] + lines[-2:]:
        print("  " + line)


def main(out, n):
    for tool in ("dockerops", "compose"):
        requests(out, tool, n)
        perf(out, tool, n)
        goroutines(out, tool)
        strace(out, tool)
        print()
    print(open(f"{out}/times").read())


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
