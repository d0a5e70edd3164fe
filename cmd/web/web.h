/* web.h: the web front end (SPEC §14), `caseaudit serve`: what its files share.
 *
 * server.c   the daemon (libmicrohttpd thread pool, one database connection per
 *            worker thread), routing, the headers every response carries, shutdown
 * auth.c     passwords (Argon2id), sessions, logins and lockouts, CSRF tokens
 * pages.c    the auditor's and the manager's pages
 * lead.c     the QA lead's pages and downloads
 * html.c     the response buffer, escaping for each context, form decoding
 * Nothing here holds SQL: pages call the operations and the storage functions.
 */
#ifndef CASEAUDIT_WEB_H
#define CASEAUDIT_WEB_H

#include <stddef.h>
#include <stdint.h>

#include "audit/error.h"
#include "audit/store/sessions.h"
#include "audit/store/store.h"

/* A growing buffer for a response body; oom is set (and writes ignored) when an
 * allocation fails. */
typedef struct wbuf {
    char *p;
    size_t n, cap;
    int oom;
} wbuf;

void wb_put(wbuf *b, const char *s, size_t n);
void wb_puts(wbuf *b, const char *s);
void wb_printf(wbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text escaped for HTML element content and quoted attribute values: & < > " ' */
void wb_html(wbuf *b, const char *s);
/* A URL path segment, percent-encoded (everything but unreserved characters). */
void wb_url(wbuf *b, const char *s);
void wb_free(wbuf *b);

/* A decoded application/x-www-form-urlencoded body or query string. */
enum { FORM_MAX = 64 };
typedef struct web_form {
    int n;
    char *name[FORM_MAX], *value[FORM_MAX];
} web_form;
/* Decodes s (length n); fields past FORM_MAX are dropped. Returns CA_ERR out of memory. */
int form_parse(web_form *f, const char *s, size_t n);
const char *form_get(const web_form *f, const char *name);   /* NULL when absent */
void form_free(web_form *f);
/* Decodes %XX and + in place; returns 0, or -1 for a bad escape or a NUL. */
int url_decode(char *s);

/* A request as the pages see it. */
typedef struct web_req {
    const char *method, *path, *query;   /* path decoded? no: raw, split by the router */
    ca_db *db;
    int64_t now;                         /* seconds since the epoch, $CASEAUDIT_NOW or the clock */
    int tls;
    web_form form;                       /* a POST's fields */
    int have_session;
    session_row who;
    int roles;                           /* enum person_role bits */
    char token_hash[65];
    char csrf[65];                       /* the session's form token */
} web_req;

typedef struct web_resp {
    int status;
    wbuf body;
    const char *type;                    /* Content-Type; NULL: text/html; charset=utf-8 */
    int nostore;                         /* personal data: Cache-Control: no-store */
    char location[512];                  /* a redirect's target */
    char cookie[256];                    /* Set-Cookie */
    char disposition[160];               /* Content-Disposition for a download */
} web_resp;

/* The page frame: head, header with who is logged in and logout, main. */
void page_begin(web_req *q, web_resp *r, const char *title);
void page_end(web_resp *r);
/* A whole page saying STATUS and MESSAGE. */
void page_status(web_req *q, web_resp *r, int status, const char *message);
void redirect(web_resp *r, const char *to);
/* A hidden form field with the session's CSRF token. */
void csrf_field(web_req *q, wbuf *b);
/* The problems of err, from the library as data: those whose column is one of
 * the form's fields (NULL-terminated) go beside that field (field_problem), the
 * others above the form. */
void problems_top(wbuf *b, const ca_error *err, const char *const *fields);
void field_problem(wbuf *b, const ca_error *err, const char *column, const char *id);

/* auth.c */
int auth_init(void);              /* libsodium; -1 when it cannot start */
int auth_session(web_req *q, const char *cookie_header, ca_error *err);   /* fills q->who; 1 live, 0 none */
int auth_csrf_ok(web_req *q);     /* the POST's token matches the session's */
void page_login(web_req *q, web_resp *r);
void page_logout(web_req *q, web_resp *r);
/* Hashes a new password (Argon2id, at least the interactive limits): 0, or -1. */
int password_hash(const char *password, char out[128]);

/* pages.c and lead.c */
void page_my(web_req *q, web_resp *r);
void page_audit(web_req *q, web_resp *r, const char *round, const char *case_id);
void page_moderation(web_req *q, web_resp *r);
void page_moderate(web_req *q, web_resp *r, const char *round, const char *case_id);
void page_home(web_req *q, web_resp *r);
void page_report(web_req *q, web_resp *r, const char *quarter, const char *format);   /* NULLs: defaults */
void page_report_css(web_req *q, web_resp *r);
void page_evidence(web_req *q, web_resp *r, const char *format);         /* NULL: the links */
void page_round_list(web_req *q, web_resp *r, const char *round);

int cmd_serve(int argc, char **argv);

#endif
