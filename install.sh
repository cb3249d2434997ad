#!/usr/bin/env bash
# dockerops installer for Debian 12, run as root from a checkout.
# Idempotent: installs what is missing, builds, installs, and makes sure a
# Docker daemon answers. See ./install.sh --help.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prefix=/usr/local
build_dir="$here/build"
uninstall=false
start_daemon=true
build_type=Release
socket=/var/run/docker.sock
daemon_log=/var/log/dockerops-dockerd.log

usage() {
  cat <<'EOF'
usage: ./install.sh [--prefix DIR] [--build-dir DIR] [--no-daemon] [--debug]
       ./install.sh --uninstall [--prefix DIR]

Installs every build and runtime dependency of dockerops with apt-get (only
what is missing), builds it (Release) with its tests, installs dockerops,
dockerops-dnsd, the man pages, bash completion and the data folders
(base-image/, dns-service/, demo/, demos/, web/) under the prefix, then makes sure a Docker
daemon answers on /var/run/docker.sock, starting dockerd fully detached (log in
/var/log/dockerops-dockerd.log) when none does.

  --prefix DIR     install under DIR (default /usr/local)
  --build-dir DIR  build in DIR (default ./build)
  --no-daemon      do not check or start the Docker daemon
  --debug          build with debug information and no optimisation
  --uninstall      remove what a previous install put under the prefix
                   (containers, images and project data are never touched)
  -h, --help       this help

Environment: CI=true turns compiler warnings into errors.
EOF
}

say() { printf 'install.sh: %s\n' "$*"; }
die() { printf 'install.sh: error: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a folder"; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#*=}; shift ;;
    --build-dir) [ $# -ge 2 ] || die "--build-dir needs a folder"; build_dir=$2; shift 2 ;;
    --build-dir=*) build_dir=${1#*=}; shift ;;
    --no-daemon) start_daemon=false; shift ;;
    --debug) build_type=Debug; shift ;;
    --uninstall) uninstall=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option \"$1\"" ;;
  esac
done

manifest="$prefix/share/dockerops/install_manifest.txt"

if $uninstall; then
  [ -f "$manifest" ] || die "nothing to uninstall: $manifest not found"
  count=0
  while IFS= read -r file || [ -n "$file" ]; do
    if [ -e "$file" ] || [ -L "$file" ]; then rm -f -- "$file"; count=$((count + 1)); fi
  done < "$manifest"
  rm -f -- "$manifest"
  # Remove the folders the install created, when they are now empty.
  find "$prefix/share/dockerops" -depth -type d -empty -delete 2>/dev/null || true
  say "removed $count files installed under $prefix"
  exit 0
fi

[ "$(id -u)" -eq 0 ] || die "run me as root (apt-get and dockerd need it)"

# --- Debian packages -------------------------------------------------------
# Build: compiler, cmake, the libraries (all from Debian), scdoc for man pages.
# Runtime: docker.io (the engine), debootstrap (the root image), openssh-client
# (dockerops ssh), curl (daemon checks).
# Tests: dig/nsupdate/host, kdig/knsupdate, dnspython, jsonschema (the agent API
# test checks answers against docs/api/openapi.json), named-checkzone
# (bind9-utils), knot (knotd, the peer of the differential DNS test,
# docs/decisions.md 26), busybox (tiny test images), clang + compiler-rt (the
# libFuzzer target), bash-completion, man-db, chromium (the status page's
# browser tests, driven by playwright-core from tests/browser/package-lock.json;
# Node.js and npm come from Debian when the machine has none). CI (.ci/run):
# clang-format and clang-tidy 14.
packages=(
  build-essential cmake ninja-build pkg-config git
  libcurl4-openssl-dev nlohmann-json3-dev libcli11-dev libfmt-dev libldns-dev libarchive-dev libssl-dev libgtest-dev libmicrohttpd-dev
  scdoc
  docker.io debootstrap openssh-client curl ca-certificates iproute2
  bind9-dnsutils bind9-utils knot-dnsutils knot python3 python3-dnspython python3-jsonschema busybox-static dnsmasq-base
  clang libclang-rt-14-dev bash-completion man-db chromium clang-format-14 clang-tidy-14
)
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${#missing[@]} Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The tests run their own knotd on a port they pick; the packaged service would hold port 53.
  if [[ " ${missing[*]} " == *" knot "* ]]; then
    service knot stop >/dev/null 2>&1 || true
    command -v systemctl >/dev/null && systemctl disable knot >/dev/null 2>&1 || true
  fi
else
  say "all ${#packages[@]} Debian packages are already installed"
fi

# --- build and install -----------------------------------------------------
werror=OFF
[ "${CI:-}" = true ] && werror=ON
say "building dockerops ($build_type) in $build_dir"
cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" \
  -DCMAKE_INSTALL_PREFIX="$prefix" -DDOCKEROPS_WERROR="$werror" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
cmake --install "$build_dir" --prefix "$prefix" >/dev/null
install -d "$(dirname "$manifest")"
cp "$build_dir/install_manifest.txt" "$manifest"
say "installed $(grep -c "" "$manifest") files under $prefix ($prefix/bin/dockerops, $prefix/bin/dockerops-dnsd)"

# --- Docker daemon ---------------------------------------------------------
daemon_answers() {
  [ "$(curl -s --max-time 3 --unix-socket "$socket" http://localhost/_ping 2>/dev/null)" = OK ]
}

# Starts dockerd in its own session with no inherited descriptors: stdin from
# /dev/null, output to a log file, every other fd closed. An attached dockerd
# would keep a CI pipe open until the CI time limit (docs/decisions.md 24).
start_dockerd() {
  (
    cd /
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null || true
    done
    exec setsid dockerd </dev/null >>"$daemon_log" 2>&1
  ) &
  disown || true
}

if $start_daemon; then
  if [ -n "${DOCKER_HOST:-}" ] && [ "${DOCKER_HOST#unix://}" = "$DOCKER_HOST" ]; then
    say "DOCKER_HOST=$DOCKER_HOST is not a local socket: not checking the daemon"
  elif daemon_answers; then
    say "a Docker daemon answers on $socket"
  else
    say "no Docker daemon answers on $socket: starting dockerd (log: $daemon_log)"
    start_dockerd
    for _ in $(seq 1 60); do
      daemon_answers && break
      sleep 1
    done
    daemon_answers || die "dockerd did not answer within 60 s; see $daemon_log"
    say "dockerd is up"
  fi
fi

say "done. Next: dockerops install_demo ~/dockerops-demo && cd ~/dockerops-demo && dockerops run:all"
