// SPDX-License-Identifier: GPL-2.0
/*
 * VMX: takes the CPU into VMX operation (or borrows KVM's), builds a VMCS
 * whose guest mirrors the host, and times VM entry + VM exit. Everything
 * between the two TSC reads is in trip.S; this file sets up and tears down
 * around it, always within one interrupts-off batch.
 */
#define pr_fmt(fmt) "exitlat: " fmt

#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/msr-index.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/desc.h>
#include <asm/cpufeature.h>
#include <asm/debugreg.h>
#include <asm/tlbflush.h>
#include <asm/perf_event.h>
#include <asm/mce.h>

#include "exitlat.h"
#include "exitlat/exit_kinds.h"
#include "exit_action.h"
#include "firmware.h"
#include "msr_bitmap.h"
#include "insns.h"
#include "names.h"
#include "vmcs.h"
#include "vmcs_build.h"
#include "vmx_checks.h"
#include "vmx_controls.h"

#define GUEST_STACK_SIZE		PAGE_SIZE
/*
 * The mirror's VPID. KVM hands VPIDs out from 1 up and may use this one
 * too: the module flushes it with INVVPID before its first entry and after
 * its last exit, so neither ever sees the other's translations.
 */
#define EXITLAT_VPID			0xffff

struct vmx_pages {
	void *vmxon;
	void *vmcs;
	void *stack;
	void *msr_bitmap;	/* rdmsr/wrmsr: the kind's MSR bit only */
	struct vmcs_image img;	/* the VMCS as data: 1.5 KiB, too much for the stack */
};

/* IA32_FEATURE_CONTROL of this CPU lets VMXON run outside SMX; why not in *why. */
static bool vmx_feature_control_ok(const char **why)
{
	u64 fc;

	if (rdmsrl_safe(MSR_IA32_FEAT_CTL, &fc)) {
		*why = "IA32_FEATURE_CONTROL is not readable";
		return false;
	}
	*why = vmx_feature_control_refusal(fc);
	return !*why;
}

bool exitlat_vmx_usable(const char **why)
{
	if (!boot_cpu_has(X86_FEATURE_VMX) && !(cpuid_ecx(1) & BIT(5))) {
		*why = "the CPU has no VMX";
		return false;
	}
	return vmx_feature_control_ok(why);
}

static void vmx_read_caps(struct vmx_caps *c)
{
	c->basic = el_rdmsr(MSR_IA32_VMX_BASIC);
	c->pinbased = el_rdmsr(MSR_IA32_VMX_PINBASED_CTLS);
	c->procbased = el_rdmsr(MSR_IA32_VMX_PROCBASED_CTLS);
	c->exit = el_rdmsr(MSR_IA32_VMX_EXIT_CTLS);
	c->entry = el_rdmsr(MSR_IA32_VMX_ENTRY_CTLS);
	if (c->basic & VMX_BASIC_HAS_TRUE_CTLS) {
		c->true_pinbased = el_rdmsr(MSR_IA32_VMX_TRUE_PINBASED_CTLS);
		c->true_procbased = el_rdmsr(MSR_IA32_VMX_TRUE_PROCBASED_CTLS);
		c->true_exit = el_rdmsr(MSR_IA32_VMX_TRUE_EXIT_CTLS);
		c->true_entry = el_rdmsr(MSR_IA32_VMX_TRUE_ENTRY_CTLS);
	} else {
		c->true_pinbased = c->true_procbased = c->true_exit = c->true_entry = 0;
	}
	c->cr0_fixed0 = el_rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	c->cr0_fixed1 = el_rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	c->cr4_fixed0 = el_rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	c->cr4_fixed1 = el_rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	c->misc = el_rdmsr(MSR_IA32_VMX_MISC);
	/*
	 * The VM-entry checks' MSRs, each only where the CPU has it (SDM A.3.3,
	 * A.10, A.11); _safe as an emulator may announce a feature without its MSR.
	 */
	c->procbased2 = c->ept_vpid = c->vmfunc = 0;
	if ((c->procbased & ((u64)CPU_SECONDARY_CONTROLS << 32)) &&
	    rdmsrl_safe(MSR_IA32_VMX_PROCBASED_CTLS2, &c->procbased2))
		c->procbased2 = 0;
	if ((c->procbased2 & ((u64)(CPU2_ENABLE_EPT | CPU2_ENABLE_VPID) << 32)) &&
	    rdmsrl_safe(MSR_IA32_VMX_EPT_VPID_CAP, &c->ept_vpid))
		c->ept_vpid = 0;
	if ((c->procbased2 & ((u64)CPU2_VM_FUNCTIONS << 32)) &&
	    rdmsrl_safe(MSR_IA32_VMX_VMFUNC, &c->vmfunc))
		c->vmfunc = 0;
}

