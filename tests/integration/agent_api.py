#!/usr/bin/python3
"""The agent's REST API on the real daemon, over raw HTTP: every endpoint of docs/api/openapi.json
is called and its answer checked against the document (documented status, JSON body valid against
its schema), and the document against the server (no route outside it). Then the error statuses
(no token, wrong token, unknown route, unknown service or instance, wrong method, malformed JSON,
oversize bodies, path tricks, very long paths and headers), Server-Sent Events with Last-Event-ID
and since= replay, and clients that hold connections (stalled requests, a hundred idle event
streams) while the API keeps answering others. The agent must be alive and serving at the end."""

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

try:
    import jsonschema
except ImportError:
    if os.environ.get("CI"):
        raise
    print("SKIP: python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(77)

BIN = os.environ["DOCKEROPS_BIN"]
SOURCE = os.environ["DOCKEROPS_SOURCE_DIR"]
ENV = dict(os.environ, DOCKEROPS_EXTRA_LABELS="dockerops.test=1", NO_COLOR="1")
PROJECT = "t-agent-api-%d" % os.getpid()
FAILURES = []


def check(condition, what):
    if not condition:
        FAILURES.append(what)
        print("FAIL:", what, file=sys.stderr)


def dockerops(*args, **kw):
    return subprocess.run([BIN, *args], cwd=DIR, env=ENV, check=True, capture_output=True, text=True, **kw)


def raw(request, timeout=10, until=None):
    """Sends bytes as they are; returns (status, headers text, body) of the answer."""
    with socket.create_connection((HOST, PORT), timeout=timeout) as s:
        try:
            s.sendall(request)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before taking all of it (an oversize body): read the answer
        data = b""
        while until is None or until not in data:
            try:
                chunk = s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1]) if head.startswith(b"HTTP/") else 0
    return status, head.decode(errors="replace"), body


def call(method, path, token=True, body=None, headers=None):
    """One request with http.client; returns (status, content type, body bytes)."""
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    h = dict(headers or {})
    if token:
        h["Authorization"] = "Bearer " + (TOKEN if token is True else token)
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, r.getheader("Content-Type", ""), data


def is_json_error(ctype, body):
    try:
        return ctype.startswith("application/json") and isinstance(json.loads(body)["error"], str)
    except (ValueError, KeyError, TypeError):
        return False


