#!/usr/bin/env bash
# Lists for people (SPEC §13, issue 15 item 4): one auditor's cases, one file per
# auditor, xlsx that prints one page wide with the header repeated, and CSV whose
# values survive LibreOffice with default settings (converted with soffice
# --headless and read back with openpyxl), returned with 'grade --file'.
source "$SRC/tests/cli/lib.sh"

need_packages libreoffice-calc python3-openpyxl || fail "cannot install libreoffice-calc and python3-openpyxl"
py=/usr/bin/python3   # Debian's, which has python3-openpyxl
# soffice with a profile of its own, so that tests running at once do not share one.
lo() { soffice -env:UserInstallation="file://$tmp/lo-profile" --headless "$@" >"$tmp/lo.log" 2>&1 ||
         { cat "$tmp/lo.log" >&2; fail "soffice $*"; }; }

# Ids with leading zeros, every age band (1-4, 5-9, 10-15, 16-17 and 18+ are the ones a
# spreadsheet changes), accents in names.
{ echo "case_id,date_of_birth,plan_type,team,worker"
  dobs=(01/01/2024 01/01/2020 01/01/2014 01/01/2010 01/01/2007 01/06/2026)
  for i in $(seq 1 36); do
    t=$(( i % 3 )); plan=CIN; [ $(( i % 6 )) = 4 ] && plan=CL
    echo "00$i,${dobs[$(( i % 6 ))]},$plan,Team $t,Worker $t"
  done; } > "$tmp/cases.csv"
printf 'name,team\nSiobhán Ní Bhriain,Team 0\nOwen Driscoll,Team 1\nAnn/Lee,Team 2\nAnn-Lee,Team 0\n' > "$tmp/people.csv"
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/11/2026
expect_exit 0 ca people import "$tmp/people.csv"
expect_exit 0 ca sample 2026-11 --size 24 --strata plan,age --seed 11 --due 30/11/2026
expect_exit 0 ca assign 2026-11

# --auditor: the register's names, matched ignoring case and spaces; exactly their cases.
expect_exit 0 ca list 2026-11 --auditor "  owen   DRISCOLL " --format csv
sed '1d' "$tmp/out" | cut -d, -f2 | sed 's/^\xe2\x81\xa0//' > "$tmp/got"
q "SELECT case_id FROM round_case WHERE auditor = 'Owen Driscoll' ORDER BY seq" > "$tmp/want"
[ -s "$tmp/want" ] && cmp -s "$tmp/want" "$tmp/got" || fail "--auditor does not give exactly Owen Driscoll's cases"
expect_exit 0 ca list 2026-11 --auditor "owen driscoll" --format csv -o "$tmp/owen.csv"
expect_err "Wrote audit list $tmp/owen.csv: $(wc -l < "$tmp/want") cases for Owen Driscoll"
snapshot_db
expect_exit 1 ca list 2026-11 --auditor "Owen Driscol"
expect_err 'error: "Owen Driscol" is not in the people register (did you mean "Owen Driscoll"?)'
expect_db_unchanged

# --split-by auditor: one file per auditor, safe names (Ann/Lee's would be Ann-Lee's, so it
# is numbered), 0600, one line each on stderr.
expect_exit 0 ca list 2026-11 --split-by auditor -o "$tmp/lists"
for who in "Ann-Lee:Ann-Lee" "Ann/Lee:Ann-Lee (2)" "Owen Driscoll:Owen Driscoll" \
           "Siobhán Ní Bhriain:Siobhán Ní Bhriain"; do
  n=$(q "SELECT count(*) FROM round_case WHERE auditor = '${who%%:*}'")
  f="$tmp/lists/2026-11 - ${who#*:}.xlsx"
  [ -f "$f" ] || fail "no file '$f'"
  [ "$(stat -c %a "$f")" = 600 ] || fail "'$f' is not mode 0600"
  expect_err "Wrote audit list $f: $n cases for ${who%%:*}"
done
[ "$(wc -l < "$tmp/err")" = 4 ] && [ "$(ls "$tmp/lists" | wc -l)" = 4 ] || fail "not one file and one line per auditor"
$py - "$tmp/lists" "$tmp/split.txt" <<'PY' || fail "the split files"
import openpyxl, os, sys
out = open(sys.argv[2], 'w')
for name in sorted(os.listdir(sys.argv[1])):
    ws = openpyxl.load_workbook(os.path.join(sys.argv[1], name)).active
    rows = list(ws.iter_rows(values_only=True))
    head = rows[0]
    for r in rows[1:]:
        out.write('%s|%s\n' % (r[head.index('case_id')], r[head.index('auditor')]))
