/* server.c: `caseaudit serve` (SPEC §14): the daemon, routing, the headers of
 * every response, and a clean shutdown.
 *
 * libmicrohttpd runs a pool of worker threads; each opens its own database
 * connection on its first request (the library is safe with one connection per
 * thread) and they are all closed after the pool has stopped. Signals are blocked
 * in every thread and taken by the main thread with sigwait: on SIGTERM or SIGINT
 * it stops accepting, waits for the requests in flight, stops the pool and closes
 * the database. */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit/people.h"
#include "cmd/cli.h"
#include "cmd/web/web.h"

enum { POOL_THREADS = 8, MAX_BODY = 64 * 1024, MAX_DBS = 64, DRAIN_SECONDS = 30 };

static const char csp[] = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
                          "frame-ancestors 'none'";

static const char stylesheet[] =
    ":root{--ink:#1b1b1b;--muted:#505a5f;--line:#b1b4b6;--accent:#1d4f91;--bad:#a4161a;--bg:#fff;--soft:#f3f2f1}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:var(--ink);"
    "background:var(--bg)}\n"
    "header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.5rem 1rem;background:var(--accent);"
    "color:#fff}\n"
    "header a,header span{color:#fff}.brand{font-weight:700;margin-right:auto}\n"
    "header nav a{margin-right:.75rem}.logout{display:flex;gap:.5rem;align-items:center;margin:0}\n"
    "main{max-width:60rem;margin:0 auto;padding:1rem}\n"
    "h1{font-size:1.6rem;margin:.5rem 0 1rem}h2{font-size:1.25rem;margin:1.5rem 0 .5rem}\n"
    "a{color:var(--accent)}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #fd0;"
    "outline-offset:0}\n"
    "table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{text-align:left;padding:.35rem .5rem;"
    "border-bottom:1px solid var(--line);vertical-align:top}\n"
    ".scroll{overflow-x:auto}\n"
    "label{display:block;font-weight:600;margin:.75rem 0 .25rem}\n"
    "input,select,textarea{font:inherit;width:100%;max-width:30rem;padding:.4rem;border:2px solid var(--ink);"
    "border-radius:0}\n"
    "input[type=checkbox]{width:auto}.check label{display:inline;font-weight:400}\n"
    "button{font:inherit;padding:.45rem 1rem;background:var(--accent);color:#fff;border:2px solid var(--accent);"
    "cursor:pointer;margin-top:1rem}\n"
    "main form button{display:block}\n"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}\n"
    "header button{margin:0;background:#fff;color:var(--accent);padding:.2rem .6rem}\n"
    "fieldset{border:1px solid var(--line);margin:1rem 0;padding:.5rem 1rem 1rem;max-width:32rem}\n"
    ".problems{border:4px solid var(--bad);padding:.5rem 1rem;margin:1rem 0}\n"
    ".field-problem{color:var(--bad);font-weight:600;margin:.25rem 0}\n"
    ".hint{color:var(--muted)}.done{color:#00703c;font-weight:600}.overdue{color:var(--bad);font-weight:600}\n"
    ".card{max-width:30rem}\n"
    "@media (max-width:40rem){main{padding:.5rem}th,td{padding:.3rem}}\n";

static const char *db_path_served;
static pthread_mutex_t dbs_lock = PTHREAD_MUTEX_INITIALIZER;
static ca_db *dbs[MAX_DBS];
static int ndbs;
static _Thread_local ca_db *thread_db;
static atomic_long in_flight, served;
static int serving_tls;

/* This worker thread's connection, opened on first use. */
static ca_db *worker_db(ca_error *err)
{
    if (thread_db)
        return thread_db;
    pthread_mutex_lock(&dbs_lock);
    int room = ndbs < MAX_DBS;
    pthread_mutex_unlock(&dbs_lock);
    if (!room) {
        ca_fail(err, CA_SYSTEM, "too many database connections");
        return NULL;
    }
    ca_db *db;
    if (db_open(&db, db_path_served, CA_DB_EXISTING, NULL, err) != CA_OK)
        return NULL;
    pthread_mutex_lock(&dbs_lock);
    dbs[ndbs++] = db;
    pthread_mutex_unlock(&dbs_lock);
    return thread_db = db;
}

