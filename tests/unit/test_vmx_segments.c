// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Segment descriptors to VMX access rights / SVM attributes (module/kernel/segments.c). */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "../../module/kernel/segments.h"

struct seg_case {
	char what[48];	/* an array: parameters are copied into another process */
	uint16_t sel;
	uint64_t desc;
	uint32_t vmx_ar;
	uint16_t svm_attrib;
	uint32_t limit;
	uint64_t base;
};

/* Linux's x86-64 GDT entries (arch/x86/kernel/cpu/common.c) and a few made up. */
static struct seg_case cases[] = {
	{ "__KERNEL_CS", 0x10, 0x00af9b000000ffffull, 0xa09b, 0xa9b, 0xffffffff, 0 },
	{ "__KERNEL_DS", 0x18, 0x00cf93000000ffffull, 0xc093, 0xc93, 0xffffffff, 0 },
	{ "__USER_DS", 0x2b, 0x00cff3000000ffffull, 0xc0f3, 0xcf3, 0xffffffff, 0 },
	{ "__USER_CS", 0x33, 0x00affb000000ffffull, 0xa0fb, 0xafb, 0xffffffff, 0 },
	{ "__KERNEL32_CS", 0x08, 0x00cf9b000000ffffull, 0xc09b, 0xc9b, 0xffffffff, 0 },
	{ "byte-granular data, base 0x12345678", 0x20, 0x12409334567800ffull, 0x4093, 0x493,
	  0x000000ff, 0x12345678 },
	{ "null selector", 0x00, 0, 0x10000, 0, 0, 0 },
	{ "null selector with RPL 3", 0x03, 0x00cff3000000ffffull, 0x10000, 0, 0xffffffff, 0 },
};

ParameterizedTestParameters(segments, descriptor_converts)
{
	return cr_make_param_array(struct seg_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct seg_case *c, segments, descriptor_converts)
{
	cr_assert_eq(seg_vmx_ar(c->sel, c->desc), c->vmx_ar, "%s: VMX AR", c->what);
	cr_assert_eq(seg_svm_attrib(c->sel, c->desc), c->svm_attrib, "%s: SVM attrib", c->what);
	cr_assert_eq(seg_limit(c->desc), c->limit, "%s: limit", c->what);
	cr_assert_eq(seg_base(c->desc, 0, false), c->base, "%s: base", c->what);
}

Test(segments, tss_is_a_16_byte_system_descriptor)
{
	/* busy 64-bit TSS at 0xfffffe0000003000, limit 0x206f (Linux: IO bitmap included) */
	uint64_t lo = 0x00008b003000206full | (0xfeull << 56) | (0x00ull << 32);
	uint64_t hi = 0x00000000fffffffeull;

	cr_assert(seg_is_system(lo));
	cr_assert_eq(seg_vmx_ar(0x40, lo), 0x8b, "busy TSS, present, DPL 0");
	cr_assert_eq(seg_limit(lo), 0x206f);
	cr_assert_eq(seg_base(lo, hi, true), 0xfffffffefe003000ull);
	cr_assert_eq(seg_base(lo, hi, false), 0xfe003000ull, "without the high half: 32 bits");
}

Test(segments, code_and_data_are_not_system)
{
	cr_assert_not(seg_is_system(0x00af9b000000ffffull));
	cr_assert_not(seg_is_system(0x00cf93000000ffffull));
}

Test(segments, gdt_index_of_selectors)
{
	cr_assert_eq(seg_gdt_index(0x10), 2);
	cr_assert_eq(seg_gdt_index(0x2b), 5, "RPL does not change the index");
	cr_assert_eq(seg_gdt_index(0x40), 8);
	cr_assert_eq(seg_gdt_index(0x0), -1, "null");
	cr_assert_eq(seg_gdt_index(0x3), -1, "null with RPL 3");
	cr_assert_eq(seg_gdt_index(0x14), -1, "TI set: the LDT");
}

Test(segments, granularity_scales_the_limit)
{
	/* limit 0x00001, G=1 -> 0x1fff; G=0 -> 1 */
	cr_assert_eq(seg_limit(0x0080930000000001ull), 0x1fff);
	cr_assert_eq(seg_limit(0x0000930000000001ull), 0x1);
	/* limit bits 16-19 come from descriptor bits 48-51 */
	cr_assert_eq(seg_limit(0x000f93000000ffffull), 0xfffff);
}
