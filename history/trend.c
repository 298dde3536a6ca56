// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * gnuplot data files for the trend and fleet figures (see trend.h). Text from
 * the history (host names, tracks, kernels: whatever the imported folders
 * held) reaches the figures only as data fields gnuplot decodes itself
 * (lib/text.c), never as gnuplot code.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "exitlat/atomic_file.h"
#include "exitlat/text.h"
#include "exitlat/version.h"
#include "db.h"
#include "trend.h"

/* Characters of a label in a figure (a title holds two). */
#define LABEL_MAX 24

void history_slug(const char *s, char *out, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++) {
		char c = s[i];

		out[i] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			 (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-' ? c : '_';
	}
	out[i] = '\0';
	/* "." and ".." name folders that are not the host's own. */
	if (strspn(out, ".") == i)
		memset(out, '_', i);
}

/* history_slug() of @s, at most @max bytes (long ones told apart by a hash). */
static char *slug_bounded(const char *s, size_t max)
{
	size_t len = strlen(s) + 1;
	char *slug = malloc(len), *b;

	if (!slug)
		return NULL;
	history_slug(s, slug, len);
	b = exitlat_bounded_name(slug, max);
	free(slug);
	return b;
}

/* A run's time as import checked it (2026-11-25T14:30:00Z): safe to write as it is. */
static bool is_time(const unsigned char *t)
{
	return t && *t && strspn((const char *)t, "0123456789-:TZ") == strlen((const char *)t);
}

/* @l as gnuplot's enhanced text, as a gnuplot data field. */
static void put_text(FILE *f, const char *l)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *m = open_memstream(&buf, &size);

	if (!m)
		return;
	exitlat_gp_enhanced(m, l, strlen(l));
	if (!fclose(m))
		exitlat_gp_field(f, buf, size);
	free(buf);
}

/* "\tLABEL": @s as a figure shows it, as a gnuplot data field. */
static void put_label(FILE *f, const unsigned char *s, int len)
{
	char *l = exitlat_label(s ? (const char *)s : "", s ? (size_t)len : 0, LABEL_MAX);

	fputc('\t', f);
	if (l)
		put_text(f, l);
	free(l);
}

static void put_label_col(FILE *f, sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	put_label(f, s, sqlite3_column_bytes(st, i));
}

/* A metadata line: one line of text, whatever the history held. */
static void put_meta(FILE *f, const char *key, const char *s, size_t len)
{
	char *l = exitlat_label(s, len, SIZE_MAX);

	fprintf(f, "# %s: %s\n", key, l ? l : "?");
	free(l);
}

static void put_meta_col(FILE *f, const char *key, sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	put_meta(f, key, s ? (const char *)s : "", s ? sqlite3_column_bytes(st, i) : 0);
}

/* "\tVALUE", or "\tNaN" for NULL (gnuplot's missing value). */
static void put_num(FILE *f, sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		fputs("\tNaN", f);
	else
		fprintf(f, "\t%.15g", sqlite3_column_double(st, i));
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

/*
 * One track's file: block 0 the figure (title, stamp, TSC rate), block 1 one
 * row per usable night. Its name goes to @list, and "HOSTDIR<TAB>NAME" to
 * @manifest. Returns 0 or -1.
 */
static int trend_file(sqlite3 *db, const char *dbpath, const char *host, const char *track,
		      const char *dir, FILE *list, FILE *manifest)
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
	char path[PATH_MAX], *hs, *ts, *title = NULL;
	struct exitlat_atomic_file a;
	sqlite3_stmt *st = history_prepare(db, dbpath, sql);
	int rc, n = 0;

	if (!st)
		return -1;
	/* File-safe names short enough for a file name, however long the text. */
	hs = slug_bounded(host, 64);
	ts = slug_bounded(track, 120);
	if (!hs || !ts) {
		fprintf(stderr, "%s: out of memory\n", dir);
		goto err_free;
	}
	snprintf(path, sizeof(path), "%s/trend-%s--%s.dat", dir, hs, ts);
	if (exitlat_atomic_open(&a, path)) {
		fprintf(stderr, "%s: cannot write: %s\n", path, strerror(errno));
		goto err_free;
	}
	sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, track, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n++ == 0) {
			const unsigned char *tsc = sqlite3_column_text(st, 14);
			const char *emu = (const char *)sqlite3_column_text(st, 13);
			char *h = exitlat_label(host, strlen(host), LABEL_MAX), *t;

			fprintf(a.f, "# exitlat-history %s\n# file: trend\n", EXITLAT_VERSION);
			put_meta(a.f, "host", host, strlen(host));
			put_meta(a.f, "track", track, strlen(track));
			put_meta_col(a.f, "source", st, 10);
			put_meta_col(a.f, "exit", st, 11);
			put_meta_col(a.f, "domain", st, 12);
			put_meta_col(a.f, "emulated", st, 13);
			fprintf(a.f, "# tsc_khz: %s\n", tsc ? (const char *)tsc : "unknown");
			fputs("# strings: gnuplot octal escapes (strcol() decodes them)\n", a.f);
			/* block 0: the figure; its title the host's label and the track's */
			t = exitlat_label(track, strlen(track), LABEL_MAX);
			if (!h || !t || asprintf(&title, "%s %s", h, t) < 0)
				title = NULL;
			free(h);
			free(t);
			fputs("# trend title emulated emulated_name tsc_khz\ntrend\t", a.f);
			if (title)
				put_text(a.f, title);
			fprintf(a.f, "\t%d", emu && strcmp(emu, "no") != 0);
			put_label_col(a.f, st, 13);
			fprintf(a.f, "\t%s\n\n\n", tsc && sqlite3_column_type(st, 14) == SQLITE_INTEGER ?
				(const char *)tsc : "0");
			free(title);
			title = NULL;
			fputs("# time median p99 p25 p75 count kernel_changed microcode_changed "
			      "kernel microcode\n", a.f);
		}
		if (!is_time(sqlite3_column_text(st, 0)))
			continue;
		fputs((const char *)sqlite3_column_text(st, 0), a.f);
		for (int i = 1; i <= 4; i++)
			put_num(a.f, st, i);
		fprintf(a.f, "\t%lld\t%d\t%d", (long long)sqlite3_column_int64(st, 5),
			sqlite3_column_int(st, 6), sqlite3_column_int(st, 7));
		put_label_col(a.f, st, 8);
		put_label_col(a.f, st, 9);
		fputc('\n', a.f);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "%s: %s\n", dbpath, sqlite3_errmsg(db));
		exitlat_atomic_abort(&a);
		goto err_free;
	}
	if (commit_file(&a, path, list))
		goto err_free;
	fprintf(manifest, "%s\ttrend-%s--%s\n", hs, hs, ts);
	free(hs);
	free(ts);
	return 0;

