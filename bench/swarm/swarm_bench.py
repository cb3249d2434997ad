#!/usr/bin/env python3
"""Swarm floors on a 3-node test bed of engine-in-container nodes (tests/integration/swarmlib.bash).

deploy:   N one-replica dnsrr services of a 2 MB image (side-loaded) until every one runs:
          `docker stack deploy` of the equivalent compose file (the nodes' own 20.10 CLI, run on the
          manager) against the raw Engine API (POST /networks/create + N POST /services/create with
          urllib, one at a time and 4 at a time). Each round runs the three back to back, in a rotated
          order, so a slow moment of the machine hits all of them; between them everything is removed
          and the nodes hold no container. This is the floor the 1.1x goal of issue 17 is measured on.
failover: a worker running a replica of a 3-replica service is killed (`docker kill` of its node):
          time until the manager marks it down and until its replica runs on another node, with
          Swarm's defaults (HeartbeatPeriod 5 s, RestartPolicy.Delay 5 s) and tuned (1 s, 0 s). The node
          is restored (same identity) before the next round.

dockerops: `dockerops run:all` of a project of N instances (N named instances, or one entry with
          "instances": N with --shape replicas) of a service built FROM dockerops/base, until run:all
          returns (it waits until every task runs), against `docker stack deploy` of the equivalent
          compose file (the same pushed image by digest, dnsrr, one overlay; N services, or one of N
          replicas) until every task runs. On its own bed whose nodes pull from the bed's registry
          (host.conf "registry"); a warm-up run puts the image on every node first, so no round pulls.
          Each round runs both, in a rotated order, and removes everything between them
          (`dockerops clean:all`, `docker stack rm`).

nodeloss: a project (DNS + web of 3 replicas) with `dockerops agent` following it; a worker running a
          web task is killed: time until the manager marks it down, the instance runs elsewhere, and
          every surviving node's DNS answers its new address (nodeloss.py), --rounds rounds with the
          heartbeat at 1 s, then --default-rounds at Swarm's default 5 s.

Usage: bench/swarm/swarm_bench.py [--services 30] [--rounds 3] [--only deploy|failover|dockerops|nodeloss]
                                  [--shape services|replicas] [--default-rounds 3]
                                  [--dockerops build/bin/dockerops]
Run it while nothing else uses the daemon: bench/swarm/swarm_bench.py
Everything carries dockerops.test=1 and is removed at the end, even on failure. Prints Markdown tables.
"""

import argparse
import concurrent.futures
import json
import os
import statistics
import sys
import time
import urllib.error

from swarmbed import REPO, Bed, Dockerops, sh, summary, wait_for

IMAGE = f"dockerops-test/tiny:bench-{os.getpid()}"
ARGS = ["/bin/busybox", "httpd", "-f", "-p", "80", "-h", "/www"]


# --- deploy ----------------------------------------------------------------------------------

def compose_file(count):
    lines = ["version: \"3.8\"", "services:"]
    for i in range(1, count + 1):
        lines += [f"  s{i:02d}:", f"    image: {IMAGE}", f"    command: {json.dumps(ARGS)}",
                  "    networks: [net]", "    labels: {dockerops.test: \"1\"}",
                  "    deploy:", "      endpoint_mode: dnsrr", "      replicas: 1",
                  "      labels: {dockerops.test: \"1\"}"]
    lines += ["networks:", "  net:", "    driver: overlay", "    labels: {dockerops.test: \"1\"}"]
    return "\n".join(lines) + "\n"


def service_spec(name, network, alias, stack_label):
    return {"Name": name, "Labels": {"dockerops.test": "1", "bench.deploy": stack_label},
            "TaskTemplate": {"ContainerSpec": {"Image": IMAGE, "Args": ARGS},
                             "Networks": [{"Target": network, "Aliases": [alias]}]},
            "Mode": {"Replicated": {"Replicas": 1}}, "EndpointSpec": {"Mode": "dnsrr"}}


