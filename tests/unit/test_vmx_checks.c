// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The VM-entry checks (module/kernel/vmx_checks.c) on the VMCS the module
 * builds (vmcs_build.c) for each of the 53 CPUs of
 * tests/data/vmx-capability-msrs.txt, on typical Debian 6.1 and 6.12 hosts
 * (tests/data/linux-host-states.txt), for every exit kind; then one broken
 * field at a time, each case naming the rule that must catch it.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "exitlat/exit_kind_table.h"
#include "fixtures.h"
#include "../../module/kernel/vmcs.h"
#include "../../module/kernel/vmcs_build.h"
#include "../../module/kernel/vmx_checks.h"

/* The smallest MAXPHYADDR among these CPUs (Core 2); the fixtures' addresses fit. */
#define PHYS_BITS	36
#define CR4_PAE		(1ull << 5)
#define CR4_LA57	(1ull << 12)
#define CR4_VMXE	(1ull << 13)
#define CR4_PCIDE	(1ull << 17)
#define CR4_CET		(1ull << 23)
#define CR0_PE		(1ull << 0)
#define CR0_WP		(1ull << 16)
#define CR0_PG		(1ull << 31)
#define RFLAGS_TF	(1ull << 8)
#define RFLAGS_IF	(1ull << 9)
#define RFLAGS_VM	(1ull << 17)
#define EPTP_WB_4	0x000000000100001eull	/* WB, 4-level walk, at 16 MiB */

static const struct vmcs_build_args args = {
	.host_rip = 0xffffffffc0a01234ull,
	.guest_rip = 0xffffffffc0a01300ull,
	.guest_rsp = 0xffffa3c2c1a3dfc0ull,
	.vpid = 1,
};

/* The host @fix on @caps's CPU as vmx_run() sees it: CR4 without what the CPU lacks, plus VMXE. */
static struct host_state vmx_host_on(const struct fix_host *fix, const struct vmx_caps *caps)
{
	struct host_state h = fix->hs;

	h.cr4 = (h.cr4 & caps->cr4_fixed1) | CR4_VMXE;
	return h;
}

static void build(const struct vmx_caps *caps, const struct fix_host *fix, unsigned int kind,
		  bool vpid, struct vmcs_image *img)
{
	struct host_state h = vmx_host_on(fix, caps);
	struct vmx_controls ctl;
	enum vmx_ctl_word bad;
	u32 missing;

	cr_assert_eq(vmx_controls_for_kind(caps, kind, &ctl, &bad, &missing), 0);
	if (vpid)
		cr_assert(vmx_controls_enable_vpid(caps, &ctl));
	cr_assert_eq(vmcs_build(&ctl, &h, &args, img), 0);
}

static void assert_passes(const char *cpu, const char *host, unsigned int kind,
			  const struct vmx_caps *caps, const struct vmcs_image *img)
{
	struct vmx_check_result res;
	unsigned int rule = vmx_check_vm_entry(caps, img, PHYS_BITS, &res);

	cr_assert_eq(rule, 0, "%s, %s, kind %u: \"%s\" (%s) fails: %s = 0x%llx", cpu, host, kind,
		     res.name, res.section, vmcs_field_name(res.field),
		     (unsigned long long)res.value);
}

TestSuite(vmx_checks, .init = fix_init);

Test(vmx_checks, every_cpu_passes_on_both_hosts_for_every_kind_it_can_run)
{
	int passed = 0, refused = 0, ready = 0, kvm_only = 0, lacking = 0;

	/* The native side's kinds must pass; kinds without one must be refused (pending: neither). */
	for (unsigned int k = 0; k < EXITLAT_EXIT_NR; k++) {
		ready += exitlat_native_ready(k);
		kvm_only += exitlat_exits[k].native_domain == EXITLAT_DOMAIN_NONE;
	}
	for (int c = 0; c < fix_ncpus; c++) {
		for (int i = 0; i < fix_nhosts; i++) {
			if (strcmp(fix_hosts[i].vendor, "intel"))
				continue;
			for (unsigned int k = 0; k < EXITLAT_EXIT_NR; k++) {
				struct vmx_controls ctl;
				enum vmx_ctl_word bad;
				struct vmcs_image img;
				u32 missing;
				int ret = vmx_controls_for_kind(&fix_cpus[c].caps, k, &ctl, &bad,
								&missing);

				if (exitlat_exits[k].native_domain == EXITLAT_DOMAIN_NONE) {
					cr_assert_eq(ret, -EINVAL, "%s: kind %u has no native side",
						     fix_cpus[c].name, k);
					refused++;
					continue;
				}
				if (!exitlat_native_ready(k))
					continue;	/* pending: test_native_kinds.c */
				if (ret == -EOPNOTSUPP) {
					lacking++;	/* a control the CPU lacks: test_vmx_controls.c */
					continue;
				}
				cr_assert_eq(ret, 0, "%s: kind %u refused (word %d, bits 0x%x)",
					     fix_cpus[c].name, k, bad, missing);
				build(&fix_cpus[c].caps, &fix_hosts[i], k, false, &img);
				assert_passes(fix_cpus[c].name, fix_hosts[i].name, k, &fix_cpus[c].caps, &img);
				passed++;
			}
		}
	}
	cr_assert_eq(passed + lacking, fix_ncpus * 2 * ready, "every native kind on 53 CPUs x 2 hosts");
	cr_assert_lt(lacking, fix_ncpus * 2, "only a few old CPUs lack a kind's control: %d", lacking);
	cr_assert_eq(refused, fix_ncpus * 2 * kvm_only, "every KVM-only kind refused");
}

Test(vmx_checks, every_cpu_with_vpid_passes_with_vpid_enabled)
{
	const struct fix_host *fix = fix_host_named("debian-6.12-intel");
	int with_vpid = 0;

	for (int c = 0; c < fix_ncpus; c++) {
		struct vmx_controls ctl;
		enum vmx_ctl_word bad;
		struct vmcs_image img;
		u32 missing;

		cr_assert_eq(vmx_controls_for_kind(&fix_cpus[c].caps, EXITLAT_EXIT_CPUID, &ctl, &bad,
						   &missing), 0);
		if (!vmx_controls_enable_vpid(&fix_cpus[c].caps, &ctl))
			continue;
		build(&fix_cpus[c].caps, fix, EXITLAT_EXIT_CPUID, true, &img);
		assert_passes(fix_cpus[c].name, fix->name, EXITLAT_EXIT_CPUID, &fix_cpus[c].caps, &img);
		with_vpid++;
	}
	cr_assert_gt(with_vpid, 40);
}

