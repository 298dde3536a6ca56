// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Firmware's VMX / SVM switches (module/kernel/firmware.c): the states an
 * emulator cannot show (the kernel locks IA32_FEATURE_CONTROL at boot), each
 * refused with a line that says what to do.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "../../module/kernel/firmware.h"

Test(firmware, vmx_locked_with_vmx_outside_smx_is_usable)
{
	cr_assert_null(vmx_feature_control_refusal(FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMX_OUTSIDE_SMX));
	cr_assert_null(vmx_feature_control_refusal(FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMX_OUTSIDE_SMX |
						   FEATURE_CONTROL_VMX_INSIDE_SMX | (1ull << 20)));
}

Test(firmware, vmx_locked_off_by_firmware_names_the_firmware_setup)
{
	const char *why = vmx_feature_control_refusal(FEATURE_CONTROL_LOCKED);

	cr_assert_not_null(why);
	cr_assert(strstr(why, "disabled by firmware") && strstr(why, "firmware setup"), "%s", why);
	/* VMX inside SMX only (TXT) is still off for the module, which runs outside SMX */
	why = vmx_feature_control_refusal(FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMX_INSIDE_SMX);
	cr_assert(why && strstr(why, "disabled by firmware"), "%s", why ? why : "(null)");
}

Test(firmware, vmx_unlocked_msr_is_refused_because_vmxon_would_fault)
{
	const char *why = vmx_feature_control_refusal(FEATURE_CONTROL_VMX_OUTSIDE_SMX);

	cr_assert(why && strstr(why, "not locked"), "%s", why ? why : "(null)");
}

Test(firmware, svm_without_svmdis_is_usable)
{
	cr_assert_null(svm_vm_cr_refusal(0));
	cr_assert_null(svm_vm_cr_refusal(VM_CR_LOCK));
}

Test(firmware, svm_disabled_and_locked_names_the_firmware_setup)
{
	const char *why = svm_vm_cr_refusal(VM_CR_SVMDIS | VM_CR_LOCK);

	cr_assert(why && strstr(why, "disabled by firmware") && strstr(why, "firmware setup"), "%s",
		  why ? why : "(null)");
	why = svm_vm_cr_refusal(VM_CR_SVMDIS);
	cr_assert(why && strstr(why, "not locked"), "%s", why ? why : "(null)");
}
