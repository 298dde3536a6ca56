// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The native side's completeness: every kind of the exit-kind table that
 * exitlat.ko measures has its VMX controls (module/kernel/vmx_controls.c),
 * its SVM intercepts and exit code (svm_intercepts.c) and its guest
 * instruction in module/kind-insns.txt (what make check-insns looks for in
 * the built module; a kind whose guest runs no instruction, null and
 * intr-exit, has none there); a kind still pending on the native side
 * (EXITLAT_NATIVE_PENDING) has not all of them yet. The VMX exit reason and
 * the guest stub's address live in vmx.c and exitlat.h, kernel-only code
 * this test cannot link: check-insns and the emulator boots cover them.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "exitlat/exit_kind_table.h"
#include "fixtures.h"
#include "../../module/kernel/svm_intercepts.h"
#include "../../module/kernel/vmx_controls.h"

#define KIND_INSNS "module/kind-insns.txt"

/* A CPU that allows every control: only a kind the code does not know is refused. */
static const struct vmx_caps allow_all = {
	.pinbased = 0xffffffff00000000ull,
	.procbased = 0xffffffff00000000ull,
	.exit = 0xffffffff00000000ull,
	.entry = 0xffffffff00000000ull,
	.procbased2 = 0xffffffff00000000ull,
};

static bool has_vmx_controls(unsigned int k)
{
	struct vmx_controls ctl;
	enum vmx_ctl_word bad;
	u32 missing;

	return vmx_controls_for_kind(&allow_all, k, &ctl, &bad, &missing) == 0;
}

/* Intercepts beyond those every kind has (null's), and the exit code they give. */
static bool has_svm_intercept(unsigned int k)
{
	struct svm_intercepts ic, null_ic;

	memset(&ic, 0, sizeof(ic));
	memset(&null_ic, 0, sizeof(null_ic));
	if (svm_intercepts_for_kind(k, &ic) || svm_intercepts_for_kind(EXITLAT_EXIT_NULL_KIND,
								       &null_ic))
		return false;
	if (exitlat_exits[k].is_null)
		return true;
	/* an interrupt kind's intercept is INTR, which every kind has: its exit code is its own */
	if (!exitlat_native_guest_runs(k))
		return ic.expected_exit == SVM_EXIT_INTR && (ic.misc1 & SVM_INTERCEPT_INTR);
	null_ic.expected_exit = ic.expected_exit;
	return ic.expected_exit != SVM_EXIT_INVALID && memcmp(&ic, &null_ic, sizeof(ic)) != 0;
}

/* Lines of module/kind-insns.txt naming kind @k. */
static int insn_lines(unsigned int k)
{
	char err[512], line[512], kind[64];
	int n = 0, lineno = 0;
	FILE *f = fix_open_data(KIND_INSNS, err, sizeof(err));

	cr_assert_not_null(f, "%s", err);
	while (fgets(line, sizeof(line), f)) {
		char name[64], re[256];

		lineno++;
		if (line[0] == '#')
			continue;
		cr_assert_eq(sscanf(line, "%63s %63s %255s", kind, name, re), 3,
			     KIND_INSNS ":%d: not KIND NAME REGEX", lineno);
		cr_assert_geq(exitlat_exit_by_name(kind), 0, KIND_INSNS ":%d: unknown kind '%s'",
			      lineno, kind);
		n += strcmp(kind, exitlat_exits[k].name) == 0;
	}
	fclose(f);
	return n;
}

static bool is_complete(unsigned int k)
{
	return has_vmx_controls(k) && has_svm_intercept(k) &&
	       (!exitlat_native_guest_runs(k) || insn_lines(k) > 0);
}

Test(native_kinds, every_native_kind_has_vmx_controls_an_svm_intercept_and_its_instruction)
{
	for (unsigned int k = 0; k < EXITLAT_EXIT_NR; k++) {
		const char *name = exitlat_exits[k].name;

		if (!exitlat_native_ready(k))
			continue;
		cr_assert(has_vmx_controls(k), "%s: vmx_controls_for_kind() does not know it", name);
		cr_assert(has_svm_intercept(k), "%s: svm_intercepts_for_kind() gives no intercept "
			  "or exit code of its own", name);
		if (exitlat_native_guest_runs(k))
			cr_assert_gt(insn_lines(k), 0, "%s: no line in " KIND_INSNS, name);
		else
			cr_assert_eq(insn_lines(k), 0, "%s: its guest runs no instruction, yet "
				     KIND_INSNS " names one", name);
	}
}

/* The pending list empties as the code lands: a complete kind may not stay on it. */
Test(native_kinds, a_pending_kind_is_not_complete_yet)
{
	for (unsigned int k = 0; k < EXITLAT_EXIT_NR; k++) {
		if (exitlat_exits[k].native_domain == EXITLAT_DOMAIN_NONE || exitlat_native_ready(k))
			continue;
		cr_assert_not(is_complete(k), "%s has its VMX controls, SVM intercept and "
			      "instruction: remove it from EXITLAT_NATIVE_PENDING", exitlat_exits[k].name);
	}
}

Test(native_kinds, kinds_without_a_native_side_have_no_native_code)
{
	for (unsigned int k = 0; k < EXITLAT_EXIT_NR; k++) {
		if (exitlat_exits[k].native_domain != EXITLAT_DOMAIN_NONE)
			continue;
		cr_assert_not(has_vmx_controls(k), "%s", exitlat_exits[k].name);
		cr_assert_eq(insn_lines(k), 0, "%s: a line in " KIND_INSNS, exitlat_exits[k].name);
	}
}
