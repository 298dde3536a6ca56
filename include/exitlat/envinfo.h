/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The environment keys every exitlat tool writes into its sample headers. */
#ifndef EXITLAT_ENVINFO_H
#define EXITLAT_ENVINFO_H

#include <stddef.h>
#include <time.h>

#include "exitlat/samples.h"

/*
 * Sets tool (NAME VERSION), host, kernel, cpu_model, microcode, time and
 * emulated in @h. "emulated" comes from "exitlat.emulated=NAME" on the
 * kernel command line (set by the emulator rig), else $EXITLAT_EMULATED,
 * else "no". Returns 0, or -1 when out of memory.
 */
int exitlat_env_fill(struct exitlat_header *h, const char *tool);

/* The emulator's name, or "no". */
const char *exitlat_env_emulated(void);

/* "2026-11-25T14:30:00Z" for @t (UTC). */
void exitlat_utc_iso8601(time_t t, char *buf, size_t len);

/* Reads the first line of a small text file into @buf (newline dropped). Returns 0 or -1. */
int exitlat_read_line(const char *path, char *buf, size_t len);

#endif
