#!/usr/bin/env bash
# The README's test command: install what is missing, build, run the whole suite with ctest.
# CTest's "postgres" fixture starts a real PostgreSQL before the integration tests and stops it after.
# SUIJI_TEST_PG_PORT picks the throw-away server's port (default 54329).
# SUIJI_ASAN=1 also builds and runs the suite under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
jobs=${SUIJI_JOBS:-$(nproc)}
cmake --preset default -DSUIJI_TEST_PG_PORT="${SUIJI_TEST_PG_PORT:-54329}" >/dev/null
cmake --build --preset default -j "$jobs"
ctest --preset default -j "$jobs" --timeout 600
if [ "${SUIJI_ASAN:-0}" = 1 ]; then
  cmake --preset asan -DSUIJI_TEST_PG_PORT="${SUIJI_TEST_PG_PORT:-54329}" >/dev/null
  cmake --build --preset asan -j "$jobs"
  ctest --preset asan -j "$jobs" --timeout 900
fi
