#include "audit/store/db.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libgen.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "audit/clock.h"
#include "audit/date.h"
#include "audit/store/schema.h"

struct ca_db {
    sqlite3 *h;
    char *path;
    char *actor;
    ca_clock clock;
    int depth;   /* transaction nesting */
    int doomed;  /* an inner level rolled back */
};

/* Busy timeout: two people recording grades at once must both succeed (SPEC §3). */
#define CA_BUSY_TIMEOUT_MS 30000

int db_schema_version(void) { return ca_nmigrations; }
sqlite3 *db_handle(ca_db *db) { return db->h; }
const char *db_path(const ca_db *db) { return db->path; }
const char *db_actor(const ca_db *db) { return db->actor ? db->actor : "unknown"; }

int db_set_actor(ca_db *db, const char *actor)
{
    char *copy = strdup(actor && *actor ? actor : "unknown");
    if (!copy)
        return CA_ERR;
    free(db->actor);
    db->actor = copy;
    return CA_OK;
}

void db_set_clock(ca_db *db, ca_clock clock) { db->clock = clock; }
ca_clock db_clock(const ca_db *db) { return db->clock; }
ca_day db_today(const ca_db *db) { return clock_today(db->clock); }
void db_now_utc(const ca_db *db, char buf[32]) { clock_now_utc(db->clock, buf); }
int64_t db_last_rowid(ca_db *db) { return sqlite3_last_insert_rowid(db->h); }
int db_changes(ca_db *db) { return sqlite3_changes(db->h); }

int db_fail(ca_db *db, int rc, const char *what, ca_error *err)
{
    const char *m = db && db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc);
    const char *path = db ? db->path : "";
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ca_fail(err, CA_SYSTEM, "database '%s' is locked by another caseaudit (waited %d s): %s",
                       path, CA_BUSY_TIMEOUT_MS / 1000, m);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return ca_fail(err, CA_SYSTEM, "database '%s' is corrupt or not a caseaudit database: %s", path, m);
    case SQLITE_FULL:
        return ca_fail(err, CA_SYSTEM, "database '%s': the disk is full", path);
    case SQLITE_CONSTRAINT:
        return ca_fail(err, CA_REFUSED, "%s: %s", what, m);
    default:
        return ca_fail(err, CA_SYSTEM, "database '%s': %s: %s", path, what, m);
    }
}

int db_exec(ca_db *db, const char *sql, ca_error *err)
{
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? CA_OK : db_fail(db, rc, "cannot run SQL", err);
}

int stmt_prepare(ca_db *db, ca_stmt *s, const char *sql, ca_error *err)
{
    memset(s, 0, sizeof *s);
    s->db = db;
    int rc = sqlite3_prepare_v2(db->h, sql, -1, &s->st, NULL);
    return rc == SQLITE_OK ? CA_OK : db_fail(db, rc, "cannot prepare statement", err);
}

static int param(ca_stmt *s, const char *name)
{
    int i = sqlite3_bind_parameter_index(s->st, name);
    if (i == 0 && !s->bad_bind)
        s->bad_bind = name;
    return i;
}

void stmt_bind_text(ca_stmt *s, const char *name, const char *value)
{
    int i = param(s, name);
    if (i == 0)
        return;
    if (value)
        sqlite3_bind_text(s->st, i, value, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s->st, i);
}

void stmt_bind_int(ca_stmt *s, const char *name, int64_t value)
{
    int i = param(s, name);
    if (i)
        sqlite3_bind_int64(s->st, i, value);
}

void stmt_bind_double(ca_stmt *s, const char *name, double value)
{
    int i = param(s, name);
    if (i)
        sqlite3_bind_double(s->st, i, value);
}

void stmt_bind_null(ca_stmt *s, const char *name)
{
    int i = param(s, name);
    if (i)
        sqlite3_bind_null(s->st, i);
}

int stmt_step(ca_stmt *s, ca_error *err)
{
    if (s->bad_bind)
        return ca_fail(err, CA_SYSTEM, "internal error: statement has no parameter %s", s->bad_bind);
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    return db_fail(s->db, rc, "cannot run statement", err);
}

void stmt_reset(ca_stmt *s)
{
    sqlite3_reset(s->st);
    sqlite3_clear_bindings(s->st);
}

void stmt_finalize(ca_stmt *s)
{
    if (s && s->st) {
        sqlite3_finalize(s->st);
        s->st = NULL;
    }
}

const char *stmt_text(ca_stmt *s, int col)
{
    const unsigned char *t = sqlite3_column_text(s->st, col);
    return t ? (const char *)t : "";
}

int64_t stmt_int(ca_stmt *s, int col) { return sqlite3_column_int64(s->st, col); }
double stmt_double(ca_stmt *s, int col) { return sqlite3_column_double(s->st, col); }
int stmt_is_null(ca_stmt *s, int col) { return sqlite3_column_type(s->st, col) == SQLITE_NULL; }

