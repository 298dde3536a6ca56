// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "exitlat/exit_kinds.h"
#include "guest.h"
#include "kinds.h"
#include "layout.h"
#include "vm.h"

static uint8_t *mem;

static void setup(void)
{
	mem = calloc(1, GUEST_MEM_SIZE);
	cr_assert_not_null(mem);
}

static void teardown(void)
{
	free(mem);
}

TestSuite(probe_layout, .init = setup, .fini = teardown);

static uint64_t get64(uint64_t addr)
{
	uint64_t v;

	memcpy(&v, mem + addr, 8);
	return v;
}

Test(probe_layout, page_tables_map_the_first_gib_one_to_one)
{
	static const uint64_t addrs[] = { 0, GUEST_CODE, GUEST_BUF, GUEST_MMIO,
					  0x1fffff, 0x200000, 0x3fffffff };

	layout_page_tables(mem);
	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++)
		cr_assert_eq(layout_translate(mem, addrs[i]), (int64_t)addrs[i],
			     "address %#lx", (unsigned long)addrs[i]);
}

Test(probe_layout, nothing_is_mapped_between_the_first_gib_and_the_top_one)
{
	layout_page_tables(mem);
	cr_assert_eq(layout_translate(mem, 0x40000000), -1);
	cr_assert_eq(layout_translate(mem, 0xbfffffff), -1);
	cr_assert_eq(layout_translate(mem, 1ULL << 32), -1);
	cr_assert_eq(layout_translate(mem, 1ULL << 39), -1);
}

/* mmio-kernel reads the in-kernel LAPIC at its reset address, 64-bit mode only. */
Test(probe_layout, the_lapic_page_and_the_gib_below_4_gib_are_mapped_one_to_one)
{
	layout_page_tables(mem);
	cr_assert_eq(layout_translate(mem, GUEST_LAPIC + LAPIC_TMCCT), GUEST_LAPIC + LAPIC_TMCCT);
	cr_assert_eq(layout_translate(mem, 0xc0000000), 0xc0000000);
	cr_assert_eq(layout_translate(mem, 0xffffffff), 0xffffffff);
}

Test(probe_layout, tables_lie_inside_guest_memory_and_apart)
{
	static const uint64_t pages[] = { GUEST_GDT, GUEST_IDT, GUEST_PML4, GUEST_PDPT,
					  GUEST_PD, GUEST_MAILBOX, GUEST_TSS };

	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		cr_assert_eq(pages[i] % 0x1000, 0);
		cr_assert_lt(pages[i], GUEST_CODE);
		for (size_t j = i + 1; j < sizeof(pages) / sizeof(pages[0]); j++)
			cr_assert_neq(pages[i], pages[j]);
	}
	cr_assert_leq(GUEST_BUF + 8 * GUEST_BATCH, GUEST_MEM_SIZE);
	/* Real mode reaches the buffer through ES within one 64 KiB segment. */
	cr_assert_eq((uint64_t)GUEST_BUF_SEG << 4, GUEST_BUF);
	cr_assert_leq(8 * GUEST_BATCH, 0x10000);
	/* The MMIO target must be unbacked, and reachable from real mode via FS. */
	cr_assert_geq(GUEST_MMIO, GUEST_MEM_SIZE);
	cr_assert_eq((uint64_t)GUEST_MMIO_SEG << 4, GUEST_MMIO);
	/* So is the ioeventfd's, via GS, on another page. */
	cr_assert_geq(GUEST_IOEVENTFD_MMIO, GUEST_MEM_SIZE);
	cr_assert_lt(GUEST_IOEVENTFD_MMIO, 0x100000);
	cr_assert_eq((uint64_t)GUEST_IOEVENTFD_SEG << 4, GUEST_IOEVENTFD_MMIO);
	cr_assert_neq(GUEST_IOEVENTFD_MMIO >> 12, GUEST_MMIO >> 12);
	/* The top GiB's page directory after the buffer, inside memory. */
	cr_assert_eq(GUEST_PD_TOP % 0x1000, 0);
	cr_assert_geq(GUEST_PD_TOP, GUEST_BUF + 8 * GUEST_BATCH);
	cr_assert_leq(GUEST_PD_TOP + 0x1000, GUEST_MEM_SIZE);
	/* The fault slot: outside slot 0, inside the first GiB's identity map. */
	cr_assert_geq(GUEST_FAULT_BASE, GUEST_MEM_SIZE);
	cr_assert_eq(GUEST_FAULT_BASE % 0x200000, 0);
	cr_assert_leq(GUEST_FAULT_BASE + GUEST_FAULT_SIZE, 0x40000000);
}

