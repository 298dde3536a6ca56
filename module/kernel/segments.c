// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Segment descriptor conversion: see segments.h. */
#include "segments.h"

int seg_gdt_index(u16 sel)
{
	if (sel & 4)		/* TI: the LDT, which exitlat never uses */
		return -1;
	if (!(sel >> 3))
		return -1;
	return sel >> 3;
}

u32 seg_vmx_ar(u16 sel, u64 desc)
{
	if (!(sel & ~3u))
		return VMX_AR_UNUSABLE;
	/* bits 0-7: descriptor bits 40-47; bits 12-15: descriptor bits 52-55 */
	return (u32)((desc >> 40) & 0xff) | (u32)(((desc >> 52) & 0xf) << 12);
}

u16 seg_svm_attrib(u16 sel, u64 desc)
{
	if (!(sel & ~3u))
		return 0;
	return (u16)(((desc >> 40) & 0xff) | (((desc >> 52) & 0xf) << 8));
}

u32 seg_limit(u64 desc)
{
	u32 limit = (u32)(desc & 0xffff) | (u32)((desc >> 32) & 0xf0000);

	if (desc & EXITLAT_BIT(55))	/* G: 4 KiB granularity */
		limit = (limit << 12) | 0xfff;
	return limit;
}

u64 seg_base(u64 desc, u64 desc_hi, bool system16)
{
	u64 base = ((desc >> 16) & 0xffffff) | (((desc >> 56) & 0xff) << 24);

	if (system16)
		base |= (desc_hi & 0xffffffffull) << 32;
	return base;
}

bool seg_is_system(u64 desc)
{
	return !(desc & EXITLAT_BIT(44));
}
