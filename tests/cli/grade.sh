#!/usr/bin/env bash
# Recording grades (SPEC §7): one case, the returned list in any column order with
# CRLF and formula quotes, blank grades skipped, corrections kept in the history,
# domains, actions, and every refusal with nothing written.
source "$SRC/tests/cli/lib.sh"
{ echo "case_id,date_of_birth,plan_type,team,worker"
  for i in $(seq 1 30); do echo "C$i,01/01/2015,CIN,Team $((i % 3)),Worker $((i % 4))"; done; } > "$tmp/cases.csv"
printf 'name,team\nAnn,Team 9\nBob,Team 8\n' > "$tmp/auditors.csv"
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/11/2026
expect_exit 0 ca sample 2026-11 --size 10 --strata plan --seed 7 --due 30/11/2026
expect_exit 0 ca assign 2026-11 --auditors "$tmp/auditors.csv"
cases=($(q "SELECT case_id FROM round_case ORDER BY seq"))

# One case, every spelling of a grade.
expect_exit 0 ca grade 2026-11 "${cases[0]}" --grade "Requires improvement to be good" --auditor Ann \
  --date 20/11/2026 --domain voice=G --domain "Planning=RI" --action "Update the plan" --due 01/12/2026 --note "first"
expect_out "Round 2026-11, case ${cases[0]}: graded Requires improvement by Ann on 20/11/2026"
[ "$(q "SELECT grade || auditor || audit_date FROM audit")" = "3Ann2026-11-20" ] || fail "audit stored wrongly"
[ "$(q "SELECT group_concat(domain || grade, ',') FROM audit_domain")" = "voice2,planning3" ] || fail "domains"
[ "$(q "SELECT text || '|' || owner || '|' || due FROM action")" = "Update the plan|$(q "SELECT worker FROM round_case WHERE case_id = '${cases[0]}'")|2026-12-01" ] ||
  fail "action owner should default to the allocated worker"
for spelling in Good G good 2; do
  expect_exit 0 ca grade 2026-11 "${cases[1]}" --grade "$spelling" --auditor Bob --date 21/11/2026 --correct
done

# Refusals: exit 1, nothing written.
refuse() { snapshot_db; expect_exit 1 ca "$@"; expect_db_unchanged; }
refuse grade 2026-11 NOT-ON-LIST --grade Good --auditor Ann
expect_err 'case "NOT-ON-LIST" is not on the list of round 2026-11'
refuse grade 2026-11 "${cases[2]}" --grade Good --auditor Ann --date 25/11/2026
expect_err "the audit date 25/11/2026 is in the future (today is 24/11/2026)"
refuse grade 2026-11 "${cases[2]}" --grade Good --auditor Ann --date 31/10/2026
expect_err "the audit date 31/10/2026 is before 01/11/2026, the as-of date of round 2026-11's case list"
refuse grade 2026-11 "${cases[2]}" --grade excellent --auditor Ann
expect_err '--grade "excellent": not a grade; expected Outstanding, Good, Requires improvement or Inadequate'
refuse grade 2026-11 "${cases[2]}" --grade Good --auditor Ann --domain culture=Good
expect_err 'unknown domain "culture": the domains are voice, assessment, planning, oversight, timeliness'
refuse grade 2026-11 "${cases[0]}" --grade Good --auditor Ann --date 22/11/2026
expect_err "already has a grade in round 2026-11: to change it, record the new one as a correction (--correct"
refuse grade 2026-11 "${cases[2]}" --grade Good --auditor Ann --date 31/02/2026
refuse grade NOPE "${cases[2]}" --grade Good --auditor Ann
expect_err "there is no round 'NOPE'"
expect_exit 2 ca grade 2026-11 "${cases[2]}" --auditor Ann
expect_err "--grade is required"
expect_exit 2 ca grade 2026-11 "${cases[2]}" --grade Good
expect_err "--auditor is required"

# A correction: the latest counts, the earlier stays and shows in the history.
expect_exit 0 ca grade 2026-11 "${cases[0]}" --grade Inadequate --auditor Ann --date 22/11/2026 --correct
expect_out "corrected to Inadequate"
[ "$(q "SELECT count(*) FROM audit WHERE case_id = '${cases[0]}'")" = 2 ] || fail "the earlier grade was not kept"
expect_exit 0 ca history "${cases[0]}"
expect_out "graded Requires improvement by Ann, audited 20/11/2026"
expect_out "corrected to Inadequate by Ann, audited 22/11/2026 (replaces audit 1)"
expect_out "drawn for round 2026-11"
expect_out "assigned to "
expect_exit 0 ca history --format json
expect_out '"by": "tester"'
expect_exit 1 ca history NOBODY
expect_err "nothing is recorded for case 'NOBODY'"

