// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "wide.h"

/* Adds @v at limb @i and carries upwards. */
static void add_at(struct wide *x, int i, unsigned __int128 v)
{
	for (; i < WIDE_LIMBS && v; i++) {
		v += x->w[i];
		x->w[i] = (uint64_t)v;
		v >>= 64;
	}
}

void wide_add_mul(struct wide *x, unsigned __int128 a, uint64_t b)
{
	add_at(x, 0, (unsigned __int128)(uint64_t)a * b);
	add_at(x, 1, (unsigned __int128)(uint64_t)(a >> 64) * b);
}

void wide_mul(struct wide *x, uint64_t m)
{
	unsigned __int128 carry = 0;

	for (int i = 0; i < WIDE_LIMBS; i++) {
		carry += (unsigned __int128)x->w[i] * m;
		x->w[i] = (uint64_t)carry;
		carry >>= 64;
	}
}

void wide_sub(struct wide *x, const struct wide *y)
{
	uint64_t borrow = 0;

	for (int i = 0; i < WIDE_LIMBS; i++) {
		uint64_t d = x->w[i] - y->w[i] - borrow;

		borrow = x->w[i] < y->w[i] || (x->w[i] == y->w[i] && borrow);
		x->w[i] = d;
	}
}

static int cmp(const struct wide *x, const struct wide *y)
{
	for (int i = WIDE_LIMBS - 1; i >= 0; i--)
		if (x->w[i] != y->w[i])
			return x->w[i] < y->w[i] ? -1 : 1;
	return 0;
}

static void add(struct wide *x, const struct wide *y)
{
	unsigned __int128 carry = 0;

	for (int i = 0; i < WIDE_LIMBS; i++) {
		carry += (unsigned __int128)x->w[i] + y->w[i];
		x->w[i] = (uint64_t)carry;
		carry >>= 64;
	}
}

static void shr(struct wide *x, unsigned int k)	/* 0 < k < 64 */
{
	for (int i = 0; i < WIDE_LIMBS; i++)
		x->w[i] = x->w[i] >> k | (i + 1 < WIDE_LIMBS ? x->w[i + 1] << (64 - k) : 0);
}

/* The digit-by-digit method in base 2 (Hacker's Delight, 11-1): exact, no division. */
struct wide wide_isqrt(struct wide x)
{
	struct wide res = { { 0 } }, bit = { { 0 } }, t;
	int top = -1;

	for (int i = WIDE_LIMBS - 1; i >= 0 && top < 0; i--)
		if (x.w[i])
			top = 64 * i + 63 - __builtin_clzll(x.w[i]);
	if (top < 0)
		return res;
	top &= ~1;	/* the largest power of four <= x */
	bit.w[top / 64] = 1ull << (top % 64);
	for (; top >= 0; top -= 2) {
		t = res;
		add(&t, &bit);
		shr(&res, 1);
		if (cmp(&x, &t) >= 0) {
			wide_sub(&x, &t);
			add(&res, &bit);
		}
		shr(&bit, 2);
	}
	return res;
}

void wide_div(struct wide *x, uint64_t d)
{
	unsigned __int128 rem = 0;

	for (int i = WIDE_LIMBS - 1; i >= 0; i--) {
		rem = rem << 64 | x->w[i];
		x->w[i] = (uint64_t)(rem / d);
		rem %= d;
	}
}

int wide_to_u128(const struct wide *x, unsigned __int128 *v)
{
	for (int i = 2; i < WIDE_LIMBS; i++)
		if (x->w[i])
			return -1;
	*v = (unsigned __int128)x->w[1] << 64 | x->w[0];
	return 0;
}
