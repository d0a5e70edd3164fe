/* vocab.h: the words of SPEC §2 — grades, plan types, age bands.
 *
 * Everything here is pure and table-driven; the tables are the single place
 * where a spelling, a label or an order is decided.
 */
#ifndef CASEAUDIT_VOCAB_H
#define CASEAUDIT_VOCAB_H

#include <stddef.h>

/* Grades: 1 Outstanding .. 4 Inadequate; "worse" is a higher code. */
enum { CA_NGRADES = 4 };
int grade_parse(const char *s);            /* 1..4, or 0 when not a grade */
const char *grade_label(int grade);        /* "Requires improvement" */
const char *grade_key(int grade);          /* "requires_improvement" */
#define CA_GRADE_EXPECTED "Outstanding, Good, Requires improvement or Inadequate (or 1-4, O, G, RI, I)"

/* Plan types, in display and stratum order. */
enum ca_plan { CA_PLAN_EH, CA_PLAN_CIN, CA_PLAN_CP, CA_PLAN_CLA, CA_PLAN_CL, CA_NPLANS };
int plan_parse(const char *s);             /* enum ca_plan, or -1 */
const char *plan_code(int plan);           /* "CLA" */
const char *plan_label(int plan);          /* "Child looked after" */
/* Which plan a case open under several takes: CLA > CP > CIN > CL > EH. Higher wins. */
int plan_precedence(int plan);
#define CA_PLAN_EXPECTED "EH, CIN, CP, CLA or CL (or Early Help, Child in Need, Child Protection, Looked After, Care Leaver)"

/* Age bands: lower edges in whole years, ascending, the first 0; "unborn" always
 * exists before them. Band index 0 is unborn, 1..n the edges. */
enum { CA_MAX_BANDS = 16 };
typedef struct ca_bands {
    int n;
    int lower[CA_MAX_BANDS];
} ca_bands;

void bands_default(ca_bands *b);           /* 0,1,5,10,16,18 */
/* Parses "0,1,5,10,16,18"; CA_ERR with a reason in why. */
int bands_parse(const char *s, ca_bands *b, char *why, size_t whylen);
void bands_format(const ca_bands *b, char *buf, size_t len);   /* "0,1,5,10,16,18" */
int band_of(const ca_bands *b, int age);   /* age -1 (unborn) -> 0 */
int bands_count(const ca_bands *b);        /* n + 1, unborn included */
/* Code ("unborn", "under1", "1-4", "18+") and label ("Under 1", "1–4"). */
void band_code(const ca_bands *b, int band, char *buf, size_t len);
void band_label(const ca_bands *b, int band, char *buf, size_t len);

/* Normalises a header or vocabulary word for loose matching: lower case, letters
 * and digits only, curly quotes and all punctuation and spaces dropped.
 * "Age of Child (Years)" -> "ageofchildyears". */
void vocab_normalise(const char *s, char *out, size_t len);

#endif
