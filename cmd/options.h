/* options.h: each command's options and arguments, declared once as a table.
 *
 * From a command's table (a cli_spec) this code alone produces the usage line,
 * the --help text and the parsing, so the three cannot drift apart; the test
 * tests/cli/help.sh holds the man page's synopsis to the same usage lines.
 *
 * A table lists the synopsis items in the order the usage line shows them:
 * options (long name, an optional one-letter form, the value's metavariable or
 * none) and positional arguments (a name and no id). Flags shape the usage line:
 *
 *   CLI_REQUIRED  shown without brackets. The command still checks it, as some
 *                 options are required only in one case (sample --size).
 *   CLI_REPEAT    may be given more than once ("[--domain CODE=G]..."); any
 *                 other option given twice is a usage error.
 *   CLI_OR        this item and the next are alternatives: "[A | B]", or
 *                 "(A | B)" when the first is CLI_REQUIRED.
 *   CLI_AND       this item and the next go together in one group: "--from DATE --to DATE".
 *   CLI_NEST      the next item is shown inside this one's brackets:
 *                 "[--action TEXT [--due DATE]]".
 *
 *   CLI_FORM(n)   the item belongs to synopsis line n (1, 2, ...) only; an item
 *                 with no CLI_FORM is in every line ("grade ROUND CASE_ID ..." and
 *                 "grade ROUND --file FILE ...").
 */
#ifndef CASEAUDIT_CMD_OPTIONS_H
#define CASEAUDIT_CMD_OPTIONS_H

#include <stdio.h>

enum {
    CLI_REQUIRED = 1 << 0,
    CLI_REPEAT = 1 << 1,
    CLI_OR = 1 << 2,
    CLI_AND = 1 << 3,
    CLI_NEST = 1 << 4,
};
#define CLI_FORM(n) (1u << (7 + (n)))
#define CLI_MAX_FORMS 4

typedef struct cli_opt {
    int id;            /* what cli_next returns for the option (> 0); 0 for a positional */
    const char *name;  /* the long name without "--" ("as-of"), or the positional's ("FILE") */
    char short_name;   /* 'o' for "-o", else 0; the usage line shows the short form */
    const char *value; /* the value's metavariable ("DATE", "table|json"); NULL: takes none */
    unsigned flags;    /* CLI_* above */
    const char *help;  /* one line for --help ('\n' continues it); NULL: not listed */
} cli_opt;

/* Table entries: an option with a value (also with a one-letter form), an
 * option without one, a positional argument, the end of the table. */
#define CLI_VALUE(id, name, meta, flags, help) {(id), (name), 0, (meta), (flags), (help)}
#define CLI_VALUE1(id, name, letter, meta, flags, help) {(id), (name), (letter), (meta), (flags), (help)}
#define CLI_FLAG(id, name, flags, help) {(id), (name), 0, NULL, (flags), (help)}
#define CLI_ARG(name, flags, help) {0, (name), 0, NULL, (flags), (help)}
#define CLI_END_OF_TABLE {0, NULL, 0, NULL, 0, NULL}

typedef struct cli_spec {
    const char *name;      /* "import", "moderation pick" */
    const cli_opt *opts;   /* ends with CLI_END_OF_TABLE; at most 64 entries */
    const char *about;     /* the paragraph --help shows after the usage */
    const char *footer;    /* a line after the options, or NULL */
    const char *excess;    /* added to "unexpected argument 'X'", as " (quote a name with spaces)"; or NULL */
} cli_spec;

/* The parser's state: `value` is the current option's value (NULL for a flag);
 * after the last option, pos[0..npos-1] are the positional arguments in order. */
typedef struct cli_args {
    const cli_spec *spec;
    int argc, i, npos, only_pos;
    char **argv, **pos;
    char *value;
    unsigned long long seen; /* the table entries given so far */
    int status;              /* the exit status after CLI_STOP */
} cli_args;

enum { CLI_STOP = -1, CLI_DONE = 0 };

/* Starts parsing argv[1..argc-1] (argv[0] is the command's name). Positional
 * arguments may come before, between or after options; "--" ends the options.
 * argv's order is rearranged (the positionals move to the front). */
void cli_args_begin(cli_args *a, const cli_spec *spec, int argc, char **argv);

/* Returns the next option's id with its value in a->value; CLI_DONE when
 * the options are all read (then a->pos and a->npos are set); or CLI_STOP when
 * the command must return a->status now: 0 after printing --help, 2 after
 * printing a usage error (an unknown option, a missing value, a value given to
 * an option that takes none, a non-repeatable option given twice, more
 * positional arguments than any synopsis line has). Long options may be
 * abbreviated to any unambiguous prefix, as getopt_long allows. */
int cli_next(cli_args *a);

/* Writes the command's synopsis lines; the first starts "usage: " when first
 * is set, every other "       " (the width of "usage: "). */
void cli_print_usage(FILE *f, const cli_spec *spec, int first);

/* Writes the whole --help text: usage, about, options, footer. */
void cli_print_help(FILE *f, const cli_spec *spec);

#endif
