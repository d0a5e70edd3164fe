#!/usr/bin/env bash
# The html report in a real browser (SPEC §9, issue 16): the sample quarter rendered by
# headless Chromium at 1280 and 390 px (screenshots kept under the build folder for a
# person to look at), printed to PDF on at most 5 A4 pages, no horizontal overflow at
# 1280, 680 (the A4 text column) or 390 px, and every text-on-fill pair of the charts at
# least 4.5:1. Overflow is measured by a probe page (tests/cli/report_browser.py) that
# holds the report in iframes of each width and writes what it measured into its own
# DOM, which --dump-dom prints once --virtual-time-budget has let its script run; the
# report itself keeps its Content-Security-Policy (no script runs in it).
source "$SRC/tests/cli/lib.sh"
source "$SRC/tests/cli/report_lib.bash"
need_package chromium chromium
sample_quarter
review=$BIN/report-review
mkdir -p "$review"
html=$review/report-2026Q3.html
expect_exit 0 ca report --quarter 2026Q3 --by plan,age,team,auditor --format html -o "$html"
grep -q '<meta name="viewport" content="width=device-width, initial-scale=1">' "$html" || fail "no viewport tag"

browser() {
  timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$(mktemp -d -p "$tmp")" "$@" \
    2>>"$tmp/chromium.log"
}

# The charts: contrast of every text against what lies behind it; series told apart.
python3 "$SRC/tests/cli/report_browser.py" contrast "$html" > "$tmp/out" 2>&1 || fail "chart contrast or series"

# Layout: nothing runs past the right edge at any width.
python3 "$SRC/tests/cli/report_browser.py" probe "$html" 1280 680 390 > "$tmp/probe.html"
browser --window-size=1400,900 --virtual-time-budget=10000 --dump-dom "file://$tmp/probe.html" > "$tmp/dom.html" ||
  fail "chromium could not load the probe page: $(tail -3 "$tmp/chromium.log")"
python3 "$SRC/tests/cli/report_browser.py" layout "$tmp/dom.html" > "$tmp/out" 2> "$tmp/err" ||
  fail "the page overflows: $(cat "$tmp/err")"
height() { awk -v w="$1" '$1 == w { print $2 }' "$tmp/out"; }
[ "$(height 390)" -gt "$(height 1280)" ] || fail "the phone layout is not taller than the desktop one"

# Screenshots of the whole page at each width, for review.
for w in 1280 390; do
  rm -f "$review/report-2026Q3-$w.png"
  browser --window-size="$w,$(height $w)" --hide-scrollbars --screenshot="$review/report-2026Q3-$w.png" \
    "file://$html" > /dev/null || fail "no screenshot at $w px"
  [ "$(head -c 8 "$review/report-2026Q3-$w.png" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] ||
    fail "the $w px screenshot is not a PNG"
done

# Print: A4 (the page's own @page rule), the marking in its margins, at most 5 pages.
rm -f "$review/report-2026Q3-html.pdf"
browser --no-pdf-header-footer --print-to-pdf="$review/report-2026Q3-html.pdf" "file://$html" > /dev/null ||
  fail "chromium could not print"
pages=$(python3 -c 'import re, sys; print(len(re.findall(rb"/Type\s*/Page[^s]", open(sys.argv[1], "rb").read())))' \
  "$review/report-2026Q3-html.pdf")
# poppler-utils, when it can be had, counts the pages too and reads the marking on each.
command -v pdftotext > /dev/null || need_package_soft poppler-utils
if command -v pdfinfo > /dev/null; then
  [ "$(pdfinfo "$review/report-2026Q3-html.pdf" | awk '/^Pages:/ { print $2 }')" = "$pages" ] || fail "page counts differ"
  for p in $(seq 1 "$pages"); do
    [ "$(pdftotext -f "$p" -l "$p" "$review/report-2026Q3-html.pdf" - | grep -c OFFICIAL-SENSITIVE)" -ge 2 ] ||
      fail "page $p does not carry the marking at its top and foot"
  done
fi
[ "$pages" -ge 2 ] && [ "$pages" -le 5 ] || fail "the sample quarter prints on $pages pages (at most 5)"
echo "report_browser: $pages A4 pages; $(head -1 "$tmp/out" 2>/dev/null); screenshots in $review"
pass
