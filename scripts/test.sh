#!/usr/bin/env bash
# The README's test command: install what is missing, build, run the whole suite with ctest, then the
# same suite under AddressSanitizer + UndefinedBehaviorSanitizer, the concurrency tests under
# ThreadSanitizer, and clang-tidy on the C++ files changed in the last commits (docs/sanitizers.md).
# CTest's "postgres" fixture starts a real PostgreSQL before the integration tests and stops it after.
#   SUIJI_TEST_PG_PORT   the throw-away server's port (default 54329)
#   SUIJI_SANITIZERS=0   only the plain build and suite (a quick local loop; CI runs everything)
#   SUIJI_TIDY_BASE      the commit clang-tidy diffs against (default HEAD~10)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
jobs=${SUIJI_JOBS:-$(nproc)}
port=${SUIJI_TEST_PG_PORT:-54329}
stage() { printf '\n== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }
stage "build and suite"
cmake --preset default -DSUIJI_TEST_PG_PORT="$port" >/dev/null
cmake --build --preset default -j "$jobs"
ctest --preset default -j "$jobs" --timeout 600
[ "${SUIJI_SANITIZERS:-1}" = 0 ] && exit 0
stage "clang-tidy on changed files"
scripts/tidy.sh "${SUIJI_TIDY_BASE:-HEAD~10}" build
stage "AddressSanitizer + UndefinedBehaviorSanitizer: the whole suite"
cmake --preset asan -DSUIJI_TEST_PG_PORT="$port" >/dev/null
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs" --timeout 900
stage "ThreadSanitizer: the concurrency tests"
cmake --preset tsan -DSUIJI_TEST_PG_PORT="$port" >/dev/null
cmake --build --preset tsan -j "$jobs"
ctest --preset tsan -j "$jobs" --timeout 900
stage "done"
