// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * One run folder into the history (see import.h). The JSON of
 * exitlat-analyze is read by SQLite's own JSON functions, straight into the
 * series table: no second parser, no statistic computed here.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exitlat/exit_kind_table.h"
#include "db.h"
#include "import.h"

#define MAX_SUMMARIES 64

struct run_folder {
	char dir[PATH_MAX];
	char host[256];
	char time[64];
	char *env;		/* env.txt, NULL when absent */
	char *parts;		/* parts.txt, NULL when absent */
	int nsum;
	char *sum_path[MAX_SUMMARIES];
	char *sum[MAX_SUMMARIES];
	char status[16];
	char reason[IMPORT_MSG_MAX];
	char digest[17];
};

static void say(char *msg, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
}

static void set_reason(struct run_folder *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_reason(struct run_folder *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->reason, sizeof(f->reason), fmt, ap);
	va_end(ap);
}

/* The whole file, NUL-terminated; NULL (errno set) when it cannot be read. */
static char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap = cap * 2 + 8192);

			if (!nb)
				goto err;
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f))
		goto err;
	fclose(f);
	buf[len] = '\0';
	return buf;
err:
	free(buf);
	fclose(f);
	errno = errno ? errno : EIO;
	return NULL;
}

/* Value of "KEY: value" in a key-value text (env.txt), or @def. */
static void kv_get(const char *text, const char *key, char *out, size_t len, const char *def)
{
	size_t kl = strlen(key);
	const char *p = text;

	snprintf(out, len, "%s", def);
	while (p && *p) {
		if (!strncmp(p, key, kl) && p[kl] == ':') {
			const char *v = p + kl + 1, *e;

			while (*v == ' ' || *v == '\t')
				v++;
			e = strchr(v, '\n');
			e = e ? e : v + strlen(v);
			while (e > v && (e[-1] == ' ' || e[-1] == '\r'))
				e--;
			if (e > v)
				snprintf(out, len, "%.*s", (int)(e - v), v);
			return;
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
}

static void fnv1a(uint64_t *h, const char *s)
{
	for (; s && *s; s++) {
		*h ^= (unsigned char)*s;
		*h *= 0x100000001b3ULL;
	}
	*h ^= 0xff;	/* separator: "ab" + "c" differs from "a" + "bc" */
	*h *= 0x100000001b3ULL;
}

/* "20261125T143000Z" -> "2026-11-25T14:30:00Z". Returns 0 or -1. */
static int stamp_to_iso(const char *stamp, char *out, size_t len)
{
	struct tm tm = { 0 };
	const char *end = strptime(stamp, "%Y%m%dT%H%M%SZ", &tm);

	if (!end || *end)
		return -1;
	strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return 0;
}

static void folder_free(struct run_folder *f)
{
	free(f->env);
	free(f->parts);
	for (int i = 0; i < f->nsum; i++) {
		free(f->sum_path[i]);
		free(f->sum[i]);
	}
}

/*
 * Reads the summary at @path into @f when it exists. Returns 1 when it exists
 * but cannot be read (the first such reason goes to f->reason unless @bad), else 0.
 */
static int add_summary(struct run_folder *f, const char *path, uint64_t *h, int bad)
{
	char *text;

	if (access(path, F_OK) != 0 || f->nsum >= MAX_SUMMARIES)
		return 0;
	text = read_all(path);
	if (!text) {
		if (!bad)
			set_reason(f, "%s: %s", path, strerror(errno));
		return 1;
	}
	f->sum_path[f->nsum] = strdup(path);
	f->sum[f->nsum++] = text;
	fnv1a(h, path + strlen(f->dir));
	fnv1a(h, text);
	return 0;
}

/*
 * Reads what import needs. Returns 0 for a complete folder, 1 for a bad one
 * (@f->reason says why, host and time may still be known), -1 when the
 * folder cannot even be named (no host or time).
 */
static int folder_read(struct run_folder *f, const char *dir)
{
	char path[PATH_MAX + 320], stamp[256], *slash;
	struct dirent **emu = NULL;
	uint64_t h = 0xcbf29ce484222325ULL;
	int bad = 0, nemu;

	if (!realpath(dir, f->dir)) {
		set_reason(f, "%s: %s", dir, strerror(errno));
		return -1;
	}
	slash = strrchr(f->dir, '/');
	snprintf(stamp, sizeof(stamp), "%s", slash + 1);
	*slash = '\0';
	slash = strrchr(f->dir, '/');
	snprintf(f->host, sizeof(f->host), "%s", slash ? slash + 1 : "");
	f->dir[strlen(f->dir)] = '/';
	if (!f->host[0]) {
		set_reason(f, "%s: not a run folder (results/HOST/UTC/)", dir);
		return -1;
	}

	snprintf(path, sizeof(path), "%s/env.txt", f->dir);
	f->env = read_all(path);
	if (f->env) {
		struct tm tm = { 0 };
		const char *end;

		kv_get(f->env, "time", f->time, sizeof(f->time), "");
		/* Times sort as text: only one spelling is accepted. */
		end = f->time[0] ? strptime(f->time, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
		if (f->time[0] && (!end || *end || strlen(f->time) != 20)) {
			set_reason(f, "%s: time '%s' is not UTC ISO 8601 (2026-11-25T14:30:00Z)",
				   path, f->time);
			return -1;
		}
	}
	if (!f->time[0] && stamp_to_iso(stamp, f->time, sizeof(f->time))) {
		snprintf(f->reason, sizeof(f->reason),
			 "%s: no time: no env.txt 'time:' and the folder name is not a UTC stamp", dir);
		return -1;
	}
	if (!f->env) {
		set_reason(f, "%s: %s", path, strerror(errno));
		bad = 1;
	}
	fnv1a(&h, f->env);

	snprintf(path, sizeof(path), "%s/parts.txt", f->dir);
	f->parts = read_all(path);
	if (!f->parts && !bad) {
		snprintf(path, sizeof(path), "%s/.parts", f->dir);
		set_reason(f, "%s: no parts.txt: the run did not finish%s",
			 dir, access(path, F_OK) ? "" : " (killed half-way: .parts left)");
		bad = 1;
	}
	fnv1a(&h, f->parts);

	/*
	 * DIR/summary.json, then DIR/emulated/NAME/summary.json in name order.
	 * The folder's name is never a pattern: "lab[1]" is not "lab1".
	 */
	snprintf(path, sizeof(path), "%s/summary.json", f->dir);
	bad |= add_summary(f, path, &h, bad);
	snprintf(path, sizeof(path), "%s/emulated", f->dir);
	nemu = scandir(path, &emu, NULL, alphasort);
	for (int i = 0; i < nemu; i++) {
		/* As '*' would: no hidden names. */
		if (emu[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/emulated/%s/summary.json", f->dir,
				 emu[i]->d_name);
			bad |= add_summary(f, path, &h, bad);
		}
		free(emu[i]);
	}
	free(emu);
	snprintf(f->digest, sizeof(f->digest), "%016llx", (unsigned long long)h);
	return bad;
}

/* SQL: exitlat_exit_known(name) is 1 for a kind of the shared exit table. */
static void sql_exit_known(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *name = sqlite3_value_text(argv[0]);

	(void)argc;
	sqlite3_result_int(ctx, name && exitlat_exit_by_name((const char *)name) >= 0);
}

int history_import_init(sqlite3 *db)
{
	return sqlite3_create_function(db, "exitlat_exit_known", 1,
				       SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
				       sql_exit_known, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/*
 * The first problem of one summary.json, as "series N (ID): field 'F' ...",
 * or "" when it holds what the history needs (docs/analysis-outputs.md).
 */
static const char check_sql[] =
	"WITH need(name, kind) AS (VALUES\n"
	"  ('id', 't'), ('env', 't'), ('source', 't'), ('exit', 't'), ('domain', 't'),\n"
	"  ('count', 'i'), ('min', 'n'), ('max', 'n'), ('median', 'n'), ('p99', 'n'),\n"
	"  ('mean', 'o'), ('stddev', 'o'), ('p25', 'o'), ('p75', 'o'), ('iqr', 'o'),\n"
	"  ('p90', 'o'), ('p999', 'o'), ('p9999', 'o'), ('tsc_khz', 'o'))\n"
	"SELECT CASE\n"
	"  WHEN NOT json_valid(?1) THEN 'not valid JSON'\n"
	"  WHEN json_type(?1, '$.series') IS NOT 'array' THEN 'no \"series\" array'\n"
	"  WHEN json_type(?1, '$.environments') IS NOT 'array' THEN 'no \"environments\" array'\n"
	"  ELSE (SELECT printf('series[%d] (%s): %s', key, id, p) FROM (\n"
	"          SELECT s.key AS key, coalesce(json_extract(s.value, '$.id'), '?') AS id, CASE\n"
	"           WHEN n.kind = 't' AND json_type(s.value, '$.' || n.name) IS NOT 'text'\n"
	"             THEN printf('field \"%s\" is missing or not a string', n.name)\n"
	"           WHEN n.kind = 'i' AND json_type(s.value, '$.' || n.name) IS NOT 'integer'\n"
	"             THEN printf('field \"%s\" is missing or not an integer', n.name)\n"
	"           WHEN n.kind = 'n' AND coalesce(json_type(s.value, '$.' || n.name), '') NOT IN ('integer', 'real')\n"
	"             THEN printf('field \"%s\" is missing or not a number', n.name)\n"
	"           WHEN n.kind = 'o' AND coalesce(json_type(s.value, '$.' || n.name), 'null') NOT IN ('integer', 'real', 'null')\n"
	"             THEN printf('field \"%s\" is not a number', n.name)\n"
	"           END AS p\n"
	"          FROM json_each(?1, '$.series') s, need n)\n"
	"        WHERE p IS NOT NULL\n"
	"        UNION ALL\n"
	"        SELECT printf('series[%d] (%s): field \"source\" is \"%s\", not native or kvm', s.key, json_extract(s.value, '$.id'), json_extract(s.value, '$.source'))\n"
	"        FROM json_each(?1, '$.series') s WHERE json_extract(s.value, '$.source') NOT IN ('native', 'kvm')\n"
	"        UNION ALL\n"
	"        SELECT printf('series[%d] (%s): field \"exit\" is \"%s\", not an exit kind', s.key, json_extract(s.value, '$.id'), json_extract(s.value, '$.exit'))\n"
	"        FROM json_each(?1, '$.series') s WHERE NOT exitlat_exit_known(json_extract(s.value, '$.exit'))\n"
	"        UNION ALL\n"
	"        SELECT printf('series[%d] (%s): field \"env\" names no entry of \"environments\"', s.key, json_extract(s.value, '$.id'))\n"
	"        FROM json_each(?1, '$.series') s WHERE NOT EXISTS (\n"
	"          SELECT 1 FROM json_each(?1, '$.environments') e\n"
	"          WHERE json_extract(e.value, '$.env') = json_extract(s.value, '$.env'))\n"
	"        LIMIT 1)\n"
	"END";

static const char insert_run_sql[] =
	"INSERT INTO runs (host, time, folder, kernel, microcode, cpu_model, emulated, version,\n"
	"                  status, reason, digest, imported_at, commit_id)\n"
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'no', ?7, ?8, ?9, ?10,\n"
	"        strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?11)";

/*
 * Every series of one summary.json; the track is made unique per run below.
 * null_subtracted: false -> "no", null -> "none", else the number.
 */
static const char insert_series_sql[] =
	"INSERT INTO series (run_id, track, source, exit, domain, emulated, kernel,\n"
	"  null_subtracted, tsc_khz, count, min, max, mean, stddev, median, p25, p75, iqr,\n"
	"  p90, p99, p999, p9999)\n"
	"SELECT ?2,\n"
	"  printf('%s-%s/%s/%s@%s', json_extract(s.value, '$.source'), json_extract(s.value, '$.exit'),\n"
	"         json_extract(s.value, '$.domain'), json_extract(e.value, '$.emulated'),\n"
	"         json_extract(e.value, '$.kernel')),\n"
	"  json_extract(s.value, '$.source'), json_extract(s.value, '$.exit'),\n"
	"  json_extract(s.value, '$.domain'), coalesce(json_extract(e.value, '$.emulated'), 'unknown'),\n"
	"  coalesce(json_extract(e.value, '$.kernel'), 'unknown'),\n"
	"  CASE json_type(s.value, '$.null_subtracted') WHEN 'false' THEN 'no' WHEN 'null' THEN 'none'\n"
	"    WHEN 'true' THEN 'yes' ELSE coalesce(json_extract(s.value, '$.null_subtracted'), 'no') END,\n"
	"  json_extract(s.value, '$.tsc_khz'), json_extract(s.value, '$.count'),\n"
	"  json_extract(s.value, '$.min'), json_extract(s.value, '$.max'),\n"
	"  json_extract(s.value, '$.mean'), json_extract(s.value, '$.stddev'),\n"
	"  json_extract(s.value, '$.median'), json_extract(s.value, '$.p25'),\n"
	"  json_extract(s.value, '$.p75'), json_extract(s.value, '$.iqr'),\n"
	"  json_extract(s.value, '$.p90'), json_extract(s.value, '$.p99'),\n"
	"  json_extract(s.value, '$.p999'), json_extract(s.value, '$.p9999')\n"
	"FROM json_each(?1, '$.series') s\n"
	"JOIN json_each(?1, '$.environments') e\n"
	"  ON json_extract(e.value, '$.env') = json_extract(s.value, '$.env')\n"
	"GROUP BY s.key";

/*
 * A track names a series across nights: SOURCE-EXIT/DOMAIN/EMULATED. Only
 * when one run holds it for more than one kernel (an emulator booted with
 * two guest kernels) does the kernel stay in the name (@KERNEL).
 */
static const char tracks_sql[] =
	"UPDATE series SET track = substr(track, 1, instr(track, '@') - 1)\n"
	"WHERE run_id = ?1 AND (source, exit, domain, emulated) IN (\n"
	"  SELECT source, exit, domain, emulated FROM series WHERE run_id = ?1\n"
	"  GROUP BY source, exit, domain, emulated HAVING count(*) = 1)";

/* Runs @st once and resets it; returns 0 or -1. */
static int step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* Checks every summary; returns 0, or 1 with the problem in f->reason. */
static int summaries_check(sqlite3 *db, const char *dbpath, struct run_folder *f)
{
	sqlite3_stmt *st = history_prepare(db, dbpath, check_sql);
	int bad = 0;

	if (!st)
		return -1;
	for (int i = 0; i < f->nsum && !bad; i++) {
		sqlite3_bind_text(st, 1, f->sum[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW) {
			set_reason(f, "%s: %s", f->sum_path[i],
				 sqlite3_errmsg(db));
			bad = 1;
		} else if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
			set_reason(f, "%s: %s", f->sum_path[i],
				 (const char *)sqlite3_column_text(st, 0));
			bad = 1;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return bad;
}

/* status and reason of a complete folder, from parts.txt and the summaries. */
static void folder_status(struct run_folder *f)
{
	const char *p = f->parts;
	size_t used = 0;

	snprintf(f->status, sizeof(f->status), "ok");
	while (p && *p) {
		const char *e = strchr(p, '\n');
		int len = e ? (int)(e - p) : (int)strlen(p);

		if (memmem(p, len, " failed: ", 9) && used < sizeof(f->reason) - 1) {
			snprintf(f->status, sizeof(f->status), "degraded");
			used += snprintf(f->reason + used, sizeof(f->reason) - used, "%s%.*s",
					 used ? "; " : "", len, p);
		}
		p = e ? e + 1 : NULL;
	}
	if (f->nsum == 0) {
		snprintf(f->status, sizeof(f->status), "failed");
		if (!used)
			set_reason(f, "no statistics (no summary.json)");
	}
}

static enum import_outcome import_txn(sqlite3 *db, const char *dbpath, struct run_folder *f,
				      int bad, char *msg, size_t msglen)
{
	sqlite3_stmt *st = NULL;
	sqlite3_int64 old_id = -1, run_id;
	char old_digest[17] = "", old_status[16] = "", kernel[256], ucode[256], model[256],
	     commit[128];
	enum import_outcome out;

	if (history_exec(db, dbpath, "locking the database", "BEGIN IMMEDIATE"))
		return IMPORT_ERROR;
	st = history_prepare(db, dbpath, "SELECT id, digest, status FROM runs WHERE host = ?1 AND time = ?2");
	if (!st)
		goto err;
	sqlite3_bind_text(st, 1, f->host, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f->time, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		old_id = sqlite3_column_int64(st, 0);
		snprintf(old_digest, sizeof(old_digest), "%s", sqlite3_column_text(st, 1));
		snprintf(old_status, sizeof(old_status), "%s", sqlite3_column_text(st, 2));
	}
	sqlite3_finalize(st);
	st = NULL;

	if (old_id >= 0 && !strcmp(old_digest, f->digest)) {
		say(msg, msglen, "%s/%s: unchanged, already in the history (%s)", f->host,
		    f->time, old_status);
		out = IMPORT_UNCHANGED;
		goto commit;
	}
	if (bad && old_id >= 0) {
		say(msg, msglen, "%s: skipped, the history keeps its earlier import (%s)",
		    f->reason, old_status);
		out = IMPORT_SKIPPED;
		goto commit;
	}
	if (old_id >= 0) {
		st = history_prepare(db, dbpath, "DELETE FROM runs WHERE id = ?1");
		if (!st)
			goto err;
		sqlite3_bind_int64(st, 1, old_id);
		if (step_done(st))
			goto err_sql;
		sqlite3_finalize(st);
		st = NULL;
	}

	kv_get(f->env ? f->env : "", "kernel", kernel, sizeof(kernel), "unknown");
	kv_get(f->env ? f->env : "", "microcode", ucode, sizeof(ucode), "unknown");
	kv_get(f->env ? f->env : "", "cpu_model", model, sizeof(model), "unknown");
	kv_get(f->env ? f->env : "", "exitlat_commit", commit, sizeof(commit), "unknown");
	st = history_prepare(db, dbpath, insert_run_sql);
	if (!st)
		goto err;
	sqlite3_bind_text(st, 1, f->host, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f->time, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, f->dir, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, kernel, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, ucode, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, model, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, "unknown", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, bad ? "failed" : f->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, f->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, f->digest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, commit, -1, SQLITE_STATIC);
	if (step_done(st))
		goto err_sql;
	sqlite3_finalize(st);
	st = NULL;
	run_id = sqlite3_last_insert_rowid(db);

	if (!bad) {
		st = history_prepare(db, dbpath, insert_series_sql);
		if (!st)
			goto err;
		for (int i = 0; i < f->nsum; i++) {
			sqlite3_bind_text(st, 1, f->sum[i], -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, run_id);
			if (step_done(st)) {
				/* e.g. the same series twice in one run */
				set_reason(f, "%s: %s", f->sum_path[i],
					 sqlite3_errmsg(db));
				sqlite3_finalize(st);
				history_exec(db, dbpath, "rollback", "ROLLBACK");
				say(msg, msglen, "%s", f->reason);
				return IMPORT_SKIPPED;
			}
		}
		sqlite3_finalize(st);
		st = history_prepare(db, dbpath, tracks_sql);
		if (!st)
			goto err;
		sqlite3_bind_int64(st, 1, run_id);
		if (step_done(st))
			goto err_sql;
		sqlite3_finalize(st);
		st = history_prepare(db, dbpath,
			"UPDATE runs SET emulated = coalesce((SELECT group_concat(e, ',') FROM\n"
			"  (SELECT DISTINCT emulated AS e FROM series WHERE run_id = ?1 ORDER BY e)), 'no'),\n"
			"  version = coalesce(json_extract(?2, '$.tool'), version)\n"
			"WHERE id = ?1");
		if (!st)
			goto err;
		sqlite3_bind_int64(st, 1, run_id);
		if (f->nsum)
			sqlite3_bind_text(st, 2, f->sum[0], -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 2);
		if (step_done(st))
			goto err_sql;
		sqlite3_finalize(st);
		st = NULL;
		say(msg, msglen, "%s/%s: %s %s, %d summar%s%s%s", f->host, f->time,
		    old_id >= 0 ? "re-imported" : "imported", f->status, f->nsum,
		    f->nsum == 1 ? "y" : "ies", f->reason[0] ? ": " : "", f->reason);
		out = old_id >= 0 ? IMPORT_REPLACED : IMPORT_NEW;
	} else {
		say(msg, msglen, "%s: recorded as a failed run", f->reason);
		out = IMPORT_RECORDED_FAILED;
	}

commit:
	if (history_exec(db, dbpath, "committing the import", "COMMIT"))
		goto err;
	return out;

err_sql:
	fprintf(stderr, "%s: importing %s: %s\n", dbpath, f->dir, sqlite3_errmsg(db));
err:
	sqlite3_finalize(st);
	history_exec(db, dbpath, "rollback", "ROLLBACK");
	say(msg, msglen, "%s: not imported: the database failed", f->dir);
	return IMPORT_ERROR;
}

enum import_outcome history_import(sqlite3 *db, const char *dbpath, const char *dir,
				   bool record_failed, char *msg, size_t msglen)
{
	struct run_folder *f = calloc(1, sizeof(*f));
	enum import_outcome out;
	int bad;

	if (!f) {
		say(msg, msglen, "%s: out of memory", dir);
		return IMPORT_ERROR;
	}
	bad = folder_read(f, dir);
	if (bad < 0) {
		say(msg, msglen, "%s", f->reason);
		out = IMPORT_SKIPPED;
		goto out;
	}
	if (!bad) {
		bad = summaries_check(db, dbpath, f);
		if (bad < 0) {
			say(msg, msglen, "%s: not imported: the database failed", dir);
			out = IMPORT_ERROR;
			goto out;
		}
	}
	if (!bad)
		folder_status(f);
	if (bad && !record_failed) {
		say(msg, msglen, "%s", f->reason);
		out = IMPORT_SKIPPED;
		goto out;
	}
	out = import_txn(db, dbpath, f, bad, msg, msglen);
out:
	folder_free(f);
	free(f);
	return out;
}

const char *history_import_outcome_name(enum import_outcome o)
{
	static const char *const names[] = {
		[IMPORT_NEW]             = "new",
		[IMPORT_REPLACED]        = "replaced",
		[IMPORT_UNCHANGED]       = "unchanged",
		[IMPORT_RECORDED_FAILED] = "recorded-failed",
		[IMPORT_SKIPPED]         = "skipped",
		[IMPORT_ERROR]           = "error",
	};

	return (unsigned int)o < sizeof(names) / sizeof(names[0]) ? names[o] : "unknown";
}
