#!/usr/bin/env bash
# Grade returns in .xlsx (SPEC §13): the list caseaudit exports, filled in with openpyxl
# the way an auditor uses it (drop-down grades, typed dates, an id typed as a number),
# records the same audits as the same data returned as CSV; bad cells are refused
# naming FILE[SHEET]:CELL, with nothing written.
source "$SRC/tests/cli/lib.sh"
if ! /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-openpyxl >&2
fi

{ echo "case_id,date_of_birth,plan_type,team,worker"
  for i in $(seq 1 20); do echo "$((14600 + i)),01/01/2015,CIN,Team $((i % 3)),Worker $((i % 4))"; done; } > "$tmp/cases.csv"
printf 'name,team\nAnn,\nBob,\n' > "$tmp/auditors.csv"
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/11/2026
expect_exit 0 ca sample 2026-11 --size 6 --strata plan --seed 7 --due 30/11/2026
expect_exit 0 ca assign 2026-11 --auditors "$tmp/auditors.csv"
expect_exit 0 ca list 2026-11 --format xlsx -o "$tmp/list.xlsx"
cp "$db" "$tmp/csv.db"

# fill MODE: the exported list filled in as an auditor would, saved as list-MODE.xlsx,
# and the same values as list-MODE.csv.
fill() {
  /usr/bin/python3 - "$tmp" "$1" <<'PY'
import csv, datetime, sys
import openpyxl
tmp, mode = sys.argv[1], sys.argv[2]
wb = openpyxl.load_workbook(tmp + "/list.xlsx")
ws = wb.active
head = [c.value for c in ws[1]]
col = {name: i + 1 for i, name in enumerate(head)}
grades = ["Good", "Requires improvement", "Inadequate", "Outstanding"]
for r in range(2, ws.max_row + 1):
    ws.cell(r, col["grade"], grades[r % 4])                      # from the drop-down
    d = ws.cell(r, col["audit_date"], datetime.date(2026, 11, 10 + r))
    d.number_format = "dd/mm/yyyy"                               # a typed date
    ws.cell(r, col["domain:voice"], "Good")
    ws.cell(r, col["note"], "checked, row %d" % r)
    if r == 3:
        ws.cell(r, col["action"], "Update the plan")
        due = ws.cell(r, col["action_due"], datetime.date(2026, 12, 15))
        due.number_format = "d mmm yyyy"
if mode == "typed":
    ws.cell(2, col["case_id"], int(ws.cell(2, col["case_id"]).value))  # an id typed as a number
if mode == "na":
    ws.cell(4, col["grade"], "#N/A")
if mode == "formula":
    ws.cell(5, col["grade"], '=IF(TRUE,"Good","Inadequate")')   # openpyxl stores no cached value
wb.save(tmp + "/list-%s.xlsx" % mode)
with open(tmp + "/list-%s.csv" % mode, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    for row in ws.iter_rows(values_only=True):
        w.writerow(["" if v is None else v.strftime("%d/%m/%Y") if isinstance(v, datetime.date) else v
                    for v in row])
PY
}
fill typed
fill na
fill formula

audits() { sqlite3 "$1" "SELECT a.case_id, a.grade, a.auditor, a.audit_date, a.note,
    (SELECT group_concat(domain || '=' || grade) FROM audit_domain d WHERE d.audit_id = a.id),
    (SELECT group_concat(text || '@' || due) FROM action x WHERE x.audit_id = a.id)
  FROM audit a ORDER BY a.case_id"; }

expect_exit 0 ca grade 2026-11 --file "$tmp/list-typed.xlsx"
expect_out "Round 2026-11: 6 grades recorded, 0 corrected, 0 unchanged, 0 rows without a grade skipped (not audited yet); 1 action raised"
"$CASEAUDIT" --db "$tmp/csv.db" grade 2026-11 --file "$tmp/list-typed.csv" > "$tmp/csv.out" ||
  fail "the CSV return was refused: $(cat "$tmp/csv.out")"
audits "$db" > "$tmp/from-xlsx"
audits "$tmp/csv.db" > "$tmp/from-csv"
[ "$(wc -l < "$tmp/from-xlsx")" = 6 ] || fail "expected 6 audits from the workbook: $(cat "$tmp/from-xlsx")"
cmp -s "$tmp/from-xlsx" "$tmp/from-csv" || { diff "$tmp/from-csv" "$tmp/from-xlsx" >&2; fail "xlsx and CSV differ"; }
grep -q '|Update the plan@2026-12-15$' "$tmp/from-xlsx" || fail "the action and its due date: $(cat "$tmp/from-xlsx")"
grep -q '|2026-11-12|checked, row 2|voice=2|' "$tmp/from-xlsx" || fail "the typed date of row 2: $(cat "$tmp/from-xlsx")"

# Bad cells: refused, naming the cell, nothing written.
cp "$tmp/csv.db" "$db"
for mode in na formula; do
  snapshot_db
  expect_exit 1 ca grade 2026-11 --file "$tmp/list-$mode.xlsx"
  expect_db_unchanged
done
expect_exit 1 ca grade 2026-11 --file "$tmp/list-na.xlsx"
expect_err "list-na.xlsx[2026-11]:J4: the cell shows the error #N/A"
expect_err "nothing was recorded: 1 problem in"
expect_exit 1 ca grade 2026-11 --file "$tmp/list-formula.xlsx"
expect_err "list-formula.xlsx[2026-11]:J5: the formula in this cell has no calculated value"
printf 'x' > "$tmp/text.xlsx"
snapshot_db
expect_exit 1 ca grade 2026-11 --file "$tmp/text.xlsx"
expect_err "not an .xlsx workbook (the file is not a zip archive)"
expect_db_unchanged

# The moderation list comes back as .xlsx too: exported, filled in with openpyxl by a
# manager (a grade from the drop-down, a typed date, a reason), returned with moderate --file:
# the same outcomes as the same values returned as CSV.
printf 'name,roles\nSam,manager\n' > "$tmp/managers.csv"
expect_exit 0 ca grade 2026-11 --file "$tmp/list-typed.xlsx"
expect_exit 0 ca people import "$tmp/managers.csv"
expect_exit 0 ca moderation pick 2026-11 --rate 1 --seed 3
expect_exit 0 ca moderation list 2026-11 --format xlsx -o "$tmp/mod.xlsx"
cp "$db" "$tmp/mod-csv.db"
/usr/bin/python3 - "$tmp" <<'PY'
import csv, datetime, sys
import openpyxl
tmp = sys.argv[1]
wb = openpyxl.load_workbook(tmp + "/mod.xlsx")
ws = wb.active
head = [c.value for c in ws[1]]
col = {name: i + 1 for i, name in enumerate(head)}
for r in range(2, ws.max_row + 1):
    audited = ws.cell(r, col["audited_grade"]).value
    changed = r % 3 == 0
    ws.cell(r, col["moderated_grade"], "Inadequate" if changed else audited)
    ws.cell(r, col["moderator"], "Sam")
    d = ws.cell(r, col["moderation_date"], datetime.date(2026, 11, 23))
    d.number_format = "dd/mm/yyyy"
    if changed:
        ws.cell(r, col["reason"], "Risks not assessed, row %d" % r)
wb.save(tmp + "/mod-filled.xlsx")
with open(tmp + "/mod-filled.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    for row in ws.iter_rows(values_only=True):
        w.writerow(["" if v is None else v.strftime("%d/%m/%Y") if isinstance(v, datetime.date) else v
                    for v in row])
PY
outcomes() { sqlite3 "$1" "SELECT case_id, grade, moderator, moderation_date, coalesce(reason, '') FROM moderation
  ORDER BY case_id"; }
expect_exit 0 ca moderate 2026-11 --file "$tmp/mod-filled.xlsx"
expect_out "6 outcomes recorded"
"$CASEAUDIT" --db "$tmp/mod-csv.db" moderate 2026-11 --file "$tmp/mod-filled.csv" > "$tmp/mod-csv.out" ||
  fail "the CSV moderation return was refused: $(cat "$tmp/mod-csv.out")"
outcomes "$db" > "$tmp/mod-from-xlsx"
outcomes "$tmp/mod-csv.db" > "$tmp/mod-from-csv"
[ "$(wc -l < "$tmp/mod-from-xlsx")" = 6 ] || fail "expected 6 outcomes: $(cat "$tmp/mod-from-xlsx")"
cmp -s "$tmp/mod-from-xlsx" "$tmp/mod-from-csv" || { diff "$tmp/mod-from-csv" "$tmp/mod-from-xlsx" >&2; fail "moderation xlsx and CSV differ"; }
grep -q '|Inadequate|Sam|2026-11-23|Risks not assessed' "$tmp/mod-from-xlsx" 2>/dev/null ||
  grep -q '|4|Sam|2026-11-23|Risks not assessed' "$tmp/mod-from-xlsx" || fail "a downgrade with its reason: $(cat "$tmp/mod-from-xlsx")"
pass
