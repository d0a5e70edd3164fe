#!/usr/bin/env bash
# Undoing what was made by mistake before it counts (SPEC §4, §5): a snapshot no round
# drew from, a round with no grade; and monthly labels as spreadsheets write them.
source "$SRC/tests/cli/lib.sh"
{ echo "case_id,date_of_birth,plan_type,team,worker"
  for i in $(seq 1 12); do echo "M$i,01/01/2015,CIN,Team $((i % 2)),W$i"; done; } > "$tmp/cases.csv"
{ echo "case_id,date_of_birth,plan_type,team,worker"
  for i in $(seq 1 12); do echo "M$i,01/01/2015,CP,Team $((i % 2)),W$i"; done; } > "$tmp/wrong.csv"
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/11/2026
expect_exit 0 ca import "$tmp/wrong.csv" --as-of 01/12/2026    # the wrong month: nobody drew from it yet
snapshot_db
expect_exit 1 ca snapshot delete 9
expect_err "there is no snapshot 9"
expect_exit 1 ca snapshot delete two
expect_db_unchanged
expect_exit 0 ca snapshot delete 2
expect_out "Snapshot 2 deleted."
[ "$(q "SELECT count(*) FROM snapshot_case WHERE snapshot_id = 2")" = 0 ] || fail "its case rows stayed"
[ "$(q "SELECT count(*) FROM snapshot WHERE id = 2")" = 0 ] || fail "the snapshot stayed"
[ "$(q "SELECT count(*) FROM event WHERE command = 'snapshot delete'")" = 1 ] || fail "not in the event log"
expect_exit 0 ca sample 2026-11 --size 4 --strata plan --seed 5    # from snapshot 1, the latest again
expect_out "from snapshot 1"
snapshot_db
expect_exit 1 ca snapshot delete 1
expect_err "snapshot 1 (as at 01/11/2026) was drawn from by 1 round"
expect_db_unchanged

# A round drawn by mistake goes before any grade; a graded one never.
expect_exit 0 ca sample 2026-12 --size 2 --strata plan --seed 6
expect_exit 0 ca round delete Dec-26                      # as a spreadsheet writes 2026-12
expect_out "Round Dec-26 deleted."
[ "$(q "SELECT count(*) FROM round WHERE label = '2026-12'")" = 0 ] || fail "the round stayed"
[ "$(q "SELECT count(*) FROM round_case rc LEFT JOIN round r ON r.id = rc.round_id WHERE r.id IS NULL")" = 0 ] ||
  fail "its list stayed"
printf 'name,team\nAnn,\n' > "$tmp/people.csv"
expect_exit 0 ca people import "$tmp/people.csv"
case1=$(q "SELECT case_id FROM round_case ORDER BY seq LIMIT 1")
# Returns name the round as Excel turns "2026-11" into: Nov-26, 01/11/2026, Nov 2026.
printf 'round,case_id,grade,auditor,audit_date\nNov-26,%s,Good,Ann,20/11/2026\n' "$case1" > "$tmp/ret.csv"
expect_exit 0 ca grade 01/11/2026 --file "$tmp/ret.csv"
expect_out "1 grade recorded"
snapshot_db
expect_exit 1 ca round delete 2026-11
expect_err "round 2026-11 has 1 grade recorded: a graded round can never be deleted"
expect_db_unchanged
expect_exit 1 ca round delete 2026-10
expect_err "there is no round '2026-10'"
expect_exit 2 ca round remove 2026-11
expect_exit 2 ca snapshot delete
pass
