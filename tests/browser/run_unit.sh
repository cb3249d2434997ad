#!/bin/bash
# ctest unit.web: the pure modules of web/assets/ under node's test runner. Skips (77) without
# node, except in CI, where a missing node is a failure (install.sh installs it).
set -euo pipefail
if ! command -v node >/dev/null; then
  [[ -n ${CI:-} ]] && { echo "run_unit.sh: node is not installed (install.sh installs it)" >&2; exit 1; }
  echo "SKIP: no node" >&2
  exit 77
fi
exec node --test "$(dirname "$0")/unit/"
