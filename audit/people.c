#include "audit/people.h"

#include "audit/alias.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit/csvread.h"
#include "audit/tabread.h"
#include "audit/store/people.h"
#include "audit/vocab.h"

void people_key(const char *name, char *out, size_t len)
{
    size_t o = 0;
    int space = 0;
    if (!len)
        return;
    for (const char *s = name ? name : ""; *s && o + 1 < len; s++) {
        unsigned char c = (unsigned char)*s;
        if (isspace(c)) {
            space = o > 0;
            continue;
        }
        if (space && o + 2 < len)
            out[o++] = ' ';
        space = 0;
        out[o++] = (char)tolower(c);
    }
    out[o] = 0;
}

/* Hyphen, en dash, em dash, minus sign and the non-breaking hyphen: "only dashes differ". */
static size_t dash_len(const unsigned char *s)
{
    if (*s == '-')
        return 1;
    if (s[0] == 0xe2 && s[1] == 0x80 && (s[2] >= 0x90 && s[2] <= 0x95))
        return 3;
    if (s[0] == 0xe2 && s[1] == 0x88 && s[2] == 0x92)
        return 3;
    return 0;
}

void people_team_key(const char *team, char *out, size_t len)
{
    size_t o = 0, d;
    if (!len)
        return;
    for (const unsigned char *s = (const unsigned char *)(team ? team : ""); *s && o + 1 < len;) {
        if ((d = dash_len(s))) {
            s += d;
        } else if (isspace(*s)) {
            s++;
        } else if (*s == '&') {
            for (const char *a = "and"; *a && o + 1 < len; a++)
                out[o++] = *a;
            s++;
        } else {
            out[o++] = (char)tolower(*s++);
        }
    }
    out[o] = 0;
}

int people_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 200 || lb > 200)
        return 255;
    int row[201];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb] > 255 ? 255 : row[lb];
}

static void person_free(ca_person *p)
{
    free(p->name), free(p->key), free(p->teams), free(p->email);
}

void people_free(ca_people *r)
{
    for (long i = 0; i < r->n; i++)
        person_free(&r->p[i]);
    free(r->p);
    memset(r, 0, sizeof *r);
}

static int role_bits(const char *roles);

static int add_person(void *u, const person_row *row)
{
    ca_people *r = u;
    ca_person *p = realloc(r->p, sizeof *p * (size_t)(r->n + 1));
    if (!p)
        return CA_ERR;
    r->p = p;
    p = &r->p[r->n];
    *p = (ca_person){row->id, strdup(row->name), strdup(row->name_key), strdup(row->teams),
                     row->email ? strdup(row->email) : NULL, role_bits(row->roles), row->capacity, row->active};
    if (!p->name || !p->key || !p->teams || (row->email && !p->email)) {
        person_free(p);
        return CA_ERR;
    }
    r->n++;
    return 0;
}

int people_load(ca_db *db, ca_people *out, ca_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = people_each(db, add_person, out, err);
    if (rc != CA_OK) {
        people_free(out);
        return err->status ? CA_ERR : ca_fail(err, CA_SYSTEM, "out of memory");
    }
    return CA_OK;
}

const ca_person *people_find(const ca_people *r, const char *name)
{
    char key[256];
    people_key(name, key, sizeof key);
    for (long i = 0; i < r->n; i++)
        if (strcmp(r->p[i].key, key) == 0)
            return &r->p[i];
    return NULL;
}

/* Calls f on each of the person's teams (trimmed copies in a buffer). */
int people_teams_include(const char *teams, const char *team)
{
    char want[256], have[256], one[256];
    if (!teams || !team)
        return 0;
    people_team_key(team, want, sizeof want);
    for (const char *s = teams; *want && *s;) {
        size_t n = strcspn(s, ";");
        snprintf(one, sizeof one, "%.*s", (int)(n < sizeof one ? n : sizeof one - 1), s);
        people_team_key(one, have, sizeof have);
        if (strcmp(have, want) == 0)
            return 1;
        s += n + (s[n] == ';');
    }
    return 0;
}

int person_in_team(const ca_person *p, const char *team) { return people_teams_include(p->teams, team); }

