/* schema.c: the database schema, as numbered migrations (PRAGMA user_version).
 *
 * Never edit a migration that has shipped: add the next one. Dates are ISO
 * yyyy-mm-dd text, times UTC "yyyy-mm-ddThh:mm:ssZ" text, grades 1..4 (SPEC §2),
 * plan types their §2 codes. Records that people correct are never updated: a
 * correction is a new row and "the latest" is the highest id.
 */
#include "audit/store/schema.h"

static const char migration_1[] =
    /* One import: the open cases as at as_of (SPEC §4). */
    "CREATE TABLE snapshot(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  as_of TEXT NOT NULL,\n"
    "  rows INTEGER NOT NULL,\n"
    "  cases INTEGER NOT NULL,\n"
    "  merged INTEGER NOT NULL,\n"
    "  closed INTEGER NOT NULL,\n"
    "  open_eh INTEGER NOT NULL, open_cin INTEGER NOT NULL, open_cp INTEGER NOT NULL,\n"
    "  open_cla INTEGER NOT NULL, open_cl INTEGER NOT NULL,\n"
    "  pruned_at TEXT,\n"
    "  entered_at TEXT NOT NULL,\n"
    "  entered_by TEXT NOT NULL\n"
    ");\n"
    "CREATE TABLE snapshot_file(\n"
    "  snapshot_id INTEGER NOT NULL REFERENCES snapshot(id),\n"
    "  seq INTEGER NOT NULL,\n"
    "  name TEXT NOT NULL,\n"
    "  sha256 TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL,\n"          /* generic, annex_a2, annex_a6, ... */
    "  rows INTEGER NOT NULL,\n"
    "  PRIMARY KEY(snapshot_id, seq)\n"
    ");\n"
    "CREATE INDEX snapshot_file_sha ON snapshot_file(sha256);\n"
    /* The merged cases of a snapshot; prune deletes these, nothing else refers to them. */
    "CREATE TABLE snapshot_case(\n"
    "  snapshot_id INTEGER NOT NULL REFERENCES snapshot(id),\n"
    "  case_id TEXT NOT NULL,\n"
    "  plan_type TEXT NOT NULL,\n"
    "  dob TEXT,\n"
    "  age INTEGER NOT NULL,\n"        /* whole years at as_of; -1 unborn */
    "  team TEXT,\n"
    "  worker TEXT,\n"
    "  plan_start TEXT,\n"
    "  plan_end TEXT,\n"
    "  gender TEXT,\n"
    "  ethnicity TEXT,\n"
    "  disability TEXT,\n"
    "  closed INTEGER NOT NULL DEFAULT 0,\n"
    "  src_file INTEGER NOT NULL,\n"   /* snapshot_file.seq of the row that set the plan */
    "  src_line INTEGER NOT NULL,\n"   /* and its line */
    "  dup_line INTEGER,\n"            /* during import: the same file's conflicting row */
    "  PRIMARY KEY(snapshot_id, case_id)\n"
    ") WITHOUT ROWID;\n"
    /* A monthly audit list (SPEC §5). */
    "CREATE TABLE round(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  label TEXT NOT NULL UNIQUE,\n"
    "  snapshot_id INTEGER NOT NULL REFERENCES snapshot(id),\n"
    "  seed TEXT NOT NULL,\n"          /* 16 hex digits */
    "  size INTEGER NOT NULL,\n"
    "  strata TEXT NOT NULL,\n"        /* e.g. plan,age */
    "  alloc TEXT NOT NULL,\n"         /* proportional, equal, neyman, fixed:FILE */
    "  min_per_stratum INTEGER NOT NULL,\n"
    "  age_bands TEXT NOT NULL,\n"     /* lower edges, e.g. 0,1,5,10,16,18 */
    "  exclude_months INTEGER NOT NULL,\n"
    "  population INTEGER NOT NULL,\n" /* open cases before exclusions */
    "  excluded_audited INTEGER NOT NULL,\n"
    "  excluded_pending INTEGER NOT NULL,\n"
    "  due TEXT,\n"
    "  entered_at TEXT NOT NULL,\n"
    "  entered_by TEXT NOT NULL\n"
    ");\n"
    "CREATE TABLE round_stratum(\n"
    "  round_id INTEGER NOT NULL REFERENCES round(id) ON DELETE CASCADE,\n"
    "  seq INTEGER NOT NULL,\n"        /* stratum order */
    "  stratum TEXT NOT NULL,\n"       /* levels joined with | e.g. CP|1-4 */
    "  frame_n INTEGER NOT NULL,\n"   /* N_h: eligible cases in the stratum */
    "  sample_n INTEGER NOT NULL,\n"  /* n_h: cases drawn from it */
    "  PRIMARY KEY(round_id, seq),\n"
    "  UNIQUE(round_id, stratum)\n"
    ");\n"
    /* The selected cases; copies what the list shows so that prune never changes it. */
    "CREATE TABLE round_case(\n"
    "  round_id INTEGER NOT NULL REFERENCES round(id) ON DELETE CASCADE,\n"
    "  case_id TEXT NOT NULL,\n"
    "  seq INTEGER NOT NULL,\n"        /* list order: stratum order, then key */
    "  stratum TEXT NOT NULL,\n"
    "  plan_type TEXT NOT NULL,\n"
    "  age_band TEXT NOT NULL,\n"
    "  team TEXT,\n"
    "  worker TEXT,\n"
    "  sort_key TEXT NOT NULL,\n"      /* the §5 permanent random key, 16 hex digits */
    "  frame_n INTEGER NOT NULL,\n"   /* N_h: eligible cases in the stratum */
    "  sample_n INTEGER NOT NULL,\n"  /* n_h: cases drawn from it */
    "  probability REAL NOT NULL,\n"
    "  weight REAL NOT NULL,\n"
    "  auditor TEXT,\n"
    "  PRIMARY KEY(round_id, case_id)\n"
    ");\n"
    "CREATE TABLE auditor(\n"
    "  name TEXT PRIMARY KEY,\n"
    "  team TEXT,\n"
    "  capacity INTEGER\n"
    ");\n"
    "CREATE TABLE domain(\n"
    "  code TEXT PRIMARY KEY,\n"
    "  label TEXT NOT NULL UNIQUE,\n"
    "  seq INTEGER NOT NULL\n"
    ");\n"
    "INSERT INTO domain(code, label, seq) VALUES\n"
    "  ('voice', 'Voice and lived experience of the child', 1),\n"
    "  ('assessment', 'Assessment and analysis of risk and need', 2),\n"
    "  ('planning', 'Planning', 3),\n"
    "  ('oversight', 'Management oversight and supervision', 4),\n"
    "  ('timeliness', 'Timeliness (drift and delay)', 5);\n"
    /* An auditor's grade (SPEC §7). The latest row per (round, case) counts. */
    "CREATE TABLE audit(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  round_id INTEGER NOT NULL,\n"
    "  case_id TEXT NOT NULL,\n"
    "  grade INTEGER NOT NULL CHECK(grade BETWEEN 1 AND 4),\n"
    "  auditor TEXT NOT NULL,\n"
    "  audit_date TEXT NOT NULL,\n"
    "  note TEXT,\n"
    "  corrects INTEGER REFERENCES audit(id),\n"
    "  entered_at TEXT NOT NULL,\n"
    "  entered_by TEXT NOT NULL,\n"
    "  FOREIGN KEY(round_id, case_id) REFERENCES round_case(round_id, case_id)\n"
    ");\n"
    "CREATE INDEX audit_case ON audit(round_id, case_id);\n"
    "CREATE INDEX audit_date ON audit(audit_date);\n"
    "CREATE INDEX audit_case_id ON audit(case_id);\n"
    "CREATE TABLE audit_domain(\n"
    "  audit_id INTEGER NOT NULL REFERENCES audit(id),\n"
    "  domain TEXT NOT NULL REFERENCES domain(code),\n"
    "  grade INTEGER NOT NULL CHECK(grade BETWEEN 1 AND 4),\n"
    "  PRIMARY KEY(audit_id, domain)\n"
    ");\n"
    "CREATE TABLE action(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  audit_id INTEGER NOT NULL REFERENCES audit(id),\n"
    "  round_id INTEGER NOT NULL,\n"
    "  case_id TEXT NOT NULL,\n"
    "  text TEXT NOT NULL,\n"
    "  owner TEXT,\n"
    "  due TEXT,\n"
    "  done_date TEXT,\n"
    "  done_at TEXT,\n"                /* when the completion was entered (UTC) */
    "  entered_at TEXT NOT NULL,\n"
    "  entered_by TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX action_round ON action(round_id);\n"
    /* Audits chosen for moderation (SPEC §8). */
    "CREATE TABLE moderation_pick(\n"
    "  round_id INTEGER NOT NULL,\n"
    "  case_id TEXT NOT NULL,\n"
    "  reason TEXT NOT NULL,\n"        /* inadequate | sample */
    "  seed TEXT NOT NULL,\n"
    "  entered_at TEXT NOT NULL,\n"
    "  entered_by TEXT NOT NULL,\n"
    "  PRIMARY KEY(round_id, case_id),\n"
    "  FOREIGN KEY(round_id, case_id) REFERENCES round_case(round_id, case_id)\n"
    ");\n"
    /* A senior manager's outcome; the latest row per (round, case) counts. */
    "CREATE TABLE moderation(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  round_id INTEGER NOT NULL,\n"
    "  case_id TEXT NOT NULL,\n"
    "  audit_id INTEGER NOT NULL REFERENCES audit(id),\n" /* the audit as it stood */
    "  grade INTEGER NOT NULL CHECK(grade BETWEEN 1 AND 4),\n"
    "  moderator TEXT NOT NULL,\n"
    "  moderation_date TEXT NOT NULL,\n"
    "  reason TEXT,\n"
    "  planned INTEGER NOT NULL,\n"    /* 0: moderated without being picked */
    "  corrects INTEGER REFERENCES moderation(id),\n"
    "  entered_at TEXT NOT NULL,\n"
    "  entered_by TEXT NOT NULL,\n"
    "  FOREIGN KEY(round_id, case_id) REFERENCES round_case(round_id, case_id)\n"
    ");\n"
    "CREATE INDEX moderation_case ON moderation(round_id, case_id);\n"
    /* The append-only event log (SPEC §3). */
    "CREATE TABLE event(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  at TEXT NOT NULL,\n"
    "  by TEXT NOT NULL,\n"
    "  command TEXT NOT NULL,\n"
    "  round TEXT,\n"
    "  case_id TEXT,\n"
    "  detail TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX event_case ON event(case_id);\n"
    "CREATE TRIGGER event_append_only_u BEFORE UPDATE ON event\n"
    "  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;\n"
    "CREATE TRIGGER event_append_only_d BEFORE DELETE ON event\n"
    "  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;\n";

