/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The timed part of every sample: TSC read, VM entry, VM exit, TSC read,
 * with nothing the compiler could move in between. Also the guest code,
 * which runs in the mirrored guest (host CR3, host segments) at CPL 0.
 *
 * Contract of the trip functions: the caller has interrupts off (and, for
 * SVM, GIF clear); they return 0 after a VM exit with trip->t0, ->t1 and
 * ->guest_tsc set, non-zero when the VM entry itself failed.
 */
#include <linux/linkage.h>
#include <linux/version.h>
#include <linux/objtool.h>
#include <asm/unwind_hints.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 18, 0)
#include <asm/ibt.h>
#endif

/*
 * objtool annotations (assembler macros of the kernel headers, so gated by
 * version): from 6.12 on the linked module is checked even with
 * OBJECT_FILES_NON_STANDARD. The VM exit lands on exitlat_vmx_host_rip with
 * the stack of the VMLAUNCH (SAVE/RESTORE), and the guest stubs are reached
 * only by the CPU loading the guest's RIP (no caller, no ENDBR).
 */
#ifndef RET
#define RET ret
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define GUEST_ENTRY_HINT UNWIND_HINT_UNDEFINED
#else
#define GUEST_ENTRY_HINT UNWIND_HINT_EMPTY
#endif
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 0, 0)
#define UNWIND_HINT_SAVE
#define UNWIND_HINT_RESTORE
#endif
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 18, 0)
#define ANNOTATE_NOENDBR
#endif
#ifndef ENDBR
#define ENDBR
#endif

#include "trip_abi.h"
#include "vmx_result.h"

.macro SAVE_HOST
	push %rbp
	mov %rsp, %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	push %rdi		/* the trip: (%rsp) again after the exit */
.endm

.macro RESTORE_HOST
	pop %rdi
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
.endm

/*
 * %rax = TSC (64 bit); clobbers %rdx. Every TSC read of a trip, of null and
 * of the guest stubs is this same fenced read: the LFENCE before keeps
 * earlier instructions from finishing after the read, the one after keeps
 * later ones (the VM entry) from starting before it (SDM Vol. 2B, RDTSC).
 * So null is exactly the instrument's own cost within a trip.
 */
.macro READ_TSC
	lfence
	rdtsc
	lfence
	shl $32, %rdx
	or %rdx, %rax
.endm

	.text
/*
 * int exitlat_vmx_trip(struct exitlat_trip *trip)
 * Returns 0 after a VM exit; on a VMfail, which instruction failed and how
 * (trip_abi.h: TRIP_FAILED_ENTRY or _HOST_RSP, shifted, or'ed with
 * VMX_FAIL_INVALID when CF is set or VMX_FAIL_VALID when ZF is: the caller
 * then reads the VM-instruction error).
 * On a VM exit the CPU loads RSP from HOST_RSP (this frame) and jumps to
 * exitlat_vmx_host_rip; every other register holds what the guest left.
 */
SYM_FUNC_START(exitlat_vmx_trip)
	SAVE_HOST
	mov $TRIP_VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax
	jc .Lvmx_vmwrite_invalid
	jz .Lvmx_vmwrite_valid
	mov TRIP_LAUNCHED(%rdi), %rbx
	READ_TSC
	mov %rax, TRIP_T0(%rdi)
	test %rbx, %rbx
	UNWIND_HINT_SAVE
	jnz .Lvmx_resume
	vmlaunch
	jmp .Lvmx_entry_fail
.Lvmx_resume:
	vmresume
.Lvmx_entry_fail:
	/* CF: VMfailInvalid, else (ZF) VMfailValid */
	mov $((TRIP_FAILED_ENTRY << TRIP_FAILED_SHIFT) | VMX_FAIL_VALID), %eax
	mov $((TRIP_FAILED_ENTRY << TRIP_FAILED_SHIFT) | VMX_FAIL_INVALID), %edx
	cmovc %edx, %eax
	jmp .Lvmx_out
.Lvmx_vmwrite_invalid:
	mov $((TRIP_FAILED_HOST_RSP << TRIP_FAILED_SHIFT) | VMX_FAIL_INVALID), %eax
	jmp .Lvmx_out
.Lvmx_vmwrite_valid:
	mov $((TRIP_FAILED_HOST_RSP << TRIP_FAILED_SHIFT) | VMX_FAIL_VALID), %eax
	jmp .Lvmx_out
SYM_INNER_LABEL(exitlat_vmx_host_rip, SYM_L_GLOBAL)
	UNWIND_HINT_RESTORE
	ENDBR
	READ_TSC
	mov (%rsp), %rdi
	mov %rax, TRIP_T1(%rdi)
	mov %r8, TRIP_GUEST_TSC(%rdi)	/* the guest stub's TSC read */
	xor %eax, %eax
.Lvmx_out:
	RESTORE_HOST
	RET
SYM_FUNC_END(exitlat_vmx_trip)

/*
 * int exitlat_svm_trip(struct exitlat_trip *trip, u64 vmcb_pa)
 * The caller has done CLGI. STI lets a physical interrupt be recognized in
 * the guest (an INTR exit) while GIF = 0 keeps it from the host; CLI after
 * the exit, then the caller's STGI. VMRUN restores RSP and RAX from the
 * host save area; the other registers hold what the guest left. Returns 0.
 */
