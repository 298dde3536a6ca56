// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitlat/exit_kind_table.h"
#include "bootstrap.h"
#include "overhead.h"

#define P99 9900u

/* A replicate of @s's p-quantile after its null subtraction, itself resampled. */
static long double replicate(const struct series *s, uint32_t p, struct rng *r)
{
	long double v = boot_quantile(&s->d, p, r);

	if (s->null_state == NULL_SUBTRACTED)
		v -= boot_quantile(&s->nul->d, P_MEDIAN, r);
	return v;
}

static long double ratio(long double k, long double n)
{
	return n > 0 ? k / n : NAN;
}

/* No interval at all rather than a zero-width one (BOOT_MIN_SAMPLES). */
static void no_intervals(const struct series_set *set, struct overhead *ov)
{
	struct ci none = { NAN, NAN };

	ov->ci_meaningless = true;
	ov->native_median.ci = ov->kvm_median.ci = ov->diff_median.ci = none;
	ov->native_p99.ci = ov->kvm_p99.ci = ov->diff_p99.ci = none;
	ov->ratio_median_ci = ov->ratio_p99_ci = none;
	fprintf(stderr, "exitlat-analyze: warning: %s %s: %llu native and %llu kvm sample(s): "
		"a bootstrap interval is meaningless, none given\n", set->envs[ov->env].slug,
		ov->kvm->exit, (unsigned long long)ov->native->d.n,
		(unsigned long long)ov->kvm->d.n);
}

static int bootstrap_row(const struct series_set *set, struct overhead *ov,
			 const struct boot_opts *o)
{
	unsigned int b = o->resamples;
	long double *x = malloc(8 * (size_t)b * sizeof(*x));
	long double *nm = x, *km = x + b, *dm = x + 2 * b, *rm = x + 3 * b;
	long double *np = x + 4 * b, *kp = x + 5 * b, *dp = x + 6 * b, *rp = x + 7 * b;
	struct rng r;

	if (!x)
		return -1;
	if (!boot_meaningful(&ov->native->d) || !boot_meaningful(&ov->kvm->d)) {
		no_intervals(set, ov);
		free(x);
		return 0;
	}
	rng_seed(&r, boot_row_seed(o->seed, set->envs[ov->env].slug, ov->kvm->exit));
	for (unsigned int i = 0; i < b; i++) {
		nm[i] = replicate(ov->native, P_MEDIAN, &r);
		km[i] = replicate(ov->kvm, P_MEDIAN, &r);
		np[i] = replicate(ov->native, P99, &r);
		kp[i] = replicate(ov->kvm, P99, &r);
		dm[i] = km[i] - nm[i];
		rm[i] = ratio(km[i], nm[i]);
		dp[i] = kp[i] - np[i];
		rp[i] = ratio(kp[i], np[i]);
	}
	boot_interval(nm, b, o->confidence, &ov->native_median.ci.lo, &ov->native_median.ci.hi);
	boot_interval(km, b, o->confidence, &ov->kvm_median.ci.lo, &ov->kvm_median.ci.hi);
	boot_interval(dm, b, o->confidence, &ov->diff_median.ci.lo, &ov->diff_median.ci.hi);
	boot_interval(rm, b, o->confidence, &ov->ratio_median_ci.lo, &ov->ratio_median_ci.hi);
	boot_interval(np, b, o->confidence, &ov->native_p99.ci.lo, &ov->native_p99.ci.hi);
	boot_interval(kp, b, o->confidence, &ov->kvm_p99.ci.lo, &ov->kvm_p99.ci.hi);
	boot_interval(dp, b, o->confidence, &ov->diff_p99.ci.lo, &ov->diff_p99.ci.hi);
	boot_interval(rp, b, o->confidence, &ov->ratio_p99_ci.lo, &ov->ratio_p99_ci.hi);
	free(x);
	return 0;
}

static void point_estimates(struct overhead *ov)
{
	const struct series *n = ov->native, *k = ov->kvm;

	ov->native_median.x = n->st.median;
	ov->kvm_median.x = k->st.median;
	ov->diff_median.x = k->st.median - n->st.median;
	ov->native_p99.x = n->st.p99;
	ov->kvm_p99.x = k->st.p99;
	ov->diff_p99.x = k->st.p99 - n->st.p99;
	ov->ratio_median = ratio(xdec_to_ld(k->st.median), xdec_to_ld(n->st.median));
	ov->ratio_p99 = ratio(xdec_to_ld(k->st.p99), xdec_to_ld(n->st.p99));
	ov->has_ns = n->tsc == TSC_KNOWN && k->tsc == TSC_KNOWN && n->tsc_khz == k->tsc_khz;
	if (ov->has_ns) {
		ov->diff_median_ns = series_ns(k, xdec_to_ld(ov->diff_median.x));
		ov->diff_p99_ns = series_ns(k, xdec_to_ld(ov->diff_p99.x));
	}
}

