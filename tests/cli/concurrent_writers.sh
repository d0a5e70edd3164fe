#!/usr/bin/env bash
# SPEC §3: two people can record grades and moderation outcomes at the same time without an error or a lost
# write. Several processes grade different cases at once (single and --file); every
# one must succeed and every grade be there.
source "$SRC/tests/cli/lib.sh"
{ echo "case_id,date_of_birth,plan_type,team,worker"
  for i in $(seq 1 400); do echo "C$i,01/01/2015,CIN,Team $((i % 3)),Worker"; done; } > "$tmp/cases.csv"
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/11/2026
expect_exit 0 ca sample 2026-11 --size 400 --strata plan --seed 7
printf 'name,roles\nAnn,auditor\nBob,auditor\nSam,manager\nKim,manager\n' > "$tmp/people.csv"; expect_exit 0 ca people import "$tmp/people.csv"   # the register (SPEC §6)
mapfile -t cases < <(q "SELECT case_id FROM round_case ORDER BY seq")

# Four files of 80 cases, and 80 single grades in four streams, all at once.
for f in 0 1 2 3; do
  { echo "case_id,auditor,grade,audit_date"
    for i in $(seq $((f * 80)) $((f * 80 + 79))); do echo "${cases[$i]},Ann,Good,20/11/2026"; done; } > "$tmp/r$f.csv"
done
pids=()
for f in 0 1 2 3; do
  ca grade 2026-11 --file "$tmp/r$f.csv" > "$tmp/file$f.out" 2>&1 & pids+=($!)
  ( for i in $(seq $((320 + f * 20)) $((320 + f * 20 + 19))); do
      ca grade 2026-11 "${cases[$i]}" --grade RI --auditor Bob --date 21/11/2026 || exit 1
    done ) > "$tmp/single$f.out" 2>&1 & pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || { cat "$tmp"/*.out >&2; fail "a concurrent writer failed"; }; done
grep -l "locked" "$tmp"/*.out && fail "a writer saw 'database is locked'"
[ "$(q 'SELECT count(*) FROM audit')" = 400 ] || fail "expected 400 grades, found $(q 'SELECT count(*) FROM audit')"
[ "$(q "SELECT count(*) FROM event WHERE command = 'grade'")" = 400 ] || fail "events lost"

# Moderation outcomes, one at a time and from files, also at once.
for f in 0 1; do
  { echo "round,case_id,moderated_grade,moderator,moderation_date,reason"
    for i in $(seq $((f * 40)) $((f * 40 + 39))); do echo "2026-11,${cases[$i]},RI,Sam,22/11/2026,Drift"; done; } > "$tmp/m$f.csv"
done
pids=()
for f in 0 1; do
  ca moderate 2026-11 --file "$tmp/m$f.csv" > "$tmp/mfile$f.out" 2>&1 & pids+=($!)
  ( for i in $(seq $((320 + f * 20)) $((320 + f * 20 + 19))); do
      ca moderate 2026-11 "${cases[$i]}" --grade Good --moderator Kim --date 22/11/2026 --reason "Strong plan" || exit 1
    done ) > "$tmp/msingle$f.out" 2>&1 & pids+=($!)
  ( for i in $(seq $((100 + f * 20)) $((100 + f * 20 + 19))); do
      ca grade 2026-11 "${cases[$i]}" --grade Inadequate --auditor Ann --date 22/11/2026 --correct || exit 1
    done ) > "$tmp/correct$f.out" 2>&1 & pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || { cat "$tmp"/*.out >&2; fail "a concurrent writer failed"; }; done
[ "$(q 'SELECT count(*) FROM moderation')" = 120 ] || fail "expected 120 moderation outcomes"
[ "$(q 'SELECT count(*) FROM audit')" = 440 ] || fail "expected 440 audits with the corrections"
[ "$(q 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
pass
