// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * --gnuplot DIR: the data files of docs/analysis-outputs.md, and what each
 * figure needs ready to draw (figures.dat, kind-N.dat, rungs-N.dat): the
 * analysis decides axes, bins, rungs and labels, scripts/render-plots only
 * runs gnuplot on the files. Text from the inputs reaches the figures only
 * as data fields gnuplot decodes itself (lib/text.c), never as gnuplot code.
 * The folder is written as one set (lib/atomic_dir.c).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitlat/atomic_dir.h"
#include "exitlat/atomic_file.h"
#include "exitlat/exit_kind_table.h"
#include "exitlat/text.h"
#include "exitlat/version.h"
#include "output.h"

/* Exact below this many distinct values and this max/min spread. */
#define AUTO_EXACT_DISTINCT 2000
#define AUTO_EXACT_SPREAD 100
/* At most this many exact values: one spike each instead of bins. */
#define SPIKES_MAX 12
/* Linear x axes get about this many histogram bins. */
#define LINEAR_BINS 80
/* Characters of a label in a figure (key entries of a one-column figure). */
#define LABEL_MAX 24

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

/* An exact number that may not exist (NaN then). */
static void put_xdec_if(FILE *f, bool exists, xdec x)
{
	if (exists)
		put_xdec(f, x);
	else
		fputs(" NaN", f);
}

/* A metadata value: one line of text, whatever the input held. */
static void put_meta(FILE *f, const char *key, const char *v)
{
	char *l = exitlat_label(v, strlen(v), SIZE_MAX);

	fprintf(f, "# %s: %s\n", key, l ? l : "?");
	free(l);
}

/* A name column of summary.dat and ladder.dat: no blank can split it. */
static void put_name(FILE *f, const char *s)
{
	exitlat_gp_field(f, s, strlen(s));
}

/*
 * How much longer gnuplot guesses a LaTeX text than what it prints (its
 * strlen_tex(): a command counts 1, { } $ _ ^ and anything in [ ] nothing,
 * other bytes 1 each), so that a figure can give the key that room back.
 */
static long tex_extra(const char *tex, const char *label)
{
	long guess = 0, shown = 0;
	const char *s = tex;
	uint32_t c;

	while (*s) {
		if (*s == '[') {
			while (*s && *s != ']')
				s++;
			if (*s)
				s++;
		} else if (*s == '\\') {
			s++;
			while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
				s++;
			guess++;
		} else {
			guess += !strchr("{}$_^", *s);
			s++;
		}
	}
	for (size_t i = 0, len = strlen(label); i < len; shown++)
		i += exitlat_utf8_next(label + i, len - i, &c);
	return guess - shown;
}

/* "\t" and @l written by @w, as a gnuplot data field. Returns 0 or -1 (ENOMEM). */
static int put_as(FILE *f, void (*w)(FILE *, const char *, size_t), const char *l,
		  char **kept)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *m = open_memstream(&buf, &size);

	if (!m)
		return -1;
	w(m, l, strlen(l));
	if (fclose(m)) {
		free(buf);
		return -1;
	}
	fputc('\t', f);
	exitlat_gp_field(f, buf, size);
	if (kept)
		*kept = buf;
	else
		free(buf);
	return 0;
}

/*
 * "\tLABEL\tLABEL_TEX": @s as a figure shows it, as enhanced text for the
 * cairo terminals and as LaTeX for cairolatex, each as a gnuplot data field.
 * Raises *@extra (when given) to the LaTeX form's tex_extra(). Returns 0 or
 * -1 (ENOMEM).
 */
static int put_label(FILE *f, const char *s, size_t len, long *extra)
{
	char *l = exitlat_label(s, len, LABEL_MAX), *tex = NULL;
	int ret;

	if (!l)
		return -1;
	ret = put_as(f, exitlat_gp_enhanced, l, NULL) | put_as(f, exitlat_latex_text, l, &tex);
	if (!ret && extra && tex_extra(tex, l) > *extra)
		*extra = tex_extra(tex, l);
	free(tex);
	free(l);
	return ret;
}

static int put_label_str(FILE *f, const char *s)
{
	return put_label(f, s, strlen(s), NULL);
}

static void put_ld_field(FILE *f, long double v)
{
	if (isfinite(v))
		fprintf(f, "\t%.10Lg", v);
	else
		fputs("\tNaN", f);
}

static void put_xdec_field(FILE *f, xdec x)
{
	char buf[XDEC_STR_MAX];

	fprintf(f, "\t%s", xdec_str(x, buf));
}

/*
 * "hist-ID.dat" or "cdf-ID.dat" of a series: ID cut to fit a file name (a
 * long one keeps a hash of the whole, lib/text.c). Returns it malloc'd or NULL.
 */
static char *series_file(const char *what, const struct series *s)
{
	char *id = exitlat_bounded_name(s->id, 200), *name = NULL;

	if (id && asprintf(&name, "%s-%s.dat", what, id) < 0)
		name = NULL;
	free(id);
	return name;
}