def resolve(schema, doc):
    """The schema with every local $ref replaced by what it points to."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            target = doc
            for part in schema["$ref"].lstrip("#/").split("/"):
                target = target[part]
            return resolve(target, doc)
        return {k: resolve(v, doc) for k, v in schema.items()}
    if isinstance(schema, list):
        return [resolve(v, doc) for v in schema]
    return schema


def sse(path, headers="", until=b"\n\n", timeout=10):
    """Opens an event stream and returns what arrived until `until` (bytes)."""
    request = ("GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n%s\r\n" % (path, TOKEN, headers)).encode()
    return raw(request, timeout=timeout, until=until)


def received(s, marker):
    """What a socket receives until `marker` arrives, the peer closes or 10 s pass (the head and
    the body of an answer may come in separate reads)."""
    data = b""
    while marker not in data:
        try:
            chunk = s.recv(4096)
        except socket.timeout:
            break
        if not chunk:
            break
        data += chunk
    return data


def event_ids(body):
    return [int(line[4:]) for line in body.decode(errors="replace").splitlines() if line.startswith("id: ")]


def openapi_check(doc):
    """Every documented operation, called with valid arguments, answers as documented."""
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            concrete = path.replace("{service}", "web").replace("{instance}", "one")
            if "logs" in path:
                concrete += "?tail=5"
            if path == "/api/v1/events":
                status, head, body = sse(concrete + "?since=0", until=b"data: ")
                ctype = [l for l in head.splitlines() if l.lower().startswith("content-type")][0]
                check(status == 200 and "text/event-stream" in ctype, "%s %s: %d %s" % (method, path, status, ctype))
                continue
            if "logs" in path:
                status, head, body = sse(concrete, until=b"event: end")
                check(status == 200 and b"event: end" in body, "%s %s: %d" % (method, path, status))
                continue
            status, ctype, body = call(method.upper(), concrete)
            documented = op["responses"]
            check(str(status) in documented, "%s %s: status %d is not documented" % (method, path, status))
            content = documented.get(str(status), {}).get("content", {})
            if "application/json" in content:
                schema = resolve(content["application/json"]["schema"], doc)
                try:
                    jsonschema.validate(json.loads(body), schema)
                except jsonschema.ValidationError as e:
                    check(False, "%s %s: the body does not follow the document: %s" % (method, path, e.message))
            elif "text/plain" in content:
                check(ctype.startswith("text/plain"), "%s %s: content type %s" % (method, path, ctype))
    # Routes outside the document do not exist.
    for method, path in [("GET", "/api/v1/services"), ("GET", "/api/v2/state"), ("GET", "/index.html"), ("POST", "/metrics")]:
        status, ctype, body = call(method, path)
        check(status in (404, 405) and is_json_error(ctype, body), "%s %s: %d" % (method, path, status))
    # The status page is outside the API: served at / without a token (page_browser.sh tests it).
    status, ctype, body = call("GET", "/", token=False)
    check(status == 200 and ctype.startswith("text/html"), "GET / (the status page): %d %s" % (status, ctype))


def error_statuses():
    cases = [
        ("no token", call("GET", "/api/v1/state", token=False), 401),
        ("wrong token", call("GET", "/api/v1/state", token="0" * 64), 401),
        ("unknown route without token", call("GET", "/api/v1/nothing", token=False), 401),
        ("unknown route", call("GET", "/api/v1/nothing"), 404),
        ("unknown service", call("GET", "/api/v1/instances/nope/one/logs"), 404),
        ("unknown instance", call("POST", "/api/v1/instances/web/nope/restart"), 404),
        ("wrong method", call("DELETE", "/api/v1/state"), 405),
        ("malformed JSON", call("POST", "/api/v1/instances/web/one/restart", body=b"{\"x\": ",
                                headers={"Content-Type": "application/json"}), 400),
        ("bad query", call("GET", "/api/v1/instances/web/one/logs?tail=lots"), 400),
        ("bad since", call("GET", "/api/v1/events?since=yesterday"), 400),
    ]
    for what, (status, ctype, body), wanted in cases:
        check(status == wanted and is_json_error(ctype, body), "%s: %d %s %r" % (what, status, ctype, body[:120]))
    auth = "Authorization: Bearer %s\r\n" % TOKEN
    # A body over the limit, sent whole: the server may answer 413 and close before it has all of it.
    size = 3 * 1024 * 1024 // 2
    sent = raw(("POST /api/v1/instances/web/one/restart HTTP/1.1\r\nHost: x\r\n%sContent-Length: %d\r\n\r\n"
                % (auth, size)).encode() + b"x" * size)
    check(sent[0] == 413 and is_json_error("application/json", sent[2]), "oversize body: %d %r" % (sent[0], sent[2][:120]))
    announced = raw(("POST /api/v1/instances/web/one/restart HTTP/1.1\r\nHost: x\r\n%sContent-Length: %d\r\n\r\n"
                     % (auth, 64 * 1024 * 1024)).encode())
    check(announced[0] == 413 and b'"error"' in announced[2], "announced oversize body: %d" % announced[0])
    for trick in ["/api/v1/../v1/state", "/api/v1/%2e%2e/v1/state", "/api/v1/%2E%2e/x", "/api/v1/instances/web%2fone/x/logs",
                  "/api/v1/state%00", "/api/v1/%zz", "/api/v1/instances/../../../etc/passwd/logs"]:
        status, head, body = raw(("GET %s HTTP/1.1\r\nHost: x\r\n%sConnection: close\r\n\r\n" % (trick, auth)).encode())
        check(status == 400 and b'"error":"bad path' in body, "path %s: %d %r" % (trick, status, body[:100]))
    status, head, body = raw(("GET /api/v1/%s HTTP/1.1\r\nHost: x\r\n%sConnection: close\r\n\r\n" % ("a" * 9000, auth)).encode())
    check(status == 414 and b'"error"' in body, "a 9000-byte path: %d" % status)
    for what, request in [("a 300 KiB path", "GET /api/v1/%s HTTP/1.1\r\nHost: x\r\n\r\n" % ("a" * 300000)),
                          ("a 100 KiB header", "GET /api/v1/state HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n" % ("b" * 100000)),
                          ("garbage", "\x16\x03\x01 not http at all\r\n\r\n")]:
        status = raw(request.encode())[0]
        check(status == 0 or 400 <= status < 500, "%s: status %d" % (what, status))


def streams():
    # Replay: since=0 gives the history; Last-Event-ID resumes after it.
    status, head, body = sse("/api/v1/events?since=0", until=b"agent-started")
    ids = event_ids(body)
    check(status == 200 and b"retry: " in body and len(ids) >= 1, "since=0: %d %r" % (status, body[:200]))
    last = max(ids)
    dockerops("restart:web,instance=one")
    status, head, body = sse("/api/v1/events", headers="Last-Event-ID: %d\r\n" % last, until=b'"intent"')
    resumed = event_ids(body)
    check(resumed and min(resumed) == last + 1, "Last-Event-ID %d resumed at %s" % (last, resumed[:3]))
    status, head, body = sse("/api/v1/events", headers="Last-Event-ID: abc\r\n", until=b"}")
    check(status == 400, "Last-Event-ID abc: %d" % status)
    # Logs: the container's lines, then an end event.
    status, head, body = sse("/api/v1/instances/web/one/logs?tail=all", until=b"event: end")
    check(b"hello from web-one" in body and b"event: end" in body, "logs: %r" % body[-300:])


def held_connections():
    auth = "Authorization: Bearer %s\r\n" % TOKEN
    stalled = []
    for _ in range(50):
        s = socket.create_connection((HOST, PORT), timeout=10)
        s.sendall(b"GET /api/v1/state HTTP/1.1\r\nHost: x\r\n")  # and never the rest
        stalled.append(s)
    half = socket.create_connection((HOST, PORT), timeout=10)
    half.sendall(("POST /api/v1/instances/web/one/restart HTTP/1.1\r\nHost: x\r\n%sContent-Length: 1000\r\n\r\n{" % auth).encode())
    idle = []
    for _ in range(100):
        s = socket.create_connection((HOST, PORT), timeout=10)
        s.sendall(("GET /api/v1/events HTTP/1.1\r\nHost: x\r\n%s\r\n" % auth).encode())
        idle.append(s)
    for s in idle:
        check(b"retry:" in received(s, b"retry:"), "an event stream did not start")
    answered = sum(1 for _ in range(50) if call("GET", "/api/v1/state")[0] == 200)
    check(answered == 50, "with 150 held connections, %d of 50 requests answered" % answered)
    for s in stalled + idle + [half]:
        s.close()


def resources_in_state():
    """The state shows each instance's declared resources next to its measured figures."""
    one = None
    for _ in range(200):  # the first stats pass runs when the agent starts: bounded wait for it
        state = json.loads(call("GET", "/api/v1/state")[2])
        one = [i for s in state["services"] if s["service"] == "web" for i in s["instances"]][0]
        if one["usage"] is not None:
            break
        time.sleep(0.1)
    check(one["resources"] == {"cpus": 0.5, "memory": 64 << 20, "memory_reservation": None, "pids": 100},
          "web/one's resources in the state: %r" % (one["resources"],))
    check(one["usage"] is not None and one["usage"]["memory_bytes"] > 0 and one["usage"]["memory_limit_bytes"] == 64 << 20,
          "web/one's measured figures in the state: %r" % (one["usage"],))
    detail = json.loads(call("GET", "/api/v1/instances/web/one")[2])
    check(detail["resources"] == one["resources"] and detail["usage"] is not None, "web/one's detail: %r" % (detail.get("resources"),))


