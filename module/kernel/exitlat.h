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
#include "trip_abi.h"

/* DR7 after a VM exit or #VMEXIT: every breakpoint off (SDM 28.5.1, APM 15.5.2) */
#define EXITLAT_DR7_RESET	0x400

/* trip.S */
int exitlat_vmx_trip(struct exitlat_trip *trip);
int exitlat_svm_trip(struct exitlat_trip *trip, u64 vmcb_pa);
int exitlat_svm_trip_vmload(struct exitlat_trip *trip, u64 vmcb_pa, u64 host_save_pa);
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
EXITLAT_GUEST_STUB(rdmsr);
EXITLAT_GUEST_STUB(wrmsr);
EXITLAT_GUEST_STUB(cr8_read);
EXITLAT_GUEST_STUB(cr8_write);
EXITLAT_GUEST_STUB(cr0_write);
EXITLAT_GUEST_STUB(cr4_write);
EXITLAT_GUEST_STUB(xsetbv);
EXITLAT_GUEST_STUB(wbinvd);
EXITLAT_GUEST_STUB(rdpmc);
EXITLAT_GUEST_STUB(intr_exit);

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
	case EXITLAT_EXIT_RDMSR:
		return split ? (unsigned long)exitlat_guest_rdmsr_split
			     : (unsigned long)exitlat_guest_rdmsr;
	case EXITLAT_EXIT_WRMSR:
		return split ? (unsigned long)exitlat_guest_wrmsr_split
			     : (unsigned long)exitlat_guest_wrmsr;
	case EXITLAT_EXIT_CR8_READ:
		return split ? (unsigned long)exitlat_guest_cr8_read_split
			     : (unsigned long)exitlat_guest_cr8_read;
	case EXITLAT_EXIT_CR8_WRITE:
		return split ? (unsigned long)exitlat_guest_cr8_write_split
			     : (unsigned long)exitlat_guest_cr8_write;
	case EXITLAT_EXIT_CR0_WRITE:
		return split ? (unsigned long)exitlat_guest_cr0_write_split
			     : (unsigned long)exitlat_guest_cr0_write;
	case EXITLAT_EXIT_CR4_WRITE:
		return split ? (unsigned long)exitlat_guest_cr4_write_split
			     : (unsigned long)exitlat_guest_cr4_write;
	case EXITLAT_EXIT_XSETBV:
		return split ? (unsigned long)exitlat_guest_xsetbv_split
			     : (unsigned long)exitlat_guest_xsetbv;
	case EXITLAT_EXIT_WBINVD:
		return split ? (unsigned long)exitlat_guest_wbinvd_split
			     : (unsigned long)exitlat_guest_wbinvd;
	case EXITLAT_EXIT_RDPMC:
		return split ? (unsigned long)exitlat_guest_rdpmc_split
			     : (unsigned long)exitlat_guest_rdpmc;
	case EXITLAT_EXIT_INTR_EXIT:
		/* round trip only (args.c): the guest never reaches its TSC read */
		return (unsigned long)exitlat_guest_intr_exit;
	default:
		/* null (no guest) and the kinds without a native twin: args.c refuses them */
		return 0;
	}
}

/* One batch: built in process context, run on its CPU with interrupts off. */
struct exitlat_batch {
	u32 kind;		/* EXITLAT_EXIT_* */
	u32 mode;		/* EXITLAT_MODE_* */
	u32 flags;		/* EXITLAT_RUN_F_* */
	u32 want;		/* at most this many samples */
	u64 budget_cycles;	/* and at most this many TSC cycles */
	u64 *samples;		/* kernel buffer of want entries */
	struct exitlat_run *out; /* taken, dropped, status, ... */
	void *priv;		/* the vendor's pages */
	/*
	 * A KVM vendor module (kvm_intel / kvm_amd) is loaded: VMX root operation
	 * or EFER.SVME found set is KVM's, which exitlat may borrow; without it,
	 * they belong to a hypervisor exitlat does not know.
	 */
	bool kvm_present;
	u32 inject;		/* EXITLAT_INJECT_*: a failure provoked for the tests */
	u32 intr_base;		/* intr-exit: the handler's count before the batch (intr.c) */
};

/*
 * Failures the e2e tests provoke through the `inject` module parameter, to
 * show that each is reported by name (tests/e2e/guest.d/30-module.sh).
 */
enum exitlat_inject {
	EXITLAT_INJECT_NONE,
	EXITLAT_INJECT_VMLAUNCH_TWICE,	/* VMLAUNCH on a launched VMCS: VMfailValid, error 4 */
	EXITLAT_INJECT_NO_CURRENT_VMCS,	/* VMCLEAR before a trip: HOST_RSP's VMWRITE fails invalid */
	EXITLAT_INJECT_NO_INTR,		/* intr-exit without its self-IPI: the guest's UD2 exits, named */
	EXITLAT_INJECT_NR
};

/* The batch ends early with @status; drops by reason are counted by the caller. */
static inline void exitlat_batch_fail(struct exitlat_batch *b, u32 status)
{
	if (b->out->status == EXITLAT_STATUS_OK)
		b->out->status = status;
}

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
	/*
	 * From the kernel's emergency path (crash, kdump, reboot; NMI context):
	 * leave VMX operation / clear EFER.SVME on this CPU, as KVM's emergency
	 * callback does, so that INIT works for the next kernel.
	 */
	void (*emergency_disable)(void);
};

/* main.c: the batch on this CPU took VMX operation / set EFER.SVME itself (for the emergency path). */
void exitlat_set_owns_virt(bool owns);

extern const struct exitlat_vendor exitlat_vmx;
extern const struct exitlat_vendor exitlat_svm;

/* vmx.c / svm.c: whether this CPU has the feature and firmware left it on; why not in *why. */
bool exitlat_vmx_usable(const char **why);
bool exitlat_svm_usable(const char **why);

#endif
