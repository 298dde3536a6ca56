// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * VM-entry checks: see vmx_checks.h. Each rule is one row below with the
 * section of the current SDM (Vol. 3C, chapter 27: VM Entries) it comes
 * from; the code applies them in the SDM's order (controls, host state,
 * guest state), except that within an area a rule that explains others
 * (the address-space size, RFLAGS.VM) comes first. The SDM lets a CPU check
 * in any order, so the rule named is the first of this order, not
 * necessarily the one a CPU would report.
 */
#include "vmx_checks.h"
#include "arch_bits.h"
#include "vmcs.h"

/* X(id, name, section, area, exit qualification of a guest-state failure) */
#define VMX_RULES(X)								\
	X(NOT_WRITTEN, "VMCS field not written", "SDM 25.11.3", EXITLAT, 0)	\
	X(PIN_RESERVED, "pin-based controls reserved bits", "SDM 27.2.1.1", CONTROLS, 0) \
	X(PROC_RESERVED, "primary processor-based controls reserved bits", "SDM 27.2.1.1", \
	  CONTROLS, 0)								\
	X(PROC2_RESERVED, "secondary processor-based controls reserved bits", "SDM 27.2.1.1", \
	  CONTROLS, 0)								\
	X(CR3_TARGETS, "CR3-target count", "SDM 27.2.1.1", CONTROLS, 0)	\
	X(IO_BITMAPS, "I/O bitmap addresses", "SDM 27.2.1.1", CONTROLS, 0)	\
	X(MSR_BITMAP, "MSR bitmap address", "SDM 27.2.1.1", CONTROLS, 0)	\
	X(VIRTUAL_APIC, "virtual-APIC address", "SDM 27.2.1.1", CONTROLS, 0)	\
	X(TPR_THRESHOLD, "TPR threshold reserved bits", "SDM 27.2.1.1", CONTROLS, 0) \
	X(APICV_NO_TPR_SHADOW, "APIC virtualization without TPR shadow", "SDM 27.2.1.1", \
	  CONTROLS, 0)								\
	X(VNMI_NO_NMI_EXITING, "virtual NMIs without NMI exiting", "SDM 27.2.1.1", CONTROLS, 0) \
	X(NMI_WINDOW_NO_VNMI, "NMI-window exiting without virtual NMIs", "SDM 27.2.1.1", \
	  CONTROLS, 0)								\
	X(APIC_ACCESS, "APIC-access address", "SDM 27.2.1.1", CONTROLS, 0)	\
	X(X2APIC_WITH_APIC_ACCESS, "virtualize x2APIC mode with APIC accesses", \
	  "SDM 27.2.1.1", CONTROLS, 0)						\
	X(VID_NO_EXT_INTR, "virtual-interrupt delivery without external-interrupt exiting", \
	  "SDM 27.2.1.1", CONTROLS, 0)						\
	X(POSTED_INTR, "posted interrupts", "SDM 27.2.1.1", CONTROLS, 0)	\
	X(VPID_ZERO, "VPID is 0", "SDM 27.2.1.1", CONTROLS, 0)			\
	X(EPT_POINTER, "EPT pointer", "SDM 27.2.1.1", CONTROLS, 0)		\
	X(UNRESTRICTED_NO_EPT, "unrestricted guest without EPT", "SDM 27.2.1.1", CONTROLS, 0) \
	X(EPT_REQUIRED, "PML, MBEC or SPP without EPT", "SDM 27.2.1.1", CONTROLS, 0) \
	X(PML_ADDRESS, "PML address", "SDM 27.2.1.1", CONTROLS, 0)		\
	X(VMFUNC_RESERVED, "VM-function controls reserved bits", "SDM 27.2.1.1", CONTROLS, 0) \
	X(EPTP_SWITCHING, "EPTP switching", "SDM 27.2.1.1", CONTROLS, 0)	\
	X(SHADOW_BITMAPS, "VMREAD/VMWRITE bitmap addresses", "SDM 27.2.1.1", CONTROLS, 0) \
	X(VE_INFO, "#VE information address", "SDM 27.2.1.1", CONTROLS, 0)	\
	X(EXIT_RESERVED, "VM-exit controls reserved bits", "SDM 27.2.1.2", CONTROLS, 0) \
	X(SAVE_TIMER, "save preemption timer without the timer", "SDM 27.2.1.2", CONTROLS, 0) \
	X(EXIT_MSR_STORE, "VM-exit MSR-store address", "SDM 27.2.1.2", CONTROLS, 0) \
	X(EXIT_MSR_LOAD, "VM-exit MSR-load address", "SDM 27.2.1.2", CONTROLS, 0) \
	X(ENTRY_RESERVED, "VM-entry controls reserved bits", "SDM 27.2.1.3", CONTROLS, 0) \
	X(ENTRY_SMM, "entry to SMM outside SMM", "SDM 27.2.1.3", CONTROLS, 0)	\
	X(ENTRY_MSR_LOAD, "VM-entry MSR-load address", "SDM 27.2.1.3", CONTROLS, 0) \
	X(INJECT_TYPE, "event injection type", "SDM 27.2.1.3", CONTROLS, 0)	\
	X(INJECT_VECTOR, "event injection vector", "SDM 27.2.1.3", CONTROLS, 0) \
	X(INJECT_ERRCODE_BIT, "event injection deliver-error-code bit", "SDM 27.2.1.3", \
	  CONTROLS, 0)								\
	X(INJECT_RESERVED, "event injection reserved bits", "SDM 27.2.1.3", CONTROLS, 0) \
	X(INJECT_ERRCODE, "event injection error code", "SDM 27.2.1.3", CONTROLS, 0) \
	X(INJECT_LENGTH, "event injection instruction length", "SDM 27.2.1.3", CONTROLS, 0) \
	X(HOST_ADDR_SIZE, "host address-space size", "SDM 27.2.4", HOST, 0)	\
	X(HOST_64_PAE, "host CR4.PAE with a 64-bit host", "SDM 27.2.4", HOST, 0) \
	X(HOST_RIP, "host RIP", "SDM 27.2.4", HOST, 0)				\
	X(HOST_CR0, "host CR0 fixed bits", "SDM 27.2.2", HOST, 0)		\
	X(HOST_CR4, "host CR4 fixed bits", "SDM 27.2.2", HOST, 0)		\
	X(HOST_CR3, "host CR3 beyond physical-address width", "SDM 27.2.2", HOST, 0) \
	X(HOST_CET_WP, "host CR4.CET without CR0.WP", "SDM 27.2.2", HOST, 0)	\
	X(HOST_SYSENTER, "host SYSENTER_ESP/EIP canonical", "SDM 27.2.2", HOST, 0) \
	X(HOST_PERF_GLOBAL, "host PERF_GLOBAL_CTRL reserved bits", "SDM 27.2.2", HOST, 0) \
	X(HOST_PAT, "host PAT memory types", "SDM 27.2.2", HOST, 0)		\
	X(HOST_EFER_RESERVED, "host EFER reserved bits", "SDM 27.2.2", HOST, 0) \
	X(HOST_EFER_LMA, "host EFER.LMA/LME and address-space size", "SDM 27.2.2", HOST, 0) \
	X(HOST_PKRS, "host PKRS bits 63:32", "SDM 27.2.2", HOST, 0)		\
	X(HOST_CET, "host CET state", "SDM 27.2.2", HOST, 0)			\
	X(HOST_SEL_RPL_TI, "host selector RPL and TI", "SDM 27.2.3", HOST, 0)	\
	X(HOST_CS_NULL, "host CS selector null", "SDM 27.2.3", HOST, 0)	\
	X(HOST_TR_NULL, "host TR selector null", "SDM 27.2.3", HOST, 0)	\
	X(HOST_BASE, "host FS/GS/TR/GDTR/IDTR base canonical", "SDM 27.2.3", HOST, 0) \
	X(GUEST_CR0, "guest CR0 fixed bits", "SDM 27.3.1.1", GUEST, 0)	\
	X(GUEST_CR0_PG_PE, "guest CR0.PG without CR0.PE", "SDM 27.3.1.1", GUEST, 0) \
	X(GUEST_CR4, "guest CR4 fixed bits", "SDM 27.3.1.1", GUEST, 0)	\
	X(GUEST_CET_WP, "guest CR4.CET without CR0.WP", "SDM 27.3.1.1", GUEST, 0) \
	X(GUEST_DEBUGCTL, "guest DEBUGCTL reserved bits", "SDM 27.3.1.1", GUEST, 0) \
	X(GUEST_IA32E_PG_PAE, "IA-32e mode guest without CR0.PG and CR4.PAE", "SDM 27.3.1.1", \
	  GUEST, 0)								\
	X(GUEST_PCIDE, "guest CR4.PCIDE outside IA-32e mode", "SDM 27.3.1.1", GUEST, 0) \
	X(GUEST_CR3, "guest CR3 beyond physical-address width", "SDM 27.3.1.1", GUEST, 0) \
	X(GUEST_DR7, "guest DR7 bits 63:32", "SDM 27.3.1.1", GUEST, 0)	\
	X(GUEST_SYSENTER, "guest SYSENTER_ESP/EIP canonical", "SDM 27.3.1.1", GUEST, 0) \
	X(GUEST_PERF_GLOBAL, "guest PERF_GLOBAL_CTRL reserved bits", "SDM 27.3.1.1", GUEST, 0) \
	X(GUEST_PAT, "guest PAT memory types", "SDM 27.3.1.1", GUEST, 0)	\
	X(GUEST_EFER_RESERVED, "guest EFER reserved bits", "SDM 27.3.1.1", GUEST, 0) \
	X(GUEST_EFER_LMA, "guest EFER.LMA and IA-32e mode guest", "SDM 27.3.1.1", GUEST, 0) \
	X(GUEST_EFER_LME, "guest EFER.LME and LMA with paging", "SDM 27.3.1.1", GUEST, 0) \
	X(GUEST_BNDCFGS, "guest BNDCFGS", "SDM 27.3.1.1", GUEST, 0)		\
	X(GUEST_CET, "guest CET state", "SDM 27.3.1.1", GUEST, 0)		\
	X(GUEST_PKRS, "guest PKRS bits 63:32", "SDM 27.3.1.1", GUEST, 0)	\
	X(GUEST_RFLAGS_RESERVED, "guest RFLAGS reserved bits", "SDM 27.3.1.4", GUEST, 0) \
	X(GUEST_RFLAGS_VM, "guest RFLAGS.VM in IA-32e mode or real mode", "SDM 27.3.1.4", \
	  GUEST, 0)								\
	X(GUEST_RFLAGS_IF, "guest RFLAGS.IF for an injected interrupt", "SDM 27.3.1.4", GUEST, 0) \
	X(GUEST_RIP, "guest RIP", "SDM 27.3.1.4", GUEST, 0)			\
	X(GUEST_TR_TI, "guest TR selector TI", "SDM 27.3.1.2", GUEST, 0)	\
	X(GUEST_LDTR_TI, "guest LDTR selector TI", "SDM 27.3.1.2", GUEST, 0)	\
	X(GUEST_SS_RPL, "guest SS RPL and CS RPL", "SDM 27.3.1.2", GUEST, 0)	\
	X(GUEST_V86_SEG, "guest virtual-8086 segment", "SDM 27.3.1.2", GUEST, 0) \
	X(GUEST_SEG_BASE, "guest segment base", "SDM 27.3.1.2", GUEST, 0)	\
	X(GUEST_SS_DPL, "guest SS DPL", "SDM 27.3.1.2", GUEST, 0)		\
	X(GUEST_CS_TYPE, "guest CS type", "SDM 27.3.1.2", GUEST, 0)		\
	X(GUEST_SS_TYPE, "guest SS type", "SDM 27.3.1.2", GUEST, 0)		\
	X(GUEST_DATA_TYPE, "guest DS/ES/FS/GS type", "SDM 27.3.1.2", GUEST, 0) \
	X(GUEST_SEG_S, "guest segment S bit", "SDM 27.3.1.2", GUEST, 0)	\
	X(GUEST_CS_DPL, "guest CS DPL", "SDM 27.3.1.2", GUEST, 0)		\
	X(GUEST_DATA_DPL, "guest DS/ES/FS/GS DPL", "SDM 27.3.1.2", GUEST, 0)	\
	X(GUEST_SEG_P, "guest segment present", "SDM 27.3.1.2", GUEST, 0)	\
	X(GUEST_SEG_AR_RESERVED, "guest segment access-rights reserved bits", "SDM 27.3.1.2", \
	  GUEST, 0)								\
	X(GUEST_CS_L_D, "guest CS.L with CS.D/B", "SDM 27.3.1.2", GUEST, 0)	\
	X(GUEST_SEG_LIMIT_G, "guest segment limit and G", "SDM 27.3.1.2", GUEST, 0) \
	X(GUEST_TR_TYPE, "guest TR type", "SDM 27.3.1.2", GUEST, 0)		\
	X(GUEST_TR_AR, "guest TR access rights", "SDM 27.3.1.2", GUEST, 0)	\
	X(GUEST_LDTR_AR, "guest LDTR access rights", "SDM 27.3.1.2", GUEST, 0) \
	X(GUEST_DTR_BASE, "guest GDTR/IDTR base canonical", "SDM 27.3.1.3", GUEST, 0) \
	X(GUEST_DTR_LIMIT, "guest GDTR/IDTR limit bits 31:16", "SDM 27.3.1.3", GUEST, 0) \
	X(GUEST_ACTIVITY, "guest activity state", "SDM 27.3.1.5", GUEST, 0)	\
	X(GUEST_ACTIVITY_HLT_DPL, "guest HLT state with SS.DPL not 0", "SDM 27.3.1.5", GUEST, 0) \
	X(GUEST_ACTIVITY_BLOCKING, "guest inactive with STI or MOV-SS blocking", "SDM 27.3.1.5", \
	  GUEST, 0)								\
	X(GUEST_ACTIVITY_EVENT, "guest activity state for the injected event", "SDM 27.3.1.5", \
	  GUEST, 0)								\
	X(GUEST_INTR_RESERVED, "guest interruptibility reserved bits", "SDM 27.3.1.5", GUEST, 0) \
	X(GUEST_INTR_STI_MOVSS, "guest STI and MOV-SS blocking together", "SDM 27.3.1.5", \
	  GUEST, 0)								\
	X(GUEST_INTR_STI_IF, "guest STI blocking with RFLAGS.IF 0", "SDM 27.3.1.5", GUEST, 0) \
	X(GUEST_INTR_EXT_INJECT, "guest blocking for an injected interrupt", "SDM 27.3.1.5", \
	  GUEST, 0)								\
	X(GUEST_INTR_NMI_MOVSS, "guest MOV-SS blocking for an injected NMI", "SDM 27.3.1.5", \
	  GUEST, 0)								\
	X(GUEST_INTR_NMI_STI, "guest STI blocking for an injected NMI", "SDM 27.3.1.5", GUEST, \
	  ENTRY_FAIL_QUAL_NMI_STI)						\
	X(GUEST_INTR_SMI, "guest SMI blocking outside SMM", "SDM 27.3.1.5", GUEST, 0) \
	X(GUEST_INTR_VNMI, "guest NMI blocking for an injected virtual NMI", "SDM 27.3.1.5", \
	  GUEST, 0)								\
	X(GUEST_PENDING_DBG, "guest pending debug exceptions reserved bits", "SDM 27.3.1.5", \
	  GUEST, 0)								\
	X(GUEST_PENDING_BS, "guest pending BS and RFLAGS.TF", "SDM 27.3.1.5", GUEST, 0) \
	X(GUEST_PENDING_RTM, "guest pending RTM debug exception", "SDM 27.3.1.5", GUEST, 0) \
	X(GUEST_VMCS_LINK, "VMCS link pointer", "SDM 27.3.1.5", GUEST, ENTRY_FAIL_QUAL_VMCS_LINK) \
	X(GUEST_PDPTE, "guest PDPTEs", "SDM 27.3.1.6", GUEST, ENTRY_FAIL_QUAL_PDPTE)

