// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The VMCB builder (module/kernel/vmcb_build.c) against svm.c's
 * svm_fill_vmcb() as it was (commit a56324b, transcribed below with the live
 * reads replaced by the fixture), and VMRUN's consistency checks
 * (svm_checks.c) on it: every kind on typical Debian 6.1 and 6.12 AMD hosts
 * (tests/data/linux-host-states.txt), with and without memory encryption,
 * then one broken field at a time, each case naming the rule that must
 * catch it.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "exitlat/exit_kinds.h"
#include "fixtures.h"
#include "../../module/kernel/segments.h"
#include "../../module/kernel/svm_checks.h"
#include "../../module/kernel/vmcb_build.h"

#define EFER_SVME	(1ull << 12)
#define IOPM_PA		0x0000000104c40000ull
#define MSRPM_PA	0x0000000104c50000ull
#define VMCB_PA		0x0000000104c3f000ull
#define HSAVE_PA	0x0000000104c3e000ull
#define STACK_VA	0xffffa3c2c1a3d000ull
#define GUEST_RIP_VA	0xffffffffc0a01300ull
#define C_BIT		(1ull << 47)		/* Zen: CPUID 0x8000001f EBX[5:0] = 47 */

/* A Zen 3/4: 48-bit physical addresses, 32768 ASIDs, NPT and flush-by-ASID. */
static const struct svm_check_env zen = {
	.phys_bits = 48,
	.nasid = 32768,
	.features = SVM_FEATURE_NPT | SVM_FEATURE_FLUSH_ASID,
	.vmcb_pa = VMCB_PA,
	.hsave_pa = HSAVE_PA,
};

/* The same CPU with memory encryption on: the C-bit on every address the CPU reads. */
static struct svm_check_env zen_sme(void)
{
	struct svm_check_env env = zen;

	env.sme_mask = C_BIT;
	env.vmcb_pa |= C_BIT;
	env.hsave_pa |= C_BIT;
	return env;
}

/* What svm_run() builds for @kind on host @fix, the C-bit set where @sme. */
static void build(struct vmcb *v, const struct fix_host *fix, unsigned int kind, bool sme)
{
	struct svm_intercepts ic;
	struct vmcb_build_args a = {
		.iopm_pa = IOPM_PA | (sme ? C_BIT : 0),
		.asid = 1,
		.efer = fix->hs.efer | EFER_SVME,
		.guest_rip = GUEST_RIP_VA,
		.guest_rsp = STACK_VA + 4096 - 64,
	};

	cr_assert_eq(svm_intercepts_for_kind(kind, &ic), 0);
	if (ic.misc1 & SVM_INTERCEPT_MSR_PROT)
		a.msrpm_pa = MSRPM_PA | (sme ? C_BIT : 0);
	vmcb_build(v, &ic, &fix->hs, &a);
}

static void assert_passes(const char *what, const struct vmcb *v, const struct svm_check_env *env)
{
	struct svm_check_result res;
	unsigned int rule = svm_check_vmrun(v, env, &res);

	cr_assert_eq(rule, 0, "%s: \"%s\" (%s) fails: %s = 0x%llx", what, res.name, res.section,
		     res.field, (unsigned long long)res.value);
}

TestSuite(svm_checks, .init = fix_init);

/* ---- svm_fill_vmcb() as it was, the live reads replaced by the fixture ---- */

static void old_svm_seg(struct vmcb_seg *s, u16 sel, const struct fix_host *h)
{
	int i = seg_gdt_index(sel);
	u64 desc = 0;

	if (i >= 0 && i * 8 + 7 <= h->hs.gdt_limit)
		desc = h->gdt[i];
	s->selector = sel;
	s->attrib = seg_svm_attrib(sel, desc);
	s->limit = desc ? seg_limit(desc) : 0;
	s->base = seg_base(desc, 0, false);
}

