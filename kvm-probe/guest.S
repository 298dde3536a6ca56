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
 * kvm-probe/kinds.c says which loop serves which exit kind.
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

	.globl guest64_pio, guest64_mmio, guest64_hlt, guest64_rdmsr_user, guest64_wrmsr_user
guest64_pio:
1:	out	%al, $PORT_EXIT
	jmp	1b

guest64_mmio:
1:	movb	%al, (GUEST_MMIO)
	jmp	1b

guest64_hlt:
1:	hlt
	jmp	1b

/* The MSR filter sends these to user space; the host answers 0 and re-enters. */
guest64_rdmsr_user:
	mov	$MSR_TSC_ADJUST, %ecx
1:	rdmsr
	jmp	1b

guest64_wrmsr_user:
	mov	$MSR_TSC_ADJUST, %ecx
	xor	%eax, %eax
	xor	%edx, %edx
1:	wrmsr
	jmp	1b

/* Nothing to prepare per buffer (TIMED64's and TIMED16's PREBUF). */
.macro NOPREP
.endm

/*
 * CR0.EM (bit 2) and CR4.MCE (bit 6) are bits KVM owns: on VMX a write that
 * changes one exits, one that writes the read shadow back does not; on SVM
 * CR0's selective-write intercept fires on any bit but TS and MP. The value
 * lives in the mailbox (the host puts the CR's value there), so reading the
 * CR, which SVM intercepts for CR4, is never needed; each buffer flips it an
 * even number of times.
 */
#define CR0_EM		0x4
#define CR4_MCE		0x40
/* CR_FLIP cr0, MB_CR0, CR0_EM, rax: flip MASK in the mailbox's copy, write it to CR through REG. */
.macro CR_FLIP cr, field, mask, reg
	xorl	$\mask, (GUEST_MAILBOX + \field)
	mov	(GUEST_MAILBOX + \field), %\reg
	mov	%\reg, %\cr
.endm

/* ept-fault: r11 walks the fault slot, a fresh page per sample; the host empties it per buffer. */
.macro FAULT_RESET
	mov	$GUEST_FAULT_BASE, %r11d
.endm
.macro FAULT_TOUCH
	movb	%al, (%r11)
	add	$0x1000, %r11
.endm

/*
 * The operand set-up (EAX = leaf, hypercall number or value, ECX and EDX as
 * the instruction wants them, EBX and ESI 0) sits after the start read in
 * every kind, null included, so the null kind costs what the others cost
 * apart from INSN. r9 holds the start time (untouched by CPUID, by the MSR
 * instructions and by KVM's hypercall, which returns in RAX only). PREBUF
 * runs once per buffer, outside the timed window.
 */
.macro TIMED64 name, prebuf, eax, ecx, edx, insn:vararg
	.globl	\name
\name:
1:	\prebuf
	mov	$GUEST_BUF, %edi
	mov	(GUEST_MAILBOX + MB_BATCH), %r8
