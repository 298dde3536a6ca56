// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Where the time goes: breakdown sets (docs/breakdown.md) whose shares are
 * known exactly, through the analysis' own reading: segment series, the
 * median band and the p99 tail, shares, the tracing cost, the native side,
 * and the sets it must refuse.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../analysis/breakdown.h"
#include "test_dir.h"

TestSuite(breakdown, .init = test_dir_make, .fini = test_dir_remove);

#define N 200
#define SEGS "trip a b c"

/*
 * Trip i of the sorted set: 1000 + 4i split 1/4, 1/4, 1/2 for i < 197, and
 * 6000, 7000, 8000 split 10 %, 50 %, 40 % for the last three. Written in the
 * order 7j mod 200, so that neither band sits at the end of the files.
 */
static void trip_row(unsigned int i, uint64_t v[4])
{
	static const uint64_t tail[3] = { 6000, 7000, 8000 };

	if (i < N - 3) {
		v[0] = 1000 + 4 * i;
		v[1] = v[0] / 4;
		v[2] = v[0] / 4;
		v[3] = v[0] / 2;
	} else {
		v[0] = tail[i - (N - 3)];
		v[1] = v[0] / 10;
		v[2] = v[0] / 2;
		v[3] = v[0] - v[1] - v[2];
	}
}

static const char *const names[4] = { "trip", "a", "b", "c" };

/* HEAD plus the set's keys for segment @k; @mangle changes one line of segment c. */
static void write_set(const char *sub, const char *head, int mangle, unsigned int rows)
{
	char path[512], folder[300];

	snprintf(folder, sizeof(folder), "%s/%s", dir, sub);
	mkdir(folder, 0755);
	for (int k = 0; k < 4; k++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/kvm-pio.breakdown.%s.samples", folder, names[k]);
		f = fopen(path, "w");
		cr_assert_not_null(f);
		fprintf(f, "# exitlat-samples 1\n# source: kvm\n# exit: pio\n# unit: cycles\n"
			"# domain: host\n%s# breakdown: 1 (docs/breakdown.md)\n"
			"# breakdown_segments: " SEGS "\n"
			"# breakdown_files: kvm-pio.breakdown.SEGMENT.samples\n"
			"# breakdown_segment: %s\n# breakdown_merged: %s\n"
			"# breakdown_covers: part %s\n", head, names[k], k == 1 ? "yes" : "no",
			names[k]);
		for (unsigned int j = 0; j < (k == 2 ? rows : N); j++) {
			uint64_t v[4];

			trip_row((7 * j) % N, v);
			fprintf(f, "%llu\n", (unsigned long long)(v[k] + (k == 3 && mangle &&
									  j == 10)));
		}
		cr_assert_eq(fclose(f), 0);
	}
}

/* A plain sample file of @n values from @base up (step 1), in the folder @sub. */
static void write_plain(const char *sub, const char *name, const char *source,
			const char *head, uint64_t base, unsigned int n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, name);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "# exitlat-samples 1\n# source: %s\n# exit: pio\n# unit: cycles\n"
		"# domain: host\n%s", source, head);
	for (unsigned int i = 0; i < n; i++)
		fprintf(f, "%llu\n", (unsigned long long)(base + i));
	cr_assert_eq(fclose(f), 0);
}

static void add_folder(struct series_set *set, const char *sub)
{
	char path[512], err[EXITLAT_ERR_MAX];
	struct stat st;

	for (int k = 0; k < 4; k++) {
		snprintf(path, sizeof(path), "%s/%s/kvm-pio.breakdown.%s.samples", dir, sub,
			 names[k]);
		if (stat(path, &st))
			continue;
		cr_assert_eq(series_set_add_file(set, path, err), 0, "%s", err);
	}
}

static void add(struct series_set *set, const char *sub, const char *name)
{
	char path[512], err[EXITLAT_ERR_MAX];

	snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, name);
	cr_assert_eq(series_set_add_file(set, path, err), 0, "%s", err);
}

static const struct boot_opts boot = { .seed = 1, .resamples = 200, .confidence = 0.95 };

static int compute(struct series_set *set, struct breakdown **b, size_t *n,
		   char err[EXITLAT_ERR_MAX])
{
	const struct finish_opts fo = { 0 };

	cr_assert_eq(series_set_finish(set, &fo), 0);
	return breakdown_compute(set, &boot, b, n, err);
}

static long double xd(xdec x)
{
	return xdec_to_ld(x);
}

