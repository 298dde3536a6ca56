/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Where every text of the trend and fleet figures goes (plots/trend.gp,
 * plots/trend-fleet.gp): pure functions over plain data, no database
 * (tests/unit/test_history_layout.c). The figures' scripts only draw what is
 * decided here: the canvas' size, the plot's margins, the axes' ranges and
 * tics, every label's place, the fleet's rows, groups and pages.
 *
 * Text is measured with DejaVu Sans' own advance widths (style.gp's font), so
 * a label gets the room it takes; tests/host/fleet-figures.sh measures the
 * drawn figures and fails on any text that overlaps another or leaves the page.
 * Lengths are in cm; positions of labels in screen fractions (0 bottom/left,
 * 1 top/right), as gnuplot's "at screen" takes them.
 */
#ifndef EXITLAT_HISTORY_LAYOUT_H
#define EXITLAT_HISTORY_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

/* style.gp's text size, printed (font_pt). */
#define LAYOUT_FONT_PT		8.0
/* A figure's text as a label: at most this many characters, then "…". */
#define LAYOUT_LABEL_MAX	24
/* The tallest fleet figure: what a page holds (A4, less its margins). */
#define LAYOUT_PAGE_MAX_CM	25.0
/* Change nights numbered on a trend (the latest ones); older ones are lines only. */
#define LAYOUT_MAX_TAGS		6

/* Width of @s (UTF-8) printed at @pt points, regular or bold, in cm. */
double layout_text_cm(const char *s, bool bold, double pt);
/* The smallest of 1, 2, 5 x 10^k that is >= @x (> 0). */
double layout_nice(double x);
/*
 * @s as a label of at most @max characters (exitlat_label()) that is also at
 * most @cm wide (fewer characters, down to 1, then "…"). malloc'd, or NULL.
 */
char *layout_fit(const char *s, size_t max, double cm, bool bold);

/* One text on the canvas. */
enum layout_align { LAYOUT_LEFT, LAYOUT_CENTRE, LAYOUT_RIGHT };
struct layout_text {
	double x, y;			/* screen fractions; y: the line's middle */
	enum layout_align align;
	bool vertical;			/* turned by 90 degrees */
	bool bold;
	char *text;			/* NULL: the axis' label (style.gp's cyc_label) */
};

/* An axis: range, tics from t0 by step up to t1, labels with @decimals. */
struct layout_axis {
	double lo, hi;
	double t0, step, t1;
	int decimals;
	bool log;			/* step is a factor */
};

/* The canvas and the plot's border in it. */
struct layout_frame {
	double w_cm, h_cm;
	double left, right, bottom, top;	/* screen fractions of the border */
	double stamp_y;			/* the EMULATED stamp's line */
	double key_x, key_y;		/* the key's top left corner */
	struct layout_text *texts;
	size_t ntexts;
};

void layout_frame_free(struct layout_frame *f);

/* ---- trend of one series -------------------------------------------- */

#define LAYOUT_CHANGED_KERNEL		(1u << 0)
#define LAYOUT_CHANGED_MICROCODE	(1u << 1)
#define LAYOUT_CHANGED_VERSION		(1u << 2)

struct trend_night {
	double t;			/* seconds since the epoch */
	double median, p99;		/* NaN when missing */
	unsigned int changed;		/* LAYOUT_CHANGED_*: against the night before */
	const char *kernel, *microcode, *version;
	bool alert;			/* check would alert on this night */
	bool failed;			/* a failed night: no values */
};

struct trend_input {
	const struct trend_night *nights;	/* oldest first */
	size_t n;
	const char *host, *track;
	bool emulated;
	const char *emu_name;
	double tsc_khz;			/* 0: unknown (no nanosecond axis) */
};

/* A change night's mark: a line from the bottom up to its number. */
struct trend_tag {
	double t;
	double y;			/* the number's place (data), NaN: a line alone */
	double y_end;			/* where the line ends (data): under its number */
	int number;			/* 0: an older change, not numbered */
	unsigned int changed;
};

struct trend_layout {
	struct layout_frame f;
	struct layout_axis x, y, y2;
	bool has_y2;
	bool x_years;			/* tic labels YYYY-MM, else MM-DD */
	double data_top;		/* y above which the numbers of changes sit */
	struct trend_tag *tags;
	size_t ntags;
	unsigned int kinds;		/* LAYOUT_CHANGED_* any night has */
	size_t key_entries;
};

int trend_layout(const struct trend_input *in, struct trend_layout *l);
void trend_layout_free(struct trend_layout *l);

/* ---- the fleet: one exit kind, every host's latest night ------------ */

struct fleet_side {
	double median, lo, hi, p99;	/* lo..hi: a group's spread of medians */
};

struct fleet_entry {
	const char *label;		/* the host as the figure names it */
	const char *cpu, *kernel;	/* the group */
	struct fleet_side native, kvm;	/* NaN where missing */
};

struct fleet_row {
	bool header;
	char *text;			/* a header's text or the row's tic label */
	struct fleet_side native, kvm;
};

struct fleet_page {
	struct layout_frame f;
	struct fleet_row *rows;
	size_t nrows;
	bool groups;			/* rows are groups with their spread */
	bool x2;			/* the x tics on top too */
};

struct fleet_layout {
	struct layout_axis x;
	struct fleet_page *pages;	/* [0]: the figure; [1..]: pages, when paged */
	size_t npages;
	bool paged;
};

/*
 * The fleet figure of @n hosts of exit kind @kind: one page with every host,
 * sorted by median within groups of CPU model and kernel, or, when one page
 * cannot hold them, a page of the groups with their spread followed by the
 * host pages. @emulated: any host's series is emulated (the stamp).
 */
int fleet_layout(const char *kind, const struct fleet_entry *e, size_t n, bool emulated,
		 const char *emu_names, struct fleet_layout *l);
void fleet_layout_free(struct fleet_layout *l);

#endif
