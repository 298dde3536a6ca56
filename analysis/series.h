/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Grouping samples into series: one per environment, source, exit kind and
 * timing domain (and input file with --by file), read through the shared
 * sample reader and merged as value counts.
 */
#ifndef ANALYSIS_SERIES_H
#define ANALYSIS_SERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "exitlat/exit_kind_table.h"
#include "exitlat/samples.h"
#include "dist.h"
#include "value_count.h"
#include "xdec.h"

/* Where a series compares: same host, same kernel, same emulator or none. */
struct env {
	char *host, *kernel, *emulated;
	char *slug;		/* HOST_KERNEL_EMULATED, blanks and odd characters as '_' */
	char *time;		/* the earliest 'time' of its files, NULL when none says */
};

enum null_state {
	NULL_NOT_ASKED,
	NULL_MISSING,		/* asked, but no null series of the same kind */
	NULL_SUBTRACTED,
	NULL_IS_NULL,		/* a null series itself, or a breakdown set's: never shifted */
	NULL_LATENCY,		/* an interrupt kind: a latency, never shifted */
};

enum tsc_state { TSC_UNKNOWN, TSC_KNOWN, TSC_CONFLICT };

/* The tool's 'instrument_overhead' header (kvm-probe): its verdict, as written. */
enum overhead_note { OVERHEAD_UNSAID, OVERHEAD_SMALL, OVERHEAD_LARGE };

struct series {
	char *id;
	size_t env;
	char *source, *exit;
	int kind;		/* enum exitlat_exit_kind, or -1 for a name not in the table */
	int domain;		/* enum exitlat_domain */
	char *file_tag;		/* --by file only */
	char **files;
	size_t nfiles;
	uint64_t tsc_khz;
	enum tsc_state tsc;
	enum overhead_note overhead;	/* large when any of its files says so */
	enum exitlat_verified verified;	/* its files' 'verified'; UNSAID when they differ */
	struct value_count vc;	/* while reading */
	struct dist d;		/* after series_set_finish(); never shifted */
	enum null_state null_state;
	xdec shift;		/* subtracted from every sample in every output */
	const struct series *nul;	/* the null series shift came from */
	uint64_t trimmed, trim_above;
	struct dist_stats st;	/* shifted */
	/* What the measuring tools dropped, from the files' 'dropped' headers. */
	uint64_t dropped;
	char *drop_reasons;	/* distinct reasons, "; "-joined; NULL when nothing dropped */
	size_t drops_unrecorded;	/* files without a 'dropped' header */
	/*
	 * A breakdown set's file (docs/breakdown.md): its segment ("trip" or a
	 * segment's name) and the set's list, both part of the series' key;
	 * NULL for every other series. Such a series is never paired in the
	 * ladder, never drawn in the per-kind figures, never null-subtracted.
	 */
	char *segment, *segments;
	bool merged;		/* breakdown_merged: yes */
	char *covers;		/* breakdown_covers of its first file, NULL if none */
};

/* A breakdown set's file among the inputs: the sets are read again, line by line. */
struct bd_file {
	char *path;
	char *set;		/* its folder's device and inode, and breakdown_files */
	struct series *s;	/* NULL once the series is left out (no samples) */
};

/* An input already read: the same file under another name is refused. */
struct input_file {
	dev_t dev;
	ino_t ino;
	char *path;
};

struct series_set {
	struct env *envs;
	size_t nenv;
	struct series **s;
	size_t n;
	struct input_file *inputs;
	size_t ninputs;
	struct bd_file *bd;
	size_t nbd;
	bool by_file;
	bool progress;		/* progress lines on stderr */
};

/*
 * Reads @path ("-": stdin) into its series. Returns 0, or -1 with
 * "FILE:LINE: what" in @err. A file read before (same device and inode,
 * whatever its name) is refused: it would count twice.
 */
int series_set_add_file(struct series_set *set, const char *path, char err[EXITLAT_ERR_MAX]);

struct finish_opts {
	long double trim;	/* 0: keep everything */
	bool subtract_null;
};

/* Sorts, names, builds distributions, trims, subtracts. Returns 0 or -1 (ENOMEM). */
int series_set_finish(struct series_set *set, const struct finish_opts *o);
void series_set_free(struct series_set *set);

bool series_is_native(const struct series *s);
bool series_is_null(const struct series *s);
/*
 * An interrupt kind (kvm_path 'interrupt'): a latency from an event to a
 * handler, not a round trip, so no null kind is ever subtracted from it.
 */
bool series_is_latency(const struct series *s);
/* A series of a breakdown set's file ("trip" or a segment). */
bool series_is_segment(const struct series *s);
/* The series' value in nanoseconds, or NAN when tsc_khz is not known. */
long double series_ns(const struct series *s, long double cycles);
/* Cycles to the identifier-safe slug of @s: [A-Za-z0-9.+-] kept, others '_'. */
char *slug_dup(const char *s);

#endif
