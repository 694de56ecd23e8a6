#!/usr/bin/env bash
# Bulk-upsert throughput of data/store vs psql \copy, on a throw-away PostgreSQL, plus SQLite.
#   tests/bench/store/run.sh BUILD_DIR [N] [BATCH]     (defaults: 1000000 entities, batches of 50000)
set -euo pipefail
build=${1:?build dir}; n=${2:-1000000}; batch=${3:-50000}
root=$(cd "$(dirname "$0")/../../.." && pwd)
port=${SUIJI_BENCH_PG_PORT:-54349}
"$root/scripts/pg.sh" start "$port"
trap '"$root/scripts/pg.sh" stop "$port"' EXIT
"$build/tests/bench/store/store_bench" "$("$root/scripts/pg.sh" url "$port")" "$n" "$batch"
