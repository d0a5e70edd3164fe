#!/usr/bin/env bash
# Chasing (SPEC §13): 'caseaudit outstanding' per round and auditor, and --cases.
# The allocation is forced by the own-team rule: Ann can audit only Team A's cases,
# Bob only Team B's, Cy only Team C's, and each round draws 4 cases from each team,
# so every count below is known without reading the database. Today is 24/11/2026
# (lib.sh): a round due 20/11/2026 is 4 days late, one due 30/11/2026 has 6 days left.
source "$SRC/tests/cli/lib.sh"
{ echo "case_id,date_of_birth,plan_type,team,worker"
  for t in A B C; do for i in $(seq -w 1 16); do echo "$t$i,01/01/2015,CIN,Team $t,Worker $t"; done; done
} > "$tmp/cases.csv"
printf 'name,team\nAnn,Team B;Team C\nBob,Team A;Team C\nCy,Team A;Team B\n' > "$tmp/people.csv"
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/08/2026
expect_exit 0 ca people import "$tmp/people.csv"
draw() { # ROUND [--due DATE]
  local r=$1; shift
  expect_exit 0 ca sample "$r" --size 12 --strata team --alloc equal --seed 7 "$@"
  expect_exit 0 ca assign "$r"
}
# grade ROUND AUDITOR N: the auditor returns N of their cases (the first in list order)
grade() {
  local c
  for c in $(q "SELECT case_id FROM round_case WHERE round_id = (SELECT id FROM round WHERE label = '$1')
                AND auditor = '$2' ORDER BY seq LIMIT $3"); do
    expect_exit 0 ca grade "$1" "$c" --grade Good --auditor "$2" --date 15/09/2026
  done
}
expect_exit 0 ca outstanding --all
expect_err "No rounds yet."
[ ! -s "$tmp/out" ] || fail "an empty scope printed a table"
draw 2026-08 --due 31/08/2026
grade 2026-08 Ann 4; grade 2026-08 Bob 4; grade 2026-08 Cy 4
expect_exit 0 ca outstanding
expect_err "Nothing outstanding: every case of every round is graded."
draw 2026-09 --due 20/11/2026
draw 2026-10 --due 30/11/2026
draw 2026-11
[ "$(q "SELECT count(*) FROM round_case WHERE substr(case_id, 1, 1) <> CASE auditor WHEN 'Ann' THEN 'A'
      WHEN 'Bob' THEN 'B' WHEN 'Cy' THEN 'C' END")" = 0 ] || fail "the allocation is not the one the teams force"
grade 2026-09 Ann 4; grade 2026-09 Bob 1
grade 2026-10 Bob 2; grade 2026-10 Cy 4
grade 2026-11 Ann 3
# A correction is still one return (the current audit counts, not every row).
c=$(q "SELECT case_id FROM round_case WHERE round_id = (SELECT id FROM round WHERE label = '2026-09') AND auditor = 'Ann'
       ORDER BY seq LIMIT 1")
expect_exit 0 ca grade 2026-09 "$c" --grade Inadequate --auditor Ann --date 16/09/2026 --correct

# Default scope: the rounds with an ungraded case (2026-08 is all in).
expect_exit 0 ca outstanding
cat > "$tmp/want" <<'EOF'
round    auditor  allocated  returned  outstanding  due         days_overdue  status
-------  -------  ---------  --------  -----------  ----------  ------------  -------------
2026-09  Ann              4         4            0  20/11/2026                all returned
2026-09  Bob              4         1            3  20/11/2026             4  4 days late
2026-09  Cy               4         0            4  20/11/2026             4  4 days late
2026-10  Ann              4         0            4  30/11/2026            -6  due in 6 days
2026-10  Bob              4         2            2  30/11/2026            -6  due in 6 days
2026-10  Cy               4         4            0  30/11/2026                all returned
2026-11  Ann              4         3            1                            no due date
2026-11  Bob              4         0            4                            no due date
2026-11  Cy               4         0            4                            no due date
EOF
diff "$tmp/want" "$tmp/out" >&2 || fail "outstanding: not the expected table"

# One round, also when it is all in; --all; machine formats keep exact values.
expect_exit 0 ca outstanding 2026-08 --format csv
printf '%s\r\n' "round,auditor,allocated,returned,outstanding,due,days_overdue,status" \
  "2026-08,Ann,4,4,0,2026-08-31,,all returned" "2026-08,Bob,4,4,0,2026-08-31,,all returned" \
  "2026-08,Cy,4,4,0,2026-08-31,,all returned" > "$tmp/want"
cmp -s "$tmp/want" "$tmp/out" || { diff "$tmp/want" "$tmp/out" >&2; fail "outstanding 2026-08 --format csv"; }
expect_exit 0 ca outstanding --all --format csv
[ "$(grep -c '^2026-' "$tmp/out")" = 12 ] || fail "--all does not give 4 rounds of 3 auditors"
expect_exit 0 ca outstanding 2026-09 --format json
[ "$(cat "$tmp/out")" = '[{"round": "2026-09", "auditor": "Ann", "allocated": 4, "returned": 4, "outstanding": 0, "due": "2026-11-20", "days_overdue": null, "status": "all returned"}, {"round": "2026-09", "auditor": "Bob", "allocated": 4, "returned": 1, "outstanding": 3, "due": "2026-11-20", "days_overdue": 4, "status": "4 days late"}, {"round": "2026-09", "auditor": "Cy", "allocated": 4, "returned": 0, "outstanding": 4, "due": "2026-11-20", "days_overdue": 4, "status": "4 days late"}]' ] ||
  fail "outstanding 2026-09 --format json"
expect_exit 0 ca outstanding 2026-10 --format md
expect_out "| 2026-10 | Bob | 4 | 2 | 2 | 30/11/2026 | -6 | due in 6 days |"

# --cases: the outstanding cases themselves, by round, auditor, then list order; checked
# against the database's own list of ungraded cases.
expect_exit 0 ca outstanding --cases --format csv
{ printf 'round,case_id,auditor,due,days_overdue,status\r\n'
  q "SELECT r.label, rc.case_id, rc.auditor, coalesce(r.due, ''),
            CASE r.label WHEN '2026-09' THEN '4,4 days late' WHEN '2026-10' THEN '-6,due in 6 days'
                         ELSE ',no due date' END
     FROM round_case rc JOIN round r ON r.id = rc.round_id
     WHERE NOT EXISTS (SELECT 1 FROM audit a WHERE a.round_id = rc.round_id AND a.case_id = rc.case_id)
     ORDER BY r.label, rc.auditor, rc.seq" | tr '|' ',' | sed 's/$/\r/'
} > "$tmp/want"
cmp -s "$tmp/want" "$tmp/out" || { diff "$tmp/want" "$tmp/out" >&2; fail "outstanding --cases"; }
[ "$(grep -c '^2026-' "$tmp/out")" = 22 ] || fail "--cases does not list the 3+4+4+2+1+4+4 outstanding cases"
expect_exit 0 ca outstanding 2026-09 --cases
expect_out "2026-09  B"
expect_out "20/11/2026             4  4 days late"
expect_no_out "Ann"
expect_exit 0 ca outstanding 2026-08 --cases
expect_err "Nothing outstanding in round 2026-08: every case is graded."

# Refusals and usage.
expect_exit 1 ca outstanding 2026-12
expect_err "there is no round '2026-12'"
expect_exit 2 ca outstanding 2026-09 --all
expect_err "give a ROUND or --all, not both"
expect_exit 2 ca outstanding --format xlsx
expect_exit 2 ca outstanding 2026-09 2026-10
expect_exit 0 ca outstanding --help
expect_out "days_overdue"
pass
