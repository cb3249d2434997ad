#!/bin/bash
# issue 15 item 4, the latency metric: web/w (min 1, max 2, latency target 100 ms, an HTTP probe of
# port 8080) runs a tiny HTTP server (perl from the base image) that answers 0.4 s late while
# /tmp/slow exists. Made slow, the agent's probe measures it and scales out to 2 (the decision event
# and GET /api/v1/autoscale carry the latency figures); made fast again, it scales back in to 1 after
# the (short) stabilisation window. Bounded polls only: no timing is asserted.
source "$(dirname "$0")/runlib.bash"
source "$(dirname "$0")/agentlib.bash"
new_project agent-al
mkdir -p services/web
cat >services/web/Dockerfile <<'DOCKERFILE'
FROM dockerops/base
COPY slow-http.pl /usr/local/bin/slow-http
COPY slow-http.conf /etc/supervisor/conf.d/slow-http.conf
RUN chmod 0755 /usr/local/bin/slow-http
DOCKERFILE
cat >services/web/slow-http.pl <<'PERL'
#!/usr/bin/perl
# Answers every request on port 8080; 0.4 s late while /tmp/slow exists.
use strict;
use warnings;
use IO::Socket::INET;
my $server = IO::Socket::INET->new(LocalPort => 8080, Listen => 16, ReuseAddr => 1, Proto => 'tcp')
  or die "listen: $!";
while (my $c = $server->accept) {
  while (my $line = <$c>) { last if $line =~ /^\r?\n$/; }
  select(undef, undef, undef, 0.4) if -e '/tmp/slow';
  print $c "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n";
  close $c;
}
PERL
cat >services/web/slow-http.conf <<'CONF'
[program:slow-http]
command=/usr/local/bin/slow-http
autostart=true
autorestart=true
stdout_logfile=/dev/stdout
stdout_logfile_maxbytes=0
stderr_logfile=/dev/stderr
stderr_logfile_maxbytes=0
CONF
cat >run.conf <<'CONF'
[
  {"service": "dockerops-dns", "instance": "main"},
  {"service": "web", "instance": "w", "drain": 0,
   "autoscale": {"min": 1, "max": 2, "metric": "latency", "target": 100,
                 "probe": {"port": 8080, "path": "/"},
                 "scale_out_cooldown": 2, "scale_in_stabilization": 5}}
]
CONF
dockerops build:web >/dev/null
dockerops run:all >/dev/null
DNS_IP=$(dockerops getip:dockerops-dns)
[[ $(running) == 1 ]] || fail "run:all did not start min 1 instance"
start_agent
# Fast: the probe's figure comes in and holds at 1.
measured_fast() {
  api GET /api/v1/autoscale | python3 -c '
import json, sys
e = json.load(sys.stdin)["entries"][0]
assert e["metric"] == "latency" and e["probe"] == {"port": 8080, "path": "/"}, e
d = e["last_decision"]
assert d["verdict"] == "hold" and d["figures"]["w1"] is not None and d["figures"]["w1"] < 100 and e["current"] == 1, d'
}
poll "a fast latency figure of web/w1 in GET /api/v1/autoscale" 60 measured_fast

docker exec "$T_NAME-web-w1" touch /tmp/slow
poll "the scale-out to 2 on latency, with the DNS following" 60 count_is 2
out='e["action"] == "autoscale" and e["outcome"] == "scheduled" and e["details"]["verdict"] == "scale-out"'
has_event "$out"' and e["details"]["metric"] == "latency" and e["details"]["value"] > 100 and e["details"]["figures"]["w1"] > 100' ||
  fail "no scale-out event with the latency figures: $("$DOCKEROPS_BIN" events | tail -5)"

docker exec "$T_NAME-web-w1" rm -f /tmp/slow
poll "the scale-in back to 1 once both answer fast" 60 count_is 1
scale_in='e["action"] == "autoscale" and e["outcome"] == "scheduled" and e["details"]["verdict"] == "scale-in"'
has_event "$scale_in"' and e["details"]["metric"] == "latency" and e["details"]["value"] < 100' ||
  fail "no scale-in event with the latency figures"
[[ -n $(docker ps -q --filter "name=^$T_NAME-web-w1\$") ]] || fail "web/w1 went: the highest numbers go first"
stop_agent || fail "the agent exited $? on SIGTERM"
echo PASS
