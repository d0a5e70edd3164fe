/* import and snapshots (SPEC §4). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/import.h"
#include "cmd/cli.h"
#include "cmd/output.h"

static const char import_usage[] =
    "usage: caseaudit import FILE... [--as-of DATE] [--plan-type CODE] [--encoding utf-8|cp1252] [--dry-run]\n";
static const char import_help[] =
    "usage: caseaudit import FILE... [--as-of DATE] [--plan-type CODE] [--encoding utf-8|cp1252] [--dry-run]\n\n"
    "Imports the open cases as one snapshot: a generic case list (case_id, date_of_birth,\n"
    "plan_type, team, worker, ...) or Ofsted Annex A lists 2, 6, 7, 8 and 9, recognised from\n"
    "their headers. A child on several rows or lists is one case; the plan type is chosen\n"
    "by precedence CLA > CP > CIN > CL > EH. Cases whose plan ended on or before the as-of\n"
    "date are kept as closed. Nothing is imported unless every row is valid.\n\n"
    "  --as-of DATE         the date the list describes (default today)\n"
    "  --plan-type CODE     the plan type of a generic list without a plan_type column\n"
    "  --encoding ENC       utf-8 (default) or cp1252 (Excel on Windows)\n"
    "  --dry-run            check the files and print the summary; write nothing\n"
    "Creates the database when it does not exist.\n";

static void show_progress(long rows, void *arg)
{
    (void)arg;
    fprintf(stderr, "\rimporting: %ld rows read...", rows);
}

static void print_summary(const import_summary *s, int dry_run)
{
    char uk[CA_DATE_ISO_LEN];
    date_uk(s->as_of, uk);
    if (dry_run)
        printf("Dry run: nothing was written. The files would make this snapshot as at %s:\n", uk);
    else
        printf("Snapshot %ld as at %s\n", s->snapshot_id, uk);
    for (int i = 0; i < s->nfiles; i++)
        printf("  %-28s %-15s %7ld rows\n", s->files[i].name, import_kind_name(s->files[i].kind), s->files[i].rows);
    printf("Rows read %ld, cases %ld, merged %ld, closed %ld\n", s->rows, s->cases, s->merged, s->closed);
    long open = 0;
    for (int p = 0; p < CA_NPLANS; p++)
        open += s->open[p];
    printf("Open cases %ld:", open);
    for (int p = 0; p < CA_NPLANS; p++)
        printf(" %s %ld%s", plan_code(p), s->open[p], p + 1 < CA_NPLANS ? "," : "\n");
}

int cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {
        {"as-of", required_argument, NULL, 'a'},
        {"plan-type", required_argument, NULL, 'p'},
        {"encoding", required_argument, NULL, 'e'},
        {"dry-run", no_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    import_options opt = {.as_of = date_today(), .plan = -1};
    int c, day;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            if (cli_parse_date("--as-of", optarg, &day))
                return CA_REFUSED;
            opt.as_of = day;
            break;
        case 'p':
            if ((opt.plan = plan_parse(optarg)) < 0)
                return cli_error(CA_REFUSED, "--plan-type \"%s\": unknown plan type; expected " CA_PLAN_EXPECTED,
                                 optarg);
            break;
        case 'e':
            if ((opt.cp1252 = cli_parse_encoding(import_usage, optarg)) < 0)
                return CA_USAGE;
            break;
        case 'n': opt.dry_run = 1; break;
        case 'h': return cli_help(import_help);
        default: return cli_bad_option(import_usage, argv, c);
        }
    }
    if (optind >= argc)
        return cli_usage_error(import_usage, "no file to import");
    if (isatty(STDERR_FILENO))
        opt.progress = show_progress;

    /* A dry run never creates a database: without one it checks against an empty scratch database. */
    ca_db *db;
    struct stat st;
    int rc;
    if (opt.dry_run && stat(cli_db_path, &st) != 0) {
        ca_error err = CA_ERROR_INIT;
        if (db_open(&db, ":memory:", CA_DB_CREATE, &err) != CA_OK) {
            rc = cli_report(&err);
            ca_error_free(&err);
            return rc;
        }
    } else if ((rc = cli_open_db(&db, CA_DB_CREATE))) {
        return rc;
    }
    ca_error err = CA_ERROR_INIT;
    import_summary *sum = calloc(1, sizeof *sum);
    if (!sum) {
        db_close(db);
        return cli_error(CA_SYSTEM, "out of memory");
    }
    int ok = import_run(db, (const char *const *)argv + optind, argc - optind, &opt, sum, &err) == CA_OK;
    if (opt.progress)
        fputs("\r\033[K", stderr); /* clear the progress line */
    if (!ok) {
        rc = cli_report(&err);
    } else {
        for (int i = 0; i < sum->nnotes; i++)
            fprintf(stderr, "note: %s\n", sum->notes[i]);
        print_summary(sum, opt.dry_run);
        rc = 0;
    }
    free(sum);
    ca_error_free(&err);
    db_close(db);
    return rc;
}

