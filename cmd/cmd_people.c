/* people, people import, people disable (SPEC §6): the register of who audits,
 * moderates and leads QA. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/people.h"
#include "audit/store/people.h"
#include "cmd/cli.h"
#include "cmd/output.h"

static const char people_usage[] =
    "usage: caseaudit people [--format table|csv|json]\n"
    "       caseaudit people import FILE [--encoding utf-8|cp1252]\n"
    "       caseaudit people disable NAME\n";
static const char people_help[] =
    "\nThe people register: who audits (role auditor), moderates (manager) and leads QA\n"
    "(qa-lead). 'import' reads a CSV with the columns name, team (several separated by ;),\n"
    "roles (auditor, manager, qa-lead; several separated by ;; default auditor), email,\n"
    "capacity and active (yes or no), in any order; importing again updates the people it\n"
    "names, and a column the file lacks keeps what the register holds. Teams must be the\n"
    "latest case list's: a spelling that differs only by dashes, case, spaces or &/and is\n"
    "taken as the list's, with a note. Names are matched ignoring case and repeated spaces.\n"
    "'disable' marks a person inactive: their records stay, they can no longer grade,\n"
    "moderate or be assigned cases.\n";

static int add_person_row(void *u, const person_row *r)
{
    out_table *t = u;
    otab_row(t);
    otab_text(t, r->name);
    otab_text(t, *r->teams ? r->teams : NULL);
    otab_text(t, r->roles);
    otab_text(t, r->email);
    if (r->capacity >= 0)
        otab_int(t, r->capacity);
    else
        otab_null(t);
    otab_text(t, r->active ? "yes" : "no");
    return 0;
}

static int people_list(enum out_format fmt)
{
    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    out_table *t = otab_new();
    static const char *const names[] = {"name", "teams", "roles", "email", "capacity", "active"};
    static const enum out_col_type types[] = {COL_TEXT, COL_TEXT, COL_TEXT, COL_TEXT, COL_INT, COL_TEXT};
    for (int k = 0; k < 6; k++)
        otab_col(t, names[k], types[k]);
    if (people_each(db, add_person_row, t, &err) != CA_OK)
        rc = cli_report(&err);
    else if (fmt == OUT_TABLE && otab_nrows(t) == 0)
        fprintf(stderr, "The people register is empty: add people with 'caseaudit people import FILE'.\n");
    else
        rc = otab_write(t, fmt, stdout) ? CA_SYSTEM : 0;
    otab_free(t);
    ca_error_free(&err);
    db_close(db);
    return rc;
}

static int people_import(const char *path, int cp1252)
{
    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    people_import_result res;
    if (people_import_file(db, path, cp1252, &res, &err) != CA_OK) {
        rc = cli_report(&err);
    } else {
        for (int i = 0; i < res.nnotes; i++)
            fprintf(stderr, "note: %s\n", res.notes[i]);
        printf("People register: %ld added, %ld updated, %ld unchanged\n", res.added, res.updated, res.unchanged);
        people_import_result_free(&res);
    }
    ca_error_free(&err);
    db_close(db);
    return rc;
}

static int people_disable_one(const char *name)
{
    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    char canonical[256];
    int was_active;
    if (people_disable(db, name, canonical, sizeof canonical, &was_active, &err) != CA_OK)
        rc = cli_report(&err);
    else if (was_active)
        printf("%s disabled: their records stay; they can no longer grade, moderate or be assigned cases\n",
               canonical);
    else
        printf("%s was already disabled: nothing changed\n", canonical);
    ca_error_free(&err);
    db_close(db);
    return rc;
}

int cmd_people(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"encoding", required_argument, NULL, 'e'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    enum out_format fmt = OUT_TABLE;
    int c, cp1252 = 0, have_format = 0, have_encoding = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (out_format_parse(optarg, OUT_ALLOW(OUT_TABLE) | OUT_ALLOW(OUT_CSV) | OUT_ALLOW(OUT_JSON), &fmt))
                return CA_USAGE;
            have_format = 1;
            break;
        case 'e':
            if ((cp1252 = cli_parse_encoding(people_usage, optarg)) < 0)
                return CA_USAGE;
            have_encoding = 1;
            break;
        case 'h': return printf("%s", people_usage), cli_help(people_help);
        default: return cli_bad_option(people_usage, argv, c);
        }
    }
    int nargs = argc - optind;
    const char *sub = nargs ? argv[optind] : NULL;
    if (!sub) {
        if (have_encoding)
            return cli_usage_error(people_usage, "--encoding is for 'people import'");
        return people_list(fmt);
    }
    if (have_format)
        return cli_usage_error(people_usage, "--format is for listing the register ('caseaudit people')");
    if (strcmp(sub, "import") == 0) {
        if (nargs != 2)
            return cli_usage_error(people_usage, nargs < 2 ? "people import needs a FILE" : "unexpected argument '%s'",
                                   argv[optind + (nargs < 2 ? 0 : 2)]);
        return people_import(argv[optind + 1], cp1252);
    }
    if (strcmp(sub, "disable") == 0) {
        if (nargs != 2)
            return cli_usage_error(people_usage, nargs < 2 ? "people disable needs a NAME" :
                                   "unexpected argument '%s' (quote a name with spaces)", argv[optind + (nargs < 2 ? 0 : 2)]);
        if (have_encoding)
            return cli_usage_error(people_usage, "--encoding is for 'people import'");
        return people_disable_one(argv[optind + 1]);
    }
    return cli_usage_error(people_usage, "unknown subcommand '%s' (import, disable, or none to list)", sub);
}
