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
#define VMX_BASIC_NO_ERRCODE_CHECK	EXITLAT_BIT(56)	/* any HW exception may carry an error code */
/* IA32_VMX_MISC */
#define VMX_MISC_ACTIVITY_HLT		EXITLAT_BIT(6)
#define VMX_MISC_ACTIVITY_SHUTDOWN	EXITLAT_BIT(7)
#define VMX_MISC_ACTIVITY_SIPI		EXITLAT_BIT(8)
#define VMX_MISC_CR3_TARGETS(misc)	((unsigned int)((misc) >> 16) & 0x1ff)
#define VMX_MISC_ZERO_LEN_INJECTION	EXITLAT_BIT(30)
/* IA32_VMX_EPT_VPID_CAP */
#define VMX_EPT_WALK_4			EXITLAT_BIT(6)
#define VMX_EPT_WALK_5			EXITLAT_BIT(7)
#define VMX_EPT_MEMTYPE_UC		EXITLAT_BIT(8)
#define VMX_EPT_MEMTYPE_WB		EXITLAT_BIT(14)
#define VMX_EPT_AD_BITS			EXITLAT_BIT(21)
#define VMX_EPT_SSS			EXITLAT_BIT(23)	/* supervisor shadow-stack control */

/* Pin-based controls */
#define PIN_EXT_INTR_EXITING		EXITLAT_BIT(0)
#define PIN_NMI_EXITING			EXITLAT_BIT(3)
#define PIN_VIRTUAL_NMIS		EXITLAT_BIT(5)
#define PIN_PREEMPTION_TIMER		EXITLAT_BIT(6)
#define PIN_POSTED_INTR			EXITLAT_BIT(7)
/* Primary processor-based controls */
#define CPU_INTR_WINDOW_EXITING		EXITLAT_BIT(2)
#define CPU_HLT_EXITING			EXITLAT_BIT(7)
#define CPU_RDPMC_EXITING		EXITLAT_BIT(11)
#define CPU_CR8_LOAD_EXITING		EXITLAT_BIT(19)	/* MOV to CR8 */
#define CPU_CR8_STORE_EXITING		EXITLAT_BIT(20)	/* MOV from CR8 */
#define CPU_USE_TPR_SHADOW		EXITLAT_BIT(21)
#define CPU_NMI_WINDOW_EXITING		EXITLAT_BIT(22)
#define CPU_UNCOND_IO_EXITING		EXITLAT_BIT(24)
#define CPU_USE_IO_BITMAPS		EXITLAT_BIT(25)
#define CPU_USE_MSR_BITMAPS		EXITLAT_BIT(28)
#define CPU_SECONDARY_CONTROLS		EXITLAT_BIT(31)
/* Secondary processor-based controls */
#define CPU2_VIRT_APIC_ACCESSES		EXITLAT_BIT(0)
#define CPU2_ENABLE_EPT			EXITLAT_BIT(1)
#define CPU2_VIRT_X2APIC_MODE		EXITLAT_BIT(4)
#define CPU2_WBINVD_EXITING		EXITLAT_BIT(6)
#define CPU2_ENABLE_VPID		EXITLAT_BIT(5)
#define CPU2_UNRESTRICTED_GUEST		EXITLAT_BIT(7)
#define CPU2_APIC_REGISTER_VIRT		EXITLAT_BIT(8)
#define CPU2_VIRT_INTR_DELIVERY		EXITLAT_BIT(9)
#define CPU2_VM_FUNCTIONS		EXITLAT_BIT(13)
#define CPU2_VMCS_SHADOWING		EXITLAT_BIT(14)
#define CPU2_ENABLE_PML			EXITLAT_BIT(17)
#define CPU2_EPT_VIOLATION_VE		EXITLAT_BIT(18)
#define CPU2_MODE_BASED_EPT_EXEC	EXITLAT_BIT(22)
#define CPU2_SUB_PAGE_WRITE		EXITLAT_BIT(23)
/* IA32_VMX_EPT_VPID_CAP: INVVPID and its types (SDM A.10) */
#define VMX_EPT_VPID_INVVPID		EXITLAT_BIT(32)
#define VMX_EPT_VPID_INVVPID_SINGLE	EXITLAT_BIT(41)
#define VMX_EPT_VPID_INVVPID_ALL	EXITLAT_BIT(42)
/* VM-exit controls */
#define EXIT_SAVE_DEBUG_CONTROLS	EXITLAT_BIT(2)
#define EXIT_HOST_ADDR_SPACE_SIZE	EXITLAT_BIT(9)
#define EXIT_LOAD_PERF_GLOBAL_CTRL	EXITLAT_BIT(12)
#define EXIT_ACK_INTR_ON_EXIT		EXITLAT_BIT(15)
#define EXIT_LOAD_PAT			EXITLAT_BIT(19)
#define EXIT_LOAD_EFER			EXITLAT_BIT(21)
#define EXIT_SAVE_PREEMPTION_TIMER	EXITLAT_BIT(22)
#define EXIT_LOAD_CET_STATE		EXITLAT_BIT(28)
#define EXIT_LOAD_PKRS			EXITLAT_BIT(29)
/* VM-entry controls */
#define ENTRY_LOAD_DEBUG_CONTROLS	EXITLAT_BIT(2)
#define ENTRY_IA32E_MODE_GUEST		EXITLAT_BIT(9)
#define ENTRY_SMM			EXITLAT_BIT(10)
#define ENTRY_DEACT_DUAL_MONITOR	EXITLAT_BIT(11)
#define ENTRY_LOAD_PERF_GLOBAL_CTRL	EXITLAT_BIT(13)
#define ENTRY_LOAD_PAT			EXITLAT_BIT(14)
#define ENTRY_LOAD_EFER			EXITLAT_BIT(15)
#define ENTRY_LOAD_BNDCFGS		EXITLAT_BIT(16)
#define ENTRY_LOAD_CET_STATE		EXITLAT_BIT(20)
#define ENTRY_LOAD_PKRS			EXITLAT_BIT(22)

