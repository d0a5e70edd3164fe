#!/usr/bin/env python3
"""Suppression in every format of the quarterly report (SPEC §9), checked from outside.

  suppression_check.py K TRUTH.json FORMAT=FILE...

TRUTH.json is the same report without --suppress-below. Each FILE is the report with
--suppress-below K in FORMAT (table, md, html, csv, json, xlsx). Parses each file's
breakdowns and checks that:
  - every cell whose true count is 1..K-1 reads <K (and never a blank), and every
    share or rate computed from a hidden count reads <K too;
  - every shown cell equals the truth;
  - every format hides the same cells (of those it shows);
  - no hidden count can be worked out from what the format shows: columns against the
    report's totals, rows (audits = the four grades), shares times audits, rates times
    moderated, repeated until nothing more is learnt.
Exits 1 with the reasons on failure.
"""
import csv
import html.parser
import io
import json
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

K = int(sys.argv[1])
HIDDEN = f"<{K}"
GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]
DIMS = ["plan", "age", "team", "auditor"]
COUNTS = ["audits", "moderated", "downgraded"] + [f"n:{g}" for g in GRADES]
problems = []


def dim_of_title(title):
    """'By plan' (or 'By plan type', 'By age band', ...) -> 'plan'."""
    m = re.match(r"\s*By (\w+)", title)
    return m.group(1) if m and m.group(1) in DIMS else None


def value(text):
    """A cell as read: HIDDEN, None (blank), ('pct', n) for a whole percent, or a number."""
    if text is None:
        return None
    if isinstance(text, (int, float)):
        return text
    t = text.strip()
    if t == "":
        return None
    if t == HIDDEN:
        return HIDDEN
    if t.endswith("%"):
        return ("pct", int(t[:-1]))
    return float(t) if re.search(r"[.eE]", t) else int(t)


def from_rows(rows):
    """Breakdown tables as rows of cells (level, audits, 4 shares, moderated, downgraded,
    rate[, its lower and upper limits, a note]) -> {level: {cell: value}}."""
    out = {}
    for r in rows:
        cells = {"audits": value(r[1]), "moderated": value(r[6]), "downgraded": value(r[7]), "rate": value(r[8])}
        for i, g in enumerate(GRADES):
            cells[f"p:{g}"] = value(r[2 + i])
        if len(r) >= 12:  # by auditor: the rate's interval, a note
            cells["rate_lo"], cells["rate_hi"] = value(r[9]), value(r[10])
        out[str(r[0]).strip()] = cells
    return out



def parse_table(text):
    out, lines, i = {}, text.split("\n"), 0
    while i < len(lines):
        rule = lines[i + 2] if i + 2 < len(lines) else ""
        dim = dim_of_title(lines[i]) if "-" in rule and set(rule) <= set("- ") else None
        if not dim:
            i += 1
            continue
        spans = [m.span() for m in re.finditer(r"-+", lines[i + 2])]
        rows, i = [], i + 3
        while i < len(lines) and lines[i].strip():
            line = lines[i].ljust(spans[-1][1])
            starts = [s for s, _ in spans] + [None]
            rows.append([line[starts[c]:starts[c + 1]] for c in range(len(spans))])
            i += 1
        out[dim] = from_rows(rows)
    return out


def parse_md(text):
    out, dim, rows = {}, None, []
    for line in text.split("\n") + [""]:
        if line.startswith("## "):
            dim, rows = dim_of_title(line[3:]), []
        elif dim and line.startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split(" | ")])
        elif dim and rows:
            out[dim] = from_rows(rows[2:])  # after the header and its rule
            dim, rows = None, []
    return out


