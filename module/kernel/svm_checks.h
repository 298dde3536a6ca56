/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The checks VMRUN makes on a VMCB (AMD APM Vol. 2, 15.5.1 "Canonicalization
 * and Consistency Checks", event injection 15.20, ASIDs and TLB control
 * 15.16, nested paging 15.25) and the #GP conditions of VMRUN's and
 * VM_HSAVE_PA's physical addresses, with the SME C-bit: on a host with
 * memory encryption every physical address the CPU reads (VMCB, host save
 * area, permission maps) must carry it, and it does not count against
 * MAXPHYADDR. The module runs them before the first VMRUN of a batch, so a
 * VMCB the CPU would refuse (#VMEXIT VMEXIT_INVALID) is named by its rule.
 *
 * Limits of a pure model: the processor is taken to support long mode;
 * reserved bits of CR4 and EFER are those no AMD CPU defines; CR3's low
 * reserved bits and guest memory (PDPTEs) are not checked.
 * Pure logic: no hardware access.
 */
#ifndef EXITLAT_SVM_CHECKS_H
#define EXITLAT_SVM_CHECKS_H

#include "check_rules.h"
#include "compat.h"
#include "vmcb_build.h"

/* The CPU and the addresses VMRUN uses besides the VMCB's own fields. */
struct svm_check_env {
	unsigned int phys_bits;	/* MAXPHYADDR: CPUID 0x80000008 EAX[7:0] */
	u64 sme_mask;		/* the C-bit where memory encryption is on, else 0 */
	u32 nasid;		/* ASIDs: CPUID 0x8000000a EBX (0: not checked) */
	u32 features;		/* SVM features: CPUID 0x8000000a EDX */
	u64 vmcb_pa;		/* VMRUN's rAX */
	u64 hsave_pa;		/* VM_HSAVE_PA */
};

/* CPUID 0x8000000a EDX */
#define SVM_FEATURE_NPT		EXITLAT_BIT(0)
#define SVM_FEATURE_FLUSH_ASID	EXITLAT_BIT(6)

/* What the CPU does with a VMCB that breaks a rule. */
enum svm_check_outcome {
	SVM_VMEXIT_INVALID,	/* #VMEXIT with exit code VMEXIT_INVALID (-1) */
	SVM_GP,			/* VMRUN or WRMSR raises #GP */
	SVM_UNDEFINED,		/* the APM leaves it undefined: exitlat refuses it */
};

struct svm_check_result {
	unsigned int rule;	/* 0 when every check passed */
	const char *name;	/* "CR0.NW without CR0.CD" */
	const char *section;	/* "APM 15.5.1" */
	const char *field;	/* "save.cr0" */
	u64 value;
	enum svm_check_outcome outcome;
};

/* Returns 0, or the number of the first rule @v breaks, with *@res saying which and why. */
unsigned int svm_check_vmrun(const struct vmcb *v, const struct svm_check_env *env,
			     struct svm_check_result *res);

/* Rule number @rule (1 .. svm_check_rule_count()), or NULL outside the table. */
const struct check_rule *svm_check_rule(unsigned int rule);
unsigned int svm_check_rule_count(void);

#endif
