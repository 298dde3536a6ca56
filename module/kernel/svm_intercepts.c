// SPDX-License-Identifier: GPL-2.0 OR MIT
/* SVM intercepts per exit kind: see svm_intercepts.h. */
#include "svm_intercepts.h"
#include "exitlat/exit_kinds.h"
#include "msr_bitmap.h"

int svm_intercepts_for_kind(unsigned int kind, struct svm_intercepts *out)
{
	out->cr = 0;
	out->msr = 0;
	out->msr_write = false;
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
	case EXITLAT_EXIT_RDMSR:
	case EXITLAT_EXIT_WRMSR:
		/* only the kind's MSR, through the MSR permission map, as under KVM */
		out->misc1 |= SVM_INTERCEPT_MSR_PROT;
		out->msr = EXITLAT_KIND_MSR;
		out->msr_write = kind == EXITLAT_EXIT_WRMSR;
		out->expected_exit = SVM_EXIT_MSR;
		return 0;
	case EXITLAT_EXIT_CR8_READ:
		out->cr = SVM_INTERCEPT_CR_READ(8);
		out->expected_exit = SVM_EXIT_READ_CR8;
		return 0;
	case EXITLAT_EXIT_CR8_WRITE:
		out->cr = SVM_INTERCEPT_CR_WRITE(8);
		out->expected_exit = SVM_EXIT_WRITE_CR8;
		return 0;
	case EXITLAT_EXIT_CR0_WRITE:
		out->cr = SVM_INTERCEPT_CR_WRITE(0);
		out->expected_exit = SVM_EXIT_WRITE_CR0;
		return 0;
	case EXITLAT_EXIT_CR4_WRITE:
		out->cr = SVM_INTERCEPT_CR_WRITE(4);
		out->expected_exit = SVM_EXIT_WRITE_CR4;
		return 0;
	case EXITLAT_EXIT_XSETBV:
		out->misc2 |= SVM_INTERCEPT_XSETBV;
		out->expected_exit = SVM_EXIT_XSETBV;
		return 0;
	case EXITLAT_EXIT_WBINVD:
		out->misc2 |= SVM_INTERCEPT_WBINVD;
		out->expected_exit = SVM_EXIT_WBINVD;
		return 0;
	case EXITLAT_EXIT_RDPMC:
		out->misc1 |= SVM_INTERCEPT_RDPMC;
		out->expected_exit = SVM_EXIT_RDPMC;
		return 0;
	case EXITLAT_EXIT_INTR_EXIT:
		/*
		 * The INTR intercept every kind has. With V_INTR_MASKING (vmcb_build.c)
		 * a physical interrupt is masked in the guest only by the host's
		 * RFLAGS.IF as it was at VMRUN, and by GIF (APM Vol. 2 15.17, 15.21.1):
		 * trip.S enters with IF = 1 and GIF = 0, as KVM's __svm_vcpu_run (STI
		 * after CLGI), and the VMCB has no interrupt shadow (int_state 0), so
		 * a pending interrupt is #VMEXIT(INTR) before the guest's first
		 * instruction. #VMEXIT(INTR) does not acknowledge it: it stays pending.
		 */
		out->expected_exit = SVM_EXIT_INTR;
		return 0;
	case EXITLAT_EXIT_MMIO:
	case EXITLAT_EXIT_NULL_HOST:
	case EXITLAT_EXIT_RDMSR_USER:
	case EXITLAT_EXIT_WRMSR_USER:
	case EXITLAT_EXIT_PIO_KERNEL:
	case EXITLAT_EXIT_IOEVENTFD_PIO:
	case EXITLAT_EXIT_IOEVENTFD_MMIO:
	case EXITLAT_EXIT_MMIO_KERNEL:
	case EXITLAT_EXIT_EPT_FAULT:
	default:
		return -EINVAL;		/* no native twin: KVM's own paths */
	}
}
