/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The ladder: for each exit kind measured natively and through KVM in the
 * same environment, what KVM adds (difference and ratio of medians and of
 * p99), each with a bootstrap percentile interval.
 */
#ifndef ANALYSIS_OVERHEAD_H
#define ANALYSIS_OVERHEAD_H

#include <stdbool.h>
#include <stdint.h>

#include "series.h"

struct boot_opts {
	uint64_t seed;
	unsigned int resamples;
	double confidence;
};

struct ci {
	long double lo, hi;
};

/* One side's or one comparison's point estimate (exact where it can be) and interval. */
struct estimate {
	xdec x;			/* exact point estimate, cycles */
	struct ci ci;
};

struct overhead {
	size_t env;
	const struct series *native, *kvm;
	struct estimate native_median, kvm_median, diff_median;
	struct estimate native_p99, kvm_p99, diff_p99;
	long double ratio_median, ratio_p99;	/* NAN when native <= 0 */
	struct ci ratio_median_ci, ratio_p99_ci;
	bool ci_meaningless;	/* a side below BOOT_MIN_SAMPLES: every CI is NAN */
	bool has_ns;		/* both sides know the same tsc_khz */
	long double diff_median_ns, diff_p99_ns;
};

/*
 * Pairs the set's series (same environment, same exit kind, not null, not
 * --by file) and bootstraps each pair. Returns 0 or -1 (ENOMEM).
 */
int overhead_compute(const struct series_set *set, const struct boot_opts *o,
		     struct overhead **out, size_t *n);

#endif
