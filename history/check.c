// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Regression check: the history's queries around regress_evaluate(). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "db.h"

struct night_row {
	struct regress_night median;
	struct regress_night p99;
};

/* Every usable night of one host's track up to @time, oldest first. */
static int load_track(sqlite3 *db, const char *dbpath, const char *host, const char *track,
		      const char *time, struct regress_night **med, struct regress_night **p99,
		      size_t *n)
{
	static const char sql[] =
		"SELECT s.median, s.p99, s.kernel, r.microcode FROM series s\n"
		"JOIN runs r ON r.id = s.run_id\n"
		"WHERE r.host = ?1 AND s.track = ?2 AND r.time <= ?3 AND r.status <> 'failed'\n"
		"ORDER BY r.time";
	sqlite3_stmt *st = history_prepare(db, dbpath, sql);
	size_t cap = 0;
	int rc;

	*med = *p99 = NULL;
	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, track, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, time, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			struct regress_night *a, *b;

			cap = cap * 2 + 32;
			a = realloc(*med, cap * sizeof(**med));
			if (a)
				*med = a;
			b = realloc(*p99, cap * sizeof(**p99));
			if (b)
				*p99 = b;
			if (!a || !b)
				goto err;
		}
		struct regress_night *m = &(*med)[*n], *q = &(*p99)[*n];

		m->value = sqlite3_column_double(st, 0);
		snprintf(m->kernel, sizeof(m->kernel), "%s", sqlite3_column_text(st, 2));
		snprintf(m->microcode, sizeof(m->microcode), "%s", sqlite3_column_text(st, 3));
		*q = *m;
		q->value = sqlite3_column_double(st, 1);
		(*n)++;
	}
	if (rc != SQLITE_DONE)
		goto err;
	sqlite3_finalize(st);
	return 0;
err:
	fprintf(stderr, "%s: reading the history of %s %s: %s\n", dbpath, host, track,
		rc == SQLITE_ROW ? "out of memory" : sqlite3_errmsg(db));
	sqlite3_finalize(st);
	free(*med);
	free(*p99);
	*med = *p99 = NULL;
	return -1;
}

static void describe(FILE *out, const char *what, const struct regress_result *r,
		     unsigned int min_nights)
{
	fprintf(out, "%s %.6g", what, r->value);
	if (r->verdict == REGRESS_LEARNING) {
		fprintf(out, " (learning: %u nights to measure the noise, %u needed)",
			r->noise_nights, min_nights);
		return;
	}
	fprintf(out, " %s %.6g (baseline %.6g over %u nights, sigma %.3g, %+.1f%%)",
		r->verdict == REGRESS_REGRESSED ? ">" : r->verdict == REGRESS_IMPROVED ? "<" : "<=",
		r->verdict == REGRESS_IMPROVED ? r->centre - r->margin : r->threshold,
		r->centre, r->centre_nights, r->sigma,
		r->centre != 0 ? 100.0 * (r->value - r->centre) / fabs(r->centre) : 0.0);
}

int history_judge_track(sqlite3 *db, const char *dbpath, const struct regress_params *p,
			const char *host, const char *time, const char *track,
			struct track_verdict *v)
{
	struct regress_night *med, *p99;
	size_t n;
	int ret = -1;

	*v = (struct track_verdict){ 0 };
	if (load_track(db, dbpath, host, track, time, &med, &p99, &n))
		return -1;
	if (n == 0) {
		ret = 0;
		goto out;
	}
	if (regress_evaluate(med, n, p, &v->median) || regress_evaluate(p99, n, p, &v->p99)) {
		fprintf(stderr, "%s: judging %s %s: out of memory\n", dbpath, host, track);
		goto out;
	}
	v->regressed = v->median.verdict == REGRESS_REGRESSED ||
		       v->p99.verdict == REGRESS_REGRESSED;
	snprintf(v->kernel, sizeof(v->kernel), "%s", med[n - 1].kernel);
	snprintf(v->microcode, sizeof(v->microcode), "%s", med[n - 1].microcode);
	if (n > 1) {
		snprintf(v->kernel_before, sizeof(v->kernel_before), "%s", med[n - 2].kernel);
		snprintf(v->microcode_before, sizeof(v->microcode_before), "%s", med[n - 2].microcode);
	}
	ret = 1;
out:
	free(med);
	free(p99);
	return ret;
}

