#include "moderation/moderate.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit/csvread.h"
#include "audit/tabread.h"
#include "audit/people.h"
#include "audit/vocab.h"
#include "moderation/period.h"
#include "moderation/outcome.h"
#include "audit/store/moderations.h"

void mod_input_free(mod_input *in)
{
    free(in->round);
    free(in->case_id);
    free(in->moderator);
    free(in->reason);
}

static int tidy(char **s, ca_error *err)
{
    return csvr_tidy(s) == CA_OK ? CA_OK : ca_fail(err, CA_SYSTEM, "out of memory");
}

static int same_key(const char *a, const char *b)
{
    char ka[256], kb[256];
    people_key(a, ka, sizeof ka);
    people_key(b, kb, sizeof kb);
    return strcmp(ka, kb) == 0;
}

/* The moderator: an active manager in the register, not the audit's auditor. */
static int check_moderator(const ca_people *reg, mod_input *m, const moderation_target *t, ca_error *err)
{
    ca_where at = {m->src, NULL, m->line};
    const char *at_col = "moderator";
    if (!m->moderator) {
        ca_problem_in(err, at.file, at.line, at_col, NULL, "no moderator given");
        return CA_OK;
    }
    const ca_person *p = people_require(reg, m->moderator, ROLE_MANAGER, &at, at_col, err);
    if (!p)
        return CA_OK;
    char *name = strdup(p->name);
    if (!name)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    free(m->moderator);
    m->moderator = name;
    if (same_key(p->name, t->auditor))
        ca_problem_in(err, at.file, at.line, at_col, NULL, "%s audited case \"%s\" and cannot moderate their own audit: ask another manager",
                   p->name, m->case_id);
    return CA_OK;
}

/* Checks one outcome against its audit and the rules; problems go to err. */
static int check_outcome(const ca_people *reg, mod_input *m, const moderation_target *t, ca_day today,
                         ca_error *err)
{
    char uk[CA_DATE_ISO_LEN], other[CA_DATE_ISO_LEN];
    int date_given = m->date >= 0;
    /* A row that says what is recorded is a re-sent sheet: nothing to check, nothing to write
     * (even if the auditor has corrected the audit since, or the moderator has left). */
    if (t->previous && m->moderator && m->grade == t->prev_grade && same_key(m->moderator, t->prev_moderator) &&
        (!date_given || m->date == t->prev_date) && strcmp(m->reason ? m->reason : "", t->prev_reason) == 0) {
        m->unchanged = 1;
        m->date = t->prev_date;
        return CA_OK;
    }
    if (check_moderator(reg, m, t, err) != CA_OK)
        return CA_ERR;
    if (m->grade != t->audited && !m->reason)
        ca_problem_in(err, m->src, m->line, "reason", NULL, "a reason is required when the grade changes (%s \xe2\x86\x92 %s)", grade_label(t->audited), grade_label(m->grade));
    if (!date_given)
        m->date = today;
    date_uk(m->date, uk);
    if (m->date > today) {
        date_uk(today, other);
        ca_problem_in(err, m->src, m->line, "moderation_date", NULL, "the moderation date %s is in the future (today is %s)", uk, other);
    } else if (m->date < t->audit_date) {
        date_uk(t->audit_date, other);
        ca_problem_in(err, m->src, m->line, "moderation_date", NULL, "the moderation date %s is before the audit date %s", uk, other);
    }
    if (t->previous && !m->correct)
        ca_problem_in(err, m->src, m->line, "moderated_grade", NULL, "case \"%s\" in round %s has already been moderated differently: to change the outcome, "
                   "record it as a correction (--correct, or a \"correct\" column set to yes)", m->case_id, m->round);
    return CA_OK;
}

/* Finds the audit a row judges: by round, or by a quarter its audit is dated in. */
static int find_target(ca_db *db, mod_input *m, moderation_target *t, ca_error *err)
{
    char why[160];
    ca_period q;
    int got = moderation_target_find(db, m->round, m->case_id, t, err);
    if (got != 0)
        return got < 0 ? CA_ERR : CA_OK;
    if (period_parse_quarter(m->round, &q, why, sizeof why) != CA_OK) {
        ca_problem_in(err, m->src, m->line, "case_id", NULL, "case \"%s\" has no audit in round %s to moderate",
                   m->case_id, m->round);
        return CA_OK;
    }
    if ((got = moderation_target_find_dated(db, q.from, q.to, m->case_id, t, err)) < 0)
        return CA_ERR;
    if (got == 0) {
        ca_problem_in(err, m->src, m->line, "case_id", NULL, "case \"%s\" has no audit dated in %s to moderate",
                   m->case_id, q.label);
        t->round_id = 0;
    } else if (got > 1) {
        ca_problem_in(err, m->src, m->line, "case_id", NULL, "case \"%s\" has audits dated in %s in %d rounds: give the round (the first is %s)", m->case_id, q.label, got, t->round);
        t->round_id = 0;
    } else {
        char *label = strdup(t->round);
        if (!label)
            return ca_fail(err, CA_SYSTEM, "out of memory");
        free(m->round);
        m->round = label;
    }
    return CA_OK;
}

