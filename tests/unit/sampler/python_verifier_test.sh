#!/bin/sh
# Writes bundles with the C++ code, then checks them with the Python reference verifier.
set -u
"$WRITER" "$BUNDLES" || exit 1
out=$(/usr/bin/python3 "$VERIFIER" "$BUNDLES/good") || { echo "good bundle refused: $out"; exit 1; }
echo "$out"
echo "$out" | tail -n 1 | grep -qx MATCH || { echo "expected MATCH"; exit 1; }
head=$(cat "$BUNDLES/head.txt")
out=$(/usr/bin/python3 "$VERIFIER" "$BUNDLES/good" --head "$head") || { echo "good bundle refused against its head: $out"; exit 1; }
echo "$out" | grep -q "draw head matches --head $head" || { echo "expected the head to match: $out"; exit 1; }
out=$(/usr/bin/python3 "$VERIFIER" "$BUNDLES/truncated") || { echo "a consistent truncated bundle is refused without a head: $out"; exit 1; }
out=$(/usr/bin/python3 "$VERIFIER" "$BUNDLES/unbound") || { echo "an unbound bundle is refused: $out"; exit 1; }
echo "$out" | grep -q "not bound to the audit chain" || { echo "expected the unbound note: $out"; exit 1; }
check_refused() {  # NAME [--head H]
  out=$(/usr/bin/python3 "$VERIFIER" "$BUNDLES/$@")
  rc=$?
  echo "$*: $out"
  [ $rc -eq 1 ] || { echo "$*: expected exit 1, got $rc"; exit 1; }
}
for t in tampered_id tampered_ticket tampered_team; do check_refused $t; done
check_refused truncated --head "$head"
check_refused unbound --head "$head"
exit 0
