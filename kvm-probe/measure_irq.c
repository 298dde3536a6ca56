// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The interrupt kinds' measurement: the threads beside the vCPU (irqfd's
 * eventfd writer, ipi's vCPU 1 and its helper, the progress watcher) and the
 * mailbox handshake with guest.S's loops. measure.c calls these from
 * measure_run().
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "exitlat/exit_kind_table.h"
#include "kinds.h"
#include "layout.h"
#include "measure.h"
#include "measure_priv.h"

/*
 * The cross kinds (irqfd, irqfd-halt): this thread runs the vCPU; a second
 * one, pinned to m->cpu2, drives each sample through the mailbox (guest.S's
 * IRQFD_LOOP): it reads KVM's counters, arms the sample, waits until the
 * guest waits (spinning: MB_READY; halted: asleep in HLT, past KVM's halt
 * polling: await_halted), stamps the host TSC and
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
	pid_t vcpu_tid;			/* the vCPU's thread, for irqfd-halt's wait */
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

/* Whether thread @tid of this process sleeps (state S); -1 where /proc does not say. */
static int task_asleep(pid_t tid)
{
	char path[64], line[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, line, sizeof(line) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	line[n] = '\0';
	switch (irq_task_state(line)) {
	case 0:
		return -1;
	case 'S':
		return 1;
	default:
		return 0;
	}
}

/*
 * Waits until the vCPU on thread @tid is asleep in HLT: KVM counted the HLT
 * (halt_exits past @h0, where @st is a stats fd) and the thread sleeps, so
 * KVM's halt polling is over and the interrupt takes the wake-up path (where
 * /proc says; where neither says, a pause of 1 ms). False when told to quit.
 */
static bool await_halted(const volatile sig_atomic_t *quit, const struct probe_stats *st,
			 uint64_t h0, pid_t tid, unsigned int pause_us)
{
	bool counted = st && st->fd >= 0;
	uint64_t h = h0;
	int asleep;

	for (;;) {
		if (*quit)
			return false;
		if (counted && stats_read(st, STAT_HALT_EXITS, &h))
			counted = false;
		asleep = task_asleep(tid);
		if ((!counted || h != h0) && asleep != 0)
			break;
		if (pause_us)
			usleep(pause_us);
	}
	if (!counted && asleep < 0)
		usleep(1000);	/* past KVM's default halt polling (200 us) */
	return true;
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
	if ((!c->m->verify && !c->m->halt) || st->fd < 0)
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
		if (m->halt && !await_halted(&c->quit, m->stats, h0, c->vcpu_tid, 0))
			break;
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
		measure_progress++;
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
	} while (r < 0 && errno == EINTR && !measure_eintr_stops(m));
	h1 = tsc_end(m->has_rdtscp);
	if (m->end != END_DONE)
		return false;
	if (r < 0) {
		measure_stop(m, END_ERROR, "KVM_RUN failed: ret %d, errno %d (%s)", r, errno,
		     strerror(errno));
		return false;
	}
	if (!probe_exit_ok(PROBE_EXIT_CROSS, run)) {
		measure_unexpected_exit(m, probe_exit_name(PROBE_EXIT_CROSS));
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

void measure_cross(struct measure *m)
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
		measure_stop(m, END_ERROR, "out of memory for %llu samples", (unsigned long long)c.total);
		goto out;
	}
	if (!cross_clock(m))
		goto out;
	c.vcpu_tid = gettid();
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = pthread_create(&writer, NULL, cross_writer, &c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r) {
		measure_stop(m, END_ERROR, "starting the eventfd writer: %s", strerror(r));
		goto out;
	}
	for (;;) {
		r = ioctl(m->vm->vcpu_fd, KVM_RUN, 0);
		m->kvm_runs++;
		if (r < 0) {
			if (errno != EINTR) {
				measure_stop(m, END_ERROR, "KVM_RUN failed: ret %d, errno %d (%s)", r, errno,
				     strerror(errno));
				break;
			}
			if (measure_eintr_stops(m))
				break;
			continue;	/* a sample it lands in sees the exit and is dropped */
		}
		/* the writer's MB_STOP: the guest reports and stops */
		if (probe_exit_ok(PROBE_EXIT_CROSS, run))
			break;
		measure_unexpected_exit(m, probe_exit_name(PROBE_EXIT_CROSS));
		break;
	}
	c.quit = 1;
	pthread_join(writer, NULL);
	if (m->end == END_DONE && c.why[0])
		measure_stop(m, END_ERROR, "%s", c.why);
	cross_keep(m, &c);
	if (m->end == END_DONE && m->n < m->target)
		measure_stop(m, END_ERROR, "the eventfd writer stopped after %llu samples, %llu kept",
		     (unsigned long long)c.n, (unsigned long long)m->n);
out:
	free(c.host_tsc);
	free(c.guest_tsc);
	free(c.delta);
}

