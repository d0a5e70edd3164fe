/* import and snapshots (SPEC §4). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/import.h"
#include "cmd/cli.h"
#include "audit/store/snapshots.h"
#include "cmd/output.h"

static const cli_opt import_opts[] = {
    CLI_ARG("FILE", CLI_REQUIRED | CLI_REPEAT, NULL),
    CLI_VALUE('a', "as-of", "DATE", 0, "the date the list describes (default today)"),
    CLI_VALUE('p', "plan-type", "CODE", 0, "the plan type of a generic list without a plan_type column"),
    CLI_VALUE('e', "encoding", "utf-8|cp1252", 0,
              "utf-8 or cp1252 for every file (default: each file as it is,\n"
              "UTF-8 when it is valid UTF-8, else Windows-1252, with a note)"),
    CLI_FLAG('F', "force", 0, "accept a file already imported in another snapshot"),
    CLI_FLAG('n', "dry-run", 0, "check the files and print the summary; write nothing"),
    CLI_VALUE('P', "problems", "FILE", 0,
              "when refused, write every problem (not only the first 50) to\n"
              "FILE as CSV: file,line,column,value,problem"),
    CLI_FLAG('T', "no-team", 0,
             "accept a generic list without a team column (the rule that\n"
             "nobody audits their own team's cases then cannot apply)"),
    CLI_END_OF_TABLE,
};
static const cli_spec import_spec = {
    "import", import_opts,
    "Imports the open cases as one snapshot: a generic case list (case_id, date_of_birth,\n"
    "plan_type, team, worker, ...) or Ofsted Annex A lists 2, 6, 7, 8 and 9, recognised from\n"
    "their headers. A child on several rows or lists is one case; the plan type is chosen\n"
    "by precedence CLA > CP > CIN > CL > EH. Cases whose plan ended on or before the as-of\n"
    "date are kept as closed. Nothing is imported unless every row is valid.\n",
    "Creates the database when it does not exist.\n",
    NULL,
};

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
    import_options opt = {.as_of = cli_today(), .plan = -1};
    const char *problems_path = NULL;
    int c, day;
    cli_args a;
    cli_args_begin(&a, &import_spec, argc, argv);
    while ((c = cli_next(&a)) > 0) {
        switch (c) {
        case 'a':
            if (cli_parse_date("--as-of", a.value, &day))
                return CA_REFUSED;
            opt.as_of = day;
            break;
        case 'p':
            if ((opt.plan = plan_parse(a.value)) < 0)
                return cli_error(CA_REFUSED, "--plan-type \"%s\": unknown plan type; expected " CA_PLAN_EXPECTED,
                                 a.value);
            break;
        case 'e':
            if ((opt.encoding = cli_parse_encoding(&import_spec, a.value)) < 0)
                return CA_USAGE;
            break;
        case 'n': opt.dry_run = 1; break;
        case 'F': opt.force = 1; break;
        case 'P': problems_path = a.value; break;
        case 'T': opt.no_team = 1; break;
        }
    }
    if (c == CLI_STOP)
        return a.status;
    if (a.npos == 0)
        return cli_usage_error(&import_spec, "no file to import");
    if (isatty(STDERR_FILENO))
        opt.progress = show_progress;

    /* A dry run never creates a database: without one it checks against an empty scratch database. */
    ca_db *db;
    struct stat st;
    int rc;
    if (opt.dry_run && stat(cli_db_path, &st) != 0) {
        ca_error err = CA_ERROR_INIT;
        if (db_open(&db, ":memory:", CA_DB_CREATE, NULL, &err) != CA_OK) {
            rc = cli_report(&err);
            ca_error_free(&err);
            return rc;
        }
    } else if ((rc = cli_open_db(&db, CA_DB_CREATE))) {
        return rc;
    }
    ca_error err = CA_ERROR_INIT;
    cli_problems *problems = NULL;
    import_summary *sum = calloc(1, sizeof *sum);
    if (!sum || (rc = cli_problems_open(&problems, problems_path, &err))) {
        free(sum);
        db_close(db);
        return sum ? rc : cli_error(CA_SYSTEM, "out of memory");
    }
    int ok = import_run(db, (const char *const *)a.pos, a.npos, &opt, sum, &err) == CA_OK;
    if (opt.progress)
        fputs("\r\033[K", stderr); /* clear the progress line */
    if (!ok) {
        rc = cli_report(&err);
        if (err.ntotal > err.nproblems && !problems_path)
            fprintf(stderr, "(give --problems FILE to have all %ld written to a file)\n", err.ntotal);
    } else {
        for (int i = 0; i < sum->nnotes; i++)
            fprintf(stderr, "note: %s\n", sum->notes[i]);
        print_summary(sum, opt.dry_run);
        rc = 0;
    }
    int closed = cli_problems_close(problems, !ok && err.status == CA_REFUSED);
    free(sum);
    ca_error_free(&err);
    db_close(db);
    return rc ? rc : closed;
}