static int check_all(ca_db *db, const ca_people *reg, mod_input *in, long n, moderation_target *t, ca_error *err)
{
    ca_day today = db_today(db);
    for (long i = 0; i < n; i++) {
        mod_input *m = &in[i];
        if (tidy(&m->moderator, err) != CA_OK || tidy(&m->reason, err) != CA_OK ||
            find_target(db, m, &t[i], err) != CA_OK)
            return CA_ERR;
        if (!t[i].round_id)
            continue;
        for (long j = 0; j < i; j++)
            if (t[j].round_id == t[i].round_id && strcmp(in[j].case_id, m->case_id) == 0)
                ca_problem_in(err, m->src, m->line, "case_id", NULL, "case \"%s\" appears twice (first on line %ld): give one outcome per audit", m->case_id, in[j].line);
        if (check_outcome(reg, m, &t[i], today, err) != CA_OK)
            return CA_ERR;
    }
    if (err->ntotal)
        return ca_fail(err, CA_REFUSED, "nothing was recorded: %ld problem%s", err->ntotal,
                       err->ntotal == 1 ? "" : "s");
    return CA_OK;
}

/* The event log's words for an outcome. */
static void describe(const mod_input *m, const moderation_target *t, char *detail, size_t size)
{
    char uk[CA_DATE_ISO_LEN];
    date_uk(m->date, uk);
    enum ca_outcome o = outcome_of(t->audited, m->grade);
    int by = abs(m->grade - t->audited);
    int len = snprintf(detail, size, "%s by %s on %s: %s", t->previous ? "moderation corrected" : "moderated",
                       m->moderator, uk, outcome_name(o));
    if (o != CA_AGREED && len < (int)size)
        len += snprintf(detail + len, size - (size_t)len, " by %d grade%s", by, by == 1 ? "" : "s");
    if (len < (int)size)
        len += snprintf(detail + len, size - (size_t)len, " (%s \xe2\x86\x92 %s)", grade_label(t->audited),
                        grade_label(m->grade));
    if (!t->planned && len < (int)size)
        len += snprintf(detail + len, size - (size_t)len, "; unplanned: not picked for moderation");
    if (m->reason && *m->reason && len < (int)size)
        snprintf(detail + len, size - (size_t)len, "; reason: %s", m->reason);
}

static int write_outcome(ca_db *db, const mod_input *m, const moderation_target *t, mod_summary *out, ca_error *err)
{
    if (m->unchanged) {
        out->unchanged++;
        return CA_OK;
    }
    moderation_new rec = {t->round_id, m->case_id, t->audit_id, m->grade, m->moderator, m->date,
                          m->reason && *m->reason ? m->reason : NULL, t->planned, t->previous};
    char detail[1024];
    if (moderation_insert(db, &rec, err) != CA_OK)
        return CA_ERR;
    describe(m, t, detail, sizeof detail);
    enum ca_outcome o = outcome_of(t->audited, m->grade);
    out->recorded += !t->previous;
    out->corrected += t->previous != 0;
    out->unplanned += !t->planned;
    out->agreed += o == CA_AGREED;
    out->downgraded += o == CA_DOWNGRADED;
    out->upgraded += o == CA_UPGRADED;
    return db_event(db, "moderate", m->round, m->case_id, detail, err);
}

