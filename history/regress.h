/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Regression verdicts on one series' history: pure functions over plain
 * arrays, no database (tests/unit/test_history_regress.c).
 *
 * A night is one value of a series (its median or p99) with the environment
 * it was measured in. Tonight is the last night of the array. The baseline is
 * made of recent nights of the same environment "regime" (a run of nights with
 * the same kernel and microcode):
 *
 *  - tonight changed the environment (kernel or microcode differ from the
 *    night before): centre and noise come from the last `window` nights of the
 *    previous regime, and the verdict says what changed;
 *  - otherwise the centre is the median of the last `window` nights of the
 *    current regime (at least one), and the noise comes from them when there
 *    are min_nights of them, else from the last `window` nights of the regime
 *    before: a level shift explained by a kernel update alerts once, on the
 *    night of the update, and the new level is the baseline from then on.
 *
 * noise: sigma = 1.4826 * MAD (median absolute deviation from the median),
 * a robust night-to-night standard deviation. A night regresses when
 *     value > centre + max(k * sigma, floor_rel * centre, floor_abs)
 * and improves when value < centre - the same margin. The floors keep a
 * deterministic (emulated, zero-noise) history from alerting on nothing.
 * Without min_nights nights to measure the noise, the verdict is LEARNING.
 */
#ifndef EXITLAT_HISTORY_REGRESS_H
#define EXITLAT_HISTORY_REGRESS_H

#include <stdbool.h>
#include <stddef.h>

#define REGRESS_DEFAULT_WINDOW		14
#define REGRESS_DEFAULT_MIN_NIGHTS	5
#define REGRESS_DEFAULT_K		4.0
#define REGRESS_DEFAULT_FLOOR_REL	0.01
#define REGRESS_DEFAULT_FLOOR_ABS	1.0
#define REGRESS_ENV_MAX			128
/* 1 / Phi^-1(3/4): MAD to standard deviation for normal noise. */
#define REGRESS_MAD_TO_SIGMA		1.4826

struct regress_params {
	unsigned int window;		/* nights in a baseline, at most */
	unsigned int min_nights;	/* nights needed to measure the noise */
	double k;			/* sigmas above the centre */
	double floor_rel;		/* smallest margin, relative to the centre */
	double floor_abs;		/* smallest margin, in cycles */
};

/* One night of one series. */
struct regress_night {
	double value;
	char kernel[REGRESS_ENV_MAX];
	char microcode[REGRESS_ENV_MAX];
};

enum regress_verdict {
	REGRESS_LEARNING = 0,	/* too few nights for a baseline */
	REGRESS_OK,
	REGRESS_REGRESSED,	/* slower than the baseline allows */
	REGRESS_IMPROVED,	/* faster than the baseline allows */
};

/* What tonight changed, compared with the night before. */
#define REGRESS_CHANGED_KERNEL		(1u << 0)
#define REGRESS_CHANGED_MICROCODE	(1u << 1)

struct regress_result {
	enum regress_verdict verdict;
	double value;		/* tonight */
	double centre;		/* baseline median */
	double sigma;		/* 1.4826 * MAD of the noise nights */
	double margin;		/* max(k * sigma, floors) */
	double threshold;	/* centre + margin */
	unsigned int centre_nights;
	unsigned int noise_nights;
	unsigned int changed;	/* REGRESS_CHANGED_* */
};

void regress_params_default(struct regress_params *p);
/* Checks @p; returns 0, or -1 with a reason in @why. */
int regress_params_check(const struct regress_params *p, const char **why);

/* Median of @n values (a sorted copy; @v is left alone). NaN when n == 0. */
double regress_median(const double *v, size_t n);
/* 1.4826 * median(|v - median(v)|); 0 for n <= 1. */
double regress_mad_sigma(const double *v, size_t n);

/*
 * The verdict for the last of @n nights (tonight) against the ones before.
 * Returns 0, or -1 when n == 0 or out of memory.
 */
int regress_evaluate(const struct regress_night *nights, size_t n,
		     const struct regress_params *p, struct regress_result *r);

const char *regress_verdict_name(enum regress_verdict v);

#endif
