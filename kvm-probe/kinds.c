// SPDX-License-Identifier: GPL-2.0 OR MIT
/* kvm-probe's half of each exit kind: see kinds.h. */
#include <stddef.h>

#include "guest.h"
#include "kinds.h"
#include "layout.h"

#define LOOPS(name)	{ [PROBE_MODE_LONG] = guest64_##name, [PROBE_MODE_REAL] = guest16_##name }

const struct probe_kind probe_kinds[EXITLAT_EXIT_NR] = {
	[EXITLAT_EXIT_NULL_KIND] = {
		.guest = LOOPS(null),
		.exit = PROBE_EXIT_REPORT,
	},
	[EXITLAT_EXIT_CPUID] = {
		.guest = LOOPS(cpuid),
		.exit = PROBE_EXIT_REPORT,
	},
	/* KVM would emulate the other vendor's instruction and patch it in place. */
	[EXITLAT_EXIT_HYPERCALL] = {
		.guest = LOOPS(vmcall),
		.guest_amd = LOOPS(vmmcall),
		.exit = PROBE_EXIT_REPORT,
	},
	[EXITLAT_EXIT_PIO] = {
		.guest = LOOPS(pio),
		.exit = PROBE_EXIT_IO_OUT,
	},
	[EXITLAT_EXIT_MMIO] = {
		.guest = LOOPS(mmio),
		.exit = PROBE_EXIT_MMIO_WRITE,
	},
	[EXITLAT_EXIT_HLT] = {
		.guest = LOOPS(hlt),
		.exit = PROBE_EXIT_HLT,
	},
	/* No guest runs: the mode does not matter. */
	[EXITLAT_EXIT_NULL_HOST] = {
		.exit = PROBE_EXIT_NO_GUEST,
	},
};

const uint8_t *guest_entry(int kind, enum probe_mode mode, enum cpu_vendor vendor)
{
	const struct probe_kind *k;

	if (kind < 0 || kind >= EXITLAT_EXIT_NR)
		return NULL;
	k = &probe_kinds[kind];
	if (!k->guest_amd[mode])
		return k->guest[mode];
	switch (vendor) {
	case VENDOR_INTEL:
		return k->guest[mode];
	case VENDOR_AMD:
		return k->guest_amd[mode];
	case VENDOR_OTHER:
		return NULL;
	}
	return NULL;
}

bool probe_exit_ok(enum probe_exit e, const struct kvm_run *run)
{
	switch (e) {
	case PROBE_EXIT_REPORT:
		return run->exit_reason == KVM_EXIT_IO && run->io.port == PORT_REPORT;
	case PROBE_EXIT_IO_OUT:
		return run->exit_reason == KVM_EXIT_IO && run->io.port == PORT_EXIT &&
		       run->io.direction == KVM_EXIT_IO_OUT;
	case PROBE_EXIT_MMIO_WRITE:
		return run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write &&
		       run->mmio.phys_addr == GUEST_MMIO;
	case PROBE_EXIT_HLT:
		return run->exit_reason == KVM_EXIT_HLT;
	case PROBE_EXIT_MISSING:
	case PROBE_EXIT_NO_GUEST:
		return false;
	}
	return false;
}

const char *probe_exit_name(enum probe_exit e)
{
	switch (e) {
	case PROBE_EXIT_REPORT:
		return "KVM_EXIT_IO on the report port";
	case PROBE_EXIT_IO_OUT:
		return "KVM_EXIT_IO";
	case PROBE_EXIT_MMIO_WRITE:
		return "KVM_EXIT_MMIO";
	case PROBE_EXIT_HLT:
		return "KVM_EXIT_HLT";
	case PROBE_EXIT_MISSING:
		return "no exit (the kind is pending on the KVM side)";
	case PROBE_EXIT_NO_GUEST:
		return "no exit (no guest runs)";
	}
	return "unknown";
}
