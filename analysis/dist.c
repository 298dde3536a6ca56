// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <math.h>
#include <stdlib.h>

#include "dist.h"

static void fill_cum(struct dist *d)
{
	uint64_t c = 0;

	for (size_t i = 0; i < d->nd; i++) {
		c += d->cnt[i];
		d->cum[i] = c;
	}
	d->n = c;
}

int dist_from_counts(struct dist *d, const struct value_count *vc)
{
	size_t nd = vc_distinct(vc);

	*d = (struct dist){ .nd = nd };
	d->val = malloc((nd ? nd : 1) * sizeof(*d->val));
	d->cnt = malloc((nd ? nd : 1) * sizeof(*d->cnt));
	d->cum = malloc((nd ? nd : 1) * sizeof(*d->cum));
	if (!d->val || !d->cnt || !d->cum) {
		dist_free(d);
		return -1;
	}
	vc_sorted(vc, d->val, d->cnt);
	fill_cum(d);
	return 0;
}

uint64_t dist_at_rank(const struct dist *d, uint64_t k)
{
	size_t lo = 0, hi = d->nd - 1;

	/* The first index whose cumulative count exceeds k. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->cum[mid] > k)
			hi = mid;
		else
			lo = mid + 1;
	}
	return d->val[lo];
}

static uint64_t rank_in_dist(const void *d, uint64_t k)
{
	return dist_at_rank(d, k);
}

xdec dist_quantile(const struct dist *d, uint32_t p)
{
	return exitlat_quantile(d->n, p, rank_in_dist, d);
}

void dist_stats(const struct dist *d, struct dist_stats *s)
{
	/* (2^64-1) samples of at most 2^64-1 each stay below 2^128. */
	unsigned __int128 sum = 0;
	long double mean, ss = 0;

	for (size_t i = 0; i < d->nd; i++)
		sum += (unsigned __int128)d->val[i] * d->cnt[i];
	mean = (long double)(sum / d->n) + (long double)(sum % d->n) / d->n;
	/* Around the mean, over distinct values: no catastrophic cancellation. */
	for (size_t i = 0; i < d->nd; i++) {
		long double dv = (long double)d->val[i] - mean;

		ss += dv * dv * d->cnt[i];
	}
	*s = (struct dist_stats){
		.count = d->n,
		.distinct = d->nd,
		.min = xdec_from_u64(d->val[0]),
		.max = xdec_from_u64(d->val[d->nd - 1]),
		.median = dist_quantile(d, P_MEDIAN),
		.p25 = dist_quantile(d, 2500),
		.p75 = dist_quantile(d, 7500),
		.p90 = dist_quantile(d, 9000),
		.p99 = dist_quantile(d, 9900),
		.p999 = dist_quantile(d, 9990),
		.p9999 = dist_quantile(d, 9999),
		.mean = mean,
		.stddev = sqrtl(ss / d->n),
	};
	s->iqr = s->p75 - s->p25;
}

uint64_t dist_trim_top(struct dist *d, long double fraction, uint64_t *above)
{
	uint64_t drop = (uint64_t)floorl((long double)d->n * fraction);
	uint64_t left = drop;

	if (drop >= d->n)
		drop = left = d->n - 1;	/* keep at least one sample */
	while (left) {
		size_t i = d->nd - 1;
		uint64_t take = d->cnt[i] < left ? d->cnt[i] : left;

		*above = d->val[i];
		d->cnt[i] -= take;
		left -= take;
		if (!d->cnt[i])
			d->nd--;
	}
	fill_cum(d);
	return drop;
}

void dist_free(struct dist *d)
{
	free(d->val);
	free(d->cnt);
	free(d->cum);
	*d = (struct dist){ 0 };
}
