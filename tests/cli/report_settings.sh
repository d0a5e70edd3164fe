#!/usr/bin/env bash
# caseaudit settings (SPEC §9): the council's name and the protective marking, stored,
# event-logged, refused when unusable, and carried by every report format.
source "$SRC/tests/cli/lib.sh"

# Setting the name first creates the database; listing shows the default marking.
expect_exit 0 ca settings council "Anyshire County Council"
expect_out 'Setting saved: council "Anyshire County Council"'
expect_exit 0 ca settings --format json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r == [{"setting": "council", "value": "Anyshire County Council", "default": ""}, {"setting": "marking", "value": "OFFICIAL-SENSITIVE", "default": "default"}], r' "$tmp/out" \
  || fail "settings list"
[ "$(q "SELECT count(*) FROM event WHERE command = 'settings' AND detail = 'settings: council \"Anyshire County Council\"'")" = 1 ] \
  || fail "the setting is not in the event log"

# Refusals change nothing.
snapshot_db
expect_exit 1 ca settings marking "   "
expect_err "the marking cannot be blank"
expect_exit 1 ca settings council "$(printf 'Two\nlines')"
expect_err "control character"
expect_exit 1 ca settings council "$(head -c 201 /dev/zero | tr '\0' x)"
expect_err "longer than 200 characters"
expect_exit 2 ca settings colour blue
expect_err "unknown setting 'colour'"
expect_exit 2 ca settings council
expect_db_unchanged

# A marking with characters that need escaping in html, CSS and an xlsx header (&).
expect_exit 0 ca settings marking 'OFFICIAL-SENSITIVE & "PERSONAL" <draft>'
expect_exit 0 ca settings
expect_out 'OFFICIAL-SENSITIVE & "PERSONAL" <draft>'

# Every format carries both, even for a period without audits.
mark='OFFICIAL-SENSITIVE & "PERSONAL" <draft>'
expect_exit 0 ca report --quarter 2026Q3
[ "$(head -1 "$tmp/out")" = "$mark" ] || fail "table does not open with the marking"
[ "$(tail -1 "$tmp/out")" = "$mark" ] || fail "table does not end with the marking"
expect_out "Anyshire County Council: case audit report, 2026Q3"
expect_exit 0 ca report --quarter 2026Q3 --format md
[ "$(head -1 "$tmp/out")" = "**$mark**" ] || fail "md does not open with the marking"
expect_out "# Anyshire County Council: case audit report, 2026Q3 (01/07/2026 to 30/09/2026)"
expect_exit 0 ca report --quarter 2026Q3 --format json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["council"] == "Anyshire County Council" and r["marking"] == sys.argv[2], r' "$tmp/out" "$mark" \
  || fail "json council/marking"
expect_exit 0 ca report --quarter 2026Q3 --format csv
sed -n 2p "$tmp/out" | grep -qF 'report,,,marking,"OFFICIAL-SENSITIVE & ""PERSONAL"" <draft>",,' || fail "csv marking"
expect_out 'report,,,council,Anyshire County Council,,'
expect_exit 0 ca report --quarter 2026Q3 --format html -o "$tmp/r.html"
grep -qF '<p class="marking">OFFICIAL-SENSITIVE &amp; &quot;PERSONAL&quot; &lt;draft&gt;</p>' "$tmp/r.html" || fail "html marking"
grep -qF '<p class="council">Anyshire County Council</p>' "$tmp/r.html" || fail "html council"
grep -qF '@top-center{content:"OFFICIAL-SENSITIVE & \22 PERSONAL\22  \3c draft\3e "' "$tmp/r.html" || fail "html print marking"
expect_exit 0 ca report --quarter 2026Q3 --format xlsx -o "$tmp/r.xlsx"
python3 - "$tmp/r.xlsx" "$mark" <<'PY' || fail "xlsx header and footer"
import re, sys, zipfile, html
z = zipfile.ZipFile(sys.argv[1])
sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
assert sheets
for n in sheets:
    hf = html.unescape(re.search(r"<headerFooter>(.*)</headerFooter>", z.read(n).decode()).group(1))
    # & is the header's code character: the marking's own & is written &&
    assert hf.count(sys.argv[2].replace("&", "&&")) == 2 and "&LAnyshire County Council" in hf, hf
PY
pass