Test(vmx_checks, a_5_level_host_with_cet_passes_where_the_cpu_has_la57_and_cet)
{
	const struct fix_host *fix = fix_host_named("debian-6.12-intel");
	struct vmx_caps caps = fix_cpu_named("Gold 6140")->caps;
	struct fix_host la57 = *fix;
	struct vmcs_image img;

	/* a later CPU: LA57 and CET in CR4; 57-bit kernel addresses */
	caps.cr4_fixed1 |= CR4_LA57 | CR4_CET;
	la57.hs.gdt = la57.gdt;
	la57.hs.cr4 |= CR4_LA57;
	la57.hs.gs_base = 0xff11000c7fa00000ull;	/* page_offset_base with 5 levels */
	build(&caps, &la57, EXITLAT_EXIT_CPUID, true, &img);
	assert_passes("Gold 6140 + LA57/CET", "5-level 6.12", EXITLAT_EXIT_CPUID, &caps, &img);
}

Test(vmx_checks, a_57_bit_address_fails_on_a_4_level_host)
{
	const struct fix_host *fix = fix_host_named("debian-6.12-intel");
	const struct vmx_caps *caps = &fix_cpu_named("Gold 6140")->caps;
	struct vmx_check_result res;
	struct vmcs_image img;

	build(caps, fix, EXITLAT_EXIT_CPUID, false, &img);
	vmcs_image_set(&img, HOST_GS_BASE, 0xff11000c7fa00000ull);
	cr_assert_neq(vmx_check_vm_entry(caps, &img, PHYS_BITS, &res), 0);
	cr_assert_str_eq(res.name, "host FS/GS/TR/GDTR/IDTR base canonical");
}

Test(vmx_checks, a_cr3_with_lam_bits_passes_as_a_process_using_lam_leaves_it)
{
	const struct fix_host *fix = fix_host_named("debian-6.12-intel");
	const struct vmx_caps *caps = &fix_cpu_named("Gold 6140")->caps;
	struct vmcs_image img;

	build(caps, fix, EXITLAT_EXIT_CPUID, false, &img);
	vmcs_image_set(&img, HOST_CR3, fix->hs.cr3 | 1ull << 61);
	vmcs_image_set(&img, GUEST_CR3, fix->hs.cr3 | 1ull << 61);
	assert_passes("Gold 6140", "LAM_U57 in CR3", EXITLAT_EXIT_CPUID, caps, &img);
}

Test(vmx_checks, cr0_cd_and_nw_are_never_checked_even_where_fixed1_forbids_them)
{
	const struct fix_host *fix = fix_host_named("debian-6.1-intel");
	struct vmx_caps caps = fix_cpu_named("Gold 6140")->caps;
	struct vmcs_image img;

	build(&caps, fix, EXITLAT_EXIT_CPUID, false, &img);
	caps.cr0_fixed1 &= ~(3ull << 29);
	vmcs_image_set(&img, HOST_CR0, fix->hs.cr0 | 3ull << 29);
	vmcs_image_set(&img, GUEST_CR0, fix->hs.cr0 | 3ull << 29);
	assert_passes("Gold 6140, CD/NW not allowed", fix->name, EXITLAT_EXIT_CPUID, &caps, &img);
}

Test(vmx_checks, failures_report_the_vm_instruction_error_or_exit_qualification)
{
	const struct vmx_caps *caps = &fix_cpu_named("Gold 6140")->caps;
	const struct fix_host *fix = fix_host_named("debian-6.1-intel");
	struct vmx_check_result res;
	struct vmcs_image img;

	build(caps, fix, EXITLAT_EXIT_CPUID, false, &img);
	vmcs_image_set(&img, CR3_TARGET_COUNT, 9);
	cr_assert_neq(vmx_check_vm_entry(caps, &img, PHYS_BITS, &res), 0);
	cr_assert_eq(res.area, VMX_AREA_CONTROLS);
	cr_assert_eq(res.vm_error, VMXERR_ENTRY_INVALID_CONTROL);
	cr_assert_eq(res.field, CR3_TARGET_COUNT);
	cr_assert_eq(res.value, 9);

	build(caps, fix, EXITLAT_EXIT_CPUID, false, &img);
	vmcs_image_set(&img, HOST_TR_SELECTOR, 0);
	cr_assert_neq(vmx_check_vm_entry(caps, &img, PHYS_BITS, &res), 0);
	cr_assert_eq(res.area, VMX_AREA_HOST);
	cr_assert_eq(res.vm_error, VMXERR_ENTRY_INVALID_HOST_STATE);

	build(caps, fix, EXITLAT_EXIT_CPUID, false, &img);
	vmcs_image_set(&img, VMCS_LINK_POINTER, 0x1000010);
	cr_assert_neq(vmx_check_vm_entry(caps, &img, PHYS_BITS, &res), 0);
	cr_assert_eq(res.area, VMX_AREA_GUEST);
	cr_assert_eq(res.vm_error, 0);
	cr_assert_eq(res.exit_qual, ENTRY_FAIL_QUAL_VMCS_LINK);
	cr_assert_str_eq(res.section, "SDM 27.3.1.5");
}

Test(vmx_checks, every_rule_has_a_unique_name_and_an_sdm_section)
{
	unsigned int n = vmx_check_rule_count();

	cr_assert_gt(n, 90, "the SDM's rules, one entry each");
	for (unsigned int i = 1; i <= n; i++) {
		cr_assert_not_null(vmx_check_rule(i), "rule %u", i);
		cr_assert(!strncmp(vmx_check_rule(i)->section, "SDM 2", 5), "rule %u: %s", i,
			  vmx_check_rule(i)->section);
		for (unsigned int j = 1; j < i; j++)
			cr_assert_str_neq(vmx_check_rule(i)->name, vmx_check_rule(j)->name);
	}
	cr_assert_null(vmx_check_rule(0));
	cr_assert_null(vmx_check_rule(n + 1));
}

Test(vmx_checks, field_names_come_from_the_encoding_table)
{
	cr_assert_str_eq(vmcs_field_name(HOST_CR4), "HOST_CR4");
	cr_assert_str_eq(vmcs_field_name(GUEST_TR_AR_BYTES), "GUEST_TR_AR_BYTES");
	cr_assert_str_eq(vmcs_field_name(VIRTUAL_PROCESSOR_ID), "VIRTUAL_PROCESSOR_ID");
	cr_assert_str_eq(vmcs_field_name(0x7777), "unknown");
}

/* ---- one broken field (or a few that go together) at a time ---- */

enum { OP_NONE, OP_SET, OP_OR, OP_CLR, OP_DEL };
/* Pseudo-fields: edits of the CPU's capability MSRs (a later CPU than the data has). */
#define CAP_CR4_FIXED1	0x10000
#define CAP_TRUE_EXIT	0x10001
#define CAP_TRUE_ENTRY	0x10002

struct edit {
	u32 field;
	int op;
	u64 val;
};

