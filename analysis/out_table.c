// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitlat/exit_kind_table.h"
#include "exitlat/text.h"
#include "output.h"

/* Text from the inputs, for a terminal: no control character gets through. */
static void put_text(FILE *f, const char *s)
{
	char *l = exitlat_label(s, strlen(s), SIZE_MAX);

	fputs(l ? l : "?", f);
	free(l);
}

/* A grid of cells, printed with each column as wide as its widest cell. */
struct grid {
	size_t cols, rows, cap;
	char **cell;
};

static int grid_add(struct grid *g, const char *s)
{
	if (g->rows + 1 > g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 64;
		char **c = realloc(g->cell, cap * sizeof(*c));

		if (!c)
			return -1;
		g->cell = c;
		g->cap = cap;
	}
	/* rows counts cells until grid_print(); see there. */
	g->cell[g->rows++] = strdup(s);
	return g->cell[g->rows - 1] ? 0 : -1;
}

static void grid_print(FILE *f, struct grid *g)
{
	size_t n = g->rows, w[32] = { 0 };

	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(g->cell[i]);

		if (len > w[i % g->cols])
			w[i % g->cols] = len;
	}
	for (size_t i = 0; i < n; i++) {
		size_t c = i % g->cols;

		/* Names left-aligned, numbers right-aligned. */
		if (c == 0)
			fprintf(f, "%-*s", (int)w[c], g->cell[i]);
		else
			fprintf(f, "  %*s", (int)w[c], g->cell[i]);
		if (c + 1 == g->cols)
			fputc('\n', f);
		free(g->cell[i]);
	}
	free(g->cell);
	*g = (struct grid){ 0 };
}

static const char *const shown[] = {
	"min", "median", "mean", "p90", "p99", "p999", "p9999", "max", "stddev", "iqr",
};
#define SHOWN_NR (sizeof(shown) / sizeof(shown[0]))

static const struct stat_field *field(const char *name)
{
	for (int i = 0; i < STAT_FIELDS_NR; i++)
		if (!strcmp(stat_fields[i].name, name))
			return &stat_fields[i];
	return NULL;
}

static int series_block(FILE *f, const struct report *r, size_t env, int ns)
{
	const struct series_set *set = r->set;
	struct grid g = { .cols = SHOWN_NR + 3 };
	char buf[XDEC_STR_MAX];
	int ret = 0, any = 0;

	ret |= grid_add(&g, ns ? "series (ns)" : "series (cycles)");
	ret |= grid_add(&g, "exits checked");
	ret |= grid_add(&g, "count");
	for (size_t k = 0; k < SHOWN_NR; k++)
		ret |= grid_add(&g, shown[k]);
	for (size_t i = 0; i < set->n; i++) {
		const struct series *s = set->s[i];

		if (s->env != env || (ns && s->tsc != TSC_KNOWN))
			continue;
		any = 1;
		ret |= grid_add(&g, s->id);
		ret |= grid_add(&g, exitlat_verified_name(s->verified));
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)s->st.count);
		ret |= grid_add(&g, buf);
		for (size_t k = 0; k < SHOWN_NR; k++) {
			const struct stat_field *fl = field(shown[k]);

			if (ns)
				ret |= grid_add(&g, ld_str(series_ns(s, stat_ld(&s->st, fl)), 1,
							   "-", buf));
			else
				ret |= grid_add(&g, stat_str(&s->st, fl, buf));
		}
	}
	if (any)
		grid_print(f, &g);
	else
		for (size_t i = 0; i < g.rows; i++)
			free(g.cell[i]);
	free(g.cell);
	return ret;
}

static void ci_str(char *buf, size_t len, const struct ci *ci, int decimals)
{
	if (isfinite(ci->lo) && isfinite(ci->hi))
		snprintf(buf, len, "[%.*Lf, %.*Lf]", decimals, ci->lo, decimals, ci->hi);
	else
		snprintf(buf, len, "-");
}

/* A side's median, or "-" where that side did not measure the kind. */
static const char *side_median(const struct series *s, char buf[XDEC_STR_MAX])
{
	return s ? xdec_str(s->st.median, buf) : "-";
}

/*
 * The ladder: every non-null kind, grouped by where KVM handles it (the
 * price of each layer), with KVM's overhead where both sides measured it;
 * a kind one side did not measure is a row too, marked.
 */
