/* pages.c: the auditor's and the manager's pages (SPEC §14). A form is checked
 * and recorded by the same operation as the command line (grade_record,
 * moderation_record), with the logged-in person as the auditor or moderator and
 * as the event log's actor; its problems come back as data and are shown beside
 * the fields they name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/grade.h"
#include "audit/people.h"
#include "audit/store/moderations.h"
#include "audit/store/rounds.h"
#include "audit/store/worklist.h"
#include "audit/vocab.h"
#include "cmd/web/web.h"
#include "moderation/moderate.h"

/* A form's problems have no file: the library names the field in each problem's
 * column (grade, audit_date, a domain's code, action_due, reason, ...). */

static void day_cell(wbuf *b, ca_day d)
{
    char uk[CA_DATE_ISO_LEN];
    if (d < 0)
        return;
    date_uk(d, uk);
    wb_html(b, uk);
}

/* A <select> of the four grades (and a blank choice when blank_label). */
static void grade_select(wbuf *b, const char *name, const char *id, int chosen, const char *blank_label)
{
    wb_printf(b, "<select id=\"%s\" name=\"%s\"%s>", id, name, blank_label ? "" : " required");
    wb_puts(b, "<option value=\"\">");
    wb_html(b, blank_label ? blank_label : "Choose a grade");
    wb_puts(b, "</option>");
    for (int g = 1; g <= 4; g++)
        wb_printf(b, "<option value=\"%d\"%s>%s</option>", g, g == chosen ? " selected" : "", grade_label(g));
    wb_puts(b, "</select>");
}

/* An ISO date for an <input type="date">, "" for -1. */
static void iso_value(wbuf *b, ca_day d)
{
    char iso[CA_DATE_ISO_LEN];
    if (d >= 0) {
        date_iso(d, iso);
        wb_puts(b, iso);
    }
}

/* A labelled <input type="date"> whose id, name and problem column are `name` (a fixed
 * word, not escaped): the value posted back when the form is shown again, else `fallback`. */
static void date_field(wbuf *b, const ca_error *err, const web_form *f, const char *name, const char *label,
                       ca_day fallback)
{
    const char *v = form_get(f, name);
    wb_printf(b, "\n<label for=\"%s\">%s</label>", name, label);
    field_problem(b, err, name, name);
    wb_printf(b, "<input id=\"%s\" name=\"%s\" type=\"date\" value=\"", name, name);
    if (v)
        wb_html(b, v);
    else
        iso_value(b, fallback);
    wb_puts(b, "\">");
}

/* Parses an optional date field: -1 when blank; a problem on its column when wrong. */
static ca_day form_date(const web_form *f, const char *field, const char *column, ca_error *err)
{
    const char *v = form_get(f, field);
    ca_day d;
    char why[160];
    if (!v || !*v)
        return -1;
    if (date_parse(v, &d, why, sizeof why) == CA_OK)
        return d;
    ca_problem_in(err, NULL, 0, column, v, "%s", why);
    return -2;
}

/* ---- the auditor ---- */

struct my_rows {
    wbuf *b;
    ca_day today;
    char round[64];
    long n;
};

static int my_row(void *u, const worklist_row *r)
{
    struct my_rows *m = u;
    wbuf *b = m->b;
    if (strcmp(m->round, r->round) != 0) {
        if (m->n)
            wb_puts(b, "</tbody></table></div>\n");
        snprintf(m->round, sizeof m->round, "%s", r->round);
        wb_puts(b, "<h2>Round ");
        wb_html(b, r->round);
        if (r->due >= 0)
            wb_puts(b, ", due "), day_cell(b, r->due);
        wb_puts(b, "</h2>\n<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Case</th><th scope=\"col\">Plan"
                   "</th><th scope=\"col\">Age band</th><th scope=\"col\">Team</th><th scope=\"col\">Status</th></tr>"
                   "</thead><tbody>\n");
    }
    m->n++;
    wb_puts(b, "<tr><td><a href=\"/audit/");
    wb_url(b, r->round);
    wb_puts(b, "/");
    wb_url(b, r->case_id);
    wb_puts(b, "\">");
    wb_html(b, r->case_id);
    wb_puts(b, "</a></td><td>");
    wb_html(b, r->plan_type);
    wb_puts(b, "</td><td>");
    wb_html(b, r->age_band);
    wb_puts(b, "</td><td>");
    wb_html(b, r->team);
    wb_puts(b, "</td><td>");
    if (r->grade) {
        wb_printf(b, "<span class=\"done\">%s</span>, ", grade_label(r->grade));
        day_cell(b, r->audit_date);
    } else {
        wb_puts(b, r->due >= 0 && r->due < m->today ? "<span class=\"overdue\">Overdue</span>" : "To do");
    }
    wb_puts(b, "</td></tr>\n");
    return 0;
}

