#!/bin/bash
# Lifecycle benchmark: dockerops run:all,wait=false / clean:all / ps with N instances against
# the floor (raw Engine API calls with curl, 4 in parallel) and docker-compose 1.29 (Debian).
# Usage: bench/run/run_bench.sh [N=30] [ROUNDS=3]   (needs dockerops/base: dockerops init)
# Every object carries dockerops.test=1 and is removed at the end. Prints a Markdown table.
set -euo pipefail
N=${1:-30}
ROUNDS=${2:-3}
BIN=${DOCKEROPS_BIN:-$(command -v dockerops)}
SOCK=/var/run/docker.sock
API=http://localhost/v1.41
export DOCKEROPS_EXTRA_LABELS=dockerops.test=1 NO_COLOR=1

if ! command -v docker-compose >/dev/null; then
  sudo=""; [[ $(id -u) == 0 ]] || sudo=sudo
  $sudo apt-get install -y docker-compose >/dev/null
fi

work=$(mktemp -d)
P=b-run-$$
dir=$work/$P
mkdir -p "$dir/services/svc"
printf 'FROM dockerops/base\n' >"$dir/services/svc/Dockerfile"
{
  echo "["
  for i in $(seq 1 "$N"); do
    sep=","; [[ $i == "$N" ]] && sep=""
    echo "  {\"service\": \"svc\", \"instance\": \"i$i\"}$sep"
  done
  echo "]"
} >"$dir/run.conf"

