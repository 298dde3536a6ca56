// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootstrap.h"
#include "breakdown.h"

/* Samples per file and read while the set's files are read side by side. */
#define ROWS 4096

/* The breakdown being built, and what it needs while the sets are read. */
struct group {
	struct breakdown *b;
	const struct series *col[EXITLAT_SEGMENTS_MAX];	/* trip, then the segments */
	size_t ncol;
	const struct bd_file **member;	/* ncol per complete set */
	size_t nsets;
	unsigned __int128 mid[EXITLAT_SEGMENTS_MAX], tail[EXITLAT_SEGMENTS_MAX];
};

static int nomem(char err[EXITLAT_ERR_MAX])
{
	snprintf(err, EXITLAT_ERR_MAX, "exitlat-analyze: out of memory");
	return -1;
}

/* The @k-th blank-separated name of @list into @out (at most EXITLAT_SEGMENT_MAX). */
static void list_name(const char *list, size_t k, char out[EXITLAT_SEGMENT_MAX + 1])
{
	const char *p = list;
	size_t l;

	while (k-- && *p)
		p += strcspn(p, " ") + (p[strcspn(p, " ")] == ' ');
	l = strcspn(p, " ");
	if (l > EXITLAT_SEGMENT_MAX)
		l = EXITLAT_SEGMENT_MAX;
	memcpy(out, p, l);
	out[l] = '\0';
}

static size_t list_len(const char *list)
{
	size_t n = 1;

	for (const char *p = list; *p; p++)
		n += *p == ' ';
	return n;
}

/* The series of the trip @t's set that is @name, or NULL. */
static const struct series *set_series(const struct series_set *set, const struct series *t,
				       const char *name)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct series *s = set->s[i];

		if (series_is_segment(s) && s->env == t->env && s->domain == t->domain &&
		    !strcmp(s->source, t->source) && !strcmp(s->exit, t->exit) &&
		    !strcmp(s->segments, t->segments) && !strcmp(s->segment, name))
			return s;
	}
	return NULL;
}

/* The kind's own series (not a set's) of @source in @t's environment, or NULL. */
static const struct series *kind_series(const struct series_set *set, const struct series *t,
					bool native)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct series *s = set->s[i];

		if (series_is_segment(s) || s->env != t->env || series_is_native(s) != native)
			continue;
		/* The untraced trips: the same domain; native: the same kind, as the ladder. */
		if (native ? s->kind >= 0 && s->kind == t->kind :
			     s->domain == t->domain && !strcmp(s->exit, t->exit) &&
			     !strcmp(s->source, t->source))
			return s;
	}
	return NULL;
}

/*
 * The complete sets of @g's trip series: each holds a file of every series
 * of the group, exactly one. An incomplete set is named and left out.
 */
static int find_sets(const struct series_set *set, struct group *g)
{
	for (size_t i = 0; i < set->nbd; i++) {
		const struct bd_file *trip = &set->bd[i], **m;
		bool seen = false, whole = true;

		if (trip->s != g->col[0])
			continue;
		/* A set is listed once, by its first trip file. */
		for (size_t j = 0; j < i && !seen; j++)
			seen = set->bd[j].s == g->col[0] && !strcmp(set->bd[j].set, trip->set);
		if (seen)
			continue;
		m = realloc(g->member, (g->nsets + 1) * g->ncol * sizeof(*m));
		if (!m)
			return -1;
		g->member = m;
		m += g->nsets * g->ncol;
		for (size_t k = 0; k < g->ncol && whole; k++) {
			m[k] = NULL;
			for (size_t j = 0; j < set->nbd; j++) {
				if (set->bd[j].s != g->col[k] || strcmp(set->bd[j].set, trip->set))
					continue;
				whole = !m[k];
				m[k] = &set->bd[j];
			}
			whole &= m[k] != NULL;
		}
		if (!whole) {
			fprintf(stderr, "exitlat-analyze: warning: %s: its breakdown set is not "
				"whole among the inputs (every file of '%s', each once): left out "
				"of the shares\n", trip->path, g->col[0]->segments);
			continue;
		}
		g->nsets++;
	}
	return 0;
}

