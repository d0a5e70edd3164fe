#include "audit/xlsxread.h"

#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "audit/date.h"

enum { BLOCK = 1 << 16, GRACE = 1 << 20, MB = 1 << 20 };
#define EMPTY SIZE_MAX

/* What stopped the parser from inside a handler. */
enum stop { STOP_NONE, STOP_DTD, STOP_NOMEM, STOP_TOOBIG, STOP_BADREF };

enum ctype { T_NUM, T_SHARED, T_INLINE, T_STR, T_BOOL, T_ERROR, T_DATE, T_OTHER };

struct sheet {
    char *name, *rid, *part;
};

enum reltype { REL_OTHER, REL_STYLES, REL_STRINGS };

struct rel {
    char *id, *target;
    enum reltype type;
};

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

/* A text buffer that grows up to a cap. */
struct text {
    char *s;
    size_t n, cap;
};

struct xlsxr {
    char *path;
    zip_t *zip;
    struct sheet *sheets;
    int nsheets;
    int date1904;
    unsigned char *xf_date; /* per cellXfs index: the style shows a date */
    int nxf;
    /* shared strings, each NUL-terminated in one buffer */
    struct text sst;
    uint32_t *soff;               /* offsets into sst: it holds at most 256 MiB */
    long nsst, capsst;

    /* the part being parsed */
    XML_Parser p;
    zip_file_t *zf;
    zip_uint64_t comp, got, cap;
    const char *part;
    int final, suspended;
    enum stop stop;
    /* parse state of the small parts */
    struct rel *rels;
    int nrels;
    char *office;                 /* the workbook part, from _rels/.rels */
    struct { int id, date; } *fmts; /* custom number formats */
    int nfmts;
    int depth_xfs, in_si, in_t, in_rph;
    struct text text;             /* the character data being collected */

    /* the sheet being read */
    int cur;
    int broken;
    ca_error broken_err;
    long rownum, nextrow;
    int row_ready, done, in_row, in_c, in_v, in_is, has_v, has_f;
    enum ctype ctype;
    long cstyle;
    int ccol, lastcol;
    struct text row;              /* field text of the row */
    size_t *foff;
    int nf, capf;
    int cell_errors;
    char cell_msg[CA_MSG_MAX];
    int seen_root, plen;          /* the worksheet element's namespace prefix ("x:") */
    char pfx[16];
};

/* ---- small helpers ---- */

/* An element's name without its namespace prefix ("x:row" -> "row"). Namespaces
 * are not resolved: expat's namespace processing costs a tenth of the reading,
 * and no part mixes two vocabularies that share local names. */
static const char *local(const char *name)
{
    const char *b = strchr(name, ':');
    return b ? b + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2)
        if (strcmp(atts[i], name) == 0)
            return atts[i + 1];
    return NULL;
}

/* A whole decimal number of at most 9 digits, or -1: cheaper than strtol for the
 * millions of row numbers, styles and string indexes of a sheet. */
static long digits(const char *s)
{
    long v = 0;
    int n = 0;
    for (; *s >= '0' && *s <= '9' && n < 9; s++, n++)
        v = v * 10 + (*s - '0');
    return n && !*s ? v : -1;
}

static int text_add(struct text *t, const char *s, size_t n, size_t cap)
{
    if (t->n + n + 1 > cap)
        return STOP_TOOBIG;
    if (t->n + n + 1 > t->cap) {
        size_t c = t->cap ? t->cap : 256;
        while (c < t->n + n + 1)
            c *= 2;
        char *q = realloc(t->s, c);
        if (!q)
            return STOP_NOMEM;
        t->s = q;
        t->cap = c;
    }
    memcpy(t->s + t->n, s, n);
    t->n += n;
    t->s[t->n] = 0;
    return 0;
}

static void halt(xlsxr *r, enum stop why)
{
    if (r->stop == STOP_NONE)
        r->stop = why;
    XML_StopParser(r->p, XML_FALSE);
}

static void on_text(void *data, const char *s, int len)
{
    xlsxr *r = data;
    if (!r->in_t && !r->in_v)
        return;
    int e = text_add(&r->text, s, (size_t)len, XLSXR_MAX_ROW_BYTES);
    if (e)
        halt(r, e);
}

/* Strings in OOXML escape control characters as _xHHHH_ (ECMA-376 ST_Xstring):
 * decode them in place, as Excel shows them. */
static void unescape_x(struct text *t)
{
    char *s = t->s, *o = s;
    if (!s || !strstr(s, "_x"))
        return;
    for (size_t i = 0; i < t->n;) {
        unsigned v;
        if (s[i] == '_' && i + 7 <= t->n && s[i + 1] == 'x' && s[i + 6] == '_' &&
            strspn(s + i + 2, "0123456789abcdefABCDEF") >= 4 && sscanf(s + i + 2, "%4x", &v) == 1 && v < 0x800) {
            if (v < 0x80) {
                *o++ = (char)v;
            } else {
                *o++ = (char)(0xc0 | (v >> 6));
                *o++ = (char)(0x80 | (v & 0x3f));
            }
            i += 7;
        } else {
            *o++ = s[i++];
        }
    }
    *o = 0;
    t->n = (size_t)(o - s);
}

/* ---- the doctype guard, shared by every part ---- */

static void on_doctype(void *data, const char *name, const char *sys, const char *pub, int internal)
{
    (void)name, (void)sys, (void)pub, (void)internal;
    halt(data, STOP_DTD);
}

