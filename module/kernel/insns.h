/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Privileged-instruction wrappers, one per instruction, named after the
 * mnemonic with an el_ prefix (the kernel's own rdmsr(), read_cr4() etc.
 * are macros or paravirt calls with other signatures). Each is `asm volatile`: many of these instructions change no
 * general-purpose register, and an asm without volatile whose outputs go
 * unused may be deleted by the compiler (the seed project lost VMXOFF,
 * VMWRITE, SIDT, LIDT and a CR4 write that way). Clobbers, one by one:
 *   "cc"     - VMX instructions report VMfail in CF/ZF;
 *   "memory" - the instruction reads or writes memory the compiler cannot
 *              see through its operands (VMXON region, VMCS, descriptor
 *              tables, CR4/MSR state that orders later memory accesses).
 * `make check-insns` (scripts/check-insns) proves every call survives
 * compilation. Also compiled in user space by that check: never executed there.
 */
#ifndef EXITLAT_INSNS_H
#define EXITLAT_INSNS_H

#include "compat.h"
#include "vmx_result.h"

static __always_inline int vmx_result(u8 cf, u8 zf)
{
	return cf ? VMX_FAIL_INVALID : zf ? VMX_FAIL_VALID : VMX_OK;
}

struct dtr {
	u16 limit;
	u64 base;
} __attribute__((packed));

/*
 * One operand-in, flags-out VMX instruction with an exception-table entry:
 * asm goto (implicitly volatile) branches to the failure labels on CF / ZF.
 */
#define EL_VMX_OP1(insn, op)						\
	do {								\
		asm goto("1: " insn " %[pa]\n\t"				\
			 "jc %l[fail_invalid]\n\t"			\
			 "jz %l[fail_valid]\n\t"				\
			 _ASM_EXTABLE(1b, %l[fault])			\
			 : : [pa] "m"(op) : "cc", "memory"		\
			 : fail_invalid, fail_valid, fault);		\
		return VMX_OK;						\
	fail_invalid:							\
		return VMX_FAIL_INVALID;				\
	fail_valid:							\
		return VMX_FAIL_VALID;					\
	fault:								\
		return VMX_FAULT;					\
	} while (0)

static __always_inline int el_vmxon(u64 pa)
{
	EL_VMX_OP1("vmxon", pa);
}

static __always_inline int el_vmxoff(void)
{
	asm goto("1: vmxoff\n\t"
		 "jc %l[fail_invalid]\n\t"
		 "jz %l[fail_valid]\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : : "cc", "memory" : fail_invalid, fail_valid, fault);
	return VMX_OK;
fail_invalid:
	return VMX_FAIL_INVALID;
fail_valid:
	return VMX_FAIL_VALID;
fault:
	return VMX_FAULT;
}

static __always_inline int el_vmclear(u64 pa)
{
	EL_VMX_OP1("vmclear", pa);
}

static __always_inline int el_vmptrld(u64 pa)
{
	EL_VMX_OP1("vmptrld", pa);
}

/*
 * The current-VMCS pointer into *pa (~0 when there is none); VMX_FAULT when
 * the CPU is not in VMX operation, whatever CR4.VMXE says.
 */
static __always_inline int el_vmptrst(u64 *pa)
{
	asm goto("1: vmptrst %[pa]\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : [pa] "m"(*pa) : "memory" : fault);
	return VMX_OK;
fault:
	return VMX_FAULT;
}

/* INVVPID types (SDM Vol. 3C, 31.3, INVVPID) */
#define INVVPID_SINGLE_CONTEXT	1
#define INVVPID_ALL_CONTEXT	2

/* Invalidates the TLB entries tagged with @vpid (@type: single context) or every VPID's. */
static __always_inline int el_invvpid(u64 type, u16 vpid)
{
	struct {
		u64 vpid;	/* bits 15:0; 63:16 reserved, zero */
		u64 gla;
	} desc = { .vpid = vpid, .gla = 0 };

	asm goto("1: invvpid %[desc], %[type]\n\t"
		 "jc %l[fail_invalid]\n\t"
		 "jz %l[fail_valid]\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : [desc] "m"(desc), [type] "r"(type) : "cc", "memory"
		 : fail_invalid, fail_valid, fault);
	return VMX_OK;
fail_invalid:
	return VMX_FAIL_INVALID;
fail_valid:
	return VMX_FAIL_VALID;
fault:
	return VMX_FAULT;
}

static __always_inline int el_vmread(u64 field, u64 *val)
{
	u8 cf, zf;

	asm volatile("vmread %[field], %[val]\n\tsetc %[cf]\n\tsetz %[zf]"
		     : [val] "=r"(*val), [cf] "=qm"(cf), [zf] "=qm"(zf)
		     : [field] "r"(field)
		     : "cc");
	return vmx_result(cf, zf);
}

static __always_inline int el_vmwrite(u64 field, u64 val)
{
	u8 cf, zf;

	asm volatile("vmwrite %[val], %[field]\n\tsetc %[cf]\n\tsetz %[zf]"
		     : [cf] "=qm"(cf), [zf] "=qm"(zf)
		     : [field] "r"(field), [val] "r"(val)
		     : "cc", "memory");
	return vmx_result(cf, zf);
}

static __always_inline void el_clgi(void)
{
	asm volatile("clgi" : : : "memory");
}

static __always_inline void el_stgi(void)
{
	asm volatile("stgi" : : : "memory");
}

static __always_inline u64 el_rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr) : "memory");
	return lo | ((u64)hi << 32);
}

