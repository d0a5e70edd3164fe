/* output.c: the command line's files (see output.h); the writers are the library's. */
#include "cmd/output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cli.h"

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        fputs("error: out of memory\n", stderr);
        exit(CA_SYSTEM);
    }
    return q;
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d) {
        fputs("error: out of memory\n", stderr);
        exit(CA_SYSTEM);
    }
    return d;
}

int out_format_parse(const char *s, unsigned allowed, enum out_format *out)
{
    static const char *const names[] = {"table", "csv", "json", "md", "xlsx", "html"};
    for (int i = 0; i < 6; i++)
        if (strcmp(s, names[i]) == 0 && (allowed & OUT_ALLOW(i))) {
            *out = (enum out_format)i;
            return 0;
        }
    char list[128] = "";
    size_t o = 0;
    int n = 0, total = 0;
    for (int i = 0; i < 6; i++)
        total += (allowed & OUT_ALLOW(i)) != 0;
    for (int i = 0; i < 6; i++)
        if (allowed & OUT_ALLOW(i)) {
            n++;
            o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", n == 1 ? "" : n == total ? " or " : ", ",
                                  names[i]);
        }
    return cli_usage_error(NULL, "unknown format '%s' (expected %s)", s, list);
}

/* ---- files written safely ---- */

int out_open(out_file *of, const char *path)
{
    memset(of, 0, sizeof *of);
    if (!path || strcmp(path, "-") == 0) {
        of->f = stdout;
        return 0;
    }
    of->path = xstrdup(path);
    of->tmp = xrealloc(NULL, strlen(path) + 16);
    sprintf(of->tmp, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(of->tmp); /* mode 0600 */
    if (fd < 0 || !(of->f = fdopen(fd, "w"))) {
        int e = errno;
        if (fd >= 0)
            close(fd), unlink(of->tmp);
        free(of->tmp), free(of->path);
        of->tmp = of->path = NULL;
        return cli_error(CA_SYSTEM, "cannot write '%s': %s", path, strerror(e));
    }
    return 0;
}

int out_close(out_file *of, int ok)
{
    int rc = 0;
    if (!of->path) {
        if (fflush(stdout) != 0)
            rc = cli_error(CA_SYSTEM, "cannot write the output: %s", strerror(errno));
        return rc;
    }
    if (fflush(of->f) != 0 || fsync(fileno(of->f)) != 0)
        ok = ok ? (rc = cli_error(CA_SYSTEM, "cannot write '%s': %s", of->path, strerror(errno)), 0) : 0;
    if (fclose(of->f) != 0 && ok)
        ok = 0, rc = cli_error(CA_SYSTEM, "cannot write '%s': %s", of->path, strerror(errno));
    if (ok && rename(of->tmp, of->path) != 0)
        ok = 0, rc = cli_error(CA_SYSTEM, "cannot write '%s': %s", of->path, strerror(errno));
    if (!ok)
        unlink(of->tmp);
    free(of->tmp);
    free(of->path);
    memset(of, 0, sizeof *of);
    return rc;
}

/* ---- xlsx through a temporary file ---- */

struct out_xlsx {
    xlsx_book *book;
    char *path, *tmp;
};

out_xlsx *out_xlsx_open(const char *path)
{
    out_xlsx *x = xrealloc(NULL, sizeof *x);
    x->path = xstrdup(path);
    x->tmp = xrealloc(NULL, strlen(path) + 24);
    sprintf(x->tmp, "%s.tmp-XXXXXX.xlsx", path);
    /* Create it 0600 under a name no one can guess first: libxlsxwriter would open
     * it with the default mode. */
    int fd = mkstemps(x->tmp, 5);
    if (fd < 0 || fchmod(fd, 0600) != 0) {
        cli_error(CA_SYSTEM, "cannot write '%s': %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        free(x->tmp), free(x->path), free(x);
        return NULL;
    }
    close(fd);
    ca_error err = CA_ERROR_INIT;
    if (!(x->book = xlsx_book_open(x->tmp, &err))) {
        cli_error(CA_SYSTEM, "cannot write '%s'", path);
        ca_error_free(&err);
        unlink(x->tmp);
        free(x->tmp), free(x->path), free(x);
        return NULL;
    }
    return x;
}

int out_xlsx_sheet(out_xlsx *x, const char *name, const out_table *t)
{
    ca_error err = CA_ERROR_INIT;
    int rc = 0;
    if (xlsx_book_sheet(x->book, name, t, &err) != CA_OK)
        rc = cli_error(CA_SYSTEM, "%s in '%s'", err.msg, x->path);
    ca_error_free(&err);
    return rc;
}

int out_xlsx_close(out_xlsx *x, int ok)
{
    ca_error err = CA_ERROR_INIT;
    int rc = 0;
    if (xlsx_book_close(x->book, &err) != CA_OK && ok)
        ok = 0, rc = cli_error(CA_SYSTEM, "cannot write '%s': %s", x->path, err.msg);
    ca_error_free(&err);
    if (ok && (chmod(x->tmp, 0600) != 0 || rename(x->tmp, x->path) != 0))
        ok = 0, rc = cli_error(CA_SYSTEM, "cannot write '%s': %s", x->path, strerror(errno));
    if (!ok)
        unlink(x->tmp);
    free(x->tmp);
    free(x->path);
    free(x);
    return rc;
}