struct brk {
	char what[96];
	struct edit e[12];
	char rule[64];
	u32 field;		/* the field the result must name (NO_FIELD: not checked) */
};
#define NO_FIELD	0xffffffffu

#define SET(f, v)	{ (f), OP_SET, (v) }
#define OR(f, v)	{ (f), OP_OR, (v) }
#define CLR(f, v)	{ (f), OP_CLR, (v) }
#define DEL(f)		{ (f), OP_DEL, 0 }
#define SECONDARY(v)	OR(CPU_BASED_VM_EXEC_CONTROL, CPU_SECONDARY_CONTROLS), \
			SET(SECONDARY_VM_EXEC_CONTROL, (v))

/* Base: Xeon Gold 6140 (Skylake-SP), Debian 6.12 host (SS and LDTR unusable, user DS/ES/GS), cpuid. */
static struct brk cases[] = {
	/* controls: VM-execution (27.2.1.1) */
	{ "a pin-based control the CPU does not have", { OR(PIN_BASED_VM_EXEC_CONTROL, 1u << 8) },
	  "pin-based controls reserved bits", PIN_BASED_VM_EXEC_CONTROL },
	{ "a must-be-1 pin-based control cleared", { CLR(PIN_BASED_VM_EXEC_CONTROL, 0x16) },
	  "pin-based controls reserved bits", PIN_BASED_VM_EXEC_CONTROL },
	{ "a must-be-1 primary control cleared", { CLR(CPU_BASED_VM_EXEC_CONTROL, 1u << 1) },
	  "primary processor-based controls reserved bits", CPU_BASED_VM_EXEC_CONTROL },
	{ "a secondary control the CPU does not have", { SECONDARY(1u << 31) },
	  "secondary processor-based controls reserved bits", SECONDARY_VM_EXEC_CONTROL },
	{ "five CR3 targets", { SET(CR3_TARGET_COUNT, 5) }, "CR3-target count", CR3_TARGET_COUNT },
	{ "an I/O bitmap not page-aligned",
	  { OR(CPU_BASED_VM_EXEC_CONTROL, CPU_USE_IO_BITMAPS), SET(IO_BITMAP_A, 0x1234010),
	    SET(IO_BITMAP_B, 0x1235000) }, "I/O bitmap addresses", IO_BITMAP_A },
	{ "an I/O bitmap beyond the physical-address width",
	  { OR(CPU_BASED_VM_EXEC_CONTROL, CPU_USE_IO_BITMAPS), SET(IO_BITMAP_A, 0x1234000),
	    SET(IO_BITMAP_B, 1ull << 40) }, "I/O bitmap addresses", IO_BITMAP_B },
	{ "an MSR bitmap beyond the physical-address width",
	  { OR(CPU_BASED_VM_EXEC_CONTROL, CPU_USE_MSR_BITMAPS), SET(MSR_BITMAP, 1ull << 40) },
	  "MSR bitmap address", MSR_BITMAP },
	{ "a virtual-APIC page not page-aligned",
	  { OR(CPU_BASED_VM_EXEC_CONTROL, CPU_USE_TPR_SHADOW),
	    SET(VIRTUAL_APIC_PAGE_ADDR, 0x1000080), SET(TPR_THRESHOLD, 0) },
	  "virtual-APIC address", VIRTUAL_APIC_PAGE_ADDR },
	{ "a TPR threshold above 15",
	  { OR(CPU_BASED_VM_EXEC_CONTROL, CPU_USE_TPR_SHADOW),
	    SET(VIRTUAL_APIC_PAGE_ADDR, 0x1000000), SET(TPR_THRESHOLD, 0x10) },
	  "TPR threshold reserved bits", TPR_THRESHOLD },
	{ "virtualized x2APIC mode without a TPR shadow", { SECONDARY(CPU2_VIRT_X2APIC_MODE) },
	  "APIC virtualization without TPR shadow", SECONDARY_VM_EXEC_CONTROL },
	{ "virtual NMIs without NMI exiting",
	  { CLR(PIN_BASED_VM_EXEC_CONTROL, PIN_NMI_EXITING),
	    OR(PIN_BASED_VM_EXEC_CONTROL, PIN_VIRTUAL_NMIS) },
	  "virtual NMIs without NMI exiting", PIN_BASED_VM_EXEC_CONTROL },
	{ "NMI-window exiting without virtual NMIs",
	  { OR(CPU_BASED_VM_EXEC_CONTROL, CPU_NMI_WINDOW_EXITING) },
	  "NMI-window exiting without virtual NMIs", CPU_BASED_VM_EXEC_CONTROL },
	{ "an APIC-access page not page-aligned",
	  { SECONDARY(CPU2_VIRT_APIC_ACCESSES), SET(APIC_ACCESS_ADDR, 0x1000800) },
	  "APIC-access address", APIC_ACCESS_ADDR },
	{ "virtualized x2APIC mode together with APIC-access virtualization",
	  { OR(CPU_BASED_VM_EXEC_CONTROL, CPU_USE_TPR_SHADOW),
	    SET(VIRTUAL_APIC_PAGE_ADDR, 0x1000000), SET(TPR_THRESHOLD, 0),
	    SECONDARY(CPU2_VIRT_APIC_ACCESSES | CPU2_VIRT_X2APIC_MODE),
	    SET(APIC_ACCESS_ADDR, 0x1001000) },
	  "virtualize x2APIC mode with APIC accesses", SECONDARY_VM_EXEC_CONTROL },
	{ "virtual-interrupt delivery without external-interrupt exiting",
	  { OR(CPU_BASED_VM_EXEC_CONTROL, CPU_USE_TPR_SHADOW),
	    SET(VIRTUAL_APIC_PAGE_ADDR, 0x1000000), SECONDARY(CPU2_VIRT_INTR_DELIVERY),
	    CLR(PIN_BASED_VM_EXEC_CONTROL, PIN_EXT_INTR_EXITING) },
	  "virtual-interrupt delivery without external-interrupt exiting",
	  SECONDARY_VM_EXEC_CONTROL },
	{ "posted interrupts without virtual-interrupt delivery",
	  { OR(PIN_BASED_VM_EXEC_CONTROL, PIN_POSTED_INTR), SET(POSTED_INTR_NV, 0xf2),
	    SET(POSTED_INTR_DESC_ADDR, 0x1000040) },
	  "posted interrupts", PIN_BASED_VM_EXEC_CONTROL },
	{ "VPID enabled with VPID 0", { SECONDARY(CPU2_ENABLE_VPID), SET(VIRTUAL_PROCESSOR_ID, 0) },
	  "VPID is 0", VIRTUAL_PROCESSOR_ID },
	{ "an EPT pointer with write-combining paging structures",
	  { SECONDARY(CPU2_ENABLE_EPT), SET(EPT_POINTER, (EPTP_WB_4 & ~7ull) | 1) },
	  "EPT pointer", EPT_POINTER },
	{ "an EPT pointer with a 5-level walk on a 4-level CPU",
	  { SECONDARY(CPU2_ENABLE_EPT), SET(EPT_POINTER, (EPTP_WB_4 & ~0x38ull) | (4 << 3)) },
	  "EPT pointer", EPT_POINTER },
	{ "an unrestricted guest without EPT", { SECONDARY(CPU2_UNRESTRICTED_GUEST) },
	  "unrestricted guest without EPT", SECONDARY_VM_EXEC_CONTROL },
	{ "page-modification logging without EPT",
	  { SECONDARY(CPU2_ENABLE_PML), SET(PML_ADDRESS, 0x1000000) },
	  "PML, MBEC or SPP without EPT", SECONDARY_VM_EXEC_CONTROL },
	{ "a PML page not page-aligned",
	  { SECONDARY(CPU2_ENABLE_EPT | CPU2_ENABLE_PML), SET(EPT_POINTER, EPTP_WB_4),
	    SET(PML_ADDRESS, 0x1000004) }, "PML address", PML_ADDRESS },
	{ "a VM function the CPU does not have",
	  { SECONDARY(CPU2_VM_FUNCTIONS), SET(VM_FUNCTION_CONTROL, 2) },
	  "VM-function controls reserved bits", VM_FUNCTION_CONTROL },
	{ "EPTP switching without EPT",
	  { SECONDARY(CPU2_VM_FUNCTIONS), SET(VM_FUNCTION_CONTROL, 1),
	    SET(EPTP_LIST_ADDRESS, 0x1000000) }, "EPTP switching", VM_FUNCTION_CONTROL },
	{ "a VMREAD bitmap not page-aligned",
	  { SECONDARY(CPU2_VMCS_SHADOWING), SET(VMREAD_BITMAP, 0x10),
	    SET(VMWRITE_BITMAP, 0x1000) }, "VMREAD/VMWRITE bitmap addresses", VMREAD_BITMAP },
	{ "a #VE information page beyond the physical-address width",
	  { SECONDARY(CPU2_EPT_VIOLATION_VE), SET(VE_INFORMATION_ADDRESS, 1ull << 40) },
	  "#VE information address", VE_INFORMATION_ADDRESS },

