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

#include <stdio.h>
#include <sqlite3.h>

#include "regress.h"

/* Writes the metrics of every host (or @host) to @out. Returns 0 or -1. */
int history_openmetrics(sqlite3 *db, const char *dbpath, const char *host,
			const struct regress_params *p, FILE *out);

#endif
