#include "audit/alias.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/store/aliases.h"
#include "audit/vocab.h"

const char *const alias_fields[] = {"case_id", "date_of_birth", "age",    "plan_type", "team",       "worker",
                                    "plan_start", "plan_end",   "gender", "ethnicity", "disability", NULL};

static const char *known_field(const char *target)
{
    char want[64], have[64];
    vocab_normalise(target, want, sizeof want);
    for (int i = 0; alias_fields[i]; i++) {
        vocab_normalise(alias_fields[i], have, sizeof have);
        if (strcmp(want, have) == 0)
            return alias_fields[i];
    }
    return NULL;
}

/* The canonical target of an alias of KIND, or NULL after explaining why not. */
static const char *checked_target(const char *kind, const char *spelling, const char *target, ca_error *err)
{
    if (strcmp(kind, "column") == 0) {
        const char *f = known_field(target);
        if (!f)
            ca_fail(err, CA_REFUSED, "\"%s\" is not a column caseaudit reads; a column alias names one of case_id, "
                    "date_of_birth, age, plan_type, team, worker, plan_start, plan_end, gender, ethnicity, "
                    "disability", target);
        return f;
    }
    if (strcmp(kind, "plan") == 0) {
        int p = plan_parse(target), already = plan_parse(spelling);
        if (p < 0)
            ca_fail(err, CA_REFUSED, "\"%s\" is not a plan type; expected " CA_PLAN_EXPECTED, target);
        else if (already >= 0)
            ca_fail(err, CA_REFUSED, "\"%s\" already means %s: it needs no alias", spelling, plan_code(already));
        return p < 0 || already >= 0 ? NULL : plan_code(p);
    }
    if (strcmp(kind, "team") == 0) {
        if (!*target)
            ca_fail(err, CA_REFUSED, "give the team that \"%s\" stands for", spelling);
        return *target ? target : NULL;
    }
    ca_fail(err, CA_REFUSED, "unknown kind of alias \"%s\": expected column, plan or team", kind);
    return NULL;
}

int alias_add(ca_db *db, const char *kind, const char *spelling, const char *target, ca_error *err)
{
    char match[256], detail[700];
    vocab_normalise(spelling, match, sizeof match);
    if (!*match)
        return ca_fail(err, CA_REFUSED, "an alias needs a spelling with letters or digits (\"%s\")", spelling);
    const char *canonical = checked_target(kind, spelling, target, err);
    if (!canonical)
        return CA_ERR;
    alias_row r = {kind, spelling, match, canonical};
    snprintf(detail, sizeof detail, "alias: %s \"%s\" means \"%s\"", kind, spelling, canonical);
    int rc = db_begin(db, err);
    if (rc == CA_OK)
        rc = alias_put(db, &r, err);
    if (rc == CA_OK)
        rc = db_event(db, "alias", NULL, NULL, detail, err);
    return rc == CA_OK ? db_commit(db, err) : (db_rollback(db), CA_ERR);
}

int alias_remove(ca_db *db, const char *kind, const char *spelling, ca_error *err)
{
    char match[256], detail[600];
    vocab_normalise(spelling, match, sizeof match);
    snprintf(detail, sizeof detail, "alias removed: %s \"%s\"", kind, spelling);
    int rc = db_begin(db, err);
    if (rc == CA_OK) {
        int got = alias_delete(db, kind, match, err);
        rc = got < 0 ? CA_ERR
             : got == 0 ? ca_fail(err, CA_REFUSED, "there is no %s alias \"%s\" (see 'caseaudit alias list')", kind,
                                  spelling)
                        : db_event(db, "alias", NULL, NULL, detail, err);
    }
    return rc == CA_OK ? db_commit(db, err) : (db_rollback(db), CA_ERR);
}

struct alias_set {
    int n, cap;
    struct entry {
        char kind, *match, *target;
    } *e;
};

void alias_set_free(alias_set *a)
{
    for (int i = 0; a && i < a->n; i++)
        free(a->e[i].match), free(a->e[i].target);
    if (a)
        free(a->e);
    free(a);
}

static int add_entry(void *u, const alias_row *r)
{
    alias_set *a = u;
    if (a->n == a->cap) {
        int cap = a->cap ? 2 * a->cap : 16;
        struct entry *e = realloc(a->e, sizeof *e * (size_t)cap);
        if (!e)
            return CA_ERR;
        a->e = e, a->cap = cap;
    }
    struct entry *e = &a->e[a->n];
    e->kind = r->kind[0];
    e->match = strdup(r->match);
    e->target = strdup(r->target);
    if (!e->match || !e->target) {
        free(e->match), free(e->target);
        return CA_ERR;
    }
    a->n++;
    return 0;
}

int alias_set_load(ca_db *db, alias_set **out, ca_error *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    int rc = aliases_list(db, add_entry, *out, err);
    if (rc != CA_OK) {
        alias_set_free(*out);
        *out = NULL;
        return err->status ? CA_ERR : ca_fail(err, CA_SYSTEM, "out of memory");
    }
    return CA_OK;
}

const char *alias_lookup(const alias_set *a, const char *kind, const char *spelling)
{
    if (!a || !a->n)
        return NULL;
    char key[256];
    vocab_normalise(spelling, key, sizeof key);
    for (int i = 0; i < a->n; i++)
        if (a->e[i].kind == kind[0] && strcmp(a->e[i].match, key) == 0)
            return a->e[i].target;
    return NULL;
}

int alias_count(const alias_set *a, const char *kind)
{
    int n = 0;
    for (int i = 0; a && i < a->n; i++)
        n += a->e[i].kind == kind[0];
    return n;
}
