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
#include <asm/cpufeature.h>
#include <asm/mce.h>

#include "exitlat.h"
#include "exitlat/exit_kinds.h"
#include "exit_action.h"
#include "firmware.h"
#include "msr_bitmap.h"
#include "insns.h"
#include "names.h"
#include "svm_checks.h"
#include "svm_intercepts.h"
#include "vmcb_build.h"

#define EFER_SVME_BIT		BIT_ULL(12)
#define IOPM_PAGES		(IOPM_SIZE / PAGE_SIZE)
#define VMCB_ALL_CLEAN		0xfff	/* clean bits 0-11 (APM 15.15.3), as KVM's VMCB_ALL_CLEAN_MASK */
#define TSC_RATIO_DEFAULT	BIT_ULL(32)	/* 1.0 in 8.32 fixed point */
#define EVENTINJ_TYPE_EXCEPTION	(3 << 8)
#define UD_VECTOR		6

struct svm_pages {
	struct vmcb *vmcb;
	void *hsave;
	void *iopm;
	void *stack;
	void *host_save;	/* EXITLAT_RUN_F_KVM_LIKE: the host's VMSAVE area, as KVM's save_area */
	void *msrpm;		/* rdmsr/wrmsr: the kind's MSR bit only */
};

/*
 * Physical addresses VMRUN, VMLOAD and VMSAVE read: with SME/SEV on, the
 * C-bit tells the CPU the page is encrypted, as KVM's __sme_page_pa().
 */
static u64 svm_pa(const void *va)
{
	return __sme_set(__pa(va));
}

bool exitlat_svm_usable(const char **why)
{
	u64 vm_cr;

	if (!(cpuid_ecx(0x80000001) & BIT(2))) {
		*why = "the CPU has no SVM";
		return false;
	}
	if (!rdmsrl_safe(MSR_VM_CR, &vm_cr)) {
		*why = svm_vm_cr_refusal(vm_cr);
		return !*why;
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
	p->host_save = (void *)get_zeroed_page(GFP_KERNEL);
	if (!p->host_save)
		goto err_free_stack;
	p->msrpm = alloc_pages_exact(SVM_MSRPM_SIZE, GFP_KERNEL | __GFP_ZERO);
	if (!p->msrpm)
		goto err_free_host_save;
	b->priv = p;
	return 0;

err_free_host_save:
	free_page((unsigned long)p->host_save);
err_free_stack:
	free_page((unsigned long)p->stack);
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
	free_pages_exact(p->msrpm, SVM_MSRPM_SIZE);
	free_page((unsigned long)p->host_save);
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
		.iopm_pa = svm_pa(p->iopm),
		.asid = 1,
		.efer = efer,
		.guest_rip = exitlat_guest_rip(b->kind, b->mode != EXITLAT_MODE_ROUNDTRIP, false),
		.guest_rsp = (u64)p->stack + PAGE_SIZE - 64,
		/* --kvm-like: the state VMLOAD loads is the host's own, so the mirror stays exact */
		.vmload = b->flags & EXITLAT_RUN_F_KVM_LIKE,
		/* rdmsr/wrmsr: the permission map with the kind's MSR bit, as KVM's */
		.msrpm_pa = (ic->misc1 & SVM_INTERCEPT_MSR_PROT) ? svm_pa(p->msrpm) : 0,
	};
	struct host_state h;

	if (ic->misc1 & SVM_INTERCEPT_MSR_PROT)
		svm_msrpm_set(p->msrpm, ic->msr, ic->msr_write);
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
		.vmcb_pa = svm_pa(p->vmcb),
		.hsave_pa = el_rdmsr(MSR_VM_HSAVE_PA),
	};
	struct svm_check_result res;

	if (!svm_check_vmrun(p->vmcb, &env, &res))
		return 0;
	exitlat_batch_fail(b, EXITLAT_STATUS_SETUP);
	if (res.outcome == SVM_VMEXIT_INVALID)
		b->out->exit_reason = SVM_EXIT_INVALID;
	pr_err("VMRUN would fail: \"%s\" (%s): %s = 0x%llx\n", res.name, res.section, res.field,
	       res.value);
	return -EINVAL;
}

/* A machine check the #VMEXIT took from the host: its handler must see it (KVM: svm_handle_mce). */
static void svm_machine_check(void)
{
#if IS_ENABLED(CONFIG_X86_MCE)
	struct pt_regs regs = {
		.cs = 3,	/* as KVM: pretend ring 3, whatever the guest ran */
		.flags = X86_EFLAGS_IF,
	};

	do_machine_check(&regs);
#endif
}

/* TLB control for a VMRUN that must start from an empty TLB for the guest's ASID. */
static u8 svm_flush_ctl(struct exitlat_batch *b)
{
	if (boot_cpu_has(X86_FEATURE_FLUSHBYASID)) {
		b->out->path |= EXITLAT_PATH_FLUSH_ASID;
		return TLB_CONTROL_FLUSH_ASID;
	}
	return TLB_CONTROL_FLUSH_ALL;
}

