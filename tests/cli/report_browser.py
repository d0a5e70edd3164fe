#!/usr/bin/env python3
"""The html report's charts and layout, checked for print and for everyone (SPEC §9).

  report_browser.py contrast REPORT.html
      Every text-on-fill pair of the SVG charts contrasts at least 4.5:1 (WCAG 2
      relative luminance; the fill behind a text is the last shape drawn before it that
      contains its middle, else the white page). The grade chart's two series differ in
      lightness by at least 3:1 (so they read in greyscale); the trend's lines differ in
      dash and each is labelled with its grade's name.
  report_browser.py probe REPORT.html WIDTH... > PROBE.html
      A page that shows the report in an iframe of each width (srcdoc, so the report's
      own Content-Security-Policy stays as it is) and, once loaded, writes each frame's
      scroll width, client width, page height and the elements reaching past its right
      edge into <body data-layout="...">, for chromium --dump-dom to print.
  report_browser.py layout DUMPED.html
      Reads that attribute back: exits 1 if any width overflows; prints "WIDTH HEIGHT".
"""
import html
import re
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def rgb(colour):
    c = colour.strip().lower()
    named = {"white": "#ffffff", "black": "#000000"}
    c = named.get(c, c)
    m = re.fullmatch(r"#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})", c)
    if m:
        return tuple(int(x, 16) for x in m.groups())
    m = re.fullmatch(r"#([0-9a-f])([0-9a-f])([0-9a-f])", c)
    if m:
        return tuple(int(x * 2, 16) for x in m.groups())
    m = re.fullmatch(r"rgb\((\d+),\s*(\d+),\s*(\d+)\)", c)
    if m:
        return tuple(int(x) for x in m.groups())
    raise ValueError(f"colour {colour!r}")


def luminance(c):
    def lin(v):
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(v) for v in c)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def svgs(path):
    text = open(path, encoding="utf-8").read()
    for m in re.finditer(r"<svg\b.*?</svg>", text, re.S):
        yield ET.fromstring(m.group(0).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


def shape_box(e):
    tag = e.tag.replace(SVG, "")
    if tag == "rect":
        x, y = float(e.get("x", 0)), float(e.get("y", 0))
        return x, y, x + float(e.get("width")), y + float(e.get("height"))
    if tag == "circle":
        cx, cy, r = float(e.get("cx")), float(e.get("cy")), float(e.get("r"))
        return cx - r, cy - r, cx + r, cy + r
    if tag == "polygon":
        pts = [tuple(map(float, p.split(","))) for p in e.get("points").split()]
        return min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts)
    return None


def check_contrast(path):
    problems, pairs = [], 0
    for n, svg in enumerate(svgs(path)):
        drawn = []  # (box, fill) of every filled shape so far, in drawing order
        for e in svg.iter():
            tag = e.tag.replace(SVG, "")
            box = shape_box(e)
            if box and e.get("fill") not in (None, "none"):
                drawn.append((box, rgb(e.get("fill"))))
            if tag != "text":
                continue
            if e.get("transform"):  # the rotated axis title sits on the white margin
                behind = (255, 255, 255)
            else:
                x, y, size = float(e.get("x")), float(e.get("y")), float(e.get("font-size", 16))
                my = y - 0.35 * size
                behind = next((f for (x0, y0, x1, y1), f in reversed(drawn) if x0 <= x <= x1 and y0 <= my <= y1),
                              (255, 255, 255))
            fill = rgb(e.get("fill", "#000000"))
            ratio = contrast(fill, behind)
            pairs += 1
            if ratio < 4.5:
                problems.append(f"svg {n}: '{e.text}' {fill} on {behind}: {ratio:.2f}:1")
    return pairs, problems


