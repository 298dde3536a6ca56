// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "exitlat/exit_kind_table.h"
#include "exitlat/text.h"
#include "exitlat/version.h"
#include "output.h"

/* Text from the inputs: escaped, valid UTF-8 (lib/text.c). */
static void json_str(FILE *f, const char *s)
{
	exitlat_json_str(f, s, strlen(s));
}

static void json_key_str(FILE *f, const char *key, const char *v)
{
	fprintf(f, "\"%s\": ", key);
	json_str(f, v);
}

/* JSON has no NaN: a value that does not exist is null. */
static void json_ld(FILE *f, long double v, int decimals)
{
	char buf[XDEC_STR_MAX];

	fputs(ld_str(v, decimals, "null", buf), f);
}

static void json_series(FILE *f, const struct report *r, const struct series *s)
{
	const struct env *e = &r->set->envs[s->env];
	char buf[XDEC_STR_MAX];

	fputs("    {", f);
	json_key_str(f, "id", s->id);
	fputs(", ", f);
	json_key_str(f, "env", e->slug);
	fputs(", ", f);
	json_key_str(f, "source", s->source);
	fputs(", ", f);
	json_key_str(f, "exit", s->exit);
	fputs(", ", f);
	json_key_str(f, "domain", exitlat_domain_name(s->domain));
	fputs(", \"segment\": ", f);
	if (s->segment)
		json_str(f, s->segment);
	else
		fputs("null", f);
	fputs(", ", f);
	json_key_str(f, "unit", "cycles");
	fputs(", ", f);
	json_key_str(f, "verified", exitlat_verified_name(s->verified));
	fputs(", \"files\": [", f);
	for (size_t i = 0; i < s->nfiles; i++) {
		fputs(i ? ", " : "", f);
		json_str(f, s->files[i]);
	}
	fputs("],\n     \"tsc_khz\": ", f);
	if (s->tsc == TSC_KNOWN)
		fprintf(f, "%llu", (unsigned long long)s->tsc_khz);
	else
		fputs("null", f);
	fputs(", \"null_subtracted\": ", f);
	switch (s->null_state) {
	case NULL_SUBTRACTED:
		fputs(xdec_str(s->shift, buf), f);
		break;
	case NULL_MISSING:
		fputs("null", f);
		break;
	default:
		fputs(r->subtract_null ? "0" : "false", f);
	}
	fprintf(f, ", \"trimmed\": %llu, \"trim_above\": ", (unsigned long long)s->trimmed);
	if (s->trimmed)
		fputs(xdec_str(xdec_from_u64(s->trim_above) - s->shift, buf), f);
	else
		fputs("null", f);
	fprintf(f, ",\n     \"count\": %llu, \"distinct\": %zu", (unsigned long long)s->st.count,
		s->st.distinct);
	for (int i = 0; i < STAT_FIELDS_NR; i++)
		fprintf(f, ", \"%s\": %s", stat_fields[i].name,
			stat_str(&s->st, &stat_fields[i], buf));
	if (s->tsc == TSC_KNOWN) {
		fputs(",\n    ", f);
		for (int i = 0; i < STAT_FIELDS_NR; i++) {
			fprintf(f, " \"%s_ns\": ", stat_fields[i].name);
			json_ld(f, series_ns(s, stat_ld(&s->st, &stat_fields[i])), 3);
			fputs(i + 1 < STAT_FIELDS_NR ? "," : "", f);
		}
	}
	fputs("}", f);
}

static void json_estimate(FILE *f, const char *name, const struct estimate *e)
{
	char buf[XDEC_STR_MAX];

	fprintf(f, ", \"%s\": %s, \"%s_ci\": [", name, xdec_str(e->x, buf), name);
	json_ld(f, e->ci.lo, 3);
	fputs(", ", f);
	json_ld(f, e->ci.hi, 3);
	fputs("]", f);
}

static void json_ratio(FILE *f, const char *name, long double v, const struct ci *ci)
{
	fprintf(f, ", \"%s\": ", name);
	json_ld(f, v, 6);
	fprintf(f, ", \"%s_ci\": [", name);
	json_ld(f, ci->lo, 6);
	fputs(", ", f);
	json_ld(f, ci->hi, 6);
	fputs("]", f);
}