#define RULE_ENUM(id, name, section, area, qual) R_##id,
enum vmx_rule { R_NONE, VMX_RULES(RULE_ENUM) R_NR };
#undef RULE_ENUM

#define RULE_ROW(id, name, section, area, qual) \
	[R_##id] = { { name, section }, VMX_AREA_##area, qual },
static const struct {
	struct check_rule r;
	enum vmx_check_area area;
	u32 qual;
} rules[R_NR] = { VMX_RULES(RULE_ROW) };
#undef RULE_ROW

/* CR3 bits 62:61 enable LAM for user pointers (Linux sets them only where the CPU has LAM) */
#define CR3_LAM			(EXITLAT_BIT(61) | EXITLAT_BIT(62))
#define EFER_INTEL_BITS		0xd01ull		/* SCE, LME, LMA, NXE */
#define DEBUGCTL_BITS		0xffc3ull		/* LBR, BTF, 6-15: 2-5, 16-63 reserved */
#define DEBUGCTL_BTF		EXITLAT_BIT(1)
#define PERF_GLOBAL_RESERVED	(~0ull << 49)		/* beyond 32 GP, 16 fixed, metrics */
#define BNDCFGS_RESERVED	0xffcull		/* bits 11:2 */
#define RFLAGS_FIXED1		EXITLAT_BIT(1)
#define RFLAGS_RESERVED		0xffffffffffc08028ull	/* 63:22, 15, 5, 3 */
#define RFLAGS_TF		EXITLAT_BIT(8)
#define RFLAGS_IF		EXITLAT_BIT(9)
#define RFLAGS_VM		EXITLAT_BIT(17)
#define CPU_TSC_OFFSETTING	EXITLAT_BIT(3)
#define CPU_MTF			EXITLAT_BIT(27)
#define VMFUNC_EPTP_SWITCHING	EXITLAT_BIT(0)

/* Access rights (SDM 25.4.1) */
#define AR_TYPE(ar)		((unsigned int)(ar) & 0xf)
#define AR_S			EXITLAT_BIT(4)
#define AR_DPL(ar)		((unsigned int)((ar) >> 5) & 3)
#define AR_P			EXITLAT_BIT(7)
#define AR_L			EXITLAT_BIT(13)
#define AR_DB			EXITLAT_BIT(14)
#define AR_G			EXITLAT_BIT(15)
#define AR_UNUSABLE		EXITLAT_BIT(16)
#define AR_RESERVED		0xfffe0f00ull		/* 31:17, 11:8 */

/* VM-entry interruption information (SDM 25.8.3) */
#define INJ_VALID		EXITLAT_BIT(31)
#define INJ_DELIVER_ERRCODE	EXITLAT_BIT(11)
#define INJ_RESERVED		0x7ffff000ull
#define INJ_TYPE(info)		((unsigned int)((info) >> 8) & 7)
#define INJ_VECTOR(info)	((unsigned int)(info) & 0xff)
enum { INJ_EXT_INTR = 0, INJ_NMI = 2, INJ_HW_EXC = 3, INJ_SW_INTR = 4, INJ_PRIV_SW_EXC = 5,
       INJ_SW_EXC = 6, INJ_OTHER = 7 };

/* Guest non-register state (SDM 25.4.2) */
enum { ACT_ACTIVE, ACT_HLT, ACT_SHUTDOWN, ACT_WAIT_SIPI };
#define INTR_STI		EXITLAT_BIT(0)
#define INTR_MOVSS		EXITLAT_BIT(1)
#define INTR_SMI		EXITLAT_BIT(2)
#define INTR_NMI		EXITLAT_BIT(3)
#define INTR_RESERVED		(~0x1full)
#define PEND_BS			EXITLAT_BIT(14)
#define PEND_ENABLED_BP		EXITLAT_BIT(12)
#define PEND_RTM		EXITLAT_BIT(16)
#define PEND_RESERVED		(~0x1500full)		/* all but 3:0, 12, 14, 16 */

enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR, SEG_NR };

