#!/bin/bash
# Runs at every start of a demo container, before "[dockerops] ready"; a non-zero exit stops it.
set -euo pipefail
echo "Hello world! I am ${SERVICE}-${INSTANCE} (${GREETING:-no greeting})"
