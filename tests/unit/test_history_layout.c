// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The trend and fleet figures' layout (history/layout.c): text measured,
 * every text on the canvas and apart by the layout's own measure, tics far
 * enough apart for their labels, change numbers in rows where they meet, the
 * fleet sorted, grouped and paged with every host once. tests/host/
 * fleet-figures.sh measures the drawn figures themselves.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

#define EPS 1e-9

Test(layout, text_width_is_dejavus_advance)
{
	/* "0" is 1303/2048 em of DejaVu Sans; 8 pt = 8 * 2.54 / 72 cm */
	cr_assert_float_eq(layout_text_cm("0", false, 8), 1303.0 / 2048 * 8 * 2.54 / 72, 1e-12);
	cr_assert_gt(layout_text_cm("WWW", false, 8), layout_text_cm("iii", false, 8));
	cr_assert_gt(layout_text_cm("host", true, 8), layout_text_cm("host", false, 8));
	/* other scripts are counted wide: never narrower than ASCII letters */
	cr_assert_gt(layout_text_cm("\xd0\x96", false, 8), layout_text_cm("W", false, 8));
}

Test(layout, nice_steps_are_1_2_5)
{
	static const double in[] = { 0.07, 0.3, 1, 1.1, 2.5, 7, 12, 4900 };
	static const double out[] = { 0.1, 0.5, 1, 2, 5, 10, 20, 5000 };

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		cr_assert_float_eq(layout_nice(in[i]), out[i], 1e-12, "nice(%g)", in[i]);
}

Test(layout, fit_cuts_a_label_to_the_room)
{
	char *l = layout_fit("a-very-long-host-name-of-the-lab-rack", 24, 2.0, false);

	cr_assert_not_null(l);
	cr_assert_leq(layout_text_cm(l, false, LAYOUT_FONT_PT), 2.0);
	cr_assert_not_null(strstr(l, "\xe2\x80\xa6"), "%s", l);
	free(l);
	l = layout_fit("short", 24, 5.0, false);
	cr_assert_str_eq(l, "short");
	free(l);
}

/* A text's box on the canvas (cm), by the layout's own measure. */
struct box {
	double x0, y0, x1, y1;
};

static struct box text_box(const struct layout_frame *f, const struct layout_text *t,
			   double axis_label_cm)
{
	double w = t->text ? layout_text_cm(t->text, t->bold, LAYOUT_FONT_PT) : axis_label_cm;
	double h = 1.164 * LAYOUT_FONT_PT * 2.54 / 72, x = t->x * f->w_cm, y = t->y * f->h_cm;
	double a = t->align == LAYOUT_LEFT ? 0 : t->align == LAYOUT_CENTRE ? 0.5 : 1;

	if (t->vertical)
		return (struct box){ x - h / 2, y - w / 2, x + h / 2, y + w / 2 };
	return (struct box){ x - a * w, y - h / 2, x + (1 - a) * w, y + h / 2 };
}

/* Every text on the canvas, none over another, none inside the plot's border. */
static void assert_texts_apart(const struct layout_frame *f, double axis_label_cm)
{
	for (size_t i = 0; i < f->ntexts; i++) {
		struct box a = text_box(f, &f->texts[i], axis_label_cm);

		cr_assert(a.x0 >= -EPS && a.y0 >= -EPS && a.x1 <= f->w_cm + EPS &&
			  a.y1 <= f->h_cm + EPS, "text %zu '%s' leaves the %g x %g cm canvas", i,
			  f->texts[i].text ? f->texts[i].text : "(axis)", f->w_cm, f->h_cm);
		for (size_t j = i + 1; j < f->ntexts; j++) {
			struct box b = text_box(f, &f->texts[j], axis_label_cm);

			cr_assert(a.x1 <= b.x0 + EPS || b.x1 <= a.x0 + EPS || a.y1 <= b.y0 + EPS ||
				  b.y1 <= a.y0 + EPS, "'%s' and '%s' overlap",
				  f->texts[i].text ? f->texts[i].text : "(axis)",
				  f->texts[j].text ? f->texts[j].text : "(axis)");
		}
	}
	cr_assert(f->left > 0 && f->right < 1 && f->bottom > 0 && f->top < 1 &&
		  f->left < f->right && f->bottom < f->top);
}

