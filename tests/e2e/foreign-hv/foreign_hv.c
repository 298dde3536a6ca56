// SPDX-License-Identifier: GPL-2.0
/*
 * foreign_hv.ko, for the tests only: holds VMX root operation (Intel) or
 * EFER.SVME (AMD) on every online CPU while it is loaded, as a non-KVM
 * hypervisor's driver (VirtualBox's vboxdrv, VMware's vmmon) does while its
 * VMs run. tests/e2e/guest.d/30-module.sh checks that exitlat.ko then
 * refuses its batches with one clear line instead of borrowing the CPU.
 */
#define pr_fmt(fmt) "foreign_hv: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/gfp.h>
#include <linux/smp.h>
#include <asm/asm.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/tlbflush.h>

static DEFINE_PER_CPU(unsigned long, vmxon_page);
static DEFINE_PER_CPU(bool, held);
static bool intel;

static void hold_vmx(void)
{
	u64 basic, pa;

	rdmsrl(MSR_IA32_VMX_BASIC, basic);
	*(u32 *)this_cpu_read(vmxon_page) = (u32)basic & 0x7fffffff;
	pa = __pa(this_cpu_read(vmxon_page));
	cr4_set_bits(X86_CR4_VMXE);
	asm goto("1: vmxon %[pa]\n\t"
		 "jna %l[fail]\n\t"
		 _ASM_EXTABLE(1b, %l[fail])
		 : : [pa] "m"(pa) : "cc", "memory" : fail);
	this_cpu_write(held, true);
	return;
fail:
	cr4_clear_bits(X86_CR4_VMXE);
}

static void hold(void *unused)
{
	u64 efer;

	if (intel) {
		hold_vmx();
		return;
	}
	rdmsrl(MSR_EFER, efer);
	wrmsrl(MSR_EFER, efer | EFER_SVME);
	this_cpu_write(held, true);
}

static void release(void *unused)
{
	u64 efer;

	if (!this_cpu_read(held))
		return;
	if (intel) {
		asm goto("1: vmxoff\n\t" _ASM_EXTABLE(1b, %l[fault]) : : : "cc", "memory" : fault);
fault:
		cr4_clear_bits(X86_CR4_VMXE);
	} else {
		rdmsrl(MSR_EFER, efer);
		wrmsrl(MSR_EFER, efer & ~EFER_SVME);
	}
	this_cpu_write(held, false);
}

static void free_pages_all(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		free_page(per_cpu(vmxon_page, cpu));
}

static int __init foreign_hv_init(void)
{
	int cpu, n = 0;

	intel = boot_cpu_has(X86_FEATURE_VMX);
	if (!intel && !boot_cpu_has(X86_FEATURE_SVM))
		return -ENODEV;
	/* another holder (KVM) already there: nothing to simulate */
	if (intel ? (__read_cr4() & X86_CR4_VMXE) : false)
		return -EBUSY;
	for_each_possible_cpu(cpu) {
		per_cpu(vmxon_page, cpu) = get_zeroed_page(GFP_KERNEL);
		if (!per_cpu(vmxon_page, cpu)) {
			free_pages_all();
			return -ENOMEM;
		}
	}
	on_each_cpu(hold, NULL, 1);
	for_each_online_cpu(cpu)
		n += per_cpu(held, cpu);
	pr_info("holding %s on %d CPUs\n", intel ? "VMX root operation" : "EFER.SVME", n);
	return 0;
}

static void __exit foreign_hv_exit(void)
{
	on_each_cpu(release, NULL, 1);
	free_pages_all();
}

module_init(foreign_hv_init);
module_exit(foreign_hv_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("exitlat tests: a stand-in for a non-KVM hypervisor holding VMX/SVM");
