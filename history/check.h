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

/* One track's verdicts on one night, against the nights before it. */
struct track_verdict {
	struct regress_result median, p99;
	bool regressed;			/* the median or the p99 */
	char kernel_before[REGRESS_ENV_MAX], microcode_before[REGRESS_ENV_MAX];
	char kernel[REGRESS_ENV_MAX], microcode[REGRESS_ENV_MAX];
};

/*
 * Judges @host's @track on the night at @time. Returns 1 (judged), 0 (no
 * usable night of the track up to then) or -1 (database error, on stderr).
 */
int history_judge_track(sqlite3 *db, const char *dbpath, const struct regress_params *p,
			const char *host, const char *time, const char *track,
			struct track_verdict *v);

/* "REGRESSION", "improved", "learning" or "ok": the word check prints. */
const char *history_verdict_word(const struct track_verdict *v);

/*
 * Prints the alerts to @out. Returns the number of alerts (regressed series
 * plus failed latest nights), or -1 when the database failed.
 */
int history_check(sqlite3 *db, const char *dbpath, const struct check_opts *o, FILE *out);

#endif
