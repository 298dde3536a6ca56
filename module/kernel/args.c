// SPDX-License-Identifier: GPL-2.0 OR MIT
/* ioctl argument validation: see args.h. */
#include "args.h"
#include "exitlat/exit_kinds.h"

int exitlat_run_args_check(const struct exitlat_run *r, unsigned int nr_cpu_ids,
			   const char **field)
{
	unsigned int i;

	if (r->cpu >= nr_cpu_ids) {
		*field = "cpu";
		return -EINVAL;
	}
	/* the table's kinds with a native domain that are not pending */
	if (!exitlat_native_ready(r->exit_kind)) {
		*field = "exit_kind";
		return -EINVAL;
	}
	if (r->mode >= EXITLAT_MODE_NR) {
		*field = "mode";
		return -EINVAL;
	}
	/*
	 * split modes need a guest that runs, to read the TSC in: null has no
	 * VM transition, intr-exit's guest exits before its first instruction
	 */
	if (r->mode != EXITLAT_MODE_ROUNDTRIP && !exitlat_native_guest_runs(r->exit_kind)) {
		*field = "mode";
		return -EINVAL;
	}
	if (r->flags & ~EXITLAT_RUN_F_ALL) {
		*field = "flags";
		return -EINVAL;
	}
	if (!r->samples_ptr) {
		*field = "samples_ptr";
		return -EINVAL;
	}
	if (r->max_samples == 0 || r->max_samples > EXITLAT_RUN_MAX_SAMPLES) {
		*field = "max_samples";
		return -EINVAL;
	}
	if (r->budget_us > EXITLAT_RUN_MAX_US) {
		*field = "budget_us";
		return -EINVAL;
	}
	for (i = 0; i < sizeof(r->reserved_in) / sizeof(r->reserved_in[0]); i++) {
		if (r->reserved_in[i]) {
			*field = "reserved_in";
			return -EINVAL;
		}
	}
	return 0;
}

int exitlat_info_args_check(const struct exitlat_info *q, unsigned int nr_cpu_ids,
			    const char **field)
{
	if (q->cpu >= nr_cpu_ids) {
		*field = "cpu";
		return -EINVAL;
	}
	if (q->reserved0) {
		*field = "reserved0";
		return -EINVAL;
	}
	return 0;
}

u64 exitlat_budget_cycles(u32 budget_us, u32 tsc_khz)
{
	if (!budget_us)
		budget_us = EXITLAT_RUN_DEFAULT_US;
	return (u64)budget_us * tsc_khz / 1000;
}