class Html(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.title, self.text, self.row, self.rows = {}, None, None, None, None

    def handle_starttag(self, tag, attrs):
        if tag in ("h2", "td", "th"):
            self.text = ""
        elif tag == "tr":
            self.row = []
        elif tag == "table":
            self.rows = []

    def handle_endtag(self, tag):
        if tag == "h2":
            self.title = self.text
        elif tag in ("td", "th"):
            self.row.append(self.text)
        elif tag == "tr":
            self.rows.append(self.row)
        elif tag == "table" and dim_of_title(self.title or ""):
            self.tables[dim_of_title(self.title)] = from_rows(self.rows[1:])
        if tag in ("h2", "td", "th"):
            self.text = None

    def handle_data(self, data):
        if self.text is not None:
            self.text += data


def parse_html(text):
    p = Html()
    p.feed(text)
    return p.tables


def parse_xlsx(path):
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
    names = [s.get("name") for s in ET.fromstring(z.read("xl/workbook.xml")).find("m:sheets", ns)]
    out = {}
    for n, name in enumerate(names, 1):
        if not dim_of_title(name):
            continue
        rows = {}
        for c in ET.fromstring(z.read(f"xl/worksheets/sheet{n}.xml")).iter("{%s}c" % ns["m"]):
            col, row = re.match(r"([A-Z]+)(\d+)", c.get("r")).groups()
            v = c.find("m:v", ns)
            cell = None if v is None else shared[int(v.text)] if c.get("t") == "s" else float(v.text)
            rows.setdefault(int(row), [None] * 16)[ord(col) - ord("A")] = cell
        # the sheet's title rows, then the table's heading row, its rows, and notes under it
        head = min(r for r in rows if rows[r][0] in ("Plan type", "Age band", "Team", "Auditor"))
        width = sum(c is not None for c in rows[head])
        body = []
        for r in range(head + 1, max(rows) + 1):
            if r not in rows or rows[r][1] is None:
                break
            body.append(rows[r][:width])
        out[dim_of_title(name)] = from_rows(body)
    return out


def parse_csv(text):
    out = {}
    for r in csv.DictReader(io.StringIO(text)):
        if r["section"] != "by":
            continue
        m = r["measure"]
        cell = f"p:{m}" if m in GRADES else "rate" if m == "downgrade_rate" else m
        cells = out.setdefault(r["dimension"], {}).setdefault(r["level"], {})
        cells[cell] = value(r["value"])
        if cell == "rate" and cells[cell] != HIDDEN:
            cells["rate_lo"], cells["rate_hi"] = value(r["lower"]), value(r["upper"])
    return out


def parse_json(text):
    out = {}
    for dim, levels in json.loads(text)["by"].items():
        for l in levels:
            cells = {"audits": l["audits"], "moderated": l["moderated"], "downgraded": l["downgraded"]}
            for g in GRADES:
                f = (l["final"] or {}).get(g) or {}
                cells[f"n:{g}"], cells[f"p:{g}"] = f.get("n"), f.get("p")
                for b in ("lo", "hi"):
                    if (f.get(b) == HIDDEN) != (f.get("p") == HIDDEN):
                        problems.append(f"json {dim} {l['level']} {g}: {b} and p not hidden together")
            if "downgrade_rate" in l:
                cells["rate"] = l["downgrade_rate"]
                cells["rate_lo"], cells["rate_hi"] = l["downgrade_rate_lo"], l["downgrade_rate_hi"]
            out.setdefault(dim, {})[l["level"]] = cells
    return out


def truth_of(report):
    t = parse_json(json.dumps(report))
    for dim in t:
        for cells in t[dim].values():
            cells["rate"] = cells["downgraded"] / cells["moderated"] if cells["moderated"] else None
    return t


def shown_equals(fmt, where, got, true):
    if isinstance(got, tuple):  # a whole percent
        ok = true is not None and int(true * 100 + 0.5 + 1e-9) == got[1]
    elif isinstance(got, (int, float)) and true is not None:
        ok = abs(got - true) < 1e-12
    else:
        ok = got == true
    if not ok:
        problems.append(f"{fmt} {where}: shows {got!r}, the truth is {true!r}")


def must_hide(cells, cell):
    """Whether SPEC §9 hides this cell for certain: a count 1..K-1, or a share or rate of one."""
    def small(c):
        return isinstance(cells.get(c), int) and 1 <= cells[c] < K
    if cell.startswith("p:"):
        return small("audits") or small("n:" + cell[2:])
    if cell.startswith("rate"):
        return small("moderated") or small("downgraded")
    return small(cell)


def learn(fmt, table, totals, true):
    """What a reader can work out of the format's breakdown; the hidden counts it gives away."""
    given = []
    for dim, levels in table.items():
        known = {(l, c): v for l, cells in levels.items() for c, v in cells.items() if v not in (HIDDEN, None)}
        hidden = {(l, c) for l, cells in levels.items() for c, v in cells.items() if v == HIDDEN and c in COUNTS}
        # Where only the share is shown, a hidden share of a small count protects the count.
        hidden |= {(l, "n:" + c[2:]) for l, cells in levels.items() for c, v in cells.items()
                   if v == HIDDEN and c.startswith("p:") and "n:" + c[2:] not in cells
                   and 1 <= true[dim][l]["n:" + c[2:]] < K}

        def count_from_share(share, of):
            if isinstance(share, tuple):  # whole percent: the counts that round to it
                ks = [k for k in range(of + 1) if int(k * 100 / of + 0.5 + 1e-9) == share[1]]
                return ks[0] if len(ks) == 1 else None
            return round(share * of)

        changed = True
        while changed:
            changed = False
            derived = {}
            for l in levels:
                a = known.get((l, "audits"))
                for g in GRADES:
                    p = known.get((l, f"p:{g}"))
                    if a and p is not None and (l, f"n:{g}") not in known:
                        derived[(l, f"n:{g}")] = count_from_share(p, a)
                m, r = known.get((l, "moderated")), known.get((l, "rate"))
                if m and r is not None and (l, "downgraded") not in known:
                    derived[(l, "downgraded")] = count_from_share(r, m)
                d = known.get((l, "downgraded"))
                if d and r and not isinstance(r, tuple) and (l, "moderated") not in known:
                    derived[(l, "moderated")] = round(d / r)
                parts = [(l, f"n:{g}") for g in GRADES]
                unknown = [p for p in parts + [(l, "audits")] if p not in known]
                if len(unknown) == 1:
                    s = sum(known[p] for p in parts if p in known)
                    derived[unknown[0]] = s if unknown[0] not in parts else known[(l, "audits")] - s
            for c in COUNTS:
                unknown = [l for l in levels if (l, c) not in known]
                if len(unknown) == 1:
                    derived[(unknown[0], c)] = totals[c] - sum(known[(l, c)] for l in levels if l != unknown[0])
            for key, v in derived.items():
                if v is not None and key not in known:
                    known[key], changed = v, True
        for l, c in sorted(hidden):
            if (l, c) in known:
                given.append(f"{fmt}: by {dim}, {l}, {c} is hidden but works out as {known[(l, c)]}"
                             f" (truly {true[dim][l][c]})")
    return given


truth_report = json.load(open(sys.argv[2]))
true = truth_of(truth_report)
totals = {"audits": truth_report["audits"], "moderated": truth_report["moderation"]["moderated"],
          "downgraded": truth_report["moderation"]["downgraded"]["n"]}
for g in GRADES:
    totals[f"n:{g}"] = truth_report["grades"]["final"][g]["n"]

parsers = {"table": parse_table, "md": parse_md, "html": parse_html, "csv": parse_csv, "json": parse_json}
hidden_by_format = {}
for arg in sys.argv[3:]:
    fmt, path = arg.split("=", 1)
    table = parse_xlsx(path) if fmt == "xlsx" else parsers[fmt](open(path, encoding="utf-8").read())
    if sorted(table) != sorted(true):
        problems.append(f"{fmt}: breakdowns {sorted(table)}, expected {sorted(true)}")
        continue
    hidden = set()
    for dim, levels in table.items():
        if sorted(levels) != sorted(true[dim]):
            problems.append(f"{fmt}: by {dim}: levels {sorted(levels)}, expected {sorted(true[dim])}")
            continue
        for l, cells in levels.items():
            for c, v in cells.items():
                if v == HIDDEN:
                    hidden.add((dim, l, c))
                elif must_hide(true[dim][l], c):
                    problems.append(f"{fmt}: by {dim}, {l}, {c} reads {v!r}: it should read {HIDDEN}")
                elif v is None and true[dim][l].get(c) is not None:
                    problems.append(f"{fmt}: by {dim}, {l}, {c} is blank: the truth is {true[dim][l][c]!r}")
                else:
                    shown_equals(fmt, f"by {dim}, {l}, {c}", v, true[dim][l].get(c))
        for l, cells in levels.items():
            for b in ("rate_lo", "rate_hi"):
                if b in cells and (cells[b] == HIDDEN) != (cells["rate"] == HIDDEN):
                    problems.append(f"{fmt}: by {dim}, {l}: {b} and the rate not hidden together")
        problems.extend(learn(fmt, {dim: levels}, totals, true))
    hidden_by_format[fmt] = (hidden, {(d, l, c) for d in table for l in table[d] for c in table[d][l]})

# The same cells hidden everywhere (of those each format shows).
fmts = sorted(hidden_by_format)
for a in fmts:
    for b in fmts:
        ha, shown_a = hidden_by_format[a]
        hb, shown_b = hidden_by_format[b]
        for cell in sorted((ha & shown_b) - hb):
            problems.append(f"{a} hides {cell} but {b} shows it")
if not any(h for h, _ in hidden_by_format.values()):
    problems.append("nothing is hidden: the data does not test suppression")

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