/* "Now" for this request: $CASEAUDIT_NOW, read each time, else the clock. */
static ca_clock request_clock(int64_t *now)
{
    const char *s = getenv("CASEAUDIT_NOW");
    ca_clock c;
    if (!s || !*s || clock_parse(s, &c) != CA_OK)
        c = CA_CLOCK_SYSTEM;
    *now = c == CA_CLOCK_SYSTEM ? (int64_t)time(NULL) : c;
    return c;
}

static void page_style(web_resp *r)
{
    r->type = "text/css; charset=utf-8";
    wb_puts(&r->body, stylesheet);
}

/* The role a path needs, checked before the page runs: 403 when the person lacks it. */
static int need_role(web_req *q, web_resp *r, int role)
{
    if (q->roles & role)
        return 1;
    page_status(q, r, 403, "Your roles in the people register do not include this page.");
    return 0;
}

/* Splits "/prefix/A/B" (exactly two segments after prefix) into a and b. */
static int two_segments(const char *path, const char *prefix, char *a, size_t alen, char *b, size_t blen)
{
    size_t n = strlen(prefix);
    if (strncmp(path, prefix, n) != 0)
        return 0;
    const char *s = path + n, *slash = strchr(s, '/');
    if (!slash || slash == s || !slash[1] || strchr(slash + 1, '/') || (size_t)(slash - s) >= alen ||
        strlen(slash + 1) >= blen)
        return 0;
    memcpy(a, s, (size_t)(slash - s));
    a[slash - s] = 0;
    strcpy(b, slash + 1);
    return 1;
}

/* The pages behind a login. */
static void route_private(web_req *q, web_resp *r, struct MHD_Connection *c)
{
    const char *p = q->path;
    int post = strcmp(q->method, "POST") == 0;
    char a[128], b[256];
    if (strcmp(p, "/logout") == 0 && post) {
        page_logout(q, r);
    } else if (strcmp(p, "/") == 0 && !post) {
        if (q->roles & ROLE_QA_LEAD)
            page_home(q, r);
        else
            redirect(r, q->roles & ROLE_AUDITOR ? "/my" : q->roles & ROLE_MANAGER ? "/moderation" : "/login");
    } else if (strcmp(p, "/my") == 0 && !post) {
        if (need_role(q, r, ROLE_AUDITOR))
            page_my(q, r);
    } else if (two_segments(p, "/audit/", a, sizeof a, b, sizeof b)) {
        if (need_role(q, r, ROLE_AUDITOR))
            page_audit(q, r, a, b);
    } else if (strcmp(p, "/moderation") == 0 && !post) {
        if (need_role(q, r, ROLE_MANAGER))
            page_moderation(q, r);
    } else if (two_segments(p, "/moderate/", a, sizeof a, b, sizeof b)) {
        if (need_role(q, r, ROLE_MANAGER))
            page_moderate(q, r, a, b);
    } else if (strcmp(p, "/report") == 0 && !post) {
        if (need_role(q, r, ROLE_QA_LEAD))
            page_report(q, r, MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "quarter"),
                        MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "format"));
    } else if (strcmp(p, "/evidence") == 0 && !post) {
        if (need_role(q, r, ROLE_QA_LEAD))
            page_evidence(q, r, MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "format"));
    } else if (strcmp(p, "/report.css") == 0 && !post) {
        page_report_css(q, r);
    } else if (two_segments(p, "/rounds/", a, sizeof a, b, sizeof b) && strcmp(b, "list.xlsx") == 0 && !post) {
        if (need_role(q, r, ROLE_QA_LEAD))
            page_round_list(q, r, a);
    } else {
        page_status(q, r, 404, "There is no such page.");
    }
}

