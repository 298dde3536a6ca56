// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The VMCS image exitlat runs: see vmcs_build.h. */
#include "vmcs_build.h"
#include "segments.h"
#include "vmcs.h"

#define RFLAGS_FIXED		0x2ull	/* bit 1; IF = 0 */
#define RFLAGS_IF		0x200ull
#define DR7_FIXED		0x400ull

int vmcs_image_set(struct vmcs_image *img, u32 field, u64 val)
{
	unsigned int i;

	for (i = 0; i < img->n; i++) {
		if (img->field[i] == field) {
			img->val[i] = val;
			return 0;
		}
	}
	if (img->n == VMCS_IMAGE_MAX)
		return -ENOSPC;
	img->field[img->n] = field;
	img->val[img->n++] = val;
	return 0;
}

bool vmcs_image_get(const struct vmcs_image *img, u32 field, u64 *val)
{
	unsigned int i;

	for (i = 0; i < img->n; i++) {
		if (img->field[i] == field) {
			*val = img->val[i];
			return true;
		}
	}
	return false;
}

/* Guest ES..GS from the live selectors' GDT descriptors; host selectors with RPL/TI 0. */
static int build_segments(const struct host_state *h, struct vmcs_image *img)
{
	u64 lo, hi, tr_base;
	int s, r = 0;

	for (s = 0; s < HOST_SEG_NR; s++) {
		u16 sel = h->sel[s];
		u64 desc = host_gdt_desc(h, sel, 0);
		u64 base = seg_base(desc, 0, false);

		if (s == HOST_SEG_FS)
			base = h->fs_base;
		if (s == HOST_SEG_GS)
			base = h->gs_base;
		r |= vmcs_image_set(img, GUEST_SEG_FIELD(GUEST_ES_SELECTOR, s), sel);
		r |= vmcs_image_set(img, GUEST_SEG_FIELD(GUEST_ES_BASE, s), base);
		r |= vmcs_image_set(img, GUEST_SEG_FIELD(GUEST_ES_LIMIT, s),
				    desc ? seg_limit(desc) : 0);
		r |= vmcs_image_set(img, GUEST_SEG_FIELD(GUEST_ES_AR_BYTES, s),
				    desc ? seg_vmx_ar(sel, desc) : VMX_AR_UNUSABLE);
		/* host: RPL and TI must be 0 (SDM 27.2.3); vmx.c reloads the live ones */
		r |= vmcs_image_set(img, HOST_SEL_FIELD(s), (sel & 7) ? 0 : sel);
	}
	/* LDTR: unusable; TR: the live busy TSS, a 16-byte system descriptor */
	r |= vmcs_image_set(img, GUEST_LDTR_SELECTOR, 0);
	r |= vmcs_image_set(img, GUEST_LDTR_AR_BYTES, VMX_AR_UNUSABLE);
	r |= vmcs_image_set(img, GUEST_LDTR_BASE, 0);
	r |= vmcs_image_set(img, GUEST_LDTR_LIMIT, 0);
	lo = host_gdt_desc(h, h->tr, 0);
	hi = host_gdt_desc(h, h->tr, 1);
	tr_base = seg_base(lo, hi, true);
	r |= vmcs_image_set(img, GUEST_TR_SELECTOR, h->tr);
	r |= vmcs_image_set(img, GUEST_TR_BASE, tr_base);
	r |= vmcs_image_set(img, GUEST_TR_LIMIT, seg_limit(lo));
	r |= vmcs_image_set(img, GUEST_TR_AR_BYTES, seg_vmx_ar(h->tr, lo));
	r |= vmcs_image_set(img, HOST_TR_SELECTOR, h->tr);
	r |= vmcs_image_set(img, HOST_TR_BASE, tr_base);
	return r;
}

