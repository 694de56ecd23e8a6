#!/usr/bin/env bash
# Runs the shell block of docs/api.md's "Tour" section verbatim (suiji = the built binary) in a fresh
# folder on SQLite, then checks what the tour promises: MATCH from suiji verify, and 409 for the second
# reveal.   api_tour.sh SUIJI WORKDIR
set -euo pipefail
bin=$(realpath "$1") work=$2
root=$(cd "$(dirname "$0")/../../.." && pwd)
rm -rf "$work" && mkdir -p "$work" && cd "$work"
awk '/^## Tour/ { tour = 1 } tour && /^```sh$/ { code = 1; next } code && /^```$/ { exit } code' \
  "$root/docs/api.md" >tour.sh
[ -s tour.sh ] || { echo "FAIL: no Tour block in docs/api.md" >&2; exit 1; }
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p bin && ln -s "$bin" bin/suiji  # `suiji` in the tour is the built binary (so `&` and `$!` name it)
out=$(PATH="$work/bin:$PATH" SUIJI_ROOT="$root" PORT="$port" SUIJI_DB="sqlite:$work/tour.db" bash -c "
  set -euo pipefail
  source ./tour.sh
  kill \$! 2>/dev/null || true; wait \$! 2>/dev/null || true" 2>&1) || { echo "FAIL: the tour stopped: $out" >&2; exit 1; }
grep -q '^MATCH$' <<<"$out" || { echo "FAIL: no MATCH from the tour's verify: $out" >&2; exit 1; }
[ "$(tail -n 1 <<<"$out")" = 409 ] || { echo "FAIL: the second reveal did not print 409: $out" >&2; exit 1; }
grep -q '"items":\[{"id"' <<<"$out" || { echo "FAIL: the entities listing printed nothing: $out" >&2; exit 1; }
echo "api tour OK: $(wc -l <tour.sh) lines of docs/api.md ran"
