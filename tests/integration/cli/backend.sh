# Sourced by the CLI tests (import_cli.sh, reregister_cli.sh, org_units_cli.sh), whose arguments are
# SUIJI BACKEND(sqlite|postgresql) PG_URL WORKDIR: a fresh work folder, fail(), and s() running suiji
# on the chosen backend: a new SQLite file in the work folder ($1 of cli_backend), or the test
# PostgreSQL with its public schema dropped and recreated, so every run starts from nothing.
#   source "$(dirname "$0")/backend.sh"; cli_backend cli.db "$@"
fail() { echo "FAIL: $*" >&2; exit 1; }
cli_backend() {
  local db_file=$1
  suiji=$2 backend=$3 pg_url=$4 work=$5
  rm -rf "$work" && mkdir -p "$work"
  if [[ $backend == sqlite ]]; then
    url="sqlite:$work/$db_file"
  else
    url=$pg_url
    psql -q -v ON_ERROR_STOP=1 "$url" -c "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;" 2>/dev/null
  fi
}
s() { "$suiji" --db "$url" "$@"; }
# Runs suiji with a command that must fail with exit status 1; its stdout and stderr are left in
# $work/out and $work/err.
refused() {
  set +e
  s "$@" >"$work/out" 2>"$work/err"
  local status=$?
  set -e
  [[ $status == 1 ]] || fail "'$*' exited $status, want 1: $(head -5 "$work/err")"
}
