/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* User-space view of the exit-kind table (lib/exit_kinds.c). */
#ifndef EXITLAT_EXIT_KIND_TABLE_H
#define EXITLAT_EXIT_KIND_TABLE_H

#include <stdbool.h>
#include <stdio.h>

#include "exitlat/exit_kinds.h"

/*
 * How a sample file's exits were checked, its 'verified' header key: one exit
 * per kept sample (host-timed, KVM's exit counter), one per instruction in
 * every buffer (guest-timed), more than one per instruction, a backend that
 * counts fewer exits than ran, no check, or each trip's VM-exit reason
 * (exitlat.ko). UNSAID: the file does not say.
 */
enum exitlat_verified {
	EXITLAT_VERIFIED_UNSAID,
	EXITLAT_VERIFIED_SAMPLE,
	EXITLAT_VERIFIED_BUFFER,
	EXITLAT_VERIFIED_SEVERAL,
	EXITLAT_VERIFIED_UNCOUNTED,
	EXITLAT_VERIFIED_OFF,
	EXITLAT_VERIFIED_REASON,
	EXITLAT_VERIFIED_NR
};

struct exitlat_exit_info {
	const char *name;
	const char *description;
	enum exitlat_domain native_domain;
	enum exitlat_domain kvm_domain;
	enum exitlat_kvm_path kvm_path;	/* where KVM handles it */
	bool is_null;
};

extern const struct exitlat_exit_info exitlat_exits[EXITLAT_EXIT_NR];

/* Returns the kind, or -1 when @name is not one of the table's names. */
int exitlat_exit_by_name(const char *name);
const char *exitlat_domain_name(enum exitlat_domain d);
/* Returns the domain, or -1 for an unknown name. */
int exitlat_domain_by_name(const char *name);
/* "fastpath", "kernel", "user", "interrupt", "none"; "unknown" outside the enum. */
const char *exitlat_kvm_path_name(enum exitlat_kvm_path p);
/* Returns the path, or -1 for an unknown name. */
int exitlat_kvm_path_by_name(const char *name);
/* "sample", "buffer", "several", "uncounted", "off", "exit-reason"; "-" for UNSAID. */
const char *exitlat_verified_name(enum exitlat_verified v);
/* Returns the value, or EXITLAT_VERIFIED_UNSAID for NULL or an unknown word. */
enum exitlat_verified exitlat_verified_by_name(const char *name);
/* Whether one side measures @kind: its domain there is not NONE and it is not pending. */
bool exitlat_exit_ready(int kind, bool kvm_side);
/* "null, cpuid, ..." for the kinds one side measures (exitlat_exit_ready). */
void exitlat_exit_list_names(FILE *f, bool kvm_side);

#endif
