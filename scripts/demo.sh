#!/usr/bin/env bash
# The README's demo command: the main job on the embedded default (a SQLite file, no server).
# Installs what is missing, builds, then: generate a register, import it, import (synthetic) credit
# records, score classes A-D, explain one, raise joint-punishment flags, commit a draw, reveal it with
# (demo) public entropy, pair officer teams, export the bundle and verify it independently.
# Everything lands in demo/ (recreated on each run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc)" >/dev/null
S=$PWD/build/api/cli/suiji
rm -rf demo && mkdir -p demo && cd demo
export SUIJI_DB=sqlite:suiji.db
step() { printf '\n== %s\n$ suiji %s\n' "$1" "${*:2}"; "$S" "${@:2}"; }

step "1. Generate a synthetic register (province 51, deterministic seed)" \
  gen --seed 2026 --entities 20000 --officers 300 --out .
step "2. Create the database" init
step "3. Import the three registers (一单两库)" import entities entities.csv
"$S" import officers officers.csv
"$S" import items items.csv
step "4. Re-import: idempotent, nothing changes" import entities entities.csv
# Other departments' records (synthetic here, chosen from each code's hash so every run is the same).
printf '\n== 5. Credit records: inspection results, penalties, list decisions (synthetic)\n$ scripts/demo_records.py entities.csv .\n'
/usr/bin/python3 ../scripts/demo_records.py entities.csv .
"$S" import results results.csv
"$S" import penalties penalties.csv
"$S" import lists lists.csv
step "6. Score the whole register: credit-risk classes A-D (the draw's strata)" credit score --as-of 2026-11-30
SERIOUS=$(grep 严重违法失信名单 lists.csv | head -n 1 | cut -d, -f2)
step "7. Explain one entity's class, indicator by indicator" credit explain "$SERIOUS" --as-of 2026-11-30
printf '\n== 8. Joint-punishment flags from the memoranda (full list in demo/flags.txt)\n$ suiji credit flags --as-of 2026-11-30\n'
"$S" credit flags --as-of 2026-11-30 > flags.txt
grep -E '^(lists advanced|flags:)' flags.txt
grep -F "$SERIOUS" flags.txt | grep -v '^  20' || true
step "9. Validate the sampling plan" plan validate ../data/examples/demo/plan.yaml
step "10. Commit the draw: the population is frozen and its digest C published" \
  draw commit ../data/examples/demo/plan.yaml --as-of 2026-11-30 --actor demo
DRAW=$("$S" draw list | tail -n 1 | cut -d' ' -f1)
# In a real draw the witnesses roll 20 ten-sided dice AFTER seeing C; these digits stand in for them.
step "11. Reveal with public entropy (demo digits standing in for the witnesses' dice)" \
  draw reveal "$DRAW" --entropy "3141 5926 5358 9793 2384" --actor demo
step "12. A second reveal of the same commitment is refused" draw reveal "$DRAW" --entropy 27182818284590452353 \
  || echo "(refused, as it must be)"
step "13. Commit the officer pairing over the drawn tasks" pair commit "$DRAW" --actor demo
step "14. Reveal the pairing with fresh entropy" pair reveal "$DRAW-P1" --entropy "2718 2818 2845 9045 2353" --actor demo
step "15. Export the self-contained bundle" draw export "$DRAW" bundle
step "16. Verify it offline, from the bundle alone" verify bundle
printf '\n$ /usr/bin/python3 docs/verify_draw.py demo/bundle   (independent Python reference verifier)\n'
/usr/bin/python3 ../docs/verify_draw.py bundle | tail -n 1
step "17. The audit log is an unbroken hash chain" audit verify
# The Thrift service over the same database: a client with a token, a server for 5 s, one call.
printf '\n== 18. Serve the Thrift API from the database; one client call\n'
TOKEN=$("$S" client add demo-reader --department SAMR --scopes read_public | grep -o 'sjt_[0-9a-f]*')
CODE=$(sed -n 2p entities.csv | cut -d, -f1)
timeout 60 /usr/bin/python3 ../tests/integration/serve/serve_e2e.py --once --suiji "$S" --seconds 5 \
  --stubs ../build/tests/integration/thrift/gen-py --token "$TOKEN" --code "$CODE" \
  || echo "(the serve step failed; see above)"
echo
echo "Demo database: demo/suiji.db; bundle: demo/bundle/. Try: $S draw show $DRAW --db sqlite:demo/suiji.db"
