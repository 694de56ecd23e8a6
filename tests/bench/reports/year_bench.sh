#!/usr/bin/env bash
# The reports over a generated year (issue 13's benchmark): ENTITIES entities of province 51 (and
# ENTITIES/50 officers, at least 2000) on PostgreSQL, one credit run, PLANS plans over 2026 (one per
# city, see year_seed.py) each drawn, revealed, paired and revealed through the CLI at its own date
# (SUIJI_CLOCK_START), and a published result seeded straight into the tables for every task (about
# RESULTS in all: results, publications, public_results, objections, inspections by psql \copy, as
# seed_results.py does for issue 12 — the REST workflow would take 5 transactions a result). Then times
# with /usr/bin/time (seconds, max RSS) and prints the files' sizes:
#   suiji report period --from 2026-01-01 --to 2026-12-31 --format html,xlsx,csv,json   (public, --regulator)
#   suiji report plan PLAN --format html,xlsx                                        (the first plan)
#   suiji report audit --from 2026-01-01 --to 2026-12-31 --format html
# and, in the same run, a reference: psql \copy of the same published results joined with their
# entities to a CSV file; prints each report's time as a ratio to it. Not part of the test suite.
#   tests/bench/reports/year_bench.sh BUILD_DIR [ENTITIES=1000000] [PLANS=20] [RESULTS=100000]
# YEAR_BENCH_KEEP=DIR copies the reports into DIR (to look at them); YEAR_BENCH_PERF=1 also records
# `perf record --call-graph dwarf` of the public period report into DIR/period.perf.data (needs
# YEAR_BENCH_KEEP); YEAR_BENCH_KEEP_DB=1 leaves the database running and the work folder in place.
# Starts its own PostgreSQL on port 54379 (scripts/pg.sh), stopped and removed on exit.
set -euo pipefail
build=${1:?build dir}
n=${2:-1000000}
n_plans=${3:-20}
n_results=${4:-100000}
root=$(cd "$(dirname "$0")/../../.." && pwd)
build=$(cd "$build" && pwd)
suiji=$build/api/cli/suiji
seed=$root/tests/bench/reports/year_seed.py
work=$(mktemp -d /tmp/suiji-year-bench.XXXXXX)
pg_port=54379
if [ "${YEAR_BENCH_KEEP_DB:-0}" = 1 ]; then  # leave the database running (and its files) to look into
  trap 'echo "kept: $work and the database $db (stop: scripts/pg.sh stop $pg_port; rm -rf $work /tmp/suiji-pg-$pg_port)"' EXIT
else
  trap '"$root/scripts/pg.sh" stop $pg_port; rm -rf "$work" "/tmp/suiji-pg-$pg_port"' EXIT
fi
officers=$(( n / 50 > 2000 ? n / 50 : 2000 ))

"$root/scripts/pg.sh" start $pg_port
db=$("$root/scripts/pg.sh" url $pg_port)
at() { env SUIJI_CLOCK_START="$1" "${@:2}"; }  # run a command with the clock at a time of the year
echo "== $n entities, $officers officers into PostgreSQL"
"$suiji" gen --seed 13 --entities "$n" --officers "$officers" --items 16 --out "$work" | sed 's/^/  /'
"$suiji" --db "$db" init >/dev/null
/usr/bin/time -f "  import entities: %e s, %M KB" "$suiji" --db "$db" import entities "$work/entities.csv" | tail -1
"$suiji" --db "$db" import officers "$work/officers.csv" | tail -1
"$suiji" --db "$db" import items "$work/items.csv" | tail -1
/usr/bin/python3 "$seed" units "$root" "$work" "$n_plans"
"$suiji" --db "$db" import org-units "$work/org_units.csv" | tail -1
/usr/bin/time -f "  credit score: %e s, %M KB" env SUIJI_CLOCK_START=2026-01-05T09:00:00Z "$suiji" --db "$db" credit score --as-of 2025-12-31 | head -2

echo "== $n_plans plans over 2026: commit, reveal, pair commit, pair reveal"
/usr/bin/python3 "$seed" plans "$root" "$work" "$db" "$n_plans" "$n_results"
: >"$work/draws.txt"
now() { date +%s.%N; }
t0=$(now)
while IFS=$'\t' read -r plan file commit reveal pcommit preveal e1 e2 _ _ _ quota; do
  day=${commit%%T*}
  as_of=$(date -u -d "$day - 1 day" +%F)
  a=$(now)
  out=$(at "$commit" "$suiji" --db "$db" draw commit "$file" --as-of "$as_of")
  draw=$(sed -n 's/^draw \(D-[0-9a-f]*\) committed.*/\1/p' <<<"$out")
  [ -n "$draw" ] || { echo "$out" >&2; exit 1; }
  b=$(now)
  at "$reveal" "$suiji" --db "$db" draw reveal "$draw" --entropy "$e1" >/dev/null
  c=$(now)
  tasks=$(at "$pcommit" "$suiji" --db "$db" pair commit "$draw" | sed -n 's/.*committed: \([0-9]*\) tasks.*/\1/p')
  d=$(now)
  status=$( (at "$preveal" "$suiji" --db "$db" pair reveal "$draw-P1" --entropy "$e2" || true) | sed -n 's/^ *status: //p')
  e=$(now)
  [ "$status" = ok ] || { echo "year_bench: pairing of $draw ($plan) is $status" >&2; exit 1; }
  echo "$draw $plan" >>"$work/draws.txt"
  awk -v p="$plan" -v d="$draw" -v q="$quota" -v t="$tasks" -v s="$status" -v a="$a" -v b="$b" -v c="$c" -v x="$d" -v e="$e" \
    'BEGIN { printf "  %s  %s  quota %s  %s tasks  pairing %s  (commit %.1f s, reveal %.1f s, pair commit %.1f s, pair reveal %.1f s)\n",
             p, d, q, t, s, b - a, c - b, x - c, e - x }'
