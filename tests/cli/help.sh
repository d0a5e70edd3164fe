#!/usr/bin/env bash
# SPEC §10: the man page's synopsis of every command is the usage that
# `caseaudit COMMAND --help` prints (both come from the same table in cmd/ for
# --help; the man page is written by hand, so this test keeps it honest).
# The commands are those `caseaudit --help` lists; roff markup is removed
# (\fB \fI \fR \fP, \- for -) and runs of spaces are made one.
source "$SRC/tests/cli/lib.sh"
man=$SRC/cmd/caseaudit.1

# unroff: roff text on stdin to plain text, one synopsis per line.
unroff() { sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/[[:space:]]\+/ /g' -e 's/^ //' -e 's/ $//'; }

# usage_of ARGS...: the usage lines that `caseaudit ARGS --help` prints, one synopsis a line
# (a synopsis wrapped onto lines indented under the command name is joined up again).
usage_of() {
  "$CASEAUDIT" "$@" --help | awk '
    /^$/ { exit }
    /^usage: / { sub(/^usage: /, ""); if (line != "") print line; line = $0; next }
    /^       caseaudit / { print line; line = $0; next }
    /^ +/ { line = line " " $0; next }
    END { if (line != "") print line }' | unroff
}

# The commands, from the list that `caseaudit --help` prints.
"$CASEAUDIT" --help > "$tmp/help"
mapfile -t commands < <(awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }' "$tmp/help")
[ "${#commands[@]}" -ge 15 ] || fail "caseaudit --help lists ${#commands[@]} commands, expected at least 15"

# The man page's synopses: each .B line that follows .TP or .TQ in the COMMANDS section.
awk '/^\.SH / { on = ($2 == "COMMANDS") } on && prev ~ /^\.(TP|TQ)$/ && /^\.B / { sub(/^\.B /, ""); print "caseaudit " $0 }
     { prev = $0 }' "$man" | unroff > "$tmp/man"
[ -s "$tmp/man" ] || fail "found no synopsis in the COMMANDS section of $man"

bad=0
for c in "${commands[@]}"; do
  usage_of "$c" > "$tmp/usage.$c"
  [ -s "$tmp/usage.$c" ] || fail "caseaudit $c --help printed no usage line"
  grep -E "^caseaudit $c( |\$)" "$tmp/man" > "$tmp/man.$c" || true
  if ! cmp -s "$tmp/usage.$c" "$tmp/man.$c"; then
    echo "the man page's synopsis of '$c' differs from 'caseaudit $c --help':" >&2
    { diff "$tmp/man.$c" "$tmp/usage.$c" || true; } | sed -n 's/^</  man page: /p; s/^>/  --help:   /p' >&2
    bad=$((bad + 1))
  fi
done
# Every synopsis in the man page is of a command that exists.
while read -r line; do
  c=$(echo "$line" | cut -d' ' -f2)
  printf '%s\n' "${commands[@]}" | grep -qxF "$c" || { echo "the man page describes '$c', which is no command" >&2; bad=$((bad + 1)); }
done < "$tmp/man"

# The page's own SYNOPSIS (its lines between .br) is the usage that `caseaudit --help` begins with.
awk '/^\.SH / { if (on && line != "") print line; on = ($2 == "SYNOPSIS"); line = ""; next }
     on && /^\.br$/ { print line; line = ""; next }
     on { sub(/^\.B /, ""); line = line " " $0 }' "$man" | unroff | sed '/^$/d' > "$tmp/man.synopsis"
sed -n '1,/^$/p' "$tmp/help" | sed -e 's/^usage: //' -e '/^$/d' | unroff > "$tmp/help.synopsis"
if ! cmp -s "$tmp/man.synopsis" "$tmp/help.synopsis"; then
  echo "the man page's SYNOPSIS differs from 'caseaudit --help':" >&2
  diff "$tmp/man.synopsis" "$tmp/help.synopsis" >&2 || true
  bad=$((bad + 1))
fi

[ "$bad" = 0 ] || fail "$bad synopses in $man differ from --help"

# The parsing that comes from the same tables (cmd/options.c): usage errors exit 2 with the
# message and the command's usage line on standard error, and change nothing.
expect_exit 0 "$CASEAUDIT" help prune
expect_out "usage: caseaudit prune [--before DATE] [--dry-run]"
expect_out "  --dry-run      say what would be deleted, delete nothing"
printf 'case_id,date_of_birth,plan_type,team\n1,01/01/2015,CP,North\n' > "$tmp/one.csv"
expect_exit 0 ca import "$tmp/one.csv" --as-of 01/10/2026
snapshot_db
usage_error() { expect_exit 2 ca "$@"; expect_err "error: $msg"; expect_err "usage: caseaudit $1 "; expect_db_unchanged; }
msg="unknown option '--bogus'" usage_error prune --bogus
msg="unknown option '--bogus'" usage_error sample R --size 5 --bogus=1
msg="unknown option '-x'" usage_error list R -x
msg="option '--before' needs a value" usage_error prune --before
msg="option '-o' needs a value" usage_error list R -o
msg="option '--dry-run' takes no value" usage_error prune --dry-run=yes
msg="option '--dry-run' is given twice" usage_error prune --dry-run --dry-run
msg="option '--f' is ambiguous" usage_error report --f x
msg="unexpected argument 'C'" usage_error assign R C --auditors a.csv
msg="unexpected argument 'x'" usage_error history 1 x
# options after positionals, abbreviated long options, --opt=value, and "--" ending the options
expect_exit 0 ca import "$tmp/one.csv" --dry --as=02/10/2026 --fo   # --force: the same file again
expect_out "Dry run: nothing was written. The files would make this snapshot as at 02/10/2026:"
cp "$tmp/one.csv" "$tmp/--dry-run"
cd "$tmp"
expect_exit 0 ca import --as-of 03/10/2026 --force -- --dry-run
expect_out "Snapshot 2 as at 03/10/2026"
echo "the synopses of ${#commands[@]} commands ($(wc -l < "$tmp/man") lines) match the man page"
pass