void page_my(web_req *q, web_resp *r)
{
    ca_error err = CA_ERROR_INIT;
    struct my_rows m = {&r->body, db_today(q->db), "", 0};
    r->nostore = 1;
    page_begin(q, r, "My cases");
    if (worklist_auditor(q->db, q->who.name, NULL, NULL, my_row, &m, &err) != CA_OK) {
        page_status(q, r, 500, err.msg);
    } else {
        wb_puts(&r->body, m.n ? "</tbody></table></div>\n" : "<p>No cases are allocated to you.</p>\n");
        page_end(r);
    }
    ca_error_free(&err);
}

static int copy_row(void *u, const worklist_row *r)
{
    worklist_row *out = u;
    *out = *r;
    out->round = strdup(r->round), out->case_id = strdup(r->case_id), out->plan_type = strdup(r->plan_type);
    out->age_band = strdup(r->age_band), out->team = r->team ? strdup(r->team) : NULL;
    return 1;
}

static void free_row(worklist_row *w)
{
    free((char *)w->round), free((char *)w->case_id), free((char *)w->plan_type), free((char *)w->age_band);
    free((char *)w->team);
}

static int history_row(void *u, const audit_history_row *h)
{
    wbuf *b = u;
    wb_printf(b, "<tr><td>%s%s</td><td>", grade_label(h->grade), h->current ? " (current)" : "");
    day_cell(b, h->audit_date);
    wb_puts(b, "</td><td>");
    wb_html(b, h->auditor);
    wb_puts(b, "</td><td>");
    wb_html(b, h->note);
    wb_puts(b, "</td><td>");
    wb_html(b, h->entered_at);
    wb_puts(b, " by ");
    wb_html(b, h->entered_by);
    wb_puts(b, "</td></tr>\n");
    return 0;
}

struct domain_list {
    int n;
    char code[GRADE_MAX_DOMAINS][64], label[GRADE_MAX_DOMAINS][128];
};

static int add_domain(void *u, const char *code, const char *label)
{
    struct domain_list *d = u;
    if (d->n < GRADE_MAX_DOMAINS) {
        snprintf(d->code[d->n], sizeof d->code[0], "%s", code);
        snprintf(d->label[d->n++], sizeof d->label[0], "%s", label);
    }
    return 0;
}

/* The grade form, refilled from a refused POST (f) or blank (today's date). */
static void grade_form(web_req *q, wbuf *b, const worklist_row *w, const struct domain_list *dl, const web_form *f,
                       const ca_error *err)
{
    const char *v;
    wb_printf(b, "<h2>%s</h2>\n<form method=\"post\" action=\"/audit/", w->grade ? "Correct the grade" : "Grade the case");
    wb_url(b, w->round);
    wb_puts(b, "/");
    wb_url(b, w->case_id);
    wb_puts(b, "\">");
    csrf_field(q, b);
    if (w->grade)
        wb_puts(b, "<input type=\"hidden\" name=\"correct\" value=\"yes\"><p class=\"hint\">A correction is recorded "
                   "as a new grade; the earlier one stays in the history.</p>");
    wb_puts(b, "\n<label for=\"grade\">Grade</label>");
    field_problem(b, err, "grade", "grade");
    grade_select(b, "grade", "grade", (v = form_get(f, "grade")) ? grade_parse(v) : w->grade, NULL);
    date_field(b, err, f, "audit_date", "Audit date", db_today(q->db));
    wb_puts(b, "\n<fieldset><legend>Domain grades (optional)</legend>");
    for (int d = 0; d < dl->n; d++) {
        char name[80];
        snprintf(name, sizeof name, "domain_%s", dl->code[d]);
        wb_printf(b, "<label for=\"%s\">", name);
        wb_html(b, dl->label[d]);
        wb_puts(b, "</label>");
        field_problem(b, err, dl->code[d], name);
        grade_select(b, name, name, (v = form_get(f, name)) ? grade_parse(v) : 0, "Not graded");
    }
    wb_puts(b, "</fieldset>\n<fieldset><legend>Action (optional)</legend><label for=\"action\">What needs doing</label>");
    field_problem(b, err, "action", "action");
    wb_puts(b, "<input id=\"action\" name=\"action\" value=\"");
    wb_html(b, form_get(f, "action"));
    wb_puts(b, "\"><p class=\"hint\">Owner: the case's allocated worker.</p><label for=\"action_due\">Due date</label>");
    field_problem(b, err, "action_due", "action_due");
    wb_puts(b, "<input id=\"action_due\" name=\"action_due\" type=\"date\" value=\"");
    wb_html(b, form_get(f, "action_due"));
    wb_puts(b, "\"></fieldset>\n<label for=\"note\">Note</label>");
    field_problem(b, err, "note", "note");
    wb_puts(b, "<textarea id=\"note\" name=\"note\" rows=\"4\">");
    wb_html(b, form_get(f, "note"));
    wb_puts(b, "</textarea>\n<button type=\"submit\">Record the grade</button>\n</form>\n");
}

