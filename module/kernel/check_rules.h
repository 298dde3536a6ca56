/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* What the VM-entry (vmx_checks.c) and VMRUN (svm_checks.c) checks share. Pure logic. */
#ifndef EXITLAT_CHECK_RULES_H
#define EXITLAT_CHECK_RULES_H

#include "compat.h"

/* One rule: its short name ("host CR4 fixed bits") and where it comes from ("SDM 27.2.2"). */
struct check_rule {
	const char *name;
	const char *section;
};

/* Every byte of @pat a memory type WRMSR accepts: UC, WC, WT, WP, WB, UC- (SDM 13.12.2, APM 7.8.1). */
static inline bool pat_valid(u64 pat)
{
	int i;

	for (i = 0; i < 8; i++) {
		unsigned int t = (pat >> (8 * i)) & 0xff;

		if (t == 2 || t == 3 || t > 7)
			return false;
	}
	return true;
}

#endif