static void series_meta(FILE *f, const struct report *r, const struct series *s,
			const char *kind)
{
	const struct env *e = &r->set->envs[s->env];
	char buf[XDEC_STR_MAX];

	fprintf(f, "# file: %s\n# id: %s\n# source: %s\n", kind, s->id, s->source);
	put_meta(f, "exit", s->exit);
	fprintf(f, "# domain: %s\n# unit: cycles\n", exitlat_domain_name(s->domain));
	if (s->tsc == TSC_KNOWN)
		fprintf(f, "# tsc_khz: %llu\n", (unsigned long long)s->tsc_khz);
	else
		fputs("# tsc_khz: unknown\n", f);
	put_meta(f, "host", e->host);
	put_meta(f, "kernel", e->kernel);
	put_meta(f, "emulated", e->emulated);
	fprintf(f, "# count: %llu\n", (unsigned long long)s->st.count);
	fprintf(f, "# null_subtracted: %s\n",
		s->null_state == NULL_SUBTRACTED ? xdec_str(s->shift, buf) :
		s->null_state == NULL_MISSING ? "none" :
		s->null_state == NULL_IS_NULL ||
		s->null_state == NULL_LATENCY ? "0" : "no");
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

static const char *overhead_word(enum overhead_note o)
{
	return o == OVERHEAD_LARGE ? "large" : o == OVERHEAD_SMALL ? "small" : "-";
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
	fputs(" tsc_khz instrument_overhead verified segment kvm_path\n", f);
	for (size_t i = 0; i < set->n; i++) {
		const struct series *s = set->s[i];
		char buf[XDEC_STR_MAX];

		fprintf(f, "%s %s ", s->id, s->source);
		put_name(f, s->exit);
		fprintf(f, " %s %s %llu", exitlat_domain_name(s->domain), set->envs[s->env].slug,
			(unsigned long long)s->st.count);
		for (int k = 0; k < STAT_FIELDS_NR; k++)
			fprintf(f, " %s", stat_str(&s->st, &stat_fields[k], buf));
		for (int k = 0; k < STAT_FIELDS_NR; k++)
			put_num(f, series_ns(s, stat_ld(&s->st, &stat_fields[k])), 3);
		if (s->tsc == TSC_KNOWN)
			fprintf(f, " %llu", (unsigned long long)s->tsc_khz);
		else
			fputs(" NaN", f);
		fprintf(f, " %s %s %s %s\n", overhead_word(s->overhead),
			exitlat_verified_name(s->verified), s->segment ? s->segment : "-",
			s->kind >= 0 ? exitlat_kvm_path_name(exitlat_exits[s->kind].kvm_path) :
				       "unknown");
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
	/* in the ladder's order: grouped by where KVM handles the kind */
	for (size_t i = 0; i < r->nrungs; i++) {
		const struct overhead *o = r->rungs[i].ov;

		if (!o)
			continue;
		fprintf(f, "%s ", r->set->envs[o->env].slug);
		put_name(f, o->kvm->exit);
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
		fprintf(f, " %s %s\n", exitlat_domain_name(o->kvm->domain), kvm_step(o->kvm->kind));
	}
}

/* breakdown.dat: one row per segment of every breakdown (where the time goes). */
static void write_breakdown(FILE *f, const struct report *r)
{
	fprintf(f, "# file: breakdown\n# unit: cycles\n# tracing: taken under tracing\n"
		"# confidence: %g\n# resamples: %u\n# seed: %llu\n", r->boot->confidence,
		r->boot->resamples, (unsigned long long)r->boot->seed);
	fputs("# env exit segment series merged median median_lo median_hi p99 p99_lo p99_hi "
	      "mean_median_band share_median mean_p99_tail share_p99 trips traced_median "
	      "untraced_median tracing_cost tracing_cost_pct native_median native_p99 "
	      "median_ns p99_ns\n", f);
	for (size_t i = 0; i < r->nbd; i++) {
		const struct breakdown *b = &r->bd[i];

		for (size_t k = 0; k < b->nseg; k++) {
			const struct bd_segment *g = &b->seg[k];

			fprintf(f, "%s ", r->set->envs[b->env].slug);
			put_name(f, b->trip->exit);
			/* segment names are [a-z0-9-] (the reader checked), ids slugs */
			fprintf(f, " %s %s %s", g->s->segment, g->s->id, g->s->merged ? "yes" : "no");
			put_estimate(f, &g->median);
			put_estimate(f, &g->p99);
			put_xdec(f, g->mean_mid);
			put_num(f, g->share_mid, 4);
			put_xdec(f, g->mean_tail);
			put_num(f, g->share_tail, 4);
			fprintf(f, " %llu", (unsigned long long)b->trips);
			put_xdec(f, b->traced_median.x);
			put_xdec_if(f, b->untraced != NULL, b->untraced_median.x);
			put_xdec_if(f, b->has_cost, b->tracing_cost);
			put_num(f, b->has_cost ? b->tracing_cost_pct : NAN, 4);
			put_xdec_if(f, b->native != NULL, b->native_median.x);
			put_xdec_if(f, b->native != NULL, b->native_p99.x);
			put_num(f, series_ns(g->s, xdec_to_ld(g->median.x)), 3);
			put_num(f, series_ns(g->s, xdec_to_ld(g->p99.x)), 3);
			fputc('\n', f);
		}
	}
}

/* ----- what the figures need ----------------------------------------------------- */

/* One exit kind of one environment: the series of its hist, cdf and tail figures. */
struct kind_ref {
	int kind;		/* table index, -1 for a name the table lacks */
	const char *exit;
};

static int cmp_kind_ref(const void *pa, const void *pb)
{
	const struct kind_ref *a = pa, *b = pb;

	/* Table order; names the table lacks after it, by name (as series are sorted). */
	if (a->kind != b->kind)
		return (unsigned int)a->kind < (unsigned int)b->kind ? -1 : 1;
	return strcmp(a->exit, b->exit);
}

/* The exit kinds of environment @env, in table order. Returns how many. */
static size_t env_kinds(const struct series_set *set, size_t env, struct kind_ref *out)
{
	size_t n = 0;

	for (size_t i = 0; i < set->n; i++) {
		const struct series *s = set->s[i];
		size_t j;

		if (s->env != env || series_is_segment(s))
			continue;
		for (j = 0; j < n && strcmp(out[j].exit, s->exit); j++)
			;
		if (j == n)
			out[n++] = (struct kind_ref){ .kind = s->kind, .exit = s->exit };
	}
	qsort(out, n, sizeof(*out), cmp_kind_ref);
	return n;
}

/*
 * A figure-name part: [A-Za-z0-9+-] kept, the rest '_' (a '.' would end a
 * LaTeX graphics name), at most @max bytes (lib/text.c tells long ones apart).
 */
static char *fig_slug(const char *s, size_t max)
{
	char *d = strdup(s), *b;

	for (char *p = d; p && *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '+' || *p == '-'))
			*p = '_';
	b = d ? exitlat_bounded_name(d, max) : NULL;
	free(d);
	return b;
}

/* Names handed out so far; a clash gets "-2", "-3", ... */
struct names {
	char **v;
	size_t n;
};

static bool names_has(const struct names *nm, const char *s)
{
	for (size_t i = 0; i < nm->n; i++)
		if (!strcmp(nm->v[i], s))
			return true;
	return false;
}

/* Takes @base (malloc'd); returns it or a numbered twin not yet used, or NULL. */
static char *names_take(struct names *nm, char *base)
{
	char *name = base, **v;

	for (int k = 2; name && names_has(nm, name); k++) {
		if (name != base)
			free(name);
		if (asprintf(&name, "%s-%d", base, k) < 0)
			name = NULL;
	}
	if (name != base)
		free(base);
	if (!name)
		return NULL;
	v = realloc(nm->v, (nm->n + 1) * sizeof(*v));
	if (!v) {
		free(name);
		return NULL;
	}
	nm->v = v;
	nm->v[nm->n++] = name;
	return name;
}

static void names_free(struct names *nm)
{
	for (size_t i = 0; i < nm->n; i++)
		free(nm->v[i]);
	free(nm->v);
}

static bool env_emulated(const struct env *e)
{
	return strcmp(e->emulated, "no") != 0;
}

/* One TSC rate for every series of @env, else 0 (unknown, disagreeing, or emulated). */
static uint64_t env_tsc(const struct series_set *set, size_t env)
{
	uint64_t tsc = 0;

	if (env_emulated(&set->envs[env]))
		return 0;
	for (size_t i = 0; i < set->n; i++) {
		const struct series *s = set->s[i];

		if (s->env != env)
			continue;
		if (s->tsc != TSC_KNOWN || (tsc && tsc != s->tsc_khz))
			return 0;
		tsc = s->tsc_khz;
	}
	return tsc;
}

/* "\tEMULATED\tNAME\tNAME_TEX\tTSC" of an environment. */
static int put_env_stamp(FILE *f, const struct series_set *set, size_t env)
{
	const struct env *e = &set->envs[env];

	fprintf(f, "\t%d", env_emulated(e));
	if (put_label_str(f, e->emulated))
		return -1;
	fprintf(f, "\t%llu", (unsigned long long)env_tsc(set, env));
	return 0;
}

/* A fixed x range around the single value @v (linear: 5 %, at least 1; log: x2 each way). */
static void put_fixed_range(FILE *f, bool single, long double v, bool log)
{
	long double d = fabsl(v) * 0.05L;

	if (!single) {
		fputs("\tNaN\tNaN", f);
		return;
	}
	if (log) {
		put_ld_field(f, v / 2);
		put_ld_field(f, v * 2);
		return;
	}
	if (d < 1)
		d = 1;
	put_ld_field(f, v - d);
	put_ld_field(f, v + d);
}

/* A series' key title among @g: its side, unless the side has more than one here. */
static const char *key_title(const struct series *const *g, size_t n, const struct series *s)
{
	size_t same = 0;

	for (size_t j = 0; j < n; j++)
		same += !strcmp(g[j]->source, s->source);
	return same > 1 ? s->id : series_is_native(s) ? "native" : "KVM";
}

/*
 * kind-N.dat: block 0 the figure (its labels, axes, bins), block 1 one row
 * per series (its files, key title, line type, bins, quantiles).
 */
static int write_kind(FILE *f, const struct report *r, const struct hist_opts *h, size_t env,
		      const struct kind_ref *k)
{
	const struct series_set *set = r->set;
	const struct series *g[set->n];
	size_t n = 0, size = 0;
	xdec lo = 0, hi = 0;
	uint64_t maxn = 0;
	bool spikes = true, xlog;
	long double lbw;
	long extra = 0;
	char *rows = NULL;
	FILE *body;

	for (size_t i = 0; i < set->n; i++) {
		const struct series *s = set->s[i];

		if (s->env != env || strcmp(s->exit, k->exit) || series_is_segment(s))
			continue;
		if (!n || s->st.min < lo)
			lo = s->st.min;
		if (!n || s->st.max > hi)
			hi = s->st.max;
		if (s->st.count > maxn)
			maxn = s->st.count;
		spikes &= use_exact(&s->d, h) && s->d.nd <= SPIKES_MAX;
		g[n++] = s;
	}
	xlog = lo > 0 && hi > 10 * lo;
	lbw = ceill(xdec_to_ld(hi - lo) / LINEAR_BINS);
	/* The series first: block 0 says how much longer their LaTeX titles are guessed. */
	body = open_memstream(&rows, &size);
	if (!body)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct series *s = g[i];
		char *hist = series_file("hist", s), *cdf = series_file("cdf", s);
		const char *title = key_title(g, n, s);
		if (!hist || !cdf) {
			free(hist);
			free(cdf);
			goto err_body;
		}
		fprintf(body, "%zu\t%s\t%s", i + 1, hist, cdf);
		free(hist);
		free(cdf);
		if (put_label(body, title, strlen(title), &extra))
			goto err_body;
		fprintf(body, "\t%d\t%s\t%u", series_is_native(s) ? 1 : 2,
			use_exact(&s->d, h) ? "exact" : "log",
			use_exact(&s->d, h) ? 0 : h->bins_per_decade);
		put_xdec_field(body, s->st.median);
		put_xdec_field(body, s->st.p99);
		put_xdec_field(body, s->st.p999);
		fputc('\n', body);
	}
	if (fclose(body)) {
		free(rows);
		return -1;
	}
	fputs("# file: kind\n# strings: gnuplot octal escapes (strcol() decodes them); "
	      "_tex: the same as LaTeX\n", f);
	fputs("# kind kind_tex emulated emulated_name emulated_name_tex tsc_khz xlog lbw mode "
	      "xlo xhi lo hi ymin series tex_extra\nkind", f);
	if (put_label(f, k->exit, strlen(k->exit), &extra) || put_env_stamp(f, set, env)) {
		free(rows);
		return -1;
	}
	fprintf(f, "\t%d\t%.10Lg\t%s", xlog, lbw < 1 ? 1.0L : lbw, spikes ? "spikes" : "boxes");
	/* One value only (a deterministic emulated path): a range around it. */
	put_fixed_range(f, lo == hi, xdec_to_ld(lo), false);
	put_xdec_field(f, lo);
	put_xdec_field(f, hi);
	fprintf(f, "\t%.10Lg\t%zu\t%ld\n\n\n", 1.0L / (long double)(maxn ? maxn : 1), n,
		extra);
	fputs("# i hist cdf title title_tex lt bins bins_per_decade q50 q99 q999\n", f);
	fwrite(rows, 1, size, f);
	free(rows);
	return 0;

err_body:
	fclose(body);
	free(rows);
	return -1;
}

