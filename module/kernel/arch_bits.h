/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Architectural bits of CR0, CR4 and EFER the VM-entry and VMRUN checks read
 * (SDM Vol. 3A 2.5, APM Vol. 2 3.1). For the .c files of the checks only: the
 * kernel's own headers define some of these names.
 */
#ifndef EXITLAT_ARCH_BITS_H
#define EXITLAT_ARCH_BITS_H

#include "compat.h"

#define CR0_PE			EXITLAT_BIT(0)
#define CR0_WP			EXITLAT_BIT(16)
#define CR0_NW			EXITLAT_BIT(29)
#define CR0_CD			EXITLAT_BIT(30)
#define CR0_PG			EXITLAT_BIT(31)
#define CR4_PAE			EXITLAT_BIT(5)
#define CR4_LA57		EXITLAT_BIT(12)
#define CR4_PCIDE		EXITLAT_BIT(17)
#define CR4_CET			EXITLAT_BIT(23)
#define EFER_LME		EXITLAT_BIT(8)
#define EFER_LMA		EXITLAT_BIT(10)
#define EFER_SVME		EXITLAT_BIT(12)
#define S_CET_RESERVED		0x3c0ull		/* IA32_S_CET bits 9:6 */

#endif