/*
 * The capability MSRs the derivation and the VM-entry checks read (values
 * as read with RDMSR). procbased2 and ept_vpid are 0 where the CPU lacks
 * secondary controls, vmfunc where it lacks VM functions.
 */
struct vmx_caps {
	u64 basic;
	u64 pinbased, procbased, exit, entry;
	u64 true_pinbased, true_procbased, true_exit, true_entry;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u64 misc, procbased2, ept_vpid, vmfunc;
};

struct vmx_controls {
	u32 pinbased, procbased, exit, entry;
	u32 procbased2;		/* used only when procbased has CPU_SECONDARY_CONTROLS */
	/* CR bits the host owns: a guest MOV to CR0/CR4 that changes one exits (SDM 26.1.3) */
	u64 cr0_mask, cr4_mask;
	bool guest_if;		/* the guest enters with RFLAGS.IF = 1 (intr-exit), else 0 */
};

/* Which control word failed, for error messages (PROC2: derived apart, for the kinds that need it). */
enum vmx_ctl_word { VMX_CTL_PIN, VMX_CTL_PROC, VMX_CTL_EXIT, VMX_CTL_ENTRY, VMX_CTL_NR,
		    VMX_CTL_PROC2 = VMX_CTL_NR };
extern const char *const vmx_ctl_word_names[VMX_CTL_NR + 1];

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

/* The basic exit reason kind @kind's guest instruction gives (SDM Appendix C); ~0 for none. */
u32 vmx_kind_exit_reason(unsigned int kind);

/*
 * For the control-register kinds, whether exit qualification @qual is the
 * kind's own access (SDM Table 28-3: CR number, MOV to or from); true for
 * every other kind. One exit reason (28) covers them all.
 */
bool vmx_kind_qual_ok(unsigned int kind, u64 qual);

/*
 * Turns on "enable VPID" (and "activate secondary controls") in @ctl where
 * @caps allow both. Returns whether it did; @ctl is unchanged otherwise.
 */
bool vmx_controls_enable_vpid(const struct vmx_caps *caps, struct vmx_controls *ctl);

/*
 * The INVVPID type that flushes the module's VPID: 1 (single context) where
 * the CPU has it, else 2 (all contexts), 0 without INVVPID.
 */
int vmx_invvpid_type(const struct vmx_caps *caps);

/* CR0/CR4 fixed bits (SDM A.7, A.8): bits set in fixed0 must be 1, bits clear in fixed1 must be 0. */
u64 vmx_fixed_apply(u64 val, u64 fixed0, u64 fixed1);
bool vmx_fixed_ok(u64 val, u64 fixed0, u64 fixed1);

#endif
