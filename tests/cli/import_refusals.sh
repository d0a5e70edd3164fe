#!/usr/bin/env bash
# Every bad input SPEC §4 names: exit 1, a FILE:LINE: column "NAME" message, and the
# database exactly as it was (nothing imported: validation is all-or-nothing).
source "$SRC/tests/cli/lib.sh"

printf 'case_id,date_of_birth,plan_type\n1,01/01/2015,CP\n' > "$tmp/ok.csv"
expect_exit 0 ca import "$tmp/ok.csv" --as-of 01/11/2026 --no-team

# refuse FILE-CONTENT EXPECTED-MESSAGE [IMPORT-OPTIONS...]
refuse() {
  local content=$1 message=$2; shift 2
  printf '%b' "$content" > "$tmp/bad.csv"
  snapshot_db
  expect_exit 1 ca import "$tmp/bad.csv" --as-of 01/11/2026 --no-team "$@"
  expect_err "$message"
  expect_err "nothing was imported"
  expect_db_unchanged
}

refuse 'id,date_of_birth,plan_type\n2,01/01/2015,CP\n' \
  'bad.csv:1: column "case_id": required column missing: not a case list (a case list has "case_id", an Ofsted Annex A list "Child Unique ID"); columns found: "id", "date_of_birth", "plan_type"'
refuse 'Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),Legal Status\nC1,F,WBRI,01/01/2015,11,C2\n' \
  'bad.csv:1: column "Child Unique ID": an Ofsted Annex A list, but not one of lists 2, 6, 7, 8 or 9: expected "Assessment start date" (list 2), "Case Status" (list 6), "Child Protection Plan Start Date" (list 7), "Date Started to be Looked After" (list 8) or "Eligibility Category" (list 9); columns found: "Child Unique ID", "Gender"'
refuse 'case_id,plan_type,team\n2,CP,North\n' \
  "bad.csv:1: column \"date_of_birth\": required column missing (or give \"age\"; columns found: \"case_id\", \"plan_type\", \"team\")"
refuse 'case_id,date_of_birth\n2,01/01/2015\n' \
  "bad.csv:1: column \"plan_type\": required column missing (or give --plan-type"
refuse 'case_id,date_of_birth,plan_type\n2,01/01/2015,CP\n ,01/01/2015,CP\n' \
  'bad.csv:3: column "case_id": empty case id'
refuse 'case_id,date_of_birth,plan_type\n2,31/02/2015,CP\n' \
  'bad.csv:2: column "date_of_birth": no such date (dates are read day first, dd/mm/yyyy) (value "31/02/2015")'
refuse 'case_id,date_of_birth,plan_type\n2,12/25/2015,CP\n' \
  'bad.csv:2: column "date_of_birth": the month is over 12: dates are read day first (dd/mm/yyyy), month-first dates are not accepted (value "12/25/2015")'
refuse 'case_id,date_of_birth,plan_type\n2,25/12/60,CP\n' \
  'bad.csv:2: column "date_of_birth": the two-digit year 60 gives no age from -1 to 25 on 01/11/2026 in any century: write the year in full (value "25/12/60")'
refuse 'case_id,date_of_birth,plan_type\n2,60,CP\n' \
  'bad.csv:2: column "date_of_birth": Excel serial date 60 is 29 February 1900, a day that never was (Excel counts 1900 as a leap year): write the date in full (value "60")'
refuse 'case_id,date_of_birth,plan_type\n2,02/09/2027,CP\n' \
  'bad.csv:2: column "date_of_birth": date of birth more than 10 months after the as-of date (value "02/09/2027")'
refuse 'case_id,age,plan_type\n2,26,CL\n' \
  'bad.csv:2: column "age": age 26 is over 25: not a children'"'"'s case (value "26")'
refuse 'case_id,date_of_birth,plan_type\n2,01/01/2015,Adoption\n' \
  'bad.csv:2: column "plan_type": unknown plan type; expected EH, CIN, CP, CLA or CL'
refuse 'case_id,date_of_birth,plan_type\n2,01/01/2015,CP\n3,01/01/2016,CIN\n2,02/01/2015,CIN\n' \
  'bad.csv:4: column "date_of_birth": case "2" has date of birth 02/01/2015 here but 01/01/2015 on '
refuse 'case_id,date_of_birth,plan_type\n2,01/01/2015,CP,extra\n' \
  'bad.csv:2: column "plan_type": the row has 4 fields where the header has 3: "extra" follows the last column (a value holding a comma must be in double quotes)'
refuse 'case_id,date_of_birth,plan_type\n2,01/01/2015\n' \
  'bad.csv:2: column "plan_type": missing: the row has 2 fields where the header has 3'
refuse 'case_id,date_of_birth,plan_type\n2,01/01/2015,CP\n3,"01/01/2015,CP\n4,01/01/2015,CP\n' \
  'bad.csv:3: a quoted field is never closed in column "date_of_birth" (a " without its closing ")'
