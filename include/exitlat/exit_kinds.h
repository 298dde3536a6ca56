/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The exit kinds exitlat measures: one table, shared by the kernel module,
 * kvm-probe, the native front end and the analysis. Usable from kernel and
 * user space (no libc, no kernel headers). docs/exit-kinds.md describes
 * every row; the completeness tests (tests/unit/test_exit_kinds.c,
 * test_probe_kinds.c, test_native_kinds.c) fail when a row lacks its code
 * or its documentation on either side.
 *
 * Each kind names the timing domain it is measured in on each side:
 *   HOST  - TSC read by the host around the whole trip (the module around
 *           VM entry + exit; kvm-probe around one KVM_RUN ioctl),
 *   GUEST - TSC read by the guest around one instruction (KVM handles the
 *           exit in the kernel and never returns to user space),
 *   CROSS - the host's TSC at an event it causes (an eventfd write) and the
 *           guest's TSC when the interrupt reaches the guest's handler, the
 *           guest's TSC offset removed: a delivery latency, not a round trip,
 *   NONE  - not implemented on that side.
 * A "null" kind is the timing code alone: the instrument's own overhead in
 * its domain, which the analysis may subtract from kinds of that domain.
 *
 * And where KVM handles the exit, the layer whose price it shows:
 *   FASTPATH - in the kernel without the exit's general handling: the
 *              fast PIO/MMIO buses into an ioeventfd (virtio's notification),
 *   KERNEL   - one of KVM's exit handlers, an in-kernel device or the MMU,
 *   USER     - an exit to the VMM in user space (KVM_RUN returns),
 *   IRQ      - interrupt delivery through the in-kernel irqchip: how late an
 *              interrupt reaches the guest, or the APIC write that ends one
 *              (kinds timed from an event to a handler, not round trips),
 *   NONE     - no exit (the null kinds).
 */
#ifndef EXITLAT_EXIT_KINDS_H
#define EXITLAT_EXIT_KINDS_H

enum exitlat_domain {
	EXITLAT_DOMAIN_NONE = 0,
	EXITLAT_DOMAIN_HOST = 1,
	EXITLAT_DOMAIN_GUEST = 2,
	EXITLAT_DOMAIN_CROSS = 3,
};

enum exitlat_kvm_path {
	EXITLAT_KVM_NONE = 0,
	EXITLAT_KVM_FASTPATH = 1,
	EXITLAT_KVM_KERNEL = 2,
	EXITLAT_KVM_USER = 3,
	EXITLAT_KVM_IRQ = 4,
};

/*
 * X(ID, name, native domain, kvm domain, is_null, kvm path, description)
 * IDs are part of the module's ioctl ABI: append, never renumber.
 */
#define EXITLAT_EXIT_KINDS(X)						\
	X(NULL_KIND, "null", HOST, GUEST, 1, NONE,			\
	  "no exit: the timing code alone (instrument overhead)")	\
	X(CPUID, "cpuid", HOST, GUEST, 0, KERNEL,			\
	  "CPUID leaf 0, handled by the hypervisor without user space")	\
	X(HYPERCALL, "hypercall", HOST, GUEST, 0, KERNEL,		\
	  "VMCALL (Intel) / VMMCALL (AMD) with an unknown hypercall number") \
	X(PIO, "pio", HOST, HOST, 0, USER,				\
	  "OUT to an unhandled I/O port (KVM: exit to user space)")	\
	X(MMIO, "mmio", NONE, HOST, 0, USER,				\
	  "store to unbacked guest-physical memory (KVM: exit to user space)") \
	X(HLT, "hlt", HOST, HOST, 0, USER,				\
	  "HLT (KVM without in-kernel irqchip: exit to user space)")	\
	X(NULL_HOST, "null-host", NONE, HOST, 1, NONE,			\
	  "no exit: the host's TSC pair around nothing (instrument overhead)") \
	X(RDMSR, "rdmsr", HOST, GUEST, 0, KERNEL,			\
	  "RDMSR of IA32_TSC_ADJUST, an MSR KVM emulates in the kernel") \
	X(WRMSR, "wrmsr", HOST, GUEST, 0, KERNEL,			\
	  "WRMSR of 0 to IA32_TSC_ADJUST, emulated in the kernel")	\
	X(RDMSR_USER, "rdmsr-user", NONE, HOST, 0, USER,		\
	  "RDMSR of IA32_TSC_ADJUST denied by an MSR filter: KVM_EXIT_X86_RDMSR") \
	X(WRMSR_USER, "wrmsr-user", NONE, HOST, 0, USER,		\
	  "WRMSR to IA32_TSC_ADJUST denied by an MSR filter: KVM_EXIT_X86_WRMSR") \
	X(CR8_READ, "cr8-read", HOST, GUEST, 0, KERNEL,			\
	  "MOV from CR8 (64-bit mode; KVM without in-kernel LAPIC intercepts it)") \
	X(CR8_WRITE, "cr8-write", HOST, GUEST, 0, KERNEL,		\
	  "MOV to CR8 of its own value (64-bit mode), emulated in the kernel") \
	X(CR0_WRITE, "cr0-write", HOST, GUEST, 0, KERNEL,		\
	  "MOV to CR0 flipping CR0.EM, a bit KVM owns: emulated in the kernel") \
	X(CR4_WRITE, "cr4-write", HOST, GUEST, 0, KERNEL,		\
	  "MOV to CR4 flipping CR4.MCE, a bit KVM owns: emulated in the kernel") \
	X(PIO_KERNEL, "pio-kernel", NONE, GUEST, 0, KERNEL,		\
	  "OUT to the ELCR (port 0x4d0) of KVM's in-kernel PIC")	\
	X(IOEVENTFD_PIO, "ioeventfd-pio", NONE, GUEST, 0, FASTPATH,	\
	  "OUT to a port bound to an eventfd by KVM_IOEVENTFD (virtio's kick)") \
	X(IOEVENTFD_MMIO, "ioeventfd-mmio", NONE, GUEST, 0, FASTPATH,	\
	  "store to an address bound by KVM_IOEVENTFD, any length (fast MMIO bus)") \
	X(MMIO_KERNEL, "mmio-kernel", NONE, GUEST, 0, KERNEL,		\
	  "load of the LAPIC timer's current count from KVM's in-kernel LAPIC") \
	X(EPT_FAULT, "ept-fault", NONE, GUEST, 0, KERNEL,		\
	  "first store to a guest page not yet mapped: KVM's EPT/NPT fault path") \
	X(XSETBV, "xsetbv", HOST, GUEST, 0, KERNEL,			\
	  "XSETBV of XCR0 = x87 (CR4.OSXSAVE on), emulated in the kernel") \
	X(WBINVD, "wbinvd", HOST, GUEST, 0, KERNEL,			\
	  "WBINVD, which KVM skips without non-coherent DMA")		\
	X(RDPMC, "rdpmc", HOST, GUEST, 0, KERNEL,			\
	  "RDPMC of general-purpose counter 0, from KVM's virtual PMU")	\
	X(IRQFD, "irqfd", NONE, CROSS, 0, IRQ,				\
	  "host eventfd write bound by KVM_IRQFD to the running guest's handler") \
	X(IRQFD_HALT, "irqfd-halt", NONE, CROSS, 0, IRQ,		\
	  "host eventfd write bound by KVM_IRQFD to the handler of a halted guest") \
	X(TIMER, "timer", NONE, GUEST, 0, IRQ,				\
	  "lateness of the LAPIC timer's handler against its deadline") \
	X(IPI, "ipi", NONE, GUEST, 0, IRQ,				\
	  "fixed IPI from vCPU 0 to the running vCPU 1, ICR write to handler") \
	X(IPI_HALT, "ipi-halt", NONE, GUEST, 0, IRQ,			\
	  "fixed IPI from vCPU 0 to the halted vCPU 1, ICR write to handler") \
	X(SELF_IPI, "self-ipi", NONE, GUEST, 0, IRQ,			\
	  "fixed self-IPI through the ICR, write to handler")		\
	X(EOI, "eoi", NONE, GUEST, 0, IRQ,				\
	  "EOI write to the in-kernel LAPIC at the end of a handler")	\
	X(INTR_EXIT, "intr-exit", HOST, NONE, 0, IRQ,			\
	  "VM entry with an external interrupt pending: its exit and re-entry")

#define EXITLAT_EXIT_ENUM(id, ...) EXITLAT_EXIT_##id,
enum exitlat_exit_kind {
	EXITLAT_EXIT_KINDS(EXITLAT_EXIT_ENUM)
	EXITLAT_EXIT_NR
};
#undef EXITLAT_EXIT_ENUM

/*
 * Kinds the table names before one side's code exists: that side refuses
 * them (module/kernel/args.c; --exit and --list of its front end), and its
 * completeness test expects their code to be missing. A side's list shrinks
 * as its code lands; a kind listed here whose code is complete fails that
 * test, so the list cannot outlive its reason.
 */
#define EXITLAT_NATIVE_PENDING(X)
#define EXITLAT_KVM_PENDING(X)

/* Bit masks over kind IDs, so the kernel reads the table without an array. */
#define EXITLAT_KIND_BIT(id) | (1ULL << EXITLAT_EXIT_##id)
#define EXITLAT_NATIVE_BIT(id, nm, nd, ...)				\
	| ((unsigned long long)(EXITLAT_DOMAIN_##nd != EXITLAT_DOMAIN_NONE) << EXITLAT_EXIT_##id)
#define EXITLAT_KVM_BIT(id, nm, nd, kd, ...)				\
	| ((unsigned long long)(EXITLAT_DOMAIN_##kd != EXITLAT_DOMAIN_NONE) << EXITLAT_EXIT_##id)
#define EXITLAT_NATIVE_READY_MASK					\
	((0ULL EXITLAT_EXIT_KINDS(EXITLAT_NATIVE_BIT)) &		\
	 ~(0ULL EXITLAT_NATIVE_PENDING(EXITLAT_KIND_BIT)))
#define EXITLAT_KVM_READY_MASK						\
	((0ULL EXITLAT_EXIT_KINDS(EXITLAT_KVM_BIT)) &			\
	 ~(0ULL EXITLAT_KVM_PENDING(EXITLAT_KIND_BIT)))

_Static_assert(EXITLAT_EXIT_NR <= 64, "the kind masks are 64 bits wide");
_Static_assert(((0ULL EXITLAT_NATIVE_PENDING(EXITLAT_KIND_BIT)) &
		~(0ULL EXITLAT_EXIT_KINDS(EXITLAT_NATIVE_BIT))) == 0,
	       "a native pending kind without a native domain");
_Static_assert(((0ULL EXITLAT_KVM_PENDING(EXITLAT_KIND_BIT)) &
		~(0ULL EXITLAT_EXIT_KINDS(EXITLAT_KVM_BIT))) == 0,
	       "a KVM pending kind without a KVM domain");

/* Whether exitlat.ko measures @kind: a native domain, and not pending. */
static inline int exitlat_native_ready(unsigned int kind)
{
	return kind < EXITLAT_EXIT_NR && ((EXITLAT_NATIVE_READY_MASK >> kind) & 1);
}

/*
 * Native kinds whose guest runs no instruction of its own: null makes no VM
 * transition, and intr-exit's VM exit comes before the guest's first
 * instruction (an external interrupt is pending at VM entry). Neither has a
 * guest TSC read (no split modes) nor a guest instruction for check-insns.
 */
#define EXITLAT_NATIVE_NO_GUEST_INSN(X) X(NULL_KIND) X(INTR_EXIT)

/* Whether exitlat.ko's guest executes @kind's instruction (and can read the TSC first). */
static inline int exitlat_native_guest_runs(unsigned int kind)
{
	return kind < EXITLAT_EXIT_NR &&
	       !(((0ULL EXITLAT_NATIVE_NO_GUEST_INSN(EXITLAT_KIND_BIT)) >> kind) & 1);
}

/* Whether kvm-probe measures @kind: a KVM domain, and not pending. */
static inline int exitlat_kvm_ready(unsigned int kind)
{
	return kind < EXITLAT_EXIT_NR && ((EXITLAT_KVM_READY_MASK >> kind) & 1);
}

#endif /* EXITLAT_EXIT_KINDS_H */
