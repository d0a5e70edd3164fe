/* gen_xlsx: writes a CSV file as an .xlsx workbook the way Excel keeps such data,
 * for the xlsx read benchmark of SPEC §11 (scripts/bench).
 *
 *   gen_xlsx IN.csv OUT.xlsx
 *
 * One sheet "Cases": digits without a leading zero become numbers (as ids typed
 * into Excel do), dd/mm/yyyy dates become dates with a date format, everything
 * else a shared string. Uses libxlsxwriter in its default mode, so that strings
 * are shared as Excel writes them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "audit/csvread.h"

static int is_number(const char *s)
{
    size_t n = strspn(s, "0123456789");
    return n > 0 && n < 16 && !s[n] && (s[0] != '0' || n == 1);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: gen_xlsx IN.csv OUT.xlsx\n");
        return 2;
    }
    ca_error err = CA_ERROR_INIT;
    csvr *r;
    if (csvr_open(&r, argv[1], 0, &err) != CA_OK) {
        fprintf(stderr, "gen_xlsx: %s\n", err.msg);
        return 1;
    }
    lxw_workbook *wb = workbook_new(argv[2]);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "Cases") : NULL;
    if (!ws) {
        fprintf(stderr, "gen_xlsx: cannot write %s\n", argv[2]);
        return 1;
    }
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "dd/mm/yyyy");
    int rc;
    lxw_row_t row = 0;
    while ((rc = csvr_next(r, &err)) == 1) {
        for (int c = 0; c < csvr_count(r); c++) {
            const char *f = csvr_field(r, c);
            lxw_datetime dt = {0};
            if (row > 0 && is_number(f))
                worksheet_write_number(ws, row, (lxw_col_t)c, strtod(f, NULL), NULL);
            else if (row > 0 && strlen(f) == 10 && sscanf(f, "%2d/%2d/%4d", &dt.day, &dt.month, &dt.year) == 3)
                worksheet_write_datetime(ws, row, (lxw_col_t)c, &dt, date);
            else
                worksheet_write_string(ws, row, (lxw_col_t)c, f, NULL);
        }
        row++;
    }
    csvr_close(r);
    if (rc < 0) {
        fprintf(stderr, "gen_xlsx: %s\n", err.msg);
        return 1;
    }
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        fprintf(stderr, "gen_xlsx: cannot write %s: %s\n", argv[2], lxw_strerror(e));
        return 1;
    }
    return 0;
}
