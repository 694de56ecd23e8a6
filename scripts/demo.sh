#!/usr/bin/env bash
# The README's demo command: install, build, and run the main job on the embedded default (SQLite).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc)"
echo "suiji core built; the CLI arrives with the registers."
