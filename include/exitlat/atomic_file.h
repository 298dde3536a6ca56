/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Results are written to a temporary name in the destination's folder and
 * renamed over it after fsync: an interrupted run leaves the old file or the
 * new one, never half of either.
 */
#ifndef EXITLAT_ATOMIC_FILE_H
#define EXITLAT_ATOMIC_FILE_H

#include <stdio.h>

struct exitlat_atomic_file {
	char *path;
	char *tmp_path;
	FILE *f;
};

/* Opens a temporary "PATH.tmp.XXXXXX" for writing. Returns 0 or -1 (errno set). */
int exitlat_atomic_open(struct exitlat_atomic_file *a, const char *path);
/* Flushes, fsyncs, closes and renames. Returns 0 or -1 (errno set); the temp file is gone either way. */
int exitlat_atomic_commit(struct exitlat_atomic_file *a);
/* Closes and unlinks the temporary file. */
void exitlat_atomic_abort(struct exitlat_atomic_file *a);

#endif