done <"$work/plans.tsv"
awk -v t0="$t0" -v t1="$(now)" -v k="$n_plans" 'BEGIN { printf "  %d plans drawn and paired: %.1f s\n", k, t1 - t0 }'

echo "== a published result for every task"
/usr/bin/time -f "  task list: %e s, %M KB" "$suiji" --db "$db" task list >"$work/tasks.txt"
tail -1 "$work/tasks.txt" | sed 's/^/  /'
/usr/bin/python3 "$seed" results "$root" "$work" "$work/tasks.txt" "$work/draws.txt" | sed 's/^/  /'
/usr/bin/time -f "  seeded: %e s" psql -q -v ON_ERROR_STOP=1 "$db" \
  -c "\\copy results FROM '$work/results.csv' WITH (FORMAT csv, NULL '\\N')" \
  -c "\\copy publications FROM '$work/publications.csv' WITH (FORMAT csv, NULL '\\N')" \
  -c "\\copy public_results FROM '$work/public_results.csv' WITH (FORMAT csv, NULL '\\N')" \
  -c "\\copy objections FROM '$work/objections.csv' WITH (FORMAT csv, NULL '\\N')" \
  -c "\\copy inspections FROM '$work/inspections.csv' WITH (FORMAT csv, NULL '\\N')" \
  -c "ANALYZE"

echo "== reports (the clock at 2026-12-07)"
export SUIJI_CLOCK_START=2026-12-07T09:00:00Z
first_plan=$(head -1 "$work/plans.tsv" | cut -f1)
out=$work/reports
declare -a labels secs
timed() {  # label command...: runs it, records seconds and max RSS, prints the files it wrote
  local label=$1
  shift
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "$@" >"$work/cmd.out"
  read -r s kb u k <"$work/time.txt"
  labels+=("$label")
  secs+=("$s")
  printf '  %-44s %7.2f s  (%.2f user + %.2f sys)  %8d KB max RSS\n' "$label" "$s" "$u" "$k" "$kb"
  awk '$1 ~ /^\// { n = split($1, p, "/"); printf "      %12d bytes  %s\n", $2, p[n] } $1 == "audit" { print "      " $0 }' "$work/cmd.out"
}
period=(report period --from 2026-01-01 --to 2026-12-31 --format html,xlsx,csv,json)
timed "report period (public) html,xlsx,csv,json" "$suiji" --db "$db" "${period[@]}" --out "$out"
timed "report period --regulator html,xlsx,csv,json" "$suiji" --db "$db" "${period[@]}" --out "$out" --regulator
timed "report plan $first_plan html,xlsx" "$suiji" --db "$db" report plan "$first_plan" --out "$out" --format html,xlsx
timed "report audit html" "$suiji" --db "$db" report audit --from 2026-01-01 --to 2026-12-31 --out "$out" --format html
for f in html xlsx csv json; do
  timed "report period (public) $f only" "$suiji" --db "$db" report period --from 2026-01-01 --to 2026-12-31 \
    --out "$work/one" --format $f
done

# The reference: the same published results with their entities, straight from PostgreSQL to a file.
ref_sql="SELECT r.result_id, r.version, r.draw_id, r.plan_id, r.entity_id, e.name, e.region, e.industry, r.department,
  r.result_code, r.inspected_on, r.concluded_on, r.due_on, r.published_on, r.team FROM results r JOIN entities e ON e.id = r.entity_id
  WHERE r.state = 'published' ORDER BY r.result_id, r.version"
/usr/bin/time -f "%e %M" -o "$work/time.txt" psql -q -v ON_ERROR_STOP=1 "$db" \
  -c "\\copy ($(tr '\n' ' ' <<<"$ref_sql")) TO '$work/reference.csv' WITH (FORMAT csv, HEADER)"
read -r ref_s ref_kb <"$work/time.txt"
printf '  %-44s %7.2f s  %8d KB max RSS (psql)\n      %12d bytes  %d rows\n' "reference: psql \\copy results JOIN entities" \
  "$ref_s" "$ref_kb" "$(stat -c %s "$work/reference.csv")" "$(( $(wc -l <"$work/reference.csv") - 1 ))"
echo "== ratios to the reference"
for i in "${!labels[@]}"; do
  awk -v l="${labels[$i]}" -v s="${secs[$i]}" -v r="$ref_s" 'BEGIN { printf "  %-44s %6.1f x\n", l, (r > 0 ? s / r : 0) }'
done

if [ -n "${YEAR_BENCH_KEEP:-}" ]; then
  mkdir -p "$YEAR_BENCH_KEEP"
  cp "$out"/* "$YEAR_BENCH_KEEP"/
  if [ "${YEAR_BENCH_PERF:-0}" = 1 ]; then
    perf record --call-graph dwarf,32768 -F 200 -o "$YEAR_BENCH_KEEP/period.perf.data" "$suiji" --db "$db" "${period[@]}" --out "$work/perf" >/dev/null 2>&1
    echo "perf data: $YEAR_BENCH_KEEP/period.perf.data (perf report -i ...)"
  fi
  echo "reports kept in $YEAR_BENCH_KEEP"
fi
