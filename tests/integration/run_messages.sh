#!/bin/bash
# Issue 20 item 9: the smaller message bugs. A NUL in run.conf no longer cuts the message, a byte
# order mark is accepted, CR-only line ends are read as lines, a link cycle names its file and line,
# "run:web ps" asks whether two commands were meant, a 300-character project name is refused as
# such, and a seed_command that exits at once is not reported ready.
source "$(dirname "$0")/runlib.bash"
new_project run-msg
make_service web

# A NUL byte: named in a whole message (it once cut the message short).
printf '[\n{"service": "web", "inst\0ance": "one"}\n]\n' >run.conf
expect_error 'run.conf:2: invalid JSON: a NUL byte in a string; write it as \\u0000' --dry-run run:all
grep -q 'write it as' err.txt || fail "the message was cut at the NUL: $(od -c err.txt | head)"
printf '[\n{"service": "web"}\0]\n' >run.conf
expect_error "run.conf:2: invalid JSON: expected ',' or ']', not a NUL byte" --dry-run run:all

# A byte order mark (Windows editors write one) is no error; CR-only line ends count lines.
printf '\357\273\277[{"service": "web", "instance": "one"}]\n' >run.conf
dockerops --dry-run run:all >out.txt 2>err.txt || fail "a run conf with a byte order mark is refused: $(cat err.txt)"
printf '# the demo\r[\r  {"service": "web",\r   "isntance": "one"}\r]\r' >run.conf
expect_error 'run.conf:4: unknown key "isntance"; did you mean "instance"?' --dry-run run:all

# A link cycle says where.
cat >run.conf <<'CONF'
[
  {"service": "web", "instance": "a", "links": ["web-b:b"]},
  {"service": "web", "instance": "b", "links": ["web-a:a"]}
]
CONF
expect_error 'run.conf:[23]: link cycle: web/[ab] -> web/[ab] -> web/[ab]' --dry-run run:all
expect_error 'run.conf:[23]: link cycle' run:all
no_containers "link cycle"

# A command word where the instance goes: two commands were probably meant.
echo '[]' >run.conf
EXPECT_STATUS=2 expect_error 'run: "ps" is a command; did you mean two commands ("run:web", then "ps")?' run:web ps
no_containers "run:web ps"

# A project name too long for Docker's names.
EXPECT_STATUS=2 expect_error 'project name "p*\.\.\." has 300 characters; it may have at most 63' \
  --project-name "$(printf 'p%.0s' $(seq 300))" ps

# A seed command that exits at once, or does not exist, is a failed start, not "ready".
printf '[\n{"service": "web", "instance": "once", "seed_command": "true"},\n' >run.conf
printf '{"service": "web", "instance": "typo", "seed_command": "no-such-command --flag"}\n]\n' >>run.conf
expect_error 'web/once: seed_command "true" exited with code 0 right after the start' run:web,instance=once
grep -q 'ready' out.txt && fail "web/once was reported ready: $(cat out.txt)"
expect_error 'web/typo: the container exited with code 127 before it was ready; its last output: "\[dockerops\] seed command "no-such-command" not found"' run:web,instance=typo
no_containers "seed commands"
echo PASS
