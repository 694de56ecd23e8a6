#!/usr/bin/env bash
# The REST API under load, against nginx serving the same bytes (issue 11's benchmark): wrk with 2
# threads and 64 connections for DURATION against a regulator listing route — entities of 成都市
# (region 510100), 50 a page, with a bearer token — on PostgreSQL with N entities, and in the same run
# against nginx serving a static file of that response's size. Prints both rates, p50/p99 and errors,
# and the ratio suiji / nginx (goal: >= 0.5 with zero errors). Not part of the test suite.
#   tests/bench/api/http_bench.sh BUILD_DIR [ENTITIES=1000000] [DURATION=30s]
# BENCH_ROUTE=public measures the anonymous public results search instead (issue 12's benchmark):
# `GET /api/v1/public/results?region=510100&limit=50` over BENCH_RESULTS (default 100000) published
# results seeded by seed_results.py, the server started with --public-rate 0; and first times
# `suiji public bulk` over those results (BENCH_BULK_ONLY=1 stops there).
# Needs wrk and nginx-light (apt-get install wrk nginx-light); starts its own PostgreSQL on port 54377.
set -euo pipefail
build=${1:?build dir}
n=${2:-1000000}
dur=${3:-30s}
root=$(cd "$(dirname "$0")/../../.." && pwd)
suiji=$build/api/cli/suiji
work=$(mktemp -d /tmp/suiji-http-bench.XXXXXX)
pg_port=54377
trap '[ -n "${srv:-}" ] && kill "$srv" 2>/dev/null; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null;
      "$root/scripts/pg.sh" stop $pg_port; rm -rf "$work"' EXIT
for tool in wrk nginx; do command -v $tool >/dev/null || { echo "http_bench: $tool is not installed" >&2; exit 1; }; done

"$root/scripts/pg.sh" start $pg_port
db=$("$root/scripts/pg.sh" url $pg_port)
echo "== $n entities into PostgreSQL"
"$suiji" gen --seed 11 --entities "$n" --officers 10 --items 4 --out "$work" >/dev/null
"$suiji" --db "$db" init >/dev/null
/usr/bin/time -f "import: %e s, %M KB" "$suiji" --db "$db" import entities "$work/entities.csv" | tail -1
token=$("$suiji" --db "$db" client add bench --department SAMR --role auditor | grep -o 'sjt_[0-9a-f]*')
route=${BENCH_ROUTE:-entities}
if [ "$route" = public ]; then
  results=${BENCH_RESULTS:-100000}
  /usr/bin/python3 "$root/tests/bench/api/seed_results.py" "$work/entities.csv" "$work/items.csv" "$results" "$work"
  /usr/bin/time -f "seed $results published results: %e s" psql -q -v ON_ERROR_STOP=1 "$db" \
    -c "\\copy results FROM '$work/results.csv' WITH (FORMAT csv, NULL '\\N')" \
    -c "\\copy publications FROM '$work/publications.csv' WITH (FORMAT csv, NULL '\\N')" \
    -c "\\copy public_results FROM '$work/public_results.csv' WITH (FORMAT csv, NULL '\\N')" \
    -c "ANALYZE results" -c "ANALYZE public_results"
  # The daily bulk files of every published result (CSV with BOM and JSON Lines, gzip, manifest).
  /usr/bin/time -f "public bulk of $results results: %e s, %M KB" \
    "$suiji" --db "$db" public bulk --out "$work/bulk" --date 2026-12-07 | tail -1
  ls -l "$work/bulk" | awk 'NR > 1 { print "  " $5 " bytes  " $9 }'
  [ "${BENCH_BULK_ONLY:-0}" = 1 ] && exit 0
fi

serve() {  # cache_ms -> sets srv, port
  [ -n "${srv:-}" ] && kill "$srv" && wait "$srv" 2>/dev/null || true
  "$suiji" --db "$db" serve --thrift-port off --http-port 0 --http-threads 2 --http-cache-ms "$1" --public-rate 0 \
    >"$work/serve.out" 2>/dev/null &
  srv=$!
  for _ in $(seq 1 100); do grep -q '^http listening' "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
  port=$(sed -n 's/^http listening on .*:\([0-9]*\)$/\1/p' "$work/serve.out")
}
serve 1000
path="/api/v1/entities?region=510100&limit=50"
[ "$route" = public ] && path="/api/v1/public/results?region=510100&limit=50"
curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path" >"$work/page.json"
bytes=$(stat -c %s "$work/page.json")
echo "one page: $bytes bytes"

# nginx serving a file of the same size, same response shape (application/json, keep-alive).
mkdir -p "$work/www" && cp "$work/page.json" "$work/www/page.json"
chmod 755 "$work" "$work/www" && chmod 644 "$work/www/page.json"  # nginx workers run as www-data
nginx_port=18377
cat >"$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  types { application/json json; }
  server { listen 127.0.0.1:$nginx_port; root $work/www; keepalive_requests 100000; }
}
CONF
nginx -c "$work/nginx.conf"
sleep 0.5

run() {  # label url [header]
  local out
  out=$(wrk -t2 -c64 -d"$dur" --latency ${3:+-H "$3"} "$2")
  local rps p50 p99 non2xx sock
  rps=$(awk '/^Requests\/sec/ { print $2 }' <<<"$out")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  non2xx=$(awk '/Non-2xx/ { print $NF }' <<<"$out")
  sock=$(awk '/Socket errors/ { print $0 }' <<<"$out")
  echo "$1: $rps req/s, p50 $p50, p99 $p99, non-2xx ${non2xx:-0}${sock:+, $sock}" >&2
  echo "$rps"
}
echo "== wrk -t2 -c64 -d$dur"
s_rps=$(run "suiji  GET $path" "http://127.0.0.1:$port$path" "Authorization: Bearer $token")
n_rps=$(run "nginx  GET /page.json (same $bytes bytes)" "http://127.0.0.1:$nginx_port/page.json")
serve 0
u_rps=$(run "suiji  GET $path, --http-cache-ms 0 (every request queries PostgreSQL)" "http://127.0.0.1:$port$path" "Authorization: Bearer $token")
awk -v s="$s_rps" -v u="$u_rps" -v n="$n_rps" 'BEGIN { printf "ratio suiji / nginx: %.2f (goal >= 0.5); without the response cache %.2f\n", s / n, u / n }'
