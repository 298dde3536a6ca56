// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Query rows as a table, CSV or JSON (see emit.h). */
#include <stdlib.h>
#include <string.h>

#include "emit.h"

int emit_format_by_name(const char *name)
{
	if (!strcmp(name, "table"))
		return EMIT_TABLE;
	if (!strcmp(name, "csv"))
		return EMIT_CSV;
	if (!strcmp(name, "json"))
		return EMIT_JSON;
	return -1;
}

/* A cell as text: integers as such, reals with 15 significant digits. */
static char *cell(sqlite3_stmt *st, int i)
{
	char buf[64], *s = NULL;

	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		return strdup("");
	case SQLITE_INTEGER:
		snprintf(buf, sizeof(buf), "%lld", (long long)sqlite3_column_int64(st, i));
		return strdup(buf);
	case SQLITE_FLOAT:
		snprintf(buf, sizeof(buf), "%.15g", sqlite3_column_double(st, i));
		return strdup(buf);
	default:
		s = (char *)sqlite3_column_text(st, i);
		return strdup(s ? s : "");
	}
}

static void csv_field(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
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
			char *c = cell(st, i);

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
	if (fmt == EMIT_CSV) {
		for (int i = 0; i < nc; i++) {
			csv_field(out, sqlite3_column_name(st, i));
			fputc(i + 1 < nc ? ',' : '\n', out);
		}
	} else {
		fputc('[', out);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fmt == EMIT_JSON)
			fputs(n ? ",\n {" : "\n {", out);
		for (int i = 0; i < nc; i++) {
			char *c = cell(st, i);

			if (!c)
				return -1;
			if (fmt == EMIT_CSV) {
				csv_field(out, c);
				fputc(i + 1 < nc ? ',' : '\n', out);
			} else {
				json_string(out, sqlite3_column_name(st, i));
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
					json_string(out, c);
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
