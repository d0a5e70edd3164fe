#!/usr/bin/env bash
# Importing case lists (SPEC §4): the kinds of file, merging, closed cases, the
# encodings and quoting real exports have, dry runs, duplicates, snapshots.
source "$SRC/tests/cli/lib.sh"

# A generic list: aliases for plan types, UK dates in every accepted form, an unborn baby,
# a 10th birthday on the as-of date, a closed case, an unknown column.
cat > "$tmp/cases.csv" <<'CSV'
Case ID,Date of Birth,Plan_Type,Team,Worker,Plan End,Favourite colour
1001,01/11/2016,Child Protection,North,Ann,,blue
1002,1/2/2020,LAC,South,Bob,,red
1003,2026-11-01,CiC,South,Bob,,red
1004,15 Mar 2027,CPP,North,Ann,,
1005,05-Jun-2010,cin,East,Cy,31.10.2026,
1006,05.06.2008,Care Leaver,Leaving Care,Di,,
1007,29/02/2016,eh,Early Help,Ed,,
CSV
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/11/2026
expect_out "Snapshot 1 as at 01/11/2026"
expect_out "Rows read 7, cases 7, merged 0, closed 1"
expect_out "Open cases 6: EH 1, CIN 0, CP 2, CLA 2, CL 1"
expect_err 'note: '"$tmp"'/cases.csv: columns not used: "Favourite colour"'
[ "$(q "SELECT group_concat(case_id || ':' || plan_type || ':' || age || ':' || closed, ' ') FROM snapshot_case")" = \
  "1001:CP:10:0 1002:CLA:6:0 1003:CLA:0:0 1004:CP:-1:0 1005:CIN:16:1 1006:CL:18:0 1007:EH:10:0" ] ||
  fail "cases stored wrongly: $(q 'SELECT * FROM snapshot_case')"
[ "$(stat -c %a "$db")" = 600 ] || fail "the database is not mode 0600"

# Annex A lists 6-9 as Excel writes them: BOM, CRLF, curly quotes, a quoted comma and line break,
# "Age" for "Age of Child (Years)", "Eligibity Category", an empty line and a line of commas.
# C2 is CIN in list 6 and CLA in list 8: one case, CLA, with list 8's team. C3 is closed.
printf '\xef\xbb\xbfChild Unique ID,Gender,Ethnicity,Date of  Birth,Age,CIN Start Date,CIN Closure Date,Case Status,Allocated Team,Allocated Worker\r\n' > "$tmp/list6.csv"
printf 'C1,F,WBRI,01/01/2015,11,01/01/2026,,c) Child in need plan,"Children in Need, North",Siobh\xc3\xa1n O\xe2\x80\x99Neill\r\n' >> "$tmp/list6.csv"
printf 'C2,M,WBRI,02/02/2012,14,01/01/2026,,c) Child in need plan,CIN South,"Two\r\nLines"\r\n' >> "$tmp/list6.csv"
printf 'C6,M,WBRI,02/02/2012,14,01/01/2026,,a) Looked after,CIC,Lee\r\n' >> "$tmp/list6.csv"
printf 'C3,M,WBRI,03/03/2013,13,01/01/2025,30/06/2026,e) Closed,CIN South,Pat\r\n' >> "$tmp/list6.csv"
printf '\r\n,,,,,,,,,\r\n' >> "$tmp/list6.csv"
printf 'Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),Child Protection Plan Start Date,Child Protection Plan End Date\n' > "$tmp/list7.csv"
printf 'C4,F,ASIA,04-Apr-2019,7,01 Sep 2026,\n' >> "$tmp/list7.csv"
printf 'Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),Date Started to be Looked After,Date Ceased to be Looked After,Allocated Team\n' > "$tmp/list8.csv"
printf 'C2,M,WBRI,02/02/2012,14,01/03/2026,,Children in Care\n' >> "$tmp/list8.csv"
printf 'Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),Eligibity Category,Allocated Personal Advisor\n' > "$tmp/list9.csv"
printf 'C5,F,WBRI,05/05/2006,20,Former relevant,Kim\n' >> "$tmp/list9.csv"
expect_exit 0 ca import "$tmp/list6.csv" "$tmp/list7.csv" "$tmp/list8.csv" "$tmp/list9.csv" --as-of 01/11/2026
expect_out "list6.csv                    Annex A list 6        4 rows"
expect_out "list9.csv                    Annex A list 9        1 rows"
expect_out "Rows read 7, cases 6, merged 1, closed 1"
expect_out "Open cases 5: EH 0, CIN 1, CP 1, CLA 2, CL 1"
[ "$(q "SELECT plan_type || '|' || team || '|' || worker FROM snapshot_case WHERE snapshot_id = 2 AND case_id = 'C2'")" = \
  "CLA|Children in Care|$(printf 'Two\r\nLines')" ] || fail "C2 not merged as CLA with list 8's team"