static void svm_sample(struct exitlat_batch *b, struct svm_pages *p, u64 expected,
		       unsigned long dr7)
{
	struct exitlat_trip trip = { .launched = 0 };
	unsigned long rip = exitlat_guest_rip(b->kind, b->mode != EXITLAT_MODE_ROUNDTRIP, false);
	u64 vmcb_pa = svm_pa(p->vmcb), host_save_pa = svm_pa(p->host_save);
	u64 start = rdtsc_ordered(), code;
	bool kvm_like = b->flags & EXITLAT_RUN_F_KVM_LIKE, warm = false;
	struct vmcb *v = p->vmcb;

	/* stale translations of KVM's guest with the same ASID must not reach the mirror */
	v->control.tlb_ctl = svm_flush_ctl(b);
	if (kvm_like) {
		/* the host's own VMLOAD state, loaded back after each #VMEXIT as KVM's save area */
		el_vmsave(host_save_pa);
		b->out->path |= EXITLAT_PATH_VMLOAD;
	}
	while (b->out->taken < b->want) {
		if (rdtsc() - start > b->budget_cycles)
			break;
		v->save.rip = rip;
		el_clgi();
		if (kvm_like)
			exitlat_svm_trip_vmload(&trip, vmcb_pa, host_save_pa);
		else
			exitlat_svm_trip(&trip, vmcb_pa);
		el_stgi();		/* a pending NMI or SMI is taken by the host here */
		/* #VMEXIT sets DR7 to 0x400: the host's breakpoints come back after each, as KVM's */
		if (dr7 != EXITLAT_DR7_RESET)
			set_debugreg(dr7, 7);
		if (!warm && boot_cpu_has(X86_FEATURE_VMCBCLEAN)) {
			/* from the second VMRUN on, as KVM: only what changed is reloaded */
			v->control.clean = VMCB_ALL_CLEAN;
			b->out->path |= EXITLAT_PATH_CLEAN_BITS;
		}
		v->control.tlb_ctl = 0;
		code = v->control.exit_code;
		switch (svm_exit_action(code, expected)) {
		case EXIT_ACT_SAMPLE:
			/* the first VMRUN of a batch flushes the TLB and loads a cold VMCB: untimed */
			if (!warm) {
				warm = true;
				b->out->warmup++;
				b->out->path |= EXITLAT_PATH_WARMUP;
				continue;
			}
			b->samples[b->out->taken++] = exitlat_trip_sample(&trip, b->mode);
			continue;
		case EXIT_ACT_INTR:
			/* the interrupt is still pending: end the batch so the host takes it */
			b->out->dropped_intr++;
			return;
		case EXIT_ACT_NMI:
		case EXIT_ACT_SMI:
			b->out->dropped_nmi++;
			continue;
		case EXIT_ACT_MCE:
			b->out->dropped_mce++;
			svm_machine_check();
			return;
		case EXIT_ACT_UNEXPECTED:
			break;
		}
		exitlat_batch_fail(b, EXITLAT_STATUS_UNEXPECTED_EXIT);
		b->out->exit_reason = code;
		b->out->exit_qual = v->control.exit_info_1;
		pr_err("unexpected #VMEXIT: exit code 0x%llx (%s), EXITINFO1 0x%llx, EXITINFO2 0x%llx, expected 0x%llx (%s)\n",
		       code, svm_exit_code_name(code), v->control.exit_info_1,
		       v->control.exit_info_2, expected, svm_exit_code_name(expected));
		return;
	}
}

/*
 * The mirrored guest runs with ASID 1, which KVM also hands out, and KVM
 * does not flush an ASID it believes is still its own: no translation the
 * mirror made may outlive the batch. One last VMRUN flushes the ASID (or
 * all ASIDs) and runs no instruction that could make another: the guest has
 * paging off (so it can create no translation at all) and an injected #UD
 * that cannot be delivered (IDT limit 0), so the VMRUN ends in an exception
 * or shutdown #VMEXIT before the guest's first instruction (APM 15.20:
 * injected events are delivered before any instruction). Only a VMRUN that
 * did not even start (VMEXIT_INVALID) would leave the flush undone.
 */