/* @n nights a day apart, a change on each night listed in @changed. */
static void trend_of(struct trend_night *t, size_t n, const unsigned int *changed, size_t nc)
{
	for (size_t i = 0; i < n; i++)
		t[i] = (struct trend_night){ .t = 1790000000 + 86400.0 * i, .median = 5000 + i,
					     .p99 = 5100 + i, .kernel = "6.12.9-amd64",
					     .microcode = "0xdf", .version = "0.1.0 5678def" };
	for (size_t i = 0; i < nc; i++)
		t[changed[i]].changed = LAYOUT_CHANGED_KERNEL | LAYOUT_CHANGED_VERSION;
}

Test(layout, trend_texts_stay_on_the_canvas_and_apart)
{
	static const unsigned int changed[] = { 3, 4, 5, 6, 7, 8, 9, 20 };
	struct trend_night t[30];
	struct trend_layout l;
	struct trend_input in = {
		.nights = t, .n = 30, .host = "a-host-name-longer-than-any-label-of-a-figure",
		.track = "kvm-null-host/host/bochs@6.12.0-emu", .emulated = true, .emu_name = "bochs",
	};

	trend_of(t, 30, changed, 8);
	t[29].alert = true;
	cr_assert_eq(trend_layout(&in, &l), 0);
	assert_texts_apart(&l.f, layout_text_cm("path length (emulated TSC cycles)", false, 8));
	/* eight change nights: the latest six numbered 1..6, two older ones lines alone */
	cr_assert_eq(l.ntags, 8);
	cr_assert_eq(l.tags[0].number, 0);
	cr_assert_eq(l.tags[1].number, 0);
	cr_assert_eq(l.tags[2].number, 1);
	cr_assert_eq(l.tags[7].number, 6);
	/* nights a day apart (5 to 9) do not share a row of numbers */
	for (size_t i = 2; i < 6; i++)
		cr_assert_neq(l.tags[i].y, l.tags[i + 1].y, "tags %zu and %zu in one row", i, i + 1);
	for (size_t i = 2; i < 8; i++)
		cr_assert(l.tags[i].y > l.data_top && l.tags[i].y < l.y.hi &&
			  l.tags[i].y_end < l.tags[i].y);
	cr_assert_eq(l.kinds, LAYOUT_CHANGED_KERNEL);
	trend_layout_free(&l);
}

Test(layout, trend_time_tics_leave_room_for_their_labels)
{
	static const size_t nights[] = { 1, 2, 30, 400 };

	for (size_t k = 0; k < sizeof(nights) / sizeof(nights[0]); k++) {
		size_t n = nights[k];
		struct trend_night *t = calloc(n, sizeof(*t));
		struct trend_layout l;
		struct trend_input in = { .nights = t, .n = n, .host = "h", .track = "kvm-pio/host/no",
					  .tsc_khz = 2000000 };
		double plot_w, tic_cm, lw;

		trend_of(t, n, NULL, 0);
		cr_assert_eq(trend_layout(&in, &l), 0);
		assert_texts_apart(&l.f, layout_text_cm("cycles (TSC)", false, 8));
		plot_w = (l.f.right - l.f.left) * l.f.w_cm;
		tic_cm = l.x.step / (l.x.hi - l.x.lo) * plot_w;
		lw = layout_text_cm(l.x_years ? "0000-00" : "00-00", false, LAYOUT_FONT_PT);
		cr_assert(l.x.t0 >= l.x.lo && l.x.t1 <= l.x.hi && l.x.t0 <= l.x.t1,
			  "%zu nights: tics %g..%g outside %g..%g", n, l.x.t0, l.x.t1, l.x.lo, l.x.hi);
		if (l.x.t1 - l.x.t0 >= l.x.step)
			cr_assert_geq(tic_cm, lw, "%zu nights: tics %g cm apart", n, tic_cm);
		cr_assert_eq(l.x_years, n > 120);
		cr_assert(l.has_y2, "measured with a TSC rate: a nanosecond axis");
		trend_layout_free(&l);
		free(t);
	}
}

/* @n hosts of four CPU models and two kernels, levels all different (each test
 * runs in a process of its own: nothing is freed). */
static struct fleet_entry *fleet_of(size_t n)
{
	static const char *cpu[] = { "Intel Xeon Gold 6338", "AMD EPYC 7763", "Core i9-13900K",
				     "AMD EPYC 9654" };
	struct fleet_entry *e = calloc(n, sizeof(*e));

