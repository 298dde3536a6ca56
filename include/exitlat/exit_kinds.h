/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The exit kinds exitlat measures: one table, shared by the kernel module,
 * kvm-probe, the native front end and the analysis. Usable from kernel and
 * user space (no libc, no kernel headers).
 *
 * Each kind names the timing domain it is measured in on each side:
 *   HOST  - TSC read by the host around the whole trip (the module around
 *           VM entry + exit; kvm-probe around one KVM_RUN ioctl),
 *   GUEST - TSC read by the guest around one instruction (KVM handles the
 *           exit in the kernel and never returns to user space),
 *   NONE  - not implemented on that side.
 * A "null" kind is the timing code alone: the instrument's own overhead in
 * its domain, which the analysis may subtract from kinds of that domain.
 */
#ifndef EXITLAT_EXIT_KINDS_H
#define EXITLAT_EXIT_KINDS_H

enum exitlat_domain {
	EXITLAT_DOMAIN_NONE = 0,
	EXITLAT_DOMAIN_HOST = 1,
	EXITLAT_DOMAIN_GUEST = 2,
};

/*
 * X(ID, name, native domain, kvm domain, is_null, description)
 * IDs are part of the module's ioctl ABI: append, never renumber.
 */
#define EXITLAT_EXIT_KINDS(X)						\
	X(NULL_KIND, "null", HOST, GUEST, 1,				\
	  "no exit: the timing code alone (instrument overhead)")	\
	X(CPUID, "cpuid", HOST, GUEST, 0,				\
	  "CPUID leaf 0, handled by the hypervisor without user space")	\
	X(HYPERCALL, "hypercall", HOST, GUEST, 0,			\
	  "VMCALL (Intel) / VMMCALL (AMD) with an unknown hypercall number") \
	X(PIO, "pio", HOST, HOST, 0,					\
	  "OUT to an unhandled I/O port (KVM: exit to user space)")	\
	X(MMIO, "mmio", NONE, HOST, 0,					\
	  "store to unbacked guest-physical memory (KVM: exit to user space)") \
	X(HLT, "hlt", HOST, HOST, 0,					\
	  "HLT (KVM without in-kernel irqchip: exit to user space)")	\
	X(NULL_HOST, "null-host", NONE, HOST, 1,			\
	  "no exit: the host's TSC pair around nothing (instrument overhead)")

#define EXITLAT_EXIT_ENUM(id, name, nd, kd, isnull, desc) EXITLAT_EXIT_##id,
enum exitlat_exit_kind {
	EXITLAT_EXIT_KINDS(EXITLAT_EXIT_ENUM)
	EXITLAT_EXIT_NR
};
#undef EXITLAT_EXIT_ENUM

#endif /* EXITLAT_EXIT_KINDS_H */
