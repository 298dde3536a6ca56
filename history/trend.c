// SPDX-License-Identifier: GPL-2.0 OR MIT
/* gnuplot data files for the trend and fleet figures (see trend.h). */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "exitlat/atomic_file.h"
#include "exitlat/version.h"
#include "db.h"
#include "trend.h"

void history_slug(const char *s, char *out, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++) {
		char c = s[i];

		out[i] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			 (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-' ? c : '_';
	}
	out[i] = '\0';
}

/* " VALUE", or " NaN" for NULL (gnuplot's missing value). */
static void put_num(FILE *f, sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		fputs(" NaN", f);
	else
		fprintf(f, " %.15g", sqlite3_column_double(st, i));
}

static int ensure_dir(const char *dir)
{
	if (mkdir(dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "%s: cannot create: %s\n", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static int commit_file(struct exitlat_atomic_file *a, const char *path, FILE *list)
{
	if (exitlat_atomic_commit(a)) {
		fprintf(stderr, "%s: cannot write: %s\n", path, strerror(errno));
		return -1;
	}
	if (list)
		fprintf(list, "%s\n", path);
	return 0;
}

/* One track's file. Returns 0 or -1. */
static int trend_file(sqlite3 *db, const char *dbpath, const char *host, const char *track,
		      const char *dir, FILE *list)
{
	static const char sql[] =
		"SELECT r.time, s.median, s.p99, s.p25, s.p75, s.count,\n"
		"  s.kernel <> coalesce(lag(s.kernel) OVER w, s.kernel),\n"
		"  r.microcode <> coalesce(lag(r.microcode) OVER w, r.microcode),\n"
		"  s.kernel, r.microcode, s.source, s.exit, s.domain, s.emulated, s.tsc_khz\n"
		"FROM series s JOIN runs r ON r.id = s.run_id\n"
		"WHERE r.host = ?1 AND s.track = ?2 AND r.status <> 'failed'\n"
		"WINDOW w AS (ORDER BY r.time)\n"
		"ORDER BY r.time";
	char path[PATH_MAX], hs[256], ts[256], k[256], m[256];
	struct exitlat_atomic_file a;
	sqlite3_stmt *st = history_prepare(db, dbpath, sql);
	int rc, n = 0;

	if (!st)
		return -1;
	history_slug(host, hs, sizeof(hs));
	history_slug(track, ts, sizeof(ts));
	snprintf(path, sizeof(path), "%s/trend-%s--%s.dat", dir, hs, ts);
	if (exitlat_atomic_open(&a, path)) {
		fprintf(stderr, "%s: cannot write: %s\n", path, strerror(errno));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, track, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n++ == 0) {
			const unsigned char *tsc = sqlite3_column_text(st, 14);

			fprintf(a.f, "# exitlat-history %s\n# file: trend\n# host: %s\n"
				"# track: %s\n# source: %s\n# exit: %s\n# domain: %s\n"
				"# emulated: %s\n# tsc_khz: %s\n", EXITLAT_VERSION, host, track,
				sqlite3_column_text(st, 10), sqlite3_column_text(st, 11),
				sqlite3_column_text(st, 12), sqlite3_column_text(st, 13),
				tsc ? (const char *)tsc : "unknown");
			fputs("# time median p99 p25 p75 count kernel_changed microcode_changed "
			      "kernel microcode\n", a.f);
		}
		history_slug((const char *)sqlite3_column_text(st, 8), k, sizeof(k));
		history_slug((const char *)sqlite3_column_text(st, 9), m, sizeof(m));
		fputs((const char *)sqlite3_column_text(st, 0), a.f);
		for (int i = 1; i <= 4; i++)
			put_num(a.f, st, i);
		fprintf(a.f, " %lld %d %d %s %s\n", (long long)sqlite3_column_int64(st, 5),
			sqlite3_column_int(st, 6), sqlite3_column_int(st, 7), k, m);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "%s: %s\n", dbpath, sqlite3_errmsg(db));
		exitlat_atomic_abort(&a);
		return -1;
	}
	return commit_file(&a, path, list);
}

int history_trend_data(sqlite3 *db, const char *dbpath, const char *host, const char *dir,
		       FILE *list)
{
	sqlite3_stmt *st;
	int rc, n = 0;

	if (ensure_dir(dir))
		return -1;
	st = history_prepare(db, dbpath,
		"SELECT DISTINCT r.host, s.track FROM series s JOIN runs r ON r.id = s.run_id\n"
		"WHERE (?1 IS NULL OR r.host = ?1) AND r.status <> 'failed' ORDER BY 1, 2");
	if (!st)
		return -1;
	if (host)
		sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (trend_file(db, dbpath, (const char *)sqlite3_column_text(st, 0),
			       (const char *)sqlite3_column_text(st, 1), dir, list)) {
			sqlite3_finalize(st);
			return -1;
		}
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "%s: %s\n", dbpath, sqlite3_errmsg(db));
		return -1;
	}
	return n;
}

int history_fleet_data(sqlite3 *db, const char *dbpath, const char *dir, FILE *list)
{
	static const char sql[] =
		"SELECT r.host, s.exit, s.source, s.domain, s.emulated, s.kernel, r.time,\n"
		"  s.median, s.p99, s.p25, s.p75\n"
		"FROM series s JOIN runs r ON r.id = s.run_id\n"
		"WHERE r.time = (SELECT max(time) FROM runs x WHERE x.host = r.host\n"
		"                AND x.status <> 'failed')\n"
		"ORDER BY s.exit, r.host, s.source, s.track";
	char path[PATH_MAX], f[6][256];
	struct exitlat_atomic_file a;
	sqlite3_stmt *st;
	int rc, n = 0;

	if (ensure_dir(dir))
		return -1;
	st = history_prepare(db, dbpath, sql);
	if (!st)
		return -1;
	snprintf(path, sizeof(path), "%s/fleet.dat", dir);
	if (exitlat_atomic_open(&a, path)) {
		fprintf(stderr, "%s: cannot write: %s\n", path, strerror(errno));
		sqlite3_finalize(st);
		return -1;
	}
	fprintf(a.f, "# exitlat-history %s\n# file: fleet\n"
		"# host exit source domain emulated kernel time median p99 p25 p75\n",
		EXITLAT_VERSION);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < 6; i++)
			history_slug((const char *)sqlite3_column_text(st, i), f[i], sizeof(f[i]));
		fprintf(a.f, "%s %s %s %s %s %s %s", f[0], f[1], f[2], f[3], f[4], f[5],
			sqlite3_column_text(st, 6));
		for (int i = 7; i <= 10; i++)
			put_num(a.f, st, i);
		fputc('\n', a.f);
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "%s: %s\n", dbpath, sqlite3_errmsg(db));
		exitlat_atomic_abort(&a);
		return -1;
	}
	return commit_file(&a, path, list) ? -1 : n;
}
