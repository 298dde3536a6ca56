// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The interrupt kinds' pure rules (kvm-probe/irq.c). */
#include <criterion/criterion.h>

#include "irq.h"

Test(probe_irq, calibration_takes_the_middle_of_the_host_window)
{
	uint64_t u;

	/* guest read 5000 while the host read 1000..1100: offset 3950, +-50 */
	cr_assert_eq(irq_calibrate(1000, 5000, 1100, &u), 3950);
	cr_assert_eq(u, 50);
	/* a guest clock behind the host's: a negative offset */
	cr_assert_eq(irq_calibrate(1000000, 10, 1000010, &u), -999995);
	cr_assert_eq(u, 5);
}

Test(probe_irq, cross_latency_removes_the_offset)
{
	uint64_t lat = 0;

	cr_assert(irq_cross_latency(10500, 10000, 300, &lat));
	cr_assert_eq(lat, 200);
	/* negative offset (guest behind): still on the host's clock */
	cr_assert(irq_cross_latency(100, -1000, 900, &lat));
	cr_assert_eq(lat, 200);
	/* a handler before the write is refused, not wrapped round */
	cr_assert_not(irq_cross_latency(10100, 10000, 300, &lat));
}

Test(probe_irq, the_baseline_is_the_fewest_exits)
{
	struct irq_delta d[] = { { 3, 1 }, { 2, 1 }, { 5, 1 }, { 2, 1 } };

	cr_assert_eq(irq_exits_baseline(d, 4), 2);
	cr_assert_eq(irq_exits_baseline(d, 0), 0);
}

Test(probe_irq, a_disturbed_sample_is_dropped_with_its_reason)
{
	static const struct {
		struct irq_delta d;
		enum irq_verdict v;
	} cases[] = {
		{ { .exits = 2, .injections = 1 }, IRQ_KEEP },
		{ { .exits = 2, .injections = 0 }, IRQ_KEEP },	/* posted: not counted */
		{ { .exits = 3, .injections = 1 }, IRQ_DROP_EXIT },
		{ { .exits = 2, .injections = 2 }, IRQ_DROP_INJECTION },
		{ { .exits = 4, .injections = 2 }, IRQ_DROP_INJECTION },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_eq(irq_verdict(&cases[i].d, 2), cases[i].v, "case %zu", i);
	cr_assert(strstr(irq_verdict_reason(IRQ_DROP_INJECTION), "irq_injections"));
	cr_assert(strstr(irq_verdict_reason(IRQ_DROP_EXIT), "exit counter"));
}

Test(probe_irq, an_early_timer_sample_is_negative)
{
	cr_assert(irq_timer_early((uint64_t)-5));
	cr_assert_not(irq_timer_early(5));
}

Test(probe_irq, the_timer_distance_in_both_units)
{
	/* 50 us at 2 GHz; 50000 ticks of KVM's default 1 ns APIC bus */
	cr_assert_eq(irq_timer_tsc(2000000), 100000);
	cr_assert_eq(irq_timer_count(0), 50000);
	cr_assert_eq(irq_timer_count(2), 25000);
}

Test(probe_irq, the_second_cpu_is_another_allowed_one_or_none)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	CPU_SET(0, &s);
	cr_assert_eq(irq_second_cpu(&s, 0, -1), -1, "one CPU: refused");
	cr_assert_eq(irq_second_cpu(&s, 0, 0), -1, "the same CPU twice: refused");
	CPU_SET(3, &s);
	cr_assert_eq(irq_second_cpu(&s, 0, -1), 3);
	cr_assert_eq(irq_second_cpu(&s, 3, -1), 0, "wraps round");
	cr_assert_eq(irq_second_cpu(&s, 0, 2), -1, "a CPU it may not run on");
	cr_assert_eq(irq_second_cpu(&s, 0, 3), 3);
}

Test(probe_irq, the_task_state_follows_the_last_parenthesis)
{
	cr_assert_eq(irq_task_state("1234 (kvm-probe) S 1 2 3"), 'S');
	cr_assert_eq(irq_task_state("1234 (a) b) R 1 2 3"), 'R');
	cr_assert_eq(irq_task_state("1234 (kvm-probe"), 0);
	cr_assert_eq(irq_task_state(""), 0);
}
