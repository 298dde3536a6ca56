/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Entry points of guest.S: addresses in the host image, copied to GUEST_CODE. */
#ifndef KVM_PROBE_GUEST_H
#define KVM_PROBE_GUEST_H

#include <stdint.h>

#include "layout.h"

extern const uint8_t guest_code_start[], guest_code_end[];
extern const uint8_t guest64_pio[], guest64_mmio[], guest64_hlt[];
extern const uint8_t guest64_rdmsr_user[], guest64_wrmsr_user[];
extern const uint8_t guest64_null[], guest64_cpuid[], guest64_vmcall[], guest64_vmmcall[];
extern const uint8_t guest64_rdmsr[], guest64_wrmsr[], guest64_cr8_read[], guest64_cr8_write[];
extern const uint8_t guest64_cr0_write[], guest64_cr4_write[], guest64_pio_kernel[];
extern const uint8_t guest64_ioeventfd_pio[], guest64_ioeventfd_mmio[], guest64_mmio_kernel[];
extern const uint8_t guest64_ept_fault[], guest64_xsetbv[], guest64_wbinvd[], guest64_rdpmc[];
extern const uint8_t guest64_vectors[];
extern const uint8_t guest64_self_ipi[], guest64_eoi[], guest64_timer[];
extern const uint8_t guest64_irqfd[], guest64_irqfd_halt[];
extern const uint8_t guest64_ipi[], guest64_ipi_halt[], guest64_ipi_recv[], guest64_ipi_halt_recv[];
extern const uint8_t guest64_irq[], guest64_spurious[], guest64_unexpected[];
extern const uint8_t guest16_pio[], guest16_mmio[], guest16_hlt[];
extern const uint8_t guest16_rdmsr_user[], guest16_wrmsr_user[];
extern const uint8_t guest16_null[], guest16_cpuid[], guest16_vmcall[], guest16_vmmcall[];
extern const uint8_t guest16_rdmsr[], guest16_wrmsr[], guest16_cr0_write[], guest16_cr4_write[];
extern const uint8_t guest16_pio_kernel[], guest16_ioeventfd_pio[], guest16_ioeventfd_mmio[];
extern const uint8_t guest16_xsetbv[], guest16_wbinvd[], guest16_rdpmc[];
extern const uint8_t guest16_vectors[];

#define GUEST_VECTOR_STUB_SIZE	16
#define GUEST_VECTORS		32

/* Guest address of @sym once the code is copied to GUEST_CODE. */
static inline uint64_t guest_addr(const uint8_t *sym)
{
	return GUEST_CODE + (uint64_t)(sym - guest_code_start);
}

#endif