	/* controls: VM-exit (27.2.1.2) */
	{ "a must-be-1 exit control cleared", { CLR(VM_EXIT_CONTROLS, 1u << 0) },
	  "VM-exit controls reserved bits", VM_EXIT_CONTROLS },
	{ "saving the preemption timer without the timer",
	  { OR(VM_EXIT_CONTROLS, EXIT_SAVE_PREEMPTION_TIMER) },
	  "save preemption timer without the timer", VM_EXIT_CONTROLS },
	{ "an exit MSR-store area not 16-byte aligned",
	  { SET(VM_EXIT_MSR_STORE_COUNT, 1), SET(VM_EXIT_MSR_STORE_ADDR, 0x1000008) },
	  "VM-exit MSR-store address", VM_EXIT_MSR_STORE_ADDR },
	{ "an exit MSR-load area whose end is beyond the physical-address width",
	  { SET(VM_EXIT_MSR_LOAD_COUNT, 512), SET(VM_EXIT_MSR_LOAD_ADDR, (1ull << 36) - 0x1000) },
	  "VM-exit MSR-load address", VM_EXIT_MSR_LOAD_ADDR },

	/* controls: VM-entry (27.2.1.3) */
	{ "a must-be-1 entry control cleared", { CLR(VM_ENTRY_CONTROLS, 1u << 0) },
	  "VM-entry controls reserved bits", VM_ENTRY_CONTROLS },
	{ "entry to SMM", { OR(VM_ENTRY_CONTROLS, ENTRY_SMM) }, "entry to SMM outside SMM",
	  VM_ENTRY_CONTROLS },
	{ "an entry MSR-load area not 16-byte aligned",
	  { SET(VM_ENTRY_MSR_LOAD_COUNT, 1), SET(VM_ENTRY_MSR_LOAD_ADDR, 0x1000001) },
	  "VM-entry MSR-load address", VM_ENTRY_MSR_LOAD_ADDR },
	{ "an injected event of the reserved type 1", { SET(VM_ENTRY_INTR_INFO_FIELD, 0x80000100) },
	  "event injection type", VM_ENTRY_INTR_INFO_FIELD },
	{ "an injected NMI with vector 3", { SET(VM_ENTRY_INTR_INFO_FIELD, 0x80000203) },
	  "event injection vector", VM_ENTRY_INTR_INFO_FIELD },
	{ "an injected #GP without its error code", { SET(VM_ENTRY_INTR_INFO_FIELD, 0x8000030d) },
	  "event injection deliver-error-code bit", VM_ENTRY_INTR_INFO_FIELD },
	{ "an injected event with reserved bits",
	  { SET(VM_ENTRY_INTR_INFO_FIELD, 0x80010b0d), SET(VM_ENTRY_EXCEPTION_ERROR_CODE, 0) },
	  "event injection reserved bits", VM_ENTRY_INTR_INFO_FIELD },
	{ "an injected #GP with a 17-bit error code",
	  { SET(VM_ENTRY_INTR_INFO_FIELD, 0x80000b0d), SET(VM_ENTRY_EXCEPTION_ERROR_CODE, 0x10000) },
	  "event injection error code", VM_ENTRY_EXCEPTION_ERROR_CODE },
	{ "an injected INT 0x80 with a 16-byte instruction",
	  { SET(VM_ENTRY_INTR_INFO_FIELD, 0x80000480), SET(VM_ENTRY_INSTRUCTION_LEN, 16) },
	  "event injection instruction length", VM_ENTRY_INSTRUCTION_LEN },

