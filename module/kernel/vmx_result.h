/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Result of a VMX instruction: SDM Vol. 3C, 31.2 (conventions). VMfailInvalid
 * sets CF (no current VMCS, or VMXON itself failed), VMfailValid sets ZF and
 * the VM-instruction error field says why. VMX_FAULT: the instruction raised
 * an exception (#UD outside VMX operation or with CR4.VMXE clear, #GP with
 * IA32_FEATURE_CONTROL locked off); the exception table resumes after it, as
 * KVM's vmx_ops.h does, so a race with another hypervisor's CPU-hotplug
 * callbacks costs the batch, not the machine. Plain numbers: trip.S uses them.
 */
#ifndef EXITLAT_VMX_RESULT_H
#define EXITLAT_VMX_RESULT_H

#define VMX_OK			0
#define VMX_FAIL_INVALID	1
#define VMX_FAIL_VALID		2
#define VMX_FAULT		3

#endif
