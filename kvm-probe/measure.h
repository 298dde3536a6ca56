/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The measurement loops: host-timed (one KVM_RUN per sample) and guest-timed (per buffer). */
#ifndef KVM_PROBE_MEASURE_H
#define KVM_PROBE_MEASURE_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"
#include "irq.h"
#include "segments.h"
#include "stats.h"
#include "vm.h"

enum measure_end {
	END_DONE,
	END_INTERRUPTED,	/* SIGINT, SIGTERM, SIGHUP or SIGQUIT */
	END_STALLED,		/* watchdog: no progress */
	END_FAULT,		/* the guest reported an exception */
	END_NO_EXIT,		/* guest-timed: KVM's counter saw no exit but the reports */
	END_CLOCKS,		/* ipi: vCPU 1's clock behind vCPU 0's, a latency < 0 */
	END_ERROR,		/* an ioctl failed or an exit was not the expected one */
};

struct measure {
	/* in */
	int kind;
	enum probe_mode mode;
	uint64_t target, warmup;
	bool verify;			/* false with --no-verify or without a stats fd */
	bool has_rdtscp;
	bool progress;			/* report on stderr */
	struct probe_vm *vm;
	struct probe_stats *stats;
	/* out */
	uint64_t *samples;
	/* optional (--breakdown): the host's TSC window of each kept sample */
	struct bd_trip *trips;
	uint64_t n;
	enum measure_end end;
	char why[512];
	/* host-timed verification: samples whose KVM_RUN saw other than one exit */
	uint64_t dropped;
	uint64_t dropped_warmup;	/* the same among warm-up samples (first-touch faults) */
	/* guest-timed verification, per buffer */
	uint64_t buffers, exits_expected, exits_seen, extra_exits, buffers_with_extra;
	uint64_t kvm_runs;
	/* ioeventfd kinds: signals the eventfd counted, each buffer checked against its writes */
	uint64_t eventfd_signals;
	/* Why m->dropped were dropped, where not PROBE_DROP_REASON (interrupt kinds). */
	char drop_reason[200];
	/* guest-timed interrupt kinds: KVM's irq_injections per buffer, one per sample expected */
	uint64_t injections_seen, injections_expected, buffers_with_extra_injections;
	/* the guest's handler runs counted so far; buffers where it ran unasked */
	uint64_t handler_runs, buffers_with_extra_handler_runs;
	/* cross kinds (irqfd): the second thread, the clock, the per-sample verdicts */
	int cpu2;			/* in: the eventfd writer's or vCPU 1's host CPU */
	struct probe_stats *stats1;	/* in: ipi kinds: vCPU 1's counters (fd -1: none) */
	bool halt;			/* in: the guest waits in HLT */
	int64_t tsc_offset;		/* guest TSC = host TSC + this; ipi: vCPU 1's - vCPU 0's */
	bool offset_from_attr;		/* KVM_VCPU_TSC_OFFSET; else the calibration exit */
	int64_t calib_offset;		/* the calibration exit's offset, always measured */
	uint64_t calib_uncertainty;	/* +- cycles */
	uint64_t exits_baseline;	/* the kind's own exits per sample */
	uint64_t verdicts[IRQ_VERDICT_NR];	/* kept-sample phase */
};

/* Installs SIGINT/SIGTERM/SIGHUP/SIGQUIT/SIGALRM handlers and the watchdog's timer. */
int measure_signals_init(unsigned int watchdog_s);
void measure_signals_stop(void);
/* Non-zero once SIGINT, SIGTERM, SIGHUP or SIGQUIT arrived. */
bool measure_interrupted(void);

/* Runs until m->target samples are kept or something stops it (m->end says what). */
void measure_run(struct measure *m);

#endif