/* A POST must come from a page of this site: its Origin is this server's. A
 * browser sends "Origin: null" for a form posted from a page whose policy is
 * Referrer-Policy: no-referrer (the Fetch standard's "serializing a request
 * origin"), which every page here has; then the browser's own Sec-Fetch-Site,
 * which no page can set, must say same-origin (a sandboxed or foreign page's
 * "null" comes with cross-site). */
static int same_origin(struct MHD_Connection *c)
{
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    const char *site = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site");
    char want[300];
    if (!origin || !host)
        return 0;
    if (strcmp(origin, "null") == 0)
        return site && strcmp(site, "same-origin") == 0;
    snprintf(want, sizeof want, "%s://%s", serving_tls ? "https" : "http", host);
    return strcmp(origin, want) == 0;
}

static void route(web_req *q, web_resp *r, struct MHD_Connection *c)
{
    int post = strcmp(q->method, "POST") == 0;
    if (!post && strcmp(q->method, "GET") != 0 && strcmp(q->method, "HEAD") != 0)
        return page_status(q, r, 405, "Only GET and POST are served.");
    if (strcmp(q->path, "/style.css") == 0)
        return page_style(r);
    ca_error err = CA_ERROR_INIT;
    int live = auth_session(q, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie"), &err);
    if (live < 0) {
        page_status(q, r, 500, err.msg);
        return ca_error_free(&err);
    }
    if (post && !same_origin(c))
        return page_status(q, r, 403, "This form did not come from this site: nothing was changed.");
    if (strcmp(q->path, "/login") == 0)
        return page_login(q, r);
    if (!live) {
        if (post)
            return page_status(q, r, 403, "Your session has ended: log in again. Nothing was changed.");
        return redirect(r, "/login");
    }
    db_set_actor(q->db, q->who.name);
    if (post && !auth_csrf_ok(q))
        return page_status(q, r, 403, "This form has expired or did not come from this site: nothing was changed. "
                                      "Open the page again.");
    route_private(q, r, c);
}

static void add_headers(struct MHD_Response *resp, web_resp *r)
{
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Type", r->type ? r->type : "text/html; charset=utf-8");
    if (r->nostore || !r->type || strncmp(r->type, "text/css", 8) != 0)
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (r->location[0])
        MHD_add_response_header(resp, "Location", r->location);
    if (r->cookie[0])
        MHD_add_response_header(resp, "Set-Cookie", r->cookie);
    if (r->disposition[0])
        MHD_add_response_header(resp, "Content-Disposition", r->disposition);
}

struct pending {
    wbuf body;
    int too_big;
};

static enum MHD_Result send_resp(struct MHD_Connection *c, web_resp *r)
{
    if (r->body.oom) {
        wb_free(&r->body);
        r->status = 500;
        r->type = "text/plain; charset=utf-8";
        wb_puts(&r->body, "out of memory\n");
    }
    struct MHD_Response *resp = r->body.n ? MHD_create_response_from_buffer(r->body.n, r->body.p, MHD_RESPMEM_MUST_FREE)
                                          : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        wb_free(&r->body);
        return MHD_NO;
    }
    if (!r->body.n)
        wb_free(&r->body);
    add_headers(resp, r);
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    (void)cls, (void)version;
    struct pending *p = *con_cls;
    if (!p) {
        if (!(p = calloc(1, sizeof *p)))
            return MHD_NO;
        atomic_fetch_add(&in_flight, 1);
        *con_cls = p;
        return MHD_YES;
    }
    if (*upload_size) {
        if (p->body.n + *upload_size > MAX_BODY)
            p->too_big = 1;
        else
            wb_put(&p->body, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    web_req q = {.method = method, .path = url, .tls = serving_tls};
    web_resp r = {.status = 200};
    ca_error err = CA_ERROR_INIT;
    ca_clock clock = request_clock(&q.now);
    if (p->too_big || p->body.oom) {
        page_status(&q, &r, 413, "The form is too large.");
    } else if (!(q.db = worker_db(&err))) {
        page_status(&q, &r, 500, err.msg);
    } else if (form_parse(&q.form, p->body.p ? p->body.p : "", p->body.n) != CA_OK) {
        page_status(&q, &r, 500, "out of memory");
    } else {
        db_set_clock(q.db, clock);
        db_set_actor(q.db, "web (not logged in)");
        route(&q, &r, c);
    }
    form_free(&q.form);
    ca_error_free(&err);
    atomic_fetch_add(&served, 1);
    return send_resp(c, &r);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)c, (void)toe;
    struct pending *p = *con_cls;
    if (p) {
        wb_free(&p->body);
        free(p);
        *con_cls = NULL;
        atomic_fetch_sub(&in_flight, 1);
    }
}

static const cli_opt serve_opts[] = {
    CLI_VALUE('l', "listen", "ADDR:PORT", 0, "where to listen (default 127.0.0.1:8080; port 0: any free port;\n"
              "[::1]:PORT for IPv6); any address but loopback needs TLS"),
    CLI_VALUE('c', "tls-cert", "FILE", CLI_AND, "serve HTTPS with this certificate (PEM) ..."),
    CLI_VALUE('k', "tls-key", "FILE", 0, "... and this key (PEM)"),
    CLI_END_OF_TABLE,
};
static const cli_spec serve_spec = {
    "serve", serve_opts,
    "Serves the web front end (SPEC \xc2\xa7" "14): auditors grade their cases, managers moderate,\n"
    "the QA lead follows the rounds and the report, in a browser. Accounts are the people\n"
    "register's, with a password set by 'caseaudit people password NAME'.\n",
    "\nIt prints the address it serves on, and stops cleanly on SIGTERM or SIGINT (Ctrl-C):\n"
    "requests in flight finish and the database is closed.\n",
    NULL,
};

struct listen_addr {
    struct sockaddr_storage sa;
    int v6, loopback;
};

/* ADDR:PORT or [ADDR6]:PORT: 0, or -1. */
static int parse_listen(const char *s, struct listen_addr *out)
{
    char host[64];
    const char *colon = s[0] == '[' ? strstr(s, "]:") : strrchr(s, ':');
    size_t hl = colon ? (size_t)(colon - s) - (s[0] == '[') : 0;
    if (!colon || hl == 0 || hl >= sizeof host)
        return -1;
    memcpy(host, s + (s[0] == '['), hl);
    host[hl] = 0;
    char *end;
    long port = strtol(colon + (s[0] == '[' ? 2 : 1), &end, 10);
    if (*end || end == colon + 1 || port < 0 || port > 65535)
        return -1;
    memset(out, 0, sizeof *out);
    if (s[0] == '[') {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&out->sa;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
            return -1;
        out->v6 = 1;
        out->loopback = IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&out->sa;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)port);
        if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
            return -1;
        out->loopback = (ntohl(a->sin_addr.s_addr) >> 24) == 127;
    }
    return 0;
}

