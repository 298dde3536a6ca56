// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#include "exitlat/exit_kind_table.h"
#include "kinds.h"
#include "layout.h"
#include "measure.h"

static volatile sig_atomic_t interrupted, stalled;
/* Bumped on every completed KVM_RUN or buffer; the watchdog looks for change. */
static volatile sig_atomic_t progress;
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
	if (progress == last_progress) {
		stalled = 1;
		if (active_run)
			active_run->immediate_exit = 1;
	}
	last_progress = progress;
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

/*
 * Host timestamps (Intel SDM vol. 2 RDTSC/RDTSCP; AMD APM vol. 3). Start:
 * LFENCE so the read waits for everything before it (the stats read of the
 * previous sample), LFENCE after so the ioctl's first instruction cannot
 * start before the read. End: RDTSCP waits for the syscall's return path to
 * finish, LFENCE keeps the bookkeeping after it from starting early; without
 * RDTSCP, LFENCE;RDTSC does the same.
 */
static inline __attribute__((always_inline)) uint64_t tsc_start(void)
{
	uint64_t t;

	_mm_lfence();
	t = __rdtsc();
	_mm_lfence();
	return t;
}

static inline __attribute__((always_inline)) uint64_t tsc_end(bool rdtscp)
{
	unsigned int aux;
	uint64_t t;

	if (rdtscp) {
		t = __rdtscp(&aux);
	} else {
		_mm_lfence();
		t = __rdtsc();
	}
	_mm_lfence();
	return t;
}

