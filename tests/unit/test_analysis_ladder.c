// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The ladder's rungs (analysis/overhead.c): grouped by where KVM handles a
 * kind, fast path before kernel before user space, table order within a
 * group; a kind measured on one side only is still a rung; null kinds are not.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "exitlat/exit_kind_table.h"
#include "../../analysis/overhead.h"

#define MAX_SERIES 16

static struct series store[MAX_SERIES];
static struct series *ptrs[MAX_SERIES];
static struct series_set set;

static void add(size_t env, const char *source, int kind)
{
	struct series *s = &store[set.n];

	*s = (struct series){
		.env = env,
		.source = (char *)source,
		.exit = (char *)(kind >= 0 ? exitlat_exits[kind].name : "vmfunc"),
		.kind = kind,
	};
	ptrs[set.n++] = s;
}

static void setup(void)
{
	memset(&set, 0, sizeof(set));
	set.s = ptrs;
}

TestSuite(ladder, .init = setup);

Test(ladder, groups_by_where_kvm_handles_the_kind_and_keeps_one_sided_kinds)
{
	static const struct {
		int kind;
		enum exitlat_kvm_path path;
		bool native, kvm;
	} want[] = {
		{ EXITLAT_EXIT_IOEVENTFD_PIO, EXITLAT_KVM_FASTPATH, false, true },
		{ EXITLAT_EXIT_CPUID, EXITLAT_KVM_KERNEL, true, true },
		{ EXITLAT_EXIT_RDMSR, EXITLAT_KVM_KERNEL, true, false },
		{ EXITLAT_EXIT_PIO, EXITLAT_KVM_USER, true, true },
		{ EXITLAT_EXIT_RDMSR_USER, EXITLAT_KVM_USER, false, true },
		{ -1, EXITLAT_KVM_NONE, false, true },
	};
	/* store[1] and [5] are cpuid's sides, [2] and [6] pio's (added below) */
	struct overhead ov[] = {
		{ .native = &store[1], .kvm = &store[5] },
		{ .native = &store[2], .kvm = &store[6] },
	};
	struct rung *r;
	size_t n;

	/* as series_set sorts them: native first, then table order */
	add(0, "native", EXITLAT_EXIT_NULL_KIND);
	add(0, "native", EXITLAT_EXIT_CPUID);
	add(0, "native", EXITLAT_EXIT_PIO);
	add(0, "native", EXITLAT_EXIT_RDMSR);
	add(0, "kvm", EXITLAT_EXIT_NULL_KIND);
	add(0, "kvm", EXITLAT_EXIT_CPUID);
	add(0, "kvm", EXITLAT_EXIT_PIO);
	add(0, "kvm", EXITLAT_EXIT_NULL_HOST);
	add(0, "kvm", EXITLAT_EXIT_RDMSR_USER);
	add(0, "kvm", EXITLAT_EXIT_IOEVENTFD_PIO);
	add(0, "kvm", -1);
	cr_assert_eq(ladder_compute(&set, ov, 2, &r, &n), 0);
	cr_assert_eq(n, sizeof(want) / sizeof(want[0]), "%zu rungs", n);
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(r[i].kind, want[i].kind, "rung %zu: kind %d", i, r[i].kind);
		cr_assert_eq(r[i].path, want[i].path, "rung %zu", i);
		cr_assert_eq(r[i].native != NULL, want[i].native, "rung %zu: native side", i);
		cr_assert_eq(r[i].kvm != NULL, want[i].kvm, "rung %zu: kvm side", i);
		cr_assert_eq(r[i].ov != NULL, want[i].native && want[i].kvm, "rung %zu", i);
	}
	cr_assert_eq(r[1].ov, &ov[0]);
	free(r);
}

Test(ladder, each_environment_has_its_own_rungs)
{
	struct rung *r;
	size_t n;

	add(0, "kvm", EXITLAT_EXIT_HLT);
	add(1, "kvm", EXITLAT_EXIT_CPUID);
	add(1, "kvm", EXITLAT_EXIT_HLT);
	cr_assert_eq(ladder_compute(&set, NULL, 0, &r, &n), 0);
	cr_assert_eq(n, 3);
	cr_assert_eq(r[0].env, 0);
	cr_assert_eq(r[1].env, 1);
	cr_assert_eq(r[1].kind, EXITLAT_EXIT_CPUID);
	cr_assert_eq(r[2].kind, EXITLAT_EXIT_HLT);
	free(r);
}

Test(ladder, by_file_has_no_ladder)
{
	struct rung *r;
	size_t n = 7;

	add(0, "kvm", EXITLAT_EXIT_HLT);
	set.by_file = true;
	cr_assert_eq(ladder_compute(&set, NULL, 0, &r, &n), 0);
	cr_assert_eq(n, 0);
	cr_assert_null(r);
}
