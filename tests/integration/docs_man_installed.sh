#!/usr/bin/env bash
# After ./install.sh, man finds the three pages (the README's test command
# runs install.sh first). Without an installed dockerops the check is skipped.
set -euo pipefail
installed=$(command -v dockerops || true)
if [ -z "$installed" ] || [ "$installed" = "$(dirname "$DOCKEROPS_BIN")/dockerops" ]; then
  installed=$(PATH=/usr/local/bin:/usr/bin:/bin command -v dockerops || true)
fi
if [ -z "$installed" ]; then
  if [ -n "${CI:-}" ]; then
    echo "FAIL: dockerops is not installed, and CI is set (CI runs ./install.sh first)" >&2
    exit 1
  fi
  echo "SKIP: dockerops is not installed: run ./install.sh first (with CI set this is a failure)"
  exit 77
fi
man -w dockerops dockerops-run.conf dockerops-dnsd
prefix=$(dirname "$(dirname "$installed")")
test -f "$prefix/share/bash-completion/completions/dockerops"
echo "man pages and completion installed under $prefix"
