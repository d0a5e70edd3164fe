/* lead.c: the QA lead's pages (SPEC §14): the rounds and their progress, what
 * each auditor has outstanding, overdue actions; the quarterly report (the html
 * of §9 with its downloads); a round's list as a workbook. */
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit/date.h"
#include "audit/evidence.h"
#include "audit/render/evidence_render.h"
#include "audit/store/audits.h"
#include "audit/store/rounds.h"
#include "audit/store/worklist.h"
#include "cmd/web/web.h"
#include "moderation/period.h"
#include "moderation/render/render.h"
#include "moderation/report.h"

extern char **environ;

static void day_text(wbuf *b, ca_day d)
{
    char uk[CA_DATE_ISO_LEN];
    if (d >= 0) {
        date_uk(d, uk);
        wb_puts(b, uk);
    }
}

static int round_row(void *u, const round_progress_row *r)
{
    wbuf *b = u;
    wb_puts(b, "<tr><th scope=\"row\">");
    wb_html(b, r->label);
    wb_puts(b, "</th><td>");
    day_text(b, r->as_of);
    wb_puts(b, "</td><td>");
    day_text(b, r->due);
    wb_printf(b, "</td><td>%ld of %ld</td><td>%s%ld%s</td><td>%ld</td><td><a href=\"/rounds/", r->graded, r->sampled,
              r->overdue ? "<span class=\"overdue\">" : "", r->overdue, r->overdue ? "</span>" : "", r->moderated);
    wb_url(b, r->label);
    wb_puts(b, "/list.xlsx\">list.xlsx</a></td></tr>\n");
    return 0;
}

/* Counts rows, so that an empty table can say so. */
struct counted {
    wbuf *b;
    long n;
};

static int outstanding_row(void *u, const char *auditor, long n)
{
    struct counted *c = u;
    wbuf *b = c->b;
    c->n++;
    wb_puts(b, "<tr><th scope=\"row\">");
    wb_html(b, auditor);
    wb_printf(b, "</th><td>%ld</td></tr>\n", n);
    return 0;
}

static int overdue_row(void *u, const action_row *a)
{
    struct counted *c = u;
    wbuf *b = c->b;
    c->n++;
    wb_printf(b, "<tr><td>%ld</td><td>", a->id);
    wb_html(b, a->round);
    wb_puts(b, "</td><td>");
    wb_html(b, a->case_id);
    wb_puts(b, "</td><td>");
    wb_html(b, a->text);
    wb_puts(b, "</td><td>");
    wb_html(b, a->owner);
    wb_puts(b, "</td><td>");
    day_text(b, a->due);
    wb_puts(b, "</td></tr>\n");
    return 0;
}

void page_home(web_req *q, web_resp *r)
{
    ca_error err = CA_ERROR_INIT;
    wbuf *b = &r->body;
    r->nostore = 1;
    page_begin(q, r, "Rounds");
    wb_puts(b, "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Round</th><th scope=\"col\">Case list of"
               "</th><th scope=\"col\">Due</th><th scope=\"col\">Graded</th><th scope=\"col\">Overdue</th>"
               "<th scope=\"col\">Moderated</th><th scope=\"col\">Download</th></tr></thead><tbody>\n");
    int rc = rounds_progress(q->db, db_today(q->db), round_row, b, &err);
    wb_puts(b, "</tbody></table></div>\n<h2>Outstanding per auditor</h2>\n<div class=\"scroll\"><table><thead><tr>"
               "<th scope=\"col\">Auditor</th><th scope=\"col\">Cases not graded</th></tr></thead><tbody>\n");
    struct counted out = {b, 0}, late = {b, 0};
    if (rc == CA_OK)
        rc = worklist_outstanding(q->db, outstanding_row, &out, &err);
    wb_puts(b, "</tbody></table></div>\n");
    if (!out.n)
        wb_puts(b, "<p>Nothing outstanding.</p>\n");
    wb_puts(b, "<h2>Overdue actions</h2>\n<div class=\"scroll\"><table><thead><tr>"
               "<th scope=\"col\">Id</th><th scope=\"col\">Round</th><th scope=\"col\">Case</th><th scope=\"col\">"
               "Action</th><th scope=\"col\">Owner</th><th scope=\"col\">Due</th></tr></thead><tbody>\n");
    if (rc == CA_OK)
        rc = actions_list(q->db, NULL, 1, 1, db_today(q->db), overdue_row, &late, &err);
    wb_puts(b, "</tbody></table></div>\n");
    if (!late.n)
        wb_puts(b, "<p>None.</p>\n");
    wb_puts(b, "<p><a href=\"/report\">The quarterly report</a></p>\n");
    wb_puts(b, "<p><a href=\"/evidence\">Inspection evidence: the last six months</a></p>\n");
    if (rc != CA_OK)
        page_status(q, r, 500, err.msg);
    else
        page_end(r);
    ca_error_free(&err);
}

