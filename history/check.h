/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Regression check over the history: for each host, the nights asked for
 * (the latest by default), every series of that night against its own past
 * (regress.h). One line per regressed series; a failed latest night is an
 * alert of its own.
 */
#ifndef EXITLAT_HISTORY_CHECK_H
#define EXITLAT_HISTORY_CHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <sqlite3.h>

#include "regress.h"

struct check_opts {
	const char *host;	/* NULL: every host */
	const char *night;	/* a run's time; NULL: the latest */
	bool every_night;	/* judge every night, oldest first (back-fill, tests) */
	bool verbose;		/* a line for every series, not only regressions */
	struct regress_params params;
};

/*
 * Prints the alerts to @out. Returns the number of alerts (regressed series
 * plus failed latest nights), or -1 when the database failed.
 */
int history_check(sqlite3 *db, const char *dbpath, const struct check_opts *o, FILE *out);

#endif