/* One file of a set, read a chunk at a time. */
struct column {
	struct exitlat_reader r;
	uint64_t *v;
	size_t len, pos;
	uint64_t count;
	bool open, end;
};

/* The next sample of @c into *@v; 0 at the end (c->end), 1 with a sample, -1 on error. */
static int column_next(struct column *c, uint64_t *v, char err[EXITLAT_ERR_MAX])
{
	if (c->pos == c->len && !c->end) {
		if (exitlat_reader_next(&c->r, c->v, ROWS, &c->len)) {
			memcpy(err, c->r.err, EXITLAT_ERR_MAX);
			return -1;
		}
		c->pos = 0;
		c->end = c->len == 0;
	}
	if (c->end)
		return 0;
	*v = c->v[c->pos++];
	c->count++;
	return 1;
}

/*
 * Reads one set's files side by side: every line's segments must add up to
 * its trip. @thresholds: the trips' median band and p99 (pass 2), or NULL
 * to count the trips into @vc (pass 1).
 */
static int read_set(struct group *g, const struct bd_file *const *m, struct value_count *vc,
		    const struct breakdown *thresholds, char err[EXITLAT_ERR_MAX])
{
	struct column *c = calloc(g->ncol, sizeof(*c));
	size_t ncol = thresholds ? g->ncol : 1;
	uint64_t row[EXITLAT_SEGMENTS_MAX];
	int ret = -1;

	if (!c)
		return nomem(err);
	for (size_t k = 0; k < ncol; k++) {
		if (exitlat_reader_open(&c[k].r, m[k]->path)) {
			memcpy(err, c[k].r.err, EXITLAT_ERR_MAX);
			goto out;
		}
		c[k].open = true;
		if (!(c[k].v = malloc(ROWS * sizeof(*c[k].v)))) {
			nomem(err);
			goto out;
		}
	}
	for (;;) {
		unsigned __int128 sum = 0;
		int got = column_next(&c[0], &row[0], err);

		if (got < 0)
			goto out;
		for (size_t k = 1; k < ncol; k++) {
			int r = column_next(&c[k], &row[k], err);

			if (r < 0)
				goto out;
			if (r != got) {
				/* The file that has ended holds its count of samples. */
				size_t shorter = r ? 0 : k;

				snprintf(err, EXITLAT_ERR_MAX, "%s: %llu samples, but %s has more: "
					 "line i of every file of a breakdown set is the same round "
					 "trip (docs/breakdown.md)", m[shorter]->path,
					 (unsigned long long)c[shorter].count, m[shorter ? 0 : k]->path);
				goto out;
			}
			sum += row[k];
		}
		if (!got)
			break;
		if (!thresholds) {
			if (vc_add(vc, row, 1)) {
				nomem(err);
				goto out;
			}
			continue;
		}
		if (sum != row[0]) {
			snprintf(err, EXITLAT_ERR_MAX, "%s:%llu: the segments of this round trip "
				 "(%s) do not add up to it: their files do not belong together "
				 "(docs/breakdown.md)", m[0]->path,
				 (unsigned long long)(c[0].r.header.n + 1 + c[0].count),
				 g->col[0]->segments + 5);
			goto out;
		}
		if (row[0] >= g->b->band_lo && row[0] <= g->b->band_hi) {
			for (size_t k = 0; k < ncol; k++)
				g->mid[k] += row[k];
			g->b->n_mid++;
		}
		if (xdec_from_u64(row[0]) >= g->b->trip_p99) {
			for (size_t k = 0; k < ncol; k++)
				g->tail[k] += row[k];
			g->b->n_tail++;
		}
		g->b->trips++;
	}
	ret = 0;
out:
	for (size_t k = 0; k < ncol; k++) {
		if (c[k].open)
			exitlat_reader_close(&c[k].r);
		free(c[k].v);
	}
	free(c);
	return ret;
}

