// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Interrupt kinds in the analysis (analysis/interrupts.c, series.c): never
 * null-subtracted, the 'cross' domain read, cyclictest's microsecond
 * histogram (bin edges, overflows, min/avg/max, empty, one sample, huge
 * values), the latency figure's bins, and running vs halted with intervals.
 */
#include <criterion/criterion.h>
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