int db_int(ca_db *db, int64_t *out, const char *sql, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, sql, err) != CA_OK)
        return CA_ERR;
    int rc = stmt_step(&s, err);
    if (rc == 1)
        *out = stmt_int(&s, 0);
    else if (rc == 0)
        *out = 0;
    stmt_finalize(&s);
    return rc < 0 ? CA_ERR : CA_OK;
}

int db_begin(ca_db *db, ca_error *err)
{
    if (db->depth == 0) {
        if (db_exec(db, "BEGIN IMMEDIATE", err) != CA_OK)
            return CA_ERR;
        db->doomed = 0;
    }
    db->depth++;
    return CA_OK;
}

int db_begin_read(ca_db *db, ca_error *err)
{
    if (db->depth == 0) {
        if (db_exec(db, "BEGIN", err) != CA_OK)
            return CA_ERR;
        db->doomed = 0;
    }
    db->depth++;
    return CA_OK;
}

int db_commit(ca_db *db, ca_error *err)
{
    if (db->depth <= 0)
        return ca_fail(err, CA_SYSTEM, "internal error: commit without a transaction");
    if (--db->depth > 0)
        return CA_OK;
    if (db->doomed) {
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
        return ca_fail(err, CA_SYSTEM, "internal error: an inner transaction was rolled back");
    }
    if (db_exec(db, "COMMIT", err) != CA_OK) {
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
        return CA_ERR;
    }
    return CA_OK;
}

