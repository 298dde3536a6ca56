/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * SVM intercepts per exit kind (APM Vol. 2, Appendix B, VMCB control area
 * offsets 0x0c and 0x10) and the exit codes exitlat expects. Pure logic.
 */
#ifndef EXITLAT_SVM_INTERCEPTS_H
#define EXITLAT_SVM_INTERCEPTS_H

#include "compat.h"

/* VMCB offset 0x0c */
#define SVM_INTERCEPT_INTR	EXITLAT_BIT(0)
#define SVM_INTERCEPT_NMI	EXITLAT_BIT(1)
#define SVM_INTERCEPT_SMI	EXITLAT_BIT(2)
#define SVM_INTERCEPT_VINTR	EXITLAT_BIT(4)
#define SVM_INTERCEPT_RDPMC	EXITLAT_BIT(15)
#define SVM_INTERCEPT_CPUID	EXITLAT_BIT(18)
#define SVM_INTERCEPT_HLT	EXITLAT_BIT(24)
#define SVM_INTERCEPT_IOIO	EXITLAT_BIT(27)
#define SVM_INTERCEPT_MSR_PROT	EXITLAT_BIT(28)
#define SVM_INTERCEPT_SHUTDOWN	EXITLAT_BIT(31)
/* VMCB offset 0x10 */
#define SVM_INTERCEPT_VMRUN	EXITLAT_BIT(0)
#define SVM_INTERCEPT_VMMCALL	EXITLAT_BIT(1)
#define SVM_INTERCEPT_WBINVD	EXITLAT_BIT(9)
#define SVM_INTERCEPT_XSETBV	EXITLAT_BIT(13)
/* VMCB offset 0x00: reads of CR0-15 in bits 0-15, writes in 16-31 */
#define SVM_INTERCEPT_CR_READ(n)	EXITLAT_BIT(n)
#define SVM_INTERCEPT_CR_WRITE(n)	EXITLAT_BIT(16 + (n))

/* Exit codes (VMCB offset 0x70) */
#define SVM_EXIT_READ_CR8	0x008
#define SVM_EXIT_WRITE_CR0	0x010
#define SVM_EXIT_WRITE_CR4	0x014
#define SVM_EXIT_WRITE_CR8	0x018
#define SVM_EXIT_EXCP_BASE	0x040
#define SVM_EXIT_INTR		0x060
#define SVM_EXIT_NMI		0x061
#define SVM_EXIT_SMI		0x062
#define SVM_EXIT_VINTR		0x064
#define SVM_EXIT_RDPMC		0x06f
#define SVM_EXIT_CPUID		0x072
#define SVM_EXIT_HLT		0x078
#define SVM_EXIT_IOIO		0x07b
#define SVM_EXIT_MSR		0x07c
#define SVM_EXIT_SHUTDOWN	0x07f
#define SVM_EXIT_VMRUN		0x080
#define SVM_EXIT_VMMCALL	0x081
#define SVM_EXIT_WBINVD		0x089
#define SVM_EXIT_XSETBV		0x08d
#define SVM_EXIT_INVALID	((u64)-1)

struct svm_intercepts {
	u32 cr;			/* VMCB 0x00: CR reads and writes */
	u32 misc1;		/* VMCB 0x0c */
	u32 misc2;		/* VMCB 0x10 */
	u32 exceptions;		/* VMCB 0x08: every exception exits */
	u64 expected_exit;	/* the exit code the kind's instruction gives */
	u32 msr;		/* MSR_PROT: the one MSR whose permission bit is set, else 0 */
	bool msr_write;		/* its write bit (else its read bit) */
};

/*
 * Intercepts for exit kind @kind: always INTR, NMI, SMI, SHUTDOWN, VMRUN
 * (VMRUN refuses a VMCB without it) and every exception, plus the kind's
 * instruction. Returns 0, or -EINVAL for a kind SVM cannot run (mmio,
 * null-host; "null" has no VM transition and no intercepts).
 */
int svm_intercepts_for_kind(unsigned int kind, struct svm_intercepts *out);

#endif
