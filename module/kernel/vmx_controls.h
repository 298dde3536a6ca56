/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * VMCS controls derived from the VMX capability MSRs (SDM Vol. 3, A.3-A.5):
 * the low 32 bits of a control MSR are its allowed-0 settings (a 1 there
 * means the control must be 1), the high 32 bits its allowed-1 settings (a 0
 * there means the control must be 0). Pure logic: no hardware access.
 */
#ifndef EXITLAT_VMX_CONTROLS_H
#define EXITLAT_VMX_CONTROLS_H

#include "compat.h"

/* IA32_VMX_BASIC */
#define VMX_BASIC_REVISION_MASK		0x7fffffffull
#define VMX_BASIC_HAS_TRUE_CTLS		EXITLAT_BIT(55)

/* Pin-based controls */
#define PIN_EXT_INTR_EXITING		EXITLAT_BIT(0)
#define PIN_NMI_EXITING			EXITLAT_BIT(3)
/* Primary processor-based controls */
#define CPU_HLT_EXITING			EXITLAT_BIT(7)
#define CPU_UNCOND_IO_EXITING		EXITLAT_BIT(24)
#define CPU_USE_IO_BITMAPS		EXITLAT_BIT(25)
#define CPU_USE_MSR_BITMAPS		EXITLAT_BIT(28)
#define CPU_SECONDARY_CONTROLS		EXITLAT_BIT(31)
/* VM-exit controls */
#define EXIT_HOST_ADDR_SPACE_SIZE	EXITLAT_BIT(9)
#define EXIT_ACK_INTR_ON_EXIT		EXITLAT_BIT(15)
#define EXIT_LOAD_PAT			EXITLAT_BIT(19)
#define EXIT_LOAD_EFER			EXITLAT_BIT(21)
/* VM-entry controls */
#define ENTRY_IA32E_MODE_GUEST		EXITLAT_BIT(9)
#define ENTRY_LOAD_PAT			EXITLAT_BIT(14)
#define ENTRY_LOAD_EFER			EXITLAT_BIT(15)

/* The capability MSRs the derivation reads (values as read with RDMSR). */
struct vmx_caps {
	u64 basic;
	u64 pinbased, procbased, exit, entry;
	u64 true_pinbased, true_procbased, true_exit, true_entry;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
};

struct vmx_controls {
	u32 pinbased, procbased, exit, entry;
};

/* Which control word failed, for error messages. */
enum vmx_ctl_word { VMX_CTL_PIN, VMX_CTL_PROC, VMX_CTL_EXIT, VMX_CTL_ENTRY, VMX_CTL_NR };
extern const char *const vmx_ctl_word_names[VMX_CTL_NR];

/*
 * One control word from capability MSR @cap: every bit in @required, those
 * of @optional the CPU allows, and every bit the CPU requires. Returns 0, or
 * -EOPNOTSUPP when a required bit is not allowed to be 1 (the missing bits
 * in *@missing), or -EINVAL when @cap itself is inconsistent (a bit that
 * must be 1 but may not be).
 */
int vmx_ctl_derive(u64 cap, u32 required, u32 optional, u32 *out, u32 *missing);
/* Whether @val obeys @cap's allowed-0/allowed-1 settings. */
bool vmx_ctl_valid(u64 cap, u32 val);

/* The capability MSR that governs @word: the TRUE_* one when BASIC[55] says it exists. */
u64 vmx_ctl_cap(const struct vmx_caps *caps, enum vmx_ctl_word word);

/*
 * All four control words for exit kind @kind (EXITLAT_EXIT_*): interrupts
 * and NMIs exit, 64-bit host and guest, HLT or I/O exiting where the kind
 * needs it, EFER/PAT loaded where the CPU allows. On error *@bad_word and
 * *@missing say which control could not be set.
 */
int vmx_controls_for_kind(const struct vmx_caps *caps, unsigned int kind,
			  struct vmx_controls *out, enum vmx_ctl_word *bad_word, u32 *missing);

/* CR0/CR4 fixed bits (SDM A.7, A.8): bits set in fixed0 must be 1, bits clear in fixed1 must be 0. */
u64 vmx_fixed_apply(u64 val, u64 fixed0, u64 fixed1);
bool vmx_fixed_ok(u64 val, u64 fixed0, u64 fixed1);

#endif
