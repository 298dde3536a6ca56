// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Interrupt kinds in the analysis (analysis/interrupts.c, series.c): never
 * null-subtracted, the 'cross' domain read, cyclictest's microsecond
 * histogram (bin edges, overflows, min/avg/max, empty, one sample, huge
 * values), the latency figure's bins, and running vs halted with intervals.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitlat/exit_kind_table.h"
#include "../../analysis/interrupts.h"

static char dir[64];
static struct series_set set;

static void setup(void)
{
	strcpy(dir, "/tmp/test_analysis_interrupts.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	memset(&set, 0, sizeof(set));
}

static void teardown(void)
{
	char cmd[128];

	series_set_free(&set);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(interrupts, .init = setup, .fini = teardown);

/* A sample file of @exit in @domain with @n samples from @v, read into the set. */
static void add_file(const char *source, const char *exit, const char *domain,
		     const uint64_t *v, size_t n)
{
	char path[128], err[EXITLAT_ERR_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s-%s.samples", dir, source, exit);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "# exitlat-samples 1\n# source: %s\n# exit: %s\n# unit: cycles\n"
		"# domain: %s\n# tsc_khz: 1000000\n# host: h\n# kernel: k\n# emulated: no\n"
		"# timer_mode: tsc-deadline\n# tsc_offset: KVM_VCPU_TSC_OFFSET\n", source, exit,
		domain);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%llu\n", (unsigned long long)v[i]);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(series_set_add_file(&set, path, err), 0, "%s", err);
}

static const struct series *find(const char *id)
{
	for (size_t i = 0; i < set.n; i++)
		if (!strcmp(set.s[i]->id, id))
			return set.s[i];
	cr_assert_fail("no series %s", id);
	return NULL;
}

Test(interrupts, no_null_is_ever_subtracted_from_an_interrupt_kind)
{
	static const uint64_t nul[] = { 100, 100, 100 }, lat[] = { 1000, 2000, 3000 };
	const struct finish_opts o = { .subtract_null = true };

	add_file("kvm", "null", "guest", nul, 3);
	add_file("kvm", "cpuid", "guest", lat, 3);
	add_file("kvm", "timer", "guest", lat, 3);
	add_file("kvm", "ipi-halt", "guest", lat, 3);
	add_file("kvm", "irqfd", "cross", lat, 3);
	cr_assert_eq(series_set_finish(&set, &o), 0);
	/* a round trip is shifted by the same domain's null median ... */
	cr_assert_eq(find("kvm-cpuid")->null_state, NULL_SUBTRACTED);
	cr_assert(find("kvm-cpuid")->st.median == xdec_from_u64(1900));
	/* ... a latency never, though a null of its domain exists */
	for (const char *const *id = (const char *const[]){ "kvm-timer", "kvm-ipi-halt",
							    "kvm-irqfd", NULL }; *id; id++) {
		const struct series *s = find(*id);

		cr_assert_eq(s->null_state, NULL_LATENCY, "%s", *id);
		cr_assert(s->shift == 0, "%s", *id);
		cr_assert(s->st.median == xdec_from_u64(2000), "%s", *id);
		cr_assert(s->st.min == xdec_from_u64(1000), "%s", *id);
	}
}

Test(interrupts, the_native_intr_exit_is_a_latency_kind_too)
{
	static const uint64_t nul[] = { 50, 50 }, v[] = { 700, 900 };
	const struct finish_opts o = { .subtract_null = true };

	add_file("native", "null", "host", nul, 2);
	add_file("native", "intr-exit", "host", v, 2);
	cr_assert_eq(series_set_finish(&set, &o), 0);
	cr_assert_eq(find("native-intr-exit")->null_state, NULL_LATENCY);
	cr_assert(find("native-intr-exit")->st.median == xdec_from_u64(800));
}

Test(interrupts, a_cross_domain_file_is_a_series_of_the_cross_domain)
{
	static const uint64_t v[] = { 5, 7 };
	const struct finish_opts o = { 0 };

	add_file("kvm", "irqfd-halt", "cross", v, 2);
	cr_assert_eq(series_set_finish(&set, &o), 0);
	cr_assert_eq(find("kvm-irqfd-halt")->domain, EXITLAT_DOMAIN_CROSS);
	cr_assert(series_is_latency(find("kvm-irqfd-halt")));
}

/* A distribution of @n distinct values @v, each @c[i] times (NULL: once). */
static struct dist make_dist(const uint64_t *v, const uint64_t *c, size_t n)
{
	struct dist d = { .nd = n, .val = malloc(n * sizeof(uint64_t) + 1),
			  .cnt = malloc(n * sizeof(uint64_t) + 1),
			  .cum = malloc(n * sizeof(uint64_t) + 1) };

	for (size_t i = 0; i < n; i++) {
		d.val[i] = v[i];
		d.cnt[i] = c ? c[i] : 1;
		d.n += d.cnt[i];
		d.cum[i] = d.n;
	}
	return d;
}

Test(interrupts, a_microsecond_bin_holds_from_its_edge_to_below_the_next)
{
	/* 1 GHz: 1000 cycles a microsecond */
	static const uint64_t v[] = { 0, 999, 1000, 1999, 2000, 4999 };
	struct dist d = make_dist(v, NULL, 6);
	struct us_hist h;

	cr_assert_eq(us_hist_build(&d, 1000000, 5, &h), 0);
	cr_assert_eq(h.cnt[0], 2);
	cr_assert_eq(h.cnt[1], 2);
	cr_assert_eq(h.cnt[2], 1);
	cr_assert_eq(h.cnt[3], 0);
	cr_assert_eq(h.cnt[4], 1);
	cr_assert_eq(h.overflow, 0);
	cr_assert_eq(h.total, 6);
	cr_assert(h.min_us == 0 && h.max_us == 4);
	/* (0 + 0 + 1 + 1 + 2 + 4) / 6 whole microseconds, truncated as cyclictest */
	cr_assert(h.avg_us == 1);
	us_hist_free(&h);
}

Test(interrupts, a_latency_at_or_past_the_last_bin_is_an_overflow_never_clamped)
{
	/* 2.5 GHz: 5000 cycles are 2 us, 4999 1.9996 us */
	static const uint64_t v[] = { 4999, 5000, 7500 }, c[] = { 3, 2, 1 };
	struct dist d = make_dist(v, c, 3);
	struct us_hist h;

	cr_assert_eq(us_hist_build(&d, 2500000, 2, &h), 0);
	cr_assert_eq(h.cnt[1], 3);
	cr_assert_eq(h.overflow, 3);
	cr_assert_eq(h.cnt[0] + h.cnt[1] + h.overflow, h.total);
	/* the max is the latency's own, not the last bin's */
	cr_assert(h.max_us == 3);
	us_hist_free(&h);
}

Test(interrupts, an_empty_series_has_an_empty_histogram)
{
	struct dist d = { 0 };
	struct us_hist h;

	cr_assert_eq(us_hist_build(&d, 1000000, 3, &h), 0);
	cr_assert_eq(h.total, 0);
	cr_assert_eq(h.overflow, 0);
	cr_assert(h.min_us == 0 && h.max_us == 0 && h.avg_us == 0);
	for (size_t i = 0; i < 3; i++)
		cr_assert_eq(h.cnt[i], 0);
	us_hist_free(&h);
}

Test(interrupts, one_sample_is_its_own_min_avg_and_max)
{
	static const uint64_t v[] = { 123456 };
	struct dist d = make_dist(v, NULL, 1);
	struct us_hist h;

	cr_assert_eq(us_hist_build(&d, 3000000, 100, &h), 0);
	cr_assert_eq(h.cnt[41], 1);	/* 41.152 us */
	cr_assert(h.min_us == 41 && h.avg_us == 41 && h.max_us == 41);
	us_hist_free(&h);
}

Test(interrupts, huge_latencies_stay_exact_past_64_bits)
{
	static const uint64_t v[] = { UINT64_MAX - 1, UINT64_MAX }, c[] = { UINT64_MAX / 2, 1 };
	struct dist d = make_dist(v, c, 2);
	const unsigned __int128 us = (unsigned __int128)UINT64_MAX * 1000;
	struct us_hist h;

	/* a 1 kHz TSC: 2^64 cycles are 1.8e22 us, past what 64 bits hold */
	cr_assert_eq(us_hist_build(&d, 1, US_HIST_BINS_MAX, &h), 0);
	cr_assert(h.max_us == us);
	cr_assert(h.min_us == us - 1000);
	cr_assert(h.avg_us == us - 1000);
	cr_assert_eq(h.overflow, UINT64_MAX / 2 + 1);
	us_hist_free(&h);
}

/* The figure's bins: {p99 in cycles, tsc_khz} -> {ns?, width}. */
static const struct {
	uint64_t p99, tsc_khz;
	bool ns;
	uint64_t width;
} bin_cases[] = {
	{ 3000000, 3000000, true, 1000 },	/* 1 ms: whole microseconds */
	{ 60000, 3000000, true, 1000 },	/* 20 us: still 20 bins below p99 */
	{ 59999, 3000000, true, 500 },		/* just under */
	{ 3000, 3000000, true, 50 },		/* 1 us: 20 bins of 50 ns */
	{ 30, 3000000, true, 1 },		/* 10 ns: 1 ns, a cycle is 0.33 ns */
	{ 30, 100000, true, 10 },		/* 300 ns at 100 MHz: never under a cycle (10 ns) */
	{ 0, 1000000, true, 1 },
	{ 1000000, 0, false, 50000 },		/* no rate: 1-2-5 cycles, 20 bins under p99 */
	{ 19, 0, false, 1 },
	{ 40, 0, false, 2 },
};

Test(interrupts, the_figure_bins_finer_than_a_microsecond_only_below_20_us)
{
	for (size_t i = 0; i < sizeof(bin_cases) / sizeof(bin_cases[0]); i++) {
		struct lat_bins b;

		lat_bins_choose(xdec_from_u64(bin_cases[i].p99), bin_cases[i].tsc_khz, &b);
		cr_assert_eq(b.ns, bin_cases[i].ns, "case %zu", i);
		cr_assert_eq(b.width, bin_cases[i].width, "case %zu: %llu", i,
			     (unsigned long long)b.width);
	}
}

Test(interrupts, a_value_falls_in_the_bin_of_its_exact_nanoseconds)
{
	struct lat_bins b = { .ns = true, .width = 50, .tsc_khz = 3000000 };

	/* 150 cycles are 50 ns exactly, 149 are 49.67 ns */
	cr_assert(lat_bin_of(&b, 149) == 0);
	cr_assert(lat_bin_of(&b, 150) == 1);
	cr_assert(lat_bin_of(&b, UINT64_MAX) ==
		  (unsigned __int128)UINT64_MAX * 1000000 / (3000000ULL * 50));
	b = (struct lat_bins){ .ns = false, .width = 20 };
	cr_assert(lat_bin_of(&b, 39) == 1);
	cr_assert(lat_bin_of(&b, 40) == 2);
}

static struct boot_opts boot = { .seed = 1, .resamples = 400, .confidence = 0.95 };

Test(interrupts, halted_minus_running_is_exact_with_an_interval_around_it)
{
	uint64_t run[200], halt[200];
	const struct finish_opts o = { 0 };
	struct irq_pair *p;
	size_t n;

	for (int i = 0; i < 200; i++) {
		run[i] = 1000 + i;
		halt[i] = 5000 + 2 * i;
	}
	add_file("kvm", "ipi", "guest", run, 200);
	add_file("kvm", "ipi-halt", "guest", halt, 200);
	add_file("kvm", "irqfd", "cross", run, 200);	/* no halted twin: no pair */
	cr_assert_eq(series_set_finish(&set, &o), 0);
	cr_assert_eq(irq_pairs_compute(&set, &boot, &p, &n), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(p[0].run->exit, "ipi");
	cr_assert_str_eq(p[0].halt->exit, "ipi-halt");
	/* medians 1099.5 and 5199: 4099.5 exactly */
	cr_assert(p[0].diff_median.x == xdec_from_u64(4099) + XDEC_SCALE / 2);
	cr_assert_leq(p[0].diff_median.ci.lo, 4099.5L);
	cr_assert_geq(p[0].diff_median.ci.hi, 4099.5L);
	cr_assert_gt(p[0].diff_median.ci.lo, 3900.0L);
	cr_assert(!p[0].ci_meaningless);
	cr_assert(p[0].has_ns);
	cr_assert_float_eq((double)p[0].diff_median_ns, 4099.5, 1e-6);
	free(p);
}

Test(interrupts, a_single_halted_sample_gets_no_interval)
{
	static const uint64_t run[] = { 10, 20, 30 }, halt[] = { 90 };
	const struct finish_opts o = { 0 };
	struct irq_pair *p;
	size_t n;

	add_file("kvm", "irqfd", "cross", run, 3);
	add_file("kvm", "irqfd-halt", "cross", halt, 1);
	cr_assert_eq(series_set_finish(&set, &o), 0);
	cr_assert_eq(irq_pairs_compute(&set, &boot, &p, &n), 0);
	cr_assert_eq(n, 1);
	cr_assert(p[0].diff_median.x == xdec_from_u64(70));
	cr_assert(p[0].ci_meaningless);
	cr_assert(isnan(p[0].diff_median.ci.lo));
	free(p);
}