/* A whole (small) file, NUL-terminated; NULL with errno set. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    wbuf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.n < 1024 * 1024)
        wb_put(&b, chunk, n);
    int bad = ferror(f) || b.oom || !b.p;
    fclose(f);
    if (bad) {
        wb_free(&b);
        errno = errno ? errno : EIO;
        return NULL;
    }
    return b.p;
}

/* Waits for SIGTERM or SIGINT (blocked in every thread), then drains and stops. */
static int run_until_signal(struct MHD_Daemon *d, const sigset_t *set)
{
    int sig = 0;
    sigwait(set, &sig);
    fprintf(stderr, "%s: no new connections; finishing %ld request%s in flight\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM", atomic_load(&in_flight), atomic_load(&in_flight) == 1 ? "" : "s");
    MHD_quiesce_daemon(d);
    for (int i = 0; i < DRAIN_SECONDS * 20 && atomic_load(&in_flight) > 0; i++)
        nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    MHD_stop_daemon(d);
    for (int i = 0; i < ndbs; i++)
        db_close(dbs[i]);
    fprintf(stderr, "Stopped after %ld request%s; the database is closed.\n", atomic_load(&served),
            atomic_load(&served) == 1 ? "" : "s");
    return 0;
}

static struct MHD_Daemon *start(const struct listen_addr *la, const char *cert, const char *key)
{
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_EPOLL | (la->v6 ? MHD_USE_IPv6 : 0) |
                     (cert ? MHD_USE_TLS : 0);
    struct MHD_OptionItem tls[] = {
        {cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, (void *)cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)key},
        {MHD_OPTION_END, 0, NULL},
    };
    return MHD_start_daemon(flags, 0, NULL, NULL, handle, NULL, MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&la->sa,
                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)POOL_THREADS, MHD_OPTION_CONNECTION_LIMIT,
                            (unsigned)512, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
                            MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_ARRAY, tls, MHD_OPTION_END);
}

