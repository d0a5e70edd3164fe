/* Fuzzes the vocabulary parsers: grade_parse, plan_parse, bands_parse. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit/error.h"
#include "audit/vocab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char s[256];
    if (size >= sizeof s)
        size = sizeof s - 1;
    memcpy(s, data, size);
    s[size] = 0;
    int g = grade_parse(s);
    if (g < 0 || g > 4 || (g && grade_parse(grade_label(g)) != g))
        abort();
    int p = plan_parse(s);
    if (p < -1 || p >= CA_NPLANS || (p >= 0 && plan_parse(plan_code(p)) != p))
        abort();
    ca_bands b;
    char why[160], buf[160];
    if (bands_parse(s, &b, why, sizeof why) == CA_OK) {
        for (int i = 0; i < bands_count(&b); i++) {
            band_code(&b, i, buf, sizeof buf);
            band_label(&b, i, buf, sizeof buf);
        }
        bands_format(&b, buf, sizeof buf);
    }
    return 0;
}
