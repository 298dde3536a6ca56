/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The history as metrics for the monitoring a lab already runs: the
 * OpenMetrics text format (which Prometheus and node_exporter's textfile
 * collector read), every family a gauge with HELP and TYPE, no timestamps
 * (the textfile collector refuses them), "# EOF" last. Per host and series
 * of its latest usable night: median, p99, the regression state check gives
 * it; per host: its latest night's time, whether it failed, and what it ran
 * on (docs/nightly.md, "Metrics").
 */
#ifndef EXITLAT_HISTORY_METRICS_H
#define EXITLAT_HISTORY_METRICS_H

#include <stdbool.h>
#include <stdio.h>
#include <sqlite3.h>

#include "regress.h"

/* One series of a host's latest usable night, judged as check judges it. */
struct latest_series {
	char *label[5];			/* host kind source domain environment */
	char *track, *folder, *time_text;	/* and its night's run folder and time */
	long long run_id;
	double median, p99;
	const char *state;		/* ok, learning, improved, regressed */
	bool regressed;
};

/* A host's latest night, failed or not. */
struct latest_host {
	char *label[5];			/* host kernel microcode cpu_model version */
	char *folder, *time_text, *status, *reason;
	long long run_id;
	double time;			/* Unix time */
	bool failed;
};

/* Every host's latest night (or @host's) and its series, sorted by host and track. */
struct history_latest {
	struct latest_host *h;
	size_t nh;
	struct latest_series *s;
	size_t ns;
};

/* Fills @l (freed with history_latest_free()). Returns 0 or -1 (said on stderr). */
int history_latest_load(sqlite3 *db, const char *dbpath, const char *host,
			const struct regress_params *p, struct history_latest *l);
void history_latest_free(struct history_latest *l);

/* Writes the metrics of every host (or @host) to @out. Returns 0 or -1. */
int history_openmetrics(sqlite3 *db, const char *dbpath, const char *host,
			const struct regress_params *p, FILE *out);

#endif
