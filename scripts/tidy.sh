#!/usr/bin/env bash
# clang-tidy (checks in .clang-tidy) on the project's C++ sources changed since BASE, using the
# compile commands of BUILD. Exits non-zero on any finding.
#   scripts/tidy.sh [BASE] [BUILD]     BASE defaults to $SUIJI_TIDY_BASE or HEAD~20, BUILD to build
# A file changed since BASE is checked whole, with the project headers it includes.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-${SUIJI_TIDY_BASE:-HEAD~20}}
build=${2:-build}
git rev-parse -q --verify "$base^{commit}" >/dev/null || base=$(git rev-list --max-parents=0 HEAD | tail -1)
# Sources that are in the compile database (fuzz targets are built by tests/fuzz/fuzz.mk, not CMake).
mapfile -t files < <(git diff --name-only --diff-filter=d "$base" -- '*.cpp' |
  grep -E '^(core|sampler|credit|rules|api|reports|data|tests)/' | grep -v '^tests/fuzz/' || true)
# Only files the build compiles (not the deliberately broken fixtures some tests read as data).
mapfile -t files < <(for f in "${files[@]}"; do grep -qF "\"$PWD/$f\"" "$build/compile_commands.json" && echo "$f"; done)
if [ ${#files[@]} -eq 0 ]; then echo "tidy: no C++ source changed since $base"; exit 0; fi
echo "tidy: ${#files[@]} file(s) changed since $(git rev-parse --short "$base")"
jobs=${SUIJI_JOBS:-$(nproc)}
printf '%s\n' "${files[@]}" | xargs -P "$jobs" -n 1 clang-tidy -p "$build" --quiet 2>/dev/null > "$build/tidy.log" || {
  grep -E 'warning:|error:' -A3 "$build/tidy.log" | head -200
  echo "tidy: findings above (full log: $build/tidy.log)"
  exit 1
}
echo "tidy: 0 findings"
