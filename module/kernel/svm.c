// SPDX-License-Identifier: GPL-2.0
/*
 * SVM: sets EFER.SVME (or borrows KVM's), points VM_HSAVE_PA at its own
 * host save area, builds a VMCB whose guest mirrors the host, and times
 * VMRUN + #VMEXIT. VMRUN loads only CS, DS, ES, SS, the descriptor tables,
 * CRs, EFER, RFLAGS, RIP, RSP and RAX; FS, GS, TR, LDTR and the syscall
 * MSRs stay the host's (no VMLOAD), which is exactly the mirror exitlat
 * wants, and #VMEXIT leaves them alone too, so no VMSAVE is needed either.
 */
#define pr_fmt(fmt) "exitlat: " fmt

#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <asm/msr-index.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/debugreg.h>

#include "exitlat.h"
#include "exitlat/exit_kinds.h"
#include "insns.h"
#include "names.h"
#include "segments.h"
#include "svm_intercepts.h"

#define VM_CR_SVMDIS		BIT_ULL(4)
#define EFER_SVME_BIT		BIT_ULL(12)
#define V_IRQ			BIT(8)
#define V_INTR_PRIO_SHIFT	16
#define V_IGN_TPR		BIT(20)
#define V_INTR_MASKING		BIT(24)
#define TLB_CONTROL_FLUSH_ALL	1
#define IOPM_PAGES		3

/* APM Vol. 2, Appendix B: the fields exitlat uses, at their offsets. */
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
	u8 reserved_3[0x400 - 0x098];
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
	u8 reserved_5[0x5f8 - 0x5e0];
	u64 rax;			/* 0x5f8 */
	u8 reserved_6[0x668 - 0x600];
	u64 g_pat;			/* 0x668 */
} __packed;

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
} __packed;

static_assert(offsetof(struct vmcb, control.iopm_base_pa) == 0x040);
static_assert(offsetof(struct vmcb, control.exit_code) == 0x070);
static_assert(offsetof(struct vmcb, save.cpl) == 0x4cb);
static_assert(offsetof(struct vmcb, save.efer) == 0x4d0);
static_assert(offsetof(struct vmcb, save.cr4) == 0x548);
static_assert(offsetof(struct vmcb, save.rip) == 0x578);
static_assert(offsetof(struct vmcb, save.rsp) == 0x5d8);
static_assert(offsetof(struct vmcb, save.rax) == 0x5f8);
static_assert(offsetof(struct vmcb, save.g_pat) == 0x668);
static_assert(sizeof(struct vmcb) <= PAGE_SIZE);

struct svm_pages {
	struct vmcb *vmcb;
	void *hsave;
	void *iopm;
	void *stack;
};

bool exitlat_svm_usable(const char **why)
{
	u64 vm_cr;

	if (!(cpuid_ecx(0x80000001) & BIT(2))) {
		*why = "the CPU has no SVM";
		return false;
	}
	if (!rdmsrl_safe(MSR_VM_CR, &vm_cr) && (vm_cr & VM_CR_SVMDIS)) {
		*why = "SVM is disabled by firmware (VM_CR.SVMDIS)";
		return false;
	}
	return true;
}

static void svm_info(struct exitlat_info *info)
{
	const char *why;
	u64 vm_cr = 0;

	info->virt = EXITLAT_VIRT_SVM;
	if (!rdmsrl_safe(MSR_VM_CR, &vm_cr))
		info->msr[EXITLAT_MSR_FEATURE] = vm_cr;
	if (!exitlat_svm_usable(&why)) {
		info->flags |= EXITLAT_INFO_FW_DISABLED;
		return;
	}
	info->svm_revision = cpuid_eax(0x8000000a);
	info->svm_features = cpuid_edx(0x8000000a);
	if (el_rdmsr(MSR_EFER) & EFER_SVME_BIT)
		info->flags |= EXITLAT_INFO_SVME_SET;
}