	/* host state: control registers and MSRs (27.2.2) */
	{ "host CR0 without paging", { CLR(HOST_CR0, CR0_PG) }, "host CR0 fixed bits", HOST_CR0 },
	{ "host CR4 without VMXE", { CLR(HOST_CR4, CR4_VMXE) }, "host CR4 fixed bits", HOST_CR4 },
	{ "host CR4 with LA57 on a CPU without it", { OR(HOST_CR4, CR4_LA57) },
	  "host CR4 fixed bits", HOST_CR4 },
	{ "host CR3 beyond the physical-address width", { OR(HOST_CR3, 1ull << 40) },
	  "host CR3 beyond physical-address width", HOST_CR3 },
	{ "host CR4.CET without CR0.WP",
	  { OR(CAP_CR4_FIXED1, CR4_CET), OR(HOST_CR4, CR4_CET), CLR(HOST_CR0, CR0_WP) },
	  "host CR4.CET without CR0.WP", HOST_CR4 },
	{ "a non-canonical host SYSENTER_EIP", { SET(HOST_IA32_SYSENTER_EIP, 0x0000800000000000) },
	  "host SYSENTER_ESP/EIP canonical", HOST_IA32_SYSENTER_EIP },
	{ "host PERF_GLOBAL_CTRL with reserved bits",
	  { OR(VM_EXIT_CONTROLS, EXIT_LOAD_PERF_GLOBAL_CTRL),
	    SET(HOST_IA32_PERF_GLOBAL_CTRL, 1ull << 60) },
	  "host PERF_GLOBAL_CTRL reserved bits", HOST_IA32_PERF_GLOBAL_CTRL },
	{ "host PAT with memory type 2", { SET(HOST_IA32_PAT, 0x0407050600070102) },
	  "host PAT memory types", HOST_IA32_PAT },
	{ "host EFER with SVME, reserved on Intel", { OR(HOST_IA32_EFER, 1u << 12) },
	  "host EFER reserved bits", HOST_IA32_EFER },
	{ "host EFER without LMA", { CLR(HOST_IA32_EFER, 1u << 10) },
	  "host EFER.LMA/LME and address-space size", HOST_IA32_EFER },
	{ "host PKRS with bits 63:32",
	  { OR(CAP_TRUE_EXIT, (u64)EXIT_LOAD_PKRS << 32), OR(VM_EXIT_CONTROLS, EXIT_LOAD_PKRS),
	    SET(HOST_IA32_PKRS, 1ull << 32) }, "host PKRS bits 63:32", HOST_IA32_PKRS },
	{ "a host shadow-stack pointer not 4-byte aligned",
	  { OR(CAP_TRUE_EXIT, (u64)EXIT_LOAD_CET_STATE << 32),
	    OR(VM_EXIT_CONTROLS, EXIT_LOAD_CET_STATE), SET(HOST_S_CET, 0),
	    SET(HOST_SSP, 0xffffc90000a03ff2), SET(HOST_INTR_SSP_TABLE, 0) },
	  "host CET state", HOST_SSP },

	/* host state: segments and descriptor tables (27.2.3) */
	{ "host DS with RPL 3", { SET(HOST_DS_SELECTOR, 0x2b) }, "host selector RPL and TI",
	  HOST_DS_SELECTOR },
	{ "host TR in the LDT", { SET(HOST_TR_SELECTOR, 0x44) }, "host selector RPL and TI",
	  HOST_TR_SELECTOR },
	{ "a null host CS", { SET(HOST_CS_SELECTOR, 0) }, "host CS selector null",
	  HOST_CS_SELECTOR },
	{ "a null host TR", { SET(HOST_TR_SELECTOR, 0) }, "host TR selector null",
	  HOST_TR_SELECTOR },
	{ "a non-canonical host GS base", { SET(HOST_GS_BASE, 0x8000000000000000) },
	  "host FS/GS/TR/GDTR/IDTR base canonical", HOST_GS_BASE },
	{ "a non-canonical host IDTR base", { SET(HOST_IDTR_BASE, 0xfffe7e0000000000) },
	  "host FS/GS/TR/GDTR/IDTR base canonical", HOST_IDTR_BASE },

	/* host state: address-space size (27.2.4) */
	{ "a 32-bit host while the CPU is in IA-32e mode",
	  { CLR(VM_EXIT_CONTROLS, EXIT_HOST_ADDR_SPACE_SIZE) }, "host address-space size",
	  VM_EXIT_CONTROLS },
	{ "a 64-bit host without CR4.PAE", { CLR(HOST_CR4, CR4_PAE) },
	  "host CR4.PAE with a 64-bit host", HOST_CR4 },
	{ "a non-canonical host RIP", { SET(HOST_RIP, 0x00ffffffc0a01234) }, "host RIP",
	  HOST_RIP },

	/* guest state: control registers, debug registers, MSRs (27.3.1.1) */
	{ "guest CR0 without NE", { CLR(GUEST_CR0, 1u << 5) }, "guest CR0 fixed bits", GUEST_CR0 },
	{ "an unrestricted guest with paging but not protection",
	  { SECONDARY(CPU2_ENABLE_EPT | CPU2_UNRESTRICTED_GUEST), SET(EPT_POINTER, EPTP_WB_4),
	    CLR(GUEST_CR0, CR0_PE) }, "guest CR0.PG without CR0.PE", GUEST_CR0 },
	{ "guest CR4 without VMXE", { CLR(GUEST_CR4, CR4_VMXE) }, "guest CR4 fixed bits",
	  GUEST_CR4 },
	{ "guest CR4.CET without CR0.WP",
	  { OR(CAP_CR4_FIXED1, CR4_CET), OR(GUEST_CR4, CR4_CET), CLR(GUEST_CR0, CR0_WP) },
	  "guest CR4.CET without CR0.WP", GUEST_CR4 },
	{ "guest DEBUGCTL with reserved bit 2",
	  { OR(VM_ENTRY_CONTROLS, ENTRY_LOAD_DEBUG_CONTROLS), SET(GUEST_IA32_DEBUGCTL, 1u << 2) },
	  "guest DEBUGCTL reserved bits", GUEST_IA32_DEBUGCTL },
	{ "an IA-32e mode guest without CR4.PAE", { CLR(GUEST_CR4, CR4_PAE) },
	  "IA-32e mode guest without CR0.PG and CR4.PAE", GUEST_CR4 },
	{ "CR4.PCIDE in a 32-bit guest", { CLR(VM_ENTRY_CONTROLS, ENTRY_IA32E_MODE_GUEST) },
	  "guest CR4.PCIDE outside IA-32e mode", GUEST_CR4 },
	{ "guest CR3 beyond the physical-address width", { OR(GUEST_CR3, 1ull << 40) },
	  "guest CR3 beyond physical-address width", GUEST_CR3 },
	{ "guest DR7 with bit 32",
	  { OR(VM_ENTRY_CONTROLS, ENTRY_LOAD_DEBUG_CONTROLS), SET(GUEST_DR7, 0x400 | 1ull << 32) },
	  "guest DR7 bits 63:32", GUEST_DR7 },
	{ "a non-canonical guest SYSENTER_ESP", { SET(GUEST_SYSENTER_ESP, 0x0001000000000000) },
	  "guest SYSENTER_ESP/EIP canonical", GUEST_SYSENTER_ESP },
	{ "guest PERF_GLOBAL_CTRL with reserved bits",
	  { OR(VM_ENTRY_CONTROLS, ENTRY_LOAD_PERF_GLOBAL_CTRL),
	    SET(GUEST_IA32_PERF_GLOBAL_CTRL, 1ull << 63) },
	  "guest PERF_GLOBAL_CTRL reserved bits", GUEST_IA32_PERF_GLOBAL_CTRL },
	{ "guest PAT with memory type 3", { SET(GUEST_IA32_PAT, 0x0407050600070103) },
	  "guest PAT memory types", GUEST_IA32_PAT },
	{ "guest EFER with reserved bit 1", { OR(GUEST_IA32_EFER, 1u << 1) },
	  "guest EFER reserved bits", GUEST_IA32_EFER },
	{ "guest EFER without LMA for an IA-32e mode guest", { CLR(GUEST_IA32_EFER, 1u << 10) },
	  "guest EFER.LMA and IA-32e mode guest", GUEST_IA32_EFER },
	{ "guest EFER with LMA but not LME, paging on", { CLR(GUEST_IA32_EFER, 1u << 8) },
	  "guest EFER.LME and LMA with paging", GUEST_IA32_EFER },
	{ "guest BNDCFGS with reserved bit 2",
	  { OR(VM_ENTRY_CONTROLS, ENTRY_LOAD_BNDCFGS), SET(GUEST_BNDCFGS, 1u << 2) },
	  "guest BNDCFGS", GUEST_BNDCFGS },
	{ "guest S_CET with reserved bit 6",
	  { OR(CAP_TRUE_ENTRY, (u64)ENTRY_LOAD_CET_STATE << 32),
	    OR(VM_ENTRY_CONTROLS, ENTRY_LOAD_CET_STATE), SET(GUEST_S_CET, 1u << 6),
	    SET(GUEST_SSP, 0), SET(GUEST_INTR_SSP_TABLE, 0) }, "guest CET state", GUEST_S_CET },
	{ "guest PKRS with bits 63:32",
	  { OR(CAP_TRUE_ENTRY, (u64)ENTRY_LOAD_PKRS << 32), OR(VM_ENTRY_CONTROLS, ENTRY_LOAD_PKRS),
	    SET(GUEST_IA32_PKRS, 1ull << 40) }, "guest PKRS bits 63:32", GUEST_IA32_PKRS },

