#!/usr/bin/env python3
"""The run bench's floor and helpers: raw Engine API calls over the unix socket, one process.

  engine.py capture PROJECT OUT.json     the create bodies of PROJECT's containers and its network,
                                         read back from the daemon (what dockerops created)
  engine.py compose SPEC.json PROJECT    a docker-compose 2.4 file with the same containers
  engine.py start SPEC.json PROJECT JOBS network create + container create and start, JOBS at once
  engine.py remove PROJECT JOBS [stop]   DELETE ?force=1 (or stop t=10 then DELETE), JOBS at once,
                                         then the network
  engine.py wait-ready LABEL=VALUE N     until N containers with that label printed
                                         "[dockerops] ready" (polls every 0.25 s, at most 600 s)
  engine.py project DIR N                the bench's project in DIR: N instances of one service
                                         built FROM dockerops/base (no daemon call)

Every call is one HTTP/1.1 request on its own connection, like the CLI tools it is compared with.
"""
import http.client
import json
import os
import socket
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

SOCK = "/var/run/docker.sock"
API = "/v1.41"


class Conn(http.client.HTTPConnection):
    def __init__(self):
        super().__init__("localhost", timeout=600)

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(SOCK)


def call(method, path, body=None, ok=(200, 201, 204, 304)):
    c = Conn()
    headers = {"Content-Type": "application/json"} if body is not None else {}
    c.request(method, API + path, None if body is None else json.dumps(body), headers)
    r = c.getresponse()
    data = r.read()
    c.close()
    if r.status not in ok:
        raise SystemExit(f"engine.py: {method} {path}: {r.status} {data[:300]!r}")
    return data


def get(path):
    return json.loads(call("GET", path))


def containers(label):
    f = urllib.parse.quote(json.dumps({"label": [label]}))
    return get(f"/containers/json?all=1&filters={f}")


def capture(project, out):
    spec = {"containers": []}
    for c in containers(f"dockerops.project={project}"):
        i = get(f"/containers/{c['Id']}/json")
        cfg, host = i["Config"], i["HostConfig"]
        image_env = set(get(f"/images/{urllib.parse.quote(cfg['Image'], safe='')}/json")["Config"]["Env"] or [])
        nets = i["NetworkSettings"]["Networks"]
        body = {
            "name": i["Name"].lstrip("/"),
            "Image": cfg["Image"],
            "Hostname": cfg["Hostname"],
            "Env": [e for e in cfg["Env"] if e not in image_env],
            "Labels": cfg["Labels"],
            "StopTimeout": cfg.get("StopTimeout"),
            "HostConfig": {"Binds": host["Binds"], "NetworkMode": host["NetworkMode"]},
            "NetworkingConfig": {"EndpointsConfig": {
                n: {"IPAMConfig": {"IPv4Address": v["IPAMConfig"]["IPv4Address"]}}
                for n, v in nets.items() if v.get("IPAMConfig")}},
        }
        spec["containers"].append(body)
        net = host["NetworkMode"]
    n = get(f"/networks/{net}")
    spec["network"] = {"Name": n["Name"], "Labels": n["Labels"],
                       "IPAM": {"Config": [{"Subnet": c["Subnet"], "Gateway": c["Gateway"]}
                                           for c in n["IPAM"]["Config"]]}}
    spec["containers"].sort(key=lambda b: b["name"])
    json.dump(spec, open(out, "w"), indent=1)


def free_prefix():
    """A /24 no network uses (the daemon may keep a removed network whose endpoint count it lost)."""
    used = {c["Subnet"] for n in get("/networks") for c in (n["IPAM"]["Config"] or []) if "Subnet" in c}
    for k in range(10, 250):
        if f"10.213.{k}.0/24" not in used:
            return f"10.213.{k}."
    raise SystemExit("engine.py: no free /24 in 10.213.0.0/16")


