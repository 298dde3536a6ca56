// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Query rows as a table, CSV or JSON (see emit.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exitlat/text.h"
#include "emit.h"

/* @len bytes, NULs included, and a terminating NUL. */
static char *strndup_all(const char *s, size_t len)
{
	char *d = malloc(len + 1);

	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

int emit_format_by_name(const char *name)
{
	if (!strcmp(name, "table"))
		return EMIT_TABLE;
	if (!strcmp(name, "csv"))
		return EMIT_CSV;
	if (!strcmp(name, "json"))
		return EMIT_JSON;
	if (!strcmp(name, "openmetrics"))
		return EMIT_OPENMETRICS;
	return -1;
}

/*
 * A cell as text: integers as such, reals with 15 significant digits, text
 * with its length (a NUL inside is text, not its end). For the table, text is
 * a label: no control character reaches the terminal.
 */
static char *cell(sqlite3_stmt *st, int i, size_t *len, int label)
{
	char buf[64];
	const char *s;

	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		buf[0] = '\0';
		break;
	case SQLITE_INTEGER:
		snprintf(buf, sizeof(buf), "%lld", (long long)sqlite3_column_int64(st, i));
		break;
	case SQLITE_FLOAT:
		snprintf(buf, sizeof(buf), "%.15g", sqlite3_column_double(st, i));
		break;
	default:
		s = (const char *)sqlite3_column_text(st, i);
		*len = sqlite3_column_bytes(st, i);
		if (label)
			return exitlat_label(s ? s : "", *len, SIZE_MAX);
		return s ? strndup_all(s, *len) : strdup("");
	}
	*len = strlen(buf);
	return strdup(buf);
}

static long emit_table(sqlite3_stmt *st, FILE *out)
{
	int nc = sqlite3_column_count(st), rc;
	size_t *w = calloc(nc, sizeof(*w)), nrows = 0, cap = 0;
	char **cells = NULL;
	long ret = -1;

	if (!w)
		return -1;
	for (int i = 0; i < nc; i++)
		w[i] = strlen(sqlite3_column_name(st, i));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (nrows == cap) {
			char **nb = realloc(cells, (cap = cap * 2 + 64) * nc * sizeof(*cells));

			if (!nb)
				goto out;
			cells = nb;
		}
		for (int i = 0; i < nc; i++) {
			size_t len;
			char *c = cell(st, i, &len, 1);

			if (!c)
				goto out;
			cells[nrows * nc + i] = c;
			if (strlen(c) > w[i])
				w[i] = strlen(c);
		}
		nrows++;
	}
	if (rc != SQLITE_DONE)
		goto out;
	for (int i = 0; i < nc; i++)
		fprintf(out, "%-*s%s", i + 1 < nc ? (int)w[i] : 0, sqlite3_column_name(st, i),
			i + 1 < nc ? "  " : "\n");
	for (size_t r = 0; r < nrows; r++)
		for (int i = 0; i < nc; i++)
			fprintf(out, "%-*s%s", i + 1 < nc ? (int)w[i] : 0, cells[r * nc + i],
				i + 1 < nc ? "  " : "\n");
	ret = (long)nrows;
out:
	for (size_t r = 0; cells && r < nrows; r++)
		for (int i = 0; i < nc; i++)
			free(cells[r * nc + i]);
	free(cells);
	free(w);
	return ret;
}

long emit_rows(sqlite3_stmt *st, enum emit_format fmt, FILE *out)
{
	int nc = sqlite3_column_count(st), rc;
	long n = 0;

	if (fmt == EMIT_TABLE)
		return emit_table(st, out);
	if (fmt == EMIT_OPENMETRICS)
		return -1;
	if (fmt == EMIT_CSV) {
		for (int i = 0; i < nc; i++) {
			const char *name = sqlite3_column_name(st, i);

			exitlat_csv_field(out, name, strlen(name));
			fputc(i + 1 < nc ? ',' : '\n', out);
		}
	} else {
		fputc('[', out);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fmt == EMIT_JSON)
			fputs(n ? ",\n {" : "\n {", out);
		for (int i = 0; i < nc; i++) {
			const char *name = sqlite3_column_name(st, i);
			size_t len;
			char *c = cell(st, i, &len, 0);

			if (!c)
				return -1;
			if (fmt == EMIT_CSV) {
				exitlat_csv_field(out, c, len);
				fputc(i + 1 < nc ? ',' : '\n', out);
			} else {
				exitlat_json_str(out, name, strlen(name));
				fputs(": ", out);
				switch (sqlite3_column_type(st, i)) {
				case SQLITE_NULL:
					fputs("null", out);
					break;
				case SQLITE_INTEGER:
				case SQLITE_FLOAT:
					fputs(c, out);
					break;
				default:
					exitlat_json_str(out, c, len);
				}
				fputs(i + 1 < nc ? ", " : "}", out);
			}
			free(c);
		}
		n++;
	}
	if (fmt == EMIT_JSON)
		fputs(n ? "\n]\n" : "]\n", out);
	return rc == SQLITE_DONE ? n : -1;
}
