// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * VMCS control derivation (module/kernel/vmx_controls.c, the module's own
 * file) over the capability MSRs of 53 real Intel CPUs
 * (tests/data/vmx-capability-msrs.txt), checked against the allowed-0 /
 * allowed-1 rule computed here independently.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "exitlat/exit_kind_table.h"
#include "fixtures.h"
#include "../../module/kernel/vmx_controls.h"

/* The rule, written out again here: allowed-0 bits set, nothing beyond allowed-1. */
static int obeys(uint64_t cap, uint32_t v)
{
	uint32_t lo = (uint32_t)cap, hi = (uint32_t)(cap >> 32);

	return (v & lo) == lo && (v & ~hi) == 0;
}

static uint64_t governing(const struct vmx_caps *c, int word)
{
	int t = (c->basic >> 55) & 1;
	const uint64_t plain[] = { c->pinbased, c->procbased, c->exit, c->entry };
	const uint64_t tru[] = { c->true_pinbased, c->true_procbased, c->true_exit, c->true_entry };

	return t ? tru[word] : plain[word];
}

TestSuite(vmx_controls, .init = fix_init);

Test(vmx_controls, data_file_holds_53_cpus_with_basic_and_controls)
{
	cr_assert_eq(fix_ncpus, 53, "expected 53 CPUs in tests/data/vmx-capability-msrs.txt, read %d",
		     fix_ncpus);
	for (int i = 0; i < fix_ncpus; i++) {
		cr_assert_neq(fix_cpus[i].caps.basic, 0, "%s: no IA32_VMX_BASIC", fix_cpus[i].name);
		cr_assert_neq(fix_cpus[i].caps.procbased, 0, "%s: no PROCBASED_CTLS", fix_cpus[i].name);
		if (fix_cpus[i].caps.basic & VMX_BASIC_HAS_TRUE_CTLS)
			cr_assert_neq(fix_cpus[i].caps.true_procbased, 0,
				      "%s: BASIC[55] set but no TRUE_PROCBASED_CTLS", fix_cpus[i].name);
	}
}

Test(vmx_controls, every_cpu_every_kind_obeys_allowed0_allowed1)
{
	for (int i = 0; i < fix_ncpus; i++) {
		/* every kind the module measures (the table's, less those pending) */
		for (unsigned int k = 0; k < EXITLAT_EXIT_NR; k++) {
			struct vmx_controls ctl;
			enum vmx_ctl_word bad = VMX_CTL_NR;
			uint32_t missing = 0;
			int ret;

			if (!exitlat_native_ready(k))
				continue;
			ret = vmx_controls_for_kind(&fix_cpus[i].caps, k, &ctl, &bad, &missing);
			/* a kind refused only for a control this CPU cannot set (WBINVD exiting on a Core 2) */
			if (ret == -EOPNOTSUPP) {
				uint64_t cap = bad == VMX_CTL_PROC2 ? fix_cpus[i].caps.procbased2 :
					       governing(&fix_cpus[i].caps, bad);

				cr_assert(missing && !(missing & (uint32_t)(cap >> 32)),
					  "%s kind %u: refused bits 0x%x the CPU allows", fix_cpus[i].name,
					  k, missing);
				continue;
			}
			cr_assert_eq(ret, 0, "%s kind %u: error %d in word %d, missing 0x%x",
				     fix_cpus[i].name, k, ret, bad, missing);
			cr_assert(obeys(governing(&fix_cpus[i].caps, 0), ctl.pinbased), "%s: pin 0x%x",
				  fix_cpus[i].name, ctl.pinbased);
			cr_assert(obeys(governing(&fix_cpus[i].caps, 1), ctl.procbased), "%s: proc 0x%x",
				  fix_cpus[i].name, ctl.procbased);
			cr_assert(obeys(governing(&fix_cpus[i].caps, 2), ctl.exit), "%s: exit 0x%x",
				  fix_cpus[i].name, ctl.exit);
			cr_assert(obeys(governing(&fix_cpus[i].caps, 3), ctl.entry), "%s: entry 0x%x",
				  fix_cpus[i].name, ctl.entry);
		}
	}
}

