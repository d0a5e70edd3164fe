/* read_table: reads every cell of every sheet of a CSV or .xlsx file through the
 * table reader (audit/tabread.h): the benchmark of SPEC §11 and a debugging aid.
 *
 *   read_table FILE          prints the rows, cells and cells not empty read
 *   read_table FILE --dump   prints each row as WHERE: field|field|...
 *
 * A row with a bad cell is reported on stderr and read on; exit 1 if any was.
 */
#include <stdio.h>
#include <string.h>

#include "audit/tabread.h"

int main(int argc, char **argv)
{
    if (argc < 2 || (argc == 3 && strcmp(argv[2], "--dump") != 0) || argc > 3) {
        fprintf(stderr, "usage: read_table FILE [--dump]\n");
        return 2;
    }
    int dump = argc == 3, bad = 0;
    ca_error err = CA_ERROR_INIT;
    tabr *t;
    if (tabr_open(&t, argv[1], 0, &err) != CA_OK) {
        fprintf(stderr, "read_table: %s\n", err.msg);
        return 1;
    }
    long rows = 0, cells = 0, filled = 0;
    for (int s = 0; s < tabr_sheets(t); s++) {
        if (tabr_select(t, s, &err) != CA_OK)
            break;
        int rc;
        while ((rc = tabr_next(t, &err)) != 0) {
            if (rc < 0) {
                fprintf(stderr, "read_table: %s\n", err.msg);
                ca_error_free(&err);
                bad = 1;
                if (!tabr_can_go_on(t))
                    break;
            }
            rows++;
            int n = tabr_count(t);
            if (dump)
                printf("%s:", tabr_where(t));
            for (int i = 0; i < n; i++) {
                const char *f = tabr_field(t, i);
                cells++;
                filled += f[0] != 0;
                if (dump)
                    printf("%s%s", i ? "|" : " ", f);
            }
            if (dump)
                putchar('\n');
        }
    }
    if (err.status) {
        fprintf(stderr, "read_table: %s\n", err.msg);
        bad = 1;
    }
    if (!dump)
        printf("%ld rows, %ld cells, %ld not empty\n", rows, cells, filled);
    tabr_close(t);
    ca_error_free(&err);
    return bad;
}
