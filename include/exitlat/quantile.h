/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The one definition of a quantile (and so of the median) in exitlat:
 * numpy's default rule ("linear", Hyndman and Fan type 7). The value at
 * probability p is the sample at rank h = (n - 1) p in ascending order,
 * interpolated linearly between ranks floor(h) and floor(h) + 1. Probabilities
 * and results are exact decimals in units of 1/XDEC_SCALE (5000 is the
 * median, 9900 p99). kvm-probe's and exitlat-native's summaries and the
 * analysis all take their medians from here.
 */
#ifndef EXITLAT_QUANTILE_H
#define EXITLAT_QUANTILE_H

#include <stdint.h>

#include "exitlat/xdec.h"

#define EXITLAT_P_MEDIAN	5000u
#define EXITLAT_P99		9900u

/* The sample of 0-based rank @k (k < n) in ascending order of the set @set. */
typedef uint64_t (*exitlat_rank_fn)(const void *set, uint64_t k);

/* The quantile at @p (0..XDEC_SCALE) of @n > 0 samples reached through @at. */
xdec exitlat_quantile(uint64_t n, uint32_t p, exitlat_rank_fn at, const void *set);

/*
 * The k-th smallest of @v[0..n) (k < n): Hoare's selection in place, O(n) on
 * average. @v is reordered, never sorted as a whole.
 */
uint64_t exitlat_select(uint64_t *v, uint64_t n, uint64_t k);

/* What a measuring tool says of its samples when it is done. */
struct exitlat_sample_stats {
	uint64_t n;
	uint64_t min, max;
	xdec median, p99;
};

/*
 * min, median, p99 and max of @v[0..n) (left unchanged; zeros when n == 0).
 * Returns 0, or -1 when a working copy cannot be allocated.
 */
int exitlat_sample_stats(const uint64_t *v, uint64_t n, struct exitlat_sample_stats *s);

#endif
