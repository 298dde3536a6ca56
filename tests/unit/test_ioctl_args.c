// SPDX-License-Identifier: GPL-2.0 OR MIT
/* ioctl argument validation (module/kernel/args.c) and the ABI's shape. */
#include <criterion/criterion.h>
#include <stddef.h>
#include <string.h>

#include "exitlat/exit_kind_table.h"
#include "exitlat/ioctl.h"
#include "../../module/kernel/args.h"

static uint64_t buf[4];

static struct exitlat_run good(void)
{
	return (struct exitlat_run){
		.cpu = 1,
		.exit_kind = EXITLAT_EXIT_CPUID,
		.mode = EXITLAT_MODE_ROUNDTRIP,
		.samples_ptr = (uintptr_t)buf,
		.max_samples = 4,
	};
}

static void expect_bad(struct exitlat_run r, const char *field)
{
	const char *got = "(none)";

	cr_assert_eq(exitlat_run_args_check(&r, 4, &got), -EINVAL, "expected %s refused", field);
	cr_assert_str_eq(got, field);
}

Test(ioctl_args, a_good_run_passes)
{
	struct exitlat_run r = good();
	const char *f = NULL;

	cr_assert_eq(exitlat_run_args_check(&r, 4, &f), 0);
	r.mode = EXITLAT_MODE_EXIT;
	r.max_samples = EXITLAT_RUN_MAX_SAMPLES;
	r.budget_us = EXITLAT_RUN_MAX_US;
	cr_assert_eq(exitlat_run_args_check(&r, 4, &f), 0);
}

/* The pending list, spelled out again for an independent expectation. */
#define PENDING_ROW(id) [EXITLAT_EXIT_##id] = 1,
static const int pending[EXITLAT_EXIT_NR] = { EXITLAT_NATIVE_PENDING(PENDING_ROW) };

Test(ioctl_args, every_native_kind_passes_and_kvm_only_and_pending_kinds_fail)
{
	for (unsigned int k = 0; k < EXITLAT_EXIT_NR; k++) {
		struct exitlat_run r = good();
		const char *f = NULL;
		int native = exitlat_exits[k].native_domain != EXITLAT_DOMAIN_NONE && !pending[k];

		r.exit_kind = k;
		cr_assert_eq(exitlat_run_args_check(&r, 4, &f), native ? 0 : -EINVAL, "kind %u", k);
	}
}

Test(ioctl_args, intr_exit_runs_as_a_round_trip)
{
	struct exitlat_run r = good();
	const char *f = NULL;

	r.exit_kind = EXITLAT_EXIT_INTR_EXIT;
	cr_assert_eq(exitlat_run_args_check(&r, 4, &f), 0, "refused field %s", f ? f : "(none)");
}

Test(ioctl_args, each_bad_field_is_named)
{
	struct exitlat_run r;

	r = good(); r.cpu = 4; expect_bad(r, "cpu");
	r = good(); r.exit_kind = EXITLAT_EXIT_NR; expect_bad(r, "exit_kind");
	r = good(); r.exit_kind = EXITLAT_EXIT_MMIO; expect_bad(r, "exit_kind");
	r = good(); r.mode = EXITLAT_MODE_NR; expect_bad(r, "mode");
	r = good(); r.exit_kind = EXITLAT_EXIT_NULL_KIND; r.mode = EXITLAT_MODE_ENTRY;
	expect_bad(r, "mode");
	/* intr-exit's guest runs no instruction, so it reads no TSC either */
	r = good(); r.exit_kind = EXITLAT_EXIT_INTR_EXIT; r.mode = EXITLAT_MODE_EXIT;
	expect_bad(r, "mode");
	r = good(); r.flags = 0x80000000u; expect_bad(r, "flags");
	r = good(); r.samples_ptr = 0; expect_bad(r, "samples_ptr");
	r = good(); r.max_samples = 0; expect_bad(r, "max_samples");
	r = good(); r.max_samples = EXITLAT_RUN_MAX_SAMPLES + 1; expect_bad(r, "max_samples");
	r = good(); r.budget_us = EXITLAT_RUN_MAX_US + 1; expect_bad(r, "budget_us");
	r = good(); r.reserved_in[0] = 1; expect_bad(r, "reserved_in");
	r = good(); r.reserved_in[1] = 1ull << 63; expect_bad(r, "reserved_in");
}

Test(ioctl_args, info_checks_cpu_and_reserved)
{
	struct exitlat_info q = { .cpu = 0 };
	const char *f = NULL;

	cr_assert_eq(exitlat_info_args_check(&q, 1, &f), 0);
	q.cpu = 1;
	cr_assert_eq(exitlat_info_args_check(&q, 1, &f), -EINVAL);
	cr_assert_str_eq(f, "cpu");
	q = (struct exitlat_info){ .reserved0 = 7 };
	cr_assert_eq(exitlat_info_args_check(&q, 1, &f), -EINVAL);
	cr_assert_str_eq(f, "reserved0");
}

