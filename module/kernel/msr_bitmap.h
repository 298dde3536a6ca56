/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The MSR the rdmsr/wrmsr kinds touch, and the one bit each vendor's
 * permission map needs to make exactly that access exit: pure logic,
 * unit-tested in tests/unit/test_native_kind_config.c.
 */
#ifndef EXITLAT_MSR_BITMAP_H
#define EXITLAT_MSR_BITMAP_H

#include "compat.h"

/* IA32_TSC_ADJUST: KVM emulates it in the kernel (the KVM side's rdmsr/wrmsr) */
#define EXITLAT_KIND_MSR	0x3b

#define VMX_MSR_BITMAP_SIZE	4096
#define SVM_MSRPM_SIZE		8192

/* VMX (SDM 25.6.9): sets @msr's read or write bit in the 4-KiB MSR bitmap. 0 or -EINVAL. */
int vmx_msr_bitmap_set(u8 *bitmap, u32 msr, bool write);
/* SVM (APM 15.11): the same in the 8-KiB MSR permission map. 0 or -EINVAL. */
int svm_msrpm_set(u8 *msrpm, u32 msr, bool write);

#endif
