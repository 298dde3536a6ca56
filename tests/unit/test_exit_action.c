// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What the sampling loop does with each VM exit (module/kernel/exit_action.c):
 * above all, machine checks reach the host's handler instead of being logged
 * as an unexpected exit (KVM: kvm_machine_check, svm_handle_mce).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "../../module/kernel/exit_action.h"
#include "../../module/kernel/vmcs.h"
#include "../../module/kernel/svm_intercepts.h"

struct vmx_case {
	uint32_t reason, intr_info, expected;
	enum exit_action want;
	const char *what;
};

static struct vmx_case vmx_cases[] = {
	{ EXIT_REASON_CPUID, 0, EXIT_REASON_CPUID, EXIT_ACT_SAMPLE, "the kind's exit" },
	/* bits 31:16 are flags (e.g. bit 27: enclave mode): only 15:0 is the reason */
	{ EXIT_REASON_CPUID | (1u << 27), 0, EXIT_REASON_CPUID, EXIT_ACT_SAMPLE, "flags above bit 15" },
	{ EXIT_REASON_HLT, 0, EXIT_REASON_CPUID, EXIT_ACT_UNEXPECTED, "another kind's exit" },
	{ EXIT_REASON_EXTERNAL_INTERRUPT, 0, EXIT_REASON_CPUID, EXIT_ACT_INTR, "an interrupt" },
	{ EXIT_REASON_EXCEPTION_NMI, INTR_INFO_VALID | INTR_INFO_TYPE_NMI | 2, EXIT_REASON_CPUID,
	  EXIT_ACT_NMI, "an NMI" },
	{ EXIT_REASON_EXCEPTION_NMI, INTR_INFO_VALID | 0x300 | 18, EXIT_REASON_CPUID,
	  EXIT_ACT_MCE, "a #MC intercepted by the exception bitmap" },
	{ EXIT_REASON_MACHINE_CHECK | EXIT_REASON_ENTRY_FAILURE, 0, EXIT_REASON_CPUID,
	  EXIT_ACT_MCE, "VM-entry failure due to a machine-check event (41)" },
	{ EXIT_REASON_INVALID_STATE | EXIT_REASON_ENTRY_FAILURE, 0, EXIT_REASON_CPUID,
	  EXIT_ACT_UNEXPECTED, "VM-entry failure due to invalid guest state (33)" },
	{ EXIT_REASON_EXCEPTION_NMI, INTR_INFO_VALID | 0x300 | 13, EXIT_REASON_CPUID,
	  EXIT_ACT_UNEXPECTED, "a #GP in the guest" },
	{ EXIT_REASON_EXCEPTION_NMI, INTR_INFO_VALID | 0x600 | 18, EXIT_REASON_CPUID,
	  EXIT_ACT_UNEXPECTED, "a software exception with vector 18 is not a machine check" },
	{ EXIT_REASON_EXCEPTION_NMI, 18, EXIT_REASON_CPUID, EXIT_ACT_UNEXPECTED,
	  "interruption information not valid" },
	{ EXIT_REASON_TRIPLE_FAULT, 0, EXIT_REASON_CPUID, EXIT_ACT_UNEXPECTED, "a triple fault" },
	/* intr-exit: the interrupt is the kind's own exit; the guest's #UD means it was not pending */
	{ EXIT_REASON_EXTERNAL_INTERRUPT, 0, EXIT_REASON_EXTERNAL_INTERRUPT, EXIT_ACT_SAMPLE,
	  "intr-exit: the external interrupt" },
	{ EXIT_REASON_EXCEPTION_NMI, INTR_INFO_VALID | INTR_INFO_TYPE_NMI | 2,
	  EXIT_REASON_EXTERNAL_INTERRUPT, EXIT_ACT_NMI, "intr-exit: an NMI first" },
	{ EXIT_REASON_EXCEPTION_NMI, INTR_INFO_VALID | 0x300 | 6, EXIT_REASON_EXTERNAL_INTERRUPT,
	  EXIT_ACT_UNEXPECTED, "intr-exit: the guest ran (#UD): no interrupt was pending" },
};

ParameterizedTestParameters(exit_action, vmx_exits_are_classified_by_the_basic_reason)
{
	return cr_make_param_array(struct vmx_case, vmx_cases, sizeof(vmx_cases) / sizeof(vmx_cases[0]));
}

ParameterizedTest(struct vmx_case *c, exit_action, vmx_exits_are_classified_by_the_basic_reason)
{
	cr_assert_eq(vmx_exit_action(c->reason, c->intr_info, c->expected), c->want,
		     "%s: reason 0x%x, intr info 0x%x", c->what, c->reason, c->intr_info);
}

struct svm_case {
	uint64_t code, expected;
	enum exit_action want;
	const char *what;
};

static struct svm_case svm_cases[] = {
	{ SVM_EXIT_CPUID, SVM_EXIT_CPUID, EXIT_ACT_SAMPLE, "the kind's exit" },
	{ SVM_EXIT_HLT, SVM_EXIT_CPUID, EXIT_ACT_UNEXPECTED, "another kind's exit" },
	{ SVM_EXIT_INTR, SVM_EXIT_CPUID, EXIT_ACT_INTR, "an interrupt" },
	{ SVM_EXIT_NMI, SVM_EXIT_CPUID, EXIT_ACT_NMI, "an NMI" },
	{ SVM_EXIT_SMI, SVM_EXIT_CPUID, EXIT_ACT_SMI, "an SMI" },
	{ SVM_EXIT_EXCP_BASE + 18, SVM_EXIT_CPUID, EXIT_ACT_MCE, "exit 0x52: an intercepted #MC" },
	{ SVM_EXIT_EXCP_BASE + 13, SVM_EXIT_CPUID, EXIT_ACT_UNEXPECTED, "a #GP in the guest" },
	{ SVM_EXIT_INVALID, SVM_EXIT_CPUID, EXIT_ACT_UNEXPECTED, "VMEXIT_INVALID" },
	{ SVM_EXIT_SHUTDOWN, SVM_EXIT_CPUID, EXIT_ACT_UNEXPECTED, "a shutdown" },
	{ SVM_EXIT_INTR, SVM_EXIT_INTR, EXIT_ACT_SAMPLE, "intr-exit: the physical interrupt" },
	{ SVM_EXIT_NMI, SVM_EXIT_INTR, EXIT_ACT_NMI, "intr-exit: an NMI first" },
	{ SVM_EXIT_EXCP_BASE + 6, SVM_EXIT_INTR, EXIT_ACT_UNEXPECTED,
	  "intr-exit: the guest ran (#UD): no interrupt was pending" },
};

ParameterizedTestParameters(exit_action, svm_exits_are_classified_by_the_exit_code)
{
	return cr_make_param_array(struct svm_case, svm_cases, sizeof(svm_cases) / sizeof(svm_cases[0]));
}

ParameterizedTest(struct svm_case *c, exit_action, svm_exits_are_classified_by_the_exit_code)
{
	cr_assert_eq(svm_exit_action(c->code, c->expected), c->want, "%s: code 0x%llx", c->what,
		     (unsigned long long)c->code);
}
