#!/bin/bash
# Lifecycle benchmark at equal work: N containers of one service built FROM dockerops/base, started
# and removed by dockerops, by docker-compose 1.29 (Debian) and by the floor (bench/run/engine.py:
# raw Engine API calls from one process over the unix socket, no CLI per call). compose and the
# floor create exactly the containers dockerops created in the same round (engine.py capture reads
# them back from the daemon: image, hostname, env, labels, bind mount, stop timeout, network with
# its subnet and the fixed address), under another project name. Every start includes the creation
# of the project network, every removal its removal.
#
# Usage: bench/run/run_bench.sh ["10 30 60 100"] [ROUNDS=3]   (needs dockerops/base: dockerops init)
#   DOCKEROPS_BIN   the dockerops binary (default: the one on PATH)
#   JOBS            the parallelism of every removal (dockerops --jobs, compose's
#                   COMPOSE_PARALLEL_LIMIT, the floor) and of the first floor start (default 8)
#   BENCH_LOCK      a command each round runs under (e.g. a lock of a shared daemon); one round of
#                   one N is one call of it
#   DOCKEROPS_ARGS  extra dockerops options for the start (e.g. "--jobs 16")
# Every object carries dockerops.test=1 and is removed at the end. Prints one Markdown table.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ENGINE="python3 $here/engine.py"
now() { echo "$EPOCHREALTIME"; }
elapsed() { echo "$2 - $1" | bc; }

# One round of one N (run by the driver below, under $BENCH_LOCK): appends "N round what seconds"
# lines to $RESULTS. The tools take turns leading the round.
if [[ ${1:-} == __rounds ]]; then
 N=$2 part=$4
 for r in $3; do
  # A new project per round (and per tool): a network whose removal the daemon refused (it may
  # lose count of a network's endpoints when many containers go at once) cannot spoil the next.
  proj=${P}-n$N-r$r
  dir=$WORK/$N/$proj
  spec=$WORK/$N/spec-$r.json
  res() { echo "$N $r $1 $2" >>"$RESULTS"; }
  left() { ! docker network inspect "$1" >/dev/null 2>&1 || res "leak_$2" 1; }
  settle() { $ENGINE wait-ready "dockerops.project=$1" "$N"; sleep 3; }
  dc() { (cd "$WORK/$N/compose-$r" && docker-compose -p "${proj//-/}c" "$@" >/dev/null 2>&1); }
  step_dockerops() {
    if [[ ! -d $dir ]]; then
      mkdir -p "$dir" && cp -r "$WORK/$N/template/." "$dir/"
      (cd "$dir" && "$BIN" -q build:svc >/dev/null)
      echo "$proj" >>"$WORK/projects"
    fi
    cd "$dir"
    t0=$(now); "$BIN" -q $DOCKEROPS_ARGS run:all,wait=false >/dev/null; t1=$(now)
    res start_dockerops "$(elapsed "$t0" "$t1")"
    $ENGINE capture "$proj" "$spec" # what compose and the floor create in this round
    settle "$proj"
    t0=$(now); "$BIN" -q --jobs "$JOBS" clean:all,force=true >/dev/null; t1=$(now)
    res clean_dockerops "$(elapsed "$t0" "$t1")"
    left "${proj}_net" dockerops
  }
  step_ready() {
    cd "$dir"
    if [[ -n ${J8:-} ]]; then # the start as it was before --jobs defaulted to 32
      t0=$(now); "$BIN" -q --jobs 8 run:all,wait=false >/dev/null; t1=$(now)
      res start_dockerops_j8 "$(elapsed "$t0" "$t1")"
      "$BIN" -q clean:all,force=true >/dev/null
    fi
    t0=$(now); "$BIN" -q $DOCKEROPS_ARGS run:all >/dev/null; t1=$(now) # waits for every "ready"
    res ready_dockerops "$(elapsed "$t0" "$t1")"
    "$BIN" -q clean:all,force=true >/dev/null
  }
  step_compose() {
    mkdir -p "$WORK/$N/compose-$r"
    $ENGINE compose "$spec" "${proj}c" >"$WORK/$N/compose-$r/docker-compose.yml"
    # compose 1.29 holds a slot of its global limit (COMPOSE_PARALLEL_LIMIT, default 64) per service
    # while the service's containers wait for another one: from 64 services on every slot waits and
    # `up` hangs. There it gets N + 64 slots (64 for the containers once every service holds one).
    local limit=64; ((N < 64)) || limit=$((N + 64))
    t0=$(now); COMPOSE_PARALLEL_LIMIT=$limit dc up -d; t1=$(now)
    res start_compose "$(elapsed "$t0" "$t1")"
    settle "${proj}c"
    t0=$(now); COMPOSE_PARALLEL_LIMIT=$JOBS dc down -t 10 || true; t1=$(now) # fails on a left network
    res clean_compose "$(elapsed "$t0" "$t1")"
    left "${proj}c_net" compose
  }
  step_floor() {
    # Between two calls of $BENCH_LOCK others' test sweeps may remove the image (dockerops.test=1).
    docker image inspect "$proj/svc:latest" >/dev/null 2>&1 || (cd "$dir" && "$BIN" -q build:svc >/dev/null)
    t0=$(now); $ENGINE start "$spec" "${proj}f" "$JOBS"; t1=$(now)
    res start_floor_jobs "$(elapsed "$t0" "$t1")"
    settle "${proj}f"
    t0=$(now); $ENGINE remove "${proj}f" "$JOBS"; t1=$(now)
    res clean_floor_force "$(elapsed "$t0" "$t1")"
    left "${proj}f_net" floor
    t0=$(now); $ENGINE start "$spec" "${proj}g" "$N"; t1=$(now)
    res start_floor_all "$(elapsed "$t0" "$t1")"
    settle "${proj}g"
    t0=$(now); $ENGINE remove "${proj}g" "$JOBS" stop; t1=$(now)
    res clean_floor_stop "$(elapsed "$t0" "$t1")"
    left "${proj}g_net" floor
  }
  # dockerops first (it makes the spec the others use), then the others in turns.
  if [[ $part != b ]]; then
    res load1 "$(cut -d' ' -f1 /proc/loadavg)"
    step_dockerops
    if ((r % 2)); then step_compose; step_ready; else step_ready; step_compose; fi
  fi
  [[ $part == a ]] || step_floor
 done
 exit 0
