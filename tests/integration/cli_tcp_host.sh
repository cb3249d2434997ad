#!/bin/bash
# DOCKER_HOST=tcp://HOST:PORT (docs/decisions.md 16): engine calls work over TCP, and features that need
# the daemon's filesystem say "needs a local daemon". The TCP daemon is a proxy on 127.0.0.1 that
# this test starts in front of the local socket.
source "$(dirname "$0")/runlib.bash"
new_project tcp
port_file=$T_ROOT/port
python3 - "$port_file" <<'PY' &
import socket, sys, threading
def pump(a, b):
    try:
        while (data := a.recv(65536)):
            b.sendall(data)
    except OSError:
        pass
    finally:
        for s in (a, b):
            try: s.shutdown(socket.SHUT_RDWR)
            except OSError: pass
server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen(16)
open(sys.argv[1], "w").write(str(server.getsockname()[1]))
while True:
    client, _ = server.accept()
    daemon = socket.socket(socket.AF_UNIX); daemon.connect("/var/run/docker.sock")
    for a, b in ((client, daemon), (daemon, client)):
        threading.Thread(target=pump, args=(a, b), daemon=True).start()
PY
proxy=$!
extra_cleanup() { kill "$proxy" 2>/dev/null || true; }
for _ in $(seq 50); do [[ -s $port_file ]] && break; sleep 0.1; done
[[ -s $port_file ]] || fail "the TCP proxy did not start"
export DOCKER_HOST=tcp://127.0.0.1:$(cat "$port_file")

out=$(dockerops version) || fail "version over tcp failed"
expect_contains "$out" "at $DOCKER_HOST" "version names the tcp host"
dockerops ps --all >/dev/null || fail "ps over tcp failed"

make_service web
echo '[{"service": "web", "instance": "one"}]' > run.conf
if dockerops run:all 2>err.txt; then fail "run over tcp succeeded"; fi
expect_contains "$(cat err.txt)" "needs a local daemon" "run over tcp"
[[ $(wc -l < err.txt) -eq 1 ]] || fail "more than one error line: $(cat err.txt)"
echo PASS