/* When a correction replaces a grade or an outcome, the replaced row records when
 * (superseded_at): "the latest as at T" is then a filter, not a grouping, and the
 * quarterly report is one pass over an index range. The row's data never changes. */
static const char migration_2[] =
    "ALTER TABLE audit ADD COLUMN superseded_at TEXT;\n"
    "ALTER TABLE moderation ADD COLUMN superseded_at TEXT;\n"
    "UPDATE audit SET superseded_at = (SELECT min(b.entered_at) FROM audit b WHERE b.round_id = audit.round_id\n"
    "  AND b.case_id = audit.case_id AND b.id > audit.id);\n"
    "UPDATE moderation SET superseded_at = (SELECT min(b.entered_at) FROM moderation b\n"
    "  WHERE b.round_id = moderation.round_id AND b.case_id = moderation.case_id AND b.id > moderation.id);\n"
    "DROP INDEX audit_date;\n"
    "CREATE INDEX audit_period ON audit(audit_date, entered_at, superseded_at, round_id, case_id, grade);\n";

/* An audit carries its case's levels as the round drew it (they never change for
 * the round), so the report reads one covering index and joins nothing. */
static const char migration_3[] =
    "ALTER TABLE audit ADD COLUMN stratum TEXT;\n"
    "ALTER TABLE audit ADD COLUMN plan_type TEXT;\n"
    "ALTER TABLE audit ADD COLUMN age_band TEXT;\n"
    "ALTER TABLE audit ADD COLUMN team TEXT;\n"
    "UPDATE audit SET (stratum, plan_type, age_band, team) = (SELECT rc.stratum, rc.plan_type, rc.age_band,\n"
    "  rc.team FROM round_case rc WHERE rc.round_id = audit.round_id AND rc.case_id = audit.case_id);\n"
    "DROP INDEX audit_period;\n"
    "CREATE INDEX audit_period ON audit(audit_date, entered_at, superseded_at, round_id, case_id, grade, auditor,\n"
    "  stratum, plan_type, age_band, team);\n"
    "CREATE INDEX moderation_entered ON moderation(entered_at, superseded_at, round_id, case_id, grade, planned);\n";

