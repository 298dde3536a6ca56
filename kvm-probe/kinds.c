// SPDX-License-Identifier: GPL-2.0 OR MIT
/* kvm-probe's half of each exit kind: see kinds.h. */
#include <stdio.h>

#include "guest.h"
#include "kinds.h"
#include "layout.h"

#define LOOPS(name)	{ [PROBE_MODE_LONG] = guest64_##name, [PROBE_MODE_REAL] = guest16_##name }
#define LONG_ONLY(name)	{ [PROBE_MODE_LONG] = guest64_##name }

/*
 * With an in-kernel LAPIC, VMX's TPR shadow and SVM's V_TPR serve CR8
 * without an exit; without one, KVM intercepts CR8 (VMX: reads and writes;
 * SVM: writes only) and emulates it in the kernel on vcpu->arch.cr8, and a
 * write that keeps the value never goes to user space (KVM_EXIT_SET_TPR is
 * for a lowered TPR only).
 */
#define CR8_NO_REAL	"CR8 exists only in 64-bit mode"
/* The interrupt kinds (irq.h): x2APIC or the LAPIC page, and a 64-bit IDT. */
#define IRQ_NO_REAL	"the interrupt kinds run in long mode only (64-bit IDT, LAPIC at " \
			"0xfee00000 beyond real mode's 1 MiB, or x2APIC)"
#define IRQ_KIND(loop, e, n) {			\
	.guest = LONG_ONLY(loop),		\
	.no_real = IRQ_NO_REAL,			\
	.exit = e,				\
	.needs = NEED_IRQCHIP | (n),		\
}

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
	[EXITLAT_EXIT_RDMSR] = {
		.guest = LOOPS(rdmsr),
		.exit = PROBE_EXIT_REPORT,
		.fault_why = "this KVM does not emulate IA32_TSC_ADJUST for the guest",
	},
	[EXITLAT_EXIT_WRMSR] = {
		.guest = LOOPS(wrmsr),
		.exit = PROBE_EXIT_REPORT,
		.fault_why = "this KVM does not emulate IA32_TSC_ADJUST for the guest",
	},
	[EXITLAT_EXIT_RDMSR_USER] = {
		.guest = LOOPS(rdmsr_user),
		.exit = PROBE_EXIT_RDMSR,
		.needs = NEED_MSR_FILTER_READ,
	},
	[EXITLAT_EXIT_WRMSR_USER] = {
		.guest = LOOPS(wrmsr_user),
		.exit = PROBE_EXIT_WRMSR,
		.needs = NEED_MSR_FILTER_WRITE,
	},
	[EXITLAT_EXIT_CR8_READ] = {
		.guest = LONG_ONLY(cr8_read),
		.no_real = CR8_NO_REAL,
		.exit = PROBE_EXIT_REPORT,
	},
	[EXITLAT_EXIT_CR8_WRITE] = {
		.guest = LONG_ONLY(cr8_write),
		.no_real = CR8_NO_REAL,
		.exit = PROBE_EXIT_REPORT,
	},
	[EXITLAT_EXIT_CR0_WRITE] = {
		.guest = LOOPS(cr0_write),
		.exit = PROBE_EXIT_REPORT,
	},
	[EXITLAT_EXIT_CR4_WRITE] = {
		.guest = LOOPS(cr4_write),
		.exit = PROBE_EXIT_REPORT,
	},
	[EXITLAT_EXIT_PIO_KERNEL] = {
		.guest = LOOPS(pio_kernel),
		.exit = PROBE_EXIT_REPORT,
		.needs = NEED_IRQCHIP,
	},
	[EXITLAT_EXIT_IOEVENTFD_PIO] = {
		.guest = LOOPS(ioeventfd_pio),
		.exit = PROBE_EXIT_REPORT,
		.needs = NEED_IOEVENTFD_PIO,
	},
	[EXITLAT_EXIT_IOEVENTFD_MMIO] = {
		.guest = LOOPS(ioeventfd_mmio),
		.exit = PROBE_EXIT_REPORT,
		.needs = NEED_IOEVENTFD_MMIO,
	},
	[EXITLAT_EXIT_MMIO_KERNEL] = {
		.guest = LONG_ONLY(mmio_kernel),
		.no_real = "the LAPIC page at 0xfee00000 lies beyond real mode's 1 MiB",
		.exit = PROBE_EXIT_REPORT,
		.needs = NEED_IRQCHIP,
	},
	[EXITLAT_EXIT_EPT_FAULT] = {
		.guest = LONG_ONLY(ept_fault),
		.no_real = "a buffer's fresh pages (4 MiB) lie beyond real mode's 1 MiB",
		.exit = PROBE_EXIT_REPORT,
		.needs = NEED_FAULT_SLOT,
	},
	[EXITLAT_EXIT_XSETBV] = {
		.guest = LOOPS(xsetbv),
		.exit = PROBE_EXIT_REPORT,
		.needs = NEED_OSXSAVE,
	},
	[EXITLAT_EXIT_WBINVD] = {
		.guest = LOOPS(wbinvd),
		.exit = PROBE_EXIT_REPORT,
	},
	[EXITLAT_EXIT_RDPMC] = {
		.guest = LOOPS(rdpmc),
		.exit = PROBE_EXIT_REPORT,
		.fault_why = "RDPMC takes #GP where KVM gives the guest no counter 0 "
			     "(kvm.enable_pmu=N, or a host without a PMU)",
	},
	[EXITLAT_EXIT_IRQFD]	= IRQ_KIND(irqfd, PROBE_EXIT_CROSS, NEED_IRQFD),
	[EXITLAT_EXIT_IRQFD_HALT] = IRQ_KIND(irqfd_halt, PROBE_EXIT_CROSS, NEED_IRQFD),
	[EXITLAT_EXIT_TIMER]	= IRQ_KIND(timer, PROBE_EXIT_REPORT, 0),
	[EXITLAT_EXIT_SELF_IPI]	= IRQ_KIND(self_ipi, PROBE_EXIT_REPORT, 0),
	[EXITLAT_EXIT_EOI]	= IRQ_KIND(eoi, PROBE_EXIT_REPORT, 0),
	[EXITLAT_EXIT_IPI] = {
		.guest = LONG_ONLY(ipi),
		.no_real = IRQ_NO_REAL,
		.vcpu1 = guest64_ipi_recv,
		.exit = PROBE_EXIT_REPORT,
		.needs = NEED_IRQCHIP | NEED_VCPU1,
	},
	[EXITLAT_EXIT_IPI_HALT] = {
		.guest = LONG_ONLY(ipi_halt),
		.no_real = IRQ_NO_REAL,
		.vcpu1 = guest64_ipi_halt_recv,
		.exit = PROBE_EXIT_REPORT,
		.needs = NEED_IRQCHIP | NEED_VCPU1,
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
	case PROBE_EXIT_CROSS:
		return run->exit_reason == KVM_EXIT_IO && run->io.port == PORT_REPORT;
	case PROBE_EXIT_IO_OUT:
		return run->exit_reason == KVM_EXIT_IO && run->io.port == PORT_EXIT &&
		       run->io.direction == KVM_EXIT_IO_OUT;
	case PROBE_EXIT_MMIO_WRITE:
		return run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write &&
		       run->mmio.phys_addr == GUEST_MMIO;
	case PROBE_EXIT_HLT:
		return run->exit_reason == KVM_EXIT_HLT;
	case PROBE_EXIT_RDMSR:
		return run->exit_reason == KVM_EXIT_X86_RDMSR && run->msr.index == MSR_TSC_ADJUST;
	case PROBE_EXIT_WRMSR:
		return run->exit_reason == KVM_EXIT_X86_WRMSR && run->msr.index == MSR_TSC_ADJUST;
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
	case PROBE_EXIT_CROSS:
		return "KVM_EXIT_IO on the report port (calibration, end)";
	case PROBE_EXIT_IO_OUT:
		return "KVM_EXIT_IO";
	case PROBE_EXIT_MMIO_WRITE:
		return "KVM_EXIT_MMIO";
	case PROBE_EXIT_HLT:
		return "KVM_EXIT_HLT";
	case PROBE_EXIT_RDMSR:
		return "KVM_EXIT_X86_RDMSR";
	case PROBE_EXIT_WRMSR:
		return "KVM_EXIT_X86_WRMSR";
	case PROBE_EXIT_MISSING:
		return "no exit (the kind is pending on the KVM side)";
	case PROBE_EXIT_NO_GUEST:
		return "no exit (no guest runs)";
	}
	return "unknown";
}