static void on_entity(void *data, const char *name, int param, const char *value, int len, const char *base,
                      const char *sys, const char *pub, const char *notation)
{
    (void)name, (void)param, (void)value, (void)len, (void)base, (void)sys, (void)pub, (void)notation;
    halt(data, STOP_DTD);
}

static int new_parser(xlsxr *r, XML_StartElementHandler start, XML_EndElementHandler end, ca_error *err)
{
    if (r->p)
        XML_ParserFree(r->p);
    /* expat allocates through our malloc, so that its out of memory is tested as ours */
    static const XML_Memory_Handling_Suite mm = {malloc, realloc, free};
    r->p = XML_ParserCreate_MM(NULL, &mm, NULL);
    if (!r->p)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    XML_SetUserData(r->p, r);
    XML_SetStartDoctypeDeclHandler(r->p, on_doctype);
    XML_SetEntityDeclHandler(r->p, on_entity);
    XML_SetElementHandler(r->p, start, end);
    XML_SetCharacterDataHandler(r->p, on_text);
    r->stop = STOP_NONE;
    r->text.n = 0;
    r->in_t = r->in_v = 0;
    return CA_OK;
}

/* ---- reading a part of the zip in blocks, with the caps ---- */

static void part_close(xlsxr *r)
{
    if (r->zf)
        zip_fclose(r->zf);
    r->zf = NULL;
}

static int damaged(xlsxr *r, const char *what, ca_error *err)
{
    return ca_fail(err, CA_REFUSED,
                   "%s: the workbook is damaged or incomplete (%s); copy it again, or open it in Excel and save it "
                   "again as .xlsx",
                   r->path, what);
}

/* A libzip error: out of memory is a system error, anything else damage. */
static int zip_failed(xlsxr *r, zip_error_t *e, ca_error *err)
{
    if (zip_error_code_zip(e) == ZIP_ER_MEMORY)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    return damaged(r, zip_error_strerror(e), err);
}

/* Opens PART (a zip entry name); *found is 0 when there is no such part. */
static int part_open(xlsxr *r, const char *part, zip_uint64_t cap_mb, int *found, ca_error *err)
{
    part_close(r);
    *found = 0;
    zip_int64_t idx = zip_name_locate(r->zip, part, ZIP_FL_NOCASE);
    if (idx < 0)
        return CA_OK;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(r->zip, (zip_uint64_t)idx, 0, &st) != 0)
        return zip_failed(r, zip_get_error(r->zip), err);
    r->cap = cap_mb * MB;
    r->comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    if ((st.valid & ZIP_STAT_SIZE) && st.size > r->cap)
        return ca_fail(err, CA_REFUSED, "%s: part '%s' is %llu MiB uncompressed, over the limit of %llu MiB; "
                       "a real workbook is never so large: save the list as CSV instead",
                       r->path, part, (unsigned long long)(st.size / MB), (unsigned long long)cap_mb);
    if ((st.valid & ZIP_STAT_SIZE) && st.size > GRACE && st.size / (r->comp ? r->comp : 1) > XLSXR_MAX_RATIO)
        return ca_fail(err, CA_REFUSED, "%s: part '%s' would expand %llu times (limit %d): the file looks like "
                       "a zip bomb and is not read", r->path, part,
                       (unsigned long long)(st.size / (r->comp ? r->comp : 1)), XLSXR_MAX_RATIO);
    r->zf = zip_fopen_index(r->zip, (zip_uint64_t)idx, 0);
    if (!r->zf)
        return zip_failed(r, zip_get_error(r->zip), err);
    r->part = part;
    r->got = 0;
    r->final = 0;
    r->suspended = 0;
    *found = 1;
    return CA_OK;
}

/* Reads the next block into buf: its length (0 at the end), or CA_ERR. */
static long part_read(xlsxr *r, void *buf, ca_error *err)
{
    zip_int64_t n = zip_fread(r->zf, buf, BLOCK);
    if (n < 0)
        return zip_failed(r, zip_file_get_error(r->zf), err);
    r->got += (zip_uint64_t)n;
    if (r->got > r->cap)
        return ca_fail(err, CA_REFUSED, "%s: part '%s' is over the limit of %llu MiB uncompressed; a real "
                       "workbook is never so large: save the list as CSV instead",
                       r->path, r->part, (unsigned long long)(r->cap / MB));
    if (r->got > GRACE && r->got / (r->comp ? r->comp : 1) > XLSXR_MAX_RATIO)
        return ca_fail(err, CA_REFUSED, "%s: part '%s' expands more than %d times: the file looks like a zip "
                       "bomb and is not read", r->path, r->part, XLSXR_MAX_RATIO);
    return (long)n;
}

/* Reads the next block straight into the parser's buffer (no copy) and parses it;
 * r->final is set at the end of the part. Expat holds an unfinished tag whole,
 * however long (text it hands on in pieces), so a tag longer than any real one
 * is refused here: memory stays bounded whatever the file. */
static int feed(xlsxr *r, enum XML_Status *st, ca_error *err)
{
    void *buf = XML_GetBuffer(r->p, BLOCK);
    if (!buf)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    long n = part_read(r, buf, err);
    if (n < 0)
        return CA_ERR;
    r->final = n == 0;
    *st = XML_ParseBuffer(r->p, (int)n, r->final);
    XML_Index at = XML_GetCurrentByteIndex(r->p);
    if (*st != XML_STATUS_ERROR && at >= 0 && r->got - (zip_uint64_t)at > 2 * (zip_uint64_t)XLSXR_MAX_ROW_BYTES) {
        r->stop = STOP_TOOBIG;
        *st = XML_STATUS_ERROR;
    }
    return CA_OK;
}

