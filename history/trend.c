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
#include <time.h>

#include "exitlat/atomic_file.h"
#include "exitlat/text.h"
#include "exitlat/version.h"
#include "db.h"
#include "layout.h"
#include "regress.h"
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
	/* "." and ".." name folders that are not the host's own. */
	if (strspn(out, ".") == i)
		memset(out, '_', i);
}

char *history_slug_bounded(const char *s, size_t max)
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
	char *l = exitlat_label(s ? (const char *)s : "", s ? (size_t)len : 0, LAYOUT_LABEL_MAX);

	fputc('\t', f);
	if (l)
		put_text(f, l);
	free(l);
}

/* A metadata line: one line of text, whatever the history held. */
static void put_meta(FILE *f, const char *key, const char *s, size_t len)
{
	char *l = exitlat_label(s, len, SIZE_MAX);

	fprintf(f, "# %s: %s\n", key, l ? l : "?");
	free(l);
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

/* Seconds since the epoch of a run's time (2026-11-25T14:30:00Z). */
static double epoch_of(const char *t)
{
	struct tm tm = { 0 };
	const char *end = strptime(t, "%Y-%m-%dT%H:%M:%SZ", &tm);

	return end && !*end ? (double)timegm(&tm) : NAN;
}

/* "2026-11-25T14:30:00Z", as the figures' time axis reads it. */
static void put_time(FILE *f, double t)
{
	char b[32];
	time_t tt = (time_t)t;
	struct tm tm;

	if (isfinite(t) && gmtime_r(&tt, &tm) && strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%SZ", &tm))
		fputs(b, f);
	else
		fputs("NaN", f);
}

static void put_f(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "\t%.10g", v);
	else
		fputs("\tNaN", f);
}

/* "\tTEXT" of a figure's text: gnuplot enhanced text, bold when asked, as a data field. */
static void put_markup(FILE *f, const char *s, bool bold)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *m = open_memstream(&buf, &size);

	fputc('\t', f);
	if (!m)
		return;
	if (bold)
		fputs("{/:Bold ", m);
	exitlat_gp_enhanced(m, s, strlen(s));
	if (bold)
		fputc('}', m);
	if (!fclose(m))
		exitlat_gp_field(f, buf, size);
	free(buf);
}

/* The frame's records (block 0, before the figure's own) and its texts (a block). */
static void put_frame(FILE *f, const struct layout_frame *fr)
{
	fprintf(f, "# frame w_cm h_cm left right bottom top stamp_y key_x key_y\nframe");
	put_f(f, fr->w_cm);
	put_f(f, fr->h_cm);
	put_f(f, fr->left);
	put_f(f, fr->right);
	put_f(f, fr->bottom);
	put_f(f, fr->top);
	put_f(f, fr->stamp_y);
	put_f(f, fr->key_x);
	put_f(f, fr->key_y);
	fputc('\n', f);
}

static void put_axis(FILE *f, const char *name, const struct layout_axis *a)
{
	fprintf(f, "axis\t%s", name);
	put_f(f, a->lo);
	put_f(f, a->hi);
	put_f(f, a->t0);
	put_f(f, a->step);
	put_f(f, a->t1);
	fprintf(f, "\t%d\t%d\n", a->decimals, a->log);
}

/* A block of texts: x y align vertical axis_label text (align: 0 left, 1 centre, 2 right). */
static void put_texts(FILE *f, const struct layout_frame *fr)
{
	fputs("# x y align vertical axis_label text\n", f);
	for (size_t i = 0; i < fr->ntexts; i++) {
		const struct layout_text *t = &fr->texts[i];

		fprintf(f, "%.6f\t%.6f\t%d\t%d\t%d", t->x, t->y, (int)t->align, t->vertical,
			!t->text);
		put_markup(f, t->text ? t->text : "", t->bold);
		fputc('\n', f);
	}
}

/* One night of a track as the file and the layout see it. */
struct trend_row {
	char time[32];
	double v[4];			/* median p99 p25 p75 */
	long long count;
	char *kernel, *microcode, *version;
};

static void trend_rows_free(struct trend_row *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].kernel);
		free(r[i].microcode);
		free(r[i].version);
	}
	free(r);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return strdup(s ? (const char *)s : "");
}