struct ctx {
	const struct vmx_caps *caps;
	const struct vmcs_image *img;
	unsigned int phys_bits;
	struct vmx_check_result *res;
	u32 pin, proc, proc2, exit, entry;
	bool ia32e;		/* "IA-32e mode guest" */
	bool ug;		/* "unrestricted guest" */
};

static u64 fld(const struct ctx *c, u32 field)
{
	u64 v = 0;

	vmcs_image_get(c->img, field, &v);
	return v;
}

static unsigned int fail(struct ctx *c, enum vmx_rule rule, u32 field, u64 value)
{
	struct vmx_check_result *res = c->res;

	res->rule = rule;
	res->name = rules[rule].r.name;
	res->section = rules[rule].r.section;
	res->area = rules[rule].area;
	res->field = field;
	res->value = value;
	res->vm_error = res->area == VMX_AREA_CONTROLS ? VMXERR_ENTRY_INVALID_CONTROL :
			res->area == VMX_AREA_HOST ? VMXERR_ENTRY_INVALID_HOST_STATE : 0;
	res->exit_qual = rules[rule].qual;
	return rule;
}

/* Canonical for the linear-address width that @cr4 selects (LA57: 57 bits, else 48). */
static bool canonical(u64 addr, u64 cr4)
{
	unsigned int bits = (cr4 & CR4_LA57) ? 57 : 48;
	u64 top = addr >> (bits - 1);

	return top == 0 || top == ~0ull >> (bits - 1);
}

static bool phys_ok(const struct ctx *c, u64 addr)
{
	return c->phys_bits >= 64 || !(addr >> c->phys_bits);
}

/* CR0 against its fixed bits but for CD and NW, which no VM entry or exit changes. */
static bool cr0_fixed_ok(u64 cr0, u64 fixed0, u64 fixed1)
{
	return vmx_fixed_ok(cr0 & ~(CR0_CD | CR0_NW), fixed0 & ~(CR0_CD | CR0_NW), fixed1);
}

/* A CR3 value: nothing beyond the physical-address width but the LAM bits. */
static bool cr3_ok(const struct ctx *c, u64 cr3)
{
	return phys_ok(c, cr3 & ~CR3_LAM);
}

static bool page_ok(const struct ctx *c, u64 addr)
{
	return !(addr & 0xfff) && phys_ok(c, addr);
}

/* An MSR-load/store area: 16-byte aligned, first and last byte within the width. */
static bool msr_area_ok(const struct ctx *c, u64 addr, u64 count)
{
	return !(addr & 0xf) && phys_ok(c, addr) && phys_ok(c, addr + count * 16 - 1);
}

/* Limit and granularity agree: G = 1 needs limit[11:0] all set, G = 0 limit[31:20] clear. */
static bool limit_g_ok(u64 limit, u64 ar)
{
	if (ar & AR_G)
		return (limit & 0xfff) == 0xfff;
	return !(limit & 0xfff00000);
}

static bool eptp_ok(const struct ctx *c, u64 eptp)
{
	u64 cap = c->caps->ept_vpid;
	unsigned int type = eptp & 7, walk = (eptp >> 3) & 7;

	if (!(type == 0 && (cap & VMX_EPT_MEMTYPE_UC)) && !(type == 6 && (cap & VMX_EPT_MEMTYPE_WB)))
		return false;
	if (!(walk == 3 && (cap & VMX_EPT_WALK_4)) && !(walk == 4 && (cap & VMX_EPT_WALK_5)))
		return false;
	if ((eptp & EXITLAT_BIT(6)) && !(cap & VMX_EPT_AD_BITS))
		return false;
	if ((eptp & EXITLAT_BIT(7)) && !(cap & VMX_EPT_SSS))
		return false;
	return !(eptp & 0xf00) && phys_ok(c, eptp);
}

/* ---- exitlat's own rule: VMCLEAR leaves fields undefined: all that are read were written ---- */

static const u32 always_read[] = {
	PIN_BASED_VM_EXEC_CONTROL, CPU_BASED_VM_EXEC_CONTROL, VM_EXIT_CONTROLS, VM_ENTRY_CONTROLS,
	EXCEPTION_BITMAP, PAGE_FAULT_ERROR_CODE_MASK, PAGE_FAULT_ERROR_CODE_MATCH,
	CR3_TARGET_COUNT, VM_EXIT_MSR_STORE_COUNT, VM_EXIT_MSR_LOAD_COUNT,
	VM_ENTRY_MSR_LOAD_COUNT, VM_ENTRY_INTR_INFO_FIELD, CR0_GUEST_HOST_MASK,
	CR4_GUEST_HOST_MASK, CR0_READ_SHADOW, CR4_READ_SHADOW, VMCS_LINK_POINTER,
	HOST_CR0, HOST_CR3, HOST_CR4, HOST_ES_SELECTOR, HOST_CS_SELECTOR, HOST_SS_SELECTOR,
	HOST_DS_SELECTOR, HOST_FS_SELECTOR, HOST_GS_SELECTOR, HOST_TR_SELECTOR, HOST_FS_BASE,
	HOST_GS_BASE, HOST_TR_BASE, HOST_GDTR_BASE, HOST_IDTR_BASE, HOST_IA32_SYSENTER_CS,
	HOST_IA32_SYSENTER_ESP, HOST_IA32_SYSENTER_EIP, HOST_RIP,
	GUEST_CR0, GUEST_CR3, GUEST_CR4, GUEST_GDTR_BASE, GUEST_GDTR_LIMIT, GUEST_IDTR_BASE,
	GUEST_IDTR_LIMIT, GUEST_SYSENTER_CS, GUEST_SYSENTER_ESP, GUEST_SYSENTER_EIP, GUEST_RSP,
	GUEST_RIP, GUEST_RFLAGS, GUEST_ACTIVITY_STATE, GUEST_INTERRUPTIBILITY_INFO,
	GUEST_PENDING_DBG_EXCEPTIONS,
};

/* The fields a control makes the VM entry read: the control word, the bit, the fields. */
enum { W_PIN, W_PROC, W_PROC2, W_EXIT, W_ENTRY };
static const struct {
	u8 word;
	u8 n;
	u32 bit;
	u32 field[3];
} ctl_fields[] = {
	{ W_PROC, 1, CPU_SECONDARY_CONTROLS, { SECONDARY_VM_EXEC_CONTROL } },
	{ W_PROC2, 1, CPU2_ENABLE_VPID, { VIRTUAL_PROCESSOR_ID } },
	{ W_PROC, 1, CPU_TSC_OFFSETTING, { TSC_OFFSET } },
	{ W_PROC, 2, CPU_USE_IO_BITMAPS, { IO_BITMAP_A, IO_BITMAP_B } },
	{ W_PROC, 1, CPU_USE_MSR_BITMAPS, { MSR_BITMAP } },
	{ W_PROC, 1, CPU_USE_TPR_SHADOW, { VIRTUAL_APIC_PAGE_ADDR } },
	{ W_PROC2, 1, CPU2_VIRT_APIC_ACCESSES, { APIC_ACCESS_ADDR } },
	{ W_PIN, 2, PIN_POSTED_INTR, { POSTED_INTR_NV, POSTED_INTR_DESC_ADDR } },
	{ W_PROC2, 1, CPU2_ENABLE_EPT, { EPT_POINTER } },
	{ W_PROC2, 1, CPU2_ENABLE_PML, { PML_ADDRESS } },
	{ W_PROC2, 1, CPU2_VM_FUNCTIONS, { VM_FUNCTION_CONTROL } },
	{ W_PROC2, 2, CPU2_VMCS_SHADOWING, { VMREAD_BITMAP, VMWRITE_BITMAP } },
	{ W_PROC2, 1, CPU2_EPT_VIOLATION_VE, { VE_INFORMATION_ADDRESS } },
	{ W_EXIT, 1, EXIT_LOAD_PERF_GLOBAL_CTRL, { HOST_IA32_PERF_GLOBAL_CTRL } },
	{ W_EXIT, 1, EXIT_LOAD_PAT, { HOST_IA32_PAT } },
	{ W_EXIT, 1, EXIT_LOAD_EFER, { HOST_IA32_EFER } },
	{ W_EXIT, 1, EXIT_LOAD_PKRS, { HOST_IA32_PKRS } },
	{ W_EXIT, 3, EXIT_LOAD_CET_STATE, { HOST_S_CET, HOST_SSP, HOST_INTR_SSP_TABLE } },
	{ W_ENTRY, 2, ENTRY_LOAD_DEBUG_CONTROLS, { GUEST_DR7, GUEST_IA32_DEBUGCTL } },
	{ W_ENTRY, 1, ENTRY_LOAD_PERF_GLOBAL_CTRL, { GUEST_IA32_PERF_GLOBAL_CTRL } },
	{ W_ENTRY, 1, ENTRY_LOAD_PAT, { GUEST_IA32_PAT } },
	{ W_ENTRY, 1, ENTRY_LOAD_EFER, { GUEST_IA32_EFER } },
	{ W_ENTRY, 1, ENTRY_LOAD_BNDCFGS, { GUEST_BNDCFGS } },
	{ W_ENTRY, 3, ENTRY_LOAD_CET_STATE, { GUEST_S_CET, GUEST_SSP, GUEST_INTR_SSP_TABLE } },
	{ W_ENTRY, 1, ENTRY_LOAD_PKRS, { GUEST_IA32_PKRS } },
};