/* Builds the grade from the form; problems of the form's own (a grade or date
 * that does not parse) go to err with their column. */
static void grade_from_form(web_req *q, const struct domain_list *dl, const char *case_id, grade_input *g,
                            ca_error *err)
{
    const char *v;
    *g = (grade_input){.date = -1, .action_due = -1};
    g->case_id = strdup(case_id);
    g->auditor = strdup(q->who.name);
    v = form_get(&q->form, "grade");
    if (!(g->grade = v ? grade_parse(v) : 0))
        ca_problem_in(err, NULL, 0, "grade", v, "choose a grade");
    g->date = form_date(&q->form, "audit_date", "audit_date", err);
    g->action_due = form_date(&q->form, "action_due", "action_due", err);
    for (int d = 0; d < dl->n; d++) {
        char name[80];
        snprintf(name, sizeof name, "domain_%s", dl->code[d]);
        if ((v = form_get(&q->form, name)) && *v && g->ndomains < GRADE_MAX_DOMAINS) {
            g->domain[g->ndomains] = strdup(dl->code[d]);
            if (!(g->domain_grade[g->ndomains++] = grade_parse(v)))
                ca_problem_in(err, NULL, 0, dl->code[d], v, "not a grade; expected " CA_GRADE_EXPECTED);
        }
    }
    if ((v = form_get(&q->form, "action")) && *v)
        g->action = strdup(v);
    if ((v = form_get(&q->form, "note")) && *v)
        g->note = strdup(v);
    g->correct = (v = form_get(&q->form, "correct")) && strcmp(v, "yes") == 0;
}

/* Records the POSTed grade: 1 recorded (redirected), 0 refused (problems in err), CA_ERR. */
static int grade_post(web_req *q, web_resp *r, const worklist_row *w, const struct domain_list *dl, ca_error *err)
{
    grade_input g;
    grade_summary sum;
    grade_from_form(q, dl, w->case_id, &g, err);
    int rc = CA_OK;
    if (!g.case_id || !g.auditor)
        rc = ca_fail(err, CA_SYSTEM, "out of memory");
    else if (err->nproblems)
        ca_fail(err, CA_REFUSED, "nothing was recorded: %ld problem%s", err->ntotal, err->ntotal == 1 ? "" : "s");
    else if ((rc = grade_record(q->db, w->round, &g, 1, &sum, err)) == CA_OK) {
        wbuf to = {0};
        wb_puts(&to, "/audit/");
        wb_url(&to, w->round);
        wb_puts(&to, "/");
        wb_url(&to, w->case_id);
        redirect(r, to.p ? to.p : "/my");
        wb_free(&to);
    }
    grade_input_free(&g);
    if (rc == CA_OK && !err->status)
        return 1;
    return err->status == CA_REFUSED ? 0 : CA_ERR;
}

