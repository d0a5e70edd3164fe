/* options.c: usage lines, --help and parsing, all from a command's table (options.h). */
#include "cmd/options.h"

#include <string.h>

#include "cmd/cli.h"

#define USAGE_WIDTH 100
#define FORM_MASK (~0xffu)

static int nforms(const cli_spec *s)
{
    int n = 1;
    for (const cli_opt *o = s->opts; o->name; o++)
        for (int f = 2; f <= CLI_MAX_FORMS; f++)
            if ((o->flags & CLI_FORM(f)) && f > n)
                n = f;
    return n;
}

static int in_form(const cli_opt *o, int form)
{
    return !(o->flags & FORM_MASK) || (o->flags & CLI_FORM(form));
}

/* A small string builder; output past the capacity is cut off (usage lines are short). */
typedef struct {
    char s[512];
    size_t n;
} text;

static void put(text *t, const char *s)
{
    size_t len = strlen(s);
    if (len > sizeof t->s - 1 - t->n)
        len = sizeof t->s - 1 - t->n;
    memcpy(t->s + t->n, s, len);
    t->n += len;
    t->s[t->n] = 0;
}

/* "--as-of DATE", "-o FILE", "--dry-run", or a positional's name. */
static void put_item(text *t, const cli_opt *o)
{
    if (!o->id) {
        put(t, o->name);
        return;
    }
    if (o->short_name) {
        char letter[3] = {'-', o->short_name, 0};
        put(t, letter);
    } else {
        put(t, "--");
        put(t, o->name);
    }
    if (o->value) {
        put(t, " ");
        put(t, o->value);
    }
}

/* Renders the group of items starting at it[k] (alternatives, items that go
 * together, and what is nested in them) and returns the index after it. */
static size_t put_group(text *t, const cli_opt *const *it, size_t n, size_t k)
{
    size_t last = k;
    while (last + 1 < n && (it[last]->flags & (CLI_OR | CLI_AND)))
        last++;
    int required = it[k]->flags & CLI_REQUIRED, several = last > k;
    put(t, required ? (several ? "(" : "") : "[");
    size_t next = last + 1;
    for (size_t m = k; m <= last; m++) {
        put_item(t, it[m]);
        if (m == last && (it[m]->flags & CLI_NEST) && next < n) {
            put(t, " ");
            next = put_group(t, it, n, next);
        }
        if (m < last)
            put(t, (it[m]->flags & CLI_OR) ? " | " : " ");
    }
    put(t, required ? (several ? ")" : "") : "]");
    if (it[last]->flags & CLI_REPEAT)
        put(t, "...");
    return next;
}

static void print_form(FILE *f, const cli_spec *s, int form, const char *prefix)
{
    const cli_opt *it[64];
    size_t n = 0;
    for (const cli_opt *o = s->opts; o->name && n < 64; o++)
        if (in_form(o, form))
            it[n++] = o;
    int col = fprintf(f, "%scaseaudit %s", prefix, s->name);
    for (size_t k = 0; k < n;) {
        text g = {.n = 0};
        k = put_group(&g, it, n, k);
        if (col + 1 + (int)g.n > USAGE_WIDTH)
            col = fprintf(f, "\n%8s", "") - 1; /* with the space below, under the command's name */
        col += fprintf(f, " %s", g.s);
    }
    fputc('\n', f);
}

void cli_print_usage(FILE *f, const cli_spec *s, int first)
{
    for (int form = 1; form <= nforms(s); form++)
        print_form(f, s, form, form == 1 && first ? "usage: " : "       ");
}

/* The left column of an entry in the --help list. */
static void help_left(text *t, const cli_opt *o)
{
    put(t, "  ");
    if (o->short_name && o->id) {
        char letter[5] = {'-', o->short_name, ',', ' ', 0};
        put(t, letter);
        put(t, "--");
        put(t, o->name);
        if (o->value)
            put(t, " "), put(t, o->value);
    } else {
        put_item(t, o);
    }
}

void cli_print_help(FILE *f, const cli_spec *s)
{
    cli_print_usage(f, s, 1);
    if (s->about)
        fprintf(f, "\n%s", s->about);
    /* The descriptions line up after the longest left column of up to 28 characters;
     * a longer one has its description on the next line. */
    size_t width = 0;
    for (const cli_opt *o = s->opts; o->name; o++) {
        text l = {.n = 0};
        help_left(&l, o);
        if (o->help && l.n <= 28 && l.n > width)
            width = l.n;
    }
    int listed = 0;
    for (const cli_opt *o = s->opts; o->name; o++) {
        if (!o->help)
            continue;
        text l = {.n = 0};
        help_left(&l, o);
        if (!listed++)
            fputc('\n', f);
        if (l.n > width)
            fprintf(f, "%s\n%*s", l.s, (int)width + 2, "");
        else
            fprintf(f, "%-*s", (int)width + 2, l.s);
        for (const char *h = o->help; *h; h++) {
            fputc(*h, f);
            if (*h == '\n')
                fprintf(f, "%*s", (int)width + 2, "");
        }
        fputc('\n', f);
    }
    if (s->footer)
        fputs(s->footer, f);
}