Test(breakdown, shares_at_the_median_and_at_p99_are_exact)
{
	struct series_set set = { 0 };
	char err[EXITLAT_ERR_MAX] = "";
	struct breakdown *b = NULL;
	size_t n = 0;

	write_set("one", "", 0, N);
	add_folder(&set, "one");
	cr_assert_eq(compute(&set, &b, &n, err), 0, "%s", err);
	cr_assert_eq(n, 1);
	cr_assert_eq(b->nseg, 3);
	cr_assert_eq(b->sets, 1);
	cr_assert_eq(b->trips, N);
	/* Ranks floor(0.45 * 199) = 89 and ceil(0.55 * 199) = 110 of 1000 + 4i. */
	cr_assert_eq(b->band_lo, 1356);
	cr_assert_eq(b->band_hi, 1440);
	cr_assert_eq(b->n_mid, 22);
	cr_assert_eq(xd(b->trip_mean_mid), 1398);
	cr_assert_eq(xd(b->trip_median), 1398);
	/* p99 = x[197] + 0.01 (x[198] - x[197]) = 6010: the tail is 7000 and 8000. */
	cr_assert_eq(xd(b->trip_p99), 6010);
	cr_assert_eq(b->n_tail, 2);
	cr_assert_eq(xd(b->trip_mean_tail), 7500);
	static const long double mid[3] = { 25, 25, 50 }, tail[3] = { 10, 50, 40 };
	static const long double mean_mid[3] = { 349.5, 349.5, 699 };
	static const long double mean_tail[3] = { 750, 3750, 3000 };
	long double sum_mid = 0, sum_tail = 0;

	for (int k = 0; k < 3; k++) {
		const struct bd_segment *s = &b->seg[k];

		cr_assert_str_eq(s->s->segment, names[k + 1]);
		cr_assert(s->share_mid == mid[k], "%s: %Lg %% at the median", names[k + 1],
			  s->share_mid);
		cr_assert(s->share_tail == tail[k], "%s: %Lg %% at p99", names[k + 1],
			  s->share_tail);
		cr_assert_eq(xd(s->mean_mid), mean_mid[k]);
		cr_assert_eq(xd(s->mean_tail), mean_tail[k]);
		sum_mid += s->share_mid;
		sum_tail += s->share_tail;
	}
	cr_assert(sum_mid == 100 && sum_tail == 100);
	free(b);
	series_set_free(&set);
}

Test(breakdown, each_segment_is_a_series_with_its_own_quantiles_and_intervals)
{
	struct series_set set = { 0 };
	char err[EXITLAT_ERR_MAX] = "";
	struct breakdown *b = NULL, *b2 = NULL;
	size_t n = 0, n2 = 0;

	write_set("one", "", 0, N);
	add_folder(&set, "one");
	cr_assert_eq(compute(&set, &b, &n, err), 0, "%s", err);
	cr_assert_eq(set.n, 4, "trip and three segments: %zu series", set.n);
	cr_assert_str_eq(b->trip->id, "kvm-pio.breakdown.trip");
	for (int k = 0; k < 3; k++) {
		const struct bd_segment *s = &b->seg[k];
		char id[64];

		snprintf(id, sizeof(id), "kvm-pio.breakdown.%s", names[k + 1]);
		cr_assert_str_eq(s->s->id, id);
		cr_assert_eq(s->s->st.count, N);
		cr_assert(s->median.x == s->s->st.median && s->p99.x == s->s->st.p99);
		cr_assert(s->median.ci.lo <= xd(s->median.x) && xd(s->median.x) <= s->median.ci.hi,
			  "%s: median %Lg outside [%Lg, %Lg]", names[k + 1], xd(s->median.x),
			  s->median.ci.lo, s->median.ci.hi);
		cr_assert(s->p99.ci.lo <= s->p99.ci.hi && isfinite(s->p99.ci.lo));
	}
	cr_assert(b->seg[0].s->merged && !b->seg[1].s->merged);
	cr_assert_str_eq(b->seg[0].s->covers, "part a");
	/* The same seed gives the same intervals. */
	cr_assert_eq(breakdown_compute(&set, &boot, &b2, &n2, err), 0, "%s", err);
	cr_assert(b2->seg[2].median.ci.lo == b->seg[2].median.ci.lo &&
		  b2->seg[2].p99.ci.hi == b->seg[2].p99.ci.hi);
	free(b);
	free(b2);
	series_set_free(&set);
}

Test(breakdown, tracing_cost_and_native_side_come_from_their_series)
{
	struct series_set set = { 0 };
	char err[EXITLAT_ERR_MAX] = "";
	struct breakdown *b = NULL;
	struct overhead *ov = NULL;
	size_t n = 0, nov = 0;

	write_set("one", "", 0, N);
	add_folder(&set, "one");
	/* untraced: 1100..1298, median 1199; native: 500..598, median 549 */
	write_plain("one", "kvm-pio.samples", "kvm", "", 1100, 199);
	write_plain("one", "native-pio.samples", "native", "", 500, 99);
	add(&set, "one", "kvm-pio.samples");
	add(&set, "one", "native-pio.samples");
	cr_assert_eq(compute(&set, &b, &n, err), 0, "%s", err);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(b->untraced->id, "kvm-pio");
	cr_assert_str_eq(b->native->id, "native-pio");
	cr_assert_eq(xd(b->untraced_median.x), 1199);
	cr_assert_eq(xd(b->traced_median.x), 1398);
	cr_assert(b->has_cost);
	cr_assert_eq(xd(b->tracing_cost), 199);
	cr_assert(fabsl(b->tracing_cost_pct - 199.0L * 100 / 1199) < 1e-9L);
	cr_assert_eq(xd(b->native_median.x), 549);
	/* The ladder pairs native with the untraced series, never with a segment. */
	cr_assert_eq(overhead_compute(&set, &boot, &ov, &nov), 0);
	cr_assert_eq(nov, 1);
	cr_assert_str_eq(ov->kvm->id, "kvm-pio");
	free(ov);
	free(b);
	series_set_free(&set);
}

