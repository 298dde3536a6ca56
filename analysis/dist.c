// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <math.h>
#include <stdlib.h>

#include "dist.h"
#include "wide.h"

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

/*
 * The mean sum/n in 1/XDEC_SCALE, rounded to nearest (ties up), exactly:
 * q + r/n with q = sum / n (at most the largest sample) and r = sum % n.
 */
static xdec exact_mean(uint64_t q, uint64_t r, uint64_t n)
{
	unsigned __int128 frac = ((unsigned __int128)r * (2 * XDEC_SCALE) + n) /
				 ((unsigned __int128)2 * n);

	return xdec_from_u64(q) + (xdec)frac;
}

/*
 * The population standard deviation in 1/XDEC_SCALE, rounded to nearest
 * (ties up), exactly for any uint64 samples. Around the pivot q = floor(mean),
 * with S = sum of cnt (v - q)^2 and r = sum - n q:
 *   variance = (n S - r^2) / n^2,
 *   round(sd * 10^4) = floor((isqrt(4 (n S - r^2) 10^8) + n) / 2n).
 * n S reaches 2^256, hence the 320-bit integers.
 */
static xdec exact_stddev(const struct dist *d, uint64_t q, uint64_t r)
{
	struct wide x = { { 0 } }, r2 = { { 0 } };
	unsigned __int128 sd;

	for (size_t i = 0; i < d->nd; i++) {
		uint64_t dev = d->val[i] >= q ? d->val[i] - q : q - d->val[i];

		wide_add_mul(&x, (unsigned __int128)dev * dev, d->cnt[i]);
	}
	wide_mul(&x, d->n);
	wide_add_mul(&r2, (unsigned __int128)r * r, 1);
	wide_sub(&x, &r2);
	wide_mul(&x, 4 * (uint64_t)XDEC_SCALE * XDEC_SCALE);
	x = wide_isqrt(x);
	wide_add_mul(&x, d->n, 1);
	wide_div(&x, d->n);
	wide_div(&x, 2);
	/* sd <= (2^64 - 1) / 2: the result fits in far less than 128 bits. */
	wide_to_u128(&x, &sd);
	return (xdec)sd;
}

void dist_stats(const struct dist *d, struct dist_stats *s)
{
	/* (2^64-1) samples of at most 2^64-1 each stay below 2^128. */
	unsigned __int128 sum = 0;
	uint64_t q, r;

	for (size_t i = 0; i < d->nd; i++)
		sum += (unsigned __int128)d->val[i] * d->cnt[i];
	q = (uint64_t)(sum / d->n);
	r = (uint64_t)(sum % d->n);
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
		.mean = exact_mean(q, r, d->n),
		.stddev = exact_stddev(d, q, r),
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
