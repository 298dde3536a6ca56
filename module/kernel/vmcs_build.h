/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The VMCS exitlat runs, built as plain data: a "VMCS image", the list of
 * (field encoding, value) pairs vmx.c VMWRITEs in one loop and
 * vmx_checks.c judges before the first VM entry. The guest mirrors the
 * host (its control registers, descriptor tables, segments and TSS) on a
 * stack of its own, interrupts off; the host state is what a VM exit
 * loads. Pure logic: no hardware access.
 */
#ifndef EXITLAT_VMCS_BUILD_H
#define EXITLAT_VMCS_BUILD_H

#include "compat.h"
#include "host_state.h"
#include "vmx_controls.h"

/* exitlat writes about 100 fields; the rest of a VMCS is never written. */
#define VMCS_IMAGE_MAX	128

struct vmcs_image {
	unsigned int n;
	u32 field[VMCS_IMAGE_MAX];
	u64 val[VMCS_IMAGE_MAX];
};

struct vmcs_build_args {
	u64 host_rip;		/* where a VM exit lands (exitlat_vmx_host_rip) */
	u64 guest_rip;		/* the kind's guest stub (rewritten before each entry) */
	u64 guest_rsp;		/* top of the guest's own stack */
	u16 vpid;		/* VIRTUAL_PROCESSOR_ID when @ctl enables VPID */
	u64 msr_bitmap_pa;	/* MSR_BITMAP when @ctl uses MSR bitmaps */
};

/*
 * Fills @img with every field exitlat writes for controls @ctl (from
 * vmx_controls_for_kind), host @h and @a. Returns 0, or -ENOSPC if the
 * image overflowed (a bug: VMCS_IMAGE_MAX is too small).
 */
int vmcs_build(const struct vmx_controls *ctl, const struct host_state *h,
	       const struct vmcs_build_args *a, struct vmcs_image *img);

/* Sets @field to @val: replaces an earlier value, else appends. 0 or -ENOSPC. */
int vmcs_image_set(struct vmcs_image *img, u32 field, u64 val);
/* Whether @img writes @field; its value in *@val. */
bool vmcs_image_get(const struct vmcs_image *img, u32 field, u64 *val);

#endif
