// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Guest memory layout: page tables, GDT and exception vectors written into
 * the guest's memory image. Plain functions over a byte array, so the unit
 * tests check them without /dev/kvm.
 */
#include <string.h>

#include "layout.h"

static void put64(uint8_t *mem, uint64_t addr, uint64_t v)
{
	memcpy(mem + addr, &v, sizeof(v));
}

static uint64_t get64(const uint8_t *mem, uint64_t addr)
{
	uint64_t v;

	memcpy(&v, mem + addr, sizeof(v));
	return v;
}

void layout_page_tables(uint8_t *mem)
{
	memset(mem + GUEST_PML4, 0, 0x1000);
	memset(mem + GUEST_PDPT, 0, 0x1000);
	put64(mem, GUEST_PML4, GUEST_PDPT | PTE_P | PTE_RW);
	put64(mem, GUEST_PDPT, GUEST_PD | PTE_P | PTE_RW);
	put64(mem, GUEST_PDPT + 8 * 3, GUEST_PD_TOP | PTE_P | PTE_RW);
	/* 2 MiB pages need no PDPE1GB support from the CPU, unlike 1 GiB ones. */
	for (uint64_t i = 0; i < 512; i++) {
		put64(mem, GUEST_PD + 8 * i, (i << 21) | PTE_P | PTE_RW | PTE_PS);
		put64(mem, GUEST_PD_TOP + 8 * i, ((3ULL << 30) + (i << 21)) | PTE_P | PTE_RW | PTE_PS);
	}
}

/*
 * Segment descriptors (SDM vol. 3, 3.4.5): G=1, limit 0xfffff; code with
 * L=1 (64-bit), D=0, type 0xb (execute/read, accessed); data with D/B=1,
 * type 0x3 (read/write, accessed). An IRETQ from an exception handler reloads
 * CS and SS from here, so they must match what KVM_SET_SREGS loaded.
 */
#define DESC_CODE64	0x00af9b000000ffffULL
#define DESC_DATA	0x00cf93000000ffffULL

void layout_gdt(uint8_t *mem)
{
	uint64_t base = GUEST_TSS, limit = 0x67;

	memset(mem + GUEST_GDT, 0, 8 * GDT_ENTRIES);
	put64(mem, GUEST_GDT + SEL_CODE64, DESC_CODE64);
	put64(mem, GUEST_GDT + SEL_DATA, DESC_DATA);
	/* 64-bit TSS, busy (type 0xb): VM entry wants TR to hold a busy TSS. */
	put64(mem, GUEST_GDT + SEL_TSS,
	      (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x8bULL << 40) |
	      (((base >> 24) & 0xff) << 56));
	put64(mem, GUEST_GDT + SEL_TSS + 8, base >> 32);
	memset(mem + GUEST_TSS, 0, limit + 1);
}

void layout_idt64(uint8_t *mem, const uint64_t *handlers, unsigned int n)
{
	memset(mem + GUEST_IDT, 0, 256 * 16);
	for (unsigned int v = 0; v < n && v < 256; v++) {
		uint64_t h = handlers[v];
		/* Interrupt gate (type 0xe), present, DPL 0, IST 0. */
		uint64_t lo = (h & 0xffff) | ((uint64_t)SEL_CODE64 << 16) | (0x8eULL << 40) |
			      (((h >> 16) & 0xffff) << 48);

		put64(mem, GUEST_IDT + 16 * v, lo);
		put64(mem, GUEST_IDT + 16 * v + 8, h >> 32);
	}
}

void layout_ivt(uint8_t *mem, const uint64_t *handlers, unsigned int n)
{
	memset(mem, 0, 256 * 4);
	for (unsigned int v = 0; v < n && v < 256; v++) {
		/* segment:offset with segment 0; handlers all lie below 64 KiB. */
		uint16_t off = (uint16_t)handlers[v], seg = 0;

		memcpy(mem + 4 * v, &off, 2);
		memcpy(mem + 4 * v + 2, &seg, 2);
	}
}

int64_t layout_translate(const uint8_t *mem, uint64_t gva)
{
	uint64_t e, table = GUEST_PML4;	/* CR3 */
	int shift;

	for (shift = 39; shift >= 21; shift -= 9) {
		uint64_t idx = (gva >> shift) & 0x1ff;

		if (table + 8 * idx + 8 > GUEST_MEM_SIZE)
			return -1;
		e = get64(mem, table + 8 * idx);
		if (!(e & PTE_P))
			return -1;
		if (shift == 21) {
			if (!(e & PTE_PS))
				return -1;	/* 4 KiB tables are not used here */
			return (int64_t)((e & ~0x1fffffULL & 0xffffffffff000ULL) |
					 (gva & 0x1fffff));
		}
		table = e & 0xffffffffff000ULL;
	}
	return -1;
}
