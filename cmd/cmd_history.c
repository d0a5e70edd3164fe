/* history (SPEC §3): the append-only event log, all of it or one case's. */
#include <stdio.h>
#include <string.h>

#include "cmd/cli.h"
#include "audit/store/events.h"
#include "cmd/output.h"

static const cli_opt history_opts[] = {
    CLI_ARG("CASE_ID", 0, "only this case's events"),
    CLI_VALUE('f', "format", "table|csv|json", 0, "the output format (default table)"),
    CLI_END_OF_TABLE,
};
static const cli_spec history_spec = {
    "history", history_opts,
    "The event log: who did what and when (UTC), for every change, in time order.\n"
    "With CASE_ID, that case's sampling, assignment, grades, corrections, moderation\n"
    "and actions.\n",
    NULL,
    NULL,
};

struct history_view {
    out_table *t;
    enum out_format fmt;
};

static int add_event(void *u, const event_row *r)
{
    struct history_view *v = u;
    char when[32];
    int y, mo, d, h, mi;
    otab_row(v->t);
    /* People read dd/mm/yyyy hh:mm (UTC); machines get the ISO time. */
    if (v->fmt == OUT_TABLE && sscanf(r->at, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) == 5)
        snprintf(when, sizeof when, "%02d/%02d/%04d %02d:%02d", d % 100, mo % 100, y % 10000, h % 100, mi % 100);
    else
        snprintf(when, sizeof when, "%s", r->at);
    otab_text(v->t, when);
    otab_text(v->t, r->by);
    otab_text(v->t, r->command);
    otab_text(v->t, r->round);
    otab_text(v->t, r->case_id);
    otab_text(v->t, r->detail);
    return 0;
}

int cmd_history(int argc, char **argv)
{
    enum out_format fmt = OUT_TABLE;
    int c;
    cli_args a;
    cli_args_begin(&a, &history_spec, argc, argv);
    while ((c = cli_next(&a)) > 0) {
        if (c == 'f' &&
            out_format_parse(a.value, OUT_ALLOW(OUT_TABLE) | OUT_ALLOW(OUT_CSV) | OUT_ALLOW(OUT_JSON), &fmt))
            return CA_USAGE;
    }
    if (c == CLI_STOP)
        return a.status;
    const char *case_id = a.npos ? a.pos[0] : NULL;
    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    out_table *t = otab_new();
    static const char *const names[] = {"at", "by", "command", "round", "case_id", "detail"};
    for (int k = 0; k < 6; k++)
        otab_col(t, names[k], COL_TEXT);
    struct history_view v = {t, fmt};
    events_list(db, case_id, add_event, &v, &err);
    if (err.status)
        rc = cli_report(&err);
    else if (fmt == OUT_TABLE && otab_nrows(t) == 0)
        rc = case_id ? cli_error(CA_REFUSED, "nothing is recorded for case '%s'", case_id)
                     : (fprintf(stderr, "The event log is empty.\n"), 0);
    else
        rc = otab_write(t, fmt, stdout) ? CA_SYSTEM : 0;
    otab_free(t);
    ca_error_free(&err);
    db_close(db);
    return rc;
}
