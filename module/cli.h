/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* exitlat-native's command line (the shared letters of lib/cli.c, docs/cli.md). */
#ifndef EXITLAT_NATIVE_CLI_H
#define EXITLAT_NATIVE_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define NATIVE_DEFAULT_SAMPLES	10000
#define NATIVE_MAX_SAMPLES	100000000ull	/* 800 MB of samples */
#define NATIVE_MAX_CPU		4095

enum native_action {
	NATIVE_RUN,
	NATIVE_INFO,
	NATIVE_LIST,
	NATIVE_HELP,
	NATIVE_VERSION,
};

struct native_opts {
	enum native_action action;
	int kind;			/* enum exitlat_exit_kind */
	uint64_t samples;
	unsigned int cpu;
	unsigned int mode;		/* EXITLAT_MODE_* */
	unsigned int budget_us;		/* 0: the module's default */
	const char *output;		/* NULL: native-KIND.samples */
	bool quiet;			/* no summary on stdout */
	bool kvm_like;			/* SVM: VMLOAD/VMSAVE in the timed trip, as KVM */
};

/*
 * Parses argv into @o. Returns 0 (run or act as o->action says) or 2 after a
 * usage error, which it has described on @err.
 */
int native_cli_parse(int argc, char **argv, struct native_opts *o, FILE *err);
void native_cli_usage(FILE *f);
const char *native_mode_name(unsigned int mode);

#endif