/* The fields the VM entry reads under the current controls and state, beyond always_read. */
static unsigned int fields_read(const struct ctx *c, u32 *f)
{
	const u32 words[] = { [W_PIN] = c->pin, [W_PROC] = c->proc, [W_PROC2] = c->proc2,
			      [W_EXIT] = c->exit, [W_ENTRY] = c->entry };
	u64 info = fld(c, VM_ENTRY_INTR_INFO_FIELD);
	unsigned int n = 0, i, j;

	for (i = 0; i < SEG_NR; i++) {
		f[n++] = GUEST_SEG_FIELD(GUEST_ES_SELECTOR, i);
		f[n++] = GUEST_SEG_FIELD(GUEST_ES_BASE, i);
		f[n++] = GUEST_SEG_FIELD(GUEST_ES_LIMIT, i);
		f[n++] = GUEST_SEG_FIELD(GUEST_ES_AR_BYTES, i);
	}
	for (i = 0; i < sizeof(ctl_fields) / sizeof(ctl_fields[0]); i++)
		if (words[ctl_fields[i].word] & ctl_fields[i].bit)
			for (j = 0; j < ctl_fields[i].n; j++)
				f[n++] = ctl_fields[i].field[j];
	/* and those that depend on more than one bit */
	if ((c->proc & CPU_USE_TPR_SHADOW) && !(c->proc2 & CPU2_VIRT_INTR_DELIVERY))
		f[n++] = TPR_THRESHOLD;
	if ((c->proc2 & CPU2_VM_FUNCTIONS) && (fld(c, VM_FUNCTION_CONTROL) & VMFUNC_EPTP_SWITCHING))
		f[n++] = EPTP_LIST_ADDRESS;
	if (fld(c, VM_EXIT_MSR_STORE_COUNT))
		f[n++] = VM_EXIT_MSR_STORE_ADDR;
	if (fld(c, VM_EXIT_MSR_LOAD_COUNT))
		f[n++] = VM_EXIT_MSR_LOAD_ADDR;
	if (fld(c, VM_ENTRY_MSR_LOAD_COUNT))
		f[n++] = VM_ENTRY_MSR_LOAD_ADDR;
	if ((info & INJ_VALID) && (info & INJ_DELIVER_ERRCODE))
		f[n++] = VM_ENTRY_EXCEPTION_ERROR_CODE;
	if ((info & INJ_VALID) && INJ_TYPE(info) >= INJ_SW_INTR && INJ_TYPE(info) <= INJ_SW_EXC)
		f[n++] = VM_ENTRY_INSTRUCTION_LEN;
	if ((fld(c, GUEST_CR0) & CR0_PG) && (fld(c, GUEST_CR4) & CR4_PAE) && !c->ia32e &&
	    (c->proc2 & CPU2_ENABLE_EPT))
		for (i = 0; i < 4; i++)
			f[n++] = GUEST_PDPTR_FIELD(i);
	return n;
}

static unsigned int check_written(struct ctx *c, const u32 *f, unsigned int n)
{
	unsigned int i;
	u64 v;

	for (i = 0; i < n; i++)
		if (!vmcs_image_get(c->img, f[i], &v))
			return fail(c, R_NOT_WRITTEN, f[i], 0);
	return 0;
}

/* ---- VM-execution, VM-exit and VM-entry control fields (27.2.1) ---- */

static unsigned int check_exec_controls(struct ctx *c)
{
	const struct vmx_caps *caps = c->caps;
	u64 v;

	if (!vmx_ctl_valid(vmx_ctl_cap(caps, VMX_CTL_PIN), c->pin))
		return fail(c, R_PIN_RESERVED, PIN_BASED_VM_EXEC_CONTROL, c->pin);
	if (!vmx_ctl_valid(vmx_ctl_cap(caps, VMX_CTL_PROC), c->proc))
		return fail(c, R_PROC_RESERVED, CPU_BASED_VM_EXEC_CONTROL, c->proc);
	if ((c->proc & CPU_SECONDARY_CONTROLS) && !vmx_ctl_valid(caps->procbased2, c->proc2))
		return fail(c, R_PROC2_RESERVED, SECONDARY_VM_EXEC_CONTROL, c->proc2);
	v = fld(c, CR3_TARGET_COUNT);
	if (v > VMX_MISC_CR3_TARGETS(caps->misc))
		return fail(c, R_CR3_TARGETS, CR3_TARGET_COUNT, v);
	if (c->proc & CPU_USE_IO_BITMAPS) {
		if (!page_ok(c, fld(c, IO_BITMAP_A)))
			return fail(c, R_IO_BITMAPS, IO_BITMAP_A, fld(c, IO_BITMAP_A));
		if (!page_ok(c, fld(c, IO_BITMAP_B)))
			return fail(c, R_IO_BITMAPS, IO_BITMAP_B, fld(c, IO_BITMAP_B));
	}
	if ((c->proc & CPU_USE_MSR_BITMAPS) && !page_ok(c, fld(c, MSR_BITMAP)))
		return fail(c, R_MSR_BITMAP, MSR_BITMAP, fld(c, MSR_BITMAP));
	if (c->proc & CPU_USE_TPR_SHADOW) {
		v = fld(c, VIRTUAL_APIC_PAGE_ADDR);
		if (!page_ok(c, v))
			return fail(c, R_VIRTUAL_APIC, VIRTUAL_APIC_PAGE_ADDR, v);
		/* the threshold against the VTPR in the virtual-APIC page needs memory: not checked */
		v = fld(c, TPR_THRESHOLD);
		if (!(c->proc2 & CPU2_VIRT_INTR_DELIVERY) && (v & ~0xfull))
			return fail(c, R_TPR_THRESHOLD, TPR_THRESHOLD, v);
	} else if (c->proc2 & (CPU2_VIRT_X2APIC_MODE | CPU2_APIC_REGISTER_VIRT |
			       CPU2_VIRT_INTR_DELIVERY)) {
		return fail(c, R_APICV_NO_TPR_SHADOW, SECONDARY_VM_EXEC_CONTROL, c->proc2);
	}
	if (!(c->pin & PIN_NMI_EXITING) && (c->pin & PIN_VIRTUAL_NMIS))
		return fail(c, R_VNMI_NO_NMI_EXITING, PIN_BASED_VM_EXEC_CONTROL, c->pin);
	if (!(c->pin & PIN_VIRTUAL_NMIS) && (c->proc & CPU_NMI_WINDOW_EXITING))
		return fail(c, R_NMI_WINDOW_NO_VNMI, CPU_BASED_VM_EXEC_CONTROL, c->proc);
	if ((c->proc2 & CPU2_VIRT_APIC_ACCESSES) && !page_ok(c, fld(c, APIC_ACCESS_ADDR)))
		return fail(c, R_APIC_ACCESS, APIC_ACCESS_ADDR, fld(c, APIC_ACCESS_ADDR));
	if ((c->proc2 & CPU2_VIRT_X2APIC_MODE) && (c->proc2 & CPU2_VIRT_APIC_ACCESSES))
		return fail(c, R_X2APIC_WITH_APIC_ACCESS, SECONDARY_VM_EXEC_CONTROL, c->proc2);
	if ((c->proc2 & CPU2_VIRT_INTR_DELIVERY) && !(c->pin & PIN_EXT_INTR_EXITING))
		return fail(c, R_VID_NO_EXT_INTR, SECONDARY_VM_EXEC_CONTROL, c->proc2);
	if (c->pin & PIN_POSTED_INTR) {
		if (!(c->proc2 & CPU2_VIRT_INTR_DELIVERY))
			return fail(c, R_POSTED_INTR, PIN_BASED_VM_EXEC_CONTROL, c->pin);
		if (!(c->exit & EXIT_ACK_INTR_ON_EXIT))
			return fail(c, R_POSTED_INTR, VM_EXIT_CONTROLS, c->exit);
		v = fld(c, POSTED_INTR_NV);
		if (v & 0xff00)
			return fail(c, R_POSTED_INTR, POSTED_INTR_NV, v);
		v = fld(c, POSTED_INTR_DESC_ADDR);
		if ((v & 0x3f) || !phys_ok(c, v))
			return fail(c, R_POSTED_INTR, POSTED_INTR_DESC_ADDR, v);
	}
	if ((c->proc2 & CPU2_ENABLE_VPID) && !fld(c, VIRTUAL_PROCESSOR_ID))
		return fail(c, R_VPID_ZERO, VIRTUAL_PROCESSOR_ID, 0);
	if (c->proc2 & CPU2_ENABLE_EPT) {
		v = fld(c, EPT_POINTER);
		if (!eptp_ok(c, v))
			return fail(c, R_EPT_POINTER, EPT_POINTER, v);
	} else if (c->proc2 & CPU2_UNRESTRICTED_GUEST) {
		return fail(c, R_UNRESTRICTED_NO_EPT, SECONDARY_VM_EXEC_CONTROL, c->proc2);
	} else if (c->proc2 & (CPU2_ENABLE_PML | CPU2_MODE_BASED_EPT_EXEC | CPU2_SUB_PAGE_WRITE)) {
		return fail(c, R_EPT_REQUIRED, SECONDARY_VM_EXEC_CONTROL, c->proc2);
	}
	if ((c->proc2 & CPU2_ENABLE_PML) && !page_ok(c, fld(c, PML_ADDRESS)))
		return fail(c, R_PML_ADDRESS, PML_ADDRESS, fld(c, PML_ADDRESS));
	if (c->proc2 & CPU2_VM_FUNCTIONS) {
		v = fld(c, VM_FUNCTION_CONTROL);
		if (v & ~caps->vmfunc)
			return fail(c, R_VMFUNC_RESERVED, VM_FUNCTION_CONTROL, v);
		if ((v & VMFUNC_EPTP_SWITCHING) && !(c->proc2 & CPU2_ENABLE_EPT))
			return fail(c, R_EPTP_SWITCHING, VM_FUNCTION_CONTROL, v);
		if ((v & VMFUNC_EPTP_SWITCHING) && !page_ok(c, fld(c, EPTP_LIST_ADDRESS)))
			return fail(c, R_EPTP_SWITCHING, EPTP_LIST_ADDRESS, fld(c, EPTP_LIST_ADDRESS));
	}
	if (c->proc2 & CPU2_VMCS_SHADOWING) {
		if (!page_ok(c, fld(c, VMREAD_BITMAP)))
			return fail(c, R_SHADOW_BITMAPS, VMREAD_BITMAP, fld(c, VMREAD_BITMAP));
		if (!page_ok(c, fld(c, VMWRITE_BITMAP)))
			return fail(c, R_SHADOW_BITMAPS, VMWRITE_BITMAP, fld(c, VMWRITE_BITMAP));
	}
	if ((c->proc2 & CPU2_EPT_VIOLATION_VE) && !page_ok(c, fld(c, VE_INFORMATION_ADDRESS)))
		return fail(c, R_VE_INFO, VE_INFORMATION_ADDRESS, fld(c, VE_INFORMATION_ADDRESS));
	return 0;
}