int overhead_compute(const struct series_set *set, const struct boot_opts *o,
		     struct overhead **out, size_t *n)
{
	struct overhead *ov = NULL, *t;
	size_t len = 0;

	*out = NULL;
	*n = 0;
	if (set->by_file)
		return 0;
	/* Series are sorted by environment, then native before kvm, then table order. */
	for (size_t i = 0; i < set->n; i++) {
		const struct series *nat = set->s[i];

		if (!series_is_native(nat) || series_is_null(nat) || nat->kind < 0 ||
		    series_is_segment(nat))
			continue;
		for (size_t j = 0; j < set->n; j++) {
			const struct series *kvm = set->s[j];

			if (series_is_native(kvm) || kvm->env != nat->env || kvm->kind != nat->kind ||
			    series_is_segment(kvm))
				continue;
			t = realloc(ov, (len + 1) * sizeof(*ov));
			if (!t)
				goto err_free;
			ov = t;
			ov[len] = (struct overhead){ .env = nat->env, .native = nat, .kvm = kvm };
			point_estimates(&ov[len]);
			if (bootstrap_row(set, &ov[len], o))
				goto err_free;
			len++;
			break;
		}
	}
	*out = ov;
	*n = len;
	return 0;

err_free:
	free(ov);
	return -1;
}

/* The ladder's group order: the cheapest layer first; kinds outside the table last. */
static int path_rank(enum exitlat_kvm_path p)
{
	switch (p) {
	case EXITLAT_KVM_FASTPATH:
		return 0;
	case EXITLAT_KVM_KERNEL:
		return 1;
	case EXITLAT_KVM_USER:
		return 2;
	case EXITLAT_KVM_IRQ:
		return 3;
	case EXITLAT_KVM_NONE:
		return 4;
	}
	return 4;
}

static int cmp_rung(const void *pa, const void *pb)
{
	const struct rung *a = pa, *b = pb;
	const struct series *sa = a->native ? a->native : a->kvm;
	const struct series *sb = b->native ? b->native : b->kvm;

	if (a->env != b->env)
		return a->env < b->env ? -1 : 1;
	if (path_rank(a->path) != path_rank(b->path))
		return path_rank(a->path) - path_rank(b->path);
	if (a->kind != b->kind)
		return (unsigned int)a->kind < (unsigned int)b->kind ? -1 : 1;
	return strcmp(sa->exit, sb->exit);
}

/* The rung of @s's environment and exit, or NULL. */
static struct rung *find_rung(struct rung *r, size_t n, const struct series *s)
{
	for (size_t i = 0; i < n; i++) {
		const struct series *o = r[i].native ? r[i].native : r[i].kvm;

		if (r[i].env == s->env && !strcmp(o->exit, s->exit))
			return &r[i];
	}
	return NULL;
}

int ladder_compute(const struct series_set *set, const struct overhead *ov, size_t nov,
		   struct rung **out, size_t *n)
{
	struct rung *r = NULL, *t, *g;
	size_t len = 0;

	*out = NULL;
	*n = 0;
	if (set->by_file)
		return 0;
	for (size_t i = 0; i < set->n; i++) {
		const struct series *s = set->s[i];

		/* a breakdown set's segments are not a kind's round trip */
		if (series_is_null(s) || series_is_segment(s))
			continue;
		g = find_rung(r, len, s);
		if (!g) {
			t = realloc(r, (len + 1) * sizeof(*r));
			if (!t) {
				free(r);
				return -1;
			}
			r = t;
			g = &r[len++];
			*g = (struct rung){
				.env = s->env,
				.kind = s->kind,
				.path = s->kind >= 0 ? exitlat_exits[s->kind].kvm_path
						     : EXITLAT_KVM_NONE,
			};
		}
		/* the first series of a side stands for it, as in overhead_compute() */
		if (series_is_native(s) && !g->native)
			g->native = s;
		else if (!series_is_native(s) && !g->kvm)
			g->kvm = s;
	}
	for (size_t i = 0; i < len; i++)
		for (size_t j = 0; j < nov; j++)
			if (ov[j].native == r[i].native && ov[j].kvm == r[i].kvm)
				r[i].ov = &ov[j];
	if (len)
		qsort(r, len, sizeof(*r), cmp_rung);
	*out = r;
	*n = len;
	return 0;
}
