/* gen_returns: fills in exported lists as auditors and moderators would, for the
 * sample data of SPEC §12. Deterministic.
 *
 *   gen_returns grades LIST OUT OFFSET O,G,RI,I SEED FROM TO
 *       The audit list LIST (caseaudit list --format csv) with grades filled in. The
 *       grades of the whole quarter are the counts O,G,RI,I in an order fixed by SEED;
 *       this list takes them from position OFFSET on. Audit dates fall between FROM
 *       and TO (dd/mm/yyyy); domains, actions and notes are filled in for some.
 *   gen_returns moderation LIST OUT FILL DOWN_G_RI DOWN_RI_I SEED
 *       The moderation list with FILL outcomes: DOWN_G_RI audits graded Good moved to
 *       Requires improvement, DOWN_RI_I from Requires improvement to Inadequate, the
 *       rest agreed; the other rows are left blank (not moderated yet).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/csvread.h"
#include "audit/date.h"
#include "audit/vocab.h"

static uint64_t state;

static uint64_t next(void)
{
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void field(FILE *f, const char *s, int last)
{
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputs(last ? "\r\n" : ",", f);
}

static csvr *open_list(const char *path, char ***hdr, int *n)
{
    ca_error err = CA_ERROR_INIT;
    csvr *r;
    if (csvr_open(&r, path, 0, &err) != CA_OK || csvr_next(r, &err) != 1) {
        fprintf(stderr, "gen_returns: %s\n", err.msg);
        exit(1);
    }
    *n = csvr_count(r);
    *hdr = csvr_copy_fields(r);
    return r;
}

static int col(char **hdr, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(hdr[i], name) == 0)
            return i;
    fprintf(stderr, "gen_returns: no column %s\n", name);
    exit(1);
}

static ca_day parse(const char *s)
{
    ca_day d;
    char why[160];
    if (date_parse(s, &d, why, sizeof why) != CA_OK) {
        fprintf(stderr, "gen_returns: %s: %s\n", s, why);
        exit(1);
    }
    return d;
}

static int grades(int argc, char **argv)
{
    if (argc != 9)
        return 2;
    long offset = atol(argv[4]);
    int counts[5] = {0};
    sscanf(argv[5], "%d,%d,%d,%d", &counts[1], &counts[2], &counts[3], &counts[4]);
    state = strtoull(argv[6], NULL, 10);
    ca_day from = parse(argv[7]), to = parse(argv[8]);
    int total = counts[1] + counts[2] + counts[3] + counts[4];
    int *seq = malloc(sizeof *seq * (size_t)total), k = 0;
    for (int g = 1; g <= 4; g++)
        for (int i = 0; i < counts[g]; i++)
            seq[k++] = g;
    for (int i = total - 1; i > 0; i--) { /* Fisher-Yates */
        int j = (int)(next() % (uint64_t)(i + 1)), t = seq[i];
        seq[i] = seq[j], seq[j] = t;
    }
    char **hdr;
    int n;
    csvr *r = open_list(argv[2], &hdr, &n);
    int c_grade = col(hdr, n, "grade"), c_date = col(hdr, n, "audit_date"), c_action = col(hdr, n, "action"),
        c_due = col(hdr, n, "action_due"), c_note = col(hdr, n, "note");
    FILE *f = fopen(argv[3], "wb");
    for (int i = 0; i < n; i++)
        field(f, hdr[i], i == n - 1);
    static const char *const spelling[5][3] = {{"", "", ""}, {"Outstanding", "Outstanding", "O"},
                                               {"Good", "Good", "G"}, {"Requires improvement", "RI",
                                                                       "Requires improvement to be good"},
                                               {"Inadequate", "Inadequate", "I"}};
    ca_error err = CA_ERROR_INIT;
    long row = 0;
    while (csvr_next(r, &err) == 1) {
        if (offset + row >= total) {
            fprintf(stderr, "gen_returns: more rows than grades\n");
            return 1;
        }
        int g = seq[offset + row++];
        ca_day d = from + (ca_day)(next() % (uint64_t)(to - from + 1));
        char date[CA_DATE_ISO_LEN], due[CA_DATE_ISO_LEN];
        date_uk(d, date);
        date_uk(d + 28 + (ca_day)(next() % 40), due);
        for (int i = 0; i < n; i++) {
            const char *v = csvr_field(r, i);
            char buf[256];
            if (i == c_grade)
                v = spelling[g][next() % 3];
            else if (i == c_date)
                v = date;
            else if (strncmp(hdr[i], "domain:", 7) == 0 && next() % 3 == 0) {
                int dg = g + (int)(next() % 3) - 1;
                v = spelling[dg < 1 ? 1 : dg > 4 ? 4 : dg][0];
            } else if (i == c_action && g >= 3)
                v = g == 4 ? "Convene a strategy discussion and update the safety plan"
                           : "Update the plan with SMART outcomes and timescales";
            else if (i == c_due && g >= 3)
                v = due;
            else if (i == c_note && g == 2 && next() % 2)
                v = "Child's voice well evidenced";
            else if (i == c_note && g == 4) {
                snprintf(buf, sizeof buf, "Escalated to the service manager on %s", date);
                v = buf;
            }
            field(f, v, i == n - 1);
        }
    }
    fclose(f);
    csvr_close(r);
    csvr_strings_free(hdr, n);
    free(seq);
    return 0;
}