def all_running(bed, label, count):
    services = bed.api.call("GET", "/services", query={"status": "true",
                                                        "filters": json.dumps({"label": [label]})})
    return len(services) == count and all(
        s.get("ServiceStatus", {}).get("RunningTasks", 0) == 1 for s in services)


def deploy_stack(bed, count):
    compose = compose_file(count)
    started = time.monotonic()
    sh("docker", "exec", "-i", bed.manager, "docker", "stack", "deploy", "--resolve-image", "never",
       "-c", "-", "bench", stdin=compose)
    label = "com.docker.stack.namespace=bench"
    done = wait_for("the stack running", lambda: all_running(bed, label, count))
    sh("docker", "exec", bed.manager, "docker", "stack", "rm", "bench")
    wait_for("the stack removed", lambda: bed.quiet(label) and not bed.api.get("/networks", name=["bench_net"]))
    return done - started


def deploy_raw(bed, count, jobs):
    label = f"bench.deploy=raw{jobs}"
    network = f"raw{jobs}_net"
    started = time.monotonic()
    bed.api.call("POST", "/networks/create", {"Name": network, "Driver": "overlay", "CheckDuplicate": True,
                                              "Labels": {"dockerops.test": "1"}})
    specs = [service_spec(f"raw{jobs}_s{i:02d}", network, f"s{i:02d}", f"raw{jobs}") for i in range(1, count + 1)]
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        list(pool.map(lambda spec: bed.api.call("POST", "/services/create", spec), specs))
    done = wait_for(f"{count} raw services running", lambda: all_running(bed, label, count))
    for service in bed.api.get("/services", label=[label]):
        bed.api.call("DELETE", "/services/" + service["ID"])
    wait_for("the raw services gone", lambda: bed.quiet("com.docker.swarm.service.name") and
             not bed.api.get("/services", label=[label]))

    def network_removed():
        try:
            bed.api.call("DELETE", "/networks/" + network)
            return True
        except urllib.error.HTTPError:
            return False
    wait_for("the raw network removed", network_removed, period=0.2)
    return done - started


def bench_deploy(bed, count, rounds):
    methods = [("`docker stack deploy` (20.10 CLI on the manager)", lambda: deploy_stack(bed, count)),
               ("raw API, one create at a time", lambda: deploy_raw(bed, count, 1)),
               ("raw API, 4 creates at a time", lambda: deploy_raw(bed, count, 4))]
    times = {name: [] for name, _ in methods}
    for r in range(rounds):
        order = methods[r % len(methods):] + methods[:r % len(methods)]
        for name, run in order:
            seconds = run()
            times[name].append(seconds)
            print(f"round {r + 1}: {name}: {seconds:.2f} s", file=sys.stderr)
    return times


# --- dockerops against docker stack deploy ---------------------------------------------------

def bench_dockerops(count, rounds, shape, binary):
    bed = Bed(pulls=True)
    dops = None
    try:
        bed.up()
        registry = bed.start_registry()
        bed.load("dockerops/debian:bookworm,dockerops/base:latest", bed.manager)
        if shape == "replicas":
            entries = [{"service": "web", "instance": "w", "instances": count}]
        else:
            entries = [{"service": "web", "instance": f"w{i:02d}"} for i in range(1, count + 1)]
        dops = Dockerops(bed, binary, entries, registry)

        def quiet():
            return bed.quiet("dockerops.project=bench") and not bed.api.get("/networks", name=["bench_net"])

        dops("run:all")  # warm-up: builds, pushes, every node pulls the image
        image = bed.api.get("/services", label=["dockerops.project=bench"])[0]["Spec"]["TaskTemplate"][
            "ContainerSpec"]["Image"]
        for node in bed.nodes:  # every node holds the image, so no round pulls
            if not bed.node_api(node).get("/images/json", reference=[image.split("@")[0]]):
                sh("docker", "exec", node, "docker", "pull", image)
        dops("clean:all,force=true")
        wait_for("the warm-up gone", quiet, period=0.2)

        def run_dockerops():
            started = time.monotonic()
            dops("run:all")
            done = time.monotonic()
            label = "dockerops.project=bench"
            if not all_running_tasks(bed, label, count):
                raise RuntimeError("run:all returned before every task ran")
            dops("clean:all,force=true")
            wait_for("the project gone", quiet, period=0.2)
            return done - started

        def run_stack():
            compose = stack_compose(count, shape, image)
            started = time.monotonic()
            sh("docker", "exec", "-i", bed.manager, "docker", "stack", "deploy", "--resolve-image", "never",
               "-c", "-", "bench", stdin=compose)
            label = "com.docker.stack.namespace=bench"
            done = wait_for("the stack running", lambda: all_running_tasks(bed, label, count))
            sh("docker", "exec", bed.manager, "docker", "stack", "rm", "bench")
            wait_for("the stack removed", lambda: bed.quiet(label) and
                     not bed.api.get("/networks", name=["bench_net"]), period=0.2)
            return done - started

        methods = [("`docker stack deploy` of the equivalent compose file", run_stack),
                   ("`dockerops run:all`", run_dockerops)]
        times = {name: [] for name, _ in methods}
        for r in range(rounds):
            order = methods[r % 2:] + methods[:r % 2]
            for name, run in order:
                seconds = run()
                times[name].append(seconds)
                print(f"round {r + 1}: {name}: {seconds:.2f} s", file=sys.stderr)
        return times
    finally:
        bed.down()
        if dops:
            dops.remove()