/* The report's own stylesheet, moved out of its page (the policy allows no inline
 * style) on the first render and served from /report.css. */
static pthread_mutex_t report_css_lock = PTHREAD_MUTEX_INITIALIZER;
static char *report_css;

void page_report_css(web_req *q, web_resp *r)
{
    (void)q;
    r->type = "text/css; charset=utf-8";
    pthread_mutex_lock(&report_css_lock);
    wb_puts(&r->body, report_css ? report_css : "");
    pthread_mutex_unlock(&report_css_lock);
}

/* The html report, its <style> moved to /report.css and a bar of downloads after <body>. */
static void report_page(web_resp *r, const char *html, const ca_period *p)
{
    const char *s = strstr(html, "<style>\n"), *e = s ? strstr(s, "</style>\n") : NULL, *body = strstr(html, "<body>\n");
    if (!s || !e || !body || body < e) {
        wb_puts(&r->body, html);
        return;
    }
    pthread_mutex_lock(&report_css_lock);
    if (!report_css)
        report_css = strndup(s + 8, (size_t)(e - s - 8));
    pthread_mutex_unlock(&report_css_lock);
    wb_put(&r->body, html, (size_t)(s - html));
    wb_puts(&r->body, "<link rel=\"stylesheet\" href=\"/report.css\">\n");
    wb_put(&r->body, e + 9, (size_t)(body + 7 - (e + 9)));
    wb_puts(&r->body, "<nav aria-label=\"Report\"><p><a href=\"/\">Rounds</a> | Download: ");
    static const char *const fmts[] = {"xlsx", "csv", "json", "md"};
    for (int i = 0; i < 4; i++) {
        wb_puts(&r->body, i ? ", <a href=\"/report?quarter=" : "<a href=\"/report?quarter=");
        wb_url(&r->body, p->label);
        wb_printf(&r->body, "&amp;format=%s\">%s</a>", fmts[i], fmts[i]);
    }
    wb_puts(&r->body, "</p><form method=\"get\" action=\"/report\"><label for=\"quarter\">Quarter</label>"
                      "<input id=\"quarter\" name=\"quarter\" value=\"");
    wb_html(&r->body, p->label);
    wb_puts(&r->body, "\"> <button type=\"submit\">Show</button></form></nav>\n");
    wb_puts(&r->body, body + 7);
}

/* Keeps a Content-Disposition's file name to letters, digits, - _ . (a label could hold anything). */
static void safe_filename(char *disposition)
{
    char *c = strchr(disposition, '"'), *end = c ? strrchr(c + 1, '"') : NULL;
    for (c = c ? c + 1 : NULL; c && c < end; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || strchr("-_.", *c)))
            *c = '-';
}

/* The last complete quarter before today (as the command line's default). */
static void default_quarter(ca_day today, ca_period *p)
{
    int y, m, d;
    date_to_ymd(today, &y, &m, &d);
    int qn = (m - 1) / 3 + 1;
    char label[32], why[160];
    snprintf(label, sizeof label, "%04dQ%d", (qn == 1 ? y - 1 : y) % 10000, qn == 1 ? 4 : qn - 1);
    period_parse_quarter(label, p, why, sizeof why);
}