/* The message for a parse that failed; `where` names the place. */
static int parse_failed(xlsxr *r, const char *where, ca_error *err)
{
    switch (r->stop) {
    case STOP_DTD:
        return ca_fail(err, CA_REFUSED, "%s: part '%s' declares a DTD or entities, which no spreadsheet writes; "
                       "the file is not read (open it in Excel and save it again as .xlsx)", where, r->part);
    case STOP_NOMEM: return ca_fail(err, CA_SYSTEM, "out of memory");
    case STOP_TOOBIG:
        return ca_fail(err, CA_REFUSED, "%s: part '%s' is larger than any real workbook (a row or a string over "
                       "%d MiB, a tag over twice that, or over %d shared strings, %d sheets or 65,536 formats); "
                       "save the list as CSV instead", where, r->part, XLSXR_MAX_ROW_BYTES / MB, XLSXR_MAX_STRINGS, XLSXR_MAX_SHEETS);
    case STOP_BADREF:
        return ca_fail(err, CA_REFUSED, "%s: a cell reference is not a cell of a worksheet; the workbook is "
                       "damaged: open it in Excel and save it again", where);
    case STOP_NONE: break;
    }
    if (XML_GetErrorCode(r->p) == XML_ERROR_NO_MEMORY)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    return ca_fail(err, CA_REFUSED, "%s: part '%s' is not well-formed XML (line %lu: %s); the workbook is "
                   "damaged: open it in Excel and save it again as .xlsx", where, r->part,
                   (unsigned long)XML_GetCurrentLineNumber(r->p), XML_ErrorString(XML_GetErrorCode(r->p)));
}

/* Parses a whole part with the handlers given; a missing part is an error only
 * when required. */
static int parse_part(xlsxr *r, const char *part, int cap_mb, int required, XML_StartElementHandler start,
                      XML_EndElementHandler end, ca_error *err)
{
    int found;
    if (part_open(r, part, (zip_uint64_t)cap_mb, &found, err) != CA_OK)
        return CA_ERR;
    if (!found) {
        if (!required)
            return CA_OK;
        char what[300];
        snprintf(what, sizeof what, "it has no part '%.256s'", part);
        return damaged(r, what, err);
    }
    if (new_parser(r, start, end, err) != CA_OK)
        return CA_ERR;
    do {
        enum XML_Status st = XML_STATUS_ERROR;
        if (feed(r, &st, err) != CA_OK)
            return CA_ERR;
        if (st != XML_STATUS_OK)
            return parse_failed(r, r->path, err);
    } while (!r->final);
    part_close(r);
    return CA_OK;
}

/* ---- relationships and the workbook ---- */

static void free_rels(xlsxr *r)
{
    for (int i = 0; i < r->nrels; i++)
        free(r->rels[i].id), free(r->rels[i].target);
    free(r->rels);
    r->rels = NULL;
    r->nrels = 0;
}

static void rels_start(void *data, const char *name, const char **atts)
{
    xlsxr *r = data;
    const char *id = attr(atts, "Id"), *target = attr(atts, "Target"), *type = attr(atts, "Type");
    if (strcmp(local(name), "Relationship") != 0 || !id || !target)
        return;
    const char *mode = attr(atts, "TargetMode");
    if (mode && strcmp(mode, "External") == 0)
        return;
    if (type && !r->office && ends_with(type, "/officeDocument") && !(r->office = strdup(target)))
        return halt(r, STOP_NOMEM);
    if (r->nrels >= 4 * XLSXR_MAX_SHEETS)
        return halt(r, STOP_TOOBIG);
    struct rel *q = realloc(r->rels, sizeof *q * (size_t)(r->nrels + 1));
    if (!q)
        return halt(r, STOP_NOMEM);
    r->rels = q;
    q[r->nrels].id = strdup(id);
    q[r->nrels].target = strdup(target);
    q[r->nrels].type = !type                            ? REL_OTHER
                       : ends_with(type, "/styles")        ? REL_STYLES
                       : ends_with(type, "/sharedStrings") ? REL_STRINGS
                                                           : REL_OTHER;
    if (!q[r->nrels].id || !q[r->nrels].target) {
        free(q[r->nrels].id), free(q[r->nrels].target);
        return halt(r, STOP_NOMEM);
    }
    r->nrels++;
}

static void no_end(void *data, const char *name) { (void)data, (void)name; }

/* The zip entry name of TARGET, relative to the folder DIR ("xl/") or absolute. */
static char *resolve(const char *dir, const char *target)
{
    size_t nd = strlen(dir), nt = strlen(target);
    char *out = malloc(nd + nt + 1);
    if (!out)
        return NULL;
    if (target[0] == '/') {
        memcpy(out, target + 1, nt);
        return out;
    }
    memcpy(out, dir, nd);
    out[nd] = 0;
    while (strncmp(target, "../", 3) == 0) {
        target += 3;
        if (nd > 0) /* drop the last folder: "xl/sub/" -> "xl/" */
            for (nd--; nd > 0 && out[nd - 1] != '/'; nd--)
                ;
        out[nd] = 0;
    }
    if (strncmp(target, "./", 2) == 0)
        target += 2;
    strcpy(out + nd, target);
    return out;
}

