#!/usr/bin/env bash
# The README's main command, proven: runs scripts/demo.sh end to end on the already built binary
# (SUIJI_DEMO_PREBUILT=1: no apt, no build) in a fresh folder, then checks what a newcomer is promised.
#   demo_test.sh SUIJI_BIN THRIFT_STUBS WORK_DIR
set -euo pipefail
BIN=$1 STUBS=$2 WORK=$3
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
rc=0
SUIJI_DEMO_PREBUILT=1 SUIJI_BIN="$BIN" SUIJI_THRIFT_STUBS="$STUBS" SUIJI_DEMO_DIR="$WORK" \
  "$ROOT/scripts/demo.sh" >"$LOG" 2>&1 || rc=$?
fail() { echo "demo_test: $*" >&2; echo "---- demo output (last 60 lines)" >&2; tail -n 60 "$LOG" >&2; exit 1; }
[ "$rc" = 0 ] || fail "scripts/demo.sh exited $rc"
for n in $(seq 1 22); do
  grep -q "^== $n\. " "$LOG" || fail "step $n never ran"
done
[ "$(grep -c '^MATCH$' "$LOG")" = 3 ] || fail "expected MATCH from both verifiers and from the bundle downloaded over HTTP"
grep -q '^audit chain OK: ' "$LOG" || fail "the audit chain was not reported OK"
if grep -q '^rows MISMATCH' "$LOG"; then fail "audit verify --rows found a mismatch"; fi
grep -q '^rows OK: entities: 20000 rows' "$LOG" || fail "audit verify --rows did not check the 20000 entities"
grep -q '^(refused, as it must be)$' "$LOG" || fail "the second reveal was not refused"
grep -q '^getEntity(' "$LOG" || fail "the Thrift call was not answered"
grep -q '^server stopped (exit 0)$' "$LOG" || fail "the Thrift server did not stop cleanly"
grep -q '^http stopped (SIGTERM)$' "$LOG" || fail "the HTTP server did not stop cleanly on SIGTERM"
grep -q ' 510100-SAMR revealed C=' "$LOG" || fail "the draw was not listed over HTTP"
grep -q '^published 20[0-9-]* (' "$LOG" || fail "the result was not published"
grep -qE '^  R-[0-9a-f]{12} v1 发现问题已责令改正 \(corrected\) inspected 2026-12-01' "$LOG" || fail "the public page did not show the result"
grep -qE '^reports/plan-510100-SAMR-2026-FOOD-DEMO\.html  [0-9]+ bytes' "$LOG" || fail "the plan report was not written"
grep -qE '^reports/plan-510100-SAMR-2026-FOOD-DEMO\.xlsx  [0-9]+ bytes' "$LOG" || fail "the plan report's XLSX was not written"
grep -qE '^audit OK: [0-9]+ draws re-verified, chain OK' "$LOG" || fail "the audit report found problems"
grep -q '^wrote public-page.png (1280x900, full page)$' "$LOG" || fail "no screenshot of the public page"
[ -s "$WORK/public-page.png" ] || fail "the screenshot file is missing"
grep -q '^  then open http://localhost:8080/$' "$LOG" || fail "the demo did not print how to serve the page"
grep -q '^Demo database: ' "$LOG" || fail "the demo did not reach its last line"
if grep -q '^demo: step' "$LOG"; then fail "a step reported a failure"; fi
echo "demo_test: all 22 steps ran; the plan and audit reports written; the public page screenshotted; a result published and shown on the public page; three MATCHes (both verifiers, the bundle over HTTP); audit chain and rows OK; Thrift and HTTP answered"