static void write_snapshots_json(const snapshot_info *sn, int n)
{
    json_writer j;
    json_begin(&j, stdout);
    json_array(&j);
    for (int i = 0; i < n; i++) {
        char as_of[CA_DATE_ISO_LEN];
        date_iso(sn[i].as_of, as_of);
        json_object(&j);
        json_key(&j, "id"), json_int(&j, sn[i].id);
        json_key(&j, "as_of"), json_string(&j, as_of);
        json_key(&j, "files"), json_array(&j);
        for (int f = 0; f < sn[i].nfiles; f++) {
            json_object(&j);
            json_key(&j, "name"), json_string(&j, sn[i].files[f].name);
            json_key(&j, "sha256"), json_string(&j, sn[i].files[f].sha256);
            json_key(&j, "rows"), json_int(&j, sn[i].files[f].rows);
            json_end_object(&j);
        }
        json_end_array(&j);
        json_key(&j, "rows"), json_int(&j, sn[i].rows);
        json_key(&j, "cases"), json_int(&j, sn[i].cases);
        json_key(&j, "merged"), json_int(&j, sn[i].merged);
        json_key(&j, "closed"), json_int(&j, sn[i].closed);
        json_key(&j, "open"), json_object(&j);
        for (int p = 0; p < CA_NPLANS; p++)
            json_key(&j, plan_code(p)), json_int(&j, sn[i].open[p]);
        json_end_object(&j);
        json_key(&j, "pruned"), json_bool(&j, sn[i].pruned);
        json_end_object(&j);
    }
    json_end_array(&j);
    json_finish(&j);
}

static void write_snapshots_table(const snapshot_info *sn, int n)
{
    out_table *t = otab_new();
    static const char *const cols[] = {"id", "as_of", "files", "rows", "cases", "merged", "closed"};
    for (int k = 0; k < 7; k++)
        otab_col(t, cols[k], k == 1 ? COL_DATE : COL_INT);
    for (int p = 0; p < CA_NPLANS; p++)
        otab_col(t, plan_code(p), COL_INT);
    otab_col(t, "pruned", COL_TEXT);
    for (int i = 0; i < n; i++) {
        char as_of[CA_DATE_ISO_LEN];
        date_iso(sn[i].as_of, as_of);
        otab_row(t);
        otab_int(t, sn[i].id);
        otab_text(t, as_of);
        otab_int(t, sn[i].nfiles);
        otab_int(t, sn[i].rows);
        otab_int(t, sn[i].cases);
        otab_int(t, sn[i].merged);
        otab_int(t, sn[i].closed);
        for (int p = 0; p < CA_NPLANS; p++)
            otab_int(t, sn[i].open[p]);
        otab_text(t, sn[i].pruned ? "yes" : "");
    }
    otab_write(t, OUT_TABLE, stdout);
    otab_free(t);
}

static const cli_opt snapshots_opts[] = {
    CLI_VALUE('f', "format", "table|json", 0, "the output format (default table)"),
    CLI_END_OF_TABLE,
};
static const cli_spec snapshots_spec = {
    "snapshots", snapshots_opts,
    "Lists the imported snapshots: as-of date, files, rows, cases, merged,\n"
    "closed and open cases per plan type.\n",
    NULL,
    NULL,
};

int cmd_snapshots(int argc, char **argv)
{
    enum out_format fmt = OUT_TABLE;
    int c;
    cli_args a;
    cli_args_begin(&a, &snapshots_spec, argc, argv);
    while ((c = cli_next(&a)) > 0) {
        if (c == 'f' && out_format_parse(a.value, OUT_ALLOW(OUT_TABLE) | OUT_ALLOW(OUT_JSON), &fmt))
            return CA_USAGE;
    }
    if (c == CLI_STOP)
        return a.status;
    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    snapshot_info *sn = NULL;
    int n = 0;
    if (snapshots_list(db, &sn, &n, &err) != CA_OK)
        rc = cli_report(&err);
    else if (fmt == OUT_JSON)
        write_snapshots_json(sn, n);
    else if (n == 0)
        fprintf(stderr, "No snapshots yet: import a case list with 'caseaudit import FILE...'.\n");
    else
        write_snapshots_table(sn, n);
    snapshots_free(sn, n);
    ca_error_free(&err);
    db_close(db);
    return rc;
}
