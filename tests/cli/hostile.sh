#!/usr/bin/env bash
# Hostile input (SPEC §3, §10): very long fields, NUL bytes, invalid UTF-8, a header
# repeated mid-file, 100,000 columns, an empty line in the middle, formula cells.
# Each is refused cleanly (exit 1, a message, the database unchanged) or handled as
# the spec says; never a crash or a partial write. Every command asserts its exact
# exit status, and the database: unchanged after a refusal or a read, or holding
# exactly the rows a successful write adds.
source "$SRC/tests/cli/lib.sh"
# read_only ARGS...: caseaudit ARGS exits 0 and leaves the database as it was
read_only() { snapshot_db; expect_exit 0 ca "$@"; expect_db_unchanged; }
# snapshots_are "ID:CASES,...": the snapshots and their case counts, as each import should leave them
snapshots_are() { local got; got=$(q "SELECT group_concat(id || ':' || cases) FROM snapshot")
                  [ "$got" = "$1" ] || fail "snapshots are '$got', expected '$1'"; }

printf 'case_id,date_of_birth,plan_type,team,worker\n1,01/01/2015,CP,North,Ann\n' > "$tmp/ok.csv"
expect_exit 0 ca import "$tmp/ok.csv" --as-of 01/11/2026 --no-team
snapshots_are 1:1

refuse() { snapshot_db; expect_exit 1 ca import "$tmp/bad.csv" --as-of 01/11/2026 --no-team; expect_err "$1"; expect_db_unchanged; }

python3 -c "import sys; sys.stdout.write('case_id,date_of_birth,plan_type\n2,01/01/2015,CP\n3,01/01/2015,' + 'C' * 2000000 + '\n')" > "$tmp/bad.csv"
refuse "bad.csv:3: the line is longer than 1048576 bytes"
python3 -c "import sys; sys.stdout.write('case_id,date_of_birth,plan_type,note\n2,01/01/2015,CP,\"' + 'x' * 900000 + '\"\n')" > "$tmp/bad.csv"
expect_exit 0 ca import "$tmp/bad.csv" --as-of 03/11/2026 --no-team    # a long field in a column not used is fine
expect_err 'columns not used: "note"'
snapshots_are 1:1,2:1
[ "$(q "SELECT count(*) FROM snapshot_case WHERE snapshot_id = 2 AND case_id = '2'")" = 1 ] || fail "case 2 is not in snapshot 2"
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
snapshots_are 1:1,2:1,3:2

# Formula-safe CSV wherever caseaudit writes CSV for people; read back without the quote.
printf 'case_id,date_of_birth,plan_type,team,worker\n=1+1,01/01/2015,CP,@SUM(A1),-Worker\n' > "$tmp/formula.csv"
expect_exit 0 ca import "$tmp/formula.csv" --as-of 04/11/2026 --no-team   # the latest: the greatest as-of date
snapshots_are 1:1,2:1,3:2,4:1
[ "$(q "SELECT case_id || '|' || team || '|' || worker FROM snapshot_case WHERE snapshot_id = 4")" = '=1+1|@SUM(A1)|-Worker' ] ||
  fail "the formula-like cells were not stored as given"
expect_exit 0 ca sample 2026-11 --size 1 --seed 1 --strata plan
[ "$(q "SELECT group_concat(case_id) FROM round_case")" = "=1+1" ] || fail "round 2026-11 does not hold exactly the case =1+1"
read_only list 2026-11 --format csv
expect_out "2026-11,\"'=1+1\",CP,"
expect_out "\"'@SUM(A1)\",\"'-Worker\""
printf 'name,roles\nAnn,auditor\n' > "$tmp/people.csv"; expect_exit 0 ca people import "$tmp/people.csv"   # the register (SPEC §6)
# the return quotes the case id as the list did, and raises an action whose text looks like a formula
printf 'case_id,grade,auditor,audit_date,action,action_due\n"'"'"'=1+1",Good,Ann,20/11/2026,"=HYPERLINK(""x"")",01/12/2026\n' \
  > "$tmp/ret.csv"
expect_exit 0 ca grade 2026-11 --file "$tmp/ret.csv"
[ "$(q "SELECT case_id FROM audit")" = "=1+1" ] || fail "the formula quote was not stripped on reading"
[ "$(q "SELECT text FROM action")" = '=HYPERLINK("x")' ] || fail "the action's text was not stored as given"
read_only history --format csv
expect_out "2026-11-24T12:00:00Z,tester,sample,2026-11,\"'=1+1\",\"drawn for round 2026-11"
expect_out "2026-11-24T12:00:00Z,tester,grade,2026-11,\"'=1+1\",\"graded Good by Ann, audited 20/11/2026;"
read_only actions --format csv
[ "$(tr -d '\r' < "$tmp/out")" = "id,round,case_id,action,owner,due,done,raised_by
1,2026-11,\"'=1+1\",\"'=HYPERLINK(\"\"x\"\")\",\"'-Worker\",2026-12-01,,Ann" ] || fail "actions CSV is not formula-safe"
pass
