// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The sample-format reader: every rejection with its FILE:LINE, and what it keeps. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitlat/samples.h"

#define GOOD_HEADER "# exitlat-samples 1\n# source: kvm\n# exit: pio\n# unit: cycles\n"

static char *write_tmp(const char *content, size_t len)
{
	char *path = strdup("/tmp/exitlat-test-XXXXXX");
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, content, len), (ssize_t)len);
	close(fd);
	return path;
}

/*
 * Criterion runs each parameter in a re-executed process (another load
 * address), so the cases hold arrays, not pointers into this image.
 */
struct bad_case {
	char content[128];
	unsigned int line;	/* line the message must name */
	char what[64];		/* text the message must contain */
};

static struct bad_case bad_cases[] = {
	{ "", 1, "empty file" },
	{ "1234\n", 1, "line 1 must be '# exitlat-samples 1'" },
	{ "# exitlat-samples 2\n# source: kvm\n", 1, "version '2' is not supported (supported: 1)" },
	{ "# exitlat-samples 1 \n", 1, "version '1 ' is not supported" },
	{ "# exitlat-samples 1\n# source: kvm\n# exit: pio\n", 4, "missing required header key 'unit'" },
	{ "# exitlat-samples 1\n# exit: pio\n# unit: cycles\n5\n", 4, "missing required header key 'source'" },
	{ "# exitlat-samples 1\n# source: xen\n# exit: pio\n# unit: cycles\n", 5, "'source' is 'xen'" },
	{ "# exitlat-samples 1\n# source: kvm\n# exit: pio\n# unit: ns\n", 5, "'unit' is 'ns'" },
	{ "# exitlat-samples 1\n# source kvm\n", 2, "malformed header line" },
	{ "# exitlat-samples 1\n# source: kvm\n# source: native\n", 3, "appears twice" },
	{ GOOD_HEADER "1\n2\n# late: header\n", 7, "header line after the first sample" },
	{ GOOD_HEADER "1\n-2\n", 6, "not an unsigned decimal integer: '-2'" },
	{ GOOD_HEADER "+2\n", 5, "not an unsigned decimal integer: '+2'" },
	{ GOOD_HEADER " 2\n", 5, "not an unsigned decimal integer" },
	{ GOOD_HEADER "2 \n", 5, "not an unsigned decimal integer" },
	{ GOOD_HEADER "12ab\n", 5, "not an unsigned decimal integer: '12ab'" },
	{ GOOD_HEADER "2\r\n", 5, "not an unsigned decimal integer" },
	{ GOOD_HEADER "1.5\n", 5, "not an unsigned decimal integer" },
	{ GOOD_HEADER "3\n\n4\n", 6, "empty line" },
	{ GOOD_HEADER "18446744073709551616\n", 5, "exceeds 2^64-1" },
	{ GOOD_HEADER "99999999999999999999999999\n", 5, "exceeds 2^64-1" },
	{ GOOD_HEADER "1\n2\n3", 7, "last line has no newline" },
	{ "# exitlat-samples 1", 1, "last line has no newline" },
	{ GOOD_HEADER "1\nx", 6, "not an unsigned decimal integer: 'x'" },
};

ParameterizedTestParameters(reader, rejects_malformed_file)
{
	return cr_make_param_array(struct bad_case, bad_cases,
				   sizeof(bad_cases) / sizeof(bad_cases[0]));
}

ParameterizedTest(struct bad_case *c, reader, rejects_malformed_file)
{
	char *path = write_tmp(c->content, strlen(c->content));
	struct exitlat_header h = { 0 };
	uint64_t *v = NULL;
	size_t n = 0;
	char err[EXITLAT_ERR_MAX], prefix[256];
	int ret;

	ret = exitlat_samples_load(path, &h, &v, &n, err);
	unlink(path);
	cr_assert_eq(ret, -1, "accepted: %s", c->content);
	snprintf(prefix, sizeof(prefix), "%s:%u: ", path, c->line);
	cr_assert_eq(strncmp(err, prefix, strlen(prefix)), 0, "got '%s', want prefix '%s'", err,
		     prefix);
	cr_assert_not_null(strstr(err, c->what), "got '%s', want '%s'", err, c->what);
	free(path);
}

