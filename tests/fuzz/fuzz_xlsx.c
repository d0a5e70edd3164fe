/* Fuzzes the .xlsx reader (audit/xlsxread.c) through the table reader: any bytes
 * must give rows or a refusal with a message, never a crash, a hang or unbounded
 * memory. Two modes, so that mutations reach the XML as well as the zip:
 * - input starting with byte 0x01: the rest is a worksheet's XML, then after a
 *   NUL byte the shared strings' XML, packed here into a well-formed workbook;
 * - anything else: the bytes are the file (the seeds are the fixture workbooks).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "audit/tabread.h"

static char path[64];

static const char wb[] = "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                         "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                         "<workbookPr date1904=\"0\"/><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
                         "</sheets></workbook>";
static const char rels[] = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                           "<Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                           "</Relationships>";
static const char styles[] = "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                             "<numFmts><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/></numFmts><cellXfs>"
                             "<xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/><xf numFmtId=\"20\"/>"
                             "</cellXfs></styleSheet>";

/* Packs sheet and shared-string XML into a workbook at path; 0 on success. */
static int pack(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t nsheet = nul ? (size_t)(nul - data) : size;
    int ze;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    if (!z)
        return -1;
    const char *names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                           "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"};
    const void *bodies[] = {wb, rels, styles, data, nul ? (const void *)(nul + 1) : (const void *)""};
    size_t sizes[] = {strlen(wb), strlen(rels), strlen(styles), nsheet, nul ? size - nsheet - 1 : 0};
    for (int i = 0; i < 5; i++) {
        zip_source_t *s = zip_source_buffer(z, bodies[i], sizes[i], 0);
        if (!s || zip_file_add(z, names[i], s, 0) < 0) {
            zip_source_free(s);
            zip_discard(z);
            return -1;
        }
    }
    return zip_close(z) == 0 ? 0 : -1;
}

static void read_all(void)
{
    ca_error err = CA_ERROR_INIT;
    tabr *t;
    if (tabr_open(&t, path, 0, &err) != CA_OK) {
        if (!err.msg[0] || t)
            abort();
        ca_error_free(&err);
        return;
    }
    for (int s = 0; s < tabr_sheets(t); s++) {
        if (!tabr_sheet_name(t, s))
            abort();
        if (tabr_select(t, s, &err) != CA_OK) {
            ca_error_free(&err);
            continue;
        }
        long last = 0;
        int rc;
        while ((rc = tabr_next(t, &err)) != 0) {
            if (rc < 0 && !err.msg[0])
                abort();
            if (rc < 0)
                ca_error_free(&err);
            if (rc < 0 && !tabr_can_go_on(t))
                break;
            if (tabr_line(t) < 1 || tabr_line(t) > 1048576 || tabr_count(t) > XLSXR_MAX_COLS)
                abort();
            for (int i = 0; i <= tabr_count(t); i++)
                if (!tabr_field(t, i))
                    abort();
            (void)tabr_where(t);
            last = tabr_line(t);
        }
        (void)last;
    }
    tabr_close(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/fuzz-xlsx-%d.xlsx", (int)getpid());
    if (size > 0 && data[0] == 1) {
        if (pack(data + 1, size - 1) != 0)
            abort();
    } else {
        FILE *f = fopen(path, "wb");
        if (!f)
            abort();
        fwrite(data, 1, size, f);
        fclose(f);
    }
    read_all();
    return 0;
}