/*
 * The ipi kinds: vCPU 0 runs here, guest-timed as any other kind; vCPU 1
 * runs on a thread pinned to m->cpu2 and must never exit to user space.
 * A third thread arms each ipi-halt sample once vCPU 1 is asleep in HLT
 * (await_halted), from vCPU 1's CPU (idle then), and tells the watchdog of
 * progress; for ipi it only does the latter, every 100 ms, on vCPU 0's CPU
 * (the threads inherit its affinity). Both run with the process' signals blocked
 * (the watchdog's and Ctrl-C's reach this thread); SIGUSR1 with
 * immediate_exit stops vCPU 1.
 */
struct ipi {
	struct measure *m;
	volatile pid_t vcpu1_tid;	/* 0 until vCPU 1's thread runs */
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

	p->vcpu1_tid = gettid();
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
		usleep(100000);		/* seldom: each wake-up may preempt a vCPU */
		count = mb_load(p->m->vm, MB_IRQ_COUNT);
		if (count != seen)
			measure_progress++;
		seen = count;
	}
}

/* ipi-halt: arms each sample; the other guest-timed interrupt kinds: irq_watch. */
static void *irq_helper(void *arg)
{
	struct ipi *p = arg;
	struct measure *m = p->m;
	cpu_set_t set;

	if (m->kind != EXITLAT_EXIT_IPI_HALT) {
		irq_watch(p);
		return NULL;
	}
	/* beside vCPU 1, whose CPU is idle while it sleeps in HLT: never in vCPU 0's way */
	CPU_ZERO(&set);
	CPU_SET(m->cpu2, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		snprintf(p->why, sizeof(p->why), "pinning the ipi-halt helper to CPU %d: %s",
			 m->cpu2, strerror(errno));
		return NULL;
	}
	while (!p->vcpu1_tid)
		if (p->quit)
			return NULL;
		else
			usleep(10);
	/*
	 * vCPU 1 halts for sample N right after its handler ran for N - 1, so
	 * halt_exits read here could already count that HLT: only the thread's
	 * state tells, once vCPU 1 said it waits for N (it runs as it says so).
	 */
	for (uint64_t seq = 1; !p->quit; seq++) {
		while (mb_load(m->vm, MB_READY) != seq)
			if (p->quit)
				return NULL;
			else
				usleep(10);
		if (!await_halted(&p->quit, NULL, 0, p->vcpu1_tid, 10))
			return NULL;
		mb_store(m->vm, MB_ARM, seq);
		measure_progress++;
	}
	return NULL;
}

/* self-ipi, eoi, timer: guest-timed, with irq_watch beside them. */
void measure_irq_guest(struct measure *m)
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
		return measure_stop(m, END_ERROR, "starting the progress watcher: %s", strerror(r));
	measure_guest(m);
	p.quit = 1;
	pthread_join(watch, NULL);
}

void measure_ipi(struct measure *m)
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
		return measure_stop(m, END_ERROR, "SIGUSR1: %s", strerror(errno));
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
		return measure_stop(m, END_ERROR, "starting vCPU 1's thread: %s", strerror(r));
	measure_guest(m);
	p.quit = 1;
	m->vm->run1->immediate_exit = 1;
	pthread_kill(vcpu1, SIGUSR1);
	pthread_join(vcpu1, NULL);
	pthread_join(arm, NULL);
	/* vCPU 1's own failure is why vCPU 0 stalled */
	if (p.why[0] && m->end != END_INTERRUPTED)
		measure_stop(m, strstr(p.why, "exception") ? END_FAULT : END_ERROR, "%s", p.why);
}
