/* auth.c: accounts and sessions (SPEC §14), after Fossil's login.c: a random
 * session secret of which the database keeps only a hash, compared by lookup of
 * that hash; a credentials check before every page; a form token bound to the
 * session. Passwords are Argon2id strings (libsodium), rehashed at login when the
 * limits rise. Each Argon2id check costs 64 MiB, so at most LOGIN_SLOTS run at once. */
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "audit/people.h"
#include "cmd/web/web.h"

enum {
    IDLE_SECONDS = 30 * 60,
    ABSOLUTE_SECONDS = 10 * 60 * 60,
    FAIL_WINDOW = 15 * 60,     /* five failures within it lock the name ... */
    FAIL_LIMIT = 5,
    LOCK_SECONDS = 15 * 60,    /* ... for this long */
    TOUCH_SECONDS = 60,        /* last_seen is rewritten at most once a minute */
    LOGIN_SLOTS = 2
};

#define PW_OPS crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PW_MEM crypto_pwhash_MEMLIMIT_INTERACTIVE

static sem_t login_slots;
/* A hash of a password nobody knows, checked for names without one, so that a
 * wrong name costs the same time as a wrong password. */
static char dummy_hash[crypto_pwhash_STRBYTES];

int password_hash(const char *password, char out[128])
{
    _Static_assert(crypto_pwhash_STRBYTES <= 128, "crypto_pwhash_STRBYTES");
    return crypto_pwhash_str(out, password, strlen(password), PW_OPS, PW_MEM);
}

int auth_init(void)
{
    if (sodium_init() < 0 || sem_init(&login_slots, 0, LOGIN_SLOTS) != 0)
        return -1;
    unsigned char secret[32];
    char pw[65];
    randombytes_buf(secret, sizeof secret);
    sodium_bin2hex(pw, sizeof pw, secret, sizeof secret);
    return password_hash(pw, dummy_hash);
}

static void hex_hash(const unsigned char *in, size_t n, const unsigned char *key, size_t keylen, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, in, n, key, keylen);
    sodium_bin2hex(out, 65, h, sizeof h);
}

static int roles_of(const char *text)
{
    int roles = 0;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", text);
    for (char *save = NULL, *t = strtok_r(buf, ";", &save); t; t = strtok_r(NULL, ";", &save))
        roles |= strcmp(t, "auditor") == 0 ? ROLE_AUDITOR : strcmp(t, "manager") == 0 ? ROLE_MANAGER
               : strcmp(t, "qa-lead") == 0 ? ROLE_QA_LEAD : 0;
    return roles;
}

/* The token from the cookie header's "caseaudit=HEX": 0 and tok filled, or -1. */
static int cookie_token(const char *header, unsigned char tok[32])
{
    for (const char *c = header; c && (c = strstr(c, "caseaudit=")); c += 10) {
        if (c != header && c[-1] != ' ' && c[-1] != ';')
            continue;
        size_t bin = 0;
        if (sodium_hex2bin(tok, 32, c + 10, 64, NULL, &bin, NULL) == 0 && bin == 32)
            return 0;
    }
    return -1;
}

/* Sets q's session from a live session's row and the token. */
static void adopt(web_req *q, const unsigned char tok[32])
{
    q->have_session = 1;
    q->roles = roles_of(q->who.roles);
    hex_hash(tok, 32, NULL, 0, q->token_hash);
    hex_hash((const unsigned char *)"csrf", 4, tok, 32, q->csrf);
}

int auth_session(web_req *q, const char *cookie_header, ca_error *err)
{
    unsigned char tok[32];
    char th[65];
    if (cookie_token(cookie_header, tok) != 0)
        return 0;
    hex_hash(tok, 32, NULL, 0, th);
    int got = session_find(q->db, th, &q->who, err);
    if (got != 1)
        return got;
    if (!q->who.active || q->now - q->who.created >= ABSOLUTE_SECONDS || q->now - q->who.last_seen >= IDLE_SECONDS) {
        sodium_memzero(tok, sizeof tok);
        return session_end(q->db, th, q->now, err) == CA_OK ? 0 : CA_ERR;   /* expired: gone for good */
    }
    if (q->now - q->who.last_seen >= TOUCH_SECONDS && session_touch(q->db, th, q->now, err) != CA_OK)
        return CA_ERR;
    adopt(q, tok);
    sodium_memzero(tok, sizeof tok);
    return 1;
}

int auth_csrf_ok(web_req *q)
{
    const char *t = form_get(&q->form, "csrf");
    return q->have_session && t && strlen(t) == 64 && sodium_memcmp(t, q->csrf, 64) == 0;
}

static void login_form(web_req *q, web_resp *r, const char *name, const char *problem)
{
    page_begin(q, r, "Log in");
    wbuf *b = &r->body;
    if (problem) {
        wb_puts(b, "<div class=\"problems\" role=\"alert\"><p>");
        wb_html(b, problem);
        wb_puts(b, "</p></div>\n");
    }
    wb_puts(b, "<form method=\"post\" action=\"/login\" class=\"card\">\n"
               "<label for=\"name\">Name</label><input id=\"name\" name=\"name\" autocomplete=\"username\" required"
               " value=\"");
    wb_html(b, name ? name : "");
    wb_puts(b, "\">\n<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\""
               " autocomplete=\"current-password\" required>\n<button type=\"submit\">Log in</button>\n</form>\n");
    page_end(r);
}

/* Whether NAME's password is PASSWORD; rehashes it when the limits have risen.
 * Inactive people and names without a password never match. */