/* The host's failed nights: marked on each of its trends. */
static int failed_nights(sqlite3 *db, const char *dbpath, const char *host, double **t, size_t *n)
{
	sqlite3_stmt *st = history_prepare(db, dbpath,
		"SELECT time FROM runs WHERE host = ?1 AND status = 'failed' ORDER BY time");
	int rc;

	*t = NULL;
	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		double e = epoch_of((const char *)sqlite3_column_text(st, 0)), *nt;

		if (!isfinite(e))
			continue;
		nt = realloc(*t, (*n + 1) * sizeof(**t));
		if (!nt)
			break;
		*t = nt;
		(*t)[(*n)++] = e;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "%s: %s\n", dbpath, rc == SQLITE_ROW ? "out of memory" :
			sqlite3_errmsg(db));
		free(*t);
		*t = NULL;
		return -1;
	}
	return 0;
}

/*
 * Which nights check alerts on (regress.h, as `exitlat-history check`): the
 * median or the p99 regressed against the nights before. @alert gets one
 * flag per row.
 */
static int trend_alerts(const struct trend_row *r, size_t n, const struct regress_params *p,
			bool *alert)
{
	struct regress_night *m = calloc(n ? n : 1, sizeof(*m)), *q = calloc(n ? n : 1, sizeof(*q));
	struct regress_result rm, rq;
	int ret = -1;

	if (!m || !q)
		goto out;
	for (size_t i = 0; i < n; i++) {
		m[i].value = r[i].v[0];
		snprintf(m[i].kernel, sizeof(m[i].kernel), "%s", r[i].kernel);
		snprintf(m[i].microcode, sizeof(m[i].microcode), "%s", r[i].microcode);
		q[i] = m[i];
		q[i].value = r[i].v[1];
	}
	for (size_t i = 0; i < n; i++) {
		if (regress_evaluate(m, i + 1, p, &rm) || regress_evaluate(q, i + 1, p, &rq))
			goto out;
		alert[i] = rm.verdict == REGRESS_REGRESSED || rq.verdict == REGRESS_REGRESSED;
	}
	ret = 0;
out:
	free(m);
	free(q);
	return ret;
}

/* The nights of the layout: the rows, with the host's failed nights among them. */
static struct trend_night *trend_nights(const struct trend_row *r, size_t n, const bool *alert,
					const double *failed, size_t nf, size_t *count)
{
	struct trend_night *t = calloc(n + nf ? n + nf : 1, sizeof(*t));
	size_t i = 0, j = 0, k = 0;

	if (!t)
		return NULL;
	while (i < n || j < nf) {
		double ti = i < n ? epoch_of(r[i].time) : INFINITY;

		if (j < nf && failed[j] < ti) {
			t[k++] = (struct trend_night){ .t = failed[j++], .median = NAN, .p99 = NAN,
						       .failed = true, .kernel = "", .microcode = "",
						       .version = "" };
			continue;
		}
		t[k] = (struct trend_night){
			.t = ti, .median = r[i].v[0], .p99 = r[i].v[1], .alert = alert[i],
			.kernel = r[i].kernel, .microcode = r[i].microcode, .version = r[i].version,
		};
		if (i > 0)
			t[k].changed = (strcmp(r[i].kernel, r[i - 1].kernel) ? LAYOUT_CHANGED_KERNEL : 0) |
				(strcmp(r[i].microcode, r[i - 1].microcode) ? LAYOUT_CHANGED_MICROCODE : 0) |
				(strcmp(r[i].version, r[i - 1].version) ? LAYOUT_CHANGED_VERSION : 0);
		i++;
		k++;
	}
	*count = k;
	return t;
}

/* Changes a tag's line stands for: the most telling one. */
static int tag_style(unsigned int changed)
{
	return changed & LAYOUT_CHANGED_KERNEL ? 1 : changed & LAYOUT_CHANGED_MICROCODE ? 2 : 3;
}