[ "$(q "SELECT team || '|' || worker FROM snapshot_case WHERE snapshot_id = 2 AND case_id = 'C1'")" = \
  "Children in Need, North|Siobhán O’Neill" ] || fail "quoted comma or UTF-8 name lost"
[ "$(q "SELECT worker FROM snapshot_case WHERE snapshot_id = 2 AND case_id = 'C5'")" = Kim ] || fail "list 9 advisor"

# Encoding is decided per file (SPEC §4): a Windows-1252 list beside a UTF-8 one in the
# same import, each read as it is, the Windows-1252 one with a note; --encoding forces one
# for every file. (Before, --encoding cp1252 broke the UTF-8 lists of the same import.)
printf 'case_id,date_of_birth,plan_type,worker,team\n9001,01/01/2015,CP,Ren\xe9e,T\n' > "$tmp/cp1252.csv"
printf 'case_id,date_of_birth,plan_type,worker,team\n9002,01/01/2015,CP,Siobh\xc3\xa1n,T\n' > "$tmp/utf8.csv"
snapshot_db
expect_exit 1 ca import "$tmp/cp1252.csv" "$tmp/utf8.csv" --as-of 01/11/2026 --encoding utf-8
expect_err "cp1252.csv:2: not valid UTF-8"
expect_err "leave --encoding out"
expect_db_unchanged
expect_exit 0 ca import "$tmp/cp1252.csv" "$tmp/utf8.csv" --as-of 01/11/2026
expect_err "cp1252.csv: not UTF-8, so read as Windows-1252"
[ "$(grep -c "note:" "$tmp/err")" = 1 ] || fail "the UTF-8 file should have no note: $(cat "$tmp/err")"
[ "$(q "SELECT group_concat(worker, '|') FROM snapshot_case WHERE case_id IN ('9001', '9002') ORDER BY case_id")" \
  = "Renée|Siobhán" ] || fail "each file was not read in its own encoding"

# Progress for long imports, on standard error only when it is a terminal (script(1) gives it one).
awk 'BEGIN { print "case_id,date_of_birth,plan_type,team"; for (i = 0; i < 100000; i++) printf "P%d,01/01/2015,CP,T\n", i }' \
  > "$tmp/big.csv"
script -qec "'$CASEAUDIT' --db '$tmp/big.db' import '$tmp/big.csv' --as-of 01/11/2026 2>&1 >/dev/null" /dev/null \
  > "$tmp/tty" || fail "import on a terminal failed: $(cat "$tmp/tty")"
grep -qF "importing: 100000 rows read..." "$tmp/tty" || fail "no progress on a terminal: $(cat -A "$tmp/tty")"