static void put_side(FILE *f, const struct series *s, const struct ci *ci)
{
	if (!s) {
		fputs("\tNaN\tNaN\tNaN\tNaN", f);
		return;
	}
	put_xdec_field(f, s->st.median);
	put_ld_field(f, ci ? ci->lo : NAN);
	put_ld_field(f, ci ? ci->hi : NAN);
	put_xdec_field(f, s->st.p99);
}

/* The exit name a rung stands for. */
static const char *rung_exit(const struct rung *g)
{
	return (g->kvm ? g->kvm : g->native)->exit;
}

/*
 * rungs-E.dat: block 0 the environment (labels for a comparison, stamp,
 * interval confidence), block 1 the ladder's rungs of @env (ladder_compute():
 * grouped by where KVM handles the kind, table order within a group).
 */
static int write_rungs(FILE *f, const struct report *r, size_t env, size_t *nrungs)
{
	const struct series_set *set = r->set;
	const struct env *e = &set->envs[env];
	const struct rung *rung = NULL;
	size_t n = 0, rel;
	long double v = NAN;
	bool single = true;
	long extra[3] = { 0, 0, 0 };	/* host, kernel, time */

	/* An environment's rungs are consecutive. */
	for (size_t i = 0; i < r->nrungs; i++) {
		if (r->rungs[i].env != env)
			continue;
		if (!rung)
			rung = &r->rungs[i];
		n++;
	}
	/* Every median and p99 equal (a deterministic emulated path): a range around it. */
	for (size_t i = 0; i < n; i++) {
		const struct series *side[2] = { rung[i].native, rung[i].kvm };

		for (int j = 0; j < 2; j++) {
			long double m, p;

			if (!side[j])
				continue;
			m = xdec_to_ld(side[j]->st.median);
			p = xdec_to_ld(side[j]->st.p99);
			if (isnan(v))
				v = m;
			single &= m == v && p == v;
		}
	}
	fputs("# file: rungs\n# strings: gnuplot octal escapes (strcol() decodes them); "
	      "_tex: the same as LaTeX\n", f);
	fputs("# env host host_tex kernel kernel_tex time time_tex emulated emulated_name "
	      "emulated_name_tex tsc_khz confidence xlo xhi rungs host_tex_extra "
	      "kernel_tex_extra time_tex_extra\nenv", f);
	/* The kernel's release alone ("6.1.0-18-amd64"), not uname -v's build line. */
	rel = strcspn(e->kernel, " \t");
	if (put_label(f, e->host, strlen(e->host), &extra[0]) ||
	    put_label(f, e->kernel, rel, &extra[1]) ||
	    put_label(f, e->time ? e->time : "", e->time ? strlen(e->time) : 0, &extra[2]) ||
	    put_env_stamp(f, set, env))
		return -1;
	fprintf(f, "\t%g", r->boot->confidence * 100);
	put_fixed_range(f, n && single && v > 0, v, true);
	fprintf(f, "\t%zu\t%ld\t%ld\t%ld\n\n\n", n, extra[0], extra[1], extra[2]);
	fputs("# x kind kind_tex step nat_med nat_lo nat_hi nat_p99 kvm_med kvm_lo kvm_hi "
	      "kvm_p99 key\n", f);
	for (size_t i = 0; i < n; i++) {
		const struct rung *g = &rung[i];

		fprintf(f, "%zu", i + 1);
		if (put_label_str(f, rung_exit(g)))
			return -1;
		/* where KVM handles it, and a side that did not measure it */
		fprintf(f, "\t%s%s", kvm_step(g->kind),
			g->ov ? "" : g->kvm ? ", kvm only" : ", native only");
		put_side(f, g->native, g->ov ? &g->ov->native_median.ci : NULL);
		put_side(f, g->kvm, g->ov ? &g->ov->kvm_median.ci : NULL);
		/* The whole name: a comparison matches rungs by it, a label may be cut. */
		fputc('\t', f);
		put_name(f, rung_exit(g));
		fputc('\n', f);
	}
	*nrungs = n;
	return 0;
}

