// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Where the trend and fleet figures put their text (see layout.h). */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exitlat/text.h"
#include "layout.h"

#define PT_CM		(2.54 / 72.0)
#define DAY_S		86400.0
/* A line of text at 8 pt: its box is 1.164 em tall (DejaVu's ascent and descent). */
#define LINE_CM		0.40
#define PAD_CM		0.15
/* From the border to a tic label: the tic (scale 0.6) and gnuplot's gap. */
#define TICGAP_CM	0.35
/* Below the x axis: the tics and one line of tic labels. */
#define XTICS_CM	0.60
#define KEYROW_CM	0.45
#define TREND_W_CM	8.5
#define TREND_PLOT_H_CM	4.0
#define TAGROW_CM	0.36
#define FLEET_ROW_CM	0.42
#define FLEET_PLOT_W_CM	9.0
#define FLEET_MIN_W_CM	12.0
/* A kind whose p99s reach 30 times its lowest median is drawn on a log axis. */
#define LOG_RATIO	30.0

/*
 * DejaVu Sans (Book and Bold) advance widths of ASCII 32..126, in 1/2048 em
 * (their hmtx tables). Other characters are counted as 1.15 em, wider than
 * DejaVu's letters of other scripts, U+2026 and U+FFFD.
 */
static const unsigned short dejavu_adv[2][95] = {
	{ 651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690,
	  1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716,
	  1087, 2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767,
	  1532, 1612, 1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690,
	  799, 1716, 1024, 1024, 1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186,
	  569, 1995, 1298, 1253, 1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075,
	  1303, 690, 1303, 1716 },
	{ 713, 934, 1067, 1716, 1425, 2052, 1786, 627, 936, 936, 1071, 1716, 778, 850, 778, 748,
	  1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 819, 819, 1716, 1716, 1716,
	  1188, 2048, 1585, 1561, 1503, 1700, 1399, 1399, 1681, 1714, 762, 762, 1587, 1305, 2038,
	  1714, 1741, 1501, 1741, 1577, 1475, 1397, 1663, 1585, 2259, 1579, 1483, 1485, 936, 748,
	  936, 1716, 1024, 1024, 1382, 1466, 1214, 1466, 1389, 891, 1466, 1458, 702, 702, 1362,
	  702, 2134, 1458, 1407, 1466, 1466, 1010, 1219, 979, 1458, 1335, 1892, 1321, 1335, 1192,
	  1458, 748, 1458, 1716 },
};
#define OTHER_EM	1.15

double layout_text_cm(const char *s, bool bold, double pt)
{
	size_t len = strlen(s), n;
	double em = 0;
	uint32_t c;

	for (size_t i = 0; i < len; i += n) {
		n = exitlat_utf8_next(s + i, len - i, &c);
		em += c >= 32 && c < 127 ? dejavu_adv[bold][c - 32] / 2048.0 : OTHER_EM;
	}
	return em * pt * PT_CM;
}

static double text_cm(const char *s)
{
	return layout_text_cm(s, false, LAYOUT_FONT_PT);
}

double layout_nice(double x)
{
	double m = pow(10, floor(log10(x))), f = x / m;

	/* (a hair of slack: 0.3 / 0.1 is not quite 3) */
	return (f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 5 + 1e-9 ? 5 : 10) * m;
}

char *layout_fit(const char *s, size_t max, double cm, bool bold)
{
	size_t len = strlen(s), chars = 0, n;
	uint32_t c;

	for (size_t i = 0; i < len; i += n, chars++)
		n = exitlat_utf8_next(s + i, len - i, &c);
	for (size_t m = max < chars ? max : chars; m > 1; m--) {
		char *l = exitlat_label(s, len, m);

		if (!l || layout_text_cm(l, bold, LAYOUT_FONT_PT) <= cm)
			return l;
		free(l);
	}
	return exitlat_label(s, len, 1);
}

/* Texts of a frame, appended one by one; -1 when out of memory. */
static int add_text(struct layout_frame *f, double x, double y, enum layout_align a,
		    bool vertical, bool bold, char *text, bool axis_label)
{
	struct layout_text *t;

	if (!text && !axis_label)
		return -1;
	t = realloc(f->texts, (f->ntexts + 1) * sizeof(*t));
	if (!t) {
		free(text);
		return -1;
	}
	f->texts = t;
	t[f->ntexts++] = (struct layout_text){ .x = x, .y = y, .align = a, .vertical = vertical,
					       .bold = bold, .text = text };
	return 0;
}