cleanup() {
  docker ps -aq --filter "label=dockerops.bench=$P" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker ps -aq --filter "label=dockerops.project=$P" | xargs -r docker rm -f >/dev/null 2>&1 || true
  (cd "$work/compose" 2>/dev/null && docker-compose -p "${P//-/}" down -t 1 >/dev/null 2>&1) || true
  for net in "${P}_net" "${P}_raw"; do docker network rm "$net" >/dev/null 2>&1 || true; done
  docker rmi "$P/svc:latest" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

cd "$dir"
"$BIN" build:svc >/dev/null
image="$P/svc:latest"

# ps_pair N: mean seconds of `dockerops ps` and of one raw GET /containers/json, N of each,
# alternating so that both meet the same moment of the machine ($EPOCHREALTIME: no fork to time).
ps_pair() {
  local n=$1 t0 mine=0 raw=0
  for _ in $(seq "$n"); do
    t0=$EPOCHREALTIME; "$BIN" ps >/dev/null; mine=$(echo "$mine + $EPOCHREALTIME - $t0" | bc)
    t0=$EPOCHREALTIME; curl -s --unix-socket $SOCK "$API/containers/json" >/dev/null
    raw=$(echo "$raw + $EPOCHREALTIME - $t0" | bc)
  done
  echo "$(echo "scale=4; $mine / $n" | bc) $(echo "scale=4; $raw / $n" | bc)"
}

# raw_start PARALLEL: create + start the N containers with curl, PARALLEL at once.
raw_start() {
  seq 1 "$N" | xargs -P"$1" -I{} sh -c "curl -sf --unix-socket $SOCK -H 'Content-Type: application/json' \
    -d '{\"Image\":\"$image\",\"Hostname\":\"svc-i{}\",\"Labels\":{\"dockerops.test\":\"1\",\"dockerops.bench\":\"$P\"},\"HostConfig\":{\"NetworkMode\":\"${P}_raw\"}}' \
    '$API/containers/create?name=$P-raw-{}' >/dev/null && curl -sf --unix-socket $SOCK -X POST '$API/containers/$P-raw-{}/start'"
}
raw_remove() {
  seq 1 "$N" | xargs -P4 -I{} curl -sf --unix-socket $SOCK -X DELETE "$API/containers/$P-raw-{}?force=1"
}
docker network create --label dockerops.test=1 "${P}_raw" >/dev/null
mkdir -p "$work/compose"
{
  echo "version: '2.4'"
  echo "services:"
  for i in $(seq 1 "$N"); do
    printf '  i%s:\n    image: %s\n    hostname: svc-i%s\n    labels: {dockerops.test: "1", dockerops.bench: "%s"}\n' "$i" "$image" "$i" "$P"
  done
} >"$work/compose/docker-compose.yml"

# Each round runs dockerops, the raw floors and compose back to back, so that a slow moment of
# the machine hits all of them.
run_t=(); clean_t=(); ps_t=(); rawps_t=(); ready_t=()
raw_t=(); raw8_t=(); rawrm_t=(); rawstop_t=(); compose_t=()
for r in $(seq 1 "$ROUNDS"); do
  # dockerops
  t0=$(now); "$BIN" -q run:all,wait=false >/dev/null; t1=$(now)
  run_t+=("$(elapsed "$t0" "$t1")")
  t0=$(now); "$BIN" -q clean:all,force=true >/dev/null; t1=$(now)
  clean_t+=("$(elapsed "$t0" "$t1")")
  # Until every instance printed "[dockerops] ready" (run waits for it by default).
  t0=$(now); "$BIN" -q run:all >/dev/null; t1=$(now)
  ready_t+=("$(elapsed "$t0" "$t1")")
  # ps with the 30 up and settled: "ready" comes before supervisord and sshd have started, and
  # 30 of them starting keep both cores busy for a few seconds.
  sleep 5
  read -r mine raw < <(ps_pair 20)
  ps_t+=("$mine")
  rawps_t+=("$raw")
  "$BIN" -q clean:all,force=true >/dev/null

  # raw floors: create + start 4 (and 8) at once, DELETE?force=1 4 at once
  t0=$(now); raw_start 4; t1=$(now)
  raw_t+=("$(elapsed "$t0" "$t1")")
  t0=$(now); raw_remove; t1=$(now)
  rawrm_t+=("$(elapsed "$t0" "$t1")")
  t0=$(now); raw_start 8; t1=$(now)
  raw8_t+=("$(elapsed "$t0" "$t1")")
  raw_remove
  # The same again, stopped gracefully first (SIGTERM, 10 s grace), as clean does.
  raw_start 4
  sleep 5
  t0=$(now)
  seq 1 "$N" | xargs -P4 -I{} sh -c "curl -sf --unix-socket $SOCK -X POST '$API/containers/$P-raw-{}/stop?t=10' && curl -sf --unix-socket $SOCK -X DELETE '$API/containers/$P-raw-{}?force=1'"
  t1=$(now)
  rawstop_t+=("$(elapsed "$t0" "$t1")")

  # docker-compose up -d of the same containers
  t0=$(now); (cd "$work/compose" && docker-compose -p "${P//-/}" up -d >/dev/null 2>&1); t1=$(now)
  compose_t+=("$(elapsed "$t0" "$t1")")
  (cd "$work/compose" && docker-compose -p "${P//-/}" down -t 1 >/dev/null 2>&1)
done

m() { printf '%s\n' "$@" | median; }
run_m=$(m "${run_t[@]}"); raw_m=$(m "${raw_t[@]}"); raw8_m=$(m "${raw8_t[@]}"); compose_m=$(m "${compose_t[@]}")
ready_m=$(m "${ready_t[@]}")
clean_m=$(m "${clean_t[@]}"); rawrm_m=$(m "${rawrm_t[@]}"); ps_m=$(m "${ps_t[@]}"); rawstop_m=$(m "${rawstop_t[@]}"); rawps_m=$(m "${rawps_t[@]}")
ratio() { echo "scale=2; $1 / $2" | bc; }
echo "| what ($N containers, median of $ROUNDS) | dockerops | floor (raw API, curl) | ratio | docker-compose 1.29 | ratio |"
echo "|---|---|---|---|---|---|"
echo "| run:all,wait=false vs create+start x4 | ${run_m}s | ${raw_m}s | $(ratio "$run_m" "$raw_m")x | ${compose_m}s | $(ratio "$run_m" "$compose_m")x |"
echo "| run:all,wait=false vs create+start x8 | ${run_m}s | ${raw8_m}s | $(ratio "$run_m" "$raw8_m")x | | |"
echo "| run:all until all $N ready | ${ready_m}s | | | | |"
echo "| clean:all,force=true vs DELETE?force=1 x4 | ${clean_m}s | ${rawrm_m}s | $(ratio "$clean_m" "$rawrm_m")x | | |"
echo "| clean:all,force=true vs stop?t=10 + DELETE x4 | ${clean_m}s | ${rawstop_m}s | $(ratio "$clean_m" "$rawstop_m")x | | |"
echo "| ps ($N running) vs one GET /containers/json (mean of 20) | ${ps_m}s | ${rawps_m}s | $(ratio "$ps_m" "$rawps_m")x | | |"
