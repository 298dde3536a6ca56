// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The native twins of issue 13's kinds, as the module configures them
 * (module/kernel/vmx_controls.c, svm_intercepts.c, msr_bitmap.c): each
 * kind's instruction exits with its own exit reason / code, and with
 * nothing broader than it needs (one MSR's bit, one CR bit owned by the
 * host), on every CPU of tests/data/vmx-capability-msrs.txt that allows it.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "exitlat/exit_kinds.h"
#include "fixtures.h"
#include "../../module/kernel/msr_bitmap.h"
#include "../../module/kernel/svm_intercepts.h"
#include "../../module/kernel/vmcs.h"
#include "../../module/kernel/vmx_controls.h"

TestSuite(native_kind_config, .init = fix_init);

#define X86_CR0_EM	(1ull << 2)
#define X86_CR4_MCE	(1ull << 6)

struct kind_case {
	unsigned int kind;
	u32 vmx_reason;
	u32 proc;		/* primary controls the kind needs */
	u32 proc2;		/* secondary controls */
	u64 cr0_mask, cr4_mask;
	u64 svm_exit;
	u32 svm_cr, svm_misc1, svm_misc2;
	u32 msr;
	bool msr_write;
};

static struct kind_case cases[] = {
	{ EXITLAT_EXIT_RDMSR, EXIT_REASON_MSR_READ, 0, 0, 0, 0, SVM_EXIT_MSR, 0,
	  SVM_INTERCEPT_MSR_PROT, 0, EXITLAT_KIND_MSR, false },
	{ EXITLAT_EXIT_WRMSR, EXIT_REASON_MSR_WRITE, 0, 0, 0, 0, SVM_EXIT_MSR, 0,
	  SVM_INTERCEPT_MSR_PROT, 0, EXITLAT_KIND_MSR, true },
	{ EXITLAT_EXIT_CR8_READ, EXIT_REASON_CR_ACCESS, CPU_CR8_STORE_EXITING, 0, 0, 0,
	  SVM_EXIT_READ_CR8, SVM_INTERCEPT_CR_READ(8), 0, 0, 0, false },
	{ EXITLAT_EXIT_CR8_WRITE, EXIT_REASON_CR_ACCESS, CPU_CR8_LOAD_EXITING, 0, 0, 0,
	  SVM_EXIT_WRITE_CR8, SVM_INTERCEPT_CR_WRITE(8), 0, 0, 0, false },
	{ EXITLAT_EXIT_CR0_WRITE, EXIT_REASON_CR_ACCESS, 0, 0, X86_CR0_EM, 0,
	  SVM_EXIT_WRITE_CR0, SVM_INTERCEPT_CR_WRITE(0), 0, 0, 0, false },
	{ EXITLAT_EXIT_CR4_WRITE, EXIT_REASON_CR_ACCESS, 0, 0, 0, X86_CR4_MCE,
	  SVM_EXIT_WRITE_CR4, SVM_INTERCEPT_CR_WRITE(4), 0, 0, 0, false },
	{ EXITLAT_EXIT_XSETBV, EXIT_REASON_XSETBV, 0, 0, 0, 0, SVM_EXIT_XSETBV, 0, 0,
	  SVM_INTERCEPT_XSETBV, 0, false },
	{ EXITLAT_EXIT_WBINVD, EXIT_REASON_WBINVD, CPU_SECONDARY_CONTROLS, CPU2_WBINVD_EXITING,
	  0, 0, SVM_EXIT_WBINVD, 0, 0, SVM_INTERCEPT_WBINVD, 0, false },
	{ EXITLAT_EXIT_RDPMC, EXIT_REASON_RDPMC, CPU_RDPMC_EXITING, 0, 0, 0, SVM_EXIT_RDPMC, 0,
	  SVM_INTERCEPT_RDPMC, 0, 0, false },
	/* issue 14's native twin: the INTR intercept every kind has, no instruction of its own */
	{ EXITLAT_EXIT_INTR_EXIT, EXIT_REASON_EXTERNAL_INTERRUPT, 0, 0, 0, 0, SVM_EXIT_INTR, 0, 0,
	  0, 0, false },
};