int db_foreign_keys(ca_db *db, int on)
{
    if (db->depth > 0)
        return 0;
    return sqlite3_exec(db->h, on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF", NULL, NULL, NULL) ==
           SQLITE_OK;
}

void db_rollback(ca_db *db)
{
    if (db->depth <= 0)
        return;
    if (--db->depth > 0) {
        db->doomed = 1;
        return;
    }
    sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

int db_event(ca_db *db, const char *command, const char *round, const char *case_id,
             const char *detail, ca_error *err)
{
    char now[32];
    db_now_utc(db, now);
    ca_stmt s;
    if (stmt_prepare(db, &s,
                     "INSERT INTO event(at, by, command, round, case_id, detail)"
                     " VALUES(:at, :by, :command, :round, :case_id, :detail)", err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":at", now);
    stmt_bind_text(&s, ":by", db_actor(db));
    stmt_bind_text(&s, ":command", command);
    stmt_bind_text(&s, ":round", round);
    stmt_bind_text(&s, ":case_id", case_id);
    stmt_bind_text(&s, ":detail", detail ? detail : "");
    int rc = stmt_step(&s, err);
    stmt_finalize(&s);
    return rc < 0 ? CA_ERR : CA_OK;
}

int db_network_filesystem(long f_type)
{
    /* NFS, SMB (smbfs), CIFS and SMB2 (cifs.ko), from linux/magic.h and the cifs sources. */
    static const long network[] = {0x6969, 0x517B, (long)0xFF534D42, (long)0xFE534D42};
    for (size_t i = 0; i < sizeof network / sizeof *network; i++)
        if (f_type == network[i])
            return 1;
    return 0;
}

/* A database on a network filesystem is refused: two people writing through it can
 * corrupt it, because SQLite's locking is unreliable there. */
static int check_filesystem(const char *path, ca_error *err)
{
    char *copy = strdup(path);
    if (!copy)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    struct statfs fs;
    int network = statfs(dirname(copy), &fs) == 0 && db_network_filesystem((long)fs.f_type);
    free(copy);
    if (network)
        return ca_fail(err, CA_SYSTEM, "the database '%s' is on a network drive (NFS or SMB), where SQLite's locking "
                       "is unreliable and two people writing at once can corrupt it: keep it on one machine and run "
                       "'caseaudit serve' there so that people use it from their browsers (or give "
                       "--allow-network-filesystem if you are sure only one person writes at a time)", path);
    return CA_OK;
}

/* Creates the file with mode 0600 before SQLite sees it: children's data. */
static int create_file(const char *path, ca_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return ca_fail(err, CA_SYSTEM, "cannot create database '%s': %s", path, strerror(errno));
    close(fd);
    return CA_OK;
}

static int pragma_int(ca_db *db, const char *sql, int *out, ca_error *err)
{
    int64_t v = 0;
    if (db_int(db, &v, sql, err) != CA_OK)
        return CA_ERR;
    *out = (int)v;
    return CA_OK;
}

/* Applies the pending migrations in one transaction. */
static int migrate(ca_db *db, ca_error *err)
{
    if (db_begin(db, err) != CA_OK)
        return CA_ERR;
    int version;
    if (pragma_int(db, "PRAGMA user_version", &version, err) != CA_OK)
        goto fail;
    for (int v = version; v < ca_nmigrations; v++) {
        if (db_exec(db, ca_migrations[v], err) != CA_OK)
            goto fail;
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
        if (db_exec(db, sql, err) != CA_OK)
            goto fail;
    }
    if (version == 0) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA application_id = %d", CA_APPLICATION_ID);
        if (db_exec(db, sql, err) != CA_OK)
            goto fail;
    }
    return db_commit(db, err);
fail:
    db_rollback(db);
    return CA_ERR;
}

/* Reads the header without writing: a too-new, foreign or corrupt file is refused
 * before anything (even the journal mode) could change it. */
static int check_file(ca_db *db, ca_error *err)
{
    int version, appid;
    int64_t objects;
    if (pragma_int(db, "PRAGMA user_version", &version, err) != CA_OK ||
        pragma_int(db, "PRAGMA application_id", &appid, err) != CA_OK ||
        db_int(db, &objects, "SELECT count(*) FROM sqlite_schema", err) != CA_OK)
        return CA_ERR;
    if (appid != 0 && appid != CA_APPLICATION_ID)
        return ca_fail(err, CA_SYSTEM, "'%s' is an SQLite database of another program, not caseaudit's", db->path);
    if (version == 0 && objects > 0)
        return ca_fail(err, CA_SYSTEM, "'%s' is an SQLite database of another program, not caseaudit's", db->path);
    if (version > ca_nmigrations)
        return ca_fail(err, CA_SYSTEM,
                       "database '%s' was written by a newer caseaudit (schema version %d; this one knows up to %d): "
                       "upgrade caseaudit; the database was not changed",
                       db->path, version, ca_nmigrations);
    return CA_OK;
}

int db_open(ca_db **out, const char *path, enum ca_db_mode mode, int *created, ca_error *err)
{
    *out = NULL;
    if (created)
        *created = 0;
    ca_db *db = calloc(1, sizeof *db);
    if (!db || !(db->path = strdup(path))) {
        free(db);
        return ca_fail(err, CA_SYSTEM, "out of memory");
    }
    struct stat st;
    int network_ok = mode & CA_DB_NETWORK;
    mode &= ~CA_DB_NETWORK;
    if (strcmp(path, ":memory:") != 0 && !network_ok && check_filesystem(path, err) != CA_OK)
        goto fail;
    if (strcmp(path, ":memory:") == 0) {
        /* a scratch database, for validating without a database file (import --dry-run) */
    } else if (stat(path, &st) != 0) {
        if (errno != ENOENT) {
            ca_fail(err, CA_SYSTEM, "cannot open database '%s': %s", path, strerror(errno));
            goto fail;
        }
        if (mode != CA_DB_CREATE) {
            ca_fail(err, CA_REFUSED,
                    "no database at '%s': create one with 'caseaudit import FILE...', "
                    "or name another with --db PATH or $CASEAUDIT_DB", path);
            goto fail;
        }
        if (create_file(path, err) != CA_OK)
            goto fail;
        if (created)
            *created = 1;
    } else if (!S_ISREG(st.st_mode)) {
        ca_fail(err, CA_SYSTEM, "cannot open database '%s': not a regular file", path);
        goto fail;
    }
    /* One connection per process and one thread per connection: no mutexes needed. */
    int rc = sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        db_fail(db, rc, "cannot open", err);
        goto fail;
    }
    sqlite3_extended_result_codes(db->h, 1);
    sqlite3_busy_timeout(db->h, CA_BUSY_TIMEOUT_MS);
    if (check_file(db, err) != CA_OK)
        goto fail;
    /* Takes effect only on a new, empty file: 16 KiB pages make a million-row import and
     * the report's scans touch a quarter as many pages as the default 4 KiB. */
    if (db_exec(db, "PRAGMA page_size = 16384", err) != CA_OK ||
        db_exec(db, "PRAGMA journal_mode = WAL", err) != CA_OK ||
        db_exec(db, "PRAGMA synchronous = FULL", err) != CA_OK ||
        db_exec(db, "PRAGMA foreign_keys = ON", err) != CA_OK ||
        /* Reads through the page cache of the operating system rather than copies. */
        db_exec(db, "PRAGMA mmap_size = 1073741824", err) != CA_OK ||
        db_exec(db, "PRAGMA cache_size = -16384", err) != CA_OK ||
        db_exec(db, "PRAGMA temp_store = MEMORY", err) != CA_OK ||
        migrate(db, err) != CA_OK)
        goto fail;
    db->clock = CA_CLOCK_SYSTEM;
    if (db_set_actor(db, NULL) != CA_OK) {
        ca_fail(err, CA_SYSTEM, "out of memory");
        goto fail;
    }
    *out = db;
    return CA_OK;
fail:
    db_close(db);
    return CA_ERR;
}

void db_close(ca_db *db)
{
    if (!db)
        return;
    if (db->h)
        sqlite3_close_v2(db->h);
    free(db->path);
    free(db->actor);
    free(db);
}
