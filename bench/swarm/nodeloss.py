"""Node loss with dockerops on a swarm (issue 17): a project of a DNS and a web service of 3 replicas
on the 3-node bed, `dockerops agent` following it; per round a worker running a web task is killed
(`docker kill` of its node container) and the bench times, from the kill,
  down:    until the manager marks the node down (Swarm's heartbeat),
  running: until every web instance of that node runs on another node (Swarm's rescheduling),
  dns:     until every surviving node's dockerops-dns answers each moved instance's new address
           (the agent's sync: nothing else changes the DNS while a round runs).
The DNS is asked over TCP at each node's address (the DNS task publishes port 53 in host mode),
polled every 50 ms from the host; after the round the same answer is checked from a web task on
each surviving node through that node's DNS at the docker_gwbridge gateway, the agent's relocations
must have grown by the moved instances and it must have recorded a dns-sync. The node is then started
again (same identity), the bench waits until no instance has a duplicate and every node's DNS holds
every current address, and spreads the web tasks one per node again if needed (kills the container of
a task on a node holding two: Swarm restarts it on the node holding none).
Run through swarm_bench.py --only nodeloss."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

from swarmbed import Bed, Dockerops, sh, summary, wait_for

PROJECT = "nlbench"
WEB = f"{PROJECT}-web-w"  # one service of 3 replicas, instances w1..w3 (the task slots)
DNS = f"{PROJECT}-dockerops-dns-master"
NETWORK = f"{PROJECT}_net"
ZONE = "local.zone"
ENTRIES = [{"service": "dockerops-dns", "instance": "master"},
           {"service": "web", "instance": "w", "instances": 3}]


def log(text):
    print(f"[nodeloss {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def task_ip(task):
    for attachment in task.get("NetworksAttachments") or []:
        if attachment["Network"]["Spec"]["Name"] == NETWORK and attachment.get("Addresses"):
            return attachment["Addresses"][0].split("/")[0]
    return None


def dns_answer(node_ip, name):
    """The A records of NAME from the dockerops-dns of the node at NODE_IP, over TCP."""
    try:
        out = subprocess.run(["dig", "+tcp", "+short", "+tries=1", "+time=1", f"@{node_ip}", name],
                             capture_output=True, text=True, timeout=5).stdout
    except subprocess.TimeoutExpired:
        return []
    return sorted(out.split())


class Agent:
    """`dockerops agent` in the foreground on this host, DOCKER_HOST at the manager."""

    def __init__(self, dops):
        self.dops = dops
        self.log_path = os.path.join(dops.root, "agent.log")
        self.process = subprocess.Popen(dops.command("agent"), env=dops.env, stdin=subprocess.DEVNULL,
                                        stdout=open(self.log_path, "w"), stderr=subprocess.STDOUT)
        files = os.path.join(dops.project, ".dockerops")
        wait_for("the agent's URL", lambda: os.path.exists(os.path.join(files, "agent.url")) and
                 os.path.getsize(os.path.join(files, "agent.url")) > 0, period=0.2)
        self.url = open(os.path.join(files, "agent.url")).read().strip()
        self.token = open(os.path.join(files, "agent.token")).read().strip()

    def stats(self):
        request = urllib.request.Request(self.url + "/api/v1/stats",
                                         headers={"Authorization": f"Bearer {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as reply:
            return json.load(reply)

    def events(self, action, after=0):
        """The agent's events of ACTION with an id above AFTER."""
        lines = self.dops("--json", "events").splitlines()
        return [e for e in (json.loads(line) for line in lines if line.strip())
                if e["action"] == action and e["id"] > after]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)


