#!/usr/bin/env bash
# The report's workbook prints (SPEC §9, issue 16): the sample quarter's xlsx has
# meaningful sheet names, numbers as numbers with formats, every sheet set to print one
# A4 page wide with the marking in its header and footer (tests/cli/report_xlsx.py reads
# the XML), and LibreOffice, converting it to PDF, prints it on at most 10 pages (the PDF
# is kept in the build folder's report-review/ for a person to look at).
source "$SRC/tests/cli/lib.sh"
source "$SRC/tests/cli/report_lib.bash"
need_package soffice libreoffice-calc
sample_quarter
review=$BIN/report-review
mkdir -p "$review"
book=$review/report-2026Q3-xlsx.xlsx
expect_exit 0 ca report --quarter 2026Q3 --by plan,age,team,auditor --format xlsx -o "$book"
expect_exit 0 ca report --quarter 2026Q3 --by plan,age,team,auditor --format json -o "$tmp/r.json"
python3 "$SRC/tests/cli/report_xlsx.py" "$book" "$tmp/r.json" OFFICIAL-SENSITIVE > "$tmp/out" 2>&1 ||
  fail "the workbook is not set up as it should be"

# LibreOffice, with a profile of its own so that it never meets another running copy (and a PDF
# name of its own: report_browser.sh prints the html into the same folder at the same time).
rm -f "$review/report-2026Q3-xlsx.pdf"
timeout 120 soffice -env:UserInstallation="file://$tmp/lo-profile" --headless --convert-to pdf \
  --outdir "$review" "$book" > "$tmp/out" 2>&1 || fail "LibreOffice could not convert the workbook"
[ -s "$review/report-2026Q3-xlsx.pdf" ] || fail "LibreOffice wrote no PDF"
pages=$(python3 -c 'import re, sys; print(len(re.findall(rb"/Type\s*/Page[^s]", open(sys.argv[1], "rb").read())))' \
  "$review/report-2026Q3-xlsx.pdf")
command -v pdfinfo > /dev/null || need_package_soft poppler-utils
if command -v pdfinfo > /dev/null; then
  [ "$(pdfinfo "$review/report-2026Q3-xlsx.pdf" | awk '/^Pages:/ { print $2 }')" = "$pages" ] || fail "page counts differ"
fi
# One page per sheet at least: 10 sheets; no more than 10 pages.
[ "$pages" -ge 10 ] && [ "$pages" -le 10 ] || fail "the workbook prints on $pages pages (at most 10)"
echo "report_xlsx: $pages A4 pages"
pass
