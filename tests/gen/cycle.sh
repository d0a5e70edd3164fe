# cycle.sh: the sample council's two quarters of audits, as caseaudit commands.
# Sourced by scripts/demo (which reads the returns in sample-data/) and by
# tests/gen/make_sample_data.sh (which writes them). The same commands in both,
# so the committed returns always match the lists the demo draws.
#
# Needs: ca (a function running caseaudit on the database), data (the directory
# with the case lists and returns), mode (use or generate), gen (the directory
# holding gen_returns, for generate), work (a scratch directory), and a function
# say MESSAGE for progress.

# return_grades ROUND OFFSET COUNTS SEED FROM TO: the round's filled-in audit list
return_grades() {
  if [ "$mode" = generate ]; then
    ca list "$1" --format csv -o "$work/list-$1.csv"
    "$gen/gen_returns" grades "$work/list-$1.csv" "$data/returns-$1.csv" "$2" "$3" "$4" "$5" "$6"
  fi
  ca grade "$1" --file "$data/returns-$1.csv"
}

# return_moderation QUARTER FILL G_RI RI_I SEED: the quarter's filled-in moderation list
return_moderation() {
  if [ "$mode" = generate ]; then
    ca moderation list --quarter "$1" --format csv -o "$work/moderation-$1.csv"
    "$gen/gen_returns" moderation "$work/moderation-$1.csv" "$data/moderation-$1.csv" "$2" "$3" "$4" "$5"
  fi
  ca moderate "$1" --file "$data/moderation-$1.csv"
}

# quarter LABEL AS_OF SIZES(3) COUNTS SEED MONTHS(3) YEAR: three monthly rounds, graded and moderated
history_quarter() {
  local label=$1 as_of=$2 counts=$6 seed=$7 year=${11} offset=0 i=0
  local sizes=("$3" "$4" "$5") months=("$8" "$9" "${10}")
  say "$label: import the case list as at $as_of, draw, assign and grade three monthly rounds"
  ca import "$data/cases.csv" --as-of "$as_of" --force >/dev/null   # the same synthetic list each quarter
  ca people import "$data/people.csv" >/dev/null 2>&1   # the register; teams checked against this list
  for m in "${months[@]}"; do
    local round="$year-$m" last
    last=$(date -d "$year-$m-01 +1 month -1 day" +%d)
    ca sample "$round" --size "${sizes[$i]}" --strata plan --min-per-stratum 2 --seed "$seed$i" --due "$last/$m/$year" >/dev/null
    ca assign "$round" --auditors "$data/auditors.csv" >/dev/null
    return_grades "$round" "$offset" "$counts" "$seed" "05/$m/$year" "$((last - 2))/$m/$year" >/dev/null
    offset=$((offset + sizes[i]))
    i=$((i + 1))
  done
}

sample_history() {
  history_quarter 2026Q2 01/04/2026 36 36 36 1,19,68,20 20262 04 05 06 2026
  ca moderation pick --quarter 2026Q2 --rate 0.2 --seed 2 >/dev/null
  return_moderation 2026Q2 24 3 1 22 >/dev/null
  history_quarter 2026Q3 01/07/2026 42 42 41 1,31,80,13 20263 07 08 09 2026
  say "2026Q3: pick audits for moderation (every inadequate one and a fifth of each auditor's others)"
  ca moderation pick --quarter 2026Q3 --all-inadequate --rate 0.2 --seed 3
  say "2026Q3: record the senior managers' moderation returns"
  return_moderation 2026Q3 35 5 1 33
}
