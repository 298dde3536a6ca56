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

/* Result of a VMX instruction: SDM Vol. 3, 31.2 */
#define VMX_OK			0
#define VMX_FAIL_INVALID	1	/* CF = 1: no current VMCS */
#define VMX_FAIL_VALID		2	/* ZF = 1: VM-instruction error field says why */

static __always_inline int vmx_result(u8 cf, u8 zf)
{
	return cf ? VMX_FAIL_INVALID : zf ? VMX_FAIL_VALID : VMX_OK;
}

struct dtr {
	u16 limit;
	u64 base;
} __attribute__((packed));

static __always_inline int el_vmxon(u64 pa)
{
	u8 cf, zf;

	asm volatile("vmxon %[pa]\n\tsetc %[cf]\n\tsetz %[zf]"
		     : [cf] "=qm"(cf), [zf] "=qm"(zf)
		     : [pa] "m"(pa)
		     : "cc", "memory");
	return vmx_result(cf, zf);
}

static __always_inline void el_vmxoff(void)
{
	asm volatile("vmxoff" : : : "cc", "memory");
}

static __always_inline int el_vmclear(u64 pa)
{
	u8 cf, zf;

	asm volatile("vmclear %[pa]\n\tsetc %[cf]\n\tsetz %[zf]"
		     : [cf] "=qm"(cf), [zf] "=qm"(zf)
		     : [pa] "m"(pa)
		     : "cc", "memory");
	return vmx_result(cf, zf);
}

static __always_inline int el_vmptrld(u64 pa)
{
	u8 cf, zf;

	asm volatile("vmptrld %[pa]\n\tsetc %[cf]\n\tsetz %[zf]"
		     : [cf] "=qm"(cf), [zf] "=qm"(zf)
		     : [pa] "m"(pa)
		     : "cc", "memory");
	return vmx_result(cf, zf);
}

/* The current-VMCS pointer, ~0 when there is none. */
static __always_inline u64 el_vmptrst(void)
{
	u64 pa;

	asm volatile("vmptrst %[pa]" : [pa] "=m"(pa) : : "memory");
	return pa;
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

static __always_inline void el_write_cr4(u64 v)
{
	asm volatile("mov %[v], %%cr4" : : [v] "r"(v) : "memory");
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

#endif
