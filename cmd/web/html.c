/* html.c: the response buffer, escaping for each context, form decoding and the
 * page frame. Every value that comes from the database or the request reaches a
 * page through wb_html or wb_url. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/people.h"
#include "cmd/web/web.h"

void wb_put(wbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

void wb_puts(wbuf *b, const char *s)
{
    wb_put(b, s, strlen(s));
}

void wb_printf(wbuf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        wb_put(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->oom = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    wb_put(b, big, (size_t)n);
    free(big);
}

void wb_html(wbuf *b, const char *s)
{
    if (!s)
        return;
    for (const char *run = s;; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        case 0: break;
        default: continue;
        }
        wb_put(b, run, (size_t)(s - run));
        if (!*s)
            return;
        wb_puts(b, rep);
        run = s + 1;
    }
}

void wb_url(wbuf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *u = (const unsigned char *)s; u && *u; u++) {
        if ((*u >= 'a' && *u <= 'z') || (*u >= 'A' && *u <= 'Z') || (*u >= '0' && *u <= '9') || strchr("-._~", *u)) {
            wb_put(b, (const char *)u, 1);
        } else {
            char e[3] = {'%', hex[*u >> 4], hex[*u & 15]};
            wb_put(b, e, 3);
        }
    }
}

void wb_free(wbuf *b)
{
    free(b->p);
    *b = (wbuf){0};
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int url_decode(char *s)
{
    char *w = s;
    for (const char *r = s; *r; r++) {
        if (*r == '+') {
            *w++ = ' ';
        } else if (*r == '%') {
            int hi = hexval(r[1]), lo = hi < 0 ? -1 : hexval(r[2]);
            if (lo < 0 || (hi == 0 && lo == 0))
                return -1;
            *w++ = (char)(hi * 16 + lo);
            r += 2;
        } else {
            *w++ = *r;
        }
    }
    *w = 0;
    return 0;
}

int form_parse(web_form *f, const char *s, size_t n)
{
    *f = (web_form){0};
    size_t i = 0;
    while (i < n && f->n < FORM_MAX) {
        size_t j = i;
        while (j < n && s[j] != '&')
            j++;
        size_t eq = i;
        while (eq < j && s[eq] != '=')
            eq++;
        if (j > i) {
            char *name = strndup(s + i, eq - i), *value = strndup(s + (eq < j ? eq + 1 : j), eq < j ? j - eq - 1 : 0);
            if (!name || !value) {
                free(name), free(value);
                return CA_ERR;
            }
            if (url_decode(name) || url_decode(value)) {
                free(name), free(value);
            } else {
                f->name[f->n] = name;
                f->value[f->n++] = value;
            }
        }
        i = j + 1;
    }
    return CA_OK;
}

const char *form_get(const web_form *f, const char *name)
{
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->name[i], name) == 0)
            return f->value[i];
    return NULL;
}

void form_free(web_form *f)
{
    for (int i = 0; i < f->n; i++)
        free(f->name[i]), free(f->value[i]);
    f->n = 0;
}

void page_begin(web_req *q, web_resp *r, const char *title)
{
    wbuf *b = &r->body;
    wb_puts(b, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    wb_html(b, title);
    wb_puts(b, " \xe2\x80\x94 caseaudit</title>\n<link rel=\"stylesheet\" href=\"/style.css\">\n</head>\n<body>\n"
               "<header><span class=\"brand\">caseaudit</span>");
    if (q->have_session) {
        wb_puts(b, "<nav aria-label=\"Main\">");
        if (q->roles & ROLE_QA_LEAD)
            wb_puts(b, "<a href=\"/\">Rounds</a> <a href=\"/report\">Report</a> ");
        if (q->roles & ROLE_AUDITOR)
            wb_puts(b, "<a href=\"/my\">My cases</a> ");
        if (q->roles & ROLE_MANAGER)
            wb_puts(b, "<a href=\"/moderation\">Moderation</a> ");
        wb_puts(b, "</nav><form class=\"logout\" method=\"post\" action=\"/logout\">");
        csrf_field(q, b);
        wb_puts(b, "<span>");
        wb_html(b, q->who.name);
        wb_puts(b, "</span> <button type=\"submit\">Log out</button></form>");
    }
    wb_puts(b, "</header>\n<main>\n<h1>");
    wb_html(b, title);
    wb_puts(b, "</h1>\n");
}

void page_end(web_resp *r)
{
    wb_puts(&r->body, "</main>\n</body>\n</html>\n");
}

void page_status(web_req *q, web_resp *r, int status, const char *message)
{
    r->status = status;
    r->body.n = 0;
    const char *title = status == 403 ? "Not allowed" : status == 404 ? "Not found" : status == 400 ? "Bad request"
                      : status == 405 ? "Method not allowed" : "Something went wrong";
    page_begin(q, r, title);
    wb_puts(&r->body, "<p>");
    wb_html(&r->body, message);
    wb_puts(&r->body, "</p>\n");
    page_end(r);
}

void redirect(web_resp *r, const char *to)
{
    r->status = 303;
    snprintf(r->location, sizeof r->location, "%s", to);
}

void csrf_field(web_req *q, wbuf *b)
{
    wb_puts(b, "<input type=\"hidden\" name=\"csrf\" value=\"");
    wb_html(b, q->csrf);
    wb_puts(b, "\">");
}

/* Whether COLUMN is one of the form's fields (a NULL-terminated list). */
static int on_form(const char *column, const char *const *fields)
{
    for (int i = 0; column && fields && fields[i]; i++)
        if (strcmp(column, fields[i]) == 0)
            return 1;
    return 0;
}

void problems_top(wbuf *b, const ca_error *err, const char *const *fields)
{
    if (!err->status && !err->nproblems)
        return;
    wb_puts(b, "<div class=\"problems\" role=\"alert\"><p><strong>");
    wb_html(b, err->msg[0] ? err->msg : "Nothing was recorded");
    wb_puts(b, "</strong></p>");
    int open = 0;
    for (int i = 0; i < err->nproblems; i++) {
        const ca_problem_rec *p = &err->problems[i];
        if (on_form(p->column, fields))
            continue;   /* shown beside its field */
        wb_puts(b, open++ ? "<li>" : "<ul><li>");
        wb_html(b, p->message ? p->message : p->text);
        wb_puts(b, "</li>");
    }
    wb_puts(b, open ? "</ul></div>\n" : "</div>\n");
}

void field_problem(wbuf *b, const ca_error *err, const char *column, const char *id)
{
    for (int i = 0; i < err->nproblems; i++) {
        const ca_problem_rec *p = &err->problems[i];
        if (p->column && strcmp(p->column, column) == 0) {
            wb_printf(b, "<p class=\"field-problem\" id=\"%s-problem\">", id);
            wb_html(b, p->message ? p->message : p->text);
            wb_puts(b, "</p>");
        }
    }
}
