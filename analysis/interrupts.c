// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exitlat/exit_kind_table.h"
#include "bootstrap.h"
#include "interrupts.h"
#include "wide.h"

#define P99 9900u

/* Whole microseconds of @cycles at @tsc_khz: exact, 128 bits hold 2^64 * 1000. */
static unsigned __int128 whole_us(uint64_t cycles, uint64_t tsc_khz)
{
	return (unsigned __int128)cycles * 1000 / tsc_khz;
}

int us_hist_build(const struct dist *d, uint64_t tsc_khz, size_t nbins, struct us_hist *h)
{
	struct wide sum = { 0 };
	unsigned __int128 avg = 0;

	*h = (struct us_hist){ .nbins = nbins, .total = d->n };
	h->cnt = calloc(nbins ? nbins : 1, sizeof(*h->cnt));
	if (!h->cnt)
		return -1;
	for (size_t i = 0; i < d->nd; i++) {
		unsigned __int128 us = whole_us(d->val[i], tsc_khz);

		if (us < nbins)
			h->cnt[us] += d->cnt[i];
		else
			h->overflow += d->cnt[i];
		wide_add_mul(&sum, us, d->cnt[i]);
	}
	if (d->n) {
		h->min_us = whole_us(d->val[0], tsc_khz);
		h->max_us = whole_us(d->val[d->nd - 1], tsc_khz);
		/* the mean of whole microseconds lies between min and max: 128 bits hold it */
		wide_div(&sum, d->n);
		wide_to_u128(&sum, &avg);
		h->avg_us = avg;
	}
	return 0;
}

void us_hist_free(struct us_hist *h)
{
	free(h->cnt);
	h->cnt = NULL;
}

/* 1, 2, 5, 10, 20, 50, ...: the step after @w. */
static uint64_t next_125(uint64_t w)
{
	uint64_t m = 1;

	while (w / m >= 10)
		m *= 10;
	return w / m == 1 ? 2 * m : w / m == 2 ? 5 * m : 10 * m;
}

void lat_bins_choose(xdec p99, uint64_t tsc_khz, struct lat_bins *b)
{
	/* p99 in the bins' unit, to the nearest below: ns, or cycles without a rate */
	unsigned __int128 top = p99 <= 0 ? 0 : (unsigned __int128)(p99 / XDEC_SCALE);
	uint64_t w = 1;

	*b = (struct lat_bins){ .ns = tsc_khz != 0, .width = 1, .tsc_khz = tsc_khz };
	if (tsc_khz)
		top = top * 1000000 / tsc_khz;
	while (top >= (unsigned __int128)LAT_BINS_BELOW_P99 * next_125(w) &&
	       (!tsc_khz || next_125(w) <= 1000))
		w = next_125(w);
	/* a bin narrower than one cycle would leave every other bin empty */
	while (tsc_khz && w < 1000 && (unsigned __int128)w * tsc_khz < 1000000)
		w = next_125(w);
	b->width = w;
}

unsigned __int128 lat_bin_of(const struct lat_bins *b, uint64_t cycles)
{
	if (!b->ns)
		return cycles / b->width;
	return (unsigned __int128)cycles * 1000000 / ((unsigned __int128)b->tsc_khz * b->width);
}

/* The running kinds with a halted twin, and the twin. */
static const struct {
	int run, halt;
} twins[] = {
	{ EXITLAT_EXIT_IRQFD, EXITLAT_EXIT_IRQFD_HALT },
	{ EXITLAT_EXIT_IPI, EXITLAT_EXIT_IPI_HALT },
};

static const struct series *find_kind(const struct series_set *set, const struct series *like,
				      int kind)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct series *s = set->s[i];

		if (s->env == like->env && s->kind == kind && !series_is_segment(s) &&
		    !strcmp(s->source, like->source))
			return s;
	}
	return NULL;
}

static int bootstrap_pair(const struct series_set *set, struct irq_pair *p,
			  const struct boot_opts *o)
{
	unsigned int b = o->resamples;
	long double *x = malloc(2 * (size_t)b * sizeof(*x)), *dm = x, *dp = x + b;
	struct rng r;

	if (!x)
		return -1;
	if (!boot_meaningful(&p->run->d) || !boot_meaningful(&p->halt->d)) {
		p->ci_meaningless = true;
		p->diff_median.ci = p->diff_p99.ci = (struct ci){ NAN, NAN };
		free(x);
		return 0;
	}
	/* seeded per environment and kind, as the ladder's rows */
	rng_seed(&r, boot_row_seed(o->seed, set->envs[p->env].slug, p->halt->exit));
	for (unsigned int i = 0; i < b; i++) {
		long double rm = boot_quantile(&p->run->d, P_MEDIAN, &r);
		long double hm = boot_quantile(&p->halt->d, P_MEDIAN, &r);
		long double rp = boot_quantile(&p->run->d, P99, &r);
		long double hp = boot_quantile(&p->halt->d, P99, &r);

		dm[i] = hm - rm;
		dp[i] = hp - rp;
	}
	boot_interval(dm, b, o->confidence, &p->diff_median.ci.lo, &p->diff_median.ci.hi);
	boot_interval(dp, b, o->confidence, &p->diff_p99.ci.lo, &p->diff_p99.ci.hi);
	free(x);
	return 0;
}

int irq_pairs_compute(const struct series_set *set, const struct boot_opts *o,
		      struct irq_pair **out, size_t *n)
{
	struct irq_pair *p = NULL, *t;
	size_t len = 0;

	*out = NULL;
	*n = 0;
	if (set->by_file)
		return 0;
	for (size_t i = 0; i < set->n; i++) {
		const struct series *run = set->s[i], *halt = NULL;
		struct irq_pair *q;

		if (series_is_segment(run))
			continue;
		for (size_t k = 0; k < sizeof(twins) / sizeof(twins[0]) && !halt; k++)
			if (run->kind == twins[k].run)
				halt = find_kind(set, run, twins[k].halt);
		if (!halt)
			continue;
		t = realloc(p, (len + 1) * sizeof(*p));
		if (!t)
			goto err_free;
		p = t;
		q = &p[len++];
		/* latencies are never shifted (series_is_latency): exact differences */
		*q = (struct irq_pair){
			.env = run->env, .run = run, .halt = halt,
			.diff_median.x = halt->st.median - run->st.median,
			.diff_p99.x = halt->st.p99 - run->st.p99,
			.has_ns = run->tsc == TSC_KNOWN && halt->tsc == TSC_KNOWN &&
				  run->tsc_khz == halt->tsc_khz,
		};
		if (q->has_ns) {
			q->diff_median_ns = series_ns(run, xdec_to_ld(q->diff_median.x));
			q->diff_p99_ns = series_ns(run, xdec_to_ld(q->diff_p99.x));
		}
		if (bootstrap_pair(set, q, o))
			goto err_free;
	}
	*out = p;
	*n = len;
	return 0;

err_free:
	free(p);
	return -1;
}