static char *dup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *dup_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	return r < 0 ? NULL : s;
}

void layout_frame_free(struct layout_frame *f)
{
	for (size_t i = 0; i < f->ntexts; i++)
		free(f->texts[i].text);
	free(f->texts);
	f->texts = NULL;
	f->ntexts = 0;
}

/* Width of a tic label of @v with @decimals. */
static double number_cm(double v, int decimals)
{
	char b[64];

	snprintf(b, sizeof(b), "%.*f", decimals, v);
	return text_cm(b);
}

static int decimals_of(double step)
{
	return step < 1 ? (int)ceil(-log10(step) - 1e-9) : 0;
}

/* style.gp's cycle axis label (cyc_label), as wide as it prints. */
static double axis_label_cm(bool emulated)
{
	return text_cm(emulated ? "path length (emulated TSC cycles)" : "cycles (TSC)");
}

/* style.gp's EMULATED stamp, as wide as it prints. */
static double stamp_cm(const char *name)
{
	char *s = dup_printf(strlen(name) > 10 ? "EMULATED (%s)" :
			     "EMULATED (%s): path length, not hardware time", name);
	double w = s ? text_cm(s) : 0;

	free(s);
	return w;
}

/* ---- trend --------------------------------------------------------- */

static const struct {
	unsigned int bit;
	const char *what;
} change_kinds[] = {
	{ LAYOUT_CHANGED_KERNEL,    "kernel" },
	{ LAYOUT_CHANGED_MICROCODE, "microcode" },
	{ LAYOUT_CHANGED_VERSION,   "exitlat" },
};

static const char *change_value(const struct trend_night *n, unsigned int bit)
{
	return bit == LAYOUT_CHANGED_KERNEL ? n->kernel :
	       bit == LAYOUT_CHANGED_MICROCODE ? n->microcode : n->version;
}

/* The x axis: nights with a margin, tics at midnights far enough apart for their labels. */
static void trend_x(const struct trend_input *in, double plot_w, struct trend_layout *l)
{
	static const double steps[] = { 1, 2, 7, 14, 28, 56, 91, 182, 364, 728, 1456, 2912, 5824 };
	double tmin = INFINITY, tmax = -INFINITY, pad, lw, edge, step = steps[0];

	for (size_t i = 0; i < in->n; i++) {
		tmin = fmin(tmin, in->nights[i].t);
		tmax = fmax(tmax, in->nights[i].t);
	}
	if (!(tmin <= tmax))
		tmin = tmax = 0;
	pad = fmax(0.6 * DAY_S, 0.04 * (tmax - tmin));
	l->x.lo = tmin - pad;
	l->x.hi = tmax + pad;
	l->x_years = tmax - tmin > 120 * DAY_S;
	lw = text_cm(l->x_years ? "0000-00" : "00-00");
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		step = steps[i];
		if ((!l->x_years || step >= 28) &&
		    step * DAY_S / (l->x.hi - l->x.lo) * plot_w >= lw + 0.3)
			break;
	}
	/* the first and last labels stay over the axis, clear of the y tic labels */
	edge = (lw / 2 + 0.15) / plot_w * (l->x.hi - l->x.lo);
	l->x.step = step * DAY_S;
	l->x.t0 = ceil((l->x.lo + edge) / DAY_S) * DAY_S;
	l->x.t1 = l->x.hi - edge;
	if (l->x.t0 > l->x.t1) {
		/* a range too short for a midnight inside: one tic at the night */
		l->x.t0 = l->x.t1 = tmin;
	}
}

