#!/usr/bin/env bash
# Recording grades (SPEC §7): one case, the returned list in any column order with
# CRLF and formula quotes, blank grades skipped, corrections kept in the history,
# domains, actions, and every refusal with nothing written.
source "$SRC/tests/cli/lib.sh"
{ echo "case_id,date_of_birth,plan_type,team,worker"
  for i in $(seq 1 30); do echo "C$i,01/01/2015,CIN,Team $((i % 3)),Worker $((i % 4))"; done; } > "$tmp/cases.csv"
printf 'name,team\nAnn,\nBob,\n' > "$tmp/auditors.csv"
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/11/2026
expect_exit 0 ca sample 2026-11 --size 10 --strata plan --seed 7 --due 30/11/2026
expect_exit 0 ca assign 2026-11 --auditors "$tmp/auditors.csv"
# The register (SPEC §6): Ann and Bob audit; Tess is in Team 1; "Worker 2" also audits.
printf 'name,team,roles\nAnn,,auditor\nBob,,auditor\nTess,Team 1,auditor\nWorker 2,,auditor\nMo,,manager\n' > "$tmp/people.csv"
expect_exit 0 ca people import "$tmp/people.csv"
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
expect_err "already has a different grade in round 2026-11: to change it, record the new one as a correction (--correct"
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
expect_out "Round 2026-11: 3 grades recorded, 0 corrected, 0 unchanged, 7 rows without a grade skipped (not audited yet); 1 action raised"
[ "$(q "SELECT note FROM audit WHERE case_id = '${cases[3]}'")" = "=SUM(A1)" ] || fail "formula quote not stripped"
[ "$(q "SELECT auditor FROM audit WHERE case_id = '${cases[4]}'")" = "$(q "SELECT auditor FROM round_case WHERE case_id = '${cases[4]}'")" ] ||
  fail "the auditor column was not used"

# The same file again (auditors send back the whole sheet): nothing differs, so nothing is written.
snapshot_db
expect_exit 0 ca grade 2026-11 --file "$tmp/return.csv"
expect_out "Round 2026-11: 0 grades recorded, 0 corrected, 3 unchanged, 7 rows without a grade skipped"
expect_db_unchanged
# One row changed without the correct column: refused, naming the row; with it, only that row is written.
sed 's/,Good,'"${cases[3]}"',/,Outstanding,'"${cases[3]}"',/' "$tmp/return.csv" > "$tmp/changed.csv"
grep -q "Outstanding,${cases[3]}" "$tmp/changed.csv" || fail "the test's edit of the return did not apply"
snapshot_db
expect_exit 1 ca grade 2026-11 --file "$tmp/changed.csv"
expect_err 'changed.csv:'
expect_err 'column "grade": case "'"${cases[3]}"'" already has a different grade'
expect_db_unchanged
awk '{ sub(/\r$/, "") } NR == 1 { print $0 ",correct\r"; next } { print $0 ",yes\r" }' "$tmp/changed.csv" > "$tmp/correct.csv"
expect_exit 0 ca grade 2026-11 --file "$tmp/correct.csv"
expect_out "0 grades recorded, 1 corrected, 2 unchanged"
[ "$(q "SELECT grade FROM audit_current WHERE case_id = '${cases[3]}'")" = 1 ] || fail "the correction did not count"

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
expect_err "not an .xlsx workbook (the file is not a zip archive)"

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
# ---- Everyday mistakes (issue 14), each refused with nothing written or handled as SPEC §7 says ----
# ungraded CONDITION: an ungraded case of the round meeting an SQL condition on round_case
ungraded() { q "SELECT case_id FROM round_case rc WHERE round_id = 1 AND NOT EXISTS (SELECT 1 FROM audit a
  WHERE a.round_id = 1 AND a.case_id = rc.case_id) AND $1 ORDER BY seq LIMIT 1"; }
