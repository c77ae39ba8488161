#!/usr/bin/env bash
# The main job, as `make demo` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
ESCOLTA=.venv/bin/escolta
for game in examples/games/*.json; do
  echo "== $game"
  "$ESCOLTA" solve "$game"
done
