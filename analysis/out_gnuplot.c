// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "exitlat/atomic_file.h"
#include "exitlat/exit_kind_table.h"
#include "exitlat/version.h"
#include "output.h"

/* Exact below this many distinct values and this max/min spread. */
#define AUTO_EXACT_DISTINCT 2000
#define AUTO_EXACT_SPREAD 100

static FILE *open_dat(struct exitlat_atomic_file *a, const char *dir, const char *name,
		      char err[EXITLAT_ERR_MAX])
{
	char *path;

	if (asprintf(&path, "%s/%s", dir, name) < 0) {
		snprintf(err, EXITLAT_ERR_MAX, "%s/%s: out of memory", dir, name);
		return NULL;
	}
	if (exitlat_atomic_open(a, path)) {
		snprintf(err, EXITLAT_ERR_MAX, "%s: cannot create: %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	free(path);
	fprintf(a->f, "# exitlat-analyze %s\n", EXITLAT_VERSION);
	return a->f;
}

static int commit_dat(struct exitlat_atomic_file *a, const char *dir, const char *name,
		      char err[EXITLAT_ERR_MAX])
{
	if (ferror(a->f) || exitlat_atomic_commit(a)) {
		snprintf(err, EXITLAT_ERR_MAX, "%s/%s: write failed: %s", dir, name,
			 strerror(errno ? errno : EIO));
		exitlat_atomic_abort(a);
		return -1;
	}
	return 0;
}

static void put_num(FILE *f, long double v, int decimals)
{
	char buf[XDEC_STR_MAX];

	fprintf(f, " %s", ld_str(v, decimals, "NaN", buf));
}

static void put_xdec(FILE *f, xdec x)
{
	char buf[XDEC_STR_MAX];

	fprintf(f, " %s", xdec_str(x, buf));
}

static void series_meta(FILE *f, const struct report *r, const struct series *s,
			const char *kind)
{
	const struct env *e = &r->set->envs[s->env];
	char buf[XDEC_STR_MAX];

	fprintf(f, "# file: %s\n# id: %s\n# source: %s\n# exit: %s\n# domain: %s\n"
		"# unit: cycles\n", kind, s->id, s->source, s->exit,
		exitlat_domain_name(s->domain));
	if (s->tsc == TSC_KNOWN)
		fprintf(f, "# tsc_khz: %llu\n", (unsigned long long)s->tsc_khz);
	else
		fputs("# tsc_khz: unknown\n", f);
	fprintf(f, "# host: %s\n# kernel: %s\n# emulated: %s\n# count: %llu\n", e->host,
		e->kernel, e->emulated, (unsigned long long)s->st.count);
	fprintf(f, "# null_subtracted: %s\n",
		s->null_state == NULL_SUBTRACTED ? xdec_str(s->shift, buf) :
		s->null_state == NULL_MISSING ? "none" :
		s->null_state == NULL_IS_NULL ? "0" : "no");
	fprintf(f, "# trimmed: %llu\n", (unsigned long long)s->trimmed);
}

static bool use_exact(const struct dist *d, const struct hist_opts *h)
{
	uint64_t lo = d->val[0] ? d->val[0] : 1;

	if (h->mode != HIST_AUTO)
		return h->mode == HIST_EXACT;
	return d->nd <= AUTO_EXACT_DISTINCT && d->val[d->nd - 1] / AUTO_EXACT_SPREAD <= lo;
}

/* Integer edges ceil(10^(i/bpd)), duplicates skipped; 0 gets the bin [0, 1). */
static unsigned __int128 log_edge(long i, unsigned int bpd)
{
	return (unsigned __int128)ceill(powl(10.0L, (long double)i / bpd));
}

static void hist_row(FILE *f, const struct series *s, unsigned __int128 lo,
		     unsigned __int128 hi, uint64_t count)
{
	char buf[XDEC_STR_MAX];

	fputs(xdec_str((xdec)lo * XDEC_SCALE - s->shift, buf), f);
	put_xdec(f, (xdec)hi * XDEC_SCALE - s->shift);
	fprintf(f, " %llu %.10Lg", (unsigned long long)count, (long double)count / s->d.n);
	put_num(f, series_ns(s, xdec_to_ld((xdec)lo * XDEC_SCALE - s->shift)), 3);
	put_num(f, series_ns(s, xdec_to_ld((xdec)hi * XDEC_SCALE - s->shift)), 3);
	fputc('\n', f);
}

static void write_hist(FILE *f, const struct series *s, const struct hist_opts *h)
{
	const struct dist *d = &s->d;
	size_t i = 0;
	long e;

	if (use_exact(d, h)) {
		fputs("# bins: exact\n# lo hi count fraction lo_ns hi_ns\n", f);
		for (i = 0; i < d->nd; i++)
			hist_row(f, s, d->val[i], (unsigned __int128)d->val[i] + 1, d->cnt[i]);
		return;
	}
	fprintf(f, "# bins: log\n# bins_per_decade: %u\n# lo hi count fraction lo_ns hi_ns\n",
		h->bins_per_decade);
	if (d->val[0] == 0)
		hist_row(f, s, 0, 1, d->cnt[i++]);
	if (i == d->nd)
		return;
	/* The bin holding the first value >= 1. */
	e = (long)floorl(log10l((long double)d->val[i]) * h->bins_per_decade);
	while (e > 0 && log_edge(e, h->bins_per_decade) > d->val[i])
		e--;
	while (i < d->nd) {
		unsigned __int128 lo = log_edge(e, h->bins_per_decade), hi = lo;
		uint64_t count = 0;
		long next = e;

		while (hi <= lo)
			hi = log_edge(++next, h->bins_per_decade);
		while (i < d->nd && d->val[i] < hi)
			count += d->cnt[i++];
		hist_row(f, s, lo, hi, count);
		e = next;
	}
}

static void write_cdf(FILE *f, const struct series *s)
{
	const struct dist *d = &s->d;
	long double n = d->n;

	fputs("# value cdf ccdf value_ns\n", f);
	for (size_t i = 0; i < d->nd; i++) {
		xdec v = xdec_from_u64(d->val[i]) - s->shift;
		char buf[XDEC_STR_MAX];

		fputs(xdec_str(v, buf), f);
		/* ccdf counts what is at or above: never 0, so log axes keep every row. */
		fprintf(f, " %.10Lg %.10Lg", d->cum[i] / n, (d->n - (i ? d->cum[i - 1] : 0)) / n);
		put_num(f, series_ns(s, xdec_to_ld(v)), 3);
		fputc('\n', f);
	}
}

static void write_summary(FILE *f, const struct report *r)
{
	const struct series_set *set = r->set;

	fprintf(f, "# file: summary\n# unit: cycles\n# null_subtracted: %s\n"
		"# trim_fraction: %Lg\n# environments: %zu\n", r->subtract_null ? "yes" : "no",
		r->trim, set->nenv);
	fputs("# id source exit domain env count", f);
	for (int k = 0; k < STAT_FIELDS_NR; k++)
		fprintf(f, " %s", stat_fields[k].name);
	for (int k = 0; k < STAT_FIELDS_NR; k++)
		fprintf(f, " %s_ns", stat_fields[k].name);
	fputs(" tsc_khz\n", f);
	for (size_t i = 0; i < set->n; i++) {
		const struct series *s = set->s[i];
		char buf[XDEC_STR_MAX];

		fprintf(f, "%s %s %s %s %s %llu", s->id, s->source, s->exit,
			exitlat_domain_name(s->domain), set->envs[s->env].slug,
			(unsigned long long)s->st.count);
		for (int k = 0; k < STAT_FIELDS_NR; k++)
			fprintf(f, " %s", stat_str(&s->st, &stat_fields[k], buf));
		for (int k = 0; k < STAT_FIELDS_NR; k++)
			put_num(f, series_ns(s, stat_ld(&s->st, &stat_fields[k])), 3);
		if (s->tsc == TSC_KNOWN)
			fprintf(f, " %llu\n", (unsigned long long)s->tsc_khz);
		else
			fputs(" NaN\n", f);
	}
}

static void put_estimate(FILE *f, const struct estimate *e)
{
	put_xdec(f, e->x);
	put_num(f, e->ci.lo, 3);
	put_num(f, e->ci.hi, 3);
}

static void put_ratio(FILE *f, long double v, const struct ci *ci)
{
	put_num(f, v, 6);
	put_num(f, ci->lo, 6);
	put_num(f, ci->hi, 6);
}

static void write_ladder(FILE *f, const struct report *r)
{
	fprintf(f, "# file: ladder\n# unit: cycles\n# null_subtracted: %s\n# confidence: %g\n"
		"# resamples: %u\n# seed: %llu\n", r->subtract_null ? "yes" : "no",
		r->boot->confidence, r->boot->resamples, (unsigned long long)r->boot->seed);
	fputs("# env exit native_median native_median_lo native_median_hi kvm_median "
	      "kvm_median_lo kvm_median_hi diff_median diff_median_lo diff_median_hi "
	      "ratio_median ratio_median_lo ratio_median_hi native_p99 native_p99_lo "
	      "native_p99_hi kvm_p99 kvm_p99_lo kvm_p99_hi diff_p99 diff_p99_lo diff_p99_hi "
	      "ratio_p99 ratio_p99_lo ratio_p99_hi native_median_ns kvm_median_ns "
	      "diff_median_ns diff_p99_ns kvm_domain step\n", f);
	for (size_t i = 0; i < r->nov; i++) {
		const struct overhead *o = &r->ov[i];

		fprintf(f, "%s %s", r->set->envs[o->env].slug, o->kvm->exit);
		put_estimate(f, &o->native_median);
		put_estimate(f, &o->kvm_median);
		put_estimate(f, &o->diff_median);
		put_ratio(f, o->ratio_median, &o->ratio_median_ci);
		put_estimate(f, &o->native_p99);
		put_estimate(f, &o->kvm_p99);
		put_estimate(f, &o->diff_p99);
		put_ratio(f, o->ratio_p99, &o->ratio_p99_ci);
		put_num(f, series_ns(o->native, xdec_to_ld(o->native_median.x)), 3);
		put_num(f, series_ns(o->kvm, xdec_to_ld(o->kvm_median.x)), 3);
		put_num(f, o->has_ns ? o->diff_median_ns : NAN, 3);
		put_num(f, o->has_ns ? o->diff_p99_ns : NAN, 3);
		fprintf(f, " %s %s\n", exitlat_domain_name(o->kvm->domain),
			o->kvm->domain == EXITLAT_DOMAIN_GUEST ? "in-kernel" : "user-space");
	}
}

int out_gnuplot(const char *dir, const struct report *r, const struct hist_opts *h,
		char err[EXITLAT_ERR_MAX])
{
	struct exitlat_atomic_file a;
	char name[4096];
	FILE *f;

	if (mkdir(dir, 0777) && errno != EEXIST) {
		snprintf(err, EXITLAT_ERR_MAX, "%s: cannot create folder: %s", dir,
			 strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < r->set->n; i++) {
		const struct series *s = r->set->s[i];

		snprintf(name, sizeof(name), "hist-%s.dat", s->id);
		if (!(f = open_dat(&a, dir, name, err)))
			return -1;
		series_meta(f, r, s, "hist");
		write_hist(f, s, h);
		if (commit_dat(&a, dir, name, err))
			return -1;
		snprintf(name, sizeof(name), "cdf-%s.dat", s->id);
		if (!(f = open_dat(&a, dir, name, err)))
			return -1;
		series_meta(f, r, s, "cdf");
		write_cdf(f, s);
		if (commit_dat(&a, dir, name, err))
			return -1;
	}
	if (!(f = open_dat(&a, dir, "summary.dat", err)))
		return -1;
	write_summary(f, r);
	if (commit_dat(&a, dir, "summary.dat", err))
		return -1;
	if (!(f = open_dat(&a, dir, "ladder.dat", err)))
		return -1;
	write_ladder(f, r);
	return commit_dat(&a, dir, "ladder.dat", err);
}