static void stop(struct measure *m, enum measure_end end, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void stop(struct measure *m, enum measure_end end, const char *fmt, ...)
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
static bool eintr_stops(struct measure *m)
{
	if (interrupted) {
		stop(m, END_INTERRUPTED, "interrupted");
		return true;
	}
	if (stalled) {
		stop(m, END_STALLED, "no progress from the guest");
		return true;
	}
	return false;
}

/* Checks a guest fault report or an unexpected exit; true when it ended the run. */
static bool unexpected_exit(struct measure *m, const char *expected)
{
	struct kvm_run *run = m->vm->run;
	uint64_t vec, err, rip;

	if (run->exit_reason == KVM_EXIT_IO && run->io.port == PORT_FAULT) {
		memcpy(&vec, m->vm->mem + GUEST_MAILBOX + MB_FAULT_VECTOR, 8);
		memcpy(&err, m->vm->mem + GUEST_MAILBOX + MB_FAULT_ERROR, 8);
		memcpy(&rip, m->vm->mem + GUEST_MAILBOX + MB_FAULT_RIP, 8);
		stop(m, END_FAULT, "guest exception %llu (error code %#llx) at RIP %#llx",
		     (unsigned long long)vec, (unsigned long long)err, (unsigned long long)rip);
		return true;
	}
	if (run->exit_reason == KVM_EXIT_IO)
		stop(m, END_ERROR, "expected %s, got KVM_EXIT_IO (port %#x)", expected,
		     run->io.port);
	else if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR)
		stop(m, END_ERROR, "expected %s, got KVM_EXIT_INTERNAL_ERROR (suberror %u)",
		     expected, run->internal.suberror);
	else if (run->exit_reason == KVM_EXIT_FAIL_ENTRY)
		stop(m, END_ERROR, "expected %s, got KVM_EXIT_FAIL_ENTRY (reason %#llx)", expected,
		     (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
	else
		stop(m, END_ERROR, "expected %s, got %s (%u)", expected,
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
		progress++;
		if (!(m->n & 0xffff))
			report_progress(m);
	}
	if (interrupted)
		stop(m, END_INTERRUPTED, "interrupted");
}

static void measure_host(struct measure *m)
{
	int fd = m->vm->vcpu_fd;
	enum probe_exit exit = probe_kinds[m->kind].exit;
	uint64_t before = 0, after;

	if (m->verify && stats_read(m->stats, STAT_EXITS, &before))
		return stop(m, END_ERROR, "reading the exits counter: %s", strerror(errno));
	while (m->n < m->target) {
		uint64_t t0, t1;
		int r;

		t0 = tsc_start();
		r = ioctl(fd, KVM_RUN, 0);
		t1 = tsc_end(m->has_rdtscp);
		m->kvm_runs++;
		if (r < 0) {
			if (errno != EINTR)
				return stop(m, END_ERROR, "KVM_RUN failed: ret %d, errno %d (%s)",
					    r, errno, strerror(errno));
			if (eintr_stops(m))
				return;
			/* The next sample is judged on its own. */
			if (m->verify && stats_read(m->stats, STAT_EXITS, &before))
				return stop(m, END_ERROR, "reading the exits counter: %s",
					    strerror(errno));
			continue;
		}
		if (!probe_exit_ok(exit, m->vm->run) && unexpected_exit(m, probe_exit_name(exit)))
			return;
		probe_exit_answer(exit, m->vm->run);
		progress++;
		if (m->verify) {
			/* Outside the timed window: a pread of the vCPU's counter. */
			if (stats_read(m->stats, STAT_EXITS, &after))
				return stop(m, END_ERROR, "reading the exits counter: %s",
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
 * stopped the run.
 */
static bool buffer_done(struct measure *m)
{
	unsigned int needs = probe_kinds[m->kind].needs;
	uint64_t count = 0;

	if (needs & (NEED_IOEVENTFD_PIO | NEED_IOEVENTFD_MMIO)) {
		if (read(m->vm->eventfd, &count, sizeof(count)) != sizeof(count) && errno != EAGAIN) {
			stop(m, END_ERROR, "reading the eventfd: %s", strerror(errno));
			return false;
		}
		m->eventfd_signals += count;
		if (count != GUEST_BATCH) {
			stop(m, END_ERROR, "the eventfd counted %llu of the buffer's %d writes",
			     (unsigned long long)count, GUEST_BATCH);
			return false;
		}
	}
	if (needs & NEED_FAULT_SLOT && vm_fault_slot_empty(m->vm)) {
		stop(m, END_ERROR, "emptying the fault slot failed");
		return false;
	}
	return true;
}

static void measure_guest(struct measure *m)
{
	struct kvm_run *run = m->vm->run;
	int fd = m->vm->vcpu_fd;
	/* One exit per timed instruction (none for null), one for the report. */
	uint64_t per_buffer = (exitlat_exits[m->kind].is_null ? 0 : GUEST_BATCH) + 1;
	uint64_t before = 0, after, buf_t0 = 0, buf_t1 = 0, inj_before = 0, inj_after;
	bool in_buffer = false;
	/* Interrupt kinds: their exits depend on APIC virtualization; injections are one each. */
	bool irq = exitlat_exits[m->kind].kvm_path == EXITLAT_KVM_IRQ;
	/* the ipi kinds' interrupts go to vCPU 1 */
	const struct probe_stats *is = m->stats1 ? m->stats1 : m->stats;
	bool inj = irq && is->fd >= 0 && is->layout.value_off[STAT_IRQ_INJECTIONS];
	int r;

	if (m->verify && stats_read(m->stats, STAT_EXITS, &before))
		return stop(m, END_ERROR, "reading the exits counter: %s", strerror(errno));
	if (m->verify && inj && stats_read(is, STAT_IRQ_INJECTIONS, &inj_before))
		return stop(m, END_ERROR, "reading irq_injections: %s", strerror(errno));
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
				return stop(m, END_ERROR, "KVM_RUN failed: ret %d, errno %d (%s)",
					    r, errno, strerror(errno));
			if (eintr_stops(m))
				return;
			continue;	/* the buffer goes on; its extra exits are counted */
		}
		if (!probe_exit_ok(PROBE_EXIT_REPORT, run) &&
		    unexpected_exit(m, probe_exit_name(PROBE_EXIT_REPORT)))
			return;
		if (m->trips) {
			buf_t1 = tsc_end(m->has_rdtscp);
			in_buffer = false;
		}
		progress++;
		m->buffers++;
		if (m->verify) {
			if (stats_read(m->stats, STAT_EXITS, &after))
				return stop(m, END_ERROR, "reading the exits counter: %s",
					    strerror(errno));
			/* A timed instruction KVM lets the guest run is no exit to measure. */
			if (after - before == 1 && per_buffer > 1 && !irq)
				return stop(m, END_NO_EXIT, "KVM did not exit on it: a buffer of %d saw "
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
				return stop(m, END_ERROR, "reading irq_injections: %s",
					    strerror(errno));
			m->injections_seen += inj_after - inj_before;
			m->injections_expected += GUEST_BATCH;
			if (inj_after - inj_before > GUEST_BATCH)
				m->buffers_with_extra_injections++;
			inj_before = inj_after;
		}
		if (!buffer_done(m))
			return;
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
			keep_trip(m, buf_t0, buf_t1, i);
			keep(m, v);
		}
		report_progress(m);
	}
}

/*
 * The cross kinds (irqfd, irqfd-halt): this thread runs the vCPU; a second
 * one, pinned to m->cpu2, drives each sample through the mailbox (guest.S's
 * IRQFD_LOOP): it reads KVM's counters, arms the sample, waits until the
 * guest waits (spinning: MB_READY; halted: KVM's halt_exits has moved, so
 * the vCPU is in HLT's path, halt polling included), stamps the host TSC and
 * writes the eventfd, waits for MB_DONE and reads the counters again. It
 * runs with every signal blocked, so the watchdog's and Ctrl-C's signals
 * reach the vCPU thread and make KVM_RUN return.
 */
struct cross {
	struct measure *m;
	uint64_t total;			/* samples to take: warm-up + kept + the dropped */
	uint64_t cap;			/* room in the arrays */
	uint64_t *host_tsc, *guest_tsc;
	struct irq_delta *delta;
	uint64_t n;			/* samples done */
	volatile sig_atomic_t quit;	/* vCPU thread: stop now */
	char why[160];			/* the writer's error */
};

static inline uint64_t mb_load(const struct probe_vm *vm, unsigned int field)
{
	return __atomic_load_n((const uint64_t *)(vm->mem + GUEST_MAILBOX + field),
			       __ATOMIC_ACQUIRE);
}

static inline void mb_store(struct probe_vm *vm, unsigned int field, uint64_t v)
{
	__atomic_store_n((uint64_t *)(vm->mem + GUEST_MAILBOX + field), v, __ATOMIC_RELEASE);
}

/* Spins until the mailbox's @field is @v; false when told to quit first. */
static bool cross_wait(struct cross *c, unsigned int field, uint64_t v)
{
	while (mb_load(c->m->vm, field) != v)
		if (c->quit)
			return false;
	return true;
}

static int cross_counters(struct cross *c, uint64_t *exits, uint64_t *inj, uint64_t *halts)
{
	const struct probe_stats *st = c->m->stats;

	*inj = *halts = 0;
	if (!c->m->verify && !c->m->halt)
		return 0;
	if (stats_read(st, STAT_EXITS, exits) || stats_read(st, STAT_HALT_EXITS, halts) ||
	    (st->layout.value_off[STAT_IRQ_INJECTIONS] &&
	     stats_read(st, STAT_IRQ_INJECTIONS, inj))) {
		snprintf(c->why, sizeof(c->why), "reading KVM's counters: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Judges the c->n samples taken: the latency of each on one clock, and,
 * verified, its counters against the kind's own exits (the fewest any
 * kept-phase sample saw). Returns how many kept-phase samples stand; with
 * @keep, stores them in m->samples and counts the verdicts.
 */
static uint64_t cross_judge(struct measure *m, const struct cross *c, struct measure *keep)
{
	uint64_t w = m->warmup < c->n ? m->warmup : c->n, baseline, kept = 0;

	baseline = irq_exits_baseline(c->delta + w, c->n - w);
	if (keep)
		keep->exits_baseline = baseline;
	for (uint64_t i = 0; i < c->n; i++) {
		enum irq_verdict v = IRQ_KEEP;
		uint64_t lat = 0;

		if (!irq_cross_latency(c->guest_tsc[i], m->tsc_offset, c->host_tsc[i], &lat))
			v = IRQ_DROP_EARLY;
		else if (m->verify)
			v = irq_verdict(&c->delta[i], baseline);
		if (i < w) {
			if (keep && v != IRQ_KEEP)
				keep->dropped_warmup++;
			continue;
		}
		if (v == IRQ_KEEP && kept < m->target) {
			if (keep)
				keep->samples[kept] = lat;
			kept++;
		} else if (keep && v != IRQ_KEEP) {
			keep->verdicts[v]++;
			keep->dropped++;
		}
	}
	return kept;
}

static void *cross_writer(void *arg)
{
	struct cross *c = arg;
	struct measure *m = c->m;
	cpu_set_t set;
	const uint64_t one = 1;

	CPU_ZERO(&set);
	CPU_SET(m->cpu2, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		snprintf(c->why, sizeof(c->why), "pinning the eventfd writer to CPU %d: %s",
			 m->cpu2, strerror(errno));
		goto out;
	}
	for (uint64_t i = 0; i < c->total && i < c->cap; i++) {
		uint64_t seq = i + 1, e0 = 0, j0, h0, e1 = 0, j1, h1, t;

		if (cross_counters(c, &e0, &j0, &h0))
			break;
		mb_store(m->vm, MB_ARM, seq);
		if (!cross_wait(c, MB_READY, seq))
			break;
		/* Halted: KVM has counted the HLT (with a stats fd; else a pause of ~100 us). */
		if (m->halt && m->stats->fd >= 0) {
			do {
				if (c->quit || cross_counters(c, &e1, &j1, &h1))
					goto out;
			} while (h1 == h0);
		} else if (m->halt) {
			usleep(100);
		}
		t = tsc_start();
		if (write(m->vm->irqfd, &one, sizeof(one)) != sizeof(one)) {
			snprintf(c->why, sizeof(c->why), "writing the irqfd: %s", strerror(errno));
			break;
		}
		if (!cross_wait(c, MB_DONE, seq))
			break;
		if (cross_counters(c, &e1, &j1, &h1))
			break;
		c->host_tsc[i] = t;
		c->guest_tsc[i] = mb_load(m->vm, MB_IRQ_TSC);
		c->delta[i] = (struct irq_delta){ .exits = e1 - e0, .injections = j1 - j0 };
		c->n = i + 1;
		progress++;
		/* Dropped samples are judged on all of them: take more until enough are kept. */
		if (c->n == c->total)
			c->total += m->target - cross_judge(m, c, NULL);
	}
out:
	mb_store(m->vm, MB_ARM, MB_STOP);
	return NULL;
}

/* The calibration exit: the guest's TSC between two host reads; and KVM's own offset. */
static bool cross_clock(struct measure *m)
{
	struct kvm_run *run = m->vm->run;
	uint64_t h0, h1, g;
	int r;

	h0 = tsc_start();
	do {
		r = ioctl(m->vm->vcpu_fd, KVM_RUN, 0);
		m->kvm_runs++;
	} while (r < 0 && errno == EINTR && !eintr_stops(m));
	h1 = tsc_end(m->has_rdtscp);
	if (m->end != END_DONE)
		return false;
	if (r < 0) {
		stop(m, END_ERROR, "KVM_RUN failed: ret %d, errno %d (%s)", r, errno,
		     strerror(errno));
		return false;
	}
	if (!probe_exit_ok(PROBE_EXIT_CROSS, run)) {
		unexpected_exit(m, probe_exit_name(PROBE_EXIT_CROSS));
		return false;
	}
	g = mb_load(m->vm, MB_CALIB);
	m->calib_offset = irq_calibrate(h0, g, h1, &m->calib_uncertainty);
	m->offset_from_attr = vm_tsc_offset(m->vm, m->vm->vcpu_fd, &m->tsc_offset) == 0;
	if (!m->offset_from_attr)
		m->tsc_offset = m->calib_offset;
	return true;
}

/* After the run: the kept samples, and the drops' reasons in words. */
static void cross_keep(struct measure *m, struct cross *c)
{
	char *p = m->drop_reason;
	size_t left = sizeof(m->drop_reason);

	m->n = cross_judge(m, c, m);
	for (int v = IRQ_KEEP + 1; v < IRQ_VERDICT_NR; v++) {
		int k;

		if (!m->verdicts[v])
			continue;
		k = snprintf(p, left, "%s%llu %s", p == m->drop_reason ? "" : "; ",
			     (unsigned long long)m->verdicts[v], irq_verdict_reason(v));
		if (k < 0 || (size_t)k >= left)
			break;
		p += k;
		left -= (size_t)k;
	}
}

static void measure_cross(struct measure *m)
{
	struct kvm_run *run = m->vm->run;
	/* room for as many dropped as kept, at least 4096 */
	struct cross c = { .m = m, .total = m->warmup + m->target,
			   .cap = 2 * (m->warmup + m->target) + 4096 };
	sigset_t all, old;
	pthread_t writer;
	int r;

	c.host_tsc = calloc(c.cap, sizeof(*c.host_tsc));
	c.guest_tsc = calloc(c.cap, sizeof(*c.guest_tsc));
	c.delta = calloc(c.cap, sizeof(*c.delta));
	if (!c.host_tsc || !c.guest_tsc || !c.delta) {
		stop(m, END_ERROR, "out of memory for %llu samples", (unsigned long long)c.total);
		goto out;
	}
	if (!cross_clock(m))
		goto out;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = pthread_create(&writer, NULL, cross_writer, &c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r) {
		stop(m, END_ERROR, "starting the eventfd writer: %s", strerror(r));
		goto out;
	}
	for (;;) {
		r = ioctl(m->vm->vcpu_fd, KVM_RUN, 0);
		m->kvm_runs++;
		if (r < 0) {
			if (errno != EINTR) {
				stop(m, END_ERROR, "KVM_RUN failed: ret %d, errno %d (%s)", r, errno,
				     strerror(errno));
				break;
			}
			if (eintr_stops(m))
				break;
			continue;	/* a sample it lands in sees the exit and is dropped */
		}
		/* the writer's MB_STOP: the guest reports and stops */
		if (probe_exit_ok(PROBE_EXIT_CROSS, run))
			break;
		unexpected_exit(m, probe_exit_name(PROBE_EXIT_CROSS));
		break;
	}
	c.quit = 1;
	pthread_join(writer, NULL);
	if (m->end == END_DONE && c.why[0])
		stop(m, END_ERROR, "%s", c.why);
	cross_keep(m, &c);
	if (m->end == END_DONE && m->n < m->target)
		stop(m, END_ERROR, "the eventfd writer stopped after %llu samples, %llu kept",
		     (unsigned long long)c.n, (unsigned long long)m->n);
out:
	free(c.host_tsc);
	free(c.guest_tsc);
	free(c.delta);
}

/*
 * The ipi kinds: vCPU 0 runs here, guest-timed as any other kind; vCPU 1
 * runs on a thread pinned to m->cpu2 and must never exit to user space.
 * A third thread, unpinned and sleeping between looks, arms each ipi-halt
 * sample once KVM counted vCPU 1's HLT (or, without a stats fd, 100 us
 * after vCPU 1 said it waits), and tells the watchdog of progress. Both run with the process' signals blocked
 * (the watchdog's and Ctrl-C's reach this thread); SIGUSR1 with
 * immediate_exit stops vCPU 1.
 */
struct ipi {
	struct measure *m;
	volatile sig_atomic_t quit;
	char why[200];
};

static void on_kick(int sig)
{
	(void)sig;
}

static void *ipi_vcpu1(void *arg)
{
	struct ipi *p = arg;
	struct probe_vm *vm = p->m->vm;
	struct kvm_run *run = vm->run1;
	sigset_t kick;
	cpu_set_t set;
	uint64_t vec, rip;

	sigemptyset(&kick);
	sigaddset(&kick, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &kick, NULL);
	CPU_ZERO(&set);
	CPU_SET(p->m->cpu2, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		snprintf(p->why, sizeof(p->why), "pinning vCPU 1 to CPU %d: %s", p->m->cpu2,
			 strerror(errno));
		return NULL;
	}
	while (!p->quit) {
		if (ioctl(vm->vcpu1_fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR)
				continue;
			snprintf(p->why, sizeof(p->why), "vCPU 1: KVM_RUN failed: %s",
				 strerror(errno));
			return NULL;
		}
		if (run->exit_reason == KVM_EXIT_IO && run->io.port == PORT_FAULT) {
			memcpy(&vec, vm->mem + GUEST_MAILBOX + MB_FAULT_VECTOR, 8);
			memcpy(&rip, vm->mem + GUEST_MAILBOX + MB_FAULT_RIP, 8);
			snprintf(p->why, sizeof(p->why), "vCPU 1: guest exception %llu at RIP %#llx",
				 (unsigned long long)vec, (unsigned long long)rip);
		} else {
			snprintf(p->why, sizeof(p->why), "vCPU 1: unexpected exit %s (%u)",
				 kvm_exit_name(run->exit_reason), run->exit_reason);
		}
		return NULL;
	}
	return NULL;
}

/* Tells the watchdog of every interrupt taken: a buffer of slow deliveries may outlast it (kvm_pvm). */
static void irq_watch(struct ipi *p)
{
	uint64_t seen = 0, count;

	while (!p->quit) {
		usleep(1000);
		count = mb_load(p->m->vm, MB_IRQ_COUNT);
		if (count != seen)
			progress++;
		seen = count;
	}
}

/* ipi-halt: arms each sample; the other guest-timed interrupt kinds: irq_watch. */
static void *irq_helper(void *arg)
{
	struct ipi *p = arg;
	struct measure *m = p->m;
	uint64_t h0 = 0, h1 = 0;
	bool counted = m->stats1 && m->stats1->fd >= 0;

	if (m->kind != EXITLAT_EXIT_IPI_HALT) {
		irq_watch(p);
		return NULL;
	}
	for (uint64_t seq = 1; !p->quit; seq++) {
		if (counted && stats_read(m->stats1, STAT_HALT_EXITS, &h0))
			counted = false;
		while (mb_load(m->vm, MB_READY) != seq)
			if (p->quit)
				return NULL;
			else
				usleep(10);
		do {
			if (p->quit)
				return NULL;
			usleep(counted ? 10 : 100);
		} while (counted && !stats_read(m->stats1, STAT_HALT_EXITS, &h1) && h1 == h0);
		mb_store(m->vm, MB_ARM, seq);
		progress++;
	}
	return NULL;
}

/* self-ipi, eoi, timer: guest-timed, with irq_watch beside them. */
static void measure_irq_guest(struct measure *m)
{
	struct ipi p = { .m = m };
	sigset_t all, old;
	pthread_t watch;
	int r;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = pthread_create(&watch, NULL, irq_helper, &p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r)
		return stop(m, END_ERROR, "starting the progress watcher: %s", strerror(r));
	measure_guest(m);
	p.quit = 1;
	pthread_join(watch, NULL);
}

static void measure_ipi(struct measure *m)
{
	struct sigaction kick = { .sa_handler = on_kick };
	struct ipi p = { .m = m };
	int64_t off0, off1;
	pthread_t vcpu1, arm;
	sigset_t all, old;
	int r;

	/* One clock: the same offset for both, or their difference taken off every sample */
	m->offset_from_attr = !vm_tsc_offset(m->vm, m->vm->vcpu_fd, &off0) &&
			      !vm_tsc_offset(m->vm, m->vm->vcpu1_fd, &off1);
	m->tsc_offset = m->offset_from_attr ? off1 - off0 : 0;
	sigemptyset(&kick.sa_mask);
	if (sigaction(SIGUSR1, &kick, NULL))
		return stop(m, END_ERROR, "SIGUSR1: %s", strerror(errno));
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = pthread_create(&vcpu1, NULL, ipi_vcpu1, &p);
	if (!r && (r = pthread_create(&arm, NULL, irq_helper, &p))) {
		p.quit = 1;
		m->vm->run1->immediate_exit = 1;
		pthread_kill(vcpu1, SIGUSR1);
		pthread_join(vcpu1, NULL);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r)
		return stop(m, END_ERROR, "starting vCPU 1's thread: %s", strerror(r));
	measure_guest(m);
	p.quit = 1;
	m->vm->run1->immediate_exit = 1;
	pthread_kill(vcpu1, SIGUSR1);
	pthread_join(vcpu1, NULL);
	pthread_join(arm, NULL);
	/* vCPU 1's own failure is why vCPU 0 stalled */
	if (p.why[0] && m->end != END_INTERRUPTED)
		stop(m, strstr(p.why, "exception") ? END_FAULT : END_ERROR, "%s", p.why);
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
		stop(m, END_INTERRUPTED, "interrupted");
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
