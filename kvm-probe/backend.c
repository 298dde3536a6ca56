// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <cpuid.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exitlat/envinfo.h"
#include "exitlat/exit_kinds.h"
#include "backend.h"

/* The KVM implementations that can serve /dev/kvm, in the order they are named. */
static const char *const backends[] = { "kvm_intel", "kvm_amd", "kvm_pvm" };

void backend_name(const char *sysfs_module, char *buf, size_t len)
{
	char path[512];
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", sysfs_module, backends[i]);
		if (access(path, F_OK) != 0)
			continue;
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%s",
				 used ? "+" : "", backends[i]);
	}
	if (!buf[0])
		snprintf(buf, len, "unknown");
}

void backend_detect(struct probe_backend *b, const char *sysfs_module)
{
	unsigned int eax, ebx, ecx, edx, sig[3];
	char vendor[13], path[512], val[8];

	*b = (struct probe_backend){ .vendor = VENDOR_OTHER };
	backend_name(sysfs_module, b->name, sizeof(b->name));
	/* KVM turns it off itself where the host has no PMU for it to share */
	snprintf(path, sizeof(path), "%s/kvm/parameters/enable_pmu", sysfs_module);
	b->pmu_off = exitlat_read_line(path, val, sizeof(val)) == 0 && val[0] == 'N';
	snprintf(b->host_hypervisor, sizeof(b->host_hypervisor), "none");
	__cpuid(0, eax, ebx, ecx, edx);
	memcpy(vendor, &ebx, 4);
	memcpy(vendor + 4, &edx, 4);
	memcpy(vendor + 8, &ecx, 4);
	vendor[12] = '\0';
	if (strcmp(vendor, "GenuineIntel") == 0)
		b->vendor = VENDOR_INTEL;
	else if (strcmp(vendor, "AuthenticAMD") == 0 || strcmp(vendor, "HygonGenuine") == 0)
		b->vendor = VENDOR_AMD;
	__cpuid(1, eax, ebx, ecx, edx);
	/* CPUID.1:ECX[31] is set by hypervisors: the host is itself a guest. */
	if (ecx & (1u << 31)) {
		__cpuid(0x40000000, eax, sig[0], sig[1], sig[2]);
		memcpy(b->host_hypervisor, sig, 12);
		b->host_hypervisor[12] = '\0';
		/* Signatures are padded with NULs or blanks; an empty one is still "a guest". */
		for (int i = 11; i >= 0 && (b->host_hypervisor[i] == ' ' ||
					    b->host_hypervisor[i] == '\0'); i--)
			b->host_hypervisor[i] = '\0';
		for (char *p = b->host_hypervisor; *p; p++)
			if (*p < 0x21 || *p > 0x7e)
				*p = '?';
		if (!b->host_hypervisor[0])
			snprintf(b->host_hypervisor, sizeof(b->host_hypervisor), "unnamed");
	}
	__cpuid(0x80000000, eax, ebx, ecx, edx);
	if (eax >= 0x80000001) {
		__cpuid(0x80000001, eax, ebx, ecx, edx);
		b->has_rdtscp = edx & (1u << 27);
	}
}

const char *backend_refusal(const struct probe_backend *b, int kind, bool real_mode)
{
	/*
	 * kvm_pvm runs guests without VMX/SVM underneath: VMCALL/VMMCALL never
	 * comes back in long mode and is #UD in real mode (kvm-probe/README.md).
	 */
	if (kind == EXITLAT_EXIT_HYPERCALL && !strcmp(b->name, "kvm_pvm"))
		return real_mode ? "the guest's VMCALL/VMMCALL takes #UD: kvm_pvm has no "
				   "hardware virtualization underneath" :
				   "the guest's VMCALL/VMMCALL never returns: kvm_pvm has no "
				   "hardware virtualization underneath";
	if (kind == EXITLAT_EXIT_RDPMC && b->pmu_off)
		return "kvm.enable_pmu is N: KVM gives its guests no PMU, so RDPMC takes #GP";
	return NULL;
}

/*
 * Parameters that change what an exit costs: halt polling (hlt), TDP and MMIO
 * caching (mmio), APIC virtualization, PMU virtualization (context switched on
 * every exit), and whether virtualization is on from module load (6.12+).
 */
static const char *const params[][2] = {
	{ "kvm", "enable_virt_at_load" },
	{ "kvm", "halt_poll_ns" },
	{ "kvm", "halt_poll_ns_grow" },
	{ "kvm", "halt_poll_ns_shrink" },
	{ "kvm", "tdp_mmu" },
	{ "kvm", "mmio_caching" },
	{ "kvm", "enable_pmu" },
	{ "kvm", "mitigate_smt_rsb" },
	{ "kvm", "lapic_timer_advance" },
	{ "kvm", "lapic_timer_advance_ns" },
	{ "kvm", "pi_inject_timer" },
	{ "kvm", "min_timer_period_us" },
	{ "kvm_intel", "ept" },
	{ "kvm_intel", "unrestricted_guest" },
	{ "kvm_intel", "enable_apicv" },
	{ "kvm_intel", "vpid" },
	{ "kvm_intel", "preemption_timer" },
	{ "kvm_intel", "pml" },
	{ "kvm_intel", "enable_shadow_vmcs" },
	{ "kvm_intel", "vmentry_l1d_flush" },
	{ "kvm_amd", "npt" },
	{ "kvm_amd", "avic" },
	{ "kvm_amd", "vls" },
	{ "kvm_amd", "vgif" },
	{ "kvm_amd", "lbrv" },
	{ "kvm_amd", "pause_filter_count" },
	{ "kvm_pvm", "pvm_native" },
	{ "kvm_pvm", "pvm_emul_batch" },
	{ "kvm_pvm", "pvm_wrap_single" },
	{ "kvm_pvm", "no_x2apic" },
};

int backend_params(struct exitlat_header *h, const char *sysfs_module)
{
	char path[512], key[128], val[256];
	int n = 0;

	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s/parameters/%s", sysfs_module, params[i][0],
			 params[i][1]);
		if (exitlat_read_line(path, val, sizeof(val)) != 0)
			continue;
		snprintf(key, sizeof(key), "kvm_param.%s.%s", params[i][0], params[i][1]);
		if (exitlat_header_set(h, key, val))
			return -1;
		n++;
	}
	return n;
}

const char *backend_timer(const char *sysfs_module)
{
	char path[512], val[8];

	snprintf(path, sizeof(path), "%s/kvm_intel/parameters/preemption_timer", sysfs_module);
	if (exitlat_read_line(path, val, sizeof(val)) == 0 && val[0] == 'Y')
		return "VMX preemption timer while the vCPU runs (kvm_intel.preemption_timer=Y), "
		       "hrtimer while it is halted";
	return "hrtimer (no VMX preemption timer)";
}