# The returned list: exported, filled in, columns reordered, CRLF, a formula-quoted note.
expect_exit 0 ca list 2026-11 --format csv -o "$tmp/list.csv"
python3 - "$tmp/list.csv" "$tmp/return.csv" "${cases[3]}" "${cases[4]}" "${cases[5]}" <<'PY'
import csv, sys
src, dst, a, b, c = sys.argv[1:]
rows = list(csv.DictReader(open(src, newline='')))
fields = ['note', 'grade', 'case_id', 'audit_date', 'domain:voice', 'action', 'action_due', 'round', 'auditor']
with open(dst, 'w', newline='') as f:
    w = csv.DictWriter(f, fieldnames=fields, extrasaction='ignore', lineterminator='\r\n')
    w.writeheader()
    for r in rows:
        if r['case_id'] == a: r.update(grade='Good', audit_date='23/11/2026', note="'=SUM(A1)")
        if r['case_id'] == b: r.update(grade='RI', audit_date='2026-11-23', **{'domain:voice': 'Inadequate'},
                                       action='Visit within a week', action_due='20/11/2026')
        if r['case_id'] == c: r.update(grade='inadequate', audit_date='23 Nov 2026')
        w.writerow(r)
PY
expect_exit 0 ca grade 2026-11 --file "$tmp/return.csv"
expect_out "Round 2026-11: 3 grades recorded, 0 corrected, 7 rows without a grade skipped (not audited yet); 1 action raised"
[ "$(q "SELECT note FROM audit WHERE case_id = '${cases[3]}'")" = "=SUM(A1)" ] || fail "formula quote not stripped"
[ "$(q "SELECT auditor FROM audit WHERE case_id = '${cases[4]}'")" = "$(q "SELECT auditor FROM round_case WHERE case_id = '${cases[4]}'")" ] ||
  fail "the auditor column was not used"

# The same file again is refused (second grades need the correct column), nothing written.
snapshot_db
expect_exit 1 ca grade 2026-11 --file "$tmp/return.csv"
expect_err 'return.csv:'
expect_err 'column "grade": case "'"${cases[3]}"'" already has a grade'
expect_db_unchanged
awk '{ sub(/\r$/, "") } NR == 1 { print $0 ",correct\r"; next } { print $0 ",yes\r" }' "$tmp/return.csv" > "$tmp/correct.csv"
expect_exit 0 ca grade 2026-11 --file "$tmp/correct.csv"
expect_out "0 grades recorded, 3 corrected"

# Malformed returns.
refuse_file() { printf '%b' "$1" > "$tmp/bad.csv"; snapshot_db; expect_exit 1 ca grade 2026-11 --file "$tmp/bad.csv"; \
  expect_err "$2"; expect_db_unchanged; }
refuse_file "case_id,grade\n${cases[6]},Excellent\n" 'bad.csv:2: column "grade": not a grade'
refuse_file "case_id,grade,audit_date\n${cases[6]},Good,11/25/2026\n" 'bad.csv:2: column "audit_date": the month is over 12'
refuse_file "case_id,grade,domain:culture\n${cases[6]},Good,Good\n" 'bad.csv:1: column "domain:culture": unknown domain "culture"'
refuse_file "case_id,auditor\n${cases[6]},Ann\n" 'bad.csv:1: column "grade": required column missing'
refuse_file "case_id,grade\n${cases[6]},Good,extra\n" 'bad.csv:2: the row has 3 fields where the header has 2'
refuse_file "case_id,grade\n${cases[6]},Good\n${cases[6]},Good\n" 'bad.csv:3: column "case_id": case "'"${cases[6]}"'" appears twice'
refuse_file "round,case_id,grade\n2026-10,${cases[6]},Good\n" 'this row is for round 2026-10, not 2026-11'
refuse_file "case_id,grade\n${cases[6]},\"Good\n" 'a quoted field is never closed'
printf 'x' > "$tmp/return.xlsx"
expect_exit 1 ca grade 2026-11 --file "$tmp/return.xlsx"
expect_err "in Excel use File > Save As > CSV UTF-8"

# Actions: open and overdue.
expect_exit 0 ca actions --overdue
expect_out "Visit within a week"
expect_no_out "Update the plan"
expect_exit 0 ca actions --format json
expect_out '"action": "Update the plan"'
expect_exit 0 ca action done 1 --date 23/11/2026
expect_out "Action 1 done on 23/11/2026"
expect_exit 1 ca action done 1
expect_err "action 1 was already marked done"
expect_exit 1 ca action done 99
expect_err "there is no action 99"
expect_exit 0 ca actions --open
expect_no_out "Update the plan"

# Domains.
expect_exit 0 ca domains add culture "Culture and identity"
expect_exit 0 ca domains
expect_out "culture     Culture and identity"
expect_exit 1 ca domains add voice "Again"
expect_exit 1 ca domains add "Bad Code" "x"

# Progress and exclusion from the next draw.
expect_exit 0 ca rounds
expect_out "2026-11         1  01/11/2026  0000000000000007  30/11/2026       10       5        0          0"
expect_exit 0 ca sample 2026-12 --size 5 --strata plan --seed 8
expect_out "excluded 5 audited within 12 months, 5 on a round still being graded; eligible 20"
pass
