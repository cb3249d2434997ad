#!/usr/bin/env python3
"""The run.conf mutation corpus (issue 20): a seeded, deterministic generator mutates the demo's and
the test projects' run confs (bytes, lines, tokens, values, structure) and runs `dockerops --dry-run
run:all` on each mutant. Every mutant must give exit 0 (valid) or exit 1 with exactly one error line
"dockerops: error: run.conf:LINE: ..." whose LINE lies in the file; never "internal error", never a
crash (a signal), never more than 10 s. MUTANT_SEED and MUTANT_COUNT change the corpus (defaults
20 and 400); a failing mutant is printed with its seed and index so that it can be replayed.

--dry-run observes the daemon (read-only), so the test runs with the integration tests."""

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

SEED = int(os.environ.get("MUTANT_SEED", "20"))
COUNT = int(os.environ.get("MUTANT_COUNT", "400"))
BIN = os.environ["DOCKEROPS_BIN"]
SOURCE = os.environ.get("DOCKEROPS_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))

# The test projects' confs: every key at least once, legacy spellings, links, ports, volumes.
EVERY_KEY = """[
  # the DNS first
  {"service": "dockerops-dns", "instance": "master", "env_vars": {"SERVICE_IP": "from_eth0"},
   "instance_type": "standard"},
  {
    "service": "web", "instance": "one", "instance_type": "published", "group": "backend",
    "sleep": 1, "links": ["dockerops-dns-master:dns", {"name": "BASE", "service": "demo", "instance": null}],
    "publish_ports": "True", "persistent_data": false, "volumes": "/tmp:/host-tmp,rel:/b:ro",
    "ports": ["18080:80", "127.0.0.1:15353:53/udp"], "ssh_keys": true, "autorun": true,
    "ready_timeout": 30, "wait": false, "hostname": "web", "seed_command": "sleep infinity",
    "nethost": false, "linked": true, "safemode": false, "interactive": false, "persistent_opt": true,
    "persistent_log": true, "env_vars": {"API_KEY": "k", "COUNT": 3, "FLAG": true, "RATIO": 1.5}
  },
  {"service": "web", "instance": null, "env_vars": {"PUBLISH_ON_IP": "127.0.0.1"}},
  {"service": "demo", "instance": "two", "links": [{"name": "FIRST", "service": "web", "instance": "one"}],
   "env_vars": {"DNS_UPDATE_POLICY": "REPLACE"}}
]
"""
ORIGINAL_DEMO = """[
 {"service": "dockerops-dns", "instance": "master", "persistent_data": false, "persistent_log": false,
  "sleep": 0, "links": [], "env_vars": {"SERVICE_IP": "from_eth0"}},
 {"service": "demo", "instance": "one", "sleep": 0, "links": ["dockerops-dns-master:dns"],
  "env_vars": {"SAMPLE_ENV_VAR": "x"}},
 {"service": "demo", "instance": "two", "sleep": 0, "links": [], "env_vars": {"DNS_SERVICE_IP": "from_eth0"}},
 {"service": "demo", "instance": "three", "sleep": 0,
  "links": [{"name": "DEMO", "service": "demo", "instance": null}]}
]
"""

STRINGS = ["", " ", "one", "ONE", "x" * 70, "h" * 1000, "localhost:18081:80", "not-an-ip:1:2", "127.0.0.1 ",
           "[::1]:18443:443", "/tmp:/x:rx", "/tmp:/x:ro,z", "a:b:c:d", "from_eth0", "from_nope", "web-one:a",
           "dockerops-dns-master:dns", "\\u0000", "\\ud800\\u0041", "\\udc00", "\\ud83d\\udc33", "caf\u00e9",
           "a\\tb", "${PROJECT_DIR}/x:/y", "standard", "debug", "master", "APPEND", "hide", "bogus", "-x",
           "web*", "true", "False", "65536:80", "0:80", "80/sctp", "1:2/udp", "with space", "a=b"]
NUMBERS = ["0", "-1", "1.5", "86400", "86401", "1e400", "-1e400", "9007199254740993", "1" + "0" * 30, "1e2",
           "-0", "00", "1.", ".5", "0x10"]
BYTES = [b"\x00", b"\xff", b"\r", b"\r\n", b"\xef\xbb\xbf", b"\xc3", b"\xed\xa0\x80", b"#", b",", b"[", b"]",
         b"{", b"}", b'"', b":", b"\\", b"\t", b"\x1b[31m", b"\xe2\x80\x8b"]
KEYS = ["service", "instance", "instance_type", "group", "sleep", "links", "env_vars", "publish_ports",
        "persistent_data", "volumes", "nethost", "hostname", "seed_command", "ports", "ready_timeout", "wait",
        "isntance", "servcie", "", "SERVICE", "links ", "unknown_key"]


def token_spans(text):
    """(start, end, kind) of the JSON strings, numbers and literals of `text`."""
    spans = []
    for match in re.finditer(r'"(?:[^"\\\n]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null', text):
        kind = "string" if match.group(0).startswith('"') else "number" if match.group(0)[0] in "-0123456789" else "literal"
        spans.append((match.start(), match.end(), kind))
    return spans


# Value and key changes (0-2) keep most mutants parseable, so that validation beyond JSON is reached.
OPERATIONS = [0] * 6 + [1] * 4 + [2] * 3 + [3, 4, 5, 6, 7, 8, 9, 10, 11]


def as_bytes_text(text):
    """UTF-8 text as a str of bytes (one char per byte), so that raw bytes can be spliced in."""
    return text.encode("utf-8").decode("latin-1")


def mutate(rng, text):
    """One to three mutations of `text`; returns the mutant's bytes."""
    data = as_bytes_text(text)
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        op = rng.choice(OPERATIONS)
        lines = data.split("\n")
        spans = token_spans(data)
        keys = [t for t in spans if t[2] == "string" and data[t[1]:t[1] + 3].lstrip().startswith(":")]
        values = [t for t in spans if t not in keys]
        strings = [t for t in values if t[2] == "string"]
        if op == 0 and strings:  # a string value becomes another (JSON escapes kept as written)
            s, e, _ = rng.choice(strings)
            data = data[:s] + '"' + as_bytes_text(rng.choice(STRINGS)) + '"' + data[e:]
        elif op == 1 and values:  # a value becomes a number, a literal or an empty container
            s, e, _ = rng.choice(values)
            data = data[:s] + rng.choice(NUMBERS + ["true", "false", "null", "[]", "{}", '"yes"']) + data[e:]
        elif op == 2 and keys:  # a key is renamed
            s, e, _ = rng.choice(keys)
            data = data[:s] + '"' + rng.choice(KEYS) + '"' + data[e:]
        elif op == 3:  # a line is deleted, doubled or swapped with another
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            choice = rng.randrange(3)
            if choice == 0:
                del lines[i]
            elif choice == 1:
                lines.insert(i, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            data = "\n".join(lines)
        elif op == 4:  # the file is cut short
            data = data[:rng.randrange(len(data) + 1)]
        elif op == 5 and data:  # one byte less
            i = rng.randrange(len(data))
            data = data[:i] + data[i + 1:]
        elif op == 6:  # raw bytes: NUL, invalid UTF-8, a BOM, CR, an escape sequence...
            i = rng.randrange(len(data) + 1)
            data = data[:i] + rng.choice(BYTES).decode("latin-1") + data[i:]
        elif op == 7:  # other line ends
            data = data.replace("\n", rng.choice(["\r", "\r\n", "\n\n"]))
        elif op == 8 and values:  # deep nesting or a long list where a value was
            depth = rng.choice([10, 70, 200])
            nested = "[" * depth + "]" * depth if rng.randrange(2) else "[" + ", ".join(["1"] * depth) + "]"
            s, e, _ = rng.choice(values)
            data = data[:s] + nested + data[e:]
        elif op == 9:  # links between two instances both ways (a cycle), or onto itself
            data = data.replace('"instance": "one"', '"instance": "one", "links": ["demo-two:two"]', 1)
            target = rng.choice(["demo-one:one", "demo-two:self"])
            data = data.replace('"instance": "two"', '"instance": "two", "links": ["%s"]' % target, 1)
        elif op == 10:  # an entry twice, with the same name or the name in upper case
            match = re.search(r'\{[^{}]*"instance": "(\w+)"[^{}]*\}', data)
            if match:
                name = match.group(1)
                twin = match.group(0).replace('"%s"' % name, '"%s"' % rng.choice([name.upper(), name]), 1)
                data = data[:match.end()] + ",\n" + twin + data[match.end():]
        else:  # structure: a trailing comma, an object for the list, a comment after a value
            choice = rng.randrange(3)
            if choice == 0:
                data = data.replace("}\n]", "},\n]", 1)
            elif choice == 1:
                data = "{" + data.strip().strip("[]") + "}"
            else:
                i = rng.randrange(len(lines))
                lines[i] += " # a comment"
                data = "\n".join(lines)
    return data.encode("latin-1")


STATS = {}  # "valid" and the kinds of errors seen, printed at the end
ERROR_LINE = re.compile(r"^dockerops: error: run\.conf:(\d+): \S")


def check(project, mutant):
    """None when the mutant is handled well (valid, or one run.conf:LINE error), else the problem."""
    with open(os.path.join(project, "run.conf"), "wb") as f:
        f.write(mutant)
    try:
        result = subprocess.run([BIN, "--dry-run", "run:all"], cwd=project, capture_output=True, timeout=10,
                                env=dict(os.environ, NO_COLOR="1", SAMPLE_ENV_VAR="x"))
    except subprocess.TimeoutExpired:
        return "took more than 10 s"
    stderr = result.stderr.decode("utf-8", errors="replace")
    if result.returncode < 0:
        return f"killed by signal {-result.returncode}"
    if "internal error" in stderr:
        return "internal error"
    if result.returncode == 0:
        STATS["valid"] = STATS.get("valid", 0) + 1
        return None
    errors = [line for line in stderr.splitlines() if line.startswith("dockerops: error:")]
    if result.returncode != 1 or len(errors) != 1:
        return f"exit {result.returncode} with {len(errors)} error lines"
    match = ERROR_LINE.match(errors[0])
    if not match:
        return "the error line has no run.conf:LINE"
    lines = mutant.count(b"\n") + mutant.count(b"\r") - mutant.count(b"\r\n") + 1
    if not 1 <= int(match.group(1)) <= lines:
        return f"line {match.group(1)} is outside the file ({lines} lines)"
    kind = re.sub(r'"[^"]*"|\d+', "_", errors[0][match.end() - 1:])[:40]
    STATS[kind] = STATS.get(kind, 0) + 1
    return None


def main():
    rng = random.Random(SEED)
    with open(os.path.join(SOURCE, "demo", "run.conf")) as f:
        bases = [f.read(), EVERY_KEY, ORIGINAL_DEMO]
    root = tempfile.mkdtemp()
    project = os.path.join(root, "t-mutants-%d" % os.getpid())
    try:
        shutil.copytree(os.path.join(SOURCE, "demo"), project)
        os.makedirs(os.path.join(project, "services", "web"))
        with open(os.path.join(project, "services", "web", "Dockerfile"), "w") as f:
            f.write("FROM dockerops/base\nEXPOSE 80\n#UDP_EXPOSE 53\n")
        failures = []
        for base in bases:  # the unmutated confs are valid
            problem = check(project, base.encode())
            if problem:
                failures.append((-1, problem, base.encode()))
        for index in range(COUNT):
            mutant = mutate(rng, rng.choice(bases))
            problem = check(project, mutant)
            if problem:
                failures.append((index, problem, mutant))
        for index, problem, mutant in failures[:10]:
            print(f"FAIL: mutant {index} (MUTANT_SEED={SEED}): {problem}\n{mutant!r}", file=sys.stderr)
        if failures:
            return 1
        kinds = sorted(STATS.items(), key=lambda item: -item[1])
        print("\n".join(f"{count:5d}  {kind}" for kind, count in kinds))
        print(f"PASS: {COUNT} mutants (seed {SEED}), each valid or one run.conf:LINE error")
        return 0
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
