#include "audit/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ca_fail(ca_error *err, int status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->status = status;
    }
    return CA_ERR;
}

void ca_problem(ca_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    err->ntotal++;
    if (err->nproblems >= CA_MAX_PROBLEMS)
        return;
    char buf[CA_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *copy = strdup(buf);
    if (copy)
        err->problems[err->nproblems++] = copy;
}

void ca_error_demote(ca_error *err)
{
    ca_problem(err, "%s", err->msg);
    err->status = CA_DONE;
    err->msg[0] = 0;
}

void ca_error_free(ca_error *err)
{
    if (!err)
        return;
    for (int i = 0; i < err->nproblems; i++)
        free(err->problems[i]);
    memset(err, 0, sizeof *err);
}