/* Reads a whole file into the response body. */
static int body_from_file(web_resp *r, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        wb_put(&r->body, chunk, n);
    int bad = ferror(f);
    fclose(f);
    return bad || r->body.oom ? -1 : 0;
}

/* A temporary file name (created empty, 0600) for a workbook. */
static int temp_path(char *path, size_t len)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, len, "%s/caseaudit-web-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

/* A download's body: the xlsx renderer writes a file (libzip needs a path), read back
 * and removed; the others write to a memory stream. Each model passes its two writers. */
typedef int (*xlsx_writer)(const void *model, const char *path, ca_error *err);
typedef int (*text_writer)(const void *model, const char *fmt, FILE *f, ca_error *err);

static int download_body(const void *model, const char *fmt, xlsx_writer xlsx, text_writer text_out, web_resp *r,
                         ca_error *err)
{
    if (strcmp(fmt, "xlsx") == 0) {
        char path[512];
        if (temp_path(path, sizeof path) != 0)
            return ca_fail(err, CA_SYSTEM, "cannot create a temporary file");
        int rc = xlsx(model, path, err) == CA_OK && body_from_file(r, path) == 0 ? CA_OK : CA_ERR;
        unlink(path);
        return rc == CA_OK || err->status ? rc : ca_fail(err, CA_SYSTEM, "cannot read the workbook back");
    }
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    if (!f)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    int rc = text_out(model, fmt, f, err);
    if (fclose(f) != 0 && rc == CA_OK)
        rc = ca_fail(err, CA_SYSTEM, "out of memory");
    if (rc == CA_OK)
        wb_put(&r->body, text, n);
    free(text);
    return rc;
}

static int report_xlsx(const void *rep, const char *path, ca_error *err)
{
    return render_xlsx(rep, path, err);
}

static int report_text(const void *rep, const char *fmt, FILE *f, ca_error *err)
{
    return strcmp(fmt, "csv") == 0 ? render_csv(rep, f, err) : strcmp(fmt, "json") == 0 ? render_json(rep, f, err)
         : strcmp(fmt, "md") == 0 ? render_md(rep, f, err) : render_html(rep, f, err);
}

void page_report(web_req *q, web_resp *r, const char *quarter, const char *format)
{
    static const char *const fmts[][2] = {{"html", NULL}, {"xlsx", "application/vnd.openxmlformats-officedocument."
                                          "spreadsheetml.sheet"}, {"csv", "text/csv; charset=utf-8"},
                                          {"json", "application/json"}, {"md", "text/markdown; charset=utf-8"}};
    int k = -1;
    for (int i = 0; i < 5; i++)
        if (strcmp(format && *format ? format : "html", fmts[i][0]) == 0)
            k = i;
    ca_period p;
    char why[160];
    r->nostore = 1;
    if (k < 0)
        return page_status(q, r, 400, "format is one of html, xlsx, csv, json or md.");
    if (quarter && *quarter && period_parse_quarter(quarter, &p, why, sizeof why) != CA_OK) {
        char msg[300];
        snprintf(msg, sizeof msg, "The quarter \"%.60s\": %s", quarter, why);
        return page_status(q, r, 400, msg);
    }
    if (!quarter || !*quarter)
        default_quarter(db_today(q->db), &p);
    static const enum report_dim dims[] = {BY_PLAN, BY_AGE};
    report rep;
    ca_error err = CA_ERROR_INIT;
    wbuf html = {0};
    if (report_build(q->db, &p, -1, dims, 2, &rep, &err) != CA_OK) {
        page_status(q, r, 500, err.msg);
    } else {
        web_resp tmp = {0};
        if (download_body(&rep, fmts[k][0], report_xlsx, report_text, k == 0 ? &tmp : r, &err) != CA_OK) {
            page_status(q, r, 500, err.msg);
        } else if (k == 0) {
            report_page(r, tmp.body.p ? tmp.body.p : "", &p);
        } else {
            r->type = fmts[k][1];
            snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"report-%s.%s\"", p.label,
                     fmts[k][0]);
            safe_filename(r->disposition);   /* 2026/27Q2 */
        }
        wb_free(&tmp.body);
        report_free(&rep);
    }
    wb_free(&html);
    ca_error_free(&err);
}

