/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * kvm-probe --breakdown (docs/breakdown.md): which of KVM's events fire here
 * (a short traced calibration), the kind measured again under tracing in
 * chunks that fit the ring buffer, each chunk's events drained and split, and
 * one sample file per segment beside the usual one.
 */
#ifndef KVM_PROBE_BREAKDOWN_H
#define KVM_PROBE_BREAKDOWN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "exitlat/samples.h"
#include "exitlat/xdec.h"
#include "measure.h"
#include "segments.h"
#include "trace.h"

/* The version of the set of files, in each file's `breakdown` key. */
#define BREAKDOWN_FORMAT	1
/* Traced round trips (host-timed) that tell which events fire; thrown away. */
#define BREAKDOWN_CALIBRATION	256
/* Samples per traced chunk: drained between chunks, outside any timed window. */
#define BREAKDOWN_CHUNK		4096
/* Thrown away at the start of each chunk: the first trips after a drain run cold. */
#define BREAKDOWN_CHUNK_WARMUP	16

struct breakdown {
	bool active;			/* tracefs found: there is something to close */
	struct trace t;
	unsigned int buffer_kb;
	int cpu;
	struct bd_plan plan;
	uint64_t windows, seen[BD_EV_COUNT];	/* the calibration */
	struct bd_out out;
	uint64_t *traced;		/* every traced round trip, kept or not */
	uint64_t traced_n, requested;
	uint64_t counter_dropped;	/* traced samples the exit counter dropped */
	uint64_t lost;			/* events the ring buffer lost */
	xdec traced_median, untraced_median;	/* exitlat/quantile.h's median */
	enum measure_end end;
	char why[512];
};

/*
 * Before anything else: tracefs, and the right to use it. Returns 0, or 3
 * (the refusal) after one line on stderr.
 */
int breakdown_check(struct breakdown *bd, unsigned int buffer_kb);
/*
 * Once the signal handlers are in place: the instance, then the calibration
 * on @m's VM and kind. Returns 0, or the exit status after one line on
 * stderr: 3 when nothing can be split on this KVM, 130 interrupted, 1 error.
 */
int breakdown_prepare(struct breakdown *bd, const struct measure *m, int cpu,
		      const char *backend);
/* The traced run, as many samples as @m asked for. Sets bd->end. */
void breakdown_measure(struct breakdown *bd, const struct measure *m, xdec untraced_median);
/* The keys the usual sample file gets: where the set is, both medians. */
int breakdown_header(struct exitlat_header *h, const struct breakdown *bd, const char *path);
/* The set beside @path, each file with @base's keys plus its own. 0, or -1 (said). */
int breakdown_write(const struct breakdown *bd, const struct exitlat_header *base,
		    const char *path);
/*
 * After a traced run that kept no sample: the refusal line on stderr and 3,
 * so that no empty set is written; else 0.
 */
int breakdown_none_kept(const struct breakdown *bd, const char *kind, const char *backend);
/* One line for people: kept samples, the segments' medians, where the files are. */
void breakdown_summary(FILE *f, const struct breakdown *bd, const char *path);
/* Removes the tracefs instance; every exit path calls it (again is harmless). */
void breakdown_close(struct breakdown *bd);
/* The same, and frees what the breakdown holds. */
void breakdown_free(struct breakdown *bd);

#endif
