#include "moderation/outcome.h"

enum ca_outcome outcome_of(int audited, int moderated)
{
    if (moderated > audited)
        return CA_DOWNGRADED;
    if (moderated < audited)
        return CA_UPGRADED;
    return CA_AGREED;
}

const char *outcome_name(enum ca_outcome o)
{
    switch (o) {
    case CA_DOWNGRADED:
        return "downgraded";
    case CA_UPGRADED:
        return "upgraded";
    default:
        return "agreed";
    }
}
