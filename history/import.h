/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Importing one run folder (results/<host>/<UTC>/ written by scripts/run)
 * into the history, in one transaction: all of it or nothing.
 *
 * A complete folder has env.txt, parts.txt and the statistics of
 * `exitlat-analyze --format json` in summary.json (measured) and/or
 * emulated/<emu>-<kernel>/summary.json. It becomes a run with status ok
 * (every part ran), degraded (a part failed, statistics exist) or failed (no
 * statistics). A folder without parts.txt (a run killed half-way), or with a
 * summary.json that does not parse, is reported and skipped; with
 * record_failed it is recorded as a failed run without series instead.
 * Importing the same folder again changes nothing; a folder whose files
 * changed replaces its run; a bad folder never replaces recorded data.
 */
#ifndef EXITLAT_HISTORY_IMPORT_H
#define EXITLAT_HISTORY_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <sqlite3.h>

enum import_outcome {
	IMPORT_NEW,		/* a new run */
	IMPORT_REPLACED,	/* the folder changed since its last import */
	IMPORT_UNCHANGED,	/* already in the history as it is */
	IMPORT_RECORDED_FAILED,	/* a bad folder, recorded as a failed run */
	IMPORT_SKIPPED,		/* a bad folder, left out */
	IMPORT_ERROR,		/* the database failed: nothing was written */
};

#define IMPORT_MSG_MAX 1024

/* Registers the SQL functions import needs (exitlat_exit_known). */
int history_import_init(sqlite3 *db);

/*
 * Imports @dir. @msg gets a one-line account: what was imported, or the file
 * and field that made the folder bad.
 */
enum import_outcome history_import(sqlite3 *db, const char *dbpath, const char *dir,
				   bool record_failed, char *msg, size_t msglen);

const char *history_import_outcome_name(enum import_outcome o);

#endif
