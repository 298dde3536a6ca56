// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Host-state helpers: see host_state.h. */
#include "host_state.h"
#include "segments.h"

u64 host_gdt_desc(const struct host_state *h, u16 sel, int plus)
{
	int i = seg_gdt_index(sel);

	if (i < 0 || (i + plus) * 8 + 7 > h->gdt_limit)
		return 0;
	return h->gdt[i + plus];
}