refuse '' \
  'bad.csv:1: the file is empty'
refuse '\xef\xbb\xbf\r\n\r\n' \
  'bad.csv:1: the file is empty'
refuse 'case_id,date_of_birth,plan_type\r\n\r\n,,\r\n' \
  'bad.csv:2: no rows under the header: expected one row per case'
refuse 'case_id,date_of_birth,plan_type\n2,01/01/2015,CP\n3,01/01/2015,CP\n4,01/01/2015,C\xe9P\n' \
  'bad.csv:4: not valid UTF-8 (byte 0xe9) in column "plan_type", though --encoding utf-8 was given' --encoding utf-8
# The bad byte inside a quoted field that holds a comma, a quote and a line break: still the right column.
refuse 'case_id,date_of_birth,plan_type,team\n2,01/01/2015,CP,"North,\nEast ""x"" \xe9"\n' \
  'bad.csv:3: not valid UTF-8 (byte 0xe9) in column "team"' --encoding utf-8
refuse 'case_id,date_of_birth,plan_type,team\n2,01/01/2015,CP,Ren\x81e\n' \
  'bad.csv:2: byte 0x81 is not a Windows-1252 (cp1252) character in column "team"' --encoding cp1252
refuse 'case_id,date_of_birth,plan_type\n2,01/01/2015,CP\n3,01/01\x00/2015,CP\n' \
  'bad.csv:3: the line holds a NUL byte in column "date_of_birth"'
refuse 'Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),CIN Start Date,CIN Closure Date,Case Status\nC1,F,WBRI,01/01/2015,11,01/01/2026,,f) Unknown\n' \
  'bad.csv:2: column "Case Status": unknown case status; expected a), b), c), d) or e) (value "f) Unknown")'
refuse 'Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),Child Protection Plan Start Date\nC1,F,WBRI,01/01/2015,11,2026-13-01\n' \
  'bad.csv:2: column "Child Protection Plan Start Date": no such date (value "2026-13-01")'
# The same file named twice in one import.
snapshot_db
printf 'case_id,date_of_birth,plan_type\n5,01/01/2015,CP\n' > "$tmp/a.csv"
cp "$tmp/a.csv" "$tmp/b.csv"
expect_exit 1 ca import "$tmp/a.csv" "$tmp/b.csv" --as-of 01/11/2026 --no-team
expect_err "b.csv: the same file as a.csv"
expect_db_unchanged

# Every problem is reported, up to 50, then a count.
{ echo 'case_id,date_of_birth,plan_type'; for i in $(seq 1 60); do echo "$i,99/99/2015,CP"; done; } > "$tmp/many.csv"
snapshot_db
expect_exit 1 ca import "$tmp/many.csv" --as-of 01/11/2026 --no-team
[ "$(grep -c 'many.csv:[0-9]*: column "date_of_birth"' "$tmp/err")" = 50 ] || fail "expected 50 problems shown"
expect_err "... and 10 more problems not shown"
expect_err "error: nothing was imported: 60 problems in the file"
expect_db_unchanged

# A generic list whose team column is not recognised: the own-team rule (SPEC §6) would
# silently do nothing, so it is refused, saying how to map the column or to go without.
printf 'case_id,date_of_birth,plan_type,Locality\n5,01/01/2015,CP,East\n' > "$tmp/noteam.csv"
snapshot_db
expect_exit 1 ca import "$tmp/noteam.csv" --as-of 01/11/2026
expect_err 'noteam.csv:1: column "team": required column missing: the rule that nobody audits their own team'"'"'s cases needs each case'"'"'s team (columns found: "case_id", "date_of_birth", "plan_type", "Locality"); if the list has it under another name: caseaudit alias add column "NAME" team; a list that has no teams at all is imported with --no-team'
expect_db_unchanged
expect_exit 0 ca alias add column Locality team
expect_exit 0 ca import "$tmp/noteam.csv" --as-of 01/11/2026
[ "$(q "SELECT team FROM snapshot_case WHERE case_id = '5'")" = East ] || fail "the aliased team column was not read"

# Bad values and usage.
expect_exit 1 ca import "$tmp/ok.csv" --as-of 31/02/2026
expect_err 'error: --as-of "31/02/2026": no such date'
expect_exit 1 ca import "$tmp/ok.csv" --plan-type adoption
expect_exit 1 ca import "$tmp/missing.csv"
expect_err "error: cannot open '$tmp/missing.csv': No such file or directory"
expect_exit 2 ca import
expect_err "error: no file to import"
expect_exit 2 ca import "$tmp/ok.csv" --bogus
expect_err "error: unknown option '--bogus'"
expect_exit 2 ca import "$tmp/ok.csv" --encoding latin1
expect_exit 2 ca frobnicate
expect_err "error: unknown command 'frobnicate'"
expect_exit 0 ca import --help
expect_out "usage: caseaudit import FILE..."
pass
