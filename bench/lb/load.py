#!/usr/bin/env python3
"""Bounded HTTP load against the lb demo (loopback only), for bench/lb/lb_bench.sh.

  load.py count URL N             N sequential requests (a new connection each): JSON
                                  {"counts": {instance: n}, "failed": n}
  load.py sample URL RATE SECONDS  paced requests (RATE per second, each on a new connection, for
                                  SECONDS at most): one line per request on stdout,
                                  "START_TIME LATENCY_MS STATUS BODY" (STATUS 0 = failed)
  load.py stamp CMD [ARG...]      runs CMD (stdout and stderr together, line-buffered) and prints
                                  each of its lines prefixed with the time it came
"""
import http.client
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse


def get(url):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        conn.request("GET", parts.path or "/", headers={"Connection": "close"})
        response = conn.getresponse()
        return response.status, response.read().decode(errors="replace").strip()
    except (OSError, http.client.HTTPException) as error:
        return 0, type(error).__name__
    finally:
        conn.close()


def count(url, n):
    counts, failed = {}, 0
    for _ in range(n):
        status, body = get(url)
        if status != 200:
            failed += 1
            continue
        counts[body] = counts.get(body, 0) + 1
    print(json.dumps({"counts": counts, "failed": failed}))


def sample(url, rate, seconds):
    lock = threading.Lock()
    threads = []

    def one(start):
        status, body = get(url)
        latency = (time.monotonic() - start) * 1000
        with lock:
            print(f"{start_wall + (start - start_mono):.4f} {latency:.2f} {status} {body}", flush=True)

    start_wall, start_mono = time.time(), time.monotonic()
    interval = 1.0 / rate
    for i in range(int(rate * seconds)):
        due = start_mono + i * interval
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        t = threading.Thread(target=one, args=(time.monotonic(),))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()


def stamp(command):
    # The command starts after this interpreter, so no line is stamped late by its start-up.
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with subprocess.Popen(["stdbuf", "-oL", "-eL"] + command, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, env=env) as p:
        for line in iter(p.stdout.readline, b""):
            print(f"{time.time():.4f} {line.decode(errors='replace')}", end="", flush=True)
    sys.exit(p.returncode)


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "count":
        count(sys.argv[2], int(sys.argv[3]))
    elif mode == "sample":
        sample(sys.argv[2], float(sys.argv[3]), float(sys.argv[4]))
    elif mode == "stamp":
        stamp(sys.argv[2:])
    else:
        sys.exit(__doc__)
