/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* What measure.c shares with measure_irq.c; not for other parts of the probe. */
#ifndef KVM_PROBE_MEASURE_PRIV_H
#define KVM_PROBE_MEASURE_PRIV_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <x86intrin.h>

#include "measure.h"

/* Bumped on every completed KVM_RUN, buffer or interrupt; the watchdog looks for change. */
extern volatile sig_atomic_t measure_progress;

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

void measure_stop(struct measure *m, enum measure_end end, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A KVM_RUN came back with EINTR: Ctrl-C, the watchdog, or only its tick. Returns true to stop. */
bool measure_eintr_stops(struct measure *m);
/* Checks a guest fault report or an unexpected exit; true when it ended the run. */
bool measure_unexpected_exit(struct measure *m, const char *expected);
/* Guest-timed buffers on vCPU 0. */
void measure_guest(struct measure *m);

/* measure_irq.c: irqfd kinds; ipi kinds; self-ipi, eoi and timer. */
void measure_cross(struct measure *m);
void measure_ipi(struct measure *m);
void measure_irq_guest(struct measure *m);

#endif
