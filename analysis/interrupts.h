/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Interrupt kinds (the exit table's kvm_path 'interrupt'): latencies from an
 * event to a handler, not round trips. Their histograms in cyclictest's
 * convention (whole microseconds per bin, overflows counted), the bins of
 * exitlat's own latency figure, and the running-vs-halted comparisons
 * (irqfd vs irqfd-halt, ipi vs ipi-halt) with bootstrap intervals.
 */
#ifndef ANALYSIS_INTERRUPTS_H
#define ANALYSIS_INTERRUPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dist.h"
#include "overhead.h"
#include "series.h"

/*
 * cyclictest's -h histogram of one series: bin i counts the latencies of i
 * whole microseconds (i <= us < i + 1, us = cycles * 1000 / tsc_khz, exact
 * in integers); a latency of @nbins microseconds or more is an overflow,
 * counted, never clamped. min, max and avg are whole microseconds (avg: the
 * mean of the whole microseconds, truncated, as cyclictest prints it).
 * Wider than 64 bits: UINT64_MAX cycles at 1 kHz is 1.8e22 us.
 */
struct us_hist {
	uint64_t *cnt;
	size_t nbins;
	uint64_t total, overflow;
	unsigned __int128 min_us, max_us, avg_us;
};

/* Fills @h from @d at @tsc_khz (> 0). Returns 0, or -1 when out of memory. */
int us_hist_build(const struct dist *d, uint64_t tsc_khz, size_t nbins, struct us_hist *h);
void us_hist_free(struct us_hist *h);

/* The bins of the cyclictest file: up to the largest max + 1 us, at most this many. */
#define US_HIST_BINS_MAX 10000

/*
 * The latency figure's bin: 1 us, or a finer one (500, 200, ... 1 ns) where
 * the p99 is under 20 us, so that at least 20 bins lie below it (never finer
 * than one TSC cycle); without a TSC rate, bins of 1, 2, 5, 10, ... cycles by
 * the same rule.
 */
#define LAT_BINS_BELOW_P99 20
struct lat_bins {
	bool ns;		/* width in nanoseconds; false: in cycles (no TSC rate) */
	uint64_t width;
	uint64_t tsc_khz;	/* with ns */
};

/* Chooses the bins for values whose largest p99 is @p99 cycles; @tsc_khz 0: unknown. */
void lat_bins_choose(xdec p99, uint64_t tsc_khz, struct lat_bins *b);
/* The bin of @cycles: floor(ns / width) or floor(cycles / width). */
unsigned __int128 lat_bin_of(const struct lat_bins *b, uint64_t cycles);

/* One kind against its halted twin in one environment: halted - running. */
struct irq_pair {
	size_t env;
	const struct series *run, *halt;
	struct estimate diff_median, diff_p99;
	bool ci_meaningless;	/* a side below BOOT_MIN_SAMPLES: no interval */
	bool has_ns;		/* both sides know the same tsc_khz */
	long double diff_median_ns, diff_p99_ns;
};

/*
 * The pairs of @set (running kind, halted twin: irqfd/irqfd-halt,
 * ipi/ipi-halt) measured by the same source in one environment, none with
 * --by file. Returns 0 or -1 (ENOMEM).
 */
int irq_pairs_compute(const struct series_set *set, const struct boot_opts *o,
		      struct irq_pair **out, size_t *n);

#endif