static void svm_flush_asid(struct exitlat_batch *b, struct svm_pages *p)
{
	struct exitlat_trip trip = { .launched = 0 };
	struct vmcb *v = p->vmcb;
	u64 code;

	v->control.clean = 0;
	v->control.tlb_ctl = svm_flush_ctl(b);
	v->control.event_inj = EVENTINJ_VALID | EVENTINJ_TYPE_EXCEPTION | UD_VECTOR;
	v->save.cr0 &= ~X86_CR0_PG;
	v->save.cr4 &= ~X86_CR4_PCIDE;
	v->save.cr3 &= PAGE_MASK;
	v->save.efer &= ~EFER_LMA;
	/* a flat 32-bit code segment: CS.L means nothing without long mode */
	v->save.cs.attrib = 0xc9b;
	v->save.cs.limit = 0xffffffff;
	v->save.cs.base = 0;
	v->save.idtr.base = 0;
	v->save.idtr.limit = 0;
	v->save.rflags = X86_EFLAGS_FIXED;
	v->save.rip = 0;
	/* this VMCB too is judged before it runs: a refused flush fails the batch by name */
	if (svm_check(b))
		return;
	el_clgi();
	exitlat_svm_trip(&trip, svm_pa(p->vmcb));
	el_stgi();
	code = v->control.exit_code;
	if (code == SVM_EXIT_INVALID)
		pr_warn_ratelimited("ASID flush: VMRUN refused the flush VMCB (VMEXIT_INVALID): ASID 1 may keep the mirror's translations\n");
	else if (code != SVM_EXIT_EXCP_BASE + 13 && code != SVM_EXIT_EXCP_BASE + 8 &&
		 code != SVM_EXIT_SHUTDOWN && code != SVM_EXIT_INTR && code != SVM_EXIT_NMI)
		pr_warn_ratelimited("ASID flush: #VMEXIT 0x%llx (%s), expected #GP, #DF or shutdown from the undeliverable #UD\n",
				    code, svm_exit_code_name(code));
}

static void svm_run(struct exitlat_batch *b)
{
	struct svm_pages *p = b->priv;
	struct svm_intercepts ic;
	u64 efer, hsave_pa, tsc_ratio = TSC_RATIO_DEFAULT;
	bool has_tsc_ratio = boot_cpu_has(X86_FEATURE_TSCRATEMSR);
	unsigned long dr7;

	if (svm_intercepts_for_kind(b->kind, &ic)) {
		exitlat_batch_fail(b, EXITLAT_STATUS_SETUP);
		return;
	}
	if (b->kind == EXITLAT_EXIT_XSETBV && !(el_read_cr4() & X86_CR4_OSXSAVE)) {
		pr_err_once("xsetbv: this CPU runs without XSAVE (CR4.OSXSAVE clear): the kind cannot run\n");
		exitlat_batch_fail(b, EXITLAT_STATUS_UNSUPPORTED);
		return;
	}
	efer = el_rdmsr(MSR_EFER);
	if ((efer & EFER_SVME_BIT) && !b->kvm_present) {
		/* EFER.SVME is KVM's to lend; another hypervisor's (VirtualBox) is left alone */
		pr_err_ratelimited("CPU %d: EFER.SVME is held by another hypervisor (not KVM): exitlat borrows only KVM's\n",
				   smp_processor_id());
		exitlat_batch_fail(b, EXITLAT_STATUS_BUSY);
		return;
	}
	hsave_pa = el_rdmsr(MSR_VM_HSAVE_PA);
	get_debugreg(dr7, 7);
	b->out->borrowed = !!(efer & EFER_SVME_BIT);
	if (!b->out->borrowed) {
		exitlat_set_owns_virt(true);
		el_wrmsr(MSR_EFER, efer | EFER_SVME_BIT);
	}
	el_wrmsr(MSR_VM_HSAVE_PA, svm_pa(p->hsave));
	/* KVM may leave its guest's TSC ratio: the guest's own TSC reads (split modes) would be scaled */
	if (has_tsc_ratio) {
		tsc_ratio = el_rdmsr(MSR_AMD64_TSC_RATIO);
		if (tsc_ratio != TSC_RATIO_DEFAULT) {
			el_wrmsr(MSR_AMD64_TSC_RATIO, TSC_RATIO_DEFAULT);
			b->out->path |= EXITLAT_PATH_TSC_RATIO;
		}
	}

	svm_fill_vmcb(b, &ic, efer | EFER_SVME_BIT);
	if (!svm_check(b)) {
		svm_sample(b, p, ic.expected_exit, dr7);
		svm_flush_asid(b, p);
	}

	if (dr7 != EXITLAT_DR7_RESET)
		set_debugreg(dr7, 7);
	if (tsc_ratio != TSC_RATIO_DEFAULT)
		el_wrmsr(MSR_AMD64_TSC_RATIO, tsc_ratio);
	el_wrmsr(MSR_VM_HSAVE_PA, hsave_pa);
	if (!b->out->borrowed) {
		el_wrmsr(MSR_EFER, efer);
		exitlat_set_owns_virt(false);
	}
}

/* The kernel's emergency path, on a CPU whose batch set EFER.SVME itself (NMI context), as KVM's. */
static void svm_emergency_disable(void)
{
	u64 efer = el_rdmsr(MSR_EFER);

	el_wrmsr(MSR_VM_HSAVE_PA, 0);
	if (efer & EFER_SVME_BIT) {
		/* GIF = 1 first, so INIT and NMI are not blocked */
		el_stgi();
		el_wrmsr(MSR_EFER, efer & ~EFER_SVME_BIT);
	}
}

const struct exitlat_vendor exitlat_svm = {
	.name = "svm",
	.info = svm_info,
	.prepare = svm_prepare,
	.run = svm_run,
	.release = svm_release,
	.emergency_disable = svm_emergency_disable,
};
