#!/usr/bin/env bash
# `suiji import` end to end through the real binary on one backend: a first load in several batches,
# an idempotent re-import, one changed row, a messy file refused whole (the database unchanged), the
# same file with --skip-invalid (valid + rejected = read, every rejected row in the rejects file), and
# `audit verify --rows` over the result.
#   import_cli.sh SUIJI BACKEND(sqlite|postgresql) PG_URL WORKDIR
set -euo pipefail
source "$(dirname "$0")/backend.sh"
cli_backend cli.db "$@"
rows_in_db() { s export entities "$work/export.csv" >/dev/null && /usr/bin/python3 -c "
import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding='utf-8-sig'))) - 1)" "$work/export.csv"; }

"$suiji" gen --seed 5 --entities 25000 --officers 10 --items 4 --messy --out "$work/gen" >/dev/null
s init >/dev/null
csv=$work/gen/entities.csv

# 1. First load: 25,000 rows in three batches.
out=$(s import entities "$csv")
grep -q "25000 rows read, 25000 valid, 0 rejected" <<<"$out" || fail "first load: $out"
grep -q "^entities: 25000 inserted, 0 updated, 0 unchanged$" <<<"$out" || fail "first load counts: $out"
[[ $(rows_in_db) == 25000 ]] || fail "first load: $(rows_in_db) rows stored"

# 2. Re-import: nothing changes.
out=$(s import entities "$csv")
grep -q "^entities: 0 inserted, 0 updated, 25000 unchanged$" <<<"$out" || fail "re-import: $out"

# 3. One row changed (the name of the 12,345th entity): one update.
/usr/bin/python3 - "$csv" "$work/changed.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')))
rows[12345][1] = rows[12345][1] + '（变更）'
csv.writer(open(sys.argv[2], 'w', encoding='utf-8', newline='')).writerows(rows)
PY
out=$(s import entities "$work/changed.csv")
grep -q "^entities: 0 inserted, 1 updated, 24999 unchanged$" <<<"$out" || fail "one change: $out"

# 4. A messy file, all or nothing: refused whole, exit status 1, the database as it was.
messy=$work/gen/entities_messy.csv
set +e
s import entities "$messy" >"$work/messy.out" 2>"$work/messy.err"
status=$?
set -e
[[ $status == 1 ]] || fail "messy all-or-nothing exited $status"
grep -q "nothing imported" "$work/messy.err" || fail "messy: no 'nothing imported' in: $(head -3 "$work/messy.err")"
[[ $(rows_in_db) == 25000 ]] || fail "messy all-or-nothing changed the table: $(rows_in_db) rows"

# 5. The same file with --skip-invalid: valid rows in, every rejected row written with its reason.
out=$(s import entities "$messy" --skip-invalid --rejects "$work/rejects.csv")
read -r read_n valid_n rejected_n < <(sed -nE 's/.*: ([0-9]+) rows read, ([0-9]+) valid, ([0-9]+) rejected.*/\1 \2 \3/p' <<<"$out" | head -1)
[[ -n ${read_n:-} ]] || fail "skip-invalid: no counts in: $out"
(( rejected_n > 0 )) || fail "skip-invalid: the messy file had no rejected rows"
(( valid_n + rejected_n == read_n )) || fail "skip-invalid: $valid_n valid + $rejected_n rejected != $read_n read"
read -r ins upd unch < <(sed -nE 's/^entities: ([0-9]+) inserted, ([0-9]+) updated, ([0-9]+) unchanged$/\1 \2 \3/p' <<<"$out")
(( ins + upd + unch == valid_n )) || fail "skip-invalid: $ins+$upd+$unch written != $valid_n valid"
rejected_rows=$(/usr/bin/python3 -c "
import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline=''))) - 1)" "$work/rejects.csv")
[[ $rejected_rows == "$rejected_n" ]] || fail "rejects file has $rejected_rows rows, want $rejected_n"
[[ $(rows_in_db) == $((25000 + ins)) ]] || fail "skip-invalid: $(rows_in_db) rows stored, want $((25000 + ins))"

# 6. The audit chain and every row's provenance verify.
s audit verify --rows >"$work/verify.out" || fail "audit verify --rows: $(cat "$work/verify.out")"
echo "ok ($backend): 25000 loaded, re-import unchanged, 1 update, messy refused whole, then $valid_n valid + $rejected_n rejected of $read_n"
