// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "exitlat/exit_kind_table.h"
#include "exitlat/text.h"
#include "output.h"

/* RFC 4180, text from the inputs kept valid UTF-8 (lib/text.c). */
static void csv_field(FILE *f, const char *s, int first)
{
	if (!first)
		fputc(',', f);
	exitlat_csv_field(f, s, strlen(s));
}

static void csv_ld(FILE *f, long double v, int decimals)
{
	char buf[XDEC_STR_MAX];

	csv_field(f, ld_str(v, decimals, "", buf), 0);
}

int out_csv(FILE *f, const struct report *r)
{
	static const char *const head[] = {
		"id", "env", "source", "exit", "domain", "host", "kernel", "emulated",
		"tsc_khz", "null_subtracted", "trimmed", "trim_above", "count", "distinct",
	};
	const struct series_set *set = r->set;
	char buf[XDEC_STR_MAX], name[32];

	for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		csv_field(f, head[i], i == 0);
	for (int i = 0; i < STAT_FIELDS_NR; i++)
		csv_field(f, stat_fields[i].name, 0);
	for (int i = 0; i < STAT_FIELDS_NR; i++) {
		snprintf(name, sizeof(name), "%s_ns", stat_fields[i].name);
		csv_field(f, name, 0);
	}
	csv_field(f, "segment", 0);
	fputs("\r\n", f);
	for (size_t i = 0; i < set->n; i++) {
		const struct series *s = set->s[i];
		const struct env *e = &set->envs[s->env];

		csv_field(f, s->id, 1);
		csv_field(f, e->slug, 0);
		csv_field(f, s->source, 0);
		csv_field(f, s->exit, 0);
		csv_field(f, exitlat_domain_name(s->domain), 0);
		csv_field(f, e->host, 0);
		csv_field(f, e->kernel, 0);
		csv_field(f, e->emulated, 0);
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)s->tsc_khz);
		csv_field(f, s->tsc == TSC_KNOWN ? buf : "", 0);
		csv_field(f, s->null_state == NULL_SUBTRACTED ? xdec_str(s->shift, buf) :
			     s->null_state == NULL_MISSING ? "none" :
			     s->null_state == NULL_IS_NULL ||
			     s->null_state == NULL_LATENCY ? "0" : "no", 0);
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)s->trimmed);
		csv_field(f, buf, 0);
		csv_field(f, s->trimmed ? xdec_str(xdec_from_u64(s->trim_above) - s->shift, buf)
					: "", 0);
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)s->st.count);
		csv_field(f, buf, 0);
		snprintf(buf, sizeof(buf), "%zu", s->st.distinct);
		csv_field(f, buf, 0);
		for (int k = 0; k < STAT_FIELDS_NR; k++)
			csv_field(f, stat_str(&s->st, &stat_fields[k], buf), 0);
		for (int k = 0; k < STAT_FIELDS_NR; k++)
			csv_ld(f, series_ns(s, stat_ld(&s->st, &stat_fields[k])), 3);
		csv_field(f, s->segment ? s->segment : "", 0);
		fputs("\r\n", f);
	}
	return ferror(f) ? -1 : 0;
}

static void csv_estimate(FILE *f, const struct estimate *e)
{
	char buf[XDEC_STR_MAX];

	csv_field(f, xdec_str(e->x, buf), 0);
	csv_ld(f, e->ci.lo, 3);
	csv_ld(f, e->ci.hi, 3);
}

static void csv_ratio(FILE *f, long double v, const struct ci *ci)
{
	csv_ld(f, v, 6);
	csv_ld(f, ci->lo, 6);
	csv_ld(f, ci->hi, 6);
}

