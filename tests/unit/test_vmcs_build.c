// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The VMCS image (module/kernel/vmcs_build.c) against the VMCS the module
 * wrote before the builder existed: old_write_vmcs() below is vmx.c's
 * vmx_write_vmcs() + vmx_write_segments() as they were (commit a56324b), with
 * each VMWRITE recorded instead of executed, over all 53 CPUs and both hosts.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "exitlat/exit_kinds.h"
#include "fixtures.h"
#include "../../module/kernel/segments.h"
#include "../../module/kernel/vmcs.h"
#include "../../module/kernel/vmcs_build.h"

#define HOST_RIP_ADDR	0xffffffffc0a01234ull	/* exitlat_vmx_host_rip in module text */
#define GUEST_RIP_ADDR	0xffffffffc0a01300ull	/* a guest stub */
#define STACK_ADDR	0xffffa3c2c1a3d000ull	/* the guest's stack page */
#define CR4_VMXE	(1ull << 13)

TestSuite(vmcs_build, .init = fix_init);

/* ---- the old code, VMWRITE recorded ---- */

struct old_vmcs {
	int n;
	u32 field[256];
	u64 val[256];
};

static int old_vmwrite(struct old_vmcs *o, u32 field, u64 val)
{
	cr_assert_lt(o->n, 256);
	o->field[o->n] = field;
	o->val[o->n++] = val;
	return 0;
}

#define VMWRITE(b, field, val) old_vmwrite((b), (field), (val))
enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_NR };
struct dtr {
	u16 limit;
	const u64 *base;	/* the descriptors themselves, as the old code read them */
};
struct vmx_host {
	u64 cr0, cr3, cr4, efer, pat;
	struct dtr gdt, idt;
	u16 sel[6];
	u16 tr;
	u64 fs_base, gs_base, kernel_gs_base;
	u64 sysenter_cs, sysenter_esp, sysenter_eip;
	u64 gdt_base, idt_base;	/* what the old code wrote as the bases */
};

static u64 gdt_entry(const struct dtr *gdt, u16 sel, int plus)
{
	int i = seg_gdt_index(sel);

	if (i < 0 || (i + plus) * 8 + 7 > gdt->limit)
		return 0;
	return gdt->base[i + plus];
}

static int old_write_segments(struct old_vmcs *b, const struct vmx_host *h)
{
	int s, r = 0;

	for (s = 0; s < SEG_NR; s++) {
		u16 sel = h->sel[s];
		u64 desc = gdt_entry(&h->gdt, sel, 0);
		u64 base = seg_base(desc, 0, false);
		u32 ar = desc ? seg_vmx_ar(sel, desc) : VMX_AR_UNUSABLE;

		if (s == SEG_FS)
			base = h->fs_base;
		if (s == SEG_GS)
			base = h->gs_base;
		r |= VMWRITE(b, GUEST_SEG_FIELD(GUEST_ES_SELECTOR, s), sel);
		r |= VMWRITE(b, GUEST_SEG_FIELD(GUEST_ES_BASE, s), base);
		r |= VMWRITE(b, GUEST_SEG_FIELD(GUEST_ES_LIMIT, s), desc ? seg_limit(desc) : 0);
		r |= VMWRITE(b, GUEST_SEG_FIELD(GUEST_ES_AR_BYTES, s), ar);
		r |= VMWRITE(b, HOST_ES_SELECTOR + 2 * s, (sel & 7) ? 0 : sel);
	}
	r |= VMWRITE(b, GUEST_LDTR_SELECTOR, 0);
	r |= VMWRITE(b, GUEST_SEG_FIELD(GUEST_ES_AR_BYTES, 6), VMX_AR_UNUSABLE);
	r |= VMWRITE(b, GUEST_SEG_FIELD(GUEST_ES_BASE, 6), 0);
	r |= VMWRITE(b, GUEST_SEG_FIELD(GUEST_ES_LIMIT, 6), 0);
	{
		u64 lo = gdt_entry(&h->gdt, h->tr, 0), hi = gdt_entry(&h->gdt, h->tr, 1);
		u64 tr_base = seg_base(lo, hi, true);

		r |= VMWRITE(b, GUEST_TR_SELECTOR, h->tr);
		r |= VMWRITE(b, GUEST_SEG_FIELD(GUEST_ES_BASE, 7), tr_base);
		r |= VMWRITE(b, GUEST_SEG_FIELD(GUEST_ES_LIMIT, 7), seg_limit(lo));
		r |= VMWRITE(b, GUEST_SEG_FIELD(GUEST_ES_AR_BYTES, 7), seg_vmx_ar(h->tr, lo));
		r |= VMWRITE(b, HOST_TR_SELECTOR, h->tr);
		r |= VMWRITE(b, HOST_TR_BASE, tr_base);
	}
	return r;
}

