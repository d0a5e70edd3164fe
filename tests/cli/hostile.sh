#!/usr/bin/env bash
# Hostile input (SPEC §3, §10): very long fields, NUL bytes, invalid UTF-8, a header
# repeated mid-file, 100,000 columns, an empty line in the middle, formula cells.
# Each is refused cleanly (exit 1, a message, the database unchanged) or handled as
# the spec says; never a crash or a partial write.
source "$SRC/tests/cli/lib.sh"
printf 'case_id,date_of_birth,plan_type,team,worker\n1,01/01/2015,CP,North,Ann\n' > "$tmp/ok.csv"
expect_exit 0 ca import "$tmp/ok.csv" --as-of 01/11/2026 --no-team

refuse() { snapshot_db; expect_exit 1 ca import "$tmp/bad.csv" --as-of 01/11/2026 --no-team; expect_err "$1"; expect_db_unchanged; }

python3 -c "import sys; sys.stdout.write('case_id,date_of_birth,plan_type\n2,01/01/2015,CP\n3,01/01/2015,' + 'C' * 2000000 + '\n')" > "$tmp/bad.csv"
refuse "bad.csv:3: the line is longer than 1048576 bytes"
python3 -c "import sys; sys.stdout.write('case_id,date_of_birth,plan_type,note\n2,01/01/2015,CP,\"' + 'x' * 900000 + '\"\n')" > "$tmp/bad.csv"
expect_exit 0 ca import "$tmp/bad.csv" --as-of 03/11/2026 --no-team    # a long field in a column not used is fine
expect_err 'columns not used: "note"'
printf 'case_id,date_of_birth,plan_type\n2,01/01/2015,C\0P\n' > "$tmp/bad.csv"
refuse "bad.csv:2: the line holds a NUL byte"
printf 'case_id,date_of_birth,plan_type\n2,01/01/2015,CP\n3,01/01/2015,\xff\xfe\n' > "$tmp/bad.csv"
refuse 'bad.csv:3: column "plan_type": unknown plan type' # not UTF-8: read as Windows-1252, "ÿþ"
printf 'case_id,date_of_birth,plan_type\n2,01/01/2015,CP\ncase_id,date_of_birth,plan_type\n3,01/01/2015,CP\n' > "$tmp/bad.csv"
refuse 'bad.csv:3: column "date_of_birth": not a date'
python3 -c "import sys; sys.stdout.write(','.join('c%d' % i for i in range(100000)) + '\n')" > "$tmp/bad.csv"
refuse "bad.csv:1: more than 2000 fields in one record"
printf 'case_id,date_of_birth,plan_type\n2,01/01/2015,CP\n\n\n3,01/01/2016,CIN\n,,\n' > "$tmp/empty-lines.csv"
expect_exit 0 ca import "$tmp/empty-lines.csv" --as-of 01/11/2026 --no-team
expect_out "Rows read 2, cases 2"

# Formula-safe CSV wherever caseaudit writes CSV for people; read back without the quote.
printf 'case_id,date_of_birth,plan_type,team,worker\n=1+1,01/01/2015,CP,@SUM(A1),-Worker\n' > "$tmp/formula.csv"
expect_exit 0 ca import "$tmp/formula.csv" --as-of 04/11/2026 --no-team   # the latest: the greatest as-of date
expect_exit 0 ca sample F --size 1 --seed 1 --strata plan
expect_exit 0 ca list F --format csv
expect_out "F,\"'=1+1\",CP,"
expect_out "\"'@SUM(A1)\",\"'-Worker\""
printf 'name,roles\nAnn,auditor\n' > "$tmp/people.csv"; expect_exit 0 ca people import "$tmp/people.csv"   # the register (SPEC §6)
printf 'case_id,grade,auditor,audit_date\n"'"'"'=1+1",Good,Ann,20/11/2026\n' > "$tmp/ret.csv"
expect_exit 0 ca grade F --file "$tmp/ret.csv"
[ "$(q "SELECT case_id FROM audit")" = "=1+1" ] || fail "the formula quote was not stripped on reading"
expect_exit 0 ca history --format csv
grep -q "^\"'" "$tmp/out" || grep -q ",\"'=1+1\"" "$tmp/out" || fail "history CSV is not formula-safe"
expect_exit 0 ca actions --format csv
pass