static int ladder_block(FILE *f, const struct report *r, size_t env)
{
	struct grid g = { .cols = 11 };
	char buf[XDEC_STR_MAX], cbuf[96];
	int ret = 0, any = 0;
	static const char *const head[] = {
		"exit", "kvm handles it", "native median", "kvm median", "diff", "diff CI",
		"ratio", "ratio CI", "diff p99", "diff p99 CI", "measured",
	};

	for (size_t k = 0; k < 11; k++)
		ret |= grid_add(&g, head[k]);
	for (size_t i = 0; i < r->nrungs; i++) {
		const struct rung *rg = &r->rungs[i];
		const struct overhead *o = rg->ov;

		if (rg->env != env)
			continue;
		any = 1;
		ret |= grid_add(&g, (rg->kvm ? rg->kvm : rg->native)->exit);
		ret |= grid_add(&g, rg->kind >= 0 ? exitlat_kvm_path_name(rg->path) : "?");
		ret |= grid_add(&g, side_median(rg->native, buf));
		ret |= grid_add(&g, side_median(rg->kvm, buf));
		if (o) {
			ret |= grid_add(&g, xdec_str(o->diff_median.x, buf));
			ci_str(cbuf, sizeof(cbuf), &o->diff_median.ci, 1);
			ret |= grid_add(&g, cbuf);
			ret |= grid_add(&g, ld_str(o->ratio_median, 3, "-", buf));
			ci_str(cbuf, sizeof(cbuf), &o->ratio_median_ci, 3);
			ret |= grid_add(&g, cbuf);
			ret |= grid_add(&g, xdec_str(o->diff_p99.x, buf));
			ci_str(cbuf, sizeof(cbuf), &o->diff_p99.ci, 1);
			ret |= grid_add(&g, cbuf);
		} else {
			for (int k = 0; k < 6; k++)
				ret |= grid_add(&g, "-");
		}
		ret |= grid_add(&g, o ? "both" : rg->kvm ? "kvm only" : "native only");
	}
	if (any) {
		fprintf(f, "\nThe ladder, by where KVM handles the exit; KVM overhead where both "
			"sides measured it (kvm - native, cycles; %g%% bootstrap CI, %u resamples, "
			"seed %llu):\n", 100 * r->boot->confidence, r->boot->resamples,
			(unsigned long long)r->boot->seed);
		grid_print(f, &g);
		for (size_t i = 0; i < r->nov; i++)
			if (r->ov[i].env == env && r->ov[i].ci_meaningless)
				fprintf(f, "  %s: no CI: meaningless with %llu native and %llu kvm "
					"sample%s\n", r->ov[i].kvm->exit,
					(unsigned long long)r->ov[i].native->d.n,
					(unsigned long long)r->ov[i].kvm->d.n,
					r->ov[i].kvm->d.n == 1 ? "" : "s");
	} else {
		for (size_t i = 0; i < g.rows; i++)
			free(g.cell[i]);
	}
	free(g.cell);
	return ret;
}

/* "X [lo, hi]" of an estimate, "-" for a missing interval. */
static void est_str(char *buf, size_t len, const struct estimate *e)
{
	char x[XDEC_STR_MAX], ci[96];

	ci_str(ci, sizeof(ci), &e->ci, 1);
	snprintf(buf, len, "%s %s", xdec_str(e->x, x), ci);
}

/* Where the time goes (breakdown.h): per kind, its segments and their shares. */
static int breakdown_block(FILE *f, const struct report *r, size_t env)
{
	static const char *const head[] = {
		"segment", "median [CI]", "p99 [CI]", "at the median", "share", "at p99", "share",
	};
	char buf[XDEC_STR_MAX], pct[XDEC_STR_MAX], a[160], b2[160];
	int ret = 0;

	for (size_t i = 0; i < r->nbd; i++) {
		const struct breakdown *b = &r->bd[i];
		struct grid g = { .cols = 7 };

		if (b->env != env)
			continue;
		fputs("\nWhere the time goes: ", f);
		put_text(f, b->trip->exit);
		fprintf(f, ", %llu traced round trips (%zu breakdown set%s), taken under tracing:\n",
			(unsigned long long)b->trips, b->sets, b->sets == 1 ? "" : "s");
		est_str(a, sizeof(a), &b->traced_median);
		if (b->has_cost) {
			est_str(b2, sizeof(b2), &b->untraced_median);
			fprintf(f, "  median traced %s, untraced %s: tracing adds %s cycles (%s %%)\n",
				a, b2, xdec_str(b->tracing_cost, buf),
				ld_str(b->tracing_cost_pct, 1, "-", pct));
		} else {
			fprintf(f, "  median traced %s; no untraced series of the kind: tracing's cost "
				"unknown\n", a);
		}
		if (b->native) {
			est_str(a, sizeof(a), &b->native_median);
			est_str(b2, sizeof(b2), &b->native_p99);
			fprintf(f, "  native (%s): median %s, p99 %s\n", b->native->id, a, b2);
		}
		for (size_t k = 0; k < 7; k++)
			ret |= grid_add(&g, head[k]);
		for (size_t k = 0; k < b->nseg; k++) {
			const struct bd_segment *s = &b->seg[k];
			char *title = segment_title(s->s);

			ret |= grid_add(&g, title ? title : "?");
			free(title);
			est_str(a, sizeof(a), &s->median);
			ret |= grid_add(&g, a);
			est_str(a, sizeof(a), &s->p99);
			ret |= grid_add(&g, a);
			ret |= grid_add(&g, xdec_str(s->mean_mid, buf));
			snprintf(a, sizeof(a), "%s %%", ld_str(s->share_mid, 1, "-", buf));
			ret |= grid_add(&g, a);
			ret |= grid_add(&g, xdec_str(s->mean_tail, buf));
			snprintf(a, sizeof(a), "%s %%", ld_str(s->share_tail, 1, "-", buf));
			ret |= grid_add(&g, a);
		}
		grid_print(f, &g);
		fprintf(f, "  at the median: mean over the %llu trips from %llu to %llu (p45 to p55); ",
			(unsigned long long)b->n_mid, (unsigned long long)b->band_lo,
			(unsigned long long)b->band_hi);
		fprintf(f, "at p99: over the %llu trips >= %s\n", (unsigned long long)b->n_tail,
			xdec_str(b->trip_p99, buf));
		if (b->ci_meaningless)
			fputs("  no CI: meaningless with one traced trip\n", f);
	}
	return ret;
}