static int check_password(web_req *q, const ca_person *p, const char *password, ca_error *err)
{
    char hash[crypto_pwhash_STRBYTES] = "";
    int have = p && p->active ? password_get(q->db, p->id, hash, sizeof hash, err) : 0;
    if (have < 0)
        return CA_ERR;
    sem_wait(&login_slots);
    int ok = crypto_pwhash_str_verify(have ? hash : dummy_hash, password, strlen(password)) == 0 && have;
    char fresh[crypto_pwhash_STRBYTES];
    int rehash = ok && crypto_pwhash_str_needs_rehash(hash, PW_OPS, PW_MEM) != 0 && password_hash(password, fresh) == 0;
    sem_post(&login_slots);
    if (rehash && password_set(q->db, p->id, fresh, err) != CA_OK)
        return CA_ERR;
    return ok;
}

/* Counts a failure for key and locks it at the fifth within the window (logged). */
static int login_failed(web_req *q, const char *key, const char *name, ca_error *err)
{
    long n = 0;
    if (db_begin(q->db, err) != CA_OK)
        return CA_ERR;
    int rc = login_failure_add(q->db, key, q->now, err);
    if (rc == CA_OK)
        rc = login_failures_since(q->db, key, q->now - FAIL_WINDOW + 1, &n, err);
    if (rc == CA_OK && n >= FAIL_LIMIT) {
        char detail[400];
        snprintf(detail, sizeof detail, "login: \"%.200s\" locked for 15 minutes after %ld failed logins within 15 "
                 "minutes", name, n);
        rc = login_lock_set(q->db, key, q->now + LOCK_SECONDS, err);
        if (rc == CA_OK)
            rc = db_event(q->db, "login locked", NULL, NULL, detail, err);
    }
    if (rc == CA_OK)
        return db_commit(q->db, err);
    db_rollback(q->db);
    return CA_ERR;
}

/* A new session for person P: the cookie's token, its hash stored. */
static int login_succeeded(web_req *q, web_resp *r, const ca_person *p, ca_error *err)
{
    unsigned char tok[32];
    char th[65], hex[65];
    randombytes_buf(tok, sizeof tok);
    hex_hash(tok, 32, NULL, 0, th);
    db_set_actor(q->db, p->name);
    if (db_begin(q->db, err) != CA_OK)
        return CA_ERR;
    /* A new session each time: one presented with the login ends, and expired ones are forgotten. */
    if ((q->have_session && session_end(q->db, q->token_hash, q->now, err) != CA_OK) ||
        sessions_prune(q->db, q->now, ABSOLUTE_SECONDS, FAIL_WINDOW, err) != CA_OK ||
        session_insert(q->db, th, p->id, q->now, err) != CA_OK ||
        db_event(q->db, "login", NULL, NULL, "logged in to the web front end", err) != CA_OK ||
        db_commit(q->db, err) != CA_OK) {
        db_rollback(q->db);
        return CA_ERR;
    }
    sodium_bin2hex(hex, sizeof hex, tok, sizeof tok);
    snprintf(r->cookie, sizeof r->cookie, "caseaudit=%s; HttpOnly; SameSite=Strict; Path=/%s", hex,
             q->tls ? "; Secure" : "");
    sodium_memzero(tok, sizeof tok);
    sodium_memzero(hex, sizeof hex);
    redirect(r, p->roles & ROLE_QA_LEAD ? "/" : p->roles & ROLE_AUDITOR ? "/my" : "/moderation");
    return CA_OK;
}

void page_login(web_req *q, web_resp *r)
{
    if (strcmp(q->method, "POST") != 0) {
        if (q->have_session)   /* already logged in: their first page */
            return redirect(r, q->roles & ROLE_QA_LEAD ? "/" : q->roles & ROLE_AUDITOR ? "/my" : "/moderation");
        return login_form(q, r, NULL, NULL);
    }
    const char *name = form_get(&q->form, "name"), *pw = form_get(&q->form, "password");
    if (!name || !pw || !*name || !*pw)
        return r->status = 400, login_form(q, r, name, "Give your name and your password.");
    char key[256];
    people_key(name, key, sizeof key);
    ca_error err = CA_ERROR_INIT;
    ca_people reg = {0};
    int64_t until = 0;
    int ok = CA_ERR;
    if (login_lock_get(q->db, key, &until, &err) == CA_OK && until > q->now) {
        char msg[200];
        snprintf(msg, sizeof msg, "This name is locked for %ld more minute%s after five failed logins. Try again "
                 "later, or ask the QA lead.", (long)((until - q->now + 59) / 60), until - q->now > 60 ? "s" : "");
        r->status = 429;
        login_form(q, r, name, msg);
    } else if (!err.status && people_load(q->db, &reg, &err) == CA_OK &&
               (ok = check_password(q, people_find(&reg, name), pw, &err)) == 1) {
        if (login_succeeded(q, r, people_find(&reg, name), &err) != CA_OK)
            page_status(q, r, 500, err.msg);
    } else if (ok == 0 && login_failed(q, key, name, &err) == CA_OK) {
        r->status = 401;
        login_form(q, r, name, "The name or the password is wrong.");
    } else {
        page_status(q, r, 500, err.msg);
    }
    people_free(&reg);
    ca_error_free(&err);
}

void page_logout(web_req *q, web_resp *r)
{
    ca_error err = CA_ERROR_INIT;
    if (q->have_session) {
        if (db_begin(q->db, &err) != CA_OK || session_end(q->db, q->token_hash, q->now, &err) != CA_OK ||
            db_event(q->db, "logout", NULL, NULL, "logged out of the web front end", &err) != CA_OK ||
            db_commit(q->db, &err) != CA_OK) {
            db_rollback(q->db);
            page_status(q, r, 500, err.msg);
            ca_error_free(&err);
            return;
        }
    }
    snprintf(r->cookie, sizeof r->cookie, "caseaudit=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0%s",
             q->tls ? "; Secure" : "");
    redirect(r, "/login");
    ca_error_free(&err);
}