own_team=$(ungraded "team = 'Team 1' AND worker <> 'Worker 2'")
own_case=$(ungraded "worker = 'Worker 2' AND team <> 'Team 1'")
[ -n "$own_team" ] && [ -n "$own_case" ] || fail "the fixture lacks a Team 1 case or a Worker 2 case"
# An auditor of the case's own team, on the command line and in a file.
refuse grade 2026-11 "$own_team" --grade Good --auditor Tess --date 20/11/2026
expect_err "Tess is in team Team 1, the team that holds case \"$own_team\": nobody audits their own team's cases"
printf 'case_id,grade,auditor,audit_date\n%s,Good,Tess,20/11/2026\n' "$own_team" > "$tmp/own.csv"
snapshot_db; expect_exit 1 ca grade 2026-11 --file "$tmp/own.csv"; expect_db_unchanged
expect_err "own.csv:2: column \"auditor\": Tess is in team Team 1"
# The case's own worker (spelt in another case, with extra spaces).
refuse grade 2026-11 "$own_case" --grade Good --auditor "  worker   2 " --date 20/11/2026
expect_err "Worker 2 is the allocated worker of case \"$own_case\": nobody audits their own case"
# A typo in a name: refused with the nearest names, no new auditor appears anywhere.
refuse grade 2026-11 "$own_team" --grade Good --auditor "Anne" --date 20/11/2026
expect_err '"Anne" is not in the people register (did you mean "Ann"?)'
expect_err "caseaudit people import FILE"
refuse grade 2026-11 "$own_team" --grade Good --auditor "   " --date 20/11/2026
expect_err "--auditor is blank: give the name of the auditor"
# A manager without the auditor role; a disabled auditor.
refuse grade 2026-11 "$own_team" --grade Good --auditor Mo --date 20/11/2026
expect_err "Mo does not have the auditor role in the people register (their roles: manager)"
# A stand-in: allowed, recorded as such (the audit's stand_in column and the event log), in the register's spelling.
stand=$(ungraded "team <> 'Team 1' AND worker <> 'Worker 2' AND auditor = 'Ann'")
expect_exit 0 ca grade 2026-11 "$stand" --grade Good --auditor " bob " --date 20/11/2026 --note "   "
expect_out "graded Good by Bob on 20/11/2026 (a stand-in: not the allocated auditor)"
[ "$(q "SELECT auditor || '|' || stand_in || '|' || coalesce(note, 'no note') FROM audit_current WHERE case_id = '$stand'")" = "Bob|1|no note" ] ||
  fail "the stand-in was not recorded as such (or a blank note was kept)"
expect_exit 0 ca history "$stand"
expect_out "graded Good by Bob, audited 20/11/2026, standing in for Ann"
# The allocated auditor is no stand-in.
own=$(ungraded "team <> 'Team 1' AND worker <> 'Worker 2'")
who=$(q "SELECT auditor FROM round_case WHERE round_id = 1 AND case_id = '$own'")
expect_exit 0 ca grade 2026-11 "$own" --grade Good --auditor "$who" --date 20/11/2026
[ "$(q "SELECT stand_in FROM audit_current WHERE case_id = '$own'")" = 0 ] || fail "the allocated auditor counted as a stand-in"
# Identical single-case return: unchanged, nothing written.
snapshot_db
expect_exit 0 ca grade 2026-11 "$own" --grade Good --auditor "${who,,}" --date 20/11/2026
expect_out "unchanged (already recorded as Good by $who on 20/11/2026)"
expect_db_unchanged
expect_exit 0 ca people disable BOB
expect_out "Bob disabled"
refuse grade 2026-11 "$own_team" --grade Good --auditor Bob --date 20/11/2026
expect_err "Bob is disabled in the people register"

# Blank audit dates in a file: refused (the quarter an audit counts in depends on it) unless --date fills them.
a=$(ungraded "team <> 'Team 1' AND worker <> 'Worker 2'")
printf 'case_id,grade,auditor,audit_date\n%s,Good,Ann,\n' "$a" > "$tmp/blank.csv"
snapshot_db; expect_exit 1 ca grade 2026-11 --file "$tmp/blank.csv"; expect_db_unchanged
expect_err 'blank.csv:2: column "audit_date": the audit date is blank: give the date of the audit'
expect_err "or --date DATE to fill the blanks"
expect_exit 0 ca grade 2026-11 --file "$tmp/blank.csv" --date 19/11/2026
expect_out "1 grade recorded, 0 corrected, 0 unchanged, 0 rows without a grade skipped (not audited yet); 0 actions raised; 1 graded by a stand-in; 1 blank audit date filled with --date"
[ "$(q "SELECT audit_date FROM audit_current WHERE case_id = '$a'")" = 2026-11-19 ] || fail "--date did not fill the blank"

# The wrong kind of return names the right command.
printf 'round,case_id,auditor,audited_grade,moderated_grade,moderator\n2026-11,%s,Ann,Good,Good,Mo\n' "$a" > "$tmp/mod.csv"
snapshot_db; expect_exit 1 ca grade 2026-11 --file "$tmp/mod.csv"; expect_db_unchanged
expect_err "mod.csv:1: this is a moderation list (it has a moderated_grade column and no grade column): record it with 'caseaudit moderate 2026-11 --file"
pass