/* sum / n rounded to the nearest 1/XDEC_SCALE, ties up, exactly (as the series' mean). */
static xdec mean_of(unsigned __int128 sum, uint64_t n)
{
	unsigned __int128 q = sum / n, r = sum % n;

	return (xdec)q * XDEC_SCALE + (xdec)((r * 2 * XDEC_SCALE + n) / (2 * (unsigned __int128)n));
}

static long double share_of(unsigned __int128 part, unsigned __int128 whole)
{
	return whole ? (long double)part * 100 / (long double)whole : NAN;
}

/*
 * The trips' median band and p99 from every trip of the group's complete
 * sets (pass 1), then the segments' sums there (pass 2).
 */
static int shares(struct group *g, char err[EXITLAT_ERR_MAX])
{
	struct breakdown *b = g->b;
	struct value_count vc = { 0 };
	struct dist d = { 0 };
	unsigned __int128 last;
	int ret = -1;

	for (size_t i = 0; i < g->nsets; i++)
		if (read_set(g, g->member + i * g->ncol, &vc, NULL, err))
			goto out;
	if (vc.overflow || dist_from_counts(&d, &vc)) {
		nomem(err);
		goto out;
	}
	if (!d.n) {
		ret = 0;	/* no trip in any whole set: b->trips stays 0 */
		goto out;
	}
	last = d.n - 1;
	b->band_lo = dist_at_rank(&d, (uint64_t)(last * BD_BAND_LO / 1000));
	b->band_hi = dist_at_rank(&d, (uint64_t)((last * BD_BAND_HI + 999) / 1000));
	b->trip_median = dist_quantile(&d, EXITLAT_P_MEDIAN);
	b->trip_p99 = dist_quantile(&d, EXITLAT_P99);
	for (size_t i = 0; i < g->nsets; i++)
		if (read_set(g, g->member + i * g->ncol, NULL, b, err))
			goto out;
	if (b->trips != d.n) {
		snprintf(err, EXITLAT_ERR_MAX, "%s: changed while it was read",
			 g->member[0]->path);
		goto out;
	}
	b->trip_mean_mid = mean_of(g->mid[0], b->n_mid);
	b->trip_mean_tail = mean_of(g->tail[0], b->n_tail);
	for (size_t k = 1; k < g->ncol; k++) {
		struct bd_segment *s = &b->seg[k - 1];

		s->mean_mid = mean_of(g->mid[k], b->n_mid);
		s->mean_tail = mean_of(g->tail[k], b->n_tail);
		s->share_mid = share_of(g->mid[k], g->mid[0]);
		s->share_tail = share_of(g->tail[k], g->tail[0]);
	}
	ret = 0;
out:
	vc_free(&vc);
	dist_free(&d);
	return ret;
}

/*
 * A quantile of @s as measured (never null-subtracted: segments add up only
 * as measured) with its percentile bootstrap interval, seeded per row.
 */
static void estimate(const struct series_set *set, const struct series *s, const char *what,
		     uint32_t p, const struct boot_opts *o, long double *work, struct estimate *e)
{
	char key[160];
	struct rng r;

	e->x = dist_quantile(&s->d, p);
	e->ci = (struct ci){ NAN, NAN };
	if (!boot_meaningful(&s->d))
		return;
	snprintf(key, sizeof(key), "%s/breakdown/%s/%s/%u", s->exit, s->segment ? s->segment : "",
		 what, p);
	rng_seed(&r, boot_row_seed(o->seed, set->envs[s->env].slug, key));
	for (unsigned int i = 0; i < o->resamples; i++)
		work[i] = boot_quantile(&s->d, p, &r);
	boot_interval(work, o->resamples, o->confidence, &e->ci.lo, &e->ci.hi);
}