static const struct {
    const char *name, *key;
    int bit;
} ROLES[] = {{"auditor", "auditor", ROLE_AUDITOR}, {"manager", "manager", ROLE_MANAGER},
             {"qa-lead", "qalead", ROLE_QA_LEAD}};

static int role_bits(const char *roles)
{
    int bits = 0;
    char one[64], key[64];
    for (const char *s = roles; *s;) {
        size_t n = strcspn(s, ";");
        snprintf(one, sizeof one, "%.*s", (int)(n < sizeof one ? n : sizeof one - 1), s);
        vocab_normalise(one, key, sizeof key);
        for (size_t k = 0; k < sizeof ROLES / sizeof *ROLES; k++)
            if (strcmp(key, ROLES[k].key) == 0)
                bits |= ROLES[k].bit;
        s += n + (s[n] == ';');
    }
    return bits;
}

const char *people_roles_text(int roles, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = 0;
    for (size_t k = 0; k < sizeof ROLES / sizeof *ROLES; k++)
        if ((roles & ROLES[k].bit) && o < len)
            o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? ";" : "", ROLES[k].name);
    return buf;
}

/* " (did you mean "A" or "B"?)": up to three names within a few edits, nearest first. */
static void suggest_names(const ca_people *r, const char *name, char *buf, size_t len)
{
    char key[256];
    people_key(name, key, sizeof key);
    int limit = (int)strlen(key) / 3 > 2 ? (int)strlen(key) / 3 : 2, best[3] = {256, 256, 256};
    long who[3] = {-1, -1, -1};
    size_t kl = strlen(key);
    for (long i = 0; i < r->n; i++) {
        const char *k = r->p[i].key, *word = strstr(k, key);
        /* A first name or surname alone is near too. */
        int whole = kl && word && (word == k || word[-1] == ' ') && (word[kl] == ' ' || !word[kl]);
        int d = whole ? 1 : people_distance(key, k);
        if (d > limit)
            continue;
        for (int k = 0; k < 3; k++)
            if (d < best[k]) {
                for (int m = 2; m > k; m--)
                    best[m] = best[m - 1], who[m] = who[m - 1];
                best[k] = d, who[k] = i;
                break;
            }
    }
    int m = 0;
    while (m < 3 && who[m] >= 0)
        m++;
    buf[0] = 0;
    size_t o = 0;
    for (int k = 0; k < m && o < len; k++)
        o += (size_t)snprintf(buf + o, len - o, "%s\"%s\"", k == 0 ? " (did you mean " : k == m - 1 ? " or " : ", ",
                              r->p[who[k]].name);
    if (o && o < len)
        snprintf(buf + o, len - o, "?)");
}

const ca_person *people_named(const ca_people *r, const char *name, ca_error *err)
{
    char hint[800];
    const ca_person *p = people_find(r, name);
    if (!p) {
        suggest_names(r, name, hint, sizeof hint);
        ca_fail(err, CA_REFUSED, "\"%s\" is not in the people register%s", name, hint);
    }
    return p;
}

const ca_person *people_require(const ca_people *r, const char *name, int role, const ca_where *at,
                                const char *column, ca_error *err)
{
    char roles[32], hint[800];
    const char *what = people_roles_text(role, roles, sizeof roles);
    const ca_person *p = people_find(r, name);
    if (!p) {
        suggest_names(r, name, hint, sizeof hint);
        ca_problem_in(err, at->file, at->line, column, NULL, "\"%s\" is not in the people register%s: check the spelling, or add them with 'caseaudit "
                   "people import FILE' (role %s)", name, hint, what);
    } else if (!p->active) {
        ca_problem_in(err, at->file, at->line, column, NULL, "%s is disabled in the people register: ask the QA lead to re-import them as active",
                   p->name);
        p = NULL;
    } else if (!(p->roles & role)) {
        char have[32];
        ca_problem_in(err, at->file, at->line, column, NULL, "%s does not have the %s role in the people register (their roles: %s): give someone who "
                   "does, or re-import them with it", p->name, what, people_roles_text(p->roles, have, sizeof have));
        p = NULL;
    }
    return p;
}

