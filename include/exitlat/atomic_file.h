/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Every result file is written through here (docs/sample-format.md, "Where
 * results go"): to a temporary name in the destination's folder, renamed over
 * it after fsync, so an interrupted run leaves the old file or the new one,
 * never half of either. "-" is standard output.
 *
 * Only a regular file is ever replaced: a device node, FIFO, socket or folder
 * is refused, and so is a symbolic link (never followed: a planted link must
 * not redirect what root writes). A replaced file keeps its permission bits, a
 * new one gets 0666 less the umask. SIGHUP, SIGINT, SIGQUIT and SIGTERM, where
 * the program left them at their default action, remove the temporary file
 * before the process dies of them.
 */
#ifndef EXITLAT_ATOMIC_FILE_H
#define EXITLAT_ATOMIC_FILE_H

#include <stddef.h>
#include <stdio.h>

/* Room for one "FILE:LINE: what is wrong" message of the library. */
#define EXITLAT_ERR_MAX 512

struct exitlat_atomic_file {
	char *path;		/* as given */
	char *tmp_path;		/* the temporary file, for messages; NULL for stdout */
	FILE *f;
	int dir_fd;		/* the destination's folder */
	int slot;		/* in the signal-cleanup table, or -1 */
	char err[EXITLAT_ERR_MAX];	/* "PATH: what is wrong" after a failure */
};

/*
 * Whether @path can be an output, before any work is done for it: "-", a
 * regular file, or a new name in an existing folder this process may write.
 * Returns 0, or -1 with "PATH: why not" in @err.
 */
int exitlat_output_check(const char *path, char *err, size_t errlen);
/*
 * Refuses an output that is the input @in ("-": standard input) under another
 * name: a hard link, a symbolic link, the same path. Returns 0 (also when
 * @out does not exist yet), or -1 with the message in @err.
 */
int exitlat_output_not_input(const char *out, const char *in, char *err, size_t errlen);

/* Checks @path as above and opens its temporary file. Returns 0 or -1 (errno and a->err set). */
int exitlat_atomic_open(struct exitlat_atomic_file *a, const char *path);
/* Flushes, fsyncs, closes and renames. Returns 0 or -1 (errno and a->err set); the temp file is gone either way. */
int exitlat_atomic_commit(struct exitlat_atomic_file *a);
/* Closes and unlinks the temporary file; does nothing when @a is not open. */
void exitlat_atomic_abort(struct exitlat_atomic_file *a);

#endif
