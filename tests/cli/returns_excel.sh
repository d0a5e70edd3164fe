#!/usr/bin/env bash
# Returns that have been through Excel on Windows: Windows-1252 text, and numeric
# case ids whose leading zeros Excel dropped.
source "$SRC/tests/cli/lib.sh"
printf 'case_id,date_of_birth,plan_type,team,worker\n000123,01/01/2015,CP,North,Ann\n000456,01/01/2016,CIN,North,Ann\n' > "$tmp/cases.csv"
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/11/2026
expect_exit 0 ca sample 2026-11 --size 2 --strata plan --seed 1
printf 'name,roles\nRen\xc3\xa9e,auditor\nJos\xc3\xa9,manager\n' > "$tmp/people.csv"; expect_exit 0 ca people import "$tmp/people.csv"   # the register (SPEC §6)

# Saved by Excel as "CSV (Comma delimited)": cp1252, an e-acute and a curly apostrophe.
printf 'case_id,grade,auditor,audit_date,note\n000123,Good,Ren\xe9e,20/11/2026,Child\x92s views recorded\n' > "$tmp/win.csv"
# Read as it is (not UTF-8, so Windows-1252); forcing UTF-8 refuses it and says why.
snapshot_db
expect_exit 1 ca grade 2026-11 --file "$tmp/win.csv" --encoding utf-8
expect_err 'win.csv:2: not valid UTF-8 (byte 0xe9) in column "auditor", though --encoding utf-8 was given'
expect_db_unchanged
expect_exit 0 ca grade 2026-11 --file "$tmp/win.csv"
[ "$(q "SELECT auditor || '|' || note FROM audit")" = "Renée|Child’s views recorded" ] || fail "cp1252 not converted"
expect_exit 2 ca grade 2026-11 --file "$tmp/win.csv" --encoding latin9
expect_exit 0 ca grade 2026-11 --file "$tmp/win.csv" --encoding CP1252   # any case; identical to what is recorded
expect_out "1 unchanged"

printf 'round,case_id,moderated_grade,moderator,moderation_date,reason\n2026-11,000123,Good,Jos\xe9,21/11/2026,\n' > "$tmp/mod.csv"
expect_exit 1 ca moderate 2026-11 --file "$tmp/mod.csv" --encoding utf-8
expect_exit 0 ca moderate 2026-11 --file "$tmp/mod.csv"
[ "$(q "SELECT moderator FROM moderation")" = "José" ] || fail "cp1252 moderator not converted"

# Leading zeros lost in a spreadsheet: refused, with the likely cause.
printf 'case_id,grade,auditor,audit_date\n456,Good,Ann,20/11/2026\n' > "$tmp/zeros.csv"
snapshot_db
expect_exit 1 ca grade 2026-11 --file "$tmp/zeros.csv"
expect_err 'zeros.csv:2: column "case_id": case "456" is not on the list of round 2026-11 (the list has "000456": did a spreadsheet drop its leading zeros?)'
expect_db_unchanged
pass
