/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Whether firmware left VMX / SVM usable, from the MSR it locks them with:
 * pure logic, checked per CPU by the module and unit-tested
 * (tests/unit/test_firmware.c) for the states no emulator can show.
 */
#ifndef EXITLAT_FIRMWARE_H
#define EXITLAT_FIRMWARE_H

#include "compat.h"

#define FEATURE_CONTROL_LOCKED		EXITLAT_BIT(0)
#define FEATURE_CONTROL_VMX_INSIDE_SMX	EXITLAT_BIT(1)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX	EXITLAT_BIT(2)
#define VM_CR_LOCK			EXITLAT_BIT(3)
#define VM_CR_SVMDIS			EXITLAT_BIT(4)

/* NULL when IA32_FEATURE_CONTROL = @fc lets VMXON run outside SMX, else why not (SDM 24.7). */
const char *vmx_feature_control_refusal(u64 fc);
/* NULL when VM_CR = @vm_cr lets EFER.SVME be set, else why not (APM 15.30.1). */
const char *svm_vm_cr_refusal(u64 vm_cr);

#endif
