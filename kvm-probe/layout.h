/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The guest's physical memory, shared by the guest code (guest.S, through the
 * preprocessor) and the host side that fills it in. Everything lies below
 * 64 KiB except the sample buffer, so the real-mode guest reaches it all with
 * DS = 0 and reaches the buffer through ES.
 */
#ifndef KVM_PROBE_LAYOUT_H
#define KVM_PROBE_LAYOUT_H

#define GUEST_MEM_SIZE		0x80000		/* one memory slot at 0 */
#define GUEST_GDT		0x1000
#define GUEST_IDT		0x2000		/* 256 x 16-byte gates */
#define GUEST_PML4		0x3000
#define GUEST_PDPT		0x4000
#define GUEST_PD		0x5000		/* 512 x 2 MiB: the first GiB */
#define GUEST_MAILBOX		0x6000
#define GUEST_TSS		0x7000		/* 104 bytes, never used for a switch */
#define GUEST_CODE		0x8000
#define GUEST_CODE_MAX		0x6000		/* up to the stack page */
#define GUEST_STACK_TOP		0xf000
#define GUEST_STACK1_TOP	0x20000		/* vCPU 1's (the ipi kinds) */
#define GUEST_BUF		0x10000
#define GUEST_BUF_SEG		0x1000		/* real mode: ES:0 = GUEST_BUF */
#define GUEST_BATCH		1024		/* samples per guest buffer */
#define GUEST_PD_TOP		0x12000		/* 512 x 2 MiB: 3-4 GiB (the LAPIC page) */

/*
 * Unbacked: outside the memory slot, so a store there is KVM_EXIT_MMIO.
 * Below 1 MiB so real mode reaches it too (FS base).
 */
#define GUEST_MMIO		0xa0000
#define GUEST_MMIO_SEG		0xa000
/* Unbacked too, bound to an eventfd (ioeventfd-mmio); real mode reaches it via GS. */
#define GUEST_IOEVENTFD_MMIO	0xb0000
#define GUEST_IOEVENTFD_SEG	0xb000

/*
 * ept-fault: a second memory slot, a fresh page per sample: one buffer's
 * worth, emptied again (MADV_DONTNEED) after every buffer.
 */
#define GUEST_FAULT_BASE	0x1000000	/* 16 MiB */
#define GUEST_FAULT_SIZE	(GUEST_BATCH * 0x1000)

/* The in-kernel LAPIC's page and its timer's current count (mmio-kernel). */
#define GUEST_LAPIC		0xfee00000
#define LAPIC_TMCCT		0x390

/*
 * The interrupt kinds' vectors: the test interrupt (every source: ICR,
 * irqfd's MSI, LAPIC timer) and the spurious vector (SVR). Every other
 * vector from 32 on reports "unexpected interrupt" (IRQ_UNEXPECTED) through
 * PORT_FAULT.
 */
#define IRQ_VECTOR		0x40
#define SPURIOUS_VECTOR		0xff
#define IRQ_UNEXPECTED		0x100		/* MB_FAULT_VECTOR for any other vector */
#define GUEST_IDT_VECTORS	256
/* LAPIC registers (xAPIC offsets; x2APIC MSR = 0x800 + offset / 16). */
#define LAPIC_EOI		0x0b0
#define LAPIC_SVR		0x0f0
#define LAPIC_ICR		0x300
#define LAPIC_ICR2		0x310		/* xAPIC: the destination, ICR[63:32] */
#define LAPIC_LVT_TIMER		0x320
#define LAPIC_TMICT		0x380
#define LAPIC_TDCR		0x3e0
#define MSR_APIC_BASE		0x1b
#define MSR_TSC_DEADLINE	0x6e0
#define APIC_BASE_EN		0x800		/* IA32_APIC_BASE[11]: xAPIC on */
#define APIC_BASE_EXTD		0x400		/* IA32_APIC_BASE[10]: x2APIC on */
/* ICR: fixed delivery, physical, assert; to self (shorthand 01) */
#define ICR_FIXED		((1 << 14) | IRQ_VECTOR)
#define ICR_SELF		((1 << 18) | ICR_FIXED)
#define LVT_TSC_DEADLINE	(2 << 17)	/* timer mode 10b */
#define TDCR_DIV1		0xb

