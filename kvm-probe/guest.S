/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The probe's guest: one loop per exit kind, in 64-bit and in real mode,
 * plus exception stubs that report any fault to the host through a port.
 *
 * These bytes are never run by the host: kvm-probe copies guest_code_start..
 * guest_code_end to GUEST_CODE in the guest and enters at
 * GUEST_CODE + (entry - guest_code_start). Only relative jumps and absolute
 * guest addresses from layout.h are used, so the copy runs where it lands.
 *
 * Host-timed loops execute the exiting instruction forever: every KVM_RUN
 * returns after exactly one of them. Guest-timed loops fill GUEST_BATCH
 * (the mailbox's MB_BATCH) deltas into GUEST_BUF, then OUT to PORT_REPORT.
 *
 * Timestamp order (Intel SDM vol. 2, RDTSC; AMD APM vol. 3, RDTSC, with
 * LFENCE dispatch serializing as Linux configures AMD CPUs):
 *   LFENCE; RDTSC   the start read waits for every earlier instruction
 *                   (the previous sample's bookkeeping) to finish,
 *   LFENCE          and the timed instruction starts only after it;
 *   LFENCE; RDTSC   the end read waits for the timed instruction to finish.
 * RDTSCP would order the end read the same way, but it is missing from some
 * guest CPU models (QEMU's qemu64 without +rdtscp), where it would #UD.
 */
#include "layout.h"

	.section .note.GNU-stack, "", @progbits
	.section .rodata.kvm_probe_guest, "a"
	.globl guest_code_start, guest_code_end

guest_code_start:

/* ------------------------------------------------------------- 64-bit */
	.code64

	.globl guest64_pio, guest64_mmio, guest64_hlt
guest64_pio:
1:	out	%al, $PORT_EXIT
	jmp	1b

guest64_mmio:
1:	movb	%al, (GUEST_MMIO)
	jmp	1b

guest64_hlt:
1:	hlt
	jmp	1b

/*
 * The operand set-up (EAX = leaf or hypercall number, the rest 0) sits after
 * the start read in every kind, null included, so the null kind costs what
 * the others cost apart from INSN. r9 holds the start time (untouched by CPUID and by KVM's
 * hypercall, which returns in RAX only).
 */
.macro TIMED64 name, eax, insn:vararg
	.globl	\name
\name:
1:	mov	$GUEST_BUF, %edi
	mov	(GUEST_MAILBOX + MB_BATCH), %r8
2:	lfence
	rdtsc
	shl	$32, %rdx
	or	%rax, %rdx
	mov	%rdx, %r9
	mov	$\eax, %eax
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	lfence
	\insn
	lfence
	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
	sub	%r9, %rax
	mov	%rax, (%rdi)
	add	$8, %rdi
	dec	%r8
	jnz	2b
	out	%al, $PORT_REPORT
	jmp	1b
.endm

	TIMED64	guest64_null, 0
	TIMED64	guest64_cpuid, 0, cpuid		/* leaf 0, as the native side */
	TIMED64	guest64_vmcall, HYPERCALL_UNKNOWN, vmcall
	TIMED64	guest64_vmmcall, HYPERCALL_UNKNOWN, vmmcall

/*
 * Exception stubs, 16 bytes apart (the host computes vector v's handler as
 * guest64_vectors + 16 * v). The CPU pushes an error code for 8, 10-14, 17,
 * 21, 29 and 30; the other stubs push a 0 in its place.
 */
	.balign	16
	.globl	guest64_vectors
guest64_vectors:
	.irp	v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.balign	16
	.if	(\v == 8) || (\v >= 10 && \v <= 14) || (\v == 17) || (\v == 21) || (\v == 29) || (\v == 30)
	push	$\v
	.else
	push	$0
	push	$\v
	.endif
	jmp	fault64
	.endr

fault64:
	pop	%rax
	mov	%rax, (GUEST_MAILBOX + MB_FAULT_VECTOR)
	pop	%rax
	mov	%rax, (GUEST_MAILBOX + MB_FAULT_ERROR)
	mov	(%rsp), %rax
	mov	%rax, (GUEST_MAILBOX + MB_FAULT_RIP)
1:	out	%al, $PORT_FAULT
	hlt
	jmp	1b

/* ---------------------------------------------------------- real mode */
	.code16
	/* DS = SS = 0, ES = GUEST_BUF_SEG, FS = GUEST_MMIO_SEG (set by the host). */

	.globl guest16_pio, guest16_mmio, guest16_hlt
guest16_pio:
1:	out	%al, $PORT_EXIT
	jmp	1b

guest16_mmio:
1:	movb	%al, %fs:0
	jmp	1b

guest16_hlt:
1:	hlt
	jmp	1b

/*
 * CPUID clobbers all four general registers, so the start time goes straight
 * into its buffer slot and the end time is subtracted from it there.
 */
.macro TIMED16 name, eax, insn:vararg
	.globl	\name
\name:
1:	xor	%di, %di
	mov	(GUEST_MAILBOX + MB_BATCH), %bp
2:	lfence
	rdtsc
	mov	%eax, %es:(%di)
	mov	%edx, %es:4(%di)
	mov	$\eax, %eax
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	lfence
	\insn
	lfence
	rdtsc
	sub	%es:(%di), %eax
	sbb	%es:4(%di), %edx
	mov	%eax, %es:(%di)
	mov	%edx, %es:4(%di)
	add	$8, %di
	dec	%bp
	jnz	2b
	out	%al, $PORT_REPORT
	jmp	1b
.endm

	TIMED16	guest16_null, 0
	TIMED16	guest16_cpuid, 0, cpuid		/* leaf 0, as the native side */
	TIMED16	guest16_vmcall, HYPERCALL_UNKNOWN, vmcall
	TIMED16	guest16_vmmcall, HYPERCALL_UNKNOWN, vmmcall

/* Real mode pushes no error code: FLAGS, CS, IP only. */
	.balign	16
	.globl	guest16_vectors
guest16_vectors:
	.irp	v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.balign	16
	push	$\v
	jmp	fault16
	.endr

fault16:
	pop	%ax
	movzwl	%ax, %eax
	mov	%eax, (GUEST_MAILBOX + MB_FAULT_VECTOR)
	movl	$0, (GUEST_MAILBOX + MB_FAULT_ERROR)
	mov	%sp, %bx
	movzwl	%ss:(%bx), %eax
	mov	%eax, (GUEST_MAILBOX + MB_FAULT_RIP)
1:	out	%al, $PORT_FAULT
	hlt
	jmp	1b

guest_code_end:
