#!/usr/bin/env bash
# Drawing the audit list (SPEC §5): reproducible from the seed whatever the row order,
# the exclusions, the redraw rules, the exports, and each refusal (exit 1, nothing written).
source "$SRC/tests/cli/lib.sh"

# 60 cases over three plan types and two age bands; the same rows in two orders.
{ echo "case_id,date_of_birth,plan_type,team,worker"
  for i in $(seq 1 60); do
    case $((i % 3)) in 0) p=CP ;; 1) p=CIN ;; *) p=CLA ;; esac
    if [ $((i % 2)) = 0 ]; then dob=01/01/2020; else dob=01/01/2012; fi
    echo "C$i,$dob,$p,Team $((i % 4)),Worker $((i % 5))"
  done; } > "$tmp/cases.csv"
{ head -1 "$tmp/cases.csv"; tail -n +2 "$tmp/cases.csv" | sort -r; } > "$tmp/reversed.csv"

expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/11/2026
expect_exit 0 ca sample 2026-11 --size 12 --seed 1234 --due 30/11/2026
expect_out "Round 2026-11: 12 cases drawn from snapshot 1 (as at 01/11/2026), seed 1234 = 0x00000000000004d2"
expect_out "Population 60 open cases; excluded 0 audited within 12 months, 0 on a round still being graded; eligible 60"
expect_out "CIN|5-9     10    2"
expect_exit 0 ca list 2026-11 --format csv
cut -d, -f2 "$tmp/out" > "$tmp/list1"

"$CASEAUDIT" --db "$tmp/b.db" import "$tmp/reversed.csv" --as-of 01/11/2026 >/dev/null
"$CASEAUDIT" --db "$tmp/b.db" sample 2026-11 --size 12 --seed 0x4d2 >/dev/null
"$CASEAUDIT" --db "$tmp/b.db" list 2026-11 --format csv | cut -d, -f2 > "$tmp/list2"
cmp -s "$tmp/list1" "$tmp/list2" || fail "the same seed gave another list when the rows were in another order"
[ "$(wc -l < "$tmp/list1")" = 13 ] || fail "expected 12 cases and a header"

# Anyone can re-derive the list: keys are stored and ordered within each stratum.
[ "$(q "SELECT count(*) FROM round_case rc WHERE EXISTS (SELECT 1 FROM round_case x WHERE x.round_id = rc.round_id
        AND x.stratum = rc.stratum AND x.seq > rc.seq AND x.sort_key < rc.sort_key)")" = 0 ] ||
  fail "cases are not in key order within their strata"
[ "$(q "SELECT probability || ' ' || weight FROM round_case WHERE stratum = 'CIN|5-9' LIMIT 1")" = "0.2 5.0" ] ||
  fail "probability or weight wrong"

# Exports: JSON per §5, CSV with the columns to fill in, formula-safe; files written 0600.
expect_exit 0 ca list 2026-11 --format json
expect_out '{"round": "2026-11", "seed": "00000000000004d2", "snapshot": 1, "strata": [{"stratum": "CIN|5-9", "N": 10, "n": 2},'
expect_out '"due": "2026-11-30", "stratum": "CIN|5-9", "probability": 0.2, "weight": 5}'
expect_out '"cases": [{"case_id": "'
expect_exit 0 ca list 2026-11 --format csv -o "$tmp/list.csv"
[ "$(stat -c %a "$tmp/list.csv")" = 600 ] || fail "list file not 0600"
head -1 "$tmp/list.csv" | grep -qF "round,case_id,plan_type,age_band,team,worker,auditor,due,stratum,grade,audit_date,domain:voice,domain:assessment,domain:planning,domain:oversight,domain:timeliness,action,action_due,note" || fail "list CSV header: $(head -1 "$tmp/list.csv")"
[ -z "$(ls "$tmp" | grep tmp-)" ] || fail "a temporary file was left behind"
expect_exit 0 ca list 2026-11 --format xlsx -o "$tmp/list.xlsx"
[ "$(head -c 2 "$tmp/list.xlsx")" = PK ] || fail "not an xlsx file"
[ "$(stat -c %a "$tmp/list.xlsx")" = 600 ] || fail "xlsx not 0600"
expect_exit 0 ca list 2026-11 --format md
expect_out "| round | case_id | plan_type |"
expect_out "| 30/11/2026 |"
expect_exit 2 ca list 2026-11 --format xlsx
expect_err "--format xlsx needs -o FILE"

# Redraw rules.
snapshot_db
expect_exit 1 ca sample 2026-11 --size 12 --seed 1
expect_err "round 2026-11 has already been drawn: give --replace to draw it again"
expect_db_unchanged
expect_exit 0 ca sample 2026-11 --size 12 --seed 99 --replace
expect_out "seed 99 = 0x0000000000000063"
[ "$(q "SELECT count(*) FROM round")" = 1 ] || fail "--replace left two rounds"