/* IA32_TSC_ADJUST: an MSR KVM emulates in the kernel (rdmsr, wrmsr, and -user). */
#define MSR_TSC_ADJUST		0x3b

/* Ports nothing in KVM handles without an in-kernel irqchip. */
#define PORT_EXIT		0x80		/* the pio kind's OUT */
#define PORT_REPORT		0xe0		/* guest-timed: buffer full */
#define PORT_FAULT		0xe1		/* exception: see the mailbox */
#define PORT_IOEVENTFD		0xe2		/* bound to an eventfd (ioeventfd-pio) */
/* The in-kernel PIC's edge/level control register (pio-kernel). */
#define PORT_ELCR		0x4d0

/* Mailbox fields (byte offsets from GUEST_MAILBOX). */
#define MB_FAULT_VECTOR		0x00
#define MB_FAULT_ERROR		0x08
#define MB_FAULT_RIP		0x10
#define MB_BATCH		0x18		/* samples per buffer, set by the host */
#define MB_CR0			0x20		/* cr0-write: CR0's value, set by the host */
#define MB_CR4			0x28		/* cr4-write: CR4's value */
/* The interrupt kinds (guest.S's irq64 and its loops; kvm-probe/irq.h). */
#define MB_X2APIC		0x30		/* host: 1 = x2APIC (MSRs), 0 = xAPIC (MMIO) */
#define MB_IRQ_TSC		0x38		/* handler: its TSC at entry */
#define MB_IRQ_COUNT		0x40		/* handler: interrupts taken */
#define MB_EOI_CYCLES		0x48		/* handler: its EOI write, timed */
#define MB_ARM			0x50		/* host: sample N armed; MB_STOP: report and stop */
#define MB_READY		0x58		/* guest: waiting for sample N's interrupt */
#define MB_DONE			0x60		/* guest: sample N's handler ran and returned */
#define MB_CALIB		0x68		/* guest: its TSC at the calibration exit */
#define MB_TIMER_TSC		0x70		/* host: timer's distance in TSC cycles */
#define MB_TIMER_COUNT		0x78		/* host: one-shot's initial count (0: TSC-deadline) */
#define MB_STOP			0xffffffffffffffff

/* GDT selectors (long mode); the real-mode guest uses no GDT. */
#define SEL_CODE64		0x08
#define SEL_DATA		0x10
#define SEL_TSS			0x18		/* 16-byte system descriptor */
#define GDT_ENTRIES		5

/* The value in RAX for the hypercall kind: a number KVM does not know. */
#define HYPERCALL_UNKNOWN	0xdeadbeef

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

/* Page-table entry bits (SDM vol. 3, 4.5). */
#define PTE_P		(1ULL << 0)
#define PTE_RW		(1ULL << 1)
#define PTE_PS		(1ULL << 7)

/*
 * Identity map with 2 MiB pages of the first GiB (PML4[0] -> PDPT[0] -> PD)
 * and of the GiB below 4 GiB, which holds the LAPIC (PDPT[3] -> PD_TOP).
 */
void layout_page_tables(uint8_t *mem);
/* Flat 64-bit code, data, and a 64-bit TSS. */
void layout_gdt(uint8_t *mem);
/* 64-bit IDT: vector v -> @handlers[v] (guest addresses), for v < n. */
void layout_idt64(uint8_t *mem, const uint64_t *handlers, unsigned int n);
/* Real-mode IVT at 0: vector v -> 0:@handlers[v], for v < n. */
void layout_ivt(uint8_t *mem, const uint64_t *handlers, unsigned int n);
/* Translates @gva through the page tables in @mem; returns -1 when unmapped. */
int64_t layout_translate(const uint8_t *mem, uint64_t gva);
#endif

#endif
