/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Bootstrap of quantiles without materialising resamples.
 *
 * A resample of n draws from the empirical distribution F is F^-1 applied to
 * n uniforms, and F^-1 is monotone, so its k-th order statistic is
 * F^-1(U(k)) with U(k) ~ Beta(k, n + 1 - k), and the next one is
 * U(k) + (1 - U(k)) (1 - V^(1/(n-k))), V uniform. Drawing these two gives an
 * exact draw of the resample's interpolated quantile in O(log distinct),
 * where resampling would cost O(n) per replicate.
 */
#ifndef ANALYSIS_BOOTSTRAP_H
#define ANALYSIS_BOOTSTRAP_H

#include <stdbool.h>
#include <stdint.h>

#include "dist.h"

/* xoshiro256**: small, fast and reproducible across platforms. */
struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed);
/*
 * A row's seed from the run's: a row's interval does not depend on which
 * other rows exist (FNV-1a of "ENV/KEY" on top of @seed).
 */
uint64_t boot_row_seed(uint64_t seed, const char *env, const char *key);
uint64_t rng_u64(struct rng *r);
/* Uniform on (0, 1). */
double rng_uniform(struct rng *r);
double rng_beta(struct rng *r, double a, double b);

/*
 * Fewer samples than this on a side and every resample of it is the same: a
 * percentile interval would have zero width and claim a certainty the data
 * cannot give. No interval is computed then.
 */
#define BOOT_MIN_SAMPLES 2

static inline bool boot_meaningful(const struct dist *d)
{
	return d->n >= BOOT_MIN_SAMPLES;
}

/* One bootstrap replicate of dist_quantile(@d, @p), as a long double. */
long double boot_quantile(const struct dist *d, uint32_t p, struct rng *r);

/*
 * The percentile interval of @x (@n values, sorted in place) at @confidence:
 * its (1-c)/2 and (1+c)/2 quantiles.
 */
void boot_interval(long double *x, size_t n, double confidence, long double *lo,
		   long double *hi);

#endif
