/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Unsigned 320-bit integers, just enough for an exact variance: a sum of
 * count * deviation^2 (up to 2^192), times n (2^256), times 4 * 10^8 for
 * the decimals (2^285), and its integer square root.
 */
#ifndef ANALYSIS_WIDE_H
#define ANALYSIS_WIDE_H

#include <stdint.h>

#define WIDE_LIMBS 5

struct wide {
	uint64_t w[WIDE_LIMBS];	/* least significant first */
};

/* @x += @a * @b. */
void wide_add_mul(struct wide *x, unsigned __int128 a, uint64_t b);
/* @x *= @m (the product must fit). */
void wide_mul(struct wide *x, uint64_t m);
/* @x -= @y; @x >= @y. */
void wide_sub(struct wide *x, const struct wide *y);
/* floor(sqrt(@x)). */
struct wide wide_isqrt(struct wide x);
/* @x = floor(@x / @d), d > 0. */
void wide_div(struct wide *x, uint64_t d);
/* @x as a 128-bit integer; 0, or -1 when it does not fit. */
int wide_to_u128(const struct wide *x, unsigned __int128 *v);

#endif
