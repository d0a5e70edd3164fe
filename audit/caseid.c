#include "audit/caseid.h"

#include <string.h>

const char *caseid_zero_key(const char *id)
{
    while (id[0] == '0' && id[1] != 0)
        id++;
    return id;
}

int caseid_zero_twins(const char *a, const char *b)
{
    return strcmp(a, b) != 0 && strcmp(caseid_zero_key(a), caseid_zero_key(b)) == 0;
}
