/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * gnuplot data for the trend figures (plots/trend.gp) and the fleet figure
 * (plots/trend-fleet.gp); formats in docs/history-schema.md. Files are
 * written atomically.
 */
#ifndef EXITLAT_HISTORY_TREND_H
#define EXITLAT_HISTORY_TREND_H

#include <stdio.h>
#include <sqlite3.h>

#include "regress.h"

/*
 * DIR/trend-HOST--TRACK.dat per host (all, or @host) and track: one row per
 * usable night, the figure laid out (layout.h), the nights check alerts on
 * with @params marked. Prints each file's path to @list. Returns the number
 * of files, or -1.
 */
int history_trend_data(sqlite3 *db, const char *dbpath, const char *host, const char *dir,
		       const struct regress_params *params, FILE *list);

/*
 * DIR/fleet.dat: each host's latest usable night, one row per series; per
 * exit kind the fleet figure's files (fleet-KIND.dat, and its pages
 * fleet-KIND--pageN.dat when one page cannot hold every host), listed in
 * DIR/fleets.dat. Returns the number of rows, or -1.
 */
int history_fleet_data(sqlite3 *db, const char *dbpath, const char *dir, FILE *list);

/* Copies @s to @out with every character outside [A-Za-z0-9.+-] made '_'. */
void history_slug(const char *s, char *out, size_t len);

/* File-name parts of the trend figures: trends/HOSTDIR/trend-HOSTDIR--TRACK.png. */
#define HISTORY_HOSTDIR_MAX 64
#define HISTORY_TRACKNAME_MAX 120

/* history_slug() of @s, at most @max bytes (long ones told apart by a hash); malloc'd or NULL. */
char *history_slug_bounded(const char *s, size_t max);

#endif
