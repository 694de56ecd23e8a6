#!/usr/bin/env bash
# Re-registration (换照, 三证合一) end to end through the real binary on one backend: entities first
# imported with their 15-digit registration number only, records of other departments keyed by it, a
# draw committed, revealed, paired and exported over them; then the register re-imported with each
# entity's new USCC beside its registration number. One entity each, history moved to the USCC, one
# audit event per entity naming both ids, `audit verify --rows` passing, the old bundle still MATCH,
# `draw show` naming the current id beside the committed one, and a record keyed by the old number
# after the change still landing on the entity.
#   reregister_cli.sh SUIJI BACKEND(sqlite|postgresql) PG_URL WORKDIR
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$(dirname "$0")/backend.sh"
cli_backend rr.db "$@"
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND (exit $?)" >&2' ERR
py=/usr/bin/python3

"$suiji" gen --seed 2026 --entities 4000 --officers 300 --items 16 --out "$work" >/dev/null
# before.csv: every 成都 (5101) food entity with a USCC has it blanked and a registration number instead
# (the register as it stood before 三证合一); after.csv: both columns. ids.csv: regno,uscc pairs.
$py - "$work" <<'PY'
import csv, sys
work = sys.argv[1]
def check(first14):
    p = 10
    for ch in first14:
        s = (p + int(ch)) % 10 or 10
        p = (s * 2) % 11
    return str((11 - p) % 10)
rows = list(csv.reader(open(f"{work}/entities.csv", encoding="utf-8-sig", newline="")))
head = rows[0]
idc, regc, spc = head.index("统一社会信用代码"), head.index("注册号"), head.index("特殊名录")
before, after, pairs = [head], [head], []
for n, r in enumerate(rows[1:]):
    uscc = r[idc]
    if len(uscc) == 18 and uscc[2:6] == "5101" and "food" in r[spc]:
        first14 = uscc[2:8] + "%08d" % (n + 1)
        regno = first14 + check(first14)
        pairs.append((regno, uscc))
        b = list(r); b[idc] = ""; b[regc] = regno; before.append(b)
        a = list(r); a[regc] = regno; after.append(a)
    else:
        before.append(r); after.append(r)
for name, data in (("before.csv", before), ("after.csv", after), ("ids.csv", [("regno", "uscc")] + pairs)):
    csv.writer(open(f"{work}/{name}", "w", encoding="utf-8", newline=""), lineterminator="\n").writerows(data)
# Records keyed by the registration number: a result, a penalty and a list decision for the first three.
(r1, _), (r2, _), (r3, _) = pairs[:3]
open(f"{work}/results.csv", "w", encoding="utf-8").write(
    "统一社会信用代码,检查部门,检查日期,检查结果,检查人员,抽查计划\n"
    f"{r1},SAMR,2024-05-14,发现问题已责令改正,51010000001;51010000002,510100-SAMR-2024-FOOD-01\n")
open(f"{work}/penalties.csv", "w", encoding="utf-8").write(
    "行政处罚决定书文号,统一社会信用代码,处罚机关,处罚类别,处罚决定日期,罚没金额(元),处罚依据\n"
    f"成市监罚〔2024〕7号,{r2},成都市市场监督管理局,罚款,2024-07-01,5000,《中华人民共和国食品安全法》第一百二十四条\n")
open(f"{work}/lists.csv", "w", encoding="utf-8").write(
    "决定书文号,统一社会信用代码,名录类别,列入事由,列入日期,作出决定机关,事由消除日期,移出日期,移出事由,移出机关\n"
    f"成市监异列〔2025〕2号,{r3},经营异常名录,通过登记的住所或者经营场所无法联系,2025-03-08,成都市市场监督管理局,,,,\n")
