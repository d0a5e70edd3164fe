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

# The auditors are the register's active ones (SPEC §6); --auditors FILE feeds it.
# Impossible: only Ann (Team 1) is left to audit, and Team 1's cases need someone else.
expect_exit 0 ca people disable "Worker 1"
expect_exit 0 ca people disable Bob
expect_exit 0 ca people disable Cy
printf 'name,team\nAnn,Team 1\n' > "$tmp/one.csv"
snapshot_db
expect_exit 1 ca assign 2026-11 --auditors "$tmp/one.csv"
expect_err "nothing was assigned"
expect_err "every auditor is in its team or is its worker"
expect_db_unchanged
# A team that holds no cases is left blank (a team the case list does not have is refused).
printf 'name,team,capacity,active\nAnn,,2,yes\nBob,,2,yes\n' > "$tmp/small.csv"
expect_exit 1 ca assign 2026-11 --auditors "$tmp/small.csv"
expect_err "are at their capacity"
expect_db_unchanged
printf 'name,team,capacity\nAnn,Team 9,2\n' > "$tmp/team9.csv"
expect_exit 1 ca assign 2026-11 --auditors "$tmp/team9.csv"
expect_err '"Team 9" is not a team in the latest case list'
expect_db_unchanged
printf 'name,team,capacity\nAnn,,lots\n' > "$tmp/bad.csv"
expect_exit 1 ca assign 2026-11 --auditors "$tmp/bad.csv"
expect_err 'bad.csv:2: column "capacity"'
expect_db_unchanged
expect_exit 1 ca assign NOPE --auditors "$tmp/auditors.csv"
expect_err "there is no round 'NOPE'"
expect_exit 2 ca assign
expect_err "no ROUND given"

# Issue 14's example (SPEC §6: a balanced allocation is found whenever one exists):
# A3 (T0) is the only auditor who may take K1 and K3 (T1), so A0 and A2 need one
# case each and the capped A1 none. The old level-by-level filling gave K2 to A1.
db=$tmp/issue.db
{ echo "case_id,date_of_birth,plan_type,team,worker"
  echo "K0,01/01/2015,CIN,T0,W"; echo "K1,01/01/2015,CIN,T1,W"; echo "K2,01/01/2015,CIN,T2,W"; echo "K3,01/01/2015,CIN,T1,W"
} > "$tmp/issue-cases.csv"
printf 'name,team,capacity\nA0,T1,\nA1,T1,4\nA2,T1,\nA3,T0,\n' > "$tmp/issue-auditors.csv"
expect_exit 0 ca import "$tmp/issue-cases.csv" --as-of 01/11/2026
expect_exit 0 ca sample 2026-11 --size 4 --strata plan --seed 7
expect_exit 0 ca assign 2026-11 --auditors "$tmp/issue-auditors.csv"
[ "$(q "SELECT group_concat(case_id, ' ') FROM (SELECT case_id FROM round_case WHERE auditor = 'A3' ORDER BY 1)")" = "K1 K3" ] ||
  fail "A3 should take K1 and K3"
[ "$(q "SELECT group_concat(auditor || ':' || n, ' ') FROM (SELECT auditor, count(*) AS n FROM round_case GROUP BY auditor ORDER BY 1)")" = "A0:1 A2:1 A3:2" ] ||
  fail "loads should be A0 1, A2 1, A3 2 (A1 none)"

# A valid allocation exists (B1 takes team A's four cases) but none with balanced
# loads: refused, nothing changed, each case named with why; capacities for A1 and
# A2 (which take them out of the balance rule) let it through.
db=$tmp/unbalanced.db
{ echo "case_id,date_of_birth,plan_type,team,worker"
  for i in 1 2 3 4; do echo "k$i,01/01/2015,CIN,A,W"; done; echo "k5,01/01/2015,CIN,B,W"; } > "$tmp/ub-cases.csv"
printf 'name,team\nA1,A\nA2,A\nB1,B\n' > "$tmp/ub-auditors.csv"
expect_exit 0 ca import "$tmp/ub-cases.csv" --as-of 01/11/2026
expect_exit 0 ca sample 2026-11 --size 5 --strata plan --seed 7
snapshot_db
expect_exit 1 ca assign 2026-11 --auditors "$tmp/ub-auditors.csv"
expect_err "nothing was assigned: 2 cases could not be placed with loads that differ by at most one among auditors without a capacity (an auditor given a capacity is outside that rule)"
[ "$(grep -c "A1 can take only 1 of the cases (the others are their team's or their own), so with loads within one of each other no auditor without a capacity holds more than 2; the only auditor who could take it, B1, would then be full" "$tmp/err")" = 2 ] ||
  fail "each of the two cases should be named with why"
expect_db_unchanged
printf 'name,team,capacity\nA1,A,1\nA2,A,1\nB1,B,\n' > "$tmp/ub-auditors.csv"
expect_exit 0 ca assign 2026-11 --auditors "$tmp/ub-auditors.csv"
[ "$(q "SELECT count(*) FROM round_case WHERE auditor = 'B1'")" = 4 ] || fail "B1 should take team A's four cases"
pass
