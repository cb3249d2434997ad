#!/usr/bin/env python3
"""A unix-socket proxy in front of the Docker daemon that logs every Engine API request.

  api_trace.py LISTEN.sock LOG.tsv [DAEMON.sock]    (default /var/run/docker.sock)

Point a client at it with DOCKER_HOST=unix://LISTEN.sock. Each request becomes one line of LOG.tsv:
connection, the time it was sent and the time its response status came back (seconds since the
proxy started), the status, method and path. Bytes are forwarded unchanged; requests are found by
their request line, responses by their status line, in order per connection (HTTP/1.1). A request
whose response is a stream (a followed log) is logged when its status line comes back. Stop it with
SIGTERM; `api_trace.py --count LOG.tsv N` prints the requests per kind, per instance for N instances.
"""
import asyncio
import collections
import re
import signal
import sys
import time

REQUEST = re.compile(rb"(GET|POST|PUT|DELETE|HEAD) (/\S*) HTTP/1\.[01]\r\n")
STATUS = re.compile(rb"HTTP/1\.[01] (\d{3}) ")
T0 = time.monotonic()


async def pipe(reader, writer, on_data):
    try:
        while data := await reader.read(65536):
            on_data(data)
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


def serve(daemon, log):
    conn_ids = iter(range(1, 1 << 30))

    async def handle(client_r, client_w):
        cid = next(conn_ids)
        daemon_r, daemon_w = await asyncio.open_unix_connection(daemon)
        pending = collections.deque()

        def requests(data):
            for m in REQUEST.finditer(data):
                pending.append((time.monotonic() - T0, m.group(1).decode(), m.group(2).decode()))

        def responses(data):
            for m in STATUS.finditer(data):
                if pending:
                    sent, method, path = pending.popleft()
                    log.write(f"{cid}\t{sent:.4f}\t{time.monotonic() - T0:.4f}\t{m.group(1).decode()}\t{method}\t{path}\n")

        await asyncio.gather(pipe(client_r, daemon_w, requests), pipe(daemon_r, client_w, responses))

    return handle


def kind(method, path):
    """A request's kind: the path without its version, ids, names and query."""
    path = re.sub(r"^/v[0-9.]+", "", path.split("?")[0])
    path = re.sub(r"^/(containers|networks|images|exec)/(?!(json|create|prune)$)[^/]+(/|$)", r"/\1/{id}\3", path)
    return f"{method} {path}"


def count(log_file, n):
    kinds = collections.Counter(kind(*line.rstrip("\n").split("\t")[4:6]) for line in open(log_file))
    for k, c in kinds.most_common():
        print(f"{c:6d} {c / n:6.2f} per instance  {k}")
    print(f"{sum(kinds.values()):6d} {sum(kinds.values()) / n:6.2f} per instance  all")


async def main(listen, log_file, daemon):
    log = open(log_file, "w", buffering=1)
    server = await asyncio.start_unix_server(serve(daemon, log), listen)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--count"]:
        count(sys.argv[2], int(sys.argv[3]))
    else:
        asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "/var/run/docker.sock"))