Test(ioctl_args, budget_defaults_and_scales_with_tsc)
{
	cr_assert_eq(exitlat_budget_cycles(0, 3000000), (uint64_t)EXITLAT_RUN_DEFAULT_US * 3000);
	cr_assert_eq(exitlat_budget_cycles(1000, 2500000), 2500000ull);
	cr_assert_eq(exitlat_budget_cycles(1, 1000), 1ull);
}

Test(ioctl_abi, structs_are_naturally_aligned_and_sized_in_the_command)
{
	cr_assert_eq(sizeof(struct exitlat_run) % 8, 0);
	cr_assert_eq(sizeof(struct exitlat_info) % 8, 0);
	cr_assert_eq(offsetof(struct exitlat_run, samples_ptr) % 8, 0);
	cr_assert_eq(offsetof(struct exitlat_run, exit_reason) % 8, 0);
	cr_assert_eq(offsetof(struct exitlat_info, msr) % 8, 0);
	cr_assert_eq(_IOC_SIZE(EXITLAT_IOC_RUN), sizeof(struct exitlat_run));
	cr_assert_eq(_IOC_SIZE(EXITLAT_IOC_INFO), sizeof(struct exitlat_info));
	cr_assert_eq(_IOC_TYPE(EXITLAT_IOC_RUN), EXITLAT_IOCTL_MAGIC);
	cr_assert_neq(EXITLAT_IOC_RUN, EXITLAT_IOC_INFO);
	cr_assert_gt(EXITLAT_INFO_MSR_SLOTS, EXITLAT_MSR_NR - 1);
	/* the version-1 layout: a changed struct needs a new command number */
	cr_assert_eq(sizeof(struct exitlat_run), 152);
	cr_assert_eq(sizeof(struct exitlat_info), 288);
}

/* Kind IDs are ioctl ABI: append, never renumber (a compile-time fact). */
_Static_assert(EXITLAT_EXIT_NULL_KIND == 0, "EXITLAT_EXIT_NULL_KIND moved");
_Static_assert(EXITLAT_EXIT_CPUID == 1, "EXITLAT_EXIT_CPUID moved");
_Static_assert(EXITLAT_EXIT_HYPERCALL == 2, "EXITLAT_EXIT_HYPERCALL moved");
_Static_assert(EXITLAT_EXIT_PIO == 3, "EXITLAT_EXIT_PIO moved");
_Static_assert(EXITLAT_EXIT_MMIO == 4, "EXITLAT_EXIT_MMIO moved");
_Static_assert(EXITLAT_EXIT_HLT == 5, "EXITLAT_EXIT_HLT moved");
_Static_assert(EXITLAT_EXIT_NULL_HOST == 6, "EXITLAT_EXIT_NULL_HOST moved");
_Static_assert(EXITLAT_EXIT_RDMSR == 7, "EXITLAT_EXIT_RDMSR moved");
_Static_assert(EXITLAT_EXIT_WRMSR == 8, "EXITLAT_EXIT_WRMSR moved");
_Static_assert(EXITLAT_EXIT_RDMSR_USER == 9, "EXITLAT_EXIT_RDMSR_USER moved");
_Static_assert(EXITLAT_EXIT_WRMSR_USER == 10, "EXITLAT_EXIT_WRMSR_USER moved");
_Static_assert(EXITLAT_EXIT_CR8_READ == 11, "EXITLAT_EXIT_CR8_READ moved");
_Static_assert(EXITLAT_EXIT_CR8_WRITE == 12, "EXITLAT_EXIT_CR8_WRITE moved");
_Static_assert(EXITLAT_EXIT_CR0_WRITE == 13, "EXITLAT_EXIT_CR0_WRITE moved");
_Static_assert(EXITLAT_EXIT_CR4_WRITE == 14, "EXITLAT_EXIT_CR4_WRITE moved");
_Static_assert(EXITLAT_EXIT_PIO_KERNEL == 15, "EXITLAT_EXIT_PIO_KERNEL moved");
_Static_assert(EXITLAT_EXIT_IOEVENTFD_PIO == 16, "EXITLAT_EXIT_IOEVENTFD_PIO moved");
_Static_assert(EXITLAT_EXIT_IOEVENTFD_MMIO == 17, "EXITLAT_EXIT_IOEVENTFD_MMIO moved");
_Static_assert(EXITLAT_EXIT_MMIO_KERNEL == 18, "EXITLAT_EXIT_MMIO_KERNEL moved");
_Static_assert(EXITLAT_EXIT_EPT_FAULT == 19, "EXITLAT_EXIT_EPT_FAULT moved");
_Static_assert(EXITLAT_EXIT_XSETBV == 20, "EXITLAT_EXIT_XSETBV moved");
_Static_assert(EXITLAT_EXIT_WBINVD == 21, "EXITLAT_EXIT_WBINVD moved");
_Static_assert(EXITLAT_EXIT_RDPMC == 22, "EXITLAT_EXIT_RDPMC moved");