void probe_exit_answer(enum probe_exit e, struct kvm_run *run)
{
	switch (e) {
	case PROBE_EXIT_RDMSR:
		run->msr.data = 0;
		run->msr.error = 0;
		return;
	case PROBE_EXIT_WRMSR:
		run->msr.error = 0;
		return;
	case PROBE_EXIT_MISSING:
	case PROBE_EXIT_NO_GUEST:
	case PROBE_EXIT_REPORT:
	case PROBE_EXIT_CROSS:
	case PROBE_EXIT_IO_OUT:
	case PROBE_EXIT_MMIO_WRITE:
	case PROBE_EXIT_HLT:
		return;		/* nothing to answer: the guest goes on */
	}
}

void probe_needs_describe(unsigned int needs, char *buf, size_t len)
{
	static const struct {
		enum probe_need need;
		const char *what;
	} words[] = {
		{ NEED_IRQCHIP, "in-kernel irqchip (KVM_CREATE_IRQCHIP)" },
		{ NEED_MSR_FILTER_READ, "MSR filter: RDMSR of 0x3b to user space" },
		{ NEED_MSR_FILTER_WRITE, "MSR filter: WRMSR of 0x3b to user space" },
		{ NEED_IOEVENTFD_PIO, "ioeventfd on port 0xe2, length 1" },
		{ NEED_IOEVENTFD_MMIO, "ioeventfd at 0xb0000, length 0 (fast MMIO bus)" },
		{ NEED_FAULT_SLOT, "fault slot of 1024 4 KiB pages, emptied per buffer" },
		{ NEED_OSXSAVE, "CR4.OSXSAVE" },
		{ NEED_IRQFD, "KVM_IRQFD: eventfd on GSI 24, MSI route to vector 0x40 of APIC 0" },
		{ NEED_VCPU1, "vCPU 1 (APIC ID 1), runnable, on its own thread" },
	};
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (needs & words[i].need)
			used += snprintf(buf + used, used < len ? len - used : 0, "%s%s",
					 used ? "; " : "", words[i].what);
	if (!used)
		snprintf(buf, len, "none");
}