	for (size_t i = 0; i < n; i++) {
		char *label = malloc(40);
		double v = 1000 + (i * 37) % 101;

		snprintf(label, 40, "lab-host-%03zu", i);
		e[i] = (struct fleet_entry){ .label = label, .cpu = cpu[i * 7 % 10 % 4],
					     .kernel = i % 3 ? "6.1.0-27-amd64" : "6.12.9-amd64",
					     .native = { v, v, v, v * 1.1 },
					     .kvm = { 5 * v, 5 * v, 5 * v, 5.5 * v } };
	}
	return e;
}

static size_t host_rows(const struct fleet_page *p)
{
	size_t n = 0;

	for (size_t r = 0; r < p->nrows; r++)
		n += !p->rows[r].header;
	return n;
}

Test(layout, fleet_of_40_hosts_is_one_page_sorted_within_groups)
{
	struct fleet_entry *e = fleet_of(40);
	struct fleet_layout l;

	cr_assert_eq(fleet_layout("pio", e, 40, true, "bochs", &l), 0);
	cr_assert_eq(l.npages, 1);
	cr_assert(!l.paged && !l.pages[0].groups);
	cr_assert_eq(host_rows(&l.pages[0]), 40);
	cr_assert_leq(l.pages[0].f.h_cm, LAYOUT_PAGE_MAX_CM);
	assert_texts_apart(&l.pages[0].f, layout_text_cm("path length (emulated TSC cycles)", false, 8));
	/* within a group (between headers) hosts climb by KVM median */
	for (size_t r = 1; r < l.pages[0].nrows; r++) {
		const struct fleet_row *a = &l.pages[0].rows[r - 1], *b = &l.pages[0].rows[r];

		if (!a->header && !b->header)
			cr_assert_leq(a->kvm.median, b->kvm.median, "rows %zu, %zu", r - 1, r);
	}
	cr_assert(l.pages[0].rows[0].header, "a group's header comes first");
	fleet_layout_free(&l);
}

Test(layout, fleet_of_200_hosts_is_paged_every_host_once)
{
	struct fleet_entry *e = fleet_of(200);
	struct fleet_layout l;
	unsigned char seen[200] = { 0 };
	size_t groups = 0;

	cr_assert_eq(fleet_layout("cpuid", e, 200, false, "", &l), 0);
	cr_assert(l.paged && l.npages >= 5, "%zu pages", l.npages);
	cr_assert(l.pages[0].groups);
	for (size_t r = 0; r < l.pages[0].nrows; r++) {
		const struct fleet_row *g = &l.pages[0].rows[r];

		if (g->header)
			continue;
		groups++;
		cr_assert(g->kvm.lo <= g->kvm.median && g->kvm.median <= g->kvm.hi &&
			  g->kvm.hi <= g->kvm.p99, "group row %zu: spread out of order", r);
	}
	cr_assert_eq(groups, 8, "4 CPU models x 2 kernels");
	for (size_t p = 1; p < l.npages; p++) {
		cr_assert_leq(l.pages[p].f.h_cm, LAYOUT_PAGE_MAX_CM + EPS, "page %zu", p);
		cr_assert(l.pages[p].rows[0].header, "page %zu starts with its group's name", p);
		assert_texts_apart(&l.pages[p].f, layout_text_cm("cycles (TSC)", false, 8));
		for (size_t r = 0; r < l.pages[p].nrows; r++) {
			unsigned int i;

			if (l.pages[p].rows[r].header)
				continue;
			cr_assert_eq(sscanf(l.pages[p].rows[r].text, "lab-host-%u", &i), 1);
			cr_assert_lt(i, 200);
			cr_assert_eq(seen[i]++, 0, "host %u twice", i);
		}
	}
	for (size_t i = 0; i < 200; i++)
		cr_assert_eq(seen[i], 1, "host %zu missing", i);
	fleet_layout_free(&l);
}

Test(layout, fleet_of_one_host)
{
	struct fleet_entry *e = fleet_of(1);
	struct fleet_layout l;

	cr_assert_eq(fleet_layout("hlt", e, 1, false, "", &l), 0);
	cr_assert_eq(l.npages, 1);
	cr_assert_eq(host_rows(&l.pages[0]), 1);
	cr_assert(!l.x.log && l.x.lo == 0 && l.x.hi >= e[0].kvm.p99);
	assert_texts_apart(&l.pages[0].f, layout_text_cm("cycles (TSC)", false, 8));
	fleet_layout_free(&l);
}