/*
 * The stacked figure's layers: the native round trip (solid), then each
 * segment with its own pattern and line type, so that print in black and
 * white keeps them apart.
 */
static const int layer_pattern[EXITLAT_SEGMENTS_MAX] = { 3, 4, 5, 1, 6, 2, 7, 0 };

/* A box of layer @layer in panel @panel (1 median, 2 p99) at bar @x. */
static void put_box(FILE *f, int panel, int x, long double lo, long double hi, size_t layer)
{
	fprintf(f, "%d\t%d", panel, x);
	put_ld_field(f, lo);
	put_ld_field(f, hi);
	fprintf(f, "\t%zu\n", layer);
}

/*
 * stack-N.dat: the stacked figure of one breakdown (docs/plots.md). Block 0
 * the figure, block 1 its layers (native, then the segments in the set's
 * order), block 2 the boxes. Bar 1 is native where it was measured, the
 * last KVM's: the trips' median (p99) split by the segments' shares there;
 * the native bar is the native median (p99).
 */
static int write_stack(FILE *f, const struct report *r, const struct breakdown *b)
{
	const struct series_set *set = r->set;
	size_t layers = b->nseg + (b->native != NULL), first = b->native != NULL;
	const xdec height[2] = { b->trip_median, b->trip_p99 };
	long extra = 0;
	char *rows = NULL;
	size_t size = 0;
	FILE *body = open_memstream(&rows, &size);

	if (!body)
		return -1;
	fputs("# i title title_tex lt pattern\n", body);
	if (b->native) {
		fputs("1", body);
		if (put_label(body, "native", 6, &extra))
			goto err_body;
		fprintf(body, "\t1\t%d\n", layer_pattern[0]);
	}
	for (size_t k = 0; k < b->nseg; k++) {
		char *t = segment_title(b->seg[k].s);

		fprintf(body, "%zu", first + k + 1);
		if (!t || put_label(body, t, strlen(t), &extra)) {
			free(t);
			goto err_body;
		}
		free(t);
		fprintf(body, "\t%zu\t%d\n", k + 2, layer_pattern[k + 1]);
	}
	fputs("\n\n# panel x ylo yhi layer\n", body);
	for (int p = 0; p < 2; p++) {
		long double y = 0, h = xdec_to_ld(height[p]);

		if (b->native)
			put_box(body, p + 1, 1, 0, xdec_to_ld(p ? b->native_p99.x : b->native_median.x),
				1);
		for (size_t k = 0; k < b->nseg; k++) {
			long double share = p ? b->seg[k].share_tail : b->seg[k].share_mid;
			long double top = k + 1 == b->nseg ? h : y + h * share / 100;

			put_box(body, p + 1, 1 + (int)first, y, top, first + k + 1);
			y = top;
		}
	}
	if (fclose(body)) {
		free(rows);
		return -1;
	}
	fputs("# file: stack\n# strings: gnuplot octal escapes (strcol() decodes them); "
	      "_tex: the same as LaTeX\n", f);
	fputs("# stack kind kind_tex emulated emulated_name emulated_name_tex tsc_khz layers "
	      "bars traced untraced cost_pct trips tail_trips traced_p99 tex_extra\nstack", f);
	if (put_label(f, b->trip->exit, strlen(b->trip->exit), &extra) ||
	    put_env_stamp(f, set, b->env)) {
		free(rows);
		return -1;
	}
	fprintf(f, "\t%zu\t%zu", layers, 1 + first);
	put_xdec_field(f, b->trip_median);
	put_ld_field(f, b->untraced ? xdec_to_ld(b->untraced_median.x) : NAN);
	put_ld_field(f, b->has_cost ? b->tracing_cost_pct : NAN);
	fprintf(f, "\t%llu\t%llu", (unsigned long long)b->trips, (unsigned long long)b->n_tail);
	put_xdec_field(f, b->trip_p99);
	fprintf(f, "\t%ld\n\n\n", extra);
	fwrite(rows, 1, size, f);
	free(rows);
	return 0;

err_body:
	fclose(body);
	free(rows);
	return -1;
}

