#!/usr/bin/env bash
# Annex A as councils receive it (SPEC §13): one workbook with a sheet per list, each header
# below a title row or two, a "Notes" sheet, dates typed as dates and ids typed as numbers.
# It imports to exactly the snapshot the same lists give as CSV files.
source "$SRC/tests/cli/lib.sh"
need_packages python3-openpyxl
/usr/bin/python3 - "$SRC/sample-data" "$tmp/annex-a.xlsx" <<'PY'
import csv, datetime, re, sys
import openpyxl
src, out = sys.argv[1], sys.argv[2]
wb = openpyxl.Workbook()
notes = wb.active
notes.title = "Notes"
notes.append(["Annex A lists for the inspection, produced from the case-management system."])
notes.append(["Children's names are not included."])
def cell(v):
    if re.fullmatch(r"[1-9][0-9]{5}", v):          # an id typed as a number (no leading zero to lose)
        return int(v)
    m = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", v)  # a date typed as a date
    if m:
        return datetime.date(int(m[3]), int(m[2]), int(m[1]))
    return v
for n, title in ((6, "List 6 - CIN"), (7, "List 7 - CP"), (8, "List 8 - CLA"), (9, "List 9 - CL")):
    ws = wb.create_sheet(title)
    ws.append(["Annex A: " + title, None, None])              # title rows above the header
    ws.append(["Produced 01/11/2026"])
    enc = "cp1252" if n == 9 else "utf-8-sig"
    with open("%s/annex-a-list%d.csv" % (src, n), encoding=enc, newline="") as f:
        for i, row in enumerate(csv.reader(f)):
            ws.append(row if i == 0 else [cell(v) for v in row])
            if i:
                for c in ws[ws.max_row]:
                    if isinstance(c.value, datetime.date):
                        c.number_format = "dd/mm/yyyy"
wb.save(out)
PY
expect_exit 0 ca import "$tmp/annex-a.xlsx" --as-of 01/11/2026
expect_out "annex-a.xlsx[List 6 - CIN]"
expect_out "Rows read 2298, cases 1531, merged 767, closed 78"
expect_out "Open cases 1453: EH 0, CIN 654, CP 247, CLA 387, CL 165"
expect_err 'annex-a.xlsx[Notes]: not a case list (no header of one in its first rows), so skipped'
db_xlsx=$db
db=$tmp/csv.db
expect_exit 0 ca import "$SRC"/sample-data/annex-a-list{6,7,8,9}.csv --as-of 01/11/2026
snap() { sqlite3 "$1" "SELECT case_id, plan_type, dob, age, team, worker, plan_start, plan_end, closed
                       FROM snapshot_case ORDER BY case_id"; }
snap "$db_xlsx" > "$tmp/from-xlsx"
snap "$db" > "$tmp/from-csv"
[ "$(wc -l < "$tmp/from-xlsx")" = 1531 ] || fail "expected 1531 cases from the workbook"
cmp -s "$tmp/from-xlsx" "$tmp/from-csv" || { diff "$tmp/from-csv" "$tmp/from-xlsx" | head >&2; fail "workbook and CSV differ"; }
# The same workbook again is last month's file again.
db=$db_xlsx
snapshot_db
expect_exit 1 ca import "$tmp/annex-a.xlsx" --as-of 01/12/2026
expect_err "annex-a.xlsx[List 6 - CIN]: this file was already imported in snapshot 1"
[ "$(grep -c "already imported" "$tmp/err")" = 1 ] || fail "one problem for the workbook, not one per sheet"
expect_db_unchanged
pass