void cli_args_begin(cli_args *a, const cli_spec *spec, int argc, char **argv)
{
    *a = (cli_args){.spec = spec, .argc = argc, .argv = argv, .i = 1, .pos = argv + 1};
}

/* The most positional arguments any synopsis line takes; -1: no limit. */
static int max_positionals(const cli_spec *s)
{
    int most = 0;
    for (int form = 1; form <= nforms(s); form++) {
        int n = 0;
        for (const cli_opt *o = s->opts; o->name; o++)
            if (!o->id && in_form(o, form)) {
                if (o->flags & CLI_REPEAT)
                    return -1;
                n++;
            }
        if (n > most)
            most = n;
    }
    return most;
}

/* The option named by name[0..len-1], exactly or as an unambiguous prefix. */
static const cli_opt *find_long(const cli_spec *s, const char *name, size_t len, int *ambiguous)
{
    const cli_opt *prefix = NULL;
    int nprefix = 0;
    for (const cli_opt *o = s->opts; o->name; o++) {
        if (!o->id || strncmp(o->name, name, len) != 0)
            continue;
        if (o->name[len] == 0)
            return o;
        prefix = o;
        nprefix++;
    }
    *ambiguous = nprefix > 1;
    return nprefix == 1 ? prefix : NULL;
}

static const cli_opt *find_short(const cli_spec *s, char c)
{
    for (const cli_opt *o = s->opts; o->name; o++)
        if (o->id && o->short_name == c)
            return o;
    return NULL;
}

static int stop(cli_args *a, int status)
{
    a->status = status;
    return CLI_STOP;
}

/* Takes the option argument arg (argv[i-1]); returns its id or CLI_STOP. */
static int take_option(cli_args *a, char *arg)
{
    const cli_spec *s = a->spec;
    const cli_opt *o;
    char *inline_value = NULL;
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
        cli_print_help(stdout, s);
        return stop(a, 0);
    }
    if (arg[1] == '-') {
        char *eq = strchr(arg, '=');
        size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
        int ambiguous = 0;
        if (eq)
            inline_value = eq + 1;
        if (!(o = find_long(s, arg + 2, len, &ambiguous)))
            return stop(a, cli_usage_error(s, ambiguous ? "option '%.*s' is ambiguous" : "unknown option '%.*s'",
                                           (int)len + 2, arg));
    } else {
        if (!(o = find_short(s, arg[1])))
            return stop(a, cli_usage_error(s, "unknown option '%.2s'", arg));
        if (arg[2])
            inline_value = arg + 2;
    }
    char shown[64];
    if (o->short_name)
        snprintf(shown, sizeof shown, "-%c", o->short_name);
    else
        snprintf(shown, sizeof shown, "--%s", o->name);
    if (!o->value && inline_value)
        return stop(a, cli_usage_error(s, "option '%s' takes no value", shown));
    if (o->value && !inline_value) {
        if (a->i >= a->argc)
            return stop(a, cli_usage_error(s, "option '%s' needs a value", shown));
        inline_value = a->argv[a->i++];
    }
    /* a table has at most 64 entries (options.h); past that, repeats go unchecked */
    unsigned long long bit = o - s->opts < 64 ? 1ull << (o - s->opts) : 0;
    if ((a->seen & bit) && !(o->flags & CLI_REPEAT))
        return stop(a, cli_usage_error(s, "option '%s' is given twice", shown));
    a->seen |= bit;
    a->value = inline_value;
    return o->id;
}

int cli_next(cli_args *a)
{
    while (a->i < a->argc) {
        char *arg = a->argv[a->i++];
        if (!a->only_pos && strcmp(arg, "--") == 0)
            a->only_pos = 1;
        else if (!a->only_pos && arg[0] == '-' && arg[1])
            return take_option(a, arg);
        else
            a->pos[a->npos++] = arg; /* never past argv[i-1]: it only moves arguments forward */
    }
    int most = max_positionals(a->spec);
    if (most >= 0 && a->npos > most)
        return stop(a, cli_usage_error(a->spec, "unexpected argument '%s'%s", a->pos[most],
                                       a->spec->excess ? a->spec->excess : ""));
    a->value = NULL;
    return CLI_DONE;
}
