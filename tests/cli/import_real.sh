#!/usr/bin/env bash
# Real exports as they come (issue 13, SPEC §4): List 6 with a row per CIN episode,
# dates as spreadsheets write them (Excel serials, two-digit years, 16-Feb-23), a list
# saved as Windows-1252 beside UTF-8 ones, ids whose leading zeros a spreadsheet dropped,
# and a snapshot that never depends on the order of the files or of their rows.
source "$SRC/tests/cli/lib.sh"
A='Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years)'
# List 6: child 501 has a closed episode (line 2) and an open one (line 6) with a new
# team; 502 is closed only; 503 is CIN; 504's DOB is an Excel serial (44296 = 10/04/2021).
cat > "$tmp/list6.csv" <<CSV
$A,CIN Start Date,CIN Closure Date,Case Status,Allocated Team,Allocated Worker
501,F,WBRI,03/03/2015,11,01/01/2024,01/06/2024,e) Closed,Old Team,Old Worker
502,M,WBRI,04/04/2016,10,01/01/2024,01/02/2025,e) Closed,Team B,W2
503,M,WOTH,05/05/2017,9,01/03/2026,,c) Child in need plan,Team B,W3
504,F,WOTH,44296,5,01/04/2026,,d) CIN plan,Team C,W4
501,F,WBRI,03/03/2015,11,01/09/2025,,c) Child in need plan,Team A,W1
CSV
# List 7: 503 is also on a CP plan (CP > CIN); 505's DOB has a two-digit year.
cat > "$tmp/list7.csv" <<CSV
$A,Child Protection Plan Start Date,Child Protection Plan End Date,Allocated Team,Allocated Worker
503,M,WOTH,05-May-2017,9,01-Oct-2026,,CP Team,W5
505,F,WBRI,16-Feb-23,3,01-Sep-2026,,CP Team,W5
CSV
# List 8, saved by Excel on Windows (Windows-1252): a worker with an accent.
printf '%s,Date Started to be Looked After,Date Ceased to be Looked After,Allocated Team,Allocated Worker\n506,M,WBRI,01/01/2012,14,01/01/2025,,Care Team,Ren\xe9e\n501,F,WBRI,03/03/2015,11,,01/01/2020,Care Team,W6\n' "$A" > "$tmp/list8.csv"

