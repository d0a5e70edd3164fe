/* gen_sample: the synthetic sample data of SPEC §12, deterministic.
 *
 *   gen_sample DIR
 *
 * writes DIR/cases.csv (a generic case list of a fictional mid-sized council,
 * "Northmoor Borough Council", as at 01/11/2026), the same council's Ofsted Annex A
 * lists 6-9 as Excel would export them (BOM, CRLF, header quirks, mixed UK date
 * styles), and DIR/auditors.csv. On stderr, the summary that `caseaudit import
 * --as-of 01/11/2026` must print for cases.csv and for the four lists together
 * (checked by tests/cli/sample_data.sh). No real child, worker or council: every name and
 * number comes from the fixed-seed generator below.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/date.h"

static uint64_t state = 0x4e6f7274686d6f6fULL; /* "Northmoo" */

static uint64_t next(void) /* splitmix64 */
{
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int pick(int n) { return (int)(next() % (uint64_t)n); }

enum { EH, CIN, CP, CLA, CL };
static const char *const team_names[] = {
    "Assessment Team North", "Assessment Team South", "Children in Need, East", "Children in Need, West",
    "Child Protection 1",    "Child Protection 2",    "Children in Care 1",     "Children in Care 2",
    "Leaving Care Team",     "Early Help Hub",
};
/* The teams that hold each plan type. */
static const int plan_teams[5][4] = {{9, 9, 9, 9}, {2, 3, 0, 1}, {4, 5, 4, 5}, {6, 7, 6, 7}, {8, 8, 8, 8}};
static const char *const first[] = {"Amira", "Ben", "Chloe", "Dev", "Ewan", "Fatima", "Grace", "Harun", "Isla",
                                    "Jonah", "Keira", "Liam", "Maya", "Niall", "Olu", "Priya", "Rhys", "Siobhán",
                                    "Tariq", "Una", "Vikram", "Wendy", "Yusuf", "Zara"};
static const char *const last[] = {"Ashworth", "Begum", "Carr", "Dunmore", "Ellery", "Fenwick", "Garside",
                                   "Hollins", "Iqbal", "Jessop", "Kershaw", "Lund", "Mistry", "Nuttall",
                                   "O’Neill", "Pickles", "Quarmby", "Riaz", "Sutcliffe", "Thorne"};
static const char *const ethnicity[] = {"WBRI", "WBRI", "WBRI", "WBRI", "WIRI", "WOTH", "MWBC", "MWBA", "AIND",
                                        "APKN", "ABAN", "BCRB", "BAFR", "CHNE", "OOTH", "NOBT"};

enum { NWORKERS = 40 };
static char workers[NWORKERS][64];
static int worker_team[NWORKERS];

struct child {
    int id;
    int plan;        /* the plan the generic list gives */
    int closed;
    ca_day dob, start, end;
    int team, worker;
    int cin_status;  /* list 6: 'a'..'e' */
    int in_list7_closed; /* a CP plan that ended while CIN goes on */
    char gender;
    const char *eth;
    int disabled;
};

static ca_day day(int y, int m, int d)
{
    ca_day r;
    date_from_ymd(y, m, d, &r);
    return r;
}

static void uk(ca_day d, char *buf, int style)
{
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    switch (style) {
    case 0: sprintf(buf, "%02d/%02d/%04d", dd, m, y); break;
    case 1: sprintf(buf, "%d/%d/%04d", dd, m, y); break;
    case 2: sprintf(buf, "%02d-%s-%04d", dd, mon[m - 1], y); break;
    case 3: sprintf(buf, "%02d %s %04d", dd, mon[m - 1], y); break;
    default: sprintf(buf, "%02d.%02d.%04d", dd, m, y); break;
    }
}

static FILE *open_out(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(1);
    }
    return f;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen_sample DIR\n");
        return 2;
    }
    const char *dir = argv[1];
    ca_day asof = day(2026, 11, 1);
    /* A care leaver is 18 on the as-of date at the youngest (18 * 365 days falls short by the leap days). */
    int eighteen_years = (int)(asof - date_add_months(asof, -18 * 12));
    for (int w = 0; w < NWORKERS; w++) {
        snprintf(workers[w], sizeof workers[w], "%s %s", first[w % 24], last[(w * 7 + 3) % 20]);
        worker_team[w] = w % 10;
    }
    /* About 1,500 open cases: CIN 45%, CP 15%, CLA 28%, CL 9%, EH 3%; and some closed. */
    enum { NOPEN = 1500, NCLOSED = 90, N = NOPEN + NCLOSED };
    static struct child c[N];
    static const int mix[5] = {3, 45, 15, 28, 9};
    for (int i = 0; i < N; i++) {
        struct child *k = &c[i];
        k->id = 300000 + i * 37 + pick(30);
        int r = pick(100), acc = 0;
        k->plan = CIN;
        for (int p = 0; p < 5; p++)
            if (r < (acc += mix[p])) {
                k->plan = p;
                break;
            }
        int age_days;
        if (k->plan == CL)
            age_days = eighteen_years + pick(3 * 365 + 300); /* 18-21 */
        else if (k->plan == CP && pick(40) == 0)
            age_days = -(1 + pick(85));                      /* unborn: a pre-birth plan */
        else
            age_days = pick(18 * 365 - 10);
        k->dob = asof - age_days;
        k->start = asof - 30 - pick(700);
        if (k->start < k->dob && age_days > 0)
            k->start = k->dob + 10;
        if (age_days < 0)
            k->start = asof - 20 - pick(60);
        k->closed = i >= NOPEN;
        k->end = k->closed ? asof - 1 - pick(120) : 0;
        int t = plan_teams[k->plan][pick(4)];
        k->team = t;
        int w;
        do
            w = pick(NWORKERS);
        while (worker_team[w] != t);
        k->worker = w;
        k->cin_status = k->plan == CLA ? 'a' : k->plan == CP ? 'b' : k->plan == CIN ? (pick(5) ? 'c' : 'd') : 0;
        k->gender = pick(2) ? 'F' : 'M';
        k->eth = ethnicity[pick(16)];
        k->disabled = pick(12) == 0;
    }
    long counts[5] = {0}, closed = 0;
    char dob[32], start[32], end[32];

    /* The generic list, as a case-management report exports it. */
    FILE *f = open_out(dir, "cases.csv");
    static const char *const plan_spellings[5][3] = {{"EH", "Early Help", "EH"},
                                                     {"CIN", "Child in Need", "CIN"},
                                                     {"CP", "Child Protection", "CPP"},
                                                     {"CLA", "LAC", "CiC"},
                                                     {"CL", "Care Leaver", "CL"}};
    fprintf(f, "case_id,date_of_birth,plan_type,team,worker,plan_start,plan_end,gender,ethnicity,disability\n");
    for (int i = 0; i < N; i++) {
        struct child *k = &c[i];
        uk(k->dob, dob, 0);
        uk(k->start, start, 0);
        if (k->closed)
            uk(k->end, end, 0);
        else
            end[0] = 0;
        fprintf(f, "%d,%s,%s,\"%s\",%s,%s,%s,%c,%s,%s\n", k->id, dob, plan_spellings[k->plan][pick(3)],
                team_names[k->team], workers[k->worker], start, end, k->gender, k->eth, k->disabled ? "Yes" : "No");
        if (k->closed)
            closed++;
        else
            counts[k->plan]++;
    }
    fclose(f);

    /* Annex A list 6: every child in need, looked-after child and child on a plan, with
     * Case Status; closed cases as e) with a closure date. Excel's "CSV UTF-8": BOM, CRLF;
     * "Date of  birth" with a doubled space; dates of birth as 09/12/2011, CIN dates as 1/11/2026. */
    f = open_out(dir, "annex-a-list6.csv");
    fprintf(f, "\xef\xbb\xbf" "Child Unique ID,Gender,Ethnicity,Date of  birth,Age of Child (Years),Disability,"
               "CIN Start Date,CIN Closure Date,Case Status,Allocated Team,Allocated Worker\r\n");
    long rows6 = 0, rows7 = 0, rows8 = 0, rows9 = 0;
    for (int i = 0; i < N; i++) {
        struct child *k = &c[i];
        if (k->plan == EH || k->plan == CL)
            continue;
        uk(k->dob, dob, 0);
        uk(k->start, start, 1);
        int age = date_age_years(k->dob, asof);
        if (age < 0)
            age = 0;
        const char *status = k->closed ? "e) Closed" : k->cin_status == 'a' ? "a) Looked after"
                             : k->cin_status == 'b' ? "b) Child protection plan"
                             : k->cin_status == 'c' ? "c) Child in need plan" : "d) Other CIN";
        if (k->closed)
            uk(k->end, end, 1);
        else
            end[0] = 0;
        fprintf(f, "%d,%c,%s,%s,%d,%s,%s,%s,%s,\"%s\",%s\r\n", k->id, k->gender, k->eth, dob, age,
                k->disabled ? "Yes" : "No", start, end, status, team_names[k->team], workers[k->worker]);
        rows6++;
        /* List 6 holds a row per CIN episode: some open children also have an earlier, closed one. */
        if (k->plan == CIN && !k->closed && k->id % 7 == 0) {
            char e_start[32], e_end[32];
            uk(k->start - 400, e_start, 1);
            uk(k->start - 30, e_end, 1);
            fprintf(f, "%d,%c,%s,%s,%d,%s,%s,%s,e) Closed,\"%s\",%s\r\n", k->id, k->gender, k->eth, dob, age,
                    k->disabled ? "Yes" : "No", e_start, e_end, team_names[k->team], workers[k->worker]);
            rows6++;
        }
    }
    fclose(f);

    /* List 7: child protection plans, dates as 01-Nov-2026. */
    f = open_out(dir, "annex-a-list7.csv");
    fprintf(f, "\xef\xbb\xbf" "Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),"
               "Child Protection Plan Start Date,Child Protection Plan End Date,Number of Previous CP Plans,"
               "Allocated Team,Allocated Worker\r\n");
    for (int i = 0; i < N; i++) {
        struct child *k = &c[i];
        if (k->plan != CP)
            continue;
        uk(k->dob, dob, 2);
        if (k->id % 20 == 0) /* a two-digit year, as Excel writes 16-Feb-23 */
            memmove(dob + 7, dob + 9, strlen(dob + 9) + 1);
        uk(k->start, start, 2);
        if (k->closed)
            uk(k->end, end, 2);
        else
            end[0] = 0;
        int age = date_age_years(k->dob, asof);
        fprintf(f, "%d,%c,%s,%s,%d,%s,%s,%d,\"%s\",%s\r\n", k->id, k->gender, k->eth, dob, age < 0 ? 0 : age, start,
                end, pick(3), team_names[k->team], workers[k->worker]);
        rows7++;
    }
    fclose(f);

    /* List 8: looked-after children, "Age" for "Age of Child (Years)", dates as 1 Nov 2026. */
    f = open_out(dir, "annex-a-list8.csv");
    fprintf(f, "\xef\xbb\xbf" "Child Unique ID,Gender,Ethnicity,Date of Birth,Age,Date Started to be Looked After,"
               "Date Ceased to be Looked After,Legal Status,Placement Type,Allocated Team,Allocated Worker\r\n");
    for (int i = 0; i < N; i++) {
        struct child *k = &c[i];
        if (k->plan != CLA)
            continue;
        uk(k->dob, dob, 3);
        if (k->id % 25 == 0) /* an Excel serial date: days since 30/12/1899 */
            sprintf(dob, "%d", (int)k->dob + 25569);
        uk(k->start, start, 3);
        if (k->closed)
            uk(k->end, end, 3);
        else
            end[0] = 0;
        fprintf(f, "%d,%c,%s,%s,%d,%s,%s,%s,%s,\"%s\",%s\r\n", k->id, k->gender, k->eth, dob,
                date_age_years(k->dob, asof), start, end, pick(2) ? "C2" : "V2", pick(3) ? "U4" : "R1",
                team_names[k->team], workers[k->worker]);
        rows8++;
    }
    fclose(f);

    /* List 9: care leavers, with the misspelt "Eligibity Category" of real exports; d.m.yyyy dates;
     * saved by Excel on Windows as "CSV (Comma delimited)": Windows-1252, no byte-order mark (an en
     * dash, 0x96, in some categories). */
    f = open_out(dir, "annex-a-list9.csv");
    fprintf(f, "Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),"
               "Eligibity Category,In Touch,Allocated Personal Advisor\r\n");
    for (int i = 0; i < N; i++) {
        struct child *k = &c[i];
        if (k->plan != CL || k->closed)
            continue;
        uk(k->dob, dob, 4);
        fprintf(f, "%d,%c,%s,%s,%d,%s,%s,%s\r\n", k->id, k->gender, k->eth, dob, date_age_years(k->dob, asof),
                pick(2) ? "Former relevant" : k->id % 2 ? "Relevant \x96 qualifying" : "Relevant", pick(8) ? "Yes" : "No",
                workers[k->worker]);
        rows9++;
    }
    fclose(f);

    /* Auditors: team managers and practice leads. "Wendy Kaur" is in the QA team, which
     * holds no cases, so her team is left blank (the register takes only the case list's
     * teams) and she may audit any case. "Liam Ashworth" is a senior practitioner
     * listed under Assessment Team North who still holds cases in Assessment Team South
     * (the worker of the same name): the own-team rule keeps him off North's cases and the
     * own-case rule off his own, so assign must apply both. */
    f = open_out(dir, "auditors.csv");
    fprintf(f, "name,team,capacity\n");
    static const char *const auditors[][3] = {
        {"Helen Ackroyd", "Assessment Team North", ""}, {"Marcus Bell", "Assessment Team South", ""},
        {"Nadia Choudhury", "Children in Need, East", ""}, {"Owen Driscoll", "Children in Need, West", ""},
        {"Paula Evans", "Child Protection 1", ""}, {"Rashid Farooq", "Child Protection 2", ""},
        {"Sarah Goodwin", "Children in Care 1", "6"}, {"Tom Hargreaves", "Children in Care 2", ""},
        {"Usha Iyer", "Leaving Care Team", "4"}, {"Victor Jameson", "Early Help Hub", ""},
        {"Wendy Kaur", "", ""}, {"Liam Ashworth", "Assessment Team North", "5"},
    };
    for (size_t i = 0; i < sizeof auditors / sizeof *auditors; i++)
        fprintf(f, "%s,\"%s\",%s\n", auditors[i][0], auditors[i][1], auditors[i][2]);
    fclose(f);

    /* What `caseaudit import --as-of 01/11/2026` must say for each set, worked out here by
     * SPEC §4's rules (a child on several lists is one case; closed when every row is), in
     * the importer's own words so that tests/cli/sample_data.sh can compare them. The
     * Annex A set differs from cases.csv only by what lists 6-9 cannot hold: early help
     * (list 2) and closed care leavers (list 9 has no end date). */
    long a_rows = rows6 + rows7 + rows8 + rows9, a_cases = 0, a_closed = 0, a_open[5] = {0};
    for (int i = 0; i < N; i++) {
        const struct child *k = &c[i];
        int listed = k->plan == CIN || k->plan == CP || k->plan == CLA || (k->plan == CL && !k->closed);
        if (!listed)
            continue;
        a_cases++;
        if (k->closed)
            a_closed++;
        else
            a_open[k->plan]++;
    }
    fprintf(stderr, "gen_sample: cases.csv: Rows read %d, cases %d, merged 0, closed %ld\n", N, N, closed);
    fprintf(stderr, "gen_sample: cases.csv: Open cases %ld: EH %ld, CIN %ld, CP %ld, CLA %ld, CL %ld\n",
            counts[EH] + counts[CIN] + counts[CP] + counts[CLA] + counts[CL], counts[EH], counts[CIN], counts[CP],
            counts[CLA], counts[CL]);
    fprintf(stderr, "gen_sample: annex-a-list6-9: rows list 6 %ld, list 7 %ld, list 8 %ld, list 9 %ld\n", rows6,
            rows7, rows8, rows9);
    fprintf(stderr, "gen_sample: annex-a-list6-9: Rows read %ld, cases %ld, merged %ld, closed %ld\n", a_rows,
            a_cases, a_rows - a_cases, a_closed);
    fprintf(stderr, "gen_sample: annex-a-list6-9: Open cases %ld: EH %ld, CIN %ld, CP %ld, CLA %ld, CL %ld\n",
            a_open[EH] + a_open[CIN] + a_open[CP] + a_open[CLA] + a_open[CL], a_open[EH], a_open[CIN], a_open[CP],
            a_open[CLA], a_open[CL]);
    return 0;
}
