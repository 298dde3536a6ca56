// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Bootstrap of quantiles: reproducible with a seed, and statistically sane. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "../../analysis/bootstrap.h"

static void build(struct dist *d, const uint64_t *v, size_t n)
{
	struct value_count vc = { 0 };

	cr_assert_eq(vc_add(&vc, v, n), 0);
	cr_assert_eq(dist_from_counts(d, &vc), 0);
	vc_free(&vc);
}

static void normalish(struct dist *d, size_t n, uint64_t seed, double scale)
{
	uint64_t *v = malloc(n * sizeof(*v));
	struct rng r;

	rng_seed(&r, seed);
	for (size_t i = 0; i < n; i++)
		v[i] = 1000 + (uint64_t)(scale * (rng_uniform(&r) + rng_uniform(&r) +
						rng_uniform(&r)));
	build(d, v, n);
	free(v);
}

static void interval(const struct dist *d, uint32_t p, uint64_t seed, long double *lo,
		     long double *hi)
{
	long double x[1000];
	struct rng r;

	rng_seed(&r, seed);
	for (int i = 0; i < 1000; i++)
		x[i] = boot_quantile(d, p, &r);
	boot_interval(x, 1000, 0.95, lo, hi);
}

Test(bootstrap, same_seed_same_interval)
{
	long double lo1, hi1, lo2, hi2, lo3, hi3;
	struct dist d;

	normalish(&d, 20000, 3, 100);
	interval(&d, 5000, 99, &lo1, &hi1);
	interval(&d, 5000, 99, &lo2, &hi2);
	interval(&d, 9900, 100, &lo3, &hi3);
	cr_assert(lo1 == lo2 && hi1 == hi2);
	cr_assert(lo3 != lo1 || hi3 != hi1);
	dist_free(&d);
}

Test(bootstrap, rng_sequence_is_fixed)
{
	struct rng a, b;

	rng_seed(&a, 12345);
	rng_seed(&b, 12345);
	for (int i = 0; i < 100; i++)
		cr_assert_eq(rng_u64(&a), rng_u64(&b));
	rng_seed(&b, 12346);
	cr_assert_neq(rng_u64(&a), rng_u64(&b));
}

Test(bootstrap, interval_holds_the_median_and_is_narrow)
{
	long double lo, hi, med;
	struct dist d;

	normalish(&d, 100000, 5, 100000);
	med = xdec_to_ld(dist_quantile(&d, 5000));
	interval(&d, 5000, 1, &lo, &hi);
	cr_assert_leq(lo, med);
	cr_assert_geq(hi, med);
	/*
	 * sigma = 50000, so the median's standard error is about
	 * 1.25 sigma / sqrt(n) = 200: a 95% interval about 800 wide.
	 */
	cr_assert_lt(hi - lo, 1200, "width %Lf", hi - lo);
	cr_assert_gt(hi - lo, 500, "width %Lf", hi - lo);
	dist_free(&d);
}

Test(bootstrap, replicates_stay_within_the_sample_range)
{
	uint64_t v[] = { 5, 9, 9, 11, 400 };
	struct rng r;
	struct dist d;

	build(&d, v, 5);
	rng_seed(&r, 7);
	for (int i = 0; i < 5000; i++) {
		long double q = boot_quantile(&d, 9900, &r);

		cr_assert_geq(q, 5);
		cr_assert_leq(q, 400);
	}
	dist_free(&d);
}

Test(bootstrap, constant_and_single_sample_series_are_degenerate)
{
	uint64_t one[] = { 42 }, same[] = { 7, 7, 7, 7, 7, 7 };
	long double lo, hi;
	struct dist d;

	build(&d, one, 1);
	interval(&d, 5000, 1, &lo, &hi);
	cr_assert(lo == 42 && hi == 42);
	dist_free(&d);
	build(&d, same, 6);
	interval(&d, 9900, 1, &lo, &hi);
	cr_assert(lo == 7 && hi == 7);
	dist_free(&d);
}

Test(bootstrap, matches_plain_resampling_in_distribution)
{
	/* The order-statistic shortcut against resampling the hard way. */
	enum { N = 301, B = 4000 };
	uint64_t v[N], tmp[N];
	long double fast[B], slow[B], flo, fhi, slo, shi;
	struct rng r;
	struct dist d;

	rng_seed(&r, 11);
	for (int i = 0; i < N; i++)
		v[i] = (uint64_t)(1000 * -log(rng_uniform(&r)));
	build(&d, v, N);
	for (int b = 0; b < B; b++) {
		struct dist rd;

		fast[b] = boot_quantile(&d, 9000, &r);
		for (int i = 0; i < N; i++)
			tmp[i] = v[rng_u64(&r) % N];
		build(&rd, tmp, N);
		slow[b] = xdec_to_ld(dist_quantile(&rd, 9000));
		dist_free(&rd);
	}
	boot_interval(fast, B, 0.8, &flo, &fhi);
	boot_interval(slow, B, 0.8, &slo, &shi);
	/* Same 10% and 90% points within a few percent. */
	cr_assert_lt(fabsl(flo - slo) / slo, 0.05, "fast %Lf slow %Lf", flo, slo);
	cr_assert_lt(fabsl(fhi - shi) / shi, 0.05, "fast %Lf slow %Lf", fhi, shi);
	dist_free(&d);
}

/* One sample: every resample is the same, so no interval is ever made from it. */
Test(bootstrap, one_sample_is_not_enough_for_an_interval)
{
	uint64_t one[] = { 42 }, two[] = { 42, 43 };
	struct dist d;

	build(&d, one, 1);
	cr_assert_not(boot_meaningful(&d));
	dist_free(&d);
	build(&d, two, 2);
	cr_assert(boot_meaningful(&d));
	dist_free(&d);
}