static void put_figure(FILE *f, const char *fig, const char *script, const char *data,
		       const struct kind_ref *k, const char *env);

/* ----- interrupt kinds: cyclictest's histogram and the latency figure ----------- */

/* The series of exit @exit in @env (not breakdown sets). Returns how many. */
static size_t kind_series(const struct series_set *set, size_t env, const char *exit,
			  const struct series **g)
{
	size_t n = 0;

	for (size_t i = 0; i < set->n; i++)
		if (set->s[i]->env == env && !strcmp(set->s[i]->exit, exit) &&
		    !series_is_segment(set->s[i]))
			g[n++] = set->s[i];
	return n;
}

/* The TSC rate every one of @g knows, else 0. */
static uint64_t common_tsc(const struct series *const *g, size_t n)
{
	uint64_t tsc = 0;

	for (size_t i = 0; i < n; i++) {
		if (g[i]->tsc != TSC_KNOWN || (tsc && tsc != g[i]->tsc_khz))
			return 0;
		tsc = g[i]->tsc_khz;
	}
	return tsc;
}

/* @v in decimal, zero-padded to @width digits (cyclictest's %05lu, %06lu, %09llu). */
static void put_padded(FILE *f, unsigned __int128 v, int width)
{
	char buf[48], *p = buf + sizeof(buf) - 1;

	*p = '\0';
	do {
		*--p = '0' + (char)(v % 10);
		v /= 10;
	} while (v);
	for (int len = (int)(buf + sizeof(buf) - 1 - p); len < width; len++)
		fputc('0', f);
	fputs(p, f);
}

/*
 * cyclictest-FIG.dat: cyclictest's -h output (rt-tests), one column per
 * series as cyclictest has one per thread: "# Histogram", a row per whole
 * microsecond, then Total, Min/Avg/Max Latencies and Histogram Overflows.
 * The sample order is not kept, so every overflow is one of cyclictest's
 * "others". Series without one known TSC rate are left out, and said so.
 * Returns 0, 1 when no series has a rate (no file), -1 (ENOMEM).
 */
static int write_cyclictest(FILE *f, const struct report *r, size_t env,
			    const struct series *const *g, size_t n)
{
	const struct env *e = &r->set->envs[env];
	struct us_hist *h = calloc(n ? n : 1, sizeof(*h));
	size_t nbins = 1, cols = 0;
	int ret = -1;

	if (!h)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (g[i]->tsc != TSC_KNOWN)
			continue;
		/* bins up to the largest max, as cyclictest's -h would be asked for */
		unsigned __int128 top = (unsigned __int128)g[i]->d.val[g[i]->d.nd - 1] * 1000 /
					g[i]->tsc_khz + 1;

		if (top > nbins)
			nbins = top > US_HIST_BINS_MAX ? US_HIST_BINS_MAX : (size_t)top;
	}
	for (size_t i = 0; i < n; i++)
		if (g[i]->tsc == TSC_KNOWN && us_hist_build(&g[i]->d, g[i]->tsc_khz, nbins, &h[i]))
			goto out;
	fputs("# file: cyclictest\n", f);
	put_meta(f, "exit", g[0]->exit);
	put_meta(f, "host", e->host);
	put_meta(f, "kernel", e->kernel);
	put_meta(f, "emulated", e->emulated);
	fprintf(f, "# unit: microseconds, cycles * 1000 / tsc_khz, whole (cyclictest -h: row i "
		"counts i <= latency < i + 1 us; %zu rows, a latency past them is an overflow)\n",
		nbins);
	if (strcmp(e->emulated, "no"))
		fputs("# EMULATED: microseconds of the emulated TSC: path length, not hardware "
		      "time\n", f);
	for (size_t i = 0; i < n; i++) {
		if (g[i]->tsc != TSC_KNOWN) {
			fprintf(f, "# left out: %s (tsc_khz unknown, or not the same in all its "
				"files: no microseconds)\n", g[i]->id);
			continue;
		}
		fprintf(f, "# column %zu, thread %zu: %s (tsc_khz %llu)\n", cols + 2, cols, g[i]->id,
			(unsigned long long)g[i]->tsc_khz);
		cols++;
	}
	ret = 1;
	if (!cols)
		goto out;
	fputs("# Histogram\n", f);
	for (size_t b = 0; b < nbins; b++) {
		const char *sep = "";

		fprintf(f, "%06zu ", b);
		for (size_t i = 0; i < n; i++) {
			if (g[i]->tsc != TSC_KNOWN)
				continue;
			fputs(sep, f);
			put_padded(f, h[i].cnt[b], 6);
			sep = "\t";
		}
		fputc('\n', f);
	}
	static const char *const line[] = { "Total:", "Min Latencies:", "Avg Latencies:",
					    "Max Latencies:", "Histogram Overflows:" };
	for (size_t l = 0; l < 5; l++) {
		fprintf(f, "# %s", line[l]);
		for (size_t i = 0; i < n; i++) {
			const struct us_hist *x = &h[i];
			const unsigned __int128 v[] = { x->total, x->min_us, x->avg_us, x->max_us,
							x->overflow };

			if (g[i]->tsc != TSC_KNOWN)
				continue;
			fputc(' ', f);
			put_padded(f, v[l], l ? 5 : 9);
		}
		fputc('\n', f);
	}
	fputs("# Histogram Overflow at cycle number:\n", f);
	for (size_t i = 0, t = 0; i < n; i++) {
		if (g[i]->tsc != TSC_KNOWN)
			continue;
		fprintf(f, "# Thread %zu:", t++);
		if (h[i].overflow) {
			fputs(" # ", f);
			put_padded(f, h[i].overflow, 5);
			fputs(" others", f);
		}
		fputc('\n', f);
	}
	fputc('\n', f);	/* cyclictest ends the histogram with a blank line */
	ret = 0;
