/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The history database (docs/history-schema.md): opening it in WAL mode and
 * bringing its schema to the current version, one migration at a time, each
 * in its own transaction. PRAGMA user_version holds the version.
 */
#ifndef EXITLAT_HISTORY_DB_H
#define EXITLAT_HISTORY_DB_H

#include <sqlite3.h>

#define HISTORY_SCHEMA_VERSION	2
#define HISTORY_DEFAULT_DB	"results/history.db"
#define HISTORY_BUSY_MS		10000

/*
 * Opens (creating when @create) the database at @path and migrates it to
 * HISTORY_SCHEMA_VERSION. A database newer than this tool is refused.
 * Returns 0, or -1 with "PATH: what" printed on stderr.
 */
int history_db_open(const char *path, int create, sqlite3 **db);
/* Migrates @db up to @version (tests stop at older versions). Returns 0 or -1. */
int history_db_migrate(sqlite3 *db, const char *path, int version);
/* PRAGMA user_version, or -1. */
int history_db_version(sqlite3 *db);

/* Runs @sql (no rows); on failure prints "PATH: WHAT: sqlite's error". */
int history_exec(sqlite3 *db, const char *path, const char *what, const char *sql);
/* Prepares @sql; on failure prints the error and returns NULL. */
sqlite3_stmt *history_prepare(sqlite3 *db, const char *path, const char *sql);

#endif
