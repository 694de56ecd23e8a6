#!/usr/bin/env bash
# Issue #2's figure: `suiji import entities` of a generated N-row entity CSV into PostgreSQL, as a
# ratio to `psql \copy` of an equivalent pre-validated file into an identical table on the same
# server in the same run; then the same import into SQLite. Peak RSS of each import from
# /usr/bin/time. Starts its own PostgreSQL (scripts/pg.sh) and stops it after.
#   tests/bench/import/run.sh BUILD_DIR [N] [RUNS]      (defaults: 1000000 rows, 1 run)
#   SUIJI_BENCH_PG_PORT (default 54362), SUIJI_BENCH_DIR (default /tmp/suiji-import-bench)
set -euo pipefail
build=${1:?build dir}; n=${2:-1000000}; runs=${3:-1}
root=$(cd "$(dirname "$0")/../../.." && pwd)
port=${SUIJI_BENCH_PG_PORT:-54362}
work=${SUIJI_BENCH_DIR:-/tmp/suiji-import-bench}
suiji="$build/api/cli/suiji"
mkdir -p "$work"
chmod 755 "$work"
"$suiji" gen --seed 1 --entities "$n" --officers 10 --items 4 --out "$work/gen" >/dev/null
csv="$work/gen/entities.csv"
"$root/scripts/pg.sh" start "$port"
trap '"$root/scripts/pg.sh" stop "$port"' EXIT
url=$("$root/scripts/pg.sh" url "$port")
cols="id, id_kind, name, entity_type, region, industry, status, established, address, legal_rep, special_registers, updated_at"
secs() { python3 -c "import sys; print(f'{float(sys.argv[1]):.2f}')" "$1"; }
now() { date +%s.%N; }
peak() { awk -F': ' '/Maximum resident set size/ {printf "%.1f MB", $2/1024}' "$1"; }
for run in $(seq 1 "$runs"); do
  psql -q "$url" -c "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;" 2>/dev/null
  "$suiji" --db "$url" init >/dev/null
  # Each timed load starts from a checkpoint, so neither pays for the other's dirty buffers.
  psql -q "$url" -c CHECKPOINT
  t0=$(now)
  /usr/bin/time -v -o "$work/pg.time" "$suiji" --db "$url" import entities "$csv" >"$work/pg.out"
  t1=$(now)
  # The equivalent pre-validated file: exactly the stored values, in the table's columns.
  psql -q -v ON_ERROR_STOP=1 "$url" -c "\\copy (SELECT $cols FROM entities) TO '$work/valid.csv' CSV"
  psql -q -v ON_ERROR_STOP=1 "$url" -c "CREATE TABLE entities_copy (LIKE entities INCLUDING ALL)"
  psql -q "$url" -c CHECKPOINT
  t2=$(now)
  psql -q -v ON_ERROR_STOP=1 "$url" -c "\\copy entities_copy ($cols) FROM '$work/valid.csv' CSV"
  t3=$(now)
  rm -f "$work/bench.db" "$work/bench.db-wal" "$work/bench.db-shm"
  "$suiji" --db "sqlite:$work/bench.db" init >/dev/null
  t4=$(now)
  /usr/bin/time -v -o "$work/lite.time" "$suiji" --db "sqlite:$work/bench.db" import entities "$csv" >"$work/lite.out"
  t5=$(now)
  psql -q "$url" -c CHECKPOINT
  t0s=$(now)
  /usr/bin/time -v -o "$work/again.time" "$suiji" --db "$url" import entities "$csv" >"$work/again.out"
  t1s=$(now)
  pg=$(python3 -c "print($t1-$t0)"); cp=$(python3 -c "print($t3-$t2)"); lite=$(python3 -c "print($t5-$t4)")
  again=$(python3 -c "print($t1s-$t0s)")
  echo "run $run: $n rows ($(du -m "$csv" | cut -f1) MB CSV), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "  suiji import (PostgreSQL):    $(secs "$pg") s  $(python3 -c "print(int($n/$pg))") rows/s  peak RSS $(peak "$work/pg.time")  [$(tail -n 1 "$work/pg.out")]"
  echo "  psql \\copy (pre-validated):   $(secs "$cp") s  $(python3 -c "print(int($n/$cp))") rows/s"
  echo "  ratio import / \\copy:         $(python3 -c "print(f'{$cp/$pg:.2f}')")"
  echo "  re-import, all unchanged:     $(secs "$again") s  peak RSS $(peak "$work/again.time")  [$(tail -n 1 "$work/again.out")]"
  echo "  suiji import (SQLite):        $(secs "$lite") s  $(python3 -c "print(int($n/$lite))") rows/s  peak RSS $(peak "$work/lite.time")"
done
rm -f "$work/valid.csv" "$work/bench.db" "$work/bench.db-wal" "$work/bench.db-shm"
