/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What the sampling loop does with one VM exit, decided from the exit's own
 * information alone: pure logic, unit-tested in user space
 * (tests/unit/test_exit_action.c) and used by vmx.c and svm.c.
 */
#ifndef EXITLAT_EXIT_ACTION_H
#define EXITLAT_EXIT_ACTION_H

#include "compat.h"

enum exit_action {
	EXIT_ACT_SAMPLE,	/* the kind's own exit: one sample */
	EXIT_ACT_INTR,		/* an external interrupt is pending: end the batch, the host takes it */
	EXIT_ACT_NMI,		/* the host's NMI: hand it back, drop the trip, go on */
	EXIT_ACT_SMI,		/* SVM: an SMI was taken on the exit: drop the trip, go on */
	EXIT_ACT_MCE,		/* a machine check: run the host's handler, end the batch */
	EXIT_ACT_UNEXPECTED,	/* anything else: the batch fails and says which exit */
};

/* VMX: @reason is the full exit-reason field, @intr_info the VM-exit interruption information. */
enum exit_action vmx_exit_action(u32 reason, u32 intr_info, u32 expected);
/* SVM: @code is the VMCB's EXITCODE. */
enum exit_action svm_exit_action(u64 code, u64 expected);

#endif