class NodeLoss:
    def __init__(self, bed, dops, agent):
        self.bed, self.dops, self.agent = bed, dops, agent
        self.ids = bed.node_ids()
        self.hostname_of = {v: k for k, v in self.ids.items()}
        gateway = bed.api.call("GET", "/networks/docker_gwbridge")["IPAM"]["Config"][0]["Gateway"]
        self.gateway = gateway  # where a task reaches its node's DNS (every node of the bed: the same)
        self.spreads = 0

    def placement(self):
        """{instance: (node, address)} of the web tasks that run, as Swarm reports them."""
        where = {}
        for task in self.bed.running_tasks(WEB):
            ip = task_ip(task)
            if ip:
                where[f"w{task['Slot']}"] = (self.hostname_of.get(task["NodeID"]), ip)
        return where

    def web_containers(self, node, service=WEB):
        return self.bed.containers(node, f"com.docker.swarm.service.name={service}")

    def settled(self, nodes=None):
        """Every node ready, one web and one DNS container per node (no duplicates), 3 web instances
        running, and every node's DNS answering each instance's current address."""
        nodes = nodes or self.bed.nodes
        if any(self.bed.node_state(self.ids[n]) != "ready" for n in nodes):
            return False
        if any(len(self.web_containers(n, DNS)) != 1 for n in nodes):
            return False
        where = self.placement()
        if len(where) != 3 or sum(len(self.web_containers(n)) for n in nodes) != 3:
            return False
        return all(dns_answer(self.bed.ips[n], f"web-{i}.{ZONE}") == [ip]
                   for n in nodes for i, (_, ip) in where.items())

    def spread(self):
        """One web task per node: the container of a task on a node holding two is killed, Swarm
        restarts the task on the node with the fewest of the service's tasks (the one holding none).
        Swarm's scheduler puts last a node where 5 tasks of the service's spec version failed within
        5 minutes (a lost node's tasks count, and so do these kills): a label on the service (not on
        its tasks, which keep running) makes a new spec version first, whose failures start at 0."""
        for attempt in range(7):
            wait_for("the project settled", self.settled, period=0.5)
            counts = {n: self.web_containers(n) for n in self.bed.nodes}
            crowded = [n for n, cs in counts.items() if len(cs) > 1]
            if not crowded:
                return attempt
            self.spreads += 1
            if attempt >= 3:  # still not: every task anew (a rolling restart, one task at a time)
                sh("docker", "exec", self.bed.manager, "docker", "service", "update", "--quiet", "--force", WEB)
                continue
            sh("docker", "exec", self.bed.manager, "docker", "service", "update", "--detach", "--quiet",
               "--label-add", f"bench.spread={self.spreads}", WEB)
            container = counts[crowded[0]][0]["Id"]
            self.bed.node_api(crowded[0]).call("POST", f"/containers/{container}/kill")
            wait_for("the killed web task replaced", lambda: container not in
                     [c["Id"] for c in self.web_containers(crowded[0])], period=0.2)
        raise RuntimeError(f"the web tasks are not one per node after 7 moves: {self.placement()}")

    def check_from_tasks(self, nodes, moved):
        """Each moved instance's address from a web task on each node, through its node's DNS."""
        for node in nodes:
            container = self.web_containers(node)[0]["Id"]
            for instance, ip in moved.items():
                got = sh("docker", "exec", node, "docker", "exec", container, "dig", "+short", "+tries=2",
                         "+time=2", f"web-{instance}.{ZONE}", f"@{self.gateway}").split()
                if got != [ip]:
                    raise RuntimeError(f"web-{instance}.{ZONE} from a task on {node}: {got}, expected {ip}")

    def round(self, victim):
        before = self.placement()
        affected = sorted(i for i, (node, _) in before.items() if node == victim)
        if not affected:
            raise RuntimeError(f"no web task on {victim}: {before}")
        survivors = [n for n in self.bed.nodes if n != victim]
        relocations = self.agent.stats()["relocations"]
        last = max([e["id"] for e in self.agent.events("dns-sync")] + [0])
        t = {}
        moved = {}
        answered = set()

        def progress():
            if "down" not in t and self.bed.node_state(self.ids[victim]) == "down":
                t["down"] = time.monotonic()
            if "running" not in t:
                where = self.placement()
                if all(i in where and where[i][0] not in (None, victim) for i in affected):
                    t["running"] = time.monotonic()
                    moved.update({i: where[i][1] for i in affected})
            if "running" in t:
                for node in survivors:
                    for instance, ip in moved.items():
                        if (node, instance) not in answered and \
                                dns_answer(self.bed.ips[node], f"web-{instance}.{ZONE}") == [ip]:
                            answered.add((node, instance))
                if len(answered) == len(survivors) * len(moved):
                    t.setdefault("dns", time.monotonic())
            return "down" in t and "dns" in t

        started, wall = time.monotonic(), time.time()
        sh("docker", "kill", victim)
        wait_for(f"web {' '.join(affected)} of {victim} running elsewhere and in every surviving DNS", progress)
        result = {k: v - started for k, v in t.items()}
        result["moved"] = {i: (before[i][1], moved[i]) for i in affected}
        log(f"{victim} killed: down {result['down']:.2f} s, running elsewhere {result['running']:.2f} s, "
            f"DNS {result['dns']:.2f} s")
        # Not timed: what the tasks see, and that the agent did it.
        self.check_from_tasks(survivors, moved)
        wait_for("the agent's relocations", lambda: self.agent.stats()["relocations"] >= relocations + len(affected),
                 period=0.5, limit=60)
        syncs = self.agent.events("dns-sync", after=last)
        if not syncs:
            raise RuntimeError("the DNS followed without a dns-sync event of the agent")
        result["syncs"] = [f"{e['time'][11:23]} {e['details'].get('ms')} ms: {e['reason']}" for e in syncs]
        result["killed_at"] = time.strftime("%H:%M:%S", time.gmtime(wall)) + f".{int(wall * 1000) % 1000:03d}"
        # The node returns with the same identity; its old tasks are shut down, its DNS task restarts.
        back = time.monotonic()
        sh("docker", "start", victim)
        wait_for(f"{victim} ready", lambda: self.bed.node_state(self.ids[victim]) == "ready", period=0.2)
        wait_for("no duplicates and every DNS current", self.settled, period=0.5)
        result["settled"] = time.monotonic() - back
        return result


