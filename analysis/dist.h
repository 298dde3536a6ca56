/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A series' distribution as sorted distinct values with their counts, and
 * the statistics over it: exact order statistics, an exact mean and
 * standard deviation, optional trimming of the top tail.
 */
#ifndef ANALYSIS_DIST_H
#define ANALYSIS_DIST_H

#include <stddef.h>
#include <stdint.h>

#include "exitlat/quantile.h"
#include "value_count.h"
#include "xdec.h"

struct dist {
	size_t nd;		/* distinct values */
	uint64_t *val;		/* ascending */
	uint64_t *cnt;
	uint64_t *cum;		/* cum[i] = samples with value <= val[i] */
	uint64_t n;		/* samples */
};

/* Probabilities are fixed-point in units of 1/XDEC_SCALE: 9900 is p99. */
#define P_MEDIAN EXITLAT_P_MEDIAN

struct dist_stats {
	uint64_t count;
	size_t distinct;
	xdec min, max, median, p25, p75, iqr, p90, p99, p999, p9999;
	/* Rounded to the nearest 1/XDEC_SCALE (ties up) from exact integer sums. */
	xdec mean, stddev;
};

/* Builds @d from @vc (which may be freed afterwards). Returns 0 or -1 (ENOMEM). */
int dist_from_counts(struct dist *d, const struct value_count *vc);
/* The sample at 0-based rank @k (< n) in ascending order. */
uint64_t dist_at_rank(const struct dist *d, uint64_t k);
/*
 * The quantile at probability @p / XDEC_SCALE (0..XDEC_SCALE), interpolated
 * linearly between the closest ranks (numpy's default), exactly. n > 0.
 */
xdec dist_quantile(const struct dist *d, uint32_t p);
/* Every statistic of @d; n > 0. */
void dist_stats(const struct dist *d, struct dist_stats *s);
/*
 * Drops the largest floor(n * fraction) samples. Returns how many went, and
 * stores the smallest dropped value in @above when any did.
 */
uint64_t dist_trim_top(struct dist *d, long double fraction, uint64_t *above);
void dist_free(struct dist *d);

#endif
