/* people, people import, people disable, people password (SPEC §6, §14): the
 * register of who audits, moderates and leads QA, and their web passwords. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "audit/people.h"
#include "audit/store/people.h"
#include "audit/store/sessions.h"
#include "cmd/cli.h"
#include "cmd/output.h"
#include "cmd/web/web.h"

static const cli_opt people_opts[] = {
    CLI_VALUE('f', "format", "table|csv|json", CLI_FORM(1), "the output format of the list (default table)"),
    CLI_ARG("import", CLI_REQUIRED | CLI_FORM(2), NULL),
    CLI_ARG("disable", CLI_REQUIRED | CLI_FORM(3), NULL),
    CLI_ARG("password", CLI_REQUIRED | CLI_FORM(4), NULL),
    CLI_ARG("FILE", CLI_REQUIRED | CLI_FORM(2), "the people to add or update, as CSV"),
    CLI_VALUE('e', "encoding", "utf-8|cp1252", CLI_FORM(2),
              "of the file: utf-8 (default) or cp1252 (Excel on Windows)"),
    CLI_ARG("NAME", CLI_REQUIRED | CLI_FORM(3) | CLI_FORM(4), "the person to mark inactive, or whose password to set"),
    CLI_END_OF_TABLE,
};
static const cli_spec people_spec = {
    "people", people_opts,
    "The people register: who audits (role auditor), moderates (manager) and leads QA\n"
    "(qa-lead). 'import' reads a CSV with the columns name, team (several separated by ;),\n"
    "roles (auditor, manager, qa-lead; several separated by ;; default auditor), email,\n"
    "capacity and active (yes or no), in any order; importing again updates the people it\n"
    "names, and a column the file lacks keeps what the register holds. Teams must be the\n"
    "latest case list's: a spelling that differs only by dashes, case, spaces or &/and is\n"
    "taken as the list's, with a note. Names are matched ignoring case and repeated spaces.\n"
    "'disable' marks a person inactive: their records stay, they can no longer grade,\n"
    "moderate or be assigned cases. 'password' sets the password NAME logs in to 'caseaudit\n"
    "serve' with: typed twice at the terminal (not shown), or read from the first line of\n"
    "standard input when it is not a terminal; never given as an argument. At least 10\n"
    "characters. Stored as Argon2id.\n",
    NULL,
    " (quote a name with spaces)",
};

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

enum { PASSWORD_MIN = 10, PASSWORD_MAX = 256 };

/* One line from standard input into buf (without its newline), not echoed when it
 * is a terminal. 0, or -1 at end of input or for a line too long. */
static int read_secret(const char *prompt, char *buf, size_t len)
{
    int tty = isatty(STDIN_FILENO);
    struct termios old, quiet;
    if (tty) {
        fprintf(stderr, "%s", prompt);
        tcgetattr(STDIN_FILENO, &old);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    char *got = fgets(buf, (int)len, stdin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fprintf(stderr, "\n");
    }
    if (!got)
        return -1;
    size_t n = strcspn(buf, "\r\n");
    if (buf[n] == 0 && n == len - 1)
        return -1;
    buf[n] = 0;
    return 0;
}

/* Stores the Argon2id string of NAME's new password, in one transaction with its event. */
static int store_password(const char *name, const char *hash)
{
    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    ca_people reg = {0};
    const ca_person *p = NULL;
    char detail[400];
    if (people_load(db, &reg, &err) == CA_OK) {
        p = people_require(&reg, name, ROLE_AUDITOR | ROLE_MANAGER | ROLE_QA_LEAD, &(ca_where){0}, NULL, &err);
        if (p) {
            snprintf(detail, sizeof detail, "password set for %s", p->name);
            if (db_begin(db, &err) != CA_OK || password_set(db, p->id, hash, &err) != CA_OK ||
                db_event(db, "people password", NULL, NULL, detail, &err) != CA_OK || db_commit(db, &err) != CA_OK)
                db_rollback(db);
        } else if (!err.status) {
            ca_fail(&err, CA_REFUSED, "no password was set");
        }
    }
    if (err.status || err.nproblems)
        rc = cli_report(&err);
    else
        printf("Password set for %s: they can log in to 'caseaudit serve'.\n", p->name);
    people_free(&reg);
    ca_error_free(&err);
    db_close(db);
    return rc;
}

static int people_password(const char *name)
{
    char pw[PASSWORD_MAX + 2], again[PASSWORD_MAX + 2] = "", hash[128];
    int rc;
    if (read_secret("New password: ", pw, sizeof pw) != 0)
        return cli_error(CA_REFUSED, "no password was read (give it on standard input, one line of at most %d "
                         "characters)", PASSWORD_MAX);
    if (strlen(pw) < PASSWORD_MIN)
        rc = cli_error(CA_REFUSED, "the password is too short: at least %d characters", PASSWORD_MIN);
    else if (isatty(STDIN_FILENO) && (read_secret("Again: ", again, sizeof again) != 0 || strcmp(pw, again) != 0))
        rc = cli_error(CA_REFUSED, "the two passwords differ: nothing was changed");
    else if (auth_init() != 0 || password_hash(pw, hash) != 0)
        rc = cli_error(CA_SYSTEM, "cannot hash the password (out of memory?)");
    else
        rc = store_password(name, hash);
    memset(pw, 0, sizeof pw);
    memset(again, 0, sizeof again);
    return rc;
}

int cmd_people(int argc, char **argv)
{
    enum out_format fmt = OUT_TABLE;
    int c, cp1252 = 0, have_format = 0, have_encoding = 0;
    cli_args a;
    cli_args_begin(&a, &people_spec, argc, argv);
    while ((c = cli_next(&a)) > 0) {
        switch (c) {
        case 'f':
            if (out_format_parse(a.value, OUT_ALLOW(OUT_TABLE) | OUT_ALLOW(OUT_CSV) | OUT_ALLOW(OUT_JSON), &fmt))
                return CA_USAGE;
            have_format = 1;
            break;
        case 'e':
            if ((cp1252 = cli_parse_encoding(&people_spec, a.value)) < 0)
                return CA_USAGE;
            have_encoding = 1;
            break;
        }
    }
    if (c == CLI_STOP)
        return a.status;
    int nargs = a.npos;
    const char *sub = nargs ? a.pos[0] : NULL;
    if (!sub) {
        if (have_encoding)
            return cli_usage_error(&people_spec, "--encoding is for 'people import'");
        return people_list(fmt);
    }
    if (have_format)
        return cli_usage_error(&people_spec, "--format is for listing the register ('caseaudit people')");
    if (strcmp(sub, "import") == 0) {
        if (nargs < 2)
            return cli_usage_error(&people_spec, "people import needs a FILE");
        return people_import(a.pos[1], cp1252);
    }
    if (strcmp(sub, "disable") == 0) {
        if (nargs < 2)
            return cli_usage_error(&people_spec, "people disable needs a NAME");
        if (have_encoding)
            return cli_usage_error(&people_spec, "--encoding is for 'people import'");
        return people_disable_one(a.pos[1]);
    }
    if (strcmp(sub, "password") == 0) {
        if (nargs < 2)
            return cli_usage_error(&people_spec, "people password needs a NAME (the password is read from the "
                                   "terminal or standard input, never given as an argument)");
        if (have_encoding)
            return cli_usage_error(&people_spec, "--encoding is for 'people import'");
        return people_password(a.pos[1]);
    }
    return cli_usage_error(&people_spec, "unknown subcommand '%s' (import, disable, password, or none to list)", sub);
}