static void old_fill_vmcb(struct vmcb *v, const struct svm_intercepts *ic, u64 efer,
			  const struct fix_host *h)
{
	memset(v, 0, 4096);
	v->control.intercept_exceptions = ic->exceptions;
	v->control.intercept_misc1 = ic->misc1;
	v->control.intercept_misc2 = ic->misc2;
	v->control.iopm_base_pa = IOPM_PA;
	v->control.asid = 1;
	v->control.tlb_ctl = 1;			/* TLB_CONTROL_FLUSH_ALL */
	v->control.int_ctl = 1u << 24;		/* V_INTR_MASKING */
	old_svm_seg(&v->save.es, h->hs.sel[0], h);
	old_svm_seg(&v->save.cs, h->hs.sel[1], h);
	old_svm_seg(&v->save.ss, h->hs.sel[2], h);
	old_svm_seg(&v->save.ds, h->hs.sel[3], h);
	v->save.gdtr.base = h->hs.gdt_base;
	v->save.gdtr.limit = h->hs.gdt_limit;
	v->save.idtr.base = h->hs.idt_base;
	v->save.idtr.limit = h->hs.idt_limit;
	v->save.cpl = 0;
	v->save.efer = efer;
	v->save.cr0 = h->hs.cr0;
	v->save.cr3 = h->hs.cr3;
	v->save.cr4 = h->hs.cr4;
	v->save.dr6 = 0xffff0ff0;
	v->save.dr7 = 0x400;
	v->save.rflags = 0x2;			/* X86_EFLAGS_FIXED */
	v->save.rsp = STACK_VA + 4096 - 64;
	v->save.g_pat = h->hs.pat;
	/* svm_sample() then wrote the guest RIP before the first VMRUN */
	v->save.rip = GUEST_RIP_VA;
}

Test(svm_checks, the_vmcb_is_byte_for_byte_what_svm_fill_vmcb_wrote)
{
	static struct vmcb v, old;
	int checked = 0, ready = 0;

	/* the kinds the old code knew: no CR or MSR intercepts (issue 13's came later) */
	for (unsigned int k = 0; k < EXITLAT_EXIT_NR; k++) {
		struct svm_intercepts ic;

		ready += exitlat_native_ready(k) && !svm_intercepts_for_kind(k, &ic) && !ic.cr &&
			 !(ic.misc1 & SVM_INTERCEPT_MSR_PROT);
	}
	for (int i = 0; i < fix_nhosts; i++) {
		if (strcmp(fix_hosts[i].vendor, "amd"))
			continue;
		for (unsigned int k = 0; k < EXITLAT_EXIT_NR; k++) {
			struct svm_intercepts ic;

			if (!exitlat_native_ready(k))
				continue;
			cr_assert_eq(svm_intercepts_for_kind(k, &ic), 0);
			if (ic.cr || (ic.misc1 & SVM_INTERCEPT_MSR_PROT))
				continue;
			build(&v, &fix_hosts[i], k, false);
			memset(&old, 0xa5, sizeof(old));
			old_fill_vmcb(&old, &ic, fix_hosts[i].hs.efer | EFER_SVME, &fix_hosts[i]);
			for (size_t b = 0; b < sizeof(v); b++)
				cr_assert_eq(((u8 *)&v)[b], ((u8 *)&old)[b],
					     "%s, kind %u: VMCB byte 0x%zx", fix_hosts[i].name, k, b);
			checked++;
		}
	}
	cr_assert_eq(checked, 2 * ready);
}

Test(svm_checks, every_kind_passes_on_both_amd_hosts_with_and_without_memory_encryption)
{
	static struct vmcb v;
	const struct svm_check_env sme = zen_sme();

	for (int i = 0; i < fix_nhosts; i++) {
		if (strcmp(fix_hosts[i].vendor, "amd"))
			continue;
		for (unsigned int k = 0; k < EXITLAT_EXIT_NR; k++) {
			struct svm_intercepts ic;
			char what[96];

			if (svm_intercepts_for_kind(k, &ic))
				continue;	/* mmio and null-host: no native side */
			snprintf(what, sizeof(what), "%s, kind %u", fix_hosts[i].name, k);
			build(&v, &fix_hosts[i], k, false);
			assert_passes(what, &v, &zen);
			build(&v, &fix_hosts[i], k, true);
			assert_passes(what, &v, &sme);
		}
	}
}