void page_audit(web_req *q, web_resp *r, const char *round, const char *case_id)
{
    worklist_row w = {0};
    ca_error err = CA_ERROR_INIT;
    round_info ri;
    struct domain_list dl = {0};
    int got = worklist_auditor(q->db, q->who.name, round, case_id, copy_row, &w, &err);
    r->nostore = 1;
    if (got == CA_ERR || (got == 1 && (round_by_label(q->db, round, &ri, &err) != CA_OK ||
                                       domains_list(q->db, add_domain, &dl, &err) != CA_OK))) {
        page_status(q, r, 500, err.msg);
    } else if (got != 1) {
        page_status(q, r, 404, "There is no such case among those allocated to you.");   /* another's: not found */
    } else {
        int posted = strcmp(q->method, "POST") == 0 ? grade_post(q, r, &w, &dl, &err) : 0;
        if (posted == CA_ERR) {
            page_status(q, r, 500, err.msg);
        } else if (posted == 0) {
            if (err.status)
                r->status = 422;
            wbuf *b = &r->body;
            char title[400];
            snprintf(title, sizeof title, "Case %s, round %s", w.case_id, w.round);
            page_begin(q, r, title);
            wb_puts(b, "<dl><dt>Plan</dt><dd>");
            wb_html(b, w.plan_type);
            wb_puts(b, "</dd><dt>Age band</dt><dd>");
            wb_html(b, w.age_band);
            wb_puts(b, "</dd><dt>Team</dt><dd>");
            wb_html(b, w.team);
            wb_puts(b, "</dd></dl>\n");
            const char *fields[8 + GRADE_MAX_DOMAINS] = {"grade", "audit_date", "action", "action_due", "note"};
            for (int d = 0; d < dl.n; d++)
                fields[5 + d] = dl.code[d];
            problems_top(b, &err, fields);
            if (w.grade) {
                wb_puts(b, "<h2>History</h2><div class=\"scroll\"><table><thead><tr><th scope=\"col\">Grade</th>"
                           "<th scope=\"col\">Audit date</th><th scope=\"col\">Auditor</th><th scope=\"col\">Note</th>"
                           "<th scope=\"col\">Entered</th></tr></thead><tbody>\n");
                ca_error herr = CA_ERROR_INIT;
                audit_history(q->db, ri.id, w.case_id, history_row, b, &herr);
                ca_error_free(&herr);
                wb_puts(b, "</tbody></table></div>\n");
            }
            grade_form(q, b, &w, &dl, strcmp(q->method, "POST") == 0 ? &q->form : &(web_form){0}, &err);
            page_end(r);
        }
    }
    free_row(&w);
    ca_error_free(&err);
}

/* ---- the manager ---- */

struct mod_rows {
    wbuf *b;
    int pending;           /* this pass lists the pending ones (1) or the done ones (0) */
    long n;
};

static int mod_row(void *u, const moderation_list_row *m)
{
    struct mod_rows *t = u;
    wbuf *b = t->b;
    if (!t->pending && !m->moderated_grade)
        return 0;
    t->n++;
    wb_puts(b, "<tr><td><a href=\"/moderate/");
    wb_url(b, m->round);
    wb_puts(b, "/");
    wb_url(b, m->case_id);
    wb_puts(b, "\">");
    wb_html(b, m->case_id);
    wb_puts(b, "</a></td><td>");
    wb_html(b, m->round);
    wb_puts(b, "</td><td>");
    wb_html(b, m->auditor);
    wb_printf(b, "</td><td>%s, ", grade_label(m->audited_grade));
    day_cell(b, m->audit_date);
    wb_puts(b, "</td><td>");
    if (m->moderated_grade) {
        wb_printf(b, "%s by ", grade_label(m->moderated_grade));
        wb_html(b, m->moderator);
        if (m->corrected_since)
            wb_puts(b, " (corrected since moderation)");
    } else {
        wb_puts(b, "Pending");
    }
    wb_puts(b, "</td></tr>\n");
    return 0;
}

void page_moderation(web_req *q, web_resp *r)
{
    ca_error err = CA_ERROR_INIT;
    ca_day from, to;
    date_from_ymd(1900, 1, 1, &from);
    date_from_ymd(2999, 12, 31, &to);   /* the last date the library takes */
    r->nostore = 1;
    page_begin(q, r, "Moderation");
    static const char head[] = "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Case</th><th scope=\"col\">"
                               "Round</th><th scope=\"col\">Auditor</th><th scope=\"col\">Audited</th>"
                               "<th scope=\"col\">Outcome</th></tr></thead><tbody>\n";
    for (int pass = 1; pass >= 0; pass--) {
        struct mod_rows t = {&r->body, pass, 0};
        wb_puts(&r->body, pass ? "<h2>Waiting for moderation</h2>\n" : "<h2>Moderated</h2>\n");
        wb_puts(&r->body, head);
        if (moderation_picks(q->db, NULL, from, to, pass, mod_row, &t, &err) != CA_OK)
            return page_status(q, r, 500, err.msg), ca_error_free(&err);
        wb_puts(&r->body, "</tbody></table></div>\n");
        if (!t.n)
            wb_puts(&r->body, "<p>None.</p>\n");
    }
    page_end(r);
}

