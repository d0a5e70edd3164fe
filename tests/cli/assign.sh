#!/usr/bin/env bash
# Allocating auditors (SPEC §6): nobody audits their own team's case or their own
# case, capacities hold, loads are level, the same seed gives the same allocation,
# and an impossible allocation assigns nothing and says which cases and why.
source "$SRC/tests/cli/lib.sh"
{ echo "case_id,date_of_birth,plan_type,team,worker"
  for i in $(seq 1 40); do echo "C$i,01/01/2015,CIN,Team $((i % 4)),Worker $((i % 3))"; done; } > "$tmp/cases.csv"
printf 'name,team,capacity\nWorker 1,Team 0,\nAnn,Team 1,\nBob,Team 2,3\nCy,Team 3,\n' > "$tmp/auditors.csv"
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/11/2026
expect_exit 0 ca sample 2026-11 --size 20 --strata plan --seed 42
expect_exit 0 ca assign 2026-11 --auditors "$tmp/auditors.csv"
expect_out "Round 2026-11: 20 cases assigned to 4 auditors"
[ "$(q "SELECT count(*) FROM round_case rc JOIN auditor a ON a.name = rc.auditor WHERE a.team = rc.team OR a.name = rc.worker")" = 0 ] ||
  fail "someone audits their own team's case or their own case"
[ "$(q "SELECT count(*) FROM round_case WHERE auditor IS NULL")" = 0 ] || fail "a case was left without an auditor"
[ "$(q "SELECT count(*) FROM round_case WHERE auditor = 'Bob'")" -le 3 ] || fail "Bob's capacity was exceeded"
spread=$(q "SELECT max(n) - min(n) FROM (SELECT count(*) AS n FROM round_case WHERE auditor <> 'Bob' GROUP BY auditor)")
[ "$spread" -le 1 ] || fail "loads differ by $spread among auditors without a capacity"
q "SELECT case_id || auditor FROM round_case ORDER BY case_id" > "$tmp/first"
expect_exit 0 ca assign 2026-11 --auditors "$tmp/auditors.csv"
q "SELECT case_id || auditor FROM round_case ORDER BY case_id" > "$tmp/second"
cmp -s "$tmp/first" "$tmp/second" || fail "assignment is not deterministic"
expect_exit 0 ca list 2026-11 --format csv
expect_out ",Ann,"
[ "$(q "SELECT count(*) FROM event WHERE command = 'assign'")" -gt 20 ] || fail "assignments not in the event log"

# Impossible: every auditor is in Team 1 or 2, so Team 1's and Team 2's cases... one auditor each.
printf 'name,team\nAnn,Team 1\n' > "$tmp/one.csv"
snapshot_db
expect_exit 1 ca assign 2026-11 --auditors "$tmp/one.csv"
expect_err "nothing was assigned"
expect_err "every auditor is in its team or is its worker"
expect_db_unchanged
printf 'name,team,capacity\nAnn,Team 9,2\nBob,Team 9,2\n' > "$tmp/small.csv"
expect_exit 1 ca assign 2026-11 --auditors "$tmp/small.csv"
expect_err "are at their capacity"
expect_db_unchanged
printf 'name,team,capacity\nAnn,Team 9,lots\n' > "$tmp/bad.csv"
expect_exit 1 ca assign 2026-11 --auditors "$tmp/bad.csv"
expect_err 'bad.csv:2: column "capacity": not a whole number (value "lots")'
expect_exit 1 ca assign NOPE --auditors "$tmp/auditors.csv"
expect_err "there is no round 'NOPE'"
expect_exit 2 ca assign 2026-11
expect_err "--auditors FILE is required"
pass