PY
sort "$tmp/split.txt" > "$tmp/got"
q "SELECT case_id, auditor FROM round_case ORDER BY 1, 2" | LC_ALL=C sort > "$tmp/want"
LC_ALL=C sort "$tmp/got" -o "$tmp/got"
cmp -s "$tmp/want" "$tmp/got" || fail "the split files are not the list, each case in its auditor's file"
expect_exit 0 ca list 2026-11 --split-by auditor --format csv -o "$tmp/csvs"
[ -f "$tmp/csvs/2026-11 - Owen Driscoll.csv" ] || fail "--format csv split"
cmp -s "$tmp/owen.csv" "$tmp/csvs/2026-11 - Owen Driscoll.csv" || fail "a split CSV differs from --auditor's"
expect_exit 2 ca list 2026-11 --split-by team -o "$tmp/x"
expect_err "--split-by 'team': the list can be split by auditor"
expect_exit 2 ca list 2026-11 --split-by auditor
expect_err "needs -o DIR"
expect_exit 2 ca list 2026-11 --split-by auditor --auditor Ann/Lee -o "$tmp/x"
expect_exit 2 ca list 2026-11 --split-by auditor --format md -o "$tmp/x"
expect_exit 0 ca sample 2026-12 --size 3 --strata plan --seed 1 --exclude-audited-within 0
expect_exit 1 ca list 2026-12 --split-by auditor -o "$tmp/none"
expect_err "round 2026-12 has no auditors yet: allocate it with 'caseaudit assign 2026-12' first"

# The xlsx prints well: A4 landscape, one page wide, header repeated, text kept as text,
# note and action wide and wrapped, the grade drop-downs kept.
f="$tmp/lists/2026-11 - Owen Driscoll.xlsx"
$py - "$f" <<'PY' || fail "the xlsx list's print and column settings"
import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1]).active
ps = ws.page_setup
assert ps.orientation == 'landscape' and ps.paperSize == 9, (ps.orientation, ps.paperSize)
assert ws.sheet_properties.pageSetUpPr.fitToPage and ps.fitToWidth in (None, 1) and ps.fitToHeight == 0
assert ws.print_title_rows == '$1:$1', ws.print_title_rows
head = [c.value for c in ws[1]]
col = {h: openpyxl.utils.get_column_letter(i + 1) for i, h in enumerate(head)}
for h in ('round', 'case_id', 'age_band', 'team', 'note', 'action'):
    assert ws.column_dimensions[col[h]].number_format == '@', h
    assert ws.cell(2, head.index(h) + 1).number_format == '@' or h in ('note', 'action'), h
for h in ('note', 'action'):
    d = ws.column_dimensions[col[h]]
    assert d.width >= 30 and d.alignment.wrap_text, (h, d.width)
r2 = [c.value for c in ws[2]]
assert isinstance(r2[head.index('case_id')], str) and r2[head.index('case_id')].startswith('00')
ranges = sorted(str(dv.sqref).split(':')[0].rstrip('0123456789') for dv in ws.data_validations.dataValidation)
want = sorted(col[h] for h in head if h == 'grade' or h.startswith('domain:'))
assert ranges == want, (ranges, want)
PY
# ... and LibreOffice prints it on one landscape page (the list used to take 7 portrait pages).
cp "$f" "$tmp/owen.xlsx"
lo --convert-to pdf --outdir "$tmp" "$tmp/owen.xlsx"
$py - "$tmp/owen.pdf" <<'PY' || fail "the printed list is not one landscape page"
import re, sys
d = open(sys.argv[1], 'rb').read()
pages = len(re.findall(rb'/Type\s*/Page[^s]', d))
w, h = map(float, re.search(rb'/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)', d).groups())
assert pages == 1 and w > h, (pages, w, h)
PY

