#!/usr/bin/python3
"""Writes the .xlsx fixtures of tests/unit/test_xlsxread.c (committed; the test needs
neither Python nor LibreOffice). Debian's python3 (for python3-openpyxl):

    tests/data/xlsx/make_fixtures.py BUILD/caseaudit

- openpyxl.xlsx    by openpyxl (3.0 writes inline strings, no shared ones): numbers as ids, dates by style
                   (built-in 14 and custom formats), serials 59/60/61, a formula
                   without a cached value, #N/A, booleans, gaps in rows and columns
- date1904.xlsx    by openpyxl in the 1904 date system
- libreoffice.xlsx by LibreOffice from a CSV read with UK settings (soffice --convert-to)
- caseaudit.xlsx   by caseaudit itself: `caseaudit list ROUND --format xlsx`
- handmade.xlsx    raw XML as other writers do it: inline and rich-text strings with
                   phonetic runs, str formulas, t="d", t="e", rows and cells without
                   r, a namespace prefix, sheets in another order than their parts,
                   absolute and ../ relationship targets, shared strings and styles
                   under other names, _x000D_ escapes, "1.4628E4"
- hostile: bomb.xlsx (honest sizes), bomb-lying.xlsx (sizes in the headers
  falsified), dtd-sheet.xlsx (billion laughs in a sheet), dtd-workbook.xlsx,
  truncated.xlsx, text.xlsx (a CSV named .xlsx)
"""
import datetime
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HERE = os.path.dirname(os.path.abspath(__file__))


def out(name):
    return os.path.join(HERE, name)


def by_openpyxl():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cases"
    ws.append(["case_id", "name", "dob", "plan", "note"])
    ws.append([14628, "Siobhán", datetime.date(2015, 3, 1), "CP", "plain"])
    ws["C2"].number_format = "dd/mm/yyyy"                  # custom date format
    ws.append([14628.0, "Zoë", datetime.date(2009, 12, 31), "CIN", 2.5])
    ws["A3"].number_format = "0000000"                     # zeros shown, not stored
    ws["C3"].number_format = "mm-dd-yy"                    # built-in 14
    ws["A4"] = 1234567890123
    ws["B4"] = True
    ws["C4"] = 61
    ws["C4"].number_format = "d mmm yyyy"
    ws["D4"] = False
    ws["E4"] = 0.5
    ws["E4"].number_format = "h:mm"                        # a time: not a date
    ws["A5"] = "C5 gap"                                    # B5 missing
    ws["C5"] = 59
    ws["C5"].number_format = "dd/mm/yyyy"
    ws["A9"] = "after gap"                                 # rows 6-8 missing
    ws["E9"] = -3
    ws["A10"] = "formula"
    ws["C10"] = "=A2+1"                                    # no cached value
    ws["A11"] = "error"
    ws["D11"] = "#N/A"                                     # an error cell
    ws["A12"] = "leap"
    ws["C12"] = 60                                         # 29/02/1900, never was
    ws["C12"].number_format = "dd/mm/yyyy"
    ws["A13"] = "last"
    ws["B13"] = "0014628"                                  # text keeps its zeros
    ws["E13"] = 0.1
    notes = wb.create_sheet("Notes")
    notes["A1"] = "read me"
    wb.save(out("openpyxl.xlsx"))


def by_openpyxl_1904():
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Mac"
    ws.append(["what", "date"])
    ws.append(["as of", datetime.date(2026, 11, 1)])
    ws["B2"].number_format = "dd/mm/yyyy"
    ws.append(["day 0", 0])
    ws["B3"].number_format = "dd/mm/yyyy"
    ws.append(["day 60", 60])
    ws["B4"].number_format = "dd/mm/yyyy"
    wb.save(out("date1904.xlsx"))


def by_libreoffice():
    tmp = tempfile.mkdtemp()
    csv = os.path.join(tmp, "libreoffice.csv")
    with open(csv, "w", encoding="utf-8") as f:
        f.write("case_id,name,dob,plan,age_band\n")
        f.write("0014628,Siobhán,01/03/2015,CP,1-4\n")
        f.write("22,Zoë Ó Briain,29/02/2024,CLA,10-15\n")
    # 44 comma, 34 quote, 76 UTF-8, row 1, no column types, 2057 en-GB (day-first dates)
    subprocess.run(["soffice", "--headless", "-env:UserInstallation=file://" + tmp + "/profile",
                    "--infilter=CSV:44,34,76,1,,2057", "--convert-to", "xlsx", "--outdir", tmp, csv],
                   check=True, stdout=subprocess.DEVNULL)
    shutil.copy(os.path.join(tmp, "libreoffice.xlsx"), out("libreoffice.xlsx"))
    shutil.rmtree(tmp)