/* How many of a round's cases had been graded as at a time: one covering index range
 * (the audit current then, per case), rather than a DISTINCT over the table's rows. */
static const char migration_4[] =
    "CREATE INDEX audit_round_entered ON audit(round_id, entered_at, superseded_at);\n";

/* A snapshot's cases become a plain table that the import appends to, in one range of
 * row ids per snapshot (snapshot.first_row .. last_row): a million-row import then
 * writes one B-tree in order instead of keeping a key index, and the sample reads its
 * frame as that range. A case is one row per snapshot by the import's own merging
 * (audit/import.c: a hash of the case ids, then merge_into); merge_into is set only
 * while an import runs. */
static const char migration_5[] =
    "CREATE TABLE snapshot_case_v5(\n"
    "  snapshot_id INTEGER NOT NULL REFERENCES snapshot(id),\n"
    "  case_id TEXT NOT NULL,\n"
    "  plan_type TEXT NOT NULL,\n"
    "  dob TEXT,\n"
    "  age INTEGER NOT NULL,\n"
    "  team TEXT,\n"
    "  worker TEXT,\n"
    "  plan_start TEXT,\n"
    "  plan_end TEXT,\n"
    "  gender TEXT,\n"
    "  ethnicity TEXT,\n"
    "  disability TEXT,\n"
    "  closed INTEGER NOT NULL DEFAULT 0,\n"
    "  src_file INTEGER NOT NULL,\n"
    "  src_line INTEGER NOT NULL,\n"
    "  dup_line INTEGER,\n"
    "  merge_into INTEGER\n"        /* during import: the row of the same case that this one merges into */
    ");\n"
    "INSERT INTO snapshot_case_v5(snapshot_id, case_id, plan_type, dob, age, team, worker, plan_start, plan_end,\n"
    "  gender, ethnicity, disability, closed, src_file, src_line, dup_line)\n"
    "  SELECT snapshot_id, case_id, plan_type, dob, age, team, worker, plan_start, plan_end, gender, ethnicity,\n"
    "  disability, closed, src_file, src_line, dup_line FROM snapshot_case ORDER BY snapshot_id, case_id;\n"
    "DROP TABLE snapshot_case;\n"
    "ALTER TABLE snapshot_case_v5 RENAME TO snapshot_case;\n"
    "ALTER TABLE snapshot ADD COLUMN first_row INTEGER;\n"
    "ALTER TABLE snapshot ADD COLUMN last_row INTEGER;\n"
    "UPDATE snapshot SET first_row = (SELECT min(rowid) FROM snapshot_case WHERE snapshot_id = snapshot.id),\n"
    "  last_row = (SELECT max(rowid) FROM snapshot_case WHERE snapshot_id = snapshot.id);\n";