	/* guest state: segment registers (27.3.1.2) */
	{ "guest TR in the LDT", { SET(GUEST_TR_SELECTOR, 0x44) }, "guest TR selector TI",
	  GUEST_TR_SELECTOR },
	{ "a usable guest LDTR selector with TI",
	  { SET(GUEST_LDTR_SELECTOR, 0x54), SET(GUEST_LDTR_AR_BYTES, 0x82),
	    SET(GUEST_LDTR_LIMIT, 0xffff) }, "guest LDTR selector TI", GUEST_LDTR_SELECTOR },
	{ "guest SS with RPL 3 under a CPL 0 CS", { SET(GUEST_SS_SELECTOR, 0x3) },
	  "guest SS RPL and CS RPL", GUEST_SS_SELECTOR },
	{ "a virtual-8086 guest whose ES base is not its selector times 16",
	  { CLR(VM_ENTRY_CONTROLS, ENTRY_IA32E_MODE_GUEST), CLR(GUEST_CR4, CR4_PCIDE),
	    SET(GUEST_IA32_EFER, 0x801), SET(GUEST_RIP, 0x1000), OR(GUEST_RFLAGS, RFLAGS_VM) },
	  "guest virtual-8086 segment", GUEST_ES_BASE },
	{ "a non-canonical guest GS base", { SET(GUEST_GS_BASE, 0x0000800000000000) },
	  "guest segment base", GUEST_GS_BASE },
	{ "a usable guest DS with a base above 4 GiB", { SET(GUEST_DS_BASE, 1ull << 32) },
	  "guest segment base", GUEST_DS_BASE },
	{ "guest CS as a data segment", { SET(GUEST_CS_AR_BYTES, 0xa093) }, "guest CS type",
	  GUEST_CS_AR_BYTES },
	{ "a usable guest SS that is code", { SET(GUEST_SS_AR_BYTES, 0xc09b) }, "guest SS type",
	  GUEST_SS_AR_BYTES },
	{ "guest DS not accessed", { SET(GUEST_DS_AR_BYTES, 0xc0f2) }, "guest DS/ES/FS/GS type",
	  GUEST_DS_AR_BYTES },
	{ "guest DS as a system segment", { SET(GUEST_DS_AR_BYTES, 0xc0e3) },
	  "guest segment S bit", GUEST_DS_AR_BYTES },
	{ "guest SS DPL 1 with RPL 0", { SET(GUEST_SS_AR_BYTES, 0xc0b3) }, "guest SS DPL",
	  GUEST_SS_AR_BYTES },
	{ "guest CS DPL 3 with SS DPL 0", { SET(GUEST_CS_AR_BYTES, 0xa0fb) }, "guest CS DPL",
	  GUEST_CS_AR_BYTES },
	{ "guest DS DPL 0 with RPL 3", { SET(GUEST_DS_AR_BYTES, 0xc093) },
	  "guest DS/ES/FS/GS DPL", GUEST_DS_AR_BYTES },
	{ "guest DS not present", { SET(GUEST_DS_AR_BYTES, 0xc073) }, "guest segment present",
	  GUEST_DS_AR_BYTES },
	{ "guest CS with access-rights bit 8", { OR(GUEST_CS_AR_BYTES, 0x100) },
	  "guest segment access-rights reserved bits", GUEST_CS_AR_BYTES },
	{ "guest CS with both L and D", { OR(GUEST_CS_AR_BYTES, 0x4000) },
	  "guest CS.L with CS.D/B", GUEST_CS_AR_BYTES },
	{ "guest CS page-granular with limit bits 11:0 clear", { SET(GUEST_CS_LIMIT, 0xfffff000) },
	  "guest segment limit and G", GUEST_CS_LIMIT },
	{ "guest TR as a 16-bit TSS in IA-32e mode", { SET(GUEST_TR_AR_BYTES, 0x83) },
	  "guest TR type", GUEST_TR_AR_BYTES },
	{ "an unusable guest TR", { OR(GUEST_TR_AR_BYTES, 0x10000) }, "guest TR access rights",
	  GUEST_TR_AR_BYTES },
	{ "a usable guest LDTR of type 3",
	  { SET(GUEST_LDTR_SELECTOR, 0x50), SET(GUEST_LDTR_AR_BYTES, 0x83),
	    SET(GUEST_LDTR_LIMIT, 0xffff) }, "guest LDTR access rights", GUEST_LDTR_AR_BYTES },

	/* guest state: descriptor tables (27.3.1.3) */
	{ "a non-canonical guest GDTR base", { SET(GUEST_GDTR_BASE, 0x00007e0000000000 | 1ull << 47) },
	  "guest GDTR/IDTR base canonical", GUEST_GDTR_BASE },
	{ "a guest IDTR limit above 0xffff", { SET(GUEST_IDTR_LIMIT, 0x10000) },
	  "guest GDTR/IDTR limit bits 31:16", GUEST_IDTR_LIMIT },

