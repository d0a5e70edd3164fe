#!/usr/bin/env bash
# fixture_many.sh DB [CASES [SIZE]]: a database for the concurrency test and the
# load benchmark: CASES open cases (default 400) over four teams, a round of SIZE
# (default 100) allocated to ten auditors A01..A10 (no team), and Quinn the QA
# lead; every password is "correct horse battery".
set -euo pipefail
db=$1 cases=${2:-400} size=${3:-100}
dir=$(dirname "$db")
ca() { "$CASEAUDIT" --db "$db" --by fixture "$@" >/dev/null 2>&1; }
{ echo "case_id,date_of_birth,plan_type,team,worker"
  for i in $(seq 1 "$cases"); do echo "K$i,01/01/201$((i % 8)),CIN,Team $((i % 4)),Worker $((i % 7))"; done
} > "$dir/cases.csv"
ca import "$dir/cases.csv" --as-of 01/11/2026
ca sample 2026-11 --size "$size" --strata plan --seed 11 --due 30/11/2026
{ echo "name,team,roles"; for a in $(seq -w 1 10); do echo "A$a,,auditor"; done; echo "Quinn,,qa-lead"; } \
  > "$dir/people.csv"
ca people import "$dir/people.csv"
ca assign 2026-11
for who in $(seq -f 'A%02g' 1 10) Quinn; do
  echo "correct horse battery" | "$CASEAUDIT" --db "$db" --by fixture people password "$who" >/dev/null
done
