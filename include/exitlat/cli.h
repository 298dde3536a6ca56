/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * One command-line convention for every exitlat program (docs/cli.md): a
 * short option letter means the same thing in every tool that has it, and
 * the letters the C programs use are defined once, in lib/cli.c. A tool names
 * the letters it takes and adds long-only options of its own (val >= 256);
 * usage errors are one line naming the option plus a hint, exit status 2.
 */
#ifndef EXITLAT_CLI_H
#define EXITLAT_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "exitlat/xdec.h"

#define EXITLAT_EXIT_USAGE	2
/* First val of a tool's long-only options. */
#define EXITLAT_OPT_OWN		256
#define EXITLAT_CLI_MAX_OPTS	48

struct exitlat_cli_letter {
	char letter;
	const char *name;		/* long twin */
	const char *arg;		/* placeholder of its value, NULL: takes none */
	const char *meaning;
};

/* Every letter of the C programs, as docs/cli.md lists them. */
extern const struct exitlat_cli_letter exitlat_cli_letters[];

struct exitlat_cli {
	const char *tool;
	FILE *err;
	struct option longopts[EXITLAT_CLI_MAX_OPTS];
	char optstring[2 * EXITLAT_CLI_MAX_OPTS + 4];
};

/*
 * Prepares @c for getopt_long with the shared @letters ("eno...") and the
 * tool's long-only @own options ({ 0 }-terminated, may be NULL). With
 * @stop_at_word, parsing stops at the first non-option (a command word).
 * Resets getopt. Returns 0, or -1 (and says why on @err) for a letter that is
 * not in the table or an own option that takes a letter: a bug, not a usage error.
 */
int exitlat_cli_init(struct exitlat_cli *c, const char *tool, FILE *err, const char *letters,
		     const struct option *own, bool stop_at_word);
/*
 * The next option (its letter, or the own option's val), -1 when done, or
 * '?' after an unknown option or a missing value was described on c->err.
 * A value that is another of the tool's options ("-o --quiet") counts as missing.
 */
int exitlat_cli_next(struct exitlat_cli *c, int argc, char **argv);
/* The long name ("--samples") of option @val of @c, for messages. */
const char *exitlat_cli_name(const struct exitlat_cli *c, int val);

/* "TOOL: MESSAGE" and "Try 'TOOL --help'." on c->err. Returns EXITLAT_EXIT_USAGE. */
int exitlat_cli_usage_error(const struct exitlat_cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The same for two options that exclude each other. */
int exitlat_cli_conflict(const struct exitlat_cli *c, int a, int b);

/*
 * A decimal count in [min, max]: digits only (no sign, no blanks). Returns 0,
 * or EXITLAT_EXIT_USAGE after "TOOL: OPT: 'S' is not a number" or
 * "TOOL: OPT: S is out of range (MIN to MAX)".
 */
int exitlat_cli_count(const struct exitlat_cli *c, int opt, const char *s, uint64_t min,
		      uint64_t max, uint64_t *out);
/*
 * A decimal number in [lo, hi] (or [lo, hi) with @hi_open): "0.95", "1e-3".
 * Returns 0 or EXITLAT_EXIT_USAGE with the same two messages.
 */
int exitlat_cli_real(const struct exitlat_cli *c, int opt, const char *s, double lo, double hi,
		     bool hi_open, double *out);

/*
 * --exit: the kind named @name (NULL: not given) among those measured on one
 * side. Returns 0 with *kind set, or EXITLAT_EXIT_USAGE after a usage error
 * that lists the valid kinds.
 */
int exitlat_cli_exit_kind(const struct exitlat_cli *c, const char *name, bool kvm_side, int *kind);

/* "TOOL VERSION" on stdout, the first line of every --version. */
void exitlat_cli_version(const char *tool);

/*
 * --list: one line per exit kind one side measures: name, timing domain, where
 * KVM handles it, description.
 */
void exitlat_exit_print_list(FILE *f, bool kvm_side);

/* exitlat_output_check(), before measuring: include/exitlat/atomic_file.h. */

/* What a measuring tool prints on success (kvm-probe, exitlat-native). */
struct exitlat_run_summary {
	const char *tool;
	const char *kind;
	const char *where;		/* "kvm_intel, long mode, CPU 2" */
	const char *mode;		/* for the summary: line */
	const char *path;		/* the sample file */
	const uint64_t *samples;
	uint64_t n, requested;
	uint64_t dropped;
	const char *drop_reason;	/* why they were dropped */
	const char *emulated;		/* "no", or the emulator */
};

/*
 * A few lines for people (kind, count, min, median, p99, max, dropped and
 * why), then one "summary: key=value ..." line for scripts. Returns 0, or -1
 * when out of memory for the statistics.
 */
int exitlat_print_summary(FILE *f, const struct exitlat_run_summary *s);

#endif