ParameterizedTestParameters(native_kind_config, each_kind_exits_with_its_own_reason_on_vmx)
{
	return cr_make_param_array(struct kind_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct kind_case *c, native_kind_config, each_kind_exits_with_its_own_reason_on_vmx)
{
	int allowed = 0;

	cr_assert_eq(vmx_kind_exit_reason(c->kind), c->vmx_reason, "kind %u", c->kind);
	for (int i = 0; i < fix_ncpus; i++) {
		struct vmx_controls ctl;
		enum vmx_ctl_word bad;
		u32 missing;

		if (vmx_controls_for_kind(&fix_cpus[i].caps, c->kind, &ctl, &bad, &missing))
			continue;
		allowed++;
		cr_assert_eq(ctl.procbased & c->proc, c->proc, "%s, kind %u: proc 0x%x",
			     fix_cpus[i].name, c->kind, ctl.procbased);
		if (c->proc2)
			cr_assert_eq(ctl.procbased2 & c->proc2, c->proc2, "%s: proc2 0x%x",
				     fix_cpus[i].name, ctl.procbased2);
		cr_assert_eq(ctl.cr0_mask, c->cr0_mask, "%s: CR0 mask", fix_cpus[i].name);
		cr_assert_eq(ctl.cr4_mask, c->cr4_mask, "%s: CR4 mask", fix_cpus[i].name);
		/* a TPR shadow would take CR8 accesses away from CR8 exiting */
		cr_assert_not(ctl.procbased & CPU_USE_TPR_SHADOW, "%s", fix_cpus[i].name);
	}
	cr_assert_gt(allowed, 0, "kind %u: no CPU of the data allows it", c->kind);
}

ParameterizedTestParameters(native_kind_config, each_kind_exits_with_its_own_code_on_svm)
{
	return cr_make_param_array(struct kind_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct kind_case *c, native_kind_config, each_kind_exits_with_its_own_code_on_svm)
{
	struct svm_intercepts ic, null_ic;

	cr_assert_eq(svm_intercepts_for_kind(c->kind, &ic), 0);
	cr_assert_eq(svm_intercepts_for_kind(EXITLAT_EXIT_NULL_KIND, &null_ic), 0);
	cr_assert_eq(ic.expected_exit, c->svm_exit, "kind %u: exit 0x%llx", c->kind,
		     (unsigned long long)ic.expected_exit);
	/* exactly the kind's intercept beyond what every kind has */
	cr_assert_eq(ic.cr, c->svm_cr, "kind %u: CR intercepts 0x%x", c->kind, ic.cr);
	cr_assert_eq(ic.misc1 & ~null_ic.misc1, c->svm_misc1, "kind %u: misc1 0x%x", c->kind, ic.misc1);
	cr_assert_eq(ic.misc2 & ~null_ic.misc2, c->svm_misc2, "kind %u: misc2 0x%x", c->kind, ic.misc2);
	cr_assert_eq(ic.msr, c->msr, "kind %u", c->kind);
	cr_assert_eq(ic.msr_write, c->msr_write, "kind %u", c->kind);
}

/* One exit reason (28) for every CR access: the qualification tells the kind's own from another */
Test(native_kind_config, a_cr_exit_counts_only_with_the_kinds_own_qualification)
{
	/* SDM Table 28-3: bits 3:0 the CR, 5:4 the access type (0 to CR, 1 from CR), 11:8 the GPR */
	cr_assert(vmx_kind_qual_ok(EXITLAT_EXIT_CR8_READ, 0x018));
	cr_assert_not(vmx_kind_qual_ok(EXITLAT_EXIT_CR8_READ, 0x008), "a MOV to CR8");
	cr_assert(vmx_kind_qual_ok(EXITLAT_EXIT_CR8_WRITE, 0x008));
	cr_assert_not(vmx_kind_qual_ok(EXITLAT_EXIT_CR8_WRITE, 0x018), "a MOV from CR8");
	cr_assert(vmx_kind_qual_ok(EXITLAT_EXIT_CR0_WRITE, 0x000));
	cr_assert_not(vmx_kind_qual_ok(EXITLAT_EXIT_CR0_WRITE, 0x004), "CR4, not CR0");
	cr_assert(vmx_kind_qual_ok(EXITLAT_EXIT_CR4_WRITE, 0x004));
	cr_assert_not(vmx_kind_qual_ok(EXITLAT_EXIT_CR4_WRITE, 0x034), "LMSW-type access");
	cr_assert(vmx_kind_qual_ok(EXITLAT_EXIT_CPUID, 0x1234), "not a CR kind");
}

Test(native_kind_config, the_vmx_msr_bitmap_sets_exactly_the_kinds_bit)
{
	u8 map[4096];

	memset(map, 0, sizeof(map));
	cr_assert_eq(vmx_msr_bitmap_set(map, EXITLAT_KIND_MSR, false), 0);
	/* SDM 25.6.9: read bitmap for low MSRs at 0, write bitmap for low MSRs at 2048 */
	cr_assert_eq(map[EXITLAT_KIND_MSR / 8], 1 << (EXITLAT_KIND_MSR % 8));
	cr_assert_eq(vmx_msr_bitmap_set(map, EXITLAT_KIND_MSR, true), 0);
	cr_assert_eq(map[2048 + EXITLAT_KIND_MSR / 8], 1 << (EXITLAT_KIND_MSR % 8));
	for (size_t i = 0; i < sizeof(map); i++)
		if (i != EXITLAT_KIND_MSR / 8 && i != 2048 + EXITLAT_KIND_MSR / 8)
			cr_assert_eq(map[i], 0, "byte %zu", i);
	/* high MSRs: read at 1024, write at 3072 */
	memset(map, 0, sizeof(map));
	cr_assert_eq(vmx_msr_bitmap_set(map, 0xc0000080, true), 0);
	cr_assert_eq(map[3072 + 0x80 / 8], 1);
	cr_assert_eq(vmx_msr_bitmap_set(map, 0x2000, false), -EINVAL, "outside both ranges");
}

Test(native_kind_config, the_svm_msr_permission_map_sets_exactly_the_kinds_bits)
{
	u8 map[8192];

	memset(map, 0, sizeof(map));
	/* APM 15.11: two bits per MSR, read then write; MSRs 0-0x1fff at byte 0 */
	cr_assert_eq(svm_msrpm_set(map, EXITLAT_KIND_MSR, false), 0);
	cr_assert_eq(map[EXITLAT_KIND_MSR * 2 / 8], 1 << (EXITLAT_KIND_MSR * 2 % 8));
	cr_assert_eq(svm_msrpm_set(map, EXITLAT_KIND_MSR, true), 0);
	cr_assert_eq(map[EXITLAT_KIND_MSR * 2 / 8], 3 << (EXITLAT_KIND_MSR * 2 % 8));
	memset(map, 0, sizeof(map));
	/* 0xc0000000-0xc0001fff at byte 0x800 */
	cr_assert_eq(svm_msrpm_set(map, 0xc0000080, false), 0);
	cr_assert_eq(map[0x800 + 0x80 * 2 / 8], 1);
	cr_assert_eq(svm_msrpm_set(map, 0x40000000, false), -EINVAL, "outside the map");
}

/*
 * intr-exit: an external interrupt pending at VM entry must exit at once and
 * stay pending for the host. External-interrupt exiting on (SDM Vol. 3C
 * 26.2: then RFLAGS.IF = 0 does not block it), "acknowledge interrupt on
 * exit" off (SDM 25.7.1: with it the exit would take the vector from the
 * local APIC and the host would never see its interrupt), and no
 * interrupt-window or NMI-window exiting that could exit first or instead.
 */
Test(native_kind_config, intr_exit_leaves_the_interrupt_pending_on_every_cpu)
{
	for (int i = 0; i < fix_ncpus; i++) {
		struct vmx_controls ctl;
		enum vmx_ctl_word bad;
		u32 missing;

		cr_assert_eq(vmx_controls_for_kind(&fix_cpus[i].caps, EXITLAT_EXIT_INTR_EXIT, &ctl,
						   &bad, &missing), 0, "%s", fix_cpus[i].name);
		cr_assert(ctl.pinbased & PIN_EXT_INTR_EXITING, "%s", fix_cpus[i].name);
		cr_assert_not(ctl.exit & EXIT_ACK_INTR_ON_EXIT, "%s: exit controls 0x%x",
			      fix_cpus[i].name, ctl.exit);
		cr_assert_not(ctl.procbased & (CPU_INTR_WINDOW_EXITING | CPU_NMI_WINDOW_EXITING),
			      "%s: proc 0x%x", fix_cpus[i].name, ctl.procbased);
		cr_assert_not(ctl.pinbased & (PIN_PREEMPTION_TIMER | PIN_POSTED_INTR),
			      "%s: pin 0x%x", fix_cpus[i].name, ctl.pinbased);
	}
}

/* The guest never runs an instruction of its own: no split modes, no line for check-insns. */
Test(native_kind_config, intr_exit_runs_no_guest_instruction)
{
	cr_assert_not(exitlat_native_guest_runs(EXITLAT_EXIT_INTR_EXIT));
	cr_assert_not(exitlat_native_guest_runs(EXITLAT_EXIT_NULL_KIND));
	cr_assert(exitlat_native_guest_runs(EXITLAT_EXIT_CPUID));
	cr_assert_not(exitlat_native_guest_runs(EXITLAT_EXIT_NR));
}
