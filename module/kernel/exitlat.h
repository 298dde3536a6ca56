/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exitlat.ko inside: the core (main.c: device, ioctls, batches) and one
 * small interface per vendor (vmx.c, svm.c). The entry/exit sequences and
 * both TSC reads are in trip.S.
 */
#ifndef EXITLAT_H
#define EXITLAT_H

#include <linux/types.h>
#include "exitlat/exit_kinds.h"
#include "exitlat/ioctl.h"

/* One timed trip; trip.S uses the offsets below. */
struct exitlat_trip {
	u64 t0;		/* host TSC before the entry */
	u64 t1;		/* host TSC after the exit */
	u64 guest_tsc;	/* the guest's TSC read (split modes), from its R8 */
	u64 launched;	/* VMX: 0 = VMLAUNCH, else VMRESUME */
};
#define TRIP_T0		0
#define TRIP_T1		8
#define TRIP_GUEST_TSC	16
#define TRIP_LAUNCHED	24

/* trip.S */
int exitlat_vmx_trip(struct exitlat_trip *trip);
int exitlat_svm_trip(struct exitlat_trip *trip, u64 vmcb_pa);
void exitlat_null_trip(struct exitlat_trip *trip);
void exitlat_vmx_host_rip(void);
/* Guest code: "_split" reads the TSC into R8 first, then falls into the plain stub. */
#define EXITLAT_GUEST_STUB(name) \
	void exitlat_guest_##name(void); void exitlat_guest_##name##_split(void)
EXITLAT_GUEST_STUB(cpuid);
EXITLAT_GUEST_STUB(vmcall);
EXITLAT_GUEST_STUB(vmmcall);
EXITLAT_GUEST_STUB(pio);
EXITLAT_GUEST_STUB(hlt);

/*
 * Where the guest starts for @kind: the exiting instruction, or (@split)
 * the guest's own TSC read before it. Only the hypercall differs by vendor.
 */
static inline unsigned long exitlat_guest_rip(u32 kind, bool split, bool vmx)
{
	switch (kind) {
	case EXITLAT_EXIT_CPUID:
		return split ? (unsigned long)exitlat_guest_cpuid_split
			     : (unsigned long)exitlat_guest_cpuid;
	case EXITLAT_EXIT_HYPERCALL:
		if (vmx)
			return split ? (unsigned long)exitlat_guest_vmcall_split
				     : (unsigned long)exitlat_guest_vmcall;
		return split ? (unsigned long)exitlat_guest_vmmcall_split
			     : (unsigned long)exitlat_guest_vmmcall;
	case EXITLAT_EXIT_PIO:
		return split ? (unsigned long)exitlat_guest_pio_split
			     : (unsigned long)exitlat_guest_pio;
	case EXITLAT_EXIT_HLT:
		return split ? (unsigned long)exitlat_guest_hlt_split
			     : (unsigned long)exitlat_guest_hlt;
	default:
		return 0;
	}
}

/* One batch: built in process context, run on its CPU with interrupts off. */
struct exitlat_batch {
	u32 kind;		/* EXITLAT_EXIT_* */
	u32 mode;		/* EXITLAT_MODE_* */
	u32 want;		/* at most this many samples */
	u64 budget_cycles;	/* and at most this many TSC cycles */
	u64 *samples;		/* kernel buffer of want entries */
	struct exitlat_run *out; /* taken, dropped, status, ... */
	void *priv;		/* the vendor's pages */
};

/* The sample of a trip for @mode. */
static inline u64 exitlat_trip_sample(const struct exitlat_trip *t, u32 mode)
{
	switch (mode) {
	case EXITLAT_MODE_ENTRY:
		return t->guest_tsc - t->t0;
	case EXITLAT_MODE_EXIT:
		return t->t1 - t->guest_tsc;
	default:
		return t->t1 - t->t0;
	}
}

struct exitlat_vendor {
	const char *name;
	/* On the CPU, interrupts off: fill the vendor part of @info. */
	void (*info)(struct exitlat_info *info);
	/* Process context: allocate @b->priv. Returns 0 or -errno. */
	int (*prepare)(struct exitlat_batch *b);
	/* On the CPU, interrupts off: take the samples. */
	void (*run)(struct exitlat_batch *b);
	void (*release)(struct exitlat_batch *b);
};

extern const struct exitlat_vendor exitlat_vmx;
extern const struct exitlat_vendor exitlat_svm;

/* vmx.c / svm.c: whether this CPU has the feature and firmware left it on; why not in *why. */
bool exitlat_vmx_usable(const char **why);
bool exitlat_svm_usable(const char **why);

#endif
