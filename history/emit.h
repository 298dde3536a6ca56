/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Prints the rows of a query as an aligned table (for people), CSV
 * (RFC 4180, a header row of the query's column names) or JSON (an array of
 * objects keyed by column name; integers and reals as numbers, NULL as null).
 */
#ifndef EXITLAT_HISTORY_EMIT_H
#define EXITLAT_HISTORY_EMIT_H

#include <stdio.h>
#include <sqlite3.h>

enum emit_format {
	EMIT_TABLE,
	EMIT_CSV,
	EMIT_JSON,
	EMIT_OPENMETRICS,	/* export only: history/metrics.c, not a query's rows */
};

/* Returns the format, or -1 for an unknown name. */
int emit_format_by_name(const char *name);

/* Steps @st to the end. Returns the number of rows, or -1 (error on stderr). */
long emit_rows(sqlite3_stmt *st, enum emit_format fmt, FILE *out);

#endif