int trend_layout(const struct trend_input *in, struct trend_layout *l)
{
	double dmin = INFINITY, dmax = -INFINITY, span, flr, step, ytw, y2w = 0, f = 0;
	double w = TREND_W_CM, left, right, plot_w, plot_h, data_h, top_h, bottom_h, h, y, room;
	double row_end[LAYOUT_MAX_TAGS];
	size_t nchanged = 0, first_tag, k = 0, older = 0, ntitle, nlegend = 0;
	int rows = 0;
	char *title = NULL, *t1 = NULL, *t2 = NULL, *y2label = NULL;
	struct layout_frame *fr = &l->f;

	*l = (struct trend_layout){ 0 };
	for (size_t i = 0; i < in->n; i++) {
		const struct trend_night *n = &in->nights[i];

		if (n->failed)
			continue;
		if (isfinite(n->median)) {
			dmin = fmin(dmin, n->median);
			dmax = fmax(dmax, n->median);
		}
		if (isfinite(n->p99))
			dmax = fmax(dmax, n->p99);
	}
	if (!(dmin <= dmax)) {
		dmin = 0;
		dmax = 1;
	}
	/* y: about four tics over the data; at least 2 % of its level (a flat series) */
	span = dmax - dmin;
	flr = fmax(0.02 * fabs(dmax), 1.0);
	if (span < flr) {
		double mid = (dmin + dmax) / 2;

		dmin = mid - flr / 2;
		dmax = mid + flr / 2;
		span = flr;
	}
	step = layout_nice(span / 4);
	l->y.lo = floor(dmin / step) * step;
	l->y.t0 = l->y.lo;
	l->y.t1 = ceil(dmax / step) * step;
	l->y.step = step;
	l->y.decimals = decimals_of(step);
	ytw = fmax(number_cm(l->y.lo, l->y.decimals), number_cm(l->y.t1, l->y.decimals));
	l->data_top = l->y.t1;
	/* measured with a known TSC rate: nanoseconds on the right */
	l->has_y2 = in->tsc_khz > 0 && !in->emulated;
	if (l->has_y2) {
		f = in->tsc_khz / 1e6;
		l->y2.step = layout_nice((l->y.t1 - l->y.lo) / f / 4);
		l->y2.decimals = decimals_of(l->y2.step);
		l->y2.t0 = ceil(l->y.lo / f / l->y2.step) * l->y2.step;
		l->y2.t1 = l->y.t1 / f;
		y2w = fmax(number_cm(l->y2.t0, l->y2.decimals), number_cm(l->y2.t1, l->y2.decimals));
	}
	if (in->emulated)
		w = fmax(w, stamp_cm(in->emu_name ? in->emu_name : "") + 2 * PAD_CM);
	left = PAD_CM + LINE_CM + 0.1 + ytw + TICGAP_CM;
	right = l->has_y2 ? TICGAP_CM + y2w + 0.1 + LINE_CM + PAD_CM : 0.6;
	plot_w = w - left - right;
	trend_x(in, plot_w, l);

	/* Change nights: the latest LAYOUT_MAX_TAGS numbered, in rows where they meet. */
	for (size_t i = 1; i < in->n; i++)
		nchanged += in->nights[i].changed != 0;
	l->tags = calloc(nchanged ? nchanged : 1, sizeof(*l->tags));
	if (!l->tags)
		return -1;
	first_tag = nchanged > LAYOUT_MAX_TAGS ? nchanged - LAYOUT_MAX_TAGS : 0;
	for (int r = 0; r < LAYOUT_MAX_TAGS; r++)
		row_end[r] = -INFINITY;
	for (size_t i = 1; i < in->n; i++) {
		const struct trend_night *n = &in->nights[i];
		struct trend_tag *t;
		double x, tw;
		int r;

		if (!n->changed)
			continue;
		t = &l->tags[l->ntags++];
		*t = (struct trend_tag){ .t = n->t, .y = NAN, .changed = n->changed };
		l->kinds |= n->changed & LAYOUT_CHANGED_KERNEL ? LAYOUT_CHANGED_KERNEL :
			    n->changed & LAYOUT_CHANGED_MICROCODE ? LAYOUT_CHANGED_MICROCODE :
			    LAYOUT_CHANGED_VERSION;
		if (k++ < first_tag) {
			older++;
			continue;
		}
		t->number = (int)(k - first_tag);
		x = (n->t - l->x.lo) / (l->x.hi - l->x.lo) * plot_w;
		tw = text_cm("0") + 0.15;
		for (r = 0; r < LAYOUT_MAX_TAGS - 1 && row_end[r] > x - tw / 2; r++)
			;
		row_end[r] = x + tw / 2;
		t->y = r;	/* the row, made a data value below */
		rows = r + 1 > rows ? r + 1 : rows;
	}
	/* the y axis' label, turned, stands beside the plot: as tall as it is long */
	data_h = fmax(TREND_PLOT_H_CM, axis_label_cm(in->emulated) + 0.3 - rows * TAGROW_CM);
	if (l->has_y2) {
		y2label = dup_printf("nanoseconds (TSC %.3f GHz)", f);
		if (!y2label)
			goto err_nomem;
		data_h = fmax(data_h, text_cm(y2label) + 0.3 - rows * TAGROW_CM);
	}
	plot_h = data_h + rows * TAGROW_CM;
	l->y.hi = l->y.t1 + rows * TAGROW_CM / data_h * (l->y.t1 - l->y.lo);
	for (size_t i = 0; i < l->ntags; i++) {
		double row = TAGROW_CM / data_h * (l->y.t1 - l->y.lo);

		l->tags[i].y_end = l->y.t1;
		if (l->tags[i].number) {
			l->tags[i].y = l->y.t1 + (l->tags[i].y + 0.5) * row;
			l->tags[i].y_end = l->tags[i].y - 0.5 * row;
		}
	}
	if (l->has_y2) {
		l->y2.lo = l->y.lo / f;
		l->y2.hi = l->y.hi / f;
	}

	/* The key: the band (or a whisker), the median, each kind of change, alerts, failures. */
	l->key_entries = 2;
	for (size_t i = 0; i < sizeof(change_kinds) / sizeof(change_kinds[0]); i++)
		l->key_entries += !!(l->kinds & change_kinds[i].bit);
	for (size_t i = 0, a = 0, b = 0; i < in->n; i++) {
		a |= in->nights[i].alert;
		b |= in->nights[i].failed;
		if (i + 1 == in->n)
			l->key_entries += a + b;
	}

	/* The title: "HOST TRACK" on one line when it fits, else two. */
	room = w - 2 * PAD_CM;
	t1 = exitlat_label(in->host, strlen(in->host), LAYOUT_LABEL_MAX);
	t2 = exitlat_label(in->track, strlen(in->track), LAYOUT_LABEL_MAX);
	if (!t1 || !t2 || !(title = dup_printf("%s %s", t1, t2)))
		goto err_nomem;
	free(t1);
	free(t2);
	t1 = t2 = NULL;
	ntitle = text_cm(title) <= room ? 1 : 2;

	/* The legend of the numbered changes: "N  MM-DD  kernel VALUE", one line each. */
	for (size_t i = 0; i < l->ntags; i++)
		for (size_t j = 0; j < sizeof(change_kinds) / sizeof(change_kinds[0]); j++)
			nlegend += l->tags[i].number && (l->tags[i].changed & change_kinds[j].bit);
	nlegend += older > 0;

	/* (the top tic label stands half a line above the plot) */
	top_h = PAD_CM + (in->emulated ? LINE_CM : 0) + ntitle * LINE_CM + 0.25;
	bottom_h = XTICS_CM + LINE_CM + 0.1 + (l->key_entries + 1) / 2 * KEYROW_CM +
		   nlegend * LINE_CM + PAD_CM;
	h = top_h + plot_h + bottom_h;
	fr->w_cm = w;
	fr->h_cm = h;
	fr->left = left / w;
	fr->right = 1 - right / w;
	fr->top = 1 - top_h / h;
	fr->bottom = bottom_h / h;
	fr->stamp_y = 1 - (PAD_CM + LINE_CM / 2) / h;

	y = h - PAD_CM - (in->emulated ? LINE_CM : 0) - LINE_CM / 2;
	if (ntitle == 1) {
		if (add_text(fr, 0.5, y / h, LAYOUT_CENTRE, false, false, title, false))
			goto err;
		title = NULL;
	} else {
		free(title);
		title = NULL;
		if (add_text(fr, 0.5, y / h, LAYOUT_CENTRE, false, false,
			     layout_fit(in->host, LAYOUT_LABEL_MAX, room, false), false) ||
		    add_text(fr, 0.5, (y - LINE_CM) / h, LAYOUT_CENTRE, false, false,
			     layout_fit(in->track, LAYOUT_LABEL_MAX, room, false), false))
			goto err;
	}
	/* axis labels: y (style.gp's cycle label) on the left, x below its tics */
	if (add_text(fr, (PAD_CM + LINE_CM / 2) / w, (fr->bottom + fr->top) / 2, LAYOUT_CENTRE,
		     true, false, NULL, true) ||
	    add_text(fr, (left + plot_w / 2) / w, (bottom_h - XTICS_CM - LINE_CM / 2) / h,
		     LAYOUT_CENTRE, false, false, strdup("night (UTC)"), false))
		goto err;
	if (l->has_y2) {
		if (add_text(fr, 1 - (PAD_CM + LINE_CM / 2) / w, (fr->bottom + fr->top) / 2,
			     LAYOUT_CENTRE, true, false, y2label, false))
			goto err;
		y2label = NULL;
	}
	y = bottom_h - XTICS_CM - LINE_CM - 0.1;
	fr->key_x = PAD_CM / w;
	fr->key_y = y / h;
	y -= (l->key_entries + 1) / 2 * KEYROW_CM + LINE_CM / 2;
	for (size_t i = 0; i < l->ntags; i++) {
		const struct trend_night *n = NULL;

		if (!l->tags[i].number)
			continue;
		for (size_t j = 0; j < in->n; j++)
			if (in->nights[j].t == l->tags[i].t)
				n = &in->nights[j];
		for (size_t j = 0; n && j < sizeof(change_kinds) / sizeof(change_kinds[0]); j++) {
			char day[16], *pre, *v;
			time_t tt = (time_t)l->tags[i].t;
			struct tm tm;

			if (!(l->tags[i].changed & change_kinds[j].bit))
				continue;
			gmtime_r(&tt, &tm);
			strftime(day, sizeof(day), l->x_years ? "%Y-%m-%d" : "%m-%d", &tm);
			pre = dup_printf("%d  %s  %s ", l->tags[i].number, day, change_kinds[j].what);
			if (!pre)
				goto err_nomem;
			v = layout_fit(change_value(n, change_kinds[j].bit), LAYOUT_LABEL_MAX,
				       room - text_cm(pre), false);
			if (add_text(fr, PAD_CM / w, y / h, LAYOUT_LEFT, false, false,
				     v ? dup_printf("%s%s", pre, v) : NULL, false)) {
				free(pre);
				free(v);
				goto err;
			}
			free(pre);
			free(v);
			y -= LINE_CM;
		}
	}
	if (older && add_text(fr, PAD_CM / w, y / h, LAYOUT_LEFT, false, false,
			      dup_printf("and %zu earlier change%s (lines only)", older,
					 older > 1 ? "s" : ""), false))
		goto err;
	return 0;

err_nomem:
	free(t1);
	free(t2);
err:
	free(title);
	free(y2label);
	trend_layout_free(l);
	return -1;
}