def renamed(spec, project):
    """The spec for PROJECT: names, network, the project label and the /24 changed (to one that is
    free), nothing else; dockerops does not see these containers as its own."""
    old = spec["network"]["Name"]
    prefix = free_prefix()
    moved = lambda a: prefix + a.split("/")[0].rsplit(".", 1)[1] + ("/" + a.split("/")[1] if "/" in a else "")
    net = dict(spec["network"], Name=f"{project}_net",
               Labels=dict(spec["network"]["Labels"], **{"dockerops.project": project}),
               IPAM={"Config": [{"Subnet": moved(c["Subnet"]), "Gateway": moved(c["Gateway"])}
                                for c in spec["network"]["IPAM"]["Config"]]})
    out = []
    for b in spec["containers"]:
        b = json.loads(json.dumps(b))
        b["name"] = project + b["name"][len(b["Labels"]["dockerops.project"]):]
        b["Labels"]["dockerops.project"] = project
        b["HostConfig"]["NetworkMode"] = net["Name"]
        ep = b["NetworkingConfig"]["EndpointsConfig"][old]
        ep["IPAMConfig"]["IPv4Address"] = moved(ep["IPAMConfig"]["IPv4Address"])
        b["NetworkingConfig"]["EndpointsConfig"] = {net["Name"]: ep}
        out.append(b)
    return net, out


def compose(spec_file, project):
    net, bodies = renamed(json.load(open(spec_file)), project)
    lines = ["version: '2.4'", "services:"]
    for b in bodies:
        lines += [f"  {b['name']}:",
                  f"    image: {json.dumps(b['Image'])}",
                  f"    container_name: {b['name']}",
                  f"    hostname: {b['Hostname']}",
                  f"    environment: {json.dumps(b['Env'])}",
                  f"    labels: {json.dumps(b['Labels'])}",
                  f"    volumes: {json.dumps(b['HostConfig']['Binds'] or [])}",
                  f"    stop_grace_period: {b['StopTimeout'] or 10}s",
                  "    networks:",
                  "      net:",
                  f"        ipv4_address: {b['NetworkingConfig']['EndpointsConfig'][net['Name']]['IPAMConfig']['IPv4Address']}"]
    lines += ["networks:", "  net:", f"    name: {net['Name']}", f"    labels: {json.dumps(net['Labels'])}",
              "    ipam:", "      config:"]
    for c in net["IPAM"]["Config"]:
        lines += [f"        - subnet: {c['Subnet']}", f"          gateway: {c['Gateway']}"]
    print("\n".join(lines))


def start(spec_file, project, jobs):
    net, bodies = renamed(json.load(open(spec_file)), project)
    call("POST", "/networks/create", dict(net, CheckDuplicate=True))

    def one(b):
        body = {k: v for k, v in b.items() if k != "name"}
        cid = json.loads(call("POST", f"/containers/create?name={b['name']}", body))["Id"]
        call("POST", f"/containers/{cid}/start")

    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, bodies))


def remove(project, jobs, graceful):
    ids = [c["Id"] for c in containers(f"dockerops.project={project}")]

    def one(cid):
        if graceful:
            call("POST", f"/containers/{cid}/stop?t=10")
        call("DELETE", f"/containers/{cid}?force=1")

    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, ids))
    # 403 "has active endpoints": the daemon lost count of them; the bench reports the network left.
    call("DELETE", f"/networks/{project}_net", ok=(204, 403, 404))


def wait_ready(label, count):
    deadline = time.monotonic() + 600
    ready = set()
    while time.monotonic() < deadline:
        for c in containers(label):
            if c["Id"] not in ready and b"[dockerops] ready" in call("GET", f"/containers/{c['Id']}/logs?stdout=1&stderr=1"):
                ready.add(c["Id"])
        if len(ready) >= count:
            return
        time.sleep(0.25)
    raise SystemExit(f"engine.py: {len(ready)} of {count} ready after 600 s")


def project(folder, n):
    os.makedirs(f"{folder}/services/svc", exist_ok=True)
    with open(f"{folder}/services/svc/Dockerfile", "w") as f:
        f.write("FROM dockerops/base\n")
    with open(f"{folder}/run.conf", "w") as f:
        json.dump([{"service": "svc", "instance": f"i{i}"} for i in range(1, n + 1)], f, indent=1)


def main(a):
    if a[0] == "capture":
        capture(a[1], a[2])
    elif a[0] == "compose":
        compose(a[1], a[2])
    elif a[0] == "start":
        start(a[1], a[2], int(a[3]))
    elif a[0] == "remove":
        remove(a[1], int(a[2]), len(a) > 3 and a[3] == "stop")
    elif a[0] == "project":
        project(a[1], int(a[2]))
    elif a[0] == "wait-ready":
        wait_ready(a[1], int(a[2]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
