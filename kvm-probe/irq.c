// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The interrupt kinds' arithmetic and rules: see irq.h. */
#include <string.h>

#include "irq.h"

int64_t irq_calibrate(uint64_t h0, uint64_t g, uint64_t h1, uint64_t *uncertainty)
{
	uint64_t mid = h0 + (h1 - h0) / 2;

	*uncertainty = (h1 - h0 + 1) / 2;
	return (int64_t)(g - mid);
}

bool irq_cross_latency(uint64_t guest_tsc, int64_t offset, uint64_t host_tsc, uint64_t *lat)
{
	uint64_t seen = guest_tsc - (uint64_t)offset;	/* the handler on the host's clock */

	if ((int64_t)(seen - host_tsc) < 0)
		return false;
	*lat = seen - host_tsc;
	return true;
}

uint64_t irq_exits_baseline(const struct irq_delta *d, size_t n)
{
	uint64_t min = UINT64_MAX;

	for (size_t i = 0; i < n; i++)
		if (d[i].exits < min)
			min = d[i].exits;
	return n ? min : 0;
}

enum irq_verdict irq_verdict(const struct irq_delta *d, uint64_t baseline)
{
	if (d->injections > 1)
		return IRQ_DROP_INJECTION;
	if (d->exits > baseline)
		return IRQ_DROP_EXIT;
	return IRQ_KEEP;
}

const char *irq_verdict_reason(enum irq_verdict v)
{
	static const char *const why[IRQ_VERDICT_NR] = {
		[IRQ_KEEP]		= "kept",
		[IRQ_DROP_EXIT]		= "another exit inside (KVM's exit counter)",
		[IRQ_DROP_INJECTION]	= "an extra injection inside (KVM's irq_injections)",
		[IRQ_DROP_EARLY]	= "the handler before the host's write (TSC offset)",
	};

	return (unsigned int)v < IRQ_VERDICT_NR ? why[v] : "unknown";
}

uint64_t irq_timer_tsc(uint64_t tsc_khz)
{
	return tsc_khz * IRQ_TIMER_DISTANCE_NS / 1000000;
}

uint64_t irq_timer_count(uint64_t bus_ns)
{
	return IRQ_TIMER_DISTANCE_NS / (bus_ns ? bus_ns : IRQ_APIC_BUS_NS_DEFAULT);
}

int irq_second_cpu(const cpu_set_t *allowed, int first, int want)
{
	if (want >= 0)
		return want < CPU_SETSIZE && want != first && CPU_ISSET(want, allowed) ? want : -1;
	for (int i = 1; i < CPU_SETSIZE; i++) {
		int c = (first + i) % CPU_SETSIZE;

		if (c >= 0 && CPU_ISSET(c, allowed))
			return c;
	}
	return -1;
}

char irq_task_state(const char *stat)
{
	const char *p = strrchr(stat, ')');

	if (!p || p[1] != ' ' || !p[2] || p[3] != ' ')
		return 0;
	return p[2];
}