# Before: the import refused 501 as "appears again with different data", 44296 and
# 16-Feb-23 as bad dates, and list 8 as invalid UTF-8. Now it is taken as it comes.
expect_exit 0 ca import "$tmp/list6.csv" "$tmp/list7.csv" "$tmp/list8.csv" --as-of 01/11/2026
expect_out "Rows read 9, cases 6, merged 3, closed 1"
expect_out "Open cases 5: EH 0, CIN 2, CP 2, CLA 1, CL 0"
expect_err "list8.csv: not UTF-8, so read as Windows-1252"
expect_err "1 date read as Excel serial numbers"
expect_err "1 date with a two-digit year"
row() { q "SELECT plan_type || '|' || closed || '|' || coalesce(team, '') || '|' || coalesce(worker, '') || '|' ||
           coalesce(dob, '') || '|' || age FROM snapshot_case WHERE snapshot_id = 1 AND case_id = '$1'"; }
# 501: the open CIN episode wins over the closed one and over the CLA episode that ended in 2020.
[ "$(row 501)" = "CIN|0|Team A|W1|2015-03-03|11" ] || fail "501: $(row 501)"
[ "$(row 502)" = "CIN|1|Team B|W2|2016-04-04|10" ] || fail "502: $(row 502)"
[ "$(row 503)" = "CP|0|CP Team|W5|2017-05-05|9" ] || fail "503: $(row 503)"
[ "$(row 504)" = "CIN|0|Team C|W4|2021-04-10|5" ] || fail "504: $(row 504)"
[ "$(row 505)" = "CP|0|CP Team|W5|2023-02-16|3" ] || fail "505: $(row 505)"
[ "$(row 506)" = "CLA|0|Care Team|Renée|2012-01-01|14" ] || fail "506: $(row 506)"

# The snapshot never depends on the order of the files or of their rows: every order of
# the three files, and each file's rows reversed, give the same cases.
snap() { sqlite3 "$1" "SELECT case_id, plan_type, dob, age, team, worker, plan_start, plan_end, gender, ethnicity,
                       disability, closed FROM snapshot_case ORDER BY case_id"; }
snap "$db" > "$tmp/want"
for f in list6 list7 list8; do
  { head -1 "$tmp/$f.csv"; tail -n +2 "$tmp/$f.csv" | tac; } > "$tmp/rev-$f.csv"
done
n=0
for order in "6 7 8" "6 8 7" "7 6 8" "7 8 6" "8 6 7" "8 7 6"; do
  for prefix in "" "rev-"; do
    files=()
    for k in $order; do files+=("$tmp/${prefix}list$k.csv"); done
    n=$((n + 1))
    "$CASEAUDIT" --db "$tmp/o$n.db" import "${files[@]}" --as-of 01/11/2026 >/dev/null 2>&1 ||
      fail "order $prefix$order was refused"
    snap "$tmp/o$n.db" | diff -u "$tmp/want" - >&2 || fail "order $prefix$order gives another snapshot"
  done
done
[ "$n" = 12 ] || fail "ran $n orders"

# A child with two dates of birth is refused, naming both lines, whichever file is first.
printf '%s,Date Started to be Looked After,Date Ceased to be Looked After\n503,M,WOTH,06/05/2017,9,01/01/2026,\n' "$A" > "$tmp/dob.csv"
snapshot_db
expect_exit 1 ca import "$tmp/dob.csv" "$tmp/list6.csv" --as-of 01/12/2026
expect_err "list6.csv:4: column \"Date of Birth\": case \"503\" has date of birth 05/05/2017 here but 06/05/2017 on $tmp/dob.csv:2"
expect_db_unchanged

# Ids whose leading zeros a spreadsheet dropped: refused, naming both lines.
printf 'case_id,date_of_birth,plan_type,team\n0014628,01/01/2015,CP,T\n0099,01/01/2015,CP,T\n14628,01/01/2015,CIN,T\n' > "$tmp/zeros.csv"
expect_exit 1 ca import "$tmp/zeros.csv" --as-of 01/12/2026
expect_err "zeros.csv:4: column \"case_id\": case \"14628\" and case \"0014628\" on $tmp/zeros.csv:2 differ only by leading zeros"
expect_db_unchanged

# A generic list as a system exports it: Person ID, Current Plan, Service Area are built-in
# aliases, and so are CP Plan, TAF, CLA - Section 20 and Care Leaver - Pathway Plan; a
# council's own plan spelling and team spelling are taught with 'alias add'.
cat > "$tmp/generic.csv" <<'CSV'
Person ID,DOB,Current Plan,Service Area,Key Worker
601,01/01/2015,CP Plan,Safeguarding East,W1
602,01/01/2016,TAF,Early Help - Locality East,W2
603,01/01/2012,CLA - Section 20,Children in Care,W3
604,01/01/2006,Care Leaver - Pathway Plan,Leaving Care,W4
605,01/01/2014,Supervision Order,CWD,W5
CSV
snapshot_db
expect_exit 1 ca import "$tmp/generic.csv" --as-of 01/12/2026
expect_err 'generic.csv:6: column "Current Plan": unknown plan type; expected EH, CIN, CP, CLA or CL (or Early Help, Child in Need, Child Protection, Looked After, Care Leaver); for a council'"'"'s own name of a plan: caseaudit alias add plan "Supervision Order" CODE (value "Supervision Order")'
expect_db_unchanged
expect_exit 1 ca alias add plan "Supervision Order" Adoption
expect_err '"Adoption" is not a plan type'
expect_exit 1 ca alias add plan "C.P." CLA
expect_err '"C.P." already means CP: it needs no alias'
expect_exit 0 ca alias add plan "supervision  order" CP
expect_exit 0 ca alias add team "CWD" "Children with Disabilities"
expect_exit 0 ca import "$tmp/generic.csv" --as-of 01/12/2026
expect_out "Open cases 5: EH 1, CIN 0, CP 2, CLA 1, CL 1"
[ "$(q "SELECT team FROM snapshot_case WHERE case_id = '605'")" = "Children with Disabilities" ] || fail "team alias"
[ "$(q "SELECT worker FROM snapshot_case WHERE case_id = '601'")" = "W1" ] || fail "Key Worker"
expect_exit 0 ca alias list --format csv
expect_out "plan,supervision  order,CP"
expect_out "team,CWD,Children with Disabilities"
expect_exit 0 ca alias remove team cwd
expect_exit 1 ca alias remove team cwd
expect_err "there is no team alias"
[ "$(q "SELECT count(*) FROM event WHERE command = 'alias'")" = 3 ] || fail "aliases not in the event log"

# One pass finds every problem; past the 50 shown, --problems FILE has them all (CSV, 0600).
{ echo "case_id,date_of_birth,plan_type,team"
  for i in $(seq 1 60); do echo "X$i,31/02/2015,CP,T"; done
  echo "X61,01/01/2015,Adoption,T"; } > "$tmp/many.csv"
snapshot_db
expect_exit 1 ca import "$tmp/many.csv" --as-of 01/12/2026
expect_err "and 11 more problems not shown"
expect_err "give --problems FILE to have all 61 written to a file"
[ "$(grep -c '^.*many.csv:[0-9]*: column' "$tmp/err")" = 50 ] || fail "not 50 problems shown"
expect_exit 1 ca import "$tmp/many.csv" --as-of 01/12/2026 --problems "$tmp/problems.csv"
expect_err "Wrote 61 problems to $tmp/problems.csv"
[ "$(stat -c %a "$tmp/problems.csv")" = 600 ] || fail "the problems file is not 0600"
[ "$(wc -l < "$tmp/problems.csv")" = 62 ] || fail "the problems file does not have all 61"
python3 - "$tmp/problems.csv" "$tmp/many.csv" <<'PY' || fail "problems CSV"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
assert rows[0] == ["file", "line", "column", "value", "problem"], rows[0]
assert rows[1] == [sys.argv[2], "2", "date_of_birth", "31/02/2015", "no such date (dates are read day first, dd/mm/yyyy)"], rows[1]
assert rows[61][1:4] == ["62", "plan_type", "Adoption"], rows[61]
assert 'caseaudit alias add plan "Adoption" CODE' in rows[61][4], rows[61]
PY
expect_db_unchanged
pass
