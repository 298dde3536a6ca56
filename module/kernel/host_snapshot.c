// SPDX-License-Identifier: GPL-2.0
/*
 * The host-state snapshot: everything a VM entry or exit can touch on the
 * batch's CPU, read the same way before and after a batch. Read through the
 * kernel's own accessors where it has them (debug registers, the CR4 shadow,
 * MSRs that may be absent), so a difference is the module's doing.
 */
#include <linux/kernel.h>
#include <linux/bits.h>
#include <asm/msr-index.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include <asm/cpufeature.h>
#include <asm/debugreg.h>
#include <asm/tlbflush.h>
#include <asm/segment.h>

#include "exitlat/ioctl.h"
#include "host_snapshot.h"
#include "insns.h"
#include "segments.h"

#define SET(item, val)							\
	do {								\
		v[EXITLAT_HS_##item] = (val);				\
		*present |= BIT_ULL(EXITLAT_HS_##item);			\
	} while (0)

static void read_msr(u64 *v, u64 *present, int item, u32 msr, bool exists)
{
	u64 val;

	if (exists && !rdmsrl_safe(msr, &val)) {
		v[item] = val;
		*present |= BIT_ULL(item);
	}
}

void exitlat_host_snapshot(u64 *v, u64 *present)
{
	bool amd = boot_cpu_data.x86_vendor == X86_VENDOR_AMD ||
		   boot_cpu_data.x86_vendor == X86_VENDOR_HYGON;
	unsigned long dr;
	struct dtr gdt, idt;
	u16 sel, tr;
	u64 lo = 0, hi = 0;
	int i;

	static_assert(EXITLAT_HS_NR <= EXITLAT_HS_SLOTS);
	*present = 0;
	get_debugreg(dr, 0);
	SET(DR0, dr);
	get_debugreg(dr, 1);
	SET(DR1, dr);
	get_debugreg(dr, 2);
	SET(DR2, dr);
	get_debugreg(dr, 3);
	SET(DR3, dr);
	get_debugreg(dr, 6);
	SET(DR6, dr);
	get_debugreg(dr, 7);
	SET(DR7, dr);
	read_msr(v, present, EXITLAT_HS_DEBUGCTL, MSR_IA32_DEBUGCTLMSR, true);
	SET(LDTR, el_sldt());
	SET(CR0, el_read_cr0());
	SET(CR3, el_read_cr3());
	SET(CR4, el_read_cr4());
	SET(CR4_SHADOW, cr4_read_shadow());
	el_sgdt(&gdt);
	el_sidt(&idt);
	SET(GDTR_BASE, gdt.base);
	SET(GDTR_LIMIT, gdt.limit);
	SET(IDTR_BASE, idt.base);
	SET(IDTR_LIMIT, idt.limit);
	tr = el_str();
	SET(TR, tr);
	/* the TSS descriptor is 16 bytes: base 63:32 in the second half */
	i = seg_gdt_index(tr);
	if (i >= 0 && (i + 1) * 8 + 7 <= gdt.limit) {
		lo = ((const u64 *)gdt.base)[i];
		hi = ((const u64 *)gdt.base)[i + 1];
		SET(TR_BASE, seg_base(lo, hi, true));
		SET(TR_LIMIT, seg_limit(lo));
	}
	savesegment(cs, sel);
	SET(CS, sel);
	savesegment(ss, sel);
	SET(SS, sel);
	savesegment(ds, sel);
	SET(DS, sel);
	savesegment(es, sel);
	SET(ES, sel);
	savesegment(fs, sel);
	SET(FS, sel);
	savesegment(gs, sel);
	SET(GS, sel);
	read_msr(v, present, EXITLAT_HS_FS_BASE, MSR_FS_BASE, true);
	read_msr(v, present, EXITLAT_HS_GS_BASE, MSR_GS_BASE, true);
	read_msr(v, present, EXITLAT_HS_KERNEL_GS_BASE, MSR_KERNEL_GS_BASE, true);
	read_msr(v, present, EXITLAT_HS_EFER, MSR_EFER, true);
	read_msr(v, present, EXITLAT_HS_PAT, MSR_IA32_CR_PAT, true);
	read_msr(v, present, EXITLAT_HS_SYSENTER_CS, MSR_IA32_SYSENTER_CS, true);
	read_msr(v, present, EXITLAT_HS_SYSENTER_ESP, MSR_IA32_SYSENTER_ESP, true);
	read_msr(v, present, EXITLAT_HS_SYSENTER_EIP, MSR_IA32_SYSENTER_EIP, true);
	read_msr(v, present, EXITLAT_HS_STAR, MSR_STAR, true);
	read_msr(v, present, EXITLAT_HS_LSTAR, MSR_LSTAR, true);
	read_msr(v, present, EXITLAT_HS_CSTAR, MSR_CSTAR, true);
	read_msr(v, present, EXITLAT_HS_SFMASK, MSR_SYSCALL_MASK, true);
	read_msr(v, present, EXITLAT_HS_TSC_AUX, MSR_TSC_AUX,
		 boot_cpu_has(X86_FEATURE_RDTSCP) || boot_cpu_has(X86_FEATURE_RDPID));
	read_msr(v, present, EXITLAT_HS_SPEC_CTRL, MSR_IA32_SPEC_CTRL,
		 boot_cpu_has(X86_FEATURE_MSR_SPEC_CTRL));
	read_msr(v, present, EXITLAT_HS_VM_HSAVE_PA, MSR_VM_HSAVE_PA,
		 amd && boot_cpu_has(X86_FEATURE_SVM));
	read_msr(v, present, EXITLAT_HS_TSC_RATIO, MSR_AMD64_TSC_RATIO,
		 amd && boot_cpu_has(X86_FEATURE_TSCRATEMSR));
}
