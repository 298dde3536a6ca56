// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The report's "Interrupt latency" section (--gnuplot DIR/interrupts.md):
 * built here so that scripts/lib/report.sh only places it. Outside text
 * (hosts, kernels, kinds, ids) goes through exitlat_md_text(); EMULATED
 * environments get no nanoseconds, as everywhere in the report.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "exitlat/text.h"
#include "output.h"

bool report_has_latency(const struct report *r)
{
	for (size_t i = 0; i < r->set->n; i++)
		if (series_is_latency(r->set->s[i]) && !series_is_segment(r->set->s[i]))
			return true;
	return false;
}

static void md(FILE *f, const char *s)
{
	exitlat_md_text(f, s, strlen(s));
}

static bool emulated(const struct env *e)
{
	return strcmp(e->emulated, "no") != 0;
}

/* " | N" in ns, or " | -" without a rate or for emulated data. */
static void put_ns(FILE *f, const struct series *s, bool emu, long double cycles)
{
	long double ns = emu ? NAN : series_ns(s, cycles);

	if (isfinite(ns))
		fprintf(f, " | %.0Lf", ns);
	else
		fputs(" | -", f);
}

/* "X [lo, hi]", "X" where there is no interval. */
static void put_est(FILE *f, const struct estimate *e)
{
	char buf[XDEC_STR_MAX];

	fprintf(f, " | %s", xdec_str(e->x, buf));
	if (isfinite(e->ci.lo) && isfinite(e->ci.hi))
		fprintf(f, " [%.1Lf, %.1Lf]", e->ci.lo, e->ci.hi);
}

static void env_block(FILE *f, const struct report *r, size_t env)
{
	const struct env *e = &r->set->envs[env];
	bool emu = emulated(e), any = false;
	char buf[XDEC_STR_MAX];

	/* always: the section is read alone too (the history keeps the report) */
	{
		fputs("**", f);
		md(f, e->host);
		fputs(", kernel ", f);
		md(f, e->kernel);
		fputs(emu ? ", EMULATED (" : "", f);
		if (emu)
			md(f, e->emulated);
		fputs(emu ? ")**\n\n" : "**\n\n", f);
	}
	for (size_t i = 0; i < r->set->n; i++) {
		const struct series *s = r->set->s[i];

		if (s->env != env || !series_is_latency(s) || series_is_segment(s))
			continue;
		if (!any)
			fputs("| kind | series | timed in | samples | median | p99 | max | "
			      "median ns | p99 ns | max ns |\n"
			      "|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n", f);
		any = true;
		fputs("| ", f);
		md(f, s->exit);
		fputs(" | ", f);
		md(f, s->id);
		fputs(" | ", f);
		md(f, exitlat_domain_name(s->domain));
		fprintf(f, " | %llu", (unsigned long long)s->st.count);
		fprintf(f, " | %s", xdec_str(s->st.median, buf));
		fprintf(f, " | %s", xdec_str(s->st.p99, buf));
		fprintf(f, " | %s", xdec_str(s->st.max, buf));
		put_ns(f, s, emu, xdec_to_ld(s->st.median));
		put_ns(f, s, emu, xdec_to_ld(s->st.p99));
		put_ns(f, s, emu, xdec_to_ld(s->st.max));
		fputs(" |\n", f);
	}
	if (!any)
		fputs("_No interrupt kind here._\n", f);
	fputc('\n', f);
	any = false;
	for (size_t i = 0; i < r->npairs; i++) {
		const struct irq_pair *p = &r->pairs[i];

		if (p->env != env)
			continue;
		if (!any)
			fprintf(f, "Running vs halted target: halted - running, cycles; exact, "
				"[%g %% CI] (bootstrap, %u resamples, seed %llu):\n\n"
				"| kinds | running median | halted median | median: halted - "
				"running | p99: halted - running | median, ns |\n"
				"|---|---:|---:|---:|---:|---:|\n", 100 * r->boot->confidence,
				r->boot->resamples, (unsigned long long)r->boot->seed);
		any = true;
		fputs("| ", f);
		md(f, p->run->exit);
		fputs(" vs ", f);
		md(f, p->halt->exit);
		fprintf(f, " | %s", xdec_str(p->run->st.median, buf));
		fprintf(f, " | %s", xdec_str(p->halt->st.median, buf));
		put_est(f, &p->diff_median);
		put_est(f, &p->diff_p99);
		if (p->has_ns && !emu)
			fprintf(f, " | %.0Lf |\n", p->diff_median_ns);
		else
			fputs(" | - |\n", f);
	}
	if (any) {
		fputc('\n', f);
		for (size_t i = 0; i < r->npairs; i++)
			if (r->pairs[i].env == env && r->pairs[i].ci_meaningless)
				fprintf(f, "No interval for %s: a side has a single sample.\n\n",
					r->pairs[i].halt->exit);
	}
}

int out_interrupts_md(FILE *f, const struct report *r)
{
	fputs("Latencies from an event to the handler that sees it, not round trips: no null "
	      "kind is subtracted from them. Timed in *cross*: the host's TSC just before the "
	      "event, the guest handler's TSC with the guest's TSC offset removed; *guest*: "
	      "the guest's own TSC (timer: the handler against its deadline); *host*: "
	      "exitlat.ko's round trip with an interrupt pending. Cycles; nanoseconds from the "
	      "samples' TSC rate, none for EMULATED data. Histograms in cyclictest's format "
	      "(`-h`: whole microseconds per row) are `gnuplot/cyclictest-KIND.dat`.\n\n", f);
	for (size_t e = 0; e < r->set->nenv; e++) {
		bool has = false;

		for (size_t i = 0; i < r->set->n && !has; i++)
			has = r->set->s[i]->env == e && series_is_latency(r->set->s[i]);
		if (has)
			env_block(f, r, e);
	}
	return ferror(f) ? -1 : 0;
}
