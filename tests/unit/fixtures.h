/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Test data shared by the VMX/SVM unit tests: the capability MSRs of 53 real
 * Intel CPUs (tests/data/vmx-capability-msrs.txt) and the host state of
 * typical Debian hosts (tests/data/linux-host-states.txt). Paths are relative
 * to the repository root, or to $EXITLAT_TOP when it is set.
 */
#ifndef EXITLAT_TEST_FIXTURES_H
#define EXITLAT_TEST_FIXTURES_H

#include <stddef.h>
#include <stdio.h>

#include "../../module/kernel/host_state.h"
#include "../../module/kernel/vmx_controls.h"

#define FIX_MAX_CPUS	64
#define FIX_MAX_HOSTS	8
#define FIX_GDT_ENTRIES	32

struct fix_cpu {
	char name[96];
	struct vmx_caps caps;
};

struct fix_host {
	char name[48];
	char vendor[8];			/* "intel" or "amd" */
	u64 gdt[FIX_GDT_ENTRIES];
	struct host_state hs;		/* hs.gdt points at gdt above */
};

extern struct fix_cpu fix_cpus[FIX_MAX_CPUS];
extern int fix_ncpus;
extern struct fix_host fix_hosts[FIX_MAX_HOSTS];
extern int fix_nhosts;

/*
 * Opens @rel (relative to the repository root or $EXITLAT_TOP) for reading;
 * NULL with the path and the reason in @err.
 */
FILE *fix_open_data(const char *rel, char *err, size_t errlen);
/* A suite's .init: reads both files, or fails the test naming the file and line. */
void fix_init(void);
/* The CPU whose name contains @part, the host named @name; fail the test if there is none. */
const struct fix_cpu *fix_cpu_named(const char *part);
const struct fix_host *fix_host_named(const char *name);

#endif