Test(vmx_controls, every_cpu_gets_the_bits_exitlat_needs)
{
	for (int i = 0; i < fix_ncpus; i++) {
		struct vmx_controls ctl;
		enum vmx_ctl_word bad;
		uint32_t missing;

		cr_assert_eq(vmx_controls_for_kind(&fix_cpus[i].caps, EXITLAT_EXIT_HLT, &ctl, &bad,
						   &missing), 0);
		cr_assert(ctl.pinbased & PIN_EXT_INTR_EXITING, "%s: interrupts must exit", fix_cpus[i].name);
		cr_assert(ctl.pinbased & PIN_NMI_EXITING, "%s: NMIs must exit", fix_cpus[i].name);
		cr_assert(ctl.exit & EXIT_HOST_ADDR_SPACE_SIZE, "%s: 64-bit host", fix_cpus[i].name);
		cr_assert(ctl.entry & ENTRY_IA32E_MODE_GUEST, "%s: 64-bit guest", fix_cpus[i].name);
		cr_assert(ctl.procbased & CPU_HLT_EXITING, "%s: HLT must exit", fix_cpus[i].name);
		cr_assert_eq(vmx_controls_for_kind(&fix_cpus[i].caps, EXITLAT_EXIT_PIO, &ctl, &bad,
						   &missing), 0);
		cr_assert(ctl.procbased & CPU_UNCOND_IO_EXITING, "%s: I/O must exit", fix_cpus[i].name);
		cr_assert_eq(vmx_controls_for_kind(&fix_cpus[i].caps, EXITLAT_EXIT_CPUID, &ctl, &bad,
						   &missing), 0);
		cr_assert_eq(ctl.procbased & (CPU_HLT_EXITING | CPU_UNCOND_IO_EXITING),
			     (uint32_t)governing(&fix_cpus[i].caps, 1) &
			     (CPU_HLT_EXITING | CPU_UNCOND_IO_EXITING),
			     "%s: cpuid sets HLT/I/O exiting only where the CPU insists", fix_cpus[i].name);
	}
}

Test(vmx_controls, derived_word_is_exactly_must_be_1_plus_required_plus_allowed_optional)
{
	for (int i = 0; i < fix_ncpus; i++) {
		const struct vmx_caps *c = &fix_cpus[i].caps;
		struct vmx_controls ctl;
		enum vmx_ctl_word bad;
		uint32_t missing;
		uint64_t cap;

		cr_assert_eq(vmx_controls_for_kind(c, EXITLAT_EXIT_CPUID, &ctl, &bad, &missing), 0);
		cap = governing(c, 0);
		cr_assert_eq(ctl.pinbased, (uint32_t)cap | PIN_EXT_INTR_EXITING | PIN_NMI_EXITING,
			     "%s", fix_cpus[i].name);
		cap = governing(c, 1);
		cr_assert_eq(ctl.procbased, (uint32_t)cap, "%s: nothing beyond must-be-1",
			     fix_cpus[i].name);
		cap = governing(c, 2);
		cr_assert_eq(ctl.exit, (uint32_t)cap | EXIT_HOST_ADDR_SPACE_SIZE | EXIT_SAVE_DEBUG_CONTROLS |
			     ((EXIT_LOAD_EFER | EXIT_LOAD_PAT) & (uint32_t)(cap >> 32)), "%s",
			     fix_cpus[i].name);
		cap = governing(c, 3);
		cr_assert_eq(ctl.entry, (uint32_t)cap | ENTRY_IA32E_MODE_GUEST | ENTRY_LOAD_DEBUG_CONTROLS |
			     ((ENTRY_LOAD_EFER | ENTRY_LOAD_PAT) & (uint32_t)(cap >> 32)), "%s",
			     fix_cpus[i].name);
	}
}

Test(vmx_controls, true_msrs_drop_the_cr3_exiting_defaults)
{
	int with_true = 0, without = 0;

	for (int i = 0; i < fix_ncpus; i++) {
		const struct vmx_caps *c = &fix_cpus[i].caps;
		struct vmx_controls ctl;
		enum vmx_ctl_word bad;
		uint32_t missing;
		uint32_t cr3_exiting = (1u << 15) | (1u << 16);

		cr_assert_eq(vmx_controls_for_kind(c, EXITLAT_EXIT_CPUID, &ctl, &bad, &missing), 0);
		if (c->basic & VMX_BASIC_HAS_TRUE_CTLS) {
			with_true++;
			cr_assert_eq(vmx_ctl_cap(c, VMX_CTL_PROC), c->true_procbased);
			if (!((uint32_t)c->true_procbased & cr3_exiting))
				cr_assert_eq(ctl.procbased & cr3_exiting, 0,
					     "%s: TRUE_PROCBASED allows CR3 exiting off", fix_cpus[i].name);
		} else {
			without++;
			cr_assert_eq(vmx_ctl_cap(c, VMX_CTL_PROC), c->procbased);
			cr_assert_eq(ctl.procbased & cr3_exiting, cr3_exiting,
				     "%s: without TRUE MSRs CR3 exiting is a default-1 bit", fix_cpus[i].name);
		}
	}
	cr_assert_gt(with_true, 0);
	cr_assert_gt(without, 0, "the data should include CPUs without TRUE_* MSRs");
}

