#!/usr/bin/env bash
# The estimate's coverage and lonely strata (SPEC §9 item 3, issue 16): a round whose
# audits fall in two quarters. A CP stratum (N 4) is audited in June and a CIN stratum
# (N 12) in July: the Q2 report's estimate speaks for the CP stratum only, a quarter of
# the frame, and must say so rather than read as exact for all of it.
source "$SRC/tests/cli/lib.sh"

{ echo "case_id,date_of_birth,plan_type,team,worker"
  for i in $(seq 1 4); do echo "P$i,01/01/2015,CP,Team A,Worker $i"; done
  for i in $(seq 1 12); do echo "N$i,01/01/2016,CIN,Team A,Worker $i"; done; } > "$tmp/cases.csv"
printf 'name,roles\nAnn,auditor\n' > "$tmp/people.csv"
export CASEAUDIT_NOW=2026-06-02T09:00:00Z
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/06/2026
expect_exit 0 ca people import "$tmp/people.csv"
# Equal allocation: 3 from each stratum (CP 3 of 4, CIN 3 of 12).
expect_exit 0 ca sample 2026-06 --size 6 --strata plan --alloc equal --seed 7 --due 31/07/2026
expect_exit 0 ca assign 2026-06 --no-team-rule
mapfile -t cases < <(q "SELECT case_id FROM round_case ORDER BY case_id")
[ "${#cases[@]}" = 6 ] || fail "expected 6 cases drawn, got ${#cases[@]}"
{ echo "case_id,grade,audit_date"
  for c in "${cases[@]}"; do
    case $c in P*) echo "$c,Good,20/06/2026" ;; *) echo "$c,Inadequate,10/07/2026" ;; esac
  done; } > "$tmp/grades.csv"
export CASEAUDIT_NOW=2026-07-20T09:00:00Z
expect_exit 0 ca grade 2026-06 --file "$tmp/grades.csv"

expect_exit 0 ca report --quarter 2026Q2 --format json
cp "$tmp/out" "$tmp/q2.json"
python3 - "$tmp/q2.json" <<'EOF' || fail "Q2 estimate"
import json, sys
r = json.load(open(sys.argv[1]))
e = r["estimated_share"]
# Only the CP stratum (N 4 of the round's 16 cases) has audits in Q2.
assert e["coverage"] == 0.25, e["coverage"]
assert e["strata"] == 1 and e["lonely_strata"] == 0, e
# Every CP audit is Good: p is exactly 1 within the covered strata (and se 0, as
# survey gives for a stratum whose audits all agree).
g = e["final"]["good"]
assert g["p"] == 1 and g["se"] == 0 and g["estimable"] is True, g
EOF
expect_exit 0 ca report --quarter 2026Q2 --format md
expect_out "The strata audited in this period hold 25% of the cases the rounds were drawn from (4 of 16)"
expect_out "speaks for those 4 cases only, not for all open cases"
expect_exit 0 ca report --quarter 2026Q2
expect_out "hold 25% of the cases"
expect_exit 0 ca report --quarter 2026Q2 --format html -o "$tmp/q2.html"
grep -qF "hold 25% of the cases" "$tmp/q2.html" || fail "html lacks the coverage"
expect_exit 0 ca report --quarter 2026Q2 --format csv
expect_out "estimated_share,,,coverage,0.25"

# Q3 holds the CIN stratum (12 of 16): coverage 0.75, p(inadequate) 1.
expect_exit 0 ca report --quarter 2026Q3 --format json
python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["estimated_share"]; assert e["coverage"]==0.75, e; assert e["final"]["inadequate"]["p"]==1, e' "$tmp/out" \
  || fail "Q3 coverage"

# Lonely strata: the same frame, one case from each stratum (the round's second month).
# Calendar Q3 then has CIN (3 audits), and from the second round CP and CIN with one each.
export CASEAUDIT_NOW=2026-08-01T09:00:00Z
expect_exit 0 ca sample 2026-08 --size 2 --strata plan --alloc equal --seed 8 --exclude-audited-within 0 --due 31/08/2026
expect_exit 0 ca assign 2026-08 --no-team-rule
mapfile -t cases2 < <(q "SELECT case_id FROM round_case JOIN round r ON r.id = round_id WHERE r.label = '2026-08' ORDER BY case_id")
[ "${#cases2[@]}" = 2 ] || fail "expected 2 cases drawn in 2026-08, got ${#cases2[@]}"
{ echo "case_id,grade,audit_date"
  echo "${cases2[0]},Good,05/08/2026"; echo "${cases2[1]},Requires improvement,06/08/2026"; } > "$tmp/grades2.csv"
export CASEAUDIT_NOW=2026-10-01T09:00:00Z
expect_exit 0 ca grade 2026-08 --file "$tmp/grades2.csv"
expect_exit 0 ca report --quarter 2026Q3 --format json
python3 - "$tmp/out" <<'EOF' || fail "lonely strata"
import json, sys
e = json.load(open(sys.argv[1]))["estimated_share"]
# Strata: 2026-06 CIN (3 audits), 2026-08 CIN and CP (1 audit each, frames 12 and 4).
assert e["strata"] == 3 and e["lonely_strata"] == 2, e
# Covered: 12 + 12 + 4 of the two rounds' 32 cases.
assert e["coverage"] == 0.875, e["coverage"]
for g in e["final"].values():
    assert g["estimable"] is True and g["se"] is not None, g
# R 4.2.2, survey 4.1.1, lonely.psu "adjust": svymean over strata N (12, 12, 4),
# n (3, 1, 1), Good (0, 1, 0) gives 0.42857142857142855, SE 0.2403922242732601.
g = e["final"]["good"]
assert abs(g["p"] - 0.42857142857142855) < 1e-12 and abs(g["se"] - 0.2403922242732601) < 1e-9, g
EOF
expect_exit 0 ca report --quarter 2026Q3 --format md
expect_out "2 of the 3 strata audited had one audit"
expect_out "hold 88% of the cases the rounds were drawn from (28 of 32)"
pass
