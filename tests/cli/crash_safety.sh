#!/usr/bin/env bash
# SPEC §3: a write happens completely or not at all, also when the process is
# killed half-way. Kills (SIGKILL) `import` of a large file and `grade --file` of
# a long return at several points; after each kill the database passes
# integrity_check, holds all or none of the killed command's rows, and the
# command then succeeds.
source "$SRC/tests/cli/lib.sh"
# The kills are timed against a real run; under valgrind (scripts/test --valgrind) the other tests
# check memory, this one keeps its timing.
unset CASEAUDIT_VALGRIND

"$BIN/gen_bench" cases 200000 > "$tmp/big.csv"

check_db() {
  [ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check failed after a kill"
  # killed before the first import created the schema: nothing there, which is "none"
  [ "$(sqlite3 "$db" "SELECT count(*) FROM sqlite_schema WHERE name = 'snapshot'")" = 1 ] || return 0
  # every snapshot holds exactly the cases it says it has: all or nothing
  local bad
  bad=$(sqlite3 "$db" "SELECT count(*) FROM snapshot s WHERE s.cases <> (SELECT count(*) FROM snapshot_case c WHERE c.snapshot_id = s.id)")
  [ "$bad" = 0 ] || fail "a snapshot was left half-written"
}

# kill_at SECONDS CMD...: starts CMD, kills it with SIGKILL after SECONDS (if it is still running)
kill_at() {
  local delay=$1; shift
  "$CASEAUDIT" --db "$db" "$@" >/dev/null 2>&1 &
  local pid=$!
  sleep "$delay"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

day=1
for delay in 0.05 0.2 0.4 0.7 1.0 1.5; do
  kill_at "$delay" import "$tmp/big.csv" --as-of "$(printf '%02d' $day)/10/2026" --force
  check_db
  day=$((day + 1))
done
before=$(sqlite3 "$db" 'SELECT count(*) FROM snapshot')
[ "$before" -lt 6 ] || fail "every import finished before its kill: the test killed nothing half-way"
expect_exit 0 ca import "$tmp/big.csv" --as-of 01/11/2026 --force
check_db
[ "$(sqlite3 "$db" 'SELECT count(*) FROM snapshot')" = $((before + 1)) ] || fail "the import after the kills did not land"

# A long grade return, killed half-way.
printf 'name,roles\nAnn Auditor,auditor\n' > "$tmp/people.csv"; expect_exit 0 ca people import "$tmp/people.csv"   # the register (SPEC §6)
expect_exit 0 ca sample 2026-11 --size 20000 --seed 7
expect_exit 0 ca list 2026-11 --format csv -o "$tmp/list.csv"
awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; print; next }
         { $col["grade"] = "Good"; $col["audit_date"] = "20/11/2026"; $col["auditor"] = "Ann Auditor"; print }' \
  "$tmp/list.csv" > "$tmp/return.csv"
for delay in 0.05 0.2 0.5 1.0; do
  kill_at "$delay" grade 2026-11 --file "$tmp/return.csv"
  [ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check failed after killing grade"
  n=$(sqlite3 "$db" 'SELECT count(*) FROM audit')
  [ "$n" = 0 ] || [ "$n" = 20000 ] || fail "grade --file left $n of 20000 audits"
  [ "$n" = 20000 ] && break
done
if [ "$(sqlite3 "$db" 'SELECT count(*) FROM audit')" = 0 ]; then
  expect_exit 0 ca grade 2026-11 --file "$tmp/return.csv"
fi
[ "$(sqlite3 "$db" 'SELECT count(*) FROM audit')" = 20000 ] || fail "grade --file after the kills did not land"
pass
