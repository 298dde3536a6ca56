// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Exact quantiles and statistics of analysis/dist.c against a brute-force sort. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../analysis/dist.h"
#include "../../analysis/xdec.h"

static const uint32_t probs[] = { 0, 1, 2500, 5000, 7500, 9000, 9900, 9990, 9999, 10000 };

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* numpy's linear method on a sorted copy, in exact integer arithmetic. */
static xdec brute_quantile(const uint64_t *sorted, size_t n, uint32_t p)
{
	unsigned __int128 h = (unsigned __int128)(n - 1) * p;
	size_t k = (size_t)(h / XDEC_SCALE);
	uint64_t r = (uint64_t)(h % XDEC_SCALE);

	if (!r)
		return xdec_from_u64(sorted[k]);
	return xdec_from_u64(sorted[k]) + (xdec)(sorted[k + 1] - sorted[k]) * r;
}

static void build(struct dist *d, const uint64_t *v, size_t n)
{
	struct value_count vc = { 0 };

	cr_assert_eq(vc_add(&vc, v, n), 0);
	cr_assert_eq(dist_from_counts(d, &vc), 0);
	vc_free(&vc);
}

static void check_against_sort(uint64_t *v, size_t n)
{
	uint64_t *sorted = malloc(n * sizeof(*sorted));
	char a[XDEC_STR_MAX], b[XDEC_STR_MAX];
	struct dist d;

	memcpy(sorted, v, n * sizeof(*v));
	qsort(sorted, n, sizeof(*sorted), cmp_u64);
	build(&d, v, n);
	cr_assert_eq(d.n, n);
	for (size_t i = 0; i < sizeof(probs) / sizeof(probs[0]); i++) {
		xdec got = dist_quantile(&d, probs[i]), want = brute_quantile(sorted, n, probs[i]);

		cr_assert(got == want, "n=%zu p=%u: got %s, want %s", n, probs[i],
			  xdec_str(got, a), xdec_str(want, b));
	}
	for (size_t k = 0; k < n; k += 1 + n / 50)
		cr_assert_eq(dist_at_rank(&d, k), sorted[k]);
	dist_free(&d);
	free(sorted);
}

static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 11;
}

Test(quantiles, one_sample_is_every_quantile)
{
	uint64_t v[] = { 1234 };

	check_against_sort(v, 1);
}

Test(quantiles, two_samples_interpolate)
{
	uint64_t v[] = { 10, 3 };
	char buf[XDEC_STR_MAX];
	struct dist d;

	check_against_sort(v, 2);
	build(&d, v, 2);
	cr_assert_str_eq(xdec_str(dist_quantile(&d, 5000), buf), "6.5");
	cr_assert_str_eq(xdec_str(dist_quantile(&d, 9900), buf), "9.93");
	dist_free(&d);
}

Test(quantiles, all_equal)
{
	uint64_t v[1000];
	struct dist_stats st;
	struct dist d;

	for (size_t i = 0; i < 1000; i++)
		v[i] = 77777;
	check_against_sort(v, 1000);
	build(&d, v, 1000);
	dist_stats(&d, &st);
	cr_assert(st.median == xdec_from_u64(77777));
	cr_assert(st.iqr == 0);
	cr_assert_eq(st.stddev, 0);
	cr_assert_eq(st.distinct, 1);
	dist_free(&d);
}

Test(quantiles, numpy_reference_values)
{
	/* numpy.percentile([1, 2, 3, 4], [50, 90, 99.99]) == [2.5, 3.7, 3.9997] */
	uint64_t v[] = { 4, 1, 3, 2 };
	char buf[XDEC_STR_MAX];
	struct dist d;

	build(&d, v, 4);
	cr_assert_str_eq(xdec_str(dist_quantile(&d, 5000), buf), "2.5");
	cr_assert_str_eq(xdec_str(dist_quantile(&d, 9000), buf), "3.7");
	cr_assert_str_eq(xdec_str(dist_quantile(&d, 9999), buf), "3.9997");
	dist_free(&d);
}