	/* guest state: RIP and RFLAGS (27.3.1.4) */
	{ "a non-canonical guest RIP", { SET(GUEST_RIP, 0x7fffffffc0a01300) }, "guest RIP",
	  GUEST_RIP },
	{ "guest RFLAGS without bit 1", { SET(GUEST_RFLAGS, 0) }, "guest RFLAGS reserved bits",
	  GUEST_RFLAGS },
	{ "guest RFLAGS with reserved bit 15", { OR(GUEST_RFLAGS, 1u << 15) },
	  "guest RFLAGS reserved bits", GUEST_RFLAGS },
	{ "virtual-8086 mode in an IA-32e mode guest", { OR(GUEST_RFLAGS, RFLAGS_VM) },
	  "guest RFLAGS.VM in IA-32e mode or real mode", GUEST_RFLAGS },
	{ "an injected interrupt with RFLAGS.IF 0", { SET(VM_ENTRY_INTR_INFO_FIELD, 0x80000020) },
	  "guest RFLAGS.IF for an injected interrupt", GUEST_RFLAGS },

	/* guest state: non-register state (27.3.1.5) */
	{ "activity state 4", { SET(GUEST_ACTIVITY_STATE, 4) }, "guest activity state",
	  GUEST_ACTIVITY_STATE },
	{ "HLT at CPL 3",
	  { SET(GUEST_CS_SELECTOR, 0x33), SET(GUEST_CS_AR_BYTES, 0xa0fb),
	    SET(GUEST_SS_SELECTOR, 0x2b), SET(GUEST_SS_AR_BYTES, 0xc0f3),
	    SET(GUEST_SS_LIMIT, 0xffffffff), SET(GUEST_ACTIVITY_STATE, 1) },
	  "guest HLT state with SS.DPL not 0", GUEST_ACTIVITY_STATE },
	{ "HLT with STI blocking",
	  { SET(GUEST_ACTIVITY_STATE, 1), SET(GUEST_INTERRUPTIBILITY_INFO, 1),
	    OR(GUEST_RFLAGS, RFLAGS_IF) },
	  "guest inactive with STI or MOV-SS blocking", GUEST_ACTIVITY_STATE },
	{ "an interrupt injected into the shutdown state",
	  { SET(GUEST_ACTIVITY_STATE, 2), SET(VM_ENTRY_INTR_INFO_FIELD, 0x80000020),
	    OR(GUEST_RFLAGS, RFLAGS_IF) },
	  "guest activity state for the injected event", GUEST_ACTIVITY_STATE },
	{ "interruptibility bit 5", { SET(GUEST_INTERRUPTIBILITY_INFO, 1u << 5) },
	  "guest interruptibility reserved bits", GUEST_INTERRUPTIBILITY_INFO },
	{ "blocking by STI and by MOV SS",
	  { SET(GUEST_INTERRUPTIBILITY_INFO, 3), OR(GUEST_RFLAGS, RFLAGS_IF) },
	  "guest STI and MOV-SS blocking together", GUEST_INTERRUPTIBILITY_INFO },
	{ "blocking by STI with RFLAGS.IF 0", { SET(GUEST_INTERRUPTIBILITY_INFO, 1) },
	  "guest STI blocking with RFLAGS.IF 0", GUEST_INTERRUPTIBILITY_INFO },
	{ "an interrupt injected under MOV-SS blocking",
	  { SET(VM_ENTRY_INTR_INFO_FIELD, 0x80000020), OR(GUEST_RFLAGS, RFLAGS_IF),
	    SET(GUEST_INTERRUPTIBILITY_INFO, 2) },
	  "guest blocking for an injected interrupt", GUEST_INTERRUPTIBILITY_INFO },
	{ "an NMI injected under MOV-SS blocking",
	  { SET(VM_ENTRY_INTR_INFO_FIELD, 0x80000202), SET(GUEST_INTERRUPTIBILITY_INFO, 2) },
	  "guest MOV-SS blocking for an injected NMI", GUEST_INTERRUPTIBILITY_INFO },
	{ "an NMI injected under STI blocking",
	  { SET(VM_ENTRY_INTR_INFO_FIELD, 0x80000202), SET(GUEST_INTERRUPTIBILITY_INFO, 1),
	    OR(GUEST_RFLAGS, RFLAGS_IF) },
	  "guest STI blocking for an injected NMI", GUEST_INTERRUPTIBILITY_INFO },
	{ "blocking by SMI outside SMM", { SET(GUEST_INTERRUPTIBILITY_INFO, 4) },
	  "guest SMI blocking outside SMM", GUEST_INTERRUPTIBILITY_INFO },
	{ "a virtual NMI injected under NMI blocking",
	  { OR(PIN_BASED_VM_EXEC_CONTROL, PIN_VIRTUAL_NMIS),
	    SET(VM_ENTRY_INTR_INFO_FIELD, 0x80000202), SET(GUEST_INTERRUPTIBILITY_INFO, 8) },
	  "guest NMI blocking for an injected virtual NMI", GUEST_INTERRUPTIBILITY_INFO },
	{ "a pending debug exception with reserved bit 4",
	  { SET(GUEST_PENDING_DBG_EXCEPTIONS, 1u << 4) },
	  "guest pending debug exceptions reserved bits", GUEST_PENDING_DBG_EXCEPTIONS },
	{ "RFLAGS.TF under STI blocking without a pending single step",
	  { OR(GUEST_RFLAGS, RFLAGS_TF | RFLAGS_IF), SET(GUEST_INTERRUPTIBILITY_INFO, 1) },
	  "guest pending BS and RFLAGS.TF", GUEST_PENDING_DBG_EXCEPTIONS },
	{ "a pending RTM debug exception with B0",
	  { SET(GUEST_PENDING_DBG_EXCEPTIONS, 1u << 16 | 1u << 12 | 1) },
	  "guest pending RTM debug exception", GUEST_PENDING_DBG_EXCEPTIONS },
	{ "a VMCS link pointer not page-aligned", { SET(VMCS_LINK_POINTER, 0x1000010) },
	  "VMCS link pointer", VMCS_LINK_POINTER },

	/* guest state: PDPTEs (27.3.1.6): a 32-bit PAE guest under EPT */
	{ "a PDPTE with bits beyond the physical-address width",
	  { CLR(VM_ENTRY_CONTROLS, ENTRY_IA32E_MODE_GUEST), SET(GUEST_IA32_EFER, 0x801),
	    SET(GUEST_CS_AR_BYTES, 0xc09b), SET(GUEST_RIP, 0x1000), CLR(GUEST_CR4, CR4_PCIDE),
	    SECONDARY(CPU2_ENABLE_EPT), SET(EPT_POINTER, EPTP_WB_4),
	    SET(GUEST_PDPTR0, 0x2000001), SET(GUEST_PDPTR0 + 2, 0x3000001 | 1ull << 40),
	    SET(GUEST_PDPTR0 + 4, 0), SET(GUEST_PDPTR0 + 6, 0) },
	  "guest PDPTEs", GUEST_PDPTR0 + 2 },