out:
	for (size_t i = 0; i < n; i++)
		us_hist_free(&h[i]);
	free(h);
	return ret;
}

/* A text field exitlat writes itself (units, numbers): no outside text in it. */
static void put_own(FILE *f, const char *s)
{
	fputc('\t', f);
	exitlat_gp_field(f, s, strlen(s));
}

/* A bin edge or value in the x axis' unit: ns or cycles, or ns / 1000 (exact to 4 decimals). */
static void put_x(FILE *f, unsigned __int128 v, bool us)
{
	char buf[XDEC_STR_MAX];

	if (us)
		fputs(xdec_str((xdec)v * (XDEC_SCALE / 1000), buf), f);
	else
		fputs(xdec_str((xdec)v * XDEC_SCALE, buf), f);
}

/*
 * latency-N.dat: exitlat's view of an interrupt kind: counts per bin on a
 * log scale, the bin 1 us or finer (lat_bins_choose()), each series' max
 * marked. The x axis is in microseconds from a max of 10 us (shorter
 * numbers), in nanoseconds below, in cycles without a TSC rate. Block 0 the
 * figure, block 1 one row per series, then one block per series of its
 * non-empty bins, in the x axis' unit.
 */
static int write_latency(FILE *f, const struct report *r, size_t env,
			 const struct series *const *g, size_t n)
{
	const struct env *e = &r->set->envs[env];
	bool emulated = env_emulated(e), us;
	struct lat_bins b;
	xdec p99 = 0, top = 0;
	const char *unit, *unit_tex;
	char xl[160], xl_tex[160], w[32], ml[64], ml_tex[80], *rows = NULL;
	long extra = 0;
	size_t size = 0;
	FILE *body;

	for (size_t i = 0; i < n; i++) {
		if (g[i]->st.p99 > p99)
			p99 = g[i]->st.p99;
		if (g[i]->st.max > top)
			top = g[i]->st.max;
	}
	lat_bins_choose(p99, common_tsc(g, n), &b);
	us = b.ns && (b.width == 1000 || series_ns(g[0], xdec_to_ld(top)) >= 10000);
	unit = us ? "µs" : b.ns ? "ns" : "cycles";
	unit_tex = us ? "$\\mu$s" : unit;
	if (us)
		snprintf(w, sizeof(w), "%g", b.width / 1000.0);
	else
		snprintf(w, sizeof(w), "%llu", (unsigned long long)b.width);
	if (!b.ns) {
		snprintf(xl, sizeof(xl), "%s (%s cycles), bins of %s", emulated ? "path length" :
			 "latency", emulated ? "emulated TSC" : "TSC, rate unknown:", w);
		snprintf(xl_tex, sizeof(xl_tex), "%s", xl);
	} else {
		const char *what = emulated ? "emulated latency" : "latency";

		snprintf(xl, sizeof(xl), "%s (%s), bins of %s %s", what, unit, w, unit);
		snprintf(xl_tex, sizeof(xl_tex), "%s (%s), bins of %s %s", what, unit_tex, w,
			 unit_tex);
	}
	body = open_memstream(&rows, &size);
	if (!body)
		return -1;
	fputs("# i title title_tex lt max max_label max_label_tex count\n", body);
	for (size_t i = 0; i < n; i++) {
		const struct series *s = g[i];
		uint64_t mx = s->d.val[s->d.nd - 1];
		long double x = b.ns ? series_ns(s, mx) / (us ? 1000.0L : 1.0L) : (long double)mx;
		const char *title = key_title(g, n, s);
		fprintf(body, "%zu", i + 1);
		if (put_label(body, title, strlen(title), &extra))
			goto err_body;
		fprintf(body, "\t%d", series_is_native(s) ? 1 : 2);
		put_ld_field(body, x);
		snprintf(ml, sizeof(ml), "max %.*Lf %s", us ? 1 : 0, x, unit);
		snprintf(ml_tex, sizeof(ml_tex), "max %.*Lf %s", us ? 1 : 0, x, unit_tex);
		put_own(body, ml);
		put_own(body, ml_tex);
		fprintf(body, "\t%llu\n", (unsigned long long)s->st.count);
	}
	for (size_t i = 0; i < n; i++) {
		const struct dist *d = &g[i]->d;
		size_t k = 0;

		fputs("\n\n# lo hi count\n", body);
		while (k < d->nd) {
			unsigned __int128 bin = lat_bin_of(&b, d->val[k]);
			uint64_t count = 0;

			while (k < d->nd && lat_bin_of(&b, d->val[k]) == bin)
				count += d->cnt[k++];
			put_x(body, bin * b.width, us);
			fputc(' ', body);
			put_x(body, (bin + 1) * b.width, us);
			fprintf(body, " %llu\n", (unsigned long long)count);
		}
	}
	if (fclose(body)) {
		free(rows);
		return -1;
	}
	fputs("# file: latency\n# strings: gnuplot octal escapes (strcol() decodes them); "
	      "_tex: the same as LaTeX\n", f);
	fputs("# latency kind kind_tex emulated emulated_name emulated_name_tex tsc_khz "
	      "xlabel xlabel_tex series tex_extra unit bin_width\nlatency", f);
	if (put_label(f, g[0]->exit, strlen(g[0]->exit), &extra) ||
	    put_env_stamp(f, r->set, env)) {
		free(rows);
		return -1;
	}
	put_own(f, xl);
	put_own(f, xl_tex);
	fprintf(f, "\t%zu\t%ld\t%s\t%llu\n\n\n", n, extra, us ? "us" : b.ns ? "ns" : "cycles",
		(unsigned long long)b.width);
	fwrite(rows, 1, size, f);
	free(rows);
	return 0;

err_body:
	fclose(body);
	free(rows);
	return -1;
}

