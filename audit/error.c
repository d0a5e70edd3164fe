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

static void rec_free(ca_problem_rec *p)
{
    free(p->file), free(p->sheet), free(p->column), free(p->value), free(p->message), free(p->text);
    memset(p, 0, sizeof *p);
}

/* FILE[SHEET]:LINE: column "NAME": MESSAGE (value "VALUE"), each part only where known. */
static void format(const ca_problem_rec *p, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = 0;
#define PUT(...) (o += o < len ? (size_t)snprintf(buf + o, len - o, __VA_ARGS__) : 0)
    if (p->file)
        PUT("%s", p->file);
    if (p->file && p->sheet)
        PUT("[%s]", p->sheet);
    if (p->file && p->line > 0)
        PUT(":%ld", p->line);
    if (p->file)
        PUT(": ");
    if (p->file && p->column) /* on the command line the field is the option: the message says which */
        PUT("column \"%s\": ", p->column);
    PUT("%s", p->message ? p->message : "");
    if (p->value)
        PUT(" (value \"%s\")", p->value);
#undef PUT
}

static char *dup_or_null(const char *s, int *ok)
{
    char *d = s ? strdup(s) : NULL;
    if (s && !d)
        *ok = 0;
    return d;
}

static void record(ca_error *err, const ca_where *at, const char *column, const char *value, const char *message)
{
    ca_problem_rec rec = {(char *)(at ? at->file : NULL), (char *)(at ? at->sheet : NULL), (char *)column,
                          (char *)value, (char *)message, at ? at->line : 0, NULL};
    char text[2 * CA_MSG_MAX];
    format(&rec, text, sizeof text);
    rec.text = text;
    err->ntotal++;
    if (err->sink)
        err->sink(err->sink_arg, &rec);
    if (err->nproblems >= CA_MAX_PROBLEMS)
        return;
    int ok = 1;
    ca_problem_rec *p = &err->problems[err->nproblems];
    *p = (ca_problem_rec){dup_or_null(rec.file, &ok),  dup_or_null(rec.sheet, &ok), dup_or_null(column, &ok),
                          dup_or_null(value, &ok),     dup_or_null(message, &ok),   rec.line,
                          dup_or_null(text, &ok)};
    if (ok)
        err->nproblems++;
    else
        rec_free(p); /* out of memory: counted, not kept */
}

void ca_problem_at(ca_error *err, const ca_where *at, const char *column, const char *value, const char *fmt, ...)
{
    if (!err)
        return;
    char msg[CA_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    record(err, at, column, value, msg);
}

void ca_problem_in(ca_error *err, const char *file, long line, const char *column, const char *value,
                   const char *fmt, ...)
{
    if (!err)
        return;
    char msg[CA_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ca_where at = {file, NULL, line};
    record(err, file ? &at : NULL, column, value, msg);
}

void ca_problem(ca_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    char msg[CA_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    record(err, NULL, NULL, NULL, msg);
}

void ca_error_demote(ca_error *err)
{
    char msg[CA_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", err->msg);
    record(err, NULL, NULL, NULL, msg);
    err->status = CA_DONE;
    err->msg[0] = 0;
}

void ca_error_free(ca_error *err)
{
    if (!err)
        return;
    for (int i = 0; i < err->nproblems; i++)
        rec_free(&err->problems[i]);
    ca_problem_sink sink = err->sink;
    void *arg = err->sink_arg;
    memset(err, 0, sizeof *err);
    err->sink = sink, err->sink_arg = arg;
}