static int old_write_vmcs(struct old_vmcs *b, const struct vmx_controls *ctl,
			  const struct vmx_host *h, u64 stack)
{
	int r = 0;

	r |= VMWRITE(b, PIN_BASED_VM_EXEC_CONTROL, ctl->pinbased);
	r |= VMWRITE(b, CPU_BASED_VM_EXEC_CONTROL, ctl->procbased);
	r |= VMWRITE(b, VM_EXIT_CONTROLS, ctl->exit);
	r |= VMWRITE(b, VM_ENTRY_CONTROLS, ctl->entry);
	r |= VMWRITE(b, EXCEPTION_BITMAP, 0xffffffff);
	r |= VMWRITE(b, PAGE_FAULT_ERROR_CODE_MASK, 0);
	r |= VMWRITE(b, PAGE_FAULT_ERROR_CODE_MATCH, 0);
	r |= VMWRITE(b, CR3_TARGET_COUNT, 0);
	r |= VMWRITE(b, VM_EXIT_MSR_STORE_COUNT, 0);
	r |= VMWRITE(b, VM_EXIT_MSR_LOAD_COUNT, 0);
	r |= VMWRITE(b, VM_ENTRY_MSR_LOAD_COUNT, 0);
	r |= VMWRITE(b, VM_ENTRY_INTR_INFO_FIELD, 0);
	r |= VMWRITE(b, CR0_GUEST_HOST_MASK, 0);
	r |= VMWRITE(b, CR4_GUEST_HOST_MASK, 0);
	r |= VMWRITE(b, CR0_READ_SHADOW, h->cr0);
	r |= VMWRITE(b, CR4_READ_SHADOW, h->cr4);
	r |= VMWRITE(b, VMCS_LINK_POINTER, ~0ull);

	r |= VMWRITE(b, HOST_CR0, h->cr0);
	r |= VMWRITE(b, HOST_CR3, h->cr3);
	r |= VMWRITE(b, HOST_CR4, h->cr4);
	r |= VMWRITE(b, HOST_FS_BASE, h->fs_base);
	r |= VMWRITE(b, HOST_GS_BASE, h->gs_base);
	r |= VMWRITE(b, HOST_GDTR_BASE, h->gdt_base);
	r |= VMWRITE(b, HOST_IDTR_BASE, h->idt_base);
	r |= VMWRITE(b, HOST_IA32_SYSENTER_CS, h->sysenter_cs);
	r |= VMWRITE(b, HOST_IA32_SYSENTER_ESP, h->sysenter_esp);
	r |= VMWRITE(b, HOST_IA32_SYSENTER_EIP, h->sysenter_eip);
	if (ctl->exit & EXIT_LOAD_EFER)
		r |= VMWRITE(b, HOST_IA32_EFER, h->efer);
	if (ctl->exit & EXIT_LOAD_PAT)
		r |= VMWRITE(b, HOST_IA32_PAT, h->pat);
	r |= VMWRITE(b, HOST_RIP, HOST_RIP_ADDR);

	r |= VMWRITE(b, GUEST_CR0, h->cr0);
	r |= VMWRITE(b, GUEST_CR3, h->cr3);
	r |= VMWRITE(b, GUEST_CR4, h->cr4);
	r |= VMWRITE(b, GUEST_GDTR_BASE, h->gdt_base);
	r |= VMWRITE(b, GUEST_GDTR_LIMIT, h->gdt.limit);
	r |= VMWRITE(b, GUEST_IDTR_BASE, h->idt_base);
	r |= VMWRITE(b, GUEST_IDTR_LIMIT, h->idt.limit);
	r |= VMWRITE(b, GUEST_SYSENTER_CS, h->sysenter_cs);
	r |= VMWRITE(b, GUEST_SYSENTER_ESP, h->sysenter_esp);
	r |= VMWRITE(b, GUEST_SYSENTER_EIP, h->sysenter_eip);
	if (ctl->entry & ENTRY_LOAD_EFER)
		r |= VMWRITE(b, GUEST_IA32_EFER, h->efer);
	if (ctl->entry & ENTRY_LOAD_PAT)
		r |= VMWRITE(b, GUEST_IA32_PAT, h->pat);
	r |= VMWRITE(b, GUEST_IA32_DEBUGCTL, 0);
	r |= VMWRITE(b, GUEST_DR7, 0x400);
	r |= VMWRITE(b, GUEST_RFLAGS, 0x2);	/* X86_EFLAGS_FIXED, IF = 0 */
	r |= VMWRITE(b, GUEST_RSP, stack + 4096 - 64);
	r |= VMWRITE(b, GUEST_ACTIVITY_STATE, 0);
	r |= VMWRITE(b, GUEST_INTERRUPTIBILITY_INFO, 0);
	r |= VMWRITE(b, GUEST_PENDING_DBG_EXCEPTIONS, 0);
	r |= old_write_segments(b, h);
	/* vmx_sample() then wrote the guest RIP before the first VMLAUNCH */
	r |= VMWRITE(b, GUEST_RIP, GUEST_RIP_ADDR);
	return r;
}

