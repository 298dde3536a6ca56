/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The output formats (docs/analysis-outputs.md), one file each, over one report. */
#ifndef ANALYSIS_OUTPUT_H
#define ANALYSIS_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "exitlat/samples.h"
#include "breakdown.h"
#include "interrupts.h"
#include "overhead.h"
#include "series.h"

struct report {
	const struct series_set *set;
	const struct overhead *ov;
	size_t nov;
	const struct rung *rungs;	/* the ladder (ladder_compute()) */
	size_t nrungs;
	const struct breakdown *bd;	/* where the time goes (breakdown.h) */
	size_t nbd;
	const struct irq_pair *pairs;	/* running vs halted (interrupts.h) */
	size_t npairs;
	const struct boot_opts *boot;
	bool subtract_null;
	long double trim;
};

enum hist_mode { HIST_AUTO, HIST_EXACT, HIST_LOG };

struct hist_opts {
	enum hist_mode mode;
	unsigned int bins_per_decade;
};

/* The statistics every format prints, in this order, after count and distinct. */
enum stat_type { STAT_EXACT, STAT_LD };
struct stat_field {
	const char *name;
	enum stat_type type;
	size_t offset;		/* in struct dist_stats */
};
#define STAT_FIELDS_NR 12
extern const struct stat_field stat_fields[STAT_FIELDS_NR];

/* The field's value as text: exact decimals for STAT_EXACT, 3 decimals otherwise. */
const char *stat_str(const struct dist_stats *st, const struct stat_field *f,
		     char buf[XDEC_STR_MAX]);
long double stat_ld(const struct dist_stats *st, const struct stat_field *f);
/* A breakdown's kind name and a segment's title ("t0-pio (merged)"), malloc'd or NULL. */
char *segment_title(const struct series *s);

/* Where KVM handles table kind @kind (-1: outside it), as the ladder says it. */
const char *kvm_step(int kind);

/* "%.3Lf" of @v, or @nan_text when @v is not finite. */
const char *ld_str(long double v, int decimals, const char *nan_text, char buf[XDEC_STR_MAX]);

/* Each returns 0, or -1 on a write error (errno set). */
int out_table(FILE *f, const struct report *r);
int out_json(FILE *f, const struct report *r);
int out_csv(FILE *f, const struct report *r);
int out_csv_overhead(FILE *f, const struct report *r);
int out_csv_breakdown(FILE *f, const struct report *r);
/* The report's interrupt section (Markdown, no heading); nothing without interrupt kinds. */
int out_interrupts_md(FILE *f, const struct report *r);
/* Whether @r holds an interrupt kind's series. */
bool report_has_latency(const struct report *r);
/* Writes the gnuplot data files into @dir; returns 0, or -1 with @err set. */
int out_gnuplot(const char *dir, const struct report *r, const struct hist_opts *h,
		char err[EXITLAT_ERR_MAX]);

#endif