/* What the measuring tools dropped, per the files' headers: never confused with the trim. */
static void drops_block(FILE *f, const struct report *r, size_t env)
{
	const struct series_set *set = r->set;
	int said = 0;

	for (size_t i = 0; i < set->n; i++) {
		const struct series *s = set->s[i];

		if (s->env != env)
			continue;
		if (s->dropped) {
			fprintf(f, "  %s: %llu samples dropped while measuring (%s)\n", s->id,
				(unsigned long long)s->dropped, s->drop_reasons);
			said = 1;
		}
		if (s->drops_unrecorded) {
			fprintf(f, "  %s: samples dropped while measuring not recorded (%zu of %zu "
				"files have no 'dropped' header)\n", s->id, s->drops_unrecorded,
				s->nfiles);
			said = 1;
		}
	}
	if (!said)
		fputs("  dropped while measuring: none (per the sample headers)\n", f);
}

int out_table(FILE *f, const struct report *r)
{
	const struct series_set *set = r->set;
	char buf[XDEC_STR_MAX];
	int ret = 0;

	if (set->nenv > 1)
		fprintf(f, "%zu environments: series are compared only within one.\n", set->nenv);
	for (size_t e = 0; e < set->nenv; e++) {
		const struct env *env = &set->envs[e];
		int has_ns = 0;

		fprintf(f, "%sEnvironment: host ", e ? "\n" : "");
		put_text(f, env->host);
		fputs(", kernel ", f);
		put_text(f, env->kernel);
		fputs(", emulated ", f);
		put_text(f, env->emulated);
		fputc('\n', f);
		if (strcmp(env->emulated, "no"))
			fputs("  EMULATED (or unknown): cycles are path lengths, not hardware "
			      "time.\n", f);
		for (size_t i = 0; i < set->n; i++) {
			const struct series *s = set->s[i];

			if (s->env != e)
				continue;
			has_ns |= s->tsc == TSC_KNOWN;
			if (s->null_state == NULL_SUBTRACTED)
				fprintf(f, "  %s: null median %s subtracted (%s)\n", s->id,
					xdec_str(s->shift, buf), s->nul->id);
			else if (s->null_state == NULL_MISSING)
				fprintf(f, "  %s: NOT null-subtracted (no null series)\n", s->id);
			else if (s->null_state == NULL_LATENCY)
				fprintf(f, "  %s: a latency (interrupt delivery): no null "
					"subtracted\n", s->id);
			if (s->trimmed)
				fprintf(f, "  %s: trimmed %llu samples >= %s\n", s->id,
					(unsigned long long)s->trimmed,
					xdec_str(xdec_from_u64(s->trim_above) - s->shift, buf));
		}
		if (!r->subtract_null)
			fputs("  null not subtracted (instrument overhead included)\n", f);
		if (r->trim > 0)
			fprintf(f, "  trim: top %Lg of each series dropped\n", r->trim);
		else
			fputs("  trim: none (the analysis dropped no samples)\n", f);
		drops_block(f, r, e);
		ret |= series_block(f, r, e, 0);
		if (has_ns) {
			fputc('\n', f);
			ret |= series_block(f, r, e, 1);
		}
		ret |= ladder_block(f, r, e);
		ret |= breakdown_block(f, r, e);
	}
	if (ret)
		return -1;
	return ferror(f) ? -1 : 0;
}
