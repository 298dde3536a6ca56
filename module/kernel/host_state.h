/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The host's state as the VMCS and VMCB builders need it: plain data, read
 * live by vmx.c / svm.c on the batch's CPU and written as fixtures by the
 * unit tests. The guest mirrors it.
 */
#ifndef EXITLAT_HOST_STATE_H
#define EXITLAT_HOST_STATE_H

#include "compat.h"

/* Segment registers in the order of the VMCS fields (and of the VMCB's ES, CS, SS, DS). */
enum host_seg { HOST_SEG_ES, HOST_SEG_CS, HOST_SEG_SS, HOST_SEG_DS, HOST_SEG_FS,
		HOST_SEG_GS, HOST_SEG_NR };

struct host_state {
	u64 cr0, cr3, cr4, efer, pat;
	u64 gdt_base, idt_base;
	u16 gdt_limit, idt_limit;
	const u64 *gdt;		/* the descriptors at gdt_base: gdt_limit + 1 bytes */
	u16 sel[HOST_SEG_NR];
	u16 tr, ldtr;
	u64 fs_base, gs_base, kernel_gs_base;
	u64 sysenter_cs, sysenter_esp, sysenter_eip;
	u64 star, lstar, cstar, sfmask;	/* SVM's VMLOAD state only */
};

/*
 * The descriptor that selector @sel picks in @h's GDT (@plus 1: the high
 * half of a 16-byte system descriptor), or 0 for a null or LDT selector or
 * one beyond the GDT limit.
 */
u64 host_gdt_desc(const struct host_state *h, u16 sel, int plus);

#endif