static void vmx_info(struct exitlat_info *info)
{
	struct vmx_caps c;
	const char *why;
	u64 fc = 0;

	info->virt = EXITLAT_VIRT_VMX;
	if (!rdmsrl_safe(MSR_IA32_FEAT_CTL, &fc))
		info->msr[EXITLAT_MSR_FEATURE] = fc;
	if (!exitlat_vmx_usable(&why)) {
		info->flags |= EXITLAT_INFO_FW_DISABLED;
		return;
	}
	vmx_read_caps(&c);
	info->msr[EXITLAT_MSR_VMX_BASIC] = c.basic;
	info->msr[EXITLAT_MSR_VMX_PINBASED] = c.pinbased;
	info->msr[EXITLAT_MSR_VMX_PROCBASED] = c.procbased;
	info->msr[EXITLAT_MSR_VMX_EXIT] = c.exit;
	info->msr[EXITLAT_MSR_VMX_ENTRY] = c.entry;
	info->msr[EXITLAT_MSR_VMX_MISC] = el_rdmsr(MSR_IA32_VMX_MISC);
	info->msr[EXITLAT_MSR_VMX_CR0_FIXED0] = c.cr0_fixed0;
	info->msr[EXITLAT_MSR_VMX_CR0_FIXED1] = c.cr0_fixed1;
	info->msr[EXITLAT_MSR_VMX_CR4_FIXED0] = c.cr4_fixed0;
	info->msr[EXITLAT_MSR_VMX_CR4_FIXED1] = c.cr4_fixed1;
	if (c.procbased & ((u64)CPU_SECONDARY_CONTROLS << 32)) {
		info->msr[EXITLAT_MSR_VMX_PROCBASED2] = el_rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2);
		rdmsrl_safe(MSR_IA32_VMX_EPT_VPID_CAP, &info->msr[EXITLAT_MSR_VMX_EPT_VPID]);
	}
	if (c.basic & VMX_BASIC_HAS_TRUE_CTLS) {
		info->flags |= EXITLAT_INFO_TRUE_CTLS;
		info->msr[EXITLAT_MSR_VMX_TRUE_PINBASED] = c.true_pinbased;
		info->msr[EXITLAT_MSR_VMX_TRUE_PROCBASED] = c.true_procbased;
		info->msr[EXITLAT_MSR_VMX_TRUE_EXIT] = c.true_exit;
		info->msr[EXITLAT_MSR_VMX_TRUE_ENTRY] = c.true_entry;
	}
	if (el_read_cr4() & X86_CR4_VMXE)
		info->flags |= EXITLAT_INFO_VMX_ROOT_BUSY;
}

static int vmx_prepare(struct exitlat_batch *b)
{
	struct vmx_pages *p;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->vmxon = (void *)get_zeroed_page(GFP_KERNEL);
	if (!p->vmxon)
		goto err_free_struct;
	p->vmcs = (void *)get_zeroed_page(GFP_KERNEL);
	if (!p->vmcs)
		goto err_free_vmxon;
	p->stack = (void *)get_zeroed_page(GFP_KERNEL);
	if (!p->stack)
		goto err_free_vmcs;
	p->msr_bitmap = (void *)get_zeroed_page(GFP_KERNEL);
	if (!p->msr_bitmap)
		goto err_free_stack;
	b->priv = p;
	return 0;

err_free_stack:
	free_page((unsigned long)p->stack);
err_free_vmcs:
	free_page((unsigned long)p->vmcs);
err_free_vmxon:
	free_page((unsigned long)p->vmxon);
err_free_struct:
	kfree(p);
	return -ENOMEM;
}

static void vmx_release(struct exitlat_batch *b)
{
	struct vmx_pages *p = b->priv;

	if (!p)
		return;
	free_page((unsigned long)p->msr_bitmap);
	free_page((unsigned long)p->stack);
	free_page((unsigned long)p->vmcs);
	free_page((unsigned long)p->vmxon);
	kfree(p);
	b->priv = NULL;
}