def check_series(path):
    problems = []
    charts = list(svgs(path))
    if len(charts) != 3:
        return [f"expected 3 charts, found {len(charts)}"]
    by_label = {c.get("aria-label"): c for c in charts}
    bars = next((c for l, c in by_label.items() if "as audited" in l.lower()), charts[0])
    trend = by_label.get("Final grades by quarter", charts[2])
    fills = sorted({e.get("fill") for e in bars.iter(SVG + "rect")})
    if len(fills) != 2:
        problems.append(f"grade chart: expected two series, found fills {fills}")
    elif contrast(rgb(fills[0]), rgb(fills[1])) < 3:
        problems.append(f"grade chart: series {fills} differ by {contrast(rgb(fills[0]), rgb(fills[1])):.2f}:1 only")
    labels = " ".join(t.text or "" for t in bars.iter(SVG + "text"))
    for word in ("as audited", "final"):
        if labels.count(word) < 4:
            problems.append(f"grade chart: '{word}' labels {labels.count(word)} bars, not all 4")
    lines = list(trend.iter(SVG + "polyline"))
    dashes = [l.get("stroke-dasharray", "") for l in lines]
    if len(lines) != 4 or len(set(dashes)) != 4:
        problems.append(f"trend: 4 lines with 4 dash patterns expected, found {dashes}")
    for l in lines:
        if contrast(rgb(l.get("stroke")), (255, 255, 255)) < 3:
            problems.append(f"trend: line {l.get('stroke')} is under 3:1 against white")
    words = " ".join(t.text or "" for t in trend.iter(SVG + "text"))
    for g in ("Outstanding", "Good", "Requires improvement", "Inadequate"):
        if g not in words:
            problems.append(f"trend: no label for {g}")
    return problems


def probe(path, widths):
    src = html.escape(open(path, encoding="utf-8").read(), quote=True)
    frames = "".join(f'<iframe id="w{w}" style="border:0;width:{w}px;height:400px;display:block" srcdoc="{src}">'
                     "</iframe>" for w in widths)
    print(f"""<!DOCTYPE html><html><body style="margin:0">{frames}<script>
window.onload = () => {{
  const out = [];
  for (const f of document.querySelectorAll("iframe")) {{
    const d = f.contentDocument, e = d.documentElement, w = e.clientWidth;
    // past the edge, and not clipped by an ancestor that itself stays within it
    const clipped = x => {{
      for (let a = x.parentElement; a; a = a.parentElement)
        if (f.contentWindow.getComputedStyle(a).overflowX !== "visible" && a.getBoundingClientRect().right <= w + 0.5)
          return true;
      return false;
    }};
    const past = [...d.body.querySelectorAll("*")].filter(x => x.getBoundingClientRect().right > w + 0.5 && !clipped(x))
      .map(x => x.tagName.toLowerCase() + (x.className ? "." + x.className : "")).slice(0, 5).join(",");
    out.push([f.id.slice(1), e.scrollWidth, w, e.scrollHeight, past || "-"].join(":"));
  }}
  document.body.setAttribute("data-layout", out.join(" "));
}};
</script></body></html>""")


def layout(path):
    m = re.search(r'data-layout="([^"]*)"', open(path, encoding="utf-8").read())
    if not m:
        print("the probe page did not run (no data-layout)", file=sys.stderr)
        return 1
    bad = 0
    for item in m.group(1).split():
        width, scroll, client, height, past = item.split(":")
        print(width, height)
        if int(scroll) > int(client) or past != "-":
            print(f"at {width} px the page is {scroll} px wide for {client} px; past the edge: {past}",
                  file=sys.stderr)
            bad = 1
    return bad


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "contrast":
        pairs, problems = check_contrast(sys.argv[2])
        problems += check_series(sys.argv[2])
        for p in problems:
            print(p, file=sys.stderr)
        print(f"{pairs} text-on-fill pairs checked")
        sys.exit(1 if problems or pairs < 40 else 0)
    if cmd == "probe":
        probe(sys.argv[2], sys.argv[3:])
    if cmd == "layout":
        sys.exit(layout(sys.argv[2]))
