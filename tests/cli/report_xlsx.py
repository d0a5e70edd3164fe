#!/usr/bin/env python3
"""The report's workbook, set up to print (SPEC §9), read from its XML.

  report_xlsx.py REPORT.xlsx REPORT.json MARKING

Checks: sheet names are meaningful and within Excel's 31 characters; every sheet is
A4, fitted one page wide (fitToPage, fitToHeight 0), landscape when a table has more
than 8 columns, with the marking in its header and footer; every single-table sheet
repeats its heading row; the headline counts, the shares and kappa are numbers (not
text) with number formats, and equal the JSON report's values.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
path, report, marking = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
z = zipfile.ZipFile(path)
problems = []
wb = ET.fromstring(z.read("xl/workbook.xml"))
names = [s.get("name") for s in wb.find("m:sheets", NS)]
expected = ["Summary", "Grades", "Estimated share of open cases", "Moderation and agreement", "By plan type",
            "By age band", "By team", "By auditor", "Domains and actions", "Trend"]
if names != expected:
    problems.append(f"sheets {names}, expected {expected}")
titles = {d.get("localSheetId") for d in wb.iter("{%s}definedName" % NS["m"]) if d.get("name") == "_xlnm.Print_Titles"}

styles = ET.fromstring(z.read("xl/styles.xml"))
fmts = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.iter("{%s}numFmt" % NS["m"])}
fmts.update({0: "General", 9: "0%", 1: "0", 2: "0.00", 14: "dd/mm/yyyy"})
xfs = [int(x.get("numFmtId", 0)) for x in styles.find("m:cellXfs", NS)]
shared = ["".join(t.text or "" for t in si.iter("{%s}t" % NS["m"]))
          for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS)]


def cells(n):
    """{(row, col): (value, number format)} of sheet n (1-based); text as str, numbers as float."""
    out = {}
    for c in ET.fromstring(z.read(f"xl/worksheets/sheet{n}.xml")).iter("{%s}c" % NS["m"]):
        col, row = re.match(r"([A-Z]+)(\d+)", c.get("r")).groups()
        v = c.find("m:v", NS)
        if v is None:
            continue
        value = shared[int(v.text)] if c.get("t") == "s" else float(v.text)
        out[(int(row), ord(col) - ord("A"))] = (value, fmts.get(xfs[int(c.get("s", 0))], "?"))
    return out


for n, name in enumerate(names, 1):
    xml = z.read(f"xl/worksheets/sheet{n}.xml").decode()
    setup = re.search(r"<pageSetup [^>]*>", xml)
    setup = setup.group(0) if setup else ""
    if 'paperSize="9"' not in setup or 'fitToHeight="0"' not in setup or '<pageSetUpPr fitToPage="1"/>' not in xml:
        problems.append(f"{name}: not set to print one A4 page wide: {setup}")
    hf = re.search(r"<headerFooter>(.*)</headerFooter>", xml)
    if not hf or hf.group(1).count(marking.replace("&", "&amp;&amp;")) < 2:
        problems.append(f"{name}: the marking is not in its header and footer")
    widest = max((c for (r, c) in cells(n)), default=0) + 1
    if (widest > 8) != ('orientation="landscape"' in setup):
        problems.append(f"{name}: {widest} columns but {'not ' if widest > 8 else ''}landscape")
    single = name.startswith("By ") or name in ("Grades", "Estimated share of open cases", "Trend")
    if single and str(n - 1) not in titles:
        problems.append(f"{name}: the heading row is not repeated on each printed page")


def close(got, want, fmt):
    """A number cell equal to want (libxlsxwriter writes 16 significant digits) with format fmt."""
    return got is not None and isinstance(got[0], float) and abs(got[0] - want) <= 1e-14 * max(1, abs(want)) \
        and got[1] == fmt


def row_of(sheet, label):
    c = cells(sheet)
    r = next((r for (r, col), (v, f) in c.items() if col == 0 and v == label), None)
    return {col: vf for (rr, col), vf in c.items() if rr == r}


summary = {k: row_of(1, k) for k in ("Audits completed", "Rounds covered", "Completion rate", "From")}
if summary["Audits completed"].get(1) != (float(report["audits"]), "0"):
    problems.append(f"Summary: audits {summary['Audits completed'].get(1)}, expected {report['audits']} as a number")
if not close(summary["Completion rate"].get(1), report["completion_rate"], "0%"):
    problems.append(f"Summary: completion {summary['Completion rate'].get(1)}")
if summary["From"].get(1, (None, ""))[1] != "dd/mm/yyyy":
    problems.append(f"Summary: the period's first day is not a date: {summary['From'].get(1)}")
k = row_of(4, "Cohen's kappa")
want = report["moderation"]["kappa"]
if not all(close(k.get(c), want[key], "0.00") for c, key in ((1, "value"), (2, "lo"), (3, "hi"))):
    problems.append(f"kappa {k}, expected {want} as numbers formatted 0.00")
p = row_of(4, "Sign test, downgrades against upgrades (one-sided p)")
if not close(p.get(1), report["moderation"]["sign_test_p"], "0.0000"):
    problems.append(f"sign test {p}")
g = row_of(2, "Good")
if not close(g.get(2), report["grades"]["audited"]["good"]["p"], "0%"):
    problems.append(f"Grades: Good's share {g.get(2)}, expected {report['grades']['audited']['good']['p']} as 0%")
for msg in problems:
    print(msg, file=sys.stderr)
sys.exit(1 if problems else 0)