int moderation_record(ca_db *db, mod_input *in, long n, mod_summary *out, ca_error *err)
{
    memset(out, 0, sizeof *out);
    moderation_target *t = calloc((size_t)(n ? n : 1), sizeof *t);
    ca_people reg = {0};
    if (!t)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    int rc = db_begin(db, err);
    if (rc == CA_OK) {
        rc = people_load(db, &reg, err);
        if (rc == CA_OK)
            rc = check_all(db, &reg, in, n, t, err);
        for (long i = 0; i < n && rc == CA_OK; i++)
            rc = write_outcome(db, &in[i], &t[i], out, err);
        rc = rc == CA_OK ? db_commit(db, err) : (db_rollback(db), CA_ERR);
    }
    people_free(&reg);
    free(t);
    if (rc != CA_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

int moderation_read_file(const char *default_round, const char *path, int cp1252, mod_input **out, long *n,
                         long *skipped,
                         ca_error *err)
{
    *out = NULL;
    *n = *skipped = 0;
    tabr *r; /* CSV or .xlsx: the exported list comes back as the manager saved it */
    if (tabr_open(&r, path, cp1252, err) != CA_OK)
        return CA_ERR;
    char **hdr = NULL;
    int nhdr = 0, rc = CA_ERR;
    long cap = 0;
    int got = tabr_next(r, err);
    if (got <= 0) {
        if (got == 0)
            ca_fail(err, CA_REFUSED, "%s:1: the file is empty: expected the moderation list with outcomes filled in",
                    path);
        goto done;
    }
    nhdr = tabr_count(r);
    if (!(hdr = tabr_copy_fields(r))) {
        ca_fail(err, CA_SYSTEM, "out of memory");
        goto done;
    }
    tabr_set_names(r, hdr, nhdr); /* messages about a field name its column */
    static const char *const N_ROUND[] = {"round", NULL}, *const N_ID[] = {"caseid", NULL},
                             *const N_GRADE[] = {"moderatedgrade", NULL}, *const N_MOD[] = {"moderator", NULL},
                             *const N_DATE[] = {"moderationdate", NULL}, *const N_REASON[] = {"reason", NULL},
                             *const N_CORRECT[] = {"correct", NULL};
    int c_round = csvr_find(hdr, nhdr, N_ROUND), c_id = csvr_find(hdr, nhdr, N_ID),
        c_grade = csvr_find(hdr, nhdr, N_GRADE), c_mod = csvr_find(hdr, nhdr, N_MOD),
        c_date = csvr_find(hdr, nhdr, N_DATE), c_reason = csvr_find(hdr, nhdr, N_REASON),
        c_corr = csvr_find(hdr, nhdr, N_CORRECT);
    if (c_id < 0)
        ca_problem_in(err, path, 1, "case_id", NULL, "required column missing");
    static const char *const N_AUDIT_GRADE[] = {"grade", NULL};
    if (c_grade < 0 && csvr_find(hdr, nhdr, N_AUDIT_GRADE) >= 0) {
        ca_problem_in(err, path, 1, NULL, NULL, "this is an audit list (it has a grade column and no moderated_grade column): record "
                   "it with 'caseaudit grade %s --file %s'", default_round, path);
        c_mod = 0; /* one problem is enough */
    } else if (c_grade < 0) {
        ca_problem_in(err, path, 1, "moderated_grade", NULL, "required column missing");
    }
    if (c_mod < 0)
        ca_problem_in(err, path, 1, "moderator", NULL, "required column missing");
    while (!err->ntotal && (got = tabr_next(r, err)) != 0) {
        if (got < 0 && tabr_can_go_on(r) && err->status == CA_REFUSED) {
            ca_error_demote(err); /* a bad cell (#N/A, an uncalculated formula): a problem of its row */
            continue;
        }
        if (got < 0)
            break;
        long line = tabr_line(r);
        /* A sheet leaves out the empty cells at the end of a row; a CSV row must match its header. */
        if (!tabr_is_xlsx(r) && tabr_count(r) != nhdr) {
            ca_problem_in(err, path, line, NULL, NULL, "the row has %d fields where the header has %d", tabr_count(r), nhdr);
            continue;
        }
        const char *gv = tabr_field(r, c_grade);
        char k[64];
        vocab_normalise(gv, k, sizeof k);
        if (!*k) {
            (*skipped)++;
            continue;
        }
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            mod_input *m = realloc(*out, sizeof *m * (size_t)cap);
            if (!m) {
                ca_fail(err, CA_SYSTEM, "out of memory");
                goto done;
            }
            *out = m;
        }
        mod_input *m = &(*out)[(*n)++];
        memset(m, 0, sizeof *m);
        m->src = path;
        m->line = line;
        m->date = -1;
        m->round = csvr_trim_dup(c_round >= 0 && *tabr_field(r, c_round) ? tabr_field(r, c_round) : default_round);
        m->case_id = csvr_trim_dup(tabr_field(r, c_id));
        m->moderator = csvr_trim_dup(tabr_field(r, c_mod));
        if (!m->round || !m->case_id || !m->moderator) {
            ca_fail(err, CA_SYSTEM, "out of memory");
            goto done;
        }
        if (!(m->grade = grade_parse(gv)))
            ca_problem_in(err, path, line, hdr[c_grade], gv, "not a grade; expected " CA_GRADE_EXPECTED);
        if (c_date >= 0 && *tabr_field(r, c_date)) {
            char why[160];
            ca_day d;
            if (date_parse(tabr_field(r, c_date), &d, why, sizeof why) != CA_OK)
                ca_problem_in(err, path, line, hdr[c_date], tabr_field(r, c_date), "%s", why);
            else
                m->date = d;
        }
        if (c_reason >= 0 && *tabr_field(r, c_reason) && !(m->reason = csvr_trim_dup(tabr_field(r, c_reason)))) {
            ca_fail(err, CA_SYSTEM, "out of memory");
            goto done;
        }
        if (c_corr >= 0) {
            vocab_normalise(tabr_field(r, c_corr), k, sizeof k);
            m->correct = strcmp(k, "yes") == 0 || strcmp(k, "y") == 0 || strcmp(k, "true") == 0;
        }
    }
    if (got < 0) {
        if (err->status != CA_REFUSED)
            goto done;
        ca_error_demote(err);
    }
    if (err->ntotal) {
        ca_fail(err, CA_REFUSED, "nothing was recorded: %ld problem%s in %s", err->ntotal,
                err->ntotal == 1 ? "" : "s", path);
        goto done;
    }
    rc = CA_OK;
done:
    csvr_strings_free(hdr, nhdr);
    tabr_close(r);
    if (rc != CA_OK) { /* nothing half-read reaches the caller */
        for (long i = 0; i < *n; i++)
            mod_input_free(&(*out)[i]);
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}