/*
 * An interrupt kind's cyclictest-FIG.dat and latency-N.dat, and its row in
 * figures.dat. Returns 0, or -1 with @err set.
 */
static int write_interrupt_kind(const char *dir, const struct report *r, size_t env,
				const struct kind_ref *k, const char *fig, FILE *m,
				size_t *nlat, char err[EXITLAT_ERR_MAX])
{
	const struct series *g[r->set->n];
	size_t n = kind_series(r->set, env, k->exit, g);
	struct exitlat_atomic_file a;
	char name[300], *cname = NULL;
	FILE *f;
	int ret;

	if (asprintf(&cname, "cyclictest-%s.dat", fig) < 0)
		goto err_nomem;
	if (!(f = open_dat(&a, dir, cname, err)))
		goto err_free;
	ret = write_cyclictest(f, r, env, g, n);
	if (ret < 0) {
		exitlat_atomic_abort(&a);
		goto err_nomem;
	}
	if (ret > 0)
		exitlat_atomic_abort(&a);	/* no rate: no microseconds to count */
	else if (commit_dat(&a, dir, cname, err))
		goto err_free;
	free(cname);
	snprintf(name, sizeof(name), "latency-%zu.dat", ++*nlat);
	if (!(f = open_dat(&a, dir, name, err)))
		return -1;
	if (write_latency(f, r, env, g, n)) {
		exitlat_atomic_abort(&a);
		goto err_nomem;
	}
	if (commit_dat(&a, dir, name, err))
		return -1;
	fprintf(m, "latency-");
	put_figure(m, fig, "latency", name, k, r->set->envs[env].slug);
	return 0;

err_nomem:
	snprintf(err, EXITLAT_ERR_MAX, "%s: out of memory", dir);
err_free:
	free(cname);
	return -1;
}

