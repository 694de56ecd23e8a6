#!/usr/bin/env bash
# Stored sampling plans (docs/plans.md) through the real binary on one backend: `plan store` checks the
# plan against the database (an item not in the stored list, a unit not among the loaded org units:
# refused, nothing stored), stores version 1, stores nothing for the same text, version 2 for a changed
# one; `plan list` and `plan show [--version]`; `draw commit --stored` draws the latest version and the
# draw keeps the text it committed; every store is a plan.store event and the chain verifies.
#   plans_cli.sh SUIJI BACKEND(sqlite|postgresql) PG_URL WORKDIR
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$(dirname "$0")/backend.sh"
cli_backend plans.db "$@"
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND (exit $?)" >&2' ERR
plan=$root/data/examples/demo/plan.yaml
id=510100-SAMR-2026-FOOD-DEMO

s gen --seed 7 --entities 3000 --officers 60 --out "$work" >/dev/null
s init >/dev/null
s import entities "$work/entities.csv" >/dev/null
s import officers "$work/officers.csv" >/dev/null

# Items are checked against the stored list: none stored yet, so the plan's items are unknown.
refused plan store "$plan"
grep -q "item" "$work/err" || fail "unknown items not named: $(cat "$work/err")"
[[ $(s plan list) == "0 plans" ]] || fail "a refused plan was stored: $(s plan list)"
s import items "$work/items.csv" >/dev/null

out=$(s plan store "$plan" --actor planner-1)
grep -q "^plan $id stored as version 1  org unit 510100-SAMR  digest [0-9a-f]\{64\}$" <<<"$out" || fail "store: $out"
out=$(s plan store "$plan")
grep -q "^plan $id unchanged (version 1)" <<<"$out" || fail "same text again: $out"
cp "$plan" "$work/v2.yaml" && printf '\n# 第二版：说明修改\n' >>"$work/v2.yaml"
out=$(s plan store "$work/v2.yaml")
grep -q "^plan $id stored as version 2" <<<"$out" || fail "changed text: $out"
out=$(s plan list)
grep -q "^$id  v2  510100-SAMR  " <<<"$out" && grep -q "^1 plan$" <<<"$out" || fail "list: $out"
s plan show "$id" --version 1 | tail -n +2 | cmp - "$plan" || fail "show --version 1 is not the stored text"
s plan show "$id" | head -1 | grep -q "^# plan $id version 2, stored .* by cli, digest " || fail "show: $(s plan show "$id" | head -1)"
refused plan show "$id" --version 7
grep -q "no stored plan $id version 7" "$work/err" || fail "unknown version: $(cat "$work/err")"

# Once org units are loaded, a plan of an unknown unit is refused.
s import org-units "$root/data/examples/registers/org_units.csv" >/dev/null
sed 's/^org_unit: .*/org_unit: 519999-SAMR/; s/^id: .*/id: NOWHERE-1/' "$plan" >"$work/nowhere.yaml"
refused plan store "$work/nowhere.yaml"
grep -q "519999-SAMR" "$work/err" || fail "unknown unit: $(cat "$work/err")"

# A draw of the stored plan: its latest version's text, kept in the draw.
out=$(s draw commit --stored "$id" --as-of 2026-11-30)
draw=$(sed -nE 's/^draw (D-[0-9a-f]+) committed.*/\1/p' <<<"$out")
[[ -n $draw ]] || fail "commit --stored: $out"
refused draw commit --stored NO-SUCH-PLAN
grep -q "no stored plan NO-SUCH-PLAN" "$work/err" || fail "unknown stored plan: $(cat "$work/err")"
s draw reveal "$draw" --entropy "3141 5926 5358 9793 2384" >/dev/null
s draw export "$draw" "$work/bundle" >/dev/null
s verify "$work/bundle" | grep -q MATCH || fail "the stored plan's draw does not verify"

events=$(s audit list --limit 100 | grep -c "plan.store" || true)
[[ $events == 2 ]] || fail "plan.store events: $events, want 2"
s audit verify | grep -q "audit chain OK" || fail "audit chain"
echo "plans_cli OK ($backend): versions 1 and 2, unchanged text stores nothing, unknown items/unit refused, draw of the stored plan MATCH"
