"""The 3-node swarm test bed of the swarm benchmarks (tests/integration/swarmlib.bash) seen from Python:
the bed's life cycle, each node's Engine API over the test bridge, bounded waits, and a dockerops
project driven against the bed's manager. Shared by swarm_bench.py and nodeloss.py."""

import json
import os
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
LIB = os.path.join(REPO, "tests", "integration", "swarmlib.bash")
LIMIT = 300  # seconds: bound on every wait


def sh(*command, stdin=None, timeout=LIMIT):
    return subprocess.run(command, input=stdin, check=True, capture_output=True, text=True,
                          timeout=timeout).stdout


def wait_for(what, predicate, period=0.05, limit=LIMIT):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if predicate():
            return time.monotonic()
        time.sleep(period)
    raise RuntimeError(f"timed out waiting for {what}")


def summary(values):
    """The median of VALUES (seconds) with the spread: "1.23 s (1.01-1.50)"."""
    return f"{statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})"


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
    def __init__(self, pulls=False, tiny_image=None):
        self.state = tempfile.mktemp(prefix="swarm-bench-", suffix=".state")
        self.down_seconds = 0.0
        self.pulls = pulls  # the nodes pull from a registry (SWARM_PREFER_OFFLINE=0)
        self.tiny_image = tiny_image  # made and side-loaded into every node by up()

    def up(self):
        env = dict(os.environ, SWARM_PREFIX=f"b-swarm-{os.getpid()}",
                   SWARM_PREFER_OFFLINE="0" if self.pulls else "1")
        started = time.monotonic()
        subprocess.run(["bash", LIB, "up", "3", self.state], check=True, env=env, timeout=LIMIT)
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
        self.load_seconds = 0.0
        if self.tiny_image:
            sh("bash", LIB, "tiny-image", self.state, self.tiny_image)
            started = time.monotonic()
            self.load(self.tiny_image)
            self.load_seconds = time.monotonic() - started

    def down(self):
        started = time.monotonic()
        if os.path.exists(self.state):
            subprocess.run(["bash", LIB, "down", self.state], check=False, timeout=LIMIT)
        self.down_seconds = time.monotonic() - started
        if os.path.exists(self.state):
            os.remove(self.state)

    def load(self, images, *nodes):
        """Side-loads host images ("a,b") into the nodes (default all)."""
        sh("bash", LIB, "load", self.state, images, *nodes)

    def start_registry(self):
        """The bed's registry service on the manager; returns its "IP:5000"."""
        sh("bash", LIB, "registry", self.state)
        line = [line for line in open(self.state) if "SWARM_REGISTRY=" in line][0]
        return line.split("=", 1)[1].strip().strip('"')

    def node_api(self, node):
        return Api(self.ips[node])

    def set_heartbeat(self, seconds):
        """Spec.Dispatcher.HeartbeatPeriod. A node learns the new period from the answer to its next
        heartbeat, and the manager's expiry timer of a node is armed with the period of its last one:
        wait two old periods, or the first kill is still detected at the old pace."""
        swarm = self.api.call("GET", "/swarm")
        spec = swarm["Spec"]
        previous = spec["Dispatcher"]["HeartbeatPeriod"] / 1e9
        spec["Dispatcher"]["HeartbeatPeriod"] = int(seconds * 1e9)
        self.api.call("POST", "/swarm/update", spec, {"version": swarm["Version"]["Index"]})
        if previous != seconds:
            time.sleep(2 * previous)

    def node_ids(self):
        return {n["Description"]["Hostname"]: n["ID"] for n in self.api.call("GET", "/nodes")}

    def node_state(self, node_id):
        return self.api.call("GET", "/nodes/" + node_id)["Status"]["State"]

    def running_tasks(self, service):
        """The service's tasks that run and are meant to."""
        tasks = self.api.get("/tasks", service=[service], **{"desired-state": ["running"]})
        return [t for t in tasks if t["Status"]["State"] == "running"]

    def containers(self, node, label):
        return self.node_api(node).get("/containers/json", label=[label])

    def quiet(self, label):
        """True when no node runs a container with the label (tasks really gone)."""
        return all(not self.containers(n, label) for n in self.nodes)


class Dockerops:
    """The dockerops CLI of the host on a project in a temporary folder, DOCKER_HOST at the bed's
    manager, everything it creates labelled dockerops.test=1."""

    def __init__(self, bed, binary, entries, registry, name="bench"):
        self.root = tempfile.mkdtemp(prefix="swarm-bench-dops-")
        self.name = name
        self.project = os.path.join(self.root, name)
        os.makedirs(os.path.join(self.project, "services", "web"), exist_ok=True)
        with open(os.path.join(self.project, "services", "web", "Dockerfile"), "w") as f:
            f.write("FROM dockerops/base\nRUN echo bench >/etc/bench\n")
        with open(os.path.join(self.project, "run.conf"), "w") as f:
            json.dump(entries, f)
        with open(os.path.join(self.project, "host.conf"), "w") as f:
            json.dump({"orchestrator": "swarm", "registry": registry}, f)
        self.binary = binary
        self.env = dict(os.environ, DOCKER_HOST=f"tcp://{bed.ips[bed.manager]}:2375", NO_COLOR="1",
                        DOCKEROPS_EXTRA_LABELS="dockerops.test=1", DOCKEROPS_DATA_DIR=REPO)

    def command(self, *args):
        return [self.binary, "--project-dir", self.project, *args]

    def __call__(self, *args):
        return subprocess.run(self.command(*args), check=True, env=self.env, capture_output=True,
                              text=True, timeout=LIMIT).stdout

    def remove(self):
        subprocess.run(["rm", "-rf", self.root], check=False)
