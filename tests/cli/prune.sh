#!/usr/bin/env bash
# Data minimisation (SPEC §3): prune deletes the case rows no round needs, keeps
# every round's cases and strata, and the report is identical before and after.
source "$SRC/tests/cli/lib.sh"
{ echo "case_id,date_of_birth,plan_type,team,worker"
  for i in $(seq 1 40); do echo "P$i,01/01/201$((i % 8)),$([ $((i % 2)) = 0 ] && echo CIN || echo CP),Team $((i % 2)),W"; done; } > "$tmp/cases.csv"
export CASEAUDIT_NOW=2026-08-01T09:00:00Z
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/06/2026
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/07/2026 --force
expect_exit 0 ca sample 2026-07 --size 10 --strata plan --seed 4
printf 'name,roles\nAnn,auditor\n' > "$tmp/people.csv"; expect_exit 0 ca people import "$tmp/people.csv"   # the register (SPEC §6)
{ echo "case_id,grade,auditor,audit_date"
  q "SELECT case_id FROM round_case" | while read -r c; do echo "$c,RI,Ann,20/07/2026"; done; } > "$tmp/ret.csv"
expect_exit 0 ca grade 2026-07 --file "$tmp/ret.csv"
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/08/2026 --force
export CASEAUDIT_NOW=2026-11-24T12:00:00Z
expect_exit 0 ca report --quarter 2026Q3 --format json
cp "$tmp/out" "$tmp/before.json"
expect_exit 0 ca list 2026-07 --format csv
cp "$tmp/out" "$tmp/list-before.csv"

snapshot_db
expect_exit 0 ca prune --dry-run
expect_out "Would delete 40 case rows from 1 snapshot."
expect_db_unchanged
expect_exit 0 ca prune
expect_out "Deleted 40 case rows from 1 snapshot."
[ "$(q "SELECT count(*) FROM snapshot_case WHERE snapshot_id = 1")" = 0 ] || fail "snapshot 1 was not pruned"
[ "$(q "SELECT count(*) FROM snapshot_case WHERE snapshot_id = 3")" = 40 ] || fail "the latest snapshot must be kept"
expect_exit 0 ca prune --before 01/08/2026
expect_out "Deleted 30 case rows from 1 snapshot."
[ "$(q "SELECT count(*) FROM snapshot_case WHERE snapshot_id = 2")" = 10 ] || fail "the cases on a list must stay"

expect_exit 0 ca report --quarter 2026Q3 --format json
cmp -s "$tmp/before.json" "$tmp/out" || { diff "$tmp/before.json" "$tmp/out" >&2; fail "the report changed after prune"; }
expect_exit 0 ca list 2026-07 --format csv
cmp -s "$tmp/list-before.csv" "$tmp/out" || fail "the audit list changed after prune"
expect_exit 0 ca snapshots --format json
expect_out '"id": 1, "as_of": "2026-06-01"'
expect_out '"pruned": true'
expect_exit 1 ca sample 2027-09 --size 2 --snapshot 1
expect_err "snapshot 1 has been pruned"
[ "$(q "SELECT count(*) FROM event WHERE command = 'prune'")" = 2 ] || fail "prunes not in the event log"
# A cut-off after the latest snapshot still keeps the latest (greatest as-of date), and
# the next draw works. Before the fix it deleted snapshot 3's 40 rows and the draw failed.
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/05/2026 --force   # history filled in: not the latest
expect_exit 0 ca prune --before 01/12/2026
[ "$(q "SELECT count(*) FROM snapshot_case WHERE snapshot_id = 3")" = 40 ] || fail "the latest snapshot was pruned"
[ "$(q "SELECT count(*) FROM snapshot_case WHERE snapshot_id = 4")" = 0 ] || fail "an older snapshot imported last was kept"
expect_exit 0 ca sample 2026-09 --size 4 --strata plan --seed 9
expect_out "from snapshot 3"
[ "$(q "SELECT count(*) FROM event WHERE command = 'prune'")" = 3 ] || fail "the third prune is not in the event log"
expect_exit 1 ca prune --before 31/02/2026
expect_exit 2 ca prune extra
pass
