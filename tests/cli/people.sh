#!/usr/bin/env bash
# The people register (SPEC §6): import (any column order, CSV), listing, disable; names
# matched ignoring case and repeated spaces, unknown names refused with the nearest ones;
# teams checked against the latest case list (dash, case, space and &/and spellings taken
# with a note, others refused with the nearest teams); every refusal exit 1, nothing written.
source "$SRC/tests/cli/lib.sh"
refuse() { snapshot_db; expect_exit 1 ca "$@"; expect_db_unchanged; }

# Before any case list: teams cannot be checked, and the note says so.
printf 'case_id,date_of_birth,plan_type\nX1,01/01/2015,CIN\n' > "$tmp/noteams.csv"
expect_exit 0 ca import "$tmp/noteams.csv" --as-of 01/10/2026 --no-team
printf 'name,team\nEarly Bird,Anything\n' > "$tmp/early.csv"
expect_exit 0 ca people import "$tmp/early.csv"
expect_err "note: teams were not checked: the latest case list has no teams"

# The case list of 01/11/2026 (the latest) spells its teams with an en dash and an ampersand.
{ echo "case_id,date_of_birth,plan_type,team,worker"
  echo "C1,01/01/2015,CIN,Early Help – Locality East,W1"
  echo "C2,01/01/2015,CIN,Children with Disabilities,W2"
  echo "C3,01/01/2015,CP,Youth Justice & Exploitation,W3"
  echo "C4,01/01/2015,CP,Assessment Team North,W4"; } > "$tmp/cases.csv"
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/11/2026
# An older list imported afterwards is not "the latest" (greatest as-of date).
printf 'case_id,date_of_birth,plan_type,team\nO1,01/01/2015,CIN,Old Team\n' > "$tmp/old.csv"
expect_exit 0 ca import "$tmp/old.csv" --as-of 01/09/2026

# The issue's auditors.csv: a hyphen for the en dash is taken with a note; "CWD" is refused,
# naming the team it abbreviates first; nothing is imported.
printf 'name,team,capacity\nAmy Hale,Early Help - Locality East,\nBen Ode,CWD,3\n' > "$tmp/auditors.csv"
refuse people import "$tmp/auditors.csv"
expect_err 'auditors.csv:3: column "team": "CWD" is not a team in the latest case list: the nearest are "Children with Disabilities"'
expect_err 'map this one with caseaudit alias add team "CWD" "TEAM"'
refuse people import "$tmp/old-team.csv"   # a missing file
printf 'name,team\nOld Hand,Old Team\n' > "$tmp/old-team.csv"
refuse people import "$tmp/old-team.csv"
expect_err '"Old Team" is not a team in the latest case list'

# Columns in any order; several teams and roles; notes for near spellings.
{ echo "roles,email,name,capacity,team,active"
  echo "auditor;manager,amy@x.example,Amy   Hale,4,EARLY HELP - LOCALITY EAST;youth justice and exploitation,yes"
  echo ",,Ben Ode,,Children with Disabilities,"
  echo "qa-lead,,Cat Lead,,,"
  echo "manager,,Dee Senior,,,yes"; } > "$tmp/people.csv"
expect_exit 0 ca people import "$tmp/people.csv"
expect_out "People register: 4 added, 0 updated, 0 unchanged"
expect_err 'note: '"$tmp"'/people.csv:2: column "team": "EARLY HELP - LOCALITY EAST" taken as "Early Help – Locality East", the latest case list'"'"'s spelling'
expect_err '"youth justice and exploitation" taken as "Youth Justice & Exploitation"'
expect_exit 0 ca people --format csv
expect_out "Amy Hale,Early Help – Locality East;Youth Justice & Exploitation,auditor;manager,amy@x.example,4,yes"
expect_out "Ben Ode,Children with Disabilities,auditor,,,yes"
expect_out "Cat Lead,,qa-lead,,,yes"
expect_exit 0 ca people --format json
expect_out '{"name": "Dee Senior", "teams": null, "roles": "manager", "email": null, "capacity": null, "active": "yes"}'
expect_exit 0 ca people
expect_out "Early Bird"

