/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Which KVM serves /dev/kvm, on which CPU, and the module parameters that change exit cost. */
#ifndef KVM_PROBE_BACKEND_H
#define KVM_PROBE_BACKEND_H

#include <stdbool.h>

#include "exitlat/samples.h"

enum cpu_vendor {
	VENDOR_OTHER,
	VENDOR_INTEL,
	VENDOR_AMD,	/* and Hygon: SVM, VMMCALL */
};

struct probe_backend {
	char name[64];			/* "kvm_intel", "kvm_pvm", "kvm_intel+kvm_pvm", "unknown" */
	char host_hypervisor[16];	/* CPUID 0x40000000 signature, "none" on bare metal */
	enum cpu_vendor vendor;
	bool has_rdtscp;
	bool pmu_off;			/* kvm.enable_pmu is N: guests get no PMU */
};

/*
 * Reads the loaded KVM modules under @sysfs_module ("/sys/module") and the
 * host CPU's identity from CPUID.
 */
void backend_detect(struct probe_backend *b, const char *sysfs_module);
/* The backend name from the modules present under @sysfs_module, into @buf. */
void backend_name(const char *sysfs_module, char *buf, size_t len);
/*
 * Why @kind cannot run on @b (in real mode when @real_mode), or NULL when it
 * is expected to: known limits are refused before measuring rather than found
 * by the watchdog after SEC seconds of silence.
 */
const char *backend_refusal(const struct probe_backend *b, int kind, bool real_mode);
/*
 * Adds "kvm_param.MODULE.NAME: value" for each parameter that changes exit
 * cost and exists. Returns the number added, or -1 when out of memory.
 */
int backend_params(struct exitlat_header *h, const char *sysfs_module);
/* What KVM runs the guest's LAPIC timer on, as far as its parameters say. */
const char *backend_timer(const char *sysfs_module);

#endif
