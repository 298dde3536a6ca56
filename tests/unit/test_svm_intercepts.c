// SPDX-License-Identifier: GPL-2.0 OR MIT
/* SVM intercepts per exit kind (module/kernel/svm_intercepts.c). */
#include <criterion/criterion.h>

#include "exitlat/exit_kind_table.h"
#include "../../module/kernel/svm_intercepts.h"

static const struct {
	unsigned int kind;
	uint32_t misc1, misc2;
	uint64_t exit;
} kinds[] = {
	{ EXITLAT_EXIT_CPUID, SVM_INTERCEPT_CPUID, 0, SVM_EXIT_CPUID },
	{ EXITLAT_EXIT_HYPERCALL, 0, SVM_INTERCEPT_VMMCALL, SVM_EXIT_VMMCALL },
	{ EXITLAT_EXIT_PIO, SVM_INTERCEPT_IOIO, 0, SVM_EXIT_IOIO },
	{ EXITLAT_EXIT_HLT, SVM_INTERCEPT_HLT, 0, SVM_EXIT_HLT },
};

Test(svm_intercepts, every_kind_intercepts_vmrun_interrupts_nmis_and_exceptions)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct svm_intercepts ic;

		cr_assert_eq(svm_intercepts_for_kind(kinds[i].kind, &ic), 0);
		cr_assert(ic.misc2 & SVM_INTERCEPT_VMRUN, "VMRUN refuses a VMCB without it");
		cr_assert(ic.misc1 & SVM_INTERCEPT_INTR, "kind %u: interrupts exit", kinds[i].kind);
		cr_assert(ic.misc1 & SVM_INTERCEPT_NMI, "kind %u: NMIs exit", kinds[i].kind);
		cr_assert(ic.misc1 & SVM_INTERCEPT_SHUTDOWN, "kind %u", kinds[i].kind);
		cr_assert_eq(ic.exceptions, 0xffffffff, "every exception exits");
	}
}

Test(svm_intercepts, each_kind_intercepts_its_instruction_and_no_other)
{
	const uint32_t kind_bits1 = SVM_INTERCEPT_CPUID | SVM_INTERCEPT_IOIO | SVM_INTERCEPT_HLT;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct svm_intercepts ic;

		cr_assert_eq(svm_intercepts_for_kind(kinds[i].kind, &ic), 0);
		cr_assert_eq(ic.misc1 & kind_bits1, kinds[i].misc1, "kind %u", kinds[i].kind);
		cr_assert_eq(ic.misc2 & SVM_INTERCEPT_VMMCALL, kinds[i].misc2, "kind %u",
			     kinds[i].kind);
		cr_assert_eq(ic.expected_exit, kinds[i].exit, "kind %u", kinds[i].kind);
	}
}

Test(svm_intercepts, kinds_without_an_svm_side_are_refused)
{
	struct svm_intercepts ic;

	for (unsigned int k = 0; k < EXITLAT_EXIT_NR; k++)
		if (exitlat_exits[k].native_domain == EXITLAT_DOMAIN_NONE)
			cr_assert_eq(svm_intercepts_for_kind(k, &ic), -EINVAL, "kind %u", k);
	cr_assert_eq(svm_intercepts_for_kind(EXITLAT_EXIT_NR, &ic), -EINVAL);
}

Test(svm_intercepts, exit_codes_match_the_apm)
{
	cr_assert_eq(SVM_EXIT_CPUID, 0x72);
	cr_assert_eq(SVM_EXIT_HLT, 0x78);
	cr_assert_eq(SVM_EXIT_IOIO, 0x7b);
	cr_assert_eq(SVM_EXIT_VMMCALL, 0x81);
	cr_assert_eq(SVM_EXIT_INTR, 0x60);
	cr_assert_eq(SVM_EXIT_NMI, 0x61);
}
