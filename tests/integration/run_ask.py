#!/usr/bin/env python3
"""--ask on a real pseudo-terminal (docs/compatibility.md §ask): required variables without a value are asked
for once per command (resolution runs twice around the image build), the answers reach the
container, "y" saves one in .dockerops/host.conf (0600) for the next runs, a secret (API_KEY) is not
echoed nor shown by --dry-run, --dry-run offers no save, and without a terminal --ask fails at
once with the usual error instead of waiting.
Its own project (t-run-ask-PID); containers, network and images are removed on exit."""
import os
import stat
import subprocess

from ptylib import BIN, ENV, Terminal, fail, run_test

PROJECT = f"t-run-ask-{os.getpid()}"


def run_plain(args, cwd, env):
    return subprocess.run([BIN, *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=300)


def answer(term, question, reply):
    if not term.expect(question, 300):
        return False
    term.send(reply + "\n")
    return True


def main(project_dir):
    env = {k: v for k, v in ENV.items() if k not in ("API_KEY", "GREETING")}
    host_conf = os.path.join(project_dir, ".dockerops", "host.conf")
    no_tty = run_plain(["--ask", "run:web,instance=one"], project_dir, env)
    if no_tty.returncode != 1 or "API_KEY is required but has no value" not in no_tty.stderr:
        return fail(f"--ask without a terminal: exit {no_tty.returncode}, {no_tty.stderr!r}")

    term = Terminal([BIN, "--ask", "run:web,instance=one"], project_dir, 30, 100, env)
    # (question, answer, whether the terminal echoes while it is asked): echo is off for the
    # secret only, and back on afterwards.
    steps = [(r"Value for API_KEY \(not shown; empty to give up\): ", "k-123", False),
             (r"Save API_KEY in host.conf for the next runs\? \[y/N\] ", "y", True),
             (r"Value for GREETING \(empty to give up\): ", "hi there", True),
             (r"Save GREETING in host.conf for the next runs\? \[y/N\] ", "n", True)]
    for question, reply, echo in steps:
        if not term.expect(question, 300):
            return fail(f"no question {question!r}", term)
        if term.echoes() != echo:
            return fail(f"terminal echo is {'on' if not echo else 'off'} at {question!r}", term)
        term.send(reply + "\n")
    if not term.expect(r"run: 1 instance: 1 created", 300):
        return fail("run --ask did not start web/one", term)
    status = term.proc.wait(timeout=60)
    if status != 0:
        return fail(f"run --ask exited {status}", term)
    for name in ("API_KEY", "GREETING"):
        if term.output.count(f"Value for {name} ") != 1:
            return fail(f"{name} was not asked for exactly once", term)
    if "k-123" in term.output:
        return fail(f"the terminal showed the secret API_KEY: {term.output!r}")
    if not term.echoes():
        return fail("dockerops left the terminal's echo off")

    inspect = subprocess.run(["docker", "inspect", "-f", "{{json .Config.Env}}", f"{PROJECT}-web-one"],
                             capture_output=True, text=True).stdout
    for wanted in ('"API_KEY=k-123"', '"GREETING=hi there"'):
        if wanted not in inspect:
            return fail(f"{wanted} not in the container's environment: {inspect}")

    with open(host_conf) as f:
        saved = f.read()
    if '"k-123"' not in saved or "GREETING" in saved:
        return fail(f"host.conf should hold API_KEY only: {saved!r}")
    if stat.S_IMODE(os.stat(host_conf).st_mode) != 0o600:
        return fail(f"host.conf mode {oct(os.stat(host_conf).st_mode)}")

    # The saved value is used without asking; the same values leave the instance as it is.
    again = run_plain(["run:web,instance=one"], project_dir, dict(env, GREETING="hi there"))
    if again.returncode != 0 or "up to date" not in again.stdout + again.stderr:
        return fail(f"second run: exit {again.returncode}: {again.stdout + again.stderr!r}")

    # --dry-run changes nothing: it asks, shows the answer in the plan, and offers no save.
    term = Terminal([BIN, "--ask", "--dry-run", "run:web,instance=one"], project_dir, 30, 100, env)
    if not answer(term, r"Value for GREETING \(empty to give up\): ", "dry"):
        return fail("--dry-run did not ask for GREETING", term)
    if not term.expect(r"env GREETING=dry\s+\(prompt\)", 120):
        return fail("the plan does not show the typed value", term)
    if term.proc.wait(timeout=60) != 0 or "Save GREETING" in term.seen:
        return fail("--dry-run offered to save, or failed", term)
    if "k-123" in term.output or "API_KEY=********" not in term.output:
        return fail("--dry-run showed the secret API_KEY", term)
    with open(host_conf) as f:
        if f.read() != saved:
            return fail("--dry-run changed host.conf")
    return 0


if __name__ == "__main__":
    run_test(PROJECT, {"services/web/Dockerfile": "FROM dockerops/base\n",
                       "services/web/required_env_vars.json": '["API_KEY"]\n',
                       "run.conf": '[{"service": "web", "instance": "one", "env_vars": {"GREETING": null}}]\n'},
             main)
