// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <string.h>

#include "exitlat/exit_kind_table.h"

#define EXITLAT_EXIT_ROW(id, nm, nd, kd, isnull, desc)		\
	[EXITLAT_EXIT_##id] = {					\
		.name = nm,					\
		.description = desc,				\
		.native_domain = EXITLAT_DOMAIN_##nd,		\
		.kvm_domain = EXITLAT_DOMAIN_##kd,		\
		.is_null = isnull,				\
	},
const struct exitlat_exit_info exitlat_exits[EXITLAT_EXIT_NR] = {
	EXITLAT_EXIT_KINDS(EXITLAT_EXIT_ROW)
};

static const char *const domain_names[] = {
	[EXITLAT_DOMAIN_NONE] = "none",
	[EXITLAT_DOMAIN_HOST] = "host",
	[EXITLAT_DOMAIN_GUEST] = "guest",
};
_Static_assert(sizeof(domain_names) / sizeof(domain_names[0]) == EXITLAT_DOMAIN_GUEST + 1,
	       "domain_names must track enum exitlat_domain");

int exitlat_exit_by_name(const char *name)
{
	for (int i = 0; i < EXITLAT_EXIT_NR; i++)
		if (strcmp(exitlat_exits[i].name, name) == 0)
			return i;
	return -1;
}

const char *exitlat_domain_name(enum exitlat_domain d)
{
	if ((unsigned int)d > EXITLAT_DOMAIN_GUEST)
		return "unknown";
	return domain_names[d];
}

int exitlat_domain_by_name(const char *name)
{
	for (int i = 0; i <= EXITLAT_DOMAIN_GUEST; i++)
		if (strcmp(domain_names[i], name) == 0)
			return i;
	return -1;
}

void exitlat_exit_list_names(FILE *f, bool kvm_side)
{
	const char *sep = "";

	for (int i = 0; i < EXITLAT_EXIT_NR; i++) {
		enum exitlat_domain d = kvm_side ? exitlat_exits[i].kvm_domain
						 : exitlat_exits[i].native_domain;
		if (d == EXITLAT_DOMAIN_NONE)
			continue;
		fprintf(f, "%s%s", sep, exitlat_exits[i].name);
		sep = ", ";
	}
}