static int svm_prepare(struct exitlat_batch *b)
{
	struct svm_pages *p;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->vmcb = (void *)get_zeroed_page(GFP_KERNEL);
	if (!p->vmcb)
		goto err_free_struct;
	p->hsave = (void *)get_zeroed_page(GFP_KERNEL);
	if (!p->hsave)
		goto err_free_vmcb;
	/* every port intercepted: all bits of the I/O permission map set */
	p->iopm = alloc_pages_exact(IOPM_PAGES * PAGE_SIZE, GFP_KERNEL);
	if (!p->iopm)
		goto err_free_hsave;
	memset(p->iopm, 0xff, IOPM_PAGES * PAGE_SIZE);
	p->stack = (void *)get_zeroed_page(GFP_KERNEL);
	if (!p->stack)
		goto err_free_iopm;
	b->priv = p;
	return 0;

err_free_iopm:
	free_pages_exact(p->iopm, IOPM_PAGES * PAGE_SIZE);
err_free_hsave:
	free_page((unsigned long)p->hsave);
err_free_vmcb:
	free_page((unsigned long)p->vmcb);
err_free_struct:
	kfree(p);
	return -ENOMEM;
}

static void svm_release(struct exitlat_batch *b)
{
	struct svm_pages *p = b->priv;

	if (!p)
		return;
	free_page((unsigned long)p->stack);
	free_pages_exact(p->iopm, IOPM_PAGES * PAGE_SIZE);
	free_page((unsigned long)p->hsave);
	free_page((unsigned long)p->vmcb);
	kfree(p);
	b->priv = NULL;
}

static void svm_seg(struct vmcb_seg *s, u16 sel, const struct dtr *gdt)
{
	int i = seg_gdt_index(sel);
	u64 desc = 0;

	if (i >= 0 && i * 8 + 7 <= gdt->limit)
		desc = ((const u64 *)gdt->base)[i];
	s->selector = sel;
	s->attrib = seg_svm_attrib(sel, desc);
	s->limit = desc ? seg_limit(desc) : 0;
	s->base = seg_base(desc, 0, false);
}

static void svm_fill_vmcb(struct svm_pages *p, const struct svm_intercepts *ic, u64 efer)
{
	struct vmcb *v = p->vmcb;
	struct dtr gdt, idt;
	u16 sel;

	memset(v, 0, PAGE_SIZE);
	v->control.intercept_exceptions = ic->exceptions;
	v->control.intercept_misc1 = ic->misc1;
	v->control.intercept_misc2 = ic->misc2;
	v->control.iopm_base_pa = __pa(p->iopm);
	v->control.asid = 1;
	v->control.tlb_ctl = TLB_CONTROL_FLUSH_ALL;
	v->control.int_ctl = V_INTR_MASKING;

	el_sgdt(&gdt);
	el_sidt(&idt);
	savesegment(es, sel);
	svm_seg(&v->save.es, sel, &gdt);
	savesegment(cs, sel);
	svm_seg(&v->save.cs, sel, &gdt);
	savesegment(ss, sel);
	svm_seg(&v->save.ss, sel, &gdt);
	savesegment(ds, sel);
	svm_seg(&v->save.ds, sel, &gdt);
	v->save.gdtr.base = gdt.base;
	v->save.gdtr.limit = gdt.limit;
	v->save.idtr.base = idt.base;
	v->save.idtr.limit = idt.limit;
	v->save.cpl = 0;
	v->save.efer = efer;
	v->save.cr0 = el_read_cr0();
	v->save.cr3 = el_read_cr3();
	v->save.cr4 = el_read_cr4();
	v->save.dr6 = 0xffff0ff0;
	v->save.dr7 = 0x400;
	v->save.rflags = X86_EFLAGS_FIXED;
	v->save.rsp = (u64)p->stack + PAGE_SIZE - 64;
	v->save.g_pat = el_rdmsr(MSR_IA32_CR_PAT);
}

