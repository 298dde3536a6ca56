// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target: arbitrary bytes through the shared sample reader, the
 * value store, the statistics, the bootstrap and every output format. Besides
 * the sanitizers' checks it asserts the exact quantiles against a sort of
 * the samples the reader returned.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "exitlat/samples.h"
#include "bootstrap.h"
#include "dist.h"
#include "output.h"
#include "overhead.h"
#include "series.h"

#define MAX_KEPT 4096

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static void check_quantiles(const uint64_t *v, size_t n)
{
	static const uint32_t probs[] = { 0, 2500, 5000, 9900, 9999, 10000 };
	uint64_t *sorted = malloc(n * sizeof(*sorted));
	struct value_count vc = { 0 };
	struct dist_stats st;
	struct dist d;
	struct rng r;

	memcpy(sorted, v, n * sizeof(*v));
	qsort(sorted, n, sizeof(*sorted), cmp_u64);
	assert(vc_add(&vc, v, n) == 0);
	assert(dist_from_counts(&d, &vc) == 0);
	vc_free(&vc);
	dist_stats(&d, &st);
	unsigned __int128 sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += sorted[i];
	/* The mean, exactly: within half a unit of the last decimal of sum / n. */
	assert((unsigned __int128)st.mean * 2 * n <= sum * 2 * XDEC_SCALE + n &&
	       sum * 2 * XDEC_SCALE < ((unsigned __int128)st.mean * 2 + 1) * n);
	assert(st.stddev >= 0 && (n > 1 || st.stddev == 0));
	assert(st.min == xdec_from_u64(sorted[0]));
	assert(st.max == xdec_from_u64(sorted[n - 1]));
	for (size_t i = 0; i < sizeof(probs) / sizeof(probs[0]); i++) {
		unsigned __int128 h = (unsigned __int128)(n - 1) * probs[i];
		size_t k = (size_t)(h / XDEC_SCALE);
		uint64_t rem = (uint64_t)(h % XDEC_SCALE);
		xdec want = xdec_from_u64(sorted[k]);

		if (rem)
			want += (xdec)(sorted[k + 1] - sorted[k]) * rem;
		assert(dist_quantile(&d, probs[i]) == want);
	}
	rng_seed(&r, n);
	for (int i = 0; i < 8; i++) {
		long double q = boot_quantile(&d, 9900, &r);

		assert(q >= (long double)sorted[0] && q <= (long double)sorted[n - 1]);
	}
	dist_free(&d);
	free(sorted);
}

static void through_the_tool(const char *path)
{
	struct boot_opts bo = { .seed = 1, .resamples = 16, .confidence = 0.9 };
	struct finish_opts fo = { .trim = 0.01L, .subtract_null = true };
	struct series_set set = { 0 };
	struct overhead *ov = NULL;
	char err[EXITLAT_ERR_MAX];
	size_t nov = 0;
	FILE *null;

	if (series_set_add_file(&set, path, err) == 0 && series_set_finish(&set, &fo) == 0 &&
	    overhead_compute(&set, &bo, &ov, &nov) == 0 && set.n) {
		struct report r = {
			.set = &set, .ov = ov, .nov = nov, .boot = &bo,
			.subtract_null = true, .trim = fo.trim,
		};

		null = fopen("/dev/null", "w");
		assert(null);
		assert(out_table(null, &r) == 0);
		assert(out_json(null, &r) == 0);
		assert(out_csv(null, &r) == 0);
		assert(out_csv_overhead(null, &r) == 0);
		fclose(null);
	}
	free(ov);
	series_set_free(&set);
}

/*
 * The sample section parsed the plain way, line by line: the reader's fast
 * paths must agree with it on every sample and on whether the file is good.
 */
static int reference_parse(const uint8_t *data, size_t size, uint64_t *out, size_t *n)
{
	const uint8_t *p = data, *end = data + size;
	int line = 0;

	*n = 0;
	if (size && end[-1] != '\n')
		return -1;
	while (p < end) {
		const uint8_t *nl = memchr(p, '\n', end - p);
		uint64_t v = 0;

		line++;
		if (line == 1 || (*n == 0 && *p == '#')) {
			p = nl + 1;
			continue;
		}
		if (p == nl || nl - p > EXITLAT_LINE_MAX)
			return -1;
		for (; p < nl; p++) {
			if (*p < '0' || *p > '9' || __builtin_mul_overflow(v, 10, &v) ||
			    __builtin_add_overflow(v, *p - '0', &v))
				return -1;
		}
		if (*n < MAX_KEPT)
			out[*n] = v;
		(*n)++;
		p = nl + 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t ref[MAX_KEPT];
	size_t nref, total = 0;
	int ok = 1;
	static uint64_t kept[MAX_KEPT], buf[512];
	int fd = memfd_create("fuzz", 0);
	struct exitlat_reader r;
	char path[64];
	size_t n = 0, got;

	assert(fd >= 0);
	assert(write(fd, data, size) == (ssize_t)size);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (exitlat_reader_open(&r, path) == 0) {
		/* A small buffer: samples split across calls and refills. */
		for (;;) {
			if (exitlat_reader_next(&r, buf, 1 + size % 512, &got)) {
				ok = 0;
				break;
			}
			if (!got)
				break;
			total += got;
			for (size_t i = 0; i < got && n < MAX_KEPT; i++)
				kept[n++] = buf[i];
		}
		exitlat_reader_close(&r);
		assert(reference_parse(data, size, ref, &nref) == (ok ? 0 : -1));
		if (ok) {
			assert(nref == total);
			assert(memcmp(ref, kept, n * sizeof(*kept)) == 0);
		}
		if (n)
			check_quantiles(kept, n);
		through_the_tool(path);
	}
	close(fd);
	return 0;
}
