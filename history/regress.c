// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Baselines and thresholds over one series' history (see regress.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "regress.h"

void regress_params_default(struct regress_params *p)
{
	*p = (struct regress_params){
		.window     = REGRESS_DEFAULT_WINDOW,
		.min_nights = REGRESS_DEFAULT_MIN_NIGHTS,
		.k          = REGRESS_DEFAULT_K,
		.floor_rel  = REGRESS_DEFAULT_FLOOR_REL,
		.floor_abs  = REGRESS_DEFAULT_FLOOR_ABS,
	};
}

int regress_params_check(const struct regress_params *p, const char **why)
{
	if (p->window < 1)
		*why = "the window must hold at least 1 night";
	else if (p->min_nights < 2)
		*why = "at least 2 nights are needed to measure the noise";
	else if (p->min_nights > p->window)
		*why = "min-nights cannot exceed the window";
	else if (!(p->k >= 0) || !isfinite(p->k))
		*why = "k must be a finite number >= 0";
	else if (!(p->floor_rel >= 0) || !isfinite(p->floor_rel))
		*why = "the relative floor must be a finite number >= 0";
	else if (!(p->floor_abs >= 0) || !isfinite(p->floor_abs))
		*why = "the absolute floor must be a finite number >= 0";
	else
		return 0;
	return -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double regress_median(const double *v, size_t n)
{
	double *s, m;

	if (n == 0)
		return NAN;
	s = malloc(n * sizeof(*s));
	if (!s)
		return NAN;
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}

double regress_mad_sigma(const double *v, size_t n)
{
	double *d, m, mad;

	if (n <= 1)
		return 0;
	m = regress_median(v, n);
	d = malloc(n * sizeof(*d));
	if (!d)
		return NAN;
	for (size_t i = 0; i < n; i++)
		d[i] = fabs(v[i] - m);
	mad = regress_median(d, n);
	free(d);
	return REGRESS_MAD_TO_SIGMA * mad;
}

static bool same_env(const struct regress_night *a, const struct regress_night *b)
{
	return !strcmp(a->kernel, b->kernel) && !strcmp(a->microcode, b->microcode);
}

/* First index of the regime that holds night @end (same env, contiguous). */
static size_t regime_start(const struct regress_night *nights, size_t end)
{
	size_t s = end;

	while (s > 0 && same_env(&nights[s - 1], &nights[end]))
		s--;
	return s;
}

/* Values of nights [from, to) into a new array. */
static double *values(const struct regress_night *nights, size_t from, size_t to)
{
	double *v = malloc((to > from ? to - from : 1) * sizeof(*v));

	for (size_t i = from; v && i < to; i++)
		v[i - from] = nights[i].value;
	return v;
}

/* The last @window nights of [start, end): returns their first index. */
static size_t last_window(size_t start, size_t end, unsigned int window)
{
	return end - start > window ? end - window : start;
}

int regress_evaluate(const struct regress_night *nights, size_t n,
		     const struct regress_params *p, struct regress_result *r)
{
	size_t t, cur, c_from, c_to, n_from, n_to;
	double *cv, *nv;

	if (n == 0)
		return -1;
	t = n - 1;
	*r = (struct regress_result){
		.verdict = REGRESS_LEARNING,
		.value   = nights[t].value,
		.centre  = NAN,
		.sigma   = NAN,
		.margin  = NAN,
		.threshold = NAN,
	};
	if (t == 0)
		return 0;
	if (strcmp(nights[t].kernel, nights[t - 1].kernel))
		r->changed |= REGRESS_CHANGED_KERNEL;
	if (strcmp(nights[t].microcode, nights[t - 1].microcode))
		r->changed |= REGRESS_CHANGED_MICROCODE;

	if (r->changed) {
		/* Tonight opens a regime: judge it by the one before. */
		c_to = t;
		c_from = last_window(regime_start(nights, t - 1), t, p->window);
		n_from = c_from;
		n_to = c_to;
	} else {
		cur = regime_start(nights, t);
		c_to = t;
		c_from = last_window(cur, t, p->window);
		if (c_to - c_from >= p->min_nights || cur == 0) {
			n_from = c_from;
			n_to = c_to;
		} else {
			/* A young regime: the noise of the one before. */
			n_to = cur;
			n_from = last_window(regime_start(nights, cur - 1), cur, p->window);
		}
	}
	r->centre_nights = (unsigned int)(c_to - c_from);
	r->noise_nights = (unsigned int)(n_to - n_from);
	if (r->noise_nights < p->min_nights || r->centre_nights == 0)
		return 0;

	cv = values(nights, c_from, c_to);
	nv = values(nights, n_from, n_to);
	if (!cv || !nv) {
		free(cv);
		free(nv);
		return -1;
	}
	r->centre = regress_median(cv, c_to - c_from);
	r->sigma = regress_mad_sigma(nv, n_to - n_from);
	free(cv);
	free(nv);

	r->margin = fmax(p->k * r->sigma, fmax(p->floor_rel * fabs(r->centre), p->floor_abs));
	r->threshold = r->centre + r->margin;
	if (r->value > r->threshold)
		r->verdict = REGRESS_REGRESSED;
	else if (r->value < r->centre - r->margin)
		r->verdict = REGRESS_IMPROVED;
	else
		r->verdict = REGRESS_OK;
	return 0;
}

const char *regress_verdict_name(enum regress_verdict v)
{
	static const char *const names[] = {
		[REGRESS_LEARNING]  = "learning",
		[REGRESS_OK]        = "ok",
		[REGRESS_REGRESSED] = "REGRESSED",
		[REGRESS_IMPROVED]  = "improved",
	};

	return (unsigned int)v < sizeof(names) / sizeof(names[0]) ? names[v] : "unknown";
}
