#include "audit/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit/error.h"

int clock_parse(const char *s, ca_clock *out)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, used = 0;
    int n = sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &used);
    if (n != 3)
        return CA_ERR;
    if (s[used] == 'T') {
        int more = 0;
        if (sscanf(s + used, "T%2d:%2d:%2dZ%n", &h, &mi, &sec, &more) != 3 || more == 0 || s[used + more])
            return CA_ERR;
    } else if (s[used]) {
        return CA_ERR;
    }
    ca_day day;
    if (date_from_ymd(y, mo, d, &day) != CA_OK || h > 23 || mi > 59 || sec > 60)
        return CA_ERR;
    *out = (ca_clock)day * 86400 + h * 3600 + mi * 60 + sec;
    return CA_OK;
}

static void broken_down(ca_clock c, struct tm *tm, int utc)
{
    time_t t = c == CA_CLOCK_SYSTEM ? time(NULL) : (time_t)c;
    if (utc || c != CA_CLOCK_SYSTEM)
        gmtime_r(&t, tm);
    else
        localtime_r(&t, tm);
}

ca_day clock_today(ca_clock c)
{
    struct tm tm;
    broken_down(c, &tm, 0);
    ca_day day = 0;
    date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &day);
    return day;
}

void clock_now_utc(ca_clock c, char buf[32])
{
    struct tm tm;
    broken_down(c, &tm, 1);
    snprintf(buf, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
             tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100, tm.tm_sec % 100);
}
