// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Query rows as CSV and JSON: text with NUL, quotes, controls, invalid UTF-8 stays data. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "emit.h"

/* What emit_rows() prints for @sql in @fmt. */
static char *emitted(const char *sql, enum emit_format fmt)
{
	static char out[1024];
	sqlite3_stmt *st;
	sqlite3 *db;
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	cr_assert_eq(emit_rows(st, fmt, f), 1);
	sqlite3_finalize(st);
	sqlite3_close(db);
	cr_assert_eq(fclose(f), 0);
	cr_assert_lt(size, sizeof(out));
	memcpy(out, buf, size + 1);
	free(buf);
	return out;
}

#define HOSTILE "SELECT 'a' || char(0) || 'b\"' || char(10) || CAST(x'ff' AS TEXT) AS host"

Test(emit, json_keeps_text_after_a_nul_and_escapes_it)
{
	cr_assert_str_eq(emitted(HOSTILE, EMIT_JSON),
			 "[\n {\"host\": \"a\\u0000b\\\"\\n\xef\xbf\xbd\"}\n]\n");
}

Test(emit, csv_quotes_and_shows_the_nul)
{
	cr_assert_str_eq(emitted(HOSTILE, EMIT_CSV),
			 "host\n\"a\xef\xbf\xbd" "b\"\"\n\xef\xbf\xbd\"\n");
}

Test(emit, table_shows_no_control_character)
{
	const char *t = emitted("SELECT 'red' || char(27) || '[31m' AS x", EMIT_TABLE);

	cr_assert_null(strchr(t, 27), "%s", t);
	cr_assert_not_null(strstr(t, "red\xef\xbf\xbd[31m"), "%s", t);
}