/* The trend file of one track, laid out (docs/history-schema.md). */
static void put_trend(FILE *f, const struct trend_layout *l, const struct trend_row *r, size_t n,
		      const bool *alert, const struct trend_night *t, size_t nt, bool emulated,
		      const char *emu, double tsc_khz)
{
	size_t nalerts = 0, nfailed = 0, ntagged = 0;

	for (size_t i = 0; i < nt; i++) {
		nalerts += t[i].alert;
		nfailed += t[i].failed;
	}
	for (size_t i = 0; i < l->ntags; i++)
		ntagged += l->tags[i].number > 0;
	put_frame(f, &l->f);
	put_axis(f, "x", &l->x);
	put_axis(f, "y", &l->y);
	if (l->has_y2)
		put_axis(f, "y2", &l->y2);
	fputs("# trend emulated emulated_name tsc_khz x_years data_top tags numbered kinds "
	      "key_entries alerts failed texts\ntrend", f);
	fprintf(f, "\t%d", emulated);
	put_label(f, (const unsigned char *)emu, strlen(emu));
	fprintf(f, "\t%.0f\t%d", tsc_khz, l->x_years);
	put_f(f, l->data_top);
	fprintf(f, "\t%zu\t%zu\t%u\t%zu\t%zu\t%zu\t%zu\n\n\n", l->ntags, ntagged, l->kinds,
		l->key_entries, nalerts, nfailed, l->f.ntexts);
	fputs("# time median p99 p25 p75 count kernel_changed microcode_changed kernel microcode "
	      "version_changed version alert\n", f);
	for (size_t i = 0; i < n; i++) {
		fputs(r[i].time, f);
		for (int k = 0; k < 4; k++)
			put_f(f, r[i].v[k]);
		fprintf(f, "\t%lld\t%d\t%d", r[i].count, i && strcmp(r[i].kernel, r[i - 1].kernel),
			i && strcmp(r[i].microcode, r[i - 1].microcode));
		put_label(f, (const unsigned char *)r[i].kernel, strlen(r[i].kernel));
		put_label(f, (const unsigned char *)r[i].microcode, strlen(r[i].microcode));
		fprintf(f, "\t%d", i && strcmp(r[i].version, r[i - 1].version));
		put_label(f, (const unsigned char *)r[i].version, strlen(r[i].version));
		fprintf(f, "\t%d\n", alert[i]);
	}
	fputs("\n\n", f);
	put_texts(f, &l->f);
	/* blocks are never empty (gnuplot would not count them): a NaN row holds the place */
	fputs("\n\n# time y_number y_end number style\n", f);
	for (size_t i = 0; i < l->ntags; i++) {
		put_time(f, l->tags[i].t);
		put_f(f, l->tags[i].y);
		put_f(f, l->tags[i].y_end);
		fprintf(f, "\t%d\t%d\n", l->tags[i].number, tag_style(l->tags[i].changed));
	}
	if (!l->ntags)
		fputs("NaN\tNaN\tNaN\t0\t0\n", f);
	fputs("\n\n# time y what (1 alert, 2 failed night)\n", f);
	for (size_t i = 0; i < nt; i++)
		if (t[i].alert || t[i].failed) {
			put_time(f, t[i].t);
			put_f(f, t[i].failed ? l->y.lo + 0.04 * (l->data_top - l->y.lo) : t[i].median);
			fprintf(f, "\t%d\n", t[i].failed ? 2 : 1);
		}
	if (!nalerts && !nfailed)
		fputs("NaN\tNaN\t0\n", f);
}

/*
 * One track's file: the figure laid out (layout.h), then its nights, texts,
 * changes and marks. Its name goes to @list, and "HOSTDIR<TAB>NAME" to
 * @manifest. Returns 0 or -1.
 */
