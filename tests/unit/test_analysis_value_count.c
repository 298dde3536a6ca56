// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The per-value count store: exact counts, sorted output, bounded memory. */
#include <criterion/criterion.h>
#include <malloc.h>
#include <stdlib.h>

#include "../../analysis/value_count.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

Test(value_count, counts_match_a_sorted_copy)
{
	size_t n = 200000, nd;
	uint64_t *v = malloc(n * sizeof(*v)), *val, *cnt, s = 7;
	struct value_count vc = { 0 };
	size_t j = 0;

	for (size_t i = 0; i < n; i++) {
		s = s * 6364136223846793005ull + 1442695040888963407ull;
		/* A third below the direct table's limit, the rest spread wide. */
		v[i] = i % 3 ? (s >> 20) % 100000 + VC_DIRECT_MAX - 50000 : s | 1ull << 63;
	}
	cr_assert_eq(vc_add(&vc, v, n), 0);
	cr_assert_eq(vc.total, n);
	qsort(v, n, sizeof(*v), cmp_u64);
	nd = vc_distinct(&vc);
	val = malloc(nd * sizeof(*val));
	cnt = malloc(nd * sizeof(*cnt));
	vc_sorted(&vc, val, cnt);
	for (size_t i = 0; i < nd; i++) {
		cr_assert_gt(cnt[i], 0);
		for (uint64_t c = 0; c < cnt[i]; c++, j++)
			cr_assert_eq(v[j], val[i], "rank %zu", j);
		if (i)
			cr_assert_gt(val[i], val[i - 1]);
	}
	cr_assert_eq(j, n);
	vc_free(&vc);
	free(v);
	free(val);
	free(cnt);
}

Test(value_count, memory_follows_distinct_values_not_samples)
{
	struct value_count vc = { 0 };
	uint64_t v[4096];

	for (size_t i = 0; i < 4096; i++)
		v[i] = 1000000 + i % 10;
	for (int round = 0; round < 1000; round++)
		cr_assert_eq(vc_add(&vc, v, 4096), 0);
	cr_assert_eq(vc.total, 4096000);
	cr_assert_eq(vc_distinct(&vc), 10);
	/* Ten hashed values: the table never grows past the room for them. */
	cr_assert_leq(vc.cap, 32);
	vc_free(&vc);
}

Test(value_count, merging_counts)
{
	struct value_count vc = { 0 };
	uint64_t val[2], cnt[2];

	cr_assert_eq(vc_add_count(&vc, 5, 3), 0);
	cr_assert_eq(vc_add_count(&vc, UINT64_MAX, 2), 0);
	cr_assert_eq(vc_add_count(&vc, 5, 4), 0);
	cr_assert_eq(vc_distinct(&vc), 2);
	vc_sorted(&vc, val, cnt);
	cr_assert_eq(val[0], 5);
	cr_assert_eq(cnt[0], 7);
	cr_assert_eq(val[1], UINT64_MAX);
	cr_assert_eq(cnt[1], 2);
	vc_free(&vc);
}

Test(value_count, total_overflow_is_flagged)
{
	struct value_count vc = { 0 };

	cr_assert_eq(vc_add_count(&vc, 1, UINT64_MAX), 0);
	cr_assert_eq(vc.overflow, 0);
	cr_assert_eq(vc_add_count(&vc, 2, 1), 0);
	cr_assert_neq(vc.overflow, 0);
	vc_free(&vc);
}

static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

/*
 * Memory follows the data: --by file keeps one store per file, and 2,000
 * tiny files once cost 274 MB (a 512 KiB direct table each).
 */
Test(value_count, a_small_series_costs_little_memory)
{
	enum { SERIES = 2000 };
	struct value_count *vc = calloc(SERIES, sizeof(*vc));
	size_t before = heap_in_use(), grown;
	uint64_t val[4], cnt[4];

	for (size_t i = 0; i < SERIES; i++) {
		uint64_t v[5] = { 1000 + i, 0, 1200, 70000 + i, 1200 };

		cr_assert_eq(vc_add(&vc[i], v, 5), 0);
	}
	grown = heap_in_use() - before;
	cr_assert_lt(grown, SERIES * 1024, "%zu bytes for %d series of 4 values", grown, SERIES);
	cr_assert_eq(vc_distinct(&vc[7]), 4);
	vc_sorted(&vc[7], val, cnt);
	cr_assert_eq(val[0], 0);
	cr_assert_eq(val[1], 1007);
	cr_assert_eq(val[2], 1200);
	cr_assert_eq(cnt[2], 2);
	cr_assert_eq(val[3], 70007);
	for (size_t i = 0; i < SERIES; i++)
		vc_free(&vc[i]);
	free(vc);
}

/* Past its first samples a series moves to the direct table: same counts either way. */
Test(value_count, counts_survive_the_move_to_the_direct_table)
{
	struct value_count vc = { 0 };
	uint64_t v[1000], val[3], cnt[3];

	for (size_t i = 0; i < 1000; i++)
		v[i] = i % 3 == 0 ? 0 : i % 3 == 1 ? 500 : 1u << 20;
	for (int round = 0; round < 200; round++)
		cr_assert_eq(vc_add(&vc, v, 1000), 0);
	cr_assert_eq(vc_add_count(&vc, 500, 5), 0);
	cr_assert_eq(vc_distinct(&vc), 3);
	vc_sorted(&vc, val, cnt);
	cr_assert_eq(val[0], 0);
	cr_assert_eq(cnt[0], 334 * 200);
	cr_assert_eq(val[1], 500);
	cr_assert_eq(cnt[1], 333 * 200 + 5);
	cr_assert_eq(val[2], 1u << 20);
	cr_assert_eq(cnt[2], 333 * 200);
	cr_assert_eq(vc.total, 200000 + 5);
	vc_free(&vc);
}
