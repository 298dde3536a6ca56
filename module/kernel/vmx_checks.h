/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The checks a VM entry makes before it runs the guest (SDM Vol. 3C, "Checks
 * on VMX Controls and Host-State Area" and "Checks on the Guest-State Area":
 * 27.2 and 27.3 in current editions, 26.2 and 26.3 in older ones), applied
 * to a VMCS image (vmcs_build.h) and the CPU's capability MSRs. The module
 * runs them before the first VM entry of a batch, so a VMCS that a CPU would
 * refuse is named by its rule instead of ending in a bare VMfail; the unit
 * tests run them for CPUs exitlat never met.
 *
 * Limits of a pure model: the processor is taken to be in IA-32e mode and
 * outside SMM (exitlat.ko runs on x86-64 kernels); checks that need guest
 * memory (the VTPR against the TPR threshold, the VMCS link pointer's
 * revision, PDPTEs loaded through CR3 without EPT) are not made; "canonical"
 * means 57-bit when the relevant CR4 has LA57, else 48-bit; reserved bits of
 * EFER, DEBUGCTL and PERF_GLOBAL_CTRL are those no Intel CPU defines, and
 * CR3's LAM bits (62:61) pass, as if every CPU had LAM.
 * Pure logic: no hardware access.
 */
#ifndef EXITLAT_VMX_CHECKS_H
#define EXITLAT_VMX_CHECKS_H

#include "check_rules.h"
#include "compat.h"
#include "vmcs_build.h"
#include "vmx_controls.h"

/* Where a rule belongs, and so how a failing VM entry reports it. */
enum vmx_check_area {
	VMX_AREA_EXITLAT,	/* exitlat's own: a field the VM entry reads was never written */
	VMX_AREA_CONTROLS,	/* VMfailValid, VM-instruction error 7 */
	VMX_AREA_HOST,		/* VMfailValid, VM-instruction error 8 */
	VMX_AREA_GUEST,		/* VM exit 33 (invalid guest state), exit qualification */
};

struct vmx_check_result {
	unsigned int rule;	/* 0 when every check passed */
	const char *name;	/* "host CR4 fixed bits" */
	const char *section;	/* "SDM 27.2.2" */
	enum vmx_check_area area;
	u32 field;		/* the VMCS field that breaks the rule */
	u64 value;		/* and its value */
	u32 vm_error;		/* controls/host: the VM-instruction error VMLAUNCH would give */
	u32 exit_qual;		/* guest: the exit qualification of the VM-entry failure */
};

/*
 * Applies every check to @img on a CPU with capability MSRs @caps and
 * MAXPHYADDR @phys_bits (CPUID 0x80000008 EAX[7:0]). Returns 0, or the
 * number of the first rule that fails, with *@res saying which and why.
 */
unsigned int vmx_check_vm_entry(const struct vmx_caps *caps, const struct vmcs_image *img,
				unsigned int phys_bits, struct vmx_check_result *res);

/* Rule number @rule (1 .. vmx_check_rule_count()), or NULL outside the table. */
const struct check_rule *vmx_check_rule(unsigned int rule);
unsigned int vmx_check_rule_count(void);

/* The name of VMCS field @field ("GUEST_CR4"), or "unknown". */
const char *vmcs_field_name(u32 field);

#endif