2:	lfence
	rdtsc
	shl	$32, %rdx
	or	%rax, %rdx
	mov	%rdx, %r9
	mov	$\eax, %eax
	xor	%ebx, %ebx
	mov	$\ecx, %ecx
	mov	$\edx, %edx
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

	TIMED64	guest64_null, NOPREP, 0, 0, 0
	TIMED64	guest64_cpuid, NOPREP, 0, 0, 0, cpuid		/* leaf 0, as the native side */
	TIMED64	guest64_vmcall, NOPREP, HYPERCALL_UNKNOWN, 0, 0, vmcall
	TIMED64	guest64_vmmcall, NOPREP, HYPERCALL_UNKNOWN, 0, 0, vmmcall
	TIMED64	guest64_rdmsr, NOPREP, 0, MSR_TSC_ADJUST, 0, rdmsr
	TIMED64	guest64_wrmsr, NOPREP, 0, MSR_TSC_ADJUST, 0, wrmsr	/* writes 0 */
	TIMED64	guest64_cr8_read, NOPREP, 0, 0, 0, mov %cr8, %rax
	TIMED64	guest64_cr8_write, NOPREP, 0, 0, 0, mov %rax, %cr8	/* 0: its value */
	TIMED64	guest64_cr0_write, NOPREP, 0, 0, 0, CR_FLIP cr0, MB_CR0, CR0_EM, rax
	TIMED64	guest64_cr4_write, NOPREP, 0, 0, 0, CR_FLIP cr4, MB_CR4, CR4_MCE, rax
	TIMED64	guest64_pio_kernel, NOPREP, 0, 0, PORT_ELCR, out %al, %dx
	TIMED64	guest64_ioeventfd_pio, NOPREP, 0, 0, 0, out %al, $PORT_IOEVENTFD
	TIMED64	guest64_ioeventfd_mmio, NOPREP, 0, 0, 0, movb %al, (GUEST_IOEVENTFD_MMIO)
	TIMED64	guest64_mmio_kernel, NOPREP, 0, 0, 0, movabs (GUEST_LAPIC + LAPIC_TMCCT), %eax
	TIMED64	guest64_ept_fault, FAULT_RESET, 0, 0, 0, FAULT_TOUCH
	TIMED64	guest64_xsetbv, NOPREP, 1, 0, 0, xsetbv		/* XCR0 = x87 */
	TIMED64	guest64_wbinvd, NOPREP, 0, 0, 0, wbinvd
	TIMED64	guest64_rdpmc, NOPREP, 0, 0, 0, rdpmc		/* GP counter 0 */

/* ---------------------------------------------- 64-bit: interrupt kinds */
/*
 * The interrupt kinds (kvm-probe/irq.h) run with the in-kernel LAPIC, in
 * x2APIC mode (MSRs) where the guest's CPUID has it, else xAPIC (MMIO at
 * GUEST_LAPIC): the host says which in MB_X2APIC, each kind's entry picks its
 * loop once (IRQ_KIND), so no timed window holds the choice. irq64 serves
 * IRQ_VECTOR from every source: it stamps its TSC first, then times its own
 * EOI write, then counts the interrupt; the loops wait for the count.
 */

/* APIC_WRITE x2, reg: EAX (and, x2APIC, EDX: the ICR's destination) to REG; x2 clobbers ECX. */
.macro APIC_WRITE x2, reg
.if \x2
	mov	$(0x800 + (\reg >> 4)), %ecx
	wrmsr
.else
	movabs	%eax, (GUEST_LAPIC + \reg)
.endif
.endm

/* The LAPIC on (x2APIC from xAPIC, the valid transition), SVR: software-enabled. */
.macro IRQ_SETUP x2
	mov	$MSR_APIC_BASE, %ecx
	rdmsr
	or	$(APIC_BASE_EN | (\x2 * APIC_BASE_EXTD)), %eax
	wrmsr
	mov	$(0x100 | SPURIOUS_VECTOR), %eax
	xor	%edx, %edx
	APIC_WRITE \x2, LAPIC_SVR
.endm

/* RDTSC_TO reg: the TSC, LFENCE-ordered as the timed loops do, into REG (clobbers RAX, RDX). */
.macro RDTSC_TO reg
	lfence
	rdtsc
	shl	$32, %rdx
	or	%rax, %rdx
	mov	%rdx, %\reg
.endm

.macro IRQ_KIND name, loop, args:vararg
	.globl	\name
\name:
	cmpb	$0, (GUEST_MAILBOX + MB_X2APIC)
	jne	.Lx2_\@
	\loop	0, \args
.Lx2_\@:
	\loop	1, \args
.endm

/* WAIT_IRQ: spins until the handler's count moves past R10 (no PAUSE: it may exit). */
.macro WAIT_IRQ
.Lwait_\@:
	cmp	(GUEST_MAILBOX + MB_IRQ_COUNT), %r10
	je	.Lwait_\@
.endm

/*
 * AWAIT_IRQ halt: WAIT_IRQ, or (halt) HLT until the count moves, under
 * CLI..STI;HLT so an interrupt that comes before HLT is not lost: STI's
 * shadow covers HLT.
 */
.macro AWAIT_IRQ halt
.if \halt
.Lcheck_\@:
	cli
	cmp	(GUEST_MAILBOX + MB_IRQ_COUNT), %r10
	jne	.Ltaken_\@
	sti
	hlt
	jmp	.Lcheck_\@