Test(vmx_controls, derive_refuses_a_required_bit_the_cpu_forbids)
{
	uint32_t out = 0xdeadbeef, missing = 0;
	/* allowed-1: bits 0-7 only; must-be-1: bit 1 */
	uint64_t cap = (0xffull << 32) | 0x2;

	cr_assert_eq(vmx_ctl_derive(cap, 1u << 9, 0, &out, &missing), -EOPNOTSUPP);
	cr_assert_eq(missing, 1u << 9);
	cr_assert_eq(out, 0xdeadbeef, "no output on error");
	cr_assert_eq(vmx_ctl_derive(cap, 1u << 3, 1u << 20, &out, &missing), 0);
	cr_assert_eq(out, (1u << 1) | (1u << 3), "optional bit 20 is not allowed: left out");
}

Test(vmx_controls, derive_rejects_an_inconsistent_msr)
{
	uint32_t out, missing;
	/* bit 4 must be 1 but may not be 1 */
	uint64_t cap = (0x0full << 32) | 0x10;

	cr_assert_eq(vmx_ctl_derive(cap, 0, 0, &out, &missing), -EINVAL);
	cr_assert_eq(missing, 0x10);
	cr_assert_not(vmx_ctl_valid(cap, 0x10));
}

Test(vmx_controls, enable_vpid_sets_it_exactly_where_the_cpu_allows_it)
{
	int with = 0, without = 0;

	for (int i = 0; i < fix_ncpus; i++) {
		const struct vmx_caps *c = &fix_cpus[i].caps;
		bool can = ((governing(c, 1) >> 32) & CPU_SECONDARY_CONTROLS) &&
			   ((c->procbased2 >> 32) & CPU2_ENABLE_VPID);
		struct vmx_controls ctl, before;
		enum vmx_ctl_word bad;
		uint32_t missing;

		cr_assert_eq(vmx_controls_for_kind(c, EXITLAT_EXIT_CPUID, &ctl, &bad, &missing), 0);
		cr_assert_eq(ctl.procbased2, 0, "%s: no secondary controls by default", fix_cpus[i].name);
		before = ctl;
		cr_assert_eq(vmx_controls_enable_vpid(c, &ctl), can, "%s", fix_cpus[i].name);
		if (!can) {
			cr_assert_eq(memcmp(&ctl, &before, sizeof(ctl)), 0, "%s: unchanged",
				     fix_cpus[i].name);
			without++;
			continue;
		}
		with++;
		cr_assert(ctl.procbased & CPU_SECONDARY_CONTROLS, "%s", fix_cpus[i].name);
		cr_assert(obeys(governing(c, 1), ctl.procbased), "%s: proc 0x%x", fix_cpus[i].name,
			  ctl.procbased);
		cr_assert(obeys(c->procbased2, ctl.procbased2), "%s: proc2 0x%x", fix_cpus[i].name,
			  ctl.procbased2);
		cr_assert_eq(ctl.procbased2 & ~(uint32_t)c->procbased2, CPU2_ENABLE_VPID,
			     "%s: VPID and the must-be-1 bits only", fix_cpus[i].name);
	}
	cr_assert_gt(with, 0);
	cr_assert_gt(without, 0, "the data should include CPUs without VPID");
}

Test(vmx_controls, unknown_kind_is_refused)
{
	struct vmx_controls ctl;
	enum vmx_ctl_word bad;
	uint32_t missing;

	for (unsigned int k = 0; k < EXITLAT_EXIT_NR; k++)
		if (exitlat_exits[k].native_domain == EXITLAT_DOMAIN_NONE)
			cr_assert_eq(vmx_controls_for_kind(&fix_cpus[0].caps, k, &ctl, &bad, &missing),
				     -EINVAL, "kind %u has no native side", k);
	cr_assert_eq(vmx_controls_for_kind(&fix_cpus[0].caps, EXITLAT_EXIT_NR + 5, &ctl, &bad, &missing),
		     -EINVAL);
}