static unsigned int check_exit_controls(struct ctx *c)
{
	u64 n, a;

	if (!vmx_ctl_valid(vmx_ctl_cap(c->caps, VMX_CTL_EXIT), c->exit))
		return fail(c, R_EXIT_RESERVED, VM_EXIT_CONTROLS, c->exit);
	if ((c->exit & EXIT_SAVE_PREEMPTION_TIMER) && !(c->pin & PIN_PREEMPTION_TIMER))
		return fail(c, R_SAVE_TIMER, VM_EXIT_CONTROLS, c->exit);
	n = fld(c, VM_EXIT_MSR_STORE_COUNT);
	a = fld(c, VM_EXIT_MSR_STORE_ADDR);
	if (n && !msr_area_ok(c, a, n))
		return fail(c, R_EXIT_MSR_STORE, VM_EXIT_MSR_STORE_ADDR, a);
	n = fld(c, VM_EXIT_MSR_LOAD_COUNT);
	a = fld(c, VM_EXIT_MSR_LOAD_ADDR);
	if (n && !msr_area_ok(c, a, n))
		return fail(c, R_EXIT_MSR_LOAD, VM_EXIT_MSR_LOAD_ADDR, a);
	return 0;
}

/* Whether a hardware exception with @vector pushes an error code. */
static bool has_error_code(unsigned int vector)
{
	return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21;
}

static unsigned int check_injection(struct ctx *c)
{
	u64 info = fld(c, VM_ENTRY_INTR_INFO_FIELD), v;
	unsigned int type = INJ_TYPE(info), vector = INJ_VECTOR(info);
	bool mtf = (vmx_ctl_cap(c->caps, VMX_CTL_PROC) >> 32) & CPU_MTF;
	bool want_err;

	if (!(info & INJ_VALID))
		return 0;
	if (type == 1 || (type == INJ_OTHER && !mtf))
		return fail(c, R_INJECT_TYPE, VM_ENTRY_INTR_INFO_FIELD, info);
	if ((type == INJ_NMI && vector != 2) || (type == INJ_HW_EXC && vector > 31) ||
	    (type == INJ_OTHER && vector != 0))
		return fail(c, R_INJECT_VECTOR, VM_ENTRY_INTR_INFO_FIELD, info);
	if ((c->ug && !(fld(c, GUEST_CR0) & CR0_PE)) || type != INJ_HW_EXC)
		want_err = false;
	else if (c->caps->basic & VMX_BASIC_NO_ERRCODE_CHECK)
		want_err = info & INJ_DELIVER_ERRCODE;	/* either is fine */
	else
		want_err = has_error_code(vector);
	if (!!(info & INJ_DELIVER_ERRCODE) != want_err)
		return fail(c, R_INJECT_ERRCODE_BIT, VM_ENTRY_INTR_INFO_FIELD, info);
	if (info & INJ_RESERVED)
		return fail(c, R_INJECT_RESERVED, VM_ENTRY_INTR_INFO_FIELD, info);
	v = fld(c, VM_ENTRY_EXCEPTION_ERROR_CODE);
	if ((info & INJ_DELIVER_ERRCODE) && (v & 0xffff0000))
		return fail(c, R_INJECT_ERRCODE, VM_ENTRY_EXCEPTION_ERROR_CODE, v);
	v = fld(c, VM_ENTRY_INSTRUCTION_LEN);
	if (type >= INJ_SW_INTR && type <= INJ_SW_EXC &&
	    ((!v && !(c->caps->misc & VMX_MISC_ZERO_LEN_INJECTION)) || v > 15))
		return fail(c, R_INJECT_LENGTH, VM_ENTRY_INSTRUCTION_LEN, v);
	return 0;
}

static unsigned int check_entry_controls(struct ctx *c)
{
	u64 n, a;

	if (!vmx_ctl_valid(vmx_ctl_cap(c->caps, VMX_CTL_ENTRY), c->entry))
		return fail(c, R_ENTRY_RESERVED, VM_ENTRY_CONTROLS, c->entry);
	/* exitlat.ko never runs in SMM */
	if (c->entry & (ENTRY_SMM | ENTRY_DEACT_DUAL_MONITOR))
		return fail(c, R_ENTRY_SMM, VM_ENTRY_CONTROLS, c->entry);
	n = fld(c, VM_ENTRY_MSR_LOAD_COUNT);
	a = fld(c, VM_ENTRY_MSR_LOAD_ADDR);
	if (n && !msr_area_ok(c, a, n))
		return fail(c, R_ENTRY_MSR_LOAD, VM_ENTRY_MSR_LOAD_ADDR, a);
	return check_injection(c);
}

/* ---- host-state area (27.2.2 - 27.2.4) ---- */

/*
 * exitlat.ko runs in IA-32e mode, so the host address-space size must be 1;
 * the rules for a 32-bit host (CR4.PCIDE, RIP bits 63:32, a null SS) cannot
 * apply and are left out.
 */
static unsigned int check_host_address_space(struct ctx *c)
{
	u64 cr4 = fld(c, HOST_CR4), rip = fld(c, HOST_RIP);

	if (!(c->exit & EXIT_HOST_ADDR_SPACE_SIZE))
		return fail(c, R_HOST_ADDR_SIZE, VM_EXIT_CONTROLS, c->exit);
	if (!(cr4 & CR4_PAE))
		return fail(c, R_HOST_64_PAE, HOST_CR4, cr4);
	if (!canonical(rip, cr4))
		return fail(c, R_HOST_RIP, HOST_RIP, rip);
	return 0;
}