err_free:
	sqlite3_finalize(st);
	free(hs);
	free(ts);
	return -1;
}

int history_trend_data(sqlite3 *db, const char *dbpath, const char *host, const char *dir,
		       FILE *list)
{
	struct exitlat_atomic_file man;
	char path[PATH_MAX];
	sqlite3_stmt *st;
	int rc, n = 0;

	if (ensure_dir(dir))
		return -1;
	st = history_prepare(db, dbpath,
		"SELECT DISTINCT r.host, s.track FROM series s JOIN runs r ON r.id = s.run_id\n"
		"WHERE (?1 IS NULL OR r.host = ?1) AND r.status <> 'failed' ORDER BY 1, 2");
	if (!st)
		return -1;
	/* trends.dat: HOSTDIR FIGURE per file, for whoever draws them (exitlat-nightly). */
	snprintf(path, sizeof(path), "%s/trends.dat", dir);
	if (exitlat_atomic_open(&man, path)) {
		fprintf(stderr, "%s: cannot write: %s\n", path, strerror(errno));
		sqlite3_finalize(st);
		return -1;
	}
	fprintf(man.f, "# exitlat-history %s\n# file: trends\n# hostdir figure\n", EXITLAT_VERSION);
	if (host)
		sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (trend_file(db, dbpath, (const char *)sqlite3_column_text(st, 0),
			       (const char *)sqlite3_column_text(st, 1), dir, list, man.f)) {
			sqlite3_finalize(st);
			exitlat_atomic_abort(&man);
			return -1;
		}
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "%s: %s\n", dbpath, sqlite3_errmsg(db));
		exitlat_atomic_abort(&man);
		return -1;
	}
	return commit_file(&man, path, NULL) ? -1 : n;
}

/* One host's latest night of one kind: its median and p99 per side. */
struct fleet_host {
	char *host, *emulated;
	double v[4];		/* native median, p99, kvm median, p99; NaN: none */
};

/* Names of emulators seen in a kind, joined by ',' (or "" when all measured). */
static int add_emulator(char **names, const char *e)
{
	char *n;
	size_t len = strlen(e);

	if (!strcmp(e, "no"))
		return 0;
	for (const char *p = *names; p && *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] != 0))
		if (strcspn(p, ",") == len && !strncmp(p, e, len))
			return 0;
	if (asprintf(&n, "%s%s%s", *names ? *names : "", *names && **names ? "," : "", e) < 0)
		return -1;
	free(*names);
	*names = n;
	return 0;
}

/*
 * fleet-KIND.dat: block 0 the figure (kind, EMULATED stamp), block 1 one row
 * per host. Returns 0 or -1.
 */
