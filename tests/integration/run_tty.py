#!/usr/bin/env python3
"""Interactive `dockerops shell` on a real pseudo-terminal: the window size reaches the
container at start and after a resize (SIGWINCH), the terminal is raw (a ^C goes to the
container's shell, not to dockerops), and the shell's exit code comes back. Then clean on the
terminal asks before removing: no keeps the containers, yes removes them.
Its own project (t-run-tty-PID); containers, network and images are removed on exit."""
import os
import subprocess
import time

from ptylib import BIN, ENV, Terminal, fail, run_test, set_size

PROJECT = f"t-run-tty-{os.getpid()}"


def main(project_dir):
    subprocess.run([BIN, "-q", "run:all"], cwd=project_dir, env=ENV, check=True)
    term = Terminal([BIN, "shell:web,instance=one"], project_dir, 30, 100)
    term.send("stty size; echo SIZE-DONE\n")
    if not term.expect(r"30 100\s+SIZE-DONE"):
        return fail("the container did not see the 30x100 window", term)

    # Resize: the kernel sends SIGWINCH to dockerops, which resizes the exec. Asked again a
    # bounded number of times, since the resize call races with the next command.
    set_size(term.master, 40, 120)
    for attempt in range(20):
        term.send(f"echo SIZE-$(stty size | tr ' ' x)-{attempt}\n")
        match = term.expect(rf"SIZE-(\d+x\d+)-{attempt}")
        if match and match.group(1) == "40x120":
            break
    else:
        return fail("the container never saw the 40x120 window after SIGWINCH", term)

    # Raw mode: ^C reaches the shell in the container and stops its sleep; dockerops lives on.
    term.send("sleep 60\n")
    time.sleep(1)  # let bash start the sleep (only delays the test; no assertion on time)
    term.send("\x03")
    term.send("echo AFTER-$((6*7))\n")
    if not term.expect(r"AFTER-42"):
        return fail("^C did not reach the container's shell, or dockerops died", term)
    if term.proc.poll() is not None:
        return fail(f"dockerops exited ({term.proc.returncode}) on ^C", term)

    term.send("exit 7\n")
    try:
        status = term.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        return fail("dockerops did not end after the shell exited", term)
    if status != 7:
        return fail(f"exit code {status}, not the shell's 7", term)

    # clean on a terminal asks first: no (the default) keeps everything and exits 1, "y" removes.
    for reply, want_status, want_left in (("", 1, True), ("y", 0, False)):
        term = Terminal([BIN, "clean:all"], project_dir, 30, 100)
        if not term.expect(r"Remove 1 container of project t-run-tty-\d+\? \[y/N\] "):
            return fail("clean asked no question", term)
        term.send(reply + "\n")
        status = term.proc.wait(timeout=60)
        left = subprocess.run(["docker", "ps", "-aq", "--filter", f"label=dockerops.project={PROJECT}"],
                              capture_output=True, text=True).stdout.strip() != ""
        if status != want_status or left != want_left:
            return fail(f"clean answered {reply!r}: exit {status}, containers left: {left}", term)
    return 0


if __name__ == "__main__":
    run_test(PROJECT, {"services/web/Dockerfile": "FROM dockerops/base\n",
                       "run.conf": '[{"service": "web", "instance": "one"}]\n'}, main)
