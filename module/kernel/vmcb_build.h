/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The VMCB exitlat runs (APM Vol. 2, Appendix B), built as plain data: the
 * guest mirrors the host (control registers, EFER, PAT, descriptor tables,
 * CS/SS/DS/ES from the GDT) on a stack of its own, interrupts masked
 * (V_INTR_MASKING), every exception and the kind's instruction intercepted.
 * svm_checks.c judges it as VMRUN will. Pure logic: no hardware access.
 */
#ifndef EXITLAT_VMCB_BUILD_H
#define EXITLAT_VMCB_BUILD_H

#include "compat.h"
#include "host_state.h"
#include "svm_intercepts.h"

/* VMCB 0x05c: TLB_CONTROL (APM 15.16.1) */
#define TLB_CONTROL_DO_NOTHING		0
#define TLB_CONTROL_FLUSH_ALL		1
#define TLB_CONTROL_FLUSH_ASID		3
#define TLB_CONTROL_FLUSH_ASID_LOCAL	7
/* VMCB 0x060: virtual interrupt control (APM 15.21) */
#define V_IRQ			EXITLAT_BIT(8)
#define V_INTR_PRIO_SHIFT	16
#define V_IGN_TPR		EXITLAT_BIT(20)
#define V_INTR_MASKING		EXITLAT_BIT(24)
/* VMCB 0x090: nested paging (APM 15.25) */
#define VMCB_NP_ENABLE		EXITLAT_BIT(0)
/* VMCB 0x0a8: EVENTINJ (APM 15.20) */
#define EVENTINJ_VALID		EXITLAT_BIT(31)
#define EVENTINJ_TYPE(e)	((unsigned int)((e) >> 8) & 7)
#define EVENTINJ_VECTOR(e)	((unsigned int)(e) & 0xff)
/* The permission maps' sizes (APM 15.10.1, 15.11) */
#define IOPM_SIZE		(3 * 4096)
#define MSRPM_SIZE		(2 * 4096)

struct vmcb_seg {
	u16 selector;
	u16 attrib;
	u32 limit;
	u64 base;
} __packed;

struct vmcb_control {
	u32 intercept_cr;		/* 0x000 */
	u32 intercept_dr;		/* 0x004 */
	u32 intercept_exceptions;	/* 0x008 */
	u32 intercept_misc1;		/* 0x00c */
	u32 intercept_misc2;		/* 0x010 */
	u8 reserved_1[0x040 - 0x014];
	u64 iopm_base_pa;		/* 0x040 */
	u64 msrpm_base_pa;		/* 0x048 */
	u64 tsc_offset;			/* 0x050 */
	u32 asid;			/* 0x058 */
	u8 tlb_ctl;			/* 0x05c */
	u8 reserved_2[3];
	u32 int_ctl;			/* 0x060 */
	u32 int_vector;			/* 0x064 */
	u64 int_state;			/* 0x068 */
	u64 exit_code;			/* 0x070 */
	u64 exit_info_1;		/* 0x078 */
	u64 exit_info_2;		/* 0x080 */
	u64 exit_int_info;		/* 0x088 */
	u64 nested_ctl;			/* 0x090 */
	u64 avic_vapic_bar;		/* 0x098 */
	u64 ghcb_gpa;			/* 0x0a0 */
	u32 event_inj;			/* 0x0a8 */
	u32 event_inj_err;		/* 0x0ac */
	u64 nested_cr3;			/* 0x0b0 */
	u64 virt_ext;			/* 0x0b8: LBR virtualization, virtual VMLOAD/VMSAVE */
	u32 clean;			/* 0x0c0: VMCB clean bits */
	u32 reserved_3;
	u64 next_rip;			/* 0x0c8 */
	u8 reserved_4[0x400 - 0x0d0];
} __packed;

struct vmcb_save {
	struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr; /* 0x400 .. */
	u8 reserved_1[0x4cb - 0x4a0];
	u8 cpl;				/* 0x4cb */
	u32 reserved_2;
	u64 efer;			/* 0x4d0 */
	u8 reserved_3[0x548 - 0x4d8];
	u64 cr4;			/* 0x548 */
	u64 cr3;			/* 0x550 */
	u64 cr0;			/* 0x558 */
	u64 dr7;			/* 0x560 */
	u64 dr6;			/* 0x568 */
	u64 rflags;			/* 0x570 */
	u64 rip;			/* 0x578 */
	u8 reserved_4[0x5d8 - 0x580];
	u64 rsp;			/* 0x5d8 */
	u64 s_cet;			/* 0x5e0 */
	u64 ssp;			/* 0x5e8 */
	u64 isst_addr;			/* 0x5f0 */
	u64 rax;			/* 0x5f8 */
	u64 star;			/* 0x600: 0x600-0x638 and FS, GS, TR, LDTR: VMLOAD/VMSAVE */
	u64 lstar;			/* 0x608 */
	u64 cstar;			/* 0x610 */
	u64 sfmask;			/* 0x618 */
	u64 kernel_gs_base;		/* 0x620 */
	u64 sysenter_cs;		/* 0x628 */
	u64 sysenter_esp;		/* 0x630 */
	u64 sysenter_eip;		/* 0x638 */
	u64 cr2;			/* 0x640 */
	u8 reserved_5[0x668 - 0x648];
	u64 g_pat;			/* 0x668 */
	u64 dbgctl;			/* 0x670 */
	u8 reserved_6[0x1000 - 0x678];
} __packed;

/* One page: the builder clears all of it, as svm.c did with memset(PAGE_SIZE). */
struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
} __packed;

static_assert(offsetof(struct vmcb, control.iopm_base_pa) == 0x040);
static_assert(offsetof(struct vmcb, control.asid) == 0x058);
static_assert(offsetof(struct vmcb, control.exit_code) == 0x070);
static_assert(offsetof(struct vmcb, control.event_inj) == 0x0a8);
static_assert(offsetof(struct vmcb, control.clean) == 0x0c0);
static_assert(offsetof(struct vmcb, save.cpl) == 0x4cb);
static_assert(offsetof(struct vmcb, save.efer) == 0x4d0);
static_assert(offsetof(struct vmcb, save.cr4) == 0x548);
static_assert(offsetof(struct vmcb, save.rip) == 0x578);
static_assert(offsetof(struct vmcb, save.rsp) == 0x5d8);
static_assert(offsetof(struct vmcb, save.rax) == 0x5f8);
static_assert(offsetof(struct vmcb, save.kernel_gs_base) == 0x620);
static_assert(offsetof(struct vmcb, save.g_pat) == 0x668);
static_assert(sizeof(struct vmcb) == 4096);

struct vmcb_build_args {
	u64 iopm_pa;		/* the I/O permission map (with the C-bit where SME is on) */
	u64 msrpm_pa;		/* the MSR permission map: 0 while MSRs are not intercepted */
	u32 asid;
	u64 efer;		/* the host's EFER with SVME set: the guest's */
	u64 guest_rip;		/* the kind's guest stub (rewritten before each VMRUN) */
	u64 guest_rsp;		/* top of the guest's own stack */
	bool vmload;		/* also the VMLOAD/VMSAVE state: FS, GS, TR, LDTR, syscall MSRs */
};

/* Fills all of @v for intercepts @ic, host @h and @a. */
void vmcb_build(struct vmcb *v, const struct svm_intercepts *ic, const struct host_state *h,
		const struct vmcb_build_args *a);

#endif
