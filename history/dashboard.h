/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The static HTML dashboard of a results root (docs/nightly.md, "Dashboard"):
 * ROOT/index.html (every host's latest night per series, regressions first,
 * their trend figures and the fleet figures inline) and, written as one set
 * (lib/atomic_dir.c), ROOT/dashboard/host-HOSTDIR.html per host (its series,
 * trends and runs) and ROOT/dashboard/run-ID.html per run (its report.md as
 * HTML, figures inline). Plain HTML and CSS: no script, nothing fetched from
 * a network. Every value is the history's or the run folder's own; every
 * text is escaped, every link a relative, percent-encoded path.
 */
#ifndef EXITLAT_HISTORY_DASHBOARD_H
#define EXITLAT_HISTORY_DASHBOARD_H

#include <sqlite3.h>

#include "regress.h"

/* Returns the number of pages written, or -1 (said on stderr). */
int history_dashboard(sqlite3 *db, const char *dbpath, const char *root,
		      const struct regress_params *p);

#endif
