// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Schema and migrations of the history database (docs/history-schema.md). */
#include <stdint.h>
#include <stdio.h>

#include "db.h"

/*
 * migrations[i] takes a database from version i to version i + 1. Append
 * only: a released step is never edited, a change is a new step.
 */
static const char *const migrations[HISTORY_SCHEMA_VERSION] = {
	/* 0 -> 1: runs and their series */
	"CREATE TABLE runs (\n"
	"  id          INTEGER PRIMARY KEY,\n"
	"  host        TEXT NOT NULL,\n"
	"  time        TEXT NOT NULL,\n"
	"  folder      TEXT NOT NULL,\n"
	"  kernel      TEXT NOT NULL,\n"
	"  microcode   TEXT NOT NULL,\n"
	"  cpu_model   TEXT NOT NULL,\n"
	"  emulated    TEXT NOT NULL,\n"
	"  version     TEXT NOT NULL,\n"
	"  status      TEXT NOT NULL CHECK (status IN ('ok', 'degraded', 'failed')),\n"
	"  reason      TEXT NOT NULL DEFAULT '',\n"
	"  digest      TEXT NOT NULL,\n"
	"  imported_at TEXT NOT NULL,\n"
	"  UNIQUE (host, time)\n"
	");\n"
	"CREATE TABLE series (\n"
	"  run_id   INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,\n"
	"  track    TEXT NOT NULL,\n"
	"  source   TEXT NOT NULL,\n"
	"  exit     TEXT NOT NULL,\n"
	"  domain   TEXT NOT NULL,\n"
	"  emulated TEXT NOT NULL,\n"
	"  kernel   TEXT NOT NULL,\n"
	"  null_subtracted TEXT NOT NULL,\n"
	"  tsc_khz  INTEGER,\n"
	"  count    INTEGER NOT NULL,\n"
	"  min REAL NOT NULL, max REAL NOT NULL, mean REAL, stddev REAL,\n"
	"  median REAL NOT NULL, p25 REAL, p75 REAL, iqr REAL, p90 REAL,\n"
	"  p99 REAL NOT NULL, p999 REAL, p9999 REAL,\n"
	"  PRIMARY KEY (run_id, track)\n"
	");\n",
	/* 1 -> 2: the source tree a run was built from; tracks by name */
	"ALTER TABLE runs ADD COLUMN commit_id TEXT NOT NULL DEFAULT 'unknown';\n"
	"CREATE INDEX series_track ON series (track, run_id);\n",
};

/* The wait of the open history, for the message that names a lock. */
static unsigned int busy_wait_s = HISTORY_WAIT_S;

/* "PATH: WHAT: why", with a lock named as such. */
static void report(sqlite3 *db, const char *path, const char *what, const char *err)
{
	int rc = sqlite3_errcode(db) & 0xff;

	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		fprintf(stderr, "%s: %s: the history is locked by another process (an import?); "
			"gave up after waiting %u s (--wait SEC)\n", path, what, busy_wait_s);
	else
		fprintf(stderr, "%s: %s: %s\n", path, what, err ? err : sqlite3_errmsg(db));
}

int history_exec(sqlite3 *db, const char *path, const char *what, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK)
		return 0;
	report(db, path, what, err);
	sqlite3_free(err);
	return -1;
}

sqlite3_stmt *history_prepare(sqlite3 *db, const char *path, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		report(db, path, "preparing a query", NULL);
		return NULL;
	}
	return st;
}

int history_db_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int history_db_migrate(sqlite3 *db, const char *path, int version)
{
	char sql[64];
	int v;

	/* The version is read inside the write lock: two tools racing agree. */
	if (history_exec(db, path, "locking the database", "BEGIN IMMEDIATE"))
		return -1;
	v = history_db_version(db);
	if (v < 0 || v > HISTORY_SCHEMA_VERSION) {
		if (v < 0)
			report(db, path, "cannot read the schema version", NULL);
		else
			fprintf(stderr, "%s: schema version %d is newer than this exitlat-history (%d): "
				"upgrade exitlat\n", path, v, HISTORY_SCHEMA_VERSION);
		history_exec(db, path, "rollback", "ROLLBACK");
		return -1;
	}
	for (; v < version; v++) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (history_exec(db, path, "migrating the schema", migrations[v]) ||
		    history_exec(db, path, "setting the schema version", sql)) {
			history_exec(db, path, "rollback", "ROLLBACK");
			return -1;
		}
	}
	return history_exec(db, path, "committing the schema", "COMMIT");
}

/* A read-only history must already hold this tool's schema: nothing is changed. */
static int check_readable(sqlite3 *db, const char *path)
{
	int v = history_db_version(db);
	int rc = sqlite3_errcode(db) & 0xff;

	if (v < 0 && rc == SQLITE_READONLY)
		fprintf(stderr, "%s: cannot read it without writing: it is still in WAL mode; the "
			"next import by its owner converts it\n", path);
	else if (v < 0)
		report(db, path, "reading the schema version", NULL);
	else if (v == 0)
		fprintf(stderr, "%s: not an exitlat history (no schema: an empty or another "
			"database); import a results folder first\n", path);
	else if (v < HISTORY_SCHEMA_VERSION)
		fprintf(stderr, "%s: schema version %d is older than this exitlat-history (%d): "
			"the next import migrates it\n", path, v, HISTORY_SCHEMA_VERSION);
	else if (v > HISTORY_SCHEMA_VERSION)
		fprintf(stderr, "%s: schema version %d is newer than this exitlat-history (%d): "
			"upgrade exitlat\n", path, v, HISTORY_SCHEMA_VERSION);
	else
		return 0;
	return -1;
}

int history_db_open(const char *path, enum history_access how, unsigned int wait_s,
		    sqlite3 **db)
{
	int flags = how == HISTORY_READ ? SQLITE_OPEN_READONLY :
					  SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

	busy_wait_s = wait_s;
	if (sqlite3_open_v2(path, db, flags, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: cannot open the history: %s%s\n", path,
			*db ? sqlite3_errmsg(*db) : "out of memory",
			how == HISTORY_READ ? " (import a results folder first)" : "");
		goto err_close;
	}
	sqlite3_busy_timeout(*db, wait_s > INT32_MAX / 1000 ? INT32_MAX : (int)wait_s * 1000);
	sqlite3_extended_result_codes(*db, 1);
	if (how == HISTORY_READ) {
		if (check_readable(*db, path))
			goto err_close;
		return 0;
	}
	/*
	 * A rollback journal, not WAL: a WAL reader must be able to write the
	 * -shm file beside the database, so a user who may only read it could not.
	 */
	if (history_exec(*db, path, "choosing the rollback journal", "PRAGMA journal_mode = DELETE") ||
	    history_exec(*db, path, "enabling foreign keys", "PRAGMA foreign_keys = ON") ||
	    history_db_migrate(*db, path, HISTORY_SCHEMA_VERSION))
		goto err_close;
	return 0;

err_close:
	sqlite3_close(*db);
	*db = NULL;
	return -1;
}
