// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The VMCB exitlat runs: see vmcb_build.h. */
#include "vmcb_build.h"
#include "segments.h"

#define RFLAGS_FIXED		0x2ull		/* bit 1; IF = 0 */
#define DR6_FIXED		0xffff0ff0ull
#define DR7_FIXED		0x400ull

/*
 * A segment from the GDT: a code/data one (VMRUN's ES, CS, SS, DS, VMLOAD's
 * FS, GS) or, @system, a 16-byte system descriptor (TR, LDTR).
 */
static void seg_from_gdt(struct vmcb_seg *s, const struct host_state *h, u16 sel, bool system)
{
	u64 lo = host_gdt_desc(h, sel, 0), hi = system ? host_gdt_desc(h, sel, 1) : 0;

	s->selector = sel;
	s->attrib = seg_svm_attrib(sel, lo);
	s->limit = lo ? seg_limit(lo) : 0;
	s->base = seg_base(lo, hi, system);
}

/* What VMLOAD loads (APM 15.5.2): the host's own, so the guest still mirrors it. */
static void build_vmload_state(struct vmcb_save *s, const struct host_state *h)
{
	seg_from_gdt(&s->fs, h, h->sel[HOST_SEG_FS], false);
	s->fs.base = h->fs_base;
	seg_from_gdt(&s->gs, h, h->sel[HOST_SEG_GS], false);
	s->gs.base = h->gs_base;
	seg_from_gdt(&s->tr, h, h->tr, true);
	seg_from_gdt(&s->ldtr, h, h->ldtr, true);
	s->kernel_gs_base = h->kernel_gs_base;
	s->star = h->star;
	s->lstar = h->lstar;
	s->cstar = h->cstar;
	s->sfmask = h->sfmask;
	s->sysenter_cs = h->sysenter_cs;
	s->sysenter_esp = h->sysenter_esp;
	s->sysenter_eip = h->sysenter_eip;
}

void vmcb_build(struct vmcb *v, const struct svm_intercepts *ic, const struct host_state *h,
		const struct vmcb_build_args *a)
{
	struct vmcb_control *c = &v->control;
	struct vmcb_save *s = &v->save;

	memset(v, 0, sizeof(*v));
	c->intercept_cr = ic->cr;
	c->intercept_exceptions = ic->exceptions;
	c->intercept_misc1 = ic->misc1;
	c->intercept_misc2 = ic->misc2;
	c->iopm_base_pa = a->iopm_pa;
	c->msrpm_base_pa = a->msrpm_pa;
	c->asid = a->asid;
	c->tlb_ctl = TLB_CONTROL_FLUSH_ALL;
	c->int_ctl = V_INTR_MASKING;

	seg_from_gdt(&s->es, h, h->sel[HOST_SEG_ES], false);
	seg_from_gdt(&s->cs, h, h->sel[HOST_SEG_CS], false);
	seg_from_gdt(&s->ss, h, h->sel[HOST_SEG_SS], false);
	seg_from_gdt(&s->ds, h, h->sel[HOST_SEG_DS], false);
	s->gdtr.base = h->gdt_base;
	s->gdtr.limit = h->gdt_limit;
	s->idtr.base = h->idt_base;
	s->idtr.limit = h->idt_limit;
	s->cpl = 0;
	s->efer = a->efer;
	s->cr0 = h->cr0;
	s->cr3 = h->cr3;
	s->cr4 = h->cr4;
	s->dr6 = DR6_FIXED;
	s->dr7 = DR7_FIXED;
	s->rflags = RFLAGS_FIXED;
	s->rip = a->guest_rip;
	s->rsp = a->guest_rsp;
	s->g_pat = h->pat;
	if (a->vmload)
		build_vmload_state(s, h);
}