Test(vmx_fixed, linux_cr0_and_cr4_obey_every_cpus_fixed_bits_once_vmxe_is_set)
{
	const uint64_t cr0 = 0x80050033;	/* PG WP NE ET MP PE: what Linux runs with */
	const uint64_t cr4 = 0x000006f0;	/* PGE PAE PSE MCE OSFXSR OSXMMEXCPT */
	const uint64_t vmxe = 1ull << 13;

	for (int i = 0; i < fix_ncpus; i++) {
		const struct vmx_caps *c = &fix_cpus[i].caps;

		cr_assert(vmx_fixed_ok(cr0, c->cr0_fixed0, c->cr0_fixed1), "%s", fix_cpus[i].name);
		cr_assert_not(vmx_fixed_ok(cr4, c->cr4_fixed0, c->cr4_fixed1),
			      "%s: CR4.VMXE is a fixed-1 bit", fix_cpus[i].name);
		cr_assert(vmx_fixed_ok(cr4 | vmxe, c->cr4_fixed0, c->cr4_fixed1), "%s", fix_cpus[i].name);
		cr_assert_eq(vmx_fixed_apply(cr4, c->cr4_fixed0, c->cr4_fixed1) & vmxe, vmxe);
	}
}

Test(vmx_fixed, apply_sets_fixed0_and_clears_outside_fixed1)
{
	for (int i = 0; i < fix_ncpus; i++) {
		const struct vmx_caps *c = &fix_cpus[i].caps;
		uint64_t r0 = vmx_fixed_apply(0, c->cr0_fixed0, c->cr0_fixed1);
		uint64_t r4 = vmx_fixed_apply(~0ull, c->cr4_fixed0, c->cr4_fixed1);

		cr_assert_eq(r0 & c->cr0_fixed0, c->cr0_fixed0, "%s", fix_cpus[i].name);
		cr_assert_eq(r0 & ~c->cr0_fixed1, 0, "%s", fix_cpus[i].name);
		cr_assert_eq(r4 & ~c->cr4_fixed1, 0, "%s", fix_cpus[i].name);
		cr_assert_eq(r4, c->cr4_fixed1, "%s: all allowed bits kept", fix_cpus[i].name);
		cr_assert_not(vmx_fixed_ok(0, c->cr0_fixed0, c->cr0_fixed1),
			      "%s: CR0 = 0 lacks PE/PG/NE", fix_cpus[i].name);
	}
}

/*
 * VPID only with INVVPID (single- or all-context): the module flushes its
 * VPID before the first entry and after the last exit, as KVM requires
 * (cpu_has_vmx_invvpid_single/global) before it enables VPID.
 */
Test(vmx_controls, vpid_is_not_enabled_without_invvpid)
{
	int checked = 0;

	for (int i = 0; i < fix_ncpus; i++) {
		struct vmx_caps c = fix_cpus[i].caps;
		struct vmx_controls ctl;
		enum vmx_ctl_word bad;
		uint32_t missing;

		cr_assert_eq(vmx_controls_for_kind(&c, EXITLAT_EXIT_CPUID, &ctl, &bad, &missing), 0);
		if (!vmx_controls_enable_vpid(&c, &ctl))
			continue;
		checked++;
		cr_assert_neq(vmx_invvpid_type(&c), 0, "%s: VPID on, but no INVVPID type", fix_cpus[i].name);
		c.ept_vpid &= ~(VMX_EPT_VPID_INVVPID | VMX_EPT_VPID_INVVPID_SINGLE |
				VMX_EPT_VPID_INVVPID_ALL);
		cr_assert_eq(vmx_controls_for_kind(&c, EXITLAT_EXIT_CPUID, &ctl, &bad, &missing), 0);
		cr_assert_not(vmx_controls_enable_vpid(&c, &ctl), "%s: VPID without INVVPID",
			      fix_cpus[i].name);
		cr_assert_eq(vmx_invvpid_type(&c), 0);
	}
	cr_assert_gt(checked, 10, "only %d CPUs with VPID in the data", checked);
}

/*
 * The mirror enters with its own DR7 (0x400) and IA32_DEBUGCTL (0), never the
 * host's breakpoints, and the exit saves them: KVM requires both controls.
 */
Test(vmx_controls, every_kind_loads_and_saves_the_guests_debug_controls)
{
	for (int i = 0; i < fix_ncpus; i++) {
		for (unsigned int k = 0; k < EXITLAT_EXIT_NR; k++) {
			struct vmx_controls ctl;
			enum vmx_ctl_word bad;
			uint32_t missing;

			if (vmx_controls_for_kind(&fix_cpus[i].caps, k, &ctl, &bad, &missing))
				continue;
			cr_assert(ctl.entry & ENTRY_LOAD_DEBUG_CONTROLS, "%s, kind %u: entry 0x%x",
				  fix_cpus[i].name, k, ctl.entry);
			cr_assert(ctl.exit & EXIT_SAVE_DEBUG_CONTROLS, "%s, kind %u: exit 0x%x",
				  fix_cpus[i].name, k, ctl.exit);
		}
	}
}
