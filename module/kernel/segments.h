/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Segment descriptors (SDM Vol. 3, 3.4.5) turned into what the VMCS and the
 * VMCB want: VMX access rights (SDM 24.4.1, Table 24-2), SVM attributes
 * (APM Vol. 2, 15.5.1), the byte-granular limit and the base. Pure logic.
 */
#ifndef EXITLAT_SEGMENTS_H
#define EXITLAT_SEGMENTS_H

#include "compat.h"

#define VMX_AR_UNUSABLE		EXITLAT_BIT(16)

/* Index of a selector in the GDT, or -1 for a null or LDT selector. */
int seg_gdt_index(u16 sel);
/*
 * VMX access rights of the descriptor @desc that selector @sel picks: type,
 * S, DPL, P, AVL, L, D/B and G; a null selector gives the unusable bit.
 */
u32 seg_vmx_ar(u16 sel, u64 desc);
/* SVM attributes: the same bits packed into 12 (descriptor bits 40-47, 52-55). */
u16 seg_svm_attrib(u16 sel, u64 desc);
/* Limit in bytes: the 20-bit limit, scaled by 4 KiB when G is set. */
u32 seg_limit(u64 desc);
/* Base of a code/data descriptor, or of a 16-byte system descriptor (TSS, LDT) with @desc_hi. */
u64 seg_base(u64 desc, u64 desc_hi, bool system16);
/* Whether @desc is a system descriptor (S = 0). */
bool seg_is_system(u64 desc);

#endif