def by_caseaudit(binary):
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "t.db")
    env = dict(os.environ, CASEAUDIT_NOW="2026-11-24T12:00:00Z")
    with open(os.path.join(tmp, "cases.csv"), "w") as f:
        f.write("case_id,date_of_birth,plan_type,team,worker\n")
        f.write("0014628,01/03/2015,CP,Team A,Siobhán Kelly\n")
        f.write("C2,01/01/2012,CIN,Team B,Worker 2\n")
    def ca(*args):
        subprocess.run([binary, "--db", db] + list(args), check=True, env=env, stdout=subprocess.DEVNULL)
    ca("import", os.path.join(tmp, "cases.csv"), "--as-of", "01/11/2026")
    ca("sample", "2026-11", "--size", "2", "--seed", "1", "--due", "30/11/2026")
    ca("list", "2026-11", "--format", "xlsx", "-o", out("caseaudit.xlsx"))
    shutil.rmtree(tmp)


CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/></Types>')
ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def workbook_parts(sheets, extra_wb="", rels_targets=None, strings="sharedStrings.xml", styles="styles.xml"):
    """sheets: [(name, xml)] in workbook order; part i+1 holds sheet i unless told."""
    wb = ('<?xml version="1.0"?>\n<workbook %s %s>%s<sheets>' % (NS, RNS, extra_wb)
          + "".join('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (n, i + 1, i + 1)
                    for i, (n, _) in enumerate(sheets)) + "</sheets></workbook>")
    targets = rels_targets or ["worksheets/sheet%d.xml" % (i + 1) for i in range(len(sheets))]
    rels = ('<?xml version="1.0"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships">' + "".join(
                '<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships/worksheet" Target="%s"/>' % (i + 1, t) for i, t in enumerate(targets))
            + '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
              'relationships/sharedStrings" Target="%s"/>' % strings
            + '<Relationship Id="rId98" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
              'relationships/styles" Target="%s"/></Relationships>' % styles)
    return {"[Content_Types].xml": CT, "_rels/.rels": ROOT_RELS, "xl/workbook.xml": wb,
            "xl/_rels/workbook.xml.rels": rels}


