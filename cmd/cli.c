#include "cmd/cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit/csvread.h"
#include "audit/date.h"
#include "cmd/output.h"

const char *cli_db_path;
const char *cli_by;
ca_clock cli_clock = CA_CLOCK_SYSTEM;
int cli_network_ok;

ca_day cli_today(void) { return clock_today(cli_clock); }

int cli_report(const ca_error *err)
{
    fprintf(stderr, "error: %s\n", err->msg[0] ? err->msg : "failed");
    for (int i = 0; i < err->nproblems; i++)
        fprintf(stderr, "%s\n", err->problems[i].text);
    if (err->ntotal > err->nproblems)
        fprintf(stderr, "... and %ld more problems not shown\n", err->ntotal - err->nproblems);
    return err->status ? err->status : CA_REFUSED;
}

int cli_open_db(ca_db **db, enum ca_db_mode mode)
{
    ca_error err = CA_ERROR_INIT;
    int created = 0;
    if (db_open(db, cli_db_path, mode | (cli_network_ok ? CA_DB_NETWORK : 0), &created, &err) != CA_OK) {
        int rc = cli_report(&err);
        ca_error_free(&err);
        return rc;
    }
    db_set_clock(*db, cli_clock);
    if (db_set_actor(*db, cli_by) != CA_OK) {
        db_close(*db);
        *db = NULL;
        return cli_error(CA_SYSTEM, "out of memory");
    }
    if (created) {
        /* A command run from the wrong folder must not quietly start a second database. */
        char *abs = realpath(cli_db_path, NULL);
        fprintf(stderr, "note: created a new database at %s\n", abs ? abs : cli_db_path);
        free(abs);
    }
    return 0;
}

int cli_usage_error(const cli_spec *spec, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (spec)
        cli_print_usage(stderr, spec, 1);
    return CA_USAGE;
}

int cli_check_period(const cli_spec *spec, int other_given, const char *other, long from, long to)
{
    if (other_given && (from >= 0 || to >= 0))
        return cli_usage_error(spec, "give %s or --from and --to, not both", other);
    if ((from >= 0) != (to >= 0))
        return cli_usage_error(spec, "--from and --to go together");
    if (from > to)
        return cli_error(CA_REFUSED, "--from is after --to");
    return 0;
}

int cli_check_file_format(const cli_spec *spec, enum out_format fmt, const char *path)
{
    if ((fmt == OUT_XLSX || fmt == OUT_HTML) && (!path || strcmp(path, "-") == 0))
        return cli_usage_error(spec, "--format %s needs -o FILE", fmt == OUT_XLSX ? "xlsx" : "html");
    return 0;
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

void cli_date_cell(struct out_table *t, ca_day day)
{
    char iso[CA_DATE_ISO_LEN];
    if (day >= 0)
        date_iso(day, iso);
    otab_text(t, day >= 0 ? iso : NULL);
}

int cli_parse_encoding(const cli_spec *spec, const char *value)
{
    if (strcasecmp(value, "cp1252") == 0 || strcasecmp(value, "windows-1252") == 0)
        return CSVR_CP1252;
    if (strcasecmp(value, "utf-8") == 0 || strcasecmp(value, "utf8") == 0)
        return CSVR_UTF8;
    cli_usage_error(spec, "--encoding '%s': expected utf-8 or cp1252", value);
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

struct cli_problems {
    out_file of;
    long n;
};

static void write_problem(void *arg, const ca_problem_rec *p)
{
    cli_problems *w = arg;
    char file[4096] = "", line[32] = "";
    if (p->file)
        snprintf(file, sizeof file, p->sheet ? "%s[%s]" : "%s", p->file, p->sheet);
    if (p->line > 0)
        snprintf(line, sizeof line, "%ld", p->line);
    const char *cells[] = {file, line, p->column ? p->column : "", p->value ? p->value : "", p->message};
    for (int i = 0; i < 5; i++) {
        if (i)
            fputc(',', w->of.f);
        csv_write_field(w->of.f, cells[i]);
    }
    fputs("\r\n", w->of.f);
    w->n++;
}

int cli_problems_open(cli_problems **out, const char *path, ca_error *err)
{
    *out = NULL;
    if (!path)
        return 0;
    cli_problems *w = calloc(1, sizeof *w);
    if (!w)
        return cli_error(CA_SYSTEM, "out of memory");
    int rc = out_open(&w->of, path);
    if (rc) {
        free(w);
        return rc;
    }
    fputs("\xef\xbb\xbf" "file,line,column,value,problem\r\n", w->of.f); /* a byte-order mark for Excel */
    err->sink = write_problem;
    err->sink_arg = w;
    *out = w;
    return 0;
}

int cli_problems_close(cli_problems *w, int refused)
{
    if (!w)
        return 0;
    int keep = refused && w->n > 0;
    char *path = keep ? strdup(w->of.path) : NULL;
    int rc = out_close(&w->of, keep);
    if (keep && !rc)
        fprintf(stderr, "Wrote %ld problem%s to %s\n", w->n, w->n == 1 ? "" : "s", path ? path : "the file");
    free(path);
    free(w);
    return rc;
}

const char *cli_seed_text(const char *given, uint64_t seed, char *buf, size_t len)
{
    if (given)
        snprintf(buf, len, "%s = 0x%016llx", given, (unsigned long long)seed);
    else
        snprintf(buf, len, "0x%016llx", (unsigned long long)seed);
    return buf;
}

void cli_wrote(const char *path, const char *what, const char *fmt, ...)
{
    if (!path || strcmp(path, "-") == 0)
        return;
    char detail[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    fprintf(stderr, "Wrote %s %s: %s\n", what, path, detail);
}