Test(breakdown, segments_are_never_null_subtracted)
{
	struct series_set set = { 0 };
	const struct finish_opts fo = { .subtract_null = true };
	char path[512], err[EXITLAT_ERR_MAX];
	FILE *f;

	write_set("one", "", 0, N);
	add_folder(&set, "one");
	snprintf(path, sizeof(path), "%s/one/kvm-null-host.samples", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("# exitlat-samples 1\n# source: kvm\n# exit: null-host\n# unit: cycles\n"
	      "# domain: host\n40\n40\n", f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(series_set_add_file(&set, path, err), 0, "%s", err);
	cr_assert_eq(series_set_finish(&set, &fo), 0);
	for (size_t i = 0; i < set.n; i++)
		if (set.s[i]->segment)
			cr_assert_eq(set.s[i]->shift, 0, "%s shifted", set.s[i]->id);
	series_set_free(&set);
}

Test(breakdown, two_sets_of_one_kind_are_read_together)
{
	struct series_set set = { 0 };
	char err[EXITLAT_ERR_MAX] = "";
	struct breakdown *b = NULL;
	size_t n = 0;

	write_set("one", "", 0, N);
	write_set("two", "", 0, N);
	add_folder(&set, "one");
	add_folder(&set, "two");
	cr_assert_eq(compute(&set, &b, &n, err), 0, "%s", err);
	cr_assert_eq(n, 1);
	cr_assert_eq(b->sets, 2);
	cr_assert_eq(b->trips, 2 * N);
	cr_assert_eq(b->seg[2].s->st.count, 2 * N);
	cr_assert(b->seg[1].share_mid == 25 && b->seg[1].share_tail == 50);
	free(b);
	series_set_free(&set);
}

Test(breakdown, segments_that_do_not_add_up_are_refused_with_the_line)
{
	struct series_set set = { 0 };
	char err[EXITLAT_ERR_MAX] = "", want[600];
	struct breakdown *b = NULL;
	size_t n = 0;

	write_set("one", "", 1, N);
	add_folder(&set, "one");
	cr_assert_eq(compute(&set, &b, &n, err), -1);
	/* 11 header lines, then sample 11 (j == 10) on line 22. */
	snprintf(want, sizeof(want), "%s/one/kvm-pio.breakdown.trip.samples:22: ", dir);
	cr_assert_eq(strncmp(err, want, strlen(want)), 0, "got '%s', want '%s...'", err, want);
	cr_assert_not_null(strstr(err, "do not add up"), "%s", err);
	series_set_free(&set);
}

Test(breakdown, files_of_unequal_length_are_refused)
{
	struct series_set set = { 0 };
	char err[EXITLAT_ERR_MAX] = "";
	struct breakdown *b = NULL;
	size_t n = 0;

	write_set("one", "", 0, N - 1);
	add_folder(&set, "one");
	cr_assert_eq(compute(&set, &b, &n, err), -1);
	cr_assert_not_null(strstr(err, "kvm-pio.breakdown.b.samples"), "%s", err);
	cr_assert_not_null(strstr(err, "199 samples"), "%s", err);
	series_set_free(&set);
}

Test(breakdown, an_incomplete_set_has_no_breakdown)
{
	struct series_set set = { 0 };
	char path[512], err[EXITLAT_ERR_MAX] = "";
	struct breakdown *b = NULL;
	size_t n = 0;

	write_set("one", "", 0, N);
	snprintf(path, sizeof(path), "%s/one/kvm-pio.breakdown.b.samples", dir);
	cr_assert_eq(unlink(path), 0);
	add_folder(&set, "one");
	cr_assert_eq(compute(&set, &b, &n, err), 0, "%s", err);
	cr_assert_eq(n, 0);
	free(b);
	series_set_free(&set);
}

Test(breakdown, environments_stay_apart)
{
	struct series_set set = { 0 };
	char err[EXITLAT_ERR_MAX] = "";
	struct breakdown *b = NULL;
	size_t n = 0;

	write_set("one", "# host: a\n", 0, N);
	write_set("two", "# host: b\n", 0, N);
	add_folder(&set, "one");
	add_folder(&set, "two");
	cr_assert_eq(compute(&set, &b, &n, err), 0, "%s", err);
	cr_assert_eq(n, 2);
	cr_assert(b[0].env != b[1].env);
	cr_assert_eq(b[0].trips, N);
	cr_assert_eq(b[1].trips, N);
	free(b);
	series_set_free(&set);
}