const char *history_verdict_word(const struct track_verdict *v)
{
	if (v->regressed)
		return "REGRESSION";
	if (v->median.verdict == REGRESS_IMPROVED || v->p99.verdict == REGRESS_IMPROVED)
		return "improved";
	return v->median.verdict == REGRESS_LEARNING ? "learning" : "ok";
}

/* Judges one track of one night; returns 1 when it regressed, 0, or -1. */
static int check_track(sqlite3 *db, const char *dbpath, const struct check_opts *o,
		       const char *host, const char *time, const char *track,
		       const char *emulated, FILE *out)
{
	struct track_verdict v;
	int r = history_judge_track(db, dbpath, &o->params, host, time, track, &v);

	if (r <= 0)
		return r;
	if (v.regressed || o->verbose) {
		fprintf(out, "%s %s %s %s: ", history_verdict_word(&v), host, time, track);
		describe(out, "median", &v.median, o->params.min_nights);
		fputs("; ", out);
		describe(out, "p99", &v.p99, o->params.min_nights);
		if (strcmp(emulated, "no"))
			fprintf(out, "; EMULATED (%s): path length, not hardware time", emulated);
		if (v.median.changed & REGRESS_CHANGED_KERNEL)
			fprintf(out, "; kernel changed %s -> %s", v.kernel_before, v.kernel);
		if (v.median.changed & REGRESS_CHANGED_MICROCODE)
			fprintf(out, "; microcode changed %s -> %s", v.microcode_before, v.microcode);
		fputc('\n', out);
	}
	return v.regressed;
}

/* Judges every series of one run. Returns the number of regressions, or -1. */
static int check_run(sqlite3 *db, const char *dbpath, const struct check_opts *o,
		     sqlite3_int64 run_id, const char *host, const char *time, FILE *out)
{
	sqlite3_stmt *st = history_prepare(db, dbpath,
		"SELECT track, emulated FROM series WHERE run_id = ?1 ORDER BY track");
	int alerts = 0, rc, r;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = check_track(db, dbpath, o, host, time, (const char *)sqlite3_column_text(st, 0),
				(const char *)sqlite3_column_text(st, 1), out);
		if (r < 0) {
			sqlite3_finalize(st);
			return -1;
		}
		alerts += r;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "%s: %s\n", dbpath, sqlite3_errmsg(db));
		return -1;
	}
	return alerts;
}

int history_check(sqlite3 *db, const char *dbpath, const struct check_opts *o, FILE *out)
{
	/*
	 * The nights to judge: every usable night (--every-night), the night
	 * named, or each host's latest night whatever its status.
	 */
	static const char sql[] =
		"SELECT id, host, time, status, reason FROM runs r\n"
		"WHERE (?1 IS NULL OR host = ?1) AND CASE\n"
		"  WHEN ?3 THEN status <> 'failed'\n"
		"  WHEN ?2 IS NOT NULL THEN time = ?2\n"
		"  ELSE time = (SELECT max(time) FROM runs x WHERE x.host = r.host) END\n"
		"ORDER BY host, time";
	sqlite3_stmt *st = history_prepare(db, dbpath, sql);
	int alerts = 0, rc, r, seen = 0;

	if (!st)
		return -1;
	if (o->host)
		sqlite3_bind_text(st, 1, o->host, -1, SQLITE_STATIC);
	if (o->night)
		sqlite3_bind_text(st, 2, o->night, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, o->every_night);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *host = (const char *)sqlite3_column_text(st, 1);
		const char *time = (const char *)sqlite3_column_text(st, 2);
		const char *status = (const char *)sqlite3_column_text(st, 3);

		seen++;
		if (!strcmp(status, "failed")) {
			fprintf(out, "FAILED %s %s: the night recorded no data: %s\n", host, time,
				(const char *)sqlite3_column_text(st, 4));
			alerts++;
			continue;
		}
		r = check_run(db, dbpath, o, sqlite3_column_int64(st, 0), host, time, out);
		if (r < 0) {
			sqlite3_finalize(st);
			return -1;
		}
		alerts += r;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "%s: %s\n", dbpath, sqlite3_errmsg(db));
		return -1;
	}
	if (!seen && (o->host || o->night)) {
		fprintf(stderr, "%s: no night to check%s%s%s%s (exitlat-history runs lists them)\n",
			dbpath, o->host ? " for host " : "", o->host ? o->host : "",
			o->night ? " at " : "", o->night ? o->night : "");
		return -1;
	}
	return alerts;
}
