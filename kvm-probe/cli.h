/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* kvm-probe's command line. */
#ifndef KVM_PROBE_CLI_H
#define KVM_PROBE_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum probe_mode {
	PROBE_MODE_LONG,
	PROBE_MODE_REAL,
};

#define CLI_DEFAULT_SAMPLES	10000
#define CLI_DEFAULT_WARMUP	1000
#define CLI_MAX_SAMPLES		50000000	/* 400 MB of samples */
#define CLI_DEFAULT_WATCHDOG	10		/* seconds without progress */
#define CLI_DEFAULT_TRACE_BUFFER_KB	2048	/* --breakdown: ring buffer on the probe's CPU */
#define CLI_MAX_TRACE_BUFFER_KB		(1024 * 1024)

enum cli_action {
	CLI_RUN,
	CLI_LIST,
	CLI_HELP,
	CLI_VERSION,
};

struct cli_opts {
	enum cli_action action;
	int exit_kind;			/* enum exitlat_exit_kind */
	uint64_t samples;
	uint64_t warmup;
	int cpu;			/* -1: the first CPU it may run on */
	int cpu2;			/* irqfd kinds' writer thread; -1: the next allowed */
	enum probe_mode mode;
	const char *output;		/* NULL: kvm-KIND.samples */
	bool verify;
	bool quiet;			/* no summary on stdout */
	unsigned int watchdog_s;
	const char *dev;		/* /dev/kvm, or $KVM_PROBE_DEV for tests */
	bool breakdown;			/* split each trip with KVM's tracepoints */
	unsigned int trace_buffer_kb;
};

/*
 * Parses argv into @o. Returns 0 (run or print as o->action says) or 2 after
 * a usage error, which it has described on @err.
 */
int cli_parse(int argc, char **argv, struct cli_opts *o, FILE *err);
void cli_usage(FILE *f);
const char *probe_mode_name(enum probe_mode m);

#endif