.Ltaken_\@:
	sti
.else
	WAIT_IRQ
.endif
.endm

/*
 * BUF_NEXT: RAX into the buffer; the next sample (2b) or, the buffer full,
 * the report and the next buffer (1b). IRQ_LATENCY_NEXT: WAIT_IRQ, then the
 * handler's stamp minus R9 (the start read, or the deadline) as the sample.
 */
.macro BUF_NEXT
	mov	%rax, (%rdi)
	add	$8, %rdi
	dec	%r8
	jnz	2b
	out	%al, $PORT_REPORT
	jmp	1b
.endm

.macro IRQ_LATENCY_NEXT
	WAIT_IRQ
	mov	(GUEST_MAILBOX + MB_IRQ_TSC), %rax
	sub	%r9, %rax
	BUF_NEXT
.endm

/*
 * self-ipi: start read, ICR write of a fixed self-IPI, the handler's stamp;
 * eoi: the handler's own timing of its EOI write. Guest-timed buffers.
 */
.macro SELF_IPI_LOOP x2, eoi
	IRQ_SETUP \x2
	sti
1:	mov	$GUEST_BUF, %edi
	mov	(GUEST_MAILBOX + MB_BATCH), %r8
2:	mov	(GUEST_MAILBOX + MB_IRQ_COUNT), %r10
	RDTSC_TO r9
	mov	$ICR_SELF, %eax
	xor	%edx, %edx
	lfence
	APIC_WRITE \x2, LAPIC_ICR
	WAIT_IRQ
.if \eoi
	mov	(GUEST_MAILBOX + MB_EOI_CYCLES), %rax
.else
	mov	(GUEST_MAILBOX + MB_IRQ_TSC), %rax
	sub	%r9, %rax
.endif
	BUF_NEXT
.endm

/*
 * timer: the deadline is the TSC read before arming plus MB_TIMER_TSC; armed
 * through IA32_TSC_DEADLINE, or (MB_TIMER_COUNT non-zero) as a one-shot
 * count, which KVM starts when it emulates the TMICT write, a little after
 * the read (the lateness then includes that write's way into KVM). The
 * sample is the handler's stamp minus the deadline: negative (early) is
 * dropped by the host.
 */
.macro TIMER_LOOP x2
	IRQ_SETUP \x2
	mov	$(LVT_TSC_DEADLINE | IRQ_VECTOR), %eax
	cmpq	$0, (GUEST_MAILBOX + MB_TIMER_COUNT)
	je	3f
	mov	$TDCR_DIV1, %eax
	APIC_WRITE \x2, LAPIC_TDCR
	mov	$IRQ_VECTOR, %eax	/* one-shot */
3:	xor	%edx, %edx
	APIC_WRITE \x2, LAPIC_LVT_TIMER
	sti
1:	mov	$GUEST_BUF, %edi
	mov	(GUEST_MAILBOX + MB_BATCH), %r8
2:	mov	(GUEST_MAILBOX + MB_IRQ_COUNT), %r10
	RDTSC_TO r9
	add	(GUEST_MAILBOX + MB_TIMER_TSC), %r9
	mov	(GUEST_MAILBOX + MB_TIMER_COUNT), %rax
	xor	%edx, %edx
	test	%rax, %rax
	jz	4f
	APIC_WRITE \x2, LAPIC_TMICT
	jmp	5f
4:	mov	%r9, %rax
	mov	%r9, %rdx
	shr	$32, %rdx
	mov	$MSR_TSC_DEADLINE, %ecx
	wrmsr
5:	IRQ_LATENCY_NEXT
.endm

/*
 * irqfd, irqfd-halt: the host drives each sample through the mailbox (see
 * kvm-probe/irq.c): it arms sample N (MB_ARM), the guest says it waits
 * (MB_READY), spinning or halted, the host stamps its TSC and writes the
 * eventfd, the handler stamps the guest's, the guest says done (MB_DONE).
 * First one calibration exit: the guest's TSC between two host reads.
 * MB_STOP ends it with a report.
 */