/* interrupts.md: the report's interrupt section, where there are interrupt kinds. */
static int write_interrupts_md(const char *dir, const struct report *r,
			       char err[EXITLAT_ERR_MAX])
{
	struct exitlat_atomic_file a;
	char *path;

	if (!report_has_latency(r))
		return 0;
	if (asprintf(&path, "%s/interrupts.md", dir) < 0) {
		snprintf(err, EXITLAT_ERR_MAX, "%s: out of memory", dir);
		return -1;
	}
	if (exitlat_atomic_open(&a, path)) {
		snprintf(err, EXITLAT_ERR_MAX, "%s: cannot create: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	if (out_interrupts_md(a.f, r) || ferror(a.f) || exitlat_atomic_commit(&a)) {
		snprintf(err, EXITLAT_ERR_MAX, "%s: write failed: %s", path,
			 strerror(errno ? errno : EIO));
		exitlat_atomic_abort(&a);
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

/* figures.dat row: FIGURE SCRIPT DATA KIND ENV NULL (tab-separated). */
static void put_figure(FILE *f, const char *fig, const char *script, const char *data,
		       const struct kind_ref *k, const char *env)
{
	fprintf(f, "%s\t%s\t%s\t", fig, script, data);
	put_name(f, k->exit);
	fprintf(f, "\t%s\t%d\n", env, k->kind >= 0 && exitlat_exits[k->kind].is_null);
}

/* Everything the figures need: figures.dat and its kind-N.dat and rungs-E.dat. */
static int write_figures(const char *dir, const struct report *r, const struct hist_opts *h,
			 char err[EXITLAT_ERR_MAX])
{
	static const char *const per_kind[] = { "hist", "cdf", "tail" };
	const struct series_set *set = r->set;
	struct exitlat_atomic_file man, a;
	struct kind_ref *kinds = malloc(set->n * sizeof(*kinds));
	struct names used = { 0 };
	char name[64], *envfig = NULL, *fig = NULL;
	size_t group = 0, stacks = 0, nlat = 0;
	FILE *m, *f;
	int ret = -1;

	if (!kinds) {
		snprintf(err, EXITLAT_ERR_MAX, "%s: out of memory", dir);
		return -1;
	}
	if (!(m = open_dat(&man, dir, "figures.dat", err))) {
		free(kinds);
		return -1;
	}
	fputs("# file: figures\n# figure script data kind env null\n", m);
	for (size_t e = 0; e < set->nenv; e++) {
		size_t nk = env_kinds(set, e, kinds), nrungs;

		/* More than one environment: every figure name says which. */
		free(envfig);
		envfig = NULL;
		if (set->nenv > 1) {
			char *slug = fig_slug(set->envs[e].slug, 64), *sfx = NULL;

			if (!slug || asprintf(&sfx, "--%s", slug) < 0)
				sfx = NULL;
			free(slug);
			if (!sfx || !(envfig = names_take(&used, sfx)))
				goto err_nomem;
			envfig = strdup(envfig);
			if (!envfig)
				goto err_nomem;
		}
		for (size_t k = 0; k < nk; k++) {
			char *slug = fig_slug(kinds[k].exit, 48), *base = NULL;

			if (!slug || asprintf(&base, "%s%s", slug, envfig ? envfig : "") < 0)
				base = NULL;
			free(slug);
			if (!base || !(fig = names_take(&used, base)))
				goto err_nomem;
			snprintf(name, sizeof(name), "kind-%zu.dat", ++group);
			if (!(f = open_dat(&a, dir, name, err)))
				goto out;
			if (write_kind(f, r, h, e, &kinds[k])) {
				exitlat_atomic_abort(&a);
				goto err_nomem;
			}
			if (commit_dat(&a, dir, name, err))
				goto out;
			for (size_t t = 0; t < sizeof(per_kind) / sizeof(per_kind[0]); t++) {
				fprintf(m, "%s-", per_kind[t]);
				put_figure(m, fig, per_kind[t], name, &kinds[k],
					   set->envs[e].slug);
			}
			if (kinds[k].kind >= 0 &&
			    exitlat_exits[kinds[k].kind].kvm_path == EXITLAT_KVM_IRQ &&
			    write_interrupt_kind(dir, r, e, &kinds[k], fig, m, &nlat, err))
				goto out;
		}
		snprintf(name, sizeof(name), "rungs-%zu.dat", e + 1);
		if (!(f = open_dat(&a, dir, name, err)))
			goto out;
		if (write_rungs(f, r, e, &nrungs)) {
			exitlat_atomic_abort(&a);
			goto err_nomem;
		}
		if (commit_dat(&a, dir, name, err))
			goto out;
		/* No non-null kind: nothing to climb. */
		if (nrungs)
			fprintf(m, "ladder%s\tladder\t%s\t-\t%s\t0\n", envfig ? envfig : "", name,
				set->envs[e].slug);
		for (size_t i = 0; i < r->nbd; i++) {
			const struct breakdown *b = &r->bd[i];
			const struct kind_ref k = { .kind = b->trip->kind, .exit = b->trip->exit };
			char *slug, *base = NULL;

			if (b->env != e)
				continue;
			slug = fig_slug(b->trip->exit, 48);
			if (!slug || asprintf(&base, "breakdown-%s%s", slug, envfig ? envfig : "") < 0)
				base = NULL;
			free(slug);
			if (!base || !(fig = names_take(&used, base)))
				goto err_nomem;
			snprintf(name, sizeof(name), "stack-%zu.dat", ++stacks);
			if (!(f = open_dat(&a, dir, name, err)))
				goto out;
			if (write_stack(f, r, b)) {
				exitlat_atomic_abort(&a);
				goto err_nomem;
			}
			if (commit_dat(&a, dir, name, err))
				goto out;
			put_figure(m, fig, "breakdown", name, &k, set->envs[e].slug);
		}
	}
	ret = commit_dat(&man, dir, "figures.dat", err);
	goto out_free;

err_nomem:
	snprintf(err, EXITLAT_ERR_MAX, "%s: out of memory", dir);
out:
	exitlat_atomic_abort(&man);
out_free:
	free(kinds);
	free(envfig);
	names_free(&used);
	return ret;
}

/* What --gnuplot writes and nothing else: the folder may hold only these. */
static bool is_gnuplot_file(const char *name)
{
	static const char *const prefix[] = { "hist-", "cdf-", "kind-", "rungs-", "stack-",
					      "latency-", "cyclictest-" };
	size_t len = strlen(name);

	if (strstr(name, ".tmp."))	/* an atomic write cut short */
		return true;
	if (!strcmp(name, "interrupts.md"))
		return true;
	if (len < 5 || strcmp(name + len - 4, ".dat"))
		return false;
	if (!strcmp(name, "summary.dat") || !strcmp(name, "ladder.dat") ||
	    !strcmp(name, "figures.dat") || !strcmp(name, "breakdown.dat"))
		return true;
	for (size_t i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++)
		if (!strncmp(name, prefix[i], strlen(prefix[i])))
			return true;
	return false;
}

static int write_all(const char *dir, const struct report *r, const struct hist_opts *h,
		     char err[EXITLAT_ERR_MAX])
{
	struct exitlat_atomic_file a;
	char *name;
	FILE *f;

	for (size_t i = 0; i < r->set->n; i++) {
		const struct series *s = r->set->s[i];

		for (int cdf = 0; cdf < 2; cdf++) {
			name = series_file(cdf ? "cdf" : "hist", s);
			if (!name) {
				snprintf(err, EXITLAT_ERR_MAX, "%s: out of memory", dir);
				return -1;
			}
			if (!(f = open_dat(&a, dir, name, err)))
				goto err_free;
			series_meta(f, r, s, cdf ? "cdf" : "hist");
			if (cdf)
				write_cdf(f, s);
			else
				write_hist(f, s, h);
			if (commit_dat(&a, dir, name, err))
				goto err_free;
			free(name);
		}
	}
	if (!(f = open_dat(&a, dir, "summary.dat", err)))
		return -1;
	write_summary(f, r);
	if (commit_dat(&a, dir, "summary.dat", err))
		return -1;
	if (!(f = open_dat(&a, dir, "ladder.dat", err)))
		return -1;
	write_ladder(f, r);
	if (commit_dat(&a, dir, "ladder.dat", err))
		return -1;
	if (!(f = open_dat(&a, dir, "breakdown.dat", err)))
		return -1;
	write_breakdown(f, r);
	if (commit_dat(&a, dir, "breakdown.dat", err))
		return -1;
	if (write_interrupts_md(dir, r, err))
		return -1;
	return write_figures(dir, r, h, err);

err_free:
	free(name);
	return -1;
}

int out_gnuplot(const char *dir, const struct report *r, const struct hist_opts *h,
		char err[EXITLAT_ERR_MAX])
{
	struct exitlat_atomic_dir d;

	if (exitlat_atomic_dir_open(&d, dir, is_gnuplot_file, err))
		return -1;
	if (write_all(d.tmp_path, r, h, err)) {
		exitlat_atomic_dir_abort(&d);
		return -1;
	}
	return exitlat_atomic_dir_commit(&d, err);
}
