#!/usr/bin/env bash
# suiji serve's configuration: --config YAML < SUIJI_* environment < command-line flags; an unknown or
# invalid key in the file is an error naming it.
#   serve_config.sh SUIJI WORKDIR
set -euo pipefail
suiji=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
s() { "$suiji" --db "sqlite:$work/c.db" "$@"; }
s init >/dev/null
printf 'thrift-port: "off"\nhttp-port: 0\nhttp-host: 127.0.0.1\ndrain-s: 1\n' >serve.yaml
out=$(s serve --config serve.yaml --for 0.5)
grep -q '^http listening on 127.0.0.1:' <<<"$out" || fail "the file's http-port was not applied: $out"
grep -q '^thrift' <<<"$out" && fail "the file's thrift-port off was not applied: $out"
out=$(SUIJI_HTTP_HOST=localhost s serve --config serve.yaml --for 0.5)
grep -q '^http listening on localhost:' <<<"$out" || fail "SUIJI_HTTP_HOST did not win over the file: $out"
out=$(SUIJI_HTTP_HOST=localhost s serve --config serve.yaml --http-host 127.0.0.1 --for 0.5)
grep -q '^http listening on 127.0.0.1:' <<<"$out" || fail "the flag did not win over the environment: $out"
printf 'htp-port: 1\n' >bad.yaml
if err=$(s serve --config bad.yaml --for 0.5 2>&1); then fail "an unknown key was accepted"; fi
grep -q "'htp-port' is not an option" <<<"$err" || fail "unknown key: $err"
printf 'http-port: nine\n' >bad2.yaml
if err=$(s serve --config bad2.yaml --for 0.5 2>&1); then fail "a bad value was accepted"; fi
grep -q 'http-port' <<<"$err" || fail "bad value: $err"
echo "serve config OK"