Test(quantiles, exact_near_2_pow_63_and_64)
{
	uint64_t v[] = { (1ull << 63), (1ull << 63) + 1, UINT64_MAX, UINT64_MAX - 1 };
	char buf[XDEC_STR_MAX];
	struct dist_stats st;
	struct dist d;

	build(&d, v, 2);
	/* A double would print 9223372036854775808 for both ranks. */
	cr_assert_str_eq(xdec_str(dist_quantile(&d, 5000), buf), "9223372036854775808.5");
	dist_free(&d);
	build(&d, v + 2, 2);
	dist_stats(&d, &st);
	cr_assert_str_eq(xdec_str(st.max, buf), "18446744073709551615");
	cr_assert_str_eq(xdec_str(st.min, buf), "18446744073709551614");
	cr_assert_str_eq(xdec_str(st.median, buf), "18446744073709551614.5");
	cr_assert_str_eq(xdec_str(st.p99, buf), "18446744073709551614.99");
	dist_free(&d);
	check_against_sort(v, 4);
}

Test(quantiles, sum_of_huge_values_does_not_overflow)
{
	uint64_t v[64];
	struct dist_stats st;
	struct dist d;

	for (size_t i = 0; i < 64; i++)
		v[i] = UINT64_MAX - i % 2;
	build(&d, v, 64);
	dist_stats(&d, &st);
	/* A 64-bit sum would wrap to a mean near 0; a long double would lose the .5. */
	cr_assert(st.mean == xdec_from_u64(UINT64_MAX) - XDEC_SCALE / 2);
	cr_assert(st.stddev == XDEC_SCALE / 2);
	dist_free(&d);
}

Test(quantiles, random_sets_match_sort)
{
	uint64_t seed = 42;

	for (int round = 0; round < 200; round++) {
		size_t n = 1 + lcg(&seed) % 3000;
		uint64_t *v = malloc(n * sizeof(*v));
		/* Narrow, wide and full-range values: direct table and hash both. */
		uint64_t mask = round % 3 == 0 ? 0xff : round % 3 == 1 ? 0xfffff : UINT64_MAX;

		for (size_t i = 0; i < n; i++)
			v[i] = (lcg(&seed) ^ (lcg(&seed) << 40)) & mask;
		check_against_sort(v, n);
		free(v);
	}
}