static int trend_file(sqlite3 *db, const char *dbpath, const char *host, const char *track,
		      const char *dir, const struct regress_params *params, FILE *list,
		      FILE *manifest)
{
	static const char sql[] =
		"SELECT r.time, s.median, s.p99, s.p25, s.p75, s.count, s.kernel, r.microcode,\n"
		"  replace(r.version, 'exitlat-analyze ', '') || ' ' || r.commit_id,\n"
		"  s.source, s.exit, s.domain, s.emulated, s.tsc_khz\n"
		"FROM series s JOIN runs r ON r.id = s.run_id\n"
		"WHERE r.host = ?1 AND s.track = ?2 AND r.status <> 'failed'\n"
		"ORDER BY r.time";
	char path[PATH_MAX], *hs, *ts, *emu = NULL, *meta[4] = { NULL };
	struct exitlat_atomic_file a;
	struct trend_row *rows = NULL;
	struct trend_night *nights = NULL;
	struct trend_layout lay = { 0 };
	sqlite3_stmt *st = history_prepare(db, dbpath, sql);
	double *failed = NULL, tsc_khz = 0;
	size_t n = 0, nf = 0, nn = 0;
	bool *alert = NULL, tsc_known = false;
	int rc, ret = -1;

	if (!st)
		return -1;
	/* File-safe names short enough for a file name, however long the text. */
	hs = history_slug_bounded(host, HISTORY_HOSTDIR_MAX);
	ts = history_slug_bounded(track, HISTORY_TRACKNAME_MAX);
	if (!hs || !ts) {
		fprintf(stderr, "%s: out of memory\n", dir);
		goto out;
	}
	sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, track, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct trend_row *nr, *x;

		if (!is_time(sqlite3_column_text(st, 0)))
			continue;
		if (!(nr = realloc(rows, (n + 1) * sizeof(*rows))))
			break;
		rows = nr;
		x = &rows[n++];
		*x = (struct trend_row){ .count = sqlite3_column_int64(st, 5),
					 .kernel = col_dup(st, 6), .microcode = col_dup(st, 7),
					 .version = col_dup(st, 8) };
		snprintf(x->time, sizeof(x->time), "%s", sqlite3_column_text(st, 0));
		for (int k = 0; k < 4; k++)
			x->v[k] = sqlite3_column_type(st, 1 + k) == SQLITE_NULL ? NAN :
				  sqlite3_column_double(st, 1 + k);
		if (!x->kernel || !x->microcode || !x->version)
			break;
		if (n == 1) {
			for (int k = 0; k < 4; k++)
				meta[k] = col_dup(st, 9 + k);
			emu = col_dup(st, 12);
			tsc_known = sqlite3_column_type(st, 13) == SQLITE_INTEGER;
			tsc_khz = tsc_known ? sqlite3_column_double(st, 13) : 0;
		}
	}
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "%s: %s\n", dbpath, rc == SQLITE_ROW ? "out of memory" :
			sqlite3_errmsg(db));
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!n) {
		ret = 0;	/* no usable night of this track: no figure */
		goto out;
	}
	if (!emu || !meta[0] || !meta[1] || !meta[2] || !meta[3])
		goto out_nomem;
	alert = calloc(n, sizeof(*alert));
	if (!alert || trend_alerts(rows, n, params, alert) ||
	    failed_nights(db, dbpath, host, &failed, &nf) ||
	    !(nights = trend_nights(rows, n, alert, failed, nf, &nn)))
		goto out_nomem;
	{
		struct trend_input in = {
			.nights = nights, .n = nn, .host = host, .track = track,
			.emulated = strcmp(emu, "no") != 0, .emu_name = emu, .tsc_khz = tsc_khz,
		};

		if (trend_layout(&in, &lay))
			goto out_nomem;
	}
	snprintf(path, sizeof(path), "%s/trend-%s--%s.dat", dir, hs, ts);
	if (exitlat_atomic_open(&a, path)) {
		fprintf(stderr, "%s: cannot write: %s\n", path, strerror(errno));
		goto out;
	}
	fprintf(a.f, "# exitlat-history %s\n# file: trend\n", EXITLAT_VERSION);
	put_meta(a.f, "host", host, strlen(host));
	put_meta(a.f, "track", track, strlen(track));
	put_meta(a.f, "source", meta[0], strlen(meta[0]));
	put_meta(a.f, "exit", meta[1], strlen(meta[1]));
	put_meta(a.f, "domain", meta[2], strlen(meta[2]));
	put_meta(a.f, "emulated", meta[3], strlen(meta[3]));
	if (tsc_known)
		fprintf(a.f, "# tsc_khz: %.0f\n", tsc_khz);
	else
		fputs("# tsc_khz: unknown\n", a.f);
	fputs("# strings: gnuplot octal escapes (strcol() decodes them)\n", a.f);
	put_trend(a.f, &lay, rows, n, alert, nights, nn, strcmp(emu, "no") != 0, emu, tsc_khz);
	if (commit_file(&a, path, list))
		goto out;
	fprintf(manifest, "%s\ttrend-%s--%s\n", hs, hs, ts);
	ret = 0;
	goto out;

out_nomem:
	fprintf(stderr, "%s: out of memory\n", dir);
out:
	sqlite3_finalize(st);
	trend_layout_free(&lay);
	trend_rows_free(rows, n);
	free(nights);
	free(alert);
	free(failed);
	free(emu);
	for (int k = 0; k < 4; k++)
		free(meta[k]);
	free(hs);
	free(ts);
	return ret;
}

