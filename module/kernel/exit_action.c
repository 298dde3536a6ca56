// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Classification of one VM exit: see exit_action.h. */
#include "exit_action.h"
#include "vmcs.h"
#include "svm_intercepts.h"

#define MC_VECTOR			18
#define INTR_INFO_TYPE_HW_EXCEPTION	0x300u

enum exit_action vmx_exit_action(u32 reason, u32 intr_info, u32 expected)
{
	/* the basic exit reason is bits 15:0 (SDM 25.9.1); the rest are flags */
	u16 basic = (u16)reason;

	if (reason & EXIT_REASON_ENTRY_FAILURE)
		/* 41: the entry failed on a machine check, which the host has not seen (SDM 27.8) */
		return basic == EXIT_REASON_MACHINE_CHECK ? EXIT_ACT_MCE : EXIT_ACT_UNEXPECTED;
	if (basic == expected)
		return EXIT_ACT_SAMPLE;
	switch (basic) {
	case EXIT_REASON_EXTERNAL_INTERRUPT:
		return EXIT_ACT_INTR;
	case EXIT_REASON_EXCEPTION_NMI:
		if (!(intr_info & INTR_INFO_VALID))
			return EXIT_ACT_UNEXPECTED;
		if ((intr_info & INTR_INFO_TYPE_MASK) == INTR_INFO_TYPE_NMI)
			return EXIT_ACT_NMI;
		/* every exception exits: #MC too, and only the host may handle it (KVM: kvm_machine_check) */
		if ((intr_info & INTR_INFO_TYPE_MASK) == INTR_INFO_TYPE_HW_EXCEPTION &&
		    (intr_info & INTR_INFO_VECTOR_MASK) == MC_VECTOR)
			return EXIT_ACT_MCE;
		return EXIT_ACT_UNEXPECTED;
	case EXIT_REASON_MACHINE_CHECK:
		return EXIT_ACT_MCE;
	default:
		return EXIT_ACT_UNEXPECTED;
	}
}

enum exit_action svm_exit_action(u64 code, u64 expected)
{
	if (code == expected)
		return EXIT_ACT_SAMPLE;
	switch (code) {
	case SVM_EXIT_INTR:
		return EXIT_ACT_INTR;
	case SVM_EXIT_NMI:
		return EXIT_ACT_NMI;
	case SVM_EXIT_SMI:
		return EXIT_ACT_SMI;
	case SVM_EXIT_EXCP_BASE + MC_VECTOR:
		/* KVM's svm_handle_mce: the intercepted #MC never reached the host */
		return EXIT_ACT_MCE;
	default:
		return EXIT_ACT_UNEXPECTED;
	}
}