# Again: unchanged, nothing written. A file with fewer columns updates only what it has.
snapshot_db
expect_exit 0 ca people import "$tmp/people.csv"
expect_out "People register: 0 added, 0 updated, 4 unchanged"
expect_db_unchanged
printf 'name,capacity\n amy hale ,6\n' > "$tmp/cap.csv"
expect_exit 0 ca people import "$tmp/cap.csv"
expect_out "People register: 0 added, 1 updated, 0 unchanged"
[ "$(q "SELECT name || '|' || teams || '|' || roles || '|' || capacity FROM person WHERE name_key = 'amy hale'")" = \
  "Amy Hale|Early Help – Locality East;Youth Justice & Exploitation|auditor;manager|6" ] || fail "a partial import lost values"
expect_exit 0 ca history
expect_out "updated Amy Hale: roles auditor;manager; teams Early Help – Locality East;Youth Justice & Exploitation; capacity 6"

# Refusals of a file: each problem named, nothing written.
refuse_file() { printf '%b' "$1" > "$tmp/bad.csv"; refuse people import "$tmp/bad.csv"; expect_err "$2"; }
refuse_file 'name,roles\nEve,auditor;director\n' 'bad.csv:2: column "roles": unknown role "director": the roles are auditor, manager and qa-lead'
refuse_file 'name,capacity\nEve,lots\n' 'bad.csv:2: column "capacity": not a number of cases (value "lots")'
refuse_file 'name,active\nEve,maybe\n' 'bad.csv:2: column "active": expected yes or no (value "maybe")'
refuse_file 'name\nEve\n  EVE \n' 'bad.csv:3: column "name": EVE is listed twice (first on line 2)'
refuse_file 'team\nX\n' 'bad.csv:1: column "name": required column missing'
refuse_file 'name,team\n,Assessment Team North\n' 'bad.csv:2: column "name": empty name'
refuse_file '' 'the file is empty'
printf 'x' > "$tmp/p.xlsx"
refuse people import "$tmp/p.xlsx"
expect_err "p.xlsx: not an .xlsx workbook (the file is not a zip archive)"
# A real workbook is read like the CSV (SPEC §13): written by openpyxl, with a capacity typed
# as a number and Excel's TRUE for active.
need_packages python3-openpyxl
/usr/bin/python3 - "$tmp/people.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "People"
ws.append(["name", "team", "roles", "capacity", "active"])
ws.append(["Xena Wells", "Assessment Team North", "auditor", 3, True])
wb.save(sys.argv[1])
PY
expect_exit 0 ca people import "$tmp/people.xlsx"
[ "$(q "SELECT teams || '|' || capacity || '|' || active FROM person WHERE name = 'Xena Wells'")" = \
  "Assessment Team North|3|1" ] || fail "the workbook's person: $(q "SELECT * FROM person WHERE name = 'Xena Wells'")"

# Disable: by any spelling of the name; an unknown name gets the nearest ones.
refuse people disable "Amy Hall"
expect_err '"Amy Hall" is not in the people register (did you mean "Amy Hale"?)'
refuse people disable "Ben"
expect_err '(did you mean "Ben Ode"?)'
expect_exit 0 ca people disable "  BEN   ode"
expect_out "Ben Ode disabled: their records stay"
snapshot_db
expect_exit 0 ca people disable "Ben Ode"
expect_out "Ben Ode was already disabled: nothing changed"
expect_db_unchanged
[ "$(q "SELECT active FROM person WHERE name = 'Ben Ode'")" = 0 ] || fail "not disabled"
expect_exit 0 ca history
expect_out "disabled Ben Ode (their records stay)"
# Re-importing with active=yes brings them back.
printf 'name,active\nBen Ode,yes\n' > "$tmp/back.csv"
expect_exit 0 ca people import "$tmp/back.csv"
expect_out "0 added, 1 updated"

# Usage errors: exit 2.
expect_exit 2 ca people frobnicate
expect_err "unknown subcommand 'frobnicate'"
expect_exit 2 ca people import
expect_err "people import needs a FILE"
expect_exit 2 ca people disable Ben Ode
expect_err "quote a name with spaces"
expect_exit 2 ca people --format xlsx
expect_exit 0 ca people --help
expect_out "caseaudit people import FILE"
# The council's own spelling, taught once (SPEC §6: alias add team maps it).
expect_exit 0 ca alias add team CWD "Children with Disabilities"
expect_exit 0 ca people import "$tmp/auditors.csv"
expect_err 'auditors.csv:3: column "team": "CWD" taken as "Children with Disabilities" (caseaudit alias)'
[ "$(q "SELECT teams FROM person WHERE name = 'Ben Ode'")" = "Children with Disabilities" ] || fail "the alias was not used"
expect_exit 0 ca alias remove team CWD
pass