int history_trend_data(sqlite3 *db, const char *dbpath, const char *host, const char *dir,
		       const struct regress_params *params, FILE *list)
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
			       (const char *)sqlite3_column_text(st, 1), dir, params, list, man.f)) {
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

/* One host's latest night of one kind. */
struct fleet_host {
	char *host, *emulated, *cpu, *kernel, *label;
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

/* One page of a kind's fleet figure (docs/history-schema.md). */
static int fleet_page_file(const char *dir, const char *name, const char *exit,
			   const struct fleet_layout *l, const struct fleet_page *pg, bool emulated,
			   const char *emus, FILE *list, FILE *manifest)
{
	struct exitlat_atomic_file a;
	char path[PATH_MAX];
	size_t row = 0;

	snprintf(path, sizeof(path), "%s/%s.dat", dir, name);
	if (exitlat_atomic_open(&a, path)) {
		fprintf(stderr, "%s: cannot write: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(a.f, "# exitlat-history %s\n# file: fleet-kind\n", EXITLAT_VERSION);
	put_meta(a.f, "exit", exit, strlen(exit));
	fputs("# strings: gnuplot octal escapes (strcol() decodes them)\n", a.f);
	put_frame(a.f, &pg->f);
	put_axis(a.f, "x", &l->x);
	fputs("# fleet kind emulated emulated_names groups x2 rows texts\nfleet", a.f);
	put_label(a.f, (const unsigned char *)exit, strlen(exit));
	fprintf(a.f, "\t%d", emulated);
	put_label(a.f, (const unsigned char *)emus, strlen(emus));
	fprintf(a.f, "\t%d\t%d\t%zu\t%zu\n\n\n", pg->groups, pg->x2, pg->nrows, pg->f.ntexts);
	fputs("# row label native_median native_lo native_hi native_p99 kvm_median kvm_lo kvm_hi "
	      "kvm_p99\n", a.f);
	for (size_t r = 0; r < pg->nrows; r++) {
		const struct fleet_row *x = &pg->rows[r];

		if (x->header)
			continue;
		fprintf(a.f, "%zu", r);
		put_markup(a.f, x->text, false);
		put_f(a.f, x->native.median);
		put_f(a.f, x->native.lo);
		put_f(a.f, x->native.hi);
		put_f(a.f, x->native.p99);
		put_f(a.f, x->kvm.median);
		put_f(a.f, x->kvm.lo);
		put_f(a.f, x->kvm.hi);
		put_f(a.f, x->kvm.p99);
		fputc('\n', a.f);
		row++;
	}
	fputs("\n\n", a.f);
	put_texts(a.f, &pg->f);
	if (commit_file(&a, path, list))
		return -1;
	fprintf(manifest, "%s\n", name);
	return 0;
}

/* A host as the fleet names it: its label, and the emulator its figures come from. */
static char *host_label(const char *host, const char *emulated)
{
	char *h = exitlat_label(host, strlen(host), LAYOUT_LABEL_MAX), *e, *l = NULL;

	if (!h || !strcmp(emulated, "no"))
		return h;
	e = exitlat_label(emulated, strlen(emulated), LAYOUT_LABEL_MAX);
	if (e && asprintf(&l, "%s (%s)", h, e) < 0)
		l = NULL;
	free(h);
	free(e);
	return l;
}

/*
 * fleet-KIND.dat, and fleet-KIND--pageN.dat when one page cannot hold every
 * host: the figures of one kind, laid out (layout.h). Returns 0 or -1.
 */
static int fleet_kind_files(const char *dir, const char *exit, struct fleet_host *h, size_t nh,
			    FILE *list, FILE *manifest)
{
	struct fleet_entry *e = calloc(nh ? nh : 1, sizeof(*e));
	struct fleet_layout l = { 0 };
	char ks[256], name[320], *emus = NULL;
	int ret = -1;

	if (!e)
		goto out;
	history_slug(exit, ks, sizeof(ks));
	for (size_t i = 0; i < nh; i++) {
		if (!h[i].label && !(h[i].label = host_label(h[i].host, h[i].emulated)))
			goto out;
		if (add_emulator(&emus, h[i].emulated))
			goto out;
		e[i] = (struct fleet_entry){
			.label = h[i].label, .cpu = h[i].cpu, .kernel = h[i].kernel,
			.native = { h[i].v[0], h[i].v[0], h[i].v[0], h[i].v[1] },
			.kvm = { h[i].v[2], h[i].v[2], h[i].v[2], h[i].v[3] },
		};
	}
	if (fleet_layout(exit, e, nh, emus != NULL, emus ? emus : "", &l)) {
		fprintf(stderr, "%s: out of memory\n", dir);
		goto out;
	}
	for (size_t i = 0; i < l.npages; i++) {
		if (i)
			snprintf(name, sizeof(name), "fleet-%s--page%zu", ks, i);
		else
			snprintf(name, sizeof(name), "fleet-%s", ks);
		if (fleet_page_file(dir, name, exit, &l, &l.pages[i], emus != NULL,
				    emus ? emus : "", list, manifest))
			goto out;
	}
	ret = 0;
out:
	fleet_layout_free(&l);
	free(e);
	free(emus);
	return ret;
}

static void fleet_hosts_free(struct fleet_host *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(h[i].host);
		free(h[i].emulated);
		free(h[i].cpu);
		free(h[i].kernel);
		free(h[i].label);
	}
	free(h);
}

int history_fleet_data(sqlite3 *db, const char *dbpath, const char *dir, FILE *list)
{
	static const char sql[] =
		"SELECT r.host, s.exit, s.source, s.domain, s.emulated, s.kernel, r.time,\n"
		"  s.median, s.p99, s.p25, s.p75, r.cpu_model, r.kernel\n"
		"FROM series s JOIN runs r ON r.id = s.run_id\n"
		"WHERE r.time = (SELECT max(time) FROM runs x WHERE x.host = r.host\n"
		"                AND x.status <> 'failed')\n"
		"ORDER BY s.exit, r.host, s.source, s.track";
	char path[PATH_MAX], mpath[PATH_MAX], f[6][256], *exit = NULL;
	struct fleet_host *hosts = NULL;
	size_t nh = 0;
	struct exitlat_atomic_file a, man;
	sqlite3_stmt *st;
	int rc, n = 0;

	if (ensure_dir(dir))
		return -1;
	st = history_prepare(db, dbpath, sql);
	if (!st)
		return -1;
	snprintf(path, sizeof(path), "%s/fleet.dat", dir);
	snprintf(mpath, sizeof(mpath), "%s/fleets.dat", dir);
	if (exitlat_atomic_open(&a, path)) {
		fprintf(stderr, "%s: cannot write: %s\n", path, strerror(errno));
		sqlite3_finalize(st);
		return -1;
	}
	if (exitlat_atomic_open(&man, mpath)) {
		fprintf(stderr, "%s: cannot write: %s\n", mpath, strerror(errno));
		exitlat_atomic_abort(&a);
		sqlite3_finalize(st);
		return -1;
	}
	fprintf(a.f, "# exitlat-history %s\n# file: fleet\n"
		"# host exit source domain emulated kernel time median p99 p25 p75\n",
		EXITLAT_VERSION);
	fprintf(man.f, "# exitlat-history %s\n# file: fleets\n# figure\n", EXITLAT_VERSION);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *host = (const char *)sqlite3_column_text(st, 0);
		const char *kind = (const char *)sqlite3_column_text(st, 1);
		const char *emu = (const char *)sqlite3_column_text(st, 4);
		const char *cpu = (const char *)sqlite3_column_text(st, 11);
		const char *hk = (const char *)sqlite3_column_text(st, 12);
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
		/* Rows come by kind, then host: one figure (and its pages) per kind. */
		if (exit && strcmp(exit, kind)) {
			if (fleet_kind_files(dir, exit, hosts, nh, list, man.f))
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
			hosts[nh++] = (struct fleet_host){
				.host = strdup(host), .emulated = strdup(emu),
				.cpu = strdup(cpu ? cpu : "unknown"), .kernel = strdup(hk ? hk : "unknown"),
				.v = { NAN, NAN, NAN, NAN } };
			h = &hosts[nh - 1];
			if (!h->host || !h->emulated || !h->cpu || !h->kernel)
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
	if (exit && fleet_kind_files(dir, exit, hosts, nh, list, man.f))
		goto err;
	sqlite3_finalize(st);
	fleet_hosts_free(hosts, nh);
	free(exit);
	if (commit_file(&man, mpath, NULL)) {
		exitlat_atomic_abort(&a);
		return -1;
	}
	return commit_file(&a, path, list) ? -1 : n;

err_nomem:
	fprintf(stderr, "%s: out of memory\n", dir);
err:
	sqlite3_finalize(st);
	fleet_hosts_free(hosts, nh);
	free(exit);
	exitlat_atomic_abort(&a);
	exitlat_atomic_abort(&man);
	return -1;
}
