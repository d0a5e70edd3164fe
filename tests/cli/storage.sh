#!/usr/bin/env bash
# The database file (SPEC §3, §10): where it is, its mode, and the files it refuses
# (exit 3) without changing a byte.
source "$SRC/tests/cli/lib.sh"
printf 'case_id,date_of_birth,plan_type,team\n1,01/01/2015,CP,North\n' > "$tmp/ok.csv"

# No database: every command but import says how to make one.
expect_exit 1 ca snapshots
expect_err "error: no database at '$db': create one with 'caseaudit import FILE...'"
[ ! -e "$db" ] || fail "a refused command created the database"

# import creates it, mode 0600 whatever the umask.
(umask 000; expect_exit 0 ca import "$tmp/ok.csv" --as-of 01/11/2026)
[ "$(stat -c %a "$db")" = 600 ] || fail "database mode is $(stat -c %a "$db"), expected 600"
[ "$(q 'PRAGMA journal_mode')" = wal ] || fail "not in WAL mode"

# $CASEAUDIT_DB, then --db over it, then ./caseaudit.db.
CASEAUDIT_DB=$db expect_exit 0 "$CASEAUDIT" snapshots
expect_out "01/11/2026"
CASEAUDIT_DB=$tmp/other.db expect_exit 1 "$CASEAUDIT" --db "$tmp/other.db" snapshots
(cd "$tmp" && expect_exit 0 "$CASEAUDIT" import ok.csv --as-of 01/11/2026)
[ -f "$tmp/caseaudit.db" ] || fail "the default database is not ./caseaudit.db"

# A database from a newer caseaudit: exit 3, not a byte changed.
cp "$db" "$tmp/new.db"
sqlite3 "$tmp/new.db" 'PRAGMA user_version = 999'
cp "$tmp/new.db" "$tmp/new.before"
expect_exit 3 "$CASEAUDIT" --db "$tmp/new.db" import "$tmp/ok.csv" --as-of 02/11/2026
expect_err "was written by a newer caseaudit (schema version 999"
cmp -s "$tmp/new.db" "$tmp/new.before" || fail "the too-new database was modified"

# A corrupt file: exit 3, untouched.
head -c 20000 /dev/urandom > "$tmp/corrupt.db"
cp "$tmp/corrupt.db" "$tmp/corrupt.before"
expect_exit 3 "$CASEAUDIT" --db "$tmp/corrupt.db" snapshots
expect_err "is corrupt or not a caseaudit database"
expect_exit 3 "$CASEAUDIT" --db "$tmp/corrupt.db" import "$tmp/ok.csv"
cmp -s "$tmp/corrupt.db" "$tmp/corrupt.before" || fail "the corrupt file was modified"

# Another program's SQLite database: exit 3, untouched.
sqlite3 "$tmp/foreign.db" 'CREATE TABLE t(x); INSERT INTO t VALUES (1)'
cp "$tmp/foreign.db" "$tmp/foreign.before"
expect_exit 3 "$CASEAUDIT" --db "$tmp/foreign.db" import "$tmp/ok.csv"
expect_err "is an SQLite database of another program"
cmp -s "$tmp/foreign.db" "$tmp/foreign.before" || fail "the foreign database was modified"

# Conventions: --version, --help, help COMMAND, usage errors.
expect_exit 0 "$CASEAUDIT" --version
expect_out "caseaudit 0."
expect_exit 0 "$CASEAUDIT" --help
expect_out "usage: caseaudit [--db PATH] [--by NAME] COMMAND [OPTIONS]"
expect_exit 0 "$CASEAUDIT" help snapshots
expect_out "usage: caseaudit snapshots"
for c in import snapshots sample list rounds assign grade domains actions action moderation moderate report history prune; do
  expect_exit 0 "$CASEAUDIT" "$c" --help
  expect_out "usage: caseaudit $c"
done
expect_exit 2 "$CASEAUDIT"
expect_exit 2 "$CASEAUDIT" --db
expect_exit 2 "$CASEAUDIT" --frobnicate snapshots
expect_err "error: unknown option '--frobnicate'"

# cmake --install puts the binary and its man page in place.
expect_exit 0 cmake --install "$BIN" --prefix "$tmp/inst"
[ -x "$tmp/inst/bin/caseaudit" ] || fail "the binary was not installed"
[ -f "$tmp/inst/share/man/man1/caseaudit.1" ] || fail "the man page was not installed"
pass
