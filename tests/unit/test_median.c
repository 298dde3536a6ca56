// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * One median for every tool (lib/quantile.c): kvm-probe's and exitlat-native's
 * summaries take exitlat_sample_stats(), the analysis dist_quantile(); both
 * must be numpy's linear rule, checked here against a plain sort.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "exitlat/quantile.h"
#include "../../analysis/dist.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* numpy.percentile(v, p / 100) on a sorted copy, exactly. */
static xdec brute(const uint64_t *v, size_t n, uint32_t p)
{
	uint64_t *s = malloc(n * sizeof(*s));
	unsigned __int128 h = (unsigned __int128)(n - 1) * p;
	size_t k = (size_t)(h / XDEC_SCALE);
	uint64_t r = (uint64_t)(h % XDEC_SCALE);
	xdec x;

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_u64);
	x = xdec_from_u64(s[k]);
	if (r)
		x += (xdec)(s[k + 1] - s[k]) * r;
	free(s);
	return x;
}

static xdec analysis_quantile(const uint64_t *v, size_t n, uint32_t p)
{
	struct value_count vc = { 0 };
	struct dist d;
	xdec x;

	cr_assert_eq(vc_add(&vc, v, n), 0);
	cr_assert_eq(dist_from_counts(&d, &vc), 0);
	vc_free(&vc);
	x = dist_quantile(&d, p);
	dist_free(&d);
	return x;
}

static void check(const uint64_t *v, size_t n)
{
	struct exitlat_sample_stats s;
	char a[XDEC_STR_MAX], b[XDEC_STR_MAX];

	cr_assert_eq(exitlat_sample_stats(v, n, &s), 0);
	cr_assert(s.median == brute(v, n, EXITLAT_P_MEDIAN), "n=%zu: median %s, numpy %s", n,
		  xdec_str(s.median, a), xdec_str(brute(v, n, EXITLAT_P_MEDIAN), b));
	cr_assert(s.p99 == brute(v, n, EXITLAT_P99), "n=%zu: p99 %s, numpy %s", n,
		  xdec_str(s.p99, a), xdec_str(brute(v, n, EXITLAT_P99), b));
	cr_assert(s.median == analysis_quantile(v, n, EXITLAT_P_MEDIAN),
		  "n=%zu: the probes' median %s, the analysis' %s", n, xdec_str(s.median, a),
		  xdec_str(analysis_quantile(v, n, EXITLAT_P_MEDIAN), b));
	cr_assert(s.p99 == analysis_quantile(v, n, EXITLAT_P99));
}

Test(median, an_even_count_takes_the_mean_of_the_two_middle_samples)
{
	uint64_t v[] = { 4, 1, 3, 2 };
	struct exitlat_sample_stats s;
	char buf[XDEC_STR_MAX];

	cr_assert_eq(exitlat_sample_stats(v, 4, &s), 0);
	cr_assert_str_eq(xdec_str(s.median, buf), "2.5");
	cr_assert_eq(s.min, 1);
	cr_assert_eq(s.max, 4);
	cr_assert_str_eq(xdec_str(s.p99, buf), "3.97");
	cr_assert_eq(v[0], 4, "the samples are left in their order");
	check(v, 4);
}

Test(median, one_sample_is_every_statistic)
{
	uint64_t v[] = { 7 };
	struct exitlat_sample_stats s;

	cr_assert_eq(exitlat_sample_stats(v, 1, &s), 0);
	cr_assert(s.min == 7 && s.max == 7 && s.median == xdec_from_u64(7) &&
		  s.p99 == xdec_from_u64(7));
}

Test(median, no_samples_give_zeros)
{
	struct exitlat_sample_stats s;

	cr_assert_eq(exitlat_sample_stats(NULL, 0, &s), 0);
	cr_assert(s.n == 0 && s.min == 0 && s.max == 0 && s.median == 0 && s.p99 == 0);
}

Test(median, extreme_values_stay_exact)
{
	uint64_t v[] = { UINT64_MAX, UINT64_MAX - 1, 0, 1ull << 63 };

	check(v, 4);
}

Test(median, random_sets_agree_with_numpy_and_the_analysis)
{
	srand(7);
	for (size_t n = 1; n < 400; n += 1 + n / 3) {
		uint64_t *v = malloc(n * sizeof(*v));

		for (size_t i = 0; i < n; i++)	/* many ties and a tail */
			v[i] = (uint64_t)(rand() % 50) * (rand() % 7 ? 1 : 1000);
		check(v, n);
		free(v);
	}
}
