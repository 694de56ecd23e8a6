#!/usr/bin/env bash
# The README's demo command: the main job on the embedded default (a SQLite file, no server).
# Installs what is missing, builds, then: generate a register, import it, import (synthetic) credit
# records, score classes A-D, explain one, raise joint-punishment flags, commit a draw, reveal it with
# (demo) public entropy, pair officer teams, export the bundle and verify it independently.
# Everything lands in demo/ (recreated on each run).
#
# The test suite runs this very script (tests/integration/demo): SUIJI_DEMO_PREBUILT=1 skips the apt and
# build steps and uses $SUIJI_BIN (default build/api/cli/suiji); SUIJI_DEMO_DIR puts the work folder
# elsewhere (default demo/ in the checkout). Every step that fails names itself on stderr.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
if [ "${SUIJI_DEMO_PREBUILT:-0}" != 1 ]; then
  scripts/deps.sh
  cmake --preset default >/dev/null
  cmake --build --preset default -j "$(nproc)" >/dev/null
fi
S=${SUIJI_BIN:-$ROOT/build/api/cli/suiji}
STUBS=${SUIJI_THRIFT_STUBS:-$ROOT/build/tests/integration/thrift/gen-py}
WORK=${SUIJI_DEMO_DIR:-$ROOT/demo}
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
export SUIJI_DB=sqlite:suiji.db
CURRENT="setup"
trap 'rc=$?; echo "demo: step \"$CURRENT\" failed (exit $rc)" >&2' ERR
title() { CURRENT=$1; printf '\n== %s\n' "$1"; }
step() { title "$1"; printf '$ suiji %s\n' "${*:2}"; "$S" "${@:2}"; }

step "1. Generate a synthetic register (province 51, deterministic seed)" \
  gen --seed 2026 --entities 20000 --officers 300 --out .
step "2. Create the database" init
step "3. Import the three registers (一单两库)" import entities entities.csv
"$S" import officers officers.csv
"$S" import items items.csv
step "4. Re-import: idempotent, nothing changes" import entities entities.csv
# Other departments' records (synthetic here, chosen from each code's hash so every run is the same).
title "5. Credit records: inspection results, penalties, list decisions (synthetic)"
printf '$ scripts/demo_records.py entities.csv .\n'
/usr/bin/python3 "$ROOT/scripts/demo_records.py" entities.csv .
"$S" import results results.csv
"$S" import penalties penalties.csv
"$S" import lists lists.csv
step "6. Score the whole register: credit-risk classes A-D (the draw's strata)" credit score --as-of 2026-11-30
# awk reads the file itself: no pipe whose reader exits early (grep | head under pipefail dies of SIGPIPE).
SERIOUS=$(awk -F, '/严重违法失信名单/ { print $2; exit }' lists.csv)
[ -n "$SERIOUS" ] || { echo "demo: lists.csv has no 严重违法失信名单 row" >&2; exit 1; }
step "7. Explain one entity's class, indicator by indicator" credit explain "$SERIOUS" --as-of 2026-11-30
title "8. Joint-punishment flags from the memoranda (full list in demo/flags.txt)"
printf '$ suiji credit flags --as-of 2026-11-30\n'
"$S" credit flags --as-of 2026-11-30 > flags.txt
grep -E '^(lists advanced|flags:)' flags.txt
awk -v id="$SERIOUS" 'index($0, id) && !/^  20/' flags.txt
step "9. Validate the sampling plan and store it (version 1)" plan validate "$ROOT/data/examples/demo/plan.yaml"
printf '$ suiji plan store %s\n' "$ROOT/data/examples/demo/plan.yaml"
"$S" plan store "$ROOT/data/examples/demo/plan.yaml" --actor demo
step "10. Commit the draw of the stored plan: the population is frozen and its digest C published" \
  draw commit --stored 510100-SAMR-2026-FOOD-DEMO --as-of 2026-11-30 --actor demo
DRAW=$("$S" draw list | awk 'END { print $1 }')
# In a real draw the witnesses roll 20 ten-sided dice AFTER seeing C; these digits stand in for them.
step "11. Reveal with public entropy (demo digits standing in for the witnesses' dice)" \
  draw reveal "$DRAW" --entropy "3141 5926 5358 9793 2384" --actor demo
title "12. A second reveal of the same commitment is refused"
printf '$ suiji draw reveal %s --entropy 27182818284590452353\n' "$DRAW"
if "$S" draw reveal "$DRAW" --entropy 27182818284590452353; then
  echo "demo: a second reveal was accepted" >&2
  exit 1