.macro IRQFD_LOOP x2, halt
	IRQ_SETUP \x2
	RDTSC_TO rax
	mov	%rax, (GUEST_MAILBOX + MB_CALIB)
	out	%al, $PORT_REPORT
	sti
	xor	%r12d, %r12d
1:	inc	%r12
2:	mov	(GUEST_MAILBOX + MB_ARM), %rax
	cmp	$-1, %rax		/* MB_STOP */
	je	5f
	cmp	%r12, %rax
	jne	2b
	mov	(GUEST_MAILBOX + MB_IRQ_COUNT), %r10
	mov	%r12, (GUEST_MAILBOX + MB_READY)
	AWAIT_IRQ \halt
	mov	%r12, (GUEST_MAILBOX + MB_DONE)
	jmp	1b
5:	out	%al, $PORT_REPORT
	jmp	5b
.endm

/*
 * ipi, ipi-halt: vCPU 0 (guest-timed buffers) waits until vCPU 1 waits for
 * sample N (ipi: vCPU 1's MB_READY; ipi-halt: the host's MB_ARM, set once
 * KVM counted vCPU 1's HLT), reads its TSC and writes the ICR: a fixed IPI
 * to APIC ID 1 (x2APIC: ICR[63:32]; xAPIC: ICR2, written once). vCPU 1's
 * handler stamps MB_IRQ_TSC; both vCPUs' TSC offsets are the host's
 * business (kvm-probe/irq.h).
 */
.macro IPI_SEND_LOOP x2, halt
	IRQ_SETUP \x2
.if !\x2
	mov	$(1 << 24), %eax
	APIC_WRITE 0, LAPIC_ICR2
.endif
	xor	%r12d, %r12d
1:	mov	$GUEST_BUF, %edi
	mov	(GUEST_MAILBOX + MB_BATCH), %r8
2:	inc	%r12
.if \halt
3:	cmp	(GUEST_MAILBOX + MB_ARM), %r12
.else
3:	cmp	(GUEST_MAILBOX + MB_READY), %r12
.endif
	jne	3b
	mov	(GUEST_MAILBOX + MB_IRQ_COUNT), %r10
	RDTSC_TO r9
	mov	$ICR_FIXED, %eax
	mov	$1, %edx		/* x2APIC destination; unused by the MMIO write */
	lfence
	APIC_WRITE \x2, LAPIC_ICR
	IRQ_LATENCY_NEXT
.endm

/* vCPU 1: says it waits for sample N, then spins or halts until its handler ran. */
.macro IPI_RECV_LOOP x2, halt
	IRQ_SETUP \x2
	sti
	xor	%r12d, %r12d
1:	inc	%r12
	mov	(GUEST_MAILBOX + MB_IRQ_COUNT), %r10
	mov	%r12, (GUEST_MAILBOX + MB_READY)
	AWAIT_IRQ \halt
	jmp	1b
.endm

	IRQ_KIND guest64_self_ipi, SELF_IPI_LOOP, 0
	IRQ_KIND guest64_eoi, SELF_IPI_LOOP, 1
	IRQ_KIND guest64_timer, TIMER_LOOP
	IRQ_KIND guest64_irqfd, IRQFD_LOOP, 0
	IRQ_KIND guest64_irqfd_halt, IRQFD_LOOP, 1
	IRQ_KIND guest64_ipi, IPI_SEND_LOOP, 0
	IRQ_KIND guest64_ipi_halt, IPI_SEND_LOOP, 1
	IRQ_KIND guest64_ipi_recv, IPI_RECV_LOOP, 0
	IRQ_KIND guest64_ipi_halt_recv, IPI_RECV_LOOP, 1

/* EOI_TIMED x2: the EOI write timed like a guest-timed instruction; cycles in RAX. */
.macro EOI_TIMED x2
	RDTSC_TO r8
	xor	%eax, %eax
	xor	%edx, %edx
	lfence
	APIC_WRITE \x2, LAPIC_EOI
	lfence
	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
	sub	%r8, %rax
.endm

	.globl	guest64_irq, guest64_spurious, guest64_unexpected
