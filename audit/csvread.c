#include "audit/csvread.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/sha256.h"
#include "audit/vocab.h"

enum { CSVR_BLOCK = 1 << 18 }; /* bytes read at a time */

struct row {
    int first;   /* index into foff */
    int n;
    long line;
};

struct csvr {
    FILE *f;
    char *path;
    struct csv_parser p;
    iconv_t cd;            /* (iconv_t)-1 unless converting from cp1252 */
    sha256_ctx *sha;
    char *blk;             /* raw bytes read, holding the current line whole */
    size_t blkcap, blkpos, blklen;
    char *conv;            /* the converted line */
    size_t convcap;
    long lineno;
    long pending_start;    /* first line of the record being read, 0 when none */
    size_t record_bytes;   /* bytes of that record so far, over all its lines */
    char *buf;             /* field text, each NUL-terminated */
    size_t nbuf, capbuf;
    size_t *foff;          /* field offsets into buf */
    int nf, capf;
    int row_fields;        /* fields of the record not yet finished */
    struct row *rows;      /* finished records, not yet returned */
    int nrows, caprows, next_row;
    int cur;               /* the record returned last, index into rows */
    long records;
    int eof;               /* the file has no more bytes */
    int done;              /* and every line has been parsed */
    int overflow;
    char *const *names;    /* the header's column names, borrowed (csvr_set_names) */
    int nnames;
    int guessed;           /* AUTO chose Windows-1252 */
};

static int grow(void **p, size_t elem, int *cap, int need)
{
    if (need <= *cap)
        return 0;
    int n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, elem * (size_t)n);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

static void on_field(void *s, size_t len, void *data)
{
    csvr *r = data;
    if (r->overflow)
        return;
    if (r->row_fields >= CSVR_MAX_FIELDS) {
        r->overflow = 1;
        return;
    }
    const char *t = s ? s : "";
    /* Our lists for people guard values a spreadsheet would change with an
     * invisible U+2060 (audit/render/output.h, out_cell_guarded); take it off. */
    if (len >= 3 && memcmp(t, "\xe2\x81\xa0", 3) == 0) {
        t += 3;
        len -= 3;
    }
    /* Our exports prefix ' to cells that Excel would read as formulas; take it off. */
    if (len >= 2 && t[0] == '\'' && strchr("=+-@\t\r", t[1])) {
        t++;
        len--;
    }
    if (r->nbuf + len + 1 > r->capbuf) {
        size_t n = r->capbuf ? r->capbuf : 4096;
        while (n < r->nbuf + len + 1)
            n *= 2;
        char *q = realloc(r->buf, n);
        if (!q) {
            r->overflow = 2;
            return;
        }
        r->buf = q;
        r->capbuf = n;
    }
    if (grow((void **)&r->foff, sizeof *r->foff, &r->capf, r->nf + 1)) {
        r->overflow = 2;
        return;
    }
    memcpy(r->buf + r->nbuf, t, len);
    r->buf[r->nbuf + len] = 0;
    r->foff[r->nf++] = r->nbuf;
    r->nbuf += len + 1;
    r->row_fields++;
}

static void on_row(int c, void *data)
{
    (void)c;
    csvr *r = data;
    int n = r->row_fields, first = r->nf - n;
    r->row_fields = 0;
    long start = r->pending_start ? r->pending_start : r->lineno;
    r->pending_start = 0;
    if (r->overflow)
        return;
    int blank = 1;
    for (int i = first; i < r->nf && blank; i++)
        blank = r->buf[r->foff[i]] == 0;
    if (blank) { /* a line of separators only, as spreadsheets leave behind */
        r->nf = first;
        return;
    }
    if (grow((void **)&r->rows, sizeof *r->rows, &r->caprows, r->nrows + 1)) {
        r->overflow = 2;
        return;
    }
    r->rows[r->nrows++] = (struct row){first, n, start};
}

static size_t utf8_valid(const unsigned char *s, size_t n);

/* Whether the whole file is valid UTF-8: one pass over its bytes, before reading it. */
static int file_is_utf8(FILE *f, char *buf, size_t size, int *io_error)
{
    size_t carry = 0, got;
    int ok = 1;
    while (ok && (got = fread(buf + carry, 1, size - carry, f)) > 0) {
        size_t n = carry + got, valid = utf8_valid((const unsigned char *)buf, n);
        /* A character cut by the block's end comes round again with the next block. */
        carry = n - valid;
        if (carry > 3 || (valid < n && buf[valid] == 0))
            ok = 0;
        else
            memmove(buf, buf + valid, carry);
    }
    *io_error = ferror(f);
    ok = ok && carry == 0;
    rewind(f);
    return ok;
}

