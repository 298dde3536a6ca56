// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Names for VM-instruction errors and exit reasons: see names.h. */
#include "names.h"

static const char *const vmx_errors[] = {
	[1] = "VMCALL executed in VMX root operation",
	[2] = "VMCLEAR with invalid physical address",
	[3] = "VMCLEAR with VMXON pointer",
	[4] = "VMLAUNCH with non-clear VMCS",
	[5] = "VMRESUME with non-launched VMCS",
	[6] = "VMRESUME after VMXOFF",
	[7] = "VM entry with invalid control field(s)",
	[8] = "VM entry with invalid host-state field(s)",
	[9] = "VMPTRLD with invalid physical address",
	[10] = "VMPTRLD with VMXON pointer",
	[11] = "VMPTRLD with incorrect VMCS revision identifier",
	[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
	[13] = "VMWRITE to read-only VMCS component",
	[15] = "VMXON executed in VMX root operation",
	[16] = "VM entry with invalid executive-VMCS pointer",
	[17] = "VM entry with non-launched executive VMCS",
	[18] = "VM entry with executive-VMCS pointer not VMXON pointer",
	[19] = "VMCALL with non-clear VMCS",
	[20] = "VMCALL with invalid VM-exit control fields",
	[22] = "VMCALL with incorrect MSEG revision identifier",
	[23] = "VMXOFF under dual-monitor treatment of SMIs and SMM",
	[24] = "VMCALL with invalid SMM-monitor features",
	[25] = "VM entry with invalid VM-execution control fields in executive VMCS",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "invalid operand to INVEPT/INVVPID",
};

static const char *const vmx_reasons[] = {
	[0] = "exception or NMI",
	[1] = "external interrupt",
	[2] = "triple fault",
	[3] = "INIT signal",
	[4] = "SIPI",
	[7] = "interrupt window",
	[8] = "NMI window",
	[9] = "task switch",
	[10] = "CPUID",
	[12] = "HLT",
	[18] = "VMCALL",
	[28] = "control-register access",
	[30] = "I/O instruction",
	[31] = "RDMSR",
	[32] = "WRMSR",
	[33] = "VM-entry failure: invalid guest state",
	[34] = "VM-entry failure: MSR loading",
	[41] = "VM-entry failure: machine-check event",
	[48] = "EPT violation",
};

const char *vmx_instruction_error_name(u32 err)
{
	if (err < sizeof(vmx_errors) / sizeof(vmx_errors[0]) && vmx_errors[err])
		return vmx_errors[err];
	return "unknown";
}

const char *vmx_exit_reason_name(u32 reason)
{
	reason &= 0xffff;
	if (reason < sizeof(vmx_reasons) / sizeof(vmx_reasons[0]) && vmx_reasons[reason])
		return vmx_reasons[reason];
	return "unknown";
}

const char *svm_exit_code_name(u64 code)
{
	if (code >= 0x40 && code < 0x60)
		return "exception";
	switch (code) {
	case 0x060: return "INTR";
	case 0x061: return "NMI";
	case 0x062: return "SMI";
	case 0x064: return "VINTR";
	case 0x072: return "CPUID";
	case 0x078: return "HLT";
	case 0x07b: return "IOIO";
	case 0x07f: return "SHUTDOWN";
	case 0x080: return "VMRUN";
	case 0x081: return "VMMCALL";
	case (u64)-1: return "INVALID (VMCB state rejected by VMRUN)";
	default: return "unknown";
	}
}