def write_zip(name, parts, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(out(name), "w", compression) as z:
        for k, v in parts.items():
            z.writestr(k, v)


def handmade():
    sst = ('<?xml version="1.0"?>\n<sst %s count="4" uniqueCount="4">'
           '<si><t>plain</t></si>'
           '<si><r><rPr><b/></rPr><t>Rich </t></r><r><t xml:space="preserve">text </t></r><r><t>runs</t></r></si>'
           '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si>'
           '<si><t>line_x000D__x000A_break</t></si>'
           '</sst>') % NS
    styles = ('<?xml version="1.0"?>\n<styleSheet %s><numFmts count="3">'
              '<numFmt numFmtId="164" formatCode="[$-809]dd mmmm yyyy;@"/>'
              '<numFmt numFmtId="165" formatCode="[h]:mm"/>'
              '<numFmt numFmtId="166" formatCode="&quot;day&quot; 0"/></numFmts>'
              '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
              '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/>'
              '<xf numFmtId="166"/><xf numFmtId="22"/></cellXfs></styleSheet>') % NS
    # The first sheet in workbook order is "Zeta", kept in part sheet2.xml.
    zeta = ('<?xml version="1.0"?>\n<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/'
            'main"><x:sheetData>'
            '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c>'
            '<x:c r="C1" t="s"><x:v>2</x:v></x:c><x:c r="D1" t="s"><x:v>3</x:v></x:c></x:row>'
            '<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>inline</x:t></x:is></x:c>'
            '<x:c r="B2" t="inlineStr"><x:is><x:r><x:t>in</x:t></x:r><x:r><x:t>line rich</x:t></x:r></x:is></x:c>'
            '<x:c r="C2" t="str"><x:f>"a"&amp;"b"</x:f><x:v>ab</x:v></x:c>'
            '<x:c r="D2" t="d"><x:v>2026-11-01T00:00:00</x:v></x:c></x:row>'
            '<x:row><x:c><x:v>1.4628E4</x:v></x:c><x:c t="b"><x:v>1</x:v></x:c>'
            '<x:c s="1"><x:v>46327</x:v></x:c><x:c s="2"><x:v>1.5</x:v></x:c><x:c s="3"><x:v>7</x:v></x:c>'
            '<x:c s="4"><x:v>46327.75</x:v></x:c></x:row>'
            '<x:row r="4"><x:c r="B4"><x:f>SUM(A3)</x:f><x:v>14628</x:v></x:c>'
            '<x:c r="D4" t="e"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c></x:row>'
            '<x:row r="5"><x:c r="A5" t="str"><x:f>A1</x:f></x:c><x:c r="B5" s="0"/><x:c r="C5"><x:v>-0</x:v></x:c></x:row>'
            '<x:row r="6"/>'
            '<x:row r="7"><x:c r="AA7"><x:v>1e-3</x:v></x:c></x:row>'
            '</x:sheetData></x:worksheet>')
    alpha = ('<?xml version="1.0"?>\n<worksheet %s><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>alpha'
             '</t></is></c></row></sheetData></worksheet>') % NS
    parts = workbook_parts([("Zeta", zeta), ("Alpha", alpha)],
                           rels_targets=["/xl/worksheets/sheet2.xml", "worksheets/sheet1.xml"],
                           strings="strings/shared.xml", styles="../xl/look.xml")
    parts["xl/worksheets/sheet2.xml"] = zeta
    parts["xl/worksheets/sheet1.xml"] = alpha
    parts["xl/strings/shared.xml"] = sst     # found through the relationships, not by name
    parts["xl/look.xml"] = styles
    write_zip("handmade.xlsx", parts)


def one_sheet(name, sheet_xml, **kw):
    parts = workbook_parts([("Sheet1", sheet_xml)], **kw)
    parts["xl/worksheets/sheet1.xml"] = sheet_xml
    write_zip(name, parts)


def hostile():
    # A zip bomb: 64 MiB of one repeated row, about 100 KiB compressed (ratio ~600).
    row = '<row><c t="inlineStr"><is><t>aaaaaaaaaaaaaaaaaaaa</t></is></c></row>'
    body = row * (64 * 1024 * 1024 // len(row))
    one_sheet("bomb.xlsx", '<?xml version="1.0"?>\n<worksheet %s><sheetData>%s</sheetData></worksheet>' % (NS, body))
    # The same with the sizes in both headers claiming 1,000 bytes uncompressed.
    data = bytearray(open(out("bomb.xlsx"), "rb").read())
    name = b"xl/worksheets/sheet1.xml"
    pos = 0  # the local header of the sheet, then its central directory entry
    while True:
        pos = data.find(b"PK\x03\x04", pos)
        if pos < 0:
            break
        n = struct.unpack_from("<H", data, pos + 26)[0]
        if data[pos + 30:pos + 30 + n] == name:
            struct.pack_into("<I", data, pos + 22, 1000)
        pos += 4
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        n = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46:pos + 46 + n] == name:
            struct.pack_into("<I", data, pos + 24, 1000)
        pos += 4
    open(out("bomb-lying.xlsx"), "wb").write(bytes(data))
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join('<!ENTITY lol%d "%s">' % (i, ("&lol%d;" % (i - 1) if i > 1 else "&lol;") * 10)
                        for i in range(1, 10))
              + ']>\n<worksheet %s><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
                '</sheetData></worksheet>') % NS
    one_sheet("dtd-sheet.xlsx", laughs)
    parts = workbook_parts([("Sheet1", "")])
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        '<?xml version="1.0"?>\n', '<?xml version="1.0"?>\n<!DOCTYPE workbook SYSTEM "http://example.org/x.dtd">\n')
    parts["xl/worksheets/sheet1.xml"] = '<worksheet %s><sheetData/></worksheet>' % NS
    write_zip("dtd-workbook.xlsx", parts)
    whole = open(out("openpyxl.xlsx"), "rb").read()
    open(out("truncated.xlsx"), "wb").write(whole[:len(whole) // 2])
    with open(out("text.xlsx"), "w") as f:
        f.write("case_id,date_of_birth\n1,01/01/2020\n")


def fuzz_seeds():
    corpus = os.path.join(os.path.dirname(os.path.dirname(HERE)), "fuzz", "corpus", "xlsx")
    os.makedirs(corpus, exist_ok=True)
    for name, sheet, sst in [("handmade", "xl/worksheets/sheet2.xml", "xl/strings/shared.xml"),
                             ("openpyxl", "xl/worksheets/sheet1.xml", None),
                             ("libreoffice", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"),
                             ("caseaudit", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml")]:
        z = zipfile.ZipFile(out(name + ".xlsx"))
        with open(os.path.join(corpus, "xml-" + name), "wb") as f:
            f.write(b"\x01" + z.read(sheet) + b"\x00" + (z.read(sst) if sst else b""))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_fixtures.py BUILD/caseaudit")
    by_openpyxl()
    by_openpyxl_1904()
    by_libreoffice()
    by_caseaudit(os.path.abspath(sys.argv[1]))
    handmade()
    hostile()
    fuzz_seeds()


if __name__ == "__main__":
    main()
