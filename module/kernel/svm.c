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
#include <asm/desc.h>
#include <asm/mem_encrypt.h>

#include "exitlat.h"
#include "exitlat/exit_kinds.h"
#include "insns.h"
#include "names.h"
#include "svm_checks.h"
#include "svm_intercepts.h"
#include "vmcb_build.h"

#define VM_CR_SVMDIS		BIT_ULL(4)
#define EFER_SVME_BIT		BIT_ULL(12)
#define IOPM_PAGES		(IOPM_SIZE / PAGE_SIZE)

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

/* The host's live state, read on the batch's CPU: the guest mirrors it. */
static void svm_read_host(struct host_state *h)
{
	struct dtr gdt, idt;

	el_sgdt(&gdt);
	el_sidt(&idt);
	*h = (struct host_state){
		.cr0 = el_read_cr0(), .cr3 = el_read_cr3(), .cr4 = el_read_cr4(),
		.efer = el_rdmsr(MSR_EFER), .pat = el_rdmsr(MSR_IA32_CR_PAT),
		.gdt_base = gdt.base, .gdt_limit = gdt.limit, .gdt = (const u64 *)gdt.base,
		.idt_base = idt.base, .idt_limit = idt.limit,
		.tr = el_str(),
		.fs_base = el_rdmsr(MSR_FS_BASE), .gs_base = el_rdmsr(MSR_GS_BASE),
		.kernel_gs_base = el_rdmsr(MSR_KERNEL_GS_BASE),
		.sysenter_cs = el_rdmsr(MSR_IA32_SYSENTER_CS),
		.sysenter_esp = el_rdmsr(MSR_IA32_SYSENTER_ESP),
		.sysenter_eip = el_rdmsr(MSR_IA32_SYSENTER_EIP),
		.star = el_rdmsr(MSR_STAR), .lstar = el_rdmsr(MSR_LSTAR),
		.cstar = el_rdmsr(MSR_CSTAR), .sfmask = el_rdmsr(MSR_SYSCALL_MASK),
	};
	savesegment(es, h->sel[HOST_SEG_ES]);
	savesegment(cs, h->sel[HOST_SEG_CS]);
	savesegment(ss, h->sel[HOST_SEG_SS]);
	savesegment(ds, h->sel[HOST_SEG_DS]);
	savesegment(fs, h->sel[HOST_SEG_FS]);
	savesegment(gs, h->sel[HOST_SEG_GS]);
	store_ldt(h->ldtr);
}

/* The VMCB as data (vmcb_build.c) for the batch's kind, the guest's EFER @efer. */
static void svm_fill_vmcb(struct exitlat_batch *b, const struct svm_intercepts *ic, u64 efer)
{
	struct svm_pages *p = b->priv;
	const struct vmcb_build_args args = {
		.iopm_pa = __pa(p->iopm),
		.asid = 1,
		.efer = efer,
		.guest_rip = exitlat_guest_rip(b->kind, b->mode != EXITLAT_MODE_ROUNDTRIP, false),
		.guest_rsp = (u64)p->stack + PAGE_SIZE - 64,
	};
	struct host_state h;

	svm_read_host(&h);
	vmcb_build(p->vmcb, ic, &h, &args);
}

/*
 * VMRUN's checks (svm_checks.c) before the first VMRUN, on the VMCB, the
 * VMCB address VMRUN will get and the host save area VM_HSAVE_PA holds.
 * A broken rule fails the batch with SETUP and its name in the log.
 */
static int svm_check(struct exitlat_batch *b)
{
	struct svm_pages *p = b->priv;
	const struct svm_check_env env = {
		.phys_bits = cpuid_eax(0x80000008) & 0xff,
		.sme_mask = sme_get_me_mask(),
		.nasid = cpuid_ebx(0x8000000a),
		.features = cpuid_edx(0x8000000a),
		.vmcb_pa = __pa(p->vmcb),
		.hsave_pa = el_rdmsr(MSR_VM_HSAVE_PA),
	};
	struct svm_check_result res;

	if (!svm_check_vmrun(p->vmcb, &env, &res))
		return 0;
	b->out->status = EXITLAT_STATUS_SETUP;
	if (res.outcome == SVM_VMEXIT_INVALID)
		b->out->exit_reason = SVM_EXIT_INVALID;
	pr_err("VMRUN would fail: \"%s\" (%s): %s = 0x%llx\n", res.name, res.section, res.field,
	       res.value);
	return -EINVAL;
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

	svm_fill_vmcb(b, &ic, efer | EFER_SVME_BIT);
	if (!svm_check(b)) {
		svm_sample(b, p, ic.expected_exit);
		svm_flush_asid(p);
	}

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
