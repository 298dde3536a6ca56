/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* User-space view of the exit-kind table (lib/exit_kinds.c). */
#ifndef EXITLAT_EXIT_KIND_TABLE_H
#define EXITLAT_EXIT_KIND_TABLE_H

#include <stdbool.h>
#include <stdio.h>

#include "exitlat/exit_kinds.h"

struct exitlat_exit_info {
	const char *name;
	const char *description;
	enum exitlat_domain native_domain;
	enum exitlat_domain kvm_domain;
	bool is_null;
};

extern const struct exitlat_exit_info exitlat_exits[EXITLAT_EXIT_NR];

/* Returns the kind, or -1 when @name is not one of the table's names. */
int exitlat_exit_by_name(const char *name);
const char *exitlat_domain_name(enum exitlat_domain d);
/* Returns the domain, or -1 for an unknown name. */
int exitlat_domain_by_name(const char *name);
/* "null, cpuid, ..." for the kinds whose domain on one side is not NONE. */
void exitlat_exit_list_names(FILE *f, bool kvm_side);

#endif
