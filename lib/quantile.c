// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdlib.h>
#include <string.h>

#include "exitlat/quantile.h"

xdec exitlat_quantile(uint64_t n, uint32_t p, exitlat_rank_fn at, const void *set)
{
	/* h = (n - 1) p, split into floor(h) and a remainder in 1/XDEC_SCALE. */
	unsigned __int128 h = (unsigned __int128)(n - 1) * p;
	uint64_t k = (uint64_t)(h / XDEC_SCALE);
	uint64_t r = (uint64_t)(h % XDEC_SCALE);
	uint64_t lo = at(set, k), hi;

	if (!r)
		return xdec_from_u64(lo);
	hi = at(set, k + 1);
	return xdec_from_u64(lo) + (xdec)(hi - lo) * r;
}

uint64_t exitlat_select(uint64_t *v, uint64_t n, uint64_t k)
{
	uint64_t lo = 0, hi = n - 1;

	while (lo < hi) {
		uint64_t pivot = v[lo + (hi - lo) / 2], t;
		uint64_t i = lo, j = hi;

		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return v[k];
	}
	return v[k];
}

struct work_copy {
	uint64_t *v;
	uint64_t n;
};

static uint64_t rank_by_selection(const void *set, uint64_t k)
{
	const struct work_copy *w = set;

	return exitlat_select(w->v, w->n, k);
}

int exitlat_sample_stats(const uint64_t *v, uint64_t n, struct exitlat_sample_stats *s)
{
	struct work_copy w = { .n = n };

	*s = (struct exitlat_sample_stats){ .n = n };
	if (!n)
		return 0;
	w.v = malloc(n * sizeof(*w.v));
	if (!w.v)
		return -1;
	memcpy(w.v, v, n * sizeof(*v));
	s->min = s->max = v[0];
	for (uint64_t i = 1; i < n; i++) {
		s->min = v[i] < s->min ? v[i] : s->min;
		s->max = v[i] > s->max ? v[i] : s->max;
	}
	s->median = exitlat_quantile(n, EXITLAT_P_MEDIAN, rank_by_selection, &w);
	s->p99 = exitlat_quantile(n, EXITLAT_P99, rank_by_selection, &w);
	free(w.v);
	return 0;
}