static unsigned int check_host_cr_msr(struct ctx *c)
{
	const struct vmx_caps *caps = c->caps;
	u64 cr0 = fld(c, HOST_CR0), cr3 = fld(c, HOST_CR3), cr4 = fld(c, HOST_CR4), v;
	bool lm = c->exit & EXIT_HOST_ADDR_SPACE_SIZE;

	if (!cr0_fixed_ok(cr0, caps->cr0_fixed0, caps->cr0_fixed1))
		return fail(c, R_HOST_CR0, HOST_CR0, cr0);
	if (!vmx_fixed_ok(cr4, caps->cr4_fixed0, caps->cr4_fixed1))
		return fail(c, R_HOST_CR4, HOST_CR4, cr4);
	if (!cr3_ok(c, cr3))
		return fail(c, R_HOST_CR3, HOST_CR3, cr3);
	if ((cr4 & CR4_CET) && !(cr0 & CR0_WP))
		return fail(c, R_HOST_CET_WP, HOST_CR4, cr4);
	if (!canonical(fld(c, HOST_IA32_SYSENTER_ESP), cr4))
		return fail(c, R_HOST_SYSENTER, HOST_IA32_SYSENTER_ESP,
			    fld(c, HOST_IA32_SYSENTER_ESP));
	if (!canonical(fld(c, HOST_IA32_SYSENTER_EIP), cr4))
		return fail(c, R_HOST_SYSENTER, HOST_IA32_SYSENTER_EIP,
			    fld(c, HOST_IA32_SYSENTER_EIP));
	v = fld(c, HOST_IA32_PERF_GLOBAL_CTRL);
	if ((c->exit & EXIT_LOAD_PERF_GLOBAL_CTRL) && (v & PERF_GLOBAL_RESERVED))
		return fail(c, R_HOST_PERF_GLOBAL, HOST_IA32_PERF_GLOBAL_CTRL, v);
	v = fld(c, HOST_IA32_PAT);
	if ((c->exit & EXIT_LOAD_PAT) && !pat_valid(v))
		return fail(c, R_HOST_PAT, HOST_IA32_PAT, v);
	v = fld(c, HOST_IA32_EFER);
	if (c->exit & EXIT_LOAD_EFER) {
		if (v & ~EFER_INTEL_BITS)
			return fail(c, R_HOST_EFER_RESERVED, HOST_IA32_EFER, v);
		if (!!(v & EFER_LMA) != lm || !!(v & EFER_LME) != lm)
			return fail(c, R_HOST_EFER_LMA, HOST_IA32_EFER, v);
	}
	v = fld(c, HOST_IA32_PKRS);
	if ((c->exit & EXIT_LOAD_PKRS) && (v >> 32))
		return fail(c, R_HOST_PKRS, HOST_IA32_PKRS, v);
	if (c->exit & EXIT_LOAD_CET_STATE) {
		v = fld(c, HOST_S_CET);
		if ((v & S_CET_RESERVED) || !canonical(v, cr4))
			return fail(c, R_HOST_CET, HOST_S_CET, v);
		v = fld(c, HOST_SSP);
		if ((v & 3) || !canonical(v, cr4))
			return fail(c, R_HOST_CET, HOST_SSP, v);
		v = fld(c, HOST_INTR_SSP_TABLE);
		if (!canonical(v, cr4))
			return fail(c, R_HOST_CET, HOST_INTR_SSP_TABLE, v);
	}
	return 0;
}

static unsigned int check_host_segments(struct ctx *c)
{
	static const u32 bases[] = {
		HOST_FS_BASE, HOST_GS_BASE, HOST_TR_BASE, HOST_GDTR_BASE, HOST_IDTR_BASE,
	};
	u64 cr4 = fld(c, HOST_CR4), v;
	unsigned int i;

	for (i = 0; i <= HOST_SEG_NR; i++) {	/* ES..GS, then TR */
		v = fld(c, HOST_SEL_FIELD(i));
		if (v & 7)
			return fail(c, R_HOST_SEL_RPL_TI, HOST_SEL_FIELD(i), v);
	}
	if (!fld(c, HOST_CS_SELECTOR))
		return fail(c, R_HOST_CS_NULL, HOST_CS_SELECTOR, 0);
	if (!fld(c, HOST_TR_SELECTOR))
		return fail(c, R_HOST_TR_NULL, HOST_TR_SELECTOR, 0);
	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		v = fld(c, bases[i]);
		if (!canonical(v, cr4))
			return fail(c, R_HOST_BASE, bases[i], v);
	}
	return 0;
}

/* ---- guest-state area (27.3.1) ---- */

static unsigned int check_guest_cr_msr(struct ctx *c)
{
	const struct vmx_caps *caps = c->caps;
	u64 cr0 = fld(c, GUEST_CR0), cr3 = fld(c, GUEST_CR3), cr4 = fld(c, GUEST_CR4), v;
	u64 fixed0 = caps->cr0_fixed0;

	if (c->ug)
		fixed0 &= ~(CR0_PE | CR0_PG);
	if (!cr0_fixed_ok(cr0, fixed0, caps->cr0_fixed1))
		return fail(c, R_GUEST_CR0, GUEST_CR0, cr0);
	if ((cr0 & CR0_PG) && !(cr0 & CR0_PE))
		return fail(c, R_GUEST_CR0_PG_PE, GUEST_CR0, cr0);
	if (!vmx_fixed_ok(cr4, caps->cr4_fixed0, caps->cr4_fixed1))
		return fail(c, R_GUEST_CR4, GUEST_CR4, cr4);
	if ((cr4 & CR4_CET) && !(cr0 & CR0_WP))
		return fail(c, R_GUEST_CET_WP, GUEST_CR4, cr4);
	v = fld(c, GUEST_IA32_DEBUGCTL);
	if ((c->entry & ENTRY_LOAD_DEBUG_CONTROLS) && (v & ~DEBUGCTL_BITS))
		return fail(c, R_GUEST_DEBUGCTL, GUEST_IA32_DEBUGCTL, v);
	if (c->ia32e && !(cr0 & CR0_PG))
		return fail(c, R_GUEST_IA32E_PG_PAE, GUEST_CR0, cr0);
	if (c->ia32e && !(cr4 & CR4_PAE))
		return fail(c, R_GUEST_IA32E_PG_PAE, GUEST_CR4, cr4);
	if (!c->ia32e && (cr4 & CR4_PCIDE))
		return fail(c, R_GUEST_PCIDE, GUEST_CR4, cr4);
	if (!cr3_ok(c, cr3))
		return fail(c, R_GUEST_CR3, GUEST_CR3, cr3);
	v = fld(c, GUEST_DR7);
	if ((c->entry & ENTRY_LOAD_DEBUG_CONTROLS) && (v >> 32))
		return fail(c, R_GUEST_DR7, GUEST_DR7, v);
	if (!canonical(fld(c, GUEST_SYSENTER_ESP), cr4))
		return fail(c, R_GUEST_SYSENTER, GUEST_SYSENTER_ESP, fld(c, GUEST_SYSENTER_ESP));
	if (!canonical(fld(c, GUEST_SYSENTER_EIP), cr4))
		return fail(c, R_GUEST_SYSENTER, GUEST_SYSENTER_EIP, fld(c, GUEST_SYSENTER_EIP));
	v = fld(c, GUEST_IA32_PERF_GLOBAL_CTRL);
	if ((c->entry & ENTRY_LOAD_PERF_GLOBAL_CTRL) && (v & PERF_GLOBAL_RESERVED))
		return fail(c, R_GUEST_PERF_GLOBAL, GUEST_IA32_PERF_GLOBAL_CTRL, v);
	v = fld(c, GUEST_IA32_PAT);
	if ((c->entry & ENTRY_LOAD_PAT) && !pat_valid(v))
		return fail(c, R_GUEST_PAT, GUEST_IA32_PAT, v);
	v = fld(c, GUEST_IA32_EFER);
	if (c->entry & ENTRY_LOAD_EFER) {
		if (v & ~EFER_INTEL_BITS)
			return fail(c, R_GUEST_EFER_RESERVED, GUEST_IA32_EFER, v);
		if (!!(v & EFER_LMA) != c->ia32e)
			return fail(c, R_GUEST_EFER_LMA, GUEST_IA32_EFER, v);
		if ((cr0 & CR0_PG) && !!(v & EFER_LME) != !!(v & EFER_LMA))
			return fail(c, R_GUEST_EFER_LME, GUEST_IA32_EFER, v);
	}
	v = fld(c, GUEST_BNDCFGS);
	if ((c->entry & ENTRY_LOAD_BNDCFGS) &&
	    ((v & BNDCFGS_RESERVED) || !canonical(v & ~0xfffull, cr4)))
		return fail(c, R_GUEST_BNDCFGS, GUEST_BNDCFGS, v);
	if (c->entry & ENTRY_LOAD_CET_STATE) {
		v = fld(c, GUEST_S_CET);
		if ((v & S_CET_RESERVED) || !canonical(v, cr4))
			return fail(c, R_GUEST_CET, GUEST_S_CET, v);
		v = fld(c, GUEST_SSP);
		if ((v & 3) || !canonical(v, cr4))
			return fail(c, R_GUEST_CET, GUEST_SSP, v);
		v = fld(c, GUEST_INTR_SSP_TABLE);
		if (!canonical(v, cr4))
			return fail(c, R_GUEST_CET, GUEST_INTR_SSP_TABLE, v);
	}
	v = fld(c, GUEST_IA32_PKRS);
	if ((c->entry & ENTRY_LOAD_PKRS) && (v >> 32))
		return fail(c, R_GUEST_PKRS, GUEST_IA32_PKRS, v);
	return 0;
}

