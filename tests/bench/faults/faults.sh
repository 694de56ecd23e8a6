#!/usr/bin/env bash
# Faults under load (issue 14 item 3): a real `suiji serve` on loopback over a real PostgreSQL, loaded
# with wrk (short runs: 10-18 s each), while one fault at a time is injected (faults.py):
#   outage  PostgreSQL stopped for 6 s and started again (503 problem+json, /readyz red, recovery time)
#   slow    a psql session holds ACCESS EXCLUSIVE on the table the listing reads, for 10 s
#   conns   10^4 idle connections and 200 slowloris clients beside 16 real clients
#   bodies  bodies at, just over and far over --max-body, 32 at once, and the server's peak RSS
#   proxied the bodies phase through nginx with the shipped docs/deploy/nginx.conf (needs nginx-light)
# Prints a summary table (docs/operations.md, "Faults under load"). Not part of the test suite.
#   tests/bench/faults/faults.sh [PHASES=outage,slow,conns,bodies,proxied]
# The binary: $SUIJI_BIN, else build-faults/api/cli/suiji (built beforehand; this script builds nothing).
# FAULTS_ENTITIES (default 20000) entities are generated; FAULTS_IDLE (default 10000) idle connections.
# FAULTS_DB_TIMEOUT_MS, when set, is passed as --db-timeout-ms to the server of the slow phase.
# Needs wrk (apt-get install wrk) and PostgreSQL 15; starts its own on port 54361 (FAULTS_PG_PORT; scripts/pg.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
suiji=${SUIJI_BIN:-$root/build-faults/api/cli/suiji}
phases=${1:-outage,slow,conns,bodies,proxied}
pg_port=${FAULTS_PG_PORT:-54361}  # 54361-54369 are this benchmark's
[ -x "$suiji" ] || { echo "faults: no suiji binary at $suiji (set SUIJI_BIN)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "faults: wrk is not installed" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)"  # 10^4 connections on each side; inherited by the server and the holder
[ "$(ulimit -n)" -ge 20000 ] || echo "faults: ulimit -n is $(ulimit -n); the conns phase needs about 2x FAULTS_IDLE" >&2
work=$(mktemp -d /tmp/suiji-faults.XXXXXX)
trap '"$root/scripts/pg.sh" stop $pg_port; rm -rf "$work"' EXIT

"$root/scripts/pg.sh" start $pg_port
db=$("$root/scripts/pg.sh" url $pg_port)
n=${FAULTS_ENTITIES:-20000}
echo "== $n entities into PostgreSQL on port $pg_port"
"$suiji" gen --seed 14 --entities "$n" --officers 100 --items 4 --out "$work" >/dev/null
"$suiji" --db "$db" init >/dev/null
for kind in entities officers items; do "$suiji" --db "$db" import $kind "$work/$kind.csv" >/dev/null; done
token=$("$suiji" --db "$db" client add faults --department SAMR --role admin | grep -o 'sjt_[0-9a-f]*')
"$suiji" --version 2>/dev/null | head -1 || true
/usr/bin/python3 "$root/tests/bench/faults/faults.py" run --suiji "$suiji" --db "$db" --pg-sh "$root/scripts/pg.sh" \
  --pg-port $pg_port --token "$token" --phases "$phases" --work "$work" --idle "${FAULTS_IDLE:-10000}" \
  ${FAULTS_DB_TIMEOUT_MS:+--db-timeout-ms "$FAULTS_DB_TIMEOUT_MS"}