Test(probe_layout, guest_code_fits_below_the_stack)
{
	cr_assert_leq((size_t)(guest_code_end - guest_code_start), GUEST_CODE_MAX);
	cr_assert_leq(GUEST_CODE + GUEST_CODE_MAX, GUEST_STACK_TOP - 0x1000);
}

Test(probe_layout, gdt_holds_64bit_code_and_flat_data)
{
	uint64_t code, data;

	layout_gdt(mem);
	code = get64(GUEST_GDT + SEL_CODE64);
	data = get64(GUEST_GDT + SEL_DATA);
	cr_assert_eq(get64(GUEST_GDT), 0);
	cr_assert_eq((code >> 53) & 1, 1, "L bit");
	cr_assert_eq((code >> 54) & 1, 0, "D bit must be 0 with L");
	cr_assert_eq((code >> 47) & 1, 1, "present");
	cr_assert_eq((code >> 40) & 0xf, 0xb, "execute/read, accessed");
	cr_assert_eq((data >> 40) & 0xf, 0x3, "read/write, accessed");
	cr_assert_eq((data >> 47) & 1, 1, "present");
}

Test(probe_layout, gdt_tss_descriptor_points_at_the_tss)
{
	uint64_t lo, hi, base;

	layout_gdt(mem);
	lo = get64(GUEST_GDT + SEL_TSS);
	hi = get64(GUEST_GDT + SEL_TSS + 8);
	base = ((lo >> 16) & 0xffffff) | (((lo >> 56) & 0xff) << 24) | (hi << 32);
	cr_assert_eq(base, GUEST_TSS);
	cr_assert_eq(lo & 0xffff, 0x67);
	cr_assert_eq((lo >> 40) & 0xff, 0x8b, "present, busy 64-bit TSS");
	cr_assert_leq(SEL_TSS + 16, 8 * GDT_ENTRIES);
}

Test(probe_layout, idt_gates_point_at_their_handlers)
{
	uint64_t handlers[3] = { 0x8123, 0x12345678, 0xfedcba9876543210ULL };

	layout_idt64(mem, handlers, 3);
	for (int v = 0; v < 3; v++) {
		uint64_t lo = get64(GUEST_IDT + 16 * v), hi = get64(GUEST_IDT + 16 * v + 8);
		uint64_t off = (lo & 0xffff) | (((lo >> 48) & 0xffff) << 16) | (hi << 32);

		cr_assert_eq(off, handlers[v], "vector %d", v);
		cr_assert_eq((lo >> 16) & 0xffff, SEL_CODE64);
		cr_assert_eq((lo >> 40) & 0xff, 0x8e, "present interrupt gate");
	}
	cr_assert_eq(get64(GUEST_IDT + 16 * 3), 0, "vectors past n are not present");
}

Test(probe_layout, ivt_entries_are_segment_zero_offsets)
{
	uint64_t handlers[2] = { 0x8400, 0x8410 };
	uint16_t off, seg;

	memset(mem, 0xff, 0x400);
	layout_ivt(mem, handlers, 2);
	memcpy(&off, mem + 4, 2);
	memcpy(&seg, mem + 6, 2);
	cr_assert_eq(off, 0x8410);
	cr_assert_eq(seg, 0);
}