void trend_layout_free(struct trend_layout *l)
{
	layout_frame_free(&l->f);
	free(l->tags);
	l->tags = NULL;
	l->ntags = 0;
}

/* ---- fleet --------------------------------------------------------- */

/* The value a host is sorted by: its KVM median, else its native one. */
static double sort_key(const struct fleet_entry *e)
{
	return isfinite(e->kvm.median) ? e->kvm.median :
	       isfinite(e->native.median) ? e->native.median : INFINITY;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median_of(double *v, size_t n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct fleet_group {
	const char *cpu, *kernel;
	size_t *hosts, n;
	double key;
	struct fleet_side native, kvm;	/* median of medians, lowest .. highest, top p99 */
};

static int cmp_group_name(const struct fleet_entry *a, const struct fleet_entry *b)
{
	int c = strcmp(a->cpu, b->cpu);

	return c ? c : strcmp(a->kernel, b->kernel);
}

static int cmp_host(const void *a, const void *b, void *ctx)
{
	const struct fleet_entry *e = ctx, *x = &e[*(const size_t *)a], *y = &e[*(const size_t *)b];
	int c = cmp_group_name(x, y);
	double kx = sort_key(x), ky = sort_key(y);

	if (c)
		return c;
	if (kx != ky)
		return kx < ky ? -1 : 1;
	return strcmp(x->label, y->label);
}

static int cmp_group(const void *a, const void *b)
{
	const struct fleet_group *x = a, *y = b;
	int c;

	if (x->key != y->key && !(isnan(x->key) && isnan(y->key)))
		return isnan(x->key) ? 1 : isnan(y->key) ? -1 : x->key < y->key ? -1 : 1;
	c = strcmp(x->cpu, y->cpu);
	return c ? c : strcmp(x->kernel, y->kernel);
}

/* A group's spread on one side: median of the medians, lowest and highest, top p99. */
static void group_side(const struct fleet_entry *e, const size_t *hosts, size_t n, bool kvm,
		       double *tmp, struct fleet_side *s)
{
	size_t m = 0;

	*s = (struct fleet_side){ NAN, INFINITY, -INFINITY, NAN };
	for (size_t i = 0; i < n; i++) {
		const struct fleet_side *h = kvm ? &e[hosts[i]].kvm : &e[hosts[i]].native;

		if (isfinite(h->median)) {
			tmp[m++] = h->median;
			s->lo = fmin(s->lo, h->median);
			s->hi = fmax(s->hi, h->median);
		}
		if (isfinite(h->p99))
			s->p99 = isfinite(s->p99) ? fmax(s->p99, h->p99) : h->p99;
	}
	s->median = median_of(tmp, m);
	if (!m)
		s->lo = s->hi = NAN;
}

/* The x axis of a kind, shared by its pages: linear from 0, or log over decades. */
static void fleet_x(const struct fleet_entry *e, size_t n, struct layout_axis *x)
{
	double lo = INFINITY, hi = -INFINITY, lw, step;
	int nt;

	for (size_t i = 0; i < n; i++) {
		const struct fleet_side *s[2] = { &e[i].native, &e[i].kvm };

		for (int k = 0; k < 2; k++) {
			if (isfinite(s[k]->median) && s[k]->median > 0) {
				lo = fmin(lo, s[k]->median);
				hi = fmax(hi, s[k]->median);
			}
			if (isfinite(s[k]->p99))
				hi = fmax(hi, s[k]->p99);
		}
	}
	if (!(lo <= hi)) {
		lo = 1;
		hi = 10;
	}
	*x = (struct layout_axis){ 0 };
	if (hi / lo > LOG_RATIO) {
		x->log = true;
		x->lo = x->t0 = pow(10, floor(log10(lo)));
		x->hi = x->t1 = pow(10, ceil(log10(hi * 1.001)));
		x->step = 10;
		return;
	}
	/* linear from 0: as many tics as their labels leave room for, at most 8 */
	lw = number_cm(hi * 1.05, 0) + 0.4;
	nt = (int)(FLEET_PLOT_W_CM / lw);
	nt = nt < 2 ? 2 : nt > 8 ? 8 : nt;
	step = layout_nice(hi * 1.05 / nt);
	x->lo = x->t0 = 0;
	x->hi = x->t1 = ceil(hi * 1.05 / step) * step;
	x->step = step;
	x->decimals = decimals_of(step);
}

static int add_row(struct fleet_page *p, bool header, char *text, const struct fleet_side *n,
		   const struct fleet_side *k)
{
	struct fleet_row *r;

	if (!text)
		return -1;
	r = realloc(p->rows, (p->nrows + 1) * sizeof(*r));
	if (!r) {
		free(text);
		return -1;
	}
	p->rows = r;
	r[p->nrows++] = (struct fleet_row){
		.header = header, .text = text,
		.native = n ? *n : (struct fleet_side){ NAN, NAN, NAN, NAN },
		.kvm = k ? *k : (struct fleet_side){ NAN, NAN, NAN, NAN },
	};
	return 0;
}

/* "CPU · KERNEL (N hosts)" in the room there is, the CPU's name cut first. */
static char *group_text(const struct fleet_group *g, bool continued, double room)
{
	char *k = exitlat_label(g->kernel, strlen(g->kernel), LAYOUT_LABEL_MAX), *tail, *c, *t;

	if (!k)
		return NULL;
	tail = dup_printf(" \u00b7 %s (%zu host%s)%s", k, g->n, g->n > 1 ? "s" : "",
			  continued ? ", continued" : "");
	free(k);
	if (!tail)
		return NULL;
	c = layout_fit(g->cpu, LAYOUT_LABEL_MAX * 2,
		       room - layout_text_cm(tail, true, LAYOUT_FONT_PT), true);
	t = c ? dup_printf("%s%s", c, tail) : NULL;
	free(c);
	free(tail);
	return t;
}

/* Heights above and below the rows of a page. */
static double page_top_cm(bool emulated, bool x2)
{
	return PAD_CM + (emulated ? LINE_CM : 0) + 2 * LINE_CM + KEYROW_CM + (x2 ? XTICS_CM : 0.15);
}

static double page_bottom_cm(void)
{
	return XTICS_CM + LINE_CM + PAD_CM;
}

/* Size and texts of a page whose rows are set; @w: the kind's width. */
static int page_frame(struct fleet_page *p, double w, double left, bool emulated,
		      const char *title, const char *explain)
{
	struct layout_frame *f = &p->f;
	double top = page_top_cm(emulated, p->x2), bottom = page_bottom_cm();
	double h = top + p->nrows * FLEET_ROW_CM + bottom, y;

	f->w_cm = w;
	f->h_cm = h;
	f->left = left / w;
	f->right = 1 - 0.6 / w;
	f->top = 1 - top / h;
	f->bottom = bottom / h;
	f->stamp_y = 1 - (PAD_CM + LINE_CM / 2) / h;
	y = h - PAD_CM - (emulated ? LINE_CM : 0) - LINE_CM / 2;
	if (add_text(f, 0.5, y / h, LAYOUT_CENTRE, false, false,
		     layout_fit(title, SIZE_MAX, w - 2 * PAD_CM, false), false) ||
	    add_text(f, 0.5, (y - LINE_CM) / h, LAYOUT_CENTRE, false, false,
		     layout_fit(explain, SIZE_MAX, w - 2 * PAD_CM, false), false))
		return -1;
	f->key_x = PAD_CM / w;
	f->key_y = (y - LINE_CM / 2 - LINE_CM) / h;
	if (add_text(f, (left + (w - 0.6 - left) / 2) / w, (bottom - XTICS_CM - LINE_CM / 2) / h,
		     LAYOUT_CENTRE, false, false, NULL, true))
		return -1;
	for (size_t r = 0; r < p->nrows; r++) {
		char *t;

		if (!p->rows[r].header)
			continue;
		t = strdup(p->rows[r].text);
		if (add_text(f, PAD_CM / w, f->top - (r + 0.5) * FLEET_ROW_CM / h, LAYOUT_LEFT,
			     false, true, t, false))
			return -1;
	}
	return 0;
}

static struct fleet_page *new_page(struct fleet_layout *l, bool groups)
{
	struct fleet_page *p = realloc(l->pages, (l->npages + 1) * sizeof(*p));

	if (!p)
		return NULL;
	l->pages = p;
	p = &l->pages[l->npages++];
	*p = (struct fleet_page){ .groups = groups };
	return p;
}

int fleet_layout(const char *kind, const struct fleet_entry *e, size_t n, bool emulated,
		 const char *emu_names, struct fleet_layout *l)
{
	size_t *order = calloc(n ? n : 1, sizeof(*order)), ng = 0, rows_max, total = 0, np;
	struct fleet_group *g = calloc(n ? n : 1, sizeof(*g));
	double *tmp = calloc(n ? n : 1, sizeof(*tmp)), *keys = tmp, left = 0, w, room;
	char *title = NULL, *kl = NULL;
	struct fleet_page *p = NULL;
	int ret = -1;

	*l = (struct fleet_layout){ 0 };
	if (!order || !g || !tmp)
		goto out;
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof(*order), cmp_host, (void *)e);
	/* groups: runs of one CPU model and kernel, ordered by their median host */
	for (size_t i = 0; i < n; i++) {
		if (!ng || cmp_group_name(&e[order[i]], &e[g[ng - 1].hosts[0]])) {
			g[ng++] = (struct fleet_group){ .cpu = e[order[i]].cpu,
							.kernel = e[order[i]].kernel,
							.hosts = &order[i] };
		}
		g[ng - 1].n++;
	}
	for (size_t i = 0; i < ng; i++) {
		size_t m = 0;

		for (size_t j = 0; j < g[i].n; j++)
			if (isfinite(sort_key(&e[g[i].hosts[j]])))
				keys[m++] = sort_key(&e[g[i].hosts[j]]);
		g[i].key = median_of(keys, m);
		group_side(e, g[i].hosts, g[i].n, false, tmp, &g[i].native);
		group_side(e, g[i].hosts, g[i].n, true, tmp, &g[i].kvm);
	}
	qsort(g, ng, sizeof(*g), cmp_group);
	fleet_x(e, n, &l->x);

	/* the width: the longest host label left of the plot */
	for (size_t i = 0; i < n; i++)
		left = fmax(left, text_cm(e[i].label));
	left = fmax(left, text_cm("000 hosts"));
	left += PAD_CM + TICGAP_CM;
	w = fmax(FLEET_MIN_W_CM, left + FLEET_PLOT_W_CM + 0.6);
	room = w - 2 * PAD_CM;
	(void)emu_names;

	rows_max = (size_t)((LAYOUT_PAGE_MAX_CM - page_top_cm(emulated, true) - page_bottom_cm()) /
			    FLEET_ROW_CM);
	for (size_t i = 0; i < ng; i++)
		total += 1 + g[i].n;
	l->paged = total > rows_max;
	kl = exitlat_label(kind, strlen(kind), LAYOUT_LABEL_MAX);
	if (!kl)
		goto out;

	if (l->paged) {
		/* the figure: every group with the spread of its hosts */
		if (!(p = new_page(l, true)))
			goto out;
		for (size_t i = 0; i < ng; i++)
			if (add_row(p, true, group_text(&g[i], false, room), NULL, NULL) ||
			    add_row(p, false, dup_printf("%zu host%s", g[i].n, g[i].n > 1 ? "s" : ""),
				    &g[i].native, &g[i].kvm))
				goto out;
	}
	/* the hosts, a page at a time; a group that fits a page is not split */
	if (!(p = new_page(l, false)))
		goto out;
	for (size_t i = 0; i < ng; i++) {
		bool continued = false;

		if (p->nrows && p->nrows + 1 + g[i].n > rows_max && 1 + g[i].n <= rows_max &&
		    !(p = new_page(l, false)))
			goto out;
		for (size_t j = 0; j < g[i].n; j++) {
			const struct fleet_entry *h = &e[g[i].hosts[j]];

			if (p->nrows + (j == 0 || p->nrows == 0 ? 2 : 1) > rows_max) {
				if (!(p = new_page(l, false)))
					goto out;
				continued = j > 0;
			}
			if ((j == 0 || p->nrows == 0) &&
			    add_row(p, true, group_text(&g[i], continued, room), NULL, NULL))
				goto out;
			if (add_row(p, false, strdup(h->label), &h->native, &h->kvm))
				goto out;
		}
	}
	np = l->npages - l->paged;
	for (size_t i = 0; i < l->npages; i++) {
		struct fleet_page *q = &l->pages[i];
		int r;

		q->x2 = q->nrows > 20;
		free(title);
		if (q->groups)
			title = dup_printf("%s: latest night of %zu hosts, by CPU model and kernel",
					   kl, n);
		else if (l->paged)
			title = dup_printf("%s: latest night per host, page %zu of %zu", kl, i, np);
		else
			title = dup_printf("%s: latest night per host", kl);
		r = title ? page_frame(q, w, left, emulated, title, q->groups ?
				       "box: the hosts' medians, lowest to highest; point: their "
				       "median; whisker: highest p99" :
				       "point: median; whisker: up to p99") : -1;
		if (r)
			goto out;
	}
	ret = 0;
out:
	free(title);
	free(kl);
	free(order);
	free(g);
	free(tmp);
	if (ret)
		fleet_layout_free(l);
	return ret;
}

void fleet_layout_free(struct fleet_layout *l)
{
	for (size_t i = 0; i < l->npages; i++) {
		for (size_t r = 0; r < l->pages[i].nrows; r++)
			free(l->pages[i].rows[r].text);
		free(l->pages[i].rows);
		layout_frame_free(&l->pages[i].f);
	}
	free(l->pages);
	l->pages = NULL;
	l->npages = 0;
}