Test(reader, reads_extremes_and_keeps_unknown_keys)
{
	const char *text = "# exitlat-samples 1\n# source: native\n# exit: cpuid\n"
			   "# unit: cycles\n# lab_rack:   b7  \n"
			   "0\n18446744073709551615\n00042\n";
	char *path = write_tmp(text, strlen(text));
	struct exitlat_header h = { 0 };
	uint64_t *v = NULL;
	size_t n = 0;
	char err[EXITLAT_ERR_MAX];

	cr_assert_eq(exitlat_samples_load(path, &h, &v, &n, err), 0, "%s", err);
	cr_assert_eq(n, 3);
	cr_assert_eq(v[0], 0);
	cr_assert_eq(v[1], UINT64_MAX);
	cr_assert_eq(v[2], 42);
	cr_assert_str_eq(exitlat_header_get(&h, "lab_rack"), "b7");
	cr_assert_str_eq(exitlat_header_get(&h, "exit"), "cpuid");
	cr_assert_eq(h.n, 4);
	unlink(path);
	free(path);
	free(v);
	exitlat_header_free(&h);
}

Test(reader, header_only_file_has_no_samples)
{
	char *path = write_tmp(GOOD_HEADER, strlen(GOOD_HEADER));
	struct exitlat_header h = { 0 };
	uint64_t *v = NULL;
	size_t n = 99;
	char err[EXITLAT_ERR_MAX];

	cr_assert_eq(exitlat_samples_load(path, &h, &v, &n, err), 0, "%s", err);
	cr_assert_eq(n, 0);
	unlink(path);
	free(path);
	free(v);
	exitlat_header_free(&h);
}

/* Lines that straddle the reader's 1 MiB buffer must parse like any other. */
Test(reader, many_samples_across_buffer_boundaries)
{
	const size_t count = 700000;
	size_t cap = strlen(GOOD_HEADER) + count * 21, len = 0, n = 0, got;
	char *text = malloc(cap);
	struct exitlat_reader r;
	uint64_t chunk[1000], sum = 0, want = 0;
	char *path;

	len += sprintf(text, GOOD_HEADER);
	for (size_t i = 0; i < count; i++) {
		uint64_t x = (i * 2654435761u) % 100000007u;

		want += x;
		len += sprintf(text + len, "%lu\n", (unsigned long)x);
	}
	path = write_tmp(text, len);
	cr_assert_eq(exitlat_reader_open(&r, path), 0, "%s", r.err);
	do {
		cr_assert_eq(exitlat_reader_next(&r, chunk, 1000, &got), 0, "%s", r.err);
		for (size_t i = 0; i < got; i++)
			sum += chunk[i];
		n += got;
	} while (got);
	exitlat_reader_close(&r);
	cr_assert_eq(n, count);
	cr_assert_eq(sum, want);
	unlink(path);
	free(path);
	free(text);
}

Test(reader, error_names_the_line_far_into_a_file)
{
	size_t len = 0;
	char *text = malloc(3 << 20);
	char *path, err[EXITLAT_ERR_MAX], want[64];
	struct exitlat_header h = { 0 };
	uint64_t *v = NULL;
	size_t n;

	len += sprintf(text, GOOD_HEADER);
	for (int i = 0; i < 300000; i++)
		len += sprintf(text + len, "%d\n", 1000000 + i);
	len += sprintf(text + len, "12x4\n");
	path = write_tmp(text, len);
	cr_assert_eq(exitlat_samples_load(path, &h, &v, &n, err), -1);
	snprintf(want, sizeof(want), ":%d: ", 4 + 300000 + 1);
	cr_assert_not_null(strstr(err, want), "got '%s', want '%s'", err, want);
	unlink(path);
	free(path);
	free(text);
}

Test(reader, missing_file_names_it)
{
	struct exitlat_header h = { 0 };
	uint64_t *v = NULL;
	size_t n;
	char err[EXITLAT_ERR_MAX];

	cr_assert_eq(exitlat_samples_load("/nonexistent/x.samples", &h, &v, &n, err), -1);
	cr_assert_not_null(strstr(err, "/nonexistent/x.samples"), "%s", err);
	cr_assert_not_null(strstr(err, "No such file"), "%s", err);
}
