#!/usr/bin/env bash
# Starts or stops a throw-away PostgreSQL for the test suite (see ../shared/STACK.md).
#   scripts/pg.sh start PORT   -> prints nothing on success; server listens on a Unix socket only
#   scripts/pg.sh stop PORT    -> idempotent: exits 0 when no server runs (the data stays)
#   scripts/pg.sh resume PORT  -> starts a stopped server again on its data (an outage ends)
#   scripts/pg.sh replica PORT PRIMARY_PORT -> a streaming hot standby of the server on PRIMARY_PORT
#                                 (pg_basebackup -R), read-only, on PORT
#   scripts/pg.sh url PORT     -> the suiji connection URL of that server's test database
# Data and socket live in /tmp/suiji-pg-PORT, owned by the postgres user (initdb refuses root).
set -euo pipefail
cmd=${1:?start|stop|url}
port=${2:-54329}
dir=/tmp/suiji-pg-$port
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$cmd" in
  start)
    "$0" stop "$port" >/dev/null 2>&1 || true
    rm -rf "$dir"; mkdir -p "$dir/sock"
    [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log"; exit 1; }
    as_pg "$bin/pg_ctl" -D "$dir/data" -w -t 30 -l "$dir/server.log" \
      -o "-p $port -k $dir/sock -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
      || { cat "$dir/server.log"; exit 1; }
    as_pg "$bin/createdb" -h "$dir/sock" -p "$port" -U postgres suiji_test
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    exit 0
    ;;
  resume)
    as_pg "$bin/pg_ctl" -D "$dir/data" -w -t 30 -l "$dir/server.log" \
      -o "-p $port -k $dir/sock -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
      || { cat "$dir/server.log"; exit 1; }
    ;;
  replica)
    primary=${3:?primary port}
    "$0" stop "$port" >/dev/null 2>&1 || true
    rm -rf "$dir"; mkdir -p "$dir/sock"
    [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$dir"
    as_pg "$bin/pg_basebackup" -h "/tmp/suiji-pg-$primary/sock" -p "$primary" -U postgres -D "$dir/data" -R -X stream -c fast \
      --no-sync >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log"; exit 1; }
    as_pg "$bin/pg_ctl" -D "$dir/data" -w -t 30 -l "$dir/server.log" \
      -o "-p $port -k $dir/sock -c listen_addresses='' -c hot_standby=on" start >/dev/null \
      || { cat "$dir/server.log"; exit 1; }
    ;;
  url)
    echo "postgresql://postgres@/suiji_test?host=$dir/sock&port=$port"
    ;;
  *) echo "usage: $0 start|stop|resume|url [PORT] | replica PORT PRIMARY_PORT" >&2; exit 2 ;;
esac