#undef VMWRITE

/* ---- helpers ---- */

/* The host @fix as vmx_run() sees it on @cpu: CR4 without what the CPU lacks, plus VMXE. */
static struct host_state vmx_host_on(const struct fix_host *fix, const struct fix_cpu *cpu)
{
	struct host_state h = fix->hs;

	h.cr4 = (h.cr4 & cpu->caps.cr4_fixed1) | CR4_VMXE;
	return h;
}

static struct vmx_host old_host(const struct fix_host *fix, const struct host_state *h)
{
	struct vmx_host o = {
		.cr0 = h->cr0, .cr3 = h->cr3, .cr4 = h->cr4, .efer = h->efer, .pat = h->pat,
		.gdt = { .limit = h->gdt_limit, .base = fix->gdt },
		.idt = { .limit = h->idt_limit },
		.tr = h->tr, .fs_base = h->fs_base, .gs_base = h->gs_base,
		.kernel_gs_base = h->kernel_gs_base, .sysenter_cs = h->sysenter_cs,
		.sysenter_esp = h->sysenter_esp, .sysenter_eip = h->sysenter_eip,
		.gdt_base = h->gdt_base, .idt_base = h->idt_base,
	};

	memcpy(o.sel, h->sel, sizeof(o.sel));
	return o;
}

static const struct vmcs_build_args args = {
	.host_rip = HOST_RIP_ADDR,
	.guest_rip = GUEST_RIP_ADDR,
	.guest_rsp = STACK_ADDR + 4096 - 64,
};

static void build_for(const struct fix_cpu *cpu, const struct host_state *h, unsigned int kind,
		      struct vmx_controls *ctl, struct vmcs_image *img)
{
	enum vmx_ctl_word bad;
	u32 missing;

	cr_assert_eq(vmx_controls_for_kind(&cpu->caps, kind, ctl, &bad, &missing), 0, "%s",
		     cpu->name);
	cr_assert_eq(vmcs_build(ctl, h, &args, img), 0, "%s: image overflow", cpu->name);
}

/* ---- tests ---- */

Test(vmcs_build, image_is_exactly_what_the_old_vmwrites_wrote_on_every_cpu_and_host)
{
	int checked = 0;

	for (int c = 0; c < fix_ncpus; c++) {
		for (int i = 0; i < fix_nhosts; i++) {
			struct host_state h;
			struct vmx_controls ctl;
			struct vmx_host oh;
			struct old_vmcs old = { 0 };
			struct vmcs_image img;

			if (strcmp(fix_hosts[i].vendor, "intel"))
				continue;
			h = vmx_host_on(&fix_hosts[i], &fix_cpus[c]);
			build_for(&fix_cpus[c], &h, EXITLAT_EXIT_CPUID, &ctl, &img);
			oh = old_host(&fix_hosts[i], &h);
			cr_assert_eq(old_write_vmcs(&old, &ctl, &oh, STACK_ADDR), 0);
			cr_assert_eq((int)img.n, old.n, "%s, %s: %u fields, the old code wrote %d",
				     fix_cpus[c].name, fix_hosts[i].name, img.n, old.n);
			for (int f = 0; f < old.n; f++) {
				u64 v;

				cr_assert(vmcs_image_get(&img, old.field[f], &v),
					  "%s, %s: field 0x%04x missing", fix_cpus[c].name,
					  fix_hosts[i].name, old.field[f]);
				cr_assert_eq(v, old.val[f], "%s, %s: field 0x%04x = 0x%llx, old 0x%llx",
					     fix_cpus[c].name, fix_hosts[i].name, old.field[f],
					     (unsigned long long)v, (unsigned long long)old.val[f]);
			}
			checked++;
		}
	}
	cr_assert_eq(checked, fix_ncpus * 2, "every CPU with both Intel hosts");
}