fi

NS=${1:-10 30 60 100}
ROUNDS=${2:-3}
export BIN=${DOCKEROPS_BIN:-$(command -v dockerops)} JOBS=${JOBS:-8} DOCKEROPS_ARGS=${DOCKEROPS_ARGS:-}
export DOCKEROPS_EXTRA_LABELS=dockerops.test=1 NO_COLOR=1
lock=${BENCH_LOCK:-}

if ! command -v docker-compose >/dev/null; then
  sudo=""; [[ $(id -u) == 0 ]] || sudo=sudo
  $sudo apt-get install -y docker-compose >/dev/null
fi

export WORK P=b-run-$$
WORK=$(mktemp -d)
: >"$WORK/projects"
export RESULTS=$WORK/results
cleanup() {
  local rc=$?
  ((rc == 0)) || cat "$RESULTS" >&2 2>/dev/null || true # the rounds measured before the failure
  $lock bash -c '
    for proj in $(cat "$WORK/projects" 2>/dev/null); do
      for p in "$proj" "${proj}c" "${proj}f" "${proj}g"; do
        docker ps -aq --filter "label=dockerops.project=$p" | xargs -r docker rm -f >/dev/null 2>&1 || true
        docker network rm "${p}_net" >/dev/null 2>&1 || true
      done
      docker rmi "$proj/svc:latest" >/dev/null 2>&1 || true
    done' || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# One project template per N: N instances of one service FROM dockerops/base.
for N in $NS; do $ENGINE project "$WORK/$N/template" "$N"; done

# Rounds go to $BENCH_LOCK in groups of about 90 containers (3 rounds of 10 or of 30 in one call,
# 60 one round a call); from SPLIT_AT containers on (default 100) a round is two calls (dockerops
# and compose, then the floors), so that no call holds a shared daemon for more than a few minutes.
for N in $NS; do
  per=$((90 / N)); ((per >= 1)) || per=1
  for ((r = 1; r <= ROUNDS; r += per)); do
    group=$(seq "$r" $((r + per - 1 < ROUNDS ? r + per - 1 : ROUNDS)) | xargs)
    if ((N >= ${SPLIT_AT:-100})); then
      $lock "$0" __rounds "$N" "$group" a
      $lock "$0" __rounds "$N" "$group" b
    else
      $lock "$0" __rounds "$N" "$group" all
    fi
  done
done

# The table: medians over the rounds, [min-max] in brackets; ratios are taken per round (the tools
# of one round met the same moment of the machine), then their median and range.
python3 - "$RESULTS" "$JOBS" "$ROUNDS" <<'EOF'
import statistics, sys
from collections import defaultdict
rows = defaultdict(dict)
for line in open(sys.argv[1]):
    n, r, what, v = line.split()
    rows[int(n)].setdefault(what, {})[int(r)] = float(v)
jobs, rounds = sys.argv[2], sys.argv[3]
def med(d): return statistics.median(d.values())
def cell(d): return f"{med(d):.2f} s [{min(d.values()):.2f}-{max(d.values()):.2f}]"
def ratio(a, b):
    q = {r: a[r] / b[r] for r in a if r in b}
    return f"{statistics.median(q.values()):.2f}x [{min(q.values()):.2f}-{max(q.values()):.2f}]"
print(f"start (median of {rounds} [min-max]; ratios per round, then median [min-max])")
print()
j8 = any("start_dockerops_j8" in m for m in rows.values())
print(f"| N | dockerops run:all,wait=false | docker-compose up -d | floor, {jobs} at once | floor, all at once "
      "| dockerops / compose | dockerops / floor all at once | dockerops run:all until all ready "
      "| s per container (dockerops) | load1 |" + (" dockerops --jobs 8 / compose |" if j8 else ""))
print("|---|---|---|---|---|---|---|---|---|---|" + ("---|" if j8 else ""))
for n, m in sorted(rows.items()):
    d = m["start_dockerops"]
    print(f"| {n} | {cell(d)} | {cell(m['start_compose'])} | {cell(m['start_floor_jobs'])} | "
          f"{cell(m['start_floor_all'])} | {ratio(d, m['start_compose'])} | {ratio(d, m['start_floor_all'])} | "
          f"{cell(m['ready_dockerops'])} | {med(d) / n:.3f} | {med(m['load1']):.1f} |" +
          (f" {ratio(m['start_dockerops_j8'], m['start_compose'])} |" if j8 else ""))
print()
print(f"clean, settled (all ready + 3 s), {jobs} at once for every tool")
print()
print("| N | dockerops clean:all,force=true | docker-compose down -t 10 | floor stop t=10 + DELETE | floor DELETE ?force=1 "
      "| dockerops / compose | dockerops / floor stop | dockerops / floor force |")
print("|---|---|---|---|---|---|---|---|")
for n, m in sorted(rows.items()):
    d = m["clean_dockerops"]
    print(f"| {n} | {cell(d)} | {cell(m['clean_compose'])} | {cell(m['clean_floor_stop'])} | "
          f"{cell(m['clean_floor_force'])} | {ratio(d, m['clean_compose'])} | {ratio(d, m['clean_floor_stop'])} | "
          f"{ratio(d, m['clean_floor_force'])} |")
leaks = {n: {k[5:]: len(v) for k, v in m.items() if k.startswith("leak_")} for n, m in rows.items()}
if any(leaks.values()):
    print()
    print("networks the daemon refused to remove (\"has active endpoints\"), per N and tool: " +
          "; ".join(f"N={n}: " + ", ".join(f"{t} {c}" for t, c in l.items()) for n, l in sorted(leaks.items()) if l))
EOF
