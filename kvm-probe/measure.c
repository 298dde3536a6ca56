// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "exitlat/exit_kind_table.h"
#include "kinds.h"
#include "layout.h"
#include "measure.h"
#include "measure_priv.h"

static volatile sig_atomic_t interrupted, stalled;
volatile sig_atomic_t measure_progress;
static volatile sig_atomic_t last_progress = -1;
/* So the handlers can make the next (or current) KVM_RUN return at once. */
static struct kvm_run *volatile active_run;

static void on_stop(int sig)
{
	(void)sig;
	interrupted = 1;
	if (active_run)
		active_run->immediate_exit = 1;
}

/* SIGALRM: its arrival alone kicks the vCPU out of KVM_RUN with EINTR. */
static void on_tick(int sig)
{
	(void)sig;
	if (measure_progress == last_progress) {
		stalled = 1;
		if (active_run)
			active_run->immediate_exit = 1;
	}
	last_progress = measure_progress;
}

int measure_signals_init(unsigned int watchdog_s)
{
	/* No SA_RESTART: KVM_RUN must come back with EINTR. */
	struct sigaction stop = { .sa_handler = on_stop }, tick = { .sa_handler = on_tick };
	/* A stall shows between one and two periods after the last progress. */
	struct itimerval it = {
		.it_interval = { .tv_sec = watchdog_s },
		.it_value = { .tv_sec = watchdog_s },
	};

	sigemptyset(&stop.sa_mask);
	sigemptyset(&tick.sa_mask);
	/* Every signal that ends a run by default keeps its samples instead. */
	if (sigaction(SIGINT, &stop, NULL) || sigaction(SIGTERM, &stop, NULL) ||
	    sigaction(SIGHUP, &stop, NULL) || sigaction(SIGQUIT, &stop, NULL) ||
	    sigaction(SIGALRM, &tick, NULL) || setitimer(ITIMER_REAL, &it, NULL)) {
		perror("kvm-probe: signal handlers");
		return -1;
	}
	return 0;
}

void measure_signals_stop(void)
{
	struct itimerval off = { 0 };

	setitimer(ITIMER_REAL, &off, NULL);
	active_run = NULL;
}

bool measure_interrupted(void)
{
	return interrupted;
}

void measure_stop(struct measure *m, enum measure_end end, const char *fmt, ...)
{
	va_list ap;

	m->end = end;
	va_start(ap, fmt);
	vsnprintf(m->why, sizeof(m->why), fmt, ap);
	va_end(ap);
}

static void report_progress(struct measure *m)
{
	static struct timespec last;
	struct timespec now;

	if (!m->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec == last.tv_sec && m->n < m->target)
		return;
	last = now;
	fprintf(stderr, "\rkvm-probe: %s: %llu/%llu samples", exitlat_exits[m->kind].name,
		(unsigned long long)m->n, (unsigned long long)m->target);
	if (m->n >= m->target)
		fputc('\n', stderr);
}

/* A KVM_RUN came back with EINTR: Ctrl-C, the watchdog, or only its tick. Returns true to stop. */
bool measure_eintr_stops(struct measure *m)
{
	if (interrupted) {
		measure_stop(m, END_INTERRUPTED, "interrupted");
		return true;
	}
	if (stalled) {
		measure_stop(m, END_STALLED, "no progress from the guest");
		return true;
	}
	return false;
}