def bench(binary, configs):
    """CONFIGS: [(heartbeat seconds, rounds)]. Returns {heartbeat: [round results]}."""
    # A SIGTERM (timeout, a lock's holder) still removes the bed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    bed = Bed(pulls=True)
    dops = agent = None
    results = {}
    try:
        bed.up()
        log(f"bed: 3 nodes Ready in {bed.up_seconds:.1f} s")
        registry = bed.start_registry()
        bed.load("dockerops/debian:bookworm,dockerops/base:latest,dockerops/dns:latest", bed.manager)
        bed.set_heartbeat(configs[0][0])
        dops = Dockerops(bed, binary, ENTRIES, registry, name=PROJECT)
        started = time.monotonic()
        dops("run:all")
        log(f"run:all in {time.monotonic() - started:.1f} s")
        agent = Agent(dops)
        if "on the swarm" not in open(agent.log_path).read():
            wait_for("the agent following the swarm", lambda: "on the swarm" in open(agent.log_path).read(),
                     period=0.2, limit=30)
        loss = NodeLoss(bed, dops, agent)
        rows = json.loads(dops("--json", "ps"))
        shown = {r["instance"]: (r["node"], r["ip"]) for r in rows if r["service"] == "web" and r["state"] == "running"}
        if shown != loss.placement():
            raise RuntimeError(f"ps shows {shown}, the tasks say {loss.placement()}")
        for heartbeat, rounds in configs:
            bed.set_heartbeat(heartbeat)
            results[heartbeat] = []
            for r in range(rounds):
                moves = loss.spread()
                victim = bed.nodes[1 + r % 2]  # the workers in turn (the manager holds the swarm)
                result = loss.round(victim)
                results[heartbeat].append(result)
                moved = ", ".join(f"w{i[1:]} {a}->{b}" for i, (a, b) in result["moved"].items())
                log(f"heartbeat {heartbeat} s, round {r + 1}: {victim} killed ({moves} spread moves): "
                    f"down {result['down']:.2f} s, running elsewhere {result['running']:.2f} s, "
                    f"DNS {result['dns']:.2f} s ({moved}); back and settled in {result['settled']:.1f} s; "
                    f"killed at {result['killed_at']}, the agent's dns-sync events: {'; '.join(result['syncs'])}")
        log(f"agent: {agent.stats()}")
        return results
    except BaseException:
        if agent:
            log("the agent's log (tail):\n" + "".join(open(agent.log_path).readlines()[-40:]))
            try:
                log("events (tail):\n" + "\n".join(dops("--json", "events").splitlines()[-30:]))
            except Exception as error:  # the report of a failure goes on
                log(f"no events: {error}")
        raise
    finally:
        if agent:
            agent.stop()
        bed.down()
        log(f"bed torn down in {bed.down_seconds:.1f} s")
        if dops:
            dops.remove()


def report(results):
    print("| heartbeat | rounds | marked down | running elsewhere | DNS updated on every surviving node | "
          "DNS after running (agent) |")
    print("|---|---|---|---|---|---|")
    for heartbeat, rows in results.items():
        name = f"{heartbeat:g} s" + (" (tuned)" if heartbeat == 1 else " (default)" if heartbeat == 5 else "")
        print(f"| {name} | {len(rows)} | {summary([r['down'] for r in rows])} | "
              f"{summary([r['running'] for r in rows])} | {summary([r['dns'] for r in rows])} | "
              f"{summary([r['dns'] - r['running'] for r in rows])} |")
