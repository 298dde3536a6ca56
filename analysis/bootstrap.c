// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <math.h>
#include <stdlib.h>

#include "bootstrap.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t boot_row_seed(uint64_t seed, const char *env, const char *key)
{
	uint64_t h = 0xcbf29ce484222325ull ^ seed;

	for (const char *p = env; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
	h = (h ^ '/') * 0x100000001b3ull;
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
	return h;
}

void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t rng_u64(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double rng_uniform(struct rng *r)
{
	return ((rng_u64(r) >> 11) + 0.5) * 0x1.0p-53;
}

static double rng_normal(struct rng *r)
{
	/* Box-Muller; one of the pair is enough here. */
	return sqrt(-2.0 * log(rng_uniform(r))) * cos(2.0 * M_PI * rng_uniform(r));
}

/* Marsaglia and Tsang's method; a >= 1 here (Beta parameters are ranks). */
static double rng_gamma(struct rng *r, double a)
{
	double d = a - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);

	for (;;) {
		double x, v, u;

		do {
			x = rng_normal(r);
			v = 1.0 + c * x;
		} while (v <= 0);
		v = v * v * v;
		u = rng_uniform(r);
		if (log(u) < 0.5 * x * x + d - d * v + d * log(v))
			return d * v;
	}
}

double rng_beta(struct rng *r, double a, double b)
{
	double x = rng_gamma(r, a), y = rng_gamma(r, b);

	return x / (x + y);
}

/* F^-1(u): the value at rank ceil(u n) - 1. */
static uint64_t inverse_cdf(const struct dist *d, long double u)
{
	long double k = ceill(u * (long double)d->n) - 1;

	if (k < 0)
		k = 0;
	if (k > (long double)(d->n - 1))
		k = (long double)(d->n - 1);
	return dist_at_rank(d, (uint64_t)k);
}

long double boot_quantile(const struct dist *d, uint32_t p, struct rng *r)
{
	unsigned __int128 h = (unsigned __int128)(d->n - 1) * p;
	uint64_t k = (uint64_t)(h / XDEC_SCALE) + 1;	/* 1-based order statistic */
	uint64_t rem = (uint64_t)(h % XDEC_SCALE);
	long double u, u2, lo, hi;

	if (d->n == 1)
		return d->val[0];
	u = rng_beta(r, (double)k, (double)(d->n + 1 - k));
	lo = inverse_cdf(d, u);
	if (!rem)
		return lo;
	/* The least of the n - k uniforms above U(k). */
	u2 = u + (1 - u) * -expm1l(logl(rng_uniform(r)) / (long double)(d->n - k));
	hi = inverse_cdf(d, u2);
	return lo + (hi - lo) * rem / XDEC_SCALE;
}

static int cmp_ld(const void *a, const void *b)
{
	long double x = *(const long double *)a, y = *(const long double *)b;

	return (x > y) - (x < y);
}

static long double sorted_quantile(const long double *x, size_t n, double p)
{
	long double h = (long double)(n - 1) * p;
	size_t k = (size_t)floorl(h);

	if (k + 1 >= n)
		return x[n - 1];
	return x[k] + (h - k) * (x[k + 1] - x[k]);
}

void boot_interval(long double *x, size_t n, double confidence, long double *lo,
		   long double *hi)
{
	qsort(x, n, sizeof(*x), cmp_ld);
	*lo = sorted_quantile(x, n, (1 - confidence) / 2);
	*hi = sorted_quantile(x, n, (1 + confidence) / 2);
}
