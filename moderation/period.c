#include "moderation/period.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/error.h"

/* Fills from/to/label for quarter q of year y (calendar) or financial year y/y+1. */
static void set_quarter(ca_period *p, int y, int q, int fiscal)
{
    int first_month = fiscal ? 4 + 3 * (q - 1) : 1 + 3 * (q - 1);
    int cy = y + (first_month > 12);
    first_month = (first_month - 1) % 12 + 1;
    ca_day start;
    date_from_ymd(cy, first_month, 1, &start);
    p->from = start;
    p->to = date_add_months(start, 3) - 1;
    p->fiscal = fiscal;
    p->quarter = q;
    p->year = y;
    if (fiscal)
        snprintf(p->label, sizeof p->label, "%04d/%02dQ%d", y % 10000, (y + 1) % 100, q % 10);
    else
        snprintf(p->label, sizeof p->label, "%04dQ%d", y % 10000, q % 10);
}

int period_parse_quarter(const char *s, ca_period *p, char *why, size_t whylen)
{
    int y, y2 = -1, q, n = 0;
    char tail;
    if (strlen(s) < 24 && (sscanf(s, "%4d/%2d%*[Qq]%1d%n%c", &y, &y2, &q, &n, &tail) == 3 ||
                           (y2 = -1, sscanf(s, "%4d%*[Qq]%1d%n%c", &y, &q, &n, &tail) == 2)) &&
        n == (int)strlen(s) && isdigit((unsigned char)s[0]) && y >= 1900 && y <= 2998 && q >= 1 && q <= 4) {
        if (y2 >= 0 && y2 != (y + 1) % 100) {
            snprintf(why, whylen, "a financial year runs from one year into the next, as in %d/%02d", y,
                     (y + 1) % 100);
            return CA_ERR;
        }
        set_quarter(p, y, q, y2 >= 0);
        return CA_OK;
    }
    snprintf(why, whylen, "expected a calendar quarter such as 2026Q3 or a financial-year quarter such as 2026/27Q2");
    return CA_ERR;
}

void period_from_dates(ca_day from, ca_day to, ca_period *p)
{
    char a[CA_DATE_ISO_LEN], b[CA_DATE_ISO_LEN];
    memset(p, 0, sizeof *p);
    p->from = from;
    p->to = to;
    date_uk(from, a);
    date_uk(to, b);
    snprintf(p->label, sizeof p->label, "%s to %s", a, b);
}

void period_previous(const ca_period *p, int k, ca_period *out)
{
    int index = p->year * 4 + (p->quarter - 1) - k;
    set_quarter(out, index / 4, index % 4 + 1, p->fiscal);
}