static int moderation(int argc, char **argv)
{
    if (argc != 8)
        return 2;
    long fill = atol(argv[4]), g_ri = atol(argv[5]), ri_i = atol(argv[6]);
    state = strtoull(argv[7], NULL, 10);
    char **hdr;
    int n;
    csvr *r = open_list(argv[2], &hdr, &n);
    int c_aud = col(hdr, n, "audited_grade"), c_date = col(hdr, n, "audit_date"),
        c_mg = col(hdr, n, "moderated_grade"), c_mod = col(hdr, n, "moderator"),
        c_md = col(hdr, n, "moderation_date"), c_reason = col(hdr, n, "reason");
    FILE *f = fopen(argv[3], "wb");
    for (int i = 0; i < n; i++)
        field(f, hdr[i], i == n - 1);
    static const char *const moderators[] = {"Julia Whitcombe", "Declan Moss"};
    ca_error err = CA_ERROR_INIT;
    long filled = 0;
    while (csvr_next(r, &err) == 1) {
        int audited = grade_parse(csvr_field(r, c_aud)), moderated = 0;
        const char *reason = "";
        if (filled < fill) {
            if (audited == 2 && g_ri > 0)
                moderated = 3, g_ri--, reason = "Plan drifted; no evidence of management oversight since review";
            else if (audited == 3 && ri_i > 0)
                moderated = 4, ri_i--, reason = "Risk of harm not assessed after a new referral";
            else if (filled + g_ri + ri_i < fill)
                moderated = audited;
        }
        char date[CA_DATE_ISO_LEN];
        if (moderated) {
            filled++;
            date_uk(parse(csvr_field(r, c_date)) + 5 + (ca_day)(next() % 10), date);
        }
        for (int i = 0; i < n; i++) {
            const char *v = csvr_field(r, i);
            if (i == c_mg)
                v = moderated ? grade_label(moderated) : "";
            else if (i == c_mod)
                v = moderated ? moderators[next() % 2] : "";
            else if (i == c_md)
                v = moderated ? date : "";
            else if (i == c_reason)
                v = reason;
            field(f, v, i == n - 1);
        }
    }
    fclose(f);
    csvr_close(r);
    csvr_strings_free(hdr, n);
    if (g_ri || ri_i || filled < fill) {
        fprintf(stderr, "gen_returns: the moderation list cannot give those outcomes (%ld, %ld left; %ld of %ld)\n",
                g_ri, ri_i, filled, fill);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int rc = 2;
    if (argc > 1 && strcmp(argv[1], "grades") == 0)
        rc = grades(argc, argv);
    else if (argc > 1 && strcmp(argv[1], "moderation") == 0)
        rc = moderation(argc, argv);
    if (rc == 2)
        fprintf(stderr, "usage: gen_returns grades LIST OUT OFFSET O,G,RI,I SEED FROM TO\n"
                        "       gen_returns moderation LIST OUT FILL DOWN_G_RI DOWN_RI_I SEED\n");
    return rc;
}
