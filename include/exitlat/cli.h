/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* What the command-line front ends (kvm-probe, exitlat-native) share. */
#ifndef EXITLAT_CLI_H
#define EXITLAT_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Parses an option's value as a decimal count in [min, max]: digits only
 * (strtoull alone would take "-1" and leading blanks). On error prints
 * "TOOL: OPT: 'S' is not a number" or "TOOL: OPT: S is out of range (MIN to
 * MAX)" to @err and returns -1.
 */
int exitlat_parse_count(const char *tool, const char *opt, const char *s, uint64_t min,
			uint64_t max, uint64_t *out, FILE *err);

/* --list: one line per exit kind measured on one side: name, domain, description. */
void exitlat_exit_print_list(FILE *f, bool kvm_side);

#endif