static void json_overhead(FILE *f, const struct report *r, const struct overhead *o)
{
	fputs("    {", f);
	json_key_str(f, "env", r->set->envs[o->env].slug);
	fputs(", ", f);
	json_key_str(f, "exit", o->kvm->exit);
	fputs(", ", f);
	json_key_str(f, "native", o->native->id);
	fputs(", ", f);
	json_key_str(f, "kvm", o->kvm->id);
	fputs(",\n    ", f);
	json_key_str(f, "step", kvm_step(o->kvm->kind));
	json_estimate(f, "native_median", &o->native_median);
	json_estimate(f, "kvm_median", &o->kvm_median);
	json_estimate(f, "diff_median", &o->diff_median);
	json_ratio(f, "ratio_median", o->ratio_median, &o->ratio_median_ci);
	fputs(",\n    ", f);
	json_key_str(f, "kvm_domain", exitlat_domain_name(o->kvm->domain));
	json_estimate(f, "native_p99", &o->native_p99);
	json_estimate(f, "kvm_p99", &o->kvm_p99);
	json_estimate(f, "diff_p99", &o->diff_p99);
	json_ratio(f, "ratio_p99", o->ratio_p99, &o->ratio_p99_ci);
	if (o->has_ns) {
		fputs(",\n     \"diff_median_ns\": ", f);
		json_ld(f, o->diff_median_ns, 3);
		fputs(", \"diff_p99_ns\": ", f);
		json_ld(f, o->diff_p99_ns, 3);
	}
	fputs("}", f);
}

/* A rung of the ladder: where KVM handles the kind, and what each side measured. */
static void json_rung(FILE *f, const struct report *r, const struct rung *g)
{
	char buf[XDEC_STR_MAX];

	fputs("    {", f);
	json_key_str(f, "env", r->set->envs[g->env].slug);
	fputs(", ", f);
	json_key_str(f, "exit", (g->kvm ? g->kvm : g->native)->exit);
	fputs(", ", f);
	json_key_str(f, "kvm_path", g->kind >= 0 ? exitlat_kvm_path_name(g->path) : "unknown");
	fputs(", ", f);
	json_key_str(f, "measured", g->ov ? "both" : g->kvm ? "kvm" : "native");
	fputs(",\n     \"native_median\": ", f);
	fputs(g->native ? xdec_str(g->native->st.median, buf) : "null", f);
	fputs(", \"kvm_median\": ", f);
	fputs(g->kvm ? xdec_str(g->kvm->st.median, buf) : "null", f);
	fputs("}", f);
}

/* ", "NAME_ns": V" when @s knows its TSC rate. */
static void json_ns(FILE *f, const struct series *s, const char *name, xdec x)
{
	if (s->tsc != TSC_KNOWN)
		return;
	fprintf(f, ", \"%s_ns\": ", name);
	json_ld(f, series_ns(s, xdec_to_ld(x)), 3);
}

static void json_segment(FILE *f, const struct bd_segment *g)
{
	char buf[XDEC_STR_MAX];

	fputs("       {", f);
	json_key_str(f, "segment", g->s->segment);
	fputs(", ", f);
	json_key_str(f, "series", g->s->id);
	fprintf(f, ", \"merged\": %s, \"covers\": ", g->s->merged ? "true" : "false");
	if (g->s->covers)
		json_str(f, g->s->covers);
	else
		fputs("null", f);
	fputs("\n        ", f);
	json_estimate(f, "median", &g->median);
	json_estimate(f, "p99", &g->p99);
	json_ns(f, g->s, "median", g->median.x);
	json_ns(f, g->s, "p99", g->p99.x);
	fprintf(f, ",\n         \"mean_median_band\": %s, \"share_median\": ",
		xdec_str(g->mean_mid, buf));
	json_ld(f, g->share_mid, 4);
	fprintf(f, ", \"mean_p99_tail\": %s, \"share_p99\": ", xdec_str(g->mean_tail, buf));
	json_ld(f, g->share_tail, 4);
	fputs("}", f);
}

static void json_breakdown(FILE *f, const struct report *r, const struct breakdown *b)
{
	char buf[XDEC_STR_MAX];

	fputs("    {", f);
	json_key_str(f, "env", r->set->envs[b->env].slug);
	fputs(", ", f);
	json_key_str(f, "exit", b->trip->exit);
	fputs(", ", f);
	json_key_str(f, "domain", exitlat_domain_name(b->trip->domain));
	fputs(", ", f);
	json_key_str(f, "trip", b->trip->id);
	fprintf(f, ", \"sets\": %zu, \"trips\": %llu,\n     \"tracing\": \"taken under "
		"tracing\"", b->sets, (unsigned long long)b->trips);
	json_estimate(f, "traced_median", &b->traced_median);
	json_estimate(f, "traced_p99", &b->traced_p99);
	json_ns(f, b->trip, "traced_median", b->traced_median.x);
	fputs(",\n     \"untraced\": ", f);
	if (b->untraced) {
		json_str(f, b->untraced->id);
		json_estimate(f, "untraced_median", &b->untraced_median);
		json_ns(f, b->untraced, "untraced_median", b->untraced_median.x);
		fprintf(f, ", \"tracing_cost\": %s, \"tracing_cost_pct\": ",
			xdec_str(b->tracing_cost, buf));
		json_ld(f, b->tracing_cost_pct, 4);
	} else {
		fputs("null, \"untraced_median\": null, \"tracing_cost\": null, "
		      "\"tracing_cost_pct\": null", f);
	}
	fputs(",\n     \"native\": ", f);
	if (b->native) {
		json_str(f, b->native->id);
		json_estimate(f, "native_median", &b->native_median);
		json_estimate(f, "native_p99", &b->native_p99);
	} else {
		fputs("null, \"native_median\": null, \"native_p99\": null", f);
	}
	fprintf(f, ",\n     \"median_band\": {\"from\": %llu, \"to\": %llu, \"trips\": %llu, ",
		(unsigned long long)b->band_lo, (unsigned long long)b->band_hi,
		(unsigned long long)b->n_mid);
	fprintf(f, "\"trip_median\": %s, ", xdec_str(b->trip_median, buf));
	fprintf(f, "\"trip_mean\": %s},\n", xdec_str(b->trip_mean_mid, buf));
	fprintf(f, "     \"p99_tail\": {\"from\": %s, \"trips\": %llu, ",
		xdec_str(b->trip_p99, buf), (unsigned long long)b->n_tail);
	fprintf(f, "\"trip_mean\": %s},\n     \"segments\": [\n", xdec_str(b->trip_mean_tail, buf));
	for (size_t k = 0; k < b->nseg; k++) {
		json_segment(f, &b->seg[k]);
		fputs(k + 1 < b->nseg ? ",\n" : "\n", f);
	}
	fputs("     ]}", f);
}