/* The host's live state, read once per batch: the guest mirrors it. */
struct vmx_host {
	u64 cr0, cr3, cr4, efer, pat;
	struct dtr gdt, idt;
	u16 sel[6];		/* ES, CS, SS, DS, FS, GS: the order of the VMCS fields */
	u16 tr;
	u64 fs_base, gs_base, kernel_gs_base;
	u64 sysenter_cs, sysenter_esp, sysenter_eip;
};

enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_NR };

static void vmx_read_host(struct vmx_host *h)
{
	h->cr0 = el_read_cr0();
	h->cr3 = el_read_cr3();
	h->cr4 = el_read_cr4();
	h->efer = el_rdmsr(MSR_EFER);
	h->pat = el_rdmsr(MSR_IA32_CR_PAT);
	el_sgdt(&h->gdt);
	el_sidt(&h->idt);
	savesegment(es, h->sel[SEG_ES]);
	savesegment(cs, h->sel[SEG_CS]);
	savesegment(ss, h->sel[SEG_SS]);
	savesegment(ds, h->sel[SEG_DS]);
	savesegment(fs, h->sel[SEG_FS]);
	savesegment(gs, h->sel[SEG_GS]);
	h->tr = el_str();
	h->fs_base = el_rdmsr(MSR_FS_BASE);
	h->gs_base = el_rdmsr(MSR_GS_BASE);
	h->kernel_gs_base = el_rdmsr(MSR_KERNEL_GS_BASE);
	h->sysenter_cs = el_rdmsr(MSR_IA32_SYSENTER_CS);
	h->sysenter_esp = el_rdmsr(MSR_IA32_SYSENTER_ESP);
	h->sysenter_eip = el_rdmsr(MSR_IA32_SYSENTER_EIP);
}

/*
 * Records a failed VMX instruction @what: VMfailValid with its
 * VM-instruction error number and name (SDM 31.4), VMfailInvalid, or a fault.
 */
static void vmx_fail(struct exitlat_batch *b, const char *what, int res)
{
	u64 err = 0;

	if (res == VMX_FAULT) {
		exitlat_batch_fail(b, EXITLAT_STATUS_BUSY);
		pr_err_ratelimited("CPU %d: %s faulted: the CPU is not in the VMX state CR4.VMXE suggests (another hypervisor is turning VMX on or off); batch refused\n",
				   smp_processor_id(), what);
		return;
	}
	exitlat_batch_fail(b, EXITLAT_STATUS_VMFAIL);
	if (res == VMX_FAIL_VALID) {
		el_vmread(VM_INSTRUCTION_ERROR, &err);
		b->out->vm_error = (u32)err;
		pr_err("%s failed: VMfailValid, VM-instruction error %llu (%s)\n", what, err,
		       vmx_instruction_error_name((u32)err));
	} else {
		pr_err("%s failed: VMfailInvalid (no current VMCS, or VMXON itself failed)\n", what);
	}
}

/* The builder's view of the live host state @h. */
static void vmx_host_state(const struct vmx_host *h, struct host_state *s)
{
	*s = (struct host_state){
		.cr0 = h->cr0, .cr3 = h->cr3, .cr4 = h->cr4, .efer = h->efer, .pat = h->pat,
		.gdt_base = h->gdt.base, .gdt_limit = h->gdt.limit,
		.idt_base = h->idt.base, .idt_limit = h->idt.limit,
		.gdt = (const u64 *)h->gdt.base,
		.tr = h->tr,
		.fs_base = h->fs_base, .gs_base = h->gs_base, .kernel_gs_base = h->kernel_gs_base,
		.sysenter_cs = h->sysenter_cs, .sysenter_esp = h->sysenter_esp,
		.sysenter_eip = h->sysenter_eip,
	};
	memcpy(s->sel, h->sel, sizeof(s->sel));
}

/* Why the VM entry would fail, as the CPU would report it: SETUP, with the rule named. */
static void vmx_check_failed(struct exitlat_batch *b, const struct vmx_check_result *res)
{
	b->out->status = EXITLAT_STATUS_SETUP;
	b->out->vm_error = res->vm_error;
	if (res->area == VMX_AREA_GUEST) {
		b->out->exit_reason = EXIT_REASON_ENTRY_FAILURE | EXIT_REASON_INVALID_STATE;
		b->out->exit_qual = res->exit_qual;
	}
	pr_err("VM entry would fail: \"%s\" (%s): %s = 0x%llx\n", res->name, res->section,
	       vmcs_field_name(res->field), res->value);
}

