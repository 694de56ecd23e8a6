#!/usr/bin/env bash
# The org-unit hierarchy (docs/org-units.md) end to end through the real binary on one backend: the
# 成都 example imported, re-imported unchanged; a file with every kind of tree error refused whole
# (each error named with its row, the database unchanged); a second root beside the stored one
# refused; export -> re-import unchanged (Chinese and English headers); `org-units show` with the
# path up to the province and the stations below; once units are loaded, an officer of an unknown
# unit rejected (org_unit.unknown) and a draw of a plan whose unit is unknown refused; `audit verify
# --rows` over the result.
#   org_units_cli.sh SUIJI BACKEND(sqlite|postgresql) PG_URL WORKDIR
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$(dirname "$0")/backend.sh"
cli_backend org.db "$@"
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND (exit $?)" >&2' ERR
example=$root/data/examples/registers/org_units.csv
data=$root/tests/data
units_in_db() { s export org-units "$work/count.csv" | sed -nE 's/^org-units: ([0-9]+) rows written.*/\1/p'; }

s init >/dev/null

# 1. The example: 四川省 > 成都市 > its 20 districts and counties > 6 stations.
out=$(s import org-units "$example")
grep -q "28 rows read, 28 valid, 0 rejected" <<<"$out" || fail "example: $out"
grep -q "^org-units: 28 inserted, 0 updated, 0 unchanged$" <<<"$out" || fail "example counts: $out"

# 2. Re-import: nothing changes.
out=$(s import org-units "$example")
grep -q "^org-units: 0 inserted, 0 updated, 28 unchanged$" <<<"$out" || fail "re-import: $out"

# 3. Every kind of tree error in one file: refused whole, each error with its row, nothing written.
# (Row 12's parent, rejected at row 6, is stored already: over the example it is the only good row.)
refused import org-units "$data/org_units_bad_tree.csv"
grep -q "nothing imported, 9 rows are invalid" "$work/err" || fail "bad tree: $(head -3 "$work/err")"
for want in "row 5, column 上级单位: org_unit.two_roots" \
            "row 6, column 上级单位, value '510199-SAMR': org_unit.parent_unknown" \
            "row 7, column 上级单位, value '510107-SAMR': org_unit.cycle" \
            "row 8, column 上级单位, value '510106-SAMR': org_unit.cycle" \
            "row 9, column 单位编码, value '510104-SAMR': org_unit.duplicate" \
            "row 10, column 行政区划, value '510502': org_unit.region_outside_parent" \
            "row 11, column 层级, value '市级': org_unit.level_order" \
            "row 13, column 层级, value '乡级': level.unknown" \
            "row 14, column 行政区划, value '519999': region.unknown"; do
  grep -qF "$want" "$work/err" || fail "bad tree: no '$want' in: $(cat "$work/err")"
done
[[ $(units_in_db) == 28 ]] || fail "bad tree changed the table: $(units_in_db) units"

# 4. A second root beside the stored one (重庆市 with a district): refused, the district with it.
refused import org-units "$data/org_units_second_root.csv"
grep -q "row 2, column parent_code: org_unit.two_roots: org unit 500000-SAMR has no parent, but 510000-SAMR is already the root" \
  "$work/err" || fail "second root: $(cat "$work/err")"
grep -q "row 3, column parent_code, value '500000-SAMR': org_unit.parent_rejected" "$work/err" \
  || fail "second root's child: $(cat "$work/err")"
[[ $(units_in_db) == 28 ]] || fail "second root changed the table: $(units_in_db) units"

# 5. Export -> re-import unchanged, with Chinese and with English headers.
s export org-units "$work/export.csv" >/dev/null
out=$(s import org-units "$work/export.csv")
grep -q "^org-units: 0 inserted, 0 updated, 28 unchanged$" <<<"$out" || fail "export re-import: $out"
s export org-units "$work/export_en.csv" --english >/dev/null
head -n 1 "$work/export_en.csv" | grep -q "^code,name,level,parent,region,department" || fail "English header"
out=$(s import org-units "$work/export_en.csv")
grep -q "^org-units: 0 inserted, 0 updated, 28 unchanged$" <<<"$out" || fail "English export re-import: $out"

# 6. show: the path up to the root and the stations below 锦江区; an unknown unit is an error.
out=$(s org-units show 510104-SAMR)
grep -q "^path      510000-SAMR > 510100-SAMR > 510104-SAMR$" <<<"$out" || fail "show path: $out"
grep -q "^  510000-SAMR  四川省市场监督管理局  province  510000 四川省  SAMR$" <<<"$out" || fail "show root: $out"
grep -q "^children  3$" <<<"$out" || fail "show children: $out"
grep -q "^  510104-SAMR-01  成都市锦江区市场监督管理局春熙路市场监管所  station  510104 锦江区  SAMR$" <<<"$out" \
  || fail "show station: $out"
refused org-units show 510199-SAMR
grep -q "org unit '510199-SAMR' is not in the org-unit table (28 units" "$work/err" || fail "show unknown: $(cat "$work/err")"

# 7. Officers once units are loaded: an unknown unit is a row error; an empty one is not checked.
refused import officers "$data/officers_unknown_unit.csv"
grep -q "row 4, column 所属单位, value '510199-SAMR': org_unit.unknown" "$work/err" || fail "officer: $(cat "$work/err")"
out=$(s import officers "$data/officers_unknown_unit.csv" --skip-invalid)
grep -q "4 rows read, 3 valid, 1 rejected" <<<"$out" || fail "officers skip-invalid: $out"

# 8. A draw of a plan whose org unit is unknown is refused; the demo plan's 510100-SAMR commits.
"$suiji" gen --seed 2026 --entities 3000 --officers 30 --items 16 --out "$work/gen" >/dev/null
s import entities "$work/gen/entities.csv" >/dev/null
s import items "$work/gen/items.csv" >/dev/null
sed 's/^org_unit: 510100-SAMR$/org_unit: 510100-XXXX/' "$root/data/examples/demo/plan.yaml" >"$work/plan_unknown.yaml"
refused draw commit "$work/plan_unknown.yaml" --as-of 2026-11-30
grep -q "org unit '510100-XXXX' is not in the org-unit table" "$work/err" || fail "draw unknown unit: $(cat "$work/err")"
s draw commit "$root/data/examples/demo/plan.yaml" --as-of 2026-11-30 >/dev/null

# 9. The audit log: one import.org_units event per import that wrote, the chain and rows verify.
s audit list --limit 50 | grep -q "import.org_units" || fail "no import.org_units audit event"
s audit verify --rows >"$work/verify.out" || fail "audit verify --rows: $(cat "$work/verify.out")"
grep -q "^rows OK: org_units: 28 rows" "$work/verify.out" || fail "org_units rows: $(cat "$work/verify.out")"
echo "ok ($backend): 28 units imported, re-import unchanged, bad trees refused whole, export round trip, show, officers and draws checked"
