// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * bench-gen: writes a realistic exitlat sample file for `make bench`: a
 * narrow body around a base latency, a log-normal shoulder and a Pareto tail,
 * giving tens of thousands of distinct values. Not installed.
 *
 *   bench-gen COUNT [SEED] > FILE
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootstrap.h"

static char out[1 << 20];
static size_t out_len;

static void put_u64(uint64_t v)
{
	char tmp[24];
	int n = 0;

	if (out_len > sizeof(out) - 32) {
		fwrite(out, 1, out_len, stdout);
		out_len = 0;
	}
	do {
		tmp[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		out[out_len++] = tmp[--n];
	out[out_len++] = '\n';
}

int main(int argc, char **argv)
{
	unsigned long long count, seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
	struct rng r;

	if (argc < 2 || !(count = strtoull(argv[1], NULL, 10))) {
		fprintf(stderr, "usage: bench-gen COUNT [SEED] > FILE\n");
		return 2;
	}
	rng_seed(&r, seed);
	printf("# exitlat-samples 1\n# source: kvm\n# exit: cpuid\n# unit: cycles\n"
	       "# domain: guest\n# tsc_khz: 2995200\n# host: bench\n# kernel: synthetic\n"
	       "# emulated: no\n");
	for (unsigned long long i = 0; i < count; i++) {
		double u = rng_uniform(&r), v;

		if (u < 0.90)		/* body: a few hundred cycles wide */
			v = 1200 + 200 * rng_uniform(&r) * rng_uniform(&r) + 40 * rng_uniform(&r);
		else if (u < 0.999)	/* shoulder: cache misses, a timer tick */
			v = 1300 * exp(0.6 * fabs(log(rng_uniform(&r))));
		else			/* tail: Pareto, up to milliseconds */
			v = 2000 * pow(rng_uniform(&r), -1 / 1.1);
		put_u64(v > 1e12 ? (uint64_t)1e12 : (uint64_t)v);
	}
	fwrite(out, 1, out_len, stdout);
	return fflush(stdout) ? 1 : 0;
}
