// SPDX-License-Identifier: GPL-2.0 OR MIT
/* SVM intercepts per exit kind: see svm_intercepts.h. */
#include "svm_intercepts.h"
#include "exitlat/exit_kinds.h"

int svm_intercepts_for_kind(unsigned int kind, struct svm_intercepts *out)
{
	out->misc1 = SVM_INTERCEPT_INTR | SVM_INTERCEPT_NMI | SVM_INTERCEPT_SMI |
		     SVM_INTERCEPT_SHUTDOWN;
	out->misc2 = SVM_INTERCEPT_VMRUN;
	out->exceptions = 0xffffffff;

	switch (kind) {
	case EXITLAT_EXIT_NULL_KIND:
		out->expected_exit = SVM_EXIT_INVALID;
		return 0;
	case EXITLAT_EXIT_CPUID:
		out->misc1 |= SVM_INTERCEPT_CPUID;
		out->expected_exit = SVM_EXIT_CPUID;
		return 0;
	case EXITLAT_EXIT_HYPERCALL:
		out->misc2 |= SVM_INTERCEPT_VMMCALL;
		out->expected_exit = SVM_EXIT_VMMCALL;
		return 0;
	case EXITLAT_EXIT_PIO:
		out->misc1 |= SVM_INTERCEPT_IOIO;
		out->expected_exit = SVM_EXIT_IOIO;
		return 0;
	case EXITLAT_EXIT_HLT:
		out->misc1 |= SVM_INTERCEPT_HLT;
		out->expected_exit = SVM_EXIT_HLT;
		return 0;
	default:
		return -EINVAL;
	}
}