static const char snapshots_usage[] = "usage: caseaudit snapshots [--format table|json]\n";

int cmd_snapshots(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    enum out_format fmt = OUT_TABLE;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (out_format_parse(optarg, OUT_ALLOW(OUT_TABLE) | OUT_ALLOW(OUT_JSON), &fmt))
                return CA_USAGE;
            break;
        case 'h':
            return cli_help("usage: caseaudit snapshots [--format table|json]\n\n"
                            "Lists the imported snapshots: as-of date, files, rows, cases, merged,\n"
                            "closed and open cases per plan type.\n");
        default: return cli_bad_option(snapshots_usage, argv, c);
        }
    }
    if (optind < argc)
        return cli_usage_error(snapshots_usage, "unexpected argument '%s'", argv[optind]);
    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    ca_stmt s = {0}, files = {0};
    out_table *t = otab_new();
    json_writer j;
    if (stmt_prepare(db, &s,
                     "SELECT id, as_of, rows, cases, merged, closed, open_eh, open_cin, open_cp, open_cla, open_cl,"
                     " pruned_at FROM snapshot ORDER BY id", &err) != CA_OK ||
        stmt_prepare(db, &files, "SELECT name, sha256, rows FROM snapshot_file WHERE snapshot_id = :s ORDER BY seq",
                     &err) != CA_OK)
        goto fail;
    otab_col(t, "id", COL_INT);
    otab_col(t, "as_of", COL_DATE);
    otab_col(t, "files", COL_INT);
    otab_col(t, "rows", COL_INT);
    otab_col(t, "cases", COL_INT);
    otab_col(t, "merged", COL_INT);
    otab_col(t, "closed", COL_INT);
    for (int p = 0; p < CA_NPLANS; p++)
        otab_col(t, plan_code(p), COL_INT);
    otab_col(t, "pruned", COL_TEXT);
    if (fmt == OUT_JSON) {
        json_begin(&j, stdout);
        json_array(&j);
    }
    while ((rc = stmt_step(&s, &err)) == 1) {
        int64_t id = stmt_int(&s, 0);
        stmt_bind_int(&files, ":s", id);
        if (fmt == OUT_JSON) {
            json_object(&j);
            json_key(&j, "id"), json_int(&j, id);
            json_key(&j, "as_of"), json_string(&j, stmt_text(&s, 1));
            json_key(&j, "files"), json_array(&j);
        }
        int nfiles = 0;
        while ((rc = stmt_step(&files, &err)) == 1) {
            nfiles++;
            if (fmt == OUT_JSON) {
                json_object(&j);
                json_key(&j, "name"), json_string(&j, stmt_text(&files, 0));
                json_key(&j, "sha256"), json_string(&j, stmt_text(&files, 1));
                json_key(&j, "rows"), json_int(&j, stmt_int(&files, 2));
                json_end_object(&j);
            }
        }
        stmt_reset(&files);
        if (rc < 0)
            goto fail;
        if (fmt == OUT_JSON) {
            json_end_array(&j);
            static const char *const keys[] = {"rows", "cases", "merged", "closed"};
            for (int k = 0; k < 4; k++)
                json_key(&j, keys[k]), json_int(&j, stmt_int(&s, 2 + k));
            json_key(&j, "open"), json_object(&j);
            for (int p = 0; p < CA_NPLANS; p++)
                json_key(&j, plan_code(p)), json_int(&j, stmt_int(&s, 6 + p));
            json_end_object(&j);
            json_key(&j, "pruned"), json_bool(&j, !stmt_is_null(&s, 11));
            json_end_object(&j);
        } else {
            otab_row(t);
            otab_int(t, id);
            otab_text(t, stmt_text(&s, 1));
            otab_int(t, nfiles);
            for (int k = 2; k <= 10; k++)
                otab_int(t, stmt_int(&s, k));
            otab_text(t, stmt_is_null(&s, 11) ? "" : "yes");
        }
    }
    if (rc < 0)
        goto fail;
    if (fmt == OUT_JSON) {
        json_end_array(&j);
        json_finish(&j);
    } else if (otab_nrows(t) == 0) {
        fprintf(stderr, "No snapshots yet: import a case list with 'caseaudit import FILE...'.\n");
    } else {
        otab_write(t, OUT_TABLE, stdout);
    }
    rc = 0;
    goto done;
fail:
    rc = cli_report(&err);
done:
    stmt_finalize(&s);
    stmt_finalize(&files);
    otab_free(t);
    ca_error_free(&err);
    db_close(db);
    return rc;
}
