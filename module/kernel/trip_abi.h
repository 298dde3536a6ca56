/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What trip.S and the C code must agree on, in one place: the layout of
 * struct exitlat_trip, the VMCS encoding trip.S writes itself, and the trip
 * functions' return codes. Included by trip.S (__ASSEMBLY__) and by C, where
 * static asserts tie each number to the struct and to vmcs.h (KVM generates
 * such offsets with asm-offsets; an out-of-tree module asserts them).
 */
#ifndef EXITLAT_TRIP_ABI_H
#define EXITLAT_TRIP_ABI_H

#include "vmx_result.h"

#define TRIP_T0			0
#define TRIP_T1			8
#define TRIP_GUEST_TSC		16
#define TRIP_LAUNCHED		24
#define TRIP_VMCS_HOST_RSP	0x6c14

/*
 * exitlat_vmx_trip's result: 0 after a VM exit, else
 * (TRIP_FAILED_* << TRIP_FAILED_SHIFT) | VMX_FAIL_INVALID or VMX_FAIL_VALID.
 */
#define TRIP_FAILED_ENTRY	0	/* VMLAUNCH / VMRESUME */
#define TRIP_FAILED_HOST_RSP	1	/* the VMWRITE of HOST_RSP */
#define TRIP_FAILED_SHIFT	2
#define TRIP_RESULT_MASK	3

#ifndef __ASSEMBLY__
#include <linux/stddef.h>
#include <linux/build_bug.h>
#include <linux/types.h>
#include "vmcs.h"

/* One timed trip. */
struct exitlat_trip {
	u64 t0;		/* host TSC before the entry */
	u64 t1;		/* host TSC after the exit */
	u64 guest_tsc;	/* the guest's TSC read (split modes), from its R8 */
	u64 launched;	/* VMX: 0 = VMLAUNCH, else VMRESUME */
};

static_assert(offsetof(struct exitlat_trip, t0) == TRIP_T0);
static_assert(offsetof(struct exitlat_trip, t1) == TRIP_T1);
static_assert(offsetof(struct exitlat_trip, guest_tsc) == TRIP_GUEST_TSC);
static_assert(offsetof(struct exitlat_trip, launched) == TRIP_LAUNCHED);
static_assert(TRIP_VMCS_HOST_RSP == HOST_RSP);
static_assert(VMX_FAIL_INVALID <= TRIP_RESULT_MASK && VMX_FAIL_VALID <= TRIP_RESULT_MASK);
#endif

#endif
