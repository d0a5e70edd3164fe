#!/usr/bin/env bash
# fixture.sh DB: a small database for the web tests (SPEC §14): one round of 12
# cases over two teams, allocated to the auditors Ann and Bob; Mo manages; Quinn
# leads QA; Ann has graded one case and it is picked for moderation. Everyone's
# password is "correct horse battery". Needs $CASEAUDIT and $CASEAUDIT_NOW.
set -euo pipefail
db=$1
dir=$(dirname "$db")
ca() { "$CASEAUDIT" --db "$db" --by fixture "$@" >/dev/null; }
{ echo "case_id,date_of_birth,plan_type,team,worker"
  for i in $(seq 1 40); do
    team="Team $((i % 2))"
    # a team whose name is markup: it must reach every page as text
    [ "$i" -le 4 ] && team='<script>alert(1)</script>'
    echo "C$i,01/01/2015,CIN,$team,Worker $((i % 3))"
  done; } > "$dir/cases.csv"
ca import "$dir/cases.csv" --as-of 01/11/2026
ca sample 2026-11 --size 12 --strata plan --seed 7 --due 30/11/2026
printf 'name,team,roles\nAnn,,auditor\nBob,,auditor\nMo,,manager\nQuinn,,qa-lead\n' > "$dir/people.csv"
ca people import "$dir/people.csv"
ca assign 2026-11
for who in Ann Bob Mo Quinn; do
  echo "correct horse battery" | "$CASEAUDIT" --db "$db" --by fixture people password "$who" >/dev/null
done
first=$(sqlite3 "$db" "SELECT case_id FROM round_case WHERE auditor = 'Ann' ORDER BY seq LIMIT 1")
ca grade 2026-11 "$first" --grade Good --auditor Ann --date 20/11/2026
ca moderation pick 2026-11 --rate 1 --seed 1
