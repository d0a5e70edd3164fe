/* evidence_render.c: the evidence pack as table, csv, json and xlsx (see evidence_render.h). */
#include "audit/render/evidence_render.h"

#include <stdlib.h>
#include <string.h>

#include "audit/vocab.h"

static void date_cell(out_table *t, ca_day d)
{
    char iso[CA_DATE_ISO_LEN];
    if (d < 0) {
        otab_null(t);
        return;
    }
    date_iso(d, iso);
    otab_text(t, iso);
}

static void grade_cell(out_table *t, int g) { otab_text(t, g >= 1 && g <= 4 ? grade_label(g) : NULL); }

static void full_columns(const evidence *e, out_table *t)
{
    static const char *const head[] = {"case_id", "plan_type", "age_band", "team", "worker", "round", "round_type",
                                       "chosen", "seed", "stratum", "N_h", "n_h", "key", "theme", "auditor",
                                       "stand_in"};
    for (int k = 0; k < 16; k++)
        otab_col(t, head[k], k == 10 || k == 11 ? COL_INT : COL_TEXT);
    otab_col(t, "audit_date", COL_DATE);
    otab_col(t, "grade", COL_TEXT);
    for (int d = 0; d < e->ndomains; d++) {
        char name[80];
        snprintf(name, sizeof name, "domain:%s", e->domain_code[d]);
        otab_col(t, name, COL_TEXT);
    }
    static const char *const tail[] = {"note", "corrections", "corrected_records", "moderator", "moderation_date",
                                       "moderated_grade", "moderation_outcome", "moderation_reason",
                                       "moderation_chosen", "moderation_corrections", "final_grade", "actions",
                                       "actions_open", "action_detail"};
    static const enum out_col_type types[] = {COL_TEXT, COL_INT, COL_TEXT, COL_TEXT, COL_DATE, COL_TEXT, COL_TEXT,
                                              COL_TEXT, COL_TEXT, COL_INT,  COL_TEXT, COL_INT, COL_INT, COL_TEXT};
    for (int k = 0; k < 14; k++)
        otab_col(t, tail[k], types[k]);
}

static void full_row(const evidence *e, const evidence_case *c, out_table *t)
{
    const char *head[] = {c->case_id, c->plan_type, c->age_band, c->team, c->worker, c->round,
                          c->theme ? "themed" : "monthly", c->chosen};
    for (int k = 0; k < 8; k++)
        otab_text(t, head[k]);
    if (c->theme) {
        for (int k = 0; k < 5; k++)
            otab_null(t);
    } else {
        otab_text(t, c->seed), otab_text(t, c->stratum), otab_int(t, c->frame_n), otab_int(t, c->sample_n);
        otab_text(t, c->key);
    }
    otab_text(t, c->theme), otab_text(t, c->auditor), otab_text(t, c->stand_in ? "yes" : "no");
    date_cell(t, c->audit_date);
    grade_cell(t, c->grade);
    for (int d = 0; d < e->ndomains; d++)
        grade_cell(t, c->domain[d]);
    otab_text(t, c->note);
    otab_int(t, c->ncorrections), otab_text(t, c->corrections);
    otab_text(t, c->moderator);
    date_cell(t, c->mod_date);
    grade_cell(t, c->mod_grade);
    otab_text(t, c->mod_outcome), otab_text(t, c->mod_reason), otab_text(t, c->mod_chosen);
    otab_int(t, c->mod_corrections);
    grade_cell(t, c->final_grade);
    otab_int(t, c->nactions), otab_int(t, c->actions_open), otab_text(t, c->actions);
}

/* The terminal's columns: who, which round and how, and the grades. */
static void short_columns(out_table *t)
{
    static const char *const head[] = {"case_id", "plan", "age", "team", "round", "how chosen", "auditor"};
    for (int k = 0; k < 7; k++)
        otab_col(t, head[k], COL_TEXT);
    otab_col(t, "audit_date", COL_DATE);
    static const char *const tail[] = {"grade", "corrections", "moderated", "final", "actions"};
    for (int k = 0; k < 5; k++)
        otab_col(t, tail[k], k == 1 || k == 4 ? COL_INT : COL_TEXT);
}

static void short_row(const evidence_case *c, out_table *t)
{
    char how[200];
    if (c->theme)
        snprintf(how, sizeof how, "themed");
    else
        snprintf(how, sizeof how, "%s %ld/%ld key %s", c->stratum, c->sample_n, c->frame_n, c->key);
    const char *cells[] = {c->case_id, c->plan_type, c->age_band, c->team, c->round, how, c->auditor};
    for (int k = 0; k < 7; k++)
        otab_text(t, cells[k]);
    date_cell(t, c->audit_date);
    grade_cell(t, c->grade);
    otab_int(t, c->ncorrections);
    grade_cell(t, c->mod_grade);
    grade_cell(t, c->final_grade);
    otab_int(t, c->nactions);
}

out_table *evidence_table(const evidence *e, int full)
{
    out_table *t = otab_new();
    if (full)
        full_columns(e, t);
    else
        short_columns(t);
    for (long i = 0; i < e->ncases; i++) {
        otab_row(t);
        if (full)
            full_row(e, &e->cases[i], t);
        else
            short_row(&e->cases[i], t);
    }
    if (otab_failed(t)) {
        otab_free(t);
        return NULL;
    }
    return t;
}