int csvr_guessed_cp1252(const csvr *r) { return r->guessed; }

int csvr_open(csvr **out, const char *path, int encoding, ca_error *err)
{
    *out = NULL;
    csvr *r = calloc(1, sizeof *r);
    if (!r)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    r->cd = (iconv_t)-1;
    r->cur = -1;
    if (!(r->path = strdup(path)))
        goto nomem;
    if (!(r->f = fopen(path, "rb"))) {
        ca_fail(err, errno == ENOENT || errno == EACCES ? CA_REFUSED : CA_SYSTEM, "cannot open '%s': %s", path,
                strerror(errno));
        goto fail;
    }
    if (!(r->blk = malloc(r->blkcap = CSVR_BLOCK)))
        goto nomem;
    int io_error = 0;
    if (encoding == CSVR_AUTO && !file_is_utf8(r->f, r->blk, r->blkcap, &io_error))
        encoding = CSVR_CP1252, r->guessed = 1;
    if (io_error) {
        ca_fail(err, CA_SYSTEM, "cannot read '%s': %s", path, strerror(errno));
        goto fail;
    }
    if (encoding == CSVR_CP1252 && (r->cd = iconv_open("UTF-8", "CP1252")) == (iconv_t)-1) {
        ca_fail(err, CA_SYSTEM, "cannot convert from cp1252: %s", strerror(errno));
        goto fail;
    }
    if (csv_init(&r->p, CSV_APPEND_NULL) != 0)
        goto nomem;
    if (!(r->sha = sha256_new()))
        goto nomem;
    *out = r;
    return CA_OK;
nomem:
    ca_fail(err, CA_SYSTEM, "out of memory");
fail:
    csvr_close(r);
    return CA_ERR;
}

void csvr_close(csvr *r)
{
    if (!r)
        return;
    if (r->f) {
        fclose(r->f);
        csv_free(&r->p);
    }
    if (r->cd != (iconv_t)-1)
        iconv_close(r->cd);
    free(r->path);
    sha256_free(r->sha);
    free(r->blk);
    free(r->conv);
    free(r->buf);
    free(r->foff);
    free(r->rows);
    free(r);
}

/* Length of the valid UTF-8 prefix of s (no NUL bytes, no overlongs, no surrogates). */
static size_t utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        /* Eight ASCII bytes at a time, none of them NUL: most of every case list. */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if ((w & 0x8080808080808080ULL) || ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL))
                break;
            i += 8;
        }
        if (i >= n)
            break;
        unsigned char c = s[i];
        if (c >= 0x01 && c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        unsigned min;
        unsigned cp;
        if (c >= 0xc2 && c <= 0xdf)
            len = 2, min = 0x80, cp = c & 0x1f;
        else if (c >= 0xe0 && c <= 0xef)
            len = 3, min = 0x800, cp = c & 0x0f;
        else if (c >= 0xf0 && c <= 0xf4)
            len = 4, min = 0x10000, cp = c & 0x07;
        else
            return i;
        if (i + len > n)
            return i;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return i;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += len;
    }
    return n;
}

static const char *in_column(const csvr *r, int field, char *buf, size_t len);
static int field_at(const csvr *r, const char *text, size_t at);

static int to_utf8(csvr *r, const char *in, size_t n, const char **out, size_t *outn, ca_error *err)
{
    size_t need = n * 3 + 1;
    if (need > r->convcap) {
        char *q = realloc(r->conv, need);
        if (!q)
            return ca_fail(err, CA_SYSTEM, "out of memory");
        r->conv = q;
        r->convcap = need;
    }
    char *ip = (char *)in, *op = r->conv;
    size_t il = n, ol = need;
    if (iconv(r->cd, &ip, &il, &op, &ol) == (size_t)-1) {
        char col[300];
        return ca_fail(err, CA_REFUSED, "%s:%ld: byte 0x%02x is not a Windows-1252 (cp1252) character%s", r->path,
                       r->lineno, (unsigned char)*ip, in_column(r, field_at(r, in, (size_t)(ip - in)), col, sizeof col));
    }
    *out = r->conv;
    *outn = (size_t)(op - r->conv);
    return CA_OK;
}

void csvr_set_names(csvr *r, char *const *names, int n)
{
    r->names = names;
    r->nnames = n;
}

/* The index of the field that byte `at` of this line falls in, counting the fields of the
 * record already read from earlier lines; follows libcsv's quoting closely enough to name
 * a column in a message. */