/* The cases whose audit a correction replaced, for the report to find their moderation
 * by case rather than by the audit it named: a handful of rows, so a partial index. */
static const char migration_6[] =
    "CREATE INDEX audit_superseded ON audit(superseded_at, round_id, case_id) WHERE superseded_at IS NOT NULL;\n";

/* One definition of "the current record": the one no correction has replaced. The
 * database, not only the program, keeps it to one per case, and a snapshot's case to
 * one row once the import has merged it (rows marked merge_into exist only inside the
 * import's transaction). */
static const char migration_7[] =
    "CREATE VIEW audit_current AS SELECT * FROM audit WHERE superseded_at IS NULL;\n"
    "CREATE VIEW moderation_current AS SELECT * FROM moderation WHERE superseded_at IS NULL;\n"
    "CREATE UNIQUE INDEX audit_one_current ON audit(round_id, case_id) WHERE superseded_at IS NULL;\n"
    "CREATE UNIQUE INDEX moderation_one_current ON moderation(round_id, case_id) WHERE superseded_at IS NULL;\n"
    "CREATE UNIQUE INDEX snapshot_case_once ON snapshot_case(snapshot_id, case_id) WHERE merge_into IS NULL;\n"
    /* "The latest snapshot" is the greatest as-of date everywhere (SPEC §4), not the last imported. */
    "CREATE VIEW snapshot_latest AS SELECT id FROM snapshot ORDER BY as_of DESC, id DESC LIMIT 1;\n";

/* The people register (SPEC §6): who audits, moderates and leads QA, their teams
 * (as the latest case list spells them, joined with ';'), roles (joined with ';'),
 * capacity and whether they are active. A name is matched by its key: lower case,
 * spaces trimmed and collapsed. The old auditor table's people move in, each with
 * the auditor role (the table stays while assign still writes it). An audit records
 * whether its auditor stood in for the allocated one. */
