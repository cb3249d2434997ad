#!/bin/bash
# Output for people and for scripts (issue 7): ps is an aligned table with colours only on a
# terminal and never with NO_COLOR or in a pipe; --json parses; -q keeps run quiet.
source "$(dirname "$0")/runlib.bash"
new_project output
make_service web
cat > run.conf <<'CONF'
[ {"service": "web", "instance": "one"} ]
CONF
unset NO_COLOR
out=$(dockerops run:all 2>&1)
# One line per step; a new instance's line has no redundant "(not created yet)".
expect_contains "$out" "^web/one: created and started$" "progress line of a new instance"
has_escape() { LC_ALL=C grep -q $'\033' <<<"$1"; }

piped=$(dockerops ps | cat)
expect_contains "$piped" "web .*one .*running" "ps table"
has_escape "$piped" && fail "ps in a pipe printed escape sequences"

# A real terminal through script(1): colours on, unless NO_COLOR is set.
tty_out=$(script -qec "$DOCKEROPS_BIN ps" /dev/null)
has_escape "$tty_out" || fail "ps on a terminal printed no colour"
no_color=$(NO_COLOR=1 script -qec "$DOCKEROPS_BIN ps" /dev/null)
has_escape "$no_color" && fail "ps with NO_COLOR printed escape sequences"
expect_contains "$no_color" "web .*one .*running" "ps table on a terminal"

# Columns are aligned: every row's STATE column starts where the header's does.
header_col=$(head -1 <<<"$piped" | grep -bo "STATE" | cut -d: -f1)
row_col=$(sed -n 2p <<<"$piped" | grep -bo "running" | cut -d: -f1)
[[ $header_col == "$row_col" ]] || fail "STATE column not aligned ($header_col vs $row_col)"

dockerops ps --json | python3 -c '
import json, sys
rows = json.load(sys.stdin)
assert len(rows) == 1 and rows[0]["service"] == "web" and rows[0]["instance"] == "one", rows
' || fail "ps --json"
dockerops getip:web,one --json | python3 -c 'import json,sys; json.load(sys.stdin)' || fail "getip --json"

quiet=$(dockerops -q run:all 2>&1)
[[ -z $quiet ]] || fail "run -q printed: $quiet"
dockerops clean:all,force=true
echo PASS
