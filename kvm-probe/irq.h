/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The interrupt kinds' arithmetic and rules (pure; tests/unit/test_probe_irq.c):
 * the host-to-guest clock for the cross-timed irqfd kinds, each sample's
 * verdict from KVM's counters, the timer's distance, the second host CPU.
 */
#ifndef KVM_PROBE_IRQ_H
#define KVM_PROBE_IRQ_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How far ahead the timer kind arms its LAPIC timer. */
#define IRQ_TIMER_DISTANCE_NS	50000
/* KVM's APIC bus cycle before KVM_CAP_X86_APIC_BUS_CYCLES_NS (6.11) let a VMM change it. */
#define IRQ_APIC_BUS_NS_DEFAULT	1

/*
 * The guest's TSC offset from a calibration exit: the guest read @g between
 * the host's reads @h0 and @h1, so guest = host + offset with the host's
 * time taken as the window's middle; *@uncertainty is half the window.
 */
int64_t irq_calibrate(uint64_t h0, uint64_t g, uint64_t h1, uint64_t *uncertainty);

/*
 * A cross sample: the handler's guest TSC @guest_tsc, the guest's TSC offset
 * removed (no TSC scaling: kvm-probe never sets KVM_SET_TSC_KHZ, and refuses
 * where the guest's rate is not the host's), minus the host's stamp. False
 * when the handler would come before the write (a wrong offset).
 */
bool irq_cross_latency(uint64_t guest_tsc, int64_t offset, uint64_t host_tsc, uint64_t *lat);

/* KVM's counters across one cross sample (stats fd, read by the host thread). */
struct irq_delta {
	uint64_t exits;
	uint64_t injections;	/* irq_injections */
};

enum irq_verdict {
	IRQ_KEEP,
	IRQ_DROP_EXIT,		/* more exits than the kind's own path */
	IRQ_DROP_INJECTION,	/* more than the one injection */
	IRQ_DROP_EARLY,		/* handler before the host's write: offset wrong */
	IRQ_VERDICT_NR,
};

/*
 * The kind's own exits per sample: the fewest any sample saw (an exit that
 * disturbs a sample only ever adds to its path's own).
 */
uint64_t irq_exits_baseline(const struct irq_delta *d, size_t n);
enum irq_verdict irq_verdict(const struct irq_delta *d, uint64_t baseline);
/* "another exit (KVM's exit counter)", ... for the drop reasons */
const char *irq_verdict_reason(enum irq_verdict v);

/* timer: a guest-timed sample is handler minus deadline; "negative" means early. */
static inline bool irq_timer_early(uint64_t v)
{
	return v >> 63;
}

/* The timer's distance in TSC cycles at @tsc_khz, and as a one-shot count of @bus_ns cycles. */
uint64_t irq_timer_tsc(uint64_t tsc_khz);
uint64_t irq_timer_count(uint64_t bus_ns);

/*
 * The host CPU for the second thread: @want when it is in @allowed and not
 * @first; with @want < 0 the next allowed CPU after @first (wrapping). -1
 * when there is none (one CPU): the caller refuses.
 */
int irq_second_cpu(const cpu_set_t *allowed, int first, int want);

/*
 * The state letter of a /proc/PID/task/TID/stat line ('S': asleep, as a
 * halted vCPU's thread is once KVM's halt polling ended); 0 when malformed.
 * The command name may hold spaces and ')': the state follows the last ')'.
 */
char irq_task_state(const char *stat);

#endif