static void svm_sample(struct exitlat_batch *b, struct svm_pages *p, u64 expected)
{
	struct exitlat_trip trip = { .launched = 0 };
	unsigned long rip = exitlat_guest_rip(b->kind, b->mode != EXITLAT_MODE_ROUNDTRIP, false);
	u64 vmcb_pa = __pa(p->vmcb), start = rdtsc_ordered(), code;
	struct vmcb *v = p->vmcb;

	while (b->out->taken < b->want) {
		if (rdtsc() - start > b->budget_cycles)
			break;
		v->save.rip = rip;
		el_clgi();
		exitlat_svm_trip(&trip, vmcb_pa);
		el_stgi();		/* a pending NMI or SMI is taken by the host here */
		v->control.tlb_ctl = 0;
		code = v->control.exit_code;
		if (code == expected) {
			b->samples[b->out->taken++] = exitlat_trip_sample(&trip, b->mode);
			continue;
		}
		if (code == SVM_EXIT_INTR) {
			/* the interrupt is still pending: end the batch so the host takes it */
			b->out->dropped++;
			return;
		}
		if (code == SVM_EXIT_NMI || code == SVM_EXIT_SMI) {
			b->out->dropped++;
			continue;
		}
		b->out->status = EXITLAT_STATUS_UNEXPECTED_EXIT;
		b->out->exit_reason = code;
		b->out->exit_qual = v->control.exit_info_1;
		pr_err("unexpected #VMEXIT: exit code 0x%llx (%s), EXITINFO1 0x%llx, EXITINFO2 0x%llx, expected 0x%llx (%s)\n",
		       code, svm_exit_code_name(code), v->control.exit_info_1,
		       v->control.exit_info_2, expected, svm_exit_code_name(expected));
		return;
	}
}

/*
 * The mirrored guest runs with ASID 1, which KVM also hands out: its
 * translations of host addresses must not outlive the batch. One last
 * VMRUN flushes every ASID (TLB_CONTROL) and exits before the guest fetches
 * anything: a virtual interrupt is pending and its VINTR intercept is taken
 * at the first instruction boundary. An INTR or NMI exit is as early.
 */
static void svm_flush_asid(struct svm_pages *p)
{
	struct exitlat_trip trip = { .launched = 0 };
	struct vmcb *v = p->vmcb;
	u64 code;

	v->control.tlb_ctl = TLB_CONTROL_FLUSH_ALL;
	v->control.int_ctl = V_INTR_MASKING | V_IRQ | V_IGN_TPR | (0xf << V_INTR_PRIO_SHIFT);
	v->control.intercept_misc1 |= SVM_INTERCEPT_VINTR;
	v->save.rflags = X86_EFLAGS_FIXED | X86_EFLAGS_IF;
	v->save.rip = (unsigned long)exitlat_guest_cpuid;
	el_clgi();
	exitlat_svm_trip(&trip, __pa(p->vmcb));
	el_stgi();
	code = v->control.exit_code;
	if (code != SVM_EXIT_VINTR && code != SVM_EXIT_INTR && code != SVM_EXIT_NMI)
		pr_warn_ratelimited("ASID flush: #VMEXIT 0x%llx (%s), expected VINTR\n",
				    code, svm_exit_code_name(code));
}

static void svm_run(struct exitlat_batch *b)
{
	struct svm_pages *p = b->priv;
	struct svm_intercepts ic;
	u64 efer, hsave_pa;
	unsigned long dr7;

	if (svm_intercepts_for_kind(b->kind, &ic)) {
		b->out->status = EXITLAT_STATUS_SETUP;
		return;
	}
	efer = el_rdmsr(MSR_EFER);
	hsave_pa = el_rdmsr(MSR_VM_HSAVE_PA);
	get_debugreg(dr7, 7);
	b->out->borrowed = !!(efer & EFER_SVME_BIT);
	if (!b->out->borrowed)
		el_wrmsr(MSR_EFER, efer | EFER_SVME_BIT);
	el_wrmsr(MSR_VM_HSAVE_PA, __pa(p->hsave));

	svm_fill_vmcb(p, &ic, efer | EFER_SVME_BIT);
	svm_sample(b, p, ic.expected_exit);
	svm_flush_asid(p);

	/* #VMEXIT leaves DR7 = 0x400: give the host its breakpoints back */
	if (dr7 != 0x400)
		set_debugreg(dr7, 7);
	el_wrmsr(MSR_VM_HSAVE_PA, hsave_pa);
	if (!b->out->borrowed)
		el_wrmsr(MSR_EFER, efer);
}

const struct exitlat_vendor exitlat_svm = {
	.name = "svm",
	.info = svm_info,
	.prepare = svm_prepare,
	.run = svm_run,
	.release = svm_release,
};
