// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * VMRUN's checks: see svm_checks.h. One row per rule with the section of
 * the AMD APM Vol. 2 it comes from, applied in the order VMRUN meets them:
 * its operand (#GP), the control area, then the APM's list of illegal
 * guest-state combinations.
 */
#include "svm_checks.h"
#include "arch_bits.h"

/* X(id, name, section, outcome) */
#define SVM_RULES(X)								\
	X(VMCB_ADDRESS, "VMCB address", "APM Vol. 3 VMRUN", GP)		\
	X(HSAVE_ADDRESS, "host save area address", "APM 15.30.4", GP)		\
	X(C_BIT, "physical address without the SME C-bit", "APM 7.10", UNDEFINED) \
	X(VMRUN_INTERCEPT, "VMRUN intercept clear", "APM 15.5.1", VMEXIT_INVALID) \
	X(IOPM, "IOPM beyond the physical-address width", "APM 15.5.1", VMEXIT_INVALID) \
	X(MSRPM, "MSRPM beyond the physical-address width", "APM 15.5.1", VMEXIT_INVALID) \
	X(ASID_ZERO, "ASID is 0", "APM 15.5.1", VMEXIT_INVALID)		\
	X(ASID_RANGE, "ASID beyond the CPU's ASIDs", "APM 15.16", UNDEFINED)	\
	X(TLB_CONTROL, "TLB control value", "APM 15.16.1", UNDEFINED)		\
	X(NP_UNSUPPORTED, "nested paging without the feature", "APM 15.25", UNDEFINED) \
	X(NCR3, "nested CR3 beyond the physical-address width", "APM 15.25", VMEXIT_INVALID) \
	X(GPAT, "guest PAT with nested paging", "APM 15.25", VMEXIT_INVALID)	\
	X(SVME, "EFER.SVME clear", "APM 15.5.1", VMEXIT_INVALID)		\
	X(CR0_NW_CD, "CR0.NW without CR0.CD", "APM 15.5.1", VMEXIT_INVALID)	\
	X(CR0_HIGH, "CR0 bits 63:32", "APM 15.5.1", VMEXIT_INVALID)		\
	X(CR3_MBZ, "CR3 reserved bits", "APM 15.5.1", VMEXIT_INVALID)		\
	X(CR4_MBZ, "CR4 reserved bits", "APM 15.5.1", VMEXIT_INVALID)		\
	X(DR6_HIGH, "DR6 bits 63:32", "APM 15.5.1", VMEXIT_INVALID)		\
	X(DR7_HIGH, "DR7 bits 63:32", "APM 15.5.1", VMEXIT_INVALID)		\
	X(EFER_MBZ, "EFER reserved bits", "APM 15.5.1", VMEXIT_INVALID)	\
	X(LME_PG_PAE, "EFER.LME and CR0.PG without CR4.PAE", "APM 15.5.1", VMEXIT_INVALID) \
	X(LME_PG_PE, "EFER.LME and CR0.PG without CR0.PE", "APM 15.5.1", VMEXIT_INVALID) \
	X(CS_L_D, "long mode with CS.L and CS.D", "APM 15.5.1", VMEXIT_INVALID) \
	X(CET_WP, "CR4.CET without CR0.WP", "APM 15.5.1", VMEXIT_INVALID)	\
	X(S_CET, "S_CET reserved bits", "APM 15.5.1", VMEXIT_INVALID)		\
	X(EVENTINJ_TYPE, "event injection type", "APM 15.20", VMEXIT_INVALID)	\
	X(EVENTINJ_VECTOR, "event injection vector", "APM 15.20", VMEXIT_INVALID)

#define RULE_ENUM(id, name, section, outcome) R_##id,
enum svm_rule { R_NONE, SVM_RULES(RULE_ENUM) R_NR };
#undef RULE_ENUM

#define RULE_ROW(id, name, section, outcome) [R_##id] = { { name, section }, SVM_##outcome },
static const struct {
	struct check_rule r;
	enum svm_check_outcome outcome;
} rules[R_NR] = { SVM_RULES(RULE_ROW) };
#undef RULE_ROW

/* VME..LA57, FSGSBASE, PCIDE, OSXSAVE, SMEP, SMAP, PKE, CET: what AMD64 defines */
#define CR4_AMD_BITS		0xf71fffull
/* SCE, LME, LMA, NXE, SVME, LMSLE, FFXSR, TCE, MCOMMIT, INTWB, UAIE, AIBRSE */
#define EFER_AMD_BITS		0x36fd01ull
/* VMCB attributes: descriptor bits 40-47 at 0-7, 52-55 at 8-11 */
#define ATTR_L			EXITLAT_BIT(9)
#define ATTR_DB			EXITLAT_BIT(10)
#define INTERCEPT_MSR_PROT	EXITLAT_BIT(28)		/* VMCB 0x00c: MSRs through the MSRPM */
enum { EVENT_INTR = 0, EVENT_NMI = 2, EVENT_EXCEPTION = 3, EVENT_SOFT_INTR = 4 };

struct ctx {
	const struct vmcb *v;
	const struct svm_check_env *env;
	struct svm_check_result *res;
};

static unsigned int fail(struct ctx *c, enum svm_rule rule, const char *field, u64 value)
{
	*c->res = (struct svm_check_result){
		.rule = rule, .name = rules[rule].r.name, .section = rules[rule].r.section,
		.field = field, .value = value, .outcome = rules[rule].outcome,
	};
	return rule;
}

/* Whether @size bytes from physical address @pa (C-bit aside) are below MAXPHYADDR. */
static bool phys_ok(const struct ctx *c, u64 pa, u64 size)
{
	u64 last = (pa & ~c->env->sme_mask) + size - 1;

	return c->env->phys_bits >= 64 || !(last >> c->env->phys_bits);
}

/* Where memory is encrypted, the CPU reads these pages through their C-bit. */
static bool c_bit_ok(const struct ctx *c, u64 pa)
{
	return (pa & c->env->sme_mask) == c->env->sme_mask;
}

static unsigned int check_addresses(struct ctx *c)
{
	const struct svm_check_env *env = c->env;
	const struct vmcb_control *ctl = &c->v->control;

	if ((env->vmcb_pa & 0xfff) || !phys_ok(c, env->vmcb_pa, 4096))
		return fail(c, R_VMCB_ADDRESS, "rAX", env->vmcb_pa);
	if ((env->hsave_pa & 0xfff) || !phys_ok(c, env->hsave_pa, 4096))
		return fail(c, R_HSAVE_ADDRESS, "VM_HSAVE_PA", env->hsave_pa);
	if (!c_bit_ok(c, env->vmcb_pa))
		return fail(c, R_C_BIT, "rAX", env->vmcb_pa);
	if (!c_bit_ok(c, env->hsave_pa))
		return fail(c, R_C_BIT, "VM_HSAVE_PA", env->hsave_pa);
	if ((ctl->intercept_misc1 & SVM_INTERCEPT_IOIO) && !c_bit_ok(c, ctl->iopm_base_pa))
		return fail(c, R_C_BIT, "control.iopm_base_pa", ctl->iopm_base_pa);
	if ((ctl->intercept_misc1 & INTERCEPT_MSR_PROT) && !c_bit_ok(c, ctl->msrpm_base_pa))
		return fail(c, R_C_BIT, "control.msrpm_base_pa", ctl->msrpm_base_pa);
	return 0;
}

static unsigned int check_control(struct ctx *c)
{
	const struct vmcb_control *ctl = &c->v->control;
	const struct svm_check_env *env = c->env;
	unsigned int tlb = ctl->tlb_ctl;
	bool flush_asid = env->features & SVM_FEATURE_FLUSH_ASID;

	if (!(ctl->intercept_misc2 & SVM_INTERCEPT_VMRUN))
		return fail(c, R_VMRUN_INTERCEPT, "control.intercept_misc2", ctl->intercept_misc2);
	/* the CPU ignores the maps' low 12 bits */
	if (!phys_ok(c, ctl->iopm_base_pa & ~0xfffull, IOPM_SIZE))
		return fail(c, R_IOPM, "control.iopm_base_pa", ctl->iopm_base_pa);
	if (!phys_ok(c, ctl->msrpm_base_pa & ~0xfffull, MSRPM_SIZE))
		return fail(c, R_MSRPM, "control.msrpm_base_pa", ctl->msrpm_base_pa);
	if (!ctl->asid)
		return fail(c, R_ASID_ZERO, "control.asid", 0);
	if (env->nasid && ctl->asid >= env->nasid)
		return fail(c, R_ASID_RANGE, "control.asid", ctl->asid);
	if (tlb != TLB_CONTROL_DO_NOTHING && tlb != TLB_CONTROL_FLUSH_ALL &&
	    !(flush_asid && (tlb == TLB_CONTROL_FLUSH_ASID || tlb == TLB_CONTROL_FLUSH_ASID_LOCAL)))
		return fail(c, R_TLB_CONTROL, "control.tlb_ctl", tlb);
	if (!(ctl->nested_ctl & VMCB_NP_ENABLE))
		return 0;
	if (!(env->features & SVM_FEATURE_NPT))
		return fail(c, R_NP_UNSUPPORTED, "control.nested_ctl", ctl->nested_ctl);
	if (!phys_ok(c, ctl->nested_cr3, 1))
		return fail(c, R_NCR3, "control.nested_cr3", ctl->nested_cr3);
	if (!pat_valid(c->v->save.g_pat))
		return fail(c, R_GPAT, "save.g_pat", c->v->save.g_pat);
	return 0;
}

/* The APM's list of illegal guest-state combinations, in its order. */
static unsigned int check_save(struct ctx *c)
{
	const struct vmcb_save *s = &c->v->save;
	bool long_mode = (s->efer & EFER_LME) && (s->cr0 & CR0_PG);

	if (!(s->efer & EFER_SVME))
		return fail(c, R_SVME, "save.efer", s->efer);
	if ((s->cr0 & CR0_NW) && !(s->cr0 & CR0_CD))
		return fail(c, R_CR0_NW_CD, "save.cr0", s->cr0);
	if (s->cr0 >> 32)
		return fail(c, R_CR0_HIGH, "save.cr0", s->cr0);
	if (long_mode ? !phys_ok(c, s->cr3, 1) : (s->cr3 >> 32) != 0)
		return fail(c, R_CR3_MBZ, "save.cr3", s->cr3);
	if (s->cr4 & ~CR4_AMD_BITS)
		return fail(c, R_CR4_MBZ, "save.cr4", s->cr4);
	if (s->dr6 >> 32)
		return fail(c, R_DR6_HIGH, "save.dr6", s->dr6);
	if (s->dr7 >> 32)
		return fail(c, R_DR7_HIGH, "save.dr7", s->dr7);
	if (s->efer & ~EFER_AMD_BITS)
		return fail(c, R_EFER_MBZ, "save.efer", s->efer);
	if (long_mode && !(s->cr4 & CR4_PAE))
		return fail(c, R_LME_PG_PAE, "save.cr4", s->cr4);
	if (long_mode && !(s->cr0 & CR0_PE))
		return fail(c, R_LME_PG_PE, "save.cr0", s->cr0);
	if (long_mode && (s->cr4 & CR4_PAE) && (s->cs.attrib & ATTR_L) && (s->cs.attrib & ATTR_DB))
		return fail(c, R_CS_L_D, "save.cs.attrib", s->cs.attrib);
	if ((s->cr4 & CR4_CET) && !(s->cr0 & CR0_WP))
		return fail(c, R_CET_WP, "save.cr4", s->cr4);
	if (s->s_cet & S_CET_RESERVED)
		return fail(c, R_S_CET, "save.s_cet", s->s_cet);
	return 0;
}

/* An exception injected with a vector that is no exception (NMI's 2, or above 31) is illegal. */
static unsigned int check_event_injection(struct ctx *c)
{
	u32 e = c->v->control.event_inj;
	unsigned int type = EVENTINJ_TYPE(e), vector = EVENTINJ_VECTOR(e);

	if (!(e & EVENTINJ_VALID))
		return 0;
	if (type != EVENT_INTR && type != EVENT_NMI && type != EVENT_EXCEPTION &&
	    type != EVENT_SOFT_INTR)
		return fail(c, R_EVENTINJ_TYPE, "control.event_inj", e);
	if (type == EVENT_EXCEPTION && (vector == 2 || vector > 31))
		return fail(c, R_EVENTINJ_VECTOR, "control.event_inj", e);
	return 0;
}

unsigned int svm_check_vmrun(const struct vmcb *v, const struct svm_check_env *env,
			     struct svm_check_result *res)
{
	struct ctx c = { .v = v, .env = env, .res = res };
	unsigned int r;

	*res = (struct svm_check_result){ .name = "none", .section = "", .field = "" };
	r = check_addresses(&c);
	if (!r)
		r = check_control(&c);
	if (!r)
		r = check_save(&c);
	if (!r)
		r = check_event_injection(&c);
	return r;
}

const struct check_rule *svm_check_rule(unsigned int rule)
{
	return rule > R_NONE && rule < R_NR ? &rules[rule].r : NULL;
}

unsigned int svm_check_rule_count(void)
{
	return R_NR - 1;
}