fi
echo "(refused, as it must be)"
step "13. Commit the officer pairing over the drawn tasks" pair commit "$DRAW" --actor demo
step "14. Reveal the pairing with fresh entropy" pair reveal "$DRAW-P1" --entropy "2718 2818 2845 9045 2353" --actor demo
step "15. Export the self-contained bundle" draw export "$DRAW" bundle
step "16. Verify it offline, from the bundle alone" verify bundle
printf '\n$ /usr/bin/python3 docs/verify_draw.py demo/bundle   (independent Python reference verifier)\n'
/usr/bin/python3 "$ROOT/docs/verify_draw.py" bundle | tail -n 1
step "17. The audit log is an unbroken hash chain, and every register row matches it" audit verify --rows
# The Thrift service over the same database: a client with a token, a server for 5 s, one call.
title "18. Serve the Thrift API from the database; one client call"
TOKEN=$("$S" client add demo-reader --department SAMR --scopes read_public | grep -o 'sjt_[0-9a-f]*')
CODE=$(awk -F, 'NR == 2 { print $1; exit }' entities.csv)
timeout 60 /usr/bin/python3 "$ROOT/tests/integration/serve/serve_e2e.py" --once --suiji "$S" --seconds 5 \
  --stubs "$STUBS" --token "$TOKEN" --code "$CODE"
# One public (一公开): the first task's team enters its result, both officers sign, a reviewer approves
# and publishes; from then on it is public, and the next draw and credit run read it.
title "19. One public: the team enters the result, both officers sign, a reviewer approves and publishes"
read -r RESULT ENTITY OFFICERS < <(awk '/^R-/ { print $1, $3, $6; exit }' <("$S" task list --draw "$DRAW"))
OFFICER_A=${OFFICERS%%,*} OFFICER_B=${OFFICERS##*,}
printf '$ suiji task list --draw %s   (%s tasks; the first: %s, team %s)\n' "$DRAW" \
  "$("$S" task list --draw "$DRAW" | awk '/^R-/ { n++ } END { print n }')" "$ENTITY" "$OFFICERS"
printf '$ suiji result enter %s %s --officer %s --result 发现问题已责令改正 --inspected-on 2026-12-01 \\\n' "$DRAW" "$ENTITY" "$OFFICER_A"
printf '      --all-items no_problem --finding SAMR-004=problem:未按规定公示 --follow-up order_correction --deadline 2026-12-20\n'
"$S" result enter "$DRAW" "$ENTITY" --officer "$OFFICER_A" --result 发现问题已责令改正 --inspected-on 2026-12-01 \
  --all-items no_problem --finding "SAMR-004=problem:未按规定公示" --follow-up order_correction --deadline 2026-12-20 \
  --actor demo | head -2
printf '$ suiji result sign %s --officer %s; suiji result sign %s --officer %s\n' "$RESULT" "$OFFICER_A" "$RESULT" "$OFFICER_B"
"$S" result sign "$RESULT" --officer "$OFFICER_A" --actor demo | head -1
"$S" result sign "$RESULT" --officer "$OFFICER_B" --actor demo | head -1
printf '$ suiji result approve %s --actor reviewer-1 && suiji result publish %s\n' "$RESULT" "$RESULT"
"$S" result approve "$RESULT" --actor reviewer-1 | head -1
"$S" result publish "$RESULT" --actor reviewer-1 | grep -E '^(published|objection code)'
# The REST API over the same database: an auditor's token, the HTTP server for a few seconds, curl.
title "20. Serve the REST API; list the draws, download the bundle, and read the entity's public page"
WEB=$("$S" client add demo-web --department SAMR --role auditor | grep -o 'sjt_[0-9a-f]*')
"$S" serve --thrift-port off --http-port 0 --for 20 >http.out 2>http.log &
HTTP_PID=$!
for _ in $(seq 1 100); do grep -q '^http listening' http.out 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's/^http listening on .*:\([0-9]*\)$/\1/p' http.out)
[ -n "$PORT" ] || { echo "demo: the HTTP server did not start: $(cat http.out http.log)" >&2; exit 1; }
printf '$ curl -s -H "Authorization: Bearer sjt_..." localhost:%s/api/v1/draws\n' "$PORT"
curl -sf -H "Authorization: Bearer $WEB" "localhost:$PORT/api/v1/draws" >draws.json
/usr/bin/python3 -c 'import json, sys
for d in json.load(open(sys.argv[1]))["items"]:
    print(d["draw_id"], d["plan_id"], d["org_unit"], d["state"], "C=" + d["commitment_digest"][:16] + "...")' draws.json