int vmcs_build(const struct vmx_controls *ctl, const struct host_state *h,
	       const struct vmcs_build_args *a, struct vmcs_image *img)
{
	int r = 0;

	img->n = 0;
	r |= vmcs_image_set(img, PIN_BASED_VM_EXEC_CONTROL, ctl->pinbased);
	r |= vmcs_image_set(img, CPU_BASED_VM_EXEC_CONTROL, ctl->procbased);
	if (ctl->procbased & CPU_SECONDARY_CONTROLS)
		r |= vmcs_image_set(img, SECONDARY_VM_EXEC_CONTROL, ctl->procbased2);
	if ((ctl->procbased & CPU_SECONDARY_CONTROLS) && (ctl->procbased2 & CPU2_ENABLE_VPID))
		r |= vmcs_image_set(img, VIRTUAL_PROCESSOR_ID, a->vpid);
	r |= vmcs_image_set(img, VM_EXIT_CONTROLS, ctl->exit);
	r |= vmcs_image_set(img, VM_ENTRY_CONTROLS, ctl->entry);
	r |= vmcs_image_set(img, EXCEPTION_BITMAP, 0xffffffff);	/* every guest exception exits */
	r |= vmcs_image_set(img, PAGE_FAULT_ERROR_CODE_MASK, 0);
	r |= vmcs_image_set(img, PAGE_FAULT_ERROR_CODE_MATCH, 0);
	r |= vmcs_image_set(img, CR3_TARGET_COUNT, 0);
	r |= vmcs_image_set(img, VM_EXIT_MSR_STORE_COUNT, 0);
	r |= vmcs_image_set(img, VM_EXIT_MSR_LOAD_COUNT, 0);
	r |= vmcs_image_set(img, VM_ENTRY_MSR_LOAD_COUNT, 0);
	r |= vmcs_image_set(img, VM_ENTRY_INTR_INFO_FIELD, 0);
	if (ctl->procbased & CPU_USE_MSR_BITMAPS)
		r |= vmcs_image_set(img, MSR_BITMAP, a->msr_bitmap_pa);
	/* the bits the host owns (cr0-write, cr4-write); the read shadows hold the host's values */
	r |= vmcs_image_set(img, CR0_GUEST_HOST_MASK, ctl->cr0_mask);
	r |= vmcs_image_set(img, CR4_GUEST_HOST_MASK, ctl->cr4_mask);
	r |= vmcs_image_set(img, CR0_READ_SHADOW, h->cr0);
	r |= vmcs_image_set(img, CR4_READ_SHADOW, h->cr4);
	r |= vmcs_image_set(img, VMCS_LINK_POINTER, ~0ull);

	/* host state: what a VM exit loads */
	r |= vmcs_image_set(img, HOST_CR0, h->cr0);
	r |= vmcs_image_set(img, HOST_CR3, h->cr3);
	r |= vmcs_image_set(img, HOST_CR4, h->cr4);
	r |= vmcs_image_set(img, HOST_FS_BASE, h->fs_base);
	r |= vmcs_image_set(img, HOST_GS_BASE, h->gs_base);
	r |= vmcs_image_set(img, HOST_GDTR_BASE, h->gdt_base);
	r |= vmcs_image_set(img, HOST_IDTR_BASE, h->idt_base);
	r |= vmcs_image_set(img, HOST_IA32_SYSENTER_CS, h->sysenter_cs);
	r |= vmcs_image_set(img, HOST_IA32_SYSENTER_ESP, h->sysenter_esp);
	r |= vmcs_image_set(img, HOST_IA32_SYSENTER_EIP, h->sysenter_eip);
	if (ctl->exit & EXIT_LOAD_EFER)
		r |= vmcs_image_set(img, HOST_IA32_EFER, h->efer);
	if (ctl->exit & EXIT_LOAD_PAT)
		r |= vmcs_image_set(img, HOST_IA32_PAT, h->pat);
	r |= vmcs_image_set(img, HOST_RIP, a->host_rip);

	/* guest state: the host's, on its own stack */
	r |= vmcs_image_set(img, GUEST_CR0, h->cr0);
	r |= vmcs_image_set(img, GUEST_CR3, h->cr3);
	r |= vmcs_image_set(img, GUEST_CR4, h->cr4);
	r |= vmcs_image_set(img, GUEST_GDTR_BASE, h->gdt_base);
	r |= vmcs_image_set(img, GUEST_GDTR_LIMIT, h->gdt_limit);
	r |= vmcs_image_set(img, GUEST_IDTR_BASE, h->idt_base);
	r |= vmcs_image_set(img, GUEST_IDTR_LIMIT, h->idt_limit);
	r |= vmcs_image_set(img, GUEST_SYSENTER_CS, h->sysenter_cs);
	r |= vmcs_image_set(img, GUEST_SYSENTER_ESP, h->sysenter_esp);
	r |= vmcs_image_set(img, GUEST_SYSENTER_EIP, h->sysenter_eip);
	if (ctl->entry & ENTRY_LOAD_EFER)
		r |= vmcs_image_set(img, GUEST_IA32_EFER, h->efer);
	if (ctl->entry & ENTRY_LOAD_PAT)
		r |= vmcs_image_set(img, GUEST_IA32_PAT, h->pat);
	r |= vmcs_image_set(img, GUEST_IA32_DEBUGCTL, 0);
	r |= vmcs_image_set(img, GUEST_DR7, DR7_FIXED);
	r |= vmcs_image_set(img, GUEST_RFLAGS, RFLAGS_FIXED | (ctl->guest_if ? RFLAGS_IF : 0));
	r |= vmcs_image_set(img, GUEST_RSP, a->guest_rsp);
	r |= vmcs_image_set(img, GUEST_RIP, a->guest_rip);
	r |= vmcs_image_set(img, GUEST_ACTIVITY_STATE, 0);
	r |= vmcs_image_set(img, GUEST_INTERRUPTIBILITY_INFO, 0);
	r |= vmcs_image_set(img, GUEST_PENDING_DBG_EXCEPTIONS, 0);
	r |= build_segments(h, img);
	return r ? -ENOSPC : 0;
}
