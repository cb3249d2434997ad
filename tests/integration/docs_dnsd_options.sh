#!/usr/bin/env bash
# Every option dockerops-dnsd --help lists is described in dockerops-dnsd(8).
set -euo pipefail
page="$DOCKEROPS_SOURCE_DIR/man/dockerops-dnsd.8.scd"
missing=0
for option in $("$DOCKEROPS_DNSD" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
  if ! grep -qF -- "*$option*" "$page"; then
    echo "dockerops-dnsd option $option is not in man/dockerops-dnsd.8.scd"
    missing=$((missing + 1))
  fi
done
[ "$missing" -eq 0 ] && echo "all dockerops-dnsd options are documented"
exit "$missing"