def main():
    global DIR, HOST, PORT, TOKEN
    root = tempfile.mkdtemp()
    DIR = os.path.join(root, PROJECT)
    os.makedirs(os.path.join(DIR, "services", "web"))
    with open(os.path.join(DIR, "services", "web", "Dockerfile"), "w") as f:
        f.write("FROM dockerops/base\nCOPY 20-hello.sh /entrypoints/20-hello.sh\nRUN chmod 0755 /entrypoints/20-hello.sh\n")
    with open(os.path.join(DIR, "services", "web", "20-hello.sh"), "w") as f:
        f.write('#!/bin/bash\necho "hello from $SERVICE-$INSTANCE"\n')
    with open(os.path.join(DIR, "run.conf"), "w") as f:
        f.write('[{"service": "dockerops-dns", "instance": "main"}, {"service": "web", "instance": "one", "cpus": 0.5, "memory": "64m", "pids": 100}]\n')
    agent = None
    try:
        dockerops("run:all")
        log = open(os.path.join(root, "agent.log"), "w")
        agent = subprocess.Popen([BIN, "agent"], cwd=DIR, env=ENV, stdout=log, stderr=subprocess.STDOUT)
        url_file = os.path.join(DIR, ".dockerops", "agent.url")
        for _ in range(300):
            if os.path.exists(url_file) and os.path.getsize(url_file) > 0:
                break
            time.sleep(0.1)
        url = open(url_file).read().strip()
        HOST, PORT = url[len("http://"):].rsplit(":", 1)
        PORT = int(PORT)
        TOKEN = open(os.path.join(DIR, ".dockerops", "agent.token")).read().strip()
        check(HOST == "127.0.0.1", "the agent listens on %s" % HOST)
        with open(os.path.join(SOURCE, "docs", "api", "openapi.json")) as f:
            doc = json.load(f)
        jsonschema.Draft202012Validator.check_schema({"$defs": doc["components"]["schemas"]})
        resources_in_state()
        openapi_check(doc)
        error_statuses()
        streams()
        held_connections()
        status = call("POST", "/api/v1/instances/web/one/restart")
        check(status[0] == 200 and json.loads(status[2])["outcome"] == "ok", "restart: %r" % (status,))
        check(agent.poll() is None, "the agent died")
        check(call("GET", "/api/v1/state")[0] == 200, "the agent does not answer at the end")
    finally:
        if agent is not None:
            agent.terminate()
            agent.wait(timeout=30)
        subprocess.run(["bash", "-c", 'docker ps -aq --filter "label=dockerops.project=%s" | xargs -r docker rm -f; '
                        'docker network rm %s_net' % (PROJECT, PROJECT)], capture_output=True)
        if FAILURES:
            print(open(os.path.join(root, "agent.log")).read()[-3000:], file=sys.stderr)
        shutil.rmtree(root, ignore_errors=True)
    if FAILURES:
        sys.exit(1)
    print("PASS")


if __name__ == "__main__":
    main()