guest64_irq:
	push	%rax
	push	%rcx
	push	%rdx
	push	%r8
	RDTSC_TO rax
	mov	%rax, (GUEST_MAILBOX + MB_IRQ_TSC)
	cmpb	$0, (GUEST_MAILBOX + MB_X2APIC)
	jne	1f
	EOI_TIMED 0
	jmp	2f
1:	EOI_TIMED 1
2:	mov	%rax, (GUEST_MAILBOX + MB_EOI_CYCLES)
	incq	(GUEST_MAILBOX + MB_IRQ_COUNT)
	pop	%r8
	pop	%rdx
	pop	%rcx
	pop	%rax
	iretq

/* The spurious vector takes no EOI (SDM vol. 3, 11.9). */
guest64_spurious:
	iretq

/* Any other vector from 32 on: no source of this probe sends it. */
guest64_unexpected:
	push	$0
	push	$IRQ_UNEXPECTED
	jmp	fault64

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
	/*
	 * DS = SS = 0, ES = GUEST_BUF_SEG, FS = GUEST_MMIO_SEG,
	 * GS = GUEST_IOEVENTFD_SEG (set by the host).
	 */

	.globl guest16_pio, guest16_mmio, guest16_hlt, guest16_rdmsr_user, guest16_wrmsr_user
guest16_pio:
1:	out	%al, $PORT_EXIT
	jmp	1b

guest16_mmio:
1:	movb	%al, %fs:0
	jmp	1b

guest16_hlt:
1:	hlt
	jmp	1b

guest16_rdmsr_user:
	mov	$MSR_TSC_ADJUST, %ecx
1:	rdmsr
	jmp	1b

guest16_wrmsr_user:
	mov	$MSR_TSC_ADJUST, %ecx
	xor	%eax, %eax
	xor	%edx, %edx
1:	wrmsr
	jmp	1b

/*
 * CPUID clobbers all four general registers, so the start time goes straight
 * into its buffer slot and the end time is subtracted from it there.
 */
.macro TIMED16 name, prebuf, eax, ecx, edx, insn:vararg
	.globl	\name
\name:
1:	\prebuf
	xor	%di, %di
	mov	(GUEST_MAILBOX + MB_BATCH), %bp
2:	lfence
	rdtsc
	mov	%eax, %es:(%di)
	mov	%edx, %es:4(%di)
	mov	$\eax, %eax
	xor	%ebx, %ebx
	mov	$\ecx, %ecx
	mov	$\edx, %edx
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

	TIMED16	guest16_null, NOPREP, 0, 0, 0
	TIMED16	guest16_cpuid, NOPREP, 0, 0, 0, cpuid		/* leaf 0, as the native side */
	TIMED16	guest16_vmcall, NOPREP, HYPERCALL_UNKNOWN, 0, 0, vmcall
	TIMED16	guest16_vmmcall, NOPREP, HYPERCALL_UNKNOWN, 0, 0, vmmcall
	TIMED16	guest16_rdmsr, NOPREP, 0, MSR_TSC_ADJUST, 0, rdmsr
	TIMED16	guest16_wrmsr, NOPREP, 0, MSR_TSC_ADJUST, 0, wrmsr
	TIMED16	guest16_cr0_write, NOPREP, 0, 0, 0, CR_FLIP cr0, MB_CR0, CR0_EM, eax
	TIMED16	guest16_cr4_write, NOPREP, 0, 0, 0, CR_FLIP cr4, MB_CR4, CR4_MCE, eax
	TIMED16	guest16_pio_kernel, NOPREP, 0, 0, PORT_ELCR, out %al, %dx
	TIMED16	guest16_ioeventfd_pio, NOPREP, 0, 0, 0, out %al, $PORT_IOEVENTFD
	TIMED16	guest16_ioeventfd_mmio, NOPREP, 0, 0, 0, movb %al, %gs:0
	TIMED16	guest16_xsetbv, NOPREP, 1, 0, 0, xsetbv
	TIMED16	guest16_wbinvd, NOPREP, 0, 0, 0, wbinvd
	TIMED16	guest16_rdpmc, NOPREP, 0, 0, 0, rdpmc

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
