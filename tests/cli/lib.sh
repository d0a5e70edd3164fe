# lib.sh: shared by the CLI tests (sourced). Each test gets its own temporary
# directory and database, a fixed "now", and helpers that fail loudly.
set -euo pipefail
: "${CASEAUDIT:?set CASEAUDIT to the caseaudit binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export CASEAUDIT_NOW=2026-11-24T12:00:00Z
export USER=tester
unset CASEAUDIT_DB
db=$tmp/t.db
name=$(basename "$0" .sh)

fail() { printf 'FAIL: %s: %s\n' "$name" "$*" >&2; [ -s "$tmp/out" ] && sed 's/^/  out: /' "$tmp/out" >&2; \
         [ -s "$tmp/err" ] && sed 's/^/  err: /' "$tmp/err" >&2; exit 1; }
pass() { echo "PASS: $name"; }

# ca ARGS...: caseaudit on the test database (under valgrind when CASEAUDIT_VALGRIND is set)
ca() {
  if [ -n "${CASEAUDIT_VALGRIND:-}" ]; then
    valgrind -q --error-exitcode=97 --leak-check=full --errors-for-leak-kinds=definite \
      "$CASEAUDIT" --db "$db" "$@"
  else
    "$CASEAUDIT" --db "$db" "$@"
  fi
}

# expect_exit CODE CMD...: runs CMD with stdout in $tmp/out and stderr in $tmp/err
expect_exit() {
  local want=$1 got=0; shift
  "$@" >"$tmp/out" 2>"$tmp/err" || got=$?
  [ "$got" = "$want" ] || fail "'$*' exited $got, expected $want"
}
expect_out() { grep -qF -- "$1" "$tmp/out" || fail "stdout lacks: $1"; }
expect_err() { grep -qF -- "$1" "$tmp/err" || fail "stderr lacks: $1"; }
expect_no_out() { ! grep -qF -- "$1" "$tmp/out" || fail "stdout should not have: $1"; }

# The database's whole content, to show that a refused command changed nothing.
db_dump() { if [ -f "$db" ]; then sqlite3 "$db" .dump; else echo "(no database)"; fi; }
snapshot_db() { db_dump > "$tmp/db.before"; }
expect_db_unchanged() { db_dump > "$tmp/db.after"; cmp -s "$tmp/db.before" "$tmp/db.after" || \
  { diff "$tmp/db.before" "$tmp/db.after" | head -20 >&2; fail "the database changed"; }; }
q() { sqlite3 "$db" "$1"; }

# need_packages PKG...: installs Debian packages a test needs (test-only tools such as
# python3-openpyxl), idempotently, as scripts/bootstrap installs the build's.
need_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}
