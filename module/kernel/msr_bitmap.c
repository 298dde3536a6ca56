// SPDX-License-Identifier: GPL-2.0 OR MIT
/* MSR permission bits: see msr_bitmap.h. */
#include "msr_bitmap.h"

int vmx_msr_bitmap_set(u8 *bitmap, u32 msr, bool write)
{
	/* read low 0x000, read high 0x400, write low 0x800, write high 0xc00 */
	u32 base = write ? 0x800 : 0;

	if (msr >= 0xc0000000 && msr <= 0xc0001fff) {
		base += 0x400;
		msr -= 0xc0000000;
	} else if (msr > 0x1fff) {
		return -EINVAL;
	}
	bitmap[base + msr / 8] |= 1u << (msr % 8);
	return 0;
}

int svm_msrpm_set(u8 *msrpm, u32 msr, bool write)
{
	/* 2 bits per MSR (read, write) in three 2-KiB ranges */
	static const struct {
		u32 first;
		u32 offset;
	} ranges[] = {
		{ 0x00000000, 0x0000 },
		{ 0xc0000000, 0x0800 },
		{ 0xc0010000, 0x1000 },
	};
	unsigned int i;
	u32 bit;

	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		if (msr < ranges[i].first || msr - ranges[i].first > 0x1fff)
			continue;
		bit = (msr - ranges[i].first) * 2 + write;
		msrpm[ranges[i].offset + bit / 8] |= 1u << (bit % 8);
		return 0;
	}
	return -EINVAL;
}
