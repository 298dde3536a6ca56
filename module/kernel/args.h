/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Validation of the ioctl arguments (include/exitlat/ioctl.h). Pure logic. */
#ifndef EXITLAT_ARGS_H
#define EXITLAT_ARGS_H

#include "compat.h"
#include "exitlat/ioctl.h"

/*
 * Checks a run request as it came from user space: @nr_cpu_ids bounds the
 * CPU (whether it is online is the caller's business). Returns 0 or
 * -EINVAL; *@field names the first bad field.
 */
int exitlat_run_args_check(const struct exitlat_run *r, unsigned int nr_cpu_ids,
			   const char **field);
/* Checks an info query: the CPU and reserved0. */
int exitlat_info_args_check(const struct exitlat_info *q, unsigned int nr_cpu_ids,
			    const char **field);
/* The batch's time budget in TSC cycles (budget_us 0 means the default). */
u64 exitlat_budget_cycles(u32 budget_us, u32 tsc_khz);

#endif