int out_csv_overhead(FILE *f, const struct report *r)
{
	fputs("env,exit,native,kvm,native_median,native_median_lo,native_median_hi,"
	      "kvm_median,kvm_median_lo,kvm_median_hi,diff_median,diff_median_lo,"
	      "diff_median_hi,ratio_median,ratio_median_lo,ratio_median_hi,native_p99,"
	      "native_p99_lo,native_p99_hi,kvm_p99,kvm_p99_lo,kvm_p99_hi,diff_p99,"
	      "diff_p99_lo,diff_p99_hi,ratio_p99,ratio_p99_lo,ratio_p99_hi,"
	      "diff_median_ns,diff_p99_ns,null_subtracted\r\n", f);
	for (size_t i = 0; i < r->nov; i++) {
		const struct overhead *o = &r->ov[i];

		csv_field(f, r->set->envs[o->env].slug, 1);
		csv_field(f, o->kvm->exit, 0);
		csv_field(f, o->native->id, 0);
		csv_field(f, o->kvm->id, 0);
		csv_estimate(f, &o->native_median);
		csv_estimate(f, &o->kvm_median);
		csv_estimate(f, &o->diff_median);
		csv_ratio(f, o->ratio_median, &o->ratio_median_ci);
		csv_estimate(f, &o->native_p99);
		csv_estimate(f, &o->kvm_p99);
		csv_estimate(f, &o->diff_p99);
		csv_ratio(f, o->ratio_p99, &o->ratio_p99_ci);
		csv_ld(f, o->has_ns ? o->diff_median_ns : NAN, 3);
		csv_ld(f, o->has_ns ? o->diff_p99_ns : NAN, 3);
		csv_field(f, r->subtract_null ? "yes" : "no", 0);
		fputs("\r\n", f);
	}
	return ferror(f) ? -1 : 0;
}

static void csv_xdec(FILE *f, xdec x)
{
	char buf[XDEC_STR_MAX];

	csv_field(f, xdec_str(x, buf), 0);
}

static void csv_u64(FILE *f, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	csv_field(f, buf, 0);
}

/* An estimate that may not exist: three empty fields then. */
static void csv_estimate_if(FILE *f, bool exists, const struct estimate *e)
{
	if (exists)
		csv_estimate(f, e);
	else
		fputs(",,,", f);
}

int out_csv_breakdown(FILE *f, const struct report *r)
{
	fputs("env,exit,domain,trip,segment,series,merged,covers,median,median_lo,median_hi,"
	      "p99,p99_lo,p99_hi,mean_median_band,share_median,mean_p99_tail,share_p99,sets,"
	      "trips,band_from,band_to,band_trips,tail_from,tail_trips,traced_median,"
	      "traced_median_lo,traced_median_hi,untraced_median,untraced_median_lo,"
	      "untraced_median_hi,tracing_cost,tracing_cost_pct,native_median,native_median_lo,"
	      "native_median_hi,native_p99,native_p99_lo,native_p99_hi,median_ns,p99_ns\r\n", f);
	for (size_t i = 0; i < r->nbd; i++) {
		const struct breakdown *b = &r->bd[i];

		for (size_t k = 0; k < b->nseg; k++) {
			const struct bd_segment *g = &b->seg[k];

			csv_field(f, r->set->envs[b->env].slug, 1);
			csv_field(f, b->trip->exit, 0);
			csv_field(f, exitlat_domain_name(b->trip->domain), 0);
			csv_field(f, b->trip->id, 0);
			csv_field(f, g->s->segment, 0);
			csv_field(f, g->s->id, 0);
			csv_field(f, g->s->merged ? "yes" : "no", 0);
			csv_field(f, g->s->covers ? g->s->covers : "", 0);
			csv_estimate(f, &g->median);
			csv_estimate(f, &g->p99);
			csv_xdec(f, g->mean_mid);
			csv_ld(f, g->share_mid, 4);
			csv_xdec(f, g->mean_tail);
			csv_ld(f, g->share_tail, 4);
			csv_u64(f, b->sets);
			csv_u64(f, b->trips);
			csv_u64(f, b->band_lo);
			csv_u64(f, b->band_hi);
			csv_u64(f, b->n_mid);
			csv_xdec(f, b->trip_p99);
			csv_u64(f, b->n_tail);
			csv_estimate(f, &b->traced_median);
			csv_estimate_if(f, b->untraced, &b->untraced_median);
			if (b->has_cost) {
				csv_xdec(f, b->tracing_cost);
				csv_ld(f, b->tracing_cost_pct, 4);
			} else {
				fputs(",,", f);
			}
			csv_estimate_if(f, b->native, &b->native_median);
			csv_estimate_if(f, b->native, &b->native_p99);
			csv_ld(f, series_ns(g->s, xdec_to_ld(g->median.x)), 3);
			csv_ld(f, series_ns(g->s, xdec_to_ld(g->p99.x)), 3);
			fputs("\r\n", f);
		}
	}
	return ferror(f) ? -1 : 0;
}