Test(svm_checks, an_iopm_without_the_c_bit_fails_where_memory_is_encrypted)
{
	static struct vmcb v;
	const struct svm_check_env sme = zen_sme();
	struct svm_check_result res;

	build(&v, fix_host_named("debian-6.12-amd"), EXITLAT_EXIT_PIO, false);
	cr_assert_neq(svm_check_vmrun(&v, &sme, &res), 0);
	cr_assert_str_eq(res.name, "physical address without the SME C-bit");
	cr_assert_str_eq(res.field, "control.iopm_base_pa");
	cr_assert_eq(res.value, IOPM_PA);
}

Test(svm_checks, the_c_bit_does_not_count_against_maxphyaddr)
{
	static struct vmcb v;
	const struct svm_check_env sme = zen_sme();

	/* MAXPHYADDR 48 (Linux's x86_phys_bits says 43 after the SME reduction); C-bit 47 */
	build(&v, fix_host_named("debian-6.1-amd"), EXITLAT_EXIT_PIO, true);
	v.save.cr3 |= C_BIT;		/* Linux's CR3 carries it too */
	assert_passes("C-bit in CR3 and the IOPM", &v, &sme);
}

Test(svm_checks, the_vmload_state_mirrors_the_host)
{
	static struct vmcb v;
	const struct fix_host *fix = fix_host_named("debian-6.12-amd");
	struct svm_intercepts ic;
	struct vmcb_build_args a = {
		.iopm_pa = IOPM_PA, .asid = 1, .efer = fix->hs.efer | EFER_SVME,
		.guest_rsp = STACK_VA + 4096 - 64, .vmload = true,
	};

	cr_assert_eq(svm_intercepts_for_kind(EXITLAT_EXIT_CPUID, &ic), 0);
	vmcb_build(&v, &ic, &fix->hs, &a);
	cr_assert_eq(v.save.gs.selector, 0x63);
	cr_assert_eq(v.save.gs.base, fix->hs.gs_base, "the GS base MSR, not the TLS descriptor's");
	cr_assert_eq(v.save.gs.attrib, 0xcf3);
	cr_assert_eq(v.save.tr.selector, 0x40);
	cr_assert_eq(v.save.tr.base, 0xfffffe3a1c3f3000ull, "the TSS's 64-bit base");
	cr_assert_eq(v.save.tr.attrib, 0x08b, "a busy 64-bit TSS");
	cr_assert_eq(v.save.tr.limit, 0x4087);
	cr_assert_eq(v.save.ldtr.selector, 0);
	cr_assert_eq(v.save.ldtr.attrib, 0, "no LDT");
	cr_assert_eq(v.save.kernel_gs_base, fix->hs.kernel_gs_base);
	cr_assert_eq(v.save.lstar, fix->hs.lstar);
	cr_assert_eq(v.save.sysenter_eip, fix->hs.sysenter_eip);
	assert_passes("VMLOAD variant", &v, &zen);
}

Test(svm_checks, every_rule_has_a_unique_name_and_an_apm_section)
{
	unsigned int n = svm_check_rule_count();

	cr_assert_gt(n, 20);
	for (unsigned int i = 1; i <= n; i++) {
		cr_assert_not_null(svm_check_rule(i), "rule %u", i);
		cr_assert(!strncmp(svm_check_rule(i)->section, "APM ", 4), "rule %u", i);
		for (unsigned int j = 1; j < i; j++)
			cr_assert_str_neq(svm_check_rule(i)->name, svm_check_rule(j)->name);
	}
	cr_assert_null(svm_check_rule(0));
	cr_assert_null(svm_check_rule(n + 1));
}

/* ---- one broken field at a time ---- */

enum { OP_NONE, OP_SET, OP_OR, OP_CLR };
/* Pseudo-offsets: edits of the environment instead of the VMCB. */
#define ENV_VMCB_PA	0x10000
#define ENV_HSAVE_PA	0x10001
#define ENV_FEATURES	0x10002