static void workbook_start(void *data, const char *name, const char **atts)
{
    xlsxr *r = data;
    const char *l = local(name);
    if (strcmp(l, "workbookPr") == 0) {
        const char *d = attr(atts, "date1904");
        r->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
        return;
    }
    if (strcmp(l, "sheet") != 0)
        return;
    const char *sname = attr(atts, "name"), *rid = NULL;
    for (int i = 0; atts[i]; i += 2)
        if (strchr(atts[i], ':') && strcmp(local(atts[i]), "id") == 0) /* r:id */
            rid = atts[i + 1];
    if (!sname || !rid)
        return;
    if (r->nsheets >= XLSXR_MAX_SHEETS)
        return halt(r, STOP_TOOBIG);
    struct sheet *q = realloc(r->sheets, sizeof *q * (size_t)(r->nsheets + 1));
    if (!q)
        return halt(r, STOP_NOMEM);
    r->sheets = q;
    q[r->nsheets] = (struct sheet){strdup(sname), strdup(rid), NULL};
    if (!q[r->nsheets].name || !q[r->nsheets].rid) {
        free(q[r->nsheets].name), free(q[r->nsheets].rid);
        return halt(r, STOP_NOMEM);
    }
    r->nsheets++;
}

/* The folder of a part name, with its slash ("xl/" for "xl/workbook.xml"). */
static char *folder(const char *part)
{
    const char *slash = strrchr(part, '/');
    size_t n = slash ? (size_t)(slash - part) + 1 : 0;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, part, n);
        d[n] = 0;
    }
    return d;
}

/* The rels part of a part: xl/workbook.xml -> xl/_rels/workbook.xml.rels. */
static char *rels_of(const char *part)
{
    const char *base = strrchr(part, '/');
    base = base ? base + 1 : part;
    size_t nd = (size_t)(base - part);
    char *out = malloc(strlen(part) + 12);
    if (out)
        sprintf(out, "%.*s_rels/%s.rels", (int)nd, part, base);
    return out;
}

static int read_sheet_list(xlsxr *r, const char *wb, ca_error *err)
{
    if (parse_part(r, wb, XLSXR_MAX_PART_MB, 1, workbook_start, no_end, err) != CA_OK)
        return CA_ERR;
    free_rels(r);
    char *rels = rels_of(wb), *dir = folder(wb);
    int rc = rels && dir ? parse_part(r, rels, XLSXR_MAX_PART_MB, 1, rels_start, no_end, err)
                         : ca_fail(err, CA_SYSTEM, "out of memory");
    for (int s = 0; rc == CA_OK && s < r->nsheets; s++) {
        for (int i = 0; i < r->nrels && !r->sheets[s].part; i++)
            if (strcmp(r->rels[i].id, r->sheets[s].rid) == 0 && !(r->sheets[s].part = resolve(dir, r->rels[i].target)))
                rc = ca_fail(err, CA_SYSTEM, "out of memory");
    }
    free(rels);
    free(dir);
    return rc;
}

/* ---- styles: which cell formats show dates ---- */

int xlsxr_format_is_date(const char *code)
{
    int date = 0, month = 0, time = 0;
    for (const char *p = code; *p; p++) {
        switch (*p) {
        case '"':
            p = strchr(p + 1, '"');
            if (!p)
                return 0;
            break;
        case '\\': case '_': case '*':
            if (!*++p)
                return 0;
            break;
        case '[': {
            /* [h], [mm], [ss] are elapsed time; [Red], [$-809], [>=100] show nothing. */
            const char *e = strchr(p, ']');
            if (!e)
                return 0;
            if (p[1] == 'h' || p[1] == 'H' || p[1] == 'm' || p[1] == 'M' || p[1] == 's' || p[1] == 'S')
                time = 1;
            p = e;
            break;
        }
        case 'd': case 'D': case 'y': case 'Y': date = 1; break;
        case 'm': case 'M': month = 1; break;
        case 'h': case 'H': case 's': case 'S': time = 1; break;
        case ';': goto done; /* the first section decides */
        default: break;
        }
    }
done:
    return date || (month && !time);
}

static int builtin_date(int id)
{
    /* ECMA-376 18.8.30: 14-17 and 22 are dates (18-21 and 45-47 times only);
     * 27-36 and 50-58 are the East Asian date formats. */
    return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
}

static void styles_start(void *data, const char *name, const char **atts)
{
    xlsxr *r = data;
    const char *l = local(name);
    if (strcmp(l, "cellXfs") == 0) {
        r->depth_xfs = 1;
    } else if (strcmp(l, "numFmt") == 0) {
        const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
        if (!id || !code || r->nfmts >= 65536)
            return;
        void *q = realloc(r->fmts, sizeof *r->fmts * (size_t)(r->nfmts + 1));
        if (!q)
            return halt(r, STOP_NOMEM);
        r->fmts = q;
        r->fmts[r->nfmts].id = atoi(id);
        r->fmts[r->nfmts++].date = xlsxr_format_is_date(code);
    } else if (strcmp(l, "xf") == 0 && r->depth_xfs) {
        const char *id = attr(atts, "numFmtId");
        int fid = id ? atoi(id) : 0, date = -1;
        for (int i = r->nfmts - 1; i >= 0 && date < 0; i--)
            if (r->fmts[i].id == fid)
                date = r->fmts[i].date;
        if (date < 0)
            date = builtin_date(fid);
        if (r->nxf >= 1 << 20)
            return halt(r, STOP_TOOBIG);
        unsigned char *q = realloc(r->xf_date, (size_t)r->nxf + 1);
        if (!q)
            return halt(r, STOP_NOMEM);
        r->xf_date = q;
        r->xf_date[r->nxf++] = (unsigned char)date;
    }
}

