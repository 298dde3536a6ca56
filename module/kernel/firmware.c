// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Firmware's VMX / SVM switches: see firmware.h. */
#include "firmware.h"

const char *vmx_feature_control_refusal(u64 fc)
{
	if (!(fc & FEATURE_CONTROL_LOCKED))
		/* VMXON #GPs until firmware (or the kernel at boot) locks the MSR */
		return "IA32_FEATURE_CONTROL is not locked: VMXON would fault";
	if (!(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX))
		return "VMX is disabled by firmware (IA32_FEATURE_CONTROL locked without VMX): enable VT-x in the firmware setup";
	return NULL;
}

const char *svm_vm_cr_refusal(u64 vm_cr)
{
	if (vm_cr & VM_CR_SVMDIS)
		return (vm_cr & VM_CR_LOCK) ?
		       "SVM is disabled by firmware (VM_CR.SVMDIS, locked): enable SVM / AMD-V in the firmware setup" :
		       "SVM is disabled (VM_CR.SVMDIS, not locked): something on this machine turned it off";
	return NULL;
}
