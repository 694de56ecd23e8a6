#!/bin/sh
# Writes bundles with the C++ code, then checks them with the Python reference verifier.
set -u
"$WRITER" "$BUNDLES" || exit 1
out=$(/usr/bin/python3 "$VERIFIER" "$BUNDLES/good") || { echo "good bundle refused: $out"; exit 1; }
echo "$out"
echo "$out" | tail -n 1 | grep -qx MATCH || { echo "expected MATCH"; exit 1; }
for t in tampered_id tampered_ticket tampered_team; do
  out=$(/usr/bin/python3 "$VERIFIER" "$BUNDLES/$t")
  rc=$?
  echo "$t: $out"
  [ $rc -eq 1 ] || { echo "$t: expected exit 1, got $rc"; exit 1; }
done
exit 0
