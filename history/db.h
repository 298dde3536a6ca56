/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The history database (docs/history-schema.md): opening it for reading
 * (read-only: any user who can read the file) or for writing (rollback
 * journal, schema brought to the current version, one migration at a time,
 * each in its own transaction). PRAGMA user_version holds the version.
 */
#ifndef EXITLAT_HISTORY_DB_H
#define EXITLAT_HISTORY_DB_H

#include <sqlite3.h>

#define HISTORY_SCHEMA_VERSION	2
#define HISTORY_DEFAULT_DB	"results/history.db"
/* How long a locked history is waited for by default (--wait), in seconds. */
#define HISTORY_WAIT_S		10

enum history_access {
	HISTORY_READ,		/* read-only; never creates, migrates or converts */
	HISTORY_WRITE,		/* creates, migrates to HISTORY_SCHEMA_VERSION */
};

/*
 * Opens the database at @path, waiting up to @wait_s seconds while another
 * process holds it locked. For reading, the file must exist and hold the
 * current schema (an empty file is not a history); it is opened read-only, so
 * it is never changed. For writing, it is created when missing and migrated.
 * A database newer than this tool is refused either way. Returns 0, or -1
 * with "PATH: what" printed on stderr (a lock names itself and the wait).
 */
int history_db_open(const char *path, enum history_access how, unsigned int wait_s,
		    sqlite3 **db);
/* Migrates @db up to @version (tests stop at older versions). Returns 0 or -1. */
int history_db_migrate(sqlite3 *db, const char *path, int version);
/* PRAGMA user_version, or -1. */
int history_db_version(sqlite3 *db);

/* Runs @sql (no rows); on failure prints "PATH: WHAT: sqlite's error". */
int history_exec(sqlite3 *db, const char *path, const char *what, const char *sql);
/* Prepares @sql; on failure prints the error and returns NULL. */
sqlite3_stmt *history_prepare(sqlite3 *db, const char *path, const char *sql);

#endif