/* The round's list exactly as `caseaudit list ROUND --format xlsx` writes it: that
 * command, run on the same database, into a temporary file. */
void page_round_list(web_req *q, web_resp *r, const char *round)
{
    round_info ri;
    ca_error err = CA_ERROR_INIT;
    char path[512];
    r->nostore = 1;
    if (round_by_label(q->db, round, &ri, &err) != CA_OK) {
        page_status(q, r, err.status == CA_REFUSED ? 404 : 500, err.msg);
    } else if (temp_path(path, sizeof path) != 0) {
        page_status(q, r, 500, "cannot create a temporary file");
    } else {
        char *argv[] = {"caseaudit", "--db", (char *)db_path(q->db), "list", ri.label, "--format", "xlsx", "-o", path,
                        NULL};
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
        pid_t pid;
        int status = -1;
        if (posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, environ) == 0)
            waitpid(pid, &status, 0);
        posix_spawn_file_actions_destroy(&fa);
        if (status != 0 || body_from_file(r, path) != 0) {
            page_status(q, r, 500, "cannot write the round's list");
        } else {
            r->type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"list-%.60s.xlsx\"", ri.label);
            safe_filename(r->disposition);
        }
        unlink(path);
    }
    ca_error_free(&err);
}

/* The inspection evidence pack (SPEC §15): the last six months, as the command line's
 * `caseaudit evidence --months 6` writes it, downloaded in the format asked for (the
 * html pack carries its own styles, so it is a download here, not a page of this site). */
static int evidence_xlsx(const void *e, const char *path, ca_error *err)
{
    return evidence_render_xlsx(e, path, err);
}

static int evidence_text(const void *e, const char *fmt, FILE *f, ca_error *err)
{
    return evidence_render(e, strcmp(fmt, "csv") == 0 ? OUT_CSV : strcmp(fmt, "json") == 0 ? OUT_JSON : OUT_HTML, f,
                           err);
}

static void evidence_links(web_req *q, web_resp *r)
{
    wbuf *b = &r->body;
    page_begin(q, r, "Inspection evidence");
    wb_puts(b, "<p>Every case audited in the last six months, with how it was chosen, its grades, corrections, "
               "moderation and actions, and a first page that explains the method and how anyone can re-derive "
               "each month's list from its seed. It holds children's identifiers: keep it as you keep the case "
               "records.</p>\n<ul>\n<li><a href=\"/evidence?format=html\">Download as a web page (html)</a></li>\n"
               "<li><a href=\"/evidence?format=xlsx\">Download as a workbook (xlsx)</a></li>\n"
               "<li><a href=\"/evidence?format=csv\">Download as CSV</a></li>\n"
               "<li><a href=\"/evidence?format=json\">Download as JSON</a></li>\n</ul>\n");
    page_end(r);
}

void page_evidence(web_req *q, web_resp *r, const char *format)
{
    static const char *const fmts[][2] = {{"html", "text/html; charset=utf-8"},
                                          {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
                                          {"csv", "text/csv; charset=utf-8"}, {"json", "application/json"}};
    r->nostore = 1;
    if (!format || !*format)
        return evidence_links(q, r);
    int k = -1;
    for (int i = 0; i < 4; i++)
        if (strcmp(format, fmts[i][0]) == 0)
            k = i;
    if (k < 0)
        return page_status(q, r, 400, "format is one of html, xlsx, csv or json.");
    ca_day to = db_today(q->db), from = date_add_months(to, -6);   /* as cmd_evidence.c */
    evidence e;
    ca_error err = CA_ERROR_INIT;
    if (evidence_build(q->db, from, to, &e, &err) != CA_OK) {
        page_status(q, r, 500, err.msg);
    } else {
        if (download_body(&e, fmts[k][0], evidence_xlsx, evidence_text, r, &err) != CA_OK) {
            wb_free(&r->body);
            page_status(q, r, 500, err.msg);
        } else {
            r->type = fmts[k][1];
            snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"evidence.%s\"", fmts[k][0]);
        }
        evidence_free(&e);
    }
    ca_error_free(&err);
}
