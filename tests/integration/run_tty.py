#!/usr/bin/env python3
"""Interactive `dockerops shell` on a real pseudo-terminal: the window size reaches the
container at start and after a resize (SIGWINCH), the terminal is raw (a ^C goes to the
container's shell, not to dockerops), and the shell's exit code comes back.
Its own project (t-run-tty-PID); containers, network and images are removed on exit."""
import fcntl
import os
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time

BIN = os.environ["DOCKEROPS_BIN"]
PROJECT = f"t-run-tty-{os.getpid()}"
ENV = dict(os.environ, DOCKEROPS_EXTRA_LABELS="dockerops.test=1", NO_COLOR="1", TERM="xterm")


def docker_ok():
    return subprocess.run(["docker", "info"], capture_output=True).returncode == 0


def cleanup(root):
    ids = subprocess.run(["docker", "ps", "-aq", "--filter", f"label=dockerops.project={PROJECT}"],
                         capture_output=True, text=True).stdout.split()
    if ids:
        subprocess.run(["docker", "rm", "-f", *ids], capture_output=True)
    subprocess.run(["docker", "network", "rm", f"{PROJECT}_net"], capture_output=True)
    images = subprocess.run(["docker", "images", "-q", "--filter", f"label=dockerops.project={PROJECT}"],
                            capture_output=True, text=True).stdout.split()
    if images:
        subprocess.run(["docker", "rmi", "-f", *sorted(set(images))], capture_output=True)
    shutil.rmtree(root, ignore_errors=True)


def set_size(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class Terminal:
    """dockerops under a pty whose slave is its controlling terminal."""

    def __init__(self, args, cwd, rows, cols):
        self.master, slave = os.openpty()
        set_size(slave, rows, cols)

        def become_session_leader():
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.proc = subprocess.Popen(args, cwd=cwd, env=ENV, stdin=slave, stdout=slave, stderr=slave,
                                     preexec_fn=become_session_leader, close_fds=True)
        os.close(slave)
        self.seen = ""

    def send(self, text):
        os.write(self.master, text.encode())

    def expect(self, pattern, seconds=30):
        """Reads until `pattern` shows up in the output since the last match; bounded."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            match = re.search(pattern, self.seen)
            if match:
                self.seen = self.seen[match.end():]
                return match
            ready, _, _ = select.select([self.master], [], [], 0.5)
            if ready:
                try:
                    self.seen += os.read(self.master, 4096).decode(errors="replace")
                except OSError:  # EIO: the process closed the terminal
                    break
        return None


def fail(message, term=None):
    print(f"FAIL: {message}", file=sys.stderr)
    if term is not None:
        print(f"output so far: {term.seen!r}", file=sys.stderr)
    return 1


def main():
    root = tempfile.mkdtemp()
    project_dir = os.path.join(root, PROJECT)
    os.makedirs(os.path.join(project_dir, "services", "web"))
    with open(os.path.join(project_dir, "services", "web", "Dockerfile"), "w") as f:
        f.write("FROM dockerops/base\n")
    with open(os.path.join(project_dir, "run.conf"), "w") as f:
        f.write('[{"service": "web", "instance": "one"}]\n')
    term = None
    try:
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
        print("PASS")
        return 0
    finally:
        if term is not None and term.proc.poll() is None:
            term.proc.send_signal(signal.SIGKILL)
            term.proc.wait()
        cleanup(root)


if __name__ == "__main__":
    if not docker_ok():
        print("SKIP: no Docker daemon", file=sys.stderr)
        sys.exit(77)
    sys.exit(main())