# CSV for people: a byte-order mark, and every value as it was after LibreOffice
# opens it with default settings (its charset set to UTF-8, as the mark says), and
# again with "detect special numbers" on (closer to Excel, which turns 1-4 into 1 April).
expect_exit 0 ca list 2026-11 --format csv -o "$tmp/list.csv"
[ "$(head -c 3 "$tmp/list.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "no byte-order mark"
grep -q "$(printf '\xe2\x81\xa0')1-4," "$tmp/list.csv" || fail "the sample has no 1-4 band to test"
grep -q "$(printf '\xe2\x81\xa0')18+," "$tmp/list.csv" || fail "the sample has no 18+ band to test"
grep -q "$(printf '\xe2\x81\xa0')00" "$tmp/list.csv" || fail "the sample has no id with leading zeros to test"
for opts in "CSV:44,34,76,1" "CSV:44,34,76,1,,0,false,true"; do
  rm -f "$tmp/list.xlsx"
  lo --infilter="$opts" --convert-to xlsx --outdir "$tmp" "$tmp/list.csv"
  $py - "$tmp/list.csv" "$tmp/list.xlsx" <<'PY' || fail "LibreOffice ($opts) changed a value"
import csv, datetime, openpyxl, sys
want = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')))
got = list(openpyxl.load_workbook(sys.argv[2]).active.iter_rows(values_only=True))
assert len(want) == len(got) > 1, (len(want), len(got))
for i, (w, g) in enumerate(zip(want, got)):
    for j, wv in enumerate(w):
        gv = g[j] if j < len(g) else None
        wv = wv[1:] if wv.startswith('\u2060') else wv   # the invisible guard
        if isinstance(gv, datetime.datetime):            # an ISO date became the same date
            gv = gv.date().isoformat()
        elif isinstance(gv, str):
            gv = gv[1:] if gv.startswith('\u2060') else gv
        elif gv is None:
            gv = ''
        else:                                             # a plain number that reads the same
            gv = str(gv)
        assert gv == wv, 'row %d column %s: %r became %r' % (i + 1, want[0][j], wv, gv)
PY
done
# A plain CSV of the same values is changed by the same conversion: the check can fail.
sed 's/\xe2\x81\xa0//g' "$tmp/list.csv" > "$tmp/plain.csv"
lo --infilter="CSV:44,34,76,1" --convert-to xlsx --outdir "$tmp" "$tmp/plain.csv"
$py - "$tmp/plain.xlsx" <<'PY' || fail "unguarded ids and bands were expected to change"
import openpyxl, sys
rows = list(openpyxl.load_workbook(sys.argv[1]).active.iter_rows(values_only=True))
h = rows[0]
assert any(isinstance(r[h.index('case_id')], int) for r in rows[1:])   # 0012 became 12
assert any(r[h.index('age_band')] == 18 for r in rows[1:])             # 18+ became 18
PY

# The round trips. Opened in LibreOffice and saved as a workbook (the guards stay in
# its text cells), filled in with openpyxl, returned as .xlsx:
n=$(q "SELECT count(*) FROM round_case WHERE round_id = (SELECT id FROM round WHERE label = '2026-11')")
$py - "$tmp/list.xlsx" "$tmp/return.xlsx" <<'PY' || fail "filling in the workbook"
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.active
h = [c.value for c in ws[1]]
assert ws.cell(2, h.index('round') + 1).value == '\u20602026-11'
for r in range(2, ws.max_row + 1):
    ws.cell(r, h.index('grade') + 1, 'Good')
    ws.cell(r, h.index('audit_date') + 1, '20/11/2026')
    ws.cell(r, h.index('note') + 1, 'Seen by ' + ws.cell(r, h.index('auditor') + 1).value)
wb.save(sys.argv[2])
PY
expect_exit 0 ca grade 2026-11 --file "$tmp/return.xlsx"
expect_out "Round 2026-11: $n grades recorded, 0 corrected, 0 unchanged"
# ... and opened and saved as CSV by LibreOffice, filled in the same, returned: all unchanged.
mkdir "$tmp/saved"
lo --infilter="CSV:44,34,76,1" --convert-to "csv:Text - txt - csv (StarCalc):44,34,76,1" --outdir "$tmp/saved" \
  "$tmp/list.csv"
$py - "$tmp/saved/list.csv" "$tmp/return.csv" <<'PY' || fail "filling in the saved list"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')))
h = rows[0]
for r in rows[1:]:
    r[h.index('grade')] = 'Good'
    r[h.index('audit_date')] = '20/11/2026'
    r[h.index('note')] = 'Seen by ' + r[h.index('auditor')]
csv.writer(open(sys.argv[2], 'w', encoding='utf-8', newline='')).writerows(rows)
PY
grep -q "$(printf '\xe2\x81\xa0')2026-11," "$tmp/return.csv" || fail "LibreOffice did not keep the guard"
expect_exit 0 ca grade 2026-11 --file "$tmp/return.csv"
expect_out "Round 2026-11: 0 grades recorded, 0 corrected, $n unchanged"
[ "$(q "SELECT count(*) FROM audit_current a JOIN round_case rc USING (round_id, case_id)
        WHERE a.grade = 2 AND a.auditor = rc.auditor AND a.note = 'Seen by ' || rc.auditor")" = "$n" ] ||
  fail "the returned list did not record every case as filled in"
pass
