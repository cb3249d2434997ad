"""Shared helpers for the integration tests that drive dockerops on a pseudo-terminal: a pty
whose slave is dockerops's controlling terminal, bounded expect(), and cleanup of a project's
containers, network and images (also on failure)."""
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
ENV = dict(os.environ, DOCKEROPS_EXTRA_LABELS="dockerops.test=1", NO_COLOR="1", TERM="xterm")


def docker_ok():
    return subprocess.run(["docker", "info"], capture_output=True).returncode == 0


def cleanup(project, root):
    ids = subprocess.run(["docker", "ps", "-aq", "--filter", f"label=dockerops.project={project}"],
                         capture_output=True, text=True).stdout.split()
    if ids:
        subprocess.run(["docker", "rm", "-f", *ids], capture_output=True)
    subprocess.run(["docker", "network", "rm", f"{project}_net"], capture_output=True)
    images = subprocess.run(["docker", "images", "-q", "--filter", f"label=dockerops.project={project}"],
                            capture_output=True, text=True).stdout.split()
    if images:
        subprocess.run(["docker", "rmi", "-f", *sorted(set(images))], capture_output=True)
    shutil.rmtree(root, ignore_errors=True)


def set_size(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


_terminals = []  # every Terminal, killed by run_test() if still running


class Terminal:
    """dockerops under a pty whose slave is its controlling terminal."""

    def __init__(self, args, cwd, rows, cols, env=None):
        self.master, slave = os.openpty()
        self.slave_path = os.ttyname(slave)
        set_size(slave, rows, cols)

        def become_session_leader():
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.proc = subprocess.Popen(args, cwd=cwd, env=env or ENV, stdin=slave, stdout=slave, stderr=slave,
                                     preexec_fn=become_session_leader, close_fds=True)
        os.close(slave)
        _terminals.append(self)
        self.seen = ""  # output since the last match
        self.output = ""  # all output

    def echoes(self):
        """Whether the terminal's ECHO flag is on now: what dockerops set, read from the slave's
        termios, not inferred from what the line discipline has echoed so far."""
        fd = os.open(self.slave_path, os.O_RDWR | os.O_NOCTTY)
        try:
            return bool(termios.tcgetattr(fd)[3] & termios.ECHO)
        finally:
            os.close(fd)

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
                    text = os.read(self.master, 4096).decode(errors="replace")
                    self.seen += text
                    self.output += text
                except OSError:  # EIO: the process closed the terminal
                    break
        return None


def fail(message, term=None):
    print(f"FAIL: {message}", file=sys.stderr)
    if term is not None:
        print(f"output so far: {term.seen!r}", file=sys.stderr)
    return 1


def run_test(project, files, body):
    """Makes the project folder with `files` ({relative path: text}), runs body(project_dir), whose
    return value is the exit status, then kills any dockerops still on a terminal and removes the
    project's containers, network, images and folder, also on failure. Exits 77 (skip) without a
    Docker daemon, 1 when CI is set."""
    if not docker_ok():
        if os.environ.get("CI"):
            print("FAIL: no Docker daemon answers, and CI is set: integration tests never skip in CI",
                  file=sys.stderr)
            sys.exit(1)
        print("SKIP: no Docker daemon (with CI set this is a failure)", file=sys.stderr)
        sys.exit(77)
    root = tempfile.mkdtemp()
    project_dir = os.path.join(root, project)
    for path, text in files.items():
        os.makedirs(os.path.dirname(os.path.join(project_dir, path)), exist_ok=True)
        with open(os.path.join(project_dir, path), "w") as f:
            f.write(text)
    try:
        status = body(project_dir)
        if status == 0:
            print("PASS")
    finally:
        for term in _terminals:
            if term.proc.poll() is None:
                term.proc.send_signal(signal.SIGKILL)
                term.proc.wait()
            os.close(term.master)
        cleanup(project, root)
    sys.exit(status)
