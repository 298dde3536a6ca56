// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdint.h>
#include <stdio.h>

#include "exitlat/samples.h"
#include "check.h"

#define CHUNK 65536

int check_files(char *const *paths, int n)
{
	static uint64_t buf[CHUNK];
	int bad = 0;

	for (int i = 0; i < n; i++) {
		struct exitlat_reader r;
		unsigned long long total = 0;
		size_t got;
		int ret;

		if (exitlat_reader_open(&r, paths[i])) {
			fprintf(stderr, "%s\n", r.err);
			bad = 1;
			continue;
		}
		while (!(ret = exitlat_reader_next(&r, buf, CHUNK, &got)) && got)
			total += got;
		if (ret) {
			fprintf(stderr, "%s\n", r.err);
			bad = 1;
		} else {
			printf("%s: ok, %llu samples\n", paths[i], total);
		}
		exitlat_reader_close(&r);
	}
	if (fflush(stdout)) {
		perror("exitlat-analyze: stdout");
		return 1;
	}
	return bad;
}