static void styles_end(void *data, const char *name)
{
    xlsxr *r = data;
    if (strcmp(local(name), "cellXfs") == 0)
        r->depth_xfs = 0;
}

/* ---- shared strings ---- */

static void sst_start(void *data, const char *name, const char **atts)
{
    (void)atts;
    xlsxr *r = data;
    const char *l = local(name);
    if (strcmp(l, "si") == 0) {
        r->in_si = 1;
        r->text.n = 0;
    } else if (strcmp(l, "rPh") == 0) {
        r->in_rph = 1; /* phonetic hints: not part of the text Excel shows */
    } else if (strcmp(l, "t") == 0 && r->in_si && !r->in_rph) {
        r->in_t = 1;
    }
}

static void sst_end(void *data, const char *name)
{
    xlsxr *r = data;
    const char *l = local(name);
    if (strcmp(l, "t") == 0) {
        r->in_t = 0;
    } else if (strcmp(l, "rPh") == 0) {
        r->in_rph = 0;
    } else if (strcmp(l, "si") == 0 && r->in_si) {
        r->in_si = 0;
        unescape_x(&r->text);
        if (r->nsst >= XLSXR_MAX_STRINGS)
            return halt(r, STOP_TOOBIG);
        if (r->nsst >= r->capsst) {
            long c = r->capsst ? r->capsst * 2 : 1024;
            uint32_t *q = realloc(r->soff, sizeof *q * (size_t)c);
            if (!q)
                return halt(r, STOP_NOMEM);
            r->soff = q;
            r->capsst = c;
        }
        r->soff[r->nsst++] = (uint32_t)r->sst.n;
        int e = text_add(&r->sst, r->text.s ? r->text.s : "", r->text.n, (size_t)XLSXR_MAX_STRINGS_MB * MB);
        if (e)
            return halt(r, e);
        r->sst.n++; /* keep the terminator text_add wrote */
        r->text.n = 0;
    }
}

/* ---- opening ---- */