/* Before the segments: RFLAGS.VM decides which segment rules apply. */
static unsigned int check_guest_rip_rflags(struct ctx *c)
{
	u64 rflags = fld(c, GUEST_RFLAGS), rip = fld(c, GUEST_RIP), info;
	bool cs_l = fld(c, GUEST_CS_AR_BYTES) & AR_L;

	if ((rflags & RFLAGS_RESERVED) || !(rflags & RFLAGS_FIXED1))
		return fail(c, R_GUEST_RFLAGS_RESERVED, GUEST_RFLAGS, rflags);
	if ((rflags & RFLAGS_VM) && (c->ia32e || !(fld(c, GUEST_CR0) & CR0_PE)))
		return fail(c, R_GUEST_RFLAGS_VM, GUEST_RFLAGS, rflags);
	info = fld(c, VM_ENTRY_INTR_INFO_FIELD);
	if ((info & INJ_VALID) && INJ_TYPE(info) == INJ_EXT_INTR && !(rflags & RFLAGS_IF))
		return fail(c, R_GUEST_RFLAGS_IF, GUEST_RFLAGS, rflags);
	if ((c->ia32e && cs_l) ? !canonical(rip, fld(c, GUEST_CR4)) : (rip >> 32) != 0)
		return fail(c, R_GUEST_RIP, GUEST_RIP, rip);
	return 0;
}

struct gseg {
	u64 sel, base, limit, ar;
	bool usable;
};

static void read_seg(const struct ctx *c, int s, struct gseg *g)
{
	g->sel = fld(c, GUEST_SEG_FIELD(GUEST_ES_SELECTOR, s));
	g->base = fld(c, GUEST_SEG_FIELD(GUEST_ES_BASE, s));
	g->limit = fld(c, GUEST_SEG_FIELD(GUEST_ES_LIMIT, s));
	g->ar = fld(c, GUEST_SEG_FIELD(GUEST_ES_AR_BYTES, s));
	g->usable = !(g->ar & AR_UNUSABLE);
}

static unsigned int check_v86_segments(struct ctx *c, const struct gseg *g)
{
	int s;

	for (s = SEG_ES; s <= SEG_GS; s++) {
		if (g[s].base != g[s].sel << 4)
			return fail(c, R_GUEST_V86_SEG, GUEST_SEG_FIELD(GUEST_ES_BASE, s), g[s].base);
		if (g[s].limit != 0xffff)
			return fail(c, R_GUEST_V86_SEG, GUEST_SEG_FIELD(GUEST_ES_LIMIT, s),
				    g[s].limit);
		if (g[s].ar != 0xf3)
			return fail(c, R_GUEST_V86_SEG, GUEST_SEG_FIELD(GUEST_ES_AR_BYTES, s),
				    g[s].ar);
	}
	return 0;
}

static unsigned int check_guest_bases(struct ctx *c, const struct gseg *g)
{
	u64 cr4 = fld(c, GUEST_CR4);
	int s;

	for (s = SEG_ES; s < SEG_NR; s++) {
		bool bad;

		switch (s) {
		case SEG_CS:
			bad = g[s].base >> 32;
			break;
		case SEG_SS:
		case SEG_DS:
		case SEG_ES:
			bad = g[s].usable && (g[s].base >> 32);
			break;
		case SEG_LDTR:
			bad = g[s].usable && !canonical(g[s].base, cr4);
			break;
		default:	/* FS, GS, TR */
			bad = !canonical(g[s].base, cr4);
			break;
		}
		if (bad)
			return fail(c, R_GUEST_SEG_BASE, GUEST_SEG_FIELD(GUEST_ES_BASE, s), g[s].base);
	}
	return 0;
}

/* CS, SS, DS, ES, FS, GS outside virtual-8086 mode: CS always, the others when usable. */
static unsigned int check_guest_code_data(struct ctx *c, const struct gseg *g)
{
	static const int order[] = { SEG_CS, SEG_SS, SEG_DS, SEG_ES, SEG_FS, SEG_GS };
	unsigned int ss_dpl = AR_DPL(g[SEG_SS].ar), cs_type = AR_TYPE(g[SEG_CS].ar), i;

	/* SS.DPL is loaded even when SS is unusable: it becomes the CPL */
	if (!c->ug && ss_dpl != (g[SEG_SS].sel & 3))
		return fail(c, R_GUEST_SS_DPL, GUEST_SS_AR_BYTES, g[SEG_SS].ar);
	if ((cs_type == 3 || !(fld(c, GUEST_CR0) & CR0_PE)) && ss_dpl)
		return fail(c, R_GUEST_SS_DPL, GUEST_SS_AR_BYTES, g[SEG_SS].ar);
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		int s = order[i];
		u64 ar = g[s].ar;
		unsigned int type = AR_TYPE(ar), dpl = AR_DPL(ar);
		u32 arf = GUEST_SEG_FIELD(GUEST_ES_AR_BYTES, s);

		if (s != SEG_CS && !g[s].usable)
			continue;
		if (s == SEG_CS && !((type & 9) == 9 || (c->ug && type == 3)))
			return fail(c, R_GUEST_CS_TYPE, arf, ar);
		if (s == SEG_SS && type != 3 && type != 7)
			return fail(c, R_GUEST_SS_TYPE, arf, ar);
		if (s != SEG_CS && s != SEG_SS && (!(type & 1) || ((type & 8) && !(type & 2))))
			return fail(c, R_GUEST_DATA_TYPE, arf, ar);
		if (!(ar & AR_S))
			return fail(c, R_GUEST_SEG_S, arf, ar);
		if (s == SEG_CS && ((type == 3 && dpl) ||
				    ((type == 9 || type == 11) && dpl != ss_dpl) ||
				    (type >= 13 && dpl > ss_dpl)))
			return fail(c, R_GUEST_CS_DPL, arf, ar);
		if (s != SEG_CS && s != SEG_SS && !c->ug && type <= 11 && dpl < (g[s].sel & 3))
			return fail(c, R_GUEST_DATA_DPL, arf, ar);
		if (!(ar & AR_P))
			return fail(c, R_GUEST_SEG_P, arf, ar);
		if (ar & AR_RESERVED)
			return fail(c, R_GUEST_SEG_AR_RESERVED, arf, ar);
		if (s == SEG_CS && c->ia32e && (ar & AR_L) && (ar & AR_DB))
			return fail(c, R_GUEST_CS_L_D, arf, ar);
		if (!limit_g_ok(g[s].limit, ar))
			return fail(c, R_GUEST_SEG_LIMIT_G, GUEST_SEG_FIELD(GUEST_ES_LIMIT, s),
				    g[s].limit);
	}
	return 0;
}

static unsigned int check_guest_tr_ldtr(struct ctx *c, const struct gseg *g)
{
	const struct gseg *tr = &g[SEG_TR], *ldtr = &g[SEG_LDTR];
	unsigned int type = AR_TYPE(tr->ar);

	if (c->ia32e ? type != 11 : (type != 3 && type != 11))
		return fail(c, R_GUEST_TR_TYPE, GUEST_TR_AR_BYTES, tr->ar);
	if ((tr->ar & (AR_S | AR_UNUSABLE | AR_RESERVED)) || !(tr->ar & AR_P))
		return fail(c, R_GUEST_TR_AR, GUEST_TR_AR_BYTES, tr->ar);
	if (!limit_g_ok(tr->limit, tr->ar))
		return fail(c, R_GUEST_SEG_LIMIT_G, GUEST_TR_LIMIT, tr->limit);
	if (!ldtr->usable)
		return 0;
	if (AR_TYPE(ldtr->ar) != 2 || (ldtr->ar & (AR_S | AR_RESERVED)) || !(ldtr->ar & AR_P))
		return fail(c, R_GUEST_LDTR_AR, GUEST_LDTR_AR_BYTES, ldtr->ar);
	if (!limit_g_ok(ldtr->limit, ldtr->ar))
		return fail(c, R_GUEST_SEG_LIMIT_G, GUEST_LDTR_LIMIT, ldtr->limit);
	return 0;
}

static unsigned int check_guest_segments(struct ctx *c)
{
	struct gseg g[SEG_NR];
	bool v86 = fld(c, GUEST_RFLAGS) & RFLAGS_VM;
	unsigned int r;
	int s;

	for (s = 0; s < SEG_NR; s++)
		read_seg(c, s, &g[s]);
	if (g[SEG_TR].sel & 4)
		return fail(c, R_GUEST_TR_TI, GUEST_TR_SELECTOR, g[SEG_TR].sel);
	if (g[SEG_LDTR].usable && (g[SEG_LDTR].sel & 4))
		return fail(c, R_GUEST_LDTR_TI, GUEST_LDTR_SELECTOR, g[SEG_LDTR].sel);
	if (!v86 && !c->ug && (g[SEG_SS].sel & 3) != (g[SEG_CS].sel & 3))
		return fail(c, R_GUEST_SS_RPL, GUEST_SS_SELECTOR, g[SEG_SS].sel);
	r = v86 ? check_v86_segments(c, g) : 0;
	if (!r)
		r = check_guest_bases(c, g);
	if (!r && !v86)
		r = check_guest_code_data(c, g);
	if (!r)
		r = check_guest_tr_ldtr(c, g);
	return r;
}

static unsigned int check_guest_dtr(struct ctx *c)
{
	u64 cr4 = fld(c, GUEST_CR4);

	if (!canonical(fld(c, GUEST_GDTR_BASE), cr4))
		return fail(c, R_GUEST_DTR_BASE, GUEST_GDTR_BASE, fld(c, GUEST_GDTR_BASE));
	if (!canonical(fld(c, GUEST_IDTR_BASE), cr4))
		return fail(c, R_GUEST_DTR_BASE, GUEST_IDTR_BASE, fld(c, GUEST_IDTR_BASE));
	if (fld(c, GUEST_GDTR_LIMIT) >> 16)
		return fail(c, R_GUEST_DTR_LIMIT, GUEST_GDTR_LIMIT, fld(c, GUEST_GDTR_LIMIT));
	if (fld(c, GUEST_IDTR_LIMIT) >> 16)
		return fail(c, R_GUEST_DTR_LIMIT, GUEST_IDTR_LIMIT, fld(c, GUEST_IDTR_LIMIT));
	return 0;
}