Test(vmcs_build, vpid_and_secondary_controls_are_written_only_when_enabled)
{
	const struct fix_host *fix = &fix_hosts[0];
	int with_vpid = 0;

	for (int c = 0; c < fix_ncpus; c++) {
		struct host_state h = vmx_host_on(fix, &fix_cpus[c]);
		struct vmx_controls ctl;
		struct vmcs_image img;
		struct vmcs_build_args a = args;
		u64 v;

		build_for(&fix_cpus[c], &h, EXITLAT_EXIT_HLT, &ctl, &img);
		cr_assert_not(vmcs_image_get(&img, SECONDARY_VM_EXEC_CONTROL, &v), "%s",
			      fix_cpus[c].name);
		cr_assert_not(vmcs_image_get(&img, VIRTUAL_PROCESSOR_ID, &v), "%s", fix_cpus[c].name);
		if (!vmx_controls_enable_vpid(&fix_cpus[c].caps, &ctl))
			continue;
		with_vpid++;
		a.vpid = 7;
		cr_assert_eq(vmcs_build(&ctl, &h, &a, &img), 0);
		cr_assert(vmcs_image_get(&img, SECONDARY_VM_EXEC_CONTROL, &v), "%s", fix_cpus[c].name);
		cr_assert_eq(v, ctl.procbased2);
		cr_assert(vmcs_image_get(&img, VIRTUAL_PROCESSOR_ID, &v), "%s", fix_cpus[c].name);
		cr_assert_eq(v, 7);
	}
	cr_assert_gt(with_vpid, 40, "most of the CPUs have VPID");
}

Test(vmcs_build, host_selectors_with_rpl_or_ti_are_written_as_zero)
{
	const struct fix_host *fix = NULL;
	struct host_state h;
	struct vmx_controls ctl;
	struct vmcs_image img;
	u64 v;

	for (int i = 0; i < fix_nhosts; i++)
		if (!strcmp(fix_hosts[i].name, "debian-6.12-intel"))
			fix = &fix_hosts[i];
	cr_assert_not_null(fix);
	h = vmx_host_on(fix, &fix_cpus[0]);
	cr_assert_eq(h.sel[HOST_SEG_DS], 0x2b, "the fixture has a user DS");
	build_for(&fix_cpus[0], &h, EXITLAT_EXIT_CPUID, &ctl, &img);
	cr_assert(vmcs_image_get(&img, HOST_DS_SELECTOR, &v));
	cr_assert_eq(v, 0);
	cr_assert(vmcs_image_get(&img, GUEST_DS_SELECTOR, &v));
	cr_assert_eq(v, 0x2b, "the guest keeps the live selector");
	cr_assert(vmcs_image_get(&img, HOST_GS_SELECTOR, &v));
	cr_assert_eq(v, 0, "GS = 0x63, a TLS selector with RPL 3");
	cr_assert(vmcs_image_get(&img, HOST_CS_SELECTOR, &v));
	cr_assert_eq(v, 0x10);
}

Test(vmcs_build, image_set_replaces_a_field_and_refuses_past_its_capacity)
{
	struct vmcs_image img = { .n = 0 };
	u64 v;

	cr_assert_eq(vmcs_image_set(&img, GUEST_CR0, 1), 0);
	cr_assert_eq(vmcs_image_set(&img, GUEST_CR0, 2), 0);
	cr_assert_eq(img.n, 1);
	cr_assert(vmcs_image_get(&img, GUEST_CR0, &v));
	cr_assert_eq(v, 2);
	for (u32 f = 1; img.n < VMCS_IMAGE_MAX; f++)
		cr_assert_eq(vmcs_image_set(&img, 0x6800 + 2 * f, f), 0);
	cr_assert_eq(vmcs_image_set(&img, HOST_RIP, 1), -ENOSPC);
	cr_assert_eq(vmcs_image_set(&img, GUEST_CR0, 3), 0, "replacing still works when full");
}
