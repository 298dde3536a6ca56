// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <string.h>

#include "exitlat/exit_kind_table.h"

#define EXITLAT_EXIT_ROW(id, nm, nd, kd, isnull, path, desc)	\
	[EXITLAT_EXIT_##id] = {					\
		.name = nm,					\
		.description = desc,				\
		.native_domain = EXITLAT_DOMAIN_##nd,		\
		.kvm_domain = EXITLAT_DOMAIN_##kd,		\
		.kvm_path = EXITLAT_KVM_##path,			\
		.is_null = isnull,				\
	},
const struct exitlat_exit_info exitlat_exits[EXITLAT_EXIT_NR] = {
	EXITLAT_EXIT_KINDS(EXITLAT_EXIT_ROW)
};

static const char *const domain_names[] = {
	[EXITLAT_DOMAIN_NONE] = "none",
	[EXITLAT_DOMAIN_HOST] = "host",
	[EXITLAT_DOMAIN_GUEST] = "guest",
	[EXITLAT_DOMAIN_CROSS] = "cross",
};
_Static_assert(sizeof(domain_names) / sizeof(domain_names[0]) == EXITLAT_DOMAIN_CROSS + 1,
	       "domain_names must track enum exitlat_domain");

static const char *const kvm_path_names[] = {
	[EXITLAT_KVM_NONE] = "none",
	[EXITLAT_KVM_FASTPATH] = "fastpath",
	[EXITLAT_KVM_KERNEL] = "kernel",
	[EXITLAT_KVM_USER] = "user",
	[EXITLAT_KVM_IRQ] = "interrupt",
};
_Static_assert(sizeof(kvm_path_names) / sizeof(kvm_path_names[0]) == EXITLAT_KVM_IRQ + 1,
	       "kvm_path_names must track enum exitlat_kvm_path");

static const char *const verified_names[EXITLAT_VERIFIED_NR] = {
	[EXITLAT_VERIFIED_UNSAID] = "-",
	[EXITLAT_VERIFIED_SAMPLE] = "sample",
	[EXITLAT_VERIFIED_BUFFER] = "buffer",
	[EXITLAT_VERIFIED_SEVERAL] = "several",
	[EXITLAT_VERIFIED_UNCOUNTED] = "uncounted",
	[EXITLAT_VERIFIED_OFF] = "off",
	[EXITLAT_VERIFIED_REASON] = "exit-reason",
};

const char *exitlat_verified_name(enum exitlat_verified v)
{
	return (unsigned int)v < EXITLAT_VERIFIED_NR ? verified_names[v] : "-";
}

enum exitlat_verified exitlat_verified_by_name(const char *name)
{
	for (int i = 0; name && i < EXITLAT_VERIFIED_NR; i++)
		if (!strcmp(verified_names[i], name))
			return i;
	return EXITLAT_VERIFIED_UNSAID;
}

int exitlat_exit_by_name(const char *name)
{
	for (int i = 0; i < EXITLAT_EXIT_NR; i++)
		if (strcmp(exitlat_exits[i].name, name) == 0)
			return i;
	return -1;
}

const char *exitlat_domain_name(enum exitlat_domain d)
{
	if ((unsigned int)d > EXITLAT_DOMAIN_CROSS)
		return "unknown";
	return domain_names[d];
}

int exitlat_domain_by_name(const char *name)
{
	for (int i = 0; i <= EXITLAT_DOMAIN_CROSS; i++)
		if (strcmp(domain_names[i], name) == 0)
			return i;
	return -1;
}

const char *exitlat_kvm_path_name(enum exitlat_kvm_path p)
{
	if ((unsigned int)p > EXITLAT_KVM_IRQ)
		return "unknown";
	return kvm_path_names[p];
}

int exitlat_kvm_path_by_name(const char *name)
{
	for (int i = 0; i <= EXITLAT_KVM_IRQ; i++)
		if (strcmp(kvm_path_names[i], name) == 0)
			return i;
	return -1;
}

bool exitlat_exit_ready(int kind, bool kvm_side)
{
	if (kind < 0)
		return false;
	return kvm_side ? exitlat_kvm_ready((unsigned int)kind)
			: exitlat_native_ready((unsigned int)kind);
}

void exitlat_exit_list_names(FILE *f, bool kvm_side)
{
	const char *sep = "";

	for (int i = 0; i < EXITLAT_EXIT_NR; i++) {
		if (!exitlat_exit_ready(i, kvm_side))
			continue;
		fprintf(f, "%s%s", sep, exitlat_exits[i].name);
		sep = ", ";
	}
}
