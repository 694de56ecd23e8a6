#!/usr/bin/env bash
# End-to-end draw benchmark: 1,000,000 entities on a throw-away PostgreSQL (and on SQLite for comparison).
#   tests/bench/e2e/run.sh [BUILD_DIR] [ENTITIES] [OFFICERS]     (defaults: build-e2e, 1000000, 3000)
# Environment: SUIJI_E2E_PG_PORT (54470), SUIJI_E2E_WORK (/tmp/suiji-e2e), SUIJI_E2E_SQLITE=0 skips SQLite.
#
# 1. builds `suiji` and `e2e_bench` if needed; 2. starts its own PostgreSQL (stopped on exit);
# 3. `suiji gen` the registers (timed); 4. per backend: `suiji init` + import entities/officers/items (timed
# separately: not part of a draw), then the draw through the CLI, one process per step, as an operator runs
# it: draw commit, draw reveal, pair commit, pair reveal, draw export, verify; 5. e2e_bench on the same
# database: the same lifecycle in one process with the population read (EntityStore::ForEach etc.) timed
# on its own, which gives the share of the draw spent reading the register out of the database.
# Every command's output is kept in $WORK/logs/; the summary is printed and saved in $WORK/report.txt.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
build=$(realpath -m "${1:-$root/build-e2e}")
n=${2:-1000000}
officers=${3:-3000}
port=${SUIJI_E2E_PG_PORT:-54470}
work=${SUIJI_E2E_WORK:-/tmp/suiji-e2e}
plan=$root/tests/bench/e2e/plan.yaml
as_of=2026-11-30

if [ ! -x "$build/api/cli/suiji" ] || [ ! -x "$build/tests/bench/e2e/e2e_bench" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSUIJI_BENCH=ON >/dev/null
  cmake --build "$build" --target suiji e2e_bench -j2 >/dev/null
fi
S=$build/api/cli/suiji
B=$build/tests/bench/e2e/e2e_bench

mkdir -p "$work/logs"
report=$work/report.txt
: >"$report"
say() { echo "$*" | tee -a "$report"; }
tick=$(getconf CLK_TCK)
pg_pid=""  # the postmaster of our server: its own CPU plus its reaped children's (every finished backend)
server_cpu() {
  [ -n "$pg_pid" ] || { echo 0; return; }
  sed 's/^.*) //' "/proc/$pg_pid/stat" | awk -v t="$tick" '{print ($12 + $13 + $14 + $15) / t}'
}
# timed NAME CMD...: runs CMD with its output in logs/NAME.log; records wall time, the client's CPU
# (user+sys) and, on PostgreSQL, the server's CPU over the same step. On a loaded machine CPU is steadier.
timed() {
  local name=$1; shift
  local s0 s1
  s0=$(server_cpu)
  if ! /usr/bin/time -f '%e %U %S' -o "$work/logs/$name.time" "$@" >"$work/logs/$name.log" 2>&1; then
    echo "FAILED: $name: $*" >&2; cat "$work/logs/$name.log" >&2; exit 1
  fi
  s1=$(server_cpu)
  read -r wall user sys <"$work/logs/$name.time"
  printf '  %-26s %8.1f s wall %8.1f s client cpu %8.1f s server cpu\n' "$name" "$wall" \
    "$(echo "$user + $sys" | bc -l)" "$(echo "$s1 - $s0" | bc -l)" | tee -a "$report"
}

say "e2e draw benchmark: $n entities, $officers officers; $(nproc) cores; $(date -u +%FT%TZ)"
say "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# Registers: generated once per size (deterministic seed), reused by later runs.
data=$work/data-$n-$officers
if [ ! -f "$data/.done" ]; then
  rm -rf "$data"
  say "generate"
  timed gen "$S" gen --seed 2026 --entities "$n" --officers "$officers" --out "$data"
  touch "$data/.done"
fi

"$root/scripts/pg.sh" start "$port"
trap '"$root/scripts/pg.sh" stop "$port"' EXIT
pg_url=$("$root/scripts/pg.sh" url "$port")
pg_pid=$(head -n 1 "/tmp/suiji-pg-$port/data/postmaster.pid")

run_backend() {
  local label=$1 url=$2
  export SUIJI_DB=$url
  say ""
  say "== $label"
  say "import (not part of the draw)"
  timed "$label.init" "$S" init
  timed "$label.import.entities" "$S" import entities "$data/entities.csv"
  timed "$label.import.officers" "$S" import officers "$data/officers.csv"
  timed "$label.import.items" "$S" import items "$data/items.csv"
  say "draw through the CLI (one process per step, wall time including process start and DB connect)"
  timed "$label.draw.commit" "$S" draw commit "$plan" --as-of "$as_of" --actor e2e
  local draw
  draw=$(awk '/^draw .* committed/ {print $2; exit}' "$work/logs/$label.draw.commit.log")
  sed -n 's/^/    /; /stratum\|excluded/p' "$work/logs/$label.draw.commit.log" | tee -a "$report"
  timed "$label.draw.reveal" "$S" draw reveal "$draw" --entropy "3141 5926 5358 9793 2384" --actor e2e
  timed "$label.pair.commit" "$S" pair commit "$draw" --actor e2e
  timed "$label.pair.reveal" "$S" pair reveal "$draw-P1" --entropy "2718 2818 2845 9045 2353" --actor e2e
  grep -m1 'status' "$work/logs/$label.pair.reveal.log" | sed 's/^/    /' | tee -a "$report" || true
  rm -rf "$work/bundle-$label"
  timed "$label.draw.export" "$S" draw export "$draw" "$work/bundle-$label"
  timed "$label.verify" "$S" verify "$work/bundle-$label"
  say "same lifecycle in one process (e2e_bench), population read timed on its own"
  rm -rf "$work/bundle-$label-inproc"
  "$B" "$url" "$plan" "$as_of" "$work/bundle-$label-inproc" 3 2>&1 | sed 's/^/  /' | tee -a "$report"
}

run_backend postgresql "$pg_url"
if [ "${SUIJI_E2E_SQLITE:-1}" != 0 ]; then
  rm -f "$work/suiji.db" "$work/suiji.db-wal" "$work/suiji.db-shm"
  pg_pid=""
  run_backend sqlite "sqlite:$work/suiji.db"
fi
say ""
say "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
say "report: $report; logs: $work/logs/"