static int fleet_kind_file(const char *dir, const char *exit, struct fleet_host *h, size_t nh,
			   FILE *list)
{
	struct exitlat_atomic_file a;
	char path[PATH_MAX], ks[256], *emus = NULL;
	int ret = -1;

	history_slug(exit, ks, sizeof(ks));
	snprintf(path, sizeof(path), "%s/fleet-%s.dat", dir, ks);
	for (size_t i = 0; i < nh; i++)
		if (add_emulator(&emus, h[i].emulated))
			goto out;
	if (exitlat_atomic_open(&a, path)) {
		fprintf(stderr, "%s: cannot write: %s\n", path, strerror(errno));
		goto out;
	}
	fprintf(a.f, "# exitlat-history %s\n# file: fleet-kind\n", EXITLAT_VERSION);
	put_meta(a.f, "exit", exit, strlen(exit));
	fputs("# strings: gnuplot octal escapes (strcol() decodes them)\n"
	      "# fleet kind emulated emulated_names\nfleet", a.f);
	put_label(a.f, (const unsigned char *)exit, strlen(exit));
	fprintf(a.f, "\t%d", emus != NULL);
	put_label(a.f, (const unsigned char *)(emus ? emus : ""), emus ? strlen(emus) : 0);
	fputs("\n\n\n# host native_median native_p99 kvm_median kvm_p99 emulated\n", a.f);
	for (size_t i = 0; i < nh; i++) {
		char *l = exitlat_label(h[i].host, strlen(h[i].host), LABEL_MAX);

		/* the first field is never empty: a host has a name */
		if (l)
			put_text(a.f, l);
		free(l);
		for (int k = 0; k < 4; k++)
			if (h[i].v[k] == h[i].v[k])
				fprintf(a.f, "\t%.15g", h[i].v[k]);
			else
				fputs("\tNaN", a.f);
		put_label(a.f, (const unsigned char *)h[i].emulated, strlen(h[i].emulated));
		fputc('\n', a.f);
	}
	ret = commit_file(&a, path, list);
out:
	free(emus);
	return ret;
}

static void fleet_hosts_free(struct fleet_host *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(h[i].host);
		free(h[i].emulated);
	}
	free(h);
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
	char path[PATH_MAX], f[6][256], *exit = NULL;
	struct fleet_host *hosts = NULL;
	size_t nh = 0;
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
		const char *host = (const char *)sqlite3_column_text(st, 0);
		const char *kind = (const char *)sqlite3_column_text(st, 1);
		const char *emu = (const char *)sqlite3_column_text(st, 4);
		int side = strcmp((const char *)sqlite3_column_text(st, 2), "native") ? 2 : 0;
		struct fleet_host *h;

		if (!host || !kind || !emu || !is_time(sqlite3_column_text(st, 6)))
			continue;
		for (int i = 0; i < 6; i++)
			history_slug((const char *)sqlite3_column_text(st, i), f[i], sizeof(f[i]));
		fprintf(a.f, "%s %s %s %s %s %s %s", f[0], f[1], f[2], f[3], f[4], f[5],
			sqlite3_column_text(st, 6));
		for (int i = 7; i <= 10; i++)
			put_num(a.f, st, i);
		fputc('\n', a.f);
		n++;
		/* Rows come by kind, then host: one figure file per kind. */
		if (exit && strcmp(exit, kind)) {
			if (fleet_kind_file(dir, exit, hosts, nh, list))
				goto err;
			fleet_hosts_free(hosts, nh);
			hosts = NULL;
			nh = 0;
		}
		if (!exit || strcmp(exit, kind)) {
			free(exit);
			if (!(exit = strdup(kind)))
				goto err_nomem;
		}
		if (!nh || strcmp(hosts[nh - 1].host, host)) {
			h = realloc(hosts, (nh + 1) * sizeof(*h));
			if (!h)
				goto err_nomem;
			hosts = h;
			hosts[nh] = (struct fleet_host){ .host = strdup(host), .emulated = strdup(emu),
							 .v = { NAN, NAN, NAN, NAN } };
			if (!hosts[nh++].host || !hosts[nh - 1].emulated)
				goto err_nomem;
		}
		h = &hosts[nh - 1];
		for (int k = 0; k < 2; k++)
			h->v[side + k] = sqlite3_column_type(st, 7 + k) == SQLITE_NULL ? NAN :
					 sqlite3_column_double(st, 7 + k);
		if (strcmp(emu, "no")) {
			free(h->emulated);
			if (!(h->emulated = strdup(emu)))
				goto err_nomem;
		}
	}
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "%s: %s\n", dbpath, sqlite3_errmsg(db));
		goto err;
	}
	if (exit && fleet_kind_file(dir, exit, hosts, nh, list))
		goto err;
	sqlite3_finalize(st);
	fleet_hosts_free(hosts, nh);
	free(exit);
	return commit_file(&a, path, list) ? -1 : n;

err_nomem:
	fprintf(stderr, "%s: out of memory\n", dir);
err:
	sqlite3_finalize(st);
	fleet_hosts_free(hosts, nh);
	free(exit);
	exitlat_atomic_abort(&a);
	return -1;
}
