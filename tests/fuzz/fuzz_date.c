/* Fuzzes date_parse: any bytes must give a valid date or a reason, never a crash,
 * and a parsed date must print and parse back to itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit/date.h"
#include "audit/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char s[128];
    if (size >= sizeof s)
        size = sizeof s - 1;
    memcpy(s, data, size);
    s[size] = 0;
    ca_day d, back;
    char why[160], iso[CA_DATE_ISO_LEN], uk[CA_DATE_ISO_LEN];
    if (date_parse(s, &d, why, sizeof why) == CA_OK) {
        date_iso(d, iso);
        date_uk(d, uk);
        if (date_parse(iso, &back, why, sizeof why) != CA_OK || back != d)
            abort();
        if (date_parse(uk, &back, why, sizeof why) != CA_OK || back != d)
            abort();
    } else if (!why[0]) {
        abort();
    }
    return 0;
}
