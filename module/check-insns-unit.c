// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * scripts/check-insns compiles this in user space (never runs it): each
 * wrapper of module/kernel/insns.h is called with its result unused, and
 * the disassembly must still hold each instruction as many times as it is
 * called here (the table in scripts/check-insns). Not part of any program.
 */
#include "kernel/insns.h"

#define CALLER __attribute__((noinline, used))

CALLER void call_vmxon(void) { el_vmxon(0x1000); }
CALLER void call_vmxoff(void) { el_vmxoff(); }
CALLER void call_vmclear(void) { el_vmclear(0x2000); }
CALLER void call_vmptrld(void) { el_vmptrld(0x3000); }
CALLER void call_vmptrst(void) { u64 pa; el_vmptrst(&pa); }
CALLER void call_vmread(void) { u64 v; el_vmread(0x4402, &v); }
/* twice: the count must follow the calls, not just be non-zero */
CALLER void call_vmwrite(void) { el_vmwrite(0x681e, 1); el_vmwrite(0x681c, 2); }
CALLER void call_clgi(void) { el_clgi(); }
CALLER void call_stgi(void) { el_stgi(); }
CALLER void call_rdmsr(void) { el_rdmsr(0xc0000080); }
CALLER void call_wrmsr(void) { el_wrmsr(0xc0010117, 0); }
CALLER void call_read_cr0(void) { el_read_cr0(); }
CALLER void call_read_cr3(void) { el_read_cr3(); }
CALLER void call_read_cr4(void) { el_read_cr4(); }
CALLER void call_sgdt(void) { struct dtr d; el_sgdt(&d); }
CALLER void call_sidt(void) { struct dtr d; el_sidt(&d); }
CALLER void call_lgdt(const struct dtr *d) { el_lgdt(d); }
CALLER void call_lidt(const struct dtr *d) { el_lidt(d); }
CALLER void call_str(void) { el_str(); }
CALLER void call_sldt(void) { el_sldt(); }
CALLER void call_lldt(void) { el_lldt(0x50); }
CALLER void call_vmload(void) { el_vmload(0x5000); }
CALLER void call_vmsave(void) { el_vmsave(0x6000); }
CALLER void call_invvpid(void) { el_invvpid(1, 0xffff); }
