#!/usr/bin/env bash
# npm_ci.sh SRC DIR: `npm ci` of the browser tests' package.json and package-lock.json (in SRC) into DIR,
# a build folder — node_modules never goes into the source tree. Skipped when DIR already holds
# node_modules installed from the same lock file. Only playwright-core: no browser is downloaded (the
# tests drive /usr/bin/chromium).
set -euo pipefail
src=$1 dir=$2
mkdir -p "$dir"
if [ -f "$dir/node_modules/playwright-core/package.json" ] && cmp -s "$src/package-lock.json" "$dir/package-lock.json"; then
  echo "npm: $dir is up to date with $src/package-lock.json"
  exit 0
fi
cp "$src/package.json" "$src/package-lock.json" "$dir/"
cd "$dir"
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts
