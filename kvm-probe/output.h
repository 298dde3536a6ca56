/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The sample file's header: what was measured, how, where, and how well it checked out. */
#ifndef KVM_PROBE_OUTPUT_H
#define KVM_PROBE_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "exitlat/samples.h"
#include "exitlat/xdec.h"
#include "backend.h"
#include "cli.h"
#include "measure.h"

/*
 * Why a sample is dropped (host-timed kinds only, measure.c): in the header's
 * 'dropped' key, the summary and the note on stderr alike.
 */
#define PROBE_DROP_REASON "their KVM_RUN saw more than one exit (KVM's exit counter)"

/* Why m->dropped were dropped: the measurement's own words, else PROBE_DROP_REASON. */
static inline const char *probe_drop_reason(const struct measure *m)
{
	return m->drop_reason[0] ? m->drop_reason : PROBE_DROP_REASON;
}

/* Null's median above this share of a kind's median is "not small". */
#define OVERHEAD_LARGE_PERCENT	10

struct output_info {
	const struct cli_opts *opts;
	const struct probe_backend *backend;
	const struct measure *m;
	int cpu;
	int cpu2;			/* irqfd kinds: the eventfd writer's host CPU */
	const struct probe_vm *vm;	/* the interrupt kinds' LAPIC modes; NULL in tests */
	uint64_t tsc_khz;		/* 0: unknown */
	bool has_stats_fd;
	xdec kind_median;		/* 0 when no samples */
	xdec null_median;		/* 0 when not measured */
	uint64_t null_samples;
};

/* True when @null_median is not small beside @kind_median. */
bool overhead_is_large(xdec null_median, xdec kind_median);
const char *measure_end_name(enum measure_end e);

/* Adds every kvm-probe key (not the environment's) to @h. 0, or -1 when out of memory. */
int output_header(struct exitlat_header *h, const struct output_info *info);

#endif
