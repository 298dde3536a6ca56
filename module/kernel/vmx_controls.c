// SPDX-License-Identifier: GPL-2.0 OR MIT
/* VMCS control derivation from the capability MSRs: see vmx_controls.h. */
#include "vmx_controls.h"
#include "exitlat/exit_kinds.h"
#include "vmcs.h"

const char *const vmx_ctl_word_names[VMX_CTL_NR + 1] = {
	[VMX_CTL_PIN] = "pin-based controls",
	[VMX_CTL_PROC] = "primary processor-based controls",
	[VMX_CTL_EXIT] = "VM-exit controls",
	[VMX_CTL_ENTRY] = "VM-entry controls",
	[VMX_CTL_PROC2] = "secondary processor-based controls",
};

int vmx_ctl_derive(u64 cap, u32 required, u32 optional, u32 *out, u32 *missing)
{
	u32 must_be_1 = (u32)cap;
	u32 may_be_1 = (u32)(cap >> 32);

	*missing = 0;
	if (must_be_1 & ~may_be_1) {
		*missing = must_be_1 & ~may_be_1;
		return -EINVAL;
	}
	if (required & ~may_be_1) {
		*missing = required & ~may_be_1;
		return -EOPNOTSUPP;
	}
	*out = must_be_1 | required | (optional & may_be_1);
	return 0;
}

bool vmx_ctl_valid(u64 cap, u32 val)
{
	u32 must_be_1 = (u32)cap;
	u32 may_be_1 = (u32)(cap >> 32);

	return (val & must_be_1) == must_be_1 && !(val & ~may_be_1);
}

u64 vmx_ctl_cap(const struct vmx_caps *caps, enum vmx_ctl_word word)
{
	bool t = caps->basic & VMX_BASIC_HAS_TRUE_CTLS;

	switch (word) {
	case VMX_CTL_PIN:
		return t ? caps->true_pinbased : caps->pinbased;
	case VMX_CTL_PROC:
		return t ? caps->true_procbased : caps->procbased;
	case VMX_CTL_EXIT:
		return t ? caps->true_exit : caps->exit;
	case VMX_CTL_ENTRY:
		return t ? caps->true_entry : caps->entry;
	default:
		return 0;
	}
}

int vmx_controls_for_kind(const struct vmx_caps *caps, unsigned int kind,
			  struct vmx_controls *out, enum vmx_ctl_word *bad_word, u32 *missing)
{
	u32 optional[VMX_CTL_NR] = {
		[VMX_CTL_EXIT] = EXIT_LOAD_EFER | EXIT_LOAD_PAT,
		[VMX_CTL_ENTRY] = ENTRY_LOAD_EFER | ENTRY_LOAD_PAT,
	};
	/*
	 * Debug controls as KVM requires them (setup_vmcs_config): the mirror
	 * enters with its own DR7 and IA32_DEBUGCTL, never the host's breakpoints.
	 */
	u32 required[VMX_CTL_NR] = {
		[VMX_CTL_PIN] = PIN_EXT_INTR_EXITING | PIN_NMI_EXITING,
		[VMX_CTL_EXIT] = EXIT_HOST_ADDR_SPACE_SIZE | EXIT_SAVE_DEBUG_CONTROLS,
		[VMX_CTL_ENTRY] = ENTRY_IA32E_MODE_GUEST | ENTRY_LOAD_DEBUG_CONTROLS,
	};
	u32 *words[VMX_CTL_NR] = {
		[VMX_CTL_PIN] = &out->pinbased,
		[VMX_CTL_PROC] = &out->procbased,
		[VMX_CTL_EXIT] = &out->exit,
		[VMX_CTL_ENTRY] = &out->entry,
	};
	u32 required2 = 0;
	int w, ret;

