// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdlib.h>
#include <string.h>

#include "value_count.h"

static size_t slot_of(uint64_t key, size_t cap)
{
	/* Fibonacci hashing: nearby latencies must not share a cluster. */
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 32) & (cap - 1);
}

/* The hash table's first size: a small series stays small. */
#define HASH_MIN 16

static int grow(struct value_count *vc)
{
	size_t ncap = vc->cap ? 2 * vc->cap : HASH_MIN;
	uint64_t *keys = calloc(ncap, sizeof(*keys));
	uint64_t *counts = malloc(ncap * sizeof(*counts));

	if (!keys || !counts) {
		free(keys);
		free(counts);
		return -1;
	}
	for (size_t i = 0; i < vc->cap; i++) {
		size_t s;

		if (!vc->keys[i])
			continue;
		s = slot_of(vc->keys[i], ncap);
		while (keys[s])
			s = (s + 1) & (ncap - 1);
		keys[s] = vc->keys[i];
		counts[s] = vc->counts[i];
	}
	free(vc->keys);
	free(vc->counts);
	vc->keys = keys;
	vc->counts = counts;
	vc->cap = ncap;
	return 0;
}

static int hash_add(struct value_count *vc, uint64_t key, uint64_t count)
{
	size_t s;

	if (2 * (vc->used + 1) > vc->cap && grow(vc))
		return -1;
	s = slot_of(key, vc->cap);
	while (vc->keys[s] && vc->keys[s] != key)
		s = (s + 1) & (vc->cap - 1);
	if (!vc->keys[s]) {
		vc->keys[s] = key;
		vc->counts[s] = 0;
		vc->used++;
	}
	vc->counts[s] += count;
	return 0;
}

/*
 * Moves to the direct table: values below VC_DIRECT_MAX leave the hash table
 * for it. Returns 0 or -1 (out of memory).
 */
static int to_direct(struct value_count *vc)
{
	uint64_t *keys = vc->keys, *counts = vc->counts;
	size_t cap = vc->cap;

	vc->direct = calloc(VC_DIRECT_MAX, sizeof(*vc->direct));
	if (!vc->direct)
		return -1;
	vc->direct[0] = vc->zeros;
	vc->zeros = 0;
	vc->keys = vc->counts = NULL;
	vc->cap = vc->used = 0;
	for (size_t i = 0; i < cap; i++) {
		if (!keys[i])
			continue;
		if (keys[i] < VC_DIRECT_MAX) {
			vc->direct[keys[i]] += counts[i];
		} else if (hash_add(vc, keys[i], counts[i])) {
			/* Out of memory: the caller gives up on the whole analysis. */
			free(keys);
			free(counts);
			return -1;
		}
	}
	free(keys);
	free(counts);
	return 0;
}

/* Adds @count samples of @value. Returns 0 or -1. */
static int add_one(struct value_count *vc, uint64_t value, uint64_t count)
{
	if (vc->direct && value < VC_DIRECT_MAX)
		vc->direct[value] += count;
	else if (!value)
		vc->zeros += count;
	else if (hash_add(vc, value, count))
		return -1;
	return 0;
}

/* Moves to the direct table when the series reaches VC_DIRECT_AFTER samples. */
static int direct_due(struct value_count *vc, uint64_t more)
{
	uint64_t after;

	if (vc->direct)
		return 0;
	if (!__builtin_add_overflow(vc->total, more, &after) && after < VC_DIRECT_AFTER)
		return 0;
	return to_direct(vc);
}

int vc_add(struct value_count *vc, const uint64_t *v, size_t n)
{
	if (direct_due(vc, n))
		return -1;
	if (vc->direct) {
		/* The hot loop: nearly every latency in cycles is below VC_DIRECT_MAX. */
		for (size_t i = 0; i < n; i++) {
			if (v[i] < VC_DIRECT_MAX)
				vc->direct[v[i]]++;
			else if (hash_add(vc, v[i], 1))
				return -1;
		}
	} else {
		for (size_t i = 0; i < n; i++)
			if (add_one(vc, v[i], 1))
				return -1;
	}
	vc->overflow |= __builtin_add_overflow(vc->total, n, &vc->total);
	return 0;
}

int vc_add_count(struct value_count *vc, uint64_t value, uint64_t count)
{
	if (direct_due(vc, count) || add_one(vc, value, count))
		return -1;
	vc->overflow |= __builtin_add_overflow(vc->total, count, &vc->total);
	return 0;
}

size_t vc_distinct(const struct value_count *vc)
{
	size_t n = vc->used + (vc->zeros != 0);

	for (size_t i = 0; vc->direct && i < VC_DIRECT_MAX; i++)
		n += vc->direct[i] != 0;
	return n;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

void vc_sorted(const struct value_count *vc, uint64_t *val, uint64_t *cnt)
{
	size_t n = 0, first_hash;

	if (vc->zeros) {
		val[n] = 0;
		cnt[n++] = vc->zeros;
	}
	for (size_t i = 0; vc->direct && i < VC_DIRECT_MAX; i++) {
		if (vc->direct[i]) {
			val[n] = i;
			cnt[n++] = vc->direct[i];
		}
	}
	first_hash = n;
	for (size_t i = 0; i < vc->cap; i++)
		if (vc->keys[i])
			val[n++] = vc->keys[i];
	/* Every hashed value is above every direct one (and above 0): sort only the tail. */
	qsort(val + first_hash, n - first_hash, sizeof(*val), cmp_u64);
	for (size_t i = first_hash; i < n; i++) {
		size_t s = slot_of(val[i], vc->cap);

		while (vc->keys[s] != val[i])
			s = (s + 1) & (vc->cap - 1);
		cnt[i] = vc->counts[s];
	}
}

void vc_free(struct value_count *vc)
{
	free(vc->direct);
	free(vc->keys);
	free(vc->counts);
	*vc = (struct value_count){ 0 };
}