	/* exitlat's own: every field the entry reads was written */
	{ "guest CR0 never written", { DEL(GUEST_CR0) }, "VMCS field not written", GUEST_CR0 },
	{ "VPID enabled but never written", { SECONDARY(CPU2_ENABLE_VPID) },
	  "VMCS field not written", VIRTUAL_PROCESSOR_ID },
	{ "the I/O bitmaps enabled but their addresses never written",
	  { OR(CPU_BASED_VM_EXEC_CONTROL, CPU_USE_IO_BITMAPS) }, "VMCS field not written",
	  IO_BITMAP_A },
};

static void apply(struct vmx_caps *caps, struct vmcs_image *img, const struct edit *e)
{
	u64 *cap = NULL, v = 0;
	unsigned int i;

	switch (e->field) {
	case CAP_CR4_FIXED1: cap = &caps->cr4_fixed1; break;
	case CAP_TRUE_EXIT: cap = &caps->true_exit; break;
	case CAP_TRUE_ENTRY: cap = &caps->true_entry; break;
	default: break;
	}
	if (cap) {
		*cap |= e->val;
		return;
	}
	switch (e->op) {
	case OP_DEL:
		for (i = 0; i < img->n && img->field[i] != e->field; i++)
			;
		cr_assert_lt(i, img->n, "field 0x%04x is not in the image", e->field);
		img->field[i] = img->field[img->n - 1];
		img->val[i] = img->val[--img->n];
		return;
	case OP_OR:
	case OP_CLR:
		cr_assert(vmcs_image_get(img, e->field, &v), "field 0x%04x is not in the image",
			  e->field);
		v = e->op == OP_OR ? v | e->val : v & ~e->val;
		break;
	default:
		v = e->val;
		break;
	}
	cr_assert_eq(vmcs_image_set(img, e->field, v), 0);
}

ParameterizedTestParameters(vmx_checks, one_broken_field_is_caught_by_its_rule)
{
	return cr_make_param_array(struct brk, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct brk *c, vmx_checks, one_broken_field_is_caught_by_its_rule)
{
	struct vmx_caps caps = fix_cpu_named("Gold 6140")->caps;
	const struct fix_host *fix = fix_host_named("debian-6.12-intel");
	struct vmx_check_result res;
	struct vmcs_image img;
	unsigned int rule;

	build(&caps, fix, EXITLAT_EXIT_CPUID, false, &img);
	assert_passes("Gold 6140", fix->name, EXITLAT_EXIT_CPUID, &caps, &img);
	for (size_t i = 0; i < sizeof(c->e) / sizeof(c->e[0]) && c->e[i].op != OP_NONE; i++)
		apply(&caps, &img, &c->e[i]);
	rule = vmx_check_vm_entry(&caps, &img, PHYS_BITS, &res);
	cr_assert_neq(rule, 0, "%s: every check passed", c->what);
	cr_assert_str_eq(res.name, c->rule, "%s: caught by \"%s\" (%s = 0x%llx)", c->what,
			 res.name, vmcs_field_name(res.field), (unsigned long long)res.value);
	cr_assert_str_eq(vmx_check_rule(rule)->name, res.name);
	if (c->field != NO_FIELD)
		cr_assert_eq(res.field, c->field, "%s: names %s, expected %s", c->what,
			     vmcs_field_name(res.field), vmcs_field_name(c->field));
}

Test(vmx_checks, the_broken_field_cases_cover_every_rule)
{
	unsigned int n = vmx_check_rule_count();
	int covered = 0;

	for (unsigned int r = 1; r <= n; r++) {
		const char *section = vmx_check_rule(r)->section;
		bool found = false;

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]) && !found; i++)
			for (unsigned int q = 1; q <= n && !found; q++)
				found = !strcmp(cases[i].rule, vmx_check_rule(q)->name) &&
					!strcmp(vmx_check_rule(q)->section, section);
		cr_assert(found, "no case breaks a rule of %s", section);
	}
	for (unsigned int r = 1; r <= n; r++)
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			if (!strcmp(cases[i].rule, vmx_check_rule(r)->name)) {
				covered++;
				break;
			}
	cr_assert_eq(covered, (int)n, "%d of %u rules have a case", covered, n);
}

static u64 image_field(const struct vmcs_image *img, u32 field)
{
	u64 v;

	cr_assert(vmcs_image_get(img, field, &v), "field 0x%04x not written", field);
	return v;
}

/*
 * intr-exit: the guest enters with RFLAGS.IF = 1, as a guest that takes
 * interrupts runs (with external-interrupt exiting IF does not matter on
 * hardware, SDM 26.2; Bochs 2.7 exits on an external interrupt only with
 * it), and nothing that blocks or delays the exit: no STI / MOV-SS
 * blocking, active, no pending debug exception, no injected event. The other
 * kinds keep IF = 0.
 */
Test(vmx_checks, intr_exit_enters_with_if_set_and_nothing_blocking_the_interrupt)
{
	for (int c = 0; c < fix_ncpus; c++) {
		for (int i = 0; i < fix_nhosts; i++) {
			struct vmcs_image img;

			if (strcmp(fix_hosts[i].vendor, "intel"))
				continue;
			build(&fix_cpus[c].caps, &fix_hosts[i], EXITLAT_EXIT_INTR_EXIT, false, &img);
			cr_assert_eq(image_field(&img, GUEST_RFLAGS), 0x202ull, "%s", fix_cpus[c].name);
			cr_assert_eq(image_field(&img, GUEST_INTERRUPTIBILITY_INFO), 0);
			cr_assert_eq(image_field(&img, GUEST_ACTIVITY_STATE), 0);
			cr_assert_eq(image_field(&img, GUEST_PENDING_DBG_EXCEPTIONS), 0);
			cr_assert_eq(image_field(&img, VM_ENTRY_INTR_INFO_FIELD), 0);
			assert_passes(fix_cpus[c].name, fix_hosts[i].name, EXITLAT_EXIT_INTR_EXIT,
				      &fix_cpus[c].caps, &img);
			build(&fix_cpus[c].caps, &fix_hosts[i], EXITLAT_EXIT_CPUID, false, &img);
			cr_assert_eq(image_field(&img, GUEST_RFLAGS), 0x2ull, "%s", fix_cpus[c].name);
		}
	}
}