/*
 * Builds the VMCS as data (vmcs_build.c), applies the VM-entry checks to it
 * (vmx_checks.c) and VMWRITEs it into the current VMCS.
 */
static int vmx_write_vmcs(struct exitlat_batch *b, const struct vmx_caps *caps,
			  const struct vmx_controls *ctl, const struct vmx_host *h)
{
	struct vmx_pages *p = b->priv;
	const struct vmcs_build_args args = {
		.host_rip = (u64)exitlat_vmx_host_rip,
		.guest_rip = exitlat_guest_rip(b->kind, b->mode != EXITLAT_MODE_ROUNDTRIP, true),
		.guest_rsp = (u64)p->stack + GUEST_STACK_SIZE - 64,
		.vpid = EXITLAT_VPID,
		.msr_bitmap_pa = __pa(p->msr_bitmap),
	};
	struct vmx_check_result res;
	struct host_state hs;
	char what[48];
	unsigned int i;
	int r;

	vmx_host_state(h, &hs);
	if (vmcs_build(ctl, &hs, &args, &p->img)) {
		pr_err("the VMCS image holds at most %d fields\n", VMCS_IMAGE_MAX);
		b->out->status = EXITLAT_STATUS_SETUP;
		return -ENOSPC;
	}
	/* MAXPHYADDR as the CPU has it (x86_phys_bits may be reduced for memory encryption) */
	if (vmx_check_vm_entry(caps, &p->img, cpuid_eax(0x80000008) & 0xff, &res)) {
		vmx_check_failed(b, &res);
		return -EINVAL;
	}
	for (i = 0; i < p->img.n; i++) {
		r = el_vmwrite(p->img.field[i], p->img.val[i]);
		if (r) {
			snprintf(what, sizeof(what), "VMWRITE %s", vmcs_field_name(p->img.field[i]));
			vmx_fail(b, what, r);
			return -EIO;
		}
	}
	return 0;
}

/*
 * What a VM exit does to the host beyond the VMCS host-state area (SDM
 * 28.5), saved at the start of the batch and given back: DR7 (set to 0x400)
 * and IA32_DEBUGCTL (cleared) after every exit, as KVM does, so hardware
 * breakpoints, LBR, BTF and bus-lock detection stay live through the batch;
 * LDTR (left null), the GDTR/IDTR limits (0xffff) and the TR limit (0x67)
 * once at its end, as KVM does when it returns to the host.
 */
struct vmx_restore {
	unsigned long dr7;
	u64 debugctl;
	u16 ldtr;
};

static void vmx_save_restore(struct vmx_restore *r)
{
	get_debugreg(r->dr7, 7);
	r->debugctl = el_rdmsr(MSR_IA32_DEBUGCTLMSR);
	r->ldtr = el_sldt();
}

/* After each VM exit: the debug state the exit reset (KVM: update_debugctlmsr, hw_breakpoint_restore). */
static __always_inline void vmx_restore_debug(const struct vmx_restore *r)
{
	if (r->debugctl)
		el_wrmsr(MSR_IA32_DEBUGCTLMSR, r->debugctl);
	if (r->dr7 != EXITLAT_DR7_RESET)
		set_debugreg(r->dr7, 7);
}

/* A machine check the exit took from the host: its handler must see it (KVM: kvm_machine_check). */
static void exitlat_machine_check(void)
{
#if IS_ENABLED(CONFIG_X86_MCE)
	struct pt_regs regs = {
		.cs = 3,	/* as KVM: pretend ring 3, whatever the guest ran */
		.flags = X86_EFLAGS_IF,
	};

	do_machine_check(&regs);
#endif
}

/* Which instruction a failed trip names: the entry, or trip.S's VMWRITE of HOST_RSP. */
static void vmx_trip_fail(struct exitlat_batch *b, const struct exitlat_trip *trip, int res)
{
	const char *what = (res >> TRIP_FAILED_SHIFT) == TRIP_FAILED_HOST_RSP ?
			   "VMWRITE HOST_RSP" : trip->launched ? "VMRESUME" : "VMLAUNCH";

	vmx_fail(b, what, res & TRIP_RESULT_MASK);
}

