/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The breakdown's tracing engine: a tracefs instance of its own (never the
 * global buffer), the x86-tsc clock, KVM's events filtered to one thread on
 * one CPU, read back as binary ring-buffer pages (trace_pipe_raw). The
 * instance is removed by trace_close(), which every exit path calls; signals
 * only set flags (measure.c), so they take that path too, and an instance
 * left by a killed run is removed by the next one.
 */
#ifndef KVM_PROBE_TRACE_H
#define KVM_PROBE_TRACE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "segments.h"
#include "trace_parse.h"

#define TRACE_INSTANCE_PREFIX	"exitlat-kvm-probe-"

struct trace {
	char root[PATH_MAX / 2];	/* where tracefs is mounted */
	char dir[PATH_MAX];		/* our instance; empty when none */
	bool mounted_here;		/* kvm-probe mounted tracefs */
	int cpu;
	int raw_fd;			/* per_cpu/cpuN/trace_pipe_raw */
	struct trace_layout lay;
	const char *names[BD_EV_COUNT];	/* tracepoint names, NULL: none for this kind */
	struct trace_ev ev[BD_EV_COUNT];	/* their IDs (-1: this kernel has none), fields */
	unsigned int enabled;		/* mask of enum bd_ev */
	uint64_t lost_mark;		/* stats' lost count when the last drain ended */
	uint8_t *page;
	char err[512];
};

/*
 * Finds tracefs ($KVM_PROBE_TRACEFS, a mounted one, or mounts it on
 * /sys/kernel/tracing and says so on stderr) and checks that this process
 * may make instances and that the x86-tsc clock exists. Returns 0, or -1
 * with a one-line reason in t->err (the refusal).
 */
int trace_find(struct trace *t);
/*
 * Makes the instance: x86-tsc, no overwrite, @buffer_kb on @cpu (the minimum
 * elsewhere), tracing_cpumask @cpu, each event of @names filtered to @tid.
 * Nothing is enabled yet. Returns 0, or -1 with t->err (the instance is
 * removed again); -ENOENT when this kernel has none of the events.
 */
int trace_open(struct trace *t, int cpu, pid_t tid, unsigned int buffer_kb,
	       const char *const names[BD_EV_COUNT]);
/* Enables exactly the events in @mask (enum bd_ev bits) and turns recording on. */
int trace_start(struct trace *t, unsigned int mask);
/* Turns recording off and disables the events. */
int trace_stop(struct trace *t);
/*
 * Reads everything recorded on the CPU since the last drain into @out;
 * *lost: events the buffer lost meanwhile (stats, or a page saying so).
 */
int trace_drain(struct trace *t, struct bd_events *out, uint64_t *lost);
/* Removes the instance; safe to call again and on a trace never opened. */
void trace_close(struct trace *t);

#endif
