# bash completion for dockerops(1).
# Completes commands, KEY= names per command (after "CMD:" or as --key), the
# services of the current project and the instances of running containers.
# Candidates come from "dockerops complete:...", i.e. from the code itself.

_dockerops_complete_list() {
  dockerops complete "$@" 2>/dev/null
}

_dockerops() {
  local cur
  cur=${COMP_WORDS[COMP_CWORD]}
  # Rebuild the current word across ':' and '=' which bash splits on.
  local line=${COMP_LINE:0:COMP_POINT}
  local word=${line##* }

  if [[ $word == *:* ]]; then
    local command=${word%%:*}
    local rest=${word#*:}
    local done_part="" item=$rest
    if [[ $rest == *,* ]]; then
      done_part=${rest%,*},
      item=${rest##*,}
    fi
    local candidates=()
    if [[ $item == instance=* ]]; then
      local service=${rest%%,*}
      local inst
      for inst in $(_dockerops_complete_list instances --service "$service"); do
        candidates+=("instance=$inst")
      done
    elif [[ -z $done_part && $command == scale ]]; then
      # scale:SERVICE=N
      local svc
      for svc in $(_dockerops_complete_list services); do candidates+=("$svc="); done
    elif [[ -z $done_part ]]; then
      local svc
      for svc in all $(_dockerops_complete_list services); do candidates+=("$svc"); done
    else
      local key
      for key in $(_dockerops_complete_list keys --command "$command"); do candidates+=("$key="); done
    fi
    local prefix=$command:$done_part
    local matches=() c
    for c in "${candidates[@]}"; do
      [[ $c == "$item"* ]] && matches+=("$prefix$c")
    done
    # bash treats ':' as a word break: offer only what follows the last one.
    local strip=${word%"${word##*[:=]}"}
    COMPREPLY=()
    for c in "${matches[@]}"; do COMPREPLY+=("${c#"$strip"}"); done
    compopt -o nospace 2>/dev/null
    return 0
  fi

  if [[ $cur == --* ]]; then
    local command="" w
    for w in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
      [[ $w != -* ]] && { command=${w%%:*}; break; }
    done
    local keys=(--project-dir --project-name --dry-run --json --quiet --verbose --ask --jobs --no-wait --help --version)
    if [[ -n $command ]]; then
      local key
      for key in $(_dockerops_complete_list keys --command "$command"); do keys+=("--${key//_/-}"); done
    fi
    COMPREPLY=($(compgen -W "${keys[*]}" -- "$cur"))
    return 0
  fi

  COMPREPLY=($(compgen -W "$(_dockerops_complete_list commands)" -- "$cur"))
  if [[ ${#COMPREPLY[@]} -eq 1 ]]; then
    # A full command name: offer "CMD:" to continue with the colon grammar.
    case ${COMPREPLY[0]} in
      help|version|install_demo|ps|logs) ;;
      *) COMPREPLY=("${COMPREPLY[0]}:"); compopt -o nospace 2>/dev/null ;;
    esac
  fi
  return 0
}

complete -F _dockerops dockerops