/* The sampling loop, with the VMCS current. */
static void vmx_sample(struct exitlat_batch *b, const struct vmx_restore *r, u64 vmcs_pa)
{
	struct exitlat_trip trip = { .launched = 0 };
	u32 expected = vmx_kind_exit_reason(b->kind);
	unsigned long rip = exitlat_guest_rip(b->kind, b->mode != EXITLAT_MODE_ROUNDTRIP, true);
	u64 start = rdtsc_ordered();
	u64 reason, qual, intr = 0;
	bool warm = false;
	int res;

	while (b->out->taken < b->want) {
		if (rdtsc() - start > b->budget_cycles)
			break;
		res = el_vmwrite(GUEST_RIP, rip);
		if (res) {
			vmx_fail(b, "VMWRITE GUEST_RIP", res);
			return;
		}
		if (b->inject == EXITLAT_INJECT_VMLAUNCH_TWICE && warm)
			trip.launched = 0;
		if (b->inject == EXITLAT_INJECT_NO_CURRENT_VMCS && warm)
			el_vmclear(vmcs_pa);
		res = exitlat_vmx_trip(&trip);
		if (res) {
			vmx_trip_fail(b, &trip, res);
			return;
		}
		trip.launched = 1;
		vmx_restore_debug(r);
		el_vmread(VM_EXIT_REASON, &reason);
		el_vmread(VM_EXIT_INTR_INFO, &intr);
		switch (vmx_exit_action((u32)reason, (u32)intr, expected)) {
		case EXIT_ACT_SAMPLE:
			/* the CR kinds share exit reason 28: the qualification names the access */
			if (expected == EXIT_REASON_CR_ACCESS) {
				el_vmread(EXIT_QUALIFICATION, &qual);
				if (!vmx_kind_qual_ok(b->kind, qual))
					break;
			}
			/*
			 * The first trip of a batch is another path (VMLAUNCH of a
			 * fresh VMCS, cold caches after VMXON): untimed warm-up.
			 */
			if (!warm) {
				warm = true;
				b->out->warmup++;
				b->out->path |= EXITLAT_PATH_WARMUP;
				continue;
			}
			b->samples[b->out->taken++] = exitlat_trip_sample(&trip, b->mode);
			continue;
		case EXIT_ACT_INTR:
			/* still pending at the local APIC: end the batch so the host takes it */
			b->out->dropped_intr++;
			return;
		case EXIT_ACT_NMI:
			/* the NMI was the host's: hand it back through its IDT vector, as KVM does without FRED */
			b->out->dropped_nmi++;
			asm volatile("int $2" : : : "memory");
			continue;
		case EXIT_ACT_MCE:
			b->out->dropped_mce++;
			exitlat_machine_check();
			return;
		case EXIT_ACT_SMI:
		case EXIT_ACT_UNEXPECTED:
			break;
		}
		el_vmread(EXIT_QUALIFICATION, &qual);
		if ((u16)reason == EXIT_REASON_EXCEPTION_NMI)
			qual = intr;
		exitlat_batch_fail(b, EXITLAT_STATUS_UNEXPECTED_EXIT);
		b->out->exit_reason = reason;
		b->out->exit_qual = qual;
		pr_err("unexpected VM exit: reason %llu (%s)%s, qualification 0x%llx, expected %u (%s)\n",
		       reason & 0xffff, vmx_exit_reason_name((u32)reason),
		       (reason & EXIT_REASON_ENTRY_FAILURE) ? " [VM-entry failure]" : "",
		       qual, expected, vmx_exit_reason_name(expected));
		return;
	}
}

/* Undoes, at the end of the batch, what VM exits did to the host beyond the host-state area. */
static void vmx_restore_host(const struct vmx_host *h, const struct vmx_restore *r)
{
	/* a VM exit sets the GDTR and IDTR limits to 0xffff */
	el_lgdt(&h->gdt);
	el_lidt(&h->idt);
	/* and the TR limit to 0x67: the kernel reloads TR before it needs the I/O bitmap */
	invalidate_tss_limit();
	/* and LDTR to null: a process with an LDT (Wine, dosemu) may be current here */
	if (el_sldt() != r->ldtr)
		el_lldt(r->ldtr);
	vmx_restore_debug(r);
	/* and loads 0 into selectors whose RPL or TI was set */
	if (h->sel[SEG_DS] & 7)
		loadsegment(ds, h->sel[SEG_DS]);
	if (h->sel[SEG_ES] & 7)
		loadsegment(es, h->sel[SEG_ES]);
	if (h->sel[SEG_FS] & 7) {
		loadsegment(fs, h->sel[SEG_FS]);
		el_wrmsr(MSR_FS_BASE, h->fs_base);
	}
	if (h->sel[SEG_GS] & 7) {
		load_gs_index(h->sel[SEG_GS]);
		el_wrmsr(MSR_KERNEL_GS_BASE, h->kernel_gs_base);
	}
}