/* ---- importing a people file ---- */

void people_import_result_free(people_import_result *r)
{
    for (int i = 0; i < r->nnotes; i++)
        free(r->notes[i]);
    free(r->notes);
    memset(r, 0, sizeof *r);
}

static int add_note(people_import_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int add_note(people_import_result *r, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **n = realloc(r->notes, sizeof *n * (size_t)(r->nnotes + 1));
    if (!n)
        return CA_ERR;
    r->notes = n;
    if (!(n[r->nnotes] = strdup(buf)))
        return CA_ERR;
    r->nnotes++;
    return CA_OK;
}

/* One row of the file as read; absent columns are NULL (keep the register's value). */
struct in_person {
    long line;
    char *name, *teams, *roles, *email, *capacity, *active;
};

struct in_file {
    const char *path;
    long n;
    struct in_person *rows;
    char *hdr_team, *hdr_roles, *hdr_cap, *hdr_active; /* column names, for messages */
};

static void in_file_free(struct in_file *f)
{
    for (long i = 0; i < f->n; i++) {
        struct in_person *p = &f->rows[i];
        free(p->name), free(p->teams), free(p->roles), free(p->email), free(p->capacity), free(p->active);
    }
    free(f->rows);
    free(f->hdr_team), free(f->hdr_roles), free(f->hdr_cap), free(f->hdr_active);
    memset(f, 0, sizeof *f);
}

static char *field_or_null(tabr *r, int col, int *oom)
{
    if (col < 0)
        return NULL;
    char *s = csvr_trim_dup(tabr_field(r, col));
    *oom |= !s;
    return s;
}

static int read_rows(tabr *r, struct in_file *f, const int col[6], int nhdr, ca_error *err)
{
    int got, oom = 0;
    long cap = 0;
    while ((got = tabr_next(r, err)) != 0) {
        if (got < 0 && tabr_can_go_on(r) && err->status == CA_REFUSED) {
            ca_error_demote(err); /* a bad cell (#N/A): a problem of its row */
            continue;
        }
        if (got < 0)
            break;
        /* A sheet leaves out the empty cells at the end of a row; a CSV row must match its header. */
        if (!tabr_is_xlsx(r) && tabr_count(r) != nhdr) {
            ca_problem_in(err, f->path, tabr_line(r), NULL, NULL, "the row has %d fields where the header has %d", tabr_count(r), nhdr);
            continue;
        }
        if (f->n == cap) {
            cap = cap ? 2 * cap : 32;
            struct in_person *p = realloc(f->rows, sizeof *p * (size_t)cap);
            if (!p)
                return ca_fail(err, CA_SYSTEM, "out of memory");
            f->rows = p;
        }
        struct in_person *p = &f->rows[f->n++];
        p->line = tabr_line(r);
        p->name = field_or_null(r, col[0], &oom);
        p->teams = field_or_null(r, col[1], &oom);
        p->roles = field_or_null(r, col[2], &oom);
        p->email = field_or_null(r, col[3], &oom);
        p->capacity = field_or_null(r, col[4], &oom);
        p->active = field_or_null(r, col[5], &oom);
        if (oom)
            return ca_fail(err, CA_SYSTEM, "out of memory");
    }
    if (got < 0) {
        if (err->status != CA_REFUSED)
            return CA_ERR;
        ca_error_demote(err);
    }
    return CA_OK;
}

static int read_people_file(const char *path, int cp1252, struct in_file *f, ca_error *err)
{
    memset(f, 0, sizeof *f);
    f->path = path;
    tabr *r;
    if (tabr_open(&r, path, cp1252, err) != CA_OK)
        return CA_ERR;
    int got = tabr_next(r, err), nhdr = 0, rc = CA_ERR;
    char **hdr = NULL;
    if (got == 0)
        ca_fail(err, CA_REFUSED, "%s:1: the file is empty: expected a header with name, team, roles, email, "
                "capacity, active", path);
    if (got == 1 && !(hdr = tabr_copy_fields(r)))
        ca_fail(err, CA_SYSTEM, "out of memory");
    if (hdr) {
        nhdr = tabr_count(r);
        tabr_set_names(r, hdr, nhdr);
        static const char *const N_NAME[] = {"name", "auditor", "person", NULL},
                                 *const N_TEAM[] = {"team", "teams", NULL}, *const N_ROLES[] = {"roles", "role", NULL},
                                 *const N_EMAIL[] = {"email", "emailaddress", NULL},
                                 *const N_CAP[] = {"capacity", NULL}, *const N_ACTIVE[] = {"active", NULL};
        int col[6] = {csvr_find(hdr, nhdr, N_NAME),  csvr_find(hdr, nhdr, N_TEAM), csvr_find(hdr, nhdr, N_ROLES),
                      csvr_find(hdr, nhdr, N_EMAIL), csvr_find(hdr, nhdr, N_CAP),  csvr_find(hdr, nhdr, N_ACTIVE)};
        f->hdr_team = strdup(col[1] >= 0 ? hdr[col[1]] : "team");
        f->hdr_roles = strdup(col[2] >= 0 ? hdr[col[2]] : "roles");
        f->hdr_cap = strdup(col[4] >= 0 ? hdr[col[4]] : "capacity");
        f->hdr_active = strdup(col[5] >= 0 ? hdr[col[5]] : "active");
        if (!f->hdr_team || !f->hdr_roles || !f->hdr_cap || !f->hdr_active)
            ca_fail(err, CA_SYSTEM, "out of memory");
        else if (col[0] < 0)
            ca_problem_in(err, path, 1, "name", NULL, "required column missing (the people file has name, team, "
                       "roles, email, capacity, active)"), rc = CA_OK;
        else
            rc = read_rows(r, f, col, nhdr, err);
    }
    csvr_strings_free(hdr, nhdr);
    tabr_close(r);
    return rc;
}

/* The latest snapshot's teams, with their keys. */
struct teams {
    int have_snapshot;
    long n;
    char **name, **key;
    alias_set *aliases;   /* the council's team spellings (caseaudit alias add team) */
};

static void teams_free(struct teams *t)
{
    for (long i = 0; i < t->n; i++)
        free(t->name[i]), free(t->key[i]);
    free(t->name), free(t->key);
    alias_set_free(t->aliases);
}

static int add_team(void *u, const char *team)
{
    struct teams *t = u;
    char key[256];
    char **n = realloc(t->name, sizeof *n * (size_t)(t->n + 1)), **k;
    if (!n)
        return CA_ERR;
    t->name = n;
    if (!(k = realloc(t->key, sizeof *k * (size_t)(t->n + 1))))
        return CA_ERR;
    t->key = k;
    people_team_key(team, key, sizeof key);
    n[t->n] = strdup(team), k[t->n] = strdup(key);
    if (!n[t->n] || !k[t->n]) {
        free(n[t->n]), free(k[t->n]);
        return CA_ERR;
    }
    t->n++;
    return 0;
}

/* Whether key is the initials of name ("cwd" for "Children with Disabilities"). */
static int initials_of(const char *key, const char *name)
{
    char ini[64];
    size_t o = 0;
    for (const char *s = name; *s && o + 1 < sizeof ini; s++)
        if (isalnum((unsigned char)*s) && (s == name || isspace((unsigned char)s[-1])))
            ini[o++] = (char)tolower((unsigned char)*s);
    ini[o] = 0;
    return o > 1 && strcmp(ini, key) == 0;
}

/* "A", "B" or "C": the three teams nearest to key (a team whose initials it is first). */
static void nearest_teams(const struct teams *t, const char *key, char *buf, size_t len)
{
    long who[3] = {-1, -1, -1};
    int best[3] = {1 << 20, 1 << 20, 1 << 20};
    for (long i = 0; i < t->n; i++) {
        int d = initials_of(key, t->name[i]) ? -1 : people_distance(key, t->key[i]);
        for (int k = 0; k < 3; k++)
            if (d < best[k]) {
                for (int m = 2; m > k; m--)
                    best[m] = best[m - 1], who[m] = who[m - 1];
                best[k] = d, who[k] = i;
                break;
            }
    }
    int m = 0;
    while (m < 3 && who[m] >= 0)
        m++;
    size_t o = 0;
    buf[0] = 0;
    for (int k = 0; k < m && o < len; k++)
        o += (size_t)snprintf(buf + o, len - o, "%s\"%s\"", k == 0 ? "" : k == m - 1 ? " or " : ", ",
                              t->name[who[k]]);
}

/* The teams of one row as the case list spells them, joined with ';' into out. */
static int resolve_teams(const struct teams *t, const struct in_file *f, const struct in_person *p, char *out,
                         size_t len, people_import_result *res, ca_error *err)
{
    size_t o = 0;
    out[0] = 0;
    for (const char *s = p->teams; *s;) {
        size_t n = strcspn(s, ";");
        char one[256], key[256], near[800];
        char *trimmed = NULL;
        snprintf(one, sizeof one, "%.*s", (int)(n < sizeof one ? n : sizeof one - 1), s);
        s += n + (s[n] == ';');
        if (!(trimmed = csvr_trim_dup(one)))
            return ca_fail(err, CA_SYSTEM, "out of memory");
        snprintf(one, sizeof one, "%s", trimmed);
        free(trimmed);
        if (!*one)
            continue;
        const char *aliased = alias_lookup(t->aliases, "team", one);
        if (aliased) {
            if (add_note(res, "%s:%ld: column \"%s\": \"%s\" taken as \"%s\" (caseaudit alias)", f->path, p->line,
                         f->hdr_team, one, aliased))
                return ca_fail(err, CA_SYSTEM, "out of memory");
            snprintf(one, sizeof one, "%s", aliased);
        }
        const char *use = one;
        if (t->n) {
            long i = 0;
            people_team_key(one, key, sizeof key);
            while (i < t->n && strcmp(t->name[i], one) != 0)
                i++;
            if (i == t->n) {
                i = 0;
                while (i < t->n && strcmp(t->key[i], key) != 0)
                    i++;
            }
            if (i == t->n) {
                nearest_teams(t, key, near, sizeof near);
                ca_problem_in(err, f->path, p->line, f->hdr_team, NULL, "\"%s\" is not a team in the latest case "
                              "list: the nearest are %s (use the list's spelling, or map this one with caseaudit alias "
                              "add team \"%s\" \"TEAM\"; leave the team blank for someone whose team holds no cases)",
                              one, near, one);
                continue;
            }
            use = t->name[i];
            if (strcmp(use, one) != 0 && add_note(res, "%s:%ld: column \"%s\": \"%s\" taken as \"%s\", the latest "
                                                  "case list's spelling", f->path, p->line, f->hdr_team, one, use))
                return ca_fail(err, CA_SYSTEM, "out of memory");
        }
        if (o < len)
            o += (size_t)snprintf(out + o, len - o, "%s%s", o ? ";" : "", use);
    }
    return CA_OK;
}

/* A row made whole: the register's values where the file has no column. */
struct merged {
    const ca_person *old;   /* NULL: a new person */
    char name[256], key[256], teams[2048], roles[64], email[256];
    long capacity;
    int active, has_email;
};

static int parse_yes_no(const char *s, int *out)
{
    char k[16];
    vocab_normalise(s, k, sizeof k);
    if (!*k || !strcmp(k, "yes") || !strcmp(k, "y") || !strcmp(k, "true") || !strcmp(k, "1") || !strcmp(k, "active"))
        return *out = 1, CA_OK;
    if (!strcmp(k, "no") || !strcmp(k, "n") || !strcmp(k, "false") || !strcmp(k, "0") || !strcmp(k, "inactive"))
        return *out = 0, CA_OK;
    return CA_ERR;
}

static void check_roles(const struct in_file *f, const struct in_person *p, struct merged *m, ca_error *err)
{
    int bits = 0;
    char one[64], key[64];
    for (const char *s = p->roles; *s;) {
        size_t n = strcspn(s, ";,");
        snprintf(one, sizeof one, "%.*s", (int)(n < sizeof one ? n : sizeof one - 1), s);
        s += n + (s[n] != 0);
        vocab_normalise(one, key, sizeof key);
        int bit = role_bits(one);
        if (!bit && *key)
            ca_problem_in(err, f->path, p->line, f->hdr_roles, NULL, "unknown role \"%s\": the roles are auditor, manager and qa-lead", one);
        bits |= bit;
    }
    people_roles_text(bits ? bits : ROLE_AUDITOR, m->roles, sizeof m->roles);
}

static int merge_row(const ca_people *reg, const struct teams *t, const struct in_file *f, const struct in_person *p,
                     struct merged *m, people_import_result *res, ca_error *err)
{
    people_key(p->name, m->key, sizeof m->key);
    if (!*m->key) {
        ca_problem_in(err, f->path, p->line, "name", NULL, "empty name");
        return CA_OK;
    }
    const ca_person *o = m->old = people_find(reg, p->name);
    /* The name as given, with its spaces tidied: the key keeps case apart from the spacing. */
    size_t w = 0;
    for (const char *s = p->name; *s && w + 1 < sizeof m->name; s++)
        if (!isspace((unsigned char)*s) || (w && !isspace((unsigned char)s[1]) && s[1]))
            m->name[w++] = isspace((unsigned char)*s) ? ' ' : *s;
    m->name[w] = 0;
    if (o) /* the name identifies; the register keeps its spelling, which records already use */
        snprintf(m->name, sizeof m->name, "%s", o->name);
    snprintf(m->teams, sizeof m->teams, "%s", o ? o->teams : "");
    if (p->teams && resolve_teams(t, f, p, m->teams, sizeof m->teams, res, err) != CA_OK)
        return CA_ERR;
    snprintf(m->roles, sizeof m->roles, "%s", "auditor");
    if (o)
        people_roles_text(o->roles, m->roles, sizeof m->roles);
    if (p->roles)
        check_roles(f, p, m, err);
    m->has_email = p->email ? *p->email != 0 : o && o->email;
    snprintf(m->email, sizeof m->email, "%s", p->email ? p->email : o && o->email ? o->email : "");
    m->capacity = o ? o->capacity : -1;
    if (p->capacity && *p->capacity) {
        char *end;
        m->capacity = strtol(p->capacity, &end, 10);
        if (*end || m->capacity < 0 || m->capacity > 100000)
            ca_problem_in(err, f->path, p->line, f->hdr_cap, p->capacity, "not a number of cases");
    } else if (p->capacity) {
        m->capacity = -1;
    }
    m->active = o ? o->active : 1;
    if (p->active && parse_yes_no(p->active, &m->active) != CA_OK)
        ca_problem_in(err, f->path, p->line, f->hdr_active, p->active, "expected yes or no");
    return CA_OK;
}

static int same_as_register(const struct merged *m)
{
    const ca_person *o = m->old;
    char roles[64];
    return o && strcmp(o->name, m->name) == 0 && strcmp(o->teams, m->teams) == 0 &&
           strcmp(people_roles_text(o->roles, roles, sizeof roles), m->roles) == 0 &&
           (o->email != NULL) == m->has_email && (!o->email || strcmp(o->email, m->email) == 0) &&
           o->capacity == m->capacity && o->active == m->active;
}

static int write_merged(ca_db *db, const struct merged *m, people_import_result *res, ca_error *err)
{
    if (same_as_register(m)) {
        res->unchanged++;
        return CA_OK;
    }
    person_row r = {0, m->name, m->key, m->teams, m->roles, m->has_email ? m->email : NULL, m->capacity, m->active};
    if (person_write(db, m->old ? m->old->id : 0, &r, err) != CA_OK)
        return CA_ERR;
    char detail[2600], cap[32] = "no limit";
    if (m->capacity >= 0)
        snprintf(cap, sizeof cap, "%ld", m->capacity);
    snprintf(detail, sizeof detail, "%s %s: roles %s; teams %s; capacity %s%s", m->old ? "updated" : "added", m->name,
             m->roles, *m->teams ? m->teams : "none", cap, m->active ? "" : "; inactive");
    m->old ? res->updated++ : res->added++;
    return db_event(db, "people import", NULL, NULL, detail, err);
}

static int import_checked(ca_db *db, const struct in_file *f, people_import_result *res, ca_error *err)
{
    ca_people reg;
    struct teams t = {0};
    struct merged *m = calloc((size_t)(f->n ? f->n : 1), sizeof *m);
    if (!m)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    int rc = people_load(db, &reg, err);
    if (rc != CA_OK) {
        free(m);
        return rc;
    }
    if (latest_snapshot_teams(db, &t.have_snapshot, add_team, &t, err) != CA_OK)
        rc = err->status ? CA_ERR : ca_fail(err, CA_SYSTEM, "out of memory");
    if (rc == CA_OK)
        rc = alias_set_load(db, &t.aliases, err);
    if (rc == CA_OK && !t.n && add_note(res, "teams were not checked: %s", t.have_snapshot ? "the latest case list "
                                        "has no teams" : "no case list has been imported yet"))
        rc = ca_fail(err, CA_SYSTEM, "out of memory");
    for (long i = 0; i < f->n && rc == CA_OK; i++) {
        rc = merge_row(&reg, &t, f, &f->rows[i], &m[i], res, err);
        for (long j = 0; j < i && rc == CA_OK && *m[i].key; j++)
            if (strcmp(m[j].key, m[i].key) == 0)
                ca_problem_in(err, f->path, f->rows[i].line, "name", NULL, "%s is listed twice (first on line %ld)", m[i].name, f->rows[j].line);
    }
    if (rc == CA_OK && err->ntotal)
        rc = ca_fail(err, CA_REFUSED, "nothing was imported: %ld problem%s in %s", err->ntotal,
                     err->ntotal == 1 ? "" : "s", f->path);
    for (long i = 0; i < f->n && rc == CA_OK; i++)
        rc = write_merged(db, &m[i], res, err);
    teams_free(&t);
    people_free(&reg);
    free(m);
    return rc;
}

int people_import_file(ca_db *db, const char *path, int cp1252, people_import_result *out, ca_error *err)
{
    memset(out, 0, sizeof *out);
    struct in_file f;
    int rc = read_people_file(path, cp1252, &f, err);
    if (rc == CA_OK && err->ntotal)
        rc = ca_fail(err, CA_REFUSED, "nothing was imported: %ld problem%s in %s", err->ntotal,
                     err->ntotal == 1 ? "" : "s", path);
    if (rc == CA_OK && (rc = db_begin(db, err)) == CA_OK) {
        rc = import_checked(db, &f, out, err);
        rc = rc == CA_OK ? db_commit(db, err) : (db_rollback(db), CA_ERR);
    }
    in_file_free(&f);
    if (rc != CA_OK)
        people_import_result_free(out);
    return rc;
}

int people_disable(ca_db *db, const char *name, char *name_out, size_t len, int *was_active, ca_error *err)
{
    ca_people reg;
    *was_active = 0;
    int rc = db_begin(db, err);
    if (rc != CA_OK)
        return rc;
    if ((rc = people_load(db, &reg, err)) != CA_OK) {
        db_rollback(db);
        return rc;
    }
    const ca_person *p = people_find(&reg, name);
    if (!p) {
        char hint[800];
        suggest_names(&reg, name, hint, sizeof hint);
        rc = ca_fail(err, CA_REFUSED, "\"%s\" is not in the people register%s: 'caseaudit people' lists it", name,
                     hint);
    } else {
        snprintf(name_out, len, "%s", p->name);
        *was_active = p->active;
    }
    if (rc == CA_OK && p->active) {
        person_row r = {0, p->name, p->key, p->teams, "", p->email, p->capacity, 0};
        char roles[64], detail[400];
        r.roles = people_roles_text(p->roles, roles, sizeof roles);
        snprintf(detail, sizeof detail, "disabled %s (their records stay)", p->name);
        rc = person_write(db, p->id, &r, err);
        if (rc == CA_OK)
            rc = db_event(db, "people disable", NULL, NULL, detail, err);
    }
    rc = rc == CA_OK ? db_commit(db, err) : (db_rollback(db), CA_ERR);
    people_free(&reg);
    return rc;
}
