#!/bin/bash
# ctest fixture (FIXTURES_SETUP browser_modules): installs tests/browser's lock file with `npm ci`
# into the build tree (DEST), once: a second run with the same lock file is a no-op, so the
# browser tests run offline after the first. playwright-core only; no browser is downloaded
# (the tests drive Debian's /usr/bin/chromium).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dest=${1:?usage: npm_ci.sh DEST}
if ! command -v npm >/dev/null; then
  [[ -n ${CI:-} ]] && { echo "npm_ci.sh: npm is not installed (install.sh installs it)" >&2; exit 1; }
  echo "npm_ci.sh: no npm; skipping" >&2
  exit 77
fi
mkdir -p "$dest"
if cmp -s "$here/package-lock.json" "$dest/package-lock.json" && [[ -d $dest/node_modules/playwright-core ]]; then
  echo "npm_ci.sh: $dest is up to date"
  exit 0
fi
cp "$here/package.json" "$here/package-lock.json" "$dest/"
cd "$dest"
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts
echo "npm_ci.sh: installed $(node -p 'require("playwright-core/package.json").version' 2>/dev/null || echo '?') in $dest"