printf '$ curl -s -H "Authorization: Bearer sjt_..." -o %s.tar localhost:%s/api/v1/draws/%s/bundle\n' "$DRAW" "$PORT" "$DRAW"
curl -sf -H "Authorization: Bearer $WEB" -o "$DRAW.tar" "localhost:$PORT/api/v1/draws/$DRAW/bundle"
tar xf "$DRAW.tar"
# The draw head the public API publishes: the bundle's audit events must give exactly it.
HEAD=$(curl -sf "localhost:$PORT/api/v1/public/draws/$DRAW" | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["draw_head"]["head"])')
printf '$ tar xf %s.tar && suiji verify %s --head %s...   (draw_head of /api/v1/public/draws/%s)\n' "$DRAW" "$DRAW" "${HEAD:0:16}" "$DRAW"
"$S" verify "$DRAW" --head "$HEAD" | tail -n 1
printf '$ curl -s localhost:%s/api/v1/public/entities/%s   (anonymous: published results, lists, measures)\n' "$PORT" "$ENTITY"
curl -sf "localhost:$PORT/api/v1/public/entities/$ENTITY" >public.json
/usr/bin/python3 -c 'import json, sys
p = json.load(open(sys.argv[1]))
e = p["entity"]
print(e["id"], e["name"], e["region_name"])
for i in p["inspections"]:
    print("  %s v%d %s (%s) inspected %s, published %s%s; team %s" % (i["record_id"], i["version"], i["result"]["label_zh"],
          i["result"]["code"], i["inspected_on"], i["published_on"], "" if i["on_time"] else " LATE", " ".join(i["team"])))' public.json
kill -TERM "$HTTP_PID"
wait "$HTTP_PID"
grep -h '^http stopped' http.out
title "21. Reports: the plan report (HTML with its charts, XLSX) and the third-party audit of the year"
printf '$ suiji report plan 510100-SAMR-2026-FOOD-DEMO --out reports --format html,xlsx\n'
"$S" report plan 510100-SAMR-2026-FOOD-DEMO --out reports --format html,xlsx | sed "s|^$WORK/||"
printf '$ suiji report audit --from 2026-01-01 --to 2026-12-31 --out reports --format html\n'
"$S" report audit --from 2026-01-01 --to 2026-12-31 --out reports --format html | sed "s|^$WORK/||"
# The public web page on the demo database, in headless Chromium (playwright-core from the committed
# lock file, npm ci once into the build tree; Debian's chromium, no browser download).
title "22. The public web page (一公开) on the demo database: a screenshot in headless Chromium"
NPM_DIR=${SUIJI_NPM_PREFIX:-$ROOT/build/demo-npm}
"$ROOT/tests/integration/web/npm_ci.sh" "$ROOT/tests/integration/web" "$NPM_DIR" | tail -n 1
"$S" serve --thrift-port off --http-port 0 --for 60 >web.out 2>web.log &
WEB_PID=$!
for _ in $(seq 1 100); do grep -q '^http listening' web.out 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's/^http listening on .*:\([0-9]*\)$/\1/p' web.out)
[ -n "$PORT" ] || { echo "demo: the HTTP server did not start: $(cat web.out web.log)" >&2; exit 1; }
printf '$ node tests/integration/web/shot.mjs http://localhost:%s/entities/%s public-page.png 1280x900 --full\n' "$PORT" "$ENTITY"
SUIJI_NPM_PREFIX="$NPM_DIR" node "$ROOT/tests/integration/web/shot.mjs" "http://127.0.0.1:$PORT/entities/$ENTITY" \
  public-page.png 1280x900 --full | sed "s|$WORK/||"
SUIJI_NPM_PREFIX="$NPM_DIR" node "$ROOT/tests/integration/web/shot.mjs" "http://127.0.0.1:$PORT/plans/510100-SAMR-2026-FOOD-DEMO" \
  public-plan-phone.png 390x844 --full | sed "s|$WORK/||"
kill -TERM "$WEB_PID"
wait "$WEB_PID"
CURRENT="done"
echo
echo "Demo database: $WORK/suiji.db; bundle: $WORK/bundle/; reports: $WORK/reports/; screenshots: $WORK/public-*.png"
echo "Try: $S draw show $DRAW --db sqlite:$WORK/suiji.db"
echo
echo "Serve the public page on the demo database:"
echo "  $S --db sqlite:$WORK/suiji.db serve --thrift-port off --http-port 8080"
echo "  then open http://localhost:8080/"