def stack_compose(count, shape, image):
    lines = ["version: \"3.8\"", "services:"]
    names = ["w"] if shape == "replicas" else [f"w{i:02d}" for i in range(1, count + 1)]
    for name in names:
        lines += [f"  {name}:", f"    image: {image}", "    networks: [net]",
                  "    labels: {dockerops.test: \"1\"}", "    deploy:", "      endpoint_mode: dnsrr",
                  f"      replicas: {count if shape == 'replicas' else 1}", "      labels: {dockerops.test: \"1\"}"]
    lines += ["networks:", "  net:", "    driver: overlay", "    labels: {dockerops.test: \"1\"}"]
    return "\n".join(lines) + "\n"


def all_running_tasks(bed, label, count):
    services = bed.api.call("GET", "/services", query={"status": "true",
                                                        "filters": json.dumps({"label": [label]})})
    return sum(s.get("ServiceStatus", {}).get("RunningTasks", 0) for s in services) == count


# --- failover --------------------------------------------------------------------------------

def bench_failover(bed, rounds, heartbeat, delay_ns, name):
    bed.set_heartbeat(heartbeat)
    spec = {"Name": name, "Labels": {"dockerops.test": "1"},
            "TaskTemplate": {"ContainerSpec": {"Image": IMAGE, "Args": ARGS, "StopGracePeriod": 1_000_000_000},
                             "RestartPolicy": {"Condition": "any", "Delay": delay_ns}},
            "Mode": {"Replicated": {"Replicas": 3}}, "EndpointSpec": {"Mode": "dnsrr"}}
    bed.api.call("POST", "/services/create", spec)
    wait_for(f"{name} running", lambda: len(bed.running_tasks(name)) == 3)
    ids = bed.node_ids()
    hostname_of = {v: k for k, v in ids.items()}
    down, moved = [], []
    for r in range(rounds):
        tasks = bed.running_tasks(name)
        workers = [hostname_of[t["NodeID"]] for t in tasks if hostname_of[t["NodeID"]] != bed.manager]
        if not workers:
            raise RuntimeError(f"no replica of {name} on a worker")
        victim = workers[0]
        started = time.monotonic()
        sh("docker", "kill", victim)
        t_down = None

        def settled():
            nonlocal t_down
            if t_down is None and bed.node_state(ids[victim]) == "down":
                t_down = time.monotonic()
            now = bed.running_tasks(name)
            return len(now) == 3 and all(t["NodeID"] != ids[victim] for t in now)
        t_moved = wait_for("the replica rescheduled", settled)
        if t_down is None:
            t_down = wait_for(f"{victim} down", lambda: bed.node_state(ids[victim]) == "down")
        down.append(t_down - started)
        moved.append(t_moved - started)
        print(f"round {r + 1}: heartbeat {heartbeat} s: down {down[-1]:.2f} s, running elsewhere "
              f"{moved[-1]:.2f} s", file=sys.stderr)
        sh("docker", "start", victim)
        wait_for(f"{victim} ready", lambda: bed.node_state(ids[victim]) == "ready",
                 period=0.2)
        wait_for("no duplicate on the restored node",
                 lambda: not bed.containers(victim, f"com.docker.swarm.service.name={name}"), period=0.2)
    bed.api.call("DELETE", "/services/" + name)
    wait_for(f"{name} gone", lambda: bed.quiet(f"com.docker.swarm.service.name={name}"), period=0.2)
    return down, moved


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--services", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=["deploy", "failover", "dockerops", "nodeloss"])
    parser.add_argument("--default-rounds", type=int, default=3,
                        help="nodeloss: rounds with the default heartbeat (5 s), after --rounds tuned (1 s)")
    parser.add_argument("--shape", choices=["services", "replicas"], default="services")
    parser.add_argument("--dockerops", default=os.path.join(REPO, "build", "bin", "dockerops"))
    options = parser.parse_args()
    if options.only == "nodeloss":
        import nodeloss
        configs = [(h, n) for h, n in ((1, options.rounds), (5, options.default_rounds)) if n > 0]
        load = os.getloadavg()
        results = nodeloss.bench(options.dockerops, configs)
        print(f"\nMachine: {os.cpu_count()} CPUs, {sh('uname', '-r').strip()}; load average (1 min) "
              f"{load[0]:.1f} before, {os.getloadavg()[0]:.1f} after; medians (min-max).\n")
        nodeloss.report(results)
        return
    if options.only == "dockerops":
        times = bench_dockerops(options.services, options.rounds, options.shape, options.dockerops)
        stack = statistics.median(next(iter(times.values())))
        print(f"\nMachine: {os.cpu_count()} CPUs, {sh('uname', '-r').strip()}; medians of {options.rounds} rounds (min-max).\n")
        shape = f"{options.services} services" if options.shape == "services" else f"1 service of {options.services} replicas"
        print(f"| deploy {options.services} instances ({shape}) until all run | median (spread) | vs stack deploy |")
        print("|---|---|---|")
        for name, values in times.items():
            print(f"| {name} | {summary(values)} | {statistics.median(values) / stack:.2f}x |")
        return
    bed = Bed(tiny_image=IMAGE)
    try:
        bed.up()
        print(f"bed: 3 nodes Ready in {bed.up_seconds:.1f} s, {IMAGE} side-loaded in {bed.load_seconds:.1f} s",
              file=sys.stderr)
        machine = f"{os.cpu_count()} CPUs, {sh('uname', '-r').strip()}, nodes: Debian docker.io " + \
            sh("docker", "exec", bed.manager, "docker", "version", "--format", "{{.Server.Version}}").strip()
        print(f"\nMachine: {machine}; medians of {options.rounds} rounds (min-max).\n")
        if options.only in (None, "deploy"):
            times = bench_deploy(bed, options.services, options.rounds)
            stack = statistics.median(next(iter(times.values())))
            print(f"| deploy {options.services} one-replica services until all run | median (spread) | vs stack deploy |")
            print("|---|---|---|")
            for name, values in times.items():
                print(f"| {name} | {summary(values)} | {statistics.median(values) / stack:.2f}x |")
            print()
        if options.only in (None, "failover"):
            print("| worker killed (3 replicas) | marked down | replica running elsewhere |")
            print("|---|---|---|")
            for label, heartbeat, delay, name in (("defaults: heartbeat 5 s, restart delay 5 s", 5, 5_000_000_000, "fo-default"),
                                                  ("tuned: heartbeat 1 s, restart delay 0", 1, 0, "fo-tuned")):
                down, moved = bench_failover(bed, options.rounds, heartbeat, delay, name)
                print(f"| {label} | {summary(down)} | {summary(moved)} |")
            print()
    finally:
        bed.down()
        print(f"bed torn down in {bed.down_seconds:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
