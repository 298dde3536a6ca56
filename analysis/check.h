/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef ANALYSIS_CHECK_H
#define ANALYSIS_CHECK_H

/*
 * exitlat-analyze --check: validates each file with the shared reader alone
 * (it runs inside emulator guests). Prints "FILE: ok, N samples" or the
 * reader's error per file; returns 0 when every file is good, else 1.
 */
int check_files(char *const *paths, int n);

#endif