	out->procbased2 = 0;
	out->cr0_mask = 0;
	out->cr4_mask = 0;
	out->guest_if = false;
	switch (kind) {
	case EXITLAT_EXIT_NULL_KIND:
	case EXITLAT_EXIT_CPUID:
	case EXITLAT_EXIT_HYPERCALL:
	case EXITLAT_EXIT_XSETBV:
		break;		/* CPUID, VMCALL and XSETBV exit unconditionally */
	case EXITLAT_EXIT_PIO:
		required[VMX_CTL_PROC] |= CPU_UNCOND_IO_EXITING;
		break;
	case EXITLAT_EXIT_HLT:
		required[VMX_CTL_PROC] |= CPU_HLT_EXITING;
		break;
	case EXITLAT_EXIT_RDMSR:
	case EXITLAT_EXIT_WRMSR:
		/* with bitmaps only the kind's MSR exits, as under KVM; without, every MSR does */
		optional[VMX_CTL_PROC] |= CPU_USE_MSR_BITMAPS;
		break;
	case EXITLAT_EXIT_CR8_READ:
		required[VMX_CTL_PROC] |= CPU_CR8_STORE_EXITING;
		break;
	case EXITLAT_EXIT_CR8_WRITE:
		required[VMX_CTL_PROC] |= CPU_CR8_LOAD_EXITING;
		break;
	case EXITLAT_EXIT_CR0_WRITE:
		out->cr0_mask = EXITLAT_BIT(2);		/* CR0.EM: the host owns it, as KVM */
		break;
	case EXITLAT_EXIT_CR4_WRITE:
		out->cr4_mask = EXITLAT_BIT(6);		/* CR4.MCE: the host owns it, as KVM */
		break;
	case EXITLAT_EXIT_WBINVD:
		required[VMX_CTL_PROC] |= CPU_SECONDARY_CONTROLS;
		required2 = CPU2_WBINVD_EXITING;
		break;
	case EXITLAT_EXIT_RDPMC:
		required[VMX_CTL_PROC] |= CPU_RDPMC_EXITING;
		break;
	case EXITLAT_EXIT_INTR_EXIT:
		/*
		 * External-interrupt exiting, which every kind has, is all it
		 * needs: with it RFLAGS.IF = 0 does not block the interrupt (SDM
		 * Vol. 3C 26.2), and the guest enters with no STI / MOV-SS
		 * blocking (interruptibility state 0, vmcs_build.c), so the
		 * pending interrupt exits before the guest's first instruction.
		 * "Acknowledge interrupt on exit" stays off (never required nor
		 * optional here; no CPU makes it a must-be-1 bit): the exit leaves
		 * the vector pending in the local APIC's IRR for the host (SDM
		 * 25.7.1, 28.2.2), and every trip of the batch exits on it again.
		 * The guest enters with RFLAGS.IF = 1, as a guest that takes
		 * interrupts: the hardware ignores it here, but Bochs 2.7 exits on
		 * an external interrupt only with it (with IF = 0 its guest ran
		 * its first instructions). An interrupt can still reach no guest
		 * handler: every one exits.
		 */
		out->guest_if = true;
		break;
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

	for (w = 0; w < VMX_CTL_NR; w++) {
		ret = vmx_ctl_derive(vmx_ctl_cap(caps, w), required[w], optional[w],
				     words[w], missing);
		if (ret) {
			*bad_word = w;
			return ret;
		}
	}
	if (required2) {
		ret = vmx_ctl_derive(caps->procbased2, required2, 0, &out->procbased2, missing);
		if (ret) {
			*bad_word = VMX_CTL_PROC2;
			return ret;
		}
	}
	return 0;
}

bool vmx_kind_qual_ok(unsigned int kind, u64 qual)
{
	unsigned int cr = qual & 0xf, access = (qual >> 4) & 3;	/* 0: MOV to CR, 1: MOV from CR */

	switch (kind) {
	case EXITLAT_EXIT_CR8_READ:
		return cr == 8 && access == 1;
	case EXITLAT_EXIT_CR8_WRITE:
		return cr == 8 && access == 0;
	case EXITLAT_EXIT_CR0_WRITE:
		return cr == 0 && access == 0;
	case EXITLAT_EXIT_CR4_WRITE:
		return cr == 4 && access == 0;
	default:
		return true;
	}
}

u32 vmx_kind_exit_reason(unsigned int kind)
{
	switch (kind) {
	case EXITLAT_EXIT_CPUID:
		return EXIT_REASON_CPUID;
	case EXITLAT_EXIT_HYPERCALL:
		return EXIT_REASON_VMCALL;
	case EXITLAT_EXIT_PIO:
		return EXIT_REASON_IO_INSTRUCTION;
	case EXITLAT_EXIT_HLT:
		return EXIT_REASON_HLT;
	case EXITLAT_EXIT_RDMSR:
		return EXIT_REASON_MSR_READ;
	case EXITLAT_EXIT_WRMSR:
		return EXIT_REASON_MSR_WRITE;
	case EXITLAT_EXIT_CR8_READ:
	case EXITLAT_EXIT_CR8_WRITE:
	case EXITLAT_EXIT_CR0_WRITE:
	case EXITLAT_EXIT_CR4_WRITE:
		return EXIT_REASON_CR_ACCESS;
	case EXITLAT_EXIT_XSETBV:
		return EXIT_REASON_XSETBV;
	case EXITLAT_EXIT_WBINVD:
		return EXIT_REASON_WBINVD;
	case EXITLAT_EXIT_RDPMC:
		return EXIT_REASON_RDPMC;
	case EXITLAT_EXIT_INTR_EXIT:
		return EXIT_REASON_EXTERNAL_INTERRUPT;
	default:
		return ~0u;	/* null, and the kinds without a native twin */
	}
}

bool vmx_controls_enable_vpid(const struct vmx_caps *caps, struct vmx_controls *ctl)
{
	u64 proc = vmx_ctl_cap(caps, VMX_CTL_PROC);
	u32 must_be_1 = (u32)caps->procbased2;

	/* the module flushes its VPID with INVVPID, as KVM requires before enabling VPID */
	if (!vmx_invvpid_type(caps) || !((proc >> 32) & CPU_SECONDARY_CONTROLS) ||
	    !((caps->procbased2 >> 32) & CPU2_ENABLE_VPID) ||
	    !vmx_ctl_valid(caps->procbased2, must_be_1 | CPU2_ENABLE_VPID))
		return false;
	ctl->procbased |= CPU_SECONDARY_CONTROLS;
	ctl->procbased2 |= must_be_1 | CPU2_ENABLE_VPID;
	return true;
}

int vmx_invvpid_type(const struct vmx_caps *caps)
{
	if (!(caps->ept_vpid & VMX_EPT_VPID_INVVPID))
		return 0;
	if (caps->ept_vpid & VMX_EPT_VPID_INVVPID_SINGLE)
		return 1;
	return caps->ept_vpid & VMX_EPT_VPID_INVVPID_ALL ? 2 : 0;
}

u64 vmx_fixed_apply(u64 val, u64 fixed0, u64 fixed1)
{
	return (val | fixed0) & fixed1;
}

bool vmx_fixed_ok(u64 val, u64 fixed0, u64 fixed1)
{
	return vmx_fixed_apply(val, fixed0, fixed1) == val;
}
