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

#include "exitlat/exit_kinds.h"
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

/*
 * One rung of the ladder: a non-null exit kind of one environment, grouped
 * by where KVM handles it, with what each side measured. A kind measured on
 * one side only is a rung too, with the other side NULL.
 */
struct rung {
	size_t env;
	int kind;			/* enum exitlat_exit_kind, -1 outside the table */
	enum exitlat_kvm_path path;	/* the group; EXITLAT_KVM_NONE outside the table */
	const struct series *native, *kvm;	/* NULL: that side did not measure it */
	const struct overhead *ov;	/* both sides: their comparison; else NULL */
};

/*
 * The ladder of the set (none with --by file): per environment, the groups
 * in the order fastpath, kernel, user (kinds outside the table last), each
 * in table order; @ov, @nov from overhead_compute(). Returns 0 or -1 (ENOMEM).
 */
int ladder_compute(const struct series_set *set, const struct overhead *ov, size_t nov,
		   struct rung **out, size_t *n);

#endif