struct edit {
	u32 off;
	u32 size;
	int op;
	u64 val;
};

struct brk {
	char what[96];
	struct edit e[4];
	char rule[64];
	char field[32];
};

#define F(m)		offsetof(struct vmcb, m), sizeof(((struct vmcb *)0)->m)
#define SET(m, v)	{ F(m), OP_SET, (v) }
#define OR(m, v)	{ F(m), OP_OR, (v) }
#define CLR(m, v)	{ F(m), OP_CLR, (v) }
#define ENV(o, v)	{ (o), 8, OP_SET, (v) }

/* Base: Debian 6.12 on Zen 4, the pio kind (IOIO intercepted), memory not encrypted. */
static struct brk cases[] = {
	{ "a VMCB not page-aligned", { ENV(ENV_VMCB_PA, VMCB_PA + 0x10) }, "VMCB address", "rAX" },
	{ "a VMCB beyond MAXPHYADDR", { ENV(ENV_VMCB_PA, 1ull << 48) }, "VMCB address", "rAX" },
	{ "a host save area not page-aligned", { ENV(ENV_HSAVE_PA, HSAVE_PA | 0x800) },
	  "host save area address", "VM_HSAVE_PA" },
	{ "VMRUN not intercepted", { CLR(control.intercept_misc2, SVM_INTERCEPT_VMRUN) },
	  "VMRUN intercept clear", "control.intercept_misc2" },
	{ "an IOPM whose last page is beyond MAXPHYADDR",
	  { SET(control.iopm_base_pa, (1ull << 48) - 0x2000) },
	  "IOPM beyond the physical-address width", "control.iopm_base_pa" },
	{ "an MSRPM beyond MAXPHYADDR", { SET(control.msrpm_base_pa, 1ull << 50) },
	  "MSRPM beyond the physical-address width", "control.msrpm_base_pa" },
	{ "ASID 0, the host's", { SET(control.asid, 0) }, "ASID is 0", "control.asid" },
	{ "an ASID the CPU does not have", { SET(control.asid, 40000) },
	  "ASID beyond the CPU's ASIDs", "control.asid" },
	{ "a reserved TLB control value", { SET(control.tlb_ctl, 2) }, "TLB control value",
	  "control.tlb_ctl" },
	{ "flush-by-ASID on a CPU without it",
	  { SET(control.tlb_ctl, TLB_CONTROL_FLUSH_ASID), ENV(ENV_FEATURES, SVM_FEATURE_NPT) },
	  "TLB control value", "control.tlb_ctl" },
	{ "nested paging on a CPU without it",
	  { SET(control.nested_ctl, VMCB_NP_ENABLE), ENV(ENV_FEATURES, SVM_FEATURE_FLUSH_ASID) },
	  "nested paging without the feature", "control.nested_ctl" },
	{ "a nested CR3 beyond MAXPHYADDR",
	  { SET(control.nested_ctl, VMCB_NP_ENABLE), SET(control.nested_cr3, 1ull << 52) },
	  "nested CR3 beyond the physical-address width", "control.nested_cr3" },
	{ "a guest PAT with type 2 under nested paging",
	  { SET(control.nested_ctl, VMCB_NP_ENABLE), SET(control.nested_cr3, 0x1000000),
	    SET(save.g_pat, 0x0407050600070102) },
	  "guest PAT with nested paging", "save.g_pat" },
	{ "EFER.SVME clear", { CLR(save.efer, EFER_SVME) }, "EFER.SVME clear", "save.efer" },
	{ "CR0.NW without CR0.CD", { OR(save.cr0, 1ull << 29) }, "CR0.NW without CR0.CD",
	  "save.cr0" },
	{ "CR0 bit 32", { OR(save.cr0, 1ull << 32) }, "CR0 bits 63:32", "save.cr0" },
	{ "CR3 beyond MAXPHYADDR in long mode", { OR(save.cr3, 1ull << 50) }, "CR3 reserved bits",
	  "save.cr3" },
	{ "CR4.VMXE, reserved on AMD", { OR(save.cr4, 1ull << 13) }, "CR4 reserved bits",
	  "save.cr4" },
	{ "DR6 bit 40", { OR(save.dr6, 1ull << 40) }, "DR6 bits 63:32", "save.dr6" },
	{ "DR7 bit 33", { OR(save.dr7, 1ull << 33) }, "DR7 bits 63:32", "save.dr7" },
	{ "EFER bit 9", { OR(save.efer, 1ull << 9) }, "EFER reserved bits", "save.efer" },
	{ "long mode without CR4.PAE", { CLR(save.cr4, 1ull << 5) },
	  "EFER.LME and CR0.PG without CR4.PAE", "save.cr4" },
	{ "long mode with paging but not protection", { CLR(save.cr0, 1) },
	  "EFER.LME and CR0.PG without CR0.PE", "save.cr0" },
	{ "a 64-bit CS with D set", { OR(save.cs.attrib, 1u << 10) }, "long mode with CS.L and CS.D",
	  "save.cs.attrib" },
	{ "CR4.CET without CR0.WP", { CLR(save.cr0, 1ull << 16) }, "CR4.CET without CR0.WP",
	  "save.cr4" },
	{ "S_CET bit 6", { SET(save.s_cet, 1u << 6) }, "S_CET reserved bits", "save.s_cet" },
	{ "an injected event of type 1", { SET(control.event_inj, 0x80000100) },
	  "event injection type", "control.event_inj" },
	{ "an injected exception with the NMI vector", { SET(control.event_inj, 0x80000302) },
	  "event injection vector", "control.event_inj" },
	{ "an injected exception with vector 32", { SET(control.event_inj, 0x80000320) },
	  "event injection vector", "control.event_inj" },
};

