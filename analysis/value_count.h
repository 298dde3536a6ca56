/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A count per distinct sample value: memory grows with the number of distinct
 * values, never with the number of samples. Small values (where nearly all
 * latencies in cycles fall) are counted in a direct table, the rest in an
 * open-addressing hash table. The direct table (512 KiB) comes only once a
 * series holds VC_DIRECT_AFTER samples: before that everything is hashed, so
 * a small series (one of 2,000 files with --by file) costs bytes, not 512 KiB.
 */
#ifndef ANALYSIS_VALUE_COUNT_H
#define ANALYSIS_VALUE_COUNT_H

#include <stddef.h>
#include <stdint.h>

/* Values below this are counted in the direct table (512 KiB of counts). */
#define VC_DIRECT_MAX 65536u
/* Samples from which the direct table pays: at most 8 bytes of it per sample. */
#define VC_DIRECT_AFTER 65536u

struct value_count {
	uint64_t *direct;	/* VC_DIRECT_MAX counts, from VC_DIRECT_AFTER samples on */
	uint64_t zeros;		/* samples of value 0 while there is no direct table */
	uint64_t *keys;		/* hash keys; 0 marks a free slot (0 is never hashed) */
	uint64_t *counts;
	size_t cap, used;	/* hash slots, occupied slots */
	uint64_t total;
	int overflow;		/* total exceeded 2^64-1 */
};

/* Adds @n samples. Returns 0, or -1 when out of memory. */
int vc_add(struct value_count *vc, const uint64_t *v, size_t n);
/* Adds @count samples of one value (merging). Returns 0 or -1. */
int vc_add_count(struct value_count *vc, uint64_t value, uint64_t count);
/* Distinct values so far. */
size_t vc_distinct(const struct value_count *vc);
/*
 * Fills @val and @cnt (vc_distinct() entries each) with the distinct values in
 * ascending order and their counts.
 */
void vc_sorted(const struct value_count *vc, uint64_t *val, uint64_t *cnt);
void vc_free(struct value_count *vc);

#endif
