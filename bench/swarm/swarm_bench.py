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

Usage: bench/swarm/swarm_bench.py [--services 30] [--rounds 3] [--only deploy|failover|dockerops]
                                  [--shape services|replicas] [--dockerops build/bin/dockerops]
Run it while nothing else uses the daemon: bench/swarm/swarm_bench.py
Everything carries dockerops.test=1 and is removed at the end, even on failure. Prints Markdown tables.
"""

import argparse
import concurrent.futures
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
LIB = os.path.join(HERE, "..", "..", "tests", "integration", "swarmlib.bash")
IMAGE = f"dockerops-test/tiny:bench-{os.getpid()}"
ARGS = ["/bin/busybox", "httpd", "-f", "-p", "80", "-h", "/www"]
LIMIT = 300  # seconds: bound on every wait


def sh(*command, stdin=None):
    return subprocess.run(command, input=stdin, check=True, capture_output=True, text=True).stdout


def wait_for(what, predicate, period=0.05):
    deadline = time.monotonic() + LIMIT
    while time.monotonic() < deadline:
        if predicate():
            return time.monotonic()
        time.sleep(period)
    raise RuntimeError(f"timed out waiting for {what}")


class Api:
    """The Engine API of one node over TCP (the test bridge)."""

    def __init__(self, ip):
        self.base = f"http://{ip}:2375/v1.41"

    def call(self, method, path, body=None, query=None):
        url = self.base + path + ("?" + urllib.parse.urlencode(query) if query else "")
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as reply:
            text = reply.read()
        return json.loads(text) if text else None

    def get(self, path, **filters):
        return self.call("GET", path, query={"filters": json.dumps(filters)} if filters else None)


class Bed:
    def __init__(self, pulls=False):
        self.state = tempfile.mktemp(prefix="swarm-bench-", suffix=".state")
        self.down_seconds = 0.0
        self.pulls = pulls  # the nodes pull from a registry (SWARM_PREFER_OFFLINE=0)

    def up(self):
        env = dict(os.environ, SWARM_PREFIX=f"b-swarm-{os.getpid()}",
                   SWARM_PREFER_OFFLINE="0" if self.pulls else "1")
        started = time.monotonic()
        subprocess.run(["bash", LIB, "up", "3", self.state], check=True, env=env)
        self.up_seconds = time.monotonic() - started
        text = open(self.state).read()
        self.prefix = env["SWARM_PREFIX"]
        self.nodes = [f"{self.prefix}-n{i}" for i in (1, 2, 3)]
        self.ips = {n: sh("docker", "inspect", "--format",
                          "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", n).strip()
                    for n in self.nodes}
        assert self.prefix in text
        self.manager = self.nodes[0]
        self.api = Api(self.ips[self.manager])
        sh("bash", LIB, "tiny-image", self.state, IMAGE)
        started = time.monotonic()
        sh("bash", LIB, "load", self.state, IMAGE)
        self.load_seconds = time.monotonic() - started

    def down(self):
        started = time.monotonic()
        if os.path.exists(self.state):
            subprocess.run(["bash", LIB, "down", self.state], check=False)
        self.down_seconds = time.monotonic() - started
        if os.path.exists(self.state):
            os.remove(self.state)

    def node_api(self, node):
        return Api(self.ips[node])

    def set_heartbeat(self, seconds):
        swarm = self.api.call("GET", "/swarm")
        spec = swarm["Spec"]
        spec["Dispatcher"]["HeartbeatPeriod"] = int(seconds * 1e9)
        self.api.call("POST", "/swarm/update", spec, {"version": swarm["Version"]["Index"]})

    def containers(self, node, label):
        return self.node_api(node).get("/containers/json", label=[label])

    def quiet(self, label):
        """True when no node runs a container with the label (tasks really gone)."""
        return all(not self.containers(n, label) for n in self.nodes)


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

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))


def dockerops_project(root, count, shape, registry):
    project = os.path.join(root, "bench")
    os.makedirs(os.path.join(project, "services", "web"), exist_ok=True)
    with open(os.path.join(project, "services", "web", "Dockerfile"), "w") as f:
        f.write("FROM dockerops/base\nRUN echo bench >/etc/bench\n")
    if shape == "replicas":
        entries = [{"service": "web", "instance": "w", "instances": count}]
    else:
        entries = [{"service": "web", "instance": f"w{i:02d}"} for i in range(1, count + 1)]
    with open(os.path.join(project, "run.conf"), "w") as f:
        json.dump(entries, f)
    with open(os.path.join(project, "host.conf"), "w") as f:
        json.dump({"orchestrator": "swarm", "registry": registry}, f)
    return project


def bench_dockerops(count, rounds, shape, binary):
    bed = Bed(pulls=True)
    root = tempfile.mkdtemp(prefix="swarm-bench-dops-")
    try:
        bed.up()
        sh("bash", LIB, "registry", bed.state)
        registry = [line for line in open(bed.state) if "SWARM_REGISTRY=" in line][0].split("=", 1)[1]
        registry = registry.strip().strip('"')
        sh("bash", LIB, "load", bed.state, "dockerops/debian:bookworm,dockerops/base:latest", bed.manager)
        project = dockerops_project(root, count, shape, registry)
        env = dict(os.environ, DOCKER_HOST=f"tcp://{bed.ips[bed.manager]}:2375", NO_COLOR="1",
                   DOCKEROPS_EXTRA_LABELS="dockerops.test=1", DOCKEROPS_DATA_DIR=REPO)

        def dops(*args):
            return subprocess.run([binary, "--project-dir", project, *args], check=True, env=env,
                                  capture_output=True, text=True).stdout

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
        subprocess.run(["rm", "-rf", root], check=False)


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

def running_tasks(bed, service):
    tasks = bed.api.get("/tasks", service=[service], **{"desired-state": ["running"]})
    return [t for t in tasks if t["Status"]["State"] == "running"]


def node_ids(bed):
    return {n["Description"]["Hostname"]: n["ID"] for n in bed.api.call("GET", "/nodes")}


def bench_failover(bed, rounds, heartbeat, delay_ns, name):
    previous = bed.api.call("GET", "/swarm")["Spec"]["Dispatcher"]["HeartbeatPeriod"] / 1e9
    bed.set_heartbeat(heartbeat)
    # A node learns the new period from the answer to its next heartbeat, and the manager's expiry
    # timer of a node is armed with the period of its last one: wait two old periods, or the first
    # kill is still detected at the old pace.
    if previous != heartbeat:
        time.sleep(2 * previous)
    spec = {"Name": name, "Labels": {"dockerops.test": "1"},
            "TaskTemplate": {"ContainerSpec": {"Image": IMAGE, "Args": ARGS, "StopGracePeriod": 1_000_000_000},
                             "RestartPolicy": {"Condition": "any", "Delay": delay_ns}},
            "Mode": {"Replicated": {"Replicas": 3}}, "EndpointSpec": {"Mode": "dnsrr"}}
    bed.api.call("POST", "/services/create", spec)
    wait_for(f"{name} running", lambda: len(running_tasks(bed, name)) == 3)
    ids = node_ids(bed)
    hostname_of = {v: k for k, v in ids.items()}
    down, moved = [], []
    for r in range(rounds):
        tasks = running_tasks(bed, name)
        workers = [hostname_of[t["NodeID"]] for t in tasks if hostname_of[t["NodeID"]] != bed.manager]
        if not workers:
            raise RuntimeError(f"no replica of {name} on a worker")
        victim = workers[0]
        started = time.monotonic()
        sh("docker", "kill", victim)
        t_down = None

        def settled():
            nonlocal t_down
            if t_down is None and bed.api.call("GET", "/nodes/" + ids[victim])["Status"]["State"] == "down":
                t_down = time.monotonic()
            now = running_tasks(bed, name)
            return len(now) == 3 and all(t["NodeID"] != ids[victim] for t in now)
        t_moved = wait_for("the replica rescheduled", settled)
        if t_down is None:
            t_down = wait_for(f"{victim} down", lambda: bed.api.call(
                "GET", "/nodes/" + ids[victim])["Status"]["State"] == "down")
        down.append(t_down - started)
        moved.append(t_moved - started)
        print(f"round {r + 1}: heartbeat {heartbeat} s: down {down[-1]:.2f} s, running elsewhere "
              f"{moved[-1]:.2f} s", file=sys.stderr)
        sh("docker", "start", victim)
        wait_for(f"{victim} ready", lambda: bed.api.call("GET", "/nodes/" + ids[victim])["Status"]["State"] == "ready",
                 period=0.2)
        wait_for("no duplicate on the restored node",
                 lambda: not bed.containers(victim, f"com.docker.swarm.service.name={name}"), period=0.2)
    bed.api.call("DELETE", "/services/" + name)
    wait_for(f"{name} gone", lambda: bed.quiet(f"com.docker.swarm.service.name={name}"), period=0.2)
    return down, moved


def summary(values):
    return f"{statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--services", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=["deploy", "failover", "dockerops"])
    parser.add_argument("--shape", choices=["services", "replicas"], default="services")
    parser.add_argument("--dockerops", default=os.path.join(REPO, "build", "bin", "dockerops"))
    options = parser.parse_args()
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
    bed = Bed()
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