/* Checks a guest fault report or an unexpected exit; true when it ended the run. */
bool measure_unexpected_exit(struct measure *m, const char *expected)
{
	struct kvm_run *run = m->vm->run;
	uint64_t vec, err, rip;

	if (run->exit_reason == KVM_EXIT_IO && run->io.port == PORT_FAULT) {
		memcpy(&vec, m->vm->mem + GUEST_MAILBOX + MB_FAULT_VECTOR, 8);
		memcpy(&err, m->vm->mem + GUEST_MAILBOX + MB_FAULT_ERROR, 8);
		memcpy(&rip, m->vm->mem + GUEST_MAILBOX + MB_FAULT_RIP, 8);
		measure_stop(m, END_FAULT, "guest exception %llu (error code %#llx) at RIP %#llx",
		     (unsigned long long)vec, (unsigned long long)err, (unsigned long long)rip);
		return true;
	}
	if (run->exit_reason == KVM_EXIT_IO)
		measure_stop(m, END_ERROR, "expected %s, got KVM_EXIT_IO (port %#x)", expected,
		     run->io.port);
	else if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR)
		measure_stop(m, END_ERROR, "expected %s, got KVM_EXIT_INTERNAL_ERROR (suberror %u)",
		     expected, run->internal.suberror);
	else if (run->exit_reason == KVM_EXIT_FAIL_ENTRY)
		measure_stop(m, END_ERROR, "expected %s, got KVM_EXIT_FAIL_ENTRY (reason %#llx)", expected,
		     (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
	else
		measure_stop(m, END_ERROR, "expected %s, got %s (%u)", expected,
		     kvm_exit_name(run->exit_reason), run->exit_reason);
	return true;
}

static void keep(struct measure *m, uint64_t v)
{
	if (m->warmup) {
		m->warmup--;
		return;
	}
	m->samples[m->n++] = v;
}

/* --breakdown: the window a kept sample's trace events must fall in. */
static void keep_trip(struct measure *m, uint64_t t0, uint64_t t1, uint32_t index)
{
	if (m->trips && !m->warmup)
		m->trips[m->n] = (struct bd_trip){ .t0 = t0, .t1 = t1, .index = index };
}

/* null-host: the host's pair of reads around nothing, as in the loop below. */
static void measure_null_host(struct measure *m)
{
	while (m->n < m->target && !interrupted) {
		uint64_t t0 = tsc_start(), t1 = tsc_end(m->has_rdtscp);

		keep(m, t1 - t0);
		measure_progress++;
		if (!(m->n & 0xffff))
			report_progress(m);
	}
	if (interrupted)
		measure_stop(m, END_INTERRUPTED, "interrupted");
}

static void measure_host(struct measure *m)
{
	int fd = m->vm->vcpu_fd;
	enum probe_exit exit = probe_kinds[m->kind].exit;
	uint64_t before = 0, after;

	if (m->verify && stats_read(m->stats, STAT_EXITS, &before))
		return measure_stop(m, END_ERROR, "reading the exits counter: %s", strerror(errno));
	while (m->n < m->target) {
		uint64_t t0, t1;
		int r;

		t0 = tsc_start();
		r = ioctl(fd, KVM_RUN, 0);
		t1 = tsc_end(m->has_rdtscp);
		m->kvm_runs++;
		if (r < 0) {
			if (errno != EINTR)
				return measure_stop(m, END_ERROR, "KVM_RUN failed: ret %d, errno %d (%s)",
					    r, errno, strerror(errno));
			if (measure_eintr_stops(m))
				return;
			/* The next sample is judged on its own. */
			if (m->verify && stats_read(m->stats, STAT_EXITS, &before))
				return measure_stop(m, END_ERROR, "reading the exits counter: %s",
					    strerror(errno));
			continue;
		}
		if (!probe_exit_ok(exit, m->vm->run) && measure_unexpected_exit(m, probe_exit_name(exit)))
			return;
		probe_exit_answer(exit, m->vm->run);
		measure_progress++;
		if (m->verify) {
			/* Outside the timed window: a pread of the vCPU's counter. */
			if (stats_read(m->stats, STAT_EXITS, &after))
				return measure_stop(m, END_ERROR, "reading the exits counter: %s",
					    strerror(errno));
			if (after - before != 1) {
				before = after;
				if (m->warmup)
					m->dropped_warmup++;
				else
					m->dropped++;
				continue;
			}
			before = after;
		}
		keep_trip(m, t0, t1, 0);
		keep(m, t1 - t0);
		if (!(m->n & 0xfff))
			report_progress(m);
	}
}

/*
 * After a guest-timed buffer, outside any timed window: the ioeventfd kinds'
 * eventfd must have counted every write of the buffer, and the ept-fault
 * slot is emptied so the next buffer's pages fault again. False when it
 * stopped the run; *drop when the buffer's samples cannot be kept.
 */
static bool buffer_done(struct measure *m, bool *drop)
{
	unsigned int needs = probe_kinds[m->kind].needs;
	uint64_t count = 0;

	if (needs & (NEED_IOEVENTFD_PIO | NEED_IOEVENTFD_MMIO)) {
		if (read(m->vm->eventfd, &count, sizeof(count)) != sizeof(count) && errno != EAGAIN) {
			measure_stop(m, END_ERROR, "reading the eventfd: %s", strerror(errno));
			return false;
		}
		m->eventfd_signals += count;
		if (count != GUEST_BATCH) {
			measure_stop(m, END_ERROR, "the eventfd counted %llu of the buffer's %d writes",
			     (unsigned long long)count, GUEST_BATCH);
			return false;
		}
	}
	/*
	 * Interrupt kinds: the handler runs once per interrupt sent (nothing else
	 * sends). Fewer: an interrupt lost, the run is wrong. More (seen in QEMU's
	 * nested kvm_amd, in up to 2 of 3 ipi buffers; never in Bochs or on
	 * kvm_pvm): a delivery the buffer did not ask for, which may have stamped
	 * a sample: the buffer is dropped, said why.
	 */
	*drop = false;
	if (exitlat_exits[m->kind].kvm_path == EXITLAT_KVM_IRQ) {
		memcpy(&count, m->vm->mem + GUEST_MAILBOX + MB_IRQ_COUNT, sizeof(count));
		count -= m->handler_runs;
		m->handler_runs += count;
		if (count < GUEST_BATCH) {
			measure_stop(m, END_ERROR, "the guest's handler ran %llu times for %d "
				     "interrupts sent", (unsigned long long)count, GUEST_BATCH);
			return false;
		}
		if (count > GUEST_BATCH) {
			m->buffers_with_extra_handler_runs++;
			*drop = true;
			/* a handler that runs unasked in most buffers is no measurement */
			if (m->buffers_with_extra_handler_runs >= 8 &&
			    m->buffers_with_extra_handler_runs * 4 > m->buffers * 3) {
				measure_stop(m, END_ERROR, "the guest's handler ran unasked in %llu "
					     "of %llu buffers", (unsigned long long)
					     m->buffers_with_extra_handler_runs,
					     (unsigned long long)m->buffers);
				return false;
			}
		}
	}
	if (needs & NEED_FAULT_SLOT && vm_fault_slot_empty(m->vm)) {
		measure_stop(m, END_ERROR, "emptying the fault slot failed");
		return false;
	}
	return true;
}

void measure_guest(struct measure *m)
{
	struct kvm_run *run = m->vm->run;
	int fd = m->vm->vcpu_fd;
	/* One exit per timed instruction (none for null), one for the report. */
	uint64_t per_buffer = (exitlat_exits[m->kind].is_null ? 0 : GUEST_BATCH) + 1;
	uint64_t before = 0, after, buf_t0 = 0, buf_t1 = 0, inj_before = 0, inj_after;
	bool in_buffer = false, drop;
	/* Interrupt kinds: their exits depend on APIC virtualization; injections are one each. */
	bool irq = exitlat_exits[m->kind].kvm_path == EXITLAT_KVM_IRQ;
	/* the ipi kinds' interrupts go to vCPU 1 */
	const struct probe_stats *is = m->stats1 ? m->stats1 : m->stats;
	bool inj = irq && is->fd >= 0 && is->layout.value_off[STAT_IRQ_INJECTIONS];
	int r;

	if (m->verify && stats_read(m->stats, STAT_EXITS, &before))
		return measure_stop(m, END_ERROR, "reading the exits counter: %s", strerror(errno));
	if (m->verify && inj && stats_read(is, STAT_IRQ_INJECTIONS, &inj_before))
		return measure_stop(m, END_ERROR, "reading irq_injections: %s", strerror(errno));
	while (m->n < m->target) {
		/* --breakdown: a buffer's window spans its KVM_RUNs, EINTR included. */
		if (m->trips && !in_buffer) {
			buf_t0 = tsc_start();
			in_buffer = true;
		}
		r = ioctl(fd, KVM_RUN, 0);
		m->kvm_runs++;
		if (r < 0) {
			if (errno != EINTR)
				return measure_stop(m, END_ERROR, "KVM_RUN failed: ret %d, errno %d (%s)",
					    r, errno, strerror(errno));
			if (measure_eintr_stops(m))
				return;
			continue;	/* the buffer goes on; its extra exits are counted */
		}
		if (!probe_exit_ok(PROBE_EXIT_REPORT, run) &&
		    measure_unexpected_exit(m, probe_exit_name(PROBE_EXIT_REPORT)))
			return;
		if (m->trips) {
			buf_t1 = tsc_end(m->has_rdtscp);
			in_buffer = false;
		}
		measure_progress++;
		m->buffers++;
		if (m->verify) {
			if (stats_read(m->stats, STAT_EXITS, &after))
				return measure_stop(m, END_ERROR, "reading the exits counter: %s",
					    strerror(errno));
			/* A timed instruction KVM lets the guest run is no exit to measure. */
			if (after - before == 1 && per_buffer > 1 && !irq)
				return measure_stop(m, END_NO_EXIT, "KVM did not exit on it: a buffer of %d saw "
					    "no exit but its report (KVM's exit counter)", GUEST_BATCH);
			m->exits_seen += after - before;
			m->exits_expected += per_buffer;
			if (after - before > per_buffer) {
				m->extra_exits += after - before - per_buffer;
				m->buffers_with_extra++;
			}
			before = after;
		}
		if (m->verify && inj) {
			if (stats_read(is, STAT_IRQ_INJECTIONS, &inj_after))
				return measure_stop(m, END_ERROR, "reading irq_injections: %s",
					    strerror(errno));
			m->injections_seen += inj_after - inj_before;
			m->injections_expected += GUEST_BATCH;
			if (inj_after - inj_before > GUEST_BATCH)
				m->buffers_with_extra_injections++;
			inj_before = inj_after;
		}
		if (!buffer_done(m, &drop))
			return;
		if (drop) {
			m->dropped += GUEST_BATCH;
			snprintf(m->drop_reason, sizeof(m->drop_reason),
				 "in a buffer where the guest's handler ran more often than "
				 "interrupts were sent");
			continue;
		}
		for (uint64_t i = 0; i < GUEST_BATCH && m->n < m->target; i++) {
			uint64_t v;

			memcpy(&v, m->vm->mem + GUEST_BUF + 8 * i, sizeof(v));
			/* KVM may fire a timer early (lapic_timer_advance): no lateness to keep */
			if (m->kind == EXITLAT_EXIT_TIMER && irq_timer_early(v)) {
				if (m->warmup) {
					m->warmup--;
				} else {
					m->dropped++;
					snprintf(m->drop_reason, sizeof(m->drop_reason),
						 "the handler ran before its deadline");
				}
				continue;
			}
			/* ipi: vCPU 1's stamp minus vCPU 0's start, on one clock */
			v -= (uint64_t)m->tsc_offset;
			/*
			 * A handler before its IPI: the vCPUs' TSCs are no one clock
			 * (KVM inside TCG on 6.1 gave them offsets 17M cycles apart
			 * that do not cancel), and no sample of theirs can be kept.
			 */
			if ((probe_kinds[m->kind].needs & NEED_VCPU1) && (int64_t)v < 0)
				return measure_stop(m, END_CLOCKS, "vCPU 1's handler stamped %lld "
						    "cycles before vCPU 0 sent its IPI (their TSC offsets "
						    "differ by %lld, taken off): the two vCPUs' TSCs "
						    "are not one clock here", (long long)v,
						    (long long)m->tsc_offset);
			keep_trip(m, buf_t0, buf_t1, i);
			keep(m, v);
		}
		report_progress(m);
	}
}

void measure_run(struct measure *m)
{
	m->end = END_DONE;
	m->why[0] = '\0';
	stalled = 0;
	last_progress = -1;
	active_run = m->vm ? m->vm->run : NULL;
	if (active_run)
		active_run->immediate_exit = 0;
	if (interrupted) {
		measure_stop(m, END_INTERRUPTED, "interrupted");
	} else if (m->kind == EXITLAT_EXIT_NULL_HOST) {
		measure_null_host(m);
	} else if (exitlat_exits[m->kind].kvm_domain == EXITLAT_DOMAIN_HOST) {
		measure_host(m);
	} else if (exitlat_exits[m->kind].kvm_domain == EXITLAT_DOMAIN_CROSS) {
		measure_cross(m);
	} else if (probe_kinds[m->kind].needs & NEED_VCPU1) {
		measure_ipi(m);
	} else if (exitlat_exits[m->kind].kvm_path == EXITLAT_KVM_IRQ) {
		measure_irq_guest(m);
	} else {
		measure_guest(m);
	}
	if (m->progress && m->n < m->target)
		fputc('\n', stderr);
	active_run = NULL;
}
