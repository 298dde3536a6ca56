/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A folder of results written as one set: the files go into a temporary
 * folder beside it, which then takes the folder's place in one rename
 * (RENAME_EXCHANGE). A reader sees the old set or the new one, never a mix;
 * an interrupted writer leaves the old set; files of the old set that the
 * new one does not have are gone with it.
 *
 * Only a folder whose every entry the caller recognises as its own is
 * replaced: a user's own files in it are never thrown away. A symbolic link
 * is refused, never followed (as lib/atomic_file.c refuses one for a file).
 * A writer killed half-way leaves its temporary folder; the next writer of
 * the same folder removes it (when it holds nothing but the caller's files).
 */
#ifndef EXITLAT_ATOMIC_DIR_H
#define EXITLAT_ATOMIC_DIR_H

#include <stdbool.h>

#include "exitlat/samples.h"

struct exitlat_atomic_dir {
	char *path;		/* the folder */
	char *tmp_path;		/* "PATH.tmp.XXXXXX", where the new set is written */
	bool (*is_ours)(const char *name);
};

/*
 * Checks @path (absent, or a folder of entries @is_ours accepts) and makes
 * the temporary folder. Returns 0, or -1 with "PATH: why" in @err.
 */
int exitlat_atomic_dir_open(struct exitlat_atomic_dir *d, const char *path,
			    bool (*is_ours)(const char *name), char err[EXITLAT_ERR_MAX]);
/* Puts the new set in place and removes the old one. Returns 0, or -1 with @err set. */
int exitlat_atomic_dir_commit(struct exitlat_atomic_dir *d, char err[EXITLAT_ERR_MAX]);
/* Removes the temporary folder; the old set stays as it was. */
void exitlat_atomic_dir_abort(struct exitlat_atomic_dir *d);

#endif