static int check_signature(const char *path, ca_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ca_fail(err, errno == ENOENT || errno == EACCES ? CA_REFUSED : CA_SYSTEM, "cannot open '%s': %s",
                       path, strerror(errno));
    unsigned char sig[8] = {0};
    size_t n = fread(sig, 1, sizeof sig, f);
    fclose(f);
    if (n >= 4 && memcmp(sig, "PK\3\4", 4) == 0)
        return CA_OK;
    if (n == 8 && memcmp(sig, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0)
        return ca_fail(err, CA_REFUSED, "%s: this is an Excel 97-2003 (.xls) workbook or an encrypted one, which "
                       "caseaudit does not read: open it in Excel and save it as .xlsx (Excel Workbook) without "
                       "a password, or as CSV UTF-8", path);
    return ca_fail(err, CA_REFUSED, "%s: not an .xlsx workbook (the file is not a zip archive): if it is a CSV "
                   "file, name it .csv; otherwise open it in Excel and save it as .xlsx or as CSV UTF-8", path);
}

static int open_zip(xlsxr *r, ca_error *err)
{
    int ze = 0;
    r->zip = zip_open(r->path, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (r->zip)
        return CA_OK;
    zip_error_t e;
    zip_error_init_with_code(&e, ze);
    char what[256];
    snprintf(what, sizeof what, "%s", zip_error_strerror(&e));
    zip_error_fini(&e);
    if (ze == ZIP_ER_MEMORY)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    if (ze == ZIP_ER_OPEN || ze == ZIP_ER_READ)
        return ca_fail(err, CA_SYSTEM, "cannot read '%s': %s", r->path, what);
    return damaged(r, what, err);
}

/* The styles and shared strings parts of the workbook part wb: the names its
 * relationships give, else the usual ones. Owned by the caller. */
static int find_parts(xlsxr *r, const char *wb, char **styles, char **strings, ca_error *err)
{
    char *dir = folder(wb);
    *styles = dir ? resolve(dir, "styles.xml") : NULL;
    *strings = dir ? resolve(dir, "sharedStrings.xml") : NULL;
    int ok = dir && *styles && *strings;
    for (int i = 0; ok && i < r->nrels; i++)
        if (r->rels[i].type != REL_OTHER) {
            char **slot = r->rels[i].type == REL_STYLES ? styles : strings;
            free(*slot);
            ok = (*slot = resolve(dir, r->rels[i].target)) != NULL;
        }
    free(dir);
    return ok ? CA_OK : ca_fail(err, CA_SYSTEM, "out of memory");
}

int xlsxr_open(xlsxr **out, const char *path, ca_error *err)
{
    *out = NULL;
    if (check_signature(path, err) != CA_OK)
        return CA_ERR;
    xlsxr *r = calloc(1, sizeof *r);
    if (!r)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    r->cur = -1;
    if (!(r->path = strdup(path))) {
        xlsxr_close(r);
        return ca_fail(err, CA_SYSTEM, "out of memory");
    }
    int rc = open_zip(r, err);
    if (rc == CA_OK)
        rc = parse_part(r, "_rels/.rels", XLSXR_MAX_PART_MB, 0, rels_start, no_end, err);
    const char *wb = r->office ? r->office + (r->office[0] == '/') : "xl/workbook.xml";
    if (rc == CA_OK)
        rc = read_sheet_list(r, wb, err);
    char *styles = NULL, *strings = NULL;
    if (rc == CA_OK)
        rc = find_parts(r, wb, &styles, &strings, err);
    if (rc == CA_OK)
        rc = parse_part(r, styles, XLSXR_MAX_PART_MB, 0, styles_start, styles_end, err);
    if (rc == CA_OK)
        rc = parse_part(r, strings, XLSXR_MAX_STRINGS_MB, 0, sst_start, sst_end, err);
    free(styles), free(strings);
    free_rels(r);
    if (rc != CA_OK) {
        xlsxr_close(r);
        return CA_ERR;
    }
    *out = r;
    return CA_OK;
}

void xlsxr_close(xlsxr *r)
{
    if (!r)
        return;
    part_close(r);
    if (r->p)
        XML_ParserFree(r->p);
    if (r->zip)
        zip_discard(r->zip);
    for (int i = 0; i < r->nsheets; i++)
        free(r->sheets[i].name), free(r->sheets[i].rid), free(r->sheets[i].part);
    free(r->sheets);
    free_rels(r);
    free(r->office);
    free(r->fmts);
    free(r->xf_date);
    free(r->sst.s);
    free(r->soff);
    free(r->text.s);
    free(r->row.s);
    free(r->foff);
    free(r->path);
    ca_error_free(&r->broken_err);
    free(r);
}

int xlsxr_sheets(const xlsxr *r) { return r->nsheets; }
const char *xlsxr_sheet_name(const xlsxr *r, int i) { return i >= 0 && i < r->nsheets ? r->sheets[i].name : NULL; }
const char *xlsxr_path(const xlsxr *r) { return r->path; }
const char *xlsxr_sheet(const xlsxr *r) { return r->cur >= 0 ? r->sheets[r->cur].name : ""; }
int xlsxr_date1904(const xlsxr *r) { return r->date1904; }
int xlsxr_count(const xlsxr *r) { return r->nf; }
long xlsxr_row(const xlsxr *r) { return r->rownum; }
int xlsxr_broken(const xlsxr *r) { return r->broken; }

const char *xlsxr_field(const xlsxr *r, int i)
{
    return i >= 0 && i < r->nf && r->foff[i] != EMPTY ? r->row.s + r->foff[i] : "";
}

/* ---- numbers and dates ---- */

int xlsxr_serial_date(double serial, int date1904, char out[11])
{
    if (!(serial >= 0) || serial >= 2958466) /* 2958465 is 9999-12-31 */
        return CA_ERR;
    long s = (long)floor(serial);
    ca_day day;
    if (date1904)
        day = (ca_day)(s - 24107); /* serial 0 is 1904-01-01 */
    else if (s == 0 || s == 60)    /* 0 is "0 January 1900", 60 the 29 February 1900 that never was */
        return CA_ERR;
    else /* Lotus counted 1900 as a leap year: before serial 60, serial 1 is 1900-01-01 */
        day = (ca_day)(s < 60 ? s - 25568 : s - 25569);
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    if (y > 9999)
        return CA_ERR;
    date_iso(day, out);
    return CA_OK;
}

/* The text of a number as Excel's General format shows it, but with every digit
 * of an integer below 2^53 (an id stored as a number is its digits); out NULL:
 * only the number. */
static int number_text(const char *s, double *x, char *out, size_t n)
{
    char *end;
    errno = 0;
    *x = strtod(s, &end);
    while (end != s && (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
        end++;
    if (end == s || *end || !isfinite(*x) || strpbrk(s, "xXnN")) /* no hex, inf or nan */
        return CA_ERR;
    if (!out)
        return CA_OK;
    if (*x == floor(*x) && fabs(*x) < 9007199254740992.0)
        snprintf(out, n, "%.0f", *x == 0 ? 0.0 : *x);
    else
        snprintf(out, n, "%.15g", *x);
    return CA_OK;
}

/* ---- the sheet ---- */

static void ref_name(int col, long row, char out[16])
{
    char letters[4];
    int n = 0;
    for (int c = col + 1; c > 0 && n < 3; c = (c - 1) / 26)
        letters[n++] = (char)('A' + (c - 1) % 26);
    int o = 0;
    while (n > 0)
        out[o++] = letters[--n];
    snprintf(out + o, (size_t)(16 - o), "%ld", row);
}

static void cell_error(xlsxr *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cell_error(xlsxr *r, const char *fmt, ...)
{
    if (r->cell_errors++)
        return;
    char ref[16];
    ref_name(r->ccol, r->rownum, ref);
    int o = snprintf(r->cell_msg, sizeof r->cell_msg, "%s[%s]:%s: ", r->path, r->sheets[r->cur].name, ref);
    if (o < 0 || (size_t)o >= sizeof r->cell_msg)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->cell_msg + o, sizeof r->cell_msg - (size_t)o, fmt, ap);
    va_end(ap);
}

/* "C5" -> column 2 (0-based); CA_ERR when it is no cell reference. */
static int parse_ref(const char *ref, int *col)
{
    int c = 0, n = 0;
    for (; (*ref >= 'A' && *ref <= 'Z') || (*ref >= 'a' && *ref <= 'z'); ref++, n++)
        c = c * 26 + ((*ref | 0x20) - 'a' + 1);
    if (n < 1 || n > 3 || c > XLSXR_MAX_COLS || *ref < '0' || *ref > '9' || strspn(ref, "0123456789") != strlen(ref))
        return CA_ERR;
    *col = c - 1;
    return CA_OK;
}

static void set_field(xlsxr *r, const char *s, size_t n)
{
    if (n == 0)
        return;
    int col = r->ccol;
    if (col >= r->capf) {
        int c = r->capf ? r->capf : 32;
        while (c <= col)
            c *= 2;
        size_t *q = realloc(r->foff, sizeof *q * (size_t)c);
        if (!q)
            return halt(r, STOP_NOMEM);
        r->foff = q;
        r->capf = c;
    }
    for (; r->nf <= col; r->nf++)
        r->foff[r->nf] = EMPTY;
    size_t at = r->row.n;
    int e = text_add(&r->row, s, n, XLSXR_MAX_ROW_BYTES);
    if (e)
        return halt(r, e);
    r->row.n++; /* keep the terminator */
    r->foff[col] = at;
}

/* 1 when v is an integer as Excel writes it, to be kept as it is: digits without
 * a leading zero, at most 15 (below 2^53). */
static int plain_integer(const char *v)
{
    const char *d = v + (v[0] == '-');
    size_t n = strspn(d, "0123456789");
    return n > 0 && n <= 15 && !d[n] && (d[0] != '0' || (n == 1 && d == v));
}

static void number_cell(xlsxr *r, const char *v)
{
    char out[64];
    double x;
    int date = r->cstyle >= 0 && r->cstyle < r->nxf && r->xf_date[r->cstyle];
    if (!date && plain_integer(v))
        return set_field(r, v, r->text.n);
    long whole = date ? digits(v) : -1; /* a serial date as Excel writes it */
    if (whole >= 0)
        x = (double)whole;
    else if (number_text(v, &x, date ? NULL : out, sizeof out) != CA_OK)
        return cell_error(r, "the value \"%.64s\" is not a number; the workbook is damaged: open it in Excel and "
                          "save it again", v);
    if (date && xlsxr_serial_date(x, r->date1904, out) != CA_OK)
        return cell_error(r, x >= 60 && x < 61 && !r->date1904
                                 ? "the date 29/02/1900 never was (Excel's day 60): type the real date"
                                 : "the value %s in a date format is not a date: type the real date", v);
    set_field(r, out, strlen(out));
}

static void finish_cell(xlsxr *r)
{
    const char *v = r->text.n && r->has_v ? r->text.s : "";
    /* openpyxl writes a formula it could not calculate with an empty <v/>; an
     * empty string result is <v/> too, but only with t="str". */
    if ((!r->has_v || (!v[0] && r->ctype != T_STR)) && r->ctype != T_INLINE) {
        if (r->has_f)
            cell_error(r, "the formula in this cell has no calculated value (the program that wrote the file "
                          "did not calculate it): open the workbook in Excel or LibreOffice and save it again");
        return;
    }
    long idx;
    switch (r->ctype) {
    case T_SHARED:
        idx = digits(v);
        if (idx < 0 || idx >= r->nsst)
            return cell_error(r, "the cell refers to shared string \"%.32s\", which the workbook does not have; "
                              "it is damaged: open it in Excel and save it again", v);
        /* the strings lie end to end, each with its NUL */
        return set_field(r, r->sst.s + r->soff[idx],
                         (idx + 1 < r->nsst ? r->soff[idx + 1] : r->sst.n) - r->soff[idx] - 1);
    case T_INLINE:
    case T_STR:
        if (!r->text.n)
            return;
        unescape_x(&r->text);
        return set_field(r, r->text.s, r->text.n);
    case T_BOOL:
        if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
            return set_field(r, "TRUE", 4);
        if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0)
            return set_field(r, "FALSE", 5);
        return cell_error(r, "the value \"%.32s\" is not TRUE or FALSE", v);
    case T_ERROR:
        return cell_error(r, "the cell shows the error %.32s: correct it (or clear the cell) in the workbook and "
                          "save it again", v[0] ? v : "#VALUE!");
    case T_DATE:
        if (strlen(v) < 10 || strspn(v, "0123456789") != 4 || v[4] != '-' || v[7] != '-' || (v[10] && v[10] != 'T'))
            return cell_error(r, "the value \"%.32s\" is not a date", v);
        return set_field(r, v, 10);
    case T_NUM:
        return number_cell(r, v);
    case T_OTHER:
        return cell_error(r, "the cell has a type this reader does not know; save the workbook again from Excel");
    }
}

static enum ctype cell_type(const char *t)
{
    static const struct { const char *name; enum ctype type; } types[] = {
        {"n", T_NUM}, {"s", T_SHARED}, {"inlineStr", T_INLINE}, {"str", T_STR},
        {"b", T_BOOL}, {"e", T_ERROR}, {"d", T_DATE},
    };
    if (!t)
        return T_NUM;
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (strcmp(t, types[i].name) == 0)
            return types[i].type;
    return T_OTHER;
}

static void start_row(xlsxr *r, const char **atts)
{
    const char *n = attr(atts, "r");
    long rn = r->nextrow;
    if (n)
        rn = digits(n);
    if (rn < 1 || rn > 1048576)
        return halt(r, STOP_BADREF);
    r->rownum = rn;
    r->nextrow = rn + 1;
    r->in_row = 1;
    r->nf = 0;
    r->row.n = 0;
    r->lastcol = -1;
    r->cell_errors = 0;
}

static void start_cell(xlsxr *r, const char **atts)
{
    const char *ref = attr(atts, "r"), *s = attr(atts, "s");
    int col = r->lastcol + 1;
    if (ref && parse_ref(ref, &col) != CA_OK)
        return halt(r, STOP_BADREF);
    if (col >= XLSXR_MAX_COLS)
        return halt(r, STOP_BADREF);
    r->ccol = r->lastcol = col;
    r->ctype = cell_type(attr(atts, "t"));
    r->cstyle = s ? digits(s) : 0;
    r->in_c = 1;
    r->has_v = r->has_f = r->in_v = r->in_is = r->in_t = r->in_rph = 0;
    r->text.n = 0;
}

/* The local name of a sheet element: the worksheet element's own prefix, if it has
 * one, is taken off (a strchr per element costs more than the comparisons). */
static const char *sheet_local(xlsxr *r, const char *name)
{
    if (!r->plen)
        return name;
    return strncmp(name, r->pfx, (size_t)r->plen) == 0 ? name + r->plen : name;
}

static void sheet_start(void *data, const char *name, const char **atts)
{
    xlsxr *r = data;
    if (!r->seen_root) { /* the worksheet element: remember its prefix */
        const char *colon = strchr(name, ':');
        r->seen_root = 1;
        if (colon && colon - name < (long)sizeof r->pfx - 1) {
            r->plen = (int)(colon - name) + 1;
            memcpy(r->pfx, name, (size_t)r->plen);
        }
    }
    const char *l = sheet_local(r, name);
    if (r->in_c) {
        if (strcmp(l, "v") == 0)
            r->in_v = r->has_v = 1;
        else if (strcmp(l, "f") == 0)
            r->has_f = 1;
        else if (strcmp(l, "is") == 0)
            r->in_is = 1;
        else if (strcmp(l, "rPh") == 0)
            r->in_rph = 1; /* phonetic hints: not part of the text Excel shows */
        else if (strcmp(l, "t") == 0 && r->in_is && !r->in_rph)
            r->in_t = 1;
    } else if (strcmp(l, "c") == 0 && r->in_row) {
        start_cell(r, atts);
    } else if (strcmp(l, "row") == 0) {
        start_row(r, atts);
    }
}

static void sheet_end(void *data, const char *name)
{
    xlsxr *r = data;
    const char *l = sheet_local(r, name);
    if (r->in_c) {
        if (strcmp(l, "v") == 0)
            r->in_v = 0;
        else if (strcmp(l, "t") == 0)
            r->in_t = 0;
        else if (strcmp(l, "rPh") == 0)
            r->in_rph = 0;
        else if (strcmp(l, "is") == 0)
            r->in_is = 0;
        else if (strcmp(l, "c") == 0) {
            r->in_c = 0;
            finish_cell(r);
        }
    } else if (strcmp(l, "row") == 0 && r->in_row) {
        r->in_row = 0;
        if (r->nf > 0 || r->cell_errors) { /* rows with nothing in them are skipped, as blank CSV lines */
            r->row_ready = 1;
            XML_StopParser(r->p, XML_TRUE);
        }
    }
}

int xlsxr_select(xlsxr *r, int i, ca_error *err)
{
    r->cur = -1;
    if (i < 0 || i >= r->nsheets)
        return ca_fail(err, CA_REFUSED, "%s: the workbook has no sheet %d", r->path, i + 1);
    r->broken = r->done = r->row_ready = r->in_row = r->in_c = r->seen_root = r->plen = 0;
    r->rownum = 0;
    r->nextrow = 1;
    r->nf = 0;
    ca_error_free(&r->broken_err);
    int found = 0;
    if (r->sheets[i].part && part_open(r, r->sheets[i].part, XLSXR_MAX_SHEET_MB, &found, err) != CA_OK)
        return CA_ERR;
    if (!found) {
        char what[300];
        snprintf(what, sizeof what, "sheet '%.200s' has no worksheet part", r->sheets[i].name);
        return damaged(r, what, err);
    }
    if (new_parser(r, sheet_start, sheet_end, err) != CA_OK)
        return CA_ERR;
    r->cur = i;
    return CA_OK;
}

/* An error that ends the sheet: kept, so that every later call says the same. */
static int broke(xlsxr *r, ca_error *err)
{
    r->broken = 1;
    r->nf = 0;
    ca_fail(&r->broken_err, err ? err->status : CA_REFUSED, "%s", err ? err->msg : "");
    return CA_ERR;
}

int xlsxr_next(xlsxr *r, ca_error *err)
{
    if (r->cur < 0)
        return ca_fail(err, CA_SYSTEM, "%s: no sheet is selected", r->path);
    if (r->broken)
        return ca_fail(err, r->broken_err.status, "%s", r->broken_err.msg);
    r->row_ready = 0;
    r->nf = 0;
    while (!r->done) {
        enum XML_Status st = XML_STATUS_ERROR;
        if (r->suspended) {
            st = XML_ResumeParser(r->p);
        } else if (r->final) {
            r->done = 1;
            break;
        } else if (feed(r, &st, err) != CA_OK) {
            return broke(r, err);
        }
        if (st == XML_STATUS_ERROR) {
            char where[CA_MSG_MAX / 2];
            int n = snprintf(where, sizeof where, "%s[%s]", r->path, r->sheets[r->cur].name);
            if (r->rownum && n > 0 && (size_t)n < sizeof where)
                snprintf(where + n, sizeof where - (size_t)n, ":%ld", r->rownum);
            parse_failed(r, where, err);
            return broke(r, err);
        }
        r->suspended = st == XML_STATUS_SUSPENDED;
        if (!r->row_ready)
            continue;
        if (r->cell_errors > 1)
            return ca_fail(err, CA_REFUSED, "%s (and %d more cells in row %ld)", r->cell_msg, r->cell_errors - 1,
                           r->rownum);
        if (r->cell_errors)
            return ca_fail(err, CA_REFUSED, "%s", r->cell_msg);
        return 1;
    }
    r->nf = 0;
    return 0;
}
