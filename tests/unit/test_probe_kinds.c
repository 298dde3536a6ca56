// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The KVM side's completeness: every kind of the exit-kind table that
 * kvm-probe measures has its row in probe_kinds[] (kvm-probe/kinds.c): a
 * guest loop in long mode, one in real mode or the reason there is none,
 * and the exit each KVM_RUN must return; the kinds still pending on the KVM
 * side (EXITLAT_KVM_PENDING) have none yet.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "exitlat/exit_kind_table.h"
#include "guest.h"
#include "kinds.h"
#include "layout.h"

static bool in_guest_code(const uint8_t *p)
{
	return p >= guest_code_start && p < guest_code_end;
}

Test(probe_kinds, every_kvm_kind_has_its_row_and_pending_kinds_have_none)
{
	for (int k = 0; k < EXITLAT_EXIT_NR; k++) {
		const char *name = exitlat_exits[k].name;
		bool has_row = probe_kinds[k].exit != PROBE_EXIT_MISSING;

		if (exitlat_exits[k].kvm_domain == EXITLAT_DOMAIN_NONE)
			cr_assert_not(has_row, "%s has no KVM domain but a row", name);
		else if (exitlat_kvm_ready(k))
			cr_assert(has_row, "%s: no row in probe_kinds[] (kvm-probe/kinds.c), and it "
				  "is not in EXITLAT_KVM_PENDING", name);
		else
			cr_assert_not(has_row, "%s has its row: remove it from EXITLAT_KVM_PENDING",
				      name);
	}
}

Test(probe_kinds, every_kind_has_a_long_mode_guest_and_a_real_mode_one_or_a_reason)
{
	for (int k = 0; k < EXITLAT_EXIT_NR; k++) {
		const struct probe_kind *p = &probe_kinds[k];
		const char *name = exitlat_exits[k].name;

		if (!exitlat_kvm_ready(k) || p->exit == PROBE_EXIT_NO_GUEST)
			continue;
		cr_assert(in_guest_code(p->guest[PROBE_MODE_LONG]), "%s: no long-mode loop", name);
		if (p->guest[PROBE_MODE_REAL])
			cr_assert(in_guest_code(p->guest[PROBE_MODE_REAL]), "%s", name);
		else
			cr_assert(p->no_real && strlen(p->no_real) > 10,
				  "%s: no real-mode loop and no reason why", name);
		cr_assert(!p->guest[PROBE_MODE_REAL] || !p->no_real,
			  "%s: a real-mode loop and a reason not to have one", name);
		for (int m = 0; m < 2; m++)
			cr_assert(!p->guest_amd[m] || in_guest_code(p->guest_amd[m]), "%s", name);
	}
}

/* Guest-timed kinds exit once per buffer on the report port; host-timed ones once per KVM_RUN. */
Test(probe_kinds, the_expected_exit_follows_the_timing_domain)
{
	for (int k = 0; k < EXITLAT_EXIT_NR; k++) {
		enum probe_exit e = probe_kinds[k].exit;
		const char *name = exitlat_exits[k].name;

		if (!exitlat_kvm_ready(k))
			continue;
		if (exitlat_exits[k].kvm_domain == EXITLAT_DOMAIN_GUEST)
			cr_assert_eq(e, PROBE_EXIT_REPORT, "%s is guest-timed", name);
		else if (exitlat_exits[k].is_null)
			cr_assert_eq(e, PROBE_EXIT_NO_GUEST, "%s runs no guest", name);
		else
			cr_assert(e != PROBE_EXIT_REPORT && e != PROBE_EXIT_NO_GUEST &&
				  e != PROBE_EXIT_MISSING, "%s: which exit ends its KVM_RUN?", name);
		cr_assert(strncmp(probe_exit_name(e), "KVM_EXIT_", 9) == 0 ||
			  e == PROBE_EXIT_NO_GUEST, "%s: %s", name, probe_exit_name(e));
	}
}

/* The expectation of one kind refuses what another kind's guest leaves behind. */
Test(probe_kinds, an_exit_of_another_reason_is_not_accepted)
{
	struct kvm_run run = { .exit_reason = KVM_EXIT_INTERNAL_ERROR };

	for (int k = 0; k < EXITLAT_EXIT_NR; k++)
		cr_assert_not(probe_exit_ok(probe_kinds[k].exit, &run), "%s",
			      exitlat_exits[k].name);
}

Test(probe_kinds, every_need_is_named_in_the_header)
{
	char buf[512];

	for (int k = 0; k < EXITLAT_EXIT_NR; k++) {
		unsigned int needs = probe_kinds[k].needs;
		int phrases = 1;

		probe_needs_describe(needs, buf, sizeof(buf));
		if (!needs) {
			cr_assert_str_eq(buf, "none", "%s", exitlat_exits[k].name);
			continue;
		}
		/* one "; "-separated phrase per bit */
		for (const char *p = buf; (p = strstr(p, "; ")); p += 2)
			phrases++;
		cr_assert_eq(phrases, __builtin_popcount(needs), "%s: '%s'", exitlat_exits[k].name,
			     buf);
	}
}

/* Known limits are said before measuring, not found by the watchdog or a #GP. */
Test(probe_kinds, rdpmc_is_refused_where_kvm_gives_guests_no_pmu)
{
	struct probe_backend b = { .name = "kvm_intel", .vendor = VENDOR_INTEL };

	cr_assert_null(backend_refusal(&b, EXITLAT_EXIT_RDPMC, false));
	b.pmu_off = true;
	cr_assert(strstr(backend_refusal(&b, EXITLAT_EXIT_RDPMC, true), "enable_pmu is N"));
	cr_assert_null(backend_refusal(&b, EXITLAT_EXIT_CPUID, false));
}

/* irqfd kinds: KVM_RUN returns only for the calibration and the end, on the report port. */
Test(probe_kinds, cross_kinds_run_until_the_report_port)
{
	struct kvm_run run = { .exit_reason = KVM_EXIT_IO, .io.port = PORT_REPORT };

	for (int k = 0; k < EXITLAT_EXIT_NR; k++) {
		if (exitlat_exits[k].kvm_domain != EXITLAT_DOMAIN_CROSS || !exitlat_kvm_ready(k))
			continue;
		cr_assert_eq(probe_kinds[k].exit, PROBE_EXIT_CROSS, "%s", exitlat_exits[k].name);
		cr_assert(probe_exit_ok(PROBE_EXIT_CROSS, &run));
	}
}

/* The interrupt kinds: the in-kernel irqchip, long mode only; a second vCPU has its loop. */
Test(probe_kinds, interrupt_kinds_need_the_irqchip_and_vcpu1_its_loop)
{
	for (int k = 0; k < EXITLAT_EXIT_NR; k++) {
		const struct probe_kind *p = &probe_kinds[k];
		const char *name = exitlat_exits[k].name;

		if (exitlat_exits[k].kvm_path != EXITLAT_KVM_IRQ || !exitlat_kvm_ready(k))
			continue;
		cr_assert(p->needs & NEED_IRQCHIP, "%s", name);
		cr_assert_null(p->guest[PROBE_MODE_REAL], "%s", name);
		cr_assert(p->no_real && strstr(p->no_real, "long mode"), "%s", name);
		cr_assert_eq(!!(p->needs & NEED_VCPU1), in_guest_code(p->vcpu1), "%s", name);
	}
	cr_assert(probe_kinds[EXITLAT_EXIT_IPI].needs & NEED_VCPU1);
	cr_assert(probe_kinds[EXITLAT_EXIT_IPI_HALT].needs & NEED_VCPU1);
}