/* Which injected events an inactive guest may take: HLT #DB/#MC/NMI/INTR/MTF, shutdown NMI/#MC. */
static bool event_fits_activity(u64 act, unsigned int type, unsigned int vector)
{
	switch (act) {
	case ACT_HLT:
		return type == INJ_EXT_INTR || type == INJ_NMI || type == INJ_OTHER ||
		       (type == INJ_HW_EXC && (vector == 1 || vector == 18));
	case ACT_SHUTDOWN:
		return type == INJ_NMI || (type == INJ_HW_EXC && vector == 18);
	case ACT_WAIT_SIPI:
		return false;
	default:
		return true;
	}
}

static unsigned int check_guest_activity(struct ctx *c, u64 act, u64 intr, u64 info)
{
	static const u64 need[] = { 0, VMX_MISC_ACTIVITY_HLT, VMX_MISC_ACTIVITY_SHUTDOWN,
				    VMX_MISC_ACTIVITY_SIPI };

	if (act > ACT_WAIT_SIPI || (act && !(c->caps->misc & need[act])))
		return fail(c, R_GUEST_ACTIVITY, GUEST_ACTIVITY_STATE, act);
	if (act == ACT_HLT && AR_DPL(fld(c, GUEST_SS_AR_BYTES)))
		return fail(c, R_GUEST_ACTIVITY_HLT_DPL, GUEST_ACTIVITY_STATE, act);
	if (act != ACT_ACTIVE && (intr & (INTR_STI | INTR_MOVSS)))
		return fail(c, R_GUEST_ACTIVITY_BLOCKING, GUEST_ACTIVITY_STATE, act);
	if ((info & INJ_VALID) && !event_fits_activity(act, INJ_TYPE(info), INJ_VECTOR(info)))
		return fail(c, R_GUEST_ACTIVITY_EVENT, GUEST_ACTIVITY_STATE, act);
	return 0;
}

static unsigned int check_guest_interruptibility(struct ctx *c, u64 intr, u64 info)
{
	bool inj = info & INJ_VALID;
	bool ext = inj && INJ_TYPE(info) == INJ_EXT_INTR, nmi = inj && INJ_TYPE(info) == INJ_NMI;

	if (intr & INTR_RESERVED)
		return fail(c, R_GUEST_INTR_RESERVED, GUEST_INTERRUPTIBILITY_INFO, intr);
	if ((intr & INTR_STI) && (intr & INTR_MOVSS))
		return fail(c, R_GUEST_INTR_STI_MOVSS, GUEST_INTERRUPTIBILITY_INFO, intr);
	if ((intr & INTR_STI) && !(fld(c, GUEST_RFLAGS) & RFLAGS_IF))
		return fail(c, R_GUEST_INTR_STI_IF, GUEST_INTERRUPTIBILITY_INFO, intr);
	if (ext && (intr & (INTR_STI | INTR_MOVSS)))
		return fail(c, R_GUEST_INTR_EXT_INJECT, GUEST_INTERRUPTIBILITY_INFO, intr);
	if (nmi && (intr & INTR_MOVSS))
		return fail(c, R_GUEST_INTR_NMI_MOVSS, GUEST_INTERRUPTIBILITY_INFO, intr);
	if (nmi && (intr & INTR_STI))
		return fail(c, R_GUEST_INTR_NMI_STI, GUEST_INTERRUPTIBILITY_INFO, intr);
	if (intr & INTR_SMI)	/* exitlat.ko never runs in SMM */
		return fail(c, R_GUEST_INTR_SMI, GUEST_INTERRUPTIBILITY_INFO, intr);
	if (nmi && (c->pin & PIN_VIRTUAL_NMIS) && (intr & INTR_NMI))
		return fail(c, R_GUEST_INTR_VNMI, GUEST_INTERRUPTIBILITY_INFO, intr);
	return 0;
}

static unsigned int check_guest_pending_dbg(struct ctx *c, u64 act, u64 intr)
{
	u64 pend = fld(c, GUEST_PENDING_DBG_EXCEPTIONS), rflags = fld(c, GUEST_RFLAGS);
	u64 debugctl = (c->entry & ENTRY_LOAD_DEBUG_CONTROLS) ? fld(c, GUEST_IA32_DEBUGCTL) : 0;
	bool single_step = (rflags & RFLAGS_TF) && !(debugctl & DEBUGCTL_BTF);

	if (pend & PEND_RESERVED)
		return fail(c, R_GUEST_PENDING_DBG, GUEST_PENDING_DBG_EXCEPTIONS, pend);
	if (((intr & (INTR_STI | INTR_MOVSS)) || act == ACT_HLT) && !!(pend & PEND_BS) != single_step)
		return fail(c, R_GUEST_PENDING_BS, GUEST_PENDING_DBG_EXCEPTIONS, pend);
	if ((pend & PEND_RTM) &&
	    ((pend & 0xfff) || !(pend & PEND_ENABLED_BP) || (intr & INTR_MOVSS)))
		return fail(c, R_GUEST_PENDING_RTM, GUEST_PENDING_DBG_EXCEPTIONS, pend);
	return 0;
}

static unsigned int check_guest_non_register(struct ctx *c)
{
	u64 act = fld(c, GUEST_ACTIVITY_STATE), intr = fld(c, GUEST_INTERRUPTIBILITY_INFO);
	u64 info = fld(c, VM_ENTRY_INTR_INFO_FIELD), link = fld(c, VMCS_LINK_POINTER);
	unsigned int r;

	r = check_guest_activity(c, act, intr, info);
	if (!r)
		r = check_guest_interruptibility(c, intr, info);
	if (!r)
		r = check_guest_pending_dbg(c, act, intr);
	if (r)
		return r;
	/* the revision at the link pointer and "not the current VMCS" need memory: not checked */
	if (link != ~0ull && ((link & 0xfff) || !phys_ok(c, link)))
		return fail(c, R_GUEST_VMCS_LINK, VMCS_LINK_POINTER, link);
	return 0;
}

/* PAE paging outside IA-32e mode: the PDPTE fields under EPT (through CR3 without: memory). */
static unsigned int check_guest_pdptes(struct ctx *c)
{
	u64 v;
	int i;

	if (!(fld(c, GUEST_CR0) & CR0_PG) || !(fld(c, GUEST_CR4) & CR4_PAE) || c->ia32e ||
	    !(c->proc2 & CPU2_ENABLE_EPT))
		return 0;
	for (i = 0; i < 4; i++) {
		v = fld(c, GUEST_PDPTR_FIELD(i));
		if ((v & 1) && ((v & 0x1e6) || !phys_ok(c, v)))	/* reserved 2:1, 8:5 */
			return fail(c, R_GUEST_PDPTE, GUEST_PDPTR_FIELD(i), v);
	}
	return 0;
}

unsigned int vmx_check_vm_entry(const struct vmx_caps *caps, const struct vmcs_image *img,
				unsigned int phys_bits, struct vmx_check_result *res)
{
	static unsigned int (*const steps[])(struct ctx *c) = {
		check_exec_controls, check_exit_controls, check_entry_controls,
		check_host_address_space, check_host_cr_msr, check_host_segments,
		check_guest_cr_msr, check_guest_rip_rflags, check_guest_segments,
		check_guest_dtr, check_guest_non_register, check_guest_pdptes,
	};
	struct ctx c = { .caps = caps, .img = img, .phys_bits = phys_bits, .res = res };
	u32 read[96];	/* fields_read(): 32 segment fields and at most 44 others */
	unsigned int r, i;

	*res = (struct vmx_check_result){ .name = "none", .section = "" };
	r = check_written(&c, always_read, sizeof(always_read) / sizeof(always_read[0]));
	if (r)
		return r;
	c.pin = (u32)fld(&c, PIN_BASED_VM_EXEC_CONTROL);
	c.proc = (u32)fld(&c, CPU_BASED_VM_EXEC_CONTROL);
	c.exit = (u32)fld(&c, VM_EXIT_CONTROLS);
	c.entry = (u32)fld(&c, VM_ENTRY_CONTROLS);
	/* the secondary controls count only when the primary ones activate them */
	c.proc2 = (c.proc & CPU_SECONDARY_CONTROLS) ? (u32)fld(&c, SECONDARY_VM_EXEC_CONTROL) : 0;
	c.ia32e = c.entry & ENTRY_IA32E_MODE_GUEST;
	c.ug = c.proc2 & CPU2_UNRESTRICTED_GUEST;
	r = check_written(&c, read, fields_read(&c, read));
	for (i = 0; !r && i < sizeof(steps) / sizeof(steps[0]); i++)
		r = steps[i](&c);
	return r;
}

const struct check_rule *vmx_check_rule(unsigned int rule)
{
	return rule > R_NONE && rule < R_NR ? &rules[rule].r : NULL;
}

unsigned int vmx_check_rule_count(void)
{
	return R_NR - 1;
}

const char *vmcs_field_name(u32 field)
{
#define FIELD_CASE(name, enc) case enc: return #name;
	switch (field) {
	VMCS_FIELDS(FIELD_CASE)
	default:
		return "unknown";
	}
#undef FIELD_CASE
}
