// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The history as OpenMetrics text (see metrics.h). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "exitlat/text.h"
#include "check.h"
#include "db.h"
#include "metrics.h"

static const char *const series_labels[] = { "host", "kind", "source", "domain", "environment" };
static const char *const host_labels[] = { "host", "kernel", "microcode", "cpu_model", "version" };
static const char *const states[] = { "ok", "learning", "improved", "regressed" };

static char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	int n = sqlite3_column_bytes(st, i);
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s ? (const char *)s : "", n);
		d[n] = '\0';
	}
	return d;
}

/* {name="value",...}: @n labels, then @extra="@extra_v" when given. */
static void put_labels(FILE *f, const char *const *names, char *const *vals, size_t n,
		       const char *extra, const char *extra_v)
{
	fputc('{', f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%s%s=\"", i ? "," : "", names[i]);
		exitlat_om_label(f, vals[i], strlen(vals[i]));
		fputc('"', f);
	}
	if (extra)
		fprintf(f, ",%s=\"%s\"", extra, extra_v);
	fputc('}', f);
}

static void family(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* "measured", or the emulator with the guest kernel a track names (bochs, qemu@6.12.0). */
static char *environment(const char *emulated, const char *track)
{
	const char *slash = strrchr(track, '/');

	return strdup(!strcmp(emulated, "no") || !slash ? "measured" : slash + 1);
}

static int load_hosts(sqlite3 *db, const char *dbpath, const char *host, struct latest_host **h,
		      size_t *n)
{
	sqlite3_stmt *st = history_prepare(db, dbpath,
		"SELECT host, kernel, microcode, cpu_model,\n"
		"  replace(version, 'exitlat-analyze ', '') || ' ' || commit_id,\n"
		"  CAST(strftime('%s', time) AS INTEGER), status = 'failed', id, folder, time,\n"
		"  status, reason\n"
		"FROM runs r WHERE (?1 IS NULL OR host = ?1)\n"
		"  AND time = (SELECT max(time) FROM runs x WHERE x.host = r.host)\n"
		"ORDER BY host");
	int rc;

	if (!st)
		return -1;
	if (host)
		sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct latest_host *nh = realloc(*h, (*n + 1) * sizeof(**h)), *x;

		if (!nh)
			break;
		*h = nh;
		x = &(*h)[(*n)++];
		*x = (struct latest_host){ .time = sqlite3_column_double(st, 5),
					   .failed = sqlite3_column_int(st, 6),
					   .run_id = sqlite3_column_int64(st, 7) };
		for (int i = 0; i < 5; i++)
			if (!(x->label[i] = col(st, i)))
				rc = SQLITE_NOMEM;
		x->folder = col(st, 8);
		x->time_text = col(st, 9);
		x->status = col(st, 10);
		x->reason = col(st, 11);
		if (!x->folder || !x->time_text || !x->status || !x->reason)
			rc = SQLITE_NOMEM;
		if (rc == SQLITE_NOMEM)
			break;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "%s: %s\n", dbpath, rc == SQLITE_ROW || rc == SQLITE_NOMEM ?
			"out of memory" : sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

static int load_series(sqlite3 *db, const char *dbpath, const char *host,
		       const struct regress_params *p, struct latest_series **s, size_t *n)
{
	sqlite3_stmt *st = history_prepare(db, dbpath,
		"SELECT r.host, s.exit, s.source, s.domain, s.emulated, s.track, r.time,\n"
		"  s.median, s.p99, r.id, r.folder\n"
		"FROM series s JOIN runs r ON r.id = s.run_id\n"
		"WHERE (?1 IS NULL OR r.host = ?1)\n"
		"  AND r.time = (SELECT max(time) FROM runs x WHERE x.host = r.host\n"
		"                AND x.status <> 'failed')\n"
		"ORDER BY r.host, s.track");
	int rc, err = 0;

	if (!st)
		return -1;
	if (host)
		sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(st, 0);
		const char *emu = (const char *)sqlite3_column_text(st, 4);
		const char *track = (const char *)sqlite3_column_text(st, 5);
		struct latest_series *ns = realloc(*s, (*n + 1) * sizeof(**s)), *x;
		struct track_verdict v;
		int r;

		if (!ns || !h || !emu || !track) {
			err = 1;
			break;
		}
		*s = ns;
		x = &(*s)[(*n)++];
		*x = (struct latest_series){ .median = sqlite3_column_double(st, 7),
					 .p99 = sqlite3_column_double(st, 8), .state = "learning",
					 .run_id = sqlite3_column_int64(st, 9) };
		for (int i = 0; i < 4; i++)
			x->label[i] = col(st, i);
		x->label[4] = environment(emu, track);
		for (int i = 0; i < 5; i++)
			err |= !x->label[i];
		x->track = col(st, 5);
		x->folder = col(st, 10);
		x->time_text = col(st, 6);
		err |= !x->track || !x->folder || !x->time_text;
		if (err)
			break;
		r = history_judge_track(db, dbpath, p, h, (const char *)sqlite3_column_text(st, 6),
					track, &v);
		if (r < 0) {
			sqlite3_finalize(st);
			return -1;
		}
		if (r > 0) {
			const char *w = history_verdict_word(&v);

			x->regressed = v.regressed;
			x->state = v.regressed ? "regressed" : !strcmp(w, "improved") ? "improved" :
				   !strcmp(w, "learning") ? "learning" : "ok";
		}
	}
	sqlite3_finalize(st);
	if (err || rc != SQLITE_DONE) {
		fprintf(stderr, "%s: %s\n", dbpath, err ? "out of memory" : sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

int history_latest_load(sqlite3 *db, const char *dbpath, const char *host,
			const struct regress_params *p, struct history_latest *l)
{
	*l = (struct history_latest){ 0 };
	if (load_hosts(db, dbpath, host, &l->h, &l->nh) ||
	    load_series(db, dbpath, host, p, &l->s, &l->ns)) {
		history_latest_free(l);
		return -1;
	}
	return 0;
}

void history_latest_free(struct history_latest *l)
{
	for (size_t i = 0; i < l->ns; i++) {
		for (int k = 0; k < 5; k++)
			free(l->s[i].label[k]);
		free(l->s[i].track);
		free(l->s[i].folder);
		free(l->s[i].time_text);
	}
	for (size_t i = 0; i < l->nh; i++) {
		for (int k = 0; k < 5; k++)
			free(l->h[i].label[k]);
		free(l->h[i].folder);
		free(l->h[i].time_text);
		free(l->h[i].status);
		free(l->h[i].reason);
	}
	free(l->s);
	free(l->h);
	*l = (struct history_latest){ 0 };
}

int history_openmetrics(sqlite3 *db, const char *dbpath, const char *host,
			const struct regress_params *p, FILE *out)
{
	struct history_latest l = { 0 };
	struct latest_series *s;
	struct latest_host *h;
	size_t ns, nh;
	int ret = -1;

	if (history_latest_load(db, dbpath, host, p, &l))
		goto out;
	s = l.s, ns = l.ns, h = l.h, nh = l.nh;
	family(out, "exitlat_median_cycles", "Median VM exit and entry round trip of the host's "
	       "latest usable night, in TSC cycles (environment not measured: an emulator's path "
	       "length, not hardware time).");
	for (size_t i = 0; i < ns; i++) {
		fputs("exitlat_median_cycles", out);
		put_labels(out, series_labels, s[i].label, 5, NULL, NULL);
		fprintf(out, " %.15g\n", s[i].median);
	}
	family(out, "exitlat_p99_cycles", "99th percentile of the round trips of the host's "
	       "latest usable night, in TSC cycles.");
	for (size_t i = 0; i < ns; i++) {
		fputs("exitlat_p99_cycles", out);
		put_labels(out, series_labels, s[i].label, 5, NULL, NULL);
		fprintf(out, " %.15g\n", s[i].p99);
	}
	family(out, "exitlat_regression", "1 when exitlat-history check alerts on the series' "
	       "latest usable night (its median or p99 above the baseline of its past), else 0.");
	for (size_t i = 0; i < ns; i++) {
		fputs("exitlat_regression", out);
		put_labels(out, series_labels, s[i].label, 5, NULL, NULL);
		fprintf(out, " %d\n", s[i].regressed);
	}
	family(out, "exitlat_state", "The verdict on the series' latest usable night: 1 for its "
	       "state (ok, learning, improved, regressed), 0 for the others.");
	for (size_t i = 0; i < ns; i++)
		for (size_t k = 0; k < sizeof(states) / sizeof(states[0]); k++) {
			fputs("exitlat_state", out);
			put_labels(out, series_labels, s[i].label, 5, "state", states[k]);
			fprintf(out, " %d\n", !strcmp(s[i].state, states[k]));
		}
	family(out, "exitlat_night_timestamp_seconds", "Start of the host's latest night (Unix "
	       "time), failed or not.");
	for (size_t i = 0; i < nh; i++) {
		fputs("exitlat_night_timestamp_seconds", out);
		put_labels(out, host_labels, h[i].label, 1, NULL, NULL);
		fprintf(out, " %.0f\n", h[i].time);
	}
	family(out, "exitlat_night_failed", "1 when the host's latest night recorded no data "
	       "(check alerts FAILED); its series are then those of the night before.");
	for (size_t i = 0; i < nh; i++) {
		fputs("exitlat_night_failed", out);
		put_labels(out, host_labels, h[i].label, 1, NULL, NULL);
		fprintf(out, " %d\n", h[i].failed);
	}
	family(out, "exitlat_night_info", "What the host's latest night ran on: kernel, "
	       "microcode, CPU model and exitlat version as labels; always 1.");
	for (size_t i = 0; i < nh; i++) {
		fputs("exitlat_night_info", out);
		put_labels(out, host_labels, h[i].label, 5, NULL, NULL);
		fputs(" 1\n", out);
	}
	fputs("# EOF\n", out);
	ret = 0;
out:
	history_latest_free(&l);
	return ret;
}