/* Running vs halted target of one environment (interrupts.h): halted - running. */
static void json_pair(FILE *f, const struct report *r, const struct irq_pair *p)
{
	fputs("    {", f);
	json_key_str(f, "env", r->set->envs[p->env].slug);
	fputs(", ", f);
	json_key_str(f, "running", p->run->id);
	fputs(", ", f);
	json_key_str(f, "halted", p->halt->id);
	fputs("\n    ", f);
	json_estimate(f, "diff_median", &p->diff_median);
	json_estimate(f, "diff_p99", &p->diff_p99);
	if (p->has_ns) {
		fputs(", \"diff_median_ns\": ", f);
		json_ld(f, p->diff_median_ns, 3);
		fputs(", \"diff_p99_ns\": ", f);
		json_ld(f, p->diff_p99_ns, 3);
	}
	fputs("}", f);
}

int out_json(FILE *f, const struct report *r)
{
	const struct series_set *set = r->set;

	fprintf(f, "{\n  \"tool\": \"exitlat-analyze %s\",\n", EXITLAT_VERSION);
	fprintf(f, "  \"null_subtracted\": %s,\n", r->subtract_null ? "true" : "false");
	fprintf(f, "  \"trim_fraction\": %Lg,\n", r->trim);
	fprintf(f, "  \"seed\": %llu,\n  \"bootstrap_resamples\": %u,\n  \"confidence\": %g,\n",
		(unsigned long long)r->boot->seed, r->boot->resamples, r->boot->confidence);
	fputs("  \"environments\": [\n", f);
	for (size_t i = 0; i < set->nenv; i++) {
		fputs("    {", f);
		json_key_str(f, "env", set->envs[i].slug);
		fputs(", ", f);
		json_key_str(f, "host", set->envs[i].host);
		fputs(", ", f);
		json_key_str(f, "kernel", set->envs[i].kernel);
		fputs(", ", f);
		json_key_str(f, "emulated", set->envs[i].emulated);
		fputs(i + 1 < set->nenv ? "},\n" : "}\n", f);
	}
	fputs("  ],\n  \"series\": [\n", f);
	for (size_t i = 0; i < set->n; i++) {
		json_series(f, r, set->s[i]);
		fputs(i + 1 < set->n ? ",\n" : "\n", f);
	}
	fputs("  ],\n  \"overhead\": [\n", f);
	for (size_t i = 0; i < r->nov; i++) {
		json_overhead(f, r, &r->ov[i]);
		fputs(i + 1 < r->nov ? ",\n" : "\n", f);
	}
	fputs("  ],\n  \"ladder\": [\n", f);
	for (size_t i = 0; i < r->nrungs; i++) {
		json_rung(f, r, &r->rungs[i]);
		fputs(i + 1 < r->nrungs ? ",\n" : "\n", f);
	}
	fputs("  ],\n  \"breakdown\": [\n", f);
	for (size_t i = 0; i < r->nbd; i++) {
		json_breakdown(f, r, &r->bd[i]);
		fputs(i + 1 < r->nbd ? ",\n" : "\n", f);
	}
	fputs("  ],\n  \"running_vs_halted\": [\n", f);
	for (size_t i = 0; i < r->npairs; i++) {
		json_pair(f, r, &r->pairs[i]);
		fputs(i + 1 < r->npairs ? ",\n" : "\n", f);
	}
	fputs("  ]\n}\n", f);
	return ferror(f) ? -1 : 0;
}