SYM_FUNC_START(exitlat_svm_trip)
	SAVE_HOST
	mov %rsi, %rbx			/* VMCB physical address, for VMRUN's RAX */
	sti
	READ_TSC
	mov %rax, TRIP_T0(%rdi)
	mov %rbx, %rax
	vmrun %rax
	READ_TSC
	cli
	mov (%rsp), %rdi
	mov %rax, TRIP_T1(%rdi)
	mov %r8, TRIP_GUEST_TSC(%rdi)
	xor %eax, %eax
	RESTORE_HOST
	RET
SYM_FUNC_END(exitlat_svm_trip)

/*
 * int exitlat_svm_trip_vmload(struct exitlat_trip *trip, u64 vmcb_pa, u64 host_save_pa)
 * The trip KVM pays (__svm_vcpu_run): VMLOAD of the guest's VMCB before
 * VMRUN, VMSAVE of it after the #VMEXIT and VMLOAD of the host's save area,
 * all between the two TSC reads. Otherwise as exitlat_svm_trip. Returns 0.
 */
SYM_FUNC_START(exitlat_svm_trip_vmload)
	SAVE_HOST
	mov %rsi, %rbx			/* VMCB physical address */
	mov %rdx, %r12			/* the host save area's */
	sti
	READ_TSC
	mov %rax, TRIP_T0(%rdi)
	mov %rbx, %rax
	vmload %rax
	vmrun %rax
	vmsave %rax
	mov %r12, %rax
	vmload %rax
	READ_TSC
	cli
	mov (%rsp), %rdi
	mov %rax, TRIP_T1(%rdi)
	mov %r8, TRIP_GUEST_TSC(%rdi)
	xor %eax, %eax
	RESTORE_HOST
	RET
SYM_FUNC_END(exitlat_svm_trip_vmload)

/* void exitlat_null_trip(struct exitlat_trip *trip): the same TSC reads, no VM transition */
SYM_FUNC_START(exitlat_null_trip)
	READ_TSC
	mov %rax, TRIP_T0(%rdi)
	READ_TSC
	mov %rax, TRIP_T1(%rdi)
	RET
SYM_FUNC_END(exitlat_null_trip)

/*
 * Guest stubs. The host points the guest's RIP at exitlat_guest_NAME (round
 * trip) or exitlat_guest_NAME_split (the guest reads the TSC into R8 first)
 * before each entry; the instruction exits and is never retired. UD2 would
 * exit too (every exception is intercepted) and be reported as unexpected.
 */
.macro GUEST_BEGIN name:req
SYM_CODE_START(exitlat_guest_\name\()_split)
	GUEST_ENTRY_HINT
	ANNOTATE_NOENDBR
	READ_TSC
	mov %rax, %r8
SYM_INNER_LABEL(exitlat_guest_\name, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	xor %eax, %eax			/* CPUID leaf 0, hypercall number 0, port data 0 */
	xor %ecx, %ecx
.endm

.macro GUEST_END name:req
	ud2
SYM_CODE_END(exitlat_guest_\name\()_split)
.endm

/* A stub whose exiting instruction is its only one */
.macro GUEST_STUB name:req, insn:vararg
	GUEST_BEGIN \name
	\insn
	GUEST_END \name
.endm

GUEST_STUB cpuid, cpuid
GUEST_STUB vmcall, vmcall
GUEST_STUB vmmcall, vmmcall
GUEST_STUB pio, outb %al, $0xe7
GUEST_STUB hlt, hlt
GUEST_STUB cr8_read, mov %cr8, %rax
GUEST_STUB cr8_write, mov %rax, %cr8	/* TPR 0, which Linux keeps anyway */
GUEST_STUB wbinvd, wbinvd
GUEST_STUB rdpmc, rdpmc		/* counter 0 (ECX = 0) */

/* IA32_TSC_ADJUST (0x3b, EXITLAT_KIND_MSR), as the KVM side's kinds */
GUEST_BEGIN rdmsr
	mov $0x3b, %ecx
	rdmsr
GUEST_END rdmsr

GUEST_BEGIN wrmsr
	mov $0x3b, %ecx
	xor %edx, %edx
	wrmsr
GUEST_END wrmsr

/*
 * CR0.EM and CR4.MCE flipped: bits the host owns (guest/host masks, or the
 * SVM write intercept), so the MOV exits; the read before it does not.
 */
GUEST_BEGIN cr0_write
	mov %cr0, %rax
	xor $0x4, %rax
	mov %rax, %cr0
GUEST_END cr0_write

GUEST_BEGIN cr4_write
	mov %cr4, %rax
	xor $0x40, %rax
	mov %rax, %cr4
GUEST_END cr4_write

/*
 * intr-exit: an external interrupt is pending at every VM entry, so the exit
 * comes before the guest's first instruction. Should none be pending, the
 * guest's UD2 exits at once (#UD, intercepted) and the batch fails naming
 * that exit: no guest instruction that could block or loop ever runs.
 */
GUEST_BEGIN intr_exit
GUEST_END intr_exit

/*
 * XCR0 written with its own value: harmless should the exit ever fail to
 * happen (the KVM side, in its own guest, writes x87 only). XGETBV does not exit.
 */
GUEST_BEGIN xsetbv
	xgetbv
	xsetbv
GUEST_END xsetbv