static void moderate_form(web_req *q, wbuf *b, const moderation_target *t, const char *case_id, const ca_error *err)
{
    const web_form *f = strcmp(q->method, "POST") == 0 ? &q->form : &(web_form){0};
    const char *v;
    wb_printf(b, "<h2>%s</h2>\n<form method=\"post\" action=\"/moderate/", t->previous ? "Correct the outcome"
                                                                                   : "Record the outcome");
    wb_url(b, t->round);
    wb_puts(b, "/");
    wb_url(b, case_id);
    wb_puts(b, "\">");
    csrf_field(q, b);
    if (t->previous)
        wb_puts(b, "<input type=\"hidden\" name=\"correct\" value=\"yes\">");
    wb_puts(b, "\n<label for=\"grade\">Moderated grade</label>");
    field_problem(b, err, "grade", "grade");
    grade_select(b, "grade", "grade", (v = form_get(f, "grade")) ? grade_parse(v) : t->audited, NULL);
    date_field(b, err, f, "moderation_date", "Moderation date", db_today(q->db));
    wb_puts(b, "\n<label for=\"reason\">Reason (required when the grade changes)</label>");
    field_problem(b, err, "reason", "reason");
    wb_puts(b, "<textarea id=\"reason\" name=\"reason\" rows=\"4\">");
    wb_html(b, form_get(f, "reason"));
    wb_puts(b, "</textarea>\n<button type=\"submit\">Record the outcome</button>\n</form>\n");
}

/* Records the POSTed outcome: 1 recorded (redirected), 0 refused, CA_ERR. */
static int moderate_post(web_req *q, web_resp *r, const moderation_target *t, const char *case_id, ca_error *err)
{
    const char *v;
    mod_input m = {.date = -1};
    mod_summary sum;
    m.round = strdup(t->round);
    m.case_id = strdup(case_id);
    m.moderator = strdup(q->who.name);
    if (!(m.grade = (v = form_get(&q->form, "grade")) ? grade_parse(v) : 0))
        ca_problem_in(err, NULL, 0, "grade", v, "choose a grade");
    m.date = form_date(&q->form, "moderation_date", "moderation_date", err);
    if ((v = form_get(&q->form, "reason")) && *v)
        m.reason = strdup(v);
    m.correct = (v = form_get(&q->form, "correct")) && strcmp(v, "yes") == 0;
    int rc = CA_OK;
    if (!m.round || !m.case_id || !m.moderator)
        rc = ca_fail(err, CA_SYSTEM, "out of memory");
    else if (err->nproblems)
        ca_fail(err, CA_REFUSED, "nothing was recorded: %ld problem%s", err->ntotal, err->ntotal == 1 ? "" : "s");
    else if ((rc = moderation_record(q->db, &m, 1, &sum, err)) == CA_OK)
        redirect(r, "/moderation");
    mod_input_free(&m);
    if (rc == CA_OK && !err->status)
        return 1;
    return err->status == CA_REFUSED ? 0 : CA_ERR;
}

void page_moderate(web_req *q, web_resp *r, const char *round, const char *case_id)
{
    moderation_target t;
    ca_error err = CA_ERROR_INIT;
    r->nostore = 1;
    int got = moderation_target_find(q->db, round, case_id, &t, &err);
    if (got == CA_ERR) {
        page_status(q, r, 500, err.msg);
    } else if (got != 1 || !t.planned) {
        page_status(q, r, 404, "There is no such audit among those picked for moderation.");
    } else {
        int posted = strcmp(q->method, "POST") == 0 ? moderate_post(q, r, &t, case_id, &err) : 0;
        if (posted == CA_ERR) {
            page_status(q, r, 500, err.msg);
        } else if (posted == 0) {
            if (err.status)
                r->status = 422;
            wbuf *b = &r->body;
            char title[400];
            snprintf(title, sizeof title, "Moderate case %s, round %s", case_id, t.round);
            page_begin(q, r, title);
            wb_puts(b, "<h2>The audit</h2><dl><dt>Audited grade</dt><dd>");
            wb_html(b, grade_label(t.audited));
            wb_puts(b, "</dd><dt>Auditor</dt><dd>");
            wb_html(b, t.auditor);
            wb_puts(b, "</dd><dt>Audit date</dt><dd>");
            day_cell(b, t.audit_date);
            wb_puts(b, "</dd>");
            if (t.previous) {
                wb_printf(b, "<dt>Current outcome</dt><dd>%s by ", grade_label(t.prev_grade));
                wb_html(b, t.prev_moderator);
                wb_puts(b, ", ");
                day_cell(b, t.prev_date);
                if (t.prev_reason[0])
                    wb_puts(b, ": "), wb_html(b, t.prev_reason);
                wb_puts(b, "</dd>");
            }
            wb_puts(b, "</dl>\n");
            static const char *const fields[] = {"grade", "moderation_date", "reason", NULL};
            problems_top(b, &err, fields);
            moderate_form(q, b, &t, case_id, &err);
            page_end(r);
        }
    }
    ca_error_free(&err);
}
