/* stubs.c: weak placeholders for commands not built yet; each cmd/cmd_NAME.c that
 * defines the real command replaces its stub at link time. Delete when empty. */
#include "cmd/cli.h"

#define STUB(name)                                                                            \
    __attribute__((weak)) int cmd_##name(int argc, char **argv)                               \
    {                                                                                         \
        (void)argc;                                                                           \
        return cli_error(CA_USAGE, "'%s' is not available in this version", argv[0]);          \
    }

STUB(import)
STUB(snapshots)
STUB(sample)
STUB(list)
STUB(rounds)
STUB(assign)
STUB(grade)
STUB(domains)
STUB(actions)
STUB(action)
STUB(moderation)
STUB(moderate)
STUB(report)
STUB(history)
STUB(prune)
