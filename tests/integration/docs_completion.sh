#!/usr/bin/env bash
# Bash completion in a real bash: the function is registered, and compgen-style
# results for a sample project list commands, keys and the project's services.
set -euo pipefail
project=$(mktemp -d)
trap 'rm -rf "$project"' EXIT
mkdir -p "$project/services/web" "$project/services/worker" "$project/services/nodockerfile"
echo "FROM dockerops/base" > "$project/services/web/Dockerfile"
echo "FROM dockerops/base" > "$project/services/worker/Dockerfile"
cd "$project"

# Runs the completion for a command line (the cursor at its end) and prints COMPREPLY.
complete_line() {
  bash --norc --noprofile -c '
    source "$1"
    complete -p dockerops >/dev/null
    COMP_LINE=$2; COMP_POINT=${#COMP_LINE}
    read -ra COMP_WORDS <<< "$COMP_LINE"
    [[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
    _dockerops
    printf "%s\n" "${COMPREPLY[@]}"' _ "$DOCKEROPS_SOURCE_DIR/completion/dockerops.bash" "$1"
}

fail=0
expect() { # expect LINE WORD...: each WORD must be among the candidates
  local line=$1; shift
  local got; got=$(complete_line "$line")
  for word in "$@"; do
    if ! grep -qxF -- "$word" <<< "$got"; then
      echo "completing \"$line\": \"$word\" missing; got: $(tr '\n' ' ' <<< "$got")"
      fail=1
    fi
  done
}
reject() { # reject LINE WORD: WORD must not be a candidate
  local got; got=$(complete_line "$1")
  if grep -qxF -- "$2" <<< "$got"; then echo "completing \"$1\": \"$2\" must not be offered"; fail=1; fi
}

bash --norc --noprofile -c 'source "$1"; complete -p dockerops' _ "$DOCKEROPS_SOURCE_DIR/completion/dockerops.bash"
expect "dockerops r" "run" "rerun"
expect "dockerops bui" "build:"
expect "dockerops " "build" "run" "ps" "install_demo"
expect "dockerops run:" "all" "web" "worker"
reject "dockerops run:" "nodockerfile"
# bash breaks words at ':', so the word being completed is what follows it.
expect "dockerops run:web,inst" "web,instance=" "web,instance_type="
expect "dockerops build:web,no" "web,nocache="
expect "dockerops run web --inst" "--instance" "--instance-type"
expect "dockerops logs --fo" "--follow"
expect "dockerops scale:w" "web=" "worker="
expect "dockerops scale" "scale:"
[ "$fail" -eq 0 ] && echo "completion ok"
exit "$fail"