static void estimates(const struct series_set *set, struct breakdown *b,
		      const struct boot_opts *o, long double *work)
{
	estimate(set, b->trip, "trip", EXITLAT_P_MEDIAN, o, work, &b->traced_median);
	estimate(set, b->trip, "trip", EXITLAT_P99, o, work, &b->traced_p99);
	for (size_t k = 0; k < b->nseg; k++) {
		estimate(set, b->seg[k].s, "segment", EXITLAT_P_MEDIAN, o, work, &b->seg[k].median);
		estimate(set, b->seg[k].s, "segment", EXITLAT_P99, o, work, &b->seg[k].p99);
	}
	b->ci_meaningless = !boot_meaningful(&b->trip->d);
	if (b->untraced) {
		estimate(set, b->untraced, "untraced", EXITLAT_P_MEDIAN, o, work,
			 &b->untraced_median);
		b->has_cost = true;
		b->tracing_cost = b->traced_median.x - b->untraced_median.x;
		b->tracing_cost_pct = b->untraced_median.x > 0 ?
			xdec_to_ld(b->tracing_cost) * 100 / xdec_to_ld(b->untraced_median.x) : NAN;
	}
	if (b->native) {
		estimate(set, b->native, "native", EXITLAT_P_MEDIAN, o, work, &b->native_median);
		estimate(set, b->native, "native", EXITLAT_P99, o, work, &b->native_p99);
	}
}

/* The group of trip series @t: its segments' series, or why there is none (0, g->ncol 0). */
static int make_group(const struct series_set *set, const struct series *t, struct group *g)
{
	char name[EXITLAT_SEGMENT_MAX + 1];

	g->ncol = list_len(t->segments);
	g->col[0] = t;
	for (size_t k = 1; k < g->ncol; k++) {
		list_name(t->segments, k, name);
		g->col[k] = set_series(set, t, name);
		if (!g->col[k]) {
			fprintf(stderr, "exitlat-analyze: warning: %s: no file of its breakdown set's "
				"segment '%s' among the inputs: no breakdown of %s\n", t->files[0],
				name, t->id);
			g->ncol = 0;
			return 0;
		}
	}
	return find_sets(set, g);
}

int breakdown_compute(const struct series_set *set, const struct boot_opts *o,
		      struct breakdown **out, size_t *n, char err[EXITLAT_ERR_MAX])
{
	long double *work = malloc((o->resamples ? o->resamples : 1) * sizeof(*work));
	struct breakdown *bs = NULL, *t;
	struct group g;
	size_t len = 0;

	*out = NULL;
	*n = 0;
	if (!work)
		return nomem(err);
	/* A file of its own per series: a set's files are never one series each. */
	for (size_t i = 0; i < set->n && !set->by_file; i++) {
		const struct series *trip = set->s[i];

		if (!series_is_segment(trip) || strcmp(trip->segment, "trip"))
			continue;
		g = (struct group){ 0 };
		if (make_group(set, trip, &g))
			goto err_nomem;
		if (!g.nsets) {
			if (g.ncol)
				fprintf(stderr, "exitlat-analyze: warning: %s: no whole breakdown set: "
					"no breakdown of %s\n", trip->files[0], trip->id);
			free(g.member);
			continue;
		}
		t = realloc(bs, (len + 1) * sizeof(*bs));
		if (!t) {
			free(g.member);
			goto err_nomem;
		}
		bs = t;
		g.b = &bs[len];
		*g.b = (struct breakdown){
			.env = trip->env,
			.trip = trip,
			.untraced = kind_series(set, trip, false),
			.native = kind_series(set, trip, true),
			.nseg = g.ncol - 1,
			.sets = g.nsets,
		};
		for (size_t k = 1; k < g.ncol; k++)
			g.b->seg[k - 1].s = g.col[k];
		if (shares(&g, err)) {
			free(g.member);
			goto err;
		}
		free(g.member);
		if (!g.b->trips) {
			fprintf(stderr, "exitlat-analyze: warning: %s: its whole breakdown sets hold "
				"no trip: no breakdown of %s\n", trip->files[0], trip->id);
			continue;
		}
		estimates(set, g.b, o, work);
		len++;
	}
	free(work);
	*out = bs;
	*n = len;
	return 0;

err_nomem:
	nomem(err);
err:
	free(work);
	free(bs);
	return -1;
}
