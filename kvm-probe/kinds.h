/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * kvm-probe's half of each exit kind: the guest loop per mode, what every
 * host-timed KVM_RUN must return, and what the VM needs for it. One row per
 * kind of include/exitlat/exit_kinds.h, indexed by its ID; a kind without a
 * row is one the table lists as pending on the KVM side
 * (tests/unit/test_probe_kinds.c checks both).
 */
#ifndef KVM_PROBE_KINDS_H
#define KVM_PROBE_KINDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "exitlat/exit_kinds.h"
#include "backend.h"
#include "cli.h"

/* What KVM_RUN returns with for a kind. */
enum probe_exit {
	PROBE_EXIT_MISSING,	/* no row: the kind is pending on the KVM side */
	PROBE_EXIT_NO_GUEST,	/* null-host: no guest runs */
	PROBE_EXIT_REPORT,	/* guest-timed: KVM_EXIT_IO, OUT to PORT_REPORT, per buffer */
	PROBE_EXIT_IO_OUT,	/* KVM_EXIT_IO, OUT to PORT_EXIT */
	PROBE_EXIT_MMIO_WRITE,	/* KVM_EXIT_MMIO, a store to GUEST_MMIO */
	PROBE_EXIT_HLT,		/* KVM_EXIT_HLT */
	PROBE_EXIT_RDMSR,	/* KVM_EXIT_X86_RDMSR of MSR_TSC_ADJUST (the MSR filter) */
	PROBE_EXIT_WRMSR,	/* KVM_EXIT_X86_WRMSR of MSR_TSC_ADJUST */
	PROBE_EXIT_CROSS,	/* cross-timed: KVM_EXIT_IO on PORT_REPORT: calibration, end */
};

/* What the VM needs beyond the base one (vm.c). */
enum probe_need {
	NEED_IRQCHIP		= 1 << 0,	/* KVM_CREATE_IRQCHIP: in-kernel PIC, IOAPIC, LAPIC */
	NEED_MSR_FILTER_READ	= 1 << 1,	/* RDMSR of MSR_TSC_ADJUST exits to user space */
	NEED_MSR_FILTER_WRITE	= 1 << 2,	/* WRMSR of it does */
	NEED_IOEVENTFD_PIO	= 1 << 3,	/* PORT_IOEVENTFD bound to an eventfd */
	NEED_IOEVENTFD_MMIO	= 1 << 4,	/* GUEST_IOEVENTFD_MMIO bound, any length */
	NEED_FAULT_SLOT		= 1 << 5,	/* the ept-fault slot, emptied per buffer */
	NEED_OSXSAVE		= 1 << 6,	/* CR4.OSXSAVE (guest CPUID has XSAVE) */
	NEED_IRQFD		= 1 << 7,	/* an eventfd bound by KVM_IRQFD to an MSI route */
	NEED_VCPU1		= 1 << 8,	/* a second vCPU, APIC ID 1 (the ipi kinds) */
};

struct probe_kind {
	/* The guest loop per mode; NULL where there is none (no_real says why). */
	const uint8_t *guest[2];
	/* AMD's own loop where the instruction differs by vendor (the hypercall). */
	const uint8_t *guest_amd[2];
	const char *no_real;
	/* NEED_VCPU1: the second vCPU's loop (long mode). */
	const uint8_t *vcpu1;
	enum probe_exit exit;
	unsigned int needs;		/* enum probe_need bits */
	/* Why the guest may take an exception here: added to the one-line refusal. */
	const char *fault_why;
};

extern const struct probe_kind probe_kinds[EXITLAT_EXIT_NR];

/*
 * The guest entry for @kind in @mode on @vendor's CPU; NULL for null-host,
 * for a mode the kind has no loop in, and for a vendor-specific instruction
 * on a CPU of neither vendor.
 */
const uint8_t *guest_entry(int kind, enum probe_mode mode, enum cpu_vendor vendor);
/* Whether @run is the exit @e expects. */
bool probe_exit_ok(enum probe_exit e, const struct kvm_run *run);
/* The exit @e expects, for messages: "KVM_EXIT_IO". */
const char *probe_exit_name(enum probe_exit e);
/*
 * What the VM was given for @needs, for the header ("in-kernel irqchip; ..."),
 * into @buf; "none" without needs.
 */
void probe_needs_describe(unsigned int needs, char *buf, size_t len);
/* What the VMM answers before the next KVM_RUN (an MSR exit's result: 0, no error). */
void probe_exit_answer(enum probe_exit e, struct kvm_run *run);

#endif