/* Options: 0, or an exit status (help: *done). */
static int serve_options(int argc, char **argv, const char **listen, const char **cert, const char **key, int *done)
{
    cli_args a;
    int c;
    cli_args_begin(&a, &serve_spec, argc, argv);
    while ((c = cli_next(&a)) > 0)
        *(c == 'l' ? listen : c == 'c' ? cert : key) = a.value;
    if (c == CLI_STOP)
        return *done = 1, a.status;
    if (!*cert != !*key)
        return cli_usage_error(&serve_spec, "--tls-cert and --tls-key go together");
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    const char *listen = "127.0.0.1:8080", *certf = NULL, *keyf = NULL;
    int done = 0, rc = serve_options(argc, argv, &listen, &certf, &keyf, &done);
    if (rc || done)
        return rc;
    struct listen_addr la;
    if (parse_listen(listen, &la) != 0)
        return cli_usage_error(&serve_spec, "--listen \"%s\": expected ADDR:PORT such as 127.0.0.1:8080", listen);
    if (!la.loopback && !certf)
        return cli_error(CA_REFUSED, "--listen %s is not a loopback address: serving children's data to the network "
                         "needs HTTPS (give --tls-cert FILE --tls-key FILE), or listen on 127.0.0.1", listen);
    ca_db *db;   /* opened once here, so that a missing or too-new database is refused before serving */
    if ((rc = cli_open_db(&db, CA_DB_EXISTING)) != 0)
        return rc;
    db_close(db);
    db_path_served = cli_db_path;
    char *cert = certf ? slurp(certf) : NULL, *key = keyf ? slurp(keyf) : NULL;
    if (certf && (!cert || !key)) {
        rc = cli_error(CA_SYSTEM, "cannot read '%s': %s", !cert ? certf : keyf, strerror(errno));
    } else if (auth_init() != 0) {
        rc = cli_error(CA_SYSTEM, "cannot start libsodium");
    } else {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &set, NULL);   /* before the pool starts: its threads inherit the mask */
        signal(SIGPIPE, SIG_IGN);
        serving_tls = cert != NULL;
        struct MHD_Daemon *d = start(&la, cert, key);
        if (!d) {
            rc = cli_error(CA_SYSTEM, "cannot listen on %s (%s)", listen, strerror(errno ? errno : EADDRINUSE));
        } else {
            const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
            char host[64];
            snprintf(host, sizeof host, "%.*s", (int)(strrchr(listen, ':') - listen), listen);
            printf("Serving %s on %s://%s:%u/ (Ctrl-C or SIGTERM stops it)\n", db_path_served, cert ? "https" : "http",
                   host, info ? info->port : 0);
            fflush(stdout);
            rc = run_until_signal(d, &set);
        }
    }
    free(cert);
    free(key);
    return rc;
}