# A round with ungraded cases keeps them out of the next draw.
expect_exit 0 ca sample 2026-12 --size 6 --seed 5 --due 20/11/2026
expect_out "excluded 0 audited within 12 months, 12 on a round still being graded; eligible 48"
[ "$(q "SELECT count(*) FROM round_case a JOIN round_case b ON a.case_id = b.case_id AND a.round_id < b.round_id")" = 0 ] ||
  fail "a case on an ungraded round was drawn again"

# A graded case is excluded for the window; a graded round can never be redrawn.
q "INSERT INTO audit(round_id, case_id, grade, auditor, audit_date, entered_at, entered_by)
   SELECT round_id, case_id, 2, 'A', '2026-11-10', 'x', 'x' FROM round_case WHERE round_id = (SELECT id FROM round WHERE label = '2026-11')"
snapshot_db
expect_exit 1 ca sample 2026-11 --size 12 --seed 1 --replace
expect_err "round 2026-11 has 12 grades recorded: a round with grades can never be redrawn"
expect_db_unchanged
expect_exit 0 ca sample 2027-01 --size 6 --seed 5 --exclude-audited-within 12
expect_out "excluded 12 audited within 12 months, 6 on a round still being graded; eligible 42"
expect_exit 0 ca sample 2027-02 --size 6 --seed 5 --exclude-audited-within 0
expect_out "excluded 0 audited within 0 months, 12 on a round still being graded"

# Other designs.
expect_exit 0 ca sample 2027-03 --size 8 --strata team --alloc equal --seed 3 --exclude-audited-within 0
expect_out "Team 2    11    2"
expect_exit 0 ca sample 2027-04 --size 8 --strata plan --alloc neyman --seed 3
printf 'stratum,n\nCP,2\nCLA,1\n' > "$tmp/fixed.csv"
expect_exit 0 ca sample 2027-05 --alloc fixed:"$tmp/fixed.csv" --strata plan --seed 3 --exclude-audited-within 0
expect_out "Round 2027-05: 3 cases drawn"
expect_exit 0 ca sample 2027-06 --size 6 --age-bands 0,10 --seed 3 --exclude-audited-within 0
expect_out "CIN|0-9"

# Refusals: exit 1, nothing written.
refuse() { snapshot_db; expect_exit 1 ca "$@"; expect_db_unchanged; }
refuse sample 2027-09 --size 500 --seed 1 --exclude-audited-within 0
expect_err "--size 500 is more than the 17 eligible cases"
refuse sample 2027-09 --size 3 --min-per-stratum 1 --seed 1 --exclude-audited-within 0
expect_err "--min-per-stratum 1 over 6 strata needs 6 cases, more than --size 3"
printf 'stratum,n\nEH,2\n' > "$tmp/fixed2.csv"
refuse sample 2027-09 --alloc fixed:"$tmp/fixed2.csv" --strata plan --seed 1 --exclude-audited-within 0
expect_err 'fixed2.csv:2: column "stratum": no eligible cases in a stratum "EH"'
printf 'stratum,n\nCP,200\n' > "$tmp/fixed3.csv"
refuse sample 2027-09 --alloc fixed:"$tmp/fixed3.csv" --strata plan --seed 1 --exclude-audited-within 0
expect_err 'fixed3.csv:2: column "n": 200 is more than the 7 eligible cases of CP'
refuse sample 2027-09 --size 5 --snapshot 9 --seed 1
expect_err "there is no snapshot 9"
refuse sample 2027-09 --size 5 --seed banana
expect_err '--seed "banana": expected a 64-bit number'
refuse sample 2027-09 --size 5 --due 31/02/2027
refuse list NOPE
expect_err "there is no round 'NOPE'"
expect_exit 2 ca sample 2027-09 --size 5 --strata region
expect_exit 2 ca sample 2027-09 --size 5 --alloc random
expect_exit 2 ca sample X
expect_err "--size is required"
expect_exit 2 ca sample --size 5

expect_exit 0 ca rounds --format json
expect_out '{"round": "2026-11", "snapshot": 1, "as_of": "2026-11-01", "seed": "0000000000000063", "due": null, "sampled": 12, "graded": 12, "overdue": 0, "moderated": 0, "theme": null}, {"round": "2026-12", "snapshot": 1, "as_of": "2026-11-01", "seed": "0000000000000005", "due": "2026-11-20", "sampled": 6, "graded": 0, "overdue": 6, "moderated": 0, "theme": null}'
pass
