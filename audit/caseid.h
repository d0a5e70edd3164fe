/* caseid.h: case ids that a spreadsheet has changed (SPEC §4, "Ids").
 *
 * Excel reads an id column of digits as numbers and drops their leading zeros, so
 * 0014628 saved once through Excel becomes 14628 and one child counts twice. The
 * import refuses two ids that differ only by leading zeros, naming both lines.
 * Pure functions: no allocation, nothing owned.
 */
#ifndef CASEAUDIT_CASEID_H
#define CASEAUDIT_CASEID_H

/* id past its leading zeros (a pointer into id), keeping the last character of an
 * id of zeros only ("0014628" -> "14628", "000" -> "0", "" -> ""). Two ids are
 * leading-zero twins exactly when their keys are equal and the ids are not, so an
 * import can hash or index on the key (in SQL: ltrim(id, '0'), with the same care
 * for ids of zeros only) instead of comparing every pair. */
const char *caseid_zero_key(const char *id);

/* 1 when a and b are different ids that differ only by leading zeros (0014628 and
 * 14628, 000 and 0, 0A7 and A7), else 0 (also for equal ids). */
int caseid_zero_twins(const char *a, const char *b);

#endif
