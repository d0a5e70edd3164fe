#include "cmd/cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit/date.h"
#include "cmd/output.h"

const char *cli_db_path;
const char *cli_by;

int cli_report(const ca_error *err)
{
    fprintf(stderr, "error: %s\n", err->msg[0] ? err->msg : "failed");
    for (int i = 0; i < err->nproblems; i++)
        fprintf(stderr, "%s\n", err->problems[i]);
    if (err->ntotal > err->nproblems)
        fprintf(stderr, "... and %ld more problems not shown\n", err->ntotal - err->nproblems);
    return err->status ? err->status : CA_REFUSED;
}

int cli_open_db(ca_db **db, enum ca_db_mode mode)
{
    ca_error err = CA_ERROR_INIT;
    if (db_open(db, cli_db_path, mode, &err) != CA_OK) {
        int rc = cli_report(&err);
        ca_error_free(&err);
        return rc;
    }
    if (cli_by)
        db_set_actor(*db, cli_by);
    return 0;
}

int cli_usage_error(const char *usage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (usage)
        fprintf(stderr, "%s", usage);
    return CA_USAGE;
}

int cli_bad_option(const char *usage, char **argv, int c)
{
    const char *opt = argv[optind - 1];
    if (c == ':')
        return cli_usage_error(usage, "option '%s' needs a value", opt);
    return cli_usage_error(usage, "unknown option '%s'", opt);
}

int cli_error(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return status;
}

int cli_help(const char *text)
{
    fputs(text, stdout);
    return 0;
}

int cli_fill_table(out_table *t, ca_stmt *s, ca_error *err)
{
    int rc;
    while ((rc = stmt_step(s, err)) == 1) {
        otab_row(t);
        for (int k = 0; k < otab_ncols(t); k++) {
            enum out_col_type type = otab_col_type(t, k);
            if (stmt_is_null(s, k))
                otab_null(t);
            else if (type == COL_INT)
                otab_int(t, stmt_int(s, k));
            else if (type == COL_REAL || type == COL_PERCENT)
                otab_real(t, stmt_double(s, k));
            else
                otab_text(t, stmt_text(s, k));
        }
    }
    return rc < 0 ? CA_ERR : 0;
}

int cli_parse_encoding(const char *usage, const char *value)
{
    if (strcasecmp(value, "cp1252") == 0 || strcasecmp(value, "windows-1252") == 0)
        return 1;
    if (strcasecmp(value, "utf-8") == 0 || strcasecmp(value, "utf8") == 0)
        return 0;
    cli_usage_error(usage, "--encoding '%s': expected utf-8 or cp1252", value);
    return -1;
}

int cli_parse_date(const char *opt, const char *value, int *day)
{
    char why[160];
    ca_day d;
    if (date_parse(value, &d, why, sizeof why) != CA_OK)
        return cli_error(CA_REFUSED, "%s \"%s\": %s", opt, value, why);
    *day = d;
    return 0;
}