# --plan-type for a list without plan_type; --dry-run writes nothing.
printf 'case_id,date_of_birth,team\n7001,01/01/2015,T\n7002,01/01/2016,T\n' > "$tmp/noplan.csv"
snapshot_db
expect_exit 0 ca import "$tmp/noplan.csv" --as-of 01/11/2026 --plan-type "Child in Need" --dry-run
expect_out "Dry run: nothing was written"
expect_out "Open cases 2: EH 0, CIN 2, CP 0, CLA 0, CL 0"
expect_db_unchanged
expect_exit 0 "$CASEAUDIT" --db "$tmp/none.db" import "$tmp/noplan.csv" --plan-type CIN --dry-run
[ ! -e "$tmp/none.db" ] || fail "a dry run created a database"

# The same file again is refused, for the same as-of date or another (last month's file
# again, SPEC §4); --force accepts it as a new snapshot.
snapshot_db
expect_exit 1 ca import "$tmp/cases.csv" --as-of 01/11/2026
expect_err "cases.csv: this file was already imported in snapshot 1 as at 01/11/2026"
expect_db_unchanged
expect_exit 1 ca import "$tmp/cases.csv" --as-of 01/12/2026
expect_err "give --force if it really is this month's list"
expect_db_unchanged
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/12/2026 --force

# snapshots, as a table and as the JSON of SPEC §4.
expect_exit 0 ca snapshots
sed 's/ *$//' "$tmp/out" > "$tmp/table"
diff -u - "$tmp/table" <<'TABLE' || fail "snapshots table differs"
id  as_of       files  rows  cases  merged  closed  EH  CIN  CP  CLA  CL  pruned
--  ----------  -----  ----  -----  ------  ------  --  ---  --  ---  --  ------
 1  01/11/2026      1     7      7       0       1   1    0   2    2   1
 2  01/11/2026      4     7      6       1       1   0    1   1    2   1
 3  01/11/2026      2     2      2       0       0   0    0   2    0   0
 4  01/12/2026      1     7      7       0       1   1    0   2    2   1
TABLE
expect_exit 0 ca snapshots --format json
sha() { sha256sum "$tmp/$1" | cut -d' ' -f1; }
file() { printf '{"name": "%s", "sha256": "%s", "rows": %s}' "$1" "$(sha "$1")" "$2"; }
open='"open": {"EH": 1, "CIN": 0, "CP": 2, "CLA": 2, "CL": 1}'
{
  printf '[{"id": 1, "as_of": "2026-11-01", "files": [%s], "rows": 7, "cases": 7, "merged": 0, "closed": 1, %s, "pruned": false}, ' \
    "$(file cases.csv 7)" "$open"
  printf '{"id": 2, "as_of": "2026-11-01", "files": [%s, %s, %s, %s], "rows": 7, "cases": 6, "merged": 1, "closed": 1, ' \
    "$(file list6.csv 4)" "$(file list7.csv 1)" "$(file list8.csv 1)" "$(file list9.csv 1)"
  printf '"open": {"EH": 0, "CIN": 1, "CP": 1, "CLA": 2, "CL": 1}, "pruned": false}, '
  printf '{"id": 3, "as_of": "2026-11-01", "files": [%s, %s], "rows": 2, "cases": 2, "merged": 0, "closed": 0, ' \
    "$(file cp1252.csv 1)" "$(file utf8.csv 1)"
  printf '"open": {"EH": 0, "CIN": 0, "CP": 2, "CLA": 0, "CL": 0}, "pruned": false}, '
  printf '{"id": 4, "as_of": "2026-12-01", "files": [%s], "rows": 7, "cases": 7, "merged": 0, "closed": 1, %s, "pruned": false}]\n' \
    "$(file cases.csv 7)" "$open"
} > "$tmp/want.json"
diff -u "$tmp/want.json" "$tmp/out" || fail "snapshots JSON differs"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out" || fail "snapshots JSON does not parse"

# The event log records the import, who and when.
[ "$(q "SELECT by || ' ' || at || ' ' || command FROM event ORDER BY id LIMIT 1")" = "tester 2026-11-24T12:00:00Z import" ] ||
  fail "import not in the event log"
pass