static void apply(struct vmcb *v, struct svm_check_env *env, const struct edit *e)
{
	u64 old = 0, val;

	switch (e->off) {
	case ENV_VMCB_PA: env->vmcb_pa = e->val; return;
	case ENV_HSAVE_PA: env->hsave_pa = e->val; return;
	case ENV_FEATURES: env->features = (u32)e->val; return;
	default: break;
	}
	cr_assert_leq(e->size, 8);
	memcpy(&old, (u8 *)v + e->off, e->size);
	val = e->op == OP_OR ? old | e->val : e->op == OP_CLR ? old & ~e->val : e->val;
	memcpy((u8 *)v + e->off, &val, e->size);
}

ParameterizedTestParameters(svm_checks, one_broken_field_is_caught_by_its_rule)
{
	return cr_make_param_array(struct brk, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct brk *c, svm_checks, one_broken_field_is_caught_by_its_rule)
{
	static struct vmcb v;
	struct svm_check_env env = zen;
	struct svm_check_result res;
	unsigned int rule;

	build(&v, fix_host_named("debian-6.12-amd"), EXITLAT_EXIT_PIO, false);
	assert_passes("base", &v, &env);
	for (size_t i = 0; i < sizeof(c->e) / sizeof(c->e[0]) && c->e[i].op != OP_NONE; i++)
		apply(&v, &env, &c->e[i]);
	rule = svm_check_vmrun(&v, &env, &res);
	cr_assert_neq(rule, 0, "%s: every check passed", c->what);
	cr_assert_str_eq(res.name, c->rule, "%s: caught by \"%s\" (%s = 0x%llx)", c->what,
			 res.name, res.field, (unsigned long long)res.value);
	cr_assert_str_eq(res.field, c->field, "%s", c->what);
	cr_assert_str_eq(svm_check_rule(rule)->name, res.name);
}

Test(svm_checks, the_broken_field_cases_cover_every_rule_but_the_c_bit_one)
{
	unsigned int n = svm_check_rule_count();

	for (unsigned int r = 1; r <= n; r++) {
		const char *name = svm_check_rule(r)->name;
		bool found = !strcmp(name, "physical address without the SME C-bit");

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]) && !found; i++)
			found = !strcmp(cases[i].rule, name);
		cr_assert(found, "no case breaks \"%s\"", name);
	}
}