PY
mapfile -t pair < <(tail -n +2 "$work/ids.csv")
(( ${#pair[@]} >= 20 )) || fail "only ${#pair[@]} 成都 food entities to re-register"
r1=${pair[0]%,*} u1=${pair[0]#*,} r2=${pair[1]%,*} u2=${pair[1]#*,} r3=${pair[2]%,*} u3=${pair[2]#*,}
total=$(( $(wc -l <"$work/entities.csv") - 1 ))

s init >/dev/null
s import entities "$work/before.csv" >/dev/null
s import officers "$work/officers.csv" >/dev/null
s import items "$work/items.csv" >/dev/null
s import results "$work/results.csv" >/dev/null
s import penalties "$work/penalties.csv" >/dev/null
s import lists "$work/lists.csv" >/dev/null
s credit score --as-of 2026-11-30 >/dev/null
s draw commit "$root/data/examples/demo/plan.yaml" --as-of 2026-11-30 --actor rr >/dev/null
draw=$(s draw list | awk 'END { print $1 }')
s draw reveal "$draw" --entropy "3141 5926 5358 9793 2384" --actor rr >/dev/null
s pair commit "$draw" --actor rr >/dev/null
s pair reveal "$draw-P1" --entropy "2718 2818 2845 9045 2353" --actor rr >/dev/null
s draw export "$draw" "$work/bundle" >/dev/null
# A second plan's draw committed now and revealed only after the re-registration (witnesses may meet days
# later): the register moved under it, but only by re-keying, so the committed population still stands.
sed -e 's/^id: .*/id: 510100-SAMR-2026-FOOD-RR2/' "$root/data/examples/demo/plan.yaml" >"$work/plan2.yaml"
s draw commit "$work/plan2.yaml" --as-of 2026-11-30 --actor rr >/dev/null
draw2=$(s draw list | awk 'END { print $1 }')
grep -q MATCH <<<"$(s verify "$work/bundle")" || fail "bundle before re-registration does not verify"
before_show=$(s draw show "$draw")
# A drawn entity this test re-registers (the register has registration-number-only entities of its own).
drawn_regno=$(awk 'NR == FNR { if (FNR > 1) mine[substr($0, 1, 15)] = 1; next }
                   $1 ~ /^[0-9]+\.$/ && ($2 in mine) { print $2; exit }' "$work/ids.csv" - <<<"$before_show")
[[ -n $drawn_regno ]] || fail "the draw drew none of the entities keyed by a registration number: $before_show"
explain_before=$(s credit explain "$r2" --as-of 2026-11-30)

# The re-import: every pair re-registered once, nothing duplicated.
out=$(s import entities "$work/after.csv")
n=${#pair[@]}
grep -q "^entities: 0 inserted, $n updated, $(( total - n )) unchanged, $n re-registered (换照)$" <<<"$out" \
  || fail "re-import counts: $out"
grep -q "re-registered $r1 -> $u1 " <<<"$out" || fail "re-import does not name $r1 -> $u1: $out"
s export entities "$work/export.csv" >/dev/null
$py - "$work/export.csv" "$total" "$work/ids.csv" <<'PY' || fail "export after re-registration"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
assert len(rows) == int(sys.argv[2]), f"{len(rows)} entities stored, {sys.argv[2]} expected"
by_id = {r["统一社会信用代码"]: r for r in rows}
for regno, uscc in list(csv.reader(open(sys.argv[3])))[1:]:
    assert regno not in by_id, f"{regno} still a primary id"
    assert by_id[uscc]["注册号"] == regno, f"{uscc} lost its registration number"
PY

# A second re-import changes nothing; the events name both ids.
grep -q "^entities: 0 inserted, 0 updated, $total unchanged$" <<<"$(s import entities "$work/after.csv")" \
  || fail "second re-import is not a no-op"
events=$(s audit list --limit 1000000)
[[ $(grep -c 'entity.reregister' <<<"$events") == "$n" ]] || fail "expected $n entity.reregister events"
awk -v a="$r1" -v b="$u1" '/entity\.reregister/ && index($0, a) && index($0, b) { found = 1 } END { exit !found }' <<<"$events" || fail "no event names both $r1 and $u1"

# History followed the entity: the penalty and the list membership now explain the USCC.
explain_after=$(s credit explain "$u2" --as-of 2026-11-30)
grep -qE "^  penalties_3y +value 1 " <<<"$explain_after" || fail "the penalty did not follow $r2 -> $u2: $explain_after"
s credit score --as-of 2026-11-30 >/dev/null
class_of() { awk 'match($0, /class [A-D]/) { print substr($0, RSTART, RLENGTH); exit }' <<<"$1"; }
[[ -n $(class_of "$explain_before") && $(class_of "$(s credit explain "$u2" --as-of 2026-11-30)") == $(class_of "$explain_before") ]] || fail "$u2 scored differently after re-registration"
grep -qE "^  abnormal_listed +value 1 " <<<"$(s credit explain "$u3" --as-of 2026-11-30)" || fail "the list membership did not follow $r3"
# A record keyed by the old number after the change lands on the entity, not a ghost.
printf '行政处罚决定书文号,统一社会信用代码,处罚机关,处罚类别,处罚决定日期,罚没金额(元),处罚依据\n成市监罚〔2025〕9号,%s,成都市市场监督管理局,警告,2025-08-01,0,《中华人民共和国食品安全法》第一百二十六条\n' \
  "$r1" >"$work/late.csv"
s import penalties "$work/late.csv" >/dev/null || fail "a penalty keyed by the old registration number was refused"
s credit score --as-of 2026-11-30 >/dev/null
grep -qE "^  penalties_3y +value 1 " <<<"$(s credit explain "$u1" --as-of 2026-11-30)" \
  || fail "the penalty keyed by $r1 after re-registration is not $u1's"
grep -qE "^  inspection_problems_3y +value 1 " <<<"$(s credit explain "$u1" --as-of 2026-11-30)" \
  || fail "the inspection result keyed by $r1 did not follow it to $u1"

# The draw committed before and revealed after the re-registration: revealed, paired, its bundle MATCH.
out=$(s draw reveal "$draw2" --entropy "1618 0339 8874 9894 8482" --actor rr 2>&1) \
  || fail "a draw committed before the re-registration cannot be revealed after it: $out"
# A recusal the entity asks for now, under its new USCC, binds the task that holds its old number.
x2=$(awk 'NR == FNR { if (FNR > 1) mine[substr($0, 1, 15)] = 1; next }
          $1 ~ /^[0-9]+\.$/ && ($2 in mine) { print $2; exit }' "$work/ids.csv" - <<<"$(s draw show "$draw2")")
[[ -n $x2 ]] || fail "$draw2 drew none of the re-registered entities"
u_x2=$(awk -F, -v r="$x2" '$1 == r { print $2 }' "$work/ids.csv")
cert=$(awk -F, 'NR == 2 { print $1 }' "$work/officers.csv")
s recusal "$u_x2" "$cert" --reason "曾为该企业提供咨询服务" >/dev/null
out=$(s pair commit "$draw2" --actor rr 2>&1) || fail "pairing a draw over re-registered entities: $out"
s pair reveal "$draw2-P1" --entropy "5772 1566 4901 5328 6060" --actor rr >/dev/null
s draw export "$draw2" "$work/bundle3" >/dev/null
grep -q MATCH <<<"$(s verify "$work/bundle3")" || fail "the bundle of $draw2 does not verify"
$py - "$work/bundle3/pair_commitment.json" "$x2" <<'PY' || fail "the recusal under $u_x2 did not reach the task of $x2"
import json, sys
tasks = {t["entity_id"]: t for t in json.load(open(sys.argv[1]))["tasks"]}
assert tasks[sys.argv[2]]["requested_recusals"], tasks[sys.argv[2]]
PY

# The audit chain and every row; the old bundle still verifies; draw show names the current id.
grep -q "rows OK" <<<"$(s audit verify --rows)" || fail "audit verify --rows after re-registration"
grep -q MATCH <<<"$(s verify "$work/bundle")" || fail "the bundle exported before re-registration no longer verifies"
s draw export "$draw" "$work/bundle2" >/dev/null
grep -q MATCH <<<"$(s verify "$work/bundle2")" || fail "a bundle exported after re-registration does not verify"
for f in "$work"/bundle/*; do  # the committed ids stay in the bundle: byte for byte the same
  [[ ${f##*/} == bundle.json ]] && continue
  cmp -s "$f" "$work/bundle2/${f##*/}" || fail "${f##*/} of the bundle changed with re-registration"
done
# bundle.json too, but for the audit chain's head at export (the chain has moved on since).
$py - "$work/bundle/bundle.json" "$work/bundle2/bundle.json" <<'PY' || fail "bundle.json of the bundle changed with re-registration"
import json, sys
a, b = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:])
assert a["audit"].pop("chain_head")["seq"] < b["audit"].pop("chain_head")["seq"] and a == b
PY
new_id=$(awk -F, -v r="$drawn_regno" '$1 == r { print $2 }' "$work/ids.csv")
grep -q "$drawn_regno (now $new_id)" <<<"$(s draw show "$draw")" || fail "draw show does not name $new_id beside $drawn_regno"
echo "re-registration OK on $backend: $n entities, draw $draw"
