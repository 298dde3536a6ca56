/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Where the time goes: kvm-probe --breakdown sets (docs/breakdown.md), one
 * file per segment with line i the same traced round trip in each. Per exit
 * kind and environment: each segment's distribution (exact quantiles,
 * bootstrap intervals) and its share of the trips at the median and at p99
 * (docs/analysis.md, "Where the time goes"), the tracing cost (untraced vs
 * traced median) and the native round trip beside it.
 */
#ifndef ANALYSIS_BREAKDOWN_H
#define ANALYSIS_BREAKDOWN_H

#include <stdbool.h>
#include <stdint.h>

#include "exitlat/samples.h"
#include "overhead.h"
#include "series.h"

/* The median band: trips between the samples of these ranks (per mille of n - 1). */
#define BD_BAND_LO 450u
#define BD_BAND_HI 550u

struct bd_segment {
	const struct series *s;
	struct estimate median, p99;	/* of the segment's own distribution */
	xdec mean_mid, mean_tail;	/* its mean over the median band, over the p99 tail */
	long double share_mid, share_tail;	/* percent of the trips' mean there */
};

struct breakdown {
	size_t env;
	const struct series *trip;	/* the traced round trips */
	const struct series *untraced;	/* the same kind without tracing, or NULL */
	const struct series *native;	/* the native round trip of the kind, or NULL */
	struct bd_segment seg[EXITLAT_SEGMENTS_MAX - 1];
	size_t nseg;
	size_t sets;			/* complete sets read */
	uint64_t trips;			/* their trips */
	xdec trip_median, trip_p99;	/* of those trips, exact */
	uint64_t band_lo, band_hi;	/* the median band: trips in [band_lo, band_hi] */
	uint64_t n_mid, n_tail;		/* trips in the band, at or above trip_p99 */
	xdec trip_mean_mid, trip_mean_tail;
	struct estimate traced_median, traced_p99, untraced_median;
	struct estimate native_median, native_p99;
	xdec tracing_cost;		/* traced - untraced median (has_cost) */
	long double tracing_cost_pct;
	bool has_cost;
	bool ci_meaningless;		/* a side below BOOT_MIN_SAMPLES: those CIs are NAN */
};

/*
 * The breakdown of every complete set among the inputs (not with --by file).
 * Reads the sets' files again, line by line; a set whose files disagree
 * (sample counts, or segments that do not add up to the trip) is refused.
 * Returns 0, or -1 with "FILE:LINE: what" (or "out of memory") in @err.
 */
int breakdown_compute(const struct series_set *set, const struct boot_opts *o,
		      struct breakdown **out, size_t *n, char err[EXITLAT_ERR_MAX]);

#endif