/* The loaded guest: code at GUEST_CODE, vectors at stubs, the batch size in the mailbox. */
Test(probe_layout, loaded_long_mode_guest_points_vectors_at_stubs)
{
	uint64_t h6, batch;

	vm_load_guest(mem, PROBE_MODE_LONG);
	cr_assert_eq(memcmp(mem + GUEST_CODE, guest_code_start, guest_code_end - guest_code_start), 0);
	memcpy(&batch, mem + GUEST_MAILBOX + MB_BATCH, 8);
	cr_assert_eq(batch, GUEST_BATCH);
	h6 = (get64(GUEST_IDT + 16 * 6) & 0xffff) | (((get64(GUEST_IDT + 16 * 6) >> 48) & 0xffff) << 16);
	cr_assert_eq(h6, guest_addr(guest64_vectors) + 6 * GUEST_VECTOR_STUB_SIZE);
	/* #UD pushes no error code: its stub pushes a 0, then the vector (6a 00 6a 06). */
	cr_assert_eq(mem[h6], 0x6a);
	cr_assert_eq(mem[h6 + 1], 0x00);
	cr_assert_eq(mem[h6 + 2], 0x6a);
	cr_assert_eq(mem[h6 + 3], 6);
	/* #GP pushes its own: the stub pushes only the vector. */
	cr_assert_eq(mem[h6 + 7 * GUEST_VECTOR_STUB_SIZE], 0x6a);
	cr_assert_eq(mem[h6 + 7 * GUEST_VECTOR_STUB_SIZE + 1], 13);
	cr_assert_eq(layout_translate(mem, GUEST_PD), GUEST_PD);
}

Test(probe_layout, loaded_real_mode_guest_fills_the_ivt)
{
	uint16_t off;

	vm_load_guest(mem, PROBE_MODE_REAL);
	memcpy(&off, mem + 4 * 13, 2);
	cr_assert_eq(off, guest_addr(guest16_vectors) + 13 * GUEST_VECTOR_STUB_SIZE);
	cr_assert_eq(mem[off], 0x6a);
	cr_assert_eq(mem[off + 1], 13);
	cr_assert_eq(get64(GUEST_PML4), 0, "no page tables in real mode");
}

static bool contains(const uint8_t *p, size_t len, const uint8_t *needle, size_t nlen)
{
	for (size_t i = 0; i + nlen <= len; i++)
		if (!memcmp(p + i, needle, nlen))
			return true;
	return false;
}

Test(probe_layout, hypercall_instruction_follows_the_vendor)
{
	static const uint8_t vmcall[] = { 0x0f, 0x01, 0xc1 }, vmmcall[] = { 0x0f, 0x01, 0xd9 };
	const enum probe_mode modes[] = { PROBE_MODE_LONG, PROBE_MODE_REAL };

	for (int i = 0; i < 2; i++) {
		const uint8_t *intel = guest_entry(EXITLAT_EXIT_HYPERCALL, modes[i], VENDOR_INTEL);
		const uint8_t *amd = guest_entry(EXITLAT_EXIT_HYPERCALL, modes[i], VENDOR_AMD);

		cr_assert(contains(intel, 64, vmcall, 3));
		cr_assert_not(contains(intel, 64, vmmcall, 3));
		cr_assert(contains(amd, 64, vmmcall, 3));
		cr_assert_null(guest_entry(EXITLAT_EXIT_HYPERCALL, modes[i], VENDOR_OTHER));
	}
}

Test(probe_layout, pio_loop_writes_the_exit_port)
{
	/* OUT imm8, AL: e6 PORT */
	cr_assert_eq(guest64_pio[0], 0xe6);
	cr_assert_eq(guest64_pio[1], PORT_EXIT);
	cr_assert_eq(guest16_pio[0], 0xe6);
	cr_assert_eq(guest16_pio[1], PORT_EXIT);
}