static void json_round(json_writer *j, const evidence_round *r)
{
    char as_of[CA_DATE_ISO_LEN];
    date_iso(r->as_of, as_of);
    json_object(j);
    json_key(j, "round"), json_string(j, r->label);
    json_key(j, "type"), json_string(j, r->theme ? "themed" : "monthly");
    json_key(j, "theme"), json_string(j, r->theme);
    json_key(j, "frame"), json_string(j, r->theme ? (r->filter ? r->filter : "all open cases") : NULL);
    json_key(j, "seed"), json_string(j, r->seed);
    json_key(j, "snapshot"), json_int(j, r->snapshot_id);
    json_key(j, "as_of"), json_string(j, as_of);
    json_key(j, "strata_dims"), json_string(j, r->strata);
    json_key(j, "alloc"), json_string(j, r->alloc);
    json_key(j, "min_per_stratum"), json_int(j, r->min_per_stratum);
    json_key(j, "age_bands"), json_string(j, r->age_bands);
    json_key(j, "exclude_audited_within"), json_int(j, r->exclude_months);
    json_key(j, "population"), json_int(j, r->population);
    json_key(j, "excluded_theme"), json_int(j, r->excluded_theme);
    json_key(j, "excluded_audited"), json_int(j, r->excluded_audited);
    json_key(j, "excluded_pending"), json_int(j, r->excluded_pending);
    json_key(j, "size"), json_int(j, r->size);
    json_key(j, "audits"), json_int(j, r->audits);
    json_key(j, "strata"), json_array(j);
    for (int s = 0; s < r->nstrata; s++) {
        json_object(j);
        json_key(j, "stratum"), json_string(j, r->strata_list[s].name);
        json_key(j, "N"), json_int(j, r->strata_list[s].frame_n);
        json_key(j, "n"), json_int(j, r->strata_list[s].sample_n);
        json_end_object(j);
    }
    json_end_array(j);
    json_end_object(j);
}

static void json_method(json_writer *j, const evidence *e)
{
    char from[CA_DATE_ISO_LEN], to[CA_DATE_ISO_LEN];
    date_iso(e->from, from);
    date_iso(e->to, to);
    json_key(j, "period"), json_object(j);
    json_key(j, "from"), json_string(j, from);
    json_key(j, "to"), json_string(j, to);
    json_end_object(j);
    json_key(j, "produced_at"), json_string(j, e->produced_at);
    json_key(j, "audits"), json_int(j, e->ncases);
    json_key(j, "rounds"), json_array(j);
    for (int r = 0; r < e->nrounds; r++)
        json_round(j, &e->rounds[r]);
    json_end_array(j);
    json_key(j, "rederive_script"), json_string(j, evidence_rederive_script);
}

static int render_json(const evidence *e, FILE *f, ca_error *err)
{
    out_table *t = evidence_table(e, 1);
    if (!t)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    json_writer j;
    json_begin(&j, f);
    json_object(&j);
    json_method(&j, e);
    json_key(&j, "cases"), json_table(&j, t);
    json_end_object(&j);
    json_finish(&j);
    otab_free(t);
    return CA_OK;
}

int evidence_render(const evidence *e, enum out_format fmt, FILE *f, ca_error *err)
{
    if (fmt == OUT_JSON)
        return render_json(e, f, err);
    if (fmt == OUT_HTML)
        return evidence_html(e, f, err);
    out_table *t = evidence_table(e, fmt != OUT_TABLE);
    if (!t)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    int rc = otab_write(t, fmt, f) ? ca_fail(err, CA_SYSTEM, "could not write the evidence pack") : CA_OK;
    otab_free(t);
    return rc;
}

/* The method page as a one-column sheet: a row per paragraph, stratum and script line. */
struct method_sheet {
    out_table *t;
};

static void method_row(void *u, enum evidence_part kind, const char *text, const evidence_round *r)
{
    out_table *t = ((struct method_sheet *)u)->t;
    char line[400];
    if (kind == EP_STRATA) {
        for (int s = 0; s < r->nstrata; s++) {
            snprintf(line, sizeof line, "    %s: N_h %ld eligible, n_h %ld drawn", r->strata_list[s].name,
                     r->strata_list[s].frame_n, r->strata_list[s].sample_n);
            otab_row(t), otab_text(t, line);
        }
        return;
    }
    if (kind == EP_HEADING)
        otab_row(t), otab_null(t);
    if (kind != EP_CODE) {
        otab_row(t), otab_text(t, text);
        return;
    }
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        snprintf(line, sizeof line, "%.*s", (int)n, p);
        otab_row(t), otab_text(t, line);
        p += n + (p[n] == '\n');
    }
}

int evidence_render_xlsx(const evidence *e, const char *path, ca_error *err)
{
    struct method_sheet m = {otab_new()};
    otab_col(m.t, "Inspection evidence: method", COL_TEXT);
    evidence_method(e, method_row, &m);
    out_table *cases = evidence_table(e, 1);
    int rc = cases && !otab_failed(m.t) ? CA_OK : ca_fail(err, CA_SYSTEM, "out of memory");
    xlsx_book *x = rc == CA_OK ? xlsx_book_open(path, err) : NULL;
    if (rc == CA_OK && !x)
        rc = CA_ERR;
    if (rc == CA_OK)
        rc = xlsx_book_sheet(x, "Method", m.t, err);
    if (rc == CA_OK)
        rc = xlsx_book_sheet(x, "Audits", cases, err);
    if (x && xlsx_book_close(x, rc == CA_OK ? err : NULL) != CA_OK)
        rc = CA_ERR;
    otab_free(m.t), otab_free(cases);
    return rc;
}