Test(quantiles, mean_and_stddev_match_direct_computation)
{
	uint64_t v[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	struct dist_stats st;
	struct dist d;

	build(&d, v, 8);
	dist_stats(&d, &st);
	cr_assert(st.mean == xdec_from_u64(5));
	/* Population standard deviation (numpy's default ddof=0). */
	cr_assert(st.stddev == xdec_from_u64(2));
	dist_free(&d);
}

struct exact_case {
	uint64_t v[32];
	size_t n;
	char mean[XDEC_STR_MAX], stddev[XDEC_STR_MAX];
};

/* Rounded to 4 decimals, ties up; a long double got the first three wrong. */
static struct exact_case exact_cases[] = {
	{ { 1ull << 63, (1ull << 63) + 1 }, 2, "9223372036854775808.5", "0.5" },
	{ { 0, UINT64_MAX }, 2, "9223372036854775807.5", "9223372036854775807.5" },
	{ { UINT64_MAX, UINT64_MAX, UINT64_MAX }, 3, "18446744073709551615", "0" },
	{ { 1, 2, 3, 4 }, 4, "2.5", "1.118" },
	{ { 0, 0, 1 }, 3, "0.3333", "0.4714" },
	{ { 0, 1, 1 }, 3, "0.6667", "0.4714" },
	{ { 1, 1, 1, 1, 1, 1, 1, 2 }, 8, "1.125", "0.3307" },
	{ { [31] = 1 }, 32, "0.0313", "0.174" },	/* 1/32 = 0.03125: the tie goes up */
	{ { 7 }, 1, "7", "0" },
};

ParameterizedTestParameters(quantiles, mean_and_stddev_are_exact)
{
	return cr_make_param_array(struct exact_case, exact_cases,
				   sizeof(exact_cases) / sizeof(exact_cases[0]));
}

ParameterizedTest(struct exact_case *c, quantiles, mean_and_stddev_are_exact)
{
	char buf[XDEC_STR_MAX];
	struct dist_stats st;
	struct dist d;

	build(&d, c->v, c->n);
	dist_stats(&d, &st);
	cr_assert_str_eq(xdec_str(st.mean, buf), c->mean);
	cr_assert_str_eq(xdec_str(st.stddev, buf), c->stddev);
	dist_free(&d);
}

static unsigned __int128 isqrt128(unsigned __int128 x)
{
	unsigned __int128 y = (unsigned __int128)sqrtl((long double)x);

	while (y * y > x)
		y--;
	while ((y + 1) * (y + 1) <= x)
		y++;
	return y;
}

/*
 * Against the textbook formula over the raw samples (pivot 0, 128-bit sums,
 * another square root) and a long double within one unit of the last digit.
 */
Test(quantiles, random_sets_mean_and_stddev_match_brute_force)
{
	uint64_t seed = 7;

	for (int round = 0; round < 300; round++) {
		size_t n = 1 + lcg(&seed) % 3000;
		uint64_t *v = malloc(n * sizeof(*v));
		unsigned __int128 sum = 0, sq = 0, num;
		struct dist_stats st;
		struct dist d;
		xdec mean, sd;

		for (size_t i = 0; i < n; i++) {
			v[i] = lcg(&seed) % (round % 2 ? 1000 : 1u << 20);
			sum += v[i];
			sq += (unsigned __int128)v[i] * v[i];
		}
		build(&d, v, n);
		dist_stats(&d, &st);
		mean = (xdec)((sum * 2 * XDEC_SCALE + n) / (2 * (unsigned __int128)n));
		num = n * sq - sum * sum;
		sd = (xdec)((isqrt128(num * 4 * XDEC_SCALE * XDEC_SCALE) + n) / (2 * n));
		cr_assert(st.mean == mean, "round %d: mean off", round);
		cr_assert(st.stddev == sd, "round %d: stddev off", round);
		cr_assert_lt(fabsl(xdec_to_ld(sd) - sqrtl((long double)num) / n), 1e-4L);
		dist_free(&d);
		free(v);
	}
}

Test(quantiles, trim_drops_the_top_and_reports_it)
{
	uint64_t v[100], above = 0;
	struct dist d;

	for (size_t i = 0; i < 100; i++)
		v[i] = i + 1;
	build(&d, v, 100);
	cr_assert_eq(dist_trim_top(&d, 0.05L, &above), 5);
	cr_assert_eq(above, 96);
	cr_assert_eq(d.n, 95);
	cr_assert_eq(d.val[d.nd - 1], 95);
	cr_assert(dist_quantile(&d, 10000) == xdec_from_u64(95));
	dist_free(&d);
}

Test(quantiles, trim_inside_a_repeated_value)
{
	uint64_t v[] = { 1, 2, 9, 9, 9, 9 }, above = 0;
	struct dist d;

	build(&d, v, 6);
	cr_assert_eq(dist_trim_top(&d, 0.5L, &above), 3);
	cr_assert_eq(above, 9);
	cr_assert_eq(d.n, 3);
	cr_assert_eq(d.cnt[d.nd - 1], 1);
	dist_free(&d);
}

Test(xdec, prints_and_parses_exactly)
{
	char buf[XDEC_STR_MAX];
	xdec x;

	cr_assert_str_eq(xdec_str(-xdec_from_u64(3) / 2, buf), "-1.5");
	cr_assert_str_eq(xdec_str(1, buf), "0.0001");
	cr_assert_str_eq(xdec_str(0, buf), "0");
	cr_assert_eq(xdec_parse("-12.25", &x), 0);
	cr_assert(x == -122500);
	cr_assert_eq(xdec_parse("1.00001", &x), -1);
	cr_assert_eq(xdec_parse("", &x), -1);
	cr_assert_eq(xdec_parse("1x", &x), -1);
}