static int field_at(const csvr *r, const char *text, size_t at)
{
    int field = r->row_fields;
    /* libcsv state 2 is FIELD_BEGUN: a quoted field carried over from an earlier line. */
    int quoted = r->p.quoted && r->p.pstate == 2, at_start = !quoted && r->p.pstate != 2;
    for (size_t i = 0; i < at; i++) {
        char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < at && text[i + 1] == '"')
                    i++;
                else
                    quoted = 0;
            }
        } else if (c == ',') {
            field++;
            at_start = 1;
        } else if (c == '"' && at_start) {
            quoted = 1;
            at_start = 0;
        } else if (c != ' ' && c != '\t') {
            at_start = 0;
        }
    }
    return field;
}

/* ` in column "NAME"` for the field at that index, or "" when no names were lent. */
static const char *in_column(const csvr *r, int field, char *buf, size_t len)
{
    buf[0] = 0;
    if (r->names && field >= 0 && field < r->nnames)
        snprintf(buf, len, " in column \"%s\"", r->names[field]);
    return buf;
}

/* The next physical line with its '\n' (none on a last line without one): *out points
 * into the block buffer, valid until the next call. Returns its length, 0 at the end
 * of the file, -1 on a read error (errno), or CSVR_MAX_LINE + 1 for a line that is
 * longer than that. Reading in blocks (hashed as they come) rather than a line at a
 * time keeps a million-row file's reading to a few hundred system calls. */
static ssize_t next_line(csvr *r, const char **out)
{
    for (;;) {
        const char *start = r->blk + r->blkpos, *nl = memchr(start, '\n', r->blklen - r->blkpos);
        if (nl || (r->eof && r->blkpos < r->blklen)) {
            size_t n = nl ? (size_t)(nl - start) + 1 : r->blklen - r->blkpos;
            r->blkpos += n;
            *out = start;
            return n > CSVR_MAX_LINE ? CSVR_MAX_LINE + 1 : (ssize_t)n;
        }
        if (r->eof)
            return 0;
        /* Keep the unfinished line, at the start of the buffer, then read on. */
        size_t keep = r->blklen - r->blkpos;
        memmove(r->blk, start, keep);
        r->blkpos = 0;
        r->blklen = keep;
        if (keep > CSVR_MAX_LINE)
            return CSVR_MAX_LINE + 1;
        if (r->blkcap - keep < CSVR_BLOCK / 2) {
            char *q = realloc(r->blk, r->blkcap * 2);
            if (!q)
                return errno = ENOMEM, -1;
            r->blk = q;
            r->blkcap *= 2;
        }
        size_t got = fread(r->blk + keep, 1, r->blkcap - keep, r->f);
        if (got == 0) {
            if (ferror(r->f))
                return -1;
            r->eof = 1;
        }
        sha256_update(r->sha, r->blk + keep, got);
        r->blklen += got;
    }
}