/*
 * Under FRED the host's NMI cannot be handed back with INT 2 (#GP); KVM
 * uses fred_entry_from_kvm, which is not for modules. So no batches there.
 */
static bool vmx_fred_on(void)
{
#ifdef X86_FEATURE_FRED
	return cpu_feature_enabled(X86_FEATURE_FRED);
#else
	return false;
#endif
}

/* INVVPID of the mirror's VPID (@type from vmx_invvpid_type), when the batch runs with VPID. */
static int vmx_flush_vpid(struct exitlat_batch *b, int type)
{
	int res;

	if (!(b->out->path & EXITLAT_PATH_VPID))
		return 0;
	res = el_invvpid(type, EXITLAT_VPID);
	if (res)
		vmx_fail(b, "INVVPID", res);
	return res;
}

/* Turns VMX operation on for the batch: CR4.VMXE through the kernel's shadow, then VMXON. */
static int vmx_on(struct exitlat_batch *b, u64 vmxon_pa)
{
	int res;

	/* Intel PT may stop in VMX operation: tell it first, as KVM does */
	intel_pt_handle_vmx(1);
	cr4_set_bits(X86_CR4_VMXE);
	exitlat_set_owns_virt(true);
	res = el_vmxon(vmxon_pa);
	if (res) {
		vmx_fail(b, "VMXON", res);
		exitlat_set_owns_virt(false);
		cr4_clear_bits(X86_CR4_VMXE);
		intel_pt_handle_vmx(0);
		return -EIO;
	}
	return 0;
}

static void vmx_off(struct exitlat_batch *b)
{
	int res = el_vmxoff();

	if (res)
		vmx_fail(b, "VMXOFF", res);
	exitlat_set_owns_virt(false);
	cr4_clear_bits(X86_CR4_VMXE);
	intel_pt_handle_vmx(0);
}