static const char migration_8[] =
    "CREATE TABLE person(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL,\n"
    "  name_key TEXT NOT NULL UNIQUE,\n"
    "  teams TEXT NOT NULL DEFAULT '',\n"
    "  roles TEXT NOT NULL DEFAULT 'auditor',\n"
    "  email TEXT,\n"
    "  capacity INTEGER CHECK(capacity IS NULL OR capacity >= 0),\n"
    "  active INTEGER NOT NULL DEFAULT 1 CHECK(active IN (0, 1)),\n"
    "  entered_at TEXT NOT NULL,\n"
    "  entered_by TEXT NOT NULL,\n"
    "  updated_at TEXT\n"
    ");\n"
    "INSERT OR IGNORE INTO person(name, name_key, teams, roles, capacity, entered_at, entered_by)\n"
    "  SELECT trim(name), lower(trim(replace(replace(replace(name, '    ', ' '), '  ', ' '), '  ', ' '))),\n"
    "  coalesce(trim(team), ''), 'auditor', capacity, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'migration 8'\n"
    "  FROM auditor WHERE trim(name) <> '';\n"
    "ALTER TABLE audit ADD COLUMN stand_in INTEGER NOT NULL DEFAULT 0;\n";

/* A council's own spellings (SPEC §4): a column name, a plan value or a team spelling,
 * matched as vocab_normalise makes it, and what it stands for. */
static const char migration_9[] =
    "CREATE TABLE alias(\n"
    "  kind TEXT NOT NULL CHECK(kind IN ('column', 'plan', 'team')),\n"
    "  match TEXT NOT NULL CHECK(match <> ''),\n"   /* the spelling, normalised */
    "  spelling TEXT NOT NULL,\n"                   /* as given */
    "  target TEXT NOT NULL,\n"                     /* a field name, a plan code, a team */
    "  entered_at TEXT NOT NULL,\n"
    "  entered_by TEXT NOT NULL,\n"
    "  PRIMARY KEY(kind, match)\n"
    ");\n";

/* Themed (deep-dive) rounds (SPEC §15): a round with a theme is one; its filters in
 * words, and how many open cases they left out. Monthly rounds keep NULL. */
static const char migration_10[] =
    "ALTER TABLE round ADD COLUMN theme TEXT;\n"
    "ALTER TABLE round ADD COLUMN theme_filter TEXT;\n"
    "ALTER TABLE round ADD COLUMN excluded_theme INTEGER NOT NULL DEFAULT 0;\n";
/* The web front end (SPEC §14): a person's password as an Argon2id string
 * (libsodium's crypto_pwhash_str: it carries its own salt and limits); sessions,
 * of which only a hash of the cookie's 32 random bytes is kept, with the times
 * (seconds since the epoch, by the command's clock) that decide idle and absolute
 * expiry; failed logins and the lockouts they cause, by name key, so that a name
 * nobody has is counted like one somebody has. An index finds an auditor's cases. */
static const char migration_11[] =
    "CREATE TABLE person_password(\n"
    "  person_id INTEGER PRIMARY KEY REFERENCES person(id),\n"
    "  hash TEXT NOT NULL,\n"
    "  set_at TEXT NOT NULL,\n"
    "  set_by TEXT NOT NULL\n"
    ");\n"
    "CREATE TABLE session(\n"
    "  token_hash TEXT PRIMARY KEY,\n"      /* hex BLAKE2b of the cookie's token */
    "  person_id INTEGER NOT NULL REFERENCES person(id),\n"
    "  created INTEGER NOT NULL,\n"
    "  last_seen INTEGER NOT NULL,\n"
    "  ended INTEGER\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE login_failure(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name_key TEXT NOT NULL,\n"
    "  at INTEGER NOT NULL\n"
    ");\n"
    "CREATE INDEX login_failure_key ON login_failure(name_key, at);\n"
    /* An auditor's cases, for their page. */
    "CREATE INDEX round_case_auditor ON round_case(auditor, round_id);\n"
    "CREATE TABLE login_lock(\n"
    "  name_key TEXT PRIMARY KEY,\n"
    "  until INTEGER NOT NULL\n"
    ") WITHOUT ROWID;\n";

/* 12: the council's settings that every report carries (SPEC §9): its name and the
 * protective marking. A key that is absent has its default (cmd and audit/setting.c). */
static const char migration_12[] =
    "CREATE TABLE setting(\n"
    "  key TEXT PRIMARY KEY CHECK(key IN ('council', 'marking')),\n"
    "  value TEXT NOT NULL,\n"
    "  entered_at TEXT NOT NULL,\n"
    "  entered_by TEXT NOT NULL\n"
    ");\n";

const char *const ca_migrations[] = {
    migration_1,
    migration_2,
    migration_3,
    migration_4,
    migration_5,
    migration_6,
    migration_7,
    migration_8,
    migration_9,
    migration_10,
    migration_11,
    migration_12,
};
const int ca_nmigrations = sizeof ca_migrations / sizeof ca_migrations[0];