/* Whether the n bytes (not NUL-terminated) are all CR and LF: an empty line. */
static int only_line_ends(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

/* Reads and parses physical lines until at least one record is finished or the file ends. */
static int fill(csvr *r, ca_error *err)
{
    r->nrows = r->next_row = 0;
    /* Keep only the fields of an unfinished record. */
    if (r->row_fields) {
        int first = r->nf - r->row_fields;
        size_t base = r->foff[first];
        memmove(r->buf, r->buf + base, r->nbuf - base);
        for (int i = 0; i < r->row_fields; i++)
            r->foff[i] = r->foff[first + i] - base;
        r->nbuf -= base;
        r->nf = r->row_fields;
    } else {
        r->nbuf = 0;
        r->nf = 0;
    }
    char col[300];
    while (r->nrows == 0 && !r->done) {
        errno = 0;
        const char *text;
        ssize_t got = next_line(r, &text);
        if (got < 0)
            return ca_fail(err, CA_SYSTEM, "cannot read '%s': %s", r->path, strerror(errno));
        if (got == 0) {
            r->done = 1;
            /* A line end closes any record that is not inside quotes (libcsv's non-strict
             * csv_fini would accept an unclosed quote): one still open after it never closed. */
            long open = r->pending_start;
            if (open && csv_parse(&r->p, "\n", 1, on_field, on_row, r) != 1)
                return ca_fail(err, CA_REFUSED, "%s:%ld: %s", r->path, open, csv_strerror(csv_error(&r->p)));
            if (r->pending_start || csv_fini(&r->p, on_field, on_row, r) != 0)
                return ca_fail(err, CA_REFUSED,
                               "%s:%ld: a quoted field is never closed%s (a \" without its closing \")", r->path,
                               r->pending_start ? r->pending_start : r->lineno,
                               in_column(r, r->row_fields, col, sizeof col));
            break;
        }
        r->lineno++;
        if (got > CSVR_MAX_LINE)
            return ca_fail(err, CA_REFUSED, "%s:%ld: the line is longer than %d bytes: is this a CSV file?",
                           r->path, r->lineno, CSVR_MAX_LINE);
        size_t n = (size_t)got;
        if (r->lineno == 1 && n >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
            text += 3, n -= 3;
        if (r->cd != (iconv_t)-1) {
            const char *nul = memchr(text, 0, n);
            if (nul)
                return ca_fail(err, CA_REFUSED, "%s:%ld: the line holds a NUL byte%s: is this a CSV file?", r->path,
                               r->lineno, in_column(r, field_at(r, text, (size_t)(nul - text)), col, sizeof col));
            if (to_utf8(r, text, n, &text, &n, err) != CA_OK)
                return CA_ERR;
        } else {
            size_t ok = utf8_valid((const unsigned char *)text, n);
            if (ok < n) {
                in_column(r, field_at(r, text, ok), col, sizeof col);
                if (text[ok] == 0)
                    return ca_fail(err, CA_REFUSED, "%s:%ld: the line holds a NUL byte%s: is this a CSV file?",
                                   r->path, r->lineno, col);
                return ca_fail(err, CA_REFUSED,
                               "%s:%ld: not valid UTF-8 (byte 0x%02x)%s, though --encoding utf-8 was given; "
                               "leave --encoding out to read a file that Excel on Windows saved as Windows-1252",
                               r->path, r->lineno, (unsigned char)text[ok], col);
            }
        }
        r->record_bytes = r->pending_start ? r->record_bytes + n : n;
        if (!r->pending_start && !r->row_fields && !only_line_ends(text, n))
            r->pending_start = r->lineno;
        if (csv_parse(&r->p, text, n, on_field, on_row, r) != n)
            return ca_fail(err, CA_REFUSED, "%s:%ld: %s", r->path, r->lineno, csv_strerror(csv_error(&r->p)));
        if (r->overflow == 1)
            return ca_fail(err, CA_REFUSED, "%s:%ld: more than %d fields in one record: is this a CSV file?",
                           r->path, r->pending_start ? r->pending_start : r->lineno, CSVR_MAX_FIELDS);
        if (r->overflow)
            return ca_fail(err, CA_SYSTEM, "out of memory");
        /* A quote never closed would otherwise gather the rest of the file into one field. */
        if (r->pending_start && r->record_bytes > CSVR_MAX_LINE)
            return ca_fail(err, CA_REFUSED,
                           "%s:%ld: a quoted field runs on for more than %d bytes%s: is its closing \" missing?",
                           r->path, r->pending_start, CSVR_MAX_LINE, in_column(r, r->row_fields, col, sizeof col));
    }
    return CA_OK;
}

int csvr_next(csvr *r, ca_error *err)
{
    if (r->next_row >= r->nrows) {
        if (r->done)
            return 0;
        if (fill(r, err) != CA_OK)
            return CA_ERR;
        if (r->nrows == 0)
            return 0;
    }
    r->cur = r->next_row++;
    r->records++;
    return 1;
}

int csvr_count(const csvr *r) { return r->cur >= 0 ? r->rows[r->cur].n : 0; }

const char *csvr_field(const csvr *r, int i)
{
    if (r->cur < 0 || i < 0 || i >= r->rows[r->cur].n)
        return "";
    return r->buf + r->foff[r->rows[r->cur].first + i];
}

long csvr_line(const csvr *r) { return r->cur >= 0 ? r->rows[r->cur].line : 0; }
const char *csvr_path(const csvr *r) { return r->path; }
long csvr_records(const csvr *r) { return r->records; }
void csvr_sha256(csvr *r, char out[65]) { sha256_hex(r->sha, out); }

char **csvr_copy_fields(const csvr *r)
{
    int n = csvr_count(r);
    char **s = calloc((size_t)(n ? n : 1), sizeof *s);
    for (int i = 0; s && i < n; i++)
        if (!(s[i] = strdup(csvr_field(r, i)))) {
            csvr_strings_free(s, i);
            return NULL;
        }
    return s;
}

void csvr_strings_free(char **s, int n)
{
    for (int i = 0; s && i < n; i++)
        free(s[i]);
    free(s);
}

char *csvr_trim_dup(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    return strndup(s, n);
}

int csvr_find(char *const *hdr, int nhdr, const char *const *names)
{
    char key[128];
    for (int i = 0; i < nhdr; i++) {
        vocab_normalise(hdr[i], key, sizeof key);
        for (const char *const *n = names; *n; n++)
            if (strcmp(key, *n) == 0)
                return i;
    }
    return -1;
}

int csvr_tidy(char **s)
{
    if (!*s)
        return CA_OK;
    char *t = csvr_trim_dup(*s);
    if (!t)
        return CA_ERR;
    free(*s);
    *s = *t ? t : (free(t), NULL);
    return CA_OK;
}