static __always_inline void el_wrmsr(u32 msr, u64 val)
{
	asm volatile("wrmsr"
		     : : "c"(msr), "a"((u32)val), "d"((u32)(val >> 32))
		     : "memory");
}

static __always_inline u64 el_read_cr0(void)
{
	u64 v;

	asm volatile("mov %%cr0, %[v]" : [v] "=r"(v));
	return v;
}

static __always_inline u64 el_read_cr3(void)
{
	u64 v;

	asm volatile("mov %%cr3, %[v]" : [v] "=r"(v));
	return v;
}

static __always_inline u64 el_read_cr4(void)
{
	u64 v;

	asm volatile("mov %%cr4, %[v]" : [v] "=r"(v));
	return v;
}

static __always_inline void el_sgdt(struct dtr *d)
{
	asm volatile("sgdt %[d]" : [d] "=m"(*d));
}

static __always_inline void el_sidt(struct dtr *d)
{
	asm volatile("sidt %[d]" : [d] "=m"(*d));
}

static __always_inline void el_lgdt(const struct dtr *d)
{
	asm volatile("lgdt %[d]" : : [d] "m"(*d) : "memory");
}

static __always_inline void el_lidt(const struct dtr *d)
{
	asm volatile("lidt %[d]" : : [d] "m"(*d) : "memory");
}

static __always_inline u16 el_str(void)
{
	u16 sel;

	asm volatile("str %[sel]" : [sel] "=r"(sel));
	return sel;
}

/* A VM exit leaves LDTR null (SDM 28.5.2): the batch saves and reloads it, as KVM does. */
static __always_inline u16 el_sldt(void)
{
	u16 sel;

	asm volatile("sldt %[sel]" : [sel] "=r"(sel));
	return sel;
}

static __always_inline void el_lldt(u16 sel)
{
	asm volatile("lldt %[sel]" : : [sel] "r"(sel) : "memory");
}

/* VMLOAD / VMSAVE: the state VMRUN leaves alone (FS, GS, TR, LDTR, syscall MSRs), APM 15.5.2 */
static __always_inline void el_vmload(u64 pa)
{
	asm volatile("vmload %%rax" : : "a"(pa) : "memory");
}

static __always_inline void el_vmsave(u64 pa)
{
	asm volatile("vmsave %%rax" : : "a"(pa) : "memory");
}

#endif