static void vmx_run(struct exitlat_batch *b)
{
	struct vmx_pages *p = b->priv;
	struct vmx_controls ctl;
	enum vmx_ctl_word bad_word;
	struct vmx_restore restore;
	struct vmx_caps caps;
	struct vmx_host h;
	u64 saved_vmcs = ~0ull, vmxon_pa = __pa(p->vmxon), vmcs_pa = __pa(p->vmcs);
	const char *why;
	u32 missing, rev;
	int res, invvpid;

	if (vmx_fred_on()) {
		pr_warn_once("FRED is on: native VMX batches are refused (the host's NMIs cannot be handed back)\n");
		exitlat_batch_fail(b, EXITLAT_STATUS_UNSUPPORTED);
		return;
	}
	/* firmware may differ per CPU: the boot CPU's check at load is not enough */
	if (!vmx_feature_control_ok(&why)) {
		pr_err_ratelimited("CPU %d: %s\n", smp_processor_id(), why);
		exitlat_batch_fail(b, EXITLAT_STATUS_UNSUPPORTED);
		return;
	}
	vmx_read_caps(&caps);
	res = vmx_controls_for_kind(&caps, b->kind, &ctl, &bad_word, &missing);
	if (res) {
		pr_err_ratelimited("%s: this CPU cannot set bits 0x%x that exit kind %u needs\n",
				   vmx_ctl_word_names[bad_word], missing, b->kind);
		/* a control the CPU lacks (WBINVD exiting on a Core 2): the kind cannot run here */
		exitlat_batch_fail(b, res == -EOPNOTSUPP ? EXITLAT_STATUS_UNSUPPORTED :
				   EXITLAT_STATUS_SETUP);
		return;
	}
	/*
	 * With VPID, as KVM runs, entries and exits keep the TLB: without it
	 * every trip flushes VPID 0's translations (SDM 29.1) and refills them.
	 */
	if (b->kind == EXITLAT_EXIT_XSETBV && !(el_read_cr4() & X86_CR4_OSXSAVE)) {
		pr_err_once("xsetbv: this CPU runs without XSAVE (CR4.OSXSAVE clear): the kind cannot run\n");
		exitlat_batch_fail(b, EXITLAT_STATUS_UNSUPPORTED);
		return;
	}
	/* rdmsr/wrmsr: only the kind's MSR exits, as under KVM's MSR bitmaps */
	if ((ctl.procbased & CPU_USE_MSR_BITMAPS) &&
	    (b->kind == EXITLAT_EXIT_RDMSR || b->kind == EXITLAT_EXIT_WRMSR))
		vmx_msr_bitmap_set(p->msr_bitmap, EXITLAT_KIND_MSR, b->kind == EXITLAT_EXIT_WRMSR);
	invvpid = vmx_invvpid_type(&caps);
	if (vmx_controls_enable_vpid(&caps, &ctl))
		b->out->path |= EXITLAT_PATH_VPID;
	vmx_read_host(&h);
	vmx_save_restore(&restore);
	rev = (u32)(caps.basic & VMX_BASIC_REVISION_MASK);
	*(u32 *)p->vmxon = rev;
	*(u32 *)p->vmcs = rev;

	if (h.cr4 & X86_CR4_VMXE) {
		/*
		 * Someone holds VMX root operation. exitlat borrows KVM's (6.12
		 * turns VMX on at load) and never VMXOFFs it; another
		 * hypervisor's (VirtualBox, VMware) it leaves alone.
		 */
		if (!b->kvm_present) {
			pr_err_ratelimited("CPU %d: VMX root operation is held by another hypervisor (not KVM): exitlat borrows only KVM's\n",
					   smp_processor_id());
			exitlat_batch_fail(b, EXITLAT_STATUS_BUSY);
			return;
		}
		/* CR4.VMXE is no proof: KVM sets it before VMXON and clears it after VMXOFF */
		res = el_vmptrst(&saved_vmcs);
		if (res) {
			vmx_fail(b, "VMPTRST", res);
			return;
		}
		b->out->borrowed = 1;
	} else {
		if (!vmx_fixed_ok(h.cr0, caps.cr0_fixed0, caps.cr0_fixed1) ||
		    !vmx_fixed_ok(h.cr4 | X86_CR4_VMXE, caps.cr4_fixed0, caps.cr4_fixed1)) {
			pr_err("CR0 0x%llx or CR4 0x%llx does not obey the VMX fixed bits\n",
			       h.cr0, h.cr4);
			exitlat_batch_fail(b, EXITLAT_STATUS_SETUP);
			return;
		}
		if (vmx_on(b, vmxon_pa))
			return;
		h.cr4 |= X86_CR4_VMXE;
	}

	res = el_vmclear(vmcs_pa);
	if (res) {
		vmx_fail(b, "VMCLEAR", res);
		goto out_vmxoff;
	}
	res = el_vmptrld(vmcs_pa);
	if (res) {
		vmx_fail(b, "VMPTRLD", res);
		goto out_vmxoff;
	}
	if (!vmx_write_vmcs(b, &caps, &ctl, &h) && !vmx_flush_vpid(b, invvpid)) {
		vmx_sample(b, &restore, vmcs_pa);
		vmx_flush_vpid(b, invvpid);
	}
	vmx_restore_host(&h, &restore);

	res = el_vmclear(vmcs_pa);
	if (res)
		vmx_fail(b, "VMCLEAR", res);
	if (saved_vmcs != ~0ull) {
		res = el_vmptrld(saved_vmcs);
		if (res)
			vmx_fail(b, "VMPTRLD of the borrowed VMCS", res);
	}
out_vmxoff:
	if (!b->out->borrowed)
		vmx_off(b);
}

/* The kernel's emergency path, on a CPU whose batch took VMX operation itself (NMI context). */
static void vmx_emergency_disable(void)
{
	el_vmxoff();
	cr4_clear_bits(X86_CR4_VMXE);
}

const struct exitlat_vendor exitlat_vmx = {
	.name = "vmx",
	.info = vmx_info,
	.prepare = vmx_prepare,
	.run = vmx_run,
	.release = vmx_release,
	.emergency_disable = vmx_emergency_disable,
};
